/* test_ext.c: the EXTENSION requests (query, session-bind@openssh.com). */
#include "includes.h"

#include "../test_helper/test_helper.h"
#include "agent.h"
#include "agent-server.h"
#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "test_agent.h"

static void
test_query(void)
{
	struct ta_fixture f;
	struct buf *req, *reply;
	char *name;
	uint8_t type;
	int saw_bind = 0, n = 0;

	TEST_START("agent query extension");
	ta_fixture_init(&f, 0);
	req = ta_msg_string(AGENTC_EXTENSION, "query");
	reply = ta_process(&f, req);
	ASSERT_INT_EQ(buf_get_u8(reply, &type), 0);
	ASSERT_U8_EQ(type, AGENT_EXTENSION_RESPONSE);
	ASSERT_INT_EQ(buf_get_cstring(reply, &name, NULL), 0);
	ASSERT_STRING_EQ(name, "query");
	free(name);
	while (buf_len(reply) > 0) {
		ASSERT_INT_EQ(buf_get_cstring(reply, &name, NULL), 0);
		if (strcmp(name, "session-bind@openssh.com") == 0)
			saw_bind = 1;
		free(name);
		n++;
	}
	ASSERT_INT_EQ(saw_bind, 1);
	ASSERT_INT_GE(n, 2);
	buf_free(req);
	buf_free(reply);
	TEST_DONE();

	TEST_START("agent unknown extension");
	req = ta_msg_string(AGENTC_EXTENSION, "nosuch@example.com");
	ta_expect_status(&f, req, AGENT_FAILURE);
	buf_free(req);
	req = ta_msg_string(AGENTC_EXTENSION, "query");
	ASSERT_INT_EQ(buf_put_u8(req, 0), 0);	/* query takes nothing */
	ta_expect_status(&f, req, AGENT_FAILURE);
	buf_free(req);
	TEST_DONE();
	ta_fixture_done(&f);
}

/* A session-bind request for sid, signed by hostkey (or by signer). */
static struct buf *
bind_msg(const struct key *hostkey, const struct key *signer,
    const u_char *sid, size_t sidlen, int fwd)
{
	struct buf *b;
	u_char *sig;
	size_t siglen;

	ASSERT_INT_EQ(key_sign(signer, &sig, &siglen, sid, sidlen, NULL), 0);
	b = ta_msg_string(AGENTC_EXTENSION, "session-bind@openssh.com");
	ASSERT_INT_EQ(key_puts(hostkey, b), 0);
	ASSERT_INT_EQ(buf_put_string(b, sid, sidlen), 0);
	ASSERT_INT_EQ(buf_put_string(b, sig, siglen), 0);
	ASSERT_INT_EQ(buf_put_u8(b, fwd), 0);
	free(sig);
	return b;
}

static void
test_bind(void)
{
	struct ta_fixture f;
	struct buf *req;
	u_char sid[32], sid2[32];
	size_t i;

	arc4random_buf(sid, sizeof(sid));
	arc4random_buf(sid2, sizeof(sid2));

	TEST_START("agent session-bind with each host key type");
	for (i = 0; i < TA_NKEYS; i++) {
		ta_fixture_init(&f, 0);
		req = bind_msg(ta_keys[i], ta_keys[i], sid, sizeof(sid), 0);
		ta_expect_status(&f, req, AGENT_SUCCESS);
		ASSERT_SIZE_T_EQ(agent_conn_nbindings(f.c), 1);
		buf_free(req);
		ta_fixture_done(&f);
	}
	TEST_DONE();

	TEST_START("agent session-bind bad signature");
	ta_fixture_init(&f, 0);
	req = bind_msg(ta_keys[0], ta_keys[1], sid, sizeof(sid), 1);
	ta_expect_status(&f, req, AGENT_FAILURE);
	buf_free(req);
	req = bind_msg(ta_keys[1], ta_keys[1], sid, 0, 1);	/* empty sid */
	ta_expect_status(&f, req, AGENT_FAILURE);
	buf_free(req);
	ASSERT_SIZE_T_EQ(agent_conn_nbindings(f.c), 0);
	TEST_DONE();

	TEST_START("agent session-bind forwarding chain");
	req = bind_msg(ta_keys[0], ta_keys[0], sid, sizeof(sid), 1);
	ta_expect_status(&f, req, AGENT_SUCCESS);
	ta_expect_status(&f, req, AGENT_SUCCESS);	/* the same again */
	buf_free(req);
	ASSERT_SIZE_T_EQ(agent_conn_nbindings(f.c), 1);
	/* The same session id with another host key. */
	req = bind_msg(ta_keys[1], ta_keys[1], sid, sizeof(sid), 1);
	ta_expect_status(&f, req, AGENT_FAILURE);
	buf_free(req);
	/* A new hop, then authentication. */
	req = bind_msg(ta_keys[1], ta_keys[1], sid2, sizeof(sid2), 0);
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	ASSERT_SIZE_T_EQ(agent_conn_nbindings(f.c), 2);
	/* Bound for authentication: nothing more. */
	sid[0] ^= 1;
	req = bind_msg(ta_keys[2], ta_keys[2], sid, sizeof(sid), 1);
	ta_expect_status(&f, req, AGENT_FAILURE);
	buf_free(req);
	ASSERT_SIZE_T_EQ(agent_conn_nbindings(f.c), 2);
	ta_fixture_done(&f);
	TEST_DONE();

	TEST_START("agent session-bind table is bounded");
	ta_fixture_init(&f, 0);
	for (i = 0; i < AGENT_SERVER_MAX_BINDINGS + 2; i++) {
		sid[0] = (u_char)i;
		req = bind_msg(ta_keys[0], ta_keys[0], sid, sizeof(sid), 1);
		ta_expect_status(&f, req, i < AGENT_SERVER_MAX_BINDINGS ?
		    AGENT_SUCCESS : AGENT_FAILURE);
		buf_free(req);
	}
	ASSERT_SIZE_T_EQ(agent_conn_nbindings(f.c),
	    AGENT_SERVER_MAX_BINDINGS);
	ta_fixture_done(&f);
	TEST_DONE();

	TEST_START("agent session-bind bad forwarding flag");
	ta_fixture_init(&f, 0);
	req = bind_msg(ta_keys[0], ta_keys[0], sid, sizeof(sid), 2);
	ta_expect_status(&f, req, AGENT_FAILURE);
	buf_free(req);
	ta_fixture_done(&f);
	TEST_DONE();
}

void
test_server_ext(void)
{
	test_query();
	test_bind();
}
