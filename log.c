/*
 * log.c: message formatting and output for every program (log.h).
 */
#include "includes.h"

#include <fcntl.h>
#include <syslog.h>
#include <time.h>

#include "errcode.h"
#include "log.h"

#define LOG_LINE_MAX	1024

static const char *log_progname = "keel";
static LogLevel log_level = LOG_LEVEL_INFO;
static int log_facility = LOG_AUTH;
static int log_on_stderr = 1;
static int log_fd = STDERR_FILENO;
static int syslog_open;
static log_handler_fn *log_handler;
static void *log_handler_ctx;
static void (*log_cleanup)(int);

static const struct {
	const char *name;
	LogLevel level;
} log_levels[] = {
	{ "QUIET", LOG_LEVEL_QUIET },
	{ "FATAL", LOG_LEVEL_FATAL },
	{ "ERROR", LOG_LEVEL_ERROR },
	{ "INFO", LOG_LEVEL_INFO },
	{ "VERBOSE", LOG_LEVEL_VERBOSE },
	{ "DEBUG", LOG_LEVEL_DEBUG1 },
	{ "DEBUG1", LOG_LEVEL_DEBUG1 },
	{ "DEBUG2", LOG_LEVEL_DEBUG2 },
	{ "DEBUG3", LOG_LEVEL_DEBUG3 },
};

static const struct {
	const char *name;
	LogFacility facility;
	int syslog_value;
} log_facilities[] = {
	{ "DAEMON", LOG_FACILITY_DAEMON, LOG_DAEMON },
	{ "USER", LOG_FACILITY_USER, LOG_USER },
	{ "AUTH", LOG_FACILITY_AUTH, LOG_AUTH },
	{ "AUTHPRIV", LOG_FACILITY_AUTHPRIV, LOG_AUTHPRIV },
	{ "LOCAL0", LOG_FACILITY_LOCAL0, LOG_LOCAL0 },
	{ "LOCAL1", LOG_FACILITY_LOCAL1, LOG_LOCAL1 },
	{ "LOCAL2", LOG_FACILITY_LOCAL2, LOG_LOCAL2 },
	{ "LOCAL3", LOG_FACILITY_LOCAL3, LOG_LOCAL3 },
	{ "LOCAL4", LOG_FACILITY_LOCAL4, LOG_LOCAL4 },
	{ "LOCAL5", LOG_FACILITY_LOCAL5, LOG_LOCAL5 },
	{ "LOCAL6", LOG_FACILITY_LOCAL6, LOG_LOCAL6 },
	{ "LOCAL7", LOG_FACILITY_LOCAL7, LOG_LOCAL7 },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

LogLevel
log_level_from_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return LOG_LEVEL_NOT_SET;
	for (i = 0; i < NELEM(log_levels); i++) {
		if (strcasecmp(name, log_levels[i].name) == 0)
			return log_levels[i].level;
	}
	return LOG_LEVEL_NOT_SET;
}

const char *
log_level_name(LogLevel level)
{
	size_t i;

	for (i = 0; i < NELEM(log_levels); i++) {
		/* "DEBUG" is an alias; report the canonical DEBUG1. */
		if (log_levels[i].level == level &&
		    strcmp(log_levels[i].name, "DEBUG") != 0)
			return log_levels[i].name;
	}
	return NULL;
}

LogFacility
log_facility_from_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return LOG_FACILITY_NOT_SET;
	for (i = 0; i < NELEM(log_facilities); i++) {
		if (strcasecmp(name, log_facilities[i].name) == 0)
			return log_facilities[i].facility;
	}
	return LOG_FACILITY_NOT_SET;
}

const char *
log_facility_name(LogFacility facility)
{
	size_t i;

	for (i = 0; i < NELEM(log_facilities); i++) {
		if (log_facilities[i].facility == facility)
			return log_facilities[i].name;
	}
	return NULL;
}

void
log_init(const char *progname, LogLevel level, LogFacility facility,
    int on_stderr)
{
	size_t i;

	if (progname != NULL) {
		const char *slash = strrchr(progname, '/');

		log_progname = slash != NULL ? slash + 1 : progname;
	}
	if (level != LOG_LEVEL_NOT_SET)
		log_level = level;
	if (facility != LOG_FACILITY_NOT_SET) {
		for (i = 0; i < NELEM(log_facilities); i++) {
			if (log_facilities[i].facility == facility)
				log_facility = log_facilities[i].syslog_value;
		}
	}
	log_on_stderr = on_stderr;
	if (syslog_open) {
		closelog();
		syslog_open = 0;
	}
}

int
log_to_file(const char *path)
{
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0600)) == -1)
		return -errno;
	if (log_fd != STDERR_FILENO)
		close(log_fd);
	log_fd = fd;
	log_on_stderr = 1;
	return 0;
}

void
log_set_level(LogLevel level)
{
	log_level = level;
}

LogLevel
log_get_level(void)
{
	return log_level;
}

int
log_is_on(LogLevel level)
{
	return level <= log_level;
}

void
log_set_handler(log_handler_fn *handler, void *ctx)
{
	log_handler = handler;
	log_handler_ctx = ctx;
}

void
log_set_cleanup(void (*cleanup)(int))
{
	log_cleanup = cleanup;
}

void
cleanup_exit(int status)
{
	if (log_cleanup != NULL)
		log_cleanup(status);
	_exit(status);
}

/* Copy src to dst escaping control and non-ASCII bytes as \ooo. */
static void
log_escape(char *dst, size_t dlen, const char *src)
{
	size_t o = 0;
	const unsigned char *s = (const unsigned char *)src;

	for (; *s != '\0' && o + 1 < dlen; s++) {
		if ((*s >= 0x20 && *s < 0x7f) || *s == '\t') {
			dst[o++] = (char)*s;
		} else {
			if (o + 5 > dlen)
				break;
			snprintf(dst + o, dlen - o, "\\%03o", *s);
			o += 4;
		}
	}
	dst[o] = '\0';
}

static int
log_syslog_priority(LogLevel level)
{
	switch (level) {
	case LOG_LEVEL_FATAL:
		return LOG_CRIT;
	case LOG_LEVEL_ERROR:
		return LOG_ERR;
	case LOG_LEVEL_INFO:
	case LOG_LEVEL_VERBOSE:
		return LOG_INFO;
	default:
		return LOG_DEBUG;
	}
}

static const char *
log_prefix(LogLevel level)
{
	switch (level) {
	case LOG_LEVEL_DEBUG1:
		return "debug1: ";
	case LOG_LEVEL_DEBUG2:
		return "debug2: ";
	case LOG_LEVEL_DEBUG3:
		return "debug3: ";
	default:
		return "";
	}
}

static void
log_write_all(int fd, const char *s, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, s, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

void
log_emitv(const char *func, int line, LogLevel level, int r,
    const char *fmt, va_list ap)
{
	char msg[LOG_LINE_MAX], esc[LOG_LINE_MAX], out[LOG_LINE_MAX + 32];
	int saved_errno = errno;
	const char *rstr = r != 0 ? errcode_str(r) : NULL;
	size_t len;

	(void)line;
	if (level > log_level && level != LOG_LEVEL_FATAL)
		goto done;
	if (level == LOG_LEVEL_FATAL && log_level == LOG_LEVEL_QUIET &&
	    log_handler == NULL)
		goto done;
	len = 0;
	msg[0] = '\0';
	if (func != NULL) {
		snprintf(msg, sizeof(msg), "%s: ", func);
		len = strlen(msg);
	}
	errno = saved_errno;
	vsnprintf(msg + len, sizeof(msg) - len, fmt, ap);
	if (rstr != NULL) {
		len = strlen(msg);
		snprintf(msg + len, sizeof(msg) - len, ": %s", rstr);
	}
	log_escape(esc, sizeof(esc), msg);
	if (log_handler != NULL) {
		log_handler(level, 0, esc, log_handler_ctx);
		goto done;
	}
	if (log_on_stderr) {
		/*
		 * "\r\n" always, as OpenSSH writes it: a terminal in raw mode
		 * needs the \r, and scripts that compare output expect it.
		 */
		snprintf(out, sizeof(out), "%s%s\r\n", log_prefix(level), esc);
		log_write_all(log_fd, out, strlen(out));
	} else {
		if (!syslog_open) {
			openlog(log_progname, LOG_PID, log_facility);
			syslog_open = 1;
		}
		syslog(log_syslog_priority(level), "%s%s",
		    log_prefix(level), esc);
	}
 done:
	errno = saved_errno;
}

void
log_emit(const char *func, int line, LogLevel level, int r,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emitv(func, line, level, r, fmt, ap);
	va_end(ap);
}

void
log_fatal(const char *func, int line, int r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emitv(func, line, LOG_LEVEL_FATAL, r, fmt, ap);
	va_end(ap);
	cleanup_exit(255);
}
