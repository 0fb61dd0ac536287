/*
 * mac.c: the transport MACs (mac.h), HMAC from digest.c.
 */
#include "includes.h"

#include "digest.h"
#include "errcode.h"
#include "mac.h"

struct mac_alg {
	const char *name;
	int digest;		/* DIGEST_* of digest.h */
	size_t key_len;
	size_t tag_len;
	int etm;
};

/* In the order `ssh -Q mac` lists them. */
static const struct mac_alg macs[] = {
	{ "hmac-sha1", DIGEST_SHA1, 20, 20, 0 },
	{ "hmac-sha2-256", DIGEST_SHA256, 32, 32, 0 },
	{ "hmac-sha2-512", DIGEST_SHA512, 64, 64, 0 },
	{ "hmac-sha1-etm@openssh.com", DIGEST_SHA1, 20, 20, 1 },
	{ "hmac-sha2-256-etm@openssh.com", DIGEST_SHA256, 32, 32, 1 },
	{ "hmac-sha2-512-etm@openssh.com", DIGEST_SHA512, 64, 64, 1 },
};
#define NMACS	(sizeof(macs) / sizeof(macs[0]))

struct mac_ctx {
	const struct mac_alg *alg;
	struct hmac_ctx *hmac;
	u_char *key;		/* kept: each packet re-keys the HMAC */
	size_t keylen;
};

const struct mac_alg *
mac_by_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < NMACS; i++) {
		if (strcmp(name, macs[i].name) == 0)
			return &macs[i];
	}
	return NULL;
}

const char *
mac_name(const struct mac_alg *m)
{
	return m == NULL ? NULL : m->name;
}

size_t
mac_key_len(const struct mac_alg *m)
{
	return m == NULL ? 0 : m->key_len;
}

size_t
mac_tag_len(const struct mac_alg *m)
{
	return m == NULL ? 0 : m->tag_len;
}

int
mac_is_etm(const struct mac_alg *m)
{
	return m != NULL && m->etm;
}

int
mac_list_is_valid(const char *names)
{
	char *copy, *cp, *name;
	int ok = 1;

	if (names == NULL || *names == '\0' || (copy = strdup(names)) == NULL)
		return 0;
	cp = copy;
	while (ok && (name = strsep(&cp, ",")) != NULL) {
		if (mac_by_name(name) == NULL)
			ok = 0;
	}
	free(copy);
	return ok;
}

char *
mac_alg_list(char sep)
{
	char *list, sepstr[2] = { sep, '\0' };
	size_t i, len = 1;

	for (i = 0; i < NMACS; i++)
		len += strlen(macs[i].name) + 1;
	if ((list = calloc(1, len)) == NULL)
		return NULL;
	for (i = 0; i < NMACS; i++) {
		if (i > 0)
			strlcat(list, sepstr, len);
		strlcat(list, macs[i].name, len);
	}
	return list;
}

int
mac_init(struct mac_ctx **mp, const struct mac_alg *m, const u_char *key,
    size_t keylen)
{
	struct mac_ctx *mc = NULL;
	int r = ERR_INTERNAL;

	if (mp == NULL)
		return ERR_INVALID_ARGUMENT;
	*mp = NULL;
	if (m == NULL || (key == NULL && keylen != 0) ||
	    keylen > MAC_MAX_KEY_LEN)
		return ERR_INVALID_ARGUMENT;
	if ((mc = calloc(1, sizeof(*mc))) == NULL)
		return ERR_ALLOC_FAIL;
	mc->alg = m;
	/* One spare byte so that an empty key is not a zero-size malloc. */
	if ((mc->key = malloc(keylen + 1)) == NULL ||
	    (mc->hmac = hmac_start(m->digest)) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if (keylen != 0)
		memcpy(mc->key, key, keylen);
	mc->keylen = keylen;
	*mp = mc;
	mc = NULL;
	r = 0;
 out:
	mac_free(mc);
	return r;
}

/* RFC 4253 section 6.4: MAC(key, uint32 sequence_number || bytes). */
static int
mac_run(struct mac_ctx *mc, uint32_t seqnr, const u_char *data, size_t len,
    u_char *d, size_t dlen)
{
	u_char seq[4];
	int r = ERR_INTERNAL;

	seq[0] = (u_char)(seqnr >> 24);
	seq[1] = (u_char)(seqnr >> 16);
	seq[2] = (u_char)(seqnr >> 8);
	seq[3] = (u_char)seqnr;
	if ((r = hmac_init(mc->hmac, mc->key, mc->keylen)) != 0 ||
	    (r = hmac_update(mc->hmac, seq, sizeof(seq))) != 0 ||
	    (r = hmac_update(mc->hmac, data, len)) != 0 ||
	    (r = hmac_final(mc->hmac, d, dlen)) != 0)
		return r;
	return 0;
}

int
mac_compute(struct mac_ctx *mc, uint32_t seqnr, const u_char *data,
    size_t len, u_char *out, size_t outlen)
{
	u_char d[DIGEST_MAX_LENGTH];
	int r = ERR_INTERNAL;

	if (mc == NULL || (data == NULL && len != 0) || out == NULL ||
	    outlen < mc->alg->tag_len)
		return ERR_INVALID_ARGUMENT;
	if ((r = mac_run(mc, seqnr, data, len, d, sizeof(d))) != 0)
		goto out;
	memcpy(out, d, mc->alg->tag_len);
	r = 0;
 out:
	explicit_bzero(d, sizeof(d));
	return r;
}

int
mac_check(struct mac_ctx *mc, uint32_t seqnr, const u_char *data,
    size_t len, const u_char *tag, size_t taglen)
{
	u_char d[DIGEST_MAX_LENGTH];
	int r = ERR_INTERNAL;

	if (mc == NULL || (data == NULL && len != 0) || tag == NULL)
		return ERR_INVALID_ARGUMENT;
	if (taglen != mc->alg->tag_len)
		return ERR_MAC_INVALID;
	if ((r = mac_run(mc, seqnr, data, len, d, sizeof(d))) != 0)
		goto out;
	r = timingsafe_bcmp(d, tag, taglen) == 0 ? 0 : ERR_MAC_INVALID;
 out:
	explicit_bzero(d, sizeof(d));
	return r;
}

const struct mac_alg *
mac_ctx_alg(const struct mac_ctx *mc)
{
	return mc == NULL ? NULL : mc->alg;
}

void
mac_free(struct mac_ctx *mc)
{
	if (mc == NULL)
		return;
	hmac_free(mc->hmac);
	freezero(mc->key, mc->keylen + 1);
	freezero(mc, sizeof(*mc));
}
