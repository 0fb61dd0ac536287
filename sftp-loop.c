/*
 * sftp-loop.c: sftp's command loop: reading lines (libedit on a
 * terminal, plain reads from a batch file or pipe), echoing them when
 * not interactive, ^C handling, and the batch rule that a failing
 * command ends the batch unless it was prefixed with '-' (sftp-prog.h).
 */
#include "includes.h"

#include <signal.h>

#include "log.h"
#include "xmalloc.h"
#include "progressmeter.h"
#include "sftp.h"
#include "sftp-common.h"
#include "sftp-client.h"
#include "sftp-prog.h"

/* Longest command line accepted from a file or pipe. */
#define SFTP_MAX_LINE	(64 * 1024)

volatile sig_atomic_t sftp_interrupted;

/* ^C while a command runs: the transfer stops, sftp goes on. */
static void
cmd_interrupt(int signo)
{
	static const char msg[] = "\rInterrupt  \n";
	int saved = errno;
	ssize_t n;

	(void)signo;
	n = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)n;
	sftp_interrupted = 1;
	errno = saved;
}

/* ^C at the prompt: forget the line. */
static void
read_interrupt(int signo)
{
	(void)signo;
	sftp_interrupted = 1;
}

/* SIGINT to handler, interrupting reads (no SA_RESTART). */
static void
set_sigint(void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
}

/*
 * One line from a file or pipe (prompting first on a terminal).  NULL
 * at end of input; *intrp set when ^C cut the read short.
 */
static char *
read_plain_line(struct sftp_session *s, FILE *in, int *intrp)
{
	static char *buf;
	static size_t cap;
	ssize_t len;

	*intrp = 0;
	if (s->interactive) {
		printf("sftp> ");
		fflush(stdout);
	}
	errno = 0;
	if ((len = getline(&buf, &cap, in)) == -1) {
		if (errno == EINTR && sftp_interrupted) {
			clearerr(in);
			*intrp = 1;
		}
		if (s->interactive)
			printf("\n");
		return NULL;
	}
	if ((size_t)len > SFTP_MAX_LINE) {
		error("Command line too long");
		buf[0] = '\0';
	}
	return buf;
}

/* 1 if the line's prefix asks for no echo ('@'). */
static int
line_no_echo(const char *line)
{
	for (; *line == ' ' || *line == '\t' || *line == '-' ||
	    *line == '@'; line++)
		if (*line == '@')
			return 1;
	return 0;
}

/* Run one line; -1 to end the loop with failure, 1 to quit, else 0. */
static int
run_line(struct sftp_session *s, const char *line)
{
	enum sftp_cmd_result res;
	int ignore, no_echo;
	char *copy;
	size_t len;

	copy = xstrdup(line);
	len = strlen(copy);
	while (len > 0 && (copy[len - 1] == '\n' || copy[len - 1] == '\r'))
		copy[--len] = '\0';
	if (!s->interactive && !line_no_echo(copy))
		printf("sftp> %s\n", copy);
	sftp_interrupted = 0;
	set_sigint(cmd_interrupt);
	res = sftp_run_command(s, copy, &ignore, &no_echo);
	set_sigint(s->interactive ? read_interrupt : SIG_DFL);
	free(copy);
	fflush(stdout);
	if (s->meter != NULL) {
		progress_finish(s->meter);
		s->meter = NULL;
	}
	if (sftpc_is_dead(s->conn))
		fatal("Connection closed");
	if (res == SFTP_CMD_QUIT)
		return 1;
	if (res == SFTP_CMD_ERROR && s->batch && !ignore)
		return -1;
	return 0;
}

/*
 * host:path given: cd to a directory, fetch anything else (to the local
 * path given as a second argument, if any).
 */
static int
initial_path(struct sftp_session *s, const char *path, int *donep)
{
	char *abs, *esc, *lesc = NULL, *argv[3];
	int r;

	*donep = 0;
	abs = sftp_remote_path(s, path, 0);
	if (s->initial_local == NULL && sftpc_is_dir(s->conn, abs)) {
		if (!s->quiet)
			printf("Changing to: %s\n", abs);
		free(s->cwd);
		s->cwd = NULL;
		if (sftpc_realpath(s->conn, abs, &s->cwd) != 0) {
			free(abs);
			return -1;
		}
		free(abs);
		return 0;
	}
	*donep = 1;
	esc = sftp_escape_glob(abs);
	if (s->initial_local != NULL)
		lesc = sftp_escape_glob(s->initial_local);
	argv[0] = esc;
	argv[1] = lesc;
	argv[2] = NULL;
	r = sftp_cmd_get(s, lesc != NULL ? 2 : 1, argv, 0, 0, 0, 0);
	free(lesc);
	free(esc);
	free(abs);
	return r;
}

int
sftp_command_loop(struct sftp_session *s, FILE *in, const char *path)
{
	const char *line;
	void *el = NULL;
	int r = 0, done, count, intr;

	if (path != NULL) {
		r = initial_path(s, path, &done);
		if (r != 0 || done)
			return r == 0 ? 0 : 1;
	}
	if (s->interactive)
		el = sftp_editline_init(s);
	set_sigint(s->interactive ? read_interrupt : SIG_DFL);
	for (;;) {
		sftp_interrupted = 0;
		if (el != NULL) {
			line = sftp_editline_gets(el, &count);
			if (line == NULL || count <= 0) {
				printf("\n");
				if (sftp_interrupted)
					continue;
				break;
			}
		} else if ((line = read_plain_line(s, in, &intr)) == NULL) {
			if (intr)
				continue;
			break;
		}
		if ((r = run_line(s, line)) != 0)
			break;
	}
	sftp_editline_end(el);
	return r < 0 ? 1 : 0;
}
