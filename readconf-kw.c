/*
 * readconf-kw.c: ssh_config keywords with a syntax of their own, Match
 * lines and Include.
 */
#include "includes.h"

#include <strings.h>

#include "conf.h"
#include "digest.h"
#include "errcode.h"
#include "log.h"
#include "match.h"
#include "misc.h"
#include "readconf.h"
#include "readconf-impl.h"

#define MAX_IDENTITY_FILES	100	/* as OpenSSH */

int
rc_special_one_arg(int op)
{
	switch (op) {
	case RO_PORT:
	case RO_LOGLEVEL:
	case RO_FACILITY:
	case RO_ESCAPE:
	case RO_PROXYJUMP:
	case RO_CONNECTTIMEOUT:
	case RO_FPHASH:
	case RO_BINDMASK:
	case RO_TUNDEV:
	case RO_FORWARDAGENT:
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------ Include */

static int
parse_include(struct readconf *o, struct rc_state *st,
    const struct conf_line *cl)
{
	struct conf_strlist paths = { NULL, 0 };
	char *dir = NULL;
	int a, r = 0, user = (st->flags & READCONF_USER) != 0;
	u_int i;

	if (st->is_option) {
		rc_error(st, "Include directive not supported as a "
		    "command-line option");
		return ERR_CONFIG_INVALID;
	}
	if (st->depth + 1 > CONF_INCLUDE_DEPTH_MAX) {
		error("Too many recursive configuration includes");
		return ERR_CONFIG_INVALID;
	}
	if (user) {
		if (st->ctx->home == NULL)
			return ERR_INVALID_ARGUMENT;
		if ((dir = path_append(st->ctx->home, ".ssh")) == NULL)
			return ERR_ALLOC_FAIL;
	}
	for (a = 0; a < cl->argc && r == 0; a++) {
		if (*cl->argv[a] == '~' && !user) {
			rc_error(st, "bad include path %s.", cl->argv[a]);
			r = ERR_CONFIG_INVALID;
			break;
		}
		if ((r = conf_include_glob(cl->argv[a], user ? dir : SSHDIR,
		    user, &paths)) != 0) {
			rc_error(st, "include \"%s\": %s", cl->argv[a],
			    errcode_str(r));
			r = ERR_CONFIG_INVALID;
			break;
		}
		if (paths.n == 0)
			debug("%s line %u: include %s matched no files",
			    st->file, st->line, cl->argv[a]);
		for (i = 0; i < paths.n && r == 0; i++) {
			st->depth++;
			r = rc_process_file(o, st, paths.v[i],
			    (st->flags & READCONF_CHECKPERM) != 0);
			st->depth--;
			if (r == ERR_ERRNO) {
				debug("%s line %u: cannot read %s", st->file,
				    st->line, paths.v[i]);
				r = 0;
			}
		}
	}
	conf_strlist_free(&paths);
	free(dir);
	return r;
}

/* ------------------------------------------------------------ Match */

/* The name "Match host" compares: HostName (%h expanded) or the host. */
static int
match_host_name(struct readconf *o, struct rc_state *st, char **namep)
{
	struct percent_map map[2] = { { 'h', st->host }, { '\0', NULL } };
	int r;

	*namep = NULL;
	if (o->hostname == NULL)
		r = (*namep = strdup(st->host)) == NULL ? ERR_ALLOC_FAIL : 0;
	else
		r = percent_expand(o->hostname, map, namep);
	if (r == 0)
		lowercase(*namep);
	return r;
}

/* One criterion: 1 match, 0 no match, negative on error. */
static int
match_criterion(struct readconf *o, struct rc_state *st, const char *attr,
    const char *arg, int result_so_far)
{
	const struct readconf_ctx *ctx = st->ctx;
	char *name = NULL, *cmd = NULL;
	int r;

	if (strcasecmp(attr, "host") == 0) {
		if ((r = match_host_name(o, st, &name)) != 0)
			return r;
		r = match_hostname(name, arg) == 1;
		free(name);
		return r;
	} else if (strcasecmp(attr, "originalhost") == 0) {
		return match_hostname(ctx->original_host != NULL ?
		    ctx->original_host : o->host_arg, arg) == 1;
	} else if (strcasecmp(attr, "user") == 0) {
		return match_pattern_list(o->user != NULL ? o->user :
		    ctx->local_user, arg, 0) == 1;
	} else if (strcasecmp(attr, "localuser") == 0) {
		return match_pattern_list(ctx->local_user, arg, 0) == 1;
	} else if (strcasecmp(attr, "exec") == 0) {
		/* Commands run only when everything before matched. */
		if (!result_so_far || st->nevermatch)
			return 0;
		if ((r = readconf_expand(o, ctx, arg, 0, &cmd)) != 0) {
			rc_error(st, "bad exec command \"%s\"", arg);
			return ERR_CONFIG_INVALID;
		}
		if (ctx->exec_cb == NULL) {
			debug("%s line %u: no way to run \"%s\"", st->file,
			    st->line, cmd);
			r = 0;
		} else
			r = ctx->exec_cb(cmd, ctx->exec_arg) == 1;
		free(cmd);
		return r;
	}
	error("Unsupported Match attribute %s", attr);
	return ERR_CONFIG_INVALID;
}

/* canonical/final: they hold only in the later passes. */
static int
match_pass(struct readconf *o, struct rc_state *st, const char *attr)
{
	if ((st->flags & READCONF_FINAL) == 0)
		o->want_final_pass = 1;
	if (strcasecmp(attr, "final") == 0)
		return (st->flags & READCONF_FINAL) != 0;
	return (st->flags & READCONF_CANONICAL) != 0;
}

static int
is_pass_attr(const char *a)
{
	return strcasecmp(a, "canonical") == 0 || strcasecmp(a, "final") == 0;
}

int
rc_match_line(struct readconf *o, struct rc_state *st,
    const struct conf_line *cl)
{
	int i = 0, r, neg, result = 1;
	const char *attr;

	if (st->is_option) {
		rc_error(st, "Match directive not supported as a "
		    "command-line option");
		return ERR_CONFIG_INVALID;
	}
	while (i < cl->argc) {
		attr = cl->argv[i++];
		if ((neg = *attr == '!'))
			attr++;
		if (strcasecmp(attr, "all") == 0) {
			if (i < cl->argc || neg ||
			    (i > 1 && !is_pass_attr(cl->argv[0]))) {
				rc_error(st, "'all' cannot be combined with "
				    "other Match attributes");
				goto bad;
			}
			continue;
		}
		if (is_pass_attr(attr)) {
			if ((r = match_pass(o, st, attr)) == neg)
				result = 0;
			continue;
		}
		if (i >= cl->argc || *cl->argv[i] == '\0') {
			error("Missing Match criteria for %s", attr);
			goto bad;
		}
		r = match_criterion(o, st, attr, cl->argv[i++], result);
		if (r < 0) {
			if (r == ERR_ALLOC_FAIL)
				return r;
			goto bad;
		}
		if (r == neg)
			result = 0;
	}
	st->active = result && !st->nevermatch;
	return 0;
 bad:
	rc_error(st, "Bad Match condition");
	st->active = 0;
	return ERR_CONFIG_INVALID;
}

/* ------------------------------------------------------------ forwards */

void
readconf_forward_clear(struct readconf_forward *fwd)
{
	if (fwd == NULL)
		return;
	free(fwd->listen_host);
	free(fwd->listen_path);
	free(fwd->connect_host);
	free(fwd->connect_path);
	memset(fwd, 0, sizeof(*fwd));
}

#define FWD_MAXFIELDS	4

/*
 * Split spec into at most FWD_MAXFIELDS fields at ':' and white space;
 * "[...]" protects colons (the brackets are dropped).  A field with a
 * '/' is a Unix socket path.
 */
static int
fwd_split(char *spec, char **fields, int *ispath)
{
	char *p = spec + strspn(spec, " \t"), *end;
	int n = 0;

	while (*p != '\0') {
		if (n >= FWD_MAXFIELDS)
			return -1;
		if (*p == '[') {
			if ((end = strchr(p, ']')) == NULL)
				return -1;
			fields[n] = p + 1;
			*end++ = '\0';
			if (*end != '\0' && *end != ':' && *end != ' ' &&
			    *end != '\t')
				return -1;
			p = end;
		} else {
			fields[n] = p;
			p += strcspn(p, ": \t");
		}
		n++;
		if (*p != '\0') {
			*p++ = '\0';
			p += strspn(p, " \t");
		}
		ispath[n - 1] = strchr(fields[n - 1], '/') != NULL;
	}
	return n;
}

static int
fwd_assign(struct readconf_forward *f, char **fl, const int *ispath, int n)
{
	const char *lh = NULL, *lp = NULL, *lpath = NULL;
	const char *ch = NULL, *cp = NULL, *cpath = NULL;

	switch (n) {
	case 1:
		if (ispath[0])
			lpath = fl[0];
		else
			lp = fl[0];
		break;
	case 2:
		if (ispath[0] && ispath[1]) {
			lpath = fl[0];
			cpath = fl[1];
		} else if (ispath[1]) {
			lp = fl[0];
			cpath = fl[1];
		} else {
			lh = fl[0];
			lp = fl[1];
		}
		break;
	case 3:
		if (ispath[0]) {
			lpath = fl[0];
			ch = fl[1];
			cp = fl[2];
		} else if (ispath[2]) {
			lh = fl[0];
			lp = fl[1];
			cpath = fl[2];
		} else {
			lp = fl[0];
			ch = fl[1];
			cp = fl[2];
		}
		break;
	case 4:
		lh = fl[0];
		lp = fl[1];
		ch = fl[2];
		cp = fl[3];
		break;
	default:
		return -1;
	}
	f->listen_port = lp == NULL ? 0 : a2port(lp);
	f->connect_port = cp == NULL ? 0 : a2port(cp);
	if ((lh != NULL && (f->listen_host = strdup(lh)) == NULL) ||
	    (lpath != NULL && (f->listen_path = strdup(lpath)) == NULL) ||
	    (ch != NULL && (f->connect_host = strdup(ch)) == NULL) ||
	    (cpath != NULL && (f->connect_path = strdup(cpath)) == NULL))
		return ERR_ALLOC_FAIL;
	return n;
}

int
readconf_parse_forward(struct readconf_forward *fwd, const char *spec,
    int dynamic, int remote)
{
	char *copy = NULL, *fields[FWD_MAXFIELDS];
	int ispath[FWD_MAXFIELDS], n, r = ERR_INVALID_FORMAT;

	if (fwd == NULL || spec == NULL)
		return ERR_INVALID_ARGUMENT;
	memset(fwd, 0, sizeof(*fwd));
	if ((copy = strdup(spec)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((n = fwd_split(copy, fields, ispath)) <= 0)
		goto out;
	if ((n = fwd_assign(fwd, fields, ispath, n)) < 0) {
		r = n == ERR_ALLOC_FAIL ? n : ERR_INVALID_FORMAT;
		goto out;
	}
	if (dynamic) {
		if (n > 2 || fwd->connect_path != NULL)
			goto out;
	} else {
		if (n < 3 && fwd->connect_path == NULL &&
		    fwd->listen_path == NULL)
			goto out;
		if (fwd->connect_port <= 0 && fwd->connect_path == NULL)
			goto out;
	}
	if ((fwd->listen_port < 0 && fwd->listen_path == NULL) ||
	    (!remote && fwd->listen_port == 0 && fwd->listen_path == NULL))
		goto out;
	if ((fwd->listen_host != NULL && strlen(fwd->listen_host) >= 1025) ||
	    (fwd->connect_host != NULL && strlen(fwd->connect_host) >= 1025))
		goto out;
	r = 0;
 out:
	free(copy);
	if (r != 0)
		readconf_forward_clear(fwd);
	return r;
}

static int
fwd_equal(const struct readconf_forward *a, const struct readconf_forward *b)
{
#define SEQ(x, y) ((x) == NULL ? (y) == NULL : ((y) != NULL && \
	strcmp((x), (y)) == 0))
	return a->listen_port == b->listen_port &&
	    a->connect_port == b->connect_port &&
	    SEQ(a->listen_host, b->listen_host) &&
	    SEQ(a->listen_path, b->listen_path) &&
	    SEQ(a->connect_host, b->connect_host) &&
	    SEQ(a->connect_path, b->connect_path);
#undef SEQ
}

static int
add_forward(struct readconf_forward **list, u_int *n,
    struct readconf_forward *fwd)
{
	struct readconf_forward *tmp;
	u_int i;

	for (i = 0; i < *n; i++) {
		if (fwd_equal(&(*list)[i], fwd)) {
			readconf_forward_clear(fwd);
			return 0;	/* already there */
		}
	}
	if (*n >= CONF_LIST_MAX) {
		readconf_forward_clear(fwd);
		return ERR_NUMBER_TOO_LARGE;
	}
	tmp = reallocarray(*list, (size_t)*n + 1, sizeof(**list));
	if (tmp == NULL) {
		readconf_forward_clear(fwd);
		return ERR_ALLOC_FAIL;
	}
	*list = tmp;
	tmp[(*n)++] = *fwd;
	memset(fwd, 0, sizeof(*fwd));
	return 0;
}

static int
parse_forward_kw(struct readconf *o, struct rc_state *st,
    const struct conf_line *cl, int op)
{
	struct readconf_forward fwd;
	char *spec = NULL;
	int dynamic, remote = op == RO_FORWARD_R, r;

	dynamic = op == RO_FORWARD_D || (remote && cl->argc == 1);
	if (op == RO_FORWARD_L && cl->argc < 2) {
		rc_error(st, "Missing target argument.");
		return ERR_CONFIG_INVALID;
	}
	if (cl->argc > (dynamic ? 1 : 2)) {
		rc_error(st, "keyword %s extra arguments at end of line",
		    cl->keyword);
		return ERR_CONFIG_INVALID;
	}
	if (asprintf(&spec, "%s%s%s", cl->argv[0], dynamic ? "" : " ",
	    dynamic ? "" : cl->argv[1]) == -1)
		return ERR_ALLOC_FAIL;
	r = readconf_parse_forward(&fwd, spec, dynamic, remote);
	free(spec);
	if (r != 0) {
		if (r == ERR_ALLOC_FAIL)
			return r;
		rc_error(st, "Bad forwarding specification.");
		return ERR_CONFIG_INVALID;
	}
	if (!st->active) {
		readconf_forward_clear(&fwd);
		return 0;
	}
	return remote ?
	    add_forward(&o->remote_forwards, &o->num_remote_forwards, &fwd) :
	    add_forward(&o->local_forwards, &o->num_local_forwards, &fwd);
}

/* ------------------------------------------------------------ ProxyJump */

int
readconf_parse_jump(const char *s, char **userp, char **hostp, int *portp)
{
	char *copy, *p, *at, *host, *user = NULL;
	const char *rest;
	int port = -1, r = ERR_INVALID_FORMAT;

	if (userp == NULL || hostp == NULL || portp == NULL || s == NULL)
		return ERR_INVALID_ARGUMENT;
	*userp = *hostp = NULL;
	*portp = -1;
	if ((rest = strprefix(s, "ssh://", 1)) != NULL)
		s = rest;
	if ((copy = strdup(s)) == NULL)
		return ERR_ALLOC_FAIL;
	p = copy;
	if ((at = strrchr(p, '@')) != NULL) {
		*at = '\0';
		user = p;
		p = at + 1;
		if (*user == '\0')
			goto out;
	}
	if ((host = hpdelim(&p)) == NULL || *host == '\0')
		goto out;
	if (p != NULL && (port = a2port(p)) <= 0)
		goto out;
	if ((*hostp = strdup(host)) == NULL ||
	    (user != NULL && (*userp = strdup(user)) == NULL)) {
		free(*hostp);
		*hostp = NULL;
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	*portp = port;
	r = 0;
 out:
	free(copy);
	return r;
}

static int
parse_proxyjump(struct readconf *o, struct rc_state *st, const char *arg)
{
	char *copy, *p, *item, *u, *h;
	int port, r = 0;

	if (strcasecmp(arg, "none") != 0) {
		if ((copy = strdup(arg)) == NULL)
			return ERR_ALLOC_FAIL;
		for (p = copy; r == 0 && (item = strsep(&p, ",")) != NULL;) {
			r = readconf_parse_jump(item, &u, &h, &port);
			if (r == 0) {
				free(u);
				free(h);
			}
		}
		free(copy);
		if (r != 0) {
			if (r == ERR_ALLOC_FAIL)
				return r;
			rc_error(st, "Invalid ProxyJump \"%s\"", arg);
			return ERR_CONFIG_INVALID;
		}
	}
	if (!st->active || o->jump_spec != NULL || o->proxy_command != NULL)
		return 0;
	return (o->jump_spec = strdup(arg)) == NULL ? ERR_ALLOC_FAIL : 0;
}

static int
parse_proxycommand(struct readconf *o, struct rc_state *st,
    const struct conf_line *cl)
{
	/* ProxyJump none does not stop a ProxyCommand, as in OpenSSH. */
	if (!st->active || o->proxy_command != NULL ||
	    (o->jump_spec != NULL && strcasecmp(o->jump_spec, "none") != 0))
		return 0;
	return (o->proxy_command = strdup(cl->rest)) == NULL ?
	    ERR_ALLOC_FAIL : 0;
}

/* ------------------------------------------------------------ values */

static int
parse_escape(struct readconf *o, struct rc_state *st, const char *arg)
{
	int v;

	if (strcmp(arg, "none") == 0)
		v = RC_ESCAPE_NONE;
	else if (arg[0] != '\0' && arg[1] == '\0')
		v = (u_char)arg[0];
	else if (arg[0] == '^' && arg[2] == '\0' &&
	    (u_char)arg[1] >= 64 && (u_char)arg[1] < 128)
		v = (u_char)arg[1] & 31;
	else {
		rc_error(st, "Bad escape character.");
		return ERR_CONFIG_INVALID;
	}
	if (st->active && o->escape_char == -1)
		o->escape_char = v;
	return 0;
}

/* Add or remove ("-pattern") SendEnv names; lines accumulate. */
static int
parse_sendenv(struct readconf *o, struct rc_state *st,
    const struct conf_line *cl)
{
	u_int i, j;
	int a, r;

	for (a = 0; a < cl->argc; a++) {
		if (strchr(cl->argv[a], '=') != NULL) {
			rc_error(st, "Invalid environment name.");
			return ERR_CONFIG_INVALID;
		}
	}
	for (a = 0; st->active && a < cl->argc; a++) {
		if (*cl->argv[a] != '-') {
			if ((r = conf_strlist_add(&o->send_env,
			    cl->argv[a])) != 0)
				return r;
			continue;
		}
		for (i = j = 0; i < o->send_env.n; i++) {
			if (match_pattern(o->send_env.v[i], cl->argv[a] + 1))
				free(o->send_env.v[i]);
			else
				o->send_env.v[j++] = o->send_env.v[i];
		}
		o->send_env.n = j;
		o->send_env.v[j] = NULL;
	}
	return 0;
}

/* SetEnv: the first line wins; within it, the first value of a name. */
static int
parse_setenv(struct readconf *o, struct rc_state *st,
    const struct conf_line *cl)
{
	struct conf_strlist l = { NULL, 0 };
	size_t n;
	u_int i;
	int a, r, dup;

	for (a = 0; a < cl->argc; a++) {
		if (strchr(cl->argv[a], '=') == NULL || *cl->argv[a] == '=') {
			rc_error(st, "Invalid SetEnv.");
			return ERR_CONFIG_INVALID;
		}
	}
	if (!st->active || o->set_env.n != 0)
		return 0;
	for (a = 0; a < cl->argc; a++) {
		n = strcspn(cl->argv[a], "=");
		for (dup = 0, i = 0; i < l.n && !dup; i++)
			dup = strncmp(l.v[i], cl->argv[a], n + 1) == 0;
		if (!dup && (r = conf_strlist_add(&l, cl->argv[a])) != 0) {
			conf_strlist_free(&l);
			return r;
		}
	}
	conf_strlist_move(&o->set_env, &l);
	return 0;
}

static int
parse_files(struct rc_state *st, const struct conf_line *cl,
    struct conf_strlist *l, const char *what)
{
	int a, r;

	for (a = 0; st->active && a < cl->argc; a++) {
		if (conf_strlist_has(l, cl->argv[a]))
			continue;
		if (l->n >= MAX_IDENTITY_FILES) {
			rc_error(st, "Too many %s files specified (max %d)",
			    what, MAX_IDENTITY_FILES);
			return ERR_CONFIG_INVALID;
		}
		if ((r = conf_strlist_add(l, cl->argv[a])) != 0)
			return r;
	}
	return 0;
}

static int
parse_controlpersist(struct readconf *o, struct rc_state *st,
    const struct conf_line *cl)
{
	int v, t = 0;
	long secs;

	if (conf_choice_value(conf_choices_flag, cl->argv[0], &v) != 0) {
		if (convtime(cl->argv[0], &secs) != 0) {
			rc_error(st, "Bad ControlPersist argument.");
			return ERR_CONFIG_INVALID;
		}
		v = 1;
		t = (int)secs;
	}
	if (st->active && o->control_persist == -1) {
		o->control_persist = v;
		o->control_persist_timeout = t;
	}
	return 0;
}

static int
parse_forwardagent(struct readconf *o, struct rc_state *st, const char *arg)
{
	int v;

	if (!st->active || o->forward_agent != -1)
		return 0;
	if (conf_choice_value(conf_choices_flag, arg, &v) == 0) {
		o->forward_agent = v;
		return 0;
	}
	o->forward_agent = 1;
	return (o->forward_agent_sock_path = strdup(arg)) == NULL ?
	    ERR_ALLOC_FAIL : 0;
}

static int
parse_addkeys(struct readconf *o, struct rc_state *st,
    const struct conf_line *cl)
{
	static const struct conf_choice tab[] = {
		{ "yes", RC_YES }, { "true", RC_YES }, { "no", RC_NO },
		{ "false", RC_NO }, { "ask", RC_ASK },
		{ "confirm", RC_CONFIRM },
		{ NULL, -1 }
	};
	const char *tstr = NULL;
	int v, secs = 0, r;

	if (conf_choice_value(tab, cl->argv[0], &v) != 0) {
		v = RC_YES;
		tstr = cl->argv[0];
		if (cl->argc > 1)
			goto extra;
	} else if (cl->argc == 2)
		tstr = cl->argv[1];
	else if (cl->argc > 2)
		goto extra;
	if (tstr != NULL && (r = rc_parse_time(st, tstr, &secs)) != 0)
		return r;
	if (st->active && o->add_keys_to_agent == -1) {
		o->add_keys_to_agent = v;
		o->add_keys_to_agent_lifespan = secs;
	}
	return 0;
 extra:
	rc_error(st, "keyword %s extra arguments at end of line", cl->keyword);
	return ERR_CONFIG_INVALID;
}

static int
tundev(const char *s, int *valp)
{
	long long v;

	if (strcasecmp(s, "any") == 0) {
		*valp = RC_TUNID_ANY;
		return 0;
	}
	if (conf_parse_int(s, 0, RC_TUNID_ANY - 1, &v) != 0)
		return -1;
	*valp = (int)v;
	return 0;
}

static int
parse_tundev(struct readconf *o, struct rc_state *st, const char *arg)
{
	char *copy, *p;
	int l, rm = RC_TUNID_ANY, ok;

	if ((copy = strdup(arg)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((p = strchr(copy, ':')) != NULL)
		*p++ = '\0';
	ok = tundev(copy, &l) == 0 && (p == NULL || tundev(p, &rm) == 0);
	free(copy);
	if (!ok) {
		rc_error(st, "Bad tun device.");
		return ERR_CONFIG_INVALID;
	}
	if (st->active && o->tun_local == -1) {
		o->tun_local = l;
		o->tun_remote = rm;
	}
	return 0;
}

static int
parse_ipqos(struct readconf *o, struct rc_state *st,
    const struct conf_line *cl)
{
	int q1, q2;

	if (cl->argc > 2) {
		rc_error(st, "keyword %s extra arguments at end of line",
		    cl->keyword);
		return ERR_CONFIG_INVALID;
	}
	if ((q1 = conf_ipqos_value(cl->argv[0])) == -1) {
		rc_error(st, "Bad IPQoS value: %s", cl->argv[0]);
		return ERR_CONFIG_INVALID;
	}
	q2 = q1;
	if (cl->argc == 2 && (q2 = conf_ipqos_value(cl->argv[1])) == -1) {
		rc_error(st, "Bad IPQoS value: %s", cl->argv[1]);
		return ERR_CONFIG_INVALID;
	}
	if (st->active && o->ip_qos_interactive == -1) {
		o->ip_qos_interactive = q1;
		o->ip_qos_bulk = q2;
	}
	return 0;
}

static int
parse_rekey(struct readconf *o, struct rc_state *st,
    const struct conf_line *cl)
{
	uint64_t bytes = 0;
	long secs = 0;

	if (cl->argc > 2) {
		rc_error(st, "keyword %s extra arguments at end of line",
		    cl->keyword);
		return ERR_CONFIG_INVALID;
	}
	if (strcmp(cl->argv[0], "default") != 0) {
		if (parse_size(cl->argv[0], &bytes) != 0 ||
		    bytes > INT64_MAX) {
			rc_error(st, "Bad RekeyLimit number '%s': Invalid "
			    "argument", cl->argv[0]);
			return ERR_CONFIG_INVALID;
		}
		if (bytes != 0 && bytes < 16) {
			rc_error(st, "RekeyLimit too small");
			return ERR_CONFIG_INVALID;
		}
	}
	if (cl->argc == 2 && strcmp(cl->argv[1], "default") != 0 &&
	    strcmp(cl->argv[1], "none") != 0 &&
	    convtime(cl->argv[1], &secs) != 0) {
		rc_error(st, "invalid time value.");
		return ERR_CONFIG_INVALID;
	}
	if (st->active && o->rekey_limit == -1)
		o->rekey_limit = (int64_t)bytes;
	if (st->active && cl->argc == 2 && o->rekey_interval == -1)
		o->rekey_interval = (int)secs;
	return 0;
}

static int
parse_bindmask(struct readconf *o, struct rc_state *st, const char *arg)
{
	const char *p;
	long v;

	for (p = arg; *p >= '0' && *p <= '7'; p++)
		;
	if (*arg == '\0' || *p != '\0' || p - arg > 4 ||
	    (v = strtol(arg, NULL, 8)) > 0777) {
		rc_error(st, "Bad mask.");
		return ERR_CONFIG_INVALID;
	}
	if (st->active && o->streamlocal_bind_mask == -1)
		o->streamlocal_bind_mask = (int)v;
	return 0;
}

static int
parse_permitremoteopen(struct readconf *o, struct rc_state *st,
    const struct conf_line *cl)
{
	char *copy, *cp, *host;
	int a, ok, r;

	for (a = 0; a < cl->argc; a++) {
		if (strcmp(cl->argv[a], "any") == 0 ||
		    strcmp(cl->argv[a], "none") == 0) {
			ok = cl->argc == 1;
		} else {
			if ((copy = strdup(cl->argv[a])) == NULL)
				return ERR_ALLOC_FAIL;
			cp = copy;
			host = hpdelim(&cp);
			ok = host != NULL && *host != '\0' && cp != NULL &&
			    (strcmp(cp, "*") == 0 || a2port(cp) > 0);
			free(copy);
		}
		if (!ok) {
			rc_error(st, "Invalid %s argument \"%s\"",
			    cl->keyword, cl->argv[a]);
			return ERR_CONFIG_INVALID;
		}
	}
	if (!st->active || o->permitted_remote_opens.n != 0)
		return 0;
	for (a = 0; a < cl->argc; a++) {
		if ((r = conf_strlist_add(&o->permitted_remote_opens,
		    cl->argv[a])) != 0)
			return r;
	}
	return 0;
}

static int
parse_cnames(struct readconf *o, struct rc_state *st,
    const struct conf_line *cl)
{
	int a, r;

	for (a = 0; a < cl->argc; a++) {
		if (strcmp(cl->argv[a], "none") != 0 &&
		    strchr(cl->argv[a], ':') == NULL) {
			rc_error(st, "Invalid permitted CNAME \"%s\"",
			    cl->argv[a]);
			return ERR_CONFIG_INVALID;
		}
	}
	if (!st->active || o->canonicalize_permitted_cnames.n != 0)
		return 0;
	for (a = 0; a < cl->argc; a++) {
		if ((r = conf_strlist_add(&o->canonicalize_permitted_cnames,
		    cl->argv[a])) != 0)
			return r;
	}
	return 0;
}

static int
parse_simple(struct readconf *o, struct rc_state *st, int op,
    const char *arg)
{
	int v;

	switch (op) {
	case RO_PORT:
		if ((v = a2port(arg)) <= 0) {
			rc_error(st, "Bad port '%s'.", arg);
			return ERR_CONFIG_INVALID;
		}
		if (st->active && o->port == -1)
			o->port = v;
		return 0;
	case RO_LOGLEVEL:
		if ((v = log_level_from_name(arg)) == LOG_LEVEL_NOT_SET) {
			rc_error(st, "unsupported log level '%s'", arg);
			return ERR_CONFIG_INVALID;
		}
		if (st->active && o->log_level == LOG_LEVEL_NOT_SET)
			o->log_level = (LogLevel)v;
		return 0;
	case RO_FACILITY:
		if ((v = log_facility_from_name(arg)) ==
		    LOG_FACILITY_NOT_SET) {
			rc_error(st, "unsupported log facility '%s'", arg);
			return ERR_CONFIG_INVALID;
		}
		if (st->active && o->log_facility == LOG_FACILITY_NOT_SET)
			o->log_facility = (LogFacility)v;
		return 0;
	case RO_FPHASH:
		v = digest_alg_by_name(arg);
		if (v != DIGEST_MD5 && v != DIGEST_SHA256) {
			rc_error(st, "Invalid hash algorithm \"%s\".", arg);
			return ERR_CONFIG_INVALID;
		}
		if (st->active && o->fingerprint_hash == -1)
			o->fingerprint_hash = v;
		return 0;
	case RO_CONNECTTIMEOUT:
		/* "none" is the default and leaves the keyword unset. */
		if (strcasecmp(arg, "none") == 0)
			return 0;
		if (rc_parse_time(st, arg, &v) != 0)
			return ERR_CONFIG_INVALID;
		if (st->active && o->connect_timeout == -1)
			o->connect_timeout = v;
		return 0;
	}
	return ERR_INTERNAL;
}

int
rc_parse_special(struct readconf *o, struct rc_state *st,
    const struct rc_kw *kw, const struct conf_line *cl)
{
	const char *arg = cl->argv[0];

	switch (kw->op) {
	case RO_HOST:
		return rc_host_line(st, cl);
	case RO_MATCH:
		return rc_match_line(o, st, cl);
	case RO_INCLUDE:
		return parse_include(o, st, cl);
	case RO_PORT:
	case RO_LOGLEVEL:
	case RO_FACILITY:
	case RO_FPHASH:
	case RO_CONNECTTIMEOUT:
		return parse_simple(o, st, kw->op, arg);
	case RO_ESCAPE:
		return parse_escape(o, st, arg);
	case RO_FORWARD_L:
	case RO_FORWARD_R:
	case RO_FORWARD_D:
		return parse_forward_kw(o, st, cl, kw->op);
	case RO_IDENTITY:
		return parse_files(st, cl, &o->identity_files, "identity");
	case RO_CERTFILE:
		return parse_files(st, cl, &o->certificate_files,
		    "certificate");
	case RO_SENDENV:
		return parse_sendenv(o, st, cl);
	case RO_SETENV:
		return parse_setenv(o, st, cl);
	case RO_PROXYCOMMAND:
		return parse_proxycommand(o, st, cl);
	case RO_PROXYJUMP:
		return parse_proxyjump(o, st, arg);
	case RO_CONTROLPERSIST:
		return parse_controlpersist(o, st, cl);
	case RO_FORWARDAGENT:
		return parse_forwardagent(o, st, arg);
	case RO_ADDKEYS:
		return parse_addkeys(o, st, cl);
	case RO_TUNDEV:
		return parse_tundev(o, st, arg);
	case RO_IPQOS:
		return parse_ipqos(o, st, cl);
	case RO_REKEY:
		return parse_rekey(o, st, cl);
	case RO_BINDMASK:
		return parse_bindmask(o, st, arg);
	case RO_PERMITREMOTEOPEN:
		return parse_permitremoteopen(o, st, cl);
	case RO_CANON_CNAMES:
		return parse_cnames(o, st, cl);
	}
	return ERR_INTERNAL;
}
