/*
 * Key files written by OpenSSH's ssh-keygen (regress/vectors/keys/, see
 * generate.sh there) load with ours and match their .pub and
 * fingerprints; wrong passphrases are refused as such.
 */
#include "includes.h"

#include "buf.h"
#include "digest.h"
#include "errcode.h"
#include "key.h"
#include "keyfile.h"

#include "../test_helper/test_helper.h"
#include "common.h"

static const char *const suffixes[] = {
	".key", "-enc.key", ".pem", "-enc.pem", ".pkcs8", "-enc.pkcs8"
};

static void
check_fingerprints(const struct key *k, const char *type)
{
	char name[256], *want, *got;

	snprintf(name, sizeof(name), "%s.fp", type);
	want = kf_vector_fp(name);
	got = key_fingerprint(k, DIGEST_SHA256, KEY_FP_DEFAULT);
	ASSERT_STRING_EQ(got, want);
	free(want);
	free(got);
	snprintf(name, sizeof(name), "%s.fp-md5", type);
	want = kf_vector_fp(name);
	got = key_fingerprint(k, DIGEST_MD5, KEY_FP_DEFAULT);
	ASSERT_STRING_EQ(got, want);
	free(want);
	free(got);
}

/* One vector file: loads, is the key of <type>.pub, refuses bad pass. */
static void
check_file(const char *type, const char *suffix)
{
	char name[256], want_comment[256];
	struct buf *b;
	struct key *k = NULL, *pub;
	char *comment = NULL, *pubcomment = NULL;
	const char *pass;
	int is_v1 = strstr(suffix, ".key") != NULL;

	snprintf(name, sizeof(name), "%s%s", type, suffix);
	if (!kf_vector_exists(name))
		return;		/* no PEM form of Ed25519 */
	b = kf_vector(name);
	pass = kf_vector_pass(name);
	pub = kf_vector_pub(type, &pubcomment);
	ASSERT_INT_EQ(keyfile_is_encrypted(b), pass != NULL);

	ASSERT_INT_EQ(keyfile_parse_private(b, pass, &k, &comment), 0);
	ASSERT_INT_EQ(key_equal_public(k, pub), 1);
	ASSERT_INT_EQ(key_is_private(k), 1);
	kf_assert_signs(k, pub);
	check_fingerprints(k, type);
	if (is_v1) {
		snprintf(want_comment, sizeof(want_comment), "keel test %s",
		    type);
		ASSERT_STRING_EQ(comment, want_comment);
		ASSERT_STRING_EQ(pubcomment, want_comment);
	} else
		ASSERT_PTR_EQ(comment, NULL);
	key_free(k);
	free(comment);
	k = NULL;
	comment = NULL;

	if (pass != NULL) {
		/* Wrong, empty and missing passphrases. */
		ASSERT_INT_EQ(keyfile_parse_private(b, "wrong passphrase", &k,
		    &comment), ERR_KEY_WRONG_PASSPHRASE);
		ASSERT_PTR_EQ(k, NULL);
		ASSERT_PTR_EQ(comment, NULL);
		ASSERT_INT_EQ(keyfile_parse_private(b, "", &k, NULL),
		    ERR_KEY_WRONG_PASSPHRASE);
		ASSERT_INT_EQ(keyfile_parse_private(b, NULL, &k, NULL),
		    ERR_KEY_WRONG_PASSPHRASE);
		ASSERT_PTR_EQ(k, NULL);
	} else {
		/* A passphrase given for a clear key is ignored. */
		ASSERT_INT_EQ(keyfile_parse_private(b, "unused", &k, NULL), 0);
		ASSERT_INT_EQ(key_equal_public(k, pub), 1);
		key_free(k);
	}
	key_free(pub);
	free(pubcomment);
	buf_free(b);
}

static void
test_ssh_keygen_files(void)
{
	char tname[128];
	int t;
	size_t s;

	for (t = 0; t < kf_ntypes; t++) {
		for (s = 0; s < sizeof(suffixes) / sizeof(suffixes[0]); s++) {
			snprintf(tname, sizeof(tname), "ssh-keygen file %s%s",
			    kf_types[t], suffixes[s]);
			TEST_START(tname);
			check_file(kf_types[t], suffixes[s]);
			TEST_DONE();
		}
	}
}

static void
test_cipher_files(void)
{
	static const char *const ciphers[] = {
		"3des-cbc", "aes128-cbc", "aes192-cbc", "aes256-cbc",
		"aes128-ctr", "aes192-ctr", "aes256-ctr",
		"aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
		"chacha20-poly1305@openssh.com"
	};
	char name[256], tname[256];
	struct buf *b;
	struct key *k = NULL, *pub;
	char *comment = NULL;
	size_t i;

	pub = kf_vector_pub("ed25519", NULL);
	for (i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++) {
		snprintf(tname, sizeof(tname), "ssh-keygen file cipher %s",
		    ciphers[i]);
		TEST_START(tname);
		snprintf(name, sizeof(name), "ed25519-%s.key", ciphers[i]);
		b = kf_vector(name);
		ASSERT_INT_EQ(keyfile_is_encrypted(b), 1);
		ASSERT_INT_EQ(keyfile_parse_private(b, kf_vector_pass(name),
		    &k, &comment), 0);
		ASSERT_INT_EQ(key_equal_public(k, pub), 1);
		ASSERT_STRING_EQ(comment, "keel test ed25519");
		kf_assert_signs(k, pub);
		key_free(k);
		free(comment);
		k = NULL;
		comment = NULL;
		ASSERT_INT_EQ(keyfile_parse_private(b, "not it", &k, NULL),
		    ERR_KEY_WRONG_PASSPHRASE);
		ASSERT_PTR_EQ(k, NULL);
		buf_free(b);
		TEST_DONE();
	}
	key_free(pub);
}

/* All formats of one type hold the same key. */
static void
test_same_key_all_formats(void)
{
	char name[256];
	struct buf *b;
	struct key *first = NULL, *k = NULL;
	int t;
	size_t s;

	TEST_START("ssh-keygen files: every format holds the same key");
	for (t = 0; t < kf_ntypes; t++) {
		for (s = 0; s < sizeof(suffixes) / sizeof(suffixes[0]); s++) {
			snprintf(name, sizeof(name), "%s%s", kf_types[t],
			    suffixes[s]);
			if (!kf_vector_exists(name))
				continue;
			b = kf_vector(name);
			ASSERT_INT_EQ(keyfile_parse_private(b,
			    kf_vector_pass(name), &k, NULL), 0);
			if (first == NULL)
				first = k;
			else {
				kf_assert_same_key(first, k);
				key_free(k);
			}
			k = NULL;
			buf_free(b);
		}
		key_free(first);
		first = NULL;
	}
	TEST_DONE();
}

void
test_vectors(void)
{
	test_ssh_keygen_files();
	test_cipher_files();
	test_same_key_all_formats();
}
