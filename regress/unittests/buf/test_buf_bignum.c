/*
 * test_buf_bignum.c: mpints (RFC 4251 section 5) and EC points.
 */
#include "includes.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include "buf.h"
#include "errcode.h"
#include "../test_helper/test_helper.h"
#include "../test_helper/kat.h"
#include "test_buf.h"

/* 0x80 0x01: needs the zero byte in front. */
static const u_char enc_mpint[] = { 0, 0, 0, 3, 0x00, 0x80, 0x01 };

static int
g_bignum2(struct buf *b)
{
	BIGNUM *v = (BIGNUM *)enc_mpint;
	int r = buf_get_bignum2(b, &v);

	if (r != 0) {
		ASSERT_PTR_EQ(v, NULL);
		return r;
	}
	ASSERT_INT_EQ(BN_num_bits(v), 16);
	ASSERT_INT_EQ(BN_get_word(v), 0x8001);
	BN_free(v);
	return r;
}

static int
g_bignum2_bytes(struct buf *b)
{
	const u_char *v = enc_mpint;
	size_t len = 99;
	int r = buf_get_bignum2_bytes_direct(b, &v, &len);

	if (r != 0) {
		ASSERT_PTR_EQ(v, NULL);
		ASSERT_SIZE_T_EQ(len, 0);
		return r;
	}
	ASSERT_SIZE_T_EQ(len, 2);
	ASSERT_MEM_EQ(v, "\x80\x01", 2);
	return r;
}

/* Either getter, no expectations on the value. */
static int
g_bignum2_any(struct buf *b)
{
	BIGNUM *v = (BIGNUM *)enc_mpint;
	int r = buf_get_bignum2(b, &v);

	if (r != 0)
		ASSERT_PTR_EQ(v, NULL);
	BN_free(v);
	return r;
}

static int
g_bignum2_bytes_any(struct buf *b)
{
	const u_char *v = enc_mpint;
	size_t len = 99;
	int r = buf_get_bignum2_bytes_direct(b, &v, &len);

	if (r != 0) {
		ASSERT_PTR_EQ(v, NULL);
		ASSERT_SIZE_T_EQ(len, 0);
	}
	return r;
}

/* Both mpint getters must refuse enc with want. */
static void
refuse_mpint(const char *what, const u_char *enc, size_t len, int want)
{
	check_refused(what, enc, len, g_bignum2_any, want);
	check_refused(what, enc, len, g_bignum2_bytes_any, want);
}

/* A zero-padded mpint reads as its magnitude, consuming all of it. */
static void
accept_padded(const char *what, const u_char *enc, size_t len,
    const char *mag, size_t maglen)
{
	struct buf *b;
	const u_char *p;
	size_t plen;
	BIGNUM *bn;
	u_char out[8];

	ASSERT_PTR_NE(b = buf_from(enc, len), NULL);
	ASSERT_INT_EQ(buf_get_bignum2_bytes_direct(b, &p, &plen), 0);
	ASSERT_SIZE_T_EQ(plen, maglen);
	if (maglen > 0)
		ASSERT_MEM_EQ(p, mag, maglen);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	buf_free(b);
	ASSERT_PTR_NE(b = buf_from(enc, len), NULL);
	ASSERT_INT_EQ(buf_get_bignum2(b, &bn), 0);
	ASSERT_INT_EQ(BN_num_bytes(bn), (int)maglen);
	ASSERT_INT_EQ(BN_bn2bin(bn, out), (int)maglen);
	if (maglen > 0)
		ASSERT_MEM_EQ(out, mag, maglen);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	BN_free(bn);
	buf_free(b);
	(void)what;
}

static void
test_mpint_vectors(void)
{
	struct kat *k;
	struct buf *b, *c;
	BIGNUM *bn, *got;
	const u_char *p, *enc;
	u_char *tmp;
	const char *value, *result;
	size_t len, plen;
	int n = 0;

	TEST_START("mpint RFC 4251 examples");
	k = kat_open("buf-mpint-rfc4251.txt");
	while (kat_next(k)) {
		value = kat_str(k, "value");
		result = kat_str(k, "result");
		enc = kat_hex(k, "mpint", &len);
		bn = NULL;
		ASSERT_INT_NE(BN_hex2bn(&bn, value), 0);
		b = buf_new();
		ASSERT_PTR_NE(b, NULL);
		if (strcmp(result, "negative") == 0) {
			refuse_mpint(value, enc, len, ERR_BIGNUM_IS_NEGATIVE);
			ASSERT_INT_EQ(buf_put_bignum2(b, bn),
			    ERR_BIGNUM_IS_NEGATIVE);
			ASSERT_SIZE_T_EQ(buf_len(b), 0);
		} else {
			ASSERT_STRING_EQ(result, "ok");
			/* Writers produce exactly the example... */
			ASSERT_INT_EQ(buf_put_bignum2(b, bn), 0);
			ASSERT_SIZE_T_EQ(buf_len(b), len);
			ASSERT_MEM_EQ(buf_ptr(b), enc, len);
			ASSERT_INT_EQ(buf_get_bignum2(b, &got), 0);
			ASSERT_INT_EQ(BN_cmp(got, bn), 0);
			BN_free(got);
			ASSERT_SIZE_T_EQ(buf_len(b), 0);
			/* ...from bytes too, with leading zeros stripped. */
			c = buf_from(enc, len);
			ASSERT_PTR_NE(c, NULL);
			ASSERT_INT_EQ(buf_get_bignum2_bytes_direct(c, &p,
			    &plen), 0);
			ASSERT_SIZE_T_EQ(buf_len(c), 0);
			ASSERT_INT_EQ(buf_put_bignum2_bytes(b, p, plen), 0);
			buf_free(c);
			ASSERT_SIZE_T_EQ(buf_len(b), len);
			ASSERT_MEM_EQ(buf_ptr(b), enc, len);
			buf_reset(b);
			tmp = malloc(3 + len - 4);
			ASSERT_PTR_NE(tmp, NULL);
			memcpy(tmp, "\0\0\0", 3);
			memcpy(tmp + 3, enc + 4, len - 4);
			ASSERT_INT_EQ(buf_put_bignum2_bytes(b, tmp,
			    3 + len - 4), 0);
			free(tmp);
			ASSERT_SIZE_T_EQ(buf_len(b), len);
			ASSERT_MEM_EQ(buf_ptr(b), enc, len);
		}
		n++;
		BN_free(bn);
		buf_free(b);
	}
	kat_close(k);
	ASSERT_INT_EQ(n, 5);
	TEST_DONE();
}

static void
test_mpint_refused(void)
{
	u_char enc[4 + BUF_BIGNUM_MAX_BYTES + 1];
	const u_char *p;
	struct buf *b;
	size_t len;

	TEST_START("mpint truncations");
	check_truncations("bignum2", enc_mpint, sizeof(enc_mpint), g_bignum2);
	check_truncations("bignum2_bytes_direct", enc_mpint,
	    sizeof(enc_mpint), g_bignum2_bytes);
	TEST_DONE();

	TEST_START("mpint negative, non-minimal, oversize");
	refuse_mpint("80", (const u_char *)"\0\0\0\1\x80", 5,
	    ERR_BIGNUM_IS_NEGATIVE);
	refuse_mpint("ff00", (const u_char *)"\0\0\0\2\xff\x00", 6,
	    ERR_BIGNUM_IS_NEGATIVE);
	/* Non-minimal zero padding is read (as OpenSSH does). */
	accept_padded("00", (const u_char *)"\0\0\0\1\0", 5, "", 0);
	accept_padded("0001", (const u_char *)"\0\0\0\2\0\1", 6,
	    "\1", 1);
	accept_padded("007f", (const u_char *)"\0\0\0\2\0\x7f", 6,
	    "\x7f", 1);
	accept_padded("000080", (const u_char *)"\0\0\0\3\0\0\x80", 7,
	    "\x80", 1);
	refuse_mpint("len 0xffffffff", (const u_char *)"\xff\xff\xff\xff\1",
	    5, ERR_STRING_TOO_LARGE);
	refuse_mpint("len 0x8000 short", (const u_char *)"\0\0\x80\0\1", 5,
	    ERR_MESSAGE_INCOMPLETE);

	/* 16384 bits with the zero byte in front: the largest allowed. */
	memset(enc, 0xff, sizeof(enc));
	memcpy(enc, "\0\0\x08\x01\0", 5);
	b = buf_from(enc, 4 + BUF_BIGNUM_MAX_BYTES);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_get_bignum2_bytes_direct(b, &p, &len), 0);
	ASSERT_SIZE_T_EQ(len, BUF_BIGNUM_MAX_BITS / 8);
	ASSERT_PTR_EQ(p, enc + 5);
	buf_free(b);
	check_truncations("16384-bit mpint", enc, 4 + BUF_BIGNUM_MAX_BYTES,
	    g_bignum2_any);
	/* 16385 bits (no room for a zero byte): too large. */
	memcpy(enc, "\0\0\x08\x01\x01", 5);
	refuse_mpint("16385 bits", enc, 4 + BUF_BIGNUM_MAX_BYTES,
	    ERR_BIGNUM_TOO_LARGE);
	/* One byte more than the cap. */
	memcpy(enc, "\0\0\x08\x02\0", 5);
	refuse_mpint("2050 bytes", enc, sizeof(enc), ERR_BIGNUM_TOO_LARGE);
	TEST_DONE();
}

static void
test_mpint_writers(void)
{
	u_char big[BUF_BIGNUM_MAX_BYTES + 1];
	struct buf *b;
	BIGNUM *bn = NULL;

	TEST_START("mpint writers");
	b = buf_new();
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_put_bignum2_bytes(b, NULL, 0), 0);
	ASSERT_INT_EQ(buf_put_bignum2_bytes(b, "\0", 1), 0);
	ASSERT_INT_EQ(buf_put_bignum2_bytes(b, "\x7f", 1), 0);
	ASSERT_INT_EQ(buf_put_bignum2_bytes(b, "\0\xff", 2), 0);
	ASSERT_INT_EQ(buf_put_bignum2_bytes(b, NULL, 1),
	    ERR_INVALID_ARGUMENT);
	ASSERT_SIZE_T_EQ(buf_len(b), 4 + 4 + 5 + 6);
	ASSERT_MEM_EQ(buf_ptr(b), "\0\0\0\0\0\0\0\0\0\0\0\1\x7f"
	    "\0\0\0\2\0\xff", 19);
	buf_reset(b);
	/* 16384 bits fit, 16385 do not. */
	memset(big, 0xff, sizeof(big));
	ASSERT_INT_EQ(buf_put_bignum2_bytes(b, big,
	    BUF_BIGNUM_MAX_BITS / 8), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 4 + BUF_BIGNUM_MAX_BYTES);
	ASSERT_INT_EQ(buf_put_bignum2_bytes(b, big,
	    BUF_BIGNUM_MAX_BITS / 8 + 1), ERR_BIGNUM_TOO_LARGE);
	ASSERT_PTR_NE(bn = BN_bin2bn(big, BUF_BIGNUM_MAX_BITS / 8 + 1, NULL),
	    NULL);
	ASSERT_INT_EQ(buf_put_bignum2(b, bn), ERR_BIGNUM_TOO_LARGE);
	ASSERT_SIZE_T_EQ(buf_len(b), 4 + BUF_BIGNUM_MAX_BYTES);
	BN_free(bn);
	/* A read-only buffer refuses. */
	buf_free(b);
	b = buf_from("", 0);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_put_bignum2_bytes(b, "\1", 1),
	    ERR_BUFFER_READ_ONLY);
	buf_free(b);
	TEST_DONE();
}

/* ------------------------------------------------------- EC points */

static EC_GROUP *test_group;
static u_char enc_ec[4 + 65];

static int
g_ec(struct buf *b)
{
	EC_POINT *v = EC_POINT_dup(EC_GROUP_get0_generator(test_group),
	    test_group);
	int r;

	ASSERT_PTR_NE(v, NULL);
	r = buf_get_ec(b, v, test_group);
	if (r != 0)	/* cleared: the point at infinity */
		ASSERT_INT_EQ(EC_POINT_is_at_infinity(test_group, v), 1);
	else {
		ASSERT_INT_EQ(EC_POINT_cmp(test_group, v,
		    EC_GROUP_get0_generator(test_group), NULL), 0);
	}
	EC_POINT_free(v);
	return r;
}

static void
test_ec(void)
{
	EC_GROUP *g384;
	EC_POINT *inf;
	struct buf *b;
	u_char bad[4 + 65], big[4 + BUF_ECPOINT_MAX_BYTES + 1];

	TEST_START("EC point round trip and truncations");
	test_group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	ASSERT_PTR_NE(test_group, NULL);
	b = buf_new();
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_put_ec(b, EC_GROUP_get0_generator(test_group),
	    test_group), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), sizeof(enc_ec));
	ASSERT_MEM_EQ(buf_ptr(b), "\0\0\0\x41\x04", 5);
	memcpy(enc_ec, buf_ptr(b), sizeof(enc_ec));
	buf_free(b);
	check_truncations("ec", enc_ec, sizeof(enc_ec), g_ec);
	TEST_DONE();

	TEST_START("EC point refusals");
	/* Compressed form. */
	memcpy(bad, enc_ec, sizeof(bad));
	bad[4] = 0x02;
	check_refused("compressed", bad, sizeof(bad), g_ec,
	    ERR_INVALID_FORMAT);
	check_refused("empty", "\0\0\0\0", 4, g_ec, ERR_INVALID_FORMAT);
	/* Not on the curve. */
	memcpy(bad, enc_ec, sizeof(bad));
	bad[sizeof(bad) - 1] ^= 1;
	check_refused("off the curve", bad, sizeof(bad), g_ec,
	    ERR_KEY_INVALID_EC_VALUE);
	/* Wrong length for the curve. */
	memcpy(bad, enc_ec, sizeof(bad));
	bad[3] = 0x40;
	check_refused("short point", bad, sizeof(bad) - 1, g_ec,
	    ERR_KEY_INVALID_EC_VALUE);
	/* Longer than any curve's point. */
	memset(big, 0, sizeof(big));
	big[2] = (BUF_ECPOINT_MAX_BYTES + 1) >> 8;
	big[3] = (BUF_ECPOINT_MAX_BYTES + 1) & 0xff;
	big[4] = 0x04;
	check_refused("oversize", big, sizeof(big), g_ec,
	    ERR_ECPOINT_TOO_LARGE);
	/* A P-256 point is not a P-384 point. */
	g384 = EC_GROUP_new_by_curve_name(NID_secp384r1);
	ASSERT_PTR_NE(g384, NULL);
	b = buf_from(enc_ec, sizeof(enc_ec));
	ASSERT_PTR_NE(b, NULL);
	inf = EC_POINT_new(g384);
	ASSERT_PTR_NE(inf, NULL);
	ASSERT_INT_EQ(buf_get_ec(b, inf, g384), ERR_KEY_INVALID_EC_VALUE);
	ASSERT_SIZE_T_EQ(buf_len(b), sizeof(enc_ec));
	EC_POINT_free(inf);
	EC_GROUP_free(g384);
	buf_free(b);
	/* The point at infinity is not written. */
	b = buf_new();
	ASSERT_PTR_NE(b, NULL);
	inf = EC_POINT_new(test_group);
	ASSERT_PTR_NE(inf, NULL);
	ASSERT_INT_EQ(EC_POINT_set_to_infinity(test_group, inf), 1);
	ASSERT_INT_EQ(buf_put_ec(b, inf, test_group),
	    ERR_KEY_INVALID_EC_VALUE);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	EC_POINT_free(inf);
	buf_free(b);
	EC_GROUP_free(test_group);
	test_group = NULL;
	TEST_DONE();
}

void
test_buf_bignum(void)
{
	test_mpint_vectors();
	test_mpint_refused();
	test_mpint_writers();
	test_ec();
}
