/*
 * packet_fuzz.c: libFuzzer target for the transport (packet.c, kex*.c,
 * dispatch.c).  The first input byte picks a mode:
 *
 *   0  the bytes are a client's stream to our server, right after its
 *      version line (binary packets in the clear, KEX messages...);
 *   1  the same towards our client, after a server version line;
 *   2  post-KEX ciphertext to a server holding fixed keys (the second
 *      byte picks the cipher and MAC): framing, MACs, padding, lengths;
 *   3  post-KEX messages: the rest is a script of (type, 16-bit length,
 *      payload) entries that a peer holding the same fixed keys encrypts
 *      and sends, so the parsers behind the decryption are reached.
 *
 * The fixed-key connections are built from a state blob written here in
 * the documented layout of packet-state.c, so every run is reproducible.
 * Nothing may crash, leak or read out of bounds; after an error every
 * further call must fail with ERR_DISCONNECTED.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "kex-names.h"
#include "kex.h"
#include "key.h"
#include "log.h"
#include "packet.h"
#include "ssh2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
	    #x); \
	abort(); \
	} } while (0)

static struct key *hostkey;

static const struct {
	const char *cipher, *mac;
	size_t keylen, ivlen, mackeylen;
} suites[] = {
	{ "chacha20-poly1305@openssh.com", "", 64, 0, 0 },
	{ "aes128-gcm@openssh.com", "", 16, 12, 0 },
	{ "aes256-gcm@openssh.com", "", 32, 12, 0 },
	{ "aes128-ctr", "hmac-sha2-256", 16, 16, 32 },
	{ "aes256-ctr", "hmac-sha2-512-etm@openssh.com", 32, 16, 64 },
	{ "aes192-ctr", "hmac-sha1-etm@openssh.com", 24, 16, 20 },
};
#define NSUITES	(sizeof(suites) / sizeof(suites[0]))

static int
cb_get_hostkey(struct ssh *ssh, const char *alg, const struct key **pubp,
    void *ctx)
{
	if (strcmp(alg, "ssh-ed25519") != 0)
		return ERR_NO_HOSTKEY_LOADED;
	*pubp = hostkey;
	return 0;
}

static int
cb_sign(struct ssh *ssh, const struct key *pub, const char *alg,
    const u_char *d, size_t dlen, u_char **sigp, size_t *siglenp, void *ctx)
{
	return key_sign(pub, sigp, siglenp, d, dlen, alg);
}

static void
init(void)
{
	if (hostkey != NULL)
		return;
	log_init("packet_fuzz", LOG_LEVEL_QUIET, LOG_FACILITY_USER, 1);
	CHECK(key_generate(KEY_ED25519, 0, &hostkey) == 0);
}

/* Process everything; after a failure all must stay failed. */
static void
drain(struct ssh *ssh)
{
	u_char type;
	int r, n;

	for (n = 0; n < 100000; n++) {
		r = packet_next(ssh, &type);
		if (r != 0) {
			CHECK(packet_is_closed(ssh));
			CHECK(packet_next(ssh, &type) == ERR_DISCONNECTED);
			return;
		}
		if (type == SSH2_MSG_NONE)
			return;
		CHECK(buf_len(packet_payload(ssh)) <= PACKET_MAX_PAYLOAD);
	}
}

static void
fuzz_handshake(int server, const uint8_t *data, size_t size)
{
	struct kex_params p;
	struct ssh *ssh = NULL;
	const char *v = server ? "SSH-2.0-fuzz_client\r\n" :
	    "SSH-2.0-fuzz_server\r\n";

	memset(&p, 0, sizeof(p));
	if (server) {
		p.hostkey_algs = "ssh-ed25519";
		p.compression = "none,zlib@openssh.com,zlib";
		p.cb.get_hostkey = cb_get_hostkey;
		p.cb.sign = cb_sign;
	}
	CHECK(packet_new(server, &ssh) == 0);
	CHECK(kex_setup(ssh, &p) == 0);
	CHECK(packet_input(ssh, v, strlen(v)) == 0);
	if (packet_input(ssh, data, size) == 0)
		drain(ssh);
	packet_input_eof(ssh);
	drain(ssh);
	packet_free(ssh);
}

/* One direction of the fixed keys. */
static void
put_dir(struct buf *b, size_t suite)
{
	u_char key[64], iv[16], mkey[64];

	memset(key, 0x11, sizeof(key));
	memset(iv, 0x22, sizeof(iv));
	memset(mkey, 0x33, sizeof(mkey));
	CHECK(buf_put_cstring(b, suites[suite].cipher) == 0);
	CHECK(buf_put_string(b, key, suites[suite].keylen) == 0);
	CHECK(buf_put_string(b, iv, suites[suite].ivlen) == 0);
	CHECK(buf_put_cstring(b, suites[suite].mac) == 0);
	CHECK(buf_put_string(b, mkey, suites[suite].mackeylen) == 0);
	CHECK(buf_put_u32(b, PACKET_COMP_NONE) == 0);
	CHECK(buf_put_u32(b, 0) == 0);		/* seqnr */
	CHECK(buf_put_u64(b, 0) == 0);
	CHECK(buf_put_u64(b, 0) == 0);
	CHECK(buf_put_u64(b, 0) == 0);
	CHECK(buf_put_u64(b, 0) == 0);
}

/* The key exchange state of packet-state.c, fixed. */
static void
put_kex(struct buf *b, int server)
{
	struct buf *k = buf_new();
	u_char sid[32];
	int i;

	CHECK(k != NULL);
	memset(sid, 0x44, sizeof(sid));
	CHECK(buf_put_cstring(k, "keel-kex-v1") == 0);
	CHECK(buf_put_u32(k, (uint32_t)server) == 0);
	CHECK(buf_put_cstring(k, KEX_DEFAULT_KEX) == 0);
	CHECK(buf_put_cstring(k, "ssh-ed25519") == 0);
	for (i = 0; i < 2; i++)
		CHECK(buf_put_cstring(k, KEX_DEFAULT_CIPHERS) == 0);
	for (i = 0; i < 2; i++)
		CHECK(buf_put_cstring(k, KEX_DEFAULT_MACS) == 0);
	for (i = 0; i < 2; i++)
		CHECK(buf_put_cstring(k, "none,zlib@openssh.com") == 0);
	CHECK(buf_put_cstring(k, KEX_DEFAULT_SIG_ALGS) == 0);
	CHECK(buf_put_cstring(k, "") == 0);		/* moduli */
	CHECK(buf_put_u32(k, 2048) == 0);
	CHECK(buf_put_u32(k, 8192) == 0);
	CHECK(buf_put_u32(k, 1) == 0);			/* kex done */
	CHECK(buf_put_u32(k, 1) == 0);			/* strict */
	CHECK(buf_put_u32(k, 1) == 0);			/* ext-info */
	CHECK(buf_put_string(k, sid, sizeof(sid)) == 0);
	for (i = 0; i < KEX_PROPOSAL_MAX; i++)
		CHECK(buf_put_cstring(k, "") == 0);
	CHECK(buf_put_string(k, NULL, 0) == 0);		/* host key */
	CHECK(buf_put_cstring(k, "") == 0);
	CHECK(buf_put_u32(k, 0) == 0);
	CHECK(buf_put_stringb(b, k) == 0);
	buf_free(k);
}

/* A connection in role server (1) or client (0) with the fixed keys. */
static struct ssh *
fixed_conn(int server, size_t suite)
{
	struct kex_callbacks cb;
	struct ssh *ssh = NULL;
	struct buf *b = buf_new();

	CHECK(b != NULL);
	CHECK(buf_put_cstring(b, "keel-transport-v1") == 0);
	CHECK(buf_put_u32(b, (uint32_t)server) == 0);
	put_dir(b, suite);
	put_dir(b, suite);
	CHECK(buf_put_u32(b, 1) == 0);			/* kex count */
	CHECK(buf_put_u32(b, 1) == 0);			/* strict */
	CHECK(buf_put_u32(b, 0) == 0);			/* auth done */
	CHECK(buf_put_u64(b, 0) == 0);
	CHECK(buf_put_u32(b, 0) == 0);
	CHECK(buf_put_u64(b, (uint64_t)1 << 31) == 0);
	CHECK(buf_put_cstring(b, server ? "SSH-2.0-s" : "SSH-2.0-c") == 0);
	CHECK(buf_put_cstring(b, server ? "SSH-2.0-c" : "SSH-2.0-s") == 0);
	CHECK(buf_put_string(b, NULL, 0) == 0);		/* input */
	CHECK(buf_put_string(b, NULL, 0) == 0);		/* output */
	put_kex(b, server);
	CHECK(packet_new(server, &ssh) == 0);
	CHECK(packet_state_deserialize(ssh, b) == 0);
	buf_free(b);
	memset(&cb, 0, sizeof(cb));
	if (server) {
		cb.get_hostkey = cb_get_hostkey;
		cb.sign = cb_sign;
	}
	kex_set_callbacks(ssh, &cb);
	return ssh;
}

static void
fuzz_ciphertext(const uint8_t *data, size_t size)
{
	struct ssh *s;

	if (size < 1)
		return;
	s = fixed_conn(1, data[0] % NSUITES);
	if (packet_input(s, data + 1, size - 1) == 0)
		drain(s);
	packet_input_eof(s);
	drain(s);
	packet_free(s);
}

static void
fuzz_messages(const uint8_t *data, size_t size)
{
	struct ssh *c, *s;
	struct buf *m;
	size_t len;

	if (size < 1)
		return;
	c = fixed_conn(0, data[0] % NSUITES);
	s = fixed_conn(1, data[0] % NSUITES);
	data++;
	size--;
	while (size >= 3 && !packet_is_closed(s)) {
		len = MINIMUM((size_t)(data[1] << 8 | data[2]), size - 3);
		if (packet_start(c, data[0], &m) != 0 ||
		    buf_put(m, data + 3, len) != 0 ||
		    packet_send(c) != 0)
			break;
		data += 3 + len;
		size -= 3 + len;
		if (packet_input(s, packet_output_ptr(c),
		    packet_output_len(c)) != 0)
			break;
		CHECK(packet_output_consume(c, packet_output_len(c)) == 0);
		drain(s);
		/* What the server says goes nowhere. */
		CHECK(packet_output_consume(s, packet_output_len(s)) == 0);
	}
	packet_free(c);
	packet_free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	init();
	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0:
		fuzz_handshake(1, data + 1, size - 1);
		break;
	case 1:
		fuzz_handshake(0, data + 1, size - 1);
		break;
	case 2:
		fuzz_ciphertext(data + 1, size - 1);
		break;
	case 3:
		fuzz_messages(data + 1, size - 1);
		break;
	}
	return 0;
}
