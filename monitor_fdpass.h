/*
 * monitor_fdpass.h: passing one open descriptor over a Unix-domain
 * socket (SCM_RIGHTS), as the monitor hands a pty to the session child.
 *
 * Each descriptor travels with one data byte, so it can follow a framed
 * monitor message on the same stream: the receiver reads the message
 * (exactly its length), then the descriptor.
 */
#ifndef KEEL_MONITOR_FDPASS_H
#define KEEL_MONITOR_FDPASS_H

/*
 * Send fd over sock (the caller keeps fd open and owns it).  0,
 * ERR_ERRNO (errno set), ERR_CONN_CLOSED if the peer is gone.
 */
int monitor_fdpass_send(int sock, int fd)
    __attribute__((__warn_unused_result__));

/*
 * Receive one descriptor from sock into *fdp (close-on-exec).  0,
 * ERR_CONN_CLOSED at end of file, ERR_INVALID_FORMAT if the byte came
 * without exactly one descriptor, ERR_ERRNO.
 */
int monitor_fdpass_recv(int sock, int *fdp)
    __attribute__((__warn_unused_result__));

#endif /* KEEL_MONITOR_FDPASS_H */
