/*
 * session.h: session channel requests (RFC 4254 section 6 and OpenSSH's
 * PROTOCOL): their parsed form, codec and which side may receive them.
 *
 * The manager (channel.h) parses every CHANNEL_REQUEST with
 * chan_req_parse(), refuses those this side does not take, and hands the
 * rest to the channel's ops->request.  chan_send_request() encodes with
 * chan_req_put().
 */
#ifndef KEEL_CHANNELS_SESSION_H
#define KEEL_CHANNELS_SESSION_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#include "channels/channel.h"

struct buf;

enum chan_req_type {
	CHAN_REQ_OTHER = 0,	/* not one we know; name in other_name */
	CHAN_REQ_PTY,		/* pty-req */
	CHAN_REQ_X11,		/* x11-req */
	CHAN_REQ_ENV,		/* env */
	CHAN_REQ_SHELL,		/* shell */
	CHAN_REQ_EXEC,		/* exec */
	CHAN_REQ_SUBSYSTEM,	/* subsystem */
	CHAN_REQ_WINDOW_CHANGE,	/* window-change */
	CHAN_REQ_XON_XOFF,	/* xon-xoff */
	CHAN_REQ_SIGNAL,	/* signal */
	CHAN_REQ_EXIT_STATUS,	/* exit-status */
	CHAN_REQ_EXIT_SIGNAL,	/* exit-signal */
	CHAN_REQ_BREAK,		/* break (RFC 4335) */
	CHAN_REQ_AGENT,		/* auth-agent-req@openssh.com */
	CHAN_REQ_MAX
};

/*
 * One channel request.  A parsed request owns its strings (freed by
 * chan_req_clear()); one given to chan_req_put()/chan_send_request() is
 * only read.  Strings are NUL-free; the terminal modes are opaque bytes
 * (RFC 4254 section 8; ttymodes decodes them).
 */
struct chan_request {
	enum chan_req_type type;
	int want_reply;
	char *other_name;	/* CHAN_REQ_OTHER */
	union {
		struct {
			char *term;	/* TERM value */
			uint32_t cols, rows, width, height; /* chars, px */
			u_char *modes;	/* encoded terminal modes */
			size_t modes_len;
		} pty;
		struct {
			int single;	/* single connection */
			char *proto;	/* e.g. MIT-MAGIC-COOKIE-1 */
			char *cookie;	/* hex */
			uint32_t screen;
		} x11;
		struct {
			char *name, *value;
		} env;
		struct {
			char *command;
		} exec;
		struct {
			char *name;
		} subsystem;
		struct {
			uint32_t cols, rows, width, height;
		} winch;
		struct {
			int client_can_do;
		} xon_xoff;
		struct {
			char *name;	/* without "SIG", e.g. "TERM" */
		} signal;
		struct {
			uint32_t status;
		} exit_status;
		struct {
			char *name;	/* without "SIG" */
			int core_dumped;
			char *message, *lang;
		} exit_signal;
		struct {
			uint32_t ms;	/* break length */
		} brk;
	} u;
};

/* The wire name of a request type; NULL for OTHER or out of range. */
const char *chan_req_name(enum chan_req_type t);

/*
 * Parse "string request, boolean want-reply, type-specific fields" from
 * b into *req (cleared first), consuming b to its end: a known request
 * with bytes left over is ERR_UNEXPECTED_TRAILING_DATA; the fields of an
 * unknown request are skipped.  On failure *req holds nothing.
 */
int chan_req_parse(struct buf *b, struct chan_request *req)
    __attribute__((__warn_unused_result__));
/* Append the encoding of req (not OTHER) to b. */
int chan_req_put(struct buf *b, const struct chan_request *req)
    __attribute__((__warn_unused_result__));
/* Free a parsed request's strings and zero it. */
void chan_req_clear(struct chan_request *req);

/*
 * 1 if this side takes request t on a channel of type ct: servers take
 * pty-req, x11-req, env, shell, exec, subsystem, window-change, signal,
 * break and auth-agent-req@openssh.com; clients take exit-status,
 * exit-signal and xon-xoff; all on session channels only.  Others are
 * refused without reaching the owner.
 */
int chan_req_allowed(enum chan_req_type t, int is_server,
    enum chan_type ct);

#endif /* KEEL_CHANNELS_SESSION_H */
