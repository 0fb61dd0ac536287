/*
 * agent-server.h: the agent's request handling, apart from any socket.
 *
 * ssh-agent.c owns sockets, the event loop and the user interaction; this
 * module owns the keys and answers one request at a time from a buffer,
 * so unit tests and the fuzzer drive it directly.
 *
 * Secrets: private keys are wiped (key_free) when they are removed, when
 * they expire, when the agent is locked (each key is then held only
 * sealed with AES-256-GCM under a key derived from the lock password,
 * and unsealed again by UNLOCK) and when the state is freed.  The lock
 * password itself is never stored.
 *
 * Library code: nothing here exits or prompts; int results are 0 or a
 * negative ERR_* code.
 */
#ifndef KEEL_AGENT_SERVER_H
#define KEEL_AGENT_SERVER_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct agent_state;
struct agent_conn;

/* Most identities one agent holds; more are refused. */
#define AGENT_SERVER_MAX_KEYS		1024
/* Most session-bind@openssh.com bindings one connection records. */
#define AGENT_SERVER_MAX_BINDINGS	16

/* Hooks into the program around the state; any of them may be NULL. */
struct agent_hooks {
	/*
	 * Ask the user whether a key may be used (the confirm constraint):
	 * prompt is the question; return 0 to allow, anything else to
	 * refuse.  A NULL hook refuses.
	 */
	int (*confirm)(const char *prompt, void *ctx);
	/* After nfail failed UNLOCK attempts in a row (to slow guessing). */
	void (*unlock_failed)(unsigned int nfail, void *ctx);
	/* Seconds on a monotonic clock; NULL means monotime(). */
	uint64_t (*now)(void *ctx);
	void *ctx;
};

/* ------------------------------------------------------ state */

int agent_state_new(struct agent_state **sp) must_check;
/* Wipes and frees every key; NULL is a no-op. */
void agent_state_free(struct agent_state *s);
void agent_state_set_hooks(struct agent_state *s,
    const struct agent_hooks *hooks);
/* Lifetime given to keys added without one (ssh-agent -t); 0 = none. */
void agent_state_set_default_lifetime(struct agent_state *s,
    uint32_t secs);
/* Digest for fingerprints in logs and prompts (ssh-agent -E). */
void agent_state_set_fp_alg(struct agent_state *s, int digest_alg);
/*
 * PBKDF2 rounds for the lock password (default AGENT_LOCK_ROUNDS).
 * Only tests and the fuzzer lower it.
 */
#define AGENT_LOCK_ROUNDS	100000
void agent_state_set_lock_rounds(struct agent_state *s, unsigned int n);

/* Number of identities held (sealed ones included). */
size_t agent_state_nkeys(const struct agent_state *s);
int agent_state_is_locked(const struct agent_state *s);
/*
 * Remove every key whose lifetime is over.  Returns the number of seconds
 * until the next one expires (at least 1), or 0 if no key has a lifetime.
 */
uint64_t agent_state_expire(struct agent_state *s);

/* ------------------------------------------------------ connections */

/* Per-connection state (the session-bind@openssh.com records). */
int agent_conn_new(struct agent_conn **cp) must_check;
void agent_conn_free(struct agent_conn *c);
/* Bindings recorded so far on c. */
size_t agent_conn_nbindings(const struct agent_conn *c);

/*
 * Process one request: req holds the message (message number and
 * contents, no length field) and is consumed.  The answer (again without
 * its length) is appended to reply.  A malformed or refused request is
 * answered with FAILURE and still returns 0; a negative result means the
 * connection must be closed without an answer.
 */
int agent_process(struct agent_state *s, struct agent_conn *c,
    struct buf *req, struct buf *reply) must_check;

#endif /* KEEL_AGENT_SERVER_H */
