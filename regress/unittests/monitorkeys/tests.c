/*
 * tests.c: the monitor's authorized_keys checker and the wire form of
 * key options (monitor-keys.h), on files in a home directory of the
 * test's own, also through a monitor's KEYALLOWED request.
 */
#include "includes.h"

#include <sys/stat.h>
#include <fcntl.h>
#include <pwd.h>

#include "../test_helper/test_helper.h"
#include "auth/auth-options.h"
#include "buf.h"
#include "conf.h"
#include "errcode.h"
#include "key.h"
#include "log.h"
#include "monitor.h"
#include "monitor-keys.h"
#include "uidswap.h"

static char home[] = "/tmp/test_monitorkeys.XXXXXX";
static char akpath[sizeof(home) + 32];
static struct key *userkey, *otherkey;
static struct passwd *pw;

static void
cleanup(void)
{
	char cmd[sizeof(home) + 16];

	if (pw == NULL)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", home);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", home);
}

static void
setup(void)
{
	char dir[sizeof(home) + 8];

	ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &userkey), 0);
	ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &otherkey), 0);
	ASSERT_PTR_NE(mkdtemp(home), NULL);
	ASSERT_PTR_NE(pw = pw_dup(getpwuid(getuid())), NULL);
	atexit(cleanup);
	free(pw->pw_dir);
	ASSERT_PTR_NE(pw->pw_dir = strdup(home), NULL);
	snprintf(dir, sizeof(dir), "%s/.ssh", home);
	ASSERT_INT_EQ(mkdir(dir, 0700), 0);
	snprintf(akpath, sizeof(akpath), "%s/.ssh/authorized_keys", home);
}

/* authorized_keys: one line for key with options (may be ""). */
static void
write_keys(const char *options, const struct key *key, mode_t mode)
{
	char *line = NULL;
	FILE *f;

	ASSERT_INT_EQ(key_format_public(key, &line), 0);
	ASSERT_PTR_NE(f = fopen(akpath, "w"), NULL);
	fprintf(f, "# a comment\n\n%s%s%s test\n", options,
	    *options != '\0' ? " " : "", line);
	ASSERT_INT_EQ(fclose(f), 0);
	ASSERT_INT_EQ(chmod(akpath, mode), 0);
	free(line);
}

/* Ask the checker; the options it returned, decoded, if allowed. */
static int
ask(const struct monitor_authkeys *ak, const struct key *key,
    struct authopts **op)
{
	struct buf *opts;
	int allowed = -1;

	if (op != NULL)
		*op = NULL;
	ASSERT_PTR_NE(opts = buf_new(), NULL);
	ASSERT_INT_EQ(monitor_authkeys_allowed(pw, key, &allowed, opts,
	    (void *)ak), 0);
	if (allowed && op != NULL) {
		ASSERT_INT_EQ(monitor_authopts_get(opts, op), 0);
		ASSERT_SIZE_T_EQ(buf_len(opts), 0);
	}
	if (!allowed)
		ASSERT_SIZE_T_EQ(buf_len(opts), 0);
	buf_free(opts);
	return allowed;
}

static void
test_checker(void)
{
	struct conf_strlist files = { NULL, 0 };
	struct monitor_authkeys ak;
	struct authopts *o;

	TEST_START("authorized_keys: found, options, refusals");
	ASSERT_INT_EQ(conf_strlist_add(&files, "none"), 0);
	ASSERT_INT_EQ(conf_strlist_add(&files, ".ssh/missing"), 0);
	ASSERT_INT_EQ(conf_strlist_add(&files, "%h/.ssh/authorized_keys"),
	    0);
	memset(&ak, 0, sizeof(ak));
	ak.files = &files;
	ak.strict_modes = 1;
	ak.remote_host = ak.remote_ip = "192.0.2.10";
	write_keys("no-pty,command=\"echo hi\"", userkey, 0600);
	ASSERT_INT_EQ(ask(&ak, userkey, &o), 1);
	ASSERT_INT_EQ(o->permit_pty, 0);
	ASSERT_STRING_EQ(o->force_command, "echo hi");
	authopts_free(o);
	ASSERT_INT_EQ(ask(&ak, otherkey, NULL), 0);
	/* StrictModes: a world-writable file is refused unless off. */
	write_keys("", userkey, 0666);
	ASSERT_INT_EQ(ask(&ak, userkey, NULL), 0);
	ak.strict_modes = 0;
	ASSERT_INT_EQ(ask(&ak, userkey, NULL), 1);
	ak.strict_modes = 1;
	/* expiry-time in the past; from= elsewhere. */
	write_keys("expiry-time=\"20000101\"", userkey, 0600);
	ASSERT_INT_EQ(ask(&ak, userkey, NULL), 0);
	write_keys("from=\"198.51.100.0/24\"", userkey, 0600);
	ASSERT_INT_EQ(ask(&ak, userkey, NULL), 0);
	ak.remote_host = ak.remote_ip = "198.51.100.7";
	ASSERT_INT_EQ(ask(&ak, userkey, NULL), 1);
	conf_strlist_free(&files);
	TEST_DONE();
}

static void
test_wire(void)
{
	struct authopts *o = NULL, *back = NULL;
	struct buf *b, *cut;
	const char *errstr = NULL;
	u_char *p;
	size_t i, len;

	TEST_START("authopts on the monitor wire");
	ASSERT_INT_EQ(authopts_parse("restrict,pty,command=\"ls -l\","
	    "environment=\"A=1\",environment=\"B=2\",permitopen=\"h:22\","
	    "from=\"10.0.0.0/8\",expiry-time=\"20990101\",tunnel=\"3\"",
	    &o, NULL, &errstr), 0);
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(monitor_authopts_put(b, o), 0);
	len = buf_len(b);
	for (i = 0; i < len; i++) {
		ASSERT_PTR_NE(cut = buf_from(buf_ptr(b), i), NULL);
		ASSERT_INT_LT(monitor_authopts_get(cut, &back), 0);
		ASSERT_PTR_EQ(back, NULL);
		buf_free(cut);
	}
	ASSERT_INT_EQ(monitor_authopts_get(b, &back), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	ASSERT_INT_EQ(back->restricted, 1);
	ASSERT_INT_EQ(back->permit_pty, 1);
	ASSERT_INT_EQ(back->permit_port_forwarding, 0);
	ASSERT_STRING_EQ(back->force_command, "ls -l");
	ASSERT_STRING_EQ(back->required_from_host, "10.0.0.0/8");
	ASSERT_PTR_EQ(back->cert_principals, NULL);
	ASSERT_SIZE_T_EQ(back->nenv, 2);
	ASSERT_STRING_EQ(back->env[1], "B=2");
	ASSERT_SIZE_T_EQ(back->npermitopen, 1);
	ASSERT_INT_EQ(back->force_tun_device, 3);
	ASSERT_U64_EQ(back->valid_before, o->valid_before);
	authopts_free(back);
	/* Unknown flag bits are refused. */
	buf_reset(b);
	ASSERT_INT_EQ(monitor_authopts_put(b, o), 0);
	p = buf_mutable_ptr(b);
	p[0] = 0x80;
	ASSERT_INT_EQ(monitor_authopts_get(b, &back), ERR_INVALID_FORMAT);
	buf_free(b);
	authopts_free(o);
	TEST_DONE();
}

/* Stand-ins so the monitor looks up our own user with our home. */
static struct passwd *
my_getpwnam(const char *user, void *ctx)
{
	(void)ctx;
	return strcmp(user, pw->pw_name) == 0 ? pw_dup(pw) : NULL;
}

static int
my_user_allowed(const struct passwd *p, void *ctx)
{
	(void)p;
	(void)ctx;
	return 1;
}

static void
test_through_monitor(void)
{
	struct conf_strlist files = { NULL, 0 };
	struct monitor_authkeys ak;
	struct monitor_options mo;
	struct monitor_hooks h = monitor_default_hooks;
	struct monitor *m = NULL;
	struct authopts *o = NULL;
	struct buf *req, *ans, *opts;
	uint32_t allowed;
	uint8_t anstype;

	TEST_START("KEYALLOWED through a monitor with the real checker");
	ASSERT_INT_EQ(conf_strlist_add(&files, ".ssh/authorized_keys"), 0);
	memset(&ak, 0, sizeof(ak));
	ak.files = &files;
	ak.strict_modes = 1;
	ak.remote_host = ak.remote_ip = "192.0.2.10";
	write_keys("no-agent-forwarding", userkey, 0600);
	memset(&mo, 0, sizeof(mo));
	mo.pubkey_authentication = 1;
	mo.permit_root_login = MONITOR_ROOT_NO_PASSWORD;
	ASSERT_INT_EQ(monitor_new(-1, &mo, &m), 0);
	h.getpwnam = my_getpwnam;
	h.user_allowed = my_user_allowed;
	h.key_allowed = monitor_authkeys_allowed;
	h.ctx = &ak;
	monitor_set_hooks(m, &h);
	ASSERT_PTR_NE(req = buf_new(), NULL);
	ASSERT_PTR_NE(ans = buf_new(), NULL);
	ASSERT_PTR_NE(opts = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_cstring(req, pw->pw_name), 0);
	ASSERT_INT_EQ(monitor_dispatch(m, MONITOR_REQ_PWNAM, req, ans,
	    &anstype), 0);
	buf_reset(req);
	ASSERT_INT_EQ(buf_put_u32(req, MONITOR_KEY_USER), 0);
	ASSERT_INT_EQ(key_puts(userkey, req), 0);
	ASSERT_INT_EQ(monitor_dispatch(m, MONITOR_REQ_KEYALLOWED, req, ans,
	    &anstype), 0);
	ASSERT_U8_EQ(anstype, MONITOR_ANS_KEYALLOWED);
	ASSERT_INT_EQ(buf_get_u32(ans, &allowed), 0);
	ASSERT_INT_EQ(allowed, 1);
	ASSERT_INT_EQ(buf_get_stringb(ans, opts), 0);
	ASSERT_SIZE_T_EQ(buf_len(ans), 0);
	ASSERT_INT_EQ(monitor_authopts_get(opts, &o), 0);
	ASSERT_INT_EQ(o->permit_agent_forwarding, 0);
	ASSERT_INT_EQ(o->permit_pty, 1);
	authopts_free(o);
	buf_free(req);
	buf_free(ans);
	buf_free(opts);
	monitor_free(m);
	conf_strlist_free(&files);
	TEST_DONE();
}

void
tests(void)
{
	log_init("test_monitorkeys", test_is_verbose() ? LOG_LEVEL_DEBUG3 :
	    LOG_LEVEL_QUIET, LOG_FACILITY_NOT_SET, 1);
	setup();
	test_wire();
	test_checker();
	test_through_monitor();
}
