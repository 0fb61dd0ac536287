/*
 * servconf.c: sshd_config keywords, parsing and evaluation.
 *
 * Most keywords are described by one table row: how the value is parsed
 * and where it is stored.  The few with their own syntax (Port,
 * ListenAddress, MaxStartups, RekeyLimit, Subsystem...) are handled by
 * parse_special() in servconf-kw.c.  The row's storage kind also drives
 * the Match merge and freeing.
 */
#include "includes.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <stddef.h>
#include <strings.h>

#include "conf.h"
#include "digest.h"
#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "servconf.h"
#include "servconf-impl.h"
#include "servconf-kw.h"

#define O(f)	offsetof(struct servconf, f)

static const struct conf_choice choices_addrfam[] = {
	{ "inet", AF_INET }, { "inet6", AF_INET6 }, { "any", AF_UNSPEC },
	{ NULL, -1 }
};
static const struct conf_choice choices_rootlogin[] = {
	{ "without-password", SC_PERMIT_NO_PASSWD },
	{ "prohibit-password", SC_PERMIT_NO_PASSWD },
	{ "forced-commands-only", SC_PERMIT_FORCED_ONLY },
	{ "yes", SC_PERMIT_YES }, { "no", SC_PERMIT_NO },
	{ NULL, -1 }
};
static const struct conf_choice choices_compression[] = {
	{ "yes", SC_COMP_DELAYED }, { "delayed", SC_COMP_DELAYED },
	{ "no", SC_COMP_NO },
	{ NULL, -1 }
};
static const struct conf_choice choices_gatewayports[] = {
	{ "clientspecified", SC_GW_CLIENTSPECIFIED },
	{ "yes", SC_GW_YES }, { "no", SC_GW_NO },
	{ NULL, -1 }
};
static const struct conf_choice choices_forwarding[] = {
	{ "yes", SC_FWD_ALL }, { "all", SC_FWD_ALL },
	{ "no", SC_FWD_NONE }, { "local", SC_FWD_LOCAL },
	{ "remote", SC_FWD_REMOTE },
	{ NULL, -1 }
};
static const struct conf_choice choices_tunnel[] = {
	{ "yes", SC_TUN_YES }, { "point-to-point", SC_TUN_POINTOPOINT },
	{ "ethernet", SC_TUN_ETHERNET }, { "no", SC_TUN_NO },
	{ NULL, -1 }
};
static const struct conf_choice choices_rhosts[] = {
	{ "yes", SC_IGNORE_RHOSTS_YES }, { "no", SC_IGNORE_RHOSTS_NO },
	{ "shosts-only", SC_IGNORE_RHOSTS_SHOSTS },
	{ NULL, -1 }
};

#define G	SCF_GLOBAL
#define A	(SCF_GLOBAL | SCF_MATCH)

#define FLAG(n, fl, f)	{ n, 0, fl, P_CHOICE, S_INT, O(f), conf_choices_flag }
#define CHOICE(n, fl, f, t) { n, 0, fl, P_CHOICE, S_INT, O(f), t }
#define INT(n, fl, f)	{ n, 0, fl, P_INT, S_INT, O(f), NULL }
#define TIME(n, fl, f)	{ n, 0, fl, P_TIME, S_INT, O(f), NULL }
#define STR(n, fl, f)	{ n, 0, fl, P_STR, S_STR, O(f), NULL }
#define REST(n, fl, f)	{ n, 0, fl, P_REST, S_STR, O(f), NULL }
#define LIST(n, fl, f, v) { n, v, fl, P_LIST, S_LIST, O(f), NULL }
#define LIST1(n, fl, f, v) { n, v, fl, P_LIST1, S_LIST, O(f), NULL }
#define ALGS(n, fl, f, k) { n, k, fl, P_ALGS, S_STR, O(f), NULL }
#define SPECIAL(n, fl, op, st, f) { n, op, fl, P_SPECIAL, st, O(f), NULL }
#define DEPRECATED(n)	{ n, 0, A, P_DEPRECATED, S_NONE, 0, NULL }
#define UNSUPPORTED(n)	{ n, 0, A, P_UNSUPPORTED, S_NONE, 0, NULL }
#define IGNORE(n)	{ n, 0, A, P_IGNORE, S_NONE, 0, NULL }

const struct sc_kw servconf_keywords[] = {
	SPECIAL("port", G, OP_PORT, S_NONE, ports),
	SPECIAL("listenaddress", G, OP_LISTEN, S_NONE, listen),
	CHOICE("addressfamily", G, address_family, choices_addrfam),
	LIST("hostkey", G, host_key_files, 0),
	LIST("hostdsakey", G, host_key_files, 0),
	LIST("hostcertificate", G, host_cert_files, 0),
	STR("hostkeyagent", G, host_key_agent),
	STR("pidfile", G, pid_file),
	STR("modulifile", G, moduli_file),
	STR("xauthlocation", G, xauth_location),
	REST("versionaddendum", G, version_addendum),
	SPECIAL("loglevel", A, OP_LOGLEVEL, S_NONE, log_level),
	SPECIAL("syslogfacility", G, OP_FACILITY, S_NONE, log_facility),
	LIST1("logverbose", A, log_verbose, 0),
	TIME("logingracetime", G, login_grace_time),
	INT("maxauthtries", A, max_authtries),
	INT("maxsessions", A, max_sessions),
	SPECIAL("maxstartups", G, OP_MAXSTARTUPS, S_NONE, max_startups),
	SPECIAL("persourcemaxstartups", G, OP_PERSOURCEMAX, S_INT,
	    per_source_max_startups),
	SPECIAL("persourcenetblocksize", G, OP_PERSOURCENET, S_NONE,
	    per_source_masklen_ipv4),
	REST("persourcepenalties", G, per_source_penalties),
	REST("persourcepenaltyexemptlist", G, per_source_penalty_exempt),
	TIME("clientaliveinterval", A, client_alive_interval),
	INT("clientalivecountmax", A, client_alive_count_max),
	FLAG("tcpkeepalive", G, tcp_keep_alive),
	FLAG("keepalive", G, tcp_keep_alive),
	FLAG("usedns", G, use_dns),
	SPECIAL("unusedconnectiontimeout", A, OP_UNUSEDTIMEOUT, S_INT,
	    unused_connection_timeout),
	LIST1("channeltimeout", A, channel_timeouts, OP_CHANNELTIMEOUT),
	SPECIAL("ipqos", A, OP_IPQOS, S_INT, ip_qos_interactive),
	ALGS("ciphers", G, ciphers, CONF_ALG_CIPHER),
	ALGS("macs", G, macs, CONF_ALG_MAC),
	ALGS("kexalgorithms", G, kex_algorithms, CONF_ALG_KEX),
	ALGS("hostkeyalgorithms", G, hostkey_algorithms, CONF_ALG_HOSTKEY),
	ALGS("pubkeyacceptedalgorithms", A, pubkey_accepted_algorithms,
	    CONF_ALG_PUBKEY),
	ALGS("pubkeyacceptedkeytypes", A, pubkey_accepted_algorithms,
	    CONF_ALG_PUBKEY),
	ALGS("hostbasedacceptedalgorithms", A, hostbased_accepted_algorithms,
	    CONF_ALG_HOSTKEY),
	ALGS("hostbasedacceptedkeytypes", A, hostbased_accepted_algorithms,
	    CONF_ALG_HOSTKEY),
	ALGS("casignaturealgorithms", G, ca_sign_algorithms, CONF_ALG_CASIG),
	CHOICE("compression", G, compression, choices_compression),
	SPECIAL("rekeylimit", A, OP_REKEY, S_NONE, rekey_limit),
	INT("requiredrsasize", A, required_rsa_size),
	SPECIAL("fingerprinthash", G, OP_FPHASH, S_INT, fingerprint_hash),
	CHOICE("permitrootlogin", A, permit_root_login, choices_rootlogin),
	FLAG("pubkeyauthentication", A, pubkey_authentication),
	FLAG("dsaauthentication", G, pubkey_authentication),
	SPECIAL("pubkeyauthoptions", A, OP_PUBKEYOPTS, S_INT,
	    pubkey_auth_options),
	FLAG("passwordauthentication", A, password_authentication),
	FLAG("kbdinteractiveauthentication", A,
	    kbd_interactive_authentication),
	FLAG("challengeresponseauthentication", G,
	    kbd_interactive_authentication),
	FLAG("skeyauthentication", G, kbd_interactive_authentication),
	FLAG("permitemptypasswords", A, permit_empty_passwords),
	FLAG("hostbasedauthentication", A, hostbased_authentication),
	FLAG("hostbasedusesnamefrompacketonly", A,
	    hostbased_uses_name_from_packet_only),
	CHOICE("ignorerhosts", A, ignore_rhosts, choices_rhosts),
	FLAG("ignoreuserknownhosts", G, ignore_user_known_hosts),
	FLAG("kerberosauthentication", A, kerberos_authentication),
	FLAG("kerberosorlocalpasswd", G, kerberos_or_local_passwd),
	FLAG("kerberosticketcleanup", G, kerberos_ticket_cleanup),
	FLAG("gssapiauthentication", A, gss_authentication),
	FLAG("gssapicleanupcredentials", G, gss_cleanup_creds),
	FLAG("gssapikeyexchange", G, gss_keyex),
	FLAG("gssapistrictacceptorcheck", G, gss_strict_acceptor),
	FLAG("gssapistorecredentialsonrekey", G, gss_store_rekey),
	STR("gssapikexalgorithms", G, gss_kex_algorithms),
	FLAG("usepam", G, use_pam),
	FLAG("strictmodes", G, strict_modes),
	LIST1("authorizedkeysfile", A, authorized_keys_files, 0),
	REST("authorizedkeyscommand", A, authorized_keys_command),
	STR("authorizedkeyscommanduser", A, authorized_keys_command_user),
	STR("authorizedprincipalsfile", A, authorized_principals_file),
	REST("authorizedprincipalscommand", A,
	    authorized_principals_command),
	STR("authorizedprincipalscommanduser", A,
	    authorized_principals_command_user),
	STR("trustedusercakeys", A, trusted_user_ca_keys),
	STR("revokedkeys", A, revoked_keys_file),
	STR("securitykeyprovider", G, security_key_provider),
	LIST1("authenticationmethods", A, auth_methods, OP_AUTHMETHODS),
	LIST("allowusers", A, allow_users, OP_USERPATTERN),
	LIST("denyusers", A, deny_users, OP_USERPATTERN),
	LIST("allowgroups", A, allow_groups, 0),
	LIST("denygroups", A, deny_groups, 0),
	FLAG("exposeauthinfo", A, expose_auth_info),
	FLAG("printmotd", G, print_motd),
	FLAG("printlastlog", G, print_lastlog),
	FLAG("debianbanner", G, debian_banner),
	STR("banner", A, banner),
	REST("forcecommand", A, force_command),
	STR("chrootdirectory", A, chroot_directory),
	FLAG("permittty", A, permit_tty),
	FLAG("permituserrc", A, permit_user_rc),
	SPECIAL("permituserenvironment", G, OP_PERMITUSERENV, S_INT,
	    permit_user_env),
	LIST("acceptenv", A, accept_env, OP_ACCEPTENV),
	LIST1("setenv", A, set_env, OP_SETENV),
	SPECIAL("subsystem", G, OP_SUBSYSTEM, S_NONE, subsystem_name),
	CHOICE("allowtcpforwarding", A, allow_tcp_forwarding,
	    choices_forwarding),
	CHOICE("allowstreamlocalforwarding", A, allow_streamlocal_forwarding,
	    choices_forwarding),
	FLAG("allowagentforwarding", A, allow_agent_forwarding),
	FLAG("disableforwarding", A, disable_forwarding),
	CHOICE("gatewayports", A, gateway_ports, choices_gatewayports),
	CHOICE("permittunnel", A, permit_tun, choices_tunnel),
	FLAG("x11forwarding", A, x11_forwarding),
	INT("x11displayoffset", A, x11_display_offset),
	FLAG("x11uselocalhost", A, x11_use_localhost),
	SPECIAL("streamlocalbindmask", A, OP_BINDMASK, S_INT,
	    streamlocal_bind_mask),
	FLAG("streamlocalbindunlink", A, streamlocal_bind_unlink),
	LIST1("permitopen", A, permit_open, OP_PERMITOPEN),
	LIST1("permitlisten", A, permit_listen, OP_PERMITLISTEN),
	SPECIAL("include", A, OP_INCLUDE, S_NONE, ports),
	SPECIAL("match", A, OP_MATCH, S_NONE, ports),
	/* Gone from OpenSSH: logged and ignored as it does. */
	DEPRECATED("useprivilegeseparation"),
	DEPRECATED("rsaauthentication"),
	DEPRECATED("rhostsrsaauthentication"),
	DEPRECATED("rhostsauthentication"),
	DEPRECATED("keyregenerationinterval"),
	DEPRECATED("serverkeybits"),
	DEPRECATED("uselogin"),
	DEPRECATED("pamauthenticationviakbdint"),
	DEPRECATED("verifyreversemapping"),
	DEPRECATED("reversemappingcheck"),
	DEPRECATED("authorizedkeysfile2"),
	DEPRECATED("permitblacklistedkeys"),
	UNSUPPORTED("kerberostgtpassing"),
	UNSUPPORTED("afstokenpassing"),
	UNSUPPORTED("kerberosgetafstoken"),
	IGNORE("protocol"),
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct sc_kw *
servconf_keyword(const char *name)
{
	const struct sc_kw *kw;

	for (kw = servconf_keywords; kw->name != NULL; kw++) {
		if (strcasecmp(kw->name, name) == 0)
			return kw;
	}
	return NULL;
}

/* ------------------------------------------------------------ life */

static struct servconf *
servconf_new(void)
{
	const struct sc_kw *kw;
	struct servconf *o;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	for (kw = servconf_keywords; kw->name != NULL; kw++) {
		if (kw->store == S_INT)
			*(int *)((char *)o + kw->off) = -1;
	}
	o->log_level = LOG_LEVEL_NOT_SET;
	o->log_facility = LOG_FACILITY_NOT_SET;
	o->max_startups_begin = o->max_startups_rate = -1;
	o->max_startups = -1;
	o->per_source_masklen_ipv4 = o->per_source_masklen_ipv6 = -1;
	o->ip_qos_bulk = -1;
	o->rekey_limit = -1;
	o->rekey_interval = -1;
	return o;
}

void
servconf_free(struct servconf *o)
{
	const struct sc_kw *kw;
	char **sp;
	u_int i;

	if (o == NULL)
		return;
	for (kw = servconf_keywords; kw->name != NULL; kw++) {
		if (kw->store == S_STR) {
			sp = (char **)((char *)o + kw->off);
			free(*sp);
			*sp = NULL;
		} else if (kw->store == S_LIST)
			conf_strlist_free((struct conf_strlist *)
			    ((char *)o + kw->off));
	}
	for (i = 0; i < o->num_listen; i++) {
		free(o->listen[i].host);
		free(o->listen[i].rdomain);
	}
	free(o->listen);
	conf_strlist_free(&o->subsystem_name);
	conf_strlist_free(&o->subsystem_command);
	free(o->permit_user_env_allowlist);
	free(o);
}

/* ------------------------------------------------------------ lines */

/* Log "<file> line <n>: <message>" at error level. */
void
sc_error(const struct sc_state *st, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	error("%s line %u: %s", st->file, st->line, msg);
}

static int
set_int(const struct sc_state *st, int *field, int val)
{
	if (st->active && *field == -1)
		*field = val;
	return 0;
}

static int
set_str(const struct sc_state *st, char **field, const char *val)
{
	if (!st->active || *field != NULL)
		return 0;
	return (*field = strdup(val)) == NULL ? ERR_ALLOC_FAIL : 0;
}

static int
parse_choice(struct sc_state *st, const struct sc_kw *kw,
    const struct conf_line *cl, int *field)
{
	int v;

	if (conf_choice_value(kw->choices, cl->argv[0], &v) != 0) {
		sc_error(st, "unsupported option \"%s\".", cl->argv[0]);
		return ERR_CONFIG_INVALID;
	}
	return set_int(st, field, v);
}

int
sc_parse_int(struct sc_state *st, const char *kwname, const char *arg,
    int *valp)
{
	long long v;
	int r;

	if ((r = conf_parse_int(arg, LLONG_MIN, LLONG_MAX, &v)) != 0 ||
	    v < 0 || v > INT_MAX) {
		sc_error(st, "%s integer value %s.", kwname,
		    r == ERR_INVALID_FORMAT ? "invalid" :
		    (r == 0 && v < 0) ? "too small" : "too large");
		return ERR_CONFIG_INVALID;
	}
	*valp = (int)v;
	return 0;
}

int
sc_parse_time(struct sc_state *st, const char *arg, int *valp)
{
	long secs;

	if (convtime(arg, &secs) != 0) {
		sc_error(st, "invalid time value.");
		return ERR_CONFIG_INVALID;
	}
	*valp = (int)secs;
	return 0;
}

/* Lists: every argument is checked, even when the block is inactive. */
static int
parse_list(struct sc_state *st, const struct sc_kw *kw,
    const struct conf_line *cl, struct conf_strlist *l)
{
	int i, r, store;

	store = st->active && (kw->parse == P_LIST || l->n == 0);
	if ((r = sc_check_list_line(st, kw, cl)) != 0)
		return r;
	for (i = 0; i < cl->argc; i++) {
		if (kw->op != 0 &&
		    (r = sc_check_list_arg(st, kw, cl->argv[i])) != 0)
			return r;
		/* SetEnv: the first value of a name wins. */
		if (kw->op == OP_SETENV && sc_setenv_has(l, cl->argv[i]))
			continue;
		if (store && (r = conf_strlist_add(l, cl->argv[i])) != 0)
			return r;
	}
	return 0;
}

static int
parse_algs(struct sc_state *st, const struct sc_kw *kw,
    const struct conf_line *cl, char **field)
{
	static const char *const what[] = {
		"Bad SSH2 KexAlgorithms '%s'.", "Bad SSH2 cipher spec '%s'.",
		"Bad SSH2 mac spec '%s'.", "Bad key types '%s'.",
		"Bad key types '%s'.", "Bad key types '%s'."
	};
	char *list = NULL;
	int r;

	if ((r = conf_alg_resolve((enum conf_alg_kind)kw->op, cl->argv[0],
	    &list)) != 0) {
		if (r == ERR_ALLOC_FAIL)
			return r;
		sc_error(st, what[kw->op], cl->argv[0]);
		return ERR_CONFIG_INVALID;
	}
	free(list);
	return set_str(st, field, cl->argv[0]);
}

/* Keywords whose value is exactly one word. */
static int
one_arg(const struct sc_kw *kw)
{
	switch (kw->parse) {
	case P_CHOICE:
	case P_INT:
	case P_TIME:
	case P_STR:
	case P_ALGS:
		return 1;
	case P_SPECIAL:
		return sc_special_one_arg(kw->op);
	}
	return 0;
}

static int
dispatch(struct servconf *o, struct sc_state *st, const struct sc_kw *kw,
    const struct conf_line *cl)
{
	void *field = (char *)o + kw->off;
	int v, r;

	switch (kw->parse) {
	case P_CHOICE:
		return parse_choice(st, kw, cl, field);
	case P_INT:
		if ((r = sc_parse_int(st, cl->keyword, cl->argv[0], &v)) != 0)
			return r;
		return set_int(st, field, v);
	case P_TIME:
		if ((r = sc_parse_time(st, cl->argv[0], &v)) != 0)
			return r;
		return set_int(st, field, v);
	case P_STR:
		return set_str(st, field, cl->argv[0]);
	case P_REST:
		return set_str(st, field, cl->rest);
	case P_LIST:
	case P_LIST1:
		return parse_list(st, kw, cl, field);
	case P_ALGS:
		return parse_algs(st, kw, cl, field);
	case P_SPECIAL:
		return sc_parse_special(o, st, kw, cl);
	case P_DEPRECATED:
	case P_UNSUPPORTED:
	case P_IGNORE:
		/* Said once, in the global pass. */
		if (st->conn != NULL)
			return 0;
		if (kw->parse == P_IGNORE)
			debug2("%s line %u: Deprecated option %s", st->file,
			    st->line, cl->keyword);
		else
			logit("%s line %u: %s option %s", st->file, st->line,
			    kw->parse == P_DEPRECATED ? "Deprecated" :
			    "Unsupported", cl->keyword);
		return 0;
	}
	return ERR_INTERNAL;
}

/*
 * One line.  0: fine (or nothing to do); SC_COUNTED: a problem OpenSSH
 * counts and reports at the end; a negative code: stop here.
 */
static int
process_line(struct servconf *o, struct sc_state *st, const char *text)
{
	const struct sc_kw *kw;
	struct conf_line cl;
	int r;

	if ((r = conf_line_split(text, &cl)) != 0) {
		if (r == ERR_ALLOC_FAIL)
			return r;
		sc_error(st, "invalid quotes");
		return SC_COUNTED;
	}
	if (cl.keyword == NULL) {
		r = 0;
		goto out;
	}
	if ((kw = servconf_keyword(cl.keyword)) == NULL) {
		error("%s: line %u: Bad configuration option: %s", st->file,
		    st->line, cl.keyword);
		r = SC_COUNTED;
		goto out;
	}
	if (cl.argc == 0 && kw->parse != P_DEPRECATED &&
	    kw->parse != P_UNSUPPORTED && kw->parse != P_IGNORE) {
		sc_error(st, "no argument after keyword \"%s\"", cl.keyword);
		r = SC_COUNTED;
		goto out;
	}
	if (st->in_match && (kw->flags & SCF_MATCH) == 0) {
		sc_error(st, "Directive '%s' is not allowed within a Match "
		    "block", cl.keyword);
		r = ERR_CONFIG_INVALID;
		goto out;
	}
	if (one_arg(kw) && cl.argc > 1) {
		sc_error(st, "keyword %s extra arguments at end of line",
		    cl.keyword);
		r = SC_COUNTED;
		goto out;
	}
	r = dispatch(o, st, kw, &cl);
 out:
	conf_line_free(&cl);
	return r;
}

/* ------------------------------------------------------------ passes */

/* The Match state an Include line was in, restored when its file ends. */
struct sc_saved {
	int	 active, in_match, nevermatch;
};

static int
run_entries(struct servconf *o, struct sc_state *st,
    const struct servconf_text *t, const struct st_entry *ents, u_int n)
{
	struct sc_saved stack[CONF_INCLUDE_DEPTH_MAX + 1];
	u_int i, depth = 0;
	int r;

	for (i = 0; i < n; i++) {
		if (ents[i].kind == ST_INC_BEGIN) {
			if (depth > CONF_INCLUDE_DEPTH_MAX)
				return ERR_INTERNAL;
			stack[depth].active = st->active;
			stack[depth].in_match = st->in_match;
			stack[depth].nevermatch = st->nevermatch;
			depth++;
			/* A file included by an unmatched block never
			 * applies, whatever Match lines it holds. */
			if (st->in_match && !st->active)
				st->nevermatch = 1;
			continue;
		}
		if (ents[i].kind == ST_INC_END) {
			if (depth == 0)
				return ERR_INTERNAL;
			depth--;
			st->active = stack[depth].active;
			st->in_match = stack[depth].in_match;
			st->nevermatch = stack[depth].nevermatch;
			continue;
		}
		st->file = t->files.v[ents[i].file];
		st->line = ents[i].line;
		if ((r = process_line(o, st, ents[i].text)) == SC_COUNTED)
			st->nbad++;
		else if (r != 0)
			return r;
	}
	return 0;
}

/*
 * One pass over the -o options and the file.  conn NULL: the global
 * pass (lines outside Match apply; Match blocks are only checked);
 * otherwise only the Match blocks that match conn apply.
 */
static int
parse_pass(struct servconf *o, const struct servconf_text *t,
    const struct servconf_conn *conn, int with_opts)
{
	struct sc_state st;
	int r;

	memset(&st, 0, sizeof(st));
	st.conn = conn;
	st.active = conn == NULL;
	st.is_option = 1;
	st.cmdline_ports = t->cmdline_ports;
	if (with_opts && (r = run_entries(o, &st, t, t->opts, t->nopts)) != 0)
		return r;
	if (st.nbad == 0) {
		st.active = conn == NULL;
		st.in_match = 0;
		st.is_option = 0;
		if ((r = run_entries(o, &st, t, t->ents, t->nents)) != 0)
			return r;
	}
	if (st.nbad > 0) {
		error("%s: terminating, %d bad configuration options",
		    st.file == NULL ? SERVCONF_CMDLINE : st.file, st.nbad);
		return ERR_CONFIG_INVALID;
	}
	return 0;
}

/* The Match line itself (called from sc_parse_special). */
int
sc_match(struct sc_state *st, const struct conf_line *cl)
{
	int r;

	if (st->is_option) {
		sc_error(st, "Match directive not supported as a command-line "
		    "option");
		return ERR_CONFIG_INVALID;
	}
	r = servconf_match_line(cl->argc, cl->argv, st->conn, st->file,
	    st->line);
	if (r < 0)
		return r;
	if (strcasecmp(cl->argv[0], "all") == 0) {
		/*
		 * As in OpenSSH, "Match all" applies in every pass and
		 * ends the Match section: global keywords work again.
		 */
		st->in_match = 0;
		st->active = !st->nevermatch;
		return 0;
	}
	st->in_match = 1;
	st->active = st->conn != NULL && !st->nevermatch && r == 1;
	return 0;
}

/* ------------------------------------------------------------ merge */

/* Settings made by the Match blocks (src) replace those of dst. */
static void
merge_match(struct servconf *dst, struct servconf *src)
{
	const struct sc_kw *kw;
	char **ds, **ss;
	int *di, *si;

	for (kw = servconf_keywords; kw->name != NULL; kw++) {
		if ((kw->flags & SCF_MATCH) == 0)
			continue;
		if (kw->store == S_INT) {
			di = (int *)((char *)dst + kw->off);
			si = (int *)((char *)src + kw->off);
			if (*si != -1)
				*di = *si;
		} else if (kw->store == S_STR) {
			ds = (char **)((char *)dst + kw->off);
			ss = (char **)((char *)src + kw->off);
			if (*ss != NULL) {
				free(*ds);
				*ds = *ss;
				*ss = NULL;
			}
		} else if (kw->store == S_LIST) {
			if (((struct conf_strlist *)((char *)src +
			    kw->off))->n > 0)
				conf_strlist_move((struct conf_strlist *)
				    ((char *)dst + kw->off),
				    (struct conf_strlist *)((char *)src +
				    kw->off));
		}
	}
	/* The keywords stored in more than one field. */
	if (src->log_level != LOG_LEVEL_NOT_SET)
		dst->log_level = src->log_level;
	if (src->ip_qos_bulk != -1)
		dst->ip_qos_bulk = src->ip_qos_bulk;
	if (src->rekey_limit != -1)
		dst->rekey_limit = src->rekey_limit;
	if (src->rekey_interval != -1)
		dst->rekey_interval = src->rekey_interval;
}

int
servconf_evaluate(const struct servconf_text *t,
    const struct servconf_conn *conn, struct servconf **optsp)
{
	struct servconf *o = NULL, *m = NULL;
	int r = ERR_INTERNAL;

	if (optsp == NULL)
		return ERR_INVALID_ARGUMENT;
	*optsp = NULL;
	if (t == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((o = servconf_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = parse_pass(o, t, NULL, 1)) != 0)
		goto out;
	if (conn != NULL) {
		if ((m = servconf_new()) == NULL) {
			r = ERR_ALLOC_FAIL;
			goto out;
		}
		if ((r = parse_pass(m, t, conn, 0)) != 0)
			goto out;
		merge_match(o, m);
	}
	if ((r = sc_fill_defaults(o)) != 0)
		goto out;
	*optsp = o;
	o = NULL;
	r = 0;
 out:
	servconf_free(o);
	servconf_free(m);
	return r;
}

/* ------------------------------------------------------------ helpers */

int
servconf_expand_user_path(const char *pattern, const char *user,
    const char *home, uid_t uid, int relative_to_home, char **retp)
{
	char uidstr[32], *exp = NULL, *ret;
	struct percent_map map[4];
	int r;

	if (retp == NULL)
		return ERR_INVALID_ARGUMENT;
	*retp = NULL;
	if (pattern == NULL || user == NULL || home == NULL)
		return ERR_INVALID_ARGUMENT;
	snprintf(uidstr, sizeof(uidstr), "%llu", (unsigned long long)uid);
	map[0].key = 'h';
	map[0].value = home;
	map[1].key = 'u';
	map[1].value = user;
	map[2].key = 'U';
	map[2].value = uidstr;
	map[3].key = '\0';
	map[3].value = NULL;
	if ((r = percent_expand(pattern, map, &exp)) != 0)
		return r;
	if (!relative_to_home || *exp == '/') {
		*retp = exp;
		return 0;
	}
	ret = path_append(home, exp);
	free(exp);
	if (ret == NULL)
		return ERR_ALLOC_FAIL;
	*retp = ret;
	return 0;
}

const char *
servconf_subsystem(const struct servconf *o, const char *name)
{
	u_int i;

	for (i = 0; i < o->subsystem_name.n; i++) {
		if (strcmp(o->subsystem_name.v[i], name) == 0)
			return o->subsystem_command.v[i];
	}
	return NULL;
}
