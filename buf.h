/*
 * buf.h: the one bounds-checked buffer type for untrusted bytes.
 *
 * Every wire packet, key file, agent message, monitor message and sftp
 * packet is read and written through this type (STYLE.md rules 1-4).  Its
 * fields are private to buf.c.
 *
 * A buffer holds the bytes [off, size) of a block of memory: readers
 * consume from the front, writers append at the end.  Its contents are
 * wiped whenever memory is released or moved (free, reset, growth), so a
 * buffer may hold secrets.
 *
 * Contracts for every function here, unless its comment says otherwise:
 *  - int results are 0 on success or a negative ERR_* code (errcode.h);
 *  - getters clear their outputs first and set them only on success, and
 *    consume nothing on failure;
 *  - pointers returned through _direct getters point into the buffer and
 *    stay valid until the buffer is next modified;
 *  - allocated outputs belong to the caller;
 *  - bytes to append may lie in the destination buffer itself (a _direct
 *    pointer, buf_ptr()), and src may be the destination.
 *
 * Hard caps: a buffer never grows past BUF_SIZE_MAX (or its own smaller
 * limit), a string read is at most BUF_STRING_MAX, a bignum at most
 * BUF_BIGNUM_MAX_BYTES, an EC point at most BUF_ECPOINT_MAX_BYTES.
 */
#ifndef KEEL_BUF_H
#define KEEL_BUF_H

#include <sys/types.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/bn.h>
#include <openssl/ec.h>

#define BUF_SIZE_MAX		0x8000000	/* 128 MiB */
#define BUF_STRING_MAX		0x1000000	/* 16 MiB, one string */
#define BUF_BIGNUM_MAX_BITS	16384
#define BUF_BIGNUM_MAX_BYTES	(BUF_BIGNUM_MAX_BITS / 8 + 1)
#define BUF_ECPOINT_MAX_BITS	528
#define BUF_ECPOINT_MAX_BYTES	((BUF_ECPOINT_MAX_BITS + 7) / 8 * 2 + 1)

struct buf;

/* ---------------------------------------------------------------- life */

/* A new, empty, growable buffer; NULL on allocation failure. */
struct buf *buf_new(void);
/*
 * A read-only buffer over len bytes at p, which are not copied and must
 * outlive it.  Writes to it fail with ERR_BUFFER_READ_ONLY.
 */
struct buf *buf_from(const void *p, size_t len);
/* A new buffer holding a copy of len bytes at p. */
struct buf *buf_from_copy(const void *p, size_t len);
/* Wipe and free; NULL is a no-op. */
void buf_free(struct buf *b);
/* Empty the buffer, wiping its contents; keeps its limit. */
void buf_reset(struct buf *b);
/* Limit this buffer's size (<= BUF_SIZE_MAX); fails if it holds more. */
int buf_set_max_size(struct buf *b, size_t max)
    __attribute__((__warn_unused_result__));
size_t buf_max_size(const struct buf *b);

/* ---------------------------------------------------------------- view */

/* Bytes available to read. */
size_t buf_len(const struct buf *b);
/* Bytes that can still be appended before the limit. */
size_t buf_avail(const struct buf *b);
/* Pointer to the first unread byte (NULL if b is NULL). */
const u_char *buf_ptr(const struct buf *b);
/* Writable pointer to the first unread byte; NULL if read-only. */
u_char *buf_mutable_ptr(struct buf *b);
/* 1 if the buffers hold the same bytes (constant time in the length). */
int buf_equals(const struct buf *a, const struct buf *b);
/*
 * Offset (from the first unread byte) of the first occurrence of s[0..len)
 * at or after start; ERR_INVALID_FORMAT if there is none.
 */
int buf_find(const struct buf *b, size_t start, const void *s, size_t len,
    size_t *offp) __attribute__((__warn_unused_result__));

/* ------------------------------------------------------- raw space */

/* Make room for len more bytes without appending them. */
int buf_allocate(struct buf *b, size_t len)
    __attribute__((__warn_unused_result__));
/* Append len uninitialised (zeroed) bytes; *dpp points at them. */
int buf_reserve(struct buf *b, size_t len, u_char **dpp)
    __attribute__((__warn_unused_result__));
/* Drop len bytes from the front / the end. */
int buf_consume(struct buf *b, size_t len)
    __attribute__((__warn_unused_result__));
int buf_consume_end(struct buf *b, size_t len)
    __attribute__((__warn_unused_result__));

/* ------------------------------------------------------- append */

int buf_put(struct buf *b, const void *v, size_t len)
    __attribute__((__warn_unused_result__));
/* Append the contents of src (src is not modified). */
int buf_putb(struct buf *b, const struct buf *src)
    __attribute__((__warn_unused_result__));
int buf_putf(struct buf *b, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)))
    __attribute__((__warn_unused_result__));
int buf_putfv(struct buf *b, const char *fmt, va_list ap)
    __attribute__((__format__(__printf__, 2, 0)))
    __attribute__((__warn_unused_result__));
int buf_put_u64(struct buf *b, uint64_t val)
    __attribute__((__warn_unused_result__));
int buf_put_u32(struct buf *b, uint32_t val)
    __attribute__((__warn_unused_result__));
int buf_put_u16(struct buf *b, uint16_t val)
    __attribute__((__warn_unused_result__));
int buf_put_u8(struct buf *b, uint8_t val)
    __attribute__((__warn_unused_result__));
/* SSH string: uint32 length then the bytes (RFC 4251 section 5). */
int buf_put_string(struct buf *b, const void *v, size_t len)
    __attribute__((__warn_unused_result__));
int buf_put_cstring(struct buf *b, const char *s)
    __attribute__((__warn_unused_result__));
/* The contents of src as one SSH string. */
int buf_put_stringb(struct buf *b, const struct buf *src)
    __attribute__((__warn_unused_result__));
/* mpint (RFC 4251 section 5) from a bignum / from unsigned big-endian bytes. */
int buf_put_bignum2(struct buf *b, const BIGNUM *v)
    __attribute__((__warn_unused_result__));
int buf_put_bignum2_bytes(struct buf *b, const void *v, size_t len)
    __attribute__((__warn_unused_result__));
/* EC point as an SSH string in uncompressed form (SEC1). */
int buf_put_ec(struct buf *b, const EC_POINT *v, const EC_GROUP *g)
    __attribute__((__warn_unused_result__));

/* ------------------------------------------------------- read */

/* Copy len bytes out (v may be NULL to discard them). */
int buf_get(struct buf *b, void *v, size_t len)
    __attribute__((__warn_unused_result__));
int buf_get_u64(struct buf *b, uint64_t *valp)
    __attribute__((__warn_unused_result__));
int buf_get_u32(struct buf *b, uint32_t *valp)
    __attribute__((__warn_unused_result__));
int buf_get_u16(struct buf *b, uint16_t *valp)
    __attribute__((__warn_unused_result__));
int buf_get_u8(struct buf *b, uint8_t *valp)
    __attribute__((__warn_unused_result__));
/* Read without consuming, at offset from the first unread byte. */
int buf_peek_u32(const struct buf *b, size_t offset, uint32_t *valp)
    __attribute__((__warn_unused_result__));
int buf_peek_u8(const struct buf *b, size_t offset, uint8_t *valp)
    __attribute__((__warn_unused_result__));
/*
 * SSH string, copied into a new allocation with a NUL appended (not
 * counted in *lenp).  valp or lenp may be NULL (the string is skipped).
 */
int buf_get_string(struct buf *b, u_char **valp, size_t *lenp)
    __attribute__((__warn_unused_result__));
/*
 * As buf_get_string but fails with ERR_INVALID_FORMAT on interior NULs (one
 * NUL ending the string is tolerated and dropped, as OpenSSH does).
 */
int buf_get_cstring(struct buf *b, char **valp, size_t *lenp)
    __attribute__((__warn_unused_result__));
/* SSH string returned as a pointer into the buffer, consumed. */
int buf_get_string_direct(struct buf *b, const u_char **valp, size_t *lenp)
    __attribute__((__warn_unused_result__));
/* As above without consuming. */
int buf_peek_string_direct(const struct buf *b, const u_char **valp,
    size_t *lenp)
    __attribute__((__warn_unused_result__));
/* SSH string appended to dst (dst may be NULL: skip). */
int buf_get_stringb(struct buf *b, struct buf *dst)
    __attribute__((__warn_unused_result__));
/* SSH string as a new buffer holding a copy of its contents. */
int buf_froms(struct buf *b, struct buf **bufp)
    __attribute__((__warn_unused_result__));
/* mpint as a new BIGNUM; negative and oversize values are refused. */
int buf_get_bignum2(struct buf *b, BIGNUM **valp)
    __attribute__((__warn_unused_result__));
/* mpint's magnitude bytes (leading zero dropped), pointing into b. */
int buf_get_bignum2_bytes_direct(struct buf *b, const u_char **valp,
    size_t *lenp)
    __attribute__((__warn_unused_result__));
/* EC point (SSH string) decoded onto an existing EC_POINT of group g. */
int buf_get_ec(struct buf *b, EC_POINT *v, const EC_GROUP *g)
    __attribute__((__warn_unused_result__));

/* ------------------------------------------------------- encodings */

/* Append the decoding of base64 text (whitespace ignored; strict padding). */
int buf_b64tod(struct buf *b, const char *b64)
    __attribute__((__warn_unused_result__));
/* Append the base64 encoding of src to b; wrap lines at 70 cols if wrap. */
int buf_dtob64(const struct buf *src, struct buf *b, int wrap)
    __attribute__((__warn_unused_result__));
/* Base64 of the contents as a new NUL-terminated string; NULL on failure. */
char *buf_dtob64_string(const struct buf *b, int wrap);
/* Lower-case hex of the contents as a new string; NULL on failure. */
char *buf_dtohex(const struct buf *b);
/*
 * The contents as a new NUL-terminated string; NULL on an interior NUL (a
 * NUL as the last byte is allowed and not part of the string).
 */
char *buf_dup_string(const struct buf *b);

/* ------------------------------------------------------- files */

/*
 * Read all of fd / the file at path into a new buffer (at most
 * BUF_SIZE_MAX bytes; larger files fail with ERR_NO_BUFFER_SPACE).
 */
int buf_load_fd(int fd, struct buf **bufp)
    __attribute__((__warn_unused_result__));
int buf_load_file(const char *path, struct buf **bufp)
    __attribute__((__warn_unused_result__));
/*
 * Write the contents to path atomically: a temporary file in the same
 * directory created with mode, fsync'd, then renamed over path.  On
 * failure nothing is left behind and path is untouched.
 */
int buf_write_file(const char *path, const struct buf *b, mode_t mode)
    __attribute__((__warn_unused_result__));

#endif /* KEEL_BUF_H */
