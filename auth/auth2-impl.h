/*
 * auth2-impl.h: the state of one ssh-userauth service run, shared by
 * auth2.c (the request loop) and the methods (auth2-pubkey.c,
 * auth2-passwd.c).  Not for other code.
 */
#ifndef KEEL_AUTH_AUTH2_IMPL_H
#define KEEL_AUTH_AUTH2_IMPL_H

#include <sys/types.h>
#include <pwd.h>
#include <signal.h>

#include "auth/auth2.h"
#include "monitor.h"

/* Defaults where the policy says 0. */
#define AUTH2_DEFAULT_MAX_TRIES	6
/* The largest signature a publickey request may carry. */
#define AUTH2_MAX_SIG		(16 * 1024)

struct authopts;
struct buf;
struct key;
struct ssh;

struct auth2_ctx {
	struct ssh *ssh;
	const struct auth2_params *p;
	volatile sig_atomic_t done;	/* USERAUTH_SUCCESS sent */
	char *user;			/* of the first request */
	char *service;
	struct passwd *pw;		/* as the monitor showed it */
	struct monitor_authinfo ai;	/* the user's policy */
	u_int failures;
	int banner_sent;
	/* Set by a method that succeeded. */
	const char *method;
	struct authopts *authopts;
};

/* What a method made of a request. */
enum auth2_outcome {
	AUTH2_SUCCESS,		/* authenticated */
	AUTH2_FAILURE,		/* failed: counted, FAILURE sent */
	AUTH2_FAILURE_FREE,	/* failed, not counted ("none") */
	AUTH2_ANSWERED		/* the method answered (PK_OK) */
};

/*
 * A method handler: reads the rest of the USERAUTH_REQUEST from the
 * packet payload and sets *outp.  Errors end the connection.
 */
typedef int auth2_method_fn(struct auth2_ctx *a, enum auth2_outcome *outp);

int auth2_method_none(struct auth2_ctx *a, enum auth2_outcome *outp)
    must_check;
int auth2_method_publickey(struct auth2_ctx *a, enum auth2_outcome *outp)
    must_check;
int auth2_method_password(struct auth2_ctx *a, enum auth2_outcome *outp)
    must_check;

/*
 * 1 if alg is a signature algorithm for key k's type that the
 * policy list accepts (RSA keys: rsa-sha2-256/512, ssh-rsa only if
 * listed).
 */
int auth2_alg_acceptable(const char *alg, const struct key *k,
    const char *accepted);

#endif /* KEEL_AUTH_AUTH2_IMPL_H */
