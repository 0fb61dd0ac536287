/*
 * A test SFTP server for the client unit tests: our own request engine
 * (sftp-server.h) in a child process behind pipes, with switches that
 * make it answer out of order, with short reads, a byte at a time, or
 * die halfway, so the client's pipelining and recovery get exercised.
 */
#include "includes.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "sftp.h"
#include "sftp-server.h"
#include "sftp-client.h"
#include "../test_helper/test_helper.h"
#include "test_sftpclient.h"

#define TS_MAX_BATCH	4096

/* Write all of p, a little at a time with trickle. */
static void
ts_write(int fd, const u_char *p, size_t len, int trickle)
{
	size_t step = trickle ? 997 : len;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, MINIMUM(step, len));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0);
		p += n;
		len -= (size_t)n;
	}
}

/* A DATA reply cut to half its data (at least one byte). */
static struct buf *
ts_shorten(struct buf *pkt)
{
	struct buf *view, *out;
	const u_char *data;
	uint32_t id;
	uint8_t type;
	size_t len;

	if ((view = buf_from(buf_ptr(pkt), buf_len(pkt))) == NULL ||
	    buf_get_u8(view, &type) != 0 || type != SSH2_FXP_DATA ||
	    buf_get_u32(view, &id) != 0 ||
	    buf_get_string_direct(view, &data, &len) != 0 || len < 2) {
		buf_free(view);
		return pkt;
	}
	if ((out = buf_new()) == NULL ||
	    buf_put_u8(out, type) != 0 || buf_put_u32(out, id) != 0 ||
	    buf_put_string(out, data, len / 2) != 0)
		_exit(2);
	buf_free(view);
	buf_free(pkt);
	return out;
}

/* An EOF STATUS for a READ becomes an empty DATA (a lax server). */
static struct buf *
ts_zerodata(struct buf *pkt)
{
	struct buf *view, *out;
	uint32_t id, code;
	uint8_t type;

	if ((view = buf_from(buf_ptr(pkt), buf_len(pkt))) == NULL ||
	    buf_get_u8(view, &type) != 0 || type != SSH2_FXP_STATUS ||
	    buf_get_u32(view, &id) != 0 || buf_get_u32(view, &code) != 0 ||
	    code != SSH2_FX_EOF) {
		buf_free(view);
		return pkt;
	}
	if ((out = buf_new()) == NULL ||
	    buf_put_u8(out, SSH2_FXP_DATA) != 0 || buf_put_u32(out, id) != 0 ||
	    buf_put_string(out, NULL, 0) != 0)
		_exit(2);
	buf_free(view);
	buf_free(pkt);
	return out;
}

/* Split the engine's output into packets, transform, write. */
static void
ts_flush(struct buf *out, int flags, size_t *countp, size_t die_after)
{
	struct buf *pkts[TS_MAX_BATCH], *frame;
	size_t n = 0, i, k;
	uint32_t len;

	while (buf_len(out) > 0 && n < TS_MAX_BATCH) {
		if (buf_get_u32(out, &len) != 0 ||
		    (pkts[n] = buf_from_copy(buf_ptr(out), len)) == NULL ||
		    buf_consume(out, len) != 0)
			_exit(2);
		/* INIT's VERSION is never played with. */
		if (*countp > 0 && (flags & TS_SHORT))
			pkts[n] = ts_shorten(pkts[n]);
		if (flags & TS_ZERODATA)
			pkts[n] = ts_zerodata(pkts[n]);
		n++;
	}
	for (i = 0; i < n; i++) {
		k = (flags & TS_REORDER) ? n - 1 - i : i;
		if ((flags & TS_DIE) && *countp >= die_after)
			_exit(0);
		if ((frame = buf_new()) == NULL ||
		    buf_put_stringb(frame, pkts[k]) != 0)
			_exit(2);
		ts_write(STDOUT_FILENO, buf_ptr(frame), buf_len(frame),
		    flags & TS_TRICKLE);
		buf_free(frame);
		buf_free(pkts[k]);
		(*countp)++;
	}
}

/*
 * Read what stdin has, or with TS_SERIAL exactly the rest of one
 * packet (its length first), so each request is answered and its
 * reply written before the next is read.
 */
static ssize_t
ts_read(const struct buf *in, u_char *tmp, size_t size, int flags)
{
	size_t want = size;
	uint32_t len;

	if (flags & TS_SERIAL) {
		if (buf_peek_u32(in, 0, &len) != 0)
			want = 4 - buf_len(in);
		else
			want = MINIMUM(size, (size_t)len + 4 - buf_len(in));
		if (want == 0 || want > size)
			want = size;
	}
	return read(STDIN_FILENO, tmp, want);
}

static void
ts_serve(int flags, size_t die_after)
{
	struct sftp_server_config cfg;
	struct sftp_server *s;
	struct buf *in, *out;
	size_t count = 0;
	u_char tmp[65536];
	ssize_t n;

	memset(&cfg, 0, sizeof(cfg));
	cfg.user = "tester";
	log_init("test_server", LOG_LEVEL_QUIET, LOG_FACILITY_NOT_SET, 1);
	if (sftp_server_new(&cfg, &s) != 0 || (in = buf_new()) == NULL ||
	    (out = buf_new()) == NULL)
		_exit(2);
	for (;;) {
		if ((n = ts_read(in, tmp, sizeof(tmp), flags)) <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			_exit(0);
		}
		if (buf_put(in, tmp, (size_t)n) != 0)
			_exit(2);
		/*
		 * The engine stops at its output mark with requests still
		 * in; every request has a reply, so no output means nothing
		 * complete is left to answer.
		 */
		do {
			if (sftp_server_process(s, in, out) != 0)
				_exit(2);
			if (buf_len(out) == 0)
				break;
			ts_flush(out, flags, &count, die_after);
		} while (buf_len(in) > 0);
	}
}

void
ts_start(struct test_server *ts, int flags, size_t die_after,
    size_t buflen, size_t nreqs)
{
	struct sftpc_options opts;
	int to[2], from[2];

	memset(ts, 0, sizeof(*ts));
	ASSERT_INT_EQ(pipe(to), 0);
	ASSERT_INT_EQ(pipe(from), 0);
#ifdef F_SETPIPE_SZ
	/* The smallest pipes Linux has: no slack to hide a deadlock. */
	if (flags & TS_SERIAL) {
		(void)fcntl(to[1], F_SETPIPE_SZ, 4096);
		(void)fcntl(from[1], F_SETPIPE_SZ, 4096);
	}
#endif
	ASSERT_INT_NE(ts->pid = fork(), -1);
	if (ts->pid == 0) {
		if (dup2(to[0], STDIN_FILENO) == -1 ||
		    dup2(from[1], STDOUT_FILENO) == -1)
			_exit(2);
		close(to[1]);
		close(from[0]);
		ts_serve(flags, die_after);
	}
	close(to[0]);
	close(from[1]);
	ts->fd_out = to[1];
	ts->fd_in = from[0];
	memset(&opts, 0, sizeof(opts));
	opts.buflen = buflen;
	opts.num_requests = nreqs;
	ASSERT_INT_EQ(sftpc_connect(ts->fd_in, ts->fd_out, &opts, &ts->conn),
	    0);
}

void
ts_stop(struct test_server *ts)
{
	int status;

	sftpc_free(ts->conn);
	close(ts->fd_in);
	close(ts->fd_out);
	while (waitpid(ts->pid, &status, 0) == -1 && errno == EINTR)
		;
	memset(ts, 0, sizeof(*ts));
}

/* ------------------------------------------------------------ files */

static char tmp_dir[PATH_MAX];

static int
tmpdir_rm(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	/* Best effort: what cannot go stays. */
	if (flag == FTW_DP)
		(void)rmdir(path);
	else
		(void)unlink(path);
	return 0;
}

/* At exit (also after a failed assertion): remove the directory. */
static void
tmpdir_cleanup(void)
{
	if (tmp_dir[0] != '\0')
		(void)nftw(tmp_dir, tmpdir_rm, 16, FTW_DEPTH | FTW_PHYS);
}

const char *
tmpdir(void)
{
	if (tmp_dir[0] == '\0') {
		snprintf(tmp_dir, sizeof(tmp_dir), "%s/test_sftpclient.XXXXXX",
		    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
		ASSERT_PTR_NE(mkdtemp(tmp_dir), NULL);
		atexit(tmpdir_cleanup);
	}
	return tmp_dir;
}

void
make_file(const char *path, size_t len)
{
	u_char buf[8192];
	uint32_t x = 0x12345678 ^ (uint32_t)len;
	size_t i, n;
	int fd;

	ASSERT_INT_NE(fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644),
	    -1);
	while (len > 0) {
		n = MINIMUM(len, sizeof(buf));
		for (i = 0; i < n; i++) {
			x = x * 1103515245 + 12345;
			buf[i] = (u_char)(x >> 16);
		}
		ASSERT_INT_EQ(write(fd, buf, n), (long long)n);
		len -= n;
	}
	ASSERT_INT_EQ(close(fd), 0);
}

long long
file_size(const char *path)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return -1;
	return (long long)st.st_size;
}

/* Compare n bytes of two files (n == SIZE_MAX: all, sizes equal). */
static int
compare(const char *a, const char *b, size_t n)
{
	u_char ba[8192], bb[8192];
	ssize_t ra, rb;
	size_t want;
	int fa, fb, ok = 1;

	if ((fa = open(a, O_RDONLY)) == -1)
		return 0;
	if ((fb = open(b, O_RDONLY)) == -1) {
		close(fa);
		return 0;
	}
	for (;;) {
		want = MINIMUM(n, sizeof(ba));
		if (want == 0)
			break;
		ra = read(fa, ba, want);
		rb = read(fb, bb, want);
		if (ra != rb || ra < 0 || memcmp(ba, bb, (size_t)ra) != 0) {
			ok = 0;
			break;
		}
		if (ra == 0) {
			ok = n == SIZE_MAX;
			break;
		}
		if (n != SIZE_MAX)
			n -= (size_t)ra;
	}
	close(fa);
	close(fb);
	return ok;
}

int
same_file(const char *a, const char *b)
{
	return file_size(a) == file_size(b) && compare(a, b, SIZE_MAX);
}

int
same_prefix(const char *a, const char *b, size_t n)
{
	return compare(a, b, n);
}
