/*
 * sshd-session-rfwd.c: remote port forwarding (ssh -R, RFC 4254 section
 * 7.1) in sshd's post-auth process: tcpip-forward and
 * cancel-tcpip-forward with their policy (DisableForwarding,
 * AllowTcpForwarding, GatewayPorts, PermitListen, authorized_keys
 * no-port-forwarding and permitlisten=, privileged ports only for
 * root), the listening sockets, and a forwarded-tcpip channel for each
 * connection accepted on them.
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

#define RFWD_MAX_LISTENERS	256	/* tcpip-forward requests kept */
#define RFWD_MAX_FDS		4	/* sockets per forward */
#define RFWD_RESERVED_PORT	1024

/* One accepted tcpip-forward: the request's address and port. */
struct rfwd_listener {
	struct rfwd_listener *next;
	char *addr;		/* as the client asked */
	uint32_t port;		/* as the client asked */
	uint32_t bound;		/* the port actually bound */
	int fds[RFWD_MAX_FDS];
	size_t nfds;
};

/* A forwarded-tcpip channel waiting for the client's answer. */
struct rfwd_conn {
	struct rfwd_conn *next;
	struct channel *ch;	/* NULL once answered or gone */
	int fd;
};

struct rfwd_mgr {
	const struct server_ctx *ctx;
	struct channels *chans;
	struct fwd_perms *perms;	/* PermitListen */
	struct rfwd_listener *list;
	size_t nlisteners;
	size_t nfds;
	struct rfwd_conn *conns;
};

int
rfwd_mgr_new(const struct server_ctx *ctx, struct channels *chans,
    struct rfwd_mgr **rmp)
{
	struct rfwd_mgr *rm;
	u_int i;
	int r;

	*rmp = NULL;
	if ((rm = calloc(1, sizeof(*rm))) == NULL)
		return ERR_ALLOC_FAIL;
	rm->ctx = ctx;
	rm->chans = chans;
	if ((r = fwd_perms_new(&rm->perms)) != 0) {
		free(rm);
		return r;
	}
	for (i = 0; i < ctx->cfg->permit_listen.n; i++) {
		if ((r = fwd_perms_add(rm->perms,
		    ctx->cfg->permit_listen.v[i])) != 0) {
			error_fr(r, "PermitListen %s",
			    ctx->cfg->permit_listen.v[i]);
			rfwd_mgr_free(rm);
			return r;
		}
	}
	*rmp = rm;
	return 0;
}

static void
rfwd_listener_free(struct rfwd_listener *l)
{
	size_t i;

	for (i = 0; i < l->nfds; i++)
		close(l->fds[i]);
	free(l->addr);
	free(l);
}

void
rfwd_mgr_free(struct rfwd_mgr *rm)
{
	struct rfwd_listener *l, *ln;
	struct rfwd_conn *c, *cn;

	if (rm == NULL)
		return;
	for (l = rm->list; l != NULL; l = ln) {
		ln = l->next;
		rfwd_listener_free(l);
	}
	for (c = rm->conns; c != NULL; c = cn) {
		cn = c->next;
		if (c->ch != NULL)
			chan_set_ops(c->ch, NULL, NULL);
		if (c->fd != -1)
			close(c->fd);
		free(c);
	}
	fwd_perms_free(rm->perms);
	free(rm);
}

/* Is listening on addr:port allowed? Logs refusals. */
static int
rfwd_allowed(struct rfwd_mgr *rm, const char *addr, uint32_t port)
{
	const struct server_ctx *ctx = rm->ctx;
	const struct servconf *cfg = ctx->cfg;
	const char *host = *addr == '\0' ? "*" : addr;

	if (cfg->disable_forwarding ||
	    (cfg->allow_tcp_forwarding & SC_FWD_REMOTE) == 0 ||
	    !ctx->authopts->permit_port_forwarding) {
		debug("refused remote port forward %s:%u: forwarding "
		    "disabled", host, port);
		return 0;
	}
	if (port != 0 && port < RFWD_RESERVED_PORT &&
	    ctx->pw->pw_uid != 0) {
		debug("refused remote port forward %s:%u: privileged port",
		    host, port);
		return 0;
	}
	if (!fwd_perms_check(rm->perms, host, port) ||
	    !authopts_permitlisten_ok(ctx->authopts, host, (int)port)) {
		logit("Received request from %s port %d to remote forward "
		    "to host %s port %u, but the request was denied.",
		    ctx->remote_ip, ctx->remote_port, host, port);
		return 0;
	}
	return 1;
}

/*
 * The address to bind for a request (GatewayPorts): NULL for the
 * wildcard, else a host for getaddrinfo.
 */
static const char *
rfwd_bind_addr(const struct servconf *cfg, const char *addr)
{
	int wild = *addr == '\0' || strcmp(addr, "*") == 0 ||
	    strcmp(addr, "0.0.0.0") == 0 || strcmp(addr, "::") == 0;

	switch (cfg->gateway_ports) {
	case SC_GW_YES:
		return NULL;
	case SC_GW_CLIENTSPECIFIED:
		if (wild)
			return NULL;
		return strcmp(addr, "localhost") == 0 ? "localhost" : addr;
	default:
		return "localhost";
	}
}

static int
rfwd_listen(struct rfwd_listener *l, const char *bindaddr)
{
	struct addrinfo hints, *ai0 = NULL, *ai;
	struct sockaddr_storage ss;
	socklen_t slen;
	char port[16];
	int fd, on = 1, e;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	snprintf(port, sizeof(port), "%u", l->port);
	if ((e = getaddrinfo(bindaddr, port, &hints, &ai0)) != 0) {
		verbose("remote forward %s: %s", bindaddr != NULL ?
		    bindaddr : "*", gai_strerror(e));
		return ERR_INVALID_ARGUMENT;
	}
	for (ai = ai0; ai != NULL && l->nfds < RFWD_MAX_FDS;
	    ai = ai->ai_next) {
		if (l->bound != 0) {
			/* Port 0: the same port for every family. */
			if (ai->ai_family == AF_INET)
				((struct sockaddr_in *)ai->ai_addr)->sin_port =
				    htons((uint16_t)l->bound);
			else if (ai->ai_family == AF_INET6)
				((struct sockaddr_in6 *)
				    ai->ai_addr)->sin6_port =
				    htons((uint16_t)l->bound);
		}
		if ((fd = socket(ai->ai_family, ai->ai_socktype,
		    ai->ai_protocol)) == -1)
			continue;
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on,
		    sizeof(on));
		if (ai->ai_family == AF_INET6)
			(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
			    sizeof(on));
		if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1 ||
		    set_nonblock(fd) != 0 ||
		    bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
		    listen(fd, 128) == -1) {
			debug("remote forward bind: %s", strerror(errno));
			close(fd);
			continue;
		}
		slen = sizeof(ss);
		if (l->bound == 0 && getsockname(fd, (struct sockaddr *)&ss,
		    &slen) == 0) {
			if (ss.ss_family == AF_INET)
				l->bound = ntohs(((struct sockaddr_in *)
				    &ss)->sin_port);
			else if (ss.ss_family == AF_INET6)
				l->bound = ntohs(((struct sockaddr_in6 *)
				    &ss)->sin6_port);
		}
		l->fds[l->nfds++] = fd;
	}
	freeaddrinfo(ai0);
	return l->nfds > 0 ? 0 : ERR_ERRNO;
}

static int
rfwd_add(struct rfwd_mgr *rm, struct chan_global_request *req)
{
	struct rfwd_listener *l;
	const char *addr = req->addr != NULL ? req->addr : "";

	if (rm->nlisteners >= RFWD_MAX_LISTENERS ||
	    req->port > FWD_PORT_MAX || !rfwd_allowed(rm, addr, req->port))
		return 0;
	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (l->addr = strdup(addr)) == NULL) {
		free(l);
		return ERR_ALLOC_FAIL;
	}
	l->port = req->port;
	l->bound = req->port;
	if (rfwd_listen(l, rfwd_bind_addr(rm->ctx->cfg, addr)) != 0) {
		rfwd_listener_free(l);
		return 0;
	}
	req->bound_port = l->bound;
	l->next = rm->list;
	rm->list = l;
	rm->nlisteners++;
	rm->nfds += l->nfds;
	verbose("remote forward listening on %s port %u",
	    *addr != '\0' ? addr : "*", l->bound);
	return 1;
}

static int
rfwd_cancel(struct rfwd_mgr *rm, const struct chan_global_request *req)
{
	struct rfwd_listener *l, **lp;
	const char *addr = req->addr != NULL ? req->addr : "";

	for (lp = &rm->list; (l = *lp) != NULL; lp = &l->next) {
		if (strcmp(l->addr, addr) != 0 ||
		    (l->port != req->port && l->bound != req->port))
			continue;
		*lp = l->next;
		rm->nlisteners--;
		rm->nfds -= l->nfds;
		debug("remote forward %s:%u cancelled", addr, req->port);
		rfwd_listener_free(l);
		return 1;
	}
	return 0;
}

int
rfwd_global_request(struct rfwd_mgr *rm, struct chan_global_request *req)
{
	if (req->type == CHAN_GREQ_TCPIP_FORWARD)
		return rfwd_add(rm, req);
	if (req->type == CHAN_GREQ_CANCEL_TCPIP_FORWARD)
		return rfwd_cancel(rm, req);
	return 0;
}

/* ------------------------------------------------------------ conns */

static int
rfwd_conn_result(struct channel *ch, int ok, uint32_t reason,
    const char *desc, void *vc)
{
	struct rfwd_conn *c = vc;
	int r, fd;

	if (c == NULL || c->ch == NULL)
		return 0;
	c->ch = NULL;
	chan_set_ops(ch, NULL, NULL);
	fd = c->fd;
	c->fd = -1;
	if (!ok) {
		debug("forwarded-tcpip refused by the client: %u %s",
		    reason, desc != NULL ? desc : "");
		close(fd);
		return 0;
	}
	if ((r = chan_set_fds(ch, fd, fd, -1, CHAN_EXT_IGNORE,
	    CHAN_FD_NONBLOCK)) != 0) {
		close(fd);
		return chan_close(ch);
	}
	return 0;
}

static void
rfwd_conn_closed(struct channel *ch, void *vc)
{
	struct rfwd_conn *c = vc;

	(void)ch;
	if (c != NULL)
		c->ch = NULL;
}

static const struct chan_ops rfwd_conn_ops = {
	.open_result = rfwd_conn_result,
	.closed = rfwd_conn_closed,
};

/* A connection on a forwarded port: open forwarded-tcpip for it. */
static int
rfwd_accept(struct rfwd_mgr *rm, struct rfwd_listener *l, int lfd)
{
	struct sockaddr_storage ss;
	socklen_t slen = sizeof(ss);
	struct chan_open_info info;
	struct rfwd_conn *c;
	char host[NI_MAXHOST], serv[NI_MAXSERV];
	int fd, r;

	if ((fd = accept(lfd, (struct sockaddr *)&ss, &slen)) == -1) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			debug("remote forward accept: %s", strerror(errno));
		return 0;
	}
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1 ||
	    getnameinfo((struct sockaddr *)&ss, slen, host, sizeof(host),
	    serv, sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV) != 0 ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		return 0;
	}
	c->fd = fd;
	memset(&info, 0, sizeof(info));
	info.type = CHAN_TYPE_FORWARDED_TCPIP;
	info.host = l->addr;
	info.port = l->bound;
	info.orig_host = host;
	info.orig_port = (uint32_t)a2port(serv);
	if ((r = chan_open(rm->chans, &info, 0, 0, &rfwd_conn_ops, c,
	    &c->ch)) != 0) {
		/* Too many channels: drop this connection, not ours. */
		debug_fr(r, "forwarded-tcpip from %s port %s", host, serv);
		close(fd);
		free(c);
		return r == ERR_NO_BUFFER_SPACE ? 0 : r;
	}
	debug("forwarded-tcpip from %s port %s for %s:%u", host, serv,
	    l->addr, l->bound);
	c->next = rm->conns;
	rm->conns = c;
	return 0;
}

size_t
rfwd_poll_count(const struct rfwd_mgr *rm)
{
	return rm == NULL ? 0 : rm->nfds;
}

size_t
rfwd_poll_prepare(struct rfwd_mgr *rm, struct pollfd *pfd, size_t n)
{
	struct rfwd_listener *l;
	size_t i, k = 0;

	for (l = rm->list; l != NULL; l = l->next) {
		for (i = 0; i < l->nfds && k < n; i++, k++) {
			pfd[k].fd = l->fds[i];
			pfd[k].events = POLLIN;
			pfd[k].revents = 0;
		}
	}
	return k;
}

int
rfwd_poll_handle(struct rfwd_mgr *rm, const struct pollfd *pfd, size_t n)
{
	struct rfwd_listener *l;
	struct rfwd_conn *c, **cp;
	size_t i, k;
	int r;

	for (k = 0; k < n; k++) {
		if ((pfd[k].revents & POLLIN) == 0)
			continue;
		/* Listeners may have gone meanwhile: look the fd up. */
		for (l = rm->list; l != NULL; l = l->next) {
			for (i = 0; i < l->nfds; i++) {
				if (l->fds[i] != pfd[k].fd)
					continue;
				if ((r = rfwd_accept(rm, l, l->fds[i])) != 0)
					return r;
			}
		}
	}
	for (cp = &rm->conns; (c = *cp) != NULL; ) {
		if (c->ch == NULL) {
			*cp = c->next;
			if (c->fd != -1)
				close(c->fd);
			free(c);
			continue;
		}
		cp = &c->next;
	}
	return 0;
}
