/*
 * Malformed and out-of-order messages: each ends the connection with the
 * right DISCONNECT reason (RFC 4253 11.1), or, where the RFC says so, is
 * answered with UNIMPLEMENTED; nothing crashes.
 */
#include "includes.h"

#include <openssl/bn.h>

#include "buf.h"
#include "errcode.h"
#include "kex-impl.h"
#include "kex.h"
#include "key.h"
#include "packet.h"
#include "ssh2.h"

#include "../test_helper/test_helper.h"
#include "test_transport.h"

/* ------------------------------------------------------------ raw peer */

/* A server fed by hand, after a valid client version line. */
static struct ssh *
raw_server(void)
{
	struct kex_params sp;
	struct ssh *s;
	const char v[] = "SSH-2.0-raw_test\r\n";

	harness_params(&sp, 1);
	ASSERT_INT_EQ(packet_new(1, &s), 0);
	ASSERT_INT_EQ(kex_setup(s, &sp), 0);
	ASSERT_INT_EQ(packet_input(s, v, sizeof(v) - 1), 0);
	return s;
}

/* Run s on what it has; the first error (0 if none). */
static int
raw_run(struct ssh *s)
{
	u_char type;
	int r;

	for (;;) {
		if ((r = packet_next(s, &type)) != 0)
			return r;
		if (type == SSH2_MSG_NONE)
			return 0;
	}
}

static void
raw_feed(struct ssh *s, const struct buf *b)
{
	ASSERT_INT_EQ(packet_input(s, buf_ptr(b), buf_len(b)), 0);
}

static void
raw_send(struct ssh *s, u_char type, const struct buf *payload)
{
	struct buf *b;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	raw_packet(b, type, payload == NULL ? NULL : buf_ptr(payload),
	    payload == NULL ? 0 : buf_len(payload));
	raw_feed(s, b);
	buf_free(b);
}

static u_int
local_reason(struct ssh *s)
{
	const char *desc;
	u_int reason;

	packet_disconnect_info(s, 0, &reason, &desc);
	return reason;
}

/* A client KEXINIT body (after the type byte). */
static struct buf *
kexinit_body(const char *kexalg, int strict)
{
	struct buf *b;
	u_char cookie[16] = { 0 };
	char list[256];

	snprintf(list, sizeof(list), "%s%s", kexalg,
	    strict ? ",kex-strict-c-v00@openssh.com" : "");
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put(b, cookie, sizeof(cookie)), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, list), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, "ssh-ed25519"), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, "aes128-ctr"), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, "aes128-ctr"), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, "hmac-sha1"), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, "hmac-sha1"), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, "none"), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, "none"), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, ""), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, ""), 0);
	ASSERT_INT_EQ(buf_put_u8(b, 0), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 0), 0);
	return b;
}

/* Feed raw bytes; expect an error and this DISCONNECT reason. */
static void
expect_raw_fail(struct ssh *s, u_int reason)
{
	ASSERT_INT_NE(raw_run(s), 0);
	ASSERT_INT_EQ(packet_is_closed(s), 1);
	ASSERT_U32_EQ(local_reason(s), reason);
	/* And everything after is refused the same way. */
	ASSERT_INT_EQ(raw_run(s), ERR_DISCONNECTED);
}

/* ------------------------------------------------------------ KEXINIT */

static void
test_kexinit(void)
{
	struct ssh *s;
	struct buf *b;
	size_t len, i;

	TEST_START("malformed KEXINIT truncated at every offset");
	b = kexinit_body("curve25519-sha256", 0);
	len = buf_len(b);
	for (i = 0; i < len; i++) {
		struct buf *t = buf_from(buf_ptr(b), i);

		s = raw_server();
		raw_send(s, SSH2_MSG_KEXINIT, t);
		expect_raw_fail(s, SSH2_DISCONNECT_PROTOCOL_ERROR);
		packet_free(s);
		buf_free(t);
	}
	TEST_DONE();

	TEST_START("malformed KEXINIT trailing data");
	s = raw_server();
	ASSERT_INT_EQ(buf_put_u8(b, 0), 0);
	raw_send(s, SSH2_MSG_KEXINIT, b);
	expect_raw_fail(s, SSH2_DISCONNECT_PROTOCOL_ERROR);
	packet_free(s);
	buf_free(b);
	TEST_DONE();

	TEST_START("malformed KEXINIT NUL in a name-list");
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put(b, "0123456789abcdef", 16), 0);
	ASSERT_INT_EQ(buf_put_string(b, "curve25519-sha256\0x", 19), 0);
	s = raw_server();
	raw_send(s, SSH2_MSG_KEXINIT, b);
	expect_raw_fail(s, SSH2_DISCONNECT_PROTOCOL_ERROR);
	packet_free(s);
	buf_free(b);
	TEST_DONE();

	TEST_START("malformed second KEXINIT during KEX");
	b = kexinit_body("curve25519-sha256", 0);
	s = raw_server();
	raw_send(s, SSH2_MSG_KEXINIT, b);
	ASSERT_INT_EQ(raw_run(s), 0);
	raw_send(s, SSH2_MSG_KEXINIT, b);
	expect_raw_fail(s, SSH2_DISCONNECT_PROTOCOL_ERROR);
	packet_free(s);
	buf_free(b);
	TEST_DONE();

	TEST_START("malformed KEXINIT with nothing supported");
	b = kexinit_body("diffie-hellman-group1-sha1", 0);
	s = raw_server();
	raw_send(s, SSH2_MSG_KEXINIT, b);
	expect_raw_fail(s, SSH2_DISCONNECT_KEY_EXCHANGE_FAILED);
	packet_free(s);
	buf_free(b);
	TEST_DONE();
}

/* ------------------------------------------------------------ framing */

static void
raw_bytes_case(const void *p, size_t len, u_int reason)
{
	struct ssh *s = raw_server();

	ASSERT_INT_EQ(packet_input(s, p, len), 0);
	expect_raw_fail(s, reason);
	packet_free(s);
}

static void
test_framing(void)
{
	struct ssh *s;
	struct buf *b;
	/* 1 MiB: refused from the length field alone. */
	const u_char huge[] = { 0x00, 0x10, 0x00, 0x00, 4 };
	const u_char maxplus[] = { 0x00, 0x04, 0x00, 0x04, 4 };
	const u_char neg[] = { 0xff, 0xff, 0xff, 0xfc, 4 };
	const u_char zero[] = { 0, 0, 0, 0, 0, 0, 0, 0 };
	const u_char odd[] = { 0, 0, 0, 13, 4, 20, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0 };
	/* padding_length 3 (RFC 4253 6: at least 4). */
	const u_char shortpad[] = { 0, 0, 0, 12, 3, 20, 1, 2, 3, 4, 5, 6, 7,
	    8, 9, 10 };
	/* padding_length covering the payload: nothing left. */
	const u_char nopayload[] = { 0, 0, 0, 12, 11, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0 };
	/* padding_length beyond the packet. */
	const u_char bigpad[] = { 0, 0, 0, 12, 200, 20, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0 };

	TEST_START("framing oversized and impossible lengths");
	raw_bytes_case(huge, sizeof(huge), SSH2_DISCONNECT_PROTOCOL_ERROR);
	raw_bytes_case(maxplus, sizeof(maxplus),
	    SSH2_DISCONNECT_PROTOCOL_ERROR);
	raw_bytes_case(neg, sizeof(neg), SSH2_DISCONNECT_PROTOCOL_ERROR);
	raw_bytes_case(zero, sizeof(zero), SSH2_DISCONNECT_PROTOCOL_ERROR);
	raw_bytes_case(odd, sizeof(odd), SSH2_DISCONNECT_PROTOCOL_ERROR);
	TEST_DONE();

	TEST_START("framing bad padding");
	raw_bytes_case(shortpad, sizeof(shortpad),
	    SSH2_DISCONNECT_PROTOCOL_ERROR);
	raw_bytes_case(nopayload, sizeof(nopayload),
	    SSH2_DISCONNECT_PROTOCOL_ERROR);
	raw_bytes_case(bigpad, sizeof(bigpad),
	    SSH2_DISCONNECT_PROTOCOL_ERROR);
	TEST_DONE();

	TEST_START("framing truncated packet then EOF");
	b = kexinit_body("curve25519-sha256", 0);
	s = raw_server();
	{
		struct buf *pk = buf_new();
		size_t i;

		u_char c;

		raw_packet(pk, SSH2_MSG_KEXINIT, buf_ptr(b), buf_len(b));
		/* Every proper prefix: waits for more, nothing breaks. */
		for (i = 0; buf_len(pk) > 1; i++) {
			ASSERT_INT_EQ(buf_get_u8(pk, &c), 0);
			ASSERT_INT_EQ(packet_input(s, &c, 1), 0);
			ASSERT_INT_EQ(raw_run(s), 0);
		}
		buf_free(pk);
	}
	packet_input_eof(s);
	ASSERT_INT_EQ(raw_run(s), ERR_CONN_CLOSED);
	ASSERT_INT_EQ(packet_is_closed(s), 1);
	/* No DISCONNECT to a peer that is gone. */
	ASSERT_U32_EQ(local_reason(s), 0);
	packet_free(s);
	buf_free(b);
	TEST_DONE();

	TEST_START("framing EOF at a packet boundary");
	s = raw_server();
	packet_input_eof(s);
	ASSERT_INT_EQ(raw_run(s), ERR_CONN_CLOSED);
	packet_free(s);
	TEST_DONE();
}

/* ------------------------------------------------------------ phases */

/* Output of s holds a packet of type t (plaintext phase). */
static int
output_has_type(struct ssh *s, u_char t)
{
	struct buf *o;
	uint32_t len;
	uint8_t padlen, type;
	int found = 0;
	size_t off;

	ASSERT_PTR_NE(o = buf_from(packet_output_ptr(s),
	    packet_output_len(s)), NULL);
	/* Skip the version line. */
	ASSERT_INT_EQ(buf_find(o, 0, "\n", 1, &off), 0);
	ASSERT_INT_EQ(buf_consume(o, off + 1), 0);
	while (buf_len(o) > 0) {
		ASSERT_INT_EQ(buf_get_u32(o, &len), 0);
		ASSERT_INT_EQ(buf_get_u8(o, &padlen), 0);
		ASSERT_INT_EQ(buf_get_u8(o, &type), 0);
		found |= type == t;
		ASSERT_INT_EQ(buf_consume(o, len - 2), 0);
	}
	buf_free(o);
	return found;
}

static void
test_phases(void)
{
	struct ssh *s;
	struct buf *b;

	TEST_START("phase application message before KEX: UNIMPLEMENTED");
	s = raw_server();
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_cstring(b, "ssh-userauth"), 0);
	raw_send(s, SSH2_MSG_SERVICE_REQUEST, b);
	ASSERT_INT_EQ(raw_run(s), 0);
	ASSERT_INT_EQ(packet_is_closed(s), 0);
	ASSERT_INT_EQ(output_has_type(s, SSH2_MSG_UNIMPLEMENTED), 1);
	buf_free(b);
	packet_free(s);
	TEST_DONE();

	TEST_START("phase unknown message type: UNIMPLEMENTED");
	s = raw_server();
	raw_send(s, 200, NULL);
	raw_send(s, SSH2_MSG_KEX_DH_GEX_INIT, NULL);
	ASSERT_INT_EQ(raw_run(s), 0);
	ASSERT_INT_EQ(output_has_type(s, SSH2_MSG_UNIMPLEMENTED), 1);
	packet_free(s);
	TEST_DONE();

	TEST_START("phase strict: application message before KEXINIT");
	s = raw_server();
	raw_send(s, SSH2_MSG_SERVICE_REQUEST, NULL);
	b = kexinit_body("curve25519-sha256", 1);
	raw_send(s, SSH2_MSG_KEXINIT, b);
	expect_raw_fail(s, SSH2_DISCONNECT_PROTOCOL_ERROR);
	buf_free(b);
	packet_free(s);
	TEST_DONE();
}

/* ------------------------------------------------------------ values */

/* KEXINIT for kexalg then message 30/34 with body; expect reason. */
static void
kex_value_case(const char *kexalg, u_char type, const struct buf *body,
    u_int reason)
{
	struct ssh *s = raw_server();
	struct buf *b = kexinit_body(kexalg, 0);

	raw_send(s, SSH2_MSG_KEXINIT, b);
	raw_send(s, type, body);
	expect_raw_fail(s, reason);
	buf_free(b);
	packet_free(s);
}

static struct buf *
string_body(const u_char *p, size_t len)
{
	struct buf *b = buf_new();

	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_put_string(b, p, len), 0);
	return b;
}

static void
test_bad_values(void)
{
	u_char pt[133];
	struct buf *b;
	BIGNUM *bn, *p;

	TEST_START("kex bad curve25519 values");
	memset(pt, 0, sizeof(pt));
	/* An all-zero point gives an all-zero secret: refused. */
	b = string_body(pt, 32);
	kex_value_case("curve25519-sha256", 30, b,
	    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED);
	buf_free(b);
	b = string_body(pt, 31);
	kex_value_case("curve25519-sha256", 30, b,
	    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED);
	buf_free(b);
	/* Trailing data after the field. */
	pt[0] = 9;
	b = string_body(pt, 32);
	ASSERT_INT_EQ(buf_put_u8(b, 0), 0);
	kex_value_case("curve25519-sha256", 30, b,
	    SSH2_DISCONNECT_PROTOCOL_ERROR);
	buf_free(b);
	/* Truncated field. */
	b = buf_new();
	ASSERT_INT_EQ(buf_put_u32(b, 32), 0);
	kex_value_case("curve25519-sha256", 30, b,
	    SSH2_DISCONNECT_PROTOCOL_ERROR);
	buf_free(b);
	TEST_DONE();

	TEST_START("kex bad ECDH points");
	memset(pt, 0, sizeof(pt));
	pt[0] = 0x04;
	/* (0, 0) is not on the curve. */
	b = string_body(pt, 65);
	kex_value_case("ecdh-sha2-nistp256", 30, b,
	    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED);
	buf_free(b);
	/* Compressed and infinity encodings, wrong lengths. */
	pt[0] = 0x02;
	b = string_body(pt, 33);
	kex_value_case("ecdh-sha2-nistp256", 30, b,
	    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED);
	buf_free(b);
	b = string_body(pt, 1);
	kex_value_case("ecdh-sha2-nistp384", 30, b,
	    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED);
	buf_free(b);
	pt[0] = 0x04;
	b = string_body(pt, 97);
	kex_value_case("ecdh-sha2-nistp521", 30, b,
	    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED);
	buf_free(b);
	TEST_DONE();

	TEST_START("kex bad DH values");
	ASSERT_INT_EQ(kex_dh_group_prime(KEX_DH_GROUP14, &p), 0);
	ASSERT_PTR_NE(bn = BN_new(), NULL);
	/* 1, p - 1, p, p + 1 and 0 are all refused. */
	{
		const int delta[] = { -1, 0, 1 };
		size_t i;

		ASSERT_INT_EQ(BN_set_word(bn, 1), 1);
		b = buf_new();
		ASSERT_INT_EQ(buf_put_bignum2(b, bn), 0);
		kex_value_case("diffie-hellman-group14-sha256", 30, b,
		    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED);
		buf_free(b);
		for (i = 0; i < 3; i++) {
			ASSERT_PTR_NE(BN_copy(bn, p), NULL);
			if (delta[i] < 0)
				ASSERT_INT_EQ(BN_sub_word(bn, 1), 1);
			else
				ASSERT_INT_EQ(BN_add_word(bn,
				    (BN_ULONG)delta[i]), 1);
			b = buf_new();
			ASSERT_INT_EQ(buf_put_bignum2(b, bn), 0);
			kex_value_case("diffie-hellman-group14-sha256", 30, b,
			    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED);
			buf_free(b);
		}
		b = buf_new();
		ASSERT_INT_EQ(buf_put_u32(b, 0), 0);
		kex_value_case("diffie-hellman-group14-sha256", 30, b,
		    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED);
		buf_free(b);
	}
	BN_free(bn);
	BN_free(p);
	TEST_DONE();

	TEST_START("kex bad group exchange requests");
	b = buf_new();
	ASSERT_INT_EQ(buf_put_u32(b, 8192), 0);	/* min > n */
	ASSERT_INT_EQ(buf_put_u32(b, 2048), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 8192), 0);
	kex_value_case("diffie-hellman-group-exchange-sha256", 34, b,
	    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED);
	buf_free(b);
	b = buf_new();
	ASSERT_INT_EQ(buf_put_u32(b, 512), 0);	/* nothing we have */
	ASSERT_INT_EQ(buf_put_u32(b, 768), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 1024), 0);
	kex_value_case("diffie-hellman-group-exchange-sha256", 34, b,
	    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED);
	buf_free(b);
	b = buf_new();
	ASSERT_INT_EQ(buf_put_u32(b, 2048), 0);	/* truncated */
	kex_value_case("diffie-hellman-group-exchange-sha256", 34, b,
	    SSH2_DISCONNECT_PROTOCOL_ERROR);
	buf_free(b);
	TEST_DONE();
}

/* ------------------------------------------------------------ after KEX */

/* A message the client sends after KEX; expect the server's reason. */
static void
post_kex_case(u_char type, const void *data, size_t len, u_int reason)
{
	struct tpair *p = pair_new(NULL, NULL);

	pair_kex(p);
	side_send(&p->c, type, data, len);
	pair_pump(p);
	ASSERT_INT_NE(p->s.err, 0);
	ASSERT_U32_EQ(side_sent_reason(&p->s), reason);
	ASSERT_INT_EQ(p->c.err, ERR_DISCONNECTED);
	pair_free(p);
}

static void
test_post_kex(void)
{
	const u_char debug_short[] = { 1, 0, 0, 0, 1, 'x' };
	const u_char unimp_long[] = { 0, 0, 0, 1, 0 };
	const u_char ext_many[] = { 0, 0, 4, 0 };
	const u_char ext_short[] = { 0, 0, 0, 1, 0, 0, 0, 1, 'a' };
	struct tpair *p;
	u_char *got, type;
	size_t glen;

	TEST_START("post-kex malformed transport messages");
	post_kex_case(SSH2_MSG_DEBUG, debug_short, sizeof(debug_short),
	    SSH2_DISCONNECT_PROTOCOL_ERROR);
	post_kex_case(SSH2_MSG_UNIMPLEMENTED, unimp_long, sizeof(unimp_long),
	    SSH2_DISCONNECT_PROTOCOL_ERROR);
	post_kex_case(SSH2_MSG_EXT_INFO, ext_many, sizeof(ext_many),
	    SSH2_DISCONNECT_PROTOCOL_ERROR);
	post_kex_case(SSH2_MSG_EXT_INFO, ext_short, sizeof(ext_short),
	    SSH2_DISCONNECT_PROTOCOL_ERROR);
	post_kex_case(SSH2_MSG_PING, NULL, 0, SSH2_DISCONNECT_PROTOCOL_ERROR);
	post_kex_case(SSH2_MSG_KEXINIT, "x", 1,
	    SSH2_DISCONNECT_PROTOCOL_ERROR);
	TEST_DONE();

	TEST_START("post-kex NEWKEYS out of turn: UNIMPLEMENTED");
	p = pair_new(NULL, NULL);
	pair_kex(p);
	side_send(&p->c, SSH2_MSG_NEWKEYS, NULL, 0);
	side_send(&p->c, SSH2_MSG_CHANNEL_DATA, "abc", 3);
	pair_pump(p);
	ASSERT_INT_EQ(p->s.err, 0);
	ASSERT_INT_EQ(p->c.err, 0);
	ASSERT_INT_EQ(side_recv(&p->s, &type, &got, &glen), 1);
	ASSERT_U8_EQ(type, SSH2_MSG_CHANNEL_DATA);
	free(got);
	pair_free(p);
	TEST_DONE();

	TEST_START("post-kex unknown message: UNIMPLEMENTED, carry on");
	p = pair_new(NULL, NULL);
	pair_kex(p);
	/* The server's application has no handler (packet_next hands it
	 * over); a reserved type goes to the table's default. */
	side_send(&p->c, SSH2_MSG_RESERVED_MIN, "abc", 3);
	side_send(&p->c, SSH2_MSG_CHANNEL_DATA, "abc", 3);
	pair_pump(p);
	ASSERT_INT_EQ(p->s.err, 0);
	ASSERT_INT_EQ(p->c.err, 0);
	ASSERT_INT_EQ(side_recv(&p->s, &type, &got, &glen), 1);
	ASSERT_U8_EQ(type, SSH2_MSG_RESERVED_MIN);
	free(got);
	ASSERT_INT_EQ(side_recv(&p->s, &type, &got, &glen), 1);
	ASSERT_U8_EQ(type, SSH2_MSG_CHANNEL_DATA);
	free(got);
	pair_free(p);
	TEST_DONE();

	TEST_START("post-kex DISCONNECT received");
	p = pair_new(NULL, NULL);
	pair_kex(p);
	ASSERT_INT_EQ(packet_disconnect(p->c.ssh,
	    SSH2_DISCONNECT_BY_APPLICATION, "bye %d", 42), ERR_DISCONNECTED);
	pair_pump(p);
	ASSERT_INT_EQ(p->s.err, ERR_DISCONNECTED);
	{
		const char *desc;
		u_int reason;

		packet_disconnect_info(p->s.ssh, 1, &reason, &desc);
		ASSERT_U32_EQ(reason, SSH2_DISCONNECT_BY_APPLICATION);
		ASSERT_STRING_EQ(desc, "bye 42");
		/* The server sent nothing back. */
		packet_disconnect_info(p->s.ssh, 0, &reason, &desc);
		ASSERT_U32_EQ(reason, 0);
	}
	/* Nothing more can be sent. */
	ASSERT_INT_EQ(packet_send_ignore(p->c.ssh, 4), ERR_DISCONNECTED);
	pair_free(p);
	TEST_DONE();
}

/* ------------------------------------------------------------ server lies */

static int
cb_any_key(struct ssh *ssh, const char *alg, const struct key **pubp,
    void *ctx)
{
	*pubp = harness_hostkey(*(int *)ctx);
	return 0;
}

/* Sign with the ECDSA P-256 key whatever was asked; corrupt if told. */
static int
cb_bad_sign(struct ssh *ssh, const struct key *pub, const char *alg,
    const u_char *data, size_t dlen, u_char **sigp, size_t *siglenp,
    void *ctx)
{
	int r, slot = *(int *)ctx;

	if (slot == HK_ECDSA256) {
		u_char h[64];

		/* Sign something else. */
		memcpy(h, data, dlen);
		h[0] ^= 1;
		return key_sign(pub, sigp, siglenp, h, dlen, alg);
	}
	r = key_sign(harness_hostkey(HK_ECDSA256), sigp, siglenp, data, dlen,
	    "ecdsa-sha2-nistp256");
	return r;
}

static void
test_server_lies(void)
{
	struct kex_params cp, sp;
	struct tpair *p;
	int slot;

	TEST_START("kex bad host key signature");
	harness_params(&cp, 0);
	harness_params(&sp, 1);
	cp.hostkey_algs = sp.hostkey_algs = "ecdsa-sha2-nistp256";
	sp.cb.get_hostkey = cb_any_key;
	sp.cb.sign = cb_bad_sign;
	sp.cb.ctx = &slot;
	slot = HK_ECDSA256;
	p = pair_new(&cp, &sp);
	pair_pump(p);
	ASSERT_INT_EQ(p->c.err, ERR_SIGNATURE_INVALID);
	ASSERT_U32_EQ(side_sent_reason(&p->c),
	    SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE);
	ASSERT_INT_EQ(p->c.verified, 0);
	pair_free(p);
	TEST_DONE();

	TEST_START("kex host key of the wrong type");
	slot = HK_ED25519;
	p = pair_new(&cp, &sp);
	pair_pump(p);
	ASSERT_INT_NE(p->c.err, 0);
	ASSERT_U32_EQ(side_sent_reason(&p->c),
	    SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE);
	pair_free(p);
	TEST_DONE();
}

void
test_malformed(void)
{
	test_kexinit();
	test_framing();
	test_phases();
	test_bad_values();
	test_post_kex();
	test_server_lies();
}
