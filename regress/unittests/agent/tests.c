/* tests.c: the agent unit tests' entry point and shared helpers. */
#include "includes.h"

#include "../test_helper/test_helper.h"
#include "agent.h"
#include "agent-server.h"
#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "log.h"
#include "test_agent.h"

struct key *ta_keys[TA_NKEYS];
const char *ta_key_names[TA_NKEYS] = {
	"ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa"
};

void
ta_make_keys(void)
{
	static const struct {
		enum key_type type;
		unsigned int bits;
	} spec[TA_NKEYS] = {
		{ KEY_ED25519, 0 },
		{ KEY_ECDSA, 256 },
		{ KEY_ECDSA, 384 },
		{ KEY_ECDSA, 521 },
		{ KEY_RSA, 1024 },	/* small: the size is not the point */
	};
	size_t i;

	for (i = 0; i < TA_NKEYS; i++) {
		if (ta_keys[i] != NULL)
			continue;
		ASSERT_INT_EQ(key_generate(spec[i].type, spec[i].bits,
		    &ta_keys[i]), 0);
	}
}

static uint64_t
hook_now(void *ctx)
{
	return ((struct ta_fixture *)ctx)->now;
}

static int
hook_confirm(const char *prompt, void *ctx)
{
	struct ta_fixture *f = ctx;

	f->confirm_calls++;
	free(f->last_prompt);
	f->last_prompt = strdup(prompt);
	return f->confirm_answer;
}

static void
hook_unlock_failed(unsigned int nfail, void *ctx)
{
	((struct ta_fixture *)ctx)->unlock_fails = nfail;
}

void
ta_fixture_init(struct ta_fixture *f, int with_confirm)
{
	struct agent_hooks h;

	memset(f, 0, sizeof(*f));
	f->now = 1000;
	ASSERT_INT_EQ(agent_state_new(&f->s), 0);
	ASSERT_INT_EQ(agent_conn_new(&f->c), 0);
	memset(&h, 0, sizeof(h));
	h.now = hook_now;
	h.unlock_failed = hook_unlock_failed;
	if (with_confirm)
		h.confirm = hook_confirm;
	h.ctx = f;
	agent_state_set_hooks(f->s, &h);
	agent_state_set_lock_rounds(f->s, 2);	/* fast tests */
}

void
ta_fixture_done(struct ta_fixture *f)
{
	agent_state_free(f->s);
	agent_conn_free(f->c);
	free(f->last_prompt);
	memset(f, 0, sizeof(*f));
}

struct buf *
ta_process(struct ta_fixture *f, struct buf *req)
{
	struct buf *reply;

	ASSERT_PTR_NE(reply = buf_new(), NULL);
	ASSERT_INT_EQ(agent_process(f->s, f->c, req, reply), 0);
	ASSERT_SIZE_T_EQ(buf_len(req), 0);
	ASSERT_SIZE_T_GT(buf_len(reply), 0);
	return reply;
}

void
ta_expect_status(struct ta_fixture *f, const struct buf *req, uint8_t type)
{
	struct buf *copy, *reply;
	uint8_t got;

	ASSERT_PTR_NE(copy = buf_from_copy(buf_ptr(req), buf_len(req)), NULL);
	reply = ta_process(f, copy);
	ASSERT_INT_EQ(buf_get_u8(reply, &got), 0);
	ASSERT_U8_EQ(got, type);
	ASSERT_SIZE_T_EQ(buf_len(reply), 0);
	buf_free(copy);
	buf_free(reply);
}

struct buf *
ta_msg_add(const struct key *k, const char *comment, uint32_t life,
    int confirm)
{
	struct buf *b;
	int constrained = life != 0 || confirm;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u8(b, constrained ? AGENTC_ADD_ID_CONSTRAINED :
	    AGENTC_ADD_IDENTITY), 0);
	ASSERT_INT_EQ(key_private_serialize(k, b), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, comment), 0);
	if (life != 0) {
		ASSERT_INT_EQ(buf_put_u8(b, AGENT_CONSTRAIN_LIFETIME), 0);
		ASSERT_INT_EQ(buf_put_u32(b, life), 0);
	}
	if (confirm)
		ASSERT_INT_EQ(buf_put_u8(b, AGENT_CONSTRAIN_CONFIRM), 0);
	return b;
}

struct buf *
ta_msg_sign(const struct key *k, const void *data, size_t len,
    uint32_t flags)
{
	struct buf *b;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u8(b, AGENTC_SIGN_REQUEST), 0);
	ASSERT_INT_EQ(key_puts(k, b), 0);
	ASSERT_INT_EQ(buf_put_string(b, data, len), 0);
	ASSERT_INT_EQ(buf_put_u32(b, flags), 0);
	return b;
}

struct buf *
ta_msg_blob(uint8_t type, const struct key *k)
{
	struct buf *b;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u8(b, type), 0);
	ASSERT_INT_EQ(key_puts(k, b), 0);
	return b;
}

struct buf *
ta_msg_string(uint8_t type, const char *s)
{
	struct buf *b;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u8(b, type), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, s), 0);
	return b;
}

struct buf *
ta_msg_type(uint8_t type)
{
	struct buf *b;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u8(b, type), 0);
	return b;
}

void
ta_add_all(struct ta_fixture *f)
{
	struct buf *req;
	size_t i;

	for (i = 0; i < TA_NKEYS; i++) {
		req = ta_msg_add(ta_keys[i], ta_key_names[i], 0, 0);
		ta_expect_status(f, req, AGENT_SUCCESS);
		buf_free(req);
	}
}

uint32_t
ta_count(struct ta_fixture *f)
{
	struct buf *req = ta_msg_type(AGENTC_REQUEST_IDENTITIES), *reply;
	uint8_t type;
	uint32_t n;

	reply = ta_process(f, req);
	ASSERT_INT_EQ(buf_get_u8(reply, &type), 0);
	ASSERT_U8_EQ(type, AGENT_IDENTITIES_ANSWER);
	ASSERT_INT_EQ(buf_get_u32(reply, &n), 0);
	buf_free(req);
	buf_free(reply);
	return n;
}

void
tests(void)
{
	log_init("test_agent", LOG_LEVEL_QUIET, LOG_FACILITY_USER, 1);
	ta_make_keys();
	test_server();
	test_server_lock();
	test_server_ext();
	test_server_malformed();
	test_client();
}
