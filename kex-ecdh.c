/*
 * kex-ecdh.c: ecdh-sha2-nistp256/384/521 (RFC 5656 section 4) over
 * OpenSSL's EVP interface.
 *
 * Q_C and Q_S are uncompressed points (SEC1 2.3.3) in strings; the
 * shared secret is the x coordinate as an mpint.  A peer point must be
 * the uncompressed encoding of the right length and pass OpenSSL's public
 * key check (on the curve, not the point at infinity; RFC 5656 4 and
 * SEC1 3.2.2.1).
 */
#include "includes.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/params.h>

#include "buf.h"
#include "errcode.h"
#include "kex-impl.h"

#define ECDH_MAX_POINT	133	/* P-521 uncompressed */

/* Bytes of a coordinate on the method's curve. */
static size_t
field_len(int nid)
{
	switch (nid) {
	case NID_X9_62_prime256v1:
		return 32;
	case NID_secp384r1:
		return 48;
	case NID_secp521r1:
		return 66;
	}
	return 0;
}

static int
ecdh_keypair(struct kex *kex, struct buf *pub)
{
	int nid = kex->method->param;
	u_char pt[ECDH_MAX_POINT];
	size_t len = 0;

	EVP_PKEY_free(kex->pkey);
	if ((kex->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC",
	    OBJ_nid2sn(nid))) == NULL) {
		ERR_clear_error();
		return ERR_LIBCRYPTO_ERROR;
	}
	if (EVP_PKEY_get_octet_string_param(kex->pkey,
	    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pt, sizeof(pt), &len) != 1 ||
	    len != 1 + 2 * field_len(nid) || pt[0] != 0x04) {
		ERR_clear_error();
		return ERR_LIBCRYPTO_ERROR;
	}
	return buf_put_string(pub, pt, len);
}

/* The peer's point as an EVP_PKEY, checked. */
static int
ecdh_peer_key(int nid, const u_char *p, size_t plen, EVP_PKEY **peerp)
{
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *peer = NULL;
	int r = ERR_KEY_INVALID_EC_VALUE;

	*peerp = NULL;
	if (plen != 1 + 2 * field_len(nid) || p[0] != 0x04)
		return ERR_KEY_INVALID_EC_VALUE;
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_GROUP_NAME, (char *)(uintptr_t)OBJ_nid2sn(nid), 0);
	params[1] = OSSL_PARAM_construct_octet_string(
	    OSSL_PKEY_PARAM_PUB_KEY, (void *)(uintptr_t)p, plen);
	params[2] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &peer, EVP_PKEY_PUBLIC_KEY, params) != 1)
		goto out;
	EVP_PKEY_CTX_free(ctx);
	if ((ctx = EVP_PKEY_CTX_new(peer, NULL)) == NULL ||
	    EVP_PKEY_public_check(ctx) != 1)
		goto out;
	*peerp = peer;
	peer = NULL;
	r = 0;
 out:
	ERR_clear_error();
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer);
	return r;
}

static int
ecdh_derive(struct kex *kex, struct buf *field, struct buf *secret)
{
	int nid = kex->method->param;
	EVP_PKEY *peer = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	const u_char *p;
	u_char out[ECDH_MAX_POINT];
	size_t plen, outlen = sizeof(out);
	int r = ERR_INTERNAL;

	if ((r = buf_get_string_direct(field, &p, &plen)) != 0)
		return r;
	if (buf_len(field) != 0)
		return ERR_UNEXPECTED_TRAILING_DATA;
	if ((r = ecdh_peer_key(nid, p, plen, &peer)) != 0)
		return r;
	if ((ctx = EVP_PKEY_CTX_new(kex->pkey, NULL)) == NULL ||
	    EVP_PKEY_derive_init(ctx) != 1 ||
	    EVP_PKEY_derive_set_peer(ctx, peer) != 1 ||
	    EVP_PKEY_derive(ctx, out, &outlen) != 1 ||
	    outlen != field_len(nid)) {
		ERR_clear_error();
		r = ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	r = buf_put_bignum2_bytes(secret, out, outlen);
 out:
	explicit_bzero(out, sizeof(out));
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer);
	return r;
}

static int
ecdh_server_derive(struct kex *kex, struct buf *cfield, struct buf *spub,
    struct buf *secret)
{
	int r;

	if ((r = ecdh_keypair(kex, spub)) != 0)
		return r;
	return ecdh_derive(kex, cfield, secret);
}

static int
ecdh_client_derive(struct kex *kex, struct buf *sfield, struct buf *secret)
{
	if (kex->pkey == NULL)
		return ERR_INTERNAL;
	return ecdh_derive(kex, sfield, secret);
}

const struct kex_ops kex_ecdh_ops = {
	ecdh_keypair,
	ecdh_server_derive,
	ecdh_client_derive,
	NULL,
};
