/*
 * key-ecdsa.c: ecdsa-sha2-nistp256/384/521 keys (RFC 5656) over OpenSSL 3.
 *
 *   public fields:  string curve identifier ("nistp256"), string Q
 *   private fields: the public fields, then mpint d
 *   signature:      string (mpint r, mpint s)      (RFC 5656 3.1.2)
 *
 * Every point from outside is checked (RFC 5656 3.1: on the curve, not
 * at infinity, of the group's order) and every private scalar is checked
 * to be in range and to give Q.
 */
#include "includes.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "key-impl.h"

struct ecdsa_curve {
	int nid;
	const char *name;	/* SSH curve identifier, RFC 5656 10.1 */
	const char *group;	/* OpenSSL group name */
	unsigned int bits;
};

static const struct ecdsa_curve ecdsa_curves[] = {
	{ NID_X9_62_prime256v1, "nistp256", "prime256v1", 256 },
	{ NID_secp384r1, "nistp384", "secp384r1", 384 },
	{ NID_secp521r1, "nistp521", "secp521r1", 521 },
};
#define NCURVES	(sizeof(ecdsa_curves) / sizeof(ecdsa_curves[0]))

static const struct ecdsa_curve *
curve_by_nid(int nid)
{
	size_t i;

	for (i = 0; i < NCURVES; i++) {
		if (ecdsa_curves[i].nid == nid)
			return &ecdsa_curves[i];
	}
	return NULL;
}

const char *
key_ecdsa_curve_name(int nid)
{
	const struct ecdsa_curve *c = curve_by_nid(nid);

	return c == NULL ? NULL : c->name;
}

unsigned int
key_ecdsa_curve_bits(int nid)
{
	const struct ecdsa_curve *c = curve_by_nid(nid);

	return c == NULL ? 0 : c->bits;
}

/* ------------------------------------------------------ points */

static int
ecdsa_group(int nid, EC_GROUP **gp)
{
	*gp = NULL;
	if (curve_by_nid(nid) == NULL)
		return ERR_EC_CURVE_INVALID;
	if ((*gp = EC_GROUP_new_by_curve_name(nid)) == NULL)
		return key_crypto_error();
	return 0;
}

/* Q must be a point of the group's prime order (RFC 5656 3.1). */
static int
ecdsa_check_public(const EC_GROUP *g, const EC_POINT *q)
{
	EC_POINT *t = NULL;
	BN_CTX *bnctx = NULL;
	int r = ERR_INTERNAL;

	if (EC_POINT_is_at_infinity(g, q))
		return ERR_KEY_INVALID_EC_VALUE;
	if ((bnctx = BN_CTX_new()) == NULL || (t = EC_POINT_new(g)) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if (EC_POINT_is_on_curve(g, q, bnctx) != 1) {
		r = ERR_KEY_INVALID_EC_VALUE;
		goto out;
	}
	if (EC_POINT_mul(g, t, NULL, q, EC_GROUP_get0_order(g), bnctx) != 1) {
		r = key_crypto_error();
		goto out;
	}
	if (!EC_POINT_is_at_infinity(g, t)) {
		r = ERR_KEY_INVALID_EC_VALUE;
		goto out;
	}
	r = 0;
 out:
	if (r != 0)
		(void)key_crypto_error();
	EC_POINT_free(t);
	BN_CTX_free(bnctx);
	return r;
}

/* d must be in [1, order - 1] and d*G must be Q. */
static int
ecdsa_check_private(const EC_GROUP *g, const EC_POINT *q, const BIGNUM *d)
{
	EC_POINT *dg = NULL;
	BN_CTX *bnctx = NULL;
	int r = ERR_INTERNAL;

	if (BN_is_zero(d) || BN_is_negative(d) ||
	    BN_cmp(d, EC_GROUP_get0_order(g)) >= 0)
		return ERR_KEY_INVALID_EC_VALUE;
	if ((bnctx = BN_CTX_new()) == NULL ||
	    (dg = EC_POINT_new(g)) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if (EC_POINT_mul(g, dg, d, NULL, NULL, bnctx) != 1) {
		r = key_crypto_error();
		goto out;
	}
	if (EC_POINT_cmp(g, dg, q, bnctx) != 0) {
		r = ERR_KEY_INVALID_EC_VALUE;
		goto out;
	}
	r = 0;
 out:
	if (r != 0)
		(void)key_crypto_error();
	EC_POINT_clear_free(dg);
	BN_CTX_free(bnctx);
	return r;
}

/* k's public point Q on group g, as a new EC_POINT. */
static int
ecdsa_key_point(const struct key *k, const EC_GROUP *g, EC_POINT **qp)
{
	u_char oct[BUF_ECPOINT_MAX_BYTES];
	size_t len = 0;
	EC_POINT *q = NULL;

	*qp = NULL;
	if (EVP_PKEY_get_octet_string_param(k->pkey, OSSL_PKEY_PARAM_PUB_KEY,
	    oct, sizeof(oct), &len) != 1)
		return key_crypto_error();
	if ((q = EC_POINT_new(g)) == NULL)
		return ERR_ALLOC_FAIL;
	if (EC_POINT_oct2point(g, q, oct, len, NULL) != 1) {
		EC_POINT_free(q);
		(void)key_crypto_error();
		return ERR_KEY_INVALID_EC_VALUE;
	}
	*qp = q;
	return 0;
}

/* Set k->pkey from Q and, if not NULL, the private scalar d. */
static int
ecdsa_make_pkey(struct key *k, const EC_GROUP *g, const EC_POINT *q,
    const BIGNUM *d)
{
	const struct ecdsa_curve *c = curve_by_nid(k->nid);
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	u_char oct[BUF_ECPOINT_MAX_BYTES];
	size_t len;
	int r = ERR_INTERNAL;

	if (c == NULL)
		return ERR_EC_CURVE_INVALID;
	if ((len = EC_POINT_point2oct(g, q, POINT_CONVERSION_UNCOMPRESSED,
	    oct, sizeof(oct), NULL)) == 0)
		return key_crypto_error();
	if ((bld = OSSL_PARAM_BLD_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    c->group, 0) != 1 ||
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    oct, len) != 1 ||
	    (d != NULL && OSSL_PARAM_BLD_push_BN(bld,
	    OSSL_PKEY_PARAM_PRIV_KEY, d) != 1) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL) {
		r = key_crypto_error();
		goto out;
	}
	r = key_evp_fromdata("EC", d == NULL ? EVP_PKEY_PUBLIC_KEY :
	    EVP_PKEY_KEYPAIR, params, &k->pkey);
 out:
	/* d was marked secret: OpenSSL keeps it apart and wipes it. */
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return r;
}

/* ------------------------------------------------------ operations */

static int
ecdsa_generate(struct key *k, unsigned int bits)
{
	const struct ecdsa_curve *c = curve_by_nid(k->nid);

	if (c == NULL)
		return ERR_EC_CURVE_INVALID;
	if ((k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", c->group)) == NULL)
		return key_crypto_error();
	return 0;
}

static int
ecdsa_check_evp(struct key *k)
{
	EC_GROUP *g = NULL;
	EC_POINT *q = NULL;
	BIGNUM *d = NULL;
	char gname[64];
	int nid, r = ERR_INTERNAL;

	if (EVP_PKEY_get_utf8_string_param(k->pkey,
	    OSSL_PKEY_PARAM_GROUP_NAME, gname, sizeof(gname), NULL) != 1) {
		(void)key_crypto_error();
		return ERR_EC_CURVE_INVALID;
	}
	if ((nid = OBJ_sn2nid(gname)) == NID_undef)
		nid = EC_curve_nist2nid(gname);
	if (curve_by_nid(nid) == NULL)
		return ERR_EC_CURVE_INVALID;
	k->nid = nid;
	if ((r = ecdsa_group(nid, &g)) != 0 ||
	    (r = ecdsa_key_point(k, g, &q)) != 0 ||
	    (r = ecdsa_check_public(g, q)) != 0)
		goto out;
	k->is_private = key_evp_has_bn(k->pkey, OSSL_PKEY_PARAM_PRIV_KEY);
	if (k->is_private) {
		if ((r = key_evp_get_bn(k, OSSL_PKEY_PARAM_PRIV_KEY,
		    &d)) != 0 ||
		    (r = ecdsa_check_private(g, q, d)) != 0)
			goto out;
	}
	r = 0;
 out:
	BN_clear_free(d);
	EC_POINT_free(q);
	EC_GROUP_free(g);
	return r;
}

static int
ecdsa_put_public(const struct key *k, struct buf *b)
{
	EC_GROUP *g = NULL;
	EC_POINT *q = NULL;
	int r = ERR_INTERNAL;

	if ((r = ecdsa_group(k->nid, &g)) != 0 ||
	    (r = ecdsa_key_point(k, g, &q)) != 0)
		goto out;
	if ((r = buf_put_cstring(b, key_ecdsa_curve_name(k->nid))) != 0 ||
	    (r = buf_put_ec(b, q, g)) != 0)
		goto out;
	r = 0;
 out:
	EC_POINT_free(q);
	EC_GROUP_free(g);
	return r;
}

/* string curve identifier, string Q; the curve must be k's. */
static int
ecdsa_read_point(const struct key *k, struct buf *b, const EC_GROUP *g,
    EC_POINT **qp)
{
	const char *want = key_ecdsa_curve_name(k->nid);
	const u_char *curve;
	size_t clen;
	EC_POINT *q = NULL;
	int r = ERR_INTERNAL;

	*qp = NULL;
	if ((r = buf_get_string_direct(b, &curve, &clen)) != 0)
		return r;
	/* RFC 5656 3.1: the identifier must match the key type name. */
	if (clen != strlen(want) || memcmp(curve, want, clen) != 0)
		return ERR_EC_CURVE_MISMATCH;
	if ((q = EC_POINT_new(g)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = buf_get_ec(b, q, g)) != 0 ||
	    (r = ecdsa_check_public(g, q)) != 0) {
		EC_POINT_free(q);
		return r;
	}
	*qp = q;
	return 0;
}

static int
ecdsa_get_public(struct key *k, struct buf *b)
{
	EC_GROUP *g = NULL;
	EC_POINT *q = NULL;
	int r = ERR_INTERNAL;

	if ((r = ecdsa_group(k->nid, &g)) != 0 ||
	    (r = ecdsa_read_point(k, b, g, &q)) != 0 ||
	    (r = ecdsa_make_pkey(k, g, q, NULL)) != 0)
		goto out;
	r = 0;
 out:
	EC_POINT_free(q);
	EC_GROUP_free(g);
	return r;
}

static int
ecdsa_put_private(const struct key *k, struct buf *b)
{
	BIGNUM *d = NULL;
	int r = ERR_INTERNAL;

	if ((r = ecdsa_put_public(k, b)) != 0 ||
	    (r = key_evp_get_bn(k, OSSL_PKEY_PARAM_PRIV_KEY, &d)) != 0 ||
	    (r = buf_put_bignum2(b, d)) != 0)
		goto out;
	r = 0;
 out:
	BN_clear_free(d);
	return r;
}

static int
ecdsa_get_private(struct key *k, struct buf *b)
{
	EC_GROUP *g = NULL;
	EC_POINT *q = NULL;
	BIGNUM *d = NULL;
	int r = ERR_INTERNAL;

	if ((r = ecdsa_group(k->nid, &g)) != 0 ||
	    (r = ecdsa_read_point(k, b, g, &q)) != 0 ||
	    (r = buf_get_bignum2(b, &d)) != 0)
		goto out;
	key_bn_mark_secret(d);
	if ((r = ecdsa_check_private(g, q, d)) != 0 ||
	    (r = ecdsa_make_pkey(k, g, q, d)) != 0)
		goto out;
	r = 0;
 out:
	BN_clear_free(d);
	EC_POINT_free(q);
	EC_GROUP_free(g);
	return r;
}

static int
ecdsa_sign(const struct key *k, const struct key_sigalg *sa,
    const u_char *data, size_t dlen, struct buf *sig)
{
	ECDSA_SIG *esig = NULL;
	const BIGNUM *sr, *ss;
	const u_char *p;
	u_char *der = NULL;
	size_t derlen = 0;
	int r = ERR_INTERNAL;

	if ((r = key_evp_sign(k->pkey, sa->md(), data, dlen,
	    &der, &derlen)) != 0)
		return r;
	/* OpenSSL gives DER (SEC1 ECDSA-Sig-Value); SSH wants two mpints. */
	p = der;
	if (derlen > LONG_MAX ||
	    (esig = d2i_ECDSA_SIG(NULL, &p, (long)derlen)) == NULL) {
		r = key_crypto_error();
		goto out;
	}
	ECDSA_SIG_get0(esig, &sr, &ss);
	if ((r = buf_put_bignum2(sig, sr)) != 0 ||
	    (r = buf_put_bignum2(sig, ss)) != 0)
		goto out;
	r = 0;
 out:
	ECDSA_SIG_free(esig);
	free(der);
	return r;
}

/* Read r and s, each bounded by the size of the curve's order. */
static int
ecdsa_parse_sig(const struct key *k, const u_char *sig, size_t siglen,
    ECDSA_SIG **esigp)
{
	struct buf *b = NULL;
	BIGNUM *sr = NULL, *ss = NULL;
	ECDSA_SIG *esig = NULL;
	unsigned int bits = key_ecdsa_curve_bits(k->nid);
	int r = ERR_INTERNAL;

	*esigp = NULL;
	if ((b = buf_from(sig, siglen)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = buf_get_bignum2(b, &sr)) != 0 ||
	    (r = buf_get_bignum2(b, &ss)) != 0)
		goto out;
	if (buf_len(b) != 0) {
		r = ERR_UNEXPECTED_TRAILING_DATA;
		goto out;
	}
	/* The orders of these curves have exactly the curve's bit size. */
	if ((unsigned int)BN_num_bits(sr) > bits ||
	    (unsigned int)BN_num_bits(ss) > bits) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	if ((esig = ECDSA_SIG_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if (ECDSA_SIG_set0(esig, sr, ss) != 1) {
		r = key_crypto_error();
		goto out;
	}
	sr = ss = NULL;		/* now owned by esig */
	*esigp = esig;
	esig = NULL;
	r = 0;
 out:
	ECDSA_SIG_free(esig);
	BN_free(sr);
	BN_free(ss);
	buf_free(b);
	return r;
}

static int
ecdsa_verify(const struct key *k, const struct key_sigalg *sa,
    const u_char *sig, size_t siglen, const u_char *data, size_t dlen)
{
	ECDSA_SIG *esig = NULL;
	u_char *der = NULL;
	int derlen, r = ERR_INTERNAL;

	if ((r = ecdsa_parse_sig(k, sig, siglen, &esig)) != 0)
		return r;
	if ((derlen = i2d_ECDSA_SIG(esig, &der)) <= 0) {
		r = key_crypto_error();
		goto out;
	}
	r = key_evp_verify(k->pkey, sa->md(), der, (size_t)derlen,
	    data, dlen);
 out:
	OPENSSL_free(der);
	ECDSA_SIG_free(esig);
	return r;
}

static unsigned int
ecdsa_size(const struct key *k)
{
	return key_ecdsa_curve_bits(k->nid);
}

const struct key_ops key_ecdsa_ops = {
	.generate = ecdsa_generate,
	.check_evp = ecdsa_check_evp,
	.put_public = ecdsa_put_public,
	.get_public = ecdsa_get_public,
	.put_private = ecdsa_put_private,
	.get_private = ecdsa_get_private,
	.sign = ecdsa_sign,
	.verify = ecdsa_verify,
	.size = ecdsa_size,
};
