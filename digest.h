/*
 * digest.h: message digests and HMAC over OpenSSL EVP.
 *
 * Algorithms are named by small integers so they can sit in tables and on
 * the monitor wire.  All functions return 0 or a negative ERR_* code
 * unless noted.
 */
#ifndef KEEL_DIGEST_H
#define KEEL_DIGEST_H

#include <sys/types.h>
#include <stddef.h>

#define DIGEST_MD5	0
#define DIGEST_SHA1	1
#define DIGEST_SHA256	2
#define DIGEST_SHA384	3
#define DIGEST_SHA512	4
#define DIGEST_MAX	5

#define DIGEST_MAX_LENGTH	64

struct buf;
struct digest_ctx;
struct hmac_ctx;

/* -1 if name ("md5", "sha1", "sha256", ...; case-insensitive) is unknown. */
int digest_alg_by_name(const char *name);
/* Upper-case name as fingerprints print it ("MD5", "SHA256"); NULL if bad. */
const char *digest_alg_name(int alg);
/* Output size in bytes; 0 for an unknown algorithm. */
size_t digest_bytes(int alg);
/* Internal block size in bytes; 0 for an unknown algorithm. */
size_t digest_block_size(int alg);

/* One-shot digest into d (dlen >= digest_bytes(alg)). */
int digest_memory(int alg, const void *m, size_t mlen, u_char *d,
    size_t dlen) __attribute__((__warn_unused_result__));
int digest_buffer(int alg, const struct buf *b, u_char *d, size_t dlen)
    __attribute__((__warn_unused_result__));

/* Incremental digest: start, update..., final, free (wipes state). */
struct digest_ctx *digest_start(int alg);
int digest_update(struct digest_ctx *ctx, const void *m, size_t mlen)
    __attribute__((__warn_unused_result__));
int digest_update_buffer(struct digest_ctx *ctx, const struct buf *b)
    __attribute__((__warn_unused_result__));
int digest_final(struct digest_ctx *ctx, u_char *d, size_t dlen)
    __attribute__((__warn_unused_result__));
void digest_free(struct digest_ctx *ctx);

/* HMAC: start(alg), init(key) (may be called again to re-key), then
 * update..., final; free wipes the key. */
struct hmac_ctx *hmac_start(int alg);
int hmac_init(struct hmac_ctx *ctx, const void *key, size_t klen)
    __attribute__((__warn_unused_result__));
int hmac_update(struct hmac_ctx *ctx, const void *m, size_t mlen)
    __attribute__((__warn_unused_result__));
int hmac_update_buffer(struct hmac_ctx *ctx, const struct buf *b)
    __attribute__((__warn_unused_result__));
/* Output into d (dlen >= digest_bytes(alg)); the context can be re-used
 * after another hmac_init. */
int hmac_final(struct hmac_ctx *ctx, u_char *d, size_t dlen)
    __attribute__((__warn_unused_result__));
void hmac_free(struct hmac_ctx *ctx);
size_t hmac_bytes(int alg);

#endif /* KEEL_DIGEST_H */
