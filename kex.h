/*
 * kex.h: SSH key exchange (RFC 4253 sections 7-9, RFC 8308 extension
 * negotiation, OpenSSH's strict KEX).
 *
 * kex_setup() starts a connection (struct ssh from packet.h): it queues
 * our version line and, once the peer's has arrived, our KEXINIT.  From
 * then on the messages run through the handlers this module arms on the
 * connection's dispatch table: KEXINIT negotiation (first name of the
 * client's list that the server also has; guessed packets skipped when
 * the guess was wrong), the method's messages, NEWKEYS, EXT_INFO.
 * Either side may rekey later (kex_start_rekey(), or the packet layer
 * when a RekeyLimit is reached); application packets sent meanwhile wait
 * in order (packet.c).
 *
 * Host keys are reached only through callbacks, so the server's private
 * keys may live in another process (sshd's monitor) and the client's
 * known_hosts policy stays in the client.
 *
 * Methods: curve25519-sha256 (and @libssh.org), ecdh-sha2-nistp256/384/
 * 521, diffie-hellman-group14-sha256, group16-sha512, group18-sha512,
 * diffie-hellman-group-exchange-sha256.  The post-quantum hybrids plug
 * into the same one-round-trip engine (kex-impl.h).
 *
 * Unless noted, int results are 0 or a negative ERR_* code.
 */
#ifndef KEEL_KEX_H
#define KEEL_KEX_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct key;
struct kex;
struct ssh;

/* The name-lists of a KEXINIT, in wire order (RFC 4253 section 7.1). */
enum kex_proposal {
	KEX_ALGS,
	KEX_HOSTKEY_ALGS,
	KEX_ENC_C2S,
	KEX_ENC_S2C,
	KEX_MAC_C2S,
	KEX_MAC_S2C,
	KEX_COMP_C2S,
	KEX_COMP_S2C,
	KEX_LANG_C2S,
	KEX_LANG_S2C,
	KEX_PROPOSAL_MAX
};

/* Extension and strict-KEX markers in the kex_algorithms list. */
#define KEX_EXT_INFO_C		"ext-info-c"
#define KEX_EXT_INFO_S		"ext-info-s"
#define KEX_STRICT_C		"kex-strict-c-v00@openssh.com"
#define KEX_STRICT_S		"kex-strict-s-v00@openssh.com"

/* Group exchange bounds the client asks for (RFC 8270 minimum). */
#define KEX_GEX_MIN		2048
#define KEX_GEX_MAX		8192

/*
 * Server: the public host key to use for signature algorithm alg (e.g.
 * "rsa-sha2-512" gives the RSA key).  The key is borrowed and must stay
 * valid until the key exchange has ended.  ERR_NO_HOSTKEY_LOADED if none.
 */
typedef int kex_hostkey_fn(struct ssh *ssh, const char *alg,
    const struct key **pubp, void *ctx);
/*
 * Server: sign data (the exchange hash) with the private half of pub
 * using signature algorithm alg; *sigp is a new SSH signature blob.
 */
typedef int kex_sign_fn(struct ssh *ssh, const struct key *pub,
    const char *alg, const u_char *data, size_t dlen, u_char **sigp,
    size_t *siglenp, void *ctx);
/*
 * Client: accept (0) or refuse (a negative code, e.g.
 * ERR_KEY_NOT_FOUND) the server's host key, whose signature has been
 * checked already.  NULL accepts every key (tests only).
 */
typedef int kex_verify_fn(struct ssh *ssh, const struct key *hostkey,
    void *ctx);
/* After each key exchange completes (initial: the first one). */
typedef void kex_done_fn(struct ssh *ssh, int initial, void *ctx);

struct kex_callbacks {
	kex_hostkey_fn *get_hostkey;	/* server */
	kex_sign_fn *sign;		/* server */
	kex_verify_fn *verify;		/* client */
	kex_done_fn *done;		/* optional */
	void *ctx;
};

struct kex_params {
	/*
	 * Our lists, each a comma-separated list of supported names (NULL:
	 * the defaults of kex-names.h).  A server lists in hostkey_algs only
	 * algorithms it holds keys for.  The ext-info and strict-KEX markers
	 * are added here, never by the caller.
	 */
	const char *kex_algs;
	const char *hostkey_algs;
	const char *ciphers;
	const char *macs;
	const char *compression;
	/* Server: the EXT_INFO server-sig-algs value (NULL: defaults). */
	const char *server_sig_algs;
	/* Server: the moduli file for group exchange (NULL: none, use the
	 * built-in RFC 3526 groups). */
	const char *moduli_path;
	/* Server: that file's contents, read before a chroot; when set,
	 * groups come from it and moduli_path is not opened. */
	const char *moduli_text;
	/* Client: send a guessed first KEX packet (RFC 4253 7). */
	int send_guess;
	/* Client: group exchange bounds in bits (0: the defaults). */
	u_int gex_min, gex_max;
	/* RekeyLimit (see packet_set_rekey_limits()). */
	uint64_t rekey_bytes;
	uint32_t rekey_seconds;
	struct kex_callbacks cb;
	/* For tests only: KEX_TEST_* flags that break the protocol. */
	u_int test_flags;
};
#define KEX_TEST_NO_STRICT_RESET	0x01	/* keep seqnrs at NEWKEYS */
#define KEX_TEST_IGNORE_FIRST		0x02	/* IGNORE, then KEXINIT */
#define KEX_TEST_NO_STRICT		0x04	/* no strict KEX offer */

/*
 * Set up the key exchange of a new connection (packet_new()) and queue
 * our version line; the first KEX starts when the peer's arrives.
 */
int kex_setup(struct ssh *ssh, const struct kex_params *params) must_check;
/* Replace the callbacks (after packet_state_deserialize()). */
void kex_set_callbacks(struct ssh *ssh, const struct kex_callbacks *cb);
/* Start a rekey now; a no-op while one is under way. */
int kex_start_rekey(struct ssh *ssh) must_check;
/* Free the state (packet_free() does this). */
void kex_free(struct kex *kex);

/* ---------------------------------------------------------- results */

/* Name negotiated for a list in the latest KEX (NULL before any). */
const char *kex_negotiated(const struct ssh *ssh, enum kex_proposal which);
/* The session identifier (H of the first KEX); NULL before it. */
const u_char *kex_session_id(const struct ssh *ssh, size_t *lenp);
/* 1 if strict KEX is in force on this connection. */
int kex_is_strict(const struct ssh *ssh);
/* Client: the server-sig-algs the server sent (NULL if it sent none). */
const char *kex_server_sig_algs(const struct ssh *ssh);
/* Client: 1 if the server announced ping@openssh.com. */
int kex_peer_has_ping(const struct ssh *ssh);
/* Client: the server's host key of the latest KEX (borrowed). */
const struct key *kex_server_hostkey(const struct ssh *ssh);

/* ---------------------------------------------------------- for packet.c */

/* The peer's version has arrived: send our first KEXINIT. */
int kex_send_first(struct ssh *ssh) must_check;

int kex_state_serialize(const struct kex *kex, struct buf *b) must_check;
int kex_state_deserialize(struct ssh *ssh, struct buf *b) must_check;

#endif /* KEEL_KEX_H */
