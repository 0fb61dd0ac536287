/*
 * test_buf_file.c: buf_load_fd, buf_load_file and buf_write_file: round
 * trips, atomic replacement, failures that leave nothing behind, limits.
 */
#include "includes.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>

#include "buf.h"
#include "errcode.h"
#include "../test_helper/test_helper.h"
#include "test_buf.h"

static char dir[4096];

/* The number of entries of d other than . and .. */
static int
count_entries(const char *d)
{
	DIR *dp;
	struct dirent *de;
	int n = 0;

	ASSERT_PTR_NE(dp = opendir(d), NULL);
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	}
	closedir(dp);
	return n;
}

static const char *
path_in(const char *d, const char *name)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/%s", d, name);
	return path;
}

static void
check_file(const char *path, const void *want, size_t len, mode_t mode)
{
	struct buf *b = NULL;
	struct stat st;

	ASSERT_INT_EQ(stat(path, &st), 0);
	ASSERT_TRUE(S_ISREG(st.st_mode));
	ASSERT_INT_EQ(st.st_mode & 07777, mode);
	ASSERT_INT_EQ(buf_load_file(path, &b), 0);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_SIZE_T_EQ(buf_len(b), len);
	if (len != 0)
		ASSERT_MEM_EQ(buf_ptr(b), want, len);
	buf_free(b);
}

static void
test_write_read(void)
{
	struct buf *b;
	char path[4200];
	u_char big[100000];
	size_t i;

	TEST_START("buf_write_file / buf_load_file round trip");
	snprintf(path, sizeof(path), "%s", path_in(dir, "f"));
	b = buf_from("hello\n", 6);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_write_file(path, b, 0640), 0);
	buf_free(b);
	check_file(path, "hello\n", 6, 0640);
	ASSERT_INT_EQ(count_entries(dir), 1);
	/* Replacing: new contents and mode, still one file. */
	for (i = 0; i < sizeof(big); i++)
		big[i] = (u_char)(i * 31);
	b = buf_from(big, sizeof(big));
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_write_file(path, b, 0600), 0);
	buf_free(b);
	check_file(path, big, sizeof(big), 0600);
	ASSERT_INT_EQ(count_entries(dir), 1);
	/* Only the unread part is written. */
	b = buf_from_copy("skipkeep", 8);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_consume(b, 4), 0);
	ASSERT_INT_EQ(buf_write_file(path, b, 0644), 0);
	check_file(path, "keep", 4, 0644);
	/* Empty. */
	ASSERT_INT_EQ(buf_consume(b, 4), 0);
	ASSERT_INT_EQ(buf_write_file(path, b, 0600), 0);
	check_file(path, "", 0, 0600);
	buf_free(b);
	ASSERT_INT_EQ(count_entries(dir), 1);
	ASSERT_INT_EQ(unlink(path), 0);
	TEST_DONE();
}

/*
 * Writing into a read-only directory fails and leaves nothing.  Root is
 * not bound by mode bits, so then a child does it as nobody, in a
 * directory of its own under /tmp that nobody can reach.
 */
static void
check_readonly_dir(const struct buf *b)
{
	char top[64], sub[128], path[160];
	pid_t pid;
	int r, status, asroot = geteuid() == 0;

	snprintf(top, sizeof(top), "/tmp/test_buf_ro.XXXXXX");
	ASSERT_PTR_NE(mkdtemp(top), NULL);
	ASSERT_INT_EQ(chmod(top, 0755), 0);
	snprintf(sub, sizeof(sub), "%s/ro", top);
	ASSERT_INT_EQ(mkdir(sub, 0555), 0);
	ASSERT_INT_EQ(chmod(sub, 0555), 0);
	snprintf(path, sizeof(path), "%s/f", sub);
	if (!asroot) {
		errno = 0;
		ASSERT_INT_EQ(buf_write_file(path, b, 0600), ERR_ERRNO);
		ASSERT_INT_EQ(errno, EACCES);
	} else {
		ASSERT_INT_GE(pid = fork(), 0);
		if (pid == 0) {
			if (setgroups(0, NULL) != 0 || setgid(65534) != 0 ||
			    setuid(65534) != 0)
				_exit(2);
			errno = 0;
			r = buf_write_file(path, b, 0600);
			_exit(r == ERR_ERRNO && errno == EACCES ? 0 : 1);
		}
		ASSERT_INT_EQ(waitpid(pid, &status, 0), pid);
		ASSERT_TRUE(WIFEXITED(status));
		ASSERT_INT_EQ(WEXITSTATUS(status), 0);
	}
	ASSERT_INT_EQ(count_entries(sub), 0);
	ASSERT_INT_EQ(rmdir(sub), 0);
	ASSERT_INT_EQ(rmdir(top), 0);
}

static void
test_write_failures(void)
{
	struct buf *b, *big;
	struct rlimit rl, saved;
	char path[4200], inner[4300];
	u_char *p;
	void (*oldsig)(int);
	int r;

	TEST_START("buf_write_file failures leave nothing");
	b = buf_from("data", 4);
	ASSERT_PTR_NE(b, NULL);
	/* No such directory. */
	errno = 0;
	ASSERT_INT_EQ(buf_write_file(path_in(dir, "nodir/f"), b, 0600),
	    ERR_ERRNO);
	ASSERT_INT_EQ(errno, ENOENT);
	/* A file where a directory should be. */
	snprintf(path, sizeof(path), "%s", path_in(dir, "plain"));
	ASSERT_INT_EQ(buf_write_file(path, b, 0600), 0);
	snprintf(inner, sizeof(inner), "%s/f", path);
	errno = 0;
	ASSERT_INT_EQ(buf_write_file(inner, b, 0600), ERR_ERRNO);
	ASSERT_INT_EQ(errno, ENOTDIR);
	ASSERT_INT_EQ(unlink(path), 0);
	ASSERT_INT_EQ(count_entries(dir), 0);
	/* A read-only directory. */
	check_readonly_dir(b);
	buf_free(b);

	/*
	 * A write that fails half way (file size limit): the old file
	 * stays as it was and no temporary is left.
	 */
	snprintf(path, sizeof(path), "%s", path_in(dir, "old"));
	b = buf_from("old contents", 12);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(buf_write_file(path, b, 0644), 0);
	buf_free(b);
	big = buf_new();
	ASSERT_PTR_NE(big, NULL);
	ASSERT_INT_EQ(buf_reserve(big, 65536, &p), 0);
	memset(p, 'n', 65536);
	ASSERT_INT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
	rl = saved;
	rl.rlim_cur = 4096;
	oldsig = signal(SIGXFSZ, SIG_IGN);
	ASSERT_INT_EQ(setrlimit(RLIMIT_FSIZE, &rl), 0);
	errno = 0;
	r = buf_write_file(path, big, 0600);
	ASSERT_INT_EQ(setrlimit(RLIMIT_FSIZE, &saved), 0);
	signal(SIGXFSZ, oldsig);
	ASSERT_INT_EQ(r, ERR_ERRNO);
	ASSERT_INT_EQ(errno, EFBIG);
	check_file(path, "old contents", 12, 0644);
	ASSERT_INT_EQ(count_entries(dir), 1);
	ASSERT_INT_EQ(unlink(path), 0);
	buf_free(big);
	TEST_DONE();
}

static void
test_load_limits(void)
{
	struct buf *b = (struct buf *)dir;
	char path[4200];
	int fd;

	TEST_START("buf_load_file failures and limits");
	errno = 0;
	ASSERT_INT_EQ(buf_load_file(path_in(dir, "missing"), &b),
	    ERR_ERRNO);
	ASSERT_INT_EQ(errno, ENOENT);
	ASSERT_PTR_EQ(b, NULL);
	/* A (sparse) file one byte over the cap. */
	snprintf(path, sizeof(path), "%s", path_in(dir, "huge"));
	ASSERT_INT_GE(fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600), 0);
	ASSERT_INT_EQ(ftruncate(fd, (off_t)BUF_SIZE_MAX + 1), 0);
	ASSERT_INT_EQ(close(fd), 0);
	b = (struct buf *)dir;
	ASSERT_INT_EQ(buf_load_file(path, &b), ERR_NO_BUFFER_SPACE);
	ASSERT_PTR_EQ(b, NULL);
	ASSERT_INT_EQ(unlink(path), 0);
	/* A file that is a directory. */
	ASSERT_INT_NE(buf_load_file(dir, &b), 0);
	ASSERT_PTR_EQ(b, NULL);
	/*
	 * A stream with no size: reading stops at the cap.  This reads
	 * 128 MiB, so it is left out of fast runs.
	 */
	if (!test_is_fast()) {
		ASSERT_INT_EQ(buf_load_file("/dev/zero", &b),
		    ERR_NO_BUFFER_SPACE);
		ASSERT_PTR_EQ(b, NULL);
	}
	TEST_DONE();
}

/* A child that writes n bytes of a pattern to fd in slow pieces. */
static pid_t
spawn_writer(int fd, size_t n)
{
	u_char chunk[7919];
	size_t i, done = 0, len;
	pid_t pid;

	ASSERT_INT_GE(pid = fork(), 0);
	if (pid != 0)
		return pid;
	while (done < n) {
		len = MINIMUM(sizeof(chunk), n - done);
		for (i = 0; i < len; i++)
			chunk[i] = (u_char)((done + i) % 251);
		if (write(fd, chunk, len) != (ssize_t)len)
			_exit(1);
		done += len;
		if (done < 3 * sizeof(chunk))
			usleep(20000);
	}
	_exit(0);
}

static void
test_load_pipe(int nonblock)
{
	struct buf *b = NULL;
	const u_char *p;
	size_t i, n = 300001;
	pid_t pid;
	int fds[2], status;

	TEST_START(nonblock ? "buf_load_fd from a non-blocking pipe" :
	    "buf_load_fd from a pipe");
	ASSERT_INT_EQ(pipe(fds), 0);
	if (nonblock)
		ASSERT_INT_EQ(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
	pid = spawn_writer(fds[1], n);
	close(fds[1]);
	ASSERT_INT_EQ(buf_load_fd(fds[0], &b), 0);
	close(fds[0]);
	ASSERT_INT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_SIZE_T_EQ(buf_len(b), n);
	p = buf_ptr(b);
	for (i = 0; i < n; i++) {
		if (p[i] != (u_char)(i % 251))
			assert_failed(__FILE__, __LINE__, "byte %zu wrong", i);
	}
	buf_free(b);
	ASSERT_INT_EQ(buf_load_fd(-1, &b), ERR_ERRNO);
	ASSERT_PTR_EQ(b, NULL);
	TEST_DONE();
}

void
test_buf_file(void)
{
	const char *tmp = getenv("TMPROOT");

	if (tmp == NULL || *tmp == '\0')
		tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/test_buf.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		assert_failed(__FILE__, __LINE__, "mkdtemp: %s",
		    strerror(errno));
	test_write_read();
	test_write_failures();
	test_load_limits();
	test_load_pipe(0);
	test_load_pipe(1);
	ASSERT_INT_EQ(count_entries(dir), 0);
	ASSERT_INT_EQ(rmdir(dir), 0);
}
