/*
 * log.h: logging for every program of the suite.
 *
 * Levels and facilities are OpenSSH's, by the same names, so LogLevel and
 * SyslogFacility lines of existing configs keep working.  Messages go to
 * stderr, to syslog, or to a file (-E); control characters in a message are
 * escaped so peer-supplied text cannot forge log lines.
 *
 * Never log a secret: passwords, private keys, PAM answers, session keys.
 *
 * Library code logs but never exits: fatal() is for programs' main loops,
 * the per-connection sshd child and the monitor (STYLE.md rule 8).
 */
#ifndef KEEL_LOG_H
#define KEEL_LOG_H

#include <stdarg.h>

typedef enum {
	LOG_LEVEL_QUIET,
	LOG_LEVEL_FATAL,
	LOG_LEVEL_ERROR,
	LOG_LEVEL_INFO,
	LOG_LEVEL_VERBOSE,
	LOG_LEVEL_DEBUG1,
	LOG_LEVEL_DEBUG2,
	LOG_LEVEL_DEBUG3,
	LOG_LEVEL_NOT_SET = -1
} LogLevel;

typedef enum {
	LOG_FACILITY_DAEMON,
	LOG_FACILITY_USER,
	LOG_FACILITY_AUTH,
	LOG_FACILITY_AUTHPRIV,
	LOG_FACILITY_LOCAL0,
	LOG_FACILITY_LOCAL1,
	LOG_FACILITY_LOCAL2,
	LOG_FACILITY_LOCAL3,
	LOG_FACILITY_LOCAL4,
	LOG_FACILITY_LOCAL5,
	LOG_FACILITY_LOCAL6,
	LOG_FACILITY_LOCAL7,
	LOG_FACILITY_NOT_SET = -1
} LogFacility;

/*
 * Set up logging: progname prefixes syslog lines; on_stderr != 0 sends
 * messages to stderr instead of syslog.  May be called again to change
 * the settings (e.g. after the config file is read).
 */
void log_init(const char *progname, LogLevel level, LogFacility facility,
    int on_stderr);
/* Append to the file at path instead of stderr/syslog (-E).  0 or -errno. */
int log_to_file(const char *path);
void log_set_level(LogLevel);
LogLevel log_get_level(void);
/* 1 if messages at level would be emitted. */
int log_is_on(LogLevel level);

/* Names as in config files ("DEBUG3", "AUTH"); NOT_SET if unknown. */
LogLevel log_level_from_name(const char *name);
const char *log_level_name(LogLevel level);
LogFacility log_facility_from_name(const char *name);
const char *log_facility_name(LogFacility facility);

/*
 * A handler that replaces output (sshd's pre-auth child forwards its log
 * lines to the monitor); NULL restores normal output.  The handler gets the
 * already formatted, escaped line.
 */
typedef void log_handler_fn(LogLevel level, int forced, const char *msg,
    void *ctx);
void log_set_handler(log_handler_fn *handler, void *ctx);

/* Called by fatal() before exit(255); programs use it to remove files. */
void log_set_cleanup(void (*cleanup)(int));
void cleanup_exit(int status) __attribute__((__noreturn__));

/*
 * The emitter behind the macros.  func may be NULL.  r != 0 appends
 * ": <errcode_str(r)>" to the message.
 */
void log_emit(const char *func, int line, LogLevel level, int r,
    const char *fmt, ...) __attribute__((__format__(__printf__, 5, 6)));
void log_emitv(const char *func, int line, LogLevel level, int r,
    const char *fmt, va_list ap);
void log_fatal(const char *func, int line, int r, const char *fmt, ...)
    __attribute__((__noreturn__)) __attribute__((__format__(__printf__, 4, 5)));

/* Plain forms: the message alone. */
#define logit(...)	log_emit(NULL, 0, LOG_LEVEL_INFO, 0, __VA_ARGS__)
#define verbose(...)	log_emit(NULL, 0, LOG_LEVEL_VERBOSE, 0, __VA_ARGS__)
#define error(...)	log_emit(NULL, 0, LOG_LEVEL_ERROR, 0, __VA_ARGS__)
#define debug(...)	log_emit(NULL, 0, LOG_LEVEL_DEBUG1, 0, __VA_ARGS__)
#define debug2(...)	log_emit(NULL, 0, LOG_LEVEL_DEBUG2, 0, __VA_ARGS__)
#define debug3(...)	log_emit(NULL, 0, LOG_LEVEL_DEBUG3, 0, __VA_ARGS__)
#define fatal(...)	log_fatal(NULL, 0, 0, __VA_ARGS__)

/* _f forms prefix the function name; _fr forms also append errcode_str(r). */
#define logit_f(...)	log_emit(__func__, __LINE__, LOG_LEVEL_INFO, 0, __VA_ARGS__)
#define verbose_f(...)	log_emit(__func__, __LINE__, LOG_LEVEL_VERBOSE, 0, __VA_ARGS__)
#define error_f(...)	log_emit(__func__, __LINE__, LOG_LEVEL_ERROR, 0, __VA_ARGS__)
#define debug_f(...)	log_emit(__func__, __LINE__, LOG_LEVEL_DEBUG1, 0, __VA_ARGS__)
#define debug2_f(...)	log_emit(__func__, __LINE__, LOG_LEVEL_DEBUG2, 0, __VA_ARGS__)
#define debug3_f(...)	log_emit(__func__, __LINE__, LOG_LEVEL_DEBUG3, 0, __VA_ARGS__)
#define fatal_f(...)	log_fatal(__func__, __LINE__, 0, __VA_ARGS__)
#define error_fr(r, ...) log_emit(__func__, __LINE__, LOG_LEVEL_ERROR, r, __VA_ARGS__)
#define debug_fr(r, ...) log_emit(__func__, __LINE__, LOG_LEVEL_DEBUG1, r, __VA_ARGS__)
#define debug2_fr(r, ...) log_emit(__func__, __LINE__, LOG_LEVEL_DEBUG2, r, __VA_ARGS__)
#define debug3_fr(r, ...) log_emit(__func__, __LINE__, LOG_LEVEL_DEBUG3, r, __VA_ARGS__)
#define verbose_fr(r, ...) log_emit(__func__, __LINE__, LOG_LEVEL_VERBOSE, r, __VA_ARGS__)
#define fatal_fr(r, ...) log_fatal(__func__, __LINE__, r, __VA_ARGS__)

#endif /* KEEL_LOG_H */
