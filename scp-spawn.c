/*
 * scp-spawn.c: starting ssh (for the legacy protocol's remote scp, and
 * for remote-to-remote copies) and cp (local copies), and stopping them
 * when we are interrupted (scp.h).
 */
#include "includes.h"

#include <sys/socket.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <signal.h>

#include "log.h"
#include "misc.h"
#include "scp.h"
#include "xmalloc.h"

/* The children a signal must stop: at most two run at once (-3). */
#define SCP_MAX_CHILDREN	4
static volatile pid_t scp_children[SCP_MAX_CHILDREN];
static void (*volatile scp_abort_hook)(void);

void
scp_set_abort_hook(void (*fn)(void))
{
	scp_abort_hook = fn;
}

void
scp_child_add(pid_t pid)
{
	size_t i;

	for (i = 0; i < SCP_MAX_CHILDREN; i++) {
		if (scp_children[i] <= 0) {
			scp_children[i] = pid;
			return;
		}
	}
}

void
scp_child_forget(pid_t pid)
{
	size_t i;

	for (i = 0; i < SCP_MAX_CHILDREN; i++) {
		if (scp_children[i] == pid)
			scp_children[i] = 0;
	}
}

int
scp_child_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR) {
			scp_child_forget(pid);
			return -1;
		}
	}
	scp_child_forget(pid);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* SIGINT, SIGHUP, SIGTERM: pass it on to the children, then go. */
static void
kill_children(int sig)
{
	size_t i;
	pid_t pid;

	if (scp_abort_hook != NULL)
		scp_abort_hook();
	for (i = 0; i < SCP_MAX_CHILDREN; i++) {
		if ((pid = scp_children[i]) > 1) {
			kill(pid, sig);
			(void)waitpid(pid, NULL, 0);
		}
	}
	_exit(1);
}

/* ^Z and friends: stop the children, then ourselves. */
static void
suspend_children(int sig)
{
	int saved_errno = errno, status;
	size_t i;
	pid_t pid;

	for (i = 0; i < SCP_MAX_CHILDREN; i++) {
		if ((pid = scp_children[i]) <= 1)
			continue;
		kill(pid, sig);
		while (waitpid(pid, &status, WUNTRACED) == -1 &&
		    errno == EINTR)
			;
	}
	kill(getpid(), SIGSTOP);
	errno = saved_errno;
}

static void
set_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(sig, &sa, NULL) == -1)
		fatal_f("sigaction: %s", strerror(errno));
}

void
scp_signals_setup(void)
{
	set_handler(SIGPIPE, SIG_IGN);
	set_handler(SIGINT, kill_children);
	set_handler(SIGHUP, kill_children);
	set_handler(SIGTERM, kill_children);
	set_handler(SIGTSTP, suspend_children);
	set_handler(SIGTTIN, suspend_children);
	set_handler(SIGTTOU, suspend_children);
}

/* program [options] [extra] [-p port] [-l user] -- host cmd */
static void
ssh_argv(const struct scp_opts *o, struct scp_argv *a, const char *extra,
    const char *host, const char *user, int port, const char *cmd)
{
	size_t i;

	scp_argv_add(a, "%s", o->ssh_program);
	for (i = 0; i < o->ssh_args.num; i++)
		scp_argv_add(a, "%s", o->ssh_args.list[i]);
	if (extra != NULL)
		scp_argv_add(a, "%s", extra);
	if (port == -1)
		port = o->port;
	if (port != -1) {
		scp_argv_add(a, "-p");
		scp_argv_add(a, "%d", port);
	}
	if (user != NULL) {
		scp_argv_add(a, "-l");
		scp_argv_add(a, "%s", user);
	}
	scp_argv_add(a, "--");
	scp_argv_add(a, "%s", host);
	scp_argv_add(a, "%s", cmd);
}

static void
announce(const struct scp_opts *o, const char *host, const char *user,
    const char *cmd)
{
	if (o->verbose)
		scp_eprintf("Executing: program %s host %s, user %s, "
		    "command %s\n", o->ssh_program, host,
		    user != NULL ? user : "(unspecified)", cmd);
}

/* Fork and exec argv with fdin / fdout as its stdin / stdout. */
static pid_t
spawn(char **argv, int fdin, int fdout)
{
	pid_t pid;

	if ((pid = fork()) == -1)
		fatal("fork: %s", strerror(errno));
	if (pid == 0) {
		if (dup2(fdin, STDIN_FILENO) == -1 ||
		    dup2(fdout, STDOUT_FILENO) == -1) {
			scp_eprintf("dup2: %s\n", strerror(errno));
			_exit(1);
		}
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		execvp(argv[0], argv);
		scp_eprintf("%s: %s\n", argv[0], strerror(errno));
		_exit(1);
	}
	scp_child_add(pid);
	return pid;
}

pid_t
scp_do_cmd(const struct scp_opts *o, const char *host, const char *user,
    int port, const char *cmd, int *inp, int *outp)
{
	struct scp_argv a = { NULL, 0, 0 };
	int sv[2];
	pid_t pid;

	announce(o, host, user, cmd);
	ssh_argv(o, &a, NULL, host, user, port, cmd);
	/*
	 * A socketpair, as OpenSSH's scp uses: its buffers are larger than
	 * a pipe's.  Close-on-exec: later children must not hold it open.
	 */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		fatal("socketpair: %s", strerror(errno));
	pid = spawn(a.list, sv[1], sv[1]);
	close(sv[1]);
	*inp = sv[0];
	/* Our own descriptor for each direction: callers close both. */
	if ((*outp = fcntl(sv[0], F_DUPFD_CLOEXEC, 0)) == -1)
		fatal("dup: %s", strerror(errno));
	scp_argv_free(&a);
	return pid;
}

pid_t
scp_do_cmd2(const struct scp_opts *o, const char *host, const char *user,
    int port, const char *cmd, int fdin, int fdout)
{
	struct scp_argv a = { NULL, 0, 0 };
	pid_t pid;

	announce(o, host, user, cmd);
	/* We cannot ask for two hosts' passwords at once. */
	ssh_argv(o, &a, "-oBatchMode=yes", host, user, port, cmd);
	pid = spawn(a.list, fdin, fdout);
	scp_argv_free(&a);
	return pid;
}

int
scp_run_local(const struct scp_opts *o, char **argv)
{
	pid_t pid;
	size_t i;

	if (o->verbose) {
		scp_eprintf("Executing: %s", argv[0]);
		for (i = 1; argv[i] != NULL; i++)
			scp_eprintf(" '%s'", argv[i]);
		scp_eprintf("\n");
	}
	pid = spawn(argv, STDIN_FILENO, STDOUT_FILENO);
	return scp_child_wait(pid);
}
