/*
 * sftp-client.c: the SFTP client's connection: INIT/VERSION, packet
 * framing over the transport's pipes, request ids, STATUS handling and
 * the small helpers every request uses (sftp-client.h).
 *
 * Protocol: draft-ietf-secsh-filexfer-02 ("version 3") and the
 * extensions of OpenSSH's PROTOCOL file.
 */
#include "includes.h"

#include <sys/stat.h>
#include <poll.h>
#include <time.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "sftp.h"
#include "sftp-common.h"
#include "sftp-client.h"
#include "sftp-client-impl.h"

/* The extensions we use: name, the version string we understand, bit. */
static const struct {
	const char	*name;
	const char	*version;
	unsigned int	 bit;
} sftpc_known_exts[] = {
	{ "posix-rename@openssh.com", "1", SFTPC_EXT_POSIX_RENAME },
	{ "statvfs@openssh.com", "2", SFTPC_EXT_STATVFS },
	{ "fstatvfs@openssh.com", "2", SFTPC_EXT_FSTATVFS },
	{ "hardlink@openssh.com", "1", SFTPC_EXT_HARDLINK },
	{ "fsync@openssh.com", "1", SFTPC_EXT_FSYNC },
	{ "lsetstat@openssh.com", "1", SFTPC_EXT_LSETSTAT },
	{ "limits@openssh.com", "1", SFTPC_EXT_LIMITS },
	{ "expand-path@openssh.com", "1", SFTPC_EXT_EXPAND_PATH },
	{ "copy-data", "1", SFTPC_EXT_COPY_DATA },
	{ "home-directory", "1", SFTPC_EXT_HOME_DIRECTORY },
	{ "users-groups-by-id@openssh.com", "1", SFTPC_EXT_USERS_GROUPS },
};

/* ------------------------------------------------------------ accessors */

uint32_t
sftpc_server_version(const struct sftp_conn *conn)
{
	return conn->version;
}

int
sftpc_has_ext(const struct sftp_conn *conn, unsigned int ext)
{
	return (conn->exts & ext) == ext && ext != 0;
}

size_t
sftpc_buflen(const struct sftp_conn *conn)
{
	return conn->buflen;
}

size_t
sftpc_num_requests(const struct sftp_conn *conn)
{
	return conn->num_requests;
}

uint32_t
sftpc_last_status(const struct sftp_conn *conn)
{
	return conn->last_status;
}

int
sftpc_is_dead(const struct sftp_conn *conn)
{
	return conn->dead;
}

int
sftpc_interrupted(const struct sftp_conn *conn)
{
	return conn->interrupted != NULL && *conn->interrupted != 0;
}

const char *
sftpc_status_text(uint32_t status)
{
	switch (status) {
	case SSH2_FX_OK:
		return "No error";
	case SSH2_FX_EOF:
		return "End of file";
	case SSH2_FX_NO_SUCH_FILE:
		return "No such file or directory";
	case SSH2_FX_PERMISSION_DENIED:
		return "Permission denied";
	case SSH2_FX_FAILURE:
		return "Failure";
	case SSH2_FX_BAD_MESSAGE:
		return "Bad message";
	case SSH2_FX_NO_CONNECTION:
		return "No connection";
	case SSH2_FX_CONNECTION_LOST:
		return "Connection lost";
	case SSH2_FX_OP_UNSUPPORTED:
		return "Operation unsupported";
	default:
		return "Unknown status";
	}
}

int
sftpc_fail(struct sftp_conn *conn, int r)
{
	if (!conn->dead)
		debug_fr(r, "sftp connection failed");
	conn->dead = 1;
	return r;
}

/* ------------------------------------------------------------ raw I/O */

void
sftpc_bwlimit(struct sftp_conn *conn, struct sftpc_bwlimit *bw,
    size_t bytes)
{
	uint64_t now, want_ms, elapsed;
	struct timespec ts;

	if (conn->limit_kbps == 0)
		return;
	now = monotime_ms();
	if (bw->start_ms == 0 || bw->bytes > ((uint64_t)1 << 40)) {
		bw->start_ms = now;
		bw->bytes = 0;
	}
	bw->bytes += bytes;
	/* Kbit/s as OpenSSH counts them: 1024 bits. */
	want_ms = bw->bytes * 8 * 1000 / (conn->limit_kbps * 1024);
	elapsed = now - bw->start_ms;
	if (want_ms <= elapsed + 10)
		return;
	ts.tv_sec = (time_t)((want_ms - elapsed) / 1000);
	ts.tv_nsec = (long)((want_ms - elapsed) % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/*
 * How much to read next: the rest of a packet whose length is known
 * (so a big reply ends exactly at the end of ibuf, which then empties
 * without moving bytes), else a chunk (which batches small replies).
 */
static size_t
sftpc_read_want(const struct sftp_conn *conn)
{
	uint32_t len;
	size_t have = buf_len(conn->ibuf);

	if (buf_peek_u32(conn->ibuf, 0, &len) != 0 || len > SFTP_MAX_PACKET ||
	    (size_t)len + 4 <= have)
		return SFTPC_READ_CHUNK;
	return MINIMUM((size_t)len + 4 - have, SFTPC_READ_CHUNK);
}

/* One read(2) into ibuf.  0 (also for EAGAIN/EINTR) or an error. */
static int
sftpc_read_some(struct sftp_conn *conn)
{
	size_t want = sftpc_read_want(conn);
	u_char *p;
	ssize_t n;
	int r, saved;

	if ((r = buf_reserve(conn->ibuf, want, &p)) != 0)
		return r;
	n = read(conn->fd_in, p, want);
	saved = errno;
	if ((r = buf_consume_end(conn->ibuf,
	    want - (n > 0 ? (size_t)n : 0))) != 0)
		return r;
	if (n == 0)
		return ERR_CONN_CLOSED;
	if (n < 0) {
		errno = saved;
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		if (errno == ECONNRESET)
			return ERR_CONN_CLOSED;
		return ERR_ERRNO;
	}
	sftpc_bwlimit(conn, &conn->bw_in, (size_t)n);
	return 0;
}

/* One write(2) from obuf.  0 (also for EAGAIN/EINTR) or an error. */
static int
sftpc_write_some(struct sftp_conn *conn)
{
	ssize_t n;

	n = write(conn->fd_out, buf_ptr(conn->obuf), buf_len(conn->obuf));
	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		if (errno == EPIPE || errno == ECONNRESET)
			return ERR_CONN_CLOSED;
		return ERR_ERRNO;
	}
	sftpc_bwlimit(conn, &conn->bw_out, (size_t)n);
	return buf_consume(conn->obuf, (size_t)n);
}

/*
 * 1 if ibuf holds a whole packet, 0 if not yet, or an error for a length
 * no reply may have.
 */
static int
sftpc_packet_ready(const struct sftp_conn *conn)
{
	uint32_t len;

	if (buf_peek_u32(conn->ibuf, 0, &len) != 0)
		return 0;
	/* At least a type and a uint32 (id or version). */
	if (len < 5 || len > SFTP_MAX_PACKET) {
		error("Received message too long %u", len);
		return ERR_PROTOCOL_ERROR;
	}
	return buf_len(conn->ibuf) - 4 >= len;
}

int
sftpc_reply_ready(const struct sftp_conn *conn)
{
	return sftpc_packet_ready(conn) == 1;
}

/*
 * Move bytes until everything queued is written and, with want_packet,
 * a whole reply is buffered.  Replies are read whenever they come, so a
 * server blocked on its output never deadlocks our writes.
 */
static int
sftpc_io(struct sftp_conn *conn, int want_packet)
{
	struct pollfd pfd[2];
	int r, ready;

	for (;;) {
		if ((ready = sftpc_packet_ready(conn)) < 0)
			return sftpc_fail(conn, ready);
		if (buf_len(conn->obuf) == 0 && (!want_packet || ready))
			return 0;
		pfd[0].fd = conn->fd_in;
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		pfd[1].fd = conn->fd_out;
		pfd[1].events = buf_len(conn->obuf) > 0 ? POLLOUT : 0;
		pfd[1].revents = 0;
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return sftpc_fail(conn, ERR_ERRNO);
		}
		if ((pfd[1].revents & (POLLOUT | POLLERR | POLLHUP)) != 0 &&
		    buf_len(conn->obuf) > 0 &&
		    (r = sftpc_write_some(conn)) != 0)
			return sftpc_fail(conn, r);
		if ((pfd[0].revents & (POLLIN | POLLERR | POLLHUP)) != 0 &&
		    (r = sftpc_read_some(conn)) != 0)
			return sftpc_fail(conn, r);
	}
}

int
sftpc_flush(struct sftp_conn *conn)
{
	if (conn->dead)
		return ERR_CONN_CLOSED;
	return sftpc_io(conn, 0);
}

/* ------------------------------------------------------------ packets */

int
sftpc_start(struct sftp_conn *conn, uint8_t type, uint32_t *idp)
{
	int r;

	*idp = 0;
	if (conn->dead)
		return ERR_CONN_CLOSED;
	buf_reset(conn->msg);
	if ((r = buf_put_u8(conn->msg, type)) != 0 ||
	    (r = buf_put_u32(conn->msg, conn->next_id)) != 0)
		return r;
	*idp = conn->next_id++;
	return 0;
}

int
sftpc_start_ext(struct sftp_conn *conn, const char *name, uint32_t *idp)
{
	int r;

	if ((r = sftpc_start(conn, SSH2_FXP_EXTENDED, idp)) != 0)
		return r;
	return buf_put_cstring(conn->msg, name);
}

int
sftpc_queue(struct sftp_conn *conn)
{
	int r;

	if (conn->dead)
		return ERR_CONN_CLOSED;
	if (buf_len(conn->msg) > SFTP_MAX_PACKET)
		return ERR_INVALID_ARGUMENT;
	/* An SSH string is exactly the packet framing: length, bytes. */
	if ((r = buf_put_stringb(conn->obuf, conn->msg)) != 0)
		return sftpc_fail(conn, r);
	buf_reset(conn->msg);
	if (buf_len(conn->obuf) >= SFTPC_OBUF_FLUSH)
		return sftpc_io(conn, 0);
	return 0;
}

int
sftpc_queue_data(struct sftp_conn *conn, const void *data, size_t len)
{
	size_t total;
	int r;

	if (conn->dead)
		return ERR_CONN_CLOSED;
	total = buf_len(conn->msg) + 4 + len;
	if (len > SFTP_MAX_PACKET || total > SFTP_MAX_PACKET)
		return ERR_INVALID_ARGUMENT;
	/* Straight into the output: the data is copied once. */
	if ((r = buf_put_u32(conn->obuf, (uint32_t)total)) != 0 ||
	    (r = buf_putb(conn->obuf, conn->msg)) != 0 ||
	    (r = buf_put_string(conn->obuf, data, len)) != 0)
		return sftpc_fail(conn, r);
	buf_reset(conn->msg);
	if (buf_len(conn->obuf) >= SFTPC_OBUF_FLUSH)
		return sftpc_io(conn, 0);
	return 0;
}

int
sftpc_queue_data_fd(struct sftp_conn *conn, int fd, uint64_t offset,
    size_t len, size_t *gotp)
{
	size_t mark, total;
	u_char *p;
	ssize_t n;
	int r;

	*gotp = 0;
	if (conn->dead)
		return ERR_CONN_CLOSED;
	total = buf_len(conn->msg) + 4 + len;
	if (len > SFTP_MAX_PACKET || total > SFTP_MAX_PACKET)
		return ERR_INVALID_ARGUMENT;
	/* Send what is queued first: the frame then starts an empty buf. */
	if (buf_len(conn->obuf) + total + 4 > SFTPC_OBUF_FLUSH &&
	    (r = sftpc_io(conn, 0)) != 0)
		return r;
	mark = buf_len(conn->obuf);
	if ((r = buf_put_u32(conn->obuf, (uint32_t)total)) != 0 ||
	    (r = buf_putb(conn->obuf, conn->msg)) != 0 ||
	    (r = buf_put_u32(conn->obuf, (uint32_t)len)) != 0 ||
	    (r = buf_reserve(conn->obuf, len, &p)) != 0)
		return sftpc_fail(conn, r);
	/* The file's bytes go straight into the frame. */
	do {
		n = pread(fd, p, len, (off_t)offset);
	} while (n == -1 && errno == EINTR);
	if (n < 0 || (size_t)n != len) {
		/* Short (the file changed) or failed: take the frame back. */
		r = errno;
		if (buf_consume_end(conn->obuf, buf_len(conn->obuf) - mark)
		    != 0)
			return sftpc_fail(conn, ERR_INTERNAL);
		errno = r;
		return n < 0 ? ERR_ERRNO : 0;
	}
	buf_reset(conn->msg);
	*gotp = len;
	return 0;
}

int
sftpc_recv(struct sftp_conn *conn, struct sftpc_reply *rep)
{
	uint32_t len;
	int r;

	memset(rep, 0, sizeof(*rep));
	if (conn->dead)
		return ERR_CONN_CLOSED;
	if ((r = sftpc_io(conn, 1)) != 0)
		return r;
	if ((r = buf_get_u32(conn->ibuf, &len)) != 0)
		return sftpc_fail(conn, r);
	/* A view of the packet; consumed from ibuf by sftpc_reply_done. */
	if ((rep->b = buf_from(buf_ptr(conn->ibuf), len)) == NULL)
		return sftpc_fail(conn, ERR_ALLOC_FAIL);
	rep->framelen = len;
	if ((r = buf_get_u8(rep->b, &rep->type)) != 0)
		goto bad;
	if (rep->type != SSH2_FXP_VERSION &&
	    (r = buf_get_u32(rep->b, &rep->id)) != 0)
		goto bad;
	return 0;
 bad:
	sftpc_reply_done(conn, rep);
	return sftpc_fail(conn, ERR_PROTOCOL_ERROR);
}

void
sftpc_reply_done(struct sftp_conn *conn, struct sftpc_reply *rep)
{
	if (rep->b != NULL) {
		buf_free(rep->b);
		if (buf_consume(conn->ibuf, rep->framelen) != 0)
			conn->dead = 1;
	}
	memset(rep, 0, sizeof(*rep));
}

int
sftpc_recv_id(struct sftp_conn *conn, uint32_t id, struct sftpc_reply *rep)
{
	int r;

	if ((r = sftpc_recv(conn, rep)) != 0)
		return r;
	if (rep->id != id || rep->type == SSH2_FXP_VERSION) {
		error("ID mismatch (%u != %u)", rep->id, id);
		sftpc_reply_done(conn, rep);
		return sftpc_fail(conn, ERR_PROTOCOL_ERROR);
	}
	return 0;
}

/* ------------------------------------------------------------ status */

int
sftpc_parse_status(struct sftp_conn *conn, struct sftpc_reply *rep,
    uint32_t *codep)
{
	int r;

	const u_char *msg = NULL;
	size_t len = 0;

	*codep = SSH2_FX_FAILURE;
	conn->status_msg[0] = '\0';
	if ((r = buf_get_u32(rep->b, codep)) != 0)
		return sftpc_fail(conn, ERR_PROTOCOL_ERROR);
	/* Message and language tag: optional for old servers. */
	if (buf_len(rep->b) > 0 &&
	    ((r = buf_get_string_direct(rep->b, &msg, &len)) != 0 ||
	    (r = buf_get_string_direct(rep->b, NULL, NULL)) != 0))
		return sftpc_fail(conn, ERR_PROTOCOL_ERROR);
	/* Kept for messages (log lines escape what it holds). */
	if (msg != NULL && len > 0 && memchr(msg, '\0', len) == NULL) {
		len = MINIMUM(len, sizeof(conn->status_msg) - 1);
		memcpy(conn->status_msg, msg, len);
		conn->status_msg[len] = '\0';
	}
	return 0;
}

int
sftpc_status_error(struct sftp_conn *conn, uint32_t code)
{
	conn->last_status = code;
	switch (code) {
	case SSH2_FX_NO_SUCH_FILE:
		errno = ENOENT;
		break;
	case SSH2_FX_PERMISSION_DENIED:
		errno = EACCES;
		break;
	case SSH2_FX_BAD_MESSAGE:
		errno = EBADMSG;
		break;
	case SSH2_FX_NO_CONNECTION:
		errno = ENOTCONN;
		break;
	case SSH2_FX_CONNECTION_LOST:
		errno = ECONNRESET;
		break;
	case SSH2_FX_OP_UNSUPPORTED:
		errno = ENOTSUP;
		break;
	default:
		errno = EIO;
		break;
	}
	return ERR_ERRNO;
}

/* Log "what: text" for a failure status, quietly if asked. */
static void
sftpc_log_status(uint32_t code, int quiet, const char *what)
{
	if (quiet)
		debug("%s: %s", what, sftpc_status_text(code));
	else
		error("%s: %s", what, sftpc_status_text(code));
}

int
sftpc_expect_ok(struct sftp_conn *conn, uint32_t id, int quiet,
    const char *what)
{
	struct sftpc_reply rep;
	uint32_t code;
	int r;

	if ((r = sftpc_recv_id(conn, id, &rep)) != 0)
		return r;
	if (rep.type != SSH2_FXP_STATUS) {
		error("Expected SSH2_FXP_STATUS(%u) packet, got %u",
		    SSH2_FXP_STATUS, rep.type);
		sftpc_reply_done(conn, &rep);
		return sftpc_fail(conn, ERR_PROTOCOL_ERROR);
	}
	r = sftpc_parse_status(conn, &rep, &code);
	sftpc_reply_done(conn, &rep);
	if (r != 0)
		return r;
	if (code == SSH2_FX_OK)
		return 0;
	sftpc_log_status(code, quiet, what);
	return sftpc_status_error(conn, code);
}

int
sftpc_put_handle(struct buf *b, const struct sftpc_handle *h)
{
	return buf_put_string(b, h->data, h->len);
}

int
sftpc_expect_handle(struct sftp_conn *conn, uint32_t id, int quiet,
    const char *what, struct sftpc_handle *h)
{
	struct sftpc_reply rep;
	const u_char *p;
	uint32_t code;
	size_t len;
	int r;

	memset(h, 0, sizeof(*h));
	if ((r = sftpc_recv_id(conn, id, &rep)) != 0)
		return r;
	if (rep.type == SSH2_FXP_STATUS) {
		r = sftpc_parse_status(conn, &rep, &code);
		sftpc_reply_done(conn, &rep);
		if (r != 0)
			return r;
		if (code == SSH2_FX_OK)	/* no handle: nonsense */
			return sftpc_fail(conn, ERR_PROTOCOL_ERROR);
		sftpc_log_status(code, quiet, what);
		return sftpc_status_error(conn, code);
	}
	if (rep.type != SSH2_FXP_HANDLE) {
		error("Expected SSH2_FXP_HANDLE(%u) packet, got %u",
		    SSH2_FXP_HANDLE, rep.type);
		r = ERR_PROTOCOL_ERROR;
	} else if ((r = buf_get_string_direct(rep.b, &p, &len)) != 0 ||
	    len > SFTP_MAX_HANDLE_LENGTH || buf_len(rep.b) != 0)
		r = ERR_PROTOCOL_ERROR;
	else
		memcpy(h->data, p, len);
	if (r == 0)
		h->len = len;
	sftpc_reply_done(conn, &rep);
	return r == 0 ? 0 : sftpc_fail(conn, r);
}

/* ------------------------------------------------------------ init */

/* The extension pairs of VERSION (after the version number). */
static int
sftpc_parse_exts(struct sftp_conn *conn, struct buf *b)
{
	char *name = NULL, *value = NULL;
	size_t i;
	int r;

	while (buf_len(b) > 0) {
		if ((r = buf_get_cstring(b, &name, NULL)) != 0 ||
		    (r = buf_get_cstring(b, &value, NULL)) != 0) {
			free(name);
			return ERR_PROTOCOL_ERROR;
		}
		for (i = 0; i < sizeof(sftpc_known_exts) /
		    sizeof(sftpc_known_exts[0]); i++) {
			if (strcmp(name, sftpc_known_exts[i].name) == 0 &&
			    strcmp(value, sftpc_known_exts[i].version) == 0)
				conn->exts |= sftpc_known_exts[i].bit;
		}
		debug2("Server supports extension \"%s\" revision %s",
		    name, value);
		free(name);
		free(value);
		name = value = NULL;
	}
	return 0;
}

static int
sftpc_handshake(struct sftp_conn *conn)
{
	struct sftpc_reply rep;
	int r;

	/* INIT carries no id: type, version (draft-02 section 4). */
	buf_reset(conn->msg);
	if ((r = buf_put_u8(conn->msg, SSH2_FXP_INIT)) != 0 ||
	    (r = buf_put_u32(conn->msg, SSH2_FILEXFER_VERSION)) != 0 ||
	    (r = sftpc_queue(conn)) != 0)
		return r;
	if ((r = sftpc_recv(conn, &rep)) != 0)
		return r;
	if (rep.type != SSH2_FXP_VERSION) {
		error("Invalid packet back from SSH2_FXP_INIT (type %u)",
		    rep.type);
		r = ERR_PROTOCOL_ERROR;
	} else if ((r = buf_get_u32(rep.b, &conn->version)) != 0 ||
	    (r = sftpc_parse_exts(conn, rep.b)) != 0)
		r = ERR_PROTOCOL_ERROR;
	sftpc_reply_done(conn, &rep);
	if (r != 0)
		return sftpc_fail(conn, r);
	debug2("Remote version: %u", conn->version);
	if (conn->version < SSH2_FILEXFER_VERSION) {
		error("Server version %u is too old", conn->version);
		return sftpc_fail(conn, ERR_PROTOCOL_MISMATCH);
	}
	return 0;
}

/* Fit buflen to the server's limits (when it tells them). */
static int
sftpc_apply_limits(struct sftp_conn *conn, int buflen_given)
{
	struct sftpc_limits lim;
	uint64_t max = SFTP_MAX_READ_LENGTH;
	int r;

	if (!sftpc_has_ext(conn, SFTPC_EXT_LIMITS))
		return 0;
	if ((r = sftpc_get_limits(conn, &lim)) != 0)
		return r;
	if (lim.read_length != 0)
		max = MINIMUM(max, lim.read_length);
	if (lim.write_length != 0)
		max = MINIMUM(max, lim.write_length);
	if (lim.packet_length > 1024)
		max = MINIMUM(max, lim.packet_length - 1024);
	/* Without -B the server's own best size is ours too. */
	if (!buflen_given)
		conn->buflen = (size_t)max;
	else if (conn->buflen > max)
		conn->buflen = (size_t)max;
	debug3("server limits: packet %llu read %llu write %llu; buflen %zu",
	    (unsigned long long)lim.packet_length,
	    (unsigned long long)lim.read_length,
	    (unsigned long long)lim.write_length, conn->buflen);
	return 0;
}

int
sftpc_connect(int fd_in, int fd_out, const struct sftpc_options *opts,
    struct sftp_conn **connp)
{
	struct sftp_conn *conn = NULL;
	int r = ERR_INTERNAL, buflen_given = 0;

	*connp = NULL;
	if ((conn = calloc(1, sizeof(*conn))) == NULL)
		return ERR_ALLOC_FAIL;
	conn->fd_in = fd_in;
	conn->fd_out = fd_out;
	conn->buflen = SFTPC_DEFAULT_BUFLEN;
	conn->num_requests = SFTPC_DEFAULT_NUM_REQUESTS;
	if (opts != NULL) {
		if (opts->buflen != 0) {
			conn->buflen = MINIMUM(opts->buflen,
			    SFTP_MAX_READ_LENGTH);
			buflen_given = 1;
		}
		if (opts->num_requests != 0)
			conn->num_requests = MINIMUM(opts->num_requests,
			    SFTPC_MAX_NUM_REQUESTS);
		conn->limit_kbps = opts->limit_kbps;
		conn->interrupted = opts->interrupted;
	}
	if ((conn->obuf = buf_new()) == NULL ||
	    (conn->ibuf = buf_new()) == NULL ||
	    (conn->msg = buf_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = set_nonblock(fd_in)) != 0 ||
	    (r = set_nonblock(fd_out)) != 0)
		goto out;
	if ((r = sftpc_handshake(conn)) != 0 ||
	    (r = sftpc_apply_limits(conn, buflen_given)) != 0)
		goto out;
	*connp = conn;
	conn = NULL;
	r = 0;
 out:
	sftpc_free(conn);
	return r;
}

void
sftpc_free(struct sftp_conn *conn)
{
	if (conn == NULL)
		return;
	buf_free(conn->obuf);
	buf_free(conn->ibuf);
	buf_free(conn->msg);
	free(conn);
}

/* ------------------------------------------------------------ helpers */

int
sftpc_dirent_new(const char *filename, const char *longname,
    const struct sftp_attrs *a, struct sftpc_dirent **entp)
{
	struct sftpc_dirent *ent;

	*entp = NULL;
	if ((ent = calloc(1, sizeof(*ent))) == NULL)
		return ERR_ALLOC_FAIL;
	if ((ent->filename = strdup(filename)) == NULL ||
	    (ent->longname = strdup(longname != NULL ? longname : "")) ==
	    NULL) {
		sftpc_dirent_free(ent);
		return ERR_ALLOC_FAIL;
	}
	if (a != NULL)
		ent->a = *a;
	*entp = ent;
	return 0;
}

void
sftpc_dirent_free(struct sftpc_dirent *ent)
{
	if (ent == NULL)
		return;
	free(ent->filename);
	free(ent->longname);
	free(ent);
}

void
sftpc_dirents_free(struct sftpc_dirent **ents, size_t n)
{
	size_t i;

	if (ents == NULL)
		return;
	for (i = 0; i < n; i++)
		sftpc_dirent_free(ents[i]);
	free(ents);
}

int
sftpc_dirents_append(struct sftpc_dirent ***entsp, size_t *nentsp,
    size_t *capp, struct sftpc_dirent *ent)
{
	struct sftpc_dirent **n;
	size_t ncap;

	if (*nentsp + 1 >= *capp) {
		ncap = *capp < 16 ? 16 : *capp * 2;
		if ((n = recallocarray(*entsp, *capp, ncap,
		    sizeof(*n))) == NULL)
			return ERR_ALLOC_FAIL;
		*entsp = n;
		*capp = ncap;
	}
	(*entsp)[(*nentsp)++] = ent;
	return 0;
}

void
sftpc_notify(const struct sftpc_xfer *x, enum sftpc_event ev,
    const char *src, const char *dst, uint64_t size, uint64_t done)
{
	if (x != NULL && x->notify != NULL)
		x->notify(x->notify_ctx, ev, src, dst, size, done);
}

char *
sftpc_make_absolute(const char *path, const char *cwd)
{
	if (path[0] == '/' || cwd == NULL)
		return strdup(path);
	if (*path == '\0')
		return strdup(cwd);
	return path_append(cwd, path);
}
