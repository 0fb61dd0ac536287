/* test_server.c: agent requests answered by agent-server.c. */
#include "includes.h"

#include "../test_helper/test_helper.h"
#include "agent.h"
#include "agent-server.h"
#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "test_agent.h"

static void
test_list(void)
{
	struct ta_fixture f;
	struct buf *req, *reply;
	struct key *k;
	char *comment;
	uint8_t type;
	uint32_t n, i;

	TEST_START("agent list empty");
	ta_fixture_init(&f, 0);
	ASSERT_U32_EQ(ta_count(&f), 0);
	TEST_DONE();

	TEST_START("agent add and list every key type");
	ta_add_all(&f);
	ASSERT_SIZE_T_EQ(agent_state_nkeys(f.s), TA_NKEYS);
	req = ta_msg_type(AGENTC_REQUEST_IDENTITIES);
	reply = ta_process(&f, req);
	ASSERT_INT_EQ(buf_get_u8(reply, &type), 0);
	ASSERT_U8_EQ(type, AGENT_IDENTITIES_ANSWER);
	ASSERT_INT_EQ(buf_get_u32(reply, &n), 0);
	ASSERT_U32_EQ(n, TA_NKEYS);
	for (i = 0; i < n; i++) {
		ASSERT_INT_EQ(key_froms(reply, &k), 0);
		ASSERT_INT_EQ(buf_get_cstring(reply, &comment, NULL), 0);
		ASSERT_INT_EQ(key_is_private(k), 0);
		ASSERT_INT_EQ(key_equal_public(k, ta_keys[i]), 1);
		ASSERT_STRING_EQ(comment, ta_key_names[i]);
		key_free(k);
		free(comment);
	}
	ASSERT_SIZE_T_EQ(buf_len(reply), 0);
	buf_free(req);
	buf_free(reply);
	TEST_DONE();

	TEST_START("agent add again replaces");
	req = ta_msg_add(ta_keys[0], "renamed", 0, 0);
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	ASSERT_U32_EQ(ta_count(&f), TA_NKEYS);
	req = ta_msg_type(AGENTC_REQUEST_IDENTITIES);
	reply = ta_process(&f, req);
	ASSERT_INT_EQ(buf_get(reply, NULL, 5), 0);
	ASSERT_INT_EQ(buf_get_string(reply, NULL, NULL), 0);
	ASSERT_INT_EQ(buf_get_cstring(reply, &comment, NULL), 0);
	ASSERT_STRING_EQ(comment, "renamed");
	free(comment);
	buf_free(req);
	buf_free(reply);
	TEST_DONE();
	ta_fixture_done(&f);
}

/* Sign data with key i through the agent; return the signature blob. */
static struct buf *
sign(struct ta_fixture *f, size_t i, const u_char *data, size_t len,
    uint32_t flags)
{
	struct buf *req, *reply, *sig;
	uint8_t type;

	req = ta_msg_sign(ta_keys[i], data, len, flags);
	reply = ta_process(f, req);
	ASSERT_INT_EQ(buf_get_u8(reply, &type), 0);
	ASSERT_U8_EQ(type, AGENT_SIGN_RESPONSE);
	ASSERT_PTR_NE(sig = buf_new(), NULL);
	ASSERT_INT_EQ(buf_get_stringb(reply, sig), 0);
	ASSERT_SIZE_T_EQ(buf_len(reply), 0);
	buf_free(req);
	buf_free(reply);
	return sig;
}

static void
check_sig(size_t i, const struct buf *sig, const u_char *data, size_t len,
    const char *alg)
{
	char *got;

	ASSERT_INT_EQ(key_verify(ta_keys[i], buf_ptr(sig), buf_len(sig),
	    data, len, alg), 0);
	ASSERT_INT_EQ(key_sig_alg(buf_ptr(sig), buf_len(sig), &got), 0);
	if (alg != NULL)
		ASSERT_STRING_EQ(got, alg);
	free(got);
}

static void
test_sign(void)
{
	static const struct {
		uint32_t flags;
		const char *alg;
	} rsa[] = {
		{ 0, "ssh-rsa" },
		{ AGENT_SIGN_RSA_SHA2_256, "rsa-sha2-256" },
		{ AGENT_SIGN_RSA_SHA2_512, "rsa-sha2-512" },
		{ AGENT_SIGN_RSA_SHA2_256 | AGENT_SIGN_RSA_SHA2_512,
		    "rsa-sha2-512" },
	};
	struct ta_fixture f;
	struct buf *sig, *req;
	u_char data[200];
	size_t i;

	arc4random_buf(data, sizeof(data));
	ta_fixture_init(&f, 0);
	ta_add_all(&f);
	TEST_START("agent sign with every key type");
	for (i = 0; i < TA_NKEYS; i++) {
		sig = sign(&f, i, data, sizeof(data),
		    key_type(ta_keys[i]) == KEY_RSA ?
		    AGENT_SIGN_RSA_SHA2_256 : 0);
		check_sig(i, sig, data, sizeof(data), key_type(ta_keys[i]) ==
		    KEY_RSA ? "rsa-sha2-256" : NULL);
		buf_free(sig);
	}
	TEST_DONE();

	TEST_START("agent sign rsa flags");
	for (i = 0; i < sizeof(rsa) / sizeof(*rsa); i++) {
		sig = sign(&f, TA_NKEYS - 1, data, sizeof(data), rsa[i].flags);
		check_sig(TA_NKEYS - 1, sig, data, sizeof(data), rsa[i].alg);
		buf_free(sig);
	}
	TEST_DONE();

	TEST_START("agent sign flags ignored for non-rsa");
	sig = sign(&f, 0, data, sizeof(data), AGENT_SIGN_RSA_SHA2_512);
	check_sig(0, sig, data, sizeof(data), "ssh-ed25519");
	buf_free(sig);
	TEST_DONE();

	TEST_START("agent sign empty data");
	sig = sign(&f, 1, data, 0, 0);
	check_sig(1, sig, data, 0, NULL);
	buf_free(sig);
	TEST_DONE();

	TEST_START("agent sign with unknown key");
	req = ta_msg_blob(AGENTC_REMOVE_IDENTITY, ta_keys[2]);
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	req = ta_msg_sign(ta_keys[2], data, sizeof(data), 0);
	ta_expect_status(&f, req, AGENT_FAILURE);
	buf_free(req);
	TEST_DONE();
	ta_fixture_done(&f);
}

static void
test_remove(void)
{
	struct ta_fixture f;
	struct buf *req;

	ta_fixture_init(&f, 0);
	ta_add_all(&f);
	TEST_START("agent remove");
	req = ta_msg_blob(AGENTC_REMOVE_IDENTITY, ta_keys[1]);
	ta_expect_status(&f, req, AGENT_SUCCESS);
	ASSERT_U32_EQ(ta_count(&f), TA_NKEYS - 1);
	ta_expect_status(&f, req, AGENT_FAILURE);
	buf_free(req);
	ASSERT_U32_EQ(ta_count(&f), TA_NKEYS - 1);
	TEST_DONE();

	TEST_START("agent protocol 1 remove all is a no-op");
	req = ta_msg_type(AGENTC_REMOVE_ALL_RSA_IDENTITIES);
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	ASSERT_U32_EQ(ta_count(&f), TA_NKEYS - 1);
	TEST_DONE();

	TEST_START("agent remove all");
	req = ta_msg_type(AGENTC_REMOVE_ALL_IDENTITIES);
	ta_expect_status(&f, req, AGENT_SUCCESS);
	ASSERT_U32_EQ(ta_count(&f), 0);
	ASSERT_SIZE_T_EQ(agent_state_nkeys(f.s), 0);
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	TEST_DONE();
	ta_fixture_done(&f);
}

static void
test_lifetime(void)
{
	struct ta_fixture f;
	struct buf *req;

	ta_fixture_init(&f, 0);
	TEST_START("agent key lifetime");
	req = ta_msg_add(ta_keys[0], "short", 10, 0);
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	req = ta_msg_add(ta_keys[1], "long", 100, 0);
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	req = ta_msg_add(ta_keys[2], "forever", 0, 0);
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	ASSERT_U64_EQ(agent_state_expire(f.s), 10);
	f.now += 9;
	ASSERT_U32_EQ(ta_count(&f), 3);
	ASSERT_U64_EQ(agent_state_expire(f.s), 1);
	f.now += 1;
	ASSERT_U32_EQ(ta_count(&f), 2);
	ASSERT_U64_EQ(agent_state_expire(f.s), 90);
	f.now += 1000;
	ASSERT_U32_EQ(ta_count(&f), 1);
	ASSERT_U64_EQ(agent_state_expire(f.s), 0);
	TEST_DONE();

	TEST_START("agent default lifetime");
	agent_state_set_default_lifetime(f.s, 5);
	req = ta_msg_add(ta_keys[3], "default", 0, 0);
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	req = ta_msg_add(ta_keys[0], "explicit", 50, 0);
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	ASSERT_U32_EQ(ta_count(&f), 3);
	f.now += 5;
	ASSERT_U32_EQ(ta_count(&f), 2);
	f.now += 45;
	ASSERT_U32_EQ(ta_count(&f), 1);
	TEST_DONE();
	ta_fixture_done(&f);
}

static void
test_confirm(void)
{
	struct ta_fixture f;
	struct buf *req;
	u_char data[32] = { 0 };

	TEST_START("agent confirm allowed");
	ta_fixture_init(&f, 1);
	req = ta_msg_add(ta_keys[0], "needs-ok", 0, 1);
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	req = ta_msg_sign(ta_keys[0], data, sizeof(data), 0);
	f.confirm_answer = 0;
	buf_free(sign(&f, 0, data, sizeof(data), 0));
	ASSERT_INT_EQ(f.confirm_calls, 1);
	ASSERT_PTR_NE(f.last_prompt, NULL);
	ASSERT_PTR_NE(strstr(f.last_prompt, "Allow use of key needs-ok?"),
	    NULL);
	ASSERT_PTR_NE(strstr(f.last_prompt, "Key fingerprint SHA256:"), NULL);
	TEST_DONE();

	TEST_START("agent confirm refused");
	f.confirm_answer = -1;
	ta_expect_status(&f, req, AGENT_FAILURE);
	ASSERT_INT_EQ(f.confirm_calls, 2);
	TEST_DONE();

	TEST_START("agent unconstrained key asks nothing");
	buf_free(req);
	req = ta_msg_add(ta_keys[1], "free", 0, 0);
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	buf_free(sign(&f, 1, data, sizeof(data), 0));
	ASSERT_INT_EQ(f.confirm_calls, 2);
	ta_fixture_done(&f);
	TEST_DONE();

	TEST_START("agent confirm without a way to ask refuses");
	ta_fixture_init(&f, 0);
	req = ta_msg_add(ta_keys[0], "needs-ok", 0, 1);
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	req = ta_msg_sign(ta_keys[0], data, sizeof(data), 0);
	ta_expect_status(&f, req, AGENT_FAILURE);
	buf_free(req);
	ta_fixture_done(&f);
	TEST_DONE();
}

/* Constrained adds the agent must refuse. */
static void
test_bad_constraints(void)
{
	static const u_char trailers[][24] = {
		/* restrict-destination-v00@openssh.com extension */
		{ AGENT_CONSTRAIN_EXTENSION, 0, 0, 0, 8, 'r', 'e', 's', 't',
		    '@', 'x', '.', 'y' },
		{ AGENT_CONSTRAIN_MAXSIGN, 0, 0, 0, 5 },
		{ 77 },
		{ AGENT_CONSTRAIN_LIFETIME, 0, 0, 0, 5,
		    AGENT_CONSTRAIN_LIFETIME, 0, 0, 0, 6 },
		{ AGENT_CONSTRAIN_CONFIRM, AGENT_CONSTRAIN_CONFIRM },
		{ AGENT_CONSTRAIN_LIFETIME, 0, 0 },
		{ AGENT_CONSTRAIN_EXTENSION, 0, 0, 0, 9, 'x' },
	};
	static const size_t lens[] = { 13, 5, 1, 10, 2, 3, 6 };
	struct ta_fixture f;
	struct buf *req;
	size_t i;

	TEST_START("agent refuses unknown and malformed constraints");
	ta_fixture_init(&f, 1);
	for (i = 0; i < sizeof(lens) / sizeof(*lens); i++) {
		ASSERT_PTR_NE(req = buf_new(), NULL);
		ASSERT_INT_EQ(buf_put_u8(req, AGENTC_ADD_ID_CONSTRAINED), 0);
		ASSERT_INT_EQ(key_private_serialize(ta_keys[0], req), 0);
		ASSERT_INT_EQ(buf_put_cstring(req, "c"), 0);
		ASSERT_INT_EQ(buf_put(req, trailers[i], lens[i]), 0);
		ta_expect_status(&f, req, AGENT_FAILURE);
		buf_free(req);
		ASSERT_U32_EQ(ta_count(&f), 0);
	}
	TEST_DONE();

	TEST_START("agent constrained add with no constraints");
	ASSERT_PTR_NE(req = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u8(req, AGENTC_ADD_ID_CONSTRAINED), 0);
	ASSERT_INT_EQ(key_private_serialize(ta_keys[0], req), 0);
	ASSERT_INT_EQ(buf_put_cstring(req, "c"), 0);
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	ASSERT_U32_EQ(ta_count(&f), 1);
	TEST_DONE();

	TEST_START("agent refuses a public key as identity");
	ASSERT_PTR_NE(req = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u8(req, AGENTC_ADD_IDENTITY), 0);
	ASSERT_INT_EQ(key_putb(ta_keys[1], req), 0);
	ASSERT_INT_EQ(buf_put_cstring(req, "pub"), 0);
	ta_expect_status(&f, req, AGENT_FAILURE);
	buf_free(req);
	ASSERT_U32_EQ(ta_count(&f), 1);
	TEST_DONE();
	ta_fixture_done(&f);
}

static void
test_unknown(void)
{
	static const uint8_t types[] = {
		0, AGENTC_REQUEST_RSA_IDENTITIES, 2, 3, AGENT_FAILURE,
		AGENT_SUCCESS, AGENT_IDENTITIES_ANSWER, AGENT_SIGN_RESPONSE,
		AGENTC_ADD_SMARTCARD_KEY, AGENTC_REMOVE_SMARTCARD_KEY,
		AGENTC_UNLOCK, AGENTC_ADD_SMARTCARD_KEY_CONSTRAINED,
		AGENT_EXTENSION_FAILURE, 100, 255
	};
	struct ta_fixture f;
	struct buf *req;
	size_t i;

	TEST_START("agent unknown messages");
	ta_fixture_init(&f, 0);
	for (i = 0; i < sizeof(types); i++) {
		req = ta_msg_type(types[i]);
		ta_expect_status(&f, req, AGENT_FAILURE);
		buf_free(req);
	}
	ASSERT_PTR_NE(req = buf_new(), NULL);
	ta_expect_status(&f, req, AGENT_FAILURE);	/* empty message */
	buf_free(req);
	ta_fixture_done(&f);
	TEST_DONE();
}

void
test_server(void)
{
	test_list();
	test_sign();
	test_remove();
	test_lifetime();
	test_confirm();
	test_bad_constraints();
	test_unknown();
}
