/*
 * Damaged key files: truncation at every offset, flipped bytes, and
 * hand-built openssh-key-v1 files with one field wrong.  None may crash
 * or yield a different key than the file's own.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "keyfile.h"

#include "../test_helper/test_helper.h"
#include "common.h"

/* Parse text; it must fail, or give exactly the key want. */
static int
parse_fails_or_same(const struct buf *text, const char *pass,
    const struct key *want)
{
	struct key *k = NULL;
	char *comment = NULL;
	int r;

	r = keyfile_parse_private(text, pass, &k, &comment);
	if (r != 0) {
		ASSERT_PTR_EQ(k, NULL);
		ASSERT_PTR_EQ(comment, NULL);
		return r;
	}
	kf_assert_same_key(k, want);
	key_free(k);
	free(comment);
	return 0;
}

static struct key *
load_vector_key(const char *name)
{
	struct buf *b = kf_vector(name);
	struct key *k = NULL;

	ASSERT_INT_EQ(keyfile_parse_private(b, kf_vector_pass(name), &k,
	    NULL), 0);
	buf_free(b);
	return k;
}

/* Every prefix of the text: fails, or (past the end line) is the key. */
static void
truncate_text(const char *name)
{
	struct buf *b = kf_vector(name), *cut;
	struct key *want = load_vector_key(name);
	const char *pass = kf_vector_pass(name);
	size_t i, n = buf_len(b), ok = 0;

	for (i = 0; i < n; i++) {
		cut = buf_from(buf_ptr(b), i);
		ASSERT_PTR_NE(cut, NULL);
		if (parse_fails_or_same(cut, pass, want) == 0)
			ok++;
		buf_free(cut);
	}
	/* Only dropping the final newline leaves a usable file. */
	ASSERT_SIZE_T_EQ(ok, 1);
	key_free(want);
	buf_free(b);
}

/* Every prefix of the decoded bytes, re-armored: must fail. */
static void
truncate_decoded(const char *name)
{
	struct buf *b = kf_vector(name), *raw, *cut, *text;
	const char *pass = kf_vector_pass(name);
	struct key *k = NULL;
	size_t i, n;

	raw = kf_unarmor(b);
	n = buf_len(raw);
	for (i = 0; i < n; i++) {
		cut = buf_from(buf_ptr(raw), i);
		text = kf_armor(cut);
		ASSERT_INT_NE(keyfile_parse_private(text, pass, &k, NULL), 0);
		ASSERT_PTR_EQ(k, NULL);
		buf_free(text);
		buf_free(cut);
	}
	/* And the whole thing still parses. */
	text = kf_armor(raw);
	ASSERT_INT_EQ(keyfile_parse_private(text, pass, &k, NULL), 0);
	key_free(k);
	buf_free(text);
	buf_free(raw);
	buf_free(b);
}

/* Offset of the number-of-keys field (after the kdf options). */
static size_t
header_len(const struct buf *raw)
{
	struct buf *v = buf_from(buf_ptr(raw), buf_len(raw));
	size_t len;

	ASSERT_PTR_NE(v, NULL);
	ASSERT_INT_EQ(buf_get(v, NULL, 15), 0);
	ASSERT_INT_EQ(buf_get_string_direct(v, NULL, NULL), 0);
	ASSERT_INT_EQ(buf_get_string_direct(v, NULL, NULL), 0);
	ASSERT_INT_EQ(buf_get_string_direct(v, NULL, NULL), 0);
	len = buf_len(raw) - buf_len(v);
	buf_free(v);
	return len;
}

/*
 * Flip bytes of the decoded file from offset start on (every stride-th
 * byte) with each mask; the result must fail or be the same key.
 */
static size_t
flip_decoded(const char *name, size_t start, size_t stride,
    const u_char *masks, size_t nmasks)
{
	struct buf *b = kf_vector(name), *raw, *copy, *text;
	struct key *want = load_vector_key(name);
	const char *pass = kf_vector_pass(name);
	size_t i, m, n, survived = 0;
	u_char *p;

	raw = kf_unarmor(b);
	n = buf_len(raw);
	for (i = start; i < n; i += stride) {
		for (m = 0; m < nmasks; m++) {
			copy = buf_from_copy(buf_ptr(raw), n);
			ASSERT_PTR_NE(copy, NULL);
			p = buf_mutable_ptr(copy);
			p[i] ^= masks[m];
			text = kf_armor(copy);
			if (parse_fails_or_same(text, pass, want) == 0)
				survived++;
			buf_free(text);
			buf_free(copy);
		}
	}
	key_free(want);
	buf_free(raw);
	buf_free(b);
	return survived;
}

/* Replace base64 characters of a PEM file one at a time. */
static void
flip_pem_text(const char *name, size_t stride)
{
	struct buf *b = kf_vector(name), *copy;
	struct key *want = load_vector_key(name);
	const char *pass = kf_vector_pass(name);
	size_t i, n = buf_len(b), body;
	u_char *p;
	char *s;

	s = buf_dup_string(b);
	ASSERT_PTR_NE(s, NULL);
	body = strcspn(s, "\n") + 1;		/* after the BEGIN line */
	for (i = body; i < n; i += stride) {
		if (s[i] == '\n' || s[i] == '-' || s[i] == '=' ||
		    s[i] == ':' || s[i] == ',' || s[i] == ' ')
			continue;
		copy = buf_from_copy(buf_ptr(b), n);
		p = buf_mutable_ptr(copy);
		p[i] = p[i] == 'A' ? 'B' : 'A';
		(void)parse_fails_or_same(copy, pass, want);
		buf_free(copy);
	}
	free(s);
	key_free(want);
	buf_free(b);
}

static void
test_truncation(void)
{
	TEST_START("truncated text of ed25519.key");
	truncate_text("ed25519.key");
	TEST_DONE();

	TEST_START("truncated decoded ed25519.key at every offset");
	truncate_decoded("ed25519.key");
	TEST_DONE();

	TEST_START("truncated decoded ed25519-aes256-ctr.key");
	truncate_decoded("ed25519-aes256-ctr.key");
	TEST_DONE();

	TEST_START("truncated decoded ed25519-aes256-gcm@openssh.com.key");
	truncate_decoded("ed25519-aes256-gcm@openssh.com.key");
	TEST_DONE();

	TEST_START("truncated decoded ecdsa384.key and rsa2048.key");
	truncate_decoded("ecdsa384.key");
	truncate_decoded("rsa2048.key");
	TEST_DONE();
}

static void
test_flips(void)
{
	static const u_char masks[] = { 0x01, 0x80, 0xff };
	struct buf *b, *raw;
	size_t hl, survived;

	TEST_START("flipped bytes of ed25519.key");
	survived = flip_decoded("ed25519.key", 0, 1, masks, 3);
	/* Only the comment's bytes may change without harm (17 x 3). */
	ASSERT_SIZE_T_EQ(survived, strlen("keel test ed25519") * 3);
	TEST_DONE();

	TEST_START("flipped bytes of ecdsa256.key, rsa2048.key");
	(void)flip_decoded("ecdsa256.key", 0, 1, masks, 3);
	(void)flip_decoded("rsa2048.key", 0, 3, masks, 1);
	TEST_DONE();

	/*
	 * Encrypted: flip from the key count on (a flipped rounds field
	 * could ask for billions of KDF rounds).
	 */
	TEST_START("flipped bytes of encrypted ed25519 files");
	b = kf_vector("ed25519-aes256-ctr.key");
	raw = kf_unarmor(b);
	hl = header_len(raw);
	buf_free(raw);
	buf_free(b);
	/* One mask only: every parse runs the KDF. */
	survived = flip_decoded("ed25519-aes256-ctr.key", hl, 1, masks, 1);
	/* CTR: the comment's bits flip through. */
	ASSERT_SIZE_T_EQ(survived, strlen("keel test ed25519"));
	b = kf_vector("ed25519-chacha20-poly1305@openssh.com.key");
	raw = kf_unarmor(b);
	hl = header_len(raw);
	buf_free(raw);
	buf_free(b);
	/* AEAD: nothing survives. */
	ASSERT_SIZE_T_EQ(flip_decoded(
	    "ed25519-chacha20-poly1305@openssh.com.key", hl, 3, masks, 1), 0);
	TEST_DONE();

	TEST_START("replaced base64 characters of PEM and PKCS#8 files");
	flip_pem_text("ecdsa256.pem", 1);
	flip_pem_text("ecdsa256.pkcs8", 1);
	flip_pem_text("rsa2048.pem", 5);
	flip_pem_text("ecdsa256-enc.pem", 3);
	flip_pem_text("ecdsa256-enc.pkcs8", 3);
	TEST_DONE();
}

/* --------------------------------------------------- hand-built files */

struct v1_spec {
	const char *magic;		/* NULL: the right one */
	const char *cipher;
	const char *kdf;
	int kdfopts_junk;		/* put bytes in the kdf options */
	uint32_t nkeys;
	const struct key *pub;		/* NULL: the private key's own */
	uint32_t check2_xor;
	int bad_padding;
	int misalign;			/* section not a block multiple */
	int trailing;			/* bytes after the section */
};

static struct buf *
build_v1(const struct key *k, const struct v1_spec *s)
{
	struct buf *raw = buf_new(), *priv = buf_new(), *opts = buf_new();
	struct buf *text;
	size_t i;

	ASSERT_INT_EQ(buf_put(raw, s->magic != NULL ? s->magic :
	    "openssh-key-v1", 15), 0);
	ASSERT_INT_EQ(buf_put_cstring(raw, s->cipher), 0);
	ASSERT_INT_EQ(buf_put_cstring(raw, s->kdf), 0);
	if (s->kdfopts_junk)
		ASSERT_INT_EQ(buf_put_u32(opts, 1234), 0);
	ASSERT_INT_EQ(buf_put_stringb(raw, opts), 0);
	ASSERT_INT_EQ(buf_put_u32(raw, s->nkeys), 0);
	ASSERT_INT_EQ(key_puts(s->pub != NULL ? s->pub : k, raw), 0);
	ASSERT_INT_EQ(buf_put_u32(priv, 0x11223344), 0);
	ASSERT_INT_EQ(buf_put_u32(priv, 0x11223344 ^ s->check2_xor), 0);
	ASSERT_INT_EQ(key_private_serialize(k, priv), 0);
	ASSERT_INT_EQ(buf_put_cstring(priv, "hand made"), 0);
	/* For Ed25519 and this comment, 4 bytes of padding. */
	for (i = 1; buf_len(priv) % 8 != 0; i++) {
		ASSERT_INT_EQ(buf_put_u8(priv, (uint8_t)(s->bad_padding &&
		    i == 1 ? 9 : i)), 0);
	}
	if (s->misalign)
		ASSERT_INT_EQ(buf_put_u8(priv, 0), 0);
	ASSERT_INT_EQ(buf_put_stringb(raw, priv), 0);
	if (s->trailing)
		ASSERT_INT_EQ(buf_put_u8(raw, 0), 0);
	text = kf_armor(raw);
	buf_free(raw);
	buf_free(priv);
	buf_free(opts);
	return text;
}

static int
parse_spec(const struct key *k, const struct v1_spec *s)
{
	struct buf *text = build_v1(k, s);
	struct key *got = NULL;
	char *comment = NULL;
	int r;

	r = keyfile_parse_private(text, NULL, &got, &comment);
	if (r == 0) {
		kf_assert_same_key(got, k);
		ASSERT_STRING_EQ(comment, "hand made");
	} else {
		ASSERT_PTR_EQ(got, NULL);
		ASSERT_PTR_EQ(comment, NULL);
	}
	key_free(got);
	free(comment);
	buf_free(text);
	return r;
}

static void
test_hand_built(void)
{
	struct key *k = kf_generate("ed25519"), *other = kf_generate("ed25519");
	struct key *ec = kf_generate("ecdsa256");
	struct v1_spec base, s;

	memset(&base, 0, sizeof(base));
	base.cipher = "none";
	base.kdf = "none";
	base.nkeys = 1;

	TEST_START("hand-built openssh-key-v1: sound file parses");
	ASSERT_INT_EQ(parse_spec(k, &base), 0);
	ASSERT_INT_EQ(parse_spec(ec, &base), 0);
	TEST_DONE();

	TEST_START("hand-built openssh-key-v1: checkints differ");
	s = base;
	s.check2_xor = 0x100;
	ASSERT_INT_EQ(parse_spec(k, &s), ERR_KEY_WRONG_PASSPHRASE);
	TEST_DONE();

	TEST_START("hand-built openssh-key-v1: bad padding");
	s = base;
	s.bad_padding = 1;
	ASSERT_INT_EQ(parse_spec(k, &s), ERR_INVALID_FORMAT);
	TEST_DONE();

	TEST_START("hand-built openssh-key-v1: key counts other than 1");
	s = base;
	s.nkeys = 2;
	ASSERT_INT_EQ(parse_spec(k, &s), ERR_INVALID_FORMAT);
	s.nkeys = 0;
	ASSERT_INT_EQ(parse_spec(k, &s), ERR_INVALID_FORMAT);
	TEST_DONE();

	TEST_START("hand-built openssh-key-v1: public key mismatch");
	s = base;
	s.pub = other;
	ASSERT_INT_EQ(parse_spec(k, &s), ERR_INVALID_FORMAT);
	s.pub = ec;
	ASSERT_INT_EQ(parse_spec(k, &s), ERR_INVALID_FORMAT);
	TEST_DONE();

	TEST_START("hand-built openssh-key-v1: lengths and trailing data");
	s = base;
	s.trailing = 1;
	ASSERT_INT_EQ(parse_spec(k, &s), ERR_UNEXPECTED_TRAILING_DATA);
	s = base;
	s.misalign = 1;
	ASSERT_INT_EQ(parse_spec(k, &s), ERR_INVALID_FORMAT);
	TEST_DONE();

	TEST_START("hand-built openssh-key-v1: magic, cipher and kdf names");
	s = base;
	s.magic = "openssh-key-v2";
	ASSERT_INT_EQ(parse_spec(k, &s), ERR_INVALID_FORMAT);
	s = base;
	s.cipher = "rot13-cbc";
	ASSERT_INT_EQ(parse_spec(k, &s), ERR_KEY_UNKNOWN_CIPHER);
	s = base;
	s.kdf = "bcrypt";
	ASSERT_INT_EQ(parse_spec(k, &s), ERR_INVALID_FORMAT);
	s = base;
	s.kdfopts_junk = 1;
	ASSERT_INT_EQ(parse_spec(k, &s), ERR_INVALID_FORMAT);
	s = base;
	s.cipher = "aes256-ctr";
	s.kdf = "scrypt";
	ASSERT_INT_EQ(parse_spec(k, &s), ERR_KEY_UNKNOWN_CIPHER);
	TEST_DONE();

	key_free(k);
	key_free(other);
	key_free(ec);
}

/* Our own encrypted files, damaged in known places. */
static void
test_encrypted_damage(void)
{
	struct key *k = kf_generate("ed25519"), *got = NULL;
	struct buf *text = buf_new(), *raw, *copy, *t2;
	size_t n, hl, seclen_off;
	uint32_t seclen;
	u_char *p;

	TEST_START("encrypted checkint and padding damage (aes256-ctr)");
	/* No comment: the section then ends in 13 bytes of padding. */
	ASSERT_INT_EQ(keyfile_format_private(k, text, TEST_PASS, NULL,
	    KEYFILE_FORMAT_OPENSSH, "aes256-ctr", 1), 0);
	raw = kf_unarmor(text);
	n = buf_len(raw);
	hl = header_len(raw);
	/* Skip nkeys and the public blob to the section length. */
	copy = buf_from(buf_ptr(raw), n);
	ASSERT_INT_EQ(buf_consume(copy, hl + 4), 0);
	ASSERT_INT_EQ(buf_get_string_direct(copy, NULL, NULL), 0);
	seclen_off = n - buf_len(copy);
	ASSERT_INT_EQ(buf_get_u32(copy, &seclen), 0);
	ASSERT_SIZE_T_EQ(seclen_off + 4 + seclen, n);
	buf_free(copy);

	/* A flipped bit in the second checkint. */
	copy = buf_from_copy(buf_ptr(raw), n);
	p = buf_mutable_ptr(copy);
	p[seclen_off + 4 + 4] ^= 0x10;
	t2 = kf_armor(copy);
	ASSERT_INT_EQ(keyfile_parse_private(t2, TEST_PASS, &got, NULL),
	    ERR_KEY_WRONG_PASSPHRASE);
	buf_free(t2);
	buf_free(copy);

	/* A flipped bit in the last padding byte. */
	copy = buf_from_copy(buf_ptr(raw), n);
	p = buf_mutable_ptr(copy);
	p[n - 1] ^= 0x10;
	t2 = kf_armor(copy);
	ASSERT_INT_EQ(keyfile_parse_private(t2, TEST_PASS, &got, NULL),
	    ERR_INVALID_FORMAT);
	ASSERT_PTR_EQ(got, NULL);
	buf_free(t2);
	buf_free(copy);
	buf_free(raw);
	buf_free(text);
	TEST_DONE();

	TEST_START("encrypted damage under GCM is a wrong passphrase");
	text = buf_new();
	ASSERT_INT_EQ(keyfile_format_private(k, text, TEST_PASS, NULL,
	    KEYFILE_FORMAT_OPENSSH, "aes256-gcm@openssh.com", 1), 0);
	raw = kf_unarmor(text);
	n = buf_len(raw);
	copy = buf_from_copy(buf_ptr(raw), n);
	p = buf_mutable_ptr(copy);
	p[n - 20] ^= 0x01;		/* ciphertext, just before the tag */
	t2 = kf_armor(copy);
	ASSERT_INT_EQ(keyfile_parse_private(t2, TEST_PASS, &got, NULL),
	    ERR_KEY_WRONG_PASSPHRASE);
	buf_free(t2);
	buf_free(copy);
	buf_free(raw);
	buf_free(text);
	TEST_DONE();
	key_free(k);
}

static int
parse_string(const char *s, const char *pass)
{
	struct buf *b = buf_from(s, strlen(s));
	struct key *k = NULL;
	int r;

	r = keyfile_parse_private(b, pass, &k, NULL);
	ASSERT_PTR_EQ(k, NULL);
	buf_free(b);
	return r;
}

static void
test_garbage(void)
{
	TEST_START("garbage is refused");
	ASSERT_INT_NE(parse_string("", NULL), 0);
	ASSERT_INT_NE(parse_string("hello\n", NULL), 0);
	ASSERT_INT_EQ(parse_string("-----BEGIN OPENSSH PRIVATE KEY-----\n",
	    NULL), ERR_INVALID_FORMAT);
	ASSERT_INT_NE(parse_string("-----BEGIN OPENSSH PRIVATE KEY-----\n"
	    "b3BlbnNzaC1rZXktdjEA\n-----END OPENSSH PRIVATE KEY-----\n",
	    NULL), 0);
	ASSERT_INT_EQ(parse_string("-----BEGIN OPENSSH PRIVATE KEY-----\n"
	    "!!!!\n-----END OPENSSH PRIVATE KEY-----\n", NULL),
	    ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(parse_string("-----BEGIN PRIVATE KEY-----\nAAAA\n"
	    "-----END PRIVATE KEY-----\n", NULL), ERR_INVALID_FORMAT);
	TEST_DONE();

	TEST_START("damaged encrypted PEM armor is not a wrong passphrase");
	ASSERT_INT_EQ(parse_string("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
	    "AAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", TEST_PASS),
	    ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(parse_string("-----BEGIN RSA PRIVATE KEY-----\n"
	    "Proc-Type: 4,ENCRYPTED\nDEK-Info: ROT-13,00\n\nAAAA\n"
	    "-----END RSA PRIVATE KEY-----\n", TEST_PASS),
	    ERR_INVALID_FORMAT);
	/* Without a passphrase an encrypted file asks for one. */
	ASSERT_INT_EQ(parse_string("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
	    "AAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", NULL),
	    ERR_KEY_WRONG_PASSPHRASE);
	TEST_DONE();
}

void
test_corrupt(void)
{
	test_truncation();
	test_flips();
	test_hand_built();
	test_encrypted_damage();
	test_garbage();
}
