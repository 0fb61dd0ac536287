/*
 * key.c: SSH keys (key.h): names, life cycle, public blobs, text forms,
 * private parts and signature framing.
 *
 * The algorithms live behind struct key_ops (key-impl.h); this file reads
 * and writes the type name that starts every blob and dispatches the rest.
 */
#include "includes.h"

#include <strings.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/params.h>

#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "key-impl.h"

/* One key type name as it starts a public blob. */
struct key_impl {
	const char *name;	/* "ecdsa-sha2-nistp256" */
	const char *shortname;	/* "ECDSA" */
	enum key_type type;
	int nid;		/* ECDSA curve, -1 otherwise */
	const char *sigalg;	/* default signature algorithm */
	const struct key_ops *ops;
};

static const struct key_impl key_impls[] = {
	{ "ssh-ed25519", "ED25519", KEY_ED25519, -1, "ssh-ed25519",
	    &key_ed25519_ops },
	{ "ecdsa-sha2-nistp256", "ECDSA", KEY_ECDSA, NID_X9_62_prime256v1,
	    "ecdsa-sha2-nistp256", &key_ecdsa_ops },
	{ "ecdsa-sha2-nistp384", "ECDSA", KEY_ECDSA, NID_secp384r1,
	    "ecdsa-sha2-nistp384", &key_ecdsa_ops },
	{ "ecdsa-sha2-nistp521", "ECDSA", KEY_ECDSA, NID_secp521r1,
	    "ecdsa-sha2-nistp521", &key_ecdsa_ops },
	{ "ssh-rsa", "RSA", KEY_RSA, -1, "rsa-sha2-512", &key_rsa_ops },
};
#define NKEY_IMPLS	(sizeof(key_impls) / sizeof(key_impls[0]))

/* RFC 8709, RFC 5656 6.2.1, RFC 8332 3, RFC 4253 6.6. */
static const struct key_sigalg key_sigalgs[] = {
	{ "ssh-ed25519", KEY_ED25519, -1, NULL, 0 },
	{ "ecdsa-sha2-nistp256", KEY_ECDSA, NID_X9_62_prime256v1,
	    EVP_sha256, 0 },
	{ "ecdsa-sha2-nistp384", KEY_ECDSA, NID_secp384r1, EVP_sha384, 0 },
	{ "ecdsa-sha2-nistp521", KEY_ECDSA, NID_secp521r1, EVP_sha512, 0 },
	{ "rsa-sha2-512", KEY_RSA, -1, EVP_sha512, 0 },
	{ "rsa-sha2-256", KEY_RSA, -1, EVP_sha256, 0 },
	{ "ssh-rsa", KEY_RSA, -1, EVP_sha1, 1 },
};
#define NKEY_SIGALGS	(sizeof(key_sigalgs) / sizeof(key_sigalgs[0]))

/* ------------------------------------------------------ lookups */

static const struct key_impl *
impl_by_name(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < NKEY_IMPLS; i++) {
		if (strcmp(key_impls[i].name, name) == 0)
			return &key_impls[i];
	}
	return NULL;
}

static const struct key_impl *
impl_by_type(enum key_type type, int nid)
{
	size_t i;

	for (i = 0; i < NKEY_IMPLS; i++) {
		if (key_impls[i].type == type && key_impls[i].nid == nid)
			return &key_impls[i];
	}
	return NULL;
}

static const struct key_impl *
impl_of(const struct key *k)
{
	return k == NULL ? NULL : impl_by_type(k->type, k->nid);
}

static const struct key_sigalg *
sigalg_by_name(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < NKEY_SIGALGS; i++) {
		if (strcmp(key_sigalgs[i].name, name) == 0)
			return &key_sigalgs[i];
	}
	return NULL;
}

/* 1 if signature algorithm sa can be used with key k. */
static int
sigalg_fits(const struct key_sigalg *sa, const struct key *k)
{
	return sa->type == k->type && (sa->nid == -1 || sa->nid == k->nid);
}

/* ------------------------------------------------------ names */

enum key_type
key_type_from_name(const char *name)
{
	const struct key_impl *impl;
	const struct key_sigalg *sa;

	if ((impl = impl_by_name(name)) != NULL)
		return impl->type;
	if ((sa = sigalg_by_name(name)) != NULL)
		return sa->type;
	return KEY_UNSPEC;
}

enum key_type
key_type_from_shortname(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < NKEY_IMPLS; i++) {
		if (strcasecmp(key_impls[i].shortname, name) == 0)
			return key_impls[i].type;
	}
	return KEY_UNSPEC;
}

int
key_ecdsa_nid_from_name(const char *name)
{
	const struct key_impl *impl = impl_by_name(name);
	const struct key_sigalg *sa = sigalg_by_name(name);

	if (impl != NULL && impl->type == KEY_ECDSA)
		return impl->nid;
	if (sa != NULL && sa->type == KEY_ECDSA)
		return sa->nid;
	return -1;
}

int
key_ecdsa_nid_from_bits(unsigned int bits)
{
	size_t i;

	for (i = 0; i < NKEY_IMPLS; i++) {
		if (key_impls[i].type == KEY_ECDSA &&
		    key_ecdsa_curve_bits(key_impls[i].nid) == bits)
			return key_impls[i].nid;
	}
	return -1;
}

const char *
key_type_name(const struct key *k)
{
	const struct key_impl *impl = impl_of(k);

	return impl == NULL ? "unknown" : impl->name;
}

const char *
key_type_short(const struct key *k)
{
	const struct key_impl *impl = impl_of(k);

	return impl == NULL ? "unknown" : impl->shortname;
}

enum key_type
key_type(const struct key *k)
{
	return k == NULL ? KEY_UNSPEC : k->type;
}

int
key_ecdsa_nid(const struct key *k)
{
	return (k == NULL || k->type != KEY_ECDSA) ? -1 : k->nid;
}

unsigned int
key_size(const struct key *k)
{
	const struct key_impl *impl = impl_of(k);

	return (impl == NULL || k->pkey == NULL) ? 0 : impl->ops->size(k);
}

int
key_is_private(const struct key *k)
{
	return k != NULL && k->is_private;
}

const char *
key_alg_list(void)
{
	static char list[256];
	size_t i;

	if (list[0] != '\0')
		return list;
	for (i = 0; i < NKEY_SIGALGS; i++) {
		if (i != 0)
			strlcat(list, ",", sizeof(list));
		strlcat(list, key_sigalgs[i].name, sizeof(list));
	}
	return list;
}

const char *
key_default_sig_alg(const struct key *k)
{
	const struct key_impl *impl = impl_of(k);

	return impl == NULL ? NULL : impl->sigalg;
}

/* ------------------------------------------------------ helpers */

int
key_crypto_error(void)
{
	ERR_clear_error();
	return ERR_LIBCRYPTO_ERROR;
}

int
key_evp_fromdata(const char *type, int selection, const OSSL_PARAM *params,
    EVP_PKEY **pkeyp)
{
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	int r = ERR_INTERNAL;

	*pkeyp = NULL;
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, selection,
	    (OSSL_PARAM *)params) != 1) {
		r = key_crypto_error();
		goto out;
	}
	*pkeyp = pkey;
	pkey = NULL;
	r = 0;
 out:
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	return r;
}

int
key_evp_get_bn(const struct key *k, const char *param, BIGNUM **bnp)
{
	*bnp = NULL;
	if (EVP_PKEY_get_bn_param(k->pkey, param, bnp) != 1) {
		*bnp = NULL;
		return key_crypto_error();
	}
	return 0;
}

void
key_bn_mark_secret(BIGNUM *bn)
{
	if (bn != NULL)
		BN_set_flags(bn, BN_FLG_SECURE);
}

int
key_evp_has_bn(EVP_PKEY *pkey, const char *param)
{
	BIGNUM *bn = NULL;
	int ret;

	ret = EVP_PKEY_get_bn_param(pkey, param, &bn) == 1;
	BN_clear_free(bn);
	ERR_clear_error();
	return ret;
}

int
key_evp_sign(EVP_PKEY *pkey, const EVP_MD *md, const u_char *data,
    size_t dlen, u_char **sigp, size_t *siglenp)
{
	EVP_MD_CTX *mctx = NULL;
	u_char *sig = NULL;
	size_t slen = 0;
	int r = ERR_INTERNAL;

	*sigp = NULL;
	*siglenp = 0;
	if (data == NULL)
		data = (const u_char *)"";
	if ((mctx = EVP_MD_CTX_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if (EVP_DigestSignInit(mctx, NULL, md, NULL, pkey) != 1 ||
	    EVP_DigestSign(mctx, NULL, &slen, data, dlen) != 1) {
		r = key_crypto_error();
		goto out;
	}
	if ((sig = calloc(1, slen)) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if (EVP_DigestSign(mctx, sig, &slen, data, dlen) != 1) {
		r = key_crypto_error();
		goto out;
	}
	*sigp = sig;
	*siglenp = slen;
	sig = NULL;
	r = 0;
 out:
	free(sig);
	EVP_MD_CTX_free(mctx);
	return r;
}

int
key_evp_sign_put(EVP_PKEY *pkey, const EVP_MD *md, const u_char *data,
    size_t dlen, size_t want, struct buf *sig)
{
	u_char *raw = NULL;
	size_t rawlen = 0;
	int r = ERR_INTERNAL;

	if ((r = key_evp_sign(pkey, md, data, dlen, &raw, &rawlen)) != 0)
		return r;
	if (rawlen != want)
		r = ERR_INTERNAL;
	else
		r = buf_put(sig, raw, rawlen);
	free(raw);
	return r;
}

int
key_evp_verify(EVP_PKEY *pkey, const EVP_MD *md, const u_char *sig,
    size_t siglen, const u_char *data, size_t dlen)
{
	EVP_MD_CTX *mctx = NULL;
	int r = ERR_INTERNAL;

	if (data == NULL)
		data = (const u_char *)"";
	if ((mctx = EVP_MD_CTX_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if (EVP_DigestVerifyInit(mctx, NULL, md, NULL, pkey) != 1) {
		r = key_crypto_error();
		goto out;
	}
	/* Any answer but 1 (including OpenSSL's parse errors) is "bad". */
	if (EVP_DigestVerify(mctx, sig, siglen, data, dlen) != 1) {
		ERR_clear_error();
		r = ERR_SIGNATURE_INVALID;
		goto out;
	}
	r = 0;
 out:
	EVP_MD_CTX_free(mctx);
	return r;
}

/* The contents of b as a new allocation. */
static int
buf_to_mem(const struct buf *b, u_char **pp, size_t *lenp)
{
	u_char *p;
	size_t len = buf_len(b);

	*pp = NULL;
	*lenp = 0;
	if ((p = malloc(len == 0 ? 1 : len)) == NULL)
		return ERR_ALLOC_FAIL;
	if (len != 0)
		memcpy(p, buf_ptr(b), len);
	*pp = p;
	*lenp = len;
	return 0;
}

static struct key *
key_new(const struct key_impl *impl)
{
	struct key *k;

	if ((k = calloc(1, sizeof(*k))) == NULL)
		return NULL;
	k->type = impl->type;
	k->nid = impl->nid;
	return k;
}

/* ------------------------------------------------------ life */

void
key_free(struct key *k)
{
	if (k == NULL)
		return;
	/* OpenSSL clears private key material when it frees it. */
	EVP_PKEY_free(k->pkey);
	freezero(k, sizeof(*k));
}

int
key_generate(enum key_type type, unsigned int bits, struct key **kp)
{
	const struct key_impl *impl;
	struct key *k = NULL;
	int nid = -1, r = ERR_INTERNAL;

	*kp = NULL;
	if (type == KEY_ECDSA) {
		if (bits == 0)
			bits = KEY_ECDSA_DEFAULT_BITS;
		if ((nid = key_ecdsa_nid_from_bits(bits)) == -1)
			return ERR_KEY_LENGTH;
	}
	if ((impl = impl_by_type(type, nid)) == NULL)
		return ERR_KEY_TYPE_UNKNOWN;
	if ((k = key_new(impl)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = impl->ops->generate(k, bits)) != 0)
		goto out;
	k->is_private = 1;
	*kp = k;
	k = NULL;
	r = 0;
 out:
	key_free(k);
	return r;
}

int
key_demote(const struct key *k, struct key **pubp)
{
	u_char *blob = NULL;
	size_t len = 0;
	int r = ERR_INTERNAL;

	*pubp = NULL;
	if ((r = key_to_blob(k, &blob, &len)) != 0)
		return r;
	r = key_from_blob(blob, len, pubp);
	free(blob);
	return r;
}

int
key_equal_public(const struct key *a, const struct key *b)
{
	u_char *ablob = NULL, *bblob = NULL;
	size_t alen = 0, blen = 0;
	int ret = 0;

	if (a == NULL || b == NULL || a->type != b->type || a->nid != b->nid)
		return 0;
	/* The blob is a canonical encoding of exactly the public material. */
	if (key_to_blob(a, &ablob, &alen) != 0 ||
	    key_to_blob(b, &bblob, &blen) != 0)
		goto out;
	ret = alen == blen && memcmp(ablob, bblob, alen) == 0;
 out:
	free(ablob);
	free(bblob);
	return ret;
}

int
key_from_evp(EVP_PKEY *pkey, struct key **kp)
{
	const struct key_impl *impl;
	struct key *k = NULL;
	enum key_type type;
	int r = ERR_INTERNAL;

	*kp = NULL;
	if (pkey == NULL)
		return ERR_INVALID_ARGUMENT;
	switch (EVP_PKEY_get_base_id(pkey)) {
	case EVP_PKEY_RSA:
		type = KEY_RSA;
		break;
	case EVP_PKEY_EC:
		type = KEY_ECDSA;
		break;
	case EVP_PKEY_ED25519:
		type = KEY_ED25519;
		break;
	default:
		return ERR_KEY_TYPE_UNKNOWN;
	}
	/* Any impl of the type will do: check_evp sets the curve. */
	if ((impl = impl_by_type(type, type == KEY_ECDSA ?
	    NID_X9_62_prime256v1 : -1)) == NULL)
		return ERR_INTERNAL;
	if ((k = key_new(impl)) == NULL)
		return ERR_ALLOC_FAIL;
	if (EVP_PKEY_up_ref(pkey) != 1) {
		r = key_crypto_error();
		goto out;
	}
	k->pkey = pkey;
	if ((r = impl->ops->check_evp(k)) != 0)
		goto out;
	*kp = k;
	k = NULL;
	r = 0;
 out:
	key_free(k);
	return r;
}

EVP_PKEY *
key_evp(const struct key *k)
{
	return k == NULL ? NULL : k->pkey;
}

/* ------------------------------------------------------ public blobs */

int
key_putb(const struct key *k, struct buf *b)
{
	const struct key_impl *impl = impl_of(k);
	int r = ERR_INTERNAL;

	if (impl == NULL || k->pkey == NULL || b == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((r = buf_put_cstring(b, impl->name)) != 0 ||
	    (r = impl->ops->put_public(k, b)) != 0)
		return r;
	return 0;
}

int
key_puts(const struct key *k, struct buf *b)
{
	struct buf *tmp = NULL;
	int r = ERR_INTERNAL;

	if (b == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((tmp = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = key_putb(k, tmp)) != 0 ||
	    (r = buf_put_stringb(b, tmp)) != 0)
		goto out;
	r = 0;
 out:
	buf_free(tmp);
	return r;
}

int
key_to_blob(const struct key *k, u_char **blobp, size_t *lenp)
{
	struct buf *b = NULL;
	int r = ERR_INTERNAL;

	*blobp = NULL;
	*lenp = 0;
	if ((b = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = key_putb(k, b)) != 0 ||
	    (r = buf_to_mem(b, blobp, lenp)) != 0)
		goto out;
	r = 0;
 out:
	buf_free(b);
	return r;
}

/*
 * Read the key type name at the front of b: *implp gets its algorithm and
 * *kp a new key of that type with nothing in it yet.
 */
static int
key_new_by_name(struct buf *b, const struct key_impl **implp,
    struct key **kp)
{
	const struct key_impl *impl;
	char *name = NULL;
	int r = ERR_INTERNAL;

	*implp = NULL;
	*kp = NULL;
	if ((r = buf_get_cstring(b, &name, NULL)) != 0)
		goto out;
	if ((impl = impl_by_name(name)) == NULL) {
		r = ERR_KEY_TYPE_UNKNOWN;
		goto out;
	}
	if ((*kp = key_new(impl)) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	*implp = impl;
	r = 0;
 out:
	free(name);
	return r;
}

/* Parse one public blob from the front of b (trailing bytes allowed). */
static int
key_parse_public(struct buf *b, struct key **kp)
{
	const struct key_impl *impl;
	struct key *k = NULL;
	int r = ERR_INTERNAL;

	*kp = NULL;
	if ((r = key_new_by_name(b, &impl, &k)) != 0 ||
	    (r = impl->ops->get_public(k, b)) != 0)
		goto out;
	*kp = k;
	k = NULL;
	r = 0;
 out:
	key_free(k);
	return r;
}

int
key_from_blob(const u_char *blob, size_t len, struct key **kp)
{
	struct buf *b = NULL;
	struct key *k = NULL;
	int r = ERR_INTERNAL;

	*kp = NULL;
	if (blob == NULL && len != 0)
		return ERR_INVALID_ARGUMENT;
	if ((b = buf_from(blob, len)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = key_parse_public(b, &k)) != 0)
		goto out;
	if (buf_len(b) != 0) {
		r = ERR_UNEXPECTED_TRAILING_DATA;
		goto out;
	}
	*kp = k;
	k = NULL;
	r = 0;
 out:
	key_free(k);
	buf_free(b);
	return r;
}

int
key_fromb(struct buf *b, struct key **kp)
{
	int r = ERR_INTERNAL;

	*kp = NULL;
	if (b == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((r = key_from_blob(buf_ptr(b), buf_len(b), kp)) != 0)
		return r;
	if ((r = buf_consume(b, buf_len(b))) != 0) {
		key_free(*kp);
		*kp = NULL;
		return r;
	}
	return 0;
}

int
key_froms(struct buf *b, struct key **kp)
{
	const u_char *blob;
	size_t len;
	int r = ERR_INTERNAL;

	*kp = NULL;
	if (b == NULL)
		return ERR_INVALID_ARGUMENT;
	/* Peek first so that nothing is consumed on failure. */
	if ((r = buf_peek_string_direct(b, &blob, &len)) != 0 ||
	    (r = key_from_blob(blob, len, kp)) != 0)
		return r;
	if ((r = buf_get_string_direct(b, NULL, NULL)) != 0) {
		key_free(*kp);
		*kp = NULL;
		return r;
	}
	return 0;
}

/* ------------------------------------------------------ text forms */

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * The next white-space-delimited field at *pp as a new string; *pp moves
 * past it.  NULL (with *rp set) if there is none or memory ran out.
 */
static char *
next_field(const char **pp, int *rp)
{
	const char *p = *pp, *start;
	char *s;

	while (is_blank(*p))
		p++;
	for (start = p; *p != '\0' && !is_blank(*p); p++)
		;
	if (p == start) {
		*rp = ERR_INVALID_FORMAT;
		return NULL;
	}
	if ((s = strndup(start, (size_t)(p - start))) == NULL) {
		*rp = ERR_ALLOC_FAIL;
		return NULL;
	}
	*pp = p;
	return s;
}

/* The rest of a line with surrounding white space trimmed, or NULL if
 * nothing is left (*rp tells that from an allocation failure). */
static char *
trimmed_rest(const char *p, int *rp)
{
	const char *end = p + strlen(p);
	char *s;

	*rp = 0;
	while (p < end && is_blank(*p))
		p++;
	while (end > p && is_blank(end[-1]))
		end--;
	if (p == end)
		return NULL;
	if ((s = strndup(p, (size_t)(end - p))) == NULL)
		*rp = ERR_ALLOC_FAIL;
	return s;
}

int
key_read_public_line(const char *line, struct key **kp, char **commentp,
    const char **endp)
{
	struct buf *blob = NULL;
	struct key *k = NULL;
	const char *p = line;
	char *tname = NULL, *b64 = NULL, *comment = NULL;
	int r = ERR_INTERNAL;

	*kp = NULL;
	if (commentp != NULL)
		*commentp = NULL;
	if (line == NULL)
		return ERR_INVALID_ARGUMENT;
	/* "type base64 [comment]" */
	if ((tname = next_field(&p, &r)) == NULL)
		goto out;
	if (impl_by_name(tname) == NULL) {
		r = ERR_KEY_TYPE_UNKNOWN;
		goto out;
	}
	if ((b64 = next_field(&p, &r)) == NULL)
		goto out;
	if ((blob = buf_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_b64tod(blob, b64)) != 0 ||
	    (r = key_fromb(blob, &k)) != 0)
		goto out;
	if (strcmp(key_type_name(k), tname) != 0) {
		r = ERR_KEY_TYPE_MISMATCH;
		goto out;
	}
	if (commentp != NULL) {
		if ((comment = trimmed_rest(p, &r)) == NULL && r != 0)
			goto out;
		*commentp = comment;
	}
	if (endp != NULL)
		*endp = p;
	*kp = k;
	k = NULL;
	r = 0;
 out:
	free(tname);
	free(b64);
	buf_free(blob);
	key_free(k);
	return r;
}

int
key_format_public(const struct key *k, char **linep)
{
	struct buf *blob = NULL;
	char *b64 = NULL, *line = NULL;
	size_t len;
	int r = ERR_INTERNAL;

	*linep = NULL;
	if ((blob = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = key_putb(k, blob)) != 0)
		goto out;
	if ((b64 = buf_dtob64_string(blob, 0)) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	len = strlen(key_type_name(k)) + 1 + strlen(b64) + 1;
	if ((line = malloc(len)) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	snprintf(line, len, "%s %s", key_type_name(k), b64);
	*linep = line;
	r = 0;
 out:
	free(b64);
	buf_free(blob);
	return r;
}

/* ------------------------------------------------------ private parts */

int
key_private_serialize(const struct key *k, struct buf *b)
{
	const struct key_impl *impl = impl_of(k);
	int r = ERR_INTERNAL;

	if (impl == NULL || b == NULL || k->pkey == NULL)
		return ERR_INVALID_ARGUMENT;
	if (!k->is_private)
		return ERR_INVALID_ARGUMENT;
	if ((r = buf_put_cstring(b, impl->name)) != 0 ||
	    (r = impl->ops->put_private(k, b)) != 0)
		return r;
	return 0;
}

int
key_private_deserialize(struct buf *b, struct key **kp)
{
	const struct key_impl *impl;
	struct buf *view = NULL;
	struct key *k = NULL;
	int r = ERR_INTERNAL;

	*kp = NULL;
	if (b == NULL)
		return ERR_INVALID_ARGUMENT;
	/* Parse a view so that b is consumed only on success. */
	if ((view = buf_from(buf_ptr(b), buf_len(b))) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = key_new_by_name(view, &impl, &k)) != 0 ||
	    (r = impl->ops->get_private(k, view)) != 0)
		goto out;
	k->is_private = 1;
	if ((r = buf_consume(b, buf_len(b) - buf_len(view))) != 0)
		goto out;
	*kp = k;
	k = NULL;
	r = 0;
 out:
	key_free(k);
	buf_free(view);
	return r;
}

/* ------------------------------------------------------ signatures */

int
key_sign(const struct key *k, u_char **sigp, size_t *lenp,
    const u_char *data, size_t dlen, const char *alg)
{
	const struct key_impl *impl = impl_of(k);
	const struct key_sigalg *sa;
	struct buf *raw = NULL, *sig = NULL;
	int r = ERR_INTERNAL;

	*sigp = NULL;
	*lenp = 0;
	if (impl == NULL || k->pkey == NULL || (data == NULL && dlen != 0))
		return ERR_INVALID_ARGUMENT;
	if (!k->is_private)
		return ERR_INVALID_ARGUMENT;
	if (alg == NULL)
		alg = impl->sigalg;
	if ((sa = sigalg_by_name(alg)) == NULL || !sigalg_fits(sa, k))
		return ERR_SIGN_ALG_UNSUPPORTED;
	if ((raw = buf_new()) == NULL || (sig = buf_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	/* string signature-algorithm, string signature-bytes */
	if ((r = impl->ops->sign(k, sa, data, dlen, raw)) != 0 ||
	    (r = buf_put_cstring(sig, sa->name)) != 0 ||
	    (r = buf_put_stringb(sig, raw)) != 0 ||
	    (r = buf_to_mem(sig, sigp, lenp)) != 0)
		goto out;
	r = 0;
 out:
	buf_free(raw);
	buf_free(sig);
	return r;
}

/* Split a signature blob into its algorithm and raw signature bytes. */
static int
sig_parse(const u_char *sig, size_t siglen, char **algp,
    const u_char **rawp, size_t *rawlenp)
{
	struct buf *b = NULL;
	char *alg = NULL;
	int r = ERR_INTERNAL;

	*algp = NULL;
	if (sig == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((b = buf_from(sig, siglen)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = buf_get_cstring(b, &alg, NULL)) != 0 ||
	    (r = buf_get_string_direct(b, rawp, rawlenp)) != 0)
		goto out;
	if (buf_len(b) != 0) {
		r = ERR_UNEXPECTED_TRAILING_DATA;
		goto out;
	}
	*algp = alg;
	alg = NULL;
	r = 0;
 out:
	free(alg);
	buf_free(b);
	return r;
}

int
key_verify(const struct key *k, const u_char *sig, size_t siglen,
    const u_char *data, size_t dlen, const char *alg)
{
	const struct key_impl *impl = impl_of(k);
	const struct key_sigalg *sa;
	const u_char *raw = NULL;
	size_t rawlen = 0;
	char *sigalg = NULL;
	int r = ERR_INTERNAL;

	if (impl == NULL || k->pkey == NULL || (data == NULL && dlen != 0))
		return ERR_INVALID_ARGUMENT;
	if ((r = sig_parse(sig, siglen, &sigalg, &raw, &rawlen)) != 0)
		return r;
	if ((sa = sigalg_by_name(sigalg)) == NULL) {
		r = ERR_SIGN_ALG_UNSUPPORTED;
		goto out;
	}
	if (!sigalg_fits(sa, k)) {
		r = ERR_KEY_TYPE_MISMATCH;
		goto out;
	}
	if (alg != NULL && strcmp(alg, sa->name) != 0) {
		/* The caller wants one algorithm; the signer used another. */
		r = ERR_SIGNATURE_INVALID;
		goto out;
	}
	if (alg == NULL && sa->legacy) {
		/* SHA-1 RSA signatures only where explicitly allowed. */
		r = ERR_SIGN_ALG_UNSUPPORTED;
		goto out;
	}
	r = impl->ops->verify(k, sa, raw, rawlen, data, dlen);
 out:
	free(sigalg);
	return r;
}

int
key_sig_alg(const u_char *sig, size_t siglen, char **algp)
{
	const u_char *raw;
	size_t rawlen;

	return sig_parse(sig, siglen, algp, &raw, &rawlen);
}
