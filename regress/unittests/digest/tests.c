/*
 * tests.c: unit tests of digest.c: names and sizes, FIPS 180 / RFC 1321
 * digests, RFC 2202 / RFC 4231 HMACs, incremental == one-shot.
 */
#include "includes.h"

#include "buf.h"
#include "digest.h"
#include "errcode.h"
#include "../test_helper/test_helper.h"
#include "../test_helper/kat.h"

static void
test_names(void)
{
	TEST_START("digest names and sizes");
	ASSERT_INT_EQ(digest_alg_by_name("md5"), DIGEST_MD5);
	ASSERT_INT_EQ(digest_alg_by_name("SHA1"), DIGEST_SHA1);
	ASSERT_INT_EQ(digest_alg_by_name("sha256"), DIGEST_SHA256);
	ASSERT_INT_EQ(digest_alg_by_name("Sha384"), DIGEST_SHA384);
	ASSERT_INT_EQ(digest_alg_by_name("sha512"), DIGEST_SHA512);
	ASSERT_INT_EQ(digest_alg_by_name("sha3-256"), -1);
	ASSERT_INT_EQ(digest_alg_by_name(""), -1);
	ASSERT_INT_EQ(digest_alg_by_name(NULL), -1);
	ASSERT_STRING_EQ(digest_alg_name(DIGEST_MD5), "MD5");
	ASSERT_STRING_EQ(digest_alg_name(DIGEST_SHA256), "SHA256");
	ASSERT_PTR_EQ(digest_alg_name(DIGEST_MAX), NULL);
	ASSERT_PTR_EQ(digest_alg_name(-1), NULL);
	ASSERT_SIZE_T_EQ(digest_bytes(DIGEST_MD5), 16);
	ASSERT_SIZE_T_EQ(digest_bytes(DIGEST_SHA1), 20);
	ASSERT_SIZE_T_EQ(digest_bytes(DIGEST_SHA256), 32);
	ASSERT_SIZE_T_EQ(digest_bytes(DIGEST_SHA384), 48);
	ASSERT_SIZE_T_EQ(digest_bytes(DIGEST_SHA512), 64);
	ASSERT_SIZE_T_EQ(digest_bytes(DIGEST_MAX), 0);
	ASSERT_SIZE_T_EQ(digest_block_size(DIGEST_SHA256), 64);
	ASSERT_SIZE_T_EQ(digest_block_size(DIGEST_SHA512), 128);
	ASSERT_SIZE_T_EQ(digest_block_size(-1), 0);
	ASSERT_SIZE_T_EQ(hmac_bytes(DIGEST_SHA512), 64);
	ASSERT_PTR_EQ(digest_start(DIGEST_MAX), NULL);
	ASSERT_PTR_EQ(hmac_start(-1), NULL);
	TEST_DONE();
}

/* Digest msg repeated rep times, incrementally, in pieces of step. */
static void
digest_pieces(int alg, const u_char *msg, size_t mlen, size_t rep,
    size_t step, u_char *out)
{
	struct digest_ctx *ctx;
	size_t i, off, n;

	ASSERT_PTR_NE(ctx = digest_start(alg), NULL);
	for (i = 0; i < rep; i++) {
		for (off = 0; off < mlen; off += n) {
			n = MINIMUM(step, mlen - off);
			ASSERT_INT_EQ(digest_update(ctx, msg + off, n), 0);
		}
	}
	ASSERT_INT_EQ(digest_final(ctx, out, DIGEST_MAX_LENGTH), 0);
	digest_free(ctx);
}

static void
test_digest_kat(void)
{
	struct kat *kat;
	struct buf *b;
	const u_char *msg, *md;
	u_char *all, out[DIGEST_MAX_LENGTH];
	size_t mlen, mdlen, rep, i, n = 0;
	const char *v;
	int alg;

	TEST_START("digest known answers (FIPS 180, RFC 1321)");
	kat = kat_open("digest-fips180.txt");
	while (kat_next(kat)) {
		ASSERT_INT_NE(alg = digest_alg_by_name(kat_str(kat, "alg")),
		    -1);
		msg = kat_hex(kat, "msg", &mlen);
		md = kat_hex(kat, "md", &mdlen);
		rep = (v = kat_get(kat, "repeat")) == NULL ? 1 :
		    (size_t)strtonum(v, 1, 10000000, NULL);
		ASSERT_SIZE_T_EQ(mdlen, digest_bytes(alg));
		/* Incremental: whole message, then byte by byte. */
		digest_pieces(alg, msg, mlen, rep, mlen == 0 ? 1 : mlen, out);
		ASSERT_MEM_EQ(out, md, mdlen);
		if (rep == 1) {
			digest_pieces(alg, msg, mlen, 1, 1, out);
			ASSERT_MEM_EQ(out, md, mdlen);
		}
		/* One-shot, from memory and from a buffer. */
		ASSERT_PTR_NE(all = malloc(mlen * rep + 1), NULL);
		for (i = 0; i < rep; i++)
			memcpy(all + i * mlen, msg, mlen);
		memset(out, 0, sizeof(out));
		ASSERT_INT_EQ(digest_memory(alg, all, mlen * rep, out,
		    sizeof(out)), 0);
		ASSERT_MEM_EQ(out, md, mdlen);
		ASSERT_PTR_NE(b = buf_from(all, mlen * rep), NULL);
		memset(out, 0, sizeof(out));
		ASSERT_INT_EQ(digest_buffer(alg, b, out, mdlen), 0);
		ASSERT_MEM_EQ(out, md, mdlen);
		/* Too small an output is refused. */
		ASSERT_INT_EQ(digest_buffer(alg, b, out, mdlen - 1),
		    ERR_INVALID_ARGUMENT);
		buf_free(b);
		free(all);
		n++;
	}
	kat_close(kat);
	ASSERT_SIZE_T_EQ(n, 6 + 4 * 4);
	TEST_DONE();
}

static void
test_digest_incremental(void)
{
	u_char data[1000], one[DIGEST_MAX_LENGTH], inc[DIGEST_MAX_LENGTH];
	struct digest_ctx *ctx;
	struct buf *b;
	size_t i, split;
	int alg;

	TEST_START("digest incremental == one-shot");
	for (i = 0; i < sizeof(data); i++)
		data[i] = (u_char)(i * 7 + 3);
	for (alg = 0; alg < DIGEST_MAX; alg++) {
		ASSERT_INT_EQ(digest_memory(alg, data, sizeof(data), one,
		    sizeof(one)), 0);
		for (split = 0; split <= sizeof(data); split += 37) {
			ASSERT_PTR_NE(ctx = digest_start(alg), NULL);
			ASSERT_INT_EQ(digest_update(ctx, data, split), 0);
			ASSERT_PTR_NE(b = buf_from(data + split,
			    sizeof(data) - split), NULL);
			ASSERT_INT_EQ(digest_update_buffer(ctx, b), 0);
			buf_free(b);
			ASSERT_INT_EQ(digest_final(ctx, inc, sizeof(inc)), 0);
			digest_free(ctx);
			ASSERT_MEM_EQ(one, inc, digest_bytes(alg));
		}
	}
	/* Bad arguments. */
	ASSERT_INT_EQ(digest_memory(DIGEST_MAX, data, 1, one, sizeof(one)),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(digest_memory(DIGEST_SHA1, NULL, 1, one, sizeof(one)),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(digest_memory(DIGEST_SHA1, data, 1, one, 19),
	    ERR_INVALID_ARGUMENT);
	ASSERT_PTR_NE(ctx = digest_start(DIGEST_SHA256), NULL);
	ASSERT_INT_EQ(digest_final(ctx, inc, 31), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(digest_update(NULL, data, 1), ERR_INVALID_ARGUMENT);
	digest_free(ctx);
	digest_free(NULL);
	TEST_DONE();
}

/* HMAC of data with key, the data fed in pieces of step bytes. */
static void
hmac_pieces(struct hmac_ctx *ctx, const u_char *key, size_t klen,
    const u_char *data, size_t dlen, size_t step, u_char *out)
{
	size_t off, n;

	ASSERT_INT_EQ(hmac_init(ctx, key, klen), 0);
	for (off = 0; off < dlen; off += n) {
		n = MINIMUM(step, dlen - off);
		ASSERT_INT_EQ(hmac_update(ctx, data + off, n), 0);
	}
	ASSERT_INT_EQ(hmac_final(ctx, out, DIGEST_MAX_LENGTH), 0);
}

static void
test_hmac_kat(void)
{
	struct kat *kat;
	struct hmac_ctx *ctx;
	struct buf *b;
	const u_char *key, *data, *mac;
	u_char out[DIGEST_MAX_LENGTH];
	size_t klen, dlen, mlen, n = 0;
	int alg;

	TEST_START("HMAC known answers (RFC 2202, RFC 4231)");
	kat = kat_open("hmac-rfc2202-rfc4231.txt");
	while (kat_next(kat)) {
		ASSERT_INT_NE(alg = digest_alg_by_name(kat_str(kat, "alg")),
		    -1);
		key = kat_hex(kat, "key", &klen);
		data = kat_hex(kat, "data", &dlen);
		mac = kat_hex(kat, "mac", &mlen);
		ASSERT_PTR_NE(ctx = hmac_start(alg), NULL);
		hmac_pieces(ctx, key, klen, data, dlen, dlen, out);
		ASSERT_MEM_EQ(out, mac, mlen);
		/* The same context, re-keyed, data byte by byte. */
		memset(out, 0, sizeof(out));
		hmac_pieces(ctx, key, klen, data, dlen, 1, out);
		ASSERT_MEM_EQ(out, mac, mlen);
		/* From a buffer. */
		ASSERT_INT_EQ(hmac_init(ctx, key, klen), 0);
		ASSERT_PTR_NE(b = buf_from(data, dlen), NULL);
		ASSERT_INT_EQ(hmac_update_buffer(ctx, b), 0);
		buf_free(b);
		memset(out, 0, sizeof(out));
		ASSERT_INT_EQ(hmac_final(ctx, out, hmac_bytes(alg)), 0);
		ASSERT_MEM_EQ(out, mac, mlen);
		hmac_free(ctx);
		n++;
	}
	kat_close(kat);
	ASSERT_SIZE_T_EQ(n, 3 * 7);
	TEST_DONE();
}

static void
test_hmac_misuse(void)
{
	struct hmac_ctx *ctx;
	u_char out[DIGEST_MAX_LENGTH], a[DIGEST_MAX_LENGTH];
	u_char b[DIGEST_MAX_LENGTH];

	TEST_START("HMAC state rules");
	ASSERT_PTR_NE(ctx = hmac_start(DIGEST_SHA256), NULL);
	/* No key yet. */
	ASSERT_INT_EQ(hmac_update(ctx, "x", 1), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(hmac_final(ctx, out, sizeof(out)),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(hmac_init(ctx, "k", 1), 0);
	ASSERT_INT_EQ(hmac_final(ctx, out, 31), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(hmac_update(ctx, "x", 1), 0);
	ASSERT_INT_EQ(hmac_final(ctx, a, sizeof(a)), 0);
	/* Finished: a second final needs a new init. */
	ASSERT_INT_EQ(hmac_final(ctx, out, sizeof(out)),
	    ERR_INVALID_ARGUMENT);
	/* Another key gives another MAC; the first key gives the first. */
	ASSERT_INT_EQ(hmac_init(ctx, "K", 1), 0);
	ASSERT_INT_EQ(hmac_update(ctx, "x", 1), 0);
	ASSERT_INT_EQ(hmac_final(ctx, b, sizeof(b)), 0);
	ASSERT_MEM_NE(a, b, 32);
	ASSERT_INT_EQ(hmac_init(ctx, "k", 1), 0);
	ASSERT_INT_EQ(hmac_update(ctx, "x", 1), 0);
	ASSERT_INT_EQ(hmac_final(ctx, b, sizeof(b)), 0);
	ASSERT_MEM_EQ(a, b, 32);
	/* An empty key is a key. */
	ASSERT_INT_EQ(hmac_init(ctx, NULL, 0), 0);
	ASSERT_INT_EQ(hmac_final(ctx, b, sizeof(b)), 0);
	ASSERT_INT_EQ(hmac_init(ctx, NULL, 1), ERR_INVALID_ARGUMENT);
	hmac_free(ctx);
	hmac_free(NULL);
	TEST_DONE();
}

void
tests(void)
{
	test_names();
	test_digest_kat();
	test_digest_incremental();
	test_hmac_kat();
	test_hmac_misuse();
}
