/*
 * cipher-aesgcm.c: AES-GCM for SSH (RFC 5647; aes128-gcm@openssh.com and
 * aes256-gcm@openssh.com).
 *
 * The 12-byte IV from the key exchange is a 4-byte fixed field and an
 * 8-byte invocation counter (RFC 5647 section 7.1) that is incremented,
 * as a big-endian 64-bit integer modulo 2^64, after every packet.  The
 * packet_length field is the additional authenticated data and the tag is
 * 16 bytes (sections 7.2 and 7.3).  AES-GCM itself is OpenSSL's.
 */
#include "includes.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include "cipher-impl.h"
#include "errcode.h"

struct aesgcm_ctx {
	EVP_CIPHER_CTX *evp;
	u_char iv[AESGCM_IV_LEN];
	int encrypt;
};

static const EVP_CIPHER *
aesgcm_type(size_t keylen)
{
	switch (keylen) {
	case 16:
		return EVP_aes_128_gcm();
	case 24:
		return EVP_aes_192_gcm();
	case 32:
		return EVP_aes_256_gcm();
	}
	return NULL;
}

int
aesgcm_init(struct aesgcm_ctx **gp, const u_char *key, size_t keylen,
    const u_char *iv, size_t ivlen, int encrypt)
{
	struct aesgcm_ctx *g = NULL;
	const EVP_CIPHER *type;
	int r = ERR_INTERNAL;

	if (gp == NULL)
		return ERR_INVALID_ARGUMENT;
	*gp = NULL;
	if (key == NULL || (type = aesgcm_type(keylen)) == NULL ||
	    iv == NULL || ivlen != AESGCM_IV_LEN)
		return ERR_INVALID_ARGUMENT;
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return ERR_ALLOC_FAIL;
	g->encrypt = encrypt != 0;
	memcpy(g->iv, iv, sizeof(g->iv));
	/* 12 bytes is GCM's default IV length, so no EVP_CTRL_GCM_SET_IVLEN. */
	if ((g->evp = EVP_CIPHER_CTX_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if (EVP_CipherInit_ex(g->evp, type, NULL, key, NULL,
	    g->encrypt) != 1) {
		ERR_clear_error();
		r = ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	*gp = g;
	g = NULL;
	r = 0;
 out:
	aesgcm_free(g);
	return r;
}

/* RFC 5647 section 7.1: the invocation counter wraps within its 8 bytes. */
static void
aesgcm_next_iv(struct aesgcm_ctx *g)
{
	size_t i;

	for (i = AESGCM_IV_LEN; i > 4; i--) {
		if (++g->iv[i - 1] != 0)
			break;
	}
}

static int
aesgcm_run(struct aesgcm_ctx *g, const u_char *aad, size_t aadlen,
    u_char *data, size_t len, u_char *tag)
{
	u_char last[16];
	int outl = 0;

	if (!g->encrypt && EVP_CIPHER_CTX_ctrl(g->evp, EVP_CTRL_GCM_SET_TAG,
	    AESGCM_TAG_LEN, tag) != 1)
		return ERR_LIBCRYPTO_ERROR;
	if (aadlen != 0 && (EVP_CipherUpdate(g->evp, NULL, &outl, aad,
	    (int)aadlen) != 1 || outl != (int)aadlen))
		return ERR_LIBCRYPTO_ERROR;
	if (len != 0 && (EVP_CipherUpdate(g->evp, data, &outl, data,
	    (int)len) != 1 || outl != (int)len))
		return ERR_LIBCRYPTO_ERROR;
	/* GCM writes nothing here; when decrypting this checks the tag. */
	if (EVP_CipherFinal_ex(g->evp, last, &outl) != 1)
		return g->encrypt ? ERR_LIBCRYPTO_ERROR : ERR_MAC_INVALID;
	if (g->encrypt && EVP_CIPHER_CTX_ctrl(g->evp, EVP_CTRL_GCM_GET_TAG,
	    AESGCM_TAG_LEN, tag) != 1)
		return ERR_LIBCRYPTO_ERROR;
	return 0;
}

int
aesgcm_crypt(struct aesgcm_ctx *g, const u_char *aad, size_t aadlen,
    u_char *data, size_t len, u_char *tag)
{
	int r = ERR_INTERNAL;

	if (g == NULL || tag == NULL || (aad == NULL && aadlen != 0) ||
	    (data == NULL && len != 0) || aadlen > INT_MAX || len > INT_MAX)
		return ERR_INVALID_ARGUMENT;
	if (EVP_CipherInit_ex(g->evp, NULL, NULL, NULL, g->iv, -1) != 1) {
		ERR_clear_error();
		return ERR_LIBCRYPTO_ERROR;
	}
	/* An IV is used once whatever happens next. */
	aesgcm_next_iv(g);
	if ((r = aesgcm_run(g, aad, aadlen, data, len, tag)) != 0) {
		ERR_clear_error();
		/* Never leave unauthenticated plaintext behind. */
		if (!g->encrypt && len != 0)
			explicit_bzero(data, len);
		return r;
	}
	return 0;
}

void
aesgcm_get_iv(const struct aesgcm_ctx *g, u_char iv[AESGCM_IV_LEN])
{
	memcpy(iv, g->iv, AESGCM_IV_LEN);
}

void
aesgcm_free(struct aesgcm_ctx *g)
{
	if (g == NULL)
		return;
	EVP_CIPHER_CTX_free(g->evp);
	freezero(g, sizeof(*g));
}
