/*
 * key-ed25519.c: ssh-ed25519 keys (RFC 8709) over OpenSSL's raw Ed25519.
 *
 *   public fields:  string pk (32 bytes)
 *   private fields: string pk, string sk (64 bytes: seed || pk)
 *   signature:      64 bytes (RFC 8032 5.1.6)
 */
#include "includes.h"

#include <openssl/evp.h>

#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "key-impl.h"

#define ED25519_SEED_SIZE	32
#define ED25519_SIG_SIZE	64

static int
ed25519_get_pk(const struct key *k, u_char pk[KEY_ED25519_PK_SIZE])
{
	size_t len = KEY_ED25519_PK_SIZE;

	if (EVP_PKEY_get_raw_public_key(k->pkey, pk, &len) != 1)
		return key_crypto_error();
	if (len != KEY_ED25519_PK_SIZE)
		return ERR_INTERNAL;
	return 0;
}

static int
ed25519_generate(struct key *k, unsigned int bits)
{
	if (bits != 0 && bits != 256)
		return ERR_KEY_LENGTH;
	if ((k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519")) == NULL)
		return key_crypto_error();
	return 0;
}

static int
ed25519_check_evp(struct key *k)
{
	size_t len = 0;

	k->nid = -1;
	k->is_private =
	    EVP_PKEY_get_raw_private_key(k->pkey, NULL, &len) == 1 &&
	    len == ED25519_SEED_SIZE;
	/* Not every EVP_PKEY can answer that question; not an error. */
	(void)key_crypto_error();
	return 0;
}

static int
ed25519_put_public(const struct key *k, struct buf *b)
{
	u_char pk[KEY_ED25519_PK_SIZE];
	int r;

	if ((r = ed25519_get_pk(k, pk)) != 0)
		return r;
	return buf_put_string(b, pk, sizeof(pk));
}

static int
ed25519_get_public(struct key *k, struct buf *b)
{
	const u_char *pk;
	size_t pklen;
	int r;

	if ((r = buf_get_string_direct(b, &pk, &pklen)) != 0)
		return r;
	/* RFC 8709 4: the key is exactly 32 bytes. */
	if (pklen != KEY_ED25519_PK_SIZE)
		return ERR_INVALID_FORMAT;
	if ((k->pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL,
	    pk, pklen)) == NULL)
		return key_crypto_error();
	return 0;
}

static int
ed25519_put_private(const struct key *k, struct buf *b)
{
	u_char pk[KEY_ED25519_PK_SIZE], sk[KEY_ED25519_SK_SIZE];
	size_t seedlen = ED25519_SEED_SIZE;
	int r = ERR_INTERNAL;

	if ((r = ed25519_get_pk(k, pk)) != 0)
		goto out;
	/* sk is seed || pk, the form OpenSSH's key files use. */
	if (EVP_PKEY_get_raw_private_key(k->pkey, sk, &seedlen) != 1) {
		r = key_crypto_error();
		goto out;
	}
	if (seedlen != ED25519_SEED_SIZE) {
		r = ERR_INTERNAL;
		goto out;
	}
	memcpy(sk + ED25519_SEED_SIZE, pk, sizeof(pk));
	if ((r = buf_put_string(b, pk, sizeof(pk))) != 0 ||
	    (r = buf_put_string(b, sk, sizeof(sk))) != 0)
		goto out;
	r = 0;
 out:
	explicit_bzero(sk, sizeof(sk));
	return r;
}

static int
ed25519_get_private(struct key *k, struct buf *b)
{
	struct buf *skb = NULL;
	const u_char *pk;
	size_t pklen;
	u_char seed[ED25519_SEED_SIZE], skpk[KEY_ED25519_PK_SIZE];
	u_char derived[KEY_ED25519_PK_SIZE];
	int r = ERR_INTERNAL;

	if ((r = buf_get_string_direct(b, &pk, &pklen)) != 0)
		goto out;
	if (pklen != KEY_ED25519_PK_SIZE) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	/* sk: seed || pk, exactly 64 bytes */
	if ((r = buf_froms(b, &skb)) != 0)
		goto out;
	if (buf_len(skb) != KEY_ED25519_SK_SIZE) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	if ((r = buf_get(skb, seed, sizeof(seed))) != 0 ||
	    (r = buf_get(skb, skpk, sizeof(skpk))) != 0)
		goto out;
	/* The copy of pk inside sk must be pk itself... */
	if (memcmp(skpk, pk, sizeof(skpk)) != 0) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	if ((k->pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL,
	    seed, sizeof(seed))) == NULL) {
		r = key_crypto_error();
		goto out;
	}
	/* ...and pk must be the one the seed gives. */
	if ((r = ed25519_get_pk(k, derived)) != 0)
		goto out;
	if (memcmp(derived, pk, sizeof(derived)) != 0) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	r = 0;
 out:
	explicit_bzero(seed, sizeof(seed));
	buf_free(skb);
	return r;
}

static int
ed25519_sign(const struct key *k, const struct key_sigalg *sa,
    const u_char *data, size_t dlen, struct buf *sig)
{
	return key_evp_sign_put(k->pkey, NULL, data, dlen, ED25519_SIG_SIZE,
	    sig);
}

static int
ed25519_verify(const struct key *k, const struct key_sigalg *sa,
    const u_char *sig, size_t siglen, const u_char *data, size_t dlen)
{
	/* RFC 8709 6: the signature is exactly 64 bytes. */
	if (siglen != ED25519_SIG_SIZE)
		return ERR_INVALID_FORMAT;
	return key_evp_verify(k->pkey, NULL, sig, siglen, data, dlen);
}

static unsigned int
ed25519_size(const struct key *k)
{
	return 256;
}

const struct key_ops key_ed25519_ops = {
	.generate = ed25519_generate,
	.check_evp = ed25519_check_evp,
	.put_public = ed25519_put_public,
	.get_public = ed25519_get_public,
	.put_private = ed25519_put_private,
	.get_private = ed25519_get_private,
	.sign = ed25519_sign,
	.verify = ed25519_verify,
	.size = ed25519_size,
};
