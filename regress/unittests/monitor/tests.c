/* tests.c: the monitor unit tests' entry point and shared helpers. */
#include "includes.h"

#include <pwd.h>

#include "../test_helper/test_helper.h"
#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "log.h"
#include "monitor.h"
#include "monitor-keys.h"
#include "auth/auth-options.h"
#include "test_monitor.h"
#include "uidswap.h"

struct tm_stub tm_stub;
struct key *tm_userkey, *tm_otherkey, *tm_cmdkey, *tm_rsakey;
struct key *tm_host_ed25519, *tm_host_rsa, *tm_host_ecdsa;

/* ------------------------------------------------------------ stubs */

int
tm_put_opts(struct buf *b, int with_command)
{
	struct authopts *o;
	int r;

	if ((o = authopts_new()) == NULL)
		return ERR_ALLOC_FAIL;
	o->permit_pty = 0;
	if (with_command && (o->force_command = strdup("true")) == NULL) {
		authopts_free(o);
		return ERR_ALLOC_FAIL;
	}
	r = monitor_authopts_put(b, o);
	authopts_free(o);
	return r;
}

static struct passwd *
stub_getpwnam(const char *user, void *ctx)
{
	static const struct {
		const char *name;
		uid_t uid;
	} users[] = {
		{ "alice", 1000 }, { "locked", 1001 }, { "empty", 1002 },
		{ "root", 0 },
	};
	struct passwd pw;
	size_t i;

	(void)ctx;
	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		if (strcmp(user, users[i].name) != 0)
			continue;
		memset(&pw, 0, sizeof(pw));
		pw.pw_name = (char *)users[i].name;
		pw.pw_passwd = "$fake$hash";
		pw.pw_uid = users[i].uid;
		pw.pw_gid = users[i].uid;
		pw.pw_gecos = "Test User";
		pw.pw_dir = "/home/test";
		pw.pw_shell = "/bin/sh";
		return pw_dup(&pw);
	}
	return NULL;
}

static int
stub_user_allowed(const struct passwd *pw, void *ctx)
{
	(void)ctx;
	return strcmp(pw->pw_name, "locked") != 0;
}

static int
stub_auth_password(const struct passwd *pw, const char *password,
    int permit_empty, int *okp, void *ctx)
{
	(void)ctx;
	tm_stub.password_calls++;
	*okp = 0;
	if (pw == NULL) {
		tm_stub.password_null_calls++;
		return 0;
	}
	if (strcmp(pw->pw_name, "empty") == 0)
		*okp = permit_empty && *password == '\0';
	else
		*okp = strcmp(password, "secret") == 0;
	return 0;
}

static int
stub_key_allowed(const struct passwd *pw, const struct key *key,
    int *allowedp, struct buf *opts, void *ctx)
{
	(void)ctx;
	(void)pw;
	tm_stub.key_calls++;
	*allowedp = key_equal_public(key, tm_userkey) ||
	    key_equal_public(key, tm_cmdkey) ||
	    key_equal_public(key, tm_rsakey);
	if (*allowedp)
		return tm_put_opts(opts, key_equal_public(key, tm_cmdkey));
	return 0;
}

static int
stub_pty_allocate(const struct passwd *pw, int *ptyfd, int *ttyfd,
    char *name, size_t namelen, void *ctx)
{
	int p[2];

	(void)ctx;
	(void)pw;
	tm_stub.pty_calls++;
	if (tm_stub.pty_fail || pipe(p) != 0)
		return ERR_ERRNO;
	*ptyfd = p[0];
	*ttyfd = p[1];
	strlcpy(name, "/dev/pts/fake", namelen);
	return 0;
}

const struct monitor_hooks tm_hooks = {
	stub_getpwnam,
	stub_user_allowed,
	stub_auth_password,
	stub_key_allowed,
	stub_pty_allocate,
	NULL,
	NULL
};

/* ------------------------------------------------------------ keys */

void
tm_make_keys(void)
{
	if (tm_userkey != NULL)
		return;
	ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &tm_userkey), 0);
	ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &tm_otherkey), 0);
	ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &tm_cmdkey), 0);
	ASSERT_INT_EQ(key_generate(KEY_RSA, 1024, &tm_rsakey), 0);
	ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &tm_host_ed25519), 0);
	/* Small: the size is not the point. */
	ASSERT_INT_EQ(key_generate(KEY_RSA, 1024, &tm_host_rsa), 0);
	ASSERT_INT_EQ(key_generate(KEY_ECDSA, 256, &tm_host_ecdsa), 0);
}

struct key *
tm_copy_private(const struct key *k)
{
	struct buf *b;
	struct key *copy = NULL;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(key_private_serialize(k, b), 0);
	ASSERT_INT_EQ(key_private_deserialize(b, &copy), 0);
	buf_free(b);
	return copy;
}

struct key *
tm_public(const struct key *k)
{
	struct key *pub = NULL;

	ASSERT_INT_EQ(key_demote(k, &pub), 0);
	return pub;
}

/* ------------------------------------------------------------ monitors */

void
tm_default_opts(struct monitor_options *o)
{
	memset(o, 0, sizeof(*o));
	o->password_authentication = 1;
	o->pubkey_authentication = 1;
	o->permit_empty_passwords = 0;
	o->permit_root_login = MONITOR_ROOT_YES;
}

struct monitor *
tm_monitor(const struct monitor_options *o)
{
	struct monitor *m = NULL;

	tm_make_keys();
	ASSERT_INT_EQ(monitor_new(-1, o, &m), 0);
	monitor_set_hooks(m, &tm_hooks);
	ASSERT_INT_EQ(monitor_add_host_key(m,
	    tm_copy_private(tm_host_ed25519)), 0);
	ASSERT_INT_EQ(monitor_add_host_key(m,
	    tm_copy_private(tm_host_rsa)), 0);
	ASSERT_INT_EQ(monitor_add_host_key(m,
	    tm_copy_private(tm_host_ecdsa)), 0);
	return m;
}

int
tm_dispatch(struct monitor *m, uint8_t type, const struct buf *req,
    struct buf **ansp, uint8_t *anstypep)
{
	struct buf *copy;
	int r;

	ASSERT_PTR_NE(copy = buf_from_copy(buf_ptr(req), buf_len(req)),
	    NULL);
	ASSERT_PTR_NE(*ansp = buf_new(), NULL);
	r = monitor_dispatch(m, type, copy, *ansp, anstypep);
	buf_free(copy);
	return r;
}

struct buf *
tm_ok(struct monitor *m, uint8_t type, const struct buf *req,
    uint8_t want_anstype)
{
	struct buf *ans;
	uint8_t anstype;

	ASSERT_INT_EQ(tm_dispatch(m, type, req, &ans, &anstype), 0);
	ASSERT_U8_EQ(anstype, want_anstype);
	return ans;
}

/* ------------------------------------------------------------ requests */

struct buf *
tm_req_pwnam(const char *user)
{
	struct buf *b;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_cstring(b, user), 0);
	return b;
}

struct buf *
tm_req_password(const char *password)
{
	return tm_req_pwnam(password);
}

struct buf *
tm_req_keyallowed(const struct key *k)
{
	struct buf *b;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u32(b, MONITOR_KEY_USER), 0);
	ASSERT_INT_EQ(key_puts(k, b), 0);
	return b;
}

struct buf *
tm_req_sign(const struct key *hostkey, const char *alg, const void *data,
    size_t len)
{
	struct buf *b;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(key_puts(hostkey, b), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, alg), 0);
	ASSERT_INT_EQ(buf_put_string(b, data, len), 0);
	return b;
}

struct buf *
tm_req_log(uint32_t level, const char *msg)
{
	struct buf *b;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u32(b, level), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, msg), 0);
	return b;
}

struct buf *
tm_req_empty(void)
{
	struct buf *b;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	return b;
}

/* ------------------------------------------------------------ files */

static char tempdir[] = "/tmp/test_monitor.XXXXXX";
static int tempdir_made;

static void
tm_cleanup(void)
{
	char cmd[sizeof(tempdir) + 16];

	if (!tempdir_made)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tempdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tempdir);
}

const char *
tm_tempdir(void)
{
	if (!tempdir_made) {
		ASSERT_PTR_NE(mkdtemp(tempdir), NULL);
		tempdir_made = 1;
		atexit(tm_cleanup);
	}
	return tempdir;
}

void
tests(void)
{
	/* The monitor logs refusals; keep the test output readable. */
	log_init("test_monitor", test_is_verbose() ? LOG_LEVEL_DEBUG3 :
	    LOG_LEVEL_QUIET, LOG_FACILITY_NOT_SET, 1);
	tm_make_keys();
	test_wire();
	test_table();
	test_handlers();
	test_malformed();
	test_live();
	test_authinfo();
	test_keyverify();
	test_state_login();
	test_auth_malformed();
}
