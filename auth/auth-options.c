/*
 * auth-options.c: authorized_keys lines: the options field, the key, and
 * finding the line that holds a given key.
 */
#include "includes.h"

#include <ctype.h>
#include <strings.h>

#include "auth/auth-options.h"
#include "errcode.h"
#include "key.h"
#include "log.h"
#include "match.h"
#include "misc.h"

#define AUTHKEYS_LINE_MAX	(64 * 1024)	/* longer lines are skipped */

struct authopts *
authopts_new(void)
{
	struct authopts *o;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	o->permit_port_forwarding = 1;
	o->permit_agent_forwarding = 1;
	o->permit_x11_forwarding = 1;
	o->permit_pty = 1;
	o->permit_user_rc = 1;
	o->force_tun_device = AUTHOPTS_TUN_ANY;
	return o;
}

static void
free_array(char **a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(a[i]);
	free(a);
}

void
authopts_free(struct authopts *o)
{
	if (o == NULL)
		return;
	free(o->force_command);
	free(o->required_from_host);
	free(o->cert_principals);
	free_array(o->env, o->nenv);
	free_array(o->permitopen, o->npermitopen);
	free_array(o->permitlisten, o->npermitlisten);
	free(o);
}

/* ------------------------------------------------------------ parsing */

/* Parser position and the error it stopped with. */
struct ap_state {
	const char *p;
	const char *errstr;
};

#define FAIL(st, msg) do { (st)->errstr = (msg); \
	return ERR_INVALID_FORMAT; } while (0)

/*
 * If the option at st->p is named name, step past it and return 1.
 * Names are case-insensitive and must end at '=', ',' or white space.
 */
static int
opt_name(struct ap_state *st, const char *name)
{
	size_t n = strlen(name);

	if (strncasecmp(st->p, name, n) != 0)
		return 0;
	if (st->p[n] != '\0' && st->p[n] != '=' && st->p[n] != ',' &&
	    st->p[n] != ' ' && st->p[n] != '\t')
		return 0;
	st->p += n;
	return 1;
}

/* ="value": a quoted string where \" stands for a quote. */
static int
opt_value(struct ap_state *st, char **valp)
{
	const char *p = st->p;
	char *v;
	size_t i = 0;

	*valp = NULL;
	if (*p++ != '=')
		FAIL(st, "missing value");
	if (*p++ != '"')
		FAIL(st, "missing start quote");
	if ((v = malloc(strlen(p) + 1)) == NULL)
		return ERR_ALLOC_FAIL;
	for (; *p != '\0' && *p != '"'; p++) {
		if (*p == '\\' && p[1] == '"')
			p++;
		v[i++] = *p;
	}
	if (*p != '"') {
		free(v);
		FAIL(st, "missing end quote");
	}
	v[i] = '\0';
	st->p = p + 1;
	*valp = v;
	return 0;
}

static int
array_add(char ***ap, size_t *np, char *s)
{
	char **tmp;

	if (*np >= AUTHOPTS_MAX_LIST) {
		free(s);
		return ERR_NUMBER_TOO_LARGE;
	}
	if ((tmp = reallocarray(*ap, *np + 1, sizeof(**ap))) == NULL) {
		free(s);
		return ERR_ALLOC_FAIL;
	}
	*ap = tmp;
	tmp[(*np)++] = s;
	return 0;
}

/* "NAME=value" with NAME made of letters, digits and '_'. */
static int
add_env(struct ap_state *st, struct authopts *o, char *v)
{
	size_t n = strcspn(v, "="), i;

	if (n == 0 || v[n] != '=') {
		free(v);
		FAIL(st, "invalid environment string");
	}
	for (i = 0; i < n; i++) {
		if (!isalnum((u_char)v[i]) && v[i] != '_') {
			free(v);
			FAIL(st, "invalid environment string");
		}
	}
	for (i = 0; i < o->nenv; i++) {
		if (strncmp(o->env[i], v, n + 1) == 0) {
			free(v);	/* the first value of a name wins */
			return 0;
		}
	}
	return array_add(&o->env, &o->nenv, v);
}

/* permitopen "host:port" (port may be *); permitlisten "[host:]port". */
static int
add_permit(struct ap_state *st, struct authopts *o, char *v, int listen)
{
	char *copy = NULL, *cp, *host, *entry = NULL;
	int ok = 0;

	if (listen && strchr(v, ':') == NULL) {
		if (asprintf(&entry, "*:%s", v) == -1) {
			free(v);
			return ERR_ALLOC_FAIL;
		}
		free(v);
		v = entry;
	}
	if ((copy = strdup(v)) == NULL) {
		free(v);
		return ERR_ALLOC_FAIL;
	}
	cp = copy;
	if ((host = hpdelim(&cp)) != NULL && *host != '\0' && cp != NULL)
		ok = strcmp(cp, "*") == 0 || a2port(cp) > 0 ||
		    (listen && a2port(cp) == 0);
	free(copy);
	if (!ok) {
		free(v);
		FAIL(st, listen ? "invalid permitlisten specification" :
		    "invalid permitopen specification");
	}
	return listen ? array_add(&o->permitlisten, &o->npermitlisten, v) :
	    array_add(&o->permitopen, &o->npermitopen, v);
}

static int
set_once(struct ap_state *st, char **field, char *v, const char *what)
{
	if (*field != NULL) {
		free(v);
		FAIL(st, what);
	}
	*field = v;
	return 0;
}

static int
set_expiry(struct ap_state *st, struct authopts *o, char *v)
{
	uint64_t t;
	int r = parse_absolute_time(v, &t);

	free(v);
	if (r != 0 || t == 0)
		FAIL(st, "invalid expires time");
	/* Several expiry-time= options: the earliest one counts. */
	if (o->valid_before == 0 || t < o->valid_before)
		o->valid_before = t;
	return 0;
}

/* A tun(4) unit number, as ssh -w takes them. */
static int
parse_tun(const char *s, long long *np)
{
	long long n = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		n = n * 10 + (*s - '0');
		if (n > AUTHOPTS_TUN_MAX)
			return -1;
	}
	*np = n;
	return 0;
}

static int
set_tunnel(struct ap_state *st, struct authopts *o, char *v)
{
	long long n;
	int r = parse_tun(v, &n);

	free(v);
	if (r != 0)
		FAIL(st, "invalid tun device");
	if (o->force_tun_device != AUTHOPTS_TUN_ANY)
		FAIL(st, "multiple \"tunnel\" clauses");
	o->force_tun_device = (int)n;
	return 0;
}

static int
set_from(struct ap_state *st, struct authopts *o, char *v)
{
	if (match_host_and_ip(NULL, NULL, v) == -1) {
		free(v);
		FAIL(st, "invalid from pattern");
	}
	return set_once(st, &o->required_from_host, v,
	    "multiple \"from\" clauses");
}

/* Options that take ="value". */
static int
value_option(struct ap_state *st, struct authopts *o, int *handled)
{
	static const char *const names[] = {
		"command", "environment", "from", "permitopen",
		"permitlisten", "expiry-time", "principals", "tunnel", NULL
	};
	char *v = NULL;
	int i, r;

	*handled = 0;
	for (i = 0; names[i] != NULL && !opt_name(st, names[i]); i++)
		;
	if (names[i] == NULL)
		return 0;
	*handled = 1;
	if ((r = opt_value(st, &v)) != 0)
		return r;
	switch (i) {
	case 0:
		return set_once(st, &o->force_command, v,
		    "multiple \"command\" clauses");
	case 1:
		return add_env(st, o, v);
	case 2:
		return set_from(st, o, v);
	case 3:
		return add_permit(st, o, v, 0);
	case 4:
		return add_permit(st, o, v, 1);
	case 5:
		return set_expiry(st, o, v);
	case 6:
		return set_once(st, &o->cert_principals, v,
		    "multiple \"principals\" clauses");
	default:
		return set_tunnel(st, o, v);
	}
}

/* Options without a value. */
static int
flag_option(struct ap_state *st, struct authopts *o)
{
	static const struct {
		const char *name;
		size_t off;
		int val;
	} flags[] = {
#define F(n, f, v) { n, offsetof(struct authopts, f), v }
		F("no-port-forwarding", permit_port_forwarding, 0),
		F("port-forwarding", permit_port_forwarding, 1),
		F("no-agent-forwarding", permit_agent_forwarding, 0),
		F("agent-forwarding", permit_agent_forwarding, 1),
		F("no-x11-forwarding", permit_x11_forwarding, 0),
		F("x11-forwarding", permit_x11_forwarding, 1),
		F("no-pty", permit_pty, 0),
		F("pty", permit_pty, 1),
		F("no-user-rc", permit_user_rc, 0),
		F("user-rc", permit_user_rc, 1),
		F("cert-authority", cert_authority, 1),
		F("no-touch-required", no_require_user_presence, 1),
		F("verify-required", require_verify, 1),
#undef F
	};
	size_t i;

	if (opt_name(st, "restrict")) {
		o->permit_port_forwarding = o->permit_agent_forwarding = 0;
		o->permit_x11_forwarding = o->permit_pty = 0;
		o->permit_user_rc = 0;
		o->restricted = 1;
		return 0;
	}
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (opt_name(st, flags[i].name)) {
			*(int *)((char *)o + flags[i].off) = flags[i].val;
			return 0;
		}
	}
	FAIL(st, "unknown key option");
}

static int
parse_options(struct ap_state *st, struct authopts *o)
{
	int r, handled;

	for (;;) {
		if (*st->p == '\0' || *st->p == ' ' || *st->p == '\t' ||
		    *st->p == ',')
			FAIL(st, "empty option");
		if ((r = value_option(st, o, &handled)) != 0)
			return r;
		if (!handled && (r = flag_option(st, o)) != 0)
			return r;
		if (*st->p == '\0' || *st->p == ' ' || *st->p == '\t')
			return 0;
		if (*st->p != ',')
			FAIL(st, "unexpected character after option");
		st->p++;
	}
}

int
authopts_parse(const char *opts, struct authopts **optsp, const char **endp,
    const char **errstrp)
{
	struct ap_state st;
	struct authopts *o;
	int r;

	if (errstrp != NULL)
		*errstrp = NULL;
	if (endp != NULL)
		*endp = NULL;
	if (optsp == NULL)
		return ERR_INVALID_ARGUMENT;
	*optsp = NULL;
	if (opts == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((o = authopts_new()) == NULL)
		return ERR_ALLOC_FAIL;
	memset(&st, 0, sizeof(st));
	st.p = opts;
	if ((r = parse_options(&st, o)) != 0) {
		if (errstrp != NULL)
			*errstrp = st.errstr != NULL ? st.errstr :
			    errcode_str(r);
		authopts_free(o);
		return r;
	}
	if (endp != NULL)
		*endp = st.p;
	*optsp = o;
	return 0;
}

int
authkeys_parse_line(const char *line, struct authopts **optsp,
    struct key **keyp, char **commentp, const char **errstrp)
{
	struct authopts *o = NULL;
	struct key *k = NULL;
	const char *p, *end = NULL;
	int r;

	if (errstrp != NULL)
		*errstrp = NULL;
	if (optsp == NULL || keyp == NULL)
		return ERR_INVALID_ARGUMENT;
	*optsp = NULL;
	*keyp = NULL;
	if (commentp != NULL)
		*commentp = NULL;
	if (line == NULL)
		return ERR_INVALID_ARGUMENT;
	p = line + strspn(line, " \t");
	if (*p == '\0' || *p == '#' || *p == '\n' || *p == '\r')
		return ERR_NOT_FOUND;
	/* A bare key first; failing that, options and then the key. */
	if (key_read_public_line(p, &k, commentp, NULL) == 0) {
		if ((o = authopts_new()) == NULL) {
			key_free(k);
			if (commentp != NULL) {
				free(*commentp);
				*commentp = NULL;
			}
			return ERR_ALLOC_FAIL;
		}
		*optsp = o;
		*keyp = k;
		return 0;
	}
	if ((r = authopts_parse(p, &o, &end, errstrp)) != 0)
		return r;
	end += strspn(end, " \t");
	if ((r = key_read_public_line(end, &k, commentp, NULL)) != 0) {
		if (errstrp != NULL)
			*errstrp = "invalid key";
		authopts_free(o);
		return r;
	}
	*optsp = o;
	*keyp = k;
	return 0;
}

/* ------------------------------------------------------------ checks */

int
authopts_from_ok(const struct authopts *o, const char *remote_host,
    const char *remote_ip)
{
	int r;

	if (o == NULL || o->required_from_host == NULL)
		return 1;
	r = match_host_and_ip(remote_host, remote_ip, o->required_from_host);
	if (r == -1) {
		error("invalid from= pattern \"%s\"", o->required_from_host);
		return 0;
	}
	return r == 1;
}

int
authopts_expired(const struct authopts *o, uint64_t now)
{
	return o != NULL && o->valid_before != 0 && now >= o->valid_before;
}

/* 1 if entry "host:port" allows host and port (* wildcards). */
static int
permit_match(const char *entry, const char *host, int port, int any_host)
{
	char *copy, *cp, *h;
	int ok = 0;

	if ((copy = strdup(entry)) == NULL)
		return 0;
	cp = copy;
	if ((h = hpdelim(&cp)) != NULL && cp != NULL) {
		ok = (strcmp(cp, "*") == 0 || a2port(cp) == port) &&
		    ((any_host && strcmp(h, "*") == 0) ||
		    strcasecmp(h, host) == 0);
	}
	free(copy);
	return ok;
}

int
authopts_permitopen_ok(const struct authopts *o, const char *host, int port)
{
	size_t i;

	if (o == NULL || o->npermitopen == 0)
		return 1;
	if (host == NULL)
		return 0;
	for (i = 0; i < o->npermitopen; i++) {
		if (permit_match(o->permitopen[i], host, port, 0))
			return 1;
	}
	return 0;
}

int
authopts_permitlisten_ok(const struct authopts *o, const char *host,
    int port)
{
	size_t i;

	if (o == NULL || o->npermitlisten == 0)
		return 1;
	if (host == NULL)
		host = "";
	for (i = 0; i < o->npermitlisten; i++) {
		if (permit_match(o->permitlisten[i], host, port, 1))
			return 1;
	}
	return 0;
}

/* ------------------------------------------------------------ files */

static int
find_in_stream(FILE *f, const char *path, const struct key *k,
    int cert_authority, struct authopts **optsp, u_long *linenump)
{
	struct authopts *o = NULL;
	struct key *lk = NULL;
	const char *errstr;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	u_long linenum = 0;
	int r = ERR_KEY_NOT_FOUND, pr;

	while ((n = getline(&line, &cap, f)) != -1) {
		linenum++;
		if ((size_t)n > AUTHKEYS_LINE_MAX ||
		    strlen(line) != (size_t)n) {
			debug("%s:%lu: line too long or has a NUL", path,
			    linenum);
			continue;
		}
		line[strcspn(line, "\r\n")] = '\0';
		pr = authkeys_parse_line(line, &o, &lk, NULL, &errstr);
		if (pr == ERR_NOT_FOUND)
			continue;
		if (pr == ERR_ALLOC_FAIL) {
			r = pr;
			break;
		}
		if (pr != 0) {
			debug("%s:%lu: skipping: %s", path, linenum,
			    errstr != NULL ? errstr : errcode_str(pr));
			continue;
		}
		if (key_equal_public(lk, k) &&
		    (o->cert_authority != 0) == (cert_authority != 0)) {
			debug("%s:%lu: matching key found", path, linenum);
			if (optsp != NULL) {
				*optsp = o;
				o = NULL;
			}
			if (linenump != NULL)
				*linenump = linenum;
			r = 0;
			break;
		}
		authopts_free(o);
		key_free(lk);
		o = NULL;
		lk = NULL;
	}
	authopts_free(o);
	key_free(lk);
	free(line);
	return r;
}

int
authkeys_find_key_fd(int fd, const char *path, const struct key *k,
    int cert_authority, struct authopts **optsp, u_long *linenump)
{
	FILE *f;
	int dfd, r;

	if (optsp != NULL)
		*optsp = NULL;
	if (linenump != NULL)
		*linenump = 0;
	if (fd < 0 || path == NULL || k == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((dfd = dup(fd)) == -1)
		return ERR_ERRNO;
	if ((f = fdopen(dfd, "r")) == NULL) {
		close(dfd);
		return ERR_ERRNO;
	}
	r = find_in_stream(f, path, k, cert_authority, optsp, linenump);
	fclose(f);
	return r;
}

int
authkeys_find_key(const char *path, const struct key *k, int cert_authority,
    struct authopts **optsp, u_long *linenump)
{
	FILE *f;
	int r;

	if (optsp != NULL)
		*optsp = NULL;
	if (linenump != NULL)
		*linenump = 0;
	if (path == NULL || k == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((f = fopen(path, "re")) == NULL)
		return ERR_ERRNO;
	r = find_in_stream(f, path, k, cert_authority, optsp, linenump);
	fclose(f);
	return r;
}
