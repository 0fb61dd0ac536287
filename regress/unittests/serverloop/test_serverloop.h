/*
 * test_serverloop.h: server_loop_run() in a forked child over a
 * socketpair, and a client made of our packet layer and channel manager.
 */
#ifndef TEST_SERVERLOOP_H
#define TEST_SERVERLOOP_H

#include <sys/types.h>
#include <limits.h>
#include <stdint.h>

#include "channels/channel.h"
#include "channels/session.h"

struct buf;
struct ssh;

/* A connection to a server_loop_run() child. */
struct tc {
	pid_t pid;		/* the server */
	int fd;			/* our end */
	struct ssh *ssh;
	struct channels *c;
	int err;		/* first error of ours */
	int eof;		/* the server closed */
	int ngreplies, last_greply;
	uint32_t last_bound;	/* bound port of the last greply */
	struct ts *fwd_ts;	/* takes the next forwarded-tcpip open */
	int fwd_opened;
	char dir[PATH_MAX];	/* temp dir for channel files */
	u_int nfiles;
};

/* One client session channel; its data goes to files in tc->dir. */
struct ts {
	struct tc *tc;
	struct channel *ch;
	int open_state;		/* 0 pending, 1 open, -1 refused */
	uint32_t reason;
	int nreplies, last_reply;
	int have_status;
	uint32_t status;
	int have_signal;
	char signame[32];
	int core;
	int closed;
	char events[16];	/* 'E' eof, 'X' exit-status/signal, 'C' */
	size_t nev;
	char out[PATH_MAX], err[PATH_MAX];
};

/* Start a server with this sshd_config text; client keyed and ready. */
struct tc *tc_new(const char *config);
/* Hang up, reap the server; its exit status (0: clean). */
int tc_free(struct tc *tc);
/* One loop turn of the client (poll up to timeout_ms). */
void tc_step(struct tc *tc, int timeout_ms);
/* Turn until *flag becomes non-zero (bounded: fails after 30 s). */
void tc_until(struct tc *tc, const int *flag);
/* Turn for ms milliseconds. */
void tc_spin(struct tc *tc, int ms);
/* A global request of name; 1 accepted, 0 refused. */
int tc_global(struct tc *tc, const char *name);
/* (cancel-)tcpip-forward; 1 accepted (tc->last_bound), 0 refused. */
int tc_global_fwd(struct tc *tc, int cancel, const char *addr,
    uint32_t port);

/* Open a session; 1 opened, 0 refused (ts->reason set). */
int ts_open(struct tc *tc, struct ts *ts);
/* Open a channel of any type; as ts_open. */
int ts_open_info(struct tc *tc, struct ts *ts,
    const struct chan_open_info *info);
/* Attach files: stdin from in[0..inlen) (in NULL: none). */
void ts_fds(struct ts *ts, const void *in, size_t inlen);
/* Send a request with want-reply; 1 success, 0 failure. */
int ts_req(struct ts *ts, const struct chan_request *req);
int ts_exec(struct ts *ts, const char *cmd);
/* Wait until the channel has been closed and freed. */
void ts_wait(struct ts *ts);
/* The stdout / stderr the channel received (a new buffer). */
struct buf *ts_out(struct ts *ts);
struct buf *ts_err(struct ts *ts);
/* Whole run: open, files, exec, wait. */
void ts_run(struct tc *tc, struct ts *ts, const char *cmd, const void *in,
    size_t inlen);
/* Output as a C string (for short text). */
char *ts_outstr(struct ts *ts);

void test_serverloop_exec(void);
void test_serverloop_session(void);
void test_serverloop_conn(void);

#endif /* TEST_SERVERLOOP_H */
