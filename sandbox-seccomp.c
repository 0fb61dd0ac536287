/*
 * sandbox-seccomp.c: the seccomp sandbox of sshd's pre-auth child
 * (sandbox.h), built with libseccomp.
 *
 * The filter is an allow-list.  What the child does after it is in place:
 * read and write packets on its connection and monitor socket, poll,
 * read clocks, draw random bytes, allocate memory, log (through the
 * monitor socket) and exit.  Everything else kills the whole process with
 * SIGSYS, except open/openat, which fail with EACCES so that a library
 * probing for a file (a locale, a config) gets an ordinary error.
 */
#include "includes.h"

#include "errcode.h"
#include "log.h"
#include "sandbox.h"

#if SANDBOX_SECCOMP

#include <sys/mman.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>

/* Allowed with any arguments. */
static const char *const seccomp_allow_any[] = {
	/* memory: malloc, OpenSSL (mmap/mprotect are below) */
	"brk", "munmap", "madvise", "mremap",
	/* time */
	"clock_gettime", "clock_gettime64", "clock_getres", "gettimeofday",
	"time", "nanosleep", "clock_nanosleep", "clock_nanosleep_time64",
	/* waiting for I/O (descriptors are checked by read/write) */
	"poll", "ppoll", "ppoll_time64", "select", "_newselect", "pselect6",
	"pselect6_time64",
	/* randomness, identity, signals, locks */
	"getrandom", "getpid", "gettid", "getppid", "rt_sigprocmask",
	"sigprocmask", "rt_sigreturn", "sigreturn", "restart_syscall",
	"futex", "futex_time64", "sched_yield",
	/* stdio asks fstat about a stream before buffering it */
	"fstat", "fstat64", "newfstatat", "fstatat64",
	/* closing a descriptor gives nothing away */
	"close",
	/* leaving */
	"exit", "exit_group",
};

/* Allowed on the configured descriptors only (their argument 0). */
static const char *const seccomp_allow_fd[] = {
	"read", "readv", "write", "writev", "recvfrom", "sendto", "shutdown",
};

/* Fail with EACCES instead of killing. */
static const char *const seccomp_eacces[] = {
	"open", "openat", "openat2",
};

/* fcntl commands the child may use on its descriptors (non-blocking). */
static const int seccomp_fcntl_cmds[] = {
	F_GETFL, F_SETFL, F_GETFD, F_SETFD,
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Argument comparisons, spelled out (libseccomp's macros leave fields
 * to default initialisation, which -Wmissing-field-initializers flags). */
static struct scmp_arg_cmp
seccomp_arg(unsigned int arg, enum scmp_compare op, uint64_t a, uint64_t b)
{
	struct scmp_arg_cmp c;

	memset(&c, 0, sizeof(c));
	c.arg = arg;
	c.op = op;
	c.datum_a = a;
	c.datum_b = b;
	return c;
}

/*
 * The number of a system call of this architecture, or -1 if it has no
 * such call (e.g. "mmap2" on x86_64), which is then simply not allowed.
 */
static int
seccomp_nr(const char *name)
{
	int nr = seccomp_syscall_resolve_name(name);

	return nr < 0 ? -1 : nr;
}

static int
seccomp_add(scmp_filter_ctx ctx, uint32_t action, const char *name,
    unsigned int nargs, const struct scmp_arg_cmp *args)
{
	int nr, rc;

	if ((nr = seccomp_nr(name)) == -1)
		return 0;
	if ((rc = seccomp_rule_add_array(ctx, action, nr, nargs, args)) < 0) {
		error_f("seccomp_rule_add %s: %s", name, strerror(-rc));
		return ERR_INTERNAL;
	}
	return 0;
}

static int
seccomp_add_plain(scmp_filter_ctx ctx)
{
	size_t i;
	int r;

	for (i = 0; i < NELEM(seccomp_allow_any); i++) {
		if ((r = seccomp_add(ctx, SCMP_ACT_ALLOW, seccomp_allow_any[i],
		    0, NULL)) != 0)
			return r;
	}
	for (i = 0; i < NELEM(seccomp_eacces); i++) {
		if ((r = seccomp_add(ctx, SCMP_ACT_ERRNO(EACCES),
		    seccomp_eacces[i], 0, NULL)) != 0)
			return r;
	}
	return 0;
}

/* Mappings and protection changes, but never executable memory. */
static int
seccomp_add_memory(scmp_filter_ctx ctx)
{
	struct scmp_arg_cmp noexec = seccomp_arg(2, SCMP_CMP_MASKED_EQ,
	    PROT_EXEC, 0);
	int r;

	if ((r = seccomp_add(ctx, SCMP_ACT_ALLOW, "mmap", 1, &noexec)) != 0 ||
	    (r = seccomp_add(ctx, SCMP_ACT_ALLOW, "mmap2", 1, &noexec)) != 0 ||
	    (r = seccomp_add(ctx, SCMP_ACT_ALLOW, "mprotect", 1,
	    &noexec)) != 0)
		return r;
	return 0;
}

/* I/O calls and fcntl, on one descriptor or (fd -1) on any. */
static int
seccomp_add_fd(scmp_filter_ctx ctx, int fd)
{
	struct scmp_arg_cmp args[2];
	unsigned int n = 0;
	size_t i;
	int r;

	if (fd != -1)
		args[n++] = seccomp_arg(0, SCMP_CMP_EQ, (uint32_t)fd, 0);
	for (i = 0; i < NELEM(seccomp_allow_fd); i++) {
		if ((r = seccomp_add(ctx, SCMP_ACT_ALLOW, seccomp_allow_fd[i],
		    n, args)) != 0)
			return r;
	}
	for (i = 0; i < NELEM(seccomp_fcntl_cmds); i++) {
		args[n] = seccomp_arg(1, SCMP_CMP_EQ,
		    (uint32_t)seccomp_fcntl_cmds[i], 0);
		if ((r = seccomp_add(ctx, SCMP_ACT_ALLOW, "fcntl", n + 1,
		    args)) != 0 ||
		    (r = seccomp_add(ctx, SCMP_ACT_ALLOW, "fcntl64", n + 1,
		    args)) != 0)
			return r;
	}
	return 0;
}

/*
 * abort() raises SIGABRT on the calling thread: let that through so a
 * crash is reported as one rather than as a sandbox violation.
 */
static int
seccomp_add_abort(scmp_filter_ctx ctx)
{
	struct scmp_arg_cmp args[2];

	args[0] = seccomp_arg(0, SCMP_CMP_EQ, (uint32_t)getpid(), 0);
	args[1] = seccomp_arg(2, SCMP_CMP_EQ, SIGABRT, 0);

	return seccomp_add(ctx, SCMP_ACT_ALLOW, "tgkill", 2, args);
}

static int
seccomp_build(scmp_filter_ctx ctx, const struct sandbox_config *cfg)
{
	size_t i;
	int r;

	if ((r = seccomp_add_plain(ctx)) != 0 ||
	    (r = seccomp_add_memory(ctx)) != 0 ||
	    (r = seccomp_add_abort(ctx)) != 0)
		return r;
	if (cfg->nfds == 0)
		return seccomp_add_fd(ctx, -1);
	for (i = 0; i < cfg->nfds; i++) {
		if ((r = seccomp_add_fd(ctx, cfg->fds[i])) != 0)
			return r;
	}
	return 0;
}

int
sandbox_seccomp_install(const struct sandbox_config *cfg)
{
	scmp_filter_ctx ctx = NULL;
	int r = ERR_INTERNAL, rc;

	if (cfg == NULL)
		return ERR_INVALID_ARGUMENT;
	/* The filter sets no_new_privs itself (SCMP_FLTATR_CTL_NNP). */
	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL) {
		error_f("seccomp_init failed");
		goto out;
	}
	if ((r = seccomp_build(ctx, cfg)) != 0)
		goto out;
	if ((rc = seccomp_load(ctx)) < 0) {
		errno = -rc;
		error_f("seccomp_load: %s", strerror(errno));
		r = ERR_ERRNO;
		goto out;
	}
	r = 0;
 out:
	seccomp_release(ctx);
	return r;
}

#else /* SANDBOX_SECCOMP */

int
sandbox_seccomp_install(const struct sandbox_config *cfg)
{
	(void)cfg;
	error_f("this sshd was built without the seccomp sandbox");
	return ERR_FEATURE_UNSUPPORTED;
}

#endif /* SANDBOX_SECCOMP */
