/*
 * blowfish.h: the Blowfish block cipher (Schneier, 1993) and the
 * "expensive key schedule" steps that bcrypt builds on (Provos and
 * Mazieres, 1999).
 *
 * Only bcrypt_pbkdf (key files) needs it: OpenSSL 3 keeps Blowfish in its
 * legacy provider and has no eksblowfish, so we carry our own.  The
 * initial state is the hexadecimal digits of pi (blowfish-pi.h, generated
 * by contrib/gen-blowfish-pi.c).
 *
 * Byte strings fed to the key schedule are read as a cycle of big-endian
 * 32-bit words, wrapping around to their first byte; an empty string
 * reads as zeros.  The state holds key material: wipe it with
 * explicit_bzero() when done.
 */
#ifndef KEEL_BLOWFISH_H
#define KEEL_BLOWFISH_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#define BLOWFISH_ROUNDS		16
#define BLOWFISH_P_WORDS	(BLOWFISH_ROUNDS + 2)
#define BLOWFISH_BLOCK_SIZE	8
#define BLOWFISH_MAX_KEY_LEN	56	/* bytes that reach every subkey */

struct blowfish_state {
	uint32_t p[BLOWFISH_P_WORDS];
	uint32_t s[4][256];
};

/* Load the initial state (the digits of pi). */
void blowfish_init(struct blowfish_state *st);
/*
 * The standard key schedule on the current state: XOR the key into the
 * P-array, then replace P and S by repeatedly enciphering an all-zero
 * block (bcrypt's "ExpandKey(state, 0, key)").
 */
void blowfish_expand_key(struct blowfish_state *st, const u_char *key,
    size_t keylen);
/*
 * bcrypt's salted key schedule ("ExpandKey(state, salt, key)"): as
 * blowfish_expand_key, but the block is XORed with the next 64 bits of
 * the salt before each encipherment.
 */
void blowfish_expand_key_salt(struct blowfish_state *st,
    const u_char *salt, size_t saltlen, const u_char *key, size_t keylen);
/* Standard Blowfish keying: blowfish_init, then blowfish_expand_key. */
void blowfish_set_key(struct blowfish_state *st, const u_char *key,
    size_t keylen);

/* Encipher / decipher one block held as two 32-bit halves. */
void blowfish_encipher(const struct blowfish_state *st, uint32_t *xl,
    uint32_t *xr);
void blowfish_decipher(const struct blowfish_state *st, uint32_t *xl,
    uint32_t *xr);
/* One 8-byte block, big-endian halves (ECB, as in the published vectors). */
void blowfish_ecb_encrypt(const struct blowfish_state *st,
    const u_char in[BLOWFISH_BLOCK_SIZE], u_char out[BLOWFISH_BLOCK_SIZE]);
void blowfish_ecb_decrypt(const struct blowfish_state *st,
    const u_char in[BLOWFISH_BLOCK_SIZE], u_char out[BLOWFISH_BLOCK_SIZE]);

#endif /* KEEL_BLOWFISH_H */
