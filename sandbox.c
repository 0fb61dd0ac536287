/*
 * sandbox.c: choosing a sandbox and the resource limits every kind
 * applies (sandbox.h).
 */
#include "includes.h"

#include <sys/resource.h>

#include "errcode.h"
#include "log.h"
#include "sandbox.h"

enum sandbox_kind
sandbox_default_kind(void)
{
#if SANDBOX_SECCOMP && !SANITIZER_BUILD
	return SANDBOX_KIND_SECCOMP;
#else
	return SANDBOX_KIND_NONE;
#endif
}

const char *
sandbox_kind_name(enum sandbox_kind kind)
{
	return kind == SANDBOX_KIND_SECCOMP ? "seccomp" : "none";
}

static int
sandbox_check_config(const struct sandbox_config *cfg)
{
	size_t i;

	if (cfg == NULL || cfg->nfds > SANDBOX_MAX_FDS)
		return ERR_INVALID_ARGUMENT;
	for (i = 0; i < cfg->nfds; i++) {
		if (cfg->fds[i] < 0)
			return ERR_INVALID_ARGUMENT;
	}
	return 0;
}

static int
sandbox_setlimit(int resource, rlim_t value)
{
	struct rlimit rl;

	rl.rlim_cur = rl.rlim_max = value;
	if (setrlimit(resource, &rl) == -1)
		return ERR_ERRNO;
	return 0;
}

int
sandbox_rlimits(const struct sandbox_config *cfg)
{
	rlim_t nofile = 0;
	size_t i;
	int r;

	if ((r = sandbox_check_config(cfg)) != 0)
		return r;
	/* The child writes no file, so no file may grow. */
	if ((r = sandbox_setlimit(RLIMIT_FSIZE, 0)) != 0) {
		error_f("setrlimit RLIMIT_FSIZE: %s", strerror(errno));
		return r;
	}
	/*
	 * No new descriptors: just above the highest one the child keeps
	 * (poll(2) wants nfds <= RLIMIT_NOFILE, so not lower).
	 */
	if (cfg->nfds > 0) {
		for (i = 0; i < cfg->nfds; i++) {
			if ((rlim_t)cfg->fds[i] + 1 > nofile)
				nofile = (rlim_t)cfg->fds[i] + 1;
		}
		if ((r = sandbox_setlimit(RLIMIT_NOFILE, nofile)) != 0) {
			error_f("setrlimit RLIMIT_NOFILE: %s", strerror(errno));
			return r;
		}
	}
#if !SANITIZER_BUILD
	/* No new processes (the sanitizers' leak checker needs a thread). */
	if ((r = sandbox_setlimit(RLIMIT_NPROC, 0)) != 0) {
		error_f("setrlimit RLIMIT_NPROC: %s", strerror(errno));
		return r;
	}
#endif
	return 0;
}

int
sandbox_enter(const struct sandbox_config *cfg)
{
	int r;

	if ((r = sandbox_check_config(cfg)) != 0)
		return r;
	if ((r = sandbox_rlimits(cfg)) != 0)
		return r;
	switch (cfg->kind) {
	case SANDBOX_KIND_SECCOMP:
		r = sandbox_seccomp_install(cfg);
		break;
	case SANDBOX_KIND_NONE:
		r = sandbox_null_install(cfg);
		break;
	default:
		r = ERR_INVALID_ARGUMENT;
		break;
	}
	if (r == 0)
		debug3_f("%s sandbox in place", sandbox_kind_name(cfg->kind));
	return r;
}
