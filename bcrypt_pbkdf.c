/*
 * bcrypt_pbkdf.c: OpenBSD's bcrypt_pbkdf key derivation.
 *
 * Written from the algorithm's public description (Ted Unangst, 2013;
 * referenced by OpenSSH's PROTOCOL.key):
 *
 *   bhash(P, S): state = eksblowfish setup with salt S and key P, then
 *     64 times { expand with S; expand with P }; encipher the 32 bytes
 *     "OxychromaticBlowfishSwatDynamite" 64 times; output its eight
 *     words little-endian.
 *
 *   For each output block n = 1, 2, ...:
 *     T = U = bhash(SHA512(pass), SHA512(salt || BE32(n)))
 *     repeat rounds - 1 times: U = bhash(SHA512(pass), SHA512(U)); T ^= U
 *     T's bytes are spread over the key with a stride of the number of
 *     blocks, so the key's first bytes come from every block.
 */
#include "includes.h"

#include <openssl/evp.h>

#include "errcode.h"
#include "blowfish.h"
#include "bcrypt_pbkdf.h"

#define SHA512_LEN		64
#define BCRYPT_WORDS		(BCRYPT_HASH_SIZE / 4)
#define BCRYPT_EXPAND_ROUNDS	64
#define BCRYPT_CIPHER_ROUNDS	64

static const char bcrypt_magic[BCRYPT_HASH_SIZE + 1] =
    "OxychromaticBlowfishSwatDynamite";

void
bcrypt_hash(const u_char sha2pass[SHA512_LEN],
    const u_char sha2salt[SHA512_LEN], u_char out[BCRYPT_HASH_SIZE])
{
	struct blowfish_state st;
	uint32_t cdata[BCRYPT_WORDS];
	const u_char *m = (const u_char *)bcrypt_magic;
	int i, j;

	/* The expensive key schedule. */
	blowfish_init(&st);
	blowfish_expand_key_salt(&st, sha2salt, SHA512_LEN,
	    sha2pass, SHA512_LEN);
	for (i = 0; i < BCRYPT_EXPAND_ROUNDS; i++) {
		blowfish_expand_key(&st, sha2salt, SHA512_LEN);
		blowfish_expand_key(&st, sha2pass, SHA512_LEN);
	}

	/* Encrypt the magic text as four 64-bit blocks, 64 times over. */
	for (i = 0; i < BCRYPT_WORDS; i++) {
		cdata[i] = (uint32_t)m[4 * i] << 24 |
		    (uint32_t)m[4 * i + 1] << 16 |
		    (uint32_t)m[4 * i + 2] << 8 | (uint32_t)m[4 * i + 3];
	}
	for (i = 0; i < BCRYPT_CIPHER_ROUNDS; i++) {
		for (j = 0; j < BCRYPT_WORDS; j += 2)
			blowfish_encipher(&st, &cdata[j], &cdata[j + 1]);
	}

	/* Words out little-endian (as OpenBSD's implementation does). */
	for (i = 0; i < BCRYPT_WORDS; i++) {
		out[4 * i] = (u_char)cdata[i];
		out[4 * i + 1] = (u_char)(cdata[i] >> 8);
		out[4 * i + 2] = (u_char)(cdata[i] >> 16);
		out[4 * i + 3] = (u_char)(cdata[i] >> 24);
	}
	explicit_bzero(cdata, sizeof(cdata));
	explicit_bzero(&st, sizeof(st));
}

/* d = SHA-512(a[0..alen) || b[0..blen)), b may be NULL. */
static int
sha512_two(EVP_MD_CTX *ctx, const void *a, size_t alen, const void *b,
    size_t blen, u_char d[SHA512_LEN])
{
	unsigned int dlen = 0;

	if (EVP_DigestInit_ex(ctx, EVP_sha512(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, a, alen) != 1 ||
	    (b != NULL && EVP_DigestUpdate(ctx, b, blen) != 1) ||
	    EVP_DigestFinal_ex(ctx, d, &dlen) != 1 || dlen != SHA512_LEN)
		return ERR_LIBCRYPTO_ERROR;
	return 0;
}

/*
 * One output block: the XOR of rounds chained bcrypt hashes, the first
 * keyed by the salt and the block counter.
 */
static int
pbkdf_block(EVP_MD_CTX *ctx, const u_char sha2pass[SHA512_LEN],
    const u_char *salt, size_t saltlen, uint32_t count, unsigned int rounds,
    u_char out[BCRYPT_HASH_SIZE])
{
	u_char countbe[4], sha2salt[SHA512_LEN], tmp[BCRYPT_HASH_SIZE];
	unsigned int n;
	size_t i;
	int r = ERR_INTERNAL;

	countbe[0] = (u_char)(count >> 24);
	countbe[1] = (u_char)(count >> 16);
	countbe[2] = (u_char)(count >> 8);
	countbe[3] = (u_char)count;
	if ((r = sha512_two(ctx, salt, saltlen, countbe, sizeof(countbe),
	    sha2salt)) != 0)
		goto out;
	bcrypt_hash(sha2pass, sha2salt, tmp);
	memcpy(out, tmp, sizeof(tmp));
	for (n = 1; n < rounds; n++) {
		if ((r = sha512_two(ctx, tmp, sizeof(tmp), NULL, 0,
		    sha2salt)) != 0)
			goto out;
		bcrypt_hash(sha2pass, sha2salt, tmp);
		for (i = 0; i < sizeof(tmp); i++)
			out[i] ^= tmp[i];
	}
	r = 0;
 out:
	explicit_bzero(sha2salt, sizeof(sha2salt));
	explicit_bzero(tmp, sizeof(tmp));
	return r;
}

int
bcrypt_pbkdf(const char *pass, size_t passlen, const u_char *salt,
    size_t saltlen, u_char *key, size_t keylen, unsigned int rounds)
{
	EVP_MD_CTX *ctx = NULL;
	u_char sha2pass[SHA512_LEN], block[BCRYPT_HASH_SIZE];
	size_t stride, amt, i, dest, done = 0;
	uint32_t count;
	int r = ERR_INTERNAL;

	if (rounds < 1 || passlen == 0 || saltlen == 0 || keylen == 0 ||
	    keylen > BCRYPT_PBKDF_MAX_KEY || saltlen > BCRYPT_PBKDF_MAX_SALT ||
	    pass == NULL || salt == NULL || key == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return ERR_ALLOC_FAIL;
	/* stride = number of blocks; amt = bytes taken from each block. */
	stride = (keylen + BCRYPT_HASH_SIZE - 1) / BCRYPT_HASH_SIZE;
	amt = (keylen + stride - 1) / stride;
	if ((r = sha512_two(ctx, pass, passlen, NULL, 0, sha2pass)) != 0)
		goto out;
	for (count = 1; done < keylen; count++) {
		if ((r = pbkdf_block(ctx, sha2pass, salt, saltlen, count,
		    rounds, block)) != 0)
			goto out;
		/* Byte i of block count goes to key[i * stride + count - 1]. */
		for (i = 0; i < amt; i++) {
			dest = i * stride + (count - 1);
			if (dest >= keylen)
				break;
			key[dest] = block[i];
			done++;
		}
	}
	r = 0;
 out:
	if (r != 0)
		explicit_bzero(key, keylen);
	explicit_bzero(sha2pass, sizeof(sha2pass));
	explicit_bzero(block, sizeof(block));
	EVP_MD_CTX_free(ctx);
	return r;
}
