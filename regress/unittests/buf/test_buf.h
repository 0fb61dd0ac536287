/* test_buf.h: shared helpers of the buffer unit tests. */
#ifndef KEEL_TEST_BUF_H
#define KEEL_TEST_BUF_H

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

void test_buf_basic(void);
void test_buf_getput(void);
void test_buf_bignum(void);
void test_buf_misc(void);
void test_buf_file(void);

#endif /* KEEL_TEST_BUF_H */
