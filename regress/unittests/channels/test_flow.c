/*
 * End-to-end flows: a client and a server manager wired back to back
 * through message queues, socketpairs standing in for the session's
 * program and for the client's terminal.  Checks the bytes that arrive,
 * the order of EOF, exit-status and CLOSE on the wire, windows and
 * maximum packets, several channels at once, and closes from either
 * side.
 */
#include "includes.h"

#include <sys/socket.h>
#include <poll.h>
#include <signal.h>
#include <time.h>

#include "buf.h"
#include "errcode.h"

#include "../test_helper/test_helper.h"
#include "test_channels.h"

#define MAX_SESS	8
#define MAX_ENDP	(MAX_SESS * 7)
#define NSTATS		(MAX_SESS * 2)

/* One end of a socketpair the test drives. */
struct endp {
	int fd;
	int writer;		/* 1: write data then finish; 0: read to EOF */
	const u_char *data;
	size_t len, off;
	struct buf *got;
	int done;
	int broken;		/* a write or read failed */
	const struct endp *after; /* writer: wait until this one is done */
	struct endp *twin;	/* the other direction of the same fd */
};

/* What one side sent to one recipient channel, as seen on the wire. */
struct wstats {
	size_t data, ext, data_at_eof, ext_at_eof, ndata, nadjust, max_data;
	int eof, after_eof, close;
	long eof_seq, exit_seq, close_seq;
};

struct side {
	struct channels *c;
	struct tq out;
	long seq;
	struct wstats st[NSTATS];	/* by recipient id */
	uint32_t last_recipient;
	size_t switches;
};

struct pair;

struct sess {
	struct pair *p;
	size_t n_in, n_out, n_err;
	u_char *d_in, *d_out, *d_err;
	uint32_t status;
	uint32_t window, maxpack;
	int stderr_late;	/* program writes stderr after stdout ends */
	int hold_prog;		/* program writes nothing until stdin ends */
	int hold_term;		/* terminal sends nothing until stdout ends */
	int shared_fd;		/* program on one socket, no stderr */
	/* client */
	struct channel *cch;
	uint32_t cid;
	struct endp c_in, c_out, c_err;
	int c_open, c_exec_ok, c_exit, c_closed, c_eof, c_exit_before_close;
	uint32_t c_status;
	/* server */
	struct channel *sch;
	uint32_t sid;
	struct endp p_in, p_out, p_err;
	int s_exec, s_closed, s_exit_sent;
};

struct pair {
	struct side cli, srv;
	struct sess *ss[MAX_SESS];
	size_t nss, next_srv;
};

/* ------------------------------------------------------------ wire stats */

static void
side_note(struct side *s, uint8_t type, const struct buf *payload)
{
	struct buf *b;
	struct wstats *st;
	const u_char *p;
	uint32_t id, code;
	size_t len;
	char *name = NULL;

	s->seq++;
	if (type < SSH2_MSG_CHANNEL_WINDOW_ADJUST ||
	    type > SSH2_MSG_CHANNEL_REQUEST)
		return;
	ASSERT_TRUE((b = buf_from(buf_ptr(payload), buf_len(payload))) !=
	    NULL);
	ASSERT_INT_EQ(buf_get_u32(b, &id), 0);
	ASSERT_U32_EQ(id < NSTATS, 1);
	st = &s->st[id];
	if (id != s->last_recipient)
		s->switches++;
	s->last_recipient = id;
	switch (type) {
	case SSH2_MSG_CHANNEL_WINDOW_ADJUST:
		st->nadjust++;
		break;
	case SSH2_MSG_CHANNEL_EXTENDED_DATA:
	case SSH2_MSG_CHANNEL_DATA:
		if (type == SSH2_MSG_CHANNEL_EXTENDED_DATA) {
			ASSERT_INT_EQ(buf_get_u32(b, &code), 0);
			ASSERT_U32_EQ(code, SSH2_EXTENDED_DATA_STDERR);
		}
		ASSERT_INT_EQ(buf_get_string_direct(b, &p, &len), 0);
		if (st->eof || st->close)
			st->after_eof++;
		if (type == SSH2_MSG_CHANNEL_DATA)
			st->data += len;
		else
			st->ext += len;
		st->ndata++;
		st->max_data = MAXIMUM(st->max_data, len);
		break;
	case SSH2_MSG_CHANNEL_EOF:
		st->eof = 1;
		st->eof_seq = s->seq;
		st->data_at_eof = st->data;
		st->ext_at_eof = st->ext;
		break;
	case SSH2_MSG_CHANNEL_CLOSE:
		st->close = 1;
		st->close_seq = s->seq;
		break;
	case SSH2_MSG_CHANNEL_REQUEST:
		ASSERT_INT_EQ(buf_get_cstring(b, &name, NULL), 0);
		if (strcmp(name, "exit-status") == 0)
			st->exit_seq = s->seq;
		free(name);
		break;
	}
	buf_free(b);
}

static int
side_send(void *ctx, uint8_t type, const struct buf *payload)
{
	struct side *s = ctx;

	side_note(s, type, payload);
	return tq_send(&s->out, type, payload);
}

/* ------------------------------------------------------------ endpoints */

static void
endp_init(struct endp *e, int fd, int writer, const u_char *data,
    size_t len)
{
	memset(e, 0, sizeof(*e));
	e->fd = fd;
	e->writer = writer;
	e->data = data;
	e->len = len;
	if (!writer)
		ASSERT_TRUE((e->got = buf_new()) != NULL);
}

static void
endp_unused(struct endp *e)
{
	memset(e, 0, sizeof(*e));
	e->fd = -1;
	e->done = 1;
}

static void
endp_finish(struct endp *e)
{
	if (e->done)
		return;
	e->done = 1;
	if (e->twin != NULL && !e->twin->done)
		(void)shutdown(e->fd, e->writer ? SHUT_WR : SHUT_RD);
	else
		(void)close(e->fd);
}

static void
endp_io(struct endp *e, const struct pollfd *pfd)
{
	static u_char tmp[65536];
	ssize_t n;

	if (pfd->revents == 0 || e->done)
		return;
	if (e->writer) {
		n = write(e->fd, e->data + e->off,
		    MINIMUM(e->len - e->off, sizeof(tmp)));
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n == -1) {
			e->broken = 1;
			endp_finish(e);
			return;
		}
		e->off += (size_t)n;
		if (e->off == e->len)
			endp_finish(e);
		return;
	}
	n = read(e->fd, tmp, sizeof(tmp));
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		e->broken = n == -1;
		endp_finish(e);
		return;
	}
	ASSERT_INT_EQ(buf_put(e->got, tmp, (size_t)n), 0);
}

static void
endp_free(struct endp *e)
{
	if (!e->done && e->fd >= 0 && (e->twin == NULL || e->twin->done))
		close(e->fd);
	e->done = 1;
	buf_free(e->got);
	e->got = NULL;
}

static void
sockpair(int sp[2])
{
	ASSERT_INT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
}

/* ------------------------------------------------------------ server */

static int
srv_request(struct channel *ch, struct chan_request *req, void *ctx)
{
	struct sess *s = ctx;
	int in[2], out[2], err[2];

	if (req->type == CHAN_REQ_ENV) {
		ASSERT_STRING_EQ(req->u.env.name, "LANG");
		ASSERT_STRING_EQ(req->u.env.value, "C");
		return 1;
	}
	if (req->type != CHAN_REQ_EXEC)
		return 0;
	ASSERT_STRING_EQ(req->u.exec.command, "cat");
	ASSERT_INT_EQ(s->s_exec, 0);
	s->s_exec = 1;
	if (s->shared_fd) {
		/* A pty or a socket: one descriptor, both directions. */
		sockpair(in);
		ASSERT_INT_EQ(chan_set_fds(ch, in[0], in[0], -1,
		    CHAN_EXT_IGNORE, CHAN_FD_NONBLOCK), 0);
		endp_init(&s->p_in, in[1], 0, NULL, 0);
		endp_init(&s->p_out, in[1], 1, s->d_out, s->n_out);
		s->p_in.twin = &s->p_out;
		s->p_out.twin = &s->p_in;
		return 1;
	}
	sockpair(in);
	sockpair(out);
	sockpair(err);
	ASSERT_INT_EQ(chan_set_fds(ch, out[0], in[0], err[0], CHAN_EXT_READ,
	    CHAN_FD_NONBLOCK), 0);
	endp_init(&s->p_in, in[1], 0, NULL, 0);
	endp_init(&s->p_out, out[1], 1, s->d_out, s->n_out);
	endp_init(&s->p_err, err[1], 1, s->d_err, s->n_err);
	if (s->stderr_late)
		s->p_err.after = &s->p_out;
	if (s->hold_prog)
		s->p_out.after = s->p_err.after = &s->p_in;
	return 1;
}

/* The program is done: report its status, then let the channel close. */
static int
srv_eof_sent(struct channel *ch, void *ctx)
{
	struct sess *s = ctx;
	struct chan_request req;

	memset(&req, 0, sizeof(req));
	req.type = CHAN_REQ_EXIT_STATUS;
	req.u.exit_status.status = s->status;
	ASSERT_INT_EQ(chan_send_request(ch, &req, NULL, NULL), 0);
	s->s_exit_sent = 1;
	chan_hold_close(ch, 0);
	return 0;
}

static void
srv_closed(struct channel *ch, void *ctx)
{
	struct sess *s = ctx;

	s->s_closed = 1;
	s->sch = NULL;
}

static const struct chan_ops srv_ops = {
	srv_request, NULL, NULL, srv_eof_sent, srv_closed,
};

static int
srv_open(struct channels *c, struct channel *ch,
    const struct chan_open_info *info, void *ctx)
{
	struct pair *p = ctx;
	struct sess *s;

	ASSERT_INT_EQ(info->type, CHAN_TYPE_SESSION);
	ASSERT_SIZE_T_LT(p->next_srv, p->nss);
	s = p->ss[p->next_srv++];
	s->sch = ch;
	s->sid = chan_self(ch);
	ASSERT_U32_EQ(s->sid < NSTATS, 1);
	chan_set_ops(ch, &srv_ops, s);
	ASSERT_INT_EQ(chan_set_window(ch, s->window, s->maxpack), 0);
	chan_hold_close(ch, 1);
	return chan_open_confirm(ch);
}

/* ------------------------------------------------------------ client */

static int
cli_exec_reply(struct channel *ch, int ok, void *ctx)
{
	struct sess *s = ctx;

	ASSERT_INT_EQ(ok, 1);
	s->c_exec_ok = 1;
	return 0;
}

static int
cli_open_result(struct channel *ch, int ok, uint32_t reason,
    const char *desc, void *ctx)
{
	struct sess *s = ctx;
	struct chan_request req;

	ASSERT_INT_EQ(ok, 1);
	s->c_open = 1;
	memset(&req, 0, sizeof(req));
	req.type = CHAN_REQ_ENV;
	req.u.env.name = "LANG";
	req.u.env.value = "C";
	ASSERT_INT_EQ(chan_send_request(ch, &req, NULL, NULL), 0);
	memset(&req, 0, sizeof(req));
	req.type = CHAN_REQ_EXEC;
	req.want_reply = 1;
	req.u.exec.command = "cat";
	ASSERT_INT_EQ(chan_send_request(ch, &req, cli_exec_reply, s), 0);
	return 0;
}

static int
cli_request(struct channel *ch, struct chan_request *req, void *ctx)
{
	struct sess *s = ctx;

	if (req->type != CHAN_REQ_EXIT_STATUS)
		return 0;
	ASSERT_INT_EQ(s->c_exit, 0);
	s->c_exit = 1;
	s->c_status = req->u.exit_status.status;
	return 1;
}

static int
cli_eof(struct channel *ch, void *ctx)
{
	((struct sess *)ctx)->c_eof = 1;
	return 0;
}

static void
cli_closed(struct channel *ch, void *ctx)
{
	struct sess *s = ctx;

	s->c_closed = 1;
	s->c_exit_before_close = s->c_exit;
	s->cch = NULL;
}

static const struct chan_ops cli_ops = {
	cli_request, cli_open_result, cli_eof, NULL, cli_closed,
};

/* ------------------------------------------------------------ pair */

static void
side_init(struct side *s, struct pair *p, int is_server)
{
	struct chan_config cfg;

	memset(s, 0, sizeof(*s));
	tq_init(&s->out);
	s->last_recipient = UINT32_MAX;
	memset(&cfg, 0, sizeof(cfg));
	cfg.is_server = is_server;
	cfg.send = side_send;
	cfg.send_ctx = s;
	cfg.open = is_server ? srv_open : NULL;
	cfg.ctx = p;
	ASSERT_INT_EQ(chan_mgr_new(&cfg, &s->c), 0);
}

static struct pair *
pair_new(void)
{
	struct pair *p;

	ASSERT_TRUE((p = calloc(1, sizeof(*p))) != NULL);
	side_init(&p->cli, p, 0);
	side_init(&p->srv, p, 1);
	return p;
}

static u_char *
random_bytes(size_t n)
{
	u_char *d;

	ASSERT_TRUE((d = malloc(n + 1)) != NULL);
	arc4random_buf(d, n);
	return d;
}

static struct sess *
sess_new(struct pair *p, size_t n_in, size_t n_out, size_t n_err,
    uint32_t window, uint32_t maxpack)
{
	struct sess *s;

	ASSERT_SIZE_T_LT(p->nss, MAX_SESS);
	ASSERT_TRUE((s = calloc(1, sizeof(*s))) != NULL);
	s->p = p;
	s->n_in = n_in;
	s->n_out = n_out;
	s->n_err = n_err;
	s->d_in = random_bytes(n_in);
	s->d_out = random_bytes(n_out);
	s->d_err = random_bytes(n_err);
	s->status = arc4random_uniform(256);
	s->window = window;
	s->maxpack = maxpack;
	endp_unused(&s->c_in);
	endp_unused(&s->c_out);
	endp_unused(&s->c_err);
	endp_unused(&s->p_in);
	endp_unused(&s->p_out);
	endp_unused(&s->p_err);
	p->ss[p->nss++] = s;
	return s;
}

/* The client opens the session with its terminal attached (as ssh). */
static void
sess_start(struct sess *s)
{
	struct chan_open_info info;
	int in[2], out[2], err[2];

	memset(&info, 0, sizeof(info));
	info.type = CHAN_TYPE_SESSION;
	ASSERT_INT_EQ(chan_open(s->p->cli.c, &info, s->window, s->maxpack,
	    &cli_ops, s, &s->cch), 0);
	s->cid = chan_self(s->cch);
	ASSERT_U32_EQ(s->cid < NSTATS, 1);
	/* ssh never starts the CLOSE of a session: exit-status must come */
	chan_hold_close(s->cch, 1);
	sockpair(in);
	sockpair(out);
	sockpair(err);
	ASSERT_INT_EQ(chan_set_fds(s->cch, in[0], out[0], err[0],
	    CHAN_EXT_WRITE, CHAN_FD_NONBLOCK), 0);
	endp_init(&s->c_in, in[1], 1, s->d_in, s->n_in);
	endp_init(&s->c_out, out[1], 0, NULL, 0);
	endp_init(&s->c_err, err[1], 0, NULL, 0);
	if (s->hold_term)
		s->c_in.after = &s->c_out;
}

static void
sess_free(struct sess *s)
{
	endp_free(&s->c_in);
	endp_free(&s->c_out);
	endp_free(&s->c_err);
	endp_free(&s->p_in);
	endp_free(&s->p_out);
	endp_free(&s->p_err);
	free(s->d_in);
	free(s->d_out);
	free(s->d_err);
	free(s);
}

static void
pair_free(struct pair *p)
{
	size_t i;

	chan_mgr_free(p->cli.c);
	chan_mgr_free(p->srv.c);
	tq_clear(&p->cli.out);
	tq_clear(&p->srv.out);
	for (i = 0; i < p->nss; i++)
		sess_free(p->ss[i]);
	free(p);
}

/* ------------------------------------------------------------ pump */

static void
input_ok(struct channels *c, struct tmsg *m)
{
	int r;

	if ((r = chan_input(c, m->type, m->b)) != 0) {
		assert_failed(__FILE__, __LINE__, "chan_input type %u: %s: %s",
		    m->type, errcode_str(r), chan_error_message(c));
	}
	tmsg_free(m);
}

/* Carry every queued message across, both ways, until the wire is quiet. */
static void
deliver(struct pair *p)
{
	struct tmsg *m;

	while (p->cli.out.n > 0 || p->srv.out.n > 0) {
		while ((m = tq_pop(&p->cli.out)) != NULL)
			input_ok(p->srv.c, m);
		while ((m = tq_pop(&p->srv.out)) != NULL)
			input_ok(p->cli.c, m);
	}
}

static size_t
endpoints(struct pair *p, struct endp **ep)
{
	struct endp *all[6];
	struct sess *s;
	size_t i, k, n = 0;

	for (i = 0; i < p->nss; i++) {
		s = p->ss[i];
		all[0] = &s->c_in;
		all[1] = &s->c_out;
		all[2] = &s->c_err;
		all[3] = &s->p_in;
		all[4] = &s->p_out;
		all[5] = &s->p_err;
		for (k = 0; k < 6; k++) {
			if (all[k]->done)
				continue;
			if (all[k]->after != NULL && !all[k]->after->done)
				continue;
			if (all[k]->writer && all[k]->off == all[k]->len) {
				endp_finish(all[k]);
				continue;
			}
			ep[n++] = all[k];
		}
	}
	return n;
}

/* Run both managers and the endpoints until done(p) or a stall. */
static void
pump(struct pair *p, int (*done)(struct pair *))
{
	struct pollfd *pfd = NULL;
	struct endp *ep[MAX_ENDP];
	size_t ncli, nsrv, nep, need, k, alloc = 0;
	time_t deadline = time(NULL) + 300;
	int n, idle = 0;

	for (;;) {
		deliver(p);
		ASSERT_INT_EQ(chan_output(p->cli.c), 0);
		ASSERT_INT_EQ(chan_output(p->srv.c), 0);
		if (p->cli.out.n > 0 || p->srv.out.n > 0)
			continue;
		if (done(p))
			break;
		ASSERT_TRUE(time(NULL) < deadline);
		nep = endpoints(p, ep);
		need = chan_poll_count(p->cli.c) + chan_poll_count(p->srv.c) +
		    nep;
		if (need > alloc) {
			ASSERT_TRUE((pfd = reallocarray(pfd, need,
			    sizeof(*pfd))) != NULL);
			alloc = need;
		}
		ncli = chan_poll_prepare(p->cli.c, pfd,
		    chan_poll_count(p->cli.c));
		nsrv = chan_poll_prepare(p->srv.c, pfd + ncli,
		    chan_poll_count(p->srv.c));
		for (k = 0; k < nep; k++) {
			pfd[ncli + nsrv + k].fd = ep[k]->fd;
			pfd[ncli + nsrv + k].events =
			    ep[k]->writer ? POLLOUT : POLLIN;
			pfd[ncli + nsrv + k].revents = 0;
		}
		n = poll(pfd, ncli + nsrv + nep, 200);
		ASSERT_INT_GE(n, 0);
		/* Everything is local: a quiet second is a deadlock. */
		idle = n == 0 ? idle + 1 : 0;
		ASSERT_INT_LT(idle, 5);
		ASSERT_INT_EQ(chan_poll_handle(p->cli.c, pfd, ncli), 0);
		ASSERT_INT_EQ(chan_poll_handle(p->srv.c, pfd + ncli, nsrv), 0);
		for (k = 0; k < nep; k++)
			endp_io(ep[k], &pfd[ncli + nsrv + k]);
	}
	free(pfd);
}

static int
sess_done(const struct sess *s)
{
	return s->c_closed && s->s_closed && s->c_in.done && s->c_out.done &&
	    s->c_err.done && s->p_in.done && s->p_out.done && s->p_err.done;
}

static int
all_done(struct pair *p)
{
	size_t i;

	for (i = 0; i < p->nss; i++) {
		if (!sess_done(p->ss[i]))
			return 0;
	}
	return chan_count(p->cli.c, -1) == 0 && chan_count(p->srv.c, -1) == 0;
}

static void
check_bytes(const struct endp *e, const u_char *want, size_t len)
{
	ASSERT_TRUE(e->got != NULL);
	ASSERT_SIZE_T_EQ(buf_len(e->got), len);
	if (len > 0)
		ASSERT_MEM_EQ(buf_ptr(e->got), want, len);
}

/* Every byte arrived, in order, and the wire saw the right sequence. */
static void
sess_check(struct pair *p, struct sess *s)
{
	const struct wstats *down = &p->srv.st[s->cid];
	const struct wstats *up = &p->cli.st[s->sid];
	size_t window = s->window ? s->window : CHAN_WINDOW_DEFAULT;
	size_t maxpack = s->maxpack ? s->maxpack : CHAN_PACKET_DEFAULT;

	ASSERT_INT_EQ(s->c_open, 1);
	ASSERT_INT_EQ(s->c_exec_ok, 1);
	check_bytes(&s->p_in, s->d_in, s->n_in);
	if (s->shared_fd) {
		check_bytes(&s->c_out, s->d_out, s->n_out);
		ASSERT_SIZE_T_EQ(buf_len(s->c_err.got), 0);
	} else {
		check_bytes(&s->c_out, s->d_out, s->n_out);
		check_bytes(&s->c_err, s->d_err, s->n_err);
	}
	/* exit-status arrives before the channel is gone */
	ASSERT_INT_EQ(s->c_exit_before_close, 1);
	ASSERT_U32_EQ(s->c_status, s->status);
	ASSERT_INT_EQ(s->c_eof, 1);
	/* server -> client: data, stderr to its end, EOF, exit-status, CLOSE */
	ASSERT_INT_EQ(down->eof, 1);
	ASSERT_INT_EQ(down->after_eof, 0);
	ASSERT_SIZE_T_EQ(down->data_at_eof, s->n_out);
	ASSERT_SIZE_T_EQ(down->ext_at_eof, s->shared_fd ? 0 : s->n_err);
	ASSERT_INT_LT(down->eof_seq, down->exit_seq);
	ASSERT_INT_LT(down->exit_seq, down->close_seq);
	ASSERT_SIZE_T_EQ(down->max_data <= maxpack, 1);
	/* client -> server */
	ASSERT_INT_EQ(up->eof, 1);
	ASSERT_INT_EQ(up->after_eof, 0);
	ASSERT_SIZE_T_EQ(up->data_at_eof, s->n_in);
	ASSERT_INT_EQ(up->close, 1);
	ASSERT_SIZE_T_EQ(up->max_data <= maxpack, 1);
	/* Windows smaller than the data must have been adjusted. */
	if (s->n_out + s->n_err > window)
		ASSERT_SIZE_T_GT(up->nadjust, 0);
	if (s->n_in > window)
		ASSERT_SIZE_T_GT(down->nadjust, 0);
}

/* One exec-like session moving n bytes each way (and n on stderr). */
static void
run_exec(size_t n, uint32_t window, uint32_t maxpack, int stderr_late,
    int shared_fd)
{
	struct pair *p = pair_new();
	struct sess *s;

	s = sess_new(p, n, n, shared_fd ? 0 : n, window, maxpack);
	s->stderr_late = stderr_late;
	s->shared_fd = shared_fd;
	sess_start(s);
	pump(p, all_done);
	sess_check(p, s);
	pair_free(p);
}

static void
test_exec_sizes(void)
{
	static const size_t sizes[] = {
		0, 1, 32767, 32768, 32769, 10 * 1024 * 1024,
	};
	char name[128];
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(name, sizeof(name), "exec %zu bytes, window 8192, "
		    "packet 512", sizes[i]);
		TEST_START(name);
		run_exec(sizes[i], 8192, 512, 0, 0);
		TEST_DONE();
		snprintf(name, sizeof(name), "exec %zu bytes, default window",
		    sizes[i]);
		TEST_START(name);
		run_exec(sizes[i], 0, 0, 0, 0);
		TEST_DONE();
	}
	TEST_START("stderr flushed after stdout EOF, nothing lost");
	run_exec(300000, 4096, 1000, 1, 0);
	run_exec(1, 1, 1, 1, 0);
	run_exec(70000, 0, 0, 1, 0);
	TEST_DONE();
	TEST_START("one socket both ways (pty/tcp-like), half-close");
	run_exec(0, 8192, 512, 0, 1);
	run_exec(100000, 8192, 512, 0, 1);
	run_exec(3 * 1024 * 1024, 0, 0, 0, 1);
	TEST_DONE();
}

static void
test_many(void)
{
	struct pair *p;
	struct sess *s[5];
	size_t i;

	TEST_START("several channels at once, interleaved");
	p = pair_new();
	s[0] = sess_new(p, 1024 * 1024, 1024 * 1024, 65536, 8192, 700);
	s[1] = sess_new(p, 0, 0, 0, 0, 0);
	s[2] = sess_new(p, 32769, 32767, 1, 16384, 1024);
	s[3] = sess_new(p, 300000, 500000, 200000, 5000, 333);
	s[4] = sess_new(p, 1, 2000000, 3, 0, 0);
	s[3]->stderr_late = 1;
	for (i = 0; i < 5; i++)
		sess_start(s[i]);
	pump(p, all_done);
	for (i = 0; i < 5; i++)
		sess_check(p, s[i]);
	/* The server's messages went to the channels in turn. */
	ASSERT_SIZE_T_GT(p->srv.switches, 20);
	ASSERT_SIZE_T_GT(p->cli.switches, 20);
	pair_free(p);
	TEST_DONE();
}

/* ------------------------------------------------------------ closes */

static struct sess *close_sess;

static int
got_some(struct pair *p)
{
	return close_sess->c_out.got != NULL &&
	    close_sess->p_in.got != NULL &&
	    buf_len(close_sess->c_out.got) > 100000 &&
	    buf_len(close_sess->p_in.got) > 100000;
}

static int
exec_ok(struct pair *p)
{
	return close_sess->c_exec_ok && close_sess->s_exec;
}

static int
both_closed(struct pair *p)
{
	return close_sess->c_closed && close_sess->s_closed &&
	    sess_done(close_sess) && chan_count(p->cli.c, -1) == 0 &&
	    chan_count(p->srv.c, -1) == 0;
}

static void
run_close_midway(int from_server)
{
	struct pair *p = pair_new();
	struct sess *s;

	s = close_sess = sess_new(p, 4 * 1024 * 1024, 4 * 1024 * 1024, 1000,
	    8192, 512);
	sess_start(s);
	pump(p, got_some);
	ASSERT_INT_EQ(chan_close(from_server ? s->sch : s->cch), 0);
	pump(p, both_closed);
	/* The program was not done: no exit-status, data cut short. */
	ASSERT_INT_EQ(s->c_exit, 0);
	ASSERT_SIZE_T_LT(buf_len(s->c_out.got), s->n_out);
	ASSERT_SIZE_T_LT(buf_len(s->p_in.got), s->n_in);
	ASSERT_MEM_EQ(buf_ptr(s->c_out.got), s->d_out,
	    buf_len(s->c_out.got));
	ASSERT_MEM_EQ(buf_ptr(s->p_in.got), s->d_in, buf_len(s->p_in.got));
	ASSERT_INT_EQ(p->cli.st[s->sid].close, 1);
	ASSERT_INT_EQ(p->srv.st[s->cid].close, 1);
	pair_free(p);
}

/* Data sent just before a CLOSE (no EOF) is written out before closing. */
static void
run_close_tail(int from_server)
{
	struct pair *p = pair_new();
	struct sess *s;
	u_char *tail = random_bytes(20000);

	s = close_sess = sess_new(p, 0, 0, 0, 0, 0);
	/* Keep the local inputs open so that no EOF goes first. */
	s->hold_term = s->hold_prog = 1;
	sess_start(s);
	pump(p, exec_ok);
	if (from_server) {
		ASSERT_INT_EQ(chan_queue_data(s->sch, 0, tail, 20000), 0);
		ASSERT_INT_EQ(chan_close(s->sch), 0);
	} else {
		ASSERT_INT_EQ(chan_queue_data(s->cch, 0, tail, 20000), 0);
		ASSERT_INT_EQ(chan_close(s->cch), 0);
	}
	pump(p, both_closed);
	check_bytes(from_server ? &s->c_out : &s->p_in, tail, 20000);
	free(tail);
	pair_free(p);
}

static void
test_closes(void)
{
	TEST_START("client closes mid-transfer");
	run_close_midway(0);
	TEST_DONE();
	TEST_START("server closes mid-transfer");
	run_close_midway(1);
	TEST_DONE();
	TEST_START("tail before the client's CLOSE is written");
	run_close_tail(0);
	TEST_DONE();
	TEST_START("tail before the server's CLOSE is written");
	run_close_tail(1);
	TEST_DONE();
}

void
test_channels_flow(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_exec_sizes();
	test_many();
	test_closes();
}
