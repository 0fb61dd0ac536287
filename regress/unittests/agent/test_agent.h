/* test_agent.h: shared pieces of the agent unit tests. */
#ifndef TEST_AGENT_H
#define TEST_AGENT_H

#include <stdint.h>

struct agent_state;
struct agent_conn;
struct buf;
struct key;

/* The key types the agent must handle, generated once. */
#define TA_NKEYS	5
extern struct key *ta_keys[TA_NKEYS];
extern const char *ta_key_names[TA_NKEYS];
void ta_make_keys(void);

/* A state with a settable clock and counting hooks. */
struct ta_fixture {
	struct agent_state *s;
	struct agent_conn *c;
	uint64_t now;
	int confirm_answer;	/* what the confirm hook returns */
	int confirm_calls;
	char *last_prompt;
	unsigned int unlock_fails;
};
void ta_fixture_init(struct ta_fixture *f, int with_confirm);
void ta_fixture_done(struct ta_fixture *f);

/* Process req (consumed) and return the reply (caller frees). */
struct buf *ta_process(struct ta_fixture *f, struct buf *req);
/* Process a copy of req; assert the answer is exactly one byte, type. */
void ta_expect_status(struct ta_fixture *f, const struct buf *req,
    uint8_t type);

/* Requests. */
struct buf *ta_msg_add(const struct key *k, const char *comment,
    uint32_t life, int confirm);
struct buf *ta_msg_sign(const struct key *k, const void *data, size_t len,
    uint32_t flags);
struct buf *ta_msg_blob(uint8_t type, const struct key *k);
struct buf *ta_msg_string(uint8_t type, const char *s);
struct buf *ta_msg_type(uint8_t type);
/* Add every test key, each with its name as comment; each must succeed. */
void ta_add_all(struct ta_fixture *f);
/* Number of identities the agent lists now. */
uint32_t ta_count(struct ta_fixture *f);

void test_server(void);
void test_server_lock(void);
void test_server_ext(void);
void test_server_malformed(void);
void test_client(void);

#endif /* TEST_AGENT_H */
