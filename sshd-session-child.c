/*
 * sshd-session-child.c: the child process of a session, from the
 * descriptors being in place to exec: the environment, motd and last
 * login, the home directory, ~/.ssh/rc or SSHDIR/sshrc, and the shell
 * (or internal-sftp).  Runs only in a forked child: it may _exit().
 */
#include "includes.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth-options.h"
#include "match.h"
#include "misc.h"
#include "servconf.h"
#include "serverloop.h"
#include "sftp-server.h"
#include "sshd-session.h"
#include "uidswap.h"

#ifndef SSHDIR
#define SSHDIR "/etc/ssh"
#endif
#define SESSION_MOTD		"/etc/motd"
#define SESSION_MAILDIR		"/var/mail"
#define SESSION_BSHELL		"/bin/sh"
#define SESSION_USER_RC		".ssh/rc"
#define SESSION_USER_ENV	".ssh/environment"
#define SESSION_HUSHLOGIN	".hushlogin"
#define SESSION_ENV_FILE_MAX	1000

/* The signals exit-signal and signal requests name (RFC 4254 6.10). */
static const struct {
	int sig;
	const char *name;
} session_sigs[] = {
	{ SIGABRT, "ABRT" }, { SIGALRM, "ALRM" }, { SIGFPE, "FPE" },
	{ SIGHUP, "HUP" }, { SIGILL, "ILL" }, { SIGINT, "INT" },
	{ SIGKILL, "KILL" }, { SIGPIPE, "PIPE" }, { SIGQUIT, "QUIT" },
	{ SIGSEGV, "SEGV" }, { SIGTERM, "TERM" }, { SIGUSR1, "USR1" },
	{ SIGUSR2, "USR2" },
};

const char *
session_sig2name(int sig)
{
	size_t i;

	for (i = 0; i < sizeof(session_sigs) / sizeof(session_sigs[0]); i++)
		if (session_sigs[i].sig == sig)
			return session_sigs[i].name;
	return NULL;
}

int
session_name2sig(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(session_sigs) / sizeof(session_sigs[0]); i++)
		if (strcmp(session_sigs[i].name, name) == 0)
			return session_sigs[i].sig;
	return -1;
}

/* A growing "NAME=value" array; allocation failure ends the child. */
struct cenv {
	char **v;
	size_t n;
};

static void
cenv_put(struct cenv *e, const char *name, size_t nlen, const char *value)
{
	char *s, **tmp;
	size_t i;

	if (asprintf(&s, "%.*s=%s", (int)nlen, name, value) == -1)
		_exit(1);
	for (i = 0; i < e->n; i++) {
		if (strncmp(e->v[i], s, nlen + 1) == 0) {
			free(e->v[i]);
			e->v[i] = s;
			return;
		}
	}
	if ((tmp = reallocarray(e->v, e->n + 2, sizeof(*tmp))) == NULL)
		_exit(1);
	e->v = tmp;
	e->v[e->n++] = s;
	e->v[e->n] = NULL;
}

static void
cenv_set(struct cenv *e, const char *name, const char *value)
{
	cenv_put(e, name, strlen(name), value);
}

/* "NAME=value"; allowlist (may be NULL) filters the names. */
static void
cenv_putline(struct cenv *e, const char *line, const char *allowlist)
{
	const char *eq = strchr(line, '=');
	char *name;
	int ok;

	if (eq == NULL || eq == line)
		return;
	if (allowlist != NULL) {
		if ((name = strndup(line, (size_t)(eq - line))) == NULL)
			_exit(1);
		ok = match_pattern_list(name, allowlist, 0) == 1;
		free(name);
		if (!ok)
			return;
	}
	cenv_put(e, line, (size_t)(eq - line), eq + 1);
}

/* ~/.ssh/environment: NAME=value lines, '#' comments. */
static void
cenv_read_file(struct cenv *e, const char *path, const char *allowlist)
{
	FILE *f;
	char line[4096];
	size_t n = 0;
	char *cp;

	if ((f = fopen(path, "r")) == NULL)
		return;
	while (n++ < SESSION_ENV_FILE_MAX && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		for (cp = line; *cp == ' ' || *cp == '\t'; cp++)
			;
		if (*cp == '\0' || *cp == '#')
			continue;
		if (strchr(cp, '=') == NULL) {
			fprintf(stderr, "Bad line %zu in %s\n", n, path);
			continue;
		}
		cenv_putline(e, cp, allowlist);
	}
	fclose(f);
}

static void
child_env(const struct session_child_args *a, struct cenv *e)
{
	const struct server_ctx *ctx = a->ctx;
	const struct passwd *pw = ctx->pw;
	const struct servconf *cfg = ctx->cfg;
	const char *allow = cfg->permit_user_env_allowlist;
	char buf[1024], *path;
	const char *tz;
	size_t i;
	u_int j;

	/* The client's accepted variables first: ours override them. */
	for (i = 0; i < a->nenv; i++)
		cenv_putline(e, a->env[i], NULL);
	cenv_set(e, "USER", pw->pw_name);
	cenv_set(e, "LOGNAME", pw->pw_name);
	cenv_set(e, "HOME", pw->pw_dir);
	cenv_set(e, "PATH", pw->pw_uid == 0 ? SESSION_SUPERUSER_PATH :
	    SESSION_USER_PATH);
	snprintf(buf, sizeof(buf), "%s/%s", SESSION_MAILDIR, pw->pw_name);
	cenv_set(e, "MAIL", buf);
	cenv_set(e, "SHELL", *pw->pw_shell != '\0' ? pw->pw_shell :
	    SESSION_BSHELL);
	if ((tz = getenv("TZ")) != NULL)
		cenv_set(e, "TZ", tz);
	if (cfg->permit_user_env) {
		for (i = 0; i < ctx->authopts->nenv; i++)
			cenv_putline(e, ctx->authopts->env[i], allow);
		if (asprintf(&path, "%s/%s", pw->pw_dir,
		    SESSION_USER_ENV) == -1)
			_exit(1);
		cenv_read_file(e, path, allow);
		free(path);
	}
	for (j = 0; j < cfg->set_env.n; j++)
		cenv_putline(e, cfg->set_env.v[j], NULL);
	snprintf(buf, sizeof(buf), "%s %d %d", ctx->remote_ip,
	    ctx->remote_port, ctx->local_port);
	cenv_set(e, "SSH_CLIENT", buf);
	snprintf(buf, sizeof(buf), "%s %d %s %d", ctx->remote_ip,
	    ctx->remote_port, ctx->local_ip, ctx->local_port);
	cenv_set(e, "SSH_CONNECTION", buf);
	if (a->tty != NULL)
		cenv_set(e, "SSH_TTY", a->tty);
	if (a->term != NULL)
		cenv_set(e, "TERM", a->term);
	if (a->original_command != NULL)
		cenv_set(e, "SSH_ORIGINAL_COMMAND", a->original_command);
	if (e->v == NULL)
		cenv_set(e, "USER", pw->pw_name);
}

/* motd and the last login, for interactive logins without .hushlogin. */
static void
child_motd(const struct session_child_args *a)
{
	const struct server_ctx *ctx = a->ctx;
	char *hush, buf[4096];
	struct stat st;
	size_t n;
	FILE *f;
	int quiet;

	if (a->tty == NULL || a->command != NULL)
		return;
	if (asprintf(&hush, "%s/%s", ctx->pw->pw_dir,
	    SESSION_HUSHLOGIN) == -1)
		_exit(1);
	quiet = stat(hush, &st) == 0;
	free(hush);
	if (quiet)
		return;
	if (a->lastlog_msg != NULL && *a->lastlog_msg != '\0')
		fputs(a->lastlog_msg, stdout);
	if (ctx->cfg->print_motd && (f = fopen(SESSION_MOTD, "r")) != NULL) {
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, stdout);
		fclose(f);
	}
	fflush(stdout);
}

/* Run an rc file with /bin/sh and wait for it. */
static void
child_run_rc(const char *path, char **env)
{
	pid_t pid;
	int status, fd;

	if ((pid = fork()) == -1)
		return;
	if (pid == 0) {
		if ((fd = open("/dev/null", O_RDONLY)) != -1) {
			(void)dup2(fd, STDIN_FILENO);
			if (fd > STDERR_FILENO)
				close(fd);
		}
		execle(SESSION_BSHELL, "sh", path, (char *)NULL, env);
		perror(SESSION_BSHELL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
}

static void
child_rc(const struct session_child_args *a, char **env)
{
	const struct server_ctx *ctx = a->ctx;
	char *user_rc;
	struct stat st;

	if (a->is_subsystem)
		return;
	if (asprintf(&user_rc, "%s/%s", ctx->pw->pw_dir,
	    SESSION_USER_RC) == -1)
		_exit(1);
	if (ctx->cfg->force_command == NULL && ctx->cfg->permit_user_rc &&
	    ctx->authopts->permit_user_rc && stat(user_rc, &st) == 0)
		child_run_rc(user_rc, env);
	else if (stat(SSHDIR "/sshrc", &st) == 0)
		child_run_rc(SSHDIR "/sshrc", env);
	free(user_rc);
}

static void
child_internal_sftp(const struct session_child_args *a, char **env)
{
	struct passwd *pw;
	char **argv = NULL;
	int argc = 0;
	size_t i;

	for (i = 0; env[i] != NULL; i++)
		(void)putenv(env[i]);
	if ((pw = pw_dup(a->ctx->pw)) == NULL)
		_exit(1);
	if (argv_split(a->command, &argc, &argv, 0) != 0 || argc < 1)
		_exit(1);
	optind = 1;
	_exit(sftp_server_main(argc, argv, pw));
}

void
session_child_exec(const struct session_child_args *a)
{
	const struct passwd *pw = a->ctx->pw;
	struct cenv e = { NULL, 0 };
	const char *shell, *base;
	char *argv0, *argv[4];

	child_env(a, &e);
	child_motd(a);
	if (chdir(pw->pw_dir) == -1) {
		fprintf(stderr, "Could not chdir to home directory %s: %s\n",
		    pw->pw_dir, strerror(errno));
		if (chdir("/") == -1)
			_exit(1);
	}
	if (a->internal_sftp)
		child_internal_sftp(a, e.v);
	child_rc(a, e.v);
	fflush(NULL);

	shell = *pw->pw_shell != '\0' ? pw->pw_shell : SESSION_BSHELL;
	base = strrchr(shell, '/') != NULL ? strrchr(shell, '/') + 1 : shell;
	if (a->command == NULL) {
		if (asprintf(&argv0, "-%s", base) == -1)
			_exit(1);
		argv[0] = argv0;
		argv[1] = NULL;
	} else {
		argv[0] = (char *)base;
		argv[1] = "-c";
		argv[2] = (char *)a->command;
		argv[3] = NULL;
	}
	execve(shell, argv, e.v);
	fprintf(stderr, "%s: %s\n", shell, strerror(errno));
	_exit(1);
}
