/*
 * fat_smoke: a native Persona program that drives the freestanding build
 * of the FAT library (fat_lib) on a 64 KiB FAT12 RAM disk it formats
 * itself, mounted in a VFS, to show the library links against the native
 * runtime and works inside Persona. Built with the project, put in no
 * boot image; it prints "fat_smoke: ok" and exits 0, or names the step.
 */
#include <stdlib.h>
#include <string.h>

#include <fat/fat.h>
#include <native/runtime.h>

#define DISK_SECTORS 128

static uint8_t disk[DISK_SECTORS * FAT_SECTOR];

static int ram_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
    (void)ctx;
    if (sector + count > DISK_SECTORS)
        return ST_INVALID_ARGUMENT;
    memcpy(buf, disk + sector * FAT_SECTOR, (size_t)count * FAT_SECTOR);
    return ST_OK;
}

static int ram_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
    (void)ctx;
    if (sector + count > DISK_SECTORS)
        return ST_INVALID_ARGUMENT;
    memcpy(disk + sector * FAT_SECTOR, buf, (size_t)count * FAT_SECTOR);
    return ST_OK;
}

/* One reserved sector, two one-sector FATs, a one-sector root: what
 * mkfs.fat -F 12 -s 1 -r 16 makes of 64 KiB. */
static void format(void)
{
    static const uint8_t bpb[] = {
        0xEB, 0x3C, 0x90, 'P', 'E', 'R', 'S', 'O',          'N', 'A',  ' ', 0x00,
        0x02, 1,    1,    0,   2,   16,  0,   DISK_SECTORS, 0,   0xF8, 1,   0,
    };
    memset(disk, 0, sizeof(disk));
    memcpy(disk, bpb, sizeof(bpb));
    disk[510] = 0x55;
    disk[511] = 0xAA;
    for (int fat = 1; fat <= 2; fat++) {
        disk[fat * FAT_SECTOR] = 0xF8;
        disk[fat * FAT_SECTOR + 1] = 0xFF;
        disk[fat * FAT_SECTOR + 2] = 0xFF;
    }
}

static int step(const char *what, int rc, int want)
{
    if (rc != want)
        printf("fat_smoke: %s: %s, expected %s\n", what, status_name(rc), status_name(want));
    return rc == want ? 0 : 1;
}

int main(int argc, char **argv, char **envp)
{
    fat_config_t cfg = {.dev = {.sectors = DISK_SECTORS, .read = ram_read, .write = ram_write}};
    fs_t *fs = NULL;
    vfs_t *vfs = NULL;
    fs_node_t *f = NULL, *g = NULL;
    const char *why = NULL;
    char buf[16];
    size_t done = 0;
    int bad = 0;

    (void)argc;
    (void)argv;
    (void)envp;
    format();
    bad += step("mount", fat_create(&cfg, &fs, &why), ST_OK);
    if (bad) {
        printf("fat_smoke: %s\n", why ? why : "?");
        return 1;
    }
    bad += step("vfs_new", vfs_new(&vfs), ST_OK);
    bad += step("vfs_mount", vfs_mount(vfs, "/", fs), ST_OK);
    bad += step("mkdir", vfs_mkdir(vfs, NULL, "/Long directory name", 0755, NULL), ST_OK);
    bad += step("create", vfs_create(vfs, NULL, "/long directory name/File.txt", 0644, 0, &f, NULL),
                ST_OK);
    if (bad)
        return 1;
    bad += step("write", fs_write(f, 1000, "persona", 7, &done), ST_OK);
    bad += step("read", fs_read(f, 1000, buf, sizeof(buf), &done), ST_OK);
    bad += step("data", done == 7 && memcmp(buf, "persona", 7) == 0 ? ST_OK : ST_IO_ERROR, ST_OK);
    bad += step("sync", fat_flush(f), ST_OK);
    bad += step("short name", fat_lookup_short(fs->root, "LONGDI~1", &g), ST_OK);
    fs_node_release(g);
    bad += step("symlink", vfs_symlink(vfs, NULL, "x", "/link", NULL), ST_NOT_SUPPORTED);
    bad += step("rename", vfs_rename(vfs, NULL, "/long directory name/file.txt", "/g", NULL, NULL),
                ST_OK);
    fs_node_release(f);
    bad += step("vfs_free", vfs_free(vfs), ST_OK);
    puts(bad ? "fat_smoke: FAILED" : "fat_smoke: ok");
    return bad ? 1 : 0;
}
