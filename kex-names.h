/*
 * kex-names.h: the one place for transport algorithm names, the default
 * lists (DESIGN.md section 5, post-quantum hybrids still to come) and the
 * `ssh -Q` style listings.
 *
 * Lists are comma-separated strings in order of preference.  Functions
 * returning char * hand back a new string (NULL when memory ran out).
 */
#ifndef KEEL_KEX_NAMES_H
#define KEEL_KEX_NAMES_H

#include <sys/types.h>

/* Defaults: what ssh and sshd offer when nothing is configured. */
#define KEX_DEFAULT_KEX \
	"curve25519-sha256," \
	"curve25519-sha256@libssh.org," \
	"ecdh-sha2-nistp256," \
	"ecdh-sha2-nistp384," \
	"ecdh-sha2-nistp521," \
	"diffie-hellman-group-exchange-sha256," \
	"diffie-hellman-group16-sha512," \
	"diffie-hellman-group18-sha512," \
	"diffie-hellman-group14-sha256"
#define KEX_DEFAULT_HOSTKEY \
	"ssh-ed25519," \
	"ecdsa-sha2-nistp256," \
	"ecdsa-sha2-nistp384," \
	"ecdsa-sha2-nistp521," \
	"rsa-sha2-512," \
	"rsa-sha2-256"
#define KEX_DEFAULT_CIPHERS \
	"chacha20-poly1305@openssh.com," \
	"aes128-gcm@openssh.com," \
	"aes256-gcm@openssh.com," \
	"aes128-ctr," \
	"aes192-ctr," \
	"aes256-ctr"
#define KEX_DEFAULT_MACS \
	"hmac-sha2-256-etm@openssh.com," \
	"hmac-sha2-512-etm@openssh.com," \
	"hmac-sha1-etm@openssh.com," \
	"hmac-sha2-256," \
	"hmac-sha2-512," \
	"hmac-sha1"
/* Compression: ssh without -C, ssh -C (Compression yes), sshd. */
#define KEX_DEFAULT_COMP_CLIENT		"none"
#define KEX_DEFAULT_COMP_CLIENT_ON	"zlib@openssh.com,zlib,none"
#define KEX_DEFAULT_COMP_SERVER		"none,zlib@openssh.com"
/* What sshd announces in EXT_INFO server-sig-algs by default. */
#define KEX_DEFAULT_SIG_ALGS \
	"ssh-ed25519," \
	"ecdsa-sha2-nistp256," \
	"ecdsa-sha2-nistp384," \
	"ecdsa-sha2-nistp521," \
	"rsa-sha2-512," \
	"rsa-sha2-256"

/* What a listing or check is about. */
enum kex_names_kind {
	KEX_NAMES_KEX,		/* key exchange methods */
	KEX_NAMES_HOSTKEY,	/* host key / signature algorithms */
	KEX_NAMES_CIPHER,	/* ciphers (cipher.h) */
	KEX_NAMES_CIPHER_AUTH,	/* the AEAD ones among them */
	KEX_NAMES_MAC,		/* MACs (mac.h) */
	KEX_NAMES_COMPRESSION
};

/* Every supported name of a kind, in listing order, joined by sep. */
char *kex_names_list(enum kex_names_kind kind, char sep);
/* The default list of a kind (client's compression default). */
const char *kex_names_default(enum kex_names_kind kind);
/* 1 if name is a supported name of that kind. */
int kex_names_valid(enum kex_names_kind kind, const char *name);
/*
 * 1 if names is a non-empty comma list of supported names of that kind
 * with no empty entries, else 0.
 */
int kex_names_list_valid(enum kex_names_kind kind, const char *names);
/*
 * A config value (KexAlgorithms, Ciphers, MACs, HostKeyAlgorithms with
 * their +, -, ^ forms: match_filter_list()) applied to defaults (NULL:
 * the kind's defaults); *retp is a new list.
 */
int kex_names_assemble(enum kex_names_kind kind, const char *defaults,
    const char *spec, char **retp) must_check;

/* Host key algorithm helpers. */
/* The key type a host key / signature algorithm name uses, with the
 * curve for ECDSA (-1 when not ECDSA); 0 or ERR_KEY_TYPE_UNKNOWN. */
int kex_names_hostkey_type(const char *alg, int *typep, int *nidp)
    must_check;

/* The hash (DIGEST_*) of a KEX method; -1 if unknown. */
int kex_names_kex_hash(const char *name);

#endif /* KEEL_KEX_NAMES_H */
