/*
 * kex.c: KEXINIT negotiation, the one-round-trip exchange engine, the
 * exchange hash, key derivation, NEWKEYS and EXT_INFO (kex.h).
 *
 * RFC 4253 sections 7-9, RFC 8308, and OpenSSH's PROTOCOL for strict KEX
 * (section 1.10) and ping (1.9).
 */
#include "includes.h"

#include "buf.h"
#include "cipher.h"
#include "digest.h"
#include "dispatch.h"
#include "errcode.h"
#include "kex-impl.h"
#include "kex-names.h"
#include "key.h"
#include "log.h"
#include "mac.h"
#include "match.h"
#include "packet.h"
#include "ssh2.h"

#define KEX_COOKIE_LEN		16
/* Bounds on what a peer's KEXINIT and EXT_INFO may make us hold. */
#define KEX_NAMELIST_MAX	(64 * 1024)
#define KEX_EXT_MAX		64

static const char *const prop_names[KEX_PROPOSAL_MAX] = {
	"key exchange method", "host key type",
	"client->server cipher", "server->client cipher",
	"client->server MAC", "server->client MAC",
	"client->server compression", "server->client compression",
	"client->server language", "server->client language",
};

static int kex_input_kexinit(int, uint32_t, struct ssh *);
static int kex_input_init(int, uint32_t, struct ssh *);
static int kex_input_reply(int, uint32_t, struct ssh *);
static int kex_input_newkeys(int, uint32_t, struct ssh *);
static int kex_input_ext_info(int, uint32_t, struct ssh *);

/* ------------------------------------------------------------ life */

static void
kex_clear_exchange(struct kex *kex)
{
	kex_method_cleanup(kex);
	buf_free(kex->my_kexinit);
	buf_free(kex->peer_kexinit);
	kex->my_kexinit = kex->peer_kexinit = NULL;
	explicit_bzero(kex->nk, sizeof(kex->nk));
	kex->nk_ready = 0;
	kex->flags = 0;
	kex->running = 0;
	kex->guess_sent = 0;
}

void
kex_method_cleanup(struct kex *kex)
{
	if (kex->method != NULL && kex->method->ops->cleanup != NULL)
		kex->method->ops->cleanup(kex);
	buf_free(kex->client_field);
	kex->client_field = NULL;
	EVP_PKEY_free(kex->pkey);
	kex->pkey = NULL;
	BN_clear_free(kex->dh_x);
	BN_free(kex->dh_p);
	BN_free(kex->dh_g);
	kex->dh_x = kex->dh_p = kex->dh_g = NULL;
}

void
kex_free(struct kex *kex)
{
	int i;

	if (kex == NULL)
		return;
	kex_clear_exchange(kex);
	for (i = 0; i < KEX_PROPOSAL_MAX; i++) {
		free(kex->prop[i]);
		free(kex->neg[i]);
	}
	free(kex->server_sig_algs);
	free(kex->moduli_path);
	free(kex->moduli_text);
	freezero(kex->session_id, kex->session_id_len);
	key_free(kex->server_hostkey);
	free(kex->peer_sig_algs);
	freezero(kex, sizeof(*kex));
}

static int
dup_or_null(const char *s, char **out)
{
	*out = NULL;
	if (s == NULL)
		return 0;
	if ((*out = strdup(s)) == NULL)
		return ERR_ALLOC_FAIL;
	return 0;
}

/* One of our lists: the configured value or the default, checked. */
static int
set_prop(struct kex *kex, int idx, enum kex_names_kind kind,
    const char *value, const char *dflt)
{
	if (value == NULL)
		value = dflt;
	if (!kex_names_list_valid(kind, value)) {
		error_f("invalid %s list \"%s\"", prop_names[idx], value);
		return ERR_INVALID_ARGUMENT;
	}
	if ((kex->prop[idx] = strdup(value)) == NULL)
		return ERR_ALLOC_FAIL;
	return 0;
}

static int
kex_set_props(struct kex *kex, const struct kex_params *p)
{
	const char *comp_dflt = kex->is_server ? KEX_DEFAULT_COMP_SERVER :
	    KEX_DEFAULT_COMP_CLIENT;
	int r;

	if ((r = set_prop(kex, KEX_ALGS, KEX_NAMES_KEX, p->kex_algs,
	    KEX_DEFAULT_KEX)) != 0 ||
	    (r = set_prop(kex, KEX_HOSTKEY_ALGS, KEX_NAMES_HOSTKEY,
	    p->hostkey_algs, KEX_DEFAULT_HOSTKEY)) != 0 ||
	    (r = set_prop(kex, KEX_ENC_C2S, KEX_NAMES_CIPHER, p->ciphers,
	    KEX_DEFAULT_CIPHERS)) != 0 ||
	    (r = set_prop(kex, KEX_ENC_S2C, KEX_NAMES_CIPHER, p->ciphers,
	    KEX_DEFAULT_CIPHERS)) != 0 ||
	    (r = set_prop(kex, KEX_MAC_C2S, KEX_NAMES_MAC, p->macs,
	    KEX_DEFAULT_MACS)) != 0 ||
	    (r = set_prop(kex, KEX_MAC_S2C, KEX_NAMES_MAC, p->macs,
	    KEX_DEFAULT_MACS)) != 0 ||
	    (r = set_prop(kex, KEX_COMP_C2S, KEX_NAMES_COMPRESSION,
	    p->compression, comp_dflt)) != 0 ||
	    (r = set_prop(kex, KEX_COMP_S2C, KEX_NAMES_COMPRESSION,
	    p->compression, comp_dflt)) != 0)
		return r;
	if ((kex->prop[KEX_LANG_C2S] = strdup("")) == NULL ||
	    (kex->prop[KEX_LANG_S2C] = strdup("")) == NULL)
		return ERR_ALLOC_FAIL;
	return 0;
}

void
kex_arm_handlers(struct ssh *ssh)
{
	dispatch_range(ssh, SSH2_MSG_KEX_MIN, SSH2_MSG_KEX_MAX, NULL);
	dispatch_set(ssh, SSH2_MSG_KEXINIT, kex_input_kexinit);
	dispatch_set(ssh, SSH2_MSG_EXT_INFO, kex_input_ext_info);
}

int
kex_setup(struct ssh *ssh, const struct kex_params *p)
{
	struct kex *kex = NULL;
	int r = ERR_INTERNAL;

	if (packet_kex(ssh) != NULL || p == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((kex = calloc(1, sizeof(*kex))) == NULL)
		return ERR_ALLOC_FAIL;
	kex->is_server = packet_is_server(ssh);
	if ((r = kex_set_props(kex, p)) != 0 ||
	    (r = dup_or_null(p->server_sig_algs != NULL ?
	    p->server_sig_algs : KEX_DEFAULT_SIG_ALGS,
	    &kex->server_sig_algs)) != 0 ||
	    (r = dup_or_null(p->moduli_path, &kex->moduli_path)) != 0 ||
	    (r = dup_or_null(p->moduli_text, &kex->moduli_text)) != 0)
		goto out;
	kex->send_guess = p->send_guess;
	kex->gex_min = p->gex_min != 0 ? p->gex_min : KEX_GEX_MIN;
	kex->gex_max = p->gex_max != 0 ? p->gex_max : KEX_GEX_MAX;
	if (kex->gex_min > kex->gex_max) {
		r = ERR_INVALID_ARGUMENT;
		goto out;
	}
	kex->test_flags = p->test_flags;
	kex->cb = p->cb;
	packet_set_kex(ssh, kex);
	kex = NULL;
	packet_set_rekey_limits(ssh, p->rekey_bytes, p->rekey_seconds, 0);
	kex_arm_handlers(ssh);
	r = packet_version_start(ssh);
 out:
	kex_free(kex);
	return r;
}

void
kex_set_callbacks(struct ssh *ssh, const struct kex_callbacks *cb)
{
	struct kex *kex = packet_kex(ssh);

	if (kex != NULL)
		kex->cb = *cb;
}

/* ------------------------------------------------------------ KEXINIT */

/* Our KEXINIT after its type byte (RFC 4253 7.1). */
static int
build_kexinit(struct kex *kex, int follows, struct buf *m)
{
	u_char cookie[KEX_COOKIE_LEN];
	char *list = NULL;
	const char *ext, *strict;
	int i, r, n;

	ext = kex->is_server ? KEX_EXT_INFO_S : KEX_EXT_INFO_C;
	strict = kex->is_server ? KEX_STRICT_S : KEX_STRICT_C;
	arc4random_buf(cookie, sizeof(cookie));
	if ((r = buf_put(m, cookie, sizeof(cookie))) != 0)
		return r;
	/* The markers go in the first KEXINIT only (RFC 8308 2.1). */
	if (kex->kex_done_count == 0)
		n = asprintf(&list, "%s,%s%s%s", kex->prop[KEX_ALGS], ext,
		    (kex->test_flags & KEX_TEST_NO_STRICT) ? "" : ",",
		    (kex->test_flags & KEX_TEST_NO_STRICT) ? "" : strict);
	else
		n = asprintf(&list, "%s", kex->prop[KEX_ALGS]);
	if (n < 0)
		return ERR_ALLOC_FAIL;
	r = buf_put_cstring(m, list);
	free(list);
	if (r != 0)
		return r;
	for (i = KEX_HOSTKEY_ALGS; i < KEX_PROPOSAL_MAX; i++) {
		if ((r = buf_put_cstring(m, kex->prop[i])) != 0)
			return r;
	}
	/* first_kex_packet_follows, reserved */
	if ((r = buf_put_u8(m, follows != 0)) != 0 ||
	    (r = buf_put_u32(m, 0)) != 0)
		return r;
	return 0;
}

/* The first name of a comma list, as a new string. */
static char *
first_name(const char *list)
{
	size_t n = strcspn(list, ",");
	char *s;

	if ((s = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(s, list, n);
	s[n] = '\0';
	return s;
}

/* Client: can we guess?  Only for a one-round-trip first method. */
static const struct kex_method *
guess_method(const struct kex *kex)
{
	const struct kex_method *m;
	char *first;

	if (kex->is_server || !kex->send_guess)
		return NULL;
	if ((first = first_name(kex->prop[KEX_ALGS])) == NULL)
		return NULL;
	m = kex_method_by_name(first);
	free(first);
	return m != NULL && m->kind == KEX_KIND_ONE_RT ? m : NULL;
}

static int
kex_send_kexinit(struct ssh *ssh)
{
	struct kex *kex = packet_kex(ssh);
	const struct kex_method *guess = guess_method(kex);
	int r;

	if ((kex->flags & KEX_S_INIT_SENT) != 0)
		return 0;
	buf_free(kex->my_kexinit);
	if ((kex->my_kexinit = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = build_kexinit(kex, guess != NULL, kex->my_kexinit)) != 0)
		return r;
	if ((r = packet_send_msg(ssh, SSH2_MSG_KEXINIT, kex->my_kexinit)) != 0)
		return r;
	kex->flags |= KEX_S_INIT_SENT;
	kex->running = 1;
	debug("SSH2_MSG_KEXINIT sent");
	if (guess != NULL) {
		/* RFC 4253 7: the guessed packet follows at once. */
		kex->method = guess;
		if ((r = kex_send_client_field(ssh,
		    SSH2_MSG_KEX_ECDH_INIT)) != 0)
			return r;
		kex->guess_sent = 1;
		debug("sent guessed %s packet", guess->name);
	}
	return 0;
}

int
kex_send_first(struct ssh *ssh)
{
	struct kex *kex = packet_kex(ssh);
	int r;

	if (kex == NULL)
		return ERR_INTERNAL;
	if ((kex->test_flags & KEX_TEST_IGNORE_FIRST) != 0 &&
	    (r = packet_send_ignore(ssh, 8)) != 0)
		return r;
	return kex_send_kexinit(ssh);
}

int
kex_start_rekey(struct ssh *ssh)
{
	struct kex *kex = packet_kex(ssh);

	if (kex == NULL || packet_is_closed(ssh))
		return ERR_INVALID_ARGUMENT;
	if (kex->running || kex->kex_done_count == 0)
		return 0;
	debug("starting rekey");
	return kex_send_kexinit(ssh);
}

/* 1 if the comma list has name as one of its entries. */
static int
list_has(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *cp = list;

	while (cp != NULL && *cp != '\0') {
		if (strncmp(cp, name, n) == 0 && (cp[n] == ',' ||
		    cp[n] == '\0'))
			return 1;
		if ((cp = strchr(cp, ',')) != NULL)
			cp++;
	}
	return 0;
}

/* The peer's KEXINIT after its type byte. */
static int
parse_kexinit(struct buf *b, char **props, uint8_t *followsp)
{
	uint32_t reserved = 0;
	size_t len;
	int i, r;

	if ((r = buf_get(b, NULL, KEX_COOKIE_LEN)) != 0)
		return r;
	for (i = 0; i < KEX_PROPOSAL_MAX; i++) {
		if ((r = buf_get_cstring(b, &props[i], &len)) != 0)
			return r;
		if (len > KEX_NAMELIST_MAX)
			return ERR_STRING_TOO_LARGE;
	}
	if ((r = buf_get_u8(b, followsp)) != 0 ||
	    (r = buf_get_u32(b, &reserved)) != 0)
		return r;
	if (buf_len(b) != 0)
		return ERR_UNEXPECTED_TRAILING_DATA;
	return 0;
}

static int
no_match(struct ssh *ssh, int idx, const char *theirs, int r)
{
	error("Unable to negotiate with %s: no matching %s found. "
	    "Their offer: %s", packet_peer_desc(ssh), prop_names[idx],
	    theirs);
	return r;
}

/* RFC 4253 7.1: the first of the client's names the server also has. */
static int
choose(struct ssh *ssh, char **peer, int idx, int nomatch)
{
	struct kex *kex = packet_kex(ssh);
	const char *c, *s;

	c = kex->is_server ? peer[idx] : kex->prop[idx];
	s = kex->is_server ? kex->prop[idx] : peer[idx];
	free(kex->neg[idx]);
	if ((kex->neg[idx] = match_list(c, s, NULL)) == NULL)
		return no_match(ssh, idx, peer[idx], nomatch);
	return 0;
}

static int
comp_type(const char *name)
{
	if (strcmp(name, "zlib@openssh.com") == 0)
		return PACKET_COMP_DELAYED;
	if (strcmp(name, "zlib") == 0)
		return PACKET_COMP_ZLIB;
	return PACKET_COMP_NONE;
}

/* Cipher, MAC and compression of one direction (dir: PACKET_IN/OUT). */
static int
choose_dir(struct ssh *ssh, char **peer, int c2s, int dir)
{
	struct kex *kex = packet_kex(ssh);
	struct packet_newkeys *nk = &kex->nk[dir];
	int enc = c2s ? KEX_ENC_C2S : KEX_ENC_S2C;
	int mac = c2s ? KEX_MAC_C2S : KEX_MAC_S2C;
	int comp = c2s ? KEX_COMP_C2S : KEX_COMP_S2C;
	int r;

	if ((r = choose(ssh, peer, enc, ERR_NO_CIPHER_ALG_MATCH)) != 0)
		return r;
	if ((nk->cipher = cipher_by_name(kex->neg[enc])) == NULL ||
	    strcmp(kex->neg[enc], "none") == 0)
		return ERR_NO_CIPHER_ALG_MATCH;
	nk->key_len = cipher_key_len(nk->cipher);
	nk->iv_len = cipher_iv_len(nk->cipher);
	free(kex->neg[mac]);
	kex->neg[mac] = NULL;
	nk->mac = NULL;
	/* An AEAD cipher authenticates by itself: no MAC is negotiated. */
	if (!cipher_is_aead(nk->cipher)) {
		if ((r = choose(ssh, peer, mac, ERR_NO_MAC_ALG_MATCH)) != 0)
			return r;
		if ((nk->mac = mac_by_name(kex->neg[mac])) == NULL)
			return ERR_NO_MAC_ALG_MATCH;
		nk->mac_key_len = mac_key_len(nk->mac);
	}
	if ((r = choose(ssh, peer, comp, ERR_NO_COMPRESS_ALG_MATCH)) != 0)
		return r;
	nk->comp = comp_type(kex->neg[comp]);
	debug("kex: %s cipher: %s MAC: %s compression: %s",
	    c2s ? "client->server" : "server->client", kex->neg[enc],
	    nk->mac == NULL ? "<implicit>" : kex->neg[mac], kex->neg[comp]);
	return 0;
}

/* Bits of strength the negotiated ciphers and MACs want. */
static void
set_need_bits(struct kex *kex)
{
	size_t need = 0;
	int i;

	for (i = 0; i < 2; i++) {
		need = MAXIMUM(need, kex->nk[i].key_len);
		need = MAXIMUM(need, kex->nk[i].iv_len);
		need = MAXIMUM(need, kex->nk[i].mac_key_len);
	}
	kex->need_bits = (u_int)need * 8;
}

static int
kex_negotiate(struct ssh *ssh, char **peer)
{
	struct kex *kex = packet_kex(ssh);
	int r;

	if ((r = choose(ssh, peer, KEX_ALGS, ERR_NO_KEX_ALG_MATCH)) != 0)
		return r;
	if ((kex->method = kex_method_by_name(kex->neg[KEX_ALGS])) == NULL)
		return no_match(ssh, KEX_ALGS, peer[KEX_ALGS],
		    ERR_NO_KEX_ALG_MATCH);
	debug("kex: algorithm: %s", kex->neg[KEX_ALGS]);
	if ((r = choose(ssh, peer, KEX_HOSTKEY_ALGS,
	    ERR_NO_HOSTKEY_ALG_MATCH)) != 0)
		return r;
	if (kex_names_hostkey_type(kex->neg[KEX_HOSTKEY_ALGS],
	    &kex->hostkey_type, &kex->hostkey_nid) != 0)
		return no_match(ssh, KEX_HOSTKEY_ALGS, peer[KEX_HOSTKEY_ALGS],
		    ERR_NO_HOSTKEY_ALG_MATCH);
	debug("kex: host key algorithm: %s", kex->neg[KEX_HOSTKEY_ALGS]);
	/* Client: c2s is our output; server: c2s is our input. */
	if ((r = choose_dir(ssh, peer, 1, kex->is_server ? PACKET_IN :
	    PACKET_OUT)) != 0 ||
	    (r = choose_dir(ssh, peer, 0, kex->is_server ? PACKET_OUT :
	    PACKET_IN)) != 0)
		return r;
	set_need_bits(kex);
	return 0;
}

/*
 * RFC 4253 7: a guess is right only when both sides prefer the same key
 * exchange and host key algorithms.
 */
static int
guess_is_right(const struct kex *kex, char **peer)
{
	char *a = NULL, *b = NULL, *c = NULL, *d = NULL;
	int ok = 0;

	if ((a = first_name(kex->prop[KEX_ALGS])) != NULL &&
	    (b = first_name(peer[KEX_ALGS])) != NULL &&
	    (c = first_name(kex->prop[KEX_HOSTKEY_ALGS])) != NULL &&
	    (d = first_name(peer[KEX_HOSTKEY_ALGS])) != NULL)
		ok = strcmp(a, b) == 0 && strcmp(c, d) == 0;
	free(a);
	free(b);
	free(c);
	free(d);
	return ok;
}

/* Strict KEX and ext-info from the peer's first KEXINIT. */
static int
kex_first_markers(struct ssh *ssh, char **peer, uint32_t seqnr)
{
	struct kex *kex = packet_kex(ssh);
	const char *want_strict = kex->is_server ? KEX_STRICT_C : KEX_STRICT_S;
	const char *want_ext = kex->is_server ? KEX_EXT_INFO_C : KEX_EXT_INFO_S;

	if (kex->kex_done_count != 0)
		return 0;
	kex->peer_ext_info = list_has(peer[KEX_ALGS], want_ext);
	kex->strict = (kex->test_flags & KEX_TEST_NO_STRICT) == 0 &&
	    list_has(peer[KEX_ALGS], want_strict);
	if (!kex->strict)
		return 0;
	debug("strict KEX enabled");
	packet_set_strict_kex(ssh, 1);
	if (seqnr != 0)
		return packet_disconnect(ssh, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "strict KEX violation: KEXINIT was not the first packet");
	return 0;
}

/* Start the negotiated method's messages. */
static int
kex_start_method(struct ssh *ssh, char **peer)
{
	struct kex *kex = packet_kex(ssh);
	int r;

	if (kex->is_server) {
		if (kex->method->kind == KEX_KIND_GEX)
			kex_gex_server_arm(ssh);
		else
			dispatch_set(ssh, SSH2_MSG_KEX_ECDH_INIT,
			    kex_input_init);
		return 0;
	}
	if (kex->guess_sent) {
		if (guess_is_right(kex, peer)) {
			debug("our guess was right");
			dispatch_set(ssh, SSH2_MSG_KEX_ECDH_REPLY,
			    kex_input_reply);
			return 0;
		}
		/* The server drops our guess; start over for real. */
		debug("our guess was wrong");
		kex_method_cleanup(kex);
		kex->method = kex_method_by_name(kex->neg[KEX_ALGS]);
	}
	if (kex->method->kind == KEX_KIND_GEX)
		return kex_gex_client_start(ssh);
	if ((r = kex_send_client_field(ssh, SSH2_MSG_KEX_ECDH_INIT)) != 0)
		return r;
	dispatch_set(ssh, SSH2_MSG_KEX_ECDH_REPLY, kex_input_reply);
	return 0;
}

static int
kex_input_kexinit(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct kex *kex = packet_kex(ssh);
	struct buf *payload = packet_payload(ssh);
	char *peer[KEX_PROPOSAL_MAX] = { NULL };
	uint8_t follows = 0;
	int i, r = ERR_INTERNAL;

	debug("SSH2_MSG_KEXINIT received");
	if ((kex->flags & KEX_S_INIT_RECV) != 0)
		return dispatch_protocol_error(type, seqnr, ssh);
	buf_free(kex->peer_kexinit);
	if ((kex->peer_kexinit = buf_from_copy(buf_ptr(payload),
	    buf_len(payload))) == NULL)
		return ERR_ALLOC_FAIL;
	kex->flags |= KEX_S_INIT_RECV;
	kex->running = 1;
	if ((r = parse_kexinit(payload, peer, &follows)) != 0 ||
	    (r = kex_first_markers(ssh, peer, seqnr)) != 0 ||
	    (r = kex_send_kexinit(ssh)) != 0 ||
	    (r = kex_negotiate(ssh, peer)) != 0)
		goto out;
	/* RFC 4253 7: a wrongly guessed packet is silently dropped. */
	if (follows && !guess_is_right(kex, peer)) {
		debug("peer's guess was wrong: skipping its next packet");
		packet_skip_next(ssh);
	}
	r = kex_start_method(ssh, peer);
 out:
	for (i = 0; i < KEX_PROPOSAL_MAX; i++)
		free(peer[i]);
	return r;
}

/* ------------------------------------------------------------ the hash */

/* A KEXINIT as it enters the hash: string(type byte || payload). */
static int
put_kexinit(struct buf *h, const struct buf *body)
{
	int r;

	if (buf_len(body) >= UINT32_MAX)
		return ERR_STRING_TOO_LARGE;
	if ((r = buf_put_u32(h, (uint32_t)buf_len(body) + 1)) != 0 ||
	    (r = buf_put_u8(h, SSH2_MSG_KEXINIT)) != 0 ||
	    (r = buf_putb(h, body)) != 0)
		return r;
	return 0;
}

/*
 * H = HASH(V_C || V_S || I_C || I_S || K_S || extra || Q_C || Q_S || K)
 * (RFC 4253 8, RFC 5656 4, RFC 4419 3, RFC 8731 3); the public values
 * and K arrive encoded.
 */
static int
kex_hash(struct ssh *ssh, const struct buf *ks, const struct buf *extra,
    const struct buf *cfield, const struct buf *sfield,
    const struct buf *secret, u_char *out, size_t *outlenp)
{
	struct kex *kex = packet_kex(ssh);
	const char *vc, *vs;
	const struct buf *ic, *is;
	struct buf *h = NULL;
	int r = ERR_INTERNAL;

	*outlenp = 0;
	vc = kex->is_server ? packet_peer_version(ssh) :
	    packet_our_version(ssh);
	vs = kex->is_server ? packet_our_version(ssh) :
	    packet_peer_version(ssh);
	ic = kex->is_server ? kex->peer_kexinit : kex->my_kexinit;
	is = kex->is_server ? kex->my_kexinit : kex->peer_kexinit;
	if ((h = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = buf_put_cstring(h, vc)) != 0 ||
	    (r = buf_put_cstring(h, vs)) != 0 ||
	    (r = put_kexinit(h, ic)) != 0 ||
	    (r = put_kexinit(h, is)) != 0 ||
	    (r = buf_put_stringb(h, ks)) != 0 ||
	    (extra != NULL && (r = buf_putb(h, extra)) != 0) ||
	    (r = buf_putb(h, cfield)) != 0 ||
	    (r = buf_putb(h, sfield)) != 0 ||
	    (r = buf_putb(h, secret)) != 0)
		goto out;
	if ((r = digest_buffer(kex->method->hash_alg, h, out,
	    DIGEST_MAX_LENGTH)) != 0)
		goto out;
	*outlenp = digest_bytes(kex->method->hash_alg);
 out:
	buf_free(h);
	return r;
}

/* ------------------------------------------------------------ keys */

/*
 * RFC 4253 7.2: K1 = HASH(K || H || X || session_id),
 * Kn = HASH(K || H || K1 || ... || Kn-1), concatenated to need bytes.
 */
static int
derive_key(struct kex *kex, char letter, const struct buf *secret,
    const u_char *h, size_t hlen, u_char *out, size_t need)
{
	u_char digest[DIGEST_MAX_LENGTH * 4];
	size_t have = 0, dlen = digest_bytes(kex->method->hash_alg);
	struct digest_ctx *ctx = NULL;
	int r = ERR_INTERNAL;

	if (need > sizeof(digest) - DIGEST_MAX_LENGTH || dlen == 0)
		return ERR_INVALID_ARGUMENT;
	while (have < need) {
		if ((ctx = digest_start(kex->method->hash_alg)) == NULL) {
			r = ERR_ALLOC_FAIL;
			goto out;
		}
		if ((r = digest_update_buffer(ctx, secret)) != 0 ||
		    (r = digest_update(ctx, h, hlen)) != 0)
			goto out;
		if (have == 0) {
			if ((r = digest_update(ctx, &letter, 1)) != 0 ||
			    (r = digest_update(ctx, kex->session_id,
			    kex->session_id_len)) != 0)
				goto out;
		} else if ((r = digest_update(ctx, digest, have)) != 0)
			goto out;
		if ((r = digest_final(ctx, digest + have, dlen)) != 0)
			goto out;
		digest_free(ctx);
		ctx = NULL;
		have += dlen;
	}
	memcpy(out, digest, need);
	r = 0;
 out:
	digest_free(ctx);
	explicit_bzero(digest, sizeof(digest));
	return r;
}

/* Keys of both directions: IVs A/B, keys C/D, MAC keys E/F. */
static int
kex_derive_keys(struct ssh *ssh, const struct buf *secret, const u_char *h,
    size_t hlen)
{
	struct kex *kex = packet_kex(ssh);
	struct packet_newkeys *nk;
	int i, c2s, r;

	for (i = 0; i < 2; i++) {
		nk = &kex->nk[i];
		c2s = kex->is_server ? i == PACKET_IN : i == PACKET_OUT;
		if ((r = derive_key(kex, c2s ? 'A' : 'B', secret, h, hlen,
		    nk->iv, nk->iv_len)) != 0 ||
		    (r = derive_key(kex, c2s ? 'C' : 'D', secret, h, hlen,
		    nk->key, nk->key_len)) != 0)
			return r;
		if (nk->mac != NULL && (r = derive_key(kex, c2s ? 'E' : 'F',
		    secret, h, hlen, nk->mac_key, nk->mac_key_len)) != 0)
			return r;
	}
	kex->nk_ready = 1;
	return 0;
}

static int
set_session_id(struct kex *kex, const u_char *h, size_t hlen)
{
	if (kex->session_id != NULL)
		return 0;
	if ((kex->session_id = malloc(hlen)) == NULL)
		return ERR_ALLOC_FAIL;
	memcpy(kex->session_id, h, hlen);
	kex->session_id_len = hlen;
	return 0;
}

/* RFC 8308 2.4: server-sig-algs and ping@openssh.com. */
static int
send_ext_info(struct ssh *ssh)
{
	struct kex *kex = packet_kex(ssh);
	struct buf *m;
	int r;

	if ((r = packet_start(ssh, SSH2_MSG_EXT_INFO, &m)) != 0 ||
	    (r = buf_put_u32(m, 2)) != 0 ||
	    (r = buf_put_cstring(m, "server-sig-algs")) != 0 ||
	    (r = buf_put_cstring(m, kex->server_sig_algs)) != 0 ||
	    (r = buf_put_cstring(m, "ping@openssh.com")) != 0 ||
	    (r = buf_put_cstring(m, "0")) != 0)
		return r;
	debug("sending SSH2_MSG_EXT_INFO");
	return packet_send(ssh);
}

/* Our NEWKEYS, then our direction switches (and EXT_INFO goes first). */
static int
kex_send_newkeys(struct ssh *ssh)
{
	struct kex *kex = packet_kex(ssh);
	int reset = kex->strict &&
	    (kex->test_flags & KEX_TEST_NO_STRICT_RESET) == 0;
	int r;

	if ((r = packet_send_msg(ssh, SSH2_MSG_NEWKEYS, NULL)) != 0)
		return r;
	debug("SSH2_MSG_NEWKEYS sent");
	if ((r = packet_set_newkeys(ssh, PACKET_OUT, &kex->nk[PACKET_OUT],
	    reset)) != 0)
		return r;
	explicit_bzero(&kex->nk[PACKET_OUT].key, sizeof(kex->nk[0].key));
	kex->flags |= KEX_S_NEWKEYS_SENT;
	if (kex->is_server && kex->kex_done_count == 0 && kex->peer_ext_info &&
	    (r = send_ext_info(ssh)) != 0)
		return r;
	if ((r = packet_kex_out_done(ssh)) != 0)
		return r;
	dispatch_set(ssh, SSH2_MSG_NEWKEYS, kex_input_newkeys);
	return 0;
}

static void
kex_finish(struct ssh *ssh)
{
	struct kex *kex = packet_kex(ssh);
	int initial = kex->kex_done_count == 0;

	kex_clear_exchange(kex);
	kex->kex_done_count++;
	packet_kex_complete(ssh);
	kex_arm_handlers(ssh);
	debug("key exchange %d done", kex->kex_done_count);
	if (kex->cb.done != NULL)
		kex->cb.done(ssh, initial, kex->cb.ctx);
}

static int
kex_input_newkeys(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct kex *kex = packet_kex(ssh);
	int reset = kex->strict &&
	    (kex->test_flags & KEX_TEST_NO_STRICT_RESET) == 0;
	int r;

	debug("SSH2_MSG_NEWKEYS received");
	if ((r = packet_payload_end(ssh)) != 0)
		return r;
	if (!kex->nk_ready || (kex->flags & KEX_S_NEWKEYS_SENT) == 0)
		return dispatch_protocol_error(type, seqnr, ssh);
	dispatch_set(ssh, SSH2_MSG_NEWKEYS, NULL);
	if ((r = packet_set_newkeys(ssh, PACKET_IN, &kex->nk[PACKET_IN],
	    reset)) != 0)
		return r;
	kex->flags |= KEX_S_NEWKEYS_RECV;
	kex_finish(ssh);
	return 0;
}

/* ------------------------------------------------------------ engine */

int
kex_send_client_field(struct ssh *ssh, uint8_t type)
{
	struct kex *kex = packet_kex(ssh);
	int r;

	buf_free(kex->client_field);
	if ((kex->client_field = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if (type == SSH2_MSG_KEX_DH_GEX_INIT)
		r = kex_dh_keypair(kex, kex->client_field);
	else
		r = kex->method->ops->client_keypair(kex, kex->client_field);
	if (r != 0)
		return r;
	return packet_send_msg(ssh, type, kex->client_field);
}

/* Read one string field of the payload as its whole encoding. */
static int
get_field(struct buf *payload, struct buf **fieldp)
{
	struct buf *content = NULL, *field = NULL;
	int r;

	*fieldp = NULL;
	if ((r = buf_froms(payload, &content)) != 0)
		return r;
	if ((field = buf_new()) == NULL) {
		buf_free(content);
		return ERR_ALLOC_FAIL;
	}
	if ((r = buf_put_stringb(field, content)) != 0) {
		buf_free(content);
		buf_free(field);
		return r;
	}
	buf_free(content);
	*fieldp = field;
	return 0;
}

/*
 * Run a method's derive step on a read-only view of the peer's field (the
 * field itself still goes into the hash).  A peer value the method
 * refuses ends the key exchange.
 */
static int
method_derive(struct ssh *ssh, const struct buf *field, struct buf *spub,
    struct buf *secret)
{
	struct kex *kex = packet_kex(ssh);
	struct buf *view;
	int r;

	if ((view = buf_from(buf_ptr(field), buf_len(field))) == NULL)
		return ERR_ALLOC_FAIL;
	if (kex->is_server)
		r = kex->method->ops->server_derive(kex, view, spub, secret);
	else
		r = kex->method->ops->client_derive(kex, view, secret);
	buf_free(view);
	if (r != 0 && r != ERR_ALLOC_FAIL)
		return packet_disconnect(ssh,
		    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED,
		    "%s: invalid public value from peer (%s)",
		    kex->method->name, errcode_str(r));
	return r;
}

/* Server: message 30 of a one-round-trip method. */
static int
kex_input_init(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct buf *cfield = NULL;
	int r;

	(void)seqnr;
	dispatch_set(ssh, type, NULL);
	if ((r = get_field(packet_payload(ssh), &cfield)) != 0 ||
	    (r = packet_payload_end(ssh)) != 0)
		goto out;
	r = kex_server_reply(ssh, SSH2_MSG_KEX_ECDH_REPLY, cfield, NULL);
 out:
	buf_free(cfield);
	return r;
}

static int
server_sign(struct ssh *ssh, const struct key *pub, const u_char *h,
    size_t hlen, u_char **sigp, size_t *siglenp)
{
	struct kex *kex = packet_kex(ssh);

	if (kex->cb.sign == NULL)
		return ERR_NO_HOSTKEY_LOADED;
	return kex->cb.sign(ssh, pub, kex->neg[KEX_HOSTKEY_ALGS], h, hlen,
	    sigp, siglenp, kex->cb.ctx);
}

int
kex_server_reply(struct ssh *ssh, uint8_t reply_type, struct buf *cfield,
    const struct buf *hash_extra)
{
	struct kex *kex = packet_kex(ssh);
	const struct key *pub = NULL;
	struct buf *spub = NULL, *secret = NULL, *ks = NULL, *m;
	u_char h[DIGEST_MAX_LENGTH], *sig = NULL;
	size_t hlen = 0, siglen = 0;
	int r = ERR_INTERNAL;

	if (kex->cb.get_hostkey == NULL ||
	    kex->cb.get_hostkey(ssh, kex->neg[KEX_HOSTKEY_ALGS], &pub,
	    kex->cb.ctx) != 0 || pub == NULL) {
		error_f("no host key for %s", kex->neg[KEX_HOSTKEY_ALGS]);
		return ERR_NO_HOSTKEY_LOADED;
	}
	if ((spub = buf_new()) == NULL || (secret = buf_new()) == NULL ||
	    (ks = buf_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = method_derive(ssh, cfield, spub, secret)) != 0 ||
	    (r = key_putb(pub, ks)) != 0 ||
	    (r = kex_hash(ssh, ks, hash_extra, cfield, spub, secret, h,
	    &hlen)) != 0 ||
	    (r = set_session_id(kex, h, hlen)) != 0 ||
	    (r = server_sign(ssh, pub, h, hlen, &sig, &siglen)) != 0)
		goto out;
	/* string K_S, the server's public value, string signature of H */
	if ((r = packet_start(ssh, reply_type, &m)) != 0 ||
	    (r = buf_put_stringb(m, ks)) != 0 ||
	    (r = buf_putb(m, spub)) != 0 ||
	    (r = buf_put_string(m, sig, siglen)) != 0 ||
	    (r = packet_send(ssh)) != 0)
		goto out;
	if ((r = kex_derive_keys(ssh, secret, h, hlen)) != 0 ||
	    (r = kex_send_newkeys(ssh)) != 0)
		goto out;
	kex_method_cleanup(kex);
	r = 0;
 out:
	explicit_bzero(h, sizeof(h));
	free(sig);
	buf_free(spub);
	buf_free(secret);
	buf_free(ks);
	return r;
}

/* Client: the host key must fit the negotiated algorithm. */
static int
check_hostkey(struct ssh *ssh, const struct key *k)
{
	struct kex *kex = packet_kex(ssh);

	if ((int)key_type(k) != kex->hostkey_type ||
	    (kex->hostkey_type == KEY_ECDSA &&
	    key_ecdsa_nid(k) != kex->hostkey_nid)) {
		error("host key type %s does not match the negotiated %s",
		    key_type_name(k), kex->neg[KEX_HOSTKEY_ALGS]);
		return ERR_KEY_TYPE_MISMATCH;
	}
	/* A rekey must present the same host key (RFC 4253 9). */
	if (kex->server_hostkey != NULL &&
	    !key_equal_public(kex->server_hostkey, k))
		return packet_disconnect(ssh,
		    SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE,
		    "Server host key changed during rekey");
	return 0;
}

/* Client: verify the signature, then ask the policy callback. */
static int
client_verify(struct ssh *ssh, const struct key *k, const u_char *sig,
    size_t siglen, const u_char *h, size_t hlen)
{
	struct kex *kex = packet_kex(ssh);
	int r;

	if ((r = key_verify(k, sig, siglen, h, hlen,
	    kex->neg[KEX_HOSTKEY_ALGS])) != 0) {
		error("Server host key signature verification failed");
		return r == ERR_INVALID_FORMAT ? r : ERR_SIGNATURE_INVALID;
	}
	if (kex->kex_done_count == 0 && kex->cb.verify != NULL &&
	    (r = kex->cb.verify(ssh, k, kex->cb.ctx)) != 0)
		return packet_disconnect(ssh,
		    SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE,
		    "Host key verification failed");
	return 0;
}

int
kex_client_reply(struct ssh *ssh, const struct buf *hash_extra)
{
	struct kex *kex = packet_kex(ssh);
	struct buf *payload = packet_payload(ssh);
	struct buf *ks = NULL, *sfield = NULL, *secret = NULL;
	struct key *hostkey = NULL;
	const u_char *sig = NULL;
	u_char h[DIGEST_MAX_LENGTH];
	size_t hlen = 0, siglen = 0;
	int r = ERR_INTERNAL;

	/* string K_S, the server's public value, string signature */
	if ((r = buf_froms(payload, &ks)) != 0 ||
	    (r = get_field(payload, &sfield)) != 0 ||
	    (r = buf_get_string_direct(payload, &sig, &siglen)) != 0 ||
	    (r = packet_payload_end(ssh)) != 0)
		goto out;
	if ((r = key_from_blob(buf_ptr(ks), buf_len(ks), &hostkey)) != 0 ||
	    (r = check_hostkey(ssh, hostkey)) != 0)
		goto out;
	if ((secret = buf_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = method_derive(ssh, sfield, NULL, secret)) != 0 ||
	    (r = kex_hash(ssh, ks, hash_extra, kex->client_field, sfield,
	    secret, h, &hlen)) != 0 ||
	    (r = client_verify(ssh, hostkey, sig, siglen, h, hlen)) != 0 ||
	    (r = set_session_id(kex, h, hlen)) != 0 ||
	    (r = kex_derive_keys(ssh, secret, h, hlen)) != 0)
		goto out;
	key_free(kex->server_hostkey);
	kex->server_hostkey = hostkey;
	hostkey = NULL;
	if ((r = kex_send_newkeys(ssh)) != 0)
		goto out;
	kex_method_cleanup(kex);
	r = 0;
 out:
	explicit_bzero(h, sizeof(h));
	key_free(hostkey);
	buf_free(ks);
	buf_free(sfield);
	buf_free(secret);
	return r;
}

/* Client: message 31 of a one-round-trip method. */
static int
kex_input_reply(int type, uint32_t seqnr, struct ssh *ssh)
{
	(void)seqnr;
	dispatch_set(ssh, type, NULL);
	return kex_client_reply(ssh, NULL);
}

/* ------------------------------------------------------------ EXT_INFO */

static int
kex_input_ext_info(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct kex *kex = packet_kex(ssh);
	struct buf *payload = packet_payload(ssh);
	char *name = NULL, *value = NULL;
	uint32_t i, n = 0;
	int r;

	(void)type;
	(void)seqnr;
	debug("SSH2_MSG_EXT_INFO received");
	if ((r = buf_get_u32(payload, &n)) != 0)
		return r;
	if (n > KEX_EXT_MAX)
		return ERR_INVALID_FORMAT;
	for (i = 0; i < n; i++) {
		if ((r = buf_get_cstring(payload, &name, NULL)) != 0)
			return r;
		if (!kex->is_server && strcmp(name, "server-sig-algs") == 0) {
			if ((r = buf_get_cstring(payload, &value, NULL)) != 0)
				goto out;
			debug("kex_input_ext_info: server-sig-algs=<%s>",
			    value);
			free(kex->peer_sig_algs);
			kex->peer_sig_algs = value;
			value = NULL;
		} else if (!kex->is_server &&
		    strcmp(name, "ping@openssh.com") == 0) {
			if ((r = buf_get_cstring(payload, &value, NULL)) != 0)
				goto out;
			kex->peer_ping = strcmp(value, "0") == 0;
		} else if ((r = buf_get_string(payload, NULL, NULL)) != 0)
			goto out;
		debug2("extension %s", name);
		free(name);
		free(value);
		name = value = NULL;
	}
	r = packet_payload_end(ssh);
 out:
	free(name);
	free(value);
	return r;
}

/* ------------------------------------------------------------ results */

const char *
kex_negotiated(const struct ssh *ssh, enum kex_proposal which)
{
	struct kex *kex = packet_kex(ssh);

	if (kex == NULL || which < 0 || which >= KEX_PROPOSAL_MAX)
		return NULL;
	return kex->neg[which];
}

const u_char *
kex_session_id(const struct ssh *ssh, size_t *lenp)
{
	struct kex *kex = packet_kex(ssh);

	*lenp = 0;
	if (kex == NULL || kex->session_id == NULL)
		return NULL;
	*lenp = kex->session_id_len;
	return kex->session_id;
}

int
kex_is_strict(const struct ssh *ssh)
{
	struct kex *kex = packet_kex(ssh);

	return kex != NULL && kex->strict;
}

const char *
kex_server_sig_algs(const struct ssh *ssh)
{
	struct kex *kex = packet_kex(ssh);

	return kex == NULL ? NULL : kex->peer_sig_algs;
}

int
kex_peer_has_ping(const struct ssh *ssh)
{
	struct kex *kex = packet_kex(ssh);

	return kex != NULL && kex->peer_ping;
}

const struct key *
kex_server_hostkey(const struct ssh *ssh)
{
	struct kex *kex = packet_kex(ssh);

	return kex == NULL ? NULL : kex->server_hostkey;
}
