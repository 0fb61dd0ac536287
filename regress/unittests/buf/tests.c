/* tests.c: unit tests of the buffer module (buf.h) and their helpers. */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "../test_helper/test_helper.h"
#include "test_buf.h"

void
tests(void)
{
	test_buf_basic();
	test_buf_getput();
	test_buf_bignum();
	test_buf_misc();
	test_buf_file();
}

static void
check_one_truncation(const u_char *enc, size_t i, getter_fn *get,
    int readonly)
{
	struct buf *b;
	u_char *copy;

	/* A heap block of exactly i bytes (at least 1 for malloc). */
	copy = malloc(i == 0 ? 1 : i);
	ASSERT_PTR_NE(copy, NULL);
	if (i != 0)
		memcpy(copy, enc, i);
	b = readonly ? buf_from(copy, i) : buf_from_copy(copy, i);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(get(b), ERR_MESSAGE_INCOMPLETE);
	ASSERT_SIZE_T_EQ(buf_len(b), i);
	if (i != 0)
		ASSERT_MEM_EQ(buf_ptr(b), enc, i);
	buf_free(b);
	free(copy);
}

void
check_truncations(const char *what, const void *enc, size_t len,
    getter_fn *get)
{
	struct buf *b;
	u_char *copy;
	size_t i;

	if (test_is_verbose())
		fprintf(stderr, "  truncations of %s (%zu bytes)\n", what, len);
	for (i = 0; i < len; i++) {
		check_one_truncation(enc, i, get, 1);
		check_one_truncation(enc, i, get, 0);
	}
	/* Complete: all of it is consumed. */
	copy = malloc(len + 1);
	ASSERT_PTR_NE(copy, NULL);
	memcpy(copy, enc, len);
	b = buf_from(copy, len);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(get(b), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	buf_free(b);
	/* Trailing data stays, for the parser's leftover check. */
	copy[len] = 0xa5;
	b = buf_from(copy, len + 1);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(get(b), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 1);
	ASSERT_U8_EQ(*buf_ptr(b), 0xa5);
	buf_free(b);
	free(copy);
}

void
check_refused(const char *what, const void *enc, size_t len,
    getter_fn *get, int want)
{
	struct buf *b;
	u_char *copy;

	if (test_is_verbose())
		fprintf(stderr, "  refusal of %s\n", what);
	copy = malloc(len == 0 ? 1 : len);
	ASSERT_PTR_NE(copy, NULL);
	if (len != 0)
		memcpy(copy, enc, len);
	b = buf_from(copy, len);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(get(b), want);
	ASSERT_SIZE_T_EQ(buf_len(b), len);
	buf_free(b);
	free(copy);
}
