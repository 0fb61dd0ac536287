/*
 * Unit tests for mac.c: the algorithm table, RFC 2202 / RFC 4231 known
 * answers through the sequence-number framing, the framing rebuilt by
 * hand with OpenSSL's one-shot HMAC, and the negative cases.
 */
#include "includes.h"

#include <openssl/evp.h>

#include "errcode.h"
#include "mac.h"

#include "../test_helper/test_helper.h"
#include "../test_helper/kat.h"

static const struct {
	const char *name;
	const char *ossl_digest;
	size_t key_len, tag_len;
	int etm;
} expect[] = {
	{ "hmac-sha1", "SHA1", 20, 20, 0 },
	{ "hmac-sha2-256", "SHA256", 32, 32, 0 },
	{ "hmac-sha2-512", "SHA512", 64, 64, 0 },
	{ "hmac-sha1-etm@openssh.com", "SHA1", 20, 20, 1 },
	{ "hmac-sha2-256-etm@openssh.com", "SHA256", 32, 32, 1 },
	{ "hmac-sha2-512-etm@openssh.com", "SHA512", 64, 64, 1 },
};
#define NEXPECT	(sizeof(expect) / sizeof(expect[0]))

static uint32_t
get_u32_be(const u_char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
test_mac_table(void)
{
	const struct mac_alg *m;
	char *list;
	size_t i;

	TEST_START("mac table");
	for (i = 0; i < NEXPECT; i++) {
		m = mac_by_name(expect[i].name);
		ASSERT_PTR_NE(m, NULL);
		ASSERT_STRING_EQ(mac_name(m), expect[i].name);
		ASSERT_SIZE_T_EQ(mac_key_len(m), expect[i].key_len);
		ASSERT_SIZE_T_EQ(mac_tag_len(m), expect[i].tag_len);
		ASSERT_INT_EQ(mac_is_etm(m), expect[i].etm);
	}
	ASSERT_PTR_EQ(mac_by_name("hmac-md5"), NULL);
	ASSERT_PTR_EQ(mac_by_name("umac-64@openssh.com"), NULL);
	ASSERT_PTR_EQ(mac_by_name("HMAC-SHA1"), NULL);
	ASSERT_PTR_EQ(mac_by_name(""), NULL);
	ASSERT_PTR_EQ(mac_by_name(NULL), NULL);
	ASSERT_PTR_EQ(mac_name(NULL), NULL);
	ASSERT_SIZE_T_EQ(mac_tag_len(NULL), 0);
	ASSERT_INT_EQ(mac_is_etm(NULL), 0);
	TEST_DONE();

	TEST_START("mac lists");
	ASSERT_INT_EQ(mac_list_is_valid("hmac-sha2-256"), 1);
	ASSERT_INT_EQ(mac_list_is_valid("hmac-sha2-512-etm@openssh.com,"
	    "hmac-sha1"), 1);
	ASSERT_INT_EQ(mac_list_is_valid("hmac-sha1,"), 0);
	ASSERT_INT_EQ(mac_list_is_valid(",hmac-sha1"), 0);
	ASSERT_INT_EQ(mac_list_is_valid("hmac-sha1,,hmac-sha1"), 0);
	ASSERT_INT_EQ(mac_list_is_valid("hmac-sha1,hmac-md5"), 0);
	ASSERT_INT_EQ(mac_list_is_valid("none"), 0);
	ASSERT_INT_EQ(mac_list_is_valid(""), 0);
	ASSERT_INT_EQ(mac_list_is_valid(NULL), 0);
	list = mac_alg_list(',');
	ASSERT_STRING_EQ(list, "hmac-sha1,hmac-sha2-256,hmac-sha2-512,"
	    "hmac-sha1-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"
	    "hmac-sha2-512-etm@openssh.com");
	ASSERT_INT_EQ(mac_list_is_valid(list), 1);
	free(list);
	TEST_DONE();
}

/*
 * One RFC vector, plain and -etm form: the first four bytes of the RFC's
 * data are the sequence number, the rest the packet, so the MAC the RFC
 * gives must come out of mac.c's seqnr || packet framing.
 */
static void
rfc_one(struct kat *k, const char *name)
{
	struct mac_ctx *mc = NULL;
	const u_char *key, *data, *want;
	u_char out[MAC_MAX_TAG_LEN], bad[MAC_MAX_TAG_LEN], *pkt;
	size_t klen, dlen, wlen, tlen, trunc = 0;
	uint32_t seqnr;

	key = kat_hex(k, "key", &klen);
	data = kat_hex(k, "data", &dlen);
	want = kat_hex(k, "mac", &wlen);
	ASSERT_SIZE_T_GT(dlen, 4);
	if (kat_has(k, "trunc"))
		trunc = (size_t)kat_num(k, "trunc", MAC_MAX_TAG_LEN);
	ASSERT_INT_EQ(mac_init(&mc, mac_by_name(name), key, klen), 0);
	tlen = mac_tag_len(mac_ctx_alg(mc));
	ASSERT_SIZE_T_EQ(wlen, trunc != 0 ? trunc : tlen);
	seqnr = get_u32_be(data);
	/* A copy so that ASan sees any read past the packet. */
	ASSERT_PTR_NE(pkt = malloc(dlen - 4), NULL);
	memcpy(pkt, data + 4, dlen - 4);
	memset(out, 0, sizeof(out));
	ASSERT_INT_EQ(mac_compute(mc, seqnr, pkt, dlen - 4, out, tlen), 0);
	ASSERT_MEM_EQ(out, want, wlen);
	if (trunc == 0) {
		ASSERT_INT_EQ(mac_check(mc, seqnr, pkt, dlen - 4, want, wlen),
		    0);
		ASSERT_INT_EQ(mac_check(mc, seqnr + 1, pkt, dlen - 4, want,
		    wlen), ERR_MAC_INVALID);
		ASSERT_INT_EQ(mac_check(mc, seqnr, pkt, dlen - 5, want, wlen),
		    ERR_MAC_INVALID);
		ASSERT_INT_EQ(mac_check(mc, seqnr, pkt, dlen - 4, want,
		    wlen - 1), ERR_MAC_INVALID);
		memcpy(bad, want, wlen);
		bad[wlen - 1] ^= 1;
		ASSERT_INT_EQ(mac_check(mc, seqnr, pkt, dlen - 4, bad, wlen),
		    ERR_MAC_INVALID);
	}
	free(pkt);
	mac_free(mc);
}

static void
test_mac_rfc(void)
{
	struct kat *k;
	const char *alg;
	int n = 0;

	TEST_START("mac RFC 2202 / RFC 4231");
	k = kat_open("hmac-rfc2202-rfc4231.txt");
	while (kat_next(k)) {
		alg = kat_str(k, "alg");
		if (strcmp(alg, "sha1") == 0) {
			rfc_one(k, "hmac-sha1");
			rfc_one(k, "hmac-sha1-etm@openssh.com");
		} else if (strcmp(alg, "sha256") == 0) {
			rfc_one(k, "hmac-sha2-256");
			rfc_one(k, "hmac-sha2-256-etm@openssh.com");
		} else if (strcmp(alg, "sha512") == 0) {
			rfc_one(k, "hmac-sha2-512");
			rfc_one(k, "hmac-sha2-512-etm@openssh.com");
		} else
			continue;
		n++;
	}
	kat_close(k);
	ASSERT_INT_EQ(n, 21);
	TEST_DONE();
}

/* The framing rebuilt with OpenSSL's one-shot HMAC over seqnr || packet. */
static void
framing_one(size_t i, uint32_t seqnr, size_t len)
{
	struct mac_ctx *mc = NULL;
	u_char key[64], *msg, out[MAC_MAX_TAG_LEN], want[MAC_MAX_TAG_LEN];
	size_t klen = expect[i].key_len, outl = 0;

	arc4random_buf(key, sizeof(key));
	ASSERT_PTR_NE(msg = malloc(4 + len), NULL);
	arc4random_buf(msg, 4 + len);
	msg[0] = (u_char)(seqnr >> 24);
	msg[1] = (u_char)(seqnr >> 16);
	msg[2] = (u_char)(seqnr >> 8);
	msg[3] = (u_char)seqnr;
	ASSERT_PTR_NE(EVP_Q_mac(NULL, "HMAC", NULL, expect[i].ossl_digest,
	    NULL, key, klen, msg, 4 + len, want, sizeof(want), &outl), NULL);
	ASSERT_SIZE_T_EQ(outl, expect[i].tag_len);
	ASSERT_INT_EQ(mac_init(&mc, mac_by_name(expect[i].name), key, klen),
	    0);
	/* Twice: the context is re-used packet after packet. */
	memset(out, 0, sizeof(out));
	ASSERT_INT_EQ(mac_compute(mc, seqnr, msg + 4, len, out, sizeof(out)),
	    0);
	ASSERT_MEM_EQ(out, want, outl);
	memset(out, 0, sizeof(out));
	ASSERT_INT_EQ(mac_compute(mc, seqnr, msg + 4, len, out, outl), 0);
	ASSERT_MEM_EQ(out, want, outl);
	ASSERT_INT_EQ(mac_check(mc, seqnr, msg + 4, len, want, outl), 0);
	mac_free(mc);
	free(msg);
}

static void
test_mac_framing(void)
{
	static const uint32_t seqnrs[] = {
		0, 1, 0xff, 0x100, 0x01020304, 0x7fffffff, 0x80000000,
		0xffffffff
	};
	size_t i, j;

	TEST_START("mac seqnr framing");
	for (i = 0; i < NEXPECT; i++) {
		for (j = 0; j < sizeof(seqnrs) / sizeof(seqnrs[0]); j++) {
			framing_one(i, seqnrs[j], 0);
			framing_one(i, seqnrs[j], 1 + arc4random_uniform(70));
			framing_one(i, seqnrs[j], arc4random_uniform(40000));
		}
	}
	TEST_DONE();
}

static void
test_mac_negative(void)
{
	const struct mac_alg *m = mac_by_name("hmac-sha2-256-etm@openssh.com");
	struct mac_ctx *mc;
	u_char key[32], pkt[40], tag[32], bad[32];
	size_t i, bit;

	TEST_START("mac flipped bits");
	arc4random_buf(key, sizeof(key));
	arc4random_buf(pkt, sizeof(pkt));
	ASSERT_INT_EQ(mac_init(&mc, m, key, sizeof(key)), 0);
	ASSERT_INT_EQ(mac_compute(mc, 77, pkt, sizeof(pkt), tag, sizeof(tag)),
	    0);
	for (i = 0; i < sizeof(pkt); i++) {
		for (bit = 0; bit < 8; bit++) {
			pkt[i] ^= (u_char)(1 << bit);
			ASSERT_INT_EQ(mac_check(mc, 77, pkt, sizeof(pkt), tag,
			    sizeof(tag)), ERR_MAC_INVALID);
			pkt[i] ^= (u_char)(1 << bit);
		}
	}
	for (i = 0; i < sizeof(tag); i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(bad, tag, sizeof(bad));
			bad[i] ^= (u_char)(1 << bit);
			ASSERT_INT_EQ(mac_check(mc, 77, pkt, sizeof(pkt), bad,
			    sizeof(bad)), ERR_MAC_INVALID);
		}
	}
	for (bit = 0; bit < 32; bit++)
		ASSERT_INT_EQ(mac_check(mc, 77 ^ (1U << bit), pkt, sizeof(pkt),
		    tag, sizeof(tag)), ERR_MAC_INVALID);
	ASSERT_INT_EQ(mac_check(mc, 77, pkt, sizeof(pkt), tag, sizeof(tag)),
	    0);
	TEST_DONE();

	TEST_START("mac arguments");
	ASSERT_INT_EQ(mac_check(mc, 77, pkt, sizeof(pkt), tag, 31),
	    ERR_MAC_INVALID);
	ASSERT_INT_EQ(mac_check(mc, 77, pkt, sizeof(pkt), tag, 0),
	    ERR_MAC_INVALID);
	ASSERT_INT_EQ(mac_check(mc, 77, pkt, sizeof(pkt), NULL, 32),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(mac_check(mc, 77, NULL, 1, tag, 32),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(mac_compute(mc, 77, pkt, sizeof(pkt), bad, 31),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(mac_compute(mc, 77, NULL, 1, bad, 32),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(mac_compute(mc, 77, pkt, sizeof(pkt), NULL, 32),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(mac_compute(NULL, 77, pkt, sizeof(pkt), bad, 32),
	    ERR_INVALID_ARGUMENT);
	mac_free(mc);
	mac_free(NULL);
	mc = (struct mac_ctx *)pkt;	/* a failing mac_init clears it */
	ASSERT_INT_EQ(mac_init(&mc, NULL, key, 32), ERR_INVALID_ARGUMENT);
	ASSERT_PTR_EQ(mc, NULL);
	ASSERT_INT_EQ(mac_init(&mc, m, NULL, 32), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(mac_init(&mc, m, key, MAC_MAX_KEY_LEN + 1),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(mac_init(NULL, m, key, 32), ERR_INVALID_ARGUMENT);
	/* An empty key is still an HMAC key. */
	ASSERT_INT_EQ(mac_init(&mc, m, NULL, 0), 0);
	ASSERT_INT_EQ(mac_compute(mc, 0, pkt, sizeof(pkt), bad, 32), 0);
	mac_free(mc);
	TEST_DONE();
}

void
tests(void)
{
	test_mac_table();
	test_mac_rfc();
	test_mac_framing();
	test_mac_negative();
}
