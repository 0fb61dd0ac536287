/*
 * Pipelined transfers: downloads and uploads of awkward sizes through
 * a server that answers out of order, with short reads, a few bytes at
 * a time, or dies halfway (then the partial file must be a clean
 * prefix, so it never looks complete and reget can go on from it).
 */
#include "includes.h"

#include <sys/stat.h>
#include <sys/time.h>
#include <fcntl.h>
#include <signal.h>

#include "errcode.h"
#include "sftp.h"
#include "sftp-common.h"
#include "sftp-client.h"
#include "../test_helper/test_helper.h"
#include "test_sftpclient.h"

static const size_t sizes[] = {
	0, 1, 4095, 4096, 4097, 32767, 32768, 32769, 100000, 1048577
};
#define NSIZES	(sizeof(sizes) / sizeof(sizes[0]))

static char *
tpath(const char *fmt, size_t n)
{
	static char buf[8][PATH_MAX];
	static int i;
	char name[64];

	i = (i + 1) % 8;
	snprintf(name, sizeof(name), fmt, n);
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", tmpdir(), name);
	return buf[i];
}

/* Download and upload every size with server behaviour flags. */
static void
roundtrip(const char *name, int flags, size_t buflen, size_t nreqs)
{
	struct test_server ts;
	char title[128];
	size_t i;

	for (i = 0; i < NSIZES; i++) {
		snprintf(title, sizeof(title), "%s %zu bytes", name, sizes[i]);
		TEST_START(title);
		make_file(tpath("src.%zu", sizes[i]), sizes[i]);
		unlink(tpath("dl.%zu", sizes[i]));
		unlink(tpath("ul.%zu", sizes[i]));
		ts_start(&ts, flags, 0, buflen, nreqs);
		ASSERT_INT_EQ(sftpc_download(ts.conn, tpath("src.%zu",
		    sizes[i]), tpath("dl.%zu", sizes[i]), NULL, NULL), 0);
		ASSERT_TRUE(same_file(tpath("src.%zu", sizes[i]),
		    tpath("dl.%zu", sizes[i])));
		ASSERT_INT_EQ(sftpc_upload(ts.conn, tpath("src.%zu",
		    sizes[i]), tpath("ul.%zu", sizes[i]), NULL), 0);
		ASSERT_TRUE(same_file(tpath("src.%zu", sizes[i]),
		    tpath("ul.%zu", sizes[i])));
		ts_stop(&ts);
		TEST_DONE();
	}
}

/* The server dies after a few replies: a clean prefix stays. */
static void
killed_download(void)
{
	struct test_server ts;
	const size_t size = 1048577;
	long long got;
	int r;

	TEST_START("server dies mid-download, out of order");
	make_file(tpath("kill.%zu", size), size);
	unlink(tpath("kdl.%zu", size));
	/* INIT, limits, STAT, OPEN: then 20 READ replies, reversed. */
	ts_start(&ts, TS_REORDER | TS_DIE, 24, 4096, 64);
	r = sftpc_download(ts.conn, tpath("kill.%zu", size),
	    tpath("kdl.%zu", size), NULL, NULL);
	ASSERT_INT_NE(r, 0);
	ASSERT_TRUE(sftpc_is_dead(ts.conn));
	got = file_size(tpath("kdl.%zu", size));
	ASSERT_INT_GE(got, 0);
	ASSERT_INT_LT(got, (long long)size);
	ASSERT_TRUE(same_prefix(tpath("kill.%zu", size),
	    tpath("kdl.%zu", size), (size_t)got));
	ts_stop(&ts);
	TEST_DONE();

	TEST_START("reget after the kill completes the file");
	ts_start(&ts, TS_REORDER, 0, 4096, 64);
	{
		struct sftpc_xfer x;

		memset(&x, 0, sizeof(x));
		x.resume = 1;
		ASSERT_INT_EQ(sftpc_download(ts.conn, tpath("kill.%zu", size),
		    tpath("kdl.%zu", size), NULL, &x), 0);
	}
	ASSERT_TRUE(same_file(tpath("kill.%zu", size),
	    tpath("kdl.%zu", size)));
	ts_stop(&ts);
	TEST_DONE();
}

/* Upload with the server dying: the remote file is a clean prefix. */
static void
killed_upload(void)
{
	struct test_server ts;
	struct sftpc_xfer x;
	const size_t size = 1048577;
	long long got;

	TEST_START("server dies mid-upload, out of order");
	make_file(tpath("ksrc.%zu", size), size);
	unlink(tpath("kul.%zu", size));
	ts_start(&ts, TS_REORDER | TS_DIE, 30, 4096, 16);
	ASSERT_INT_NE(sftpc_upload(ts.conn, tpath("ksrc.%zu", size),
	    tpath("kul.%zu", size), NULL), 0);
	ts_stop(&ts);
	got = file_size(tpath("kul.%zu", size));
	ASSERT_INT_GE(got, 0);
	ASSERT_INT_LT(got, (long long)size);
	ASSERT_TRUE(same_prefix(tpath("ksrc.%zu", size),
	    tpath("kul.%zu", size), (size_t)got));
	TEST_DONE();

	TEST_START("reput after the kill completes the file");
	ts_start(&ts, 0, 0, 4096, 16);
	memset(&x, 0, sizeof(x));
	x.resume = 1;
	ASSERT_INT_EQ(sftpc_upload(ts.conn, tpath("ksrc.%zu", size),
	    tpath("kul.%zu", size), &x), 0);
	ASSERT_TRUE(same_file(tpath("ksrc.%zu", size),
	    tpath("kul.%zu", size)));
	ts_stop(&ts);
	TEST_DONE();
}

static void
xfer_timeout(int sig)
{
	static const char msg[] = "test_sftpclient: transfer deadlocked "
	    "(no progress in 30 seconds)\n";

	(void)sig;
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	_exit(1);
}

/*
 * A server that reads one request, writes its whole reply, then reads
 * the next, behind 4 KiB pipes: the client has hundreds of requests
 * in flight, more than a pipe holds each way, so it must keep reading
 * replies while it writes or both sides block for ever.  An alarm
 * turns such a hang into a failure.
 */
static void
unbuffered_server(void)
{
	struct test_server ts;
	const size_t size = 1048577;

	signal(SIGALRM, xfer_timeout);
	TEST_START("download, 257 requests in flight, unbuffered server");
	make_file(tpath("ub.%zu", size), size);
	unlink(tpath("ubdl.%zu", size));
	unlink(tpath("ubul.%zu", size));
	alarm(30);
	ts_start(&ts, TS_SERIAL, 0, 4096, 4096);
	ASSERT_INT_EQ(sftpc_download(ts.conn, tpath("ub.%zu", size),
	    tpath("ubdl.%zu", size), NULL, NULL), 0);
	ASSERT_TRUE(same_file(tpath("ub.%zu", size),
	    tpath("ubdl.%zu", size)));
	TEST_DONE();

	TEST_START("upload, 257 requests in flight, unbuffered server");
	ASSERT_INT_EQ(sftpc_upload(ts.conn, tpath("ub.%zu", size),
	    tpath("ubul.%zu", size), NULL), 0);
	ASSERT_TRUE(same_file(tpath("ub.%zu", size),
	    tpath("ubul.%zu", size)));
	ts_stop(&ts);
	alarm(0);
	TEST_DONE();
}

/* Errors come back as ERR_ERRNO with the status kept. */
static void
missing_file(void)
{
	struct test_server ts;
	int r;

	TEST_START("download of a missing file");
	ts_start(&ts, 0, 0, 0, 0);
	r = sftpc_download(ts.conn, tpath("missing.%zu", 0),
	    tpath("nothing.%zu", 0), NULL, NULL);
	ASSERT_INT_EQ(r, ERR_ERRNO);
	ASSERT_INT_EQ(errno, ENOENT);
	ASSERT_U32_EQ(sftpc_last_status(ts.conn), SSH2_FX_NO_SUCH_FILE);
	ASSERT_INT_EQ(file_size(tpath("nothing.%zu", 0)), -1);
	ASSERT_FALSE(sftpc_is_dead(ts.conn));
	ts_stop(&ts);
	TEST_DONE();
}

/* Preserve: modes and times reach the copy. */
static void
preserve(void)
{
	struct test_server ts;
	struct sftpc_xfer x;
	struct timeval tv[2];
	struct stat st;

	TEST_START("download and upload with -p");
	make_file(tpath("pres.%zu", 1), 5000);
	ASSERT_INT_EQ(chmod(tpath("pres.%zu", 1), 0640), 0);
	tv[0].tv_sec = 1000000000;
	tv[1].tv_sec = 1200000000;
	tv[0].tv_usec = tv[1].tv_usec = 0;
	ASSERT_INT_EQ(utimes(tpath("pres.%zu", 1), tv), 0);
	unlink(tpath("pres.%zu", 2));
	unlink(tpath("pres.%zu", 3));
	memset(&x, 0, sizeof(x));
	x.preserve = 1;
	x.fsync = 1;
	ts_start(&ts, TS_REORDER, 0, 1024, 8);
	ASSERT_INT_EQ(sftpc_download(ts.conn, tpath("pres.%zu", 1),
	    tpath("pres.%zu", 2), NULL, &x), 0);
	ASSERT_INT_EQ(stat(tpath("pres.%zu", 2), &st), 0);
	ASSERT_INT_EQ(st.st_mode & 07777, 0640);
	ASSERT_INT_EQ(st.st_mtime, 1200000000);
	ASSERT_INT_EQ(st.st_atime, 1000000000);
	ASSERT_INT_EQ(sftpc_upload(ts.conn, tpath("pres.%zu", 1),
	    tpath("pres.%zu", 3), &x), 0);
	ASSERT_INT_EQ(stat(tpath("pres.%zu", 3), &st), 0);
	ASSERT_INT_EQ(st.st_mode & 07777, 0640);
	ASSERT_INT_EQ(st.st_mtime, 1200000000);
	ts_stop(&ts);
	TEST_DONE();
}

void
test_sftpclient_xfer(void)
{
	roundtrip("plain", 0, 0, 0);
	roundtrip("reordered", TS_REORDER, 4096, 32);
	roundtrip("short reads", TS_SHORT | TS_REORDER, 4096, 16);
	roundtrip("trickled", TS_TRICKLE, 32768, 4);
	roundtrip("zero-length data at EOF", TS_ZERODATA | TS_REORDER,
	    4096, 8);
	roundtrip("one request", TS_REORDER, 1000, 1);
	roundtrip("unbuffered server", TS_SERIAL, 0, 0);
	unbuffered_server();
	killed_download();
	killed_upload();
	missing_file();
	preserve();
}
