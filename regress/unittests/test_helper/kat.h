/*
 * kat.h: the one reader of the known-answer files in regress/vectors/.
 *
 * A file is a list of blocks separated by blank lines.  A line whose
 * first character is '#' is a comment.  Each block holds "name = value"
 * lines (white space around the name and the value is dropped; the value
 * is everything after the first '=', so it may contain '=' itself).  A
 * line starting with white space continues the previous value (its white
 * space is dropped).  Values are text; a test reads them as hex with
 * kat_hex() or as a decimal number with kat_num().
 *
 * Anything malformed (an unreadable file, a line without '=', a field a
 * test asks for that is absent, bad hex, a bad number) fails the current
 * test (assert_failed) naming the file and the line.
 */
#ifndef KEEL_TEST_KAT_H
#define KEEL_TEST_KAT_H

#include <sys/types.h>
#include <stddef.h>

struct kat;

/* Open a vectors file by its name relative to the vectors directory. */
struct kat *kat_open(const char *name);
/* Load the next block: 1 if there is one, 0 at the end of the file. */
int kat_next(struct kat *k);
/* Close the file and free everything, kat_hex() results included. */
void kat_close(struct kat *k);

/* 1 if the current block has the field, else 0. */
int kat_has(const struct kat *k, const char *name);
/* A field of the current block, NULL if absent. */
const char *kat_get(const struct kat *k, const char *name);
/* A field of the current block that must be present. */
const char *kat_str(const struct kat *k, const char *name);
/*
 * A field that must be present, decoded from hex.  Never NULL (an empty
 * value has length 0).  The bytes belong to k and stay valid until the
 * next kat_next() or kat_close().
 */
const u_char *kat_hex(struct kat *k, const char *name, size_t *lenp);
/* A field that must be present, as a decimal number of at most max. */
unsigned long long kat_num(const struct kat *k, const char *name,
    unsigned long long max);

/* Fail the current test at the first line of the current block. */
void kat_fail(const struct kat *k, const char *fmt, ...)
    __attribute__((__noreturn__)) __attribute__((__format__(__printf__, 2, 3)));

/* Hex text (no separators) decoded into a new allocation, caller frees. */
u_char *kat_unhex(const char *hex, size_t *lenp);
/* A whole vectors file as a NUL-terminated string; *lenp its length. */
char *kat_read_file(const char *name, size_t *lenp);

#endif /* KEEL_TEST_KAT_H */
