/*
 * File-system benchmark, a static Linux program run unchanged on Persona
 * (the FAT server at /c, on a virtio disk) and on Linux (vfat on a virtio
 * disk), by ./persona bench fs. One line per figure:
 *
 *   sequential write: N MB/s    a 16 MiB file in 64 KiB writes, then fsync
 *   sequential read: N MB/s     the same file read back in 64 KiB reads,
 *                               after dropping Linux's page cache (where
 *                               /proc/sys/vm/drop_caches exists)
 *   open+close: N ns            of an existing file, averaged over 1000
 *
 * usage: fs_bench DIRECTORY
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FILE_SIZE (16u << 20)
#define CHUNK     (64u << 10)

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static unsigned rate(uint64_t bytes, uint64_t ns)
{
    return ns ? (unsigned)(bytes * 1000000000ull / ns / 1000000) : 0;
}

static void drop_caches(void)
{
    int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

    sync();
    if (fd >= 0) {
        if (write(fd, "3\n", 2) != 2)
            perror("fs_bench: drop_caches");
        close(fd);
    }
}

int main(int argc, char **argv)
{
    static char buf[CHUNK];
    char path[512];
    uint64_t t0, t;
    int fd;

    if (argc != 2) {
        fprintf(stderr, "usage: fs_bench DIRECTORY\n");
        return 2;
    }
    snprintf(path, sizeof(path), "%s/fsbench.dat", argv[1]);
    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (char)(i * 7 + 1);

    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        perror(path);
        return 1;
    }
    t0 = now_ns();
    for (unsigned done = 0; done < FILE_SIZE; done += CHUNK) {
        if (write(fd, buf, CHUNK) != (ssize_t)CHUNK) {
            perror("fs_bench: write");
            return 1;
        }
    }
    if (fsync(fd) != 0) {
        perror("fs_bench: fsync");
        return 1;
    }
    t = now_ns() - t0;
    close(fd);
    printf("sequential write: %u MB/s\n", rate(FILE_SIZE, t));

    drop_caches();
    fd = open(path, O_RDONLY);
    if (fd < 0) {
        perror(path);
        return 1;
    }
    uint64_t got = 0;
    t0 = now_ns();
    for (ssize_t r; (r = read(fd, buf, sizeof(buf))) > 0;)
        got += (uint64_t)r;
    t = now_ns() - t0;
    close(fd);
    if (got != FILE_SIZE) {
        fprintf(stderr, "fs_bench: read %llu bytes back, wrote %u\n", (unsigned long long)got,
                FILE_SIZE);
        return 1;
    }
    printf("sequential read: %u MB/s\n", rate(FILE_SIZE, t));

    t0 = now_ns();
    for (int i = 0; i < 1000; i++) {
        fd = open(path, O_RDONLY);
        if (fd < 0) {
            perror(path);
            return 1;
        }
        close(fd);
    }
    printf("open+close: %llu ns\n", (unsigned long long)((now_ns() - t0) / 1000));
    unlink(path);
    return 0;
}
