/*
 * agent-askpass.c: passphrase prompts and confirmations (agent-askpass.h).
 */
#include "includes.h"

#include <sys/wait.h>
#include <fcntl.h>
#include <signal.h>

#include "agent-askpass.h"
#include "log.h"
#include "xmalloc.h"

#ifndef _PATH_SSH_ASKPASS_DEFAULT
#define _PATH_SSH_ASKPASS_DEFAULT	"/usr/libexec/ssh-askpass"
#endif

#define ASKPASS_MAX	1024	/* longest answer read */

void
askpass_free(char *pass)
{
	if (pass != NULL)
		freezero(pass, strlen(pass));
}

/* Wait for pid; its exit status, or -1 if it did not exit normally. */
static int
wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR)
			return -1;
	}
	if (!WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* The child side: stdout to the pipe, then exec the askpass program. */
static void noreturn_fn
askpass_child(int wfd, const char *askpass, const char *prompt,
    const char *hint)
{
	if (dup2(wfd, STDOUT_FILENO) == -1)
		_exit(1);
	if (hint != NULL)
		(void)setenv("SSH_ASKPASS_PROMPT", hint, 1);
	else
		(void)unsetenv("SSH_ASKPASS_PROMPT");
	execlp(askpass, askpass, prompt, (char *)NULL);
	_exit(1);
}

/* Run askpass with prompt; its first output line, or NULL on failure. */
static char *
run_askpass(const char *askpass, const char *prompt, const char *hint)
{
	char buf[ASKPASS_MAX], *ret = NULL;
	size_t len = 0;
	ssize_t n;
	pid_t pid;
	int p[2], status;

	if (pipe2(p, O_CLOEXEC) == -1) {
		error_f("pipe: %s", strerror(errno));
		return NULL;
	}
	(void)fflush(stdout);
	if ((pid = fork()) == -1) {
		error_f("fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return NULL;
	}
	if (pid == 0)
		askpass_child(p[1], askpass, prompt, hint);
	close(p[1]);
	while (len < sizeof(buf) - 1) {
		n = read(p[0], buf + len, sizeof(buf) - 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(p[0]);
	status = wait_child(pid);
	if (status == 0) {
		buf[strcspn(buf, "\r\n")] = '\0';
		ret = xstrdup(buf);
	} else
		debug_f("%s exited with status %d", askpass, status);
	explicit_bzero(buf, sizeof(buf));
	return ret;
}

/* Whether askpass may be used, and whether it must be. */
static void
askpass_policy(int *allowp, int *forcep)
{
	const char *s;

	*allowp = ((s = getenv("DISPLAY")) != NULL && *s != '\0') ||
	    ((s = getenv("WAYLAND_DISPLAY")) != NULL && *s != '\0');
	*forcep = 0;
	if ((s = getenv("SSH_ASKPASS_REQUIRE")) == NULL)
		return;
	if (strcasecmp(s, "force") == 0) {
		*allowp = 1;
		*forcep = 1;
	} else if (strcasecmp(s, "prefer") == 0)
		*forcep = *allowp;
	else if (strcasecmp(s, "never") == 0)
		*allowp = 0;
}

static const char *
askpass_path(void)
{
	const char *s = getenv("SSH_ASKPASS");

	return s != NULL && *s != '\0' ? s : _PATH_SSH_ASKPASS_DEFAULT;
}

char *
askpass_read(const char *prompt, int flags)
{
	char buf[ASKPASS_MAX], *ret;
	int allow, use, rppflags = RPP_ECHO_OFF, fd;

	askpass_policy(&allow, &use);
	if (use)
		debug_f("askpass required");
	else if (flags & ASKPASS_USE_ASKPASS)
		use = 1;
	else if (flags & ASKPASS_ALLOW_STDIN) {
		if (!isatty(STDIN_FILENO))
			use = 1;
	} else {
		rppflags |= RPP_REQUIRE_TTY;
		if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1)
			use = 1;
		else
			close(fd);
	}
	if ((flags & ASKPASS_USE_ASKPASS) && !allow)
		return (flags & ASKPASS_ALLOW_EOF) ? NULL : xstrdup("");
	if (use && allow) {
		ret = run_askpass(askpass_path(), prompt,
		    (flags & ASKPASS_PERMISSION) ? "confirm" : NULL);
		if (ret == NULL && !(flags & ASKPASS_ALLOW_EOF))
			ret = xstrdup("");
		return ret;
	}
	if (readpassphrase(prompt, buf, sizeof(buf), rppflags) == NULL) {
		explicit_bzero(buf, sizeof(buf));
		return (flags & ASKPASS_ALLOW_EOF) ? NULL : xstrdup("");
	}
	ret = xstrdup(buf);
	explicit_bzero(buf, sizeof(buf));
	return ret;
}

int
askpass_confirm(const char *prompt)
{
	char *p;
	int allowed;

	p = askpass_read(prompt, ASKPASS_USE_ASKPASS | ASKPASS_ALLOW_EOF |
	    ASKPASS_PERMISSION);
	allowed = p != NULL && (*p == '\0' || strcasecmp(p, "yes") == 0);
	askpass_free(p);
	return allowed ? 0 : -1;
}
