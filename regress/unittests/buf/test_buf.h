/* test_buf.h: shared helpers of the buffer unit tests. */
#ifndef KEEL_TEST_BUF_H
#define KEEL_TEST_BUF_H

#include <stdio.h>

struct buf;

/*
 * A getter under test: runs one getter on b, checks that its outputs are
 * cleared when it fails, and returns its result.
 */
typedef int getter_fn(struct buf *b);

/*
 * Feed enc[0..len) to get: every truncation must fail with
 * ERR_MESSAGE_INCOMPLETE and consume nothing; the whole encoding must
 * succeed and consume it all; with a trailing byte, that byte must remain.
 * The input is always in a heap block of exactly the tested size so that
 * an over-read is caught by ASan.
 */
void check_truncations(const char *what, const void *enc, size_t len,
    getter_fn *get);
/* Run get on a read-only copy of enc; expect result want, nothing eaten. */
void check_refused(const char *what, const void *enc, size_t len,
    getter_fn *get, int want);

/* Hex text to bytes; *lenp gets the length.  Fails the test on bad hex. */
u_char *hex_to_bytes(const char *hex, size_t *lenp);

/*
 * A reader of vector files: blocks of "key = value" lines separated by
 * blank lines, '#' comments.  vec_next() returns 0 at the end, 1 when a
 * block was read; vec_get() gives a key's value in it (NULL if absent).
 */
struct vec {
	FILE *f;
	int nkeys;
	char keys[8][32];
	char vals[8][4096];
};
void vec_open(struct vec *v, const char *name);
int vec_next(struct vec *v);
const char *vec_get(const struct vec *v, const char *key);
void vec_close(struct vec *v);

void test_buf_basic(void);
void test_buf_getput(void);
void test_buf_bignum(void);
void test_buf_misc(void);
void test_buf_file(void);

#endif /* KEEL_TEST_BUF_H */
