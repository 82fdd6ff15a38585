/*
 * Section objects (see section.h): creation with up-front quota charge,
 * lazy page allocation, and destruction when the last handle and the last
 * mapping are gone (each mapping region holds a reference).
 */
#include "section.h"

static void section_destroy(ob_header_t *obj)
{
    section_t *s = container_of(obj, section_t, hdr);

    for (uint64_t i = 0; i < s->npages && !s->borrowed; i++) {
        if (s->pages[i])
            frame_unref(s->pages[i]);
    }
    quota_uncharge(s->quota, s->npages);
    quota_unref(s->quota);
    kfree(s->pages);
    kfree(s);
}

const ob_type_t section_type = {
    .name = "Section",
    .valid_rights = H_QUERY | H_READ | H_WRITE | H_MAP | H_DUPLICATE,
    .destroy = section_destroy,
    .id = OBJ_SECTION,
};

status_t section_create(uint64_t size, quota_t *q, section_t **out)
{
    section_t *s;
    status_t st;

    if (size == 0 || size > SECTION_MAX_SIZE)
        return ST_INVALID_ARGUMENT;
    size = ALIGN_UP(size, PAGE_SIZE);
    st = quota_charge(q, size / PAGE_SIZE);
    if (st != ST_OK)
        return st;
    s = kzalloc(sizeof(*s));
    if (s)
        s->pages = kzalloc(size / PAGE_SIZE * sizeof(uint64_t));
    if (!s || !s->pages) {
        kfree(s);
        quota_uncharge(q, size / PAGE_SIZE);
        return ST_NO_MEMORY;
    }
    ob_init(&s->hdr, &section_type);
    s->size = size;
    s->npages = size / PAGE_SIZE;
    s->quota = q;
    quota_ref(q);
    *out = s;
    return ST_OK;
}

/* Largest device-memory section: 4 MiB. */
#define SECTION_CONTIGUOUS_MAX (4ull << 20)

status_t section_create_contiguous(uint64_t size, quota_t *q, section_t **out, uint64_t *pa)
{
    section_t *s;
    uint64_t first;
    status_t st;

    if (size == 0 || size > SECTION_CONTIGUOUS_MAX)
        return ST_INVALID_ARGUMENT;
    st = section_create(size, q, &s);
    if (st != ST_OK)
        return st;
    first = frame_alloc_run(s->npages);
    if (!first) {
        ob_unref(OB(s));
        return ST_NO_MEMORY;
    }
    for (uint64_t i = 0; i < s->npages; i++)
        s->pages[i] = first + i * PAGE_SIZE;
    *pa = first;
    *out = s;
    return ST_OK;
}

status_t section_page(section_t *s, uint64_t index, uint64_t *pa)
{
    if (index >= s->npages)
        return ST_RANGE;
    if (!s->pages[index]) {
        uint64_t f = frame_alloc(); /* committed at creation */
        if (!f)
            return ST_NO_MEMORY;
        s->pages[index] = f;
    }
    *pa = s->pages[index];
    return ST_OK;
}

status_t section_create_phys(uint64_t pa, uint64_t size, section_t **out)
{
    section_t *s = kzalloc(sizeof(*s));

    if (!s || !size || !IS_ALIGNED(pa, PAGE_SIZE))
        goto fail;
    size = ALIGN_UP(size, PAGE_SIZE);
    s->pages = kzalloc(size / PAGE_SIZE * sizeof(uint64_t));
    if (!s->pages)
        goto fail;
    ob_init(&s->hdr, &section_type);
    s->size = size;
    s->npages = size / PAGE_SIZE;
    s->borrowed = true;
    for (uint64_t i = 0; i < s->npages; i++)
        s->pages[i] = pa + i * PAGE_SIZE;
    *out = s;
    return ST_OK;
fail:
    if (s)
        kfree(s->pages);
    kfree(s);
    return ST_NO_MEMORY;
}
