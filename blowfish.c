/*
 * blowfish.c: the Blowfish block cipher and bcrypt's key schedule steps.
 *
 * Written from the cipher's published description: a 16-round Feistel
 * network whose round function mixes four key-dependent 8x32 S-boxes,
 * with an 18-word P-array of round subkeys.
 */
#include "includes.h"

#include "blowfish.h"
#include "blowfish-pi.h"

/* The round function: ((S0[a] + S1[b]) ^ S2[c]) + S3[d], a = top byte. */
static inline uint32_t
bf_f(const struct blowfish_state *st, uint32_t x)
{
	uint32_t h;

	h = st->s[0][x >> 24] + st->s[1][(x >> 16) & 0xff];
	return (h ^ st->s[2][(x >> 8) & 0xff]) + st->s[3][x & 0xff];
}

void
blowfish_encipher(const struct blowfish_state *st, uint32_t *xl,
    uint32_t *xr)
{
	uint32_t l = *xl, r = *xr;
	int i;

	/* Two rounds per step, so the halves never need swapping. */
	for (i = 0; i < BLOWFISH_ROUNDS; i += 2) {
		l ^= st->p[i];
		r ^= bf_f(st, l);
		r ^= st->p[i + 1];
		l ^= bf_f(st, r);
	}
	l ^= st->p[BLOWFISH_ROUNDS];
	r ^= st->p[BLOWFISH_ROUNDS + 1];
	/* The final halves come out exchanged. */
	*xl = r;
	*xr = l;
}

void
blowfish_decipher(const struct blowfish_state *st, uint32_t *xl,
    uint32_t *xr)
{
	uint32_t l = *xl, r = *xr;
	int i;

	/* The same network with the subkeys in reverse order. */
	for (i = BLOWFISH_ROUNDS + 1; i > 1; i -= 2) {
		l ^= st->p[i];
		r ^= bf_f(st, l);
		r ^= st->p[i - 1];
		l ^= bf_f(st, r);
	}
	l ^= st->p[1];
	r ^= st->p[0];
	*xl = r;
	*xr = l;
}

void
blowfish_init(struct blowfish_state *st)
{
	memcpy(st->p, blowfish_pi_p, sizeof(st->p));
	memcpy(st->s, blowfish_pi_s, sizeof(st->s));
}

/*
 * The next big-endian 32-bit word of the cycle over data[0..len), from
 * *posp, which is advanced.  An empty string reads as zeros.
 */
static uint32_t
stream_word(const u_char *data, size_t len, size_t *posp)
{
	uint32_t w = 0;
	int i;

	if (len == 0)
		return 0;
	for (i = 0; i < 4; i++) {
		if (*posp >= len)
			*posp = 0;
		w = (w << 8) | data[*posp];
		(*posp)++;
	}
	return w;
}

static void
xor_key_into_p(struct blowfish_state *st, const u_char *key, size_t keylen)
{
	size_t pos = 0;
	int i;

	for (i = 0; i < BLOWFISH_P_WORDS; i++)
		st->p[i] ^= stream_word(key, keylen, &pos);
}

/*
 * Refill P then each S-box, two words at a time, with successive
 * encipherments of a running block; with a salt the block is first
 * XORed with its next 64 bits each time.
 */
static void
refill_state(struct blowfish_state *st, const u_char *salt, size_t saltlen)
{
	uint32_t l = 0, r = 0;
	size_t pos = 0;
	int i, k;

	for (i = 0; i < BLOWFISH_P_WORDS; i += 2) {
		l ^= stream_word(salt, saltlen, &pos);
		r ^= stream_word(salt, saltlen, &pos);
		blowfish_encipher(st, &l, &r);
		st->p[i] = l;
		st->p[i + 1] = r;
	}
	for (i = 0; i < 4; i++) {
		for (k = 0; k < 256; k += 2) {
			l ^= stream_word(salt, saltlen, &pos);
			r ^= stream_word(salt, saltlen, &pos);
			blowfish_encipher(st, &l, &r);
			st->s[i][k] = l;
			st->s[i][k + 1] = r;
		}
	}
}

void
blowfish_expand_key(struct blowfish_state *st, const u_char *key,
    size_t keylen)
{
	xor_key_into_p(st, key, keylen);
	refill_state(st, NULL, 0);
}

void
blowfish_expand_key_salt(struct blowfish_state *st,
    const u_char *salt, size_t saltlen, const u_char *key, size_t keylen)
{
	xor_key_into_p(st, key, keylen);
	refill_state(st, salt, saltlen);
}

void
blowfish_set_key(struct blowfish_state *st, const u_char *key,
    size_t keylen)
{
	blowfish_init(st);
	blowfish_expand_key(st, key, keylen);
}

static uint32_t
load_be32(const u_char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
store_be32(u_char *p, uint32_t v)
{
	p[0] = (u_char)(v >> 24);
	p[1] = (u_char)(v >> 16);
	p[2] = (u_char)(v >> 8);
	p[3] = (u_char)v;
}

void
blowfish_ecb_encrypt(const struct blowfish_state *st,
    const u_char in[BLOWFISH_BLOCK_SIZE], u_char out[BLOWFISH_BLOCK_SIZE])
{
	uint32_t l = load_be32(in), r = load_be32(in + 4);

	blowfish_encipher(st, &l, &r);
	store_be32(out, l);
	store_be32(out + 4, r);
}

void
blowfish_ecb_decrypt(const struct blowfish_state *st,
    const u_char in[BLOWFISH_BLOCK_SIZE], u_char out[BLOWFISH_BLOCK_SIZE])
{
	uint32_t l = load_be32(in), r = load_be32(in + 4);

	blowfish_decipher(st, &l, &r);
	store_be32(out, l);
	store_be32(out + 4, r);
}
