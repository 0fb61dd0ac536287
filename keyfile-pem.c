/*
 * keyfile-pem.c: PEM (PKCS#1 RSA, SEC1 EC) and PKCS#8 private key files,
 * read and written through OpenSSL (keyfile.h).
 *
 * OpenSSL does the parsing; we make sure it never prompts on a terminal
 * (a passphrase callback is always given), pass the key through the key
 * module's own checks (see canonical_copy()), and tell a wrong passphrase from a damaged
 * file as far as the formats allow: if the armor and the outer,
 * unencrypted structure are sound and decryption still fails, the
 * passphrase is taken to be wrong (legacy PEM encryption has no MAC, so
 * corrupt ciphertext looks the same).
 */
#include "includes.h"

#include <openssl/bio.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "key.h"
#include "keyfile.h"

#define PEM_PKCS8_ENC_BEGIN	"-----BEGIN ENCRYPTED PRIVATE KEY-----"
#define PEM_PROC_ENCRYPTED	"Proc-Type: 4,ENCRYPTED"
#define PEM_WRITE_CIPHER	"AES-256-CBC"

static int
has_string(const struct buf *b, const char *s)
{
	size_t off;

	return buf_find(b, 0, s, strlen(s), &off) == 0;
}

int
keyfile_pem_is_encrypted(const struct buf *blob)
{
	if (blob == NULL)
		return 0;
	return has_string(blob, PEM_PKCS8_ENC_BEGIN) ||
	    has_string(blob, PEM_PROC_ENCRYPTED);
}

/* Hands OpenSSL the passphrase; fails rather than prompting. */
static int
passphrase_cb(char *out, int size, int rwflag, void *ctx)
{
	const char *pass = ctx;
	size_t len;

	(void)rwflag;
	if (pass == NULL || *pass == '\0' || size <= 0)
		return -1;
	if ((len = strlen(pass)) > (size_t)size)
		return -1;
	memcpy(out, pass, len);
	return (int)len;
}

static BIO *
bio_over(const struct buf *b)
{
	if (buf_len(b) > INT_MAX)
		return NULL;
	return BIO_new_mem_buf(buf_ptr(b), (int)buf_len(b));
}

/*
 * Decoding an encrypted file failed: if its armor and clear structure
 * (PKCS#8's EncryptedPrivateKeyInfo, or PEM's DEK-Info header) are
 * sound, only the decryption can have failed.
 */
static int
encrypted_failure(const struct buf *blob)
{
	BIO *bio = NULL;
	char *name = NULL, *header = NULL;
	u_char *data = NULL;
	const u_char *p;
	long len = 0;
	X509_SIG *p8 = NULL;
	EVP_CIPHER_INFO info;
	int r = ERR_INVALID_FORMAT;

	if ((bio = bio_over(blob)) == NULL)
		return ERR_ALLOC_FAIL;
	if (PEM_read_bio(bio, &name, &header, &data, &len) != 1)
		goto out;
	if (strcmp(name, PEM_STRING_PKCS8) == 0) {
		p = data;
		if ((p8 = d2i_X509_SIG(NULL, &p, len)) != NULL)
			r = ERR_KEY_WRONG_PASSPHRASE;
	} else if (PEM_get_EVP_CIPHER_INFO(header, &info) == 1 &&
	    info.cipher != NULL)
		r = ERR_KEY_WRONG_PASSPHRASE;
 out:
	X509_SIG_free(p8);
	OPENSSL_free(name);
	OPENSSL_free(header);
	OPENSSL_free(data);
	BIO_free(bio);
	return r;
}

/*
 * Rebuild k from its own private part through the key module, which
 * checks that the halves belong together (RSA: p*q == n, iqmp, e*d;
 * EC: d*G == Q; Ed25519: the seed gives the public key) and recomputes
 * what it does not store (RSA's CRT exponents), so that damaged or
 * inconsistent values in the file are refused or dropped, never used.
 * (OpenSSL's own pairwise check would also test RSA primes, which is
 * far slower.)
 */
static int
canonical_copy(const struct key *k, struct key **kp)
{
	struct buf *b = NULL;
	int r = ERR_INTERNAL;

	*kp = NULL;
	if ((b = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = key_private_serialize(k, b)) != 0 ||
	    (r = key_private_deserialize(b, kp)) != 0)
		goto out;
	if (buf_len(b) != 0) {
		key_free(*kp);
		*kp = NULL;
		r = ERR_INTERNAL;
		goto out;
	}
	r = 0;
 out:
	buf_free(b);
	return r;
}

int
keyfile_pem_parse(const struct buf *blob, const char *passphrase,
    struct key **kp)
{
	BIO *bio = NULL;
	EVP_PKEY *pkey = NULL;
	struct key *k0 = NULL, *k = NULL;
	int encrypted, r = ERR_INTERNAL;

	if (kp != NULL)
		*kp = NULL;
	if (blob == NULL || kp == NULL)
		return ERR_INVALID_ARGUMENT;
	encrypted = keyfile_pem_is_encrypted(blob);
	if (encrypted && (passphrase == NULL || *passphrase == '\0'))
		return ERR_KEY_WRONG_PASSPHRASE;
	if ((bio = bio_over(blob)) == NULL)
		return ERR_ALLOC_FAIL;
	ERR_clear_error();
	pkey = PEM_read_bio_PrivateKey_ex(bio, NULL, passphrase_cb,
	    (void *)passphrase, NULL, NULL);
	if (pkey == NULL) {
		r = encrypted ? encrypted_failure(blob) : ERR_INVALID_FORMAT;
		goto out;
	}
	if ((r = key_from_evp(pkey, &k0)) != 0)
		goto out;
	if (!key_is_private(k0)) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	if ((r = canonical_copy(k0, &k)) != 0) {
		if (r != ERR_ALLOC_FAIL)
			r = ERR_INVALID_FORMAT;
		goto out;
	}
	*kp = k;
	r = 0;
 out:
	ERR_clear_error();
	key_free(k0);
	EVP_PKEY_free(pkey);
	BIO_free(bio);
	return r;
}

int
keyfile_pem_format(const struct key *k, struct buf *out,
    const char *passphrase, enum keyfile_format format)
{
	OSSL_ENCODER_CTX *ctx = NULL;
	const char *structure;
	u_char *data = NULL;
	size_t len = 0;
	int encrypt = passphrase != NULL && *passphrase != '\0';
	int r = ERR_LIBCRYPTO_ERROR;

	if (k == NULL || out == NULL || !key_is_private(k) ||
	    (format != KEYFILE_FORMAT_PEM && format != KEYFILE_FORMAT_PKCS8))
		return ERR_INVALID_ARGUMENT;
	/* Ed25519 has no traditional PEM form: PKCS#8 for it too. */
	if (format == KEYFILE_FORMAT_PEM && key_type(k) != KEY_ED25519)
		structure = "type-specific";
	else
		structure = encrypt ? "EncryptedPrivateKeyInfo" :
		    "PrivateKeyInfo";
	ctx = OSSL_ENCODER_CTX_new_for_pkey(key_evp(k), EVP_PKEY_KEYPAIR,
	    "PEM", structure, NULL);
	if (ctx == NULL || OSSL_ENCODER_CTX_get_num_encoders(ctx) == 0)
		goto out;
	if (encrypt &&
	    (OSSL_ENCODER_CTX_set_cipher(ctx, PEM_WRITE_CIPHER, NULL) != 1 ||
	    OSSL_ENCODER_CTX_set_passphrase(ctx, (const u_char *)passphrase,
	    strlen(passphrase)) != 1))
		goto out;
	if (OSSL_ENCODER_to_data(ctx, &data, &len) != 1 || data == NULL)
		goto out;
	if ((r = buf_put(out, data, len)) != 0)
		goto out;
	r = 0;
 out:
	if (r == ERR_LIBCRYPTO_ERROR)
		debug_f("OpenSSL could not encode the key");
	ERR_clear_error();
	if (data != NULL)
		OPENSSL_clear_free(data, len);
	OSSL_ENCODER_CTX_free(ctx);
	return r;
}
