/*
 * sftp-client-xfer.c: pipelined transfers of one file: download,
 * upload and crossload (server to server through us) (sftp-client.h).
 *
 * Reads: up to num_requests READs of buflen bytes are in flight; replies
 * come in any order and each is written at its own offset.  A short
 * reply is asked again for the rest; EOF is where the first READ got
 * the EOF status.  Writes: WRITEs are sent as the data comes, acks are
 * taken in any order.
 *
 * When a transfer fails, the destination is cut back to the longest
 * prefix known to be complete (the lowest offset of any request that
 * did not finish), so a partial file never holds data past a hole, and
 * reget/reput can go on from its size.
 */
#include "includes.h"

#include <sys/stat.h>
#include <sys/time.h>
#include <fcntl.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "sftp.h"
#include "sftp-common.h"
#include "sftp-client.h"
#include "sftp-client-impl.h"

/* One request in flight. */
struct xfer_req {
	uint32_t	id;
	uint64_t	offset;
	size_t		len;
};

/* The requests in flight on one connection (ids are looked up). */
struct xfer_queue {
	struct xfer_req	*reqs;
	size_t		 n;
	size_t		 cap;
};

/*
 * Where downloaded bytes go: a local descriptor, or WRITEs on another
 * connection (crossload).
 */
struct xfer_sink {
	int			 fd;		/* local, or -1 */
	const char		*name;		/* for messages */
	struct sftp_conn	*conn;		/* remote, or NULL */
	struct sftpc_handle	 h;
	struct xfer_queue	 q;		/* WRITEs in flight */
	uint64_t		 bad_from;	/* lowest failed offset */
	int			 error;		/* first failure, 0 if none */
	uint32_t		 status;	/* remote failure status */
	int			 saved_errno;	/* local failure errno */
};

/* A download in progress. */
struct xfer_dl {
	struct sftp_conn	*conn;
	struct sftpc_handle	 h;
	const char		*src;
	const char		*dst;
	uint64_t		 size;		/* expected (progress only) */
	uint64_t		 start;		/* resume offset */
	uint64_t		 next;		/* next offset to ask for */
	uint64_t		 eof_at;	/* first offset known at EOF */
	uint64_t		 bad_from;	/* lowest unfinished offset */
	uint64_t		 done;		/* bytes received */
	struct xfer_queue	 q;
	int			 stop;		/* no more requests */
	int			 error;		/* first failure */
	const struct sftpc_xfer	*x;
};

/* ------------------------------------------------------------ queue */

static int
xfer_queue_init(struct xfer_queue *q, size_t cap)
{
	memset(q, 0, sizeof(*q));
	if ((q->reqs = calloc(cap, sizeof(*q->reqs))) == NULL)
		return ERR_ALLOC_FAIL;
	q->cap = cap;
	return 0;
}

static void
xfer_queue_free(struct xfer_queue *q)
{
	free(q->reqs);
	memset(q, 0, sizeof(*q));
}

static void
xfer_queue_add(struct xfer_queue *q, uint32_t id, uint64_t offset,
    size_t len)
{
	/* Callers never add beyond cap (they check q->n < q->cap). */
	q->reqs[q->n].id = id;
	q->reqs[q->n].offset = offset;
	q->reqs[q->n].len = len;
	q->n++;
}

/* Take the request with id out of q into *req; 0 or -1 if unknown. */
static int
xfer_queue_take(struct xfer_queue *q, uint32_t id, struct xfer_req *req)
{
	size_t i;

	for (i = 0; i < q->n; i++) {
		if (q->reqs[i].id != id)
			continue;
		*req = q->reqs[i];
		q->reqs[i] = q->reqs[--q->n];
		return 0;
	}
	return -1;
}

/* Lowest offset still in flight, or limit if none is below it. */
static uint64_t
xfer_queue_lowest(const struct xfer_queue *q, uint64_t limit)
{
	size_t i;

	for (i = 0; i < q->n; i++)
		limit = MINIMUM(limit, q->reqs[i].offset);
	return limit;
}

/* ------------------------------------------------------------ sinks */

/* Record the first failure of a sink at offset. */
static void
sink_failed(struct xfer_sink *s, int r, uint64_t offset)
{
	s->bad_from = MINIMUM(s->bad_from, offset);
	if (s->error == 0)
		s->error = r;
}

/* Take one WRITE ack from the sink's connection (waiting for it). */
static int
sink_take_ack(struct xfer_sink *s)
{
	struct sftpc_reply rep;
	struct xfer_req req;
	uint32_t code;
	int r;

	if ((r = sftpc_recv(s->conn, &rep)) != 0)
		return r;
	if (rep.type != SSH2_FXP_STATUS ||
	    xfer_queue_take(&s->q, rep.id, &req) != 0) {
		error("Unexpected reply %u for id %u", rep.type, rep.id);
		sftpc_reply_done(s->conn, &rep);
		return sftpc_fail(s->conn, ERR_PROTOCOL_ERROR);
	}
	r = sftpc_parse_status(s->conn, &rep, &code);
	sftpc_reply_done(s->conn, &rep);
	if (r != 0)
		return r;
	if (code != SSH2_FX_OK) {
		if (s->error == 0)
			s->status = code;
		sink_failed(s, sftpc_status_error(s->conn, code), req.offset);
	}
	return 0;
}

/* Write len bytes at offset to the sink. */
static int
sink_write(struct xfer_sink *s, uint64_t offset, const u_char *p,
    size_t len)
{
	struct sftp_conn *c = s->conn;
	uint32_t id;
	ssize_t n;
	int r;

	if (s->error != 0) {
		sink_failed(s, s->error, offset);
		return 0;
	}
	if (c == NULL) {
		while (len > 0) {
			n = pwrite(s->fd, p, len, (off_t)offset);
			if (n == -1 && errno == EINTR)
				continue;
			if (n <= 0) {
				s->saved_errno = n == 0 ? ENOSPC : errno;
				sink_failed(s, ERR_ERRNO, offset);
				return 0;
			}
			p += n;
			len -= (size_t)n;
			offset += (uint64_t)n;
		}
		return 0;
	}
	/* Remote: make room in the queue first, then send the WRITE. */
	while (s->q.n >= s->q.cap)
		if ((r = sink_take_ack(s)) != 0)
			return r;
	if ((r = sftpc_start(c, SSH2_FXP_WRITE, &id)) != 0 ||
	    (r = sftpc_put_handle(c->msg, &s->h)) != 0 ||
	    (r = buf_put_u64(c->msg, offset)) != 0 ||
	    (r = sftpc_queue_data(c, p, len)) != 0)
		return r;
	xfer_queue_add(&s->q, id, offset, len);
	/* Take acks that are already here without waiting. */
	while (s->q.n > 0 && sftpc_reply_ready(c))
		if ((r = sink_take_ack(s)) != 0)
			return r;
	return 0;
}

/* Wait for every WRITE still in flight. */
static int
sink_drain(struct xfer_sink *s)
{
	int r;

	if (s->conn == NULL)
		return 0;
	while (s->q.n > 0) {
		if ((r = sink_take_ack(s)) != 0) {
			s->bad_from = xfer_queue_lowest(&s->q, s->bad_from);
			return r;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ download */

static int
dl_send_read(struct xfer_dl *d, uint64_t offset, size_t len)
{
	uint32_t id;
	int r;

	if ((r = sftpc_start(d->conn, SSH2_FXP_READ, &id)) != 0 ||
	    (r = sftpc_put_handle(d->conn->msg, &d->h)) != 0 ||
	    (r = buf_put_u64(d->conn->msg, offset)) != 0 ||
	    (r = buf_put_u32(d->conn->msg, (uint32_t)len)) != 0 ||
	    (r = sftpc_queue(d->conn)) != 0)
		return r;
	xfer_queue_add(&d->q, id, offset, len);
	return 0;
}

/*
 * Ask for more while there is room: up to the expected size plus one
 * READ at the end to see EOF; past the expected size (the file grew)
 * only one at a time.
 */
static int
dl_fill(struct xfer_dl *d)
{
	size_t buflen = d->conn->buflen;
	int r;

	while (!d->stop && d->q.n < d->q.cap && d->next < d->eof_at &&
	    (d->next <= d->size || d->q.n == 0)) {
		if ((r = dl_send_read(d, d->next, buflen)) != 0)
			return r;
		d->next += buflen;
	}
	return 0;
}

/* A STATUS answering READ req: EOF, or the end of the transfer. */
static int
dl_status(struct xfer_dl *d, struct sftpc_reply *rep,
    const struct xfer_req *req)
{
	uint32_t code;
	int r;

	r = sftpc_parse_status(d->conn, rep, &code);
	sftpc_reply_done(d->conn, rep);
	if (r != 0)
		return r;
	if (code == SSH2_FX_EOF) {
		d->eof_at = MINIMUM(d->eof_at, req->offset);
		return 0;
	}
	d->bad_from = MINIMUM(d->bad_from, req->offset);
	if (d->error == 0) {
		error("Couldn't read from remote file \"%s\" : %s",
		    d->src, sftpc_status_text(code));
		d->error = sftpc_status_error(d->conn, code);
	}
	d->stop = 1;
	return 0;
}

/* DATA answering req: hand it to the sink, ask again for a short read. */
static int
dl_data(struct xfer_dl *d, struct sftpc_reply *rep,
    const struct xfer_req *req, struct xfer_sink *sink)
{
	const u_char *data;
	size_t len;
	int r;

	if ((r = buf_get_string_direct(rep->b, &data, &len)) != 0 ||
	    buf_len(rep->b) != 0 || len > req->len) {
		error("Received bad data packet (%zu bytes for %zu)",
		    len, req->len);
		sftpc_reply_done(d->conn, rep);
		return sftpc_fail(d->conn, ERR_PROTOCOL_ERROR);
	}
	if (len == 0) {
		/* Nothing at offset: as good as EOF there. */
		sftpc_reply_done(d->conn, rep);
		d->eof_at = MINIMUM(d->eof_at, req->offset);
		return 0;
	}
	r = sink_write(sink, req->offset, data, len);
	sftpc_reply_done(d->conn, rep);
	if (r != 0)
		return r;
	if (sink->error != 0) {
		d->stop = 1;
		return 0;
	}
	d->done += len;
	sftpc_notify(d->x, SFTPC_EV_PROGRESS, d->src, d->dst, d->size,
	    d->start + d->done);
	if (len < req->len && req->offset + len < d->eof_at) {
		if (d->stop)
			d->bad_from = MINIMUM(d->bad_from, req->offset + len);
		else if ((r = dl_send_read(d, req->offset + len,
		    req->len - len)) != 0)
			return r;
	}
	return 0;
}

/* Take one READ reply. */
static int
dl_take_reply(struct xfer_dl *d, struct xfer_sink *sink)
{
	struct sftpc_reply rep;
	struct xfer_req req;
	int r;

	if ((r = sftpc_recv(d->conn, &rep)) != 0)
		return r;
	if (xfer_queue_take(&d->q, rep.id, &req) != 0) {
		error("Unexpected reply %u", rep.id);
		sftpc_reply_done(d->conn, &rep);
		return sftpc_fail(d->conn, ERR_PROTOCOL_ERROR);
	}
	if (rep.type == SSH2_FXP_STATUS)
		return dl_status(d, &rep, &req);
	if (rep.type == SSH2_FXP_DATA)
		return dl_data(d, &rep, &req, sink);
	error("Expected SSH2_FXP_DATA(%u) packet, got %u",
	    SSH2_FXP_DATA, rep.type);
	sftpc_reply_done(d->conn, &rep);
	return sftpc_fail(d->conn, ERR_PROTOCOL_ERROR);
}

/*
 * The READ loop: returns 0 when every request is answered (d->error
 * and the sink tell whether all went well), or a connection failure.
 */
static int
dl_loop(struct xfer_dl *d, struct xfer_sink *sink)
{
	int r;

	for (;;) {
		if (sftpc_interrupted(d->conn) && !d->stop) {
			d->stop = 1;
			d->bad_from = MINIMUM(d->bad_from, d->next);
			if (d->error == 0)
				d->error = ERR_INTERRUPTED;
		}
		if ((r = dl_fill(d)) != 0)
			break;
		if (d->q.n == 0)
			return 0;
		if ((r = dl_take_reply(d, sink)) != 0)
			break;
	}
	/* The connection broke: nothing in flight will be answered. */
	d->bad_from = xfer_queue_lowest(&d->q, d->bad_from);
	d->bad_from = MINIMUM(d->bad_from, d->next);
	return r;
}

/*
 * Pump a download from d (already open) into sink.  The result is the
 * first failure; *completep is set if every byte up to EOF arrived, and
 * *goodp to the length of the prefix that is surely complete.
 */
static int
dl_run(struct xfer_dl *d, struct xfer_sink *sink, int *completep,
    uint64_t *goodp)
{
	int r;

	*completep = 0;
	d->next = d->start;
	d->eof_at = UINT64_MAX;
	d->bad_from = UINT64_MAX;
	sink->bad_from = UINT64_MAX;
	if ((r = xfer_queue_init(&d->q, d->conn->num_requests)) != 0)
		return r;
	r = dl_loop(d, sink);
	if (sink->conn != NULL) {
		int r2 = sink_drain(sink);

		if (r == 0)
			r = r2;
	}
	if (r == 0)
		r = d->error;
	if (r == 0)
		r = sink->error;
	*goodp = MINIMUM(MINIMUM(d->bad_from, sink->bad_from), d->eof_at);
	*goodp = MINIMUM(*goodp, d->next);
	if (r == 0 && d->eof_at != UINT64_MAX)
		*completep = 1;
	xfer_queue_free(&d->q);
	return r;
}

/* ------------------------------------------------------------ helpers */

/* The permission bits a new local/remote file is created with. */
static mode_t
xfer_create_mode(const struct sftp_attrs *a)
{
	if (a != NULL && (a->flags & SSH2_FILEXFER_ATTR_PERMISSIONS))
		return (mode_t)(a->perm & 07777);
	return 0666;
}

/* Set local times from a (preserve). */
static int
xfer_local_times(int fd, const char *path, const struct sftp_attrs *a)
{
	struct timeval tv[2];

	if (!(a->flags & SSH2_FILEXFER_ATTR_ACMODTIME))
		return 0;
	tv[0].tv_sec = (time_t)a->atime;
	tv[0].tv_usec = 0;
	tv[1].tv_sec = (time_t)a->mtime;
	tv[1].tv_usec = 0;
	if (futimes(fd, tv) == -1) {
		error("Can't set times on \"%s\": %s", path, strerror(errno));
		return ERR_ERRNO;
	}
	return 0;
}

/* Finish a local destination: mode, times, fsync (the last on success). */
static int
xfer_local_finish(int fd, const char *path, const struct sftp_attrs *a,
    const struct sftpc_xfer *x, int complete)
{
	mode_t mode = xfer_create_mode(a);
	int r = 0;

	if (x->preserve && (a->flags & SSH2_FILEXFER_ATTR_PERMISSIONS) &&
	    fchmod(fd, mode) == -1) {
		error("Couldn't set mode on \"%s\": %s", path,
		    strerror(errno));
		r = ERR_ERRNO;
	}
	if (complete && x->preserve && r == 0)
		r = xfer_local_times(fd, path, a);
	if (complete && x->fsync && fsync(fd) == -1) {
		error("Couldn't sync file \"%s\": %s", path, strerror(errno));
		r = ERR_ERRNO;
	}
	return r;
}

/* Open the local destination of a download; *startp gets the offset. */
static int
dl_open_local(const char *path, const struct sftp_attrs *a,
    const struct sftpc_xfer *x, int *fdp, uint64_t *startp)
{
	struct stat st;
	int fd;

	*fdp = -1;
	*startp = 0;
	/* Writable by us while we fill it; the real mode comes after. */
	fd = open(path, O_WRONLY | O_CREAT | (x->resume ? 0 : O_TRUNC),
	    (xfer_create_mode(a) & 0777) | S_IWUSR);
	if (fd == -1) {
		error("open local \"%s\": %s", path, strerror(errno));
		return ERR_ERRNO;
	}
	if (x->resume) {
		if (fstat(fd, &st) == -1) {
			error("stat local \"%s\": %s", path, strerror(errno));
			close(fd);
			return ERR_ERRNO;
		}
		if ((a->flags & SSH2_FILEXFER_ATTR_SIZE) &&
		    (uint64_t)st.st_size > a->size) {
			error("Unable to resume download of \"%s\": "
			    "local file is larger than remote", path);
			close(fd);
			return ERR_INVALID_ARGUMENT;
		}
		*startp = (uint64_t)st.st_size;
	}
	*fdp = fd;
	return 0;
}

/* Attributes of src for a transfer: the caller's, or STAT'ed now. */
static int
xfer_src_attrs(struct sftp_conn *conn, const char *path,
    const struct sftp_attrs *given, struct sftp_attrs *a)
{
	int r;

	if (given != NULL) {
		*a = *given;
		return 0;
	}
	if ((r = sftpc_stat(conn, path, 0, a)) != 0)
		return r;
	return 0;
}

/* Refuse to transfer a directory or other non-regular file. */
static int
xfer_check_regular(const struct sftp_attrs *a, const char *path)
{
	if ((a->flags & SSH2_FILEXFER_ATTR_PERMISSIONS) &&
	    !S_ISREG(a->perm)) {
		error("download %s: not a regular file", path);
		return ERR_INVALID_ARGUMENT;
	}
	return 0;
}

/* ------------------------------------------------------------ download */

/* The part of sftpc_download after both files are open. */
static int
dl_to_local(struct xfer_dl *d, int fd, const char *local_path,
    const struct sftp_attrs *a, const struct sftpc_xfer *x)
{
	struct xfer_sink sink;
	uint64_t good = 0;
	int r, r2, complete = 0;

	memset(&sink, 0, sizeof(sink));
	sink.fd = fd;
	sink.name = local_path;
	sftpc_notify(x, SFTPC_EV_FILE_START, d->src, d->dst, d->size,
	    d->start);
	r = dl_run(d, &sink, &complete, &good);
	sftpc_notify(x, SFTPC_EV_FILE_END, d->src, d->dst, d->size,
	    d->start + d->done);
	if (sink.error == ERR_ERRNO)
		error("write local \"%s\": %s", local_path,
		    strerror(sink.saved_errno));
	if (r == ERR_INTERRUPTED)
		error("Transfer of \"%s\" interrupted", d->src);
	/* Cut a failed or short download back to its good prefix. */
	if (!complete || good != d->eof_at) {
		if (ftruncate(fd, (off_t)MINIMUM(good, (uint64_t)INT64_MAX))
		    == -1)
			debug("ftruncate \"%s\": %s", local_path,
			    strerror(errno));
	} else if (ftruncate(fd, (off_t)d->eof_at) == -1) {
		error("truncate local \"%s\": %s", local_path,
		    strerror(errno));
		r = ERR_ERRNO;
	}
	r2 = xfer_local_finish(fd, local_path, a, x, complete && r == 0);
	if (r == 0)
		r = r2;
	if (r == 0 && !complete)
		r = ERR_INTERNAL;
	if (sink.error == ERR_ERRNO)
		errno = sink.saved_errno;
	return r;
}

int
sftpc_download(struct sftp_conn *conn, const char *remote_path,
    const char *local_path, const struct sftp_attrs *given,
    const struct sftpc_xfer *x)
{
	static const struct sftpc_xfer none;
	struct xfer_dl d;
	struct sftp_attrs a;
	char what[PATH_MAX + 32];
	int fd = -1, r, r2, opened = 0;

	if (x == NULL)
		x = &none;
	memset(&d, 0, sizeof(d));
	if ((r = xfer_src_attrs(conn, remote_path, given, &a)) != 0 ||
	    (r = xfer_check_regular(&a, remote_path)) != 0)
		return r;
	d.conn = conn;
	d.src = remote_path;
	d.dst = local_path;
	d.x = x;
	d.size = (a.flags & SSH2_FILEXFER_ATTR_SIZE) ? a.size : 0;
	snprintf(what, sizeof(what), "remote open \"%s\"", remote_path);
	if ((r = sftpc_open_as(conn, remote_path, SSH2_FXF_READ, NULL, &d.h,
	    what)) != 0)
		return r;
	opened = 1;
	if ((r = dl_open_local(local_path, &a, x, &fd, &d.start)) != 0)
		goto out;
	if (x->resume && d.start == d.size &&
	    (a.flags & SSH2_FILEXFER_ATTR_SIZE)) {
		/* Nothing to fetch; not an error. */
		error("File \"%s\" was not modified", local_path);
		goto out;
	}
	r = dl_to_local(&d, fd, local_path, &a, x);
 out:
	if (fd != -1 && close(fd) == -1 && r == 0) {
		error("close local \"%s\": %s", local_path, strerror(errno));
		r = ERR_ERRNO;
	}
	if (opened && !conn->dead && (r2 = sftpc_close(conn, &d.h)) != 0 &&
	    r == 0)
		r = r2;
	return r;
}

/* ------------------------------------------------------------ upload */

/* An upload in progress. */
struct xfer_ul {
	struct sftp_conn	*conn;
	struct sftpc_handle	 h;
	int			 fd;
	const char		*src;
	const char		*dst;
	uint64_t		 size;
	uint64_t		 start;
	uint64_t		 next;		/* next offset to send */
	uint64_t		 bad_from;
	struct xfer_queue	 q;
	u_char			*data;		/* one buflen of file data */
	int			 eof;
	int			 error;
	uint32_t		 status;
	const struct sftpc_xfer	*x;
};

/* Take one WRITE ack. */
static int
ul_take_ack(struct xfer_ul *u)
{
	struct sftpc_reply rep;
	struct xfer_req req;
	uint32_t code;
	int r;

	if ((r = sftpc_recv(u->conn, &rep)) != 0)
		return r;
	if (rep.type != SSH2_FXP_STATUS ||
	    xfer_queue_take(&u->q, rep.id, &req) != 0) {
		error("Unexpected reply %u for id %u", rep.type, rep.id);
		sftpc_reply_done(u->conn, &rep);
		return sftpc_fail(u->conn, ERR_PROTOCOL_ERROR);
	}
	r = sftpc_parse_status(u->conn, &rep, &code);
	sftpc_reply_done(u->conn, &rep);
	if (r != 0)
		return r;
	if (code != SSH2_FX_OK) {
		u->bad_from = MINIMUM(u->bad_from, req.offset);
		if (u->error == 0) {
			u->status = code;
			u->error = sftpc_status_error(u->conn, code);
		}
		return 0;
	}
	sftpc_notify(u->x, SFTPC_EV_PROGRESS, u->src, u->dst, u->size,
	    xfer_queue_lowest(&u->q, u->next));
	return 0;
}

/* Start the WRITE request for the block at u->next. */
static int
ul_start_write(struct xfer_ul *u, uint32_t *idp)
{
	int r;

	if ((r = sftpc_start(u->conn, SSH2_FXP_WRITE, idp)) != 0 ||
	    (r = sftpc_put_handle(u->conn->msg, &u->h)) != 0 ||
	    (r = buf_put_u64(u->conn->msg, u->next)) != 0)
		return r;
	return 0;
}

/*
 * Read the next block of the local file and send it: straight into the
 * output while the file is as long as it was, through a copy at its end
 * (EOF, or a file that changed size).
 */
static int
ul_send_next(struct xfer_ul *u)
{
	size_t buflen = u->conn->buflen, got = 0;
	uint32_t id;
	ssize_t n;
	int r;

	if (u->next < u->size) {
		if ((r = ul_start_write(u, &id)) != 0)
			return r;
		r = sftpc_queue_data_fd(u->conn, u->fd, u->next,
		    (size_t)MINIMUM(buflen, u->size - u->next), &got);
		if (r == ERR_ERRNO) {
			error("read local \"%s\": %s", u->src,
			    strerror(errno));
			u->bad_from = MINIMUM(u->bad_from, u->next);
			u->error = ERR_ERRNO;
			return 0;
		}
		if (r != 0)
			return r;
		if (got > 0) {
			xfer_queue_add(&u->q, id, u->next, got);
			u->next += got;
			return 0;
		}
		/* The file shrank: the id is spent, read it the slow way. */
	}
	do {
		n = pread(u->fd, u->data, buflen, (off_t)u->next);
	} while (n == -1 && errno == EINTR);
	if (n == -1) {
		error("read local \"%s\": %s", u->src, strerror(errno));
		u->bad_from = MINIMUM(u->bad_from, u->next);
		u->error = ERR_ERRNO;
		return 0;
	}
	if (n == 0) {
		u->eof = 1;
		return 0;
	}
	if ((r = ul_start_write(u, &id)) != 0 ||
	    (r = sftpc_queue_data(u->conn, u->data, (size_t)n)) != 0)
		return r;
	xfer_queue_add(&u->q, id, u->next, (size_t)n);
	u->next += (uint64_t)n;
	return 0;
}

/* The WRITE loop; 0 when all is sent and acked (u->error says how). */
static int
ul_loop(struct xfer_ul *u)
{
	int r;

	for (;;) {
		if (sftpc_interrupted(u->conn) && u->error == 0) {
			u->error = ERR_INTERRUPTED;
			u->bad_from = MINIMUM(u->bad_from, u->next);
		}
		while (u->error == 0 && !u->eof && u->q.n < u->q.cap)
			if ((r = ul_send_next(u)) != 0)
				goto broken;
		if (u->q.n == 0)
			return 0;
		if ((r = ul_take_ack(u)) != 0)
			goto broken;
	}
 broken:
	u->bad_from = xfer_queue_lowest(&u->q, u->bad_from);
	u->bad_from = MINIMUM(u->bad_from, u->next);
	return r;
}

/* Local source checks: a regular file; its attributes for the remote. */
static int
ul_open_local(const char *path, int *fdp, struct stat *st)
{
	int fd;

	*fdp = -1;
	if ((fd = open(path, O_RDONLY)) == -1) {
		error("open local \"%s\": %s", path, strerror(errno));
		return ERR_ERRNO;
	}
	if (fstat(fd, st) == -1) {
		error("fstat local \"%s\": %s", path, strerror(errno));
		close(fd);
		return ERR_ERRNO;
	}
	if (!S_ISREG(st->st_mode)) {
		error("local \"%s\" is not a regular file", path);
		close(fd);
		return ERR_INVALID_ARGUMENT;
	}
	*fdp = fd;
	return 0;
}

/* With resume: where the remote file ends (0 if it does not exist). */
static int
ul_resume_offset(struct xfer_ul *u, const char *remote_path)
{
	struct sftp_attrs ra;
	int r;

	u->start = 0;
	if ((r = sftpc_stat(u->conn, remote_path, 0, &ra)) != 0)
		return r;
	if (!(ra.flags & SSH2_FILEXFER_ATTR_SIZE))
		return 0;
	if (ra.size >= u->size) {
		error("resume \"%s\": destination file same size or larger",
		    u->src);
		return ERR_INVALID_ARGUMENT;
	}
	u->start = ra.size;
	return 0;
}

/* After the WRITEs: cut a failed upload back, set attrs, fsync. */
static int
ul_finish(struct xfer_ul *u, const struct stat *st, int r)
{
	struct sftp_attrs a;
	int r2;

	if (u->conn->dead)
		return r;
	if (r != 0 && u->bad_from < u->next) {
		/* Data may sit past a hole: keep only the good prefix. */
		sftp_attrs_clear(&a);
		a.flags = SSH2_FILEXFER_ATTR_SIZE;
		a.size = u->bad_from;
		if (sftpc_fsetstat(u->conn, &u->h, &a) != 0)
			debug("could not cut \"%s\" back", u->dst);
		return r;
	}
	if (r != 0)
		return r;
	if (u->x->preserve) {
		sftp_attrs_from_stat(st, &a);
		a.flags &= ~(uint32_t)(SSH2_FILEXFER_ATTR_SIZE |
		    SSH2_FILEXFER_ATTR_UIDGID);
		a.perm &= 07777;
		if ((r2 = sftpc_fsetstat(u->conn, &u->h, &a)) != 0)
			r = r2;
	}
	if (r == 0 && u->x->fsync && sftpc_has_ext(u->conn, SFTPC_EXT_FSYNC))
		r = sftpc_fsync(u->conn, &u->h);
	return r;
}

/* Open the remote destination of an upload. */
static int
ul_open_remote(struct xfer_ul *u, const char *remote_path,
    const struct stat *st)
{
	struct sftp_attrs a;
	char what[PATH_MAX + 32];
	uint32_t pflags = SSH2_FXF_WRITE | SSH2_FXF_CREAT;

	/* Created with the local permission bits (draft-02 6.3). */
	sftp_attrs_clear(&a);
	a.flags = SSH2_FILEXFER_ATTR_PERMISSIONS;
	a.perm = (uint32_t)(st->st_mode & 0777);
	if (!u->x->resume && !u->x->inplace)
		pflags |= SSH2_FXF_TRUNC;
	snprintf(what, sizeof(what), "dest open \"%s\"", remote_path);
	return sftpc_open_as(u->conn, remote_path, pflags, &a, &u->h, what);
}

/* Run the WRITE loop, say what failed. */
static int
ul_run(struct xfer_ul *u)
{
	int r;

	sftpc_notify(u->x, SFTPC_EV_FILE_START, u->src, u->dst, u->size,
	    u->start);
	u->next = u->start;
	u->bad_from = UINT64_MAX;
	r = ul_loop(u);
	sftpc_notify(u->x, SFTPC_EV_FILE_END, u->src, u->dst, u->size,
	    MINIMUM(u->bad_from, u->next));
	if (r == 0 && u->error != 0) {
		r = u->error;
		if (r == ERR_INTERRUPTED)
			error("Transfer of \"%s\" interrupted", u->src);
		else if (u->status != 0)
			error("write remote \"%s\": %s", u->dst,
			    sftpc_status_text(u->status));
	}
	return r;
}

int
sftpc_upload(struct sftp_conn *conn, const char *local_path,
    const char *remote_path, const struct sftpc_xfer *x)
{
	static const struct sftpc_xfer none;
	struct xfer_ul u;
	struct stat st;
	int r, r2, opened = 0;

	if (x == NULL)
		x = &none;
	memset(&u, 0, sizeof(u));
	u.conn = conn;
	u.src = local_path;
	u.dst = remote_path;
	u.x = x;
	if ((r = ul_open_local(local_path, &u.fd, &st)) != 0)
		return r;
	u.size = (uint64_t)st.st_size;
	if (x->resume && (r = ul_resume_offset(&u, remote_path)) != 0)
		goto out;
	if ((u.data = malloc(conn->buflen)) == NULL ||
	    (r = xfer_queue_init(&u.q, conn->num_requests)) != 0) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = ul_open_remote(&u, remote_path, &st)) != 0)
		goto out;
	opened = 1;
	r = ul_run(&u);
	r = ul_finish(&u, &st, r);
 out:
	if (opened && !conn->dead && (r2 = sftpc_close(conn, &u.h)) != 0 &&
	    r == 0)
		r = r2;
	xfer_queue_free(&u.q);
	free(u.data);
	close(u.fd);
	return r;
}

/* ------------------------------------------------------------ crossload */

/* Open the destination of a crossload on the second server. */
static int
cl_open_dst(struct sftp_conn *to, const char *to_path,
    const struct sftp_attrs *a, struct xfer_sink *sink)
{
	struct sftp_attrs ca;
	char what[PATH_MAX + 32];

	sftp_attrs_clear(&ca);
	if (a->flags & SSH2_FILEXFER_ATTR_PERMISSIONS) {
		ca.flags = SSH2_FILEXFER_ATTR_PERMISSIONS;
		ca.perm = a->perm & 0777;
	}
	snprintf(what, sizeof(what), "dest open \"%s\"", to_path);
	sink->conn = to;
	sink->name = to_path;
	sink->fd = -1;
	return sftpc_open_as(to, to_path, SSH2_FXF_WRITE | SSH2_FXF_CREAT |
	    SSH2_FXF_TRUNC, &ca, &sink->h, what);
}

/* After a crossload: attributes with preserve, fsync, close. */
static int
cl_finish(struct xfer_sink *sink, const struct sftp_attrs *a,
    const struct sftpc_xfer *x, int r)
{
	struct sftp_attrs pa;
	int r2;

	if (sink->conn->dead)
		return r;
	if (r == 0 && x->preserve) {
		pa = *a;
		pa.flags &= ~(uint32_t)(SSH2_FILEXFER_ATTR_SIZE |
		    SSH2_FILEXFER_ATTR_UIDGID);
		pa.perm &= 07777;
		r = sftpc_fsetstat(sink->conn, &sink->h, &pa);
	}
	if (r == 0 && x->fsync && sftpc_has_ext(sink->conn, SFTPC_EXT_FSYNC))
		r = sftpc_fsync(sink->conn, &sink->h);
	if ((r2 = sftpc_close(sink->conn, &sink->h)) != 0 && r == 0)
		r = r2;
	return r;
}

int
sftpc_crossload(struct sftp_conn *from, const char *from_path,
    struct sftp_conn *to, const char *to_path, const struct sftp_attrs *given,
    const struct sftpc_xfer *x)
{
	static const struct sftpc_xfer none;
	struct xfer_dl d;
	struct xfer_sink sink;
	struct sftp_attrs a;
	char what[PATH_MAX + 32];
	uint64_t good = 0;
	int r, r2, complete = 0, dst_open = 0;

	if (x == NULL)
		x = &none;
	memset(&d, 0, sizeof(d));
	memset(&sink, 0, sizeof(sink));
	if ((r = xfer_src_attrs(from, from_path, given, &a)) != 0 ||
	    (r = xfer_check_regular(&a, from_path)) != 0)
		return r;
	d.conn = from;
	d.src = from_path;
	d.dst = to_path;
	d.x = x;
	d.size = (a.flags & SSH2_FILEXFER_ATTR_SIZE) ? a.size : 0;
	snprintf(what, sizeof(what), "remote open \"%s\"", from_path);
	if ((r = sftpc_open_as(from, from_path, SSH2_FXF_READ, NULL, &d.h,
	    what)) != 0)
		return r;
	if ((r = cl_open_dst(to, to_path, &a, &sink)) != 0)
		goto out;
	dst_open = 1;
	if ((r = xfer_queue_init(&sink.q, to->num_requests)) != 0)
		goto out;
	sftpc_notify(x, SFTPC_EV_FILE_START, from_path, to_path, d.size, 0);
	r = dl_run(&d, &sink, &complete, &good);
	sftpc_notify(x, SFTPC_EV_FILE_END, from_path, to_path, d.size,
	    d.done);
	if (r == 0 && !complete)
		r = ERR_INTERNAL;
	if (sink.status != 0)
		error("write remote \"%s\": %s", to_path,
		    sftpc_status_text(sink.status));
 out:
	if (dst_open)
		r = cl_finish(&sink, &a, x, r);
	xfer_queue_free(&sink.q);
	if (!from->dead && (r2 = sftpc_close(from, &d.h)) != 0 && r == 0)
		r = r2;
	return r;
}
