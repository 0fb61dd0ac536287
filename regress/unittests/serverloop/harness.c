/*
 * harness.c: a server_loop_run() child and an in-test client
 * (test_serverloop.h).
 */
#include "includes.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth-options.h"
#include "buf.h"
#include "errcode.h"
#include "kex.h"
#include "key.h"
#include "log.h"
#include "misc.h"
#include "packet.h"
#include "servconf.h"
#include "serverloop.h"
#include "ssh2.h"

#include "../test_helper/test_helper.h"
#include "test_serverloop.h"

static struct key *hostkey;

static int
cb_get_hostkey(struct ssh *ssh, const char *alg, const struct key **pubp,
    void *ctx)
{
	(void)ssh;
	(void)alg;
	(void)ctx;
	*pubp = hostkey;
	return 0;
}

static int
cb_sign(struct ssh *ssh, const struct key *pub, const char *alg,
    const u_char *data, size_t dlen, u_char **sigp, size_t *siglenp,
    void *ctx)
{
	(void)ssh;
	(void)ctx;
	return key_sign(pub, sigp, siglenp, data, dlen, alg);
}

/* The forked server: never returns. */
static void
server_child(int fd, const char *config)
{
	struct servconf_text *t = NULL;
	struct servconf *cfg = NULL;
	struct authopts *ao;
	struct server_ctx ctx;
	struct kex_params p;
	struct ssh *ssh = NULL;
	struct passwd *pw;
	int r;

	if (!test_is_verbose())
		log_set_level(LOG_LEVEL_ERROR);
	if ((pw = getpwuid(getuid())) == NULL || (ao = authopts_new()) == NULL)
		_exit(3);
	if (servconf_text_from_string("test", config, NULL, &t) != 0 ||
	    servconf_evaluate(t, NULL, &cfg) != 0)
		_exit(4);
	memset(&p, 0, sizeof(p));
	p.hostkey_algs = "ssh-ed25519";
	p.cb.get_hostkey = cb_get_hostkey;
	p.cb.sign = cb_sign;
	if (packet_new(1, &ssh) != 0 ||
	    packet_set_peer_desc(ssh, "127.0.0.1 port 50000") != 0 ||
	    kex_setup(ssh, &p) != 0)
		_exit(5);
	packet_set_fds(ssh, fd, fd);
	memset(&ctx, 0, sizeof(ctx));
	ctx.ssh = ssh;
	ctx.monitor_fd = -1;
	ctx.cfg = cfg;
	ctx.pw = pw;
	ctx.authopts = ao;
	ctx.remote_ip = "127.0.0.1";
	ctx.remote_port = 50000;
	ctx.local_ip = "127.0.0.2";
	ctx.local_port = 2222;
	r = server_loop_run(&ctx);
	packet_free(ssh);
	_exit(r == 0 ? 0 : 1);
}

static int
tc_send(void *ctx, uint8_t type, const struct buf *payload)
{
	struct tc *tc = ctx;

	return packet_send_msg(tc->ssh, type, payload);
}

static const struct chan_ops ts_ops;

/* A forwarded-tcpip open: into tc->fwd_ts, with files. */
static int
tc_open_fwd(struct channels *c, struct channel *ch,
    const struct chan_open_info *info, void *ctx)
{
	struct tc *tc = ctx;
	struct ts *ts = tc->fwd_ts;

	(void)c;
	if (ts == NULL || info->type != CHAN_TYPE_FORWARDED_TCPIP)
		return chan_open_refuse(ch,
		    SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED, "no");
	tc->fwd_ts = NULL;
	memset(ts, 0, sizeof(*ts));
	ts->tc = tc;
	ts->ch = ch;
	ts->open_state = 1;
	chan_set_ops(ch, &ts_ops, ts);
	ts_fds(ts, NULL, 0);
	tc->fwd_opened = 1;
	return chan_open_confirm(ch);
}

struct tc *
tc_new(const char *config)
{
	struct chan_config cc;
	struct kex_params p;
	struct tc *tc;
	int sp[2];
	const char *tmp = getenv("TMPDIR");

	if (hostkey == NULL)
		ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &hostkey), 0);
	ASSERT_PTR_NE(tc = calloc(1, sizeof(*tc)), NULL);
	snprintf(tc->dir, sizeof(tc->dir), "%s/sloop.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	ASSERT_PTR_NE(mkdtemp(tc->dir), NULL);
	ASSERT_INT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	fflush(NULL);
	ASSERT_INT_NE(tc->pid = fork(), -1);
	if (tc->pid == 0) {
		close(sp[0]);
		server_child(sp[1], config);
	}
	close(sp[1]);
	tc->fd = sp[0];
	ASSERT_INT_EQ(set_nonblock(tc->fd), 0);

	memset(&p, 0, sizeof(p));
	ASSERT_INT_EQ(packet_new(0, &tc->ssh), 0);
	ASSERT_INT_EQ(packet_set_peer_desc(tc->ssh, "test server"), 0);
	ASSERT_INT_EQ(kex_setup(tc->ssh, &p), 0);
	packet_set_fds(tc->ssh, tc->fd, tc->fd);

	memset(&cc, 0, sizeof(cc));
	cc.is_server = 0;
	cc.send = tc_send;
	cc.send_ctx = tc;
	cc.open = tc_open_fwd;
	cc.ctx = tc;
	ASSERT_INT_EQ(chan_mgr_new(&cc, &tc->c), 0);
	return tc;
}

static void
rm_dir(const char *dir)
{
	char cmd[PATH_MAX + 32];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ASSERT_INT_EQ(system(cmd), 0);
}

int
tc_free(struct tc *tc)
{
	int status = -1, i;
	pid_t p;

	chan_mgr_free(tc->c);
	packet_free(tc->ssh);
	close(tc->fd);
	for (i = 0; i < 1000; i++) {
		p = waitpid(tc->pid, &status, WNOHANG);
		if (p == tc->pid)
			break;
		ASSERT_INT_EQ(p, 0);
		usleep(10000);
	}
	if (i == 1000) {
		kill(tc->pid, SIGKILL);
		ASSERT_INT_EQ(waitpid(tc->pid, &status, 0), tc->pid);
		ASSERT_TRUE(0);	/* the server did not end */
	}
	rm_dir(tc->dir);
	free(tc);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

static void
tc_read(struct tc *tc)
{
	u_char tmp[65536];
	size_t space = packet_input_space(tc->ssh);
	ssize_t n;

	if (space == 0 || tc->eof)
		return;
	n = read(tc->fd, tmp, MINIMUM(space, sizeof(tmp)));
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		tc->eof = 1;
		packet_input_eof(tc->ssh);
		return;
	}
	ASSERT_INT_EQ(packet_input(tc->ssh, tmp, (size_t)n), 0);
}

static void
tc_write(struct tc *tc)
{
	ssize_t n;

	if (packet_output_len(tc->ssh) == 0)
		return;
	n = write(tc->fd, packet_output_ptr(tc->ssh),
	    packet_output_len(tc->ssh));
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == -1) {
		if (tc->err == 0)
			tc->err = ERR_ERRNO;
		return;
	}
	ASSERT_INT_EQ(packet_output_consume(tc->ssh, (size_t)n), 0);
}

void
tc_step(struct tc *tc, int timeout_ms)
{
	struct pollfd pfd[64];
	size_t nch;
	u_char type;
	int r;

	if (tc->err != 0)
		return;
	if ((r = chan_output(tc->c)) != 0) {
		tc->err = r;
		return;
	}
	pfd[0].fd = tc->fd;
	pfd[0].events = (tc->eof ? 0 : POLLIN) |
	    (packet_output_len(tc->ssh) > 0 ? POLLOUT : 0);
	pfd[0].revents = 0;
	nch = chan_poll_prepare(tc->c, pfd + 1, 63);
	ASSERT_INT_GE(poll(pfd, 1 + nch, timeout_ms), 0);
	if ((r = chan_poll_handle(tc->c, pfd + 1, nch)) != 0) {
		tc->err = r;
		return;
	}
	if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))
		tc_read(tc);
	for (;;) {
		if ((r = packet_next(tc->ssh, &type)) != 0) {
			tc->err = r;
			return;
		}
		if (type == SSH2_MSG_NONE)
			break;
		if (chan_handles_type(type)) {
			if ((r = chan_input(tc->c, type,
			    packet_payload(tc->ssh))) != 0) {
				tc->err = r;
				return;
			}
		}
	}
	if (pfd[0].revents & (POLLOUT | POLLHUP | POLLERR))
		tc_write(tc);
}

void
tc_until(struct tc *tc, const int *flag)
{
	uint64_t end = monotime_ms() + 30000;

	while (*flag == 0 && tc->err == 0 && monotime_ms() < end)
		tc_step(tc, 100);
	ASSERT_INT_EQ(tc->err, 0);
	ASSERT_INT_NE(*flag, 0);
}

void
tc_spin(struct tc *tc, int ms)
{
	uint64_t end = monotime_ms() + (uint64_t)ms;

	while (tc->err == 0 && monotime_ms() < end)
		tc_step(tc, 50);
}

static int
tc_greply(struct channels *c, int ok, uint32_t bound_port, struct buf *data,
    void *ctx)
{
	struct tc *tc = ctx;

	(void)c;
	(void)data;
	tc->last_bound = bound_port;
	tc->last_greply = ok;
	tc->ngreplies++;
	return 0;
}

int
tc_global(struct tc *tc, const char *name)
{
	struct chan_global_request req;
	int n = tc->ngreplies;

	memset(&req, 0, sizeof(req));
	req.type = CHAN_GREQ_OTHER;
	req.name = (char *)name;
	req.want_reply = 1;
	ASSERT_INT_EQ(chan_global_request(tc->c, &req, NULL, tc_greply, tc),
	    0);
	while (tc->ngreplies == n && tc->err == 0)
		tc_step(tc, 100);
	ASSERT_INT_EQ(tc->err, 0);
	return tc->last_greply;
}

int
tc_global_fwd(struct tc *tc, int cancel, const char *addr, uint32_t port)
{
	struct chan_global_request req;
	int n = tc->ngreplies;

	memset(&req, 0, sizeof(req));
	req.type = cancel ? CHAN_GREQ_CANCEL_TCPIP_FORWARD :
	    CHAN_GREQ_TCPIP_FORWARD;
	req.addr = (char *)addr;
	req.port = port;
	req.want_reply = 1;
	ASSERT_INT_EQ(chan_global_request(tc->c, &req, NULL, tc_greply, tc),
	    0);
	while (tc->ngreplies == n && tc->err == 0)
		tc_step(tc, 100);
	ASSERT_INT_EQ(tc->err, 0);
	return tc->last_greply;
}

/* ------------------------------------------------------------ sessions */

static void
ts_event(struct ts *ts, char e)
{
	if (ts->nev < sizeof(ts->events) - 1)
		ts->events[ts->nev++] = e;
}

static int
ts_cb_request(struct channel *ch, struct chan_request *req, void *ctx)
{
	struct ts *ts = ctx;

	(void)ch;
	if (req->type == CHAN_REQ_EXIT_STATUS) {
		ts->have_status = 1;
		ts->status = req->u.exit_status.status;
		ts_event(ts, 'X');
		return 1;
	}
	if (req->type == CHAN_REQ_EXIT_SIGNAL) {
		ts->have_signal = 1;
		snprintf(ts->signame, sizeof(ts->signame), "%s",
		    req->u.exit_signal.name);
		ts->core = req->u.exit_signal.core_dumped;
		ts_event(ts, 'X');
		return 1;
	}
	return 0;
}

static int
ts_cb_open(struct channel *ch, int ok, uint32_t reason, const char *desc,
    void *ctx)
{
	struct ts *ts = ctx;

	(void)ch;
	(void)desc;
	ts->open_state = ok ? 1 : -1;
	ts->reason = reason;
	if (!ok)
		ts->ch = NULL;
	return 0;
}

static int
ts_cb_eof(struct channel *ch, void *ctx)
{
	(void)ch;
	ts_event(ctx, 'E');
	return 0;
}

static void
ts_cb_closed(struct channel *ch, void *ctx)
{
	struct ts *ts = ctx;

	(void)ch;
	ts->closed = 1;
	ts->ch = NULL;
	ts_event(ts, 'C');
}

static const struct chan_ops ts_ops = {
	.request = ts_cb_request,
	.open_result = ts_cb_open,
	.eof = ts_cb_eof,
	.closed = ts_cb_closed,
};

int
ts_open_info(struct tc *tc, struct ts *ts, const struct chan_open_info *info)
{
	memset(ts, 0, sizeof(*ts));
	ts->tc = tc;
	ASSERT_INT_EQ(chan_open(tc->c, info, 0, 0, &ts_ops, ts, &ts->ch), 0);
	tc_until(tc, &ts->open_state);
	return ts->open_state == 1;
}

int
ts_open(struct tc *tc, struct ts *ts)
{
	struct chan_open_info info;

	memset(&info, 0, sizeof(info));
	info.type = CHAN_TYPE_SESSION;
	return ts_open_info(tc, ts, &info);
}

static int
ts_file(struct ts *ts, const char *what, char *path, size_t len, int flags)
{
	int fd;

	ASSERT_INT_LT(snprintf(path, len, "%s/%s.%u", ts->tc->dir, what,
	    ts->tc->nfiles++), (int)len);
	ASSERT_INT_GE(fd = open(path, flags | O_CREAT | O_TRUNC, 0600), 0);
	return fd;
}

void
ts_fds(struct ts *ts, const void *in, size_t inlen)
{
	char inpath[PATH_MAX];
	int infd = -1, outfd, errfd;

	if (in != NULL) {
		infd = ts_file(ts, "in", inpath, sizeof(inpath), O_RDWR);
		ASSERT_SIZE_T_EQ(atomicio_write(infd, in, inlen), inlen);
		ASSERT_INT_EQ(lseek(infd, 0, SEEK_SET), 0);
	}
	outfd = ts_file(ts, "out", ts->out, sizeof(ts->out), O_WRONLY);
	errfd = ts_file(ts, "err", ts->err, sizeof(ts->err), O_WRONLY);
	ASSERT_INT_EQ(chan_set_fds(ts->ch, infd, outfd, errfd,
	    CHAN_EXT_WRITE, 0), 0);
}

static int
ts_cb_reply(struct channel *ch, int ok, void *ctx)
{
	struct ts *ts = ctx;

	(void)ch;
	ts->last_reply = ok;
	ts->nreplies++;
	return 0;
}

int
ts_req(struct ts *ts, const struct chan_request *req)
{
	int n = ts->nreplies;

	ASSERT_PTR_NE(ts->ch, NULL);
	ASSERT_INT_EQ(chan_send_request(ts->ch, req, ts_cb_reply, ts), 0);
	while (ts->nreplies == n && ts->tc->err == 0)
		tc_step(ts->tc, 100);
	ASSERT_INT_EQ(ts->tc->err, 0);
	return ts->last_reply == 1;
}

int
ts_exec(struct ts *ts, const char *cmd)
{
	struct chan_request req;

	memset(&req, 0, sizeof(req));
	req.type = CHAN_REQ_EXEC;
	req.want_reply = 1;
	req.u.exec.command = (char *)cmd;
	return ts_req(ts, &req);
}

void
ts_wait(struct ts *ts)
{
	tc_until(ts->tc, &ts->closed);
}

struct buf *
ts_out(struct ts *ts)
{
	struct buf *b = NULL;

	ASSERT_INT_EQ(buf_load_file(ts->out, &b), 0);
	return b;
}

struct buf *
ts_err(struct ts *ts)
{
	struct buf *b = NULL;

	ASSERT_INT_EQ(buf_load_file(ts->err, &b), 0);
	return b;
}

char *
ts_outstr(struct ts *ts)
{
	struct buf *b = ts_out(ts);
	char *s;

	ASSERT_PTR_NE(s = buf_dup_string(b), NULL);
	buf_free(b);
	return s;
}

void
ts_run(struct tc *tc, struct ts *ts, const char *cmd, const void *in,
    size_t inlen)
{
	ASSERT_INT_EQ(ts_open(tc, ts), 1);
	ts_fds(ts, in, inlen);
	ASSERT_INT_EQ(ts_exec(ts, cmd), 1);
	ts_wait(ts);
}
