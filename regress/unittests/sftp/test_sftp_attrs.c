/*
 * Unit tests of sftp-common.c: the ATTRS codec (round trips, known
 * bytes, truncation at every offset, extended pairs), status texts, the
 * errno map, mode strings and long names.
 */
#include "includes.h"

#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "errcode.h"
#include "sftp.h"
#include "sftp-common.h"
#include "../test_helper/test_helper.h"
#include "test_sftp.h"

/* All four fields, as draft-02 section 5 lays them out. */
static const u_char attrs_full[] = {
	0x00, 0x00, 0x00, 0x0f,				/* flags */
	0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05,	/* size */
	0x00, 0x00, 0x03, 0xe8,				/* uid 1000 */
	0x00, 0x00, 0x00, 0x64,				/* gid 100 */
	0x00, 0x00, 0x81, 0xa4,				/* 0100644 */
	0x5f, 0x5e, 0x10, 0x00,				/* atime */
	0x5f, 0x5e, 0x10, 0x01,				/* mtime */
};

static void
decode_bytes(const u_char *p, size_t len, struct sftp_attrs *a, int want_r,
    size_t want_left)
{
	struct buf *b;

	ASSERT_PTR_NE(b = buf_from(p, len), NULL);
	ASSERT_INT_EQ(sftp_attrs_decode(b, a), want_r);
	if (want_r == 0)
		ASSERT_SIZE_T_EQ(buf_len(b), want_left);
	buf_free(b);
}

static void
test_attrs_known(void)
{
	struct sftp_attrs a;
	struct buf *b;

	TEST_START("sftp_attrs_decode known bytes");
	decode_bytes(attrs_full, sizeof(attrs_full), &a, 0, 0);
	ASSERT_U32_EQ(a.flags, 0x0f);
	ASSERT_U64_EQ(a.size, 0x0102030405ULL);
	ASSERT_U32_EQ(a.uid, 1000);
	ASSERT_U32_EQ(a.gid, 100);
	ASSERT_U32_EQ(a.perm, 0100644);
	ASSERT_U32_EQ(a.atime, 0x5f5e1000);
	ASSERT_U32_EQ(a.mtime, 0x5f5e1001);
	TEST_DONE();

	TEST_START("sftp_attrs_encode known bytes");
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(sftp_attrs_encode(b, &a), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), sizeof(attrs_full));
	ASSERT_MEM_EQ(buf_ptr(b), attrs_full, sizeof(attrs_full));
	buf_free(b);
	TEST_DONE();
}

static void
test_attrs_truncated(void)
{
	struct sftp_attrs a;
	size_t i;

	TEST_START("sftp_attrs_decode truncated at every offset");
	for (i = 0; i < sizeof(attrs_full); i++) {
		a.flags = 0xdeadbeef;
		decode_bytes(attrs_full, i, &a, ERR_MESSAGE_INCOMPLETE, 0);
		/* Outputs are cleared on failure. */
		ASSERT_U32_EQ(a.flags, 0);
	}
	TEST_DONE();
}

static void
test_attrs_roundtrip(void)
{
	struct sftp_attrs a, a2;
	struct buf *b;
	uint32_t flags;

	TEST_START("sftp_attrs round trip of every flag combination");
	ASSERT_PTR_NE(b = buf_new(), NULL);
	for (flags = 0; flags < 16; flags++) {
		sftp_attrs_clear(&a);
		a.flags = flags;
		if (flags & SSH2_FILEXFER_ATTR_SIZE)
			a.size = 0xffffffffffffffffULL;
		if (flags & SSH2_FILEXFER_ATTR_UIDGID) {
			a.uid = 0xfffffffe;
			a.gid = 7;
		}
		if (flags & SSH2_FILEXFER_ATTR_PERMISSIONS)
			a.perm = 040755;
		if (flags & SSH2_FILEXFER_ATTR_ACMODTIME) {
			a.atime = 1;
			a.mtime = 0xffffffff;
		}
		buf_reset(b);
		ASSERT_INT_EQ(sftp_attrs_encode(b, &a), 0);
		/* 4 + 8 + 8 + 4 + 8 bytes at most. */
		ASSERT_SIZE_T_EQ(buf_len(b), 4 +
		    ((flags & 1) ? 8 : 0) + ((flags & 2) ? 8 : 0) +
		    ((flags & 4) ? 4 : 0) + ((flags & 8) ? 8 : 0));
		ASSERT_INT_EQ(sftp_attrs_decode(b, &a2), 0);
		ASSERT_SIZE_T_EQ(buf_len(b), 0);
		ASSERT_MEM_EQ(&a, &a2, sizeof(a));
	}
	buf_free(b);
	TEST_DONE();
}

static void
test_attrs_extended(void)
{
	struct sftp_attrs a;
	struct buf *b;
	uint32_t i;

	TEST_START("sftp_attrs_decode skips extended pairs");
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_u32(b, SSH2_FILEXFER_ATTR_EXTENDED |
	    SSH2_FILEXFER_ATTR_PERMISSIONS), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 0600), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 2), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, "a@example.com"), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, "x"), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, "b@example.com"), 0);
	ASSERT_INT_EQ(buf_put_string(b, "\0\1", 2), 0);
	ASSERT_INT_EQ(buf_put_u8(b, 0x42), 0);	/* the next field */
	ASSERT_INT_EQ(sftp_attrs_decode(b, &a), 0);
	ASSERT_U32_EQ(a.flags, SSH2_FILEXFER_ATTR_PERMISSIONS);
	ASSERT_U32_EQ(a.perm, 0600);
	ASSERT_SIZE_T_EQ(buf_len(b), 1);
	TEST_DONE();

	TEST_START("sftp_attrs_decode extended pair count limit");
	buf_reset(b);
	ASSERT_INT_EQ(buf_put_u32(b, SSH2_FILEXFER_ATTR_EXTENDED), 0);
	ASSERT_INT_EQ(buf_put_u32(b, SFTP_MAX_EXTENDED_ATTRS + 1), 0);
	for (i = 0; i < SFTP_MAX_EXTENDED_ATTRS + 1; i++) {
		ASSERT_INT_EQ(buf_put_cstring(b, ""), 0);
		ASSERT_INT_EQ(buf_put_cstring(b, ""), 0);
	}
	ASSERT_INT_EQ(sftp_attrs_decode(b, &a), ERR_INVALID_FORMAT);
	TEST_DONE();

	TEST_START("sftp_attrs_decode extended string beyond the data");
	buf_reset(b);
	ASSERT_INT_EQ(buf_put_u32(b, SSH2_FILEXFER_ATTR_EXTENDED), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 1), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 0xffffffff), 0);
	ASSERT_INT_NE(sftp_attrs_decode(b, &a), 0);
	TEST_DONE();

	TEST_START("sftp_attrs_decode ignores unknown flag bits");
	buf_reset(b);
	ASSERT_INT_EQ(buf_put_u32(b, 0x7ffffff0), 0);
	ASSERT_INT_EQ(sftp_attrs_decode(b, &a), 0);
	ASSERT_U32_EQ(a.flags, 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	TEST_DONE();

	TEST_START("sftp_attrs_encode never writes the EXTENDED bit");
	buf_reset(b);
	sftp_attrs_clear(&a);
	a.flags = SSH2_FILEXFER_ATTR_EXTENDED;
	ASSERT_INT_EQ(sftp_attrs_encode(b, &a), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 4);
	ASSERT_INT_EQ(sftp_attrs_decode(b, &a), 0);
	ASSERT_U32_EQ(a.flags, 0);
	buf_free(b);
	TEST_DONE();
}

static void
test_attrs_stat(void)
{
	struct sftp_attrs a;
	struct stat st, st2;

	TEST_START("sftp_attrs_from_stat / sftp_attrs_to_stat");
	memset(&st, 0, sizeof(st));
	st.st_size = 123456789012LL;
	st.st_uid = 42;
	st.st_gid = 43;
	st.st_mode = S_IFREG | 04755;
	st.st_atime = 1000;
	st.st_mtime = 2000;
	sftp_attrs_from_stat(&st, &a);
	ASSERT_U32_EQ(a.flags, 0x0f);
	ASSERT_U64_EQ(a.size, 123456789012ULL);
	ASSERT_U32_EQ(a.perm, S_IFREG | 04755);
	sftp_attrs_to_stat(&a, &st2);
	ASSERT_INT_EQ(st2.st_size, st.st_size);
	ASSERT_INT_EQ(st2.st_uid, 42);
	ASSERT_INT_EQ(st2.st_gid, 43);
	ASSERT_INT_EQ(st2.st_mode, st.st_mode);
	ASSERT_INT_EQ(st2.st_atime, 1000);
	ASSERT_INT_EQ(st2.st_mtime, 2000);
	a.flags = SSH2_FILEXFER_ATTR_SIZE;
	sftp_attrs_to_stat(&a, &st2);
	ASSERT_INT_EQ(st2.st_mode, 0);
	ASSERT_INT_EQ(st2.st_uid, 0);
	TEST_DONE();
}

void
test_sftp_attrs(void)
{
	test_attrs_known();
	test_attrs_truncated();
	test_attrs_roundtrip();
	test_attrs_extended();
	test_attrs_stat();
}

static void
test_status_errno(void)
{
	TEST_START("sftp_status_text");
	ASSERT_STRING_EQ(sftp_status_text(SSH2_FX_OK), "Success");
	ASSERT_STRING_EQ(sftp_status_text(SSH2_FX_EOF), "End of file");
	ASSERT_STRING_EQ(sftp_status_text(SSH2_FX_NO_SUCH_FILE),
	    "No such file");
	ASSERT_STRING_EQ(sftp_status_text(SSH2_FX_PERMISSION_DENIED),
	    "Permission denied");
	ASSERT_STRING_EQ(sftp_status_text(SSH2_FX_FAILURE), "Failure");
	ASSERT_STRING_EQ(sftp_status_text(SSH2_FX_BAD_MESSAGE),
	    "Bad message");
	ASSERT_STRING_EQ(sftp_status_text(SSH2_FX_OP_UNSUPPORTED),
	    "Operation unsupported");
	ASSERT_STRING_EQ(sftp_status_text(9), "Unknown status");
	ASSERT_STRING_EQ(sftp_status_text(0xffffffff), "Unknown status");
	TEST_DONE();

	TEST_START("sftp_errno_to_status");
	ASSERT_U32_EQ(sftp_errno_to_status(0), SSH2_FX_OK);
	ASSERT_U32_EQ(sftp_errno_to_status(ENOENT), SSH2_FX_NO_SUCH_FILE);
	ASSERT_U32_EQ(sftp_errno_to_status(ENOTDIR), SSH2_FX_NO_SUCH_FILE);
	ASSERT_U32_EQ(sftp_errno_to_status(ELOOP), SSH2_FX_NO_SUCH_FILE);
	ASSERT_U32_EQ(sftp_errno_to_status(EACCES),
	    SSH2_FX_PERMISSION_DENIED);
	ASSERT_U32_EQ(sftp_errno_to_status(EPERM),
	    SSH2_FX_PERMISSION_DENIED);
	ASSERT_U32_EQ(sftp_errno_to_status(ENAMETOOLONG),
	    SSH2_FX_BAD_MESSAGE);
	ASSERT_U32_EQ(sftp_errno_to_status(ENOSYS), SSH2_FX_OP_UNSUPPORTED);
	ASSERT_U32_EQ(sftp_errno_to_status(ENOSPC), SSH2_FX_FAILURE);
	ASSERT_U32_EQ(sftp_errno_to_status(EEXIST), SSH2_FX_FAILURE);
	TEST_DONE();
}

static void
test_mode_string(void)
{
	static const struct {
		mode_t mode;
		const char *want;
	} cases[] = {
		{ S_IFREG | 0644, "-rw-r--r--" },
		{ S_IFDIR | 0755, "drwxr-xr-x" },
		{ S_IFLNK | 0777, "lrwxrwxrwx" },
		{ S_IFDIR | 01777, "drwxrwxrwt" },
		{ S_IFDIR | 01770, "drwxrwx--T" },
		{ S_IFREG | 04755, "-rwsr-xr-x" },
		{ S_IFREG | 04644, "-rwSr--r--" },
		{ S_IFREG | 02755, "-rwxr-sr-x" },
		{ S_IFREG | 02745, "-rwxr-Sr-x" },
		{ S_IFCHR | 0620, "crw--w----" },
		{ S_IFBLK | 0660, "brw-rw----" },
		{ S_IFIFO | 0600, "prw-------" },
		{ S_IFSOCK | 0777, "srwxrwxrwx" },
		{ 0, "?---------" },
	};
	char out[SFTP_MODE_STRING_LEN];
	size_t i;

	TEST_START("sftp_mode_string");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sftp_mode_string(cases[i].mode, out);
		ASSERT_STRING_EQ(out, cases[i].want);
	}
	TEST_DONE();
}

static void
test_ls_long(void)
{
	struct stat st;
	struct buf *b;
	char *s;
	time_t now;
	struct tm tm;

	TEST_START("sftp_ls_long");
	/* Long names use local time; pin it. */
	setenv("TZ", "UTC", 1);
	tzset();
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 2024 - 1900;
	tm.tm_mon = 5;
	tm.tm_mday = 15;
	tm.tm_hour = 12;
	now = timegm(&tm);
	memset(&st, 0, sizeof(st));
	st.st_mode = S_IFREG | 0644;
	st.st_nlink = 1;
	st.st_size = 1234;
	st.st_mtime = now - 3600;
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(sftp_ls_long(b, "name", &st, "user", "group", now), 0);
	ASSERT_PTR_NE(s = buf_dup_string(b), NULL);
	ASSERT_STRING_EQ(s,
	    "-rw-r--r--    1 user     group        1234 Jun 15 11:00 name");
	free(s);

	/* Older than half a year, or in the future: the year. */
	buf_reset(b);
	st.st_mtime = now - 200 * 24 * 3600;
	st.st_nlink = 1234;
	st.st_size = 123456789012LL;
	ASSERT_INT_EQ(sftp_ls_long(b, "a b", &st, "averylongusername", "0",
	    now), 0);
	ASSERT_PTR_NE(s = buf_dup_string(b), NULL);
	ASSERT_STRING_EQ(s, "-rw-r--r--  1234 averylongusername 0        "
	    "123456789012 Nov 28  2023 a b");
	free(s);
	buf_reset(b);
	st.st_mtime = now + 3600;
	st.st_mode = S_IFDIR | 0755;
	st.st_nlink = 2;
	st.st_size = 4096;
	ASSERT_INT_EQ(sftp_ls_long(b, "d", &st, "root", "root", now), 0);
	ASSERT_PTR_NE(s = buf_dup_string(b), NULL);
	ASSERT_STRING_EQ(s,
	    "drwxr-xr-x    2 root     root         4096 Jun 15  2024 d");
	free(s);
	buf_free(b);
	TEST_DONE();
}

void
test_sftp_common(void)
{
	test_status_errno();
	test_mode_string();
	test_ls_long();
}
