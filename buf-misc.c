/*
 * buf-misc.c: text encodings of buffers (base64, hex) and whole-file I/O.
 *
 * The base64 codec (RFC 4648 section 4) is strict: the decoder skips
 * whitespace but refuses any other non-alphabet character, missing or
 * misplaced padding and non-zero pad bits, so one byte string has exactly
 * one accepted encoding.
 */
#include "includes.h"

#include <sys/stat.h>
#include <fcntl.h>
#include <poll.h>

#include "buf.h"
#include "errcode.h"

#define B64_WRAP	70	/* line length of RFC 4716 and key files */
#define LOAD_CHUNK	(64 * 1024)

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* ------------------------------------------------------- base64 */

static int
b64_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

/* The 6-bit value of an alphabet character, or -1. */
static int
b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Decode b64 into out (room for at least 3/4 of its non-space characters);
 * *outlenp gets the bytes written.
 */
static int
b64_decode(const char *b64, u_char *out, size_t *outlenp)
{
	uint32_t acc = 0;
	size_t n = 0, o = 0, npad = 0;
	int v;

	*outlenp = 0;
	for (; *b64 != '\0'; b64++) {
		if (b64_is_space(*b64))
			continue;
		if (*b64 == '=') {
			/* Padding completes the last quantum only. */
			if (n % 4 < 2 || ++npad > 2 || (n + npad) % 4 == 1)
				return ERR_INVALID_FORMAT;
			continue;
		}
		if (npad != 0 || (v = b64_value(*b64)) < 0)
			return ERR_INVALID_FORMAT;
		acc = (acc << 6) | (uint32_t)v;
		if (++n % 4 == 0) {
			out[o++] = (u_char)(acc >> 16);
			out[o++] = (u_char)(acc >> 8);
			out[o++] = (u_char)acc;
			acc = 0;
		}
	}
	/* Unpadded input, or padding that does not finish the quantum. */
	if ((n + npad) % 4 != 0)
		return ERR_INVALID_FORMAT;
	switch (n % 4) {
	case 0:
		break;
	case 2:		/* 12 bits: one byte and 4 pad bits */
		if ((acc & 0x0f) != 0)
			return ERR_INVALID_FORMAT;
		out[o++] = (u_char)(acc >> 4);
		break;
	case 3:		/* 18 bits: two bytes and 2 pad bits */
		if ((acc & 0x03) != 0)
			return ERR_INVALID_FORMAT;
		out[o++] = (u_char)(acc >> 10);
		out[o++] = (u_char)(acc >> 2);
		break;
	default:
		return ERR_INVALID_FORMAT;
	}
	*outlenp = o;
	return 0;
}

int
buf_b64tod(struct buf *b, const char *b64)
{
	const char *s;
	u_char *p = NULL;
	size_t nchars = 0, room, len = 0;
	int r = ERR_INTERNAL;

	if (b == NULL || b64 == NULL)
		return ERR_INVALID_ARGUMENT;
	for (s = b64; *s != '\0'; s++) {
		if (!b64_is_space(*s))
			nchars++;
	}
	if (nchars == 0)
		return 0;
	room = nchars / 4 * 3 + 3;
	if (room > BUF_SIZE_MAX)
		return ERR_NO_BUFFER_SPACE;
	if ((r = buf_reserve(b, room, &p)) != 0)
		return r;
	r = b64_decode(b64, p, &len);
	if (r != 0)
		len = 0;
	/* Give back what was not used, wiping any partial output. */
	explicit_bzero(p + len, room - len);
	if (buf_consume_end(b, room - len) != 0)
		return ERR_INTERNAL;
	return r;
}

/* Encoded length of n bytes, with the newlines if wrap. */
static size_t
b64_encoded_len(size_t n, int wrap)
{
	size_t len = (n / 3 + (n % 3 != 0)) * 4;

	if (wrap)
		len += len / B64_WRAP + (len % B64_WRAP != 0);
	return len;
}

/* Encode n bytes at in into out, which has b64_encoded_len() bytes. */
static void
b64_encode(const u_char *in, size_t n, char *out, int wrap)
{
	char quad[4];
	size_t i, j, col = 0, o = 0;
	uint32_t acc;

	for (i = 0; i < n; i += 3) {
		acc = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			acc |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			acc |= in[i + 2];
		quad[0] = b64_alphabet[(acc >> 18) & 0x3f];
		quad[1] = b64_alphabet[(acc >> 12) & 0x3f];
		quad[2] = i + 1 < n ? b64_alphabet[(acc >> 6) & 0x3f] : '=';
		quad[3] = i + 2 < n ? b64_alphabet[acc & 0x3f] : '=';
		for (j = 0; j < 4; j++) {
			out[o++] = quad[j];
			if (wrap && ++col == B64_WRAP) {
				out[o++] = '\n';
				col = 0;
			}
		}
	}
	if (wrap && col != 0)
		out[o++] = '\n';
}

int
buf_dtob64(const struct buf *src, struct buf *b, int wrap)
{
	size_t n = buf_len(src), len;
	u_char *p;
	int r;

	if (src == NULL || b == NULL)
		return ERR_INVALID_ARGUMENT;
	if (n == 0)
		return 0;
	if (n > BUF_SIZE_MAX)
		return ERR_NO_BUFFER_SPACE;
	len = b64_encoded_len(n, wrap);
	if ((r = buf_reserve(b, len, &p)) != 0)
		return r;
	/* Only now look at src's bytes: src may be b itself. */
	b64_encode(buf_ptr(src), n, (char *)p, wrap);
	return 0;
}

char *
buf_dtob64_string(const struct buf *b, int wrap)
{
	size_t n = buf_len(b), len;
	char *s;

	if (b == NULL || n > BUF_SIZE_MAX)
		return NULL;
	len = b64_encoded_len(n, wrap);
	if ((s = malloc(len + 1)) == NULL)
		return NULL;
	if (n != 0)
		b64_encode(buf_ptr(b), n, s, wrap);
	s[len] = '\0';
	return s;
}

/* ------------------------------------------------------- strings */

char *
buf_dtohex(const struct buf *b)
{
	static const char hex[] = "0123456789abcdef";
	const u_char *p = buf_ptr(b);
	size_t n = buf_len(b), i;
	char *s;

	if (b == NULL || n > (SIZE_MAX - 1) / 2)
		return NULL;
	if ((s = malloc(n * 2 + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		s[i * 2] = hex[p[i] >> 4];
		s[i * 2 + 1] = hex[p[i] & 0x0f];
	}
	s[n * 2] = '\0';
	return s;
}

char *
buf_dup_string(const struct buf *b)
{
	const u_char *p = buf_ptr(b), *z;
	size_t n = buf_len(b);
	char *s;

	if (b == NULL || n == SIZE_MAX)
		return NULL;
	/* One NUL that ends the contents is not part of the string. */
	if (n != 0 && (z = memchr(p, '\0', n)) != NULL) {
		if ((size_t)(z - p) != n - 1)
			return NULL;
		n--;
	}
	if ((s = malloc(n + 1)) == NULL)
		return NULL;
	if (n != 0)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/* ------------------------------------------------------- files */

/* read(2) that retries on EINTR and waits out EAGAIN. */
static ssize_t
read_retry(int fd, void *p, size_t len)
{
	struct pollfd pfd;
	ssize_t n;

	for (;;) {
		if ((n = read(fd, p, len)) >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
			return -1;
	}
}

/* Read fd to its end into b. */
static int
load_into(int fd, struct buf *b)
{
	u_char *p, extra;
	size_t chunk;
	ssize_t n;
	int r;

	for (;;) {
		if ((chunk = MINIMUM(buf_avail(b), LOAD_CHUNK)) == 0) {
			/* Full: anything more is too much. */
			if ((n = read_retry(fd, &extra, 1)) < 0)
				return ERR_ERRNO;
			return n == 0 ? 0 : ERR_NO_BUFFER_SPACE;
		}
		if ((r = buf_reserve(b, chunk, &p)) != 0)
			return r;
		if ((n = read_retry(fd, p, chunk)) < 0) {
			r = ERR_ERRNO;
			n = 0;
		}
		if (buf_consume_end(b, chunk - (size_t)n) != 0)
			return ERR_INTERNAL;
		if (r != 0 || n == 0)
			return r;
	}
}

int
buf_load_fd(int fd, struct buf **bufp)
{
	struct buf *b = NULL;
	struct stat st;
	int r = ERR_INTERNAL, saved_errno;

	if (bufp == NULL)
		return ERR_INVALID_ARGUMENT;
	*bufp = NULL;
	if (fstat(fd, &st) == -1)
		return ERR_ERRNO;
	/* The size is a hint: the file may change while we read it. */
	if (S_ISREG(st.st_mode) && st.st_size > (off_t)BUF_SIZE_MAX)
		return ERR_NO_BUFFER_SPACE;
	if ((b = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if (S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (r = buf_allocate(b, (size_t)st.st_size)) != 0)
		goto out;
	if ((r = load_into(fd, b)) != 0)
		goto out;
	*bufp = b;
	b = NULL;
	r = 0;
 out:
	saved_errno = errno;
	buf_free(b);
	errno = saved_errno;
	return r;
}

int
buf_load_file(const char *path, struct buf **bufp)
{
	int fd, r, saved_errno;

	if (bufp != NULL)
		*bufp = NULL;
	if (path == NULL || bufp == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC)) == -1)
		return ERR_ERRNO;
	r = buf_load_fd(fd, bufp);
	saved_errno = errno;
	close(fd);
	errno = saved_errno;
	return r;
}

/* write(2) all of p, retrying on EINTR. */
static int
write_all(int fd, const u_char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return ERR_ERRNO;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
buf_write_file(const char *path, const struct buf *b, mode_t mode)
{
	char *tmp = NULL;
	size_t tlen;
	int fd = -1, created = 0, r = ERR_INTERNAL, saved_errno;

	if (path == NULL || b == NULL)
		return ERR_INVALID_ARGUMENT;
	tlen = strlen(path) + sizeof(".XXXXXXXXXX");
	if ((tmp = malloc(tlen)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((size_t)snprintf(tmp, tlen, "%s.XXXXXXXXXX", path) != tlen - 1)
		goto out;
	/* Same directory as path, so the rename cannot cross devices. */
	if ((fd = mkstemp(tmp)) == -1) {
		r = ERR_ERRNO;
		goto out;
	}
	created = 1;
	if (fchmod(fd, mode) == -1 ||
	    write_all(fd, buf_ptr(b), buf_len(b)) != 0 || fsync(fd) == -1) {
		r = ERR_ERRNO;
		goto out;
	}
	r = close(fd);
	fd = -1;
	if (r == -1 || rename(tmp, path) == -1) {
		r = ERR_ERRNO;
		goto out;
	}
	created = 0;
	r = 0;
 out:
	saved_errno = errno;
	if (fd != -1)
		close(fd);
	if (created)
		unlink(tmp);
	free(tmp);
	errno = saved_errno;
	return r;
}
