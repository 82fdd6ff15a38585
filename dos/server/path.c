/*
 * DOS paths to host paths. A DOS path (drive, '\' or '/' separators, ".",
 * "..", names cut to 8.3 and upper-cased) is made canonical against the
 * drive's current directory, then walked on the host from the drive's
 * root, finding each name in its directory regardless of case. Host
 * names that are not valid 8.3 names cannot be reached (nor listed).
 *
 * Entry points: dosp_resolve, dosp_resolve_at, dosp_lookup,
 * dosp_drive_ok, dosp_fcb_path.
 */
#include <string.h>

#include "dosp.h"

#define MAX_DEPTH 32

bool dosp_drive_ok(const dos_server_t *s, uint8_t drive)
{
    return drive < 26 && s->drive[drive].mapped;
}

bool dosp_drive_ok_cb(void *ctx, uint8_t drive)
{
    return dosp_drive_ok(ctx, drive);
}

static bool append(char *buf, size_t size, const char *a, const char *b)
{
    size_t n = strlen(buf);
    return n + strlen(a) + strlen(b) < size && (strcat(buf, a), strcat(buf, b), true);
}

/*
 * Finds the host entry of the 8.3 name in host directory dir: its host
 * name goes to out. 0, -DOS_ENOENT, or the error of readdir.
 */
int dosp_lookup(dos_server_t *s, const char *dir, const char *name, char *out, size_t out_size)
{
    char path[DOS_HOST_PATH];
    dos_stat_t st;
    dos_dirent_t ent;
    char dn[13];

    path[0] = 0;
    if (append(path, sizeof(path), dir, "/") && append(path, sizeof(path), name, "") &&
        s->ops.stat(s->ctx, path, &st) == 0) {
        dosp_strlcpy(out, name, out_size);
        return 0;
    }
    for (uint32_t i = 0; i < 0x10000; i++) {
        int rc = s->ops.readdir(s->ctx, dir, i, &ent);
        if (rc < 0)
            return rc;
        if (rc > 0)
            break;
        if (dosp_host_to_dos(ent.name, dn) == 0 && strcmp(dn, name) == 0 &&
            strlen(ent.name) < out_size) {
            dosp_strlcpy(out, ent.name, out_size);
            return 0;
        }
    }
    return -DOS_ENOENT;
}

/* Splits a canonical "\A\B" directory into components. */
static int split_dir(const char *dir, char comps[][13], int n)
{
    while (*dir != 0) {
        const char *start = ++dir; /* skip the '\' */
        while (*dir != 0 && *dir != '\\')
            dir++;
        size_t len = (size_t)(dir - start);
        if (len == 0 || len > 12 || n == MAX_DEPTH)
            return -1;
        memcpy(comps[n], start, len);
        comps[n][len] = 0;
        n++;
    }
    return n;
}

static bool is_sep(char c)
{
    return c == '\\' || c == '/';
}

int dosp_resolve(dos_server_t *s, const char *in, unsigned flags, dosp_path_t *p)
{
    char comps[MAX_DEPTH][13];
    int n = 0;
    const char *q = in;

    memset(p, 0, sizeof(*p));
    memset(p->fcb, ' ', sizeof(p->fcb));
    p->drive = s->cur_drive;
    if (q[0] != 0 && q[1] == ':') {
        uint8_t c = (uint8_t)(q[0] | 0x20);
        if (c < 'a' || c > 'z')
            return DOS_ENOPATH;
        p->drive = (uint8_t)(c - 'a');
        q += 2;
    }
    if (!dosp_drive_ok(s, p->drive) || *q == 0)
        return DOS_ENOPATH;
    if (!is_sep(*q)) {
        n = split_dir(s->drive[p->drive].cwd, comps, 0);
        if (n < 0)
            return DOS_ENOPATH;
    }

    while (*q != 0) {
        while (is_sep(*q))
            q++;
        const char *start = q;
        while (*q != 0 && !is_sep(*q))
            q++;
        size_t len = (size_t)(q - start);
        if (len == 0)
            break;
        const char *rest = q;
        while (is_sep(*rest))
            rest++;
        bool last = *rest == 0;
        char tmp[80];
        uint8_t fcb[11];
        if (len >= sizeof(tmp))
            return DOS_ENOPATH;
        memcpy(tmp, start, len);
        tmp[len] = 0;
        if (strcmp(tmp, ".") == 0)
            continue;
        if (strcmp(tmp, "..") == 0) {
            if (n == 0)
                return DOS_ENOPATH;
            n--;
            continue;
        }
        if (dosp_name_to_fcb(tmp, fcb, last && (flags & DOSP_PATH_WILD)) != 0)
            return last ? DOS_ENOENT : DOS_ENOPATH;
        if (n == MAX_DEPTH)
            return DOS_ENOPATH;
        dosp_fcb_to_name(fcb, comps[n++]);
    }

    /* The canonical DOS form, within DOS's 64-character limit. */
    strcpy(p->dos, "\\");
    for (int i = 0; i < n; i++)
        if (!append(p->dos, sizeof(p->dos), i > 0 ? "\\" : "", comps[i]))
            return DOS_ENOPATH;
    if (strlen(p->dos) > 66)
        return DOS_ENOPATH;

    dosp_strlcpy(p->host, s->drive[p->drive].root, sizeof(p->host));
    if (n == 0) {
        p->dir_len = strlen(p->host);
        p->exists = true;
        p->st.attr = DOS_ATTR_DIR;
        return 0;
    }
    for (int i = 0; i < n; i++) {
        char found[256];
        bool last = i == n - 1;
        if (last) {
            p->dir_len = strlen(p->host);
            strcpy(p->name, comps[i]);
            dosp_name_to_fcb(comps[i], p->fcb, true);
            p->wild = dosp_has_wild(p->fcb);
            p->device = p->wild ? 0 : dosp_device_name(p->fcb);
            if (p->device != 0) {
                p->exists = true;
                return 0;
            }
        }
        int rc = p->wild ? -DOS_ENOENT : dosp_lookup(s, p->host, comps[i], found, sizeof(found));
        if (rc < 0 && rc != -DOS_ENOENT)
            return last ? -rc : DOS_ENOPATH;
        if (rc < 0 && !last)
            return DOS_ENOPATH;
        if (!append(p->host, sizeof(p->host), "/", rc == 0 ? found : comps[i]))
            return DOS_ENOPATH;
        if (rc < 0)
            break;
        if (s->ops.stat(s->ctx, p->host, &p->st) != 0 || (!last && !(p->st.attr & DOS_ATTR_DIR)))
            return last ? DOS_ENOENT : DOS_ENOPATH;
        p->exists = last;
    }
    return 0;
}

int dosp_resolve_at(dos_server_t *s, uint16_t seg, uint16_t off, unsigned flags, dosp_path_t *p)
{
    char buf[128];

    if (!dosp_get_string(s, seg, off, buf, sizeof(buf)))
        return DOS_ENOPATH;
    return dosp_resolve(s, buf, flags, p);
}

/* The file an FCB names: drive byte (0 = default) and 11-byte name, in
 * the drive's current directory. */
int dosp_fcb_path(dos_server_t *s, uint8_t drive_byte, const uint8_t name[11], dosp_path_t *p)
{
    char buf[16];
    uint8_t d = drive_byte == 0 ? s->cur_drive : (uint8_t)(drive_byte - 1);

    buf[0] = (char)('A' + (d < 26 ? d : 0));
    buf[1] = ':';
    dosp_fcb_to_name(name, buf + 2);
    if (d >= 26 || buf[2] == 0)
        return DOS_ENOENT;
    return dosp_resolve(s, buf, DOSP_PATH_WILD, p);
}
