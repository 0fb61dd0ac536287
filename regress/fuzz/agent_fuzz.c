/*
 * agent_fuzz.c: libFuzzer target for the agent's request handling
 * (agent_process() in agent-server.c).
 *
 * Each input runs against a fresh agent that already holds one Ed25519
 * key (derived from a fixed seed, so a corpus can name it).  The first
 * input byte picks the mode: odd, the rest is one request; even, the rest
 * is a stream of requests framed as on the socket (uint32 length, then
 * the request; a length past the end is cut short).  Every request must
 * get an answer; the clock moves on between requests so lifetimes expire,
 * and the confirm hook answers from the low bit of a counter.
 */
#include "includes.h"

#include <openssl/evp.h>

#include "agent.h"
#include "agent-server.h"
#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
	    #x); \
	abort(); \
	} } while (0)

#define MAX_REQUESTS	64

struct fuzz_ctx {
	uint64_t now;
	unsigned int calls;
};

static struct buf *preload;	/* ADD_IDENTITY for the fixed key */

static uint64_t
fuzz_now(void *ctx)
{
	return ((struct fuzz_ctx *)ctx)->now;
}

static int
fuzz_confirm(const char *prompt, void *ctx)
{
	CHECK(prompt != NULL);
	return (((struct fuzz_ctx *)ctx)->calls++ & 1) ? -1 : 0;
}

static void
fuzz_init(void)
{
	u_char seed[32];
	EVP_PKEY *pkey;
	struct key *k = NULL;
	size_t i;

	log_init("agent_fuzz", LOG_LEVEL_QUIET, LOG_FACILITY_USER, 1);
	for (i = 0; i < sizeof(seed); i++)
		seed[i] = (u_char)(i + 1);
	CHECK((pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL,
	    seed, sizeof(seed))) != NULL);
	CHECK(key_from_evp(pkey, &k) == 0);
	EVP_PKEY_free(pkey);
	CHECK((preload = buf_new()) != NULL);
	CHECK(buf_put_u8(preload, AGENTC_ADD_IDENTITY) == 0);
	CHECK(key_private_serialize(k, preload) == 0);
	CHECK(buf_put_cstring(preload, "fuzz") == 0);
	key_free(k);
}

/* One request; the answer must be there and start with a known type. */
static void
one_request(struct agent_state *s, struct agent_conn *c, struct buf *req)
{
	struct buf *reply;
	uint8_t type;

	CHECK((reply = buf_new()) != NULL);
	CHECK(agent_process(s, c, req, reply) == 0);
	CHECK(buf_len(req) == 0);
	CHECK(buf_get_u8(reply, &type) == 0);
	CHECK(type == AGENT_FAILURE || type == AGENT_SUCCESS ||
	    type == AGENT_IDENTITIES_ANSWER || type == AGENT_SIGN_RESPONSE ||
	    type == AGENT_EXTENSION_RESPONSE);
	if (type == AGENT_FAILURE || type == AGENT_SUCCESS)
		CHECK(buf_len(reply) == 0);
	buf_free(reply);
}

static void
run_stream(struct agent_state *s, struct agent_conn *c,
    struct fuzz_ctx *ctx, struct buf *in)
{
	struct buf *req;
	uint32_t len;
	int n = 0;

	while (n++ < MAX_REQUESTS && buf_get_u32(in, &len) == 0) {
		if (len > buf_len(in))
			len = (uint32_t)buf_len(in);
		CHECK((req = buf_from_copy(buf_ptr(in), len)) != NULL);
		CHECK(buf_consume(in, len) == 0);
		one_request(s, c, req);
		buf_free(req);
		ctx->now += 7;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	struct fuzz_ctx ctx = { 1000, 0 };
	struct agent_hooks hooks;
	struct agent_state *s = NULL;
	struct agent_conn *c = NULL;
	struct buf *in, *req;
	uint8_t mode;

	if (!initialised) {
		fuzz_init();
		initialised = 1;
	}
	CHECK(agent_state_new(&s) == 0);
	CHECK(agent_conn_new(&c) == 0);
	memset(&hooks, 0, sizeof(hooks));
	hooks.now = fuzz_now;
	hooks.confirm = fuzz_confirm;
	hooks.ctx = &ctx;
	agent_state_set_hooks(s, &hooks);
	agent_state_set_lock_rounds(s, 1);
	CHECK((req = buf_from_copy(buf_ptr(preload), buf_len(preload))) !=
	    NULL);
	one_request(s, c, req);
	buf_free(req);
	CHECK(agent_state_nkeys(s) == 1);

	CHECK((in = buf_from(data, size)) != NULL);
	if (buf_get_u8(in, &mode) == 0) {
		if (mode & 1) {
			CHECK((req = buf_from_copy(buf_ptr(in),
			    buf_len(in))) != NULL);
			one_request(s, c, req);
			buf_free(req);
		} else
			run_stream(s, c, &ctx, in);
	}
	/* Whatever happened, the state lists consistently and frees. */
	CHECK(agent_state_nkeys(s) <= AGENT_SERVER_MAX_KEYS);
	buf_free(in);
	agent_conn_free(c);
	agent_state_free(s);
	return 0;
}
