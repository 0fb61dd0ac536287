/*
 * scp-util.c: argument lists, terminal-safe messages, log output and the
 * bandwidth limit of the scp program (scp.h).
 */
#include "includes.h"

#include <langinfo.h>
#include <locale.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>

#include "log.h"
#include "misc.h"
#include "scp.h"
#include "xmalloc.h"

/* ------------------------------------------------------------ argv */

void
scp_argv_add(struct scp_argv *a, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (xvasprintf(&s, fmt, ap) < 0)
		fatal_f("out of memory");
	va_end(ap);
	if (a->num + 2 > a->nalloc) {
		a->nalloc = a->nalloc == 0 ? 16 : a->nalloc * 2;
		a->list = xreallocarray(a->list, a->nalloc, sizeof(*a->list));
	}
	a->list[a->num++] = s;
	a->list[a->num] = NULL;
}

void
scp_argv_free(struct scp_argv *a)
{
	size_t i;

	for (i = 0; i < a->num; i++)
		free(a->list[i]);
	free(a->list);
	memset(a, 0, sizeof(*a));
}

/* ------------------------------------------------------------ printing */

/* Printable UTF-8 passes through only in a UTF-8 locale. */
static int scp_utf8;
/* Our name as we were run: log lines start with it. */
static const char *scp_argv0 = "scp";

/*
 * Log lines: "argv0: " + level prefix + message, ended by CRLF, as
 * OpenSSH's scp writes them.
 */
static void
scp_log_line(LogLevel level, int forced, const char *msg, void *ctx)
{
	const char *pfx = "";
	char line[1200];
	size_t len;

	(void)forced;
	(void)ctx;
	switch (level) {
	case LOG_LEVEL_DEBUG1:
		pfx = "debug1: ";
		break;
	case LOG_LEVEL_DEBUG2:
		pfx = "debug2: ";
		break;
	case LOG_LEVEL_DEBUG3:
		pfx = "debug3: ";
		break;
	default:
		break;
	}
	snprintf(line, sizeof(line), "%s: %s%s\r\n", scp_argv0, pfx, msg);
	len = strlen(line);
	(void)atomicio_write(STDERR_FILENO, line, len);
}

void
scp_log_setup(const char *argv0)
{
	const char *cs;

	if (argv0 != NULL && *argv0 != '\0')
		scp_argv0 = argv0;
	log_init(argv0, LOG_LEVEL_INFO, LOG_FACILITY_USER, 1);
	log_set_handler(scp_log_line, NULL);
	/* Only the character type: numbers and messages stay "C". */
	if (setlocale(LC_CTYPE, "") != NULL &&
	    (cs = nl_langinfo(CODESET)) != NULL &&
	    (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0))
		scp_utf8 = 1;
	else
		setlocale(LC_CTYPE, "C");
}

/*
 * Bytes of s made safe for a terminal: controls (but tab and newline
 * when keep_nl) and bytes that are not printable characters become
 * \ooo.
 */
static char *
safe_string(const char *s, int keep_nl)
{
	size_t len = strlen(s), o = 0, n, i;
	const u_char *p = (const u_char *)s;
	mbstate_t st;
	wchar_t wc;
	char *out;

	out = xcalloc(len + 1, 4);
	memset(&st, 0, sizeof(st));
	while (*p != '\0') {
		if (*p < 0x80) {
			if ((*p >= 0x20 && *p < 0x7f) || *p == '\t' ||
			    (keep_nl && *p == '\n'))
				out[o++] = (char)*p;
			else
				o += (size_t)snprintf(out + o, 5, "\\%03o", *p);
			p++;
			continue;
		}
		n = 0;
		if (scp_utf8) {
			n = mbrtowc(&wc, (const char *)p,
			    strlen((const char *)p), &st);
			if (n == (size_t)-1 || n == (size_t)-2 || n == 0 ||
			    !iswprint((wint_t)wc)) {
				memset(&st, 0, sizeof(st));
				n = 0;
			}
		}
		if (n == 0) {
			o += (size_t)snprintf(out + o, 5, "\\%03o", *p);
			p++;
			continue;
		}
		for (i = 0; i < n; i++)
			out[o++] = (char)*p++;
	}
	out[o] = '\0';
	return out;
}

const char *
scp_progname(void)
{
	return scp_argv0;
}

char *
scp_safe_string(const char *s)
{
	return safe_string(s, 0);
}

void
scp_veprintf(const char *fmt, va_list ap)
{
	char *msg, *safe;

	if (xvasprintf(&msg, fmt, ap) < 0)
		return;
	safe = safe_string(msg, 1);
	(void)atomicio_write(STDERR_FILENO, safe, strlen(safe));
	free(safe);
	free(msg);
}

void
scp_eprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scp_veprintf(fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------ -l */

/* Start a new accounting window this often, so old history fades. */
#define BW_WINDOW_MS	4000

void
scp_bwlimit_init(struct scp_bwlimit *bw, uint64_t kbps)
{
	memset(bw, 0, sizeof(*bw));
	bw->rate = kbps * 1024 / 8;
	bw->start_ms = monotime_ms();
}

/*
 * Sleep until the bytes moved since the window began are no more than
 * the rate allows.
 */
void
scp_bwlimit_account(struct scp_bwlimit *bw, size_t n)
{
	uint64_t now, due_ms, elapsed;
	struct timespec ts;

	if (bw->rate == 0)
		return;
	bw->bytes += n;
	now = monotime_ms();
	elapsed = now - bw->start_ms;
	due_ms = bw->bytes * 1000 / bw->rate;
	if (due_ms > elapsed) {
		ts.tv_sec = (time_t)((due_ms - elapsed) / 1000);
		ts.tv_nsec = (long)((due_ms - elapsed) % 1000) * 1000000L;
		while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
			;
		now = monotime_ms();
		elapsed = now - bw->start_ms;
	}
	if (elapsed >= BW_WINDOW_MS) {
		bw->start_ms = now;
		bw->bytes = 0;
	}
}
