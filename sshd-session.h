/*
 * sshd-session.h: the session channels of sshd's post-auth process
 * (internal to serverloop.c and sshd-session*.c).
 *
 * serverloop.c owns the poll loop and the channel manager; it hands every
 * incoming "session" CHANNEL_OPEN to session_open(), tells the sessions
 * about exited children (session_child_exited) and calls session_tick()
 * once per turn so that finished sessions send exit-status and close.
 */
#ifndef KEEL_SSHD_SESSION_H
#define KEEL_SSHD_SESSION_H

#include <sys/types.h>
#include <stddef.h>

struct channel;
struct channels;
struct server_ctx;
struct session_mgr;

/* At most this many env requests are kept per session. */
#define SESSION_MAX_ENV		128
/* The PATH sessions get (root gets SESSION_SUPERUSER_PATH). */
#define SESSION_USER_PATH	"/usr/local/bin:/usr/bin:/bin:/usr/games"
#define SESSION_SUPERUSER_PATH	"/usr/local/sbin:/usr/local/bin:" \
	"/usr/sbin:/usr/bin:/sbin:/bin"

int session_mgr_new(const struct server_ctx *ctx, struct channels *chans,
    struct session_mgr **smp)
    __attribute__((__warn_unused_result__));
/*
 * The connection is over: hang up the pty sessions' children still
 * running (SIGHUP to their process groups), write logout records, free
 * everything.
 */
void session_mgr_free(struct session_mgr *sm);

/*
 * An incoming session channel: sets its ops and confirms it, or refuses
 * it ("open failed", administratively prohibited) past MaxSessions.
 */
int session_open(struct session_mgr *sm, struct channel *ch)
    __attribute__((__warn_unused_result__));

/*
 * no-more-sessions@openssh.com: every later session open is refused
 * (and logged as a possible attack).
 */
void session_no_more(struct session_mgr *sm);

/* A child of ours ended (waitpid status); 1 if it was a session's. */
int session_child_exited(struct session_mgr *sm, pid_t pid, int status);

/*
 * Send exit-status / exit-signal and CLOSE for sessions whose child has
 * ended and whose output has all been sent; free finished sessions.
 */
int session_tick(struct session_mgr *sm)
    __attribute__((__warn_unused_result__));

/* Number of live sessions (for logs and tests). */
size_t session_count(const struct session_mgr *sm);

/* ---------------------------------------------------- sshd-session-fwd.c */

struct chan_open_info;
struct fwd_mgr;
struct pollfd;

int fwd_mgr_new(const struct server_ctx *ctx, struct fwd_mgr **fmp)
    __attribute__((__warn_unused_result__));
void fwd_mgr_free(struct fwd_mgr *fm);
/*
 * An incoming direct-tcpip channel: refused by policy, or connected
 * (confirmed or refused once the non-blocking connect ends).
 */
int fwd_direct_open(struct fwd_mgr *fm, struct channel *ch,
    const struct chan_open_info *info)
    __attribute__((__warn_unused_result__));
/* The connects in progress, for the poll loop. */
size_t fwd_poll_count(const struct fwd_mgr *fm);
size_t fwd_poll_prepare(struct fwd_mgr *fm, struct pollfd *pfd, size_t n);
int fwd_poll_handle(struct fwd_mgr *fm, const struct pollfd *pfd, size_t n)
    __attribute__((__warn_unused_result__));

/* ---------------------------------------------------- sshd-session-rfwd.c */

struct chan_global_request;
struct rfwd_mgr;

int rfwd_mgr_new(const struct server_ctx *ctx, struct channels *chans,
    struct rfwd_mgr **rmp)
    __attribute__((__warn_unused_result__));
/* Close every listener; pending forwarded-tcpip sockets too. */
void rfwd_mgr_free(struct rfwd_mgr *rm);
/*
 * tcpip-forward / cancel-tcpip-forward: 1 accepted (req->bound_port
 * set), 0 refused, or a negative code.
 */
int rfwd_global_request(struct rfwd_mgr *rm, struct chan_global_request *req)
    __attribute__((__warn_unused_result__));
/* The listening sockets, for the poll loop. */
size_t rfwd_poll_count(const struct rfwd_mgr *rm);
size_t rfwd_poll_prepare(struct rfwd_mgr *rm, struct pollfd *pfd, size_t n);
int rfwd_poll_handle(struct rfwd_mgr *rm, const struct pollfd *pfd,
    size_t n)
    __attribute__((__warn_unused_result__));

/* ---------------------------------------------------- sshd-session-child.c */

/* What the child of a session needs (all borrowed). */
struct session_child_args {
	const struct server_ctx *ctx;
	const char *command;		/* NULL: login shell */
	const char *original_command;	/* the client's, if overridden */
	int is_subsystem;
	int internal_sftp;		/* run sftp_server_main */
	const char *tty;		/* NULL without pty */
	const char *term;		/* pty-req TERM, or NULL */
	char *const *env;		/* accepted env "NAME=value" */
	size_t nenv;
	const char *lastlog_msg;	/* "Last login: ..." or "" */
};

/*
 * In the forked child, with stdin/out/err already set up: build the
 * environment, run the rc files, print motd and last login, chdir home
 * and exec the shell (or run internal-sftp).  Never returns.
 */
void session_child_exec(const struct session_child_args *a)
    __attribute__((__noreturn__));

/* The name of a signal for exit-signal ("TERM"), or NULL if unknown. */
const char *session_sig2name(int sig);
/* The signal of a name from a "signal" request, or -1. */
int session_name2sig(const char *name);

#endif /* KEEL_SSHD_SESSION_H */
