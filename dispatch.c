/*
 * dispatch.c: the per-connection message handler table (dispatch.h).
 */
#include "includes.h"

#include "buf.h"
#include "dispatch.h"
#include "errcode.h"
#include "log.h"
#include "packet.h"
#include "ssh2.h"

struct dispatch {
	dispatch_fn *fn[256];
};

int
dispatch_new(struct dispatch **dp)
{
	struct dispatch *d;
	size_t i;

	*dp = NULL;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return ERR_ALLOC_FAIL;
	for (i = 0; i < 256; i++)
		d->fn[i] = dispatch_unexpected;
	*dp = d;
	return 0;
}

void
dispatch_free(struct dispatch *d)
{
	free(d);
}

void
dispatch_set(struct ssh *ssh, int type, dispatch_fn *fn)
{
	struct dispatch *d = packet_dispatch(ssh);

	if (type < 0 || type > 255)
		return;
	d->fn[type] = fn == NULL ? dispatch_unexpected : fn;
}

void
dispatch_range(struct ssh *ssh, u_int lo, u_int hi, dispatch_fn *fn)
{
	u_int i;

	for (i = lo; i <= hi && i <= 255; i++)
		dispatch_set(ssh, (int)i, fn);
}

/* The key exchange's own entries (kex.c arms them). */
static int
is_kex_type(u_int type)
{
	return type == SSH2_MSG_EXT_INFO ||
	    (type >= SSH2_MSG_KEX_MIN && type <= SSH2_MSG_KEX_MAX);
}

void
dispatch_reset_app(struct ssh *ssh)
{
	u_int i;

	for (i = 0; i < 256; i++) {
		if (!is_kex_type(i))
			dispatch_set(ssh, (int)i, NULL);
	}
}

dispatch_fn *
dispatch_get(struct ssh *ssh, int type)
{
	if (type < 0 || type > 255)
		return dispatch_unexpected;
	return packet_dispatch(ssh)->fn[type];
}

int
dispatch_call(struct ssh *ssh, int type, uint32_t seqnr)
{
	dispatch_fn *fn = dispatch_get(ssh, type);
	int r;

	if ((r = fn(type, seqnr, ssh)) != 0)
		return packet_fail(ssh, r, NULL);
	return 0;
}

int
dispatch_run(struct ssh *ssh, volatile sig_atomic_t *done)
{
	u_char type;
	int r;

	while (done == NULL || !*done) {
		if ((r = packet_next(ssh, &type)) != 0)
			return r;
		if (type == SSH2_MSG_NONE)
			return 0;
		if ((r = dispatch_call(ssh, type, packet_seqnr(ssh))) != 0)
			return r;
		if (packet_is_closed(ssh))
			return ERR_DISCONNECTED;
	}
	return 0;
}

int
dispatch_run_fd(struct ssh *ssh, volatile sig_atomic_t *done, int timeout_ms)
{
	int r, wait, rekey_wait;

	for (;;) {
		r = dispatch_run(ssh, done);
		/* A RekeyLimit by time is due even on an idle connection. */
		if (r == 0 && !packet_is_closed(ssh))
			r = packet_check_rekey(ssh);
		if (r != 0 || (done != NULL && *done)) {
			/* Deliver what we queued (a DISCONNECT) either way. */
			if (packet_fd_flush(ssh, 1000) != 0 && r == 0)
				r = ERR_CONN_CLOSED;
			return r;
		}
		if ((r = packet_fd_flush(ssh, timeout_ms)) != 0)
			return r;
		wait = timeout_ms;
		rekey_wait = packet_rekey_timeout_ms(ssh);
		if (rekey_wait >= 0 && (wait < 0 || rekey_wait < wait))
			wait = rekey_wait;
		else
			rekey_wait = -1;
		r = packet_fd_read(ssh, wait);
		if (r == ERR_CONN_TIMEOUT && rekey_wait >= 0)
			continue;
		if (r != 0 && r != ERR_CONN_CLOSED)
			return r;
	}
}

/* ------------------------------------------------------------ stock */

int
dispatch_unexpected(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct buf *m;
	int r;

	if (packet_strict_kex(ssh) && packet_kex_count(ssh) == 0)
		return packet_disconnect(ssh, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "strict KEX violation: unexpected packet type %d "
		    "(seqnr %u)", type, seqnr);
	logit("unexpected message type %d (seqnr %u) from %s", type, seqnr,
	    packet_peer_desc(ssh));
	/* RFC 4253 11.4 */
	if ((r = packet_start(ssh, SSH2_MSG_UNIMPLEMENTED, &m)) != 0 ||
	    (r = buf_put_u32(m, seqnr)) != 0)
		return r;
	return packet_send(ssh);
}

int
dispatch_protocol_error(int type, uint32_t seqnr, struct ssh *ssh)
{
	return packet_disconnect(ssh, SSH2_DISCONNECT_PROTOCOL_ERROR,
	    "Protocol error: unexpected message type %d (seqnr %u)", type,
	    seqnr);
}

int
dispatch_ignore(int type, uint32_t seqnr, struct ssh *ssh)
{
	debug2("ignoring message type %d (seqnr %u)", type, seqnr);
	return 0;
}
