/*
 * key_fuzz.c: libFuzzer target for the key parsers of key.c.
 *
 * The first input byte picks the parser; the rest is its input:
 *   0  key_from_blob: an accepted blob re-encodes canonically (no longer
 *      than the input) to the same key and survives the text form and
 *      the fingerprints;
 *   1  key_verify of the input as a signature blob, with fixed Ed25519,
 *      ECDSA P-256 and RSA-1024 keys (a second byte picks the key and
 *      the algorithm asked for);
 *   2  key_private_deserialize: an accepted part re-serialises to no
 *      more than the bytes consumed and reads back, and the key signs
 *      what its public half verifies;
 *   3  key_read_public_line on the input as text.
 */
#include "includes.h"

#include "buf.h"
#include "digest.h"
#include "errcode.h"
#include "key.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
	    #x); \
	abort(); \
	} } while (0)

/* RFC 8032 7.1 TEST 1: seed, then public key. */
static const char ed25519_seed_hex[] =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
static const char ed25519_pk_hex[] =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
/* Private parts of test keys made by OpenSSH 9.2 (not secret). */
static const char ecdsa_priv_hex[] =
    "0000001365636473612d736861322d6e69737470323536000000086e69737470"
    "323536000000410497f8b6bf6b3da78494ff6bf0fb6457abda42f147bfc31881"
    "a46db15d1c2af8081d050d2616fb48b5af373f9ebc9f21f46c69304d0d930c9d"
    "20095b7eec1dc04f000000202ab027612748991b692ca0f151d09251ba25f1ac"
    "9b07126d47f1c9c7deba8b40";
static const char rsa_priv_hex[] =
    "000000077373682d7273610000008100c2268b82ffaa20b43facb30ff307ab1a"
    "410b05f61e1d4b8f98cba4540e73054c716414a5077beba0a9a6f63453845f4b"
    "ce263b365f1e52ac185eaacab7afba2296ef6df779a7ac74191cd4e1b0485204"
    "d8f7c8a90b0e2d204cae807a8ce4388308f71bc20bea4acead94fafd4d0a7511"
    "e4d81a3e2943afd5988172f15f8daa7f00000003010001000000804223cb6727"
    "1d97e28fc68f81a1733d50c653b106352019bba37bcc516e52b4bd63eb8a34e6"
    "25cb11827a0469b301e74cf5bf8470735aeb2301724e909c9edab39183bbdb6b"
    "c7fca7e118847c84dbe192ee2f058a839223a85caf50928d69c5733b207f39d7"
    "3e2681cccc85d031eb4109b953d0e1c8b188102d4e63bdebfbb1110000004043"
    "d59148560c62bfa34a752cd0b1ca9db601d6712e52aeb3a832ed55f9a8aef115"
    "e2549bad2a6053dae17ff08c2da7fe0db05a8c152df047376fce427449a96b00"
    "00004100f153d6ca63cd9ac619f0ff5be5498ce12eb8c1a98d03c185595b71a3"
    "2ae9167f7c022be58a76eb66a054e371ad5815cd51461c2797bb14d4bf14ff92"
    "43cb611d0000004100cdf46ab80a3b4cb00488712228309f09d86922a332957e"
    "8ac7638266d9e4b7af78d3271a53d075cffddbd28256cca46c1bcc0886f7af42"
    "fd7c4380e01bf2634b";

static const u_char fixed_msg[] = "keel fuzz";
#define FIXED_MLEN	(sizeof(fixed_msg) - 1)
static struct key *fixed_keys[3];

/* Append the bytes of hex text to b. */
static void
put_hex(struct buf *b, const char *hex)
{
	unsigned int v;
	size_t i;

	for (i = 0; hex[i] != '\0' && hex[i + 1] != '\0'; i += 2) {
		CHECK(sscanf(hex + i, "%2x", &v) == 1);
		CHECK(buf_put_u8(b, (uint8_t)v) == 0);
	}
}

static struct key *
load_private(struct buf *b)
{
	struct key *k = NULL;

	CHECK(key_private_deserialize(b, &k) == 0);
	CHECK(buf_len(b) == 0);
	buf_free(b);
	return k;
}

static void
init_keys(void)
{
	struct buf *b, *pk;

	if (fixed_keys[0] != NULL)
		return;
	/* string "ssh-ed25519", string pk, string (seed || pk) */
	CHECK((b = buf_new()) != NULL && (pk = buf_new()) != NULL);
	put_hex(pk, ed25519_pk_hex);
	CHECK(buf_put_cstring(b, "ssh-ed25519") == 0);
	CHECK(buf_put_stringb(b, pk) == 0);
	CHECK(buf_put_u32(b, 64) == 0);
	put_hex(b, ed25519_seed_hex);
	CHECK(buf_putb(b, pk) == 0);
	buf_free(pk);
	fixed_keys[0] = load_private(b);
	CHECK((b = buf_new()) != NULL);
	put_hex(b, ecdsa_priv_hex);
	fixed_keys[1] = load_private(b);
	CHECK((b = buf_new()) != NULL);
	put_hex(b, rsa_priv_hex);
	fixed_keys[2] = load_private(b);
}

/* An accepted public key must behave like one. */
static void
check_public(const struct key *k, const uint8_t *blob, size_t len)
{
	struct key *k2 = NULL;
	u_char *blob2 = NULL;
	char *line = NULL, *fp;
	size_t len2;

	CHECK(key_to_blob(k, &blob2, &len2) == 0);
	/*
	 * mpints with extra zero padding are read (as OpenSSH does), so the
	 * canonical re-encoding may be shorter, but it must read back the same.
	 */
	CHECK(len2 <= len);
	CHECK(key_from_blob(blob2, len2, &k2) == 0);
	CHECK(key_equal_public(k, k2) == 1);
	key_free(k2);
	k2 = NULL;
	CHECK(key_equal_public(k, k) == 1);
	CHECK(key_is_private(k) == 0);
	CHECK(key_format_public(k, &line) == 0);
	CHECK(key_read_public_line(line, &k2, NULL, NULL) == 0);
	CHECK(key_equal_public(k, k2) == 1);
	CHECK((fp = key_fingerprint(k, DIGEST_SHA256, KEY_FP_DEFAULT)) != NULL);
	free(fp);
	CHECK((fp = key_fingerprint(k, DIGEST_MD5, KEY_FP_RANDOMART)) != NULL);
	free(fp);
	key_free(k2);
	free(line);
	free(blob2);
}

static void
fuzz_blob(const uint8_t *data, size_t size)
{
	struct key *k = NULL;

	if (key_from_blob(data, size, &k) != 0) {
		CHECK(k == NULL);
		return;
	}
	check_public(k, data, size);
	key_free(k);
}

static void
fuzz_verify(const uint8_t *data, size_t size)
{
	static const char *algs[] = { NULL, "ssh-ed25519",
	    "ecdsa-sha2-nistp256", "rsa-sha2-256", "rsa-sha2-512", "ssh-rsa" };
	char *alg = NULL;
	int r;

	if (size < 1)
		return;
	init_keys();
	r = key_verify(fixed_keys[data[0] % 3], data + 1, size - 1,
	    fixed_msg, FIXED_MLEN, algs[(data[0] / 3) % 6]);
	CHECK(r <= 0);
	if (key_sig_alg(data + 1, size - 1, &alg) == 0)
		CHECK(alg != NULL);
	else
		CHECK(alg == NULL);
	free(alg);
}

static void
fuzz_private(const uint8_t *data, size_t size)
{
	struct buf *b, *again;
	struct key *k = NULL, *pub = NULL;
	u_char *sig = NULL;
	size_t used, slen;

	CHECK((b = buf_from(data, size)) != NULL);
	if (key_private_deserialize(b, &k) != 0) {
		CHECK(k == NULL);
		CHECK(buf_len(b) == size);
		buf_free(b);
		return;
	}
	used = size - buf_len(b);
	CHECK(key_is_private(k) == 1);
	CHECK((again = buf_new()) != NULL);
	CHECK(key_private_serialize(k, again) == 0);
	/* Canonical re-encoding: never longer, and it reads back. */
	CHECK(buf_len(again) <= used);
	CHECK(key_private_deserialize(again, &pub) == 0);
	CHECK(buf_len(again) == 0);
	CHECK(key_equal_public(k, pub) == 1);
	key_free(pub);
	pub = NULL;
	CHECK(key_demote(k, &pub) == 0);
	CHECK(key_equal_public(k, pub) == 1);
	/* Signing with a huge RSA key is slow and proves nothing more. */
	if (key_size(k) <= 4096) {
		CHECK(key_sign(k, &sig, &slen, fixed_msg, FIXED_MLEN,
		    NULL) == 0);
		CHECK(key_verify(pub, sig, slen, fixed_msg, FIXED_MLEN,
		    NULL) == 0);
		free(sig);
	}
	key_free(pub);
	key_free(k);
	buf_free(again);
	buf_free(b);
}

static void
fuzz_line(const uint8_t *data, size_t size)
{
	struct key *k = NULL;
	char *s, *comment = NULL;
	const char *end = NULL;

	CHECK((s = malloc(size + 1)) != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	if (key_read_public_line(s, &k, &comment, &end) == 0) {
		CHECK(end != NULL && end >= s && end <= s + strlen(s));
		CHECK(comment == NULL || *comment != '\0');
		CHECK(key_equal_public(k, k) == 1);
	} else
		CHECK(k == NULL && comment == NULL);
	key_free(k);
	free(comment);
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0:
		fuzz_blob(data + 1, size - 1);
		break;
	case 1:
		fuzz_verify(data + 1, size - 1);
		break;
	case 2:
		fuzz_private(data + 1, size - 1);
		break;
	case 3:
		fuzz_line(data + 1, size - 1);
		break;
	}
	return 0;
}
