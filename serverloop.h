/*
 * serverloop.h: sshd's post-authentication session child: the
 * connection protocol (RFC 4254) on the keyed transport, with the
 * sessions (exec, shell, subsystem incl. internal-sftp, pty, env,
 * signals, exit-status/exit-signal), keepalives and rekeying.
 *
 * It runs in a process that is already the authenticated user
 * (setgid, initgroups, setuid done and verified by sshd-conn); the
 * monitor (root) is reachable on monitor_fd for ptys and login records
 * (monitor-wrap.h: mm_pty_allocate, mm_record_login, mm_record_logout).
 */
#ifndef KEEL_SERVERLOOP_H
#define KEEL_SERVERLOOP_H

#include <sys/types.h>
#include <pwd.h>

struct authopts;
struct servconf;
struct ssh;

struct server_ctx {
	struct ssh *ssh;		/* keyed, authenticated; fds set */
	int monitor_fd;			/* post-auth monitor socket */
	const struct servconf *cfg;	/* evaluated for this user/conn */
	const struct passwd *pw;	/* the user's full entry */
	const struct authopts *authopts; /* never NULL */
	const char *remote_ip;
	int remote_port;
	const char *local_ip;
	int local_port;
};

/*
 * Run the connection until the client disconnects or the last channel
 * closes after the client asked nothing more (as OpenSSH: the
 * connection ends when the client closes it).  Disconnects itself on
 * protocol errors (with the reason and a log line) and on
 * ClientAliveCountMax unanswered keepalives ("Timeout, client not
 * responding from user %s %s port %d").  0 for a normal end, else a
 * negative ERR_* code (already logged).
 */
int server_loop_run(const struct server_ctx *ctx)
    __attribute__((__warn_unused_result__));

#endif /* KEEL_SERVERLOOP_H */
