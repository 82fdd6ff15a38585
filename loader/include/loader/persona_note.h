/*
 * The note that marks an ELF program as a Persona-native one.
 *
 * The loader (ldr_elf_parse) looks in every PT_NOTE segment for a note
 * named "Persona" of type PERSONA_NOTE_TYPE; its 4-byte descriptor is the
 * program's personality (enum bootimg_personality, normally
 * BOOTIMG_PERS_NATIVE). Without it an ELF is taken for a Linux program and
 * runs under the POSIX personality.
 *
 * A native program says, in exactly one of its C files (crt0 is the usual
 * place):
 *
 *     #include <loader/persona_note.h>
 *     PERSONA_NOTE(BOOTIMG_PERS_NATIVE);
 *
 * The section's name starts with ".note", so the assembler gives it type
 * SHT_NOTE and the linker puts it in a PT_NOTE segment. With
 * --gc-sections the linker script must KEEP(*(.note.persona)), since no
 * code refers to the note. The same note in assembly:
 *
 *     .section .note.persona, "a", @note
 *     .balign 4
 *     .long 8, 4, 1          # namesz, descsz, type
 *     .asciz "Persona"       # 8 bytes with the NUL: no padding needed
 *     .long 1                # BOOTIMG_PERS_NATIVE
 */
#ifndef LOADER_PERSONA_NOTE_H
#define LOADER_PERSONA_NOTE_H

#include <stdint.h>

#include <persona/bootimg.h>

#define PERSONA_NOTE_NAME "Persona"
#define PERSONA_NOTE_TYPE 1u

typedef struct persona_note {
    uint32_t namesz; /* sizeof(PERSONA_NOTE_NAME), NUL included */
    uint32_t descsz; /* 4 */
    uint32_t type;   /* PERSONA_NOTE_TYPE */
    char name[8];    /* "Persona\0": already a multiple of 4 */
    uint32_t personality;
} persona_note_t;
_Static_assert(sizeof(persona_note_t) == 24, "persona_note_t layout");

#define PERSONA_NOTE(pers)                                                    \
    __attribute__((section(".note.persona"), used,                            \
                   aligned(4))) static const persona_note_t persona_note_ = { \
        sizeof(PERSONA_NOTE_NAME), 4, PERSONA_NOTE_TYPE, PERSONA_NOTE_NAME, (pers)}

#endif
