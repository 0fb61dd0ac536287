/*
 * loginrec.h: login records for pty sessions: utmp (who is logged in
 * now), wtmp (the history, last(1)) and lastlog (each user's last
 * login, shown at the next one).
 *
 * Only the monitor writes them (it is root).  Paths are injectable so
 * tests can use their own files; a NULL path (or NULL paths) means the
 * system's file.  A record file that does not exist is one the system
 * does not keep (as login(1) treats it): it is skipped, with a debug
 * line.  int results are 0 or a negative ERR_* code; when one record
 * cannot be written the others are still tried, and the first error is
 * returned.
 */
#ifndef KEEL_LOGINREC_H
#define KEEL_LOGINREC_H

#include <sys/types.h>
#include <sys/socket.h>
#include <stddef.h>
#include <time.h>

struct loginrec_paths {
	const char *utmp;	/* NULL: _PATH_UTMPX */
	const char *wtmp;	/* NULL: _PATH_WTMPX */
	const char *lastlog;	/* NULL: _PATH_LASTLOG */
};

/* One session's record. */
struct loginrec {
	pid_t pid;		/* the session's process */
	uid_t uid;
	const char *user;
	const char *tty;	/* "/dev/pts/3" or "pts/3" */
	const char *host;	/* the peer's name or address, may be NULL */
	const struct sockaddr *addr;	/* the peer's address, may be NULL */
	socklen_t addrlen;
	time_t when;		/* 0: now */
};

/* What lastlog remembers of a user's last login. */
struct loginrec_last {
	time_t when;
	char line[64];
	char host[320];
};

/* A login: a USER_PROCESS entry in utmp and wtmp, and lastlog. */
int loginrec_login(const struct loginrec_paths *paths,
    const struct loginrec *rec)
    __attribute__((__warn_unused_result__));

/* The session ended: a DEAD_PROCESS entry in utmp and wtmp. */
int loginrec_logout(const struct loginrec_paths *paths,
    const struct loginrec *rec)
    __attribute__((__warn_unused_result__));

/*
 * uid's last login from lastlog: *foundp 0 if there is none (then *last
 * is zeroed).
 */
int loginrec_lastlog_get(const struct loginrec_paths *paths, uid_t uid,
    struct loginrec_last *last, int *foundp)
    __attribute__((__warn_unused_result__));

#endif /* KEEL_LOGINREC_H */
