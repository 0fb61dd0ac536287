/*
 * monitor-wrap.h: the unprivileged side's typed calls to the monitor
 * (monitor.h has the message formats).
 *
 * Each call sends one request on fd (the child's end of the socketpair)
 * and reads the answer, which must be of the expected type and parse
 * exactly.  int results are 0 or a negative ERR_* code: the buffer
 * type's parse errors, ERR_PROTOCOL_ERROR for an answer of the wrong
 * type, ERR_CONN_CLOSED if the monitor is gone.  The child treats any
 * error as fatal.
 */
#ifndef KEEL_MONITOR_WRAP_H
#define KEEL_MONITOR_WRAP_H

#include <sys/types.h>
#include <pwd.h>
#include <stddef.h>

#include "log.h"

struct buf;
struct key;
struct monitor_authinfo;

/*
 * The user's entry as the monitor shows it (pw_passwd "*"; an invalid
 * user gets a made-up entry).  Free with pw_free().  Allowed once.
 */
int mm_getpwnam(int fd, const char *user, struct passwd **pwp)
    __attribute__((__warn_unused_result__));

/* Ask the monitor to check a password; *authenticatedp 0/1. */
int mm_auth_password(int fd, const char *password, int *authenticatedp)
    __attribute__((__warn_unused_result__));

/*
 * Is key in the user's authorized_keys?  *allowedp 0/1; if opts is not
 * NULL it receives the key's options as the checker encoded them.
 */
int mm_key_allowed(int fd, const struct key *key, int *allowedp,
    struct buf *opts)
    __attribute__((__warn_unused_result__));

/*
 * Sign data with the host key whose public half is hostkey, using alg
 * (NULL for the key's default).  *sigp (length *lenp) is the SSH
 * signature blob, for the caller to free.
 */
int mm_sign(int fd, const struct key *hostkey, const char *alg,
    const u_char *data, size_t dlen, u_char **sigp, size_t *lenp)
    __attribute__((__warn_unused_result__));

/*
 * A pty from the monitor (post-auth): *ptyfd, *ttyfd and the tty's name
 * in name.  ERR_NOT_FOUND if the monitor refused (too many ptys, or
 * allocation failed).
 */
int mm_pty_allocate(int fd, int *ptyfd, int *ttyfd, char *name,
    size_t namelen)
    __attribute__((__warn_unused_result__));

/* The user's policy after Match (AUTHINFO); monitor_authinfo_clear(). */
int mm_auth_info(int fd, struct monitor_authinfo *ai)
    __attribute__((__warn_unused_result__));
void monitor_authinfo_clear(struct monitor_authinfo *ai);

/*
 * Have the monitor verify a publickey USERAUTH_REQUEST signature (data is
 * the RFC 4252 section 7 signed blob); *verifiedp 0/1.  1 means the
 * monitor now considers the user authenticated.
 */
int mm_key_verify(int fd, const struct key *key, const u_char *data,
    size_t dlen, const u_char *sig, size_t siglen, int *verifiedp)
    __attribute__((__warn_unused_result__));

/* Hand the transport state (packet_state_serialize) to the monitor. */
int mm_send_state(int fd, const struct buf *state)
    __attribute__((__warn_unused_result__));

/*
 * Post-auth: login/logout records for a tty the monitor gave us (LOGOUT
 * also releases the tty).  ERR_NOT_FOUND if the monitor could not write
 * the records; a tty that is not ours ends the monitor.
 */
int mm_record_login(int fd, const char *tty, pid_t pid)
    __attribute__((__warn_unused_result__));
int mm_record_logout(int fd, const char *tty)
    __attribute__((__warn_unused_result__));

/* Send one log line to the monitor (no answer). */
int mm_send_log(int fd, LogLevel level, const char *msg)
    __attribute__((__warn_unused_result__));

/*
 * A log_handler_fn forwarding the child's log lines to the monitor:
 * install with log_set_handler(mm_log_handler, &fd), where fd (an int)
 * outlives the handler.  A line that cannot be sent is dropped.
 */
void mm_log_handler(LogLevel level, int forced, const char *msg, void *ctx);

#endif /* KEEL_MONITOR_WRAP_H */
