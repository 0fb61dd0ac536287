/*
 * sshpty.h: pseudo-terminals for sshd's sessions.
 *
 * The monitor allocates a pty and gives its tty to the user
 * (pty_allocate, pty_setowner) and takes it back when the session ends
 * (pty_release); the session child makes the tty its controlling
 * terminal (pty_make_controlling_tty); window-change requests resize it
 * (pty_change_window_size).
 *
 * Library code: int results are 0 or a negative ERR_* code (ERR_ERRNO
 * leaves errno set); nothing here exits.
 */
#ifndef KEEL_SSHPTY_H
#define KEEL_SSHPTY_H

#include <sys/types.h>
#include <pwd.h>
#include <stddef.h>

/* Room for a tty's path ("/dev/pts/N"). */
#define PTY_NAME_MAX	64

/*
 * A new pty: *ptyfd its master side, *ttyfd the tty, both close-on-exec,
 * name its path (namelen >= PTY_NAME_MAX is always enough).
 */
int pty_allocate(int *ptyfd, int *ttyfd, char *name, size_t namelen)
    __attribute__((__warn_unused_result__));

/*
 * Give tty to pw: owned by pw's uid and by group "tty" with mode 0620
 * when that group exists (so write(1) works), else by pw's group with
 * mode 0600.  tty must be a character device under /dev.
 */
int pty_setowner(const struct passwd *pw, const char *tty)
    __attribute__((__warn_unused_result__));

/* Take tty back at the end of a session: root:root, mode 0600. */
int pty_release(const char *tty)
    __attribute__((__warn_unused_result__));

/*
 * In the session child, before exec: start a new session and make the
 * tty open on ttyfd its controlling terminal, then check that /dev/tty
 * now opens.  The caller must not be a process group leader (fork first).
 */
int pty_make_controlling_tty(int ttyfd)
    __attribute__((__warn_unused_result__));

/*
 * Set the window size of the pty (RFC 4254 sections 6.2 and 6.7: the
 * wire's uint32 values; each is clamped to what the kernel can hold).
 */
int pty_change_window_size(int ptyfd, uint32_t row, uint32_t col,
    uint32_t xpixel, uint32_t ypixel)
    __attribute__((__warn_unused_result__));

#endif /* KEEL_SSHPTY_H */
