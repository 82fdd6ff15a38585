/*
 * The file server: one path namespace for every process. "/" is the boot
 * image (read-only, served in place from the section smss passes on), /tmp
 * and /run are RAM file systems; /run starts as a copy of the boot image's
 * /run, so programs placed there by `./persona run` can write beside
 * themselves (fs_boot_namespace builds all that). The calls are in table.c.
 */
#include "fsd.h"
#include <fs/bootns.h>
#include <loader/bootimg.h>
#include <native/console.h>
#include <native/spawn.h>
#include <string.h>

#define RAMFS_LIMIT (64ull << 20)

fsd_t fsd;

static int64_t now(void *ctx)
{
    uint64_t t = 0;

    (void)ctx;
    sys_clock_get(CLOCK_REALTIME_NS, &t);
    return (int64_t)t;
}

static long map_boot_image(const void **image, size_t *size)
{
    handle_t h = (handle_t)native_auxv(AT_PERSONA_BOOTIMG);
    uint64_t addr = 0, total;
    long st;

    if (!h)
        return ST_NOT_FOUND;
    st = sys_vm_map(HANDLE_SELF_PROCESS, &addr, VM_PAGE_SIZE, PROT_R, 0, h, 0);
    if (st < 0)
        return st;
    total = ((const bootimg_header_t *)addr)->image_size;
    sys_vm_unmap(HANDLE_SELF_PROCESS, addr, VM_PAGE_SIZE);
    addr = 0;
    st = sys_vm_map(HANDLE_SELF_PROCESS, &addr, total, PROT_R, 0, h, 0);
    *image = (const void *)addr;
    *size = total;
    fsd.bootimg = h;
    fsd.image = (const uint8_t *)addr;
    return st;
}

/* "remote=PATH:PORT" arguments: mounts that another server serves. */
static int remote_mounts(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        char *arg = argv[i], *colon;
        if (strncmp(arg, "remote=", 7) || !(colon = strchr(arg + 7, ':'))) {
            printf("fs: unknown argument '%s' (expected remote=PATH:PORT)\n", arg);
            return -1;
        }
        *colon = 0;
        int st = vfs_mount_remote(fsd.vfs, arg + 7, colon + 1);
        if (st < 0) {
            printf("fs: cannot mount %s for %s: %s\n", arg + 7, colon + 1, status_text(st));
            return -1;
        }
        if (fsd.nremotes < FSD_REMOTES && strlen(arg + 7) < sizeof(fsd.remotes[0].path)) {
            strlcpy(fsd.remotes[fsd.nremotes].tag, colon + 1, VFS_TAG_MAX);
            strlcpy(fsd.remotes[fsd.nremotes].path, arg + 7, sizeof(fsd.remotes[0].path));
            fsd.nremotes++;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    const void *image;
    size_t size;
    long st;

    native_use_kernel_log();
    st = map_boot_image(&image, &size);
    if (st < 0) {
        printf("fs: no boot image: %s\n", status_text(st));
        return 1;
    }
    fs_boot_config_t cfg = {image, size, RAMFS_LIMIT, 0, RAMFS_LIMIT, 0, now, NULL};
    const char *why = "";
    st = fs_boot_namespace(&cfg, &fsd.vfs, &why);
    if (st < 0) {
        printf("fs: cannot serve the boot image: %s (%s)\n", why, status_text(st));
        return 1;
    }
    if (remote_mounts(argc, argv) < 0)
        return 1;

    fsd_setup("fs", "Fs");
    if (srv_init(&fsd.srv) < 0)
        return 1;
    srv_run(&fsd.srv);
    return 1;
}
