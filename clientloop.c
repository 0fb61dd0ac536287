/*
 * clientloop.c: ssh's session loop (clientloop.h): the session channel
 * and its requests, one poll(2) loop over the transport, the local
 * descriptors and a signal self-pipe, escape sequences, keepalives and
 * rekeying.
 */
#include "includes.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>

#include "buf.h"
#include "channels/channel.h"
#include "channels/session.h"
#include "clientloop-impl.h"
#include "clientloop.h"
#include "dispatch.h"
#include "errcode.h"
#include "kex.h"
#include "log.h"
#include "match.h"
#include "packet.h"
#include "readconf.h"
#include "ssh2.h"
#include "ttymodes.h"

extern char **environ;

/* Channel data waits while the transport has this much to write. */
#define CL_OUTPUT_HIGH		(1024 * 1024)
#define CL_READ_CHUNK		(32 * 1024)
/* How long the final DISCONNECT may take to go out. */
#define CL_FLUSH_MS		3000
/* Escape-scanned stdin bytes waiting for the channel's pipe. */
#define CL_PENDING_MAX		(64 * 1024)
/* ~C line length. */
#define CL_CMDLINE_MAX		512
/* ~B: the break length (RFC 4335 leaves it to the client). */
#define CL_BREAK_MS		1000

/* Fixed pollfd slots before the channels' ones. */
enum { PFD_SIG, PFD_NET_IN, PFD_NET_OUT, PFD_STDIN, PFD_PIPE, PFD_FIXED };

struct cl {
	struct ssh *ssh;
	const struct client_session_opts *o;
	struct channels *chans;
	struct channel *session;	/* NULL once freed */
	int session_gone;		/* freed or refused */
	int exit_status;		/* -1 until exit-status */
	int quit;			/* ~. or a refused request */
	int have_pty;			/* pty-req sent */
	struct buf *modes;		/* the terminal's modes before raw */
	/* Escapes: stdin read here, scanned, and fed to the channel. */
	int escapes;
	struct cl_esc esc;
	int in_fd;			/* stdin, -1 when done */
	int pipe_w;			/* to the channel's rfd, -1 */
	struct buf *pending;		/* scanned bytes for pipe_w */
	/* ServerAliveInterval */
	int alive_missed;
	time_t alive_next;
	int lost;			/* the transport went away */
};

/* ------------------------------------------------------------ signals */

static volatile sig_atomic_t cl_got_signal;
static volatile sig_atomic_t cl_got_winch;
static int cl_sigpipe[2] = { -1, -1 };

static const int cl_quit_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };
#define CL_NSIG	(sizeof(cl_quit_signals) / sizeof(cl_quit_signals[0]))

struct cl_sigsave {
	struct sigaction quit[CL_NSIG];
	struct sigaction winch, pipe;
};

static void
cl_sig_handler(int sig)
{
	int save_errno = errno;

	if (sig == SIGWINCH)
		cl_got_winch = 1;
	else
		cl_got_signal = sig;
	if (cl_sigpipe[1] != -1 && write(cl_sigpipe[1], "", 1) < 0) {
		/* The pipe is full: a wakeup is pending anyway. */
	}
	errno = save_errno;
}

static int
cl_set_nonblock(int fd)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		return ERR_ERRNO;
	return 0;
}

static int
cl_signals_install(struct cl_sigsave *save)
{
	struct sigaction sa;
	size_t i;

	if (pipe(cl_sigpipe) == -1)
		return ERR_ERRNO;
	if (cl_set_nonblock(cl_sigpipe[0]) != 0 ||
	    cl_set_nonblock(cl_sigpipe[1]) != 0 ||
	    fcntl(cl_sigpipe[0], F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(cl_sigpipe[1], F_SETFD, FD_CLOEXEC) == -1)
		return ERR_ERRNO;
	cl_got_signal = cl_got_winch = 0;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = cl_sig_handler;
	/* Signals the caller ignores (nohup, a background job) stay so. */
	for (i = 0; i < CL_NSIG; i++) {
		sigaction(cl_quit_signals[i], NULL, &save->quit[i]);
		if (save->quit[i].sa_handler != SIG_IGN)
			sigaction(cl_quit_signals[i], &sa, NULL);
	}
	sa.sa_flags = SA_RESTART;
	sigaction(SIGWINCH, &sa, &save->winch);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &save->pipe);
	return 0;
}

static void
cl_signals_restore(const struct cl_sigsave *save)
{
	size_t i;

	for (i = 0; i < CL_NSIG; i++)
		sigaction(cl_quit_signals[i], &save->quit[i], NULL);
	sigaction(SIGWINCH, &save->winch, NULL);
	sigaction(SIGPIPE, &save->pipe, NULL);
	for (i = 0; i < 2; i++) {
		if (cl_sigpipe[i] != -1)
			close(cl_sigpipe[i]);
		cl_sigpipe[i] = -1;
	}
}

static void
cl_sig_drain(void)
{
	char junk[64];

	while (read(cl_sigpipe[0], junk, sizeof(junk)) > 0)
		;
}

/* ------------------------------------------------------------ output */

/* Write text for the user to stderr as it is (CR LF already in it). */
static void
cl_tell(const void *p, size_t len)
{
	const u_char *s = p;
	struct pollfd pfd;
	ssize_t n;

	while (len > 0) {
		n = write(STDERR_FILENO, s, len);
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			pfd.fd = STDERR_FILENO;
			pfd.events = POLLOUT;
			(void)poll(&pfd, 1, 1000);
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static void
cl_tellb(const struct buf *b)
{
	cl_tell(buf_ptr(b), buf_len(b));
}

static void printflike(1, 2)
cl_tellf(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n > 0)
		cl_tell(msg, MINIMUM((size_t)n, sizeof(msg) - 1));
}

/* ------------------------------------------------------------ requests */

static int
cl_send(void *ctx, uint8_t type, const struct buf *payload)
{
	struct cl *cl = ctx;

	return packet_send_msg(cl->ssh, type, payload);
}

static int
cl_send_winch(struct cl *cl)
{
	struct chan_request req;

	if (!cl->have_pty || cl->session == NULL ||
	    !chan_is_open(cl->session))
		return 0;
	memset(&req, 0, sizeof(req));
	req.type = CHAN_REQ_WINDOW_CHANGE;
	cl_tty_winsize(STDIN_FILENO, &req.u.winch.cols, &req.u.winch.rows,
	    &req.u.winch.width, &req.u.winch.height);
	return chan_send_request(cl->session, &req, NULL, NULL);
}

static int
cl_pty_reply(struct channel *ch, int ok, void *ctx)
{
	struct cl *cl = ctx;
	const struct readconf *cfg = cl->o->cfg;

	if (ok != 0)
		return 0;
	cl_tty_leave_raw();
	/* A pty asked for explicitly (-t, RequestTTY yes) is a must. */
	if (cfg != NULL && (cfg->request_tty == RC_TTY_YES ||
	    cfg->request_tty == RC_TTY_FORCE)) {
		error("PTY allocation request failed on channel %u",
		    chan_self(ch));
		cl->quit = 1;
		return 0;
	}
	logit("PTY allocation request failed on channel %u", chan_self(ch));
	return 0;
}

static int
cl_start_reply(struct channel *ch, int ok, void *ctx)
{
	struct cl *cl = ctx;
	const char *what;

	if (ok != 0)
		return 0;
	if (cl->o->subsystem)
		what = "subsystem";
	else if (cl->o->command != NULL && *cl->o->command != '\0')
		what = "exec";
	else
		what = "shell";
	cl_tty_leave_raw();
	error("%s request failed on channel %u", what, chan_self(ch));
	cl->quit = 1;
	return 0;
}

static int
cl_send_pty(struct cl *cl)
{
	struct chan_request req;
	const char *term;
	int r = ERR_INTERNAL;

	if ((term = getenv("TERM")) == NULL)
		term = "";
	memset(&req, 0, sizeof(req));
	req.type = CHAN_REQ_PTY;
	req.want_reply = 1;
	req.u.pty.term = (char *)term;
	cl_tty_winsize(STDIN_FILENO, &req.u.pty.cols, &req.u.pty.rows,
	    &req.u.pty.width, &req.u.pty.height);
	req.u.pty.modes = buf_mutable_ptr(cl->modes);
	req.u.pty.modes_len = buf_len(cl->modes);
	if ((r = chan_send_request(cl->session, &req, cl_pty_reply, cl)) != 0)
		return r;
	cl->have_pty = 1;
	return 0;
}

static int
cl_send_env1(struct cl *cl, const char *name, const char *value)
{
	struct chan_request req;

	debug("Sending env %s = %s", name, value);
	memset(&req, 0, sizeof(req));
	req.type = CHAN_REQ_ENV;
	req.u.env.name = (char *)name;
	req.u.env.value = (char *)value;
	return chan_send_request(cl->session, &req, NULL, NULL);
}

/* 1 if SendEnv's patterns pass name; a later "-pattern" takes it back. */
static int
cl_env_wanted(const struct conf_strlist *l, const char *name)
{
	u_int i;
	int want = 0;

	for (i = 0; i < l->n; i++) {
		if (l->v[i][0] == '-') {
			if (match_pattern(name, l->v[i] + 1))
				want = 0;
		} else if (match_pattern(name, l->v[i]))
			want = 1;
	}
	return want;
}

/*
 * One "NAME=value" as an env request (a string without '=' is skipped);
 * from the environment only if SendEnv lets the name through.
 */
static int
cl_send_env_pair(struct cl *cl, const char *pair, int from_environ)
{
	char *name = NULL, *eq;
	int r = 0;

	if ((name = strdup(pair)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((eq = strchr(name, '=')) == NULL || eq == name)
		goto out;
	*eq = '\0';
	if (from_environ && !cl_env_wanted(&cl->o->cfg->send_env, name))
		goto out;
	r = cl_send_env1(cl, name, eq + 1);
 out:
	free(name);
	return r;
}

static int
cl_send_env(struct cl *cl)
{
	const struct readconf *cfg = cl->o->cfg;
	u_int i;
	int r;

	if (cfg == NULL)
		return 0;
	if (cfg->send_env.n > 0 && environ != NULL) {
		for (i = 0; environ[i] != NULL; i++) {
			if ((r = cl_send_env_pair(cl, environ[i], 1)) != 0)
				return r;
		}
	}
	for (i = 0; i < cfg->set_env.n; i++) {
		if ((r = cl_send_env_pair(cl, cfg->set_env.v[i], 0)) != 0)
			return r;
	}
	return 0;
}

static int
cl_send_start(struct cl *cl)
{
	const struct client_session_opts *o = cl->o;
	struct chan_request req;

	memset(&req, 0, sizeof(req));
	req.want_reply = 1;
	if (o->subsystem) {
		req.type = CHAN_REQ_SUBSYSTEM;
		req.u.subsystem.name = (char *)(o->command != NULL ?
		    o->command : "");
		debug("Sending subsystem: %s", req.u.subsystem.name);
	} else if (o->command != NULL && *o->command != '\0') {
		req.type = CHAN_REQ_EXEC;
		req.u.exec.command = (char *)o->command;
		debug("Sending command: %s", o->command);
	} else
		req.type = CHAN_REQ_SHELL;
	return chan_send_request(cl->session, &req, cl_start_reply, cl);
}

/* ------------------------------------------------------------ session */

static int
cl_dup(int fd)
{
	int nfd;

	if ((nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3)) == -1 && errno == EBADF)
		return -2;
	return nfd;
}

/* Hand stdin/stdout/stderr (copies) to the session channel. */
static int
cl_attach_fds(struct cl *cl)
{
	int p[2] = { -1, -1 }, rfd = -1, wfd = -1, efd = -1, r;

	if (!cl->o->stdin_null) {
		if (cl->escapes) {
			if (pipe(p) == -1 || cl_set_nonblock(p[1]) != 0 ||
			    fcntl(p[1], F_SETFD, FD_CLOEXEC) == -1 ||
			    fcntl(p[0], F_SETFD, FD_CLOEXEC) == -1)
				goto fail;
			rfd = p[0];
			cl->pipe_w = p[1];
			cl->in_fd = STDIN_FILENO;
		} else if ((rfd = cl_dup(STDIN_FILENO)) == -1)
			goto fail;
	}
	if ((wfd = cl_dup(STDOUT_FILENO)) == -1 ||
	    (efd = cl_dup(STDERR_FILENO)) == -1)
		goto fail;
	rfd = rfd < 0 ? -1 : rfd;
	wfd = wfd < 0 ? -1 : wfd;
	efd = efd < 0 ? -1 : efd;
	return chan_set_fds(cl->session, rfd, wfd, efd,
	    efd == -1 ? CHAN_EXT_IGNORE : CHAN_EXT_WRITE, CHAN_FD_NONBLOCK);
 fail:
	r = ERR_ERRNO;
	error_f("descriptors: %s", strerror(errno));
	if (rfd >= 0)
		close(rfd);
	if (wfd >= 0)
		close(wfd);
	if (p[1] != -1)
		close(p[1]);
	cl->pipe_w = cl->in_fd = -1;
	return r;
}

static const char *
cl_open_reason(uint32_t reason)
{
	switch (reason) {
	case SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED:
		return "administratively prohibited";
	case SSH2_OPEN_CONNECT_FAILED:
		return "connect failed";
	case SSH2_OPEN_UNKNOWN_CHANNEL_TYPE:
		return "unknown channel type";
	case SSH2_OPEN_RESOURCE_SHORTAGE:
		return "resource shortage";
	default:
		return "unknown reason";
	}
}

static int
cl_session_open_result(struct channel *ch, int ok, uint32_t reason,
    const char *description, void *ctx)
{
	struct cl *cl = ctx;
	int r;

	if (!ok) {
		cl_tty_leave_raw();
		error("channel %u: open failed: %s: %s", chan_self(ch),
		    cl_open_reason(reason), description);
		return 0;	/* the channel is freed: closed() follows */
	}
	debug("channel %u: session open", chan_self(ch));
	if (cl->o->want_tty && (r = cl_send_pty(cl)) != 0)
		return r;
	if ((r = cl_send_env(cl)) != 0)
		return r;
	if ((r = cl_send_start(cl)) != 0)
		return r;
	/*
	 * Only now the descriptors: an EOF (stdin at its end, -n) must
	 * follow the exec request, or sshd would start the command with
	 * the EOF already behind it (and never close its stdin).
	 */
	return cl_attach_fds(cl);
}

static int
cl_session_request(struct channel *ch, struct chan_request *req, void *ctx)
{
	struct cl *cl = ctx;

	switch (req->type) {
	case CHAN_REQ_EXIT_STATUS:
		debug("channel %u: exit-status %u", chan_self(ch),
		    req->u.exit_status.status);
		cl->exit_status = (int)(req->u.exit_status.status & 0xff);
		return 1;
	case CHAN_REQ_EXIT_SIGNAL:
		debug("channel %u: remote command killed by signal %s%s%s",
		    chan_self(ch), req->u.exit_signal.name,
		    req->u.exit_signal.core_dumped ? " (core dumped)" : "",
		    req->u.exit_signal.message != NULL &&
		    *req->u.exit_signal.message != '\0' ?
		    req->u.exit_signal.message : "");
		return 1;
	case CHAN_REQ_XON_XOFF:
		return 1;
	default:
		return 0;
	}
}

static int
cl_session_eof(struct channel *ch, void *ctx)
{
	debug2("channel %u: EOF from the server", chan_self(ch));
	return 0;
}

static void
cl_session_closed(struct channel *ch, void *ctx)
{
	struct cl *cl = ctx;

	debug2("channel %u: session closed", chan_self(ch));
	cl->session = NULL;
	cl->session_gone = 1;
}

static const struct chan_ops cl_session_ops = {
	.request = cl_session_request,
	.open_result = cl_session_open_result,
	.eof = cl_session_eof,
	.closed = cl_session_closed,
};

static int
cl_open_session(struct cl *cl)
{
	struct chan_open_info info;

	memset(&info, 0, sizeof(info));
	info.type = CHAN_TYPE_SESSION;
	return chan_open(cl->chans, &info, 0, 0, &cl_session_ops, cl,
	    &cl->session);
}

/* Global requests of the server: hostkeys-00, keepalives... all refused. */
static int
cl_global_request(struct channels *c, struct chan_global_request *req,
    struct buf *data, struct buf *reply, void *ctx)
{
	debug("client_input_global_request: rtype %s want_reply %d",
	    req->name != NULL ? req->name : "(forward)", req->want_reply);
	return 0;
}

static int
cl_alive_reply(struct channels *c, int ok, uint32_t bound_port,
    struct buf *data, void *ctx)
{
	struct cl *cl = ctx;

	cl->alive_missed = 0;
	return 0;
}

/* ------------------------------------------------------------ escapes */

static int
cl_cmdline(struct cl *cl)
{
	char line[CL_CMDLINE_MAX];
	struct buf *out = NULL;
	struct pollfd pfd;
	size_t len = 0;
	ssize_t n;
	char ch;
	int r, was_raw = cl_tty_in_raw();

	if (cl->o->cfg == NULL || cl->o->cfg->enable_escape_commandline != 1) {
		cl_tellf("commandline disabled\r\n");
		return 0;
	}
	cl_tty_leave_raw();
	cl_tellf("\r\nssh> ");
	while (len < sizeof(line) - 1 && !cl_got_signal) {
		n = read(STDIN_FILENO, &ch, 1);
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			pfd.fd = STDIN_FILENO;
			pfd.events = POLLIN;
			(void)poll(&pfd, 1, -1);
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0 || ch == '\n' || ch == '\r')
			break;
		line[len++] = ch;
	}
	line[len] = '\0';
	if ((out = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = cl_esc_cmdline(line, out)) == 0)
		cl_tellb(out);
	buf_free(out);
	if (was_raw && cl_tty_enter_raw(STDIN_FILENO) != 0)
		debug_f("cannot re-enter raw mode");
	return r;
}

static int
cl_suspend(struct cl *cl)
{
	int was_raw = cl_tty_in_raw();

	cl_tellf("%c^Z [suspend ssh]\r\n", cl->esc.escape_char);
	cl_tty_leave_raw();
	cl_fd_restore_flags();
	(void)kill(getpid(), SIGTSTP);
	/* Continued: the terminal may have changed meanwhile. */
	cl_fd_save_flags(STDIN_FILENO);
	cl_fd_save_flags(STDOUT_FILENO);
	cl_fd_save_flags(STDERR_FILENO);
	/* The channel's copies share these descriptions: non-blocking. */
	if (cl->session != NULL) {
		(void)cl_set_nonblock(STDIN_FILENO);
		(void)cl_set_nonblock(STDOUT_FILENO);
		(void)cl_set_nonblock(STDERR_FILENO);
	}
	if (was_raw && cl_tty_enter_raw(STDIN_FILENO) != 0)
		debug_f("cannot re-enter raw mode");
	return cl_send_winch(cl);
}

static int
cl_list(struct cl *cl)
{
	struct channel *ch = cl->session;

	cl_tellf("%c#\r\nThe following connections are open:\r\n",
	    cl->esc.escape_char);
	if (ch != NULL) {
		cl_tellf("  #%u client-session (peer %u, windows %u/%u, "
		    "eof %s/%s)\r\n", chan_self(ch), chan_peer(ch),
		    chan_local_window(ch), chan_remote_window(ch),
		    chan_eof_sent(ch) ? "sent" : "-",
		    chan_eof_rcvd(ch) ? "rcvd" : "-");
	}
	return 0;
}

static int
cl_do_escape(struct cl *cl, enum cl_esc_action act)
{
	struct chan_request req;
	struct buf *out = NULL;
	int r, c = cl->esc.escape_char;

	switch (act) {
	case CL_ESC_DISCONNECT:
		cl->quit = 1;
		return 0;
	case CL_ESC_SUSPEND:
		return cl_suspend(cl);
	case CL_ESC_LIST:
		return cl_list(cl);
	case CL_ESC_HELP:
		if ((out = buf_new()) == NULL)
			return ERR_ALLOC_FAIL;
		if ((r = cl_esc_help(c, out)) == 0)
			cl_tellb(out);
		buf_free(out);
		return r;
	case CL_ESC_CMDLINE:
		return cl_cmdline(cl);
	case CL_ESC_REKEY:
		if (packet_in_kex(cl->ssh))
			return 0;
		return kex_start_rekey(cl->ssh);
	case CL_ESC_BREAK:
		cl_tellf("%cB\r\n", c);
		if (cl->session == NULL || !chan_is_open(cl->session))
			return 0;
		memset(&req, 0, sizeof(req));
		req.type = CHAN_REQ_BREAK;
		req.u.brk.ms = CL_BREAK_MS;
		return chan_send_request(cl->session, &req, NULL, NULL);
	case CL_ESC_NONE:
		return 0;
	}
	return 0;
}

/* stdin is readable: scan it for escapes into the pending buffer. */
static int
cl_read_stdin(struct cl *cl)
{
	u_char b[CL_READ_CHUNK];
	const u_char *p = b;
	enum cl_esc_action act;
	size_t used, len;
	ssize_t n;
	int r;

	n = read(cl->in_fd, b, sizeof(b));
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return 0;
	if (n <= 0) {
		debug2("stdin: %s", n == 0 ? "EOF" : strerror(errno));
		cl->in_fd = -1;
		return 0;
	}
	len = (size_t)n;
	while (len > 0 && !cl->quit) {
		if ((r = cl_esc_scan(&cl->esc, p, len, cl->pending, &used,
		    &act)) != 0)
			return r;
		p += used;
		len -= used;
		if ((r = cl_do_escape(cl, act)) != 0)
			return r;
	}
	return 0;
}

/* Move pending bytes into the channel's pipe; close it after EOF. */
static void
cl_write_pipe(struct cl *cl)
{
	ssize_t n;

	if (cl->pipe_w == -1)
		return;
	if (buf_len(cl->pending) > 0) {
		n = write(cl->pipe_w, buf_ptr(cl->pending),
		    buf_len(cl->pending));
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == EINTR))
			return;
		if (n <= 0) {
			/* The channel stopped reading: nothing more goes. */
			buf_reset(cl->pending);
			cl->in_fd = -1;
		} else if (buf_consume(cl->pending, (size_t)n) != 0)
			buf_reset(cl->pending);
	}
	if (cl->in_fd == -1 && buf_len(cl->pending) == 0) {
		close(cl->pipe_w);
		cl->pipe_w = -1;
	}
}

/* ------------------------------------------------------------ transport */

static int
cl_input_chan(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct cl *cl = packet_get_app_data(ssh);
	int r;

	r = chan_input(cl->chans, (uint8_t)type, packet_payload(ssh));
	if (r == ERR_PROTOCOL_ERROR) {
		return packet_disconnect(ssh, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "%s", chan_error_message(cl->chans));
	}
	return r;
}

/* The connection ended under us: say so as ssh does. */
static void
cl_conn_lost(struct cl *cl, int r)
{
	cl->lost = 1;
	cl_tty_leave_raw();
	if (r == ERR_CONN_CLOSED) {
		cl_tellf("Connection to %s closed by remote host.\r\n",
		    cl->o->host != NULL ? cl->o->host : "host");
	} else if (r != ERR_DISCONNECTED)
		debug_fr(r, "transport");
}

static int
cl_net_read(struct cl *cl)
{
	u_char b[CL_READ_CHUNK];
	size_t want;
	ssize_t n;
	int r;

	want = MINIMUM(sizeof(b), packet_input_space(cl->ssh));
	if (want > 0) {
		n = read(packet_fd_in(cl->ssh), b, want);
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == EINTR))
			return 0;
		if (n == 0 || (n == -1 && (errno == ECONNRESET ||
		    errno == EPIPE))) {
			cl_conn_lost(cl, ERR_CONN_CLOSED);
			return 0;
		}
		if (n == -1) {
			error("Read from remote host %s: %s",
			    cl->o->host != NULL ? cl->o->host : "host",
			    strerror(errno));
			cl_conn_lost(cl, ERR_ERRNO);
			return 0;
		}
		if ((r = packet_input(cl->ssh, b, (size_t)n)) != 0)
			return r;
		/* Anything from the server counts as alive. */
		cl->alive_missed = 0;
		cl->alive_next = 0;
	}
	if ((r = dispatch_run(cl->ssh, NULL)) != 0)
		cl_conn_lost(cl, r);
	return 0;
}

static int
cl_net_write(struct cl *cl)
{
	ssize_t n;

	if (packet_output_len(cl->ssh) == 0)
		return 0;
	n = write(packet_fd_out(cl->ssh), packet_output_ptr(cl->ssh),
	    packet_output_len(cl->ssh));
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return 0;
	if (n <= 0) {
		if (errno == EPIPE || errno == ECONNRESET)
			cl_conn_lost(cl, ERR_CONN_CLOSED);
		else {
			error("Write to remote host %s: %s",
			    cl->o->host != NULL ? cl->o->host : "host",
			    strerror(errno));
			cl_conn_lost(cl, ERR_ERRNO);
		}
		return 0;
	}
	return packet_output_consume(cl->ssh, (size_t)n);
}

/* ServerAliveInterval: ms until the next check, -1 for none. */
static int
cl_alive_timeout(struct cl *cl)
{
	const struct readconf *cfg = cl->o->cfg;
	time_t now = time(NULL);

	if (cfg == NULL || cfg->server_alive_interval <= 0)
		return -1;
	if (cl->alive_next == 0)
		cl->alive_next = now + cfg->server_alive_interval;
	if (cl->alive_next <= now)
		return 0;
	return (int)MINIMUM(cl->alive_next - now, INT_MAX / 1000) * 1000;
}

/* 1 when the server has not answered too many keepalives. */
static int
cl_alive_check(struct cl *cl, int *timed_outp)
{
	const struct readconf *cfg = cl->o->cfg;
	struct chan_global_request req;

	*timed_outp = 0;
	if (cl_alive_timeout(cl) != 0)
		return 0;
	if (++cl->alive_missed > cfg->server_alive_count_max) {
		cl_tty_leave_raw();
		logit("Timeout, server %s not responding.",
		    cl->o->host != NULL ? cl->o->host : "host");
		*timed_outp = 1;
		return 0;
	}
	cl->alive_next = time(NULL) + cfg->server_alive_interval;
	memset(&req, 0, sizeof(req));
	req.type = CHAN_GREQ_OTHER;
	req.name = "keepalive@openssh.com";
	req.want_reply = 1;
	return chan_global_request(cl->chans, &req, NULL, cl_alive_reply, cl);
}

/* ------------------------------------------------------------ loop */

static int
cl_timeout(struct cl *cl)
{
	int t = packet_rekey_timeout_ms(cl->ssh), a = cl_alive_timeout(cl);

	if (t < 0 || (a >= 0 && a < t))
		t = a;
	return t;
}

static void
cl_fill_fixed(struct cl *cl, struct pollfd *pfd)
{
	size_t i;

	for (i = 0; i < PFD_FIXED; i++) {
		pfd[i].fd = -1;
		pfd[i].events = pfd[i].revents = 0;
	}
	pfd[PFD_SIG].fd = cl_sigpipe[0];
	pfd[PFD_SIG].events = POLLIN;
	if (packet_input_space(cl->ssh) > 0) {
		pfd[PFD_NET_IN].fd = packet_fd_in(cl->ssh);
		pfd[PFD_NET_IN].events = POLLIN;
	}
	if (packet_output_len(cl->ssh) > 0) {
		pfd[PFD_NET_OUT].fd = packet_fd_out(cl->ssh);
		pfd[PFD_NET_OUT].events = POLLOUT;
	}
	if (cl->in_fd != -1 && buf_len(cl->pending) < CL_PENDING_MAX) {
		pfd[PFD_STDIN].fd = cl->in_fd;
		pfd[PFD_STDIN].events = POLLIN;
	}
	if (cl->pipe_w != -1 && buf_len(cl->pending) > 0) {
		pfd[PFD_PIPE].fd = cl->pipe_w;
		pfd[PFD_PIPE].events = POLLOUT;
	}
}

#define CL_READY(p) \
	((p).revents & (POLLIN | POLLOUT | POLLHUP | POLLERR))

/* One turn: what is ready, then what can be sent. */
static int
cl_turn(struct cl *cl, struct pollfd *pfd, size_t npfd)
{
	size_t nch;
	int r, timeout, timed_out;

	if ((r = packet_check_rekey(cl->ssh)) != 0) {
		cl_conn_lost(cl, r);
		return 0;
	}
	chan_set_throttle(cl->chans, packet_in_kex(cl->ssh) ||
	    packet_output_len(cl->ssh) > CL_OUTPUT_HIGH);
	if ((r = chan_output(cl->chans)) != 0)
		return r;
	cl_write_pipe(cl);
	if (cl->session_gone || cl->quit)
		return 0;
	cl_fill_fixed(cl, pfd);
	nch = chan_poll_prepare(cl->chans, pfd + PFD_FIXED,
	    npfd - PFD_FIXED);
	timeout = cl_timeout(cl);
	if (poll(pfd, PFD_FIXED + nch, timeout) == -1) {
		if (errno == EINTR || errno == EAGAIN)
			return 0;
		error_f("poll: %s", strerror(errno));
		return ERR_ERRNO;
	}
	if (CL_READY(pfd[PFD_SIG]))
		cl_sig_drain();
	if (cl_got_signal)
		return 0;
	if (CL_READY(pfd[PFD_NET_OUT]) && (r = cl_net_write(cl)) != 0)
		return r;
	if (!cl->lost && CL_READY(pfd[PFD_NET_IN]) &&
	    (r = cl_net_read(cl)) != 0)
		return r;
	if (cl->lost)
		return 0;
	if (CL_READY(pfd[PFD_STDIN]) && (r = cl_read_stdin(cl)) != 0)
		return r;
	if (CL_READY(pfd[PFD_PIPE]))
		cl_write_pipe(cl);
	if ((r = chan_poll_handle(cl->chans, pfd + PFD_FIXED, nch)) != 0)
		return r;
	if ((r = cl_alive_check(cl, &timed_out)) != 0)
		return r;
	if (timed_out)
		cl->lost = 1;
	return 0;
}

static int
cl_run(struct cl *cl)
{
	struct pollfd *pfd = NULL;
	size_t npfd = 0, want;
	int r = ERR_INTERNAL;

	for (;;) {
		if (cl_got_signal || cl->quit || cl->lost ||
		    (!cl->o->no_session && cl->session_gone))
			break;
		if (cl_got_winch) {
			cl_got_winch = 0;
			if ((r = cl_send_winch(cl)) != 0)
				goto out;
		}
		want = PFD_FIXED + chan_poll_count(cl->chans);
		if (want > npfd) {
			free(pfd);
			npfd = 0;
			if ((pfd = calloc(want, sizeof(*pfd))) == NULL) {
				r = ERR_ALLOC_FAIL;
				goto out;
			}
			npfd = want;
		}
		if ((r = cl_turn(cl, pfd, npfd)) != 0) {
			if (r == ERR_PROTOCOL_ERROR) {
				(void)packet_disconnect(cl->ssh,
				    SSH2_DISCONNECT_PROTOCOL_ERROR, "%s",
				    chan_error_message(cl->chans));
				cl_conn_lost(cl, ERR_DISCONNECTED);
				r = 0;
				continue;
			}
			goto out;
		}
	}
	r = 0;
 out:
	free(pfd);
	return r;
}

/* The end: tell the server, flush, as ssh does. */
static void
cl_finish_transport(struct cl *cl)
{
	if (cl->lost && packet_output_len(cl->ssh) == 0)
		return;
	if (!packet_is_closed(cl->ssh)) {
		(void)packet_disconnect(cl->ssh,
		    SSH2_DISCONNECT_BY_APPLICATION, "disconnected by user");
	}
	if (packet_fd_out(cl->ssh) >= 0 && packet_output_len(cl->ssh) > 0 &&
	    packet_fd_flush(cl->ssh, CL_FLUSH_MS) != 0)
		debug_f("could not flush the last packets");
}

static void
cl_setup_escapes(struct cl *cl)
{
	const struct client_session_opts *o = cl->o;

	/* As OpenSSH: escapes only in sessions with a pty (ssh(1) -e). */
	cl->escapes = !o->no_session && !o->stdin_null && o->want_tty &&
	    o->escape_char >= 0 && o->escape_char <= 255;
	if (cl->escapes)
		cl_esc_init(&cl->esc, o->escape_char);
}

/* Everything the loop changes in the process, to be put back. */
struct cl_saved {
	struct cl_sigsave sig;
	int have_sig;
	int net_fl[2];			/* transport descriptors' flags */
	void *app_data;			/* the connection's app data */
	int have_dispatch;
};

static int
cl_begin(struct cl *cl, struct cl_saved *sv)
{
	struct ssh *ssh = cl->ssh;
	struct chan_config ccfg;
	int r, t;

	memset(&ccfg, 0, sizeof(ccfg));
	ccfg.is_server = 0;
	ccfg.send = cl_send;
	ccfg.send_ctx = cl;
	ccfg.global_request = cl_global_request;
	ccfg.ctx = cl;
	if ((r = chan_mgr_new(&ccfg, &cl->chans)) != 0)
		return r;
	/* The transport descriptors never block the loop. */
	sv->net_fl[0] = fcntl(packet_fd_in(ssh), F_GETFL);
	sv->net_fl[1] = fcntl(packet_fd_out(ssh), F_GETFL);
	if (sv->net_fl[0] == -1 || sv->net_fl[1] == -1 ||
	    cl_set_nonblock(packet_fd_in(ssh)) != 0 ||
	    cl_set_nonblock(packet_fd_out(ssh)) != 0) {
		error_f("transport descriptors: %s", strerror(errno));
		return ERR_ERRNO;
	}
	cl_fd_save_flags(STDIN_FILENO);
	cl_fd_save_flags(STDOUT_FILENO);
	cl_fd_save_flags(STDERR_FILENO);
	if ((r = cl_signals_install(&sv->sig)) != 0) {
		error_f("signal pipe: %s", strerror(errno));
		return r;
	}
	sv->have_sig = 1;
	/* The connection protocol's messages go to the channels. */
	sv->app_data = packet_get_app_data(ssh);
	packet_set_app_data(ssh, cl);
	dispatch_reset_app(ssh);
	for (t = SSH2_MSG_GLOBAL_REQUEST; t <= SSH2_MSG_CHANNEL_FAILURE; t++) {
		if (chan_handles_type((uint8_t)t))
			dispatch_set(ssh, t, cl_input_chan);
	}
	sv->have_dispatch = 1;
	return 0;
}

static void
cl_end(struct cl *cl, struct cl_saved *sv)
{
	struct ssh *ssh = cl->ssh;

	cl_tty_leave_raw();
	if (cl->chans != NULL)
		cl_finish_transport(cl);
	chan_mgr_free(cl->chans);
	cl->chans = NULL;
	if (cl->pipe_w != -1)
		close(cl->pipe_w);
	cl->pipe_w = -1;
	buf_free(cl->pending);
	cl->pending = NULL;
	buf_free(cl->modes);
	cl->modes = NULL;
	if (sv->have_dispatch) {
		dispatch_reset_app(ssh);
		packet_set_app_data(ssh, sv->app_data);
	}
	if (sv->have_sig)
		cl_signals_restore(&sv->sig);
	cl_fd_restore_flags();
	if (sv->net_fl[0] != -1)
		(void)fcntl(packet_fd_in(ssh), F_SETFL, sv->net_fl[0]);
	if (sv->net_fl[1] != -1)
		(void)fcntl(packet_fd_out(ssh), F_SETFL, sv->net_fl[1]);
}

/* How the session ended, as ssh's exit status (with its messages). */
static int
cl_exit_status(struct cl *cl)
{
	const struct client_session_opts *o = cl->o;

	if (cl_got_signal) {
		verbose("Killed by signal %d.", (int)cl_got_signal);
		/* As OpenSSH 9.2: -N ends cleanly on SIGTERM. */
		return o->no_session && cl_got_signal == SIGTERM ? 0 : 255;
	}
	/* As OpenSSH: only after a session with a pty. */
	if (cl->have_pty && !o->quiet && log_is_on(LOG_LEVEL_INFO)) {
		cl_tellf("Connection to %s closed.\r\n",
		    o->host != NULL ? o->host : "host");
	}
	return cl->exit_status >= 0 ? cl->exit_status : 255;
}

int
client_loop_run(struct ssh *ssh, const struct client_session_opts *o,
    int *exit_statusp)
{
	struct cl_saved sv;
	struct cl cl;
	int r = ERR_INTERNAL;

	*exit_statusp = 255;
	memset(&cl, 0, sizeof(cl));
	memset(&sv, 0, sizeof(sv));
	sv.net_fl[0] = sv.net_fl[1] = -1;
	cl.ssh = ssh;
	cl.o = o;
	cl.exit_status = -1;
	cl.in_fd = cl.pipe_w = -1;
	if ((cl.pending = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	cl_setup_escapes(&cl);
	if ((r = cl_begin(&cl, &sv)) != 0)
		goto out;
	if (!o->no_session) {
		/* The modes for pty-req are the terminal's before raw mode. */
		if (o->want_tty && ((cl.modes = buf_new()) == NULL ||
		    (r = ttymodes_encode_fd(STDIN_FILENO, cl.modes)) != 0)) {
			r = cl.modes == NULL ? ERR_ALLOC_FAIL : r;
			goto out;
		}
		if (o->want_tty && isatty(STDIN_FILENO) &&
		    cl_tty_enter_raw(STDIN_FILENO) != 0)
			debug_f("cannot put the terminal in raw mode");
		if ((r = cl_open_session(&cl)) != 0)
			goto out;
	}
	/* Bytes that arrived with the authentication's last packets. */
	if ((r = dispatch_run(ssh, NULL)) != 0)
		cl_conn_lost(&cl, r);
	if ((r = cl_run(&cl)) != 0)
		goto out;
	cl_tty_leave_raw();
	*exit_statusp = cl_exit_status(&cl);
	r = 0;
 out:
	cl_end(&cl, &sv);
	return r;
}
