/*
 * servconf-kw.c: sshd_config keywords with a syntax of their own, the
 * checks of list entries, and the defaults.
 */
#include "includes.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <strings.h>

#include "conf.h"
#include "digest.h"
#include "errcode.h"
#include "log.h"
#include "match.h"
#include "misc.h"
#include "servconf.h"
#include "servconf-impl.h"
#include "servconf-kw.h"

int
sc_special_one_arg(int op)
{
	switch (op) {
	case OP_PORT:
	case OP_LOGLEVEL:
	case OP_FACILITY:
	case OP_MAXSTARTUPS:
	case OP_PERSOURCEMAX:
	case OP_PERSOURCENET:
	case OP_UNUSEDTIMEOUT:
	case OP_FPHASH:
	case OP_BINDMASK:
	case OP_PERMITUSERENV:
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------ listening */

static int
parse_port(struct servconf *o, struct sc_state *st, const char *arg)
{
	int port;

	if (o->num_ports >= SERVCONF_MAX_PORTS) {
		sc_error(st, "too many ports.");
		return ERR_CONFIG_INVALID;
	}
	if ((port = a2port(arg)) <= 0) {
		sc_error(st, "Badly formatted port number.");
		return ERR_CONFIG_INVALID;
	}
	/* sshd -p replaces the file's ports (servconf_text_add_port). */
	if (!st->active || (st->cmdline_ports && !st->is_option))
		return 0;
	o->ports[o->num_ports++] = port;
	return 0;
}

static int
add_listen(struct servconf *o, const char *host, int port,
    const char *rdomain)
{
	struct servconf_listen *tmp, *l;

	if (o->num_listen >= CONF_LIST_MAX)
		return ERR_NUMBER_TOO_LARGE;
	tmp = reallocarray(o->listen, (size_t)o->num_listen + 1,
	    sizeof(*o->listen));
	if (tmp == NULL)
		return ERR_ALLOC_FAIL;
	o->listen = tmp;
	l = &o->listen[o->num_listen];
	memset(l, 0, sizeof(*l));
	l->port = port;
	if ((l->host = strdup(host)) == NULL ||
	    (rdomain != NULL && (l->rdomain = strdup(rdomain)) == NULL)) {
		free(l->host);
		return ERR_ALLOC_FAIL;
	}
	o->num_listen++;
	return 0;
}

/* "host", "host:port", "[v6]:port", "v6addr"; then "rdomain name". */
static int
parse_listen(struct servconf *o, struct sc_state *st,
    const struct conf_line *cl)
{
	char *copy, *cp, *host, *p;
	const char *rdomain = NULL;
	int port = -1, r = ERR_CONFIG_INVALID;

	if ((copy = strdup(cl->argv[0])) == NULL)
		return ERR_ALLOC_FAIL;
	cp = copy;
	if (strchr(cp, '[') == NULL && (p = strchr(cp, ':')) != NULL &&
	    strchr(p + 1, ':') != NULL)
		host = cp;		/* a bare IPv6 address */
	else {
		if ((host = hpdelim(&cp)) == NULL || *host == '\0') {
			sc_error(st, "bad address:port usage");
			goto out;
		}
		if (cp != NULL && (port = a2port(cp)) <= 0) {
			sc_error(st, "bad port number");
			goto out;
		}
	}
	if (cl->argc > 1) {
		if (cl->argc != 3 || strcmp(cl->argv[1], "rdomain") != 0) {
			sc_error(st, "bad ListenAddress syntax");
			goto out;
		}
		rdomain = cl->argv[2];
	}
	r = st->active ? add_listen(o, host, port, rdomain) : 0;
 out:
	free(copy);
	return r;
}

/* ------------------------------------------------------------ limits */

static int
parse_maxstartups(struct servconf *o, struct sc_state *st, const char *arg)
{
	long long a, b, c;
	char *copy, *f1, *f2, *f3, *p;
	int r = ERR_CONFIG_INVALID;

	if ((copy = strdup(arg)) == NULL)
		return ERR_ALLOC_FAIL;
	p = copy;
	f1 = strsep(&p, ":");
	f2 = strsep(&p, ":");
	f3 = strsep(&p, ":");
	if (f2 == NULL) {
		if (conf_parse_int(f1, 0, INT_MAX, &c) != 0)
			goto bad;
		a = c;		/* "MaxStartups 20" is 20:30:20 */
		b = -1;
	} else if (f3 == NULL || p != NULL ||
	    conf_parse_int(f1, 0, INT_MAX, &a) != 0 ||
	    conf_parse_int(f2, 0, INT_MAX, &b) != 0 ||
	    conf_parse_int(f3, 0, INT_MAX, &c) != 0 ||
	    a > c || b > 100 || b < 1)
		goto bad;
	/* Like OpenSSH, the last MaxStartups line wins. */
	if (st->active) {
		o->max_startups_begin = (int)a;
		o->max_startups_rate = (int)b;
		o->max_startups = (int)c;
	}
	r = 0;
	goto out;
 bad:
	sc_error(st, "Invalid MaxStartups spec.");
 out:
	free(copy);
	return r;
}

static int
parse_netblock(struct servconf *o, struct sc_state *st, const char *arg)
{
	long long v4, v6 = 0;	/* "16" is 16:0, as sshd -T shows */
	char *copy, *p;
	int ok;

	if ((copy = strdup(arg)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((p = strchr(copy, ':')) != NULL)
		*p++ = '\0';
	ok = conf_parse_int(copy, 0, 32, &v4) == 0 &&
	    (p == NULL || conf_parse_int(p, 0, 128, &v6) == 0);
	free(copy);
	if (!ok) {
		sc_error(st, "Invalid PerSourceNetBlockSize spec.");
		return ERR_CONFIG_INVALID;
	}
	if (st->active) {	/* the last value wins */
		o->per_source_masklen_ipv4 = (int)v4;
		o->per_source_masklen_ipv6 = (int)v6;
	}
	return 0;
}

static int
parse_ipqos(struct servconf *o, struct sc_state *st,
    const struct conf_line *cl)
{
	int q1, q2;

	if (cl->argc > 2) {
		sc_error(st, "keyword %s extra arguments at end of line",
		    cl->keyword);
		return ERR_CONFIG_INVALID;
	}
	if ((q1 = conf_ipqos_value(cl->argv[0])) == -1) {
		sc_error(st, "Bad IPQoS value: %s", cl->argv[0]);
		return ERR_CONFIG_INVALID;
	}
	q2 = q1;
	if (cl->argc == 2 && (q2 = conf_ipqos_value(cl->argv[1])) == -1) {
		sc_error(st, "Bad IPQoS value: %s", cl->argv[1]);
		return ERR_CONFIG_INVALID;
	}
	/* IPQoS is the one keyword where the last value wins. */
	if (st->active) {
		o->ip_qos_interactive = q1;
		o->ip_qos_bulk = q2;
	}
	return 0;
}

static int
parse_rekey(struct servconf *o, struct sc_state *st,
    const struct conf_line *cl)
{
	uint64_t bytes = 0;
	int secs = 0, r;

	if (cl->argc > 2) {
		sc_error(st, "keyword %s extra arguments at end of line",
		    cl->keyword);
		return ERR_CONFIG_INVALID;
	}
	if (strcmp(cl->argv[0], "default") != 0) {
		if (parse_size(cl->argv[0], &bytes) != 0 ||
		    bytes > INT64_MAX) {
			sc_error(st, "Bad RekeyLimit number '%s': Invalid "
			    "argument", cl->argv[0]);
			return ERR_CONFIG_INVALID;
		}
		if (bytes != 0 && bytes < 16) {
			sc_error(st, "RekeyLimit too small");
			return ERR_CONFIG_INVALID;
		}
	}
	if (cl->argc == 2 && strcmp(cl->argv[1], "default") != 0 &&
	    strcmp(cl->argv[1], "none") != 0 &&
	    (r = sc_parse_time(st, cl->argv[1], &secs)) != 0)
		return r;
	if (st->active && o->rekey_limit == -1)
		o->rekey_limit = (int64_t)bytes;
	if (st->active && cl->argc == 2 && o->rekey_interval == -1)
		o->rekey_interval = secs;
	return 0;
}

/* ------------------------------------------------------------ misc */

static int
parse_pubkeyopts(struct servconf *o, struct sc_state *st,
    const struct conf_line *cl)
{
	int i, v = 0;

	for (i = 0; i < cl->argc; i++) {
		if (strcasecmp(cl->argv[i], "none") == 0)
			continue;
		else if (strcasecmp(cl->argv[i], "touch-required") == 0)
			v |= SC_PUBKEYAUTH_TOUCH;
		else if (strcasecmp(cl->argv[i], "verify-required") == 0)
			v |= SC_PUBKEYAUTH_VERIFY;
		else {
			sc_error(st, "unsupported %s option %s", cl->keyword,
			    cl->argv[i]);
			return ERR_CONFIG_INVALID;
		}
	}
	if (st->active && o->pubkey_auth_options == -1)
		o->pubkey_auth_options = v;
	return 0;
}

static int
parse_subsystem(struct servconf *o, struct sc_state *st,
    const struct conf_line *cl)
{
	struct conf_strlist args = { NULL, 0 };
	char *cmd;
	int i, r;

	if (cl->argc < 2) {
		sc_error(st, "Missing subsystem command.");
		return ERR_CONFIG_INVALID;
	}
	if (!st->active)
		return 0;
	if (conf_strlist_has(&o->subsystem_name, cl->argv[0])) {
		sc_error(st, "Subsystem '%s' already defined.", cl->argv[0]);
		return ERR_CONFIG_INVALID;
	}
	for (i = 1; i < cl->argc; i++) {
		if ((r = conf_strlist_add(&args, cl->argv[i])) != 0) {
			conf_strlist_free(&args);
			return r;
		}
	}
	cmd = conf_strlist_join(&args, " ");
	conf_strlist_free(&args);
	if (cmd == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = conf_strlist_take(&o->subsystem_command, cmd)) != 0)
		return r;
	if ((r = conf_strlist_add(&o->subsystem_name, cl->argv[0])) != 0) {
		free(o->subsystem_command.v[--o->subsystem_command.n]);
		o->subsystem_command.v[o->subsystem_command.n] = NULL;
		return r;
	}
	return 0;
}

static int
parse_userenv(struct servconf *o, struct sc_state *st, const char *arg)
{
	int v;

	if (!st->active || o->permit_user_env != -1)
		return 0;
	if (conf_choice_value(conf_choices_flag, arg, &v) == 0) {
		o->permit_user_env = v;
		return 0;
	}
	o->permit_user_env = 1;
	if ((o->permit_user_env_allowlist = strdup(arg)) == NULL)
		return ERR_ALLOC_FAIL;
	return 0;
}

static int
parse_bindmask(struct servconf *o, struct sc_state *st, const char *arg)
{
	const char *p;
	long v;

	for (p = arg; *p >= '0' && *p <= '7'; p++)
		;
	if (*arg == '\0' || *p != '\0' || p - arg > 4 ||
	    (v = strtol(arg, NULL, 8)) > 0777) {
		sc_error(st, "Invalid StreamLocalBindMask.");
		return ERR_CONFIG_INVALID;
	}
	if (st->active)		/* the last value wins */
		o->streamlocal_bind_mask = (int)v;
	return 0;
}

static int
parse_fphash(struct servconf *o, struct sc_state *st, const char *arg)
{
	int alg = digest_alg_by_name(arg);

	if (alg != DIGEST_MD5 && alg != DIGEST_SHA256) {
		sc_error(st, "Invalid hash algorithm \"%s\".", arg);
		return ERR_CONFIG_INVALID;
	}
	if (st->active)		/* the last value wins */
		o->fingerprint_hash = alg;
	return 0;
}

/* "none" or a number/time; last_wins as for PerSourceMaxStartups. */
static int
parse_none_or(struct sc_state *st, const struct conf_line *cl, int is_time,
    int none, int last_wins, int *field)
{
	int v, r;

	if (strcmp(cl->argv[0], "none") == 0)
		v = none;
	else if ((r = is_time ? sc_parse_time(st, cl->argv[0], &v) :
	    sc_parse_int(st, cl->keyword, cl->argv[0], &v)) != 0)
		return r;
	if (st->active && (last_wins || *field == -1))
		*field = v;
	return 0;
}

static int
parse_loglevel(struct servconf *o, struct sc_state *st, const char *arg)
{
	LogLevel l = log_level_from_name(arg);

	if (l == LOG_LEVEL_NOT_SET) {
		sc_error(st, "unsupported log level '%s'", arg);
		return ERR_CONFIG_INVALID;
	}
	if (st->active && o->log_level == LOG_LEVEL_NOT_SET)
		o->log_level = l;
	return 0;
}

static int
parse_facility(struct servconf *o, struct sc_state *st, const char *arg)
{
	LogFacility f = log_facility_from_name(arg);

	if (f == LOG_FACILITY_NOT_SET) {
		sc_error(st, "unsupported log facility '%s'", arg);
		return ERR_CONFIG_INVALID;
	}
	if (st->active && o->log_facility == LOG_FACILITY_NOT_SET)
		o->log_facility = f;
	return 0;
}

int
sc_parse_special(struct servconf *o, struct sc_state *st,
    const struct sc_kw *kw, const struct conf_line *cl)
{
	const char *arg = cl->argv[0];

	switch (kw->op) {
	case OP_PORT:
		return parse_port(o, st, arg);
	case OP_LISTEN:
		return parse_listen(o, st, cl);
	case OP_LOGLEVEL:
		return parse_loglevel(o, st, arg);
	case OP_FACILITY:
		return parse_facility(o, st, arg);
	case OP_MAXSTARTUPS:
		return parse_maxstartups(o, st, arg);
	case OP_PERSOURCEMAX:
		return parse_none_or(st, cl, 0, INT_MAX, 1,
		    &o->per_source_max_startups);
	case OP_PERSOURCENET:
		return parse_netblock(o, st, arg);
	case OP_UNUSEDTIMEOUT:
		return parse_none_or(st, cl, 1, 0, 0,
		    &o->unused_connection_timeout);
	case OP_IPQOS:
		return parse_ipqos(o, st, cl);
	case OP_REKEY:
		return parse_rekey(o, st, cl);
	case OP_FPHASH:
		return parse_fphash(o, st, arg);
	case OP_PUBKEYOPTS:
		return parse_pubkeyopts(o, st, cl);
	case OP_SUBSYSTEM:
		return parse_subsystem(o, st, cl);
	case OP_PERMITUSERENV:
		return parse_userenv(o, st, arg);
	case OP_BINDMASK:
		return parse_bindmask(o, st, arg);
	case OP_INCLUDE:
		if (st->is_option) {
			sc_error(st, "Include directive not supported as a "
			    "command-line option");
			return ERR_CONFIG_INVALID;
		}
		return 0;	/* already read in by servconf-text.c */
	case OP_MATCH:
		return sc_match(st, cl);
	}
	return ERR_INTERNAL;
}

/* ------------------------------------------------------------ lists */

static int
check_authmethods(struct sc_state *st, const char *arg)
{
	static const char *const methods[] = {
		"publickey", "password", "keyboard-interactive", "hostbased",
		"gssapi-with-mic", NULL
	};
	char *copy, *p, *m, *colon;
	int i, ok = 1;

	if (strcmp(arg, "any") == 0)
		return 0;
	if ((copy = strdup(arg)) == NULL)
		return ERR_ALLOC_FAIL;
	for (p = copy; ok && (m = strsep(&p, ",")) != NULL;) {
		if ((colon = strchr(m, ':')) != NULL)
			*colon = '\0';
		for (ok = 0, i = 0; methods[i] != NULL && !ok; i++)
			ok = strcmp(m, methods[i]) == 0;
		/* Only keyboard-interactive takes a device list. */
		if (colon != NULL && strcmp(m, "keyboard-interactive") != 0)
			ok = 0;
	}
	free(copy);
	if (!ok) {
		sc_error(st, "invalid authentication method list.");
		return ERR_CONFIG_INVALID;
	}
	return 0;
}

/* permitopen "host:port"; permitlisten "[host:]port"; or any/none. */
static int
check_permit(struct sc_state *st, const char *kwname, const char *arg,
    int listen)
{
	char *copy, *cp, *host;
	int ok = 0;

	if (strcmp(arg, "any") == 0 || strcmp(arg, "none") == 0)
		return 0;
	if ((copy = strdup(arg)) == NULL)
		return ERR_ALLOC_FAIL;
	cp = copy;
	if (listen && strchr(arg, ':') == NULL) {
		ok = strcmp(arg, "*") == 0 || a2port(arg) > 0;
	} else if ((host = hpdelim(&cp)) != NULL && *host != '\0' &&
	    cp != NULL)
		ok = strcmp(cp, "*") == 0 || a2port(cp) > 0;
	free(copy);
	if (!ok) {
		sc_error(st, "%s bad port number", kwname);
		return ERR_CONFIG_INVALID;
	}
	return 0;
}

static int
check_channel_timeout(struct sc_state *st, const char *arg)
{
	const char *eq = strchr(arg, '=');
	long secs;

	if (strcmp(arg, "none") == 0)
		return 0;
	if (eq == NULL || eq == arg || convtime(eq + 1, &secs) != 0) {
		sc_error(st, "invalid channel timeout %s", arg);
		return ERR_CONFIG_INVALID;
	}
	return 0;
}

/* Rules about a list line as a whole. */
int
sc_check_list_line(struct sc_state *st, const struct sc_kw *kw,
    const struct conf_line *cl)
{
	int i;

	if (cl->argc < 2)
		return 0;
	for (i = 0; i < cl->argc; i++) {
		if (kw->op == OP_AUTHMETHODS &&
		    strcmp(cl->argv[i], "any") == 0) {
			sc_error(st, "\"any\" must appear alone in %s",
			    cl->keyword);
			return ERR_CONFIG_INVALID;
		}
		if ((kw->op == OP_PERMITOPEN || kw->op == OP_PERMITLISTEN) &&
		    (strcmp(cl->argv[i], "any") == 0 ||
		    strcmp(cl->argv[i], "none") == 0)) {
			sc_error(st, "keyword %s extra arguments at end of "
			    "line", cl->keyword);
			return SC_COUNTED;
		}
	}
	return 0;
}

/* 1 if the NAME of "NAME=value" already has an entry in l. */
int
sc_setenv_has(const struct conf_strlist *l, const char *nameval)
{
	size_t n = strcspn(nameval, "=");
	u_int i;

	for (i = 0; i < l->n; i++) {
		if (strncmp(l->v[i], nameval, n) == 0 && l->v[i][n] == '=')
			return 1;
	}
	return 0;
}

int
sc_check_list_arg(struct sc_state *st, const struct sc_kw *kw,
    const char *arg)
{
	switch (kw->op) {
	case OP_AUTHMETHODS:
		return check_authmethods(st, arg);
	case OP_USERPATTERN:
		if (match_user(NULL, NULL, NULL, arg) == -1) {
			sc_error(st, "invalid %s pattern: \"%s\"",
			    strcmp(kw->name, "allowusers") == 0 ?
			    "AllowUsers" : "DenyUsers", arg);
			return ERR_CONFIG_INVALID;
		}
		return 0;
	case OP_ACCEPTENV:
		if (strchr(arg, '=') != NULL) {
			sc_error(st, "Invalid environment name.");
			return ERR_CONFIG_INVALID;
		}
		return 0;
	case OP_SETENV:
		if (strchr(arg, '=') == NULL || *arg == '=') {
			sc_error(st, "Invalid environment.");
			return ERR_CONFIG_INVALID;
		}
		return 0;
	case OP_CHANNELTIMEOUT:
		return check_channel_timeout(st, arg);
	case OP_PERMITOPEN:
		return check_permit(st, "PermitOpen", arg, 0);
	case OP_PERMITLISTEN:
		return check_permit(st, "PermitListen", arg, 1);
	}
	return 0;
}

/* ------------------------------------------------------------ defaults */

#define DEF(f, v)	do { if ((f) == -1) (f) = (v); } while (0)

static int
def_str(char **f, const char *v)
{
	if (*f == NULL && (*f = strdup(v)) == NULL)
		return ERR_ALLOC_FAIL;
	return 0;
}

/* Values spelled "none" mean "not configured". */
static void
none_to_null(char **f)
{
	if (*f != NULL && strcasecmp(*f, "none") == 0) {
		free(*f);
		*f = NULL;
	}
}

static int
resolve_alg(char **f, enum conf_alg_kind kind)
{
	char *list = NULL;
	int r;

	if ((r = conf_alg_resolve(kind, *f, &list)) != 0)
		return r;
	free(*f);
	*f = list;
	return 0;
}

/* permitlisten "8080" means "*:8080" (as sshd -T prints it). */
static int
normalise_listen(struct conf_strlist *l)
{
	char *s;
	u_int i;

	for (i = 0; i < l->n; i++) {
		if (strchr(l->v[i], ':') != NULL ||
		    strcmp(l->v[i], "any") == 0 ||
		    strcmp(l->v[i], "none") == 0)
			continue;
		if (asprintf(&s, "*:%s", l->v[i]) == -1)
			return ERR_ALLOC_FAIL;
		free(l->v[i]);
		l->v[i] = s;
	}
	return 0;
}

static int
fill_lists(struct servconf *o)
{
	static const char *const keys[] = {
		"ssh_host_rsa_key", "ssh_host_ecdsa_key",
		"ssh_host_ed25519_key", NULL
	};
	const int hostkeys_unset = o->host_key_files.n == 0;
	char *p;
	int i, r;

	if (o->num_ports == 0)
		o->ports[o->num_ports++] = SERVCONF_DEFAULT_PORT;
	for (i = 0; hostkeys_unset && keys[i] != NULL; i++) {
		if ((p = path_append(SSHDIR, keys[i])) == NULL)
			return ERR_ALLOC_FAIL;
		if ((r = conf_strlist_take(&o->host_key_files, p)) != 0)
			return r;
	}
	if (o->authorized_keys_files.n == 0 &&
	    ((r = conf_strlist_add(&o->authorized_keys_files,
	    ".ssh/authorized_keys")) != 0 ||
	    (r = conf_strlist_add(&o->authorized_keys_files,
	    ".ssh/authorized_keys2")) != 0))
		return r;
	if (o->auth_methods.n == 0 &&
	    (r = conf_strlist_add(&o->auth_methods, "any")) != 0)
		return r;
	/* "ChannelTimeout none" is no timeouts at all. */
	if (o->channel_timeouts.n == 1 &&
	    strcmp(o->channel_timeouts.v[0], "none") == 0)
		conf_strlist_free(&o->channel_timeouts);
	return normalise_listen(&o->permit_listen);
}

static int
fill_strings(struct servconf *o)
{
	int r;

	if ((r = def_str(&o->pid_file, _PATH_SSH_PIDDIR "/sshd.pid")) != 0 ||
	    (r = def_str(&o->moduli_file, SSHDIR "/moduli")) != 0 ||
	    (r = def_str(&o->xauth_location, "/usr/bin/xauth")) != 0 ||
	    (r = def_str(&o->security_key_provider, "internal")) != 0 ||
	    (r = def_str(&o->gss_kex_algorithms,
	    "gss-group14-sha256-,gss-group16-sha512-,gss-nistp256-sha256-,"
	    "gss-curve25519-sha256-,gss-group14-sha1-,gss-gex-sha1-")) != 0)
		return r;
	none_to_null(&o->version_addendum);
	none_to_null(&o->banner);
	none_to_null(&o->force_command);
	none_to_null(&o->chroot_directory);
	none_to_null(&o->trusted_user_ca_keys);
	none_to_null(&o->revoked_keys_file);
	none_to_null(&o->authorized_principals_file);
	none_to_null(&o->authorized_keys_command);
	none_to_null(&o->authorized_keys_command_user);
	none_to_null(&o->authorized_principals_command);
	none_to_null(&o->authorized_principals_command_user);
	none_to_null(&o->host_key_agent);
	if ((r = resolve_alg(&o->kex_algorithms, CONF_ALG_KEX)) != 0 ||
	    (r = resolve_alg(&o->ciphers, CONF_ALG_CIPHER)) != 0 ||
	    (r = resolve_alg(&o->macs, CONF_ALG_MAC)) != 0 ||
	    (r = resolve_alg(&o->hostkey_algorithms, CONF_ALG_HOSTKEY)) != 0 ||
	    (r = resolve_alg(&o->pubkey_accepted_algorithms,
	    CONF_ALG_PUBKEY)) != 0 ||
	    (r = resolve_alg(&o->hostbased_accepted_algorithms,
	    CONF_ALG_HOSTKEY)) != 0 ||
	    (r = resolve_alg(&o->ca_sign_algorithms, CONF_ALG_CASIG)) != 0)
		return r;
	return 0;
}

static void
fill_auth(struct servconf *o)
{
	DEF(o->permit_root_login, SC_PERMIT_NO_PASSWD);
	DEF(o->pubkey_authentication, 1);
	DEF(o->pubkey_auth_options, 0);
	DEF(o->password_authentication, 1);
	DEF(o->kbd_interactive_authentication, 1);
	DEF(o->permit_empty_passwords, 0);
	DEF(o->hostbased_authentication, 0);
	DEF(o->hostbased_uses_name_from_packet_only, 0);
	DEF(o->ignore_rhosts, SC_IGNORE_RHOSTS_YES);
	DEF(o->ignore_user_known_hosts, 0);
	DEF(o->kerberos_authentication, 0);
	DEF(o->kerberos_or_local_passwd, 1);
	DEF(o->kerberos_ticket_cleanup, 1);
	DEF(o->gss_authentication, 0);
	DEF(o->gss_cleanup_creds, 1);
	DEF(o->gss_keyex, 0);
	DEF(o->gss_strict_acceptor, 1);
	DEF(o->gss_store_rekey, 0);
	DEF(o->use_pam, 0);
	DEF(o->strict_modes, 1);
	DEF(o->expose_auth_info, 0);
	DEF(o->max_authtries, 6);
	DEF(o->login_grace_time, 120);
}

static void
fill_session(struct servconf *o)
{
	if (o->log_level == LOG_LEVEL_NOT_SET)
		o->log_level = LOG_LEVEL_INFO;
	if (o->log_facility == LOG_FACILITY_NOT_SET)
		o->log_facility = LOG_FACILITY_AUTH;
	DEF(o->address_family, AF_UNSPEC);
	DEF(o->max_sessions, 10);
	DEF(o->max_startups, 100);
	DEF(o->max_startups_rate, 30);
	DEF(o->max_startups_begin, 10);
	if (o->max_startups_begin > o->max_startups)
		o->max_startups_begin = o->max_startups;
	DEF(o->per_source_max_startups, INT_MAX);
	DEF(o->per_source_masklen_ipv4, 32);
	DEF(o->per_source_masklen_ipv6, 128);
	DEF(o->client_alive_interval, 0);
	DEF(o->client_alive_count_max, 3);
	DEF(o->tcp_keep_alive, 1);
	DEF(o->use_dns, 0);
	DEF(o->unused_connection_timeout, 0);
	DEF(o->ip_qos_interactive, 0x48);	/* af21 */
	DEF(o->ip_qos_bulk, 0x20);		/* cs1 */
	DEF(o->compression, SC_COMP_DELAYED);
	DEF(o->rekey_limit, 0);
	DEF(o->rekey_interval, 0);
	DEF(o->required_rsa_size, 1024);
	DEF(o->fingerprint_hash, DIGEST_SHA256);
	DEF(o->print_motd, 1);
	DEF(o->print_lastlog, 1);
	DEF(o->debian_banner, 1);
	DEF(o->permit_tty, 1);
	DEF(o->permit_user_rc, 1);
	DEF(o->permit_user_env, 0);
	DEF(o->allow_tcp_forwarding, SC_FWD_ALL);
	DEF(o->allow_streamlocal_forwarding, SC_FWD_ALL);
	DEF(o->allow_agent_forwarding, 1);
	DEF(o->disable_forwarding, 0);
	DEF(o->gateway_ports, SC_GW_NO);
	DEF(o->permit_tun, SC_TUN_NO);
	DEF(o->x11_forwarding, 0);
	DEF(o->x11_display_offset, 10);
	DEF(o->x11_use_localhost, 1);
	DEF(o->streamlocal_bind_mask, 0177);
	DEF(o->streamlocal_bind_unlink, 0);
}

static int
method_enabled(const struct servconf *o, const char *m)
{
	size_t n = strcspn(m, ":");

	if (strncmp(m, "publickey", n) == 0 && n == 9)
		return o->pubkey_authentication;
	if (strncmp(m, "password", n) == 0 && n == 8)
		return o->password_authentication;
	if (strncmp(m, "keyboard-interactive", n) == 0 && n == 20)
		return o->kbd_interactive_authentication;
	if (strncmp(m, "hostbased", n) == 0 && n == 9)
		return o->hostbased_authentication;
	if (strncmp(m, "gssapi-with-mic", n) == 0 && n == 15)
		return o->gss_authentication;
	return 0;
}

/* Every AuthenticationMethods list naming a disabled method is dead. */
static int
check_auth_methods(const struct servconf *o)
{
	char *copy, *p, *m, name[64];
	int usable = 0, ok;
	u_int i;

	if (o->auth_methods.n == 1 && strcmp(o->auth_methods.v[0], "any") == 0)
		return 0;
	for (i = 0; i < o->auth_methods.n; i++) {
		if ((copy = strdup(o->auth_methods.v[i])) == NULL)
			return ERR_ALLOC_FAIL;
		for (ok = 1, p = copy; ok && (m = strsep(&p, ",")) != NULL;) {
			if (method_enabled(o, m))
				continue;
			strlcpy(name, m, MINIMUM(sizeof(name),
			    strcspn(m, ":") + 1));
			error("Disabled method \"%s\" in AuthenticationMethods "
			    "list \"%s\"", name, o->auth_methods.v[i]);
			ok = 0;
		}
		free(copy);
		usable |= ok;
	}
	if (!usable) {
		error("AuthenticationMethods cannot be satisfied by enabled "
		    "authentication methods");
		return ERR_CONFIG_INVALID;
	}
	return 0;
}

int
sc_fill_defaults(struct servconf *o)
{
	int r;

	if (o->authorized_keys_command != NULL &&
	    strcasecmp(o->authorized_keys_command, "none") != 0 &&
	    o->authorized_keys_command_user == NULL) {
		error("AuthorizedKeysCommand set without "
		    "AuthorizedKeysCommandUser");
		return ERR_CONFIG_INVALID;
	}
	if (o->authorized_principals_command != NULL &&
	    strcasecmp(o->authorized_principals_command, "none") != 0 &&
	    o->authorized_principals_command_user == NULL) {
		error("AuthorizedPrincipalsCommand set without "
		    "AuthorizedPrincipalsCommandUser");
		return ERR_CONFIG_INVALID;
	}

	fill_auth(o);
	fill_session(o);
	if ((r = fill_lists(o)) != 0 || (r = check_auth_methods(o)) != 0)
		return r;
	if ((r = fill_strings(o)) != 0) {
		if (r != ERR_ALLOC_FAIL) {
			error("invalid algorithm list: %s", errcode_str(r));
			r = ERR_CONFIG_INVALID;
		}
		return r;
	}
	return 0;
}
