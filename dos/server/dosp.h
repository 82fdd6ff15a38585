/*
 * Private to the DOS server: the list of INT 21h calls, the layout of the
 * DOS segment and of PSPs, and the helpers the call handlers share.
 */
#ifndef DOS_DOSP_H
#define DOS_DOSP_H

#include <dos/server.h>
#include <dos/vmem.h>

/*
 * INT 21h, written once: X(AH, handler, what). Expands into the handler
 * prototypes, the dispatch table and the names in log lines (table.c).
 * A function missing here answers AX=1, CF=1 and is logged once.
 */
#define DOS_INT21_CALLS(X)                                             \
    X(0x00, terminate, "terminate program")                            \
    X(0x01, con_in_echo, "character input with echo")                  \
    X(0x02, con_out, "character output")                               \
    X(0x03, aux_in, "auxiliary input")                                 \
    X(0x04, aux_out, "auxiliary output")                               \
    X(0x05, prn_out, "printer output")                                 \
    X(0x06, con_direct, "direct console I/O")                          \
    X(0x07, con_raw_in, "direct character input")                      \
    X(0x08, con_in, "character input without echo")                    \
    X(0x09, print_string, "display string")                            \
    X(0x0A, buffered_input, "buffered keyboard input")                 \
    X(0x0B, input_status, "check input status")                        \
    X(0x0C, flush_input, "flush buffer and read")                      \
    X(0x0D, disk_reset, "disk reset")                                  \
    X(0x0E, select_disk, "select disk")                                \
    X(0x0F, fcb_open, "FCB open")                                      \
    X(0x10, fcb_close, "FCB close")                                    \
    X(0x11, fcb_find_first, "FCB find first")                          \
    X(0x12, fcb_find_next, "FCB find next")                            \
    X(0x13, fcb_delete, "FCB delete")                                  \
    X(0x14, fcb_read_seq, "FCB sequential read")                       \
    X(0x15, fcb_write_seq, "FCB sequential write")                     \
    X(0x16, fcb_create, "FCB create")                                  \
    X(0x17, fcb_rename, "FCB rename")                                  \
    X(0x18, cpm_null, "null function")                                 \
    X(0x19, current_disk, "get current disk")                          \
    X(0x1A, set_dta, "set DTA")                                        \
    X(0x1B, fat_info_default, "allocation information, default drive") \
    X(0x1C, fat_info, "allocation information")                        \
    X(0x1D, cpm_null, "null function")                                 \
    X(0x1E, cpm_null, "null function")                                 \
    X(0x20, cpm_null, "null function")                                 \
    X(0x21, fcb_read_random, "FCB random read")                        \
    X(0x22, fcb_write_random, "FCB random write")                      \
    X(0x23, fcb_file_size, "FCB file size")                            \
    X(0x24, fcb_set_random, "FCB set random record")                   \
    X(0x25, set_vector, "set interrupt vector")                        \
    X(0x26, create_psp, "create PSP")                                  \
    X(0x27, fcb_read_block, "FCB random block read")                   \
    X(0x28, fcb_write_block, "FCB random block write")                 \
    X(0x29, parse_filename, "parse filename")                          \
    X(0x2A, get_date, "get date")                                      \
    X(0x2B, set_date, "set date")                                      \
    X(0x2C, get_time, "get time")                                      \
    X(0x2D, set_time, "set time")                                      \
    X(0x2E, set_verify, "set verify flag")                             \
    X(0x2F, get_dta, "get DTA")                                        \
    X(0x30, get_version, "get DOS version")                            \
    X(0x31, keep, "terminate and stay resident")                       \
    X(0x33, ctrl_break, "Ctrl-Break check")                            \
    X(0x34, indos, "InDOS flag address")                               \
    X(0x35, get_vector, "get interrupt vector")                        \
    X(0x36, disk_free, "get free disk space")                          \
    X(0x37, switchar, "switch character")                              \
    X(0x38, country, "country information")                            \
    X(0x39, mkdir, "create directory")                                 \
    X(0x3A, rmdir, "remove directory")                                 \
    X(0x3B, chdir, "set current directory")                            \
    X(0x3C, create, "create file")                                     \
    X(0x3D, open, "open file")                                         \
    X(0x3E, close, "close file")                                       \
    X(0x3F, read, "read")                                              \
    X(0x40, write, "write")                                            \
    X(0x41, unlink, "delete file")                                     \
    X(0x42, seek, "move file pointer")                                 \
    X(0x43, attrib, "file attributes")                                 \
    X(0x44, ioctl, "IOCTL")                                            \
    X(0x45, dup, "duplicate handle")                                   \
    X(0x46, dup2, "force duplicate handle")                            \
    X(0x47, getcwd, "get current directory")                           \
    X(0x48, alloc, "allocate memory")                                  \
    X(0x49, free, "free memory")                                       \
    X(0x4A, resize, "resize memory block")                             \
    X(0x4B, exec, "load and execute program")                          \
    X(0x4C, exit, "terminate with return code")                        \
    X(0x4D, exit_code, "get return code")                              \
    X(0x4E, find_first, "find first file")                             \
    X(0x4F, find_next, "find next file")                               \
    X(0x50, set_psp, "set PSP")                                        \
    X(0x51, get_psp, "get PSP")                                        \
    X(0x52, list_of_lists, "list of lists")                            \
    X(0x54, get_verify, "get verify flag")                             \
    X(0x56, rename, "rename file")                                     \
    X(0x57, file_time, "file date and time")                           \
    X(0x58, strategy, "allocation strategy")                           \
    X(0x59, ext_error, "get extended error")                           \
    X(0x5A, create_temp, "create temporary file")                      \
    X(0x5B, create_new, "create new file")                             \
    X(0x60, truename, "canonical path name")                           \
    X(0x62, get_psp, "get PSP")                                        \
    X(0x66, code_page, "global code page")                             \
    X(0x67, set_handle_count, "set handle count")                      \
    X(0x68, commit, "commit file")                                     \
    X(0x6C, ext_open, "extended open/create")

#define DOSP_DECLARE(num, name, what) int do_##name(dos_server_t *s, dos_regs_t *r);
DOS_INT21_CALLS(DOSP_DECLARE)
#undef DOSP_DECLARE

/* Handlers return an enum dos_call_result, or this: Ctrl-C was read, run
 * INT 23h and restart the call (server.c). */
#define DOSP_BREAK 0x100

/* ---- the DOS segment (VDM_DOS_SEG) ---- */
#define DOSSEG_INT20     0x000 /* 0F FF 20 CF */
#define DOSSEG_INT21     0x004
#define DOSSEG_INT23     0x008 /* default Ctrl-C handler: terminate */
#define DOSSEG_INT24     0x00C /* default critical error handler: fail */
#define DOSSEG_INT25     0x010 /* 0F FF 25 CB: returns with the flags on the stack */
#define DOSSEG_INT26     0x014
#define DOSSEG_INT27     0x018
#define DOSSEG_INT29     0x01C
#define DOSSEG_INT00     0x020 /* divide overflow */
#define DOSSEG_BREAK     0x024 /* INT 23h; 0F FF F0 */
#define DOSSEG_CPM       0x02A /* 0F FF F1: the CALL 5 entry */
#define DOSSEG_ROOT_END  0x030 /* 0F FF F2: the shell's terminate address */
#define DOSSEG_RETF      0x034 /* case map routine of 38h: no mapping */
#define DOSSEG_CRIT_FLAG 0x040 /* critical error flag, then InDOS */
#define DOSSEG_INDOS     0x041
#define DOSSEG_MEDIA     0x042 /* media descriptor byte for 1Bh/1Ch */
#define DOSSEG_LOL       0x060 /* list of lists; the first MCB's segment is at -2 */
#define DOSSEG_INBYTE    0x7F0 /* a byte of standard input on its way */
#define DOSSEG_IOBUF     0x800 /* 256 bytes of standard output on their way */

#define HC_BREAK_RET 0xF0u
#define HC_CPM       0xF1u
#define HC_ROOT_END  0xF2u

/* ---- PSP fields ---- */
#define PSP_INT20       0x00
#define PSP_MEM_TOP     0x02
#define PSP_CPM_CALL    0x05
#define PSP_INT22       0x0A
#define PSP_INT23       0x0E
#define PSP_INT24       0x12
#define PSP_PARENT      0x16
#define PSP_JFT         0x18
#define PSP_ENV         0x2C
#define PSP_SAVED_SP    0x2E /* SP, then SS at 30h */
#define PSP_JFT_SIZE    0x32
#define PSP_JFT_PTR     0x34
#define PSP_PREV        0x38
#define PSP_DISPATCH    0x50
#define PSP_FCB1        0x5C
#define PSP_FCB2        0x6C
#define PSP_TAIL        0x80
#define PSP_JFT_DEFAULT 20

/* ---- the system file table ---- */
enum dosp_sft_kind {
    DOSP_FILE = 1,
    DOSP_CON,
    DOSP_AUX,
    DOSP_PRN,
    DOSP_NUL,
};

#define DOSP_SFT_WRITTEN 0x01 /* written since opened */
#define DOSP_SFT_STREAM  0x02 /* a pipe or terminal: no positions, no size */
#define DOSP_SFT_RAW     0x04 /* devices: binary mode (IOCTL bit 5) */
#define DOSP_SFT_FCB     0x08 /* opened through an FCB */
#define DOSP_SFT_REDIR   0x10 /* standard input/output given by the embedder */

/* strlcpy, which the host's C library may lack: copies at most size-1
 * bytes, always terminates, returns strlen(src). */
static inline size_t dosp_strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = 0;
    while (src[n] != 0)
        n++;
    if (size > 0) {
        size_t c = n < size - 1 ? n : size - 1;
        for (size_t i = 0; i < c; i++)
            dst[i] = src[i];
        dst[c] = 0;
    }
    return n;
}

/* ---- helpers (server.c) ---- */
int dosp_ok(dos_regs_t *r);
int dosp_fail(dos_server_t *s, dos_regs_t *r, uint16_t code);
void dosp_set_error(dos_server_t *s, uint16_t code);
void dosp_logf(dos_server_t *s, uint32_t key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int dosp_call21(dos_server_t *s, dos_regs_t *r);

/* Reads an ASCIIZ string of at most size-1 characters; false if longer. */
bool dosp_get_string(const dos_server_t *s, uint16_t seg, uint16_t off, char *buf, size_t size);

static inline uint16_t dosp_psp16(const dos_server_t *s, uint16_t psp, uint16_t off)
{
    return vm_rd16(s->mem, psp, off);
}

/* ---- names.c: 8.3 names ---- */
bool dosp_name_char(uint8_t c);
uint8_t dosp_upcase(uint8_t c);
int dosp_name_to_fcb(const char *name, uint8_t fcb[11], bool wild);
void dosp_fcb_to_name(const uint8_t fcb[11], char out[13]);
bool dosp_match(const uint8_t pattern[11], const uint8_t name[11]);
bool dosp_has_wild(const uint8_t fcb[11]);
int dosp_host_to_dos(const char *host, char out[13]);
int dosp_device_name(const uint8_t fcb[11]);
uint8_t dosp_parse_fcb_name(const uint8_t *src, size_t len, uint8_t flags, uint8_t fcb[12],
                            size_t *used, bool (*drive_ok)(void *, uint8_t), void *ctx);

/* ---- path.c: DOS paths to host paths ---- */
typedef struct dosp_path {
    uint8_t drive;            /* 0 = A: */
    char dos[80];             /* canonical, without the drive: "\DIR\NAME.EXT", "\" */
    char host[DOS_HOST_PATH]; /* the object's host path (existing or to be created) */
    size_t dir_len;           /* host[0..dir_len) is the directory holding it */
    char name[13];            /* the last component in 8.3, "" for a root */
    uint8_t fcb[11];          /* the last component in FCB form */
    bool wild;                /* the last component has wildcards */
    int device;               /* enum dosp_sft_kind of a device name, or 0 */
    bool exists;
    dos_stat_t st;
} dosp_path_t;

#define DOSP_PATH_WILD 0x01 /* wildcards allowed in the last component */

bool dosp_drive_ok_cb(void *ctx, uint8_t drive);
int dosp_resolve(dos_server_t *s, const char *in, unsigned flags, dosp_path_t *p);
int dosp_resolve_at(dos_server_t *s, uint16_t seg, uint16_t off, unsigned flags, dosp_path_t *p);
int dosp_lookup(dos_server_t *s, const char *dir, const char *name, char *out, size_t out_size);
bool dosp_drive_ok(const dos_server_t *s, uint8_t drive);
int dosp_fcb_path(dos_server_t *s, uint8_t drive_byte, const uint8_t name[11], dosp_path_t *p);

/* Results of dosp_sft_read/write besides byte counts and -error. */
#define DOSP_RD_BREAK   (-0x100) /* Ctrl-C read from the console */
#define DOSP_RD_NOINPUT (-0x101) /* the console's input has ended */

/* ---- arena.c: memory control blocks ---- */
#define DOSP_FIT_FIRST 0
#define DOSP_FIT_BEST  1
#define DOSP_FIT_LAST  2

void dosp_arena_init(uint8_t *mem, uint16_t first, uint16_t end);
int dosp_arena_check(const uint8_t *mem, uint16_t first);
int dosp_mem_alloc(uint8_t *mem, uint16_t first, uint16_t paras, uint16_t owner, int strategy,
                   uint16_t *seg, uint16_t *largest);
int dosp_mem_free(uint8_t *mem, uint16_t first, uint16_t seg);
int dosp_mem_resize(uint8_t *mem, uint16_t first, uint16_t seg, uint16_t paras, uint16_t *max);
int dosp_mem_free_owner(uint8_t *mem, uint16_t first, uint16_t owner);
int dosp_mem_largest(uint8_t *mem, uint16_t first, uint16_t *seg, uint16_t *paras);
uint16_t dosp_mcb_size(const uint8_t *mem, uint16_t seg);
void dosp_mcb_set_owner(uint8_t *mem, uint16_t seg, uint16_t owner);

/* ---- handles.c ---- */
int dosp_sft_alloc(dos_server_t *s);
int dosp_handle(dos_server_t *s, uint16_t h, dos_sft_t **out);
int dosp_handle_new(dos_server_t *s, int sft);
void dosp_sft_release(dos_server_t *s, int sft);
int dosp_close_handle(dos_server_t *s, uint16_t psp, uint16_t h);
int dosp_open_path(dos_server_t *s, dosp_path_t *p, uint8_t mode, int *sft_out);
int dosp_create_path(dos_server_t *s, dosp_path_t *p, uint8_t attr, bool excl, int *sft_out);
int32_t dosp_sft_read(dos_server_t *s, dos_sft_t *f, uint32_t lin, uint32_t n);
int32_t dosp_sft_write(dos_server_t *s, dos_sft_t *f, uint32_t lin, uint32_t n);
void dosp_std_handles(dos_server_t *s, uint16_t psp);
void dosp_inherit_handles(dos_server_t *s, uint16_t parent, uint16_t child);
void dosp_close_all(dos_server_t *s, uint16_t psp);

/* ---- console.c ---- */
void dosp_con_write(dos_server_t *s, const char *buf, size_t n, bool cooked);
int dosp_con_read_dev(dos_server_t *s, dos_sft_t *f, uint32_t lin, uint32_t n, int32_t *got);
int dosp_check_break(dos_server_t *s);
bool dosp_stdin_is_con(dos_server_t *s);

/* ---- process.c and load.c ---- */
typedef struct dosp_exec {
    uint8_t mode;      /* 0 load and execute, 1 load, 3 overlay */
    uint16_t env;      /* environment to copy; 0: the parent's */
    uint8_t tail[128]; /* command tail: count, characters, CR */
    uint8_t fcb1[16], fcb2[16];
    uint16_t ovl_seg, ovl_reloc; /* mode 3 */
    uint16_t ret_cs, ret_ip;     /* terminate address (INT 22h) for the child */
    /* results */
    uint16_t psp, cs, ip, ss, sp, ax;
} dosp_exec_t;

int dosp_load(dos_server_t *s, const char *path, dosp_exec_t *x, char *why, size_t why_size);
int dosp_terminate(dos_server_t *s, dos_regs_t *r, uint8_t code, uint8_t type, int keep);
int dosp_break_start(dos_server_t *s, dos_regs_t *r);
int dosp_break_return(dos_server_t *s, dos_regs_t *r);
int dosp_cpm_call(dos_server_t *s, dos_regs_t *r);

/* ---- find.c ---- */
typedef struct dosp_found {
    char name[13];
    uint8_t fcb[11];
    dos_stat_t st;
} dosp_found_t;

int dosp_search_open(dos_server_t *s, const dosp_path_t *p, uint16_t *slot, uint16_t *gen);
int dosp_search_next(dos_server_t *s, uint16_t slot, uint16_t gen, const uint8_t pattern[11],
                     uint8_t attr, uint16_t *index, dosp_found_t *out);

/* ---- misc.c ---- */
void dosp_now(dos_server_t *s, dos_clock_t *c);

#endif
