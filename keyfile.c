/*
 * keyfile.c: private and public key files (keyfile.h).
 *
 * The openssh-key-v1 format (OpenSSH's PROTOCOL.key) lives here; PEM and
 * PKCS#8 go through OpenSSL in keyfile-pem.c.  An openssh-key-v1 file is
 * the armored base64 of:
 *
 *	byte[]	"openssh-key-v1\0"
 *	string	ciphername		("none" when not encrypted)
 *	string	kdfname			("none" or "bcrypt")
 *	string	kdfoptions		(bcrypt: string salt, uint32 rounds)
 *	uint32	number of keys		(always 1)
 *	string	public key blob
 *	string	encrypted section	(a multiple of the cipher block)
 *	byte[]	AEAD tag		(aes-gcm and chacha20-poly1305 only)
 *
 * and the encrypted section, once decrypted, is
 *
 *	uint32	checkint		(random; the two must be equal)
 *	uint32	checkint
 *	private part			(key_private_serialize())
 *	string	comment
 *	byte[]	padding			1, 2, 3, ... to the cipher block size
 *
 * The cipher's key and IV come from bcrypt_pbkdf(passphrase, salt,
 * rounds).
 */
#include "includes.h"

#include <sys/stat.h>

#include <fcntl.h>

#include <openssl/evp.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "key.h"
#include "bcrypt_pbkdf.h"
#include "keyfile.h"

#define MARK_BEGIN	"-----BEGIN OPENSSH PRIVATE KEY-----"
#define MARK_END	"-----END OPENSSH PRIVATE KEY-----"
#define AUTH_MAGIC	"openssh-key-v1"	/* written with its NUL */
#define KDF_NONE	"none"
#define KDF_BCRYPT	"bcrypt"
#define KDF_SALT_LEN	16
#define CIPHER_NONE	"none"
#define MAX_KEYIV_LEN	80	/* the largest keylen + ivlen below */
#define MAX_AUTH_LEN	16

/* ------------------------------------------------------------ ciphers */

enum file_cipher_mode {
	FC_NONE,	/* no encryption */
	FC_EVP,		/* a plain OpenSSL stream or CBC cipher */
	FC_GCM,		/* aes-gcm@openssh.com: IV used as is, no AAD */
	FC_CHACHAPOLY	/* chacha20-poly1305@openssh.com, sequence 0 */
};

struct file_cipher {
	const char *name;
	size_t block;
	size_t keylen;
	size_t ivlen;
	size_t authlen;
	enum file_cipher_mode mode;
	const EVP_CIPHER *(*evp)(void);
};

/* The ciphers OpenSSH can encrypt key files with (ssh -Q cipher). */
static const struct file_cipher file_ciphers[] = {
	{ CIPHER_NONE, 8, 0, 0, 0, FC_NONE, NULL },
	{ "3des-cbc", 8, 24, 8, 0, FC_EVP, EVP_des_ede3_cbc },
	{ "aes128-cbc", 16, 16, 16, 0, FC_EVP, EVP_aes_128_cbc },
	{ "aes192-cbc", 16, 24, 16, 0, FC_EVP, EVP_aes_192_cbc },
	{ "aes256-cbc", 16, 32, 16, 0, FC_EVP, EVP_aes_256_cbc },
	{ "aes128-ctr", 16, 16, 16, 0, FC_EVP, EVP_aes_128_ctr },
	{ "aes192-ctr", 16, 24, 16, 0, FC_EVP, EVP_aes_192_ctr },
	{ "aes256-ctr", 16, 32, 16, 0, FC_EVP, EVP_aes_256_ctr },
	{ "aes128-gcm@openssh.com", 16, 16, 12, 16, FC_GCM, EVP_aes_128_gcm },
	{ "aes256-gcm@openssh.com", 16, 32, 12, 16, FC_GCM, EVP_aes_256_gcm },
	{ "chacha20-poly1305@openssh.com", 8, 64, 0, 16, FC_CHACHAPOLY,
	    NULL },
};

static const struct file_cipher *
cipher_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(file_ciphers) / sizeof(file_ciphers[0]); i++) {
		if (strcmp(file_ciphers[i].name, name) == 0)
			return &file_ciphers[i];
	}
	return NULL;
}

/* len bytes in -> out with an OpenSSL cipher; AEAD tag handled if gcm. */
static int
evp_crypt(const struct file_cipher *c, const u_char *key, const u_char *iv,
    const u_char *in, size_t len, u_char *out, u_char *tag, int encrypt)
{
	EVP_CIPHER_CTX *ctx = NULL;
	int outl = 0, finl = 0, r = ERR_LIBCRYPTO_ERROR;

	if (len > INT_MAX)
		return ERR_INVALID_ARGUMENT;
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if (EVP_CipherInit_ex(ctx, c->evp(), NULL, key, iv, encrypt) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1)
		goto out;
	if (c->mode == FC_GCM && !encrypt &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, (int)c->authlen,
	    tag) != 1)
		goto out;
	if (EVP_CipherUpdate(ctx, out, &outl, in, (int)len) != 1 ||
	    (size_t)outl != len)
		goto out;
	if (EVP_CipherFinal_ex(ctx, out, &finl) != 1) {
		/* For GCM a failed final is a tag mismatch. */
		r = c->mode == FC_GCM ? ERR_MAC_INVALID : ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	if (finl != 0)
		goto out;
	if (c->mode == FC_GCM && encrypt &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, (int)c->authlen,
	    tag) != 1)
		goto out;
	r = 0;
 out:
	EVP_CIPHER_CTX_free(ctx);
	return r;
}

/*
 * ChaCha20 (the original 64-bit nonce form OpenSSH uses) with nonce 0
 * from block counter ctr: OpenSSL's 16-byte IV is a 32-bit little-endian
 * counter then 96 nonce bits, which here hold the counter's high half
 * and the zero sequence number.
 */
static int
chacha_crypt(const u_char key[32], u_char ctr, const u_char *in,
    size_t len, u_char *out)
{
	EVP_CIPHER_CTX *ctx = NULL;
	u_char iv[16];
	int outl = 0, r = ERR_LIBCRYPTO_ERROR;

	if (len > INT_MAX)
		return ERR_INVALID_ARGUMENT;
	memset(iv, 0, sizeof(iv));
	iv[0] = ctr;
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if (EVP_EncryptInit_ex(ctx, EVP_chacha20(), NULL, key, iv) == 1 &&
	    EVP_EncryptUpdate(ctx, out, &outl, in, (int)len) == 1 &&
	    (size_t)outl == len)
		r = 0;
	EVP_CIPHER_CTX_free(ctx);
	return r;
}

static int
poly1305(const u_char key[32], const u_char *m, size_t len,
    u_char tag[MAX_AUTH_LEN])
{
	EVP_MAC *mac = NULL;
	EVP_MAC_CTX *ctx = NULL;
	size_t outl = 0;
	int r = ERR_LIBCRYPTO_ERROR;

	if ((mac = EVP_MAC_fetch(NULL, "POLY1305", NULL)) == NULL)
		goto out;
	if ((ctx = EVP_MAC_CTX_new(mac)) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if (EVP_MAC_init(ctx, key, 32, NULL) != 1 ||
	    EVP_MAC_update(ctx, m, len) != 1 ||
	    EVP_MAC_final(ctx, tag, &outl, MAX_AUTH_LEN) != 1 ||
	    outl != MAX_AUTH_LEN)
		goto out;
	r = 0;
 out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return r;
}

/*
 * chacha20-poly1305@openssh.com on a key file (sequence number 0, no
 * length field): the Poly1305 key is the keystream's first 32 bytes, the
 * data is enciphered from block 1, the tag covers the ciphertext.  Only
 * the first half of the 64-byte key (the "main" key) is used.
 */
static int
chachapoly_crypt(const u_char *key, const u_char *in, size_t len,
    u_char *out, u_char *tag, int encrypt)
{
	static const u_char zeros[32];
	u_char polykey[32], want[MAX_AUTH_LEN];
	int r = ERR_INTERNAL;

	if ((r = chacha_crypt(key, 0, zeros, sizeof(zeros), polykey)) != 0)
		goto out;
	if (!encrypt) {
		if ((r = poly1305(polykey, in, len, want)) != 0)
			goto out;
		if (timingsafe_bcmp(want, tag, sizeof(want)) != 0) {
			r = ERR_MAC_INVALID;
			goto out;
		}
	}
	if ((r = chacha_crypt(key, 1, in, len, out)) != 0)
		goto out;
	if (encrypt && (r = poly1305(polykey, out, len, tag)) != 0)
		goto out;
	r = 0;
 out:
	explicit_bzero(polykey, sizeof(polykey));
	explicit_bzero(want, sizeof(want));
	return r;
}

/*
 * Encrypt or decrypt len bytes from in to out with c, keyed by keyiv
 * (c->keylen key bytes then c->ivlen IV bytes).  AEAD ciphers write the
 * tag when encrypting and check it when decrypting (ERR_MAC_INVALID).
 */
static int
file_crypt(const struct file_cipher *c, const u_char *keyiv,
    const u_char *in, size_t len, u_char *out, u_char *tag, int encrypt)
{
	switch (c->mode) {
	case FC_NONE:
		memcpy(out, in, len);
		return 0;
	case FC_EVP:
	case FC_GCM:
		return evp_crypt(c, keyiv, keyiv + c->keylen, in, len, out,
		    tag, encrypt);
	case FC_CHACHAPOLY:
		return chachapoly_crypt(keyiv, in, len, out, tag, encrypt);
	}
	return ERR_INTERNAL;
}

/* ------------------------------------------------------------ armor */

static int
has_prefix(const struct buf *b, const char *s)
{
	size_t len = strlen(s);

	return buf_len(b) >= len && memcmp(buf_ptr(b), s, len) == 0;
}

/*
 * The decoded bytes between the armor lines.  Text after the end line is
 * ignored, as OpenSSH does.
 */
static int
openssh_unarmor(const struct buf *blob, struct buf **decodedp)
{
	struct buf *text = NULL, *decoded = NULL;
	char *b64 = NULL;
	size_t end = 0;
	int r = ERR_INTERNAL;

	*decodedp = NULL;
	if (!has_prefix(blob, MARK_BEGIN))
		return ERR_INVALID_FORMAT;
	if ((text = buf_new()) == NULL || (decoded = buf_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_putb(text, blob)) != 0 ||
	    (r = buf_consume(text, strlen(MARK_BEGIN))) != 0)
		goto out;
	if ((r = buf_find(text, 0, MARK_END, strlen(MARK_END), &end)) != 0) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	if ((r = buf_consume_end(text, buf_len(text) - end)) != 0)
		goto out;
	if ((b64 = buf_dup_string(text)) == NULL) {
		r = ERR_INVALID_FORMAT;		/* or out of memory */
		goto out;
	}
	if ((r = buf_b64tod(decoded, b64)) != 0)
		goto out;
	*decodedp = decoded;
	decoded = NULL;
	r = 0;
 out:
	if (b64 != NULL)
		freezero(b64, strlen(b64));
	buf_free(text);
	buf_free(decoded);
	return r;
}

/* ------------------------------------------------------------ header */

struct openssh_header {
	const struct file_cipher *cipher;
	char *kdfname;
	struct buf *kdfopts;
	struct key *pub;
};

static void
header_free(struct openssh_header *h)
{
	free(h->kdfname);
	buf_free(h->kdfopts);
	key_free(h->pub);
	memset(h, 0, sizeof(*h));
}

/*
 * Read everything before the encrypted section.  An unknown cipher is
 * ERR_KEY_UNKNOWN_CIPHER; the kdf must match it (none with none).
 */
static int
header_parse(struct buf *decoded, struct openssh_header *h)
{
	u_char magic[sizeof(AUTH_MAGIC)];
	char *ciphername = NULL;
	uint32_t nkeys;
	int r = ERR_INTERNAL;

	memset(h, 0, sizeof(*h));
	if ((r = buf_get(decoded, magic, sizeof(magic))) != 0)
		goto out;
	if (memcmp(magic, AUTH_MAGIC, sizeof(magic)) != 0) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	if ((r = buf_get_cstring(decoded, &ciphername, NULL)) != 0 ||
	    (r = buf_get_cstring(decoded, &h->kdfname, NULL)) != 0 ||
	    (r = buf_froms(decoded, &h->kdfopts)) != 0 ||
	    (r = buf_get_u32(decoded, &nkeys)) != 0)
		goto out;
	/* PROTOCOL.key allows a list, but only one key is ever written. */
	if (nkeys != 1) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	if ((r = key_froms(decoded, &h->pub)) != 0)
		goto out;
	if ((h->cipher = cipher_by_name(ciphername)) == NULL) {
		debug_f("unknown cipher \"%s\"", ciphername);
		r = ERR_KEY_UNKNOWN_CIPHER;
		goto out;
	}
	if (h->cipher->mode == FC_NONE) {
		if (strcmp(h->kdfname, KDF_NONE) != 0 ||
		    buf_len(h->kdfopts) != 0) {
			r = ERR_INVALID_FORMAT;
			goto out;
		}
	} else if (strcmp(h->kdfname, KDF_BCRYPT) != 0) {
		debug_f("unknown kdf \"%s\"", h->kdfname);
		r = ERR_KEY_UNKNOWN_CIPHER;
		goto out;
	}
	r = 0;
 out:
	free(ciphername);
	if (r != 0)
		header_free(h);
	return r;
}

/* ------------------------------------------------------------ reading */

/* bcrypt_pbkdf over the kdfoptions: string salt, uint32 rounds. */
static int
kdf_derive(struct buf *kdfopts, const char *passphrase, u_char *out,
    size_t outlen)
{
	const u_char *salt = NULL;
	size_t saltlen = 0;
	uint32_t rounds = 0;
	int r = ERR_INTERNAL;

	if ((r = buf_get_string_direct(kdfopts, &salt, &saltlen)) != 0 ||
	    (r = buf_get_u32(kdfopts, &rounds)) != 0)
		return r;
	if (buf_len(kdfopts) != 0)
		return ERR_UNEXPECTED_TRAILING_DATA;
	if (saltlen == 0 || saltlen > BCRYPT_PBKDF_MAX_SALT || rounds == 0)
		return ERR_INVALID_FORMAT;
	if ((r = bcrypt_pbkdf(passphrase, strlen(passphrase), salt, saltlen,
	    out, outlen, rounds)) != 0)
		return r;
	return 0;
}

/*
 * Read the encrypted section (and tag) that ends the file and decrypt it
 * into a new buffer *privp.  A failed tag is a wrong passphrase.
 */
static int
section_decrypt(struct buf *decoded, struct openssh_header *h,
    const char *passphrase, struct buf **privp)
{
	const struct file_cipher *c = h->cipher;
	struct buf *enc = NULL, *priv = NULL;
	u_char keyiv[MAX_KEYIV_LEN], tag[MAX_AUTH_LEN], *p = NULL;
	size_t len;
	int r = ERR_INTERNAL;

	*privp = NULL;
	memset(keyiv, 0, sizeof(keyiv));
	if ((r = buf_froms(decoded, &enc)) != 0 ||
	    (r = buf_get(decoded, tag, c->authlen)) != 0)
		goto out;
	if (buf_len(decoded) != 0) {
		r = ERR_UNEXPECTED_TRAILING_DATA;
		goto out;
	}
	len = buf_len(enc);
	if (len < c->block || len % c->block != 0) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	if (c->mode != FC_NONE) {
		if (passphrase == NULL || *passphrase == '\0') {
			r = ERR_KEY_WRONG_PASSPHRASE;
			goto out;
		}
		if ((r = kdf_derive(h->kdfopts, passphrase, keyiv,
		    c->keylen + c->ivlen)) != 0)
			goto out;
	}
	if ((priv = buf_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_reserve(priv, len, &p)) != 0)
		goto out;
	if ((r = file_crypt(c, keyiv, buf_ptr(enc), len, p, tag, 0)) != 0) {
		if (r == ERR_MAC_INVALID)
			r = ERR_KEY_WRONG_PASSPHRASE;
		goto out;
	}
	*privp = priv;
	priv = NULL;
	r = 0;
 out:
	explicit_bzero(keyiv, sizeof(keyiv));
	buf_free(enc);
	buf_free(priv);
	return r;
}

/* The decrypted section: checkints, private part, comment, padding. */
static int
section_parse(struct buf *priv, struct key **kp, char **commentp)
{
	struct key *k = NULL;
	char *comment = NULL;
	uint32_t check1, check2;
	uint8_t pad;
	size_t i;
	int r = ERR_INTERNAL;

	*kp = NULL;
	*commentp = NULL;
	if ((r = buf_get_u32(priv, &check1)) != 0 ||
	    (r = buf_get_u32(priv, &check2)) != 0)
		goto out;
	if (check1 != check2) {
		r = ERR_KEY_WRONG_PASSPHRASE;
		goto out;
	}
	if ((r = key_private_deserialize(priv, &k)) != 0 ||
	    (r = buf_get_cstring(priv, &comment, NULL)) != 0)
		goto out;
	for (i = 1; buf_len(priv) > 0; i++) {
		if ((r = buf_get_u8(priv, &pad)) != 0)
			goto out;
		if (pad != (i & 0xff)) {
			r = ERR_INVALID_FORMAT;
			goto out;
		}
	}
	*kp = k;
	*commentp = comment;
	k = NULL;
	comment = NULL;
	r = 0;
 out:
	key_free(k);
	free(comment);
	return r;
}

static int
openssh_parse(const struct buf *blob, const char *passphrase,
    struct key **kp, char **commentp)
{
	struct openssh_header h;
	struct buf *decoded = NULL, *priv = NULL;
	struct key *k = NULL;
	char *comment = NULL;
	int r = ERR_INTERNAL;

	memset(&h, 0, sizeof(h));
	if ((r = openssh_unarmor(blob, &decoded)) != 0 ||
	    (r = header_parse(decoded, &h)) != 0 ||
	    (r = section_decrypt(decoded, &h, passphrase, &priv)) != 0 ||
	    (r = section_parse(priv, &k, &comment)) != 0)
		goto out;
	/* The clear public key must be the encrypted key's. */
	if (!key_equal_public(h.pub, k)) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	*kp = k;
	k = NULL;
	if (commentp != NULL) {
		*commentp = comment;
		comment = NULL;
	}
	r = 0;
 out:
	header_free(&h);
	buf_free(decoded);
	buf_free(priv);
	key_free(k);
	if (comment != NULL)
		freezero(comment, strlen(comment));
	return r;
}

/* The public key in an openssh-key-v1 file's clear header. */
static int
openssh_parse_public(const struct buf *blob, struct key **kp)
{
	struct openssh_header h;
	struct buf *decoded = NULL;
	int r = ERR_INTERNAL;

	memset(&h, 0, sizeof(h));
	if ((r = openssh_unarmor(blob, &decoded)) != 0 ||
	    (r = header_parse(decoded, &h)) != 0)
		goto out;
	*kp = h.pub;
	h.pub = NULL;
	r = 0;
 out:
	header_free(&h);
	buf_free(decoded);
	return r;
}

int
keyfile_parse_private(const struct buf *blob, const char *passphrase,
    struct key **kp, char **commentp)
{
	if (kp != NULL)
		*kp = NULL;
	if (commentp != NULL)
		*commentp = NULL;
	if (blob == NULL || kp == NULL)
		return ERR_INVALID_ARGUMENT;
	if (has_prefix(blob, MARK_BEGIN))
		return openssh_parse(blob, passphrase, kp, commentp);
	return keyfile_pem_parse(blob, passphrase, kp);
}

int
keyfile_is_encrypted(const struct buf *blob)
{
	struct openssh_header h;
	struct buf *decoded = NULL;
	int ret = 0;

	if (blob == NULL)
		return 0;
	if (!has_prefix(blob, MARK_BEGIN))
		return keyfile_pem_is_encrypted(blob);
	memset(&h, 0, sizeof(h));
	if (openssh_unarmor(blob, &decoded) == 0 &&
	    header_parse(decoded, &h) == 0)
		ret = h.cipher->mode != FC_NONE;
	header_free(&h);
	buf_free(decoded);
	return ret;
}

/* ------------------------------------------------------------ writing */

/* The clear section: checkints, private part, comment, padding. */
static int
section_build(const struct key *k, const char *comment, size_t block,
    struct buf *priv)
{
	uint32_t check = arc4random();
	size_t i;
	int r;

	if ((r = buf_put_u32(priv, check)) != 0 ||
	    (r = buf_put_u32(priv, check)) != 0 ||
	    (r = key_private_serialize(k, priv)) != 0 ||
	    (r = buf_put_cstring(priv, comment != NULL ? comment : "")) != 0)
		return r;
	for (i = 1; buf_len(priv) % block != 0; i++) {
		if ((r = buf_put_u8(priv, (uint8_t)(i & 0xff))) != 0)
			return r;
	}
	return 0;
}

/* kdfoptions for a new file, and the key + IV they give. */
static int
kdf_new(const struct file_cipher *c, const char *passphrase,
    unsigned int rounds, struct buf *kdfopts, u_char *keyiv)
{
	u_char salt[KDF_SALT_LEN];
	int r;

	if (c->mode == FC_NONE)
		return 0;
	arc4random_buf(salt, sizeof(salt));
	if ((r = buf_put_string(kdfopts, salt, sizeof(salt))) != 0 ||
	    (r = buf_put_u32(kdfopts, rounds)) != 0)
		return r;
	return bcrypt_pbkdf(passphrase, strlen(passphrase), salt,
	    sizeof(salt), keyiv, c->keylen + c->ivlen, rounds);
}

/* The armored text: marker lines around 70-column base64. */
static int
openssh_armor(const struct buf *raw, struct buf *out)
{
	int r;

	if ((r = buf_put(out, MARK_BEGIN "\n", strlen(MARK_BEGIN) + 1)) != 0 ||
	    (r = buf_dtob64(raw, out, 1)) != 0 ||
	    (r = buf_put(out, MARK_END "\n", strlen(MARK_END) + 1)) != 0)
		return r;
	return 0;
}

static int
openssh_format(const struct key *k, struct buf *out, const char *passphrase,
    const char *comment, const char *ciphername, int rounds)
{
	const struct file_cipher *c;
	struct buf *enc = NULL, *kdfopts = NULL, *priv = NULL;
	u_char keyiv[MAX_KEYIV_LEN], tag[MAX_AUTH_LEN], *p = NULL;
	int encrypt = passphrase != NULL && *passphrase != '\0';
	int r = ERR_INTERNAL;

	memset(keyiv, 0, sizeof(keyiv));
	if (ciphername == NULL)
		ciphername = KEYFILE_DEFAULT_CIPHER;
	if (rounds == 0)
		rounds = KEYFILE_DEFAULT_ROUNDS;
	if ((c = cipher_by_name(encrypt ? ciphername : CIPHER_NONE)) == NULL)
		return ERR_KEY_UNKNOWN_CIPHER;
	if (rounds < 0 || (encrypt && c->mode == FC_NONE))
		return ERR_INVALID_ARGUMENT;
	if ((enc = buf_new()) == NULL || (kdfopts = buf_new()) == NULL ||
	    (priv = buf_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = kdf_new(c, passphrase, (unsigned int)rounds, kdfopts,
	    keyiv)) != 0 ||
	    (r = section_build(k, comment, c->block, priv)) != 0)
		goto out;
	if ((r = buf_put(enc, AUTH_MAGIC, sizeof(AUTH_MAGIC))) != 0 ||
	    (r = buf_put_cstring(enc, c->name)) != 0 ||
	    (r = buf_put_cstring(enc, encrypt ? KDF_BCRYPT : KDF_NONE)) != 0 ||
	    (r = buf_put_stringb(enc, kdfopts)) != 0 ||
	    (r = buf_put_u32(enc, 1)) != 0 ||
	    (r = key_puts(k, enc)) != 0 ||
	    (r = buf_put_u32(enc, (uint32_t)buf_len(priv))) != 0 ||
	    (r = buf_reserve(enc, buf_len(priv), &p)) != 0)
		goto out;
	if ((r = file_crypt(c, keyiv, buf_ptr(priv), buf_len(priv), p, tag,
	    1)) != 0 ||
	    (r = buf_put(enc, tag, c->authlen)) != 0 ||
	    (r = openssh_armor(enc, out)) != 0)
		goto out;
	r = 0;
 out:
	explicit_bzero(keyiv, sizeof(keyiv));
	buf_free(enc);
	buf_free(kdfopts);
	buf_free(priv);
	return r;
}

int
keyfile_format_private(const struct key *k, struct buf *out,
    const char *passphrase, const char *comment, enum keyfile_format format,
    const char *cipher, int rounds)
{
	if (k == NULL || out == NULL)
		return ERR_INVALID_ARGUMENT;
	if (!key_is_private(k))
		return ERR_INVALID_ARGUMENT;
	switch (format) {
	case KEYFILE_FORMAT_OPENSSH:
		return openssh_format(k, out, passphrase, comment, cipher,
		    rounds);
	case KEYFILE_FORMAT_PEM:
	case KEYFILE_FORMAT_PKCS8:
		return keyfile_pem_format(k, out, passphrase, format);
	}
	return ERR_INVALID_ARGUMENT;
}

int
keyfile_save_private(const char *path, const struct key *k,
    const char *passphrase, const char *comment, enum keyfile_format format,
    const char *cipher, int rounds)
{
	struct buf *b = NULL;
	int r = ERR_INTERNAL;

	if (path == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((b = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = keyfile_format_private(k, b, passphrase, comment, format,
	    cipher, rounds)) != 0)
		goto out;
	r = buf_write_file(path, b, 0600);
 out:
	buf_free(b);
	return r;
}

/* ------------------------------------------------------------ files */

int
keyfile_check_perm(int fd, const char *path)
{
	struct stat st;

	if (fstat(fd, &st) == -1)
		return ERR_ERRNO;
	/*
	 * Only the owner's own files are checked: a key owned by someone
	 * else (root's host keys read by a user, say) is that owner's
	 * business, as in OpenSSH.
	 */
	if (st.st_uid != getuid() || (st.st_mode & 077) == 0)
		return 0;
	error("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
	error("@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @");
	error("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
	error("Permissions 0%3.3o for '%s' are too open.",
	    (unsigned int)(st.st_mode & 0777), path);
	error("It is required that your private key files are NOT "
	    "accessible by others.");
	error("This private key will be ignored.");
	return ERR_KEY_BAD_PERMISSIONS;
}

int
keyfile_load_private(const char *path, const char *passphrase,
    struct key **kp, char **commentp)
{
	struct buf *b = NULL;
	int fd, r = ERR_INTERNAL, saved_errno;

	if (kp != NULL)
		*kp = NULL;
	if (commentp != NULL)
		*commentp = NULL;
	if (path == NULL || kp == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC)) == -1)
		return ERR_ERRNO;
	if ((r = keyfile_check_perm(fd, path)) != 0 ||
	    (r = buf_load_fd(fd, &b)) != 0)
		goto out;
	r = keyfile_parse_private(b, passphrase, kp, commentp);
 out:
	saved_errno = errno;
	close(fd);
	buf_free(b);
	errno = saved_errno;
	return r;
}

/*
 * The first line of a public key file that parses as a key ("type
 * base64 comment"); blank lines and # comments are skipped.
 */
static int
parse_public_lines(const struct buf *b, struct key **kp, char **commentp)
{
	char *text = NULL, *cp, *line;
	size_t len = buf_len(b);
	int r = ERR_INVALID_FORMAT;

	/* This may be a clear private key file: wipe the copy after. */
	if ((text = buf_dup_string(b)) == NULL)
		return ERR_INVALID_FORMAT;
	cp = text;
	while ((line = strsep(&cp, "\n")) != NULL) {
		line[strcspn(line, "\r")] = '\0';
		line += strspn(line, " \t");
		if (*line == '\0' || *line == '#')
			continue;
		if ((r = key_read_public_line(line, kp, commentp,
		    NULL)) == 0)
			break;
	}
	freezero(text, len + 1);
	return r;
}

static int
load_public_file(const char *path, struct key **kp, char **commentp)
{
	struct buf *b = NULL;
	int r;

	if ((r = buf_load_file(path, &b)) != 0)
		return r;
	r = parse_public_lines(b, kp, commentp);
	buf_free(b);
	return r;
}

int
keyfile_load_public(const char *path, struct key **kp, char **commentp)
{
	struct buf *b = NULL;
	char *pubpath = NULL;
	int r = ERR_INTERNAL;

	if (kp != NULL)
		*kp = NULL;
	if (commentp != NULL)
		*commentp = NULL;
	if (path == NULL || kp == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((r = load_public_file(path, kp, commentp)) == 0)
		return 0;
	if (asprintf(&pubpath, "%s.pub", path) == -1)
		return ERR_ALLOC_FAIL;
	if ((r = load_public_file(pubpath, kp, commentp)) == 0)
		goto out;
	/* Last, the clear header of an openssh-key-v1 private key. */
	if ((r = buf_load_file(path, &b)) != 0)
		goto out;
	if ((r = openssh_parse_public(b, kp)) != 0)
		goto out;
	r = 0;
 out:
	free(pubpath);
	buf_free(b);
	return r;
}

int
keyfile_save_public(const char *path, const struct key *k,
    const char *comment)
{
	struct buf *b = NULL;
	char *line = NULL;
	int r = ERR_INTERNAL;

	if (path == NULL || k == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((b = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = key_format_public(k, &line)) != 0)
		goto out;
	if (comment != NULL && *comment != '\0')
		r = buf_putf(b, "%s %s\n", line, comment);
	else
		r = buf_putf(b, "%s\n", line);
	if (r != 0)
		goto out;
	r = buf_write_file(path, b, 0644);
 out:
	free(line);
	buf_free(b);
	return r;
}
