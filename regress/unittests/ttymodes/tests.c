/*
 * tests.c: RFC 4254 section 8 terminal modes (ttymodes.h): hand-made
 * streams decoded opcode by opcode, the parsing rules for unknown and
 * undefined opcodes, truncation, encode/decode round trips, and
 * applying a stream to a real pty.
 */
#include "includes.h"

#include <pty.h>
#include <termios.h>

#include "../test_helper/test_helper.h"
#include "buf.h"
#include "errcode.h"
#include "ttymodes.h"

/* One opcode and its uint32 argument, big-endian (RFC 4251 s.5). */
#define OP(op, v) (op), (u_char)((uint32_t)(v) >> 24), \
	(u_char)((uint32_t)(v) >> 16), (u_char)((uint32_t)(v) >> 8), \
	(u_char)(v)

static void
blank(struct termios *t)
{
	memset(t, 0, sizeof(*t));
	cfsetispeed(t, B9600);
	cfsetospeed(t, B9600);
}

static void
test_vectors(void)
{
	/* VINTR ^C, VERASE DEL, VEOL none, ECHO off, ICANON on, ICRNL on,
	 * ONLCR on, CS8, 38400 baud in and out, then the end.  (glibc keeps
	 * one speed for both directions, so they are the same here.) */
	static const u_char modes[] = {
		OP(1, 3), OP(3, 127), OP(6, 255), OP(53, 0), OP(51, 1),
		OP(36, 1), OP(72, 1), OP(91, 1), OP(128, 38400),
		OP(129, 38400), 0
	};
	struct termios t;

	TEST_START("RFC 4254 s.8 stream decodes field by field");
	blank(&t);
	t.c_lflag = ECHO;
	t.c_cc[VEOL] = 'x';
	ASSERT_INT_EQ(ttymodes_decode(modes, sizeof(modes), &t), 0);
	ASSERT_INT_EQ(t.c_cc[VINTR], 3);
	ASSERT_INT_EQ(t.c_cc[VERASE], 127);
	ASSERT_INT_EQ(t.c_cc[VEOL], _POSIX_VDISABLE);
	ASSERT_INT_EQ(t.c_lflag & ECHO, 0);
	ASSERT_INT_NE(t.c_lflag & ICANON, 0);
	ASSERT_INT_NE(t.c_iflag & ICRNL, 0);
	ASSERT_INT_NE(t.c_oflag & ONLCR, 0);
	ASSERT_INT_EQ(t.c_cflag & CSIZE, CS8);
	ASSERT_INT_EQ(cfgetispeed(&t), B38400);
	ASSERT_INT_EQ(cfgetospeed(&t), B38400);
	TEST_DONE();
}

static void
test_parse_rules(void)
{
	/* 19..29 are unassigned: skipped with their argument. */
	static const u_char unknown[] = {
		OP(19, 0xffffffff), OP(1, 7), OP(29, 1), OP(2, 8), 0
	};
	/* 160 stops parsing: VINTR after it is not applied. */
	static const u_char undefined[] = {
		OP(2, 9), 160, OP(1, 7), 0
	};
	/* After TTY_OP_END nothing counts, garbage included. */
	static const u_char after_end[] = {
		OP(2, 10), 0, OP(1, 7), 0xff
	};
	/* No TTY_OP_END: the data ends at an opcode boundary. */
	static const u_char no_end[] = { OP(1, 11) };
	/* A character beyond 255 is ignored. */
	static const u_char big_char[] = { OP(1, 256), OP(2, 12), 0 };
	/* A speed that is not a baud rate is ignored. */
	static const u_char odd_speed[] = { OP(128, 12345), 0 };
	struct termios t;

	TEST_START("unknown opcodes skipped, 160+ stops, END ends");
	blank(&t);
	ASSERT_INT_EQ(ttymodes_decode(unknown, sizeof(unknown), &t), 0);
	ASSERT_INT_EQ(t.c_cc[VINTR], 7);
	ASSERT_INT_EQ(t.c_cc[VQUIT], 8);
	blank(&t);
	ASSERT_INT_EQ(ttymodes_decode(undefined, sizeof(undefined), &t), 0);
	ASSERT_INT_EQ(t.c_cc[VQUIT], 9);
	ASSERT_INT_EQ(t.c_cc[VINTR], 0);
	blank(&t);
	ASSERT_INT_EQ(ttymodes_decode(after_end, sizeof(after_end), &t), 0);
	ASSERT_INT_EQ(t.c_cc[VQUIT], 10);
	ASSERT_INT_EQ(t.c_cc[VINTR], 0);
	blank(&t);
	ASSERT_INT_EQ(ttymodes_decode(no_end, sizeof(no_end), &t), 0);
	ASSERT_INT_EQ(t.c_cc[VINTR], 11);
	blank(&t);
	t.c_cc[VINTR] = 3;
	ASSERT_INT_EQ(ttymodes_decode(big_char, sizeof(big_char), &t), 0);
	ASSERT_INT_EQ(t.c_cc[VINTR], 3);
	ASSERT_INT_EQ(t.c_cc[VQUIT], 12);
	blank(&t);
	ASSERT_INT_EQ(ttymodes_decode(odd_speed, sizeof(odd_speed), &t), 0);
	ASSERT_INT_EQ(cfgetispeed(&t), B9600);
	ASSERT_INT_EQ(ttymodes_decode(NULL, 0, &t), 0);
	TEST_DONE();
}

static void
test_truncation(void)
{
	static const u_char modes[] = {
		OP(1, 3), OP(53, 1), OP(128, 9600), 0
	};
	struct termios t, before;
	size_t i;
	int r;

	TEST_START("truncation: boundaries fine, cut arguments refused");
	for (i = 0; i <= sizeof(modes); i++) {
		blank(&t);
		before = t;
		r = ttymodes_decode(modes, i, &t);
		if (i % 5 == 0 || i == sizeof(modes))
			ASSERT_INT_EQ(r, 0);
		else {
			ASSERT_INT_EQ(r, ERR_MESSAGE_INCOMPLETE);
			/* All or nothing. */
			ASSERT_MEM_EQ(&t, &before, sizeof(t));
		}
	}
	TEST_DONE();
}

/* The fields the encoding carries agree. */
static void
assert_same_modes(const struct termios *a, const struct termios *b)
{
	static const int chars[] = {
		VINTR, VQUIT, VERASE, VKILL, VEOF, VEOL, VEOL2, VSTART,
		VSTOP, VSUSP, VREPRINT, VWERASE, VLNEXT, VDISCARD
	};
	size_t i;

	for (i = 0; i < sizeof(chars) / sizeof(chars[0]); i++)
		ASSERT_INT_EQ(a->c_cc[chars[i]], b->c_cc[chars[i]]);
	ASSERT_U32_EQ(a->c_iflag, b->c_iflag);
	ASSERT_U32_EQ(a->c_lflag, b->c_lflag);
	ASSERT_U32_EQ(a->c_oflag, b->c_oflag);
	ASSERT_U32_EQ(a->c_cflag & (CSIZE | PARENB | PARODD),
	    b->c_cflag & (CSIZE | PARENB | PARODD));
	ASSERT_INT_EQ(cfgetispeed(a), cfgetispeed(b));
	ASSERT_INT_EQ(cfgetospeed(a), cfgetospeed(b));
}

static void
test_roundtrip(void)
{
	struct termios a, b;
	struct buf *enc;
	const u_char *p;
	uint8_t op;
	uint32_t arg;

	TEST_START("encode then decode gives the same modes");
	blank(&a);
	a.c_cc[VINTR] = 3;
	a.c_cc[VEOF] = 4;
	a.c_cc[VEOL] = _POSIX_VDISABLE;
	a.c_cc[VERASE] = 0x7f;
	a.c_iflag = ICRNL | IXON | IUTF8;
	a.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | IEXTEN | ECHOCTL;
	a.c_oflag = OPOST | ONLCR;
	a.c_cflag = CS7 | PARENB;
	cfsetispeed(&a, B38400);
	cfsetospeed(&a, B38400);
	ASSERT_PTR_NE(enc = buf_new(), NULL);
	ASSERT_INT_EQ(ttymodes_encode(&a, enc), 0);
	/* Speeds first, the stream ends with TTY_OP_END, 5 bytes a mode. */
	p = buf_ptr(enc);
	ASSERT_SIZE_T_EQ(buf_len(enc) % 5, 1);
	ASSERT_INT_EQ(p[0], TTY_OP_ISPEED);
	ASSERT_INT_EQ(p[buf_len(enc) - 1], TTY_OP_END);
	blank(&b);
	b.c_cflag = CS8;
	ASSERT_INT_EQ(ttymodes_decode(p, buf_len(enc), &b), 0);
	assert_same_modes(&a, &b);
	/* A disabled character travels as 255. */
	while (buf_get_u8(enc, &op) == 0 && op != TTY_OP_END) {
		ASSERT_INT_EQ(buf_get_u32(enc, &arg), 0);
		if (op == 6)
			ASSERT_U32_EQ(arg, 255);
		if (op == TTY_OP_ISPEED)
			ASSERT_U32_EQ(arg, 38400);
		if (op == 90 || op == 91)
			ASSERT_U32_EQ(arg, op == 90 ? 1 : 0);
	}
	ASSERT_SIZE_T_EQ(buf_len(enc), 0);
	buf_free(enc);
	TEST_DONE();
}

static void
test_speeds(void)
{
	TEST_START("baud rates");
	ASSERT_INT_EQ(ttymodes_baud_to_speed(9600), B9600);
	ASSERT_INT_EQ(ttymodes_baud_to_speed(0), B0);
	ASSERT_INT_EQ(ttymodes_baud_to_speed(9601), (speed_t)-1);
	ASSERT_U32_EQ(ttymodes_speed_to_baud(B115200), 115200);
	ASSERT_U32_EQ(ttymodes_speed_to_baud((speed_t)-1), 0);
	TEST_DONE();
}

static void
test_pty(void)
{
	static const u_char modes[] = { OP(53, 0), OP(1, 24), 0 };
	struct termios t;
	struct buf *enc;
	int master, slave;

	TEST_START("apply to a pty, encode from it");
	ASSERT_INT_EQ(openpty(&master, &slave, NULL, NULL, NULL), 0);
	ASSERT_INT_EQ(tcgetattr(slave, &t), 0);
	ASSERT_INT_NE(t.c_lflag & ECHO, 0);
	ASSERT_INT_EQ(ttymodes_apply_fd(slave, modes, sizeof(modes)), 0);
	ASSERT_INT_EQ(tcgetattr(slave, &t), 0);
	ASSERT_INT_EQ(t.c_lflag & ECHO, 0);
	ASSERT_INT_EQ(t.c_cc[VINTR], 24);
	ASSERT_PTR_NE(enc = buf_new(), NULL);
	ASSERT_INT_EQ(ttymodes_encode_fd(slave, enc), 0);
	ASSERT_SIZE_T_GT(buf_len(enc), 100);
	buf_reset(enc);
	/* Not a terminal: just the end. */
	ASSERT_INT_EQ(ttymodes_encode_fd(-1, enc), 0);
	ASSERT_SIZE_T_EQ(buf_len(enc), 1);
	buf_free(enc);
	close(master);
	close(slave);
	TEST_DONE();
}

void
tests(void)
{
	test_vectors();
	test_parse_rules();
	test_truncation();
	test_roundtrip();
	test_speeds();
	test_pty();
}
