/*
 * dispatch.h: the per-connection table of message handlers (STYLE.md
 * rule 14).
 *
 * Each connection has one 256-entry table indexed by message type.  Each
 * protocol phase arms exactly the handlers it accepts; every other entry
 * answers "unexpected": SSH_MSG_UNIMPLEMENTED (RFC 4253 section 11.4), or
 * a disconnect while strict KEX forbids anything unexpected.  The key
 * exchange owns SSH_MSG_EXT_INFO and types 20-49 (kex.c arms them); the
 * transport messages 1-4 and PING/PONG never reach the table (packet.c).
 *
 * A handler reads the message from packet_payload() and returns 0 or a
 * negative ERR_* code; on an error the dispatcher ends the connection
 * with packet_fail() (a DISCONNECT with the reason that fits the error),
 * unless the handler already disconnected.
 */
#ifndef KEEL_DISPATCH_H
#define KEEL_DISPATCH_H

#include <signal.h>
#include <stdint.h>

struct dispatch;
struct ssh;

typedef int dispatch_fn(int type, uint32_t seqnr, struct ssh *ssh);

/*
 * A new table (packet_new() makes the connection's) with every entry set
 * to dispatch_unexpected.
 */
int dispatch_new(struct dispatch **dp) must_check;
/* Free it (packet_free() does this). */
void dispatch_free(struct dispatch *d);

/* Arm fn (NULL: dispatch_unexpected) for type / for types lo..hi. */
void dispatch_set(struct ssh *ssh, int type, dispatch_fn *fn);
void dispatch_range(struct ssh *ssh, u_int lo, u_int hi, dispatch_fn *fn);
/*
 * Disarm every application entry (all types but EXT_INFO and 20-49):
 * the start of a new phase.
 */
void dispatch_reset_app(struct ssh *ssh);
/* The handler armed for type (never NULL). */
dispatch_fn *dispatch_get(struct ssh *ssh, int type);

/* Call the handler armed for type on the current message. */
int dispatch_call(struct ssh *ssh, int type, uint32_t seqnr) must_check;

/*
 * Read and dispatch every complete message the input holds, stopping
 * early once *done becomes non-zero (done may be NULL).  0 when the input
 * is used up (or done), or the error that ended the connection.
 */
int dispatch_run(struct ssh *ssh, volatile sig_atomic_t *done) must_check;
/*
 * The same driving the descriptors (packet_set_fds()): flush, read,
 * dispatch until *done; timeout_ms bounds each wait for input (-1: none;
 * ERR_CONN_TIMEOUT when it passes).
 */
int dispatch_run_fd(struct ssh *ssh, volatile sig_atomic_t *done,
    int timeout_ms) must_check;

/*
 * Stock handlers.  dispatch_unexpected: SSH_MSG_UNIMPLEMENTED with the
 * sequence number (a disconnect during a strict initial KEX);
 * dispatch_protocol_error: disconnect with PROTOCOL_ERROR ("unexpected
 * message"); dispatch_ignore: drop the message.
 */
int dispatch_unexpected(int type, uint32_t seqnr, struct ssh *ssh);
int dispatch_protocol_error(int type, uint32_t seqnr, struct ssh *ssh);
int dispatch_ignore(int type, uint32_t seqnr, struct ssh *ssh);

#endif /* KEEL_DISPATCH_H */
