/*
 * harness.c: a client and a server connection run in one process
 * (test_transport.h).
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "kex-names.h"
#include "kex.h"
#include "key.h"
#include "packet.h"
#include "ssh2.h"

#include "../test_helper/test_helper.h"
#include "test_transport.h"

static struct key *hostkeys[HK_MAX];

static const char hostkey_algs[] =
    "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
    "ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256";

void
harness_init(void)
{
	if (hostkeys[0] != NULL)
		return;
	ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &hostkeys[HK_ED25519]), 0);
	ASSERT_INT_EQ(key_generate(KEY_ECDSA, 256, &hostkeys[HK_ECDSA256]), 0);
	ASSERT_INT_EQ(key_generate(KEY_ECDSA, 384, &hostkeys[HK_ECDSA384]), 0);
	ASSERT_INT_EQ(key_generate(KEY_ECDSA, 521, &hostkeys[HK_ECDSA521]), 0);
	ASSERT_INT_EQ(key_generate(KEY_RSA, 1024, &hostkeys[HK_RSA]), 0);
}

struct key *
harness_hostkey(int slot)
{
	return hostkeys[slot];
}

const char *
harness_hostkey_algs(void)
{
	return hostkey_algs;
}

/* Server: the key for a signature algorithm. */
static int
cb_get_hostkey(struct ssh *ssh, const char *alg, const struct key **pubp,
    void *ctx)
{
	int type, nid, i;

	*pubp = NULL;
	if (kex_names_hostkey_type(alg, &type, &nid) != 0)
		return ERR_KEY_TYPE_UNKNOWN;
	for (i = 0; i < HK_MAX; i++) {
		if ((int)key_type(hostkeys[i]) == type &&
		    (type != KEY_ECDSA || key_ecdsa_nid(hostkeys[i]) == nid)) {
			*pubp = hostkeys[i];
			return 0;
		}
	}
	return ERR_NO_HOSTKEY_LOADED;
}

static int
cb_sign(struct ssh *ssh, const struct key *pub, const char *alg,
    const u_char *data, size_t dlen, u_char **sigp, size_t *siglenp,
    void *ctx)
{
	return key_sign(pub, sigp, siglenp, data, dlen, alg);
}

static int
cb_verify(struct ssh *ssh, const struct key *hostkey, void *ctx)
{
	struct tside *t = ctx;

	t->verified++;
	return t->refuse_hostkey ? ERR_KEY_NOT_FOUND : 0;
}

void
harness_params(struct kex_params *p, int server)
{
	memset(p, 0, sizeof(*p));
	if (server) {
		p->hostkey_algs = hostkey_algs;
		p->compression = "none,zlib@openssh.com,zlib";
		p->cb.get_hostkey = cb_get_hostkey;
		p->cb.sign = cb_sign;
	} else {
		p->cb.verify = cb_verify;
	}
}

static void
side_init(struct tside *t, int server, const struct kex_params *params)
{
	struct kex_params p;

	memset(t, 0, sizeof(*t));
	if (params != NULL)
		p = *params;
	else
		harness_params(&p, server);
	if (!server)
		p.cb.ctx = t;
	ASSERT_INT_EQ(packet_new(server, &t->ssh), 0);
	ASSERT_INT_EQ(packet_set_peer_desc(t->ssh, server ? "client" :
	    "server"), 0);
	ASSERT_PTR_NE(t->rx = buf_new(), NULL);
	ASSERT_INT_EQ(kex_setup(t->ssh, &p), 0);
}

struct tpair *
pair_new(const struct kex_params *cp, const struct kex_params *sp)
{
	struct tpair *p;

	ASSERT_PTR_NE(p = calloc(1, sizeof(*p)), NULL);
	side_init(&p->c, 0, cp);
	side_init(&p->s, 1, sp);
	return p;
}

void
pair_free(struct tpair *p)
{
	if (p == NULL)
		return;
	packet_free(p->c.ssh);
	packet_free(p->s.ssh);
	buf_free(p->c.rx);
	buf_free(p->s.rx);
	free(p);
}

size_t
side_xfer(struct tside *from, struct tside *to)
{
	size_t n = packet_output_len(from->ssh);

	if (n == 0)
		return 0;
	if (!packet_is_closed(to->ssh)) {
		n = MINIMUM(n, packet_input_space(to->ssh));
		ASSERT_INT_EQ(packet_input(to->ssh,
		    packet_output_ptr(from->ssh), n), 0);
	}
	ASSERT_INT_EQ(packet_output_consume(from->ssh, n), 0);
	return n;
}

void
side_step(struct tside *t)
{
	struct buf *pl;
	u_char type;
	int r;

	while (t->err == 0) {
		if ((r = packet_next(t->ssh, &type)) != 0) {
			t->err = r;
			return;
		}
		if (type == SSH2_MSG_NONE)
			return;
		pl = packet_payload(t->ssh);
		ASSERT_INT_EQ(buf_put_u8(t->rx, type), 0);
		ASSERT_INT_EQ(buf_put_stringb(t->rx, pl), 0);
		t->nrx++;
	}
}

u_int
pair_pump(struct tpair *p)
{
	u_int i;
	size_t moved;

	for (i = 0; i < 100000; i++) {
		side_step(&p->c);
		side_step(&p->s);
		moved = side_xfer(&p->c, &p->s);
		moved += side_xfer(&p->s, &p->c);
		if (moved == 0)
			return i;
	}
	ASSERT_TRUE(0);
	return i;
}

void
pair_kex(struct tpair *p)
{
	pair_pump(p);
	ASSERT_INT_EQ(p->c.err, 0);
	ASSERT_INT_EQ(p->s.err, 0);
	ASSERT_INT_GE(packet_kex_count(p->c.ssh), 1);
	ASSERT_INT_GE(packet_kex_count(p->s.ssh), 1);
}

void
side_send(struct tside *t, u_char type, const void *data, size_t len)
{
	struct buf *m;

	ASSERT_INT_EQ(packet_start(t->ssh, type, &m), 0);
	ASSERT_INT_EQ(buf_put(m, data, len), 0);
	ASSERT_INT_EQ(packet_send(t->ssh), 0);
}

int
side_recv(struct tside *t, u_char *typep, u_char **datap, size_t *lenp)
{
	*datap = NULL;
	*lenp = 0;
	if (buf_len(t->rx) == 0)
		return 0;
	ASSERT_INT_EQ(buf_get_u8(t->rx, typep), 0);
	ASSERT_INT_EQ(buf_get_string(t->rx, datap, lenp), 0);
	return 1;
}

u_int
side_sent_reason(const struct tside *t)
{
	const char *desc;
	u_int reason;

	packet_disconnect_info(t->ssh, 0, &reason, &desc);
	return reason;
}

void
raw_packet(struct buf *out, u_char type, const void *data, size_t len)
{
	size_t padlen = 8 - ((4 + 1 + 1 + len) % 8);
	u_char pad[16] = { 0 };

	if (padlen < 4)
		padlen += 8;
	ASSERT_INT_EQ(buf_put_u32(out, (uint32_t)(1 + 1 + len + padlen)), 0);
	ASSERT_INT_EQ(buf_put_u8(out, (uint8_t)padlen), 0);
	ASSERT_INT_EQ(buf_put_u8(out, type), 0);
	ASSERT_INT_EQ(buf_put(out, data, len), 0);
	ASSERT_INT_EQ(buf_put(out, pad, padlen), 0);
}
