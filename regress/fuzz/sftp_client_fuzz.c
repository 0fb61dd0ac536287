/*
 * sftp_client_fuzz.c: libFuzzer target for the SFTP client's parsing of
 * what a server sends (sftp-client*.c, sftp-glob.c): VERSION and its
 * extensions, STATUS, HANDLE, DATA, NAME, ATTRS and EXTENDED_REPLY, in
 * any order and with any ids.
 *
 * The input is the server's whole byte stream, queued on one end of a
 * socketpair before the client starts (then the end is shut, so the
 * client sees EOF after it).  The client connects and runs a fixed
 * session: realpath, stat, a directory listing, a glob, a pipelined
 * download, statvfs and users-groups-by-id.  Checks: no crash or
 * sanitizer report, and every call returns (the stream always ends).
 */
#include "includes.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <fcntl.h>

#include "errcode.h"
#include "log.h"
#include "sftp.h"
#include "sftp-common.h"
#include "sftp-client.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The stream must fit the socket buffer: writes happen up front. */
#define FUZZ_MAX_INPUT	(96 * 1024)

static char fuzz_dir[] = "/tmp/sftp_client_fuzz.XXXXXX";
static char fuzz_out[sizeof(fuzz_dir) + 8];

static void
fuzz_setup(void)
{
	log_init("sftp_client_fuzz", LOG_LEVEL_QUIET, LOG_FACILITY_NOT_SET, 1);
	if (mkdtemp(fuzz_dir) == NULL)
		abort();
	snprintf(fuzz_out, sizeof(fuzz_out), "%s/out", fuzz_dir);
}

/* The fixed session; each step stops once the connection is dead. */
static void
fuzz_session(struct sftp_conn *conn)
{
	struct sftpc_dirent **ents = NULL;
	struct sftpc_statvfs vfs;
	struct sftp_attrs a;
	struct sftpc_xfer x;
	uint32_t ids[2] = { 0, 1 };
	char *s = NULL, **un = NULL, **gn = NULL;
	size_t n = 0;

	if (sftpc_realpath(conn, ".", &s) == 0)
		free(s);
	(void)sftpc_stat(conn, "f", 1, &a);
	if (sftpc_readdir_all(conn, ".", 1, &ents, &n) == 0)
		sftpc_dirents_free(ents, n);
	if (sftpc_glob(conn, "d/*", "/", &ents, &n) == 0)
		sftpc_dirents_free(ents, n);
	memset(&x, 0, sizeof(x));
	x.preserve = 1;
	(void)sftpc_download(conn, "f", fuzz_out, NULL, &x);
	(void)sftpc_statvfs(conn, "/", &vfs);
	if (sftpc_users_groups_by_id(conn, ids, 2, ids, 1, &un, &gn) == 0) {
		sftpc_names_free(un, 2);
		sftpc_names_free(gn, 1);
	}
	if (sftpc_readlink(conn, "l", &s) == 0)
		free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	struct sftpc_options opts;
	struct sftp_conn *conn = NULL;
	int sp[2], sndbuf = FUZZ_MAX_INPUT * 2;

	if (!initialised) {
		fuzz_setup();
		initialised = 1;
	}
	if (size > FUZZ_MAX_INPUT)
		return 0;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == -1)
		abort();
	(void)setsockopt(sp[1], SOL_SOCKET, SO_SNDBUF, &sndbuf,
	    sizeof(sndbuf));
	if (size > 0 && write(sp[1], data, size) != (ssize_t)size)
		abort();
	shutdown(sp[1], SHUT_WR);
	memset(&opts, 0, sizeof(opts));
	opts.buflen = 1024;
	opts.num_requests = 4;
	if (sftpc_connect(sp[0], sp[0], &opts, &conn) == 0) {
		fuzz_session(conn);
		sftpc_free(conn);
	}
	close(sp[0]);
	close(sp[1]);
	unlink(fuzz_out);
	return 0;
}
