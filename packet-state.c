/*
 * packet-state.c: serialise a connection's transport for sshd's
 * privilege-separation hand-over (packet.h, "privsep") and the key
 * exchange state that goes with it (kex.h).
 *
 * The blob, written and read with the buffer type:
 *	string	"keel-transport-v1"
 *	uint32	is_server
 *	2 x	direction (in, then out): string cipher, string key,
 *		string iv (the one that continues the stream), string mac
 *		("" for none or AEAD), string mac key, uint32 compression,
 *		uint32 seqnr, uint64 bytes, packets, total bytes, packets
 *	uint32	kex_count, uint32 strict, uint32 authenticated
 *	uint64	rekey bytes, uint32 rekey seconds, uint64 rekey packets
 *	string	our version, string peer version
 *	string	unprocessed input, string unsent output
 *	string	kex state (below)
 * It holds session keys: the buffer wipes itself when freed.
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
#include "misc.h"
#include "packet-impl.h"

#define STATE_MAGIC	"keel-transport-v1"
#define KEX_STATE_MAGIC	"keel-kex-v1"

/* ------------------------------------------------------------ packet */

static int
put_dir(const struct packet_dir *d, struct buf *b)
{
	const struct cipher *c = cipher_ctx_cipher(d->cc);
	u_char iv[CIPHER_MAX_IV_LEN];
	size_t ivlen = c == NULL ? 0 : cipher_iv_len(c);
	int r;

	if (c == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((r = cipher_get_iv(d->cc, iv, ivlen)) != 0)
		return r;
	if ((r = buf_put_cstring(b, cipher_name(c))) != 0 ||
	    (r = buf_put_string(b, d->nk.key, d->nk.key_len)) != 0 ||
	    (r = buf_put_string(b, iv, ivlen)) != 0 ||
	    (r = buf_put_cstring(b, d->mc == NULL ? "" :
	    mac_name(mac_ctx_alg(d->mc)))) != 0 ||
	    (r = buf_put_string(b, d->nk.mac_key, d->nk.mac_key_len)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)d->comp)) != 0 ||
	    (r = buf_put_u32(b, d->seqnr)) != 0 ||
	    (r = buf_put_u64(b, d->bytes)) != 0 ||
	    (r = buf_put_u64(b, d->packets)) != 0 ||
	    (r = buf_put_u64(b, d->total_bytes)) != 0 ||
	    (r = buf_put_u64(b, d->total_packets)) != 0)
		goto out;
 out:
	explicit_bzero(iv, sizeof(iv));
	return r;
}

int
packet_state_serialize(struct ssh *ssh, struct buf *b)
{
	struct buf *k = NULL;
	int i, r;

	if (ssh->kex_running || ssh->kex_count == 0 || ssh->closed ||
	    ssh->have_header || ssh->discarding || ssh->q_head != NULL)
		return ERR_FEATURE_UNSUPPORTED;
	for (i = 0; i < 2; i++) {
		if (ssh->dir[i].comp_on)
			return ERR_FEATURE_UNSUPPORTED;
	}
	if ((r = buf_put_cstring(b, STATE_MAGIC)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)ssh->is_server)) != 0 ||
	    (r = put_dir(&ssh->dir[PACKET_IN], b)) != 0 ||
	    (r = put_dir(&ssh->dir[PACKET_OUT], b)) != 0 ||
	    (r = buf_put_u32(b, ssh->kex_count)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)ssh->strict)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)ssh->authenticated)) != 0 ||
	    (r = buf_put_u64(b, ssh->rekey_bytes)) != 0 ||
	    (r = buf_put_u32(b, ssh->rekey_seconds)) != 0 ||
	    (r = buf_put_u64(b, ssh->rekey_packets)) != 0 ||
	    (r = buf_put_cstring(b, ssh->our_version)) != 0 ||
	    (r = buf_put_cstring(b, ssh->peer_version)) != 0 ||
	    (r = buf_put_stringb(b, ssh->input)) != 0 ||
	    (r = buf_put_stringb(b, ssh->output)) != 0)
		return r;
	if ((k = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = kex_state_serialize(ssh->kex, k)) == 0)
		r = buf_put_stringb(b, k);
	buf_free(k);
	return r;
}

/* Copy a string of at most max bytes into out; its length to *lenp. */
static int
get_fixed(struct buf *b, u_char *out, size_t max, size_t *lenp)
{
	const u_char *p;
	size_t len;
	int r;

	if ((r = buf_get_string_direct(b, &p, &len)) != 0)
		return r;
	if (len > max)
		return ERR_INVALID_FORMAT;
	if (len > 0)
		memcpy(out, p, len);
	*lenp = len;
	return 0;
}

static int
get_dir(struct ssh *ssh, int dir, struct buf *b)
{
	struct packet_dir *d = &ssh->dir[dir];
	struct packet_newkeys nk;
	char *cname = NULL, *mname = NULL;
	uint32_t comp = 0, seqnr = 0;
	int r;

	memset(&nk, 0, sizeof(nk));
	if ((r = buf_get_cstring(b, &cname, NULL)) != 0 ||
	    (r = get_fixed(b, nk.key, sizeof(nk.key), &nk.key_len)) != 0 ||
	    (r = get_fixed(b, nk.iv, sizeof(nk.iv), &nk.iv_len)) != 0 ||
	    (r = buf_get_cstring(b, &mname, NULL)) != 0 ||
	    (r = get_fixed(b, nk.mac_key, sizeof(nk.mac_key),
	    &nk.mac_key_len)) != 0 ||
	    (r = buf_get_u32(b, &comp)) != 0 ||
	    (r = buf_get_u32(b, &seqnr)) != 0)
		goto out;
	if ((nk.cipher = cipher_by_name(cname)) == NULL ||
	    (*mname != '\0' && (nk.mac = mac_by_name(mname)) == NULL) ||
	    comp > PACKET_COMP_DELAYED) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	nk.comp = (int)comp;
	if ((r = packet_install_keys(ssh, dir, &nk)) != 0)
		goto out;
	d->seqnr = seqnr;
	if ((r = buf_get_u64(b, &d->bytes)) != 0 ||
	    (r = buf_get_u64(b, &d->packets)) != 0 ||
	    (r = buf_get_u64(b, &d->total_bytes)) != 0 ||
	    (r = buf_get_u64(b, &d->total_packets)) != 0)
		goto out;
 out:
	explicit_bzero(&nk, sizeof(nk));
	free(cname);
	free(mname);
	return r;
}

static int
get_limits(struct ssh *ssh, struct buf *b)
{
	uint32_t kex_count = 0, strict = 0, authenticated = 0;
	int r;

	if ((r = buf_get_u32(b, &kex_count)) != 0 ||
	    (r = buf_get_u32(b, &strict)) != 0 ||
	    (r = buf_get_u32(b, &authenticated)) != 0 ||
	    (r = buf_get_u64(b, &ssh->rekey_bytes)) != 0 ||
	    (r = buf_get_u32(b, &ssh->rekey_seconds)) != 0 ||
	    (r = buf_get_u64(b, &ssh->rekey_packets)) != 0)
		return r;
	if (kex_count == 0 || strict > 1 || authenticated > 1 ||
	    ssh->rekey_packets == 0)
		return ERR_INVALID_FORMAT;
	ssh->kex_count = kex_count;
	ssh->strict = (int)strict;
	ssh->authenticated = (int)authenticated;
	ssh->rekey_time = monotime_ms();
	packet_dir_set_limits(ssh, PACKET_IN);
	packet_dir_set_limits(ssh, PACKET_OUT);
	return 0;
}

int
packet_state_deserialize(struct ssh *ssh, struct buf *b)
{
	struct buf *k = NULL;
	char *magic = NULL;
	uint32_t is_server = 0;
	int r;

	if (ssh->version_sent || ssh->kex != NULL || ssh->kex_count != 0)
		return ERR_INVALID_ARGUMENT;
	if ((r = buf_get_cstring(b, &magic, NULL)) != 0)
		return r;
	if (strcmp(magic, STATE_MAGIC) != 0) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	if ((r = buf_get_u32(b, &is_server)) != 0)
		goto out;
	if (is_server != (uint32_t)ssh->is_server) {
		r = ERR_INVALID_ARGUMENT;
		goto out;
	}
	if ((r = get_dir(ssh, PACKET_IN, b)) != 0 ||
	    (r = get_dir(ssh, PACKET_OUT, b)) != 0 ||
	    (r = get_limits(ssh, b)) != 0 ||
	    (r = buf_get_cstring(b, &ssh->our_version, NULL)) != 0 ||
	    (r = buf_get_cstring(b, &ssh->peer_version, NULL)) != 0 ||
	    (r = buf_get_stringb(b, ssh->input)) != 0 ||
	    (r = buf_get_stringb(b, ssh->output)) != 0 ||
	    (r = buf_froms(b, &k)) != 0 ||
	    (r = kex_state_deserialize(ssh, k)) != 0)
		goto out;
	if (buf_len(b) != 0) {
		r = ERR_UNEXPECTED_TRAILING_DATA;
		goto out;
	}
	ssh->version_sent = ssh->version_done = 1;
	r = 0;
 out:
	free(magic);
	buf_free(k);
	return r;
}

/* ------------------------------------------------------------ kex */

/*
 * The key exchange state that outlives one exchange:
 *	string magic, uint32 is_server, 8 x string our lists (all but the
 *	languages), string server_sig_algs, string moduli path ("" none),
 *	uint32 gex_min, gex_max, kex_done_count, strict, peer_ext_info,
 *	string session_id, 10 x string negotiated names ("" none),
 *	string server host key blob ("" none), string peer sig algs
 *	("" none), uint32 peer_ping
 */
int
kex_state_serialize(const struct kex *kex, struct buf *b)
{
	int i, r;

	if (kex == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((r = buf_put_cstring(b, KEX_STATE_MAGIC)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)kex->is_server)) != 0)
		return r;
	for (i = 0; i < KEX_LANG_C2S; i++) {
		if ((r = buf_put_cstring(b, kex->prop[i])) != 0)
			return r;
	}
	if ((r = buf_put_cstring(b, kex->server_sig_algs)) != 0 ||
	    (r = buf_put_cstring(b, kex->moduli_path == NULL ? "" :
	    kex->moduli_path)) != 0 ||
	    (r = buf_put_u32(b, kex->gex_min)) != 0 ||
	    (r = buf_put_u32(b, kex->gex_max)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)kex->kex_done_count)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)kex->strict)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)kex->peer_ext_info)) != 0 ||
	    (r = buf_put_string(b, kex->session_id,
	    kex->session_id_len)) != 0)
		return r;
	for (i = 0; i < KEX_PROPOSAL_MAX; i++) {
		if ((r = buf_put_cstring(b, kex->neg[i] == NULL ? "" :
		    kex->neg[i])) != 0)
			return r;
	}
	if (kex->server_hostkey != NULL)
		r = key_puts(kex->server_hostkey, b);
	else
		r = buf_put_string(b, NULL, 0);
	if (r != 0 ||
	    (r = buf_put_cstring(b, kex->peer_sig_algs == NULL ? "" :
	    kex->peer_sig_algs)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)kex->peer_ping)) != 0)
		return r;
	return 0;
}

/* A string that is "" for none. */
static int
get_opt_cstring(struct buf *b, char **sp)
{
	int r;

	if ((r = buf_get_cstring(b, sp, NULL)) != 0)
		return r;
	if (**sp == '\0') {
		free(*sp);
		*sp = NULL;
	}
	return 0;
}

static int
kex_get_lists(struct kex *kex, struct buf *b)
{
	static const enum kex_names_kind kinds[KEX_LANG_C2S] = {
		KEX_NAMES_KEX, KEX_NAMES_HOSTKEY, KEX_NAMES_CIPHER,
		KEX_NAMES_CIPHER, KEX_NAMES_MAC, KEX_NAMES_MAC,
		KEX_NAMES_COMPRESSION, KEX_NAMES_COMPRESSION
	};
	int i, r;

	for (i = 0; i < KEX_LANG_C2S; i++) {
		if ((r = buf_get_cstring(b, &kex->prop[i], NULL)) != 0)
			return r;
		if (!kex_names_list_valid(kinds[i], kex->prop[i]))
			return ERR_INVALID_FORMAT;
	}
	if ((kex->prop[KEX_LANG_C2S] = strdup("")) == NULL ||
	    (kex->prop[KEX_LANG_S2C] = strdup("")) == NULL)
		return ERR_ALLOC_FAIL;
	return 0;
}

static int
kex_get_results(struct kex *kex, struct buf *b)
{
	struct buf *hk = NULL;
	uint32_t done = 0, strict = 0, ext = 0, ping = 0;
	size_t len = 0;
	int i, r;

	if ((r = buf_get_u32(b, &kex->gex_min)) != 0 ||
	    (r = buf_get_u32(b, &kex->gex_max)) != 0 ||
	    (r = buf_get_u32(b, &done)) != 0 ||
	    (r = buf_get_u32(b, &strict)) != 0 ||
	    (r = buf_get_u32(b, &ext)) != 0 ||
	    (r = buf_get_string(b, &kex->session_id, &len)) != 0)
		return r;
	kex->session_id_len = len;
	if (done == 0 || done > INT_MAX || len == 0 ||
	    len > DIGEST_MAX_LENGTH)
		return ERR_INVALID_FORMAT;
	kex->kex_done_count = (int)done;
	kex->strict = strict != 0;
	kex->peer_ext_info = ext != 0;
	for (i = 0; i < KEX_PROPOSAL_MAX; i++) {
		if ((r = get_opt_cstring(b, &kex->neg[i])) != 0)
			return r;
	}
	if ((r = buf_froms(b, &hk)) != 0)
		return r;
	if (buf_len(hk) != 0)
		r = key_fromb(hk, &kex->server_hostkey);
	buf_free(hk);
	if (r != 0 ||
	    (r = get_opt_cstring(b, &kex->peer_sig_algs)) != 0 ||
	    (r = buf_get_u32(b, &ping)) != 0)
		return r;
	kex->peer_ping = ping != 0;
	return 0;
}

int
kex_state_deserialize(struct ssh *ssh, struct buf *b)
{
	struct kex *kex = NULL;
	char *magic = NULL;
	uint32_t is_server = 0;
	int r;

	if ((kex = calloc(1, sizeof(*kex))) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = buf_get_cstring(b, &magic, NULL)) != 0)
		goto out;
	if (strcmp(magic, KEX_STATE_MAGIC) != 0) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	if ((r = buf_get_u32(b, &is_server)) != 0)
		goto out;
	kex->is_server = is_server != 0;
	if ((r = kex_get_lists(kex, b)) != 0 ||
	    (r = buf_get_cstring(b, &kex->server_sig_algs, NULL)) != 0 ||
	    (r = get_opt_cstring(b, &kex->moduli_path)) != 0 ||
	    (r = kex_get_results(kex, b)) != 0)
		goto out;
	if (buf_len(b) != 0 || kex->is_server != packet_is_server(ssh)) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	packet_set_kex(ssh, kex);
	kex = NULL;
	kex_arm_handlers(ssh);
	r = 0;
 out:
	free(magic);
	kex_free(kex);
	return r;
}
