/*
 * kat.h: reading the known-answer files of regress/vectors/ for the
 * digest and key unit tests.
 *
 * A file is a list of blocks separated by blank lines; '#' starts a
 * comment line.  Each block holds "name = value" lines; a line starting
 * with white space continues the previous value (its white space is
 * dropped).  Failures to read or decode end the test (ASSERT).
 */
#ifndef KEEL_TEST_KAT_H
#define KEEL_TEST_KAT_H

#include <sys/types.h>
#include <stddef.h>

struct kat;

/* Open a vectors file by its name relative to the vectors directory. */
struct kat *kat_open(const char *name);
/* Load the next block: 1 if there is one, 0 at the end of the file. */
int kat_next(struct kat *kat);
/* A value of the current block, NULL if absent. */
const char *kat_get(const struct kat *kat, const char *name);
/* A hex value of the current block, decoded (must be present). */
u_char *kat_get_hex(const struct kat *kat, const char *name, size_t *lenp);
void kat_close(struct kat *kat);

/* A whole vectors file as a NUL-terminated string; *lenp its length. */
char *kat_read_file(const char *name, size_t *lenp);
/* Decode hex text (no separators) into a new allocation. */
u_char *kat_unhex(const char *hex, size_t *lenp);

#endif /* KEEL_TEST_KAT_H */
