/*
 * test_buf_getput.c: integers and strings: encodings, truncation at every
 * offset, oversize lengths, interior NULs, cleared outputs.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "../test_helper/test_helper.h"
#include "test_buf.h"

/* Encodings shared by the getters below. */
static const u_char enc_u64[] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab,
    0xcd, 0xef };
static const u_char enc_str[] = { 0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o' };

/* ------------------------------------------------------- getter wrappers */

static int
g_u8(struct buf *b)
{
	uint8_t v = 0xaa;
	int r = buf_get_u8(b, &v);

	ASSERT_U8_EQ(v, r == 0 ? 0x01 : 0);
	return r;
}

static int
g_u16(struct buf *b)
{
	uint16_t v = 0xaaaa;
	int r = buf_get_u16(b, &v);

	ASSERT_U16_EQ(v, r == 0 ? 0x0123 : 0);
	return r;
}

static int
g_u32(struct buf *b)
{
	uint32_t v = 0xaaaaaaaa;
	int r = buf_get_u32(b, &v);

	ASSERT_U32_EQ(v, r == 0 ? 0x01234567 : 0);
	return r;
}

static int
g_u64(struct buf *b)
{
	uint64_t v = 0xaaaaaaaa;
	int r = buf_get_u64(b, &v);

	ASSERT_U64_EQ(v, r == 0 ? 0x0123456789abcdefULL : 0);
	return r;
}

static int
g_get8(struct buf *b)
{
	u_char v[8];
	int r;

	memset(v, 0xaa, sizeof(v));
	r = buf_get(b, v, sizeof(v));
	ASSERT_MEM_EQ(v, r == 0 ? enc_u64 : (const u_char *)"\0\0\0\0\0\0\0",
	    sizeof(v));
	return r;
}

static int
g_string(struct buf *b)
{
	u_char *v = (u_char *)"junk";
	size_t len = 99;
	int r = buf_get_string(b, &v, &len);

	if (r != 0) {
		ASSERT_PTR_EQ(v, NULL);
		ASSERT_SIZE_T_EQ(len, 0);
		return r;
	}
	ASSERT_SIZE_T_EQ(len, 5);
	ASSERT_MEM_EQ(v, "hello", 6);
	free(v);
	return r;
}

static int
g_string_skip(struct buf *b)
{
	return buf_get_string(b, NULL, NULL);
}

static int
g_cstring(struct buf *b)
{
	char *v = "junk";
	size_t len = 99;
	int r = buf_get_cstring(b, &v, &len);

	if (r != 0) {
		ASSERT_PTR_EQ(v, NULL);
		ASSERT_SIZE_T_EQ(len, 0);
		return r;
	}
	ASSERT_SIZE_T_EQ(len, 5);
	ASSERT_STRING_EQ(v, "hello");
	free(v);
	return r;
}

static int
g_string_direct(struct buf *b)
{
	const u_char *v = (const u_char *)"junk";
	size_t len = 99;
	int r = buf_get_string_direct(b, &v, &len);

	if (r != 0) {
		ASSERT_PTR_EQ(v, NULL);
		ASSERT_SIZE_T_EQ(len, 0);
		return r;
	}
	ASSERT_SIZE_T_EQ(len, 5);
	ASSERT_MEM_EQ(v, "hello", 5);
	return r;
}

/* The peek form consumes nothing; consume here to fit the harness. */
static int
g_peek_string_direct(struct buf *b)
{
	const u_char *v = (const u_char *)"junk";
	size_t len = 99, before = buf_len(b);
	int r = buf_peek_string_direct(b, &v, &len);

	ASSERT_SIZE_T_EQ(buf_len(b), before);
	if (r != 0) {
		ASSERT_PTR_EQ(v, NULL);
		ASSERT_SIZE_T_EQ(len, 0);
		return r;
	}
	ASSERT_SIZE_T_EQ(len, 5);
	ASSERT_MEM_EQ(v, "hello", 5);
	ASSERT_INT_EQ(buf_consume(b, 4 + len), 0);
	return r;
}

static int
g_stringb(struct buf *b)
{
	struct buf *dst = buf_new();
	int r;

	ASSERT_PTR_NE(dst, NULL);
	ASSERT_INT_EQ(buf_put(dst, "pre:", 4), 0);
	r = buf_get_stringb(b, dst);
	if (r != 0)
		ASSERT_SIZE_T_EQ(buf_len(dst), 4);
	else {
		ASSERT_SIZE_T_EQ(buf_len(dst), 9);
		ASSERT_MEM_EQ(buf_ptr(dst), "pre:hello", 9);
	}
	buf_free(dst);
	return r;
}

static int
g_stringb_skip(struct buf *b)
{
	return buf_get_stringb(b, NULL);
}

static int
g_froms(struct buf *b)
{
	struct buf *v = (struct buf *)b;
	int r = buf_froms(b, &v);

	if (r != 0) {
		ASSERT_PTR_EQ(v, NULL);
		return r;
	}
	ASSERT_SIZE_T_EQ(buf_len(v), 5);
	ASSERT_MEM_EQ(buf_ptr(v), "hello", 5);
	/* The new buffer is an independent, writable copy. */
	ASSERT_INT_EQ(buf_put_u8(v, '!'), 0);
	buf_free(v);
	return r;
}

static int
g_peek_u32(struct buf *b)
{
	uint32_t v = 0xaaaaaaaa;
	int r = buf_peek_u32(b, 0, &v);

	ASSERT_U32_EQ(v, r == 0 ? 0x01234567 : 0);
	if (r == 0)
		ASSERT_INT_EQ(buf_consume(b, 4), 0);
	return r;
}

static int
g_peek_u8(struct buf *b)
{
	uint8_t v = 0xaa;
	int r = buf_peek_u8(b, 0, &v);

	ASSERT_U8_EQ(v, r == 0 ? 0x01 : 0);
	if (r == 0)
		ASSERT_INT_EQ(buf_consume(b, 1), 0);
	return r;
}

/* ------------------------------------------------------- tests */

static void
test_integers(void)
{
	struct buf *b;
	uint64_t v64;
	uint32_t v32;
	uint16_t v16;
	uint8_t v8;

	TEST_START("integer encodings");
	b = buf_new();
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_put_u64(b, 0x0123456789abcdefULL), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 0x89abcdef), 0);
	ASSERT_INT_EQ(buf_put_u16(b, 0xfedc), 0);
	ASSERT_INT_EQ(buf_put_u8(b, 0x80), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 15);
	ASSERT_MEM_EQ(buf_ptr(b), "\x01\x23\x45\x67\x89\xab\xcd\xef"
	    "\x89\xab\xcd\xef\xfe\xdc\x80", 15);
	ASSERT_INT_EQ(buf_peek_u32(b, 8, &v32), 0);
	ASSERT_U32_EQ(v32, 0x89abcdef);
	ASSERT_INT_EQ(buf_peek_u32(b, 11, &v32), 0);
	ASSERT_U32_EQ(v32, 0xeffedc80);
	ASSERT_INT_EQ(buf_peek_u32(b, 12, &v32), ERR_MESSAGE_INCOMPLETE);
	ASSERT_U32_EQ(v32, 0);
	ASSERT_INT_EQ(buf_peek_u32(b, SIZE_MAX, &v32), ERR_MESSAGE_INCOMPLETE);
	ASSERT_INT_EQ(buf_peek_u8(b, 14, &v8), 0);
	ASSERT_U8_EQ(v8, 0x80);
	ASSERT_INT_EQ(buf_peek_u8(b, 15, &v8), ERR_MESSAGE_INCOMPLETE);
	ASSERT_INT_EQ(buf_peek_u8(b, SIZE_MAX, &v8), ERR_MESSAGE_INCOMPLETE);
	ASSERT_INT_EQ(buf_get_u64(b, &v64), 0);
	ASSERT_U64_EQ(v64, 0x0123456789abcdefULL);
	ASSERT_INT_EQ(buf_get_u32(b, &v32), 0);
	ASSERT_U32_EQ(v32, 0x89abcdef);
	ASSERT_INT_EQ(buf_get_u16(b, &v16), 0);
	ASSERT_U16_EQ(v16, 0xfedc);
	ASSERT_INT_EQ(buf_get_u8(b, NULL), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	ASSERT_INT_EQ(buf_put_u64(b, UINT64_MAX), 0);
	ASSERT_INT_EQ(buf_get_u64(b, &v64), 0);
	ASSERT_U64_EQ(v64, UINT64_MAX);
	buf_free(b);
	TEST_DONE();

	TEST_START("integer getters at every truncation");
	check_truncations("u8", enc_u64, 1, g_u8);
	check_truncations("u16", enc_u64, 2, g_u16);
	check_truncations("u32", enc_u64, 4, g_u32);
	check_truncations("u64", enc_u64, 8, g_u64);
	check_truncations("get", enc_u64, 8, g_get8);
	check_truncations("peek_u32", enc_u64, 4, g_peek_u32);
	check_truncations("peek_u8", enc_u64, 1, g_peek_u8);
	TEST_DONE();
}

static void
test_string_truncations(void)
{
	TEST_START("string getters at every truncation");
	check_truncations("string", enc_str, sizeof(enc_str), g_string);
	check_truncations("string skip", enc_str, sizeof(enc_str),
	    g_string_skip);
	check_truncations("cstring", enc_str, sizeof(enc_str), g_cstring);
	check_truncations("string_direct", enc_str, sizeof(enc_str),
	    g_string_direct);
	check_truncations("peek_string_direct", enc_str, sizeof(enc_str),
	    g_peek_string_direct);
	check_truncations("stringb", enc_str, sizeof(enc_str), g_stringb);
	check_truncations("stringb skip", enc_str, sizeof(enc_str),
	    g_stringb_skip);
	check_truncations("froms", enc_str, sizeof(enc_str), g_froms);
	TEST_DONE();
}

static void
test_string_lengths(void)
{
	static getter_fn *getters[] = {
		g_string, g_string_skip, g_cstring, g_string_direct,
		g_peek_string_direct, g_stringb, g_stringb_skip, g_froms,
	};
	u_char enc[4 + 16];
	size_t i;

	TEST_START("string lengths beyond the caps");
	memset(enc, 'x', sizeof(enc));
	for (i = 0; i < sizeof(getters) / sizeof(getters[0]); i++) {
		/* Lengths that no buffer could hold. */
		memcpy(enc, "\xff\xff\xff\xff", 4);
		check_refused("len 0xffffffff", enc, sizeof(enc), getters[i],
		    ERR_STRING_TOO_LARGE);
		check_refused("len 0xffffffff, no body", enc, 4, getters[i],
		    ERR_STRING_TOO_LARGE);
		memcpy(enc, "\x80\x00\x00\x00", 4);
		check_refused("len 2^31", enc, sizeof(enc), getters[i],
		    ERR_STRING_TOO_LARGE);
		/* Just over and at the cap. */
		memcpy(enc, "\x01\x00\x00\x01", 4);
		check_refused("len STRING_MAX+1", enc, sizeof(enc),
		    getters[i], ERR_STRING_TOO_LARGE);
		memcpy(enc, "\x01\x00\x00\x00", 4);
		check_refused("len STRING_MAX", enc, sizeof(enc), getters[i],
		    ERR_MESSAGE_INCOMPLETE);
		/* One more than what is there. */
		memcpy(enc, "\x00\x00\x00\x11", 4);
		check_refused("len one past the end", enc, sizeof(enc),
		    getters[i], ERR_MESSAGE_INCOMPLETE);
	}
	TEST_DONE();
}

static void
test_strings(void)
{
	struct buf *b, *c;
	u_char *s;
	char *cs;
	size_t len;

	TEST_START("string encodings");
	b = buf_new();
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_put_string(b, "hello", 5), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, "hi"), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, NULL), 0);
	ASSERT_INT_EQ(buf_put_string(b, NULL, 0), 0);
	ASSERT_INT_EQ(buf_put_string(b, NULL, 1), ERR_INVALID_ARGUMENT);
	c = buf_from("abc", 3);
	ASSERT_PTR_NE(c, NULL);
	ASSERT_INT_EQ(buf_put_stringb(b, c), 0);
	ASSERT_SIZE_T_EQ(buf_len(c), 3);
	buf_free(c);
	ASSERT_SIZE_T_EQ(buf_len(b), 9 + 6 + 4 + 4 + 7);
	ASSERT_MEM_EQ(buf_ptr(b), "\0\0\0\5hello\0\0\0\2hi\0\0\0\0\0\0\0\0"
	    "\0\0\0\3abc", 30);
	ASSERT_INT_EQ(buf_get_string(b, &s, &len), 0);
	ASSERT_SIZE_T_EQ(len, 5);
	ASSERT_MEM_EQ(s, "hello", 6);
	free(s);
	ASSERT_INT_EQ(buf_get_cstring(b, &cs, NULL), 0);
	ASSERT_STRING_EQ(cs, "hi");
	free(cs);
	/* Empty strings come back as "" (never NULL). */
	ASSERT_INT_EQ(buf_get_cstring(b, &cs, &len), 0);
	ASSERT_STRING_EQ(cs, "");
	ASSERT_SIZE_T_EQ(len, 0);
	free(cs);
	ASSERT_INT_EQ(buf_get_string(b, &s, &len), 0);
	ASSERT_PTR_NE(s, NULL);
	ASSERT_SIZE_T_EQ(len, 0);
	free(s);
	ASSERT_INT_EQ(buf_froms(b, &c), 0);
	ASSERT_SIZE_T_EQ(buf_len(c), 3);
	ASSERT_MEM_EQ(buf_ptr(c), "abc", 3);
	buf_free(c);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	buf_free(b);
	TEST_DONE();

	TEST_START("put_string length cap");
	b = buf_new();
	ASSERT_PTR_NE(b, NULL);
	s = calloc(1, BUF_STRING_MAX + 1);
	ASSERT_PTR_NE(s, NULL);
	ASSERT_INT_EQ(buf_put_string(b, s, BUF_STRING_MAX + 1),
	    ERR_STRING_TOO_LARGE);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	c = buf_from(s, BUF_STRING_MAX + 1);
	ASSERT_PTR_NE(c, NULL);
	ASSERT_INT_EQ(buf_put_stringb(b, c), ERR_STRING_TOO_LARGE);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	/* The cap itself is fine both ways. */
	ASSERT_INT_EQ(buf_consume_end(c, 1), 0);
	ASSERT_INT_EQ(buf_put_stringb(b, c), 0);
	buf_free(c);
	ASSERT_INT_EQ(buf_get_string_direct(b, NULL, &len), 0);
	ASSERT_SIZE_T_EQ(len, BUF_STRING_MAX);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	free(s);
	buf_free(b);
	TEST_DONE();
}

static int
g_cstring_any(struct buf *b)
{
	char *v = "junk";
	size_t len = 99;
	int r = buf_get_cstring(b, &v, &len);

	if (r != 0) {
		ASSERT_PTR_EQ(v, NULL);
		ASSERT_SIZE_T_EQ(len, 0);
	} else {
		ASSERT_SIZE_T_EQ(strlen(v), len);
		free(v);
	}
	return r;
}

static void
test_cstring_nul(void)
{
	struct buf *b;
	char *s;
	size_t len;

	TEST_START("cstring with NULs");
	check_refused("NUL first", "\0\0\0\3\0ab", 7, g_cstring_any,
	    ERR_INVALID_FORMAT);
	check_refused("NUL inside", "\0\0\0\3a\0b", 7, g_cstring_any,
	    ERR_INVALID_FORMAT);
	check_refused("NUL inside and at end", "\0\0\0\3a\0\0", 7,
	    g_cstring_any, ERR_INVALID_FORMAT);
	check_refused("only NULs", "\0\0\0\2\0\0", 6, g_cstring_any,
	    ERR_INVALID_FORMAT);
	/* One NUL that ends the string is dropped. */
	b = buf_from("\0\0\0\3ab\0", 7);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_get_cstring(b, &s, &len), 0);
	ASSERT_STRING_EQ(s, "ab");
	ASSERT_SIZE_T_EQ(len, 2);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	free(s);
	buf_free(b);
	b = buf_from("\0\0\0\1\0", 5);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_get_cstring(b, &s, &len), 0);
	ASSERT_STRING_EQ(s, "");
	ASSERT_SIZE_T_EQ(len, 0);
	free(s);
	buf_free(b);
	/* buf_get_string takes any bytes. */
	b = buf_from("\0\0\0\3a\0b", 7);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_get_string(b, (u_char **)&s, &len), 0);
	ASSERT_SIZE_T_EQ(len, 3);
	ASSERT_MEM_EQ(s, "a\0b", 4);
	free(s);
	buf_free(b);
	TEST_DONE();
}

static void
test_stringb_limits(void)
{
	struct buf *b, *dst;

	TEST_START("get_stringb into a full buffer");
	b = buf_from("\0\0\0\5hello", 9);
	dst = buf_new();
	ASSERT_PTR_NE(b, NULL);
	ASSERT_PTR_NE(dst, NULL);
	ASSERT_INT_EQ(buf_set_max_size(dst, 4), 0);
	ASSERT_INT_EQ(buf_get_stringb(b, dst), ERR_NO_BUFFER_SPACE);
	ASSERT_SIZE_T_EQ(buf_len(b), 9);
	ASSERT_SIZE_T_EQ(buf_len(dst), 0);
	ASSERT_INT_EQ(buf_set_max_size(dst, 5), 0);
	ASSERT_INT_EQ(buf_get_stringb(b, dst), 0);
	ASSERT_MEM_EQ(buf_ptr(dst), "hello", 5);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	buf_free(dst);
	buf_free(b);
	TEST_DONE();
}

static void
test_flipped_bits(void)
{
	u_char enc[sizeof(enc_str)], *s;
	struct buf *b;
	size_t i, len, want;
	int bit, r;

	TEST_START("string with each bit flipped");
	for (i = 0; i < sizeof(enc_str); i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(enc, enc_str, sizeof(enc));
			enc[i] ^= (u_char)(1 << bit);
			b = buf_from(enc, sizeof(enc));
			ASSERT_PTR_NE(b, NULL);
			r = buf_get_string(b, &s, &len);
			want = (size_t)enc[0] << 24 | (size_t)enc[1] << 16 |
			    (size_t)enc[2] << 8 | enc[3];
			if (want > 5) {
				/* Longer than what is there: refused. */
				ASSERT_INT_NE(r, 0);
				ASSERT_SIZE_T_EQ(buf_len(b), sizeof(enc));
				ASSERT_PTR_EQ(s, NULL);
			} else if (i < 4) {
				/* Shorter: the rest is left over. */
				ASSERT_INT_EQ(r, 0);
				ASSERT_SIZE_T_EQ(len, want);
				ASSERT_SIZE_T_EQ(buf_len(b), 5 - want);
				ASSERT_MEM_EQ(s, "hello", want);
				free(s);
			} else {
				ASSERT_INT_EQ(r, 0);
				ASSERT_MEM_EQ(s, enc + 4, 5);
				free(s);
			}
			buf_free(b);
		}
	}
	TEST_DONE();
}

void
test_buf_getput(void)
{
	test_integers();
	test_string_truncations();
	test_string_lengths();
	test_strings();
	test_cstring_nul();
	test_stringb_limits();
	test_flipped_bits();
}
