/*
 * test_escape.c: the escape-sequence scanner (clientloop-impl.h) as a
 * pure function: bytes in, bytes to send and commands out.
 */
#include "includes.h"

#include "../test_helper/test_helper.h"
#include "buf.h"
#include "clientloop-impl.h"
#include "errcode.h"
#include "test_clientloop.h"

/*
 * Run the whole of in through the scanner, one call per command, in
 * chunks of at most chunk bytes: the bytes to send go to *outp, the
 * commands to acts (as letters: . Z # ? C R B), NUL-terminated.
 */
static void
scan_all(struct cl_esc *e, const char *in, size_t chunk, struct buf *out,
    char *acts, size_t actsz)
{
	static const char letters[] = "-.Z#?CRB";
	enum cl_esc_action act;
	size_t len = strlen(in), off = 0, n, used, na = 0;

	while (off < len) {
		n = MINIMUM(chunk, len - off);
		ASSERT_INT_EQ(cl_esc_scan(e, (const u_char *)in + off, n, out,
		    &used, &act), 0);
		ASSERT_TRUE(used <= n);
		if (act == CL_ESC_NONE)
			ASSERT_SIZE_T_EQ(used, n);
		else {
			ASSERT_TRUE(na + 1 < actsz);
			acts[na++] = letters[act];
		}
		off += used;
	}
	acts[na] = '\0';
}

static void
check(int esc, const char *in, const char *want_out, const char *want_acts)
{
	struct cl_esc e;
	struct buf *out;
	char acts[64];
	size_t chunk;

	/* Every chunking gives the same result. */
	for (chunk = 1; chunk <= strlen(in) + 1; chunk++) {
		ASSERT_PTR_NE(out = buf_new(), NULL);
		cl_esc_init(&e, esc);
		scan_all(&e, in, chunk, out, acts, sizeof(acts));
		ASSERT_SIZE_T_EQ(buf_len(out), strlen(want_out));
		ASSERT_MEM_EQ(buf_ptr(out), want_out, strlen(want_out));
		ASSERT_STRING_EQ(acts, want_acts);
		buf_free(out);
	}
}

void
test_escape(void)
{
	struct buf *b;

	TEST_START("escape: plain bytes pass");
	check('~', "hello world\n", "hello world\n", "");
	check('~', "a~b~c", "a~b~c", "");
	TEST_DONE();

	TEST_START("escape: ~. at start and after newline");
	check('~', "~.", "", ".");
	check('~', "ls\n~.", "ls\n", ".");
	check('~', "ls\r~.", "ls\r", ".");
	check('~', "ls~.", "ls~.", "");
	TEST_DONE();

	TEST_START("escape: every command");
	check('~', "~\x1a", "", "Z");
	check('~', "~#~?~C~R~B", "", "#?CRB");
	check('~', "x\n~#y", "x\ny", "#");
	TEST_DONE();

	TEST_START("escape: ~~ sends one, then not at line start");
	check('~', "~~", "~", "");
	check('~', "~~.", "~.", "");
	check('~', "\n~~~.", "\n~~.", "");
	TEST_DONE();

	TEST_START("escape: unknown command sends both bytes");
	check('~', "~x", "~x", "");
	check('~', "~\n~.", "~\n", ".");
	check('~', "~a~.", "~a~.", "");
	TEST_DONE();

	TEST_START("escape: other escape characters");
	check('%', "%.", "", ".");
	check('%', "~.", "~.", "");
	check('%', "%%", "%", "");
	check(0x1d, "\x1d.", "", ".");
	TEST_DONE();

	TEST_START("escape: state carries across calls");
	{
		struct cl_esc e;
		enum cl_esc_action act;
		size_t used;

		ASSERT_PTR_NE(b = buf_new(), NULL);
		cl_esc_init(&e, '~');
		ASSERT_INT_EQ(cl_esc_scan(&e, (const u_char *)"abc\n~", 5, b,
		    &used, &act), 0);
		ASSERT_SIZE_T_EQ(used, 5);
		ASSERT_INT_EQ(act, CL_ESC_NONE);
		ASSERT_SIZE_T_EQ(buf_len(b), 4);
		ASSERT_INT_EQ(cl_esc_scan(&e, (const u_char *)".rest", 5, b,
		    &used, &act), 0);
		ASSERT_SIZE_T_EQ(used, 1);
		ASSERT_INT_EQ(act, CL_ESC_DISCONNECT);
		/* After a command the line state is unchanged: ~? again. */
		ASSERT_INT_EQ(cl_esc_scan(&e, (const u_char *)"~?", 2, b,
		    &used, &act), 0);
		ASSERT_INT_EQ(act, CL_ESC_HELP);
		buf_free(b);
	}
	TEST_DONE();

	TEST_START("escape: help and command line texts");
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(cl_esc_help('~', b), 0);
	ASSERT_INT_EQ(buf_find(b, 0, " ~.", 3, NULL), 0);
	ASSERT_INT_EQ(buf_find(b, 0, "escapes are only recognized", 27,
	    NULL), 0);
	buf_reset(b);
	ASSERT_INT_EQ(cl_esc_cmdline("", b), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	ASSERT_INT_EQ(cl_esc_cmdline("  help", b), 0);
	ASSERT_INT_EQ(buf_find(b, 0, "Commands:", 9, NULL), 0);
	buf_reset(b);
	ASSERT_INT_EQ(cl_esc_cmdline("-L 8080:localhost:80", b), 0);
	ASSERT_INT_EQ(buf_find(b, 0, "not supported", 13, NULL), 0);
	buf_reset(b);
	ASSERT_INT_EQ(cl_esc_cmdline("-KR 8080", b), 0);
	ASSERT_INT_EQ(buf_find(b, 0, "not supported", 13, NULL), 0);
	buf_reset(b);
	ASSERT_INT_EQ(cl_esc_cmdline("frobnicate", b), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), strlen("Invalid command.\r\n"));
	ASSERT_MEM_EQ(buf_ptr(b), "Invalid command.\r\n", buf_len(b));
	buf_reset(b);
	ASSERT_INT_EQ(cl_esc_cmdline("-", b), 0);
	ASSERT_MEM_EQ(buf_ptr(b), "Invalid command.\r\n", buf_len(b));
	buf_free(b);
	TEST_DONE();
}
