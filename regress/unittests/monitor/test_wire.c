/*
 * test_wire.c: message framing (monitor_msg_send/recv), the passwd
 * encoding and descriptor passing, over real socketpairs.
 */
#include "includes.h"

#include <sys/socket.h>
#include <fcntl.h>
#include <pwd.h>

#include "../test_helper/test_helper.h"
#include "buf.h"
#include "errcode.h"
#include "monitor.h"
#include "monitor_fdpass.h"
#include "test_monitor.h"
#include "uidswap.h"

static void
pair(int sv[2])
{
	ASSERT_INT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
}

static void
write_all(int fd, const void *p, size_t len)
{
	ASSERT_INT_EQ(write(fd, p, len), (ssize_t)len);
}

/* What recv makes of raw bytes followed by end of file. */
static int
recv_raw(const u_char *raw, size_t len)
{
	struct buf *body;
	uint8_t type;
	int sv[2], r;

	pair(sv);
	if (len > 0)
		write_all(sv[1], raw, len);
	close(sv[1]);
	ASSERT_PTR_NE(body = buf_new(), NULL);
	r = monitor_msg_recv(sv[0], &type, body);
	if (r != 0) {
		ASSERT_U8_EQ(type, 0);
		ASSERT_SIZE_T_EQ(buf_len(body), 0);
	}
	buf_free(body);
	close(sv[0]);
	return r;
}

static void
test_framing(void)
{
	struct buf *out, *in;
	u_char raw[16], *p;
	uint8_t type;
	size_t i;
	int sv[2];

	TEST_START("framing round trip");
	pair(sv);
	ASSERT_PTR_NE(out = buf_new(), NULL);
	ASSERT_PTR_NE(in = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_cstring(out, "hello"), 0);
	ASSERT_INT_EQ(monitor_msg_send(sv[0], MONITOR_REQ_PWNAM, out), 0);
	/* An empty body is a message of length 1 (just the type). */
	buf_reset(out);
	ASSERT_INT_EQ(monitor_msg_send(sv[0], MONITOR_REQ_PTY, out), 0);
	ASSERT_INT_EQ(monitor_msg_recv(sv[1], &type, in), 0);
	ASSERT_U8_EQ(type, MONITOR_REQ_PWNAM);
	ASSERT_SIZE_T_EQ(buf_len(in), 9);
	ASSERT_INT_EQ(monitor_msg_recv(sv[1], &type, in), 0);
	ASSERT_U8_EQ(type, MONITOR_REQ_PTY);
	ASSERT_SIZE_T_EQ(buf_len(in), 0);
	close(sv[0]);
	ASSERT_INT_EQ(monitor_msg_recv(sv[1], &type, in), ERR_CONN_CLOSED);
	close(sv[1]);
	TEST_DONE();

	TEST_START("framing: bad lengths and truncation");
	/* Length 0: no type byte. */
	memset(raw, 0, sizeof(raw));
	ASSERT_INT_EQ(recv_raw(raw, 4), ERR_INVALID_FORMAT);
	/* Over the cap, and the largest uint32. */
	raw[1] = 0x04;
	raw[3] = 0x01;	/* 256 KiB + 1 */
	ASSERT_INT_EQ(recv_raw(raw, 4), ERR_INVALID_FORMAT);
	memset(raw, 0xff, 4);
	ASSERT_INT_EQ(recv_raw(raw, 4), ERR_INVALID_FORMAT);
	/* A valid frame cut at every offset. */
	memset(raw, 0, sizeof(raw));
	raw[3] = 6;
	raw[4] = MONITOR_REQ_LOG;
	for (i = 0; i < 10; i++)
		ASSERT_INT_EQ(recv_raw(raw, i), i == 0 ? ERR_CONN_CLOSED :
		    ERR_MESSAGE_INCOMPLETE);
	ASSERT_INT_EQ(recv_raw(raw, 10), 0);
	TEST_DONE();

	TEST_START("framing: sender refuses an oversized body");
	pair(sv);
	buf_reset(out);
	ASSERT_INT_EQ(buf_reserve(out, MONITOR_MAX_MSG, &p), 0);
	ASSERT_INT_EQ(monitor_msg_send(sv[0], 1, out), ERR_INVALID_ARGUMENT);
	close(sv[0]);
	close(sv[1]);
	buf_free(out);
	buf_free(in);
	TEST_DONE();
}

static void
test_passwd_encoding(void)
{
	struct passwd pw, *got = NULL;
	struct buf *b, *cut;
	size_t i, len;

	TEST_START("passwd encoding hides the hash and the gecos");
	memset(&pw, 0, sizeof(pw));
	pw.pw_name = "alice";
	pw.pw_passwd = "$6$salt$hash";
	pw.pw_uid = 1000;
	pw.pw_gid = 100;
	pw.pw_gecos = "Alice";
	pw.pw_dir = "/home/alice";
	pw.pw_shell = "/bin/bash";
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(monitor_put_passwd(b, &pw), 0);
	len = buf_len(b);
	for (i = 0; i < len; i++) {
		ASSERT_PTR_NE(cut = buf_from(buf_ptr(b), i), NULL);
		ASSERT_INT_LT(monitor_get_passwd(cut, &got), 0);
		ASSERT_PTR_EQ(got, NULL);
		buf_free(cut);
	}
	ASSERT_INT_EQ(monitor_get_passwd(b, &got), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	ASSERT_STRING_EQ(got->pw_name, "alice");
	ASSERT_STRING_EQ(got->pw_passwd, "*");
	ASSERT_STRING_EQ(got->pw_gecos, "");
	ASSERT_STRING_EQ(got->pw_dir, "/home/alice");
	ASSERT_STRING_EQ(got->pw_shell, "/bin/bash");
	ASSERT_INT_EQ(got->pw_uid, 1000);
	ASSERT_INT_EQ(got->pw_gid, 100);
	pw_free(got);
	/* An empty name or an interior NUL is refused. */
	buf_reset(b);
	pw.pw_name = "";
	ASSERT_INT_EQ(monitor_put_passwd(b, &pw), 0);
	ASSERT_INT_EQ(monitor_get_passwd(b, &got), ERR_INVALID_FORMAT);
	buf_reset(b);
	ASSERT_INT_EQ(buf_put_string(b, "al\0ce", 5), 0);
	ASSERT_INT_EQ(monitor_get_passwd(b, &got), ERR_INVALID_FORMAT);
	buf_free(b);
	TEST_DONE();
}

static void
test_fdpass(void)
{
	int sv[2], p[2], fd = -1, fl;
	char c = 0;

	TEST_START("descriptor passing");
	pair(sv);
	ASSERT_INT_EQ(pipe(p), 0);
	ASSERT_INT_EQ(monitor_fdpass_send(sv[0], p[1]), 0);
	close(p[1]);
	ASSERT_INT_EQ(monitor_fdpass_recv(sv[1], &fd), 0);
	ASSERT_INT_GE(fd, 0);
	/* Close-on-exec, and it is the pipe's write end. */
	ASSERT_INT_NE(fl = fcntl(fd, F_GETFD), -1);
	ASSERT_INT_NE(fl & FD_CLOEXEC, 0);
	ASSERT_INT_EQ(write(fd, "z", 1), 1);
	ASSERT_INT_EQ(read(p[0], &c, 1), 1);
	ASSERT_INT_EQ(c, 'z');
	close(fd);
	close(p[0]);
	/* A plain byte without a descriptor is refused. */
	ASSERT_INT_EQ(write(sv[0], "x", 1), 1);
	ASSERT_INT_EQ(monitor_fdpass_recv(sv[1], &fd), ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(fd, -1);
	ASSERT_INT_EQ(monitor_fdpass_send(sv[0], -1), ERR_INVALID_ARGUMENT);
	close(sv[0]);
	ASSERT_INT_EQ(monitor_fdpass_recv(sv[1], &fd), ERR_CONN_CLOSED);
	close(sv[1]);
	TEST_DONE();
}

void
test_wire(void)
{
	test_framing();
	test_passwd_encoding();
	test_fdpass();
}
