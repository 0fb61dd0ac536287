/*
 * Remote globbing (sftpc_glob) against a real directory tree served by
 * our engine, and the one-shot requests (stat, mkdir, rename, links,
 * readdir, realpath, statvfs, copy-data, users-groups-by-id).
 */
#include "includes.h"

#include <sys/stat.h>
#include <fcntl.h>

#include "errcode.h"
#include "sftp.h"
#include "sftp-common.h"
#include "sftp-client.h"
#include "../test_helper/test_helper.h"
#include "test_sftpclient.h"

static char gdir[1024];

static void
gpath(char *out, size_t len, const char *rel)
{
	snprintf(out, len, "%s/%s", gdir, rel);
}

static void
gmkfile(const char *rel)
{
	char p[PATH_MAX];

	gpath(p, sizeof(p), rel);
	make_file(p, strlen(rel));
}

static void
gmkdir(const char *rel)
{
	char p[PATH_MAX];

	gpath(p, sizeof(p), rel);
	ASSERT_INT_EQ(mkdir(p, 0755), 0);
}

static void
build_tree(void)
{
	char p[PATH_MAX], t[PATH_MAX];

	snprintf(gdir, sizeof(gdir), "%s/globtree", tmpdir());
	ASSERT_INT_EQ(mkdir(gdir, 0755), 0);
	gmkdir("d");
	gmkdir("d/sub");
	gmkdir("e");
	gmkfile("a.txt");
	gmkfile("b.txt");
	gmkfile("c.dat");
	gmkfile(".hidden");
	gmkfile("sp ace");
	gmkfile("st*ar");
	gmkfile("d/x.txt");
	gmkfile("d/y.txt");
	gmkfile("d/sub/z.txt");
	gmkfile("e/x.txt");
	gpath(p, sizeof(p), "link");
	gpath(t, sizeof(t), "d");
	ASSERT_INT_EQ(symlink(t, p), 0);
}

/* Glob pattern (relative to gdir); the matches joined by ','. */
static int
globbed(struct test_server *ts, const char *pattern, char *out, size_t len)
{
	struct sftpc_dirent **ents = NULL;
	size_t i, n = 0, skip = strlen(gdir) + 1;
	int r;

	out[0] = '\0';
	if ((r = sftpc_glob(ts->conn, pattern, gdir, &ents, &n)) != 0)
		return r;
	for (i = 0; i < n; i++) {
		if (i > 0)
			strlcat(out, ",", len);
		ASSERT_TRUE(strncmp(ents[i]->filename, gdir, skip - 1) == 0);
		strlcat(out, ents[i]->filename + skip, len);
	}
	sftpc_dirents_free(ents, n);
	return 0;
}

static void
check_glob(struct test_server *ts, const char *pattern, const char *want)
{
	char got[4096];

	ASSERT_INT_EQ(globbed(ts, pattern, got, sizeof(got)), 0);
	ASSERT_STRING_EQ(got, want);
}

static void
globs(void)
{
	struct test_server ts;
	struct sftpc_dirent **ents = NULL;
	char got[4096];
	size_t n = 0;

	build_tree();
	ts_start(&ts, 0, 0, 0, 0);
	TEST_START("glob star");
	check_glob(&ts, "*.txt", "a.txt,b.txt");
	check_glob(&ts, "*", "a.txt,b.txt,c.dat,d,e,link,sp ace,st*ar");
	TEST_DONE();
	TEST_START("glob question mark and classes");
	check_glob(&ts, "?.txt", "a.txt,b.txt");
	check_glob(&ts, "[ac].*", "a.txt,c.dat");
	check_glob(&ts, "[!a].txt", "b.txt");
	TEST_DONE();
	TEST_START("glob hidden files need a dot");
	check_glob(&ts, ".h*", ".hidden");
	ASSERT_INT_EQ(globbed(&ts, "*hidden", got, sizeof(got)),
	    ERR_NOT_FOUND);
	TEST_DONE();
	TEST_START("glob in several levels");
	check_glob(&ts, "*/x.txt", "d/x.txt,e/x.txt,link/x.txt");
	check_glob(&ts, "d/*/*.txt", "d/sub/z.txt");
	check_glob(&ts, "d/*", "d/sub,d/x.txt,d/y.txt");
	TEST_DONE();
	TEST_START("glob literal and escaped");
	check_glob(&ts, "sp ace", "sp ace");
	check_glob(&ts, "st\\*ar", "st*ar");
	check_glob(&ts, "d/sub", "d/sub");
	TEST_DONE();
	TEST_START("glob follows links for attributes");
	ASSERT_INT_EQ(sftpc_glob(ts.conn, "link", gdir, &ents, &n), 0);
	ASSERT_SIZE_T_EQ(n, 1);
	ASSERT_TRUE(S_ISDIR(ents[0]->a.perm));
	sftpc_dirents_free(ents, n);
	TEST_DONE();
	TEST_START("glob without matches");
	ASSERT_INT_EQ(globbed(&ts, "nothing*", got, sizeof(got)),
	    ERR_NOT_FOUND);
	ASSERT_INT_EQ(globbed(&ts, "missing", got, sizeof(got)),
	    ERR_NOT_FOUND);
	ASSERT_INT_EQ(globbed(&ts, "nodir/*", got, sizeof(got)),
	    ERR_NOT_FOUND);
	ASSERT_INT_EQ(sftpc_has_wildcards("a\\*b"), 0);
	ASSERT_INT_EQ(sftpc_has_wildcards("a*b"), 1);
	ASSERT_INT_EQ(sftpc_has_wildcards("[x]"), 1);
	TEST_DONE();
	ts_stop(&ts);
}

static void
requests(void)
{
	struct test_server ts;
	struct sftpc_dirent **ents = NULL;
	struct sftpc_statvfs vfs;
	struct sftp_attrs a;
	char p[PATH_MAX], q[PATH_MAX], *s = NULL;
	char **un = NULL, **gn = NULL;
	uint32_t uid = (uint32_t)getuid(), gid = (uint32_t)getgid();
	size_t n = 0;

	ts_start(&ts, 0, 0, 0, 0);
	TEST_START("extensions advertised by our server");
	ASSERT_TRUE(sftpc_has_ext(ts.conn, SFTPC_EXT_POSIX_RENAME));
	ASSERT_TRUE(sftpc_has_ext(ts.conn, SFTPC_EXT_LIMITS));
	ASSERT_TRUE(sftpc_has_ext(ts.conn, SFTPC_EXT_COPY_DATA));
	ASSERT_U32_EQ(sftpc_server_version(ts.conn), 3);
	ASSERT_SIZE_T_EQ(sftpc_buflen(ts.conn), SFTP_MAX_READ_LENGTH);
	TEST_DONE();

	TEST_START("mkdir, stat, rmdir");
	snprintf(p, sizeof(p), "%s/newdir", tmpdir());
	ASSERT_INT_EQ(sftpc_mkdir(ts.conn, p, NULL, 0), 0);
	ASSERT_INT_EQ(sftpc_stat(ts.conn, p, 0, &a), 0);
	ASSERT_TRUE(S_ISDIR(a.perm));
	ASSERT_INT_EQ(sftpc_is_dir(ts.conn, p), 1);
	ASSERT_INT_EQ(sftpc_mkdir(ts.conn, p, NULL, 1), ERR_ERRNO);
	ASSERT_U32_EQ(sftpc_last_status(ts.conn), SSH2_FX_FAILURE);
	ASSERT_INT_EQ(sftpc_rmdir(ts.conn, p), 0);
	ASSERT_INT_EQ(sftpc_is_dir(ts.conn, p), 0);
	ASSERT_INT_EQ(sftpc_stat(ts.conn, p, 1, &a), ERR_ERRNO);
	ASSERT_U32_EQ(sftpc_last_status(ts.conn), SSH2_FX_NO_SUCH_FILE);
	TEST_DONE();

	TEST_START("rename, symlink, readlink, hardlink, remove");
	snprintf(p, sizeof(p), "%s/ren1", tmpdir());
	snprintf(q, sizeof(q), "%s/ren2", tmpdir());
	make_file(p, 10);
	ASSERT_INT_EQ(sftpc_rename(ts.conn, p, q, 0), 0);
	ASSERT_INT_EQ(sftpc_is_reg(ts.conn, q), 1);
	ASSERT_INT_EQ(sftpc_symlink(ts.conn, "ren2", p), 0);
	ASSERT_INT_EQ(sftpc_readlink(ts.conn, p, &s), 0);
	ASSERT_STRING_EQ(s, "ren2");
	free(s);
	ASSERT_INT_EQ(sftpc_lstat(ts.conn, p, 0, &a), 0);
	ASSERT_TRUE(S_ISLNK(a.perm));
	ASSERT_INT_EQ(sftpc_remove(ts.conn, p), 0);
	ASSERT_INT_EQ(sftpc_hardlink(ts.conn, q, p), 0);
	ASSERT_INT_EQ(sftpc_stat(ts.conn, p, 0, &a), 0);
	ASSERT_U64_EQ(a.size, 10);
	ASSERT_INT_EQ(sftpc_remove(ts.conn, p), 0);
	ASSERT_INT_EQ(sftpc_remove(ts.conn, q), 0);
	ASSERT_INT_EQ(sftpc_remove(ts.conn, q), ERR_ERRNO);
	TEST_DONE();

	TEST_START("copy-data");
	snprintf(p, sizeof(p), "%s/cp1", tmpdir());
	snprintf(q, sizeof(q), "%s/cp2", tmpdir());
	make_file(p, 300000);
	ASSERT_INT_EQ(sftpc_copy(ts.conn, p, q), 0);
	ASSERT_TRUE(same_file(p, q));
	TEST_DONE();

	TEST_START("realpath, expand-path, readdir");
	ASSERT_INT_EQ(sftpc_realpath(ts.conn, tmpdir(), &s), 0);
	free(s);
	ASSERT_INT_EQ(sftpc_expand_path(ts.conn, "~", &s), 0);
	ASSERT_TRUE(s[0] == '/');
	free(s);
	ASSERT_INT_EQ(sftpc_readdir_all(ts.conn, tmpdir(), 0, &ents, &n), 0);
	ASSERT_SIZE_T_GT(n, 2);
	sftpc_dirents_free(ents, n);
	ASSERT_INT_EQ(sftpc_readdir_all(ts.conn, "/nonexistent.dir", 1,
	    &ents, &n), ERR_ERRNO);
	TEST_DONE();

	TEST_START("statvfs, users-groups-by-id");
	ASSERT_INT_EQ(sftpc_statvfs(ts.conn, tmpdir(), &vfs), 0);
	ASSERT_TRUE(vfs.f_bsize != 0);
	ASSERT_INT_EQ(sftpc_users_groups_by_id(ts.conn, &uid, 1, &gid, 1,
	    &un, &gn), 0);
	ASSERT_PTR_NE(un, NULL);
	ASSERT_PTR_NE(gn, NULL);
	sftpc_names_free(un, 1);
	sftpc_names_free(gn, 1);
	TEST_DONE();
	ts_stop(&ts);
}

void
test_sftpclient_glob(void)
{
	globs();
}

void
test_sftpclient_requests(void)
{
	requests();
}
