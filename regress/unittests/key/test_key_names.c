/* test_key_names.c: type names, short names, curves, algorithm lists. */
#include "includes.h"

#include <openssl/obj_mac.h>

#include "key.h"
#include "errcode.h"
#include "../test_helper/test_helper.h"
#include "test_key.h"

void
test_key_names(void)
{
	struct key *k = NULL;

	TEST_START("key type names");
	ASSERT_INT_EQ(key_type_from_name("ssh-ed25519"), KEY_ED25519);
	ASSERT_INT_EQ(key_type_from_name("ssh-rsa"), KEY_RSA);
	ASSERT_INT_EQ(key_type_from_name("rsa-sha2-256"), KEY_RSA);
	ASSERT_INT_EQ(key_type_from_name("rsa-sha2-512"), KEY_RSA);
	ASSERT_INT_EQ(key_type_from_name("ecdsa-sha2-nistp256"), KEY_ECDSA);
	ASSERT_INT_EQ(key_type_from_name("ecdsa-sha2-nistp384"), KEY_ECDSA);
	ASSERT_INT_EQ(key_type_from_name("ecdsa-sha2-nistp521"), KEY_ECDSA);
	ASSERT_INT_EQ(key_type_from_name("ssh-dss"), KEY_UNSPEC);
	ASSERT_INT_EQ(key_type_from_name("SSH-RSA"), KEY_UNSPEC);
	ASSERT_INT_EQ(key_type_from_name(""), KEY_UNSPEC);
	ASSERT_INT_EQ(key_type_from_name(NULL), KEY_UNSPEC);
	ASSERT_INT_EQ(key_type_from_shortname("ed25519"), KEY_ED25519);
	ASSERT_INT_EQ(key_type_from_shortname("ECDSA"), KEY_ECDSA);
	ASSERT_INT_EQ(key_type_from_shortname("rsa"), KEY_RSA);
	ASSERT_INT_EQ(key_type_from_shortname("dsa"), KEY_UNSPEC);
	ASSERT_INT_EQ(key_type_from_shortname(NULL), KEY_UNSPEC);
	ASSERT_INT_EQ(key_ecdsa_nid_from_name("ecdsa-sha2-nistp256"),
	    NID_X9_62_prime256v1);
	ASSERT_INT_EQ(key_ecdsa_nid_from_name("ecdsa-sha2-nistp384"),
	    NID_secp384r1);
	ASSERT_INT_EQ(key_ecdsa_nid_from_name("ecdsa-sha2-nistp521"),
	    NID_secp521r1);
	ASSERT_INT_EQ(key_ecdsa_nid_from_name("ssh-ed25519"), -1);
	ASSERT_INT_EQ(key_ecdsa_nid_from_name("ecdsa-sha2-nistp224"), -1);
	ASSERT_INT_EQ(key_ecdsa_nid_from_bits(256), NID_X9_62_prime256v1);
	ASSERT_INT_EQ(key_ecdsa_nid_from_bits(384), NID_secp384r1);
	ASSERT_INT_EQ(key_ecdsa_nid_from_bits(521), NID_secp521r1);
	ASSERT_INT_EQ(key_ecdsa_nid_from_bits(512), -1);
	ASSERT_INT_EQ(key_ecdsa_nid_from_bits(0), -1);
	ASSERT_STRING_EQ(key_alg_list(), "ssh-ed25519,ecdsa-sha2-nistp256,"
	    "ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-512,"
	    "rsa-sha2-256,ssh-rsa");
	/* A second call gives the same list. */
	ASSERT_STRING_EQ(key_alg_list(), key_alg_list());
	/* Accessors on NULL are safe. */
	ASSERT_INT_EQ(key_type(NULL), KEY_UNSPEC);
	ASSERT_INT_EQ(key_ecdsa_nid(NULL), -1);
	ASSERT_INT_EQ(key_size(NULL), 0);
	ASSERT_INT_EQ(key_is_private(NULL), 0);
	ASSERT_PTR_EQ(key_default_sig_alg(NULL), NULL);
	ASSERT_PTR_EQ(key_evp(NULL), NULL);
	ASSERT_INT_EQ(key_equal_public(NULL, NULL), 0);
	ASSERT_PTR_EQ(key_fingerprint(NULL, 2, KEY_FP_DEFAULT), NULL);
	key_free(NULL);
	TEST_DONE();

	TEST_START("key_generate refuses bad sizes and types");
	ASSERT_INT_EQ(key_generate(KEY_RSA, 1023, &k), ERR_KEY_LENGTH);
	ASSERT_PTR_EQ(k, NULL);
	ASSERT_INT_EQ(key_generate(KEY_RSA, KEY_RSA_MAX_BITS + 1, &k),
	    ERR_KEY_LENGTH);
	ASSERT_INT_EQ(key_generate(KEY_ECDSA, 255, &k), ERR_KEY_LENGTH);
	ASSERT_INT_EQ(key_generate(KEY_ED25519, 512, &k), ERR_KEY_LENGTH);
	ASSERT_INT_EQ(key_generate(KEY_UNSPEC, 0, &k), ERR_KEY_TYPE_UNKNOWN);
	ASSERT_PTR_EQ(k, NULL);
	/* Defaults: ECDSA P-256; Ed25519 has one size. */
	ASSERT_INT_EQ(key_generate(KEY_ECDSA, 0, &k), 0);
	ASSERT_INT_EQ(key_ecdsa_nid(k), NID_X9_62_prime256v1);
	ASSERT_STRING_EQ(key_type_name(k), "ecdsa-sha2-nistp256");
	ASSERT_STRING_EQ(key_type_short(k), "ECDSA");
	ASSERT_STRING_EQ(key_default_sig_alg(k), "ecdsa-sha2-nistp256");
	key_free(k);
	ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &k), 0);
	ASSERT_INT_EQ(key_size(k), 256);
	ASSERT_INT_EQ(key_ecdsa_nid(k), -1);
	ASSERT_STRING_EQ(key_type_short(k), "ED25519");
	key_free(k);
	TEST_DONE();
}
