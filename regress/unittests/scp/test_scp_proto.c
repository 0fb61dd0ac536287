/*
 * Unit tests of scp-proto.c: legacy protocol records (with truncation at
 * every offset and flipped bits), name checks, the patterns incoming
 * names must match, and the location arguments.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "scp-proto.h"
#include "../test_helper/test_helper.h"

/* ------------------------------------------------------------ helpers */

/* Parse s as a C/D record; returns the result, *whyp the reason. */
static int
parse_rec(const char *s, size_t len, struct scp_record *rec,
    const char **whyp)
{
	struct buf *b = buf_from_copy(s, len);
	int r;

	ASSERT_PTR_NE(b, NULL);
	r = scp_parse_record(b, rec, whyp);
	buf_free(b);
	return r;
}

static int
parse_times(const char *s, struct scp_times *t, const char **whyp)
{
	struct buf *b = buf_from_copy(s, strlen(s));
	int r;

	ASSERT_PTR_NE(b, NULL);
	r = scp_parse_times(b, t, whyp);
	buf_free(b);
	return r;
}

/* The record s must fail with reason why. */
static void
expect_rec_fault(const char *s, const char *why)
{
	struct scp_record rec;
	const char *got = NULL;

	ASSERT_INT_EQ(parse_rec(s, strlen(s), &rec, &got),
	    ERR_INVALID_FORMAT);
	ASSERT_STRING_EQ(got, why);
	ASSERT_PTR_EQ(rec.name, NULL);
}

static void
expect_times_fault(const char *s, const char *why)
{
	struct scp_times t;
	const char *got = NULL;

	ASSERT_INT_EQ(parse_times(s, &t, &got), ERR_INVALID_FORMAT);
	ASSERT_STRING_EQ(got, why);
}

/* ------------------------------------------------------------ records */

static void
test_records(void)
{
	struct scp_record rec;
	struct scp_times t;
	const char *why;

	TEST_START("record: C with a plain name");
	ASSERT_INT_EQ(parse_rec("C0644 5 hello.txt", 17, &rec, &why), 0);
	ASSERT_INT_EQ(rec.type, 'C');
	ASSERT_INT_EQ(rec.mode, 0644);
	ASSERT_U64_EQ(rec.size, 5);
	ASSERT_STRING_EQ(rec.name, "hello.txt");
	scp_record_clear(&rec);
	ASSERT_PTR_EQ(rec.name, NULL);
	TEST_DONE();

	TEST_START("record: D, setuid mode, name with spaces");
	ASSERT_INT_EQ(parse_rec("D4755 0 a b  c", 14, &rec, &why), 0);
	ASSERT_INT_EQ(rec.type, 'D');
	ASSERT_INT_EQ(rec.mode, 04755);
	ASSERT_STRING_EQ(rec.name, "a b  c");
	scp_record_clear(&rec);
	TEST_DONE();

	TEST_START("record: largest size, and one beyond");
	ASSERT_INT_EQ(parse_rec("C0600 9223372036854775807 x", 27, &rec,
	    &why), 0);
	ASSERT_U64_EQ(rec.size, 9223372036854775807ULL);
	scp_record_clear(&rec);
	expect_rec_fault("C0600 9223372036854775808 x", "size out of range");
	expect_rec_fault("C0600 99999999999999999999999999999 x",
	    "size out of range");
	TEST_DONE();

	TEST_START("record: each fault named as OpenSSH names it");
	expect_rec_fault("", "expected control record");
	expect_rec_fault("X0644 5 x", "expected control record");
	expect_rec_fault("C0844 5 x", "bad mode");
	expect_rec_fault("C064 5 x", "bad mode");
	expect_rec_fault("C06445 5 x", "mode not delimited");
	expect_rec_fault("C0644  5 x", "size not present");
	expect_rec_fault("C0644 -5 x", "size not present");
	expect_rec_fault("C0644 5x x", "size not delimited");
	expect_rec_fault("C0644 5", "size not delimited");
	TEST_DONE();

	TEST_START("record: interior NUL in the name");
	ASSERT_INT_EQ(parse_rec("C0644 5 a\0b", 11, &rec, &why),
	    ERR_INVALID_FORMAT);
	ASSERT_STRING_EQ(why, "filename contains a NUL");
	TEST_DONE();

	TEST_START("times: good, and out of time_t range");
	ASSERT_INT_EQ(parse_times("T1234567890 0 987654321 999999", &t,
	    &why), 0);
	ASSERT_U64_EQ(t.mtime, 1234567890);
	ASSERT_U64_EQ(t.atime, 987654321);
	ASSERT_INT_EQ(t.in_range, 1);
	ASSERT_INT_EQ(parse_times("T99999999999999999999999 0 1 0", &t,
	    &why), 0);
	ASSERT_INT_EQ(t.in_range, 0);
	TEST_DONE();

	TEST_START("times: each fault");
	expect_times_fault("T", "mtime.sec not present");
	expect_times_fault("Tx 0 1 0", "mtime.sec not present");
	expect_times_fault("T1", "mtime.sec not delimited");
	expect_times_fault("T1 1000000 1 0", "mtime.usec not delimited");
	expect_times_fault("T1 0", "mtime.usec not delimited");
	expect_times_fault("T1 0 ", "atime.sec not present");
	expect_times_fault("T1 0 2", "atime.sec not delimited");
	expect_times_fault("T1 0 2 ", "atime.usec not delimited");
	expect_times_fault("T1 0 2 0 ", "atime.usec not delimited");
	expect_times_fault("T1 0 2 1000000", "atime.usec not delimited");
	TEST_DONE();
}

/* Every prefix of a record parses or fails cleanly, never more. */
static void
test_truncation(void)
{
	static const char rec_s[] = "C0755 123456 some file";
	static const char t_s[] = "T1700000000 0 1700000001 0";
	struct scp_record rec;
	struct scp_times t;
	const char *why;
	char tmp[64];
	size_t i;
	int r;

	TEST_START("record: truncated at every offset");
	for (i = 0; i < sizeof(rec_s) - 1; i++) {
		r = parse_rec(rec_s, i, &rec, &why);
		if (r == 0) {
			/* Only the name may be cut short. */
			ASSERT_SIZE_T_GT(i, 12);
			ASSERT_INT_EQ(strncmp(rec.name, "some file",
			    strlen(rec.name)), 0);
			scp_record_clear(&rec);
		} else {
			ASSERT_INT_EQ(r, ERR_INVALID_FORMAT);
			ASSERT_PTR_NE(why, NULL);
			ASSERT_PTR_EQ(rec.name, NULL);
		}
	}
	TEST_DONE();

	TEST_START("times: truncated at every offset");
	for (i = 0; i < sizeof(t_s) - 1; i++) {
		memcpy(tmp, t_s, i);
		tmp[i] = '\0';
		ASSERT_INT_EQ(parse_times(tmp, &t, &why), ERR_INVALID_FORMAT);
		ASSERT_PTR_NE(why, NULL);
	}
	TEST_DONE();
}

/* Flip each bit of a record: a parse never crashes and stays in bounds. */
static void
test_bitflips(void)
{
	static const char rec_s[] = "D0700 0 dir";
	struct scp_record rec;
	const char *why;
	char tmp[sizeof(rec_s)];
	size_t i;
	int bit, r;

	TEST_START("record: every bit flipped");
	for (i = 0; i < sizeof(rec_s) - 1; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(tmp, rec_s, sizeof(rec_s));
			tmp[i] = (char)(tmp[i] ^ (1 << bit));
			r = parse_rec(tmp, sizeof(rec_s) - 1, &rec, &why);
			if (r != 0) {
				ASSERT_INT_EQ(r, ERR_INVALID_FORMAT);
				continue;
			}
			ASSERT_TRUE(rec.type == 'C' || rec.type == 'D');
			ASSERT_INT_LE(rec.mode, 07777);
			ASSERT_PTR_NE(rec.name, NULL);
			scp_record_clear(&rec);
		}
	}
	TEST_DONE();
}

/* scp_name_encode(in) must be want. */
static void
expect_encoded(const char *in, const char *want)
{
	char *s = scp_name_encode(in);

	ASSERT_STRING_EQ(s, want);
	free(s);
}

static void
test_names(void)
{
	struct buf *b;
	struct scp_record rec;
	const char *why;

	TEST_START("names: what may be created in the target");
	ASSERT_INT_EQ(scp_name_is_safe("file"), 1);
	ASSERT_INT_EQ(scp_name_is_safe("."), 1);
	ASSERT_INT_EQ(scp_name_is_safe("..."), 1);
	ASSERT_INT_EQ(scp_name_is_safe(" sp ace\n"), 1);
	ASSERT_INT_EQ(scp_name_is_safe(""), 0);
	ASSERT_INT_EQ(scp_name_is_safe(".."), 0);
	ASSERT_INT_EQ(scp_name_is_safe("../evil"), 0);
	ASSERT_INT_EQ(scp_name_is_safe("/abs"), 0);
	ASSERT_INT_EQ(scp_name_is_safe("a/b"), 0);
	ASSERT_INT_EQ(scp_name_is_safe(NULL), 0);
	TEST_DONE();

	TEST_START("names: records written and read back");
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(scp_put_record(b, 'C', 0100644, 42, "x y"), 0);
	ASSERT_INT_EQ(scp_put_times(b, 5, 6), 0);
	ASSERT_INT_EQ(scp_put_record(b, 'D', 0755, 0, "new\nline"),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(scp_put_record(b, 'E', 0755, 0, "x"),
	    ERR_INVALID_ARGUMENT);
	ASSERT_SIZE_T_EQ(buf_len(b), strlen("C0644 42 x y\nT5 0 6 0\n"));
	ASSERT_MEM_EQ(buf_ptr(b), "C0644 42 x y\nT5 0 6 0\n", buf_len(b));
	ASSERT_INT_EQ(parse_rec("C0644 42 x y", 12, &rec, &why), 0);
	ASSERT_STRING_EQ(rec.name, "x y");
	scp_record_clear(&rec);
	buf_free(b);
	TEST_DONE();

	TEST_START("names: OpenSSH's escaped form of names with newlines");
	expect_encoded("new\nline", "new\\^Jline");
	expect_encoded("a b\tc", "a b\tc");
	expect_encoded("back\\slash", "back\\\\slash");
	expect_encoded("caf\303\251", "caf\\M-C\\M-)");
	expect_encoded("\177\377\240\001", "\\^?\\M^?\\240\\^A");
	expect_encoded("", "");
	TEST_DONE();
}

/* ------------------------------------------------------------ patterns */

/* The patterns of path must be exactly want (n of them, any order). */
static void
expect_patterns(const char *path, const char *const *want, size_t n)
{
	struct scp_patterns p;
	size_t i, j;

	ASSERT_INT_EQ(scp_patterns_from_path(path, &p), 0);
	ASSERT_SIZE_T_EQ(p.n, n);
	for (i = 0; i < n; i++) {
		for (j = 0; j < p.n; j++) {
			if (strcmp(p.list[j], want[i]) == 0)
				break;
		}
		if (j == p.n)
			ASSERT_STRING_EQ(want[i], "(missing)");
	}
	scp_patterns_free(&p);
}

static void
test_patterns(void)
{
	static const char *const plain[] = { "file.txt" };
	static const char *const two[] = { "x.txt", "y.txt" };
	static const char *const nested[] = { "a", "bc", "bd" };
	static const char *const lit[] = { "{abc}" };
	static const char *const unbal[] = { "a{b,c" };
	static const char *const esc[] = { "a\\{b,c\\}" };
	static const char *const slash[] = { "" };
	static const char *const across[] = { "b", "c" };
	struct scp_patterns p;
	char big[64];

	TEST_START("patterns: brace expansion, last components");
	expect_patterns("/some/dir/file.txt", plain, 1);
	expect_patterns("dir/{x,y}.txt", two, 2);
	expect_patterns("{a,b{c,d}}", nested, 3);
	expect_patterns("{abc}", lit, 1);
	expect_patterns("a{b,c", unbal, 1);
	expect_patterns("a\\{b,c\\}", esc, 1);
	expect_patterns("dir/", slash, 1);
	expect_patterns("{a/b,c}", across, 2);
	TEST_DONE();

	TEST_START("patterns: matching");
	ASSERT_INT_EQ(scp_patterns_from_path("/d/*.txt", &p), 0);
	ASSERT_INT_EQ(scp_patterns_match(&p, "a.txt"), 1);
	ASSERT_INT_EQ(scp_patterns_match(&p, "a.txt2"), 0);
	ASSERT_INT_EQ(scp_patterns_match(&p, "a.text"), 0);
	scp_patterns_free(&p);
	ASSERT_INT_EQ(scp_patterns_from_path("a[1]", &p), 0);
	ASSERT_INT_EQ(scp_patterns_match(&p, "a[1]"), 1);
	ASSERT_INT_EQ(scp_patterns_match(&p, "a1"), 1);
	ASSERT_INT_EQ(scp_patterns_match(&p, "evil"), 0);
	scp_patterns_free(&p);
	ASSERT_INT_EQ(scp_patterns_from_path("a\\ b", &p), 0);
	ASSERT_INT_EQ(scp_patterns_match(&p, "a b"), 1);
	scp_patterns_free(&p);
	TEST_DONE();

	TEST_START("patterns: expansion is bounded");
	/* 2^11 alternatives: more than SCP_PATTERNS_MAX. */
	snprintf(big, sizeof(big), "%s", "{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}"
	    "{a,b}{a,b}{a,b}{a,b}{a,b}");
	ASSERT_INT_EQ(scp_patterns_from_path(big, &p), ERR_NO_BUFFER_SPACE);
	ASSERT_SIZE_T_EQ(p.n, 0);
	snprintf(big, sizeof(big), "%s", "{a,b}{a,b}{a,b}{a,b}{a,b}");
	ASSERT_INT_EQ(scp_patterns_from_path(big, &p), 0);
	ASSERT_SIZE_T_EQ(p.n, 32);
	scp_patterns_free(&p);
	TEST_DONE();
}

/* ------------------------------------------------------------ locations */

static void
expect_loc(const char *arg, const char *user, const char *host, int port,
    const char *path)
{
	struct scp_location loc;

	ASSERT_INT_EQ(scp_parse_location(arg, &loc), 0);
	if (user == NULL)
		ASSERT_PTR_EQ(loc.user, NULL);
	else
		ASSERT_STRING_EQ(loc.user, user);
	if (host == NULL)
		ASSERT_PTR_EQ(loc.host, NULL);
	else
		ASSERT_STRING_EQ(loc.host, host);
	ASSERT_INT_EQ(loc.port, port);
	ASSERT_STRING_EQ(loc.path, path);
	ASSERT_INT_EQ(scp_is_remote(arg), host != NULL);
	scp_location_free(&loc);
}

static void
expect_bad_uri(const char *arg)
{
	struct scp_location loc;

	ASSERT_INT_EQ(scp_parse_location(arg, &loc), ERR_INVALID_FORMAT);
	ASSERT_PTR_EQ(loc.host, NULL);
	ASSERT_PTR_EQ(loc.path, NULL);
}

static void
test_locations(void)
{
	TEST_START("locations: local paths");
	expect_loc("file", NULL, NULL, -1, "file");
	expect_loc(":file", NULL, NULL, -1, ":file");
	expect_loc("./a:b", NULL, NULL, -1, "./a:b");
	expect_loc("dir/a:b", NULL, NULL, -1, "dir/a:b");
	expect_loc("/abs/x", NULL, NULL, -1, "/abs/x");
	TEST_DONE();

	TEST_START("locations: [user@]host:path");
	expect_loc("host:path", NULL, "host", -1, "path");
	expect_loc("host:", NULL, "host", -1, ".");
	expect_loc("me@host:/a b", "me", "host", -1, "/a b");
	expect_loc("a@b@host:x:y", "a@b", "host", -1, "x:y");
	expect_loc("@host:x", NULL, "host", -1, "x");
	expect_loc("[::1]:x", NULL, "::1", -1, "x");
	expect_loc("u@[fe80::1%eth0]:/tmp", "u", "fe80::1%eth0", -1,
	    "/tmp");
	TEST_DONE();

	TEST_START("locations: scp:// URIs");
	expect_loc("scp://host", NULL, "host", -1, ".");
	expect_loc("scp://host/", NULL, "host", -1, ".");
	expect_loc("scp://host/rel/x", NULL, "host", -1, "rel/x");
	expect_loc("scp://host//abs", NULL, "host", -1, "/abs");
	expect_loc("scp://u@h.example:2222/p%20q+r", "u", "h.example", 2222,
	    "p q r");
	expect_loc("scp://u;fingerprint=SHA256-x@h/p", "u", "h", -1, "p");
	expect_loc("scp://%41b@h/p", "Ab", "h", -1, "p");
	expect_loc("scp://[::1]:22/x", NULL, "::1", 22, "x");
	expect_loc("scp://[::1]/x@y", NULL, "::1", -1, "x@y");
	TEST_DONE();

	TEST_START("locations: malformed URIs");
	expect_bad_uri("scp://");
	expect_bad_uri("scp:///path");
	expect_bad_uri("scp://@h/p");
	expect_bad_uri("scp://;x@h/p");
	expect_bad_uri("scp://h:0/p");
	expect_bad_uri("scp://h:/p");
	expect_bad_uri("scp://h:99999/p");
	expect_bad_uri("scp://h:22x/p");
	expect_bad_uri("scp://h/%zz");
	expect_bad_uri("scp://h/%4");
	expect_bad_uri("scp://h/a%00b");
	expect_bad_uri("scp://h h/p");
	expect_bad_uri("scp://[::1/p");
	expect_bad_uri("scp://[::1]x/p");
	TEST_DONE();

	TEST_START("locations: user names");
	ASSERT_INT_EQ(scp_user_is_ok("user.name-1_x"), 1);
	ASSERT_INT_EQ(scp_user_is_ok("a b"), 0);
	ASSERT_INT_EQ(scp_user_is_ok("a'b"), 0);
	ASSERT_INT_EQ(scp_user_is_ok("a`b"), 0);
	ASSERT_INT_EQ(scp_user_is_ok("#a"), 0);
	ASSERT_INT_EQ(scp_user_is_ok("\xc3\xa9"), 0);
	TEST_DONE();
}

void
tests(void)
{
	test_records();
	test_truncation();
	test_bitflips();
	test_names();
	test_patterns();
	test_locations();
}
