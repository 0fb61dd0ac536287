/* test_lock.c: LOCK and UNLOCK. */
#include "includes.h"

#include "../test_helper/test_helper.h"
#include "agent.h"
#include "agent-lock.h"
#include "agent-server.h"
#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "test_agent.h"

/* Every key signs, and the signature verifies. */
static void
all_sign(struct ta_fixture *f, uint8_t want)
{
	struct buf *req, *reply;
	u_char data[64], *sig;
	size_t i, siglen;
	uint8_t type;

	arc4random_buf(data, sizeof(data));
	for (i = 0; i < TA_NKEYS; i++) {
		req = ta_msg_sign(ta_keys[i], data, sizeof(data), 0);
		reply = ta_process(f, req);
		ASSERT_INT_EQ(buf_get_u8(reply, &type), 0);
		ASSERT_U8_EQ(type, want);
		if (want == AGENT_SIGN_RESPONSE) {
			ASSERT_INT_EQ(buf_get_string(reply, &sig, &siglen), 0);
			ASSERT_INT_EQ(key_verify(ta_keys[i], sig, siglen,
			    data, sizeof(data), key_type(ta_keys[i]) ==
			    KEY_RSA ? "ssh-rsa" : NULL), 0);
			free(sig);
		}
		ASSERT_SIZE_T_EQ(buf_len(reply), 0);
		buf_free(req);
		buf_free(reply);
	}
}

static void
test_lock_cycle(void)
{
	struct ta_fixture f;
	struct buf *req;

	ta_fixture_init(&f, 0);
	ta_add_all(&f);

	TEST_START("agent lock refuses an empty password");
	req = ta_msg_string(AGENTC_LOCK, "");
	ta_expect_status(&f, req, AGENT_FAILURE);
	buf_free(req);
	ASSERT_INT_EQ(agent_state_is_locked(f.s), 0);
	TEST_DONE();

	TEST_START("agent unlock when not locked");
	req = ta_msg_string(AGENTC_UNLOCK, "secret");
	ta_expect_status(&f, req, AGENT_FAILURE);
	buf_free(req);
	TEST_DONE();

	TEST_START("agent lock");
	req = ta_msg_string(AGENTC_LOCK, "secret");
	ta_expect_status(&f, req, AGENT_SUCCESS);
	ASSERT_INT_EQ(agent_state_is_locked(f.s), 1);
	ASSERT_SIZE_T_EQ(agent_state_nkeys(f.s), TA_NKEYS);
	ta_expect_status(&f, req, AGENT_FAILURE);	/* locked already */
	buf_free(req);
	TEST_DONE();

	TEST_START("agent locked lists nothing and refuses the rest");
	ASSERT_U32_EQ(ta_count(&f), 0);
	all_sign(&f, AGENT_FAILURE);
	req = ta_msg_add(ta_keys[0], "x", 0, 0);
	ta_expect_status(&f, req, AGENT_FAILURE);
	buf_free(req);
	req = ta_msg_blob(AGENTC_REMOVE_IDENTITY, ta_keys[0]);
	ta_expect_status(&f, req, AGENT_FAILURE);
	buf_free(req);
	req = ta_msg_type(AGENTC_REMOVE_ALL_IDENTITIES);
	ta_expect_status(&f, req, AGENT_FAILURE);
	buf_free(req);
	req = ta_msg_string(AGENTC_EXTENSION, "query");
	ta_expect_status(&f, req, AGENT_FAILURE);
	buf_free(req);
	ASSERT_SIZE_T_EQ(agent_state_nkeys(f.s), TA_NKEYS);
	TEST_DONE();

	TEST_START("agent unlock with the wrong password");
	req = ta_msg_string(AGENTC_UNLOCK, "Secret");
	ta_expect_status(&f, req, AGENT_FAILURE);
	ASSERT_U32_EQ(f.unlock_fails, 1);
	ta_expect_status(&f, req, AGENT_FAILURE);
	ASSERT_U32_EQ(f.unlock_fails, 2);
	buf_free(req);
	req = ta_msg_string(AGENTC_UNLOCK, "");
	ta_expect_status(&f, req, AGENT_FAILURE);
	buf_free(req);
	ASSERT_INT_EQ(agent_state_is_locked(f.s), 1);
	TEST_DONE();

	TEST_START("agent unlock restores every key");
	req = ta_msg_string(AGENTC_UNLOCK, "secret");
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	ASSERT_INT_EQ(agent_state_is_locked(f.s), 0);
	ASSERT_U32_EQ(ta_count(&f), TA_NKEYS);
	all_sign(&f, AGENT_SIGN_RESPONSE);
	TEST_DONE();

	TEST_START("agent lifetimes run on while locked");
	req = ta_msg_add(ta_keys[0], "brief", 5, 0);
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	req = ta_msg_string(AGENTC_LOCK, "pw2");
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	f.now += 5;
	ASSERT_U64_EQ(agent_state_expire(f.s), 0);
	ASSERT_SIZE_T_EQ(agent_state_nkeys(f.s), TA_NKEYS - 1);
	req = ta_msg_string(AGENTC_UNLOCK, "pw2");
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	ASSERT_U32_EQ(ta_count(&f), TA_NKEYS - 1);
	TEST_DONE();

	TEST_START("agent lock with no keys");
	req = ta_msg_type(AGENTC_REMOVE_ALL_IDENTITIES);
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	req = ta_msg_string(AGENTC_LOCK, "pw3");
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	req = ta_msg_string(AGENTC_UNLOCK, "pw3");
	ta_expect_status(&f, req, AGENT_SUCCESS);
	buf_free(req);
	TEST_DONE();
	ta_fixture_done(&f);
}

/* The sealing layer on its own. */
static void
test_seal(void)
{
	struct agent_lock *lock;
	struct buf *sealed, *bad;
	struct key *k;
	u_char *blob, *p;
	size_t bloblen, i;

	TEST_START("agent lock seal and unseal");
	ASSERT_INT_EQ(agent_lock_new("pw", 2, 2, &lock), 0);
	ASSERT_INT_EQ(key_to_blob(ta_keys[0], &blob, &bloblen), 0);
	ASSERT_INT_EQ(agent_lock_seal(lock, ta_keys[0], blob, bloblen,
	    &sealed), 0);
	ASSERT_INT_EQ(agent_lock_unseal(lock, sealed, blob, bloblen, &k), 0);
	ASSERT_INT_EQ(key_equal_public(k, ta_keys[0]), 1);
	ASSERT_INT_EQ(key_is_private(k), 1);
	key_free(k);
	TEST_DONE();

	TEST_START("agent lock unseal needs the key");
	agent_lock_forget_key(lock);
	ASSERT_INT_EQ(agent_lock_unseal(lock, sealed, blob, bloblen, &k),
	    ERR_KEY_WRONG_PASSPHRASE);
	ASSERT_INT_EQ(agent_lock_check(lock, "pX", 2),
	    ERR_KEY_WRONG_PASSPHRASE);
	ASSERT_INT_EQ(agent_lock_unseal(lock, sealed, blob, bloblen, &k),
	    ERR_KEY_WRONG_PASSPHRASE);
	ASSERT_INT_EQ(agent_lock_check(lock, "pw", 2), 0);
	ASSERT_INT_EQ(agent_lock_unseal(lock, sealed, blob, bloblen, &k), 0);
	key_free(k);
	TEST_DONE();

	TEST_START("agent lock unseal detects tampering");
	for (i = 0; i < buf_len(sealed); i++) {
		ASSERT_PTR_NE(bad = buf_from_copy(buf_ptr(sealed),
		    buf_len(sealed)), NULL);
		p = buf_mutable_ptr(bad);
		p[i] ^= 0x20;
		ASSERT_INT_NE(agent_lock_unseal(lock, bad, blob, bloblen, &k),
		    0);
		ASSERT_PTR_EQ(k, NULL);
		buf_free(bad);
	}
	/* Another key's blob as associated data. */
	blob[bloblen - 1] ^= 1;
	ASSERT_INT_NE(agent_lock_unseal(lock, sealed, blob, bloblen, &k), 0);
	/* Truncated. */
	ASSERT_PTR_NE(bad = buf_from_copy(buf_ptr(sealed), 20), NULL);
	ASSERT_INT_NE(agent_lock_unseal(lock, bad, blob, bloblen, &k), 0);
	buf_free(bad);
	TEST_DONE();

	free(blob);
	buf_free(sealed);
	agent_lock_free(lock);
}

void
test_server_lock(void)
{
	test_lock_cycle();
	test_seal();
}
