/*
 * agent-lock.c: sealing a locked agent's keys (agent-lock.h).
 */
#include "includes.h"

#include <openssl/evp.h>

#include "agent-lock.h"
#include "buf.h"
#include "errcode.h"
#include "key.h"

#define LOCK_SALT_LEN	16
#define LOCK_KEY_LEN	32	/* AES-256 */
#define LOCK_CHECK_LEN	32
#define LOCK_NONCE_LEN	12	/* GCM's natural nonce size */
#define LOCK_TAG_LEN	16

struct agent_lock {
	u_char salt[LOCK_SALT_LEN];
	u_char check[LOCK_CHECK_LEN];
	u_char key[LOCK_KEY_LEN];
	unsigned int rounds;
	int have_key;
};

/* PBKDF2-HMAC-SHA512(pw, salt) -> sealing key || verifier. */
static int
lock_derive(const struct agent_lock *lock, const void *pw, size_t pwlen,
    u_char *key, u_char *check)
{
	u_char out[LOCK_KEY_LEN + LOCK_CHECK_LEN];
	int ok;

	if (pwlen > INT_MAX || lock->rounds > INT_MAX)
		return ERR_INVALID_ARGUMENT;
	ok = PKCS5_PBKDF2_HMAC(pw, (int)pwlen, lock->salt,
	    sizeof(lock->salt), (int)lock->rounds, EVP_sha512(),
	    (int)sizeof(out), out);
	if (ok == 1) {
		memcpy(key, out, LOCK_KEY_LEN);
		memcpy(check, out + LOCK_KEY_LEN, LOCK_CHECK_LEN);
	}
	explicit_bzero(out, sizeof(out));
	return ok == 1 ? 0 : ERR_LIBCRYPTO_ERROR;
}

int
agent_lock_new(const void *pw, size_t pwlen, unsigned int rounds,
    struct agent_lock **lockp)
{
	struct agent_lock *lock;
	int r;

	*lockp = NULL;
	if (pw == NULL || pwlen == 0 || rounds == 0)
		return ERR_INVALID_ARGUMENT;
	if ((lock = calloc(1, sizeof(*lock))) == NULL)
		return ERR_ALLOC_FAIL;
	arc4random_buf(lock->salt, sizeof(lock->salt));
	lock->rounds = rounds;
	if ((r = lock_derive(lock, pw, pwlen, lock->key, lock->check)) != 0) {
		agent_lock_free(lock);
		return r;
	}
	lock->have_key = 1;
	*lockp = lock;
	return 0;
}

void
agent_lock_free(struct agent_lock *lock)
{
	freezero(lock, sizeof(*lock));
}

void
agent_lock_forget_key(struct agent_lock *lock)
{
	if (lock == NULL)
		return;
	explicit_bzero(lock->key, sizeof(lock->key));
	lock->have_key = 0;
}

int
agent_lock_check(struct agent_lock *lock, const void *pw, size_t pwlen)
{
	u_char key[LOCK_KEY_LEN], check[LOCK_CHECK_LEN];
	int r;

	if (lock == NULL || pw == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((r = lock_derive(lock, pw, pwlen, key, check)) != 0)
		goto out;
	if (timingsafe_bcmp(check, lock->check, sizeof(check)) != 0) {
		r = ERR_KEY_WRONG_PASSPHRASE;
		goto out;
	}
	memcpy(lock->key, key, sizeof(key));
	lock->have_key = 1;
	r = 0;
 out:
	explicit_bzero(key, sizeof(key));
	explicit_bzero(check, sizeof(check));
	return r;
}

/*
 * AES-256-GCM over in (len bytes) into out; the tag goes to / comes from
 * tag.  enc selects the direction; a bad tag is ERR_KEY_WRONG_PASSPHRASE.
 */
static int
lock_gcm(const struct agent_lock *lock, int enc, const u_char *nonce,
    const u_char *aad, size_t aadlen, const u_char *in, size_t len,
    u_char *out, u_char *tag)
{
	EVP_CIPHER_CTX *ctx = NULL;
	int outl, r = ERR_LIBCRYPTO_ERROR;

	if (len > INT_MAX || aadlen > INT_MAX)
		return ERR_INVALID_ARGUMENT;
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if (EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, lock->key, nonce,
	    enc) != 1 ||
	    EVP_CipherUpdate(ctx, NULL, &outl, aad, (int)aadlen) != 1 ||
	    EVP_CipherUpdate(ctx, out, &outl, in, (int)len) != 1)
		goto out;
	if (enc) {
		if (EVP_CipherFinal_ex(ctx, out, &outl) != 1 ||
		    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG,
		    LOCK_TAG_LEN, tag) != 1)
			goto out;
	} else {
		if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG,
		    LOCK_TAG_LEN, tag) != 1)
			goto out;
		if (EVP_CipherFinal_ex(ctx, out, &outl) != 1) {
			r = ERR_KEY_WRONG_PASSPHRASE;
			goto out;
		}
	}
	r = 0;
 out:
	EVP_CIPHER_CTX_free(ctx);
	return r;
}

int
agent_lock_seal(const struct agent_lock *lock, const struct key *k,
    const u_char *aad, size_t aadlen, struct buf **sealedp)
{
	struct buf *plain = NULL, *sealed = NULL;
	u_char nonce[LOCK_NONCE_LEN], tag[LOCK_TAG_LEN], *ct;
	int r = ERR_INTERNAL;

	*sealedp = NULL;
	if (lock == NULL || !lock->have_key || k == NULL)
		return ERR_INVALID_ARGUMENT;
	arc4random_buf(nonce, sizeof(nonce));
	if ((plain = buf_new()) == NULL || (sealed = buf_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	/* nonce || ciphertext || tag */
	if ((r = key_private_serialize(k, plain)) != 0 ||
	    (r = buf_put(sealed, nonce, sizeof(nonce))) != 0 ||
	    (r = buf_reserve(sealed, buf_len(plain), &ct)) != 0 ||
	    (r = lock_gcm(lock, 1, nonce, aad, aadlen, buf_ptr(plain),
	    buf_len(plain), ct, tag)) != 0 ||
	    (r = buf_put(sealed, tag, sizeof(tag))) != 0)
		goto out;
	*sealedp = sealed;
	sealed = NULL;
	r = 0;
 out:
	buf_free(plain);	/* wipes */
	buf_free(sealed);
	return r;
}

int
agent_lock_unseal(const struct agent_lock *lock, const struct buf *sealed,
    const u_char *aad, size_t aadlen, struct key **kp)
{
	struct buf *in = NULL, *plain = NULL;
	u_char nonce[LOCK_NONCE_LEN], tag[LOCK_TAG_LEN], *pt;
	const u_char *ct;
	struct key *k = NULL;
	u_char *blob = NULL;
	size_t ctlen, bloblen = 0;
	int r = ERR_INTERNAL;

	*kp = NULL;
	if (lock == NULL || sealed == NULL)
		return ERR_INVALID_ARGUMENT;
	if (!lock->have_key)
		return ERR_KEY_WRONG_PASSPHRASE;
	if (buf_len(sealed) < sizeof(nonce) + sizeof(tag))
		return ERR_INVALID_FORMAT;
	ctlen = buf_len(sealed) - sizeof(nonce) - sizeof(tag);
	if ((in = buf_from(buf_ptr(sealed), buf_len(sealed))) == NULL ||
	    (plain = buf_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	/* nonce || ciphertext || tag; ct points into sealed, which stays. */
	if ((r = buf_get(in, nonce, sizeof(nonce))) != 0)
		goto out;
	ct = buf_ptr(in);
	if ((r = buf_consume(in, ctlen)) != 0 ||
	    (r = buf_get(in, tag, sizeof(tag))) != 0 ||
	    (r = buf_reserve(plain, ctlen, &pt)) != 0 ||
	    (r = lock_gcm(lock, 0, nonce, aad, aadlen, ct, ctlen, pt,
	    tag)) != 0 ||
	    (r = key_private_deserialize(plain, &k)) != 0)
		goto out;
	if (buf_len(plain) != 0) {
		r = ERR_UNEXPECTED_TRAILING_DATA;
		goto out;
	}
	if ((r = key_to_blob(k, &blob, &bloblen)) != 0)
		goto out;
	if (bloblen != aadlen || memcmp(blob, aad, aadlen) != 0) {
		r = ERR_KEY_CERT_MISMATCH;
		goto out;
	}
	*kp = k;
	k = NULL;
	r = 0;
 out:
	free(blob);
	key_free(k);
	buf_free(in);
	buf_free(plain);	/* wipes */
	return r;
}
