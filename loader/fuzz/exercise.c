/*
 * Parser drivers with invariant checks (see exercise.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <loader/bootimg.h>
#include <loader/com.h>
#include <loader/detect.h>
#include <loader/elf64.h>
#include <loader/mz.h>
#include <loader/ne.h>

#include "exercise.h"

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                   \
        }                                                                              \
    } while (0)

static int check_failure(int rc, const char *why)
{
    CHECK(rc == LDR_EFORMAT || rc == LDR_ECORRUPT || rc == LDR_EUNSUPPORTED);
    CHECK(why != NULL && why[0] != '\0');
    return rc;
}

static bool in_file(uint64_t off, uint64_t len, size_t size)
{
    return off <= size && len <= size - off;
}

int exercise_elf(const uint8_t *data, size_t size)
{
    ldr_elf_info_t info;
    const char *why = NULL;
    int rc = ldr_elf_parse(data, size, &info, &why);

    if (rc != LDR_OK)
        return check_failure(rc, why);
    CHECK(info.nload >= 1 && info.nload <= LDR_ELF_MAX_LOAD);
    for (unsigned i = 0; i < info.nload; i++) {
        const ldr_elf_segment_t *s = &info.load[i];
        CHECK(s->filesz <= s->memsz);
        CHECK(in_file(s->offset, s->filesz, size));
        CHECK(s->memsz <= UINT64_MAX - s->vaddr);
        CHECK((s->vaddr - s->offset) % LDR_ELF_PAGE == 0);
        CHECK(s->vaddr >= info.vaddr_min && s->vaddr + s->memsz <= info.vaddr_max);
        if (i > 0)
            CHECK(info.load[i - 1].vaddr + info.load[i - 1].memsz <= s->vaddr);
        if (info.type == LDR_ET_EXEC)
            CHECK(s->vaddr + s->memsz <= LDR_ELF_USER_END);
    }
    CHECK(info.vaddr_max - info.vaddr_min <= LDR_ELF_USER_END);
    CHECK(in_file(info.phoff, (uint64_t)info.phnum * LDR_ELF_PHDR_SIZE, size));
    if (info.has_entry)
        CHECK(ldr_elf_contains(&info, info.entry, 1));
    if (info.has_phdr_vaddr)
        CHECK(ldr_elf_contains(&info, info.phdr_vaddr, (uint64_t)info.phnum * 56));
    CHECK(strlen(info.interp) < LDR_ELF_INTERP_MAX);
    CHECK(info.has_interp == (info.interp[0] != '\0'));
    if (info.has_tls) {
        CHECK(info.tls.filesz <= info.tls.memsz);
        CHECK(in_file(info.tls.offset, info.tls.filesz, size));
    }
    CHECK(info.personality == 1 || info.personality == 2);
    return rc;
}

int exercise_mz(const uint8_t *data, size_t size)
{
    ldr_mz_info_t mz;
    ldr_com_info_t com;
    const char *why = NULL;

    if (ldr_com_parse(data, size, &com, &why) == LDR_OK)
        CHECK(com.size == size && size >= 1 && size <= LDR_COM_MAX);
    why = NULL;
    ldr_detect(data, size, "FUZZ.COM", &why);
    ldr_detect(data, size, NULL, &why);

    why = NULL;
    int rc = ldr_mz_parse(data, size, &mz, &why);
    if (rc != LDR_OK)
        return check_failure(rc, why);
    CHECK(mz.load_offset == mz.header_size);
    CHECK(in_file(mz.load_offset, mz.load_size, size));
    CHECK(mz.load_size > 0);
    CHECK(in_file(mz.reloc_offset, (uint64_t)mz.nrelocs * 4, size));
    for (uint32_t i = 0; i < mz.nrelocs; i++) {
        ldr_mz_reloc_t r;
        CHECK(ldr_mz_reloc(data, size, &mz, i, &r) == LDR_OK);
        CHECK((uint32_t)r.segment * 16 + r.offset + 2 <= mz.load_size);
    }
    ldr_mz_reloc_t r;
    CHECK(ldr_mz_reloc(data, size, &mz, mz.nrelocs, &r) == LDR_ENOENT);
    CHECK((uint32_t)mz.cs * 16 + mz.ip < mz.load_size);
    if (mz.has_new_header)
        CHECK(in_file(mz.new_offset, 2, size));
    return rc;
}

static void walk_names(const ldr_ne_info_t *ne, enum ldr_ne_names which)
{
    char name[LDR_NE_NAME_MAX];
    uint16_t ord;
    uint32_t cursor = 0, prev = 0;

    while (ldr_ne_name_next(ne, which, &cursor, name, &ord) == LDR_OK) {
        CHECK(cursor > prev);
        CHECK(strlen(name) < LDR_NE_NAME_MAX);
        prev = cursor;
    }
}

int exercise_ne(const uint8_t *data, size_t size)
{
    ldr_ne_info_t ne;
    const char *why = NULL;
    char name[LDR_NE_NAME_MAX];
    int rc = ldr_ne_parse(data, size, &ne, &why);

    if (rc != LDR_OK)
        return check_failure(rc, why);
    for (unsigned s = 1; s <= ne.nsegments; s++) {
        ldr_ne_segment_t seg;
        CHECK(ldr_ne_segment(&ne, s, &seg) == LDR_OK);
        CHECK(in_file(seg.file_offset, seg.file_size, size));
        CHECK(seg.min_alloc >= seg.file_size && seg.min_alloc <= 0x10000);
        CHECK(in_file(seg.reloc_offset, (uint64_t)seg.nrelocs * 8, size));
        for (unsigned i = 0; i < seg.nrelocs; i++) {
            ldr_ne_reloc_t r;
            uint32_t n;
            CHECK(ldr_ne_reloc(&ne, s, i, &r) == LDR_OK);
            if (r.target == LDR_NE_TGT_IMPORTNAME) {
                CHECK(ldr_ne_imported_name(&ne, r.name_offset, name) == LDR_OK);
                CHECK(r.module >= 1 && r.module <= ne.nmodules);
            }
            if (r.target == LDR_NE_TGT_IMPORTORD)
                CHECK(r.module >= 1 && r.module <= ne.nmodules);
            if (ldr_ne_chain_length(&ne, s, &r, &n, &why) == LDR_OK)
                CHECK(n >= 1 && n <= seg.file_size);
        }
    }
    for (unsigned m = 1; m <= ne.nmodules; m++)
        CHECK(ldr_ne_module_name(&ne, m, name) == LDR_OK);
    walk_names(&ne, LDR_NE_RESIDENT);
    walk_names(&ne, LDR_NE_NONRESIDENT);
    for (uint32_t o = 0; o <= (uint32_t)ne.nentries + 1; o++) {
        ldr_ne_entry_t e;
        if (ldr_ne_entry(&ne, (uint16_t)o, &e) == LDR_OK && e.segment != 0xFE)
            CHECK(e.segment >= 1 && e.segment <= ne.nsegments);
    }
    ldr_ne_resource_t res;
    uint32_t cursor = 0;
    while (ldr_ne_resource_next(&ne, &cursor, &res) == LDR_OK)
        CHECK(in_file(res.file_offset, res.size, size));
    return rc;
}

int exercise_bootimg(const uint8_t *data, size_t size)
{
    ldr_bootimg_t img;
    ldr_bootimg_ent_t e, again, child;
    const char *why = NULL;
    int rc = ldr_bootimg_open(data, size, &img, &why);

    if (rc != LDR_OK)
        return check_failure(rc, why);
    for (uint32_t i = 0; ldr_bootimg_get(&img, i, &e) == LDR_OK; i++) {
        CHECK(i < img.count);
        CHECK(e.path[0] == '/' && strlen(e.path) < LDR_BOOTIMG_PATH_MAX);
        if (e.size)
            CHECK(in_file(e.data_offset, e.size, size) && e.data_offset % BOOTIMG_ALIGN == 0);
        CHECK(ldr_bootimg_lookup(&img, e.path, &again) == LDR_OK && again.index == i);
        if (e.type != BOOTIMG_DIR)
            continue;
        uint32_t cursor = 0, seen = 0;
        while (ldr_bootimg_next_child(&img, e.path, &cursor, &child) == LDR_OK) {
            CHECK(child.index > i && ++seen <= img.count);
        }
    }
    uint32_t cursor = 0, seen = 0;
    while (ldr_bootimg_next_child(&img, "/", &cursor, &child) == LDR_OK)
        CHECK(++seen <= img.count);
    return rc;
}

void exercise_all(const uint8_t *data, size_t size)
{
    exercise_elf(data, size);
    exercise_mz(data, size);
    exercise_ne(data, size);
    exercise_bootimg(data, size);
}
