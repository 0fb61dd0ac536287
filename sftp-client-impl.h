/*
 * sftp-client-impl.h: what the files of the SFTP client library share
 * (sftp-client.c: connection and requests; sftp-client-xfer.c: pipelined
 * transfers; sftp-client-dir.c: trees; sftp-glob.c: remote globbing).
 * Not for programs: they use sftp-client.h.
 */
#ifndef KEEL_SFTP_CLIENT_IMPL_H
#define KEEL_SFTP_CLIENT_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "sftp-client.h"

struct buf;

/* Queued request bytes that make us write before queueing more. */
#define SFTPC_OBUF_FLUSH	(256 * 1024)
/* Bytes asked of read(2) at a time. */
#define SFTPC_READ_CHUNK	(128 * 1024)
/* Requests in flight are capped here whatever -R says. */
#define SFTPC_MAX_NUM_REQUESTS	4096

/* A token bucket of sorts: bytes moved since a start time. */
struct sftpc_bwlimit {
	uint64_t	start_ms;
	uint64_t	bytes;
};

struct sftp_conn {
	int		fd_in;
	int		fd_out;
	uint32_t	version;
	unsigned int	exts;
	size_t		buflen;
	size_t		num_requests;
	uint64_t	limit_kbps;
	volatile sig_atomic_t *interrupted;
	uint32_t	next_id;
	uint32_t	last_status;
	char		status_msg[256];	/* of the last STATUS */
	int		dead;
	struct buf	*obuf;		/* framed requests not yet written */
	struct buf	*ibuf;		/* bytes read, not yet taken */
	struct buf	*msg;		/* the request being built */
	struct sftpc_bwlimit bw_in;
	struct sftpc_bwlimit bw_out;
};

/*
 * A reply packet: b is a read-only view of its bytes after the type and
 * id (the fields), valid until sftpc_reply_done().  For VERSION there is
 * no id (id is 0).
 */
struct sftpc_reply {
	struct buf	*b;
	uint8_t		type;
	uint32_t	id;
	size_t		framelen;
};

/*
 * Start a request of type in conn->msg: type and a fresh id (*idp).
 * The caller appends the fields to conn->msg, then sftpc_queue().
 * sftpc_start_ext() does the same for EXTENDED with the request name.
 */
int sftpc_start(struct sftp_conn *conn, uint8_t type, uint32_t *idp)
    __attribute__((__warn_unused_result__));
int sftpc_start_ext(struct sftp_conn *conn, const char *name, uint32_t *idp)
    __attribute__((__warn_unused_result__));
/* Frame conn->msg into the output (writing when a lot is queued). */
int sftpc_queue(struct sftp_conn *conn)
    __attribute__((__warn_unused_result__));
/*
 * Frame conn->msg followed by data as an SSH string (WRITE's last
 * field) into the output, copying data only once.
 */
int sftpc_queue_data(struct sftp_conn *conn, const void *data, size_t len)
    __attribute__((__warn_unused_result__));
/*
 * As sftpc_queue_data with the data read from fd at offset (pread):
 * *gotp is len when it was queued, 0 when the file gave fewer bytes
 * (nothing queued, conn->msg kept: the caller reads it another way).
 * ERR_ERRNO for a failed read.
 */
int sftpc_queue_data_fd(struct sftp_conn *conn, int fd, uint64_t offset,
    size_t len, size_t *gotp) __attribute__((__warn_unused_result__));
/* Write everything queued (reading replies meanwhile). */
int sftpc_flush(struct sftp_conn *conn)
    __attribute__((__warn_unused_result__));
/*
 * Write what is queued and wait for the next reply; *rep gets it.
 * Release it with sftpc_reply_done() before any other call on conn.
 */
int sftpc_recv(struct sftp_conn *conn, struct sftpc_reply *rep)
    __attribute__((__warn_unused_result__));
/* As sftpc_recv, failing (connection dead) if the reply is not for id. */
int sftpc_recv_id(struct sftp_conn *conn, uint32_t id,
    struct sftpc_reply *rep) __attribute__((__warn_unused_result__));
void sftpc_reply_done(struct sftp_conn *conn, struct sftpc_reply *rep);
/* 1 if some reply bytes are already buffered (no wait needed). */
int sftpc_reply_ready(const struct sftp_conn *conn);

/* Mark the connection dead and return r (the reason). */
int sftpc_fail(struct sftp_conn *conn, int r);
/*
 * Read the fields of a STATUS reply (code, message, language: the last
 * two optional as in OpenSSH) into *codep.
 */
int sftpc_parse_status(struct sftp_conn *conn, struct sftpc_reply *rep,
    uint32_t *codep) __attribute__((__warn_unused_result__));
/*
 * A failure status turned into the library's result: remember it, set
 * errno, return ERR_ERRNO.  (The message is the caller's to log.)
 */
int sftpc_status_error(struct sftp_conn *conn, uint32_t code);
/*
 * Wait for the STATUS answering id: 0 for OK; otherwise log
 * "<what>: <status text>" (at debug level when quiet) and fail.
 */
int sftpc_expect_ok(struct sftp_conn *conn, uint32_t id, int quiet,
    const char *what) __attribute__((__warn_unused_result__));
/* Wait for a HANDLE reply to id (a STATUS is logged as above). */
int sftpc_expect_handle(struct sftp_conn *conn, uint32_t id, int quiet,
    const char *what, struct sftpc_handle *h)
    __attribute__((__warn_unused_result__));
/* Append a handle as an SSH string. */
int sftpc_put_handle(struct buf *b, const struct sftpc_handle *h)
    __attribute__((__warn_unused_result__));
/* 1 if the caller's interrupt flag is up. */
int sftpc_interrupted(const struct sftp_conn *conn);
/* Account bytes moved for the -l limit and sleep when ahead of it. */
void sftpc_bwlimit(struct sftp_conn *conn, struct sftpc_bwlimit *bw,
    size_t bytes);

/* OPEN logging a failure as "<what>: <status text>". */
int sftpc_open_as(struct sftp_conn *conn, const char *path, uint32_t pflags,
    const struct sftp_attrs *a, struct sftpc_handle *h, const char *what)
    __attribute__((__warn_unused_result__));

/* Dirent helpers. */
int sftpc_dirent_new(const char *filename, const char *longname,
    const struct sftp_attrs *a, struct sftpc_dirent **entp)
    __attribute__((__warn_unused_result__));
void sftpc_dirent_free(struct sftpc_dirent *ent);
/* Append ent to the array (*entsp, *nentsp, capacity *capp). */
int sftpc_dirents_append(struct sftpc_dirent ***entsp, size_t *nentsp,
    size_t *capp, struct sftpc_dirent *ent)
    __attribute__((__warn_unused_result__));

/* Notify the caller's event hook, if any. */
void sftpc_notify(const struct sftpc_xfer *x, enum sftpc_event ev,
    const char *src, const char *dst, uint64_t size, uint64_t done);

#endif /* KEEL_SFTP_CLIENT_IMPL_H */
