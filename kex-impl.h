/*
 * kex-impl.h: what kex.c shares with the method files kex-*.c.  Not for
 * use outside the key exchange.
 *
 * The seam for new methods: most methods (curve25519, ECDH, the fixed DH
 * groups, and the post-quantum hybrids to come) are one round trip: the
 * client sends its public value (message 30), the server answers with its
 * host key, its public value and a signature (message 31).  Such a method
 * only supplies struct kex_ops: the engine in kex.c builds and parses the
 * messages, the exchange hash, the signature and the keys.  The public
 * values are whole wire fields (an mpint for DH, a string otherwise) and
 * the shared secret K comes back encoded the way it enters the hash (an
 * mpint for the classic methods, a string for the hybrids), so a method
 * decides its own encodings.
 *
 * Group exchange (kex-gex.c) adds two messages in front and then uses the
 * DH operations of kex-dh.c with the negotiated group.
 */
#ifndef KEEL_KEX_IMPL_H
#define KEEL_KEX_IMPL_H

#include <openssl/bn.h>
#include <openssl/evp.h>

#include "kex.h"
#include "packet.h"

struct buf;
struct kex;

struct kex_ops {
	/*
	 * Client: make our key pair and append our public value as its whole
	 * wire field to pub.
	 */
	int (*client_keypair)(struct kex *kex, struct buf *pub);
	/*
	 * Server: from the client's field (cfield holds exactly that field,
	 * length prefix included), make our key pair, append our public
	 * field to spub and the encoded shared secret to secret.
	 */
	int (*server_derive)(struct kex *kex, struct buf *cfield,
	    struct buf *spub, struct buf *secret);
	/* Client: the encoded shared secret from the server's field. */
	int (*client_derive)(struct kex *kex, struct buf *sfield,
	    struct buf *secret);
	/* Wipe and free the method's private state (may be called twice). */
	void (*cleanup)(struct kex *kex);
};

enum kex_kind {
	KEX_KIND_ONE_RT,	/* messages 30/31 */
	KEX_KIND_GEX		/* RFC 4419: 34, 31, 32, 33 */
};

struct kex_method {
	const char *name;
	int hash_alg;			/* DIGEST_* */
	enum kex_kind kind;
	const struct kex_ops *ops;
	int param;			/* curve NID, DH group id */
};

/* The method of that exact name, or NULL. */
const struct kex_method *kex_method_by_name(const char *name);

/* Fixed groups (kex-dh.c); also the fallback for group exchange. */
#define KEX_DH_GROUP14		14	/* 2048 bits, RFC 3526 */
#define KEX_DH_GROUP15		15	/* 3072 */
#define KEX_DH_GROUP16		16	/* 4096 */
#define KEX_DH_GROUP17		17	/* 6144 */
#define KEX_DH_GROUP18		18	/* 8192 */

enum kex_state_flags {
	KEX_S_INIT_SENT = 0x01,		/* our KEXINIT is out */
	KEX_S_INIT_RECV = 0x02,		/* the peer's has arrived */
	KEX_S_NEWKEYS_SENT = 0x04,
	KEX_S_NEWKEYS_RECV = 0x08
};

struct kex {
	int is_server;
	/* Configuration (copied from struct kex_params). */
	char *prop[KEX_PROPOSAL_MAX];	/* our lists without markers */
	char *server_sig_algs;
	char *moduli_path;
	char *moduli_text;		/* moduli_path's contents, or NULL */
	int send_guess;
	u_int gex_min, gex_max;
	u_int test_flags;
	struct kex_callbacks cb;

	/* This exchange. */
	u_int flags;			/* KEX_S_* */
	int running;
	struct buf *my_kexinit;		/* the KEXINITs after the type */
	struct buf *peer_kexinit;
	char *neg[KEX_PROPOSAL_MAX];	/* negotiated names */
	const struct kex_method *method;
	int hostkey_type, hostkey_nid;
	int guess_sent;			/* client: our guess is out */
	u_int need_bits;		/* strength the ciphers need */
	struct packet_newkeys nk[2];	/* derived, indexed PACKET_IN/OUT */
	int nk_ready;

	/* Method state: the one-round-trip engine and the methods. */
	struct buf *client_field;	/* client's public value as sent */
	EVP_PKEY *pkey;			/* X25519 / ECDH key pair */
	BIGNUM *dh_p, *dh_g, *dh_x;	/* DH group and private exponent */
	u_int gex_req_min, gex_req_n, gex_req_max;	/* GEX request */
	void *method_priv;		/* for methods to come */

	/* Connection-wide results. */
	int kex_done_count;
	int strict;			/* strict KEX negotiated */
	int peer_ext_info;		/* peer sent ext-info-c / -s */
	u_char *session_id;
	size_t session_id_len;
	struct key *server_hostkey;	/* client: from the latest KEX */
	char *peer_sig_algs;		/* client: server-sig-algs */
	int peer_ping;			/* client: ping@openssh.com */
};

/* The one-round-trip engine (kex.c), also used by kex-gex.c. */
int kex_send_client_field(struct ssh *ssh, uint8_t type);
int kex_server_reply(struct ssh *ssh, uint8_t reply_type,
    struct buf *cfield, const struct buf *hash_extra);
int kex_client_reply(struct ssh *ssh, const struct buf *hash_extra);
/* Arm KEXINIT and EXT_INFO, disarm the rest of 20-49. */
void kex_arm_handlers(struct ssh *ssh);
/* Method state wiped between exchanges. */
void kex_method_cleanup(struct kex *kex);

/* kex-dh.c: DH over an explicit group (dh_p, dh_g set on kex). */
int kex_dh_set_group(struct kex *kex, int group_id);
int kex_dh_keypair(struct kex *kex, struct buf *pub);
int kex_dh_derive(struct kex *kex, struct buf *peerfield,
    struct buf *secret);
/* p of a fixed group as a new BIGNUM (for kex-gex.c and the tests). */
int kex_dh_group_prime(int group_id, BIGNUM **pp);
/* The fixed group nearest bits (for GEX without a moduli file). */
int kex_dh_group_for_bits(u_int min, u_int want, u_int max);

/* kex-gex.c */
int kex_gex_client_start(struct ssh *ssh);
void kex_gex_server_arm(struct ssh *ssh);
/*
 * Pick a group from a moduli file for a request; *pp and *gp are new.
 * ERR_NOT_FOUND when the file has no usable group in range.
 */
int kex_gex_choose_moduli(const char *path, u_int min, u_int want,
    u_int max, BIGNUM **pp, BIGNUM **gp) must_check;
/* The same from a moduli file's contents held in memory. */
int kex_gex_choose_moduli_text(const char *text, u_int min, u_int want,
    u_int max, BIGNUM **pp, BIGNUM **gp) must_check;

/* Method operation tables. */
extern const struct kex_ops kex_c25519_ops;
extern const struct kex_ops kex_ecdh_ops;
extern const struct kex_ops kex_dh_ops;

#endif /* KEEL_KEX_IMPL_H */
