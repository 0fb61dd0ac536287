/*
 * key-fp.c: key fingerprints and their random-art pictures.
 *
 * A fingerprint is a digest of the public blob, printed as
 * "SHA256:<base64 without padding>" or "MD5:<colon-separated hex>".
 *
 * The picture is the "drunken bishop" walk (Loss, Limasset and von
 * Gernler): a bishop starts in the middle of a 17x9 board and, for each
 * pair of digest bits (each byte least significant pair first), steps one
 * square diagonally, sliding along a wall instead of leaving the board.
 * Each square shows how often it was visited; S and E mark the start and
 * the end.  ssh-keygen -lv prints it; scripts compare it, so the layout
 * below is byte-for-byte the one users know.
 */
#include "includes.h"

#include <openssl/evp.h>

#include "digest.h"
#include "errcode.h"
#include "key.h"
#include "key-impl.h"

#define ART_W	17	/* board width: 2 * 8 + 1 */
#define ART_H	9	/* board height: 8 + 1 */

/* One symbol per visit count (the last one for 14 and more visits),
 * then the start and end marks. */
static const char art_symbols[] = " .o+=*BOX@%&#/^SE";
#define ART_NSYM	(sizeof(art_symbols) - 1)
#define ART_START	(ART_NSYM - 2)
#define ART_END		(ART_NSYM - 1)
#define ART_MAXCOUNT	(ART_START - 1)

/* The digest of k's public blob into d (DIGEST_MAX_LENGTH bytes). */
static int
fp_digest(const struct key *k, int alg, u_char *d, size_t *dlenp)
{
	u_char *blob = NULL;
	size_t len = 0;
	int r;

	*dlenp = 0;
	if (digest_bytes(alg) == 0)
		return ERR_INVALID_ARGUMENT;
	if ((r = key_to_blob(k, &blob, &len)) != 0)
		return r;
	r = digest_memory(alg, blob, len, d, DIGEST_MAX_LENGTH);
	free(blob);
	if (r == 0)
		*dlenp = digest_bytes(alg);
	return r;
}

/* "ALG:" then the digest in lower-case hex bytes joined by ':'. */
static char *
fp_hex(const char *alg, const u_char *d, size_t dlen)
{
	char *s;
	size_t i, len, off;

	len = strlen(alg) + 1 + dlen * 3 + 1;
	if ((s = malloc(len)) == NULL)
		return NULL;
	off = (size_t)snprintf(s, len, "%s:", alg);
	for (i = 0; i < dlen; i++) {
		snprintf(s + off, len - off, "%s%02x", i == 0 ? "" : ":",
		    d[i]);
		off += i == 0 ? 2 : 3;
	}
	return s;
}

/* "ALG:" then base64 of the digest with the '=' padding removed. */
static char *
fp_base64(const char *alg, const u_char *d, size_t dlen)
{
	char *s;
	size_t len, off;
	int n;

	/* 4 output bytes per 3 input bytes, rounded up, plus a NUL. */
	len = strlen(alg) + 1 + ((dlen + 2) / 3) * 4 + 1;
	if (dlen > INT_MAX || (s = malloc(len)) == NULL)
		return NULL;
	off = (size_t)snprintf(s, len, "%s:", alg);
	if ((n = EVP_EncodeBlock((u_char *)s + off, d, (int)dlen)) < 0) {
		free(s);
		return NULL;
	}
	off += (size_t)n;
	while (off > 0 && s[off - 1] == '=')
		off--;
	s[off] = '\0';
	return s;
}

/* Append the border line "+--[label]--+" centring label in ART_W. */
static size_t
art_border(char *out, const char *label)
{
	size_t llen = strlen(label), left, i, o = 0;

	if (llen > ART_W)
		llen = ART_W;
	left = (ART_W - llen) / 2;
	out[o++] = '+';
	for (i = 0; i < left; i++)
		out[o++] = '-';
	memcpy(out + o, label, llen);
	o += llen;
	for (i = left + llen; i < ART_W; i++)
		out[o++] = '-';
	out[o++] = '+';
	return o;
}

static char *
fp_randomart(const struct key *k, const char *alg, const u_char *d,
    size_t dlen)
{
	u_char field[ART_W][ART_H];
	char title[ART_W], label[ART_W], *s;
	size_t i, o = 0;
	int b, x = ART_W / 2, y = ART_H / 2, bits;

	memset(field, 0, sizeof(field));
	for (i = 0; i < dlen; i++) {
		bits = d[i];
		for (b = 0; b < 4; b++, bits >>= 2) {
			/* Bit 0 moves right/left, bit 1 down/up. */
			x += (bits & 1) ? 1 : -1;
			y += (bits & 2) ? 1 : -1;
			x = MAXIMUM(0, MINIMUM(x, ART_W - 1));
			y = MAXIMUM(0, MINIMUM(y, ART_H - 1));
			if (field[x][y] < ART_MAXCOUNT)
				field[x][y]++;
		}
	}
	field[ART_W / 2][ART_H / 2] = ART_START;
	field[x][y] = ART_END;

	/* Labels that do not fit are cut, as snprintf does. */
	snprintf(title, sizeof(title), "[%s %u]", key_type_short(k),
	    key_size(k));
	snprintf(label, sizeof(label), "[%s]", alg);

	/* (ART_H + 2) lines of (ART_W + 2) characters and a newline. */
	if ((s = malloc((ART_H + 2) * (ART_W + 3) + 1)) == NULL)
		return NULL;
	o += art_border(s + o, title);
	s[o++] = '\n';
	for (y = 0; y < ART_H; y++) {
		s[o++] = '|';
		for (x = 0; x < ART_W; x++)
			s[o++] = art_symbols[MINIMUM(field[x][y], ART_END)];
		s[o++] = '|';
		s[o++] = '\n';
	}
	o += art_border(s + o, label);
	s[o] = '\0';
	return s;
}

char *
key_fingerprint(const struct key *k, int dgst_alg, enum key_fp_rep rep)
{
	u_char d[DIGEST_MAX_LENGTH];
	const char *alg = digest_alg_name(dgst_alg);
	char *ret = NULL;
	size_t dlen = 0;

	if (k == NULL || alg == NULL ||
	    fp_digest(k, dgst_alg, d, &dlen) != 0)
		return NULL;
	switch (rep) {
	case KEY_FP_DEFAULT:
		ret = dgst_alg == DIGEST_MD5 ? fp_hex(alg, d, dlen) :
		    fp_base64(alg, d, dlen);
		break;
	case KEY_FP_HEX:
		ret = fp_hex(alg, d, dlen);
		break;
	case KEY_FP_BASE64:
		ret = fp_base64(alg, d, dlen);
		break;
	case KEY_FP_RANDOMART:
		ret = fp_randomart(k, alg, d, dlen);
		break;
	}
	explicit_bzero(d, sizeof(d));
	return ret;
}
