/*
 * packet.c: the SSH binary packet protocol (RFC 4253 section 6) and the
 * transport's own messages (section 11) over an input and an output
 * buffer (packet.h).  The version exchange (section 4.2) is in
 * packet-version.c.
 *
 * A packet on the wire:
 *	uint32 packet_length, byte padding_length, payload, padding, mac
 * Three framings, by what protects the length field:
 *	MtE   (AES-CTR with a plain HMAC): the length is encrypted with the
 *	      rest; the MAC covers the plaintext.  The first block is
 *	      decrypted alone to learn the length.
 *	EtM   (-etm@openssh.com MACs): the length is in the clear, the rest
 *	      encrypted, the MAC covers length and ciphertext.
 *	AEAD  (GCM: clear length as AAD; chacha20-poly1305: length sealed
 *	      with its own key).  The tag covers everything.
 * Before the first NEWKEYS the cipher is "none" (MtE framing, no MAC).
 */
#include "includes.h"

#include <zlib.h>

#include "buf.h"
#include "cipher.h"
#include "dispatch.h"
#include "errcode.h"
#include "kex.h"
#include "log.h"
#include "mac.h"
#include "misc.h"
#include "packet-impl.h"
#include "ssh2.h"

/* Default rekey limits (RFC 4344 section 3.2 for 128-bit blocks). */
#define REKEY_PACKETS_DEFAULT	((uint64_t)1 << 31)
#define REKEY_BYTES_SMALLBLOCK	((uint64_t)1 << 30)
/* How much unprocessed input we hold. */
#define INPUT_MAX		(4 * PACKET_MAX_SIZE)
/* Bytes of application packets held back during a key exchange. */
#define PACKET_QUEUE_MAX	(64 * 1024 * 1024)
/* Smallest packet_length: padding_length, one payload byte, 4 padding. */
#define PACKET_MIN_LEN		6

enum framing { FRAME_NONE, FRAME_MTE, FRAME_ETM, FRAME_AEAD };

static int packet_handle(struct ssh *, u_char, int *);

/* ------------------------------------------------------------ life */

int
packet_new(int is_server, struct ssh **sshp)
{
	struct ssh *ssh = NULL;
	int r = ERR_ALLOC_FAIL;

	*sshp = NULL;
	if ((ssh = calloc(1, sizeof(*ssh))) == NULL)
		return ERR_ALLOC_FAIL;
	ssh->is_server = is_server != 0;
	ssh->fd_in = ssh->fd_out = -1;
	ssh->q_tail = &ssh->q_head;
	ssh->rekey_packets = REKEY_PACKETS_DEFAULT;
	if ((ssh->input = buf_new()) == NULL ||
	    (ssh->output = buf_new()) == NULL ||
	    (ssh->incoming = buf_new()) == NULL ||
	    (ssh->payload = buf_new()) == NULL ||
	    (ssh->outgoing = buf_new()) == NULL ||
	    (ssh->zbuf = buf_new()) == NULL)
		goto out;
	if ((r = buf_set_max_size(ssh->input, INPUT_MAX)) != 0 ||
	    (r = dispatch_new(&ssh->dispatch)) != 0)
		goto out;
	if ((ssh->peer_desc = strdup("peer")) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	packet_dir_set_limits(ssh, PACKET_IN);
	packet_dir_set_limits(ssh, PACKET_OUT);
	*sshp = ssh;
	ssh = NULL;
	r = 0;
 out:
	packet_free(ssh);
	return r;
}

static void
dir_clear(struct packet_dir *d)
{
	cipher_free(d->cc);
	mac_free(d->mc);
	d->cc = NULL;
	d->mc = NULL;
	explicit_bzero(&d->nk, sizeof(d->nk));
}

static void
zstream_end(struct packet_dir *d, int dir)
{
	if (!d->z_init)
		return;
	if (dir == PACKET_OUT)
		deflateEnd(&d->z);
	else
		inflateEnd(&d->z);
	d->z_init = 0;
}

void
packet_free(struct ssh *ssh)
{
	struct packet_queued *q;
	int i;

	if (ssh == NULL)
		return;
	for (i = 0; i < 2; i++) {
		dir_clear(&ssh->dir[i]);
		zstream_end(&ssh->dir[i], i);
	}
	while ((q = ssh->q_head) != NULL) {
		ssh->q_head = q->next;
		buf_free(q->payload);
		free(q);
	}
	buf_free(ssh->input);
	buf_free(ssh->output);
	buf_free(ssh->incoming);
	buf_free(ssh->payload);
	buf_free(ssh->outgoing);
	buf_free(ssh->zbuf);
	kex_free(ssh->kex);
	dispatch_free(ssh->dispatch);
	free(ssh->addendum);
	free(ssh->our_version);
	free(ssh->peer_version);
	free(ssh->local_desc);
	free(ssh->peer_reason_desc);
	free(ssh->peer_desc);
	freezero(ssh, sizeof(*ssh));
}

int
packet_is_server(const struct ssh *ssh)
{
	return ssh->is_server;
}

void
packet_set_app_data(struct ssh *ssh, void *data)
{
	ssh->app_data = data;
}

void *
packet_get_app_data(const struct ssh *ssh)
{
	return ssh->app_data;
}

int
packet_set_peer_desc(struct ssh *ssh, const char *desc)
{
	char *cp;

	if (desc == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((cp = strdup(desc)) == NULL)
		return ERR_ALLOC_FAIL;
	free(ssh->peer_desc);
	ssh->peer_desc = cp;
	return 0;
}

const char *
packet_peer_desc(const struct ssh *ssh)
{
	return ssh->peer_desc;
}

struct kex *
packet_kex(const struct ssh *ssh)
{
	return ssh->kex;
}

void
packet_set_kex(struct ssh *ssh, struct kex *kex)
{
	ssh->kex = kex;
}

struct dispatch *
packet_dispatch(const struct ssh *ssh)
{
	return ssh->dispatch;
}

/* ------------------------------------------------------------ streams */

int
packet_input(struct ssh *ssh, const void *data, size_t len)
{
	if (ssh->closed)
		return ERR_DISCONNECTED;
	return buf_put(ssh->input, data, len);
}

size_t
packet_input_space(const struct ssh *ssh)
{
	return buf_avail(ssh->input);
}

void
packet_input_eof(struct ssh *ssh)
{
	ssh->eof = 1;
}

size_t
packet_output_len(const struct ssh *ssh)
{
	return buf_len(ssh->output);
}

const u_char *
packet_output_ptr(const struct ssh *ssh)
{
	return buf_ptr(ssh->output);
}

int
packet_output_consume(struct ssh *ssh, size_t len)
{
	return buf_consume(ssh->output, len);
}

/* ------------------------------------------------------------ the end */

static int send_now(struct ssh *, const struct buf *);

static void
vdisconnect(struct ssh *ssh, u_int reason, const char *fmt, va_list ap)
{
	char msg[1024];
	struct buf *m = NULL;

	if (ssh->closed)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (reason == SSH2_DISCONNECT_BY_APPLICATION)
		debug("Disconnecting %s: %s", ssh->peer_desc, msg);
	else
		logit("Disconnecting %s: %s", ssh->peer_desc, msg);
	ssh->local_reason = reason;
	free(ssh->local_desc);
	ssh->local_desc = strdup(msg);
	/* Closed first: nothing else (a rekey) may follow the DISCONNECT. */
	ssh->closed = 1;
	if (!ssh->version_done)
		return;
	/* RFC 4253 11.1: reason, description, language tag. */
	if ((m = buf_new()) == NULL ||
	    buf_put_u8(m, SSH2_MSG_DISCONNECT) != 0 ||
	    buf_put_u32(m, reason) != 0 ||
	    buf_put_cstring(m, msg) != 0 ||
	    buf_put_cstring(m, "") != 0 ||
	    send_now(ssh, m) != 0)
		debug_f("could not queue DISCONNECT");
	buf_free(m);
}

int
packet_disconnect(struct ssh *ssh, u_int reason, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdisconnect(ssh, reason, fmt, ap);
	va_end(ap);
	return ERR_DISCONNECTED;
}

/* Disconnect and hand r back to the caller. */
static int
fail(struct ssh *ssh, int r, u_int reason, const char *fmt, ...)
    __attribute__((__format__(__printf__, 4, 5)));
static int
fail(struct ssh *ssh, int r, u_int reason, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdisconnect(ssh, reason, fmt, ap);
	va_end(ap);
	return r;
}

u_int
packet_error_reason(int r)
{
	switch (r) {
	case ERR_MAC_INVALID:
		return SSH2_DISCONNECT_MAC_ERROR;
	case ERR_NO_CIPHER_ALG_MATCH:
	case ERR_NO_MAC_ALG_MATCH:
	case ERR_NO_COMPRESS_ALG_MATCH:
	case ERR_NO_KEX_ALG_MATCH:
	case ERR_NO_HOSTKEY_ALG_MATCH:
	case ERR_NO_HOSTKEY_LOADED:
	case ERR_DH_GEX_OUT_OF_RANGE:
	case ERR_KEY_INVALID_EC_VALUE:
	case ERR_SIGN_ALG_UNSUPPORTED:
	case ERR_LIBCRYPTO_ERROR:
		return SSH2_DISCONNECT_KEY_EXCHANGE_FAILED;
	case ERR_SIGNATURE_INVALID:
	case ERR_KEY_NOT_FOUND:
	case ERR_KEY_REVOKED:
	case ERR_KEY_TYPE_MISMATCH:
	case ERR_EC_CURVE_MISMATCH:
		return SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE;
	case ERR_PROTOCOL_MISMATCH:
	case ERR_NO_PROTOCOL_VERSION:
		return SSH2_DISCONNECT_PROTOCOL_VERSION_NOT_SUPPORTED;
	case ERR_CONN_CLOSED:
	case ERR_CONN_TIMEOUT:
		return SSH2_DISCONNECT_CONNECTION_LOST;
	default:
		return SSH2_DISCONNECT_PROTOCOL_ERROR;
	}
}

int
packet_fail(struct ssh *ssh, int r, const char *context)
{
	if (r == ERR_DISCONNECTED || ssh->closed)
		return r;
	if (r == 0)
		r = ERR_INTERNAL;
	return fail(ssh, r, packet_error_reason(r), "%s%s%s",
	    context != NULL ? context : "", context != NULL ? ": " : "",
	    errcode_str(r));
}

int
packet_is_closed(const struct ssh *ssh)
{
	return ssh->closed;
}

void
packet_disconnect_info(const struct ssh *ssh, int peer, u_int *reasonp,
    const char **descp)
{
	*reasonp = peer ? ssh->peer_reason : ssh->local_reason;
	*descp = peer ? ssh->peer_reason_desc : ssh->local_desc;
}

/* ------------------------------------------------------------ framing */

static enum framing
dir_framing(const struct packet_dir *d)
{
	const struct cipher *c = cipher_ctx_cipher(d->cc);

	if (c == NULL)
		return FRAME_NONE;
	if (cipher_is_aead(c))
		return FRAME_AEAD;
	if (d->mc != NULL && mac_is_etm(mac_ctx_alg(d->mc)))
		return FRAME_ETM;
	return FRAME_MTE;
}

static size_t
dir_block(const struct packet_dir *d)
{
	const struct cipher *c = cipher_ctx_cipher(d->cc);
	size_t bs = c == NULL ? 8 : cipher_block_size(c);

	return bs < 8 ? 8 : bs;
}

/* Bytes of MAC or tag after a packet. */
static size_t
dir_authlen(const struct packet_dir *d)
{
	const struct cipher *c = cipher_ctx_cipher(d->cc);

	if (c != NULL && cipher_is_aead(c))
		return cipher_tag_len(c);
	return d->mc == NULL ? 0 : mac_tag_len(mac_ctx_alg(d->mc));
}

/*
 * The rekey byte limit of the keys in use: RFC 4344 3.2 for 128-bit
 * blocks (2^(L/4) blocks), 1 GiB for 64-bit blocks; RekeyLimit if lower.
 */
void
packet_dir_set_limits(struct ssh *ssh, int dir)
{
	struct packet_dir *d = &ssh->dir[dir];
	size_t bs = dir_block(d);
	uint64_t max;

	if (bs >= 16)
		max = ((uint64_t)1 << 32) * bs;
	else
		max = REKEY_BYTES_SMALLBLOCK;
	if (ssh->rekey_bytes != 0 && ssh->rekey_bytes < max)
		max = ssh->rekey_bytes;
	d->max_bytes = max;
}

/* ------------------------------------------------------------ compression */

static int
comp_start(struct packet_dir *d, int dir)
{
	int zr;

	if (d->z_init)
		return 0;
	memset(&d->z, 0, sizeof(d->z));
	if (dir == PACKET_OUT)
		zr = deflateInit(&d->z, Z_DEFAULT_COMPRESSION);
	else
		zr = inflateInit(&d->z);
	if (zr != Z_OK)
		return ERR_ALLOC_FAIL;
	d->z_init = 1;
	return 0;
}

/* Compress src into ssh->zbuf, flushing so the peer can decode it now. */
static int
compress_payload(struct ssh *ssh, const struct buf *src)
{
	struct packet_dir *d = &ssh->dir[PACKET_OUT];
	u_char chunk[4096];
	int zr, r;

	buf_reset(ssh->zbuf);
	d->z.next_in = (Bytef *)(uintptr_t)buf_ptr(src);
	d->z.avail_in = (uInt)buf_len(src);
	do {
		d->z.next_out = chunk;
		d->z.avail_out = sizeof(chunk);
		if ((zr = deflate(&d->z, Z_PARTIAL_FLUSH)) != Z_OK) {
			r = ERR_INTERNAL;
			goto out;
		}
		if ((r = buf_put(ssh->zbuf, chunk,
		    sizeof(chunk) - d->z.avail_out)) != 0)
			goto out;
	} while (d->z.avail_out == 0);
	r = 0;
 out:
	explicit_bzero(chunk, sizeof(chunk));
	return r;
}

/* Decompress p[0..len) into ssh->payload, at most PACKET_MAX_PAYLOAD. */
static int
decompress_payload(struct ssh *ssh, const u_char *p, size_t len)
{
	struct packet_dir *d = &ssh->dir[PACKET_IN];
	u_char chunk[4096];
	size_t got;
	int zr, r;

	d->z.next_in = (Bytef *)(uintptr_t)p;
	d->z.avail_in = (uInt)len;
	for (;;) {
		d->z.next_out = chunk;
		d->z.avail_out = sizeof(chunk);
		zr = inflate(&d->z, Z_SYNC_FLUSH);
		got = sizeof(chunk) - d->z.avail_out;
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			r = ERR_INVALID_FORMAT;
			goto out;
		}
		if (got > PACKET_MAX_PAYLOAD - buf_len(ssh->payload)) {
			r = ERR_NO_BUFFER_SPACE;
			goto out;
		}
		if ((r = buf_put(ssh->payload, chunk, got)) != 0)
			goto out;
		if (zr == Z_BUF_ERROR || (d->z.avail_in == 0 &&
		    d->z.avail_out != 0))
			break;
	}
	/* Everything we were given must have been used. */
	r = d->z.avail_in == 0 ? 0 : ERR_INVALID_FORMAT;
 out:
	explicit_bzero(chunk, sizeof(chunk));
	return r;
}

int
packet_enable_delayed_compress(struct ssh *ssh)
{
	int i, r;

	ssh->authenticated = 1;
	for (i = 0; i < 2; i++) {
		if (ssh->dir[i].comp != PACKET_COMP_DELAYED ||
		    ssh->dir[i].comp_on)
			continue;
		if ((r = comp_start(&ssh->dir[i], i)) != 0)
			return r;
		ssh->dir[i].comp_on = 1;
		debug("Enabled delayed compression (%s)",
		    i == PACKET_IN ? "in" : "out");
	}
	return 0;
}

int
packet_compress_active(const struct ssh *ssh, int dir)
{
	return ssh->dir[dir != 0].comp_on;
}

/* ------------------------------------------------------------ keys */

int
packet_install_keys(struct ssh *ssh, int dir, const struct packet_newkeys *nk)
{
	struct packet_dir *d = &ssh->dir[dir];
	struct cipher_ctx *cc = NULL;
	struct mac_ctx *mc = NULL;
	int r;

	if (nk->cipher == NULL || (nk->mac == NULL &&
	    !cipher_is_aead(nk->cipher)))
		return ERR_INVALID_ARGUMENT;
	if ((r = cipher_init(&cc, nk->cipher, nk->key, nk->key_len, nk->iv,
	    nk->iv_len, dir == PACKET_OUT ? CIPHER_ENCRYPT :
	    CIPHER_DECRYPT)) != 0)
		return r;
	if (!cipher_is_aead(nk->cipher) &&
	    (r = mac_init(&mc, nk->mac, nk->mac_key, nk->mac_key_len)) != 0) {
		cipher_free(cc);
		return r;
	}
	dir_clear(d);
	d->cc = cc;
	d->mc = mc;
	d->nk = *nk;
	if (cipher_is_aead(nk->cipher))
		d->nk.mac = NULL;
	/*
	 * RFC 4253 6.2: the compression context starts afresh with each new
	 * set of keys; zlib@openssh.com only once authentication is over.
	 */
	d->comp_on = 0;
	zstream_end(d, dir);
	d->comp = nk->comp;
	if (d->comp == PACKET_COMP_ZLIB ||
	    (d->comp == PACKET_COMP_DELAYED && ssh->authenticated)) {
		if ((r = comp_start(d, dir)) != 0)
			return r;
		d->comp_on = 1;
	}
	d->bytes = d->packets = 0;
	packet_dir_set_limits(ssh, dir);
	return 0;
}

int
packet_set_newkeys(struct ssh *ssh, int dir, const struct packet_newkeys *nk,
    int reset_seqnr)
{
	int r;

	dir = dir != 0;
	if ((r = packet_install_keys(ssh, dir, nk)) != 0)
		return r;
	if (reset_seqnr)
		ssh->dir[dir].seqnr = 0;
	if (dir == PACKET_IN)
		ssh->peer_in_kex = 0;
	debug2_f("%s keys: %s %s", dir == PACKET_IN ? "in" : "out",
	    cipher_name(nk->cipher),
	    nk->mac == NULL ? "<implicit>" : mac_name(nk->mac));
	return 0;
}

const char *
packet_cipher_name(const struct ssh *ssh, int dir)
{
	const struct cipher *c = cipher_ctx_cipher(ssh->dir[dir != 0].cc);

	return c == NULL ? "none" : cipher_name(c);
}

const char *
packet_mac_name(const struct ssh *ssh, int dir)
{
	const struct packet_dir *d = &ssh->dir[dir != 0];

	if (d->mc == NULL)
		return d->cc == NULL ? "none" : "<implicit>";
	return mac_name(mac_ctx_alg(d->mc));
}

void
packet_set_seqnr(struct ssh *ssh, int dir, uint32_t seqnr)
{
	ssh->dir[dir != 0].seqnr = seqnr;
}

/* ------------------------------------------------------------ sending */

int
packet_start(struct ssh *ssh, uint8_t type, struct buf **payloadp)
{
	int r;

	*payloadp = NULL;
	buf_reset(ssh->outgoing);
	if ((r = buf_put_u8(ssh->outgoing, type)) != 0)
		return r;
	*payloadp = ssh->outgoing;
	return 0;
}

/*
 * Frame body (type byte + payload) into the output: length, padding
 * length, payload, random padding (RFC 4253 6: at least 4 bytes, total a
 * multiple of the block size), then encrypt and MAC.
 */
static int
frame_packet(struct ssh *ssh, const struct buf *body)
{
	struct packet_dir *d = &ssh->dir[PACKET_OUT];
	enum framing fr = dir_framing(d);
	size_t bs = dir_block(d), authlen = dir_authlen(d);
	size_t plen = buf_len(body), aligned, padlen, len;
	u_char *p;
	int r;

	if (plen > PACKET_MAX_PAYLOAD)
		return ERR_NO_BUFFER_SPACE;
	/* EtM and AEAD keep the length field out of the block alignment. */
	aligned = (fr == FRAME_ETM || fr == FRAME_AEAD) ? 1 + plen :
	    4 + 1 + plen;
	padlen = bs - (aligned % bs);
	if (padlen < 4)
		padlen += bs;
	len = 1 + plen + padlen;
	if ((r = buf_reserve(ssh->output, 4 + len + authlen, &p)) != 0)
		return r;
	p[0] = (u_char)(len >> 24);
	p[1] = (u_char)(len >> 16);
	p[2] = (u_char)(len >> 8);
	p[3] = (u_char)len;
	p[4] = (u_char)padlen;
	memcpy(p + 5, buf_ptr(body), plen);
	arc4random_buf(p + 5 + plen, padlen);
	switch (fr) {
	case FRAME_NONE:
		break;
	case FRAME_MTE:
		if ((r = mac_compute(d->mc, d->seqnr, p, 4 + len, p + 4 + len,
		    authlen)) != 0 ||
		    (r = cipher_crypt(d->cc, d->seqnr, NULL, p, 4 + len,
		    NULL, 0)) != 0)
			return r;
		break;
	case FRAME_ETM:
		if ((r = cipher_crypt(d->cc, d->seqnr, p, p + 4, len,
		    NULL, 0)) != 0 ||
		    (r = mac_compute(d->mc, d->seqnr, p, 4 + len, p + 4 + len,
		    authlen)) != 0)
			return r;
		break;
	case FRAME_AEAD:
		if ((r = cipher_crypt(d->cc, d->seqnr, p, p + 4, len,
		    p + 4 + len, authlen)) != 0)
			return r;
		break;
	}
	d->bytes += 4 + len;
	d->total_bytes += 4 + len;
	return 0;
}

/* Count the packet just sent or received; refuse a wrap in initial KEX. */
static int
count_packet(struct ssh *ssh, int dir)
{
	struct packet_dir *d = &ssh->dir[dir];

	d->packets++;
	d->total_packets++;
	if (++d->seqnr == 0 && ssh->kex_count == 0)
		return fail(ssh, ERR_PROTOCOL_ERROR,
		    SSH2_DISCONNECT_PROTOCOL_ERROR, "%s sequence number "
		    "wrapped during initial key exchange",
		    dir == PACKET_IN ? "incoming" : "outgoing");
	return 0;
}

static int
need_rekey(const struct ssh *ssh)
{
	const struct packet_dir *in = &ssh->dir[PACKET_IN];
	const struct packet_dir *out = &ssh->dir[PACKET_OUT];

	if (ssh->kex_count == 0 || ssh->kex_running || ssh->closed ||
	    ssh->kex == NULL)
		return 0;
	if (in->bytes > in->max_bytes || out->bytes > out->max_bytes)
		return 1;
	if (in->packets > ssh->rekey_packets ||
	    out->packets > ssh->rekey_packets)
		return 1;
	if (ssh->rekey_seconds != 0 &&
	    monotime_ms() >= ssh->rekey_time + 1000ULL * ssh->rekey_seconds)
		return 1;
	return 0;
}

int
packet_check_rekey(struct ssh *ssh)
{
	if (!need_rekey(ssh))
		return 0;
	debug("rekeying after limits reached");
	return kex_start_rekey(ssh);
}

/* Messages that go out during a key exchange (RFC 4253 section 7.1). */
static int
bypasses_queue(u_char type)
{
	return (type >= SSH2_MSG_DISCONNECT && type <= SSH2_MSG_DEBUG) ||
	    type == SSH2_MSG_EXT_INFO ||
	    (type >= SSH2_MSG_KEX_MIN && type <= SSH2_MSG_KEX_MAX);
}

static int
send_now(struct ssh *ssh, const struct buf *body)
{
	struct packet_dir *d = &ssh->dir[PACKET_OUT];
	uint8_t type = 0;
	int r;

	if ((r = buf_peek_u8(body, 0, &type)) != 0)
		return r;
	if (d->comp_on) {
		if ((r = compress_payload(ssh, body)) != 0)
			return r;
		body = ssh->zbuf;
	}
	r = frame_packet(ssh, body);
	buf_reset(ssh->zbuf);
	if (r != 0)
		return r;
	if (type == SSH2_MSG_KEXINIT) {
		ssh->kex_running = 1;
		ssh->out_kex = 1;
	}
	if ((r = count_packet(ssh, PACKET_OUT)) != 0)
		return r;
	return packet_check_rekey(ssh);
}

static int
enqueue(struct ssh *ssh, const struct buf *body)
{
	struct packet_queued *q;

	/* A peer that never finishes the KEX must not make us hoard. */
	if (buf_len(body) > PACKET_QUEUE_MAX - ssh->q_bytes)
		return ERR_NO_BUFFER_SPACE;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return ERR_ALLOC_FAIL;
	if ((q->payload = buf_from_copy(buf_ptr(body), buf_len(body))) ==
	    NULL) {
		free(q);
		return ERR_ALLOC_FAIL;
	}
	*ssh->q_tail = q;
	ssh->q_tail = &q->next;
	ssh->q_bytes += buf_len(body);
	return 0;
}

int
packet_send(struct ssh *ssh)
{
	uint8_t type = 0;
	int r;

	if (ssh->closed)
		return ERR_DISCONNECTED;
	if ((r = buf_peek_u8(ssh->outgoing, 0, &type)) != 0)
		return r;
	/* Application packets wait for the new keys. */
	if ((ssh->out_kex || ssh->kex_count == 0) && !bypasses_queue(type))
		r = enqueue(ssh, ssh->outgoing);
	else
		r = send_now(ssh, ssh->outgoing);
	buf_reset(ssh->outgoing);
	return r;
}

int
packet_kex_out_done(struct ssh *ssh)
{
	struct packet_queued *q;
	int r = 0;

	ssh->out_kex = 0;
	while ((q = ssh->q_head) != NULL && r == 0 && !ssh->out_kex) {
		if ((ssh->q_head = q->next) == NULL)
			ssh->q_tail = &ssh->q_head;
		ssh->q_bytes -= buf_len(q->payload);
		r = send_now(ssh, q->payload);
		buf_free(q->payload);
		free(q);
	}
	return r;
}

void
packet_kex_complete(struct ssh *ssh)
{
	ssh->kex_count++;
	ssh->kex_running = 0;
	ssh->rekey_time = monotime_ms();
}

int
packet_send_msg(struct ssh *ssh, uint8_t type, const struct buf *payload)
{
	struct buf *m;
	int r;

	if ((r = packet_start(ssh, type, &m)) != 0 ||
	    (payload != NULL && (r = buf_putb(m, payload)) != 0))
		return r;
	return packet_send(ssh);
}

int
packet_send_ignore(struct ssh *ssh, size_t len)
{
	struct buf *m;
	u_char *p;
	int r;

	if (len > PACKET_MAX_PAYLOAD - 16)
		return ERR_INVALID_ARGUMENT;
	if ((r = packet_start(ssh, SSH2_MSG_IGNORE, &m)) != 0 ||
	    (r = buf_put_u32(m, (uint32_t)len)) != 0 ||
	    (r = buf_reserve(m, len, &p)) != 0)
		return r;
	arc4random_buf(p, len);
	return packet_send(ssh);
}

int
packet_send_debug(struct ssh *ssh, int display, const char *fmt, ...)
{
	char msg[1024];
	struct buf *m;
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if ((r = packet_start(ssh, SSH2_MSG_DEBUG, &m)) != 0 ||
	    (r = buf_put_u8(m, display != 0)) != 0 ||
	    (r = buf_put_cstring(m, msg)) != 0 ||
	    (r = buf_put_cstring(m, "")) != 0)
		return r;
	return packet_send(ssh);
}

/* ------------------------------------------------------------ receiving */

/*
 * An integrity failure: the one error and DISCONNECT for a bad MAC, bad
 * padding and an impossible length once keys are in use.
 */
static int
integrity_fail(struct ssh *ssh)
{
	logit("Corrupted MAC on input from %s", ssh->peer_desc);
	return fail(ssh, ERR_MAC_INVALID, SSH2_DISCONNECT_MAC_ERROR,
	    "Corrupted MAC on input");
}

/*
 * Where the length was decrypted before it could be checked, the failure
 * is reported only after PACKET_MAX_SIZE bytes counted from the start of
 * the bad packet have arrived (or the peer closed), whatever went wrong.
 */
static int
start_discard(struct ssh *ssh)
{
	enum framing fr = dir_framing(&ssh->dir[PACKET_IN]);
	const struct cipher *c = cipher_ctx_cipher(ssh->dir[PACKET_IN].cc);

	if (fr == FRAME_MTE || (c != NULL && cipher_has_sealed_length(c))) {
		ssh->discarding = 1;
		ssh->discard_left = PACKET_MAX_SIZE;
		return 0;
	}
	return integrity_fail(ssh);
}

static int
do_discard(struct ssh *ssh, int *gotp)
{
	size_t n = MINIMUM(buf_len(ssh->input), ssh->discard_left);
	int r;

	*gotp = 0;
	if ((r = buf_consume(ssh->input, n)) != 0)
		return r;
	ssh->discard_left -= n;
	if (ssh->discard_left == 0 || ssh->eof)
		return integrity_fail(ssh);
	return 0;
}

/* Learn the packet_length of the next packet (RFC 4253 6). */
static int
read_header(struct ssh *ssh, int *gotp)
{
	struct packet_dir *d = &ssh->dir[PACKET_IN];
	enum framing fr = dir_framing(d);
	size_t bs = dir_block(d), need = fr == FRAME_MTE ? bs : 4;
	uint32_t len = 0;
	u_char *p;
	int r;

	*gotp = 0;
	if (buf_len(ssh->input) < need)
		return 0;
	if (fr == FRAME_MTE) {
		buf_reset(ssh->incoming);
		if ((r = buf_put(ssh->incoming, buf_ptr(ssh->input), bs)) != 0)
			return r;
		p = buf_mutable_ptr(ssh->incoming);
		if ((r = cipher_crypt(d->cc, d->seqnr, NULL, p, bs,
		    NULL, 0)) != 0 ||
		    (r = buf_peek_u32(ssh->incoming, 0, &len)) != 0)
			return r;
	} else if (d->cc == NULL) {
		if ((r = buf_peek_u32(ssh->input, 0, &len)) != 0)
			return r;
	} else if ((r = cipher_get_length(d->cc, d->seqnr,
	    buf_ptr(ssh->input), buf_len(ssh->input), &len)) != 0)
		return r;
	/* Bound the length before anything depends on it. */
	if (len < PACKET_MIN_LEN || len > PACKET_MAX_SIZE ||
	    ((fr == FRAME_ETM || fr == FRAME_AEAD) ? len % bs :
	    (4 + len) % bs) != 0) {
		if (fr == FRAME_NONE) {
			logit("Bad packet length %u from %s", len,
			    ssh->peer_desc);
			return fail(ssh, ERR_CONN_CORRUPT,
			    SSH2_DISCONNECT_PROTOCOL_ERROR, "Packet corrupt");
		}
		debug("bad packet length %u", len);
		return start_discard(ssh);
	}
	ssh->packlen = len;
	ssh->have_header = 1;
	*gotp = 1;
	return 0;
}

/* Check and decrypt the whole packet into ssh->incoming. */
static int
open_packet(struct ssh *ssh, int *okp)
{
	struct packet_dir *d = &ssh->dir[PACKET_IN];
	enum framing fr = dir_framing(d);
	size_t bs = dir_block(d), authlen = dir_authlen(d);
	size_t len = ssh->packlen;
	const u_char *in = buf_ptr(ssh->input);
	u_char *p;
	int r;

	*okp = 0;
	switch (fr) {
	case FRAME_MTE:
		/* The first block is already decrypted in ssh->incoming. */
		if ((r = buf_put(ssh->incoming, in + bs, 4 + len - bs)) != 0)
			return r;
		p = buf_mutable_ptr(ssh->incoming);
		if ((r = cipher_crypt(d->cc, d->seqnr, NULL, p + bs,
		    4 + len - bs, NULL, 0)) != 0)
			return r;
		if (mac_check(d->mc, d->seqnr, p, 4 + len, in + 4 + len,
		    authlen) != 0)
			return 0;
		break;
	case FRAME_ETM:
		if (mac_check(d->mc, d->seqnr, in, 4 + len, in + 4 + len,
		    authlen) != 0)
			return 0;
		buf_reset(ssh->incoming);
		if ((r = buf_put(ssh->incoming, in, 4 + len)) != 0)
			return r;
		p = buf_mutable_ptr(ssh->incoming);
		if ((r = cipher_crypt(d->cc, d->seqnr, p, p + 4, len,
		    NULL, 0)) != 0)
			return r;
		break;
	case FRAME_AEAD:
		buf_reset(ssh->incoming);
		if ((r = buf_put(ssh->incoming, in, 4 + len + authlen)) != 0)
			return r;
		p = buf_mutable_ptr(ssh->incoming);
		r = cipher_crypt(d->cc, d->seqnr, p, p + 4, len, p + 4 + len,
		    authlen);
		if (r == ERR_MAC_INVALID)
			return 0;
		if (r != 0)
			return r;
		break;
	case FRAME_NONE:
		buf_reset(ssh->incoming);
		if ((r = buf_put(ssh->incoming, in, 4 + len)) != 0)
			return r;
		break;
	}
	*okp = 1;
	return 0;
}

/* Padding and payload of the opened packet into ssh->payload. */
static int
unpad_packet(struct ssh *ssh, int *okp)
{
	struct packet_dir *d = &ssh->dir[PACKET_IN];
	const u_char *p = buf_ptr(ssh->incoming);
	size_t len = ssh->packlen, padlen, plen;
	int r;

	*okp = 0;
	padlen = p[4];
	if (padlen < 4 || padlen > len - 2)
		return 0;
	plen = len - 1 - padlen;
	buf_reset(ssh->payload);
	if (d->comp_on) {
		if ((r = decompress_payload(ssh, p + 5, plen)) != 0) {
			logit("Bad compressed data from %s", ssh->peer_desc);
			return fail(ssh, r, SSH2_DISCONNECT_COMPRESSION_ERROR,
			    "Decompression failed");
		}
	} else if ((r = buf_put(ssh->payload, p + 5, plen)) != 0)
		return r;
	*okp = 1;
	return 0;
}

/* One packet from the input, if a whole one is there (*gotp). */
static int
read_packet(struct ssh *ssh, int *gotp)
{
	struct packet_dir *d = &ssh->dir[PACKET_IN];
	size_t total;
	int ok, r;

	*gotp = 0;
	if (ssh->discarding)
		return do_discard(ssh, gotp);
	if (!ssh->have_header) {
		if ((r = read_header(ssh, &ok)) != 0 || !ok)
			return r;
		if (ssh->discarding)
			return do_discard(ssh, gotp);
	}
	total = 4 + (size_t)ssh->packlen + dir_authlen(d);
	if (buf_len(ssh->input) < total)
		return 0;
	if ((r = open_packet(ssh, &ok)) != 0)
		return r;
	if (ok && (r = unpad_packet(ssh, &ok)) != 0)
		return r;
	buf_reset(ssh->incoming);
	ssh->have_header = 0;
	if (!ok) {
		if (d->cc == NULL) {
			logit("Bad packet padding from %s", ssh->peer_desc);
			return fail(ssh, ERR_CONN_CORRUPT,
			    SSH2_DISCONNECT_PROTOCOL_ERROR, "Packet corrupt");
		}
		return start_discard(ssh);
	}
	if ((r = buf_consume(ssh->input, total)) != 0)
		return r;
	d->bytes += 4 + ssh->packlen;
	d->total_bytes += 4 + ssh->packlen;
	ssh->cur_seqnr = d->seqnr;
	if ((r = count_packet(ssh, PACKET_IN)) != 0)
		return r;
	if ((r = buf_get_u8(ssh->payload, &ssh->cur_type)) != 0)
		return fail(ssh, ERR_CONN_CORRUPT,
		    SSH2_DISCONNECT_PROTOCOL_ERROR, "Empty packet");
	*gotp = 1;
	return 0;
}

struct buf *
packet_payload(struct ssh *ssh)
{
	return ssh->payload;
}

int
packet_payload_end(struct ssh *ssh)
{
	return buf_len(ssh->payload) == 0 ? 0 : ERR_UNEXPECTED_TRAILING_DATA;
}

uint32_t
packet_seqnr(const struct ssh *ssh)
{
	return ssh->cur_seqnr;
}

void
packet_skip_next(struct ssh *ssh)
{
	ssh->skip_next = 1;
}

void
packet_set_strict_kex(struct ssh *ssh, int on)
{
	ssh->strict = on != 0;
}

int
packet_strict_kex(const struct ssh *ssh)
{
	return ssh->strict;
}

int
packet_in_kex(const struct ssh *ssh)
{
	return ssh->kex_running;
}

u_int
packet_kex_count(const struct ssh *ssh)
{
	return ssh->kex_count;
}

void
packet_get_totals(const struct ssh *ssh, int dir, uint64_t *bytesp,
    uint64_t *packetsp)
{
	*bytesp = ssh->dir[dir != 0].total_bytes;
	*packetsp = ssh->dir[dir != 0].total_packets;
}

/* ------------------------------------------------------------ messages */

/* RFC 4253 11.1 */
static int
recv_disconnect(struct ssh *ssh)
{
	uint32_t reason = 0;
	char *desc = NULL;
	int r;

	if ((r = buf_get_u32(ssh->payload, &reason)) != 0 ||
	    (r = buf_get_cstring(ssh->payload, &desc, NULL)) != 0 ||
	    (r = buf_get_string(ssh->payload, NULL, NULL)) != 0) {
		free(desc);
		desc = NULL;
	}
	if (reason == SSH2_DISCONNECT_BY_APPLICATION)
		verbose("Received disconnect from %s:%u: %s", ssh->peer_desc,
		    reason, desc == NULL ? "(malformed)" : desc);
	else
		logit("Received disconnect from %s:%u: %s", ssh->peer_desc,
		    reason, desc == NULL ? "(malformed)" : desc);
	ssh->peer_reason = reason;
	free(ssh->peer_reason_desc);
	ssh->peer_reason_desc = desc;
	ssh->closed = 1;
	return ERR_DISCONNECTED;
}

/* RFC 4253 11.3 */
static int
recv_debug(struct ssh *ssh)
{
	uint8_t display = 0;
	char *msg = NULL;
	int r;

	if ((r = buf_get_u8(ssh->payload, &display)) != 0 ||
	    (r = buf_get_cstring(ssh->payload, &msg, NULL)) != 0 ||
	    (r = buf_get_string(ssh->payload, NULL, NULL)) != 0 ||
	    (r = packet_payload_end(ssh)) != 0)
		goto out;
	if (display)
		logit("Remote: %s", msg);
	else
		debug("Remote: %s", msg);
 out:
	free(msg);
	return r;
}

/* RFC 4253 11.4 */
static int
recv_unimplemented(struct ssh *ssh)
{
	uint32_t seq = 0;
	int r;

	if ((r = buf_get_u32(ssh->payload, &seq)) != 0 ||
	    (r = packet_payload_end(ssh)) != 0)
		return r;
	debug("Received SSH2_MSG_UNIMPLEMENTED for %u", seq);
	return 0;
}

/* PROTOCOL 1.9: answer PING with PONG carrying the same data. */
static int
recv_ping(struct ssh *ssh, u_char type)
{
	const u_char *data = NULL;
	size_t len = 0;
	struct buf *m;
	int r;

	if ((r = buf_get_string_direct(ssh->payload, &data, &len)) != 0 ||
	    (r = packet_payload_end(ssh)) != 0)
		return r;
	if (type == SSH2_MSG_PONG) {
		debug2("Received SSH2_MSG_PONG len %zu", len);
		return 0;
	}
	if ((r = packet_start(ssh, SSH2_MSG_PONG, &m)) != 0 ||
	    (r = buf_put_string(m, data, len)) != 0)
		return r;
	return packet_send(ssh);
}

/*
 * Anything not allowed now: an application message before the first KEX
 * completed or while the peer is in a key exchange, or any message the
 * table has no handler for.
 */
static int
unexpected(struct ssh *ssh, u_char type)
{
	return dispatch_unexpected(type, ssh->cur_seqnr, ssh);
}

/* During the initial KEX under strict KEX nothing unexpected may come. */
static int
strict_initial(const struct ssh *ssh)
{
	return ssh->strict && ssh->kex_count == 0;
}

/*
 * Handle a transport message; *for_app is set when the message is for
 * the caller of packet_next().
 */
static int
packet_handle(struct ssh *ssh, u_char type, int *for_app)
{
	int r;

	*for_app = 0;
	switch (type) {
	case SSH2_MSG_DISCONNECT:
		return recv_disconnect(ssh);
	case SSH2_MSG_IGNORE:
	case SSH2_MSG_DEBUG:
	case SSH2_MSG_UNIMPLEMENTED:
		if (strict_initial(ssh))
			return unexpected(ssh, type);
		if (type == SSH2_MSG_DEBUG)
			return recv_debug(ssh);
		if (type == SSH2_MSG_UNIMPLEMENTED)
			return recv_unimplemented(ssh);
		return 0;
	case SSH2_MSG_PING:
	case SSH2_MSG_PONG:
		if (ssh->kex_count == 0)
			return unexpected(ssh, type);
		return recv_ping(ssh, type);
	default:
		break;
	}
	if (type == SSH2_MSG_KEXINIT) {
		ssh->kex_running = 1;
		ssh->peer_in_kex = 1;
	}
	/* RFC 8308 2.4: EXT_INFO only after NEWKEYS, never inside a KEX. */
	if (type == SSH2_MSG_EXT_INFO &&
	    (ssh->kex_count == 0 || ssh->peer_in_kex))
		return unexpected(ssh, type);
	if (type == SSH2_MSG_EXT_INFO ||
	    (type >= SSH2_MSG_KEX_MIN && type <= SSH2_MSG_KEX_MAX))
		return dispatch_call(ssh, type, ssh->cur_seqnr);
	if (ssh->kex_count == 0 || ssh->peer_in_kex)
		return unexpected(ssh, type);
	if ((r = packet_check_rekey(ssh)) != 0)
		return r;
	*for_app = 1;
	return 0;
}

int
packet_next(struct ssh *ssh, u_char *typep)
{
	int got, for_app, r;

	*typep = SSH2_MSG_NONE;
	if (ssh->closed)
		return ERR_DISCONNECTED;
	if (!ssh->version_done) {
		if ((r = packet_version_process(ssh)) != 0)
			return ssh->closed ? r : packet_fail(ssh, r, NULL);
		if (!ssh->version_done)
			return 0;
	}
	for (;;) {
		if ((r = read_packet(ssh, &got)) != 0)
			return ssh->closed ? r : packet_fail(ssh, r, NULL);
		if (ssh->closed)
			return ERR_DISCONNECTED;
		if (!got) {
			if (!ssh->eof)
				return 0;
			logit("Connection closed by %s", ssh->peer_desc);
			ssh->closed = 1;
			return ERR_CONN_CLOSED;
		}
		if (ssh->skip_next) {
			debug("skipping packet type %u (wrong guess)",
			    ssh->cur_type);
			ssh->skip_next = 0;
			continue;
		}
		r = packet_handle(ssh, ssh->cur_type, &for_app);
		if (r != 0)
			return packet_fail(ssh, r, NULL);
		if (ssh->closed)
			return ERR_DISCONNECTED;
		if (for_app) {
			*typep = ssh->cur_type;
			return 0;
		}
	}
}

/* ------------------------------------------------------------ rekeying */

void
packet_set_rekey_limits(struct ssh *ssh, uint64_t max_bytes, uint32_t seconds,
    uint64_t max_packets)
{
	ssh->rekey_bytes = max_bytes;
	ssh->rekey_seconds = seconds;
	ssh->rekey_packets = max_packets == 0 ? REKEY_PACKETS_DEFAULT :
	    max_packets;
	packet_dir_set_limits(ssh, PACKET_IN);
	packet_dir_set_limits(ssh, PACKET_OUT);
}

int
packet_rekey_timeout_ms(const struct ssh *ssh)
{
	uint64_t now, due;

	if (ssh->rekey_seconds == 0 || ssh->kex_count == 0 ||
	    ssh->kex_running)
		return -1;
	now = monotime_ms();
	due = ssh->rekey_time + 1000ULL * ssh->rekey_seconds;
	if (now >= due)
		return 0;
	return due - now > INT_MAX ? INT_MAX : (int)(due - now);
}
