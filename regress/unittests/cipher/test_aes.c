/*
 * AES-CTR (NIST SP 800-38A) and AES-GCM (McGrew-Viega; RFC 5647 packets):
 * known answers, the counters carried from packet to packet, and the
 * negative cases of GCM.
 */
#include "includes.h"

#include "cipher.h"
#include "cipher-impl.h"
#include "errcode.h"

#include "../test_helper/test_helper.h"
#include "../test_helper/kat.h"
#include "test_cipher.h"

/* Add n to the big-endian integer p[0..len), wrapping. */
static void
be_add(u_char *p, size_t len, uint64_t n)
{
	unsigned int carry = 0, sum;
	size_t i;

	for (i = len; i > 0; i--) {
		sum = p[i - 1] + (unsigned int)(n & 0xff) + carry;
		p[i - 1] = (u_char)sum;
		carry = sum >> 8;
		n >>= 8;
	}
}

static struct cipher_ctx *
new_ctx(const char *name, const u_char *key, size_t klen, const u_char *iv,
    size_t ivlen, int dir)
{
	struct cipher_ctx *cc = NULL;

	ASSERT_INT_EQ(cipher_init(&cc, cipher_by_name(name), key, klen, iv,
	    ivlen, dir), 0);
	return cc;
}

/* One SP 800-38A example cut into packets in several ways. */
static void
aesctr_one(struct kat *k)
{
	struct cipher_ctx *cc;
	const char *name = kat_str(k, "cipher");
	const u_char *key, *iv, *pt, *ct;
	u_char buf[64], lenf[4] = { 1, 2, 3, 4 }, next[16];
	size_t klen, ivlen, len, clen, i;

	key = kat_hex(k, "key", &klen);
	iv = kat_hex(k, "iv", &ivlen);
	pt = kat_hex(k, "plaintext", &len);
	ct = kat_hex(k, "ciphertext", &clen);
	ASSERT_SIZE_T_EQ(len, sizeof(buf));
	ASSERT_SIZE_T_EQ(clen, sizeof(buf));

	/* In one call, with a clear (EtM) length field left alone. */
	cc = new_ctx(name, key, klen, iv, ivlen, CIPHER_ENCRYPT);
	memcpy(buf, pt, len);
	ASSERT_INT_EQ(cipher_crypt(cc, 0, lenf, buf, len, NULL, 0), 0);
	ASSERT_MEM_EQ(buf, ct, len);
	ASSERT_MEM_EQ(lenf, "\x01\x02\x03\x04", 4);
	cipher_free(cc);

	/* One block per packet: the counter runs on across packets. */
	cc = new_ctx(name, key, klen, iv, ivlen, CIPHER_ENCRYPT);
	memcpy(buf, pt, len);
	for (i = 0; i < len; i += 16)
		ASSERT_INT_EQ(cipher_crypt(cc, (uint32_t)i, NULL, buf + i, 16,
		    NULL, 0), 0);
	ASSERT_MEM_EQ(buf, ct, len);
	cipher_free(cc);

	/*
	 * Decrypt the first block alone (as the packet layer does to learn
	 * the length), hand the state over through the IV, then the rest.
	 */
	cc = new_ctx(name, key, klen, iv, ivlen, CIPHER_DECRYPT);
	memcpy(buf, ct, len);
	ASSERT_INT_EQ(cipher_crypt(cc, 0, NULL, buf, 16, NULL, 0), 0);
	ASSERT_MEM_EQ(buf, pt, 16);
	ASSERT_INT_EQ(cipher_get_iv(cc, next, sizeof(next)), 0);
	memcpy(buf + 16, iv, 16);
	be_add(buf + 16, 16, 1);
	ASSERT_MEM_EQ(next, buf + 16, 16);
	cipher_free(cc);
	cc = new_ctx(name, key, klen, next, sizeof(next), CIPHER_DECRYPT);
	memcpy(buf + 16, ct + 16, len - 16);
	ASSERT_INT_EQ(cipher_crypt(cc, 1, NULL, buf + 16, len - 16, NULL, 0),
	    0);
	ASSERT_MEM_EQ(buf, pt, len);
	ASSERT_INT_EQ(cipher_get_iv(cc, next, sizeof(next)), 0);
	memcpy(buf, iv, 16);
	be_add(buf, 16, 4);
	ASSERT_MEM_EQ(next, buf, 16);
	cipher_free(cc);
}

void
test_aesctr_kat(void)
{
	struct kat *k;
	int n = 0;

	TEST_START("aes-ctr SP 800-38A");
	k = kat_open("aes-ctr-sp800-38a.txt");
	while (kat_next(k)) {
		aesctr_one(k);
		n++;
	}
	kat_close(k);
	ASSERT_INT_EQ(n, 3);
	TEST_DONE();
}

/* One McGrew-Viega test case through the GCM module directly. */
static void
aesgcm_one(struct kat *k)
{
	struct aesgcm_ctx *g = NULL;
	const u_char *key, *iv, *aad, *pt, *ct, *want;
	u_char buf[64], tag[16], next[AESGCM_IV_LEN], iv1[AESGCM_IV_LEN];
	u_char zero[64];
	size_t klen, ivlen, alen, len, clen, tlen;

	key = kat_hex(k, "key", &klen);
	iv = kat_hex(k, "iv", &ivlen);
	aad = kat_hex(k, "aad", &alen);
	pt = kat_hex(k, "plaintext", &len);
	ct = kat_hex(k, "ciphertext", &clen);
	want = kat_hex(k, "tag", &tlen);
	ASSERT_SIZE_T_EQ(ivlen, AESGCM_IV_LEN);
	ASSERT_SIZE_T_EQ(len, clen);
	ASSERT_SIZE_T_EQ(tlen, 16);
	ASSERT_SIZE_T_LT(len, sizeof(buf) + 1);
	memcpy(iv1, iv, sizeof(iv1));
	be_add(iv1 + 4, 8, 1);

	ASSERT_INT_EQ(aesgcm_init(&g, key, klen, iv, ivlen, 1), 0);
	memcpy(buf, pt, len);
	ASSERT_INT_EQ(aesgcm_crypt(g, aad, alen, buf, len, tag), 0);
	ASSERT_MEM_EQ(buf, ct, len);
	ASSERT_MEM_EQ(tag, want, 16);
	aesgcm_get_iv(g, next);
	ASSERT_MEM_EQ(next, iv1, sizeof(next));
	aesgcm_free(g);

	ASSERT_INT_EQ(aesgcm_init(&g, key, klen, iv, ivlen, 0), 0);
	memcpy(buf, ct, len);
	memcpy(tag, want, 16);
	ASSERT_INT_EQ(aesgcm_crypt(g, aad, alen, buf, len, tag), 0);
	ASSERT_MEM_EQ(buf, pt, len);
	aesgcm_free(g);

	/* A wrong tag: refused, and the plaintext is not left behind. */
	ASSERT_INT_EQ(aesgcm_init(&g, key, klen, iv, ivlen, 0), 0);
	memcpy(buf, ct, len);
	memcpy(tag, want, 16);
	tag[15] ^= 0x80;
	ASSERT_INT_EQ(aesgcm_crypt(g, aad, alen, buf, len, tag),
	    ERR_MAC_INVALID);
	memset(zero, 0, sizeof(zero));
	ASSERT_MEM_EQ(buf, zero, len);
	/* The IV was used up all the same. */
	aesgcm_get_iv(g, next);
	ASSERT_MEM_EQ(next, iv1, sizeof(next));
	aesgcm_free(g);
}

void
test_aesgcm_kat(void)
{
	struct aesgcm_ctx *g = NULL;
	struct kat *k;
	u_char key[32] = { 0 }, iv[12] = { 0 }, tag[16];
	int n = 0;

	TEST_START("aes-gcm McGrew-Viega");
	k = kat_open("aes-gcm-mcgrew-viega.txt");
	while (kat_next(k)) {
		aesgcm_one(k);
		n++;
	}
	kat_close(k);
	ASSERT_INT_EQ(n, 8);
	TEST_DONE();

	TEST_START("aes-gcm arguments");
	ASSERT_INT_EQ(aesgcm_init(&g, key, 20, iv, 12, 1),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(aesgcm_init(&g, key, 16, iv, 16, 1),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(aesgcm_init(&g, key, 16, NULL, 12, 1),
	    ERR_INVALID_ARGUMENT);
	ASSERT_PTR_EQ(g, NULL);
	ASSERT_INT_EQ(aesgcm_init(&g, key, 16, iv, 12, 1), 0);
	ASSERT_INT_EQ(aesgcm_crypt(g, NULL, 4, key, 16, tag),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(aesgcm_crypt(g, NULL, 0, key, 16, NULL),
	    ERR_INVALID_ARGUMENT);
	aesgcm_free(g);
	aesgcm_free(NULL);
	TEST_DONE();
}

/* A 16-byte packet through enc and then dec, which must accept it. */
static void
gcm_lockstep(struct cipher_ctx *enc, struct cipher_ctx *dec)
{
	u_char pkt[4 + 16 + 16];

	memset(pkt, 0, sizeof(pkt));
	pkt[3] = 16;
	ASSERT_INT_EQ(cipher_crypt(enc, 0, pkt, pkt + 4, 16, pkt + 20, 16), 0);
	ASSERT_INT_EQ(cipher_crypt(dec, 0, pkt, pkt + 4, 16, pkt + 20, 16), 0);
}

/* One record of aesgcm-ssh.txt: the n-th packet of a context. */
static void
aesgcm_ssh_one(struct kat *k)
{
	struct cipher_ctx *enc, *dec;
	const char *name = kat_str(k, "cipher");
	const u_char *key, *iv, *pt, *ct, *want;
	u_char buf[512], tag[16], next[12], expect_iv[12];
	size_t klen, ivlen, len, clen, tlen;
	unsigned long long i, n;
	uint32_t plen = 0;

	key = kat_hex(k, "key", &klen);
	iv = kat_hex(k, "iv", &ivlen);
	n = kat_num(k, "invocation", 1000);
	pt = kat_hex(k, "plaintext", &len);
	ct = kat_hex(k, "ciphertext", &clen);
	want = kat_hex(k, "tag", &tlen);
	ASSERT_SIZE_T_EQ(len, clen);
	ASSERT_SIZE_T_EQ(tlen, 16);
	ASSERT_SIZE_T_LT(len, sizeof(buf));
	enc = new_ctx(name, key, klen, iv, ivlen, CIPHER_ENCRYPT);
	dec = new_ctx(name, key, klen, iv, ivlen, CIPHER_DECRYPT);
	for (i = 0; i < n; i++)
		gcm_lockstep(enc, dec);
	/* The IV about to be used: fixed || counter + n, mod 2^64. */
	memcpy(expect_iv, iv, sizeof(expect_iv));
	be_add(expect_iv + 4, 8, n);
	ASSERT_INT_EQ(cipher_get_iv(enc, next, sizeof(next)), 0);
	ASSERT_MEM_EQ(next, expect_iv, sizeof(next));
	ASSERT_MEM_EQ(next, iv, 4);

	memcpy(buf, pt, len);
	ASSERT_INT_EQ(cipher_crypt(enc, 0, buf, buf + 4, len - 4, tag, 16), 0);
	ASSERT_MEM_EQ(buf, ct, len);
	ASSERT_MEM_EQ(tag, want, 16);

	ASSERT_INT_EQ(cipher_get_length(dec, 0, ct, len, &plen), 0);
	ASSERT_U32_EQ(plen, (uint32_t)(len - 4));
	memcpy(buf, ct, len);
	memcpy(tag, want, 16);
	ASSERT_INT_EQ(cipher_crypt(dec, 0, buf, buf + 4, len - 4, tag, 16), 0);
	ASSERT_MEM_EQ(buf, pt, len);
	cipher_free(enc);
	cipher_free(dec);
}

void
test_aesgcm_ssh(void)
{
	struct kat *k;
	int n = 0;

	TEST_START("aes-gcm@openssh.com packets");
	k = kat_open("aesgcm-ssh.txt");
	while (kat_next(k)) {
		aesgcm_ssh_one(k);
		n++;
	}
	kat_close(k);
	ASSERT_INT_GE(n, 8);
	TEST_DONE();
}

#define GCM_PKT		(4 + 32 + 16)

static int
gcm_open(const u_char *key, const u_char *iv, u_char *pkt)
{
	struct cipher_ctx *dec;
	int r;

	dec = new_ctx("aes256-gcm@openssh.com", key, 32, iv, 12,
	    CIPHER_DECRYPT);
	r = cipher_crypt(dec, 0, pkt, pkt + 4, 32, pkt + 36, 16);
	cipher_free(dec);
	return r;
}

/* Three packets sealed in a row by one aes256-gcm context. */
struct gcm_run {
	u_char key[32];
	u_char iv[12];
	u_char pkt[3][GCM_PKT];
};

static void
gcm_seal3(struct gcm_run *g)
{
	struct cipher_ctx *enc;
	size_t j;

	arc4random_buf(g->key, sizeof(g->key));
	arc4random_buf(g->iv, sizeof(g->iv));
	enc = new_ctx("aes256-gcm@openssh.com", g->key, 32, g->iv, 12,
	    CIPHER_ENCRYPT);
	for (j = 0; j < 3; j++) {
		arc4random_buf(g->pkt[j], GCM_PKT);
		memcpy(g->pkt[j], "\x00\x00\x00\x20", 4);
		ASSERT_INT_EQ(cipher_crypt(enc, 0, g->pkt[j], g->pkt[j] + 4,
		    32, g->pkt[j] + 36, 16), 0);
	}
	cipher_free(enc);
}

static void
gcm_flipped_bits(struct gcm_run *g)
{
	u_char p[GCM_PKT], zero[32];
	size_t i, bit;

	TEST_START("aes-gcm@openssh.com flipped bits");
	memset(zero, 0, sizeof(zero));
	for (i = 0; i < GCM_PKT; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(p, g->pkt[0], GCM_PKT);
			p[i] ^= (u_char)(1 << bit);
			ASSERT_INT_EQ(gcm_open(g->key, g->iv, p),
			    ERR_MAC_INVALID);
			/* No unauthenticated plaintext is left behind. */
			ASSERT_MEM_EQ(p + 4, zero, 32);
		}
	}
	memcpy(p, g->pkt[0], GCM_PKT);
	ASSERT_INT_EQ(gcm_open(g->key, g->iv, p), 0);
	TEST_DONE();
}

static void
gcm_packet_order(struct gcm_run *g)
{
	struct cipher_ctx *dec;
	u_char p[GCM_PKT], next[12], want[12];
	size_t j;

	TEST_START("aes-gcm@openssh.com packet order");
	/* Packet 1 is not packet 0: the invocation counter differs. */
	memcpy(p, g->pkt[1], GCM_PKT);
	ASSERT_INT_EQ(gcm_open(g->key, g->iv, p), ERR_MAC_INVALID);
	/* In order they open; a replay does not. */
	dec = new_ctx("aes256-gcm@openssh.com", g->key, 32, g->iv, 12,
	    CIPHER_DECRYPT);
	for (j = 0; j < 2; j++) {
		memcpy(p, g->pkt[j], GCM_PKT);
		ASSERT_INT_EQ(cipher_crypt(dec, 0, p, p + 4, 32, p + 36, 16),
		    0);
	}
	memcpy(p, g->pkt[1], GCM_PKT);
	ASSERT_INT_EQ(cipher_crypt(dec, 0, p, p + 4, 32, p + 36, 16),
	    ERR_MAC_INVALID);
	/* The failed attempt used up packet 2's IV as well. */
	memcpy(want, g->iv, 12);
	be_add(want + 4, 8, 3);
	ASSERT_INT_EQ(cipher_get_iv(dec, next, sizeof(next)), 0);
	ASSERT_MEM_EQ(next, want, 12);
	cipher_free(dec);
	TEST_DONE();
}

static void
gcm_counter_wraps(void)
{
	struct cipher_ctx *enc, *dec;
	u_char key[16], iv[12], next[12], want[12];
	size_t j;

	TEST_START("aes-gcm@openssh.com invocation counter wraps");
	arc4random_buf(key, sizeof(key));
	memset(iv, 0xff, sizeof(iv));
	iv[11] = 0xfe;
	enc = new_ctx("aes128-gcm@openssh.com", key, 16, iv, 12,
	    CIPHER_ENCRYPT);
	dec = new_ctx("aes128-gcm@openssh.com", key, 16, iv, 12,
	    CIPHER_DECRYPT);
	for (j = 1; j <= 3; j++) {
		gcm_lockstep(enc, dec);
		memcpy(want, iv, 12);
		be_add(want + 4, 8, j);
		ASSERT_INT_EQ(cipher_get_iv(enc, next, sizeof(next)), 0);
		ASSERT_MEM_EQ(next, want, 12);
		/* The fixed field never changes. */
		ASSERT_MEM_EQ(next, "\xff\xff\xff\xff", 4);
	}
	ASSERT_MEM_EQ(next + 4, "\x00\x00\x00\x00\x00\x00\x00\x01", 8);
	cipher_free(enc);
	cipher_free(dec);
	TEST_DONE();
}

void
test_aesgcm_negative(void)
{
	struct gcm_run g;

	gcm_seal3(&g);
	gcm_flipped_bits(&g);
	gcm_packet_order(&g);
	gcm_counter_wraps();
}
