/*
 * readconf-dump.c: what ssh does to its options after the last config
 * file (defaults, expansions), `ssh -G` output, and %-expansion.
 */
#include "includes.h"

#include <sys/socket.h>
#include <strings.h>

#include "conf.h"
#include "digest.h"
#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "readconf.h"
#include "readconf-impl.h"

/* ------------------------------------------------------------ expand */

/* %C: SHA-1 of local host, remote host, port and remote user, in hex. */
static int
conn_hash(const char *l, const char *h, const char *p, const char *r,
    char *out, size_t outlen)
{
	u_char d[DIGEST_MAX_LENGTH];
	char *s = NULL;
	size_t i, n = digest_bytes(DIGEST_SHA1);
	int ret;

	if (outlen < n * 2 + 1)
		return ERR_INVALID_ARGUMENT;
	if (asprintf(&s, "%s%s%s%s", l, h, p, r) == -1)
		return ERR_ALLOC_FAIL;
	ret = digest_memory(DIGEST_SHA1, s, strlen(s), d, sizeof(d));
	free(s);
	if (ret != 0)
		return ret;
	for (i = 0; i < n; i++)
		snprintf(out + i * 2, outlen - i * 2, "%02x", d[i]);
	explicit_bzero(d, sizeof(d));
	return 0;
}

/* "~" and "~/x" use ctx->home; "~user/x" asks the password database. */
static int
expand_tilde(const char *s, const struct readconf_ctx *ctx, char **retp)
{
	if (*s != '~')
		return (*retp = strdup(s)) == NULL ? ERR_ALLOC_FAIL : 0;
	if ((s[1] == '\0' || s[1] == '/') && ctx->home != NULL) {
		if (asprintf(retp, "%s%s", ctx->home, s + 1) == -1) {
			*retp = NULL;
			return ERR_ALLOC_FAIL;
		}
		return 0;
	}
	return tilde_expand(s, ctx->uid, retp);
}

int
readconf_expand(const struct readconf *o, const struct readconf_ctx *ctx,
    const char *s, int tilde, char **retp)
{
	char port[16], uid[32], hash[2 * 20 + 1], *t = NULL;
	const char *host, *user, *lhost, *lfull;
	struct percent_map map[13];
	int r, i = 0;

	if (retp == NULL)
		return ERR_INVALID_ARGUMENT;
	*retp = NULL;
	if (o == NULL || ctx == NULL || s == NULL)
		return ERR_INVALID_ARGUMENT;
	host = o->hostname != NULL ? o->hostname :
	    o->host_arg != NULL ? o->host_arg : "";
	user = o->user != NULL ? o->user :
	    ctx->local_user != NULL ? ctx->local_user : "";
	lfull = ctx->local_host_full != NULL ? ctx->local_host_full : "";
	lhost = ctx->local_host != NULL ? ctx->local_host : lfull;
	snprintf(port, sizeof(port), "%d", o->port > 0 ? o->port :
	    READCONF_DEFAULT_PORT);
	snprintf(uid, sizeof(uid), "%llu", (unsigned long long)ctx->uid);
	if ((r = conn_hash(lfull, host, port, user, hash,
	    sizeof(hash))) != 0)
		return r;
#define ADD(k, v) do { map[i].key = k; map[i].value = v; i++; } while (0)
	ADD('C', hash);
	ADD('d', ctx->home);
	ADD('h', host);
	ADD('i', uid);
	ADD('k', o->host_key_alias != NULL ? o->host_key_alias : host);
	ADD('L', lhost);
	ADD('l', lfull);
	ADD('n', ctx->original_host != NULL ? ctx->original_host :
	    o->host_arg);
	ADD('p', port);
	ADD('r', user);
	ADD('u', ctx->local_user);
	ADD('\0', NULL);
#undef ADD
	if (tilde) {
		if ((r = expand_tilde(s, ctx, &t)) != 0)
			return r;
		s = t;
	}
	r = percent_expand(s, map, retp);
	free(t);
	return r;
}

/* ------------------------------------------------------------ finish */

#define DEF(f, v)	do { if ((f) == -1) (f) = (v); } while (0)

static void
fill_ints(struct readconf *o)
{
	DEF(o->address_family, AF_UNSPEC);
	DEF(o->connection_attempts, 1);
	DEF(o->tcp_keep_alive, 1);
	/* BatchMode: notice a dead server instead of hanging forever. */
	if (o->batch_mode == 1 && o->server_alive_interval == -1)
		o->server_alive_interval = 300;
	DEF(o->server_alive_interval, 0);
	DEF(o->server_alive_count_max, 3);
	DEF(o->ip_qos_interactive, 0x48);	/* af21 */
	DEF(o->ip_qos_bulk, 0x20);		/* cs1 */
	DEF(o->canonicalize_hostname, RC_CANON_NO);
	DEF(o->canonicalize_max_dots, 1);
	DEF(o->canonicalize_fallback_local, 1);
	DEF(o->strict_host_key_checking, RC_SHK_ASK);
	DEF(o->hash_known_hosts, 0);
	DEF(o->check_host_ip, 0);
	DEF(o->verify_host_key_dns, RC_NO);
	DEF(o->visual_host_key, 0);
	DEF(o->no_host_authentication_for_localhost, 0);
	DEF(o->fingerprint_hash, DIGEST_SHA256);
	DEF(o->compression, 0);
	DEF(o->rekey_limit, 0);
	DEF(o->rekey_interval, 0);
	DEF(o->required_rsa_size, 1024);
	DEF(o->batch_mode, 0);
	DEF(o->password_authentication, 1);
	DEF(o->kbd_interactive_authentication, 1);
	DEF(o->pubkey_authentication, RC_PUBKEY_ALL);
	DEF(o->hostbased_authentication, 0);
	DEF(o->gss_authentication, 0);
	DEF(o->gss_deleg_creds, 0);
	DEF(o->gss_keyex, 0);
	DEF(o->gss_trust_dns, 0);
	DEF(o->gss_renewal_rekey, 0);
	DEF(o->number_of_password_prompts, 3);
	DEF(o->identities_only, 0);
	DEF(o->add_keys_to_agent, RC_NO);
	DEF(o->add_keys_to_agent_lifespan, 0);
	DEF(o->enable_ssh_keysign, 0);
}

static void
fill_ints2(struct readconf *o)
{
	DEF(o->request_tty, RC_TTY_AUTO);
	DEF(o->session_type, RC_SESSION_DEFAULT);
	DEF(o->stdin_null, 0);
	DEF(o->fork_after_authentication, 0);
	DEF(o->permit_local_command, 0);
	DEF(o->escape_char, '~');
	DEF(o->enable_escape_commandline, 0);
	if (o->log_level == LOG_LEVEL_NOT_SET)
		o->log_level = LOG_LEVEL_INFO;
	if (o->log_facility == LOG_FACILITY_NOT_SET)
		o->log_facility = LOG_FACILITY_USER;
	DEF(o->forward_agent, 0);
	DEF(o->forward_x11, 0);
	DEF(o->forward_x11_trusted, 1);
	DEF(o->forward_x11_timeout, 1200);
	DEF(o->gateway_ports, 0);
	DEF(o->exit_on_forward_failure, 0);
	DEF(o->clear_forwardings, 0);
	DEF(o->tun_open, RC_TUN_NO);
	DEF(o->tun_local, RC_TUNID_ANY);
	DEF(o->tun_remote, RC_TUNID_ANY);
	DEF(o->streamlocal_bind_mask, 0177);
	DEF(o->streamlocal_bind_unlink, 0);
	DEF(o->control_master, RC_CM_NO);
	DEF(o->control_persist, 0);
	DEF(o->control_persist_timeout, 0);
	DEF(o->proxy_use_fdpass, 0);
	DEF(o->port, READCONF_DEFAULT_PORT);
}

static void
none_to_null(char **f)
{
	if (*f != NULL && strcasecmp(*f, "none") == 0) {
		free(*f);
		*f = NULL;
	}
}

static int
def_str(char **f, const char *v)
{
	if (*f == NULL && (*f = strdup(v)) == NULL)
		return ERR_ALLOC_FAIL;
	return 0;
}

static int
add_defaults(struct conf_strlist *l, const char *const *v)
{
	int r;

	if (l->n != 0)
		return 0;
	for (; *v != NULL; v++) {
		if ((r = conf_strlist_add(l, *v)) != 0)
			return r;
	}
	return 0;
}

/* Expand every entry in place (~ and %). */
static int
expand_list(const struct readconf *o, const struct readconf_ctx *ctx,
    struct conf_strlist *l)
{
	char *e;
	u_int i;
	int r;

	for (i = 0; i < l->n; i++) {
		if ((r = readconf_expand(o, ctx, l->v[i], 1, &e)) != 0)
			return r;
		free(l->v[i]);
		l->v[i] = e;
	}
	return 0;
}

static int
fill_strings(struct readconf *o, const struct readconf_ctx *ctx)
{
	static const char *const ids[] = {
		"~/.ssh/id_rsa", "~/.ssh/id_ecdsa", "~/.ssh/id_ed25519", NULL
	};
	static const char *const ukh[] = {
		"~/.ssh/known_hosts", "~/.ssh/known_hosts2", NULL
	};
	static const char *const gkh[] = {
		SSHDIR "/ssh_known_hosts", SSHDIR "/ssh_known_hosts2", NULL
	};
	int r;

	if ((r = def_str(&o->user, ctx->local_user != NULL ?
	    ctx->local_user : "")) != 0 ||
	    (r = def_str(&o->hostname, o->host_arg != NULL ?
	    o->host_arg : "")) != 0 ||
	    (r = def_str(&o->xauth_location, "/usr/bin/xauth")) != 0 ||
	    (r = def_str(&o->sk_provider, "internal")) != 0 ||
	    (r = def_str(&o->gss_kex_algorithms,
	    "gss-group14-sha256-,gss-group16-sha512-,gss-nistp256-sha256-,"
	    "gss-curve25519-sha256-,gss-group14-sha1-,gss-gex-sha1-")) != 0)
		return r;
	/* HostName may use %h for the host as given (and %%). */
	if (strchr(o->hostname, '%') != NULL) {
		struct percent_map map[2] = {
			{ 'h', o->host_arg != NULL ? o->host_arg : "" },
			{ '\0', NULL }
		};
		char *e = NULL;

		if ((r = percent_expand(o->hostname, map, &e)) != 0)
			return r;
		free(o->hostname);
		o->hostname = e;
	}
	lowercase(o->hostname);
	if ((r = add_defaults(&o->identity_files, ids)) != 0 ||
	    (r = add_defaults(&o->user_known_hosts_files, ukh)) != 0 ||
	    (r = add_defaults(&o->global_known_hosts_files, gkh)) != 0 ||
	    (r = expand_list(o, ctx, &o->user_known_hosts_files)) != 0)
		return r;
	none_to_null(&o->proxy_command);
	none_to_null(&o->jump_spec);
	none_to_null(&o->control_path);
	if (o->control_path != NULL) {
		char *e = NULL;

		if ((r = readconf_expand(o, ctx, o->control_path, 1,
		    &e)) != 0)
			return r;
		free(o->control_path);
		o->control_path = e;
	}
	return 0;
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

static int
fill_algs(struct readconf *o)
{
	int r;

	if ((r = resolve_alg(&o->kex_algorithms, CONF_ALG_KEX)) != 0 ||
	    (r = resolve_alg(&o->ciphers, CONF_ALG_CIPHER)) != 0 ||
	    (r = resolve_alg(&o->macs, CONF_ALG_MAC)) != 0 ||
	    (r = resolve_alg(&o->hostkey_algorithms, CONF_ALG_HOSTKEY)) != 0 ||
	    (r = resolve_alg(&o->pubkey_accepted_algorithms,
	    CONF_ALG_PUBKEY)) != 0 ||
	    (r = resolve_alg(&o->hostbased_accepted_algorithms,
	    CONF_ALG_HOSTKEY)) != 0 ||
	    (r = resolve_alg(&o->ca_sign_algorithms, CONF_ALG_CASIG)) != 0) {
		if (r != ERR_ALLOC_FAIL) {
			error("invalid algorithm list: %s", errcode_str(r));
			r = ERR_CONFIG_INVALID;
		}
		return r;
	}
	return 0;
}

/* ssh's UpdateHostKeys rules. */
static void
fill_update_hostkeys(struct readconf *o, int have_command)
{
	int interactive;

	/* Only with the default known_hosts file. */
	if (o->update_hostkeys == -1)
		o->update_hostkeys = (o->verify_host_key_dns <= 0 &&
		    (o->user_known_hosts_files.n == 0 ||
		    (o->user_known_hosts_files.n == 1 &&
		    strcmp(o->user_known_hosts_files.v[0],
		    "~/.ssh/known_hosts") == 0))) ? RC_YES : RC_NO;
	/* Asking needs an interactive session, as ssh sees it. */
	interactive = !have_command && o->remote_command == NULL &&
	    o->request_tty != RC_TTY_NO;
	if (o->update_hostkeys == RC_ASK && !interactive)
		o->update_hostkeys = RC_NO;
}

int
readconf_finish(struct readconf *o, const struct readconf_ctx *ctx,
    int have_command)
{
	int r;

	if (o == NULL || ctx == NULL)
		return ERR_INVALID_ARGUMENT;
	fill_ints(o);
	fill_ints2(o);
	fill_update_hostkeys(o, have_command);
	if ((r = fill_strings(o, ctx)) != 0) {
		if (r != ERR_ALLOC_FAIL) {
			error("bad path or %%-escape in configuration: %s",
			    errcode_str(r));
			r = ERR_CONFIG_INVALID;
		}
		return r;
	}
	return fill_algs(o);
}

/* ------------------------------------------------------------ dump */

static const char *
tf(int v)
{
	return v ? "yes" : "no";
}

static void
dump_choice(FILE *fp, const char *kw, int v)
{
	fprintf(fp, "%s %s\n", kw,
	    conf_choice_name(readconf_keyword(kw)->choices, v));
}

static void
dump_flags1(FILE *fp, const struct readconf *o)
{
	dump_choice(fp, "addressfamily", o->address_family);
	fprintf(fp, "batchmode %s\n", tf(o->batch_mode));
	fprintf(fp, "canonicalizefallbacklocal %s\n",
	    tf(o->canonicalize_fallback_local));
	fprintf(fp, "canonicalizehostname %s\n", conf_choice_name(
	    readconf_keyword("canonicalizehostname")->choices,
	    o->canonicalize_hostname));
	fprintf(fp, "checkhostip %s\n", tf(o->check_host_ip));
	fprintf(fp, "compression %s\n", tf(o->compression));
	fprintf(fp, "controlmaster %s\n", conf_choice_name(
	    readconf_keyword("controlmaster")->choices, o->control_master));
	fprintf(fp, "enablesshkeysign %s\n", tf(o->enable_ssh_keysign));
	fprintf(fp, "clearallforwardings %s\n", tf(o->clear_forwardings));
	fprintf(fp, "exitonforwardfailure %s\n",
	    tf(o->exit_on_forward_failure));
	fprintf(fp, "fingerprinthash %s\n",
	    digest_alg_name(o->fingerprint_hash));
	fprintf(fp, "forwardx11 %s\n", tf(o->forward_x11));
	fprintf(fp, "forwardx11trusted %s\n", tf(o->forward_x11_trusted));
	fprintf(fp, "gatewayports %s\n", tf(o->gateway_ports));
	fprintf(fp, "gssapiauthentication %s\n", tf(o->gss_authentication));
	fprintf(fp, "gssapikeyexchange %s\n", tf(o->gss_keyex));
	fprintf(fp, "gssapidelegatecredentials %s\n", tf(o->gss_deleg_creds));
	fprintf(fp, "gssapitrustdns %s\n", tf(o->gss_trust_dns));
	fprintf(fp, "gssapirenewalforcesrekey %s\n",
	    tf(o->gss_renewal_rekey));
	fprintf(fp, "gssapikexalgorithms %s\n", o->gss_kex_algorithms);
	fprintf(fp, "hashknownhosts %s\n", tf(o->hash_known_hosts));
	fprintf(fp, "hostbasedauthentication %s\n",
	    tf(o->hostbased_authentication));
	fprintf(fp, "identitiesonly %s\n", tf(o->identities_only));
	fprintf(fp, "kbdinteractiveauthentication %s\n",
	    tf(o->kbd_interactive_authentication));
	fprintf(fp, "nohostauthenticationforlocalhost %s\n",
	    tf(o->no_host_authentication_for_localhost));
	fprintf(fp, "passwordauthentication %s\n",
	    tf(o->password_authentication));
	fprintf(fp, "permitlocalcommand %s\n", tf(o->permit_local_command));
	fprintf(fp, "proxyusefdpass %s\n", tf(o->proxy_use_fdpass));
}

static void
dump_flags2(FILE *fp, const struct readconf *o)
{
	dump_choice(fp, "pubkeyauthentication", o->pubkey_authentication);
	dump_choice(fp, "requesttty", o->request_tty);
	dump_choice(fp, "sessiontype", o->session_type);
	fprintf(fp, "stdinnull %s\n", tf(o->stdin_null));
	fprintf(fp, "forkafterauthentication %s\n",
	    tf(o->fork_after_authentication));
	fprintf(fp, "streamlocalbindunlink %s\n",
	    tf(o->streamlocal_bind_unlink));
	dump_choice(fp, "stricthostkeychecking", o->strict_host_key_checking);
	fprintf(fp, "tcpkeepalive %s\n", tf(o->tcp_keep_alive));
	dump_choice(fp, "tunnel", o->tun_open);
	dump_choice(fp, "verifyhostkeydns", o->verify_host_key_dns);
	fprintf(fp, "visualhostkey %s\n", tf(o->visual_host_key));
	dump_choice(fp, "updatehostkeys", o->update_hostkeys);
	fprintf(fp, "enableescapecommandline %s\n",
	    tf(o->enable_escape_commandline));
	fprintf(fp, "canonicalizemaxdots %d\n", o->canonicalize_max_dots);
	fprintf(fp, "connectionattempts %d\n", o->connection_attempts);
	fprintf(fp, "forwardx11timeout %d\n", o->forward_x11_timeout);
	fprintf(fp, "numberofpasswordprompts %d\n",
	    o->number_of_password_prompts);
	fprintf(fp, "serveralivecountmax %d\n", o->server_alive_count_max);
	fprintf(fp, "serveraliveinterval %d\n", o->server_alive_interval);
	fprintf(fp, "requiredrsasize %d\n", o->required_rsa_size);
}

static void
dump_opt(FILE *fp, const char *kw, const char *v)
{
	if (v != NULL)
		fprintf(fp, "%s %s\n", kw, v);
}

static void
dump_strings(FILE *fp, const struct readconf *o)
{
	dump_opt(fp, "bindaddress", o->bind_address);
	dump_opt(fp, "bindinterface", o->bind_interface);
	dump_opt(fp, "ciphers", o->ciphers);
	dump_opt(fp, "controlpath", o->control_path);
	dump_opt(fp, "hostkeyalgorithms", o->hostkey_algorithms);
	dump_opt(fp, "hostkeyalias", o->host_key_alias);
	dump_opt(fp, "hostbasedacceptedalgorithms",
	    o->hostbased_accepted_algorithms);
	dump_opt(fp, "identityagent", o->identity_agent);
	dump_opt(fp, "ignoreunknown", o->ignored_unknown);
	dump_opt(fp, "kbdinteractivedevices", o->kbd_interactive_devices);
	dump_opt(fp, "kexalgorithms", o->kex_algorithms);
	dump_opt(fp, "casignaturealgorithms", o->ca_sign_algorithms);
	dump_opt(fp, "localcommand", o->local_command);
	dump_opt(fp, "remotecommand", o->remote_command);
	dump_opt(fp, "loglevel", o->log_level == LOG_LEVEL_DEBUG1 ?
	    "DEBUG" : log_level_name(o->log_level));
	dump_opt(fp, "macs", o->macs);
	dump_opt(fp, "pkcs11provider", o->pkcs11_provider);
	dump_opt(fp, "securitykeyprovider", o->sk_provider);
	dump_opt(fp, "preferredauthentications",
	    o->preferred_authentications);
	dump_opt(fp, "pubkeyacceptedalgorithms",
	    o->pubkey_accepted_algorithms);
	dump_opt(fp, "revokedhostkeys", o->revoked_host_keys);
	dump_opt(fp, "xauthlocation", o->xauth_location);
	dump_opt(fp, "knownhostscommand", o->known_hosts_command);
}

static void
dump_endpoint(FILE *fp, const char *host, int port, const char *path)
{
	if (path != NULL)
		fprintf(fp, " %s", path);
	else if (host == NULL)
		fprintf(fp, " %d", port);
	else
		fprintf(fp, " [%s]:%d", host, port);
}

static void
dump_forwards(FILE *fp, const struct readconf *o)
{
	const struct readconf_forward *f;
	u_int i;
	int pass;

	/* Dynamic ones first, then local, then remote, as ssh -G does. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < o->num_local_forwards; i++) {
			f = &o->local_forwards[i];
			/*
			 * Like ssh -G, list a forward to a Unix socket under
			 * both names (it has no connect host either).
			 */
			if (pass == 0 && f->connect_host != NULL)
				continue;
			if (pass == 1 && f->connect_host == NULL &&
			    f->connect_path == NULL)
				continue;
			fprintf(fp, pass == 0 ? "dynamicforward" :
			    "localforward");
			dump_endpoint(fp, f->listen_host, f->listen_port,
			    f->listen_path);
			if (pass == 1)
				dump_endpoint(fp, f->connect_host,
				    f->connect_port, f->connect_path);
			fprintf(fp, "\n");
		}
	}
	for (i = 0; i < o->num_remote_forwards; i++) {
		f = &o->remote_forwards[i];
		fprintf(fp, "remoteforward");
		dump_endpoint(fp, f->listen_host, f->listen_port,
		    f->listen_path);
		if (f->connect_host != NULL || f->connect_path != NULL)
			dump_endpoint(fp, f->connect_host, f->connect_port,
			    f->connect_path);
		else
			fprintf(fp, " [socks]:0");	/* remote dynamic */
		fprintf(fp, "\n");
	}
}

static void
dump_lines(FILE *fp, const char *kw, const struct conf_strlist *l)
{
	u_int i;

	for (i = 0; i < l->n; i++)
		fprintf(fp, "%s %s\n", kw, l->v[i]);
}

static void
dump_oneline(FILE *fp, const char *kw, const struct conf_strlist *l,
    const char *sep, const char *dflt)
{
	u_int i;

	if (l->n == 0) {
		if (dflt != NULL)
			fprintf(fp, "%s %s\n", kw, dflt);
		return;
	}
	fprintf(fp, "%s ", kw);
	for (i = 0; i < l->n; i++)
		fprintf(fp, "%s%s", i == 0 ? "" : sep, l->v[i]);
	fprintf(fp, "\n");
}

static void
dump_lists(FILE *fp, const struct readconf *o)
{
	dump_lines(fp, "identityfile", &o->identity_files);
	dump_oneline(fp, "canonicaldomains", &o->canonical_domains, " ",
	    "none");
	dump_lines(fp, "certificatefile", &o->certificate_files);
	dump_oneline(fp, "globalknownhostsfile", &o->global_known_hosts_files,
	    " ", NULL);
	dump_oneline(fp, "userknownhostsfile", &o->user_known_hosts_files,
	    " ", NULL);
	dump_lines(fp, "sendenv", &o->send_env);
	dump_lines(fp, "setenv", &o->set_env);
	dump_oneline(fp, "logverbose", &o->log_verbose, ",", "none");
	dump_oneline(fp, "permitremoteopen", &o->permitted_remote_opens, " ",
	    "any");
}

static void
dump_escape(FILE *fp, int c)
{
	if (c == RC_ESCAPE_NONE)
		fprintf(fp, "escapechar none\n");
	else if (c < 0x20)
		fprintf(fp, "escapechar \\^%c\n", c + 0x40);
	else if (c == 0x7f)
		fprintf(fp, "escapechar \\^?\n");
	else if (c > 0x7f)
		fprintf(fp, "escapechar \\%03o\n", c);
	else
		fprintf(fp, "escapechar %c\n", c);
}

static void
dump_tail(FILE *fp, const struct readconf *o)
{
	static const char *const addkeys[] = { "false", "true", "ask",
	    "confirm" };
	const char *qi = conf_ipqos_name(o->ip_qos_interactive);
	const char *qb = conf_ipqos_name(o->ip_qos_bulk);

	if (o->add_keys_to_agent_lifespan <= 0)
		fprintf(fp, "addkeystoagent %s\n",
		    addkeys[o->add_keys_to_agent]);
	else if (o->add_keys_to_agent == RC_YES)
		fprintf(fp, "addkeystoagent %d\n",
		    o->add_keys_to_agent_lifespan);
	else
		fprintf(fp, "addkeystoagent %s %d\n",
		    addkeys[o->add_keys_to_agent],
		    o->add_keys_to_agent_lifespan);
	if (o->forward_agent_sock_path != NULL)
		fprintf(fp, "forwardagent %s\n", o->forward_agent_sock_path);
	else
		fprintf(fp, "forwardagent %s\n", tf(o->forward_agent));
	if (o->connect_timeout == -1)
		fprintf(fp, "connecttimeout none\n");
	else
		fprintf(fp, "connecttimeout %d\n", o->connect_timeout);
	fprintf(fp, "tunneldevice ");
	if (o->tun_local == RC_TUNID_ANY)
		fprintf(fp, "any:");
	else
		fprintf(fp, "%d:", o->tun_local);
	if (o->tun_remote == RC_TUNID_ANY)
		fprintf(fp, "any\n");
	else
		fprintf(fp, "%d\n", o->tun_remote);
	dump_oneline(fp, "canonicalizePermittedcnames",
	    &o->canonicalize_permitted_cnames, " ", "none");
	if (o->control_persist == 0)
		fprintf(fp, "controlpersist no\n");
	else if (o->control_persist_timeout == 0)
		fprintf(fp, "controlpersist yes\n");
	else
		fprintf(fp, "controlpersist %d\n", o->control_persist_timeout);
	dump_escape(fp, o->escape_char);
	fprintf(fp, "ipqos ");
	if (qi != NULL)
		fprintf(fp, "%s ", qi);
	else
		fprintf(fp, "0x%02x ", o->ip_qos_interactive);
	if (qb != NULL)
		fprintf(fp, "%s\n", qb);
	else
		fprintf(fp, "0x%02x\n", o->ip_qos_bulk);
	fprintf(fp, "rekeylimit %lld %d\n", (long long)o->rekey_limit,
	    o->rekey_interval);
	fprintf(fp, "streamlocalbindmask 0%o\n", o->streamlocal_bind_mask);
	fprintf(fp, "syslogfacility %s\n", log_facility_name(o->log_facility));
	if (o->proxy_command != NULL)
		fprintf(fp, "proxycommand %s\n", o->proxy_command);
	else if (o->jump_spec != NULL)
		fprintf(fp, "proxyjump %s\n", o->jump_spec);
}

int
readconf_dump(const struct readconf *o, FILE *fp)
{
	if (o == NULL || fp == NULL || o->hostname == NULL ||
	    o->ciphers == NULL)
		return ERR_INVALID_ARGUMENT;	/* readconf_finish first */
	fprintf(fp, "host %s\n", o->host_arg != NULL ? o->host_arg : "");
	fprintf(fp, "user %s\n", o->user);
	fprintf(fp, "hostname %s\n", o->hostname);
	fprintf(fp, "port %d\n", o->port);
	dump_flags1(fp, o);
	dump_flags2(fp, o);
	dump_strings(fp, o);
	dump_forwards(fp, o);
	dump_lists(fp, o);
	dump_tail(fp, o);
	if (fflush(fp) != 0 || ferror(fp))
		return ERR_ERRNO;
	return 0;
}
