/*
 * The file-system library of Persona: a small VFS core that the file
 * server builds on. File systems are structs of function pointers (fs_ops_t,
 * after 9front's Dev and lib9p's Srv); the VFS adds a mount table and path
 * resolution on top.
 *
 * Three layers, from the bottom:
 *   fs_*()   operations on the nodes of one file system. They check what
 *            every file system would check (node types, names, offsets)
 *            and then call the file system's ops. populate uses them to
 *            copy between two file systems that need not be mounted.
 *   vfs_resolve(), vfs_resolve_parent()
 *            turn a path into a node (or a directory and a last name)
 *            across the mount table, following symbolic links.
 *   vfs_*()  path operations for the server: create, mkdir, symlink, link,
 *            unlink, rmdir, rename, each resolving its paths and checking
 *            mount points before calling the fs_*() layer.
 *
 * Nodes are reference counted. Every call that hands out a node (lookup,
 * create, resolve...) hands out a reference the caller must drop with
 * fs_node_release(). A referenced node stays valid after it is unlinked,
 * like a POSIX file that is open while removed: its data is freed when
 * the last reference goes. A file system keeps exactly one fs_node_t per
 * live node, so two references to the same file compare equal.
 *
 * Errors are Persona statuses (<persona/status.h>). One status has a
 * special meaning here: VFS_REMOTE, see "Remote mounts" below.
 *
 * The library is not thread-safe: the server serialises calls into it.
 * There are no owners and no permission checks: modes are stored and
 * reported, and enforcing them is the server's business.
 */
#ifndef FS_VFS_H
#define FS_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <persona/status.h>

#define FS_NAME_MAX    255          /* bytes in one path component */
#define FS_PATH_MAX    4096         /* bytes in a path, NUL included */
#define FS_SYMLINK_MAX 40           /* symbolic links followed in one resolution */
#define FS_LINK_MAX    65000u       /* hard links to a file, subdirectories of a directory */
#define FS_FILE_MAX    (1ull << 40) /* largest file size */

/* Mode bits, with the POSIX values so that servers can pass them through. */
#define FS_S_IFMT  0170000u
#define FS_S_IFDIR 0040000u
#define FS_S_IFREG 0100000u
#define FS_S_IFLNK 0120000u
#define FS_S_IFIFO 0010000u
#define FS_S_PERM  07777u /* permission, set-id and sticky bits */

/* Values of the time arguments of fs_set_times(), like UTIME_NOW/UTIME_OMIT. */
#define FS_TIME_OMIT INT64_MIN
#define FS_TIME_NOW  (INT64_MIN + 1)

/* Node types; the first three are the values of enum bootimg_type. A FIFO
 * is a name only: what flows through it is its opener's business (the
 * POSIX server's named pipes). */
enum fs_type {
    FS_TYPE_REG = 1,
    FS_TYPE_DIR = 2,
    FS_TYPE_LNK = 3,
    FS_TYPE_FIFO = 4,
};

typedef struct fs fs_t;
typedef struct fs_node fs_node_t;
typedef struct fs_ops fs_ops_t;
typedef struct vfs vfs_t;

/*
 * The part of a node every file system shares; file systems embed it at
 * the start of their own node structures. fs, ino and type are set by the
 * file system when it creates the node and never change.
 */
struct fs_node {
    fs_t *fs;
    uint64_t ino;
    uint32_t type;      /* enum fs_type */
    uint32_t vfs_flags; /* owned by the VFS (mount bookkeeping) */
    uint64_t refs;      /* fs_node_ref() / fs_node_release() only */
};

/* The part of a file-system instance every file system shares. */
struct fs {
    const fs_ops_t *ops;
    fs_node_t *root; /* set by the file system; it holds the root for its whole life */
    uint64_t dev;    /* device id, given by vfs_mount() (0 when not mounted) */
    uint64_t refs;   /* references on all of its nodes together */
    vfs_t *vfs;      /* where it is mounted, NULL when it is not */
};

typedef struct fs_stat {
    uint64_t ino;
    uint64_t dev;
    uint32_t mode; /* FS_S_IF* type bits | permission bits */
    uint32_t nlink;
    uint64_t size;   /* bytes; a symbolic link's is its target's length */
    uint64_t blocks; /* 512-byte units of storage in use */
    uint32_t blksize;
    int64_t atime, mtime, ctime; /* nanoseconds since the epoch */
} fs_stat_t;

typedef struct fs_dirent {
    uint64_t ino;
    uint32_t type; /* enum fs_type */
    uint32_t namelen;
    char name[FS_NAME_MAX + 1]; /* NUL-terminated */
} fs_dirent_t;

typedef struct fs_statfs {
    uint64_t total_bytes, free_bytes;
    uint64_t total_inodes, free_inodes;
    uint32_t block_size;
    uint32_t name_max;
    uint32_t flags; /* FS_STATFS_* */
    char type[16];  /* "ramfs", "bootfs", "fat16"... */
} fs_statfs_t;

#define FS_STATFS_READ_ONLY 0x1u /* nothing on it can change */

/*
 * What a file system implements. The fs_*() wrappers have already checked,
 * before any of these is called: that `dir` arguments are directories, that
 * names are 1..FS_NAME_MAX bytes without '/', that names to create are not
 * "." or "..", that read/write/truncate get regular files and readlink a
 * symbolic link, that link and rename stay inside one file system, that
 * offsets and sizes stay within FS_FILE_MAX, that modes hold only FS_S_PERM
 * bits. Calls that return a node return a reference to it.
 *
 * Every operation must be all or nothing: on failure nothing changed. None
 * may return ST_WRONG_TYPE, which the VFS reserves for VFS_REMOTE.
 */
struct fs_ops {
    /* name may be "." or "..": a file system's root is its own parent. */
    int (*lookup)(fs_node_t *dir, const char *name, fs_node_t **out);
    /* ST_EXISTS when the name is taken, whatever it names. */
    int (*create)(fs_node_t *dir, const char *name, uint32_t mode, fs_node_t **out);
    int (*mkdir)(fs_node_t *dir, const char *name, uint32_t mode, fs_node_t **out);
    int (*symlink)(fs_node_t *dir, const char *name, const char *target, fs_node_t **out);
    /* A special node of `type` (FS_TYPE_FIFO, the only one): ST_NOT_SUPPORTED
     * from a file system that cannot store it. */
    int (*mknod)(fs_node_t *dir, const char *name, uint32_t type, uint32_t mode, fs_node_t **out);
    /* Copies min(size, length) bytes of the target, no NUL; *len = its full length. */
    int (*readlink)(fs_node_t *node, char *buf, size_t size, size_t *len);
    /* `target` is not a directory (checked). */
    int (*link)(fs_node_t *dir, const char *name, fs_node_t *target);
    /* Non-directories only: ST_IS_DIRECTORY otherwise. */
    int (*unlink)(fs_node_t *dir, const char *name);
    /* Empty directories only: ST_NOT_DIRECTORY, ST_NOT_EMPTY otherwise. */
    int (*rmdir)(fs_node_t *dir, const char *name);
    /* POSIX rename(2) inside one file system, see fs_rename(). */
    int (*rename)(fs_node_t *odir, const char *oname, fs_node_t *ndir, const char *nname);
    /* *done = bytes read, 0 at or past the end of the file. */
    int (*read)(fs_node_t *node, uint64_t off, void *buf, size_t len, size_t *done);
    /* All or nothing: *done = len on success. */
    int (*write)(fs_node_t *node, uint64_t off, const void *buf, size_t len, size_t *done);
    int (*truncate)(fs_node_t *node, uint64_t size);
    /* Fills everything but dev, which fs_stat() adds. */
    int (*stat)(fs_node_t *node, fs_stat_t *st);
    /* Each time is nanoseconds, FS_TIME_NOW or FS_TIME_OMIT. */
    int (*set_times)(fs_node_t *node, int64_t atime, int64_t mtime);
    int (*chmod)(fs_node_t *node, uint32_t mode);
    /*
     * The entry after *cookie (0: the first, which is "."; ".." follows),
     * advancing *cookie; ST_END_OF_FILE after the last. A cookie stays
     * valid while entries are added and removed: entries present for the
     * whole listing are returned exactly once.
     */
    int (*readdir)(fs_node_t *dir, uint64_t *cookie, fs_dirent_t *ent);
    int (*statfs)(fs_t *fs, fs_statfs_t *st);
    /* The node's last reference went away (it may be freed if unlinked). */
    void (*release)(fs_node_t *node);
    /* Frees the instance; called only when no node is referenced. */
    void (*destroy)(fs_t *fs);
};

/* ---- Nodes and file systems (node.c) ---- */

void fs_node_ref(fs_node_t *node);
/* Drops a reference; NULL is ignored. */
void fs_node_release(fs_node_t *node);

/* Frees an unmounted file system. ST_BUSY while mounted or while a node is referenced. */
int fs_destroy(fs_t *fs);

int fs_lookup(fs_node_t *dir, const char *name, fs_node_t **out);
int fs_create(fs_node_t *dir, const char *name, uint32_t mode, fs_node_t **out);
int fs_mkdir(fs_node_t *dir, const char *name, uint32_t mode, fs_node_t **out);
/* target: 1..FS_PATH_MAX-1 bytes (ST_NOT_FOUND when empty, like POSIX). out may be NULL. */
int fs_symlink(fs_node_t *dir, const char *name, const char *target, fs_node_t **out);
int fs_readlink(fs_node_t *node, char *buf, size_t size, size_t *len);
/* type: FS_TYPE_FIFO (ST_INVALID_ARGUMENT otherwise). out may be NULL. */
int fs_mknod(fs_node_t *dir, const char *name, uint32_t type, uint32_t mode, fs_node_t **out);
/* ST_IS_DIRECTORY for a directory, ST_NOT_SUPPORTED across file systems. */
int fs_link(fs_node_t *dir, const char *name, fs_node_t *target);
int fs_unlink(fs_node_t *dir, const char *name);
int fs_rmdir(fs_node_t *dir, const char *name);
/*
 * POSIX rename: an existing target is replaced if it is of the same kind
 * (a directory only by an empty one: ST_NOT_EMPTY, ST_IS_DIRECTORY,
 * ST_NOT_DIRECTORY otherwise); renaming a file onto another link of itself
 * does nothing; moving a directory into its own subtree is
 * ST_INVALID_ARGUMENT; "." and ".." are ST_INVALID_ARGUMENT; across file
 * systems ST_NOT_SUPPORTED (POSIX EXDEV).
 */
int fs_rename(fs_node_t *odir, const char *oname, fs_node_t *ndir, const char *nname);
int fs_read(fs_node_t *node, uint64_t off, void *buf, size_t len, size_t *done);
int fs_write(fs_node_t *node, uint64_t off, const void *buf, size_t len, size_t *done);
int fs_truncate(fs_node_t *node, uint64_t size);
int fs_stat(fs_node_t *node, fs_stat_t *st);
int fs_set_times(fs_node_t *node, int64_t atime, int64_t mtime);
int fs_chmod(fs_node_t *node, uint32_t mode);
int fs_readdir(fs_node_t *dir, uint64_t *cookie, fs_dirent_t *ent);
int fs_statfs(fs_t *fs, fs_statfs_t *st);

/*
 * Copies the tree under src_dir into dst_dir (populate.c): directories,
 * files, symbolic links, FIFOs, hard links among the copied files, modes and
 * times, src_dir's own mode and times onto dst_dir. Existing directories
 * are merged; any other existing name is ST_EXISTS. It stays inside
 * src_dir's file system (mounts are not crossed) and stops at the first
 * error, leaving what it copied so far. Deeper than 256 levels: ST_LIMIT;
 * both directories in one file system: ST_INVALID_ARGUMENT.
 */
int fs_populate(fs_node_t *src_dir, fs_node_t *dst_dir);

/* ---- The namespace (mount.c, resolve.c, pathops.c) ---- */

#define VFS_MOUNT_MAX 32
#define VFS_TAG_MAX   32 /* bytes in a remote mount's tag, NUL included */

/*
 * Remote mounts. vfs_mount_remote() marks a directory as served by
 * someone else (the FAT server): the VFS serves nothing under it. A call
 * whose path leads there fails with VFS_REMOTE and, when the caller passes
 * a vfs_remote_t, says where to go: the mount's tag and the rest of the
 * path below the mount point, so the server can redirect its client.
 *
 * The rest is relative ("" for the mount point itself), without empty or
 * "." components; a ".." inside the mount stays for the remote server to
 * resolve ("a/file/.." is not a directory). A ".." that climbs back out
 * of the mount point is resolved here instead, so "/mnt/fat/../x" is the
 * local "/mnt/x"; what lies inside before it ("a/.." in
 * "/mnt/fat/a/../../x") is then taken lexically, unchecked, which is
 * exact for file systems without symbolic links (FAT) as long as those
 * names are directories. `dir` is set when the path demands a directory
 * (a trailing '/', a final "." or "..", or VFS_DIRECTORY).
 *
 * VFS_REMOTE is ST_REDIRECT: "this path leads to another kind of object,
 * a mount this VFS does not serve". No other VFS call returns it.
 */
#define VFS_REMOTE ST_REDIRECT

typedef struct vfs_remote {
    char tag[VFS_TAG_MAX];
    char path[FS_PATH_MAX];
    bool dir;
} vfs_remote_t;

/* Flags of vfs_resolve() and the path operations. */
#define VFS_NOFOLLOW  0x1u /* do not follow a symbolic link in the last component */
#define VFS_DIRECTORY 0x2u /* the result must be a directory (ST_NOT_DIRECTORY) */
#define VFS_EXCL      0x4u /* vfs_create(): fail with ST_EXISTS if the name exists */
#define VFS_FOLLOW    0x8u /* vfs_link(): follow a symbolic link in the old path */

int vfs_new(vfs_t **out);
/* Unmounts and destroys every file system. ST_BUSY (and nothing freed) while
 * any of their nodes is referenced. */
int vfs_free(vfs_t *vfs);

/*
 * Mounts fs on the directory `path`, which the VFS then owns: it is
 * destroyed at unmount or vfs_free(). "/" comes first; a mount point must
 * be an existing directory that is not already a mount point or a root
 * (ST_BUSY). ST_LIMIT past VFS_MOUNT_MAX mounts.
 */
int vfs_mount(vfs_t *vfs, const char *path, fs_t *fs);
/* tag: 1..VFS_TAG_MAX-1 bytes, reported back in vfs_remote_t. Not at "/". */
int vfs_mount_remote(vfs_t *vfs, const char *path, const char *tag);
/* ST_BUSY while nodes of the file system are referenced or it holds other
 * mounts, ST_INVALID_ARGUMENT when path is not a mount point. */
int vfs_unmount(vfs_t *vfs, const char *path);

typedef struct vfs_mount_info {
    const char *path; /* the mount point as mounted; valid while it is */
    fs_t *fs;         /* NULL for a remote mount */
    const char *tag;  /* a remote mount's tag, "" for a local one */
} vfs_mount_info_t;

/* The index-th mount (from 0, in no particular order); ST_END_OF_FILE past
 * the last. For listing the table (/proc/mounts). */
int vfs_mount_info(vfs_t *vfs, unsigned index, vfs_mount_info_t *out);

/*
 * Resolves `path` to a node. Relative paths start at cwd (the root when
 * cwd is NULL). "." and ".." are handled here, ".." leaving a mounted file
 * system through its mount point and staying put at "/". Symbolic links
 * are followed, FS_SYMLINK_MAX of them at most (ST_LIMIT), the last
 * component's only without VFS_NOFOLLOW or with a trailing '/'. A trailing
 * '/' requires a directory. ST_NOT_FOUND for an empty path,
 * ST_NAME_TOO_LONG for a component over FS_NAME_MAX or a path (given, or
 * grown by links) of FS_PATH_MAX bytes or more. remote may be NULL.
 */
int vfs_resolve(vfs_t *vfs, fs_node_t *cwd, const char *path, unsigned flags, fs_node_t **out,
                vfs_remote_t *remote);

/*
 * Resolves all but the last component: *dir gets the directory that holds
 * it and name its text ("." for "/", "." or ".." when the path ends so;
 * the caller's operation decides what they mean). *trailing tells whether
 * the path ended with '/'. The last component is not looked up, so a
 * mount point there is returned as the directory entry it covers.
 * trailing may be NULL.
 */
int vfs_resolve_parent(vfs_t *vfs, fs_node_t *cwd, const char *path, fs_node_t **dir,
                       char name[FS_NAME_MAX + 1], bool *trailing, vfs_remote_t *remote);

/*
 * open(O_CREAT): returns the regular file at path, creating it with `mode`
 * when missing (VFS_EXCL: ST_EXISTS when present). A symbolic link in the
 * last component is followed, even a dangling one, whose target is then
 * created, unless VFS_NOFOLLOW or VFS_EXCL. ST_IS_DIRECTORY for a directory.
 */
int vfs_create(vfs_t *vfs, fs_node_t *cwd, const char *path, uint32_t mode, unsigned flags,
               fs_node_t **out, vfs_remote_t *remote);
int vfs_mkdir(vfs_t *vfs, fs_node_t *cwd, const char *path, uint32_t mode, vfs_remote_t *remote);
int vfs_symlink(vfs_t *vfs, fs_node_t *cwd, const char *target, const char *path,
                vfs_remote_t *remote);
/* A special node (fs_mknod); ST_EXISTS for a name that exists, whatever
 * the file system could store. */
int vfs_mknod(vfs_t *vfs, fs_node_t *cwd, const char *path, uint32_t type, uint32_t mode,
              vfs_remote_t *remote);
int vfs_unlink(vfs_t *vfs, fs_node_t *cwd, const char *path, vfs_remote_t *remote);
/* ST_BUSY for a mount point or a root. */
int vfs_rmdir(vfs_t *vfs, fs_node_t *cwd, const char *path, vfs_remote_t *remote);
/*
 * Two paths, so two remotes: when both lead into the same remote mount the
 * call is VFS_REMOTE with both filled in; one remote and one local, or two
 * different remote mounts, is ST_NOT_SUPPORTED (POSIX EXDEV).
 */
int vfs_link(vfs_t *vfs, fs_node_t *cwd, const char *oldpath, const char *newpath, unsigned flags,
             vfs_remote_t *old_remote, vfs_remote_t *new_remote);
/* Mount points and roots, on either side, are ST_BUSY. */
int vfs_rename(vfs_t *vfs, fs_node_t *cwd, const char *oldpath, const char *newpath,
               vfs_remote_t *old_remote, vfs_remote_t *new_remote);

#endif
