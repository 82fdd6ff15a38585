/*
 * Programs the kernel starts itself, from the boot image: the first process
 * and the in-kernel test runner's programs. Only native ELF programs; every
 * other kind is started by its personality's server.
 */
#include "bootfs.h"
#include "section.h"
#include <loader/bootimg.h>
#include <string.h>

static ldr_bootimg_t bootimg;
static bool have_bootimg;
static uint64_t bootimg_pa, bootimg_size;

void bootfs_init(uint64_t pa, uint64_t size)
{
    const char *why = NULL;

    if (!size) {
        kprintf("bootfs: no boot image was loaded (QEMU -initrd)\n");
        return;
    }
    if (ldr_bootimg_open(phys_to_virt(pa), size, &bootimg, &why) != LDR_OK) {
        kprintf("bootfs: the boot image is unusable: %s\n", why ? why : "?");
        return;
    }
    have_bootimg = true;
    bootimg_pa = pa;
    bootimg_size = size;
    kprintf("bootfs: %u entries, %llu KiB\n", bootimg.count, (unsigned long long)(size >> 10));
}

status_t bootfs_lookup(const char *path, const void **data, size_t *size, uint32_t *personality)
{
    ldr_bootimg_ent_t e;

    if (!have_bootimg)
        return ST_NOT_FOUND;
    if (ldr_bootimg_lookup(&bootimg, path, &e) != LDR_OK)
        return ST_NOT_FOUND;
    if (e.type != BOOTIMG_FILE)
        return e.type == BOOTIMG_DIR ? ST_IS_DIRECTORY : ST_NOT_SUPPORTED;
    *data = e.data;
    *size = e.size;
    if (personality)
        *personality = e.personality;
    return ST_OK;
}

/* The boot image as a read-only section handle in p, for the first process
 * (which hands it on to the boot file server). */
static status_t give_boot_image(process_t *p, handle_t *h)
{
    section_t *s;
    status_t st;

    if (!have_bootimg)
        return ST_NOT_FOUND;
    st = section_create_phys(bootimg_pa, bootimg_size, &s);
    if (st != ST_OK)
        return st;
    st = handle_create(&p->handles, OB(s), H_QUERY | H_READ | H_MAP | H_DUPLICATE, h);
    ob_unref(OB(s));
    return st;
}

status_t ps_spawn_boot_program(const char *path, int argc, const char *const argv[],
                               process_t **out)
{
    const void *image;
    size_t size;
    uint32_t pers;
    process_t *p;
    ps_thread_t *t;
    uintptr_t entry, sp;
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    status_t st = bootfs_lookup(path, &image, &size, &pers);

    if (st != ST_OK)
        return st;
    if (pers != BOOTIMG_PERS_NATIVE)
        return ST_BAD_IMAGE;
    st = ps_process_create(name, PERSONALITY_NATIVE, NULL, &p);
    if (st != ST_OK)
        return st;
    handle_t img = HANDLE_NONE;
    uint64_t auxv[2] = {AT_PERSONA_BOOTIMG, 0};
    if (give_boot_image(p, &img) == ST_OK)
        auxv[1] = img;
    st = ps_load_elf(p, image, size, argc, argv, auxv, 1, &entry, &sp);
    if (st == ST_OK)
        st = ps_thread_create(p, entry, sp, 0, &t);
    if (st != ST_OK) {
        ps_process_terminate(p, EXIT_STATUS_KILLED, "load failed");
        ob_unref(OB(p));
        return st;
    }
    ke_thread_start(&t->kt);
    *out = p; /* the creation reference goes to the caller */
    return ST_OK;
}
