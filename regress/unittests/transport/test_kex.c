/*
 * Key exchange in process: every method x cipher x MAC x host key
 * algorithm, guessed packets, ext-info, compression, PING.
 */
#include "includes.h"

#include "buf.h"
#include "cipher.h"
#include "errcode.h"
#include "kex-names.h"
#include "kex.h"
#include "key.h"
#include "packet.h"
#include "ssh2.h"

#include "../test_helper/test_helper.h"
#include "test_transport.h"

/* Split a comma list into a NULL-terminated array (one allocation). */
static char **
split_list(char *list)
{
	char **v, *cp;
	size_t n = 2, i = 0;

	for (cp = list; *cp != '\0'; cp++)
		n += *cp == ',';
	ASSERT_PTR_NE(v = calloc(n, sizeof(*v)), NULL);
	while ((cp = strsep(&list, ",")) != NULL)
		v[i++] = cp;
	return v;
}

/* Send a message each way and check it arrives intact. */
static void
check_traffic(struct tpair *p, size_t len)
{
	u_char *data, *got, type;
	size_t glen, i;

	ASSERT_PTR_NE(data = malloc(len + 1), NULL);
	for (i = 0; i < len; i++)
		data[i] = (u_char)(i * 7 + len);
	side_send(&p->c, SSH2_MSG_CHANNEL_DATA, data, len);
	side_send(&p->s, SSH2_MSG_CHANNEL_EXTENDED_DATA, data, len);
	pair_pump(p);
	ASSERT_INT_EQ(p->c.err, 0);
	ASSERT_INT_EQ(p->s.err, 0);
	ASSERT_INT_EQ(side_recv(&p->s, &type, &got, &glen), 1);
	ASSERT_U8_EQ(type, SSH2_MSG_CHANNEL_DATA);
	ASSERT_SIZE_T_EQ(glen, len);
	ASSERT_MEM_EQ(got, data, len);
	free(got);
	ASSERT_INT_EQ(side_recv(&p->c, &type, &got, &glen), 1);
	ASSERT_U8_EQ(type, SSH2_MSG_CHANNEL_EXTENDED_DATA);
	ASSERT_SIZE_T_EQ(glen, len);
	ASSERT_MEM_EQ(got, data, len);
	free(got);
	free(data);
}

static void
check_same_session(struct tpair *p)
{
	const u_char *a, *b;
	size_t alen, blen;

	ASSERT_PTR_NE(a = kex_session_id(p->c.ssh, &alen), NULL);
	ASSERT_PTR_NE(b = kex_session_id(p->s.ssh, &blen), NULL);
	ASSERT_SIZE_T_EQ(alen, blen);
	ASSERT_MEM_EQ(a, b, alen);
}

/* One complete connection with exactly these algorithms. */
static void
one_combo(const char *kexalg, const char *hk, const char *cipher,
    const char *mac)
{
	struct kex_params cp;
	struct tpair *p;
	int i;

	harness_params(&cp, 0);
	cp.kex_algs = kexalg;
	cp.hostkey_algs = hk;
	cp.ciphers = cipher;
	cp.macs = mac;
	p = pair_new(&cp, NULL);
	pair_kex(p);
	for (i = 0; i < 2; i++) {
		struct ssh *ssh = i == 0 ? p->c.ssh : p->s.ssh;

		ASSERT_STRING_EQ(kex_negotiated(ssh, KEX_ALGS), kexalg);
		ASSERT_STRING_EQ(kex_negotiated(ssh, KEX_HOSTKEY_ALGS), hk);
		ASSERT_STRING_EQ(packet_cipher_name(ssh, PACKET_IN), cipher);
		ASSERT_STRING_EQ(packet_cipher_name(ssh, PACKET_OUT), cipher);
		if (!cipher_is_aead(cipher_by_name(cipher)))
			ASSERT_STRING_EQ(packet_mac_name(ssh, PACKET_OUT),
			    mac);
		ASSERT_INT_EQ(kex_is_strict(ssh), 1);
	}
	ASSERT_INT_EQ(p->c.verified, 1);
	check_same_session(p);
	check_traffic(p, 1000);
	pair_free(p);
}

void
test_kex_matrix(void)
{
	char *kl, *hl, *cl, *ml, **kv, **hv, **cv, **mv;
	size_t k, h, c, m, n = 0;
	char name[256];

	ASSERT_PTR_NE(kl = kex_names_list(KEX_NAMES_KEX, ','), NULL);
	ASSERT_PTR_NE(hl = strdup(harness_hostkey_algs()), NULL);
	ASSERT_PTR_NE(cl = kex_names_list(KEX_NAMES_CIPHER, ','), NULL);
	ASSERT_PTR_NE(ml = kex_names_list(KEX_NAMES_MAC, ','), NULL);
	kv = split_list(kl);
	hv = split_list(hl);
	cv = split_list(cl);
	mv = split_list(ml);
	for (k = 0; kv[k] != NULL; k++) {
		snprintf(name, sizeof(name), "kex matrix %s", kv[k]);
		TEST_START(name);
		for (h = 0; hv[h] != NULL; h++) {
			for (c = 0; cv[c] != NULL; c++) {
				for (m = 0; mv[m] != NULL; m++) {
					/* Fast: each cipher, MAC, host key
					 * once per method. */
					if (test_is_fast() && (c + m + h) %
					    6 != k % 6)
						continue;
					one_combo(kv[k], hv[h], cv[c], mv[m]);
					n++;
					if (cipher_is_aead(
					    cipher_by_name(cv[c])))
						break;
				}
			}
		}
		TEST_DONE();
	}
	if (test_is_verbose())
		fprintf(stderr, "kex matrix: %zu connections\n", n);
	free(kv);
	free(hv);
	free(cv);
	free(mv);
	free(kl);
	free(hl);
	free(cl);
	free(ml);
}

/* ------------------------------------------------------------ misc */

static void
test_defaults(void)
{
	struct tpair *p;

	TEST_START("kex defaults");
	p = pair_new(NULL, NULL);
	pair_kex(p);
	ASSERT_STRING_EQ(kex_negotiated(p->c.ssh, KEX_ALGS),
	    "curve25519-sha256");
	ASSERT_STRING_EQ(kex_negotiated(p->c.ssh, KEX_HOSTKEY_ALGS),
	    "ssh-ed25519");
	ASSERT_STRING_EQ(packet_cipher_name(p->c.ssh, PACKET_OUT),
	    "chacha20-poly1305@openssh.com");
	ASSERT_STRING_EQ(packet_mac_name(p->c.ssh, PACKET_OUT),
	    "<implicit>");
	/* ext-info: the client learnt server-sig-algs and ping. */
	ASSERT_STRING_EQ(kex_server_sig_algs(p->c.ssh), KEX_DEFAULT_SIG_ALGS);
	ASSERT_INT_EQ(kex_peer_has_ping(p->c.ssh), 1);
	ASSERT_PTR_EQ(kex_server_sig_algs(p->s.ssh), NULL);
	ASSERT_PTR_NE(kex_server_hostkey(p->c.ssh), NULL);
	ASSERT_INT_EQ(key_equal_public(kex_server_hostkey(p->c.ssh),
	    harness_hostkey(HK_ED25519)), 1);
	ASSERT_STRING_EQ(packet_peer_version(p->c.ssh),
	    packet_our_version(p->s.ssh));
	ASSERT_INT_EQ(strncmp(packet_our_version(p->c.ssh), "SSH-2.0-Keel_",
	    13), 0);
	check_traffic(p, 0);
	check_traffic(p, 32768);
	pair_free(p);
	TEST_DONE();
}

/* The client's first choice wins, whatever the server prefers. */
static void
test_negotiation_order(void)
{
	struct kex_params cp, sp;
	struct tpair *p;

	TEST_START("kex negotiation order");
	harness_params(&cp, 0);
	harness_params(&sp, 1);
	cp.kex_algs = "ecdh-sha2-nistp384,curve25519-sha256";
	sp.kex_algs = "curve25519-sha256,ecdh-sha2-nistp384";
	cp.hostkey_algs = "rsa-sha2-256,ssh-ed25519";
	cp.ciphers = "aes256-ctr,aes128-ctr";
	sp.ciphers = "aes128-ctr,aes256-ctr";
	cp.macs = "hmac-sha1,hmac-sha2-512-etm@openssh.com";
	p = pair_new(&cp, &sp);
	pair_kex(p);
	ASSERT_STRING_EQ(kex_negotiated(p->s.ssh, KEX_ALGS),
	    "ecdh-sha2-nistp384");
	ASSERT_STRING_EQ(kex_negotiated(p->s.ssh, KEX_HOSTKEY_ALGS),
	    "rsa-sha2-256");
	ASSERT_STRING_EQ(packet_cipher_name(p->s.ssh, PACKET_IN),
	    "aes256-ctr");
	ASSERT_STRING_EQ(packet_mac_name(p->s.ssh, PACKET_IN), "hmac-sha1");
	check_traffic(p, 100);
	pair_free(p);
	TEST_DONE();
}

/* Nothing in common: KEY_EXCHANGE_FAILED from whoever notices. */
static void
no_match_case(const char *what, const char *cval, const char *sval)
{
	struct kex_params cp, sp;
	struct tpair *p;

	harness_params(&cp, 0);
	harness_params(&sp, 1);
	if (strcmp(what, "kex") == 0) {
		cp.kex_algs = cval;
		sp.kex_algs = sval;
	} else if (strcmp(what, "hostkey") == 0) {
		cp.hostkey_algs = cval;
		sp.hostkey_algs = sval;
	} else if (strcmp(what, "cipher") == 0) {
		cp.ciphers = cval;
		sp.ciphers = sval;
	} else if (strcmp(what, "mac") == 0) {
		cp.ciphers = sp.ciphers = "aes128-ctr";
		cp.macs = cval;
		sp.macs = sval;
	} else {
		cp.compression = cval;
		sp.compression = sval;
	}
	p = pair_new(&cp, &sp);
	pair_pump(p);
	ASSERT_INT_NE(p->c.err, 0);
	ASSERT_INT_NE(p->s.err, 0);
	ASSERT_INT_EQ(packet_kex_count(p->c.ssh), 0);
	ASSERT_U32_EQ(side_sent_reason(&p->c),
	    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED);
	ASSERT_U32_EQ(side_sent_reason(&p->s),
	    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED);
	pair_free(p);
}

static void
test_no_match(void)
{
	TEST_START("kex no common algorithm");
	no_match_case("kex", "curve25519-sha256", "ecdh-sha2-nistp256");
	no_match_case("hostkey", "rsa-sha2-512", "ssh-ed25519");
	no_match_case("cipher", "aes128-ctr", "aes256-ctr");
	no_match_case("mac", "hmac-sha1", "hmac-sha2-256");
	no_match_case("comp", "zlib", "none");
	TEST_DONE();

	TEST_START("kex AEAD cipher ignores MAC lists");
	{
		struct kex_params cp, sp;
		struct tpair *p;

		harness_params(&cp, 0);
		harness_params(&sp, 1);
		cp.ciphers = "aes128-gcm@openssh.com";
		cp.macs = "hmac-sha1";
		sp.macs = "hmac-sha2-512";
		p = pair_new(&cp, &sp);
		pair_kex(p);
		ASSERT_PTR_EQ(kex_negotiated(p->c.ssh, KEX_MAC_C2S), NULL);
		check_traffic(p, 10);
		pair_free(p);
	}
	TEST_DONE();
}

/* Guessed first KEX packets (RFC 4253 7), right and wrong. */
static void
guess_case(const char *ckex, const char *skex, const char *chk,
    const char *shk)
{
	struct kex_params cp, sp;
	struct tpair *p;

	harness_params(&cp, 0);
	harness_params(&sp, 1);
	cp.send_guess = 1;
	cp.kex_algs = ckex;
	sp.kex_algs = skex;
	cp.hostkey_algs = chk;
	if (shk != NULL)
		sp.hostkey_algs = shk;
	p = pair_new(&cp, &sp);
	pair_kex(p);
	check_same_session(p);
	check_traffic(p, 64);
	pair_free(p);
}

static void
test_guess(void)
{
	TEST_START("kex guessed packet right");
	guess_case("curve25519-sha256,ecdh-sha2-nistp256",
	    "curve25519-sha256,ecdh-sha2-nistp256", "ssh-ed25519", NULL);
	guess_case("diffie-hellman-group14-sha256",
	    "diffie-hellman-group14-sha256", "ssh-ed25519", NULL);
	TEST_DONE();

	TEST_START("kex guessed packet wrong");
	/* Different preferred method: the server skips the guess. */
	guess_case("curve25519-sha256,ecdh-sha2-nistp256",
	    "ecdh-sha2-nistp256,curve25519-sha256", "ssh-ed25519", NULL);
	/* Same method, different preferred host key algorithm. */
	guess_case("ecdh-sha2-nistp384", "ecdh-sha2-nistp384",
	    "ssh-ed25519,rsa-sha2-256", "rsa-sha2-256,ssh-ed25519");
	/* Guessed method absent at the server: another one is used. */
	guess_case("ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256",
	    "diffie-hellman-group-exchange-sha256", "ssh-ed25519", NULL);
	/* A group-exchange first choice cannot be guessed. */
	guess_case("diffie-hellman-group-exchange-sha256,curve25519-sha256",
	    "diffie-hellman-group-exchange-sha256,curve25519-sha256",
	    "ssh-ed25519", NULL);
	TEST_DONE();
}

static void
compress_case(const char *comp, int delayed)
{
	struct kex_params cp, sp;
	struct tpair *p;
	u_char *data, *got, type;
	size_t glen, i;
	uint64_t bytes, pkts;

	harness_params(&cp, 0);
	harness_params(&sp, 1);
	cp.compression = comp;
	p = pair_new(&cp, &sp);
	pair_kex(p);
	ASSERT_INT_EQ(packet_compress_active(p->c.ssh, PACKET_OUT), !delayed);
	ASSERT_INT_EQ(packet_compress_active(p->s.ssh, PACKET_IN), !delayed);
	if (delayed) {
		/* As after USERAUTH_SUCCESS: server sends, then enables;
		 * client receives, then enables. */
		side_send(&p->s, SSH2_MSG_USERAUTH_SUCCESS, NULL, 0);
		ASSERT_INT_EQ(packet_enable_delayed_compress(p->s.ssh), 0);
		pair_pump(p);
		ASSERT_INT_EQ(side_recv(&p->c, &type, &got, &glen), 1);
		free(got);
		ASSERT_INT_EQ(packet_enable_delayed_compress(p->c.ssh), 0);
		ASSERT_INT_EQ(packet_compress_active(p->c.ssh, PACKET_OUT), 1);
	}
	ASSERT_PTR_NE(data = calloc(1, 65536), NULL);
	for (i = 0; i < 65536; i += 100)
		data[i] = (u_char)i;
	for (i = 0; i < 20; i++) {
		side_send(&p->c, SSH2_MSG_CHANNEL_DATA, data, 32768);
		side_send(&p->s, SSH2_MSG_CHANNEL_DATA, data, 65536);
	}
	pair_pump(p);
	for (i = 0; i < 20; i++) {
		ASSERT_INT_EQ(side_recv(&p->s, &type, &got, &glen), 1);
		ASSERT_SIZE_T_EQ(glen, 32768);
		ASSERT_MEM_EQ(got, data, glen);
		free(got);
		ASSERT_INT_EQ(side_recv(&p->c, &type, &got, &glen), 1);
		ASSERT_SIZE_T_EQ(glen, 65536);
		ASSERT_MEM_EQ(got, data, glen);
		free(got);
	}
	/* It did compress. */
	packet_get_totals(p->c.ssh, PACKET_OUT, &bytes, &pkts);
	ASSERT_INT_LT(bytes, 20 * 32768 / 4);
	/* And carries on across a rekey. */
	ASSERT_INT_EQ(kex_start_rekey(p->c.ssh), 0);
	side_send(&p->c, SSH2_MSG_CHANNEL_DATA, data, 1000);
	pair_pump(p);
	ASSERT_INT_EQ(packet_kex_count(p->c.ssh), 2);
	ASSERT_INT_EQ(side_recv(&p->s, &type, &got, &glen), 1);
	ASSERT_MEM_EQ(got, data, 1000);
	free(got);
	free(data);
	pair_free(p);
}

static void
test_compression(void)
{
	TEST_START("compression zlib");
	compress_case("zlib", 0);
	TEST_DONE();
	TEST_START("compression zlib@openssh.com delayed");
	compress_case("zlib@openssh.com", 1);
	TEST_DONE();
}

static void
test_ping(void)
{
	struct tpair *p;
	struct buf *m;

	TEST_START("ping answered with pong");
	p = pair_new(NULL, NULL);
	pair_kex(p);
	ASSERT_INT_EQ(packet_start(p->c.ssh, SSH2_MSG_PING, &m), 0);
	ASSERT_INT_EQ(buf_put_cstring(m, "hello"), 0);
	ASSERT_INT_EQ(packet_send(p->c.ssh), 0);
	pair_pump(p);
	ASSERT_INT_EQ(p->c.err, 0);
	ASSERT_INT_EQ(p->s.err, 0);
	/* PING and PONG never reach the application. */
	ASSERT_U32_EQ(p->c.nrx, 0);
	ASSERT_U32_EQ(p->s.nrx, 0);
	check_traffic(p, 1);
	pair_free(p);
	TEST_DONE();
}

/* Group exchange with a moduli file: ours, and one with bad lines. */
static void
test_gex_moduli(void)
{
	struct kex_params cp, sp;
	struct tpair *p;
	char path[] = "/tmp/test_transport_moduli.XXXXXX";
	FILE *f;
	int fd;

	TEST_START("kex group exchange with contrib/moduli");
	harness_params(&cp, 0);
	harness_params(&sp, 1);
	cp.kex_algs = "diffie-hellman-group-exchange-sha256";
	cp.ciphers = "aes128-ctr";
	cp.macs = "hmac-sha1";
	sp.moduli_path = test_data_file("../../contrib/moduli");
	p = pair_new(&cp, &sp);
	pair_kex(p);
	check_traffic(p, 10);
	pair_free(p);
	TEST_DONE();

	TEST_START("kex group exchange client bounds");
	cp.gex_min = 3072;
	cp.gex_max = 3072;
	p = pair_new(&cp, &sp);
	pair_kex(p);
	pair_free(p);
	/* Nothing the server has fits: the client refuses. */
	cp.gex_min = 1024;
	cp.gex_max = 1536;
	p = pair_new(&cp, &sp);
	pair_pump(p);
	ASSERT_INT_NE(p->c.err, 0);
	ASSERT_INT_EQ(packet_kex_count(p->c.ssh), 0);
	pair_free(p);
	TEST_DONE();

	TEST_START("kex group exchange moduli file with bad lines");
	ASSERT_INT_GE(fd = mkstemp(path), 0);
	ASSERT_PTR_NE(f = fdopen(fd, "w"), NULL);
	fprintf(f, "# comment\n\n"
	    "20240101000000 2 6 100 2047 2 FFFF\n"	/* size wrong */
	    "20240101000000 4 6 100 2047 2 FF\n"	/* not safe */
	    "20240101000000 2 1 100 2047 2 FF\n"	/* composite */
	    "garbage\n"
	    "20240101000000 2 6 100\n");
	fclose(f);
	cp.gex_min = cp.gex_max = 0;
	sp.moduli_path = path;
	p = pair_new(&cp, &sp);
	/* No usable group: the built-in ones are used. */
	pair_kex(p);
	pair_free(p);
	unlink(path);
	TEST_DONE();
}

static void
test_hostkey_refused(void)
{
	struct tpair *p;

	TEST_START("kex host key refused by the client");
	p = pair_new(NULL, NULL);
	p->c.refuse_hostkey = 1;
	pair_pump(p);
	ASSERT_INT_NE(p->c.err, 0);
	ASSERT_INT_EQ(packet_kex_count(p->c.ssh), 0);
	ASSERT_U32_EQ(side_sent_reason(&p->c),
	    SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE);
	ASSERT_INT_NE(p->s.err, 0);
	pair_free(p);
	TEST_DONE();
}

void
test_kex_misc(void)
{
	test_defaults();
	test_negotiation_order();
	test_no_match();
	test_guess();
	test_compression();
	test_ping();
	test_gex_moduli();
	test_hostkey_refused();
}
