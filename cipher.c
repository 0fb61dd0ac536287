/*
 * cipher.c: the table of transport ciphers and one interface over them
 * (cipher.h).  AES-CTR (RFC 4344) is here; the AEAD constructions are in
 * cipher-chachapoly.c and cipher-aesgcm.c.
 */
#include "includes.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include "cipher.h"
#include "cipher-impl.h"
#include "errcode.h"

enum cipher_kind {
	CIPHER_KIND_NONE,
	CIPHER_KIND_AESCTR,
	CIPHER_KIND_AESGCM,
	CIPHER_KIND_CHACHAPOLY
};

#define CFLAG_AEAD	0x01	/* authenticates: no MAC */
#define CFLAG_SEALED	0x02	/* the length field has its own key */
#define CFLAG_INTERNAL	0x04	/* never in a configured list */

struct cipher {
	const char *name;
	enum cipher_kind kind;
	size_t key_len;
	size_t iv_len;
	size_t block_size;
	size_t tag_len;
	u_int flags;
	const EVP_CIPHER *(*evp)(void);		/* AES-CTR only */
};

/* In the order `ssh -Q cipher` lists them. */
static const struct cipher ciphers[] = {
	{ "aes128-ctr", CIPHER_KIND_AESCTR, 16, 16, 16, 0, 0,
	    EVP_aes_128_ctr },
	{ "aes192-ctr", CIPHER_KIND_AESCTR, 24, 16, 16, 0, 0,
	    EVP_aes_192_ctr },
	{ "aes256-ctr", CIPHER_KIND_AESCTR, 32, 16, 16, 0, 0,
	    EVP_aes_256_ctr },
	{ "aes128-gcm@openssh.com", CIPHER_KIND_AESGCM, 16, AESGCM_IV_LEN,
	    16, AESGCM_TAG_LEN, CFLAG_AEAD, NULL },
	{ "aes256-gcm@openssh.com", CIPHER_KIND_AESGCM, 32, AESGCM_IV_LEN,
	    16, AESGCM_TAG_LEN, CFLAG_AEAD, NULL },
	{ "chacha20-poly1305@openssh.com", CIPHER_KIND_CHACHAPOLY,
	    CHACHAPOLY_KEY_LEN, 0, 8, CHACHAPOLY_TAG_LEN,
	    CFLAG_AEAD | CFLAG_SEALED, NULL },
	{ "none", CIPHER_KIND_NONE, 0, 0, 8, 0, CFLAG_INTERNAL, NULL },
};
#define NCIPHERS	(sizeof(ciphers) / sizeof(ciphers[0]))

struct cipher_ctx {
	const struct cipher *cipher;
	int encrypt;
	EVP_CIPHER_CTX *evp;			/* AES-CTR */
	struct aesgcm_ctx *gcm;
	struct chachapoly_ctx *chachapoly;
};

/* ------------------------------------------------------------ algorithms */

const struct cipher *
cipher_by_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < NCIPHERS; i++) {
		if (strcmp(name, ciphers[i].name) == 0)
			return &ciphers[i];
	}
	return NULL;
}

const char *
cipher_name(const struct cipher *c)
{
	return c == NULL ? NULL : c->name;
}

size_t
cipher_key_len(const struct cipher *c)
{
	return c == NULL ? 0 : c->key_len;
}

size_t
cipher_iv_len(const struct cipher *c)
{
	return c == NULL ? 0 : c->iv_len;
}

size_t
cipher_block_size(const struct cipher *c)
{
	return c == NULL ? 0 : c->block_size;
}

size_t
cipher_tag_len(const struct cipher *c)
{
	return c == NULL ? 0 : c->tag_len;
}

int
cipher_is_aead(const struct cipher *c)
{
	return c != NULL && (c->flags & CFLAG_AEAD) != 0;
}

int
cipher_has_sealed_length(const struct cipher *c)
{
	return c != NULL && (c->flags & CFLAG_SEALED) != 0;
}

int
cipher_list_is_valid(const char *names)
{
	const struct cipher *c;
	char *copy, *cp, *name;
	int ok = 1;

	if (names == NULL || *names == '\0' || (copy = strdup(names)) == NULL)
		return 0;
	cp = copy;
	while (ok && (name = strsep(&cp, ",")) != NULL) {
		c = cipher_by_name(name);
		if (c == NULL || (c->flags & CFLAG_INTERNAL) != 0)
			ok = 0;
	}
	free(copy);
	return ok;
}

char *
cipher_alg_list(char sep)
{
	char *list, sepstr[2] = { sep, '\0' };
	size_t i, len = 1;

	for (i = 0; i < NCIPHERS; i++)
		len += strlen(ciphers[i].name) + 1;
	if ((list = calloc(1, len)) == NULL)
		return NULL;
	for (i = 0; i < NCIPHERS; i++) {
		if ((ciphers[i].flags & CFLAG_INTERNAL) != 0)
			continue;
		if (*list != '\0')
			strlcat(list, sepstr, len);
		strlcat(list, ciphers[i].name, len);
	}
	return list;
}

/* ------------------------------------------------------------ AES-CTR */

static int
aesctr_init(struct cipher_ctx *cc, const u_char *key, const u_char *iv)
{
	if ((cc->evp = EVP_CIPHER_CTX_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if (EVP_CipherInit_ex(cc->evp, cc->cipher->evp(), NULL, key, iv,
	    cc->encrypt) != 1) {
		ERR_clear_error();
		return ERR_LIBCRYPTO_ERROR;
	}
	return 0;
}

/* The counter carries on from the previous packet (RFC 4344 section 4). */
static int
aesctr_crypt(struct cipher_ctx *cc, u_char *body, size_t bodylen)
{
	int outl = 0;

	if (bodylen == 0)
		return 0;
	if (EVP_CipherUpdate(cc->evp, body, &outl, body, (int)bodylen) != 1 ||
	    outl != (int)bodylen) {
		ERR_clear_error();
		return ERR_LIBCRYPTO_ERROR;
	}
	return 0;
}

/* ------------------------------------------------------------ contexts */

static int
cipher_ctx_setup(struct cipher_ctx *cc, const u_char *key, size_t keylen,
    const u_char *iv, size_t ivlen)
{
	switch (cc->cipher->kind) {
	case CIPHER_KIND_NONE:
		return 0;
	case CIPHER_KIND_AESCTR:
		return aesctr_init(cc, key, iv);
	case CIPHER_KIND_AESGCM:
		return aesgcm_init(&cc->gcm, key, keylen, iv, ivlen,
		    cc->encrypt);
	case CIPHER_KIND_CHACHAPOLY:
		return chachapoly_init(&cc->chachapoly, key, keylen);
	}
	return ERR_INTERNAL;
}

int
cipher_init(struct cipher_ctx **ccp, const struct cipher *c,
    const u_char *key, size_t keylen, const u_char *iv, size_t ivlen,
    int direction)
{
	struct cipher_ctx *cc = NULL;
	int r = ERR_INTERNAL;

	if (ccp == NULL)
		return ERR_INVALID_ARGUMENT;
	*ccp = NULL;
	if (c == NULL || (direction != CIPHER_ENCRYPT &&
	    direction != CIPHER_DECRYPT))
		return ERR_INVALID_ARGUMENT;
	if (keylen != c->key_len || (key == NULL && keylen != 0) ||
	    ivlen != c->iv_len || (iv == NULL && ivlen != 0))
		return ERR_INVALID_ARGUMENT;
	if ((cc = calloc(1, sizeof(*cc))) == NULL)
		return ERR_ALLOC_FAIL;
	cc->cipher = c;
	cc->encrypt = direction == CIPHER_ENCRYPT;
	if ((r = cipher_ctx_setup(cc, key, keylen, iv, ivlen)) != 0)
		goto out;
	*ccp = cc;
	cc = NULL;
	r = 0;
 out:
	cipher_free(cc);
	return r;
}

/* The arguments of cipher_crypt() fit the cipher (see cipher.h). */
static int
crypt_args_ok(const struct cipher *c, const u_char *lenfield,
    const u_char *body, size_t bodylen, const u_char *tag, size_t taglen)
{
	if ((body == NULL && bodylen != 0) || bodylen > CIPHER_MAX_LEN ||
	    bodylen % c->block_size != 0)
		return 0;
	if (taglen != c->tag_len || (tag == NULL) != (taglen == 0))
		return 0;
	if ((c->flags & CFLAG_AEAD) != 0 && lenfield == NULL)
		return 0;
	return 1;
}

int
cipher_crypt(struct cipher_ctx *cc, uint32_t seqnr, u_char *lenfield,
    u_char *body, size_t bodylen, u_char *tag, size_t taglen)
{
	if (cc == NULL || !crypt_args_ok(cc->cipher, lenfield, body, bodylen,
	    tag, taglen))
		return ERR_INVALID_ARGUMENT;
	switch (cc->cipher->kind) {
	case CIPHER_KIND_NONE:
		return 0;
	case CIPHER_KIND_AESCTR:
		/* A length field passed here is sent in the clear (EtM). */
		return aesctr_crypt(cc, body, bodylen);
	case CIPHER_KIND_AESGCM:
		return aesgcm_crypt(cc->gcm, lenfield, CIPHER_LENFIELD_LEN,
		    body, bodylen, tag);
	case CIPHER_KIND_CHACHAPOLY:
		return chachapoly_crypt(cc->chachapoly, seqnr, lenfield, body,
		    bodylen, tag, cc->encrypt);
	}
	return ERR_INTERNAL;
}

int
cipher_get_length(struct cipher_ctx *cc, uint32_t seqnr, const u_char *p,
    size_t len, uint32_t *plenp)
{
	if (plenp != NULL)
		*plenp = 0;
	if (cc == NULL || p == NULL || plenp == NULL)
		return ERR_INVALID_ARGUMENT;
	if (len < CIPHER_LENFIELD_LEN)
		return ERR_MESSAGE_INCOMPLETE;
	if (cc->cipher->kind == CIPHER_KIND_CHACHAPOLY)
		return chachapoly_get_length(cc->chachapoly, seqnr, p, plenp);
	*plenp = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
	return 0;
}

int
cipher_get_iv(const struct cipher_ctx *cc, u_char *iv, size_t ivlen)
{
	if (cc == NULL || ivlen != cc->cipher->iv_len ||
	    (iv == NULL && ivlen != 0))
		return ERR_INVALID_ARGUMENT;
	switch (cc->cipher->kind) {
	case CIPHER_KIND_NONE:
	case CIPHER_KIND_CHACHAPOLY:
		return 0;
	case CIPHER_KIND_AESCTR:
		/* Packets are whole blocks, so this is the next counter. */
		if (EVP_CIPHER_CTX_get_updated_iv(cc->evp, iv, ivlen) != 1) {
			ERR_clear_error();
			return ERR_LIBCRYPTO_ERROR;
		}
		return 0;
	case CIPHER_KIND_AESGCM:
		aesgcm_get_iv(cc->gcm, iv);
		return 0;
	}
	return ERR_INTERNAL;
}

const struct cipher *
cipher_ctx_cipher(const struct cipher_ctx *cc)
{
	return cc == NULL ? NULL : cc->cipher;
}

int
cipher_ctx_is_encrypt(const struct cipher_ctx *cc)
{
	return cc != NULL && cc->encrypt;
}

void
cipher_free(struct cipher_ctx *cc)
{
	if (cc == NULL)
		return;
	EVP_CIPHER_CTX_free(cc->evp);
	aesgcm_free(cc->gcm);
	chachapoly_free(cc->chachapoly);
	freezero(cc, sizeof(*cc));
}
