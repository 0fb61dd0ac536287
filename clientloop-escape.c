/*
 * clientloop-escape.c: ssh's escape sequences (~. ~^Z ~# ~? ~~ ~C ~R ~B)
 * as a pure scanner over the bytes read from the user's terminal.
 */
#include "includes.h"

#include "buf.h"
#include "clientloop-impl.h"
#include "errcode.h"

#define CTRL_Z		('Z' - '@')

void
cl_esc_init(struct cl_esc *e, int escape_char)
{
	memset(e, 0, sizeof(*e));
	e->escape_char = escape_char;
	e->at_line_start = 1;
}

/* The command a byte after the escape character names, if any. */
static enum cl_esc_action
esc_command(u_char ch)
{
	switch (ch) {
	case '.':
		return CL_ESC_DISCONNECT;
	case CTRL_Z:
		return CL_ESC_SUSPEND;
	case '#':
		return CL_ESC_LIST;
	case '?':
		return CL_ESC_HELP;
	case 'C':
		return CL_ESC_CMDLINE;
	case 'R':
		return CL_ESC_REKEY;
	case 'B':
		return CL_ESC_BREAK;
	default:
		return CL_ESC_NONE;
	}
}

int
cl_esc_scan(struct cl_esc *e, const u_char *in, size_t len,
    struct buf *out, size_t *usedp, enum cl_esc_action *actionp)
{
	enum cl_esc_action act;
	size_t i;
	u_char ch;
	int r;

	*usedp = 0;
	*actionp = CL_ESC_NONE;
	for (i = 0; i < len; i++) {
		ch = in[i];
		if (e->pending) {
			e->pending = 0;
			if ((act = esc_command(ch)) != CL_ESC_NONE) {
				/* A command leaves the line state alone. */
				*usedp = i + 1;
				*actionp = act;
				return 0;
			}
			/* Not a command: the escape char goes out too. */
			if (ch != e->escape_char &&
			    (r = buf_put_u8(out, (u_char)e->escape_char)) != 0)
				return r;
		} else if (e->at_line_start && ch == e->escape_char) {
			e->pending = 1;
			continue;
		}
		if ((r = buf_put_u8(out, ch)) != 0)
			return r;
		e->at_line_start = ch == '\r' || ch == '\n';
	}
	*usedp = len;
	return 0;
}

int
cl_esc_help(int c, struct buf *out)
{
	static const struct {
		const char *keys;
		const char *what;
	} lines[] = {
		{ ".",	"terminate connection" },
		{ "B",	"send a BREAK to the remote system" },
		{ "C",	"open a command line" },
		{ "R",	"request rekey" },
		{ "^Z",	"suspend ssh" },
		{ "#",	"list forwarded connections" },
		{ "?",	"this message" },
	};
	size_t i;
	int r;

	if ((r = buf_putf(out, "%c?\r\nSupported escape sequences:\r\n",
	    c)) != 0)
		return r;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		if ((r = buf_putf(out, " %c%-3s - %s\r\n", c, lines[i].keys,
		    lines[i].what)) != 0)
			return r;
	}
	return buf_putf(out, " %c%c   - send the escape character by typing "
	    "it twice\r\n(Note that escapes are only recognized immediately "
	    "after newline.)\r\n", c, c);
}

int
cl_esc_cmdline(const char *line, struct buf *out)
{
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '\0')
		return 0;
	if (strcmp(line, "help") == 0 || strcmp(line, "?") == 0 ||
	    strncmp(line, "-h", 2) == 0) {
		return buf_putf(out, "Commands:\r\n"
		    "      help, -h, ?    show this list\r\n"
		    "(forwarding requests -L -R -D -KL -KR -KD are not "
		    "supported in this version)\r\n");
	}
	if (line[0] == '-' && line[1] != '\0' &&
	    (strchr("LRD", line[1]) != NULL ||
	    (line[1] == 'K' && line[2] != '\0' &&
	    strchr("LRD", line[2]) != NULL))) {
		return buf_putf(out, "Port forwarding is not supported in "
		    "this version.\r\n");
	}
	return buf_putf(out, "Invalid command.\r\n");
}
