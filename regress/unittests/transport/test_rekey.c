/*
 * Rekeying: started by either side, by both at once, by the byte and
 * packet limits, and by time; no message lost or reordered meanwhile.
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

/* Message i of a stream: its number and a pattern of some length. */
static void
make_msg(u_int i, u_char *buf, size_t *lenp)
{
	size_t len = 4 + (i * 37) % 700, j;

	buf[0] = (u_char)(i >> 24);
	buf[1] = (u_char)(i >> 16);
	buf[2] = (u_char)(i >> 8);
	buf[3] = (u_char)i;
	for (j = 4; j < len; j++)
		buf[j] = (u_char)(i + j);
	*lenp = len;
}

/* All n messages of the stream arrived at t, in order, intact. */
static void
expect_stream(struct tside *t, u_int first, u_int n)
{
	u_char want[1024], *got, type;
	size_t wlen, glen;
	u_int i;

	for (i = first; i < first + n; i++) {
		make_msg(i, want, &wlen);
		ASSERT_INT_EQ(side_recv(t, &type, &got, &glen), 1);
		ASSERT_U8_EQ(type, SSH2_MSG_CHANNEL_DATA);
		ASSERT_SIZE_T_EQ(glen, wlen);
		ASSERT_MEM_EQ(got, want, wlen);
		free(got);
	}
}

/*
 * Interleave n messages each way with pumping every few messages, so
 * rekeys start while data is in flight in both directions.
 */
static void
stream_both(struct tpair *p, u_int n, u_int step)
{
	u_char msg[1024];
	size_t len;
	u_int i;

	for (i = 0; i < n; i++) {
		make_msg(i, msg, &len);
		side_send(&p->c, SSH2_MSG_CHANNEL_DATA, msg, len);
		side_send(&p->s, SSH2_MSG_CHANNEL_DATA, msg, len);
		if (i % step == step - 1) {
			/* Half a pump: the peer may be mid-KEX now. */
			side_xfer(&p->c, &p->s);
			side_step(&p->s);
			side_xfer(&p->s, &p->c);
			side_step(&p->c);
		}
	}
	pair_pump(p);
	ASSERT_INT_EQ(p->c.err, 0);
	ASSERT_INT_EQ(p->s.err, 0);
	expect_stream(&p->s, 0, n);
	expect_stream(&p->c, 0, n);
	ASSERT_U32_EQ(buf_len(p->c.rx), 0);
	ASSERT_U32_EQ(buf_len(p->s.rx), 0);
}

static void
test_explicit(void)
{
	struct tpair *p;
	u_char msg[1024];
	size_t len;
	u_int i;

	TEST_START("rekey started by the client");
	p = pair_new(NULL, NULL);
	pair_kex(p);
	ASSERT_INT_EQ(kex_start_rekey(p->c.ssh), 0);
	ASSERT_INT_EQ(packet_in_kex(p->c.ssh), 1);
	/* Sent during the KEX: queued, then delivered after NEWKEYS. */
	for (i = 0; i < 10; i++) {
		make_msg(i, msg, &len);
		side_send(&p->c, SSH2_MSG_CHANNEL_DATA, msg, len);
	}
	pair_pump(p);
	ASSERT_INT_EQ(packet_kex_count(p->c.ssh), 2);
	ASSERT_INT_EQ(packet_kex_count(p->s.ssh), 2);
	ASSERT_INT_EQ(packet_in_kex(p->c.ssh), 0);
	expect_stream(&p->s, 0, 10);
	pair_free(p);
	TEST_DONE();

	TEST_START("rekey started by the server");
	p = pair_new(NULL, NULL);
	pair_kex(p);
	ASSERT_INT_EQ(kex_start_rekey(p->s.ssh), 0);
	/* A second call while one runs does nothing. */
	ASSERT_INT_EQ(kex_start_rekey(p->s.ssh), 0);
	stream_both(p, 50, 3);
	ASSERT_INT_EQ(packet_kex_count(p->s.ssh), 2);
	pair_free(p);
	TEST_DONE();

	TEST_START("rekey started by both at once");
	p = pair_new(NULL, NULL);
	pair_kex(p);
	ASSERT_INT_EQ(kex_start_rekey(p->s.ssh), 0);
	ASSERT_INT_EQ(kex_start_rekey(p->c.ssh), 0);
	stream_both(p, 30, 1);
	ASSERT_INT_EQ(packet_kex_count(p->s.ssh), 2);
	ASSERT_INT_EQ(packet_kex_count(p->c.ssh), 2);
	pair_free(p);
	TEST_DONE();
}

static void
bytes_case(const char *cipher, const char *kexalg)
{
	struct kex_params cp, sp;
	struct tpair *p;

	harness_params(&cp, 0);
	harness_params(&sp, 1);
	cp.ciphers = cipher;
	cp.kex_algs = kexalg;
	cp.rekey_bytes = 4096;
	p = pair_new(&cp, &sp);
	pair_kex(p);
	stream_both(p, 300, 4);
	/* About 2 x 110 KB with a limit of 4 KB. */
	ASSERT_INT_GT(packet_kex_count(p->c.ssh), 10);
	ASSERT_INT_EQ(packet_kex_count(p->c.ssh), packet_kex_count(p->s.ssh));
	pair_free(p);
}

static void
test_limits(void)
{
	struct tpair *p;

	TEST_START("rekey by bytes");
	bytes_case("chacha20-poly1305@openssh.com", "curve25519-sha256");
	bytes_case("aes128-ctr", "ecdh-sha2-nistp256");
	bytes_case("aes256-gcm@openssh.com", "curve25519-sha256");
	bytes_case("aes192-ctr", "diffie-hellman-group-exchange-sha256");
	TEST_DONE();

	TEST_START("rekey by packets");
	p = pair_new(NULL, NULL);
	pair_kex(p);
	/* The server's limit: 20 packets under one set of keys. */
	packet_set_rekey_limits(p->s.ssh, 0, 0, 20);
	stream_both(p, 200, 5);
	ASSERT_INT_GE(packet_kex_count(p->s.ssh), 8);
	pair_free(p);
	TEST_DONE();

	TEST_START("rekey by time");
	p = pair_new(NULL, NULL);
	pair_kex(p);
	ASSERT_INT_EQ(packet_rekey_timeout_ms(p->c.ssh), -1);
	packet_set_rekey_limits(p->c.ssh, 0, 3600, 0);
	ASSERT_INT_GT(packet_rekey_timeout_ms(p->c.ssh), 3590 * 1000);
	ASSERT_INT_LE(packet_rekey_timeout_ms(p->c.ssh), 3600 * 1000);
	ASSERT_INT_EQ(packet_check_rekey(p->c.ssh), 0);
	ASSERT_INT_EQ(packet_in_kex(p->c.ssh), 0);
	/* One second, then due. */
	packet_set_rekey_limits(p->c.ssh, 0, 1, 0);
	usleep(1100 * 1000);
	ASSERT_INT_EQ(packet_rekey_timeout_ms(p->c.ssh), 0);
	ASSERT_INT_EQ(packet_check_rekey(p->c.ssh), 0);
	ASSERT_INT_EQ(packet_in_kex(p->c.ssh), 1);
	ASSERT_INT_EQ(packet_rekey_timeout_ms(p->c.ssh), -1);
	pair_pump(p);
	ASSERT_INT_EQ(packet_kex_count(p->c.ssh), 2);
	ASSERT_INT_GT(packet_rekey_timeout_ms(p->c.ssh), 500);
	pair_free(p);
	TEST_DONE();
}

/* The host key may not change in a rekey (RFC 4253 9). */
static int
cb_key_from_ctx(struct ssh *ssh, const char *alg, const struct key **pubp,
    void *ctx)
{
	*pubp = *(struct key **)ctx;
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
hostkey_change_case(struct key *other)
{
	struct kex_params cp, sp;
	struct tpair *p;
	struct key *cur = harness_hostkey(HK_ECDSA256);

	harness_params(&cp, 0);
	harness_params(&sp, 1);
	cp.hostkey_algs = sp.hostkey_algs = "ecdsa-sha2-nistp256";
	sp.cb.get_hostkey = cb_key_from_ctx;
	sp.cb.sign = cb_sign;
	sp.cb.ctx = &cur;
	p = pair_new(&cp, &sp);
	pair_kex(p);
	cur = other;
	ASSERT_INT_EQ(kex_start_rekey(p->c.ssh), 0);
	pair_pump(p);
	ASSERT_INT_NE(p->c.err, 0);
	ASSERT_INT_EQ(packet_kex_count(p->c.ssh), 1);
	ASSERT_U32_EQ(side_sent_reason(&p->c),
	    SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE);
	pair_free(p);
}

static void
test_hostkey_change(void)
{
	struct key *other = NULL;

	TEST_START("rekey with a changed host key refused");
	ASSERT_INT_EQ(key_generate(KEY_ECDSA, 256, &other), 0);
	hostkey_change_case(other);
	key_free(other);
	TEST_DONE();
}

void
test_rekey(void)
{
	test_explicit();
	test_limits();
	test_hostkey_change();
}
