/*
 * The disk driver through its protocol (<persona/blk.h>), on a blank
 * virtio disk the session gives the system: writes read back, requests
 * larger than the driver's bounce buffer, and every kind of bad request.
 * Run from tests/qemu/session/disk.session.
 */
#include "check.h"
#include <native/server.h>
#include <native/spawn.h>
#include <persona/blk.h>
#include <string.h>

int check_failures;
const char *check_prog = "blk";

#define BUF (512u * 1024)

static srv_conn_t conn;
static uint64_t sectors;

static long call(uint32_t label, uint64_t a, uint64_t b, uint64_t c, uint64_t *r0)
{
    ipc_msg_t m = {0};
    long st;

    m.w[0] = a;
    m.w[1] = b;
    m.w[2] = c;
    st = srv_call(&conn, label, &m);
    if (r0)
        *r0 = m.w[0];
    return st;
}

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (uint8_t)(seed >> 16);
    }
}

static void test_info(void)
{
    ipc_msg_t m = {0};

    EXPECT(srv_call(&conn, BLK_INFO, &m), ST_OK);
    sectors = m.w[0];
    CHECK(sectors == 16u * 2048); /* the session's 16 MiB disk */
    CHECK(!(m.w[1] & BLK_F_READ_ONLY));
    CHECK(m.w[2] == BUF);
}

static void test_write_read(void)
{
    static uint8_t want[BUF];
    uint64_t n = 0;

    /* 1000 sectors: more than one bounce buffer's worth, at an odd place. */
    fill(want, 1000 * 512, 7);
    memcpy(conn.buffer, want, 1000 * 512);
    EXPECT(call(BLK_WRITE, 12345, 1000, 0, &n), ST_OK);
    CHECK(n == 1000);
    memset(conn.buffer, 0, BUF);
    EXPECT(call(BLK_READ, 12345, 1000, 0, &n), ST_OK);
    CHECK(n == 1000 && !memcmp(conn.buffer, want, 1000 * 512));
    /* The last sector, through an offset in the buffer. */
    fill(want, 512, 99);
    memcpy(conn.buffer + 4096, want, 512);
    EXPECT(call(BLK_WRITE, sectors - 1, 1, 4096, NULL), ST_OK);
    memset(conn.buffer, 0, 8192);
    EXPECT(call(BLK_READ, sectors - 1, 1, 0, NULL), ST_OK);
    CHECK(!memcmp(conn.buffer, want, 512));
    /* Untouched sectors still read as zeros. */
    EXPECT(call(BLK_READ, 0, 8, 0, NULL), ST_OK);
    CHECK(conn.buffer[0] == 0 && conn.buffer[4095] == 0);
    EXPECT(call(BLK_FLUSH, 0, 0, 0, NULL), ST_OK);
    EXPECT(call(BLK_READ, 0, 0, 0, &n), ST_OK); /* nothing to do */
    CHECK(n == 0);
}

static int bare_client(void *arg)
{
    srv_conn_t bare;
    ipc_msg_t m = {0};

    (void)arg;
    if (srv_connect("Blk0", 0, &bare) != ST_OK)
        return 1;
    m.w[1] = 1;
    return srv_call(&bare, BLK_READ, &m) == ST_BAD_ADDRESS ? 0 : 2;
}

static void test_bad_requests(void)
{
    EXPECT(call(BLK_READ, sectors, 1, 0, NULL), ST_RANGE);
    EXPECT(call(BLK_READ, sectors - 1, 2, 0, NULL), ST_RANGE);
    EXPECT(call(BLK_WRITE, ~0ull, 2, 0, NULL), ST_RANGE);
    EXPECT(call(BLK_READ, 0, ~0ull, 0, NULL), ST_RANGE);
    EXPECT(call(BLK_READ, 0, 2, BUF - 512, NULL), ST_BAD_ADDRESS);
    EXPECT(call(BLK_READ, 0, 1, ~0ull - 100, NULL), ST_BAD_ADDRESS);
    EXPECT(call(BLK_READ, 0, BUF / 512 + 1, 0, NULL), ST_BAD_ADDRESS);
    EXPECT(call(99, 0, 0, 0, NULL), ST_NOT_SUPPORTED);

    /* A client without a shared buffer has nowhere to put data. */
    handle_t child;
    int64_t status = -1;
    EXPECT(native_spawn_clone("blk-bare", bare_client, NULL, &child), ST_OK);
    EXPECT(sys_process_wait(child, 0, &status), ST_OK);
    CHECK(status == 0);
    sys_handle_close(child);
}

int main(void)
{
    long st = srv_connect("Blk0", BUF, &conn);

    if (st < 0) {
        printf("blk: cannot connect to Blk0: %s\n", status_name(st));
        return 1;
    }
    RUN(test_info);
    RUN(test_write_read);
    RUN(test_bad_requests);
    srv_disconnect(&conn);
    printf("blk: %d failures\n", check_failures);
    return check_failures;
}
