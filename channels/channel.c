/*
 * channel.c: the channel table and the life of a channel (RFC 4254
 * section 5): open, confirmation and failure, windows, data, EOF and
 * CLOSE, and the manager's entry points.  Channel requests are in
 * session.c, global requests and the forwarding codecs in forward.c,
 * descriptors in fdio.c.
 */
#include "includes.h"

#include <sys/socket.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "channels/channel.h"
#include "channels/chan-impl.h"
#include "channels/forward.h"
#include "channels/session.h"

/* Tables larger than this are refused whatever the config says. */
#define CHAN_MAX_CHANNELS_CAP	65536

static const char *const chan_type_names[CHAN_TYPE_MAX] = {
	"session",
	"direct-tcpip",
	"forwarded-tcpip",
	"x11",
	"auth-agent@openssh.com",
};

typedef int chan_handler_fn(struct channels *, uint8_t, struct buf *);

static chan_handler_fn chan_input_open;
static chan_handler_fn chan_input_open_confirmation;
static chan_handler_fn chan_input_open_failure;
static chan_handler_fn chan_input_window_adjust;
static chan_handler_fn chan_input_data;
static chan_handler_fn chan_input_eof;
static chan_handler_fn chan_input_close;
static chan_handler_fn chan_input_request_h;
static chan_handler_fn chan_input_reply_h;
static chan_handler_fn chan_input_global_request_h;
static chan_handler_fn chan_input_global_reply_h;

/* The connection protocol's messages (STYLE rule 14). */
static chan_handler_fn *const chan_handlers[256] = {
	[SSH2_MSG_GLOBAL_REQUEST] = chan_input_global_request_h,
	[SSH2_MSG_REQUEST_SUCCESS] = chan_input_global_reply_h,
	[SSH2_MSG_REQUEST_FAILURE] = chan_input_global_reply_h,
	[SSH2_MSG_CHANNEL_OPEN] = chan_input_open,
	[SSH2_MSG_CHANNEL_OPEN_CONFIRMATION] = chan_input_open_confirmation,
	[SSH2_MSG_CHANNEL_OPEN_FAILURE] = chan_input_open_failure,
	[SSH2_MSG_CHANNEL_WINDOW_ADJUST] = chan_input_window_adjust,
	[SSH2_MSG_CHANNEL_DATA] = chan_input_data,
	[SSH2_MSG_CHANNEL_EXTENDED_DATA] = chan_input_data,
	[SSH2_MSG_CHANNEL_EOF] = chan_input_eof,
	[SSH2_MSG_CHANNEL_CLOSE] = chan_input_close,
	[SSH2_MSG_CHANNEL_REQUEST] = chan_input_request_h,
	[SSH2_MSG_CHANNEL_SUCCESS] = chan_input_reply_h,
	[SSH2_MSG_CHANNEL_FAILURE] = chan_input_reply_h,
};

const char *
chan_msg_name(uint8_t type)
{
	switch (type) {
	case SSH2_MSG_GLOBAL_REQUEST:
		return "SSH2_MSG_GLOBAL_REQUEST";
	case SSH2_MSG_REQUEST_SUCCESS:
		return "SSH2_MSG_REQUEST_SUCCESS";
	case SSH2_MSG_REQUEST_FAILURE:
		return "SSH2_MSG_REQUEST_FAILURE";
	case SSH2_MSG_CHANNEL_OPEN:
		return "SSH2_MSG_CHANNEL_OPEN";
	case SSH2_MSG_CHANNEL_OPEN_CONFIRMATION:
		return "SSH2_MSG_CHANNEL_OPEN_CONFIRMATION";
	case SSH2_MSG_CHANNEL_OPEN_FAILURE:
		return "SSH2_MSG_CHANNEL_OPEN_FAILURE";
	case SSH2_MSG_CHANNEL_WINDOW_ADJUST:
		return "SSH2_MSG_CHANNEL_WINDOW_ADJUST";
	case SSH2_MSG_CHANNEL_DATA:
		return "SSH2_MSG_CHANNEL_DATA";
	case SSH2_MSG_CHANNEL_EXTENDED_DATA:
		return "SSH2_MSG_CHANNEL_EXTENDED_DATA";
	case SSH2_MSG_CHANNEL_EOF:
		return "SSH2_MSG_CHANNEL_EOF";
	case SSH2_MSG_CHANNEL_CLOSE:
		return "SSH2_MSG_CHANNEL_CLOSE";
	case SSH2_MSG_CHANNEL_REQUEST:
		return "SSH2_MSG_CHANNEL_REQUEST";
	case SSH2_MSG_CHANNEL_SUCCESS:
		return "SSH2_MSG_CHANNEL_SUCCESS";
	case SSH2_MSG_CHANNEL_FAILURE:
		return "SSH2_MSG_CHANNEL_FAILURE";
	}
	return "unknown message";
}

const char *
chan_type_name(enum chan_type t)
{
	if ((int)t < 0 || t >= CHAN_TYPE_MAX)
		return NULL;
	return chan_type_names[t];
}

/* The type named name[0..len); ERR_NOT_FOUND if we do not know it. */
static int
chan_type_lookup(const u_char *name, size_t len, enum chan_type *tp)
{
	size_t i;

	*tp = CHAN_TYPE_MAX;
	for (i = 0; i < CHAN_TYPE_MAX; i++) {
		if (strlen(chan_type_names[i]) == len &&
		    memcmp(chan_type_names[i], name, len) == 0) {
			*tp = (enum chan_type)i;
			return 0;
		}
	}
	return ERR_NOT_FOUND;
}

/* ------------------------------------------------------------ errors */

int
chan_protocol_error(struct channels *c, const char *fmt, ...)
{
	va_list ap;

	if (c->errmsg[0] == '\0') {
		va_start(ap, fmt);
		vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
		va_end(ap);
		debug_f("%s", c->errmsg);
	}
	if (c->err == 0)
		c->err = ERR_PROTOCOL_ERROR;
	return ERR_PROTOCOL_ERROR;
}

const char *
chan_error_message(const struct channels *c)
{
	return c->errmsg;
}

/*
 * A parser of message type failed with r: malformed input becomes a
 * protocol error naming the message, anything else (memory) passes.
 */
int
chan_bad_msg(struct channels *c, uint8_t type, int r)
{
	switch (r) {
	case ERR_MESSAGE_INCOMPLETE:
	case ERR_INVALID_FORMAT:
	case ERR_UNEXPECTED_TRAILING_DATA:
	case ERR_STRING_TOO_LARGE:
		return chan_protocol_error(c, "bad %s message: %s",
		    chan_msg_name(type), errcode_str(r));
	}
	return r;
}

/* Trailing bytes after the last field of a message (STYLE rule 3). */
static int
chan_msg_end(struct channels *c, uint8_t type, const struct buf *b)
{
	if (buf_len(b) != 0)
		return chan_bad_msg(c, type, ERR_UNEXPECTED_TRAILING_DATA);
	return 0;
}

/* ------------------------------------------------------------ sending */

int
chan_msg_start(struct channels *c)
{
	buf_reset(c->msg);
	return 0;
}

/* Send c->msg as a message of type; a failure ends the manager. */
int
chan_msg_send(struct channels *c, uint8_t type)
{
	int r;

	if (c->err != 0)
		return c->err;
	if ((r = c->cfg.send(c->cfg.send_ctx, type, c->msg)) != 0) {
		error_fr(r, "send %s", chan_msg_name(type));
		c->err = r;
	}
	buf_reset(c->msg);
	return r;
}

/* A message that is just the peer's channel id (EOF, CLOSE, replies). */
static int
chan_send_id_msg(struct channel *ch, uint8_t type)
{
	struct channels *c = ch->mgr;
	int r;

	if ((r = chan_msg_start(c)) != 0 ||
	    (r = buf_put_u32(c->msg, ch->peer)) != 0)
		return r;
	return chan_msg_send(c, type);
}

static int
chan_send_open_failure(struct channels *c, uint32_t peer, uint32_t reason,
    const char *description)
{
	int r;

	debug2_f("refusing open of peer channel %u: %s", peer, description);
	if ((r = chan_msg_start(c)) != 0 ||
	    (r = buf_put_u32(c->msg, peer)) != 0 ||
	    (r = buf_put_u32(c->msg, reason)) != 0 ||
	    (r = buf_put_cstring(c->msg, description)) != 0 ||
	    (r = buf_put_cstring(c->msg, "")) != 0)
		return r;
	return chan_msg_send(c, SSH2_MSG_CHANNEL_OPEN_FAILURE);
}

/* ------------------------------------------------------------ callbacks */

void
chan_cb_enter(struct channels *c)
{
	c->in_cb++;
}

void
chan_cb_leave(struct channels *c)
{
	c->in_cb--;
}

static int
chan_cb_open_result(struct channel *ch, int ok, uint32_t reason,
    const char *desc)
{
	int r = 0;

	if (ch->ops == NULL || ch->ops->open_result == NULL)
		return 0;
	chan_cb_enter(ch->mgr);
	r = ch->ops->open_result(ch, ok, reason, desc, ch->ctx);
	chan_cb_leave(ch->mgr);
	return r < 0 ? r : 0;
}

static int
chan_cb_eof(struct channel *ch, int sent)
{
	int (*fn)(struct channel *, void *) = NULL;
	int r = 0;

	if (ch->ops != NULL)
		fn = sent ? ch->ops->eof_sent : ch->ops->eof;
	if (fn == NULL)
		return 0;
	chan_cb_enter(ch->mgr);
	r = fn(ch, ch->ctx);
	chan_cb_leave(ch->mgr);
	return r < 0 ? r : 0;
}

/* ------------------------------------------------------------ table */

static int
chan_tab_grow(struct channels *c)
{
	struct channel **tab;
	size_t n;

	if (c->tab_alloc >= c->cfg.max_channels)
		return ERR_NO_BUFFER_SPACE;
	n = c->tab_alloc == 0 ? 8 : c->tab_alloc * 2;
	if (n > c->cfg.max_channels)
		n = c->cfg.max_channels;
	if ((tab = recallocarray(c->tab, c->tab_alloc, n,
	    sizeof(*tab))) == NULL)
		return ERR_ALLOC_FAIL;
	c->tab = tab;
	c->tab_alloc = n;
	return 0;
}

static void
chan_struct_free(struct channel *ch)
{
	if (ch == NULL)
		return;
	buf_free(ch->ibuf);
	buf_free(ch->ebuf_in);
	buf_free(ch->obuf);
	buf_free(ch->ebuf_out);
	free(ch);
}

/*
 * A new channel of type t in the lowest free slot, with the manager's
 * window.  ERR_NO_BUFFER_SPACE when the table is full.
 */
static int
chan_alloc(struct channels *c, enum chan_type t, struct channel **chp)
{
	struct channel *ch = NULL;
	size_t i;
	int r = ERR_INTERNAL;

	*chp = NULL;
	for (i = 0; i < c->tab_alloc && c->tab[i] != NULL; i++)
		;
	if (i == c->tab_alloc && (r = chan_tab_grow(c)) != 0)
		return r;
	if ((ch = calloc(1, sizeof(*ch))) == NULL)
		return ERR_ALLOC_FAIL;
	if ((ch->ibuf = buf_new()) == NULL ||
	    (ch->ebuf_in = buf_new()) == NULL ||
	    (ch->obuf = buf_new()) == NULL ||
	    (ch->ebuf_out = buf_new()) == NULL) {
		chan_struct_free(ch);
		return ERR_ALLOC_FAIL;
	}
	ch->mgr = c;
	ch->self = (uint32_t)i;
	ch->type = t;
	ch->rfd = ch->wfd = ch->efd = -1;
	ch->lwin = ch->lwin_max = c->cfg.window;
	ch->lmaxpack = c->cfg.max_packet;
	ch->replies_tail = &ch->replies;
	ch->slot_r = ch->slot_w = ch->slot_er = ch->slot_ew = CHAN_NO_SLOT;
	c->tab[i] = ch;
	c->nlive++;
	*chp = ch;
	return 0;
}

/* Take ch out of the table. */
static void
chan_unlink(struct channel *ch)
{
	struct channels *c = ch->mgr;

	if (ch->self < c->tab_alloc && c->tab[ch->self] == ch) {
		c->tab[ch->self] = NULL;
		c->nlive--;
	}
}

/* Free ch: pending replies fail, the owner hears, descriptors close. */
static void
chan_free(struct channel *ch)
{
	struct channels *c = ch->mgr;

	debug2_f("channel %u: free", ch->self);
	chan_unlink(ch);
	chan_replies_abort(ch);
	if (ch->ops != NULL && ch->ops->closed != NULL) {
		chan_cb_enter(c);
		ch->ops->closed(ch, ch->ctx);
		chan_cb_leave(c);
	}
	chan_fds_close(ch);
	chan_struct_free(ch);
}

static int
chan_is_finished(const struct channel *ch)
{
	return ch->state == CHAN_ST_DEAD ||
	    (ch->close_sent && ch->close_rcvd);
}

/* Free every finished channel. */
static void
chan_collect(struct channels *c)
{
	struct channel *ch;
	size_t i;

	if (!c->need_gc || c->in_cb)
		return;
	c->need_gc = 0;
	for (i = 0; i < c->tab_alloc; i++) {
		if ((ch = c->tab[i]) != NULL && chan_is_finished(ch))
			chan_free(ch);
	}
}

struct channel *
chan_by_id(struct channels *c, uint32_t id)
{
	struct channel *ch;

	if (id >= c->tab_alloc || (ch = c->tab[id]) == NULL ||
	    ch->state == CHAN_ST_DEAD)
		return NULL;
	return ch;
}

size_t
chan_count(const struct channels *c, int t)
{
	size_t i, n = 0;

	for (i = 0; i < c->tab_alloc; i++) {
		if (c->tab[i] != NULL && c->tab[i]->state != CHAN_ST_DEAD &&
		    (t < 0 || (int)c->tab[i]->type == t))
			n++;
	}
	return n;
}

/*
 * Read the recipient channel of a message of type and find it in the
 * state that message needs: OPEN_CONFIRMATION and OPEN_FAILURE answer
 * an open of ours; everything else needs an open channel whose CLOSE
 * has not arrived (RFC 4254 section 5.3: nothing follows it).
 */
int
chan_lookup(struct channels *c, uint8_t type, struct buf *b,
    struct channel **chp)
{
	struct channel *ch;
	uint32_t id;
	int r, opening;

	*chp = NULL;
	if ((r = buf_get_u32(b, &id)) != 0)
		return chan_bad_msg(c, type, r);
	opening = type == SSH2_MSG_CHANNEL_OPEN_CONFIRMATION ||
	    type == SSH2_MSG_CHANNEL_OPEN_FAILURE;
	if ((ch = chan_by_id(c, id)) == NULL) {
		return chan_protocol_error(c, "%s for unknown channel %u",
		    chan_msg_name(type), id);
	}
	if (opening && ch->state != CHAN_ST_OPENING) {
		return chan_protocol_error(c, "%s for channel %u that is "
		    "not being opened", chan_msg_name(type), id);
	}
	if (!opening && ch->state != CHAN_ST_OPEN) {
		return chan_protocol_error(c, "%s for channel %u that is "
		    "not open", chan_msg_name(type), id);
	}
	if (ch->close_rcvd) {
		return chan_protocol_error(c, "%s for channel %u after its "
		    "CLOSE", chan_msg_name(type), id);
	}
	*chp = ch;
	return 0;
}

/* ------------------------------------------------------------ windows */

/* n bytes that arrived through our window have left our buffers. */
void
chan_consumed(struct channel *ch, size_t n)
{
	uint32_t room = ch->lwin_max - ch->lwin - ch->lconsumed;

	/* Never more than was taken from the window (room is exact). */
	if (n > room)
		n = room;
	ch->lconsumed += (uint32_t)n;
}

/* Drop what b holds of received data, giving its window back. */
void
chan_drop_output(struct channel *ch, struct buf *b)
{
	chan_consumed(ch, buf_len(b));
	buf_reset(b);
}

/*
 * Give the peer back what we consumed once the window is half used, in
 * one adjust (not one per write).  Never past lwin_max, which is at most
 * CHAN_WINDOW_MAX, so the uint32 cannot wrap.
 */
static int
chan_send_adjust(struct channel *ch)
{
	struct channels *c = ch->mgr;
	int r;

	if (ch->close_sent || ch->close_rcvd || ch->eof_rcvd ||
	    ch->lconsumed == 0 || ch->lwin > ch->lwin_max / 2)
		return 0;
	if (ch->lconsumed > ch->lwin_max - ch->lwin)
		return ERR_INTERNAL;
	if ((r = chan_msg_start(c)) != 0 ||
	    (r = buf_put_u32(c->msg, ch->peer)) != 0 ||
	    (r = buf_put_u32(c->msg, ch->lconsumed)) != 0 ||
	    (r = chan_msg_send(c, SSH2_MSG_CHANNEL_WINDOW_ADJUST)) != 0)
		return r;
	ch->lwin += ch->lconsumed;
	ch->lconsumed = 0;
	return 0;
}

/* ------------------------------------------------------------ sending data */

/* Send from src as DATA (ext 0) or stderr data while the window allows. */
static int
chan_send_from(struct channel *ch, struct buf *src, int ext)
{
	struct channels *c = ch->mgr;
	size_t len;
	int r;

	while (buf_len(src) > 0 && ch->rwin > 0) {
		len = MINIMUM(buf_len(src), ch->rwin);
		len = MINIMUM(len, ch->rmaxpack);
		len = MINIMUM(len, CHAN_SEND_MAX);
		if ((r = chan_msg_start(c)) != 0 ||
		    (r = buf_put_u32(c->msg, ch->peer)) != 0 ||
		    (ext && (r = buf_put_u32(c->msg,
		    SSH2_EXTENDED_DATA_STDERR)) != 0) ||
		    (r = buf_put_string(c->msg, buf_ptr(src), len)) != 0 ||
		    (r = chan_msg_send(c, ext ? SSH2_MSG_CHANNEL_EXTENDED_DATA :
		    SSH2_MSG_CHANNEL_DATA)) != 0 ||
		    (r = buf_consume(src, len)) != 0)
			return r;
		ch->rwin -= (uint32_t)len;
	}
	return 0;
}

static int
chan_send_data(struct channel *ch)
{
	int r;

	if (ch->mgr->throttled || ch->close_sent || ch->close_rcvd ||
	    ch->rstate == CHAN_R_CLOSED)
		return 0;
	if ((r = chan_send_from(ch, ch->ibuf, 0)) != 0 ||
	    (r = chan_send_from(ch, ch->ebuf_in, 1)) != 0)
		return r;
	return 0;
}

/*
 * EOF goes out once the local side is done and every byte, stdout and
 * stderr, has been sent: stderr keeps flowing after stdout's EOF and
 * nothing follows our EOF.
 */
static int
chan_check_eof(struct channel *ch)
{
	int r;

	if (ch->rstate != CHAN_R_DRAIN || ch->close_sent ||
	    buf_len(ch->ibuf) != 0 || buf_len(ch->ebuf_in) != 0 ||
	    (ch->ext == CHAN_EXT_READ && !ch->efd_rdone))
		return 0;
	if ((r = chan_send_id_msg(ch, SSH2_MSG_CHANNEL_EOF)) != 0)
		return r;
	debug2_f("channel %u: sent EOF", ch->self);
	ch->rstate = CHAN_R_CLOSED;
	ch->eof_sent = 1;
	return chan_cb_eof(ch, 1);
}

/* ------------------------------------------------------------ closing */

/* Stop everything local: descriptors closed, buffers dropped. */
static void
chan_shutdown_local(struct channel *ch)
{
	chan_fds_close(ch);
	buf_reset(ch->ibuf);
	buf_reset(ch->ebuf_in);
	buf_reset(ch->obuf);
	buf_reset(ch->ebuf_out);
	ch->efd_rdone = ch->efd_wdone = 1;
	ch->rstate = CHAN_R_CLOSED;
	ch->wstate = CHAN_W_CLOSED;
}

static int
chan_send_close(struct channel *ch)
{
	int r;

	if ((r = chan_send_id_msg(ch, SSH2_MSG_CHANNEL_CLOSE)) != 0)
		return r;
	debug2_f("channel %u: sent CLOSE", ch->self);
	ch->close_sent = 1;
	chan_shutdown_local(ch);
	if (ch->close_rcvd)
		ch->mgr->need_gc = 1;
	return 0;
}

/*
 * CLOSE answers the peer's once what it sent before is written out, or
 * starts ours once both directions are done and nothing holds it.
 */
static int
chan_check_close(struct channel *ch)
{
	if (ch->close_sent || ch->wstate != CHAN_W_CLOSED)
		return 0;
	if (ch->close_rcvd ||
	    (!ch->hold_close && ch->rstate == CHAN_R_CLOSED))
		return chan_send_close(ch);
	return 0;
}

/* Do what an open channel can do now: send, EOF, adjust, CLOSE. */
int
chan_service(struct channel *ch)
{
	int r;

	if (ch->mgr->err != 0)
		return ch->mgr->err;
	if (ch->state != CHAN_ST_OPEN)
		return 0;
	if ((r = chan_send_data(ch)) != 0 ||
	    (r = chan_check_eof(ch)) != 0)
		return r;
	chan_write_check(ch);
	if ((r = chan_send_adjust(ch)) != 0 ||
	    (r = chan_check_close(ch)) != 0)
		return r;
	return 0;
}

/* ------------------------------------------------------------ input */

/* Which side opens which types (RFC 4254 sections 6.1, 7, OpenSSH). */
static const char *
chan_open_policy(struct channels *c, const struct chan_open_info *info,
    uint32_t *reasonp)
{
	int server = c->cfg.is_server, ok;

	*reasonp = SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED;
	switch (info->type) {
	case CHAN_TYPE_SESSION:
	case CHAN_TYPE_DIRECT_TCPIP:
		if (!server)
			return "channel type not accepted by clients";
		break;
	default:
		if (server)
			return "channel type not accepted by servers";
		break;
	}
	if (info->type != CHAN_TYPE_SESSION && info->type != CHAN_TYPE_AGENT &&
	    info->orig_port > FWD_PORT_MAX)
		return "invalid originator port";
	if ((info->type == CHAN_TYPE_DIRECT_TCPIP ||
	    info->type == CHAN_TYPE_FORWARDED_TCPIP) &&
	    info->port > FWD_PORT_MAX)
		return "invalid port";
	if (info->type == CHAN_TYPE_FORWARDED_TCPIP &&
	    !chan_rfwd_match(c, info->host, info->port))
		return "no such remote forward";
	if (info->type == CHAN_TYPE_DIRECT_TCPIP &&
	    c->cfg.permit_open != NULL) {
		chan_cb_enter(c);
		ok = c->cfg.permit_open(c->cfg.ctx, info->host, info->port);
		chan_cb_leave(c);
		if (ok != 1)
			return "open prohibited by policy";
	}
	if (c->cfg.open == NULL)
		return "channel opens not accepted";
	return NULL;
}

/* Hand an accepted incoming open to the owner. */
static int
chan_open_new(struct channels *c, const struct chan_open_info *info,
    uint32_t peer, uint32_t window, uint32_t maxpack)
{
	struct channel *ch = NULL;
	int r;

	if ((r = chan_alloc(c, info->type, &ch)) == ERR_NO_BUFFER_SPACE) {
		return chan_send_open_failure(c, peer,
		    SSH2_OPEN_RESOURCE_SHORTAGE, "too many channels");
	}
	if (r != 0)
		return r;
	ch->peer = peer;
	ch->rwin = window;
	ch->rmaxpack = maxpack;
	ch->state = CHAN_ST_PENDING;
	debug2_f("channel %u: %s open from peer channel %u", ch->self,
	    chan_type_names[info->type], peer);
	chan_cb_enter(c);
	r = c->cfg.open(c, ch, info, c->cfg.ctx);
	chan_cb_leave(c);
	if (r < 0)
		return r;
	return chan_service(ch);
}

/* RFC 4254 section 5.1 */
static int
chan_input_open(struct channels *c, uint8_t type, struct buf *b)
{
	struct chan_open_info info;
	const u_char *name;
	const char *why;
	size_t namelen;
	uint32_t peer, window, maxpack, reason;
	int r = ERR_INTERNAL;

	memset(&info, 0, sizeof(info));
	if ((r = buf_get_string_direct(b, &name, &namelen)) != 0 ||
	    (r = buf_get_u32(b, &peer)) != 0 ||
	    (r = buf_get_u32(b, &window)) != 0 ||
	    (r = buf_get_u32(b, &maxpack)) != 0)
		return chan_bad_msg(c, type, r);
	/* The fields of a type we do not know cannot be checked. */
	if (chan_type_lookup(name, namelen, &info.type) != 0) {
		return chan_send_open_failure(c, peer,
		    SSH2_OPEN_UNKNOWN_CHANNEL_TYPE, "unknown channel type");
	}
	if ((r = fwd_open_parse(b, &info)) != 0)
		return chan_bad_msg(c, type, r);
	if (maxpack == 0) {
		r = chan_protocol_error(c, "%s of peer channel %u with "
		    "maximum packet 0", chan_msg_name(type), peer);
		goto out;
	}
	if ((why = chan_open_policy(c, &info, &reason)) != NULL)
		r = chan_send_open_failure(c, peer, reason, why);
	else
		r = chan_open_new(c, &info, peer, window, maxpack);
 out:
	fwd_open_clear(&info);
	return r;
}

static int
chan_input_open_confirmation(struct channels *c, uint8_t type,
    struct buf *b)
{
	struct channel *ch;
	uint32_t peer, window, maxpack;
	int r;

	if ((r = chan_lookup(c, type, b, &ch)) != 0)
		return r;
	if ((r = buf_get_u32(b, &peer)) != 0 ||
	    (r = buf_get_u32(b, &window)) != 0 ||
	    (r = buf_get_u32(b, &maxpack)) != 0)
		return chan_bad_msg(c, type, r);
	/* None of our channel types has type-specific data here. */
	if ((r = chan_msg_end(c, type, b)) != 0)
		return r;
	if (maxpack == 0) {
		return chan_protocol_error(c, "%s for channel %u with "
		    "maximum packet 0", chan_msg_name(type), ch->self);
	}
	ch->peer = peer;
	ch->rwin = window;
	ch->rmaxpack = maxpack;
	ch->state = CHAN_ST_OPEN;
	debug2_f("channel %u: open, peer channel %u", ch->self, peer);
	if ((r = chan_cb_open_result(ch, 1, 0, NULL)) != 0)
		return r;
	if (ch->close_wanted && !ch->close_sent)
		return chan_close(ch);
	return chan_service(ch);
}

static int
chan_input_open_failure(struct channels *c, uint8_t type, struct buf *b)
{
	struct channel *ch;
	char *desc = NULL;
	uint32_t reason;
	int r;

	if ((r = chan_lookup(c, type, b, &ch)) != 0)
		return r;
	if ((r = buf_get_u32(b, &reason)) != 0 ||
	    (r = buf_get_cstring(b, &desc, NULL)) != 0 ||
	    (r = buf_get_string_direct(b, NULL, NULL)) != 0) {
		r = chan_bad_msg(c, type, r);
		goto out;
	}
	if ((r = chan_msg_end(c, type, b)) != 0)
		goto out;
	debug2_f("channel %u: open refused (%u): %s", ch->self, reason,
	    desc);
	ch->state = CHAN_ST_DEAD;
	c->need_gc = 1;
	r = chan_cb_open_result(ch, 0, reason, desc);
 out:
	free(desc);
	return r;
}

static int
chan_input_window_adjust(struct channels *c, uint8_t type, struct buf *b)
{
	struct channel *ch;
	uint32_t add;
	int r;

	if ((r = chan_lookup(c, type, b, &ch)) != 0)
		return r;
	if ((r = buf_get_u32(b, &add)) != 0)
		return chan_bad_msg(c, type, r);
	if ((r = chan_msg_end(c, type, b)) != 0)
		return r;
	/* The window is a uint32 and never exceeds 2^32 - 1. */
	if (add > UINT32_MAX - ch->rwin) {
		return chan_protocol_error(c, "window adjust of %u for "
		    "channel %u overflows its window of %u", add, ch->self,
		    ch->rwin);
	}
	ch->rwin += add;
	return chan_service(ch);
}

/* Where len bytes of received data go, after the window took them. */
static int
chan_data_store(struct channel *ch, int ext, uint32_t code,
    const u_char *data, size_t len)
{
	struct buf *dst = NULL;

	if (ch->close_sent || ch->wstate == CHAN_W_CLOSED)
		dst = NULL;
	else if (!ext)
		dst = (!ch->attached || ch->wfd != -1) ? ch->obuf : NULL;
	else if (code == SSH2_EXTENDED_DATA_STDERR)
		dst = (!ch->attached || !ch->efd_wdone) ? ch->ebuf_out : NULL;
	if (dst == NULL) {
		chan_consumed(ch, len);
		return 0;
	}
	return buf_put(dst, data, len);
}

/* DATA and EXTENDED_DATA (RFC 4254 section 5.2) */
static int
chan_input_data(struct channels *c, uint8_t type, struct buf *b)
{
	struct channel *ch;
	const u_char *data;
	size_t len;
	uint32_t code = 0;
	int r, ext = type == SSH2_MSG_CHANNEL_EXTENDED_DATA;

	if ((r = chan_lookup(c, type, b, &ch)) != 0)
		return r;
	if ((ext && (r = buf_get_u32(b, &code)) != 0) ||
	    (r = buf_get_string_direct(b, &data, &len)) != 0)
		return chan_bad_msg(c, type, r);
	if ((r = chan_msg_end(c, type, b)) != 0)
		return r;
	if (ch->eof_rcvd) {
		return chan_protocol_error(c, "%s for channel %u after its "
		    "EOF", chan_msg_name(type), ch->self);
	}
	if (len > ch->lmaxpack) {
		return chan_protocol_error(c, "%s of %zu bytes for channel %u "
		    "beyond its maximum packet of %u", chan_msg_name(type),
		    len, ch->self, ch->lmaxpack);
	}
	if (len > ch->lwin) {
		return chan_protocol_error(c, "%s of %zu bytes for channel %u "
		    "beyond its window of %u", chan_msg_name(type), len,
		    ch->self, ch->lwin);
	}
	ch->lwin -= (uint32_t)len;
	if ((r = chan_data_store(ch, ext, code, data, len)) != 0)
		return r;
	return chan_service(ch);
}

/* RFC 4254 section 5.3 */
static int
chan_input_eof(struct channels *c, uint8_t type, struct buf *b)
{
	struct channel *ch;
	int r;

	if ((r = chan_lookup(c, type, b, &ch)) != 0)
		return r;
	if ((r = chan_msg_end(c, type, b)) != 0)
		return r;
	if (ch->eof_rcvd) {
		return chan_protocol_error(c, "second %s for channel %u",
		    chan_msg_name(type), ch->self);
	}
	debug2_f("channel %u: EOF received", ch->self);
	ch->eof_rcvd = 1;
	if (ch->wstate == CHAN_W_OPEN)
		ch->wstate = CHAN_W_DRAIN;
	if ((r = chan_cb_eof(ch, 0)) != 0)
		return r;
	return chan_service(ch);
}

/*
 * RFC 4254 section 5.3: we stop sending (the peer drops what it gets
 * now), write out what it sent before, then answer with our CLOSE.
 */
static int
chan_input_close(struct channels *c, uint8_t type, struct buf *b)
{
	struct channel *ch;
	int r;

	if ((r = chan_lookup(c, type, b, &ch)) != 0)
		return r;
	if ((r = chan_msg_end(c, type, b)) != 0)
		return r;
	debug2_f("channel %u: CLOSE received", ch->self);
	ch->close_rcvd = 1;
	if (ch->rstate != CHAN_R_CLOSED) {
		buf_reset(ch->ibuf);
		buf_reset(ch->ebuf_in);
		chan_read_done(ch);
		chan_efd_read_done(ch);
		ch->rstate = CHAN_R_CLOSED;
	}
	if (ch->wstate == CHAN_W_OPEN)
		ch->wstate = CHAN_W_DRAIN;
	if (!ch->attached) {
		/* Nobody will ever write it out. */
		chan_drop_output(ch, ch->obuf);
		chan_drop_output(ch, ch->ebuf_out);
		ch->wstate = CHAN_W_CLOSED;
	}
	if (ch->close_sent)
		c->need_gc = 1;
	return chan_service(ch);
}

static int
chan_input_request_h(struct channels *c, uint8_t type, struct buf *b)
{
	return chan_input_request(c, b);
}

static int
chan_input_reply_h(struct channels *c, uint8_t type, struct buf *b)
{
	return chan_input_reply(c, type, b);
}

static int
chan_input_global_request_h(struct channels *c, uint8_t type,
    struct buf *b)
{
	return chan_input_global_request(c, b);
}

static int
chan_input_global_reply_h(struct channels *c, uint8_t type, struct buf *b)
{
	return chan_input_global_reply(c, type, b);
}

/* ------------------------------------------------------------ manager */

int
chan_mgr_new(const struct chan_config *cfg, struct channels **cp)
{
	struct channels *c = NULL;

	if (cp == NULL)
		return ERR_INVALID_ARGUMENT;
	*cp = NULL;
	if (cfg == NULL || cfg->send == NULL ||
	    cfg->window > CHAN_WINDOW_MAX ||
	    cfg->max_packet > CHAN_PACKET_MAX ||
	    cfg->max_channels > CHAN_MAX_CHANNELS_CAP)
		return ERR_INVALID_ARGUMENT;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return ERR_ALLOC_FAIL;
	c->cfg = *cfg;
	if (c->cfg.window == 0)
		c->cfg.window = CHAN_WINDOW_DEFAULT;
	if (c->cfg.max_packet == 0)
		c->cfg.max_packet = CHAN_PACKET_DEFAULT;
	if (c->cfg.max_channels == 0)
		c->cfg.max_channels = CHAN_MAX_CHANNELS_DEFAULT;
	c->greplies_tail = &c->greplies;
	c->poll_epoch = 1;
	if ((c->msg = buf_new()) == NULL ||
	    (c->rdbuf = malloc(CHAN_READ_CHUNK)) == NULL) {
		chan_mgr_free(c);
		return ERR_ALLOC_FAIL;
	}
	*cp = c;
	return 0;
}

void
chan_mgr_free(struct channels *c)
{
	size_t i;

	if (c == NULL)
		return;
	/* Callbacks from here on cannot send or open anything. */
	if (c->err == 0)
		c->err = ERR_DISCONNECTED;
	for (i = 0; i < c->tab_alloc; i++) {
		if (c->tab[i] != NULL)
			chan_free(c->tab[i]);
	}
	chan_greplies_abort(c);
	chan_rfwds_free(c);
	free(c->tab);
	buf_free(c->msg);
	freezero(c->rdbuf, c->rdbuf == NULL ? 0 : CHAN_READ_CHUNK);
	freezero(c, sizeof(*c));
}

int
chan_handles_type(uint8_t type)
{
	return chan_handlers[type] != NULL;
}

/* The common tail of the entry points: a failure is for good. */
static int
chan_entry_done(struct channels *c, int r)
{
	if (r != 0) {
		if (c->err == 0)
			c->err = r;
		return c->err;
	}
	chan_collect(c);
	return c->err;
}

int
chan_input(struct channels *c, uint8_t type, struct buf *payload)
{
	if (c->err != 0)
		return c->err;
	if (c->in_cb || payload == NULL)
		return ERR_INTERNAL;
	if (chan_handlers[type] == NULL)
		return ERR_INVALID_ARGUMENT;
	return chan_entry_done(c, chan_handlers[type](c, type, payload));
}

int
chan_output(struct channels *c)
{
	size_t i;
	int r;

	if (c->err != 0)
		return c->err;
	if (c->in_cb)
		return ERR_INTERNAL;
	for (i = 0; i < c->tab_alloc; i++) {
		if (c->tab[i] != NULL && (r = chan_service(c->tab[i])) != 0)
			return chan_entry_done(c, r);
	}
	return chan_entry_done(c, 0);
}

void
chan_set_throttle(struct channels *c, int throttled)
{
	c->throttled = throttled != 0;
}

/* ------------------------------------------------------------ channels */

int
chan_open(struct channels *c, const struct chan_open_info *info,
    uint32_t window, uint32_t max_packet, const struct chan_ops *ops,
    void *ctx, struct channel **chp)
{
	struct channel *ch = NULL;
	int r = ERR_INTERNAL;

	if (chp != NULL)
		*chp = NULL;
	if (c->err != 0)
		return c->err;
	if (info == NULL || (int)info->type < 0 ||
	    info->type >= CHAN_TYPE_MAX || window > CHAN_WINDOW_MAX ||
	    max_packet > CHAN_PACKET_MAX || info->port > FWD_PORT_MAX ||
	    info->orig_port > FWD_PORT_MAX)
		return ERR_INVALID_ARGUMENT;
	if ((r = chan_alloc(c, info->type, &ch)) != 0)
		return r;
	if (window != 0)
		ch->lwin = ch->lwin_max = window;
	if (max_packet != 0)
		ch->lmaxpack = max_packet;
	ch->ops = ops;
	ch->ctx = ctx;
	ch->state = CHAN_ST_OPENING;
	if ((r = chan_msg_start(c)) != 0 ||
	    (r = buf_put_cstring(c->msg, chan_type_names[info->type])) != 0 ||
	    (r = buf_put_u32(c->msg, ch->self)) != 0 ||
	    (r = buf_put_u32(c->msg, ch->lwin)) != 0 ||
	    (r = buf_put_u32(c->msg, ch->lmaxpack)) != 0 ||
	    (r = fwd_open_put(c->msg, info)) != 0 ||
	    (r = chan_msg_send(c, SSH2_MSG_CHANNEL_OPEN)) != 0) {
		/* The owner never saw it: no callbacks. */
		chan_unlink(ch);
		chan_struct_free(ch);
		return r;
	}
	debug2_f("channel %u: opening %s", ch->self,
	    chan_type_names[info->type]);
	if (chp != NULL)
		*chp = ch;
	return 0;
}

int
chan_open_confirm(struct channel *ch)
{
	struct channels *c = ch->mgr;
	int r;

	if (c->err != 0)
		return c->err;
	if (ch->state != CHAN_ST_PENDING)
		return ERR_INVALID_ARGUMENT;
	if ((r = chan_msg_start(c)) != 0 ||
	    (r = buf_put_u32(c->msg, ch->peer)) != 0 ||
	    (r = buf_put_u32(c->msg, ch->self)) != 0 ||
	    (r = buf_put_u32(c->msg, ch->lwin)) != 0 ||
	    (r = buf_put_u32(c->msg, ch->lmaxpack)) != 0 ||
	    (r = chan_msg_send(c, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION)) != 0)
		return r;
	ch->state = CHAN_ST_OPEN;
	return chan_service(ch);
}

int
chan_open_refuse(struct channel *ch, uint32_t reason,
    const char *description)
{
	struct channels *c = ch->mgr;
	int r;

	if (c->err != 0)
		return c->err;
	if (ch->state != CHAN_ST_PENDING)
		return ERR_INVALID_ARGUMENT;
	if ((r = chan_send_open_failure(c, ch->peer, reason,
	    description == NULL ? "" : description)) != 0)
		return r;
	ch->state = CHAN_ST_DEAD;
	c->need_gc = 1;
	return 0;
}

int
chan_set_window(struct channel *ch, uint32_t window, uint32_t max_packet)
{
	if (ch->state != CHAN_ST_PENDING || window > CHAN_WINDOW_MAX ||
	    max_packet > CHAN_PACKET_MAX)
		return ERR_INVALID_ARGUMENT;
	if (window != 0)
		ch->lwin = ch->lwin_max = window;
	if (max_packet != 0)
		ch->lmaxpack = max_packet;
	return 0;
}

void
chan_set_ops(struct channel *ch, const struct chan_ops *ops, void *ctx)
{
	ch->ops = ops;
	ch->ctx = ctx;
}

int
chan_queue_data(struct channel *ch, int ext, const void *data, size_t len)
{
	struct buf *dst = ext ? ch->ebuf_in : ch->ibuf;
	int r;

	if (ch->mgr->err != 0)
		return ch->mgr->err;
	if (ch->state == CHAN_ST_DEAD || ch->state == CHAN_ST_PENDING ||
	    ch->close_sent || ch->close_rcvd || ch->rstate == CHAN_R_CLOSED)
		return ERR_INVALID_ARGUMENT;
	if (len > CHAN_QUEUE_MAX || buf_len(dst) > CHAN_QUEUE_MAX - len)
		return ERR_NO_BUFFER_SPACE;
	if ((r = buf_put(dst, data, len)) != 0)
		return r;
	return chan_service(ch);
}

int
chan_send_eof(struct channel *ch)
{
	if (ch->mgr->err != 0)
		return ch->mgr->err;
	if (ch->state == CHAN_ST_DEAD || ch->state == CHAN_ST_PENDING)
		return ERR_INVALID_ARGUMENT;
	if (ch->rstate != CHAN_R_OPEN)
		return 0;
	chan_read_done(ch);
	chan_efd_read_done(ch);
	return chan_service(ch);
}

int
chan_close(struct channel *ch)
{
	if (ch->mgr->err != 0)
		return ch->mgr->err;
	switch (ch->state) {
	case CHAN_ST_OPENING:
		/* No id to send CLOSE to yet: do it on confirmation. */
		ch->close_wanted = 1;
		return 0;
	case CHAN_ST_PENDING:
		return chan_open_refuse(ch,
		    SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED, "closed");
	case CHAN_ST_DEAD:
		return 0;
	case CHAN_ST_OPEN:
		break;
	}
	if (ch->close_sent)
		return 0;
	return chan_send_close(ch);
}

void
chan_hold_close(struct channel *ch, int hold)
{
	ch->hold_close = hold != 0;
}

uint32_t
chan_self(const struct channel *ch)
{
	return ch->self;
}

uint32_t
chan_peer(const struct channel *ch)
{
	return ch->peer;
}

enum chan_type
chan_get_type(const struct channel *ch)
{
	return ch->type;
}

void *
chan_ctx(const struct channel *ch)
{
	return ch->ctx;
}

struct channels *
chan_manager(const struct channel *ch)
{
	return ch->mgr;
}

int
chan_is_open(const struct channel *ch)
{
	return ch->state == CHAN_ST_OPEN && !ch->close_sent &&
	    !ch->close_rcvd;
}

int
chan_eof_sent(const struct channel *ch)
{
	return ch->eof_sent;
}

int
chan_eof_rcvd(const struct channel *ch)
{
	return ch->eof_rcvd;
}

int
chan_close_sent(const struct channel *ch)
{
	return ch->close_sent;
}

int
chan_close_rcvd(const struct channel *ch)
{
	return ch->close_rcvd;
}

uint32_t
chan_local_window(const struct channel *ch)
{
	return ch->lwin;
}

uint32_t
chan_remote_window(const struct channel *ch)
{
	return ch->rwin;
}

uint32_t
chan_remote_max_packet(const struct channel *ch)
{
	return ch->rmaxpack;
}
