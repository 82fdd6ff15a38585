/*
 * The DOS server: DOS 3.3 services for the programs of a VDM.
 *
 * The server keeps DOS's state (drives and current directories, the
 * system file table, the current PSP and DTA, the extended error, the
 * Ctrl-C setting, searches in progress) and works on the VDM's real-mode
 * memory directly: PSPs, memory control blocks, environment blocks, file
 * control blocks and buffers live there as on a real PC. In Persona that
 * memory is a section shared with the VDM process; on the host it is the
 * VDM's buffer. Everything outside (files, the console, the clock) goes
 * through dos_host_ops_t, whose calls return 0 or a byte count on
 * success and a negated DOS error code (-2 file not found, -5 access
 * denied, ...) on failure.
 *
 * Entry points: dos_server_init, dos_server_map_drive, dos_server_dos_path,
 * dos_server_boot, dos_server_chdir, dos_server_load, dos_server_call.
 *
 * Not thread-safe: one VDM, one thread.
 */
#ifndef DOS_SERVER_H
#define DOS_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dos/clock.h>
#include <dos/regs.h>

/* Directory entry attributes. */
#define DOS_ATTR_READONLY 0x01
#define DOS_ATTR_HIDDEN   0x02
#define DOS_ATTR_SYSTEM   0x04
#define DOS_ATTR_VOLUME   0x08
#define DOS_ATTR_DIR      0x10
#define DOS_ATTR_ARCHIVE  0x20

/* ops->open flags. */
#define DOS_OPEN_READ   0x01
#define DOS_OPEN_WRITE  0x02
#define DOS_OPEN_CREATE 0x04 /* create if missing */
#define DOS_OPEN_TRUNC  0x08 /* cut to 0 bytes */
#define DOS_OPEN_EXCL   0x10 /* with CREATE: fail with -DOS_EEXIST if it exists */

/* DOS error codes the server and the ops use. */
#define DOS_EINVFN   0x01 /* invalid function */
#define DOS_ENOENT   0x02 /* file not found */
#define DOS_ENOPATH  0x03 /* path not found */
#define DOS_EMFILE   0x04 /* too many open files */
#define DOS_EACCES   0x05 /* access denied */
#define DOS_EBADF    0x06 /* invalid handle */
#define DOS_EMCB     0x07 /* memory control blocks destroyed */
#define DOS_ENOMEM   0x08 /* insufficient memory */
#define DOS_EBADMCB  0x09 /* invalid memory block address */
#define DOS_EBADENV  0x0A /* invalid environment */
#define DOS_EBADFMT  0x0B /* invalid format */
#define DOS_EBADACC  0x0C /* invalid access code */
#define DOS_EBADDATA 0x0D /* invalid data */
#define DOS_EBADDRV  0x0F /* invalid drive */
#define DOS_ECURDIR  0x10 /* attempt to remove the current directory */
#define DOS_EXDEV    0x11 /* not the same device */
#define DOS_ENMFILE  0x12 /* no more files */
#define DOS_EWRITE   0x1D /* write fault */
#define DOS_EREAD    0x1E /* read fault */
#define DOS_EGENERAL 0x1F /* general failure */
#define DOS_EEXIST   0x50 /* file exists */

typedef struct dos_stat {
    uint8_t attr; /* DOS_ATTR_* */
    uint32_t size;
    uint16_t date, time; /* packed as in a directory entry (dc_pack_date/time) */
} dos_stat_t;

typedef struct dos_dirent {
    char name[256]; /* the host's name; the server shows only names valid in 8.3 */
    dos_stat_t st;
} dos_dirent_t;

/*
 * The host side. Paths are host paths the server builds from a drive's
 * root (dos_server_map_drive) and the names it finds in directories; fh
 * is the host's handle for an open file. Required unless marked optional.
 */
typedef struct dos_host_ops {
    int (*open)(void *ctx, const char *path, unsigned flags, int *fh);
    int (*close)(void *ctx, int fh);
    /* Transfers at byte position pos; a stream (pipe, terminal) ignores pos.
     * Returns the count moved (short at end of file) or -error. */
    int32_t (*read)(void *ctx, int fh, uint32_t pos, void *buf, uint32_t n);
    int32_t (*write)(void *ctx, int fh, uint32_t pos, const void *buf, uint32_t n);
    int (*set_size)(void *ctx, int fh, uint32_t size);
    int (*fstat)(void *ctx, int fh, dos_stat_t *st);
    int (*set_ftime)(void *ctx, int fh, uint16_t date, uint16_t time);
    int (*flush)(void *ctx, int fh);
    int (*stat)(void *ctx, const char *path, dos_stat_t *st);
    /* Sets DOS_ATTR_READONLY/HIDDEN/SYSTEM/ARCHIVE as far as the host can keep them. */
    int (*set_attr)(void *ctx, const char *path, uint8_t attr);
    /* Entry number index of a directory (0, 1, ... in a stable order):
     * 0 with *ent filled, 1 past the last entry, or -error. */
    int (*readdir)(void *ctx, const char *dir, uint32_t index, dos_dirent_t *ent);
    int (*mkdir)(void *ctx, const char *path);
    int (*rmdir)(void *ctx, const char *path);
    int (*unlink)(void *ctx, const char *path);
    int (*rename)(void *ctx, const char *from, const char *to);
    /* Size and free space of the file system holding root, in bytes. */
    int (*disk_free)(void *ctx, const char *root, uint64_t *total, uint64_t *avail);

    /*
     * The console (CON). con_read blocks for the next byte, an extended
     * key arriving as 00h then its scan code, and returns -1 when input has
     * ended; con_peek returns the next byte without taking it, or -1 when
     * none is waiting. On the host both read the VDM's BIOS keyboard queue
     * (vdm_kbd_read), and con_write is the VDM's teletype (vdm_tty_write),
     * so that DOS and the BIOS share one keyboard and one screen.
     */
    int (*con_read)(void *ctx);
    int (*con_peek)(void *ctx);
    void (*con_write)(void *ctx, const char *buf, size_t n);
    /*
     * Optional: DOS's check for Ctrl-C (before most calls, and while CON
     * is read or written): 1 if a Ctrl-C key is the next one waiting, which
     * it then takes, else 0. Without it the check is con_peek, then
     * con_read; an embedder provides it when peeking would take input in
     * (a keyboard fed on demand from a shared pipe) or costs a round trip.
     */
    int (*con_break)(void *ctx);
    /* AUX and PRN; optional (NULL: no such device, and calls fail). */
    int (*aux_read)(void *ctx);
    int (*aux_write)(void *ctx, const char *buf, size_t n);
    int (*prn_write)(void *ctx, const char *buf, size_t n);

    /* Local date and time now. */
    void (*now)(void *ctx, dos_clock_t *now);
    /* A line for the log: refused or unimplemented requests, load errors. */
    void (*log)(void *ctx, const char *msg);
} dos_host_ops_t;

/* Standard input or output given as an open host file instead of CON. */
typedef struct dos_redirect {
    bool active;
    int fh; /* the host's handle, used with ops->read/write */
} dos_redirect_t;

typedef struct dos_server_config {
    const dos_host_ops_t *ops;
    void *ctx;
    uint8_t *mem; /* the VDM's memory, at least VDM_MEM_SIZE bytes */
    uint32_t mem_size;
    dos_redirect_t stdin_redir, stdout_redir;
    /* Extra "NAME=value" strings for the master environment, after PATH
     * and COMSPEC; NULL-terminated, or NULL. */
    const char *const *env;
    bool trace; /* log every INT 21h call by name */
} dos_server_config_t;

/* ---- internals, kept here so that the embedder can allocate the server ---- */

#define DOS_SFT_MAX    40  /* FILES=40 */
#define DOS_HOST_PATH  512 /* longest host path the server builds */
#define DOS_DIR_MAX    68  /* a current directory: \ + 64 characters + NUL, rounded */
#define DOS_SEARCH_MAX 16  /* directories of find-first searches in progress */
#define DOS_LOG_KEYS   64

typedef struct dos_sft {
    uint8_t refs;  /* handles and FCBs using the entry; 0 = free */
    uint8_t kind;  /* enum dosp_sft_kind (server-private) */
    uint8_t mode;  /* open mode: access in bits 0-2, no-inherit in bit 7 */
    uint8_t flags; /* DOSP_SFT_* (server-private) */
    uint8_t drive; /* 0 = A: */
    int fh;        /* host handle (files) */
    uint32_t pos;
    int16_t peeked; /* a byte AH=0Bh read ahead from a stream, or -1 */
    uint16_t owner; /* PSP that opened it through an FCB */
    char name[13];  /* 8.3, for messages */
} dos_sft_t;

typedef struct dos_drive {
    bool mapped;
    char root[DOS_HOST_PATH]; /* host directory that is the drive's root */
    char cwd[DOS_DIR_MAX];    /* current directory: "" for the root, else "\DIR\SUB" */
} dos_drive_t;

typedef struct dos_search {
    uint16_t gen;            /* 0 = free */
    char dir[DOS_HOST_PATH]; /* host directory being searched */
    bool root;               /* a drive's root: no "." or ".." */
} dos_search_t;

typedef struct dos_server {
    dos_host_ops_t ops;
    void *ctx;
    uint8_t *mem;
    dos_redirect_t stdin_redir, stdout_redir;
    const char *const *env;
    bool trace;

    dos_drive_t drive[26];
    uint8_t cur_drive;

    uint16_t root_psp; /* the shell's PSP, parent of the first program */
    uint16_t cur_psp;
    uint16_t dta_seg, dta_off;
    uint8_t ret_code, ret_type; /* for 4Dh; cleared when read */
    uint8_t alloc_strategy;
    bool brk, verify;
    uint8_t switchar;
    uint16_t err_code;
    uint8_t err_class, err_action, err_locus;

    dos_sft_t sft[DOS_SFT_MAX];

    /* Console: the rest of a cooked line read from CON, and the output column. */
    uint8_t line[132];
    uint16_t line_len, line_pos;
    unsigned con_col;
    bool after_cr; /* the last line read from a file ended with CR: skip an LF */

    /* Ctrl-C: where the stack must be when INT 23h returns with IRET. */
    uint16_t break_ss, break_sp;
    dos_regs_t entry; /* the registers the current INT 21h call came with */

    dos_search_t search[DOS_SEARCH_MAX];
    uint16_t search_gen;
    unsigned search_next;

    int64_t clock_offset_ms; /* DOS clock minus the host's, after 2Bh/2Dh */
    uint32_t logged[DOS_LOG_KEYS];
    unsigned nlogged;
} dos_server_t;

/* Checks the config and takes it in; no drive is mapped yet. -1 on bad config. */
int dos_server_init(dos_server_t *s, const dos_server_config_t *cfg);

/* Makes drive letter ('A'-'Z') the host directory root. 0 or -DOS_EBADDRV. */
int dos_server_map_drive(dos_server_t *s, char letter, const char *root);

/*
 * Lays out DOS in the VDM's memory, after vdm_init: the DOS vectors and
 * stubs, the memory arena, the shell's PSP and the master environment
 * (PATH=C:\, COMSPEC=C:\COMMAND.COM, then cfg->env). Standard handles 0-4
 * are CON, CON, CON, AUX and PRN, with 0 and 1 redirected as configured.
 * Returns 0, or -1 when the environment does not fit.
 */
int dos_server_boot(dos_server_t *s);

/*
 * The DOS name of a host path on a mapped drive: "C:\SUB\FILE" for
 * /root/sub/file when C: is /root (the drive with the longest root wins).
 * Names keep their case: DOS finds them regardless of it. 0, or
 * -DOS_ENOPATH when no drive holds the path (or out is too small).
 */
int dos_server_dos_path(const dos_server_t *s, const char *host_path, char *out, size_t size);

/* Sets the current drive and directory from a DOS path like "C:\SUB". 0 or -error. */
int dos_server_chdir(dos_server_t *s, const char *dos_path);

/*
 * Loads the first program (a DOS path such as "C:\HELLO.COM") as a child
 * of the shell, with tail as its command line (without the program name;
 * at most 126 characters), and fills *entry with its starting registers.
 * Returns 0, or a DOS error code with why set to a sentence naming the
 * file and the problem.
 */
int dos_server_load(dos_server_t *s, const char *dos_path, const char *tail, dos_regs_t *entry,
                    char *why, size_t why_size);

/* A DOS call from the VDM (see <dos/regs.h>); returns enum dos_call_result. */
int dos_server_call(dos_server_t *s, uint8_t vector, dos_regs_t *regs);

#endif
