/*
 * chacha20-poly1305@openssh.com: RFC 8439 through the module's own
 * primitive wrappers, the whole construction against published and
 * independently derived packets, a step-by-step rebuild from OpenSSL's
 * raw primitives, and the negative cases.
 */
#include "includes.h"

#include <openssl/evp.h>

#include "cipher.h"
#include "cipher-impl.h"
#include "errcode.h"

#include "../test_helper/test_helper.h"
#include "../test_helper/kat.h"
#include "test_cipher.h"

#define CP_NAME		"chacha20-poly1305@openssh.com"

static uint32_t
get_u32_le(const u_char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint32_t
get_u32_be(const u_char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static EVP_CIPHER_CTX *
chacha_ctx(const u_char *key)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	ASSERT_PTR_NE(ctx, NULL);
	ASSERT_INT_EQ(EVP_CipherInit_ex(ctx, EVP_chacha20(), NULL, key, NULL,
	    1), 1);
	return ctx;
}

/*
 * RFC 8439's 32-bit counter and 96-bit nonce n0||n1||n2 in the 64/64
 * layout of chachapoly_stream(): counter = n0 << 32 | ctr, nonce = n1||n2.
 */
static uint64_t
ietf_counter(struct kat *k, const u_char *nonce12)
{
	return (uint64_t)get_u32_le(nonce12) << 32 |
	    (uint64_t)kat_num(k, "counter", UINT32_MAX);
}

static void
rfc8439_block(struct kat *k, EVP_CIPHER_CTX *ctx, const u_char *nonce)
{
	const u_char *want;
	u_char ks[64];
	size_t len;

	want = kat_hex(k, "keystream", &len);
	ASSERT_SIZE_T_EQ(len, sizeof(ks));
	memset(ks, 0, sizeof(ks));
	ASSERT_INT_EQ(chachapoly_stream(ctx, ietf_counter(k, nonce),
	    nonce + 4, ks, sizeof(ks)), 0);
	ASSERT_MEM_EQ(ks, want, sizeof(ks));
}

static void
rfc8439_encrypt(struct kat *k, EVP_CIPHER_CTX *ctx, const u_char *nonce)
{
	const u_char *pt, *ct;
	u_char buf[256];
	size_t len, clen;

	pt = kat_hex(k, "plaintext", &len);
	ct = kat_hex(k, "ciphertext", &clen);
	ASSERT_SIZE_T_EQ(len, clen);
	ASSERT_SIZE_T_LT(len, sizeof(buf));
	memcpy(buf, pt, len);
	ASSERT_INT_EQ(chachapoly_stream(ctx, ietf_counter(k, nonce),
	    nonce + 4, buf, len), 0);
	ASSERT_MEM_EQ(buf, ct, len);
}

static void
rfc8439_poly1305(struct kat *k, EVP_MAC_CTX *mctx)
{
	const u_char *key, *msg, *want;
	u_char tag[16];
	size_t klen, len, tlen, split;

	key = kat_hex(k, "key", &klen);
	msg = kat_hex(k, "msg", &len);
	want = kat_hex(k, "tag", &tlen);
	ASSERT_SIZE_T_EQ(klen, 32);
	ASSERT_SIZE_T_EQ(tlen, 16);
	/* The message in two parts, cut at every offset. */
	for (split = 0; split <= len; split++) {
		memset(tag, 0, sizeof(tag));
		ASSERT_INT_EQ(chachapoly_poly1305(mctx, key, msg, split,
		    msg + split, len - split, tag), 0);
		ASSERT_MEM_EQ(tag, want, 16);
	}
}

static void
rfc8439_polykey(struct kat *k, EVP_CIPHER_CTX *ctx)
{
	const u_char *nonce, *want;
	u_char pk[32];
	size_t len;

	nonce = kat_hex(k, "nonce", &len);
	ASSERT_SIZE_T_EQ(len, 12);
	want = kat_hex(k, "polykey", &len);
	ASSERT_SIZE_T_EQ(len, 32);
	memset(pk, 0, sizeof(pk));
	ASSERT_INT_EQ(chachapoly_stream(ctx, (uint64_t)get_u32_le(nonce) << 32,
	    nonce + 4, pk, sizeof(pk)), 0);
	ASSERT_MEM_EQ(pk, want, 32);
}

static void
put_u64_le(u_char *p, uint64_t v)
{
	size_t i;

	for (i = 0; i < 8; i++)
		p[i] = (u_char)(v >> (8 * i));
}

/* RFC 8439 section 2.8: the IETF AEAD built from the same two wrappers. */
static void
rfc8439_aead(struct kat *k, EVP_CIPHER_CTX *ctx, EVP_MAC_CTX *mctx,
    const u_char *nonce)
{
	const u_char *aad, *pt, *ct, *want;
	u_char pk[32], buf[256], mac_a[64], mac_b[512], tag[16];
	size_t alen, len, clen, tlen, apad, bpad;
	uint64_t hi = (uint64_t)get_u32_le(nonce) << 32;

	aad = kat_hex(k, "aad", &alen);
	pt = kat_hex(k, "plaintext", &len);
	ct = kat_hex(k, "ciphertext", &clen);
	want = kat_hex(k, "tag", &tlen);
	ASSERT_SIZE_T_EQ(len, clen);
	ASSERT_SIZE_T_EQ(tlen, 16);
	ASSERT_SIZE_T_LT(len, sizeof(buf));
	ASSERT_SIZE_T_LT(alen + 16, sizeof(mac_a));
	memset(pk, 0, sizeof(pk));
	ASSERT_INT_EQ(chachapoly_stream(ctx, hi, nonce + 4, pk, 32), 0);
	memcpy(buf, pt, len);
	ASSERT_INT_EQ(chachapoly_stream(ctx, hi | 1, nonce + 4, buf, len), 0);
	ASSERT_MEM_EQ(buf, ct, len);
	/* aad || pad16 || ciphertext || pad16 || le64(alen) || le64(len) */
	apad = (alen + 15) / 16 * 16;
	bpad = (len + 15) / 16 * 16;
	ASSERT_SIZE_T_LT(bpad + 16, sizeof(mac_b));
	memset(mac_a, 0, sizeof(mac_a));
	memset(mac_b, 0, sizeof(mac_b));
	memcpy(mac_a, aad, alen);
	memcpy(mac_b, buf, len);
	put_u64_le(mac_b + bpad, alen);
	put_u64_le(mac_b + bpad + 8, len);
	ASSERT_INT_EQ(chachapoly_poly1305(mctx, pk, mac_a, apad, mac_b,
	    bpad + 16, tag), 0);
	ASSERT_MEM_EQ(tag, want, 16);
}

void
test_chachapoly_rfc8439(void)
{
	struct kat *k;
	EVP_CIPHER_CTX *ctx;
	EVP_MAC *mac;
	EVP_MAC_CTX *mctx;
	const u_char *key, *nonce = NULL;
	const char *type;
	size_t len;
	int n = 0;

	TEST_START("chacha20/poly1305 RFC 8439");
	ASSERT_PTR_NE(mac = EVP_MAC_fetch(NULL, "POLY1305", NULL), NULL);
	ASSERT_PTR_NE(mctx = EVP_MAC_CTX_new(mac), NULL);
	k = kat_open("chacha20-poly1305-rfc8439.txt");
	while (kat_next(k)) {
		type = kat_str(k, "type");
		if (strcmp(type, "poly1305") == 0) {
			rfc8439_poly1305(k, mctx);
			n++;
			continue;
		}
		key = kat_hex(k, "key", &len);
		ASSERT_SIZE_T_EQ(len, 32);
		nonce = kat_hex(k, "nonce", &len);
		ASSERT_SIZE_T_EQ(len, 12);
		ctx = chacha_ctx(key);
		if (strcmp(type, "block") == 0)
			rfc8439_block(k, ctx, nonce);
		else if (strcmp(type, "encrypt") == 0)
			rfc8439_encrypt(k, ctx, nonce);
		else if (strcmp(type, "polykey") == 0)
			rfc8439_polykey(k, ctx);
		else if (strcmp(type, "aead") == 0)
			rfc8439_aead(k, ctx, mctx, nonce);
		else
			kat_fail(k, "unknown type %s", type);
		EVP_CIPHER_CTX_free(ctx);
		n++;
	}
	kat_close(k);
	ASSERT_INT_EQ(n, 5);
	EVP_MAC_CTX_free(mctx);
	EVP_MAC_free(mac);
	TEST_DONE();
}

/*
 * Contexts for one key, kept from record to record while the key stays
 * the same, so that packets also follow each other through one context.
 */
struct cp_pair {
	u_char key[64];
	struct cipher_ctx *enc, *dec;
};

static void
pair_rekey(struct cp_pair *p, const u_char *key, size_t klen)
{
	const struct cipher *c = cipher_by_name(CP_NAME);

	ASSERT_SIZE_T_EQ(klen, sizeof(p->key));
	if (p->enc != NULL && memcmp(p->key, key, klen) == 0)
		return;
	cipher_free(p->enc);
	cipher_free(p->dec);
	p->enc = p->dec = NULL;
	memcpy(p->key, key, klen);
	ASSERT_INT_EQ(cipher_init(&p->enc, c, key, klen, NULL, 0,
	    CIPHER_ENCRYPT), 0);
	ASSERT_INT_EQ(cipher_init(&p->dec, c, key, klen, NULL, 0,
	    CIPHER_DECRYPT), 0);
}

/* One record of chachapoly-openssh.txt both ways through cipher.h. */
static void
openssh_packet(struct kat *k, struct cp_pair *p)
{
	const u_char *key, *pt, *ct, *want;
	u_char buf[2048], tag[16];
	size_t klen, len, clen, tlen;
	uint32_t seqnr, plen = 0;

	key = kat_hex(k, "key", &klen);
	seqnr = (uint32_t)kat_num(k, "seqnr", UINT32_MAX);
	pt = kat_hex(k, "plaintext", &len);
	ct = kat_hex(k, "ciphertext", &clen);
	want = kat_hex(k, "tag", &tlen);
	ASSERT_SIZE_T_EQ(len, clen);
	ASSERT_SIZE_T_EQ(tlen, 16);
	ASSERT_SIZE_T_GT(len, 4);
	ASSERT_SIZE_T_LT(len, sizeof(buf));
	pair_rekey(p, key, klen);

	memcpy(buf, pt, len);
	ASSERT_INT_EQ(cipher_crypt(p->enc, seqnr, buf, buf + 4, len - 4, tag,
	    sizeof(tag)), 0);
	ASSERT_MEM_EQ(buf, ct, len);
	ASSERT_MEM_EQ(tag, want, 16);

	ASSERT_INT_EQ(cipher_get_length(p->dec, seqnr, ct, len, &plen), 0);
	ASSERT_U32_EQ(plen, get_u32_be(pt));
	ASSERT_U32_EQ(plen, (uint32_t)(len - 4));
	memcpy(buf, ct, len);
	memcpy(tag, want, 16);
	ASSERT_INT_EQ(cipher_crypt(p->dec, seqnr, buf, buf + 4, len - 4, tag,
	    sizeof(tag)), 0);
	ASSERT_MEM_EQ(buf, pt, len);
}

void
test_chachapoly_kat(void)
{
	struct cp_pair p;
	struct kat *k;
	int n = 0;

	TEST_START("chacha20-poly1305@openssh.com known answers");
	memset(&p, 0, sizeof(p));
	k = kat_open("chachapoly-openssh.txt");
	while (kat_next(k)) {
		openssh_packet(k, &p);
		n++;
	}
	kat_close(k);
	cipher_free(p.enc);
	cipher_free(p.dec);
	/* Appendix A of the draft and the derived ones. */
	ASSERT_INT_GE(n, 8);
	TEST_DONE();
}

/* ChaCha20 by OpenSSL directly: 32-bit counter, 64-bit nonce. */
static void
raw_chacha(const u_char *key, uint32_t counter, const u_char nonce[8],
    u_char *data, size_t len)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	u_char iv[16];
	int outl = 0;

	ASSERT_PTR_NE(ctx, NULL);
	memset(iv, 0, sizeof(iv));
	iv[0] = (u_char)counter;
	iv[1] = (u_char)(counter >> 8);
	iv[2] = (u_char)(counter >> 16);
	iv[3] = (u_char)(counter >> 24);
	memcpy(iv + 8, nonce, 8);
	ASSERT_INT_EQ(EVP_EncryptInit_ex(ctx, EVP_chacha20(), NULL, key, iv),
	    1);
	ASSERT_INT_EQ(EVP_EncryptUpdate(ctx, data, &outl, data, (int)len), 1);
	ASSERT_INT_EQ(outl, (int)len);
	EVP_CIPHER_CTX_free(ctx);
}

/*
 * The construction rebuilt from its definition with OpenSSL's one-shot
 * calls, for random keys, sequence numbers and lengths.
 */
static void
stepwise_one(const struct cipher *c, uint32_t seqnr, size_t bodylen)
{
	struct cipher_ctx *enc = NULL;
	u_char key[64], nonce[8], pk[32], tag[16], want_tag[16];
	u_char *pkt, *want;
	size_t outl = 0;

	arc4random_buf(key, sizeof(key));
	ASSERT_PTR_NE(pkt = malloc(4 + bodylen), NULL);
	ASSERT_PTR_NE(want = malloc(4 + bodylen), NULL);
	arc4random_buf(pkt, 4 + bodylen);
	memcpy(want, pkt, 4 + bodylen);
	/* nonce = uint64 seqnr, big-endian */
	memset(nonce, 0, 4);
	nonce[4] = (u_char)(seqnr >> 24);
	nonce[5] = (u_char)(seqnr >> 16);
	nonce[6] = (u_char)(seqnr >> 8);
	nonce[7] = (u_char)seqnr;
	raw_chacha(key + 32, 0, nonce, want, 4);
	raw_chacha(key, 1, nonce, want + 4, bodylen);
	memset(pk, 0, sizeof(pk));
	raw_chacha(key, 0, nonce, pk, sizeof(pk));
	ASSERT_PTR_NE(EVP_Q_mac(NULL, "POLY1305", NULL, NULL, NULL, pk,
	    sizeof(pk), want, 4 + bodylen, want_tag, sizeof(want_tag), &outl),
	    NULL);
	ASSERT_SIZE_T_EQ(outl, 16);

	ASSERT_INT_EQ(cipher_init(&enc, c, key, 64, NULL, 0, CIPHER_ENCRYPT),
	    0);
	ASSERT_INT_EQ(cipher_crypt(enc, seqnr, pkt, pkt + 4, bodylen, tag,
	    sizeof(tag)), 0);
	ASSERT_MEM_EQ(pkt, want, 4 + bodylen);
	ASSERT_MEM_EQ(tag, want_tag, 16);
	cipher_free(enc);
	free(pkt);
	free(want);
}

void
test_chachapoly_stepwise(void)
{
	const struct cipher *c = cipher_by_name(CP_NAME);
	static const uint32_t seqnrs[] = {
		0, 1, 0xff, 0x100, 0x12345678, 0x7fffffff, 0x80000000,
		0xfffffffe, 0xffffffff
	};
	size_t i;

	TEST_START("chacha20-poly1305@openssh.com step by step");
	for (i = 0; i < sizeof(seqnrs) / sizeof(seqnrs[0]); i++) {
		stepwise_one(c, seqnrs[i], 8);
		stepwise_one(c, seqnrs[i], 8 * (1 + arc4random_uniform(600)));
	}
	/* Bodies across many ChaCha20 blocks. */
	stepwise_one(c, arc4random(), 32768);
	stepwise_one(c, arc4random(), 256 * 1024);
	TEST_DONE();
}

/*
 * A sealed packet: 4-byte length field || body || 16-byte tag, from the
 * draft's Appendix A key and plaintext.
 */
struct sealed {
	u_char key[64];
	u_char pkt[4 + 72 + 16];
	size_t bodylen;
	uint32_t seqnr;
};

static void
seal_appendix_a(struct sealed *s)
{
	struct kat *k;
	struct cipher_ctx *enc = NULL;
	const u_char *key, *pt;
	size_t len;

	k = kat_open("chachapoly-openssh.txt");
	ASSERT_INT_EQ(kat_next(k), 1);
	key = kat_hex(k, "key", &len);
	ASSERT_SIZE_T_EQ(len, 64);
	memcpy(s->key, key, 64);
	s->seqnr = (uint32_t)kat_num(k, "seqnr", UINT32_MAX);
	pt = kat_hex(k, "plaintext", &len);
	ASSERT_SIZE_T_EQ(len, 4 + 72);
	s->bodylen = 72;
	memcpy(s->pkt, pt, len);
	kat_close(k);
	ASSERT_INT_EQ(cipher_init(&enc, cipher_by_name(CP_NAME), s->key, 64,
	    NULL, 0, CIPHER_ENCRYPT), 0);
	ASSERT_INT_EQ(cipher_crypt(enc, s->seqnr, s->pkt, s->pkt + 4,
	    s->bodylen, s->pkt + 4 + s->bodylen, 16), 0);
	cipher_free(enc);
}

static int
open_sealed(struct cipher_ctx *dec, uint32_t seqnr, u_char *pkt,
    size_t bodylen)
{
	return cipher_crypt(dec, seqnr, pkt, pkt + 4, bodylen,
	    pkt + 4 + bodylen, 16);
}

void
test_chachapoly_negative(void)
{
	const struct cipher *c = cipher_by_name(CP_NAME);
	struct cipher_ctx *dec = NULL;
	struct sealed s;
	u_char pkt[sizeof(s.pkt)], swapped[64];
	size_t i, bit;

	TEST_START("chacha20-poly1305@openssh.com flipped bits");
	seal_appendix_a(&s);
	ASSERT_INT_EQ(cipher_init(&dec, c, s.key, 64, NULL, 0,
	    CIPHER_DECRYPT), 0);
	/* Every bit of the length field, the body and the tag. */
	for (i = 0; i < sizeof(pkt); i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(pkt, s.pkt, sizeof(pkt));
			pkt[i] ^= (u_char)(1 << bit);
			ASSERT_INT_EQ(open_sealed(dec, s.seqnr, pkt, s.bodylen),
			    ERR_MAC_INVALID);
			/* Nothing was decrypted. */
			pkt[i] ^= (u_char)(1 << bit);
			ASSERT_MEM_EQ(pkt, s.pkt, sizeof(pkt));
		}
	}
	TEST_DONE();

	TEST_START("chacha20-poly1305@openssh.com wrong seqnr, key, length");
	memcpy(pkt, s.pkt, sizeof(pkt));
	ASSERT_INT_EQ(open_sealed(dec, s.seqnr + 1, pkt, s.bodylen),
	    ERR_MAC_INVALID);
	ASSERT_INT_EQ(open_sealed(dec, s.seqnr - 1, pkt, s.bodylen),
	    ERR_MAC_INVALID);
	ASSERT_INT_EQ(open_sealed(dec, s.seqnr ^ 0x80000000, pkt, s.bodylen),
	    ERR_MAC_INVALID);
	ASSERT_INT_EQ(open_sealed(dec, s.seqnr ^ 0x01000000, pkt, s.bodylen),
	    ERR_MAC_INVALID);
	/* A shorter body with the tag moved up to follow it. */
	memcpy(pkt + 4 + s.bodylen - 8, s.pkt + 4 + s.bodylen, 16);
	ASSERT_INT_EQ(open_sealed(dec, s.seqnr, pkt, s.bodylen - 8),
	    ERR_MAC_INVALID);
	/* The right packet still opens: failures changed nothing. */
	memcpy(pkt, s.pkt, sizeof(pkt));
	ASSERT_INT_EQ(open_sealed(dec, s.seqnr, pkt, s.bodylen), 0);
	cipher_free(dec);
	/* The two halves of the key swapped. */
	memcpy(swapped, s.key + 32, 32);
	memcpy(swapped + 32, s.key, 32);
	ASSERT_INT_EQ(cipher_init(&dec, c, swapped, 64, NULL, 0,
	    CIPHER_DECRYPT), 0);
	memcpy(pkt, s.pkt, sizeof(pkt));
	ASSERT_INT_EQ(open_sealed(dec, s.seqnr, pkt, s.bodylen),
	    ERR_MAC_INVALID);
	cipher_free(dec);
	TEST_DONE();
}
