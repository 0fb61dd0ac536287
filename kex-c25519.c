/*
 * kex-c25519.c: curve25519-sha256 and curve25519-sha256@libssh.org
 * (RFC 8731) over OpenSSL's X25519.
 *
 * The public values Q_C and Q_S are 32-byte strings; the shared secret
 * is the 32-byte X25519 output read as a big-endian number and sent
 * through the hash as an mpint (RFC 8731 section 3.1).  An all-zero
 * output (a low-order peer point) is refused.
 */
#include "includes.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include "buf.h"
#include "errcode.h"
#include "kex-impl.h"

#define X25519_LEN	32

static int
c25519_keypair(struct kex *kex, struct buf *pub)
{
	u_char raw[X25519_LEN];
	size_t len = sizeof(raw);

	EVP_PKEY_free(kex->pkey);
	if ((kex->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "X25519")) == NULL) {
		ERR_clear_error();
		return ERR_LIBCRYPTO_ERROR;
	}
	if (EVP_PKEY_get_raw_public_key(kex->pkey, raw, &len) != 1 ||
	    len != sizeof(raw)) {
		ERR_clear_error();
		return ERR_LIBCRYPTO_ERROR;
	}
	return buf_put_string(pub, raw, len);
}

/* The shared secret with the peer's field, appended as an mpint. */
static int
c25519_derive(struct kex *kex, struct buf *field, struct buf *secret)
{
	EVP_PKEY *peer = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	const u_char *p;
	u_char out[X25519_LEN], zero[X25519_LEN] = { 0 };
	size_t plen, outlen = sizeof(out);
	int r = ERR_INTERNAL;

	if ((r = buf_get_string_direct(field, &p, &plen)) != 0)
		return r;
	if (plen != X25519_LEN || buf_len(field) != 0)
		return ERR_KEY_INVALID_EC_VALUE;
	if ((peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, p,
	    plen)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new(kex->pkey, NULL)) == NULL ||
	    EVP_PKEY_derive_init(ctx) != 1 ||
	    EVP_PKEY_derive_set_peer(ctx, peer) != 1 ||
	    EVP_PKEY_derive(ctx, out, &outlen) != 1 ||
	    outlen != sizeof(out)) {
		ERR_clear_error();
		r = ERR_KEY_INVALID_EC_VALUE;
		goto out;
	}
	if (timingsafe_bcmp(out, zero, sizeof(out)) == 0) {
		r = ERR_KEY_INVALID_EC_VALUE;
		goto out;
	}
	r = buf_put_bignum2_bytes(secret, out, sizeof(out));
 out:
	explicit_bzero(out, sizeof(out));
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer);
	return r;
}

static int
c25519_server_derive(struct kex *kex, struct buf *cfield, struct buf *spub,
    struct buf *secret)
{
	int r;

	if ((r = c25519_keypair(kex, spub)) != 0)
		return r;
	return c25519_derive(kex, cfield, secret);
}

static int
c25519_client_derive(struct kex *kex, struct buf *sfield, struct buf *secret)
{
	if (kex->pkey == NULL)
		return ERR_INTERNAL;
	return c25519_derive(kex, sfield, secret);
}

const struct kex_ops kex_c25519_ops = {
	c25519_keypair,
	c25519_server_derive,
	c25519_client_derive,
	NULL,
};
