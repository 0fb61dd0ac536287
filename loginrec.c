/*
 * loginrec.c: utmp, wtmp and lastlog records (loginrec.h).
 */
#include "includes.h"

#include <sys/stat.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <lastlog.h>
#include <paths.h>
#include <utmp.h>
#include <utmpx.h>

#include "errcode.h"
#include "log.h"
#include "loginrec.h"

/* Copy s into a fixed-size record field (NUL-padded, maybe unended). */
static void
lr_field(char *dst, size_t dstlen, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	memset(dst, 0, dstlen);
	if (n > dstlen)
		n = dstlen;
	if (n > 0)
		memcpy(dst, s, n);
}

/* "pts/3" from "/dev/pts/3". */
static const char *
lr_line(const char *tty)
{
	if (tty != NULL && strncmp(tty, "/dev/", 5) == 0)
		return tty + 5;
	return tty != NULL ? tty : "";
}

static void
lr_addr(struct utmpx *ut, const struct sockaddr *sa, socklen_t len)
{
	const struct sockaddr_in *sin;
	const struct sockaddr_in6 *sin6;

	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET && len >= sizeof(*sin)) {
		sin = (const struct sockaddr_in *)sa;
		memcpy(&ut->ut_addr_v6[0], &sin->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6 && len >= sizeof(*sin6)) {
		sin6 = (const struct sockaddr_in6 *)sa;
		memcpy(ut->ut_addr_v6, &sin6->sin6_addr, 16);
	}
}

/* The utmpx entry for rec of the given type. */
static void
lr_make(struct utmpx *ut, const struct loginrec *rec, short type)
{
	const char *line = lr_line(rec->tty);
	size_t len = strlen(line);
	struct timeval tv;

	memset(ut, 0, sizeof(*ut));
	ut->ut_type = type;
	ut->ut_pid = rec->pid;
	ut->ut_session = rec->pid;
	lr_field(ut->ut_line, sizeof(ut->ut_line), line);
	/* The id is the line's tail, as login(1) makes it. */
	lr_field(ut->ut_id, sizeof(ut->ut_id), len > sizeof(ut->ut_id) ?
	    line + (len - sizeof(ut->ut_id)) : line);
	if (type == USER_PROCESS) {
		lr_field(ut->ut_user, sizeof(ut->ut_user), rec->user);
		lr_field(ut->ut_host, sizeof(ut->ut_host), rec->host);
		lr_addr(ut, rec->addr, rec->addrlen);
	}
	if (rec->when != 0) {
		ut->ut_tv.tv_sec = (int32_t)rec->when;
	} else {
		gettimeofday(&tv, NULL);
		ut->ut_tv.tv_sec = (int32_t)tv.tv_sec;
		ut->ut_tv.tv_usec = (int32_t)tv.tv_usec;
	}
}

/* 1 if path exists; 0 (with a debug line) if the system keeps none. */
static int
lr_kept(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 || errno != ENOENT)
		return 1;
	debug_f("%s does not exist: no record written", path);
	return 0;
}

static int
lr_write_utmp(const char *path, const struct utmpx *ut)
{
	int r = 0;

	if (!lr_kept(path))
		return 0;

	if (utmpxname(path) != 0) {
		error_f("utmpxname %s: %s", path, strerror(errno));
		return ERR_ERRNO;
	}
	setutxent();
	if (pututxline(ut) == NULL) {
		error_f("%s: %s", path, strerror(errno));
		r = ERR_ERRNO;
	}
	endutxent();
	/* Leave the library pointing at the system file again. */
	(void)utmpxname(_PATH_UTMPX);
	return r;
}

static int
lr_write_wtmp(const char *path, const struct utmpx *ut)
{
	struct stat st;

	/* updwtmpx reports nothing: check the file is there first. */
	if (!lr_kept(path))
		return 0;
	if (stat(path, &st) == -1) {
		error_f("%s: %s", path, strerror(errno));
		return ERR_ERRNO;
	}
	updwtmpx(path, ut);
	return 0;
}

/* The byte offset of uid's lastlog entry, if it fits an off_t. */
static int
lr_lastlog_offset(uid_t uid, off_t *offp)
{
	uint64_t off = (uint64_t)uid * sizeof(struct lastlog);

	if (off > (uint64_t)INT64_MAX - sizeof(struct lastlog))
		return ERR_NUMBER_TOO_LARGE;
	*offp = (off_t)off;
	return 0;
}

static int
lr_write_lastlog(const char *path, const struct loginrec *rec, time_t when)
{
	struct lastlog ll;
	off_t off;
	ssize_t n;
	int fd, r;

	if ((r = lr_lastlog_offset(rec->uid, &off)) != 0)
		return r;
	memset(&ll, 0, sizeof(ll));
	ll.ll_time = (int32_t)when;
	lr_field(ll.ll_line, sizeof(ll.ll_line), lr_line(rec->tty));
	lr_field(ll.ll_host, sizeof(ll.ll_host), rec->host);
	if ((fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ENOENT) {
			debug_f("%s does not exist: no record written", path);
			return 0;
		}
		error_f("%s: %s", path, strerror(errno));
		return ERR_ERRNO;
	}
	n = pwrite(fd, &ll, sizeof(ll), off);
	close(fd);
	if (n != (ssize_t)sizeof(ll)) {
		error_f("%s: write failed", path);
		return ERR_ERRNO;
	}
	return 0;
}

static const char *
lr_path(const char *p, const char *dflt)
{
	return p != NULL ? p : dflt;
}

int
loginrec_login(const struct loginrec_paths *paths,
    const struct loginrec *rec)
{
	static const struct loginrec_paths none;
	struct utmpx ut;
	int r, first = 0;

	if (rec == NULL || rec->user == NULL || rec->tty == NULL)
		return ERR_INVALID_ARGUMENT;
	if (paths == NULL)
		paths = &none;
	lr_make(&ut, rec, USER_PROCESS);
	if ((r = lr_write_utmp(lr_path(paths->utmp, _PATH_UTMPX), &ut)) != 0)
		first = r;
	if ((r = lr_write_wtmp(lr_path(paths->wtmp, _PATH_WTMPX),
	    &ut)) != 0 && first == 0)
		first = r;
	if ((r = lr_write_lastlog(lr_path(paths->lastlog, _PATH_LASTLOG),
	    rec, ut.ut_tv.tv_sec)) != 0 && first == 0)
		first = r;
	return first;
}

int
loginrec_logout(const struct loginrec_paths *paths,
    const struct loginrec *rec)
{
	static const struct loginrec_paths none;
	struct utmpx ut;
	int r, first = 0;

	if (rec == NULL || rec->tty == NULL)
		return ERR_INVALID_ARGUMENT;
	if (paths == NULL)
		paths = &none;
	lr_make(&ut, rec, DEAD_PROCESS);
	if ((r = lr_write_utmp(lr_path(paths->utmp, _PATH_UTMPX), &ut)) != 0)
		first = r;
	if ((r = lr_write_wtmp(lr_path(paths->wtmp, _PATH_WTMPX),
	    &ut)) != 0 && first == 0)
		first = r;
	return first;
}

/* A fixed-size field as a NUL-terminated string in dst. */
static void
lr_string(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	size_t n = strnlen(src, srclen);

	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int
loginrec_lastlog_get(const struct loginrec_paths *paths, uid_t uid,
    struct loginrec_last *last, int *foundp)
{
	struct lastlog ll;
	const char *path;
	off_t off;
	ssize_t n;
	int fd, r;

	memset(last, 0, sizeof(*last));
	*foundp = 0;
	path = lr_path(paths != NULL ? paths->lastlog : NULL, _PATH_LASTLOG);
	if ((r = lr_lastlog_offset(uid, &off)) != 0)
		return r;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return ERR_ERRNO;
	n = pread(fd, &ll, sizeof(ll), off);
	close(fd);
	if (n == -1)
		return ERR_ERRNO;
	/* Past the end of the file, or a hole: never logged in. */
	if (n != (ssize_t)sizeof(ll) || ll.ll_time == 0)
		return 0;
	last->when = (time_t)ll.ll_time;
	lr_string(last->line, sizeof(last->line), ll.ll_line,
	    sizeof(ll.ll_line));
	lr_string(last->host, sizeof(last->host), ll.ll_host,
	    sizeof(ll.ll_host));
	*foundp = 1;
	return 0;
}
