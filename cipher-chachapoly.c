/*
 * cipher-chachapoly.c: chacha20-poly1305@openssh.com.
 *
 * The construction of OpenSSH's PROTOCOL.chacha20poly1305 (now
 * draft-ietf-sshm-chacha20-poly1305): 64 bytes of key are two ChaCha20
 * keys.  The first 32 (the "main" key, K_2 in OpenSSH's file) encrypt the
 * packet body from block counter 1, and their block 0 gives the one-time
 * Poly1305 key; the last 32 (the "header" key, K_1 there) encrypt only the
 * 4-byte length field, from block 0.  Both use the packet's sequence
 * number as the 64-bit nonce (uint64, big-endian).  The tag is Poly1305
 * over the encrypted length field and body, with no padding and no
 * lengths, and is checked before anything is decrypted.
 *
 * ChaCha20 and Poly1305 are OpenSSL's (EVP_chacha20, EVP_MAC "POLY1305").
 */
#include "includes.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include "cipher-impl.h"
#include "errcode.h"

#define CHACHA_KEY_LEN		32
#define POLY1305_KEY_LEN	32

struct chachapoly_ctx {
	EVP_CIPHER_CTX *main;	/* body and Poly1305 key */
	EVP_CIPHER_CTX *header;	/* length field */
	EVP_MAC *poly;
	EVP_MAC_CTX *mctx;
};

static void
put_u32_le(u_char *p, uint32_t v)
{
	p[0] = (u_char)v;
	p[1] = (u_char)(v >> 8);
	p[2] = (u_char)(v >> 16);
	p[3] = (u_char)(v >> 24);
}

/* The nonce: the sequence number as an SSH uint64 (big-endian). */
static void
seqnr_nonce(u_char nonce[8], uint32_t seqnr)
{
	nonce[0] = nonce[1] = nonce[2] = nonce[3] = 0;
	nonce[4] = (u_char)(seqnr >> 24);
	nonce[5] = (u_char)(seqnr >> 16);
	nonce[6] = (u_char)(seqnr >> 8);
	nonce[7] = (u_char)seqnr;
}

int
chachapoly_stream(EVP_CIPHER_CTX *ctx, uint64_t counter,
    const u_char nonce[8], u_char *data, size_t len)
{
	u_char iv[16];
	int outl = 0;

	if (ctx == NULL || nonce == NULL || (data == NULL && len != 0) ||
	    len > INT_MAX)
		return ERR_INVALID_ARGUMENT;
	if (len == 0)
		return 0;
	/*
	 * OpenSSL's 16-byte ChaCha20 IV is state words 12-15 in
	 * little-endian order: the counter's low and high words, then the
	 * nonce as it is.
	 */
	put_u32_le(iv, (uint32_t)counter);
	put_u32_le(iv + 4, (uint32_t)(counter >> 32));
	memcpy(iv + 8, nonce, 8);
	if (EVP_CipherInit_ex(ctx, NULL, NULL, NULL, iv, -1) != 1 ||
	    EVP_CipherUpdate(ctx, data, &outl, data, (int)len) != 1 ||
	    outl != (int)len) {
		ERR_clear_error();
		return ERR_LIBCRYPTO_ERROR;
	}
	return 0;
}

int
chachapoly_poly1305(EVP_MAC_CTX *mctx, const u_char key[32],
    const u_char *a, size_t alen, const u_char *b, size_t blen,
    u_char tag[16])
{
	size_t outl = 0;

	if (mctx == NULL || key == NULL || tag == NULL ||
	    (a == NULL && alen != 0) || (b == NULL && blen != 0))
		return ERR_INVALID_ARGUMENT;
	if (EVP_MAC_init(mctx, key, POLY1305_KEY_LEN, NULL) != 1 ||
	    (alen != 0 && EVP_MAC_update(mctx, a, alen) != 1) ||
	    (blen != 0 && EVP_MAC_update(mctx, b, blen) != 1) ||
	    EVP_MAC_final(mctx, tag, &outl, CHACHAPOLY_TAG_LEN) != 1 ||
	    outl != CHACHAPOLY_TAG_LEN) {
		ERR_clear_error();
		return ERR_LIBCRYPTO_ERROR;
	}
	return 0;
}

static int
chacha_keyed(EVP_CIPHER_CTX **ctxp, const u_char *key)
{
	EVP_CIPHER_CTX *ctx;

	*ctxp = NULL;
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		return ERR_ALLOC_FAIL;
	/* ChaCha20 is a stream cipher: encrypting also decrypts. */
	if (EVP_CipherInit_ex(ctx, EVP_chacha20(), NULL, key, NULL, 1) != 1) {
		ERR_clear_error();
		EVP_CIPHER_CTX_free(ctx);
		return ERR_LIBCRYPTO_ERROR;
	}
	*ctxp = ctx;
	return 0;
}

int
chachapoly_init(struct chachapoly_ctx **cpp, const u_char *key,
    size_t keylen)
{
	struct chachapoly_ctx *cp = NULL;
	int r = ERR_INTERNAL;

	if (cpp == NULL)
		return ERR_INVALID_ARGUMENT;
	*cpp = NULL;
	if (key == NULL || keylen != CHACHAPOLY_KEY_LEN)
		return ERR_INVALID_ARGUMENT;
	if ((cp = calloc(1, sizeof(*cp))) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = chacha_keyed(&cp->main, key)) != 0 ||
	    (r = chacha_keyed(&cp->header, key + CHACHA_KEY_LEN)) != 0)
		goto out;
	if ((cp->poly = EVP_MAC_fetch(NULL, "POLY1305", NULL)) == NULL ||
	    (cp->mctx = EVP_MAC_CTX_new(cp->poly)) == NULL) {
		ERR_clear_error();
		r = ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	*cpp = cp;
	cp = NULL;
	r = 0;
 out:
	chachapoly_free(cp);
	return r;
}

int
chachapoly_crypt(struct chachapoly_ctx *cp, uint32_t seqnr,
    u_char *lenfield, u_char *body, size_t bodylen, u_char *tag,
    int encrypt)
{
	u_char nonce[8], polykey[POLY1305_KEY_LEN];
	u_char expect[CHACHAPOLY_TAG_LEN];
	int r = ERR_INTERNAL;

	if (cp == NULL || lenfield == NULL || tag == NULL ||
	    (body == NULL && bodylen != 0))
		return ERR_INVALID_ARGUMENT;
	seqnr_nonce(nonce, seqnr);
	memset(polykey, 0, sizeof(polykey));
	if ((r = chachapoly_stream(cp->main, 0, nonce, polykey,
	    sizeof(polykey))) != 0)
		goto out;
	/* Authenticate before decrypting anything. */
	if (!encrypt) {
		if ((r = chachapoly_poly1305(cp->mctx, polykey, lenfield, 4,
		    body, bodylen, expect)) != 0)
			goto out;
		if (timingsafe_bcmp(expect, tag, sizeof(expect)) != 0) {
			r = ERR_MAC_INVALID;
			goto out;
		}
	}
	if ((r = chachapoly_stream(cp->header, 0, nonce, lenfield, 4)) != 0 ||
	    (r = chachapoly_stream(cp->main, 1, nonce, body, bodylen)) != 0)
		goto out;
	if (encrypt && (r = chachapoly_poly1305(cp->mctx, polykey, lenfield,
	    4, body, bodylen, tag)) != 0)
		goto out;
	r = 0;
 out:
	explicit_bzero(polykey, sizeof(polykey));
	explicit_bzero(expect, sizeof(expect));
	return r;
}

int
chachapoly_get_length(struct chachapoly_ctx *cp, uint32_t seqnr,
    const u_char *p, uint32_t *plenp)
{
	u_char nonce[8], len[4];
	int r = ERR_INTERNAL;

	if (plenp != NULL)
		*plenp = 0;
	if (cp == NULL || p == NULL || plenp == NULL)
		return ERR_INVALID_ARGUMENT;
	seqnr_nonce(nonce, seqnr);
	memcpy(len, p, sizeof(len));
	if ((r = chachapoly_stream(cp->header, 0, nonce, len,
	    sizeof(len))) != 0)
		goto out;
	*plenp = (uint32_t)len[0] << 24 | (uint32_t)len[1] << 16 |
	    (uint32_t)len[2] << 8 | (uint32_t)len[3];
	r = 0;
 out:
	explicit_bzero(len, sizeof(len));
	return r;
}

void
chachapoly_free(struct chachapoly_ctx *cp)
{
	if (cp == NULL)
		return;
	/* The OpenSSL free functions cleanse keys and state. */
	EVP_CIPHER_CTX_free(cp->main);
	EVP_CIPHER_CTX_free(cp->header);
	EVP_MAC_CTX_free(cp->mctx);
	EVP_MAC_free(cp->poly);
	freezero(cp, sizeof(*cp));
}
