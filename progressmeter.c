/*
 * progressmeter.c: the one-line transfer meter of sftp and scp
 * (progressmeter.h).
 */
#include "includes.h"

#include <sys/ioctl.h>
#include <termios.h>

#include "misc.h"
#include "progressmeter.h"

/* Redraw at most this often; "stalled" after this long without bytes. */
#define PM_REDRAW_MS	1000
#define PM_STALLED_MS	5000
#define PM_MAX_WIDTH	512
/* Columns taken by the statistics after the name. */
#define PM_STATS_COLS	36

struct progress {
	char		*title;
	uint64_t	 size;
	uint64_t	 start_done;	/* bytes there before we began */
	uint64_t	 done;
	uint64_t	 start_ms;
	uint64_t	 last_draw_ms;
	uint64_t	 last_done;	/* done at the last draw */
	uint64_t	 last_move_ms;	/* when done last changed */
	double		 rate;		/* smoothed bytes/s */
};

static const char *const pm_units[] = { "B", "KB", "MB", "GB", "TB", "PB" };
#define PM_NUNITS	(sizeof(pm_units) / sizeof(pm_units[0]))

void
progress_format_bytes(uint64_t bytes, char *out, size_t outlen)
{
	size_t u = 0;

	/* At most five digits, rounding as we scale down. */
	while (bytes >= 100000 && u + 1 < PM_NUNITS) {
		bytes = (bytes + 512) / 1024;
		u++;
	}
	snprintf(out, outlen, "%5llu%-2s", (unsigned long long)bytes,
	    pm_units[u]);
}

/* A rate as "123.4KB/s" in at most 9 columns. */
static void
pm_format_rate(double rate, char *out, size_t outlen)
{
	size_t u = 1;

	/* Always at least KB, like the byte counts of a busy transfer. */
	rate /= 1024.0;
	while (rate >= 999.95 && u + 1 < PM_NUNITS) {
		rate /= 1024.0;
		u++;
	}
	snprintf(out, outlen, "%5.1f%s/s", rate, pm_units[u]);
}

/* Seconds as "mm:ss" or "hh:mm:ss". */
static void
pm_format_time(uint64_t secs, char *out, size_t outlen)
{
	if (secs >= 100 * 3600)
		secs = 100 * 3600 - 1;
	if (secs >= 3600)
		snprintf(out, outlen, "%02u:%02u:%02u",
		    (unsigned int)(secs / 3600),
		    (unsigned int)(secs / 60 % 60), (unsigned int)(secs % 60));
	else
		snprintf(out, outlen, "%02u:%02u",
		    (unsigned int)(secs / 60), (unsigned int)(secs % 60));
}

/* The last path component of title. */
static const char *
pm_basename(const char *title)
{
	const char *s = strrchr(title, '/');

	if (s != NULL && s[1] != '\0')
		return s + 1;
	return title;
}

void
progress_format_line(const char *title, uint64_t size, uint64_t done,
    uint64_t start_done, double elapsed, double rate, int final,
    unsigned int width, char *out, size_t outlen)
{
	char bytes[32], rates[48], eta[48], when[24];
	unsigned int pct, namew;
	size_t len;

	if (outlen == 0)
		return;
	if (width > PM_MAX_WIDTH)
		width = PM_MAX_WIDTH;
	if (size == 0 || done >= size)
		pct = 100;
	else
		pct = (unsigned int)((done * 100.0) / (double)size);
	progress_format_bytes(done, bytes, sizeof(bytes));
	pm_format_rate(rate, rates, sizeof(rates));
	if (final) {
		pm_format_time((uint64_t)elapsed, when, sizeof(when));
		snprintf(eta, sizeof(eta), "%s    ", when);
	} else if (rate <= 0 || done < start_done) {
		snprintf(eta, sizeof(eta), "--:-- ETA");
	} else {
		pm_format_time((uint64_t)((size > done ? size - done : 0) /
		    rate), when, sizeof(when));
		snprintf(eta, sizeof(eta), "%s ETA", when);
	}
	namew = width > PM_STATS_COLS ? width - PM_STATS_COLS : 1;
	snprintf(out, outlen, "%-*.*s %3u%% %s %s %s", (int)namew,
	    (int)namew, pm_basename(title), pct, bytes, rates, eta);
	/* Exactly the width: padded so it covers the last draw. */
	len = strlen(out);
	while (len < width && len + 1 < outlen)
		out[len++] = ' ';
	out[MINIMUM(len, outlen - 1)] = '\0';
	if (width + 1 < outlen && strlen(out) > width)
		out[width] = '\0';
}

/* 1 if we may draw: stdout is a terminal we are in the foreground of. */
static int
pm_can_draw(void)
{
	pid_t fg;

	if (!isatty(STDOUT_FILENO))
		return 0;
	fg = tcgetpgrp(STDOUT_FILENO);
	return fg != -1 && fg == getpgrp();
}

static unsigned int
pm_width(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == -1 || ws.ws_col == 0)
		return 80;
	return MINIMUM(ws.ws_col, PM_MAX_WIDTH);
}

static void
pm_draw(struct progress *p, uint64_t now, int final)
{
	char line[PM_MAX_WIDTH + 8], out[PM_MAX_WIDTH + 16];
	double elapsed = (double)(now - p->start_ms) / 1000.0;
	double rate = p->rate;
	ssize_t n;
	size_t len, off;

	if (final && elapsed > 0)
		rate = (double)(p->done - p->start_done) / elapsed;
	if (!final && now - p->last_move_ms >= PM_STALLED_MS)
		rate = 0;
	progress_format_line(p->title, p->size, p->done, p->start_done,
	    elapsed, rate, final, pm_width() - 1, line, sizeof(line));
	snprintf(out, sizeof(out), "\r%s%s", line, final ? "\n" : "");
	if (!pm_can_draw())
		return;
	len = strlen(out);
	for (off = 0; off < len; off += (size_t)n) {
		n = write(STDOUT_FILENO, out + off, len - off);
		if (n == -1 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			return;
	}
}

struct progress *
progress_start(const char *title, uint64_t size, uint64_t done)
{
	struct progress *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if ((p->title = strdup(title)) == NULL) {
		free(p);
		return NULL;
	}
	p->size = size;
	p->done = p->start_done = p->last_done = done;
	p->start_ms = p->last_draw_ms = p->last_move_ms = monotime_ms();
	pm_draw(p, p->start_ms, 0);
	return p;
}

void
progress_update(struct progress *p, uint64_t done)
{
	uint64_t now, dt;
	double inst;

	if (p == NULL)
		return;
	now = monotime_ms();
	if (done != p->done)
		p->last_move_ms = now;
	p->done = done;
	dt = now - p->last_draw_ms;
	if (dt < PM_REDRAW_MS)
		return;
	inst = done > p->last_done ?
	    (double)(done - p->last_done) * 1000.0 / (double)dt : 0;
	/* Smooth so the figure does not jump about every second. */
	p->rate = p->rate == 0 ? inst : 0.7 * p->rate + 0.3 * inst;
	p->last_done = done;
	p->last_draw_ms = now;
	pm_draw(p, now, 0);
}

void
progress_finish(struct progress *p)
{
	if (p == NULL)
		return;
	pm_draw(p, monotime_ms(), 1);
	free(p->title);
	free(p);
}
