/*
 * Unit tests for blowfish.c and bcrypt_pbkdf.c: published known answers
 * (regress/vectors/blowfish-ecb.txt, regress/vectors/bcrypt_pbkdf.txt)
 * and argument checks.
 */
#include "includes.h"

#include "errcode.h"
#include "blowfish.h"
#include "bcrypt_pbkdf.h"

#include "../test_helper/test_helper.h"

#define MAX_FIELD	2048

/* Decode the hex string s into out (at most max bytes); length or -1. */
static long
unhex(const char *s, u_char *out, size_t max)
{
	size_t n = strlen(s), i;
	unsigned int v;

	if (n % 2 != 0 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (u_char)v;
	}
	return (long)(n / 2);
}

/* Split line into at most max white-space separated fields. */
static int
split(char *line, char **fields, int max)
{
	int n = 0;
	char *cp, *save = NULL;

	for (cp = strtok_r(line, " \t\r\n", &save); cp != NULL && n < max;
	    cp = strtok_r(NULL, " \t\r\n", &save))
		fields[n++] = cp;
	return n;
}

static FILE *
open_vectors(const char *name)
{
	FILE *f = fopen(test_data_file(name), "r");

	if (f == NULL)
		assert_failed(__FILE__, __LINE__, "cannot open %s",
		    test_data_file(name));
	return f;
}

static void
check_ecb(char **fld)
{
	struct blowfish_state st;
	u_char key[64], pt[8], ct[8], out[8];
	long klen;

	klen = unhex(fld[1], key, sizeof(key));
	ASSERT_INT_GT(klen, 0);
	ASSERT_INT_EQ(unhex(fld[2], pt, sizeof(pt)), 8);
	ASSERT_INT_EQ(unhex(fld[3], ct, sizeof(ct)), 8);
	blowfish_set_key(&st, key, (size_t)klen);
	blowfish_ecb_encrypt(&st, pt, out);
	ASSERT_MEM_EQ(out, ct, 8);
	blowfish_ecb_decrypt(&st, ct, out);
	ASSERT_MEM_EQ(out, pt, 8);
}

static void
check_cbc(char **fld)
{
	struct blowfish_state st;
	u_char key[64], iv[8], pt[64], ct[64], out[64];
	long klen, plen, clen;
	size_t i, j;

	klen = unhex(fld[1], key, sizeof(key));
	ASSERT_INT_GT(klen, 0);
	ASSERT_INT_EQ(unhex(fld[2], iv, sizeof(iv)), 8);
	memset(pt, 0, sizeof(pt));
	plen = unhex(fld[3], pt, sizeof(pt));
	clen = unhex(fld[4], ct, sizeof(ct));
	ASSERT_INT_GT(plen, 0);
	ASSERT_INT_EQ(clen, (plen + 7) / 8 * 8);
	blowfish_set_key(&st, key, (size_t)klen);
	for (i = 0; i < (size_t)clen; i += 8) {
		for (j = 0; j < 8; j++)
			pt[i + j] ^= i == 0 ? iv[j] : out[i - 8 + j];
		blowfish_ecb_encrypt(&st, pt + i, out + i);
	}
	ASSERT_MEM_EQ(out, ct, (size_t)clen);
}

static void
test_blowfish_vectors(void)
{
	FILE *f;
	char line[4096], *fld[8];
	int n, necb = 0, ncbc = 0;

	TEST_START("blowfish known answers (Eric Young's set)");
	f = open_vectors("blowfish-ecb.txt");
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		n = split(line, fld, 8);
		if (n == 4 && strcmp(fld[0], "ecb") == 0) {
			check_ecb(fld);
			necb++;
		} else if (n == 5 && strcmp(fld[0], "cbc") == 0) {
			check_cbc(fld);
			ncbc++;
		} else
			assert_failed(__FILE__, __LINE__, "bad line %s", line);
	}
	fclose(f);
	ASSERT_INT_EQ(necb, 58);
	ASSERT_INT_EQ(ncbc, 1);
	TEST_DONE();
}

static void
test_blowfish_misc(void)
{
	struct blowfish_state a, b;
	uint32_t l = 0x01234567, r = 0x89abcdef;
	const u_char salt[] = "some salt", key[] = "key";

	TEST_START("blowfish initial state is pi");
	blowfish_init(&a);
	ASSERT_U32_EQ(a.p[0], 0x243f6a88);
	ASSERT_U32_EQ(a.p[17], 0x8979fb1b);
	ASSERT_U32_EQ(a.s[0][0], 0xd1310ba6);
	ASSERT_U32_EQ(a.s[3][255], 0x3ac372e6);
	TEST_DONE();

	TEST_START("blowfish decipher inverts encipher");
	blowfish_set_key(&a, key, sizeof(key) - 1);
	blowfish_encipher(&a, &l, &r);
	ASSERT_FALSE(l == 0x01234567 && r == 0x89abcdef);
	blowfish_decipher(&a, &l, &r);
	ASSERT_U32_EQ(l, 0x01234567);
	ASSERT_U32_EQ(r, 0x89abcdef);
	TEST_DONE();

	TEST_START("blowfish salted expansion depends on the salt");
	blowfish_init(&a);
	blowfish_init(&b);
	blowfish_expand_key_salt(&a, salt, sizeof(salt) - 1, key,
	    sizeof(key) - 1);
	blowfish_expand_key(&b, key, sizeof(key) - 1);
	ASSERT_MEM_NE(&a, &b, sizeof(a));
	/* An all-zero salt is the unsalted schedule. */
	blowfish_init(&a);
	blowfish_expand_key_salt(&a, NULL, 0, key, sizeof(key) - 1);
	ASSERT_MEM_EQ(&a, &b, sizeof(a));
	TEST_DONE();
}

static void
test_pbkdf_vectors(void)
{
	FILE *f;
	char line[4096], *fld[8];
	static u_char pass[MAX_FIELD], salt[MAX_FIELD], want[MAX_FIELD],
	    got[MAX_FIELD];
	long plen, slen, klen;
	const char *errstr = NULL;
	unsigned int rounds;
	int n, nvec = 0;

	TEST_START("bcrypt_pbkdf known answers");
	f = open_vectors("bcrypt_pbkdf.txt");
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		n = split(line, fld, 8);
		ASSERT_INT_EQ(n, 4);
		rounds = (unsigned int)strtonum(fld[0], 1, 1000, &errstr);
		ASSERT_TRUE(errstr == NULL);
		plen = unhex(fld[1], pass, sizeof(pass));
		slen = unhex(fld[2], salt, sizeof(salt));
		klen = unhex(fld[3], want, sizeof(want));
		ASSERT_INT_GT(plen, 0);
		ASSERT_INT_GT(slen, 0);
		ASSERT_INT_GT(klen, 0);
		memset(got, 0xaa, sizeof(got));
		ASSERT_INT_EQ(bcrypt_pbkdf((const char *)pass, (size_t)plen,
		    salt, (size_t)slen, got, (size_t)klen, rounds), 0);
		ASSERT_MEM_EQ(got, want, (size_t)klen);
		/* Nothing written past the key. */
		ASSERT_U8_EQ(got[klen], 0xaa);
		nvec++;
	}
	fclose(f);
	ASSERT_INT_EQ(nvec, 12);
	TEST_DONE();
}

static void
test_pbkdf_args(void)
{
	u_char key[BCRYPT_PBKDF_MAX_KEY + 1], salt[16] = { 1, 2, 3 };

	TEST_START("bcrypt_pbkdf refuses bad arguments");
	ASSERT_INT_EQ(bcrypt_pbkdf("pw", 2, salt, 16, key, 32, 0),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(bcrypt_pbkdf("pw", 0, salt, 16, key, 32, 1),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(bcrypt_pbkdf("pw", 2, salt, 0, key, 32, 1),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(bcrypt_pbkdf("pw", 2, salt, 16, key, 0, 1),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(bcrypt_pbkdf("pw", 2, salt, 16, key,
	    BCRYPT_PBKDF_MAX_KEY + 1, 1), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(bcrypt_pbkdf("pw", 2, salt, BCRYPT_PBKDF_MAX_SALT + 1,
	    key, 32, 1), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(bcrypt_pbkdf(NULL, 2, salt, 16, key, 32, 1),
	    ERR_INVALID_ARGUMENT);
	TEST_DONE();

	TEST_START("bcrypt_pbkdf key prefix property");
	{
		/* Bytes are interleaved: a shorter key is not a prefix. */
		u_char k48[48], k32[32];

		ASSERT_INT_EQ(bcrypt_pbkdf("pw", 2, salt, 16, k48, 48, 1), 0);
		ASSERT_INT_EQ(bcrypt_pbkdf("pw", 2, salt, 16, k32, 32, 1), 0);
		ASSERT_MEM_NE(k48, k32, 32);
		/* But the same length is deterministic. */
		ASSERT_INT_EQ(bcrypt_pbkdf("pw", 2, salt, 16, key, 48, 1), 0);
		ASSERT_MEM_EQ(key, k48, 48);
	}
	TEST_DONE();
}

void
tests(void)
{
	test_blowfish_vectors();
	test_blowfish_misc();
	test_pbkdf_vectors();
	test_pbkdf_args();
}
