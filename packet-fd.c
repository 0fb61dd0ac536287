/*
 * packet-fd.c: drive a connection's input and output buffers from file
 * descriptors (packet.h, "descriptors"): what the test programs, ssh and
 * sshd use around the buffer-only transport.
 */
#include "includes.h"

#include <poll.h>

#include "dispatch.h"
#include "errcode.h"
#include "kex.h"
#include "log.h"
#include "packet-impl.h"
#include "ssh2.h"

#define READ_CHUNK	(64 * 1024)

void
packet_set_fds(struct ssh *ssh, int fd_in, int fd_out)
{
	ssh->fd_in = fd_in;
	ssh->fd_out = fd_out;
}

int
packet_fd_in(const struct ssh *ssh)
{
	return ssh->fd_in;
}

int
packet_fd_out(const struct ssh *ssh)
{
	return ssh->fd_out;
}

/* Wait for events on fd; ERR_CONN_TIMEOUT when timeout_ms passes. */
static int
wait_fd(int fd, short events, int timeout_ms)
{
	struct pollfd pfd;
	int n;

	pfd.fd = fd;
	pfd.events = events;
	pfd.revents = 0;
	for (;;) {
		n = poll(&pfd, 1, timeout_ms);
		if (n > 0)
			return 0;
		if (n == 0)
			return ERR_CONN_TIMEOUT;
		if (errno != EINTR && errno != EAGAIN)
			return ERR_ERRNO;
	}
}

int
packet_fd_read(struct ssh *ssh, int timeout_ms)
{
	u_char buf[READ_CHUNK];
	size_t want = MINIMUM(sizeof(buf), packet_input_space(ssh));
	ssize_t n;
	int r;

	if (ssh->fd_in < 0)
		return ERR_INVALID_ARGUMENT;
	if (want == 0)
		return 0;	/* a backlog to process first */
	if ((r = wait_fd(ssh->fd_in, POLLIN, timeout_ms)) != 0)
		return r;
	for (;;) {
		n = read(ssh->fd_in, buf, want);
		if (n > 0)
			break;
		if (n == 0) {
			packet_input_eof(ssh);
			return ERR_CONN_CLOSED;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		if (errno == ECONNRESET || errno == EPIPE) {
			packet_input_eof(ssh);
			return ERR_CONN_CLOSED;
		}
		return ERR_ERRNO;
	}
	r = packet_input(ssh, buf, (size_t)n);
	explicit_bzero(buf, (size_t)n);
	return r;
}

int
packet_fd_flush(struct ssh *ssh, int timeout_ms)
{
	ssize_t n;
	int r;

	if (ssh->fd_out < 0)
		return ERR_INVALID_ARGUMENT;
	while (packet_output_len(ssh) > 0) {
		if ((r = wait_fd(ssh->fd_out, POLLOUT, timeout_ms)) != 0)
			return r;
		n = write(ssh->fd_out, packet_output_ptr(ssh),
		    packet_output_len(ssh));
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN ||
			    errno == EWOULDBLOCK)
				continue;
			if (errno == EPIPE || errno == ECONNRESET)
				return ERR_CONN_CLOSED;
			return ERR_ERRNO;
		}
		if ((r = packet_output_consume(ssh, (size_t)n)) != 0)
			return r;
	}
	return 0;
}

int
packet_fd_next(struct ssh *ssh, u_char *typep, int timeout_ms)
{
	int r;

	*typep = SSH2_MSG_NONE;
	for (;;) {
		r = packet_next(ssh, typep);
		/* Whatever happened, send what it queued (a DISCONNECT). */
		if (packet_fd_flush(ssh, timeout_ms) != 0 && r == 0)
			r = ERR_CONN_CLOSED;
		if (r != 0 || *typep != SSH2_MSG_NONE)
			return r;
		if ((r = packet_fd_read(ssh, timeout_ms)) != 0 &&
		    r != ERR_CONN_CLOSED)
			return r;
	}
}

int
packet_fd_wait_kex(struct ssh *ssh, u_int count, int timeout_ms)
{
	u_char type;
	int r;

	while (packet_kex_count(ssh) <= count) {
		if ((r = packet_next(ssh, &type)) != 0)
			goto fail;
		/* Application messages meanwhile go to their handlers. */
		if (type != SSH2_MSG_NONE) {
			if ((r = dispatch_call(ssh, type,
			    packet_seqnr(ssh))) != 0)
				goto fail;
			continue;
		}
		if (packet_kex_count(ssh) > count)
			break;
		if ((r = packet_fd_flush(ssh, timeout_ms)) != 0)
			return r;
		if ((r = packet_fd_read(ssh, timeout_ms)) != 0 &&
		    r != ERR_CONN_CLOSED)
			return r;
	}
	return packet_fd_flush(ssh, timeout_ms);
 fail:
	/* Deliver the DISCONNECT if we can. */
	if (packet_fd_flush(ssh, timeout_ms) != 0)
		debug_f("could not flush");
	return r;
}
