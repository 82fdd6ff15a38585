/*
 * ELF64 x86_64 executable parser (see <loader/elf64.h>).
 *
 * The ELF header is checked first, then every program header in one pass
 * that validates each against the file and against the PT_LOADs seen so
 * far, then what needs the whole table (entry point, AT_PHDR, TLS,
 * personality). Each test guards the next read: ranges are checked with
 * ldr_range_ok() before any byte in them is read, and address arithmetic
 * is checked for wrap-around before it is done.
 *
 * Entry points: ldr_elf_parse(), ldr_elf_contains().
 */
#include <string.h>

#include <loader/elf64.h>
#include <loader/persona_note.h>
#include <persona/bootimg.h>

#include "util.h"

/* e_ident indices and offsets of the ELF64 header and program header fields. */
enum {
    EI_CLASS = 4,
    EI_DATA = 5,
    EI_VERSION = 6,
    EI_OSABI = 7,
    ELFCLASS32 = 1,
    ELFCLASS64 = 2,
    ELFDATA2LSB = 1,
    ELFDATA2MSB = 2,
    ET_REL = 1,
    ET_CORE = 4,
    PN_XNUM = 0xffff,
};

typedef struct phdr {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t filesz;
    uint64_t memsz;
    uint64_t align;
} phdr_t;

static void read_phdr(const uint8_t *ph, phdr_t *out)
{
    out->type = ldr_le32(ph + 0);
    out->flags = ldr_le32(ph + 4);
    out->offset = ldr_le64(ph + 8);
    out->vaddr = ldr_le64(ph + 16);
    /* p_paddr (ph + 24) means nothing to a user-mode loader. */
    out->filesz = ldr_le64(ph + 32);
    out->memsz = ldr_le64(ph + 40);
    out->align = ldr_le64(ph + 48);
}

static int check_header(const uint8_t *p, size_t size, ldr_elf_info_t *info, const char **why)
{
    if (size < 4 || memcmp(p, "\177ELF", 4) != 0)
        return ldr_fail(why, LDR_EFORMAT, "no ELF magic number");
    if (size < LDR_ELF_EHDR_SIZE)
        return ldr_fail(why, LDR_ECORRUPT, "file is shorter than the ELF header");
    if (p[EI_CLASS] == ELFCLASS32)
        return ldr_fail(why, LDR_EUNSUPPORTED, "32-bit ELF files are not supported");
    if (p[EI_CLASS] != ELFCLASS64)
        return ldr_fail(why, LDR_ECORRUPT, "unknown ELF class");
    if (p[EI_DATA] == ELFDATA2MSB)
        return ldr_fail(why, LDR_EUNSUPPORTED, "big-endian ELF files are not supported");
    if (p[EI_DATA] != ELFDATA2LSB)
        return ldr_fail(why, LDR_ECORRUPT, "unknown ELF data encoding");
    if (p[EI_VERSION] != 1)
        return ldr_fail(why, LDR_ECORRUPT, "unknown ELF identification version");

    uint16_t type = ldr_le16(p + 16);
    uint16_t machine = ldr_le16(p + 18);
    uint32_t version = ldr_le32(p + 20);
    uint16_t ehsize = ldr_le16(p + 52);

    if (type == ET_REL)
        return ldr_fail(why, LDR_EUNSUPPORTED, "relocatable object files cannot be run");
    if (type == ET_CORE)
        return ldr_fail(why, LDR_EUNSUPPORTED, "core dumps cannot be run");
    if (type != LDR_ET_EXEC && type != LDR_ET_DYN)
        return ldr_fail(why, LDR_EUNSUPPORTED, "ELF file type is not an executable");
    if (machine != LDR_EM_X86_64)
        return ldr_fail(why, LDR_EUNSUPPORTED, "ELF machine is not x86_64");
    if (version != 1)
        return ldr_fail(why, LDR_ECORRUPT, "unknown ELF version");
    if (ehsize < LDR_ELF_EHDR_SIZE)
        return ldr_fail(why, LDR_ECORRUPT, "ELF header size field is too small");

    info->type = type;
    info->pie = type == LDR_ET_DYN;
    info->osabi = p[EI_OSABI];
    info->entry = ldr_le64(p + 24);
    info->phoff = ldr_le64(p + 32);
    info->phentsize = ldr_le16(p + 54);
    info->phnum = ldr_le16(p + 56);

    if (info->phnum == 0)
        return ldr_fail(why, LDR_ECORRUPT, "no program headers");
    if (info->phnum == PN_XNUM)
        return ldr_fail(why, LDR_EUNSUPPORTED,
                        "extended program header numbering is not supported");
    if (info->phentsize != LDR_ELF_PHDR_SIZE)
        return ldr_fail(why, LDR_ECORRUPT, "program header entry size is not 56");
    /* gABI: e_phoff 0 means "no program header table"; anything below 64
     * would have the table overlap the ELF header. */
    if (info->phoff < LDR_ELF_EHDR_SIZE)
        return ldr_fail(why, LDR_ECORRUPT, "program header table overlaps the ELF header");
    /* phnum < 0xffff, so the product cannot overflow. */
    if (!ldr_range_ok(info->phoff, (uint64_t)info->phnum * LDR_ELF_PHDR_SIZE, size))
        return ldr_fail(why, LDR_ECORRUPT, "program header table extends past end of file");
    return LDR_OK;
}

/* Offset of a note's descriptor, and of the next note, from the note's
 * start: the name and the descriptor each end on the segment's alignment
 * (4, or 8 for the GNU property notes). The values fit in 64 bits since
 * namesz and descsz are 32-bit. */
static uint64_t align_up(uint64_t x, uint64_t a)
{
    return (x + a - 1) & ~(a - 1);
}

static int parse_notes(const uint8_t *p, uint64_t len, uint64_t align, ldr_elf_info_t *info,
                       bool *found, const char **why)
{
    uint64_t a = align == 8 ? 8 : 4;
    uint64_t off = 0;

    /* Each note is at least 12 bytes, so the loop ends. Fewer than 12
     * bytes at the end are padding. */
    while (len - off >= 12) {
        const uint8_t *n = p + off;
        uint32_t namesz = ldr_le32(n);
        uint32_t descsz = ldr_le32(n + 4);
        uint32_t type = ldr_le32(n + 8);
        uint64_t desc_off = align_up(12 + (uint64_t)namesz, a);
        uint64_t next = align_up(desc_off + descsz, a);

        if (desc_off > len - off)
            return ldr_fail(why, LDR_ECORRUPT, "note name extends past the end of its segment");
        if (descsz > len - off - desc_off)
            return ldr_fail(why, LDR_ECORRUPT,
                            "note descriptor extends past the end of its segment");

        if (namesz == sizeof(PERSONA_NOTE_NAME) &&
            memcmp(n + 12, PERSONA_NOTE_NAME, sizeof(PERSONA_NOTE_NAME)) == 0 &&
            type == PERSONA_NOTE_TYPE) {
            if (descsz != 4)
                return ldr_fail(why, LDR_ECORRUPT, "Persona note descriptor is not 4 bytes");
            if (*found)
                return ldr_fail(why, LDR_ECORRUPT, "more than one Persona note");
            uint32_t pers = ldr_le32(n + desc_off);
            if (pers != BOOTIMG_PERS_NATIVE && pers != BOOTIMG_PERS_POSIX)
                return ldr_fail(why, LDR_EUNSUPPORTED,
                                "Persona note names a personality ELF programs cannot have");
            info->personality = (uint16_t)pers;
            *found = true;
        }
        /* The last note's padding may lie past the segment's end. */
        if (next > len - off)
            break;
        off += next;
    }
    return LDR_OK;
}

static int add_load(const phdr_t *ph, size_t size, ldr_elf_info_t *info, const char **why)
{
    if (info->nload == LDR_ELF_MAX_LOAD)
        return ldr_fail(why, LDR_EUNSUPPORTED, "more than 16 loadable segments");
    if (ph->filesz > ph->memsz)
        return ldr_fail(why, LDR_ECORRUPT, "loadable segment is larger in the file than in memory");
    if (!ldr_range_ok(ph->offset, ph->filesz, size))
        return ldr_fail(why, LDR_ECORRUPT, "loadable segment extends past end of file");
    if (ph->memsz > UINT64_MAX - ph->vaddr)
        return ldr_fail(why, LDR_ECORRUPT, "loadable segment wraps around the address space");
    if (ph->align > 1 && !ldr_is_pow2(ph->align))
        return ldr_fail(why, LDR_ECORRUPT, "segment alignment is not a power of two");
    if (ph->align > 1 && (ph->vaddr - ph->offset) % ph->align != 0)
        return ldr_fail(why, LDR_ECORRUPT,
                        "segment address and file offset disagree modulo the alignment");
    if ((ph->vaddr - ph->offset) % LDR_ELF_PAGE != 0)
        return ldr_fail(why, LDR_ECORRUPT,
                        "segment address and file offset disagree modulo the page size");
    if (info->type == LDR_ET_EXEC && ph->vaddr + ph->memsz > LDR_ELF_USER_END)
        return ldr_fail(why, LDR_EUNSUPPORTED,
                        "loadable segment lies outside the user half of the address space");
    if (info->nload > 0) {
        const ldr_elf_segment_t *prev = &info->load[info->nload - 1];
        if (ph->vaddr < prev->vaddr)
            return ldr_fail(why, LDR_ECORRUPT,
                            "loadable segments are not in ascending address order");
        if (ph->vaddr - prev->vaddr < prev->memsz)
            return ldr_fail(why, LDR_ECORRUPT, "loadable segments overlap");
    }

    ldr_elf_segment_t *seg = &info->load[info->nload++];
    seg->vaddr = ph->vaddr;
    seg->memsz = ph->memsz;
    seg->offset = ph->offset;
    seg->filesz = ph->filesz;
    seg->align = ph->align;
    seg->flags = ph->flags & (LDR_PF_R | LDR_PF_W | LDR_PF_X);
    return LDR_OK;
}

static int set_interp(const uint8_t *p, const phdr_t *ph, size_t size, ldr_elf_info_t *info,
                      const char **why)
{
    if (info->has_interp)
        return ldr_fail(why, LDR_ECORRUPT, "more than one PT_INTERP");
    if (!ldr_range_ok(ph->offset, ph->filesz, size))
        return ldr_fail(why, LDR_ECORRUPT, "interpreter path extends past end of file");
    if (ph->filesz == 0 || p[ph->offset] == '\0')
        return ldr_fail(why, LDR_ECORRUPT, "interpreter path is empty");
    if (p[ph->offset + ph->filesz - 1] != '\0')
        return ldr_fail(why, LDR_ECORRUPT, "interpreter path is not NUL-terminated");
    if (ph->filesz > LDR_ELF_INTERP_MAX)
        return ldr_fail(why, LDR_EUNSUPPORTED, "interpreter path is too long");
    /* Like the kernels that run these programs, stop at the first NUL. */
    size_t n = 0;
    while (p[ph->offset + n] != '\0')
        n++;
    memcpy(info->interp, p + ph->offset, n);
    info->interp[n] = '\0';
    info->has_interp = true;
    return LDR_OK;
}

static int set_tls(const phdr_t *ph, size_t size, ldr_elf_info_t *info, const char **why)
{
    if (info->has_tls)
        return ldr_fail(why, LDR_ECORRUPT, "more than one PT_TLS");
    if (ph->filesz > ph->memsz)
        return ldr_fail(why, LDR_ECORRUPT, "TLS template is larger in the file than in memory");
    if (!ldr_range_ok(ph->offset, ph->filesz, size))
        return ldr_fail(why, LDR_ECORRUPT, "TLS template extends past end of file");
    if (ph->memsz > UINT64_MAX - ph->vaddr)
        return ldr_fail(why, LDR_ECORRUPT, "TLS segment wraps around the address space");
    if (ph->align > 1 && !ldr_is_pow2(ph->align))
        return ldr_fail(why, LDR_ECORRUPT, "TLS alignment is not a power of two");
    info->has_tls = true;
    info->tls.vaddr = ph->vaddr;
    info->tls.offset = ph->offset;
    info->tls.filesz = ph->filesz;
    info->tls.memsz = ph->memsz;
    info->tls.align = ph->align;
    return LDR_OK;
}

static int walk_phdrs(const uint8_t *p, size_t size, ldr_elf_info_t *info, bool *noted,
                      phdr_t *pt_phdr, const char **why)
{
    bool seen_phdr = false;

    for (unsigned i = 0; i < info->phnum; i++) {
        phdr_t ph;
        int rc = LDR_OK;

        read_phdr(p + info->phoff + (uint64_t)i * LDR_ELF_PHDR_SIZE, &ph);
        switch (ph.type) {
        case LDR_PT_LOAD:
            rc = add_load(&ph, size, info, why);
            break;
        case LDR_PT_INTERP:
            rc = set_interp(p, &ph, size, info, why);
            break;
        case LDR_PT_PHDR:
            /* gABI: at most one, and before every loadable segment. */
            if (seen_phdr)
                return ldr_fail(why, LDR_ECORRUPT, "more than one PT_PHDR");
            if (info->nload > 0)
                return ldr_fail(why, LDR_ECORRUPT, "PT_PHDR follows a loadable segment");
            seen_phdr = true;
            *pt_phdr = ph;
            break;
        case LDR_PT_TLS:
            rc = set_tls(&ph, size, info, why);
            break;
        case LDR_PT_DYNAMIC:
            if (!ldr_range_ok(ph.offset, ph.filesz, size))
                return ldr_fail(why, LDR_ECORRUPT, "dynamic section extends past end of file");
            info->has_dynamic = true;
            break;
        case LDR_PT_NOTE:
            if (!ldr_range_ok(ph.offset, ph.filesz, size))
                return ldr_fail(why, LDR_ECORRUPT, "note segment extends past end of file");
            rc = parse_notes(p + ph.offset, ph.filesz, ph.align, info, noted, why);
            break;
        case LDR_PT_GNU_STACK:
            info->has_gnu_stack = true;
            info->stack_flags = ph.flags & (LDR_PF_R | LDR_PF_W | LDR_PF_X);
            break;
        default:
            /* PT_GNU_RELRO, PT_GNU_EH_FRAME, PT_GNU_PROPERTY, ...: nothing to check. */
            break;
        }
        if (rc != LDR_OK)
            return rc;
    }
    return LDR_OK;
}

bool ldr_elf_contains(const ldr_elf_info_t *info, uint64_t vaddr, uint64_t len)
{
    for (unsigned i = 0; i < info->nload && i < LDR_ELF_MAX_LOAD; i++) {
        const ldr_elf_segment_t *s = &info->load[i];
        if (vaddr >= s->vaddr && vaddr - s->vaddr <= s->memsz &&
            len <= s->memsz - (vaddr - s->vaddr))
            return true;
    }
    return false;
}

/* Finds where the program header table is in memory, for AT_PHDR: PT_PHDR
 * says so directly; otherwise a PT_LOAD whose file range holds the table
 * maps it. */
static int find_phdr_vaddr(const phdr_t *pt_phdr, ldr_elf_info_t *info, const char **why)
{
    uint64_t len = (uint64_t)info->phnum * LDR_ELF_PHDR_SIZE;

    if (pt_phdr->type == LDR_PT_PHDR) {
        if (pt_phdr->offset != info->phoff || pt_phdr->filesz < len)
            return ldr_fail(why, LDR_ECORRUPT,
                            "PT_PHDR disagrees with the ELF header about the program headers");
        if (!ldr_elf_contains(info, pt_phdr->vaddr, len))
            return ldr_fail(why, LDR_ECORRUPT, "PT_PHDR is not inside a loadable segment");
        info->has_phdr_vaddr = true;
        info->phdr_vaddr = pt_phdr->vaddr;
        return LDR_OK;
    }
    for (unsigned i = 0; i < info->nload; i++) {
        const ldr_elf_segment_t *s = &info->load[i];
        if (info->phoff >= s->offset && info->phoff - s->offset <= s->filesz &&
            len <= s->filesz - (info->phoff - s->offset)) {
            info->has_phdr_vaddr = true;
            info->phdr_vaddr = s->vaddr + (info->phoff - s->offset);
            return LDR_OK;
        }
    }
    return LDR_OK;
}

static int check_layout(ldr_elf_info_t *info, const char **why)
{
    const ldr_elf_segment_t *first = &info->load[0];
    const ldr_elf_segment_t *last = &info->load[info->nload - 1];
    uint64_t end = last->vaddr + last->memsz; /* checked not to wrap in add_load() */

    if (end > UINT64_MAX - (LDR_ELF_PAGE - 1))
        return ldr_fail(why, LDR_ECORRUPT, "loadable segment wraps around the address space");
    info->vaddr_min = first->vaddr & ~(uint64_t)(LDR_ELF_PAGE - 1);
    info->vaddr_max = align_up(end, LDR_ELF_PAGE);
    /* A PIE is moved as a whole, so only its extent has to fit. */
    if (info->vaddr_max - info->vaddr_min > LDR_ELF_USER_END)
        return ldr_fail(why, LDR_EUNSUPPORTED,
                        "loadable segments span more than the user address space");

    if (info->type == LDR_ET_DYN && info->entry == 0) {
        info->has_entry = false;
    } else {
        const ldr_elf_segment_t *hit = NULL;
        for (unsigned i = 0; i < info->nload && !hit; i++) {
            const ldr_elf_segment_t *s = &info->load[i];
            if (info->entry >= s->vaddr && info->entry - s->vaddr < s->memsz)
                hit = s;
        }
        if (!hit)
            return ldr_fail(why, LDR_ECORRUPT, "entry point is outside every loadable segment");
        if (!(hit->flags & LDR_PF_X))
            return ldr_fail(why, LDR_ECORRUPT,
                            "entry point is in a segment that is not executable");
        info->has_entry = true;
    }

    if (info->has_tls && !ldr_elf_contains(info, info->tls.vaddr, info->tls.filesz))
        return ldr_fail(why, LDR_ECORRUPT, "TLS template is not inside a loadable segment");
    return LDR_OK;
}

int ldr_elf_parse(const void *image, size_t size, ldr_elf_info_t *info, const char **why)
{
    const uint8_t *p = image;
    bool noted = false;
    phdr_t pt_phdr = {0}; /* type stays 0 without a PT_PHDR */
    int rc;

    memset(info, 0, sizeof(*info));
    rc = check_header(p, size, info, why);
    if (rc == LDR_OK)
        rc = walk_phdrs(p, size, info, &noted, &pt_phdr, why);
    if (rc == LDR_OK && info->nload == 0)
        rc = ldr_fail(why, LDR_ECORRUPT, "no loadable segments");
    if (rc == LDR_OK)
        rc = check_layout(info, why);
    if (rc == LDR_OK)
        rc = find_phdr_vaddr(&pt_phdr, info, why);
    if (rc == LDR_OK && !noted) {
        if (info->osabi != LDR_ELFOSABI_SYSV && info->osabi != LDR_ELFOSABI_LINUX)
            rc = ldr_fail(why, LDR_EUNSUPPORTED, "ELF OS ABI is neither System V nor GNU/Linux");
        info->personality = BOOTIMG_PERS_POSIX;
    }
    return rc;
}
