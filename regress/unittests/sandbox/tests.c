/*
 * tests.c: the pre-auth sandbox (sandbox.h).  Each case forks a child
 * that enters a sandbox and then tries something; the parent judges by
 * the child's exit status (0 = every allowed call worked) or the signal
 * that killed it (SIGSYS = the filter refused a call), and reads the
 * child's seccomp mode from /proc while it waits.
 */
#include "includes.h"

#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>

#include "../test_helper/test_helper.h"
#include "errcode.h"
#include "sandbox.h"

/* A child's two pipes: it reports on up[1], waits on down[0]. */
struct chan {
	int up[2];
	int down[2];
};

typedef int child_fn(struct chan *);

static void
chan_open(struct chan *c)
{
	ASSERT_INT_EQ(pipe(c->up), 0);
	ASSERT_INT_EQ(pipe(c->down), 0);
}

static void
chan_close(struct chan *c)
{
	close(c->up[0]);
	close(c->down[1]);
}

/* The sandbox of cfg's kind over the child's two pipe ends. */
static int
enter(struct chan *c, enum sandbox_kind kind)
{
	struct sandbox_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.kind = kind;
	cfg.fds[cfg.nfds++] = c->up[1];
	cfg.fds[cfg.nfds++] = c->down[0];
	return sandbox_enter(&cfg);
}

/* Fork a child running fn; *pidp is its pid. */
static void
spawn(struct chan *c, child_fn *fn, pid_t *pidp)
{
	pid_t pid;

	chan_open(c);
	ASSERT_INT_NE(pid = fork(), -1);
	if (pid == 0) {
		close(c->up[0]);
		close(c->down[1]);
		_exit(fn(c));
	}
	close(c->up[1]);
	close(c->down[0]);
	*pidp = pid;
}

static void
reap(pid_t pid, int *statusp)
{
	ASSERT_INT_EQ(waitpid(pid, statusp, 0), pid);
}

/* Run fn to completion in a child; its wait status. */
static int
run(child_fn *fn)
{
	struct chan c;
	pid_t pid;
	int status;

	spawn(&c, fn, &pid);
	chan_close(&c);
	reap(pid, &status);
	return status;
}

/* The "Seccomp:" field of /proc/<pid>/status, -1 if absent. */
static int
seccomp_mode(pid_t pid)
{
	char path[64], line[256];
	FILE *f;
	int mode = -1;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	ASSERT_PTR_NE(f = fopen(path, "r"), NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "Seccomp:", 8) == 0)
			mode = (int)strtol(line + 8, NULL, 10);
	}
	fclose(f);
	return mode;
}

/* Can the filter be tested here?  Not in sanitizer builds: their
 * runtimes make calls (sigaltstack, ...) it rightly forbids, which is why
 * they use the null sandbox. */
static int
seccomp_testable(const char **whyp)
{
	*whyp = NULL;
	if (!SANDBOX_SECCOMP)
		*whyp = "built --with-sandbox=none";
	else if (SANITIZER_BUILD)
		*whyp = "sanitizer build (its runtime needs calls the filter "
		    "forbids)";
	return *whyp == NULL;
}

/* ------------------------------------------------------------ children */

/* Everything the pre-auth child needs, inside the seccomp filter. */
static int
child_allowed(struct chan *c)
{
	struct timespec ts;
	struct pollfd pfd;
	u_char rnd[32], byte = 'r';
	void *big, *small;
	int fl;

	if (enter(c, SANDBOX_KIND_SECCOMP) != 0)
		return 10;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 11;
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return 12;
	/* malloc: small blocks from brk, big ones from mmap. */
	if ((small = malloc(100)) == NULL || (big = malloc(4 << 20)) == NULL)
		return 13;
	memset(big, 1, 4 << 20);
	free(big);
	free(small);
	if (getpid() <= 1)
		return 14;
	/* Probing a file fails cleanly with EACCES. */
	if (open("/etc/hostname", O_RDONLY) != -1 || errno != EACCES)
		return 15;
	if ((fl = fcntl(c->up[1], F_GETFL)) == -1 ||
	    fcntl(c->up[1], F_SETFL, fl | O_NONBLOCK) == -1)
		return 16;
	/* Tell the parent we are ready, wait for it to look at us. */
	if (write(c->up[1], &byte, 1) != 1)
		return 17;
	pfd.fd = c->down[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 10000) != 1 || read(c->down[0], &byte, 1) != 1)
		return 18;
	return 0;
}

static int
child_socket(struct chan *c)
{
	if (enter(c, SANDBOX_KIND_SECCOMP) != 0)
		return 10;
	(void)socket(AF_INET, SOCK_STREAM, 0);
	return 0;	/* not reached when the filter works */
}

static int
child_execve(struct chan *c)
{
	char *argv[] = { "/bin/true", NULL };
	char *envp[] = { NULL };

	if (enter(c, SANDBOX_KIND_SECCOMP) != 0)
		return 10;
	execve(argv[0], argv, envp);
	return 0;
}

static int
child_foreign_fd(struct chan *c)
{
	int fd;

	/* A descriptor opened before the filter but not named in it. */
	if ((fd = open("/dev/null", O_WRONLY)) == -1)
		return 9;
	if (enter(c, SANDBOX_KIND_SECCOMP) != 0)
		return 10;
	if (write(fd, "x", 1) == 1)
		return 0;
	return 1;
}

static int
child_exec_memory(struct chan *c)
{
	if (enter(c, SANDBOX_KIND_SECCOMP) != 0)
		return 10;
	(void)mmap(NULL, 4096, PROT_READ | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return 0;
}

static int
child_fork(struct chan *c)
{
	if (enter(c, SANDBOX_KIND_SECCOMP) != 0)
		return 10;
	if (fork() == 0)
		_exit(0);
	return 0;
}

/* The null sandbox: limits only; what seccomp forbids still works. */
static int
child_null(struct chan *c)
{
	struct rlimit rl;
	int fd, maxfd = MAXIMUM(c->up[1], c->down[0]);

	if (enter(c, SANDBOX_KIND_NONE) != 0)
		return 10;
	if (getrlimit(RLIMIT_FSIZE, &rl) != 0 || rl.rlim_cur != 0 ||
	    rl.rlim_max != 0)
		return 11;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 ||
	    rl.rlim_cur != (rlim_t)maxfd + 1)
		return 12;
#if !SANITIZER_BUILD
	if (getrlimit(RLIMIT_NPROC, &rl) != 0 || rl.rlim_cur != 0)
		return 13;
#endif
	/* No descriptor above the limit can be made... */
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) != -1 && fd > maxfd)
		return 14;
	return 0;
}

/* ------------------------------------------------------------ tests */

static void
expect_sigsys(const char *name, child_fn *fn)
{
	int status;

	TEST_START(name);
	status = run(fn);
	if (WIFEXITED(status))
		fprintf(stderr, "%s: child exited %d\n", name,
		    WEXITSTATUS(status));
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_INT_EQ(WTERMSIG(status), SIGSYS);
	TEST_DONE();
}

static void
test_config(void)
{
	struct sandbox_config cfg;

	TEST_START("sandbox config checks");
	ASSERT_STRING_EQ(sandbox_kind_name(SANDBOX_KIND_SECCOMP), "seccomp");
	ASSERT_STRING_EQ(sandbox_kind_name(SANDBOX_KIND_NONE), "none");
#if SANDBOX_SECCOMP && !SANITIZER_BUILD
	ASSERT_INT_EQ(sandbox_default_kind(), SANDBOX_KIND_SECCOMP);
#else
	ASSERT_INT_EQ(sandbox_default_kind(), SANDBOX_KIND_NONE);
#endif
	memset(&cfg, 0, sizeof(cfg));
	cfg.nfds = SANDBOX_MAX_FDS + 1;
	ASSERT_INT_EQ(sandbox_enter(&cfg), ERR_INVALID_ARGUMENT);
	cfg.nfds = 1;
	cfg.fds[0] = -1;
	ASSERT_INT_EQ(sandbox_rlimits(&cfg), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(sandbox_enter(NULL), ERR_INVALID_ARGUMENT);
	TEST_DONE();
}

static void
test_allowed(void)
{
	struct chan c;
	pid_t pid;
	u_char byte;
	int status;

	TEST_START("seccomp child: allowed calls work, Seccomp: 2");
	spawn(&c, child_allowed, &pid);
	/* The child says it got through the allowed calls. */
	if (read(c.up[0], &byte, 1) == 1) {
		ASSERT_INT_EQ(seccomp_mode(pid), 2);
		ASSERT_INT_EQ(write(c.down[1], "g", 1), 1);
	}
	chan_close(&c);
	reap(pid, &status);
	if (!WIFEXITED(status))
		fprintf(stderr, "child killed by signal %d\n",
		    WTERMSIG(status));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_INT_EQ(WEXITSTATUS(status), 0);
	TEST_DONE();
}

static void
test_null(void)
{
	struct chan c;
	pid_t pid;
	int status;

	TEST_START("null sandbox: limits only, Seccomp: 0");
	status = run(child_null);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_INT_EQ(WEXITSTATUS(status), 0);
	/* /proc says so too (a zombie keeps its entry until reaped). */
	spawn(&c, child_null, &pid);
	ASSERT_INT_EQ(seccomp_mode(pid), 0);
	chan_close(&c);
	reap(pid, &status);
	TEST_DONE();
}

static void
test_unsupported(void)
{
	struct sandbox_config cfg;

	TEST_START("seccomp not built in: refused");
	memset(&cfg, 0, sizeof(cfg));
	cfg.kind = SANDBOX_KIND_SECCOMP;
	ASSERT_INT_EQ(sandbox_seccomp_install(&cfg), ERR_FEATURE_UNSUPPORTED);
	TEST_DONE();
}

void
tests(void)
{
	const char *why;

	test_config();
	test_null();
	if (!SANDBOX_SECCOMP)
		test_unsupported();
	if (!seccomp_testable(&why)) {
		fprintf(stderr, "sandbox: seccomp tests skipped: %s\n", why);
		return;
	}
	test_allowed();
	expect_sigsys("seccomp child: socket() kills", child_socket);
	expect_sigsys("seccomp child: execve() kills", child_execve);
	expect_sigsys("seccomp child: write to an unlisted fd kills",
	    child_foreign_fd);
	expect_sigsys("seccomp child: executable mmap kills",
	    child_exec_memory);
	expect_sigsys("seccomp child: fork kills", child_fork);
}
