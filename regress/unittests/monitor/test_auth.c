/*
 * test_auth.c: the session-2 requests: AUTHINFO (with the user_config
 * hook and the nologin file), KEYVERIFY (every field of the signed data
 * checked), STATE, LOGIN and LOGOUT, and their malformed forms.
 */
#include "includes.h"

#include <sys/stat.h>
#include <fcntl.h>
#include <pwd.h>

#include "../test_helper/test_helper.h"
#include "auth/auth-options.h"
#include "buf.h"
#include "errcode.h"
#include "kex-names.h"
#include "key.h"
#include "log.h"
#include "loginrec.h"
#include "monitor.h"
#include "monitor-wrap.h"
#include "ssh2.h"
#include "test_monitor.h"

static const u_char sid[32] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32
};

/* ------------------------------------------------------------ helpers */

static void
req_ok(struct monitor *m, uint8_t type, struct buf *req, uint8_t anstype)
{
	buf_free(tm_ok(m, type, req, anstype));
	buf_free(req);
}

/* Dispatch (and free) req; the result code, answer dropped. */
static int
req_rc(struct monitor *m, uint8_t type, struct buf *req)
{
	struct buf *ans;
	uint8_t anstype;
	int r;

	r = tm_dispatch(m, type, req, &ans, &anstype);
	buf_free(ans);
	buf_free(req);
	return r;
}

static struct monitor *
mon_user(const struct monitor_options *o, const char *user)
{
	struct monitor *m = tm_monitor(o);

	req_ok(m, MONITOR_REQ_PWNAM, tm_req_pwnam(user), MONITOR_ANS_PWNAM);
	return m;
}

/* A first pre-auth SIGN: the session id is then sid. */
static void
set_sid(struct monitor *m)
{
	struct key *pub = tm_public(tm_host_ed25519);

	req_ok(m, MONITOR_REQ_SIGN, tm_req_sign(pub, "", sid, sizeof(sid)),
	    MONITOR_ANS_SIGN);
	key_free(pub);
}

/* KEYALLOWED for k; returns the allowed flag. */
static int
allow(struct monitor *m, const struct key *k)
{
	struct buf *ans, *req = tm_req_keyallowed(k);
	uint32_t v;

	ans = tm_ok(m, MONITOR_REQ_KEYALLOWED, req, MONITOR_ANS_KEYALLOWED);
	ASSERT_INT_EQ(buf_get_u32(ans, &v), 0);
	buf_free(ans);
	buf_free(req);
	return (int)v;
}

/* The fields of a publickey signed blob, to be varied one at a time. */
struct sdata {
	const u_char *sid;
	size_t sidlen;
	uint8_t type;
	const char *user;
	const char *service;
	const char *method;
	uint8_t has_sig;
	const char *alg;
	const struct key *key;	/* whose blob goes in */
	int trailing;
};

static void
sdata_init(struct sdata *d, const struct key *k, const char *alg)
{
	memset(d, 0, sizeof(*d));
	d->sid = sid;
	d->sidlen = sizeof(sid);
	d->type = SSH2_MSG_USERAUTH_REQUEST;
	d->user = "alice";
	d->service = "ssh-connection";
	d->method = "publickey";
	d->has_sig = 1;
	d->alg = alg;
	d->key = k;
}

static struct buf *
sdata_build(const struct sdata *d)
{
	struct buf *b;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_string(b, d->sid, d->sidlen), 0);
	ASSERT_INT_EQ(buf_put_u8(b, d->type), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, d->user), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, d->service), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, d->method), 0);
	ASSERT_INT_EQ(buf_put_u8(b, d->has_sig), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, d->alg), 0);
	ASSERT_INT_EQ(key_puts(d->key, b), 0);
	if (d->trailing)
		ASSERT_INT_EQ(buf_put_u8(b, 0), 0);
	return b;
}

/*
 * A KEYVERIFY request: the key blob of reqkey, the data of d, signed by
 * signer with d->alg.
 */
static struct buf *
req_keyverify(const struct key *reqkey, const struct sdata *d,
    const struct key *signer)
{
	struct buf *b, *data = sdata_build(d);
	const char *salg = d->alg;
	u_char *sig = NULL;
	size_t siglen = 0;

	if (key_type(signer) != KEY_RSA)
		salg = NULL;
	ASSERT_INT_EQ(key_sign(signer, &sig, &siglen, buf_ptr(data),
	    buf_len(data), salg), 0);
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(key_puts(reqkey, b), 0);
	ASSERT_INT_EQ(buf_put_stringb(b, data), 0);
	ASSERT_INT_EQ(buf_put_string(b, sig, siglen), 0);
	free(sig);
	buf_free(data);
	return b;
}

/* Dispatch a KEYVERIFY: the code, and the verified flag when 0. */
static int
keyverify(struct monitor *m, struct buf *req, int *okp)
{
	struct buf *ans;
	uint8_t anstype;
	uint32_t v = 99;
	int r;

	*okp = -1;
	r = tm_dispatch(m, MONITOR_REQ_KEYVERIFY, req, &ans, &anstype);
	if (r == 0) {
		ASSERT_U8_EQ(anstype, MONITOR_ANS_KEYVERIFY);
		ASSERT_INT_EQ(buf_get_u32(ans, &v), 0);
		ASSERT_SIZE_T_EQ(buf_len(ans), 0);
		*okp = (int)v;
	}
	buf_free(ans);
	buf_free(req);
	return r;
}

/* A monitor for alice with the session id set and k allowed. */
static struct monitor *
ready(const struct monitor_options *o, const char *user, const struct key *k)
{
	struct monitor *m = mon_user(o, user);

	set_sid(m);
	if (k != NULL)
		ASSERT_INT_EQ(allow(m, k), 1);
	return m;
}

/* Authenticate alice by password. */
static struct monitor *
authed(void)
{
	struct monitor_options o;
	struct monitor *m;
	struct buf *ans, *req;
	uint32_t v;

	tm_default_opts(&o);
	m = mon_user(&o, "alice");
	req = tm_req_password("secret");
	ans = tm_ok(m, MONITOR_REQ_AUTHPASSWORD, req,
	    MONITOR_ANS_AUTHPASSWORD);
	ASSERT_INT_EQ(buf_get_u32(ans, &v), 0);
	ASSERT_U32_EQ(v, 1);
	buf_free(ans);
	buf_free(req);
	ASSERT_INT_EQ(monitor_authenticated(m), 1);
	return m;
}

/* ------------------------------------------------------------ AUTHINFO */

struct ai_parsed {
	uint32_t pk, pw, empty, tries;
	char *algs, *banner;
};

static void
authinfo(struct monitor *m, struct ai_parsed *a)
{
	struct buf *ans, *req = tm_req_empty();

	ans = tm_ok(m, MONITOR_REQ_AUTHINFO, req, MONITOR_ANS_AUTHINFO);
	ASSERT_INT_EQ(buf_get_u32(ans, &a->pk), 0);
	ASSERT_INT_EQ(buf_get_u32(ans, &a->pw), 0);
	ASSERT_INT_EQ(buf_get_u32(ans, &a->empty), 0);
	ASSERT_INT_EQ(buf_get_u32(ans, &a->tries), 0);
	ASSERT_INT_EQ(buf_get_cstring(ans, &a->algs, NULL), 0);
	ASSERT_INT_EQ(buf_get_cstring(ans, &a->banner, NULL), 0);
	ASSERT_SIZE_T_EQ(buf_len(ans), 0);
	buf_free(ans);
	buf_free(req);
}

static void
ai_free(struct ai_parsed *a)
{
	free(a->algs);
	free(a->banner);
}

static int user_config_calls;

/* Match-like policy: alice gets no passwords, a banner, ed25519 only. */
static int
stub_user_config(const char *user, const struct passwd *pw,
    struct monitor_options *mo, struct monitor_authinfo *ai, void *ctx)
{
	(void)ctx;
	user_config_calls++;
	ai->pubkey_authentication = mo->pubkey_authentication;
	ai->password_authentication = mo->password_authentication;
	ai->max_auth_tries = 3;
	mo->max_auth_tries = 3;
	if (pw != NULL && strcmp(user, "alice") == 0) {
		mo->password_authentication = 0;
		ai->password_authentication = 0;
		ai->pubkey_accepted_algorithms = strdup("ssh-ed25519");
		ai->banner = strdup("hello alice\n");
	}
	return 0;
}

static const char *
write_nologin(const char *text)
{
	static char path[256];
	struct buf *b;

	snprintf(path, sizeof(path), "%s/nologin", tm_tempdir());
	ASSERT_PTR_NE(b = buf_from(text, strlen(text)), NULL);
	ASSERT_INT_EQ(buf_write_file(path, b, 0644), 0);
	buf_free(b);
	return path;
}

static void
test_authinfo_basic(void)
{
	struct monitor_options o;
	struct monitor_hooks h = tm_hooks;
	struct monitor *m;
	struct ai_parsed a;

	TEST_START("AUTHINFO without a user_config hook");
	tm_default_opts(&o);
	o.max_auth_tries = 6;
	m = mon_user(&o, "alice");
	authinfo(m, &a);
	ASSERT_U32_EQ(a.pk, 1);
	ASSERT_U32_EQ(a.pw, 1);
	ASSERT_U32_EQ(a.empty, 0);
	ASSERT_U32_EQ(a.tries, 6);
	ASSERT_STRING_EQ(a.algs, KEX_DEFAULT_SIG_ALGS);
	ASSERT_STRING_EQ(a.banner, "");
	ai_free(&a);
	/* Once only. */
	ASSERT_INT_EQ(req_rc(m, MONITOR_REQ_AUTHINFO, tm_req_empty()),
	    ERR_PROTOCOL_ERROR);
	monitor_free(m);
	TEST_DONE();

	TEST_START("AUTHINFO: wrong phase, no user, trailing bytes");
	m = tm_monitor(&o);
	ASSERT_INT_EQ(req_rc(m, MONITOR_REQ_AUTHINFO, tm_req_empty()),
	    ERR_PROTOCOL_ERROR);
	monitor_free(m);
	m = mon_user(&o, "alice");
	monitor_set_phase(m, MON_PHASE_POSTAUTH);
	ASSERT_INT_EQ(req_rc(m, MONITOR_REQ_AUTHINFO, tm_req_empty()),
	    ERR_PROTOCOL_ERROR);
	monitor_free(m);
	m = mon_user(&o, "alice");
	ASSERT_INT_EQ(req_rc(m, MONITOR_REQ_AUTHINFO, tm_req_pwnam("x")),
	    ERR_UNEXPECTED_TRAILING_DATA);
	monitor_free(m);
	TEST_DONE();

	TEST_START("AUTHINFO from the user_config hook, enforced");
	h.user_config = stub_user_config;
	user_config_calls = 0;
	m = tm_monitor(&o);
	monitor_set_hooks(m, &h);
	req_ok(m, MONITOR_REQ_PWNAM, tm_req_pwnam("alice"),
	    MONITOR_ANS_PWNAM);
	ASSERT_INT_EQ(user_config_calls, 1);
	authinfo(m, &a);
	ASSERT_U32_EQ(a.pw, 0);
	ASSERT_U32_EQ(a.tries, 3);
	ASSERT_STRING_EQ(a.algs, "ssh-ed25519");
	ASSERT_STRING_EQ(a.banner, "hello alice\n");
	ai_free(&a);
	/* The monitor enforces what the hook said: no passwords. */
	req_ok(m, MONITOR_REQ_AUTHPASSWORD, tm_req_password("secret"),
	    MONITOR_ANS_AUTHPASSWORD);
	ASSERT_INT_EQ(monitor_authenticated(m), 0);
	monitor_free(m);
	/* Invalid users get the hook too, with pw NULL. */
	m = tm_monitor(&o);
	monitor_set_hooks(m, &h);
	req_ok(m, MONITOR_REQ_PWNAM, tm_req_pwnam("nosuch"),
	    MONITOR_ANS_PWNAM);
	ASSERT_INT_EQ(user_config_calls, 2);
	authinfo(m, &a);
	ASSERT_U32_EQ(a.pw, 1);
	ASSERT_STRING_EQ(a.banner, "");
	ai_free(&a);
	monitor_free(m);
	TEST_DONE();
}

static void
test_nologin(void)
{
	struct monitor_options o;
	struct monitor *m;
	struct ai_parsed a;
	const char *path;
	const char *users[] = { "alice", "nosuch" };
	size_t i;
	int ok;

	TEST_START("nologin file: text as banner, no authentication");
	tm_default_opts(&o);
	path = write_nologin("system maintenance\n");
	for (i = 0; i < 2; i++) {
		m = tm_monitor(&o);
		ASSERT_INT_EQ(monitor_set_nologin_path(m, path), 0);
		req_ok(m, MONITOR_REQ_PWNAM, tm_req_pwnam(users[i]),
		    MONITOR_ANS_PWNAM);
		authinfo(m, &a);
		ASSERT_STRING_EQ(a.banner, "system maintenance\n");
		ai_free(&a);
		req_ok(m, MONITOR_REQ_AUTHPASSWORD, tm_req_password("secret"),
		    MONITOR_ANS_AUTHPASSWORD);
		ASSERT_INT_EQ(monitor_authenticated(m), 0);
		monitor_free(m);
	}
	/* A good signature is refused too. */
	m = tm_monitor(&o);
	ASSERT_INT_EQ(monitor_set_nologin_path(m, path), 0);
	req_ok(m, MONITOR_REQ_PWNAM, tm_req_pwnam("alice"),
	    MONITOR_ANS_PWNAM);
	set_sid(m);
	ASSERT_INT_EQ(allow(m, tm_userkey), 1);
	{
		struct sdata d;

		sdata_init(&d, tm_userkey, "ssh-ed25519");
		ASSERT_INT_EQ(keyverify(m, req_keyverify(tm_userkey, &d,
		    tm_userkey), &ok), 0);
		ASSERT_INT_EQ(ok, 0);
	}
	ASSERT_INT_EQ(monitor_authenticated(m), 0);
	monitor_free(m);
	/* Root is exempt. */
	m = tm_monitor(&o);
	ASSERT_INT_EQ(monitor_set_nologin_path(m, path), 0);
	req_ok(m, MONITOR_REQ_PWNAM, tm_req_pwnam("root"),
	    MONITOR_ANS_PWNAM);
	authinfo(m, &a);
	ASSERT_STRING_EQ(a.banner, "");
	ai_free(&a);
	req_ok(m, MONITOR_REQ_AUTHPASSWORD, tm_req_password("secret"),
	    MONITOR_ANS_AUTHPASSWORD);
	ASSERT_INT_EQ(monitor_authenticated(m), 1);
	monitor_free(m);
	/* No file: no effect. */
	ASSERT_INT_EQ(unlink(path), 0);
	m = tm_monitor(&o);
	ASSERT_INT_EQ(monitor_set_nologin_path(m, path), 0);
	req_ok(m, MONITOR_REQ_PWNAM, tm_req_pwnam("alice"),
	    MONITOR_ANS_PWNAM);
	req_ok(m, MONITOR_REQ_AUTHPASSWORD, tm_req_password("secret"),
	    MONITOR_ANS_AUTHPASSWORD);
	ASSERT_INT_EQ(monitor_authenticated(m), 1);
	monitor_free(m);
	TEST_DONE();
}

void
test_authinfo(void)
{
	test_authinfo_basic();
	test_nologin();
}

/* ------------------------------------------------------------ KEYVERIFY */

static void
test_keyverify_ok(void)
{
	struct monitor_options o;
	struct monitor *m;
	const struct authopts *ao;
	struct sdata d;
	int ok;

	TEST_START("KEYVERIFY: a good signature authenticates");
	tm_default_opts(&o);
	m = ready(&o, "alice", tm_userkey);
	ASSERT_PTR_EQ(monitor_authopts(m), NULL);
	ASSERT_PTR_EQ(monitor_auth_method(m), NULL);
	sdata_init(&d, tm_userkey, "ssh-ed25519");
	ASSERT_INT_EQ(keyverify(m, req_keyverify(tm_userkey, &d, tm_userkey),
	    &ok), 0);
	ASSERT_INT_EQ(ok, 1);
	ASSERT_INT_EQ(monitor_authenticated(m), 1);
	ASSERT_STRING_EQ(monitor_auth_method(m), "publickey");
	ASSERT_PTR_NE(ao = monitor_authopts(m), NULL);
	/* The stub checker's options came through: no-pty. */
	ASSERT_INT_EQ(ao->permit_pty, 0);
	ASSERT_PTR_EQ(ao->force_command, NULL);
	/* Nothing decides twice. */
	ASSERT_INT_EQ(keyverify(m, req_keyverify(tm_userkey, &d, tm_userkey),
	    &ok), ERR_PROTOCOL_ERROR);
	monitor_free(m);
	/* RSA: rsa-sha2-256 and -512 by default, never ssh-rsa. */
	m = ready(&o, "alice", tm_rsakey);
	sdata_init(&d, tm_rsakey, "ssh-rsa");
	ASSERT_INT_EQ(keyverify(m, req_keyverify(tm_rsakey, &d, tm_rsakey),
	    &ok), ERR_PROTOCOL_ERROR);
	sdata_init(&d, tm_rsakey, "rsa-sha2-512");
	ASSERT_INT_EQ(keyverify(m, req_keyverify(tm_rsakey, &d, tm_rsakey),
	    &ok), 0);
	ASSERT_INT_EQ(ok, 1);
	monitor_free(m);
	TEST_DONE();

	TEST_START("KEYVERIFY: a bad signature fails without ending");
	m = ready(&o, "alice", tm_userkey);
	sdata_init(&d, tm_userkey, "ssh-ed25519");
	ASSERT_INT_EQ(keyverify(m, req_keyverify(tm_userkey, &d,
	    tm_otherkey), &ok), 0);
	ASSERT_INT_EQ(ok, 0);
	ASSERT_INT_EQ(monitor_authenticated(m), 0);
	ASSERT_PTR_EQ(monitor_authopts(m), NULL);
	/* The right one still works afterwards. */
	ASSERT_INT_EQ(keyverify(m, req_keyverify(tm_userkey, &d, tm_userkey),
	    &ok), 0);
	ASSERT_INT_EQ(ok, 1);
	monitor_free(m);
	TEST_DONE();
}

/* One variation of the signed data must be refused as a violation. */
static void
expect_refused(const struct sdata *d, const struct key *reqkey)
{
	struct monitor_options o;
	struct monitor *m;
	int ok;

	tm_default_opts(&o);
	m = ready(&o, "alice", tm_userkey);
	ASSERT_INT_EQ(allow(m, tm_rsakey), 1);
	ASSERT_INT_LT(keyverify(m, req_keyverify(reqkey, d, tm_userkey),
	    &ok), 0);
	ASSERT_INT_EQ(monitor_authenticated(m), 0);
	monitor_free(m);
}

static void
test_keyverify_fields(void)
{
	static const u_char other_sid[32] = { 9 };
	struct sdata d;

	TEST_START("KEYVERIFY: every field of the signed data is checked");
	sdata_init(&d, tm_userkey, "ssh-ed25519");
	d.sid = other_sid;
	expect_refused(&d, tm_userkey);
	sdata_init(&d, tm_userkey, "ssh-ed25519");
	d.sidlen = 20;
	expect_refused(&d, tm_userkey);
	sdata_init(&d, tm_userkey, "ssh-ed25519");
	d.type = SSH2_MSG_USERAUTH_FAILURE;
	expect_refused(&d, tm_userkey);
	sdata_init(&d, tm_userkey, "ssh-ed25519");
	d.user = "root";
	expect_refused(&d, tm_userkey);
	sdata_init(&d, tm_userkey, "ssh-ed25519");
	d.service = "ssh-userauth";
	expect_refused(&d, tm_userkey);
	sdata_init(&d, tm_userkey, "ssh-ed25519");
	d.method = "password";
	expect_refused(&d, tm_userkey);
	sdata_init(&d, tm_userkey, "ssh-ed25519");
	d.has_sig = 0;
	expect_refused(&d, tm_userkey);
	sdata_init(&d, tm_userkey, "ssh-ed25519");
	d.has_sig = 2;
	expect_refused(&d, tm_userkey);
	/* Algorithm not of the key's type. */
	sdata_init(&d, tm_userkey, "rsa-sha2-256");
	expect_refused(&d, tm_userkey);
	sdata_init(&d, tm_userkey, "ecdsa-sha2-nistp256");
	expect_refused(&d, tm_userkey);
	/* The signed blob names another (allowed) key than the request. */
	sdata_init(&d, tm_rsakey, "ssh-ed25519");
	expect_refused(&d, tm_userkey);
	sdata_init(&d, tm_userkey, "ssh-ed25519");
	expect_refused(&d, tm_rsakey);
	/* Trailing bytes inside the signed data. */
	sdata_init(&d, tm_userkey, "ssh-ed25519");
	d.trailing = 1;
	expect_refused(&d, tm_userkey);
	TEST_DONE();
}

static void
test_keyverify_state(void)
{
	struct monitor_options o;
	struct monitor_hooks h = tm_hooks;
	struct monitor *m;
	struct buf *req;
	struct sdata d;
	int ok;

	tm_default_opts(&o);
	sdata_init(&d, tm_userkey, "ssh-ed25519");
	TEST_START("KEYVERIFY: a key not allowed earlier is a violation");
	m = ready(&o, "alice", NULL);
	ASSERT_INT_EQ(keyverify(m, req_keyverify(tm_userkey, &d, tm_userkey),
	    &ok), ERR_PROTOCOL_ERROR);
	monitor_free(m);
	/* Refused by KEYALLOWED: still not allowed. */
	m = ready(&o, "alice", NULL);
	ASSERT_INT_EQ(allow(m, tm_otherkey), 0);
	sdata_init(&d, tm_otherkey, "ssh-ed25519");
	ASSERT_INT_EQ(keyverify(m, req_keyverify(tm_otherkey, &d,
	    tm_otherkey), &ok), ERR_PROTOCOL_ERROR);
	monitor_free(m);
	/* An earlier allowed key stays usable after later queries. */
	m = ready(&o, "alice", tm_userkey);
	ASSERT_INT_EQ(allow(m, tm_rsakey), 1);
	ASSERT_INT_EQ(allow(m, tm_otherkey), 0);
	sdata_init(&d, tm_userkey, "ssh-ed25519");
	ASSERT_INT_EQ(keyverify(m, req_keyverify(tm_userkey, &d, tm_userkey),
	    &ok), 0);
	ASSERT_INT_EQ(ok, 1);
	monitor_free(m);
	TEST_DONE();

	TEST_START("KEYVERIFY: phase, user, session id");
	/* No user yet. */
	m = tm_monitor(&o);
	ASSERT_INT_EQ(keyverify(m, req_keyverify(tm_userkey, &d, tm_userkey),
	    &ok), ERR_PROTOCOL_ERROR);
	monitor_free(m);
	/* No session id yet (no SIGN came). */
	m = mon_user(&o, "alice");
	ASSERT_INT_EQ(allow(m, tm_userkey), 1);
	ASSERT_INT_EQ(keyverify(m, req_keyverify(tm_userkey, &d, tm_userkey),
	    &ok), ERR_PROTOCOL_ERROR);
	monitor_free(m);
	/* Post-auth. */
	m = ready(&o, "alice", tm_userkey);
	monitor_set_phase(m, MON_PHASE_POSTAUTH);
	ASSERT_INT_EQ(keyverify(m, req_keyverify(tm_userkey, &d, tm_userkey),
	    &ok), ERR_PROTOCOL_ERROR);
	monitor_free(m);
	/* Invalid user: keys are never allowed. */
	m = ready(&o, "nosuch", NULL);
	ASSERT_INT_EQ(allow(m, tm_userkey), 0);
	monitor_free(m);
	/* Trailing bytes after the request. */
	m = ready(&o, "alice", tm_userkey);
	req = req_keyverify(tm_userkey, &d, tm_userkey);
	ASSERT_INT_EQ(buf_put_u8(req, 0), 0);
	ASSERT_INT_EQ(keyverify(m, req, &ok), ERR_UNEXPECTED_TRAILING_DATA);
	monitor_free(m);
	/* A policy listing only ssh-ed25519 refuses RSA signatures. */
	h.user_config = stub_user_config;
	m = tm_monitor(&o);
	monitor_set_hooks(m, &h);
	req_ok(m, MONITOR_REQ_PWNAM, tm_req_pwnam("alice"),
	    MONITOR_ANS_PWNAM);
	set_sid(m);
	ASSERT_INT_EQ(allow(m, tm_rsakey), 1);
	sdata_init(&d, tm_rsakey, "rsa-sha2-512");
	ASSERT_INT_EQ(keyverify(m, req_keyverify(tm_rsakey, &d, tm_rsakey),
	    &ok), ERR_PROTOCOL_ERROR);
	monitor_free(m);
	TEST_DONE();

	TEST_START("KEYVERIFY: PermitRootLogin");
	o.permit_root_login = MONITOR_ROOT_FORCED_ONLY;
	m = ready(&o, "root", NULL);
	ASSERT_INT_EQ(allow(m, tm_userkey), 0);
	ASSERT_INT_EQ(allow(m, tm_cmdkey), 1);
	sdata_init(&d, tm_cmdkey, "ssh-ed25519");
	d.user = "root";
	ASSERT_INT_EQ(keyverify(m, req_keyverify(tm_cmdkey, &d, tm_cmdkey),
	    &ok), 0);
	ASSERT_INT_EQ(ok, 1);
	ASSERT_STRING_EQ(monitor_authopts(m)->force_command, "true");
	monitor_free(m);
	o.permit_root_login = MONITOR_ROOT_NO_PASSWORD;
	m = ready(&o, "root", tm_userkey);
	sdata_init(&d, tm_userkey, "ssh-ed25519");
	d.user = "root";
	ASSERT_INT_EQ(keyverify(m, req_keyverify(tm_userkey, &d, tm_userkey),
	    &ok), 0);
	ASSERT_INT_EQ(ok, 1);
	monitor_free(m);
	o.permit_root_login = MONITOR_ROOT_NO;
	m = ready(&o, "root", NULL);
	ASSERT_INT_EQ(allow(m, tm_cmdkey), 0);
	monitor_free(m);
	TEST_DONE();
}

void
test_keyverify(void)
{
	test_keyverify_ok();
	test_keyverify_fields();
	test_keyverify_state();
}

/* ------------------------------------------------------------ STATE */

static struct buf *
req_state(const char *text)
{
	struct buf *b, *s;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_PTR_NE(s = buf_from(text, strlen(text)), NULL);
	ASSERT_INT_EQ(buf_put_stringb(b, s), 0);
	buf_free(s);
	return b;
}

static struct buf *
req_login(const char *tty, uint32_t pid, int with_pid)
{
	struct buf *b = tm_req_pwnam(tty);

	if (with_pid)
		ASSERT_INT_EQ(buf_put_u32(b, pid), 0);
	return b;
}

static uint32_t
flag_answer(struct monitor *m, uint8_t type, struct buf *req,
    uint8_t anstype)
{
	struct buf *ans = tm_ok(m, type, req, anstype);
	uint32_t v;

	ASSERT_INT_EQ(buf_get_u32(ans, &v), 0);
	ASSERT_SIZE_T_EQ(buf_len(ans), 0);
	buf_free(ans);
	buf_free(req);
	return v;
}

static void
test_state(void)
{
	struct monitor_options o;
	struct monitor *m;
	struct buf *st;

	TEST_START("STATE: only once authenticated, once");
	tm_default_opts(&o);
	m = mon_user(&o, "alice");
	ASSERT_INT_EQ(req_rc(m, MONITOR_REQ_STATE, req_state("xyz")),
	    ERR_PROTOCOL_ERROR);
	monitor_free(m);
	m = authed();
	ASSERT_INT_EQ(monitor_take_state(m, &st), ERR_NOT_FOUND);
	req_ok(m, MONITOR_REQ_STATE, req_state("transport state"),
	    MONITOR_ANS_STATE);
	ASSERT_INT_EQ(req_rc(m, MONITOR_REQ_STATE, req_state("again")),
	    ERR_PROTOCOL_ERROR);
	ASSERT_INT_EQ(monitor_take_state(m, &st), 0);
	ASSERT_SIZE_T_EQ(buf_len(st), 15);
	ASSERT_MEM_EQ(buf_ptr(st), "transport state", 15);
	buf_free(st);
	ASSERT_INT_EQ(monitor_take_state(m, &st), ERR_NOT_FOUND);
	ASSERT_STRING_EQ(monitor_auth_method(m), "password");
	ASSERT_PTR_NE(monitor_authopts(m), NULL);
	ASSERT_INT_EQ(monitor_authopts(m)->permit_pty, 1);
	monitor_free(m);
	TEST_DONE();
}

/* ------------------------------------------------------------ LOGIN */

static off_t
file_size(const char *path)
{
	struct stat st;

	ASSERT_INT_EQ(stat(path, &st), 0);
	return st.st_size;
}

static void
make_empty(const char *path)
{
	int fd;

	ASSERT_INT_NE(fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644),
	    -1);
	close(fd);
}

/* A post-auth monitor holding the fake pty, records to temp files. */
static struct monitor *
with_pty(char *wtmp, size_t wlen)
{
	struct loginrec_paths lp;
	char utmp[256], lastlog[256];
	struct monitor *m = authed();
	struct buf *req, *ans;
	uint32_t v;
	int fds[2];

	snprintf(utmp, sizeof(utmp), "%s/utmp", tm_tempdir());
	snprintf(wtmp, wlen, "%s/wtmp", tm_tempdir());
	snprintf(lastlog, sizeof(lastlog), "%s/lastlog", tm_tempdir());
	make_empty(utmp);
	make_empty(wtmp);
	make_empty(lastlog);
	lp.utmp = utmp;
	lp.wtmp = wtmp;
	lp.lastlog = lastlog;
	ASSERT_INT_EQ(monitor_set_loginrec_paths(m, &lp), 0);
	monitor_set_phase(m, MON_PHASE_POSTAUTH);
	req = tm_req_empty();
	ans = tm_ok(m, MONITOR_REQ_PTY, req, MONITOR_ANS_PTY);
	ASSERT_INT_EQ(buf_get_u32(ans, &v), 0);
	ASSERT_U32_EQ(v, 1);
	buf_free(ans);
	buf_free(req);
	ASSERT_SIZE_T_EQ(monitor_take_fds(m, fds, 2), 2);
	close(fds[0]);
	close(fds[1]);
	return m;
}

static void
test_login(void)
{
	struct monitor_options o;
	struct monitor *m;
	char wtmp[256];
	off_t sz;

	TEST_START("LOGIN/LOGOUT for a tty of this connection");
	m = with_pty(wtmp, sizeof(wtmp));
	ASSERT_U32_EQ(flag_answer(m, MONITOR_REQ_LOGIN,
	    req_login("/dev/pts/fake", 4242, 1), MONITOR_ANS_LOGIN), 1);
	ASSERT_INT_GT(sz = file_size(wtmp), 0);
	/* A second login for it, a foreign tty, pid 1: violations. */
	ASSERT_INT_EQ(req_rc(m, MONITOR_REQ_LOGIN,
	    req_login("/dev/pts/fake", 4242, 1)), ERR_PROTOCOL_ERROR);
	ASSERT_INT_EQ(req_rc(m, MONITOR_REQ_LOGIN,
	    req_login("/dev/pts/0", 4242, 1)), ERR_PROTOCOL_ERROR);
	ASSERT_INT_EQ(req_rc(m, MONITOR_REQ_LOGOUT,
	    req_login("/dev/pts/0", 0, 0)), ERR_PROTOCOL_ERROR);
	ASSERT_U32_EQ(flag_answer(m, MONITOR_REQ_LOGOUT,
	    req_login("/dev/pts/fake", 0, 0), MONITOR_ANS_LOGOUT), 1);
	ASSERT_INT_GT(file_size(wtmp), sz);
	/* Released: no longer ours. */
	ASSERT_INT_EQ(req_rc(m, MONITOR_REQ_LOGOUT,
	    req_login("/dev/pts/fake", 0, 0)), ERR_PROTOCOL_ERROR);
	monitor_free(m);
	TEST_DONE();

	TEST_START("LOGIN: malformed, wrong phase, freed while held");
	m = with_pty(wtmp, sizeof(wtmp));
	ASSERT_INT_EQ(req_rc(m, MONITOR_REQ_LOGIN,
	    req_login("/dev/pts/fake", 1, 1)), ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(req_rc(m, MONITOR_REQ_LOGIN,
	    req_login("/dev/pts/fake", 0, 0)), ERR_MESSAGE_INCOMPLETE);
	ASSERT_U32_EQ(flag_answer(m, MONITOR_REQ_LOGIN,
	    req_login("/dev/pts/fake", 4243, 1), MONITOR_ANS_LOGIN), 1);
	sz = file_size(wtmp);
	/* monitor_free writes the logout record of a tty still held. */
	monitor_free(m);
	ASSERT_INT_GT(file_size(wtmp), sz);
	tm_default_opts(&o);
	m = mon_user(&o, "alice");
	ASSERT_INT_EQ(req_rc(m, MONITOR_REQ_LOGIN,
	    req_login("/dev/pts/fake", 4242, 1)), ERR_PROTOCOL_ERROR);
	monitor_free(m);
	TEST_DONE();
}

void
test_state_login(void)
{
	test_state();
	test_login();
}

/* ------------------------------------------------------------ malformed */

enum { PREP_KEYVERIFY, PREP_STATE, PREP_LOGIN, PREP_AUTHINFO };

static struct monitor *
prepared(int which)
{
	struct monitor_options o;
	char wtmp[256];

	tm_default_opts(&o);
	switch (which) {
	case PREP_KEYVERIFY:
		return ready(&o, "alice", tm_userkey);
	case PREP_STATE:
		return authed();
	case PREP_LOGIN:
		return with_pty(wtmp, sizeof(wtmp));
	default:
		return mon_user(&o, "alice");
	}
}

/* Every truncation of good is refused; good itself is served. */
static void
truncations(const char *name, uint8_t type, int which, const struct buf *good)
{
	struct monitor *m;
	struct buf *req;
	size_t i;
	char title[128];

	snprintf(title, sizeof(title), "malformed %s requests", name);
	TEST_START(title);
	for (i = 0; i <= buf_len(good); i++) {
		m = prepared(which);
		ASSERT_PTR_NE(req = buf_from_copy(buf_ptr(good), i), NULL);
		if (i < buf_len(good))
			ASSERT_INT_LT(req_rc(m, type, req), 0);
		else
			ASSERT_INT_EQ(req_rc(m, type, req), 0);
		monitor_free(m);
	}
	/* One byte too many. */
	m = prepared(which);
	ASSERT_PTR_NE(req = buf_from_copy(buf_ptr(good), buf_len(good)),
	    NULL);
	ASSERT_INT_EQ(buf_put_u8(req, 0), 0);
	ASSERT_INT_EQ(req_rc(m, type, req), ERR_UNEXPECTED_TRAILING_DATA);
	monitor_free(m);
	TEST_DONE();
}

void
test_auth_malformed(void)
{
	struct buf *b;
	struct sdata d;

	sdata_init(&d, tm_userkey, "ssh-ed25519");
	b = req_keyverify(tm_userkey, &d, tm_userkey);
	truncations("KEYVERIFY", MONITOR_REQ_KEYVERIFY, PREP_KEYVERIFY, b);
	buf_free(b);
	b = req_state("some state");
	truncations("STATE", MONITOR_REQ_STATE, PREP_STATE, b);
	buf_free(b);
	b = req_login("/dev/pts/fake", 4242, 1);
	truncations("LOGIN", MONITOR_REQ_LOGIN, PREP_LOGIN, b);
	buf_free(b);
	b = req_login("/dev/pts/fake", 0, 0);
	truncations("LOGOUT", MONITOR_REQ_LOGOUT, PREP_LOGIN, b);
	buf_free(b);
	b = tm_req_empty();
	truncations("AUTHINFO", MONITOR_REQ_AUTHINFO, PREP_AUTHINFO, b);
	buf_free(b);
}
