/*
 * clientloop-tty.c: ssh's local terminal: raw mode while a pty session
 * runs, restored on every way out (normal end, signals, exit), and the
 * descriptor flags of stdin/stdout/stderr put back as they were.
 */
#include "includes.h"

#include <sys/ioctl.h>
#include <fcntl.h>
#include <termios.h>

#include "clientloop-impl.h"
#include "errcode.h"

static struct termios saved_tio;
static int raw_fd = -1;		/* the terminal in raw mode, or -1 */
static int atexit_done;

static int saved_flags[3];
static int have_flags[3];

static void
cl_restore_all(void)
{
	cl_tty_leave_raw();
	cl_fd_restore_flags();
}

static void
cl_atexit_once(void)
{
	if (atexit_done)
		return;
	if (atexit(cl_restore_all) == 0)
		atexit_done = 1;
}

int
cl_tty_enter_raw(int fd)
{
	struct termios tio;

	if (raw_fd != -1)
		return 0;
	if (tcgetattr(fd, &tio) == -1)
		return ERR_ERRNO;
	saved_tio = tio;
	cl_atexit_once();
	/* Input: bytes as typed, no CR/NL mapping, no flow control keys. */
	tio.c_iflag |= IGNPAR;
	tio.c_iflag &= ~(ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXANY |
	    IXOFF);
#ifdef IUCLC
	tio.c_iflag &= ~IUCLC;
#endif
	/* No echo, no line editing, no signal keys: the remote does it. */
	tio.c_lflag &= ~(ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHONL);
#ifdef IEXTEN
	tio.c_lflag &= ~IEXTEN;
#endif
	/* Output exactly as the remote pty formatted it. */
	tio.c_oflag &= ~OPOST;
	tio.c_cc[VMIN] = 1;
	tio.c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSADRAIN, &tio) == -1)
		return ERR_ERRNO;
	raw_fd = fd;
	return 0;
}

void
cl_tty_leave_raw(void)
{
	int save_errno = errno;

	if (raw_fd == -1)
		return;
	(void)tcsetattr(raw_fd, TCSADRAIN, &saved_tio);
	raw_fd = -1;
	errno = save_errno;
}

int
cl_tty_in_raw(void)
{
	return raw_fd != -1;
}

void
cl_fd_save_flags(int fd)
{
	int fl;

	if (fd < 0 || fd > 2 || have_flags[fd])
		return;
	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return;
	saved_flags[fd] = fl;
	have_flags[fd] = 1;
	cl_atexit_once();
}

void
cl_fd_restore_flags(void)
{
	int fd, save_errno = errno;

	for (fd = 0; fd < 3; fd++) {
		if (!have_flags[fd])
			continue;
		(void)fcntl(fd, F_SETFL, saved_flags[fd]);
		have_flags[fd] = 0;
	}
	errno = save_errno;
}

void
cl_tty_winsize(int fd, uint32_t *colsp, uint32_t *rowsp, uint32_t *widthp,
    uint32_t *heightp)
{
	struct winsize ws;

	*colsp = *rowsp = *widthp = *heightp = 0;
	if (ioctl(fd, TIOCGWINSZ, &ws) == -1)
		return;
	*colsp = ws.ws_col;
	*rowsp = ws.ws_row;
	*widthp = ws.ws_xpixel;
	*heightp = ws.ws_ypixel;
}
