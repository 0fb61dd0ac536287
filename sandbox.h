/*
 * sandbox.h: confinement of sshd's pre-auth child (DESIGN.md section 2).
 *
 * The pre-auth child parses every byte the network sends before anyone
 * is authenticated, so after it has dropped to the privsep user and
 * chrooted to the empty privsep directory it also gives up the system
 * calls it does not need:
 *
 *   seccomp  (sandbox-seccomp.c, configure --with-sandbox=seccomp): a
 *            libseccomp filter allowing exactly what the child needs
 *            (I/O on its own descriptors, poll, clocks, getrandom, memory
 *            management, exit); open/openat fail with EACCES so library
 *            probes fail cleanly; anything else kills the process with
 *            SIGSYS.
 *   none     (sandbox-null.c): no filter.  Only for sshd -d and for
 *            sanitizer builds, whose runtimes need system calls a filter
 *            must not allow.
 *
 * Both apply resource limits first (sandbox.c): RLIMIT_FSIZE 0 (no file
 * can grow), RLIMIT_NOFILE just above the highest descriptor the child
 * keeps (no new descriptors), RLIMIT_NPROC 0 (no new processes; not in
 * sanitizer builds, whose leak checker starts a thread at exit).
 *
 * Functions return 0 or a negative ERR_* code; they never exit.  On
 * failure the caller (the pre-auth child) must fatal(): a half-installed
 * sandbox is no sandbox.
 */
#ifndef KEEL_SANDBOX_H
#define KEEL_SANDBOX_H

#include <stddef.h>

enum sandbox_kind {
	SANDBOX_KIND_NONE,
	SANDBOX_KIND_SECCOMP
};

/* At most this many descriptors may be named in a sandbox_config. */
#define SANDBOX_MAX_FDS	8

struct sandbox_config {
	enum sandbox_kind kind;
	/*
	 * The descriptors the child may read, write, poll and close (its
	 * connection to the peer, its monitor socket, ...).  With nfds 0
	 * I/O is allowed on any descriptor and RLIMIT_NOFILE is left alone.
	 */
	int fds[SANDBOX_MAX_FDS];
	size_t nfds;
};

/* The kind a production sshd uses: SANDBOX_KIND_SECCOMP when built in. */
enum sandbox_kind sandbox_default_kind(void);
/* "seccomp" or "none". */
const char *sandbox_kind_name(enum sandbox_kind kind);

/*
 * Confine the calling process (the pre-auth child, after its privileges
 * are dropped): resource limits, then the filter of cfg->kind.
 * ERR_FEATURE_UNSUPPORTED for a kind not built in, ERR_INVALID_ARGUMENT
 * for a bad configuration, ERR_ERRNO (errno set) if the kernel refuses.
 * Irreversible.
 */
int sandbox_enter(const struct sandbox_config *cfg)
    __attribute__((__warn_unused_result__));

/* The resource limits alone (part of sandbox_enter). */
int sandbox_rlimits(const struct sandbox_config *cfg)
    __attribute__((__warn_unused_result__));

/* The variants' filters, called by sandbox_enter after the limits. */
int sandbox_seccomp_install(const struct sandbox_config *cfg)
    __attribute__((__warn_unused_result__));
int sandbox_null_install(const struct sandbox_config *cfg)
    __attribute__((__warn_unused_result__));

#endif /* KEEL_SANDBOX_H */
