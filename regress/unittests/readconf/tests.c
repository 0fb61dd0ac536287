/*
 * Unit tests of readconf*.c: ssh_config Host/Match blocks, first value
 * wins, Include, defaults and expansions, forward specs, -G output and
 * bad input.
 */
#include "includes.h"

#include <sys/stat.h>

#include "conf.h"
#include "errcode.h"
#include "log.h"
#include "readconf.h"
#include "../test_helper/test_helper.h"

static char allmsgs[8192];

static void
capture(LogLevel level, int forced, const char *msg, void *ctx)
{
	(void)level;
	(void)forced;
	(void)ctx;
	strlcat(allmsgs, msg, sizeof(allmsgs));
	strlcat(allmsgs, "\n", sizeof(allmsgs));
}

static int nexec;
static char lastexec[256];

/* Match exec: "yes..." succeeds, anything else fails. */
static int
fake_exec(const char *cmd, void *arg)
{
	(void)arg;
	nexec++;
	strlcpy(lastexec, cmd, sizeof(lastexec));
	return strncmp(cmd, "yes", 3) == 0;
}

static struct readconf_ctx ctx = {
	"alice", "/home/alice", 1000, "box", "box.example.org", NULL,
	fake_exec, NULL
};

static int
readstr(const char *config, const char *host, int flags, struct readconf **op)
{
	struct readconf *o;
	int r;

	allmsgs[0] = '\0';
	ASSERT_PTR_NE(o = readconf_new(), NULL);
	ctx.original_host = host;
	r = readconf_read_string(o, "cfg", config, host, &ctx, flags);
	*op = o;
	return r;
}

static struct readconf *
read_ok(const char *config, const char *host)
{
	struct readconf *o;

	ASSERT_INT_EQ(readstr(config, host, READCONF_USER, &o), 0);
	return o;
}

static void
finish(struct readconf *o)
{
	ASSERT_INT_EQ(readconf_finish(o, &ctx, 0), 0);
}

static char *
dump(const struct readconf *o)
{
	char *p = NULL;
	size_t len = 0;
	FILE *f;

	ASSERT_PTR_NE(f = open_memstream(&p, &len), NULL);
	ASSERT_INT_EQ(readconf_dump(o, f), 0);
	fclose(f);
	return p;
}

static void
test_blocks(void)
{
	struct readconf *o;
	char *d;

	TEST_START("readconf Host blocks and first value wins");
	o = read_ok("Port 1\n"
	    "Host other\n  User nobody\n  Port 9\n"
	    "Host web* !webtest\n  HostName web.example.com\n  User bob\n"
	    "  IdentityFile ~/.ssh/web\n  IdentityFile ~/.ssh/web\n"
	    "Host *\n  User carol\n  IdentityFile %d/id_%r\n"
	    "  SendEnv LANG LC_*\n  SendEnv -LC_*\n  SendEnv X\n"
	    "  LocalForward 8080 localhost:80\n"
	    "  LocalForward 8080 localhost:80\n", "web1");
	ASSERT_INT_EQ(o->port, 1);
	ASSERT_STRING_EQ(o->hostname, "web.example.com");
	ASSERT_STRING_EQ(o->user, "bob");
	ASSERT_INT_EQ(o->identity_files.n, 2);
	ASSERT_INT_EQ(o->send_env.n, 2);
	ASSERT_STRING_EQ(o->send_env.v[1], "X");
	ASSERT_INT_EQ(o->num_local_forwards, 1);
	finish(o);
	d = dump(o);
	ASSERT_PTR_NE(strstr(d, "host web1\nuser bob\n"
	    "hostname web.example.com\nport 1\n"), NULL);
	ASSERT_PTR_NE(strstr(d, "\nlocalforward 8080 [localhost]:80\n"), NULL);
	ASSERT_PTR_NE(strstr(d, "\nidentityfile %d/id_%r\n"), NULL);
	ASSERT_PTR_NE(strstr(d, "\nuserknownhostsfile /home/alice/.ssh/"
	    "known_hosts /home/alice/.ssh/known_hosts2\n"), NULL);
	free(d);
	readconf_free(o);

	o = read_ok("Host web* !webtest\n  User bob\n", "webtest");
	ASSERT_PTR_EQ(o->user, NULL);
	readconf_free(o);
	TEST_DONE();

	TEST_START("readconf Match criteria");
	nexec = 0;
	o = read_ok("HostName Real.Example.com\n"
	    "Match host real.example.com user bob\n  Port 2\n"
	    "Match host real.example.com\n  Port 3\n"
	    "Match originalhost alias localuser alice\n  User dave\n"
	    "Match !localuser alice\n  Compression yes\n"
	    "Match host nope exec \"yes %h\"\n  ConnectTimeout 5\n"
	    "Match exec \"yes %h %u %r %p\"\n  BatchMode yes\n"
	    "Match exec no\n  CheckHostIP yes\n"
	    "Match final\n  ForwardX11 yes\n"
	    "Match canonical all\n  ForwardAgent yes\n"
	    "Match all\n  HashKnownHosts yes\n", "alias");
	ASSERT_INT_EQ(o->port, 3);
	ASSERT_STRING_EQ(o->user, "dave");
	ASSERT_INT_EQ(o->compression, -1);
	ASSERT_INT_EQ(o->connect_timeout, -1);	/* exec not even run */
	ASSERT_INT_EQ(o->batch_mode, 1);
	ASSERT_INT_EQ(o->check_host_ip, -1);
	ASSERT_INT_EQ(nexec, 2);
	ASSERT_STRING_EQ(lastexec, "no");
	ASSERT_INT_EQ(o->forward_x11, -1);
	ASSERT_INT_EQ(o->forward_agent, -1);
	ASSERT_INT_EQ(o->hash_known_hosts, 1);
	ASSERT_INT_EQ(o->want_final_pass, 1);
	/* The final pass: Match final holds now. */
	ASSERT_INT_EQ(readconf_read_string(o, "cfg", "Match final\n"
	    "  ForwardX11 yes\n", "alias", &ctx, READCONF_FINAL), 0);
	ASSERT_INT_EQ(o->forward_x11, 1);
	readconf_free(o);
	TEST_DONE();
}

static void
test_finish(void)
{
	struct readconf *o;
	char *s = NULL, *d;

	TEST_START("readconf defaults and expansion");
	o = read_ok("HostName %h.example.com\nControlPath ~/.ssh/cm-%r@%h:%p\n"
	    "UserKnownHostsFile ~/kh %d/kh2\nUpdateHostKeys ask\n"
	    "RemoteCommand uptime\n", "Box");
	finish(o);
	ASSERT_STRING_EQ(o->hostname, "box.example.com");
	ASSERT_STRING_EQ(o->user, "alice");
	ASSERT_INT_EQ(o->port, 22);
	ASSERT_STRING_EQ(o->control_path,
	    "/home/alice/.ssh/cm-alice@box.example.com:22");
	ASSERT_STRING_EQ(o->user_known_hosts_files.v[0], "/home/alice/kh");
	ASSERT_STRING_EQ(o->user_known_hosts_files.v[1], "/home/alice/kh2");
	ASSERT_INT_EQ(o->update_hostkeys, RC_NO);	/* no terminal */
	ASSERT_INT_EQ(o->identity_files.n, 3);
	ASSERT_INT_EQ(o->strict_host_key_checking, RC_SHK_ASK);
	ASSERT_INT_EQ(o->escape_char, '~');
	ASSERT_INT_EQ(readconf_expand(o, &ctx, "%%-%u-%l-%L-%n-%i-%k", 0,
	    &s), 0);
	ASSERT_STRING_EQ(s, "%-alice-box.example.org-box-Box-1000-"
	    "box.example.com");
	free(s);
	ASSERT_INT_EQ(readconf_expand(o, &ctx, "%C", 0, &s), 0);
	ASSERT_SIZE_T_EQ(strlen(s), 40);
	free(s);
	ASSERT_INT_EQ(readconf_expand(o, &ctx, "%Q", 0, &s),
	    ERR_INVALID_FORMAT);
	ASSERT_PTR_EQ(s, NULL);
	d = dump(o);
	ASSERT_PTR_NE(strstr(d, "\nupdatehostkeys false\n"), NULL);
	ASSERT_PTR_NE(strstr(d, "\nescapechar ~\n"), NULL);
	free(d);
	readconf_free(o);

	o = read_ok("BatchMode yes\nEscapeChar ^]\nControlPersist 10m\n"
	    "AddKeysToAgent confirm 1h\nConnectTimeout none\n"
	    "ConnectTimeout 9\nProxyJump none\nProxyCommand nc %h %p\n"
	    "TunnelDevice 3:any\n", "h");
	finish(o);
	ASSERT_INT_EQ(o->server_alive_interval, 300);
	ASSERT_INT_EQ(o->escape_char, 0x1d);
	ASSERT_INT_EQ(o->control_persist_timeout, 600);
	ASSERT_INT_EQ(o->connect_timeout, 9);
	ASSERT_STRING_EQ(o->proxy_command, "nc %h %p");
	ASSERT_PTR_EQ(o->jump_spec, NULL);
	d = dump(o);
	ASSERT_PTR_NE(strstr(d, "\nescapechar \\^]\n"), NULL);
	ASSERT_PTR_NE(strstr(d, "\naddkeystoagent confirm 3600\n"), NULL);
	ASSERT_PTR_NE(strstr(d, "\ntunneldevice 3:any\n"), NULL);
	ASSERT_PTR_NE(strstr(d, "\nproxycommand nc %h %p\n"), NULL);
	free(d);
	readconf_free(o);
	TEST_DONE();
}

static void
test_forwards(void)
{
	static const struct {
		const char *spec;
		int dynamic, remote, ok;
		const char *lhost;
		int lport;
		const char *chost;
		int cport;
	} cases[] = {
		{ "8080 localhost:80", 0, 0, 1, NULL, 8080, "localhost", 80 },
		{ "127.0.0.1:8080 h:80", 0, 0, 1, "127.0.0.1", 8080, "h", 80 },
		{ "[::1]:8080 [::2]:80", 0, 0, 1, "::1", 8080, "::2", 80 },
		{ "*:8080 h:80", 0, 0, 1, "*", 8080, "h", 80 },
		{ "8080 /tmp/s", 0, 0, 1, NULL, 8080, NULL, 0 },
		{ "/tmp/l h:80", 0, 0, 1, NULL, 0, "h", 80 },
		{ "1080", 1, 0, 1, NULL, 1080, NULL, 0 },
		{ "localhost:1080", 1, 0, 1, "localhost", 1080, NULL, 0 },
		{ "0 h:80", 0, 1, 1, NULL, 0, "h", 80 },
		{ "1080", 1, 1, 1, NULL, 1080, NULL, 0 },
		{ "0 h:80", 0, 0, 0, NULL, 0, NULL, 0 },
		{ "80", 0, 0, 0, NULL, 0, NULL, 0 },
		{ "8080 h:0", 0, 0, 0, NULL, 0, NULL, 0 },
		{ "8080 h:x", 0, 0, 0, NULL, 0, NULL, 0 },
		{ "a:b:c", 1, 0, 0, NULL, 0, NULL, 0 },
		{ "[::1:8080 h:80", 0, 0, 0, NULL, 0, NULL, 0 },
		{ "1:2:3:4:5", 0, 0, 0, NULL, 0, NULL, 0 },
		{ "", 0, 0, 0, NULL, 0, NULL, 0 },
		{ "99999 h:80", 0, 0, 0, NULL, 0, NULL, 0 },
	};
	struct readconf_forward f;
	char *u, *h;
	size_t i;
	int port;

	TEST_START("readconf forward specifications");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = readconf_parse_forward(&f, cases[i].spec,
		    cases[i].dynamic, cases[i].remote);

		if (!cases[i].ok) {
			if (r != ERR_INVALID_FORMAT)
				assert_failed(__FILE__, __LINE__, "\"%s\" "
				    "accepted", cases[i].spec);
			continue;
		}
		ASSERT_INT_EQ(r, 0);
		if (cases[i].lhost == NULL)
			ASSERT_PTR_EQ(f.listen_host, NULL);
		else
			ASSERT_STRING_EQ(f.listen_host, cases[i].lhost);
		if (f.listen_port != cases[i].lport)
			assert_failed(__FILE__, __LINE__, "\"%s\": listen "
			    "port %d", cases[i].spec, f.listen_port);
		if (cases[i].chost == NULL)
			ASSERT_PTR_EQ(f.connect_host, NULL);
		else
			ASSERT_STRING_EQ(f.connect_host, cases[i].chost);
		ASSERT_INT_EQ(f.connect_port, cases[i].cport);
		readconf_forward_clear(&f);
	}
	TEST_DONE();

	TEST_START("readconf ProxyJump entries");
	ASSERT_INT_EQ(readconf_parse_jump("bob@jump:2222", &u, &h, &port), 0);
	ASSERT_STRING_EQ(u, "bob");
	ASSERT_STRING_EQ(h, "jump");
	ASSERT_INT_EQ(port, 2222);
	free(u);
	free(h);
	ASSERT_INT_EQ(readconf_parse_jump("ssh://[::1]", &u, &h, &port), 0);
	ASSERT_PTR_EQ(u, NULL);
	ASSERT_STRING_EQ(h, "::1");
	ASSERT_INT_EQ(port, -1);
	free(h);
	ASSERT_INT_EQ(readconf_parse_jump("a:b:c", &u, &h, &port),
	    ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(readconf_parse_jump("@h", &u, &h, &port),
	    ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(readconf_parse_jump("h:0", &u, &h, &port),
	    ERR_INVALID_FORMAT);
	ASSERT_PTR_EQ(h, NULL);
	TEST_DONE();
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f;

	ASSERT_PTR_NE(f = fopen(path, "w"), NULL);
	ASSERT_INT_EQ(fputs(text, f) >= 0, 1);
	ASSERT_INT_EQ(fclose(f), 0);
	ASSERT_INT_EQ(chmod(path, mode), 0);
}

static void
test_files(void)
{
	char dir[] = "/tmp/readconf-test.XXXXXX", path[256], inc[256];
	struct readconf *o;
	int r;

	TEST_START("readconf Include and permissions");
	ASSERT_PTR_NE(mkdtemp(dir), NULL);
	snprintf(inc, sizeof(inc), "%s/inc.conf", dir);
	write_file(inc, "Port 1234\nHost other\n  User nobody\n", 0644);
	snprintf(path, sizeof(path), "%s/config", dir);
	{
		char text[1024];

		snprintf(text, sizeof(text), "Host h\n  Include %s\n"
		    "  User ann\nHost x\n  Include %s\n  Compression yes\n",
		    inc, inc);
		write_file(path, text, 0644);
	}
	ASSERT_PTR_NE(o = readconf_new(), NULL);
	ASSERT_INT_EQ(readconf_read_file(o, path, "h", &ctx,
	    READCONF_USER | READCONF_CHECKPERM), 0);
	ASSERT_INT_EQ(o->port, 1234);
	ASSERT_STRING_EQ(o->user, "ann");	/* Host other ended */
	ASSERT_INT_EQ(o->compression, -1);
	readconf_free(o);
	/* Writable by others: refused (user config only). */
	ASSERT_INT_EQ(chmod(path, 0666), 0);
	ASSERT_PTR_NE(o = readconf_new(), NULL);
	r = readconf_read_file(o, path, "h", &ctx,
	    READCONF_USER | READCONF_CHECKPERM);
	ASSERT_INT_EQ(r, ERR_KEY_BAD_PERMISSIONS);
	ASSERT_INT_EQ(readconf_read_file(o, path, "h", &ctx, READCONF_USER),
	    0);
	readconf_free(o);
	ASSERT_PTR_NE(o = readconf_new(), NULL);
	ASSERT_INT_EQ(readconf_read_file(o, "/nonexistent/config", "h",
	    &ctx, 0), ERR_ERRNO);
	ASSERT_INT_EQ(errno, ENOENT);
	readconf_free(o);
	TEST_DONE();

	TEST_START("readconf Include loops stop");
	{
		char text[1024];

		/* Two includes per level: the depth cap bounds the work. */
		snprintf(text, sizeof(text), "Include %s\n", inc);
		write_file(path, text, 0644);
		snprintf(text, sizeof(text), "Include %s %s\n", inc, inc);
		write_file(inc, text, 0644);
	}
	allmsgs[0] = '\0';
	ASSERT_PTR_NE(o = readconf_new(), NULL);
	ASSERT_INT_EQ(readconf_read_file(o, path, "h", &ctx, 0),
	    ERR_CONFIG_INVALID);
	ASSERT_PTR_NE(strstr(allmsgs, "Too many recursive configuration "
	    "includes"), NULL);
	readconf_free(o);
	TEST_DONE();
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	ASSERT_INT_EQ(system(path), 0);
}

static void
test_bad(void)
{
	static const struct {
		const char *cfg, *msg;
	} cases[] = {
		{ "Foo bar", "Bad configuration option: foo" },
		{ "Port", "no argument after keyword \"port\"" },
		{ "Port 0", "Bad port '0'." },
		{ "Port 1 2", "keyword port extra arguments" },
		{ "BatchMode maybe", "unsupported option \"maybe\"." },
		{ "ConnectTimeout x", "invalid time value." },
		{ "ConnectionAttempts 99999999999",
		    "integer value too large." },
		{ "ConnectionAttempts x", "integer value invalid." },
		{ "Ciphers foo", "Bad SSH2 cipher spec 'foo'." },
		{ "MACs foo", "Bad SSH2 MAC spec 'foo'." },
		{ "LogLevel foo", "unsupported log level 'foo'" },
		{ "EscapeChar xy", "Bad escape character." },
		{ "RekeyLimit 1", "RekeyLimit too small" },
		{ "LocalForward 80", "Missing target argument." },
		{ "LocalForward x y", "Bad forwarding specification." },
		{ "DynamicForward a:b:c", "Bad forwarding specification." },
		{ "Match", "no argument after keyword \"match\"" },
		{ "Match foo", "Missing Match criteria for foo" },
		{ "Match foo bar", "Unsupported Match attribute foo" },
		{ "Match all host x", "'all' cannot be combined" },
		{ "Host", "no argument after keyword \"host\"" },
		{ "SendEnv A=B", "Invalid environment name." },
		{ "SetEnv A", "Invalid SetEnv." },
		{ "ControlPersist x", "Bad ControlPersist argument." },
		{ "TunnelDevice x", "Bad tun device." },
		{ "IPQoS foo", "Bad IPQoS value: foo" },
		{ "ProxyJump a:b:c", "Invalid ProxyJump \"a:b:c\"" },
		{ "User a b", "keyword user extra arguments" },
		{ "StreamLocalBindMask 999", "Bad mask." },
		{ "Include ~/x", "bad include path" },
		{ "User \"unterminated", "invalid quotes" },
		{ "PermitRemoteOpen host", "Invalid" },
		{ "FingerprintHash sha1", "Invalid hash algorithm" },
		{ "AddKeysToAgent maybe 1", "extra arguments" },
	};
	struct readconf *o;
	size_t i;

	TEST_START("readconf bad values");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* The system file (no READCONF_USER): "~" is refused. */
		ASSERT_INT_EQ(readstr(cases[i].cfg, "h", 0, &o),
		    ERR_CONFIG_INVALID);
		if (strstr(allmsgs, cases[i].msg) == NULL)
			assert_failed(__FILE__, __LINE__, "\"%s\": messages "
			    "\"%s\" lack \"%s\"", cases[i].cfg, allmsgs,
			    cases[i].msg);
		readconf_free(o);
	}
	TEST_DONE();

	TEST_START("readconf counts bad lines, skips ignored ones");
	ASSERT_INT_EQ(readstr("Foo 1\nPort x\nPort 5\n", "h", 0, &o),
	    ERR_CONFIG_INVALID);
	ASSERT_PTR_NE(strstr(allmsgs, "terminating, 2 bad configuration "
	    "options"), NULL);
	ASSERT_INT_EQ(o->port, 5);	/* later lines were still read */
	readconf_free(o);
	ASSERT_INT_EQ(readstr("IgnoreUnknown Foo*,Bar\nFooBaz 1\nBar 2\n"
	    "UseRoaming no\nProtocol 2\nRSAAuthentication yes\n", "h", 0, &o),
	    0);
	readconf_free(o);
	TEST_DONE();

	TEST_START("readconf -o refuses Host, Match and Include");
	ASSERT_PTR_NE(o = readconf_new(), NULL);
	ASSERT_INT_EQ(readconf_process_option(o, "Host x", "h", &ctx),
	    ERR_CONFIG_INVALID);
	ASSERT_INT_EQ(readconf_process_option(o, "Match all", "h", &ctx),
	    ERR_CONFIG_INVALID);
	ASSERT_INT_EQ(readconf_process_option(o, "Include /x", "h", &ctx),
	    ERR_CONFIG_INVALID);
	ASSERT_INT_EQ(readconf_process_option(o, "Port=2", "h", &ctx), 0);
	ASSERT_INT_EQ(o->port, 2);
	readconf_free(o);
	TEST_DONE();

	TEST_START("readconf oversize lines");
	{
		char *big;

		ASSERT_PTR_NE(big = malloc(CONF_LINE_MAX + 2), NULL);
		memset(big, 'x', CONF_LINE_MAX + 1);
		big[CONF_LINE_MAX + 1] = '\0';
		ASSERT_INT_EQ(readstr(big, "h", 0, &o),
		    ERR_STRING_TOO_LARGE);
		readconf_free(o);
		free(big);
	}
	TEST_DONE();
}

void
tests(void)
{
	log_init("test_readconf", LOG_LEVEL_DEBUG3, LOG_FACILITY_USER, 1);
	log_set_handler(capture, NULL);
	test_blocks();
	test_finish();
	test_forwards();
	test_files();
	test_bad();
}
