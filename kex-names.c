/*
 * kex-names.c: the transport's algorithm names, their defaults and
 * listings (kex-names.h), and the table of key exchange methods.
 */
#include "includes.h"

#include <openssl/obj_mac.h>

#include "cipher.h"
#include "digest.h"
#include "errcode.h"
#include "kex-impl.h"
#include "kex-names.h"
#include "key.h"
#include "mac.h"
#include "match.h"

/* In the order `ssh -Q kex` lists them. */
static const struct kex_method methods[] = {
	{ "diffie-hellman-group14-sha256", DIGEST_SHA256, KEX_KIND_ONE_RT,
	    &kex_dh_ops, KEX_DH_GROUP14 },
	{ "diffie-hellman-group16-sha512", DIGEST_SHA512, KEX_KIND_ONE_RT,
	    &kex_dh_ops, KEX_DH_GROUP16 },
	{ "diffie-hellman-group18-sha512", DIGEST_SHA512, KEX_KIND_ONE_RT,
	    &kex_dh_ops, KEX_DH_GROUP18 },
	{ "diffie-hellman-group-exchange-sha256", DIGEST_SHA256,
	    KEX_KIND_GEX, &kex_dh_ops, 0 },
	{ "ecdh-sha2-nistp256", DIGEST_SHA256, KEX_KIND_ONE_RT,
	    &kex_ecdh_ops, NID_X9_62_prime256v1 },
	{ "ecdh-sha2-nistp384", DIGEST_SHA384, KEX_KIND_ONE_RT,
	    &kex_ecdh_ops, NID_secp384r1 },
	{ "ecdh-sha2-nistp521", DIGEST_SHA512, KEX_KIND_ONE_RT,
	    &kex_ecdh_ops, NID_secp521r1 },
	{ "curve25519-sha256", DIGEST_SHA256, KEX_KIND_ONE_RT,
	    &kex_c25519_ops, 0 },
	{ "curve25519-sha256@libssh.org", DIGEST_SHA256, KEX_KIND_ONE_RT,
	    &kex_c25519_ops, 0 },
	/*
	 * The seam for the post-quantum hybrids: "mlkem768x25519-sha256"
	 * (DIGEST_SHA256) and "sntrup761x25519-sha512" (DIGEST_SHA512), both
	 * KEX_KIND_ONE_RT with their own kex_ops whose shared secret is a
	 * string, go here and in KEX_DEFAULT_KEX.
	 */
};
#define NMETHODS	(sizeof(methods) / sizeof(methods[0]))

/* Host key / signature algorithms, in listing order. */
static const struct {
	const char *name;
	enum key_type type;
	int nid;
} hostkey_algs[] = {
	{ "ssh-ed25519", KEY_ED25519, -1 },
	{ "ecdsa-sha2-nistp256", KEY_ECDSA, NID_X9_62_prime256v1 },
	{ "ecdsa-sha2-nistp384", KEY_ECDSA, NID_secp384r1 },
	{ "ecdsa-sha2-nistp521", KEY_ECDSA, NID_secp521r1 },
	{ "rsa-sha2-512", KEY_RSA, -1 },
	{ "rsa-sha2-256", KEY_RSA, -1 },
	{ "ssh-rsa", KEY_RSA, -1 },
};
#define NHOSTKEY_ALGS	(sizeof(hostkey_algs) / sizeof(hostkey_algs[0]))

static const char *const comp_names[] = {
	"none", "zlib@openssh.com", "zlib"
};
#define NCOMP	(sizeof(comp_names) / sizeof(comp_names[0]))

const struct kex_method *
kex_method_by_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < NMETHODS; i++) {
		if (strcmp(methods[i].name, name) == 0)
			return &methods[i];
	}
	return NULL;
}

int
kex_names_kex_hash(const char *name)
{
	const struct kex_method *m = kex_method_by_name(name);

	return m == NULL ? -1 : m->hash_alg;
}

int
kex_names_hostkey_type(const char *alg, int *typep, int *nidp)
{
	size_t i;

	*typep = KEY_UNSPEC;
	*nidp = -1;
	if (alg == NULL)
		return ERR_INVALID_ARGUMENT;
	for (i = 0; i < NHOSTKEY_ALGS; i++) {
		if (strcmp(hostkey_algs[i].name, alg) == 0) {
			*typep = hostkey_algs[i].type;
			*nidp = hostkey_algs[i].nid;
			return 0;
		}
	}
	return ERR_KEY_TYPE_UNKNOWN;
}

/* The n-th name of a kind, NULL past the end. */
static const char *
nth_name(enum kex_names_kind kind, size_t n)
{
	switch (kind) {
	case KEX_NAMES_KEX:
		return n < NMETHODS ? methods[n].name : NULL;
	case KEX_NAMES_HOSTKEY:
		return n < NHOSTKEY_ALGS ? hostkey_algs[n].name : NULL;
	case KEX_NAMES_COMPRESSION:
		return n < NCOMP ? comp_names[n] : NULL;
	default:
		return NULL;
	}
}

/* The AEAD ciphers, from cipher.h's own list. */
static char *
cipher_auth_list(char sep)
{
	char *all = NULL, *cp, *tok, *out = NULL;
	size_t len, used = 0;
	const struct cipher *c;

	if ((all = cipher_alg_list(',')) == NULL)
		return NULL;
	len = strlen(all) + 1;
	if ((out = calloc(1, len)) == NULL)
		goto out;
	for (cp = all; (tok = strsep(&cp, ",")) != NULL;) {
		if ((c = cipher_by_name(tok)) == NULL || !cipher_is_aead(c))
			continue;
		if (used > 0)
			out[used++] = sep;
		strlcpy(out + used, tok, len - used);
		used += strlen(tok);
	}
 out:
	free(all);
	return out;
}

char *
kex_names_list(enum kex_names_kind kind, char sep)
{
	const char *name;
	char *ret;
	size_t n, len = 1, used = 0;

	if (kind == KEX_NAMES_CIPHER)
		return cipher_alg_list(sep);
	if (kind == KEX_NAMES_MAC)
		return mac_alg_list(sep);
	if (kind == KEX_NAMES_CIPHER_AUTH)
		return cipher_auth_list(sep);
	for (n = 0; (name = nth_name(kind, n)) != NULL; n++)
		len += strlen(name) + 1;
	if ((ret = calloc(1, len)) == NULL)
		return NULL;
	for (n = 0; (name = nth_name(kind, n)) != NULL; n++) {
		if (n > 0)
			ret[used++] = sep;
		strlcpy(ret + used, name, len - used);
		used += strlen(name);
	}
	return ret;
}

const char *
kex_names_default(enum kex_names_kind kind)
{
	switch (kind) {
	case KEX_NAMES_KEX:
		return KEX_DEFAULT_KEX;
	case KEX_NAMES_HOSTKEY:
		return KEX_DEFAULT_HOSTKEY;
	case KEX_NAMES_CIPHER:
	case KEX_NAMES_CIPHER_AUTH:
		return KEX_DEFAULT_CIPHERS;
	case KEX_NAMES_MAC:
		return KEX_DEFAULT_MACS;
	case KEX_NAMES_COMPRESSION:
		return KEX_DEFAULT_COMP_CLIENT;
	}
	return NULL;
}

int
kex_names_valid(enum kex_names_kind kind, const char *name)
{
	const struct cipher *c;
	const char *n;
	size_t i;

	if (name == NULL || *name == '\0')
		return 0;
	switch (kind) {
	case KEX_NAMES_CIPHER:
		return cipher_by_name(name) != NULL &&
		    strcmp(name, "none") != 0;
	case KEX_NAMES_CIPHER_AUTH:
		return (c = cipher_by_name(name)) != NULL && cipher_is_aead(c);
	case KEX_NAMES_MAC:
		return mac_by_name(name) != NULL;
	default:
		for (i = 0; (n = nth_name(kind, i)) != NULL; i++) {
			if (strcmp(n, name) == 0)
				return 1;
		}
		return 0;
	}
}

int
kex_names_list_valid(enum kex_names_kind kind, const char *names)
{
	char *copy, *cp, *tok;
	int ok = 1;

	if (names == NULL || *names == '\0')
		return 0;
	if ((copy = strdup(names)) == NULL)
		return 0;
	for (cp = copy; (tok = strsep(&cp, ",")) != NULL;) {
		if (!kex_names_valid(kind, tok)) {
			ok = 0;
			break;
		}
	}
	free(copy);
	return ok;
}

int
kex_names_assemble(enum kex_names_kind kind, const char *defaults,
    const char *spec, char **retp)
{
	char *all = NULL;
	int r;

	*retp = NULL;
	if (defaults == NULL)
		defaults = kex_names_default(kind);
	if ((all = kex_names_list(kind, ',')) == NULL)
		return ERR_ALLOC_FAIL;
	r = match_filter_list(defaults, spec, all, retp);
	free(all);
	return r;
}
