/*
 * Unit tests for cipher.c, cipher-chachapoly.c and cipher-aesgcm.c: the
 * algorithm table, argument checks, known answers (regress/vectors/), the
 * negative cases of the AEAD ciphers and a round-trip property test.
 */
#include "includes.h"

#include "cipher.h"
#include "errcode.h"

#include "../test_helper/test_helper.h"
#include "test_cipher.h"

static const struct {
	const char *name;
	size_t key_len, iv_len, block_size, tag_len;
	int aead, sealed_length;
} expect[] = {
	{ "chacha20-poly1305@openssh.com", 64, 0, 8, 16, 1, 1 },
	{ "aes128-gcm@openssh.com", 16, 12, 16, 16, 1, 0 },
	{ "aes256-gcm@openssh.com", 32, 12, 16, 16, 1, 0 },
	{ "aes128-ctr", 16, 16, 16, 0, 0, 0 },
	{ "aes192-ctr", 24, 16, 16, 0, 0, 0 },
	{ "aes256-ctr", 32, 16, 16, 0, 0, 0 },
	{ "none", 0, 0, 8, 0, 0, 0 },
};

void
test_cipher_table(void)
{
	const struct cipher *c;
	char *list;
	size_t i;

	TEST_START("cipher table");
	for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		c = cipher_by_name(expect[i].name);
		ASSERT_PTR_NE(c, NULL);
		ASSERT_STRING_EQ(cipher_name(c), expect[i].name);
		ASSERT_SIZE_T_EQ(cipher_key_len(c), expect[i].key_len);
		ASSERT_SIZE_T_EQ(cipher_iv_len(c), expect[i].iv_len);
		ASSERT_SIZE_T_EQ(cipher_block_size(c), expect[i].block_size);
		ASSERT_SIZE_T_EQ(cipher_tag_len(c), expect[i].tag_len);
		ASSERT_INT_EQ(cipher_is_aead(c), expect[i].aead);
		ASSERT_INT_EQ(cipher_has_sealed_length(c),
		    expect[i].sealed_length);
	}
	ASSERT_PTR_EQ(cipher_by_name("aes128-cbc"), NULL);
	ASSERT_PTR_EQ(cipher_by_name("AES128-CTR"), NULL);
	ASSERT_PTR_EQ(cipher_by_name(""), NULL);
	ASSERT_PTR_EQ(cipher_by_name(NULL), NULL);
	ASSERT_PTR_EQ(cipher_name(NULL), NULL);
	ASSERT_SIZE_T_EQ(cipher_key_len(NULL), 0);
	ASSERT_INT_EQ(cipher_is_aead(NULL), 0);
	TEST_DONE();

	TEST_START("cipher lists");
	ASSERT_INT_EQ(cipher_list_is_valid("aes128-ctr"), 1);
	ASSERT_INT_EQ(cipher_list_is_valid("chacha20-poly1305@openssh.com,"
	    "aes256-gcm@openssh.com,aes192-ctr"), 1);
	ASSERT_INT_EQ(cipher_list_is_valid("none"), 0);
	ASSERT_INT_EQ(cipher_list_is_valid("aes128-ctr,none"), 0);
	ASSERT_INT_EQ(cipher_list_is_valid("aes128-ctr,"), 0);
	ASSERT_INT_EQ(cipher_list_is_valid(",aes128-ctr"), 0);
	ASSERT_INT_EQ(cipher_list_is_valid("aes128-ctr,,aes256-ctr"), 0);
	ASSERT_INT_EQ(cipher_list_is_valid("aes128-ctr,3des-cbc"), 0);
	ASSERT_INT_EQ(cipher_list_is_valid(""), 0);
	ASSERT_INT_EQ(cipher_list_is_valid(NULL), 0);
	list = cipher_alg_list(',');
	ASSERT_STRING_EQ(list, "aes128-ctr,aes192-ctr,aes256-ctr,"
	    "aes128-gcm@openssh.com,aes256-gcm@openssh.com,"
	    "chacha20-poly1305@openssh.com");
	ASSERT_INT_EQ(cipher_list_is_valid(list), 1);
	free(list);
	list = cipher_alg_list('\n');
	ASSERT_PTR_NE(strstr(list, "aes256-ctr\naes128-gcm"), NULL);
	free(list);
	TEST_DONE();
}

static void
init_args(void)
{
	const struct cipher *ctr = cipher_by_name("aes128-ctr");
	const struct cipher *gcm = cipher_by_name("aes128-gcm@openssh.com");
	const struct cipher *cp = cipher_by_name(
	    "chacha20-poly1305@openssh.com");
	struct cipher_ctx *cc;
	u_char key[64] = { 1 }, iv[16] = { 2 }, junk[16];

	TEST_START("cipher_init arguments");
	/* Any non-NULL value: a failing cipher_init must clear it. */
	cc = (struct cipher_ctx *)junk;
	ASSERT_INT_EQ(cipher_init(NULL, ctr, key, 16, iv, 16, 1),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_init(&cc, NULL, key, 16, iv, 16, 1),
	    ERR_INVALID_ARGUMENT);
	ASSERT_PTR_EQ(cc, NULL);
	ASSERT_INT_EQ(cipher_init(&cc, ctr, key, 15, iv, 16, 1),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_init(&cc, ctr, key, 32, iv, 16, 1),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_init(&cc, ctr, key, 16, iv, 12, 1),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_init(&cc, ctr, key, 16, NULL, 16, 1),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_init(&cc, ctr, NULL, 16, iv, 16, 1),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_init(&cc, ctr, key, 16, iv, 16, 2),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_init(&cc, gcm, key, 16, iv, 16, 1),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_init(&cc, cp, key, 32, NULL, 0, 1),
	    ERR_INVALID_ARGUMENT);
	cc = (struct cipher_ctx *)junk;
	ASSERT_INT_EQ(cipher_init(&cc, cp, key, 64, iv, 12, 1),
	    ERR_INVALID_ARGUMENT);
	ASSERT_PTR_EQ(cc, NULL);
	TEST_DONE();
}

static void
crypt_args(void)
{
	const struct cipher *ctr = cipher_by_name("aes128-ctr");
	const struct cipher *cp = cipher_by_name(
	    "chacha20-poly1305@openssh.com");
	struct cipher_ctx *cc = NULL;
	u_char key[64] = { 1 }, iv[16] = { 2 }, lenf[4], body[64], tag[16];

	TEST_START("cipher_crypt arguments");
	memset(body, 0, sizeof(body));
	memset(lenf, 0, sizeof(lenf));
	ASSERT_INT_EQ(cipher_crypt(NULL, 0, lenf, body, 16, NULL, 0),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_init(&cc, ctr, key, 16, iv, 16, 1), 0);
	ASSERT_PTR_EQ(cipher_ctx_cipher(cc), ctr);
	ASSERT_INT_EQ(cipher_ctx_is_encrypt(cc), 1);
	ASSERT_INT_EQ(cipher_crypt(cc, 0, NULL, body, 15, NULL, 0),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_crypt(cc, 0, NULL, NULL, 16, NULL, 0),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_crypt(cc, 0, NULL, body, 16, tag, 16),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_crypt(cc, 0, NULL, body,
	    (size_t)CIPHER_MAX_LEN + 16, NULL, 0), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_crypt(cc, 0, NULL, body, 16, NULL, 0), 0);
	ASSERT_INT_EQ(cipher_crypt(cc, 0, NULL, NULL, 0, NULL, 0), 0);
	cipher_free(cc);

	ASSERT_INT_EQ(cipher_init(&cc, cp, key, 64, NULL, 0, 0), 0);
	ASSERT_INT_EQ(cipher_ctx_is_encrypt(cc), 0);
	ASSERT_INT_EQ(cipher_crypt(cc, 0, NULL, body, 16, tag, 16),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_crypt(cc, 0, lenf, body, 16, NULL, 0),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_crypt(cc, 0, lenf, body, 16, tag, 15),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_crypt(cc, 0, lenf, body, 12, tag, 16),
	    ERR_INVALID_ARGUMENT);
	cipher_free(cc);
	TEST_DONE();
}

static void
length_args(void)
{
	const struct cipher *gcm = cipher_by_name("aes128-gcm@openssh.com");
	const struct cipher *cp = cipher_by_name(
	    "chacha20-poly1305@openssh.com");
	struct cipher_ctx *cc = NULL;
	u_char key[64] = { 1 }, iv[16] = { 2 };
	const u_char lenf[4] = { 0, 0, 1, 0 };
	uint32_t len = 99;

	TEST_START("cipher_get_length and cipher_get_iv arguments");
	ASSERT_INT_EQ(cipher_init(&cc, cp, key, 64, NULL, 0, 0), 0);
	ASSERT_INT_EQ(cipher_get_length(cc, 0, lenf, 3, &len),
	    ERR_MESSAGE_INCOMPLETE);
	ASSERT_U32_EQ(len, 0);
	ASSERT_INT_EQ(cipher_get_length(cc, 0, NULL, 4, &len),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_get_length(cc, 0, lenf, 4, NULL),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_get_length(NULL, 0, lenf, 4, &len),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_get_iv(cc, iv, 0), 0);
	ASSERT_INT_EQ(cipher_get_iv(cc, iv, 16), ERR_INVALID_ARGUMENT);
	cipher_free(cc);
	/* Other ciphers read the length as it is. */
	ASSERT_INT_EQ(cipher_init(&cc, gcm, key, 16, iv, 12, 0), 0);
	ASSERT_INT_EQ(cipher_get_length(cc, 0, lenf, 4, &len), 0);
	ASSERT_U32_EQ(len, 256);
	ASSERT_INT_EQ(cipher_get_iv(cc, iv, 16), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(cipher_get_iv(NULL, iv, 12), ERR_INVALID_ARGUMENT);
	cipher_free(cc);
	cipher_free(NULL);
	TEST_DONE();
}

void
test_cipher_args(void)
{
	init_args();
	crypt_args();
	length_args();
}

void
tests(void)
{
	test_cipher_table();
	test_cipher_args();
	test_chachapoly_rfc8439();
	test_chachapoly_kat();
	test_chachapoly_stepwise();
	test_chachapoly_negative();
	test_aesctr_kat();
	test_aesgcm_kat();
	test_aesgcm_ssh();
	test_aesgcm_negative();
	test_cipher_roundtrip();
}
