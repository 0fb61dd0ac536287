/*
 * sshd-session.c: session channels (RFC 4254 section 6) in sshd's
 * post-auth process: requests, the child process of each session, and
 * exit-status / exit-signal once the child has ended and all its output
 * has been sent.
 */
#include "includes.h"

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "channels/channel.h"
#include "channels/session.h"
#include "auth/auth-options.h"
#include "errcode.h"
#include "log.h"
#include "loginrec.h"
#include "match.h"
#include "monitor-wrap.h"
#include "servconf.h"
#include "serverloop.h"
#include "sshd-session.h"
#include "sshpty.h"
#include "ttymodes.h"

struct session {
	struct session_mgr *sm;
	struct session *next;
	struct channel *ch;	/* NULL once the channel is gone */
	u_int id;
	pid_t pid;
	int started;		/* a child was started */
	int exited;		/* and has been reaped */
	int status;		/* its wait status */
	int exit_sent;		/* exit-status/-signal done */
	int forced;		/* a forced command or subsystem runs */
	/* pty */
	int ptyfd;		/* our copy, for window changes; -1 */
	int ttyfd;		/* held until the child has ended; -1 */
	/*
	 * Our copies of the write ends of the child's stdout and stderr:
	 * the channel sees EOF (and sends it) only once the child has
	 * ended, so exit-status always goes out before the client could
	 * close the channel.
	 */
	int hold[2];
	char tty[PTY_NAME_MAX];
	char *term;
	int login_recorded;
	/* env requests accepted */
	char **env;
	size_t nenv;
};

struct session_mgr {
	const struct server_ctx *ctx;
	struct channels *chans;
	struct session *list;
	size_t nlive;		/* sessions whose channel is alive */
	u_int next_id;
	int no_more;		/* no-more-sessions@openssh.com seen */
};

static int session_request(struct channel *ch, struct chan_request *req,
    void *vs);
static void session_closed(struct channel *ch, void *vs);

static const struct chan_ops session_ops = {
	.request = session_request,
	.closed = session_closed,
};

int
session_mgr_new(const struct server_ctx *ctx, struct channels *chans,
    struct session_mgr **smp)
{
	struct session_mgr *sm;

	*smp = NULL;
	if ((sm = calloc(1, sizeof(*sm))) == NULL)
		return ERR_ALLOC_FAIL;
	sm->ctx = ctx;
	sm->chans = chans;
	*smp = sm;
	return 0;
}

size_t
session_count(const struct session_mgr *sm)
{
	return sm == NULL ? 0 : sm->nlive;
}

static void
session_record_logout(struct session *s)
{
	int r;

	if (!s->login_recorded)
		return;
	s->login_recorded = 0;
	if ((r = mm_record_logout(s->sm->ctx->monitor_fd, s->tty)) != 0)
		debug_fr(r, "record logout %s", s->tty);
}

static void
session_release_fds(struct session *s)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (s->hold[i] != -1)
			close(s->hold[i]);
		s->hold[i] = -1;
	}
	if (s->ptyfd != -1)
		close(s->ptyfd);
	if (s->ttyfd != -1)
		close(s->ttyfd);
	s->ptyfd = s->ttyfd = -1;
}

static void
session_free(struct session *s)
{
	const struct server_ctx *ctx = s->sm->ctx;
	size_t i;

	if (s->started)
		verbose("Close session: user %s from %s port %d id %u",
		    ctx->pw->pw_name, ctx->remote_ip, ctx->remote_port,
		    s->id);
	session_release_fds(s);
	for (i = 0; i < s->nenv; i++)
		free(s->env[i]);
	free(s->env);
	free(s->term);
	free(s);
}

void
session_mgr_free(struct session_mgr *sm)
{
	struct session *s, *next;

	if (sm == NULL)
		return;
	for (s = sm->list; s != NULL; s = next) {
		next = s->next;
		/*
		 * Like a terminal hang-up, for pty sessions only: commands
		 * without a pty may have left jobs to run on (OpenSSH does
		 * not signal them either).
		 */
		if (s->started && !s->exited && s->pid > 0 &&
		    s->ptyfd != -1) {
			debug("session %u: hanging up pid %ld", s->id,
			    (long)s->pid);
			(void)kill(-s->pid, SIGHUP);
		}
		session_record_logout(s);
		if (s->ch != NULL)
			chan_set_ops(s->ch, NULL, NULL);
		session_free(s);
	}
	free(sm);
}

void
session_no_more(struct session_mgr *sm)
{
	sm->no_more = 1;
}

int
session_open(struct session_mgr *sm, struct channel *ch)
{
	struct session *s;
	int max = sm->ctx->cfg->max_sessions;

	if (sm->no_more) {
		logit("Possible attack: attempt to open a session after "
		    "additional sessions disabled");
		return chan_open_refuse(ch,
		    SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED, "open failed");
	}

	if (max >= 0 && sm->nlive >= (size_t)max) {
		debug("session open refused: MaxSessions %d reached", max);
		return chan_open_refuse(ch,
		    SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED, "open failed");
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return chan_open_refuse(ch, SSH2_OPEN_RESOURCE_SHORTAGE,
		    "open failed");
	s->sm = sm;
	s->ch = ch;
	s->id = sm->next_id++;
	s->ptyfd = s->ttyfd = -1;
	s->hold[0] = s->hold[1] = -1;
	s->next = sm->list;
	sm->list = s;
	sm->nlive++;
	chan_set_ops(ch, &session_ops, s);
	chan_hold_close(ch, 1);
	debug("session %u opened on channel %u", s->id, chan_self(ch));
	return chan_open_confirm(ch);
}

/* The channel is being freed. */
static void
session_closed(struct channel *ch, void *vs)
{
	struct session *s = vs;

	(void)ch;
	if (s == NULL || s->ch == NULL)
		return;
	s->ch = NULL;
	s->sm->nlive--;
	if (s->started && !s->exited && s->ptyfd != -1 && s->pid > 0)
		(void)kill(-s->pid, SIGHUP);
	session_release_fds(s);
	debug("session %u: channel closed", s->id);
}

int
session_child_exited(struct session_mgr *sm, pid_t pid, int status)
{
	struct session *s;

	for (s = sm->list; s != NULL; s = s->next) {
		if (!s->started || s->exited || s->pid != pid)
			continue;
		s->exited = 1;
		s->status = status;
		if (WIFSIGNALED(status))
			debug("session %u: pid %ld killed by signal %d",
			    s->id, (long)pid, WTERMSIG(status));
		else
			debug("session %u: pid %ld exit status %d", s->id,
			    (long)pid, WEXITSTATUS(status));
		session_record_logout(s);
		/* The pipes see EOF once the child's own copies are gone. */
		if (s->hold[0] != -1)
			close(s->hold[0]);
		if (s->hold[1] != -1)
			close(s->hold[1]);
		s->hold[0] = s->hold[1] = -1;
		return 1;
	}
	return 0;
}

/*
 * A pty session's child has ended: let go of the tty (so that reading
 * the pty gives EOF) once what it wrote has been read.
 */
static void
session_pty_drained(struct session *s)
{
	int n = 0;

	if (s->ptyfd != -1 && ioctl(s->ptyfd, FIONREAD, &n) == 0 && n > 0)
		return;
	close(s->ttyfd);
	s->ttyfd = -1;
}

/* exit-status or exit-signal, then CLOSE. */
static int
session_exit_message(struct session *s)
{
	struct chan_request req;
	const char *name;
	int r;

	s->exit_sent = 1;
	chan_hold_close(s->ch, 0);
	if (!chan_is_open(s->ch) || chan_close_sent(s->ch))
		return 0;
	memset(&req, 0, sizeof(req));
	if (WIFSIGNALED(s->status)) {
		if ((name = session_sig2name(WTERMSIG(s->status))) == NULL)
			name = "SIG@openssh.com";
		req.type = CHAN_REQ_EXIT_SIGNAL;
		req.u.exit_signal.name = (char *)name;
#ifdef WCOREDUMP
		req.u.exit_signal.core_dumped = WCOREDUMP(s->status) ? 1 : 0;
#endif
		req.u.exit_signal.message = "";
		req.u.exit_signal.lang = "";
	} else {
		req.type = CHAN_REQ_EXIT_STATUS;
		req.u.exit_status.status = (uint32_t)WEXITSTATUS(s->status);
	}
	if ((r = chan_send_request(s->ch, &req, NULL, NULL)) != 0)
		return r;
	return chan_close(s->ch);
}

int
session_tick(struct session_mgr *sm)
{
	struct session *s, **sp;
	int r;

	for (sp = &sm->list; (s = *sp) != NULL; ) {
		if (s->exited && s->ttyfd != -1)
			session_pty_drained(s);
		if (s->ch != NULL && s->exited && !s->exit_sent &&
		    (chan_eof_sent(s->ch) || !chan_is_open(s->ch))) {
			if ((r = session_exit_message(s)) != 0)
				return r;
		}
		if (s->ch == NULL && (!s->started || s->exited)) {
			*sp = s->next;
			session_free(s);
			continue;
		}
		sp = &s->next;
	}
	return 0;
}

/* ------------------------------------------------------------ requests */

static int
session_req_pty(struct session *s, const struct chan_request *req)
{
	const struct server_ctx *ctx = s->sm->ctx;
	int r;

	if (s->started || s->ptyfd != -1)
		return 0;
	if (!ctx->cfg->permit_tty || !ctx->authopts->permit_pty) {
		debug("Pty allocation disabled.");
		return 0;
	}
	if (ctx->monitor_fd >= 0)
		r = mm_pty_allocate(ctx->monitor_fd, &s->ptyfd, &s->ttyfd,
		    s->tty, sizeof(s->tty));
	else
		r = pty_allocate(&s->ptyfd, &s->ttyfd, s->tty,
		    sizeof(s->tty));
	if (r != 0) {
		error_fr(r, "session %u: pty allocation failed", s->id);
		s->ptyfd = s->ttyfd = -1;
		return 0;
	}
	(void)fcntl(s->ptyfd, F_SETFD, FD_CLOEXEC);
	(void)fcntl(s->ttyfd, F_SETFD, FD_CLOEXEC);
	if ((s->term = strdup(req->u.pty.term)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = ttymodes_apply_fd(s->ttyfd, req->u.pty.modes,
	    req->u.pty.modes_len)) != 0)
		debug_fr(r, "session %u: terminal modes", s->id);
	if ((r = pty_change_window_size(s->ptyfd, req->u.pty.rows,
	    req->u.pty.cols, req->u.pty.width, req->u.pty.height)) != 0)
		debug_fr(r, "session %u: window size", s->id);
	debug("session %u: pty %s for TERM %s", s->id, s->tty, s->term);
	return 1;
}

static int
session_req_winch(struct session *s, const struct chan_request *req)
{
	if (s->ptyfd == -1)
		return 0;
	if (pty_change_window_size(s->ptyfd, req->u.winch.rows,
	    req->u.winch.cols, req->u.winch.width,
	    req->u.winch.height) != 0)
		return 0;
	return 1;
}

static int
session_env_ok(const struct servconf *cfg, const char *name)
{
	u_int i;

	if (*name == '\0' || strchr(name, '=') != NULL)
		return 0;
	for (i = 0; i < cfg->accept_env.n; i++) {
		if (match_pattern(name, cfg->accept_env.v[i]))
			return 1;
	}
	return 0;
}

static int
session_req_env(struct session *s, const struct chan_request *req)
{
	const char *name = req->u.env.name, *value = req->u.env.value;
	size_t i, nlen = strlen(name);
	char *e, **tmp;

	if (s->started)
		return 0;
	if (!session_env_ok(s->sm->ctx->cfg, name)) {
		debug2("Ignoring env request %s: disallowed name", name);
		return 0;
	}
	if (asprintf(&e, "%s=%s", name, value) == -1)
		return ERR_ALLOC_FAIL;
	for (i = 0; i < s->nenv; i++) {
		if (strncmp(s->env[i], e, nlen + 1) == 0) {
			free(s->env[i]);
			s->env[i] = e;
			return 1;
		}
	}
	if (s->nenv >= SESSION_MAX_ENV) {
		debug("Ignoring env request %s: too many env vars", name);
		free(e);
		return 0;
	}
	if ((tmp = reallocarray(s->env, s->nenv + 1, sizeof(*tmp))) == NULL) {
		free(e);
		return ERR_ALLOC_FAIL;
	}
	s->env = tmp;
	s->env[s->nenv++] = e;
	debug2("session %u: env %s accepted", s->id, name);
	return 1;
}

static int
session_req_signal(struct session *s, const struct chan_request *req)
{
	int sig;

	if (!s->started || s->exited || s->pid <= 0)
		return 0;
	if (s->forced) {
		debug("session %u: refusing signal for forced command or "
		    "subsystem", s->id);
		return 0;
	}
	if ((sig = session_name2sig(req->u.signal.name)) == -1) {
		debug("session %u: unsupported signal \"%s\"", s->id,
		    req->u.signal.name);
		return 0;
	}
	debug("session %u: signal %s to pid %ld", s->id, req->u.signal.name,
	    (long)s->pid);
	if (kill(-s->pid, sig) == -1 && kill(s->pid, sig) == -1) {
		debug("session %u: kill: %s", s->id, strerror(errno));
		return 0;
	}
	return 1;
}

static int
is_internal_sftp(const char *cmd)
{
	static const char name[] = "internal-sftp";

	return cmd != NULL && strncmp(cmd, name, sizeof(name) - 1) == 0 &&
	    (cmd[sizeof(name) - 1] == '\0' || cmd[sizeof(name) - 1] == ' ' ||
	    cmd[sizeof(name) - 1] == '\t');
}

/* The last login message for a pty login shell ("" if none). */
static void
session_lastlog(const struct server_ctx *ctx, char *msg, size_t len)
{
	struct loginrec_last last;
	char when[64];
	time_t t;
	int found = 0;

	*msg = '\0';
	if (!ctx->cfg->print_lastlog)
		return;
	if (loginrec_lastlog_get(NULL, ctx->pw->pw_uid, &last, &found) != 0 ||
	    !found)
		return;
	t = last.when;
	if (ctime_r(&t, when) == NULL)
		return;
	when[strcspn(when, "\n")] = '\0';
	if (*last.host != '\0')
		snprintf(msg, len, "Last login: %s from %s\r\n", when,
		    last.host);
	else
		snprintf(msg, len, "Last login: %s\r\n", when);
}

/* "pts/3" for "/dev/pts/3", as log lines name ttys. */
static const char *
tty_short(const char *tty)
{
	return strncmp(tty, "/dev/", 5) == 0 ? tty + 5 : tty;
}

/* Child side of the descriptors; never returns. */
static void
session_child(struct session *s, struct session_child_args *a,
    int in, int out, int err)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGCHLD, &sa, NULL);
	(void)sigaction(SIGPIPE, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGQUIT, &sa, NULL);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigprocmask(SIG_SETMASK, &sa.sa_mask, NULL);
	if (s->ttyfd != -1) {
		if (pty_make_controlling_tty(s->ttyfd) != 0)
			_exit(1);
		in = out = err = s->ttyfd;
	} else if (setsid() == -1) {
		_exit(1);
	}
	if (dup2(in, STDIN_FILENO) == -1 || dup2(out, STDOUT_FILENO) == -1 ||
	    dup2(err, STDERR_FILENO) == -1)
		_exit(1);
	closefrom(STDERR_FILENO + 1);
	session_child_exec(a);
}

static void
close3(int *p)
{
	int i;

	for (i = 0; i < 3; i++) {
		if (p[i] != -1)
			close(p[i]);
		p[i] = -1;
	}
}

static int
session_start(struct session *s, const char *command, const char *subsys)
{
	const struct server_ctx *ctx = s->sm->ctx;
	struct session_child_args a;
	char lastmsg[512];
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	int cfds[3] = { -1, -1, -1 }, pfds[3] = { -1, -1, -1 };
	int r, dupfd = -1;
	const char *kind;

	if (s->started)
		return 0;
	memset(&a, 0, sizeof(a));
	a.ctx = ctx;
	a.command = command;
	a.is_subsystem = subsys != NULL;
	if (ctx->authopts->force_command != NULL) {
		a.original_command = command;
		a.command = ctx->authopts->force_command;
		s->forced = 1;
	}
	if (ctx->cfg->force_command != NULL) {
		a.original_command = command;
		a.command = ctx->cfg->force_command;
		s->forced = 1;
	}
	if (subsys != NULL)
		s->forced = 1;
	a.internal_sftp = is_internal_sftp(a.command);
	a.tty = s->ttyfd != -1 ? s->tty : NULL;
	a.term = s->term;
	a.env = s->env;
	a.nenv = s->nenv;
	a.lastlog_msg = "";
	if (s->ttyfd != -1 && a.command == NULL) {
		session_lastlog(ctx, lastmsg, sizeof(lastmsg));
		a.lastlog_msg = lastmsg;
	}
	kind = subsys != NULL ? "subsystem" : (a.command != NULL ?
	    (s->forced ? "forced-command" : "command") : "shell");
	verbose("Starting session: %s%s%s for %s from %s port %d id %u",
	    kind, s->ttyfd != -1 ? " on " : "", s->ttyfd != -1 ?
	    tty_short(s->tty) : "", ctx->pw->pw_name, ctx->remote_ip,
	    ctx->remote_port, s->id);

	if (s->ttyfd == -1) {
		if (pipe(pin) == -1 || pipe(pout) == -1 || pipe(perr) == -1) {
			error_f("pipe: %s", strerror(errno));
			r = ERR_ERRNO;
			goto fail;
		}
		cfds[0] = pin[0];
		cfds[1] = pout[1];
		cfds[2] = perr[1];
		pfds[0] = pin[1];
		pfds[1] = pout[0];
		pfds[2] = perr[0];
	} else if ((dupfd = dup(s->ptyfd)) == -1) {
		error_f("dup: %s", strerror(errno));
		r = ERR_ERRNO;
		goto fail;
	}
	s->pid = fork();
	if (s->pid == -1) {
		error_f("fork: %s", strerror(errno));
		r = ERR_ERRNO;
		goto fail;
	}
	if (s->pid == 0) {
		if (s->ptyfd != -1)
			close(s->ptyfd);
		session_child(s, &a, cfds[0], cfds[1], cfds[2]);
		/* NOTREACHED */
	}
	s->started = 1;
	if (cfds[0] != -1)
		close(cfds[0]);
	s->hold[0] = cfds[1];
	s->hold[1] = cfds[2];
	cfds[0] = cfds[1] = cfds[2] = -1;
	if (s->ttyfd != -1) {
		r = chan_set_fds(s->ch, dupfd, dupfd, -1, CHAN_EXT_IGNORE,
		    CHAN_FD_NONBLOCK);
		dupfd = -1;
		if (r == 0 && ctx->monitor_fd >= 0) {
			int r2 = mm_record_login(ctx->monitor_fd, s->tty,
			    s->pid);

			if (r2 != 0)
				debug_fr(r2, "record login %s", s->tty);
			else
				s->login_recorded = 1;
		}
	} else {
		r = chan_set_fds(s->ch, pfds[1], pfds[0], pfds[2],
		    CHAN_EXT_READ, CHAN_FD_NONBLOCK);
		pfds[0] = pfds[1] = pfds[2] = -1;
	}
	if (r != 0) {
		error_fr(r, "session %u: chan_set_fds", s->id);
		return r;
	}
	return 1;
 fail:
	close3(cfds);
	close3(pfds);
	if (dupfd != -1)
		close(dupfd);
	s->pid = 0;
	return r == ERR_ALLOC_FAIL ? r : 0;
}

static int
session_request(struct channel *ch, struct chan_request *req, void *vs)
{
	struct session *s = vs;
	const char *cmd;

	(void)ch;
	if (s == NULL || s->ch == NULL)
		return 0;
	switch (req->type) {
	case CHAN_REQ_PTY:
		return session_req_pty(s, req);
	case CHAN_REQ_WINDOW_CHANGE:
		return session_req_winch(s, req);
	case CHAN_REQ_ENV:
		return session_req_env(s, req);
	case CHAN_REQ_SHELL:
		return session_start(s, NULL, NULL);
	case CHAN_REQ_EXEC:
		return session_start(s, req->u.exec.command, NULL);
	case CHAN_REQ_SUBSYSTEM:
		if (s->started)
			return 0;
		cmd = servconf_subsystem(s->sm->ctx->cfg,
		    req->u.subsystem.name);
		if (cmd == NULL) {
			logit("subsystem request for %.100s by user %s "
			    "failed, subsystem not found",
			    req->u.subsystem.name, s->sm->ctx->pw->pw_name);
			return 0;
		}
		debug("subsystem: exec() %s", cmd);
		return session_start(s, cmd, req->u.subsystem.name);
	case CHAN_REQ_SIGNAL:
		return session_req_signal(s, req);
	case CHAN_REQ_BREAK:
	case CHAN_REQ_X11:
	case CHAN_REQ_AGENT:
	default:
		debug("session %u: refusing request %s", s->id,
		    req->type == CHAN_REQ_OTHER && req->other_name != NULL ?
		    req->other_name : chan_req_name(req->type));
		return 0;
	}
}
