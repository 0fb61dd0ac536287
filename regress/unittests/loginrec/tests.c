/*
 * tests.c: utmp/wtmp/lastlog records (loginrec.h) in files of the
 * test's own, read back with the utmpx API, with lastlog, and with the
 * system's last(1) and who(1) where they are installed.
 */
#include "includes.h"

#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <paths.h>
#include <utmpx.h>

#include "../test_helper/test_helper.h"
#include "errcode.h"
#include "loginrec.h"

static char dir[] = "/tmp/test_loginrec.XXXXXX";
static char utmp_path[64], wtmp_path[64], lastlog_path[64];

static void
touch(const char *path)
{
	int fd;

	ASSERT_INT_GE(fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644), 0);
	close(fd);
}

static void
cleanup(void)
{
	unlink(utmp_path);
	unlink(wtmp_path);
	unlink(lastlog_path);
	rmdir(dir);
}

static void
setup(void)
{
	ASSERT_PTR_NE(mkdtemp(dir), NULL);
	atexit(cleanup);
	snprintf(utmp_path, sizeof(utmp_path), "%s/utmp", dir);
	snprintf(wtmp_path, sizeof(wtmp_path), "%s/wtmp", dir);
	snprintf(lastlog_path, sizeof(lastlog_path), "%s/lastlog", dir);
	touch(utmp_path);
	touch(wtmp_path);
	touch(lastlog_path);
}

/* The utmp entry for line, copied into *ut; 0 if none. */
static int
find_utmp(const char *line, struct utmpx *ut)
{
	struct utmpx *e;
	int found = 0;

	ASSERT_INT_EQ(utmpxname(utmp_path), 0);
	setutxent();
	while (!found && (e = getutxent()) != NULL) {
		if (strncmp(e->ut_line, line, sizeof(e->ut_line)) == 0) {
			*ut = *e;
			found = 1;
		}
	}
	endutxent();
	ASSERT_INT_EQ(utmpxname(_PATH_UTMPX), 0);
	return found;
}

static size_t
wtmp_records(void)
{
	struct stat st;

	ASSERT_INT_EQ(stat(wtmp_path, &st), 0);
	ASSERT_INT_EQ(st.st_size % sizeof(struct utmpx), 0);
	return (size_t)st.st_size / sizeof(struct utmpx);
}

/* 1 if the command's output has a line containing needle. */
static int
output_has(const char *cmd, const char *needle)
{
	char line[512];
	FILE *f;
	int found = 0;

	ASSERT_PTR_NE(f = popen(cmd, "r"), NULL);
	while (fgets(line, sizeof(line), f) != NULL)
		found |= strstr(line, needle) != NULL;
	pclose(f);
	return found;
}

static void
test_login_logout(void)
{
	struct loginrec_paths paths = { utmp_path, wtmp_path, lastlog_path };
	struct loginrec rec;
	struct loginrec_last last;
	struct sockaddr_in sin;
	struct utmpx ut;
	char cmd[256];
	int found;

	TEST_START("login writes utmp, wtmp and lastlog");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	ASSERT_INT_EQ(inet_pton(AF_INET, "192.0.2.7", &sin.sin_addr), 1);
	memset(&rec, 0, sizeof(rec));
	rec.pid = 4242;
	rec.uid = 1234;
	rec.user = "keeluser";
	rec.tty = "/dev/pts/77";
	rec.host = "client.example";
	rec.addr = (struct sockaddr *)&sin;
	rec.addrlen = sizeof(sin);
	rec.when = 1700000000;
	ASSERT_INT_EQ(loginrec_login(&paths, &rec), 0);
	ASSERT_INT_EQ(find_utmp("pts/77", &ut), 1);
	ASSERT_INT_EQ(ut.ut_type, USER_PROCESS);
	ASSERT_INT_EQ(ut.ut_pid, 4242);
	ASSERT_INT_EQ(strncmp(ut.ut_user, "keeluser", sizeof(ut.ut_user)), 0);
	ASSERT_INT_EQ(strncmp(ut.ut_host, "client.example",
	    sizeof(ut.ut_host)), 0);
	ASSERT_INT_EQ(strncmp(ut.ut_id, "s/77", sizeof(ut.ut_id)), 0);
	ASSERT_MEM_EQ(&ut.ut_addr_v6[0], &sin.sin_addr, 4);
	ASSERT_INT_EQ(ut.ut_tv.tv_sec, 1700000000);
	ASSERT_SIZE_T_EQ(wtmp_records(), 1);
	ASSERT_INT_EQ(loginrec_lastlog_get(&paths, 1234, &last, &found), 0);
	ASSERT_INT_EQ(found, 1);
	ASSERT_INT_EQ(last.when, 1700000000);
	ASSERT_STRING_EQ(last.line, "pts/77");
	ASSERT_STRING_EQ(last.host, "client.example");
	/* Other uids have no record (a hole, or past the end). */
	ASSERT_INT_EQ(loginrec_lastlog_get(&paths, 1, &last, &found), 0);
	ASSERT_INT_EQ(found, 0);
	ASSERT_INT_EQ(loginrec_lastlog_get(&paths, 99999, &last, &found), 0);
	ASSERT_INT_EQ(found, 0);
	TEST_DONE();

	TEST_START("the system's who and last read our records");
	snprintf(cmd, sizeof(cmd), "who %s 2>/dev/null", utmp_path);
	if (access("/usr/bin/who", X_OK) == 0)
		ASSERT_TRUE(output_has(cmd, "keeluser"));
	snprintf(cmd, sizeof(cmd), "last -f %s 2>/dev/null", wtmp_path);
	if (access("/usr/bin/last", X_OK) == 0)
		ASSERT_TRUE(output_has(cmd, "pts/77"));
	TEST_DONE();

	TEST_START("logout marks the entry dead and appends to wtmp");
	rec.when = 0;
	ASSERT_INT_EQ(loginrec_logout(&paths, &rec), 0);
	ASSERT_INT_EQ(find_utmp("pts/77", &ut), 1);
	ASSERT_INT_EQ(ut.ut_type, DEAD_PROCESS);
	ASSERT_INT_EQ(ut.ut_user[0], '\0');
	ASSERT_INT_GT(ut.ut_tv.tv_sec, 1700000000);
	ASSERT_SIZE_T_EQ(wtmp_records(), 2);
	snprintf(cmd, sizeof(cmd), "who %s 2>/dev/null", utmp_path);
	if (access("/usr/bin/who", X_OK) == 0)
		ASSERT_FALSE(output_has(cmd, "keeluser"));
	TEST_DONE();
}

static void
test_missing_files(void)
{
	char missing[80];
	struct loginrec_paths paths = { NULL, wtmp_path, lastlog_path };
	struct loginrec rec;
	struct loginrec_last last;
	int found;

	TEST_START("a missing file is skipped; the others are written");
	snprintf(missing, sizeof(missing), "%s/nonexistent", dir);
	paths.utmp = missing;
	memset(&rec, 0, sizeof(rec));
	rec.pid = 5151;
	rec.uid = 77;
	rec.user = "other";
	rec.tty = "pts/5";
	ASSERT_INT_EQ(loginrec_login(&paths, &rec), 0);
	ASSERT_INT_EQ(access(missing, F_OK), -1);	/* not created */
	ASSERT_SIZE_T_EQ(wtmp_records(), 3);
	ASSERT_INT_EQ(loginrec_lastlog_get(&paths, 77, &last, &found), 0);
	ASSERT_INT_EQ(found, 1);
	ASSERT_STRING_EQ(last.line, "pts/5");
	ASSERT_STRING_EQ(last.host, "");
	paths.lastlog = missing;
	ASSERT_INT_EQ(loginrec_lastlog_get(&paths, 77, &last, &found),
	    ERR_ERRNO);
	ASSERT_INT_EQ(loginrec_login(NULL, NULL), ERR_INVALID_ARGUMENT);
	TEST_DONE();
}

void
tests(void)
{
	setup();
	test_login_logout();
	test_missing_files();
}
