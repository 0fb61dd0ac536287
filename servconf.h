/*
 * servconf.h: sshd_config.
 *
 * Keywords, value spellings, defaults and messages are those of OpenSSH's
 * sshd_config(5) and sshd -T, so existing configs (Debian/Ubuntu ones
 * included) load unchanged.  Everything documented there is parsed and
 * stored, also where sshd does not act on it yet.
 *
 * The life of a configuration:
 *
 *  1. servconf_text_load() reads the config file and every file its
 *     Include lines name (recursively; globs; relative names are under
 *     SSHDIR) into a servconf_text, once, in the listener.  -o options
 *     are added with servconf_text_add_option().  The text is what the
 *     listener hands to each re-executed connection process
 *     (servconf_text_serialise / _deserialise), so a connection never
 *     reads the files again.
 *  2. servconf_evaluate(text, NULL) gives the global options (Match
 *     blocks only checked); servconf_evaluate(text, conn) gives a
 *     connection's options: the global ones with the matching Match
 *     blocks' settings on top.
 *  3. servconf_dump() prints the result as `sshd -T` does.
 *
 * Precedence is OpenSSH's: for single-valued keywords the first value
 * wins (except IPQoS, MaxStartups, PerSourceMaxStartups,
 * PerSourceNetBlockSize, StreamLocalBindMask and FingerprintHash, where
 * OpenSSH keeps the last); -o options come before the file (so they win
 * over its global lines), and values from matching Match blocks replace
 * both (the first matching block that sets a keyword wins).  List
 * keywords (AcceptEnv, AllowUsers, HostKey, Port, ListenAddress,
 * Subsystem...) accumulate over the lines of one level; others
 * (AuthorizedKeysFile, SetEnv, PermitOpen, AuthenticationMethods...)
 * take the first line's words.  A Match block that sets a list replaces
 * the global one.  "Match all" applies everywhere and ends the Match
 * section (global keywords are allowed after it), as in OpenSSH.
 *
 * Errors are logged in OpenSSH's words with file and line, e.g.
 *   "sshd_config: line 3: Bad configuration option: Foo"
 *   "sshd_config line 4: no argument after keyword \"Port\""
 * and then "<file>: terminating, N bad configuration options" for
 * unknown keywords and missing arguments (the whole file is looked at),
 * while a bad value stops at its line.  Both make the functions return
 * ERR_CONFIG_INVALID.  Deprecated keywords are logged and ignored
 * ("<file> line <n>: Deprecated option X").
 *
 * Library code: never exits, no xmalloc.  int results are 0 or a
 * negative ERR_* code; outputs are set only on success and then belong to
 * the caller.
 */
#ifndef KEEL_SERVCONF_H
#define KEEL_SERVCONF_H

#include <sys/types.h>
#include <sys/socket.h>
#include <stdint.h>
#include <stdio.h>

#include "conf.h"
#include "log.h"

struct buf;

#define SERVCONF_MAX_PORTS	256
#define SERVCONF_DEFAULT_PORT	22

/* Compression */
#define SC_COMP_NO		0
#define SC_COMP_DELAYED		2	/* "yes" and "delayed" */

/* PermitRootLogin */
#define SC_PERMIT_NO		0
#define SC_PERMIT_FORCED_ONLY	1	/* forced-commands-only */
#define SC_PERMIT_NO_PASSWD	2	/* prohibit-password */
#define SC_PERMIT_YES		3

/* AllowTcpForwarding, AllowStreamLocalForwarding */
#define SC_FWD_NONE		0
#define SC_FWD_LOCAL		(1 << 0)
#define SC_FWD_REMOTE		(1 << 1)
#define SC_FWD_ALL		(SC_FWD_LOCAL | SC_FWD_REMOTE)

/* GatewayPorts */
#define SC_GW_NO		0
#define SC_GW_YES		1
#define SC_GW_CLIENTSPECIFIED	2

/* PermitTunnel */
#define SC_TUN_NO		0
#define SC_TUN_POINTOPOINT	1
#define SC_TUN_ETHERNET		2
#define SC_TUN_YES		3

/* IgnoreRhosts */
#define SC_IGNORE_RHOSTS_NO	0
#define SC_IGNORE_RHOSTS_YES	1
#define SC_IGNORE_RHOSTS_SHOSTS	2

/* PubkeyAuthOptions bits */
#define SC_PUBKEYAUTH_TOUCH	(1 << 0)
#define SC_PUBKEYAUTH_VERIFY	(1 << 1)

/* ListenAddress: host (NULL: the wildcard) and port (-1: every Port). */
struct servconf_listen {
	char	*host;
	int	 port;
	char	*rdomain;	/* NULL if none */
};

/*
 * The options.  While parsing, an int field of -1 (or LOG_*_NOT_SET), a
 * NULL string and an empty list mean "not set"; servconf_evaluate() fills
 * in the defaults, after which every scalar is set.  String fields whose
 * value may be "none" (Banner, ForceCommand, ChrootDirectory, ...) are
 * NULL for "none" after evaluation.  Only servconf.c writes this struct;
 * everyone else reads it.
 */
struct servconf {
	/* Where to listen. */
	int	 ports[SERVCONF_MAX_PORTS];
	u_int	 num_ports;
	struct servconf_listen *listen;
	u_int	 num_listen;
	int	 address_family;	/* AF_UNSPEC, AF_INET, AF_INET6 */
	struct conf_strlist host_key_files;
	struct conf_strlist host_cert_files;
	char	*host_key_agent;
	char	*pid_file;
	char	*moduli_file;
	char	*xauth_location;
	char	*version_addendum;

	/* Logging. */
	LogLevel log_level;
	LogFacility log_facility;
	struct conf_strlist log_verbose;

	/* Connection limits and liveness. */
	int	 login_grace_time;		/* seconds */
	int	 max_authtries;
	int	 max_sessions;
	int	 max_startups_begin;
	int	 max_startups_rate;
	int	 max_startups;
	int	 per_source_max_startups;	/* INT_MAX: none */
	int	 per_source_masklen_ipv4;
	int	 per_source_masklen_ipv6;
	char	*per_source_penalties;		/* stored, not used yet */
	char	*per_source_penalty_exempt;	/* stored, not used yet */
	int	 client_alive_interval;
	int	 client_alive_count_max;
	int	 tcp_keep_alive;
	int	 use_dns;
	int	 unused_connection_timeout;	/* 0: none */
	struct conf_strlist channel_timeouts;	/* "type=interval" */
	int	 ip_qos_interactive;
	int	 ip_qos_bulk;

	/* Transport. */
	char	*ciphers;
	char	*macs;
	char	*kex_algorithms;
	char	*hostkey_algorithms;
	char	*pubkey_accepted_algorithms;
	char	*hostbased_accepted_algorithms;
	char	*ca_sign_algorithms;
	int	 compression;			/* SC_COMP_* */
	int64_t	 rekey_limit;			/* bytes; 0: cipher default */
	int	 rekey_interval;		/* seconds; 0: none */
	int	 required_rsa_size;
	int	 fingerprint_hash;		/* DIGEST_* */

	/* Authentication. */
	int	 permit_root_login;		/* SC_PERMIT_* */
	int	 pubkey_authentication;
	int	 pubkey_auth_options;		/* SC_PUBKEYAUTH_* */
	int	 password_authentication;
	int	 kbd_interactive_authentication;
	int	 permit_empty_passwords;
	int	 hostbased_authentication;
	int	 hostbased_uses_name_from_packet_only;
	int	 ignore_rhosts;			/* SC_IGNORE_RHOSTS_* */
	int	 ignore_user_known_hosts;
	int	 kerberos_authentication;
	int	 kerberos_or_local_passwd;
	int	 kerberos_ticket_cleanup;
	int	 gss_authentication;
	int	 gss_cleanup_creds;
	int	 gss_keyex;
	int	 gss_strict_acceptor;
	int	 gss_store_rekey;
	char	*gss_kex_algorithms;
	int	 use_pam;
	int	 strict_modes;
	struct conf_strlist authorized_keys_files;	/* may be "none" */
	char	*authorized_keys_command;
	char	*authorized_keys_command_user;
	char	*authorized_principals_file;
	char	*authorized_principals_command;
	char	*authorized_principals_command_user;
	char	*trusted_user_ca_keys;
	char	*revoked_keys_file;
	char	*security_key_provider;
	struct conf_strlist auth_methods;	/* "any" when unrestricted */
	struct conf_strlist allow_users;
	struct conf_strlist deny_users;
	struct conf_strlist allow_groups;
	struct conf_strlist deny_groups;
	int	 expose_auth_info;

	/* Sessions. */
	int	 print_motd;
	int	 print_lastlog;
	int	 debian_banner;
	char	*banner;
	char	*force_command;
	char	*chroot_directory;
	int	 permit_tty;
	int	 permit_user_rc;
	int	 permit_user_env;		/* 0 no, 1 yes/patterns */
	char	*permit_user_env_allowlist;	/* NULL: any (with 1) */
	struct conf_strlist accept_env;
	struct conf_strlist set_env;		/* "NAME=value" */
	struct conf_strlist subsystem_name;
	struct conf_strlist subsystem_command;	/* command with arguments */

	/* Forwarding. */
	int	 allow_tcp_forwarding;		/* SC_FWD_* */
	int	 allow_streamlocal_forwarding;	/* SC_FWD_* */
	int	 allow_agent_forwarding;
	int	 disable_forwarding;
	int	 gateway_ports;			/* SC_GW_* */
	int	 permit_tun;			/* SC_TUN_* */
	int	 x11_forwarding;
	int	 x11_display_offset;
	int	 x11_use_localhost;
	int	 streamlocal_bind_mask;		/* a file mode */
	int	 streamlocal_bind_unlink;
	struct conf_strlist permit_open;	/* empty or "any": anything;
						 * "none": nothing */
	struct conf_strlist permit_listen;	/* the same; "8080" is kept
						 * as "*:8080" */
};

/*
 * A connection as Match sees it (sshd -C user=,host=,addr=,laddr=,lport=,
 * rdomain=).  Strings are owned by the struct (servconf_conn_free);
 * NULL / -1 mean "not known".  As in OpenSSH, a criterion whose field is
 * not known does not match, except LocalPort, which is an error ("'Match
 * LocalPort' in configuration but 'lport' not in connection test
 * specification.").  `sshd -T` without -C evaluates with a connection
 * where nothing is known (servconf_conn_parse("")), as OpenSSH does.
 */
struct servconf_conn {
	char	*user;
	char	*host;
	char	*address;
	char	*laddress;
	int	 lport;
	char	*rdomain;
};

/* The config file and its includes as read once; opaque. */
struct servconf_text;

/* ------------------------------------------------------------ text */

/*
 * Read the config file at path and its Includes.  confdir is where
 * relative Include names are looked up (NULL: SSHDIR).  A file that
 * cannot be read is ERR_ERRNO (errno set; the caller prints
 * "<path>: No such file or directory" style messages); Include loops
 * and nesting beyond CONF_INCLUDE_DEPTH_MAX fail with "Too many
 * recursive configuration includes" (ERR_CONFIG_INVALID).
 */
int servconf_text_load(const char *path, const char *confdir,
    struct servconf_text **tp) must_check;
/* The same for a config held in a string (tests, fuzzing). */
int servconf_text_from_string(const char *name, const char *config,
    const char *confdir, struct servconf_text **tp) must_check;
/*
 * Add one -o option ("Port=2222", "Port 2222"), read as a line of the
 * file "command-line" before everything in the file.  An Include in it is
 * refused.  The text of the option is checked only at evaluation.
 */
int servconf_text_add_option(struct servconf_text *t, const char *line)
    must_check;
/*
 * sshd -p port: like -o Port=port, but then the file's Port lines are
 * ignored (as in OpenSSH).  ERR_INVALID_ARGUMENT for a port outside
 * 1..65535.
 */
int servconf_text_add_port(struct servconf_text *t, int port) must_check;
void servconf_text_free(struct servconf_text *t);
/* Hand the text to a re-executed process through the buffer type. */
int servconf_text_serialise(const struct servconf_text *t, struct buf *b)
    must_check;
/* Read what servconf_text_serialise() wrote; nothing may follow it. */
int servconf_text_deserialise(struct buf *b, struct servconf_text **tp)
    must_check;

/* ------------------------------------------------------------ options */

/*
 * The effective options: -o lines, the file's global lines and (with
 * conn not NULL) the matching Match blocks, then defaults.  With conn
 * NULL every Match block is still checked for syntax ("Match all" blocks
 * apply in both cases).  Cross-checks OpenSSH makes at startup are made
 * too (AuthenticationMethods against the enabled methods,
 * AuthorizedKeysCommand without its user).  Problems are logged;
 * ERR_CONFIG_INVALID.
 */
int servconf_evaluate(const struct servconf_text *t,
    const struct servconf_conn *conn, struct servconf **optsp) must_check;
void servconf_free(struct servconf *o);

/*
 * `sshd -T`: write the options to fp as lower-case "keyword value" lines
 * in OpenSSH's order and spelling.  ListenAddress names are resolved
 * (getaddrinfo).  0 or ERR_ERRNO (a write failed).
 */
int servconf_dump(const struct servconf *o, FILE *fp) must_check;

/*
 * Parse a -C spec "user=u,host=h,addr=a,laddr=l,lport=p,rdomain=r" (any
 * subset, any order; a later key replaces an earlier one).  Errors are
 * logged as OpenSSH does ("Invalid test mode specification x",
 * "Invalid port 'x' in test mode specification lport=x"):
 * ERR_INVALID_FORMAT.
 */
int servconf_conn_parse(const char *spec, struct servconf_conn **connp)
    must_check;
void servconf_conn_free(struct servconf_conn *c);

/* ------------------------------------------------------------ helpers */

/*
 * Expand an AuthorizedKeysFile/AuthorizedPrincipalsFile/ChrootDirectory
 * style name for a user: %h home, %u user name, %U numeric uid, %%;
 * with relative_to_home set, a result that is not absolute gets
 * "home/" in front.  ERR_INVALID_FORMAT for an unknown %-escape.
 */
int servconf_expand_user_path(const char *pattern, const char *user,
    const char *home, uid_t uid, int relative_to_home, char **retp)
    must_check;

/* A listening address resolved from Port/ListenAddress/AddressFamily. */
struct servconf_laddr {
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char	*rdomain;	/* NULL if none */
};
/*
 * Resolve every ListenAddress (or the wildcards when there is none) for
 * every applicable port, in sshd -T's order.  ERR_INVALID_ARGUMENT with
 * "bad addr or host: <host> (<gai error>)" logged for a name that does
 * not resolve.  Free with servconf_laddrs_free().
 */
int servconf_listen_resolve(const struct servconf *o,
    struct servconf_laddr **addrsp, u_int *naddrsp) must_check;
void servconf_laddrs_free(struct servconf_laddr *addrs, u_int naddrs);

/*
 * The Subsystem command for name, or NULL if there is none (borrowed
 * from o).
 */
const char *servconf_subsystem(const struct servconf *o, const char *name);

#endif /* KEEL_SERVCONF_H */
