/*
 * Shared pieces of the SFTP client unit tests: a server child (our
 * request engine behind pipes) that can misbehave on purpose, and
 * temporary files.
 */
#ifndef TEST_SFTPCLIENT_H
#define TEST_SFTPCLIENT_H

#include <sys/types.h>
#include <stddef.h>

struct sftp_conn;

/* How the test server answers. */
#define TS_REORDER	0x01	/* replies of each batch in reverse order */
#define TS_SHORT	0x02	/* DATA replies carry half what was asked */
#define TS_TRICKLE	0x04	/* replies written a few bytes at a time */
#define TS_DIE		0x08	/* exit after die_after replies */
#define TS_ZERODATA	0x10	/* DATA replies of zero bytes past EOF */
#define TS_SERIAL	0x20	/* one request read, its reply written, ... */

struct test_server {
	pid_t			 pid;
	int			 fd_in;
	int			 fd_out;
	struct sftp_conn	*conn;
};

/*
 * Start the server child with behaviour flags and connect to it;
 * buflen / nreqs for the client (0 default).
 */
void ts_start(struct test_server *ts, int flags, size_t die_after,
    size_t buflen, size_t nreqs);
void ts_stop(struct test_server *ts);

/* A fresh temporary directory (static storage) for this test program. */
const char *tmpdir(void);
/* Create path with len bytes of a fixed pseudo-random pattern. */
void make_file(const char *path, size_t len);
/* 1 if the two files hold the same bytes. */
int same_file(const char *a, const char *b);
/* Size of path, or -1. */
long long file_size(const char *path);
/* 1 if the first n bytes of a and b agree (both at least n long). */
int same_prefix(const char *a, const char *b, size_t n);

void test_sftpclient_xfer(void);
void test_sftpclient_glob(void);
void test_sftpclient_requests(void);
void test_sftpclient_progress(void);

#endif /* TEST_SFTPCLIENT_H */
