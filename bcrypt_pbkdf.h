/*
 * bcrypt_pbkdf.h: OpenBSD's bcrypt_pbkdf, the key derivation function of
 * encrypted openssh-key-v1 private key files (PROTOCOL.key).
 *
 * A PBKDF2-like construction whose pseudo-random function is a bcrypt
 * style hash: SHA-512 of the passphrase and of the salt key an
 * "eksblowfish" state, which then enciphers a fixed 32-byte string.
 * Output blocks are interleaved across the key so that every output byte
 * depends on the whole computation.
 */
#ifndef KEEL_BCRYPT_PBKDF_H
#define KEEL_BCRYPT_PBKDF_H

#include <sys/types.h>
#include <stddef.h>

#define BCRYPT_HASH_SIZE	32
/* Longest key bcrypt_pbkdf can produce: BCRYPT_HASH_SIZE^2 bytes. */
#define BCRYPT_PBKDF_MAX_KEY	(BCRYPT_HASH_SIZE * BCRYPT_HASH_SIZE)
/* Bound on the salt (OpenBSD refuses more than 1 MiB). */
#define BCRYPT_PBKDF_MAX_SALT	(1 << 20)

/*
 * Derive keylen bytes into key from pass[0..passlen) and
 * salt[0..saltlen) with rounds iterations.  0 on success;
 * ERR_INVALID_ARGUMENT if rounds is 0, passlen, saltlen or keylen is 0,
 * keylen exceeds BCRYPT_PBKDF_MAX_KEY or saltlen BCRYPT_PBKDF_MAX_SALT;
 * ERR_ALLOC_FAIL / ERR_LIBCRYPTO_ERROR otherwise.  key is wiped on
 * failure.
 */
int bcrypt_pbkdf(const char *pass, size_t passlen, const u_char *salt,
    size_t saltlen, u_char *key, size_t keylen, unsigned int rounds)
    __attribute__((__warn_unused_result__));

/*
 * One bcrypt hash: out = bhash(sha2pass, sha2salt), both inputs 64-byte
 * SHA-512 values.  Exposed for tests.
 */
void bcrypt_hash(const u_char sha2pass[64], const u_char sha2salt[64],
    u_char out[BCRYPT_HASH_SIZE]);

#endif /* KEEL_BCRYPT_PBKDF_H */
