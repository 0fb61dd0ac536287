/*
 * Strict KEX (kex-strict-*-v00@openssh.com, OpenSSH PROTOCOL 1.10): the
 * first packet must be KEXINIT, nothing unexpected during the initial
 * KEX, sequence numbers reset at NEWKEYS.  And the lenient behaviour
 * without it.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "kex.h"
#include "packet.h"
#include "ssh2.h"

#include "../test_helper/test_helper.h"
#include "test_transport.h"

static struct tpair *
pair_flags_cipher(u_int cflags, const char *cipher)
{
	struct kex_params cp;

	harness_params(&cp, 0);
	cp.test_flags = cflags;
	cp.ciphers = cipher;
	return pair_new(&cp, NULL);
}

static struct tpair *
pair_flags(u_int cflags)
{
	return pair_flags_cipher(cflags, NULL);
}

static void
expect_reason(struct tside *t, u_int reason, const char *substr)
{
	const char *desc;
	u_int got;

	packet_disconnect_info(t->ssh, 0, &got, &desc);
	ASSERT_U32_EQ(got, reason);
	ASSERT_PTR_NE(desc, NULL);
	if (strstr(desc, substr) == NULL)
		ASSERT_STRING_EQ(desc, substr);
}

static void
test_first_packet(void)
{
	struct tpair *p;

	TEST_START("strict kex: IGNORE before KEXINIT refused");
	p = pair_flags(KEX_TEST_IGNORE_FIRST);
	pair_pump(p);
	ASSERT_INT_NE(p->s.err, 0);
	ASSERT_INT_EQ(packet_kex_count(p->s.ssh), 0);
	expect_reason(&p->s, SSH2_DISCONNECT_PROTOCOL_ERROR,
	    "KEXINIT was not the first packet");
	/* The client hears why. */
	ASSERT_INT_EQ(p->c.err, ERR_DISCONNECTED);
	pair_free(p);
	TEST_DONE();

	TEST_START("no strict kex: IGNORE before KEXINIT accepted");
	p = pair_flags(KEX_TEST_IGNORE_FIRST | KEX_TEST_NO_STRICT);
	pair_kex(p);
	ASSERT_INT_EQ(kex_is_strict(p->s.ssh), 0);
	ASSERT_INT_EQ(kex_is_strict(p->c.ssh), 0);
	pair_free(p);
	TEST_DONE();
}

static void
test_no_reset(void)
{
	struct tpair *p;

	TEST_START("strict kex: sequence numbers not reset");
	/* (AES-GCM does not use sequence numbers; the MAC does.) */
	p = pair_flags_cipher(KEX_TEST_NO_STRICT_RESET, "aes128-ctr");
	side_send(&p->c, SSH2_MSG_SERVICE_REQUEST, "\0\0\0\0", 4);
	pair_pump(p);
	/* The client's idea of the server's numbers is off: bad MAC. */
	ASSERT_INT_EQ(p->c.err, ERR_MAC_INVALID);
	expect_reason(&p->c, SSH2_DISCONNECT_MAC_ERROR, "Corrupted MAC");
	ASSERT_U32_EQ(p->s.nrx, 0);
	pair_free(p);
	/* chacha20-poly1305: the wrong nonce garbles the length, so both
	 * sides wait (no oracle) until the input ends. */
	p = pair_flags_cipher(KEX_TEST_NO_STRICT_RESET,
	    "chacha20-poly1305@openssh.com");
	side_send(&p->c, SSH2_MSG_SERVICE_REQUEST, "\0\0\0\0", 4);
	pair_pump(p);
	ASSERT_INT_EQ(p->c.err, 0);
	ASSERT_INT_EQ(p->s.err, 0);
	ASSERT_U32_EQ(p->s.nrx, 0);
	packet_input_eof(p->s.ssh);
	side_step(&p->s);
	ASSERT_INT_EQ(p->s.err, ERR_MAC_INVALID);
	expect_reason(&p->s, SSH2_DISCONNECT_MAC_ERROR, "Corrupted MAC");
	pair_free(p);
	TEST_DONE();

	TEST_START("no strict kex: sequence numbers run on");
	p = pair_flags(KEX_TEST_NO_STRICT_RESET | KEX_TEST_NO_STRICT);
	side_send(&p->c, SSH2_MSG_SERVICE_REQUEST, "\0\0\0\0", 4);
	pair_kex(p);
	ASSERT_U32_EQ(p->s.nrx, 1);
	pair_free(p);
	TEST_DONE();
}

/*
 * Run the version exchange and let the client send its KEXINIT, then
 * have the client send one more packet of type t before anything else.
 */
static struct tpair *
inject_after_kexinit(u_int cflags, u_char type, const void *data,
    size_t len)
{
	struct tpair *p = pair_flags(cflags);

	side_xfer(&p->s, &p->c);
	side_step(&p->c);
	ASSERT_INT_EQ(p->c.err, 0);
	ASSERT_INT_EQ(packet_in_kex(p->c.ssh), 1);
	side_send(&p->c, type, data, len);
	pair_pump(p);
	return p;
}

static void
test_unexpected(void)
{
	struct tpair *p;
	const u_char debug[] = { 0, 0, 0, 0, 1, 'x', 0, 0, 0, 0 };
	const u_char unimp[] = { 0, 0, 0, 7 };

	TEST_START("strict kex: DEBUG during initial KEX refused");
	p = inject_after_kexinit(0, SSH2_MSG_DEBUG, debug, sizeof(debug));
	ASSERT_INT_NE(p->s.err, 0);
	expect_reason(&p->s, SSH2_DISCONNECT_PROTOCOL_ERROR,
	    "strict KEX violation: unexpected packet type 4");
	pair_free(p);
	TEST_DONE();

	TEST_START("strict kex: UNIMPLEMENTED during initial KEX refused");
	p = inject_after_kexinit(0, SSH2_MSG_UNIMPLEMENTED, unimp,
	    sizeof(unimp));
	ASSERT_INT_NE(p->s.err, 0);
	expect_reason(&p->s, SSH2_DISCONNECT_PROTOCOL_ERROR,
	    "strict KEX violation");
	pair_free(p);
	TEST_DONE();

	TEST_START("strict kex: out-of-sequence KEX message refused");
	/* A server-side message (the reply) from the client. */
	p = inject_after_kexinit(0, SSH2_MSG_KEX_ECDH_REPLY, unimp,
	    sizeof(unimp));
	ASSERT_INT_NE(p->s.err, 0);
	expect_reason(&p->s, SSH2_DISCONNECT_PROTOCOL_ERROR,
	    "strict KEX violation: unexpected packet type 31");
	pair_free(p);
	/* EXT_INFO before NEWKEYS (RFC 8308 2.4). */
	{
		const u_char ext[] = { 0, 0, 0, 0 };

		p = inject_after_kexinit(0, SSH2_MSG_EXT_INFO, ext,
		    sizeof(ext));
		ASSERT_INT_NE(p->s.err, 0);
		expect_reason(&p->s, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "strict KEX violation: unexpected packet type 7");
		pair_free(p);
	}
	/* NEWKEYS before its time. */
	p = inject_after_kexinit(0, SSH2_MSG_NEWKEYS, NULL, 0);
	ASSERT_INT_NE(p->s.err, 0);
	expect_reason(&p->s, SSH2_DISCONNECT_PROTOCOL_ERROR,
	    "strict KEX violation");
	pair_free(p);
	TEST_DONE();

	TEST_START("no strict kex: DEBUG during initial KEX accepted");
	p = inject_after_kexinit(KEX_TEST_NO_STRICT, SSH2_MSG_DEBUG, debug,
	    sizeof(debug));
	ASSERT_INT_EQ(p->s.err, 0);
	ASSERT_INT_EQ(p->c.err, 0);
	ASSERT_INT_EQ(packet_kex_count(p->s.ssh), 1);
	pair_free(p);
	TEST_DONE();

	TEST_START("no strict kex: unexpected KEX message gets UNIMPLEMENTED");
	p = inject_after_kexinit(KEX_TEST_NO_STRICT, SSH2_MSG_KEX_ECDH_REPLY,
	    unimp, sizeof(unimp));
	ASSERT_INT_EQ(p->s.err, 0);
	ASSERT_INT_EQ(p->c.err, 0);
	ASSERT_INT_EQ(packet_kex_count(p->c.ssh), 1);
	pair_free(p);
	TEST_DONE();
}

void
test_strict(void)
{
	test_first_packet();
	test_no_reset();
	test_unexpected();
}
