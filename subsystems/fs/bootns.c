/*
 * The boot namespace (see <fs/bootns.h>): bootfs at "/", ramfs at "/tmp",
 * and a ramfs populated from the image's /run mounted over it at "/run".
 *
 * The copy of /run is made before its mount: once the ramfs covers the
 * image's /run, the image's directory is only reachable through the node
 * kept from before.
 *
 * Entry point: fs_boot_namespace().
 */
#include <fs/bootfs.h>
#include <fs/bootns.h>
#include <fs/ramfs.h>

/* Sets *why and returns rc, for the failure paths. */
static int fail(const char **why, const char *text, int rc)
{
    if (why)
        *why = text;
    return rc;
}

/* A mount point of the image, checked before anything is mounted on it. */
static int image_dir(vfs_t *vfs, const char *path, fs_node_t **out, const char **why)
{
    int rc = vfs_resolve(vfs, NULL, path, VFS_DIRECTORY, out, NULL);

    if (rc == ST_NOT_FOUND || rc == ST_NOT_DIRECTORY)
        return fail(why,
                    path[1] == 't' ? "the boot image has no /tmp directory"
                                   : "the boot image has no /run directory",
                    rc);
    return rc;
}

static int make_ramfs(const fs_boot_config_t *cfg, uint64_t bytes, uint64_t inodes, uint32_t mode,
                      fs_t **out)
{
    ramfs_config_t rc = {
        .max_bytes = bytes,
        .max_inodes = inodes,
        .root_mode = mode,
        .now = cfg->now,
        .now_ctx = cfg->now_ctx,
    };
    return ramfs_create(&rc, out);
}

static int build(const fs_boot_config_t *cfg, vfs_t *vfs, const char **why)
{
    fs_t *boot = NULL, *tmp = NULL, *run = NULL;
    fs_node_t *tmp_dir = NULL, *run_dir = NULL;

    int rc = bootfs_create(cfg->image, cfg->image_size, &boot, why);
    if (rc != ST_OK)
        return rc;
    rc = vfs_mount(vfs, "/", boot);
    if (rc != ST_OK) {
        fs_destroy(boot);
        return fail(why, "cannot mount the boot image at /", rc);
    }

    rc = image_dir(vfs, "/tmp", &tmp_dir, why);
    if (rc == ST_OK)
        rc = image_dir(vfs, "/run", &run_dir, why);
    fs_node_release(tmp_dir); /* only checked: the mount finds it again */
    if (rc == ST_OK)
        rc = make_ramfs(cfg, cfg->run_max_bytes, cfg->run_max_inodes, 0755, &run);
    if (rc == ST_OK) {
        rc = fs_populate(run_dir, run->root);
        if (rc != ST_OK)
            fail(why, "cannot copy the boot image's /run into its ramfs", rc);
    }
    fs_node_release(run_dir);
    if (rc == ST_OK)
        rc = vfs_mount(vfs, "/run", run);
    if (rc == ST_OK) {
        run = NULL; /* the namespace owns it now */
        rc = make_ramfs(cfg, cfg->tmp_max_bytes, cfg->tmp_max_inodes, 01777, &tmp);
    }
    if (rc == ST_OK)
        rc = vfs_mount(vfs, "/tmp", tmp);
    if (rc == ST_OK)
        tmp = NULL;
    fs_destroy(run);
    fs_destroy(tmp);
    if (rc == ST_NO_MEMORY)
        fail(why, "out of memory", rc);
    return rc;
}

int fs_boot_namespace(const fs_boot_config_t *cfg, vfs_t **out, const char **why)
{
    vfs_t *vfs;

    *out = NULL;
    if (!cfg)
        return fail(why, "no configuration", ST_INVALID_ARGUMENT);
    int rc = vfs_new(&vfs);
    if (rc != ST_OK)
        return fail(why, "out of memory", rc);
    rc = build(cfg, vfs, why);
    if (rc != ST_OK) {
        vfs_free(vfs);
        return rc;
    }
    *out = vfs;
    return ST_OK;
}
