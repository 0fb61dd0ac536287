/*
 * sshd-postauth.c: the start of sshd's session child (DESIGN.md section
 * 2).  Forked by the monitor once the user is authenticated: it wipes
 * the monitor's secrets from its copy of memory, becomes the user for
 * good (verified by uidswap), takes over the transport from the state
 * the pre-auth child handed over, and runs the connection protocol
 * (serverloop.h).
 */
#include "includes.h"

#include "auth/auth-options.h"
#include "buf.h"
#include "errcode.h"
#include "kex.h"
#include "log.h"
#include "monitor.h"
#include "monitor-keys.h"
#include "packet.h"
#include "servconf.h"
#include "serverloop.h"
#include "sshd.h"
#include "uidswap.h"

#define POSTAUTH_FLUSH_MS	2000

/* A private copy of the key options (the monitor is about to go). */
static struct authopts *
copy_authopts(const struct authopts *o)
{
	struct authopts *copy = NULL;
	struct buf *b;
	int r;

	if ((b = buf_new()) == NULL)
		fatal("out of memory");
	if (o == NULL)
		copy = authopts_new();
	else if ((r = monitor_authopts_put(b, o)) != 0 ||
	    (r = monitor_authopts_get(b, &copy)) != 0)
		fatal_fr(r, "authorized key options");
	buf_free(b);
	if (copy == NULL)
		fatal("out of memory");
	return copy;
}

void
sshd_session_child(struct sshd_conn *c, int fd, struct buf *state)
{
	struct server_ctx sc;
	struct kex_callbacks cb;
	struct authopts *opts;
	struct passwd *pw;
	struct ssh *ssh = NULL;
	char desc[NI_MAXHOST + 32];
	int r;

	c->child_monfd = fd;
	if (monitor_user(c->m) == NULL ||
	    (pw = pw_dup(monitor_user(c->m))) == NULL)
		fatal("no authenticated user");
	opts = copy_authopts(monitor_authopts(c->m));
	/* Host private keys and passwords stay with the monitor. */
	monitor_free(c->m);
	c->m = NULL;
	if ((r = uidswap_permanently_set(pw, UIDSWAP_GROUPS_INIT)) != 0)
		fatal_fr(r, "cannot become user %s", pw->pw_name);
	setproctitle("%s@notty", pw->pw_name);
	snprintf(desc, sizeof(desc), "%s port %d", c->remote_ip,
	    c->remote_port);
	if ((r = packet_new(1, &ssh)) != 0 ||
	    (r = packet_state_deserialize(ssh, state)) != 0 ||
	    (r = packet_set_peer_desc(ssh, desc)) != 0)
		fatal_fr(r, "transport hand-over");
	buf_free(state);
	packet_set_fds(ssh, c->sock_in, c->sock_out);
	memset(&cb, 0, sizeof(cb));
	cb.get_hostkey = sshd_cb_get_hostkey;
	cb.sign = sshd_cb_sign;
	cb.ctx = c;
	kex_set_callbacks(ssh, &cb);
	if ((r = packet_enable_delayed_compress(ssh)) != 0)
		fatal_fr(r, "compression");
	memset(&sc, 0, sizeof(sc));
	sc.ssh = ssh;
	sc.monitor_fd = fd;
	sc.cfg = c->ucfg != NULL ? c->ucfg : c->cfg;
	sc.pw = pw;
	sc.authopts = opts;
	sc.remote_ip = c->remote_ip;
	sc.remote_port = c->remote_port;
	sc.local_ip = c->local_ip;
	sc.local_port = c->local_port;
	r = server_loop_run(&sc);
	if (packet_output_len(ssh) > 0)
		if (packet_fd_flush(ssh, POSTAUTH_FLUSH_MS) != 0)
			debug("flush at close failed");
	packet_free(ssh);
	authopts_free(opts);
	pw_free(pw);
	_exit(r == 0 ? 0 : 255);
}
