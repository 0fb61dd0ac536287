/*
 * readpass.c: questions to the user for ssh (sshconnect.h).
 *
 * Passphrases and passwords go through askpass_read() (agent-askpass.c),
 * which follows OpenSSH's rules for SSH_ASKPASS, SSH_ASKPASS_REQUIRE and
 * DISPLAY.  Questions whose answer may be shown (the host key
 * confirmation) are read from the terminal with echo on, falling back
 * to the askpass program when there is no terminal.
 */
#include "includes.h"

#include "agent-askpass.h"
#include "sshconnect.h"
#include "xmalloc.h"

#define READPASS_MAX	1024

char *
readpass(const char *prompt, int flags)
{
	char buf[READPASS_MAX], *ret;
	int aflags = ASKPASS_ALLOW_EOF;

	if (flags & READPASS_CONFIRM)
		aflags |= ASKPASS_PERMISSION;
	if ((flags & READPASS_ECHO) &&
	    readpassphrase(prompt, buf, sizeof(buf),
	    RPP_ECHO_ON | RPP_REQUIRE_TTY) != NULL) {
		ret = xstrdup(buf);
		explicit_bzero(buf, sizeof(buf));
		return ret;
	}
	explicit_bzero(buf, sizeof(buf));
	return askpass_read(prompt, aflags);
}

void
readpass_free(char *s)
{
	askpass_free(s);
}
