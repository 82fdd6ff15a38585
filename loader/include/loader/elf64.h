/*
 * ELF64 executables for x86_64: the parser behind the kernel's first
 * process, the POSIX server's execve and native program start.
 *
 * ldr_elf_parse() validates an ELF64 little-endian x86_64 ET_EXEC or ET_DYN
 * (static-PIE) image entirely, then describes what a loader must map: the
 * PT_LOAD segments, the entry point, AT_PHDR, the interpreter (so dynamic
 * programs can be refused clearly), the stack flags, the TLS template and
 * the personality. It copies nothing but the interpreter path, so the image
 * must stay valid only during the call.
 *
 * Personality: a program that carries a "Persona" note of type
 * PERSONA_NOTE_TYPE in a PT_NOTE segment has the personality its
 * 4-byte descriptor names (see <loader/persona_note.h>); any other
 * ELF with the System V or GNU/Linux OS ABI is a POSIX (Linux ABI) program.
 */
#ifndef LOADER_ELF64_H
#define LOADER_ELF64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <loader/status.h>

/* The handful of gABI / x86-64 psABI constants the parser and its users need. */
#define LDR_ET_EXEC        2
#define LDR_ET_DYN         3
#define LDR_EM_X86_64      62
#define LDR_ELFOSABI_SYSV  0
#define LDR_ELFOSABI_LINUX 3

#define LDR_PT_LOAD      1
#define LDR_PT_DYNAMIC   2
#define LDR_PT_INTERP    3
#define LDR_PT_NOTE      4
#define LDR_PT_PHDR      6
#define LDR_PT_TLS       7
#define LDR_PT_GNU_STACK 0x6474e551u

#define LDR_PF_X 1u
#define LDR_PF_W 2u
#define LDR_PF_R 4u

#define LDR_ELF_EHDR_SIZE 64
#define LDR_ELF_PHDR_SIZE 56

/* Persona maps programs with 4 KiB pages: file offsets and addresses of
 * each segment must agree modulo this. */
#define LDR_ELF_PAGE 4096u

/* First address of the kernel half; an ET_EXEC must end at or below it. */
#define LDR_ELF_USER_END 0x0000800000000000ull

#define LDR_ELF_MAX_LOAD   16
#define LDR_ELF_INTERP_MAX 256 /* including the terminating NUL */

typedef struct ldr_elf_segment {
    uint64_t vaddr;  /* link-time address (add the load bias for PIE) */
    uint64_t memsz;  /* bytes in memory; [filesz, memsz) is zero-filled */
    uint64_t offset; /* file offset of the first byte */
    uint64_t filesz; /* bytes taken from the file, <= memsz */
    uint64_t align;  /* p_align as found: 0, 1 or a power of two */
    uint32_t flags;  /* LDR_PF_R | LDR_PF_W | LDR_PF_X */
} ldr_elf_segment_t;

typedef struct ldr_elf_tls {
    uint64_t vaddr;  /* initialisation image, inside a PT_LOAD */
    uint64_t offset; /* its file offset */
    uint64_t filesz;
    uint64_t memsz;
    uint64_t align;
} ldr_elf_tls_t;

typedef struct ldr_elf_info {
    uint16_t type;        /* LDR_ET_EXEC or LDR_ET_DYN */
    bool pie;             /* ET_DYN: every address below is relative to a load bias */
    bool has_entry;       /* false only for an ET_DYN with e_entry 0 (a library) */
    uint8_t osabi;        /* e_ident[EI_OSABI] */
    uint16_t personality; /* BOOTIMG_PERS_NATIVE or BOOTIMG_PERS_POSIX */
    uint64_t entry;

    /* PT_LOAD segments in ascending, non-overlapping address order. Two
     * segments never share a byte but may share a page; the mapper then
     * gives the page the union of their permissions. */
    unsigned nload;
    ldr_elf_segment_t load[LDR_ELF_MAX_LOAD];
    uint64_t vaddr_min; /* lowest load address, rounded down to a page */
    uint64_t vaddr_max; /* end of the highest segment, rounded up to a page */

    /* For AT_PHDR/AT_PHNUM/AT_PHENT. has_phdr_vaddr is false when neither
     * PT_PHDR nor any PT_LOAD maps the program header table. */
    bool has_phdr_vaddr;
    uint64_t phdr_vaddr;
    uint64_t phoff;
    uint16_t phnum;
    uint16_t phentsize;

    bool has_dynamic; /* PT_DYNAMIC: relocations to apply (static-PIE self-relocates) */
    bool has_interp;  /* PT_INTERP: dynamically linked */
    char interp[LDR_ELF_INTERP_MAX]; /* NUL-terminated copy, "" without PT_INTERP */

    bool has_gnu_stack;   /* without PT_GNU_STACK the stack's flags are the ABI default */
    uint32_t stack_flags; /* LDR_PF_* from PT_GNU_STACK */

    bool has_tls;
    ldr_elf_tls_t tls;
} ldr_elf_info_t;

/*
 * Validates `image` and fills *info. Returns 0, LDR_EFORMAT (no ELF
 * magic), LDR_ECORRUPT or LDR_EUNSUPPORTED (32-bit, big-endian, another
 * machine, relocatable object, too many segments, long interpreter path,
 * unknown OS ABI), with *why set on failure. A dynamically linked program
 * parses successfully with has_interp set: refusing it is the caller's call.
 */
int ldr_elf_parse(const void *image, size_t size, ldr_elf_info_t *info, const char **why);

/* True when some PT_LOAD holds [vaddr, vaddr + len) entirely in memory. */
bool ldr_elf_contains(const ldr_elf_info_t *info, uint64_t vaddr, uint64_t len);

#endif
