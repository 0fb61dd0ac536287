/*
 * buf_fuzz.c: libFuzzer target for the buffer getters and decoders.
 *
 * The input is a script: each step's first byte picks a getter, which
 * then reads from the rest of the input.  Whatever a getter accepts is
 * written back with the matching writer and must re-encode to exactly the
 * bytes that were consumed (our encodings are canonical), and read back to
 * the same value.  A getter that fails must consume nothing.
 */
#include "includes.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include "buf.h"
#include "errcode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) { \
	fprintf(stderr, "%s:%d: check failed: %s\\n", __FILE__, __LINE__, \
	    #x); \
	abort(); \
	} } while (0)

static EC_GROUP *group;

/* The bytes in b before the getter ran, consumed now. */
static void
check_reencoding(const u_char *before, size_t consumed, const struct buf *out)
{
	CHECK(buf_len(out) == consumed);
	CHECK(consumed == 0 || memcmp(buf_ptr(out), before, consumed) == 0);
}

static void
step_ints(struct buf *b, u_char op, struct buf *out)
{
	uint64_t v64;
	uint32_t v32, p32;
	uint16_t v16;
	uint8_t v8;
	size_t before = buf_len(b);
	int have_peek;

	have_peek = buf_peek_u32(b, 0, &p32) == 0;
	switch (op % 4) {
	case 0:
		if (buf_get_u8(b, &v8) == 0)
			CHECK(buf_put_u8(out, v8) == 0);
		else
			CHECK(v8 == 0);
		break;
	case 1:
		if (buf_get_u16(b, &v16) == 0)
			CHECK(buf_put_u16(out, v16) == 0);
		else
			CHECK(v16 == 0);
		break;
	case 2:
		if (buf_get_u32(b, &v32) == 0) {
			CHECK(have_peek && v32 == p32);
			CHECK(buf_put_u32(out, v32) == 0);
		} else
			CHECK(v32 == 0 && !have_peek);
		break;
	default:
		if (buf_get_u64(b, &v64) == 0)
			CHECK(buf_put_u64(out, v64) == 0);
		else
			CHECK(v64 == 0);
		break;
	}
	CHECK(buf_len(b) + buf_len(out) == before);
}

static void
step_strings(struct buf *b, u_char op, struct buf *out)
{
	const u_char *p, *pp;
	u_char *s = NULL;
	char *cs = NULL;
	struct buf *sub = NULL;
	size_t len = 0, plen = 0, before = buf_len(b);
	int r, rp;

	rp = buf_peek_string_direct(b, &pp, &plen);
	switch (op % 4) {
	case 0:
		r = buf_get_string(b, &s, &len);
		if (r == 0) {
			CHECK(s[len] == '\0');
			CHECK(buf_put_string(out, s, len) == 0);
		}
		free(s);
		break;
	case 1:
		r = buf_get_cstring(b, &cs, &len);
		if (r == 0) {
			CHECK(strlen(cs) == len);
			/* A dropped final NUL is the one difference allowed. */
			CHECK(plen == len || (plen == len + 1 &&
			    pp[len] == '\0'));
			CHECK(buf_put_string(out, pp, plen) == 0);
		} else
			CHECK(cs == NULL);
		free(cs);
		break;
	case 2:
		r = buf_get_string_direct(b, &p, &len);
		if (r == 0) {
			CHECK(p == pp && len == plen);
			CHECK(buf_put_string(out, p, len) == 0);
		} else
			CHECK(p == NULL && len == 0);
		break;
	default:
		r = buf_froms(b, &sub);
		if (r == 0) {
			CHECK(buf_put_stringb(out, sub) == 0);
			buf_free(sub);
		} else
			CHECK(sub == NULL);
		break;
	}
	/* Every string getter agrees with the peek. */
	CHECK((r == 0) == (rp == 0) || r == ERR_INVALID_FORMAT);
	if (r != 0)
		CHECK(buf_len(b) == before);
}

static void
step_bignum(struct buf *b, const u_char *start, u_char op, struct buf *out)
{
	const u_char *p;
	BIGNUM *bn = NULL, *bn2 = NULL;
	size_t len, before = buf_len(b);
	int r;

	if (op % 2 == 0) {
		r = buf_get_bignum2(b, &bn);
		if (r == 0) {
			CHECK(BN_num_bits(bn) <= BUF_BIGNUM_MAX_BITS);
			CHECK(buf_put_bignum2(out, bn) == 0);
		} else
			CHECK(bn == NULL);
	} else {
		r = buf_get_bignum2_bytes_direct(b, &p, &len);
		if (r == 0) {
			CHECK(len == 0 || p[0] != 0);
			CHECK(buf_put_bignum2_bytes(out, p, len) == 0);
		} else
			CHECK(p == NULL && len == 0);
	}
	if (r != 0) {
		CHECK(buf_len(b) == before);
		return;
	}
	/*
	 * Zero-padded input is accepted, so the re-encoding is canonical
	 * and never longer than what was read...
	 */
	CHECK(buf_len(out) <= before - buf_len(b));
	(void)start;
	/* ...and it reads back to the same value. */
	CHECK(buf_get_bignum2(out, &bn2) == 0);
	CHECK(buf_len(out) == 0);
	if (bn != NULL)
		CHECK(BN_cmp(bn, bn2) == 0);
	BN_free(bn);
	BN_free(bn2);
}

static void
step_ec(struct buf *b, const u_char *start, struct buf *out)
{
	EC_POINT *pt, *pt2;
	size_t before = buf_len(b);
	int r;

	if (group == NULL)
		CHECK((group = EC_GROUP_new_by_curve_name(
		    NID_X9_62_prime256v1)) != NULL);
	CHECK((pt = EC_POINT_new(group)) != NULL);
	CHECK((pt2 = EC_POINT_new(group)) != NULL);
	r = buf_get_ec(b, pt, group);
	if (r != 0) {
		CHECK(buf_len(b) == before);
		CHECK(EC_POINT_is_at_infinity(group, pt));
	} else {
		CHECK(buf_put_ec(out, pt, group) == 0);
		check_reencoding(start, before - buf_len(b), out);
		CHECK(buf_get_ec(out, pt2, group) == 0);
		CHECK(EC_POINT_cmp(group, pt, pt2, NULL) == 0);
	}
	EC_POINT_free(pt);
	EC_POINT_free(pt2);
}

/* The rest of b as base64 text: decode, re-encode, compare. */
static void
step_b64(struct buf *b)
{
	struct buf *dec = NULL, *enc = NULL, *text = NULL;
	const u_char *t;
	char *str = NULL;
	size_t i, j, n;

	CHECK((text = buf_from_copy(buf_ptr(b), buf_len(b))) != NULL);
	CHECK(buf_put_u8(text, 0) == 0);
	CHECK((dec = buf_new()) != NULL);
	if (buf_b64tod(dec, (const char *)buf_ptr(text)) == 0) {
		/* Strict: the text minus whitespace is the encoding. */
		CHECK((str = buf_dtob64_string(dec, 0)) != NULL);
		t = buf_ptr(text);
		n = strlen((const char *)t);
		for (i = j = 0; i < n; i++) {
			if (strchr(" \t\r\n\v\f", t[i]) != NULL)
				continue;
			CHECK(str[j] == (char)t[i]);
			j++;
		}
		CHECK(str[j] == '\0');
		/* The wrapped form decodes to the same bytes. */
		CHECK((enc = buf_new()) != NULL);
		CHECK(buf_dtob64(dec, enc, 1) == 0);
		CHECK(buf_put_u8(enc, 0) == 0);
		buf_reset(text);
		CHECK(buf_b64tod(text, (const char *)buf_ptr(enc)) == 0);
		CHECK(buf_equals(text, dec));
	} else
		CHECK(buf_len(dec) == 0);
	free(str);
	buf_free(enc);
	buf_free(dec);
	buf_free(text);
	CHECK(buf_consume(b, buf_len(b)) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf *b, *out;
	const u_char *start;
	uint8_t op;
	size_t before, off;
	char *s;

	if ((b = buf_from(data, size)) == NULL)
		return 0;
	CHECK((out = buf_new()) != NULL);
	while (buf_get_u8(b, &op) == 0) {
		/* b views data, so what a step consumes starts here. */
		before = buf_len(b);
		start = data + (size - before);
		buf_reset(out);
		switch (op >> 4) {
		case 0: case 1: case 2:
			step_ints(b, op, out);
			check_reencoding(start, before - buf_len(b), out);
			break;
		case 3: case 4: case 5: case 6:
			step_strings(b, op, out);
			check_reencoding(start, before - buf_len(b), out);
			break;
		case 7: case 8: case 9:
			step_bignum(b, start, op, out);
			break;
		case 10:
			step_ec(b, start, out);
			break;
		case 11:
			step_b64(b);
			break;
		case 12:
			/* Search for the next two bytes further on. */
			if (before >= 2 &&
			    buf_find(b, 2, start, 2, &off) == 0)
				CHECK(off >= 2 && off <= before - 2 &&
				    memcmp(start, start + off, 2) == 0);
			break;
		default:
			/* Text conversions of what is left. */
			free(buf_dtohex(b));
			s = buf_dup_string(b);
			if (s != NULL)
				CHECK(strlen(s) + 1 >= buf_len(b));
			free(s);
			CHECK(buf_consume(b, MINIMUM(buf_len(b), op & 0x0f))
			    == 0);
			break;
		}
	}
	buf_free(out);
	buf_free(b);
	return 0;
}
