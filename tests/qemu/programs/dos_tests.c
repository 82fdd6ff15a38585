/*
 * In-OS tests of the DOS personality's processes, run from a shell session
 * (they need the DOS server): a VDM shows as a "dos" process, a runaway
 * program dies by `kill` and the server lets go of it, the terminal's
 * Ctrl-C (PERS_INTERRUPT) reaches DOS's Ctrl-C check, several VDMs run at
 * once, bad requests are refused, and the server's memory stays flat over
 * many starts and kills. No program here reads the keyboard: the session's
 * remaining commands wait in the console's input.
 */
#include "check.h"
#include <native/personality.h>
#include <string.h>

int check_failures;
const char *check_prog = "dos";

#define MS       1000000ull
#define LOOP_COM "/tests/dos/LOOP.COM"

static srv_conn_t conn;

static long start(const char *path, const char *arg, uint64_t *pid, handle_t *proc)
{
    const char *argv[] = {path, arg, NULL};
    const char *envp[] = {NULL};

    return pers_spawn(&conn, path, "/", argv, envp, 0, pid, proc);
}

static bool find(uint64_t pid, process_info_t *out)
{
    static process_info_t list[256];
    size_t total;
    long n = sys_process_list(list, 256, &total);

    for (long i = 0; i < n; i++) {
        if (list[i].pid == pid) {
            *out = list[i];
            return true;
        }
    }
    return false;
}

static uint64_t server_pages(void)
{
    static process_info_t list[256];
    size_t total;
    long n = sys_process_list(list, 256, &total);

    for (long i = 0; i < n; i++) {
        if (!strcmp(list[i].name, "dos") && list[i].personality == PERSONALITY_NATIVE)
            return list[i].memory_pages;
    }
    return 0;
}

static int64_t kill_and_wait(handle_t proc)
{
    int64_t status = -1;

    EXPECT(sys_process_terminate(proc, EXIT_STATUS_KILLED), ST_OK);
    EXPECT(sys_process_wait(proc, 0, &status), ST_OK);
    sys_handle_close(proc);
    return status;
}

static void test_listed_as_dos(void)
{
    uint64_t pid = 0, pid2 = 0;
    handle_t proc, proc2;
    process_info_t info;

    EXPECT(start(LOOP_COM, NULL, &pid, &proc), ST_OK);
    EXPECT(start(LOOP_COM, NULL, &pid2, &proc2), ST_OK);
    sys_sleep(100 * MS);
    CHECK(find(pid, &info) && info.personality == PERSONALITY_DOS && info.state == PROCESS_ACTIVE &&
          !strcmp(info.name, "LOOP.COM"));
    CHECK(find(pid2, &info) && info.personality == PERSONALITY_DOS);
    printf("dos: pid %llu and %llu run as %s\n", (unsigned long long)pid, (unsigned long long)pid2,
           info.personality == PERSONALITY_DOS ? "dos" : "?");
    CHECK(kill_and_wait(proc) == EXIT_STATUS_KILLED);
    CHECK(find(pid2, &info) && info.state == PROCESS_ACTIVE); /* the other runs on */
    CHECK(kill_and_wait(proc2) == EXIT_STATUS_KILLED);
}

/* LOOP B has BREAK on and calls DOS for ever: the Ctrl-C ends it through
 * DOS's own INT 23h handler, with return code 0. */
static void test_interrupt(void)
{
    uint64_t pid = 0;
    handle_t proc;
    int64_t status = -1;
    long st = ST_BAD_STATE;

    EXPECT(start(LOOP_COM, "B", &pid, &proc), ST_OK);
    /* Until the VDM has said hello, there is nobody to tell. */
    for (int i = 0; i < 100 && st == ST_BAD_STATE; i++) {
        sys_sleep(20 * MS);
        st = pers_interrupt(&conn, pid);
    }
    EXPECT(st, ST_OK);
    EXPECT(sys_process_wait(proc, 10000 * MS, &status), ST_OK);
    CHECK(status == 0);
    if (status != 0)
        sys_process_terminate(proc, EXIT_STATUS_KILLED);
    sys_handle_close(proc);
    EXPECT(pers_interrupt(&conn, pid), ST_NOT_FOUND);
}

static void test_bad_requests(void)
{
    uint64_t pid;
    handle_t proc;
    int64_t status = -1;

    EXPECT(start("LOOP.COM", NULL, &pid, &proc), ST_INVALID_ARGUMENT);
    EXPECT(start("/tests/dos/", NULL, &pid, &proc), ST_INVALID_ARGUMENT);
    /* A program that is not there: the VDM says so and ends with 125. */
    EXPECT(start("/tests/dos/NOSUCH.COM", NULL, &pid, &proc), ST_OK);
    EXPECT(sys_process_wait(proc, 10000 * MS, &status), ST_OK);
    CHECK(status == 125);
    sys_handle_close(proc);
}

/* Starts and kills, some at once, some while DOS calls run: afterwards
 * the server holds no more memory than after the first round. */
static void test_churn(void)
{
    uint64_t pid, before = 0;

    for (int round = 0; round < 12; round++) {
        handle_t proc;
        if (round == 2) {
            sys_sleep(100 * MS); /* the server reaps on the exit notification */
            before = server_pages();
        }
        EXPECT(start(LOOP_COM, round % 2 ? "B" : NULL, &pid, &proc), ST_OK);
        sys_sleep((uint64_t)(round % 4) * 15 * MS);
        CHECK(kill_and_wait(proc) == EXIT_STATUS_KILLED);
    }
    sys_sleep(100 * MS); /* the server reaps on the exit notification */
    uint64_t after = server_pages();
    printf("dos: server memory %llu KiB, then %llu KiB\n", (unsigned long long)before * 4,
           (unsigned long long)after * 4);
    CHECK(before && after <= before + 8);
}

int main(void)
{
    if (srv_connect("Dos", 16384, &conn) < 0) {
        printf("dos: the DOS server is not running\n");
        return 1;
    }
    RUN(test_listed_as_dos);
    RUN(test_interrupt);
    RUN(test_bad_requests);
    RUN(test_churn);
    printf("dos: %d failures\n", check_failures);
    return check_failures;
}
