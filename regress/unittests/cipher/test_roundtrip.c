/*
 * Round-trip property test: for every cipher, random keys, sequence
 * numbers and body lengths, packets decrypt to what was encrypted; the
 * AEAD ciphers refuse a random flipped bit; the stream state survives a
 * hand-over through cipher_get_iv() half way.
 */
#include "includes.h"

#include "cipher.h"
#include "errcode.h"

#include "../test_helper/test_helper.h"
#include "test_cipher.h"

#define MAX_BLOCKS	600

struct rt {
	const struct cipher *c;
	const char *name;
	u_char key[CIPHER_MAX_KEY_LEN];
	u_char iv[CIPHER_MAX_IV_LEN];
	size_t klen, ivlen, bs, taglen;
	struct cipher_ctx *enc, *dec;
};

static void
put_u32_be(u_char *p, uint32_t v)
{
	p[0] = (u_char)(v >> 24);
	p[1] = (u_char)(v >> 16);
	p[2] = (u_char)(v >> 8);
	p[3] = (u_char)v;
}

/* Swap the context for a new one made from its key and current IV. */
static void
hand_over(struct rt *t, struct cipher_ctx **ccp, int dir)
{
	u_char iv[CIPHER_MAX_IV_LEN];

	ASSERT_INT_EQ(cipher_get_iv(*ccp, iv, t->ivlen), 0);
	cipher_free(*ccp);
	*ccp = NULL;
	ASSERT_INT_EQ(cipher_init(ccp, t->c, t->key, t->klen, iv, t->ivlen,
	    dir), 0);
}

/* A copy of the sealed packet with one random bit flipped must fail. */
static void
tamper(struct rt *t, uint32_t seqnr, const u_char *pkt, size_t bodylen)
{
	struct cipher_ctx *probe = NULL;
	u_char *p, iv[CIPHER_MAX_IV_LEN];
	size_t total = 4 + bodylen + t->taglen, at;

	ASSERT_PTR_NE(p = malloc(total), NULL);
	memcpy(p, pkt, total);
	at = arc4random_uniform((uint32_t)total);
	p[at] ^= (u_char)(1 << arc4random_uniform(8));
	/* A separate context, so that dec's stream state is untouched. */
	ASSERT_INT_EQ(cipher_get_iv(t->dec, iv, t->ivlen), 0);
	ASSERT_INT_EQ(cipher_init(&probe, t->c, t->key, t->klen, iv,
	    t->ivlen, CIPHER_DECRYPT), 0);
	ASSERT_INT_EQ(cipher_crypt(probe, seqnr, p, p + 4, bodylen,
	    p + 4 + bodylen, t->taglen), ERR_MAC_INVALID);
	cipher_free(probe);
	free(p);
}

/*
 * One packet.  For the non-AEAD ciphers odd sequence numbers send the
 * length in the clear (as with an -etm MAC) and even ones encrypt it with
 * the body, as both ends would.
 */
static void
one_packet(struct rt *t, uint32_t seqnr, size_t bodylen)
{
	u_char *pkt, *orig, *lenf;
	size_t total = 4 + bodylen + t->taglen;
	int aead = cipher_is_aead(t->c);
	uint32_t plen = 0;

	ASSERT_PTR_NE(pkt = malloc(total), NULL);
	ASSERT_PTR_NE(orig = malloc(total), NULL);
	arc4random_buf(pkt, total);
	put_u32_be(pkt, (uint32_t)bodylen);
	memcpy(orig, pkt, total);
	lenf = (aead || (seqnr & 1) != 0) ? pkt : NULL;

	if (lenf != NULL)
		ASSERT_INT_EQ(cipher_crypt(t->enc, seqnr, pkt, pkt + 4,
		    bodylen, aead ? pkt + 4 + bodylen : NULL, t->taglen), 0);
	else
		ASSERT_INT_EQ(cipher_crypt(t->enc, seqnr, NULL, pkt,
		    4 + bodylen, NULL, 0), 0);
	if (bodylen >= 16 && strcmp(t->name, "none") != 0)
		ASSERT_MEM_NE(pkt + 4, orig + 4, bodylen);
	if (cipher_has_sealed_length(t->c)) {
		ASSERT_INT_EQ(cipher_get_length(t->dec, seqnr, pkt, total,
		    &plen), 0);
		ASSERT_U32_EQ(plen, (uint32_t)bodylen);
	}
	if (aead && arc4random_uniform(4) == 0)
		tamper(t, seqnr, pkt, bodylen);

	if (lenf != NULL)
		ASSERT_INT_EQ(cipher_crypt(t->dec, seqnr, pkt, pkt + 4,
		    bodylen, aead ? pkt + 4 + bodylen : NULL, t->taglen), 0);
	else
		ASSERT_INT_EQ(cipher_crypt(t->dec, seqnr, NULL, pkt,
		    4 + bodylen, NULL, 0), 0);
	ASSERT_MEM_EQ(pkt, orig, 4 + bodylen);
	free(pkt);
	free(orig);
}

static void
roundtrip(const char *name, int npackets)
{
	struct rt t;
	uint32_t seqnr;
	size_t bodylen;
	int i;

	memset(&t, 0, sizeof(t));
	t.name = name;
	ASSERT_PTR_NE(t.c = cipher_by_name(name), NULL);
	t.klen = cipher_key_len(t.c);
	t.ivlen = cipher_iv_len(t.c);
	t.bs = cipher_block_size(t.c);
	t.taglen = cipher_tag_len(t.c);
	arc4random_buf(t.key, sizeof(t.key));
	arc4random_buf(t.iv, sizeof(t.iv));
	ASSERT_INT_EQ(cipher_init(&t.enc, t.c, t.key, t.klen, t.iv, t.ivlen,
	    CIPHER_ENCRYPT), 0);
	ASSERT_INT_EQ(cipher_init(&t.dec, t.c, t.key, t.klen, t.iv, t.ivlen,
	    CIPHER_DECRYPT), 0);
	/* Start near the top so that the sequence number wraps sometimes. */
	seqnr = arc4random_uniform(2) ? arc4random() :
	    UINT32_MAX - (uint32_t)npackets / 2;
	for (i = 0; i < npackets; i++, seqnr++) {
		/*
		 * Whole packets (4 + body) are block multiples; the body
		 * alone is for the AEAD ciphers and for -etm framing.
		 */
		bodylen = t.bs * arc4random_uniform(MAX_BLOCKS + 1);
		if (!cipher_is_aead(t.c) && (seqnr & 1) == 0)
			bodylen += t.bs - 4;
		one_packet(&t, seqnr, bodylen);
		if (i == npackets / 2) {
			hand_over(&t, &t.enc, CIPHER_ENCRYPT);
			hand_over(&t, &t.dec, CIPHER_DECRYPT);
		}
	}
	cipher_free(t.enc);
	cipher_free(t.dec);
	explicit_bzero(&t, sizeof(t));
}

void
test_cipher_roundtrip(void)
{
	static const char *names[] = {
		"chacha20-poly1305@openssh.com", "aes128-gcm@openssh.com",
		"aes256-gcm@openssh.com", "aes128-ctr", "aes192-ctr",
		"aes256-ctr", "none"
	};
	char title[80];
	size_t i;
	int n = test_is_fast() ? 40 : 300;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(title, sizeof(title), "round trip %s", names[i]);
		TEST_START(title);
		roundtrip(names[i], n);
		TEST_DONE();
	}
}
