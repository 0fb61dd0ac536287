/*
 * scp-proto.c: control records of the legacy scp protocol, the patterns
 * that incoming names must match, and scp's location arguments
 * (scp-proto.h).
 *
 * Records are read through the buffer type one field at a time, in the
 * order they are sent, each fault named the way OpenSSH names it so the
 * "protocol error: ..." lines read the same.
 */
#include "includes.h"

#include <ctype.h>
#include <fnmatch.h>
#include <time.h>

#include "buf.h"
#include "errcode.h"
#include "misc.h"
#include "scp-proto.h"

/* The largest value a time_t / off_t holds (both signed). */
#define SCP_SIGNED_MAX(t) \
	((uint64_t)(sizeof(t) >= 8 ? INT64_MAX : INT32_MAX))
#define SCP_TIME_MAX	SCP_SIGNED_MAX(time_t)
#define SCP_OFF_MAX	SCP_SIGNED_MAX(off_t)
#define SCP_USEC_MAX	999999

/* ------------------------------------------------------------ reading */

/* The byte at the read position of b, or -1 at its end. */
static int
peek_byte(const struct buf *b)
{
	uint8_t c;

	if (buf_peek_u8(b, 0, &c) != 0)
		return -1;
	return c;
}

/* Consume one byte, which must be ch.  0 or ERR_INVALID_FORMAT. */
static int
expect_byte(struct buf *b, int ch)
{
	if (peek_byte(b) != ch)
		return ERR_INVALID_FORMAT;
	return buf_consume(b, 1);
}

/*
 * A run of at least one decimal digit.  A value above max sets
 * *overflowp (the digits are still consumed) and gives max.
 */
static int
get_decimal(struct buf *b, uint64_t max, uint64_t *valp, int *overflowp)
{
	uint64_t v = 0;
	int c, any = 0, over = 0, r;

	*valp = 0;
	*overflowp = 0;
	while ((c = peek_byte(b)) >= '0' && c <= '9') {
		if (over || v > (max - (uint64_t)(c - '0')) / 10)
			over = 1;
		else
			v = v * 10 + (uint64_t)(c - '0');
		if ((r = buf_consume(b, 1)) != 0)
			return r;
		any = 1;
	}
	if (!any)
		return ERR_INVALID_FORMAT;
	*valp = over ? max : v;
	*overflowp = over;
	return 0;
}

/* seconds, a space, microseconds: one half of a T record. */
static int
get_time_pair(struct buf *line, uint64_t *secp, int *overp, int last,
    const char *why_sec_absent, const char *why_sec_delim,
    const char *why_usec, const char **whyp)
{
	uint64_t usec;
	int over;

	if (get_decimal(line, SCP_TIME_MAX, secp, overp) != 0) {
		*whyp = why_sec_absent;
		return ERR_INVALID_FORMAT;
	}
	if (expect_byte(line, ' ') != 0) {
		*whyp = why_sec_delim;
		return ERR_INVALID_FORMAT;
	}
	if (get_decimal(line, SCP_USEC_MAX, &usec, &over) != 0 || over ||
	    (last ? buf_len(line) != 0 : expect_byte(line, ' ') != 0)) {
		*whyp = why_usec;
		return ERR_INVALID_FORMAT;
	}
	return 0;
}

int
scp_parse_times(struct buf *line, struct scp_times *t, const char **whyp)
{
	struct scp_times nt;
	int mover = 0, aover = 0, r;

	memset(t, 0, sizeof(*t));
	memset(&nt, 0, sizeof(nt));
	*whyp = NULL;
	if (expect_byte(line, 'T') != 0) {
		*whyp = "expected control record";
		return ERR_INVALID_FORMAT;
	}
	if ((r = get_time_pair(line, &nt.mtime, &mover, 0,
	    "mtime.sec not present", "mtime.sec not delimited",
	    "mtime.usec not delimited", whyp)) != 0)
		return r;
	if ((r = get_time_pair(line, &nt.atime, &aover, 1,
	    "atime.sec not present", "atime.sec not delimited",
	    "atime.usec not delimited", whyp)) != 0)
		return r;
	nt.in_range = !mover && !aover;
	*t = nt;
	return 0;
}

/* The four octal digits of a mode. */
static int
get_mode(struct buf *line, mode_t *modep)
{
	mode_t mode = 0;
	uint8_t c;
	int i, r;

	*modep = 0;
	for (i = 0; i < 4; i++) {
		if ((r = buf_get_u8(line, &c)) != 0)
			return r;
		if (c < '0' || c > '7')
			return ERR_INVALID_FORMAT;
		mode = (mode << 3) | (mode_t)(c - '0');
	}
	*modep = mode;
	return 0;
}

int
scp_parse_record(struct buf *line, struct scp_record *rec,
    const char **whyp)
{
	struct scp_record nr;
	uint8_t type;
	int over;

	memset(rec, 0, sizeof(*rec));
	memset(&nr, 0, sizeof(nr));
	*whyp = NULL;
	if (buf_get_u8(line, &type) != 0 || (type != 'C' && type != 'D')) {
		*whyp = "expected control record";
		return ERR_INVALID_FORMAT;
	}
	nr.type = type;
	if (get_mode(line, &nr.mode) != 0) {
		*whyp = "bad mode";
		return ERR_INVALID_FORMAT;
	}
	if (expect_byte(line, ' ') != 0) {
		*whyp = "mode not delimited";
		return ERR_INVALID_FORMAT;
	}
	if (get_decimal(line, SCP_OFF_MAX, &nr.size, &over) != 0) {
		*whyp = "size not present";
		return ERR_INVALID_FORMAT;
	}
	if (expect_byte(line, ' ') != 0) {
		*whyp = "size not delimited";
		return ERR_INVALID_FORMAT;
	}
	if (over) {
		*whyp = "size out of range";
		return ERR_INVALID_FORMAT;
	}
	/* The name is the rest of the line, spaces and all. */
	if (memchr(buf_ptr(line), '\0', buf_len(line)) != NULL) {
		*whyp = "filename contains a NUL";
		return ERR_INVALID_FORMAT;
	}
	if ((nr.name = buf_dup_string(line)) == NULL)
		return ERR_ALLOC_FAIL;
	buf_reset(line);
	*rec = nr;
	return 0;
}

void
scp_record_clear(struct scp_record *rec)
{
	if (rec == NULL)
		return;
	free(rec->name);
	memset(rec, 0, sizeof(*rec));
}

int
scp_name_is_safe(const char *name)
{
	if (name == NULL || *name == '\0' || strcmp(name, "..") == 0 ||
	    strchr(name, '/') != NULL)
		return 0;
	return 1;
}

/* ------------------------------------------------------------ writing */

int
scp_put_record(struct buf *b, int type, mode_t mode, uint64_t size,
    const char *name)
{
	int r;

	if ((type != 'C' && type != 'D') || name == NULL ||
	    strchr(name, '\n') != NULL)
		return ERR_INVALID_ARGUMENT;
	if ((r = buf_putf(b, "%c%04o %llu %s\n", type, (u_int)(mode & 07777),
	    (unsigned long long)size, name)) != 0)
		return r;
	return 0;
}

/* One byte in vis(3) form (default style, VIS_NL) into out[0..4). */
static size_t
vis_byte(u_char c, char *out)
{
	size_t o = 0;

	if (c == '\\') {
		out[o++] = '\\';
		out[o++] = '\\';
		return o;
	}
	if ((c > ' ' && c < 0x7f) || c == ' ' || c == '\t') {
		out[o++] = (char)c;
		return o;
	}
	out[o++] = '\\';
	if ((c & 0x7f) == ' ') {
		out[o++] = (char)('0' + (c >> 6));
		out[o++] = (char)('0' + ((c >> 3) & 7));
		out[o++] = (char)('0' + (c & 7));
		return o;
	}
	if (c & 0x80) {
		out[o++] = 'M';
		c &= 0x7f;
	}
	if (c < ' ' || c == 0x7f) {
		out[o++] = '^';
		out[o++] = c == 0x7f ? '?' : (char)(c + '@');
	} else {
		out[o++] = '-';
		out[o++] = (char)c;
	}
	return o;
}

char *
scp_name_encode(const char *name)
{
	size_t len = strlen(name), i, o = 0;
	char *out;

	if (len > SIZE_MAX / 4 - 1 || (out = malloc(len * 4 + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		o += vis_byte((u_char)name[i], out + o);
	out[o] = '\0';
	return out;
}

int
scp_put_times(struct buf *b, uint64_t mtime, uint64_t atime)
{
	return buf_putf(b, "T%llu 0 %llu 0\n", (unsigned long long)mtime,
	    (unsigned long long)atime);
}

/* ------------------------------------------------------------ patterns */

/* A growable list of strings. */
struct strlist {
	char	**v;
	size_t	n;
	size_t	cap;
};

static void
strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Append s (ownership passes to the list, also on failure). */
static int
strlist_take(struct strlist *l, char *s)
{
	char **nv;
	size_t ncap;

	if (s == NULL)
		return ERR_ALLOC_FAIL;
	if (l->n == l->cap) {
		ncap = l->cap == 0 ? 8 : l->cap * 2;
		if ((nv = reallocarray(l->v, ncap, sizeof(*nv))) == NULL) {
			free(s);
			return ERR_ALLOC_FAIL;
		}
		l->v = nv;
		l->cap = ncap;
	}
	l->v[l->n++] = s;
	return 0;
}

/*
 * The offset just past the brace group opened at s[open] (on its '}'),
 * and the number of commas at the group's own level; 0 if the group is
 * never closed.  Backslash escapes a character.
 */
static size_t
brace_close(const char *s, size_t open, size_t *commasp)
{
	size_t j;
	int depth = 0;

	*commasp = 0;
	for (j = open; s[j] != '\0'; j++) {
		if (s[j] == '\\') {
			if (s[j + 1] == '\0')
				break;
			j++;
		} else if (s[j] == '{') {
			depth++;
		} else if (s[j] == '}') {
			if (--depth == 0)
				return j;
		} else if (s[j] == ',' && depth == 1) {
			(*commasp)++;
		}
	}
	return 0;
}

/* The first group of s with a comma of its own: 1 and its braces. */
static int
brace_find(const char *s, size_t *openp, size_t *closep)
{
	size_t i, close, commas;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\\') {
			if (s[i + 1] == '\0')
				break;
			i++;
			continue;
		}
		if (s[i] != '{')
			continue;
		if ((close = brace_close(s, i, &commas)) != 0 && commas > 0) {
			*openp = i;
			*closep = close;
			return 1;
		}
	}
	return 0;
}

/* prefix s[0..open) + s[from..to) + suffix s(close..] */
static char *
brace_join(const char *s, size_t open, size_t from, size_t to, size_t close)
{
	size_t tail = strlen(s + close + 1), len = open + (to - from) + tail;
	char *out;

	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(out, s, open);
	memcpy(out + open, s + from, to - from);
	memcpy(out + open + (to - from), s + close + 1, tail + 1);
	return out;
}

/* Push each alternative of the group s[open..close] onto work. */
static int
brace_split(const char *s, size_t open, size_t close, struct strlist *work,
    size_t limit)
{
	size_t i, start = open + 1;
	int depth = 0, r;

	for (i = open + 1; i <= close; i++) {
		if (i < close && s[i] == '\\') {
			i++;
			continue;
		}
		if (i == close || (s[i] == ',' && depth == 0)) {
			if (work->n >= limit)
				return ERR_NO_BUFFER_SPACE;
			if ((r = strlist_take(work,
			    brace_join(s, open, start, i, close))) != 0)
				return r;
			start = i + 1;
		} else if (s[i] == '{') {
			depth++;
		} else if (s[i] == '}') {
			depth--;
		}
	}
	return 0;
}

/* Move the last path component of s onto done. */
static int
pattern_finish(const char *s, struct strlist *done)
{
	const char *last = strrchr(s, '/');

	return strlist_take(done, strdup(last != NULL ? last + 1 : s));
}

int
scp_patterns_from_path(const char *path, struct scp_patterns *p)
{
	struct strlist work = { NULL, 0, 0 }, done = { NULL, 0, 0 };
	size_t open, close;
	char *s = NULL;
	int r = ERR_INTERNAL;

	memset(p, 0, sizeof(*p));
	if (strlen(path) > SCP_LINE_MAX) {
		r = ERR_NO_BUFFER_SPACE;
		goto out;
	}
	if ((r = strlist_take(&work, strdup(path))) != 0)
		goto out;
	while (work.n > 0) {
		s = work.v[--work.n];
		if (brace_find(s, &open, &close))
			r = brace_split(s, open, close, &work,
			    SCP_PATTERNS_MAX - done.n);
		else if (done.n >= SCP_PATTERNS_MAX)
			r = ERR_NO_BUFFER_SPACE;
		else
			r = pattern_finish(s, &done);
		free(s);
		s = NULL;
		if (r != 0)
			goto out;
	}
	p->list = done.v;
	p->n = done.n;
	memset(&done, 0, sizeof(done));
	r = 0;
 out:
	strlist_free(&work);
	strlist_free(&done);
	return r;
}

int
scp_patterns_match(const struct scp_patterns *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (strcmp(p->list[i], name) == 0 ||
		    fnmatch(p->list[i], name, 0) == 0)
			return 1;
	}
	return 0;
}

void
scp_patterns_free(struct scp_patterns *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		free(p->list[i]);
	free(p->list);
	memset(p, 0, sizeof(*p));
}

/* ------------------------------------------------------------ locations */

#define SCP_URI_PREFIX	"scp://"

/*
 * The ':' that ends the host part of a [user@]host:path argument, or
 * NULL: a leading ':' or a '/' first makes it a local path, and inside
 * "[...]" colons belong to an address.
 */
static const char *
host_colon(const char *s)
{
	size_t i;
	int bracket = s[0] == '[';

	if (s[0] == ':')
		return NULL;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '@' && s[i + 1] == '[')
			bracket = 1;
		if (bracket && s[i] == ']' && s[i + 1] == ':')
			return s + i + 1;
		if (!bracket && s[i] == ':')
			return s + i;
		if (s[i] == '/')
			return NULL;
	}
	return NULL;
}

int
scp_is_remote(const char *arg)
{
	return strncmp(arg, SCP_URI_PREFIX, strlen(SCP_URI_PREFIX)) == 0 ||
	    host_colon(arg) != NULL;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* %-decode len bytes of s ('+' is a space); NULL if malformed. */
static char *
uri_decode(const char *s, size_t len)
{
	char *out;
	size_t i, o = 0;
	int hi, lo;

	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] != '%') {
			out[o++] = s[i];
		} else {
			if (i + 2 >= len)
				goto bad;
			if ((hi = hexval((u_char)s[i + 1])) == -1 ||
			    (lo = hexval((u_char)s[i + 2])) == -1 ||
			    (hi == 0 && lo == 0))
				goto bad;
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		}
	}
	out[o] = '\0';
	return out;
 bad:
	free(out);
	return NULL;
}

/* 1 if the len bytes of host make a plausible host name or address. */
static int
host_is_ok(const char *host, size_t len, int bracketed)
{
	size_t i;
	u_char c;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		c = (u_char)host[i];
		if (isalnum(c) || c == '-' || c == '.' || c == '_')
			continue;
		if (bracketed && (c == ':' || c == '%'))
			continue;
		return 0;
	}
	return 1;
}

/* The host[:port] of a URI: len bytes at s. */
static int
uri_host_port(const char *s, size_t len, struct scp_location *loc)
{
	const char *host = s, *close, *rest;
	char port[8];
	size_t hlen, used, rlen;
	int bracketed = len > 0 && s[0] == '[';

	if (bracketed) {
		if ((close = memchr(s, ']', len)) == NULL)
			return ERR_INVALID_FORMAT;
		host = s + 1;
		hlen = (size_t)(close - host);
		used = hlen + 2;
	} else {
		close = memchr(s, ':', len);
		hlen = close != NULL ? (size_t)(close - s) : len;
		used = hlen;
	}
	if (!host_is_ok(host, hlen, bracketed))
		return ERR_INVALID_FORMAT;
	rest = s + used;
	rlen = len - used;
	if (rlen != 0) {
		/* ":port", nothing else */
		if (rest[0] != ':' || rlen < 2 || rlen - 1 >= sizeof(port))
			return ERR_INVALID_FORMAT;
		memcpy(port, rest + 1, rlen - 1);
		port[rlen - 1] = '\0';
		if ((loc->port = a2port(port)) <= 0)
			return ERR_INVALID_FORMAT;
	}
	if ((loc->host = strndup(host, hlen)) == NULL)
		return ERR_ALLOC_FAIL;
	return 0;
}

/* scp://[user[;params]@]host[:port][/path] */
static int
parse_uri(const char *arg, struct scp_location *loc)
{
	const char *s = arg + strlen(SCP_URI_PREFIX), *end, *at, *semi;
	size_t alen;
	int r;

	end = strchr(s, '/');
	alen = end != NULL ? (size_t)(end - s) : strlen(s);
	if ((at = memchr(s, '@', alen)) != NULL) {
		semi = memchr(s, ';', (size_t)(at - s));
		if ((semi != NULL ? semi : at) == s)
			return ERR_INVALID_FORMAT;	/* empty user */
		if ((loc->user = uri_decode(s,
		    (size_t)((semi != NULL ? semi : at) - s))) == NULL)
			return ERR_INVALID_FORMAT;
		alen -= (size_t)(at + 1 - s);
		s = at + 1;
	}
	if ((r = uri_host_port(s, alen, loc)) != 0)
		return r;
	if (end != NULL && end[1] != '\0') {
		if ((loc->path = uri_decode(end + 1, strlen(end + 1))) == NULL)
			return ERR_INVALID_FORMAT;
	} else if ((loc->path = strdup(".")) == NULL) {
		return ERR_ALLOC_FAIL;
	}
	return 0;
}

/* [user@]host:path, with host "[addr]" written without its brackets. */
static int
parse_host_path(const char *arg, const char *colon, struct scp_location *loc)
{
	const char *at = NULL, *h, *p;
	size_t hlen;

	for (p = arg; p < colon; p++) {
		if (*p == '@')
			at = p;
	}
	if (at != NULL && at != arg &&
	    (loc->user = strndup(arg, (size_t)(at - arg))) == NULL)
		return ERR_ALLOC_FAIL;
	h = at != NULL ? at + 1 : arg;
	hlen = (size_t)(colon - h);
	if (hlen >= 2 && h[0] == '[' && h[hlen - 1] == ']') {
		h++;
		hlen -= 2;
	}
	if ((loc->host = strndup(h, hlen)) == NULL ||
	    (loc->path = strdup(colon[1] != '\0' ? colon + 1 : ".")) == NULL)
		return ERR_ALLOC_FAIL;
	return 0;
}

int
scp_parse_location(const char *arg, struct scp_location *loc)
{
	struct scp_location nl;
	const char *colon;
	int r;

	memset(loc, 0, sizeof(*loc));
	memset(&nl, 0, sizeof(nl));
	nl.port = -1;
	if (strncmp(arg, SCP_URI_PREFIX, strlen(SCP_URI_PREFIX)) == 0)
		r = parse_uri(arg, &nl);
	else if ((colon = host_colon(arg)) != NULL)
		r = parse_host_path(arg, colon, &nl);
	else
		r = (nl.path = strdup(arg)) == NULL ? ERR_ALLOC_FAIL : 0;
	if (r != 0) {
		scp_location_free(&nl);
		return r;
	}
	*loc = nl;
	return 0;
}

void
scp_location_free(struct scp_location *loc)
{
	if (loc == NULL)
		return;
	free(loc->user);
	free(loc->host);
	free(loc->path);
	memset(loc, 0, sizeof(*loc));
	loc->port = -1;
}

int
scp_user_is_ok(const char *user)
{
	const u_char *s;

	for (s = (const u_char *)user; *s != '\0'; s++) {
		if (*s >= 0x80 || strchr("'\"` #", *s) != NULL)
			return 0;
	}
	return 1;
}
