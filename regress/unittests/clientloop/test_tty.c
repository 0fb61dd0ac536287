/*
 * test_tty.c: the local terminal helpers (clientloop-tty.c) on a real
 * pseudo-terminal: raw mode and its exact restore, window size, and the
 * descriptor flags put back.
 */
#include "includes.h"

#include <sys/ioctl.h>
#include <fcntl.h>
#include <pty.h>
#include <termios.h>

#include "../test_helper/test_helper.h"
#include "clientloop-impl.h"
#include "errcode.h"
#include "test_clientloop.h"

void
test_tty(void)
{
	struct termios before, raw, after;
	struct winsize ws;
	uint32_t c, r, w, h;
	int m, s, fl, save0, p[2];

	TEST_START("tty: raw mode and its restore");
	ASSERT_INT_EQ(openpty(&m, &s, NULL, NULL, NULL), 0);
	ASSERT_INT_EQ(tcgetattr(s, &before), 0);
	ASSERT_INT_EQ(cl_tty_in_raw(), 0);
	ASSERT_INT_EQ(cl_tty_enter_raw(s), 0);
	ASSERT_INT_EQ(cl_tty_in_raw(), 1);
	/* A second call changes nothing. */
	ASSERT_INT_EQ(cl_tty_enter_raw(s), 0);
	ASSERT_INT_EQ(tcgetattr(s, &raw), 0);
	ASSERT_INT_EQ(raw.c_lflag & (ECHO | ICANON | ISIG | IEXTEN), 0);
	ASSERT_INT_EQ(raw.c_oflag & OPOST, 0);
	ASSERT_INT_EQ(raw.c_iflag & (ICRNL | IXON), 0);
	ASSERT_INT_EQ(raw.c_cc[VMIN], 1);
	cl_tty_leave_raw();
	ASSERT_INT_EQ(cl_tty_in_raw(), 0);
	ASSERT_INT_EQ(tcgetattr(s, &after), 0);
	ASSERT_INT_EQ(after.c_iflag, before.c_iflag);
	ASSERT_INT_EQ(after.c_oflag, before.c_oflag);
	ASSERT_INT_EQ(after.c_lflag, before.c_lflag);
	ASSERT_INT_EQ(after.c_cflag, before.c_cflag);
	ASSERT_MEM_EQ(after.c_cc, before.c_cc, sizeof(before.c_cc));
	/* Leaving twice is harmless. */
	cl_tty_leave_raw();
	TEST_DONE();

	TEST_START("tty: not a terminal");
	ASSERT_INT_EQ(pipe(p), 0);
	ASSERT_INT_EQ(cl_tty_enter_raw(p[0]), ERR_ERRNO);
	ASSERT_INT_EQ(cl_tty_enter_raw(-1), ERR_ERRNO);
	ASSERT_INT_EQ(cl_tty_in_raw(), 0);
	close(p[0]);
	close(p[1]);
	TEST_DONE();

	TEST_START("tty: window size");
	memset(&ws, 0, sizeof(ws));
	ws.ws_row = 33;
	ws.ws_col = 111;
	ws.ws_xpixel = 640;
	ws.ws_ypixel = 480;
	ASSERT_INT_EQ(ioctl(s, TIOCSWINSZ, &ws), 0);
	cl_tty_winsize(s, &c, &r, &w, &h);
	ASSERT_U32_EQ(c, 111);
	ASSERT_U32_EQ(r, 33);
	ASSERT_U32_EQ(w, 640);
	ASSERT_U32_EQ(h, 480);
	cl_tty_winsize(-1, &c, &r, &w, &h);
	ASSERT_U32_EQ(c | r | w | h, 0);
	TEST_DONE();

	TEST_START("tty: descriptor flags restored");
	ASSERT_INT_NE(save0 = dup(0), -1);
	ASSERT_INT_EQ(dup2(s, 0), 0);
	ASSERT_INT_NE(fl = fcntl(0, F_GETFL), -1);
	cl_fd_save_flags(0);
	ASSERT_INT_EQ(fcntl(0, F_SETFL, fl | O_NONBLOCK), 0);
	cl_fd_restore_flags();
	ASSERT_INT_EQ(fcntl(0, F_GETFL), fl);
	ASSERT_INT_EQ(dup2(save0, 0), 0);
	close(save0);
	close(s);
	close(m);
	TEST_DONE();
}
