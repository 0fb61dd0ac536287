/*
 * test_key_malformed.c: hand-made bad keys and signatures, each refused
 * with the right error; key_from_evp on keys we must not wrap.
 */
#include "includes.h"

#include <openssl/bn.h>
#include <openssl/evp.h>

#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "../test_helper/test_helper.h"
#include "test_key.h"

static const u_char msg[] = "message";
#define MLEN	(sizeof(msg) - 1)

/* key_from_blob on the contents of b (which is freed). */
static int
blob_result(struct buf *b)
{
	struct key *k = NULL;
	u_char *copy = exact_copy(buf_ptr(b), buf_len(b));
	int r;

	r = key_from_blob(copy, buf_len(b), &k);
	if (r == 0)
		key_free(k);
	else
		ASSERT_PTR_EQ(k, NULL);
	free(copy);
	buf_free(b);
	return r;
}

/* key_private_deserialize on b (which is freed). */
static int
priv_result(struct buf *b)
{
	struct key *k = NULL;
	int r;

	r = key_private_deserialize(b, &k);
	if (r == 0)
		key_free(k);
	else
		ASSERT_PTR_EQ(k, NULL);
	buf_free(b);
	return r;
}

/* key_verify of signature blob b (freed) with k over msg. */
static int
verify_result(const struct key *k, struct buf *b, const char *alg)
{
	u_char *copy = exact_copy(buf_ptr(b), buf_len(b));
	int r;

	r = key_verify(k, copy, buf_len(b), msg, MLEN, alg);
	free(copy);
	buf_free(b);
	return r;
}

/* The SSH strings of k's public blob, or of its private part. */
static size_t
fields_of(const struct key *k, int private, struct buf **f, size_t max)
{
	struct buf *b;
	size_t n = 0;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	if (private)
		ASSERT_INT_EQ(key_private_serialize(k, b), 0);
	else
		ASSERT_INT_EQ(key_putb(k, b), 0);
	while (buf_len(b) > 0) {
		ASSERT_SIZE_T_LT(n, max);
		ASSERT_INT_EQ(buf_froms(b, &f[n]), 0);
		n++;
	}
	buf_free(b);
	return n;
}

static void
free_fields(struct buf **f, size_t n)
{
	while (n > 0)
		buf_free(f[--n]);
}

static struct buf *
join_fields(struct buf **f, size_t n)
{
	struct buf *b;
	size_t i;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	for (i = 0; i < n; i++)
		ASSERT_INT_EQ(buf_put_stringb(b, f[i]), 0);
	return b;
}

/* A signature blob: string alg, string raw. */
static struct buf *
sig_blob(const char *alg, const struct buf *raw)
{
	struct buf *b;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_cstring(b, alg), 0);
	ASSERT_INT_EQ(buf_put_stringb(b, raw), 0);
	return b;
}

/* The raw signature inside a signature blob from k. */
static struct buf *
raw_sig(const struct key *k, const char *alg)
{
	struct buf *b, *raw = NULL;
	u_char *sig;
	size_t slen;

	sig = sign_ok(k, msg, MLEN, alg, &slen);
	ASSERT_PTR_NE(b = buf_from(sig, slen), NULL);
	ASSERT_INT_EQ(buf_get_cstring(b, NULL, NULL), 0);
	ASSERT_INT_EQ(buf_froms(b, &raw), 0);
	buf_free(b);
	free(sig);
	return raw;
}

/* --------------------------------------------------------- generic */

static void
test_names_in_blobs(void)
{
	struct buf *b;

	TEST_START("blob type names");
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_cstring(b, "ssh-foo"), 0);
	ASSERT_INT_EQ(buf_put_string(b, "x", 1), 0);
	ASSERT_INT_EQ(blob_result(b), ERR_KEY_TYPE_UNKNOWN);
	/* A signature algorithm is not a key type. */
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_cstring(b, "rsa-sha2-256"), 0);
	ASSERT_INT_EQ(blob_result(b), ERR_KEY_TYPE_UNKNOWN);
	/* Interior NUL in the name. */
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_string(b, "ssh-rsa\0x", 9), 0);
	ASSERT_INT_EQ(blob_result(b), ERR_INVALID_FORMAT);
	/* A huge length. */
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u32(b, 0xffffffff), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, "ssh-ed25519"), 0);
	ASSERT_INT_NE(blob_result(b), 0);
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(blob_result(b), ERR_MESSAGE_INCOMPLETE);
	/* Same for private parts. */
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_cstring(b, "ssh-dss"), 0);
	ASSERT_INT_EQ(priv_result(b), ERR_KEY_TYPE_UNKNOWN);
	TEST_DONE();
}

/* --------------------------------------------------------- Ed25519 */

static void
test_ed25519_malformed(void)
{
	struct key *a = NULL, *o = NULL;
	struct buf *fa[4], *fo[4], *b, *raw, *seedpk;
	size_t n, i;
	u_char pk[40];

	TEST_START("ed25519 malformed");
	ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &a), 0);
	ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &o), 0);
	/* Public keys of 31 and 33 bytes. */
	memset(pk, 0x11, sizeof(pk));
	for (i = 31; i <= 33; i += 2) {
		ASSERT_PTR_NE(b = buf_new(), NULL);
		ASSERT_INT_EQ(buf_put_cstring(b, "ssh-ed25519"), 0);
		ASSERT_INT_EQ(buf_put_string(b, pk, i), 0);
		ASSERT_INT_EQ(blob_result(b), ERR_INVALID_FORMAT);
	}
	/* Signatures of 63 and 65 bytes. */
	raw = raw_sig(a, NULL);
	ASSERT_INT_EQ(verify_result(a, sig_blob("ssh-ed25519", raw), NULL), 0);
	ASSERT_INT_EQ(buf_put_u8(raw, 0), 0);
	ASSERT_INT_EQ(verify_result(a, sig_blob("ssh-ed25519", raw), NULL),
	    ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(buf_consume_end(raw, 2), 0);
	ASSERT_INT_EQ(verify_result(a, sig_blob("ssh-ed25519", raw), NULL),
	    ERR_INVALID_FORMAT);
	buf_free(raw);
	/*
	 * sk = seed(a) || pk(o) with pk = pk(o): the copies agree, but the
	 * seed does not give that public key.
	 */
	n = fields_of(a, 1, fa, 4);
	ASSERT_SIZE_T_EQ(n, 3);
	ASSERT_SIZE_T_EQ(fields_of(o, 1, fo, 4), 3);
	ASSERT_PTR_NE(seedpk = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put(seedpk, buf_ptr(fa[2]), 32), 0);
	ASSERT_INT_EQ(buf_putb(seedpk, fo[1]), 0);
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_stringb(b, fa[0]), 0);
	ASSERT_INT_EQ(buf_put_stringb(b, fo[1]), 0);
	ASSERT_INT_EQ(buf_put_stringb(b, seedpk), 0);
	ASSERT_INT_EQ(priv_result(b), ERR_INVALID_FORMAT);
	/* The right pair in the same layout is accepted. */
	ASSERT_INT_EQ(priv_result(join_fields(fa, 3)), 0);
	/* sk of 63 bytes. */
	ASSERT_INT_EQ(buf_consume_end(seedpk, 1), 0);
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_stringb(b, fa[0]), 0);
	ASSERT_INT_EQ(buf_put_stringb(b, fa[1]), 0);
	ASSERT_INT_EQ(buf_put_stringb(b, seedpk), 0);
	ASSERT_INT_EQ(priv_result(b), ERR_INVALID_FORMAT);
	buf_free(seedpk);
	free_fields(fa, 3);
	free_fields(fo, 3);
	key_free(a);
	key_free(o);
	TEST_DONE();
}

/* --------------------------------------------------------- ECDSA */

static void
test_ecdsa_points(const struct key *k, const struct key *k384)
{
	struct buf *f[4], *f384[4], *q;
	u_char *p;
	size_t n;

	/* name, curve, Q */
	n = fields_of(k, 0, f, 4);
	ASSERT_SIZE_T_EQ(n, 3);
	ASSERT_INT_EQ(blob_result(join_fields(f, 3)), 0);
	/* Q moved off the curve (last byte of y). */
	ASSERT_PTR_NE(q = buf_from_copy(buf_ptr(f[2]), buf_len(f[2])), NULL);
	ASSERT_PTR_NE(p = buf_mutable_ptr(q), NULL);
	p[buf_len(q) - 1] ^= 1;
	buf_free(f[2]);
	f[2] = q;
	ASSERT_INT_EQ(blob_result(join_fields(f, 3)),
	    ERR_KEY_INVALID_EC_VALUE);
	/* The compressed form is not used in SSH. */
	p[0] = 0x02;
	ASSERT_INT_EQ(buf_consume_end(q, 32), 0);
	ASSERT_INT_EQ(blob_result(join_fields(f, 3)), ERR_INVALID_FORMAT);
	/* The point at infinity (a lone zero byte). */
	buf_reset(q);
	ASSERT_INT_EQ(buf_put_u8(q, 0), 0);
	ASSERT_INT_EQ(blob_result(join_fields(f, 3)), ERR_INVALID_FORMAT);
	/* A P-384 point under the P-256 name. */
	ASSERT_SIZE_T_EQ(fields_of(k384, 0, f384, 4), 3);
	buf_free(f[2]);
	f[2] = f384[2];
	f384[2] = NULL;
	ASSERT_INT_NE(blob_result(join_fields(f, 3)), 0);
	/* The curve name must agree with the key type name. */
	buf_free(f[1]);
	f[1] = f384[1];
	f384[1] = NULL;
	ASSERT_INT_EQ(blob_result(join_fields(f, 3)), ERR_EC_CURVE_MISMATCH);
	free_fields(f, 3);
	free_fields(f384, 3);
}

static void
test_ecdsa_scalar(const struct key *k)
{
	struct buf *f[5];
	BIGNUM *d = NULL;
	size_t n;

	/* name, curve, Q, d */
	n = fields_of(k, 1, f, 5);
	ASSERT_SIZE_T_EQ(n, 4);
	ASSERT_INT_EQ(priv_result(join_fields(f, 4)), 0);
	/* d = 0 */
	buf_reset(f[3]);
	ASSERT_INT_EQ(priv_result(join_fields(f, 4)), ERR_KEY_INVALID_EC_VALUE);
	/* d = the P-256 group order */
	ASSERT_INT_NE(BN_hex2bn(&d, "FFFFFFFF00000000FFFFFFFFFFFFFFFF"
	    "BCE6FAADA7179E84F3B9CAC2FC632551"), 0);
	buf_reset(f[3]);
	ASSERT_INT_EQ(buf_put_bignum2(f[3], d), 0);
	ASSERT_INT_EQ(buf_get_u32(f[3], NULL), 0);	/* as a bare field */
	ASSERT_INT_EQ(priv_result(join_fields(f, 4)), ERR_KEY_INVALID_EC_VALUE);
	/* d = 1: in range, but 1*G is not Q */
	ASSERT_INT_EQ(BN_set_word(d, 1), 1);
	buf_reset(f[3]);
	ASSERT_INT_EQ(buf_put_bignum2(f[3], d), 0);
	ASSERT_INT_EQ(buf_get_u32(f[3], NULL), 0);
	ASSERT_INT_EQ(priv_result(join_fields(f, 4)), ERR_KEY_INVALID_EC_VALUE);
	BN_free(d);
	free_fields(f, 4);
}

static void
test_ecdsa_sigs(const struct key *k)
{
	struct buf *raw, *bad;
	BIGNUM *big = NULL;
	const char *alg = "ecdsa-sha2-nistp256";

	raw = raw_sig(k, NULL);
	ASSERT_INT_EQ(verify_result(k, sig_blob(alg, raw), NULL), 0);
	/* Trailing bytes inside the (r, s) string. */
	ASSERT_PTR_NE(bad = buf_from_copy(buf_ptr(raw), buf_len(raw)), NULL);
	ASSERT_INT_EQ(buf_put_u8(bad, 0), 0);
	ASSERT_INT_EQ(verify_result(k, sig_blob(alg, bad), NULL),
	    ERR_UNEXPECTED_TRAILING_DATA);
	buf_free(bad);
	/* r = 0, s = 0 */
	ASSERT_PTR_NE(bad = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_bignum2_bytes(bad, NULL, 0), 0);
	ASSERT_INT_EQ(buf_put_bignum2_bytes(bad, NULL, 0), 0);
	ASSERT_INT_EQ(verify_result(k, sig_blob(alg, bad), NULL),
	    ERR_SIGNATURE_INVALID);
	buf_free(bad);
	/* r of 257 bits: longer than the order. */
	ASSERT_PTR_NE(big = BN_new(), NULL);
	ASSERT_INT_EQ(BN_set_bit(big, 256), 1);
	ASSERT_PTR_NE(bad = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_bignum2(bad, big), 0);
	ASSERT_INT_EQ(buf_put_bignum2(bad, big), 0);
	ASSERT_INT_EQ(verify_result(k, sig_blob(alg, bad), NULL),
	    ERR_INVALID_FORMAT);
	buf_free(bad);
	/* r and s of 256 bits but not below the order. */
	ASSERT_INT_EQ(BN_clear_bit(big, 256), 1);
	ASSERT_INT_EQ(BN_set_bit(big, 255), 1);
	ASSERT_INT_EQ(BN_sub_word(big, 1), 1);
	ASSERT_INT_EQ(BN_lshift1(big, big), 1);
	ASSERT_INT_EQ(BN_add_word(big, 1), 1);	/* 2^256 - 1 */
	ASSERT_PTR_NE(bad = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_bignum2(bad, big), 0);
	ASSERT_INT_EQ(buf_put_bignum2(bad, big), 0);
	ASSERT_INT_EQ(verify_result(k, sig_blob(alg, bad), NULL),
	    ERR_SIGNATURE_INVALID);
	buf_free(bad);
	BN_free(big);
	buf_free(raw);
}

static void
test_ecdsa_malformed(void)
{
	struct key *k = NULL, *k384 = NULL;

	TEST_START("ecdsa malformed");
	ASSERT_INT_EQ(key_generate(KEY_ECDSA, 256, &k), 0);
	ASSERT_INT_EQ(key_generate(KEY_ECDSA, 384, &k384), 0);
	test_ecdsa_points(k, k384);
	test_ecdsa_scalar(k);
	test_ecdsa_sigs(k);
	key_free(k);
	key_free(k384);
	TEST_DONE();
}

/* --------------------------------------------------------- RSA */

/* An ssh-rsa blob with e and n. */
static struct buf *
rsa_blob(const BIGNUM *e, const BIGNUM *n)
{
	struct buf *b;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_cstring(b, "ssh-rsa"), 0);
	ASSERT_INT_EQ(buf_put_bignum2(b, e), 0);
	ASSERT_INT_EQ(buf_put_bignum2(b, n), 0);
	return b;
}

static void
test_rsa_public(void)
{
	BIGNUM *e = NULL, *n = NULL;
	struct buf *b;
	u_char big[2049];

	ASSERT_PTR_NE(e = BN_new(), NULL);
	ASSERT_PTR_NE(n = BN_new(), NULL);
	ASSERT_INT_EQ(BN_set_word(e, 65537), 1);
	/* An odd modulus of 1023 bits is too small, of 1024 bits enough. */
	ASSERT_INT_EQ(BN_set_bit(n, 1022), 1);
	ASSERT_INT_EQ(BN_set_bit(n, 0), 1);
	ASSERT_INT_EQ(blob_result(rsa_blob(e, n)), ERR_KEY_LENGTH);
	ASSERT_INT_EQ(BN_set_bit(n, 1023), 1);
	ASSERT_INT_EQ(blob_result(rsa_blob(e, n)), 0);
	/* e even, e = 1, n even. */
	ASSERT_INT_EQ(BN_set_word(e, 65536), 1);
	ASSERT_INT_EQ(blob_result(rsa_blob(e, n)), ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(BN_set_word(e, 1), 1);
	ASSERT_INT_EQ(blob_result(rsa_blob(e, n)), ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(BN_set_word(e, 3), 1);
	ASSERT_INT_EQ(blob_result(rsa_blob(e, n)), 0);
	ASSERT_INT_EQ(BN_clear_bit(n, 0), 1);
	ASSERT_INT_EQ(blob_result(rsa_blob(e, n)), ERR_INVALID_FORMAT);
	/* A modulus past the limit. */
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_cstring(b, "ssh-rsa"), 0);
	ASSERT_INT_EQ(buf_put_bignum2(b, e), 0);
	memset(big, 0x7f, sizeof(big));
	ASSERT_INT_EQ(buf_put_string(b, big, sizeof(big)), 0);
	ASSERT_INT_NE(blob_result(b), 0);
	BN_free(e);
	BN_free(n);
}

static void
test_rsa_sig_lengths(const struct key *k)
{
	struct buf *raw = NULL, *b;
	u_char *sig, m[8];
	size_t slen;
	uint8_t first;
	uint32_t i;

	/* Find a signature that starts with a zero byte. */
	for (i = 0; i < 4096; i++) {
		memcpy(m, &i, sizeof(i));
		sig = sign_ok(k, m, sizeof(i), "rsa-sha2-256", &slen);
		ASSERT_PTR_NE(b = buf_from(sig, slen), NULL);
		ASSERT_INT_EQ(buf_get_cstring(b, NULL, NULL), 0);
		ASSERT_INT_EQ(buf_froms(b, &raw), 0);
		buf_free(b);
		free(sig);
		ASSERT_INT_EQ(buf_peek_u8(raw, 0, &first), 0);
		if (first == 0)
			break;
		buf_free(raw);
		raw = NULL;
	}
	ASSERT_PTR_NE(raw, NULL);
	/* Without its leading zero it is still good... */
	ASSERT_INT_EQ(buf_consume(raw, 1), 0);
	b = sig_blob("rsa-sha2-256", raw);
	ASSERT_INT_EQ(key_verify(k, buf_ptr(b), buf_len(b), m, sizeof(i),
	    NULL), 0);
	buf_free(b);
	/* ...but never longer than the modulus. */
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u16(b, 0), 0);
	ASSERT_INT_EQ(buf_putb(b, raw), 0);
	buf_free(raw);
	raw = b;
	b = sig_blob("rsa-sha2-256", raw);
	ASSERT_INT_EQ(key_verify(k, buf_ptr(b), buf_len(b), m, sizeof(i),
	    NULL), ERR_INVALID_FORMAT);
	buf_free(b);
	/* Empty. */
	buf_reset(raw);
	ASSERT_INT_EQ(verify_result(k, sig_blob("rsa-sha2-256", raw), NULL),
	    ERR_INVALID_FORMAT);
	buf_free(raw);
}

static void
test_rsa_malformed(void)
{
	struct key *k = NULL;
	struct buf *b;

	TEST_START("rsa malformed");
	test_rsa_public();
	ASSERT_INT_EQ(key_generate(KEY_RSA, 1024, &k), 0);
	test_rsa_sig_lengths(k);
	/* An unknown signature algorithm. */
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u8(b, 1), 0);
	ASSERT_INT_EQ(verify_result(k, sig_blob("rsa-sha2-384", b), NULL),
	    ERR_SIGN_ALG_UNSUPPORTED);
	buf_free(b);
	key_free(k);
	TEST_DONE();
}

void
test_key_malformed(void)
{
	test_names_in_blobs();
	test_ed25519_malformed();
	test_ecdsa_malformed();
	test_rsa_malformed();
}

/* --------------------------------------------------------- EVP */

void
test_key_evp(void)
{
	struct key *k = NULL, *w = NULL, *pub = NULL;
	EVP_PKEY *pkey;
	const char *types[] = { "ed25519", "ecdsa", "rsa" };
	size_t i;

	TEST_START("key_from_evp");
	for (i = 0; i < 3; i++) {
		ASSERT_INT_EQ(key_generate(key_type_from_shortname(types[i]),
		    i == 2 ? 1024 : 0, &k), 0);
		ASSERT_INT_EQ(key_from_evp(key_evp(k), &w), 0);
		ASSERT_INT_EQ(key_is_private(w), 1);
		ASSERT_INT_EQ(key_equal_public(k, w), 1);
		ASSERT_INT_EQ(key_ecdsa_nid(w), key_ecdsa_nid(k));
		key_free(w);
		w = NULL;
		/* Public only. */
		ASSERT_INT_EQ(key_demote(k, &pub), 0);
		ASSERT_INT_EQ(key_from_evp(key_evp(pub), &w), 0);
		ASSERT_INT_EQ(key_is_private(w), 0);
		ASSERT_INT_EQ(key_equal_public(k, w), 1);
		key_free(w);
		key_free(pub);
		key_free(k);
		w = pub = k = NULL;
	}
	/* Types, curves and sizes we do not use. */
	ASSERT_PTR_NE(pkey = EVP_PKEY_Q_keygen(NULL, NULL, "X25519"), NULL);
	ASSERT_INT_EQ(key_from_evp(pkey, &w), ERR_KEY_TYPE_UNKNOWN);
	EVP_PKEY_free(pkey);
	ASSERT_PTR_NE(pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC",
	    "secp256k1"), NULL);
	ASSERT_INT_EQ(key_from_evp(pkey, &w), ERR_EC_CURVE_INVALID);
	EVP_PKEY_free(pkey);
	ASSERT_PTR_NE(pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
	    (size_t)512), NULL);
	ASSERT_INT_EQ(key_from_evp(pkey, &w), ERR_KEY_LENGTH);
	EVP_PKEY_free(pkey);
	ASSERT_PTR_EQ(w, NULL);
	ASSERT_INT_EQ(key_from_evp(NULL, &w), ERR_INVALID_ARGUMENT);
	TEST_DONE();
}
