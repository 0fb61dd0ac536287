/*
 * key-rsa.c: ssh-rsa keys (RFC 4253 6.6) and their rsa-sha2-256/512
 * (RFC 8332) and SHA-1 ssh-rsa signatures, over OpenSSL 3.
 *
 *   public fields:  mpint e, mpint n
 *   private fields: mpint n, mpint e, mpint d, mpint iqmp, mpint p,
 *                   mpint q                    (PROTOCOL.key, the agent)
 *   signature:      RSASSA-PKCS1-v1_5, as long as the modulus
 */
#include "includes.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "key-impl.h"

/* The six numbers of a private key, as they sit in a private part. */
struct rsa_parts {
	BIGNUM *n, *e, *d, *iqmp, *p, *q;
};

static void
rsa_parts_clear(struct rsa_parts *rp)
{
	BN_free(rp->n);
	BN_free(rp->e);
	BN_clear_free(rp->d);
	BN_clear_free(rp->iqmp);
	BN_clear_free(rp->p);
	BN_clear_free(rp->q);
	memset(rp, 0, sizeof(*rp));
}

/* Modulus size within our limits, e odd and > 1, n odd. */
static int
rsa_check_public(const BIGNUM *n, const BIGNUM *e)
{
	int bits = BN_num_bits(n);

	if (bits < KEY_RSA_MIN_BITS || bits > KEY_RSA_MAX_BITS)
		return ERR_KEY_LENGTH;
	if (!BN_is_odd(n) || !BN_is_odd(e) || BN_is_one(e) ||
	    BN_cmp(e, n) >= 0)
		return ERR_INVALID_FORMAT;
	return 0;
}

/* 1 if a * b == 1 (mod m). */
static int
rsa_is_inverse(const BIGNUM *a, const BIGNUM *b, const BIGNUM *m,
    BN_CTX *ctx, int *okp)
{
	BIGNUM *t;
	int ret = 0;

	BN_CTX_start(ctx);
	if ((t = BN_CTX_get(ctx)) == NULL || BN_mod_mul(t, a, b, m, ctx) != 1)
		*okp = 0;
	else
		ret = BN_is_one(t);
	BN_CTX_end(ctx);
	return ret;
}

/*
 * The private numbers must belong to n and e: p*q == n,
 * iqmp*q == 1 (mod p), e*d == 1 (mod p-1) and (mod q-1).
 * On success *dmp1p and *dmq1p get the CRT exponents OpenSSL wants.
 */
static int
rsa_check_private(const struct rsa_parts *rp, BIGNUM **dmp1p,
    BIGNUM **dmq1p)
{
	BN_CTX *ctx = NULL;
	BIGNUM *pq, *pm1, *qm1, *dmp1 = NULL, *dmq1 = NULL;
	int ok = 1, r = ERR_INTERNAL;

	*dmp1p = *dmq1p = NULL;
	if (BN_cmp(rp->p, BN_value_one()) <= 0 ||
	    BN_cmp(rp->q, BN_value_one()) <= 0 || BN_is_zero(rp->d))
		return ERR_INVALID_FORMAT;
	if ((ctx = BN_CTX_secure_new()) == NULL)
		return ERR_ALLOC_FAIL;
	BN_CTX_start(ctx);
	if ((pq = BN_CTX_get(ctx)) == NULL ||
	    (pm1 = BN_CTX_get(ctx)) == NULL ||
	    (qm1 = BN_CTX_get(ctx)) == NULL ||
	    (dmp1 = BN_secure_new()) == NULL ||
	    (dmq1 = BN_secure_new()) == NULL ||
	    BN_mul(pq, rp->p, rp->q, ctx) != 1 ||
	    BN_sub(pm1, rp->p, BN_value_one()) != 1 ||
	    BN_sub(qm1, rp->q, BN_value_one()) != 1 ||
	    BN_mod(dmp1, rp->d, pm1, ctx) != 1 ||
	    BN_mod(dmq1, rp->d, qm1, ctx) != 1) {
		r = key_crypto_error();
		goto out;
	}
	if (BN_cmp(pq, rp->n) != 0 ||
	    !rsa_is_inverse(rp->iqmp, rp->q, rp->p, ctx, &ok) ||
	    !rsa_is_inverse(rp->e, dmp1, pm1, ctx, &ok) ||
	    !rsa_is_inverse(rp->e, dmq1, qm1, ctx, &ok)) {
		r = ok ? ERR_INVALID_FORMAT : key_crypto_error();
		goto out;
	}
	*dmp1p = dmp1;
	*dmq1p = dmq1;
	dmp1 = dmq1 = NULL;
	r = 0;
 out:
	BN_clear_free(dmp1);
	BN_clear_free(dmq1);
	BN_CTX_end(ctx);
	BN_CTX_free(ctx);
	return r;
}

/* Set k->pkey from rp (n and e only when public is set). */
static int
rsa_make_pkey(struct key *k, const struct rsa_parts *rp, const BIGNUM *dmp1,
    const BIGNUM *dmq1)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	int priv = rp->d != NULL, r = ERR_INTERNAL;

	if ((bld = OSSL_PARAM_BLD_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if (OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, rp->n) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, rp->e) != 1)
		goto crypto;
	if (priv && (
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, rp->d) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR1,
	    rp->p) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR2,
	    rp->q) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1,
	    dmp1) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2,
	    dmq1) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
	    rp->iqmp) != 1))
		goto crypto;
	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
		goto crypto;
	r = key_evp_fromdata("RSA", priv ? EVP_PKEY_KEYPAIR :
	    EVP_PKEY_PUBLIC_KEY, params, &k->pkey);
	goto out;
 crypto:
	r = key_crypto_error();
 out:
	/* The secrets were marked: OpenSSL keeps them apart and wipes them. */
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return r;
}

/* ------------------------------------------------------ operations */

static int
rsa_generate(struct key *k, unsigned int bits)
{
	if (bits == 0)
		bits = KEY_RSA_DEFAULT_BITS;
	if (bits < KEY_RSA_MIN_BITS || bits > KEY_RSA_MAX_BITS)
		return ERR_KEY_LENGTH;
	if ((k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
	    (size_t)bits)) == NULL)
		return key_crypto_error();
	return 0;
}

static int
rsa_check_evp(struct key *k)
{
	BIGNUM *n = NULL, *e = NULL;
	int r = ERR_INTERNAL;

	k->nid = -1;
	if ((r = key_evp_get_bn(k, OSSL_PKEY_PARAM_RSA_N, &n)) != 0 ||
	    (r = key_evp_get_bn(k, OSSL_PKEY_PARAM_RSA_E, &e)) != 0 ||
	    (r = rsa_check_public(n, e)) != 0)
		goto out;
	k->is_private = key_evp_has_bn(k->pkey, OSSL_PKEY_PARAM_RSA_D);
	r = 0;
 out:
	BN_free(n);
	BN_free(e);
	return r;
}

static int
rsa_put_public(const struct key *k, struct buf *b)
{
	BIGNUM *n = NULL, *e = NULL;
	int r = ERR_INTERNAL;

	if ((r = key_evp_get_bn(k, OSSL_PKEY_PARAM_RSA_N, &n)) != 0 ||
	    (r = key_evp_get_bn(k, OSSL_PKEY_PARAM_RSA_E, &e)) != 0)
		goto out;
	/* RFC 4253 6.6: e before n. */
	if ((r = buf_put_bignum2(b, e)) != 0 ||
	    (r = buf_put_bignum2(b, n)) != 0)
		goto out;
	r = 0;
 out:
	BN_free(n);
	BN_free(e);
	return r;
}

static int
rsa_get_public(struct key *k, struct buf *b)
{
	struct rsa_parts rp;
	int r = ERR_INTERNAL;

	memset(&rp, 0, sizeof(rp));
	if ((r = buf_get_bignum2(b, &rp.e)) != 0 ||
	    (r = buf_get_bignum2(b, &rp.n)) != 0 ||
	    (r = rsa_check_public(rp.n, rp.e)) != 0 ||
	    (r = rsa_make_pkey(k, &rp, NULL, NULL)) != 0)
		goto out;
	r = 0;
 out:
	rsa_parts_clear(&rp);
	return r;
}

static int
rsa_put_private(const struct key *k, struct buf *b)
{
	struct rsa_parts rp;
	int r = ERR_INTERNAL;

	memset(&rp, 0, sizeof(rp));
	if ((r = key_evp_get_bn(k, OSSL_PKEY_PARAM_RSA_N, &rp.n)) != 0 ||
	    (r = key_evp_get_bn(k, OSSL_PKEY_PARAM_RSA_E, &rp.e)) != 0 ||
	    (r = key_evp_get_bn(k, OSSL_PKEY_PARAM_RSA_D, &rp.d)) != 0 ||
	    (r = key_evp_get_bn(k, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
	    &rp.iqmp)) != 0 ||
	    (r = key_evp_get_bn(k, OSSL_PKEY_PARAM_RSA_FACTOR1, &rp.p)) != 0 ||
	    (r = key_evp_get_bn(k, OSSL_PKEY_PARAM_RSA_FACTOR2, &rp.q)) != 0)
		goto out;
	if ((r = buf_put_bignum2(b, rp.n)) != 0 ||
	    (r = buf_put_bignum2(b, rp.e)) != 0 ||
	    (r = buf_put_bignum2(b, rp.d)) != 0 ||
	    (r = buf_put_bignum2(b, rp.iqmp)) != 0 ||
	    (r = buf_put_bignum2(b, rp.p)) != 0 ||
	    (r = buf_put_bignum2(b, rp.q)) != 0)
		goto out;
	r = 0;
 out:
	rsa_parts_clear(&rp);
	return r;
}

static int
rsa_get_private(struct key *k, struct buf *b)
{
	struct rsa_parts rp;
	BIGNUM *dmp1 = NULL, *dmq1 = NULL;
	int r = ERR_INTERNAL;

	memset(&rp, 0, sizeof(rp));
	if ((r = buf_get_bignum2(b, &rp.n)) != 0 ||
	    (r = buf_get_bignum2(b, &rp.e)) != 0 ||
	    (r = buf_get_bignum2(b, &rp.d)) != 0 ||
	    (r = buf_get_bignum2(b, &rp.iqmp)) != 0 ||
	    (r = buf_get_bignum2(b, &rp.p)) != 0 ||
	    (r = buf_get_bignum2(b, &rp.q)) != 0)
		goto out;
	key_bn_mark_secret(rp.d);
	key_bn_mark_secret(rp.iqmp);
	key_bn_mark_secret(rp.p);
	key_bn_mark_secret(rp.q);
	if ((r = rsa_check_public(rp.n, rp.e)) != 0 ||
	    (r = rsa_check_private(&rp, &dmp1, &dmq1)) != 0 ||
	    (r = rsa_make_pkey(k, &rp, dmp1, dmq1)) != 0)
		goto out;
	r = 0;
 out:
	BN_clear_free(dmp1);
	BN_clear_free(dmq1);
	rsa_parts_clear(&rp);
	return r;
}

static int
rsa_sign(const struct key *k, const struct key_sigalg *sa,
    const u_char *data, size_t dlen, struct buf *sig)
{
	/* RFC 8332 3: the signature is as long as the modulus. */
	return key_evp_sign_put(k->pkey, sa->md(), data, dlen,
	    (size_t)EVP_PKEY_get_size(k->pkey), sig);
}

static int
rsa_verify(const struct key *k, const struct key_sigalg *sa,
    const u_char *sig, size_t siglen, const u_char *data, size_t dlen)
{
	struct buf *padded = NULL;
	size_t modlen;
	u_char *p;
	int r = ERR_INTERNAL;

	if (EVP_PKEY_get_size(k->pkey) <= 0)
		return ERR_INTERNAL;
	modlen = (size_t)EVP_PKEY_get_size(k->pkey);
	if (siglen == 0 || siglen > modlen)
		return ERR_INVALID_FORMAT;
	if (siglen == modlen)
		return key_evp_verify(k->pkey, sa->md(), sig, siglen,
		    data, dlen);
	/*
	 * Some signers drop leading zero bytes; OpenSSL wants the full
	 * length, so put them back (never more than the modulus).
	 */
	if ((padded = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = buf_reserve(padded, modlen - siglen, &p)) != 0 ||
	    (r = buf_put(padded, sig, siglen)) != 0)
		goto out;
	r = key_evp_verify(k->pkey, sa->md(), buf_ptr(padded),
	    buf_len(padded), data, dlen);
 out:
	buf_free(padded);
	return r;
}

static unsigned int
rsa_size(const struct key *k)
{
	int bits = EVP_PKEY_get_bits(k->pkey);

	return bits < 0 ? 0 : (unsigned int)bits;
}

const struct key_ops key_rsa_ops = {
	.generate = rsa_generate,
	.check_evp = rsa_check_evp,
	.put_public = rsa_put_public,
	.get_public = rsa_get_public,
	.put_private = rsa_put_private,
	.get_private = rsa_get_private,
	.sign = rsa_sign,
	.verify = rsa_verify,
	.size = rsa_size,
};
