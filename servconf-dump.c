/*
 * servconf-dump.c: `sshd -T` output and the resolution of listening
 * addresses.  Keywords come in the order and with the spellings of
 * OpenSSH's sshd -T, so the outputs can be compared line by line.
 */
#include "includes.h"

#include <sys/socket.h>
#include <netdb.h>
#include <netinet/in.h>

#include "conf.h"
#include "digest.h"
#include "errcode.h"
#include "log.h"
#include "servconf.h"
#include "servconf-impl.h"
#include "servconf-kw.h"

/* ------------------------------------------------------------ resolve */

void
servconf_laddrs_free(struct servconf_laddr *addrs, u_int naddrs)
{
	u_int i;

	for (i = 0; i < naddrs; i++)
		free(addrs[i].rdomain);
	free(addrs);
}

static int
add_addrinfo(struct servconf_laddr **addrsp, u_int *np,
    const struct addrinfo *ai, const char *rdomain)
{
	struct servconf_laddr *tmp, *a;

	if (*np >= CONF_LIST_MAX || ai->ai_addrlen > sizeof(a->addr))
		return ERR_NUMBER_TOO_LARGE;
	tmp = reallocarray(*addrsp, (size_t)*np + 1, sizeof(**addrsp));
	if (tmp == NULL)
		return ERR_ALLOC_FAIL;
	*addrsp = tmp;
	a = &tmp[*np];
	memset(a, 0, sizeof(*a));
	memcpy(&a->addr, ai->ai_addr, ai->ai_addrlen);
	a->addrlen = ai->ai_addrlen;
	if (rdomain != NULL && (a->rdomain = strdup(rdomain)) == NULL)
		return ERR_ALLOC_FAIL;
	(*np)++;
	return 0;
}

static int
resolve_one(const struct servconf *o, const char *host, int port,
    const char *rdomain, struct servconf_laddr **addrsp, u_int *np)
{
	struct addrinfo hints, *res = NULL, *ai;
	struct servconf_laddr tmp;
	char portstr[16];
	u_int first, i, j;
	int gr, r = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = o->address_family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = host == NULL ? AI_PASSIVE : 0;
	snprintf(portstr, sizeof(portstr), "%d", port);
	if ((gr = getaddrinfo(host, portstr, &hints, &res)) != 0) {
		error("bad addr or host: %s (%s)", host == NULL ?
		    "<NULL>" : host, gai_strerror(gr));
		return ERR_INVALID_ARGUMENT;
	}
	/* sshd -T lists each name's addresses last to first. */
	first = *np;
	for (ai = res; ai != NULL && r == 0; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET || ai->ai_family == AF_INET6)
			r = add_addrinfo(addrsp, np, ai, rdomain);
	}
	freeaddrinfo(res);
	for (i = first, j = *np; r == 0 && j > 0 && i < j - 1; i++, j--) {
		tmp = (*addrsp)[i];
		(*addrsp)[i] = (*addrsp)[j - 1];
		(*addrsp)[j - 1] = tmp;
	}
	return r;
}

int
servconf_listen_resolve(const struct servconf *o,
    struct servconf_laddr **addrsp, u_int *naddrsp)
{
	struct servconf_laddr *addrs = NULL;
	const struct servconf_listen *l;
	u_int n = 0, i, p;
	int r = 0;

	if (addrsp == NULL || naddrsp == NULL || o == NULL)
		return ERR_INVALID_ARGUMENT;
	*addrsp = NULL;
	*naddrsp = 0;
	if (o->num_listen == 0) {
		for (p = 0; p < o->num_ports && r == 0; p++)
			r = resolve_one(o, NULL, o->ports[p], NULL, &addrs, &n);
	}
	for (i = 0; i < o->num_listen && r == 0; i++) {
		l = &o->listen[i];
		if (l->port != -1) {
			r = resolve_one(o, l->host, l->port, l->rdomain,
			    &addrs, &n);
			continue;
		}
		for (p = 0; p < o->num_ports && r == 0; p++)
			r = resolve_one(o, l->host, o->ports[p], l->rdomain,
			    &addrs, &n);
	}
	if (r != 0) {
		servconf_laddrs_free(addrs, n);
		return r;
	}
	*addrsp = addrs;
	*naddrsp = n;
	return 0;
}

/* ------------------------------------------------------------ dump */

static void
dump_str(FILE *fp, const char *kw, const char *val)
{
	fprintf(fp, "%s %s\n", kw, val == NULL ? "none" : val);
}

static void
dump_int(FILE *fp, const char *kw, int val)
{
	fprintf(fp, "%s %d\n", kw, val);
}

static void
dump_flag(FILE *fp, const char *kw, int val)
{
	fprintf(fp, "%s %s\n", kw, val ? "yes" : "no");
}

/* A value spelled by the keyword's own table. */
static void
dump_choice(FILE *fp, const char *kw, int val)
{
	const struct sc_kw *k = servconf_keyword(kw);

	fprintf(fp, "%s %s\n", kw, k == NULL || k->choices == NULL ?
	    "UNKNOWN" : conf_choice_name(k->choices, val));
}

/* One line per entry. */
static void
dump_lines(FILE *fp, const char *kw, const struct conf_strlist *l)
{
	u_int i;

	for (i = 0; i < l->n; i++)
		fprintf(fp, "%s %s\n", kw, l->v[i]);
}

/* All entries on one line (or dflt when there are none). */
static void
dump_oneline(FILE *fp, const char *kw, const struct conf_strlist *l,
    const char *dflt)
{
	u_int i;

	if (l->n == 0) {
		if (dflt != NULL)
			fprintf(fp, "%s %s\n", kw, dflt);
		return;
	}
	fprintf(fp, "%s", kw);
	for (i = 0; i < l->n; i++)
		fprintf(fp, " %s", l->v[i]);
	fprintf(fp, "\n");
}

static void
dump_listen(FILE *fp, const struct servconf *o)
{
	struct servconf_laddr *addrs = NULL;
	char host[NI_MAXHOST], port[NI_MAXSERV];
	u_int i, n = 0;

	if (servconf_listen_resolve(o, &addrs, &n) != 0)
		return;
	for (i = 0; i < n; i++) {
		if (getnameinfo((struct sockaddr *)&addrs[i].addr,
		    addrs[i].addrlen, host, sizeof(host), port, sizeof(port),
		    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
			continue;
		if (addrs[i].addr.ss_family == AF_INET6)
			fprintf(fp, "listenaddress [%s]:%s", host, port);
		else
			fprintf(fp, "listenaddress %s:%s", host, port);
		if (addrs[i].rdomain != NULL)
			fprintf(fp, " rdomain %s", addrs[i].rdomain);
		fprintf(fp, "\n");
	}
	servconf_laddrs_free(addrs, n);
}

static void
dump_ipqos(FILE *fp, int a, int b)
{
	const char *na = conf_ipqos_name(a), *nb = conf_ipqos_name(b);

	fprintf(fp, "ipqos ");
	if (na != NULL)
		fprintf(fp, "%s ", na);
	else
		fprintf(fp, "0x%02x ", a);
	if (nb != NULL)
		fprintf(fp, "%s\n", nb);
	else
		fprintf(fp, "0x%02x\n", b);
}

static const char *
level_name(LogLevel l)
{
	/* sshd -T spells DEBUG1 "DEBUG". */
	return l == LOG_LEVEL_DEBUG1 ? "DEBUG" : log_level_name(l);
}

static void
dump_head(FILE *fp, const struct servconf *o)
{
	u_int i;

	for (i = 0; i < o->num_ports; i++)
		dump_int(fp, "port", o->ports[i]);
	dump_choice(fp, "addressfamily", o->address_family);
	dump_listen(fp, o);
	dump_flag(fp, "usepam", o->use_pam);
	dump_int(fp, "logingracetime", o->login_grace_time);
	dump_int(fp, "x11displayoffset", o->x11_display_offset);
	dump_int(fp, "maxauthtries", o->max_authtries);
	dump_int(fp, "maxsessions", o->max_sessions);
	dump_int(fp, "clientaliveinterval", o->client_alive_interval);
	dump_int(fp, "clientalivecountmax", o->client_alive_count_max);
	dump_int(fp, "requiredrsasize", o->required_rsa_size);
	fprintf(fp, "streamlocalbindmask 0%o\n", o->streamlocal_bind_mask);
	if (o->unused_connection_timeout == 0)
		dump_str(fp, "unusedconnectiontimeout", NULL);
	else
		dump_int(fp, "unusedconnectiontimeout",
		    o->unused_connection_timeout);
}

static void
dump_auth_flags(FILE *fp, const struct servconf *o)
{
	dump_choice(fp, "permitrootlogin", o->permit_root_login);
	dump_choice(fp, "ignorerhosts", o->ignore_rhosts);
	dump_flag(fp, "ignoreuserknownhosts", o->ignore_user_known_hosts);
	dump_flag(fp, "hostbasedauthentication", o->hostbased_authentication);
	dump_flag(fp, "hostbasedusesnamefrompacketonly",
	    o->hostbased_uses_name_from_packet_only);
	dump_flag(fp, "pubkeyauthentication", o->pubkey_authentication);
	dump_flag(fp, "kerberosauthentication", o->kerberos_authentication);
	dump_flag(fp, "kerberosorlocalpasswd", o->kerberos_or_local_passwd);
	dump_flag(fp, "kerberosticketcleanup", o->kerberos_ticket_cleanup);
	dump_flag(fp, "gssapiauthentication", o->gss_authentication);
	dump_flag(fp, "gssapicleanupcredentials", o->gss_cleanup_creds);
	dump_flag(fp, "gssapikeyexchange", o->gss_keyex);
	dump_flag(fp, "gssapistrictacceptorcheck", o->gss_strict_acceptor);
	dump_flag(fp, "gssapistorecredentialsonrekey", o->gss_store_rekey);
	dump_str(fp, "gssapikexalgorithms", o->gss_kex_algorithms);
	dump_flag(fp, "passwordauthentication", o->password_authentication);
	dump_flag(fp, "kbdinteractiveauthentication",
	    o->kbd_interactive_authentication);
}

static void
dump_session_flags(FILE *fp, const struct servconf *o)
{
	dump_flag(fp, "printmotd", o->print_motd);
	dump_flag(fp, "printlastlog", o->print_lastlog);
	dump_flag(fp, "x11forwarding", o->x11_forwarding);
	dump_flag(fp, "x11uselocalhost", o->x11_use_localhost);
	dump_flag(fp, "permittty", o->permit_tty);
	dump_flag(fp, "permituserrc", o->permit_user_rc);
	dump_flag(fp, "strictmodes", o->strict_modes);
	dump_flag(fp, "tcpkeepalive", o->tcp_keep_alive);
	dump_flag(fp, "permitemptypasswords", o->permit_empty_passwords);
	dump_choice(fp, "compression", o->compression);
	dump_choice(fp, "gatewayports", o->gateway_ports);
	dump_flag(fp, "usedns", o->use_dns);
	dump_choice(fp, "allowtcpforwarding", o->allow_tcp_forwarding);
	dump_flag(fp, "allowagentforwarding", o->allow_agent_forwarding);
	dump_flag(fp, "disableforwarding", o->disable_forwarding);
	dump_choice(fp, "allowstreamlocalforwarding",
	    o->allow_streamlocal_forwarding);
	dump_flag(fp, "streamlocalbindunlink", o->streamlocal_bind_unlink);
	dump_str(fp, "fingerprinthash", digest_alg_name(o->fingerprint_hash));
	dump_flag(fp, "exposeauthinfo", o->expose_auth_info);
}

static void
dump_strings(FILE *fp, const struct servconf *o)
{
	dump_str(fp, "pidfile", o->pid_file);
	dump_str(fp, "modulifile", o->moduli_file);
	dump_str(fp, "xauthlocation", o->xauth_location);
	dump_str(fp, "ciphers", o->ciphers);
	dump_str(fp, "macs", o->macs);
	dump_str(fp, "banner", o->banner);
	dump_str(fp, "forcecommand", o->force_command);
	dump_str(fp, "chrootdirectory", o->chroot_directory);
	dump_str(fp, "trustedusercakeys", o->trusted_user_ca_keys);
	dump_str(fp, "revokedkeys", o->revoked_keys_file);
	dump_str(fp, "securitykeyprovider", o->security_key_provider);
	dump_str(fp, "authorizedprincipalsfile",
	    o->authorized_principals_file);
	dump_str(fp, "versionaddendum", o->version_addendum);
	dump_str(fp, "authorizedkeyscommand", o->authorized_keys_command);
	dump_str(fp, "authorizedkeyscommanduser",
	    o->authorized_keys_command_user);
	dump_str(fp, "authorizedprincipalscommand",
	    o->authorized_principals_command);
	dump_str(fp, "authorizedprincipalscommanduser",
	    o->authorized_principals_command_user);
	dump_str(fp, "hostkeyagent", o->host_key_agent);
	dump_str(fp, "kexalgorithms", o->kex_algorithms);
	dump_str(fp, "casignaturealgorithms", o->ca_sign_algorithms);
	dump_str(fp, "hostbasedacceptedalgorithms",
	    o->hostbased_accepted_algorithms);
	dump_str(fp, "hostkeyalgorithms", o->hostkey_algorithms);
	dump_str(fp, "pubkeyacceptedalgorithms",
	    o->pubkey_accepted_algorithms);
	dump_str(fp, "loglevel", level_name(o->log_level));
	dump_str(fp, "syslogfacility", log_facility_name(o->log_facility));
}

static void
dump_lists(FILE *fp, const struct servconf *o)
{
	u_int i;

	dump_oneline(fp, "authorizedkeysfile", &o->authorized_keys_files,
	    "none");
	dump_lines(fp, "hostkey", &o->host_key_files);
	dump_lines(fp, "hostcertificate", &o->host_cert_files);
	dump_lines(fp, "allowusers", &o->allow_users);
	dump_lines(fp, "denyusers", &o->deny_users);
	dump_lines(fp, "allowgroups", &o->allow_groups);
	dump_lines(fp, "denygroups", &o->deny_groups);
	dump_lines(fp, "acceptenv", &o->accept_env);
	dump_lines(fp, "setenv", &o->set_env);
	dump_oneline(fp, "authenticationmethods", &o->auth_methods, "any");
	dump_oneline(fp, "logverbose", &o->log_verbose, NULL);
	dump_oneline(fp, "channeltimeout", &o->channel_timeouts, NULL);
	for (i = 0; i < o->subsystem_name.n; i++)
		fprintf(fp, "subsystem %s %s\n", o->subsystem_name.v[i],
		    o->subsystem_command.v[i]);
}

static void
dump_tail(FILE *fp, const struct servconf *o)
{
	fprintf(fp, "maxstartups %d:%d:%d\n", o->max_startups_begin,
	    o->max_startups_rate, o->max_startups);
	if (o->per_source_max_startups == INT_MAX)
		dump_str(fp, "persourcemaxstartups", NULL);
	else
		dump_int(fp, "persourcemaxstartups",
		    o->per_source_max_startups);
	fprintf(fp, "persourcenetblocksize %d:%d\n",
	    o->per_source_masklen_ipv4, o->per_source_masklen_ipv6);
	dump_choice(fp, "permittunnel", o->permit_tun);
	dump_ipqos(fp, o->ip_qos_interactive, o->ip_qos_bulk);
	fprintf(fp, "rekeylimit %lld %d\n", (long long)o->rekey_limit,
	    o->rekey_interval);
	dump_oneline(fp, "permitopen", &o->permit_open, "any");
	dump_oneline(fp, "permitlisten", &o->permit_listen, "any");
	if (o->permit_user_env == 0)
		dump_str(fp, "permituserenvironment", "no");
	else
		dump_str(fp, "permituserenvironment",
		    o->permit_user_env_allowlist == NULL ? "yes" :
		    o->permit_user_env_allowlist);
	if (o->pubkey_auth_options == 0)
		dump_str(fp, "pubkeyauthoptions", NULL);
	else
		fprintf(fp, "pubkeyauthoptions%s%s\n",
		    (o->pubkey_auth_options & SC_PUBKEYAUTH_TOUCH) ?
		    " touch-required" : "",
		    (o->pubkey_auth_options & SC_PUBKEYAUTH_VERIFY) ?
		    " verify-required" : "");
}

int
servconf_dump(const struct servconf *o, FILE *fp)
{
	if (o == NULL || fp == NULL)
		return ERR_INVALID_ARGUMENT;
	dump_head(fp, o);
	dump_auth_flags(fp, o);
	dump_session_flags(fp, o);
	dump_strings(fp, o);
	dump_lists(fp, o);
	dump_tail(fp, o);
	if (fflush(fp) != 0 || ferror(fp))
		return ERR_ERRNO;
	return 0;
}
