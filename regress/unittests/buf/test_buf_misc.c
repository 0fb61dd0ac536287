/*
 * test_buf_misc.c: base64 (RFC 4648 section 10 vectors, strictness,
 * wrapping), hex and string conversion.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "../test_helper/test_helper.h"
#include "../test_helper/kat.h"
#include "test_buf.h"

static void
test_b64_vectors(void)
{
	struct kat *k;
	struct buf *b, *enc;
	const char *b64, *hex;
	char *s;
	const u_char *msg;
	size_t len;
	int n = 0;

	TEST_START("base64 and hex RFC 4648 vectors");
	k = kat_open("buf-base64-rfc4648.txt");
	while (kat_next(k)) {
		msg = kat_hex(k, "msg", &len);
		b64 = kat_str(k, "b64");
		hex = kat_str(k, "hex");
		b = buf_from(msg, len);
		ASSERT_PTR_NE(b, NULL);
		/* Encode: string form, appended form, wrapped form. */
		ASSERT_PTR_NE(s = buf_dtob64_string(b, 0), NULL);
		ASSERT_STRING_EQ(s, b64);
		free(s);
		enc = buf_new();
		ASSERT_PTR_NE(enc, NULL);
		ASSERT_INT_EQ(buf_put(enc, "<", 1), 0);
		ASSERT_INT_EQ(buf_dtob64(b, enc, 0), 0);
		ASSERT_SIZE_T_EQ(buf_len(enc), 1 + strlen(b64));
		ASSERT_MEM_EQ(buf_ptr(enc), "<", 1);
		ASSERT_INT_EQ(buf_consume(enc, 1), 0);
		ASSERT_MEM_EQ(buf_ptr(enc), b64, strlen(b64));
		buf_reset(enc);
		ASSERT_PTR_NE(s = buf_dtob64_string(b, 1), NULL);
		if (len == 0)
			ASSERT_STRING_EQ(s, "");
		else {
			ASSERT_SIZE_T_EQ(strlen(s), strlen(b64) + 1);
			ASSERT_MEM_EQ(s, b64, strlen(b64));
			ASSERT_INT_EQ(s[strlen(b64)], '\n');
		}
		free(s);
		/* Decode, appending. */
		ASSERT_INT_EQ(buf_put(enc, ">", 1), 0);
		ASSERT_INT_EQ(buf_b64tod(enc, b64), 0);
		ASSERT_SIZE_T_EQ(buf_len(enc), 1 + len);
		ASSERT_INT_EQ(buf_consume(enc, 1), 0);
		ASSERT_INT_EQ(buf_equals(enc, b), 1);
		/* Hex. */
		ASSERT_PTR_NE(s = buf_dtohex(b), NULL);
		ASSERT_STRING_EQ(s, hex);
		free(s);
		buf_free(enc);
		buf_free(b);
		n++;
	}
	kat_close(k);
	ASSERT_INT_EQ(n, 7);
	TEST_DONE();
}

static void
b64_refused(const char *in)
{
	struct buf *b = buf_new();

	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_put(b, "keep", 4), 0);
	if (buf_b64tod(b, in) != ERR_INVALID_FORMAT)
		assert_failed(__FILE__, __LINE__, "base64 \"%s\" accepted",
		    in);
	ASSERT_SIZE_T_EQ(buf_len(b), 4);
	ASSERT_MEM_EQ(buf_ptr(b), "keep", 4);
	buf_free(b);
}

static void
b64_accepted(const char *in, const char *want)
{
	struct buf *b = buf_new();

	ASSERT_PTR_NE(b, NULL);
	if (buf_b64tod(b, in) != 0)
		assert_failed(__FILE__, __LINE__, "base64 \"%s\" refused",
		    in);
	ASSERT_SIZE_T_EQ(buf_len(b), strlen(want));
	ASSERT_MEM_EQ(buf_ptr(b), want, strlen(want));
	buf_free(b);
}

static void
test_b64_strict(void)
{
	static const char *bad[] = {
		"Zg", "Zg=", "Zm8", "Z", "Zm9vY", "Z===", "Zg===", "=",
		"==", "=Zg=", "Zm9v=", "Zm9v====", "Zg==Zg==", "Zg==Z",
		"Zm8=Zm8=", "Zm9v!", "Zm9v-_", "Zm9\x80", "Zm*v", "Zm9v.",
		/* non-zero pad bits (RFC 4648 section 3.5) */
		"Zh==", "Zm9=", "Zn==", "Zm/=",
	};
	struct buf *b, *c, *d;
	size_t i;

	TEST_START("base64 decoder is strict");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		b64_refused(bad[i]);
	b64_accepted("", "");
	b64_accepted(" \t\r\n", "");
	b64_accepted("Zg==\n", "f");
	b64_accepted(" Z g = = ", "f");
	b64_accepted("Zm9v\r\nYmFy\n", "foobar");
	b64_accepted("Zm9vYm\n\tE=", "fooba");
	b64_accepted("+/+/", "\xfb\xff\xbf");
	b = buf_from("x", 1);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_b64tod(b, "Zg=="), ERR_BUFFER_READ_ONLY);
	buf_free(b);
	/* A decoding that does not fit the limit leaves b alone. */
	b = buf_new();
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_set_max_size(b, 4), 0);
	ASSERT_INT_EQ(buf_b64tod(b, "Zm9vYmFyYmF6"), ERR_NO_BUFFER_SPACE);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	buf_free(b);
	/* Every byte value survives a round trip. */
	b = buf_new();
	c = buf_new();
	ASSERT_PTR_NE(b, NULL);
	ASSERT_PTR_NE(c, NULL);
	for (i = 0; i < 256; i++) {
		ASSERT_INT_EQ(buf_put_u8(b, (uint8_t)i), 0);
		ASSERT_INT_EQ(buf_dtob64(b, c, (int)(i % 2)), 0);
		ASSERT_INT_EQ(buf_put_u8(c, 0), 0);
		ASSERT_PTR_NE(d = buf_new(), NULL);
		ASSERT_INT_EQ(buf_b64tod(d, (const char *)buf_ptr(c)), 0);
		ASSERT_INT_EQ(buf_equals(b, d), 1);
		buf_free(d);
		buf_reset(c);
	}
	buf_free(b);
	buf_free(c);
	TEST_DONE();
}

static void
test_b64_wrap(void)
{
	struct buf *b, *d;
	u_char data[200];
	char *s, *line, *next;
	size_t i, nlines;

	TEST_START("base64 wrapping at 70 columns");
	for (i = 0; i < sizeof(data); i++)
		data[i] = (u_char)(i * 7 + 3);
	for (i = 0; i <= sizeof(data); i++) {
		b = buf_from(data, i);
		ASSERT_PTR_NE(b, NULL);
		ASSERT_PTR_NE(s = buf_dtob64_string(b, 1), NULL);
		/* Lines of 70, the last one shorter, each ending in \n. */
		nlines = 0;
		for (line = s; *line != '\0'; line = next + 1) {
			ASSERT_PTR_NE(next = strchr(line, '\n'), NULL);
			if (next[1] != '\0')
				ASSERT_INT_EQ(next - line, 70);
			else {
				ASSERT_INT_GT(next - line, 0);
				ASSERT_INT_LE(next - line, 70);
			}
			nlines++;
		}
		ASSERT_SIZE_T_EQ(nlines, ((i + 2) / 3 * 4 + 69) / 70);
		d = buf_new();
		ASSERT_PTR_NE(d, NULL);
		ASSERT_INT_EQ(buf_b64tod(d, s), 0);
		ASSERT_INT_EQ(buf_equals(b, d), 1);
		free(s);
		/* Encoding a buffer onto its own end. */
		ASSERT_INT_EQ(buf_dtob64(d, d, 1), 0);
		ASSERT_SIZE_T_EQ(buf_len(d), i + (i == 0 ? 0 :
		    (i + 2) / 3 * 4 + nlines));
		buf_free(d);
		buf_free(b);
	}
	TEST_DONE();
}

static void
test_strings(void)
{
	struct buf *b;
	char *s;

	TEST_START("buf_dtohex and buf_dup_string");
	b = buf_from("\x00\x01\xab\xff", 4);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_PTR_NE(s = buf_dtohex(b), NULL);
	ASSERT_STRING_EQ(s, "0001abff");
	free(s);
	ASSERT_PTR_EQ(buf_dup_string(b), NULL);	/* NUL first */
	buf_free(b);
	b = buf_from("a\0b", 3);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_PTR_EQ(buf_dup_string(b), NULL);
	buf_free(b);
	b = buf_from("abc\0", 4);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_PTR_NE(s = buf_dup_string(b), NULL);
	ASSERT_STRING_EQ(s, "abc");
	free(s);
	ASSERT_INT_EQ(buf_consume_end(b, 1), 0);
	ASSERT_PTR_NE(s = buf_dup_string(b), NULL);
	ASSERT_STRING_EQ(s, "abc");
	free(s);
	ASSERT_INT_EQ(buf_consume(b, 3), 0);
	ASSERT_PTR_NE(s = buf_dup_string(b), NULL);
	ASSERT_STRING_EQ(s, "");
	free(s);
	ASSERT_PTR_NE(s = buf_dtohex(b), NULL);
	ASSERT_STRING_EQ(s, "");
	free(s);
	buf_free(b);
	ASSERT_PTR_EQ(buf_dup_string(NULL), NULL);
	ASSERT_PTR_EQ(buf_dtohex(NULL), NULL);
	ASSERT_PTR_EQ(buf_dtob64_string(NULL, 0), NULL);
	TEST_DONE();
}

void
test_buf_misc(void)
{
	test_b64_vectors();
	test_b64_strict();
	test_b64_wrap();
	test_strings();
}
