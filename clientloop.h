/*
 * clientloop.h: ssh's side of the connection protocol after
 * authentication: one session channel (shell, command or subsystem),
 * pty allocation per -t/-T/RequestTTY, SendEnv/SetEnv, the local tty in
 * raw mode (restored on every exit path), SIGWINCH, escape sequences
 * (~. ~^Z ~# ~? ~~ ~C basics, ~& not needed), ServerAlive keepalives,
 * rekeying, and stdin/stdout/stderr plumbing with correct EOF handling.
 */
#ifndef KEEL_CLIENTLOOP_H
#define KEEL_CLIENTLOOP_H

#include <sys/types.h>

struct readconf;
struct ssh;

struct client_session_opts {
	const struct readconf *cfg;	/* effective ssh_config */
	const char *command;		/* NULL or "": the login shell */
	int subsystem;			/* -s: command names a subsystem */
	int want_tty;			/* 1: send pty-req (ssh.c applied
					 * -t/-T/RequestTTY and isatty) */
	int no_session;			/* -N: no session channel at all */
	int stdin_null;			/* -n (or -f): stdin from /dev/null */
	int escape_char;		/* -1 none; else the character */
	int quiet;			/* -q */
	const char *host;		/* for messages ("Connection to %s
					 * closed.") */
};

/*
 * Run the session until it ends.  *exit_statusp gets what ssh exits
 * with: the remote exit-status; 255 when the connection was lost, the
 * remote command died of a signal (after printing nothing, as OpenSSH),
 * or ~. was used.  0 when the loop ran to its end (whatever the
 * remote status); a negative ERR_* code when it failed locally (already
 * reported on stderr/log; the caller exits 255).
 */
int client_loop_run(struct ssh *ssh, const struct client_session_opts *o,
    int *exit_statusp)
    __attribute__((__warn_unused_result__));

#endif /* KEEL_CLIENTLOOP_H */
