/*
 * test_handlers.c: what each request does, in process, with the stub
 * hooks: user lookup, passwords, keys, signatures, ptys, log lines.
 */
#include "includes.h"

#include <pwd.h>

#include "../test_helper/test_helper.h"
#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "log.h"
#include "monitor.h"
#include "test_monitor.h"
#include "uidswap.h"

static struct monitor *
with_user(const struct monitor_options *o, const char *user)
{
	struct monitor *m = tm_monitor(o);
	struct buf *req = tm_req_pwnam(user);

	buf_free(tm_ok(m, MONITOR_REQ_PWNAM, req, MONITOR_ANS_PWNAM));
	buf_free(req);
	return m;
}

/* The PWNAM answer for user, parsed. */
static struct passwd *
pwnam_answer(const char *user, enum monitor_permit_root root)
{
	struct monitor_options o;
	struct monitor *m;
	struct buf *req, *ans;
	struct passwd *pw = NULL;

	tm_default_opts(&o);
	o.permit_root_login = root;
	m = tm_monitor(&o);
	req = tm_req_pwnam(user);
	ans = tm_ok(m, MONITOR_REQ_PWNAM, req, MONITOR_ANS_PWNAM);
	ASSERT_INT_EQ(monitor_get_passwd(ans, &pw), 0);
	ASSERT_SIZE_T_EQ(buf_len(ans), 0);
	buf_free(ans);
	buf_free(req);
	monitor_free(m);
	return pw;
}

static void
test_pwnam(void)
{
	struct passwd *pw;

	TEST_START("PWNAM: sanitised entries, made-up ones for the invalid");
	pw = pwnam_answer("alice", MONITOR_ROOT_YES);
	ASSERT_STRING_EQ(pw->pw_name, "alice");
	ASSERT_STRING_EQ(pw->pw_passwd, "*");
	ASSERT_STRING_EQ(pw->pw_gecos, "");
	ASSERT_INT_EQ(pw->pw_uid, 1000);
	ASSERT_STRING_EQ(pw->pw_dir, "/home/test");
	pw_free(pw);
	/* Not a user, not allowed, root refused: all answered alike. */
	pw = pwnam_answer("nosuchuser", MONITOR_ROOT_YES);
	ASSERT_STRING_EQ(pw->pw_name, "nosuchuser");
	ASSERT_STRING_EQ(pw->pw_passwd, "*");
	ASSERT_INT_EQ(pw->pw_uid, 65534);
	pw_free(pw);
	pw = pwnam_answer("locked", MONITOR_ROOT_YES);
	ASSERT_STRING_EQ(pw->pw_name, "locked");
	ASSERT_INT_EQ(pw->pw_uid, 65534);
	pw_free(pw);
	pw = pwnam_answer("root", MONITOR_ROOT_NO);
	ASSERT_INT_EQ(pw->pw_uid, 65534);
	pw_free(pw);
	pw = pwnam_answer("root", MONITOR_ROOT_NO_PASSWORD);
	ASSERT_INT_EQ(pw->pw_uid, 0);
	pw_free(pw);
	TEST_DONE();
}

/* One password attempt; the answer's flag. */
static int
try_password(struct monitor *m, const char *password)
{
	struct buf *req = tm_req_password(password), *ans;
	uint32_t ok;

	ans = tm_ok(m, MONITOR_REQ_AUTHPASSWORD, req,
	    MONITOR_ANS_AUTHPASSWORD);
	ASSERT_INT_EQ(buf_get_u32(ans, &ok), 0);
	ASSERT_SIZE_T_EQ(buf_len(ans), 0);
	buf_free(ans);
	buf_free(req);
	ASSERT_INT_EQ(ok, monitor_authenticated(m));
	return (int)ok;
}

static int
password_for(const char *user, const char *password,
    const struct monitor_options *o)
{
	struct monitor *m = with_user(o, user);
	int ok = try_password(m, password);

	monitor_free(m);
	return ok;
}

static void
test_passwords(void)
{
	struct monitor_options o;
	struct monitor *m;
	struct buf *req, *ans;
	uint8_t anstype;
	int calls;

	TEST_START("AUTHPASSWORD decisions");
	tm_default_opts(&o);
	ASSERT_INT_EQ(password_for("alice", "secret", &o), 1);
	ASSERT_INT_EQ(password_for("alice", "wrong", &o), 0);
	/* Invalid users are checked (for the time it takes) and fail. */
	calls = tm_stub.password_null_calls;
	ASSERT_INT_EQ(password_for("nosuchuser", "secret", &o), 0);
	ASSERT_INT_EQ(password_for("locked", "secret", &o), 0);
	ASSERT_INT_EQ(tm_stub.password_null_calls, calls + 2);
	/* PermitRootLogin: passwords only with "yes". */
	ASSERT_INT_EQ(password_for("root", "secret", &o), 1);
	o.permit_root_login = MONITOR_ROOT_NO_PASSWORD;
	ASSERT_INT_EQ(password_for("root", "secret", &o), 0);
	o.permit_root_login = MONITOR_ROOT_FORCED_ONLY;
	ASSERT_INT_EQ(password_for("root", "secret", &o), 0);
	/* PasswordAuthentication no. */
	tm_default_opts(&o);
	o.password_authentication = 0;
	ASSERT_INT_EQ(password_for("alice", "secret", &o), 0);
	/* PermitEmptyPasswords reaches the checker. */
	tm_default_opts(&o);
	ASSERT_INT_EQ(password_for("empty", "", &o), 0);
	o.permit_empty_passwords = 1;
	ASSERT_INT_EQ(password_for("empty", "", &o), 1);
	TEST_DONE();

	TEST_START("AUTHPASSWORD: the monitor caps failures");
	tm_default_opts(&o);
	o.max_auth_tries = 2;
	m = with_user(&o, "alice");
	ASSERT_INT_EQ(try_password(m, "a"), 0);
	ASSERT_INT_EQ(try_password(m, "b"), 0);
	req = tm_req_password("secret");
	ASSERT_INT_EQ(tm_dispatch(m, MONITOR_REQ_AUTHPASSWORD, req, &ans,
	    &anstype), ERR_PROTOCOL_ERROR);
	ASSERT_INT_EQ(monitor_authenticated(m), 0);
	buf_free(ans);
	buf_free(req);
	monitor_free(m);
	TEST_DONE();
}

/* KEYALLOWED for k: the flag, and the options into *optsp if wanted. */
static int
key_query(struct monitor *m, const struct key *k, char **optsp)
{
	struct buf *req = tm_req_keyallowed(k), *ans;
	uint32_t allowed;
	char *opts = NULL;

	ans = tm_ok(m, MONITOR_REQ_KEYALLOWED, req, MONITOR_ANS_KEYALLOWED);
	ASSERT_INT_EQ(buf_get_u32(ans, &allowed), 0);
	ASSERT_INT_EQ(buf_get_string(ans, (u_char **)&opts, NULL), 0);
	ASSERT_SIZE_T_EQ(buf_len(ans), 0);
	if (optsp != NULL)
		*optsp = opts;
	else
		free(opts);
	buf_free(ans);
	buf_free(req);
	return (int)allowed;
}

static void
test_keys(void)
{
	struct monitor_options o;
	struct monitor_hooks h = tm_hooks;
	struct monitor *m;
	struct buf *expect;
	char *opts;
	int calls;

	TEST_START("KEYALLOWED decisions");
	tm_default_opts(&o);
	m = with_user(&o, "alice");
	ASSERT_INT_EQ(key_query(m, tm_userkey, &opts), 1);
	/* The checker's options, passed through as it encoded them. */
	ASSERT_PTR_NE(expect = buf_new(), NULL);
	ASSERT_INT_EQ(tm_put_opts(expect, 0), 0);
	ASSERT_MEM_EQ(opts, buf_ptr(expect), buf_len(expect));
	free(opts);
	buf_free(expect);
	ASSERT_INT_EQ(key_query(m, tm_otherkey, &opts), 0);
	ASSERT_STRING_EQ(opts, "");
	free(opts);
	ASSERT_INT_EQ(monitor_authenticated(m), 0);
	monitor_free(m);
	/* Invalid users and PubkeyAuthentication no: refused unasked. */
	calls = tm_stub.key_calls;
	m = with_user(&o, "nosuchuser");
	ASSERT_INT_EQ(key_query(m, tm_userkey, NULL), 0);
	monitor_free(m);
	o.pubkey_authentication = 0;
	m = with_user(&o, "alice");
	ASSERT_INT_EQ(key_query(m, tm_userkey, NULL), 0);
	monitor_free(m);
	ASSERT_INT_EQ(tm_stub.key_calls, calls);
	/* No checker installed: every key refused. */
	tm_default_opts(&o);
	m = with_user(&o, "alice");
	h.key_allowed = NULL;
	monitor_set_hooks(m, &h);
	ASSERT_INT_EQ(key_query(m, tm_userkey, NULL), 0);
	monitor_free(m);
	TEST_DONE();
}

/* SIGN with hostkey through m; verify the answer with its public half. */
static int
sign_with(struct monitor *m, const struct key *hostkey, const char *alg,
    const u_char *data, size_t len)
{
	struct key *pub = tm_public(hostkey);
	struct buf *req = tm_req_sign(pub, alg, data, len), *ans;
	const u_char *sig;
	char *salg = NULL;
	size_t siglen;
	uint8_t anstype;
	int r;

	r = tm_dispatch(m, MONITOR_REQ_SIGN, req, &ans, &anstype);
	if (r == 0) {
		ASSERT_U8_EQ(anstype, MONITOR_ANS_SIGN);
		ASSERT_INT_EQ(buf_get_string_direct(ans, &sig, &siglen), 0);
		ASSERT_SIZE_T_EQ(buf_len(ans), 0);
		ASSERT_INT_EQ(key_verify(pub, sig, siglen, data, len,
		    *alg == '\0' ? NULL : alg), 0);
		ASSERT_INT_EQ(key_sig_alg(sig, siglen, &salg), 0);
		ASSERT_STRING_EQ(salg, *alg == '\0' ?
		    key_default_sig_alg(pub) : alg);
		free(salg);
	}
	buf_free(ans);
	buf_free(req);
	key_free(pub);
	return r;
}

/* hostkeys-prove-00@openssh.com data for hostkey in session sid. */
static struct buf *
prove_data(const u_char *sid, size_t sidlen, const struct key *hostkey)
{
	struct buf *b;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_cstring(b, "hostkeys-prove-00@openssh.com"), 0);
	ASSERT_INT_EQ(buf_put_string(b, sid, sidlen), 0);
	ASSERT_INT_EQ(key_puts(hostkey, b), 0);
	return b;
}

static void
test_sign(void)
{
	struct monitor_options o;
	struct monitor *m;
	struct buf *prove;
	struct key *pub;
	u_char h32[32], h64[64], h20[20], other[32];

	TEST_START("SIGN pre-auth: exchange hashes, every host key");
	arc4random_buf(h32, sizeof(h32));
	arc4random_buf(h64, sizeof(h64));
	arc4random_buf(h20, sizeof(h20));
	arc4random_buf(other, sizeof(other));
	tm_default_opts(&o);
	m = tm_monitor(&o);
	ASSERT_INT_EQ(sign_with(m, tm_host_ed25519, "", h32, 32), 0);
	ASSERT_INT_EQ(sign_with(m, tm_host_ed25519, "ssh-ed25519", h64, 64),
	    0);
	ASSERT_INT_EQ(sign_with(m, tm_host_rsa, "rsa-sha2-256", h32, 32), 0);
	ASSERT_INT_EQ(sign_with(m, tm_host_rsa, "rsa-sha2-512", h20, 20), 0);
	ASSERT_INT_EQ(sign_with(m, tm_host_ecdsa, "ecdsa-sha2-nistp256",
	    h32, 32), 0);
	TEST_DONE();

	TEST_START("SIGN refusals");
	/* Not an exchange hash. */
	ASSERT_INT_EQ(sign_with(m, tm_host_ed25519, "", h32, 31),
	    ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(sign_with(m, tm_host_ed25519, "", h32, 0),
	    ERR_INVALID_FORMAT);
	/* Algorithms of another key type or curve. */
	ASSERT_INT_EQ(sign_with(m, tm_host_ed25519, "rsa-sha2-256", h32, 32),
	    ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(sign_with(m, tm_host_rsa, "ssh-ed25519", h32, 32),
	    ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(sign_with(m, tm_host_ecdsa, "ecdsa-sha2-nistp384", h32,
	    32), ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(sign_with(m, tm_host_ecdsa, "nonsense", h32, 32),
	    ERR_INVALID_FORMAT);
	/* A key the monitor does not hold. */
	ASSERT_INT_EQ(sign_with(m, tm_userkey, "", h32, 32),
	    ERR_INVALID_FORMAT);
	TEST_DONE();

	TEST_START("SIGN post-auth: rekey hashes, hostkeys-prove for this session");
	monitor_set_phase(m, MON_PHASE_POSTAUTH);
	/* A rekey's exchange hash (the session child's transport). */
	ASSERT_INT_EQ(sign_with(m, tm_host_ed25519, "", other, 32), 0);
	/* Not of a hash's length, and no statement: refused. */
	ASSERT_INT_EQ(sign_with(m, tm_host_ed25519, "", h32, 31),
	    ERR_INVALID_FORMAT);
	/* The session id is the first hash signed: h32. */
	pub = tm_public(tm_host_rsa);
	prove = prove_data(h32, 32, pub);
	ASSERT_INT_EQ(sign_with(m, tm_host_rsa, "rsa-sha2-512",
	    buf_ptr(prove), buf_len(prove)), 0);
	/* ... for another key than the one named inside: refused. */
	ASSERT_INT_EQ(sign_with(m, tm_host_ed25519, "", buf_ptr(prove),
	    buf_len(prove)), ERR_INVALID_FORMAT);
	buf_free(prove);
	/* Another session id: refused. */
	prove = prove_data(other, 32, pub);
	ASSERT_INT_EQ(sign_with(m, tm_host_rsa, "", buf_ptr(prove),
	    buf_len(prove)), ERR_INVALID_FORMAT);
	buf_free(prove);
	/* Trailing bytes after the statement: refused. */
	prove = prove_data(h32, 32, pub);
	ASSERT_INT_EQ(buf_put_u8(prove, 0), 0);
	ASSERT_INT_EQ(sign_with(m, tm_host_rsa, "", buf_ptr(prove),
	    buf_len(prove)), ERR_INVALID_FORMAT);
	buf_free(prove);
	key_free(pub);
	monitor_free(m);
	/* Post-auth without any pre-auth signature: no session id. */
	m = tm_monitor(&o);
	monitor_set_phase(m, MON_PHASE_POSTAUTH);
	pub = tm_public(tm_host_ed25519);
	prove = prove_data(h32, 32, pub);
	ASSERT_INT_EQ(sign_with(m, tm_host_ed25519, "", buf_ptr(prove),
	    buf_len(prove)), ERR_PROTOCOL_ERROR);
	buf_free(prove);
	key_free(pub);
	monitor_free(m);
	TEST_DONE();
}

static struct monitor *
authenticated(const struct monitor_options *o)
{
	struct monitor *m = with_user(o, "alice");

	ASSERT_INT_EQ(try_password(m, "secret"), 1);
	monitor_set_phase(m, MON_PHASE_POSTAUTH);
	return m;
}

static void
test_pty(void)
{
	struct monitor_options o;
	struct monitor *m;
	struct buf *req, *ans;
	char *name;
	uint32_t ok;
	uint8_t anstype;
	int fds[4];

	TEST_START("PTY: descriptors left for the loop, capped");
	tm_default_opts(&o);
	o.max_ptys = 2;
	m = authenticated(&o);
	req = tm_req_empty();
	ans = tm_ok(m, MONITOR_REQ_PTY, req, MONITOR_ANS_PTY);
	ASSERT_INT_EQ(buf_get_u32(ans, &ok), 0);
	ASSERT_INT_EQ(buf_get_cstring(ans, &name, NULL), 0);
	ASSERT_INT_EQ(ok, 1);
	ASSERT_STRING_EQ(name, "/dev/pts/fake");
	free(name);
	buf_free(ans);
	ASSERT_SIZE_T_EQ(monitor_take_fds(m, fds, 4), 2);
	ASSERT_INT_EQ(write(fds[1], "p", 1), 1);
	close(fds[0]);
	close(fds[1]);
	ASSERT_SIZE_T_EQ(monitor_take_fds(m, fds, 4), 0);
	/* Second: fine; third: over the cap, answered "no". */
	buf_free(tm_ok(m, MONITOR_REQ_PTY, req, MONITOR_ANS_PTY));
	ASSERT_SIZE_T_EQ(monitor_take_fds(m, fds, 4), 2);
	close(fds[0]);
	close(fds[1]);
	ans = tm_ok(m, MONITOR_REQ_PTY, req, MONITOR_ANS_PTY);
	ASSERT_INT_EQ(buf_get_u32(ans, &ok), 0);
	ASSERT_INT_EQ(ok, 0);
	ASSERT_SIZE_T_EQ(monitor_take_fds(m, fds, 4), 0);
	buf_free(ans);
	/* A body where none belongs. */
	ASSERT_INT_EQ(buf_put_u8(req, 1), 0);
	ASSERT_INT_EQ(tm_dispatch(m, MONITOR_REQ_PTY, req, &ans, &anstype),
	    ERR_UNEXPECTED_TRAILING_DATA);
	buf_free(ans);
	buf_free(req);
	monitor_free(m);
	/* Post-auth but never authenticated: refused. */
	m = with_user(&o, "alice");
	monitor_set_phase(m, MON_PHASE_POSTAUTH);
	req = tm_req_empty();
	ASSERT_INT_EQ(tm_dispatch(m, MONITOR_REQ_PTY, req, &ans, &anstype),
	    ERR_PROTOCOL_ERROR);
	buf_free(ans);
	buf_free(req);
	monitor_free(m);
	TEST_DONE();
}

static void
test_log(void)
{
	struct monitor_options o;
	struct monitor *m;
	struct buf *req, *ans;
	uint8_t anstype;
	u_char *p;

	TEST_START("LOG levels and lengths");
	tm_default_opts(&o);
	m = tm_monitor(&o);
	req = tm_req_log(LOG_LEVEL_DEBUG3, "fine\001line");
	ASSERT_INT_EQ(tm_dispatch(m, MONITOR_REQ_LOG, req, &ans, &anstype), 0);
	buf_free(ans);
	buf_free(req);
	req = tm_req_log(LOG_LEVEL_QUIET, "level 0");
	ASSERT_INT_EQ(tm_dispatch(m, MONITOR_REQ_LOG, req, &ans, &anstype),
	    ERR_INVALID_FORMAT);
	buf_free(ans);
	buf_free(req);
	req = tm_req_log(LOG_LEVEL_DEBUG3 + 1, "too verbose");
	ASSERT_INT_EQ(tm_dispatch(m, MONITOR_REQ_LOG, req, &ans, &anstype),
	    ERR_INVALID_FORMAT);
	buf_free(ans);
	buf_free(req);
	/* One byte over the cap. */
	ASSERT_PTR_NE(req = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u32(req, LOG_LEVEL_INFO), 0);
	ASSERT_INT_EQ(buf_put_u32(req, MONITOR_MAX_LOG + 1), 0);
	ASSERT_INT_EQ(buf_reserve(req, MONITOR_MAX_LOG + 1, &p), 0);
	memset(p, 'a', MONITOR_MAX_LOG + 1);
	ASSERT_INT_EQ(tm_dispatch(m, MONITOR_REQ_LOG, req, &ans, &anstype),
	    ERR_INVALID_FORMAT);
	buf_free(ans);
	buf_free(req);
	monitor_free(m);
	TEST_DONE();
}

void
test_handlers(void)
{
	test_pwnam();
	test_passwords();
	test_keys();
	test_sign();
	test_pty();
	test_log();
}
