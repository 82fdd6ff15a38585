/*
 * A write-heavy randomized differential test: thousands of operations
 * (create, write with gaps, truncate, unlink, mkdir, rmdir, rename with
 * replacement, case changes and subtree checks, remounts) applied both
 * to a FAT volume and to a small in-memory model, comparing every status,
 * every file's contents and every listing; fsck.fat -n and mtools check
 * the volume at the end. Names mix long, short, case variants and
 * non-ASCII. Seeds are fixed, so a failure replays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fat_test.h"

#define KIDS_MAX  24
#define SIZE_MAX_ 60000
#define DEPTH_MAX 4

typedef struct mnode mnode_t;
struct mnode {
    int isdir;
    char name[64];
    mnode_t *parent;
    mnode_t *kids[KIDS_MAX];
    int nkids;
    uint8_t *data;
    size_t size;
};

static const char *pool[] = {
    "a",
    "A",
    "b.txt",
    "B.TXT",
    "file one.txt",
    "FILE ONE.TXT",
    "long directory name",
    "x.tar.gz",
    "Ünï.txt",
    "README",
    "readme",
    "dir",
    "Dir",
    "zz top",
    "noext",
    "verylongname_with_many_chars.extension",
};
#define NPOOL (sizeof(pool) / sizeof(*pool))

static unsigned long long rng;
static unsigned ok, refused; /* operations that changed something, and not */

static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((rng >> 33) % n);
}

static int name_eq(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = *a >= 'A' && *a <= 'Z' ? *a + 32 : *a;
        int y = *b >= 'A' && *b <= 'Z' ? *b + 32 : *b;
        if (x != y)
            return 0;
        if (!x)
            return 1;
    }
}

static mnode_t *m_find(mnode_t *dir, const char *name, int *idx)
{
    for (int i = 0; i < dir->nkids; i++)
        if (name_eq(dir->kids[i]->name, name)) {
            if (idx)
                *idx = i;
            return dir->kids[i];
        }
    return NULL;
}

static mnode_t *m_new(mnode_t *dir, const char *name, int isdir)
{
    mnode_t *n = calloc(1, sizeof(*n));
    n->isdir = isdir;
    snprintf(n->name, sizeof(n->name), "%s", name);
    n->parent = dir;
    dir->kids[dir->nkids++] = n;
    return n;
}

static void m_detach(mnode_t *n)
{
    mnode_t *p = n->parent;
    for (int i = 0; i < p->nkids; i++)
        if (p->kids[i] == n) {
            p->kids[i] = p->kids[--p->nkids];
            return;
        }
}

static void m_free(mnode_t *n)
{
    for (int i = 0; i < n->nkids; i++)
        m_free(n->kids[i]);
    free(n->data);
    free(n);
}

static int depth(mnode_t *n)
{
    int d = 0;
    while (n->parent) {
        n = n->parent;
        d++;
    }
    return d;
}

/* The volume's node for a model node (a reference). */
static fs_node_t *node_of(fs_t *fs, mnode_t *m)
{
    if (!m->parent) {
        fs_node_ref(fs->root);
        return fs->root;
    }
    fs_node_t *p = node_of(fs, m->parent);
    fs_node_t *n = t_lookup(p, m->name);
    fs_node_release(p);
    return n;
}

static mnode_t *random_dir(mnode_t *root)
{
    mnode_t *d = root;
    while (rnd(3) != 0) {
        mnode_t *sub[KIDS_MAX];
        int n = 0;
        for (int i = 0; i < d->nkids; i++)
            if (d->kids[i]->isdir)
                sub[n++] = d->kids[i];
        if (n == 0)
            break;
        d = sub[rnd((unsigned)n)];
    }
    return d;
}

static mnode_t *random_file(mnode_t *root)
{
    for (int tries = 0; tries < 10; tries++) {
        mnode_t *d = random_dir(root);
        int n = 0;
        mnode_t *f[KIDS_MAX];
        for (int i = 0; i < d->nkids; i++)
            if (!d->kids[i]->isdir)
                f[n++] = d->kids[i];
        if (n)
            return f[rnd((unsigned)n)];
    }
    return NULL;
}

static int below(mnode_t *dir, mnode_t *n)
{
    for (; dir; dir = dir->parent)
        if (dir == n)
            return 1;
    return 0;
}

static void check_file(fs_t *fs, mnode_t *m)
{
    fs_node_t *f = node_of(fs, m);
    size_t len;
    char *data = t_read_all(f, &len);
    assert_int_equal(len, m->size);
    if (len)
        assert_memory_equal(data, m->data, len);
    free(data);
    fs_node_release(f);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void check_tree(fs_t *fs, mnode_t *m)
{
    if (!m->isdir) {
        check_file(fs, m);
        return;
    }
    const char *names[KIDS_MAX];
    static char want[4096];
    for (int i = 0; i < m->nkids; i++)
        names[i] = m->kids[i]->name;
    qsort(names, (size_t)m->nkids, sizeof(*names), cmp_str);
    want[0] = '\0';
    for (int i = 0; i < m->nkids; i++) {
        strcat(want, names[i]);
        if (i + 1 < m->nkids)
            strcat(want, "\n");
    }
    fs_node_t *d = node_of(fs, m);
    assert_string_equal(t_list(d), want);
    fs_node_release(d);
    for (int i = 0; i < m->nkids; i++)
        check_tree(fs, m->kids[i]);
}

/* ST_NO_SPACE is right only on a nearly full volume or a full fixed root. */
static int no_space_ok(fs_t *fs, mnode_t *d, int rc)
{
    fs_statfs_t sf;
    if (rc != ST_NO_SPACE)
        return 0;
    assert_int_equal(fs_statfs(fs, &sf), ST_OK);
    if (sf.free_bytes > 4ull * sf.block_size && (d->parent || strcmp(sf.type, "fat32") == 0))
        fail_msg("ST_NO_SPACE with %llu bytes free", (unsigned long long)sf.free_bytes);
    refused++;
    return 1;
}

static void step(fs_t *fs, mnode_t *root)
{
    const char *name = pool[rnd(NPOOL)];
    fs_node_t *n;
    int rc, want;

    switch (rnd(10)) {
    case 0:
    case 1: { /* create */
        mnode_t *d = random_dir(root);
        want = m_find(d, name, NULL) ? ST_EXISTS : d->nkids >= KIDS_MAX ? -1000 : ST_OK;
        if (want == -1000)
            return;
        fs_node_t *dn = node_of(fs, d);
        rc = fs_create(dn, name, 0644, &n);
        if (no_space_ok(fs, d, rc)) {
            fs_node_release(dn);
            return;
        }
        assert_int_equal(rc, want);
        if (rc == ST_OK) {
            fs_node_release(n);
            m_new(d, name, 0);
        }
        rc == ST_OK ? ok++ : refused++;
        fs_node_release(dn);
        break;
    }
    case 2: { /* mkdir */
        mnode_t *d = random_dir(root);
        if (d->nkids >= KIDS_MAX || depth(d) >= DEPTH_MAX)
            return;
        want = m_find(d, name, NULL) ? ST_EXISTS : ST_OK;
        fs_node_t *dn = node_of(fs, d);
        rc = fs_mkdir(dn, name, 0755, &n);
        if (no_space_ok(fs, d, rc)) {
            fs_node_release(dn);
            return;
        }
        assert_int_equal(rc, want);
        if (rc == ST_OK) {
            fs_node_release(n);
            m_new(d, name, 1);
        }
        rc == ST_OK ? ok++ : refused++;
        fs_node_release(dn);
        break;
    }
    case 3:
    case 4: { /* write, maybe past the end */
        mnode_t *f = random_file(root);
        if (!f)
            return;
        size_t off = rnd((unsigned)f->size + 3000), len = 1 + rnd(9000);
        if (off + len > SIZE_MAX_)
            return;
        uint8_t *buf = malloc(len);
        for (size_t i = 0; i < len; i++)
            buf[i] = (uint8_t)rnd(256);
        fs_node_t *fn = node_of(fs, f);
        size_t done;
        rc = fs_write(fn, off, buf, len, &done);
        fs_node_release(fn);
        if (rc == ST_NO_SPACE) { /* all or nothing: the model stays */
            free(buf);
            refused++;
            return;
        }
        assert_int_equal(rc, ST_OK);
        ok++;
        if (off + len > f->size) {
            f->data = realloc(f->data, off + len);
            if (off > f->size)
                memset(f->data + f->size, 0, off - f->size);
            f->size = off + len;
        }
        memcpy(f->data + off, buf, len);
        free(buf);
        break;
    }
    case 5: { /* truncate */
        mnode_t *f = random_file(root);
        if (!f)
            return;
        size_t size = rnd(3) == 0 ? 0 : rnd(SIZE_MAX_);
        fs_node_t *fn = node_of(fs, f);
        rc = fs_truncate(fn, size);
        fs_node_release(fn);
        if (rc == ST_NO_SPACE) {
            refused++;
            return;
        }
        assert_int_equal(rc, ST_OK);
        ok++;
        f->data = realloc(f->data, size ? size : 1);
        if (size > f->size)
            memset(f->data + f->size, 0, size - f->size);
        f->size = size;
        break;
    }
    case 6: { /* unlink or rmdir */
        mnode_t *d = random_dir(root);
        mnode_t *v = m_find(d, name, NULL);
        int dir = rnd(2);
        if (!v)
            want = ST_NOT_FOUND;
        else if (dir)
            want = !v->isdir ? ST_NOT_DIRECTORY : v->nkids ? ST_NOT_EMPTY : ST_OK;
        else
            want = v->isdir ? ST_IS_DIRECTORY : ST_OK;
        fs_node_t *dn = node_of(fs, d);
        rc = dir ? fs_rmdir(dn, name) : fs_unlink(dn, name);
        assert_int_equal(rc, want);
        fs_node_release(dn);
        if (rc == ST_OK) {
            m_detach(v);
            m_free(v);
        }
        rc == ST_OK ? ok++ : refused++;
        break;
    }
    case 7:
    case 8: { /* rename */
        mnode_t *od = random_dir(root), *nd = random_dir(root);
        const char *oname = od->nkids && rnd(4) ? od->kids[rnd((unsigned)od->nkids)]->name : name;
        char oname_copy[64];
        snprintf(oname_copy, sizeof(oname_copy), "%s", oname);
        const char *nname = pool[rnd(NPOOL)];
        mnode_t *s = m_find(od, oname_copy, NULL), *t = m_find(nd, nname, NULL);
        if (!s)
            want = ST_NOT_FOUND;
        else if (t == s)
            want = ST_OK;
        else if (t && s->isdir && !t->isdir)
            want = ST_NOT_DIRECTORY;
        else if (t && !s->isdir && t->isdir)
            want = ST_IS_DIRECTORY;
        else if (t && t->isdir && t->nkids)
            want = ST_NOT_EMPTY;
        else if (s->isdir && od != nd && below(nd, s))
            want = ST_INVALID_ARGUMENT;
        else if (!t && nd->nkids >= KIDS_MAX)
            return;
        else if (s->isdir && depth(nd) + 1 > DEPTH_MAX)
            return;
        else
            want = ST_OK;
        fs_node_t *on = node_of(fs, od), *nn = node_of(fs, nd);
        rc = fs_rename(on, oname_copy, nn, nname);
        fs_node_release(on);
        fs_node_release(nn);
        if (no_space_ok(fs, nd, rc))
            return;
        if (rc != want)
            fail_msg("rename %s -> %s: %d, expected %d", oname_copy, nname, rc, want);
        if (rc == ST_OK && s != t) {
            if (t) {
                m_detach(t);
                m_free(t);
            }
            m_detach(s);
            s->parent = nd;
            nd->kids[nd->nkids++] = s;
        }
        if (rc == ST_OK)
            snprintf(s->name, sizeof(s->name), "%s", nname);
        rc == ST_OK ? ok++ : refused++;
        break;
    }
    default: { /* read back */
        mnode_t *f = random_file(root);
        if (f)
            check_file(fs, f);
        break;
    }
    }
}

static void run(int type, unsigned kb, unsigned long long seed, int steps)
{
    char name[32], extra[16];
    snprintf(name, sizeof(name), "rand%d.img", type);
    /* FAT32 cluster sizes vary with the seed, 1 to 16 sectors, on a
     * (sparse) volume just large enough to be FAT32 by its cluster count. */
    unsigned spc = 1u << (seed % 5);
    snprintf(extra, sizeof(extra), "-s %u", spc);
    if (type == 32)
        kb = 34000 * spc;
    const char *img = t_mkfs(name, type, kb, type == 32 ? extra : NULL);
    tdev_t d;
    /* Small caches too, down to the minimum, so that every eviction path
     * (data alone, all groups in order) runs in the middle of operations. */
    static const uint32_t caches[] = {8, 16, 64, 256};
    uint32_t cache = caches[seed % 4];
    fs_t *fs = t_mount_cache(img, &d, cache);
    mnode_t *root = calloc(1, sizeof(*root));
    root->isdir = 1;
    rng = seed;
    for (int i = 0; i < steps; i++) {
        step(fs, root);
        if (rnd(300) == 0) {
            t_umount(fs, &d);
            fs = t_mount_cache(img, &d, cache);
        }
        if (i % 500 == 499)
            check_tree(fs, root);
    }
    check_tree(fs, root);
    t_umount(fs, &d);
    assert_int_equal(t_fsck(img), 0);
    fs = t_mount(img, &d);
    check_tree(fs, root);
    t_umount(fs, &d);
    /* mtools agrees on a file or two. */
    mnode_t *f = random_file(root);
    if (f && !f->parent->parent && f->size) {
        const char *out = t_path("copy.bin");
        assert_int_equal(t_sh("mcopy -n -i '%s' '::/%s' '%s'", img, f->name, out), 0);
        FILE *fp = fopen(out, "rb");
        uint8_t *buf = malloc(f->size);
        assert_int_equal(fread(buf, 1, f->size, fp), f->size);
        fclose(fp);
        assert_memory_equal(buf, f->data, f->size);
        free(buf);
    }
    m_free(root);
    print_message("FAT%d: %u operations done, %u refused as expected\n", type, ok, refused);
    assert_true(ok > (unsigned)steps / 3);
    ok = refused = 0;
}

static void test_random_fat12(void **state)
{
    (void)state;
    for (unsigned long long seed = 1; seed <= 4; seed++)
        run(12, 1440, seed * 100 + 12, 5000);
}

static void test_random_fat16(void **state)
{
    (void)state;
    for (unsigned long long seed = 1; seed <= 4; seed++)
        run(16, 16384, seed * 100 + 16, 5000);
}

static void test_random_fat32(void **state)
{
    (void)state;
    for (unsigned long long seed = 1; seed <= 4; seed++)
        run(32, 65536, seed * 100 + 32, 5000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_fat12),
        cmocka_unit_test(test_random_fat16),
        cmocka_unit_test(test_random_fat32),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
