/*
 * Randomized differential test: the same random sequence of operations
 * runs on a ramfs (through the VFS path operations) and on a deliberately
 * simple model written here, and every status, every byte read, every
 * stat, every directory listing and the space accounting must agree.
 *
 * The model is a flat array of nodes with entry lists, resolving absolute
 * paths of a few short names (so that names collide often) with its own
 * symbolic link expansion. Tight byte and inode limits make ST_NO_SPACE
 * frequent; open handles keep unlinked files alive.
 *
 * A failure prints the seed and the operation number to replay.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs_test.h"

#define P          RAMFS_PAGE
#define MAX_PAGES  8
#define MAX_NODES  64
#define MAX_ENTS   16
#define MAX_COMPS  256
#define MAX_BYTES  (10 * P + 300)
#define MAX_INODES 24
#define HANDLES    4

typedef struct ment {
    char name[4];
    int node;
} ment_t;

typedef struct mnode {
    int type; /* 0: free slot */
    uint32_t mode, nlink;
    int opens;
    uint64_t ino;
    uint64_t size;
    uint8_t *data;         /* MAX_PAGES * P bytes */
    bool page[MAX_PAGES];  /* allocated (charged) pages */
    ment_t ents[MAX_ENTS]; /* directories */
    int nents, parent;
    char target[32]; /* symbolic links */
} mnode_t;

static mnode_t m[MAX_NODES];
static uint64_t m_used, m_inodes;
static uint64_t rng;
static vfs_t *vfs;
static fs_t *rfs;
static struct {
    fs_node_t *node;
    int model;
} handle[HANDLES];

static const char *const names[] = {"a", "b", "c", "dd"};

/* How often each status came up, to show the run covered the failures too. */
static unsigned long tally[-ST_MIN + 1];

static int seen(int rc)
{
    if (rc <= 0 && rc >= ST_MIN)
        tally[-rc]++;
    return rc;
}

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static int m_new(int type, uint32_t mode)
{
    for (int i = 1; i < MAX_NODES; i++) {
        if (m[i].type)
            continue;
        memset(&m[i], 0, sizeof(m[i]));
        m[i].type = type;
        m[i].mode = mode;
        if (type == FS_TYPE_REG) {
            m[i].data = calloc(MAX_PAGES, P);
            assert_non_null(m[i].data);
        }
        m_inodes++;
        return i;
    }
    fail_msg("model out of slots");
    return 0;
}

static void m_put(int i)
{
    if (m[i].nlink || m[i].opens)
        return;
    for (int p = 0; p < MAX_PAGES; p++)
        if (m[i].page[p])
            m_used -= P;
    if (m[i].type == FS_TYPE_LNK)
        m_used -= strlen(m[i].target);
    free(m[i].data);
    memset(&m[i], 0, sizeof(m[i]));
    m_inodes--;
}

static int m_find(int dir, const char *name)
{
    for (int k = 0; k < m[dir].nents; k++)
        if (strcmp(m[dir].ents[k].name, name) == 0)
            return k;
    return -1;
}

static void m_add(int dir, const char *name, int node)
{
    assert_true(m[dir].nents < MAX_ENTS);
    ment_t *e = &m[dir].ents[m[dir].nents++];
    snprintf(e->name, sizeof(e->name), "%s", name);
    e->node = node;
    m_used += strlen(name);
}

static void m_del(int dir, int k)
{
    m_used -= strlen(m[dir].ents[k].name);
    m[dir].ents[k] = m[dir].ents[--m[dir].nents];
}

/* ---- model path resolution (absolute paths only) ---- */

typedef struct mwalk {
    char comps[MAX_COMPS][4]; /* generated names are at most 2 bytes */
    int n;
} mwalk_t;

static void split(const char *path, mwalk_t *w)
{
    for (const char *p = path; *p;) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *s = p;
        while (*p && *p != '/')
            p++;
        assert_true(w->n < MAX_COMPS && p - s < 4);
        memcpy(w->comps[w->n], s, (size_t)(p - s));
        w->comps[w->n][p - s] = '\0';
        w->n++;
    }
}

/*
 * Walks w. With `parent`, stops at the last component: *dir and name are
 * set and *child is its node or 0; a symbolic link there is expanded only
 * with follow_last. Without, *child is the result.
 */
static int m_walk(mwalk_t *w, bool parent, bool follow_last, int *dir, char name[4], int *child)
{
    int cur = 1, links = 0;

    *child = 0;
    for (int i = 0; i < w->n;) {
        bool last = i == w->n - 1;
        if (m[cur].type != FS_TYPE_DIR)
            return ST_NOT_DIRECTORY;
        int k = m_find(cur, w->comps[i]);
        int c = k < 0 ? 0 : m[cur].ents[k].node;
        if (last && parent && (!follow_last || !c || m[c].type != FS_TYPE_LNK)) {
            *dir = cur;
            memcpy(name, w->comps[i], 4);
            *child = c;
            return ST_OK;
        }
        if (!c)
            return ST_NOT_FOUND;
        if (m[c].type == FS_TYPE_LNK && (!last || follow_last)) {
            /* Targets are absolute: start again from the root. */
            if (++links > FS_SYMLINK_MAX)
                return ST_LIMIT;
            static mwalk_t t;
            t.n = 0;
            split(m[c].target, &t);
            for (int j = i + 1; j < w->n; j++) {
                assert_true(t.n < MAX_COMPS);
                memcpy(t.comps[t.n++], w->comps[j], 4);
            }
            *w = t;
            i = 0;
            cur = 1;
            continue;
        }
        if (last) {
            *child = c;
            return ST_OK;
        }
        cur = c;
        i++;
    }
    fail_msg("generated paths and targets are never empty");
    return ST_INVALID_ARGUMENT;
}

static int m_resolve(const char *path, bool follow, int *node)
{
    static mwalk_t w;
    int dir;
    char name[4];

    w.n = 0;
    split(path, &w);
    return m_walk(&w, false, follow, &dir, name, node);
}

static int m_parent(const char *path, bool follow_last, int *dir, char name[4], int *child)
{
    static mwalk_t w;

    w.n = 0;
    split(path, &w);
    return m_walk(&w, true, follow_last, dir, name, child);
}

static bool m_fits(uint64_t bytes)
{
    return bytes <= MAX_BYTES - m_used;
}

/* ---- the operations, on the model ---- */

static int m_create(const char *path, bool excl, int *out)
{
    int dir, child;
    char name[4];
    int rc = m_parent(path, !excl, &dir, name, &child);

    *out = 0;
    if (rc != ST_OK)
        return rc;
    if (child) {
        if (excl)
            return ST_EXISTS;
        if (m[child].type == FS_TYPE_DIR)
            return ST_IS_DIRECTORY;
        *out = child;
        return ST_OK;
    }
    if (!m_fits(strlen(name)) || m_inodes >= MAX_INODES)
        return ST_NO_SPACE;
    int n = m_new(FS_TYPE_REG, 0644);
    m[n].nlink = 1;
    m_add(dir, name, n);
    *out = n;
    return ST_OK;
}

static int m_mkdir(const char *path)
{
    int dir, child;
    char name[4];
    int rc = m_parent(path, false, &dir, name, &child);

    if (rc != ST_OK)
        return rc;
    if (child)
        return ST_EXISTS;
    if (!m_fits(strlen(name)) || m_inodes >= MAX_INODES)
        return ST_NO_SPACE;
    int n = m_new(FS_TYPE_DIR, 0755);
    m[n].nlink = 2;
    m[n].parent = dir;
    m[dir].nlink++;
    m_add(dir, name, n);
    return ST_OK;
}

static int m_symlink(const char *target, const char *path)
{
    int dir, child;
    char name[4];
    int rc = m_parent(path, false, &dir, name, &child);

    if (rc != ST_OK)
        return rc;
    if (child)
        return ST_EXISTS;
    if (!m_fits(strlen(name) + strlen(target)) || m_inodes >= MAX_INODES)
        return ST_NO_SPACE;
    int n = m_new(FS_TYPE_LNK, 0777);
    m[n].nlink = 1;
    snprintf(m[n].target, sizeof(m[n].target), "%s", target);
    m_used += strlen(target);
    m_add(dir, name, n);
    return ST_OK;
}

static int m_unlink(const char *path)
{
    int dir, child;
    char name[4];
    int rc = m_parent(path, false, &dir, name, &child);

    if (rc != ST_OK)
        return rc;
    if (!child)
        return ST_NOT_FOUND;
    if (m[child].type == FS_TYPE_DIR)
        return ST_IS_DIRECTORY;
    m_del(dir, m_find(dir, name));
    m[child].nlink--;
    m_put(child);
    return ST_OK;
}

static void m_dir_gone(int parent, int d)
{
    m[d].nlink = 0;
    m[parent].nlink--;
    m_put(d);
}

static int m_rmdir(const char *path)
{
    int dir, child;
    char name[4];
    int rc = m_parent(path, false, &dir, name, &child);

    if (rc != ST_OK)
        return rc;
    if (!child)
        return ST_NOT_FOUND;
    if (m[child].type != FS_TYPE_DIR)
        return ST_NOT_DIRECTORY;
    if (m[child].nents)
        return ST_NOT_EMPTY;
    m_del(dir, m_find(dir, name));
    m_dir_gone(dir, child);
    return ST_OK;
}

static int m_link(const char *old, const char *new)
{
    int o, dir, child;
    char name[4];
    int rc_old = m_resolve(old, false, &o);
    int rc_new = m_parent(new, false, &dir, name, &child);

    if (rc_old != ST_OK)
        return rc_old;
    if (rc_new != ST_OK)
        return rc_new;
    if (m[o].type == FS_TYPE_DIR)
        return ST_IS_DIRECTORY;
    if (child)
        return ST_EXISTS;
    if (!m_fits(strlen(name)))
        return ST_NO_SPACE;
    m_add(dir, name, o);
    m[o].nlink++;
    return ST_OK;
}

static int m_rename(const char *old, const char *new)
{
    int od, nd, oc, nc;
    char on[4], nn[4];
    int rc_old = m_parent(old, false, &od, on, &oc);
    int rc_new = m_parent(new, false, &nd, nn, &nc);

    if (rc_old != ST_OK)
        return rc_old;
    if (rc_new != ST_OK)
        return rc_new;
    if (!oc)
        return ST_NOT_FOUND;
    if (nc == oc)
        return ST_OK;
    bool isdir = m[oc].type == FS_TYPE_DIR;
    if (nc) {
        bool vdir = m[nc].type == FS_TYPE_DIR;
        if (isdir && !vdir)
            return ST_NOT_DIRECTORY;
        if (!isdir && vdir)
            return ST_IS_DIRECTORY;
        if (vdir && m[nc].nents)
            return ST_NOT_EMPTY;
    }
    if (isdir)
        for (int p = nd;; p = m[p].parent) {
            if (p == oc)
                return ST_INVALID_ARGUMENT;
            if (p == 1)
                break;
        }
    if (!nc && !m_fits(strlen(nn)))
        return ST_NO_SPACE;

    m_del(od, m_find(od, on));
    if (nc)
        m[nd].ents[m_find(nd, nn)].node = oc;
    else
        m_add(nd, nn, oc);
    if (isdir && od != nd) {
        m[od].nlink--;
        m[nd].nlink++;
        m[oc].parent = nd;
    }
    if (nc) {
        if (m[nc].type == FS_TYPE_DIR) {
            m_dir_gone(nd, nc);
        } else {
            m[nc].nlink--;
            m_put(nc);
        }
    }
    return ST_OK;
}

static int m_write(int n, uint64_t off, const uint8_t *buf, size_t len)
{
    if (m[n].type == FS_TYPE_DIR)
        return ST_IS_DIRECTORY;
    if (len == 0)
        return ST_OK;
    uint64_t missing = 0;
    for (uint64_t p = off / P; p <= (off + len - 1) / P; p++)
        missing += !m[n].page[p];
    if (!m_fits(missing * P))
        return ST_NO_SPACE;
    for (uint64_t p = off / P; p <= (off + len - 1) / P; p++)
        m[n].page[p] = true;
    m_used += missing * P;
    memcpy(m[n].data + off, buf, len);
    if (off + len > m[n].size)
        m[n].size = off + len;
    return ST_OK;
}

static int m_truncate(int n, uint64_t size)
{
    if (m[n].type == FS_TYPE_DIR)
        return ST_IS_DIRECTORY;
    if (size < m[n].size) {
        for (uint64_t p = (size + P - 1) / P; p < MAX_PAGES; p++) {
            if (m[n].page[p])
                m_used -= P;
            m[n].page[p] = false;
        }
        memset(m[n].data + size, 0, MAX_PAGES * P - size);
    }
    m[n].size = size;
    return ST_OK;
}

/* ---- driving both ---- */

static char *random_path(char *buf, size_t size)
{
    int depth = 1 + (int)rnd(3);
    size_t o = 0;

    for (int i = 0; i < depth; i++)
        o += (size_t)snprintf(buf + o, size - o, "/%s", names[rnd(4)]);
    return buf;
}

/* The real node a model node stands for must match it in every attribute. */
static void check_node(fs_node_t *real, int n)
{
    fs_stat_t st = t_stat(real);

    assert_int_equal(real->type, m[n].type);
    assert_int_equal(st.nlink, m[n].nlink);
    assert_int_equal(st.mode & FS_S_PERM, m[n].mode);
    if (m[n].ino)
        assert_int_equal(st.ino, m[n].ino);
    m[n].ino = st.ino;
    if (m[n].type == FS_TYPE_REG) {
        static uint8_t got[MAX_PAGES * P];
        size_t done;
        assert_int_equal(st.size, m[n].size);
        assert_int_equal(fs_read(real, 0, got, sizeof(got), &done), ST_OK);
        assert_int_equal(done, m[n].size);
        assert_memory_equal(got, m[n].data, done);
        uint64_t pages = 0;
        for (int p = 0; p < MAX_PAGES; p++)
            pages += m[n].page[p];
        assert_int_equal(st.blocks, pages * (P / 512));
    } else if (m[n].type == FS_TYPE_DIR) {
        assert_int_equal(st.size, m[n].nents);
    } else {
        char t[64];
        size_t len;
        assert_int_equal(fs_readlink(real, t, sizeof(t), &len), ST_OK);
        assert_int_equal(len, strlen(m[n].target));
        assert_memory_equal(t, m[n].target, len);
    }
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void check_listing(fs_node_t *real, int n)
{
    static char got[MAX_ENTS + 1][FS_NAME_MAX + 1];
    const char *gp[MAX_ENTS + 1], *wp[MAX_ENTS];
    uint64_t cookie = 2;
    fs_dirent_t ent;
    int ng = 0;

    while (fs_readdir(real, &cookie, &ent) == ST_OK) {
        assert_true(ng <= MAX_ENTS);
        memcpy(got[ng], ent.name, sizeof(ent.name));
        gp[ng] = got[ng];
        ng++;
    }
    assert_int_equal(ng, m[n].nents);
    for (int k = 0; k < ng; k++)
        wp[k] = m[n].ents[k].name;
    qsort(gp, (size_t)ng, sizeof(gp[0]), by_name);
    qsort(wp, (size_t)ng, sizeof(wp[0]), by_name);
    for (int k = 0; k < ng; k++)
        assert_string_equal(gp[k], wp[k]);
}

static void check_space(void)
{
    fs_statfs_t sf;

    assert_int_equal(fs_statfs(rfs, &sf), ST_OK);
    assert_int_equal(sf.total_bytes - sf.free_bytes, m_used);
    assert_int_equal(sf.total_inodes - sf.free_inodes, m_inodes);
}

static void step(void)
{
    char p1[32], p2[32];
    static uint8_t buf[2 * P];
    fs_node_t *node = NULL;
    int mn, rc, h = (int)rnd(HANDLES);

    switch (rnd(15)) {
    case 0:
    case 1: {
        bool excl = rnd(2);
        random_path(p1, sizeof(p1));
        rc = vfs_create(vfs, NULL, p1, 0644, excl ? VFS_EXCL : 0, &node, NULL);
        assert_int_equal(rc, seen(m_create(p1, excl, &mn)));
        if (rc == ST_OK) {
            check_node(node, mn);
            if (!handle[h].node) {
                handle[h].node = node;
                handle[h].model = mn;
                m[mn].opens++;
                node = NULL;
            }
        }
        break;
    }
    case 2:
        random_path(p1, sizeof(p1));
        assert_int_equal(vfs_mkdir(vfs, NULL, p1, 0755, NULL), seen(m_mkdir(p1)));
        break;
    case 3:
        random_path(p1, sizeof(p1));
        random_path(p2, sizeof(p2));
        assert_int_equal(vfs_symlink(vfs, NULL, p2, p1, NULL), seen(m_symlink(p2, p1)));
        break;
    case 4:
        random_path(p1, sizeof(p1));
        assert_int_equal(vfs_unlink(vfs, NULL, p1, NULL), seen(m_unlink(p1)));
        break;
    case 5:
        random_path(p1, sizeof(p1));
        assert_int_equal(vfs_rmdir(vfs, NULL, p1, NULL), seen(m_rmdir(p1)));
        break;
    case 6:
    case 7:
        random_path(p1, sizeof(p1));
        random_path(p2, sizeof(p2));
        assert_int_equal(vfs_rename(vfs, NULL, p1, p2, NULL, NULL), seen(m_rename(p1, p2)));
        break;
    case 8:
        random_path(p1, sizeof(p1));
        random_path(p2, sizeof(p2));
        assert_int_equal(vfs_link(vfs, NULL, p1, p2, 0, NULL, NULL), seen(m_link(p1, p2)));
        break;
    case 9:
    case 10: {
        /* Write through a path or an open handle. */
        uint64_t off = rnd(6 * P);
        size_t len = rnd(2 * P), done;
        for (size_t i = 0; i < len; i++)
            buf[i] = (uint8_t)rnd(256);
        if (handle[h].node && rnd(2)) {
            rc = fs_write(handle[h].node, off, buf, len, &done);
            assert_int_equal(rc, seen(m_write(handle[h].model, off, buf, len)));
            break;
        }
        random_path(p1, sizeof(p1));
        rc = vfs_resolve(vfs, NULL, p1, 0, &node, NULL);
        assert_int_equal(rc, seen(m_resolve(p1, true, &mn)));
        if (rc == ST_OK)
            assert_int_equal(fs_write(node, off, buf, len, &done),
                             seen(m_write(mn, off, buf, len)));
        break;
    }
    case 11: {
        uint64_t size = rnd(MAX_PAGES * P + 1);
        if (handle[h].node) {
            assert_int_equal(fs_truncate(handle[h].node, size),
                             seen(m_truncate(handle[h].model, size)));
            break;
        }
        random_path(p1, sizeof(p1));
        rc = vfs_resolve(vfs, NULL, p1, 0, &node, NULL);
        assert_int_equal(rc, seen(m_resolve(p1, true, &mn)));
        if (rc == ST_OK)
            assert_int_equal(fs_truncate(node, size), seen(m_truncate(mn, size)));
        break;
    }
    case 12: {
        /* Look anything up and compare it whole. */
        bool follow = rnd(2);
        random_path(p1, sizeof(p1));
        rc = vfs_resolve(vfs, NULL, p1, follow ? 0 : VFS_NOFOLLOW, &node, NULL);
        assert_int_equal(rc, seen(m_resolve(p1, follow, &mn)));
        if (rc == ST_OK) {
            check_node(node, mn);
            if (m[mn].type == FS_TYPE_DIR)
                check_listing(node, mn);
        }
        break;
    }
    case 13:
        if (handle[h].node) {
            check_node(handle[h].node, handle[h].model);
            fs_node_release(handle[h].node);
            handle[h].node = NULL;
            m[handle[h].model].opens--;
            m_put(handle[h].model);
        }
        break;
    case 14: {
        uint32_t mode = rnd(01000);
        random_path(p1, sizeof(p1));
        rc = vfs_resolve(vfs, NULL, p1, 0, &node, NULL);
        assert_int_equal(rc, seen(m_resolve(p1, true, &mn)));
        if (rc == ST_OK) {
            assert_int_equal(fs_chmod(node, mode), ST_OK);
            m[mn].mode = mode;
        }
        break;
    }
    }
    fs_node_release(node);
    check_space();
}

static uint64_t current_seed;
static int current_step;
static bool finished;

static void run(uint64_t seed, int steps)
{
    memset(m, 0, sizeof(m));
    memset(handle, 0, sizeof(handle));
    m[1].type = FS_TYPE_DIR;
    m[1].mode = 0755;
    m[1].nlink = 2;
    m[1].parent = 1;
    m_used = 0;
    m_inodes = 1;
    current_seed = seed;
    rng = seed * 0x9e3779b97f4a7c15ull + 1;
    rfs = test_ramfs(MAX_BYTES, MAX_INODES);
    assert_int_equal(vfs_new(&vfs), ST_OK);
    assert_int_equal(vfs_mount(vfs, "/", rfs), ST_OK);
    m[1].ino = rfs->root->ino;

    for (int i = 0; i < steps; i++) {
        current_step = i;
        step();
    }
    for (int h = 0; h < HANDLES; h++)
        fs_node_release(handle[h].node);
    assert_int_equal(vfs_free(vfs), ST_OK);
    for (int i = 0; i < MAX_NODES; i++)
        free(m[i].data);
}

static void test_differential(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 24; seed++)
        run(seed, 4000);
    finished = true;
    for (int i = 0; i <= -ST_MIN; i++)
        if (tally[i])
            print_message("status %3d: %lu\n", -i, tally[i]);
    assert_true(tally[-ST_NO_SPACE] && tally[-ST_LIMIT] && tally[-ST_NOT_EMPTY] &&
                tally[-ST_INVALID_ARGUMENT] && tally[-ST_EXISTS] && tally[-ST_NOT_DIRECTORY] &&
                tally[-ST_IS_DIRECTORY]);
}

/* cmocka stops at the first failed assertion: say where to replay from. */
static int where(void **state)
{
    (void)state;
    if (!finished)
        print_message("differential: stopped at seed %llu, step %d\n",
                      (unsigned long long)current_seed, current_step);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_differential, where),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
