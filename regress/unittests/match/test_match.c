/*
 * Unit tests of match.c: wildcard patterns, pattern lists, user@host
 * patterns, address/CIDR lists and algorithm-name lists.
 */
#include "includes.h"

#include "errcode.h"
#include "match.h"
#include "../test_helper/test_helper.h"

static void
test_match_pattern(void)
{
	static const struct {
		const char *s, *pat;
		int want;
	} cases[] = {
		{ "", "", 1 }, { "", "*", 1 }, { "", "**", 1 }, { "", "?", 0 },
		{ "a", "", 0 }, { "abc", "abc", 1 }, { "abc", "ab", 0 },
		{ "ab", "abc", 0 }, { "abc", "a*", 1 }, { "abc", "*c", 1 },
		{ "abc", "a*c", 1 }, { "abc", "a?c", 1 }, { "ac", "a?c", 0 },
		{ "abc", "???", 1 }, { "abc", "????", 0 }, { "abc", "??", 0 },
		{ "abbbc", "a*b*c", 1 }, { "abc", "*****", 1 },
		{ "abc", "a**c", 1 }, { "ABC", "abc", 0 }, { "abc", "ABC", 0 },
		{ "x.example.com", "*.example.com", 1 },
		{ "example.com", "*.example.com", 0 },
		{ "mississippi", "*sip*", 1 },
		{ "mississippi", "m*iss*ppi", 1 },
		{ "mississippi", "m*iss*ppix", 0 }, { "aab", "*ab", 1 },
		{ "abcbc", "*bc", 1 }, { "abcbd", "*bc", 0 },
		{ "a*b", "a\\*b", 0 },	/* no escapes: '\\' is literal */
		{ "a\\xb", "a\\*b", 1 }, { "a,b", "a,b", 1 },
		{ "\xc3\xa9", "?", 0 }, { "\xc3\xa9", "??", 1 },
		{ "host", "h*t", 1 }, { "host", "h*s", 0 }, { "*", "*", 1 },
		{ "?", "?", 1 }, { "a", "*?", 1 }, { "", "*?", 0 },
	};
	char longs[5001], longp[120];
	size_t i;

	TEST_START("match_pattern");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (match_pattern(cases[i].s, cases[i].pat) != cases[i].want)
			fprintf(stderr, "case %zu: \"%s\" vs \"%s\"\n", i,
			    cases[i].s, cases[i].pat);
		ASSERT_INT_EQ(match_pattern(cases[i].s, cases[i].pat),
		    cases[i].want);
	}
	ASSERT_INT_EQ(match_pattern(NULL, "*"), 0);
	ASSERT_INT_EQ(match_pattern("a", NULL), 0);
	TEST_DONE();

	TEST_START("match_pattern has no exponential backtracking");
	memset(longs, 'a', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	for (i = 0; i + 2 < sizeof(longp); i += 2) {
		longp[i] = '*';
		longp[i + 1] = 'a';
	}
	longp[i] = 'b';
	longp[i + 1] = '\0';
	ASSERT_INT_EQ(match_pattern(longs, longp), 0);
	longp[i] = '*';
	ASSERT_INT_EQ(match_pattern(longs, longp), 1);
	TEST_DONE();
}

static void
test_match_pattern_list(void)
{
	static const struct {
		const char *s, *list;
		int dolower, want;
	} cases[] = {
		{ "host", "host", 0, 1 }, { "host", "a,host,b", 0, 1 },
		{ "host", "a,b", 0, 0 }, { "host", "!host", 0, -1 },
		{ "host", "*,!host", 0, -1 }, { "host", "!host,*", 0, -1 },
		{ "other", "*,!host", 0, 1 }, { "other", "!host", 0, 0 },
		{ "host", "!h*,host", 0, -1 }, { "host", "h?st", 0, 1 },
		{ "host", "HOST", 1, 1 }, { "host", "HOST", 0, 0 },
		{ "HOST", "host", 1, 0 },	/* the string is not lowered */
		{ "host", "!HOST,*", 1, -1 },
		/* Empty entries are ignored. */
		{ "host", "", 0, 0 }, { "", "", 0, 0 }, { "", "a,,b", 0, 0 },
		{ "host", "host,", 0, 1 }, { "host", ",host", 0, 1 },
		{ "x", ",", 0, 0 }, { "x", "!", 0, 0 }, { "x", "!,x", 0, 1 },
		{ "", "*", 0, 1 }, { "", "!*", 0, -1 },
		{ "a,b", "a,b", 0, 0 },		/* commas split the list */
		{ "!x", "!x", 0, 0 }, { "!x", "!!x", 0, -1 },
		{ "a.b.example.org", "*.example.org,!*.b.example.org", 0, -1 },
		{ "c.example.org", "*.example.org,!*.b.example.org", 0, 1 },
	};
	size_t i;

	TEST_START("match_pattern_list");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (match_pattern_list(cases[i].s, cases[i].list,
		    cases[i].dolower) != cases[i].want)
			fprintf(stderr, "case %zu: \"%s\" vs \"%s\"\n", i,
			    cases[i].s, cases[i].list);
		ASSERT_INT_EQ(match_pattern_list(cases[i].s, cases[i].list,
		    cases[i].dolower), cases[i].want);
	}
	ASSERT_INT_EQ(match_pattern_list(NULL, "*", 0), 0);
	ASSERT_INT_EQ(match_pattern_list("a", NULL, 0), 0);
	TEST_DONE();

	TEST_START("match_hostname");
	ASSERT_INT_EQ(match_hostname("Host.Example.COM", "*.example.com"), 1);
	ASSERT_INT_EQ(match_hostname("host.example.com", "*.EXAMPLE.com"), 1);
	ASSERT_INT_EQ(match_hostname("HOST.example.com",
	    "*.example.com,!host.*"), -1);
	ASSERT_INT_EQ(match_hostname("host.example.net", "*.example.com"), 0);
	ASSERT_INT_EQ(match_hostname("host", ""), 0);
	ASSERT_INT_EQ(match_hostname(NULL, "*"), 0);
	TEST_DONE();
}

struct addr_case {
	const char *addr, *list;
	int want;
};

static void
run_addr_cases(const struct addr_case *c, size_t n, int cidr_only)
{
	size_t i;
	int got;

	for (i = 0; i < n; i++) {
		got = cidr_only ? addr_match_cidr_list(c[i].addr, c[i].list) :
		    addr_match_list(c[i].addr, c[i].list);
		if (got != c[i].want)
			fprintf(stderr, "case %zu: %s in \"%s\": got %d\n", i,
			    c[i].addr ? c[i].addr : "(null)", c[i].list, got);
		ASSERT_INT_EQ(got, c[i].want);
	}
}

static void
test_addr_match_list(void)
{
	static const struct addr_case v4[] = {
		{ "10.1.2.3", "10.0.0.0/8", 1 },
		{ "10.1.2.3", "10.1.2.3", 1 },
		{ "10.1.2.3", "10.1.2.4", 0 },
		{ "10.1.2.3", "!10.0.0.0/8", -1 },
		{ "10.1.2.3", "10.1.2.*", 1 },
		{ "10.1.2.3", "10.1.?.3", 1 },
		{ "10.1.2.3", "192.168.0.0/16,10.1.2.3/32", 1 },
		{ "10.1.2.3", "0.0.0.0/0", 1 },
		{ "10.1.2.3", "*,!10.1.0.0/16", -1 },
		{ "11.0.0.1", "*,!10.0.0.0/8", 1 },
		{ "10.1.2.3", "!10.0.0.0/8,10.1.2.3", -1 },
		{ "1.2.3.4", "1.2.3.4/32", 1 },
		{ "1.2.3.5", "1.2.3.4/32", 0 },
		{ "1.2.3.5", "1.2.3.4/31", 1 },
		{ "1.2.3.6", "1.2.3.4/31", 0 },
		{ "10.128.0.0", "10.0.0.0/9", 0 },
		{ "10.127.255.255", "10.0.0.0/9", 1 },
		{ "10.0.0.1", "10.0.0.0/08", 1 },
		{ "255.255.255.255", "128.0.0.0/1", 1 },
		{ "127.255.255.255", "128.0.0.0/1", 0 },
		{ "10.1.2.3", "10.1.2.3.4", 0 },	/* a wildcard entry */
		{ "10.1.2.3", "10.0.0.256", 0 },
	};
	static const struct addr_case v6[] = {
		{ "2001:db8::1", "2001:db8::/32", 1 },
		{ "2001:db9::1", "2001:db8::/32", 0 },
		{ "2001:db8::1", "2001:DB8::/32", 1 },
		{ "2001:DB8::1", "2001:db8::/32", 1 },
		{ "::1", "::1", 1 }, { "::1", "::1/128", 1 },
		{ "::2", "::1/128", 0 }, { "::1", "::/0", 1 },
		{ "::1", "::/127", 1 }, { "::2", "::/127", 0 },
		{ "2001:db8::1", "!2001:db8::/32,*", -1 },
		{ "2001:db8::1", "2001:db8::*", 1 },
		{ "10.0.0.1", "::/0", 0 },
		{ "2001:db8::1", "0.0.0.0/0", 0 },
		/* IPv4-mapped addresses match their IPv4 entries too. */
		{ "::ffff:10.1.2.3", "10.0.0.0/8", 1 },
		{ "::ffff:10.1.2.3", "!10.0.0.0/8", -1 },
		{ "::ffff:10.1.2.3", "*,!10.1.2.3", -1 },
		{ "::ffff:10.1.2.3", "::ffff:0:0/96", 1 },
		{ "::ffff:10.1.2.3", "11.0.0.0/8", 0 },
		{ "::10.1.2.3", "10.0.0.0/8", 0 },	/* not mapped */
		{ "10.1.2.3", "::ffff:10.1.2.3", 0 },
		/* Scopes. */
		{ "fe80::1%eth0", "fe80::/10", 1 },
		{ "fe80::1%eth0", "fe80::1%eth0", 1 },
		{ "fe80::1%eth1", "fe80::1%eth0", 0 },
		{ "fe80::1", "fe80::1%eth0", 0 },
	};
	static const struct addr_case invalid[] = {
		{ "10.1.2.3", "", -2 }, { "10.1.2.3", "10.0.0.0/8,", -2 },
		{ "10.1.2.3", ",10.0.0.0/8", -2 }, { "10.1.2.3", "a,,b", -2 },
		{ "10.1.2.3", "!", -2 }, { "10.1.2.3", "10.0.0.0/33", -2 },
		{ "10.1.2.3", "10.0.0.1/8", -2 },
		{ "10.1.2.3", "10.0.0.0/", -2 },
		{ "10.1.2.3", "10.0.0.0/abc", -2 },
		{ "10.1.2.3", "10.0.0.0/-1", -2 },
		{ "10.1.2.3", "10.0.0.0/8/8", -2 }, { "10.1.2.3", "/8", -2 },
		{ "10.1.2.3", "10.0.0.0/1000", -2 },
		{ "10.1.2.3", "10.0.0.0/ 8", -2 },
		{ "10.1.2.3", "*/8", -2 }, { "10.1.2.3", "::/129", -2 },
		{ "10.1.2.3", "2001:db8::1/64", -2 },
		{ "10.1.2.3", "2001:db8::/32%eth0", -2 },
		/* The whole list is checked, even after a match. */
		{ "10.1.2.3", "10.1.2.3,10.0.0.0/33", -2 },
		{ "10.1.2.3", "!10.1.2.3,10.0.0.0/33", -2 },
		/* Validation only. */
		{ NULL, "10.0.0.0/8,*.example.com,::1", 0 },
		{ NULL, "10.0.0.0/33", -2 }, { NULL, "", -2 },
		/* Unparseable addresses match nothing, not even '*'. */
		{ "not-an-address", "10.0.0.0/8", 0 },
		{ "not-an-address", "*", 0 },
		{ "host.example.com", "*.example.com", 0 },
		{ "10.1", "10.0.0.0/8", 0 }, { "", "*", 0 },
		{ "10.1.2.3 ", "*", 0 }, { "fe80::1%", "*", 0 },
		{ "1.2.3.4/32", "*", 0 },
	};

	TEST_START("addr_match_list IPv4");
	run_addr_cases(v4, sizeof(v4) / sizeof(v4[0]), 0);
	TEST_DONE();

	TEST_START("addr_match_list IPv6, mapped, scopes");
	run_addr_cases(v6, sizeof(v6) / sizeof(v6[0]), 0);
	TEST_DONE();

	TEST_START("addr_match_list invalid lists and addresses");
	run_addr_cases(invalid, sizeof(invalid) / sizeof(invalid[0]), 0);
	ASSERT_INT_EQ(addr_match_list("10.1.2.3", NULL), -2);
	TEST_DONE();
}

static void
test_addr_match_cidr_list(void)
{
	static const struct addr_case cases[] = {
		{ "10.1.2.3", "10.0.0.0/8", 1 },
		{ "10.1.2.3", "192.168.0.0/16", 0 },
		{ "10.1.2.3", "192.168.0.0/16,10.1.2.3", 1 },
		{ "10.1.2.3", "10.1.2.3/32", 1 },
		{ "10.1.2.4", "10.1.2.3/32", 0 },
		{ "10.1.2.3", "0.0.0.0/0", 1 },
		{ "2001:db8::5", "2001:db8::/48", 1 },
		{ "2001:db9::5", "2001:db8::/48", 0 },
		{ "::1", "::1/128", 1 }, { "::1", "::/0", 1 },
		{ "::ffff:10.1.2.3", "10.0.0.0/8", 1 },
		{ "10.1.2.3", "::/0", 0 },
		{ "garbage", "10.0.0.0/8", 0 },
		{ NULL, "10.0.0.0/8,::1,2001:db8::/32", 0 },
		/* Invalid lists: no wildcards, negation, names or scopes. */
		{ "10.1.2.3", "10.0.0.0/33", -1 },
		{ "10.1.2.3", "::/129", -1 },
		{ "10.1.2.3", "10.0.0.1/8", -1 },
		{ "10.1.2.3", "*", -1 }, { "10.1.2.3", "10.*", -1 },
		{ "10.1.2.3", "!10.0.0.0/8", -1 },
		{ "10.1.2.3", "host.example.com", -1 },
		{ "10.1.2.3", "", -1 }, { "10.1.2.3", "10.0.0.0/8,", -1 },
		{ "10.1.2.3", ",10.0.0.0/8", -1 },
		{ "10.1.2.3", "10.0.0.0 /8", -1 },
		{ "10.1.2.3", "1.2.3.4/32 ", -1 },
		{ "fe80::1", "fe80::1%eth0", -1 },
		{ "10.1.2.3", "10.0.0.0/8,bad", -1 },
		{ "10.1.2.3", "10.0.0.0/", -1 },
		{ "10.1.2.3", "1.2.3", -1 },
		{ NULL, "10.0.0.0/33", -1 }, { NULL, "", -1 },
	};

	TEST_START("addr_match_cidr_list");
	run_addr_cases(cases, sizeof(cases) / sizeof(cases[0]), 1);
	ASSERT_INT_EQ(addr_match_cidr_list("10.1.2.3", NULL), -1);
	TEST_DONE();
}

static void
test_host_and_user(void)
{
	const char *h = "host.example.com", *ip = "10.1.2.3";

	TEST_START("match_host_and_ip");
	ASSERT_INT_EQ(match_host_and_ip(h, ip, "*.example.com"), 1);
	ASSERT_INT_EQ(match_host_and_ip(h, ip, "10.0.0.0/8"), 1);
	ASSERT_INT_EQ(match_host_and_ip(h, ip, "10.1.2.*"), 1);
	ASSERT_INT_EQ(match_host_and_ip(h, ip, "!*.example.com,10.0.0.0/8"),
	    0);
	ASSERT_INT_EQ(match_host_and_ip(h, ip, "*.example.com,!10.1.2.3"), 0);
	ASSERT_INT_EQ(match_host_and_ip(h, ip, "other.com"), 0);
	ASSERT_INT_EQ(match_host_and_ip(h, ip, "10.0.0.0/33"), -1);
	ASSERT_INT_EQ(match_host_and_ip(h, ip, "*.example.com,10.0.0.1/8"),
	    -1);
	ASSERT_INT_EQ(match_host_and_ip("HOST.EXAMPLE.COM", ip,
	    "host.example.com"), 1);
	ASSERT_INT_EQ(match_host_and_ip(h, NULL, "*.example.com"), 1);
	ASSERT_INT_EQ(match_host_and_ip(h, NULL, "!*.example.com"), 0);
	ASSERT_INT_EQ(match_host_and_ip(NULL, ip, "10.0.0.0/8"), 1);
	ASSERT_INT_EQ(match_host_and_ip(NULL, NULL, "10.0.0.0/8"), 0);
	ASSERT_INT_EQ(match_host_and_ip(NULL, NULL, "10.0.0.0/33"), -1);
	ASSERT_INT_EQ(match_host_and_ip(h, ip, NULL), 0);
	TEST_DONE();

	TEST_START("match_user");
	ASSERT_INT_EQ(match_user("alice", h, ip, "alice"), 1);
	ASSERT_INT_EQ(match_user("bob", h, ip, "alice"), 0);
	ASSERT_INT_EQ(match_user("alice", h, ip, "al*"), 1);
	ASSERT_INT_EQ(match_user("alice", h, ip, "alice@*.example.com"), 1);
	ASSERT_INT_EQ(match_user("alice", h, ip, "alice@10.0.0.0/8"), 1);
	ASSERT_INT_EQ(match_user("alice", h, ip, "alice@192.168.0.0/16"), 0);
	ASSERT_INT_EQ(match_user("alice", h, ip, "bob@*.example.com"), 0);
	ASSERT_INT_EQ(match_user("alice", h, ip, "*@10.1.2.3"), 1);
	ASSERT_INT_EQ(match_user("alice", h, ip, "alice@!10.1.2.3"), 0);
	ASSERT_INT_EQ(match_user("alice", h, ip,
	    "alice@*.example.com,!10.1.2.3"), 0);
	ASSERT_INT_EQ(match_user("alice", h, ip, "alice@10.0.0.0/33"), -1);
	/* A user mismatch decides before the host list is looked at. */
	ASSERT_INT_EQ(match_user("bob", h, ip, "alice@10.0.0.0/33"), 0);
	ASSERT_INT_EQ(match_user("alice", h, ip, "alice@"), -1);
	ASSERT_INT_EQ(match_user("alice", h, ip, "@*"), 0);
	ASSERT_INT_EQ(match_user("", h, ip, "@*"), 1);
	/* Split at the first '@'. */
	ASSERT_INT_EQ(match_user("a", "b@c", NULL, "a@b@c"), 1);
	ASSERT_INT_EQ(match_user("a@b", h, ip, "a@b"), 0);
	ASSERT_INT_EQ(match_user(NULL, NULL, NULL, "alice@10.0.0.0/33"), -1);
	ASSERT_INT_EQ(match_user(NULL, NULL, NULL, "alice@10.0.0.0/8"), 0);
	ASSERT_INT_EQ(match_user(NULL, NULL, NULL, "alice"), 0);
	ASSERT_INT_EQ(match_user(NULL, h, ip, "alice"), 0);
	ASSERT_INT_EQ(match_user("alice", h, ip, NULL), -1);
	TEST_DONE();
}

static void
check_match_list(const char *c, const char *s, const char *want,
    u_int wantnext)
{
	u_int next = 12345;
	char *r;

	r = match_list(c, s, &next);
	if (want == NULL)
		ASSERT_PTR_EQ(r, NULL);
	else
		ASSERT_STRING_EQ(r, want);
	ASSERT_U32_EQ(next, wantnext);
	free(r);
}

static void
test_match_list(void)
{
	char *r;

	TEST_START("match_list");
	check_match_list("a,b,c", "c,b", "b", 4);
	check_match_list("a,b,c", "c", "c", 5);
	check_match_list("a,b,c", "a", "a", 2);
	check_match_list("a,b,c", "x", NULL, 5);
	check_match_list("aes128-ctr,aes256-ctr", "aes256-ctr",
	    "aes256-ctr", 21);
	check_match_list("aes", "aes128", NULL, 3);
	check_match_list("aes128", "aes", NULL, 6);
	check_match_list("", "", NULL, 0);
	check_match_list("a,,b", ",", NULL, 4);
	check_match_list(",b", ",b", "b", 2);
	check_match_list("a*", "a1,a*", "a*", 2);	/* no wildcards */
	check_match_list("A", "a", NULL, 1);		/* case matters */
	ASSERT_PTR_EQ(match_list(NULL, "a", NULL), NULL);
	ASSERT_PTR_EQ(match_list("a", NULL, NULL), NULL);
	ASSERT_PTR_NE((r = match_list("x,y", "y", NULL)), NULL);
	ASSERT_STRING_EQ(r, "y");
	free(r);
	TEST_DONE();
}

static void
check_filter(int allow, const char *names, const char *filter,
    const char *want)
{
	char *r;

	r = allow ? match_filter_allowlist(names, filter) :
	    match_filter_denylist(names, filter);
	ASSERT_STRING_EQ(r, want);
	free(r);
}

static void
test_match_filter(void)
{
	TEST_START("match_filter_denylist / allowlist");
	check_filter(0, "a,b,c,d", "b,d", "a,c");
	check_filter(0, "aes128-ctr,aes256-gcm@openssh.com,chacha",
	    "*gcm*", "aes128-ctr,chacha");
	check_filter(0, "a,b", "*", "");
	check_filter(0, "a,b", "", "a,b");
	check_filter(0, "a,b", "!a", "a,b");
	check_filter(0, "", "x", "");
	check_filter(0, "a,,b,", "x", "a,b");
	check_filter(1, "a,b,c", "b,c,x", "b,c");
	check_filter(1, "a,,b", "*", "a,b");
	check_filter(1, "a,b", "", "");
	check_filter(1, "a1,b1,a2", "a*,!a2", "a1");
	ASSERT_PTR_EQ(match_filter_denylist(NULL, "a"), NULL);
	ASSERT_PTR_EQ(match_filter_allowlist("a", NULL), NULL);
	TEST_DONE();
}

static void
check_filter_list(const char *defaults, const char *spec, const char *all,
    const char *want)
{
	char *r = (char *)1;

	ASSERT_INT_EQ(match_filter_list(defaults, spec, all, &r), 0);
	ASSERT_STRING_EQ(r, want);
	free(r);
}

static void
check_filter_list_bad(const char *defaults, const char *spec,
    const char *all)
{
	char *r = (char *)1;

	ASSERT_INT_EQ(match_filter_list(defaults, spec, all, &r),
	    ERR_INVALID_ARGUMENT);
	ASSERT_PTR_EQ(r, NULL);
}

static void
test_match_filter_list(void)
{
	const char *all = "a1,a2,b1,b2,c1", *def = "a1,b1";
	static const char *bad[] = {
		"bogus", "a1,bogus", "+bogus", "^bogus", "+a1,bogus", "a1,",
		",a1", "a1,,b1", "!a1", "a1,!b1", "x*", "+x*", "+", "^",
		"-*", "-a1,b1", "-*1",
	};
	char *r;
	size_t i;

	TEST_START("match_filter_list");
	check_filter_list(def, NULL, all, "a1,b1");
	check_filter_list(def, "", all, "a1,b1");
	check_filter_list(def, "b2,a2", all, "b2,a2");
	check_filter_list(def, "b2,a2,b2", all, "b2,a2");
	check_filter_list(def, "b*", all, "b1,b2");
	check_filter_list(def, "c1,*1", all, "c1,a1,b1");
	check_filter_list(def, "?2", all, "a2,b2");
	check_filter_list(def, "+c1", all, "a1,b1,c1");
	check_filter_list(def, "+a1,c1", all, "a1,b1,c1");
	check_filter_list(def, "+b*", all, "a1,b1,b2");
	check_filter_list(def, "-a1", all, "b1");
	check_filter_list(def, "-x", all, "a1,b1");
	check_filter_list(def, "-", all, "a1,b1");
	check_filter_list(def, "-a*,!a1", all, "a1,b1");
	check_filter_list(def, "-A1", all, "a1,b1");	/* case matters */
	check_filter_list(def, "^c1", all, "c1,a1,b1");
	check_filter_list(def, "^b1", all, "b1,a1");
	check_filter_list(def, "^c*,a2", all, "c1,a2,a1,b1");
	check_filter_list("a1,zz", NULL, all, "a1");
	check_filter_list("a1,zz", "+b1", all, "a1,b1");
	TEST_DONE();

	TEST_START("match_filter_list rejects bad lists");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check_filter_list_bad(def, bad[i], all);
	check_filter_list_bad("", NULL, all);
	check_filter_list_bad("zz", NULL, all);
	ASSERT_INT_EQ(match_filter_list(NULL, "a1", all, &r),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(match_filter_list(def, "a1", NULL, &r),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(match_filter_list(def, "a1", all, NULL),
	    ERR_INVALID_ARGUMENT);
	TEST_DONE();
}

void
tests(void)
{
	test_match_pattern();
	test_match_pattern_list();
	test_addr_match_list();
	test_addr_match_cidr_list();
	test_host_and_user();
	test_match_list();
	test_match_filter();
	test_match_filter_list();
}
