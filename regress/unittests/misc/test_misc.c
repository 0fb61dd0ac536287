/*
 * Unit tests of misc.c, misc-num.c and misc-file.c, plus the error code
 * strings and the log level/facility names.
 */
#include "includes.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <time.h>

#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "../test_helper/test_helper.h"

/* ------------------------------------------------------------ helpers */

/* Wait for a child and check it exited with 0. */
static void
expect_child_ok(pid_t pid)
{
	int status;

	ASSERT_INT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_INT_EQ(WEXITSTATUS(status), 0);
}

/* 1 if fd refers to /dev/null. */
static int
is_devnull(int fd)
{
	struct stat a, b;

	if (fstat(fd, &a) == -1 || stat("/dev/null", &b) == -1)
		return 0;
	return S_ISCHR(a.st_mode) && a.st_rdev == b.st_rdev;
}

static char tmpdir[PATH_MAX];

static void
make_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/keel-misc.XXXXXX",
	    base != NULL && *base != '\0' ? base : "/tmp");
	ASSERT_PTR_NE(mkdtemp(tmpdir), NULL);
}

static void
join_path(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	ASSERT_INT_GE(n, 0);
	ASSERT_INT_LT(n, (int)len);
}

static void
tmp_path(char *buf, size_t len, const char *name)
{
	join_path(buf, len, tmpdir, name);
}

/* ------------------------------------------------------------ I/O */

static void
test_atomicio(void)
{
	static unsigned char out[1024 * 1024], in[sizeof(out)];
	unsigned char small[32];
	int fds[2];
	size_t i;
	pid_t pid;

	for (i = 0; i < sizeof(out); i++)
		out[i] = (unsigned char)(i * 7 + (i >> 12));

	TEST_START("atomicio through non-blocking pipe (EAGAIN path)");
	ASSERT_INT_EQ(pipe(fds), 0);
	ASSERT_INT_EQ(set_nonblock(fds[1]), 0);
	ASSERT_INT_EQ((pid = fork()) != -1, 1);
	if (pid == 0) {
		close(fds[1]);
		if (set_nonblock(fds[0]) != 0)
			_exit(2);
		usleep(50000);	/* let the writer fill the pipe */
		if (atomicio_read(fds[0], in, sizeof(in)) != sizeof(in))
			_exit(3);
		_exit(memcmp(in, out, sizeof(out)) == 0 ? 0 : 4);
	}
	close(fds[0]);
	ASSERT_SIZE_T_EQ(atomicio_write(fds[1], out, sizeof(out)),
	    sizeof(out));
	close(fds[1]);
	expect_child_ok(pid);
	TEST_DONE();

	TEST_START("atomicio_read short read at EOF sets EPIPE");
	ASSERT_INT_EQ(pipe(fds), 0);
	ASSERT_SIZE_T_EQ(atomicio_write(fds[1], "0123456789", 10), 10);
	close(fds[1]);
	errno = 0;
	ASSERT_SIZE_T_EQ(atomicio_read(fds[0], small, sizeof(small)), 10);
	ASSERT_INT_EQ(errno, EPIPE);
	ASSERT_MEM_EQ(small, "0123456789", 10);
	errno = 0;
	ASSERT_SIZE_T_EQ(atomicio_read(fds[0], small, 1), 0);
	ASSERT_INT_EQ(errno, EPIPE);
	close(fds[0]);
	TEST_DONE();

	TEST_START("atomicio zero length and errors");
	ASSERT_SIZE_T_EQ(atomicio_read(0, small, 0), 0);
	ASSERT_SIZE_T_EQ(atomicio_write(1, small, 0), 0);
	errno = 0;
	ASSERT_SIZE_T_EQ(atomicio_read(-1, small, 1), 0);
	ASSERT_INT_EQ(errno, EBADF);
	errno = 0;
	ASSERT_SIZE_T_EQ(atomicio_write(-1, small, 1), 0);
	ASSERT_INT_EQ(errno, EBADF);
	/* Writing into a pipe nobody reads: EPIPE, not a signal. */
	ASSERT_INT_EQ(pipe(fds), 0);
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	ASSERT_SIZE_T_EQ(atomicio_write(fds[1], small, sizeof(small)), 0);
	ASSERT_INT_EQ(errno, EPIPE);
	signal(SIGPIPE, SIG_DFL);
	close(fds[1]);
	TEST_DONE();
}

static void
test_fds(void)
{
	int fds[2], fl;
	pid_t pid;

	TEST_START("set_nonblock / unset_nonblock");
	ASSERT_INT_EQ(pipe(fds), 0);
	ASSERT_INT_EQ(set_nonblock(fds[0]), 0);
	ASSERT_INT_NE(fcntl(fds[0], F_GETFL) & O_NONBLOCK, 0);
	ASSERT_INT_EQ(set_nonblock(fds[0]), 0);	/* already set */
	ASSERT_INT_EQ(unset_nonblock(fds[0]), 0);
	ASSERT_INT_EQ(fcntl(fds[0], F_GETFL) & O_NONBLOCK, 0);
	ASSERT_INT_EQ(unset_nonblock(fds[0]), 0);
	fl = fcntl(fds[1], F_GETFL);
	ASSERT_INT_EQ(set_nonblock(fds[1]), 0);
	ASSERT_INT_EQ(fcntl(fds[1], F_GETFL), fl | O_NONBLOCK);
	close(fds[0]);
	close(fds[1]);
	ASSERT_INT_EQ(set_nonblock(-1), ERR_ERRNO);
	ASSERT_INT_EQ(unset_nonblock(-1), ERR_ERRNO);
	TEST_DONE();

	TEST_START("sanitise_stdfd reopens closed standard descriptors");
	ASSERT_INT_EQ((pid = fork()) != -1, 1);
	if (pid == 0) {
		close(0);
		close(2);
		if (sanitise_stdfd() != 0)
			_exit(2);
		if (!is_devnull(0) || !is_devnull(2) || is_devnull(1))
			_exit(3);
		/* Nothing left open above 2 by the call. */
		if (fcntl(3, F_GETFL) != -1)
			_exit(4);
		_exit(0);
	}
	expect_child_ok(pid);
	TEST_DONE();

	TEST_START("stdfd_devnull");
	ASSERT_INT_EQ((pid = fork()) != -1, 1);
	if (pid == 0) {
		if (stdfd_devnull(0, 1, 0) != 0)
			_exit(2);
		_exit(is_devnull(1) && !is_devnull(2) ? 0 : 3);
	}
	expect_child_ok(pid);
	TEST_DONE();
}

static void
test_unix_listener(void)
{
	char path[PATH_MAX], longpath[200];
	struct sockaddr_un sun;
	struct stat st;
	int lfd, cfd, afd;

	TEST_START("unix_listener");
	tmp_path(path, sizeof(path), "sock");
	lfd = unix_listener(path, 5, 0);
	ASSERT_INT_GE(lfd, 0);
	ASSERT_INT_EQ(stat(path, &st), 0);
	ASSERT_TRUE(S_ISSOCK(st.st_mode));
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	ASSERT_INT_GE((cfd = socket(AF_UNIX, SOCK_STREAM, 0)), 0);
	ASSERT_INT_EQ(connect(cfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ASSERT_INT_GE((afd = accept(lfd, NULL, NULL)), 0);
	ASSERT_SIZE_T_EQ(atomicio_write(cfd, "hi", 2), 2);
	ASSERT_SIZE_T_EQ(atomicio_read(afd, longpath, 2), 2);
	ASSERT_MEM_EQ(longpath, "hi", 2);
	close(afd);
	close(cfd);
	close(lfd);
	/* The file is still there: without unlink_first, bind fails. */
	errno = 0;
	ASSERT_INT_EQ(unix_listener(path, 5, 0), ERR_ERRNO);
	ASSERT_INT_EQ(errno, EADDRINUSE);
	ASSERT_INT_GE((lfd = unix_listener(path, 5, 1)), 0);
	close(lfd);
	ASSERT_INT_EQ(unlink(path), 0);
	memset(longpath, 'x', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	ASSERT_INT_EQ(unix_listener(longpath, 5, 0), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(unix_listener("", 5, 0), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(unix_listener(NULL, 5, 0), ERR_INVALID_ARGUMENT);
	TEST_DONE();
}

/* ------------------------------------------------------------ time */

static void
test_monotime(void)
{
	uint64_t a, b, s;

	TEST_START("monotime");
	a = monotime_ms();
	s = monotime();
	usleep(30000);
	b = monotime_ms();
	ASSERT_TRUE(b >= a + 30);
	ASSERT_TRUE(b < a + 10000);
	ASSERT_TRUE(monotime() >= s);
	ASSERT_TRUE(s + 1 >= a / 1000 && s <= b / 1000 + 1);
	TEST_DONE();
}

static void
test_convtime(void)
{
	static const struct {
		const char *s;
		long secs;
	} good[] = {
		{ "0", 0 }, { "90", 90 }, { "1s", 1 }, { "1S", 1 },
		{ "1m", 60 }, { "1M", 60 }, { "1h", 3600 }, { "1H", 3600 },
		{ "1d", 86400 }, { "1D", 86400 }, { "1w", 604800 },
		{ "1W", 604800 }, { "2w", 1209600 }, { "1h30m", 5400 },
		{ "1h30", 3630 }, { "10m10m", 1200 }, { "007", 7 },
		{ "1w2d3h4m5s", 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5 },
		{ "2147483647", 2147483647L }, { "3550w", 3550L * 604800 },
		{ "2147483646s1s", 2147483647L },
	};
	static const char *bad[] = {
		"", "h", "s1", "1x", "-1", "+1", " 1", "1 ", "1h ", "1 h",
		"1.5h", "1hh", "abc", "1h-1m", "0x10", "1h,1m",
	};
	static const char *toolarge[] = {
		"2147483648", "99999999999999999999999999", "3551w",
		"2147483647s1s", "596524h", "35791395m", "24856d",
		"18446744073709551616s",
	};
	size_t i;
	long v;

	TEST_START("convtime accepts TIME FORMATS");
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		v = -1;
		ASSERT_INT_EQ(convtime(good[i].s, &v), 0);
		ASSERT_INT_EQ(v, good[i].secs);
	}
	TEST_DONE();

	TEST_START("convtime rejects malformed and overflowing times");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = -1;
		ASSERT_INT_EQ(convtime(bad[i], &v), ERR_INVALID_FORMAT);
		ASSERT_INT_EQ(v, 0);
	}
	for (i = 0; i < sizeof(toolarge) / sizeof(toolarge[0]); i++) {
		v = -1;
		ASSERT_INT_EQ(convtime(toolarge[i], &v), ERR_NUMBER_TOO_LARGE);
		ASSERT_INT_EQ(v, 0);
	}
	ASSERT_INT_EQ(convtime(NULL, &v), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(convtime("1", NULL), ERR_INVALID_ARGUMENT);
	TEST_DONE();
}

static void
test_fmt_timeframe(void)
{
	static const uint64_t vals[] = {
		1, 59, 60, 61, 3599, 3600, 5400, 86399, 86400, 90061,
		604799, 604800, 1209600, 2147483647,
	};
	char buf[64];
	size_t i;
	long v;

	TEST_START("fmt_timeframe");
	fmt_timeframe(0, buf, sizeof(buf));
	ASSERT_STRING_EQ(buf, "0s");
	fmt_timeframe(5400, buf, sizeof(buf));
	ASSERT_STRING_EQ(buf, "1h30m");
	fmt_timeframe(1209600, buf, sizeof(buf));
	ASSERT_STRING_EQ(buf, "2w");
	fmt_timeframe(90061, buf, sizeof(buf));
	ASSERT_STRING_EQ(buf, "1d1h1m1s");
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		fmt_timeframe(vals[i], buf, sizeof(buf));
		ASSERT_INT_EQ(convtime(buf, &v), 0);
		ASSERT_INT_EQ(v, (long)vals[i]);
	}
	/* Truncation still terminates the string. */
	memset(buf, 'x', sizeof(buf));
	fmt_timeframe(5400, buf, 3);
	ASSERT_TRUE(strlen(buf) < 3);
	ASSERT_U8_EQ((unsigned char)buf[3], 'x');
	TEST_DONE();
}

static void
set_tz(const char *tz)
{
	ASSERT_INT_EQ(setenv("TZ", tz, 1), 0);
	tzset();
}

static void
test_absolute_time(void)
{
	static const struct {
		const char *s;
		uint64_t t;
	} good[] = {
		{ "20240101Z", 1704067200ULL },
		{ "20240101z", 1704067200ULL },
		{ "202401011230Z", 1704112200ULL },
		{ "20240101123045Z", 1704112245ULL },
		{ "19700101Z", 0 },
		{ "20240229Z", 1709164800ULL },
		{ "99991231235959Z", 253402300799ULL },
	};
	static const char *bad[] = {
		"", "Z", "2024010", "2024010Z", "2024010100", "202401010",
		"20241301Z", "20240001Z", "20240100Z", "20240230Z",
		"20230229Z", "20240101246000Z", "20240101236000Z",
		"20240101235960Z", "19691231Z", "2024-01-01", "20240101ZZ",
		"2024010aZ", "+0240101Z", " 20240101", "202401011230450Z",
	};
	char buf[64];
	uint64_t t;
	size_t i;

	TEST_START("parse_absolute_time");
	set_tz("UTC");
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		t = 1;
		ASSERT_INT_EQ(parse_absolute_time(good[i].s, &t), 0);
		ASSERT_U64_EQ(t, good[i].t);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t = 1;
		ASSERT_INT_EQ(parse_absolute_time(bad[i], &t),
		    ERR_INVALID_FORMAT);
		ASSERT_U64_EQ(t, 0);
	}
	ASSERT_INT_EQ(parse_absolute_time(NULL, &t), ERR_INVALID_ARGUMENT);
	/* Without Z the time is local: UTC-2 here (POSIX sign is inverted). */
	ASSERT_INT_EQ(parse_absolute_time("20240101", &t), 0);
	ASSERT_U64_EQ(t, 1704067200ULL);
	set_tz("XST+2");
	ASSERT_INT_EQ(parse_absolute_time("20240101", &t), 0);
	ASSERT_U64_EQ(t, 1704067200ULL + 7200);
	ASSERT_INT_EQ(parse_absolute_time("20240101Z", &t), 0);
	ASSERT_U64_EQ(t, 1704067200ULL);
	TEST_DONE();

	TEST_START("format_absolute_time");
	set_tz("UTC");
	format_absolute_time(0, buf, sizeof(buf));
	ASSERT_STRING_EQ(buf, "1970-01-01T00:00:00");
	format_absolute_time(1704112245ULL, buf, sizeof(buf));
	ASSERT_STRING_EQ(buf, "2024-01-01T12:30:45");
	format_absolute_time(UINT64_MAX, buf, sizeof(buf));
	ASSERT_STRING_EQ(buf, "9999-12-31T23:59:59");
	set_tz("XST+2");
	format_absolute_time(1704067200ULL, buf, sizeof(buf));
	ASSERT_STRING_EQ(buf, "2023-12-31T22:00:00");
	memset(buf, 'x', sizeof(buf));
	format_absolute_time(0, buf, 5);
	ASSERT_TRUE(strlen(buf) < 5);
	ASSERT_U8_EQ((unsigned char)buf[5], 'x');
	set_tz("UTC");
	TEST_DONE();
}

/* ------------------------------------------------------------ numbers */

static void
test_parse_size(void)
{
	static const struct {
		const char *s;
		uint64_t v;
	} good[] = {
		{ "0", 0 }, { "100", 100 }, { "1B", 1 }, { "1b", 1 },
		{ "1K", 1024 }, { "1k", 1024 }, { "64K", 65536 },
		{ "512M", 512ULL << 20 }, { "1G", 1ULL << 30 },
		{ "1g", 1ULL << 30 }, { "1T", 1ULL << 40 },
		{ "1P", 1ULL << 50 }, { "1E", 1ULL << 60 },
		{ "15E", 15ULL << 60 }, { "1.5K", 1536 },
		{ "0.5M", 512ULL << 10 }, { "2.25G", 9ULL << 28 },
		{ "1.0000001K", 1024 }, { "1.5E", 3ULL << 59 },
		{ "15.5E", 31ULL << 59 }, { "0.000001M", 1 },
		{ "0.0000001M", 0 }, { "0.1K", 102 },
		{ "18446744073709551615", UINT64_MAX },
		{ "16777215T", 16777215ULL << 40 },
	};
	static const char *bad[] = {
		"", "K", "1.5", "1.", "1.K", ".5K", "1KB", "1X", "-1", "+1",
		" 1", "1 ", "1 K", "1K ", "0x10", "1,5K", "1e3",
		"15.9999999999E0", "1KK",
	};
	static const char *toolarge[] = {
		"16E", "18446744073709551616", "99999999999999999999999",
		"16777216T", "17179869184G", "16.0E",
	};
	uint64_t v;
	size_t i;

	TEST_START("parse_size");
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		v = 1;
		ASSERT_INT_EQ(parse_size(good[i].s, &v), 0);
		ASSERT_U64_EQ(v, good[i].v);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 1;
		ASSERT_INT_EQ(parse_size(bad[i], &v), ERR_INVALID_FORMAT);
		ASSERT_U64_EQ(v, 0);
	}
	for (i = 0; i < sizeof(toolarge) / sizeof(toolarge[0]); i++) {
		v = 1;
		ASSERT_INT_EQ(parse_size(toolarge[i], &v),
		    ERR_NUMBER_TOO_LARGE);
		ASSERT_U64_EQ(v, 0);
	}
	ASSERT_INT_EQ(parse_size(NULL, &v), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(parse_size("1", NULL), ERR_INVALID_ARGUMENT);
	TEST_DONE();
}

static void
test_a2port(void)
{
	struct servent *se;

	TEST_START("a2port");
	ASSERT_INT_EQ(a2port("0"), 0);
	ASSERT_INT_EQ(a2port("22"), 22);
	ASSERT_INT_EQ(a2port("022"), 22);
	ASSERT_INT_EQ(a2port("65535"), 65535);
	ASSERT_INT_EQ(a2port("65536"), -1);
	ASSERT_INT_EQ(a2port("99999999999999999999999"), -1);
	ASSERT_INT_EQ(a2port("-1"), -1);
	ASSERT_INT_EQ(a2port("+22"), -1);
	ASSERT_INT_EQ(a2port(" 22"), -1);
	ASSERT_INT_EQ(a2port("22 "), -1);
	ASSERT_INT_EQ(a2port("22x"), -1);
	ASSERT_INT_EQ(a2port("0x16"), -1);
	ASSERT_INT_EQ(a2port(""), -1);
	ASSERT_INT_EQ(a2port(NULL), -1);
	ASSERT_INT_EQ(a2port("no-such-service-keel"), -1);
	/* Service names resolve through services(5) when it has them. */
	if ((se = getservbyname("ssh", "tcp")) != NULL)
		ASSERT_INT_EQ(a2port("ssh"), ntohs((uint16_t)se->s_port));
	else
		ASSERT_INT_EQ(a2port("ssh"), -1);
	TEST_DONE();
}

/* ------------------------------------------------------------ strings */

static void
check_tilde(const char *in, uid_t uid, const char *want)
{
	char *out = (char *)1;

	ASSERT_INT_EQ(tilde_expand(in, uid, &out), 0);
	ASSERT_STRING_EQ(out, want);
	free(out);
}

static void
test_tilde_expand(void)
{
	char want[PATH_MAX * 2], longuser[400];
	struct passwd *pw;
	char *home, *out;

	TEST_START("tilde_expand");
	ASSERT_PTR_NE((pw = getpwuid(getuid())), NULL);
	ASSERT_PTR_NE((home = strdup(pw->pw_dir)), NULL);
	check_tilde("~", getuid(), home);
	snprintf(want, sizeof(want), "%s%sx/y", home,
	    home[strlen(home) - 1] == '/' ? "" : "/");
	check_tilde("~/x/y", getuid(), want);
	snprintf(want, sizeof(want), "%s%s", home,
	    home[strlen(home) - 1] == '/' ? "" : "/");
	check_tilde("~/", getuid(), want);
	free(home);
	ASSERT_PTR_NE((pw = getpwnam("root")), NULL);
	ASSERT_PTR_NE((home = strdup(pw->pw_dir)), NULL);
	check_tilde("~root", getuid(), home);
	snprintf(want, sizeof(want), "%s%s.ssh", home,
	    home[strlen(home) - 1] == '/' ? "" : "/");
	check_tilde("~root/.ssh", 12345, want);
	ASSERT_PTR_NE((pw = getpwuid(0)), NULL);
	check_tilde("~", 0, home);
	free(home);
	check_tilde("/abs/path", getuid(), "/abs/path");
	check_tilde("rel/~x", getuid(), "rel/~x");
	check_tilde("", getuid(), "");
	check_tilde("x~", getuid(), "x~");

	out = (char *)1;
	ASSERT_INT_EQ(tilde_expand("~no-such-user-keel/x", getuid(), &out),
	    ERR_NOT_FOUND);
	ASSERT_PTR_EQ(out, NULL);
	memset(longuser, 'a', sizeof(longuser) - 1);
	longuser[0] = '~';
	longuser[sizeof(longuser) - 1] = '\0';
	ASSERT_INT_EQ(tilde_expand(longuser, getuid(), &out),
	    ERR_INVALID_FORMAT);
	ASSERT_PTR_EQ(out, NULL);
	ASSERT_INT_EQ(tilde_expand(NULL, getuid(), &out),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(tilde_expand("~", getuid(), NULL),
	    ERR_INVALID_ARGUMENT);
	TEST_DONE();
}

static void
test_percent_expand(void)
{
	static const struct percent_map map[] = {
		{ 'h', "host.example" },
		{ 'u', "user" },
		{ 'd', "/home/user" },
		{ 'e', "" },
		{ 'p', "%h" },		/* values are not expanded again */
		{ 'n', NULL },
		{ 'h', "second" },	/* first one wins */
		{ '\0', NULL },
	};
	static const struct {
		const char *in, *out;
	} good[] = {
		{ "", "" }, { "plain", "plain" }, { "%h", "host.example" },
		{ "a%%b", "a%b" }, { "%%", "%" }, { "%%%%", "%%" },
		{ "%%h", "%h" }, { "%u@%h:%d", "user@host.example:/home/user" },
		{ "[%e]", "[]" }, { "%p", "%h" }, { "%d/.ssh/%u",
		    "/home/user/.ssh/user" },
	};
	static const char *bad[] = {
		"%", "abc%", "%x", "%n", "%%%", "%H", "a%\001", "%\xff",
	};
	struct percent_map bigmap[2];
	char *out, *big;
	size_t i;

	TEST_START("percent_expand");
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		out = NULL;
		ASSERT_INT_EQ(percent_expand(good[i].in, map, &out), 0);
		ASSERT_STRING_EQ(out, good[i].out);
		free(out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		out = (char *)1;
		ASSERT_INT_EQ(percent_expand(bad[i], map, &out),
		    ERR_INVALID_FORMAT);
		ASSERT_PTR_EQ(out, NULL);
	}
	ASSERT_INT_EQ(percent_expand("100%%", NULL, &out), 0);
	ASSERT_STRING_EQ(out, "100%");
	free(out);
	ASSERT_INT_EQ(percent_expand("%h", NULL, &out), ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(percent_expand(NULL, map, &out), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(percent_expand("x", map, NULL), ERR_INVALID_ARGUMENT);
	TEST_DONE();

	TEST_START("percent_expand size cap");
	ASSERT_PTR_NE((big = malloc(40001)), NULL);
	memset(big, 'v', 40000);
	big[40000] = '\0';
	bigmap[0].key = 'v';
	bigmap[0].value = big;
	bigmap[1].key = '\0';
	bigmap[1].value = NULL;
	ASSERT_INT_EQ(percent_expand("%v", bigmap, &out), 0);
	ASSERT_SIZE_T_EQ(strlen(out), 40000);
	free(out);
	out = (char *)1;
	ASSERT_INT_EQ(percent_expand("%v%v", bigmap, &out),
	    ERR_STRING_TOO_LARGE);
	ASSERT_PTR_EQ(out, NULL);
	free(big);
	TEST_DONE();
}

/* Split s and compare with the NULL-terminated list want. */
static void
check_split(const char *s, int comments, const char *const *want)
{
	char **argv = NULL;
	int argc = -1, i;

	ASSERT_INT_EQ(argv_split(s, &argc, &argv, comments), 0);
	ASSERT_PTR_NE(argv, NULL);
	for (i = 0; want[i] != NULL; i++) {
		ASSERT_INT_LT(i, argc);
		ASSERT_STRING_EQ(argv[i], want[i]);
	}
	ASSERT_INT_EQ(argc, i);
	ASSERT_PTR_EQ(argv[argc], NULL);
	argv_free(argv, argc);
}

#define W(...)	((const char *const []){ __VA_ARGS__, NULL })
#define NONE	((const char *const []){ NULL })

static void
test_argv_split(void)
{
	char **argv, *many;
	int argc, i;

	TEST_START("argv_split words and quotes");
	check_split("", 0, NONE);
	check_split(" \t  ", 0, NONE);
	check_split("a", 0, W("a"));
	check_split("a b  c", 0, W("a", "b", "c"));
	check_split("\ta\tb\t", 0, W("a", "b"));
	check_split("\"a b\" c", 0, W("a b", "c"));
	check_split("'a b' c", 0, W("a b", "c"));
	check_split("g\"h i\"j", 0, W("gh ij"));
	check_split("\"\"", 0, W(""));
	check_split("'' x", 0, W("", "x"));
	check_split("\"a'b\" 'c\"d'", 0, W("a'b", "c\"d"));
	check_split("\"a\tb\"", 0, W("a\tb"));
	check_split("a\nb", 0, W("a\nb"));	/* only space and tab split */
	TEST_DONE();

	TEST_START("argv_split escapes");
	check_split("a\\ b", 0, W("a b"));
	check_split("\"s\\ t\"", 0, W("s\\ t"));	/* kept inside quotes */
	check_split("'s\\ t'", 0, W("s\\ t"));
	check_split("k\\\"l", 0, W("k\"l"));
	check_split("\"a\\\"b\"", 0, W("a\"b"));
	check_split("'m\\'n'", 0, W("m'n"));
	check_split("o\\\\p", 0, W("o\\p"));
	check_split("q\\nr", 0, W("q\\nr"));	/* unknown escape kept */
	check_split("g\\", 0, W("g\\"));
	check_split("a\\\tb", 0, W("a\\", "b"));	/* tab not escapable */
	check_split("\\#x", 1, W("\\#x"));
	TEST_DONE();

	TEST_START("argv_split comments");
	check_split("a #b c", 1, W("a"));
	check_split("a #b c", 0, W("a", "#b", "c"));
	check_split("a#b", 1, W("a#b"));
	check_split("#a b", 1, NONE);
	check_split("   # x", 1, NONE);
	check_split("a \"#b\"", 1, W("a", "#b"));
	check_split("a '#b' #c", 1, W("a", "#b"));
	check_split("u#v #w x", 1, W("u#v"));
	TEST_DONE();

	TEST_START("argv_split rejects bad input");
	argc = 5;
	argv = (char **)1;
	ASSERT_INT_EQ(argv_split("\"abc", &argc, &argv, 0),
	    ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(argc, 0);
	ASSERT_PTR_EQ(argv, NULL);
	ASSERT_INT_EQ(argv_split("'abc", &argc, &argv, 0),
	    ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(argv_split("a b \"c d", &argc, &argv, 1),
	    ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(argv_split("a 'b\\'", &argc, &argv, 0),
	    ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(argv_split("\"", &argc, &argv, 0),
	    ERR_INVALID_FORMAT);
	/* An unterminated quote after a comment is still a comment. */
	check_split("a #\"", 1, W("a"));
	ASSERT_INT_EQ(argv_split(NULL, &argc, &argv, 0),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(argv_split("a", NULL, &argv, 0), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(argv_split("a", &argc, NULL, 0), ERR_INVALID_ARGUMENT);
	argv_free(NULL, 0);
	TEST_DONE();

	TEST_START("argv_split many words");
	ASSERT_PTR_NE((many = malloc(2000 * 2 + 1)), NULL);
	for (i = 0; i < 2000; i++) {
		many[i * 2] = (char)('a' + i % 26);
		many[i * 2 + 1] = ' ';
	}
	many[4000] = '\0';
	ASSERT_INT_EQ(argv_split(many, &argc, &argv, 0), 0);
	ASSERT_INT_EQ(argc, 2000);
	ASSERT_STRING_EQ(argv[1999], "x");
	ASSERT_PTR_EQ(argv[2000], NULL);
	argv_free(argv, argc);
	free(many);
	TEST_DONE();
}

/* Words that must survive argv_assemble -> sh and -> argv_split. */
static const char *const nasty[] = {
	"plain", "", "a b", "it's", "a\\b", "\"q\"", "$(id)", "`id`", "*",
	"~", "#c", "a\nb", ";", "&&", "\\'", "'", "\\", "\xc3\xa9t\xc3\xa9",
	"\t", "x=y", "--opt=v", "a\\ b", "''", "$HOME", "!", "-", "{a,b}",
	"[x]", "a|b", ">out", "%h", "^", "\"", "\\\\\"'", NULL
};

static void
test_argv_assemble(void)
{
	static char *simple[] = { "ls", "-l", "/tmp/x.y_z", "a=b" };
	static char *quoted[] = { "echo", "a b", "", "it's", "a\\b" };
	static char *assign[] = { "FOO=bar", "x=y" };
	char **argv, *s;
	int n, argc, i;

	TEST_START("argv_assemble quoting");
	ASSERT_PTR_NE((s = argv_assemble(4, simple)), NULL);
	ASSERT_STRING_EQ(s, "ls -l /tmp/x.y_z a=b");
	free(s);
	ASSERT_PTR_NE((s = argv_assemble(5, quoted)), NULL);
	ASSERT_STRING_EQ(s, "echo 'a b' '' 'it'\\''s' 'a'\\\\'b'");
	free(s);
	ASSERT_PTR_NE((s = argv_assemble(2, assign)), NULL);
	ASSERT_STRING_EQ(s, "'FOO=bar' x=y");
	free(s);
	ASSERT_PTR_NE((s = argv_assemble(0, NULL)), NULL);
	ASSERT_STRING_EQ(s, "");
	free(s);
	ASSERT_PTR_EQ(argv_assemble(-1, NULL), NULL);
	TEST_DONE();

	TEST_START("argv_assemble round trip through argv_split");
	for (n = 0; nasty[n] != NULL; n++)
		;
	ASSERT_PTR_NE((s = argv_assemble(n, (char **)nasty)), NULL);
	ASSERT_INT_EQ(argv_split(s, &argc, &argv, 1), 0);
	ASSERT_INT_EQ(argc, n);
	for (i = 0; i < n; i++)
		ASSERT_STRING_EQ(argv[i], nasty[i]);
	argv_free(argv, argc);
	free(s);
	TEST_DONE();
}

/* Run "printf '%s\0' <words>" through /bin/sh and compare. */
static void
test_argv_assemble_sh(void)
{
	char *words[64], *cmd, out[4096], want[4096];
	size_t n, wlen = 0, got = 0;
	int fds[2];
	ssize_t r;
	pid_t pid;

	TEST_START("argv_assemble round trip through /bin/sh");
	words[0] = "printf";
	words[1] = "%s\\0";
	for (n = 0; nasty[n] != NULL; n++) {
		words[n + 2] = (char *)nasty[n];
		ASSERT_SIZE_T_LT(wlen + strlen(nasty[n]) + 1, sizeof(want));
		memcpy(want + wlen, nasty[n], strlen(nasty[n]) + 1);
		wlen += strlen(nasty[n]) + 1;
	}
	ASSERT_PTR_NE((cmd = argv_assemble((int)n + 2, words)), NULL);
	ASSERT_INT_EQ(pipe(fds), 0);
	ASSERT_INT_EQ((pid = fork()) != -1, 1);
	if (pid == 0) {
		close(fds[0]);
		if (dup2(fds[1], STDOUT_FILENO) == -1)
			_exit(126);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while ((r = read(fds[0], out + got, sizeof(out) - got)) > 0)
		got += (size_t)r;
	close(fds[0]);
	expect_child_ok(pid);
	ASSERT_SIZE_T_EQ(got, wlen);
	ASSERT_MEM_EQ(out, want, wlen);
	free(cmd);
	TEST_DONE();
}

static void
test_strdelim(void)
{
	char buf[128], *cp, *w;

	TEST_START("strdelim");
	strlcpy(buf, "Key Value", sizeof(buf));
	cp = buf;
	ASSERT_STRING_EQ(strdelim(&cp), "Key");
	ASSERT_STRING_EQ(strdelim(&cp), "Value");
	ASSERT_PTR_EQ(strdelim(&cp), NULL);
	ASSERT_PTR_EQ(strdelim(&cp), NULL);

	strlcpy(buf, "Key=Value", sizeof(buf));
	cp = buf;
	ASSERT_STRING_EQ(strdelim(&cp), "Key");
	ASSERT_STRING_EQ(strdelim(&cp), "Value");
	ASSERT_PTR_EQ(strdelim(&cp), NULL);

	strlcpy(buf, "  Key \t= \"a b=c\"  next", sizeof(buf));
	cp = buf;
	ASSERT_STRING_EQ(strdelim(&cp), "Key");
	ASSERT_STRING_EQ(strdelim(&cp), "a b=c");
	ASSERT_STRING_EQ(strdelim(&cp), "next");
	ASSERT_PTR_EQ(strdelim(&cp), NULL);

	strlcpy(buf, "Key =Value", sizeof(buf));
	cp = buf;
	ASSERT_STRING_EQ(strdelim(&cp), "Key");
	ASSERT_STRING_EQ(strdelim(&cp), "Value");

	/* Only one '=' is a separator. */
	strlcpy(buf, "Key==v", sizeof(buf));
	cp = buf;
	ASSERT_STRING_EQ(strdelim(&cp), "Key");
	ASSERT_STRING_EQ(strdelim(&cp), "");
	ASSERT_STRING_EQ(strdelim(&cp), "v");

	strlcpy(buf, "a\"b c\"d e", sizeof(buf));
	cp = buf;
	ASSERT_STRING_EQ(strdelim(&cp), "ab cd");
	ASSERT_STRING_EQ(strdelim(&cp), "e");

	strlcpy(buf, "ok \"unterminated", sizeof(buf));
	cp = buf;
	ASSERT_STRING_EQ(strdelim(&cp), "ok");
	ASSERT_PTR_EQ(strdelim(&cp), NULL);
	ASSERT_PTR_EQ(cp, NULL);

	strlcpy(buf, "a=b\tc\r\n", sizeof(buf));
	cp = buf;
	ASSERT_STRING_EQ((w = strdelimw(&cp)), "a=b");
	ASSERT_STRING_EQ(strdelimw(&cp), "c");
	ASSERT_PTR_EQ(strdelimw(&cp), NULL);
	cp = NULL;
	ASSERT_PTR_EQ(strdelim(&cp), NULL);
	ASSERT_PTR_EQ(strdelim(NULL), NULL);
	TEST_DONE();
}

static void
test_hpdelim(void)
{
	char buf[64], *cp, *h;

	TEST_START("hpdelim");
	strlcpy(buf, "host:22", sizeof(buf));
	cp = buf;
	ASSERT_STRING_EQ((h = hpdelim(&cp)), "host");
	ASSERT_STRING_EQ(cp, "22");
	strlcpy(buf, "host", sizeof(buf));
	cp = buf;
	ASSERT_STRING_EQ(hpdelim(&cp), "host");
	ASSERT_PTR_EQ(cp, NULL);
	strlcpy(buf, "[::1]:2222", sizeof(buf));
	cp = buf;
	ASSERT_STRING_EQ(hpdelim(&cp), "::1");
	ASSERT_STRING_EQ(cp, "2222");
	strlcpy(buf, "[fe80::1%eth0]", sizeof(buf));
	cp = buf;
	ASSERT_STRING_EQ(hpdelim(&cp), "fe80::1%eth0");
	ASSERT_PTR_EQ(cp, NULL);
	strlcpy(buf, "a:b:c", sizeof(buf));
	cp = buf;
	ASSERT_STRING_EQ(hpdelim(&cp), "a");
	ASSERT_STRING_EQ(hpdelim(&cp), "b");
	ASSERT_STRING_EQ(hpdelim(&cp), "c");
	ASSERT_PTR_EQ(cp, NULL);
	strlcpy(buf, ":22", sizeof(buf));
	cp = buf;
	ASSERT_STRING_EQ(hpdelim(&cp), "");
	ASSERT_STRING_EQ(cp, "22");
	strlcpy(buf, "[::1", sizeof(buf));
	cp = buf;
	ASSERT_PTR_EQ(hpdelim(&cp), NULL);
	strlcpy(buf, "[::1]x", sizeof(buf));
	cp = buf;
	ASSERT_PTR_EQ(hpdelim(&cp), NULL);
	cp = NULL;
	ASSERT_PTR_EQ(hpdelim(&cp), NULL);
	ASSERT_PTR_EQ(hpdelim(NULL), NULL);
	TEST_DONE();
}

static void
test_small_strings(void)
{
	char buf[32], *s;

	TEST_START("lowercase, strprefix, path_append");
	strlcpy(buf, "MiXeD.Example-1\xc9", sizeof(buf));
	lowercase(buf);
	ASSERT_STRING_EQ(buf, "mixed.example-1\xc9");
	ASSERT_STRING_EQ(strprefix("Hostname x", "hostname", 1), " x");
	ASSERT_PTR_EQ(strprefix("Hostname x", "hostname", 0), NULL);
	ASSERT_STRING_EQ(strprefix("abc", "abc", 0), "");
	ASSERT_STRING_EQ(strprefix("abc", "", 0), "abc");
	ASSERT_PTR_EQ(strprefix("ab", "abc", 0), NULL);
	ASSERT_PTR_EQ(strprefix(NULL, "a", 0), NULL);

	ASSERT_PTR_NE((s = path_append("/a", "b")), NULL);
	ASSERT_STRING_EQ(s, "/a/b");
	free(s);
	ASSERT_PTR_NE((s = path_append("/a/", "b")), NULL);
	ASSERT_STRING_EQ(s, "/a/b");
	free(s);
	ASSERT_PTR_NE((s = path_append("/", "b")), NULL);
	ASSERT_STRING_EQ(s, "/b");
	free(s);
	ASSERT_PTR_NE((s = path_append("", "b")), NULL);
	ASSERT_STRING_EQ(s, "b");
	free(s);
	ASSERT_PTR_NE((s = path_append("d", "")), NULL);
	ASSERT_STRING_EQ(s, "d/");
	free(s);
	ASSERT_PTR_EQ(path_append(NULL, "b"), NULL);
	ASSERT_PTR_EQ(path_append("a", NULL), NULL);
	TEST_DONE();
}

/* ------------------------------------------------------------ files */

static void
write_file(const char *path, mode_t mode)
{
	int fd;

	ASSERT_INT_GE((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)),
	    0);
	ASSERT_INT_EQ(fchmod(fd, mode), 0);
	close(fd);
}

static int
check_safe(const char *path, const char *home, uid_t uid, char *err,
    size_t errlen)
{
	struct stat st;

	ASSERT_INT_EQ(stat(path, &st), 0);
	return safe_path(path, &st, home, uid, err, errlen);
}

static void
test_safe_path(void)
{
	char dir[PATH_MAX], sub[PATH_MAX], file[PATH_MAX], sfile[PATH_MAX];
	char link[PATH_MAX], want[PATH_MAX * 2], err[1024], small[12];
	char realtmp[PATH_MAX];
	struct stat st;
	uid_t uid = getuid(), other = 12345;
	int fd;

	TEST_START("safe_path good files");
	ASSERT_PTR_NE(realpath(tmpdir, realtmp), NULL);
	tmp_path(dir, sizeof(dir), "home");
	ASSERT_INT_EQ(mkdir(dir, 0700), 0);
	ASSERT_INT_EQ(chmod(tmpdir, 0700), 0);
	join_path(sub, sizeof(sub), dir, ".ssh");
	ASSERT_INT_EQ(mkdir(sub, 0755), 0);
	join_path(file, sizeof(file), sub, "authorized_keys");
	write_file(file, 0644);
	ASSERT_INT_EQ(check_safe(file, dir, uid, err, sizeof(err)), 0);
	ASSERT_STRING_EQ(err, "");
	/* The walk stops at the home directory, so /tmp's mode is fine. */
	ASSERT_INT_EQ(check_safe(file, tmpdir, uid, err, sizeof(err)), 0);
	ASSERT_INT_GE((fd = open(file, O_RDONLY)), 0);
	ASSERT_INT_EQ(safe_path_fd(fd, file, dir, uid, err, sizeof(err)), 0);
	close(fd);
	TEST_DONE();

	TEST_START("safe_path bad file modes");
	ASSERT_INT_EQ(chmod(file, 0664), 0);
	ASSERT_INT_EQ(check_safe(file, dir, uid, err, sizeof(err)),
	    ERR_KEY_BAD_PERMISSIONS);
	snprintf(want, sizeof(want),
	    "bad ownership or modes for file %s/home/.ssh/authorized_keys",
	    realtmp);
	ASSERT_STRING_EQ(err, want);
	ASSERT_INT_EQ(chmod(file, 0646), 0);
	ASSERT_INT_EQ(check_safe(file, dir, uid, err, sizeof(err)),
	    ERR_KEY_BAD_PERMISSIONS);
	ASSERT_STRING_EQ(err, want);
	ASSERT_INT_EQ(chmod(file, 0600), 0);
	/* Owned by someone else (root is always acceptable). */
	if (uid == 0) {
		ASSERT_INT_EQ(chown(file, other, (gid_t)-1), 0);
		ASSERT_INT_EQ(check_safe(file, dir, uid, err, sizeof(err)),
		    ERR_KEY_BAD_PERMISSIONS);
		ASSERT_STRING_EQ(err, want);
		/* ... but fine for its owner, whose dirs root owns. */
		ASSERT_INT_EQ(check_safe(file, dir, other, err, sizeof(err)),
		    0);
		ASSERT_INT_EQ(chown(file, 0, (gid_t)-1), 0);
	} else {
		ASSERT_INT_EQ(check_safe(file, dir, other, err, sizeof(err)),
		    ERR_KEY_BAD_PERMISSIONS);
		ASSERT_STRING_EQ(err, want);
	}
	/* Truncated message, still terminated. */
	ASSERT_INT_EQ(chmod(file, 0666), 0);
	memset(small, 'x', sizeof(small));
	ASSERT_INT_EQ(check_safe(file, dir, uid, small, 8),
	    ERR_KEY_BAD_PERMISSIONS);
	ASSERT_STRING_EQ(small, "bad own");
	ASSERT_INT_EQ(chmod(file, 0600), 0);
	TEST_DONE();

	TEST_START("safe_path bad directories");
	ASSERT_INT_EQ(chmod(sub, 0775), 0);
	ASSERT_INT_EQ(check_safe(file, dir, uid, err, sizeof(err)),
	    ERR_KEY_BAD_PERMISSIONS);
	snprintf(want, sizeof(want),
	    "bad ownership or modes for directory %s/home/.ssh", realtmp);
	ASSERT_STRING_EQ(err, want);
	ASSERT_INT_EQ(chmod(sub, 0757), 0);
	ASSERT_INT_EQ(check_safe(file, dir, uid, err, sizeof(err)),
	    ERR_KEY_BAD_PERMISSIONS);
	ASSERT_STRING_EQ(err, want);
	ASSERT_INT_EQ(chmod(sub, 0700), 0);
	/* The home directory itself is checked too. */
	ASSERT_INT_EQ(chmod(dir, 0770), 0);
	ASSERT_INT_EQ(check_safe(file, dir, uid, err, sizeof(err)),
	    ERR_KEY_BAD_PERMISSIONS);
	snprintf(want, sizeof(want),
	    "bad ownership or modes for directory %s/home", realtmp);
	ASSERT_STRING_EQ(err, want);
	/* Without a home directory the walk goes up and finds it too. */
	ASSERT_INT_EQ(check_safe(file, NULL, uid, err, sizeof(err)),
	    ERR_KEY_BAD_PERMISSIONS);
	ASSERT_STRING_EQ(err, want);
	ASSERT_INT_EQ(chmod(dir, 0700), 0);
	/* Above the home directory nothing is looked at. */
	ASSERT_INT_EQ(chmod(tmpdir, 0777), 0);
	ASSERT_INT_EQ(check_safe(file, dir, uid, err, sizeof(err)), 0);
	ASSERT_INT_EQ(check_safe(file, tmpdir, uid, err, sizeof(err)),
	    ERR_KEY_BAD_PERMISSIONS);
	snprintf(want, sizeof(want),
	    "bad ownership or modes for directory %s", realtmp);
	ASSERT_STRING_EQ(err, want);
	ASSERT_INT_EQ(chmod(tmpdir, 0700), 0);
	TEST_DONE();

	TEST_START("safe_path symlinks, non-files, missing files");
	join_path(sfile, sizeof(sfile), sub, "id");
	write_file(sfile, 0600);
	tmp_path(link, sizeof(link), "link");
	ASSERT_INT_EQ(symlink(sfile, link), 0);
	ASSERT_INT_EQ(chmod(sfile, 0660), 0);
	ASSERT_INT_EQ(check_safe(link, dir, uid, err, sizeof(err)),
	    ERR_KEY_BAD_PERMISSIONS);
	snprintf(want, sizeof(want),
	    "bad ownership or modes for file %s/home/.ssh/id", realtmp);
	ASSERT_STRING_EQ(err, want);
	ASSERT_INT_EQ(chmod(sfile, 0600), 0);
	ASSERT_INT_EQ(check_safe(link, dir, uid, err, sizeof(err)), 0);
	ASSERT_INT_EQ(stat(sub, &st), 0);
	ASSERT_INT_EQ(safe_path(sub, &st, dir, uid, err, sizeof(err)),
	    ERR_KEY_BAD_PERMISSIONS);
	snprintf(want, sizeof(want), "%s/home/.ssh is not a regular file",
	    realtmp);
	ASSERT_STRING_EQ(err, want);
	snprintf(want, sizeof(want), "%s/missing", sub);
	ASSERT_INT_EQ(stat(file, &st), 0);
	ASSERT_INT_EQ(safe_path(want, &st, dir, uid, err, sizeof(err)),
	    ERR_ERRNO);
	ASSERT_TRUE(strncmp(err, "realpath ", 9) == 0);
	ASSERT_TRUE(strstr(err, "failed: ") != NULL);
	ASSERT_INT_EQ(safe_path_fd(-1, file, dir, uid, err, sizeof(err)),
	    ERR_ERRNO);
	ASSERT_INT_EQ(safe_path(NULL, &st, dir, uid, err, sizeof(err)),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(safe_path(file, NULL, dir, uid, err, sizeof(err)),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(safe_path(file, &st, dir, uid, NULL, 0),
	    ERR_INVALID_ARGUMENT);
	TEST_DONE();

	unlink(link);
	unlink(sfile);
	unlink(file);
	rmdir(sub);
	rmdir(dir);
}

/* ------------------------------------------------------------ errors, log */

static void
test_errcode(void)
{
	const char *a, *b;
	int i, j;

	TEST_START("errcode_str");
	ASSERT_STRING_EQ(errcode_str(0), "success");
	for (i = -1; i >= ERR_ERRCODE_MAX; i--) {
		if (i == ERR_ERRNO)
			continue;
		a = errcode_str(i);
		ASSERT_PTR_NE(a, NULL);
		ASSERT_TRUE(*a != '\0');
		ASSERT_STRING_NE(a, "unknown error");
		for (j = i - 1; j >= ERR_ERRCODE_MAX; j--) {
			if (j == ERR_ERRNO)
				continue;
			b = errcode_str(j);
			ASSERT_STRING_NE(a, b);
		}
	}
	errno = ENOENT;
	ASSERT_STRING_EQ(errcode_str(ERR_ERRNO), strerror(ENOENT));
	ASSERT_STRING_EQ(errcode_str(1), "unknown error");
	ASSERT_STRING_EQ(errcode_str(ERR_ERRCODE_MAX - 1), "unknown error");
	ASSERT_STRING_EQ(errcode_str(INT_MIN), "unknown error");
	ASSERT_STRING_EQ(errcode_str(INT_MAX), "unknown error");
	ASSERT_STRING_EQ(errcode_str(ERR_INVALID_FORMAT), "invalid format");
	TEST_DONE();
}

static void
test_log_names(void)
{
	static const char *levels[] = {
		"QUIET", "FATAL", "ERROR", "INFO", "VERBOSE", "DEBUG2",
		"DEBUG3",
	};
	static const char *facilities[] = {
		"DAEMON", "USER", "AUTH", "AUTHPRIV", "LOCAL0", "LOCAL1",
		"LOCAL2", "LOCAL3", "LOCAL4", "LOCAL5", "LOCAL6", "LOCAL7",
	};
	char lower[32];
	size_t i;

	TEST_START("log level names");
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		ASSERT_INT_NE(log_level_from_name(levels[i]),
		    LOG_LEVEL_NOT_SET);
		ASSERT_STRING_EQ(log_level_name(
		    log_level_from_name(levels[i])), levels[i]);
		strlcpy(lower, levels[i], sizeof(lower));
		lowercase(lower);
		ASSERT_INT_EQ(log_level_from_name(lower),
		    log_level_from_name(levels[i]));
	}
	ASSERT_INT_EQ(log_level_from_name("QUIET"), LOG_LEVEL_QUIET);
	ASSERT_INT_EQ(log_level_from_name("DEBUG"), LOG_LEVEL_DEBUG1);
	ASSERT_INT_EQ(log_level_from_name("DEBUG1"), LOG_LEVEL_DEBUG1);
	ASSERT_INT_EQ(log_level_from_name("debug3"), LOG_LEVEL_DEBUG3);
	ASSERT_PTR_NE(log_level_name(LOG_LEVEL_DEBUG1), NULL);
	ASSERT_INT_EQ(log_level_from_name(log_level_name(LOG_LEVEL_DEBUG1)),
	    LOG_LEVEL_DEBUG1);
	ASSERT_INT_EQ(log_level_from_name("DEBUG4"), LOG_LEVEL_NOT_SET);
	ASSERT_INT_EQ(log_level_from_name(""), LOG_LEVEL_NOT_SET);
	ASSERT_INT_EQ(log_level_from_name("INFO "), LOG_LEVEL_NOT_SET);
	ASSERT_INT_EQ(log_level_from_name(NULL), LOG_LEVEL_NOT_SET);
	ASSERT_PTR_EQ(log_level_name(LOG_LEVEL_NOT_SET), NULL);
	ASSERT_PTR_EQ(log_level_name((LogLevel)99), NULL);
	TEST_DONE();

	TEST_START("log facility names");
	for (i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++) {
		ASSERT_INT_NE(log_facility_from_name(facilities[i]),
		    LOG_FACILITY_NOT_SET);
		ASSERT_STRING_EQ(log_facility_name(
		    log_facility_from_name(facilities[i])), facilities[i]);
		strlcpy(lower, facilities[i], sizeof(lower));
		lowercase(lower);
		ASSERT_INT_EQ(log_facility_from_name(lower),
		    log_facility_from_name(facilities[i]));
	}
	ASSERT_INT_EQ(log_facility_from_name("AUTH"), LOG_FACILITY_AUTH);
	ASSERT_INT_EQ(log_facility_from_name("LOCAL8"), LOG_FACILITY_NOT_SET);
	ASSERT_INT_EQ(log_facility_from_name("KERN"), LOG_FACILITY_NOT_SET);
	ASSERT_INT_EQ(log_facility_from_name(""), LOG_FACILITY_NOT_SET);
	ASSERT_INT_EQ(log_facility_from_name(NULL), LOG_FACILITY_NOT_SET);
	ASSERT_PTR_EQ(log_facility_name(LOG_FACILITY_NOT_SET), NULL);
	TEST_DONE();
}

void
tests(void)
{
	make_tmpdir();
	test_atomicio();
	test_fds();
	test_unix_listener();
	test_monotime();
	test_convtime();
	test_fmt_timeframe();
	test_absolute_time();
	test_parse_size();
	test_a2port();
	test_tilde_expand();
	test_percent_expand();
	test_argv_split();
	test_argv_assemble();
	test_argv_assemble_sh();
	test_strdelim();
	test_hpdelim();
	test_small_strings();
	test_safe_path();
	test_errcode();
	test_log_names();
	ASSERT_INT_EQ(rmdir(tmpdir), 0);
}
