/*
 * Status codes shared by every parser of the loader library.
 *
 * Each parser returns 0 or one of these negative values and, on failure,
 * points *why at a static English sentence that names the problem, so the
 * server that rejects an image can tell the user exactly what is wrong.
 *
 * Entry points: ldr_status_name().
 */
#ifndef LOADER_STATUS_H
#define LOADER_STATUS_H

#define LDR_OK           0
#define LDR_EFORMAT      (-1) /* the image is not in this format at all */
#define LDR_ECORRUPT     (-2) /* the right format, but corrupt or truncated */
#define LDR_EUNSUPPORTED (-3) /* valid, but something Persona does not handle */
#define LDR_ENOENT       (-4) /* a lookup found nothing (no such path, ordinal, index) */

/* "ok", "not this format", "corrupt", "unsupported", "not found" or "unknown status". */
const char *ldr_status_name(int status);

#endif
