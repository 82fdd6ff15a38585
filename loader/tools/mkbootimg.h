/*
 * Internal interface of mkbootimg: the tree of entries being built
 * (tree.c), the classification of files (classify.c) and the helpers of
 * main (mkbootimg.c).
 */
#ifndef LOADER_TOOLS_MKBOOTIMG_H
#define LOADER_TOOLS_MKBOOTIMG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <loader/bootimg.h>

typedef struct node {
    char *path;
    uint16_t type; /* enum bootimg_type */
    uint16_t personality;
    uint32_t mode;
    const char *src;     /* host file it came from, for messages */
    unsigned char *data; /* file contents or symlink target; shared by hard links */
    size_t size;
    char *link_to;        /* hard link: path of the file whose data it shares */
    uint64_t data_offset; /* assigned by tree_build() */
} node_t;

typedef struct mode_req {
    char *path;
    uint32_t mode;
} mode_req_t;

typedef struct tree {
    node_t *nodes;
    size_t n, cap;
    mode_req_t *modes; /* applied once every entry exists */
    size_t nmodes;
} tree_t;

void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void *xmalloc(size_t n);

/* The personality to record for a file, or die naming `src` when it is a
 * corrupt program. `dest` (its path in the image) decides .COM-ness. */
uint16_t classify(const char *src, const char *dest, const unsigned char *data, size_t size);

/* The tree keeps the non-const strings and buffers it is given. */
void tree_add_file(tree_t *t, char *dest, const char *src, unsigned char *data, size_t size,
                   uint32_t mode);
void tree_add_dir(tree_t *t, const char *path);
void tree_add_link(tree_t *t, char *dest, char *existing);
void tree_add_symlink(tree_t *t, char *dest, const char *target);
void tree_set_mode(tree_t *t, const char *path, uint32_t mode);

/* Lays the image out and returns it (malloc'd), its size in *size. */
unsigned char *tree_build(tree_t *t, size_t *size);

/* One line per entry of a validated image. */
void tree_print(const ldr_bootimg_t *img, FILE *out);

#endif
