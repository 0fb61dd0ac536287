/*
 * ttymodes.c: terminal modes on the wire (ttymodes.h, RFC 4254 s.8).
 */
#include "includes.h"

#include <termios.h>

#include "buf.h"
#include "errcode.h"
#include "ttymodes.h"

/* What an opcode stands for. */
enum tm_kind {
	TM_CHAR,	/* c_cc[idx] */
	TM_IFLAG,	/* a c_iflag bit */
	TM_LFLAG,
	TM_OFLAG,
	TM_CFLAG,
	TM_CSIZE	/* a value of the c_cflag CSIZE field (CS7, CS8) */
};

struct tm_op {
	uint8_t op;
	enum tm_kind kind;
	int idx;		/* TM_CHAR */
	tcflag_t flag;		/* the flags, TM_CSIZE */
};

#define CH(op, name)	{ op, TM_CHAR, name, 0 }
#define FL(op, k, name)	{ op, k, 0, name }

/* RFC 4254 section 8 (and RFC 8160 for IUTF8), in opcode order. */
static const struct tm_op tm_ops[] = {
	CH(1, VINTR), CH(2, VQUIT), CH(3, VERASE), CH(4, VKILL),
	CH(5, VEOF), CH(6, VEOL), CH(7, VEOL2), CH(8, VSTART), CH(9, VSTOP),
	CH(10, VSUSP),
#ifdef VDSUSP
	CH(11, VDSUSP),
#endif
	CH(12, VREPRINT), CH(13, VWERASE), CH(14, VLNEXT),
#ifdef VFLUSH
	CH(15, VFLUSH),
#endif
#ifdef VSWTCH
	CH(16, VSWTCH),
#elif defined(VSWTC)
	CH(16, VSWTC),
#endif
#ifdef VSTATUS
	CH(17, VSTATUS),
#endif
	CH(18, VDISCARD),
	FL(30, TM_IFLAG, IGNPAR), FL(31, TM_IFLAG, PARMRK),
	FL(32, TM_IFLAG, INPCK), FL(33, TM_IFLAG, ISTRIP),
	FL(34, TM_IFLAG, INLCR), FL(35, TM_IFLAG, IGNCR),
	FL(36, TM_IFLAG, ICRNL),
#ifdef IUCLC
	FL(37, TM_IFLAG, IUCLC),
#endif
	FL(38, TM_IFLAG, IXON), FL(39, TM_IFLAG, IXANY),
	FL(40, TM_IFLAG, IXOFF), FL(41, TM_IFLAG, IMAXBEL),
#ifdef IUTF8
	FL(42, TM_IFLAG, IUTF8),
#endif
	FL(50, TM_LFLAG, ISIG), FL(51, TM_LFLAG, ICANON),
#ifdef XCASE
	FL(52, TM_LFLAG, XCASE),
#endif
	FL(53, TM_LFLAG, ECHO), FL(54, TM_LFLAG, ECHOE),
	FL(55, TM_LFLAG, ECHOK), FL(56, TM_LFLAG, ECHONL),
	FL(57, TM_LFLAG, NOFLSH), FL(58, TM_LFLAG, TOSTOP),
	FL(59, TM_LFLAG, IEXTEN), FL(60, TM_LFLAG, ECHOCTL),
	FL(61, TM_LFLAG, ECHOKE), FL(62, TM_LFLAG, PENDIN),
	FL(70, TM_OFLAG, OPOST),
#ifdef OLCUC
	FL(71, TM_OFLAG, OLCUC),
#endif
	FL(72, TM_OFLAG, ONLCR), FL(73, TM_OFLAG, OCRNL),
	FL(74, TM_OFLAG, ONOCR), FL(75, TM_OFLAG, ONLRET),
	FL(90, TM_CSIZE, CS7), FL(91, TM_CSIZE, CS8),
	FL(92, TM_CFLAG, PARENB), FL(93, TM_CFLAG, PARODD),
};

#undef CH
#undef FL

/* Baud rates and their speed_t. */
static const struct {
	uint32_t baud;
	speed_t speed;
} tm_speeds[] = {
	{ 0, B0 }, { 50, B50 }, { 75, B75 }, { 110, B110 }, { 134, B134 },
	{ 150, B150 }, { 200, B200 }, { 300, B300 }, { 600, B600 },
	{ 1200, B1200 }, { 1800, B1800 }, { 2400, B2400 }, { 4800, B4800 },
	{ 9600, B9600 }, { 19200, B19200 }, { 38400, B38400 },
#ifdef B57600
	{ 57600, B57600 },
#endif
#ifdef B115200
	{ 115200, B115200 },
#endif
#ifdef B230400
	{ 230400, B230400 },
#endif
#ifdef B460800
	{ 460800, B460800 },
#endif
#ifdef B500000
	{ 500000, B500000 }, { 576000, B576000 }, { 921600, B921600 },
	{ 1000000, B1000000 }, { 1152000, B1152000 },
	{ 1500000, B1500000 }, { 2000000, B2000000 },
	{ 2500000, B2500000 }, { 3000000, B3000000 },
	{ 3500000, B3500000 }, { 4000000, B4000000 },
#endif
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

speed_t
ttymodes_baud_to_speed(uint32_t baud)
{
	size_t i;

	for (i = 0; i < NELEM(tm_speeds); i++) {
		if (tm_speeds[i].baud == baud)
			return tm_speeds[i].speed;
	}
	return (speed_t)-1;
}

uint32_t
ttymodes_speed_to_baud(speed_t speed)
{
	size_t i;

	for (i = 0; i < NELEM(tm_speeds); i++) {
		if (tm_speeds[i].speed == speed)
			return tm_speeds[i].baud;
	}
	return 0;
}

/* ------------------------------------------------------------ encode */

static tcflag_t
tm_flags(const struct termios *tio, enum tm_kind kind)
{
	switch (kind) {
	case TM_IFLAG:
		return tio->c_iflag;
	case TM_LFLAG:
		return tio->c_lflag;
	case TM_OFLAG:
		return tio->c_oflag;
	default:
		return tio->c_cflag;
	}
}

/* The argument of op for tio. */
static uint32_t
tm_value(const struct termios *tio, const struct tm_op *o)
{
	switch (o->kind) {
	case TM_CHAR:
		/* "255 if none" (RFC 4254 section 8). */
		if (tio->c_cc[o->idx] == _POSIX_VDISABLE)
			return 255;
		return tio->c_cc[o->idx];
	case TM_CSIZE:
		return (tio->c_cflag & CSIZE) == o->flag;
	default:
		return (tm_flags(tio, o->kind) & o->flag) != 0;
	}
}

static int
tm_put(struct buf *out, uint8_t op, uint32_t arg)
{
	int r;

	if ((r = buf_put_u8(out, op)) != 0 ||
	    (r = buf_put_u32(out, arg)) != 0)
		return r;
	return 0;
}

int
ttymodes_encode(const struct termios *tio, struct buf *out)
{
	size_t i;
	int r;

	if ((r = tm_put(out, TTY_OP_ISPEED,
	    ttymodes_speed_to_baud(cfgetispeed(tio)))) != 0 ||
	    (r = tm_put(out, TTY_OP_OSPEED,
	    ttymodes_speed_to_baud(cfgetospeed(tio)))) != 0)
		return r;
	for (i = 0; i < NELEM(tm_ops); i++) {
		if ((r = tm_put(out, tm_ops[i].op,
		    tm_value(tio, &tm_ops[i]))) != 0)
			return r;
	}
	return buf_put_u8(out, TTY_OP_END);
}

int
ttymodes_encode_fd(int fd, struct buf *out)
{
	struct termios tio;

	if (fd < 0 || tcgetattr(fd, &tio) == -1)
		return buf_put_u8(out, TTY_OP_END);
	return ttymodes_encode(&tio, out);
}

/* ------------------------------------------------------------ decode */

static const struct tm_op *
tm_lookup(uint8_t op)
{
	size_t i;

	for (i = 0; i < NELEM(tm_ops); i++) {
		if (tm_ops[i].op == op)
			return &tm_ops[i];
	}
	return NULL;
}

static void
tm_set_flag(tcflag_t *field, tcflag_t flag, uint32_t arg)
{
	if (arg != 0)
		*field |= flag;
	else
		*field &= ~flag;
}

static void
tm_apply(struct termios *tio, uint8_t op, uint32_t arg)
{
	const struct tm_op *o;
	speed_t speed;

	if (op == TTY_OP_ISPEED || op == TTY_OP_OSPEED) {
		if ((speed = ttymodes_baud_to_speed(arg)) == (speed_t)-1)
			return;
		if (op == TTY_OP_ISPEED)
			(void)cfsetispeed(tio, speed);
		else
			(void)cfsetospeed(tio, speed);
		return;
	}
	/* Opcodes we do not know are ignored (section 8). */
	if ((o = tm_lookup(op)) == NULL)
		return;
	switch (o->kind) {
	case TM_CHAR:
		if (arg == 255)
			tio->c_cc[o->idx] = _POSIX_VDISABLE;
		else if (arg < 255)
			tio->c_cc[o->idx] = (cc_t)arg;
		break;
	case TM_CSIZE:
		/* Only a set size can be applied; "not CS7" says nothing. */
		if (arg != 0)
			tio->c_cflag = (tio->c_cflag & ~CSIZE) | o->flag;
		break;
	case TM_IFLAG:
		tm_set_flag(&tio->c_iflag, o->flag, arg);
		break;
	case TM_LFLAG:
		tm_set_flag(&tio->c_lflag, o->flag, arg);
		break;
	case TM_OFLAG:
		tm_set_flag(&tio->c_oflag, o->flag, arg);
		break;
	case TM_CFLAG:
		tm_set_flag(&tio->c_cflag, o->flag, arg);
		break;
	}
}

int
ttymodes_decode(const u_char *modes, size_t len, struct termios *tio)
{
	struct buf *b;
	struct termios work = *tio;
	uint32_t arg;
	uint8_t op;
	int r = 0;

	if (len == 0)
		return 0;
	if ((b = buf_from(modes, len)) == NULL)
		return ERR_ALLOC_FAIL;
	while (buf_len(b) > 0) {
		if ((r = buf_get_u8(b, &op)) != 0)
			break;
		/* The end, or an opcode that stops parsing. */
		if (op == TTY_OP_END || op >= TTY_OP_FIRST_UNDEFINED)
			break;
		if ((r = buf_get_u32(b, &arg)) != 0)
			break;
		tm_apply(&work, op, arg);
	}
	buf_free(b);
	if (r == 0)
		*tio = work;
	return r;
}

int
ttymodes_apply_fd(int fd, const u_char *modes, size_t len)
{
	struct termios tio;
	int r;

	if (tcgetattr(fd, &tio) == -1)
		return ERR_ERRNO;
	if ((r = ttymodes_decode(modes, len, &tio)) != 0)
		return r;
	if (tcsetattr(fd, TCSANOW, &tio) == -1)
		return ERR_ERRNO;
	return 0;
}
