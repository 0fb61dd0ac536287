/*
 * Integrity failures once keys are in use: a bad MAC or tag, bad padding
 * under a good MAC, and an impossible length all give the same error and
 * the same DISCONNECT, at the same point of the input (no oracle).
 *
 * The forged packets are built here with the client's own keys, taken
 * from its serialised state (packet-state.c documents the layout), by a
 * framing written independently of packet.c.
 */
#include "includes.h"

#include "buf.h"
#include "cipher.h"
#include "errcode.h"
#include "kex.h"
#include "mac.h"
#include "packet.h"
#include "ssh2.h"

#include "../test_helper/test_helper.h"
#include "test_transport.h"

struct forger {
	const struct cipher *c;
	struct cipher_ctx *cc;
	struct mac_ctx *mc;
	uint32_t seqnr;
};

enum forgery { F_GOOD, F_BADMAC, F_BADPAD, F_BADLEN };

static void
skip_dir(struct buf *b)
{
	int i;

	for (i = 0; i < 5; i++)
		ASSERT_INT_EQ(buf_get_string_direct(b, NULL, NULL), 0);
	ASSERT_INT_EQ(buf_get(b, NULL, 4 + 4 + 4 * 8), 0);
}

/* The client's outgoing keys, continuing where its stream stopped. */
static void
forger_from_client(struct ssh *c, struct forger *f)
{
	struct buf *b;
	char *cname = NULL, *mname = NULL;
	const u_char *key, *iv, *mkey;
	size_t klen, ivlen, mklen;
	uint32_t comp;

	memset(f, 0, sizeof(*f));
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(packet_state_serialize(c, b), 0);
	/* magic */
	ASSERT_INT_EQ(buf_get_string_direct(b, NULL, NULL), 0);
	ASSERT_INT_EQ(buf_get(b, NULL, 4), 0);			/* role */
	skip_dir(b);						/* in */
	ASSERT_INT_EQ(buf_get_cstring(b, &cname, NULL), 0);
	ASSERT_INT_EQ(buf_get_string_direct(b, &key, &klen), 0);
	ASSERT_INT_EQ(buf_get_string_direct(b, &iv, &ivlen), 0);
	ASSERT_INT_EQ(buf_get_cstring(b, &mname, NULL), 0);
	ASSERT_INT_EQ(buf_get_string_direct(b, &mkey, &mklen), 0);
	ASSERT_INT_EQ(buf_get_u32(b, &comp), 0);
	ASSERT_INT_EQ(buf_get_u32(b, &f->seqnr), 0);
	ASSERT_PTR_NE(f->c = cipher_by_name(cname), NULL);
	ASSERT_INT_EQ(cipher_init(&f->cc, f->c, key, klen, iv, ivlen,
	    CIPHER_ENCRYPT), 0);
	if (*mname != '\0')
		ASSERT_INT_EQ(mac_init(&f->mc, mac_by_name(mname), mkey,
		    mklen), 0);
	free(cname);
	free(mname);
	buf_free(b);
}

static void
forger_free(struct forger *f)
{
	cipher_free(f->cc);
	mac_free(f->mc);
}

/* Store a big-endian uint32. */
static void
put32(u_char *p, uint32_t v)
{
	p[0] = (u_char)(v >> 24);
	p[1] = (u_char)(v >> 16);
	p[2] = (u_char)(v >> 8);
	p[3] = (u_char)v;
}

/* One CHANNEL_DATA packet, possibly broken as asked. */
static void
forge(struct forger *f, enum forgery how, struct buf *out)
{
	int aead = cipher_is_aead(f->c);
	int etm = f->mc != NULL && mac_is_etm(mac_ctx_alg(f->mc));
	size_t bs = cipher_block_size(f->c), payload = 9, padlen, len;
	size_t authlen = aead ? cipher_tag_len(f->c) :
	    mac_tag_len(mac_ctx_alg(f->mc));
	u_char pkt[256], *tag;

	/* RFC 4253 6, with the length field outside for EtM and AEAD. */
	padlen = bs - (((aead || etm) ? 0 : 4) + 1 + payload) % bs;
	if (padlen < 4)
		padlen += bs;
	len = 1 + payload + padlen;
	memset(pkt, 0x5a, sizeof(pkt));
	put32(pkt, (uint32_t)len);
	pkt[4] = (u_char)padlen;
	pkt[5] = SSH2_MSG_CHANNEL_DATA;
	memcpy(pkt + 6, "\0\0\0\4good", payload - 1);
	if (how == F_BADPAD) {
		/* Shorter than RFC 4253's minimum of 4 bytes. */
		pkt[4] = 3;
	}
	if (how == F_BADLEN)
		put32(pkt, 300 * 1024);
	tag = pkt + 4 + len;
	if (aead) {
		ASSERT_INT_EQ(cipher_crypt(f->cc, f->seqnr, pkt, pkt + 4,
		    len, tag, authlen), 0);
	} else if (etm) {
		ASSERT_INT_EQ(cipher_crypt(f->cc, f->seqnr, pkt, pkt + 4, len,
		    NULL, 0), 0);
		ASSERT_INT_EQ(mac_compute(f->mc, f->seqnr, pkt, 4 + len, tag,
		    authlen), 0);
	} else {
		ASSERT_INT_EQ(mac_compute(f->mc, f->seqnr, pkt, 4 + len, tag,
		    authlen), 0);
		ASSERT_INT_EQ(cipher_crypt(f->cc, f->seqnr, NULL, pkt,
		    4 + len, NULL, 0), 0);
	}
	if (how == F_BADMAC)
		tag[authlen - 1] ^= 0x01;
	f->seqnr++;
	ASSERT_INT_EQ(buf_put(out, pkt, 4 + len + authlen), 0);
}

struct outcome {
	int err;
	u_int reason;
	char desc[256];
	size_t fed;		/* input bytes when the error came */
};

/*
 * A fresh connection; the client's packet replaced by a forged one,
 * followed by filler fed in chunks until the server gives up.
 */
static void
run_forgery(const char *cipher, const char *mac, enum forgery how,
    struct outcome *o)
{
	struct kex_params cp;
	struct tpair *p;
	struct forger f;
	struct buf *b;
	u_char filler[4096], *got, type;
	size_t glen, i;
	const char *desc;

	memset(o, 0, sizeof(*o));
	memset(filler, 0xa5, sizeof(filler));
	harness_params(&cp, 0);
	cp.ciphers = cipher;
	cp.macs = mac;
	p = pair_new(&cp, NULL);
	pair_kex(p);
	forger_from_client(p->c.ssh, &f);
	ASSERT_PTR_NE(b = buf_new(), NULL);
	forge(&f, how, b);
	ASSERT_INT_EQ(packet_input(p->s.ssh, buf_ptr(b), buf_len(b)), 0);
	o->fed = buf_len(b);
	side_step(&p->s);
	if (how == F_GOOD) {
		ASSERT_INT_EQ(p->s.err, 0);
		ASSERT_INT_EQ(side_recv(&p->s, &type, &got, &glen), 1);
		ASSERT_U8_EQ(type, SSH2_MSG_CHANNEL_DATA);
		ASSERT_MEM_EQ(got, "\0\0\0\4good", 8);
		free(got);
		/* And the stream carries on. */
		buf_reset(b);
		forge(&f, how, b);
		ASSERT_INT_EQ(packet_input(p->s.ssh, buf_ptr(b),
		    buf_len(b)), 0);
		side_step(&p->s);
		ASSERT_INT_EQ(side_recv(&p->s, &type, &got, &glen), 1);
		free(got);
	}
	for (i = 0; p->s.err == 0 && how != F_GOOD && i < 1000; i++) {
		ASSERT_INT_EQ(packet_input(p->s.ssh, filler,
		    sizeof(filler)), 0);
		o->fed += sizeof(filler);
		side_step(&p->s);
	}
	o->err = p->s.err;
	packet_disconnect_info(p->s.ssh, 0, &o->reason, &desc);
	if (desc != NULL)
		strlcpy(o->desc, desc, sizeof(o->desc));
	forger_free(&f);
	buf_free(b);
	pair_free(p);
}

static void
same_outcome(const struct outcome *a, const struct outcome *b)
{
	ASSERT_INT_EQ(a->err, ERR_MAC_INVALID);
	ASSERT_INT_EQ(b->err, a->err);
	ASSERT_U32_EQ(a->reason, SSH2_DISCONNECT_MAC_ERROR);
	ASSERT_U32_EQ(b->reason, a->reason);
	ASSERT_STRING_EQ(a->desc, b->desc);
}

static void
integrity_case(const char *cipher, const char *mac, int hidden)
{
	struct outcome good, badmac, badpad, badlen;

	run_forgery(cipher, mac, F_GOOD, &good);
	ASSERT_INT_EQ(good.err, 0);
	run_forgery(cipher, mac, F_BADMAC, &badmac);
	run_forgery(cipher, mac, F_BADPAD, &badpad);
	run_forgery(cipher, mac, F_BADLEN, &badlen);
	same_outcome(&badmac, &badpad);
	same_outcome(&badmac, &badlen);
	if (hidden) {
		/* Reported only once PACKET_MAX_SIZE bytes have arrived. */
		ASSERT_SIZE_T_GT(badmac.fed, PACKET_MAX_SIZE);
		ASSERT_SIZE_T_LT(badmac.fed, PACKET_MAX_SIZE + 4096 + 256);
		ASSERT_SIZE_T_EQ(badpad.fed, badmac.fed);
		ASSERT_SIZE_T_EQ(badlen.fed, badmac.fed);
	} else {
		/* The length was public anyway: at once. */
		ASSERT_SIZE_T_LT(badmac.fed, 256);
		ASSERT_SIZE_T_LT(badpad.fed, 256);
		ASSERT_SIZE_T_LT(badlen.fed, 256);
	}
}

static void
test_truncated_eof(void)
{
	struct tpair *p;
	struct forger f;
	struct buf *b;

	TEST_START("integrity: packet cut short then EOF after keys");
	p = pair_new(NULL, NULL);
	pair_kex(p);
	forger_from_client(p->c.ssh, &f);
	ASSERT_PTR_NE(b = buf_new(), NULL);
	forge(&f, F_GOOD, b);
	ASSERT_INT_EQ(packet_input(p->s.ssh, buf_ptr(b), buf_len(b) - 1), 0);
	side_step(&p->s);
	ASSERT_INT_EQ(p->s.err, 0);
	packet_input_eof(p->s.ssh);
	side_step(&p->s);
	/* A peer that went away mid-packet: closed, not an attack. */
	ASSERT_INT_EQ(p->s.err, ERR_CONN_CLOSED);
	forger_free(&f);
	buf_free(b);
	pair_free(p);
	TEST_DONE();
}

void
test_integrity(void)
{
	TEST_START("integrity: MtE aes128-ctr hmac-sha2-256");
	integrity_case("aes128-ctr", "hmac-sha2-256", 1);
	integrity_case("aes256-ctr", "hmac-sha1", 1);
	TEST_DONE();
	TEST_START("integrity: EtM aes192-ctr hmac-sha2-512-etm");
	integrity_case("aes192-ctr", "hmac-sha2-512-etm@openssh.com", 0);
	TEST_DONE();
	TEST_START("integrity: AEAD aes128-gcm");
	integrity_case("aes128-gcm@openssh.com", NULL, 0);
	integrity_case("aes256-gcm@openssh.com", NULL, 0);
	TEST_DONE();
	TEST_START("integrity: AEAD chacha20-poly1305");
	integrity_case("chacha20-poly1305@openssh.com", NULL, 1);
	TEST_DONE();
	test_truncated_eof();
}
