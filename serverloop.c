/*
 * serverloop.c: sshd's post-authentication loop (serverloop.h): one
 * poll(2) over the transport, the channels' descriptors and a self-pipe
 * for SIGCHLD; connection-protocol messages go to the channel manager,
 * session channels to sshd-session.c.
 */
#include "includes.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "channels/channel.h"
#include "channels/session.h"
#include "dispatch.h"
#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "packet.h"
#include "servconf.h"
#include "serverloop.h"
#include "sshd-session.h"
#include "ssh2.h"

/* Channels stop sending data while the transport holds more than this. */
#define SLOOP_OUT_HIGHWATER	(4 * 1024 * 1024)
/* At most this much is read from the transport per turn. */
#define SLOOP_READ_CHUNK	(64 * 1024)
/* How long the last flush may wait for the peer (ms). */
#define SLOOP_FLUSH_MS		5000

/* Fixed pollfd slots before the channels' ones. */
enum { PFD_IN = 0, PFD_OUT, PFD_SIG, PFD_FIXED };

struct sloop {
	const struct server_ctx *ctx;
	struct ssh *ssh;
	struct channels *chans;
	struct session_mgr *sm;
	struct fwd_mgr *fm;
	struct rfwd_mgr *rm;
	int in_eof;		/* the peer closed its side */
	int alive_missed;	/* keepalives sent without an answer */
	uint64_t last_input_ms;	/* monotime_ms() of the last input */
	struct pollfd *pfd;
	size_t npfd;
};

static volatile sig_atomic_t sloop_child_pending;
static int sloop_sigpipe[2] = { -1, -1 };

static void
sloop_sigchld(int sig)
{
	int save_errno = errno;
	ssize_t n;

	(void)sig;
	sloop_child_pending = 1;
	if (sloop_sigpipe[1] != -1) {
		n = write(sloop_sigpipe[1], "c", 1);
		(void)n;
	}
	errno = save_errno;
}

/* The channel manager's send callback: one message on the transport. */
static int
sloop_send(void *vctx, uint8_t type, const struct buf *payload)
{
	struct sloop *sl = vctx;

	return packet_send_msg(sl->ssh, type, payload);
}

static int
sloop_open(struct channels *c, struct channel *ch,
    const struct chan_open_info *info, void *vctx)
{
	struct sloop *sl = vctx;

	(void)c;
	if (info->type == CHAN_TYPE_SESSION)
		return session_open(sl->sm, ch);
	if (info->type == CHAN_TYPE_DIRECT_TCPIP)
		return fwd_direct_open(sl->fm, ch, info);
	debug("refusing channel open of type %s",
	    chan_type_name(info->type));
	return chan_open_refuse(ch, SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED,
	    "open failed");
}

/*
 * Global requests: tcpip-forward and cancel-tcpip-forward (remote
 * forwarding), no-more-sessions@openssh.com; everything else is refused
 * (keepalive@openssh.com gets a failure, as OpenSSH answers it).
 */
static int
sloop_global(struct channels *c, struct chan_global_request *req,
    struct buf *data, struct buf *reply, void *vctx)
{
	struct sloop *sl = vctx;

	(void)c;
	(void)reply;
	if (req->type == CHAN_GREQ_OTHER && req->name != NULL &&
	    strcmp(req->name, "no-more-sessions@openssh.com") == 0) {
		if (buf_len(data) != 0)
			return chan_protocol_error(sl->chans,
			    "%s: trailing data", req->name);
		debug("no-more-sessions@openssh.com received");
		session_no_more(sl->sm);
		return 1;
	}
	if (req->type == CHAN_GREQ_TCPIP_FORWARD ||
	    req->type == CHAN_GREQ_CANCEL_TCPIP_FORWARD)
		return rfwd_global_request(sl->rm, req);
	debug("global request %s refused (want reply %d)",
	    req->type == CHAN_GREQ_OTHER && req->name != NULL ? req->name :
	    (req->type == CHAN_GREQ_TCPIP_FORWARD ? "tcpip-forward" :
	    "cancel-tcpip-forward"), req->want_reply);
	return 0;
}

/* Any answer to our keepalive shows the client is alive. */
static int
sloop_alive_reply(struct channels *c, int ok, uint32_t bound_port,
    struct buf *data, void *vctx)
{
	struct sloop *sl = vctx;

	(void)c;
	(void)ok;
	(void)bound_port;
	(void)data;
	sl->alive_missed = 0;
	return 0;
}

/* A channel layer failure: disconnect with its reason. */
static int
sloop_chan_fail(struct sloop *sl, int r)
{
	if (r == ERR_PROTOCOL_ERROR) {
		(void)packet_disconnect(sl->ssh,
		    SSH2_DISCONNECT_PROTOCOL_ERROR, "%s",
		    *chan_error_message(sl->chans) != '\0' ?
		    chan_error_message(sl->chans) : "channel protocol error");
		return r;
	}
	return packet_fail(sl->ssh, r, "channels");
}

/* Reap every child that ended. */
static void
sloop_reap(struct sloop *sl)
{
	char tmp[64];
	pid_t pid;
	int status;

	sloop_child_pending = 0;
	while (read(sloop_sigpipe[0], tmp, sizeof(tmp)) > 0)
		;
	for (;;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid == -1 && errno == EINTR)
			continue;
		if (pid <= 0)
			break;
		if (!session_child_exited(sl->sm, pid, status))
			debug_f("child %ld (not a session) ended",
			    (long)pid);
	}
}

/* ClientAliveInterval: ms until the next check, or -1. */
static int
sloop_alive_timeout(const struct sloop *sl)
{
	uint64_t now, due;
	int ival = sl->ctx->cfg->client_alive_interval;

	if (ival <= 0)
		return -1;
	now = monotime_ms();
	due = sl->last_input_ms + (uint64_t)ival * 1000;
	if (due <= now)
		return 0;
	return (int)MINIMUM(due - now, (uint64_t)INT32_MAX);
}

/* The client said nothing for a ClientAliveInterval: ask it. */
static int
sloop_alive_check(struct sloop *sl)
{
	const struct server_ctx *ctx = sl->ctx;
	struct chan_global_request req;
	int r;

	if (sloop_alive_timeout(sl) != 0)
		return 0;
	/* As OpenSSH: ClientAliveCountMax 0 never ends the connection. */
	if (ctx->cfg->client_alive_count_max > 0 &&
	    ++sl->alive_missed > ctx->cfg->client_alive_count_max) {
		logit("Timeout, client not responding from user %s %s "
		    "port %d", ctx->pw->pw_name, ctx->remote_ip,
		    ctx->remote_port);
		(void)packet_disconnect(sl->ssh,
		    SSH2_DISCONNECT_BY_APPLICATION,
		    "Timeout, client not responding");
		return ERR_CONN_TIMEOUT;
	}
	memset(&req, 0, sizeof(req));
	req.type = CHAN_GREQ_OTHER;
	req.name = "keepalive@openssh.com";
	req.want_reply = 1;
	sl->last_input_ms = monotime_ms();
	if ((r = chan_global_request(sl->chans, &req, NULL,
	    sloop_alive_reply, sl)) != 0)
		return sloop_chan_fail(sl, r);
	return 0;
}

/*
 * How the loop ended (1: the transport is closed, or an error): 0 for
 * the peer's EOF or DISCONNECT, else an error code (already logged).
 */
static int
sloop_end_code(struct sloop *sl, int r)
{
	u_int reason;
	const char *desc;

	if (r != 1 && r != ERR_CONN_CLOSED && r != ERR_DISCONNECTED)
		return r;
	packet_disconnect_info(sl->ssh, 1, &reason, &desc);
	if (reason != 0)
		return 0;	/* the peer said goodbye */
	packet_disconnect_info(sl->ssh, 0, &reason, &desc);
	if (reason != 0)
		return r == 1 ? ERR_DISCONNECTED : r;	/* we ended it */
	return 0;
}

/* Every message the transport has ready. */
static int
sloop_process_input(struct sloop *sl)
{
	struct buf *pl;
	u_char type;
	int r;

	for (;;) {
		if ((r = packet_next(sl->ssh, &type)) != 0)
			return r;
		if (type == SSH2_MSG_NONE)
			return 0;
		sl->alive_missed = 0;
		if (chan_handles_type(type)) {
			pl = packet_payload(sl->ssh);
			if ((r = chan_input(sl->chans, type, pl)) != 0)
				return sloop_chan_fail(sl, r);
			continue;
		}
		/* Not for this phase: SSH_MSG_UNIMPLEMENTED. */
		if ((r = dispatch_unexpected(type, packet_seqnr(sl->ssh),
		    sl->ssh)) != 0)
			return r;
	}
}

static int
sloop_read(struct sloop *sl)
{
	u_char tmp[SLOOP_READ_CHUNK];
	size_t space = packet_input_space(sl->ssh);
	ssize_t n;
	int r;

	if (space == 0)
		return 0;
	n = read(packet_fd_in(sl->ssh), tmp, MINIMUM(space, sizeof(tmp)));
	if (n == -1) {
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		verbose("Read error from %s: %s", packet_peer_desc(sl->ssh),
		    strerror(errno));
		sl->in_eof = 1;
		packet_input_eof(sl->ssh);
		return 0;
	}
	if (n == 0) {
		sl->in_eof = 1;
		packet_input_eof(sl->ssh);
		return 0;
	}
	sl->last_input_ms = monotime_ms();
	r = packet_input(sl->ssh, tmp, (size_t)n);
	explicit_bzero(tmp, (size_t)n);
	return r;
}

static int
sloop_write(struct sloop *sl)
{
	size_t len = packet_output_len(sl->ssh);
	ssize_t n;

	if (len == 0)
		return 0;
	n = write(packet_fd_out(sl->ssh), packet_output_ptr(sl->ssh), len);
	if (n == -1) {
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		verbose("Write error to %s: %s", packet_peer_desc(sl->ssh),
		    strerror(errno));
		return ERR_CONN_CLOSED;
	}
	return packet_output_consume(sl->ssh, (size_t)n);
}

/* Make room for the fixed slots and every channel's. */
static int
sloop_pfd_grow(struct sloop *sl)
{
	size_t want = PFD_FIXED + chan_poll_count(sl->chans) +
	    fwd_poll_count(sl->fm) + rfwd_poll_count(sl->rm);
	struct pollfd *p;

	if (want <= sl->npfd)
		return 0;
	if ((p = reallocarray(sl->pfd, want, sizeof(*p))) == NULL)
		return ERR_ALLOC_FAIL;
	sl->pfd = p;
	sl->npfd = want;
	return 0;
}

/* One turn of the loop: 1 when the connection is over, 0, or an error. */
static int
sloop_turn(struct sloop *sl)
{
	struct ssh *ssh = sl->ssh;
	size_t nch, nfw, nrf;
	int r, timeout, t2, n;

	if (sloop_child_pending)
		sloop_reap(sl);
	if ((r = session_tick(sl->sm)) != 0)
		return sloop_chan_fail(sl, r);
	chan_set_throttle(sl->chans, packet_in_kex(ssh) ||
	    packet_output_len(ssh) > SLOOP_OUT_HIGHWATER);
	if ((r = chan_output(sl->chans)) != 0)
		return sloop_chan_fail(sl, r);
	if ((r = packet_check_rekey(ssh)) != 0)
		return r;
	if (packet_is_closed(ssh))
		return 1;
	if ((r = sloop_pfd_grow(sl)) != 0)
		return r;

	sl->pfd[PFD_IN].fd = sl->in_eof || packet_input_space(ssh) == 0 ?
	    -1 : packet_fd_in(ssh);
	sl->pfd[PFD_IN].events = POLLIN;
	sl->pfd[PFD_OUT].fd = packet_output_len(ssh) > 0 ?
	    packet_fd_out(ssh) : -1;
	sl->pfd[PFD_OUT].events = POLLOUT;
	sl->pfd[PFD_SIG].fd = sloop_sigpipe[0];
	sl->pfd[PFD_SIG].events = POLLIN;
	nch = chan_poll_prepare(sl->chans, sl->pfd + PFD_FIXED,
	    sl->npfd - PFD_FIXED);
	nfw = fwd_poll_prepare(sl->fm, sl->pfd + PFD_FIXED + nch,
	    sl->npfd - PFD_FIXED - nch);
	nrf = rfwd_poll_prepare(sl->rm, sl->pfd + PFD_FIXED + nch + nfw,
	    sl->npfd - PFD_FIXED - nch - nfw);
	for (n = 0; n < PFD_FIXED; n++)
		sl->pfd[n].revents = 0;

	timeout = sloop_alive_timeout(sl);
	t2 = packet_rekey_timeout_ms(ssh);
	if (t2 >= 0 && (timeout < 0 || t2 < timeout))
		timeout = t2;
	if (sloop_child_pending)
		timeout = 0;

	n = poll(sl->pfd, PFD_FIXED + nch + nfw + nrf, timeout);
	if (n == -1) {
		if (errno == EINTR || errno == EAGAIN)
			return 0;
		error("poll: %s", strerror(errno));
		return ERR_ERRNO;
	}
	if ((r = sloop_alive_check(sl)) != 0)
		return r;
	if (sl->pfd[PFD_SIG].revents != 0)
		sloop_reap(sl);
	if ((r = chan_poll_handle(sl->chans, sl->pfd + PFD_FIXED, nch)) != 0)
		return sloop_chan_fail(sl, r);
	if ((r = fwd_poll_handle(sl->fm, sl->pfd + PFD_FIXED + nch,
	    nfw)) != 0)
		return sloop_chan_fail(sl, r);
	if ((r = rfwd_poll_handle(sl->rm, sl->pfd + PFD_FIXED + nch + nfw,
	    nrf)) != 0)
		return sloop_chan_fail(sl, r);
	if (sl->pfd[PFD_IN].revents & (POLLIN | POLLHUP | POLLERR)) {
		if ((r = sloop_read(sl)) != 0)
			return packet_fail(ssh, r, "input");
	}
	if ((r = sloop_process_input(sl)) != 0)
		return r;
	if (sl->pfd[PFD_OUT].revents & (POLLOUT | POLLHUP | POLLERR)) {
		if ((r = sloop_write(sl)) != 0)
			return r;
	}
	return 0;
}

/* SIGCHLD to the self-pipe; the old action kept in *old. */
static int
sloop_signals(struct sigaction *old)
{
	struct sigaction sa;
	int i;

	if (pipe(sloop_sigpipe) == -1) {
		error_f("pipe: %s", strerror(errno));
		return ERR_ERRNO;
	}
	for (i = 0; i < 2; i++) {
		if (fcntl(sloop_sigpipe[i], F_SETFD, FD_CLOEXEC) == -1 ||
		    set_nonblock(sloop_sigpipe[i]) != 0) {
			error_f("fcntl: %s", strerror(errno));
			return ERR_ERRNO;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sloop_sigchld;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	if (sigaction(SIGCHLD, &sa, old) == -1) {
		error_f("sigaction: %s", strerror(errno));
		return ERR_ERRNO;
	}
	/* Writes to a finished child's pipe must fail, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static void
sloop_signals_restore(const struct sigaction *old)
{
	int i;

	(void)sigaction(SIGCHLD, old, NULL);
	for (i = 0; i < 2; i++) {
		if (sloop_sigpipe[i] != -1)
			close(sloop_sigpipe[i]);
		sloop_sigpipe[i] = -1;
	}
	sloop_child_pending = 0;
}

/* TCPKeepAlive: SO_KEEPALIVE on the connection's socket. */
static void
sloop_keepalive(const struct sloop *sl)
{
	int on = 1, fd = packet_fd_in(sl->ssh);

	if (!sl->ctx->cfg->tcp_keep_alive)
		return;
	if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on)) == -1 &&
	    errno != ENOTSOCK)
		debug("setsockopt SO_KEEPALIVE: %s", strerror(errno));
}

int
server_loop_run(const struct server_ctx *ctx)
{
	struct sloop sl;
	struct chan_config cc;
	struct sigaction oldchld;
	int r = ERR_INTERNAL, sigs = 0;

	memset(&sl, 0, sizeof(sl));
	memset(&oldchld, 0, sizeof(oldchld));
	sl.ctx = ctx;
	sl.ssh = ctx->ssh;
	sl.last_input_ms = monotime_ms();

	if ((r = sloop_signals(&oldchld)) != 0)
		goto out;
	sigs = 1;
	if (set_nonblock(packet_fd_in(sl.ssh)) != 0 ||
	    set_nonblock(packet_fd_out(sl.ssh)) != 0) {
		r = ERR_ERRNO;
		error_f("set_nonblock: %s", strerror(errno));
		goto out;
	}
	sloop_keepalive(&sl);

	memset(&cc, 0, sizeof(cc));
	cc.is_server = 1;
	cc.send = sloop_send;
	cc.send_ctx = &sl;
	cc.open = sloop_open;
	cc.global_request = sloop_global;
	cc.ctx = &sl;
	if ((r = chan_mgr_new(&cc, &sl.chans)) != 0) {
		error_fr(r, "chan_mgr_new");
		goto out;
	}
	if ((r = session_mgr_new(ctx, sl.chans, &sl.sm)) != 0) {
		error_fr(r, "session_mgr_new");
		goto out;
	}
	if ((r = fwd_mgr_new(ctx, &sl.fm)) != 0 ||
	    (r = rfwd_mgr_new(ctx, sl.chans, &sl.rm)) != 0)
		goto out;

	while ((r = sloop_turn(&sl)) == 0)
		;
	r = sloop_end_code(&sl, r);
 out:
	session_mgr_free(sl.sm);
	fwd_mgr_free(sl.fm);
	rfwd_mgr_free(sl.rm);
	chan_mgr_free(sl.chans);
	if (packet_output_len(sl.ssh) > 0 &&
	    packet_fd_flush(sl.ssh, SLOOP_FLUSH_MS) != 0)
		debug("could not flush the last output");
	if (sigs)
		sloop_signals_restore(&oldchld);
	free(sl.pfd);
	return r;
}
