/*
 * Internal interface of the VFS core: the mount table (mount.c), the path
 * walker (resolve.c) and the name checks (node.c), shared with the path
 * operations (pathops.c).
 */
#ifndef FS_VFS_PRIV_H
#define FS_VFS_PRIV_H

#include <fs/vfs.h>

/* fs_node_t.vfs_flags */
#define VFSP_COVERED    0x1u /* a mount point: a mount hides this directory */
#define VFSP_MOUNT_ROOT 0x2u /* the root of a mounted file system */

typedef struct vfsp_mount {
    bool used;
    fs_t *fs;           /* NULL for a remote mount */
    fs_node_t *covered; /* referenced; NULL for the mount at "/" */
    fs_node_t *root;    /* fs->root, referenced; NULL for a remote mount */
    char tag[VFS_TAG_MAX];
    char *path; /* the mount point as mounted (malloc'd) */
} vfsp_mount_t;

struct vfs {
    vfsp_mount_t mounts[VFS_MOUNT_MAX];
    fs_node_t *root; /* the root of the file system at "/", NULL before it is mounted */
    uint64_t next_dev;
};

/* ST_OK for a component name: 1..FS_NAME_MAX bytes without '/'. */
int vfsp_check_name(const char *name);
/* "." or "..". */
bool vfsp_is_dot(const char *name);

/* The mount hiding `node`, or the mount whose root is `node`; NULL if none. */
vfsp_mount_t *vfsp_mount_covering(vfs_t *vfs, const fs_node_t *node);
vfsp_mount_t *vfsp_mount_rooted(vfs_t *vfs, const fs_node_t *node);

/* vfsp_walk() flags, beside VFS_NOFOLLOW and VFS_DIRECTORY. */
#define VFSP_PARENT      0x100u /* stop before the last component */
#define VFSP_CREATE      0x200u /* with VFSP_PARENT: look the last component up, see below */
#define VFSP_STOP_REMOTE 0x400u /* a remote mount point last: return it, do not redirect */

typedef struct vfsp_walk_out {
    fs_node_t *node;  /* the result, or with VFSP_PARENT the directory holding the last name */
    fs_node_t *child; /* VFSP_CREATE: what the last name leads to, NULL when missing */
    char name[FS_NAME_MAX + 1]; /* VFSP_PARENT: the last component */
    bool trailing;              /* the path ended with '/' */
    vfsp_mount_t *remote;       /* the remote mount met (VFS_REMOTE, VFSP_STOP_REMOTE) */
} vfsp_walk_out_t;

/*
 * The one path walker behind every resolution. On success out->node (and
 * out->child) hold references. With VFSP_PARENT | VFSP_CREATE the last
 * component is looked up: a symbolic link there is followed (unless
 * VFS_NOFOLLOW, and always with a trailing '/'), mounts are crossed, a
 * remote mount redirects, and a missing name is not an error (child NULL).
 */
int vfsp_walk(vfs_t *vfs, fs_node_t *cwd, const char *path, unsigned flags, vfsp_walk_out_t *out,
              vfs_remote_t *remote);

#endif
