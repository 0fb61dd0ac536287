/*
 * Unit tests of the portability layer (compat/).  Functions this libc has
 * come from libc; closefrom, reallocarray, explicit_bzero and the
 * arc4random family are also built here from compat/ under test_ names
 * so our versions are exercised on every platform.
 */
#include "includes.h"

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <termios.h>

#include "../test_helper/test_helper.h"

/* ------------------------------------------------------------ compat copies */

void test_closefrom(int);
void *test_reallocarray(void *, size_t, size_t);
void test_explicit_bzero(void *, size_t);
void test_arc4random_buf(void *, size_t);
uint32_t test_arc4random(void);
uint32_t test_arc4random_uniform(uint32_t);

#undef HAVE_CLOSEFROM
#define HAVE_CLOSEFROM 0
#define closefrom test_closefrom
#include "../../../compat/closefrom.c"
#undef closefrom

#undef HAVE_REALLOCARRAY
#define HAVE_REALLOCARRAY 0
#define reallocarray test_reallocarray
#include "../../../compat/reallocarray.c"
#undef reallocarray

#undef HAVE_EXPLICIT_BZERO
#define HAVE_EXPLICIT_BZERO 0
#define explicit_bzero test_explicit_bzero
#define keel_memset test_keel_memset
#include "../../../compat/explicit_bzero.c"
#undef explicit_bzero

#undef HAVE_ARC4RANDOM_BUF
#define HAVE_ARC4RANDOM_BUF 0
#define arc4random_buf test_arc4random_buf
#define arc4random test_arc4random
#define arc4random_uniform test_arc4random_uniform
#include "../../../compat/arc4random.c"
#undef arc4random_buf
#undef arc4random
#undef arc4random_uniform

/* ------------------------------------------------------------ strings */

static void
test_strlcpy_strlcat(void)
{
	char buf[8];

	TEST_START("strlcpy");
	memset(buf, 'x', sizeof(buf));
	ASSERT_SIZE_T_EQ(strlcpy(buf, "abc", sizeof(buf)), 3);
	ASSERT_STRING_EQ(buf, "abc");
	ASSERT_SIZE_T_EQ(strlcpy(buf, "1234567", sizeof(buf)), 7);
	ASSERT_STRING_EQ(buf, "1234567");
	ASSERT_SIZE_T_EQ(strlcpy(buf, "123456789abc", sizeof(buf)), 12);
	ASSERT_STRING_EQ(buf, "1234567");
	ASSERT_SIZE_T_EQ(strlcpy(buf, "", sizeof(buf)), 0);
	ASSERT_STRING_EQ(buf, "");
	memset(buf, 'x', sizeof(buf));
	ASSERT_SIZE_T_EQ(strlcpy(buf, "abc", 1), 3);
	ASSERT_U8_EQ((unsigned char)buf[0], 0);
	ASSERT_U8_EQ((unsigned char)buf[1], 'x');
	memset(buf, 'x', sizeof(buf));
	ASSERT_SIZE_T_EQ(strlcpy(buf, "abc", 0), 3);
	ASSERT_U8_EQ((unsigned char)buf[0], 'x');
	TEST_DONE();

	TEST_START("strlcat");
	strlcpy(buf, "ab", sizeof(buf));
	ASSERT_SIZE_T_EQ(strlcat(buf, "cd", sizeof(buf)), 4);
	ASSERT_STRING_EQ(buf, "abcd");
	ASSERT_SIZE_T_EQ(strlcat(buf, "efg", sizeof(buf)), 7);
	ASSERT_STRING_EQ(buf, "abcdefg");
	ASSERT_SIZE_T_EQ(strlcat(buf, "h", sizeof(buf)), 8);
	ASSERT_STRING_EQ(buf, "abcdefg");
	strlcpy(buf, "ab", sizeof(buf));
	ASSERT_SIZE_T_EQ(strlcat(buf, "123456789", sizeof(buf)), 11);
	ASSERT_STRING_EQ(buf, "ab12345");
	ASSERT_SIZE_T_EQ(strlcat(buf, "", sizeof(buf)), 7);
	/* dst not terminated within size: nothing written. */
	memset(buf, 'x', sizeof(buf));
	ASSERT_SIZE_T_EQ(strlcat(buf, "abc", 4), 4 + 3);
	ASSERT_U8_EQ((unsigned char)buf[4], 'x');
	ASSERT_SIZE_T_EQ(strlcat(buf, "abc", 0), 3);
	strlcpy(buf, "ab", sizeof(buf));
	ASSERT_SIZE_T_EQ(strlcat(buf, "cd", 3), 4);
	ASSERT_STRING_EQ(buf, "ab");
	TEST_DONE();
}

static void
test_strtonum(void)
{
	const char *errstr;

	TEST_START("strtonum bounds");
	errstr = "x";
	ASSERT_INT_EQ(strtonum("0", 0, 10, &errstr), 0);
	ASSERT_PTR_EQ(errstr, NULL);
	ASSERT_INT_EQ(errno, 0);
	ASSERT_INT_EQ(strtonum("10", 0, 10, &errstr), 10);
	ASSERT_PTR_EQ(errstr, NULL);
	ASSERT_INT_EQ(strtonum("-5", -5, 10, &errstr), -5);
	ASSERT_PTR_EQ(errstr, NULL);
	ASSERT_INT_EQ(strtonum("11", 0, 10, &errstr), 0);
	ASSERT_STRING_EQ(errstr, "too large");
	ASSERT_INT_EQ(errno, ERANGE);
	ASSERT_INT_EQ(strtonum("-1", 0, 10, &errstr), 0);
	ASSERT_STRING_EQ(errstr, "too small");
	ASSERT_INT_EQ(errno, ERANGE);
	ASSERT_INT_EQ(strtonum("9223372036854775807", 0, LLONG_MAX, &errstr),
	    LLONG_MAX);
	ASSERT_PTR_EQ(errstr, NULL);
	ASSERT_INT_EQ(strtonum("-9223372036854775808", LLONG_MIN, 0,
	    &errstr), LLONG_MIN);
	ASSERT_PTR_EQ(errstr, NULL);
	ASSERT_INT_EQ(strtonum("9223372036854775808", 0, LLONG_MAX, &errstr),
	    0);
	ASSERT_STRING_EQ(errstr, "too large");
	ASSERT_INT_EQ(strtonum("-9223372036854775809", LLONG_MIN, 0,
	    &errstr), 0);
	ASSERT_STRING_EQ(errstr, "too small");
	ASSERT_INT_EQ(strtonum("99999999999999999999999", 0, 10, &errstr),
	    0);
	ASSERT_STRING_EQ(errstr, "too large");
	TEST_DONE();

	TEST_START("strtonum invalid input");
	ASSERT_INT_EQ(strtonum("", 0, 10, &errstr), 0);
	ASSERT_STRING_EQ(errstr, "invalid");
	ASSERT_INT_EQ(errno, EINVAL);
	ASSERT_INT_EQ(strtonum("5x", 0, 10, &errstr), 0);
	ASSERT_STRING_EQ(errstr, "invalid");
	ASSERT_INT_EQ(strtonum("x5", 0, 10, &errstr), 0);
	ASSERT_STRING_EQ(errstr, "invalid");
	ASSERT_INT_EQ(strtonum("5 ", 0, 10, &errstr), 0);
	ASSERT_STRING_EQ(errstr, "invalid");
	ASSERT_INT_EQ(strtonum("0x5", 0, 10, &errstr), 0);
	ASSERT_STRING_EQ(errstr, "invalid");
	ASSERT_INT_EQ(strtonum("5", 10, 0, &errstr), 0);	/* min > max */
	ASSERT_STRING_EQ(errstr, "invalid");
	ASSERT_INT_EQ(errno, EINVAL);
	/* Like strtoll: leading space and a sign are accepted. */
	ASSERT_INT_EQ(strtonum(" 5", 0, 10, &errstr), 5);
	ASSERT_PTR_EQ(errstr, NULL);
	ASSERT_INT_EQ(strtonum("+5", 0, 10, &errstr), 5);
	ASSERT_PTR_EQ(errstr, NULL);
	ASSERT_INT_EQ(strtonum("007", 0, 10, &errstr), 7);
	ASSERT_INT_EQ(strtonum("7", 0, 10, NULL), 7);
	ASSERT_INT_EQ(strtonum("70", 0, 10, NULL), 0);
	TEST_DONE();
}

/* ------------------------------------------------------------ memory */

static void
test_memory(void)
{
	/* volatile: keep the compiler from flagging the overflow itself. */
	volatile size_t huge = (SIZE_MAX >> 8) + 1;
	unsigned char *p, *q;
	size_t i;

	TEST_START("recallocarray grows with zeroes");
	ASSERT_PTR_NE((p = recallocarray(NULL, 0, 4, 4)), NULL);
	for (i = 0; i < 16; i++)
		ASSERT_U8_EQ(p[i], 0);
	memset(p, 0xa5, 16);
	ASSERT_PTR_NE((q = recallocarray(p, 4, 100, 4)), NULL);
	for (i = 0; i < 16; i++)
		ASSERT_U8_EQ(q[i], 0xa5);
	for (; i < 400; i++)
		ASSERT_U8_EQ(q[i], 0);
	p = q;
	TEST_DONE();

	TEST_START("recallocarray shrinks and wipes the tail");
	memset(p, 0x5a, 400);
	ASSERT_PTR_NE((q = recallocarray(p, 100, 2, 4)), NULL);
	for (i = 0; i < 8; i++)
		ASSERT_U8_EQ(q[i], 0x5a);
#if !HAVE_RECALLOCARRAY
	/* Our version keeps the block: the old tail must be zero now. */
	ASSERT_PTR_EQ(q, p);
	for (; i < 400; i++)
		ASSERT_U8_EQ(q[i], 0);
#endif
	p = q;
	ASSERT_PTR_NE((q = recallocarray(p, 2, 2, 4)), NULL);
	p = q;
	TEST_DONE();

	TEST_START("recallocarray and reallocarray overflow");
	errno = 0;
	ASSERT_PTR_EQ(recallocarray(p, 2, SIZE_MAX / 2, 4), NULL);
	ASSERT_INT_EQ(errno, ENOMEM);
	errno = 0;
	ASSERT_PTR_EQ(recallocarray(p, SIZE_MAX / 2, 2, 4), NULL);
	ASSERT_INT_EQ(errno, ENOMEM);
	ASSERT_U8_EQ(p[0], 0x5a);	/* untouched on failure */
	errno = 0;
	ASSERT_PTR_EQ(test_reallocarray(p, SIZE_MAX / 2, 4), NULL);
	ASSERT_INT_EQ(errno, ENOMEM);
	errno = 0;
	ASSERT_PTR_EQ(test_reallocarray(p, huge, 256), NULL);
	ASSERT_INT_EQ(errno, ENOMEM);
	ASSERT_PTR_NE((q = test_reallocarray(p, 64, 4)), NULL);
	ASSERT_U8_EQ(q[7], 0x5a);
	freezero(q, 256);
	freezero(NULL, 100);
	TEST_DONE();

	TEST_START("explicit_bzero and timingsafe_bcmp");
	ASSERT_PTR_NE((p = malloc(64)), NULL);
	memset(p, 0xff, 64);
	explicit_bzero(p, 32);
	test_explicit_bzero(p + 32, 31);
	for (i = 0; i < 63; i++)
		ASSERT_U8_EQ(p[i], 0);
	ASSERT_U8_EQ(p[63], 0xff);
	explicit_bzero(p, 0);
	test_explicit_bzero(p, 0);
	ASSERT_PTR_NE((q = malloc(64)), NULL);
	memcpy(q, p, 64);
	ASSERT_INT_EQ(timingsafe_bcmp(p, q, 64), 0);
	ASSERT_INT_EQ(timingsafe_bcmp(p, q, 0), 0);
	for (i = 0; i < 64; i++) {
		q[i] ^= 0x01;
		ASSERT_INT_NE(timingsafe_bcmp(p, q, 64), 0);
		ASSERT_INT_EQ(timingsafe_bcmp(p, q, i), 0);
		q[i] ^= 0x81;
		ASSERT_INT_NE(timingsafe_bcmp(p, q, i + 1), 0);
		q[i] ^= 0x80;
	}
	free(p);
	free(q);
	TEST_DONE();
}

/* ------------------------------------------------------------ random */

static void
test_random(void)
{
	unsigned char a[64], b[64];
	uint32_t seen = 0, v;
	int i;

	TEST_START("arc4random family (ours and libc's)");
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	test_arc4random_buf(a, sizeof(a));
	test_arc4random_buf(b, sizeof(b));
	ASSERT_MEM_NE(a, b, sizeof(a));
	arc4random_buf(a, sizeof(a));
	ASSERT_MEM_NE(a, b, sizeof(a));
	test_arc4random_buf(a, 0);
	ASSERT_U32_EQ(test_arc4random_uniform(0), 0);
	ASSERT_U32_EQ(test_arc4random_uniform(1), 0);
	for (i = 0; i < 2000; i++) {
		v = test_arc4random_uniform(10);
		ASSERT_U32_EQ(v < 10, 1);
		seen |= 1U << v;
		ASSERT_U32_EQ(arc4random_uniform(7) < 7, 1);
	}
	ASSERT_U32_EQ(seen, 0x3ff);	/* every value turned up */
	ASSERT_U32_EQ(test_arc4random() != test_arc4random() ||
	    test_arc4random() != test_arc4random(), 1);
	TEST_DONE();
}

/* ------------------------------------------------------------ descriptors */

static int
fd_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

static void
check_closefrom(void (*fn)(int))
{
	int fds[6], i, status, high = 1000;
	struct rlimit rl;
	pid_t pid;

	/* One descriptor far above the others too, if the limit allows. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur <= 1000)
		high = (int)rl.rlim_cur - 1;
	ASSERT_INT_EQ((pid = fork()) != -1, 1);
	if (pid == 0) {
		for (i = 0; i < 6; i++) {
			if ((fds[i] = open("/dev/null", O_RDONLY)) == -1)
				_exit(2);
		}
		if (high > fds[5] && dup2(fds[0], high) == -1)
			_exit(3);
		fn(fds[3]);
		for (i = 0; i < 6; i++) {
			if (fd_open(fds[i]) != (i < 3))
				_exit(4);
		}
		if (fd_open(high) || !fd_open(0) || !fd_open(2))
			_exit(5);
		_exit(0);
	}
	ASSERT_INT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_INT_EQ(WEXITSTATUS(status), 0);
}

static void
test_fds(void)
{
	uid_t uid;
	gid_t gid;
	int sp[2];

	TEST_START("closefrom (ours and libc's)");
	check_closefrom(test_closefrom);
	check_closefrom(closefrom);
	TEST_DONE();

	TEST_START("getpeereid");
	ASSERT_INT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	ASSERT_INT_EQ(getpeereid(sp[0], &uid, &gid), 0);
	ASSERT_INT_EQ(uid, geteuid());
	ASSERT_INT_EQ(gid, getegid());
	close(sp[0]);
	close(sp[1]);
	ASSERT_INT_EQ(getpeereid(-1, &uid, &gid), -1);
	TEST_DONE();
}

/* ---------------------------------------------------------- readpassphrase */

/*
 * Run readpassphrase in a child with stdin fed from input (len bytes,
 * then EOF) and stderr captured; the child's answer (or "NULL errno=N")
 * is written to a pipe and compared with want, and stderr with wanterr.
 */
static void
check_rpp(const char *input, size_t len, size_t bufsiz, int flags,
    int no_tty, const char *want, const char *wanterr)
{
	int in[2], out[2], err[2], status;
	char buf[256], got[512], gerr[512];
	size_t ng = 0, ne = 0;
	ssize_t r;
	pid_t pid;
	char *ret;

	ASSERT_INT_EQ(pipe(in), 0);
	ASSERT_INT_EQ(pipe(out), 0);
	ASSERT_INT_EQ(pipe(err), 0);
	ASSERT_INT_EQ((pid = fork()) != -1, 1);
	if (pid == 0) {
		if (no_tty && setsid() == -1)
			_exit(2);
		if (dup2(in[0], STDIN_FILENO) == -1 ||
		    dup2(err[1], STDERR_FILENO) == -1)
			_exit(3);
		close(in[1]);
		close(out[0]);
		close(err[0]);
		ret = readpassphrase("Prompt: ", buf, bufsiz, flags);
		if (ret == NULL)
			snprintf(got, sizeof(got), "NULL errno=%d", errno);
		else
			snprintf(got, sizeof(got), "[%s]", ret);
		(void)!write(out[1], got, strlen(got));
		_exit(0);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	signal(SIGPIPE, SIG_IGN);
	(void)!write(in[1], input, len);
	close(in[1]);
	while ((r = read(out[0], got + ng, sizeof(got) - 1 - ng)) > 0)
		ng += (size_t)r;
	got[ng] = '\0';
	while ((r = read(err[0], gerr + ne, sizeof(gerr) - 1 - ne)) > 0)
		ne += (size_t)r;
	gerr[ne] = '\0';
	close(out[0]);
	close(err[0]);
	signal(SIGPIPE, SIG_DFL);
	ASSERT_INT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_INT_EQ(WEXITSTATUS(status), 0);
	ASSERT_STRING_EQ(got, want);
	ASSERT_STRING_EQ(gerr, wanterr);
}

static void
test_readpassphrase(void)
{
	char want[64], buf[8];

	TEST_START("readpassphrase RPP_STDIN from a pipe");
	check_rpp("secret\n", 7, 64, RPP_STDIN, 0, "[secret]", "");
	check_rpp("secret\nmore\n", 12, 64, RPP_STDIN, 0, "[secret]", "");
	check_rpp("cr\rx", 4, 64, RPP_STDIN, 0, "[cr]", "");
	check_rpp("noeol", 5, 64, RPP_STDIN, 0, "[noeol]", "");
	check_rpp("", 0, 64, RPP_STDIN, 0, "[]", "");
	check_rpp("\n", 1, 64, RPP_STDIN, 0, "[]", "");
	check_rpp("with space\tand tab\n", 19, 64, RPP_STDIN, 0,
	    "[with space\tand tab]", "");
	TEST_DONE();

	TEST_START("readpassphrase truncation and flags");
	check_rpp("abcdefgh\n", 9, 4, RPP_STDIN, 0, "[abc]", "");
	check_rpp("abc\n", 4, 4, RPP_STDIN, 0, "[abc]", "");
	check_rpp("abcd\n", 5, 1, RPP_STDIN, 0, "[]", "");
	check_rpp("MiXeD1\n", 7, 64, RPP_STDIN | RPP_FORCELOWER, 0,
	    "[mixed1]", "");
	check_rpp("MiXeD1\n", 7, 64, RPP_STDIN | RPP_FORCEUPPER, 0,
	    "[MIXED1]", "");
	check_rpp("\xc1\xe2z\n", 4, 64, RPP_STDIN | RPP_SEVENBIT, 0,
	    "[Abz]", "");
	TEST_DONE();

	TEST_START("readpassphrase without a tty");
	/* No controlling tty: the prompt goes to stderr, input from stdin. */
	check_rpp("pw\n", 3, 64, 0, 1, "[pw]", "Prompt: ");
	snprintf(want, sizeof(want), "NULL errno=%d", ENOTTY);
	check_rpp("pw\n", 3, 64, RPP_REQUIRE_TTY, 1, want, "");
	check_rpp("pw\n", 3, 64, RPP_STDIN | RPP_REQUIRE_TTY, 0, want, "");
	errno = 0;
	ASSERT_PTR_EQ(readpassphrase("x", buf, 0, RPP_STDIN), NULL);
	ASSERT_INT_EQ(errno, EINVAL);
	TEST_DONE();
}

static size_t
atomicio_write_test(int fd, const char *s)
{
	ssize_t r = write(fd, s, strlen(s));

	return r < 0 ? 0 : (size_t)r;
}

/* Read from fd until it has given want (or 5 s pass); 1 if it did. */
static int
pty_read_until(int fd, char *acc, size_t accsz, size_t *accl,
    const char *want)
{
	struct pollfd pfd;
	int i;
	ssize_t r;

	for (i = 0; i < 50 && strstr(acc, want) == NULL; i++) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		if ((r = read(fd, acc + *accl, accsz - 1 - *accl)) <= 0)
			break;
		*accl += (size_t)r;
		acc[*accl] = '\0';
	}
	return strstr(acc, want) != NULL;
}

/*
 * readpassphrase on a real terminal: a pty becomes the child's controlling
 * tty; the prompt must appear there, the answer must not be echoed (unless
 * RPP_ECHO_ON) and the terminal modes must be restored afterwards.
 */
static void
check_rpp_tty(int flags, int want_echo)
{
	char acc[1024], got[256], buf[64], *ret, *name;
	int master, slave, res[2], status;
	struct termios t;
	size_t accl = 0, ng = 0;
	ssize_t r;
	pid_t pid;

	acc[0] = '\0';
	ASSERT_INT_GE((master = posix_openpt(O_RDWR | O_NOCTTY)), 0);
	ASSERT_INT_EQ(grantpt(master), 0);
	ASSERT_INT_EQ(unlockpt(master), 0);
	ASSERT_PTR_NE((name = ptsname(master)), NULL);
	ASSERT_INT_EQ(pipe(res), 0);
	ASSERT_INT_EQ((pid = fork()) != -1, 1);
	if (pid == 0) {
		close(master);
		close(res[0]);
		/* A session leader's first tty becomes its controlling one. */
		if (setsid() == -1 || (slave = open(name, O_RDWR)) == -1)
			_exit(2);
		ret = readpassphrase("Pass: ", buf, sizeof(buf), flags);
		if (tcgetattr(slave, &t) != 0 || !(t.c_lflag & ECHO))
			_exit(3);	/* echo not restored */
		snprintf(got, sizeof(got), "[%s]", ret ? ret : "NULL");
		(void)!write(res[1], got, strlen(got));
		_exit(0);
	}
	close(res[1]);
	ASSERT_TRUE(pty_read_until(master, acc, sizeof(acc), &accl,
	    "Pass: "));
	ASSERT_SIZE_T_EQ(atomicio_write_test(master, "hunter2\n"), 8);
	while ((r = read(res[0], got + ng, sizeof(got) - 1 - ng)) > 0)
		ng += (size_t)r;
	got[ng] = '\0';
	close(res[0]);
	ASSERT_INT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_INT_EQ(WEXITSTATUS(status), 0);
	ASSERT_STRING_EQ(got, "[hunter2]");
	/* Collect whatever else the child wrote to the terminal. */
	(void)pty_read_until(master, acc, sizeof(acc), &accl, "\n");
	close(master);
	if (want_echo)
		ASSERT_TRUE(strstr(acc, "hunter2") != NULL);
	else {
		ASSERT_TRUE(strstr(acc, "hunter2") == NULL);
		/* The newline the user typed is replaced by ours. */
		ASSERT_TRUE(strstr(acc, "Pass: \r\n") != NULL ||
		    strstr(acc, "Pass: \n") != NULL);
	}
}

static void
test_readpassphrase_tty(void)
{
	TEST_START("readpassphrase on a terminal");
	check_rpp_tty(0, 0);
	check_rpp_tty(RPP_REQUIRE_TTY, 0);
	check_rpp_tty(RPP_ECHO_ON, 1);
	TEST_DONE();
}

void
tests(void)
{
	test_strlcpy_strlcat();
	test_strtonum();
	test_memory();
	test_random();
	test_fds();
	test_readpassphrase();
	test_readpassphrase_tty();
}
