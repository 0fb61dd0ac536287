/*
 * fdio.c: moving channel data between the peer and local descriptors.
 *
 * Reads stop while a direction's buffer holds CHAN_RBUF_MAX bytes, and
 * that buffer only drains within the peer's window, so a slow peer
 * stops our reads.  What the peer sends is bounded by our window, which
 * is only given back once bytes are written out (or dropped), so a slow
 * local reader stops the peer.  Buffers are thus bounded both ways.
 *
 * Descriptors are non-blocking (CHAN_FD_NONBLOCK) or at least polled
 * before each read and write.  The owner ignores SIGPIPE: a write to a
 * closed pipe fails with EPIPE and ends that direction only.
 */
#include "includes.h"

#include <sys/socket.h>
#include <fcntl.h>
#include <poll.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "channels/channel.h"
#include "channels/chan-impl.h"

/* ------------------------------------------------------------ release */

static int
fd_in_use(const struct channel *ch, int fd)
{
	return fd == ch->rfd || fd == ch->wfd || fd == ch->efd;
}

/*
 * Give up one role of a descriptor: if another role still uses it (a
 * socket or pty serving both directions), shut down just this direction
 * (how: SHUT_RD/SHUT_WR; not sockets: nothing to do), else close it.
 */
static void
chan_fd_release(struct channel *ch, int *fdp, int how)
{
	int fd = *fdp;

	if (fd < 0)
		return;
	*fdp = -1;
	if (fd_in_use(ch, fd)) {
		if (shutdown(fd, how) == -1 && errno != ENOTSOCK &&
		    errno != ENOTCONN)
			debug2_f("channel %u: shutdown fd %d: %s", ch->self,
			    fd, strerror(errno));
		return;
	}
	if (close(fd) == -1)
		debug2_f("channel %u: close fd %d: %s", ch->self, fd,
		    strerror(errno));
}

void
chan_fds_close(struct channel *ch)
{
	chan_fd_release(ch, &ch->rfd, SHUT_RD);
	chan_fd_release(ch, &ch->wfd, SHUT_WR);
	chan_fd_release(ch, &ch->efd, SHUT_RDWR);
}

/* The local data source is done: send what is left, then EOF. */
void
chan_read_done(struct channel *ch)
{
	if (ch->rstate == CHAN_R_OPEN)
		ch->rstate = CHAN_R_DRAIN;
	chan_fd_release(ch, &ch->rfd, SHUT_RD);
}

void
chan_efd_read_done(struct channel *ch)
{
	if (ch->ext != CHAN_EXT_READ)
		return;
	chan_fd_release(ch, &ch->efd, SHUT_RD);
	ch->efd_rdone = 1;
}

/* Everything the peer sent before its EOF/CLOSE is out: release. */
static void
chan_write_done(struct channel *ch)
{
	chan_fd_release(ch, &ch->wfd, SHUT_WR);
	if (ch->ext == CHAN_EXT_WRITE) {
		chan_fd_release(ch, &ch->efd, SHUT_WR);
		ch->efd_wdone = 1;
	}
	ch->wstate = CHAN_W_CLOSED;
}

/*
 * Move the receiving direction on: after the peer's EOF, release once
 * both buffers are written; with no writer left at all (none given, or
 * both failed) it is done too.
 */
void
chan_write_check(struct channel *ch)
{
	if (!ch->attached || ch->wstate == CHAN_W_CLOSED)
		return;
	if (ch->wstate == CHAN_W_DRAIN && buf_len(ch->obuf) == 0 &&
	    buf_len(ch->ebuf_out) == 0)
		chan_write_done(ch);
	else if (ch->wfd == -1 &&
	    (ch->ext != CHAN_EXT_WRITE || ch->efd_wdone))
		chan_write_done(ch);
}

/* ------------------------------------------------------------ attach */

static int
set_nonblock(int fd)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return ERR_ERRNO;
	if ((fl & O_NONBLOCK) == 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		return ERR_ERRNO;
	return 0;
}

static int
fds_nonblock(int rfd, int wfd, int efd)
{
	int r;

	if ((rfd >= 0 && (r = set_nonblock(rfd)) != 0) ||
	    (wfd >= 0 && (r = set_nonblock(wfd)) != 0) ||
	    (efd >= 0 && (r = set_nonblock(efd)) != 0))
		return r;
	return 0;
}

int
chan_set_fds(struct channel *ch, int rfd, int wfd, int efd,
    enum chan_ext ext, int flags)
{
	int r;

	if (ch->mgr->err != 0)
		return ch->mgr->err;
	if (ch->attached || ch->state == CHAN_ST_DEAD || ch->close_sent ||
	    (int)ext < CHAN_EXT_IGNORE || ext > CHAN_EXT_WRITE ||
	    (ext == CHAN_EXT_IGNORE && efd != -1) ||
	    (flags & ~CHAN_FD_NONBLOCK) != 0)
		return ERR_INVALID_ARGUMENT;
	if ((flags & CHAN_FD_NONBLOCK) &&
	    (r = fds_nonblock(rfd, wfd, efd)) != 0)
		return r;
	ch->attached = 1;
	ch->rfd = rfd < 0 ? -1 : rfd;
	ch->wfd = wfd < 0 ? -1 : wfd;
	ch->efd = efd < 0 ? -1 : efd;
	ch->ext = ext;
	ch->efd_rdone = !(ext == CHAN_EXT_READ && ch->efd != -1);
	ch->efd_wdone = !(ext == CHAN_EXT_WRITE && ch->efd != -1);
	/* Nothing (more) to read: on to EOF. */
	if (ch->rstate != CHAN_R_OPEN) {
		chan_read_done(ch);
		chan_efd_read_done(ch);
	} else if (ch->rfd == -1)
		chan_read_done(ch);
	/* Received data with nowhere to go is dropped. */
	if (ch->wfd == -1 || ch->wstate == CHAN_W_CLOSED)
		chan_drop_output(ch, ch->obuf);
	if (ch->efd_wdone || ch->wstate == CHAN_W_CLOSED)
		chan_drop_output(ch, ch->ebuf_out);
	if (ch->wstate == CHAN_W_CLOSED)
		chan_write_done(ch);
	return chan_service(ch);
}

/* ------------------------------------------------------------ I/O */

static int
io_retry(void)
{
	return errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK;
}

/* Read from rfd (or efd) into the buffer to send. */
static int
chan_fd_read(struct channel *ch, int is_efd)
{
	struct channels *c = ch->mgr;
	struct buf *dst = is_efd ? ch->ebuf_in : ch->ibuf;
	int fd = is_efd ? ch->efd : ch->rfd;
	size_t room;
	ssize_t n;

	if (fd < 0 || buf_len(dst) >= CHAN_RBUF_MAX)
		return 0;
	room = MINIMUM(CHAN_RBUF_MAX - buf_len(dst), CHAN_READ_CHUNK);
	if ((n = read(fd, c->rdbuf, room)) == -1 && io_retry())
		return 0;
	if (n <= 0) {
		/* EOF, or an error such as EIO from a pty whose slave left. */
		if (n == -1)
			debug2_f("channel %u: read fd %d: %s", ch->self, fd,
			    strerror(errno));
		if (is_efd)
			chan_efd_read_done(ch);
		else
			chan_read_done(ch);
		return 0;
	}
	return buf_put(dst, c->rdbuf, (size_t)n);
}

/* A write failed: drop what was for fd and stop writing there. */
static void
chan_fd_write_failed(struct channel *ch, int is_efd)
{
	debug2_f("channel %u: write fd %d: %s", ch->self,
	    is_efd ? ch->efd : ch->wfd, strerror(errno));
	if (is_efd) {
		chan_drop_output(ch, ch->ebuf_out);
		chan_fd_release(ch, &ch->efd, SHUT_WR);
		ch->efd_wdone = 1;
	} else {
		chan_drop_output(ch, ch->obuf);
		chan_fd_release(ch, &ch->wfd, SHUT_WR);
	}
	chan_write_check(ch);
}

/* Write received data to wfd (or efd); written bytes free our window. */
static int
chan_fd_write(struct channel *ch, int is_efd)
{
	struct buf *src = is_efd ? ch->ebuf_out : ch->obuf;
	int fd = is_efd ? ch->efd : ch->wfd;
	ssize_t n;

	if (fd < 0 || buf_len(src) == 0)
		return 0;
	if ((n = write(fd, buf_ptr(src), buf_len(src))) == -1) {
		if (!io_retry())
			chan_fd_write_failed(ch, is_efd);
		return 0;
	}
	chan_consumed(ch, (size_t)n);
	return buf_consume(src, (size_t)n);
}

/* ------------------------------------------------------------ poll */

size_t
chan_poll_count(const struct channels *c)
{
	return c->nlive * 3;
}

/* The slot for fd among this channel's slots so far, or a new one. */
static size_t
poll_slot(struct pollfd *pfd, size_t n, size_t *usedp, size_t first,
    int fd, short events)
{
	size_t i;

	for (i = first; i < *usedp; i++) {
		if (pfd[i].fd == fd) {
			pfd[i].events |= events;
			return i;
		}
	}
	if (*usedp >= n)
		return CHAN_NO_SLOT;
	pfd[*usedp].fd = fd;
	pfd[*usedp].events = events;
	pfd[*usedp].revents = 0;
	return (*usedp)++;
}

static void
chan_poll_one(struct channel *ch, struct pollfd *pfd, size_t n,
    size_t *usedp)
{
	size_t first = *usedp;
	int reading = ch->state == CHAN_ST_OPEN && !ch->close_sent &&
	    !ch->close_rcvd;

	ch->slot_r = ch->slot_w = ch->slot_er = ch->slot_ew = CHAN_NO_SLOT;
	ch->poll_epoch = ch->mgr->poll_epoch;
	if (reading && ch->rfd >= 0 && ch->rstate == CHAN_R_OPEN &&
	    buf_len(ch->ibuf) < CHAN_RBUF_MAX)
		ch->slot_r = poll_slot(pfd, n, usedp, first, ch->rfd, POLLIN);
	if (reading && ch->efd >= 0 && ch->ext == CHAN_EXT_READ &&
	    !ch->efd_rdone && buf_len(ch->ebuf_in) < CHAN_RBUF_MAX)
		ch->slot_er = poll_slot(pfd, n, usedp, first, ch->efd, POLLIN);
	if (ch->wfd >= 0 && buf_len(ch->obuf) > 0)
		ch->slot_w = poll_slot(pfd, n, usedp, first, ch->wfd, POLLOUT);
	if (ch->efd >= 0 && ch->ext == CHAN_EXT_WRITE && !ch->efd_wdone &&
	    buf_len(ch->ebuf_out) > 0)
		ch->slot_ew = poll_slot(pfd, n, usedp, first, ch->efd,
		    POLLOUT);
}

size_t
chan_poll_prepare(struct channels *c, struct pollfd *pfd, size_t n)
{
	struct channel *ch;
	size_t i, used = 0;

	/* A new epoch: slots of earlier rounds and new channels are void. */
	if (++c->poll_epoch == 0)
		c->poll_epoch = 1;
	for (i = 0; i < c->tab_alloc; i++) {
		if ((ch = c->tab[i]) != NULL && ch->attached)
			chan_poll_one(ch, pfd, n, &used);
	}
	return used;
}

/* Did poll report fd ready at slot for what we asked (or an error)? */
static int
slot_ready(const struct pollfd *pfd, size_t n, size_t slot, int fd,
    short events)
{
	if (slot == CHAN_NO_SLOT || slot >= n || fd < 0 || pfd[slot].fd != fd)
		return 0;
	return (pfd[slot].revents & (events | POLLHUP | POLLERR |
	    POLLNVAL)) != 0;
}

static int
chan_poll_io(struct channel *ch, const struct pollfd *pfd, size_t n)
{
	int r;

	if (slot_ready(pfd, n, ch->slot_w, ch->wfd, POLLOUT) &&
	    (r = chan_fd_write(ch, 0)) != 0)
		return r;
	if (slot_ready(pfd, n, ch->slot_ew, ch->efd, POLLOUT) &&
	    (r = chan_fd_write(ch, 1)) != 0)
		return r;
	if (slot_ready(pfd, n, ch->slot_r, ch->rfd, POLLIN) &&
	    (r = chan_fd_read(ch, 0)) != 0)
		return r;
	if (slot_ready(pfd, n, ch->slot_er, ch->efd, POLLIN) &&
	    (r = chan_fd_read(ch, 1)) != 0)
		return r;
	return 0;
}

int
chan_poll_handle(struct channels *c, const struct pollfd *pfd, size_t n)
{
	struct channel *ch;
	unsigned int epoch = c->poll_epoch;
	size_t i;
	int r;

	if (c->err != 0)
		return c->err;
	if (c->in_cb)
		return ERR_INTERNAL;
	/* Handle each round once. */
	if (++c->poll_epoch == 0)
		c->poll_epoch = 1;
	for (i = 0; i < c->tab_alloc; i++) {
		if ((ch = c->tab[i]) == NULL || ch->poll_epoch != epoch)
			continue;
		ch->poll_epoch = 0;
		if ((r = chan_poll_io(ch, pfd, n)) != 0) {
			c->err = r;
			return r;
		}
	}
	return chan_output(c);
}
