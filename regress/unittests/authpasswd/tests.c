/*
 * tests.c: password checks and account status (auth/auth-passwd.h), and
 * the nologin check (auth/auth-nologin.h).
 *
 * The shadow rules are tested on made-up entries.  Real accounts need
 * root and test users: regress/privsep.sh creates them (chpasswd,
 * usermod -L, chage/usermod -e) and runs this program with
 *   KEEL_TEST_PW_USER       a user whose password is KEEL_TEST_PASSWORD
 *   KEEL_TEST_LOCKED_USER   the same password, locked with usermod -L
 *   KEEL_TEST_EXPIRED_USER  the same password, account expired
 *   KEEL_TEST_OLDPW_USER    the same password, password expired
 *   KEEL_TEST_EMPTY_USER    an empty password
 * Without them those tests are skipped, and say so.
 */
#include "includes.h"

#include <sys/stat.h>
#include <fcntl.h>
#include <pwd.h>
#include <shadow.h>
#include <time.h>

#include "../test_helper/test_helper.h"
#include "auth/auth-nologin.h"
#include "auth/auth-passwd.h"
#include "errcode.h"

static void
test_locked_hashes(void)
{
	TEST_START("locked hashes");
	ASSERT_INT_EQ(auth_hash_is_locked("!$y$j9T$abc$def"), 1);
	ASSERT_INT_EQ(auth_hash_is_locked("!"), 1);
	ASSERT_INT_EQ(auth_hash_is_locked("!!"), 1);
	ASSERT_INT_EQ(auth_hash_is_locked("*LK*$6$x$y"), 1);
	ASSERT_INT_EQ(auth_hash_is_locked("*LOCKED*$6$x$y"), 1);
	ASSERT_INT_EQ(auth_hash_is_locked(NULL), 1);
	/* "*": no password, but not locked (keys still work). */
	ASSERT_INT_EQ(auth_hash_is_locked("*"), 0);
	ASSERT_INT_EQ(auth_hash_is_locked("$6$salt$hash"), 0);
	ASSERT_INT_EQ(auth_hash_is_locked(""), 0);
	TEST_DONE();
}

static void
sp_init(struct spwd *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->sp_namp = "u";
	sp->sp_pwdp = "$6$s$h";
	sp->sp_lstchg = 19000;
	sp->sp_min = 0;
	sp->sp_max = 99999;
	sp->sp_warn = 7;
	sp->sp_inact = -1;
	sp->sp_expire = -1;
}

static void
test_shadow_rules(void)
{
	struct spwd sp;
	const long today = 20000;

	TEST_START("shadow(5) aging rules");
	sp_init(&sp);
	ASSERT_INT_EQ(auth_shadow_status(&sp, sp.sp_pwdp, today),
	    AUTH_ACCOUNT_OK);
	ASSERT_INT_EQ(auth_shadow_status(NULL, "$6$s$h", today),
	    AUTH_ACCOUNT_OK);
	ASSERT_INT_EQ(auth_shadow_status(&sp, "!$6$s$h", today),
	    AUTH_ACCOUNT_LOCKED);
	/* Account expiry: on the day itself and after. */
	sp.sp_expire = today;
	ASSERT_INT_EQ(auth_shadow_status(&sp, sp.sp_pwdp, today),
	    AUTH_ACCOUNT_EXPIRED);
	sp.sp_expire = today + 1;
	ASSERT_INT_EQ(auth_shadow_status(&sp, sp.sp_pwdp, today),
	    AUTH_ACCOUNT_OK);
	sp.sp_expire = 0;
	ASSERT_INT_EQ(auth_shadow_status(&sp, sp.sp_pwdp, today),
	    AUTH_ACCOUNT_EXPIRED);
	/* Last change 0: must change now. */
	sp_init(&sp);
	sp.sp_lstchg = 0;
	ASSERT_INT_EQ(auth_shadow_status(&sp, sp.sp_pwdp, today),
	    AUTH_ACCOUNT_PASSWORD_EXPIRED);
	/* Maximum age passed; then the inactivity period too. */
	sp_init(&sp);
	sp.sp_lstchg = today - 31;
	sp.sp_max = 30;
	ASSERT_INT_EQ(auth_shadow_status(&sp, sp.sp_pwdp, today),
	    AUTH_ACCOUNT_PASSWORD_EXPIRED);
	sp.sp_max = 31;
	ASSERT_INT_EQ(auth_shadow_status(&sp, sp.sp_pwdp, today),
	    AUTH_ACCOUNT_OK);
	sp.sp_max = 20;
	sp.sp_inact = 5;
	ASSERT_INT_EQ(auth_shadow_status(&sp, sp.sp_pwdp, today),
	    AUTH_ACCOUNT_INACTIVE);
	sp.sp_inact = 20;
	ASSERT_INT_EQ(auth_shadow_status(&sp, sp.sp_pwdp, today),
	    AUTH_ACCOUNT_PASSWORD_EXPIRED);
	/* No aging at all (empty fields). */
	sp.sp_lstchg = -1;
	ASSERT_INT_EQ(auth_shadow_status(&sp, sp.sp_pwdp, today),
	    AUTH_ACCOUNT_OK);
	ASSERT_STRING_EQ(auth_account_status_str(AUTH_ACCOUNT_LOCKED),
	    "locked");
	TEST_DONE();
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Milliseconds one auth_password() call takes (best of three). */
static double
time_check(const struct passwd *pw, const char *password)
{
	double best = 1e12, t;
	int i, ok;

	for (i = 0; i < 3; i++) {
		t = now_ms();
		ASSERT_INT_EQ(auth_password(pw, password, 0, &ok), 0);
		t = now_ms() - t;
		if (t < best)
			best = t;
	}
	return best;
}

static int
check(const char *user, const char *password, int permit_empty)
{
	struct passwd *pw;
	int ok = -1;

	ASSERT_PTR_NE(pw = getpwnam(user), NULL);
	ASSERT_INT_EQ(auth_password(pw, password, permit_empty, &ok), 0);
	return ok;
}

static void
test_real_accounts(void)
{
	const char *user = getenv("KEEL_TEST_PW_USER");
	const char *locked = getenv("KEEL_TEST_LOCKED_USER");
	const char *expired = getenv("KEEL_TEST_EXPIRED_USER");
	const char *oldpw = getenv("KEEL_TEST_OLDPW_USER");
	const char *empty = getenv("KEEL_TEST_EMPTY_USER");
	const char *password = getenv("KEEL_TEST_PASSWORD");
	enum auth_account_status st;
	double t_real, t_fake;
	int ok;

	if (user == NULL || locked == NULL || expired == NULL ||
	    oldpw == NULL || empty == NULL || password == NULL ||
	    geteuid() != 0) {
		fprintf(stderr, "authpasswd: real account tests skipped: "
		    "need root and the KEEL_TEST_* users of "
		    "regress/privsep.sh\n");
		return;
	}
	TEST_START("crypt(3) against shadow: right and wrong passwords");
	ASSERT_INT_EQ(check(user, password, 0), 1);
	ASSERT_INT_EQ(check(user, "not the password", 0), 0);
	ASSERT_INT_EQ(check(user, "", 1), 0);
	TEST_DONE();

	TEST_START("locked, expired and old-password accounts refused");
	ASSERT_INT_EQ(auth_account_status(getpwnam(locked), &st), 0);
	ASSERT_INT_EQ(st, AUTH_ACCOUNT_LOCKED);
	ASSERT_INT_EQ(check(locked, password, 0), 0);
	ASSERT_INT_EQ(auth_account_status(getpwnam(expired), &st), 0);
	ASSERT_INT_EQ(st, AUTH_ACCOUNT_EXPIRED);
	ASSERT_INT_EQ(check(expired, password, 0), 0);
	ASSERT_INT_EQ(auth_account_status(getpwnam(oldpw), &st), 0);
	ASSERT_INT_EQ(st, AUTH_ACCOUNT_PASSWORD_EXPIRED);
	ASSERT_INT_EQ(check(oldpw, password, 0), 0);
	ASSERT_INT_EQ(auth_account_status(getpwnam(user), &st), 0);
	ASSERT_INT_EQ(st, AUTH_ACCOUNT_OK);
	TEST_DONE();

	TEST_START("empty passwords only when permitted");
	ASSERT_INT_EQ(check(empty, "", 0), 0);
	ASSERT_INT_EQ(check(empty, "", 1), 1);
	ASSERT_INT_EQ(check(empty, "x", 1), 0);
	TEST_DONE();

	TEST_START("invalid users take about as long as real ones");
	ASSERT_INT_EQ(auth_password(NULL, password, 1, &ok), 0);
	ASSERT_INT_EQ(ok, 0);
	t_real = time_check(getpwnam(user), "wrong");
	t_fake = time_check(NULL, "wrong");
	if (test_is_verbose())
		fprintf(stderr, "real %.2f ms, invalid %.2f ms\n", t_real,
		    t_fake);
	/* Loose bounds: the machine is shared; the hash costs ms. */
	ASSERT_TRUE(t_fake > t_real / 4 && t_fake < t_real * 4);
	TEST_DONE();
}

static void
test_nologin(void)
{
	char path[] = "/tmp/test_nologin.XXXXXX", msg[64];
	struct passwd user, root;
	int fd;

	TEST_START("nologin");
	memset(&user, 0, sizeof(user));
	user.pw_name = "someone";
	user.pw_uid = 1000;
	root = user;
	root.pw_uid = 0;
	ASSERT_INT_GE(fd = mkstemp(path), 0);
	ASSERT_INT_EQ(write(fd, "Down for maintenance until 10:00.\n", 34),
	    34);
	close(fd);
	ASSERT_INT_EQ(auth_nologin_applies(path, &user, msg, sizeof(msg)), 1);
	ASSERT_STRING_EQ(msg, "Down for maintenance until 10:00.\n");
	/* Root may always log in. */
	ASSERT_INT_EQ(auth_nologin_applies(path, &root, msg, sizeof(msg)), 0);
	ASSERT_STRING_EQ(msg, "");
	/* A short buffer gets the start of the message. */
	ASSERT_INT_EQ(auth_nologin_applies(path, &user, msg, 5), 1);
	ASSERT_STRING_EQ(msg, "Down");
	ASSERT_INT_EQ(auth_nologin_applies(path, &user, NULL, 0), 1);
	ASSERT_INT_EQ(unlink(path), 0);
	ASSERT_INT_EQ(auth_nologin_applies(path, &user, msg, sizeof(msg)), 0);
	TEST_DONE();
}

void
tests(void)
{
	test_locked_hashes();
	test_shadow_rules();
	test_nologin();
	test_real_accounts();
}
