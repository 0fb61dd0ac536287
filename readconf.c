/*
 * readconf.c: ssh_config keywords, Host blocks and the reading of files.
 *
 * As in servconf.c, most keywords are one table row saying how the value
 * is parsed and where it goes; the rest are in readconf-kw.c.  Unlike
 * sshd_config, ssh_config is read for one destination: Host and Match
 * blocks are decided while reading, and a line applies only inside a
 * block that matched.
 */
#include "includes.h"

#include <sys/socket.h>
#include <sys/wait.h>
#include <limits.h>
#include <pwd.h>
#include <stddef.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#include "conf.h"
#include "errcode.h"
#include "log.h"
#include "match.h"
#include "misc.h"
#include "readconf.h"
#include "readconf-impl.h"

#define O(f)	offsetof(struct readconf, f)

/* The first name of each value is the one ssh -G prints. */
static const struct conf_choice ch_truefalse[] = {
	{ "true", 1 }, { "false", 0 }, { "yes", 1 }, { "no", 0 },
	{ NULL, -1 }
};
static const struct conf_choice ch_addrfam[] = {
	{ "inet", AF_INET }, { "inet6", AF_INET6 }, { "any", AF_UNSPEC },
	{ NULL, -1 }
};
static const struct conf_choice ch_shk[] = {
	{ "true", RC_SHK_YES }, { "false", RC_SHK_OFF },
	{ "ask", RC_SHK_ASK }, { "accept-new", RC_SHK_NEW },
	{ "yes", RC_SHK_YES }, { "no", RC_SHK_OFF }, { "off", RC_SHK_OFF },
	{ NULL, -1 }
};
static const struct conf_choice ch_requesttty[] = {
	{ "true", RC_TTY_YES }, { "false", RC_TTY_NO },
	{ "force", RC_TTY_FORCE }, { "auto", RC_TTY_AUTO },
	{ "yes", RC_TTY_YES }, { "no", RC_TTY_NO },
	{ NULL, -1 }
};
static const struct conf_choice ch_controlmaster[] = {
	{ "true", RC_CM_YES }, { "false", RC_CM_NO }, { "auto", RC_CM_AUTO },
	{ "ask", RC_CM_ASK }, { "autoask", RC_CM_AUTO_ASK },
	{ "yes", RC_CM_YES }, { "no", RC_CM_NO },
	{ NULL, -1 }
};
static const struct conf_choice ch_pubkey[] = {
	{ "true", RC_PUBKEY_ALL }, { "false", RC_PUBKEY_NO },
	{ "unbound", RC_PUBKEY_UNBOUND }, { "host-bound", RC_PUBKEY_HBOUND },
	{ "yes", RC_PUBKEY_ALL }, { "no", RC_PUBKEY_NO },
	{ NULL, -1 }
};
static const struct conf_choice ch_yesnoask[] = {
	{ "true", RC_YES }, { "false", RC_NO }, { "ask", RC_ASK },
	{ "yes", RC_YES }, { "no", RC_NO },
	{ NULL, -1 }
};
static const struct conf_choice ch_tunnel[] = {
	{ "ethernet", RC_TUN_ETHERNET },
	{ "point-to-point", RC_TUN_POINTOPOINT },
	{ "true", RC_TUN_POINTOPOINT }, { "false", RC_TUN_NO },
	{ "yes", RC_TUN_POINTOPOINT }, { "no", RC_TUN_NO },
	{ NULL, -1 }
};
static const struct conf_choice ch_sessiontype[] = {
	{ "none", RC_SESSION_NONE }, { "subsystem", RC_SESSION_SUBSYSTEM },
	{ "default", RC_SESSION_DEFAULT },
	{ NULL, -1 }
};
static const struct conf_choice ch_canon[] = {
	{ "true", RC_CANON_YES }, { "false", RC_CANON_NO },
	{ "always", RC_CANON_ALWAYS }, { "yes", RC_CANON_YES },
	{ "no", RC_CANON_NO },
	{ NULL, -1 }
};

const struct conf_choice *const readconf_ch_truefalse = ch_truefalse;

#define FLAG(n, f)	{ n, 0, R_CHOICE, RS_INT, O(f), conf_choices_flag }
#define CHOICE(n, f, t)	{ n, 0, R_CHOICE, RS_INT, O(f), t }
#define INT(n, f)	{ n, 0, R_INT, RS_INT, O(f), NULL }
#define TIME(n, f)	{ n, 0, R_TIME, RS_INT, O(f), NULL }
#define STR(n, f)	{ n, 0, R_STR, RS_STR, O(f), NULL }
#define REST(n, f)	{ n, 0, R_REST, RS_STR, O(f), NULL }
#define LIST1(n, f, op)	{ n, op, R_LIST1, RS_LIST, O(f), NULL }
#define ALGS(n, f, k)	{ n, k, R_ALGS, RS_STR, O(f), NULL }
#define SPECIAL(n, op, st, f) { n, op, R_SPECIAL, st, O(f), NULL }
#define DEPRECATED(n)	{ n, 0, R_DEPRECATED, RS_NONE, 0, NULL }
#define UNSUPPORTED(n)	{ n, 0, R_UNSUPPORTED, RS_NONE, 0, NULL }
#define IGNORE(n)	{ n, 0, R_IGNORE, RS_NONE, 0, NULL }

const struct rc_kw readconf_keywords[] = {
	SPECIAL("host", RO_HOST, RS_NONE, port),
	SPECIAL("match", RO_MATCH, RS_NONE, port),
	SPECIAL("include", RO_INCLUDE, RS_NONE, port),
	STR("hostname", hostname),
	SPECIAL("port", RO_PORT, RS_INT, port),
	STR("user", user),
	STR("hostkeyalias", host_key_alias),
	SPECIAL("proxycommand", RO_PROXYCOMMAND, RS_STR, proxy_command),
	SPECIAL("proxyjump", RO_PROXYJUMP, RS_STR, jump_spec),
	STR("bindaddress", bind_address),
	STR("bindinterface", bind_interface),
	CHOICE("addressfamily", address_family, ch_addrfam),
	INT("connectionattempts", connection_attempts),
	SPECIAL("connecttimeout", RO_CONNECTTIMEOUT, RS_INT, connect_timeout),
	FLAG("tcpkeepalive", tcp_keep_alive),
	FLAG("keepalive", tcp_keep_alive),
	TIME("serveraliveinterval", server_alive_interval),
	INT("serveralivecountmax", server_alive_count_max),
	SPECIAL("ipqos", RO_IPQOS, RS_INT, ip_qos_interactive),
	CHOICE("canonicalizehostname", canonicalize_hostname, ch_canon),
	INT("canonicalizemaxdots", canonicalize_max_dots),
	FLAG("canonicalizefallbacklocal", canonicalize_fallback_local),
	LIST1("canonicaldomains", canonical_domains, 0),
	SPECIAL("canonicalizepermittedcnames", RO_CANON_CNAMES, RS_LIST,
	    canonicalize_permitted_cnames),
	CHOICE("stricthostkeychecking", strict_host_key_checking, ch_shk),
	LIST1("userknownhostsfile", user_known_hosts_files, 0),
	LIST1("globalknownhostsfile", global_known_hosts_files, 0),
	REST("knownhostscommand", known_hosts_command),
	STR("revokedhostkeys", revoked_host_keys),
	FLAG("hashknownhosts", hash_known_hosts),
	FLAG("checkhostip", check_host_ip),
	CHOICE("updatehostkeys", update_hostkeys, ch_yesnoask),
	CHOICE("verifyhostkeydns", verify_host_key_dns, ch_yesnoask),
	FLAG("visualhostkey", visual_host_key),
	FLAG("nohostauthenticationforlocalhost",
	    no_host_authentication_for_localhost),
	SPECIAL("fingerprinthash", RO_FPHASH, RS_INT, fingerprint_hash),
	ALGS("kexalgorithms", kex_algorithms, CONF_ALG_KEX),
	ALGS("ciphers", ciphers, CONF_ALG_CIPHER),
	ALGS("macs", macs, CONF_ALG_MAC),
	ALGS("hostkeyalgorithms", hostkey_algorithms, CONF_ALG_HOSTKEY),
	ALGS("pubkeyacceptedalgorithms", pubkey_accepted_algorithms,
	    CONF_ALG_PUBKEY),
	ALGS("pubkeyacceptedkeytypes", pubkey_accepted_algorithms,
	    CONF_ALG_PUBKEY),
	ALGS("hostbasedacceptedalgorithms", hostbased_accepted_algorithms,
	    CONF_ALG_HOSTKEY),
	ALGS("hostbasedkeytypes", hostbased_accepted_algorithms,
	    CONF_ALG_HOSTKEY),
	ALGS("casignaturealgorithms", ca_sign_algorithms, CONF_ALG_CASIG),
	FLAG("compression", compression),
	SPECIAL("rekeylimit", RO_REKEY, RS_NONE, rekey_limit),
	INT("requiredrsasize", required_rsa_size),
	FLAG("batchmode", batch_mode),
	FLAG("passwordauthentication", password_authentication),
	FLAG("kbdinteractiveauthentication", kbd_interactive_authentication),
	FLAG("challengeresponseauthentication",
	    kbd_interactive_authentication),
	FLAG("skeyauthentication", kbd_interactive_authentication),
	FLAG("tisauthentication", kbd_interactive_authentication),
	STR("kbdinteractivedevices", kbd_interactive_devices),
	CHOICE("pubkeyauthentication", pubkey_authentication, ch_pubkey),
	CHOICE("dsaauthentication", pubkey_authentication, ch_pubkey),
	FLAG("hostbasedauthentication", hostbased_authentication),
	FLAG("gssapiauthentication", gss_authentication),
	FLAG("gssapidelegatecredentials", gss_deleg_creds),
	FLAG("gssapikeyexchange", gss_keyex),
	FLAG("gssapitrustdns", gss_trust_dns),
	FLAG("gssapirenewalforcesrekey", gss_renewal_rekey),
	STR("gssapikexalgorithms", gss_kex_algorithms),
	IGNORE("gssapiclientidentity"),
	IGNORE("gssapiserveridentity"),
	STR("preferredauthentications", preferred_authentications),
	INT("numberofpasswordprompts", number_of_password_prompts),
	FLAG("identitiesonly", identities_only),
	SPECIAL("identityfile", RO_IDENTITY, RS_LIST, identity_files),
	SPECIAL("identityfile2", RO_IDENTITY, RS_LIST, identity_files),
	SPECIAL("certificatefile", RO_CERTFILE, RS_LIST, certificate_files),
	STR("identityagent", identity_agent),
	SPECIAL("addkeystoagent", RO_ADDKEYS, RS_INT, add_keys_to_agent),
	STR("pkcs11provider", pkcs11_provider),
	STR("smartcarddevice", pkcs11_provider),
	STR("securitykeyprovider", sk_provider),
	FLAG("enablesshkeysign", enable_ssh_keysign),
	CHOICE("requesttty", request_tty, ch_requesttty),
	CHOICE("sessiontype", session_type, ch_sessiontype),
	FLAG("stdinnull", stdin_null),
	FLAG("forkafterauthentication", fork_after_authentication),
	REST("remotecommand", remote_command),
	REST("localcommand", local_command),
	FLAG("permitlocalcommand", permit_local_command),
	SPECIAL("escapechar", RO_ESCAPE, RS_INT, escape_char),
	FLAG("enableescapecommandline", enable_escape_commandline),
	SPECIAL("sendenv", RO_SENDENV, RS_LIST, send_env),
	SPECIAL("setenv", RO_SETENV, RS_LIST, set_env),
	SPECIAL("loglevel", RO_LOGLEVEL, RS_NONE, log_level),
	SPECIAL("syslogfacility", RO_FACILITY, RS_NONE, log_facility),
	LIST1("logverbose", log_verbose, 0),
	STR("ignoreunknown", ignored_unknown),
	SPECIAL("forwardagent", RO_FORWARDAGENT, RS_INT, forward_agent),
	FLAG("forwardx11", forward_x11),
	FLAG("forwardx11trusted", forward_x11_trusted),
	TIME("forwardx11timeout", forward_x11_timeout),
	STR("xauthlocation", xauth_location),
	FLAG("gatewayports", gateway_ports),
	FLAG("exitonforwardfailure", exit_on_forward_failure),
	FLAG("clearallforwardings", clear_forwardings),
	SPECIAL("localforward", RO_FORWARD_L, RS_NONE, local_forwards),
	SPECIAL("remoteforward", RO_FORWARD_R, RS_NONE, remote_forwards),
	SPECIAL("dynamicforward", RO_FORWARD_D, RS_NONE, local_forwards),
	SPECIAL("permitremoteopen", RO_PERMITREMOTEOPEN, RS_LIST,
	    permitted_remote_opens),
	CHOICE("tunnel", tun_open, ch_tunnel),
	SPECIAL("tunneldevice", RO_TUNDEV, RS_INT, tun_local),
	SPECIAL("streamlocalbindmask", RO_BINDMASK, RS_INT,
	    streamlocal_bind_mask),
	FLAG("streamlocalbindunlink", streamlocal_bind_unlink),
	CHOICE("controlmaster", control_master, ch_controlmaster),
	STR("controlpath", control_path),
	SPECIAL("controlpersist", RO_CONTROLPERSIST, RS_INT, control_persist),
	FLAG("proxyusefdpass", proxy_use_fdpass),
	/* Gone from OpenSSH: ignored as it does. */
	DEPRECATED("cipher"),
	DEPRECATED("fallbacktorsh"),
	DEPRECATED("globalknownhostsfile2"),
	DEPRECATED("rhostsauthentication"),
	DEPRECATED("userknownhostsfile2"),
	DEPRECATED("useroaming"),
	DEPRECATED("usersh"),
	DEPRECATED("useprivilegedport"),
	DEPRECATED("useblacklistedkeys"),
	UNSUPPORTED("rsaauthentication"),
	UNSUPPORTED("rhostsrsaauthentication"),
	UNSUPPORTED("compressionlevel"),
	UNSUPPORTED("kerberosauthentication"),
	UNSUPPORTED("kerberostgtpassing"),
	UNSUPPORTED("afstokenpassing"),
	IGNORE("protocol"),
	{ NULL, 0, 0, 0, 0, NULL }
};

const struct rc_kw *
readconf_keyword(const char *name)
{
	const struct rc_kw *kw;

	for (kw = readconf_keywords; kw->name != NULL; kw++) {
		if (strcasecmp(kw->name, name) == 0)
			return kw;
	}
	return NULL;
}

/* ------------------------------------------------------------ life */

struct readconf *
readconf_new(void)
{
	const struct rc_kw *kw;
	struct readconf *o;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	for (kw = readconf_keywords; kw->name != NULL; kw++) {
		if (kw->store == RS_INT)
			*(int *)((char *)o + kw->off) = -1;
	}
	o->log_level = LOG_LEVEL_NOT_SET;
	o->log_facility = LOG_FACILITY_NOT_SET;
	o->ip_qos_bulk = -1;
	o->rekey_limit = -1;
	o->rekey_interval = -1;
	o->tun_remote = -1;
	o->add_keys_to_agent_lifespan = -1;
	o->control_persist_timeout = -1;
	return o;
}

static void
forwards_free(struct readconf_forward *f, u_int n)
{
	u_int i;

	for (i = 0; i < n; i++)
		readconf_forward_clear(&f[i]);
	free(f);
}

void
readconf_free(struct readconf *o)
{
	const struct rc_kw *kw;
	char **sp;

	if (o == NULL)
		return;
	for (kw = readconf_keywords; kw->name != NULL; kw++) {
		if (kw->store == RS_STR) {
			sp = (char **)((char *)o + kw->off);
			free(*sp);
			*sp = NULL;
		} else if (kw->store == RS_LIST)
			conf_strlist_free((struct conf_strlist *)
			    ((char *)o + kw->off));
	}
	free(o->host_arg);
	free(o->forward_agent_sock_path);
	forwards_free(o->local_forwards, o->num_local_forwards);
	forwards_free(o->remote_forwards, o->num_remote_forwards);
	free(o);
}

/* ------------------------------------------------------------ lines */

void
rc_error(const struct rc_state *st, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	error("%s line %u: %s", st->file, st->line, msg);
}

static int
rc_parse_int(struct rc_state *st, const char *arg, int *valp)
{
	long long v;
	int r;

	if ((r = conf_parse_int(arg, LLONG_MIN, LLONG_MAX, &v)) != 0 ||
	    v < 0 || v > INT_MAX) {
		rc_error(st, "integer value %s.",
		    r == ERR_INVALID_FORMAT ? "invalid" :
		    (r == 0 && v < 0) ? "too small" : "too large");
		return ERR_CONFIG_INVALID;
	}
	*valp = (int)v;
	return 0;
}

int
rc_parse_time(struct rc_state *st, const char *arg, int *valp)
{
	long secs;

	if (convtime(arg, &secs) != 0) {
		rc_error(st, "invalid time value.");
		return ERR_CONFIG_INVALID;
	}
	*valp = (int)secs;
	return 0;
}

static int
set_int(const struct rc_state *st, int *field, int val)
{
	if (st->active && *field == -1)
		*field = val;
	return 0;
}

static int
set_str(const struct rc_state *st, char **field, const char *val)
{
	if (!st->active || *field != NULL)
		return 0;
	return (*field = strdup(val)) == NULL ? ERR_ALLOC_FAIL : 0;
}

static int
parse_list1(const struct rc_state *st, const struct conf_line *cl,
    struct conf_strlist *l)
{
	int i, r;

	if (!st->active || l->n != 0)
		return 0;
	for (i = 0; i < cl->argc; i++) {
		if ((r = conf_strlist_add(l, cl->argv[i])) != 0)
			return r;
	}
	return 0;
}

static int
parse_algs(struct rc_state *st, const struct rc_kw *kw,
    const struct conf_line *cl, char **field)
{
	static const char *const what[] = {
		"Bad SSH2 KexAlgorithms '%s'.", "Bad SSH2 cipher spec '%s'.",
		"Bad SSH2 MAC spec '%s'.", "Bad key types '%s'.",
		"Bad key types '%s'.", "Bad key types '%s'."
	};
	char *list = NULL;
	int r;

	if ((r = conf_alg_resolve((enum conf_alg_kind)kw->op, cl->argv[0],
	    &list)) != 0) {
		if (r == ERR_ALLOC_FAIL)
			return r;
		rc_error(st, what[kw->op], cl->argv[0]);
		return ERR_CONFIG_INVALID;
	}
	free(list);
	return set_str(st, field, cl->argv[0]);
}

static int
one_arg(const struct rc_kw *kw)
{
	switch (kw->parse) {
	case R_CHOICE:
	case R_INT:
	case R_TIME:
	case R_STR:
	case R_ALGS:
		return 1;
	case R_SPECIAL:
		return rc_special_one_arg(kw->op);
	}
	return 0;
}

static int
dispatch(struct readconf *o, struct rc_state *st, const struct rc_kw *kw,
    const struct conf_line *cl)
{
	void *field = (char *)o + kw->off;
	int v, r;

	switch (kw->parse) {
	case R_CHOICE:
		if (conf_choice_value(kw->choices, cl->argv[0], &v) != 0) {
			rc_error(st, "unsupported option \"%s\".", cl->argv[0]);
			return ERR_CONFIG_INVALID;
		}
		return set_int(st, field, v);
	case R_INT:
		if ((r = rc_parse_int(st, cl->argv[0], &v)) != 0)
			return r;
		return set_int(st, field, v);
	case R_TIME:
		if ((r = rc_parse_time(st, cl->argv[0], &v)) != 0)
			return r;
		return set_int(st, field, v);
	case R_STR:
		return set_str(st, field, cl->argv[0]);
	case R_REST:
		return set_str(st, field, cl->rest);
	case R_LIST1:
		return parse_list1(st, cl, field);
	case R_ALGS:
		return parse_algs(st, kw, cl, field);
	case R_SPECIAL:
		return rc_parse_special(o, st, kw, cl);
	case R_DEPRECATED:
		debug("%s line %u: Deprecated option \"%s\"", st->file,
		    st->line, kw->name);
		return 0;
	case R_UNSUPPORTED:
		error("%s line %u: Unsupported option \"%s\"", st->file,
		    st->line, kw->name);
		return 0;
	case R_IGNORE:
		return 0;
	}
	return ERR_INTERNAL;
}

/* An unknown keyword: silently skipped if IgnoreUnknown names it. */
static int
unknown_keyword(struct readconf *o, struct rc_state *st, const char *kwlow)
{
	if (o->ignored_unknown != NULL &&
	    match_pattern_list(kwlow, o->ignored_unknown, 1) == 1) {
		debug("%s line %u: Ignored unknown option \"%s\"", st->file,
		    st->line, kwlow);
		return 0;
	}
	error("%s: line %u: Bad configuration option: %s", st->file,
	    st->line, kwlow);
	return ERR_CONFIG_INVALID;
}

/* One line; any failure is counted by the caller, as ssh does. */
static int
process_line(struct readconf *o, struct rc_state *st, const char *text)
{
	const struct rc_kw *kw;
	struct conf_line cl;
	int r;

	if ((r = conf_line_split(text, &cl)) != 0) {
		if (r != ERR_ALLOC_FAIL) {
			rc_error(st, "invalid quotes");
			r = ERR_CONFIG_INVALID;
		}
		return r;
	}
	if (cl.keyword == NULL) {
		r = 0;
		goto out;
	}
	lowercase(cl.keyword);
	if ((kw = readconf_keyword(cl.keyword)) == NULL) {
		r = unknown_keyword(o, st, cl.keyword);
		goto out;
	}
	if (cl.argc == 0 && kw->parse != R_DEPRECATED &&
	    kw->parse != R_UNSUPPORTED && kw->parse != R_IGNORE) {
		rc_error(st, "no argument after keyword \"%s\"", cl.keyword);
		r = ERR_CONFIG_INVALID;
		goto out;
	}
	if (one_arg(kw) && cl.argc > 1) {
		rc_error(st, "keyword %s extra arguments at end of line",
		    cl.keyword);
		r = ERR_CONFIG_INVALID;
		goto out;
	}
	r = dispatch(o, st, kw, &cl);
 out:
	conf_line_free(&cl);
	return r;
}

/* ------------------------------------------------------------ blocks */

/* "Host pattern...": any positive match and no negated one. */
int
rc_host_line(struct rc_state *st, const struct conf_line *cl)
{
	int i, neg, matched = 0;
	const char *pat;

	if (st->is_option) {
		rc_error(st, "Host directive not supported as a "
		    "command-line option");
		return ERR_CONFIG_INVALID;
	}
	for (i = 0; i < cl->argc; i++) {
		pat = cl->argv[i];
		if ((neg = *pat == '!'))
			pat++;
		if (!match_pattern(st->host, pat))
			continue;
		if (neg) {
			debug("%s line %u: Skipping Host block because of "
			    "negated match for %s", st->file, st->line, pat);
			matched = 0;
			break;
		}
		if (!matched)
			debug("%s line %u: Applying options for %s", st->file,
			    st->line, pat);
		matched = 1;
	}
	st->active = matched && !st->nevermatch;
	return 0;
}

/* ------------------------------------------------------------ files */

int
rc_process_file(struct readconf *o, struct rc_state *st, const char *path,
    int check_perm)
{
	struct conf_file *f = NULL;
	const char *ofile = st->file;
	u_int i, oline = st->line;
	int r = 0, oactive = st->active, onever = st->nevermatch;

	if ((r = conf_file_load(path, check_perm, &f)) != 0)
		return r;
	debug("Reading configuration data %s", path);
	if (!st->active)
		st->nevermatch = 1;
	for (i = 0; i < f->nlines; i++) {
		st->file = f->path;
		st->line = i + 1;
		if ((r = process_line(o, st, f->lines[i])) == 0)
			continue;
		if (r == ERR_ALLOC_FAIL || r == ERR_INTERNAL)
			break;
		st->nbad++;
		r = 0;
	}
	/* Host/Match blocks of an included file end with it. */
	st->active = oactive;
	st->nevermatch = onever;
	st->file = ofile;
	st->line = oline;
	conf_file_free(f);
	return r == ERR_ALLOC_FAIL || r == ERR_INTERNAL ? r : 0;
}

static int
read_config(struct readconf *o, const char *path, const char *text,
    const char *host, const struct readconf_ctx *ctx, int flags)
{
	struct conf_file *f = NULL;
	struct rc_state st;
	u_int i;
	int r = 0;

	if (o == NULL || host == NULL || ctx == NULL)
		return ERR_INVALID_ARGUMENT;
	if (o->host_arg == NULL && (o->host_arg = strdup(host)) == NULL)
		return ERR_ALLOC_FAIL;
	memset(&st, 0, sizeof(st));
	st.host = host;
	st.ctx = ctx;
	st.flags = flags;
	st.active = 1;
	if (text == NULL)
		r = rc_process_file(o, &st, path,
		    (flags & READCONF_CHECKPERM) != 0);
	else if ((r = conf_file_from_string(path, text, &f)) == 0) {
		for (i = 0; i < f->nlines; i++) {
			st.file = f->path;
			st.line = i + 1;
			if ((r = process_line(o, &st, f->lines[i])) == 0)
				continue;
			if (r == ERR_ALLOC_FAIL || r == ERR_INTERNAL)
				break;
			st.nbad++;
			r = 0;
		}
		conf_file_free(f);
	}
	if (r != 0)
		return r;
	if (st.nbad > 0) {
		error("%s: terminating, %d bad configuration options", path,
		    st.nbad);
		return ERR_CONFIG_INVALID;
	}
	return 0;
}

int
readconf_read_file(struct readconf *o, const char *path, const char *host,
    const struct readconf_ctx *ctx, int flags)
{
	if (path == NULL)
		return ERR_INVALID_ARGUMENT;
	return read_config(o, path, NULL, host, ctx, flags);
}

int
readconf_read_string(struct readconf *o, const char *name, const char *text,
    const char *host, const struct readconf_ctx *ctx, int flags)
{
	if (name == NULL || text == NULL)
		return ERR_INVALID_ARGUMENT;
	return read_config(o, name, text, host, ctx, flags);
}

int
readconf_process_option(struct readconf *o, const char *line,
    const char *host, const struct readconf_ctx *ctx)
{
	struct rc_state st;
	int r;

	if (o == NULL || line == NULL || host == NULL || ctx == NULL)
		return ERR_INVALID_ARGUMENT;
	memset(&st, 0, sizeof(st));
	st.file = "command-line";
	st.line = 0;
	st.host = host;
	st.ctx = ctx;
	st.active = 1;
	st.is_option = 1;
	if ((r = process_line(o, &st, line)) == 0)
		return 0;
	return r == ERR_ALLOC_FAIL ? r : ERR_CONFIG_INVALID;
}

/* ------------------------------------------------------------ context */

/* Match exec: the command through the shell, as ssh runs it. */
static int
readconf_exec_shell(const char *cmd, void *arg)
{
	int status;

	(void)arg;
	status = system(cmd);
	return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int
readconf_ctx_local(struct readconf_ctx *ctx, const char *host)
{
	static char lhost[256], lshort[256], user[256], home[PATH_MAX];
	struct passwd *pw;
	char *dot;

	if ((pw = getpwuid(getuid())) == NULL)
		return ERR_NOT_FOUND;
	memset(ctx, 0, sizeof(*ctx));
	strlcpy(user, pw->pw_name, sizeof(user));
	strlcpy(home, pw->pw_dir, sizeof(home));
	ctx->local_user = user;
	ctx->home = home;
	ctx->uid = getuid();
	if (gethostname(lhost, sizeof(lhost)) == -1)
		strlcpy(lhost, "localhost", sizeof(lhost));
	lhost[sizeof(lhost) - 1] = '\0';
	strlcpy(lshort, lhost, sizeof(lshort));
	if ((dot = strchr(lshort, '.')) != NULL)
		*dot = '\0';
	ctx->local_host = lshort;
	ctx->local_host_full = lhost;
	ctx->original_host = host;
	ctx->exec_cb = readconf_exec_shell;
	return 0;
}
