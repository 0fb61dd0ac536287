/*
 * sftp-client-spawn.c: start the transport of an SFTP session: ssh with
 * the sftp subsystem, or a local server for -D (sftp-client.h).  Shared
 * by sftp and scp.
 */
#include "includes.h"

#include <sys/socket.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <signal.h>

#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "sftp-client.h"

/* Bound on the words handed to ssh (options, host, subsystem). */
#define SPAWN_MAX_ARGS	4096

/* In the child: stdin/stdout onto the socket, signals, then exec. */
static void
spawn_child(const char *path, char **argv, int sock, int ignore_sigint)
{
	sigset_t none;

	if (dup2(sock, STDIN_FILENO) == -1 ||
	    dup2(sock, STDOUT_FILENO) == -1) {
		fprintf(stderr, "dup2: %s\r\n", strerror(errno));
		_exit(1);
	}
	closefrom(STDERR_FILENO + 1);
	/*
	 * The transport shares our process group: with ignore_sigint a ^C
	 * meant to interrupt a transfer leaves the connection alone.
	 */
	signal(SIGINT, ignore_sigint ? SIG_IGN : SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execvp(path, argv);
	fprintf(stderr, "exec: %s: %s\r\n", path, strerror(errno));
	_exit(1);
}

/*
 * Fork and exec argv[0] (PATH searched) on one end of a socketpair: its
 * stdin and stdout; the other end is both our descriptors.  (A Unix
 * socket moves bulk data with less work than a pair of pipes.)
 */
static int
spawn_argv(char **argv, int ignore_sigint, struct sftp_child *c)
{
	int sp[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == -1)
		return ERR_ERRNO;
	if (fcntl(sp[0], F_SETFD, FD_CLOEXEC) == -1) {
		close(sp[0]);
		close(sp[1]);
		return ERR_ERRNO;
	}
	debug3("spawn: executing %s", argv[0]);
	if ((pid = fork()) == -1) {
		close(sp[0]);
		close(sp[1]);
		return ERR_ERRNO;
	}
	if (pid == 0)
		spawn_child(argv[0], argv, sp[1], ignore_sigint);
	close(sp[1]);
	c->pid = pid;
	c->fd_out = sp[0];
	c->fd_in = sp[0];
	return 0;
}

static void
child_clear(struct sftp_child *c)
{
	c->pid = -1;
	c->fd_in = -1;
	c->fd_out = -1;
}

int
sftp_spawn_ssh(const char *program, char *const *ssh_args,
    const char *host, const char *subsystem, int ignore_sigint,
    struct sftp_child *childp)
{
	char **argv = NULL;
	size_t n = 0, nopts = 0;
	int r;

	child_clear(childp);
	if (program == NULL || *program == '\0' || host == NULL ||
	    subsystem == NULL)
		return ERR_INVALID_ARGUMENT;
	while (ssh_args != NULL && ssh_args[nopts] != NULL)
		if (++nopts > SPAWN_MAX_ARGS)
			return ERR_INVALID_ARGUMENT;
	/* program, options, -s, --, host, subsystem, NULL */
	if ((argv = calloc(nopts + 6, sizeof(*argv))) == NULL)
		return ERR_ALLOC_FAIL;
	argv[n++] = (char *)program;
	while (n - 1 < nopts) {
		argv[n] = ssh_args[n - 1];
		n++;
	}
	/* A path (OpenSSH's -s /path/sftp-server) runs as a command. */
	if (strchr(subsystem, '/') == NULL)
		argv[n++] = (char *)"-s";
	argv[n++] = (char *)"--";
	argv[n++] = (char *)host;
	argv[n++] = (char *)subsystem;
	argv[n] = NULL;
	r = spawn_argv(argv, ignore_sigint, childp);
	free(argv);
	return r;
}

int
sftp_spawn_command(const char *command, int ignore_sigint,
    struct sftp_child *childp)
{
	char **argv = NULL;
	int argc = 0, r;

	child_clear(childp);
	if ((r = argv_split(command, &argc, &argv, 1)) != 0)
		return r;
	if (argc < 1) {
		argv_free(argv, argc);
		return ERR_INVALID_FORMAT;
	}
	r = spawn_argv(argv, ignore_sigint, childp);
	argv_free(argv, argc);
	return r;
}

int
sftp_child_finish(struct sftp_child *child, int kill_first, int *statusp)
{
	int status = 0, r = 0;
	pid_t pid;

	if (statusp != NULL)
		*statusp = 0;
	if (child->fd_out != -1)
		close(child->fd_out);
	if (child->fd_in != -1 && child->fd_in != child->fd_out)
		close(child->fd_in);
	child->fd_in = child->fd_out = -1;
	if (child->pid <= 0)
		return 0;
	if (kill_first)
		kill(child->pid, SIGTERM);
	while ((pid = waitpid(child->pid, &status, 0)) == -1 &&
	    errno == EINTR)
		;
	if (pid == -1)
		r = ERR_ERRNO;
	else if (statusp != NULL)
		*statusp = status;
	child->pid = -1;
	return r;
}
