/*
 * sshconnect.h: the ssh client up to an authenticated connection.
 *
 *   sshconnect.c     TCP connection (AddressFamily, ConnectTimeout,
 *                    ConnectionAttempts) or ProxyCommand, then the
 *                    version exchange and first key exchange
 *   sshconnect-hk.c  the server's host key against known_hosts
 *                    (StrictHostKeyChecking, HostKeyAlias, CheckHostIP,
 *                    HashKnownHosts), with OpenSSH's messages
 *   sshconnect2.c    user authentication (RFC 4252): none, publickey
 *                    (agent and identity files), password and
 *                    keyboard-interactive (RFC 4256)
 *   readpass.c       questions to the user (/dev/tty or SSH_ASKPASS)
 *
 * Program code (part of ssh, not libssh.a): may use xmalloc and log;
 * it never exits by itself, errors are returned as negative ERR_* codes
 * after a message has been printed.
 */
#ifndef KEEL_SSHCONNECT_H
#define KEEL_SSHCONNECT_H

#include <sys/types.h>
#include <sys/socket.h>

struct key;
struct readconf;
struct readconf_ctx;
struct ssh;

/* Where we are connected and how. */
struct sshconnect {
	const struct readconf *cfg;
	const struct readconf_ctx *ctx;	/* for %-expansion */
	const char *host;	/* the host name connected to (HostName) */
	int port;
	int fd_in, fd_out;	/* the same socket, or the proxy's pipes */
	pid_t proxy_pid;	/* ProxyCommand child, or -1 */
	char ip[64];		/* numeric peer address; "" behind a proxy */
	struct sockaddr_storage addr;
	socklen_t addrlen;
	int quiet;		/* -q */
	/* Set by host key checking: a changed key was accepted (Strict-
	 * HostKeyChecking no), so no passwords may be sent. */
	int hostkey_changed;
	/* Set when host key verification refused the key. */
	int hostkey_failed;
};

/*
 * Connect to c->host:c->port, directly or through the ProxyCommand (run
 * with /bin/sh -c after %h %p %r %n %% expansion).  Fills fd_in, fd_out,
 * proxy_pid, ip, addr.  Messages as OpenSSH: "ssh: connect to host %s
 * port %d: %s".
 */
int sshconnect_open(struct sshconnect *c) must_check;

/*
 * Version exchange and the first key exchange with the algorithms of
 * the configuration, verifying the host key (sshconnect_verify_hostkey).
 * *sshp is the new connection.  "Host key verification failed." is
 * printed when the host key was refused.
 */
int sshconnect_kex(struct sshconnect *c, struct ssh **sshp) must_check;

/*
 * After a failure of sshconnect_kex() or sshconnect_userauth(): print
 * why, unless that has been logged already.
 */
void sshconnect_report_error(const struct sshconnect *c, struct ssh *ssh,
    int r);

/* Kill and reap the ProxyCommand, close the descriptors. */
void sshconnect_close(struct sshconnect *c);

/*
 * The host key policy (kex_verify_fn): 0 to go on, or a negative code
 * after printing why not.
 */
int sshconnect_verify_hostkey(struct ssh *ssh, const struct key *hostkey,
    void *ctx);

/*
 * The HostKeyAlgorithms to offer: the configured list, with algorithms
 * of key types already known for this host moved to the front (as
 * OpenSSH does, so a known host is not met with an unknown key type).
 * New string.
 */
char *sshconnect_hostkey_order(const struct sshconnect *c);

/*
 * User authentication as server_user.  0 once the server said SUCCESS;
 * ERR_KEY_NOT_FOUND after "user@host: Permission denied (methods)."
 * has been printed; another negative code on connection errors.
 * *methodp (if not NULL) gets the method that succeeded (static).
 */
int sshconnect_userauth(struct sshconnect *c, struct ssh *ssh,
    const char *server_user, const char **methodp) must_check;

/* ---------------------------------------------------------- readpass.c */

#define READPASS_ECHO		0x01	/* show what is typed */
#define READPASS_CONFIRM	0x02	/* a yes/no question (askpass hint) */

/*
 * Ask the user through /dev/tty, or SSH_ASKPASS when there is no
 * terminal and $DISPLAY is set or SSH_ASKPASS_REQUIRE says so (as
 * OpenSSH's read_passphrase).  New string (free with readpass_free),
 * or NULL when nothing could be asked or read.
 */
char *readpass(const char *prompt, int flags);
void readpass_free(char *s);

#endif /* KEEL_SSHCONNECT_H */
