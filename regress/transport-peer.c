/*
 * transport-peer.c: a small SSH peer over our transport, for the interop
 * tests (regress/transport-interop.sh).  Not installed.
 *
 *   transport-peer client [options]  connect, run KEX, check the host key,
 *	ask for ssh-userauth, try "none" and print the methods offered;
 *	with -x run every combination of the given lists, one connection
 *	each, and print one line per combination.
 *   transport-peer server [options]  accept connections one after another
 *	on 127.0.0.1: KEX, accept ssh-userauth, refuse every user
 *	authentication request with "publickey,password".
 *
 * Common options:
 *   -p port    -v (debug logging, repeat for more)
 *   -k kex  -c ciphers  -m macs  -a hostkey-algorithms  -C compression
 * Client:
 *   -H host (127.0.0.1)  -K pubkey-file (an expected host key; repeat)
 *   -u user
 *   -i identity: authenticate with this key (publickey), else try "none"
 *   -r rekey (after authentication with -i, else after SERVICE_ACCEPT)
 *   -I bytes: after authentication send that much IGNORE padding, then a
 *	global request, so a server with a small RekeyLimit rekeys
 *   -g (send a guessed KEX packet)  -x (matrix)  -T seconds (timeout)
 * Server:
 *   -h hostkey (repeat)  -M moduli  -n connections  -R rekey-bytes
 *   -A accept any public key that proves itself (publickey); then, with
 *	-r, rekey once and disconnect
 */
#include "includes.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <getopt.h>
#include <signal.h>

#include "buf.h"
#include "cipher.h"
#include "digest.h"
#include "dispatch.h"
#include "errcode.h"
#include "kex-names.h"
#include "kex.h"
#include "key.h"
#include "keyfile.h"
#include "log.h"
#include "packet.h"
#include "ssh2.h"
#include "xmalloc.h"

#define MAX_HOSTKEYS	8

struct opts {
	int server;
	int port;
	const char *host;
	const char *kex, *ciphers, *macs, *hostkey_algs, *comp;
	const char *known_files[MAX_HOSTKEYS];
	int nknown;
	const char *identity;
	const char *user;
	int accept_keys;
	const char *moduli;
	const char *hostkey_files[MAX_HOSTKEYS];
	int nhostkeys;
	int rekey;
	size_t ignore_bytes;
	int guess;
	int matrix;
	int timeout_ms;
	long max_conns;
	uint64_t rekey_bytes;
};

static struct key *hostkeys[MAX_HOSTKEYS];
static int nhostkeys;
static struct key *known_keys[MAX_HOSTKEYS];
static int nknown;
static struct key *identity;

static void
usage(void)
{
	fprintf(stderr, "usage: transport-peer client|server [options]\n");
	exit(2);
}

/* ------------------------------------------------------------ callbacks */

static int
cb_get_hostkey(struct ssh *ssh, const char *alg, const struct key **pubp,
    void *ctx)
{
	int type, nid, i;

	*pubp = NULL;
	if (kex_names_hostkey_type(alg, &type, &nid) != 0)
		return ERR_KEY_TYPE_UNKNOWN;
	for (i = 0; i < nhostkeys; i++) {
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
	char *fp = key_fingerprint(hostkey, DIGEST_SHA256, KEY_FP_DEFAULT);
	int i;

	debug("Server host key: %s %s", key_type_name(hostkey),
	    fp == NULL ? "?" : fp);
	free(fp);
	if (nknown == 0)
		return 0;
	for (i = 0; i < nknown; i++) {
		if (key_equal_public(known_keys[i], hostkey))
			return 0;
	}
	error("host key is none of the expected keys");
	return ERR_KEY_NOT_FOUND;
}

/* The signature algorithms our loaded keys can serve. */
static char *
server_hostkey_algs(void)
{
	struct buf *b = buf_new();
	const char *name;
	char *s;
	int i;

	if (b == NULL)
		fatal("out of memory");
	for (i = 0; i < nhostkeys; i++) {
		name = key_type(hostkeys[i]) == KEY_RSA ?
		    "rsa-sha2-512,rsa-sha2-256" : key_type_name(hostkeys[i]);
		if (buf_putf(b, "%s%s", buf_len(b) > 0 ? "," : "", name) != 0)
			fatal("out of memory");
	}
	if ((s = buf_dup_string(b)) == NULL)
		fatal("out of memory");
	buf_free(b);
	return s;
}

/* ------------------------------------------------------------ sockets */

static int
tcp_connect(const char *host, int port)
{
	struct sockaddr_in sin;
	int fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1)
		fatal("bad address %s", host);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		fatal("socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		error("connect to %s port %d: %s", host, port,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int
tcp_listen(int port)
{
	struct sockaddr_in sin;
	int fd, on = 1;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		fatal("socket: %s", strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1)
		fatal("setsockopt: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		fatal("bind port %d: %s", port, strerror(errno));
	if (listen(fd, 16) == -1)
		fatal("listen: %s", strerror(errno));
	return fd;
}

/* ------------------------------------------------------------ client */

struct combo {
	const char *kex, *hostkey, *cipher, *mac;
};

static int
expect_msg(struct ssh *ssh, u_char want, const struct opts *o)
{
	u_char type;
	int r;

	for (;;) {
		if ((r = packet_fd_next(ssh, &type, o->timeout_ms)) != 0)
			return r;
		if (type == SSH2_MSG_USERAUTH_BANNER)
			continue;
		if (type != want) {
			error("expected message %u, got %u", want, type);
			return ERR_PROTOCOL_ERROR;
		}
		return 0;
	}
}

/*
 * What a publickey signature covers (RFC 4252 7): session identifier,
 * then the request as sent.
 */
static int
pubkey_signed_data(struct ssh *ssh, const char *user, const char *service,
    const char *alg, const struct key *k, struct buf *b)
{
	const u_char *sid;
	size_t sidlen;
	int r;

	if ((sid = kex_session_id(ssh, &sidlen)) == NULL)
		return ERR_INTERNAL;
	if ((r = buf_put_string(b, sid, sidlen)) != 0 ||
	    (r = buf_put_u8(b, SSH2_MSG_USERAUTH_REQUEST)) != 0 ||
	    (r = buf_put_cstring(b, user)) != 0 ||
	    (r = buf_put_cstring(b, service)) != 0 ||
	    (r = buf_put_cstring(b, "publickey")) != 0 ||
	    (r = buf_put_u8(b, 1)) != 0 ||
	    (r = buf_put_cstring(b, alg)) != 0 ||
	    (r = key_puts(k, b)) != 0)
		return r;
	return 0;
}

static int
client_auth_pubkey(struct ssh *ssh, const struct opts *o)
{
	const char *alg = key_default_sig_alg(identity);
	struct buf *data, *m;
	u_char *sig = NULL;
	size_t siglen = 0;
	int r;

	if ((data = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = pubkey_signed_data(ssh, o->user, "ssh-connection", alg,
	    identity, data)) != 0 ||
	    (r = key_sign(identity, &sig, &siglen, buf_ptr(data),
	    buf_len(data), alg)) != 0)
		goto out;
	if ((r = packet_start(ssh, SSH2_MSG_USERAUTH_REQUEST, &m)) != 0 ||
	    (r = buf_put_cstring(m, o->user)) != 0 ||
	    (r = buf_put_cstring(m, "ssh-connection")) != 0 ||
	    (r = buf_put_cstring(m, "publickey")) != 0 ||
	    (r = buf_put_u8(m, 1)) != 0 ||
	    (r = buf_put_cstring(m, alg)) != 0 ||
	    (r = key_puts(identity, m)) != 0 ||
	    (r = buf_put_string(m, sig, siglen)) != 0 ||
	    (r = packet_send(ssh)) != 0 ||
	    (r = expect_msg(ssh, SSH2_MSG_USERAUTH_SUCCESS, o)) != 0)
		goto out;
	/* zlib@openssh.com starts now (no-op without it). */
	r = packet_enable_delayed_compress(ssh);
 out:
	free(sig);
	buf_free(data);
	return r;
}

/* Client: the server's global requests (hostkeys-00...): refused. */
static int
cli_global_request(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct buf *pl = packet_payload(ssh);
	char *name = NULL;
	uint8_t want_reply = 0;
	int r;

	if ((r = buf_get_cstring(pl, &name, NULL)) != 0 ||
	    (r = buf_get_u8(pl, &want_reply)) != 0)
		goto out;
	debug("global request %s refused", name);
	if (want_reply)
		r = packet_send_msg(ssh, SSH2_MSG_REQUEST_FAILURE, NULL);
 out:
	free(name);
	return r;
}

/* After authentication: padding, then a request the server answers. */
static int
client_post_auth(struct ssh *ssh, const struct opts *o)
{
	struct buf *m;
	u_char type;
	u_int n;
	int r;

	if (o->rekey) {
		n = packet_kex_count(ssh);
		if ((r = kex_start_rekey(ssh)) != 0 ||
		    (r = packet_fd_wait_kex(ssh, n, o->timeout_ms)) != 0)
			return r;
	}
	if (o->ignore_bytes == 0)
		return 0;
	for (n = 0; n * 8192 < o->ignore_bytes; n++) {
		if ((r = packet_send_ignore(ssh, 8192)) != 0 ||
		    (r = packet_fd_flush(ssh, o->timeout_ms)) != 0)
			return r;
	}
	if ((r = packet_start(ssh, SSH2_MSG_GLOBAL_REQUEST, &m)) != 0 ||
	    (r = buf_put_cstring(m, "keepalive@openssh.com")) != 0 ||
	    (r = buf_put_u8(m, 1)) != 0 ||
	    (r = packet_send(ssh)) != 0)
		return r;
	/* Any rekey the server starts meanwhile runs inside. */
	for (;;) {
		if ((r = packet_fd_next(ssh, &type, o->timeout_ms)) != 0)
			return r;
		if (type == SSH2_MSG_REQUEST_FAILURE ||
		    type == SSH2_MSG_REQUEST_SUCCESS)
			return 0;
		if ((r = dispatch_call(ssh, type, packet_seqnr(ssh))) != 0)
			return r;
	}
}

/* SERVICE_REQUEST ssh-userauth, then userauth "none" or publickey. */
static int
client_auth_none(struct ssh *ssh, const struct opts *o, char **methodsp)
{
	struct buf *m, *pl;
	char *name = NULL;
	uint8_t partial;
	u_int n;
	int r;

	*methodsp = NULL;
	if ((r = packet_start(ssh, SSH2_MSG_SERVICE_REQUEST, &m)) != 0 ||
	    (r = buf_put_cstring(m, "ssh-userauth")) != 0 ||
	    (r = packet_send(ssh)) != 0 ||
	    (r = expect_msg(ssh, SSH2_MSG_SERVICE_ACCEPT, o)) != 0)
		return r;
	pl = packet_payload(ssh);
	if ((r = buf_get_cstring(pl, &name, NULL)) != 0 ||
	    (r = packet_payload_end(ssh)) != 0)
		return r;
	if (strcmp(name, "ssh-userauth") != 0)
		r = ERR_PROTOCOL_ERROR;
	free(name);
	if (r != 0)
		return r;
	if (identity != NULL) {
		if ((r = client_auth_pubkey(ssh, o)) != 0 ||
		    (r = client_post_auth(ssh, o)) != 0)
			return r;
		*methodsp = xstrdup("(authenticated)");
		return 0;
	}
	if (o->rekey) {
		n = packet_kex_count(ssh);
		if ((r = kex_start_rekey(ssh)) != 0 ||
		    (r = packet_fd_wait_kex(ssh, n, o->timeout_ms)) != 0)
			return r;
	}
	if ((r = packet_start(ssh, SSH2_MSG_USERAUTH_REQUEST, &m)) != 0 ||
	    (r = buf_put_cstring(m, o->user)) != 0 ||
	    (r = buf_put_cstring(m, "ssh-connection")) != 0 ||
	    (r = buf_put_cstring(m, "none")) != 0 ||
	    (r = packet_send(ssh)) != 0 ||
	    (r = expect_msg(ssh, SSH2_MSG_USERAUTH_FAILURE, o)) != 0)
		return r;
	pl = packet_payload(ssh);
	if ((r = buf_get_cstring(pl, methodsp, NULL)) != 0 ||
	    (r = buf_get_u8(pl, &partial)) != 0 ||
	    (r = packet_payload_end(ssh)) != 0)
		return r;
	return 0;
}

static int
client_one(const struct opts *o, const struct combo *c, char **resultp)
{
	struct kex_params p;
	struct ssh *ssh = NULL;
	char *methods = NULL, desc[64];
	int fd, r;

	*resultp = NULL;
	if ((fd = tcp_connect(o->host, o->port)) == -1)
		return ERR_ERRNO;
	memset(&p, 0, sizeof(p));
	p.kex_algs = c->kex;
	p.hostkey_algs = c->hostkey;
	p.ciphers = c->cipher;
	p.macs = c->mac;
	p.compression = o->comp;
	p.send_guess = o->guess;
	p.cb.verify = cb_verify;
	snprintf(desc, sizeof(desc), "%s port %d", o->host, o->port);
	if ((r = packet_new(0, &ssh)) != 0 ||
	    (r = packet_set_peer_desc(ssh, desc)) != 0)
		goto out;
	packet_set_fds(ssh, fd, fd);
	dispatch_set(ssh, SSH2_MSG_GLOBAL_REQUEST, cli_global_request);
	if ((r = kex_setup(ssh, &p)) != 0 ||
	    (r = packet_fd_wait_kex(ssh, 0, o->timeout_ms)) != 0 ||
	    (r = client_auth_none(ssh, o, &methods)) != 0)
		goto out;
	xasprintf(resultp, "kex=%s hostkey=%s cipher=%s mac=%s "
	    "methods=%s kexes=%u strict=%d", kex_negotiated(ssh, KEX_ALGS),
	    kex_negotiated(ssh, KEX_HOSTKEY_ALGS),
	    packet_cipher_name(ssh, PACKET_OUT),
	    packet_mac_name(ssh, PACKET_OUT), methods,
	    packet_kex_count(ssh), kex_is_strict(ssh));
	if (kex_server_sig_algs(ssh) != NULL)
		debug("server-sig-algs: %s", kex_server_sig_algs(ssh));
	(void)packet_disconnect(ssh, SSH2_DISCONNECT_BY_APPLICATION,
	    "disconnected by user");
	if (packet_fd_flush(ssh, o->timeout_ms) != 0)
		debug("flush at close failed");
	r = 0;
 out:
	free(methods);
	packet_free(ssh);
	close(fd);
	return r;
}

/* A comma list as a NULL-terminated vector (strings owned by the copy). */
static char **
split(const char *list, char **copyp)
{
	char **v, *cp, *tok;
	size_t n = 2;

	*copyp = xstrdup(list);
	for (cp = *copyp; *cp != '\0'; cp++)
		n += *cp == ',';
	v = xcalloc(n, sizeof(*v));
	n = 0;
	for (cp = *copyp; (tok = strsep(&cp, ",")) != NULL;)
		v[n++] = tok;
	return v;
}

/* One connection of the matrix: 1 if it failed. */
static int
matrix_one(const struct opts *o, const struct combo *c)
{
	char *res;
	int r;

	r = client_one(o, c, &res);
	if (r != 0)
		printf("FAIL %s %s %s %s: %s\n", c->kex, c->hostkey,
		    c->cipher, c->mac, errcode_str(r));
	else {
		printf("ok %s\n", res);
		free(res);
	}
	fflush(stdout);
	return r != 0;
}

static int
run_client(const struct opts *o)
{
	char *kc, *hc, *cc, *mc, **kv, **hv, **cv, **mv, *res;
	struct combo c;
	size_t k, h, ci, m;
	int r, failed = 0, n = 0;

	if (!o->matrix) {
		c.kex = o->kex;
		c.hostkey = o->hostkey_algs;
		c.cipher = o->ciphers;
		c.mac = o->macs;
		if ((r = client_one(o, &c, &res)) != 0) {
			printf("FAIL: %s\n", errcode_str(r));
			return 1;
		}
		printf("ok %s\n", res);
		free(res);
		return 0;
	}
	kv = split(o->kex ? o->kex : KEX_DEFAULT_KEX, &kc);
	hv = split(o->hostkey_algs ? o->hostkey_algs : KEX_DEFAULT_HOSTKEY,
	    &hc);
	cv = split(o->ciphers ? o->ciphers : KEX_DEFAULT_CIPHERS, &cc);
	mv = split(o->macs ? o->macs : KEX_DEFAULT_MACS, &mc);
	for (k = 0; kv[k] != NULL; k++) {
		for (h = 0; hv[h] != NULL; h++) {
			for (ci = 0; cv[ci] != NULL; ci++) {
				for (m = 0; mv[m] != NULL; m++) {
					c.kex = kv[k];
					c.hostkey = hv[h];
					c.cipher = cv[ci];
					c.mac = mv[m];
					failed += matrix_one(o, &c);
					n++;
					/* AEAD: the MAC plays no part. */
					if (cipher_is_aead(
					    cipher_by_name(cv[ci])))
						break;
				}
			}
		}
	}
	printf("matrix: %d connections, %d failed\n", n, failed);
	free(kv);
	free(hv);
	free(cv);
	free(mv);
	free(kc);
	free(hc);
	free(cc);
	free(mc);
	return failed != 0;
}

/* ------------------------------------------------------------ server */

static int auth_tries;
static const struct opts *srv_opts;
static volatile sig_atomic_t srv_done;
static u_int srv_rekey_at;

static int
srv_fail(struct ssh *ssh)
{
	struct buf *m;
	int r;

	if ((r = packet_start(ssh, SSH2_MSG_USERAUTH_FAILURE, &m)) != 0 ||
	    (r = buf_put_cstring(m, "publickey,password")) != 0 ||
	    (r = buf_put_u8(m, 0)) != 0)
		return r;
	return packet_send(ssh);
}

/* After a KEX: the post-auth rekey is done, so is this connection. */
static void
srv_kex_done(struct ssh *ssh, int initial, void *ctx)
{
	if (srv_rekey_at != 0 && packet_kex_count(ssh) > srv_rekey_at)
		srv_done = 1;
}

/* RFC 4252 7: query (PK_OK) or proof (SUCCESS) for any valid key. */
static int
srv_pubkey(struct ssh *ssh, const char *user, const char *service)
{
	struct buf *pl = packet_payload(ssh), *m, *data = NULL;
	struct key *k = NULL;
	char *alg = NULL;
	const u_char *sig;
	size_t siglen;
	uint8_t hassig = 0;
	int r;

	if ((r = buf_get_u8(pl, &hassig)) != 0 ||
	    (r = buf_get_cstring(pl, &alg, NULL)) != 0 ||
	    (r = key_froms(pl, &k)) != 0)
		goto out;
	if (!hassig) {
		if ((r = packet_payload_end(ssh)) != 0 ||
		    (r = packet_start(ssh, SSH2_MSG_USERAUTH_PK_OK, &m)) != 0 ||
		    (r = buf_put_cstring(m, alg)) != 0 ||
		    (r = key_puts(k, m)) != 0)
			goto out;
		r = packet_send(ssh);
		goto out;
	}
	if ((r = buf_get_string_direct(pl, &sig, &siglen)) != 0 ||
	    (r = packet_payload_end(ssh)) != 0)
		goto out;
	if ((data = buf_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = pubkey_signed_data(ssh, user, service, alg, k, data)) != 0)
		goto out;
	if (key_verify(k, sig, siglen, buf_ptr(data), buf_len(data),
	    alg) != 0) {
		r = srv_fail(ssh);
		goto out;
	}
	verbose("Accepted publickey for %s", user);
	if ((r = packet_send_msg(ssh, SSH2_MSG_USERAUTH_SUCCESS, NULL)) != 0 ||
	    (r = packet_enable_delayed_compress(ssh)) != 0)
		goto out;
	/* The connection protocol is not ours: refuse it politely. */
	dispatch_reset_app(ssh);
	if (srv_opts->rekey) {
		srv_rekey_at = packet_kex_count(ssh);
		r = kex_start_rekey(ssh);
	}
 out:
	buf_free(data);
	key_free(k);
	free(alg);
	return r;
}

static int
srv_service_request(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct buf *m;
	char *name = NULL;
	int r;

	if ((r = buf_get_cstring(packet_payload(ssh), &name, NULL)) != 0 ||
	    (r = packet_payload_end(ssh)) != 0)
		goto out;
	if (strcmp(name, "ssh-userauth") != 0) {
		r = packet_disconnect(ssh,
		    SSH2_DISCONNECT_SERVICE_NOT_AVAILABLE,
		    "service %s not available", name);
		goto out;
	}
	if ((r = packet_start(ssh, SSH2_MSG_SERVICE_ACCEPT, &m)) != 0 ||
	    (r = buf_put_cstring(m, name)) != 0 ||
	    (r = packet_send(ssh)) != 0)
		goto out;
	/* From now on: user authentication only. */
	dispatch_set(ssh, SSH2_MSG_SERVICE_REQUEST, dispatch_protocol_error);
 out:
	free(name);
	return r;
}

static int
srv_userauth_request(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct buf *pl = packet_payload(ssh);
	char *user = NULL, *service = NULL, *method = NULL;
	int r;

	if ((r = buf_get_cstring(pl, &user, NULL)) != 0 ||
	    (r = buf_get_cstring(pl, &service, NULL)) != 0 ||
	    (r = buf_get_cstring(pl, &method, NULL)) != 0)
		goto out;
	/* The method's own fields are not looked at: always a refusal. */
	verbose("userauth request user %s service %s method %s", user,
	    service, method);
	if (++auth_tries > 10) {
		r = packet_disconnect(ssh,
		    SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE,
		    "Too many authentication failures");
		goto out;
	}
	if (srv_opts->accept_keys && strcmp(method, "publickey") == 0) {
		r = srv_pubkey(ssh, user, service);
		goto out;
	}
	r = srv_fail(ssh);
 out:
	free(user);
	free(service);
	free(method);
	return r;
}

static void
server_conn(const struct opts *o, int fd, const char *algs)
{
	struct kex_params p;
	struct ssh *ssh = NULL;
	int r;

	memset(&p, 0, sizeof(p));
	p.kex_algs = o->kex;
	p.ciphers = o->ciphers;
	p.macs = o->macs;
	p.hostkey_algs = o->hostkey_algs != NULL ? o->hostkey_algs : algs;
	p.compression = o->comp;
	p.moduli_path = o->moduli;
	p.rekey_bytes = o->rekey_bytes;
	p.cb.get_hostkey = cb_get_hostkey;
	p.cb.sign = cb_sign;
	p.cb.done = srv_kex_done;
	auth_tries = 0;
	srv_opts = o;
	srv_done = 0;
	srv_rekey_at = 0;
	if ((r = packet_new(1, &ssh)) != 0 ||
	    (r = packet_set_peer_desc(ssh, "client")) != 0)
		fatal_fr(r, "packet_new");
	packet_set_fds(ssh, fd, fd);
	dispatch_set(ssh, SSH2_MSG_SERVICE_REQUEST, srv_service_request);
	dispatch_set(ssh, SSH2_MSG_USERAUTH_REQUEST, srv_userauth_request);
	if ((r = kex_setup(ssh, &p)) != 0)
		fatal_fr(r, "kex_setup");
	r = dispatch_run_fd(ssh, &srv_done, o->timeout_ms);
	if (r == 0 && srv_done) {
		logit("rekey after authentication done (%u key exchanges)",
		    packet_kex_count(ssh));
		(void)packet_disconnect(ssh, SSH2_DISCONNECT_BY_APPLICATION,
		    "rekey test done");
		if (packet_fd_flush(ssh, o->timeout_ms) != 0)
			debug("flush at close failed");
	} else if (r != ERR_DISCONNECTED && r != ERR_CONN_CLOSED)
		logit("connection ended: %s", errcode_str(r));
	packet_free(ssh);
}

static volatile sig_atomic_t srv_quit;

/* SIGTERM ends the accept loop, so the program exits normally (and a
 * sanitizer build checks for leaks). */
static void
srv_sigterm(int sig)
{
	srv_quit = 1;
}

static int
run_server(const struct opts *o)
{
	struct sigaction sa;
	char *algs;
	long n;
	int lfd, fd, i, r;

	for (i = 0; i < o->nhostkeys; i++) {
		if ((r = keyfile_load_private(o->hostkey_files[i], NULL,
		    &hostkeys[i], NULL)) != 0)
			fatal_fr(r, "load %s", o->hostkey_files[i]);
	}
	nhostkeys = o->nhostkeys;
	if (nhostkeys == 0)
		fatal("no host keys (-h)");
	algs = server_hostkey_algs();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = srv_sigterm;
	if (sigaction(SIGTERM, &sa, NULL) == -1)
		fatal("sigaction: %s", strerror(errno));
	lfd = tcp_listen(o->port);
	printf("listening on port %d\n", o->port);
	fflush(stdout);
	for (n = 0; !srv_quit && (o->max_conns == 0 || n < o->max_conns);
	    n++) {
		if ((fd = accept(lfd, NULL, NULL)) == -1) {
			if (errno == EINTR)
				continue;
			fatal("accept: %s", strerror(errno));
		}
		server_conn(o, fd, algs);
		close(fd);
	}
	free(algs);
	close(lfd);
	for (i = 0; i < nhostkeys; i++)
		key_free(hostkeys[i]);
	return 0;
}

/* ------------------------------------------------------------ main */

static long long
num_arg(int ch, long long min, long long max)
{
	const char *errstr = NULL;
	long long v;

	v = strtonum(optarg, min, max, &errstr);
	if (errstr != NULL)
		fatal("-%c %s: %s", ch, optarg, errstr);
	return v;
}

static void
add_hostkey(struct opts *o, const char *path)
{
	if (o->nhostkeys >= MAX_HOSTKEYS)
		fatal("too many host keys");
	o->hostkey_files[o->nhostkeys++] = path;
}

#define OPTSTRING	"Aa:C:c:gH:h:I:i:K:k:M:m:n:p:R:rT:u:vx"

static int
parse_opts(int argc, char **argv, struct opts *o, int *levelp)
{
	int ch;

	while ((ch = getopt(argc, argv, OPTSTRING)) != -1) {
		switch (ch) {
		case 'A':
			o->accept_keys = 1;
			break;
		case 'a':
			o->hostkey_algs = optarg;
			break;
		case 'C':
			o->comp = optarg;
			break;
		case 'c':
			o->ciphers = optarg;
			break;
		case 'g':
			o->guess = 1;
			break;
		case 'H':
			o->host = optarg;
			break;
		case 'h':
			add_hostkey(o, optarg);
			break;
		case 'I':
			o->ignore_bytes = (size_t)num_arg(ch, 0, 1 << 26);
			break;
		case 'i':
			o->identity = optarg;
			break;
		case 'K':
			if (o->nknown >= MAX_HOSTKEYS)
				fatal("too many -K");
			o->known_files[o->nknown++] = optarg;
			break;
		case 'k':
			o->kex = optarg;
			break;
		case 'M':
			o->moduli = optarg;
			break;
		case 'm':
			o->macs = optarg;
			break;
		case 'n':
			o->max_conns = (long)num_arg(ch, 0, 1000000);
			break;
		case 'p':
			o->port = (int)num_arg(ch, 1, 65535);
			break;
		case 'R':
			o->rekey_bytes = (uint64_t)num_arg(ch, 0, 1LL << 40);
			break;
		case 'r':
			o->rekey = 1;
			break;
		case 'T':
			o->timeout_ms = 1000 * (int)num_arg(ch, 1, 3600);
			break;
		case 'u':
			o->user = optarg;
			break;
		case 'v':
			if (*levelp < LOG_LEVEL_DEBUG3)
				(*levelp)++;
			break;
		case 'x':
			o->matrix = 1;
			break;
		default:
			usage();
		}
	}
	return o->port == 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	struct opts o;
	int level = LOG_LEVEL_INFO, r;

	if (argc < 2)
		usage();
	memset(&o, 0, sizeof(o));
	o.host = "127.0.0.1";
	o.user = "nobody";
	o.timeout_ms = 20000;
	if (strcmp(argv[1], "server") == 0)
		o.server = 1;
	else if (strcmp(argv[1], "client") != 0)
		usage();
	if (parse_opts(argc - 1, argv + 1, &o, &level) != 0)
		usage();
	log_init("transport-peer", (LogLevel)level, LOG_FACILITY_USER, 1);
	signal(SIGPIPE, SIG_IGN);
	for (nknown = 0; nknown < o.nknown; nknown++) {
		if ((r = keyfile_load_public(o.known_files[nknown],
		    &known_keys[nknown], NULL)) != 0)
			fatal_fr(r, "load %s", o.known_files[nknown]);
	}
	if (o.identity != NULL &&
	    (r = keyfile_load_private(o.identity, NULL, &identity, NULL)) != 0)
		fatal_fr(r, "load %s", o.identity);
	r = o.server ? run_server(&o) : run_client(&o);
	for (nknown = 0; nknown < o.nknown; nknown++)
		key_free(known_keys[nknown]);
	key_free(identity);
	return r;
}
