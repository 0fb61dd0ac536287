/*
 * test_exec.c: exec sessions: output, exit codes, stderr, big data both
 * ways, EOF ordering, exit-signal.
 */
#include "includes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#include "../test_helper/test_helper.h"
#include "test_serverloop.h"

#define CONF_BASE \
	"PermitUserRC no\nPrintMotd no\nPrintLastLog no\n" \
	"AcceptEnv FOO_*\nSubsystem sftp internal-sftp\n"

static void
check_text(struct tc *tc, const char *cmd, const char *want_out,
    const char *want_err, int want_status)
{
	struct ts ts;
	struct buf *b;
	char *s;

	ts_run(tc, &ts, cmd, NULL, 0);
	s = ts_outstr(&ts);
	ASSERT_STRING_EQ(s, want_out);
	free(s);
	b = ts_err(&ts);
	ASSERT_SIZE_T_EQ(buf_len(b), strlen(want_err));
	ASSERT_MEM_EQ(buf_ptr(b), want_err, strlen(want_err));
	buf_free(b);
	if (ts.have_status != 1)
		fprintf(stderr, "events %s signal %d\n", ts.events,
		    ts.have_signal);
	ASSERT_INT_EQ(ts.have_status, 1);
	ASSERT_INT_EQ(ts.have_signal, 0);
	ASSERT_INT_EQ(ts.status, want_status);
	/* EOF, then exit-status, then the close. */
	ASSERT_STRING_EQ(ts.events, "EXC");
}

static void
check_big(struct tc *tc, size_t len)
{
	struct ts ts;
	struct buf *b;
	u_char *data;
	size_t i;

	ASSERT_PTR_NE(data = malloc(len), NULL);
	for (i = 0; i < len; i++)
		data[i] = (u_char)(i * 7 + (i >> 9));
	ts_run(tc, &ts, "cat", data, len);
	b = ts_out(&ts);
	ASSERT_SIZE_T_EQ(buf_len(b), len);
	ASSERT_MEM_EQ(buf_ptr(b), data, len);
	buf_free(b);
	ASSERT_INT_EQ(ts.have_status, 1);
	ASSERT_INT_EQ(ts.status, 0);
	free(data);
}

void
test_serverloop_exec(void)
{
	struct tc *tc;
	struct ts ts;
	char *s;

	TEST_START("serverloop exec echo");
	tc = tc_new(CONF_BASE);
	check_text(tc, "echo hello", "hello\n", "", 0);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();

	TEST_START("serverloop exit status values");
	tc = tc_new(CONF_BASE);
	check_text(tc, "exit 3", "", "", 3);
	check_text(tc, "exit 255", "", "", 255);
	check_text(tc, "false", "", "", 1);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();

	TEST_START("serverloop stderr separate");
	tc = tc_new(CONF_BASE);
	check_text(tc, "echo out; echo err >&2; echo out2; exit 7",
	    "out\nout2\n", "err\n", 7);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();

	TEST_START("serverloop tail bytes after EOF");
	tc = tc_new(CONF_BASE);
	ts_run(tc, &ts, "cat; sleep 0.2; echo tail; echo etail >&2",
	    "abc", 3);
	s = ts_outstr(&ts);
	ASSERT_STRING_EQ(s, "abctail\n");
	free(s);
	ASSERT_INT_EQ(ts.status, 0);
	ASSERT_STRING_EQ(ts.events, "EXC");
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();

	TEST_START("serverloop output of a job left running");
	tc = tc_new(CONF_BASE);
	check_text(tc, "(sleep 0.3; echo late) & echo early; exit 2",
	    "early\nlate\n", "", 2);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();

	TEST_START("serverloop big data both ways");
	tc = tc_new(CONF_BASE);
	check_big(tc, 0);
	check_big(tc, 1);
	check_big(tc, 5 * 1024 * 1024 + 17);	/* past the windows */
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();

	TEST_START("serverloop exit-signal");
	tc = tc_new(CONF_BASE);
	ts_run(tc, &ts, "echo before; kill -TERM $$", NULL, 0);
	s = ts_outstr(&ts);
	ASSERT_STRING_EQ(s, "before\n");
	free(s);
	ASSERT_INT_EQ(ts.have_status, 0);
	ASSERT_INT_EQ(ts.have_signal, 1);
	ASSERT_STRING_EQ(ts.signame, "TERM");
	ASSERT_INT_EQ(ts.core, 0);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();
}
