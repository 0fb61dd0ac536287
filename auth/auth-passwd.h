/*
 * auth-passwd.h: password authentication against crypt(3) and shadow(5),
 * and the account checks that go with it (no PAM: that is --with-pam's
 * job, in its own module).
 *
 * Only the monitor calls these (it alone may read /etc/shadow).  The
 * answers are decisions, not errors: int results are 0 with the decision
 * in an out-parameter, or a negative ERR_* code when the check itself
 * could not be made (the caller then refuses).  Nothing here logs a
 * password or a hash.
 */
#ifndef KEEL_AUTH_PASSWD_H
#define KEEL_AUTH_PASSWD_H

#include <sys/types.h>
#include <pwd.h>
#include <shadow.h>

enum auth_account_status {
	AUTH_ACCOUNT_OK,
	AUTH_ACCOUNT_LOCKED,		/* "!..." or "*LK*..." hash */
	AUTH_ACCOUNT_EXPIRED,		/* shadow expire date reached */
	AUTH_ACCOUNT_INACTIVE,		/* password expired and the
					 * inactivity period is over */
	AUTH_ACCOUNT_PASSWORD_EXPIRED	/* must change the password */
};

/* "ok", "locked", "expired", "inactive", "password expired". */
const char *auth_account_status_str(enum auth_account_status st);

/*
 * 1 if hash marks a locked account: a "!" prefix (usermod -L, passwd -l
 * on Linux) or "*LK*" / "*LOCKED*" (Solaris, FreeBSD).  A hash that is
 * only "*" (or another string starting with "*") is not locked: it
 * disables passwords but keys may still be used.
 */
int auth_hash_is_locked(const char *hash);

/*
 * The status of an account from its shadow entry sp (NULL: no aging
 * information) and hash, on day `today` (days since 1970-01-01, UTC),
 * with shadow(5)'s rules as PAM applies them:
 *   sp_expire != -1 and today >= sp_expire          -> EXPIRED
 *   sp_lstchg == 0                                  -> PASSWORD_EXPIRED
 *   sp_lstchg > 0, sp_max != -1, sp_inact != -1 and
 *     today - sp_lstchg > sp_max + sp_inact         -> INACTIVE
 *   sp_lstchg > 0, sp_max != -1 and
 *     today - sp_lstchg > sp_max                    -> PASSWORD_EXPIRED
 * A locked hash is LOCKED before any of these.
 */
enum auth_account_status auth_shadow_status(const struct spwd *sp,
    const char *hash, long today);

/*
 * The status of pw's account now, from getspnam() (or pw->pw_passwd when
 * there is no shadow entry).
 */
int auth_account_status(const struct passwd *pw,
    enum auth_account_status *statusp)
    __attribute__((__warn_unused_result__));

/*
 * Check password for pw: *okp is 1 only if the crypt(3) output for the
 * stored hash equals it (compared in constant time), the account status
 * is OK, and (for an empty password or an empty hash) permit_empty is
 * set.  pw NULL stands for an invalid user: a throw-away hash of the
 * system's default method is computed instead, so the answer takes
 * about as long, and *okp is 0.  Locked and password-less ("*") accounts
 * also spend the same time and fail.
 */
int auth_password(const struct passwd *pw, const char *password,
    int permit_empty, int *okp)
    __attribute__((__warn_unused_result__));

#endif /* KEEL_AUTH_PASSWD_H */
