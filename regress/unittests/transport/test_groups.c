/*
 * The RFC 3526 groups kept as data in kex-dh.c and contrib/moduli,
 * rebuilt from their definition
 *	p = 2^n - 2^(n-64) - 1 + 2^64 * (floor(2^(n-130) pi) + k)
 * with pi computed here by Machin's formula
 *	pi = 16 arctan(1/5) - 4 arctan(1/239)
 * in fixed point; the group exchange's choice of group; the algorithm
 * name lists.
 */
#include "includes.h"

#include <openssl/bn.h>

#include "buf.h"
#include "errcode.h"
#include "kex-impl.h"
#include "kex-names.h"
#include "key.h"

#include "../test_helper/test_helper.h"
#include "test_transport.h"

/* arctan(1/x) * 2^bits, truncated (alternating series). */
static BIGNUM *
arctan_inv(BN_ULONG x, int bits)
{
	BIGNUM *total, *term, *t;
	BN_ULONG n;
	int sign = -1;

	ASSERT_PTR_NE(total = BN_new(), NULL);
	ASSERT_PTR_NE(term = BN_new(), NULL);
	ASSERT_PTR_NE(t = BN_new(), NULL);
	ASSERT_INT_EQ(BN_one(term), 1);
	ASSERT_INT_EQ(BN_lshift(term, term, bits), 1);
	ASSERT_INT_NE(BN_div_word(term, x), (BN_ULONG)-1);
	ASSERT_PTR_NE(BN_copy(total, term), NULL);
	for (n = 1; !BN_is_zero(term); n++) {
		ASSERT_INT_NE(BN_div_word(term, x * x), (BN_ULONG)-1);
		ASSERT_PTR_NE(BN_copy(t, term), NULL);
		ASSERT_INT_NE(BN_div_word(t, 2 * n + 1), (BN_ULONG)-1);
		if (sign < 0)
			ASSERT_INT_EQ(BN_sub(total, total, t), 1);
		else
			ASSERT_INT_EQ(BN_add(total, total, t), 1);
		sign = -sign;
	}
	BN_free(term);
	BN_free(t);
	return total;
}

/* floor(pi * 2^bits), with 64 guard bits absorbing the truncations. */
static BIGNUM *
pi_scaled(int bits)
{
	BIGNUM *a, *b, *pi;

	a = arctan_inv(5, bits + 64);
	b = arctan_inv(239, bits + 64);
	ASSERT_PTR_NE(pi = BN_new(), NULL);
	ASSERT_INT_EQ(BN_lshift(a, a, 4), 1);		/* 16 * */
	ASSERT_INT_EQ(BN_lshift(b, b, 2), 1);		/* 4 * */
	ASSERT_INT_EQ(BN_sub(pi, a, b), 1);
	ASSERT_INT_EQ(BN_rshift(pi, pi, 64), 1);
	BN_free(a);
	BN_free(b);
	return pi;
}

static BIGNUM *
rfc3526_prime(int n, BN_ULONG k)
{
	BIGNUM *p, *t;

	t = pi_scaled(n - 130);
	ASSERT_INT_EQ(BN_add_word(t, k), 1);
	ASSERT_INT_EQ(BN_lshift(t, t, 64), 1);
	ASSERT_PTR_NE(p = BN_new(), NULL);
	ASSERT_INT_EQ(BN_set_bit(p, n), 1);		/* 2^n */
	ASSERT_INT_EQ(BN_add(p, p, t), 1);
	BN_zero(t);
	ASSERT_INT_EQ(BN_set_bit(t, n - 64), 1);
	ASSERT_INT_EQ(BN_sub(p, p, t), 1);		/* - 2^(n-64) */
	ASSERT_INT_EQ(BN_sub_word(p, 1), 1);		/* - 1 */
	BN_free(t);
	return p;
}

static const struct {
	int id, bits;
	BN_ULONG k;
} rfc3526[] = {
	{ KEX_DH_GROUP14, 2048, 124476 },
	{ KEX_DH_GROUP15, 3072, 1690314 },
	{ KEX_DH_GROUP16, 4096, 240904 },
	{ KEX_DH_GROUP17, 6144, 929484 },
	{ KEX_DH_GROUP18, 8192, 4743158 },
};
#define NRFC3526	(sizeof(rfc3526) / sizeof(rfc3526[0]))

/* The modulus of contrib/moduli's entry of that size, or NULL. */
static BIGNUM *
moduli_entry(int bits)
{
	FILE *f;
	char line[8192], *cp;
	BIGNUM *p = NULL;
	int n = 0, size;

	ASSERT_PTR_NE(f = fopen(test_data_file("../../contrib/moduli"), "r"),
	    NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#')
			continue;
		ASSERT_INT_EQ(sscanf(line, "%*s %*d %*d %*d %d", &size), 1);
		if (size != bits - 1)
			continue;
		ASSERT_PTR_NE(cp = strrchr(line, ' '), NULL);
		cp[strcspn(cp, "\n")] = '\0';
		ASSERT_INT_NE(BN_hex2bn(&p, cp + 1), 0);
		n++;
	}
	fclose(f);
	ASSERT_INT_LE(n, 1);
	return p;
}

static void
test_primes(void)
{
	BIGNUM *want, *have, *q;
	size_t i;
	char name[64];

	for (i = 0; i < NRFC3526; i++) {
		snprintf(name, sizeof(name), "RFC 3526 %d-bit group",
		    rfc3526[i].bits);
		TEST_START(name);
		want = rfc3526_prime(rfc3526[i].bits, rfc3526[i].k);
		ASSERT_INT_EQ(BN_num_bits(want), rfc3526[i].bits);
		ASSERT_INT_EQ(kex_dh_group_prime(rfc3526[i].id, &have), 0);
		ASSERT_INT_EQ(BN_cmp(want, have), 0);
		BN_free(have);
		ASSERT_PTR_NE(have = moduli_entry(rfc3526[i].bits), NULL);
		ASSERT_INT_EQ(BN_cmp(want, have), 0);
		BN_free(have);
		/* A safe prime: p and (p-1)/2 prime (one size: time). */
		if (rfc3526[i].bits == 2048 && !test_is_fast()) {
			ASSERT_INT_EQ(BN_check_prime(want, NULL, NULL), 1);
			ASSERT_PTR_NE(q = BN_dup(want), NULL);
			ASSERT_INT_EQ(BN_rshift1(q, q), 1);
			ASSERT_INT_EQ(BN_check_prime(q, NULL, NULL), 1);
			BN_free(q);
		}
		BN_free(want);
		TEST_DONE();
	}
	TEST_START("RFC 3526 group lookup");
	ASSERT_INT_EQ(kex_dh_group_prime(1, &have), ERR_INVALID_ARGUMENT);
	ASSERT_PTR_EQ(have, NULL);
	TEST_DONE();
}

static void
test_choice(void)
{
	BIGNUM *p, *g;
	const char *moduli = test_data_file("../../contrib/moduli");

	TEST_START("group exchange choice of group");
	/* Largest not above the wish, else the smallest above it. */
	ASSERT_INT_EQ(kex_dh_group_for_bits(2048, 3072, 8192), KEX_DH_GROUP15);
	ASSERT_INT_EQ(kex_dh_group_for_bits(2048, 7680, 8192), KEX_DH_GROUP17);
	ASSERT_INT_EQ(kex_dh_group_for_bits(2048, 8192, 8192), KEX_DH_GROUP18);
	ASSERT_INT_EQ(kex_dh_group_for_bits(2048, 1024, 8192), KEX_DH_GROUP14);
	ASSERT_INT_EQ(kex_dh_group_for_bits(4000, 4000, 5000), KEX_DH_GROUP16);
	ASSERT_INT_EQ(kex_dh_group_for_bits(1024, 1024, 1536), -1);
	ASSERT_INT_EQ(kex_gex_choose_moduli(moduli, 2048, 7680, 8192, &p, &g),
	    0);
	ASSERT_INT_EQ(BN_num_bits(p), 6144);
	ASSERT_INT_EQ(BN_is_word(g, 2), 1);
	BN_free(p);
	BN_free(g);
	ASSERT_INT_EQ(kex_gex_choose_moduli(moduli, 2048, 1000, 8192, &p, &g),
	    0);
	ASSERT_INT_EQ(BN_num_bits(p), 2048);
	BN_free(p);
	BN_free(g);
	ASSERT_INT_EQ(kex_gex_choose_moduli(moduli, 9000, 9000, 9999, &p, &g),
	    ERR_NOT_FOUND);
	ASSERT_INT_EQ(kex_gex_choose_moduli("/nonexistent/moduli", 2048,
	    2048, 8192, &p, &g), ERR_ERRNO);
	/* The system's file, where there is one, parses too. */
	if (access("/etc/ssh/moduli", R_OK) == 0) {
		ASSERT_INT_EQ(kex_gex_choose_moduli("/etc/ssh/moduli", 2048,
		    3072, 8192, &p, &g), 0);
		ASSERT_INT_EQ(BN_num_bits(p), 3072);
		BN_free(p);
		BN_free(g);
	}
	TEST_DONE();
}

/* sshd's chrooted child picks from the file's text the monitor read. */
static void
test_choice_text(void)
{
	BIGNUM *p, *g, *p2, *g2;
	struct buf *b = NULL;
	char *text;
	const char *moduli = test_data_file("../../contrib/moduli");

	TEST_START("group exchange choice from moduli text");
	ASSERT_INT_EQ(buf_load_file(moduli, &b), 0);
	ASSERT_PTR_NE(text = buf_dup_string(b), NULL);
	ASSERT_INT_EQ(kex_gex_choose_moduli_text(text, 2048, 7680, 8192,
	    &p, &g), 0);
	ASSERT_INT_EQ(kex_gex_choose_moduli(moduli, 2048, 7680, 8192,
	    &p2, &g2), 0);
	ASSERT_INT_EQ(BN_num_bits(p), BN_num_bits(p2));
	ASSERT_INT_EQ(BN_cmp(g, g2), 0);
	BN_free(p);
	BN_free(g);
	BN_free(p2);
	BN_free(g2);
	ASSERT_INT_EQ(kex_gex_choose_moduli_text(text, 9000, 9000, 9999,
	    &p, &g), ERR_NOT_FOUND);
	ASSERT_PTR_EQ(p, NULL);
	ASSERT_INT_EQ(kex_gex_choose_moduli_text("", 2048, 2048, 8192,
	    &p, &g), ERR_NOT_FOUND);
	ASSERT_INT_EQ(kex_gex_choose_moduli_text("# only a comment\n",
	    2048, 2048, 8192, &p, &g), ERR_NOT_FOUND);
	ASSERT_INT_EQ(kex_gex_choose_moduli_text(NULL, 2048, 2048, 8192,
	    &p, &g), ERR_NOT_FOUND);
	free(text);
	buf_free(b);
	TEST_DONE();
}

void
test_dh_groups(void)
{
	test_primes();
	test_choice();
	test_choice_text();
}

/* ------------------------------------------------------------ names */

void
test_names(void)
{
	char *s;
	int type, nid;

	TEST_START("names lists");
	ASSERT_PTR_NE(s = kex_names_list(KEX_NAMES_KEX, '\n'), NULL);
	ASSERT_STRING_EQ(s, "diffie-hellman-group14-sha256\n"
	    "diffie-hellman-group16-sha512\n"
	    "diffie-hellman-group18-sha512\n"
	    "diffie-hellman-group-exchange-sha256\n"
	    "ecdh-sha2-nistp256\n"
	    "ecdh-sha2-nistp384\n"
	    "ecdh-sha2-nistp521\n"
	    "curve25519-sha256\n"
	    "curve25519-sha256@libssh.org");
	free(s);
	ASSERT_PTR_NE(s = kex_names_list(KEX_NAMES_CIPHER_AUTH, ','), NULL);
	ASSERT_STRING_EQ(s, "aes128-gcm@openssh.com,aes256-gcm@openssh.com,"
	    "chacha20-poly1305@openssh.com");
	free(s);
	ASSERT_PTR_NE(s = kex_names_list(KEX_NAMES_COMPRESSION, ','), NULL);
	ASSERT_STRING_EQ(s, "none,zlib@openssh.com,zlib");
	free(s);
	ASSERT_PTR_NE(s = kex_names_list(KEX_NAMES_HOSTKEY, ','), NULL);
	ASSERT_INT_EQ(kex_names_list_valid(KEX_NAMES_HOSTKEY, s), 1);
	free(s);
	TEST_DONE();

	TEST_START("names defaults are valid");
	ASSERT_INT_EQ(kex_names_list_valid(KEX_NAMES_KEX, KEX_DEFAULT_KEX), 1);
	ASSERT_INT_EQ(kex_names_list_valid(KEX_NAMES_HOSTKEY,
	    KEX_DEFAULT_HOSTKEY), 1);
	ASSERT_INT_EQ(kex_names_list_valid(KEX_NAMES_CIPHER,
	    KEX_DEFAULT_CIPHERS), 1);
	ASSERT_INT_EQ(kex_names_list_valid(KEX_NAMES_MAC, KEX_DEFAULT_MACS), 1);
	ASSERT_INT_EQ(kex_names_list_valid(KEX_NAMES_COMPRESSION,
	    KEX_DEFAULT_COMP_SERVER), 1);
	ASSERT_INT_EQ(kex_names_list_valid(KEX_NAMES_COMPRESSION,
	    KEX_DEFAULT_COMP_CLIENT_ON), 1);
	ASSERT_INT_EQ(kex_names_list_valid(KEX_NAMES_HOSTKEY,
	    KEX_DEFAULT_SIG_ALGS), 1);
	/* Not: unknown, empty entries, the internal cipher "none". */
	ASSERT_INT_EQ(kex_names_list_valid(KEX_NAMES_KEX,
	    "diffie-hellman-group1-sha1"), 0);
	ASSERT_INT_EQ(kex_names_list_valid(KEX_NAMES_KEX,
	    "curve25519-sha256,"), 0);
	ASSERT_INT_EQ(kex_names_list_valid(KEX_NAMES_KEX, ""), 0);
	ASSERT_INT_EQ(kex_names_list_valid(KEX_NAMES_CIPHER, "none"), 0);
	ASSERT_INT_EQ(kex_names_list_valid(KEX_NAMES_KEX, KEX_STRICT_C), 0);
	TEST_DONE();

	TEST_START("names assemble config values");
	ASSERT_INT_EQ(kex_names_assemble(KEX_NAMES_KEX, NULL,
	    "-*nistp*,diffie-hellman-*", &s), 0);
	ASSERT_STRING_EQ(s, "curve25519-sha256,curve25519-sha256@libssh.org");
	free(s);
	ASSERT_INT_EQ(kex_names_assemble(KEX_NAMES_CIPHER, NULL,
	    "^aes256-ctr", &s), 0);
	ASSERT_INT_EQ(strncmp(s, "aes256-ctr,chacha20", 19), 0);
	free(s);
	ASSERT_INT_EQ(kex_names_assemble(KEX_NAMES_HOSTKEY, NULL, "+ssh-rsa",
	    &s), 0);
	ASSERT_STRING_EQ(s, KEX_DEFAULT_HOSTKEY ",ssh-rsa");
	free(s);
	ASSERT_INT_EQ(kex_names_assemble(KEX_NAMES_MAC, NULL, "hmac-md5",
	    &s), ERR_INVALID_ARGUMENT);
	TEST_DONE();

	TEST_START("names host key algorithm types");
	ASSERT_INT_EQ(kex_names_hostkey_type("rsa-sha2-512", &type, &nid), 0);
	ASSERT_INT_EQ(type, KEY_RSA);
	ASSERT_INT_EQ(kex_names_hostkey_type("ecdsa-sha2-nistp384", &type,
	    &nid), 0);
	ASSERT_INT_EQ(type, KEY_ECDSA);
	ASSERT_INT_EQ(nid, key_ecdsa_nid_from_bits(384));
	ASSERT_INT_EQ(kex_names_hostkey_type("ssh-dss", &type, &nid),
	    ERR_KEY_TYPE_UNKNOWN);
	ASSERT_INT_EQ(kex_names_kex_hash("ecdh-sha2-nistp521"), 4);
	ASSERT_INT_EQ(kex_names_kex_hash("nope"), -1);
	TEST_DONE();
}
