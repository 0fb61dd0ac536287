/*
 * sshd.h: the pieces of the sshd program (sshd.c, sshd-listen.c,
 * sshd-conn.c, sshd-preauth.c, sshd-postauth.c, sshd-hooks.c); not a
 * library interface.
 *
 * Process model (DESIGN.md section 2):
 *
 *   listener (sshd-listen.c): binds, accepts, applies MaxStartups, and
 *	for each connection forks a child that re-executes sshd with -R.
 *	The re-executed process finds
 *	    fd 0 and 1		the connection
 *	    fd 2		stderr (or /dev/null once daemonised)
 *	    SSHD_REEXEC_CONFIG_FD  a pipe carrying the config text
 *				(servconf_text_serialise), read to EOF
 *	    SSHD_REEXEC_STARTUP_FD the write end of the listener's startup
 *				pipe: closed once the user is authenticated
 *				(or the connection ends), which is how the
 *				listener counts unauthenticated connections
 *   connection process (sshd-conn.c): the monitor, root; evaluates the
 *	config for the connection, loads the host keys, forks
 *   pre-auth child (sshd-preauth.c): privsep user, chroot, sandbox;
 *	transport + userauth, then hands the transport state over;
 *   session child (sshd-postauth.c): the user; server_loop_run().
 *
 * With -d there is no fork and no re-exec: the listener serves one
 * connection itself (as OpenSSH's -d -r).  With -i the connection is on
 * stdin/stdout and there is no listener.
 */
#ifndef KEEL_SSHD_H
#define KEEL_SSHD_H

#include <sys/types.h>
#include <netdb.h>
#include <pwd.h>

#include "log.h"
#include "monitor-keys.h"
#include "sandbox.h"

struct buf;
struct key;
struct monitor;
struct servconf;
struct servconf_conn;
struct servconf_text;

#define SSHD_REEXEC_CONFIG_FD	3
#define SSHD_REEXEC_STARTUP_FD	4
/* The largest config text the re-executed process accepts. */
#define SSHD_MAX_CONFIG_TEXT	(4 * 1024 * 1024)
/* The largest ModuliFile read. */
#define SSHD_MAX_MODULI		(4 * 1024 * 1024)
/* The largest Banner file sent. */
#define SSHD_MAX_BANNER		(64 * 1024)

/* The command line, parsed. */
struct sshd_opts {
	const char *config_file;
	int debug;		/* -d count */
	int no_daemon;		/* -D */
	int log_stderr;		/* -e */
	const char *log_file;	/* -E */
	int quiet;		/* -q */
	int test;		/* 1: -t, 2: -T */
	const char *test_spec;	/* -C */
	int inetd;		/* -i */
	int rexeced;		/* -R (internal) */
	int obsolete;		/* 1: -b, 2: -k seen (ignored) */
	/* -o, -p, -h, -g, -4, -6 as config lines, in order. */
	char **cfg_lines;
	int *cfg_ports;		/* -p ports (servconf_text_add_port) */
	size_t ncfg_lines, ncfg_ports;
	int argc;
	char **argv;		/* as given, for re-exec */
};

/* What every connection process needs. */
struct sshd_ctx {
	const struct sshd_opts *opts;
	const struct servconf_text *text;
	const struct servconf *global;	/* evaluated without a conn */
	int startup_fd;			/* see above; -1 if none */
	enum sandbox_kind sandbox;
	LogLevel log_level;		/* what the command line forced */
};

/* One connection, as its monitor sees it (sshd-conn.c and friends). */
#define SSHD_MAX_HOSTKEYS	16
struct sshd_conn {
	struct sshd_ctx *ctx;
	int sock_in, sock_out;
	char remote_ip[NI_MAXHOST];
	int remote_port;
	char local_ip[NI_MAXHOST];
	int local_port;
	char *remote_host;		/* the UseDNS name, else the address */
	struct servconf_conn *conn;	/* for Match */
	struct servconf *cfg;		/* the connection's options */
	struct servconf *ucfg;		/* with Match User (at PWNAM) */
	struct key *pubkeys[SSHD_MAX_HOSTKEYS];	/* host keys' public halves */
	size_t npubkeys;
	char *hostkey_algs;		/* what the loaded keys can sign */
	char *moduli_text;		/* ModuliFile's contents; NULL: none */
	struct passwd *privpw;		/* the privsep user (NULL: not root) */
	struct monitor *m;
	int monfd;			/* the monitor's end */
	int child_monfd;		/* a child's end (in the child) */
	struct monitor_authkeys authkeys;
	pid_t child;
};

/* sshd-conn.c: what the monitor enforces of a config. */
struct monitor_options;
void sshd_monitor_options(const struct servconf *cfg,
    struct monitor_options *mo);

/* sshd-hooks.c: the monitor hooks (user_config, key_allowed). */
void sshd_hooks_install(struct sshd_conn *c);
/* sshd-preauth.c: kex callbacks (ctx: the sshd_conn) signing by mm_sign. */
struct ssh;
int sshd_cb_get_hostkey(struct ssh *ssh, const char *alg,
    const struct key **pubp, void *ctx);
int sshd_cb_sign(struct ssh *ssh, const struct key *pub, const char *alg,
    const u_char *data, size_t dlen, u_char **sigp, size_t *siglenp,
    void *ctx);
/* sshd-preauth.c: the pre-auth child, on its monitor socket fd. */
void sshd_preauth_child(struct sshd_conn *c, int fd)
    __attribute__((__noreturn__));
/* sshd-postauth.c: the session child (state: the transport, owned). */
void sshd_session_child(struct sshd_conn *c, int fd, struct buf *state)
    __attribute__((__noreturn__));

/* sshd.c: logging as the command line and config say. */
void sshd_log_setup(const struct sshd_opts *o, const struct servconf *cfg,
    int to_stderr);

/* sshd-listen.c: bind, accept, fork and re-exec; never returns. */
void sshd_listen_run(struct sshd_ctx *ctx) __attribute__((__noreturn__));

/*
 * sshd-conn.c: serve one connection on sock_in/sock_out as its monitor;
 * exits when done.
 */
void sshd_conn_run(struct sshd_ctx *ctx, int sock_in, int sock_out)
    __attribute__((__noreturn__));

#endif /* KEEL_SSHD_H */
