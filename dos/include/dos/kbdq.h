/*
 * The BIOS keyboard queue, as it lives in the BIOS data area of a VDM's
 * memory: a ring of words (scan code << 8 | ASCII) between the offsets at
 * 40:80h and 40:82h (40:1Eh-40:3Eh by default), with head and tail
 * offsets at 40:1Ah and 40:1Ch. The VDM's BIOS fills and reads it; the
 * DOS server in Persona looks at it for a Ctrl-C the VDM has queued
 * without asking the VDM (the memory is shared). Bounds a program has
 * scribbled on are repaired before use, so nothing here reaches outside
 * the data area.
 *
 * Entry points: dos_kbdq_init, dos_kbdq_head, dos_kbdq_push, dos_kbdq_full,
 * dos_kbdq_taken.
 */
#ifndef DOS_KBDQ_H
#define DOS_KBDQ_H

#include <stdbool.h>
#include <stdint.h>

#define DOS_KBDQ_EMPTY (-1)

/* An empty queue at the default place. */
void dos_kbdq_init(uint8_t *mem);

/* The key at the head, or DOS_KBDQ_EMPTY; pop takes it out. */
int dos_kbdq_head(uint8_t *mem, bool pop);

/* Adds a key at the tail; false when the queue is full. */
bool dos_kbdq_push(uint8_t *mem, uint16_t key);

bool dos_kbdq_full(uint8_t *mem);

/* Where the next key will be taken from: it moves each time one is taken
 * (by the program, its BIOS or DOS). */
uint16_t dos_kbdq_taken(const uint8_t *mem);

#endif
