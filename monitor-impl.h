/*
 * monitor-impl.h: the monitor's state, shared by its source files
 * (monitor.c: table, life, dispatch, loops, LOG, PWNAM, SIGN, PTY;
 * monitor-auth.c: AUTHINFO, AUTHPASSWORD, KEYALLOWED, KEYVERIFY, STATE;
 * monitor-login.c: LOGIN, LOGOUT and the ttys).  Not for other code.
 */
#ifndef KEEL_MONITOR_IMPL_H
#define KEEL_MONITOR_IMPL_H

#include <sys/types.h>
#include <pwd.h>
#include <stdint.h>

#include "auth/auth-nologin.h"
#include "loginrec.h"
#include "monitor.h"

#define MONITOR_MAX_HOSTKEYS	16
#define MONITOR_DEFAULT_PTYS	10
/* Keys KEYALLOWED allowed that KEYVERIFY may use (the newest kept). */
#define MONITOR_MAX_ALLOWED	16
/* The largest publickey signed blob KEYVERIFY takes. */
#define MONITOR_MAX_VERIFY_DATA	(32 * 1024)

/* A key KEYALLOWED allowed: its blob and parsed options. */
struct mon_allowed {
	struct buf *blob;
	struct authopts *opts;
};

/* A tty handed out by PTY. */
struct mon_tty {
	char *name;
	pid_t pid;		/* of the session, once LOGIN ran */
	int logged_in;
};

struct monitor {
	int fd;
	u_int phase;
	struct monitor_options opts;
	struct monitor_hooks hooks;
	uint8_t used[256 / 8];		/* ONCE requests already made */
	/* The connection. */
	char *remote_ip;
	char *remote_host;
	int remote_port;
	/* Authentication. */
	char *user;			/* as the child named it */
	struct passwd *pw;		/* the real entry; NULL if invalid */
	struct monitor_authinfo ai;	/* the user's policy (AUTHINFO) */
	int nologin;			/* the nologin file refuses the user */
	char *nologin_msg;
	char *nologin_path;		/* NULL: AUTH_NOLOGIN_PATH */
	int auth_result;		/* set by AUTHDECIDE handlers */
	int authenticated;
	const char *auth_method;
	struct authopts *authopts;	/* of the authenticating method */
	u_int password_failures;
	struct mon_allowed allowed[MONITOR_MAX_ALLOWED];
	size_t nallowed;
	struct buf *state;		/* from STATE, for the session child */
	/* Host keys and the session they sign for. */
	struct key *hostkeys[MONITOR_MAX_HOSTKEYS];
	size_t nhostkeys;
	struct buf *session_id;
	/* Descriptors to send after the current answer. */
	int out_fds[2];
	size_t nout_fds;
	/* Ptys handed out. */
	struct mon_tty *ttys;
	size_t nttys;
	/* Login records (NULL members: the system's files). */
	char *lr_utmp, *lr_wtmp, *lr_lastlog;
};

/* For log lines: the client's address and port. */
const char *mon_remote_ip(const struct monitor *m);

/* monitor-auth.c */
int mon_authinfo(struct monitor *, struct buf *, struct buf *);
int mon_authpassword(struct monitor *, struct buf *, struct buf *);
int mon_keyallowed(struct monitor *, struct buf *, struct buf *);
int mon_keyverify(struct monitor *, struct buf *, struct buf *);
int mon_state(struct monitor *, struct buf *, struct buf *);
/* The policy without a user_config hook, from the options. */
int mon_authinfo_default(struct monitor *m) must_check;
/* Free the allowed keys and the result of authentication. */
void mon_auth_free(struct monitor *m);

/* monitor-login.c */
int mon_login(struct monitor *, struct buf *, struct buf *);
int mon_logout(struct monitor *, struct buf *, struct buf *);
/* Remember a tty PTY handed out. */
int mon_remember_tty(struct monitor *m, const char *name) must_check;
/* Logout records and pty_release() for every tty still held. */
void mon_release_ttys(struct monitor *m);

#endif /* KEEL_MONITOR_IMPL_H */
