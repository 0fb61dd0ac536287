/*
 * clientloop-impl.h: the pieces of ssh's session loop (clientloop.c)
 * that live in their own files: the escape-sequence scanner (a pure
 * function, unit-tested on its own) and the local terminal helpers.
 */
#ifndef KEEL_CLIENTLOOP_IMPL_H
#define KEEL_CLIENTLOOP_IMPL_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/* ------------------------------------------------------------ escapes */

/* What an escape sequence asks the loop to do. */
enum cl_esc_action {
	CL_ESC_NONE = 0,	/* input used up, nothing to do */
	CL_ESC_DISCONNECT,	/* ~.  */
	CL_ESC_SUSPEND,		/* ~^Z */
	CL_ESC_LIST,		/* ~#  */
	CL_ESC_HELP,		/* ~?  */
	CL_ESC_CMDLINE,		/* ~C  */
	CL_ESC_REKEY,		/* ~R  */
	CL_ESC_BREAK		/* ~B  */
};

/*
 * Scanner state.  The escape character is recognised only at the start
 * of a line: at the very beginning and after CR or LF.  ~~ sends one
 * escape character; the escape character followed by anything it does
 * not know sends both bytes.
 */
struct cl_esc {
	int escape_char;	/* a byte value */
	int at_line_start;	/* the last byte sent was CR/LF (or none) */
	int pending;		/* the escape character was just seen */
};

void cl_esc_init(struct cl_esc *e, int escape_char);
/*
 * Scan in[0..len): bytes to send to the peer are appended to out.  Stops
 * after the first escape command: *usedp gets the number of input bytes
 * consumed (all of them when *actionp is CL_ESC_NONE) and *actionp the
 * command.  The caller acts on it and calls again with the rest.
 * 0 or the error of buf_put.
 */
int cl_esc_scan(struct cl_esc *e, const u_char *in, size_t len,
    struct buf *out, size_t *usedp, enum cl_esc_action *actionp)
    __attribute__((__warn_unused_result__));
/* The ~? text for escape character c, lines ended with CR LF. */
int cl_esc_help(int c, struct buf *out)
    __attribute__((__warn_unused_result__));
/*
 * Answer one ~C command line: append the reply for the user (CR LF line
 * ends) to out.  Only help is understood; forwarding requests are
 * refused as not supported, anything else is an invalid command.
 */
int cl_esc_cmdline(const char *line, struct buf *out)
    __attribute__((__warn_unused_result__));

/* ------------------------------------------------------------ terminal */

/*
 * Put the terminal on fd into raw mode (no echo, no line editing, no
 * signals from keys, no output processing), keeping its settings to
 * restore.  The settings are restored by cl_tty_leave_raw(), and at exit
 * (an atexit handler installed on first use).  0 or ERR_ERRNO.
 */
int cl_tty_enter_raw(int fd)
    __attribute__((__warn_unused_result__));
/* Restore the terminal if it is in raw mode (async-signal-safe). */
void cl_tty_leave_raw(void);
/* 1 while the terminal is in raw mode. */
int cl_tty_in_raw(void);

/*
 * Remember the file status flags of fd (0, 1 or 2) to be put back by
 * cl_fd_restore_flags(), which also runs at exit.
 */
void cl_fd_save_flags(int fd);
void cl_fd_restore_flags(void);

/* The window size of the terminal on fd; all 0 if it has none. */
void cl_tty_winsize(int fd, uint32_t *colsp, uint32_t *rowsp,
    uint32_t *widthp, uint32_t *heightp);

#endif /* KEEL_CLIENTLOOP_IMPL_H */
