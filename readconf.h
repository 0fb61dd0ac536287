/*
 * readconf.h: ssh_config.
 *
 * Keywords, value spellings, defaults and messages are those of OpenSSH's
 * ssh_config(5) and `ssh -G`.  ssh reads -o options, then the user's file
 * (~/.ssh/config, or -F), then the system file (SSHDIR/ssh_config); for
 * each keyword the first value obtained wins, except the list keywords
 * (IdentityFile, CertificateFile, LocalForward, RemoteForward,
 * DynamicForward, SendEnv, SetEnv...) which accumulate.  Host and Match
 * blocks are evaluated while reading, against the host being connected to.
 *
 * Usage by ssh:
 *   struct readconf *o = readconf_new();
 *   readconf_process_option(o, "-o text", ...) for each -o;
 *   readconf_read_file(o, ~/.ssh/config, host, ctx,
 *       READCONF_USER | READCONF_CHECKPERM);   (-F file: READCONF_USER)
 *   readconf_read_file(o, SSHDIR "/ssh_config", host, ctx, 0);
 *   (a second pass with READCONF_FINAL when o->want_final_pass is set or
 *    the host name changed, as OpenSSH does)
 *   readconf_finish(o, ctx);     fills defaults and expands paths
 *   readconf_dump(o, stdout);    for ssh -G
 *
 * Errors are logged in OpenSSH's words, e.g.
 *   "config: line 3: Bad configuration option: foo"
 *   "config line 4: no argument after keyword \"port\""
 *   "config: terminating, 1 bad configuration options"
 * and reported as ERR_CONFIG_INVALID.  Keywords listed in IgnoreUnknown
 * are skipped silently; deprecated ones are logged at debug level,
 * unsupported ones ("Unsupported option \"x\"") at info level.
 *
 * Library code: never exits, no xmalloc; "Match exec" runs nothing itself
 * but asks the caller's callback.  int results are 0 or a negative ERR_*
 * code; outputs are set only on success and then belong to the caller.
 */
#ifndef KEEL_READCONF_H
#define KEEL_READCONF_H

#include <sys/types.h>
#include <stdint.h>
#include <stdio.h>

#include "conf.h"
#include "log.h"

#define READCONF_DEFAULT_PORT	22

/* flags for readconf_read_file() / readconf_process_line() */
#define READCONF_USER		(1 << 0)	/* a user's file: relative
						 * Includes are in ~/.ssh */
#define READCONF_CHECKPERM	(1 << 1)	/* refuse a file others can
						 * write (~/.ssh/config) */
#define READCONF_FINAL		(1 << 2)	/* the final pass: "Match
						 * final" holds */
#define READCONF_CANONICAL	(1 << 3)	/* the host name was
						 * canonicalised: "Match
						 * canonical" holds */

/* StrictHostKeyChecking */
#define RC_SHK_OFF		0	/* no, off */
#define RC_SHK_NEW		1	/* accept-new */
#define RC_SHK_YES		2
#define RC_SHK_ASK		3

/* RequestTTY */
#define RC_TTY_AUTO		0
#define RC_TTY_NO		1
#define RC_TTY_YES		2
#define RC_TTY_FORCE		3

/* ControlMaster */
#define RC_CM_NO		0
#define RC_CM_YES		1
#define RC_CM_AUTO		2
#define RC_CM_ASK		3
#define RC_CM_AUTO_ASK		4

/* PubkeyAuthentication */
#define RC_PUBKEY_NO		0
#define RC_PUBKEY_UNBOUND	1
#define RC_PUBKEY_HBOUND	2
#define RC_PUBKEY_ALL		3	/* yes */

/* UpdateHostKeys, VerifyHostKeyDNS, AddKeysToAgent share these */
#define RC_NO			0
#define RC_YES			1
#define RC_ASK			2
#define RC_CONFIRM		3	/* AddKeysToAgent only */

/* Tunnel */
#define RC_TUN_NO		0
#define RC_TUN_POINTOPOINT	1
#define RC_TUN_ETHERNET		2
#define RC_TUNID_ANY		0x7fffffff

/* SessionType */
#define RC_SESSION_DEFAULT	0
#define RC_SESSION_NONE		1
#define RC_SESSION_SUBSYSTEM	2

/* CanonicalizeHostname */
#define RC_CANON_NO		0
#define RC_CANON_YES		1
#define RC_CANON_ALWAYS		2

/* EscapeChar */
#define RC_ESCAPE_NONE		-2

/*
 * A LocalForward/RemoteForward/DynamicForward.  Hosts NULL when absent;
 * a path is set instead of host and port for Unix-domain sockets.
 * Dynamic forwards have no connect side.
 */
struct readconf_forward {
	char	*listen_host;
	int	 listen_port;
	char	*listen_path;
	char	*connect_host;
	int	 connect_port;
	char	*connect_path;
};

/*
 * The options.  While reading, -1, NULL and empty lists mean "not set";
 * readconf_finish() fills in defaults.  Only readconf.c writes this
 * struct; everyone else reads it.
 */
struct readconf {
	/* Who and where. */
	char	*host_arg;		/* the host as given (dump: "host") */
	char	*hostname;		/* HostName (%h expanded at finish) */
	int	 port;
	char	*user;
	char	*host_key_alias;
	char	*proxy_command;		/* NULL, also for "none" */
	char	*jump_spec;		/* ProxyJump as written; "none" */
	char	*bind_address;
	char	*bind_interface;
	int	 address_family;	/* AF_UNSPEC, AF_INET, AF_INET6 */
	int	 connection_attempts;
	int	 connect_timeout;	/* seconds; -1: none */
	int	 tcp_keep_alive;
	int	 server_alive_interval;
	int	 server_alive_count_max;
	int	 ip_qos_interactive;
	int	 ip_qos_bulk;
	int	 canonicalize_hostname;	/* RC_CANON_* */
	int	 canonicalize_max_dots;
	int	 canonicalize_fallback_local;
	struct conf_strlist canonical_domains;
	struct conf_strlist canonicalize_permitted_cnames; /* "a:b" rules */

	/* Host keys. */
	int	 strict_host_key_checking;	/* RC_SHK_* */
	struct conf_strlist user_known_hosts_files;
	struct conf_strlist global_known_hosts_files;
	char	*known_hosts_command;
	char	*revoked_host_keys;
	int	 hash_known_hosts;
	int	 check_host_ip;
	int	 update_hostkeys;	/* RC_NO, RC_YES, RC_ASK */
	int	 verify_host_key_dns;	/* RC_NO, RC_YES, RC_ASK */
	int	 visual_host_key;
	int	 no_host_authentication_for_localhost;
	int	 fingerprint_hash;	/* DIGEST_* */

	/* Algorithms (comma lists; resolved at finish). */
	char	*kex_algorithms;
	char	*ciphers;
	char	*macs;
	char	*hostkey_algorithms;
	char	*pubkey_accepted_algorithms;
	char	*hostbased_accepted_algorithms;
	char	*ca_sign_algorithms;
	int	 compression;
	int64_t	 rekey_limit;		/* bytes; 0: default */
	int	 rekey_interval;	/* seconds; 0: none */
	int	 required_rsa_size;

	/* Authentication. */
	int	 batch_mode;
	int	 password_authentication;
	int	 kbd_interactive_authentication;
	char	*kbd_interactive_devices;
	int	 pubkey_authentication;	/* RC_PUBKEY_* */
	int	 hostbased_authentication;
	int	 gss_authentication;
	int	 gss_deleg_creds;
	int	 gss_keyex;
	int	 gss_trust_dns;
	int	 gss_renewal_rekey;
	char	*gss_kex_algorithms;
	char	*preferred_authentications;
	int	 number_of_password_prompts;
	int	 identities_only;
	struct conf_strlist identity_files;	/* as written (~, %) */
	struct conf_strlist certificate_files;
	char	*identity_agent;
	int	 add_keys_to_agent;	/* RC_NO, RC_YES, RC_ASK, RC_CONFIRM */
	int	 add_keys_to_agent_lifespan;	/* seconds; 0: none */
	char	*pkcs11_provider;
	char	*sk_provider;
	int	 enable_ssh_keysign;

	/* Session. */
	int	 request_tty;		/* RC_TTY_* */
	int	 session_type;		/* RC_SESSION_* */
	int	 stdin_null;
	int	 fork_after_authentication;
	char	*remote_command;
	char	*local_command;
	int	 permit_local_command;
	int	 escape_char;		/* a byte, or RC_ESCAPE_NONE */
	int	 enable_escape_commandline;
	struct conf_strlist send_env;	/* patterns; "-pat" removes */
	struct conf_strlist set_env;	/* "NAME=value" */
	LogLevel log_level;
	LogFacility log_facility;
	struct conf_strlist log_verbose;
	char	*ignored_unknown;	/* IgnoreUnknown pattern list */

	/* Forwarding. */
	int	 forward_agent;
	char	*forward_agent_sock_path;	/* ForwardAgent /path|$VAR */
	int	 forward_x11;
	int	 forward_x11_trusted;
	int	 forward_x11_timeout;	/* seconds */
	char	*xauth_location;
	int	 gateway_ports;
	int	 exit_on_forward_failure;
	int	 clear_forwardings;
	struct readconf_forward *local_forwards;	/* incl. dynamic */
	u_int	 num_local_forwards;
	struct readconf_forward *remote_forwards;
	u_int	 num_remote_forwards;
	struct conf_strlist permitted_remote_opens;
	int	 tun_open;		/* RC_TUN_* */
	int	 tun_local;		/* device or RC_TUNID_ANY */
	int	 tun_remote;
	int	 streamlocal_bind_mask;
	int	 streamlocal_bind_unlink;

	/* Multiplexing. */
	int	 control_master;	/* RC_CM_* */
	char	*control_path;		/* NULL also for "none" */
	int	 control_persist;	/* 0 no, 1 yes */
	int	 control_persist_timeout;	/* seconds; 0: forever */
	int	 proxy_use_fdpass;

	/* Set while reading: a "Match final"/"Match canonical" was seen. */
	int	 want_final_pass;
};

/*
 * What Match criteria and %-escapes need to know about the local side.
 * Strings are borrowed for the duration of each call.
 */
struct readconf_ctx {
	const char *local_user;		/* %u, Match localuser */
	const char *home;		/* ~ and %d */
	uid_t	 uid;			/* %i */
	const char *local_host;		/* %L (short) / %l (full) */
	const char *local_host_full;
	const char *original_host;	/* %n, Match originalhost */
	/*
	 * Match exec: run cmd (already %-expanded) through the shell; 1 if
	 * it exited 0, 0 otherwise.  NULL: every exec criterion fails to
	 * match (logged).
	 */
	int	(*exec_cb)(const char *cmd, void *arg);
	void	*exec_arg;
};

/*
 * Fill ctx for this process: the user, home and uid of getuid(), the
 * local host names, host as the original host, and Match exec run
 * through the shell with system(3).  The strings live in static storage
 * (one context per process; a second call overwrites the first).  0, or
 * ERR_NOT_FOUND when the uid has no passwd entry.
 */
int readconf_ctx_local(struct readconf_ctx *ctx, const char *host)
    must_check;

/* A new, all-unset options struct; NULL on allocation failure. */
struct readconf *readconf_new(void);
void readconf_free(struct readconf *o);

/*
 * Read one config file for host (the name being connected to, after
 * any %h/HostName mapping known so far).  A missing file is ERR_ERRNO
 * with errno ENOENT (callers ignore that for the default files).  flags:
 * READCONF_*.  Bad lines are logged; ERR_CONFIG_INVALID.
 */
int readconf_read_file(struct readconf *o, const char *path,
    const char *host, const struct readconf_ctx *ctx, int flags)
    must_check;
/* The same for a config held in a string (tests, fuzzing). */
int readconf_read_string(struct readconf *o, const char *name,
    const char *text, const char *host, const struct readconf_ctx *ctx,
    int flags) must_check;
/*
 * One -o option ("Port=2222"), as OpenSSH reads it: a line of file
 * "command-line" (no Host/Match/Include).  ERR_CONFIG_INVALID.
 */
int readconf_process_option(struct readconf *o, const char *line,
    const char *host, const struct readconf_ctx *ctx) must_check;

/*
 * After the last file: fill in defaults and do what ssh does to the
 * options before using them (and before -G prints them): HostName's %h,
 * User defaulting to the local user, ~/% expansion of UserKnownHostsFile
 * and ControlPath, default identity and known_hosts files, algorithm
 * lists resolved, UpdateHostKeys rules (have_command: a remote command
 * was given on the command line).  ERR_CONFIG_INVALID with a message
 * for values that cannot be used (e.g. a bad algorithm list).
 */
int readconf_finish(struct readconf *o, const struct readconf_ctx *ctx,
    int have_command) must_check;

/*
 * `ssh -G`: write the options to fp as lower-case "keyword value" lines
 * in OpenSSH 9.2's order and spelling.  0 or ERR_ERRNO.
 */
int readconf_dump(const struct readconf *o, FILE *fp) must_check;

/*
 * Expand an IdentityFile/CertificateFile/LocalCommand style string:
 * leading ~, then %d (home) %u (local user) %l %L (local host) %h (remote
 * host name) %r (remote user) %p (port) %n (original host) %i (uid)
 * %C (hash of %l%h%p%r) %%.  ERR_INVALID_FORMAT for an unknown escape.
 */
int readconf_expand(const struct readconf *o, const struct readconf_ctx *ctx,
    const char *s, int tilde, char **retp) must_check;

/*
 * Parse a LocalForward/RemoteForward/DynamicForward value (the words
 * after the keyword, joined by a space), as -L/-R/-D do: dynamic selects
 * the one-field form, remote allows a missing connect side.  0 with *fwd
 * filled (free with readconf_forward_clear) or ERR_INVALID_FORMAT.
 */
int readconf_parse_forward(struct readconf_forward *fwd, const char *spec,
    int dynamic, int remote) must_check;
void readconf_forward_clear(struct readconf_forward *fwd);

/* Parse a ProxyJump entry "[user@]host[:port]" or ssh:// URI. */
int readconf_parse_jump(const char *s, char **userp, char **hostp,
    int *portp) must_check;

#endif /* KEEL_READCONF_H */
