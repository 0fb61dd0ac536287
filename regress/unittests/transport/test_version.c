/*
 * The version exchange (RFC 4253 4.2): banner lines before the server's
 * version, limits, protocol 1 peers, garbage.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "kex.h"
#include "packet.h"
#include "ssh2.h"

#include "../test_helper/test_helper.h"
#include "test_transport.h"

static struct ssh *
new_side(int server)
{
	struct kex_params p;
	struct ssh *ssh;

	harness_params(&p, server);
	ASSERT_INT_EQ(packet_new(server, &ssh), 0);
	ASSERT_INT_EQ(kex_setup(ssh, &p), 0);
	return ssh;
}

static int
feed(struct ssh *ssh, const char *s)
{
	u_char type;

	ASSERT_INT_EQ(packet_input(ssh, s, strlen(s)), 0);
	return packet_next(ssh, &type);
}

/* The output after our own version line, as a string. */
static char *
output_after_version(struct ssh *ssh)
{
	struct buf *o;
	size_t off;
	char *s;

	ASSERT_PTR_NE(o = buf_from_copy(packet_output_ptr(ssh),
	    packet_output_len(ssh)), NULL);
	ASSERT_INT_EQ(buf_find(o, 0, "\r\n", 2, &off), 0);
	ASSERT_INT_EQ(buf_consume(o, off + 2), 0);
	ASSERT_INT_EQ(buf_put_u8(o, 0), 0);
	s = strdup((const char *)buf_ptr(o));
	buf_free(o);
	return s;
}

static void
fail_case(int server, const char *input, int err, const char *told)
{
	struct ssh *ssh = new_side(server);
	char *out;

	ASSERT_INT_EQ(feed(ssh, input), err);
	ASSERT_INT_EQ(packet_is_closed(ssh), 1);
	out = output_after_version(ssh);
	ASSERT_STRING_EQ(out, told);
	free(out);
	packet_free(ssh);
}

static void
test_good(void)
{
	struct ssh *ssh;
	const char *v;
	size_t i;

	TEST_START("version our line");
	ssh = new_side(1);
	ASSERT_STRING_EQ(packet_our_version(ssh),
	    "SSH-2.0-Keel_" PACKAGE_VERSION);
	ASSERT_INT_EQ(memcmp(packet_output_ptr(ssh), "SSH-2.0-Keel_",
	    13), 0);
	ASSERT_PTR_EQ(packet_peer_version(ssh), NULL);
	packet_free(ssh);
	ASSERT_INT_EQ(packet_new(0, &ssh), 0);
	ASSERT_INT_EQ(packet_set_version_addendum(ssh, "Debian-1"), 0);
	ASSERT_INT_EQ(packet_version_start(ssh), 0);
	ASSERT_STRING_EQ(packet_our_version(ssh),
	    "SSH-2.0-Keel_" PACKAGE_VERSION " Debian-1");
	ASSERT_INT_EQ(packet_set_version_addendum(ssh, "x"),
	    ERR_INVALID_ARGUMENT);
	packet_free(ssh);
	TEST_DONE();

	TEST_START("version lines before the server's");
	ssh = new_side(0);
	ASSERT_INT_EQ(feed(ssh, "Welcome\r\n\r\nno CR here\n"), 0);
	ASSERT_PTR_EQ(packet_peer_version(ssh), NULL);
	ASSERT_INT_EQ(feed(ssh, "SSH-2.0-Other_1.0 comment here\r\n"), 0);
	ASSERT_STRING_EQ(packet_peer_version(ssh),
	    "SSH-2.0-Other_1.0 comment here");
	/* And our KEXINIT went out. */
	ASSERT_INT_EQ(packet_in_kex(ssh), 1);
	packet_free(ssh);
	TEST_DONE();

	TEST_START("version byte at a time, LF only, 1.99");
	ssh = new_side(1);
	v = "SSH-1.99-Compat\n";
	for (i = 0; v[i] != '\0'; i++) {
		ASSERT_PTR_EQ(packet_peer_version(ssh), NULL);
		ASSERT_INT_EQ(packet_input(ssh, v + i, 1), 0);
		{
			u_char type;

			ASSERT_INT_EQ(packet_next(ssh, &type), 0);
		}
	}
	ASSERT_STRING_EQ(packet_peer_version(ssh), "SSH-1.99-Compat");
	packet_free(ssh);
	TEST_DONE();
}

static void
test_bad(void)
{
	struct ssh *ssh;
	char *line;
	int i, r = 0;

	TEST_START("version protocol 1 peer");
	fail_case(1, "SSH-1.5-OldThing\r\n", ERR_PROTOCOL_MISMATCH,
	    "Protocol major versions differ.\r\n");
	fail_case(0, "SSH-1.5-OldThing\r\n", ERR_PROTOCOL_MISMATCH, "");
	fail_case(1, "SSH-3.0-Future\r\n", ERR_PROTOCOL_MISMATCH,
	    "Protocol major versions differ.\r\n");
	TEST_DONE();

	TEST_START("version garbage from a client");
	fail_case(1, "GET / HTTP/1.1\r\n", ERR_NO_PROTOCOL_VERSION,
	    "Invalid SSH identification string.\r\n");
	fail_case(1, "SSH-2.0\r\n", ERR_NO_PROTOCOL_VERSION,
	    "Invalid SSH identification string.\r\n");
	TEST_DONE();

	TEST_START("version NUL in a line");
	ssh = new_side(0);
	ASSERT_INT_EQ(packet_input(ssh, "ab\0c\r\n", 6), 0);
	{
		u_char type;

		ASSERT_INT_EQ(packet_next(ssh, &type),
		    ERR_NO_PROTOCOL_VERSION);
	}
	packet_free(ssh);
	TEST_DONE();

	TEST_START("version line too long");
	ASSERT_PTR_NE(line = malloc(PACKET_BANNER_LINE_MAX + 2), NULL);
	/* The version line itself: 255 bytes with CR LF at most. */
	memset(line, 'a', 300);
	memcpy(line, "SSH-2.0-", 8);
	line[256] = '\0';
	ssh = new_side(0);
	ASSERT_INT_EQ(feed(ssh, line), 0);	/* no newline yet */
	ASSERT_INT_EQ(feed(ssh, "\r\n"), ERR_NO_PROTOCOL_VERSION);
	packet_free(ssh);
	/* 253 + CR LF is fine. */
	line[253] = '\0';
	ssh = new_side(0);
	ASSERT_INT_EQ(feed(ssh, line), 0);
	ASSERT_INT_EQ(feed(ssh, "\r\n"), 0);
	ASSERT_PTR_NE(packet_peer_version(ssh), NULL);
	packet_free(ssh);
	/* A server's overlong line without an end. */
	ssh = new_side(1);
	memset(line, 'b', 300);
	line[300] = '\0';
	ASSERT_INT_EQ(feed(ssh, line), ERR_NO_PROTOCOL_VERSION);
	packet_free(ssh);
	/* A banner line beyond the limit. */
	memset(line, 'c', PACKET_BANNER_LINE_MAX + 1);
	line[PACKET_BANNER_LINE_MAX + 1] = '\0';
	ssh = new_side(0);
	ASSERT_INT_EQ(feed(ssh, line), ERR_NO_PROTOCOL_VERSION);
	packet_free(ssh);
	free(line);
	TEST_DONE();

	TEST_START("version too many banner lines");
	ssh = new_side(0);
	for (i = 0; i <= PACKET_BANNER_LINES_MAX && r == 0; i++)
		r = feed(ssh, "line\r\n");
	ASSERT_INT_EQ(r, ERR_NO_PROTOCOL_VERSION);
	ASSERT_INT_EQ(i, PACKET_BANNER_LINES_MAX + 1);
	packet_free(ssh);
	TEST_DONE();

	TEST_START("version EOF before a version");
	ssh = new_side(0);
	ASSERT_INT_EQ(feed(ssh, "partial"), 0);
	packet_input_eof(ssh);
	ASSERT_INT_EQ(feed(ssh, ""), ERR_CONN_CLOSED);
	packet_free(ssh);
	TEST_DONE();
}

void
test_version(void)
{
	test_good();
	test_bad();
}
