/*
 * auth2.h: the server side of the ssh-userauth service (RFC 4252), run by
 * sshd's pre-auth child after the first key exchange.
 *
 * The child parses every request; everything that decides (user lookup,
 * authorized_keys, signature verification, password check, the Banner
 * file, the user's Match-applied policy) is asked of the monitor through
 * monitor-wrap.h, so a compromised child cannot authenticate anyone.
 *
 * Methods: none (lists the methods that can continue), publickey (query
 * and signed request, RFC 4252 section 7, keys filtered by
 * PubkeyAcceptedAlgorithms), password (RFC 4252 section 8; a password
 * change request is refused).  USERAUTH_BANNER is sent once, before the
 * first failure, if the monitor returned banner text.  Failures are
 * counted as OpenSSH counts them (a "none" request and a publickey query
 * answered with PK_OK do not count; a refused query does); on
 * MaxAuthTries the child disconnects with
 * "Too many authentication failures" (reason NO_MORE_AUTH_METHODS_AVAILABLE).
 * Log lines as OpenSSH writes them (syslog parsers rely on them):
 *   "Invalid user %s from %s port %d"
 *   "Failed password for [invalid user ]%s from %s port %d ssh2"
 *   "Failed publickey for %s from %s port %d ssh2: %s %s" (type, SHA256 fp)
 *   "Accepted password for %s from %s port %d ssh2"
 *   "Accepted publickey for %s from %s port %d ssh2: %s %s"
 *   "Disconnecting authenticating user %s %s port %d: Too many
 *    authentication failures [preauth]"
 * A second USERAUTH_REQUEST naming another user or service is a protocol
 * error (disconnect PROTOCOL_ERROR), as are messages of the wrong phase.
 */
#ifndef KEEL_AUTH_AUTH2_H
#define KEEL_AUTH_AUTH2_H

#include <sys/types.h>
#include <pwd.h>

struct authopts;
struct ssh;

struct auth2_params {
	int monitor_fd;			/* the child's end (monitor-wrap.h) */
	const char *remote_ip;		/* for log lines */
	int remote_port;
	/* Seconds between USERAUTH failures' replies may be delayed; 0 none */
	u_int failure_delay_ms;
};

struct auth2_result {
	struct passwd *pw;		/* as the monitor showed it (pw_free) */
	char *method;			/* "publickey" or "password" */
	/* The authorized_keys options of the key used (publickey), or a
	 * fresh authopts_new() struct (password).  authopts_free(). */
	struct authopts *authopts;
};

/*
 * Serve SERVICE_REQUEST "ssh-userauth" and then USERAUTH_REQUESTs on a
 * keyed server transport (packet_fd_* I/O on its fds) until one
 * succeeds: USERAUTH_SUCCESS has then been sent and flushed, and *res is
 * filled.  0; ERR_CONN_CLOSED if the client went away; ERR_DISCONNECTED
 * after we disconnected (too many failures, protocol error); other
 * ERR_* codes for local failures.  The caller exits on any error.
 */
int auth2_server_run(struct ssh *ssh, const struct auth2_params *p,
    struct auth2_result *res)
    __attribute__((__warn_unused_result__));
/* Free what a result holds; zero it. */
void auth2_result_clear(struct auth2_result *res);

#endif /* KEEL_AUTH_AUTH2_H */
