/*
 * key-impl.h: the inside of struct key and the per-algorithm operations.
 *
 * Only key*.c include this.  key.c owns the generic parts (names, blobs,
 * text forms, signature framing); each key-<alg>.c fills in one struct
 * key_ops with the algorithm's own fields and primitives.
 *
 * The operations never see the type name that starts every blob,
 * signature and private part: key.c reads and writes it, then hands the
 * rest of the bytes to the operation.
 */
#ifndef KEEL_KEY_IMPL_H
#define KEEL_KEY_IMPL_H

#include <openssl/evp.h>

#include "key.h"

struct buf;

struct key {
	enum key_type type;
	int nid;		/* ECDSA curve NID; -1 for other types */
	int is_private;		/* pkey holds the private half */
	EVP_PKEY *pkey;		/* owned reference */
};

/* One signature algorithm (the name in a signature blob). */
struct key_sigalg {
	const char *name;		/* "rsa-sha2-512" */
	enum key_type type;		/* key type it needs */
	int nid;			/* ECDSA curve, -1 if any / none */
	const EVP_MD *(*md)(void);	/* hash; NULL for Ed25519 */
	int legacy;			/* SHA-1: only if asked for by name */
};

struct key_ops {
	/* Fill k->pkey (and k->nid is already set) with a new key pair. */
	int (*generate)(struct key *k, unsigned int bits);
	/*
	 * Check an OpenSSL key wrapped by key_from_evp: its size and curve
	 * are ones we support; set k->nid and k->is_private.
	 */
	int (*check_evp)(struct key *k);
	/* Public fields after the name (RFC 4253 6.6 and friends). */
	int (*put_public)(const struct key *k, struct buf *b);
	/* Parse public fields into k (type, nid set); validate them. */
	int (*get_public)(struct key *k, struct buf *b);
	/* Public and private fields of a private part, after the name. */
	int (*put_private)(const struct key *k, struct buf *b);
	/* Parse them, check both halves belong together, fill k. */
	int (*get_private)(struct key *k, struct buf *b);
	/* Append the raw signature (the inner string) over data to sig. */
	int (*sign)(const struct key *k, const struct key_sigalg *sa,
	    const u_char *data, size_t dlen, struct buf *sig);
	/* Check the raw signature; ERR_SIGNATURE_INVALID if it is wrong. */
	int (*verify)(const struct key *k, const struct key_sigalg *sa,
	    const u_char *sig, size_t siglen, const u_char *data, size_t dlen);
	unsigned int (*size)(const struct key *k);
};

extern const struct key_ops key_ed25519_ops;
extern const struct key_ops key_ecdsa_ops;
extern const struct key_ops key_rsa_ops;

/* ------------------------------------------------- helpers from key.c */

/* Clear OpenSSL's error queue and return ERR_LIBCRYPTO_ERROR. */
int key_crypto_error(void);
/*
 * A new EVP_PKEY of OpenSSL type name ("RSA", "EC") from params;
 * selection is EVP_PKEY_PUBLIC_KEY or EVP_PKEY_KEYPAIR.
 */
int key_evp_fromdata(const char *type, int selection,
    const OSSL_PARAM *params, EVP_PKEY **pkeyp) must_check;
/* A BIGNUM parameter of k's EVP_PKEY (a new copy; BN_clear_free it). */
int key_evp_get_bn(const struct key *k, const char *param, BIGNUM **bnp)
    must_check;
/*
 * Mark a private number so that OpenSSL's parameter arrays built from it
 * (OSSL_PARAM_BLD) keep it in memory that OSSL_PARAM_free wipes.
 */
void key_bn_mark_secret(BIGNUM *bn);
/* 1 if k's EVP_PKEY has the BIGNUM parameter (private-half probing). */
int key_evp_has_bn(EVP_PKEY *pkey, const char *param);
/*
 * Sign with EVP_DigestSign (md NULL for Ed25519) into a new allocation
 * of *siglenp bytes.
 */
int key_evp_sign(EVP_PKEY *pkey, const EVP_MD *md, const u_char *data,
    size_t dlen, u_char **sigp, size_t *siglenp) must_check;
/*
 * key_evp_sign() and append the raw signature to sig, which must be
 * exactly want bytes long (else ERR_INTERNAL, sig untouched).
 */
int key_evp_sign_put(EVP_PKEY *pkey, const EVP_MD *md, const u_char *data,
    size_t dlen, size_t want, struct buf *sig) must_check;
/* EVP_DigestVerify: 0 or ERR_SIGNATURE_INVALID. */
int key_evp_verify(EVP_PKEY *pkey, const EVP_MD *md, const u_char *sig,
    size_t siglen, const u_char *data, size_t dlen) must_check;

/* ----------------------------------------------- from key-ecdsa.c */

/* Curve identifier of an ECDSA NID ("nistp256"), NULL if unsupported. */
const char *key_ecdsa_curve_name(int nid);
/* Curve size in bits, 0 if unsupported. */
unsigned int key_ecdsa_curve_bits(int nid);

#endif /* KEEL_KEY_IMPL_H */
