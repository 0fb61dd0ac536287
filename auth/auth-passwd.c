/*
 * auth-passwd.c: crypt(3) and shadow(5) password checks (auth-passwd.h).
 */
#include "includes.h"

#include <crypt.h>
#include <pwd.h>
#include <shadow.h>
#include <time.h>

#include "auth/auth-passwd.h"
#include "errcode.h"
#include "log.h"

#define SECONDS_PER_DAY	86400L

const char *
auth_account_status_str(enum auth_account_status st)
{
	switch (st) {
	case AUTH_ACCOUNT_OK:
		return "ok";
	case AUTH_ACCOUNT_LOCKED:
		return "locked";
	case AUTH_ACCOUNT_EXPIRED:
		return "expired";
	case AUTH_ACCOUNT_INACTIVE:
		return "inactive";
	case AUTH_ACCOUNT_PASSWORD_EXPIRED:
		return "password expired";
	}
	return "unknown";
}

int
auth_hash_is_locked(const char *hash)
{
	if (hash == NULL)
		return 1;
	return hash[0] == '!' || strncmp(hash, "*LK*", 4) == 0 ||
	    strncmp(hash, "*LOCKED*", 8) == 0;
}

enum auth_account_status
auth_shadow_status(const struct spwd *sp, const char *hash, long today)
{
	if (auth_hash_is_locked(hash))
		return AUTH_ACCOUNT_LOCKED;
	if (sp == NULL)
		return AUTH_ACCOUNT_OK;
	if (sp->sp_expire != -1 && today >= sp->sp_expire)
		return AUTH_ACCOUNT_EXPIRED;
	if (sp->sp_lstchg == 0)
		return AUTH_ACCOUNT_PASSWORD_EXPIRED;
	if (sp->sp_lstchg > 0 && sp->sp_max != -1) {
		/* Fields are small day counts; the sums cannot overflow. */
		if (sp->sp_inact != -1 &&
		    today - sp->sp_lstchg > sp->sp_max + sp->sp_inact)
			return AUTH_ACCOUNT_INACTIVE;
		if (today - sp->sp_lstchg > sp->sp_max)
			return AUTH_ACCOUNT_PASSWORD_EXPIRED;
	}
	return AUTH_ACCOUNT_OK;
}

static long
auth_today(void)
{
	return (long)(time(NULL) / SECONDS_PER_DAY);
}

int
auth_account_status(const struct passwd *pw,
    enum auth_account_status *statusp)
{
	struct spwd *sp;

	*statusp = AUTH_ACCOUNT_LOCKED;
	if (pw == NULL || pw->pw_name == NULL)
		return ERR_INVALID_ARGUMENT;
	errno = 0;
	if ((sp = getspnam(pw->pw_name)) == NULL) {
		if (errno != 0 && errno != ENOENT) {
			error_f("getspnam %s: %s", pw->pw_name,
			    strerror(errno));
			return ERR_ERRNO;
		}
		*statusp = auth_shadow_status(NULL, pw->pw_passwd,
		    auth_today());
		return 0;
	}
	*statusp = auth_shadow_status(sp, sp->sp_pwdp, auth_today());
	return 0;
}

/*
 * A setting (method, cost, salt) of the system's default method, made
 * once: invalid users' passwords are hashed with it so that they take as
 * long as real ones.
 */
static const char *
auth_fake_setting(void)
{
	static char *setting;

	if (setting == NULL)
		setting = crypt_gensalt_ra(NULL, 0, NULL, 0);
	/* A fixed SHA-512 setting if libcrypt cannot make one. */
	return setting != NULL ? setting : "$6$keelfakesalt$";
}

/* The stored hash of pw as a new string (shadow first, then passwd). */
static int
auth_stored_hash(const struct passwd *pw, char **hashp)
{
	struct spwd *sp;
	const char *h;

	*hashp = NULL;
	errno = 0;
	sp = getspnam(pw->pw_name);
	h = sp != NULL ? sp->sp_pwdp : pw->pw_passwd;
	if ((*hashp = strdup(h != NULL ? h : "*")) == NULL)
		return ERR_ALLOC_FAIL;
	return 0;
}

/* crypt(password, setting) equals hash, in time independent of where
 * they differ. */
static int
auth_crypt_matches(const char *password, const char *setting,
    const char *hash)
{
	struct crypt_data *cd;
	const char *out;
	size_t len;
	int match = 0;

	if ((cd = calloc(1, sizeof(*cd))) == NULL)
		return 0;
	out = crypt_rn(password, setting, cd, (int)sizeof(*cd));
	/* Failures return NULL or a string starting with '*'. */
	if (out != NULL && out[0] != '*' && hash != NULL) {
		len = strlen(out);
		match = len == strlen(hash) &&
		    timingsafe_bcmp(out, hash, len) == 0;
	}
	freezero(cd, sizeof(*cd));
	return match;
}

int
auth_password(const struct passwd *pw, const char *password,
    int permit_empty, int *okp)
{
	enum auth_account_status st = AUTH_ACCOUNT_LOCKED;
	char *hash = NULL;
	int r = ERR_INTERNAL, usable;

	*okp = 0;
	if (password == NULL)
		return ERR_INVALID_ARGUMENT;
	if (pw == NULL) {
		/* Invalid user: same work, certain failure. */
		(void)auth_crypt_matches(password, auth_fake_setting(), NULL);
		return 0;
	}
	if ((r = auth_account_status(pw, &st)) != 0 ||
	    (r = auth_stored_hash(pw, &hash)) != 0)
		goto out;
	usable = st == AUTH_ACCOUNT_OK && hash[0] != '*';
	if (hash[0] == '\0') {
		/* No password at all: only when empty ones are allowed. */
		*okp = usable && permit_empty && password[0] == '\0';
	} else if (!usable) {
		(void)auth_crypt_matches(password, auth_fake_setting(), NULL);
	} else if (auth_crypt_matches(password, hash, hash))
		*okp = password[0] != '\0' || permit_empty;
	if (st != AUTH_ACCOUNT_OK)
		debug_f("account %s: %s", pw->pw_name,
		    auth_account_status_str(st));
	r = 0;
 out:
	if (hash != NULL)
		freezero(hash, strlen(hash));
	return r;
}
