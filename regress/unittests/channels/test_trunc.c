/*
 * Every message type, in a state where it is valid: accepted whole;
 * cut short at every offset, or with a byte more, it is a protocol
 * error; with any one byte flipped it is either accepted or a protocol
 * error, never anything else.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"

#include "../test_helper/test_helper.h"
#include "test_channels.h"

enum setup {
	S_SRV,		/* a server, no channels */
	S_CLI,		/* a client, no channels */
	S_CLI_RFWD,	/* a client whose forward of localhost:8080 stands */
	S_CLI_OPENING,	/* a client whose open of channel 0 is unanswered */
	S_SRV_OPEN,	/* a server with the peer's session as channel 0 */
	S_CLI_OPEN,	/* a client with its session as channel 0 */
	S_SRV_OPEN_REQ,	/* S_SRV_OPEN with a request of ours unanswered */
	S_CLI_GREQ0,	/* a client waiting on tcpip-forward port 0 */
	S_CLI_GREQ	/* a client waiting on tcpip-forward port 8080 */
};

static void
global_fwd(struct fake *f, uint32_t port)
{
	struct chan_global_request g;

	memset(&g, 0, sizeof(g));
	g.type = CHAN_GREQ_TCPIP_FORWARD;
	g.want_reply = 1;
	g.addr = "localhost";
	g.port = port;
	ASSERT_INT_EQ(chan_global_request(f->c, &g, NULL, NULL, NULL), 0);
}

static struct fake *
setup(enum setup s)
{
	struct fake *f = NULL;
	struct chan_open_info info;
	struct chan_request req;
	struct channel *ch;

	switch (s) {
	case S_SRV:
		f = fake_new(1, 0, 0);
		break;
	case S_CLI:
		f = fake_new(0, 0, 0);
		break;
	case S_CLI_RFWD:
		f = fake_new(0, 0, 0);
		global_fwd(f, 8080);
		ASSERT_INT_EQ(fake_in(f, SSH2_MSG_REQUEST_SUCCESS, mk("")), 0);
		break;
	case S_CLI_OPENING:
		f = fake_new(0, 0, 0);
		memset(&info, 0, sizeof(info));
		info.type = CHAN_TYPE_SESSION;
		ASSERT_INT_EQ(chan_open(f->c, &info, 0, 0, &fake_ops, f, &ch),
		    0);
		ASSERT_U32_EQ(chan_self(ch), 0);
		break;
	case S_SRV_OPEN:
	case S_SRV_OPEN_REQ:
		f = fake_new(1, 0, 0);
		ASSERT_U32_EQ(fake_peer_open(f, 100000, 32768), 0);
		if (s == S_SRV_OPEN)
			break;
		memset(&req, 0, sizeof(req));
		req.type = CHAN_REQ_EXIT_STATUS;
		req.want_reply = 1;
		ASSERT_INT_EQ(chan_send_request(chan_by_id(f->c, 0), &req,
		    NULL, NULL), 0);
		break;
	case S_CLI_OPEN:
		f = fake_new(0, 0, 0);
		ASSERT_U32_EQ(fake_our_open(f, 100000, 32768), 0);
		break;
	case S_CLI_GREQ0:
	case S_CLI_GREQ:
		f = fake_new(0, 0, 0);
		global_fwd(f, s == S_CLI_GREQ0 ? 0 : 8080);
		break;
	}
	tq_clear(&f->out);
	return f;
}

/* Feed len bytes of msg to a fresh manager; chan_input's answer. */
static int
feed(enum setup s, uint8_t type, const u_char *msg, size_t len,
    int extra)
{
	struct fake *f = setup(s);
	struct buf *b;
	int r;

	ASSERT_TRUE((b = buf_from_copy(msg, len)) != NULL);
	if (extra)
		ASSERT_INT_EQ(buf_put_u8(b, 0), 0);
	r = fake_in(f, type, b);
	if (r == ERR_PROTOCOL_ERROR)
		ASSERT_TRUE(*chan_error_message(f->c) != '\0');
	else
		ASSERT_INT_EQ(chan_output(f->c), 0);
	fake_free(f);
	return r;
}

static void
check_msg(const char *name, enum setup s, uint8_t type, struct buf *b)
{
	u_char *msg;
	size_t len = buf_len(b), i;
	char tname[128];
	int r;

	snprintf(tname, sizeof(tname), "truncated/extended/flipped %s", name);
	TEST_START(tname);
	ASSERT_TRUE((msg = malloc(len + 1)) != NULL);
	if (len > 0)
		memcpy(msg, buf_ptr(b), len);
	buf_free(b);
	ASSERT_INT_EQ(feed(s, type, msg, len, 0), 0);
	ASSERT_INT_EQ(feed(s, type, msg, len, 1), ERR_PROTOCOL_ERROR);
	for (i = 0; i < len; i++)
		ASSERT_INT_EQ(feed(s, type, msg, i, 0), ERR_PROTOCOL_ERROR);
	for (i = 0; i < len; i++) {
		msg[i] ^= 0xff;
		r = feed(s, type, msg, len, 0);
		if (r != 0 && r != ERR_PROTOCOL_ERROR)
			ASSERT_INT_EQ(r, ERR_PROTOCOL_ERROR);
		msg[i] ^= 0xff;
	}
	free(msg);
	TEST_DONE();
}

static void
test_opens(void)
{
	check_msg("CHANNEL_OPEN session", S_SRV, SSH2_MSG_CHANNEL_OPEN,
	    mk("suuu", "session", 7, 1000, 1000));
	check_msg("CHANNEL_OPEN direct-tcpip", S_SRV, SSH2_MSG_CHANNEL_OPEN,
	    mk("suuususu", "direct-tcpip", 7, 1000, 1000, "example.org", 443,
	    "192.0.2.1", 50000));
	check_msg("CHANNEL_OPEN forwarded-tcpip", S_CLI_RFWD,
	    SSH2_MSG_CHANNEL_OPEN, mk("suuususu", "forwarded-tcpip", 7, 1000,
	    1000, "localhost", 8080, "192.0.2.1", 50000));
	check_msg("CHANNEL_OPEN x11", S_CLI, SSH2_MSG_CHANNEL_OPEN,
	    mk("suuusu", "x11", 7, 1000, 1000, "192.0.2.1", 6010));
	check_msg("CHANNEL_OPEN auth-agent", S_CLI, SSH2_MSG_CHANNEL_OPEN,
	    mk("suuu", "auth-agent@openssh.com", 7, 1000, 1000));
	check_msg("CHANNEL_OPEN_CONFIRMATION", S_CLI_OPENING,
	    SSH2_MSG_CHANNEL_OPEN_CONFIRMATION, mk("uuuu", 0, 9, 1000, 1000));
	check_msg("CHANNEL_OPEN_FAILURE", S_CLI_OPENING,
	    SSH2_MSG_CHANNEL_OPEN_FAILURE, mk("uuss", 0, 2, "refused", "en"));
}

static void
test_channel_msgs(void)
{
	check_msg("CHANNEL_WINDOW_ADJUST", S_SRV_OPEN,
	    SSH2_MSG_CHANNEL_WINDOW_ADJUST, mk("uu", 0, 100));
	check_msg("CHANNEL_DATA", S_SRV_OPEN, SSH2_MSG_CHANNEL_DATA,
	    mk("ud", 0, "hello", (size_t)5));
	check_msg("CHANNEL_EXTENDED_DATA", S_SRV_OPEN,
	    SSH2_MSG_CHANNEL_EXTENDED_DATA, mk("uud", 0, 1, "hello",
	    (size_t)5));
	check_msg("CHANNEL_EOF", S_SRV_OPEN, SSH2_MSG_CHANNEL_EOF,
	    mk("u", 0));
	check_msg("CHANNEL_CLOSE", S_SRV_OPEN, SSH2_MSG_CHANNEL_CLOSE,
	    mk("u", 0));
	check_msg("CHANNEL_SUCCESS", S_SRV_OPEN_REQ, SSH2_MSG_CHANNEL_SUCCESS,
	    mk("u", 0));
	check_msg("CHANNEL_FAILURE", S_SRV_OPEN_REQ, SSH2_MSG_CHANNEL_FAILURE,
	    mk("u", 0));
}

static void
test_requests(void)
{
	static const u_char modes[] = { 53, 0, 0, 0, 1, 0 };

	check_msg("pty-req", S_SRV_OPEN, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usbsuuuud", 0, "pty-req", 1, "xterm-256color", 80, 24, 640,
	    480, modes, sizeof(modes)));
	check_msg("x11-req", S_SRV_OPEN, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usbbssu", 0, "x11-req", 1, 0, "MIT-MAGIC-COOKIE-1",
	    "0123456789abcdef", 0));
	check_msg("env", S_SRV_OPEN, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usbss", 0, "env", 1, "LANG", "C.UTF-8"));
	check_msg("shell", S_SRV_OPEN, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usb", 0, "shell", 1));
	check_msg("exec", S_SRV_OPEN, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usbs", 0, "exec", 1, "ls -l"));
	check_msg("subsystem", S_SRV_OPEN, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usbs", 0, "subsystem", 1, "sftp"));
	check_msg("window-change", S_SRV_OPEN, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usbuuuu", 0, "window-change", 0, 100, 40, 800, 600));
	check_msg("signal", S_SRV_OPEN, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usbs", 0, "signal", 0, "INT"));
	check_msg("break", S_SRV_OPEN, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usbu", 0, "break", 1, 500));
	check_msg("auth-agent-req", S_SRV_OPEN, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usb", 0, "auth-agent-req@openssh.com", 1));
	check_msg("exit-status", S_CLI_OPEN, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usbu", 0, "exit-status", 0, 42));
	check_msg("exit-signal", S_CLI_OPEN, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usbsbss", 0, "exit-signal", 0, "SEGV", 1, "boom", ""));
	check_msg("xon-xoff", S_CLI_OPEN, SSH2_MSG_CHANNEL_REQUEST,
	    mk("usbb", 0, "xon-xoff", 0, 1));
}

static void
test_globals(void)
{
	check_msg("GLOBAL_REQUEST tcpip-forward", S_SRV,
	    SSH2_MSG_GLOBAL_REQUEST, mk("sbsu", "tcpip-forward", 1,
	    "localhost", 0));
	check_msg("GLOBAL_REQUEST cancel-tcpip-forward", S_SRV,
	    SSH2_MSG_GLOBAL_REQUEST, mk("sbsu", "cancel-tcpip-forward", 1,
	    "localhost", 8080));
	check_msg("REQUEST_SUCCESS with port", S_CLI_GREQ0,
	    SSH2_MSG_REQUEST_SUCCESS, mk("u", 40000));
	check_msg("REQUEST_SUCCESS", S_CLI_GREQ, SSH2_MSG_REQUEST_SUCCESS,
	    mk(""));
	check_msg("REQUEST_FAILURE", S_CLI_GREQ, SSH2_MSG_REQUEST_FAILURE,
	    mk(""));
}

void
test_channels_trunc(void)
{
	test_opens();
	test_channel_msgs();
	test_requests();
	test_globals();
}
