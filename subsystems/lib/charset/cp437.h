/*
 * Code page 437 (the PC's character set) and Unicode. Freestanding, built
 * into the native runtime and, for host tests, into the libraries that use
 * it.
 */
#ifndef CHARSET_CP437_H
#define CHARSET_CP437_H

#include <stdint.h>

/* The Unicode character each byte shows as (00h: a space). */
extern const uint16_t cp437_unicode[256];
/* The byte showing u, or -1 when code page 437 has none. */
int cp437_from_unicode(uint32_t u);

#endif
