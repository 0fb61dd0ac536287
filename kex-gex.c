/*
 * kex-gex.c: diffie-hellman-group-exchange-sha256 (RFC 4419, RFC 8270).
 *
 *	C: KEX_DH_GEX_REQUEST  uint32 min, uint32 n, uint32 max
 *	S: KEX_DH_GEX_GROUP    mpint p, mpint g
 *	C: KEX_DH_GEX_INIT     mpint e
 *	S: KEX_DH_GEX_REPLY    string K_S, mpint f, string signature
 * The exchange hash takes min || n || max || p || g after K_S, with the
 * values the client asked for.  The server picks a group from a moduli(5)
 * file, or from the RFC 3526 groups when it has none.
 */
#include "includes.h"

#include <openssl/bn.h>
#include <openssl/err.h>

#include "buf.h"
#include "dispatch.h"
#include "errcode.h"
#include "kex-impl.h"
#include "log.h"
#include "packet.h"
#include "ssh2.h"

/* moduli(5) fields and limits. */
#define MODULI_TYPE_SAFE	2
#define MODULI_TESTS_COMPOSITE	0x01
#define MODULI_LINE_MAX		8192

static int gex_input_group(int, uint32_t, struct ssh *);
static int gex_input_client_reply(int, uint32_t, struct ssh *);
static int gex_input_request(int, uint32_t, struct ssh *);
static int gex_input_init(int, uint32_t, struct ssh *);

/* Modulus size for the strength the ciphers need (NIST SP 800-57). */
static u_int
gex_estimate(u_int need_bits)
{
	if (need_bits <= 112)
		return 2048;
	if (need_bits <= 128)
		return 3072;
	if (need_bits <= 192)
		return 7680;
	return 8192;
}

/* min || n || max || p || g for the exchange hash. */
static int
gex_hash_extra(const struct kex *kex, struct buf **extrap)
{
	struct buf *b;
	int r;

	*extrap = NULL;
	if ((b = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = buf_put_u32(b, kex->gex_req_min)) != 0 ||
	    (r = buf_put_u32(b, kex->gex_req_n)) != 0 ||
	    (r = buf_put_u32(b, kex->gex_req_max)) != 0 ||
	    (r = buf_put_bignum2(b, kex->dh_p)) != 0 ||
	    (r = buf_put_bignum2(b, kex->dh_g)) != 0) {
		buf_free(b);
		return r;
	}
	*extrap = b;
	return 0;
}

/* ------------------------------------------------------------ client */

int
kex_gex_client_start(struct ssh *ssh)
{
	struct kex *kex = packet_kex(ssh);
	struct buf *m;
	u_int n;
	int r;

	n = gex_estimate(kex->need_bits);
	n = MAXIMUM(n, kex->gex_min);
	n = MINIMUM(n, kex->gex_max);
	kex->gex_req_min = kex->gex_min;
	kex->gex_req_n = n;
	kex->gex_req_max = kex->gex_max;
	if ((r = packet_start(ssh, SSH2_MSG_KEX_DH_GEX_REQUEST, &m)) != 0 ||
	    (r = buf_put_u32(m, kex->gex_req_min)) != 0 ||
	    (r = buf_put_u32(m, kex->gex_req_n)) != 0 ||
	    (r = buf_put_u32(m, kex->gex_req_max)) != 0 ||
	    (r = packet_send(ssh)) != 0)
		return r;
	debug("SSH2_MSG_KEX_DH_GEX_REQUEST(%u<%u<%u) sent", kex->gex_req_min,
	    kex->gex_req_n, kex->gex_req_max);
	dispatch_set(ssh, SSH2_MSG_KEX_DH_GEX_GROUP, gex_input_group);
	return 0;
}

/* 1 if 2 <= g <= p - 2. */
static int
gex_generator_ok(const BIGNUM *g, const BIGNUM *p)
{
	BIGNUM *pm2;
	int ok;

	if (BN_is_negative(g) || BN_num_bits(g) < 2)
		return 0;
	if ((pm2 = BN_dup(p)) == NULL || BN_sub_word(pm2, 2) != 1) {
		BN_free(pm2);
		return 0;
	}
	ok = BN_cmp(g, pm2) <= 0;
	BN_free(pm2);
	return ok;
}

static int
gex_input_group(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct kex *kex = packet_kex(ssh);
	struct buf *payload = packet_payload(ssh);
	BIGNUM *p = NULL, *g = NULL;
	u_int bits;
	int r;

	(void)seqnr;
	dispatch_set(ssh, type, NULL);
	if ((r = buf_get_bignum2(payload, &p)) != 0 ||
	    (r = buf_get_bignum2(payload, &g)) != 0 ||
	    (r = packet_payload_end(ssh)) != 0)
		goto out;
	bits = (u_int)BN_num_bits(p);
	debug("SSH2_MSG_KEX_DH_GEX_GROUP received: %u bits", bits);
	if (bits < kex->gex_req_min || bits > kex->gex_req_max) {
		error("DH group from the server is %u bits, outside %u-%u",
		    bits, kex->gex_req_min, kex->gex_req_max);
		r = ERR_DH_GEX_OUT_OF_RANGE;
		goto out;
	}
	if (!BN_is_odd(p) || !gex_generator_ok(g, p)) {
		r = ERR_DH_GEX_OUT_OF_RANGE;
		goto out;
	}
	BN_free(kex->dh_p);
	BN_free(kex->dh_g);
	kex->dh_p = p;
	kex->dh_g = g;
	p = g = NULL;
	if ((r = kex_send_client_field(ssh, SSH2_MSG_KEX_DH_GEX_INIT)) != 0)
		goto out;
	dispatch_set(ssh, SSH2_MSG_KEX_DH_GEX_REPLY, gex_input_client_reply);
 out:
	BN_free(p);
	BN_free(g);
	return r;
}

static int
gex_input_client_reply(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct buf *extra = NULL;
	int r;

	(void)seqnr;
	dispatch_set(ssh, type, NULL);
	if ((r = gex_hash_extra(packet_kex(ssh), &extra)) != 0)
		return r;
	r = kex_client_reply(ssh, extra);
	buf_free(extra);
	return r;
}

/* ------------------------------------------------------------ server */

void
kex_gex_server_arm(struct ssh *ssh)
{
	dispatch_set(ssh, SSH2_MSG_KEX_DH_GEX_REQUEST, gex_input_request);
}

/* The group for a request: from the moduli file, else a fixed one. */
static int
gex_pick_group(struct kex *kex, u_int min, u_int n, u_int max)
{
	int id, r;

	if (kex->moduli_text != NULL || kex->moduli_path != NULL) {
		r = kex->moduli_text != NULL ?
		    kex_gex_choose_moduli_text(kex->moduli_text, min, n, max,
		    &kex->dh_p, &kex->dh_g) :
		    kex_gex_choose_moduli(kex->moduli_path, min, n, max,
		    &kex->dh_p, &kex->dh_g);
		if (r == 0)
			return 0;
		logit("no suitable group in %s (%s): using a built-in group",
		    kex->moduli_path != NULL ? kex->moduli_path : "moduli",
		    errcode_str(r));
	}
	if ((id = kex_dh_group_for_bits(min, n, max)) < 0)
		return ERR_DH_GEX_OUT_OF_RANGE;
	return kex_dh_set_group(kex, id);
}

static int
gex_input_request(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct kex *kex = packet_kex(ssh);
	struct buf *payload = packet_payload(ssh), *m;
	uint32_t min = 0, n = 0, max = 0;
	int r;

	(void)seqnr;
	dispatch_set(ssh, type, NULL);
	if ((r = buf_get_u32(payload, &min)) != 0 ||
	    (r = buf_get_u32(payload, &n)) != 0 ||
	    (r = buf_get_u32(payload, &max)) != 0 ||
	    (r = packet_payload_end(ssh)) != 0)
		return r;
	debug("SSH2_MSG_KEX_DH_GEX_REQUEST(%u<%u<%u) received", min, n, max);
	if (min > n || n > max) {
		error("bad group exchange request %u<%u<%u", min, n, max);
		return ERR_DH_GEX_OUT_OF_RANGE;
	}
	kex->gex_req_min = min;
	kex->gex_req_n = n;
	kex->gex_req_max = max;
	/* Our own bounds (RFC 8270: nothing below 2048 bits). */
	min = MAXIMUM(min, KEX_GEX_MIN);
	max = MINIMUM(max, KEX_GEX_MAX);
	n = MAXIMUM(n, min);
	n = MINIMUM(n, max);
	if (min > max)
		return ERR_DH_GEX_OUT_OF_RANGE;
	if ((r = gex_pick_group(kex, min, n, max)) != 0)
		return r;
	if ((r = packet_start(ssh, SSH2_MSG_KEX_DH_GEX_GROUP, &m)) != 0 ||
	    (r = buf_put_bignum2(m, kex->dh_p)) != 0 ||
	    (r = buf_put_bignum2(m, kex->dh_g)) != 0 ||
	    (r = packet_send(ssh)) != 0)
		return r;
	dispatch_set(ssh, SSH2_MSG_KEX_DH_GEX_INIT, gex_input_init);
	return 0;
}

static int
gex_input_init(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct buf *payload = packet_payload(ssh);
	struct buf *content = NULL, *field = NULL, *extra = NULL;
	int r;

	(void)seqnr;
	dispatch_set(ssh, type, NULL);
	if ((r = buf_froms(payload, &content)) != 0 ||
	    (r = packet_payload_end(ssh)) != 0)
		goto out;
	if ((field = buf_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_put_stringb(field, content)) != 0 ||
	    (r = gex_hash_extra(packet_kex(ssh), &extra)) != 0)
		goto out;
	r = kex_server_reply(ssh, SSH2_MSG_KEX_DH_GEX_REPLY, field, extra);
 out:
	buf_free(content);
	buf_free(field);
	buf_free(extra);
	return r;
}

/* ------------------------------------------------------------ moduli */

struct moduli_entry {
	u_int bits;
	BIGNUM *p, *g;
};

/* Parse one moduli(5) line; 0 and *okp 0 for comments and bad lines. */
static int
moduli_parse(char *line, struct moduli_entry *e, int *okp)
{
	char *f[7], *cp = line;
	const char *errstr = NULL;
	long long type, tests, size;
	int i;

	*okp = 0;
	e->p = e->g = NULL;
	if (*line == '#' || *line == '\0' || *line == '\n')
		return 0;
	for (i = 0; i < 7; i++) {
		while (*cp == ' ' || *cp == '\t')
			cp++;
		f[i] = cp;
		cp += strcspn(cp, " \t\r\n");
		if (f[i] == cp)
			return 0;
		if (*cp != '\0')
			*cp++ = '\0';
	}
	type = strtonum(f[1], 0, 100, &errstr);
	if (errstr != NULL || type != MODULI_TYPE_SAFE)
		return 0;
	tests = strtonum(f[2], 0, 255, &errstr);
	if (errstr != NULL || (tests & MODULI_TESTS_COMPOSITE) != 0 ||
	    tests == 0)
		return 0;
	size = strtonum(f[4], 1, 100000, &errstr);
	if (errstr != NULL)
		return 0;
	if (BN_hex2bn(&e->g, f[5]) == 0 || BN_hex2bn(&e->p, f[6]) == 0) {
		ERR_clear_error();
		goto bad;
	}
	/* The size field is the modulus length in bits less one. */
	e->bits = (u_int)BN_num_bits(e->p);
	if ((long long)e->bits != size + 1 || !BN_is_odd(e->p) ||
	    !gex_generator_ok(e->g, e->p))
		goto bad;
	*okp = 1;
	return 0;
 bad:
	BN_free(e->p);
	BN_free(e->g);
	e->p = e->g = NULL;
	return 0;
}

/*
 * 1 if a modulus of bits is a better fit for want than one of best (0:
 * none yet): the largest not above want, else the smallest above it.
 */
static int
size_better(u_int bits, u_int best, u_int want)
{
	if (best == 0)
		return 1;
	if (bits <= want)
		return best > want || bits > best;
	return best > want && bits < best;
}

/*
 * Visit the usable entries of the file: with pick < 0 find the best size
 * and count its entries; otherwise keep the pick-th entry of that size.
 */
static int
moduli_scan(FILE *f, u_int min, u_int want, u_int max, u_int *bestp,
    u_int *countp, long pick, struct moduli_entry *out)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	struct moduli_entry e;
	int ok, r = 0;

	*countp = 0;
	while ((n = getline(&line, &cap, f)) != -1) {
		if (n > MODULI_LINE_MAX)
			continue;
		if ((r = moduli_parse(line, &e, &ok)) != 0)
			break;
		if (!ok)
			continue;
		if (e.bits >= min && e.bits <= max) {
			if (pick < 0 && size_better(e.bits, *bestp, want)) {
				*bestp = e.bits;
				*countp = 0;
			}
			if (e.bits == *bestp && pick >= 0 &&
			    (long)(*countp) == pick) {
				*out = e;
				(*countp)++;
				continue;
			}
			if (e.bits == *bestp)
				(*countp)++;
		}
		BN_free(e.p);
		BN_free(e.g);
	}
	free(line);
	return r;
}

static int
moduli_choose(FILE *f, const char *name, u_int min, u_int want, u_int max,
    BIGNUM **pp, BIGNUM **gp)
{
	struct moduli_entry e = { 0, NULL, NULL };
	u_int best = 0, count = 0;
	int r;

	if ((r = moduli_scan(f, min, want, max, &best, &count, -1,
	    &e)) != 0)
		return r;
	if (count == 0)
		return ERR_NOT_FOUND;
	rewind(f);
	if ((r = moduli_scan(f, min, want, max, &best, &count,
	    (long)arc4random_uniform(count), &e)) != 0)
		return r;
	if (e.p == NULL) {
		/* The file changed under us. */
		return ERR_NOT_FOUND;
	}
	debug_f("group of %u bits from %s", best, name);
	*pp = e.p;
	*gp = e.g;
	return 0;
}

int
kex_gex_choose_moduli(const char *path, u_int min, u_int want, u_int max,
    BIGNUM **pp, BIGNUM **gp)
{
	FILE *f;
	int r;

	*pp = *gp = NULL;
	if ((f = fopen(path, "r")) == NULL)
		return ERR_ERRNO;
	r = moduli_choose(f, path, min, want, max, pp, gp);
	fclose(f);
	return r;
}

/* sshd's pre-auth child cannot open files: the monitor read it before. */
int
kex_gex_choose_moduli_text(const char *text, u_int min, u_int want,
    u_int max, BIGNUM **pp, BIGNUM **gp)
{
	FILE *f;
	int r;

	*pp = *gp = NULL;
	if (text == NULL || *text == '\0')
		return ERR_NOT_FOUND;
	if ((f = fmemopen((void *)text, strlen(text), "r")) == NULL)
		return ERR_ERRNO;
	r = moduli_choose(f, "moduli text", min, want, max, pp, gp);
	fclose(f);
	return r;
}
