/*
 * Private to the VDM core: the BIOS data area layout, the BIOS segment's
 * stubs, and the services each file provides to the others.
 */
#ifndef DOS_VDMP_H
#define DOS_VDMP_H

#include <dos/vdm.h>
#include <dos/vmem.h>

/* BIOS data area (segment 40h) fields used here. */
#define BDA_EQUIPMENT   0x10 /* word */
#define BDA_MEMSIZE     0x13 /* word, KiB */
#define BDA_KBD_FLAGS   0x17 /* byte, and 18h; the queue is in <dos/kbdq.h> */
#define BDA_DISK_STATUS 0x41
#define BDA_VIDEO_MODE  0x49
#define BDA_COLS        0x4A /* word */
#define BDA_PAGE_SIZE   0x4C /* word, bytes */
#define BDA_PAGE_START  0x4E /* word, offset in the video segment */
#define BDA_CURSOR_POS  0x50 /* 8 words: low byte column, high byte row */
#define BDA_CURSOR_TYPE 0x60 /* word: low byte end line, high byte start line */
#define BDA_ACTIVE_PAGE 0x62
#define BDA_CRTC_BASE   0x63 /* word */
#define BDA_MODE_CTL    0x65
#define BDA_PALETTE     0x66
#define BDA_TICKS       0x6C /* dword */
#define BDA_MIDNIGHT    0x70
#define BDA_BREAK       0x71
#define BDA_ROWS        0x84 /* byte: rows - 1 */
#define BDA_CHAR_HEIGHT 0x85 /* word */

#define TICKS_PER_DAY 0x1800B0u

/* BIOS segment: the stubs the vector table points at. */
#define BIOS_STUB_BASE 0xE000u /* stub for INT v at F000:E000 + 4v: 0F FF v CF */
#define BIOS_TIMER_OFF 0xE400u /* INT 08h: 0F FF 88h; INT 1Ch; IRET */
#define BIOS_IRET_OFF  0xFF53u /* the dummy IRET, where the IBM BIOS has it */

/* VDM-private inline host calls. */
#define HC_TIMER_TICK 0x88u
#define HC_RESET      0x89u

static inline uint8_t bda_rd8(const vdm_t *v, uint16_t off)
{
    return vm_rd8(v->mem, VDM_BDA_SEG, off);
}

static inline uint16_t bda_rd16(const vdm_t *v, uint16_t off)
{
    return vm_rd16(v->mem, VDM_BDA_SEG, off);
}

static inline void bda_wr8(vdm_t *v, uint16_t off, uint8_t x)
{
    vm_wr8(v->mem, VDM_BDA_SEG, off, x);
}

static inline void bda_wr16(vdm_t *v, uint16_t off, uint16_t x)
{
    vm_wr16(v->mem, VDM_BDA_SEG, off, x);
}

/* vdm.c */
void vdmp_logf(vdm_t *v, uint32_t key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void vdmp_halt(vdm_t *v, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* video.c: INT 10h and the text screen's geometry. */
void vdmp_video_set_mode(vdm_t *v, uint8_t mode, bool clear);
void vdmp_int10(vdm_t *v, dos_regs_t *r);
void vdmp_teletype(vdm_t *v, uint8_t page, uint8_t ch);
bool vdmp_text_mode(const vdm_t *v);
int vdmp_cols(const vdm_t *v);
uint8_t *vdmp_page(vdm_t *v, uint8_t page); /* NULL when outside memory */
void vdmp_get_cursor(const vdm_t *v, uint8_t page, int *row, int *col);
void vdmp_set_cursor(vdm_t *v, uint8_t page, int row, int col);

/* screen.c: the terminal side. */
void vdmp_scr_init(vdm_t *v);
void vdmp_scr_stream(vdm_t *v, uint8_t ch); /* teletype output on the active page */
void vdmp_scr_bell(vdm_t *v);
void vdmp_scr_scrolled(vdm_t *v, int top, int left, int bottom, int right, int lines, int attr,
                       bool up);
void vdmp_scr_cell_written(vdm_t *v, int row, int col);
void vdmp_scr_cursor_moved(vdm_t *v);
void vdmp_scroll(uint8_t *buf, int cols, int top, int left, int bottom, int right, int lines,
                 int attr, bool up);

/* kbd.c: INT 16h. */
void vdmp_kbd_init(vdm_t *v);
void vdmp_kbd_fill(vdm_t *v);
void vdmp_int16(vdm_t *v, dos_regs_t *r);

/* bios.c: the rest of the BIOS. */
void vdmp_bios_init(vdm_t *v);
bool vdmp_bios_service(vdm_t *v, uint8_t vec, dos_regs_t *r);
void vdmp_timer(vdm_t *v);
void vdmp_timer_tick(vdm_t *v);

/* ports.c: the few I/O ports programs poll. */
void vdmp_ports_init(vdm_t *v);

#endif
