/*
 * digest.c: message digests and HMAC over OpenSSL 3 EVP (digest.h).
 *
 * A small table maps our algorithm numbers to OpenSSL digests; the
 * incremental and HMAC contexts wrap EVP_MD_CTX and EVP_MAC_CTX.
 */
#include "includes.h"

#include <strings.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "buf.h"
#include "digest.h"
#include "errcode.h"

struct digest_alg {
	int alg;
	const char *name;		/* as fingerprints print it */
	const char *ossl_name;		/* OpenSSL's fetch name */
	const EVP_MD *(*md)(void);
	size_t bytes;
	size_t block_size;
};

static const struct digest_alg digests[DIGEST_MAX] = {
	{ DIGEST_MD5, "MD5", "MD5", EVP_md5, 16, 64 },
	{ DIGEST_SHA1, "SHA1", "SHA1", EVP_sha1, 20, 64 },
	{ DIGEST_SHA256, "SHA256", "SHA256", EVP_sha256, 32, 64 },
	{ DIGEST_SHA384, "SHA384", "SHA384", EVP_sha384, 48, 128 },
	{ DIGEST_SHA512, "SHA512", "SHA512", EVP_sha512, 64, 128 },
};

struct digest_ctx {
	int alg;
	EVP_MD_CTX *mdctx;
};

struct hmac_ctx {
	int alg;
	int keyed;			/* hmac_init succeeded */
	EVP_MAC *mac;
	EVP_MAC_CTX *macctx;
};

static const struct digest_alg *
digest_lookup(int alg)
{
	if (alg < 0 || alg >= DIGEST_MAX)
		return NULL;
	return &digests[alg];
}

int
digest_alg_by_name(const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < DIGEST_MAX; i++) {
		if (strcasecmp(name, digests[i].name) == 0)
			return digests[i].alg;
	}
	return -1;
}

const char *
digest_alg_name(int alg)
{
	const struct digest_alg *d = digest_lookup(alg);

	return d == NULL ? NULL : d->name;
}

size_t
digest_bytes(int alg)
{
	const struct digest_alg *d = digest_lookup(alg);

	return d == NULL ? 0 : d->bytes;
}

size_t
digest_block_size(int alg)
{
	const struct digest_alg *d = digest_lookup(alg);

	return d == NULL ? 0 : d->block_size;
}

/* ------------------------------------------------------------ one-shot */

int
digest_memory(int alg, const void *m, size_t mlen, u_char *d, size_t dlen)
{
	const struct digest_alg *da = digest_lookup(alg);
	u_int outlen = 0;

	if (da == NULL || d == NULL || (m == NULL && mlen != 0))
		return ERR_INVALID_ARGUMENT;
	if (dlen < da->bytes)
		return ERR_INVALID_ARGUMENT;
	if (EVP_Digest(mlen == 0 ? "" : m, mlen, d, &outlen, da->md(),
	    NULL) != 1 || outlen != da->bytes) {
		ERR_clear_error();
		return ERR_LIBCRYPTO_ERROR;
	}
	return 0;
}

int
digest_buffer(int alg, const struct buf *b, u_char *d, size_t dlen)
{
	if (b == NULL)
		return ERR_INVALID_ARGUMENT;
	return digest_memory(alg, buf_ptr(b), buf_len(b), d, dlen);
}

/* ------------------------------------------------------------ incremental */

struct digest_ctx *
digest_start(int alg)
{
	const struct digest_alg *da = digest_lookup(alg);
	struct digest_ctx *ctx;

	if (da == NULL || (ctx = calloc(1, sizeof(*ctx))) == NULL)
		return NULL;
	ctx->alg = alg;
	if ((ctx->mdctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx->mdctx, da->md(), NULL) != 1) {
		ERR_clear_error();
		digest_free(ctx);
		return NULL;
	}
	return ctx;
}

int
digest_update(struct digest_ctx *ctx, const void *m, size_t mlen)
{
	if (ctx == NULL || (m == NULL && mlen != 0))
		return ERR_INVALID_ARGUMENT;
	if (mlen == 0)
		return 0;
	if (EVP_DigestUpdate(ctx->mdctx, m, mlen) != 1) {
		ERR_clear_error();
		return ERR_LIBCRYPTO_ERROR;
	}
	return 0;
}

int
digest_update_buffer(struct digest_ctx *ctx, const struct buf *b)
{
	if (b == NULL)
		return ERR_INVALID_ARGUMENT;
	return digest_update(ctx, buf_ptr(b), buf_len(b));
}

int
digest_final(struct digest_ctx *ctx, u_char *d, size_t dlen)
{
	u_int outlen = 0;

	if (ctx == NULL || d == NULL || dlen < digest_bytes(ctx->alg))
		return ERR_INVALID_ARGUMENT;
	if (EVP_DigestFinal_ex(ctx->mdctx, d, &outlen) != 1 ||
	    outlen != digest_bytes(ctx->alg)) {
		ERR_clear_error();
		return ERR_LIBCRYPTO_ERROR;
	}
	return 0;
}

void
digest_free(struct digest_ctx *ctx)
{
	if (ctx == NULL)
		return;
	/* EVP_MD_CTX_free cleanses the digest state. */
	EVP_MD_CTX_free(ctx->mdctx);
	freezero(ctx, sizeof(*ctx));
}

/* ------------------------------------------------------------ HMAC */

struct hmac_ctx *
hmac_start(int alg)
{
	const struct digest_alg *da = digest_lookup(alg);
	struct hmac_ctx *ctx;
	OSSL_PARAM params[2];

	if (da == NULL || (ctx = calloc(1, sizeof(*ctx))) == NULL)
		return NULL;
	ctx->alg = alg;
	/* The digest is fixed for the context's life; hmac_init only keys. */
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)da->ossl_name, 0);
	params[1] = OSSL_PARAM_construct_end();
	if ((ctx->mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL ||
	    (ctx->macctx = EVP_MAC_CTX_new(ctx->mac)) == NULL ||
	    EVP_MAC_CTX_set_params(ctx->macctx, params) != 1) {
		ERR_clear_error();
		hmac_free(ctx);
		return NULL;
	}
	return ctx;
}

int
hmac_init(struct hmac_ctx *ctx, const void *key, size_t klen)
{
	static const u_char empty[1];

	if (ctx == NULL || (key == NULL && klen != 0))
		return ERR_INVALID_ARGUMENT;
	ctx->keyed = 0;
	/* A NULL key would mean "keep the old one" to OpenSSL. */
	if (key == NULL)
		key = empty;
	if (EVP_MAC_init(ctx->macctx, key, klen, NULL) != 1) {
		ERR_clear_error();
		return ERR_LIBCRYPTO_ERROR;
	}
	ctx->keyed = 1;
	return 0;
}

int
hmac_update(struct hmac_ctx *ctx, const void *m, size_t mlen)
{
	if (ctx == NULL || !ctx->keyed || (m == NULL && mlen != 0))
		return ERR_INVALID_ARGUMENT;
	if (mlen == 0)
		return 0;
	if (EVP_MAC_update(ctx->macctx, m, mlen) != 1) {
		ERR_clear_error();
		return ERR_LIBCRYPTO_ERROR;
	}
	return 0;
}

int
hmac_update_buffer(struct hmac_ctx *ctx, const struct buf *b)
{
	if (b == NULL)
		return ERR_INVALID_ARGUMENT;
	return hmac_update(ctx, buf_ptr(b), buf_len(b));
}

int
hmac_final(struct hmac_ctx *ctx, u_char *d, size_t dlen)
{
	size_t outlen = 0, want;

	if (ctx == NULL || !ctx->keyed || d == NULL)
		return ERR_INVALID_ARGUMENT;
	want = digest_bytes(ctx->alg);
	if (dlen < want)
		return ERR_INVALID_ARGUMENT;
	/* Finishing consumes the state: the next message needs hmac_init. */
	ctx->keyed = 0;
	if (EVP_MAC_final(ctx->macctx, d, &outlen, dlen) != 1 ||
	    outlen != want) {
		ERR_clear_error();
		return ERR_LIBCRYPTO_ERROR;
	}
	return 0;
}

void
hmac_free(struct hmac_ctx *ctx)
{
	if (ctx == NULL)
		return;
	/* EVP_MAC_CTX_free cleanses the key and the HMAC state. */
	EVP_MAC_CTX_free(ctx->macctx);
	EVP_MAC_free(ctx->mac);
	freezero(ctx, sizeof(*ctx));
}

size_t
hmac_bytes(int alg)
{
	return digest_bytes(alg);
}
