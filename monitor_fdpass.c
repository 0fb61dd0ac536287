/*
 * monitor_fdpass.c: one descriptor over a Unix-domain socket
 * (monitor_fdpass.h).
 */
#include "includes.h"

#include <sys/socket.h>
#include <sys/uio.h>
#include <poll.h>

#include "errcode.h"
#include "log.h"
#include "monitor_fdpass.h"

/* Wait until sock is ready for events (after EAGAIN). */
static int
fdpass_wait(int sock, short events)
{
	struct pollfd pfd;

	pfd.fd = sock;
	pfd.events = events;
	if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
		return ERR_ERRNO;
	return 0;
}

int
monitor_fdpass_send(int sock, int fd)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;
	struct msghdr msg;
	struct cmsghdr *cmsg;
	struct iovec iov;
	char byte = 0;
	ssize_t n;
	int r;

	if (fd < 0)
		return ERR_INVALID_ARGUMENT;
	memset(&msg, 0, sizeof(msg));
	memset(&cmsgbuf, 0, sizeof(cmsgbuf));
	msg.msg_control = cmsgbuf.buf;
	msg.msg_controllen = sizeof(cmsgbuf.buf);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	while ((n = sendmsg(sock, &msg, MSG_NOSIGNAL)) == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if ((r = fdpass_wait(sock, POLLOUT)) != 0)
				return r;
		} else if (errno != EINTR) {
			error_f("sendmsg fd %d: %s", fd, strerror(errno));
			return errno == EPIPE ? ERR_CONN_CLOSED : ERR_ERRNO;
		}
	}
	return n == 1 ? 0 : ERR_ERRNO;
}

/* The one descriptor carried by msg, or -1. */
static int
fdpass_extract(struct msghdr *msg)
{
	struct cmsghdr *cmsg;
	int fd = -1, extra;

	for (cmsg = CMSG_FIRSTHDR(msg); cmsg != NULL;
	    cmsg = CMSG_NXTHDR(msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		if (cmsg->cmsg_len != CMSG_LEN(sizeof(int)) || fd != -1) {
			/* More than expected: close what came, refuse. */
			if (cmsg->cmsg_len >= CMSG_LEN(sizeof(int))) {
				memcpy(&extra, CMSG_DATA(cmsg), sizeof(int));
				close(extra);
			}
			if (fd != -1)
				close(fd);
			return -2;
		}
		memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	}
	return fd;
}

int
monitor_fdpass_recv(int sock, int *fdp)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;
	struct msghdr msg;
	struct iovec iov;
	char byte;
	ssize_t n;
	int fd, r;

	*fdp = -1;
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cmsgbuf.buf;
	msg.msg_controllen = sizeof(cmsgbuf.buf);
	while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if ((r = fdpass_wait(sock, POLLIN)) != 0)
				return r;
		} else if (errno != EINTR) {
			error_f("recvmsg: %s", strerror(errno));
			return ERR_ERRNO;
		}
	}
	if (n == 0)
		return ERR_CONN_CLOSED;
	fd = fdpass_extract(&msg);
	if ((msg.msg_flags & MSG_CTRUNC) != 0 || fd < 0) {
		if (fd >= 0)
			close(fd);
		error_f("expected one descriptor, got %s",
		    fd == -1 ? "none" : "more");
		return ERR_INVALID_FORMAT;
	}
	*fdp = fd;
	return 0;
}
