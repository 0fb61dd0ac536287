/*
 * tests.c: unit tests of the key types (key.h): names, every key kind
 * through generation, blobs, text, private parts and signatures, bad
 * input, and known answers (RFC 8032, OpenSSH 9.2's own output).
 */
#include "includes.h"

#include "key.h"
#include "errcode.h"
#include "../test_helper/test_helper.h"
#include "test_key.h"

const struct key_case key_cases[] = {
	{ "ed25519", KEY_ED25519, 256, "ssh-ed25519",
	    { "ssh-ed25519", NULL } },
	{ "ecdsa256", KEY_ECDSA, 256, "ecdsa-sha2-nistp256",
	    { "ecdsa-sha2-nistp256", NULL } },
	{ "ecdsa384", KEY_ECDSA, 384, "ecdsa-sha2-nistp384",
	    { "ecdsa-sha2-nistp384", NULL } },
	{ "ecdsa521", KEY_ECDSA, 521, "ecdsa-sha2-nistp521",
	    { "ecdsa-sha2-nistp521", NULL } },
	{ "rsa1024", KEY_RSA, 1024, "ssh-rsa",
	    { "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa", NULL } },
	{ "rsa2048", KEY_RSA, 2048, "ssh-rsa",
	    { "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa", NULL } },
};
const size_t nkey_cases = sizeof(key_cases) / sizeof(key_cases[0]);

u_char *
exact_copy(const void *p, size_t len)
{
	u_char *c;

	ASSERT_PTR_NE(c = malloc(len == 0 ? 1 : len), NULL);
	if (len != 0)
		memcpy(c, p, len);
	return c;
}

u_char *
sign_ok(const struct key *k, const u_char *data, size_t dlen,
    const char *alg, size_t *lenp)
{
	u_char *sig = NULL;

	ASSERT_INT_EQ(key_sign(k, &sig, lenp, data, dlen, alg), 0);
	ASSERT_PTR_NE(sig, NULL);
	return sig;
}

void
tests(void)
{
	test_key_names();
	test_key_cases();
	test_key_malformed();
	test_key_evp();
	test_key_rfc8032();
	test_key_openssh();
}
