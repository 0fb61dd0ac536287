/*
 * forward.c: port forwarding (RFC 4254 section 7): the type-specific
 * fields of CHANNEL_OPEN, global requests (tcpip-forward,
 * cancel-tcpip-forward and others by name) and their replies, the
 * remote forwards the peer accepted, and PermitOpen-style lists.
 */
#include "includes.h"

#include <strings.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "channels/channel.h"
#include "channels/chan-impl.h"
#include "channels/forward.h"

static void
str_free(char *s)
{
	if (s != NULL)
		freezero(s, strlen(s));
}

/* ------------------------------------------------------------ open codec */

/* host, port, originator host, originator port (sections 7.1, 7.2) */
static int
open_parse_tcpip(struct buf *b, struct chan_open_info *info)
{
	int r;

	if ((r = buf_get_cstring(b, &info->host, NULL)) != 0 ||
	    (r = buf_get_u32(b, &info->port)) != 0 ||
	    (r = buf_get_cstring(b, &info->orig_host, NULL)) != 0 ||
	    (r = buf_get_u32(b, &info->orig_port)) != 0)
		return r;
	return 0;
}

/* originator address, originator port (section 6.3.2) */
static int
open_parse_x11(struct buf *b, struct chan_open_info *info)
{
	int r;

	if ((r = buf_get_cstring(b, &info->orig_host, NULL)) != 0 ||
	    (r = buf_get_u32(b, &info->orig_port)) != 0)
		return r;
	return 0;
}

int
fwd_open_parse(struct buf *b, struct chan_open_info *info)
{
	enum chan_type t = info->type;
	int r = ERR_INTERNAL;

	memset(info, 0, sizeof(*info));
	info->type = t;
	switch (t) {
	case CHAN_TYPE_SESSION:
	case CHAN_TYPE_AGENT:
		r = 0;
		break;
	case CHAN_TYPE_DIRECT_TCPIP:
	case CHAN_TYPE_FORWARDED_TCPIP:
		r = open_parse_tcpip(b, info);
		break;
	case CHAN_TYPE_X11:
		r = open_parse_x11(b, info);
		break;
	default:
		return ERR_INVALID_ARGUMENT;
	}
	if (r == 0 && buf_len(b) != 0)
		r = ERR_UNEXPECTED_TRAILING_DATA;
	if (r != 0) {
		fwd_open_clear(info);
		info->type = t;
	}
	return r;
}

static const char *
nz(const char *s)
{
	return s == NULL ? "" : s;
}

static int
open_put_orig(struct buf *b, const struct chan_open_info *info)
{
	int r;

	if ((r = buf_put_cstring(b, nz(info->orig_host))) != 0 ||
	    (r = buf_put_u32(b, info->orig_port)) != 0)
		return r;
	return 0;
}

int
fwd_open_put(struct buf *b, const struct chan_open_info *info)
{
	int r;

	switch (info->type) {
	case CHAN_TYPE_SESSION:
	case CHAN_TYPE_AGENT:
		return 0;
	case CHAN_TYPE_DIRECT_TCPIP:
	case CHAN_TYPE_FORWARDED_TCPIP:
		if ((r = buf_put_cstring(b, nz(info->host))) != 0 ||
		    (r = buf_put_u32(b, info->port)) != 0)
			return r;
		return open_put_orig(b, info);
	case CHAN_TYPE_X11:
		return open_put_orig(b, info);
	default:
		return ERR_INVALID_ARGUMENT;
	}
}

static int
strdup_opt(const char *s, char **dp)
{
	*dp = NULL;
	if (s != NULL && (*dp = strdup(s)) == NULL)
		return ERR_ALLOC_FAIL;
	return 0;
}

int
fwd_open_copy(struct chan_open_info *dst, const struct chan_open_info *src)
{
	int r;

	memset(dst, 0, sizeof(*dst));
	dst->type = src->type;
	dst->port = src->port;
	dst->orig_port = src->orig_port;
	if ((r = strdup_opt(src->host, &dst->host)) != 0 ||
	    (r = strdup_opt(src->orig_host, &dst->orig_host)) != 0) {
		fwd_open_clear(dst);
		return r;
	}
	return 0;
}

void
fwd_open_clear(struct chan_open_info *info)
{
	if (info == NULL)
		return;
	str_free(info->host);
	str_free(info->orig_host);
	memset(info, 0, sizeof(*info));
}

/* ------------------------------------------------------------ global codec */

static const char *const greq_names[] = {
	[CHAN_GREQ_OTHER] = NULL,
	[CHAN_GREQ_TCPIP_FORWARD] = "tcpip-forward",
	[CHAN_GREQ_CANCEL_TCPIP_FORWARD] = "cancel-tcpip-forward",
};
#define NGREQ	(sizeof(greq_names) / sizeof(greq_names[0]))

const char *
fwd_greq_name(enum chan_greq_type t)
{
	if ((size_t)t >= NGREQ)
		return NULL;
	return greq_names[t];
}

static enum chan_greq_type
greq_lookup(const char *name)
{
	size_t i;

	for (i = 1; i < NGREQ; i++) {
		if (strcmp(greq_names[i], name) == 0)
			return (enum chan_greq_type)i;
	}
	return CHAN_GREQ_OTHER;
}

/* RFC 4254 sections 4 and 7.1 */
int
fwd_greq_parse(struct buf *b, struct chan_global_request *req)
{
	uint8_t want;
	int r = ERR_INTERNAL;

	memset(req, 0, sizeof(*req));
	if ((r = buf_get_cstring(b, &req->name, NULL)) != 0 ||
	    (r = buf_get_u8(b, &want)) != 0)
		goto out;
	req->want_reply = want != 0;
	if ((req->type = greq_lookup(req->name)) == CHAN_GREQ_OTHER) {
		r = 0;
		goto out;
	}
	if ((r = buf_get_cstring(b, &req->addr, NULL)) != 0 ||
	    (r = buf_get_u32(b, &req->port)) != 0)
		goto out;
	if (buf_len(b) != 0)
		r = ERR_UNEXPECTED_TRAILING_DATA;
 out:
	if (r != 0)
		fwd_greq_clear(req);
	return r;
}

int
fwd_greq_put(struct buf *b, const struct chan_global_request *req)
{
	const char *name;
	int r;

	if ((size_t)req->type >= NGREQ)
		return ERR_INVALID_ARGUMENT;
	name = req->type == CHAN_GREQ_OTHER ? req->name : greq_names[req->type];
	if (name == NULL || *name == '\0')
		return ERR_INVALID_ARGUMENT;
	if ((r = buf_put_cstring(b, name)) != 0 ||
	    (r = buf_put_u8(b, req->want_reply ? 1 : 0)) != 0)
		return r;
	if (req->type == CHAN_GREQ_OTHER)
		return 0;
	if ((r = buf_put_cstring(b, nz(req->addr))) != 0 ||
	    (r = buf_put_u32(b, req->port)) != 0)
		return r;
	return 0;
}

void
fwd_greq_clear(struct chan_global_request *req)
{
	if (req == NULL)
		return;
	str_free(req->name);
	str_free(req->addr);
	memset(req, 0, sizeof(*req));
}

/* ------------------------------------------------------------ remote fwds */

/* An address meaning "every local address" in a tcpip-forward. */
static int
addr_is_wildcard(const char *a)
{
	return *a == '\0' || strcmp(a, "*") == 0 ||
	    strcmp(a, "0.0.0.0") == 0 || strcmp(a, "::") == 0;
}

int
chan_rfwd_match(const struct channels *c, const char *addr, uint32_t port)
{
	const struct chan_rfwd *f;

	for (f = c->rfwds; f != NULL; f = f->next) {
		if (f->port == port && (addr_is_wildcard(f->addr) ||
		    strcasecmp(f->addr, nz(addr)) == 0))
			return 1;
	}
	return 0;
}

static int
rfwd_add(struct channels *c, const char *addr, uint32_t port)
{
	struct chan_rfwd *f;

	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (f->addr = strdup(nz(addr))) == NULL) {
		free(f);
		return ERR_ALLOC_FAIL;
	}
	f->port = port;
	f->next = c->rfwds;
	c->rfwds = f;
	return 0;
}

static void
rfwd_remove(struct channels *c, const char *addr, uint32_t port)
{
	struct chan_rfwd **fp, *f;

	for (fp = &c->rfwds; (f = *fp) != NULL; fp = &f->next) {
		if (f->port == port && strcasecmp(f->addr, nz(addr)) == 0) {
			*fp = f->next;
			free(f->addr);
			free(f);
			return;
		}
	}
}

void
chan_rfwds_free(struct channels *c)
{
	struct chan_rfwd *f;

	while ((f = c->rfwds) != NULL) {
		c->rfwds = f->next;
		free(f->addr);
		free(f);
	}
}

/* ------------------------------------------------------------ messages */

/* Whether this side takes the request at all: NULL yes, or why not. */
static const char *
greq_policy(struct channels *c, const struct chan_global_request *req)
{
	int ok;

	if (req->type == CHAN_GREQ_OTHER)
		return NULL;
	if (!c->cfg.is_server)
		return "forwarding requests go to servers";
	if (req->port > FWD_PORT_MAX)
		return "invalid port";
	if (req->type == CHAN_GREQ_TCPIP_FORWARD &&
	    c->cfg.permit_listen != NULL) {
		chan_cb_enter(c);
		ok = c->cfg.permit_listen(c->cfg.ctx, req->addr, req->port);
		chan_cb_leave(c);
		if (ok != 1)
			return "prohibited by policy";
	}
	return NULL;
}

static int
greq_reply(struct channels *c, const struct chan_global_request *req,
    int ok, const struct buf *extra)
{
	int r;

	if ((r = chan_msg_start(c)) != 0)
		return r;
	if (ok && req->type == CHAN_GREQ_TCPIP_FORWARD && req->port == 0 &&
	    (r = buf_put_u32(c->msg, req->bound_port)) != 0)
		return r;
	if (ok && req->type == CHAN_GREQ_OTHER &&
	    (r = buf_putb(c->msg, extra)) != 0)
		return r;
	return chan_msg_send(c, ok ? SSH2_MSG_REQUEST_SUCCESS :
	    SSH2_MSG_REQUEST_FAILURE);
}

/* RFC 4254 section 4: GLOBAL_REQUEST, answered before the next message. */
int
chan_input_global_request(struct channels *c, struct buf *b)
{
	struct chan_global_request req;
	struct buf *reply = NULL;
	const char *why;
	int r, ok = 0;

	if ((r = fwd_greq_parse(b, &req)) != 0)
		return chan_bad_msg(c, SSH2_MSG_GLOBAL_REQUEST, r);
	if ((reply = buf_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if ((why = greq_policy(c, &req)) != NULL)
		debug2_f("refusing global request %s: %s", req.name, why);
	else if (c->cfg.global_request != NULL) {
		chan_cb_enter(c);
		ok = c->cfg.global_request(c, &req, b, reply, c->cfg.ctx);
		chan_cb_leave(c);
		if (ok < 0) {
			r = ok;
			goto out;
		}
		ok = ok > 0;
	}
	r = req.want_reply ? greq_reply(c, &req, ok, reply) : 0;
 out:
	buf_free(reply);
	fwd_greq_clear(&req);
	return r;
}

/* The reply's fields, by what we asked (RFC 4254 sections 4, 7.1). */
static int
greply_parse(struct channels *c, uint8_t type, const struct chan_greply *gr,
    struct buf *b, uint32_t *boundp)
{
	int r;

	*boundp = 0;
	if (type == SSH2_MSG_REQUEST_SUCCESS &&
	    gr->type == CHAN_GREQ_TCPIP_FORWARD && gr->port == 0) {
		if ((r = buf_get_u32(b, boundp)) != 0)
			return chan_bad_msg(c, type, r);
		if (*boundp == 0 || *boundp > FWD_PORT_MAX)
			return chan_bad_msg(c, type, ERR_INVALID_FORMAT);
	}
	if ((type == SSH2_MSG_REQUEST_FAILURE ||
	    gr->type != CHAN_GREQ_OTHER) && buf_len(b) != 0)
		return chan_bad_msg(c, type, ERR_UNEXPECTED_TRAILING_DATA);
	return 0;
}

static void
greply_free(struct chan_greply *gr)
{
	if (gr == NULL)
		return;
	free(gr->addr);
	free(gr);
}

/* REQUEST_SUCCESS / REQUEST_FAILURE: the answer to our oldest request. */
int
chan_input_global_reply(struct channels *c, uint8_t type, struct buf *b)
{
	struct chan_greply *gr;
	uint32_t bound;
	int r, ok = type == SSH2_MSG_REQUEST_SUCCESS;

	if ((gr = c->greplies) == NULL) {
		return chan_protocol_error(c, "%s with no global request "
		    "outstanding", chan_msg_name(type));
	}
	if ((r = greply_parse(c, type, gr, b, &bound)) != 0)
		return r;
	if ((c->greplies = gr->next) == NULL)
		c->greplies_tail = &c->greplies;
	if (ok && gr->type == CHAN_GREQ_TCPIP_FORWARD)
		r = rfwd_add(c, gr->addr, gr->port == 0 ? bound : gr->port);
	else if (ok && gr->type == CHAN_GREQ_CANCEL_TCPIP_FORWARD)
		rfwd_remove(c, gr->addr, gr->port);
	if (r == 0 && gr->cb != NULL) {
		chan_cb_enter(c);
		r = gr->cb(c, ok, bound,
		    ok && gr->type == CHAN_GREQ_OTHER ? b : NULL, gr->ctx);
		chan_cb_leave(c);
		if (r > 0)
			r = 0;
	}
	greply_free(gr);
	return r;
}

void
chan_greplies_abort(struct channels *c)
{
	struct chan_greply *gr;

	while ((gr = c->greplies) != NULL) {
		c->greplies = gr->next;
		if (gr->cb != NULL) {
			chan_cb_enter(c);
			(void)gr->cb(c, -1, 0, NULL, gr->ctx);
			chan_cb_leave(c);
		}
		greply_free(gr);
	}
	c->greplies_tail = &c->greplies;
}

int
chan_global_request(struct channels *c,
    const struct chan_global_request *req, const struct buf *data,
    chan_greply_fn *cb, void *ctx)
{
	struct chan_greply *gr = NULL;
	int r = ERR_INTERNAL;

	if (c->err != 0)
		return c->err;
	if (req == NULL || (size_t)req->type >= NGREQ ||
	    (req->type != CHAN_GREQ_OTHER &&
	    (data != NULL || req->port > FWD_PORT_MAX)))
		return ERR_INVALID_ARGUMENT;
	if (req->want_reply) {
		if ((gr = calloc(1, sizeof(*gr))) == NULL ||
		    (r = strdup_opt(nz(req->addr), &gr->addr)) != 0) {
			greply_free(gr);
			return ERR_ALLOC_FAIL;
		}
		gr->type = req->type;
		gr->port = req->port;
		gr->cb = cb;
		gr->ctx = ctx;
	}
	if ((r = chan_msg_start(c)) != 0 ||
	    (r = fwd_greq_put(c->msg, req)) != 0 ||
	    (data != NULL && (r = buf_putb(c->msg, data)) != 0) ||
	    (r = chan_msg_send(c, SSH2_MSG_GLOBAL_REQUEST)) != 0) {
		greply_free(gr);
		return r;
	}
	if (gr != NULL) {
		*c->greplies_tail = gr;
		c->greplies_tail = &gr->next;
	}
	return 0;
}

/* ------------------------------------------------------------ permissions */

struct fwd_perm {
	char *host;		/* NULL: any host */
	int any_port;
	uint32_t port;
};

struct fwd_perms {
	int any, none;
	struct fwd_perm *v;
	size_t n;
};

int
fwd_perms_new(struct fwd_perms **pp)
{
	if ((*pp = calloc(1, sizeof(**pp))) == NULL)
		return ERR_ALLOC_FAIL;
	return 0;
}

void
fwd_perms_free(struct fwd_perms *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		free(p->v[i].host);
	free(p->v);
	free(p);
}

/* "*" or a decimal port 0-65535 */
static int
perm_parse_port(const char *s, struct fwd_perm *e)
{
	const char *errstr = NULL;
	long long v;

	if (strcmp(s, "*") == 0) {
		e->any_port = 1;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return ERR_INVALID_FORMAT;
	v = strtonum(s, 0, FWD_PORT_MAX, &errstr);
	if (errstr != NULL)
		return ERR_INVALID_FORMAT;
	e->port = (uint32_t)v;
	return 0;
}

/*
 * Split spec (modified) into host and port: "[v6]:port", "host:port" or
 * "port"; *hostp is NULL when no host was given.
 */
static int
perm_split(char *spec, char **hostp, char **portp)
{
	char *cp;

	*hostp = NULL;
	*portp = spec;
	if (*spec == '[') {
		if ((cp = strchr(spec, ']')) == NULL || cp[1] != ':')
			return ERR_INVALID_FORMAT;
		*cp = '\0';
		*hostp = spec + 1;
		*portp = cp + 2;
	} else if ((cp = strrchr(spec, ':')) != NULL) {
		*cp = '\0';
		*hostp = spec;
		*portp = cp + 1;
	}
	if (*hostp != NULL && **hostp == '\0')
		return ERR_INVALID_FORMAT;
	return 0;
}

int
fwd_perms_add(struct fwd_perms *p, const char *spec)
{
	struct fwd_perm e, *v;
	char *copy = NULL, *host, *port;
	int r = ERR_INTERNAL;

	memset(&e, 0, sizeof(e));
	if (strcmp(spec, "any") == 0) {
		p->any = 1;
		return 0;
	}
	if (strcmp(spec, "none") == 0) {
		p->none = 1;
		return 0;
	}
	if ((copy = strdup(spec)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = perm_split(copy, &host, &port)) != 0 ||
	    (r = perm_parse_port(port, &e)) != 0)
		goto out;
	if (host != NULL && strcmp(host, "*") != 0 &&
	    (e.host = strdup(host)) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if ((v = recallocarray(p->v, p->n, p->n + 1, sizeof(*v))) == NULL) {
		free(e.host);
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	p->v = v;
	p->v[p->n++] = e;
	r = 0;
 out:
	free(copy);
	return r;
}

int
fwd_perms_check(const struct fwd_perms *p, const char *host, uint32_t port)
{
	const struct fwd_perm *e;
	size_t i;

	if (p->none)
		return 0;
	if (p->any || p->n == 0)
		return 1;
	for (i = 0; i < p->n; i++) {
		e = &p->v[i];
		if ((e->any_port || e->port == port) &&
		    (e->host == NULL || strcasecmp(e->host, nz(host)) == 0))
			return 1;
	}
	return 0;
}

int
fwd_perms_hook(void *ctx, const char *host, uint32_t port)
{
	return fwd_perms_check(ctx, host, port);
}
