/*
 * key.h: SSH public and private keys.
 *
 * One struct key for every algorithm; the algorithms themselves live in
 * key-ed25519.c, key-ecdsa.c and key-rsa.c behind a table of operations
 * (key-impl.h), and key.c dispatches to them.  Key material is held in an
 * OpenSSL EVP_PKEY.  Only key*.c look inside struct key.
 *
 * Wire formats (RFC 4253 6.6, RFC 5656 3.1, RFC 8709, RFC 8332):
 *   public blob:  string type-name, then the algorithm's public fields
 *   signature:    string signature-algorithm, string signature-bytes
 *   private part: string type-name, public fields, private fields (the
 *                 form shared by openssh-key-v1 files and the agent's
 *                 ADD_IDENTITY message; PROTOCOL.key, PROTOCOL.agent)
 *
 * Unless noted, int results are 0 or a negative ERR_* code, and outputs
 * are set only on success and then belong to the caller.
 */
#ifndef KEEL_KEY_H
#define KEEL_KEY_H

#include <sys/types.h>
#include <stddef.h>

#include <openssl/evp.h>

struct buf;

enum key_type {
	KEY_RSA,
	KEY_ECDSA,
	KEY_ED25519,
	KEY_UNSPEC
};

/* Fingerprint representations for key_fingerprint(). */
enum key_fp_rep {
	KEY_FP_DEFAULT,		/* SHA256: base64, MD5: hex */
	KEY_FP_HEX,		/* colon-separated hex */
	KEY_FP_BASE64,		/* base64 without padding */
	KEY_FP_RANDOMART	/* the boxed picture of ssh-keygen -lv */
};

#define KEY_RSA_MIN_BITS	1024
#define KEY_RSA_DEFAULT_BITS	3072
#define KEY_RSA_MAX_BITS	16384
#define KEY_ECDSA_DEFAULT_BITS	256
#define KEY_ED25519_PK_SIZE	32
#define KEY_ED25519_SK_SIZE	64	/* seed || public, as in key files */

struct key;

/* ------------------------------------------------------ types and names */

/* Type from a key or signature type name ("ssh-ed25519", "ssh-rsa",
 * "rsa-sha2-512", "ecdsa-sha2-nistp384"); KEY_UNSPEC if unknown. */
enum key_type key_type_from_name(const char *name);
/* Type from ssh-keygen -t's names ("ed25519", "ecdsa", "rsa"). */
enum key_type key_type_from_shortname(const char *name);
/* OpenSSL curve NID for an ecdsa-sha2-* name or for bits 256/384/521;
 * -1 if none. */
int key_ecdsa_nid_from_name(const char *name);
int key_ecdsa_nid_from_bits(unsigned int bits);

/* Key type name as on the wire: "ssh-ed25519", "ecdsa-sha2-nistp256",
 * "ssh-rsa". */
const char *key_type_name(const struct key *k);
/* Short upper-case name as fingerprints print it: "ED25519", "ECDSA",
 * "RSA". */
const char *key_type_short(const struct key *k);
enum key_type key_type(const struct key *k);
/* Curve NID of an ECDSA key, -1 for other types. */
int key_ecdsa_nid(const struct key *k);
/* Size in bits (RSA modulus, EC curve, 256 for Ed25519). */
unsigned int key_size(const struct key *k);
/* 1 if the key holds private material. */
int key_is_private(const struct key *k);
/* Comma-separated list of every signature algorithm name we know. */
const char *key_alg_list(void);
/* The signature algorithm used when none is asked for: "ssh-ed25519",
 * "ecdsa-sha2-nistpN", "rsa-sha2-512". */
const char *key_default_sig_alg(const struct key *k);

/* ------------------------------------------------------ life */

void key_free(struct key *k);	/* wipes private material; NULL ok */
/* Generate a new private key; bits 0 means the type's default.
 * RSA: KEY_RSA_MIN_BITS..KEY_RSA_MAX_BITS, ECDSA: 256, 384 or 521. */
int key_generate(enum key_type type, unsigned int bits, struct key **kp)
    __attribute__((__warn_unused_result__));
/* A new key holding only the public half of k. */
int key_demote(const struct key *k, struct key **pubp)
    __attribute__((__warn_unused_result__));
/* 1 if the public halves are equal. */
int key_equal_public(const struct key *a, const struct key *b);

/* Wrap an OpenSSL key (RSA, EC on a supported curve, Ed25519); takes a
 * reference of its own, so the caller still owns pkey. */
int key_from_evp(EVP_PKEY *pkey, struct key **kp)
    __attribute__((__warn_unused_result__));
/* The OpenSSL key inside k, borrowed: valid while k lives. */
EVP_PKEY *key_evp(const struct key *k);

/* ------------------------------------------------------ public blobs */

/* Append the public blob to b / as one SSH string to b. */
int key_putb(const struct key *k, struct buf *b)
    __attribute__((__warn_unused_result__));
int key_puts(const struct key *k, struct buf *b)
    __attribute__((__warn_unused_result__));
/* The public blob as a new allocation. */
int key_to_blob(const struct key *k, u_char **blobp, size_t *lenp)
    __attribute__((__warn_unused_result__));
/* Parse a whole public blob (trailing bytes are an error). */
int key_from_blob(const u_char *blob, size_t len, struct key **kp)
    __attribute__((__warn_unused_result__));
/* Parse the public blob that is all of b's remaining contents (consumed). */
int key_fromb(struct buf *b, struct key **kp)
    __attribute__((__warn_unused_result__));
/* Parse a public blob held in one SSH string read from b. */
int key_froms(struct buf *b, struct key **kp)
    __attribute__((__warn_unused_result__));

/* ------------------------------------------------------ text forms */

/*
 * Parse "type base64 [comment]" from line (leading white space skipped).
 * *endp (if not NULL) is set just past the base64 field; *commentp (if
 * not NULL) to a copy of the rest of the line with surrounding white space
 * trimmed, or NULL if there is none.  A type field that disagrees with
 * the blob is an error.
 */
int key_read_public_line(const char *line, struct key **kp,
    char **commentp, const char **endp)
    __attribute__((__warn_unused_result__));
/* "type base64" (no comment, no newline) as a new string. */
int key_format_public(const struct key *k, char **linep)
    __attribute__((__warn_unused_result__));

/* ------------------------------------------------------ private parts */

/* Append the private part (see the top of this file) of k. */
int key_private_serialize(const struct key *k, struct buf *b)
    __attribute__((__warn_unused_result__));
/* Read one private part from b, consuming exactly its bytes, and check
 * that its public and private halves belong together. */
int key_private_deserialize(struct buf *b, struct key **kp)
    __attribute__((__warn_unused_result__));

/* ------------------------------------------------------ signatures */

/*
 * Sign data with the private key k.  alg picks the signature algorithm
 * where the key type has several ("rsa-sha2-256", "rsa-sha2-512",
 * "ssh-rsa" for SHA-1); NULL means key_default_sig_alg(k).  *sigp is the
 * SSH signature blob.
 */
int key_sign(const struct key *k, u_char **sigp, size_t *lenp,
    const u_char *data, size_t dlen, const char *alg)
    __attribute__((__warn_unused_result__));
/*
 * Verify the SSH signature blob sig over data with k.  alg NULL accepts
 * any algorithm the key type allows except SHA-1 "ssh-rsa"; otherwise the
 * signature must use exactly alg (which may be "ssh-rsa").  A bad
 * signature is ERR_SIGNATURE_INVALID; a malformed one ERR_INVALID_FORMAT.
 */
int key_verify(const struct key *k, const u_char *sig, size_t siglen,
    const u_char *data, size_t dlen, const char *alg)
    __attribute__((__warn_unused_result__));
/* The algorithm name a signature blob claims, as a new string. */
int key_sig_alg(const u_char *sig, size_t siglen, char **algp)
    __attribute__((__warn_unused_result__));

/* ------------------------------------------------------ fingerprints */

/*
 * Fingerprint of k's public blob with digest alg (DIGEST_SHA256,
 * DIGEST_MD5, ...) as a new string, NULL on failure:
 *   KEY_FP_DEFAULT/BASE64: "SHA256:<unpadded base64>"
 *   KEY_FP_HEX:            "MD5:aa:bb:..."
 *   KEY_FP_RANDOMART:      the multi-line picture, no trailing newline
 * KEY_FP_DEFAULT is hex for MD5 and base64 for everything else.
 */
char *key_fingerprint(const struct key *k, int dgst_alg,
    enum key_fp_rep rep);

#endif /* KEEL_KEY_H */
