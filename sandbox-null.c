/*
 * sandbox-null.c: the "none" sandbox (sandbox.h): resource limits only,
 * no system call filter.  For sshd -d and sanitizer builds.
 */
#include "includes.h"

#include "errcode.h"
#include "log.h"
#include "sandbox.h"

int
sandbox_null_install(const struct sandbox_config *cfg)
{
	if (cfg == NULL)
		return ERR_INVALID_ARGUMENT;
	debug_f("no system call filter: the pre-auth child is not sandboxed");
	return 0;
}
