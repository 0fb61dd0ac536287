/*
 * sshd-preauth.c: sshd's pre-auth child (DESIGN.md section 2).  Forked by
 * the monitor, it drops to the privsep user in the empty privsep
 * directory, enters the sandbox, and only then reads from the network:
 * version exchange, key exchange (host key signatures by the monitor),
 * user authentication (auth2_server_run, every decision by the
 * monitor).  Once the user is in, the transport state goes to the
 * monitor and the child exits.  Its log lines go to the monitor.
 */
#include "includes.h"

#include "auth/auth2.h"
#include "buf.h"
#include "errcode.h"
#include "kex-names.h"
#include "kex.h"
#include "key.h"
#include "log.h"
#include "monitor-wrap.h"
#include "packet.h"
#include "sandbox.h"
#include "servconf.h"
#include "sshd.h"
#include "uidswap.h"

/* Flushing what is queued (a DISCONNECT) at the end: at most this. */
#define PREAUTH_FLUSH_MS	2000

static int preauth_monfd = -1;

int
sshd_cb_get_hostkey(struct ssh *ssh, const char *alg,
    const struct key **pubp, void *ctx)
{
	const struct sshd_conn *c = ctx;
	int type, nid, r;
	size_t i;

	*pubp = NULL;
	if ((r = kex_names_hostkey_type(alg, &type, &nid)) != 0)
		return r;
	for (i = 0; i < c->npubkeys; i++) {
		if ((int)key_type(c->pubkeys[i]) == type &&
		    (type != KEY_ECDSA || key_ecdsa_nid(c->pubkeys[i]) == nid)) {
			*pubp = c->pubkeys[i];
			return 0;
		}
	}
	return ERR_NO_HOSTKEY_LOADED;
}

int
sshd_cb_sign(struct ssh *ssh, const struct key *pub, const char *alg,
    const u_char *data, size_t dlen, u_char **sigp, size_t *siglenp,
    void *ctx)
{
	const struct sshd_conn *c = ctx;

	return mm_sign(c->child_monfd, pub, alg, data, dlen, sigp,
	    siglenp);
}

/* Privsep user and chroot (when root), then the sandbox. */
static void
confine(struct sshd_conn *c, int fd)
{
	struct sandbox_config sc;
	char err[512];
	int r;

	if (c->privpw != NULL && uidswap_privsep_child(c->privpw,
	    PRIVSEP_PATH, err, sizeof(err)) != 0)
		fatal("%s", err);
	memset(&sc, 0, sizeof(sc));
	sc.kind = c->ctx->sandbox;
	sc.fds[sc.nfds++] = c->sock_in;
	if (c->sock_out != c->sock_in)
		sc.fds[sc.nfds++] = c->sock_out;
	sc.fds[sc.nfds++] = fd;
	if ((r = sandbox_enter(&sc)) != 0)
		fatal_fr(r, "sandbox (%s)", sandbox_kind_name(sc.kind));
}

static void
kex_params_for(const struct sshd_conn *c, struct kex_params *p)
{
	const struct servconf *cfg = c->cfg;

	memset(p, 0, sizeof(*p));
	p->kex_algs = cfg->kex_algorithms;
	p->hostkey_algs = c->hostkey_algs;
	p->ciphers = cfg->ciphers;
	p->macs = cfg->macs;
	p->compression = cfg->compression == SC_COMP_NO ? "none" :
	    KEX_DEFAULT_COMP_SERVER;
	p->server_sig_algs = cfg->pubkey_accepted_algorithms;
	/* The chroot holds no files: the monitor read it beforehand. */
	p->moduli_path = c->moduli_text != NULL ? cfg->moduli_file : NULL;
	p->moduli_text = c->moduli_text;
	p->rekey_bytes = cfg->rekey_limit > 0 ? (uint64_t)cfg->rekey_limit : 0;
	p->rekey_seconds = cfg->rekey_interval > 0 ?
	    (uint32_t)cfg->rekey_interval : 0;
	p->cb.get_hostkey = sshd_cb_get_hostkey;
	p->cb.sign = sshd_cb_sign;
	p->cb.ctx = (void *)c;
}

static void noreturn_fn
preauth_end(struct ssh *ssh, int r)
{
	if (ssh != NULL && packet_output_len(ssh) > 0)
		if (packet_fd_flush(ssh, PREAUTH_FLUSH_MS) != 0)
			debug("flush at close failed");
	if (r == ERR_CONN_CLOSED || r == ERR_DISCONNECTED)
		_exit(1);
	_exit(255);
}

void
sshd_preauth_child(struct sshd_conn *c, int fd)
{
	struct kex_params kp;
	struct auth2_params ap;
	struct auth2_result res;
	struct ssh *ssh = NULL;
	struct buf *state = NULL;
	char desc[NI_MAXHOST + 32];
	int r;

	c->child_monfd = fd;
	/* Log lines go to the monitor: no file may grow from here on. */
	preauth_monfd = fd;
	log_set_handler(mm_log_handler, &preauth_monfd);
	setproctitle("%s [net]", c->remote_ip);
	confine(c, fd);
	snprintf(desc, sizeof(desc), "%s port %d", c->remote_ip,
	    c->remote_port);
	kex_params_for(c, &kp);
	if ((r = packet_new(1, &ssh)) != 0 ||
	    (r = packet_set_peer_desc(ssh, desc)) != 0 ||
	    (r = packet_set_version_addendum(ssh,
	    c->cfg->version_addendum)) != 0)
		fatal_fr(r, "packet set-up");
	packet_set_fds(ssh, c->sock_in, c->sock_out);
	/* The first key exchange runs inside auth2's dispatch loop, so a
	 * SERVICE_REQUEST read with NEWKEYS finds its handler armed. */
	if ((r = kex_setup(ssh, &kp)) != 0)
		fatal_fr(r, "kex_setup");
	memset(&ap, 0, sizeof(ap));
	memset(&res, 0, sizeof(res));
	ap.monitor_fd = fd;
	ap.remote_ip = c->remote_ip;
	ap.remote_port = c->remote_port;
	if ((r = auth2_server_run(ssh, &ap, &res)) != 0)
		preauth_end(ssh, r);
	auth2_result_clear(&res);
	if ((state = buf_new()) == NULL)
		fatal("out of memory");
	if ((r = packet_state_serialize(ssh, state)) != 0)
		fatal_fr(r, "packet_state_serialize");
	if ((r = mm_send_state(fd, state)) != 0)
		fatal_fr(r, "mm_send_state");
	buf_free(state);
	packet_free(ssh);
	_exit(0);
}
