/*
 * cipher-impl.h: the AEAD constructions behind cipher.c.
 *
 * Private to cipher*.c and their unit tests; everything else goes through
 * cipher.h.  Results are 0 or a negative ERR_* code; contexts are set only
 * on success, belong to the caller and are wiped by their _free function.
 */
#ifndef KEEL_CIPHER_IMPL_H
#define KEEL_CIPHER_IMPL_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

/* ------------------------------------------- chacha20-poly1305@openssh.com */

#define CHACHAPOLY_KEY_LEN	64	/* main key || header key */
#define CHACHAPOLY_TAG_LEN	16

struct chachapoly_ctx;

int chachapoly_init(struct chachapoly_ctx **cpp, const u_char *key,
    size_t keylen) __attribute__((__warn_unused_result__));
/*
 * One packet in place: lenfield (4 bytes) and body are encrypted (or
 * decrypted) with the nonce seqnr, tag (16 bytes) is written (or checked
 * in constant time before anything is decrypted: ERR_MAC_INVALID, and
 * nothing is changed, if it is wrong).
 */
int chachapoly_crypt(struct chachapoly_ctx *cp, uint32_t seqnr,
    u_char *lenfield, u_char *body, size_t bodylen, u_char *tag,
    int encrypt) __attribute__((__warn_unused_result__));
/* Decrypt a copy of the 4-byte length field at p into *plenp. */
int chachapoly_get_length(struct chachapoly_ctx *cp, uint32_t seqnr,
    const u_char *p, uint32_t *plenp) __attribute__((__warn_unused_result__));
void chachapoly_free(struct chachapoly_ctx *cp);

/*
 * The two primitives as the construction uses them; exposed so the unit
 * tests can check them against RFC 8439.
 *
 * chachapoly_stream: XOR len bytes of ChaCha20 keystream into data (in
 * place), ctx already keyed with EVP_chacha20(), starting at the 64-bit
 * block counter with the 64-bit nonce (the original ChaCha layout of the
 * state words 12-15, which OpenSSH uses; RFC 8439's 32-bit counter and
 * 96-bit nonce n0||n1||n2 are counter = n0 << 32 | ctr, nonce = n1||n2).
 *
 * chachapoly_poly1305: the Poly1305 tag (16 bytes) under the one-time
 * key (32 bytes) of a || b; either may be empty.
 */
int chachapoly_stream(EVP_CIPHER_CTX *ctx, uint64_t counter,
    const u_char nonce[8], u_char *data, size_t len)
    __attribute__((__warn_unused_result__));
int chachapoly_poly1305(EVP_MAC_CTX *mctx, const u_char key[32],
    const u_char *a, size_t alen, const u_char *b, size_t blen,
    u_char tag[16]) __attribute__((__warn_unused_result__));

/* ------------------------------------------------------ AES-GCM (RFC 5647) */

/* The IV: fixed field (4 bytes) || invocation counter (8 bytes). */
#define AESGCM_IV_LEN		12
#define AESGCM_TAG_LEN		16

struct aesgcm_ctx;

/* keylen 16, 24 or 32; iv is AESGCM_IV_LEN bytes. */
int aesgcm_init(struct aesgcm_ctx **gp, const u_char *key, size_t keylen,
    const u_char *iv, size_t ivlen, int encrypt)
    __attribute__((__warn_unused_result__));
/*
 * One invocation with the current IV: aad is authenticated, data is
 * encrypted or decrypted in place, the 16-byte tag is written or checked
 * (ERR_MAC_INVALID; data is then wiped).  Afterwards, success or not, the
 * invocation counter (the IV's last 8 bytes, big-endian) is incremented
 * modulo 2^64, as RFC 5647 section 7.1 describes.
 */
int aesgcm_crypt(struct aesgcm_ctx *g, const u_char *aad, size_t aadlen,
    u_char *data, size_t len, u_char *tag)
    __attribute__((__warn_unused_result__));
/* The IV the next invocation will use (AESGCM_IV_LEN bytes). */
void aesgcm_get_iv(const struct aesgcm_ctx *g, u_char iv[AESGCM_IV_LEN]);
void aesgcm_free(struct aesgcm_ctx *g);

#endif /* KEEL_CIPHER_IMPL_H */
