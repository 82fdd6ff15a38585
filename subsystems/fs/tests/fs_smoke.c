/*
 * fs_smoke: a native Persona program that drives the freestanding build of
 * the file-system library (fs_lib) through a ramfs namespace, to show it
 * links against the native runtime and works inside Persona. It is built
 * with the project but put in no boot image; add it to one to run it
 * (it prints "fs_smoke: ok" and exits 0, or names the failing step).
 */
#include <string.h>

#include <fs/ramfs.h>
#include <fs/vfs.h>
#include <native/runtime.h>

static int step(const char *what, int rc, int want)
{
    if (rc != want)
        printf("fs_smoke: %s: %s, expected %s\n", what, status_name(rc), status_name(want));
    return rc == want ? 0 : 1;
}

int main(int argc, char **argv, char **envp)
{
    ramfs_config_t cfg = {.max_bytes = 1 << 20, .root_mode = 0755};
    vfs_t *vfs = NULL;
    fs_t *root = NULL, *tmp = NULL;
    fs_node_t *f = NULL;
    char buf[16];
    size_t done = 0;
    int bad = 0;

    (void)argc;
    (void)argv;
    (void)envp;
    bad += step("vfs_new", vfs_new(&vfs), ST_OK);
    bad += step("ramfs /", ramfs_create(&cfg, &root), ST_OK);
    bad += step("ramfs /tmp", ramfs_create(&cfg, &tmp), ST_OK);
    if (bad)
        return 1;
    bad += step("mount /", vfs_mount(vfs, "/", root), ST_OK);
    bad += step("mkdir /tmp", vfs_mkdir(vfs, NULL, "/tmp", 01777, NULL), ST_OK);
    bad += step("mount /tmp", vfs_mount(vfs, "/tmp", tmp), ST_OK);
    bad += step("create", vfs_create(vfs, NULL, "/tmp/f", 0644, 0, &f, NULL), ST_OK);
    if (bad)
        return 1;
    bad += step("write", fs_write(f, 8190, "persona", 7, &done), ST_OK);
    bad += step("read", fs_read(f, 8190, buf, sizeof(buf), &done), ST_OK);
    bad += step("data", done == 7 && memcmp(buf, "persona", 7) == 0 ? ST_OK : ST_IO_ERROR, ST_OK);
    bad += step("rename", vfs_rename(vfs, NULL, "/tmp/f", "/tmp/g", NULL, NULL), ST_OK);
    bad +=
        step("cross-device", vfs_rename(vfs, NULL, "/tmp/g", "/g", NULL, NULL), ST_NOT_SUPPORTED);
    bad += step("unlink", vfs_unlink(vfs, NULL, "/tmp/g", NULL), ST_OK);
    bad += step("busy", vfs_free(vfs), ST_BUSY);
    fs_node_release(f);
    bad += step("vfs_free", vfs_free(vfs), ST_OK);
    puts(bad ? "fs_smoke: FAILED" : "fs_smoke: ok");
    return bad ? 1 : 0;
}
