/*
 * sshd-session-fwd.c: direct-tcpip channels (ssh -L, RFC 4254 section
 * 7.2) in sshd's post-auth process: the policy (DisableForwarding,
 * AllowTcpForwarding, PermitOpen, authorized_keys no-port-forwarding and
 * permitopen=) and a non-blocking connect whose end confirms or refuses
 * the channel.
 */
#include "includes.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth-options.h"
#include "channels/channel.h"
#include "channels/forward.h"
#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "servconf.h"
#include "serverloop.h"
#include "sshd-session.h"

/* A connect in progress for a channel not yet confirmed. */
struct fwd_pending {
	struct fwd_pending *next;
	struct fwd_mgr *fm;
	struct channel *ch;	/* NULL once the channel is gone */
	int fd;
	struct addrinfo *ai0;	/* every address of the target */
	struct addrinfo *ai;	/* the one being tried */
	char *host;
	uint32_t port;
};

struct fwd_mgr {
	const struct server_ctx *ctx;
	struct fwd_perms *perms;	/* PermitOpen */
	struct fwd_pending *list;
	size_t npending;
};

static void fwd_pending_closed(struct channel *ch, void *vp);

static const struct chan_ops fwd_pending_ops = {
	.closed = fwd_pending_closed,
};

int
fwd_mgr_new(const struct server_ctx *ctx, struct fwd_mgr **fmp)
{
	struct fwd_mgr *fm;
	u_int i;
	int r;

	*fmp = NULL;
	if ((fm = calloc(1, sizeof(*fm))) == NULL)
		return ERR_ALLOC_FAIL;
	fm->ctx = ctx;
	if ((r = fwd_perms_new(&fm->perms)) != 0) {
		free(fm);
		return r;
	}
	for (i = 0; i < ctx->cfg->permit_open.n; i++) {
		if ((r = fwd_perms_add(fm->perms,
		    ctx->cfg->permit_open.v[i])) != 0) {
			error_fr(r, "PermitOpen %s",
			    ctx->cfg->permit_open.v[i]);
			fwd_mgr_free(fm);
			return r;
		}
	}
	*fmp = fm;
	return 0;
}

static void
fwd_pending_free(struct fwd_pending *p)
{
	if (p->fd != -1)
		close(p->fd);
	if (p->ai0 != NULL)
		freeaddrinfo(p->ai0);
	free(p->host);
	free(p);
}

void
fwd_mgr_free(struct fwd_mgr *fm)
{
	struct fwd_pending *p, *next;

	if (fm == NULL)
		return;
	for (p = fm->list; p != NULL; p = next) {
		next = p->next;
		if (p->ch != NULL)
			chan_set_ops(p->ch, NULL, NULL);
		fwd_pending_free(p);
	}
	fwd_perms_free(fm->perms);
	free(fm);
}

static void
fwd_pending_closed(struct channel *ch, void *vp)
{
	struct fwd_pending *p = vp;

	(void)ch;
	if (p != NULL)
		p->ch = NULL;
}

/* Is this direct-tcpip open allowed? Logs the refusal. */
static int
fwd_allowed(struct fwd_mgr *fm, const struct chan_open_info *info)
{
	const struct server_ctx *ctx = fm->ctx;
	const struct servconf *cfg = ctx->cfg;

	if (cfg->disable_forwarding ||
	    (cfg->allow_tcp_forwarding & SC_FWD_LOCAL) == 0 ||
	    !ctx->authopts->permit_port_forwarding) {
		logit("refused local port forward: originator %s port %u, "
		    "target %s port %u", info->orig_host, info->orig_port,
		    info->host, info->port);
		return 0;
	}
	if (!fwd_perms_check(fm->perms, info->host, info->port) ||
	    !authopts_permitopen_ok(ctx->authopts, info->host,
	    (int)info->port)) {
		logit("Received request from %s port %d to connect to host "
		    "%s port %u, but the request was denied.",
		    ctx->remote_ip, ctx->remote_port, info->host, info->port);
		return 0;
	}
	return 1;
}

/*
 * Start connecting to the next address: 0 with p->fd set (connected or
 * in progress), or errno of the last failure when none is left.
 */
static int
fwd_try_next(struct fwd_pending *p)
{
	int e = ECONNREFUSED;

	for (; p->ai != NULL; p->ai = p->ai->ai_next) {
		if (p->fd != -1)
			close(p->fd);
		p->fd = socket(p->ai->ai_family, p->ai->ai_socktype,
		    p->ai->ai_protocol);
		if (p->fd == -1) {
			e = errno;
			continue;
		}
		if (fcntl(p->fd, F_SETFD, FD_CLOEXEC) == -1 ||
		    set_nonblock(p->fd) != 0) {
			e = errno;
			continue;
		}
		if (connect(p->fd, p->ai->ai_addr, p->ai->ai_addrlen) == 0 ||
		    errno == EINPROGRESS)
			return 0;
		e = errno;
	}
	if (p->fd != -1)
		close(p->fd);
	p->fd = -1;
	return e;
}

/* The connect ended: confirm with the socket, or refuse. */
static int
fwd_finish(struct fwd_pending *p, int err)
{
	struct channel *ch = p->ch;
	int r, fd = p->fd;

	if (ch == NULL)
		return 0;
	chan_set_ops(ch, NULL, NULL);
	p->ch = NULL;
	if (err != 0) {
		verbose("connect_to %s port %u: failed: %s", p->host,
		    p->port, strerror(err));
		return chan_open_refuse(ch, SSH2_OPEN_CONNECT_FAILED,
		    strerror(err));
	}
	p->fd = -1;
	if ((r = chan_set_fds(ch, fd, fd, -1, CHAN_EXT_IGNORE,
	    CHAN_FD_NONBLOCK)) != 0) {
		close(fd);
		return chan_open_refuse(ch, SSH2_OPEN_RESOURCE_SHORTAGE,
		    "open failed");
	}
	debug("direct-tcpip to %s port %u connected on channel %u",
	    p->host, p->port, chan_self(ch));
	return chan_open_confirm(ch);
}

int
fwd_direct_open(struct fwd_mgr *fm, struct channel *ch,
    const struct chan_open_info *info)
{
	struct fwd_pending *p;
	struct addrinfo hints;
	char port[16];
	int e;

	if (!fwd_allowed(fm, info))
		return chan_open_refuse(ch,
		    SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED, "open failed");
	debug("direct-tcpip: originator %s port %u, target %s port %u",
	    info->orig_host, info->orig_port, info->host, info->port);
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->host = strdup(info->host)) == NULL) {
		free(p);
		return chan_open_refuse(ch, SSH2_OPEN_RESOURCE_SHORTAGE,
		    "open failed");
	}
	p->fm = fm;
	p->fd = -1;
	p->port = info->port;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%u", info->port);
	if ((e = getaddrinfo(info->host, port, &hints, &p->ai0)) != 0) {
		verbose("connect_to %s: unknown host (%s)", info->host,
		    gai_strerror(e));
		fwd_pending_free(p);
		return chan_open_refuse(ch, SSH2_OPEN_CONNECT_FAILED,
		    "name or service not known");
	}
	p->ai = p->ai0;
	if ((e = fwd_try_next(p)) != 0) {
		p->ch = ch;
		e = fwd_finish(p, e);
		fwd_pending_free(p);
		return e;
	}
	p->ch = ch;
	chan_set_ops(ch, &fwd_pending_ops, p);
	p->next = fm->list;
	fm->list = p;
	fm->npending++;
	return 0;
}

size_t
fwd_poll_count(const struct fwd_mgr *fm)
{
	return fm == NULL ? 0 : fm->npending;
}

size_t
fwd_poll_prepare(struct fwd_mgr *fm, struct pollfd *pfd, size_t n)
{
	struct fwd_pending *p;
	size_t i = 0;

	for (p = fm->list; p != NULL && i < n; p = p->next) {
		pfd[i].fd = p->fd;
		pfd[i].events = POLLOUT;
		pfd[i].revents = 0;
		i++;
	}
	return i;
}

int
fwd_poll_handle(struct fwd_mgr *fm, const struct pollfd *pfd, size_t n)
{
	struct fwd_pending *p, **pp;
	socklen_t len;
	size_t i;
	int err, r, done;

	for (i = 0; i < n; i++) {
		if (pfd[i].revents == 0)
			continue;
		for (p = fm->list; p != NULL; p = p->next) {
			if (p->fd != pfd[i].fd || p->fd == -1)
				continue;
			err = 0;
			len = sizeof(err);
			if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err,
			    &len) == -1)
				err = errno;
			if (err != 0 && p->ai != NULL) {
				p->ai = p->ai->ai_next;
				if (fwd_try_next(p) == 0)
					break;
			}
			if ((r = fwd_finish(p, err)) != 0)
				return r;
			break;
		}
	}
	/* Drop the finished ones and those whose channel went away. */
	for (pp = &fm->list; (p = *pp) != NULL; ) {
		done = p->ch == NULL;
		if (done) {
			*pp = p->next;
			fm->npending--;
			fwd_pending_free(p);
			continue;
		}
		pp = &p->next;
	}
	return 0;
}
