/*
 * The codecs on their own: channel requests, the type-specific parts of
 * CHANNEL_OPEN, global requests, and permission lists.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"

#include "../test_helper/test_helper.h"
#include "test_channels.h"

static void
roundtrip(const struct chan_request *in, struct chan_request *out)
{
	struct buf *b;

	ASSERT_TRUE((b = buf_new()) != NULL);
	ASSERT_INT_EQ(chan_req_put(b, in), 0);
	ASSERT_INT_EQ(chan_req_parse(b, out), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	ASSERT_INT_EQ(out->type, in->type);
	ASSERT_INT_EQ(out->want_reply, in->want_reply);
	buf_free(b);
}

static void
test_requests(void)
{
	static u_char modes[] = { 1, 0, 0, 0, 3, 0 };
	struct chan_request in, out;
	struct buf *b;

	TEST_START("channel request round trips");
	memset(&in, 0, sizeof(in));
	in.type = CHAN_REQ_PTY;
	in.want_reply = 1;
	in.u.pty.term = "vt100";
	in.u.pty.cols = 80;
	in.u.pty.rows = 24;
	in.u.pty.width = 1;
	in.u.pty.height = UINT32_MAX;
	in.u.pty.modes = modes;
	in.u.pty.modes_len = sizeof(modes);
	roundtrip(&in, &out);
	ASSERT_STRING_EQ(out.u.pty.term, "vt100");
	ASSERT_U32_EQ(out.u.pty.cols, 80);
	ASSERT_U32_EQ(out.u.pty.rows, 24);
	ASSERT_U32_EQ(out.u.pty.width, 1);
	ASSERT_U32_EQ(out.u.pty.height, UINT32_MAX);
	ASSERT_SIZE_T_EQ(out.u.pty.modes_len, sizeof(modes));
	ASSERT_MEM_EQ(out.u.pty.modes, modes, sizeof(modes));
	chan_req_clear(&out);

	memset(&in, 0, sizeof(in));
	in.type = CHAN_REQ_X11;
	in.u.x11.single = 1;
	in.u.x11.proto = "MIT-MAGIC-COOKIE-1";
	in.u.x11.cookie = "00ff";
	in.u.x11.screen = 2;
	roundtrip(&in, &out);
	ASSERT_INT_EQ(out.u.x11.single, 1);
	ASSERT_STRING_EQ(out.u.x11.proto, "MIT-MAGIC-COOKIE-1");
	ASSERT_STRING_EQ(out.u.x11.cookie, "00ff");
	ASSERT_U32_EQ(out.u.x11.screen, 2);
	chan_req_clear(&out);

	memset(&in, 0, sizeof(in));
	in.type = CHAN_REQ_EXIT_SIGNAL;
	in.u.exit_signal.name = "KILL";
	in.u.exit_signal.core_dumped = 1;
	in.u.exit_signal.message = "killed";
	roundtrip(&in, &out);
	ASSERT_STRING_EQ(out.u.exit_signal.name, "KILL");
	ASSERT_INT_EQ(out.u.exit_signal.core_dumped, 1);
	ASSERT_STRING_EQ(out.u.exit_signal.message, "killed");
	ASSERT_STRING_EQ(out.u.exit_signal.lang, "");
	chan_req_clear(&out);

	memset(&in, 0, sizeof(in));
	in.type = CHAN_REQ_WINDOW_CHANGE;
	in.u.winch.cols = 132;
	in.u.winch.rows = 43;
	roundtrip(&in, &out);
	ASSERT_U32_EQ(out.u.winch.cols, 132);
	ASSERT_U32_EQ(out.u.winch.rows, 43);
	chan_req_clear(&out);

	memset(&in, 0, sizeof(in));
	in.type = CHAN_REQ_AGENT;
	roundtrip(&in, &out);
	chan_req_clear(&out);
	TEST_DONE();

	TEST_START("channel request edge cases");
	/* Any non-zero want-reply byte is TRUE (RFC 4251 section 5). */
	b = mk("sb", "shell", 0x80);
	ASSERT_INT_EQ(chan_req_parse(b, &out), 0);
	ASSERT_INT_EQ(out.want_reply, 1);
	chan_req_clear(&out);
	buf_free(b);
	/* Interior NUL in a command. */
	b = mk("sbd", "exec", 1, "ls\0-l", (size_t)5);
	ASSERT_INT_EQ(chan_req_parse(b, &out), ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(out.type, CHAN_REQ_OTHER);
	buf_free(b);
	/* Unknown requests: fields skipped, name kept. */
	b = mk("sbuuu", "winadj@putty.projects.tartarus.org", 1, 1, 2, 3);
	ASSERT_INT_EQ(chan_req_parse(b, &out), 0);
	ASSERT_INT_EQ(out.type, CHAN_REQ_OTHER);
	ASSERT_STRING_EQ(out.other_name,
	    "winadj@putty.projects.tartarus.org");
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	chan_req_clear(&out);
	buf_free(b);
	/* Trailing bytes after a known request. */
	b = mk("sbsb", "exec", 1, "ls", 0);
	ASSERT_INT_EQ(chan_req_parse(b, &out), ERR_UNEXPECTED_TRAILING_DATA);
	buf_free(b);
	/* OTHER cannot be sent. */
	memset(&in, 0, sizeof(in));
	ASSERT_TRUE((b = buf_new()) != NULL);
	ASSERT_INT_EQ(chan_req_put(b, &in), ERR_INVALID_ARGUMENT);
	buf_free(b);
	ASSERT_TRUE(chan_req_name(CHAN_REQ_OTHER) == NULL);
	ASSERT_TRUE(chan_req_name(CHAN_REQ_MAX) == NULL);
	ASSERT_STRING_EQ(chan_req_name(CHAN_REQ_PTY), "pty-req");
	TEST_DONE();

	TEST_START("which side takes which request");
	ASSERT_INT_EQ(chan_req_allowed(CHAN_REQ_EXEC, 1, CHAN_TYPE_SESSION), 1);
	ASSERT_INT_EQ(chan_req_allowed(CHAN_REQ_EXEC, 0, CHAN_TYPE_SESSION), 0);
	ASSERT_INT_EQ(chan_req_allowed(CHAN_REQ_EXIT_STATUS, 0,
	    CHAN_TYPE_SESSION), 1);
	ASSERT_INT_EQ(chan_req_allowed(CHAN_REQ_EXIT_STATUS, 1,
	    CHAN_TYPE_SESSION), 0);
	ASSERT_INT_EQ(chan_req_allowed(CHAN_REQ_EXEC, 1,
	    CHAN_TYPE_DIRECT_TCPIP), 0);
	ASSERT_INT_EQ(chan_req_allowed(CHAN_REQ_OTHER, 1, CHAN_TYPE_SESSION),
	    0);
	TEST_DONE();
}

static void
test_opens(void)
{
	struct chan_open_info in, out;
	struct buf *b;

	TEST_START("open info round trips");
	memset(&in, 0, sizeof(in));
	in.type = CHAN_TYPE_DIRECT_TCPIP;
	in.host = "example.org";
	in.port = 443;
	in.orig_host = "2001:db8::1";
	in.orig_port = 65535;
	ASSERT_TRUE((b = buf_new()) != NULL);
	ASSERT_INT_EQ(fwd_open_put(b, &in), 0);
	memset(&out, 0, sizeof(out));
	out.type = CHAN_TYPE_DIRECT_TCPIP;
	ASSERT_INT_EQ(fwd_open_parse(b, &out), 0);
	ASSERT_STRING_EQ(out.host, "example.org");
	ASSERT_U32_EQ(out.port, 443);
	ASSERT_STRING_EQ(out.orig_host, "2001:db8::1");
	ASSERT_U32_EQ(out.orig_port, 65535);
	fwd_open_clear(&out);
	buf_reset(b);
	in.type = CHAN_TYPE_X11;
	ASSERT_INT_EQ(fwd_open_put(b, &in), 0);
	out.type = CHAN_TYPE_X11;
	ASSERT_INT_EQ(fwd_open_parse(b, &out), 0);
	ASSERT_TRUE(out.host == NULL);
	ASSERT_STRING_EQ(out.orig_host, "2001:db8::1");
	fwd_open_clear(&out);
	/* Session has no fields: anything is trailing. */
	buf_reset(b);
	ASSERT_INT_EQ(buf_put_u8(b, 0), 0);
	out.type = CHAN_TYPE_SESSION;
	ASSERT_INT_EQ(fwd_open_parse(b, &out), ERR_UNEXPECTED_TRAILING_DATA);
	buf_free(b);
	ASSERT_STRING_EQ(chan_type_name(CHAN_TYPE_AGENT),
	    "auth-agent@openssh.com");
	ASSERT_TRUE(chan_type_name(CHAN_TYPE_MAX) == NULL);
	TEST_DONE();
}

static void
test_globals(void)
{
	struct chan_global_request in, out;
	struct buf *b;

	TEST_START("global request codec");
	memset(&in, 0, sizeof(in));
	in.type = CHAN_GREQ_CANCEL_TCPIP_FORWARD;
	in.want_reply = 1;
	in.addr = "0.0.0.0";
	in.port = 2222;
	ASSERT_TRUE((b = buf_new()) != NULL);
	ASSERT_INT_EQ(fwd_greq_put(b, &in), 0);
	ASSERT_INT_EQ(fwd_greq_parse(b, &out), 0);
	ASSERT_INT_EQ(out.type, CHAN_GREQ_CANCEL_TCPIP_FORWARD);
	ASSERT_INT_EQ(out.want_reply, 1);
	ASSERT_STRING_EQ(out.name, "cancel-tcpip-forward");
	ASSERT_STRING_EQ(out.addr, "0.0.0.0");
	ASSERT_U32_EQ(out.port, 2222);
	fwd_greq_clear(&out);
	/* Others: name read, data left for the handler. */
	buf_reset(b);
	in.type = CHAN_GREQ_OTHER;
	in.name = "hostkeys-00@openssh.com";
	in.want_reply = 0;
	ASSERT_INT_EQ(fwd_greq_put(b, &in), 0);
	ASSERT_INT_EQ(buf_put_string(b, "key", 3), 0);
	ASSERT_INT_EQ(fwd_greq_parse(b, &out), 0);
	ASSERT_INT_EQ(out.type, CHAN_GREQ_OTHER);
	ASSERT_STRING_EQ(out.name, "hostkeys-00@openssh.com");
	ASSERT_SIZE_T_EQ(buf_len(b), 7);
	fwd_greq_clear(&out);
	buf_reset(b);
	in.name = NULL;
	ASSERT_INT_EQ(fwd_greq_put(b, &in), ERR_INVALID_ARGUMENT);
	buf_free(b);
	ASSERT_STRING_EQ(fwd_greq_name(CHAN_GREQ_TCPIP_FORWARD),
	    "tcpip-forward");
	TEST_DONE();
}

static void
test_perms(void)
{
	struct fwd_perms *p;
	static const char *const bad[] = {
		"", ":", "host:", ":80", "host:65536", "host:-1", "host:8x",
		"[::1]", "[::1]80", "[]:80", "host:port", "*:", "x:+80",
	};
	size_t i;

	TEST_START("permission lists");
	ASSERT_INT_EQ(fwd_perms_new(&p), 0);
	/* Empty: everything. */
	ASSERT_INT_EQ(fwd_perms_check(p, "anything", 1), 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (fwd_perms_add(p, bad[i]) != ERR_INVALID_FORMAT)
			assert_failed(__FILE__, __LINE__, "accepted \"%s\"",
			    bad[i]);
	}
	ASSERT_INT_EQ(fwd_perms_add(p, "localhost:80"), 0);
	ASSERT_INT_EQ(fwd_perms_add(p, "*:443"), 0);
	ASSERT_INT_EQ(fwd_perms_add(p, "db:*"), 0);
	ASSERT_INT_EQ(fwd_perms_add(p, "[2001:db8::1]:22"), 0);
	ASSERT_INT_EQ(fwd_perms_add(p, "5000"), 0);
	ASSERT_INT_EQ(fwd_perms_check(p, "LOCALHOST", 80), 1);
	ASSERT_INT_EQ(fwd_perms_check(p, "localhost", 81), 0);
	ASSERT_INT_EQ(fwd_perms_check(p, "example.org", 443), 1);
	ASSERT_INT_EQ(fwd_perms_check(p, "db", 1), 1);
	ASSERT_INT_EQ(fwd_perms_check(p, "db2", 1), 0);
	ASSERT_INT_EQ(fwd_perms_check(p, "2001:db8::1", 22), 1);
	ASSERT_INT_EQ(fwd_perms_check(p, "2001:db8::2", 22), 0);
	ASSERT_INT_EQ(fwd_perms_check(p, "x", 5000), 1);
	ASSERT_INT_EQ(fwd_perms_check(p, NULL, 5001), 0);
	ASSERT_INT_EQ(fwd_perms_add(p, "any"), 0);
	ASSERT_INT_EQ(fwd_perms_check(p, "x", 1), 1);
	ASSERT_INT_EQ(fwd_perms_add(p, "none"), 0);
	ASSERT_INT_EQ(fwd_perms_check(p, "localhost", 80), 0);
	fwd_perms_free(p);
	TEST_DONE();
}

void
test_channels_codec(void)
{
	test_requests();
	test_opens();
	test_globals();
	test_perms();
}
