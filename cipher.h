/*
 * cipher.h: the transport ciphers (RFC 4253 section 6.3).
 *
 * Supported: chacha20-poly1305@openssh.com, aes128-gcm@openssh.com,
 * aes256-gcm@openssh.com (RFC 5647), aes128-ctr, aes192-ctr, aes256-ctr
 * (RFC 4344), and "none", which only the packet layer uses before the
 * first key exchange (it is never accepted in a configured list).
 *
 * An algorithm (struct cipher) is a static table entry, never freed.  A
 * context (struct cipher_ctx) is one direction of one key exchange: it
 * holds the keys and the state that runs on from packet to packet (the
 * AES-CTR counter, the GCM invocation counter).
 *
 * A packet is handed over in three pieces, all encrypted or decrypted in
 * place:
 *   lenfield  the 4-byte packet_length field;
 *   body      padding_length || payload || padding (RFC 4253 section 6),
 *             a multiple of cipher_block_size() bytes;
 *   tag       cipher_tag_len() bytes (AEAD ciphers only): written when
 *             encrypting, checked when decrypting.
 * What happens to lenfield depends on the cipher:
 *   chacha20-poly1305  encrypted with its own key (the header key), and
 *                      authenticated with the body;
 *   AES-GCM            sent in the clear and authenticated as AAD;
 *   AES-CTR, none      left alone: pass NULL when it is part of the
 *                      encrypted stream (the caller then puts it at the
 *                      front of body), or the field itself when an
 *                      encrypt-then-MAC MAC sends it in the clear.
 *
 * Unless noted, int results are 0 or a negative ERR_* code (errcode.h).
 */
#ifndef KEEL_CIPHER_H
#define KEEL_CIPHER_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#define CIPHER_ENCRYPT		1
#define CIPHER_DECRYPT		0

#define CIPHER_LENFIELD_LEN	4	/* uint32 packet_length */
#define CIPHER_MAX_KEY_LEN	64
#define CIPHER_MAX_IV_LEN	16
#define CIPHER_MAX_BLOCK_SIZE	16
#define CIPHER_MAX_TAG_LEN	16
/* Longest body accepted in one call: more than any buffer may hold. */
#define CIPHER_MAX_LEN		(256 * 1024 * 1024)

struct cipher;
struct cipher_ctx;

/* ------------------------------------------------------------ algorithms */

/* The algorithm of this exact name, or NULL if unknown. */
const struct cipher *cipher_by_name(const char *name);
const char *cipher_name(const struct cipher *c);
/* Key and IV lengths the key exchange derives for this cipher (RFC 4253
 * section 7.2); the IV length is 0 for chacha20-poly1305. */
size_t cipher_key_len(const struct cipher *c);
size_t cipher_iv_len(const struct cipher *c);
/* The packet lengths' granularity (RFC 4253 section 6): 8 at least. */
size_t cipher_block_size(const struct cipher *c);
/* Bytes of authentication tag after each packet; 0 if not AEAD. */
size_t cipher_tag_len(const struct cipher *c);
/* 1 if the cipher authenticates packets itself (no MAC is negotiated). */
int cipher_is_aead(const struct cipher *c);
/*
 * 1 if the length field is encrypted on its own, so that the receiver
 * learns a packet's length with cipher_get_length() before the rest has
 * arrived (chacha20-poly1305).
 */
int cipher_has_sealed_length(const struct cipher *c);

/*
 * 1 if names is a non-empty comma-separated list of known ciphers with
 * no empty elements; "none" is refused.  0 otherwise.
 */
int cipher_list_is_valid(const char *names);
/*
 * All supported cipher names but "none", in order of preference,
 * separated by sep: a new string for the caller to free, or NULL if
 * memory ran out.
 */
char *cipher_alg_list(char sep);

/* ------------------------------------------------------------ contexts */

/*
 * A new context for c keyed with key (exactly cipher_key_len() bytes) and
 * iv (exactly cipher_iv_len() bytes; may be NULL when that is 0), to
 * encrypt (CIPHER_ENCRYPT) or decrypt (CIPHER_DECRYPT).  *ccp is set only
 * on success and belongs to the caller (cipher_free()).
 */
int cipher_init(struct cipher_ctx **ccp, const struct cipher *c,
    const u_char *key, size_t keylen, const u_char *iv, size_t ivlen,
    int direction) __attribute__((__warn_unused_result__));

/*
 * Encrypt or decrypt one packet in place (see the top of this file for
 * the pieces).  seqnr is the packet's sequence number (RFC 4253 section
 * 6.4); only chacha20-poly1305 uses it.  lenfield is NULL or
 * CIPHER_LENFIELD_LEN bytes, and must not be NULL for an AEAD cipher.
 * tag is NULL with taglen 0 for other ciphers; for AEAD ones taglen must
 * be cipher_tag_len().  bodylen must be a multiple of the block size and
 * at most CIPHER_MAX_LEN.
 *
 * When decrypting with an AEAD cipher the tag is checked in constant
 * time; a wrong tag (or a changed length field or body) gives
 * ERR_MAC_INVALID and leaves no unauthenticated plaintext behind: the
 * packet is left as it was (chacha20-poly1305) or the body is wiped
 * (GCM).  A failed GCM packet still uses up its IV, so after any failure
 * the connection is over: the context is only good for freeing.
 */
int cipher_crypt(struct cipher_ctx *cc, uint32_t seqnr, u_char *lenfield,
    u_char *body, size_t bodylen, u_char *tag, size_t taglen)
    __attribute__((__warn_unused_result__));

/*
 * The packet_length of an incoming packet from its first bytes p[0..len)
 * (len >= 4; ERR_MESSAGE_INCOMPLETE otherwise), without changing them:
 * decrypted with the header key for chacha20-poly1305, read as it is for
 * every other cipher (so for AES-CTR without encrypt-then-MAC the caller
 * decrypts the first block with cipher_crypt() first).  Sets *plenp only
 * on success.  The length is not yet authenticated.
 */
int cipher_get_length(struct cipher_ctx *cc, uint32_t seqnr,
    const u_char *p, size_t len, uint32_t *plenp)
    __attribute__((__warn_unused_result__));

/*
 * The IV that continues this context's stream: a context made by
 * cipher_init() with the same key and this IV carries on where cc left
 * off (the AES-CTR counter block; the GCM fixed field and invocation
 * counter).  Used to hand transport state between processes (privsep).
 * ivlen must be cipher_iv_len(); nothing is written when that is 0.
 */
int cipher_get_iv(const struct cipher_ctx *cc, u_char *iv, size_t ivlen)
    __attribute__((__warn_unused_result__));

const struct cipher *cipher_ctx_cipher(const struct cipher_ctx *cc);
/* 1 if cc encrypts, 0 if it decrypts. */
int cipher_ctx_is_encrypt(const struct cipher_ctx *cc);

/* Wipe and free; NULL is a no-op. */
void cipher_free(struct cipher_ctx *cc);

#endif /* KEEL_CIPHER_H */
