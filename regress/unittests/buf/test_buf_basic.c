/*
 * test_buf_basic.c: buffer life cycle, space management, limits,
 * read-only views, search, comparison and formatted output.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "../test_helper/test_helper.h"
#include "test_buf.h"

static void
test_life(void)
{
	struct buf *b, *c;
	u_char *p;
	size_t i;

	TEST_START("buf_new empty");
	b = buf_new();
	ASSERT_PTR_NE(b, NULL);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	ASSERT_SIZE_T_EQ(buf_max_size(b), BUF_SIZE_MAX);
	ASSERT_SIZE_T_EQ(buf_avail(b), BUF_SIZE_MAX);
	ASSERT_PTR_NE(buf_ptr(b), NULL);
	ASSERT_PTR_NE(buf_mutable_ptr(b), NULL);
	buf_free(b);
	buf_free(NULL);
	buf_reset(NULL);
	ASSERT_SIZE_T_EQ(buf_len(NULL), 0);
	ASSERT_PTR_EQ(buf_ptr(NULL), NULL);
	ASSERT_PTR_EQ(buf_mutable_ptr(NULL), NULL);
	TEST_DONE();

	TEST_START("buf_from_copy copies");
	{
		char src[] = "abcdef";

		c = buf_from_copy(src, 6);
		ASSERT_PTR_NE(c, NULL);
		src[0] = 'X';
		ASSERT_SIZE_T_EQ(buf_len(c), 6);
		ASSERT_MEM_EQ(buf_ptr(c), "abcdef", 6);
		/* The copy is writable. */
		ASSERT_INT_EQ(buf_put_u8(c, 'g'), 0);
		ASSERT_MEM_EQ(buf_ptr(c), "abcdefg", 7);
		buf_free(c);
		c = buf_from_copy(NULL, 0);
		ASSERT_PTR_NE(c, NULL);
		ASSERT_SIZE_T_EQ(buf_len(c), 0);
		buf_free(c);
	}
	TEST_DONE();

	TEST_START("buf_reserve zeroes, buf_reset empties");
	b = buf_new();
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_put(b, "secretsecret", 12), 0);
	ASSERT_INT_EQ(buf_consume_end(b, 12), 0);
	/* Reserved space never shows old bytes. */
	ASSERT_INT_EQ(buf_reserve(b, 12, &p), 0);
	ASSERT_PTR_NE(p, NULL);
	ASSERT_MEM_EQ(p, "\0\0\0\0\0\0\0\0\0\0\0\0", 12);
	ASSERT_SIZE_T_EQ(buf_len(b), 12);
	ASSERT_INT_EQ(buf_set_max_size(b, 100), 0);
	buf_reset(b);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	ASSERT_SIZE_T_EQ(buf_max_size(b), 100);
	ASSERT_INT_EQ(buf_reserve(b, 0, &p), 0);
	ASSERT_PTR_NE(p, NULL);
	buf_free(b);
	TEST_DONE();

	/*
	 * White-box: look at the storage past the contents, which the
	 * buffer still owns, to see that secrets do not linger there.
	 */
	TEST_START("reset and packing wipe the storage");
	b = buf_new();
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_put(b, "secret", 6), 0);
	ASSERT_INT_EQ(buf_consume_end(b, 6), 0);
	ASSERT_PTR_NE(p = buf_mutable_ptr(b), NULL);
	ASSERT_MEM_EQ(p, "secret", 6);	/* trimmed, not yet wiped */
	buf_reset(b);
	ASSERT_PTR_EQ(buf_mutable_ptr(b), p);
	ASSERT_MEM_EQ(p, "\0\0\0\0\0\0", 6);
	/* 256 bytes fill the first block; consume most, then append. */
	ASSERT_INT_EQ(buf_reserve(b, 256, &p), 0);
	memset(p, 's', 256);
	ASSERT_INT_EQ(buf_consume(b, 200), 0);
	ASSERT_INT_EQ(buf_put(b, "x", 1), 0);
	/* The 56 unread bytes moved to the front, the rest was wiped. */
	ASSERT_SIZE_T_EQ(buf_len(b), 57);
	ASSERT_PTR_NE(p = buf_mutable_ptr(b), NULL);
	ASSERT_U8_EQ(p[55], 's');
	ASSERT_U8_EQ(p[56], 'x');
	for (i = 57; i < 256; i++)
		ASSERT_U8_EQ(p[i], 0);
	buf_free(b);
	TEST_DONE();
}

static void
test_consume(void)
{
	struct buf *b;
	int i;

	TEST_START("buf_consume / buf_consume_end");
	b = buf_new();
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_put(b, "0123456789", 10), 0);
	ASSERT_INT_EQ(buf_consume(b, 11), ERR_MESSAGE_INCOMPLETE);
	ASSERT_INT_EQ(buf_consume_end(b, 11), ERR_MESSAGE_INCOMPLETE);
	ASSERT_SIZE_T_EQ(buf_len(b), 10);
	ASSERT_INT_EQ(buf_consume(b, 0), 0);
	ASSERT_INT_EQ(buf_consume(b, 3), 0);
	ASSERT_MEM_EQ(buf_ptr(b), "3456789", 7);
	ASSERT_INT_EQ(buf_consume_end(b, 2), 0);
	ASSERT_MEM_EQ(buf_ptr(b), "34567", 5);
	ASSERT_INT_EQ(buf_consume(b, 5), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	ASSERT_INT_EQ(buf_consume(b, 1), ERR_MESSAGE_INCOMPLETE);
	ASSERT_INT_EQ(buf_consume_end(b, 1), ERR_MESSAGE_INCOMPLETE);
	ASSERT_INT_EQ(buf_consume(b, SIZE_MAX), ERR_MESSAGE_INCOMPLETE);
	buf_free(b);
	TEST_DONE();

	TEST_START("interleaved put and consume keep order");
	b = buf_new();
	ASSERT_PTR_NE(b, NULL);
	/* Stays short while consuming: exercises packing, not growth. */
	for (i = 0; i < 20000; i++) {
		uint32_t v;

		ASSERT_INT_EQ(buf_put_u32(b, (uint32_t)i), 0);
		ASSERT_INT_EQ(buf_put_u32(b, (uint32_t)i + 1), 0);
		ASSERT_INT_EQ(buf_get_u32(b, &v), 0);
		/* The queue is 0, 1, 1, 2, 2, 3, 3, ... */
		ASSERT_U32_EQ(v, (uint32_t)(i + 1) / 2);
	}
	ASSERT_SIZE_T_EQ(buf_len(b), 20000 * 4);
	buf_free(b);
	b = buf_new();
	ASSERT_PTR_NE(b, NULL);
	for (i = 0; i < 5000; i++) {
		uint16_t v;

		ASSERT_INT_EQ(buf_put_u16(b, (uint16_t)(2 * i)), 0);
		ASSERT_INT_EQ(buf_put_u16(b, (uint16_t)(2 * i + 1)), 0);
		ASSERT_INT_EQ(buf_get_u16(b, &v), 0);
		ASSERT_U16_EQ(v, (uint16_t)i);
	}
	ASSERT_SIZE_T_EQ(buf_len(b), 5000 * 2);
	for (i = 5000; i < 10000; i++) {
		uint16_t v;

		ASSERT_INT_EQ(buf_get_u16(b, &v), 0);
		ASSERT_U16_EQ(v, (uint16_t)i);
	}
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	buf_free(b);
	TEST_DONE();
}

static void
test_limits(void)
{
	struct buf *b;
	u_char *p, big[300];
	size_t i;

	TEST_START("buf_set_max_size limits growth");
	b = buf_new();
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_set_max_size(b, BUF_SIZE_MAX + 1),
	    ERR_NO_BUFFER_SPACE);
	ASSERT_INT_EQ(buf_set_max_size(b, 10), 0);
	ASSERT_SIZE_T_EQ(buf_max_size(b), 10);
	ASSERT_SIZE_T_EQ(buf_avail(b), 10);
	ASSERT_INT_EQ(buf_put(b, "0123456789", 10), 0);
	ASSERT_SIZE_T_EQ(buf_avail(b), 0);
	ASSERT_INT_EQ(buf_put_u8(b, 1), ERR_NO_BUFFER_SPACE);
	ASSERT_INT_EQ(buf_reserve(b, 1, &p), ERR_NO_BUFFER_SPACE);
	ASSERT_PTR_EQ(p, NULL);
	ASSERT_INT_EQ(buf_allocate(b, 1), ERR_NO_BUFFER_SPACE);
	ASSERT_INT_EQ(buf_reserve(b, SIZE_MAX, &p), ERR_NO_BUFFER_SPACE);
	ASSERT_SIZE_T_EQ(buf_len(b), 10);
	/* Cannot shrink below the contents. */
	ASSERT_INT_EQ(buf_set_max_size(b, 9), ERR_NO_BUFFER_SPACE);
	/* Consumed bytes make room again. */
	ASSERT_INT_EQ(buf_consume(b, 4), 0);
	ASSERT_SIZE_T_EQ(buf_avail(b), 4);
	ASSERT_INT_EQ(buf_put(b, "abcd", 4), 0);
	ASSERT_MEM_EQ(buf_ptr(b), "456789abcd", 10);
	ASSERT_INT_EQ(buf_put_u8(b, 1), ERR_NO_BUFFER_SPACE);
	ASSERT_INT_EQ(buf_consume(b, 6), 0);
	ASSERT_INT_EQ(buf_set_max_size(b, 4), 0);
	ASSERT_INT_EQ(buf_put_u8(b, 1), ERR_NO_BUFFER_SPACE);
	ASSERT_MEM_EQ(buf_ptr(b), "abcd", 4);
	buf_free(b);
	TEST_DONE();

	TEST_START("a limit above the current allocation");
	b = buf_new();
	ASSERT_PTR_NE(b, NULL);
	memset(big, 'z', sizeof(big));
	ASSERT_INT_EQ(buf_set_max_size(b, 1000), 0);
	for (i = 0; i < 3; i++)
		ASSERT_INT_EQ(buf_put(b, big, sizeof(big)), 0);
	ASSERT_INT_EQ(buf_put(b, big, 100), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 1000);
	ASSERT_INT_EQ(buf_put_u8(b, 1), ERR_NO_BUFFER_SPACE);
	/* A failed append leaves the contents as they were. */
	ASSERT_INT_EQ(buf_put_string(b, "x", 1), ERR_NO_BUFFER_SPACE);
	ASSERT_SIZE_T_EQ(buf_len(b), 1000);
	/* At the limit, consumed space is reused (the block cannot grow). */
	ASSERT_INT_EQ(buf_consume(b, 100), 0);
	memset(big, 'y', 100);
	ASSERT_INT_EQ(buf_put(b, big, 100), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 1000);
	ASSERT_INT_EQ(buf_find(b, 0, "zy", 2, &i), 0);
	ASSERT_SIZE_T_EQ(i, 899);
	buf_free(b);
	TEST_DONE();

	TEST_START("growth to a few MiB keeps contents");
	b = buf_new();
	ASSERT_PTR_NE(b, NULL);
	for (i = 0; i < 4 * 1024 * 1024 / sizeof(big); i++) {
		memset(big, (int)(i & 0xff), sizeof(big));
		ASSERT_INT_EQ(buf_put(b, big, sizeof(big)), 0);
	}
	for (i = 0; i < 4 * 1024 * 1024 / sizeof(big); i++) {
		u_char got[sizeof(big)];

		memset(big, (int)(i & 0xff), sizeof(big));
		ASSERT_INT_EQ(buf_get(b, got, sizeof(got)), 0);
		ASSERT_MEM_EQ(got, big, sizeof(big));
	}
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	buf_free(b);
	TEST_DONE();
}

static void
test_readonly(void)
{
	static const u_char data[] = { 0, 0, 0, 3, 'a', 'b', 'c', 0x42 };
	struct buf *b, *w;
	u_char *p;
	const u_char *s;
	size_t len;
	uint8_t u8;

	TEST_START("read-only views refuse writes");
	b = buf_from(data, sizeof(data));
	ASSERT_PTR_NE(b, NULL);
	ASSERT_PTR_EQ(buf_ptr(b), data);
	ASSERT_PTR_EQ(buf_mutable_ptr(b), NULL);
	ASSERT_SIZE_T_EQ(buf_avail(b), 0);
	ASSERT_INT_EQ(buf_put_u8(b, 1), ERR_BUFFER_READ_ONLY);
	ASSERT_INT_EQ(buf_put(b, "x", 1), ERR_BUFFER_READ_ONLY);
	ASSERT_INT_EQ(buf_put_cstring(b, "x"), ERR_BUFFER_READ_ONLY);
	ASSERT_INT_EQ(buf_putf(b, "%d", 1), ERR_BUFFER_READ_ONLY);
	ASSERT_INT_EQ(buf_reserve(b, 1, &p), ERR_BUFFER_READ_ONLY);
	ASSERT_PTR_EQ(p, NULL);
	ASSERT_INT_EQ(buf_allocate(b, 1), ERR_BUFFER_READ_ONLY);
	ASSERT_INT_EQ(buf_set_max_size(b, 100), ERR_BUFFER_READ_ONLY);
	ASSERT_INT_EQ(buf_putb(b, b), ERR_BUFFER_READ_ONLY);
	ASSERT_INT_EQ(buf_b64tod(b, "Zg=="), ERR_BUFFER_READ_ONLY);
	w = buf_new();
	ASSERT_PTR_NE(w, NULL);
	ASSERT_INT_EQ(buf_put_u8(w, 1), 0);
	ASSERT_INT_EQ(buf_dtob64(w, b, 0), ERR_BUFFER_READ_ONLY);
	ASSERT_SIZE_T_EQ(buf_len(b), sizeof(data));
	/* Reading, consuming and trimming work. */
	ASSERT_INT_EQ(buf_get_string_direct(b, &s, &len), 0);
	ASSERT_SIZE_T_EQ(len, 3);
	ASSERT_MEM_EQ(s, "abc", 3);
	ASSERT_INT_EQ(buf_peek_u8(b, 0, &u8), 0);
	ASSERT_U8_EQ(u8, 0x42);
	ASSERT_INT_EQ(buf_consume_end(b, 1), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	ASSERT_INT_EQ(buf_get_u8(b, &u8), ERR_MESSAGE_INCOMPLETE);
	/* Reset empties the view and leaves the memory alone. */
	buf_reset(b);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	ASSERT_U8_EQ(data[4], 'a');
	buf_free(b);
	/* An empty view. */
	b = buf_from(NULL, 0);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	ASSERT_PTR_NE(buf_ptr(b), NULL);
	ASSERT_INT_EQ(buf_putb(w, b), 0);
	buf_free(b);
	ASSERT_PTR_EQ(buf_from(NULL, 1), NULL);
	buf_free(w);
	TEST_DONE();
}

static void
test_find(void)
{
	struct buf *b;
	size_t off;

	TEST_START("buf_find");
	b = buf_from_copy("xxaaabaab", 9);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_find(b, 0, "aab", 3, &off), 0);
	ASSERT_SIZE_T_EQ(off, 3);
	ASSERT_INT_EQ(buf_find(b, 3, "aab", 3, &off), 0);
	ASSERT_SIZE_T_EQ(off, 3);
	ASSERT_INT_EQ(buf_find(b, 4, "aab", 3, &off), 0);
	ASSERT_SIZE_T_EQ(off, 6);
	ASSERT_INT_EQ(buf_find(b, 7, "aab", 3, &off), ERR_INVALID_FORMAT);
	ASSERT_SIZE_T_EQ(off, 0);
	ASSERT_INT_EQ(buf_find(b, 0, "x", 1, &off), 0);
	ASSERT_SIZE_T_EQ(off, 0);
	ASSERT_INT_EQ(buf_find(b, 0, "b", 1, &off), 0);
	ASSERT_SIZE_T_EQ(off, 5);
	ASSERT_INT_EQ(buf_find(b, 8, "b", 1, &off), 0);
	ASSERT_SIZE_T_EQ(off, 8);
	ASSERT_INT_EQ(buf_find(b, 0, "xxaaabaab", 9, &off), 0);
	ASSERT_SIZE_T_EQ(off, 0);
	ASSERT_INT_EQ(buf_find(b, 0, "xxaaabaabb", 10, &off),
	    ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(buf_find(b, 0, "c", 1, &off), ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(buf_find(b, 9, "b", 1, &off), ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(buf_find(b, 10, "b", 1, &off), ERR_MESSAGE_INCOMPLETE);
	ASSERT_INT_EQ(buf_find(b, SIZE_MAX, "b", 1, &off),
	    ERR_MESSAGE_INCOMPLETE);
	ASSERT_INT_EQ(buf_find(b, 0, "b", 0, &off), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(buf_find(b, 0, NULL, 1, &off), ERR_INVALID_ARGUMENT);
	/* Offsets count from the first unread byte. */
	ASSERT_INT_EQ(buf_consume(b, 2), 0);
	ASSERT_INT_EQ(buf_find(b, 0, "aab", 3, &off), 0);
	ASSERT_SIZE_T_EQ(off, 1);
	buf_free(b);
	TEST_DONE();
}

static void
test_equals(void)
{
	struct buf *a, *b;

	TEST_START("buf_equals");
	a = buf_from_copy("hello world", 11);
	b = buf_from("xhello world", 12);
	ASSERT_PTR_NE(a, NULL);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_equals(a, b), 0);
	ASSERT_INT_EQ(buf_consume(b, 1), 0);
	ASSERT_INT_EQ(buf_equals(a, b), 1);
	ASSERT_INT_EQ(buf_equals(b, a), 1);
	ASSERT_INT_EQ(buf_consume_end(b, 1), 0);
	ASSERT_INT_EQ(buf_equals(a, b), 0);
	ASSERT_INT_EQ(buf_equals(b, a), 0);
	ASSERT_INT_EQ(buf_consume_end(a, 1), 0);
	ASSERT_INT_EQ(buf_equals(a, b), 1);
	ASSERT_INT_EQ(buf_put_u8(a, 'x'), 0);
	ASSERT_INT_EQ(buf_consume_end(b, 10), 0);
	ASSERT_INT_EQ(buf_equals(a, b), 0);
	ASSERT_INT_EQ(buf_consume_end(a, 11), 0);
	ASSERT_INT_EQ(buf_equals(a, b), 1);
	ASSERT_INT_EQ(buf_equals(a, a), 1);
	buf_free(a);
	buf_free(b);
	TEST_DONE();
}

static void
test_putf(void)
{
	struct buf *b;
	char big[1000];

	TEST_START("buf_putf");
	b = buf_new();
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_putf(b, "%s-%d-%04x", "abc", -5, 0xbeef), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 11);
	ASSERT_MEM_EQ(buf_ptr(b), "abc--5-beef", 11);
	ASSERT_INT_EQ(buf_putf(b, "%s", ""), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 11);
	ASSERT_INT_EQ(buf_putf(b, "!"), 0);
	ASSERT_MEM_EQ(buf_ptr(b), "abc--5-beef!", 12);
	/* Long output grows the buffer. */
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ASSERT_INT_EQ(buf_putf(b, "[%s]", big), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 12 + 2 + sizeof(big) - 1);
	buf_reset(b);
	/* Output that exactly fills the limit (no room for a NUL). */
	ASSERT_INT_EQ(buf_set_max_size(b, 5), 0);
	ASSERT_INT_EQ(buf_putf(b, "%s", "hello"), 0);
	ASSERT_MEM_EQ(buf_ptr(b), "hello", 5);
	ASSERT_INT_EQ(buf_putf(b, "x"), ERR_NO_BUFFER_SPACE);
	buf_reset(b);
	ASSERT_INT_EQ(buf_putf(b, "%s", "hello!"), ERR_NO_BUFFER_SPACE);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	ASSERT_INT_EQ(buf_putf(b, "%d", 1234), 0);
	ASSERT_MEM_EQ(buf_ptr(b), "1234", 4);
	buf_free(b);
	TEST_DONE();
}

static void
test_self_append(void)
{
	struct buf *b, *c;
	u_char block[256];
	size_t i;
	uint32_t len;
	const u_char *s;
	size_t slen;

	TEST_START("appending a buffer to itself");
	for (i = 0; i < sizeof(block); i++)
		block[i] = (u_char)i;
	b = buf_new();
	ASSERT_PTR_NE(b, NULL);
	/* Fill the first allocation exactly, so the append must grow. */
	ASSERT_INT_EQ(buf_put(b, block, sizeof(block)), 0);
	ASSERT_INT_EQ(buf_putb(b, b), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 512);
	ASSERT_MEM_EQ(buf_ptr(b), block, 256);
	ASSERT_INT_EQ(buf_consume(b, 256), 0);
	ASSERT_MEM_EQ(buf_ptr(b), block, 256);
	/* After a consume, so packing moves the data first. */
	ASSERT_INT_EQ(buf_put_stringb(b, b), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 256 + 4 + 256);
	ASSERT_INT_EQ(buf_consume(b, 256), 0);
	ASSERT_INT_EQ(buf_peek_u32(b, 0, &len), 0);
	ASSERT_U32_EQ(len, 256);
	ASSERT_INT_EQ(buf_get_string_direct(b, &s, &slen), 0);
	ASSERT_SIZE_T_EQ(slen, 256);
	ASSERT_MEM_EQ(s, block, 256);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	/* Bytes from the buffer's own storage, while it grows. */
	c = buf_new();
	ASSERT_PTR_NE(c, NULL);
	ASSERT_INT_EQ(buf_put(c, block, sizeof(block)), 0);
	ASSERT_INT_EQ(buf_put(c, buf_ptr(c), 256), 0);
	ASSERT_INT_EQ(buf_put_string(c, buf_ptr(c), 512), 0);
	ASSERT_SIZE_T_EQ(buf_len(c), 512 + 4 + 512);
	for (i = 0; i < 2; i++) {
		ASSERT_MEM_EQ(buf_ptr(c), block, 256);
		ASSERT_INT_EQ(buf_consume(c, 256), 0);
	}
	ASSERT_INT_EQ(buf_get_string_direct(c, &s, &slen), 0);
	ASSERT_SIZE_T_EQ(slen, 512);
	ASSERT_MEM_EQ(s, block, 256);
	ASSERT_MEM_EQ(s + 256, block, 256);
	ASSERT_SIZE_T_EQ(buf_len(c), 0);
	buf_free(c);
	/* An mpint read directly and written back into the same buffer. */
	ASSERT_INT_EQ(buf_put_bignum2_bytes(b, block + 1, 255), 0);
	ASSERT_INT_EQ(buf_get_bignum2_bytes_direct(b, &s, &slen), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	ASSERT_INT_EQ(buf_put_bignum2_bytes(b, s, slen), 0);
	ASSERT_INT_EQ(buf_get_bignum2_bytes_direct(b, &s, &slen), 0);
	ASSERT_SIZE_T_EQ(slen, 255);
	ASSERT_MEM_EQ(s, block + 1, 255);
	/* A string into its own buffer is refused. */
	ASSERT_INT_EQ(buf_put_string(b, "ab", 2), 0);
	ASSERT_INT_EQ(buf_get_stringb(b, b), ERR_INVALID_ARGUMENT);
	ASSERT_SIZE_T_EQ(buf_len(b), 6);
	buf_free(b);
	TEST_DONE();
}

void
test_buf_basic(void)
{
	test_life();
	test_consume();
	test_limits();
	test_readonly();
	test_find();
	test_equals();
	test_putf();
	test_self_append();
}
