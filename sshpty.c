/*
 * sshpty.c: pseudo-terminals for sshd's sessions (sshpty.h).
 */
#include "includes.h"

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <grp.h>
#include <pty.h>
#include <termios.h>

#include "errcode.h"
#include "log.h"
#include "sshpty.h"

static int
pty_set_cloexec(int fd)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFD)) == -1 ||
	    fcntl(fd, F_SETFD, fl | FD_CLOEXEC) == -1)
		return ERR_ERRNO;
	return 0;
}

int
pty_allocate(int *ptyfd, int *ttyfd, char *name, size_t namelen)
{
	char path[PATH_MAX];
	int master = -1, slave = -1, r = ERR_INTERNAL;

	*ptyfd = *ttyfd = -1;
	if (name == NULL || namelen == 0)
		return ERR_INVALID_ARGUMENT;
	name[0] = '\0';
	if (openpty(&master, &slave, NULL, NULL, NULL) == -1) {
		error_f("openpty: %s", strerror(errno));
		return ERR_ERRNO;
	}
	if (ttyname_r(slave, path, sizeof(path)) != 0) {
		error_f("ttyname_r: %s", strerror(errno));
		r = ERR_ERRNO;
		goto fail;
	}
	if (strlcpy(name, path, namelen) >= namelen) {
		r = ERR_NO_BUFFER_SPACE;
		goto fail;
	}
	if ((r = pty_set_cloexec(master)) != 0 ||
	    (r = pty_set_cloexec(slave)) != 0)
		goto fail;
	*ptyfd = master;
	*ttyfd = slave;
	return 0;
 fail:
	close(master);
	close(slave);
	name[0] = '\0';
	return r;
}

/* tty names a character device under /dev (it came from the kernel,
 * but a confused caller must not chown an arbitrary file). */
static int
pty_check_name(const char *tty, struct stat *st)
{
	if (tty == NULL || strncmp(tty, "/dev/", 5) != 0 ||
	    strstr(tty, "/../") != NULL)
		return ERR_INVALID_ARGUMENT;
	if (stat(tty, st) == -1)
		return ERR_ERRNO;
	if (!S_ISCHR(st->st_mode))
		return ERR_INVALID_ARGUMENT;
	return 0;
}

static int
pty_set_owner_mode(const char *tty, const struct stat *st, uid_t uid,
    gid_t gid, mode_t mode)
{
	if ((st->st_uid != uid || st->st_gid != gid) &&
	    chown(tty, uid, gid) == -1) {
		error_f("chown %s %u:%u: %s", tty, (u_int)uid, (u_int)gid,
		    strerror(errno));
		return ERR_ERRNO;
	}
	if ((st->st_mode & (S_IRWXU | S_IRWXG | S_IRWXO)) != mode &&
	    chmod(tty, mode) == -1) {
		error_f("chmod %s %04o: %s", tty, (u_int)mode,
		    strerror(errno));
		return ERR_ERRNO;
	}
	return 0;
}

int
pty_setowner(const struct passwd *pw, const char *tty)
{
	struct stat st;
	struct group *gr;
	gid_t gid;
	mode_t mode;
	int r;

	if (pw == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((r = pty_check_name(tty, &st)) != 0)
		return r;
	if ((gr = getgrnam("tty")) != NULL) {
		gid = gr->gr_gid;
		mode = S_IRUSR | S_IWUSR | S_IWGRP;
	} else {
		gid = pw->pw_gid;
		mode = S_IRUSR | S_IWUSR;
	}
	/*
	 * An sshd run by a user for itself cannot give the tty to group
	 * tty (devpts mounted without gid=5): the tty is already the
	 * user's, so it stays in its group and private.
	 */
	if (geteuid() != 0 && st.st_uid == pw->pw_uid && st.st_gid != gid) {
		gid = st.st_gid;
		mode = S_IRUSR | S_IWUSR;
	}
	return pty_set_owner_mode(tty, &st, pw->pw_uid, gid, mode);
}

int
pty_release(const char *tty)
{
	struct stat st;
	int r;

	if ((r = pty_check_name(tty, &st)) != 0)
		return r;
	/* Not root: the tty cannot go back to root; make it private. */
	if (geteuid() != 0)
		return pty_set_owner_mode(tty, &st, st.st_uid, st.st_gid,
		    S_IRUSR | S_IWUSR);
	return pty_set_owner_mode(tty, &st, 0, 0, S_IRUSR | S_IWUSR);
}

int
pty_make_controlling_tty(int ttyfd)
{
	int fd;

	/* Leave any old controlling terminal with the old session. */
	if (setsid() == -1) {
		error_f("setsid: %s", strerror(errno));
		return ERR_ERRNO;
	}
	if (ioctl(ttyfd, TIOCSCTTY, 0) == -1) {
		error_f("TIOCSCTTY: %s", strerror(errno));
		return ERR_ERRNO;
	}
	/* Verify: /dev/tty is now this terminal. */
	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1) {
		error_f("open /dev/tty: %s", strerror(errno));
		return ERR_ERRNO;
	}
	close(fd);
	return 0;
}

static unsigned short
pty_clamp(uint32_t v)
{
	return v > USHRT_MAX ? USHRT_MAX : (unsigned short)v;
}

int
pty_change_window_size(int ptyfd, uint32_t row, uint32_t col,
    uint32_t xpixel, uint32_t ypixel)
{
	struct winsize w;

	memset(&w, 0, sizeof(w));
	w.ws_row = pty_clamp(row);
	w.ws_col = pty_clamp(col);
	w.ws_xpixel = pty_clamp(xpixel);
	w.ws_ypixel = pty_clamp(ypixel);
	if (ioctl(ptyfd, TIOCSWINSZ, &w) == -1)
		return ERR_ERRNO;
	return 0;
}
