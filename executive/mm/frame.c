/*
 * Boot-time memory set-up and the kernel's frame allocator.
 *
 * mm_init() reads the firmware memory map, carves the frame database and
 * the final page tables out of free RAM with a bump allocator, has the arch
 * layer build the kernel's address space (direct map + kernel image with
 * proper permissions), and then hands every usable frame that the kernel
 * image, the boot image and those early allocations do not occupy to the
 * frame database.
 */
#include "mm.h"
#include "frame_db.h"
#include "ke.h"
#include <string.h>

#define LOW_RESERVED          (1ull << 20) /* BIOS area, real-mode structures */
#define EARLY_LIMIT           (1ull << 30) /* the boot page tables map only 1 GiB */
#define KERNEL_RESERVE_FRAMES 512          /* 2 MiB kept for the kernel's own needs */

extern char __kernel_start[], __kernel_end[];

void arch_mm_init(uint64_t max_phys, uint64_t (*early_alloc)(void));

static frame_db_t db;
static uint64_t early_next, early_start, early_end;
static uint64_t initrd_lo, initrd_hi;

static uint64_t early_alloc(void)
{
    uint64_t pa = early_next;

    if (pa >= initrd_lo && pa < initrd_hi)
        pa = ALIGN_UP(initrd_hi, PAGE_SIZE);
    if (pa + PAGE_SIZE > early_end)
        panic("mm: out of early boot memory");
    early_next = pa + PAGE_SIZE;
    memset(phys_to_virt(pa), 0, PAGE_SIZE);
    return pa;
}

/* Releases [lo, hi) to the frame database, minus the ranges in taken. */
static void release_free_parts(uint64_t lo, uint64_t hi, const void *taken_v, size_t n)
{
    const struct {
        uint64_t lo, hi;
    } *taken = taken_v;

    while (lo < hi) {
        uint64_t end = hi;
        bool skipped = false;
        for (size_t i = 0; i < n; i++) {
            if (taken[i].lo <= lo && lo < taken[i].hi) {
                lo = taken[i].hi; /* inside a taken range: skip past it */
                skipped = true;
                break;
            }
            if (taken[i].lo > lo && taken[i].lo < end)
                end = taken[i].lo;
        }
        if (skipped)
            continue;
        frame_db_release(&db, lo / PAGE_SIZE, (end - lo) / PAGE_SIZE);
        lo = end;
    }
}

/* The firmware's usable RAM, kept for mm_is_ram. */
static struct {
    uint64_t lo, hi;
} ram[BOOT_MAX_MEM];
static int nram;

bool mm_is_ram(uint64_t lo, uint64_t hi)
{
    for (int i = 0; i < nram; i++) {
        if (lo < ram[i].hi && hi > ram[i].lo)
            return true;
    }
    return false;
}

void mm_init(const boot_info_t *bi)
{
    uint64_t max_phys = 0, kernel_lo, kernel_hi;

    kernel_lo = virt_to_phys(__kernel_start);
    kernel_hi = ALIGN_UP(virt_to_phys(__kernel_end), PAGE_SIZE);
    initrd_lo = ALIGN_DOWN(bi->initrd_pa, PAGE_SIZE);
    initrd_hi = ALIGN_UP(bi->initrd_pa + bi->initrd_size, PAGE_SIZE);

    /* Early allocations come from the usable region holding the kernel. */
    for (int i = 0; i < bi->nmem; i++) {
        uint64_t base = bi->mem[i].base, end = base + bi->mem[i].len;
        if (bi->mem[i].type != BOOT_MEM_USABLE)
            continue;
        ram[nram].lo = base;
        ram[nram].hi = end;
        nram++;
        if (end > max_phys)
            max_phys = end;
        if (kernel_hi >= base && kernel_hi < end)
            early_end = MIN(end, EARLY_LIMIT);
    }
    if (!early_end)
        panic("mm: the kernel image is not in usable memory");
    max_phys = ALIGN_DOWN(max_phys, PAGE_SIZE);
    early_start = early_next = kernel_hi;

    uint64_t npages = max_phys / PAGE_SIZE;
    size_t db_bytes = ALIGN_UP(npages * sizeof(page_t), PAGE_SIZE);
    page_t *pages = phys_to_virt(early_next);
    for (size_t done = 0; done < db_bytes; done += PAGE_SIZE) {
        uint64_t pa = early_alloc();
        if (pa != virt_to_phys(pages) + done)
            panic("mm: frame database is not contiguous (boot image in the way)");
    }

    arch_mm_init(max_phys, early_alloc);

    frame_db_init(&db, pages, 0, npages);
    /* Everything usable except what the boot already occupies. */
    const struct {
        uint64_t lo, hi;
    } taken[] = {
        {0, LOW_RESERVED},
        {kernel_lo, kernel_hi},
        {early_start, ALIGN_UP(early_next, PAGE_SIZE)},
        {initrd_lo, initrd_hi},
    };
    for (int i = 0; i < bi->nmem; i++) {
        if (bi->mem[i].type != BOOT_MEM_USABLE)
            continue;
        uint64_t lo = ALIGN_UP(bi->mem[i].base, PAGE_SIZE);
        uint64_t hi = ALIGN_DOWN(bi->mem[i].base + bi->mem[i].len, PAGE_SIZE);
        release_free_parts(lo, hi, taken, ARRAY_SIZE(taken));
    }

    kprintf("mm: %llu MiB usable, %llu KiB kernel image, %llu KiB boot tables\n",
            (unsigned long long)(db.nusable * PAGE_SIZE >> 20),
            (unsigned long long)((kernel_hi - kernel_lo) >> 10),
            (unsigned long long)((early_next - early_start) >> 10));
}

uint64_t frame_alloc(void)
{
    uint64_t pfn = frame_db_alloc(&db);

    if (!pfn)
        return 0;
    memset(phys_to_virt(pfn * PAGE_SIZE), 0, PAGE_SIZE);
    return pfn * PAGE_SIZE;
}

uint64_t frame_alloc_run(uint64_t count)
{
    uint64_t pfn;

    if (!count || db.nfree <= KERNEL_RESERVE_FRAMES + count)
        return 0;
    pfn = frame_db_alloc_run(&db, count, (4ull << 30) / PAGE_SIZE);
    if (!pfn)
        return 0;
    memset(phys_to_virt(pfn * PAGE_SIZE), 0, count * PAGE_SIZE);
    return pfn * PAGE_SIZE;
}

status_t frame_alloc_charged(quota_t *q, uint64_t *pa)
{
    status_t st;

    if (db.nfree <= KERNEL_RESERVE_FRAMES)
        return ST_NO_MEMORY;
    st = quota_charge(q, 1);
    if (st != ST_OK)
        return st;
    *pa = frame_alloc();
    if (!*pa) {
        quota_uncharge(q, 1);
        return ST_NO_MEMORY;
    }
    return ST_OK;
}

void frame_ref(uint64_t pa)
{
    frame_db_ref(&db, pa / PAGE_SIZE);
}

void frame_unref(uint64_t pa)
{
    page_t *p = frame_db_page(&db, pa / PAGE_SIZE);

    ASSERT(p && p->refcount > 0);
    frame_db_unref(&db, pa / PAGE_SIZE);
}

uint32_t frame_refcount(uint64_t pa)
{
    page_t *p = frame_db_page(&db, pa / PAGE_SIZE);

    return p ? p->refcount : 0;
}

page_t *mm_page(uint64_t pa)
{
    return frame_db_page(&db, pa / PAGE_SIZE);
}

uint64_t mm_free_frames(void)
{
    return db.nfree;
}

uint64_t mm_total_frames(void)
{
    return db.nusable;
}
