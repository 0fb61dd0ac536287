/*
 * buf.c: the bounds-checked buffer (buf.h): life cycle, space management,
 * integers, strings and mpints as bytes.  The conversions to and from
 * libcrypto's BIGNUM and EC_POINT are in buf-crypto.c.
 *
 * Every length that comes from the wire is first bounded by a hard cap and
 * only then compared with what is available, so no check can overflow.
 * Memory that is released or moved is wiped first: a buffer may hold keys.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"

/* Storage grows in multiples of this, doubling each time. */
#define BUF_CHUNK	256

struct buf {
	u_char *d;		/* storage; NULL in a read-only view */
	const u_char *cd;	/* the bytes: d, or the view's memory */
	size_t off;		/* first unread byte */
	size_t size;		/* end of the data */
	size_t alloc;		/* bytes allocated at d */
	size_t dirty;		/* d[0..dirty) unwiped since last reset */
	size_t max;		/* limit on unread bytes, <= BUF_SIZE_MAX */
	int readonly;
};

/* A view of nothing still gets a valid pointer. */
static const u_char buf_empty[1];

/* ---------------------------------------------------------------- life */

struct buf *
buf_new(void)
{
	struct buf *b;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	if ((b->d = calloc(1, BUF_CHUNK)) == NULL) {
		free(b);
		return NULL;
	}
	b->cd = b->d;
	b->alloc = BUF_CHUNK;
	b->max = BUF_SIZE_MAX;
	return b;
}

struct buf *
buf_from(const void *p, size_t len)
{
	struct buf *b;

	if (p == NULL && len != 0)
		return NULL;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->cd = p != NULL ? p : buf_empty;
	b->size = len;
	b->max = len;
	b->readonly = 1;
	return b;
}

struct buf *
buf_from_copy(const void *p, size_t len)
{
	struct buf *b;

	if ((b = buf_new()) == NULL)
		return NULL;
	if (buf_put(b, p, len) != 0) {
		buf_free(b);
		return NULL;
	}
	return b;
}

void
buf_free(struct buf *b)
{
	if (b == NULL)
		return;
	if (b->d != NULL)
		freezero(b->d, b->alloc);
	freezero(b, sizeof(*b));
}

void
buf_reset(struct buf *b)
{
	if (b == NULL)
		return;
	/* Consumed and trimmed bytes may still be there: wipe them too. */
	if (b->d != NULL)
		explicit_bzero(b->d, b->dirty);
	b->off = b->size = b->dirty = 0;
}

int
buf_set_max_size(struct buf *b, size_t max)
{
	if (b == NULL)
		return ERR_INVALID_ARGUMENT;
	if (b->readonly)
		return ERR_BUFFER_READ_ONLY;
	if (max > BUF_SIZE_MAX || max < b->size - b->off)
		return ERR_NO_BUFFER_SPACE;
	b->max = max;
	return 0;
}

size_t
buf_max_size(const struct buf *b)
{
	return b == NULL ? 0 : b->max;
}

/* ---------------------------------------------------------------- view */

size_t
buf_len(const struct buf *b)
{
	return b == NULL ? 0 : b->size - b->off;
}

size_t
buf_avail(const struct buf *b)
{
	if (b == NULL || b->readonly || b->size - b->off > b->max)
		return 0;
	return b->max - (b->size - b->off);
}

const u_char *
buf_ptr(const struct buf *b)
{
	return b == NULL ? NULL : b->cd + b->off;
}

u_char *
buf_mutable_ptr(struct buf *b)
{
	if (b == NULL || b->readonly)
		return NULL;
	return b->d + b->off;
}

int
buf_equals(const struct buf *a, const struct buf *b)
{
	size_t alen = buf_len(a), blen = buf_len(b), n = MINIMUM(alen, blen);
	int same = 1;

	if (n != 0)
		same = timingsafe_bcmp(buf_ptr(a), buf_ptr(b), n) == 0;
	return same & (alen == blen);
}

int
buf_find(const struct buf *b, size_t start, const void *s, size_t len,
    size_t *offp)
{
	const u_char *p = buf_ptr(b), *q;
	size_t blen = buf_len(b), i;

	if (offp != NULL)
		*offp = 0;
	if (b == NULL || s == NULL || len == 0)
		return ERR_INVALID_ARGUMENT;
	if (start > blen)
		return ERR_MESSAGE_INCOMPLETE;
	if (len > blen - start)
		return ERR_INVALID_FORMAT;
	for (i = start; i <= blen - len; i++) {
		if ((q = memchr(p + i, *(const u_char *)s,
		    blen - len - i + 1)) == NULL)
			break;
		i = (size_t)(q - p);
		if (memcmp(q, s, len) == 0) {
			if (offp != NULL)
				*offp = i;
			return 0;
		}
	}
	return ERR_INVALID_FORMAT;
}

/* ------------------------------------------------------- raw space */

/* Move the unread bytes to the front, wiping the vacated tail. */
static void
buf_pack(struct buf *b)
{
	size_t len = b->size - b->off;

	if (b->off == 0)
		return;
	memmove(b->d, b->d + b->off, len);
	explicit_bzero(b->d + len, b->size - len);
	b->off = 0;
	b->size = len;
}

/* Ensure len bytes can be appended at d + size. */
static int
buf_make_room(struct buf *b, size_t len)
{
	size_t need, nalloc;
	u_char *nd;

	if (b == NULL)
		return ERR_INVALID_ARGUMENT;
	if (b->readonly)
		return ERR_BUFFER_READ_ONLY;
	if (b->off > b->size || b->size > b->alloc ||
	    b->size - b->off > b->max || b->max > BUF_SIZE_MAX)
		return ERR_INTERNAL;
	if (len > b->max - (b->size - b->off))
		return ERR_NO_BUFFER_SPACE;
	if (len <= b->alloc - b->size)
		return 0;
	/*
	 * Reuse the consumed space at the front when it is at least as large
	 * as the unread data (so the copy is paid for by the consumption),
	 * or when growing the block would pass the limit.
	 */
	if (b->off > 0 && (b->off >= b->size - b->off ||
	    b->size > b->max || len > b->max - b->size)) {
		buf_pack(b);
		if (len <= b->alloc - b->size)
			return 0;
	}
	need = b->size + len;		/* <= max: checked above */
	nalloc = b->alloc < BUF_CHUNK ? BUF_CHUNK : b->alloc;
	while (nalloc < need)
		nalloc *= 2;
	if (nalloc > b->max)
		nalloc = b->max;
	/* recallocarray wipes the old block and zeroes the new space. */
	if ((nd = recallocarray(b->d, b->alloc, nalloc, 1)) == NULL)
		return ERR_ALLOC_FAIL;
	b->d = nd;
	b->cd = nd;
	b->alloc = nalloc;
	return 0;
}

int
buf_allocate(struct buf *b, size_t len)
{
	return buf_make_room(b, len);
}

int
buf_reserve(struct buf *b, size_t len, u_char **dpp)
{
	u_char *p;
	int r;

	if (dpp != NULL)
		*dpp = NULL;
	if ((r = buf_make_room(b, len)) != 0)
		return r;
	p = b->d + b->size;
	memset(p, 0, len);
	b->size += len;
	if (b->size > b->dirty)
		b->dirty = b->size;
	if (dpp != NULL)
		*dpp = p;
	return 0;
}

int
buf_consume(struct buf *b, size_t len)
{
	if (b == NULL)
		return ERR_INVALID_ARGUMENT;
	if (len > buf_len(b))
		return ERR_MESSAGE_INCOMPLETE;
	b->off += len;
	/* An emptied writable buffer starts again at the front. */
	if (b->off == b->size && !b->readonly)
		b->off = b->size = 0;
	return 0;
}

int
buf_consume_end(struct buf *b, size_t len)
{
	if (b == NULL)
		return ERR_INVALID_ARGUMENT;
	if (len > buf_len(b))
		return ERR_MESSAGE_INCOMPLETE;
	b->size -= len;
	return 0;
}

/* ------------------------------------------------------- append */

/* 1 if v points into b's own storage, which appending may move. */
static int
buf_aliases(const struct buf *b, const void *v)
{
	uintptr_t p = (uintptr_t)v, start;

	if (b == NULL || b->d == NULL || v == NULL)
		return 0;
	start = (uintptr_t)b->d;
	return p >= start && p - start < b->alloc;
}

typedef int put_fn(struct buf *, const void *, size_t);

/* Append bytes from b's own storage through a copy. */
static int
buf_put_via_copy(struct buf *b, const void *v, size_t len, put_fn *put)
{
	void *tmp;
	int r;

	if ((tmp = malloc(len)) == NULL)
		return ERR_ALLOC_FAIL;
	memcpy(tmp, v, len);
	r = put(b, tmp, len);
	freezero(tmp, len);
	return r;
}

int
buf_put(struct buf *b, const void *v, size_t len)
{
	u_char *p;
	int r;

	if (v == NULL && len != 0)
		return ERR_INVALID_ARGUMENT;
	if (len != 0 && buf_aliases(b, v))
		return buf_put_via_copy(b, v, len, buf_put);
	if ((r = buf_reserve(b, len, &p)) != 0)
		return r;
	if (len != 0)
		memcpy(p, v, len);
	return 0;
}

int
buf_putb(struct buf *b, const struct buf *src)
{
	size_t len = buf_len(src);
	u_char *p;
	int r;

	if (src == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((r = buf_reserve(b, len, &p)) != 0)
		return r;
	/* Look at src only now: it may be b, whose storage just moved. */
	if (len != 0)
		memcpy(p, buf_ptr(src), len);
	return 0;
}

int
buf_putf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_putfv(b, fmt, ap);
	va_end(ap);
	return r;
}

int
buf_putfv(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	u_char *p;
	char *tmp = NULL;
	int len, r = ERR_INTERNAL;

	va_copy(ap2, ap);
	if ((len = vsnprintf(NULL, 0, fmt, ap2)) < 0) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	if (len == 0) {
		r = 0;
		goto out;
	}
	if ((size_t)len >= buf_avail(b)) {
		/* No room for vsnprintf's NUL: format elsewhere, then copy. */
		if ((tmp = malloc((size_t)len + 1)) == NULL) {
			r = ERR_ALLOC_FAIL;
			goto out;
		}
		if (vsnprintf(tmp, (size_t)len + 1, fmt, ap) != len) {
			r = ERR_INTERNAL;
			goto out;
		}
		r = buf_put(b, tmp, (size_t)len);
		goto out;
	}
	if ((r = buf_reserve(b, (size_t)len + 1, &p)) != 0)
		goto out;
	if (vsnprintf((char *)p, (size_t)len + 1, fmt, ap) != len) {
		/* The arguments changed under us: give the space back. */
		explicit_bzero(p, (size_t)len + 1);
		b->size -= (size_t)len + 1;
		r = ERR_INTERNAL;
		goto out;
	}
	b->size--;	/* drop the NUL */
	r = 0;
 out:
	va_end(ap2);
	if (tmp != NULL)
		freezero(tmp, (size_t)len + 1);
	return r;
}

static void
put_be(u_char *p, uint64_t v, size_t n)
{
	while (n-- > 0) {
		p[n] = (u_char)(v & 0xff);
		v >>= 8;
	}
}

static uint64_t
get_be(const u_char *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

static int
buf_put_be(struct buf *b, uint64_t v, size_t n)
{
	u_char *p;
	int r;

	if ((r = buf_reserve(b, n, &p)) != 0)
		return r;
	put_be(p, v, n);
	return 0;
}

int
buf_put_u64(struct buf *b, uint64_t val)
{
	return buf_put_be(b, val, 8);
}

int
buf_put_u32(struct buf *b, uint32_t val)
{
	return buf_put_be(b, val, 4);
}

int
buf_put_u16(struct buf *b, uint16_t val)
{
	return buf_put_be(b, val, 2);
}

int
buf_put_u8(struct buf *b, uint8_t val)
{
	return buf_put_be(b, val, 1);
}

/*
 * Reserve an SSH string of len bytes: the length field is written and *pp
 * points at the len bytes of body to fill in.
 */
static int
buf_reserve_string(struct buf *b, size_t len, u_char **pp)
{
	u_char *p;
	int r;

	*pp = NULL;
	if (len > BUF_STRING_MAX)
		return ERR_STRING_TOO_LARGE;
	if ((r = buf_reserve(b, 4 + len, &p)) != 0)
		return r;
	put_be(p, len, 4);
	*pp = p + 4;
	return 0;
}

int
buf_put_string(struct buf *b, const void *v, size_t len)
{
	u_char *p;
	int r;

	if (v == NULL && len != 0)
		return ERR_INVALID_ARGUMENT;
	if (len != 0 && buf_aliases(b, v))
		return buf_put_via_copy(b, v, len, buf_put_string);
	if ((r = buf_reserve_string(b, len, &p)) != 0)
		return r;
	if (len != 0)
		memcpy(p, v, len);
	return 0;
}

int
buf_put_cstring(struct buf *b, const char *s)
{
	return buf_put_string(b, s, s == NULL ? 0 : strlen(s));
}

int
buf_put_stringb(struct buf *b, const struct buf *src)
{
	size_t len = buf_len(src);
	u_char *p;
	int r;

	if (src == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((r = buf_reserve_string(b, len, &p)) != 0)
		return r;
	/* As in buf_putb, src may be b itself. */
	if (len != 0)
		memcpy(p, buf_ptr(src), len);
	return 0;
}

int
buf_put_bignum2_bytes(struct buf *b, const void *v, size_t len)
{
	const u_char *s = v;
	u_char *p;
	size_t pad;
	int r;

	if (v == NULL && len != 0)
		return ERR_INVALID_ARGUMENT;
	if (len != 0 && buf_aliases(b, v))
		return buf_put_via_copy(b, v, len, buf_put_bignum2_bytes);
	/* Minimal form (RFC 4251 section 5): no leading zero bytes... */
	while (len > 0 && *s == 0) {
		s++;
		len--;
	}
	if (len > BUF_BIGNUM_MAX_BITS / 8)
		return ERR_BIGNUM_TOO_LARGE;
	/* ...except one that keeps a positive value's top bit clear. */
	pad = (len > 0 && (*s & 0x80) != 0) ? 1 : 0;
	if ((r = buf_reserve_string(b, pad + len, &p)) != 0)
		return r;
	if (len != 0)
		memcpy(p + pad, s, len);
	return 0;
}

/* ------------------------------------------------------- read */

int
buf_get(struct buf *b, void *v, size_t len)
{
	if (b == NULL || len > buf_len(b)) {
		if (v != NULL && len != 0)
			memset(v, 0, len);
		return b == NULL ? ERR_INVALID_ARGUMENT :
		    ERR_MESSAGE_INCOMPLETE;
	}
	if (v != NULL && len != 0)
		memcpy(v, buf_ptr(b), len);
	return buf_consume(b, len);
}

/* Read an n-byte big-endian integer at offset without consuming it. */
static int
buf_peek_be(const struct buf *b, size_t offset, size_t n, uint64_t *vp)
{
	*vp = 0;
	if (b == NULL)
		return ERR_INVALID_ARGUMENT;
	if (offset > buf_len(b) || n > buf_len(b) - offset)
		return ERR_MESSAGE_INCOMPLETE;
	*vp = get_be(buf_ptr(b) + offset, n);
	return 0;
}

static int
buf_get_be(struct buf *b, size_t n, uint64_t *vp)
{
	int r;

	if ((r = buf_peek_be(b, 0, n, vp)) != 0)
		return r;
	return buf_consume(b, n);
}

int
buf_get_u64(struct buf *b, uint64_t *valp)
{
	uint64_t v;
	int r;

	if (valp != NULL)
		*valp = 0;
	if ((r = buf_get_be(b, 8, &v)) != 0)
		return r;
	if (valp != NULL)
		*valp = v;
	return 0;
}

int
buf_get_u32(struct buf *b, uint32_t *valp)
{
	uint64_t v;
	int r;

	if (valp != NULL)
		*valp = 0;
	if ((r = buf_get_be(b, 4, &v)) != 0)
		return r;
	if (valp != NULL)
		*valp = (uint32_t)v;
	return 0;
}

int
buf_get_u16(struct buf *b, uint16_t *valp)
{
	uint64_t v;
	int r;

	if (valp != NULL)
		*valp = 0;
	if ((r = buf_get_be(b, 2, &v)) != 0)
		return r;
	if (valp != NULL)
		*valp = (uint16_t)v;
	return 0;
}

int
buf_get_u8(struct buf *b, uint8_t *valp)
{
	uint64_t v;
	int r;

	if (valp != NULL)
		*valp = 0;
	if ((r = buf_get_be(b, 1, &v)) != 0)
		return r;
	if (valp != NULL)
		*valp = (uint8_t)v;
	return 0;
}

int
buf_peek_u32(const struct buf *b, size_t offset, uint32_t *valp)
{
	uint64_t v;
	int r;

	if (valp != NULL)
		*valp = 0;
	if ((r = buf_peek_be(b, offset, 4, &v)) != 0)
		return r;
	if (valp != NULL)
		*valp = (uint32_t)v;
	return 0;
}

int
buf_peek_u8(const struct buf *b, size_t offset, uint8_t *valp)
{
	uint64_t v;
	int r;

	if (valp != NULL)
		*valp = 0;
	if ((r = buf_peek_be(b, offset, 1, &v)) != 0)
		return r;
	if (valp != NULL)
		*valp = (uint8_t)v;
	return 0;
}

int
buf_peek_string_direct(const struct buf *b, const u_char **valp,
    size_t *lenp)
{
	uint64_t len;
	int r;

	if (valp != NULL)
		*valp = NULL;
	if (lenp != NULL)
		*lenp = 0;
	if ((r = buf_peek_be(b, 0, 4, &len)) != 0)
		return r;
	/* Bound the length first, then compare with what is there. */
	if (len > BUF_STRING_MAX)
		return ERR_STRING_TOO_LARGE;
	if (len > buf_len(b) - 4)
		return ERR_MESSAGE_INCOMPLETE;
	if (valp != NULL)
		*valp = buf_ptr(b) + 4;
	if (lenp != NULL)
		*lenp = (size_t)len;
	return 0;
}

int
buf_get_string_direct(struct buf *b, const u_char **valp, size_t *lenp)
{
	const u_char *p;
	size_t len;
	int r;

	if (valp != NULL)
		*valp = NULL;
	if (lenp != NULL)
		*lenp = 0;
	if ((r = buf_peek_string_direct(b, &p, &len)) != 0)
		return r;
	if ((r = buf_consume(b, 4 + len)) != 0)
		return r;
	if (valp != NULL)
		*valp = p;
	if (lenp != NULL)
		*lenp = len;
	return 0;
}

int
buf_get_string(struct buf *b, u_char **valp, size_t *lenp)
{
	const u_char *p;
	u_char *s = NULL;
	size_t len;
	int r;

	if (valp != NULL)
		*valp = NULL;
	if (lenp != NULL)
		*lenp = 0;
	if ((r = buf_peek_string_direct(b, &p, &len)) != 0)
		return r;
	if (valp != NULL) {
		if ((s = malloc(len + 1)) == NULL)
			return ERR_ALLOC_FAIL;
		if (len != 0)
			memcpy(s, p, len);
		s[len] = '\0';
	}
	if ((r = buf_consume(b, 4 + len)) != 0) {
		freezero(s, len + 1);
		return r;
	}
	if (valp != NULL)
		*valp = s;
	if (lenp != NULL)
		*lenp = len;
	return 0;
}

int
buf_get_cstring(struct buf *b, char **valp, size_t *lenp)
{
	const u_char *p, *z;
	char *s = NULL;
	size_t len, slen;
	int r;

	if (valp != NULL)
		*valp = NULL;
	if (lenp != NULL)
		*lenp = 0;
	if ((r = buf_peek_string_direct(b, &p, &len)) != 0)
		return r;
	/*
	 * A NUL inside the string would truncate it for C; one NUL that
	 * ends it is tolerated and dropped, as some peers send one.
	 */
	slen = len;
	if (len != 0 && (z = memchr(p, '\0', len)) != NULL) {
		if ((size_t)(z - p) != len - 1)
			return ERR_INVALID_FORMAT;
		slen = len - 1;
	}
	if (valp != NULL) {
		if ((s = malloc(slen + 1)) == NULL)
			return ERR_ALLOC_FAIL;
		if (slen != 0)
			memcpy(s, p, slen);
		s[slen] = '\0';
	}
	if ((r = buf_consume(b, 4 + len)) != 0) {
		freezero(s, slen + 1);
		return r;
	}
	if (valp != NULL)
		*valp = s;
	if (lenp != NULL)
		*lenp = slen;
	return 0;
}

int
buf_get_stringb(struct buf *b, struct buf *dst)
{
	const u_char *p;
	size_t len;
	int r;

	if (dst == b)
		return ERR_INVALID_ARGUMENT;
	if ((r = buf_peek_string_direct(b, &p, &len)) != 0)
		return r;
	if (dst != NULL && (r = buf_put(dst, p, len)) != 0)
		return r;
	return buf_consume(b, 4 + len);
}

int
buf_froms(struct buf *b, struct buf **bufp)
{
	const u_char *p;
	struct buf *n;
	size_t len;
	int r;

	if (bufp != NULL)
		*bufp = NULL;
	if ((r = buf_peek_string_direct(b, &p, &len)) != 0)
		return r;
	if (bufp == NULL)
		return buf_consume(b, 4 + len);
	if ((n = buf_from_copy(p, len)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = buf_consume(b, 4 + len)) != 0) {
		buf_free(n);
		return r;
	}
	*bufp = n;
	return 0;
}

/*
 * Check the mpint at the front of b (RFC 4251 section 5) without consuming
 * it: *valp and *lenp get its magnitude, *totalp the bytes it occupies.
 */
static int
buf_peek_bignum2(const struct buf *b, const u_char **valp, size_t *lenp,
    size_t *totalp)
{
	const u_char *p;
	size_t len;
	int r;

	*valp = NULL;
	*lenp = *totalp = 0;
	if ((r = buf_peek_string_direct(b, &p, &len)) != 0)
		return r;
	if (len > BUF_BIGNUM_MAX_BYTES)
		return ERR_BIGNUM_TOO_LARGE;
	if (len > 0 && (p[0] & 0x80) != 0)
		return ERR_BIGNUM_IS_NEGATIVE;
	*totalp = 4 + len;
	/*
	 * RFC 4251 asks writers for the minimal form, but peers (and keys
	 * made by other tools) pad with extra zero bytes; like OpenSSH we
	 * read those, bounded by the length cap above.
	 */
	while (len > 0 && p[0] == 0) {
		p++;
		len--;
	}
	if (len > BUF_BIGNUM_MAX_BITS / 8) {
		*totalp = 0;
		return ERR_BIGNUM_TOO_LARGE;
	}
	*valp = p;
	*lenp = len;
	return 0;
}

int
buf_get_bignum2_bytes_direct(struct buf *b, const u_char **valp,
    size_t *lenp)
{
	const u_char *p;
	size_t len, total;
	int r;

	if (valp != NULL)
		*valp = NULL;
	if (lenp != NULL)
		*lenp = 0;
	if ((r = buf_peek_bignum2(b, &p, &len, &total)) != 0)
		return r;
	if ((r = buf_consume(b, total)) != 0)
		return r;
	if (valp != NULL)
		*valp = p;
	if (lenp != NULL)
		*lenp = len;
	return 0;
}
