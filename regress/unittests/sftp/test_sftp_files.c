/*
 * Unit tests of the SFTP request engine on real files in a temporary
 * directory: OPEN/WRITE/READ/CLOSE, stale handles, READDIR, REALPATH,
 * RENAME semantics, SETSTAT, copy-data, and the name extensions.
 */
#include "includes.h"

#include <sys/stat.h>
#include <fcntl.h>
#include <ftw.h>

#include "buf.h"
#include "errcode.h"
#include "sftp.h"
#include "sftp-common.h"
#include "sftp-server.h"
#include "../test_helper/test_helper.h"
#include "test_sftp.h"
#include "test_sftp_engine.h"

static char tmpdir[] = "/tmp/test_sftp.XXXXXX";
static char olddir[PATH_MAX];

/* OPEN path with pflags; the handle reply's handle, as a new buffer. */
static struct buf *
do_open(uint32_t id, const char *path, uint32_t pflags)
{
	struct buf *b, *h;

	b = eng_body(id, path, NULL);
	ASSERT_INT_EQ(buf_put_u32(b, pflags), 0);
	ASSERT_INT_EQ(buf_put_u32(b, SSH2_FILEXFER_ATTR_PERMISSIONS), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 0600), 0);
	eng_send(SSH2_FXP_OPEN, b);
	ASSERT_INT_EQ(eng_run(), 0);
	b = eng_reply_id(SSH2_FXP_HANDLE, id);
	ASSERT_PTR_NE(h = buf_new(), NULL);
	ASSERT_INT_EQ(buf_get_stringb(b, h), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	buf_free(b);
	return h;
}

/* A body: id, handle, then the caller adds the rest. */
static struct buf *
handle_body(uint32_t id, const struct buf *h)
{
	struct buf *b = eng_body(id, NULL, NULL);

	ASSERT_INT_EQ(buf_put_stringb(b, h), 0);
	return b;
}

static void
do_write(uint32_t id, const struct buf *h, uint64_t off, const char *data)
{
	struct buf *b = handle_body(id, h);

	ASSERT_INT_EQ(buf_put_u64(b, off), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, data), 0);
	eng_send(SSH2_FXP_WRITE, b);
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(id, SSH2_FX_OK);
}

static void
send_read(uint32_t id, const struct buf *h, uint64_t off, uint32_t len)
{
	struct buf *b = handle_body(id, h);

	ASSERT_INT_EQ(buf_put_u64(b, off), 0);
	ASSERT_INT_EQ(buf_put_u32(b, len), 0);
	eng_send(SSH2_FXP_READ, b);
	ASSERT_INT_EQ(eng_run(), 0);
}

static void
expect_data(uint32_t id, const char *want)
{
	struct buf *b = eng_reply_id(SSH2_FXP_DATA, id);
	const u_char *d;
	size_t len;

	ASSERT_INT_EQ(buf_get_string_direct(b, &d, &len), 0);
	ASSERT_SIZE_T_EQ(len, strlen(want));
	ASSERT_MEM_EQ(d, want, len);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	buf_free(b);
}

static void
do_close(uint32_t id, struct buf *h, uint32_t want)
{
	eng_send(SSH2_FXP_CLOSE, handle_body(id, h));
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(id, want);
}

/* A one-entry NAME reply; its name, as a new string. */
static char *
expect_name1(uint32_t id)
{
	struct buf *b = eng_reply_id(SSH2_FXP_NAME, id);
	struct sftp_attrs a;
	uint32_t count;
	char *name, *lname;

	ASSERT_INT_EQ(buf_get_u32(b, &count), 0);
	ASSERT_U32_EQ(count, 1);
	ASSERT_INT_EQ(buf_get_cstring(b, &name, NULL), 0);
	ASSERT_INT_EQ(buf_get_cstring(b, &lname, NULL), 0);
	ASSERT_INT_EQ(sftp_attrs_decode(b, &a), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	free(lname);
	buf_free(b);
	return name;
}

static void
test_file_io(void)
{
	struct buf *h, *h2, *b;
	struct sftp_attrs a;
	struct stat st;

	TEST_START("open, write, read, fstat, close");
	h = do_open(1, "f1", SSH2_FXF_READ | SSH2_FXF_WRITE |
	    SSH2_FXF_CREAT | SSH2_FXF_TRUNC);
	do_write(2, h, 0, "hello, world");
	do_write(3, h, 7, "WORLD");
	send_read(4, h, 0, 100);
	expect_data(4, "hello, WORLD");
	send_read(5, h, 7, 3);
	expect_data(5, "WOR");
	send_read(6, h, 12, 100);
	eng_expect_status(6, SSH2_FX_EOF);
	send_read(7, h, 0xffffffffffffffffULL, 1);
	eng_expect_status(7, SSH2_FX_BAD_MESSAGE);
	eng_send(SSH2_FXP_FSTAT, handle_body(8, h));
	ASSERT_INT_EQ(eng_run(), 0);
	b = eng_reply_id(SSH2_FXP_ATTRS, 8);
	ASSERT_INT_EQ(sftp_attrs_decode(b, &a), 0);
	ASSERT_U64_EQ(a.size, 12);
	ASSERT_U32_EQ(a.perm, S_IFREG | 0600);
	buf_free(b);
	do_close(9, h, SSH2_FX_OK);
	TEST_DONE();

	TEST_START("a closed handle is stale, even when its slot is reused");
	do_close(10, h, SSH2_FX_NO_SUCH_FILE);
	send_read(11, h, 0, 1);
	eng_expect_status(11, SSH2_FX_NO_SUCH_FILE);
	b = do_open(12, "f1", SSH2_FXF_READ);
	/* Same slot, new generation. */
	ASSERT_INT_EQ(buf_equals(b, h), 0);
	send_read(13, h, 0, 1);
	eng_expect_status(13, SSH2_FX_NO_SUCH_FILE);
	send_read(14, b, 0, 5);
	expect_data(14, "hello");
	/* A file handle is not a directory handle. */
	eng_send(SSH2_FXP_READDIR, handle_body(15, b));
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(15, SSH2_FX_NO_SUCH_FILE);
	/* Writing through a read-only handle fails (EBADF). */
	h2 = handle_body(16, b);
	ASSERT_INT_EQ(buf_put_u64(h2, 0), 0);
	ASSERT_INT_EQ(buf_put_cstring(h2, "x"), 0);
	eng_send(SSH2_FXP_WRITE, h2);
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(16, SSH2_FX_NO_SUCH_FILE);
	do_close(17, b, SSH2_FX_OK);
	buf_free(b);
	buf_free(h);
	TEST_DONE();

	TEST_START("open errors map to statuses");
	b = eng_body(20, "nonexistent/x", NULL);
	ASSERT_INT_EQ(buf_put_u32(b, SSH2_FXF_READ), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 0), 0);
	eng_send(SSH2_FXP_OPEN, b);
	b = eng_body(21, "f1", NULL);
	ASSERT_INT_EQ(buf_put_u32(b, SSH2_FXF_WRITE | SSH2_FXF_CREAT |
	    SSH2_FXF_EXCL), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 0), 0);
	eng_send(SSH2_FXP_OPEN, b);
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(20, SSH2_FX_NO_SUCH_FILE);
	eng_expect_status(21, SSH2_FX_FAILURE);
	ASSERT_INT_EQ(stat("f1", &st), 0);
	ASSERT_INT_EQ(st.st_size, 12);
	TEST_DONE();
}

/* READDIR until EOF; the number of entries, with flags for some names. */
static uint32_t
read_all_entries(const struct buf *h, int *seen_f1, int *seen_dotdot)
{
	struct sftp_attrs a;
	struct buf *b;
	uint32_t count, i, total = 0;
	uint8_t type;
	char *name, *lname;

	for (;;) {
		eng_send(SSH2_FXP_READDIR, handle_body(32, h));
		ASSERT_INT_EQ(eng_run(), 0);
		ASSERT_INT_EQ(buf_peek_u8(eng_out, 4, &type), 0);
		if (type == SSH2_FXP_STATUS) {
			eng_expect_status(32, SSH2_FX_EOF);
			return total;
		}
		b = eng_reply_id(SSH2_FXP_NAME, 32);
		ASSERT_INT_EQ(buf_get_u32(b, &count), 0);
		ASSERT_U32_EQ(count > 0, 1);
		for (i = 0; i < count; i++) {
			ASSERT_INT_EQ(buf_get_cstring(b, &name, NULL), 0);
			ASSERT_INT_EQ(buf_get_cstring(b, &lname, NULL), 0);
			ASSERT_INT_EQ(sftp_attrs_decode(b, &a), 0);
			ASSERT_U32_EQ(a.flags, 0x0f);
			/* The long name ends with the name. */
			ASSERT_SIZE_T_GT(strlen(lname), strlen(name) + 40);
			ASSERT_STRING_EQ(lname + strlen(lname) - strlen(name),
			    name);
			if (strcmp(name, "f1") == 0) {
				*seen_f1 = 1;
				ASSERT_U64_EQ(a.size, 12);
				ASSERT_INT_EQ(strncmp(lname, "-rw-------", 10),
				    0);
			}
			if (strcmp(name, "..") == 0)
				*seen_dotdot = 1;
			free(name);
			free(lname);
		}
		ASSERT_SIZE_T_EQ(buf_len(b), 0);
		buf_free(b);
		total += count;
	}
}

static struct buf *
do_opendir(uint32_t id, const char *path)
{
	struct buf *b, *h;

	eng_send(SSH2_FXP_OPENDIR, eng_body(id, path, NULL));
	ASSERT_INT_EQ(eng_run(), 0);
	b = eng_reply_id(SSH2_FXP_HANDLE, id);
	ASSERT_PTR_NE(h = buf_new(), NULL);
	ASSERT_INT_EQ(buf_get_stringb(b, h), 0);
	buf_free(b);
	return h;
}

static void
test_dirs(void)
{
	struct buf *h, *b;
	struct stat st;
	char name[32];
	int seen_f1 = 0, seen_dotdot = 0, i, fd;

	TEST_START("mkdir, opendir, readdir, rmdir");
	b = eng_body(30, "sub", NULL);
	ASSERT_INT_EQ(buf_put_u32(b, SSH2_FILEXFER_ATTR_PERMISSIONS), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 0700), 0);
	eng_send(SSH2_FXP_MKDIR, b);
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(30, SSH2_FX_OK);
	ASSERT_INT_EQ(stat("sub", &st), 0);
	ASSERT_INT_EQ(st.st_mode & 07777, 0700 & ~umask(022));
	h = do_opendir(31, ".");
	/* ".", "..", "f1", "sub" */
	ASSERT_U32_EQ(read_all_entries(h, &seen_f1, &seen_dotdot), 4);
	ASSERT_INT_EQ(seen_f1, 1);
	ASSERT_INT_EQ(seen_dotdot, 1);
	do_close(33, h, SSH2_FX_OK);
	buf_free(h);
	eng_send(SSH2_FXP_RMDIR, eng_body(34, "sub", NULL));
	eng_send(SSH2_FXP_RMDIR, eng_body(35, "sub", NULL));
	eng_send(SSH2_FXP_OPENDIR, eng_body(36, "f1", NULL));
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(34, SSH2_FX_OK);
	eng_expect_status(35, SSH2_FX_NO_SUCH_FILE);
	eng_expect_status(36, SSH2_FX_NO_SUCH_FILE);
	TEST_DONE();

	TEST_START("readdir of a large directory takes several replies");
	ASSERT_INT_EQ(mkdir("big", 0755), 0);
	for (i = 0; i < 250; i++) {
		snprintf(name, sizeof(name), "big/file%03d", i);
		ASSERT_INT_NE(fd = open(name, O_CREAT | O_WRONLY, 0644), -1);
		close(fd);
	}
	h = do_opendir(37, "big");
	ASSERT_U32_EQ(read_all_entries(h, &seen_f1, &seen_dotdot), 252);
	do_close(38, h, SSH2_FX_OK);
	buf_free(h);
	TEST_DONE();
}

static void
expect_realpath(uint32_t id, const char *path, const char *want_rel)
{
	char want[PATH_MAX], *got;

	eng_send(SSH2_FXP_REALPATH, eng_body(id, path, NULL));
	ASSERT_INT_EQ(eng_run(), 0);
	got = expect_name1(id);
	if (want_rel[0] == '/')
		strlcpy(want, want_rel, sizeof(want));
	else {
		strlcpy(want, tmpdir, sizeof(want));
		if (*want_rel != '\0') {
			strlcat(want, "/", sizeof(want));
			strlcat(want, want_rel, sizeof(want));
		}
	}
	ASSERT_STRING_EQ(got, want);
	free(got);
}

static void
test_realpath(void)
{
	TEST_START("realpath");
	ASSERT_INT_EQ(mkdir("rp", 0755), 0);
	ASSERT_INT_EQ(mkdir("rp/a", 0755), 0);
	ASSERT_INT_EQ(symlink("a", "rp/la"), 0);
	ASSERT_INT_EQ(symlink(tmpdir, "rp/abs"), 0);
	ASSERT_INT_EQ(symlink("loop2", "rp/loop1"), 0);
	ASSERT_INT_EQ(symlink("loop1", "rp/loop2"), 0);
	ASSERT_INT_EQ(symlink("nowhere", "rp/dangling"), 0);
	expect_realpath(40, "", "");
	expect_realpath(41, ".", "");
	expect_realpath(42, "rp/la", "rp/a");
	expect_realpath(43, "rp/la/../la/./", "rp/a");
	expect_realpath(44, "rp//a/new-file", "rp/a/new-file");
	expect_realpath(45, "rp/abs/rp/la/..", "rp");
	expect_realpath(46, "/", "/");
	expect_realpath(47, "/..", "/");
	expect_realpath(48, "rp/dangling", "rp/nowhere");
	eng_send(SSH2_FXP_REALPATH, eng_body(49, "rp/missing/x", NULL));
	eng_send(SSH2_FXP_REALPATH, eng_body(50, "rp/loop1", NULL));
	eng_send(SSH2_FXP_REALPATH, eng_body(51, "f1/x", NULL));
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(49, SSH2_FX_NO_SUCH_FILE);
	eng_expect_status(50, SSH2_FX_NO_SUCH_FILE);	/* ELOOP */
	eng_expect_status(51, SSH2_FX_NO_SUCH_FILE);	/* ENOTDIR */
	TEST_DONE();

	TEST_START("expand-path");
	eng_send(SSH2_FXP_EXTENDED, eng_body(52, "expand-path@openssh.com",
	    "~/rp/la"));
	ASSERT_INT_EQ(eng_run(), 0);
	{
		char *got = expect_name1(52), want[PATH_MAX];

		snprintf(want, sizeof(want), "%s/rp/a", tmpdir);
		ASSERT_STRING_EQ(got, want);
		free(got);
	}
	expect_realpath(53, "rp/a/..", "rp");
	eng_send(SSH2_FXP_EXTENDED, eng_body(54, "expand-path@openssh.com",
	    "~no-such-user-here/x"));
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(54, SSH2_FX_NO_SUCH_FILE);
	TEST_DONE();
}

static void
test_names(void)
{
	struct stat st;
	char target[64];
	ssize_t n;
	char *got;

	TEST_START("rename refuses to replace, posix-rename replaces");
	ASSERT_INT_EQ(close(open("r1", O_CREAT | O_WRONLY, 0644)), 0);
	ASSERT_INT_EQ(close(open("r2", O_CREAT | O_WRONLY, 0600)), 0);
	ASSERT_INT_EQ(mkdir("rd", 0755), 0);
	eng_send(SSH2_FXP_RENAME, eng_body(60, "r1", "r2"));
	eng_send(SSH2_FXP_RENAME, eng_body(61, "r1", "rd"));
	eng_send(SSH2_FXP_RENAME, eng_body(62, "r1", "r3"));
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(60, SSH2_FX_FAILURE);
	eng_expect_status(61, SSH2_FX_FAILURE);
	eng_expect_status(62, SSH2_FX_OK);
	{
		struct buf *b = eng_body(63, "posix-rename@openssh.com", "r3");

		ASSERT_INT_EQ(buf_put_cstring(b, "r2"), 0);
		eng_send(SSH2_FXP_EXTENDED, b);
	}
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(63, SSH2_FX_OK);
	ASSERT_INT_EQ(stat("r2", &st), 0);
	ASSERT_INT_EQ(st.st_mode & 0777, 0644);
	ASSERT_INT_EQ(stat("r3", &st), -1);
	TEST_DONE();

	TEST_START("symlink (target first), readlink, hardlink, remove");
	eng_send(SSH2_FXP_SYMLINK, eng_body(64, "r2", "sl"));
	eng_send(SSH2_FXP_READLINK, eng_body(65, "sl", NULL));
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(64, SSH2_FX_OK);
	ASSERT_INT_EQ(n = readlink("sl", target, sizeof(target)), 2);
	ASSERT_MEM_EQ(target, "r2", 2);
	got = expect_name1(65);
	ASSERT_STRING_EQ(got, "r2");
	free(got);
	{
		struct buf *b = eng_body(66, "hardlink@openssh.com", "r2");

		ASSERT_INT_EQ(buf_put_cstring(b, "hl"), 0);
		eng_send(SSH2_FXP_EXTENDED, b);
	}
	eng_send(SSH2_FXP_REMOVE, eng_body(67, "sl", NULL));
	eng_send(SSH2_FXP_REMOVE, eng_body(68, "sl", NULL));
	eng_send(SSH2_FXP_READLINK, eng_body(69, "r2", NULL));
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(66, SSH2_FX_OK);
	eng_expect_status(67, SSH2_FX_OK);
	eng_expect_status(68, SSH2_FX_NO_SUCH_FILE);
	eng_expect_status(69, SSH2_FX_BAD_MESSAGE);	/* EINVAL */
	ASSERT_INT_EQ(stat("hl", &st), 0);
	ASSERT_INT_EQ(st.st_nlink, 2);
	TEST_DONE();
}

static void
test_setstat(void)
{
	struct buf *b;
	struct stat st;

	TEST_START("setstat size, mode, times; lsetstat on a link");
	b = eng_body(70, "r2", NULL);
	ASSERT_INT_EQ(buf_put_u32(b, SSH2_FILEXFER_ATTR_SIZE |
	    SSH2_FILEXFER_ATTR_PERMISSIONS | SSH2_FILEXFER_ATTR_ACMODTIME), 0);
	ASSERT_INT_EQ(buf_put_u64(b, 1000), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 0640), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 1111), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 2222), 0);
	eng_send(SSH2_FXP_SETSTAT, b);
	ASSERT_INT_EQ(symlink("r2", "sl2"), 0);
	b = eng_body(71, "lsetstat@openssh.com", "sl2");
	ASSERT_INT_EQ(buf_put_u32(b, SSH2_FILEXFER_ATTR_ACMODTIME), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 3333), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 4444), 0);
	eng_send(SSH2_FXP_EXTENDED, b);
	b = eng_body(72, "lsetstat@openssh.com", "sl2");
	ASSERT_INT_EQ(buf_put_u32(b, SSH2_FILEXFER_ATTR_PERMISSIONS), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 0600), 0);
	eng_send(SSH2_FXP_EXTENDED, b);
	b = eng_body(73, "nonexistent", NULL);
	ASSERT_INT_EQ(buf_put_u32(b, SSH2_FILEXFER_ATTR_PERMISSIONS), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 0600), 0);
	eng_send(SSH2_FXP_SETSTAT, b);
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(70, SSH2_FX_OK);
	eng_expect_status(71, SSH2_FX_OK);
	eng_expect_status(72, SSH2_FX_OP_UNSUPPORTED);
	eng_expect_status(73, SSH2_FX_NO_SUCH_FILE);
	ASSERT_INT_EQ(stat("r2", &st), 0);
	ASSERT_INT_EQ(st.st_size, 1000);
	ASSERT_INT_EQ(st.st_mode & 07777, 0640);
	ASSERT_INT_EQ(st.st_atime, 1111);
	ASSERT_INT_EQ(st.st_mtime, 2222);
	ASSERT_INT_EQ(lstat("sl2", &st), 0);
	ASSERT_INT_EQ(st.st_mtime, 4444);
	TEST_DONE();
}

static void
copy_data(uint32_t id, const struct buf *rh, uint64_t roff, uint64_t len,
    const struct buf *wh, uint64_t woff)
{
	struct buf *b = eng_body(id, "copy-data", NULL);

	ASSERT_INT_EQ(buf_put_stringb(b, rh), 0);
	ASSERT_INT_EQ(buf_put_u64(b, roff), 0);
	ASSERT_INT_EQ(buf_put_u64(b, len), 0);
	ASSERT_INT_EQ(buf_put_stringb(b, wh), 0);
	ASSERT_INT_EQ(buf_put_u64(b, woff), 0);
	eng_send(SSH2_FXP_EXTENDED, b);
	ASSERT_INT_EQ(eng_run(), 0);
}

static void
test_copy_data(void)
{
	struct buf *rh, *wh, *b;
	char data[64];
	int fd;

	TEST_START("copy-data");
	rh = do_open(80, "f1", SSH2_FXF_READ | SSH2_FXF_WRITE);
	wh = do_open(81, "c1", SSH2_FXF_WRITE | SSH2_FXF_CREAT);
	copy_data(82, rh, 0, 0, wh, 0);		/* to end of file */
	eng_expect_status(82, SSH2_FX_OK);
	copy_data(83, rh, 7, 5, wh, 20);
	eng_expect_status(83, SSH2_FX_OK);
	copy_data(84, wh, 0, 0, rh, 0);		/* wh is write-only */
	eng_expect_status(84, SSH2_FX_FAILURE);
	copy_data(85, rh, 0, 0, rh, 4);		/* overlap in one file */
	eng_expect_status(85, SSH2_FX_FAILURE);
	copy_data(86, rh, 0, 4, rh, 4);		/* adjacent: fine */
	eng_expect_status(86, SSH2_FX_OK);
	copy_data(87, rh, 0xffffffffffffff00ULL, 0x1000, wh, 0);
	eng_expect_status(87, SSH2_FX_BAD_MESSAGE);
	b = buf_from("12345678", 8);
	copy_data(88, b, 0, 0, wh, 0);
	eng_expect_status(88, SSH2_FX_NO_SUCH_FILE);
	buf_free(b);
	do_close(89, rh, SSH2_FX_OK);
	do_close(90, wh, SSH2_FX_OK);
	buf_free(rh);
	buf_free(wh);
	ASSERT_INT_NE(fd = open("c1", O_RDONLY), -1);
	ASSERT_INT_EQ(read(fd, data, sizeof(data)), 25);
	close(fd);
	ASSERT_MEM_EQ(data, "hello, WORLD\0\0\0\0\0\0\0\0WORLD", 25);
	ASSERT_INT_NE(fd = open("f1", O_RDONLY), -1);
	ASSERT_INT_EQ(read(fd, data, sizeof(data)), 12);
	close(fd);
	ASSERT_MEM_EQ(data, "hellhell", 8);
	TEST_DONE();
}

static void
test_ext_misc(void)
{
	struct buf *b, *names;
	char *s;
	uint64_t v;
	int i;

	TEST_START("statvfs and fstatvfs");
	eng_send(SSH2_FXP_EXTENDED, eng_body(91, "statvfs@openssh.com", "."));
	ASSERT_INT_EQ(eng_run(), 0);
	b = eng_reply_id(SSH2_FXP_EXTENDED_REPLY, 91);
	for (i = 0; i < 11; i++)
		ASSERT_INT_EQ(buf_get_u64(b, &v), 0);
	ASSERT_U64_EQ(v > 0, 1);		/* f_namemax */
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	buf_free(b);
	eng_send(SSH2_FXP_EXTENDED, eng_body(92, "statvfs@openssh.com",
	    "nonexistent"));
	ASSERT_INT_EQ(eng_run(), 0);
	eng_expect_status(92, SSH2_FX_NO_SUCH_FILE);
	TEST_DONE();

	TEST_START("home-directory and users-groups-by-id");
	eng_send(SSH2_FXP_EXTENDED, eng_body(93, "home-directory", "root"));
	eng_send(SSH2_FXP_EXTENDED, eng_body(94, "home-directory",
	    "no-such-user-here"));
	b = eng_body(95, "users-groups-by-id@openssh.com", NULL);
	ASSERT_INT_EQ(buf_put_string(b, "\0\0\0\0\x7f\xff\xff\xfe", 8), 0);
	ASSERT_INT_EQ(buf_put_string(b, "\0\0\0\0", 4), 0);
	eng_send(SSH2_FXP_EXTENDED, b);
	ASSERT_INT_EQ(eng_run(), 0);
	s = expect_name1(93);
	ASSERT_STRING_EQ(s, "/root");
	free(s);
	eng_expect_status(94, SSH2_FX_FAILURE);
	b = eng_reply_id(SSH2_FXP_EXTENDED_REPLY, 95);
	ASSERT_PTR_NE(names = buf_new(), NULL);
	ASSERT_INT_EQ(buf_get_stringb(b, names), 0);
	ASSERT_INT_EQ(buf_get_cstring(names, &s, NULL), 0);
	ASSERT_STRING_EQ(s, "root");
	free(s);
	ASSERT_INT_EQ(buf_get_cstring(names, &s, NULL), 0);
	ASSERT_STRING_EQ(s, "");
	free(s);
	ASSERT_SIZE_T_EQ(buf_len(names), 0);
	ASSERT_INT_EQ(buf_get_stringb(b, names), 0);
	ASSERT_INT_EQ(buf_get_cstring(names, &s, NULL), 0);
	ASSERT_STRING_EQ(s, "root");
	free(s);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	buf_free(names);
	buf_free(b);
	TEST_DONE();
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

void
test_sftp_engine_files(void)
{
	ASSERT_PTR_NE(getcwd(olddir, sizeof(olddir)), NULL);
	ASSERT_PTR_NE(mkdtemp(tmpdir), NULL);
	ASSERT_INT_EQ(chdir(tmpdir), 0);
	eng_start(0, NULL, NULL, 1);
	test_file_io();
	test_dirs();
	test_realpath();
	test_names();
	test_setstat();
	test_copy_data();
	test_ext_misc();
	eng_stop();
	ASSERT_INT_EQ(chdir(olddir), 0);
	ASSERT_INT_EQ(nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}
