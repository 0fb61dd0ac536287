/*
 * test_key_kat.c: known answers.
 *  - RFC 8032 section 7.1 Ed25519 vectors: keys built from the seed sign
 *    exactly the published signature, and verify it.
 *  - Keys made by OpenSSH 9.2 (regress/vectors/keys-fp/): our public
 *    lines, fingerprints and random art equal ssh-keygen's output byte
 *    for byte; its private parts load and re-serialise to the same
 *    bytes; its signatures verify (and Ed25519 ones are reproduced).
 */
#include "includes.h"

#include "buf.h"
#include "digest.h"
#include "errcode.h"
#include "key.h"
#include "../test_helper/test_helper.h"
#include "../test_helper/kat.h"
#include "test_key.h"

/* --------------------------------------------------------- RFC 8032 */

static struct key *
ed25519_from_seed(const u_char *seed, const u_char *pk)
{
	struct buf *b;
	struct key *k = NULL;
	u_char sk[64];

	memcpy(sk, seed, 32);
	memcpy(sk + 32, pk, 32);
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_cstring(b, "ssh-ed25519"), 0);
	ASSERT_INT_EQ(buf_put_string(b, pk, 32), 0);
	ASSERT_INT_EQ(buf_put_string(b, sk, 64), 0);
	ASSERT_INT_EQ(key_private_deserialize(b, &k), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	buf_free(b);
	return k;
}

static void
check_rfc8032_block(struct kat *kat, const u_char *prevseed)
{
	struct key *k, *pub = NULL, *bad = NULL;
	struct buf *b, *expect;
	const u_char *seed, *pk, *msg, *vsig;
	u_char *sig;
	size_t seedlen, pklen, mlen, vlen, slen;

	seed = kat_hex(kat, "seed", &seedlen);
	pk = kat_hex(kat, "pk", &pklen);
	msg = kat_hex(kat, "msg", &mlen);
	vsig = kat_hex(kat, "sig", &vlen);
	ASSERT_SIZE_T_EQ(seedlen, 32);
	ASSERT_SIZE_T_EQ(pklen, 32);
	ASSERT_SIZE_T_EQ(vlen, 64);

	/* The published pair loads (pk is derived from the seed)... */
	k = ed25519_from_seed(seed, pk);
	/* ...and signs exactly the published signature. */
	sig = sign_ok(k, msg, mlen, NULL, &slen);
	ASSERT_PTR_NE(expect = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_cstring(expect, "ssh-ed25519"), 0);
	ASSERT_INT_EQ(buf_put_string(expect, vsig, vlen), 0);
	ASSERT_SIZE_T_EQ(slen, buf_len(expect));
	ASSERT_MEM_EQ(sig, buf_ptr(expect), slen);
	/* The public key alone verifies it. */
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_cstring(b, "ssh-ed25519"), 0);
	ASSERT_INT_EQ(buf_put_string(b, pk, pklen), 0);
	ASSERT_INT_EQ(key_fromb(b, &pub), 0);
	ASSERT_INT_EQ(key_equal_public(k, pub), 1);
	ASSERT_INT_EQ(key_verify(pub, buf_ptr(expect), buf_len(expect),
	    msg, mlen, "ssh-ed25519"), 0);
	if (mlen > 0)
		ASSERT_INT_EQ(key_verify(pub, buf_ptr(expect),
		    buf_len(expect), msg, mlen - 1, NULL),
		    ERR_SIGNATURE_INVALID);
	/* Another vector's seed with this public key is refused. */
	buf_free(b);
	b = NULL;
	if (prevseed != NULL) {
		ASSERT_PTR_NE(b = buf_new(), NULL);
		ASSERT_INT_EQ(buf_put_cstring(b, "ssh-ed25519"), 0);
		ASSERT_INT_EQ(buf_put_string(b, pk, 32), 0);
		ASSERT_INT_EQ(buf_put_u32(b, 64), 0);
		ASSERT_INT_EQ(buf_put(b, prevseed, 32), 0);
		ASSERT_INT_EQ(buf_put(b, pk, 32), 0);
		ASSERT_INT_EQ(key_private_deserialize(b, &bad),
		    ERR_INVALID_FORMAT);
		ASSERT_PTR_EQ(bad, NULL);
	}
	buf_free(b);
	buf_free(expect);
	key_free(pub);
	key_free(k);
	free(sig);
}

void
test_key_rfc8032(void)
{
	struct kat *kat;
	u_char prev[32];
	int n = 0;

	TEST_START("ed25519 RFC 8032 7.1 vectors");
	kat = kat_open("ed25519-rfc8032.txt");
	while (kat_next(kat)) {
		const u_char *seed;
		size_t len;

		check_rfc8032_block(kat, n == 0 ? NULL : prev);
		seed = kat_hex(kat, "seed", &len);
		memcpy(prev, seed, sizeof(prev));
		n++;
	}
	kat_close(kat);
	ASSERT_INT_EQ(n, 5);
	TEST_DONE();
}

/* --------------------------------------------------------- OpenSSH */

static const char *openssh_keys[] = {
	"ed25519", "ecdsa256", "ecdsa384", "ecdsa521",
	"rsa1024", "rsa2048", "rsa3072",
};

/* What ssh-keygen -lv -E alg prints for k. */
static char *
keygen_lv(const struct key *k, int alg, const char *comment)
{
	char *fp, *art, *s;

	ASSERT_PTR_NE(fp = key_fingerprint(k, alg, KEY_FP_DEFAULT), NULL);
	ASSERT_PTR_NE(art = key_fingerprint(k, alg, KEY_FP_RANDOMART), NULL);
	ASSERT_INT_NE(asprintf(&s, "%u %s %s (%s)\n%s\n", key_size(k), fp,
	    comment, key_type_short(k), art), -1);
	free(fp);
	free(art);
	return s;
}

static void
check_openssh_public(const char *name, struct key **pubp)
{
	struct key *pub = NULL;
	char path[128], want_comment[64], *line, *ours, *comment = NULL;
	char *expect, *got;
	size_t len;

	snprintf(path, sizeof(path), "keys-fp/%s.pub", name);
	line = kat_read_file(path, &len);
	ASSERT_INT_EQ(key_read_public_line(line, &pub, &comment, NULL), 0);
	snprintf(want_comment, sizeof(want_comment), "keel-test-%s", name);
	ASSERT_STRING_EQ(comment, want_comment);
	/* Our line plus the comment is OpenSSH's line. */
	ASSERT_INT_EQ(key_format_public(pub, &ours), 0);
	ASSERT_INT_NE(asprintf(&got, "%s %s\n", ours, comment), -1);
	ASSERT_STRING_EQ(got, line);
	free(got);

	snprintf(path, sizeof(path), "keys-fp/%s.fp-sha256", name);
	expect = kat_read_file(path, NULL);
	got = keygen_lv(pub, DIGEST_SHA256, comment);
	ASSERT_STRING_EQ(got, expect);
	free(got);
	free(expect);

	snprintf(path, sizeof(path), "keys-fp/%s.fp-md5", name);
	expect = kat_read_file(path, NULL);
	got = keygen_lv(pub, DIGEST_MD5, comment);
	ASSERT_STRING_EQ(got, expect);
	free(got);
	free(expect);

	free(ours);
	free(comment);
	free(line);
	*pubp = pub;
}

static void
check_openssh_private(struct kat *kat, const struct key *pub)
{
	struct key *priv = NULL;
	struct buf *b, *again;
	const u_char *p, *sigdata, *sig;
	u_char *ours;
	size_t plen, dlen, slen, olen;

	p = kat_hex(kat, "priv", &plen);
	ASSERT_PTR_NE(b = buf_from(p, plen), NULL);
	ASSERT_INT_EQ(key_private_deserialize(b, &priv), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	ASSERT_INT_EQ(key_equal_public(pub, priv), 1);
	ASSERT_PTR_NE(again = buf_new(), NULL);
	ASSERT_INT_EQ(key_private_serialize(priv, again), 0);
	ASSERT_SIZE_T_EQ(buf_len(again), plen);
	ASSERT_MEM_EQ(buf_ptr(again), p, plen);

	/* OpenSSH's signature verifies with its public key. */
	sigdata = kat_hex(kat, "sigdata", &dlen);
	sig = kat_hex(kat, "sig", &slen);
	ASSERT_INT_EQ(key_verify(pub, sig, slen, sigdata, dlen, NULL), 0);
	ASSERT_INT_EQ(key_verify(pub, sig, slen, sigdata, dlen - 1, NULL),
	    ERR_SIGNATURE_INVALID);
	/* Ed25519 (and RSA PKCS#1 v1.5) are deterministic: same bytes. */
	if (key_type(pub) != KEY_ECDSA) {
		ours = sign_ok(priv, sigdata, dlen, NULL, &olen);
		ASSERT_SIZE_T_EQ(olen, slen);
		ASSERT_MEM_EQ(ours, sig, slen);
		free(ours);
	}
	buf_free(b);
	buf_free(again);
	key_free(priv);
}

static void
check_fp_forms(const struct key *k)
{
	char *s;

	/* The other representations, by their shape. */
	ASSERT_PTR_NE(s = key_fingerprint(k, DIGEST_SHA256, KEY_FP_HEX),
	    NULL);
	ASSERT_SIZE_T_EQ(strlen(s), strlen("SHA256:") + 32 * 3 - 1);
	ASSERT_INT_EQ(strncmp(s, "SHA256:", 7), 0);
	ASSERT_U8_EQ(s[9], ':');
	free(s);
	ASSERT_PTR_NE(s = key_fingerprint(k, DIGEST_MD5, KEY_FP_BASE64),
	    NULL);
	ASSERT_INT_EQ(strncmp(s, "MD5:", 4), 0);
	ASSERT_SIZE_T_EQ(strlen(s), 4 + 22);	/* 16 bytes, no padding */
	free(s);
	ASSERT_PTR_NE(s = key_fingerprint(k, DIGEST_SHA512, KEY_FP_DEFAULT),
	    NULL);
	ASSERT_SIZE_T_EQ(strlen(s), 7 + 86);	/* 64 bytes, no padding */
	free(s);
	ASSERT_PTR_EQ(key_fingerprint(k, DIGEST_MAX, KEY_FP_DEFAULT), NULL);
}

/* Walks that saturate a square: the picture's most-visited symbol. */
static void
check_heavy_art(void)
{
	struct key *k;
	char *lines, *line, *next, *comment, *got, *cat, *all = NULL;
	char *expect;
	size_t n = 0;

	TEST_START("OpenSSH random art, saturated squares");
	lines = kat_read_file("keys-fp/heavy.pub", NULL);
	expect = kat_read_file("keys-fp/heavy.fp-sha256", NULL);
	for (line = lines; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		ASSERT_PTR_NE(next, NULL);
		*next++ = '\0';
		ASSERT_INT_EQ(key_read_public_line(line, &k, &comment, NULL),
		    0);
		got = keygen_lv(k, DIGEST_SHA256, comment);
		ASSERT_INT_NE(asprintf(&cat, "%s%s", all ? all : "", got), -1);
		free(all);
		all = cat;
		free(got);
		free(comment);
		key_free(k);
		n++;
	}
	ASSERT_SIZE_T_EQ(n, 5);
	ASSERT_PTR_NE(strchr(expect, '^'), NULL);
	ASSERT_STRING_EQ(all, expect);
	free(all);
	free(lines);
	free(expect);
	TEST_DONE();
}

void
test_key_openssh(void)
{
	struct key *pub;
	struct kat *kat;
	char path[128], label[128];
	size_t i;

	for (i = 0; i < sizeof(openssh_keys) / sizeof(openssh_keys[0]); i++) {
		snprintf(label, sizeof(label), "OpenSSH %s: line, fingerprint,"
		    " random art", openssh_keys[i]);
		TEST_START(label);
		check_openssh_public(openssh_keys[i], &pub);
		check_fp_forms(pub);
		TEST_DONE();

		snprintf(label, sizeof(label), "OpenSSH %s: private part and "
		    "signature", openssh_keys[i]);
		TEST_START(label);
		snprintf(path, sizeof(path), "keys-fp/%s.kat",
		    openssh_keys[i]);
		kat = kat_open(path);
		ASSERT_INT_EQ(kat_next(kat), 1);
		check_openssh_private(kat, pub);
		kat_close(kat);
		key_free(pub);
		TEST_DONE();
	}
	check_heavy_art();
}
