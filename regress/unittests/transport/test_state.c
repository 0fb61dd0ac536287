/*
 * Transport state serialisation (the privsep hand-over) and sequence
 * number wrap-around.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "kex.h"
#include "key.h"
#include "packet.h"
#include "ssh2.h"

#include "../test_helper/test_helper.h"
#include "test_transport.h"

static int
cb_get_hostkey(struct ssh *ssh, const char *alg, const struct key **pubp,
    void *ctx)
{
	*pubp = harness_hostkey(HK_ED25519);
	return 0;
}

static int
cb_sign(struct ssh *ssh, const struct key *pub, const char *alg,
    const u_char *data, size_t dlen, u_char **sigp, size_t *siglenp,
    void *ctx)
{
	return key_sign(pub, sigp, siglenp, data, dlen, alg);
}

static void
exchange(struct tpair *p, u_int n)
{
	u_char msg[300], *got, type;
	size_t glen;
	u_int i;

	for (i = 0; i < n; i++) {
		memset(msg, (int)i, sizeof(msg));
		side_send(&p->c, SSH2_MSG_CHANNEL_DATA, msg, 10 + i);
		side_send(&p->s, SSH2_MSG_CHANNEL_DATA, msg, 20 + i);
	}
	pair_pump(p);
	ASSERT_INT_EQ(p->c.err, 0);
	ASSERT_INT_EQ(p->s.err, 0);
	for (i = 0; i < n; i++) {
		memset(msg, (int)i, sizeof(msg));
		ASSERT_INT_EQ(side_recv(&p->s, &type, &got, &glen), 1);
		ASSERT_SIZE_T_EQ(glen, 10 + i);
		ASSERT_MEM_EQ(got, msg, glen);
		free(got);
		ASSERT_INT_EQ(side_recv(&p->c, &type, &got, &glen), 1);
		ASSERT_SIZE_T_EQ(glen, 20 + i);
		ASSERT_MEM_EQ(got, msg, glen);
		free(got);
	}
}

/* Replace one side by a copy rebuilt from its serialised state. */
static void
hand_over(struct tside *t, int server)
{
	struct kex_callbacks cb;
	struct buf *b;
	struct ssh *n;
	const u_char *sid;
	u_char before[64];
	size_t sidlen, beforelen;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(packet_state_serialize(t->ssh, b), 0);
	sid = kex_session_id(t->ssh, &beforelen);
	memcpy(before, sid, beforelen);
	ASSERT_INT_EQ(packet_new(server, &n), 0);
	ASSERT_INT_EQ(packet_state_deserialize(n, b), 0);
	memset(&cb, 0, sizeof(cb));
	if (server) {
		cb.get_hostkey = cb_get_hostkey;
		cb.sign = cb_sign;
	}
	kex_set_callbacks(n, &cb);
	ASSERT_PTR_NE(sid = kex_session_id(n, &sidlen), NULL);
	ASSERT_SIZE_T_EQ(sidlen, beforelen);
	ASSERT_MEM_EQ(sid, before, sidlen);
	ASSERT_STRING_EQ(packet_cipher_name(n, PACKET_OUT),
	    packet_cipher_name(t->ssh, PACKET_OUT));
	ASSERT_STRING_EQ(kex_negotiated(n, KEX_ALGS),
	    kex_negotiated(t->ssh, KEX_ALGS));
	ASSERT_INT_EQ(packet_kex_count(n), packet_kex_count(t->ssh));
	packet_free(t->ssh);
	t->ssh = n;
	buf_free(b);
}

static void
handover_case(const char *cipher, const char *mac, const char *comp)
{
	struct kex_params cp;
	struct tpair *p;

	harness_params(&cp, 0);
	cp.ciphers = cipher;
	cp.macs = mac;
	cp.compression = comp;
	p = pair_new(&cp, NULL);
	pair_kex(p);
	exchange(p, 5);
	/* Bytes the server has not read yet travel with the state. */
	side_send(&p->c, SSH2_MSG_CHANNEL_DATA, "pending", 7);
	side_xfer(&p->c, &p->s);
	hand_over(&p->s, 1);
	side_step(&p->s);
	{
		u_char *got, type;
		size_t glen;

		ASSERT_INT_EQ(side_recv(&p->s, &type, &got, &glen), 1);
		ASSERT_MEM_EQ(got, "pending", 7);
		free(got);
	}
	if (comp != NULL) {
		ASSERT_INT_EQ(packet_enable_delayed_compress(p->s.ssh), 0);
		ASSERT_INT_EQ(packet_enable_delayed_compress(p->c.ssh), 0);
	}
	exchange(p, 20);
	/* Rekeys run on the new process's side in both directions. */
	ASSERT_INT_EQ(kex_start_rekey(p->s.ssh), 0);
	exchange(p, 3);
	ASSERT_INT_EQ(kex_start_rekey(p->c.ssh), 0);
	exchange(p, 3);
	ASSERT_INT_EQ(packet_kex_count(p->s.ssh), 3);
	if (comp != NULL) {
		/* Compression running: its state cannot travel. */
		struct buf *b = buf_new();

		ASSERT_INT_EQ(packet_state_serialize(p->c.ssh, b),
		    ERR_FEATURE_UNSUPPORTED);
		buf_free(b);
	} else {
		hand_over(&p->c, 0);
		exchange(p, 3);
	}
	pair_free(p);
}

static void
test_handover(void)
{
	TEST_START("state hand-over chacha20-poly1305");
	handover_case(NULL, NULL, NULL);
	TEST_DONE();
	TEST_START("state hand-over aes-ctr MtE and EtM");
	handover_case("aes128-ctr", "hmac-sha2-256", NULL);
	handover_case("aes256-ctr", "hmac-sha1-etm@openssh.com", NULL);
	TEST_DONE();
	TEST_START("state hand-over aes-gcm");
	handover_case("aes256-gcm@openssh.com", NULL, NULL);
	TEST_DONE();
	TEST_START("state hand-over with delayed compression");
	handover_case("aes128-gcm@openssh.com", NULL, "zlib@openssh.com");
	TEST_DONE();
}

static void
test_refusals(void)
{
	struct kex_params cp;
	struct tpair *p;
	struct buf *b, *t;
	struct ssh *n;
	size_t i, len;

	TEST_START("state not serialised mid-KEX or with compression on");
	p = pair_new(NULL, NULL);
	ASSERT_PTR_NE(b = buf_new(), NULL);
	/* Before any KEX. */
	ASSERT_INT_EQ(packet_state_serialize(p->s.ssh, b),
	    ERR_FEATURE_UNSUPPORTED);
	pair_kex(p);
	ASSERT_INT_EQ(kex_start_rekey(p->s.ssh), 0);
	ASSERT_INT_EQ(packet_state_serialize(p->s.ssh, b),
	    ERR_FEATURE_UNSUPPORTED);
	pair_free(p);
	harness_params(&cp, 0);
	cp.compression = "zlib";
	p = pair_new(&cp, NULL);
	pair_kex(p);
	ASSERT_INT_EQ(packet_state_serialize(p->s.ssh, b),
	    ERR_FEATURE_UNSUPPORTED);
	pair_free(p);
	TEST_DONE();

	TEST_START("state truncated at every offset, wrong role, trailing");
	p = pair_new(NULL, NULL);
	pair_kex(p);
	buf_reset(b);
	ASSERT_INT_EQ(packet_state_serialize(p->s.ssh, b), 0);
	len = buf_len(b);
	for (i = 0; i < len; i++) {
		ASSERT_PTR_NE(t = buf_from(buf_ptr(b), i), NULL);
		ASSERT_INT_EQ(packet_new(1, &n), 0);
		ASSERT_INT_NE(packet_state_deserialize(n, t), 0);
		packet_free(n);
		buf_free(t);
	}
	ASSERT_PTR_NE(t = buf_from(buf_ptr(b), len), NULL);
	ASSERT_INT_EQ(packet_new(0, &n), 0);
	ASSERT_INT_NE(packet_state_deserialize(n, t), 0);
	packet_free(n);
	buf_free(t);
	ASSERT_PTR_NE(t = buf_from_copy(buf_ptr(b), len), NULL);
	ASSERT_INT_EQ(buf_put_u8(t, 0), 0);
	ASSERT_INT_EQ(packet_new(1, &n), 0);
	ASSERT_INT_EQ(packet_state_deserialize(n, t),
	    ERR_UNEXPECTED_TRAILING_DATA);
	packet_free(n);
	buf_free(t);
	buf_free(b);
	pair_free(p);
	TEST_DONE();
}

static void
test_seqnr_wrap(void)
{
	struct kex_params cp;
	struct tpair *p;

	TEST_START("sequence numbers wrap around after the first KEX");
	harness_params(&cp, 0);
	cp.ciphers = "aes128-ctr";
	cp.macs = "hmac-sha2-256";
	p = pair_new(&cp, NULL);
	pair_kex(p);
	packet_set_seqnr(p->c.ssh, PACKET_OUT, 0xfffffffdU);
	packet_set_seqnr(p->s.ssh, PACKET_IN, 0xfffffffdU);
	packet_set_seqnr(p->s.ssh, PACKET_OUT, 0xfffffffeU);
	packet_set_seqnr(p->c.ssh, PACKET_IN, 0xfffffffeU);
	exchange(p, 8);
	/* A mismatch would have failed the MAC; rekey still works. */
	ASSERT_INT_EQ(kex_start_rekey(p->c.ssh), 0);
	exchange(p, 2);
	ASSERT_INT_EQ(packet_kex_count(p->c.ssh), 2);
	pair_free(p);
	TEST_DONE();

	TEST_START("sequence number wrap during the initial KEX refused");
	p = pair_new(NULL, NULL);
	packet_set_seqnr(p->c.ssh, PACKET_OUT, 0xffffffffU);
	packet_set_seqnr(p->s.ssh, PACKET_IN, 0xffffffffU);
	pair_pump(p);
	ASSERT_INT_NE(p->c.err, 0);
	ASSERT_INT_EQ(packet_kex_count(p->c.ssh), 0);
	ASSERT_U32_EQ(side_sent_reason(&p->c),
	    SSH2_DISCONNECT_PROTOCOL_ERROR);
	pair_free(p);
	TEST_DONE();
}

void
test_state(void)
{
	test_handover();
	test_refusals();
	test_seqnr_wrap();
}
