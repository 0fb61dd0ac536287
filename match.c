/*
 * match.c: wildcard patterns, pattern lists, user@host patterns and
 * algorithm-name lists.  Address and CIDR lists are in match-addr.c.
 *
 * Patterns are matched without copying them: a list entry is a (pointer,
 * length) slice of the list string.
 */
#include "includes.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <ctype.h>

#include "errcode.h"
#include "match.h"

#define FOLD_PATTERN	0x01	/* compare the pattern in lower case */
#define FOLD_STRING	0x02	/* compare the string in lower case */

static int
fold(int c, int on)
{
	c = (unsigned char)c;
	return on ? tolower(c) : c;
}

/*
 * The slen bytes at s against the plen bytes at pat.  Greedy with one
 * backtrack point (the last '*'), so the cost is at most slen * plen,
 * never exponential.
 */
static int
pattern_match_n(const char *s, size_t slen, const char *pat, size_t plen,
    int flags)
{
	size_t si = 0, pi = 0, star_si = 0, star_pi = 0;
	int fp = flags & FOLD_PATTERN, fs = flags & FOLD_STRING, star = 0;

	while (si < slen) {
		if (pi < plen && pat[pi] == '*') {
			star = 1;
			star_pi = ++pi;
			star_si = si;
		} else if (pi < plen && (pat[pi] == '?' ||
		    fold(pat[pi], fp || fs) == fold(s[si], fs))) {
			pi++;
			si++;
		} else if (star) {
			/* Let the last '*' swallow one more character. */
			pi = star_pi;
			si = ++star_si;
		} else
			return 0;
	}
	while (pi < plen && pat[pi] == '*')
		pi++;
	return pi == plen;
}

static int
pattern_match(const char *s, const char *pat, size_t plen, int flags)
{
	return pattern_match_n(s, strlen(s), pat, plen, flags);
}

int
match_pattern(const char *s, const char *pattern)
{
	if (s == NULL || pattern == NULL)
		return 0;
	return pattern_match(s, pattern, strlen(pattern), 0);
}

/*
 * The body of match_pattern_list() for the slen bytes at s; empty entries
 * are skipped.
 */
static int
list_match_n(const char *s, size_t slen, const char *list, int flags)
{
	const char *p = list;
	int negated, got_positive = 0;
	size_t len;

	for (;;) {
		if ((negated = (*p == '!')))
			p++;
		len = strcspn(p, ",");
		if (len > 0 && pattern_match_n(s, slen, p, len, flags)) {
			if (negated)
				return -1;	/* negation wins at once */
			got_positive = 1;
		}
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	return got_positive;
}

static int
list_match(const char *s, const char *list, int flags)
{
	if (s == NULL || list == NULL)
		return 0;
	return list_match_n(s, strlen(s), list, flags);
}

int
match_pattern_list(const char *s, const char *list, int dolower)
{
	return list_match(s, list, dolower ? FOLD_PATTERN : 0);
}

int
match_hostname(const char *host, const char *list)
{
	return list_match(host, list, FOLD_PATTERN | FOLD_STRING);
}

int
match_host_and_ip(const char *host, const char *ipaddr, const char *list)
{
	int mhost = 0, mip;

	if (list == NULL)
		return 0;
	/* Validates the list whatever else we are given. */
	if ((mip = addr_match_list(ipaddr, list)) == -2)
		return -1;
	if (mip == -1)
		return 0;
	if (host != NULL && (mhost = match_hostname(host, list)) == -1)
		return 0;
	return (mhost == 1 || mip == 1) ? 1 : 0;
}

int
match_user(const char *user, const char *host, const char *ipaddr,
    const char *pattern)
{
	const char *at;

	if (pattern == NULL)
		return -1;
	at = strchr(pattern, '@');
	if (user == NULL && host == NULL && ipaddr == NULL) {
		/* Only validate the host part. */
		if (at != NULL && match_host_and_ip(NULL, NULL, at + 1) < 0)
			return -1;
		return 0;
	}
	if (user == NULL)
		return 0;
	if (at == NULL)
		return match_pattern(user, pattern);
	if (!pattern_match(user, pattern, (size_t)(at - pattern), 0))
		return 0;
	return match_host_and_ip(host, ipaddr, at + 1);
}

/* ------------------------------------------------------------ name lists */

/* 1 if the len bytes at name are one of the entries of the comma list. */
static int
in_list(const char *name, size_t len, const char *list)
{
	const char *p = list;
	size_t l;

	if (len == 0)
		return 0;
	for (;;) {
		l = strcspn(p, ",");
		if (l == len && memcmp(p, name, len) == 0)
			return 1;
		if (p[l] == '\0')
			return 0;
		p += l + 1;
	}
}

char *
match_list(const char *client, const char *server, u_int *next)
{
	const char *p = client;
	size_t len;
	char *ret;

	if (next != NULL)
		*next = 0;
	if (client == NULL || server == NULL)
		return NULL;
	for (;;) {
		len = strcspn(p, ",");
		if (in_list(p, len, server)) {
			if ((ret = strndup(p, len)) != NULL && next != NULL)
				*next = (u_int)(p - client + len +
				    (p[len] == ',' ? 1 : 0));
			return ret;
		}
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	if (next != NULL)
		*next = (u_int)strlen(client);
	return NULL;
}

/* Names of the list that match (allow) or do not match (deny) filter. */
static char *
filter_names(const char *names, const char *filter, int allow)
{
	const char *p = names;
	size_t len, used = 0;
	char *ret;
	int hit;

	if (names == NULL || filter == NULL)
		return NULL;
	if ((ret = malloc(strlen(names) + 1)) == NULL)
		return NULL;
	for (;;) {
		len = strcspn(p, ",");
		hit = list_match_n(p, len, filter, 0) == 1;
		if (len > 0 && hit == allow) {
			if (used > 0)
				ret[used++] = ',';
			memcpy(ret + used, p, len);
			used += len;
		}
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	ret[used] = '\0';
	return ret;
}

char *
match_filter_denylist(const char *names, const char *filter)
{
	return filter_names(names, filter, 0);
}

char *
match_filter_allowlist(const char *names, const char *filter)
{
	return filter_names(names, filter, 1);
}

/* ------------------------------------------------------------ filter_list */

/* A growing comma list. */
struct namelist {
	char *s;
	size_t len;
	size_t cap;
};

/* Append the len bytes at name unless already present. */
static int
namelist_add(struct namelist *nl, const char *name, size_t len)
{
	size_t need, ncap;
	char *tmp;

	if (nl->s != NULL && in_list(name, len, nl->s))
		return 0;
	if (len > SIZE_MAX / 2 - nl->len - 2)
		return ERR_ALLOC_FAIL;
	need = nl->len + len + 2;	/* comma and NUL */
	if (need > nl->cap) {
		ncap = MAXIMUM(need, nl->cap * 2);
		if ((tmp = realloc(nl->s, ncap)) == NULL)
			return ERR_ALLOC_FAIL;
		nl->s = tmp;
		nl->cap = ncap;
	}
	if (nl->len > 0)
		nl->s[nl->len++] = ',';
	memcpy(nl->s + nl->len, name, len);
	nl->len += len;
	nl->s[nl->len] = '\0';
	return 0;
}

/*
 * Add the names of all that the entry (len bytes at e) selects: itself if
 * it is a supported name, or every supported name its wildcards match.
 * With strict, an entry selecting nothing is an error; otherwise skipped.
 */
static int
namelist_add_entry(struct namelist *nl, const char *e, size_t len,
    const char *all, int strict)
{
	const char *p = all;
	size_t l;
	int r, found = 0;

	if (len == 0 || *e == '!')
		return strict ? ERR_INVALID_ARGUMENT : 0;
	if (memchr(e, '*', len) == NULL && memchr(e, '?', len) == NULL) {
		if (in_list(e, len, all))
			return namelist_add(nl, e, len);
		return strict ? ERR_INVALID_ARGUMENT : 0;
	}
	for (;;) {
		l = strcspn(p, ",");
		if (l > 0 && pattern_match_n(p, l, e, len, 0)) {
			found = 1;
			if ((r = namelist_add(nl, p, l)) != 0)
				return r;
		}
		if (p[l] == '\0')
			break;
		p += l + 1;
	}
	return (!found && strict) ? ERR_INVALID_ARGUMENT : 0;
}

/* namelist_add_entry() for each entry of the comma list. */
static int
namelist_add_list(struct namelist *nl, const char *list, const char *all,
    int strict)
{
	const char *p = list;
	size_t len;
	int r;

	for (;;) {
		len = strcspn(p, ",");
		if ((r = namelist_add_entry(nl, p, len, all, strict)) != 0)
			return r;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

int
match_filter_list(const char *defaults, const char *spec,
    const char *all_supported, char **retp)
{
	struct namelist nl = { NULL, 0, 0 };
	int r = ERR_INTERNAL;
	const char *all = all_supported;

	if (retp != NULL)
		*retp = NULL;
	if (defaults == NULL || all == NULL || retp == NULL)
		return ERR_INVALID_ARGUMENT;
	if (spec == NULL || *spec == '\0')
		r = namelist_add_list(&nl, defaults, all, 0);
	else if (*spec == '-') {
		if ((nl.s = match_filter_denylist(defaults, spec + 1)) == NULL)
			r = ERR_ALLOC_FAIL;
		else
			r = 0;
	} else if (*spec == '+') {
		if ((r = namelist_add_list(&nl, defaults, all, 0)) == 0)
			r = namelist_add_list(&nl, spec + 1, all, 1);
	} else if (*spec == '^') {
		if ((r = namelist_add_list(&nl, spec + 1, all, 1)) == 0)
			r = namelist_add_list(&nl, defaults, all, 0);
	} else
		r = namelist_add_list(&nl, spec, all, 1);
	if (r != 0)
		goto out;
	if (nl.s == NULL || *nl.s == '\0') {
		r = ERR_INVALID_ARGUMENT;	/* nothing left */
		goto out;
	}
	*retp = nl.s;
	nl.s = NULL;
	r = 0;
 out:
	free(nl.s);
	return r;
}

/* ------------------------------------------------------------ addresses */

#define ADDR_SCOPE_MAX	32	/* longest %scope we keep */
#define ADDR_ENTRY_MAX	128	/* longer list entries are not addresses */

/* A parsed numeric address; scope is the text after '%' (IPv6 only). */
struct xaddr {
	int af;
	uint8_t a[16];
	char scope[ADDR_SCOPE_MAX + 1];
};

/* Parse the len bytes at s as a numeric address.  0 or -1. */
static int
xaddr_parse(const char *s, size_t len, struct xaddr *xa)
{
	char buf[ADDR_ENTRY_MAX + 1], *pct;

	memset(xa, 0, sizeof(*xa));
	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (strchr(buf, ':') == NULL) {
		xa->af = AF_INET;
		return inet_pton(AF_INET, buf, xa->a) == 1 ? 0 : -1;
	}
	/* Scope names are compared as text: no interface lookups here. */
	if ((pct = strchr(buf, '%')) != NULL) {
		*pct++ = '\0';
		if (*pct == '\0' ||
		    strlcpy(xa->scope, pct, sizeof(xa->scope)) >=
		    sizeof(xa->scope))
			return -1;
	}
	xa->af = AF_INET6;
	return inet_pton(AF_INET6, buf, xa->a) == 1 ? 0 : -1;
}

static u_int
xaddr_bits(const struct xaddr *xa)
{
	return xa->af == AF_INET ? 32 : 128;
}

/* 1 if the first masklen bits of a and b are equal. */
static int
prefix_equal(const uint8_t *a, const uint8_t *b, u_int masklen)
{
	u_int whole = masklen / 8, rest = masklen % 8;
	uint8_t m;

	if (memcmp(a, b, whole) != 0)
		return 0;
	if (rest == 0)
		return 1;
	m = (uint8_t)(0xff << (8 - rest));
	return (a[whole] & m) == (b[whole] & m);
}

/* 1 if any bit after the first masklen bits is set. */
static int
host_bits_set(const struct xaddr *xa, u_int masklen)
{
	u_int i, bits = xaddr_bits(xa);

	for (i = masklen; i < bits; i++) {
		if (xa->a[i / 8] & (0x80 >> (i % 8)))
			return 1;
	}
	return 0;
}

/*
 * Parse the len bytes at s as "address" or "address/masklen".
 * 0 ok; -1 not an address at all (no '/'); -2 looks like a CIDR block but
 * is malformed (bad address or mask, bits set beyond the mask).
 */
static int
cidr_parse(const char *s, size_t len, struct xaddr *xa, u_int *masklenp)
{
	const char *slash = memchr(s, '/', len);
	size_t alen, mlen, i;
	u_int masklen = 0;

	if (slash == NULL) {
		if (xaddr_parse(s, len, xa) != 0)
			return -1;
		*masklenp = xaddr_bits(xa);
		return 0;
	}
	alen = (size_t)(slash - s);
	mlen = len - alen - 1;
	if (xaddr_parse(s, alen, xa) != 0 || mlen == 0 || mlen > 3)
		return -2;
	for (i = 0; i < mlen; i++) {
		if (!isdigit((unsigned char)slash[1 + i]))
			return -2;
		masklen = masklen * 10 + (u_int)(slash[1 + i] - '0');
	}
	if (masklen > xaddr_bits(xa) || host_bits_set(xa, masklen))
		return -2;
	*masklenp = masklen;
	return 0;
}

/* 1 if the address of an IPv4-mapped IPv6 address, as IPv4, is in *v4. */
static int
xaddr_unmap(const struct xaddr *v6, struct xaddr *v4)
{
	static const uint8_t prefix[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};

	if (v6->af != AF_INET6 || memcmp(v6->a, prefix, 12) != 0)
		return 0;
	memset(v4, 0, sizeof(*v4));
	v4->af = AF_INET;
	memcpy(v4->a, v6->a + 12, 4);
	return 1;
}

/* 1 if addr lies in the block net/masklen. */
static int
xaddr_in_net(const struct xaddr *addr, const struct xaddr *net,
    u_int masklen)
{
	struct xaddr v4;

	if (addr->af == net->af) {
		/* An entry without a scope accepts any scope. */
		if (net->scope[0] != '\0' &&
		    strcmp(net->scope, addr->scope) != 0)
			return 0;
		return prefix_equal(addr->a, net->a, masklen);
	}
	if (net->af == AF_INET && xaddr_unmap(addr, &v4))
		return prefix_equal(v4.a, net->a, masklen);
	return 0;
}

int
addr_match_list(const char *addr, const char *list)
{
	struct xaddr target, net;
	const char *p = list, *e;
	int have_target, neg, r, found, got_pos = 0, got_neg = 0;
	u_int masklen;
	size_t len;

	if (list == NULL)
		return -2;
	have_target = addr != NULL &&
	    xaddr_parse(addr, strlen(addr), &target) == 0;
	/* The whole list is checked even after a decision. */
	for (;;) {
		len = strcspn(p, ",");
		e = p;
		if ((neg = (*e == '!'))) {
			e++;
			len--;
		}
		if (len == 0)
			return -2;
		found = 0;
		if ((r = cidr_parse(e, len, &net, &masklen)) == -2)
			return -2;
		else if (r == 0)
			found = have_target &&
			    xaddr_in_net(&target, &net, masklen);
		else if (memchr(e, '/', len) != NULL)
			return -2;
		else if (have_target)
			found = pattern_match_n(addr, strlen(addr), e, len,
			    FOLD_PATTERN | FOLD_STRING);
		if (found && neg)
			got_neg = 1;
		else if (found)
			got_pos = 1;
		p = e + len;
		if (*p == '\0')
			break;
		p++;
	}
	return got_neg ? -1 : got_pos;
}

#define CIDR_CHARS	"0123456789abcdefABCDEF.:/"

int
addr_match_cidr_list(const char *addr, const char *list)
{
	struct xaddr target, net;
	const char *p = list;
	int have_target, found = 0;
	u_int masklen;
	size_t len;

	if (list == NULL)
		return -1;
	have_target = addr != NULL &&
	    xaddr_parse(addr, strlen(addr), &target) == 0;
	for (;;) {
		len = strcspn(p, ",");
		if (len == 0 || strspn(p, CIDR_CHARS) < len ||
		    cidr_parse(p, len, &net, &masklen) != 0)
			return -1;
		if (have_target && xaddr_in_net(&target, &net, masklen))
			found = 1;
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	return found;
}
