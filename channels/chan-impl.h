/*
 * chan-impl.h: the insides of the channel manager, shared by the files
 * of channels/ only (channel.c, session.c, forward.c, fdio.c).
 *
 * Each channel runs two directions independently:
 *  - sending (rstate): bytes read from rfd/efd or queued by the owner go
 *    out as DATA/EXTENDED_DATA within the peer's window; once the local
 *    side is done (read EOF, chan_send_eof) and every byte is out,
 *    including stderr, EOF is sent;
 *  - receiving (wstate): DATA/EXTENDED_DATA within our window are written
 *    to wfd/efd; after the peer's EOF (or CLOSE) the buffers are written
 *    out and the descriptors' write sides released.
 * CLOSE is sent when both directions are done (unless held), or in
 * answer to the peer's CLOSE once what it sent before is written; the
 * channel is freed once both CLOSEs have crossed.
 */
#ifndef KEEL_CHANNELS_CHAN_IMPL_H
#define KEEL_CHANNELS_CHAN_IMPL_H

#include "channels/channel.h"

struct chan_request;

/* Bytes read ahead from a descriptor at most (per direction). */
#define CHAN_RBUF_MAX		65536
/* One read(2) at most. */
#define CHAN_READ_CHUNK		32768
/* Bytes the owner may queue with chan_queue_data() (per direction). */
#define CHAN_QUEUE_MAX		(4 * 1024 * 1024)
/* No pollfd slot. */
#define CHAN_NO_SLOT		((size_t)-1)

enum chan_state {
	CHAN_ST_OPENING,	/* we sent OPEN; no answer yet */
	CHAN_ST_PENDING,	/* the peer sent OPEN; not answered yet */
	CHAN_ST_OPEN,		/* confirmed both ways */
	CHAN_ST_DEAD		/* refused or failed; freed at collection */
};

enum chan_rstate {
	CHAN_R_OPEN,		/* reading / queueing */
	CHAN_R_DRAIN,		/* no more local data: send the rest, EOF */
	CHAN_R_CLOSED		/* EOF sent, or CLOSE crossed */
};

enum chan_wstate {
	CHAN_W_OPEN,		/* writing what arrives */
	CHAN_W_DRAIN,		/* peer's EOF/CLOSE: write the rest, release */
	CHAN_W_CLOSED		/* released; anything arriving is dropped */
};

/* A reply we wait for (FIFO: the peer answers in order). */
struct chan_reply {
	struct chan_reply *next;
	chan_reply_fn *cb;
	void *ctx;
};

struct chan_greply {
	struct chan_greply *next;
	enum chan_greq_type type;
	char *addr;		/* (cancel-)tcpip-forward */
	uint32_t port;
	chan_greply_fn *cb;
	void *ctx;
};

/* A remote forward the peer accepted (forwarded-tcpip opens for it). */
struct chan_rfwd {
	struct chan_rfwd *next;
	char *addr;
	uint32_t port;
};

struct channel {
	struct channels *mgr;
	uint32_t self;		/* our id: index in mgr->tab */
	uint32_t peer;		/* the peer's id */
	enum chan_type type;
	enum chan_state state;
	enum chan_rstate rstate;
	enum chan_wstate wstate;
	const struct chan_ops *ops;
	void *ctx;

	int eof_sent, eof_rcvd, close_sent, close_rcvd;
	int hold_close;		/* chan_hold_close */
	int close_wanted;	/* chan_close while OPENING */

	/* Our window: what the peer may still send, and its ceiling. */
	uint32_t lwin, lwin_max, lmaxpack;
	uint32_t lconsumed;	/* written/dropped, not yet given back */
	/* The peer's window and maximum packet. */
	uint32_t rwin, rmaxpack;

	int attached;		/* chan_set_fds done */
	int rfd, wfd, efd;
	enum chan_ext ext;
	int efd_rdone;		/* EXT_READ: efd at EOF / released */
	int efd_wdone;		/* EXT_WRITE: efd failed / released */
	struct buf *ibuf;	/* to send as DATA */
	struct buf *ebuf_in;	/* to send as stderr EXTENDED_DATA */
	struct buf *obuf;	/* DATA received, to write to wfd */
	struct buf *ebuf_out;	/* stderr received, to write to efd */

	struct chan_reply *replies, **replies_tail;

	/* Slots of the last chan_poll_prepare (valid if epoch matches). */
	unsigned int poll_epoch;
	size_t slot_r, slot_w, slot_er, slot_ew;
};

struct channels {
	struct chan_config cfg;
	struct channel **tab;	/* by our id; NULL: free */
	size_t tab_alloc;
	size_t nlive;
	int err;		/* sticky failure */
	char errmsg[256];
	int throttled;
	int in_cb;		/* depth of owner callbacks */
	int need_gc;		/* some channel may be finished */
	struct buf *msg;	/* outgoing message being built */
	u_char *rdbuf;		/* CHAN_READ_CHUNK bytes for read(2) */
	struct chan_greply *greplies, **greplies_tail;
	struct chan_rfwd *rfwds;
	unsigned int poll_epoch;
};

/* channel.c */
int chan_msg_start(struct channels *c)
    __attribute__((__warn_unused_result__));
int chan_msg_send(struct channels *c, uint8_t type)
    __attribute__((__warn_unused_result__));
int chan_bad_msg(struct channels *c, uint8_t type, int r)
    __attribute__((__warn_unused_result__));
const char *chan_msg_name(uint8_t type);
int chan_lookup(struct channels *c, uint8_t type, struct buf *b,
    struct channel **chp)
    __attribute__((__warn_unused_result__));
int chan_service(struct channel *ch)
    __attribute__((__warn_unused_result__));
void chan_consumed(struct channel *ch, size_t n);
void chan_drop_output(struct channel *ch, struct buf *b);
void chan_cb_enter(struct channels *c);
void chan_cb_leave(struct channels *c);

/* session.c */
int chan_input_request(struct channels *c, struct buf *b)
    __attribute__((__warn_unused_result__));
int chan_input_reply(struct channels *c, uint8_t type, struct buf *b)
    __attribute__((__warn_unused_result__));
void chan_replies_abort(struct channel *ch);

/* forward.c */
int chan_input_global_request(struct channels *c, struct buf *b)
    __attribute__((__warn_unused_result__));
int chan_input_global_reply(struct channels *c, uint8_t type,
    struct buf *b)
    __attribute__((__warn_unused_result__));
void chan_greplies_abort(struct channels *c);
void chan_rfwds_free(struct channels *c);
int chan_rfwd_match(const struct channels *c, const char *addr,
    uint32_t port);

/* fdio.c */
void chan_fds_close(struct channel *ch);
void chan_read_done(struct channel *ch);
void chan_efd_read_done(struct channel *ch);
void chan_write_check(struct channel *ch);

#endif /* KEEL_CHANNELS_CHAN_IMPL_H */
