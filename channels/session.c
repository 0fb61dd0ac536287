/*
 * session.c: channel requests (RFC 4254 sections 5.4 and 6, RFC 4335,
 * OpenSSH's PROTOCOL): the codec of each session request, which side
 * takes which, and the CHANNEL_REQUEST / SUCCESS / FAILURE messages.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "channels/channel.h"
#include "channels/chan-impl.h"
#include "channels/session.h"

/* Who may receive a request. */
#define TO_SERVER	0x01
#define TO_CLIENT	0x02

typedef int req_parse_fn(struct buf *, struct chan_request *);
typedef int req_put_fn(struct buf *, const struct chan_request *);

struct req_def {
	const char *name;
	req_parse_fn *parse;
	req_put_fn *put;
	int to;
};

/* ------------------------------------------------------------ fields */

/* RFC 4251 section 5: any non-zero boolean is TRUE. */
static int
get_bool(struct buf *b, int *vp)
{
	uint8_t v;
	int r;

	*vp = 0;
	if ((r = buf_get_u8(b, &v)) != 0)
		return r;
	*vp = v != 0;
	return 0;
}

static int
put_bool(struct buf *b, int v)
{
	return buf_put_u8(b, v ? 1 : 0);
}

static int
put_str(struct buf *b, const char *s)
{
	return buf_put_cstring(b, s == NULL ? "" : s);
}

/* The four dimensions of pty-req and window-change, in RFC order. */
static int
get_dims(struct buf *b, uint32_t *cols, uint32_t *rows, uint32_t *width,
    uint32_t *height)
{
	int r;

	if ((r = buf_get_u32(b, cols)) != 0 ||
	    (r = buf_get_u32(b, rows)) != 0 ||
	    (r = buf_get_u32(b, width)) != 0 ||
	    (r = buf_get_u32(b, height)) != 0)
		return r;
	return 0;
}

static int
put_dims(struct buf *b, uint32_t cols, uint32_t rows, uint32_t width,
    uint32_t height)
{
	int r;

	if ((r = buf_put_u32(b, cols)) != 0 ||
	    (r = buf_put_u32(b, rows)) != 0 ||
	    (r = buf_put_u32(b, width)) != 0 ||
	    (r = buf_put_u32(b, height)) != 0)
		return r;
	return 0;
}

/* ------------------------------------------------------------ requests */

static int
parse_none(struct buf *b, struct chan_request *req)
{
	return 0;
}

static int
put_none(struct buf *b, const struct chan_request *req)
{
	return 0;
}

/* RFC 4254 section 6.2 */
static int
parse_pty(struct buf *b, struct chan_request *req)
{
	int r;

	if ((r = buf_get_cstring(b, &req->u.pty.term, NULL)) != 0 ||
	    (r = get_dims(b, &req->u.pty.cols, &req->u.pty.rows,
	    &req->u.pty.width, &req->u.pty.height)) != 0 ||
	    (r = buf_get_string(b, &req->u.pty.modes,
	    &req->u.pty.modes_len)) != 0)
		return r;
	return 0;
}

static int
put_pty(struct buf *b, const struct chan_request *req)
{
	int r;

	if ((r = put_str(b, req->u.pty.term)) != 0 ||
	    (r = put_dims(b, req->u.pty.cols, req->u.pty.rows,
	    req->u.pty.width, req->u.pty.height)) != 0 ||
	    (r = buf_put_string(b, req->u.pty.modes,
	    req->u.pty.modes == NULL ? 0 : req->u.pty.modes_len)) != 0)
		return r;
	return 0;
}

/* RFC 4254 section 6.3.1 */
static int
parse_x11(struct buf *b, struct chan_request *req)
{
	int r;

	if ((r = get_bool(b, &req->u.x11.single)) != 0 ||
	    (r = buf_get_cstring(b, &req->u.x11.proto, NULL)) != 0 ||
	    (r = buf_get_cstring(b, &req->u.x11.cookie, NULL)) != 0 ||
	    (r = buf_get_u32(b, &req->u.x11.screen)) != 0)
		return r;
	return 0;
}

static int
put_x11(struct buf *b, const struct chan_request *req)
{
	int r;

	if ((r = put_bool(b, req->u.x11.single)) != 0 ||
	    (r = put_str(b, req->u.x11.proto)) != 0 ||
	    (r = put_str(b, req->u.x11.cookie)) != 0 ||
	    (r = buf_put_u32(b, req->u.x11.screen)) != 0)
		return r;
	return 0;
}

/* RFC 4254 section 6.4 */
static int
parse_env(struct buf *b, struct chan_request *req)
{
	int r;

	if ((r = buf_get_cstring(b, &req->u.env.name, NULL)) != 0 ||
	    (r = buf_get_cstring(b, &req->u.env.value, NULL)) != 0)
		return r;
	return 0;
}

static int
put_env(struct buf *b, const struct chan_request *req)
{
	int r;

	if ((r = put_str(b, req->u.env.name)) != 0 ||
	    (r = put_str(b, req->u.env.value)) != 0)
		return r;
	return 0;
}

/* RFC 4254 section 6.5: exec */
static int
parse_exec(struct buf *b, struct chan_request *req)
{
	return buf_get_cstring(b, &req->u.exec.command, NULL);
}

static int
put_exec(struct buf *b, const struct chan_request *req)
{
	return put_str(b, req->u.exec.command);
}

/* RFC 4254 section 6.5: subsystem */
static int
parse_subsystem(struct buf *b, struct chan_request *req)
{
	return buf_get_cstring(b, &req->u.subsystem.name, NULL);
}

static int
put_subsystem(struct buf *b, const struct chan_request *req)
{
	return put_str(b, req->u.subsystem.name);
}

/* RFC 4254 section 6.7 */
static int
parse_winch(struct buf *b, struct chan_request *req)
{
	return get_dims(b, &req->u.winch.cols, &req->u.winch.rows,
	    &req->u.winch.width, &req->u.winch.height);
}

static int
put_winch(struct buf *b, const struct chan_request *req)
{
	return put_dims(b, req->u.winch.cols, req->u.winch.rows,
	    req->u.winch.width, req->u.winch.height);
}

/* RFC 4254 section 6.8 */
static int
parse_xon_xoff(struct buf *b, struct chan_request *req)
{
	return get_bool(b, &req->u.xon_xoff.client_can_do);
}

static int
put_xon_xoff(struct buf *b, const struct chan_request *req)
{
	return put_bool(b, req->u.xon_xoff.client_can_do);
}

/* RFC 4254 section 6.9 */
static int
parse_signal(struct buf *b, struct chan_request *req)
{
	return buf_get_cstring(b, &req->u.signal.name, NULL);
}

static int
put_signal(struct buf *b, const struct chan_request *req)
{
	return put_str(b, req->u.signal.name);
}

/* RFC 4254 section 6.10: exit-status */
static int
parse_exit_status(struct buf *b, struct chan_request *req)
{
	return buf_get_u32(b, &req->u.exit_status.status);
}

static int
put_exit_status(struct buf *b, const struct chan_request *req)
{
	return buf_put_u32(b, req->u.exit_status.status);
}

/* RFC 4254 section 6.10: exit-signal */
static int
parse_exit_signal(struct buf *b, struct chan_request *req)
{
	int r;

	if ((r = buf_get_cstring(b, &req->u.exit_signal.name, NULL)) != 0 ||
	    (r = get_bool(b, &req->u.exit_signal.core_dumped)) != 0 ||
	    (r = buf_get_cstring(b, &req->u.exit_signal.message,
	    NULL)) != 0 ||
	    (r = buf_get_cstring(b, &req->u.exit_signal.lang, NULL)) != 0)
		return r;
	return 0;
}

static int
put_exit_signal(struct buf *b, const struct chan_request *req)
{
	int r;

	if ((r = put_str(b, req->u.exit_signal.name)) != 0 ||
	    (r = put_bool(b, req->u.exit_signal.core_dumped)) != 0 ||
	    (r = put_str(b, req->u.exit_signal.message)) != 0 ||
	    (r = put_str(b, req->u.exit_signal.lang)) != 0)
		return r;
	return 0;
}

/* RFC 4335 section 3 */
static int
parse_break(struct buf *b, struct chan_request *req)
{
	return buf_get_u32(b, &req->u.brk.ms);
}

static int
put_break(struct buf *b, const struct chan_request *req)
{
	return buf_put_u32(b, req->u.brk.ms);
}

/* By enum chan_req_type; OTHER has no codec. */
static const struct req_def req_defs[CHAN_REQ_MAX] = {
	[CHAN_REQ_OTHER] = { NULL, NULL, NULL, 0 },
	[CHAN_REQ_PTY] = { "pty-req", parse_pty, put_pty, TO_SERVER },
	[CHAN_REQ_X11] = { "x11-req", parse_x11, put_x11, TO_SERVER },
	[CHAN_REQ_ENV] = { "env", parse_env, put_env, TO_SERVER },
	[CHAN_REQ_SHELL] = { "shell", parse_none, put_none, TO_SERVER },
	[CHAN_REQ_EXEC] = { "exec", parse_exec, put_exec, TO_SERVER },
	[CHAN_REQ_SUBSYSTEM] = { "subsystem", parse_subsystem, put_subsystem,
	    TO_SERVER },
	[CHAN_REQ_WINDOW_CHANGE] = { "window-change", parse_winch, put_winch,
	    TO_SERVER },
	[CHAN_REQ_XON_XOFF] = { "xon-xoff", parse_xon_xoff, put_xon_xoff,
	    TO_CLIENT },
	[CHAN_REQ_SIGNAL] = { "signal", parse_signal, put_signal, TO_SERVER },
	[CHAN_REQ_EXIT_STATUS] = { "exit-status", parse_exit_status,
	    put_exit_status, TO_CLIENT },
	[CHAN_REQ_EXIT_SIGNAL] = { "exit-signal", parse_exit_signal,
	    put_exit_signal, TO_CLIENT },
	[CHAN_REQ_BREAK] = { "break", parse_break, put_break, TO_SERVER },
	[CHAN_REQ_AGENT] = { "auth-agent-req@openssh.com", parse_none,
	    put_none, TO_SERVER },
};

const char *
chan_req_name(enum chan_req_type t)
{
	if ((int)t <= CHAN_REQ_OTHER || t >= CHAN_REQ_MAX)
		return NULL;
	return req_defs[t].name;
}

static enum chan_req_type
req_lookup(const char *name)
{
	size_t i;

	for (i = CHAN_REQ_OTHER + 1; i < CHAN_REQ_MAX; i++) {
		if (strcmp(req_defs[i].name, name) == 0)
			return (enum chan_req_type)i;
	}
	return CHAN_REQ_OTHER;
}

static void
str_free(char *s)
{
	if (s != NULL)
		freezero(s, strlen(s));
}

void
chan_req_clear(struct chan_request *req)
{
	if (req == NULL)
		return;
	str_free(req->other_name);
	switch (req->type) {
	case CHAN_REQ_PTY:
		str_free(req->u.pty.term);
		freezero(req->u.pty.modes, req->u.pty.modes_len);
		break;
	case CHAN_REQ_X11:
		str_free(req->u.x11.proto);
		str_free(req->u.x11.cookie);
		break;
	case CHAN_REQ_ENV:
		str_free(req->u.env.name);
		str_free(req->u.env.value);
		break;
	case CHAN_REQ_EXEC:
		str_free(req->u.exec.command);
		break;
	case CHAN_REQ_SUBSYSTEM:
		str_free(req->u.subsystem.name);
		break;
	case CHAN_REQ_SIGNAL:
		str_free(req->u.signal.name);
		break;
	case CHAN_REQ_EXIT_SIGNAL:
		str_free(req->u.exit_signal.name);
		str_free(req->u.exit_signal.message);
		str_free(req->u.exit_signal.lang);
		break;
	default:
		break;
	}
	memset(req, 0, sizeof(*req));
}

int
chan_req_parse(struct buf *b, struct chan_request *req)
{
	char *name = NULL;
	int r = ERR_INTERNAL;

	memset(req, 0, sizeof(*req));
	if ((r = buf_get_cstring(b, &name, NULL)) != 0 ||
	    (r = get_bool(b, &req->want_reply)) != 0)
		goto out;
	if ((req->type = req_lookup(name)) == CHAN_REQ_OTHER) {
		/* Its fields are not ours to check; it is refused. */
		req->other_name = name;
		name = NULL;
		r = buf_consume(b, buf_len(b));
		goto out;
	}
	if ((r = req_defs[req->type].parse(b, req)) != 0)
		goto out;
	if (buf_len(b) != 0)
		r = ERR_UNEXPECTED_TRAILING_DATA;
 out:
	free(name);
	if (r != 0)
		chan_req_clear(req);
	return r;
}

int
chan_req_put(struct buf *b, const struct chan_request *req)
{
	int r;

	if ((int)req->type <= CHAN_REQ_OTHER || req->type >= CHAN_REQ_MAX)
		return ERR_INVALID_ARGUMENT;
	if ((r = buf_put_cstring(b, req_defs[req->type].name)) != 0 ||
	    (r = put_bool(b, req->want_reply)) != 0 ||
	    (r = req_defs[req->type].put(b, req)) != 0)
		return r;
	return 0;
}

int
chan_req_allowed(enum chan_req_type t, int is_server, enum chan_type ct)
{
	if ((int)t <= CHAN_REQ_OTHER || t >= CHAN_REQ_MAX ||
	    ct != CHAN_TYPE_SESSION)
		return 0;
	return (req_defs[t].to & (is_server ? TO_SERVER : TO_CLIENT)) != 0;
}

/* ------------------------------------------------------------ messages */

/* Ask the owner about an allowed request: 1 yes, 0 no, < 0 failure. */
static int
req_ask_owner(struct channels *c, struct channel *ch,
    struct chan_request *req)
{
	int r;

	if (!chan_req_allowed(req->type, c->cfg.is_server, ch->type) ||
	    ch->ops == NULL || ch->ops->request == NULL) {
		debug2_f("channel %u: refusing request %s", ch->self,
		    req->type == CHAN_REQ_OTHER ? req->other_name :
		    req_defs[req->type].name);
		return 0;
	}
	chan_cb_enter(c);
	r = ch->ops->request(ch, req, ch->ctx);
	chan_cb_leave(c);
	if (r < 0)
		return r;
	return r > 0;
}

/*
 * RFC 4254 section 5.4.  The answer goes out before the next message is
 * read, so replies keep the order of the requests.  A request that was
 * in flight when we sent CLOSE still reaches the owner (exit-status),
 * but gets no reply: nothing may follow our CLOSE.
 */
int
chan_input_request(struct channels *c, struct buf *b)
{
	struct chan_request req;
	struct channel *ch;
	int r, ok;

	memset(&req, 0, sizeof(req));
	if ((r = chan_lookup(c, SSH2_MSG_CHANNEL_REQUEST, b, &ch)) != 0)
		return r;
	if ((r = chan_req_parse(b, &req)) != 0)
		return chan_bad_msg(c, SSH2_MSG_CHANNEL_REQUEST, r);
	if ((ok = req_ask_owner(c, ch, &req)) < 0) {
		r = ok;
		goto out;
	}
	if (req.want_reply && !ch->close_sent) {
		if ((r = chan_msg_start(c)) != 0 ||
		    (r = buf_put_u32(c->msg, ch->peer)) != 0 ||
		    (r = chan_msg_send(c, ok ? SSH2_MSG_CHANNEL_SUCCESS :
		    SSH2_MSG_CHANNEL_FAILURE)) != 0)
			goto out;
	}
	r = chan_service(ch);
 out:
	chan_req_clear(&req);
	return r;
}

/* CHANNEL_SUCCESS / CHANNEL_FAILURE: the answer to our oldest request. */
int
chan_input_reply(struct channels *c, uint8_t type, struct buf *b)
{
	struct chan_reply *rp;
	struct channel *ch;
	int r;

	if ((r = chan_lookup(c, type, b, &ch)) != 0)
		return r;
	if (buf_len(b) != 0)
		return chan_bad_msg(c, type, ERR_UNEXPECTED_TRAILING_DATA);
	if ((rp = ch->replies) == NULL) {
		return chan_protocol_error(c, "%s for channel %u with no "
		    "request outstanding", chan_msg_name(type), ch->self);
	}
	if ((ch->replies = rp->next) == NULL)
		ch->replies_tail = &ch->replies;
	r = 0;
	if (rp->cb != NULL) {
		chan_cb_enter(c);
		r = rp->cb(ch, type == SSH2_MSG_CHANNEL_SUCCESS, rp->ctx);
		chan_cb_leave(c);
	}
	free(rp);
	if (r < 0)
		return r;
	return chan_service(ch);
}

/* The channel goes away: whoever waits for a reply hears "none". */
void
chan_replies_abort(struct channel *ch)
{
	struct chan_reply *rp;

	while ((rp = ch->replies) != NULL) {
		ch->replies = rp->next;
		if (rp->cb != NULL) {
			chan_cb_enter(ch->mgr);
			(void)rp->cb(ch, -1, rp->ctx);
			chan_cb_leave(ch->mgr);
		}
		free(rp);
	}
	ch->replies_tail = &ch->replies;
}

int
chan_send_request(struct channel *ch, const struct chan_request *req,
    chan_reply_fn *cb, void *ctx)
{
	struct channels *c = ch->mgr;
	struct chan_reply *rp = NULL;
	int r = ERR_INTERNAL;

	if (c->err != 0)
		return c->err;
	if (!chan_is_open(ch) || req == NULL ||
	    (int)req->type <= CHAN_REQ_OTHER || req->type >= CHAN_REQ_MAX)
		return ERR_INVALID_ARGUMENT;
	if (req->want_reply && (rp = calloc(1, sizeof(*rp))) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = chan_msg_start(c)) != 0 ||
	    (r = buf_put_u32(c->msg, ch->peer)) != 0 ||
	    (r = chan_req_put(c->msg, req)) != 0 ||
	    (r = chan_msg_send(c, SSH2_MSG_CHANNEL_REQUEST)) != 0) {
		free(rp);
		return r;
	}
	debug2_f("channel %u: sent request %s", ch->self,
	    req_defs[req->type].name);
	if (rp != NULL) {
		rp->cb = cb;
		rp->ctx = ctx;
		*ch->replies_tail = rp;
		ch->replies_tail = &rp->next;
	}
	return 0;
}
