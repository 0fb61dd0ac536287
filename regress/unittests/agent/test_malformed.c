/* test_malformed.c: broken requests are answered with FAILURE. */
#include "includes.h"

#include "../test_helper/test_helper.h"
#include "agent.h"
#include "agent-server.h"
#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "test_agent.h"

/* Process len bytes of msg; the answer must be one status byte. */
static uint8_t
status_of(struct ta_fixture *f, const struct buf *msg, size_t len)
{
	struct buf *req, *reply;
	uint8_t type;

	ASSERT_PTR_NE(req = buf_from_copy(buf_ptr(msg), len), NULL);
	reply = ta_process(f, req);
	ASSERT_INT_EQ(buf_get_u8(reply, &type), 0);
	if (type != AGENT_SIGN_RESPONSE && type != AGENT_IDENTITIES_ANSWER &&
	    type != AGENT_EXTENSION_RESPONSE)
		ASSERT_SIZE_T_EQ(buf_len(reply), 0);
	buf_free(req);
	buf_free(reply);
	return type;
}

/* A request that succeeds whole must fail cut short and with extra bytes. */
static void
cut_and_extend(struct ta_fixture *f, struct buf *msg, uint8_t ok)
{
	struct buf *longer;
	size_t i;

	for (i = 0; i < buf_len(msg); i++)
		ASSERT_U8_EQ(status_of(f, msg, i), AGENT_FAILURE);
	ASSERT_PTR_NE(longer = buf_from_copy(buf_ptr(msg), buf_len(msg)),
	    NULL);
	ASSERT_INT_EQ(buf_put_u8(longer, 0), 0);
	ASSERT_U8_EQ(status_of(f, longer, buf_len(longer)), AGENT_FAILURE);
	buf_free(longer);
	ASSERT_U8_EQ(status_of(f, msg, buf_len(msg)), ok);
}

static void
test_truncation(void)
{
	struct ta_fixture f;
	struct buf *msg;
	u_char data[16] = { 1, 2, 3 };
	size_t i;

	ta_fixture_init(&f, 0);
	TEST_START("agent truncated and extended add");
	for (i = 0; i < TA_NKEYS; i++) {
		msg = ta_msg_add(ta_keys[i], "k", 0, 0);
		cut_and_extend(&f, msg, AGENT_SUCCESS);
		buf_free(msg);
	}
	ASSERT_U32_EQ(ta_count(&f), TA_NKEYS);
	TEST_DONE();

	TEST_START("agent truncated and extended sign");
	msg = ta_msg_sign(ta_keys[0], data, sizeof(data), 0);
	cut_and_extend(&f, msg, AGENT_SIGN_RESPONSE);
	buf_free(msg);
	TEST_DONE();

	TEST_START("agent truncated and extended list, remove all");
	msg = ta_msg_type(AGENTC_REQUEST_IDENTITIES);
	cut_and_extend(&f, msg, AGENT_IDENTITIES_ANSWER);
	buf_free(msg);
	TEST_DONE();

	TEST_START("agent truncated and extended lock, unlock");
	msg = ta_msg_string(AGENTC_LOCK, "pw");
	cut_and_extend(&f, msg, AGENT_SUCCESS);
	buf_free(msg);
	msg = ta_msg_string(AGENTC_UNLOCK, "pw");
	cut_and_extend(&f, msg, AGENT_SUCCESS);
	buf_free(msg);
	ASSERT_U32_EQ(ta_count(&f), TA_NKEYS);
	TEST_DONE();

	TEST_START("agent truncated and extended remove");
	msg = ta_msg_blob(AGENTC_REMOVE_IDENTITY, ta_keys[1]);
	cut_and_extend(&f, msg, AGENT_SUCCESS);
	buf_free(msg);
	ASSERT_U32_EQ(ta_count(&f), TA_NKEYS - 1);
	msg = ta_msg_type(AGENTC_REMOVE_ALL_IDENTITIES);
	cut_and_extend(&f, msg, AGENT_SUCCESS);
	buf_free(msg);
	ASSERT_U32_EQ(ta_count(&f), 0);
	TEST_DONE();

	TEST_START("agent truncated constrained add");
	msg = ta_msg_add(ta_keys[0], "k", 30, 1);
	for (i = 0; i < buf_len(msg); i++) {
		/*
		 * Cut after the comment or after the lifetime, it is a valid
		 * add with fewer constraints.
		 */
		if (status_of(&f, msg, i) == AGENT_SUCCESS)
			ASSERT_TRUE(i == buf_len(msg) - 6 ||
			    i == buf_len(msg) - 1);
	}
	ASSERT_U8_EQ(status_of(&f, msg, buf_len(msg)), AGENT_SUCCESS);
	buf_free(msg);
	TEST_DONE();
	ta_fixture_done(&f);
}

static void
test_flipped_bits(void)
{
	struct ta_fixture f;
	struct buf *msg, *bad;
	u_char *p;
	size_t i, bit;
	uint8_t st;

	TEST_START("agent add with flipped bits");
	ta_fixture_init(&f, 0);
	msg = ta_msg_add(ta_keys[0], "flip", 0, 0);
	for (i = 0; i < buf_len(msg); i++) {
		for (bit = 0; bit < 8; bit++) {
			ASSERT_PTR_NE(bad = buf_from_copy(buf_ptr(msg),
			    buf_len(msg)), NULL);
			p = buf_mutable_ptr(bad);
			p[i] ^= (u_char)(1 << bit);
			st = status_of(&f, bad, buf_len(bad));
			ASSERT_TRUE(st == AGENT_FAILURE ||
			    st == AGENT_SUCCESS ||
			    st == AGENT_IDENTITIES_ANSWER);
			buf_free(bad);
		}
	}
	buf_free(msg);
	/* Whatever was accepted is a consistent, listable key set. */
	ASSERT_U32_EQ(ta_count(&f), agent_state_nkeys(f.s));
	ta_fixture_done(&f);
	TEST_DONE();
}

static void
test_huge_lengths(void)
{
	static const uint32_t lens[] = {
		0xffffffff, 0x80000000, AGENT_MAX_MSG_LEN + 1, 0x1000001, 5000
	};
	struct ta_fixture f;
	struct buf *msg;
	size_t i;

	TEST_START("agent huge string lengths");
	ta_fixture_init(&f, 0);
	for (i = 0; i < sizeof(lens) / sizeof(*lens); i++) {
		/* sign request whose key blob claims lens[i] bytes */
		ASSERT_PTR_NE(msg = buf_new(), NULL);
		ASSERT_INT_EQ(buf_put_u8(msg, AGENTC_SIGN_REQUEST), 0);
		ASSERT_INT_EQ(buf_put_u32(msg, lens[i]), 0);
		ASSERT_INT_EQ(buf_put(msg, "abcd", 4), 0);
		ASSERT_U8_EQ(status_of(&f, msg, buf_len(msg)), AGENT_FAILURE);
		buf_free(msg);
		/* add whose key type name claims lens[i] bytes */
		ASSERT_PTR_NE(msg = buf_new(), NULL);
		ASSERT_INT_EQ(buf_put_u8(msg, AGENTC_ADD_IDENTITY), 0);
		ASSERT_INT_EQ(buf_put_u32(msg, lens[i]), 0);
		ASSERT_INT_EQ(buf_put(msg, "ssh-ed25519", 11), 0);
		ASSERT_U8_EQ(status_of(&f, msg, buf_len(msg)), AGENT_FAILURE);
		buf_free(msg);
		/* lock whose password claims lens[i] bytes */
		ASSERT_PTR_NE(msg = buf_new(), NULL);
		ASSERT_INT_EQ(buf_put_u8(msg, AGENTC_LOCK), 0);
		ASSERT_INT_EQ(buf_put_u32(msg, lens[i]), 0);
		ASSERT_U8_EQ(status_of(&f, msg, buf_len(msg)), AGENT_FAILURE);
		buf_free(msg);
	}
	ASSERT_INT_EQ(agent_state_is_locked(f.s), 0);
	ta_fixture_done(&f);
	TEST_DONE();
}

static void
test_interior_nul(void)
{
	struct ta_fixture f;
	struct buf *msg;

	TEST_START("agent comment with interior NUL");
	ta_fixture_init(&f, 0);
	ASSERT_PTR_NE(msg = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u8(msg, AGENTC_ADD_IDENTITY), 0);
	ASSERT_INT_EQ(key_private_serialize(ta_keys[0], msg), 0);
	ASSERT_INT_EQ(buf_put_string(msg, "a\0b", 3), 0);
	ASSERT_U8_EQ(status_of(&f, msg, buf_len(msg)), AGENT_FAILURE);
	buf_free(msg);
	ASSERT_U32_EQ(ta_count(&f), 0);
	ta_fixture_done(&f);
	TEST_DONE();
}

void
test_server_malformed(void)
{
	test_truncation();
	test_flipped_bits();
	test_huge_lengths();
	test_interior_nul();
}
