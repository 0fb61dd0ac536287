/*
 * channels_fuzz.c: libFuzzer target for the connection protocol
 * (channels/): arbitrary messages from the peer to a manager that
 * already has channels in several states.
 *
 * Input: one byte of setup (bit 0: we are the server; bit 1: small
 * window; bit 2: small maximum packet), then messages, each a type byte
 * and its payload as an SSH string.  Types outside the connection
 * protocol are folded into 80-100.  Every message must be taken (0) or
 * end the connection as a protocol error with a DISCONNECT text; what
 * the manager sends must respect the peer's window and packet size.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "channels/channel.h"
#include "channels/forward.h"
#include "channels/session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
	    #x); \
	abort(); \
	} } while (0)

/* The peer's window and packet size as we announce them (see setup). */
#define PEER_WINDOW	1000
#define PEER_PACKET	100

struct fz {
	struct channels *c;
	size_t sent;
};

/* Our messages: DATA must fit the peer's packet size. */
static int
fz_send(void *ctx, uint8_t type, const struct buf *payload)
{
	struct fz *z = ctx;
	struct buf *b;
	const u_char *p;
	uint32_t id, code;
	size_t len;

	z->sent++;
	if (type != SSH2_MSG_CHANNEL_DATA &&
	    type != SSH2_MSG_CHANNEL_EXTENDED_DATA)
		return 0;
	CHECK((b = buf_from(buf_ptr(payload), buf_len(payload))) != NULL);
	CHECK(buf_get_u32(b, &id) == 0);
	if (type == SSH2_MSG_CHANNEL_EXTENDED_DATA)
		CHECK(buf_get_u32(b, &code) == 0);
	CHECK(buf_get_string_direct(b, &p, &len) == 0);
	CHECK(buf_len(b) == 0);
	CHECK(len <= CHAN_SEND_MAX);
	buf_free(b);
	return 0;
}

static int
fz_request(struct channel *ch, struct chan_request *req, void *ctx)
{
	CHECK(chan_req_allowed(req->type, 1, CHAN_TYPE_SESSION) ||
	    chan_req_allowed(req->type, 0, CHAN_TYPE_SESSION));
	return req->type != CHAN_REQ_SIGNAL;
}

static int
fz_eof(struct channel *ch, void *ctx)
{
	/* Exercise sending from inside a callback. */
	(void)chan_queue_data(ch, 1, "bye", 3);
	return 0;
}

static const struct chan_ops fz_ops = {
	fz_request, NULL, fz_eof, NULL, NULL,
};

static int
fz_open(struct channels *c, struct channel *ch,
    const struct chan_open_info *info, void *ctx)
{
	chan_set_ops(ch, &fz_ops, ctx);
	/* Leave some opens pending, refuse some, take the rest. */
	switch (info->orig_port % 3) {
	case 0:
		return chan_open_confirm(ch);
	case 1:
		return chan_open_refuse(ch, SSH2_OPEN_CONNECT_FAILED, "no");
	default:
		return 0;
	}
}

static int
fz_global(struct channels *c, struct chan_global_request *req,
    struct buf *gdata, struct buf *reply, void *ctx)
{
	if (req->type == CHAN_GREQ_TCPIP_FORWARD)
		req->bound_port = 4242;
	return req->port % 2 == 0;
}

/* Channels in several states, and replies we wait for. */
static void
fz_setup(struct fz *z, int is_server)
{
	struct chan_open_info info;
	struct chan_request req;
	struct chan_global_request g;
	struct channel *ch = NULL;
	struct buf *b;

	memset(&info, 0, sizeof(info));
	info.type = is_server ? CHAN_TYPE_X11 : CHAN_TYPE_SESSION;
	/* 0: open, with data queued and a request unanswered */
	CHECK(chan_open(z->c, &info, 0, 0, &fz_ops, z, &ch) == 0);
	CHECK((b = buf_new()) != NULL);
	CHECK(buf_put_u32(b, chan_self(ch)) == 0 &&
	    buf_put_u32(b, 100) == 0 && buf_put_u32(b, PEER_WINDOW) == 0 &&
	    buf_put_u32(b, PEER_PACKET) == 0);
	CHECK(chan_input(z->c, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION, b) == 0);
	buf_free(b);
	CHECK(chan_queue_data(ch, 0, "hello, world", 12) == 0);
	memset(&req, 0, sizeof(req));
	req.type = is_server ? CHAN_REQ_EXIT_STATUS : CHAN_REQ_SHELL;
	req.want_reply = 1;
	CHECK(chan_send_request(ch, &req, NULL, NULL) == 0);
	/* 1: still opening */
	CHECK(chan_open(z->c, &info, 0, 0, &fz_ops, z, &ch) == 0);
	/* a forward of ours, waiting for its answer */
	if (!is_server) {
		memset(&g, 0, sizeof(g));
		g.type = CHAN_GREQ_TCPIP_FORWARD;
		g.want_reply = 1;
		g.addr = "localhost";
		CHECK(chan_global_request(z->c, &g, NULL, NULL, NULL) == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct chan_config cfg;
	struct fz z;
	struct buf *in, *msg;
	const u_char *p;
	size_t len;
	uint8_t mode, type;
	int r;

	memset(&z, 0, sizeof(z));
	CHECK((in = buf_from(data, size)) != NULL);
	if (buf_get_u8(in, &mode) != 0) {
		buf_free(in);
		return 0;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.is_server = mode & 1;
	cfg.send = fz_send;
	cfg.send_ctx = &z;
	cfg.window = (mode & 2) ? 64 : 0;
	cfg.max_packet = (mode & 4) ? 16 : 0;
	cfg.max_channels = 8;
	cfg.open = fz_open;
	cfg.global_request = fz_global;
	cfg.ctx = &z;
	CHECK(chan_mgr_new(&cfg, &z.c) == 0);
	fz_setup(&z, cfg.is_server);
	while (buf_get_u8(in, &type) == 0 &&
	    buf_get_string_direct(in, &p, &len) == 0) {
		if (!chan_handles_type(type))
			type = 80 + type % 21;
		if (!chan_handles_type(type))
			continue;
		CHECK((msg = buf_from(p, len)) != NULL);
		r = chan_input(z.c, type, msg);
		buf_free(msg);
		if (r == ERR_PROTOCOL_ERROR) {
			CHECK(*chan_error_message(z.c) != '\0');
			CHECK(chan_output(z.c) == ERR_PROTOCOL_ERROR);
			break;
		}
		CHECK(r == 0);
		CHECK(chan_output(z.c) == 0);
	}
	chan_mgr_free(z.c);
	buf_free(in);
	return 0;
}
