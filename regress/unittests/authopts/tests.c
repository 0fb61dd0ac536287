/*
 * Unit tests of auth/auth-options.c: every authorized_keys option, the
 * restrict/re-enable rules, quoting, the checks, finding a key in a
 * file, and malformed lines (including every truncation).
 */
#include "includes.h"

#include <fcntl.h>

#include "auth/auth-options.h"
#include "errcode.h"
#include "key.h"
#include "log.h"
#include "../test_helper/test_helper.h"

static struct key *k1, *k2;
static char *t1, *t2;		/* "type base64" of each */

static struct authopts *
parse_ok(const char *opts)
{
	struct authopts *o = NULL;
	const char *err = NULL, *end = NULL;

	if (authopts_parse(opts, &o, &end, &err) != 0)
		assert_failed(__FILE__, __LINE__, "\"%s\": %s", opts, err);
	ASSERT_PTR_NE(o, NULL);
	ASSERT_INT_EQ(*end == '\0' || *end == ' ' || *end == '\t', 1);
	return o;
}

static void
test_options(void)
{
	struct authopts *o;
	const char *end;

	TEST_START("authopts defaults");
	ASSERT_PTR_NE(o = authopts_new(), NULL);
	ASSERT_INT_EQ(o->permit_pty && o->permit_port_forwarding &&
	    o->permit_agent_forwarding && o->permit_x11_forwarding &&
	    o->permit_user_rc, 1);
	ASSERT_INT_EQ(o->force_tun_device, AUTHOPTS_TUN_ANY);
	authopts_free(o);
	TEST_DONE();

	TEST_START("authopts flags, restrict and re-enables");
	o = parse_ok("no-pty,no-port-forwarding,no-agent-forwarding,"
	    "no-X11-forwarding,no-user-rc");
	ASSERT_INT_EQ(o->permit_pty + o->permit_port_forwarding +
	    o->permit_agent_forwarding + o->permit_x11_forwarding +
	    o->permit_user_rc, 0);
	ASSERT_INT_EQ(o->restricted, 0);
	authopts_free(o);
	o = parse_ok("restrict,pty,X11-FORWARDING");
	ASSERT_INT_EQ(o->restricted, 1);
	ASSERT_INT_EQ(o->permit_pty, 1);
	ASSERT_INT_EQ(o->permit_x11_forwarding, 1);
	ASSERT_INT_EQ(o->permit_port_forwarding, 0);
	ASSERT_INT_EQ(o->permit_agent_forwarding, 0);
	ASSERT_INT_EQ(o->permit_user_rc, 0);
	authopts_free(o);
	o = parse_ok("restrict,port-forwarding,agent-forwarding,user-rc,"
	    "cert-authority,no-touch-required,verify-required");
	ASSERT_INT_EQ(o->permit_port_forwarding + o->permit_agent_forwarding +
	    o->permit_user_rc, 3);
	ASSERT_INT_EQ(o->permit_pty, 0);
	ASSERT_INT_EQ(o->cert_authority, 1);
	ASSERT_INT_EQ(o->no_require_user_presence, 1);
	ASSERT_INT_EQ(o->require_verify, 1);
	authopts_free(o);
	TEST_DONE();

	TEST_START("authopts values and quoting");
	o = parse_ok("command=\"echo \\\"hi, there\\\" \\\\n\","
	    "environment=\"A=1\",environment=\"B_2=x y\",environment=\"A=2\","
	    "from=\"10.0.0.0/8,*.example.com,!bad.example.com\","
	    "permitopen=\"host:80\",permitopen=\"[::1]:*\","
	    "permitlisten=\"8080\",permitlisten=\"localhost:9090\","
	    "expiry-time=\"20300101\",expiry-time=\"202001010000Z\","
	    "principals=\"alice,bob\",tunnel=\"5\" ssh-ed25519 AAAA");
	ASSERT_STRING_EQ(o->force_command, "echo \"hi, there\" \\\\n");
	ASSERT_SIZE_T_EQ(o->nenv, 2);
	ASSERT_STRING_EQ(o->env[0], "A=1");
	ASSERT_STRING_EQ(o->env[1], "B_2=x y");
	ASSERT_STRING_EQ(o->required_from_host,
	    "10.0.0.0/8,*.example.com,!bad.example.com");
	ASSERT_SIZE_T_EQ(o->npermitopen, 2);
	ASSERT_STRING_EQ(o->permitlisten[0], "*:8080");
	ASSERT_U64_EQ(o->valid_before, 1577836800ULL);	/* the earlier */
	ASSERT_STRING_EQ(o->cert_principals, "alice,bob");
	ASSERT_INT_EQ(o->force_tun_device, 5);
	TEST_DONE();

	TEST_START("authopts checks");
	ASSERT_INT_EQ(authopts_from_ok(o, "a.example.com", "192.0.2.1"), 1);
	ASSERT_INT_EQ(authopts_from_ok(o, "x.org", "10.1.2.3"), 1);
	ASSERT_INT_EQ(authopts_from_ok(o, "bad.example.com", "10.1.2.3"), 0);
	ASSERT_INT_EQ(authopts_from_ok(o, "x.org", "192.0.2.1"), 0);
	ASSERT_INT_EQ(authopts_expired(o, 1577836799ULL), 0);
	ASSERT_INT_EQ(authopts_expired(o, 1577836800ULL), 1);
	ASSERT_INT_EQ(authopts_permitopen_ok(o, "HOST", 80), 1);
	ASSERT_INT_EQ(authopts_permitopen_ok(o, "host", 81), 0);
	ASSERT_INT_EQ(authopts_permitopen_ok(o, "::1", 12345), 1);
	ASSERT_INT_EQ(authopts_permitopen_ok(o, "other", 80), 0);
	ASSERT_INT_EQ(authopts_permitlisten_ok(o, "0.0.0.0", 8080), 1);
	ASSERT_INT_EQ(authopts_permitlisten_ok(o, "localhost", 9090), 1);
	ASSERT_INT_EQ(authopts_permitlisten_ok(o, "0.0.0.0", 9090), 0);
	authopts_free(o);
	ASSERT_PTR_NE(o = authopts_new(), NULL);
	ASSERT_INT_EQ(authopts_from_ok(o, "any", "1.2.3.4"), 1);
	ASSERT_INT_EQ(authopts_expired(o, UINT64_MAX), 0);
	ASSERT_INT_EQ(authopts_permitopen_ok(o, "any", 1), 1);
	authopts_free(o);
	TEST_DONE();

	TEST_START("authopts stops at white space");
	ASSERT_INT_EQ(authopts_parse("no-pty\tssh-ed25519 AAAA", &o, &end,
	    NULL), 0);
	ASSERT_STRING_EQ(end, "\tssh-ed25519 AAAA");
	authopts_free(o);
	TEST_DONE();
}

static void
test_bad_options(void)
{
	static const struct {
		const char *opts, *err;
	} cases[] = {
		{ "", "empty option" },
		{ "no-pty,", "empty option" },
		{ ",no-pty", "empty option" },
		{ "no-pty,,pty", "empty option" },
		{ "no-ptyx", "unknown key option" },
		{ "frobnicate", "unknown key option" },
		{ "command", "missing value" },
		{ "command=", "missing start quote" },
		{ "command=ls", "missing start quote" },
		{ "command=\"ls", "missing end quote" },
		{ "command=\"ls\\\"", "missing end quote" },
		{ "command=\"a\",command=\"b\"",
		    "multiple \"command\" clauses" },
		{ "command=\"a\"x", "unexpected character after option" },
		{ "environment=\"NOVALUE\"", "invalid environment string" },
		{ "environment=\"=v\"", "invalid environment string" },
		{ "environment=\"A-B=v\"", "invalid environment string" },
		{ "from=\"10.0.0.0/33\"", "invalid from pattern" },
		{ "from=\"a\",from=\"b\"", "multiple \"from\" clauses" },
		{ "permitopen=\"host\"", "invalid permitopen specification" },
		{ "permitopen=\"host:0\"", "invalid permitopen specification" },
		{ "permitopen=\":80\"", "invalid permitopen specification" },
		{ "permitopen=\"[::1:80\"",
		    "invalid permitopen specification" },
		{ "permitlisten=\"h:x\"",
		    "invalid permitlisten specification" },
		{ "expiry-time=\"2020\"", "invalid expires time" },
		{ "expiry-time=\"20201301\"", "invalid expires time" },
		{ "expiry-time=\"99999999999999999999\"",
		    "invalid expires time" },
		{ "tunnel=\"x\"", "invalid tun device" },
		{ "tunnel=\"99999999999\"", "invalid tun device" },
		{ "tunnel=\"1\",tunnel=\"2\"", "multiple \"tunnel\" clauses" },
		{ "principals=\"a\",principals=\"b\"",
		    "multiple \"principals\" clauses" },
	};
	struct authopts *o = NULL;
	const char *err;
	size_t i;

	TEST_START("authopts bad options");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err = NULL;
		if (authopts_parse(cases[i].opts, &o, NULL, &err) !=
		    ERR_INVALID_FORMAT)
			assert_failed(__FILE__, __LINE__, "\"%s\" accepted",
			    cases[i].opts);
		ASSERT_PTR_EQ(o, NULL);
		ASSERT_STRING_EQ(err, cases[i].err);
	}
	TEST_DONE();
}

static void
test_lines(void)
{
	struct authopts *o = NULL;
	struct key *k = NULL;
	char *comment = NULL, line[2048];
	const char *err;
	size_t i, n;

	TEST_START("authkeys_parse_line");
	snprintf(line, sizeof(line), "  %s  my key  ", t1);
	ASSERT_INT_EQ(authkeys_parse_line(line, &o, &k, &comment, &err), 0);
	ASSERT_INT_EQ(key_equal_public(k, k1), 1);
	ASSERT_STRING_EQ(comment, "my key");
	ASSERT_INT_EQ(o->permit_pty, 1);
	authopts_free(o);
	key_free(k);
	free(comment);
	snprintf(line, sizeof(line), "restrict,command=\"a b\" %s", t2);
	ASSERT_INT_EQ(authkeys_parse_line(line, &o, &k, NULL, &err), 0);
	ASSERT_INT_EQ(key_equal_public(k, k2), 1);
	ASSERT_STRING_EQ(o->force_command, "a b");
	authopts_free(o);
	key_free(k);
	ASSERT_INT_EQ(authkeys_parse_line("# comment", &o, &k, NULL, &err),
	    ERR_NOT_FOUND);
	ASSERT_INT_EQ(authkeys_parse_line("   ", &o, &k, NULL, &err),
	    ERR_NOT_FOUND);
	ASSERT_INT_NE(authkeys_parse_line("no-pty", &o, &k, NULL, &err), 0);
	ASSERT_STRING_EQ(err, "invalid key");
	ASSERT_INT_NE(authkeys_parse_line("no-pty ssh-ed25519 AAAA", &o, &k,
	    NULL, &err), 0);
	ASSERT_INT_NE(authkeys_parse_line("bogus ssh-ed25519 AAAA", &o, &k,
	    NULL, &err), 0);
	ASSERT_STRING_EQ(err, "unknown key option");
	ASSERT_PTR_EQ(o, NULL);
	ASSERT_PTR_EQ(k, NULL);
	TEST_DONE();

	TEST_START("authkeys truncated and damaged lines");
	n = (size_t)snprintf(line, sizeof(line), "from=\"*\",command=\"x\\\""
	    "\",no-pty,environment=\"A=b\" %s comment", t1);
	for (i = 0; i < n; i++) {
		char saved = line[i];

		line[i] = '\0';
		if (authkeys_parse_line(line, &o, &k, NULL, &err) == 0) {
			authopts_free(o);
			key_free(k);
		}
		line[i] = saved;
		/* A flipped byte at i. */
		line[i] ^= 0x55;
		if (authkeys_parse_line(line, &o, &k, NULL, &err) == 0) {
			authopts_free(o);
			key_free(k);
		}
		line[i] ^= 0x55;
	}
	ASSERT_INT_EQ(authkeys_parse_line(line, &o, &k, NULL, &err), 0);
	authopts_free(o);
	key_free(k);
	TEST_DONE();
}

static void
test_find(void)
{
	char path[] = "/tmp/authopts-test.XXXXXX";
	struct authopts *o = NULL;
	struct key *k3 = NULL;
	u_long line;
	FILE *f;
	int fd;

	TEST_START("authkeys_find_key");
	ASSERT_INT_GE(fd = mkstemp(path), 0);
	ASSERT_PTR_NE(f = fdopen(fd, "w"), NULL);
	fprintf(f, "# keys\n\nbroken line here\n"
	    "cert-authority %s ca\n"
	    "badopt %s\n"
	    "no-pty,command=\"x\" %s first\n"
	    "%s second\n"
	    "%s", t2, t1, t1, t1, t2);
	ASSERT_INT_EQ(fclose(f), 0);
	ASSERT_INT_EQ(authkeys_find_key(path, k1, 0, &o, &line), 0);
	ASSERT_INT_EQ(line, 6);
	ASSERT_STRING_EQ(o->force_command, "x");
	authopts_free(o);
	ASSERT_INT_EQ(authkeys_find_key(path, k2, 0, NULL, &line), 0);
	ASSERT_INT_EQ(line, 8);			/* no newline at the end */
	ASSERT_INT_EQ(authkeys_find_key(path, k2, 1, &o, &line), 0);
	ASSERT_INT_EQ(line, 4);
	ASSERT_INT_EQ(o->cert_authority, 1);
	authopts_free(o);
	ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &k3), 0);
	ASSERT_INT_EQ(authkeys_find_key(path, k3, 0, &o, &line),
	    ERR_KEY_NOT_FOUND);
	ASSERT_PTR_EQ(o, NULL);
	ASSERT_INT_EQ(authkeys_find_key(path, k1, 1, &o, &line),
	    ERR_KEY_NOT_FOUND);
	ASSERT_INT_GE(fd = open(path, O_RDONLY), 0);
	ASSERT_INT_EQ(authkeys_find_key_fd(fd, path, k1, 0, NULL, &line), 0);
	ASSERT_INT_EQ(line, 6);
	close(fd);
	ASSERT_INT_EQ(authkeys_find_key("/nonexistent/ak", k1, 0, &o, &line),
	    ERR_ERRNO);
	key_free(k3);
	unlink(path);
	TEST_DONE();
}

void
tests(void)
{
	log_init("test_authopts", LOG_LEVEL_QUIET, LOG_FACILITY_USER, 1);
	ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &k1), 0);
	ASSERT_INT_EQ(key_generate(KEY_ECDSA, 256, &k2), 0);
	ASSERT_INT_EQ(key_format_public(k1, &t1), 0);
	ASSERT_INT_EQ(key_format_public(k2, &t2), 0);
	test_options();
	test_bad_options();
	test_lines();
	test_find();
	key_free(k1);
	key_free(k2);
	free(t1);
	free(t2);
}
