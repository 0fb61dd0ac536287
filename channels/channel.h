/*
 * channel.h: the SSH connection protocol (RFC 4254): the channel table,
 * windows and maximum packet sizes, the EOF/close state machine, channel
 * and global requests, and the plumbing between channels and local file
 * descriptors.
 *
 * The module does not know the packet layer.  Its owner (ssh, sshd's
 * session child, a test) feeds it every decoded connection-protocol
 * message with chan_input() (the type byte already read, the rest in a
 * buffer) and gives it a send callback through which it emits its own
 * messages, also as (type, payload-after-type) pairs.  Channel data moves
 * between the peer and local descriptors that the owner's poll loop
 * drives with chan_poll_prepare() and chan_poll_handle().
 *
 * Errors.  Every function returning int gives 0 or a negative ERR_* code.
 * ERR_PROTOCOL_ERROR means the peer broke the protocol (unknown channel,
 * data beyond the window or the maximum packet, data after EOF, a second
 * CLOSE, a malformed or trailing-garbage message, ...): the owner must
 * send SSH2_MSG_DISCONNECT with reason SSH2_DISCONNECT_PROTOCOL_ERROR and
 * the text of chan_error_message(), then drop the connection.  Other codes
 * are local failures (ERR_ALLOC_FAIL, or whatever the send callback
 * returned).  After any failure of chan_input, chan_output or
 * chan_poll_handle the manager is spent: every later call returns the
 * same code.
 *
 * Callbacks.  The owner's callbacks run from inside chan_input(),
 * chan_output() and chan_poll_handle().  They may call any chan_*
 * function on any channel (open, request, close, set fds) except those
 * three, chan_mgr_free(), or anything that frees a channel: channels are
 * freed only between messages, so a struct channel stays valid for the
 * whole callback.  A callback that returns a negative code fails the
 * manager with it; returning ERR_PROTOCOL_ERROR after chan_protocol_error()
 * sets the DISCONNECT text.
 */
#ifndef KEEL_CHANNELS_CHANNEL_H
#define KEEL_CHANNELS_CHANNEL_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

/* Message numbers, open failure reasons, disconnect reasons. */
#include "ssh2.h"

struct buf;
struct pollfd;

/* Defaults and limits of our side's window and maximum packet. */
#define CHAN_WINDOW_DEFAULT	(2 * 1024 * 1024)
#define CHAN_WINDOW_MAX		(16 * 1024 * 1024)
#define CHAN_PACKET_DEFAULT	32768
#define CHAN_PACKET_MAX		65536
/*
 * We never send more data than this in one message, whatever the peer's
 * maximum packet says: every peer must take 32768-byte payloads
 * (RFC 4253 section 6.1).
 */
#define CHAN_SEND_MAX		32768
/* Default cap on the number of channels of one connection. */
#define CHAN_MAX_CHANNELS_DEFAULT 1024

struct channels;	/* the manager: one per connection */
struct channel;		/* one channel; owned by its manager */
struct chan_request;	/* a channel request (session.h) */

/* Channel types we know (RFC 4254 sections 6.1, 6.3.2, 7.1, 7.2). */
enum chan_type {
	CHAN_TYPE_SESSION = 0,
	CHAN_TYPE_DIRECT_TCPIP,
	CHAN_TYPE_FORWARDED_TCPIP,
	CHAN_TYPE_X11,
	CHAN_TYPE_AGENT,		/* auth-agent@openssh.com */
	CHAN_TYPE_MAX
};

/*
 * The type-specific data of CHANNEL_OPEN (forward.h has its codec).
 * Parsed values own their strings; for chan_open() the caller's strings
 * are only read.
 */
struct chan_open_info {
	enum chan_type type;
	/* direct-tcpip: host to connect; forwarded-tcpip: listen address */
	char *host;
	uint32_t port;
	/* direct-tcpip, forwarded-tcpip, x11: the originator */
	char *orig_host;
	uint32_t orig_port;
};

/* Global requests (RFC 4254 sections 4 and 7.1). */
enum chan_greq_type {
	CHAN_GREQ_OTHER = 0,		/* anything else, by name */
	CHAN_GREQ_TCPIP_FORWARD,
	CHAN_GREQ_CANCEL_TCPIP_FORWARD
};

struct chan_global_request {
	enum chan_greq_type type;
	char *name;		/* CHAN_GREQ_OTHER: the request name */
	int want_reply;
	char *addr;		/* (cancel-)tcpip-forward: address to bind */
	uint32_t port;		/* (cancel-)tcpip-forward: port to bind */
	/*
	 * Incoming tcpip-forward with port 0: the owner's handler sets the
	 * port it bound, sent back in REQUEST_SUCCESS.
	 */
	uint32_t bound_port;
};

/*
 * A reply to a request of ours: ok is 1 (SUCCESS), 0 (FAILURE) or -1
 * (the channel or connection went away first; no reply will come).
 */
typedef int chan_reply_fn(struct channel *ch, int ok, void *ctx);
/*
 * A reply to a global request of ours; ok as above.  bound_port is the
 * port the peer allocated for tcpip-forward with port 0.  data holds the
 * reply's request-specific bytes for CHAN_GREQ_OTHER (the callback must
 * check them itself), else NULL.
 */
typedef int chan_greply_fn(struct channels *c, int ok, uint32_t bound_port,
    struct buf *data, void *ctx);

/* The messages of a channel, for whoever runs it (ssh, sshd, tests). */
struct chan_ops {
	/*
	 * An incoming channel request, parsed (session.h).  Return 1 to
	 * accept, 0 to refuse (the manager sends the reply if one was
	 * asked for), or a negative code to fail the connection.  The
	 * request and its strings are freed after the call.  NULL: refuse.
	 */
	int (*request)(struct channel *ch, struct chan_request *req,
	    void *ctx);
	/*
	 * Our CHANNEL_OPEN was answered: ok 1, or 0 with the peer's reason
	 * code and description (the channel is then freed).
	 */
	int (*open_result)(struct channel *ch, int ok, uint32_t reason,
	    const char *description, void *ctx);
	/* The peer sent EOF (data before it may still be being written). */
	int (*eof)(struct channel *ch, void *ctx);
	/* We sent EOF: every byte read locally has gone to the peer. */
	int (*eof_sent)(struct channel *ch, void *ctx);
	/*
	 * The channel is being freed (after both CLOSEs, a refused open, or
	 * chan_mgr_free).  Called exactly once for every channel that had
	 * these ops.  Descriptors still held are closed after it returns.
	 */
	void (*closed)(struct channel *ch, void *ctx);
};

/* What the owner tells the manager at creation. */
struct chan_config {
	int is_server;		/* 1: sshd's side, 0: ssh's side */
	/*
	 * Send one message: type and payload (the bytes after the type).
	 * The payload is only borrowed for the call.  0 or a negative code
	 * (which fails the manager).  Required.
	 */
	int (*send)(void *ctx, uint8_t type, const struct buf *payload);
	void *send_ctx;
	uint32_t window;	/* our window per channel; 0: default */
	uint32_t max_packet;	/* our maximum packet; 0: default */
	size_t max_channels;	/* 0: CHAN_MAX_CHANNELS_DEFAULT */
	/*
	 * An incoming CHANNEL_OPEN of a type this side accepts (servers:
	 * session, direct-tcpip; clients: forwarded-tcpip for a forward we
	 * asked for, x11, auth-agent@openssh.com), already allowed by the
	 * permit hooks.  The handler sets the channel's ops and then calls
	 * chan_open_confirm() or chan_open_refuse(), now or later (a
	 * connect in progress).  0 or a negative code.  NULL: refuse all.
	 */
	int (*open)(struct channels *c, struct channel *ch,
	    const struct chan_open_info *info, void *ctx);
	/*
	 * An incoming global request: 1 accept, 0 refuse, negative: fail.
	 * For CHAN_GREQ_OTHER, data holds its request-specific bytes (the
	 * handler must check them) and reply may receive bytes for the
	 * REQUEST_SUCCESS.  NULL: refuse all.
	 */
	int (*global_request)(struct channels *c,
	    struct chan_global_request *req, struct buf *data,
	    struct buf *reply, void *ctx);
	/*
	 * Policy hooks (sshd's PermitOpen / PermitListen; forward.h has a
	 * ready-made list).  1 allows, 0 refuses (OPEN_FAILURE
	 * administratively prohibited / REQUEST_FAILURE) before the open or
	 * global_request handler sees it.  NULL: no restriction here.
	 */
	int (*permit_open)(void *ctx, const char *host, uint32_t port);
	int (*permit_listen)(void *ctx, const char *addr, uint32_t port);
	void *ctx;		/* for open, global_request and the hooks */
};

/* ------------------------------------------------------------ manager */

/* A new manager; the config is copied. */
int chan_mgr_new(const struct chan_config *cfg, struct channels **cp)
    __attribute__((__warn_unused_result__));
/*
 * Free every channel (closed callbacks run, fds closed; every chan_*
 * call made from them fails with ERR_DISCONNECTED); NULL: no-op.
 */
void chan_mgr_free(struct channels *c);

/* 1 if chan_input() handles messages of this type (80-82, 90-100). */
int chan_handles_type(uint8_t type);
/*
 * One incoming message: type and the payload after it (consumed).
 * Follow-ups (replies, window adjusts, data the message unblocked, a
 * CLOSE in answer) are sent before it returns.
 */
int chan_input(struct channels *c, uint8_t type, struct buf *payload)
    __attribute__((__warn_unused_result__));
/*
 * Send what every channel has ready (data within the peer's window,
 * window adjusts, EOF, CLOSE) and free finished channels.  The owner's
 * loop calls it once per turn; chan_poll_handle() calls it too.
 */
int chan_output(struct channels *c)
    __attribute__((__warn_unused_result__));
/*
 * While throttled no channel data is sent (control messages still are),
 * so reads stop once buffers fill: the owner sets it while its transport
 * output queue is long or a key exchange is running.
 */
void chan_set_throttle(struct channels *c, int throttled);

/*
 * Record a protocol error: formats the DISCONNECT text (first one wins)
 * and returns ERR_PROTOCOL_ERROR, for callbacks to return.
 */
int chan_protocol_error(struct channels *c, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));
/* The DISCONNECT text after ERR_PROTOCOL_ERROR ("" if none). */
const char *chan_error_message(const struct channels *c);

/* The channel with our id, or NULL (also for ones being freed). */
struct channel *chan_by_id(struct channels *c, uint32_t id);
/* How many live channels there are (of type t, or all if t < 0). */
size_t chan_count(const struct channels *c, int t);

/*
 * Send a global request; for CHAN_GREQ_OTHER, req->name and the
 * request-specific bytes in data (may be NULL).  With want_reply, cb (may
 * be NULL) gets the reply.  An accepted tcpip-forward is remembered so
 * that the peer's forwarded-tcpip opens for it are let through (and
 * forgotten on a successful cancel-tcpip-forward).
 */
int chan_global_request(struct channels *c,
    const struct chan_global_request *req, const struct buf *data,
    chan_greply_fn *cb, void *ctx)
    __attribute__((__warn_unused_result__));

/* ------------------------------------------------------------ channels */

/*
 * Open a channel of info->type (the type-specific fields from info;
 * they are copied) with our window and maximum packet (0: the manager's
 * defaults).  The channel waits for the peer's answer
 * (ops->open_result).  Data queued or descriptors set before that wait
 * for the confirmation.
 */
int chan_open(struct channels *c, const struct chan_open_info *info,
    uint32_t window, uint32_t max_packet, const struct chan_ops *ops,
    void *ctx, struct channel **chp)
    __attribute__((__warn_unused_result__));
/* Answer an incoming open: accept, or refuse with an RFC 4254 reason. */
int chan_open_confirm(struct channel *ch)
    __attribute__((__warn_unused_result__));
int chan_open_refuse(struct channel *ch, uint32_t reason,
    const char *description)
    __attribute__((__warn_unused_result__));
/*
 * Our window and maximum packet for an incoming channel, before
 * chan_open_confirm() (0: keep the default).
 */
int chan_set_window(struct channel *ch, uint32_t window,
    uint32_t max_packet)
    __attribute__((__warn_unused_result__));
void chan_set_ops(struct channel *ch, const struct chan_ops *ops,
    void *ctx);

/*
 * Send a channel request (session.h's struct) on an open channel; EOF in
 * either direction does not matter, CLOSE does (ERR_INVALID_ARGUMENT).
 * With want_reply, cb (may be NULL) gets the answer.
 */
int chan_send_request(struct channel *ch, const struct chan_request *req,
    chan_reply_fn *cb, void *ctx)
    __attribute__((__warn_unused_result__));

/*
 * Queue bytes to send as DATA (ext 0) or stderr EXTENDED_DATA (ext 1),
 * in addition to what the descriptors give.  Fails with
 * ERR_NO_BUFFER_SPACE past an internal cap, ERR_INVALID_ARGUMENT once
 * EOF or CLOSE was sent.
 */
int chan_queue_data(struct channel *ch, int ext, const void *data,
    size_t len)
    __attribute__((__warn_unused_result__));
/*
 * No more local data: stop reading (the descriptors' read sides are
 * released), send what is queued, then EOF.
 */
int chan_send_eof(struct channel *ch)
    __attribute__((__warn_unused_result__));
/*
 * Close now: stop reading and writing (pending bytes are dropped), send
 * CLOSE; the channel is freed when the peer's CLOSE arrives.
 */
int chan_close(struct channel *ch)
    __attribute__((__warn_unused_result__));
/*
 * While held, the channel does not start a CLOSE by itself once both
 * directions are done (sshd holds a session until it has sent
 * exit-status).  It still answers the peer's CLOSE.
 */
void chan_hold_close(struct channel *ch, int hold);

uint32_t chan_self(const struct channel *ch);	/* our id */
uint32_t chan_peer(const struct channel *ch);	/* the peer's id */
enum chan_type chan_get_type(const struct channel *ch);
void *chan_ctx(const struct channel *ch);
struct channels *chan_manager(const struct channel *ch);
/* Names of channel types ("session", ...); NULL if out of range. */
const char *chan_type_name(enum chan_type t);

/* Predicates (0/1). */
int chan_is_open(const struct channel *ch);	/* confirmed, no CLOSE */
int chan_eof_sent(const struct channel *ch);
int chan_eof_rcvd(const struct channel *ch);
int chan_close_sent(const struct channel *ch);
int chan_close_rcvd(const struct channel *ch);

/* Window state, for the owner's logs and for tests. */
uint32_t chan_local_window(const struct channel *ch);
uint32_t chan_remote_window(const struct channel *ch);
uint32_t chan_remote_max_packet(const struct channel *ch);

/* ------------------------------------------------------------ fd I/O */

/* What the efd of a channel does (chan_set_fds). */
enum chan_ext {
	CHAN_EXT_IGNORE = 0,	/* no efd; incoming stderr data dropped */
	CHAN_EXT_READ,		/* read efd, send as stderr (sshd) */
	CHAN_EXT_WRITE		/* write incoming stderr data to efd (ssh) */
};

/* chan_set_fds flags */
#define CHAN_FD_NONBLOCK	0x01	/* set O_NONBLOCK on every fd */

/*
 * Attach local descriptors, once: data read from rfd goes out as DATA,
 * incoming DATA is written to wfd, efd as ext says.  The channel owns the
 * descriptors from here (it closes them; rfd, wfd and efd may be the
 * same descriptor, e.g. a socket or a pty, and it is closed once, with
 * shutdown(2) of the finished direction first).  rfd -1: nothing to
 * read (EOF is sent once queued data is out); wfd -1: incoming data is
 * dropped (its window is given back).  Until this is called, incoming
 * data is kept (within the window) and nothing is read.
 */
int chan_set_fds(struct channel *ch, int rfd, int wfd, int efd,
    enum chan_ext ext, int flags)
    __attribute__((__warn_unused_result__));

/* An upper bound of the pollfd slots chan_poll_prepare() may fill. */
size_t chan_poll_count(const struct channels *c);
/*
 * Fill pfd[0..n) with the descriptors channels want to read or write;
 * returns how many slots were used.  Channels that do not fit wait for
 * the next turn.
 */
size_t chan_poll_prepare(struct channels *c, struct pollfd *pfd, size_t n);
/*
 * Act on the results of poll(2) over the slots the last
 * chan_poll_prepare() filled (the same pfd and n it returned): read,
 * write, then chan_output().  Local I/O errors end the channel's
 * direction, never the connection.
 */
int chan_poll_handle(struct channels *c, const struct pollfd *pfd, size_t n)
    __attribute__((__warn_unused_result__));

#endif /* KEEL_CHANNELS_CHANNEL_H */
