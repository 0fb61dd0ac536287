/*
 * sftp-server.h: the SFTP server, as a program (sftp-server) and as
 * sshd's internal-sftp.
 *
 * The request engine works on buffers only: sftp_server_process() takes
 * the bytes a client sent and appends the replies, so the same code runs
 * under the program's poll loop, inside sshd, in unit tests and under the
 * fuzzer.  The engine is library code: it never exits; a malformed packet
 * makes sftp_server_process() fail and the caller ends the session.
 */
#ifndef KEEL_SFTP_SERVER_H
#define KEEL_SFTP_SERVER_H

#include <stddef.h>

struct buf;
struct passwd;
struct sftp_server;

struct sftp_server_config {
	int readonly;			/* -R: refuse every change */
	const char *denylist;		/* -P: request names, or NULL */
	const char *allowlist;		/* -p: request names, or NULL */
	const char *user;		/* for log lines, or NULL */
	size_t max_handles;		/* 0: from RLIMIT_NOFILE */
};

/*
 * Replies are appended only while the output holds at most this many
 * bytes, so a caller that drains its output to below it always has room
 * for one more reply (at most SFTP_MAX_PACKET + 4 bytes).  Kept about a
 * pipe's worth: a deeper queue only costs memory (a READ's data is read
 * straight into it), since the client paces the requests anyway.
 */
#define SFTP_SERVER_OUT_HIGHWATER	(64 * 1024)

/*
 * A new server for one session; the config's strings are copied.
 * 0, ERR_ALLOC_FAIL or ERR_INVALID_ARGUMENT.
 */
int sftp_server_new(const struct sftp_server_config *cfg,
    struct sftp_server **sp) __attribute__((__warn_unused_result__));
/* Close every handle still open (logging each) and free; NULL is a no-op. */
void sftp_server_free(struct sftp_server *s);

/*
 * Consume every complete packet at the front of in, appending the
 * replies to out, while out holds at most SFTP_SERVER_OUT_HIGHWATER
 * bytes.  An incomplete packet is left in in for later.  0 if the session
 * goes on; a negative ERR_* code (already logged) if it must end: a
 * malformed or oversized packet, a request before INIT, a second INIT, or
 * an internal failure.
 */
int sftp_server_process(struct sftp_server *s, struct buf *in,
    struct buf *out) __attribute__((__warn_unused_result__));

/* The name of request i (as -P, -p and -Q use them); NULL past the end. */
const char *sftp_server_request_name(size_t i);

/*
 * The whole server: parse argv (sftp-server(8) options), serve stdin and
 * stdout until the client closes, return the exit status.  pw is the
 * user the session runs as.  sshd calls it for internal-sftp.
 */
int sftp_server_main(int argc, char **argv, struct passwd *pw);

#endif /* KEEL_SFTP_SERVER_H */
