/*
 * ttymodes.h: terminal modes on the wire (RFC 4254 section 8).
 *
 * A pty-req carries the client's terminal settings as a byte stream of
 * opcode-argument pairs: opcodes 1 to 159 take one uint32 argument,
 * TTY_OP_END (0) ends the stream, and opcodes 160 to 255 (not defined)
 * stop parsing.  Characters (VINTR ...) are sent as their value, 255 for
 * "disabled"; flags (ECHO ...) as 0 or 1; TTY_OP_ISPEED/OSPEED as the
 * baud rate.  A server ignores opcodes it does not know.
 *
 * The client encodes its terminal (ttymodes_encode_fd); the server
 * applies the stream to the new pty (ttymodes_apply_fd).
 */
#ifndef KEEL_TTYMODES_H
#define KEEL_TTYMODES_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

struct buf;

#define TTY_OP_END		0
#define TTY_OP_ISPEED		128
#define TTY_OP_OSPEED		129
/* The first opcode that is not followed by an argument. */
#define TTY_OP_FIRST_UNDEFINED	160

/*
 * Append the encoding of tio, ending with TTY_OP_END, to out (the
 * contents of the pty-req "encoded terminal modes" string).  Opcodes the
 * platform has no field for are left out.
 */
int ttymodes_encode(const struct termios *tio, struct buf *out)
    __attribute__((__warn_unused_result__));
/* The same for the terminal on fd; only TTY_OP_END if fd is none. */
int ttymodes_encode_fd(int fd, struct buf *out)
    __attribute__((__warn_unused_result__));

/*
 * Apply the stream modes[0..len) to *tio: known opcodes set their
 * field, unknown ones (below 160) are skipped with their argument,
 * TTY_OP_END or an opcode from 160 on ends the stream (what follows is
 * ignored), and so does the end of the data at an opcode boundary.  An
 * argument cut short is ERR_MESSAGE_INCOMPLETE, and then *tio is left
 * untouched (all or nothing).  Speeds that are not standard baud rates
 * are ignored.
 */
int ttymodes_decode(const u_char *modes, size_t len, struct termios *tio)
    __attribute__((__warn_unused_result__));
/* tcgetattr(fd), decode, tcsetattr(fd, TCSANOW). */
int ttymodes_apply_fd(int fd, const u_char *modes, size_t len)
    __attribute__((__warn_unused_result__));

/* speed_t for a baud rate (B0 ... B4000000), or (speed_t)-1. */
speed_t ttymodes_baud_to_speed(uint32_t baud);
/* The baud rate of a speed_t, or 0 if unknown (B0 is 0 too). */
uint32_t ttymodes_speed_to_baud(speed_t speed);

#endif /* KEEL_TTYMODES_H */
