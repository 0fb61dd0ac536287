/*
 * monitor.h: sshd's privileged monitor (DESIGN.md section 2, STYLE.md
 * rule 15) and the message protocol it shares with monitor-wrap.h.
 *
 * One monitor runs as root per connection.  It holds the host private
 * keys and alone looks at the user database, passwords and ptys; the
 * unprivileged child asks it over a socketpair.
 *
 * Wire: every message is
 *	uint32	length of what follows (1..MONITOR_MAX_MSG)
 *	byte	type (enum monitor_msg_type)
 *	byte[]	body, built and parsed with the buf type
 * A request whose answer carries descriptors is followed, after the
 * answer message, by each descriptor (monitor_fdpass.h).
 *
 * The monitor serves a table of requests (monitor.c), each with:
 *	phases	the bitmask of phases in which it is allowed
 *	ONCE	may be made only once per connection
 *	NEEDUSER needs the user named by an earlier PWNAM
 *	AUTHDECIDE its answer may authenticate the user
 *	NOANSWER has no answer message
 * It re-validates every field of every request (lengths, ranges, no
 * trailing bytes).  Any request that is unknown, malformed, not allowed
 * in the current phase, a repeated ONCE request, or too large is a sign
 * of a compromised child, and the monitor ends with fatal().
 *
 * Requests and answers (all integers uint32 unless said):
 *   LOG          level, string message                (no answer)
 *   PWNAM        string user
 *     answer     passwd: string name, string "*", uid, gid,
 *                string gecos (""), string dir, string shell; an
 *                invalid user gets a made-up entry of the same shape
 *   AUTHPASSWORD string password
 *     answer     authenticated (0/1)
 *   KEYALLOWED   kind (MONITOR_KEY_USER), string public key blob
 *     answer     allowed (0/1), string options (opaque: what the
 *                authorized_keys checker returned for the key)
 *   SIGN         string host public key blob, string algorithm ("" for
 *                the key's default), string data
 *     answer     string signature
 *     pre-auth:  data must be an exchange hash (20, 32, 48 or 64
 *                bytes); the first one is remembered as the session id;
 *     post-auth: data must be a rekey's exchange hash (as pre-auth,
 *                once a session id is known) or string
 *                "hostkeys-prove-00@openssh.com", string session id,
 *                string that same host key blob.
 *   PTY          (empty)
 *     answer     ok (0/1), string tty name; when ok, followed by two
 *                descriptors: the pty master, then the tty.
 *   AUTHINFO     (empty)                     [pre-auth, NEEDUSER, ONCE]
 *     answer     uint32 pubkey_authentication, uint32
 *                password_authentication, uint32 permit_empty_passwords,
 *                uint32 max_auth_tries, string pubkey_accepted_algorithms,
 *                string banner text ("" for none): the user's policy
 *                after Match (what the user_config hook gave at PWNAM)
 *   KEYVERIFY    string key blob, string signed data, string signature
 *     answer     verified (0/1)          [pre-auth, NEEDUSER, AUTHDECIDE]
 *                The key must have been allowed by an earlier KEYALLOWED
 *                of this connection; data must be exactly an RFC 4252
 *                section 7 publickey request: string session id (the one
 *                remembered at the first SIGN), byte 50, string user (the
 *                PWNAM user), string "ssh-connection", string "publickey",
 *                bool TRUE, string algorithm (allowed by the policy and
 *                of the key's type), string the same key blob.
 *   STATE        string transport state (packet_state_serialize)
 *     answer     (empty)          [pre-auth, ONCE, only once authenticated]
 *                The monitor keeps it for the session child
 *                (monitor_take_state).
 *   LOGIN        string tty, uint32 pid of the session's process
 *     answer     ok (0/1)                                  [post-auth]
 *                Writes the utmp/wtmp/lastlog login record for a tty
 *                this monitor allocated, with the user and remote host.
 *   LOGOUT       string tty
 *     answer     ok (0/1)                                  [post-auth]
 *                Logout record and pty_release() for such a tty; ttys
 *                still held when the monitor is freed get the same.
 */
#ifndef KEEL_MONITOR_H
#define KEEL_MONITOR_H

#include <sys/types.h>
#include <pwd.h>
#include <stddef.h>
#include <stdint.h>

struct authopts;
struct buf;
struct key;
struct monitor;

/* The largest message (after the length field) either side accepts. */
#define MONITOR_MAX_MSG		(256 * 1024)
/* Caps on single fields. */
#define MONITOR_MAX_USER	256
#define MONITOR_MAX_PASSWORD	1024
#define MONITOR_MAX_LOG		2048
#define MONITOR_MAX_SIGN_DATA	1024

enum monitor_msg_type {
	MONITOR_REQ_LOG = 1,
	MONITOR_REQ_PWNAM = 2,
	MONITOR_ANS_PWNAM = 3,
	MONITOR_REQ_AUTHPASSWORD = 4,
	MONITOR_ANS_AUTHPASSWORD = 5,
	MONITOR_REQ_KEYALLOWED = 6,
	MONITOR_ANS_KEYALLOWED = 7,
	MONITOR_REQ_SIGN = 8,
	MONITOR_ANS_SIGN = 9,
	MONITOR_REQ_PTY = 10,
	MONITOR_ANS_PTY = 11,
	MONITOR_REQ_AUTHINFO = 12,
	MONITOR_ANS_AUTHINFO = 13,
	MONITOR_REQ_KEYVERIFY = 14,
	MONITOR_ANS_KEYVERIFY = 15,
	MONITOR_REQ_STATE = 16,
	MONITOR_ANS_STATE = 17,
	MONITOR_REQ_LOGIN = 18,
	MONITOR_ANS_LOGIN = 19,
	MONITOR_REQ_LOGOUT = 20,
	MONITOR_ANS_LOGOUT = 21
};

/* KEYALLOWED kinds. */
#define MONITOR_KEY_USER	1

/* Phases (a bitmask in the request table). */
#define MON_PHASE_PREAUTH	0x01	/* before the user is authenticated */
#define MON_PHASE_POSTAUTH	0x02	/* serving the session child */

/* Request flags. */
#define MON_ONCE		0x01
#define MON_NEEDUSER		0x02
#define MON_AUTHDECIDE		0x04
#define MON_NOANSWER		0x08

/* One row of the request table. */
struct monitor_request {
	uint8_t type;
	uint8_t answer;		/* answer type (0 with MON_NOANSWER) */
	u_int phases;		/* MON_PHASE_* allowed */
	u_int flags;		/* MON_* */
	const char *name;
	int (*handler)(struct monitor *m, struct buf *req, struct buf *ans);
};

/* The row for a request type; NULL if there is none. */
const struct monitor_request *monitor_request_lookup(uint8_t type);

/* ------------------------------------------------------------ policy */

enum monitor_permit_root {
	MONITOR_ROOT_NO,		/* PermitRootLogin no */
	MONITOR_ROOT_FORCED_ONLY,	/* forced-commands-only */
	MONITOR_ROOT_NO_PASSWORD,	/* prohibit-password */
	MONITOR_ROOT_YES		/* yes */
};

/*
 * The parts of sshd_config the monitor enforces itself, so that a
 * compromised child cannot skip them.
 */
struct monitor_options {
	int password_authentication;
	int permit_empty_passwords;
	int pubkey_authentication;
	enum monitor_permit_root permit_root_login;
	/* Password failures after which another password request is a
	 * violation (the child should have disconnected); 0: no cap. */
	u_int max_auth_tries;
	/* Ptys one connection may hold (MaxSessions); 0: 10. */
	u_int max_ptys;
};

/* The user's authentication policy (AUTHINFO), from the user_config hook. */
struct monitor_authinfo {
	int pubkey_authentication;
	int password_authentication;
	int permit_empty_passwords;
	u_int max_auth_tries;
	char *pubkey_accepted_algorithms;	/* NULL: the defaults */
	char *banner;				/* NULL or "": none */
};

/*
 * What the monitor does to the system, behind function pointers so tests
 * and the fuzzer can stand in for it.  monitor_new() installs the real
 * ones (monitor_default_hooks); a NULL key_allowed refuses every key.
 * Each gets the ctx of the hooks structure.
 */
struct monitor_hooks {
	/* The user's entry as a copy (pw_dup) or NULL if none. */
	struct passwd *(*getpwnam)(const char *user, void *ctx);
	/* 1 if an existing user may log in at all (shell, account status). */
	int (*user_allowed)(const struct passwd *pw, void *ctx);
	/* auth_password() semantics; pw NULL for an invalid user. */
	int (*auth_password)(const struct passwd *pw, const char *password,
	    int permit_empty, int *okp, void *ctx);
	/*
	 * Is key in pw's authorized_keys?  *allowedp 0/1; on a match the
	 * checker may append the key's options, in its own encoding, to
	 * opts (handed to the child, kept by the monitor).
	 */
	int (*key_allowed)(const struct passwd *pw, const struct key *key,
	    int *allowedp, struct buf *opts, void *ctx);
	/* A pty for pw: master, tty and its name (owner already set). */
	int (*pty_allocate)(const struct passwd *pw, int *ptyfd, int *ttyfd,
	    char *name, size_t namelen, void *ctx);
	/*
	 * At PWNAM: the connection's config evaluated for this user (Match
	 * User/Group/Host/Address applied; pw NULL for an invalid user).
	 * Fills *mo (the monitor enforces it from then on) and *ai (the
	 * AUTHINFO answer; the monitor takes ownership of its strings and
	 * reads the Banner file here, as root, before any auth request).
	 * NULL: keep the options given to monitor_new, no banner.
	 */
	int (*user_config)(const char *user, const struct passwd *pw,
	    struct monitor_options *mo, struct monitor_authinfo *ai,
	    void *ctx);
	void *ctx;
};

/* The real hooks: getpwnam, shell and account checks, auth_password,
 * no key checker, pty_allocate + pty_setowner. */
extern const struct monitor_hooks monitor_default_hooks;

/* ------------------------------------------------------------ life */

/*
 * A monitor serving the child on fd (its end of the socketpair), in the
 * pre-auth phase, with the real hooks.  fd may be -1 for callers that
 * only use monitor_dispatch().
 */
int monitor_new(int fd, const struct monitor_options *opts,
    struct monitor **mp)
    __attribute__((__warn_unused_result__));
/* Free everything, wiping keys and passwords; closes nothing. */
void monitor_free(struct monitor *m);
void monitor_set_hooks(struct monitor *m, const struct monitor_hooks *h);
/*
 * Hand a host private key to the monitor (it takes ownership).  The
 * first call also makes the process undumpable (PR_SET_DUMPABLE 0).
 */
int monitor_add_host_key(struct monitor *m, struct key *k)
    __attribute__((__warn_unused_result__));
/* Switch phase (MON_PHASE_POSTAUTH once the session child takes over). */
void monitor_set_phase(struct monitor *m, u_int phase);
u_int monitor_phase(const struct monitor *m);
/* 1 once an AUTHDECIDE request has authenticated the user. */
int monitor_authenticated(const struct monitor *m);
/* The authenticated-for user's full entry; NULL if none or invalid. */
const struct passwd *monitor_user(const struct monitor *m);
/*
 * The client's address and port (for log lines and login records) and
 * the remote host name for utmp (the address unless UseDNS resolved it).
 */
int monitor_set_conn(struct monitor *m, const char *remote_ip,
    int remote_port, const char *remote_host)
    __attribute__((__warn_unused_result__));
/*
 * The nologin file checked at PWNAM (NULL: AUTH_NOLOGIN_PATH).  While it
 * exists every user but root is refused: the file's text becomes the
 * AUTHINFO banner and no request can authenticate the user.
 */
int monitor_set_nologin_path(struct monitor *m, const char *path)
    __attribute__((__warn_unused_result__));
/* The files LOGIN/LOGOUT write (loginrec.h; copied; NULL: the system's). */
struct loginrec_paths;
int monitor_set_loginrec_paths(struct monitor *m,
    const struct loginrec_paths *paths)
    __attribute__((__warn_unused_result__));
/*
 * The transport state the child sent with STATE; the caller owns it.
 * ERR_NOT_FOUND if none came yet.
 */
int monitor_take_state(struct monitor *m, struct buf **statep)
    __attribute__((__warn_unused_result__));
/*
 * The options of the key that authenticated the user (publickey), or a
 * fresh authopts for password; owned by the monitor.  NULL before
 * authentication.
 */
const struct authopts *monitor_authopts(const struct monitor *m);
/* The method that authenticated the user ("publickey", "password"). */
const char *monitor_auth_method(const struct monitor *m);

/* ------------------------------------------------------------ serving */

/*
 * Check and run one request of the given type and body against the
 * table: ans receives the answer body, *anstypep its type (0 when the
 * request has no answer).  Descriptors to send after the answer are
 * left in the monitor (monitor_take_fds).  0, or a negative ERR_* code
 * for a request the monitor must refuse: ERR_PROTOCOL_ERROR (unknown,
 * wrong phase, repeated, no user yet, too many attempts), and the
 * parse errors of the buffer type for malformed bodies.  The monitor
 * loop turns any error into fatal(); the fuzzer calls this directly.
 */
int monitor_dispatch(struct monitor *m, uint8_t type, struct buf *req,
    struct buf *ans, uint8_t *anstypep)
    __attribute__((__warn_unused_result__));
/*
 * The descriptors the last request left to send (at most 2); the
 * caller now owns them.  Returns how many.
 */
size_t monitor_take_fds(struct monitor *m, int *fds, size_t maxfds);

/*
 * Read one message from the child, dispatch it, send the answer and any
 * descriptors.  0, or ERR_CONN_CLOSED when the child closed its end
 * cleanly.  Anything else is fatal() (the monitor's job ends there).
 */
int monitor_process_one(struct monitor *m)
    __attribute__((__warn_unused_result__));
/*
 * Serve until the user is authenticated (0) or the child goes away
 * (ERR_CONN_CLOSED).  The caller then switches phase.
 */
int monitor_loop(struct monitor *m)
    __attribute__((__warn_unused_result__));
/* Serve until the child goes away (post-auth): then 0. */
int monitor_loop_until_closed(struct monitor *m)
    __attribute__((__warn_unused_result__));

/* ------------------------------------------------------------ wire */

/*
 * Send one message (type, body) on fd.  0, ERR_CONN_CLOSED,
 * ERR_ERRNO, ERR_INVALID_ARGUMENT (body too large).
 */
int monitor_msg_send(int fd, uint8_t type, const struct buf *body)
    __attribute__((__warn_unused_result__));
/*
 * Receive one message from fd: its type in *typep, its body replacing
 * body's contents.  0; ERR_CONN_CLOSED at end of file before a message;
 * ERR_MESSAGE_INCOMPLETE at end of file inside one;
 * ERR_INVALID_FORMAT for a length of 0 or over MONITOR_MAX_MSG;
 * ERR_ERRNO.
 */
int monitor_msg_recv(int fd, uint8_t *typep, struct buf *body)
    __attribute__((__warn_unused_result__));

/* A passwd entry as in the PWNAM answer (pw_passwd sent as "*"). */
int monitor_put_passwd(struct buf *b, const struct passwd *pw)
    __attribute__((__warn_unused_result__));
/* Parse one into a new entry (free with pw_free). */
int monitor_get_passwd(struct buf *b, struct passwd **pwp)
    __attribute__((__warn_unused_result__));

#endif /* KEEL_MONITOR_H */
