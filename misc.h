/*
 * misc.h: small helpers shared by every program: reliable I/O, path and
 * string expansion, config-line tokenising, number parsing, file mode
 * checks and clocks.
 *
 * Library code: nothing here exits or calls xmalloc.  Functions that can
 * fail return 0 or a negative ERR_* code (errcode.h) unless said otherwise.
 * Strings handed back through a char ** out-parameter are new heap copies
 * owned by the caller (free them); out-parameters are cleared first and set
 * only on success.
 */
#ifndef KEEL_MISC_H
#define KEEL_MISC_H

#include <sys/types.h>
#include <sys/stat.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------ I/O */

/*
 * Read or write exactly n bytes, retrying on EINTR and waiting in poll(2)
 * on EAGAIN (so non-blocking descriptors work too).  Returns the number of
 * bytes transferred; a result short of n means failure and errno says why:
 * EPIPE for end of file on read, otherwise the error of read/write/poll.
 * On full success errno is left alone.
 */
size_t atomicio_read(int fd, void *p, size_t n);
size_t atomicio_write(int fd, const void *p, size_t n);

/* O_NONBLOCK on/off.  0 or ERR_ERRNO (errno set). */
int set_nonblock(int fd) must_check;
int unset_nonblock(int fd) must_check;

/*
 * Make sure descriptors 0, 1 and 2 are open (to /dev/null if not), so a
 * file opened later never lands on a standard descriptor.  Call early in
 * main().  0 or ERR_ERRNO.
 */
int sanitise_stdfd(void) must_check;

/*
 * Point the selected standard descriptors at /dev/null (daemons).
 * 0 or ERR_ERRNO.
 */
int stdfd_devnull(int do_stdin, int do_stdout, int do_stderr) must_check;

/*
 * Create a listening Unix-domain stream socket at path (a fresh socket
 * file; with unlink_first an existing file there is removed first).
 * Returns the descriptor (>= 0) or a negative ERR_* code:
 * ERR_INVALID_ARGUMENT if path does not fit sockaddr_un, ERR_ERRNO
 * (errno set) otherwise.
 */
int unix_listener(const char *path, int backlog, int unlink_first)
    must_check;

/* ------------------------------------------------------------ time */

/* Milliseconds / seconds of a monotonic clock (never goes backwards). */
uint64_t monotime_ms(void);
uint64_t monotime(void);

/*
 * sshd_config(5) TIME FORMATS: a sequence of number[unit], unit one of
 * s/S (seconds, the default), m/M, h/H, d/D, w/W: "90", "1h30m", "2w".
 * The total is capped at INT_MAX seconds.  0 with *secsp set, or
 * ERR_INVALID_FORMAT (empty, junk, unit without number),
 * ERR_NUMBER_TOO_LARGE (overflow or beyond INT_MAX).
 */
int convtime(const char *s, long *secsp) must_check;

/*
 * Format a number of seconds as convtime() would read it back, e.g.
 * "1h30m", "0s" (buf gets a NUL-terminated, possibly truncated string).
 */
void fmt_timeframe(uint64_t secs, char *buf, size_t len);

/*
 * ssh-keygen -V / authorized_keys expiry-time= absolute times:
 * "YYYYMMDD", "YYYYMMDDHHMM" or "YYYYMMDDHHMMSS", local time unless a
 * trailing "Z" or "z" says UTC.  *tp gets seconds since the epoch.
 * 0, ERR_INVALID_FORMAT or ERR_NUMBER_TOO_LARGE.
 */
int parse_absolute_time(const char *s, uint64_t *tp) must_check;

/*
 * "YYYY-MM-DDTHH:MM:SS" in local time, as ssh-keygen -L prints validity
 * (buf gets a NUL-terminated string; 20 bytes suffice).
 */
void format_absolute_time(uint64_t t, char *buf, size_t len);

/* ------------------------------------------------------------ numbers */

/*
 * A size with an optional unit suffix (case-insensitive): B, K, M, G, T,
 * P, E (powers of 1024), and an optional decimal fraction: "1G", "512M",
 * "1.5K", "100".  As in RekeyLimit.  0 with *valp set, or
 * ERR_INVALID_FORMAT / ERR_NUMBER_TOO_LARGE (beyond UINT64_MAX).
 */
int parse_size(const char *s, uint64_t *valp) must_check;

/*
 * A port: decimal 0..65535, or a TCP service name from services(5).
 * Returns the port, or -1 if s is neither.
 */
int a2port(const char *s);

/* ------------------------------------------------------------ strings */

/*
 * Expand a leading "~" (home of uid) or "~user" (that user's home) in
 * path; other paths are copied.  "~" alone and "~/" forms both work;
 * the result never contains "//" at the join.  0 with *retp set, or
 * ERR_NOT_FOUND (no such user), ERR_INVALID_FORMAT (user name too long),
 * ERR_ALLOC_FAIL.
 */
int tilde_expand(const char *path, uid_t uid, char **retp) must_check;

/*
 * %-escapes: map is an array ending with key 0; "%x" is replaced with the
 * value of key 'x' and "%%" with "%".  A NULL value counts as unknown.
 * 0 with *retp set, or ERR_INVALID_FORMAT (an unknown escape or a
 * trailing "%"), ERR_STRING_TOO_LARGE (result beyond 64 KiB),
 * ERR_ALLOC_FAIL.
 */
struct percent_map {
	char key;
	const char *value;
};
int percent_expand(const char *s, const struct percent_map *map,
    char **retp) must_check;

/*
 * Split a config line into words, as OpenSSH's config parsers do:
 *  - spaces and tabs separate words;
 *  - "double" and 'single' quotes group (the quotes are removed, and a
 *    quoted empty string is an empty word);
 *  - a backslash before ', " or \ yields that character (also inside
 *    quotes); a backslash before a space yields a space outside quotes;
 *    any other backslash is kept as is;
 *  - with terminate_on_comment, a '#' at the start of a word ends the line
 *    ('#' inside a word is ordinary).
 * On success *argcp and *argvp get the count and a NULL-terminated array that
 * the caller frees with argv_free().  ERR_INVALID_FORMAT for an
 * unterminated quote, ERR_ALLOC_FAIL, ERR_INVALID_ARGUMENT.
 */
int argv_split(const char *s, int *argcp, char ***argvp,
    int terminate_on_comment) must_check;
/* Free what argv_split() returned; argv may be NULL. */
void argv_free(char **argv, int argc);

/*
 * Join args into one command line for a remote POSIX shell: words made
 * only of safe characters (alphanumerics and -_./:,=@+%^) are kept, others
 * are single-quoted (an empty word becomes ''), with ' and \ written as
 * '\'' and '\\' outside the quotes.  The result reads back to the same
 * words through sh and through argv_split().  New string, NULL on
 * allocation failure.
 */
char *argv_assemble(int argc, char **argv);

/*
 * Return the next word of *s and advance *s past it and its delimiter:
 * words are separated by whitespace, optionally with one '=' between
 * them (config "Key=Value" syntax); a word may be "double-quoted".
 * Modifies the string in place.  NULL when there are no more words (or
 * for an unterminated quote, *s then set to NULL).  strdelimw() splits on
 * whitespace only.
 */
char *strdelim(char **s);
char *strdelimw(char **s);

/*
 * Split "host:port" / "[v6addr]:port" style strings: returns the host
 * part (brackets removed, string modified in place) and advances *cp past
 * the ':' to the rest, or sets *cp to NULL when there is no ':'.  NULL on
 * a malformed string (unbalanced brackets).
 */
char *hpdelim(char **cp);

/* Lower-case s in place (ASCII). */
void lowercase(char *s);

/* If s starts with prefix, a pointer past it in s; otherwise NULL. */
const char *strprefix(const char *s, const char *prefix, int ignorecase);

/*
 * dir + "/" + name, without a doubled '/' when dir ends in one.  New
 * string, NULL on allocation failure.
 */
char *path_append(const char *dir, const char *name);

/* ------------------------------------------------------------ files */

/*
 * StrictModes: path (already stat'ed into *st) must be a regular file,
 * owned by root or uid and not group- or world-writable; so must every
 * directory above it (of its realpath), up to and including homedir (the
 * walk stops there; with homedir NULL it goes to "/").
 * Returns 0, or a negative ERR_* code with a message in err:
 * ERR_KEY_BAD_PERMISSIONS ("bad ownership or modes for file /x",
 * "bad ownership or modes for directory /x", "/x is not a regular file"),
 * ERR_ERRNO ("realpath /x failed: ..."), ERR_INVALID_ARGUMENT.
 * Callers test != 0.
 */
int safe_path(const char *path, const struct stat *st, const char *homedir,
    uid_t uid, char *err, size_t errlen) must_check;
/* The same for an open file: fstat(fd) gives st. */
int safe_path_fd(int fd, const char *path, const char *homedir, uid_t uid,
    char *err, size_t errlen) must_check;

#endif /* KEEL_MISC_H */
