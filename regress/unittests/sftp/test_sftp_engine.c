/*
 * Unit tests of the SFTP server's request engine, driven through
 * buffers: framing, INIT/VERSION, malformed and truncated packets,
 * unknown requests, handles and the -R/-p/-P policy.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "sftp.h"
#include "sftp-server.h"
#include "../test_helper/test_helper.h"
#include "test_sftp.h"
#include "test_sftp_engine.h"

struct sftp_server *eng;
struct buf *eng_in, *eng_out;

void
eng_start(int readonly, const char *deny, const char *allow, int init)
{
	struct sftp_server_config cfg;
	struct buf *b;

	memset(&cfg, 0, sizeof(cfg));
	cfg.readonly = readonly;
	cfg.denylist = deny;
	cfg.allowlist = allow;
	cfg.user = "tester";
	log_init("test_sftp", LOG_LEVEL_QUIET, LOG_FACILITY_NOT_SET, 1);
	ASSERT_INT_EQ(sftp_server_new(&cfg, &eng), 0);
	ASSERT_PTR_NE(eng_in = buf_new(), NULL);
	ASSERT_PTR_NE(eng_out = buf_new(), NULL);
	if (!init)
		return;
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u32(b, 3), 0);
	eng_send(SSH2_FXP_INIT, b);
	ASSERT_INT_EQ(eng_run(), 0);
	b = eng_reply(SSH2_FXP_VERSION);
	buf_free(b);
}

void
eng_stop(void)
{
	sftp_server_free(eng);
	buf_free(eng_in);
	buf_free(eng_out);
	eng = NULL;
	eng_in = eng_out = NULL;
}

void
eng_send(uint8_t type, struct buf *body)
{
	ASSERT_INT_EQ(buf_put_u32(eng_in, (uint32_t)buf_len(body) + 1), 0);
	ASSERT_INT_EQ(buf_put_u8(eng_in, type), 0);
	ASSERT_INT_EQ(buf_putb(eng_in, body), 0);
	buf_free(body);
}

int
eng_run(void)
{
	return sftp_server_process(eng, eng_in, eng_out);
}

struct buf *
eng_reply(uint8_t want_type)
{
	struct buf *b;
	uint32_t len;
	uint8_t type;

	ASSERT_INT_EQ(buf_get_u32(eng_out, &len), 0);
	ASSERT_SIZE_T_LT((size_t)len - 1, buf_len(eng_out));
	ASSERT_PTR_NE(b = buf_from_copy(buf_ptr(eng_out), len), NULL);
	ASSERT_INT_EQ(buf_consume(eng_out, len), 0);
	ASSERT_INT_EQ(buf_get_u8(b, &type), 0);
	ASSERT_U8_EQ(type, want_type);
	return b;
}

struct buf *
eng_reply_id(uint8_t want_type, uint32_t want_id)
{
	struct buf *b = eng_reply(want_type);
	uint32_t id;

	ASSERT_INT_EQ(buf_get_u32(b, &id), 0);
	ASSERT_U32_EQ(id, want_id);
	return b;
}

void
eng_expect_status(uint32_t want_id, uint32_t want_code)
{
	struct buf *b = eng_reply_id(SSH2_FXP_STATUS, want_id);
	uint32_t code;
	char *msg = NULL, *lang = NULL;

	ASSERT_INT_EQ(buf_get_u32(b, &code), 0);
	ASSERT_U32_EQ(code, want_code);
	ASSERT_INT_EQ(buf_get_cstring(b, &msg, NULL), 0);
	ASSERT_INT_EQ(buf_get_cstring(b, &lang, NULL), 0);
	ASSERT_SIZE_T_GT(strlen(msg), 0);
	ASSERT_STRING_EQ(lang, "");
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	free(msg);
	free(lang);
	buf_free(b);
}

/* A request body: uint32 id then, for each non-NULL s, a string. */
struct buf *
eng_body(uint32_t id, const char *s1, const char *s2)
{
	struct buf *b;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u32(b, id), 0);
	if (s1 != NULL)
		ASSERT_INT_EQ(buf_put_cstring(b, s1), 0);
	if (s2 != NULL)
		ASSERT_INT_EQ(buf_put_cstring(b, s2), 0);
	return b;
}

static void
test_version(void)
{
	static const char *const exts[][2] = {
		{ "posix-rename@openssh.com", "1" },
		{ "statvfs@openssh.com", "2" },
		{ "fstatvfs@openssh.com", "2" },
		{ "hardlink@openssh.com", "1" },
		{ "fsync@openssh.com", "1" },
		{ "lsetstat@openssh.com", "1" },
		{ "limits@openssh.com", "1" },
		{ "expand-path@openssh.com", "1" },
		{ "copy-data", "1" },
		{ "home-directory", "1" },
		{ "users-groups-by-id@openssh.com", "1" },
	};
	struct buf *b;
	uint32_t version;
	char *name, *data;
	size_t i;

	TEST_START("INIT gets VERSION 3 with every extension");
	eng_start(0, NULL, NULL, 0);
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u32(b, 3), 0);
	/* Client extensions are skipped. */
	ASSERT_INT_EQ(buf_put_cstring(b, "foo@example.com"), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, "bar"), 0);
	eng_send(SSH2_FXP_INIT, b);
	ASSERT_INT_EQ(eng_run(), 0);
	b = eng_reply(SSH2_FXP_VERSION);
	ASSERT_INT_EQ(buf_get_u32(b, &version), 0);
	ASSERT_U32_EQ(version, 3);
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		ASSERT_INT_EQ(buf_get_cstring(b, &name, NULL), 0);
		ASSERT_INT_EQ(buf_get_cstring(b, &data, NULL), 0);
		ASSERT_STRING_EQ(name, exts[i][0]);
		ASSERT_STRING_EQ(data, exts[i][1]);
		free(name);
		free(data);
	}
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	buf_free(b);
	ASSERT_SIZE_T_EQ(buf_len(eng_out), 0);
	TEST_DONE();

	TEST_START("a second INIT ends the session");
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u32(b, 3), 0);
	eng_send(SSH2_FXP_INIT, b);
	ASSERT_INT_EQ(eng_run(), ERR_PROTOCOL_ERROR);
	eng_stop();
	TEST_DONE();

	TEST_START("read-only VERSION leaves out extensions that write");
	eng_start(1, NULL, NULL, 0);
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u32(b, 3), 0);
	eng_send(SSH2_FXP_INIT, b);
	ASSERT_INT_EQ(eng_run(), 0);
	b = eng_reply(SSH2_FXP_VERSION);
	ASSERT_INT_EQ(buf_get_u32(b, &version), 0);
	ASSERT_INT_EQ(buf_find(b, 0, "statvfs@openssh.com", 19, &i), 0);
	ASSERT_INT_NE(buf_find(b, 0, "posix-rename", 12, &i), 0);
	ASSERT_INT_NE(buf_find(b, 0, "hardlink", 8, &i), 0);
	ASSERT_INT_NE(buf_find(b, 0, "copy-data", 9, &i), 0);
	buf_free(b);
	eng_stop();
	TEST_DONE();
}

static void
test_framing(void)
{
	struct buf *b, *pkt;
	size_t i, len;

	TEST_START("a request before INIT ends the session");
	eng_start(0, NULL, NULL, 0);
	eng_send(SSH2_FXP_STAT, eng_body(1, ".", NULL));
	ASSERT_INT_EQ(eng_run(), ERR_PROTOCOL_ERROR);
	ASSERT_SIZE_T_EQ(buf_len(eng_out), 0);
	eng_stop();
	TEST_DONE();

	TEST_START("a length beyond 256 KiB ends the session at once");
	eng_start(0, NULL, NULL, 1);
	ASSERT_INT_EQ(buf_put_u32(eng_in, SFTP_MAX_PACKET + 1), 0);
	ASSERT_INT_EQ(eng_run(), ERR_PROTOCOL_ERROR);
	eng_stop();
	eng_start(0, NULL, NULL, 1);
	ASSERT_INT_EQ(buf_put_u32(eng_in, 0xffffffff), 0);
	ASSERT_INT_EQ(eng_run(), ERR_PROTOCOL_ERROR);
	eng_stop();
	TEST_DONE();

	TEST_START("a 256 KiB length waits for its bytes");
	eng_start(0, NULL, NULL, 1);
	ASSERT_INT_EQ(buf_put_u32(eng_in, SFTP_MAX_PACKET), 0);
	ASSERT_INT_EQ(buf_put_u8(eng_in, SSH2_FXP_WRITE), 0);
	ASSERT_INT_EQ(eng_run(), 0);
	ASSERT_SIZE_T_EQ(buf_len(eng_in), 5);
	ASSERT_SIZE_T_EQ(buf_len(eng_out), 0);
	eng_stop();
	TEST_DONE();

	TEST_START("a request arriving byte by byte");
	eng_start(0, NULL, NULL, 1);
	ASSERT_PTR_NE(pkt = buf_new(), NULL);
	b = eng_body(7, "/", NULL);
	ASSERT_INT_EQ(buf_put_u32(pkt, (uint32_t)buf_len(b) + 1), 0);
	ASSERT_INT_EQ(buf_put_u8(pkt, SSH2_FXP_STAT), 0);
	ASSERT_INT_EQ(buf_putb(pkt, b), 0);
	buf_free(b);
	len = buf_len(pkt);
	for (i = 0; i < len; i++) {
		ASSERT_SIZE_T_EQ(buf_len(eng_out), 0);
		ASSERT_INT_EQ(buf_put(eng_in, buf_ptr(pkt), 1), 0);
		ASSERT_INT_EQ(buf_consume(pkt, 1), 0);
		ASSERT_INT_EQ(eng_run(), 0);
	}
	ASSERT_SIZE_T_EQ(buf_len(eng_in), 0);
	buf_free(eng_reply_id(SSH2_FXP_ATTRS, 7));
	buf_free(pkt);
	eng_stop();
	TEST_DONE();
}

/* The full STAT packet body (type, id, path) cut to len bytes. */
static void
send_cut_stat(size_t len)
{
	struct buf *full, *b;

	ASSERT_PTR_NE(full = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u8(full, SSH2_FXP_STAT), 0);
	ASSERT_INT_EQ(buf_put_u32(full, 9), 0);
	ASSERT_INT_EQ(buf_put_cstring(full, "/tmp"), 0);
	ASSERT_SIZE_T_LT(len, buf_len(full) + 1);
	ASSERT_PTR_NE(b = buf_from(buf_ptr(full), len), NULL);
	ASSERT_INT_EQ(buf_put_u32(eng_in, (uint32_t)len), 0);
	ASSERT_INT_EQ(buf_putb(eng_in, b), 0);
	buf_free(b);
	buf_free(full);
}

static void
test_malformed(void)
{
	struct buf *b;
	size_t i;

	TEST_START("truncated STAT at every offset ends the session");
	for (i = 0; i < 1 + 4 + 4 + 4; i++) {
		eng_start(0, NULL, NULL, 1);
		send_cut_stat(i);
		ASSERT_INT_LT(eng_run(), 0);
		ASSERT_SIZE_T_EQ(buf_len(eng_out), 0);
		eng_stop();
	}
	/* And the whole packet works. */
	eng_start(0, NULL, NULL, 1);
	send_cut_stat(1 + 4 + 4 + 4);
	ASSERT_INT_EQ(eng_run(), 0);
	buf_free(eng_reply_id(SSH2_FXP_ATTRS, 9));
	eng_stop();
	TEST_DONE();

	TEST_START("trailing data ends the session");
	eng_start(0, NULL, NULL, 1);
	b = eng_body(3, "/", NULL);
	ASSERT_INT_EQ(buf_put_u8(b, 0), 0);
	eng_send(SSH2_FXP_STAT, b);
	ASSERT_INT_EQ(eng_run(), ERR_UNEXPECTED_TRAILING_DATA);
	eng_stop();
	TEST_DONE();

	TEST_START("a path with a NUL ends the session");
	eng_start(0, NULL, NULL, 1);
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u32(b, 3), 0);
	ASSERT_INT_EQ(buf_put_string(b, "/\0x", 3), 0);
	eng_send(SSH2_FXP_STAT, b);
	ASSERT_INT_EQ(eng_run(), ERR_INVALID_FORMAT);
	eng_stop();
	TEST_DONE();

	TEST_START("an empty packet ends the session");
	eng_start(0, NULL, NULL, 1);
	ASSERT_INT_EQ(buf_put_u32(eng_in, 0), 0);
	ASSERT_INT_LT(eng_run(), 0);
	eng_stop();
	TEST_DONE();

	TEST_START("a handle longer than the packet ends the session");
	eng_start(0, NULL, NULL, 1);
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u32(b, 4), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 1000), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 0), 0);
	eng_send(SSH2_FXP_CLOSE, b);
	ASSERT_INT_EQ(eng_run(), ERR_MESSAGE_INCOMPLETE);
	eng_stop();
	TEST_DONE();

	TEST_START("users-groups-by-id lists not of whole uint32s");
	eng_start(0, NULL, NULL, 1);
	ASSERT_PTR_NE(b = eng_body(5, "users-groups-by-id@openssh.com",
	    NULL), NULL);
	ASSERT_INT_EQ(buf_put_string(b, "\0\0\0", 3), 0);
	ASSERT_INT_EQ(buf_put_string(b, "", 0), 0);
	eng_send(SSH2_FXP_EXTENDED, b);
	ASSERT_INT_EQ(eng_run(), ERR_INVALID_FORMAT);
	eng_stop();
	TEST_DONE();
}

static void
test_unknown(void)
{
	struct buf *b;

	TEST_START("unknown request types get OP_UNSUPPORTED");
	eng_start(0, NULL, NULL, 1);
	eng_send(99, eng_body(11, "whatever", NULL));
	eng_send(SSH2_FXP_STATUS, eng_body(12, NULL, NULL));
	eng_send(SSH2_FXP_VERSION, eng_body(13, NULL, NULL));
	eng_send(0, eng_body(14, NULL, NULL));
	eng_send(255, eng_body(15, NULL, NULL));
	eng_send(SSH2_FXP_EXTENDED, eng_body(16, "nosuch@example.com", "x"));
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(11, SSH2_FX_OP_UNSUPPORTED);
	eng_expect_status(12, SSH2_FX_OP_UNSUPPORTED);
	eng_expect_status(13, SSH2_FX_OP_UNSUPPORTED);
	eng_expect_status(14, SSH2_FX_OP_UNSUPPORTED);
	eng_expect_status(15, SSH2_FX_OP_UNSUPPORTED);
	eng_expect_status(16, SSH2_FX_OP_UNSUPPORTED);
	ASSERT_SIZE_T_EQ(buf_len(eng_out), 0);
	TEST_DONE();

	TEST_START("bad handles get NO_SUCH_FILE");
	ASSERT_PTR_NE(b = eng_body(20, "abcd", NULL), NULL);
	eng_send(SSH2_FXP_CLOSE, b);
	ASSERT_PTR_NE(b = eng_body(21, "", NULL), NULL);
	eng_send(SSH2_FXP_FSTAT, b);
	ASSERT_PTR_NE(b = eng_body(22, NULL, NULL), NULL);
	ASSERT_INT_EQ(buf_put_string(b, "\0\0\0\0\0\0\0\1", 8), 0);
	eng_send(SSH2_FXP_READDIR, b);
	ASSERT_PTR_NE(b = eng_body(23, NULL, NULL), NULL);
	ASSERT_INT_EQ(buf_put_string(b, "\xff\xff\xff\xff\0\0\0\1", 8), 0);
	ASSERT_INT_EQ(buf_put_u64(b, 0), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 10), 0);
	eng_send(SSH2_FXP_READ, b);
	ASSERT_PTR_NE(b = eng_body(24, "fsync@openssh.com", "12345678"), NULL);
	eng_send(SSH2_FXP_EXTENDED, b);
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(20, SSH2_FX_NO_SUCH_FILE);
	eng_expect_status(21, SSH2_FX_NO_SUCH_FILE);
	eng_expect_status(22, SSH2_FX_NO_SUCH_FILE);
	eng_expect_status(23, SSH2_FX_NO_SUCH_FILE);
	eng_expect_status(24, SSH2_FX_NO_SUCH_FILE);
	eng_stop();
	TEST_DONE();
}

static void
test_limits(void)
{
	struct buf *b;
	uint64_t v;

	TEST_START("limits@openssh.com");
	eng_start(0, NULL, NULL, 1);
	eng_send(SSH2_FXP_EXTENDED, eng_body(30, "limits@openssh.com", NULL));
	ASSERT_INT_EQ(eng_run(), 0);
	b = eng_reply_id(SSH2_FXP_EXTENDED_REPLY, 30);
	ASSERT_INT_EQ(buf_get_u64(b, &v), 0);
	ASSERT_U64_EQ(v, 256 * 1024);
	ASSERT_INT_EQ(buf_get_u64(b, &v), 0);
	ASSERT_U64_EQ(v, 255 * 1024);
	ASSERT_INT_EQ(buf_get_u64(b, &v), 0);
	ASSERT_U64_EQ(v, 255 * 1024);
	ASSERT_INT_EQ(buf_get_u64(b, &v), 0);
	ASSERT_INT_GT(v, 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	buf_free(b);
	eng_stop();
	TEST_DONE();
}

static void
test_policy(void)
{
	struct buf *b;

	TEST_START("read-only mode refuses changes");
	eng_start(1, NULL, NULL, 1);
	eng_send(SSH2_FXP_REMOVE, eng_body(40, "/nonexistent/x", NULL));
	eng_send(SSH2_FXP_RMDIR, eng_body(41, "/nonexistent/x", NULL));
	eng_send(SSH2_FXP_SYMLINK, eng_body(42, "/a", "/nonexistent/b"));
	b = eng_body(43, "/nonexistent/x", NULL);
	ASSERT_INT_EQ(buf_put_u32(b, SSH2_FXF_WRITE | SSH2_FXF_CREAT), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 0), 0);
	eng_send(SSH2_FXP_OPEN, b);
	/* A refused request is still parsed in full: newpath is missing. */
	eng_send(SSH2_FXP_EXTENDED, eng_body(44, "posix-rename@openssh.com",
	    "/a"));
	ASSERT_INT_EQ(eng_run(), ERR_MESSAGE_INCOMPLETE);
	eng_stop();
	eng_start(1, NULL, NULL, 1);
	eng_send(SSH2_FXP_REMOVE, eng_body(40, "/nonexistent/x", NULL));
	eng_send(SSH2_FXP_SYMLINK, eng_body(42, "/a", "/nonexistent/b"));
	b = eng_body(43, "/nonexistent/x", NULL);
	ASSERT_INT_EQ(buf_put_u32(b, SSH2_FXF_WRITE | SSH2_FXF_CREAT), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 0), 0);
	eng_send(SSH2_FXP_OPEN, b);
	eng_send(SSH2_FXP_STAT, eng_body(45, "/", NULL));
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(40, SSH2_FX_PERMISSION_DENIED);
	eng_expect_status(42, SSH2_FX_PERMISSION_DENIED);
	eng_expect_status(43, SSH2_FX_PERMISSION_DENIED);
	buf_free(eng_reply_id(SSH2_FXP_ATTRS, 45));
	eng_stop();
	TEST_DONE();

	TEST_START("allow and deny lists");
	eng_start(0, "stat,opendir", NULL, 1);
	eng_send(SSH2_FXP_STAT, eng_body(50, "/", NULL));
	eng_send(SSH2_FXP_LSTAT, eng_body(51, "/", NULL));
	eng_send(SSH2_FXP_OPENDIR, eng_body(52, "/", NULL));
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(50, SSH2_FX_PERMISSION_DENIED);
	buf_free(eng_reply_id(SSH2_FXP_ATTRS, 51));
	eng_expect_status(52, SSH2_FX_PERMISSION_DENIED);
	eng_stop();
	eng_start(0, NULL, "lstat,realpath", 1);
	eng_send(SSH2_FXP_STAT, eng_body(53, "/", NULL));
	eng_send(SSH2_FXP_LSTAT, eng_body(54, "/", NULL));
	eng_send(SSH2_FXP_EXTENDED, eng_body(55, "limits@openssh.com", NULL));
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(53, SSH2_FX_PERMISSION_DENIED);
	buf_free(eng_reply_id(SSH2_FXP_ATTRS, 54));
	eng_expect_status(55, SSH2_FX_PERMISSION_DENIED);
	eng_stop();
	TEST_DONE();
}

static void
test_output_highwater(void)
{
	size_t i, n = 0;

	TEST_START("output beyond the high-water mark pauses processing");
	eng_start(0, NULL, NULL, 1);
	/* ~50 bytes per reply: 3 MiB, well past the mark. */
	for (i = 0; i < 60000; i++)
		eng_send(SSH2_FXP_STAT, eng_body((uint32_t)i, "/", NULL));
	ASSERT_INT_EQ(eng_run(), 0);
	ASSERT_SIZE_T_GT(buf_len(eng_in), 0);
	ASSERT_SIZE_T_LT(buf_len(eng_out),
	    SFTP_SERVER_OUT_HIGHWATER + SFTP_MAX_PACKET + 5);
	while (buf_len(eng_in) > 0) {
		while (buf_len(eng_out) > 0) {
			buf_free(eng_reply_id(SSH2_FXP_ATTRS, (uint32_t)n));
			n++;
		}
		ASSERT_INT_EQ(eng_run(), 0);
	}
	while (buf_len(eng_out) > 0) {
		buf_free(eng_reply_id(SSH2_FXP_ATTRS, (uint32_t)n));
		n++;
	}
	ASSERT_SIZE_T_EQ(n, 60000);
	eng_stop();
	TEST_DONE();
}

void
test_sftp_engine(void)
{
	size_t i;

	TEST_START("sftp_server_request_name");
	ASSERT_STRING_EQ(sftp_server_request_name(0), "open");
	for (i = 0; sftp_server_request_name(i) != NULL; i++)
		;
	ASSERT_SIZE_T_EQ(i, 29);
	ASSERT_STRING_EQ(sftp_server_request_name(28), "users-groups-by-id");
	TEST_DONE();

	test_version();
	test_framing();
	test_malformed();
	test_unknown();
	test_limits();
	test_policy();
	test_output_highwater();
}
