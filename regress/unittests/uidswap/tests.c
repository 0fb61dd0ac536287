/*
 * tests.c: id changes and the pre-auth child's set-up (uidswap.h).
 *
 * As root, children drop to an unprivileged user and the parent reads
 * their ids and root directory from /proc, as the integration test of
 * sshd does for the real pre-auth child.  "nobody" is always used;
 * regress/privsep.sh also runs this program with KEEL_TEST_USER naming
 * a user it created with a supplementary group KEEL_TEST_GROUP, and
 * KEEL_PRIVSEP_READY=1 once PRIVSEP_USER and PRIVSEP_PATH exist.
 * Not root: only the tests that need no privilege run (the others say
 * why they are skipped).
 */
#include "includes.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>

#include "../test_helper/test_helper.h"
#include "errcode.h"
#include "uidswap.h"

static char basedir[] = "/run/keel-uidswap.XXXXXX";
static int basedir_made;

/* ------------------------------------------------------------ /proc */

/* The numbers after "<field>:" in /proc/<pid>/status; how many. */
static int
proc_field(pid_t pid, const char *field, long *vals, int maxvals)
{
	char path[64], line[1024], *cp, *ep;
	size_t flen = strlen(field);
	FILE *f;
	int n = -1;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	ASSERT_PTR_NE(f = fopen(path, "r"), NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, field, flen) != 0 || line[flen] != ':')
			continue;
		cp = line + flen + 1;
		for (n = 0; n < maxvals; n++) {
			vals[n] = strtol(cp, &ep, 10);
			if (ep == cp)
				break;
			cp = ep;
		}
	}
	fclose(f);
	return n;
}

static void
assert_ids(pid_t pid, uid_t uid, gid_t gid)
{
	long v[4];

	ASSERT_INT_EQ(proc_field(pid, "Uid", v, 4), 4);
	ASSERT_INT_EQ(v[0], uid);
	ASSERT_INT_EQ(v[1], uid);
	ASSERT_INT_EQ(v[2], uid);
	ASSERT_INT_EQ(v[3], uid);
	ASSERT_INT_EQ(proc_field(pid, "Gid", v, 4), 4);
	ASSERT_INT_EQ(v[0], gid);
	ASSERT_INT_EQ(v[1], gid);
	ASSERT_INT_EQ(v[2], gid);
	ASSERT_INT_EQ(v[3], gid);
}

/* 1 if gid is in the child's supplementary groups. */
static int
has_group(pid_t pid, gid_t gid)
{
	long v[64];
	int i, n;

	n = proc_field(pid, "Groups", v, 64);
	for (i = 0; i < n; i++) {
		if (v[i] == (long)gid)
			return 1;
	}
	return 0;
}

static int
ngroups_of(pid_t pid)
{
	long v[64];

	return proc_field(pid, "Groups", v, 64);
}

/* ------------------------------------------------------------ children */

struct child {
	pid_t pid;
	int up;		/* child writes its step result here */
	int down;	/* parent writes here to let it finish */
};

typedef int child_fn(void *);

/*
 * Fork a child running fn(arg); it reports fn's result as one byte and
 * then waits for the parent, so the parent can look at it in /proc.
 * Returns fn's result (0 = success), or -1 if the child died first.
 */
static int
child_start(struct child *c, child_fn *fn, void *arg)
{
	int up[2], down[2];
	u_char res;
	int r;

	ASSERT_INT_EQ(pipe(up), 0);
	ASSERT_INT_EQ(pipe(down), 0);
	ASSERT_INT_NE(c->pid = fork(), -1);
	if (c->pid == 0) {
		close(up[0]);
		close(down[1]);
		res = (u_char)fn(arg);
		if (write(up[1], &res, 1) != 1 || read(down[0], &res, 1) < 0)
			_exit(2);
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	c->up = up[0];
	c->down = down[1];
	r = read(c->up, &res, 1) == 1 ? res : -1;
	return r;
}

static void
child_finish(struct child *c)
{
	int status;

	ASSERT_INT_EQ(write(c->down, "x", 1), 1);
	close(c->up);
	close(c->down);
	ASSERT_INT_EQ(waitpid(c->pid, &status, 0), c->pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_INT_EQ(WEXITSTATUS(status), 0);
}

static int
do_permanent_primary(void *arg)
{
	const struct passwd *pw = arg;

	if (uidswap_permanently_set(pw, UIDSWAP_GROUPS_PRIMARY) != 0)
		return 1;
	/* Verified by the call, and checked again here. */
	if (setuid(0) != -1 || seteuid(0) != -1 || getuid() != pw->pw_uid)
		return 2;
	return 0;
}

static int
do_permanent_init(void *arg)
{
	const struct passwd *pw = arg;

	return uidswap_permanently_set(pw, UIDSWAP_GROUPS_INIT) == 0 ? 0 : 1;
}

static int
do_privsep(void *arg)
{
	const struct passwd *pw = arg;
	char err[512];
	int r;

	r = uidswap_privsep_child(pw, basedir, err, sizeof(err));
	if (r != 0) {
		fprintf(stderr, "privsep child: %s\n", err);
		return 1;
	}
	/* Nothing of the old root is visible. */
	if (access("/etc/passwd", F_OK) == 0)
		return 2;
	return 0;
}

static int
do_privsep_configured(void *arg)
{
	const struct passwd *pw = arg;
	char err[512];

	if (uidswap_privsep_child(pw, PRIVSEP_PATH, err, sizeof(err)) != 0) {
		fprintf(stderr, "privsep child: %s\n", err);
		return 1;
	}
	return 0;
}

/* A non-root process may only "become" itself. */
static int
do_unprivileged(void *arg)
{
	const struct passwd *pw = arg;
	struct passwd rootpw;

	if (uidswap_permanently_set(pw, UIDSWAP_GROUPS_PRIMARY) != 0)
		return 1;
	if (uidswap_permanently_set(pw, UIDSWAP_GROUPS_PRIMARY) != 0)
		return 2;
	memset(&rootpw, 0, sizeof(rootpw));
	rootpw.pw_name = "root";
	if (uidswap_permanently_set(&rootpw, UIDSWAP_GROUPS_PRIMARY) !=
	    ERR_INVALID_ARGUMENT)
		return 3;
	/* Temporary changes are recorded no-ops. */
	if (uidswap_temporarily_use(&rootpw) != 0 ||
	    !uidswap_is_temporary() || uidswap_restore() != 0 ||
	    getuid() != pw->pw_uid)
		return 4;
	return 0;
}

/* Temporarily pw: a file made now is pw's; afterwards we are root. */
static int
do_temporary(void *arg)
{
	const struct passwd *pw = arg;
	char path[sizeof(basedir) + 16];
	struct stat st;
	gid_t groups[64];
	int fd, n0, n1;

	n0 = getgroups(64, groups);
	if (uidswap_restore() != ERR_INTERNAL)
		return 1;
	if (uidswap_temporarily_use(pw) != 0)
		return 2;
	if (uidswap_temporarily_use(pw) != ERR_INTERNAL)
		return 3;
	if (geteuid() != pw->pw_uid || getegid() != pw->pw_gid ||
	    getuid() != 0)
		return 4;
	snprintf(path, sizeof(path), "%s/pub/f", basedir);
	if ((fd = open(path, O_CREAT | O_WRONLY | O_EXCL, 0600)) == -1)
		return 5;
	close(fd);
	if (stat(path, &st) != 0 || st.st_uid != pw->pw_uid)
		return 6;
	/* A root-only file is out of reach meanwhile. */
	if (open("/etc/shadow", O_RDONLY) != -1)
		return 7;
	if (uidswap_restore() != 0 || uidswap_is_temporary())
		return 8;
	n1 = getgroups(64, groups);
	if (geteuid() != 0 || getegid() != 0 || n1 != n0)
		return 9;
	if (unlink(path) != 0)
		return 10;
	return 0;
}

/* ------------------------------------------------------------ tests */

static struct passwd *
lookup(const char *name)
{
	struct passwd *pw;

	ASSERT_PTR_NE(pw = getpwnam(name), NULL);
	ASSERT_PTR_NE(pw = pw_dup(pw), NULL);
	return pw;
}

static void
test_pw_dup(void)
{
	struct passwd src, *copy;

	TEST_START("pw_dup copies every field");
	memset(&src, 0, sizeof(src));
	src.pw_name = "alice";
	src.pw_passwd = "secret";
	src.pw_uid = 1234;
	src.pw_gid = 5678;
	src.pw_dir = "/home/alice";
	src.pw_shell = "/bin/sh";
	/* pw_gecos NULL becomes "". */
	ASSERT_PTR_NE(copy = pw_dup(&src), NULL);
	ASSERT_STRING_EQ(copy->pw_name, "alice");
	ASSERT_PTR_NE(copy->pw_name, src.pw_name);
	ASSERT_STRING_EQ(copy->pw_passwd, "secret");
	ASSERT_STRING_EQ(copy->pw_gecos, "");
	ASSERT_STRING_EQ(copy->pw_dir, "/home/alice");
	ASSERT_STRING_EQ(copy->pw_shell, "/bin/sh");
	ASSERT_INT_EQ(copy->pw_uid, 1234);
	ASSERT_INT_EQ(copy->pw_gid, 5678);
	pw_free(copy);
	pw_free(NULL);
	ASSERT_PTR_EQ(pw_dup(NULL), NULL);
	TEST_DONE();
}

static void
test_privsep_user(void)
{
	struct passwd *pw = NULL;
	char err[512];

	TEST_START("privsep user lookup");
	ASSERT_INT_EQ(uidswap_privsep_user("keel-no-such-user-xyz", &pw, err,
	    sizeof(err)), ERR_NOT_FOUND);
	ASSERT_PTR_EQ(pw, NULL);
	ASSERT_PTR_NE(strstr(err, "keel-no-such-user-xyz does not exist"),
	    NULL);
	ASSERT_INT_EQ(uidswap_privsep_user("root", &pw, err, sizeof(err)),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(uidswap_privsep_user("nobody", &pw, err, sizeof(err)),
	    0);
	ASSERT_STRING_EQ(pw->pw_name, "nobody");
	pw_free(pw);
	TEST_DONE();
}

static void
mkdir_mode(const char *path, mode_t mode)
{
	ASSERT_INT_EQ(mkdir(path, 0700), 0);
	ASSERT_INT_EQ(chmod(path, mode), 0);
}

static void
check_dir(const char *sub, int want, const char *msg)
{
	char path[256], err[512];

	snprintf(path, sizeof(path), "%s%s", basedir, sub);
	err[0] = '\0';
	ASSERT_INT_EQ(uidswap_check_privsep_dir(path, err, sizeof(err)),
	    want);
	if (msg != NULL)
		ASSERT_PTR_NE(strstr(err, msg), NULL);
}

static void
test_dir_checks(void)
{
	char path[256], err[512];
	int fd;

	TEST_START("privsep directory checks");
	check_dir("", 0, NULL);
	check_dir("/missing", ERR_NOT_FOUND,
	    "Missing privilege separation directory");
	snprintf(path, sizeof(path), "%s/gw", basedir);
	mkdir_mode(path, 0775);
	check_dir("/gw", ERR_KEY_BAD_PERMISSIONS, "Bad ownership or modes");
	/* A good directory under a writable one is no good either. */
	snprintf(path, sizeof(path), "%s/gw/sub", basedir);
	mkdir_mode(path, 0755);
	check_dir("/gw/sub", ERR_KEY_BAD_PERMISSIONS, "/gw (must be owned");
	snprintf(path, sizeof(path), "%s/notempty", basedir);
	mkdir_mode(path, 0755);
	snprintf(path, sizeof(path), "%s/notempty/file", basedir);
	ASSERT_INT_GE(fd = open(path, O_CREAT | O_WRONLY, 0600), 0);
	close(fd);
	check_dir("/notempty", ERR_KEY_BAD_PERMISSIONS, "is not empty");
	check_dir("/notempty/file", ERR_KEY_BAD_PERMISSIONS,
	    "not a directory");
	ASSERT_INT_EQ(uidswap_check_privsep_dir("relative", err, sizeof(err)),
	    ERR_INVALID_ARGUMENT);
	/* /tmp is world-writable (sticky), so nothing under it will do. */
	ASSERT_INT_EQ(uidswap_check_privsep_dir("/tmp", err, sizeof(err)),
	    ERR_KEY_BAD_PERMISSIONS);
	TEST_DONE();
}

static void
test_permanent(const char *name, int flags, const char *extra_group)
{
	struct passwd *pw = lookup(name);
	struct group *gr = NULL;
	struct child c;
	char title[128];

	snprintf(title, sizeof(title), "permanent drop to %s (%s groups)",
	    name, flags == UIDSWAP_GROUPS_INIT ? "initgroups" : "primary");
	TEST_START(title);
	if (extra_group != NULL)
		ASSERT_PTR_NE(gr = getgrnam(extra_group), NULL);
	ASSERT_INT_EQ(child_start(&c, flags == UIDSWAP_GROUPS_INIT ?
	    do_permanent_init : do_permanent_primary, pw), 0);
	assert_ids(c.pid, pw->pw_uid, pw->pw_gid);
	if (flags == UIDSWAP_GROUPS_PRIMARY) {
		ASSERT_INT_EQ(ngroups_of(c.pid), 1);
		ASSERT_TRUE(has_group(c.pid, pw->pw_gid));
	}
	if (gr != NULL)
		ASSERT_INT_EQ(has_group(c.pid, gr->gr_gid),
		    flags == UIDSWAP_GROUPS_INIT);
	child_finish(&c);
	pw_free(pw);
	TEST_DONE();
}

/* The seed of sshd's /proc test: ids and root of the pre-auth child. */
static void
test_privsep_child(const char *user, const char *dir, child_fn *fn)
{
	struct passwd *pw = lookup(user);
	struct child c;
	char path[64], root[PATH_MAX], title[256];
	ssize_t n;

	snprintf(title, sizeof(title), "privsep child as %s in %s", user, dir);
	TEST_START(title);
	ASSERT_INT_EQ(child_start(&c, fn, pw), 0);
	assert_ids(c.pid, pw->pw_uid, pw->pw_gid);
	ASSERT_INT_EQ(ngroups_of(c.pid), 1);
	snprintf(path, sizeof(path), "/proc/%ld/root", (long)c.pid);
	ASSERT_INT_GT(n = readlink(path, root, sizeof(root) - 1), 0);
	root[n] = '\0';
	ASSERT_STRING_EQ(root, dir);
	child_finish(&c);
	pw_free(pw);
	TEST_DONE();
}

static void
test_privsep_refusals(void)
{
	struct passwd *pw = lookup("nobody");
	char err[512];

	TEST_START("privsep child refuses a bad directory");
	ASSERT_INT_EQ(uidswap_privsep_child(pw, "/nonexistent-keel-dir", err,
	    sizeof(err)), ERR_NOT_FOUND);
	ASSERT_PTR_NE(strstr(err, "/nonexistent-keel-dir"), NULL);
	ASSERT_INT_EQ(uidswap_privsep_child(NULL, basedir, err, sizeof(err)),
	    ERR_INVALID_ARGUMENT);
	/* Still root, still here. */
	ASSERT_INT_EQ(geteuid(), 0);
	pw_free(pw);
	TEST_DONE();
}

static void
test_unprivileged(void)
{
	struct passwd *pw = lookup("nobody");
	struct child c;

	TEST_START("not root: only one's own uid");
	ASSERT_INT_EQ(child_start(&c, do_unprivileged, pw), 0);
	child_finish(&c);
	pw_free(pw);
	TEST_DONE();
}

static void
test_temporary(const char *name)
{
	struct passwd *pw = lookup(name);
	struct child c;
	char path[sizeof(basedir) + 8], title[128];

	snprintf(title, sizeof(title), "temporary change to %s", name);
	TEST_START(title);
	snprintf(path, sizeof(path), "%s/pub", basedir);
	if (mkdir(path, 0700) == 0)
		ASSERT_INT_EQ(chmod(path, 01777), 0);
	ASSERT_INT_EQ(child_start(&c, do_temporary, pw), 0);
	child_finish(&c);
	ASSERT_INT_EQ(rmdir(path), 0);
	pw_free(pw);
	TEST_DONE();
}

static void
cleanup(void)
{
	char cmd[sizeof(basedir) + 16];

	if (basedir_made) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", basedir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", basedir);
	}
}

void
tests(void)
{
	const char *user = getenv("KEEL_TEST_USER");
	const char *group = getenv("KEEL_TEST_GROUP");
	const char *ready = getenv("KEEL_PRIVSEP_READY");

	test_pw_dup();
	test_privsep_user();
	if (geteuid() != 0) {
		fprintf(stderr, "uidswap: id change tests skipped: not root\n");
		return;
	}
	ASSERT_PTR_NE(mkdtemp(basedir), NULL);
	basedir_made = 1;
	atexit(cleanup);
	ASSERT_INT_EQ(chmod(basedir, 0755), 0);
	test_temporary("nobody");
	test_dir_checks();
	test_permanent("nobody", UIDSWAP_GROUPS_PRIMARY, NULL);
	test_permanent("nobody", UIDSWAP_GROUPS_INIT, NULL);
	test_unprivileged();
	test_privsep_refusals();
	/* The checks above left entries behind: start from an empty dir. */
	cleanup();
	ASSERT_INT_EQ(mkdir(basedir, 0755), 0);
	test_privsep_child("nobody", basedir, do_privsep);
	if (user != NULL && group != NULL) {
		test_permanent(user, UIDSWAP_GROUPS_PRIMARY, group);
		test_permanent(user, UIDSWAP_GROUPS_INIT, group);
		test_privsep_child(user, basedir, do_privsep);
	} else
		fprintf(stderr, "uidswap: test-user tests skipped: "
		    "KEEL_TEST_USER/KEEL_TEST_GROUP not set (see "
		    "regress/privsep.sh)\n");
	if (ready != NULL && strcmp(ready, "1") == 0)
		test_privsep_child(PRIVSEP_USER, PRIVSEP_PATH,
		    do_privsep_configured);
	else
		fprintf(stderr, "uidswap: %s in %s not tested: "
		    "KEEL_PRIVSEP_READY not set (see regress/privsep.sh)\n",
		    PRIVSEP_USER, PRIVSEP_PATH);
}
