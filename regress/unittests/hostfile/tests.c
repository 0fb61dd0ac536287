/*
 * Unit tests of hostfile.c: hashed names (checked against a line
 * OpenSSH's ssh-keygen -H wrote), host patterns, lookups with markers,
 * appending, and damaged input.
 */
#include "includes.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include "buf.h"
#include "errcode.h"
#include "hostfile.h"
#include "key.h"
#include "log.h"
#include "../test_helper/test_helper.h"

static char dir[] = "/tmp/hostfile-test.XXXXXX";
static struct key *k1, *k2, *k3;	/* ed25519, ecdsa, ed25519 */

static const char *
path(const char *name)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static char *
keytext(const struct key *k)
{
	char *s = NULL;

	ASSERT_INT_EQ(key_format_public(k, &s), 0);
	return s;
}

static void
write_file(const char *name, const char *text)
{
	FILE *f;

	ASSERT_PTR_NE(f = fopen(path(name), "w"), NULL);
	ASSERT_INT_EQ(fputs(text, f) >= 0, 1);
	ASSERT_INT_EQ(fclose(f), 0);
}

static void
test_hash(void)
{
	/* Written by OpenSSH 9.2's ssh-keygen -H for "host1". */
	static const char want[] =
	    "|1|j3ktYIQIfVmPhsM/yij4zloQJWM=|286UwvF8uUUW1EyLDxd60/InIxs=";
	struct buf *salt;
	char *h = NULL, *h2 = NULL;

	TEST_START("hostfile_hash_name known answer");
	ASSERT_PTR_NE(salt = buf_new(), NULL);
	ASSERT_INT_EQ(buf_b64tod(salt, "j3ktYIQIfVmPhsM/yij4zloQJWM="), 0);
	ASSERT_INT_EQ(hostfile_hash_name("host1", buf_ptr(salt),
	    buf_len(salt), &h), 0);
	ASSERT_STRING_EQ(h, want);
	ASSERT_INT_EQ(hostfile_match_hosts(want, "host1"), 1);
	ASSERT_INT_EQ(hostfile_match_hosts(want, "host2"), 0);
	free(h);
	ASSERT_INT_EQ(hostfile_hash_name("host1", buf_ptr(salt), 19, &h),
	    ERR_INVALID_ARGUMENT);
	ASSERT_PTR_EQ(h, NULL);
	buf_free(salt);
	/* Fresh salts differ; each hash still matches its name. */
	ASSERT_INT_EQ(hostfile_hash_name("[h]:2222", NULL, 0, &h), 0);
	ASSERT_INT_EQ(hostfile_hash_name("[h]:2222", NULL, 0, &h2), 0);
	ASSERT_STRING_NE(h, h2);
	ASSERT_INT_EQ(hostfile_match_hosts(h, "[h]:2222"), 1);
	ASSERT_INT_EQ(hostfile_match_hosts(h2, "[h]:2222"), 1);
	ASSERT_INT_EQ(hostfile_match_hosts(h, "h"), 0);
	free(h);
	free(h2);
	TEST_DONE();

	TEST_START("hostfile damaged hashes");
	ASSERT_INT_EQ(hostfile_match_hosts("|1|", "h"), ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(hostfile_match_hosts("|1|abc", "h"),
	    ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(hostfile_match_hosts("|1|AAAA|AAAA", "h"),
	    ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(hostfile_match_hosts("|1|j3ktYIQIfVmPhsM/yij4zloQJWM="
	    "|286UwvF8uUUW1EyLDxd60/InIx=", "host1"), ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(hostfile_match_hosts("|1|j3ktYIQIfVmPhsM/yij4zloQJWM="
	    "|286UwvF8uUUW1EyLDxd60/InIxs=|", "host1"), ERR_INVALID_FORMAT);
	TEST_DONE();
}

static void
test_patterns(void)
{
	char *n;

	TEST_START("hostfile host names and patterns");
	ASSERT_PTR_NE(n = hostfile_host_name("h", 22), NULL);
	ASSERT_STRING_EQ(n, "h");
	free(n);
	ASSERT_PTR_NE(n = hostfile_host_name("h", 0), NULL);
	ASSERT_STRING_EQ(n, "h");
	free(n);
	ASSERT_PTR_NE(n = hostfile_host_name("::1", 2222), NULL);
	ASSERT_STRING_EQ(n, "[::1]:2222");
	free(n);
	ASSERT_INT_EQ(hostfile_match_hosts("a,b,c", "b"), 1);
	ASSERT_INT_EQ(hostfile_match_hosts("*.example.com", "x.example.com"),
	    1);
	ASSERT_INT_EQ(hostfile_match_hosts("*.example.com", "example.com"), 0);
	ASSERT_INT_EQ(hostfile_match_hosts("h?", "h1"), 1);
	ASSERT_INT_EQ(hostfile_match_hosts("*,!bad", "bad"), -1);
	ASSERT_INT_EQ(hostfile_match_hosts("*,!bad", "good"), 1);
	ASSERT_INT_EQ(hostfile_match_hosts("[h]:2222", "[h]:2222"), 1);
	ASSERT_INT_EQ(hostfile_match_hosts("[h]:2222", "h"), 0);
	ASSERT_INT_EQ(hostfile_match_hosts("[h]:*", "[h]:2222"), 1);
	ASSERT_INT_EQ(hostfile_match_hosts("HOST", "host"), 1);
	TEST_DONE();
}

static enum hostfile_status
lookup(const char *file, const char *host, const struct key *k,
    u_long *linep)
{
	const struct hostkey_entry *e = NULL;
	enum hostfile_status st;
	struct hostkeys *hk;

	ASSERT_PTR_NE(hk = hostkeys_new(), NULL);
	ASSERT_INT_EQ(hostkeys_load_file(hk, host, path(file), 7), 0);
	st = hostkeys_check(hk, k, &e);
	if (linep != NULL)
		*linep = e == NULL ? 0 : e->line;
	if (e != NULL)
		ASSERT_INT_EQ(e->note, 7);
	hostkeys_free(hk);
	return st;
}

static void
test_lookup(void)
{
	char *t1 = keytext(k1), *t2 = keytext(k2), *t3 = keytext(k3);
	char *hashed = NULL, text[4096];
	struct hostkeys *hk;
	u_long line;

	ASSERT_INT_EQ(hostfile_hash_name("hashed.example", NULL, 0, &hashed),
	    0);
	snprintf(text, sizeof(text),
	    "# comment\n"
	    "\n"
	    "host1,10.0.0.1 %s comment here\n"
	    "*.example.com,!bad.example.com %s\n"
	    "[host2]:2222 %s\n"
	    "@revoked revoked.example %s\n"
	    "@cert-authority *.ca %s\n"
	    "this line is garbage\n"
	    "@bogus host3 %s\n"
	    "host4 ssh-ed25519 AAAAnotbase64!!\n"
	    "%s %s\n"
	    "   host5\t%s\r\n"
	    "host6 %s",
	    t1, t2, t1, t3, t1, t1, hashed, t3, t1, t3);
	write_file("kh", text);

	TEST_START("hostfile lookups");
	ASSERT_INT_EQ(lookup("kh", "host1", k1, &line), HOST_OK);
	ASSERT_INT_EQ(line, 3);
	ASSERT_INT_EQ(lookup("kh", "10.0.0.1", k1, NULL), HOST_OK);
	ASSERT_INT_EQ(lookup("kh", "host1", k3, &line), HOST_CHANGED);
	ASSERT_INT_EQ(line, 3);
	ASSERT_INT_EQ(lookup("kh", "host1", k2, NULL), HOST_NEW);
	ASSERT_INT_EQ(lookup("kh", "x.example.com", k2, NULL), HOST_OK);
	ASSERT_INT_EQ(lookup("kh", "bad.example.com", k2, NULL), HOST_NEW);
	ASSERT_INT_EQ(lookup("kh", "[host2]:2222", k1, NULL), HOST_OK);
	ASSERT_INT_EQ(lookup("kh", "host2", k1, NULL), HOST_NEW);
	ASSERT_INT_EQ(lookup("kh", "revoked.example", k3, NULL),
	    HOST_REVOKED);
	/* A CA entry is not a host key. */
	ASSERT_INT_EQ(lookup("kh", "a.ca", k1, NULL), HOST_NEW);
	ASSERT_INT_EQ(lookup("kh", "host3", k1, NULL), HOST_NEW);
	ASSERT_INT_EQ(lookup("kh", "hashed.example", k3, &line), HOST_OK);
	ASSERT_INT_EQ(line, 11);
	ASSERT_INT_EQ(lookup("kh", "host5", k1, NULL), HOST_OK);
	ASSERT_INT_EQ(lookup("kh", "host6", k3, NULL), HOST_OK);
	ASSERT_INT_EQ(lookup("nonexistent", "host1", k1, NULL), HOST_NEW);
	TEST_DONE();

	TEST_START("hostkeys_lookup_type");
	ASSERT_PTR_NE(hk = hostkeys_new(), NULL);
	ASSERT_INT_EQ(hostkeys_load_file(hk, "host1", path("kh"), 0), 0);
	ASSERT_INT_EQ(hostkeys_lookup_type(hk, KEY_ED25519, NULL), 1);
	ASSERT_INT_EQ(hostkeys_lookup_type(hk, KEY_ECDSA, NULL), 0);
	hostkeys_free(hk);
	TEST_DONE();

	free(t1);
	free(t2);
	free(t3);
	free(hashed);
}

struct count {
	int lines, comments, invalid, hashed, revoked, ca;
};

static int
count_cb(const struct hostfile_line *l, void *ctx)
{
	struct count *c = ctx;

	c->lines++;
	if (l->is_comment)
		c->comments++;
	else if (l->is_invalid)
		c->invalid++;
	else {
		c->hashed += l->hashed;
		c->revoked += l->marker == MRK_REVOKE;
		c->ca += l->marker == MRK_CA;
	}
	return 0;
}

static int
stop_cb(const struct hostfile_line *l, void *ctx)
{
	(void)ctx;
	return l->linenum == 4 ? 42 : 0;
}

static void
test_walk(void)
{
	struct count c;

	TEST_START("hostfile_foreach");
	memset(&c, 0, sizeof(c));
	ASSERT_INT_EQ(hostfile_foreach(path("kh"), NULL, count_cb, &c), 0);
	ASSERT_INT_EQ(c.lines, 13);
	ASSERT_INT_EQ(c.comments, 2);
	ASSERT_INT_EQ(c.invalid, 3);
	ASSERT_INT_EQ(c.hashed, 1);
	ASSERT_INT_EQ(c.revoked, 1);
	ASSERT_INT_EQ(c.ca, 1);
	memset(&c, 0, sizeof(c));
	ASSERT_INT_EQ(hostfile_foreach(path("kh"), "host1", count_cb, &c), 0);
	ASSERT_INT_EQ(c.lines, 1);
	ASSERT_INT_EQ(hostfile_foreach(path("kh"), NULL, stop_cb, NULL), 42);
	ASSERT_INT_EQ(hostfile_foreach(path("nonexistent"), NULL, count_cb,
	    &c), ERR_ERRNO);
	TEST_DONE();
}

static void
test_write(void)
{
	char *line = NULL, *t1 = keytext(k1);
	char want[1024];
	int i, status;
	pid_t pids[8];

	TEST_START("hostfile_format_entry");
	ASSERT_INT_EQ(hostfile_format_entry("h,1.2.3.4", k1, MRK_NONE, 0,
	    NULL, &line), 0);
	snprintf(want, sizeof(want), "h,1.2.3.4 %s", t1);
	ASSERT_STRING_EQ(line, want);
	free(line);
	ASSERT_INT_EQ(hostfile_format_entry("*.ca", k1, MRK_CA, 0, "my ca",
	    &line), 0);
	snprintf(want, sizeof(want), "@cert-authority *.ca %s my ca", t1);
	ASSERT_STRING_EQ(line, want);
	free(line);
	ASSERT_INT_EQ(hostfile_format_entry("h1,h2", k1, MRK_REVOKE, 1, NULL,
	    &line), 0);
	ASSERT_INT_EQ(strncmp(line, "@revoked |1|", 12), 0);
	ASSERT_PTR_NE(strchr(line, '\n'), NULL);	/* one line each */
	free(line);
	ASSERT_INT_EQ(hostfile_format_entry("a b", k1, MRK_NONE, 0, NULL,
	    &line), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(hostfile_format_entry("", k1, MRK_NONE, 0, NULL,
	    &line), ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(hostfile_format_entry("a\nb", k1, MRK_NONE, 0, NULL,
	    &line), ERR_INVALID_ARGUMENT);
	ASSERT_PTR_EQ(line, NULL);
	TEST_DONE();

	TEST_START("hostfile_add");
	write_file("add", "old ssh-ed25519 AAAA-no-newline");
	ASSERT_INT_EQ(hostfile_add(path("add"), "new1,10.1.1.1", k1, 1), 0);
	ASSERT_INT_EQ(hostfile_add(path("add"), "new2", k2, 0), 0);
	ASSERT_INT_EQ(lookup("add", "new1", k1, NULL), HOST_OK);
	ASSERT_INT_EQ(lookup("add", "10.1.1.1", k1, NULL), HOST_OK);
	ASSERT_INT_EQ(lookup("add", "new2", k2, NULL), HOST_OK);
	ASSERT_INT_EQ(hostfile_add(path("created"), "c", k3, 0), 0);
	ASSERT_INT_EQ(lookup("created", "c", k3, NULL), HOST_OK);
	ASSERT_INT_EQ(hostfile_add("/nonexistent/dir/kh", "c", k3, 0),
	    ERR_ERRNO);
	TEST_DONE();

	TEST_START("hostfile_add from several processes");
	for (i = 0; i < 8; i++) {
		char name[32];

		snprintf(name, sizeof(name), "racer%d", i);
		if ((pids[i] = fork()) == 0)
			_exit(hostfile_add(path("race"), name, k1, 1) == 0 ?
			    0 : 1);
		ASSERT_INT_GT(pids[i], 0);
	}
	for (i = 0; i < 8; i++) {
		ASSERT_INT_EQ(waitpid(pids[i], &status, 0), pids[i]);
		ASSERT_INT_EQ(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    1);
	}
	for (i = 0; i < 8; i++) {
		char name[32];

		snprintf(name, sizeof(name), "racer%d", i);
		ASSERT_INT_EQ(lookup("race", name, k1, NULL), HOST_OK);
	}
	TEST_DONE();
	free(t1);
}

/* Every prefix of a valid line parses or is skipped, never crashes. */
static void
test_truncation(void)
{
	char *t1 = keytext(k1), line[2048];
	size_t i, n;
	struct count c;

	TEST_START("hostfile truncated lines");
	n = (size_t)snprintf(line, sizeof(line),
	    "@revoked host1,[h]:22,!x %s trailing comment", t1);
	for (i = 0; i <= n; i++) {
		char saved = line[i];

		line[i] = '\0';
		write_file("trunc", line);
		line[i] = saved;
		memset(&c, 0, sizeof(c));
		ASSERT_INT_EQ(hostfile_foreach(path("trunc"), NULL, count_cb,
		    &c), 0);
		ASSERT_INT_LE(c.lines, 1);
		(void)lookup("trunc", "host1", k1, NULL);
	}
	TEST_DONE();
	free(t1);
}

void
tests(void)
{
	char cmd[128];

	log_init("test_hostfile", LOG_LEVEL_QUIET, LOG_FACILITY_USER, 1);
	ASSERT_PTR_NE(mkdtemp(dir), NULL);
	ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &k1), 0);
	ASSERT_INT_EQ(key_generate(KEY_ECDSA, 256, &k2), 0);
	ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &k3), 0);
	test_hash();
	test_patterns();
	test_lookup();
	test_walk();
	test_write();
	test_truncation();
	key_free(k1);
	key_free(k2);
	key_free(k3);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ASSERT_INT_EQ(system(cmd), 0);
}
