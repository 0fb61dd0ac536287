/*
 * Bad messages end the connection with a protocol error and a
 * DISCONNECT text; odd but legal ones get the refusals the RFC asks for.
 * The peer is faked: the test injects its messages.
 */
#include "includes.h"

#include <sys/socket.h>
#include <poll.h>

#include "buf.h"
#include "errcode.h"

#include "../test_helper/test_helper.h"
#include "test_channels.h"

/* r is a protocol error whose DISCONNECT text contains what. */
static void
expect_perr(struct fake *f, int r, const char *what)
{
	const char *msg = chan_error_message(f->c);

	ASSERT_INT_EQ(r, ERR_PROTOCOL_ERROR);
	if (strstr(msg, what) == NULL)
		assert_failed(__FILE__, __LINE__, "\"%s\" lacks \"%s\"", msg,
		    what);
	/* The manager is spent: everything fails the same way now. */
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_EOF, mk("u", 0)),
	    ERR_PROTOCOL_ERROR);
	ASSERT_INT_EQ(chan_output(f->c), ERR_PROTOCOL_ERROR);
}

static const uint8_t chan_msgs[] = {
	SSH2_MSG_CHANNEL_OPEN_CONFIRMATION, SSH2_MSG_CHANNEL_OPEN_FAILURE,
	SSH2_MSG_CHANNEL_WINDOW_ADJUST, SSH2_MSG_CHANNEL_DATA,
	SSH2_MSG_CHANNEL_EXTENDED_DATA, SSH2_MSG_CHANNEL_EOF,
	SSH2_MSG_CHANNEL_CLOSE, SSH2_MSG_CHANNEL_REQUEST,
	SSH2_MSG_CHANNEL_SUCCESS, SSH2_MSG_CHANNEL_FAILURE,
};
#define NCHAN_MSGS	(sizeof(chan_msgs) / sizeof(chan_msgs[0]))

/* A well-formed message of type for our channel id. */
static struct buf *
msg_for(uint8_t type, uint32_t id)
{
	switch (type) {
	case SSH2_MSG_CHANNEL_OPEN_CONFIRMATION:
		return mk("uuuu", id, 9, 1000, 1000);
	case SSH2_MSG_CHANNEL_OPEN_FAILURE:
		return mk("uuss", id, 2, "no", "");
	case SSH2_MSG_CHANNEL_WINDOW_ADJUST:
		return mk("uu", id, 10);
	case SSH2_MSG_CHANNEL_DATA:
		return mk("ud", id, "abc", (size_t)3);
	case SSH2_MSG_CHANNEL_EXTENDED_DATA:
		return mk("uud", id, 1, "abc", (size_t)3);
	case SSH2_MSG_CHANNEL_REQUEST:
		return mk("usbs", id, "exec", 1, "true");
	default:
		return mk("u", id);
	}
}

static void
test_unknown_ids(void)
{
	struct fake *f;
	uint32_t id;
	size_t i, k;
	static const uint32_t ids[] = { 1, 2, 1000, UINT32_MAX };

	TEST_START("messages for unknown channels");
	for (i = 0; i < NCHAN_MSGS; i++) {
		for (k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
			f = fake_new(1, 0, 0);
			id = fake_peer_open(f, 1000, 1000);
			ASSERT_U32_EQ(id, 0);
			expect_perr(f, fake_in(f, chan_msgs[i],
			    msg_for(chan_msgs[i], ids[k])), "unknown channel");
			fake_free(f);
		}
	}
	/* A channel that is gone (both CLOSEs) is unknown too. */
	f = fake_new(1, 0, 0);
	id = fake_peer_open(f, 1000, 1000);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_CLOSE, mk("u", id)), 0);
	ASSERT_INT_EQ(tq_has(&f->out, SSH2_MSG_CHANNEL_CLOSE), 1);
	ASSERT_INT_EQ(f->nclosed, 1);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_CLOSE, mk("u", id)),
	    "unknown channel");
	fake_free(f);
	TEST_DONE();
}

/* A server fake with channel 0 attached to a socketpair we never read. */
static struct fake *
fake_attached(uint32_t window, uint32_t maxpack, int *sp)
{
	struct fake *f = fake_new(1, window, maxpack);
	uint32_t id = fake_peer_open(f, 100000, 32768);

	ASSERT_INT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	ASSERT_INT_EQ(chan_set_fds(chan_by_id(f->c, id), sp[0], sp[0], -1,
	    CHAN_EXT_IGNORE, CHAN_FD_NONBLOCK), 0);
	return f;
}

static void
test_windows(void)
{
	struct fake *f;
	u_char data[2000];
	uint32_t id;
	int sp[2];

	memset(data, 'x', sizeof(data));
	TEST_START("data beyond the window");
	f = fake_new(1, 1000, 4096);
	id = fake_peer_open(f, 1000, 1000);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_DATA,
	    mk("ud", id, data, (size_t)1001)), "beyond its window");
	fake_free(f);
	/* The window is shared by both kinds of data, message by message. */
	f = fake_new(1, 1000, 4096);
	id = fake_peer_open(f, 1000, 1000);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_DATA,
	    mk("ud", id, data, (size_t)600)), 0);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_EXTENDED_DATA,
	    mk("uud", id, 1, data, (size_t)400)), 0);
	ASSERT_U32_EQ(chan_local_window(chan_by_id(f->c, id)), 0);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_DATA,
	    mk("ud", id, data, (size_t)1)), "beyond its window");
	fake_free(f);
	TEST_DONE();

	TEST_START("data beyond the maximum packet");
	f = fake_new(1, 10000, 512);
	id = fake_peer_open(f, 1000, 1000);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_DATA,
	    mk("ud", id, data, (size_t)512)), 0);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_DATA,
	    mk("ud", id, data, (size_t)513)), "maximum packet");
	fake_free(f);
	f = fake_new(1, 10000, 512);
	id = fake_peer_open(f, 1000, 1000);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_EXTENDED_DATA,
	    mk("uud", id, 1, data, (size_t)513)), "maximum packet");
	fake_free(f);
	TEST_DONE();

	TEST_START("window adjust overflow");
	f = fake_new(1, 0, 0);
	id = fake_peer_open(f, 1000, 1000);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_WINDOW_ADJUST,
	    mk("uu", id, UINT32_MAX - 999)), "overflows");
	fake_free(f);
	f = fake_new(1, 0, 0);
	id = fake_peer_open(f, 1000, 1000);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_WINDOW_ADJUST,
	    mk("uu", id, UINT32_MAX - 1000)), 0);
	ASSERT_U32_EQ(chan_remote_window(chan_by_id(f->c, id)), UINT32_MAX);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_WINDOW_ADJUST,
	    mk("uu", id, 0)), 0);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_WINDOW_ADJUST,
	    mk("uu", id, 1)), "overflows");
	fake_free(f);
	/* A peer window at the top from the start. */
	f = fake_new(1, 0, 0);
	id = fake_peer_open(f, UINT32_MAX, 1000);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_WINDOW_ADJUST,
	    mk("uu", id, UINT32_MAX)), "overflows");
	fake_free(f);
	TEST_DONE();

	TEST_START("our window comes back as data is written");
	f = fake_attached(1000, 500, sp);
	id = 0;
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_DATA,
	    mk("ud", id, data, (size_t)500)), 0);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_DATA,
	    mk("ud", id, data, (size_t)500)), 0);
	tq_clear(&f->out);
	/* Nothing written yet: no adjust, and the window is shut. */
	ASSERT_INT_EQ(chan_output(f->c), 0);
	ASSERT_SIZE_T_EQ(f->out.n, 0);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_DATA,
	    mk("ud", id, data, (size_t)1)), "beyond its window");
	close(sp[1]);
	fake_free(f);
	TEST_DONE();
}

static void
test_eof_close(void)
{
	struct fake *f;
	uint32_t id;
	int sp[2];

	TEST_START("data after EOF");
	f = fake_new(1, 0, 0);
	id = fake_peer_open(f, 1000, 1000);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_EOF, mk("u", id)), 0);
	ASSERT_INT_EQ(f->neof, 1);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_DATA,
	    mk("ud", id, "x", (size_t)1)), "after its EOF");
	fake_free(f);
	f = fake_new(1, 0, 0);
	id = fake_peer_open(f, 1000, 1000);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_EOF, mk("u", id)), 0);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_EXTENDED_DATA,
	    mk("uud", id, 1, "x", (size_t)1)), "after its EOF");
	fake_free(f);
	f = fake_new(1, 0, 0);
	id = fake_peer_open(f, 1000, 1000);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_EOF, mk("u", id)), 0);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_EOF, mk("u", id)),
	    "second");
	fake_free(f);
	TEST_DONE();

	TEST_START("double close");
	/* Our CLOSE waits for data still to be written. */
	f = fake_attached(0, 0, sp);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_DATA,
	    mk("ud", 0, "abc", (size_t)3)), 0);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_CLOSE, mk("u", 0)), 0);
	ASSERT_INT_EQ(tq_has(&f->out, SSH2_MSG_CHANNEL_CLOSE), 0);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_CLOSE, mk("u", 0)),
	    "after its CLOSE");
	close(sp[1]);
	fake_free(f);
	TEST_DONE();

	TEST_START("messages after the peer's CLOSE");
	{
		static const uint8_t after[] = {
			SSH2_MSG_CHANNEL_REQUEST, SSH2_MSG_CHANNEL_DATA,
			SSH2_MSG_CHANNEL_EXTENDED_DATA, SSH2_MSG_CHANNEL_EOF,
			SSH2_MSG_CHANNEL_WINDOW_ADJUST,
			SSH2_MSG_CHANNEL_SUCCESS,
		};
		size_t i;

		for (i = 0; i < sizeof(after); i++) {
			f = fake_attached(0, 0, sp);
			ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_DATA,
			    mk("ud", 0, "abc", (size_t)3)), 0);
			ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_CLOSE,
			    mk("u", 0)), 0);
			expect_perr(f, fake_in(f, after[i],
			    msg_for(after[i], 0)), "after its CLOSE");
			close(sp[1]);
			fake_free(f);
		}
	}
	TEST_DONE();

	TEST_START("close answered once written; freed after both");
	f = fake_attached(0, 0, sp);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_DATA,
	    mk("ud", 0, "abc", (size_t)3)), 0);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_CLOSE, mk("u", 0)), 0);
	ASSERT_INT_EQ(f->nclosed, 0);
	{
		struct pollfd pfd[4];
		size_t n;
		char got[8];

		n = chan_poll_prepare(f->c, pfd, 4);
		ASSERT_SIZE_T_EQ(n, 1);
		ASSERT_INT_EQ(poll(pfd, n, 1000), 1);
		ASSERT_INT_EQ(chan_poll_handle(f->c, pfd, n), 0);
		ASSERT_INT_EQ(read(sp[1], got, sizeof(got)), 3);
		ASSERT_MEM_EQ(got, "abc", 3);
		/* The channel closed its end: EOF after the data. */
		ASSERT_INT_EQ(read(sp[1], got, sizeof(got)), 0);
	}
	ASSERT_INT_EQ(tq_has(&f->out, SSH2_MSG_CHANNEL_CLOSE), 1);
	ASSERT_INT_EQ(f->nclosed, 1);
	ASSERT_SIZE_T_EQ(chan_count(f->c, -1), 0);
	close(sp[1]);
	fake_free(f);
	TEST_DONE();
}

static void
test_states(void)
{
	struct fake *f;
	struct chan_open_info info;
	struct channel *ch;
	struct chan_request req;
	uint32_t id;

	TEST_START("confirmation and failure for open channels");
	f = fake_new(1, 0, 0);
	id = fake_peer_open(f, 1000, 1000);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION,
	    mk("uuuu", id, 8, 100, 100)), "not being opened");
	fake_free(f);
	f = fake_new(0, 0, 0);
	id = fake_our_open(f, 1000, 1000);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION,
	    mk("uuuu", id, 8, 100, 100)), "not being opened");
	fake_free(f);
	f = fake_new(0, 0, 0);
	id = fake_our_open(f, 1000, 1000);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_OPEN_FAILURE,
	    mk("uuss", id, 1, "x", "")), "not being opened");
	fake_free(f);
	TEST_DONE();

	TEST_START("messages before the open is answered");
	{
		size_t i;

		for (i = 2; i < NCHAN_MSGS; i++) {
			/* Ours, not yet confirmed. */
			f = fake_new(0, 0, 0);
			memset(&info, 0, sizeof(info));
			info.type = CHAN_TYPE_SESSION;
			ASSERT_INT_EQ(chan_open(f->c, &info, 0, 0, &fake_ops,
			    f, &ch), 0);
			expect_perr(f, fake_in(f, chan_msgs[i],
			    msg_for(chan_msgs[i], chan_self(ch))),
			    "not open");
			fake_free(f);
			/* Theirs, not yet confirmed by us. */
			f = fake_new(1, 0, 0);
			f->defer_open = 1;
			id = fake_peer_open(f, 1000, 1000);
			expect_perr(f, fake_in(f, chan_msgs[i],
			    msg_for(chan_msgs[i], id)), "not open");
			fake_free(f);
		}
	}
	TEST_DONE();

	TEST_START("maximum packet 0");
	f = fake_new(1, 0, 0);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_OPEN,
	    mk("suuu", "session", 7, 1000, 0)), "maximum packet 0");
	fake_free(f);
	f = fake_new(0, 0, 0);
	memset(&info, 0, sizeof(info));
	info.type = CHAN_TYPE_SESSION;
	ASSERT_INT_EQ(chan_open(f->c, &info, 0, 0, &fake_ops, f, &ch), 0);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION,
	    mk("uuuu", chan_self(ch), 1, 1000, 0)), "maximum packet 0");
	fake_free(f);
	TEST_DONE();

	TEST_START("replies nobody asked for");
	f = fake_new(1, 0, 0);
	id = fake_peer_open(f, 1000, 1000);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_SUCCESS, mk("u", id)),
	    "no request outstanding");
	fake_free(f);
	f = fake_new(1, 0, 0);
	id = fake_peer_open(f, 1000, 1000);
	memset(&req, 0, sizeof(req));
	req.type = CHAN_REQ_EXIT_STATUS;
	req.want_reply = 1;
	ASSERT_INT_EQ(chan_send_request(chan_by_id(f->c, id), &req, NULL,
	    NULL), 0);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_FAILURE, mk("u", id)), 0);
	expect_perr(f, fake_in(f, SSH2_MSG_CHANNEL_FAILURE, mk("u", id)),
	    "no request outstanding");
	fake_free(f);
	f = fake_new(0, 0, 0);
	expect_perr(f, fake_in(f, SSH2_MSG_REQUEST_SUCCESS, mk("")),
	    "no global request");
	fake_free(f);
	f = fake_new(0, 0, 0);
	expect_perr(f, fake_in(f, SSH2_MSG_REQUEST_FAILURE, mk("")),
	    "no global request");
	fake_free(f);
	TEST_DONE();
}

/* The message answering what we just injected, popped from out. */
static struct tmsg *
answer(struct fake *f, uint8_t type)
{
	struct tmsg *m;

	ASSERT_TRUE((m = tq_find(&f->out, type)) != NULL);
	return m;
}

static void
expect_open_failure(struct fake *f, uint32_t peer, uint32_t reason)
{
	struct tmsg *m = answer(f, SSH2_MSG_CHANNEL_OPEN_FAILURE);
	uint32_t v;

	ASSERT_INT_EQ(buf_get_u32(m->b, &v), 0);
	ASSERT_U32_EQ(v, peer);
	ASSERT_INT_EQ(buf_get_u32(m->b, &v), 0);
	ASSERT_U32_EQ(v, reason);
	tmsg_free(m);
}

static void
test_refusals(void)
{
	struct fake *f;
	struct chan_global_request g;
	struct tmsg *m;
	uint32_t id, v;

	TEST_START("opens refused by type and side");
	f = fake_new(1, 0, 0);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN,
	    mk("suuuss", "nonesuch@example.com", 3, 10, 10, "x", "y")), 0);
	expect_open_failure(f, 3, SSH2_OPEN_UNKNOWN_CHANNEL_TYPE);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN,
	    mk("suuusu", "x11", 4, 10, 10, "1.2.3.4", 5)), 0);
	expect_open_failure(f, 4, SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN,
	    mk("suuususu", "forwarded-tcpip", 5, 10, 10, "a", 80, "b", 9)),
	    0);
	expect_open_failure(f, 5, SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN,
	    mk("suuususu", "direct-tcpip", 6, 10, 10, "a", 65536, "b", 9)),
	    0);
	expect_open_failure(f, 6, SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED);
	ASSERT_SIZE_T_EQ(chan_count(f->c, -1), 0);
	fake_free(f);
	f = fake_new(0, 0, 0);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN,
	    mk("suuu", "session", 3, 10, 10)), 0);
	expect_open_failure(f, 3, SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN,
	    mk("suuususu", "direct-tcpip", 4, 10, 10, "a", 80, "b", 9)), 0);
	expect_open_failure(f, 4, SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED);
	/* A forward nobody asked for. */
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN,
	    mk("suuususu", "forwarded-tcpip", 5, 10, 10, "localhost", 8080,
	    "1.2.3.4", 999)), 0);
	expect_open_failure(f, 5, SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN,
	    mk("suuusu", "x11", 6, 10, 10, "1.2.3.4", 5)), 0);
	ASSERT_INT_EQ(tq_has(&f->out, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION), 1);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN,
	    mk("suuu", "auth-agent@openssh.com", 7, 10, 10)), 0);
	ASSERT_INT_EQ(tq_has(&f->out, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION), 1);
	ASSERT_SIZE_T_EQ(chan_count(f->c, CHAN_TYPE_X11), 1);
	ASSERT_SIZE_T_EQ(chan_count(f->c, CHAN_TYPE_AGENT), 1);
	fake_free(f);
	TEST_DONE();

	TEST_START("remote forwards let their opens through");
	f = fake_new(0, 0, 0);
	memset(&g, 0, sizeof(g));
	g.type = CHAN_GREQ_TCPIP_FORWARD;
	g.want_reply = 1;
	g.addr = "localhost";
	g.port = 0;
	ASSERT_INT_EQ(chan_global_request(f->c, &g, NULL, NULL, NULL), 0);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_REQUEST_SUCCESS, mk("u", 40123)),
	    0);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN,
	    mk("suuususu", "forwarded-tcpip", 5, 10, 10, "localhost", 40123,
	    "1.2.3.4", 999)), 0);
	ASSERT_INT_EQ(tq_has(&f->out, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION), 1);
	ASSERT_STRING_EQ(f->last_info.host, "localhost");
	ASSERT_U32_EQ(f->last_info.port, 40123);
	ASSERT_STRING_EQ(f->last_info.orig_host, "1.2.3.4");
	ASSERT_U32_EQ(f->last_info.orig_port, 999);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN,
	    mk("suuususu", "forwarded-tcpip", 6, 10, 10, "localhost", 40124,
	    "1.2.3.4", 999)), 0);
	expect_open_failure(f, 6, SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED);
	/* Cancelled: refused again. */
	g.type = CHAN_GREQ_CANCEL_TCPIP_FORWARD;
	g.port = 40123;
	ASSERT_INT_EQ(chan_global_request(f->c, &g, NULL, NULL, NULL), 0);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_REQUEST_SUCCESS, mk("")), 0);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN,
	    mk("suuususu", "forwarded-tcpip", 7, 10, 10, "localhost", 40123,
	    "1.2.3.4", 999)), 0);
	expect_open_failure(f, 7, SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED);
	fake_free(f);
	TEST_DONE();

	TEST_START("permit hooks");
	{
		static const char *const specs[] = {
			"db.example:5432", "[::1]:22", "8080", NULL,
		};

		f = fake_new_perms(specs);
		ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN,
		    mk("suuususu", "direct-tcpip", 1, 10, 10, "DB.example",
		    5432, "b", 9)), 0);
		tmsg_free(answer(f, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION));
		ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN,
		    mk("suuususu", "direct-tcpip", 2, 10, 10, "::1", 22, "b",
		    9)), 0);
		tmsg_free(answer(f, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION));
		ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN,
		    mk("suuususu", "direct-tcpip", 3, 10, 10, "db.example",
		    5433, "b", 9)), 0);
		expect_open_failure(f, 3,
		    SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED);
		ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN,
		    mk("suuususu", "direct-tcpip", 4, 10, 10, "evil.example",
		    5432, "b", 9)), 0);
		expect_open_failure(f, 4,
		    SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED);
		ASSERT_INT_EQ(fake_in(f, SSH2_MSG_GLOBAL_REQUEST,
		    mk("sbsu", "tcpip-forward", 1, "", 8080)), 0);
		tmsg_free(answer(f, SSH2_MSG_REQUEST_SUCCESS));
		ASSERT_INT_EQ(fake_in(f, SSH2_MSG_GLOBAL_REQUEST,
		    mk("sbsu", "tcpip-forward", 1, "", 8081)), 0);
		tmsg_free(answer(f, SSH2_MSG_REQUEST_FAILURE));
		/* Cancelling is not a policy question. */
		ASSERT_INT_EQ(fake_in(f, SSH2_MSG_GLOBAL_REQUEST,
		    mk("sbsu", "cancel-tcpip-forward", 1, "", 8081)), 0);
		tmsg_free(answer(f, SSH2_MSG_REQUEST_SUCCESS));
		ASSERT_INT_EQ(f->nglobal, 2);
		fake_free(f);
	}
	TEST_DONE();

	TEST_START("global requests");
	f = fake_new(1, 0, 0);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_GLOBAL_REQUEST,
	    mk("sbsu", "tcpip-forward", 1, "", 0)), 0);
	m = answer(f, SSH2_MSG_REQUEST_SUCCESS);
	ASSERT_INT_EQ(buf_get_u32(m->b, &v), 0);
	ASSERT_U32_EQ(v, 40000);
	ASSERT_SIZE_T_EQ(buf_len(m->b), 0);
	tmsg_free(m);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_GLOBAL_REQUEST,
	    mk("sbsu", "tcpip-forward", 1, "", 2222)), 0);
	m = answer(f, SSH2_MSG_REQUEST_SUCCESS);
	ASSERT_SIZE_T_EQ(buf_len(m->b), 0);
	tmsg_free(m);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_GLOBAL_REQUEST,
	    mk("sbsu", "tcpip-forward", 1, "", 65536)), 0);
	tmsg_free(answer(f, SSH2_MSG_REQUEST_FAILURE));
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_GLOBAL_REQUEST,
	    mk("sbu", "other@example.com", 1, 7)), 0);
	m = answer(f, SSH2_MSG_REQUEST_SUCCESS);
	ASSERT_INT_EQ(buf_get_u32(m->b, &v), 0);
	ASSERT_U32_EQ(v, 0x11223344);
	tmsg_free(m);
	f->greq_answer = 0;
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_GLOBAL_REQUEST,
	    mk("sb", "keepalive@openssh.com", 1)), 0);
	m = answer(f, SSH2_MSG_REQUEST_FAILURE);
	ASSERT_SIZE_T_EQ(buf_len(m->b), 0);
	tmsg_free(m);
	/* No reply wanted: none sent. */
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_GLOBAL_REQUEST,
	    mk("sb", "no-more-sessions@openssh.com", 0)), 0);
	ASSERT_SIZE_T_EQ(f->out.n, 0);
	fake_free(f);
	/* Clients refuse forwarding requests. */
	f = fake_new(0, 0, 0);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_GLOBAL_REQUEST,
	    mk("sbsu", "tcpip-forward", 1, "", 0)), 0);
	tmsg_free(answer(f, SSH2_MSG_REQUEST_FAILURE));
	ASSERT_INT_EQ(f->nglobal, 0);
	fake_free(f);
	TEST_DONE();

	TEST_START("channel requests refused by side and type");
	f = fake_new(1, 0, 0);
	id = fake_peer_open(f, 1000, 1000);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usbu", id, "exit-status", 1, 0)), 0);
	tmsg_free(answer(f, SSH2_MSG_CHANNEL_FAILURE));
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usbs", id, "unknown@example.com", 1, "whatever")), 0);
	tmsg_free(answer(f, SSH2_MSG_CHANNEL_FAILURE));
	ASSERT_INT_EQ(f->nrequests, 0);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usbs", id, "exec", 1, "ls")), 0);
	tmsg_free(answer(f, SSH2_MSG_CHANNEL_SUCCESS));
	ASSERT_INT_EQ(f->nrequests, 1);
	f->refuse_requests = 1;
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usb", id, "shell", 1)), 0);
	tmsg_free(answer(f, SSH2_MSG_CHANNEL_FAILURE));
	ASSERT_INT_EQ(f->nrequests, 2);
	/* Requests on other channel types are refused. */
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN,
	    mk("suuususu", "direct-tcpip", 8, 10, 10, "a", 80, "b", 9)), 0);
	f->refuse_requests = 0;
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usbs", chan_self(f->last), "exec", 1, "ls")), 0);
	tmsg_free(answer(f, SSH2_MSG_CHANNEL_FAILURE));
	ASSERT_INT_EQ(f->nrequests, 2);
	fake_free(f);
	f = fake_new(0, 0, 0);
	id = fake_our_open(f, 1000, 1000);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usbs", id, "exec", 1, "ls")), 0);
	tmsg_free(answer(f, SSH2_MSG_CHANNEL_FAILURE));
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usbu", id, "exit-status", 0, 3)), 0);
	ASSERT_SIZE_T_EQ(f->out.n, 0);
	ASSERT_INT_EQ(f->nrequests, 1);
	ASSERT_U32_EQ(f->lastreq.u.exit_status.status, 3);
	fake_free(f);
	TEST_DONE();
}

static void
test_misc(void)
{
	struct fake *f;
	struct channel *ch;
	uint32_t id;

	TEST_START("throttle holds data, not control");
	f = fake_new(1, 0, 0);
	id = fake_peer_open(f, 100000, 1000);
	ch = chan_by_id(f->c, id);
	chan_set_throttle(f->c, 1);
	ASSERT_INT_EQ(chan_queue_data(ch, 0, "hello", 5), 0);
	ASSERT_SIZE_T_EQ(f->out.n, 0);
	chan_set_throttle(f->c, 0);
	ASSERT_INT_EQ(chan_output(f->c), 0);
	tmsg_free(answer(f, SSH2_MSG_CHANNEL_DATA));
	fake_free(f);
	TEST_DONE();

	TEST_START("data waits for the peer's window");
	f = fake_new(1, 0, 0);
	id = fake_peer_open(f, 3, 2);
	ch = chan_by_id(f->c, id);
	ASSERT_INT_EQ(chan_queue_data(ch, 0, "hello", 5), 0);
	ASSERT_SIZE_T_EQ(f->out.n, 2);	/* "he", "l" */
	tq_clear(&f->out);
	ASSERT_U32_EQ(chan_remote_window(ch), 0);
	ASSERT_INT_EQ(chan_send_eof(ch), 0);
	ASSERT_SIZE_T_EQ(f->out.n, 0);	/* EOF waits for the data */
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_WINDOW_ADJUST,
	    mk("uu", id, 100)), 0);
	tmsg_free(answer(f, SSH2_MSG_CHANNEL_DATA));
	tmsg_free(answer(f, SSH2_MSG_CHANNEL_EOF));
	ASSERT_INT_EQ(chan_eof_sent(ch), 1);
	ASSERT_INT_EQ(chan_queue_data(ch, 0, "x", 1), ERR_INVALID_ARGUMENT);
	fake_free(f);
	TEST_DONE();

	TEST_START("deferred open, then refused");
	f = fake_new(1, 0, 0);
	f->defer_open = 1;
	id = fake_peer_open(f, 1000, 1000);
	ASSERT_SIZE_T_EQ(f->out.n, 0);
	ASSERT_INT_EQ(chan_open_refuse(f->last, SSH2_OPEN_CONNECT_FAILED,
	    "refused"), 0);
	expect_open_failure(f, 7, SSH2_OPEN_CONNECT_FAILED);
	ASSERT_INT_EQ(chan_output(f->c), 0);
	ASSERT_INT_EQ(f->nclosed, 1);
	ASSERT_TRUE(chan_by_id(f->c, id) == NULL);
	fake_free(f);
	TEST_DONE();

	TEST_START("our open refused; close before confirmation");
	f = fake_new(0, 0, 0);
	{
		struct chan_open_info info;

		memset(&info, 0, sizeof(info));
		info.type = CHAN_TYPE_DIRECT_TCPIP;
		info.host = "example.org";
		info.port = 443;
		info.orig_host = "127.0.0.1";
		info.orig_port = 5555;
		ASSERT_INT_EQ(chan_open(f->c, &info, 0, 0, &fake_ops, f,
		    &ch), 0);
		id = chan_self(ch);
		ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN_FAILURE,
		    mk("uuss", id, SSH2_OPEN_CONNECT_FAILED, "nope", "")), 0);
		ASSERT_INT_EQ(f->last_open_ok, 0);
		ASSERT_U32_EQ(f->last_reason, SSH2_OPEN_CONNECT_FAILED);
		ASSERT_INT_EQ(f->nclosed, 1);
		ASSERT_INT_EQ(chan_open(f->c, &info, 0, 0, &fake_ops, f,
		    &ch), 0);
		id = chan_self(ch);
		ASSERT_INT_EQ(chan_close(ch), 0);
		tq_clear(&f->out);
		ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION,
		    mk("uuuu", id, 5, 100, 100)), 0);
		tmsg_free(answer(f, SSH2_MSG_CHANNEL_CLOSE));
		ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_CLOSE,
		    mk("u", id)), 0);
		ASSERT_INT_EQ(f->nclosed, 2);
	}
	fake_free(f);
	TEST_DONE();

	TEST_START("table full: resource shortage");
	{
		struct chan_config cfg;

		f = fake_new(1, 0, 0);
		chan_mgr_free(f->c);
		memset(&cfg, 0, sizeof(cfg));
		cfg.is_server = 1;
		cfg.send = tq_send;
		cfg.send_ctx = &f->out;
		cfg.max_channels = 2;
		cfg.open = NULL;
		ASSERT_INT_EQ(chan_mgr_new(&cfg, &f->c), 0);
		ASSERT_INT_EQ(chan_open(f->c, &(struct chan_open_info){
		    .type = CHAN_TYPE_X11 }, 0, 0, NULL, NULL, &ch), 0);
		ASSERT_INT_EQ(chan_open(f->c, &(struct chan_open_info){
		    .type = CHAN_TYPE_X11 }, 0, 0, NULL, NULL, &ch), 0);
		ASSERT_INT_EQ(chan_open(f->c, &(struct chan_open_info){
		    .type = CHAN_TYPE_X11 }, 0, 0, NULL, NULL, &ch),
		    ERR_NO_BUFFER_SPACE);
		fake_free(f);
	}
	TEST_DONE();
}

void
test_channels_bad(void)
{
	test_unknown_ids();
	test_windows();
	test_eof_close();
	test_states();
	test_refusals();
	test_misc();
}
