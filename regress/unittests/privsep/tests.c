/*
 * tests.c: the process model's seed (DESIGN.md section 2): this process
 * is the monitor (root, real hooks); it forks a pre-auth child that
 * chroots to PRIVSEP_PATH, becomes PRIVSEP_USER, enters the seccomp
 * sandbox and then authenticates a real user by password through the
 * monitor.  While the child waits for an answer, its uid, gid, root
 * directory, seccomp mode and no_new_privs are read from /proc.
 *
 * Needs root, the privsep user and directory, and a test user with a
 * known password: regress/privsep.sh sets up
 *   KEEL_PRIVSEP_READY=1, KEEL_TEST_PW_USER, KEEL_TEST_PASSWORD
 * and runs this program; without them it says why it skips.
 */
#include "includes.h"

#include <sys/socket.h>
#include <sys/wait.h>
#include <pwd.h>
#include <signal.h>

#include "../test_helper/test_helper.h"
#include "errcode.h"
#include "log.h"
#include "monitor.h"
#include "monitor-wrap.h"
#include "sandbox.h"
#include "uidswap.h"

/* The numbers after "<field>:" in /proc/<pid>/status; how many. */
static int
proc_field(pid_t pid, const char *field, long *vals, int maxvals)
{
	char path[64], line[1024], *cp, *ep;
	size_t flen = strlen(field);
	FILE *f;
	int n = -1;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	ASSERT_PTR_NE(f = fopen(path, "r"), NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, field, flen) != 0 || line[flen] != ':')
			continue;
		cp = line + flen + 1;
		for (n = 0; n < maxvals; n++) {
			vals[n] = strtol(cp, &ep, 10);
			if (ep == cp)
				break;
			cp = ep;
		}
	}
	fclose(f);
	return n;
}

/*
 * The pre-auth child: everything after fork is what sshd's child does
 * before it parses a byte from the network.  Exit codes say how far it
 * got: 0 authenticated; 1x set-up failed; 2x the monitor said no.
 */
static void noreturn_fn
preauth_child(int fd, const struct passwd *privpw, const char *user,
    const char *password)
{
	struct sandbox_config cfg;
	struct passwd *pw = NULL;
	char err[512];
	int ok = 0;

	if (uidswap_privsep_child(privpw, PRIVSEP_PATH, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "pre-auth child: %s\n", err);
		_exit(10);
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.kind = SANDBOX_KIND_SECCOMP;
	cfg.fds[cfg.nfds++] = fd;
	if (sandbox_enter(&cfg) != 0)
		_exit(11);
	/* From here on, log lines go to the monitor. */
	log_set_handler(mm_log_handler, &fd);
	logit("pre-auth child sandboxed");
	if (mm_getpwnam(fd, user, &pw) != 0)
		_exit(20);
	if (strcmp(pw->pw_passwd, "*") != 0)
		_exit(21);
	pw_free(pw);
	if (mm_auth_password(fd, "wrong password", &ok) != 0 || ok)
		_exit(22);
	if (mm_auth_password(fd, password, &ok) != 0 || !ok)
		_exit(23);
	_exit(0);
}

static void
check_child(pid_t pid, const struct passwd *privpw)
{
	char path[64], root[PATH_MAX];
	long v[4];
	ssize_t n;
	int i;

	ASSERT_INT_EQ(proc_field(pid, "Uid", v, 4), 4);
	for (i = 0; i < 4; i++)
		ASSERT_INT_EQ(v[i], privpw->pw_uid);
	ASSERT_INT_EQ(proc_field(pid, "Gid", v, 4), 4);
	for (i = 0; i < 4; i++)
		ASSERT_INT_EQ(v[i], privpw->pw_gid);
	ASSERT_INT_EQ(proc_field(pid, "Groups", v, 4), 1);
	ASSERT_INT_EQ(v[0], privpw->pw_gid);
	ASSERT_INT_EQ(proc_field(pid, "Seccomp", v, 1), 1);
	ASSERT_INT_EQ(v[0], 2);
	ASSERT_INT_EQ(proc_field(pid, "NoNewPrivs", v, 1), 1);
	ASSERT_INT_EQ(v[0], 1);
	snprintf(path, sizeof(path), "/proc/%ld/root", (long)pid);
	ASSERT_INT_GT(n = readlink(path, root, sizeof(root) - 1), 0);
	root[n] = '\0';
	ASSERT_STRING_EQ(root, PRIVSEP_PATH);
}

static void
test_preauth_child(const char *user, const char *password)
{
	struct monitor_options o;
	struct monitor *m = NULL;
	struct passwd *privpw = NULL;
	char err[512];
	int sv[2], status;
	pid_t pid;

	TEST_START("pre-auth child: privsep user, chroot, seccomp, by /proc");
	ASSERT_INT_EQ(uidswap_privsep_user(PRIVSEP_USER, &privpw, err,
	    sizeof(err)), 0);
	ASSERT_INT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	memset(&o, 0, sizeof(o));
	o.password_authentication = 1;
	o.permit_root_login = MONITOR_ROOT_NO;
	o.max_auth_tries = 6;
	ASSERT_INT_EQ(monitor_new(sv[0], &o, &m), 0);
	ASSERT_INT_NE(pid = fork(), -1);
	if (pid == 0) {
		close(sv[0]);
		preauth_child(sv[1], privpw, user, password);
	}
	close(sv[1]);
	/* Its first request (the log line) proves it is sandboxed... */
	ASSERT_INT_EQ(monitor_process_one(m), 0);
	/* ...and it waits for our answer to the next: look at it now. */
	check_child(pid, privpw);
	ASSERT_INT_EQ(monitor_loop(m), 0);
	ASSERT_INT_EQ(monitor_authenticated(m), 1);
	ASSERT_STRING_EQ(monitor_user(m)->pw_name, user);
	ASSERT_INT_EQ(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		fprintf(stderr, "pre-auth child killed by signal %d\n",
		    WTERMSIG(status));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_INT_EQ(WEXITSTATUS(status), 0);
	close(sv[0]);
	monitor_free(m);
	pw_free(privpw);
	TEST_DONE();
}

void
tests(void)
{
	const char *ready = getenv("KEEL_PRIVSEP_READY");
	const char *user = getenv("KEEL_TEST_PW_USER");
	const char *password = getenv("KEEL_TEST_PASSWORD");

	if (geteuid() != 0 || ready == NULL || strcmp(ready, "1") != 0 ||
	    user == NULL || password == NULL) {
		fprintf(stderr, "privsep: pre-auth child test skipped: needs "
		    "root, KEEL_PRIVSEP_READY=1, KEEL_TEST_PW_USER and "
		    "KEEL_TEST_PASSWORD (regress/privsep.sh sets them)\n");
		return;
	}
	if (!SANDBOX_SECCOMP || SANITIZER_BUILD) {
		fprintf(stderr, "privsep: pre-auth child test skipped: no "
		    "seccomp sandbox in this build (--with-sandbox=none or a "
		    "sanitizer build)\n");
		return;
	}
	log_init("test_privsep", LOG_LEVEL_INFO, LOG_FACILITY_NOT_SET, 1);
	test_preauth_child(user, password);
}
