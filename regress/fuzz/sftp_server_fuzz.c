/*
 * sftp_server_fuzz.c: libFuzzer target for the SFTP server's request
 * parser and dispatcher (sftp-server-engine.c and the runners behind it).
 *
 * The input is what a client sends: a stream of SFTP packets, fed to one
 * fresh server per input in slices of varying size (so packets split
 * across reads are covered), with the output drained between calls.
 * The server runs read-only in a scratch directory holding a file, a
 * directory and a symbolic link: every request is still parsed in full
 * (the policy is applied after parsing), but nothing can be changed.
 * Checks: no crash or sanitizer report; every reply is well framed and
 * within the packet limit; the server never stalls with a complete
 * packet pending and room for output.
 */
#include "includes.h"

#include <sys/stat.h>
#include <fcntl.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "sftp.h"
#include "sftp-server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
	    #x); \
	abort(); \
	} } while (0)

static void
fuzz_setup(void)
{
	static char dir[] = "/tmp/sftp_server_fuzz.XXXXXX";
	int fd;

	log_init("sftp_server_fuzz", LOG_LEVEL_QUIET, LOG_FACILITY_NOT_SET, 1);
	/* Nothing the server opens may read our stdin. */
	if ((fd = open("/dev/null", O_RDONLY)) != -1) {
		(void)dup2(fd, STDIN_FILENO);
		if (fd != STDIN_FILENO)
			close(fd);
	}
	CHECK(mkdtemp(dir) != NULL);
	CHECK(chdir(dir) == 0);
	CHECK((fd = open("f", O_CREAT | O_WRONLY | O_TRUNC, 0644)) != -1);
	CHECK(write(fd, "0123456789abcdef", 16) == 16);
	close(fd);
	CHECK(mkdir("d", 0755) == 0 || errno == EEXIST);
	CHECK(symlink("f", "l") == 0 || errno == EEXIST);
}

/* Every reply in out is framed and within the limit; then drop them. */
static void
check_replies(struct buf *out)
{
	uint32_t len;
	uint8_t type;

	while (buf_len(out) > 0) {
		CHECK(buf_get_u32(out, &len) == 0);
		CHECK(len >= 1 && len <= SFTP_MAX_PACKET);
		CHECK(buf_peek_u8(out, 0, &type) == 0);
		CHECK(type == SSH2_FXP_VERSION ||
		    (type >= SSH2_FXP_STATUS && type <= SSH2_FXP_ATTRS) ||
		    type == SSH2_FXP_EXTENDED_REPLY);
		CHECK(buf_consume(out, len) == 0);
	}
}

/* 1 if in starts with a whole packet. */
static int
has_packet(const struct buf *in)
{
	uint32_t len;

	return buf_peek_u32(in, 0, &len) == 0 && len <= SFTP_MAX_PACKET &&
	    buf_len(in) - 4 >= len;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct sftp_server_config cfg;
	struct sftp_server *s = NULL;
	struct buf *in = NULL, *out = NULL;
	size_t off = 0, n;
	int r = 0, stalled;

	if (!ready) {
		fuzz_setup();
		ready = 1;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.readonly = 1;
	cfg.user = "fuzz";
	cfg.max_handles = 8;
	CHECK(sftp_server_new(&cfg, &s) == 0);
	CHECK((in = buf_new()) != NULL);
	CHECK((out = buf_new()) != NULL);
	while (r == 0 && off < size) {
		/* Slice sizes follow the data so splits vary with it. */
		n = 1 + (size_t)data[off] * 97;
		if (n > size - off)
			n = size - off;
		CHECK(buf_put(in, data + off, n) == 0);
		off += n;
		for (;;) {
			r = sftp_server_process(s, in, out);
			/* Only a full output queue may leave a packet. */
			stalled = r == 0 && has_packet(in) &&
			    buf_len(out) <= SFTP_SERVER_OUT_HIGHWATER;
			check_replies(out);
			CHECK(!stalled);
			if (r != 0 || !has_packet(in))
				break;
		}
	}
	sftp_server_free(s);
	buf_free(in);
	buf_free(out);
	return 0;
}
