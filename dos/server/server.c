/*
 * The DOS server's entry points and its dispatch: set-up, drive mapping,
 * the call from the VDM sorted by vector, the INT 21h table built from
 * DOS_INT21_CALLS, Ctrl-C checking before a call, error reporting with
 * the extended error of AH=59h, and logging each refusal once.
 *
 * Entry points: dos_server_init, dos_server_map_drive, dos_server_dos_path,
 * dos_server_chdir, dos_server_boot, dos_server_load, dos_server_call; dosp_call21,
 * dosp_ok, dosp_fail, dosp_set_error, dosp_logf, dosp_get_string.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dosp.h"

typedef int dosp_fn_t(dos_server_t *s, dos_regs_t *r);

#define DOSP_TABLE(num, name, what) [num] = do_##name,
static dosp_fn_t *const int21_table[256] = {DOS_INT21_CALLS(DOSP_TABLE)};
#undef DOSP_TABLE

#define DOSP_NAME(num, name, what) [num] = what,
static const char *const int21_names[256] = {DOS_INT21_CALLS(DOSP_NAME)};
#undef DOSP_NAME

int dos_server_init(dos_server_t *s, const dos_server_config_t *cfg)
{
    const dos_host_ops_t *o = cfg->ops;

    if (o == NULL || cfg->mem == NULL || cfg->mem_size < VDM_MEM_SIZE || o->open == NULL ||
        o->close == NULL || o->read == NULL || o->write == NULL || o->set_size == NULL ||
        o->fstat == NULL || o->set_ftime == NULL || o->flush == NULL || o->stat == NULL ||
        o->set_attr == NULL || o->readdir == NULL || o->mkdir == NULL || o->rmdir == NULL ||
        o->unlink == NULL || o->rename == NULL || o->disk_free == NULL || o->con_read == NULL ||
        o->con_peek == NULL || o->con_write == NULL || o->now == NULL || o->log == NULL)
        return -1;
    memset(s, 0, sizeof(*s));
    s->ops = *o;
    s->ctx = cfg->ctx;
    s->mem = cfg->mem;
    s->stdin_redir = cfg->stdin_redir;
    s->stdout_redir = cfg->stdout_redir;
    s->env = cfg->env;
    s->trace = cfg->trace;
    s->cur_drive = 2;
    s->switchar = '/';
    s->alloc_strategy = DOSP_FIT_FIRST;
    return 0;
}

int dos_server_map_drive(dos_server_t *s, char letter, const char *root)
{
    uint8_t d = (uint8_t)((letter | 0x20) - 'a');
    size_t len = strlen(root);

    if (d >= 26 || len == 0 || len >= DOS_HOST_PATH - 160)
        return -DOS_EBADDRV;
    dos_drive_t *dr = &s->drive[d];
    dosp_strlcpy(dr->root, root, sizeof(dr->root));
    /* "dir/" and "dir" are the same root; "/" stays "/" (the host's root is
     * then written "" so that joining gives "/name"). */
    while (len > 0 && dr->root[len - 1] == '/')
        dr->root[--len] = 0;
    dr->cwd[0] = 0;
    dr->mapped = true;
    return 0;
}

int dos_server_dos_path(const dos_server_t *s, const char *host_path, char *out, size_t size)
{
    int best = -1;
    size_t best_len = 0;

    for (int d = 0; d < 26; d++) {
        const char *root = s->drive[d].root;
        size_t n = strlen(root);
        if (!s->drive[d].mapped || strncmp(host_path, root, n) != 0 ||
            (host_path[n] != '/' && host_path[n] != 0) || (best >= 0 && n <= best_len))
            continue;
        best = d;
        best_len = n;
    }
    if (best < 0)
        return -DOS_ENOPATH;
    const char *rest = host_path + best_len;
    while (*rest == '/')
        rest++;
    if (snprintf(out, size, "%c:\\%s", 'A' + best, rest) >= (int)size)
        return -DOS_ENOPATH;
    for (char *p = out; *p; p++)
        if (*p == '/')
            *p = '\\';
    return 0;
}

int dos_server_chdir(dos_server_t *s, const char *dos_path)
{
    dosp_path_t p;
    int rc = dosp_resolve(s, dos_path, 0, &p);

    if (rc != 0)
        return -rc;
    if (!p.exists || !(p.st.attr & DOS_ATTR_DIR))
        return -DOS_ENOPATH;
    s->cur_drive = p.drive;
    dosp_strlcpy(s->drive[p.drive].cwd, strcmp(p.dos, "\\") == 0 ? "" : p.dos,
                 sizeof(s->drive[p.drive].cwd));
    return 0;
}

int dos_server_load(dos_server_t *s, const char *dos_path, const char *tail, dos_regs_t *entry,
                    char *why, size_t why_size)
{
    dosp_exec_t x;
    size_t len = strlen(tail);
    size_t used;

    memset(&x, 0, sizeof(x));
    if (len > 126)
        len = 126;
    x.tail[0] = (uint8_t)len;
    memcpy(x.tail + 1, tail, len);
    x.tail[1 + len] = '\r';
    /* The FCBs COMMAND.COM would build from the first two arguments. */
    uint8_t f[12];
    memset(f, ' ', sizeof(f));
    dosp_parse_fcb_name(x.tail + 1, len, 1, f, &used, dosp_drive_ok_cb, s);
    memcpy(x.fcb1, f, 12);
    memset(f, ' ', sizeof(f));
    size_t used2;
    dosp_parse_fcb_name(x.tail + 1 + used, len - used, 1, f, &used2, dosp_drive_ok_cb, s);
    memcpy(x.fcb2, f, 12);
    x.ret_cs = VDM_DOS_SEG;
    x.ret_ip = DOSSEG_ROOT_END;

    s->cur_psp = s->root_psp;
    int rc = dosp_load(s, dos_path, &x, why, why_size);
    if (rc != 0)
        return rc;
    s->cur_psp = x.psp;
    s->dta_seg = x.psp;
    s->dta_off = PSP_TAIL;
    vm_wr16(s->mem, 0, 0x22 * 4, x.ret_ip);
    vm_wr16(s->mem, 0, 0x22 * 4 + 2, x.ret_cs);
    memset(entry, 0, sizeof(*entry));
    entry->cs = x.cs;
    entry->ip = x.ip;
    entry->ss = x.ss;
    entry->sp = x.sp;
    entry->ds = entry->es = x.psp;
    entry->ax = x.ax;
    entry->cx = 0x00FF;
    entry->dx = x.psp;
    entry->si = x.ip;
    entry->di = x.sp;
    entry->bp = 0x091C;
    entry->flags = DOS_FLAG_IF;
    return 0;
}

/* ---- errors ---- */

int dosp_ok(dos_regs_t *r)
{
    r->flags &= ~DOS_FLAG_CF;
    return DOS_CALL_DONE;
}

void dosp_set_error(dos_server_t *s, uint16_t code)
{
    /* Class, suggested action and locus for AH=59h, after DOS's own table. */
    static const struct {
        uint8_t code, cls, action, locus;
    } info[] = {
        {DOS_EINVFN, 7, 4, 1},   {DOS_ENOENT, 8, 3, 2},    {DOS_ENOPATH, 8, 3, 2},
        {DOS_EMFILE, 1, 4, 1},   {DOS_EACCES, 3, 3, 2},    {DOS_EBADF, 7, 4, 1},
        {DOS_EMCB, 7, 5, 5},     {DOS_ENOMEM, 1, 4, 5},    {DOS_EBADMCB, 7, 4, 5},
        {DOS_EBADENV, 7, 4, 5},  {DOS_EBADFMT, 9, 3, 1},   {DOS_EBADACC, 7, 4, 1},
        {DOS_EBADDATA, 9, 4, 1}, {DOS_EBADDRV, 8, 3, 2},   {DOS_ECURDIR, 3, 3, 2},
        {DOS_EXDEV, 13, 3, 2},   {DOS_ENMFILE, 8, 3, 2},   {DOS_EWRITE, 11, 4, 4},
        {DOS_EREAD, 11, 4, 4},   {DOS_EGENERAL, 13, 4, 1}, {DOS_EEXIST, 12, 3, 2},
    };
    s->err_code = code;
    s->err_class = 13;
    s->err_action = 4;
    s->err_locus = 1;
    for (size_t i = 0; i < sizeof(info) / sizeof(info[0]); i++) {
        if (info[i].code == code) {
            s->err_class = info[i].cls;
            s->err_action = info[i].action;
            s->err_locus = info[i].locus;
        }
    }
}

int dosp_fail(dos_server_t *s, dos_regs_t *r, uint16_t code)
{
    dosp_set_error(s, code);
    r->ax = code;
    r->flags |= DOS_FLAG_CF;
    return DOS_CALL_DONE;
}

void dosp_logf(dos_server_t *s, uint32_t key, const char *fmt, ...)
{
    char msg[200];
    va_list ap;

    for (unsigned i = 0; i < s->nlogged; i++)
        if (s->logged[i] == key)
            return;
    if (s->nlogged == DOS_LOG_KEYS)
        return;
    s->logged[s->nlogged++] = key;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    s->ops.log(s->ctx, msg);
}

bool dosp_get_string(const dos_server_t *s, uint16_t seg, uint16_t off, char *buf, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        buf[i] = (char)vm_rd8(s->mem, seg, (uint16_t)(off + i));
        if (buf[i] == 0)
            return true;
    }
    buf[size - 1] = 0;
    return false;
}

/* ---- dispatch ---- */

int dosp_call21(dos_server_t *s, dos_regs_t *r)
{
    uint8_t ah = r->ah;
    dosp_fn_t *fn = int21_table[ah];

    /* BREAK OFF checks for Ctrl-C only in the character I/O calls. */
    if ((s->brk || (ah >= 0x01 && ah <= 0x0C && ah != 0x06 && ah != 0x07)) && dosp_check_break(s))
        return dosp_break_start(s, r);
    if (s->trace) {
        char msg[96];
        snprintf(msg, sizeof(msg), "INT 21h AX=%04X BX=%04X CX=%04X DX=%04X %s", r->ax, r->bx,
                 r->cx, r->dx, int21_names[ah] != NULL ? int21_names[ah] : "(not implemented)");
        s->ops.log(s->ctx, msg);
    }
    if (fn == NULL) {
        dosp_logf(s, 0x2100u | ah, "INT 21h AH=%02Xh is not implemented", ah);
        return dosp_fail(s, r, DOS_EINVFN);
    }
    int rc = fn(s, r);
    if (rc == DOSP_BREAK)
        return dosp_break_start(s, r);
    return rc;
}

static int absolute_disk(dos_server_t *s, uint8_t vector, dos_regs_t *r)
{
    dosp_logf(s, 0x2500u | vector, "INT %02Xh: absolute disk %s is not supported", vector,
              vector == 0x25 ? "read" : "write");
    /* These return with RETF: the caller pops the flags itself. */
    r->ax = 0x8002; /* attachment failed, drive not ready */
    r->flags |= DOS_FLAG_CF;
    r->sp = (uint16_t)(r->sp - 2);
    vm_wr16(s->mem, r->ss, r->sp, r->flags);
    return DOS_CALL_DONE;
}

int dos_server_call(dos_server_t *s, uint8_t vector, dos_regs_t *r)
{
    switch (vector) {
    case 0x00:
        dosp_con_write(s, "\r\nDivide overflow\r\n", 19, false);
        return dosp_terminate(s, r, 0xFF, 0, -1);
    case 0x20:
        return dosp_terminate(s, r, 0, 0, -1);
    case 0x21:
        s->entry = *r;
        if (r->ah != 0x50 && r->ah != 0x51 && r->ah != 0x62 && r->ah != 0x33) {
            vm_wr16(s->mem, s->cur_psp, PSP_SAVED_SP, r->sp);
            vm_wr16(s->mem, s->cur_psp, PSP_SAVED_SP + 2, r->ss);
        }
        return dosp_call21(s, r);
    case 0x23:
        /* The default Ctrl-C handler: end the program, "terminated by Ctrl-C". */
        return dosp_terminate(s, r, 0, 1, -1);
    case 0x25:
    case 0x26:
        return absolute_disk(s, vector, r);
    case 0x27:
        return dosp_terminate(s, r, 0, 3, (r->dx + 15) >> 4);
    case 0x29: {
        char c = (char)r->al;
        s->ops.con_write(s->ctx, &c, 1);
        return DOS_CALL_DONE;
    }
    case HC_BREAK_RET:
        return dosp_break_return(s, r);
    case HC_CPM:
        return dosp_cpm_call(s, r);
    case HC_ROOT_END:
        r->al = s->ret_code;
        r->ah = s->ret_type;
        return DOS_CALL_EXIT;
    default:
        dosp_logf(s, vector, "DOS call for vector %02Xh: no such service", vector);
        return dosp_fail(s, r, DOS_EINVFN);
    }
}
