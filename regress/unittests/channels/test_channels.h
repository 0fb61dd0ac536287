/* Shared pieces of the channels unit tests. */
#ifndef KEEL_TEST_CHANNELS_H
#define KEEL_TEST_CHANNELS_H

#include <stdint.h>

#include "channels/channel.h"
#include "channels/forward.h"
#include "channels/session.h"

struct buf;

/* A queue of sent messages (the wire between two managers). */
struct tmsg {
	uint8_t type;
	struct buf *b;
	struct tmsg *next;
};

struct tq {
	struct tmsg *head, **tail;
	size_t n;
};

void tq_init(struct tq *q);
void tq_clear(struct tq *q);
/* The send callback of struct chan_config: ctx is a struct tq. */
int tq_send(void *ctx, uint8_t type, const struct buf *payload);
/* Oldest message, or NULL; the caller frees it with tmsg_free. */
struct tmsg *tq_pop(struct tq *q);
void tmsg_free(struct tmsg *m);
/* Pop messages until one of type; NULL if none (all popped freed). */
struct tmsg *tq_find(struct tq *q, uint8_t type);
/* As tq_find, freeing what it found: 1 if there was one. */
int tq_has(struct tq *q, uint8_t type);

/*
 * Build a payload from fmt: 'u' uint32, 'b' byte, 's' C string (as an
 * SSH string), 'd' (pointer, size_t) bytes as an SSH string, 'r'
 * (pointer, size_t) raw bytes.
 */
struct buf *mk(const char *fmt, ...);

/*
 * One manager with its peer faked by the test: messages it sends are
 * captured in out; the test injects the peer's.
 */
struct fake {
	struct channels *c;
	struct tq out;
	int is_server;
	int defer_open;		/* leave incoming opens pending */
	int refuse_requests;	/* request callback answers 0 */
	struct channel *last;	/* last channel opened either way */
	struct chan_open_info last_info; /* its open info (copy) */
	int nrequests;		/* requests the owner saw */
	struct chan_request lastreq; /* copy of scalar fields only */
	int nreplies, last_reply;
	int ngreplies, last_greply;
	uint32_t last_bound;
	int nclosed, neof, nopen_results, last_open_ok;
	uint32_t last_reason;
	int nglobal;
	int greq_answer;	/* what the global handler answers */
	uint32_t bind_port;	/* port the global handler "binds" */
	struct fwd_perms *perms;
};

extern const struct chan_ops fake_ops;

struct fake *fake_new(int is_server, uint32_t window, uint32_t maxpack);
/* A server fake whose permit hooks check a list of these entries. */
struct fake *fake_new_perms(const char *const *specs);
void fake_free(struct fake *f);
/* Inject a message (the payload is freed); chan_input's result. */
int fake_in(struct fake *f, uint8_t type, struct buf *payload);
/* Server side: the peer opens a session (peer id 7); our id. */
uint32_t fake_peer_open(struct fake *f, uint32_t window, uint32_t maxpack);
/* We open a session which the peer confirms (peer id 9); our id. */
uint32_t fake_our_open(struct fake *f, uint32_t window, uint32_t maxpack);

void test_channels_codec(void);
void test_channels_flow(void);
void test_channels_bad(void);
void test_channels_trunc(void);

#endif
