/*
 * scp-rcp.c: the plumbing of the legacy scp (rcp) protocol (scp.h).
 *
 * The protocol is a conversation of text records and file data over a
 * two-way byte stream: each record or file is answered by one byte, 0
 * for "go on", or 1 (error) / 2 (fatal error) followed by a message line.
 * Errors on our side are sent the same way, so the peer prints them.
 */
#include "includes.h"

#include <sys/stat.h>
#include <poll.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "progressmeter.h"
#include "scp-proto.h"
#include "scp.h"
#include "xmalloc.h"

/*
 * File data moves in 64 KiB blocks (a pipe's capacity): larger blocks
 * measured slower (cache misses), smaller ones cost more calls.  Small
 * blocks under -l, so the rate is smooth.
 */
#define RCP_BLOCK		(64 * 1024)
#define RCP_BLOCK_LIMITED	(16 * 1024)
/* How much one read(2) may add to the look-ahead. */
#define RCP_READ_AHEAD		(64 * 1024)

void
rcp_init(struct rcp *r, const struct scp_opts *o, int in, int out,
    int remote)
{
	memset(r, 0, sizeof(*r));
	r->o = o;
	r->in = in;
	r->out = out;
	r->remote = remote;
	r->umask = umask(0);
	umask(r->umask);
	if ((r->ahead = buf_new()) == NULL || (r->line = buf_new()) == NULL)
		fatal_f("buf_new failed");
	r->blocklen = o->limit_kbps != 0 ? RCP_BLOCK_LIMITED : RCP_BLOCK;
	r->block = xmalloc(r->blocklen);
	scp_bwlimit_init(&r->bw, o->limit_kbps);
}

void
rcp_free(struct rcp *r)
{
	buf_free(r->ahead);
	buf_free(r->line);
	free(r->block);
	r->ahead = r->line = NULL;
	r->block = NULL;
}

void
rcp_lostconn(struct rcp *r)
{
	if (!r->remote)
		scp_eprintf("lost connection\n");
	exit(1);
}

void
rcp_protocol_error(struct rcp *r, const char *why)
{
	rcp_error(r, "protocol error: %s", why);
	exit(1);
}

/* Read what the peer has sent (at most RCP_READ_AHEAD) into ahead. */
static size_t
fill(struct rcp *r)
{
	u_char *p;
	ssize_t n;
	int e;

	if (buf_reserve(r->ahead, RCP_READ_AHEAD, &p) != 0)
		fatal_f("buf_reserve failed");
	for (;;) {
		n = read(r->in, p, RCP_READ_AHEAD);
		if (n == -1 && errno == EAGAIN) {
			/* A non-blocking descriptor: wait for it. */
			struct pollfd pfd = { r->in, POLLIN, 0 };

			(void)poll(&pfd, 1, -1);
			continue;
		}
		if (n != -1 || errno != EINTR)
			break;
	}
	e = errno;
	if (buf_consume_end(r->ahead, RCP_READ_AHEAD - (n > 0 ?
	    (size_t)n : 0)) != 0)
		fatal_f("buf_consume_end failed");
	errno = e;
	return n > 0 ? (size_t)n : 0;
}

int
rcp_read_line(struct rcp *r, int *firstp)
{
	size_t off;
	uint8_t first;

	*firstp = -1;
	buf_reset(r->line);
	while (buf_find(r->ahead, 0, "\n", 1, &off) != 0) {
		if (buf_len(r->ahead) > SCP_LINE_MAX)
			rcp_protocol_error(r, "record too long");
		if (fill(r) == 0) {
			if (buf_len(r->ahead) == 0)
				return 1;
			rcp_protocol_error(r, "lost connection");
		}
	}
	if (off > SCP_LINE_MAX)
		rcp_protocol_error(r, "record too long");
	if (buf_put(r->line, buf_ptr(r->ahead), off) != 0 ||
	    buf_consume(r->ahead, off + 1) != 0)
		fatal_f("buffer error");
	if (buf_peek_u8(r->line, 0, &first) == 0)
		*firstp = first;
	else
		*firstp = '\n';	/* an empty line */
	return 0;
}

size_t
rcp_read_data(struct rcp *r, void *p, size_t len)
{
	size_t have = MINIMUM(buf_len(r->ahead), len);

	if (have > 0 && buf_get(r->ahead, p, have) != 0)
		fatal_f("buf_get failed");
	if (have == len)
		return len;
	return have + atomicio_read(r->in, (u_char *)p + have, len - have);
}

void
rcp_write(struct rcp *r, const void *p, size_t len)
{
	if (atomicio_write(r->out, p, len) != len)
		rcp_lostconn(r);
}

void
rcp_ack(struct rcp *r)
{
	rcp_write(r, "", 1);
}

int
rcp_response(struct rcp *r)
{
	uint8_t c;
	char *msg;
	int first;

	if (buf_len(r->ahead) == 0 && fill(r) == 0)
		rcp_lostconn(r);
	if (buf_peek_u8(r->ahead, 0, &c) != 0)
		fatal_f("buffer error");
	if (c == 0) {
		if (buf_consume(r->ahead, 1) != 0)
			fatal_f("buffer error");
		return 0;
	}
	/* A message; anything but 1 or 2 is printed whole. */
	if (rcp_read_line(r, &first) != 0)
		rcp_lostconn(r);
	if (first == 1 || first == 2) {
		if (buf_consume(r->line, 1) != 0)
			fatal_f("buffer error");
	}
	if (!r->remote) {
		if ((msg = buf_dup_string(r->line)) == NULL)
			msg = xstrdup("(message with a NUL)");
		scp_eprintf("%s\n", msg);
		free(msg);
	}
	r->errs++;
	if (first == 2)
		exit(1);
	return -1;
}

void
rcp_error(struct rcp *r, const char *fmt, ...)
{
	struct buf *b;
	char *msg, *safe;
	va_list ap;

	r->errs++;
	va_start(ap, fmt);
	if (xvasprintf(&msg, fmt, ap) < 0)
		fatal_f("out of memory");
	va_end(ap);
	if (r->out != -1) {
		/* One line, whatever bytes the message holds. */
		safe = scp_safe_string(msg);
		if ((b = buf_new()) == NULL ||
		    buf_putf(b, "\001scp: %s\n", safe) != 0)
			fatal_f("buffer error");
		(void)atomicio_write(r->out, buf_ptr(b), buf_len(b));
		buf_free(b);
		free(safe);
	}
	if (!r->remote)
		scp_eprintf("%s\n", msg);
	free(msg);
}

struct progress *
rcp_progress_start(struct rcp *r, const char *name, uint64_t size)
{
	if (r->remote || !r->o->progress)
		return NULL;
	return progress_start(name, size, 0);
}
