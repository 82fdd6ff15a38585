/*
 * Processes: DOS's own memory (the DOS segment's stubs and the list of
 * lists, the arena, the shell's PSP and master environment), EXEC and
 * termination with the return path through the parent's PSP, Ctrl-C
 * through INT 23h, the CP/M-style CALL 5 entry, and the PSP calls.
 *
 * A parent's registers at EXEC are pushed on its own stack, below a
 * signature word, and its PSP:2Eh points at them, as DOS keeps the
 * caller's stack there; termination pops them and resumes the parent at
 * the child's terminate address (PSP:0Ah) with CF clear.
 *
 * Entry points: dos_server_boot, dosp_terminate, dosp_break_start,
 * dosp_break_return, dosp_cpm_call; do_terminate, do_keep, do_exec,
 * do_exit, do_exit_code, do_set_psp, do_get_psp, do_create_psp.
 */
#include <stdio.h>
#include <string.h>

#include "dosp.h"

#define EXEC_FRAME_SIG 0x4558 /* "XE" */
#define EXEC_FRAME     (2 + (uint16_t)sizeof(dos_regs_t))

static void set_vector(dos_server_t *s, uint8_t n, uint16_t seg, uint16_t off)
{
    vm_wr16(s->mem, 0, (uint16_t)(n * 4), off);
    vm_wr16(s->mem, 0, (uint16_t)(n * 4 + 2), seg);
}

static void stub(dos_server_t *s, uint16_t off, const uint8_t *code, size_t n)
{
    vm_write(s->mem, VDM_DOS_SEG, off, code, n);
}

/* The DOS segment: handlers that are host calls, the defaults for INT 23h
 * and 24h, and the data programs ask for by address. */
static void boot_dos_segment(dos_server_t *s)
{
    static const struct {
        uint8_t vec;
        uint16_t off;
        uint8_t ret; /* CF = IRET, CB = RETF (INT 25h/26h leave the flags) */
    } services[] = {
        {0x00, DOSSEG_INT00, 0xCF}, {0x20, DOSSEG_INT20, 0xCF}, {0x21, DOSSEG_INT21, 0xCF},
        {0x23, DOSSEG_INT23, 0xCF}, {0x25, DOSSEG_INT25, 0xCB}, {0x26, DOSSEG_INT26, 0xCB},
        {0x27, DOSSEG_INT27, 0xCF}, {0x29, DOSSEG_INT29, 0xCF},
    };
    static const uint8_t fail24[] = {0xB0, 0x03, 0xCF}; /* MOV AL,3 (fail); IRET */
    static const uint8_t brk[] = {0xCD, 0x23, 0x0F, 0xFF, HC_BREAK_RET};
    static const uint8_t cpm[] = {0x0F, 0xFF, HC_CPM};
    static const uint8_t root_end[] = {0x0F, 0xFF, HC_ROOT_END};
    static const uint8_t retf[] = {0xCB};

    vm_fill(s->mem, VDM_DOS_SEG, 0, 0, (VDM_ARENA_SEG - VDM_DOS_SEG) * 16);
    for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
        const uint8_t code[] = {0x0F, 0xFF, services[i].vec, services[i].ret};
        stub(s, services[i].off, code, sizeof(code));
        set_vector(s, services[i].vec, VDM_DOS_SEG, services[i].off);
    }
    stub(s, DOSSEG_INT24, fail24, sizeof(fail24));
    set_vector(s, 0x24, VDM_DOS_SEG, DOSSEG_INT24);
    set_vector(s, 0x22, VDM_DOS_SEG, DOSSEG_ROOT_END);
    stub(s, DOSSEG_BREAK, brk, sizeof(brk));
    stub(s, DOSSEG_CPM, cpm, sizeof(cpm));
    stub(s, DOSSEG_ROOT_END, root_end, sizeof(root_end));
    stub(s, DOSSEG_RETF, retf, sizeof(retf));
    vm_wr8(s->mem, VDM_DOS_SEG, DOSSEG_MEDIA, 0xF8);

    /* 0000:00C0 (vectors 30h-31h): JMP FAR to the CP/M entry. */
    vm_wr8(s->mem, 0, 0xC0, 0xEA);
    vm_wr16(s->mem, 0, 0xC1, DOSSEG_CPM);
    vm_wr16(s->mem, 0, 0xC3, VDM_DOS_SEG);

    /* List of lists (DOS 3.x layout): only what DOS itself knows here is
     * filled; the pointers to structures the server keeps privately are
     * FFFF:FFFF. The NUL device header is at offset 22h. */
    uint16_t lol = DOSSEG_LOL;
    vm_wr16(s->mem, VDM_DOS_SEG, (uint16_t)(lol - 2), VDM_ARENA_SEG);
    for (uint16_t off = 0; off < 0x1C; off += 4)
        vm_wr32(s->mem, VDM_DOS_SEG, (uint16_t)(lol + off), 0xFFFFFFFFu);
    vm_wr16(s->mem, VDM_DOS_SEG, (uint16_t)(lol + 0x10), 512);
    vm_wr8(s->mem, VDM_DOS_SEG, (uint16_t)(lol + 0x21), 26);
    vm_wr32(s->mem, VDM_DOS_SEG, (uint16_t)(lol + 0x22), 0xFFFFFFFFu);
    vm_wr16(s->mem, VDM_DOS_SEG, (uint16_t)(lol + 0x26), 0x8004);
    vm_wr16(s->mem, VDM_DOS_SEG, (uint16_t)(lol + 0x28), DOSSEG_RETF);
    vm_wr16(s->mem, VDM_DOS_SEG, (uint16_t)(lol + 0x2A), DOSSEG_RETF);
    vm_write(s->mem, VDM_DOS_SEG, (uint16_t)(lol + 0x2C), "NUL     ", 8);
}

/* The master environment, owned by the shell. */
static int boot_env(dos_server_t *s, uint16_t *seg)
{
    static const char *const base[] = {"PATH=C:\\", "COMSPEC=C:\\COMMAND.COM"};
    static const char shell[] = "C:\\COMMAND.COM";
    uint8_t buf[1024];
    size_t n = 0;
    uint16_t largest;

    for (size_t i = 0; i < 2 + 64; i++) {
        const char *e = i < 2 ? base[i] : s->env != NULL ? s->env[i - 2] : NULL;
        if (e == NULL)
            break;
        size_t len = strlen(e) + 1;
        if (n + len + 1 + 2 + sizeof(shell) > sizeof(buf))
            return -1;
        memcpy(buf + n, e, len);
        n += len;
    }
    buf[n++] = 0;
    buf[n++] = 1;
    buf[n++] = 0;
    memcpy(buf + n, shell, sizeof(shell));
    n += sizeof(shell);
    /* Room to grow, as COMMAND.COM keeps (160 bytes at least). */
    size_t size = n + 160;
    if (dosp_mem_alloc(s->mem, VDM_ARENA_SEG, (uint16_t)((size + 15) / 16), s->root_psp,
                       DOSP_FIT_FIRST, seg, &largest) != 0)
        return -1;
    vm_write(s->mem, *seg, 0, buf, n);
    return 0;
}

int dos_server_boot(dos_server_t *s)
{
    uint16_t psp, env, largest;
    dosp_exec_t x;

    boot_dos_segment(s);
    dosp_arena_init(s->mem, VDM_ARENA_SEG, VDM_MEM_TOP);
    /* The shell: a PSP and a little stack, its own parent, as COMMAND.COM. */
    if (dosp_mem_alloc(s->mem, VDM_ARENA_SEG, 0x20, 0, DOSP_FIT_FIRST, &psp, &largest) != 0)
        return -1;
    dosp_mcb_set_owner(s->mem, (uint16_t)(psp - 1), psp);
    s->root_psp = s->cur_psp = psp;
    if (boot_env(s, &env) != 0)
        return -1;
    memset(&x, 0, sizeof(x));
    x.tail[0] = 0;
    x.tail[1] = '\r';
    memset(x.fcb1 + 1, ' ', 11);
    memset(x.fcb2 + 1, ' ', 11);
    vm_fill(s->mem, psp, 0, 0, 0x100);
    vm_wr16(s->mem, psp, PSP_INT20, 0x20CD);
    vm_wr16(s->mem, psp, PSP_MEM_TOP, VDM_MEM_TOP);
    vm_wr16(s->mem, psp, PSP_INT22, DOSSEG_ROOT_END);
    vm_wr16(s->mem, psp, PSP_INT22 + 2, VDM_DOS_SEG);
    vm_wr32(s->mem, psp, PSP_INT23, vm_rd32(s->mem, 0, 0x23 * 4));
    vm_wr32(s->mem, psp, PSP_INT24, vm_rd32(s->mem, 0, 0x24 * 4));
    vm_wr16(s->mem, psp, PSP_PARENT, psp);
    vm_wr16(s->mem, psp, PSP_ENV, env);
    vm_wr16(s->mem, psp, PSP_JFT_SIZE, PSP_JFT_DEFAULT);
    vm_wr16(s->mem, psp, PSP_JFT_PTR, PSP_JFT);
    vm_wr16(s->mem, psp, PSP_JFT_PTR + 2, psp);
    vm_wr32(s->mem, psp, PSP_PREV, 0xFFFFFFFFu);
    vm_wr16(s->mem, psp, PSP_DISPATCH, 0x21CD);
    vm_wr8(s->mem, psp, PSP_DISPATCH + 2, 0xCB);
    vm_write(s->mem, psp, PSP_TAIL, x.tail, 2);
    dosp_std_handles(s, psp);
    s->dta_seg = psp;
    s->dta_off = PSP_TAIL;
    return 0;
}

/* ---- termination ---- */

static void restore_vector(dos_server_t *s, uint16_t psp, uint8_t vec, uint16_t field)
{
    vm_wr32(s->mem, 0, (uint16_t)(vec * 4), vm_rd32(s->mem, psp, field));
}

/*
 * Ends the current program with a return code and termination type (0
 * normal, 1 Ctrl-C, 2 critical error, 3 resident). keep < 0 frees its
 * memory and closes its files; keep >= 0 (TSR) shrinks its PSP's block to
 * keep paragraphs and leaves the rest alone.
 */
int dosp_terminate(dos_server_t *s, dos_regs_t *r, uint8_t code, uint8_t type, int keep)
{
    uint16_t psp = s->cur_psp, parent = dosp_psp16(s, psp, PSP_PARENT);
    uint16_t max;

    s->ret_code = code;
    s->ret_type = type;
    if (psp != s->root_psp) {
        restore_vector(s, psp, 0x22, PSP_INT22);
        restore_vector(s, psp, 0x23, PSP_INT23);
        restore_vector(s, psp, 0x24, PSP_INT24);
    }
    uint16_t ret_ip = dosp_psp16(s, psp, PSP_INT22), ret_cs = dosp_psp16(s, psp, PSP_INT22 + 2);
    if (keep < 0) {
        dosp_close_all(s, psp);
        if (dosp_mem_free_owner(s->mem, VDM_ARENA_SEG, psp) != 0) {
            s->ops.log(s->ctx, "Memory allocation error: the memory control blocks are "
                               "destroyed; system halted");
            return DOS_CALL_HALT;
        }
    } else {
        dosp_mem_resize(s->mem, VDM_ARENA_SEG, psp, (uint16_t)(keep < 6 ? 6 : keep), &max);
    }
    if (psp == s->root_psp || parent == psp || parent == s->root_psp || parent == 0) {
        r->al = code;
        r->ah = type;
        return DOS_CALL_EXIT;
    }

    s->cur_psp = parent;
    s->dta_seg = parent;
    s->dta_off = PSP_TAIL;
    uint16_t ss = dosp_psp16(s, parent, PSP_SAVED_SP + 2), sp = dosp_psp16(s, parent, PSP_SAVED_SP);
    if (vm_rd16(s->mem, ss, sp) == EXEC_FRAME_SIG) {
        vm_read(s->mem, ss, (uint16_t)(sp + 2), r, sizeof(*r));
        sp = (uint16_t)(sp + EXEC_FRAME);
    }
    r->ss = ss;
    r->sp = sp;
    r->cs = ret_cs;
    r->ip = ret_ip;
    r->flags &= ~DOS_FLAG_CF;
    return DOS_CALL_DONE;
}

int do_terminate(dos_server_t *s, dos_regs_t *r)
{
    return dosp_terminate(s, r, 0, 0, -1);
}

int do_exit(dos_server_t *s, dos_regs_t *r)
{
    return dosp_terminate(s, r, r->al, 0, -1);
}

int do_keep(dos_server_t *s, dos_regs_t *r)
{
    return dosp_terminate(s, r, r->al, 3, r->dx);
}

int do_exit_code(dos_server_t *s, dos_regs_t *r)
{
    r->al = s->ret_code;
    r->ah = s->ret_type;
    /* DOS hands the code out once. */
    s->ret_code = s->ret_type = 0;
    return dosp_ok(r);
}

/* ---- EXEC ---- */

int do_exec(dos_server_t *s, dos_regs_t *r)
{
    dosp_exec_t x;
    char path[128], why[200];
    uint8_t *m = s->mem;

    if (r->al != 0 && r->al != 1 && r->al != 3)
        return dosp_fail(s, r, DOS_EINVFN);
    if (!dosp_get_string(s, r->ds, r->dx, path, sizeof(path)))
        return dosp_fail(s, r, DOS_ENOPATH);
    memset(&x, 0, sizeof(x));
    x.mode = r->al;
    if (x.mode == 3) {
        x.ovl_seg = vm_rd16(m, r->es, r->bx);
        x.ovl_reloc = vm_rd16(m, r->es, (uint16_t)(r->bx + 2));
    } else {
        uint32_t tail = vm_rd32(m, r->es, (uint16_t)(r->bx + 2));
        uint32_t f1 = vm_rd32(m, r->es, (uint16_t)(r->bx + 6));
        uint32_t f2 = vm_rd32(m, r->es, (uint16_t)(r->bx + 10));
        x.env = vm_rd16(m, r->es, r->bx);
        vm_read(m, (uint16_t)(tail >> 16), (uint16_t)tail, x.tail, sizeof(x.tail));
        vm_read(m, (uint16_t)(f1 >> 16), (uint16_t)f1, x.fcb1, sizeof(x.fcb1));
        vm_read(m, (uint16_t)(f2 >> 16), (uint16_t)f2, x.fcb2, sizeof(x.fcb2));
        x.ret_cs = r->cs;
        x.ret_ip = r->ip;
    }
    int rc = dosp_load(s, path, &x, why, sizeof(why));
    if (rc != 0) {
        /* A missing program is the caller's business; a broken one is news. */
        if (rc != DOS_ENOENT && rc != DOS_ENOPATH && rc != DOS_EACCES)
            s->ops.log(s->ctx, why);
        return dosp_fail(s, r, (uint16_t)rc);
    }
    if (x.mode == 3)
        return dosp_ok(r);

    /* The parent's registers wait on its stack for the child's exit. */
    uint16_t parent = s->cur_psp;
    dos_regs_t saved = *r;
    saved.flags &= ~DOS_FLAG_CF;
    if (x.mode == 0) {
        r->sp = (uint16_t)(r->sp - EXEC_FRAME);
        vm_wr16(m, r->ss, r->sp, EXEC_FRAME_SIG);
        vm_write(m, r->ss, (uint16_t)(r->sp + 2), &saved, sizeof(saved));
    }
    vm_wr16(m, parent, PSP_SAVED_SP, r->sp);
    vm_wr16(m, parent, PSP_SAVED_SP + 2, r->ss);
    set_vector(s, 0x22, x.ret_cs, x.ret_ip);
    s->cur_psp = x.psp;
    s->dta_seg = x.psp;
    s->dta_off = PSP_TAIL;

    if (x.mode == 1) {
        /* A debugger loads: it gets the entry point, and AX on the child's stack. */
        x.sp = (uint16_t)(x.sp - 2);
        vm_wr16(m, x.ss, x.sp, x.ax);
        vm_wr16(m, r->es, (uint16_t)(r->bx + 0x0E), x.sp);
        vm_wr16(m, r->es, (uint16_t)(r->bx + 0x10), x.ss);
        vm_wr16(m, r->es, (uint16_t)(r->bx + 0x12), x.ip);
        vm_wr16(m, r->es, (uint16_t)(r->bx + 0x14), x.cs);
        r->sp = saved.sp;
        return dosp_ok(r);
    }
    memset(r, 0, sizeof(*r));
    r->cs = x.cs;
    r->ip = x.ip;
    r->ss = x.ss;
    r->sp = x.sp;
    r->ds = r->es = x.psp;
    r->ax = x.ax;
    r->cx = 0x00FF;
    r->dx = x.psp;
    r->si = x.ip;
    r->di = x.sp;
    r->bp = 0x091C;
    r->flags = DOS_FLAG_IF;
    return DOS_CALL_DONE;
}

/* ---- PSP calls ---- */

int do_set_psp(dos_server_t *s, dos_regs_t *r)
{
    s->cur_psp = r->bx;
    return DOS_CALL_DONE;
}

int do_get_psp(dos_server_t *s, dos_regs_t *r)
{
    r->bx = s->cur_psp;
    return dosp_ok(r);
}

int do_create_psp(dos_server_t *s, dos_regs_t *r)
{
    uint8_t psp[0x100];

    vm_read(s->mem, s->cur_psp, 0, psp, sizeof(psp));
    vm_write(s->mem, r->dx, 0, psp, sizeof(psp));
    vm_wr32(s->mem, r->dx, PSP_INT22, vm_rd32(s->mem, 0, 0x22 * 4));
    vm_wr32(s->mem, r->dx, PSP_INT23, vm_rd32(s->mem, 0, 0x23 * 4));
    vm_wr32(s->mem, r->dx, PSP_INT24, vm_rd32(s->mem, 0, 0x24 * 4));
    return DOS_CALL_DONE;
}

/* ---- Ctrl-C ---- */

/*
 * Ctrl-C was typed during the current INT 21h call: echo it, then run
 * INT 23h with the registers the call came with. The stub it runs in
 * (INT 23h; host call) comes back to dosp_break_return, which restarts
 * the call if the handler returned with IRET (or RETF and CF clear) and
 * ends the program if it returned with RETF and CF set.
 */
int dosp_break_start(dos_server_t *s, dos_regs_t *r)
{
    *r = s->entry;
    dosp_con_write(s, "^C\r\n", 4, false);
    s->line_len = s->line_pos = 0;
    r->sp = (uint16_t)(r->sp - 6);
    vm_wr16(s->mem, r->ss, r->sp, r->ip);
    vm_wr16(s->mem, r->ss, (uint16_t)(r->sp + 2), r->cs);
    vm_wr16(s->mem, r->ss, (uint16_t)(r->sp + 4), r->flags);
    s->break_ss = r->ss;
    s->break_sp = r->sp;
    r->cs = VDM_DOS_SEG;
    r->ip = DOSSEG_BREAK;
    return DOS_CALL_DONE;
}

int dosp_break_return(dos_server_t *s, dos_regs_t *r)
{
    if (r->ss != s->break_ss || r->sp != s->break_sp) {
        /* RETF left the flags on the stack: CF set means "abort". */
        if (r->flags & DOS_FLAG_CF)
            return dosp_terminate(s, r, 0, 1, -1);
        r->ss = s->break_ss;
        r->sp = s->break_sp;
    }
    r->ip = vm_rd16(s->mem, r->ss, r->sp);
    r->cs = vm_rd16(s->mem, r->ss, (uint16_t)(r->sp + 2));
    r->flags = vm_rd16(s->mem, r->ss, (uint16_t)(r->sp + 4));
    r->sp = (uint16_t)(r->sp + 6);
    s->entry = *r;
    return dosp_call21(s, r);
}

/*
 * CALL 5 (CP/M style): the program's near CALL to PSP:0005 and the far
 * CALL there lead to the DOS segment through 0000:00C0. CL is the
 * function (00h-24h); return to the near caller.
 */
int dosp_cpm_call(dos_server_t *s, dos_regs_t *r)
{
    uint16_t cs = vm_rd16(s->mem, r->ss, (uint16_t)(r->sp + 2));
    uint16_t ip = vm_rd16(s->mem, r->ss, (uint16_t)(r->sp + 4));

    r->sp = (uint16_t)(r->sp + 6);
    r->cs = cs;
    r->ip = ip;
    if (r->cl > 0x24) {
        r->al = 0;
        return DOS_CALL_DONE;
    }
    uint16_t flags = r->flags;
    r->ah = r->cl;
    s->entry = *r;
    int rc = dosp_call21(s, r);
    if (rc == DOS_CALL_DONE && r->cs == cs && r->ip == ip)
        r->flags = (uint16_t)((r->flags & DOS_FLAG_CF) | (flags & ~DOS_FLAG_CF));
    return rc;
}
