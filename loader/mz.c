/*
 * DOS MZ executables (see <loader/mz.h>).
 *
 * The load module's size is what DOS computes: e_cp pages of 512 bytes,
 * the last one holding only e_cblp bytes when e_cblp is not 0, minus the
 * header. Every relocation is checked once here, so that the DOS server
 * can patch the image without re-checking each target.
 *
 * Entry points: ldr_mz_parse(), ldr_mz_reloc().
 */
#include <string.h>

#include <loader/mz.h>

#include "util.h"

static void read_header(const uint8_t *p, size_t size, ldr_mz_header_t *h)
{
    uint16_t *const word[] = {&h->e_magic,   &h->e_cblp,     &h->e_cp,       &h->e_crlc,
                              &h->e_cparhdr, &h->e_minalloc, &h->e_maxalloc, &h->e_ss,
                              &h->e_sp,      &h->e_csum,     &h->e_ip,       &h->e_cs,
                              &h->e_lfarlc,  &h->e_ovno};

    memset(h, 0, sizeof(*h));
    for (unsigned i = 0; i < sizeof(word) / sizeof(word[0]); i++)
        *word[i] = ldr_le16(p + 2 * i);
    if (size < LDR_MZ_HDR_FULL)
        return;
    for (unsigned i = 0; i < 4; i++)
        h->e_res[i] = ldr_le16(p + 28 + 2 * i);
    h->e_oemid = ldr_le16(p + 36);
    h->e_oeminfo = ldr_le16(p + 38);
    for (unsigned i = 0; i < 10; i++)
        h->e_res2[i] = ldr_le16(p + 40 + 2 * i);
    h->e_lfanew = ldr_le32(p + 60);
}

/* Relocation targets and the entry point are segment:offset pairs
 * relative to the load segment; the word they name must be loaded. */
static bool in_module(const ldr_mz_info_t *info, uint16_t seg, uint16_t off, uint32_t len)
{
    uint32_t at = (uint32_t)seg * 16 + off;
    return ldr_range_ok(at, len, info->load_size);
}

static void find_new_header(const uint8_t *p, size_t size, ldr_mz_info_t *info)
{
    const ldr_mz_header_t *h = &info->hdr;

    if (size < LDR_MZ_HDR_FULL || h->e_lfarlc < 0x40 || h->e_lfanew < LDR_MZ_HDR_FULL ||
        !ldr_range_ok(h->e_lfanew, 2, size))
        return;
    info->has_new_header = true;
    info->new_offset = h->e_lfanew;
    info->new_magic[0] = (char)p[h->e_lfanew];
    info->new_magic[1] = (char)p[h->e_lfanew + 1];
}

int ldr_mz_parse(const void *image, size_t size, ldr_mz_info_t *info, const char **why)
{
    const uint8_t *p = image;
    ldr_mz_header_t *h = &info->hdr;

    memset(info, 0, sizeof(*info));
    if (size < 2 || !((p[0] == 'M' && p[1] == 'Z') || (p[0] == 'Z' && p[1] == 'M')))
        return ldr_fail(why, LDR_EFORMAT, "no MZ signature");
    if (size < LDR_MZ_HDR_MIN)
        return ldr_fail(why, LDR_ECORRUPT, "file is shorter than the MZ header");
    read_header(p, size, h);

    if (h->e_cp == 0)
        return ldr_fail(why, LDR_ECORRUPT, "MZ header gives the image no pages");
    if (h->e_cblp > 512)
        return ldr_fail(why, LDR_ECORRUPT, "MZ last-page byte count is larger than a page");
    info->image_size = (uint32_t)h->e_cp * 512;
    if (h->e_cblp != 0)
        info->image_size -= 512 - h->e_cblp;
    info->header_size = (uint32_t)h->e_cparhdr * 16;
    if (info->header_size < LDR_MZ_HDR_MIN)
        return ldr_fail(why, LDR_ECORRUPT, "MZ header size is smaller than the header");
    if (info->header_size > size)
        return ldr_fail(why, LDR_ECORRUPT, "MZ header extends past end of file");
    if (info->header_size > info->image_size)
        return ldr_fail(why, LDR_ECORRUPT, "MZ header is larger than the image it heads");
    if (info->image_size > size)
        return ldr_fail(why, LDR_ECORRUPT, "MZ load module extends past end of file");
    info->load_offset = info->header_size;
    info->load_size = info->image_size - info->header_size;
    info->extra_size = (uint32_t)(size - info->image_size);
    if (info->load_size == 0)
        return ldr_fail(why, LDR_ECORRUPT, "MZ load module is empty");

    info->reloc_offset = h->e_lfarlc;
    info->nrelocs = h->e_crlc;
    if (!ldr_range_ok(info->reloc_offset, (uint64_t)info->nrelocs * 4, size))
        return ldr_fail(why, LDR_ECORRUPT, "MZ relocation table outside the file");
    for (uint32_t i = 0; i < info->nrelocs; i++) {
        const uint8_t *r = p + info->reloc_offset + 4 * i;
        if (!in_module(info, ldr_le16(r + 2), ldr_le16(r), 2))
            return ldr_fail(why, LDR_ECORRUPT, "MZ relocation points outside the load module");
    }

    info->cs = h->e_cs;
    info->ip = h->e_ip;
    info->ss = h->e_ss;
    info->sp = h->e_sp;
    if (!in_module(info, h->e_cs, h->e_ip, 1))
        return ldr_fail(why, LDR_ECORRUPT, "MZ entry point lies outside the load module");

    uint32_t module_paras = (info->load_size + 15) / 16;
    uint32_t max = module_paras + h->e_maxalloc;
    info->min_paras = module_paras + h->e_minalloc;
    info->max_paras = max > 0xFFFF ? 0xFFFF : max;
    if (info->max_paras < info->min_paras)
        info->max_paras = info->min_paras;

    find_new_header(p, size, info);
    return LDR_OK;
}

int ldr_mz_reloc(const void *image, size_t size, const ldr_mz_info_t *info, uint32_t i,
                 ldr_mz_reloc_t *out)
{
    const uint8_t *p = image;

    /* Re-checked so that a mismatched image and info cannot read outside. */
    if (i >= info->nrelocs || !ldr_range_ok(info->reloc_offset + (uint64_t)i * 4, 4, size))
        return LDR_ENOENT;
    out->offset = ldr_le16(p + info->reloc_offset + 4 * i);
    out->segment = ldr_le16(p + info->reloc_offset + 4 * i + 2);
    return LDR_OK;
}
