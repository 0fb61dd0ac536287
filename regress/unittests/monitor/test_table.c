/*
 * test_table.c: the request table and the checks monitor_dispatch makes
 * before any handler runs: phases, ONCE, NEEDUSER, AUTHDECIDE, unknown
 * types.
 */
#include "includes.h"

#include "../test_helper/test_helper.h"
#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "monitor.h"
#include "test_monitor.h"

static void
expect_row(uint8_t type, uint8_t answer, u_int phases, u_int flags)
{
	const struct monitor_request *rq;

	ASSERT_PTR_NE(rq = monitor_request_lookup(type), NULL);
	ASSERT_U8_EQ(rq->type, type);
	ASSERT_U8_EQ(rq->answer, answer);
	ASSERT_U32_EQ(rq->phases, phases);
	ASSERT_U32_EQ(rq->flags, flags);
	ASSERT_PTR_NE(rq->handler, NULL);
}

static void
test_rows(void)
{
	u_int t, n = 0;

	TEST_START("table rows");
	expect_row(MONITOR_REQ_LOG, 0, MON_PHASE_PREAUTH | MON_PHASE_POSTAUTH,
	    MON_NOANSWER);
	expect_row(MONITOR_REQ_PWNAM, MONITOR_ANS_PWNAM, MON_PHASE_PREAUTH,
	    MON_ONCE);
	expect_row(MONITOR_REQ_AUTHPASSWORD, MONITOR_ANS_AUTHPASSWORD,
	    MON_PHASE_PREAUTH, MON_NEEDUSER | MON_AUTHDECIDE);
	expect_row(MONITOR_REQ_KEYALLOWED, MONITOR_ANS_KEYALLOWED,
	    MON_PHASE_PREAUTH, MON_NEEDUSER);
	expect_row(MONITOR_REQ_SIGN, MONITOR_ANS_SIGN,
	    MON_PHASE_PREAUTH | MON_PHASE_POSTAUTH, 0);
	expect_row(MONITOR_REQ_PTY, MONITOR_ANS_PTY, MON_PHASE_POSTAUTH,
	    MON_NEEDUSER);
	expect_row(MONITOR_REQ_AUTHINFO, MONITOR_ANS_AUTHINFO,
	    MON_PHASE_PREAUTH, MON_NEEDUSER | MON_ONCE);
	expect_row(MONITOR_REQ_KEYVERIFY, MONITOR_ANS_KEYVERIFY,
	    MON_PHASE_PREAUTH, MON_NEEDUSER | MON_AUTHDECIDE);
	expect_row(MONITOR_REQ_STATE, MONITOR_ANS_STATE, MON_PHASE_PREAUTH,
	    MON_ONCE);
	expect_row(MONITOR_REQ_LOGIN, MONITOR_ANS_LOGIN, MON_PHASE_POSTAUTH,
	    MON_NEEDUSER);
	expect_row(MONITOR_REQ_LOGOUT, MONITOR_ANS_LOGOUT,
	    MON_PHASE_POSTAUTH, MON_NEEDUSER);
	/* Nothing else is in the table, answers are not requests. */
	for (t = 0; t < 256; t++) {
		if (monitor_request_lookup((uint8_t)t) != NULL)
			n++;
	}
	ASSERT_INT_EQ(n, 11);
	ASSERT_PTR_EQ(monitor_request_lookup(MONITOR_ANS_PWNAM), NULL);
	ASSERT_PTR_EQ(monitor_request_lookup(0), NULL);
	TEST_DONE();
}

/* Every type the table lacks is refused in both phases. */
static void
test_unknown(void)
{
	struct monitor_options o;
	struct monitor *m;
	struct buf *req, *ans;
	uint8_t anstype;
	u_int t;

	TEST_START("unknown request types are refused");
	tm_default_opts(&o);
	m = tm_monitor(&o);
	req = tm_req_empty();
	for (t = 0; t < 256; t++) {
		if (monitor_request_lookup((uint8_t)t) != NULL)
			continue;
		ASSERT_INT_EQ(tm_dispatch(m, (uint8_t)t, req, &ans, &anstype),
		    ERR_PROTOCOL_ERROR);
		ASSERT_U8_EQ(anstype, 0);
		buf_free(ans);
	}
	monitor_set_phase(m, MON_PHASE_POSTAUTH);
	ASSERT_INT_EQ(tm_dispatch(m, MONITOR_ANS_SIGN, req, &ans, &anstype),
	    ERR_PROTOCOL_ERROR);
	buf_free(ans);
	buf_free(req);
	monitor_free(m);
	TEST_DONE();
}

static void
test_phases(void)
{
	struct monitor_options o;
	struct monitor *m;
	struct buf *req, *ans;
	uint8_t anstype;

	TEST_START("phase flags are enforced");
	tm_default_opts(&o);
	m = tm_monitor(&o);
	ASSERT_U32_EQ(monitor_phase(m), MON_PHASE_PREAUTH);
	/* PTY is post-auth only, even with a user. */
	req = tm_req_pwnam("alice");
	buf_free(tm_ok(m, MONITOR_REQ_PWNAM, req, MONITOR_ANS_PWNAM));
	buf_free(req);
	req = tm_req_empty();
	ASSERT_INT_EQ(tm_dispatch(m, MONITOR_REQ_PTY, req, &ans, &anstype),
	    ERR_PROTOCOL_ERROR);
	ASSERT_INT_EQ(tm_stub.pty_calls, 0);
	buf_free(ans);
	buf_free(req);
	/* Post-auth: no more user lookups, passwords or key queries. */
	monitor_set_phase(m, MON_PHASE_POSTAUTH);
	req = tm_req_pwnam("bob");
	ASSERT_INT_EQ(tm_dispatch(m, MONITOR_REQ_PWNAM, req, &ans, &anstype),
	    ERR_PROTOCOL_ERROR);
	buf_free(ans);
	buf_free(req);
	req = tm_req_password("secret");
	ASSERT_INT_EQ(tm_dispatch(m, MONITOR_REQ_AUTHPASSWORD, req, &ans,
	    &anstype), ERR_PROTOCOL_ERROR);
	buf_free(ans);
	buf_free(req);
	req = tm_req_keyallowed(tm_userkey);
	ASSERT_INT_EQ(tm_dispatch(m, MONITOR_REQ_KEYALLOWED, req, &ans,
	    &anstype), ERR_PROTOCOL_ERROR);
	buf_free(ans);
	buf_free(req);
	ASSERT_INT_EQ(monitor_authenticated(m), 0);
	/* LOG stays allowed. */
	req = tm_req_log(LOG_LEVEL_DEBUG3, "still here");
	ASSERT_INT_EQ(tm_dispatch(m, MONITOR_REQ_LOG, req, &ans, &anstype), 0);
	ASSERT_U8_EQ(anstype, 0);
	ASSERT_SIZE_T_EQ(buf_len(ans), 0);
	buf_free(ans);
	buf_free(req);
	monitor_free(m);
	TEST_DONE();
}

static void
test_once_and_needuser(void)
{
	struct monitor_options o;
	struct monitor *m;
	struct buf *req, *ans;
	uint8_t anstype;

	TEST_START("ONCE and NEEDUSER are enforced");
	tm_default_opts(&o);
	m = tm_monitor(&o);
	/* No password or key question before the user is named. */
	req = tm_req_password("secret");
	ASSERT_INT_EQ(tm_dispatch(m, MONITOR_REQ_AUTHPASSWORD, req, &ans,
	    &anstype), ERR_PROTOCOL_ERROR);
	ASSERT_INT_EQ(tm_stub.password_calls, 0);
	buf_free(ans);
	buf_free(req);
	req = tm_req_keyallowed(tm_userkey);
	ASSERT_INT_EQ(tm_dispatch(m, MONITOR_REQ_KEYALLOWED, req, &ans,
	    &anstype), ERR_PROTOCOL_ERROR);
	buf_free(ans);
	buf_free(req);
	/* The user is named once; a second PWNAM, even the same, fails. */
	req = tm_req_pwnam("alice");
	buf_free(tm_ok(m, MONITOR_REQ_PWNAM, req, MONITOR_ANS_PWNAM));
	ASSERT_INT_EQ(tm_dispatch(m, MONITOR_REQ_PWNAM, req, &ans, &anstype),
	    ERR_PROTOCOL_ERROR);
	buf_free(ans);
	buf_free(req);
	monitor_free(m);

	/* A failed (malformed) PWNAM still uses up the request. */
	m = tm_monitor(&o);
	req = tm_req_pwnam("alice");
	ASSERT_INT_EQ(buf_put_u8(req, 0), 0);
	ASSERT_INT_EQ(tm_dispatch(m, MONITOR_REQ_PWNAM, req, &ans, &anstype),
	    ERR_UNEXPECTED_TRAILING_DATA);
	buf_free(ans);
	buf_free(req);
	req = tm_req_pwnam("alice");
	ASSERT_INT_EQ(tm_dispatch(m, MONITOR_REQ_PWNAM, req, &ans, &anstype),
	    ERR_PROTOCOL_ERROR);
	buf_free(ans);
	buf_free(req);
	monitor_free(m);
	TEST_DONE();
}

static void
test_authdecide(void)
{
	struct monitor_options o;
	struct monitor *m;
	struct buf *req, *ans;
	uint8_t anstype;

	TEST_START("only AUTHDECIDE requests authenticate, once");
	tm_default_opts(&o);
	m = tm_monitor(&o);
	req = tm_req_pwnam("alice");
	buf_free(tm_ok(m, MONITOR_REQ_PWNAM, req, MONITOR_ANS_PWNAM));
	buf_free(req);
	/* An allowed key is not an authentication. */
	req = tm_req_keyallowed(tm_userkey);
	buf_free(tm_ok(m, MONITOR_REQ_KEYALLOWED, req,
	    MONITOR_ANS_KEYALLOWED));
	buf_free(req);
	ASSERT_INT_EQ(monitor_authenticated(m), 0);
	req = tm_req_password("secret");
	buf_free(tm_ok(m, MONITOR_REQ_AUTHPASSWORD, req,
	    MONITOR_ANS_AUTHPASSWORD));
	ASSERT_INT_EQ(monitor_authenticated(m), 1);
	ASSERT_PTR_NE(monitor_user(m), NULL);
	/* No deciding request after the decision. */
	ASSERT_INT_EQ(tm_dispatch(m, MONITOR_REQ_AUTHPASSWORD, req, &ans,
	    &anstype), ERR_PROTOCOL_ERROR);
	buf_free(ans);
	buf_free(req);
	monitor_free(m);
	TEST_DONE();
}

void
test_table(void)
{
	test_rows();
	test_unknown();
	test_phases();
	test_once_and_needuser();
	test_authdecide();
}
