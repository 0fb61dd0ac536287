/*
 * conf-algs.c: the algorithm lists config files choose from.
 *
 * The names and default lists live in one place, the transport's
 * kex-names.c; this maps the config keywords onto its kinds.
 * PubkeyAcceptedAlgorithms, HostbasedAcceptedAlgorithms and
 * CASignatureAlgorithms name signature algorithms, which are the host
 * key algorithms.
 */
#include "includes.h"

#include "conf.h"
#include "errcode.h"
#include "kex-names.h"

static enum kex_names_kind
kind_of(enum conf_alg_kind kind)
{
	switch (kind) {
	case CONF_ALG_KEX:
		return KEX_NAMES_KEX;
	case CONF_ALG_CIPHER:
		return KEX_NAMES_CIPHER;
	case CONF_ALG_MAC:
		return KEX_NAMES_MAC;
	case CONF_ALG_HOSTKEY:
	case CONF_ALG_PUBKEY:
	case CONF_ALG_CASIG:
		break;
	}
	return KEX_NAMES_HOSTKEY;
}

const char *
conf_alg_defaults(enum conf_alg_kind kind)
{
	if (kind == CONF_ALG_CASIG)
		return KEX_DEFAULT_SIG_ALGS;
	return kex_names_default(kind_of(kind));
}

int
conf_alg_resolve(enum conf_alg_kind kind, const char *spec, char **retp)
{
	if (retp == NULL)
		return ERR_INVALID_ARGUMENT;
	*retp = NULL;
	return kex_names_assemble(kind_of(kind), conf_alg_defaults(kind),
	    spec, retp);
}
