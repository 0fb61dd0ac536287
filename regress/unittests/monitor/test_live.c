/*
 * test_live.c: a real monitor process on a socketpair, driven through
 * monitor-wrap's calls or with raw messages: the whole authentication
 * flow, signatures by a key only the monitor holds, descriptors for a
 * pty, log forwarding, and the monitor ending itself (exit 255, via
 * fatal) on every kind of violation.
 */
#include "includes.h"

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <grp.h>
#include <pwd.h>
#include <termios.h>

#include "../test_helper/test_helper.h"
#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "log.h"
#include "monitor.h"
#include "monitor-wrap.h"
#include "sshpty.h"
#include "test_monitor.h"
#include "uidswap.h"

struct live {
	pid_t pid;
	int fd;			/* our end: we play the unprivileged child */
	char log[256];		/* the monitor's log file */
};

/*
 * The monitor process.  No ASSERTs here: a failing assert would run the
 * test harness's exit handlers in this process too.
 */
static void noreturn_fn
live_monitor(int fd, const struct monitor_options *o,
    const struct monitor_hooks *h, struct key *extra, const char *logpath)
{
	struct monitor *m = NULL;
	int r;

	log_init("monitor", LOG_LEVEL_DEBUG3, LOG_FACILITY_NOT_SET, 1);
	if (log_to_file(logpath) != 0 || monitor_new(fd, o, &m) != 0)
		_exit(3);
	monitor_set_hooks(m, h);
	if (monitor_add_host_key(m, tm_copy_private(tm_host_rsa)) != 0 ||
	    (extra != NULL && monitor_add_host_key(m, extra) != 0))
		_exit(3);
	if ((r = monitor_loop(m)) != 0)
		_exit(r == ERR_CONN_CLOSED ? 1 : 4);
	monitor_set_phase(m, MON_PHASE_POSTAUTH);
	r = monitor_loop_until_closed(m);
	monitor_free(m);
	_exit(r == 0 ? 0 : 2);
}

/*
 * Start a monitor; extra (a private key, may be NULL) becomes the
 * monitor's alone: this process frees its copy.
 */
static void
live_start(struct live *l, const struct monitor_options *o,
    const struct monitor_hooks *h, struct key *extra)
{
	static int n;
	int sv[2];

	snprintf(l->log, sizeof(l->log), "%s/monitor-%d.log", tm_tempdir(),
	    n++);
	ASSERT_INT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ASSERT_INT_NE(l->pid = fork(), -1);
	if (l->pid == 0) {
		close(sv[1]);
		live_monitor(sv[0], o, h, extra, l->log);
	}
	close(sv[0]);
	key_free(extra);
	l->fd = sv[1];
}

/* Close our end, reap the monitor; its exit code (-signal if killed). */
static int
live_end(struct live *l)
{
	int status;

	close(l->fd);
	ASSERT_INT_EQ(waitpid(l->pid, &status, 0), l->pid);
	if (WIFSIGNALED(status))
		return -WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* 1 if the monitor's log has a line containing needle. */
static int
log_has(const struct live *l, const char *needle)
{
	char line[2048];
	FILE *f;
	int found = 0;

	if ((f = fopen(l->log, "r")) == NULL)
		return 0;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, needle) != NULL;
	fclose(f);
	if (!found)
		fprintf(stderr, "monitor log %s lacks \"%s\"\n", l->log,
		    needle);
	return found;
}

static void
send_raw(struct live *l, uint8_t type, struct buf *body)
{
	ASSERT_INT_EQ(monitor_msg_send(l->fd, type, body), 0);
	buf_free(body);
}

/* ------------------------------------------------------------ flows */

static void
test_flow(void)
{
	struct monitor_options o;
	struct live l;
	struct passwd *pw = NULL;
	struct key *priv, *pub;
	struct buf *prove;
	u_char hash[32], *sig = NULL;
	char name[PTY_NAME_MAX], c;
	size_t siglen;
	int ok, ptyfd, ttyfd;

	TEST_START("live: lookup, password, signatures, pty");
	tm_default_opts(&o);
	/* A host key that only the monitor will hold. */
	ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &priv), 0);
	pub = tm_public(priv);
	live_start(&l, &o, &tm_hooks, priv);
	ASSERT_INT_EQ(mm_getpwnam(l.fd, "alice", &pw), 0);
	ASSERT_STRING_EQ(pw->pw_name, "alice");
	ASSERT_STRING_EQ(pw->pw_passwd, "*");
	ASSERT_INT_EQ(pw->pw_uid, 1000);
	pw_free(pw);
	/* The exchange hash, signed by the monitor, verifies. */
	arc4random_buf(hash, sizeof(hash));
	ASSERT_INT_EQ(mm_sign(l.fd, pub, NULL, hash, sizeof(hash), &sig,
	    &siglen), 0);
	ASSERT_INT_EQ(key_verify(pub, sig, siglen, hash, sizeof(hash), NULL),
	    0);
	free(sig);
	ASSERT_INT_EQ(mm_auth_password(l.fd, "wrong", &ok), 0);
	ASSERT_INT_EQ(ok, 0);
	ASSERT_INT_EQ(mm_auth_password(l.fd, "secret", &ok), 0);
	ASSERT_INT_EQ(ok, 1);
	/* Now post-auth: prove the host key for this session. */
	ASSERT_PTR_NE(prove = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_cstring(prove, "hostkeys-prove-00@openssh.com"),
	    0);
	ASSERT_INT_EQ(buf_put_string(prove, hash, sizeof(hash)), 0);
	ASSERT_INT_EQ(key_puts(pub, prove), 0);
	ASSERT_INT_EQ(mm_sign(l.fd, pub, "ssh-ed25519", buf_ptr(prove),
	    buf_len(prove), &sig, &siglen), 0);
	ASSERT_INT_EQ(key_verify(pub, sig, siglen, buf_ptr(prove),
	    buf_len(prove), "ssh-ed25519"), 0);
	free(sig);
	buf_free(prove);
	/* A "pty" (the stub's pipe) arrives as two descriptors. */
	ASSERT_INT_EQ(mm_pty_allocate(l.fd, &ptyfd, &ttyfd, name,
	    sizeof(name)), 0);
	ASSERT_STRING_EQ(name, "/dev/pts/fake");
	ASSERT_INT_EQ(write(ttyfd, "q", 1), 1);
	ASSERT_INT_EQ(read(ptyfd, &c, 1), 1);
	ASSERT_INT_EQ(c, 'q');
	close(ptyfd);
	close(ttyfd);
	ASSERT_INT_EQ(live_end(&l), 0);
	ASSERT_TRUE(log_has(&l, "Accepted password for alice from"));
	key_free(pub);
	TEST_DONE();

	TEST_START("live: a refused pty is an error, not descriptors");
	tm_stub.pty_fail = 1;	/* inherited by the monitor */
	live_start(&l, &o, &tm_hooks, NULL);
	ASSERT_INT_EQ(mm_getpwnam(l.fd, "alice", &pw), 0);
	pw_free(pw);
	ASSERT_INT_EQ(mm_auth_password(l.fd, "secret", &ok), 0);
	ASSERT_INT_EQ(ok, 1);
	ASSERT_INT_EQ(mm_pty_allocate(l.fd, &ptyfd, &ttyfd, name,
	    sizeof(name)), ERR_NOT_FOUND);
	ASSERT_INT_EQ(ptyfd, -1);
	ASSERT_INT_EQ(live_end(&l), 0);
	tm_stub.pty_fail = 0;
	TEST_DONE();
}

static void
test_log_forwarding(void)
{
	struct monitor_options o;
	struct live l;
	LogLevel saved = log_get_level();

	TEST_START("live: log lines forwarded to the monitor");
	tm_default_opts(&o);
	live_start(&l, &o, &tm_hooks, NULL);
	log_set_level(LOG_LEVEL_DEBUG1);
	log_set_handler(mm_log_handler, &l.fd);
	logit("hello from the child %d", 42);
	error("control \001 escaped");
	debug2("below the level: not sent");
	log_set_handler(NULL, NULL);
	log_set_level(saved);
	ASSERT_INT_EQ(live_end(&l), 1);
	ASSERT_TRUE(log_has(&l, "hello from the child 42"));
	ASSERT_TRUE(log_has(&l, "control \\001 escaped"));
	TEST_DONE();
}

/* ------------------------------------------------------------ fatal */

typedef void violation_fn(struct live *);

static void
v_pty_preauth(struct live *l)
{
	struct passwd *pw;

	ASSERT_INT_EQ(mm_getpwnam(l->fd, "alice", &pw), 0);
	pw_free(pw);
	send_raw(l, MONITOR_REQ_PTY, tm_req_empty());
}

static void
v_pwnam_twice(struct live *l)
{
	struct passwd *pw;

	ASSERT_INT_EQ(mm_getpwnam(l->fd, "alice", &pw), 0);
	pw_free(pw);
	send_raw(l, MONITOR_REQ_PWNAM, tm_req_pwnam("root"));
}

static void
v_huge_length(struct live *l)
{
	u_char hdr[5] = { 0xff, 0xff, 0xff, 0xff, MONITOR_REQ_LOG };

	ASSERT_INT_EQ(write(l->fd, hdr, sizeof(hdr)), (ssize_t)sizeof(hdr));
}

static void
v_unknown(struct live *l)
{
	send_raw(l, 200, tm_req_empty());
}

static void
v_trailing(struct live *l)
{
	struct buf *b = tm_req_pwnam("alice");

	ASSERT_INT_EQ(buf_put_u8(b, 0), 0);
	send_raw(l, MONITOR_REQ_PWNAM, b);
}

static void
v_truncated(struct live *l)
{
	u_char msg[7] = { 0, 0, 0, 9, MONITOR_REQ_PWNAM, 0, 0 };

	ASSERT_INT_EQ(write(l->fd, msg, sizeof(msg)), (ssize_t)sizeof(msg));
}

static void
v_key_before_user(struct live *l)
{
	send_raw(l, MONITOR_REQ_KEYALLOWED, tm_req_keyallowed(tm_userkey));
}

static void
v_too_many_passwords(struct live *l)
{
	struct passwd *pw;
	int ok;

	ASSERT_INT_EQ(mm_getpwnam(l->fd, "alice", &pw), 0);
	pw_free(pw);
	ASSERT_INT_EQ(mm_auth_password(l->fd, "a", &ok), 0);
	ASSERT_INT_EQ(mm_auth_password(l->fd, "b", &ok), 0);
	ASSERT_INT_EQ(mm_auth_password(l->fd, "c", &ok), 0);
	/* The fourth is beyond max_auth_tries 3. */
	send_raw(l, MONITOR_REQ_AUTHPASSWORD, tm_req_password("secret"));
}

static void
v_sign_unknown_key(struct live *l)
{
	u_char hash[32];
	struct key *pub = tm_public(tm_otherkey);

	memset(hash, 1, sizeof(hash));
	send_raw(l, MONITOR_REQ_SIGN, tm_req_sign(pub, "", hash, 32));
	key_free(pub);
}

static void
expect_fatal(const char *name, violation_fn *fn, const char *logged)
{
	struct monitor_options o;
	struct live l;
	char title[128];

	snprintf(title, sizeof(title), "live: monitor dies on %s", name);
	TEST_START(title);
	tm_default_opts(&o);
	o.max_auth_tries = 3;
	live_start(&l, &o, &tm_hooks, NULL);
	fn(&l);
	ASSERT_INT_EQ(live_end(&l), 255);
	ASSERT_TRUE(log_has(&l, logged));
	TEST_DONE();
}

static void
test_violations(void)
{
	struct monitor_options o;
	struct live l;

	expect_fatal("a post-auth request pre-auth", v_pty_preauth,
	    "pty request not allowed in this phase");
	expect_fatal("a repeated once-only request", v_pwnam_twice,
	    "pwnam request made twice");
	expect_fatal("a huge length", v_huge_length, "out of range");
	expect_fatal("an unknown type", v_unknown, "unknown request type 200");
	expect_fatal("trailing bytes", v_trailing,
	    "unexpected bytes remain");
	expect_fatal("a truncated message", v_truncated, "incomplete");
	expect_fatal("a key query before the user", v_key_before_user,
	    "keyallowed request before the user is known");
	expect_fatal("too many passwords", v_too_many_passwords,
	    "password request after 3 failures");
	expect_fatal("a sign request for a key it lacks", v_sign_unknown_key,
	    "no such host key");

	TEST_START("live: a clean close before authentication");
	tm_default_opts(&o);
	live_start(&l, &o, &tm_hooks, NULL);
	ASSERT_INT_EQ(live_end(&l), 1);
	TEST_DONE();
}

/* ------------------------------------------------------------ real pty */

static int
make_ctty(int ttyfd)
{
	pid_t pid;
	int status;

	if ((pid = fork()) == 0)
		_exit(pty_make_controlling_tty(ttyfd) == 0 ? 0 : 1);
	if (pid == -1 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
test_real_pty(void)
{
	struct monitor_options o;
	struct monitor_hooks h = tm_hooks;
	struct live l;
	struct passwd *pw;
	struct winsize ws;
	struct stat st;
	struct group *gr;
	char name[PTY_NAME_MAX], out[16];
	ssize_t n;
	int ok, ptyfd, ttyfd;

	if (geteuid() != 0) {
		fprintf(stderr, "monitor: real pty test skipped: not root\n");
		return;
	}
	TEST_START("live: a real pty through the monitor (root)");
	tm_default_opts(&o);
	h.pty_allocate = monitor_default_hooks.pty_allocate;
	live_start(&l, &o, &h, NULL);
	ASSERT_INT_EQ(mm_getpwnam(l.fd, "alice", &pw), 0);
	pw_free(pw);
	ASSERT_INT_EQ(mm_auth_password(l.fd, "secret", &ok), 0);
	ASSERT_INT_EQ(ok, 1);
	ASSERT_INT_EQ(mm_pty_allocate(l.fd, &ptyfd, &ttyfd, name,
	    sizeof(name)), 0);
	ASSERT_INT_EQ(strncmp(name, "/dev/pts/", 9), 0);
	/* Given to alice (uid 1000 in the stub), group tty, 0620. */
	ASSERT_INT_EQ(stat(name, &st), 0);
	ASSERT_INT_EQ(st.st_uid, 1000);
	if ((gr = getgrnam("tty")) != NULL) {
		ASSERT_INT_EQ(st.st_gid, gr->gr_gid);
		ASSERT_INT_EQ(st.st_mode & 0777, 0620);
	}
	/* Bytes written to the tty come out of the master. */
	ASSERT_INT_EQ(write(ttyfd, "hi\n", 3), 3);
	ASSERT_INT_GT(n = read(ptyfd, out, sizeof(out) - 1), 0);
	out[n] = '\0';
	ASSERT_STRING_EQ(out, "hi\r\n");
	/* Window size set on the master is seen on the tty. */
	ASSERT_INT_EQ(pty_change_window_size(ptyfd, 24, 80, 1 << 20, 0), 0);
	ASSERT_INT_EQ(ioctl(ttyfd, TIOCGWINSZ, &ws), 0);
	ASSERT_INT_EQ(ws.ws_row, 24);
	ASSERT_INT_EQ(ws.ws_col, 80);
	ASSERT_INT_EQ(ws.ws_xpixel, 65535);
	/* A fresh process can take it as its controlling terminal. */
	ASSERT_INT_EQ(make_ctty(ttyfd), 0);
	ASSERT_INT_EQ(pty_release(name), 0);
	ASSERT_INT_EQ(stat(name, &st), 0);
	ASSERT_INT_EQ(st.st_uid, 0);
	ASSERT_INT_EQ(st.st_mode & 0777, 0600);
	ASSERT_INT_EQ(pty_release("/etc/passwd"), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(pty_release("/dev/../etc/passwd"),
	    ERR_INVALID_ARGUMENT);
	close(ptyfd);
	close(ttyfd);
	ASSERT_INT_EQ(live_end(&l), 0);
	TEST_DONE();
}

void
test_live(void)
{
	test_flow();
	test_log_forwarding();
	test_violations();
	test_real_pty();
}
