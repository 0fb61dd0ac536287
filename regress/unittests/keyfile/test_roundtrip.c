/*
 * Round trips: every format x key type x with/without passphrase, every
 * cipher; the files we write are read by OpenSSH's ssh-keygen.
 */
#include "includes.h"

#include <sys/wait.h>

#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "keyfile.h"

#include "../test_helper/test_helper.h"
#include "common.h"

#define OSSH_KEYGEN	"/usr/bin/ssh-keygen"

static const char *const cipher_names[] = {
	"3des-cbc", "aes128-cbc", "aes192-cbc", "aes256-cbc",
	"aes128-ctr", "aes192-ctr", "aes256-ctr",
	"aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
	"chacha20-poly1305@openssh.com"
};
#define NCIPHERS (sizeof(cipher_names) / sizeof(cipher_names[0]))

static const char *
format_name(enum keyfile_format f)
{
	switch (f) {
	case KEYFILE_FORMAT_OPENSSH:
		return "openssh";
	case KEYFILE_FORMAT_PEM:
		return "pem";
	case KEYFILE_FORMAT_PKCS8:
		return "pkcs8";
	}
	return "?";
}

/* The armor line a file of format f for key k starts with. */
static const char *
expected_begin(const struct key *k, enum keyfile_format f, int enc)
{
	if (f == KEYFILE_FORMAT_OPENSSH)
		return "-----BEGIN OPENSSH PRIVATE KEY-----\n";
	if (f == KEYFILE_FORMAT_PEM && key_type(k) == KEY_RSA)
		return "-----BEGIN RSA PRIVATE KEY-----\n";
	if (f == KEYFILE_FORMAT_PEM && key_type(k) == KEY_ECDSA)
		return "-----BEGIN EC PRIVATE KEY-----\n";
	return enc ? "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" :
	    "-----BEGIN PRIVATE KEY-----\n";
}

static void
roundtrip_one(const struct key *k, enum keyfile_format f, const char *pass,
    const char *cipher, int rounds)
{
	struct buf *b = buf_new();
	struct key *k2 = NULL;
	char *comment = NULL;
	const char *begin = expected_begin(k, f, pass != NULL);

	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(keyfile_format_private(k, b, pass, "a comment", f,
	    cipher, rounds), 0);
	ASSERT_SIZE_T_GT(buf_len(b), strlen(begin));
	ASSERT_MEM_EQ(buf_ptr(b), begin, strlen(begin));
	ASSERT_INT_EQ(keyfile_is_encrypted(b), pass != NULL);
	ASSERT_INT_EQ(keyfile_parse_private(b, pass, &k2, &comment), 0);
	kf_assert_same_key(k, k2);
	kf_assert_signs(k2, k);
	if (f == KEYFILE_FORMAT_OPENSSH)
		ASSERT_STRING_EQ(comment, "a comment");
	else
		ASSERT_PTR_EQ(comment, NULL);
	key_free(k2);
	free(comment);
	k2 = NULL;
	if (pass != NULL) {
		ASSERT_INT_EQ(keyfile_parse_private(b, "wrong", &k2, NULL),
		    ERR_KEY_WRONG_PASSPHRASE);
		ASSERT_INT_EQ(keyfile_parse_private(b, NULL, &k2, NULL),
		    ERR_KEY_WRONG_PASSPHRASE);
		ASSERT_PTR_EQ(k2, NULL);
	}
	buf_free(b);
}

static void
test_formats(struct key **keys)
{
	static const enum keyfile_format formats[] = {
		KEYFILE_FORMAT_OPENSSH, KEYFILE_FORMAT_PEM, KEYFILE_FORMAT_PKCS8
	};
	char name[256];
	size_t f;
	int t, enc;

	for (t = 0; t < kf_ntypes; t++) {
		for (f = 0; f < 3; f++) {
			for (enc = 0; enc < 2; enc++) {
				snprintf(name, sizeof(name),
				    "round trip %s %s %s", kf_types[t],
				    format_name(formats[f]),
				    enc ? "encrypted" : "clear");
				TEST_START(name);
				/* Few KDF rounds: the cost is not the point. */
				roundtrip_one(keys[t], formats[f],
				    enc ? TEST_PASS : NULL, NULL, 2);
				TEST_DONE();
			}
		}
	}
}

static void
test_ciphers(const struct key *k)
{
	char name[256];
	size_t i;

	for (i = 0; i < NCIPHERS; i++) {
		snprintf(name, sizeof(name), "round trip cipher %s",
		    cipher_names[i]);
		TEST_START(name);
		roundtrip_one(k, KEYFILE_FORMAT_OPENSSH, TEST_PASS,
		    cipher_names[i], 1);
		TEST_DONE();
	}
}

/* The default is aes256-ctr and bcrypt with 16 rounds. */
static void
test_defaults(const struct key *k)
{
	struct buf *b = buf_new(), *raw;
	u_char magic[15];
	char *s = NULL;
	const u_char *salt;
	size_t saltlen;
	struct buf *opts = NULL;
	uint32_t rounds;

	TEST_START("openssh-key-v1 defaults: aes256-ctr, bcrypt, 16 rounds");
	ASSERT_INT_EQ(keyfile_format_private(k, b, TEST_PASS, NULL,
	    KEYFILE_FORMAT_OPENSSH, NULL, 0), 0);
	raw = kf_unarmor(b);
	ASSERT_INT_EQ(buf_get(raw, magic, sizeof(magic)), 0);
	ASSERT_MEM_EQ(magic, "openssh-key-v1", sizeof(magic));
	ASSERT_INT_EQ(buf_get_cstring(raw, &s, NULL), 0);
	ASSERT_STRING_EQ(s, KEYFILE_DEFAULT_CIPHER);
	free(s);
	ASSERT_INT_EQ(buf_get_cstring(raw, &s, NULL), 0);
	ASSERT_STRING_EQ(s, "bcrypt");
	free(s);
	ASSERT_INT_EQ(buf_froms(raw, &opts), 0);
	ASSERT_INT_EQ(buf_get_string_direct(opts, &salt, &saltlen), 0);
	ASSERT_SIZE_T_EQ(saltlen, 16);
	ASSERT_INT_EQ(buf_get_u32(opts, &rounds), 0);
	ASSERT_U32_EQ(rounds, KEYFILE_DEFAULT_ROUNDS);
	buf_free(opts);
	buf_free(raw);
	/* Armor lines of 70 columns, as OpenSSH writes them. */
	s = buf_dup_string(b);
	ASSERT_PTR_NE(s, NULL);
	ASSERT_SIZE_T_EQ(strcspn(s + 36, "\n"), 70);
	free(s);
	buf_free(b);
	TEST_DONE();

	TEST_START("openssh-key-v1 unencrypted: none, none");
	b = buf_new();
	ASSERT_INT_EQ(keyfile_format_private(k, b, "", NULL,
	    KEYFILE_FORMAT_OPENSSH, "aes128-ctr", 0), 0);
	raw = kf_unarmor(b);
	ASSERT_INT_EQ(buf_get(raw, magic, sizeof(magic)), 0);
	ASSERT_INT_EQ(buf_get_cstring(raw, &s, NULL), 0);
	ASSERT_STRING_EQ(s, "none");
	free(s);
	ASSERT_INT_EQ(buf_get_cstring(raw, &s, NULL), 0);
	ASSERT_STRING_EQ(s, "none");
	free(s);
	ASSERT_INT_EQ(keyfile_is_encrypted(b), 0);
	buf_free(raw);
	buf_free(b);
	TEST_DONE();
}

static void
test_bad_arguments(const struct key *k)
{
	struct buf *b = buf_new();
	struct key *pub = NULL;

	TEST_START("keyfile_format_private refuses bad arguments");
	ASSERT_INT_EQ(key_demote(k, &pub), 0);
	ASSERT_INT_EQ(keyfile_format_private(pub, b, NULL, NULL,
	    KEYFILE_FORMAT_OPENSSH, NULL, 0), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(keyfile_format_private(pub, b, NULL, NULL,
	    KEYFILE_FORMAT_PEM, NULL, 0), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(keyfile_format_private(k, b, TEST_PASS, NULL,
	    KEYFILE_FORMAT_OPENSSH, "rot13-cbc", 0), ERR_KEY_UNKNOWN_CIPHER);
	ASSERT_INT_EQ(keyfile_format_private(k, b, TEST_PASS, NULL,
	    KEYFILE_FORMAT_OPENSSH, "none", 0), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(keyfile_format_private(k, b, TEST_PASS, NULL,
	    KEYFILE_FORMAT_OPENSSH, NULL, -1), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(keyfile_format_private(k, b, NULL, NULL,
	    (enum keyfile_format)7, NULL, 0), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(keyfile_format_private(NULL, b, NULL, NULL,
	    KEYFILE_FORMAT_OPENSSH, NULL, 0), ERR_INVALID_ARGUMENT);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	key_free(pub);
	buf_free(b);
	TEST_DONE();
}

/* Run OpenSSH's ssh-keygen -y on path; 0 and its output on success. */
static int
ossh_public(const char *dir, const char *path, const char *pass,
    char *out, size_t outlen)
{
	char cmd[8192];
	const char *outpath = kf_path(dir, "ossh.out");
	struct buf *b = NULL;
	char *s;
	int st;

	snprintf(cmd, sizeof(cmd), "%s -y -P '%s' -f '%s' >'%s' 2>/dev/null",
	    OSSH_KEYGEN, pass != NULL ? pass : "", path, outpath);
	st = system(cmd);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	ASSERT_INT_EQ(buf_load_file(outpath, &b), 0);
	s = buf_dup_string(b);
	ASSERT_PTR_NE(s, NULL);
	s[strcspn(s, "\n")] = '\0';
	strlcpy(out, s, outlen);
	free(s);
	buf_free(b);
	return 0;
}

static void
interop_one(const char *dir, const struct key *k, enum keyfile_format f,
    const char *pass, const char *cipher)
{
	char path[4096], got[16384], *want = NULL;

	strlcpy(path, kf_path(dir, "id_test"), sizeof(path));

	ASSERT_INT_EQ(keyfile_save_private(path, k, pass, "interop", f,
	    cipher, 2), 0);
	ASSERT_INT_EQ(key_format_public(k, &want), 0);
	if (ossh_public(dir, path, pass, got, sizeof(got)) != 0)
		assert_failed(__FILE__, __LINE__, "%s cannot read our %s file",
		    OSSH_KEYGEN, format_name(f));
	ASSERT_INT_EQ(strncmp(got, want, strlen(want)), 0);
	free(want);
}

static void
test_openssh_reads_ours(struct key **keys, const struct key *ed)
{
	static const enum keyfile_format formats[] = {
		KEYFILE_FORMAT_OPENSSH, KEYFILE_FORMAT_PEM, KEYFILE_FORMAT_PKCS8
	};
	const char *dir;
	char name[256];
	size_t f, i;
	int t, enc;

	if (access(OSSH_KEYGEN, X_OK) != 0) {
		fprintf(stderr, "NOTE: %s not found: interop tests skipped\n",
		    OSSH_KEYGEN);
		return;
	}
	dir = kf_tmpdir();
	for (t = 0; t < kf_ntypes; t++) {
		for (f = 0; f < 3; f++) {
			/* OpenSSH 9.2 reads no PKCS#8 Ed25519 keys. */
			if (formats[f] != KEYFILE_FORMAT_OPENSSH &&
			    key_type(keys[t]) == KEY_ED25519)
				continue;
			for (enc = 0; enc < 2; enc++) {
				snprintf(name, sizeof(name),
				    "ssh-keygen reads our %s %s %s",
				    kf_types[t], format_name(formats[f]),
				    enc ? "encrypted" : "clear");
				TEST_START(name);
				interop_one(dir, keys[t], formats[f],
				    enc ? TEST_PASS : NULL, NULL);
				TEST_DONE();
			}
		}
	}
	for (i = 0; i < NCIPHERS; i++) {
		snprintf(name, sizeof(name), "ssh-keygen reads our cipher %s",
		    cipher_names[i]);
		TEST_START(name);
		interop_one(dir, ed, KEYFILE_FORMAT_OPENSSH, TEST_PASS,
		    cipher_names[i]);
		TEST_DONE();
	}
	kf_rmtree(dir);
}

void
test_roundtrip(void)
{
	struct key *keys[8];
	int t;

	ASSERT_INT_LE(kf_ntypes, 8);
	for (t = 0; t < kf_ntypes; t++)
		keys[t] = kf_generate(kf_types[t]);
	test_formats(keys);
	test_ciphers(keys[0]);
	test_defaults(keys[0]);
	test_bad_arguments(keys[0]);
	test_openssh_reads_ours(keys, keys[0]);
	for (t = 0; t < kf_ntypes; t++)
		key_free(keys[t]);
}
