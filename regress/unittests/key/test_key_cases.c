/*
 * test_key_cases.c: every key kind through generation, public blobs, text
 * lines, private parts and signatures, with the negative cases of
 * STYLE.md rule 20 (truncation at every offset, trailing bytes, flipped
 * bits, mismatched halves).
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "../test_helper/test_helper.h"
#include "test_key.h"

static const u_char data[] = "the data that is signed";
#define DLEN	(sizeof(data) - 1)

static char label[128];

static void
start(const struct key_case *kc, const char *what)
{
	snprintf(label, sizeof(label), "%s: %s", kc->label, what);
	TEST_START(label);
}

/* A heap copy of len bytes with one zero byte appended. */
static u_char *
copy_plus_zero(const u_char *p, size_t len)
{
	u_char *c;

	ASSERT_PTR_NE(c = malloc(len + 1), NULL);
	memcpy(c, p, len);
	c[len] = 0;
	return c;
}

/* --------------------------------------------------------- basics */

static void
check_generated(const struct key_case *kc, const struct key *k)
{
	start(kc, "generate");
	ASSERT_INT_EQ(key_type(k), kc->type);
	ASSERT_INT_EQ(key_size(k), kc->bits);
	ASSERT_INT_EQ(key_is_private(k), 1);
	ASSERT_STRING_EQ(key_type_name(k), kc->name);
	ASSERT_STRING_EQ(key_default_sig_alg(k), kc->sigalgs[0]);
	ASSERT_PTR_NE(key_evp(k), NULL);
	TEST_DONE();
}

static void
check_blob(const struct key_case *kc, const struct key *k,
    const struct key *other)
{
	struct key *pub = NULL, *pub2 = NULL;
	struct buf *b;
	u_char *blob = NULL, *blob2 = NULL;
	size_t len, len2;

	start(kc, "public blob round trip");
	ASSERT_INT_EQ(key_to_blob(k, &blob, &len), 0);
	ASSERT_INT_EQ(key_from_blob(blob, len, &pub), 0);
	ASSERT_INT_EQ(key_is_private(pub), 0);
	ASSERT_INT_EQ(key_equal_public(k, pub), 1);
	ASSERT_INT_EQ(key_equal_public(pub, k), 1);
	ASSERT_INT_EQ(key_equal_public(pub, other), 0);
	ASSERT_INT_EQ(key_size(pub), kc->bits);
	ASSERT_STRING_EQ(key_type_name(pub), kc->name);
	ASSERT_INT_EQ(key_to_blob(pub, &blob2, &len2), 0);
	ASSERT_SIZE_T_EQ(len, len2);
	ASSERT_MEM_EQ(blob, blob2, len);
	free(blob2);
	key_free(pub);
	pub = NULL;

	/* key_demote */
	ASSERT_INT_EQ(key_demote(k, &pub), 0);
	ASSERT_INT_EQ(key_is_private(pub), 0);
	ASSERT_INT_EQ(key_equal_public(k, pub), 1);
	key_free(pub);
	pub = NULL;

	/* key_puts / key_froms, key_putb / key_fromb */
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(key_puts(k, b), 0);
	ASSERT_INT_EQ(buf_put_u8(b, 0x42), 0);
	ASSERT_INT_EQ(key_froms(b, &pub), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 1);
	ASSERT_INT_EQ(key_equal_public(k, pub), 1);
	/* A failed key_froms consumes nothing. */
	ASSERT_INT_EQ(key_froms(b, &pub2), ERR_MESSAGE_INCOMPLETE);
	ASSERT_PTR_EQ(pub2, NULL);
	ASSERT_SIZE_T_EQ(buf_len(b), 1);
	buf_reset(b);
	ASSERT_INT_EQ(key_putb(k, b), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), len);
	ASSERT_MEM_EQ(buf_ptr(b), blob, len);
	ASSERT_INT_EQ(key_fromb(b, &pub2), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	ASSERT_INT_EQ(key_equal_public(pub, pub2), 1);
	buf_free(b);
	key_free(pub);
	key_free(pub2);
	free(blob);
	TEST_DONE();
}

static void
check_blob_negative(const struct key_case *kc, const struct key *k)
{
	struct key *pub = NULL;
	struct buf *b;
	u_char *blob = NULL, *copy;
	size_t len, i;

	start(kc, "public blob truncated / trailing");
	ASSERT_INT_EQ(key_to_blob(k, &blob, &len), 0);
	for (i = 0; i < len; i++) {
		copy = exact_copy(blob, i);
		ASSERT_INT_NE(key_from_blob(copy, i, &pub), 0);
		ASSERT_PTR_EQ(pub, NULL);
		free(copy);
	}
	copy = copy_plus_zero(blob, len);
	ASSERT_INT_EQ(key_from_blob(copy, len + 1, &pub),
	    ERR_UNEXPECTED_TRAILING_DATA);
	ASSERT_PTR_EQ(pub, NULL);
	/* key_fromb wants the whole buffer, and eats nothing on failure. */
	ASSERT_PTR_NE(b = buf_from(copy, len + 1), NULL);
	ASSERT_INT_EQ(key_fromb(b, &pub), ERR_UNEXPECTED_TRAILING_DATA);
	ASSERT_SIZE_T_EQ(buf_len(b), len + 1);
	buf_free(b);
	free(copy);
	free(blob);
	TEST_DONE();
}

/* --------------------------------------------------------- text */

static void
check_text(const struct key_case *kc, const struct key *k,
    const struct key *other)
{
	struct key *pub = NULL;
	char *line = NULL, *oline = NULL, *comment = NULL, *s;
	const char *end = NULL, *b64;
	size_t n;

	start(kc, "public key text line");
	ASSERT_INT_EQ(key_format_public(k, &line), 0);
	n = strlen(kc->name);
	ASSERT_INT_EQ(strncmp(line, kc->name, n), 0);
	ASSERT_U8_EQ(line[n], ' ');
	ASSERT_PTR_EQ(strchr(line, '\n'), NULL);

	/* No comment. */
	ASSERT_INT_EQ(key_read_public_line(line, &pub, &comment, &end), 0);
	ASSERT_PTR_EQ(comment, NULL);
	ASSERT_PTR_EQ(end, line + strlen(line));
	ASSERT_INT_EQ(key_equal_public(k, pub), 1);
	key_free(pub);
	pub = NULL;

	/* Leading white space, a comment with white space around it. */
	ASSERT_INT_NE(asprintf(&s, " \t%s  my key  comment \r\n", line), -1);
	ASSERT_INT_EQ(key_read_public_line(s, &pub, &comment, &end), 0);
	ASSERT_STRING_EQ(comment, "my key  comment");
	ASSERT_PTR_EQ(end, s + 2 + strlen(line));
	ASSERT_INT_EQ(key_equal_public(k, pub), 1);
	key_free(pub);
	pub = NULL;
	free(comment);
	comment = NULL;
	/* Optional outputs may be NULL. */
	ASSERT_INT_EQ(key_read_public_line(s, &pub, NULL, NULL), 0);
	key_free(pub);
	pub = NULL;
	free(s);

	/* Another key's line gives that key. */
	ASSERT_INT_EQ(key_format_public(other, &oline), 0);
	ASSERT_STRING_NE(line, oline);
	ASSERT_INT_EQ(key_read_public_line(oline, &pub, NULL, NULL), 0);
	ASSERT_INT_EQ(key_equal_public(other, pub), 1);
	ASSERT_INT_EQ(key_equal_public(k, pub), 0);
	key_free(pub);
	pub = NULL;

	/* The type field must name the blob's type. */
	b64 = strchr(line, ' ') + 1;
	ASSERT_INT_NE(asprintf(&s, "%s %s", strcmp(kc->name, "ssh-rsa") == 0 ?
	    "ssh-ed25519" : "ssh-rsa", b64), -1);
	ASSERT_INT_EQ(key_read_public_line(s, &pub, NULL, NULL),
	    ERR_KEY_TYPE_MISMATCH);
	free(s);
	ASSERT_INT_NE(asprintf(&s, "ssh-foo %s", b64), -1);
	ASSERT_INT_EQ(key_read_public_line(s, &pub, NULL, NULL),
	    ERR_KEY_TYPE_UNKNOWN);
	free(s);
	/* Missing or broken base64. */
	ASSERT_INT_NE(asprintf(&s, "%s ", kc->name), -1);
	ASSERT_INT_EQ(key_read_public_line(s, &pub, NULL, NULL),
	    ERR_INVALID_FORMAT);
	free(s);
	ASSERT_INT_EQ(key_read_public_line(kc->name, &pub, NULL, NULL),
	    ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(key_read_public_line("", &pub, NULL, NULL),
	    ERR_INVALID_FORMAT);
	ASSERT_INT_NE(asprintf(&s, "%s %.*s", kc->name,
	    (int)strlen(b64) - 4, b64), -1);
	ASSERT_INT_NE(key_read_public_line(s, &pub, NULL, NULL), 0);
	free(s);
	ASSERT_INT_NE(asprintf(&s, "%s !%s", kc->name, b64), -1);
	ASSERT_INT_NE(key_read_public_line(s, &pub, NULL, NULL), 0);
	free(s);
	ASSERT_PTR_EQ(pub, NULL);
	free(line);
	free(oline);
	TEST_DONE();
}

/* --------------------------------------------------------- private */

static void
check_private(const struct key_case *kc, const struct key *k)
{
	struct key *k2 = NULL, *pub = NULL;
	struct buf *b, *b2, *view;
	u_char *copy, *sig;
	size_t len, i, slen;

	start(kc, "private part round trip");
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(key_private_serialize(k, b), 0);
	len = buf_len(b);
	ASSERT_INT_EQ(buf_put_cstring(b, "after"), 0);
	ASSERT_INT_EQ(key_private_deserialize(b, &k2), 0);
	/* Exactly the private part was consumed. */
	ASSERT_SIZE_T_EQ(buf_len(b), 9);
	ASSERT_INT_EQ(key_is_private(k2), 1);
	ASSERT_INT_EQ(key_equal_public(k, k2), 1);
	ASSERT_INT_EQ(key_size(k2), kc->bits);
	/* Serialising again gives the same bytes. */
	buf_reset(b);
	ASSERT_INT_EQ(key_private_serialize(k, b), 0);
	ASSERT_PTR_NE(b2 = buf_new(), NULL);
	ASSERT_INT_EQ(key_private_serialize(k2, b2), 0);
	ASSERT_INT_EQ(buf_equals(b, b2), 1);
	/* The loaded key signs, and the original verifies. */
	sig = sign_ok(k2, data, DLEN, NULL, &slen);
	ASSERT_INT_EQ(key_verify(k, sig, slen, data, DLEN, NULL), 0);
	free(sig);
	/* A public key has no private part. */
	ASSERT_INT_EQ(key_demote(k, &pub), 0);
	ASSERT_INT_EQ(key_private_serialize(pub, b2), ERR_INVALID_ARGUMENT);
	key_free(k2);
	k2 = NULL;
	TEST_DONE();

	start(kc, "private part truncated");
	for (i = 0; i < len; i++) {
		copy = exact_copy(buf_ptr(b), i);
		ASSERT_PTR_NE(view = buf_from(copy, i), NULL);
		ASSERT_INT_NE(key_private_deserialize(view, &k2), 0);
		ASSERT_PTR_EQ(k2, NULL);
		ASSERT_SIZE_T_EQ(buf_len(view), i);
		buf_free(view);
		free(copy);
	}
	TEST_DONE();
	buf_free(b);
	buf_free(b2);
	key_free(pub);
}

/* The SSH strings of a private part (mpints are strings too). */
static size_t
split_fields(struct buf *b, struct buf **fields, size_t max)
{
	size_t n = 0;

	while (buf_len(b) > 0) {
		ASSERT_SIZE_T_LT(n, max);
		ASSERT_INT_EQ(buf_froms(b, &fields[n]), 0);
		n++;
	}
	return n;
}

/*
 * A private part made of k's fields with field i taken from other: every
 * such mix (where the field differs) must be refused.
 */
static void
check_private_mixed(const struct key_case *kc, const struct key *k,
    const struct key *other)
{
	struct buf *a, *o, *mix, *fa[8], *fo[8];
	struct key *k2 = NULL;
	size_t na, no, i, j, tried = 0;

	start(kc, "private part with mismatched halves");
	ASSERT_PTR_NE(a = buf_new(), NULL);
	ASSERT_PTR_NE(o = buf_new(), NULL);
	ASSERT_INT_EQ(key_private_serialize(k, a), 0);
	ASSERT_INT_EQ(key_private_serialize(other, o), 0);
	na = split_fields(a, fa, 8);
	no = split_fields(o, fo, 8);
	ASSERT_SIZE_T_EQ(na, no);
	for (i = 1; i < na; i++) {
		if (buf_equals(fa[i], fo[i]))
			continue;	/* the curve name, e = 65537 */
		ASSERT_PTR_NE(mix = buf_new(), NULL);
		for (j = 0; j < na; j++)
			ASSERT_INT_EQ(buf_put_stringb(mix,
			    j == i ? fo[j] : fa[j]), 0);
		ASSERT_INT_NE(key_private_deserialize(mix, &k2), 0);
		ASSERT_PTR_EQ(k2, NULL);
		buf_free(mix);
		tried++;
	}
	ASSERT_SIZE_T_GT(tried, 0);
	for (i = 0; i < na; i++) {
		buf_free(fa[i]);
		buf_free(fo[i]);
	}
	buf_free(a);
	buf_free(o);
	TEST_DONE();
}

/* --------------------------------------------------------- signatures */

static void
check_sign_verify(const struct key_case *kc, const struct key *k,
    const struct key *other)
{
	struct key *pub = NULL;
	u_char *sig;
	char *alg = NULL;
	size_t slen, i;

	start(kc, "sign and verify");
	ASSERT_INT_EQ(key_demote(k, &pub), 0);
	for (i = 0; kc->sigalgs[i] != NULL; i++) {
		sig = sign_ok(k, data, DLEN, kc->sigalgs[i], &slen);
		ASSERT_INT_EQ(key_sig_alg(sig, slen, &alg), 0);
		ASSERT_STRING_EQ(alg, kc->sigalgs[i]);
		free(alg);
		ASSERT_INT_EQ(key_verify(pub, sig, slen, data, DLEN,
		    kc->sigalgs[i]), 0);
		ASSERT_INT_EQ(key_verify(k, sig, slen, data, DLEN,
		    kc->sigalgs[i]), 0);
		if (strcmp(kc->sigalgs[i], "ssh-rsa") == 0) {
			/* SHA-1 only when asked for by name. */
			ASSERT_INT_EQ(key_verify(pub, sig, slen, data, DLEN,
			    NULL), ERR_SIGN_ALG_UNSUPPORTED);
		} else {
			ASSERT_INT_EQ(key_verify(pub, sig, slen, data, DLEN,
			    NULL), 0);
		}
		/* Wrong data, another key, another algorithm asked for. */
		ASSERT_INT_EQ(key_verify(pub, sig, slen, data, DLEN - 1,
		    kc->sigalgs[i]), ERR_SIGNATURE_INVALID);
		ASSERT_INT_EQ(key_verify(other, sig, slen, data, DLEN,
		    kc->sigalgs[i]), ERR_SIGNATURE_INVALID);
		ASSERT_INT_EQ(key_verify(pub, sig, slen, data, DLEN,
		    "ssh-ed25519-nope"), ERR_SIGNATURE_INVALID);
		free(sig);
	}
	/* The default algorithm. */
	sig = sign_ok(k, data, DLEN, NULL, &slen);
	ASSERT_INT_EQ(key_sig_alg(sig, slen, &alg), 0);
	ASSERT_STRING_EQ(alg, key_default_sig_alg(k));
	free(alg);
	ASSERT_INT_EQ(key_verify(pub, sig, slen, data, DLEN, NULL), 0);
	free(sig);
	/* Empty data is data. */
	sig = sign_ok(k, NULL, 0, NULL, &slen);
	ASSERT_INT_EQ(key_verify(pub, sig, slen, NULL, 0, NULL), 0);
	ASSERT_INT_EQ(key_verify(pub, sig, slen, data, 1, NULL),
	    ERR_SIGNATURE_INVALID);
	free(sig);
	/* Algorithms that do not fit the key; a public key cannot sign. */
	ASSERT_INT_EQ(key_sign(k, &sig, &slen, data, DLEN,
	    kc->type == KEY_RSA ? "ssh-ed25519" : "ssh-rsa"),
	    ERR_SIGN_ALG_UNSUPPORTED);
	ASSERT_INT_EQ(key_sign(k, &sig, &slen, data, DLEN,
	    kc->type == KEY_ECDSA && kc->bits != 384 ?
	    "ecdsa-sha2-nistp384" : "ecdsa-sha2-nistp256"),
	    ERR_SIGN_ALG_UNSUPPORTED);
	ASSERT_INT_EQ(key_sign(k, &sig, &slen, data, DLEN, "rsa-sha2-1024"),
	    ERR_SIGN_ALG_UNSUPPORTED);
	ASSERT_INT_EQ(key_sign(pub, &sig, &slen, data, DLEN, NULL),
	    ERR_INVALID_ARGUMENT);
	ASSERT_PTR_EQ(sig, NULL);
	key_free(pub);
	TEST_DONE();
}

static void
check_sig_negative(const struct key_case *kc, const struct key *k,
    const struct key *wrongtype)
{
	u_char *sig, *copy;
	size_t slen, i;
	int bit, step = test_is_fast() ? 8 : 1;

	start(kc, "signature bit flips");
	sig = sign_ok(k, data, DLEN, NULL, &slen);
	copy = exact_copy(sig, slen);
	for (i = 0; i < slen; i++) {
		for (bit = 0; bit < 8; bit += step) {
			copy[i] ^= 1 << bit;
			ASSERT_INT_NE(key_verify(k, copy, slen, data, DLEN,
			    NULL), 0);
			copy[i] ^= 1 << bit;
		}
	}
	ASSERT_INT_EQ(key_verify(k, copy, slen, data, DLEN, NULL), 0);
	free(copy);
	TEST_DONE();

	start(kc, "signature truncated / trailing");
	for (i = 0; i < slen; i++) {
		copy = exact_copy(sig, i);
		ASSERT_INT_NE(key_verify(k, copy, i, data, DLEN, NULL), 0);
		free(copy);
	}
	copy = copy_plus_zero(sig, slen);
	ASSERT_INT_EQ(key_verify(k, copy, slen + 1, data, DLEN, NULL),
	    ERR_UNEXPECTED_TRAILING_DATA);
	free(copy);
	free(sig);
	/* A signature of another key type. */
	sig = sign_ok(wrongtype, data, DLEN, NULL, &slen);
	ASSERT_INT_EQ(key_verify(k, sig, slen, data, DLEN, NULL),
	    ERR_KEY_TYPE_MISMATCH);
	free(sig);
	TEST_DONE();
}

/* --------------------------------------------------------- driver */

void
test_key_cases(void)
{
	const struct key_case *kc;
	struct key *k, *other, *wrongtype;
	size_t i;

	for (i = 0; i < nkey_cases; i++) {
		kc = &key_cases[i];
		k = other = wrongtype = NULL;
		ASSERT_INT_EQ(key_generate(kc->type, kc->bits, &k), 0);
		ASSERT_INT_EQ(key_generate(kc->type, kc->bits, &other), 0);
		ASSERT_INT_EQ(key_generate(kc->type == KEY_ED25519 ?
		    KEY_ECDSA : KEY_ED25519, 0, &wrongtype), 0);
		check_generated(kc, k);
		check_blob(kc, k, other);
		check_blob_negative(kc, k);
		check_text(kc, k, other);
		check_private(kc, k);
		check_private_mixed(kc, k, other);
		check_sign_verify(kc, k, other);
		check_sig_negative(kc, k, wrongtype);
		key_free(k);
		key_free(other);
		key_free(wrongtype);
	}
}
