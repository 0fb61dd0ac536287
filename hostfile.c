/*
 * hostfile.c: known_hosts files: parsing lines, hashed names, looking up
 * a host's keys and appending entries.
 */
#include "includes.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <strings.h>

#include "buf.h"
#include "digest.h"
#include "errcode.h"
#include "hostfile.h"
#include "key.h"
#include "log.h"
#include "match.h"
#include "misc.h"

#define HASH_LEN	20	/* HMAC-SHA1 */

/* ------------------------------------------------------------ names */

char *
hostfile_host_name(const char *host, int port)
{
	char *ret;

	if (host == NULL)
		return NULL;
	if (port == 0 || port == 22)
		return strdup(host);
	if (asprintf(&ret, "[%s]:%d", host, port) == -1)
		return NULL;
	return ret;
}

static int
hmac_name(const char *host, const u_char *salt, size_t saltlen,
    u_char *out)
{
	struct hmac_ctx *ctx;
	int r;

	if ((ctx = hmac_start(DIGEST_SHA1)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = hmac_init(ctx, salt, saltlen)) == 0 &&
	    (r = hmac_update(ctx, host, strlen(host))) == 0)
		r = hmac_final(ctx, out, HASH_LEN);
	hmac_free(ctx);
	return r;
}

static char *
b64(const u_char *p, size_t len)
{
	struct buf *b;
	char *s;

	if ((b = buf_from(p, len)) == NULL)
		return NULL;
	s = buf_dtob64_string(b, 0);
	buf_free(b);
	return s;
}

int
hostfile_hash_name(const char *host, const u_char *salt, size_t saltlen,
    char **retp)
{
	u_char rnd[HOSTFILE_SALT_LEN], mac[HASH_LEN];
	char *s64 = NULL, *h64 = NULL;
	int r = ERR_INTERNAL;

	if (retp == NULL)
		return ERR_INVALID_ARGUMENT;
	*retp = NULL;
	if (host == NULL || (salt != NULL && saltlen != HOSTFILE_SALT_LEN))
		return ERR_INVALID_ARGUMENT;
	if (salt == NULL) {
		arc4random_buf(rnd, sizeof(rnd));
		salt = rnd;
		saltlen = sizeof(rnd);
	}
	if ((r = hmac_name(host, salt, saltlen, mac)) != 0)
		goto out;
	if ((s64 = b64(salt, saltlen)) == NULL ||
	    (h64 = b64(mac, sizeof(mac))) == NULL ||
	    asprintf(retp, "%s%s|%s", HOSTFILE_HASH_MAGIC, s64, h64) == -1) {
		*retp = NULL;
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	r = 0;
 out:
	free(s64);
	free(h64);
	explicit_bzero(rnd, sizeof(rnd));
	return r;
}

/* Decode one base64 field of "|1|salt|hash" into exactly len bytes. */
static int
decode_field(const char *s, size_t slen, u_char *out, size_t len)
{
	struct buf *b = NULL;
	char *copy;
	int r;

	if ((copy = strndup(s, slen)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((b = buf_new()) == NULL) {
		free(copy);
		return ERR_ALLOC_FAIL;
	}
	r = buf_b64tod(b, copy);
	if (r == 0 && buf_len(b) != len)
		r = ERR_INVALID_FORMAT;
	if (r == 0)
		memcpy(out, buf_ptr(b), len);
	buf_free(b);
	free(copy);
	return r == ERR_ALLOC_FAIL ? r : (r != 0 ? ERR_INVALID_FORMAT : 0);
}

static int
match_hashed(const char *field, const char *host)
{
	u_char salt[HOSTFILE_SALT_LEN], want[HASH_LEN], got[HASH_LEN];
	const char *s = field + strlen(HOSTFILE_HASH_MAGIC), *bar;
	int r;

	if ((bar = strchr(s, '|')) == NULL)
		return ERR_INVALID_FORMAT;
	if ((r = decode_field(s, (size_t)(bar - s), salt, sizeof(salt))) != 0 ||
	    (r = decode_field(bar + 1, strlen(bar + 1), want,
	    sizeof(want))) != 0)
		return r;
	if ((r = hmac_name(host, salt, sizeof(salt), got)) != 0)
		return r;
	return timingsafe_bcmp(want, got, sizeof(got)) == 0;
}

int
hostfile_match_hosts(const char *hostfield, const char *host)
{
	if (hostfield == NULL || host == NULL)
		return ERR_INVALID_ARGUMENT;
	if (strncmp(hostfield, HOSTFILE_HASH_MAGIC,
	    strlen(HOSTFILE_HASH_MAGIC)) == 0)
		return match_hashed(hostfield, host);
	return match_hostname(host, hostfield);
}

/* ------------------------------------------------------------ lines */

/* Parsed pieces of one line; hosts and comment are owned. */
struct parsed {
	enum hostfile_marker marker;
	char	*hosts;
	struct key *key;
	char	*comment;
};

static void
parsed_clear(struct parsed *p)
{
	free(p->hosts);
	key_free(p->key);
	free(p->comment);
	memset(p, 0, sizeof(*p));
}

/* The marker word, if any; *pp is moved past it. */
static enum hostfile_marker
parse_marker(const char **pp)
{
	const char *p = *pp;
	size_t n;

	if (*p != '@')
		return MRK_NONE;
	n = strcspn(p, " \t");
	*pp = p + n + strspn(p + n, " \t");
	if (n == strlen("@revoked") && strncasecmp(p, "@revoked", n) == 0)
		return MRK_REVOKE;
	if (n == strlen("@cert-authority") &&
	    strncasecmp(p, "@cert-authority", n) == 0)
		return MRK_CA;
	return MRK_ERROR;
}

/*
 * 0 with *pp filled, ERR_NOT_FOUND for a comment or blank line, another
 * code for a line that cannot be parsed.
 */
static int
parse_line(const char *line, struct parsed *pp)
{
	const char *p = line + strspn(line, " \t");
	size_t n;
	int r;

	memset(pp, 0, sizeof(*pp));
	if (*p == '\0' || *p == '#' || *p == '\r' || *p == '\n')
		return ERR_NOT_FOUND;
	if (strlen(line) > HOSTFILE_LINE_MAX)
		return ERR_STRING_TOO_LARGE;
	if ((pp->marker = parse_marker(&p)) == MRK_ERROR)
		return ERR_INVALID_FORMAT;
	n = strcspn(p, " \t");
	if (n == 0 || p[n] == '\0')
		return ERR_INVALID_FORMAT;
	if ((pp->hosts = strndup(p, n)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = key_read_public_line(p + n, &pp->key, &pp->comment,
	    NULL)) != 0) {
		parsed_clear(pp);
		return r;
	}
	return 0;
}

/* ------------------------------------------------------------ lookup */

struct hostkeys *
hostkeys_new(void)
{
	return calloc(1, sizeof(struct hostkeys));
}

void
hostkeys_free(struct hostkeys *hk)
{
	u_int i;

	if (hk == NULL)
		return;
	for (i = 0; i < hk->num_entries; i++) {
		free(hk->entries[i].host);
		free(hk->entries[i].file);
		key_free(hk->entries[i].key);
	}
	free(hk->entries);
	free(hk);
}

struct load_ctx {
	struct hostkeys *hk;
	const char *host;
	u_int note;
};

static int
load_cb(const struct hostfile_line *l, void *arg)
{
	struct load_ctx *lc = arg;
	struct hostkey_entry *tmp, *e;
	int r;

	if (l->is_invalid || l->match != 1)
		return 0;
	if (lc->hk->num_entries >= 1024 * 1024)
		return ERR_NUMBER_TOO_LARGE;
	tmp = reallocarray(lc->hk->entries, (size_t)lc->hk->num_entries + 1,
	    sizeof(*tmp));
	if (tmp == NULL)
		return ERR_ALLOC_FAIL;
	lc->hk->entries = tmp;
	e = &tmp[lc->hk->num_entries];
	memset(e, 0, sizeof(*e));
	if ((r = key_demote(l->key, &e->key)) != 0)
		return r;
	if ((e->host = strdup(lc->host)) == NULL ||
	    (e->file = strdup(l->path)) == NULL) {
		free(e->host);
		key_free(e->key);
		return ERR_ALLOC_FAIL;
	}
	e->line = l->linenum;
	e->marker = l->marker;
	e->note = lc->note;
	lc->hk->num_entries++;
	return 0;
}

int
hostkeys_load_file(struct hostkeys *hk, const char *host, const char *path,
    u_int note)
{
	struct load_ctx lc;
	int r;

	if (hk == NULL || host == NULL || path == NULL)
		return ERR_INVALID_ARGUMENT;
	lc.hk = hk;
	lc.host = host;
	lc.note = note;
	r = hostfile_foreach(path, host, load_cb, &lc);
	if (r == ERR_ERRNO && errno == ENOENT)
		return 0;
	return r;
}

/* Same type, and for ECDSA the same curve. */
static int
same_type(const struct key *a, const struct key *b)
{
	return key_type(a) == key_type(b) &&
	    key_ecdsa_nid(a) == key_ecdsa_nid(b);
}

enum hostfile_status
hostkeys_check(const struct hostkeys *hk, const struct key *k,
    const struct hostkey_entry **foundp)
{
	const struct hostkey_entry *e, *changed = NULL;
	u_int i;

	if (foundp != NULL)
		*foundp = NULL;
	if (hk == NULL || k == NULL)
		return HOST_NEW;
	for (i = 0; i < hk->num_entries; i++) {
		e = &hk->entries[i];
		if (e->marker == MRK_REVOKE && key_equal_public(e->key, k)) {
			if (foundp != NULL)
				*foundp = e;
			return HOST_REVOKED;
		}
	}
	for (i = 0; i < hk->num_entries; i++) {
		e = &hk->entries[i];
		if (e->marker != MRK_NONE)
			continue;
		if (key_equal_public(e->key, k)) {
			if (foundp != NULL)
				*foundp = e;
			return HOST_OK;
		}
		if (changed == NULL && same_type(e->key, k))
			changed = e;
	}
	if (foundp != NULL)
		*foundp = changed;
	return changed != NULL ? HOST_CHANGED : HOST_NEW;
}

int
hostkeys_lookup_type(const struct hostkeys *hk, int type,
    const struct hostkey_entry **foundp)
{
	u_int i;

	if (foundp != NULL)
		*foundp = NULL;
	if (hk == NULL)
		return 0;
	for (i = 0; i < hk->num_entries; i++) {
		if (hk->entries[i].marker == MRK_NONE &&
		    (int)key_type(hk->entries[i].key) == type) {
			if (foundp != NULL)
				*foundp = &hk->entries[i];
			return 1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ walking */

static int
walk_line(const char *path, u_long linenum, char *line, const char *host,
    hostfile_cb *cb, void *ctx)
{
	struct hostfile_line l;
	struct parsed p;
	int r;

	memset(&l, 0, sizeof(l));
	l.path = path;
	l.linenum = linenum;
	l.line = line;
	if ((r = parse_line(line, &p)) == ERR_NOT_FOUND) {
		if (host != NULL)
			return 0;
		l.is_comment = 1;
		return cb(&l, ctx);
	} else if (r == ERR_ALLOC_FAIL)
		return r;
	else if (r != 0) {
		debug2("%s:%lu: invalid known_hosts line: %s", path, linenum,
		    errcode_str(r));
		if (host != NULL)
			return 0;
		l.is_invalid = 1;
		return cb(&l, ctx);
	}
	l.marker = p.marker;
	l.hosts = p.hosts;
	l.hashed = strncmp(p.hosts, HOSTFILE_HASH_MAGIC,
	    strlen(HOSTFILE_HASH_MAGIC)) == 0;
	l.key = p.key;
	l.comment = p.comment;
	if (host != NULL) {
		if ((l.match = hostfile_match_hosts(p.hosts, host)) < 0 &&
		    l.match != -1)
			l.match = 0;	/* a damaged hash matches nothing */
		r = l.match == 1 ? cb(&l, ctx) : 0;
	} else
		r = cb(&l, ctx);
	parsed_clear(&p);
	return r;
}

int
hostfile_foreach(const char *path, const char *host, hostfile_cb *cb,
    void *ctx)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0, len;
	ssize_t n;
	u_long linenum = 0;
	int r = 0, saved_errno;

	if (path == NULL || cb == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((f = fopen(path, "re")) == NULL)
		return ERR_ERRNO;
	while (r == 0 && (n = getline(&line, &cap, f)) != -1) {
		linenum++;
		len = (size_t)n;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (strlen(line) != len) {
			debug2("%s:%lu: NUL in line", path, linenum);
			continue;
		}
		r = walk_line(path, linenum, line, host, cb, ctx);
	}
	saved_errno = errno;
	if (r == 0 && ferror(f))
		r = ERR_ERRNO;
	free(line);
	fclose(f);
	errno = saved_errno;
	return r;
}

/* ------------------------------------------------------------ writing */

static const char *
marker_text(enum hostfile_marker m)
{
	return m == MRK_REVOKE ? "@revoked " :
	    m == MRK_CA ? "@cert-authority " : "";
}

/* Append "marker host keytext[ comment]" to out (with a '\n' first if
 * out is not empty). */
static int
append_entry(struct buf *out, enum hostfile_marker marker, const char *host,
    const char *keytext, const char *comment)
{
	return buf_putf(out, "%s%s%s %s%s%s", buf_len(out) == 0 ? "" : "\n",
	    marker_text(marker), host, keytext,
	    comment == NULL ? "" : " ", comment == NULL ? "" : comment);
}

int
hostfile_format_entry(const char *hosts, const struct key *k,
    enum hostfile_marker marker, int hash, const char *comment,
    char **linep)
{
	struct buf *out = NULL;
	char *keytext = NULL, *copy = NULL, *p, *h, *hashed = NULL;
	int r = ERR_INTERNAL;

	if (linep == NULL)
		return ERR_INVALID_ARGUMENT;
	*linep = NULL;
	if (hosts == NULL || k == NULL || *hosts == '\0' ||
	    strpbrk(hosts, " \t\r\n") != NULL || marker == MRK_ERROR)
		return ERR_INVALID_ARGUMENT;
	if ((r = key_format_public(k, &keytext)) != 0)
		return r;
	if ((out = buf_new()) == NULL || (copy = strdup(hosts)) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if (!hash)
		r = append_entry(out, marker, hosts, keytext, comment);
	for (p = copy; hash && (h = strsep(&p, ",")) != NULL;) {
		if (*h == '\0')
			continue;
		if ((r = hostfile_hash_name(h, NULL, 0, &hashed)) != 0 ||
		    (r = append_entry(out, marker, hashed, keytext,
		    comment)) != 0)
			goto out;
		free(hashed);
		hashed = NULL;
	}
	if (r != 0)
		goto out;
	if ((*linep = buf_dup_string(out)) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	r = 0;
 out:
	free(hashed);
	free(copy);
	free(keytext);
	buf_free(out);
	return r;
}

/* Write all of p; the file is locked, so nobody interleaves. */
static int
write_all(int fd, const char *p, size_t len)
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

static int
append_locked(int fd, const char *entry)
{
	struct stat st;
	char last = '\n', *text = NULL;
	int r;

	if (fstat(fd, &st) == -1)
		return ERR_ERRNO;
	if (st.st_size > 0 && pread(fd, &last, 1, st.st_size - 1) != 1)
		return ERR_ERRNO;
	if (asprintf(&text, "%s%s\n", last == '\n' ? "" : "\n", entry) == -1)
		return ERR_ALLOC_FAIL;
	r = write_all(fd, text, strlen(text));
	free(text);
	return r;
}

int
hostfile_add(const char *path, const char *hosts, const struct key *k,
    int hash)
{
	char *entry = NULL;
	int fd = -1, r, saved_errno;

	if (path == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((r = hostfile_format_entry(hosts, k, MRK_NONE, hash, NULL,
	    &entry)) != 0)
		return r;
	if ((fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC,
	    0644)) == -1) {
		r = ERR_ERRNO;
		goto out;
	}
	while (flock(fd, LOCK_EX) == -1) {
		if (errno != EINTR) {
			r = ERR_ERRNO;
			goto out;
		}
	}
	r = append_locked(fd, entry);
 out:
	saved_errno = errno;
	if (fd != -1)
		close(fd);	/* also drops the lock */
	free(entry);
	errno = saved_errno;
	return r;
}
