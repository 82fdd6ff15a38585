/*
 * kmain: the executive's C entry point, reached from boot.S in long mode on
 * the boot stack. Brings up the console, CPU, memory, objects and the
 * scheduler, then hands over to the "init" kernel thread and becomes the
 * idle thread. init either runs the in-kernel test suite (command line
 * "test") or starts the first user process from the boot image.
 */
#include "ke.h"
#include "mm.h"
#include "ob.h"
#include "ps.h"
#include "bootfs.h"
#include "ipc.h"
#include <string.h>

void ke_set_cmdline(const char *s);
void ke_sched_init(thread_t *boot_thread);
NORETURN void ke_idle_loop(void);
void ktest_run_all(void);

extern char boot_stack_top[];
static boot_info_t boot_info;
static thread_t boot_thread;

static void init_main(void *arg)
{
    const char *opt = ke_option_value("init");
    static char path[128], args[128];
    const char *argv[8] = {path};
    int argc = 1;
    process_t *p;
    status_t st;

    (void)arg;
    if (ke_option("test")) {
        ktest_run_all();
        arch_halt();
    }
    strlcpy(path, opt ? opt : "/sbin/smss", sizeof(path));
    /* args=a,b,c: the first program's arguments after its name. */
    opt = ke_option_value("args");
    if (opt) {
        strlcpy(args, opt, sizeof(args));
        for (char *s = args; *s && argc < 8;) {
            argv[argc++] = s;
            char *comma = strchr(s, ',');
            if (!comma)
                break;
            *comma = 0;
            s = comma + 1;
        }
    }
    st = ps_spawn_boot_program(path, argc, argv, &p);
    if (st != ST_OK) {
        kprintf("init: cannot start %s: %s\n", path, status_text(st));
        arch_debug_exit(1);
    }
    while (p->state != PROCESS_DEAD)
        ke_wait(&p->exit_waiters, KE_FOREVER, false);
    if (p->exit_reason[0] && strcmp(p->exit_reason, "exit"))
        kprintf("init: %s ended: %s; shutting down\n", path, p->exit_reason);
    else
        kprintf("init: %s exited with status %lld; shutting down\n", path,
                (long long)p->exit_status);
    arch_poweroff();
}

void kmain(uint64_t start_info_pa)
{
    uint64_t t0 = arch_cycles();

    arch_serial_init();
    arch_parse_boot_info(start_info_pa, &boot_info);
    ke_set_cmdline(boot_info.cmdline);
    if (!strcmp(ke_option_value("klog") ? ke_option_value("klog") : "", "com2"))
        arch_serial_log_to_com2();
    kprintf("\nPersona %s booting\n", PERSONA_VERSION);
    arch_cpu_init();
    mm_init(&boot_info);
    heap_init();
    kva_init();
    ob_namespace_init();
    ipc_init();

    strlcpy(boot_thread.name, "idle", sizeof(boot_thread.name));
    boot_thread.kstack_top = (uintptr_t)boot_stack_top;
    list_node_init(&boot_thread.run_link);
    list_node_init(&boot_thread.wait_timer.link);
    list_push_back(&ke_all_threads, &boot_thread.all_link);
    ke_sched_init(&boot_thread);
    arch_timer_init();
    bootfs_init(boot_info.initrd_pa, boot_info.initrd_size);

    if (!ke_thread_create_kernel("init", init_main, NULL))
        panic("cannot create the init thread");
    kprintf("kernel ready in %llu cycles\n", (unsigned long long)(arch_cycles() - t0));
    ke_idle_loop();
}
