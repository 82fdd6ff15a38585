/*
 * libelf cross-check of ldr_elf_parse() (see elfcheck.h).
 *
 * libelf reads structure but validates little, so ldr_elf_parse() decides
 * whether an image is acceptable; libelf then independently re-reads the
 * ELF header, the program header table and the notes, and every field that
 * both produce must match.
 *
 * Entry point: elfcheck().
 */
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <loader/persona_note.h>
#include <persona/bootimg.h>

#include "elfcheck.h"

static int say(char *msg, size_t msglen, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, msglen, fmt, ap);
    va_end(ap);
    return rc;
}

/* Looks through one PT_NOTE with libelf's own note iterator. */
static bool libelf_has_persona_note(Elf *elf, const GElf_Phdr *ph, unsigned *pers)
{
    Elf_Type t = ph->p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR;
    Elf_Data *d = elf_getdata_rawchunk(elf, (int64_t)ph->p_offset, ph->p_filesz, t);
    size_t off = 0, name_off, desc_off;
    GElf_Nhdr nh;

    if (!d)
        return false;
    while (off < d->d_size && (off = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
        const char *name = (const char *)d->d_buf + name_off;
        if (nh.n_type == PERSONA_NOTE_TYPE && nh.n_namesz == sizeof(PERSONA_NOTE_NAME) &&
            memcmp(name, PERSONA_NOTE_NAME, sizeof(PERSONA_NOTE_NAME)) == 0 && nh.n_descsz == 4) {
            const unsigned char *desc = (const unsigned char *)d->d_buf + desc_off;
            *pers = desc[0] | desc[1] << 8 | desc[2] << 16 | (unsigned)desc[3] << 24;
            return true;
        }
    }
    return false;
}

static int compare(Elf *elf, const ldr_elf_info_t *info, char *msg, size_t msglen)
{
    GElf_Ehdr eh;
    size_t phnum, nload = 0;
    bool interp = false, noted = false;
    unsigned pers = BOOTIMG_PERS_POSIX;

    if (elf_kind(elf) != ELF_K_ELF || gelf_getclass(elf) != ELFCLASS64 || !gelf_getehdr(elf, &eh))
        return say(msg, msglen, ELFCHECK_LIBELF, "libelf does not read it as ELF64: %s",
                   elf_errmsg(-1));
    if (elf_getphdrnum(elf, &phnum) != 0)
        return say(msg, msglen, ELFCHECK_LIBELF, "libelf cannot count the program headers: %s",
                   elf_errmsg(-1));
    if (eh.e_entry != info->entry || eh.e_type != info->type || phnum != info->phnum ||
        eh.e_phoff != info->phoff || eh.e_ident[EI_OSABI] != info->osabi)
        return say(msg, msglen, ELFCHECK_DIFFER,
                   "libelf and the loader disagree on the ELF header (entry %#llx vs %#llx, "
                   "type %u vs %u, %zu vs %u program headers)",
                   (unsigned long long)eh.e_entry, (unsigned long long)info->entry, eh.e_type,
                   info->type, phnum, info->phnum);

    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(elf, (int)i, &ph))
            return say(msg, msglen, ELFCHECK_LIBELF, "libelf cannot read program header %zu: %s", i,
                       elf_errmsg(-1));
        if (ph.p_type == PT_INTERP)
            interp = true;
        if (ph.p_type == PT_NOTE && !noted)
            noted = libelf_has_persona_note(elf, &ph, &pers);
        if (ph.p_type != PT_LOAD)
            continue;
        if (nload >= info->nload)
            return say(msg, msglen, ELFCHECK_DIFFER, "libelf finds more loadable segments");
        const ldr_elf_segment_t *s = &info->load[nload++];
        if (s->vaddr != ph.p_vaddr || s->memsz != ph.p_memsz || s->offset != ph.p_offset ||
            s->filesz != ph.p_filesz || s->align != ph.p_align ||
            s->flags != (ph.p_flags & (PF_R | PF_W | PF_X)))
            return say(msg, msglen, ELFCHECK_DIFFER,
                       "libelf and the loader disagree on loadable segment %zu "
                       "(vaddr %#llx vs %#llx, memsz %#llx vs %#llx)",
                       nload - 1, (unsigned long long)ph.p_vaddr, (unsigned long long)s->vaddr,
                       (unsigned long long)ph.p_memsz, (unsigned long long)s->memsz);
    }
    if (nload != info->nload)
        return say(msg, msglen, ELFCHECK_DIFFER,
                   "libelf finds %zu loadable segments, the loader %u", nload, info->nload);
    if (interp != info->has_interp)
        return say(msg, msglen, ELFCHECK_DIFFER, "libelf and the loader disagree on PT_INTERP");
    if (pers != info->personality)
        return say(msg, msglen, ELFCHECK_DIFFER,
                   "libelf finds personality %u in the notes, the loader %u", pers,
                   info->personality);
    return 0;
}

int elfcheck(const void *image, size_t size, ldr_elf_info_t *info, char *msg, size_t msglen)
{
    const char *why = "";
    int rc = ldr_elf_parse(image, size, info, &why);

    if (rc != LDR_OK)
        return say(msg, msglen, rc, "%s", why);
    if (elf_version(EV_CURRENT) == EV_NONE)
        return say(msg, msglen, ELFCHECK_LIBELF, "libelf is too old: %s", elf_errmsg(-1));

    /* elf_memory() wants a writable buffer; give it a private copy. */
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return say(msg, msglen, ELFCHECK_LIBELF, "out of memory");
    memcpy(copy, image, size);
    Elf *elf = elf_memory(copy, size);
    if (!elf) {
        free(copy);
        return say(msg, msglen, ELFCHECK_LIBELF, "libelf cannot open it: %s", elf_errmsg(-1));
    }
    rc = compare(elf, info, msg, msglen);
    elf_end(elf);
    free(copy);
    return rc;
}
