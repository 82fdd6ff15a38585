/*
 * libFuzzer target for the libelf cross-check (tools/elfcheck.c): any
 * image that both ldr_elf_parse() and libelf read must read the same in
 * both (entry, type, program headers, segments, interpreter,
 * personality). A disagreement aborts. libelf refusing a file the loader
 * accepts is no disagreement: it validates section headers, which a
 * loader never reads (regress/elfcheck-libelf-refuses-section-headers).
 */
#include <stdio.h>
#include <stdlib.h>

#include "../tools/elfcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ldr_elf_info_t info;
    const char *why = NULL;
    char msg[256];

    if (ldr_elf_parse(data, size, &info, &why) != LDR_OK)
        return 0;
    if (elfcheck(data, size, &info, msg, sizeof(msg)) == ELFCHECK_DIFFER) {
        fprintf(stderr, "libelf disagrees: %s\n", msg);
        abort();
    }
    return 0;
}
