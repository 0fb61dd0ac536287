/*
 * Unit tests of servconf*.c: sshd_config parsing, precedence, Match,
 * Include, -T output, the text hand-over, and bad input of every kind.
 */
#include "includes.h"

#include <sys/stat.h>

#include "buf.h"
#include "conf.h"
#include "errcode.h"
#include "log.h"
#include "servconf.h"
#include "../test_helper/test_helper.h"

/* What was logged, to check what a failure says. */
static char lastmsg[1024], allmsgs[8192];
static int nmsgs;

static void
capture(LogLevel level, int forced, const char *msg, void *ctx)
{
	(void)level;
	(void)forced;
	(void)ctx;
	strlcpy(lastmsg, msg, sizeof(lastmsg));
	strlcat(allmsgs, msg, sizeof(allmsgs));
	strlcat(allmsgs, "\n", sizeof(allmsgs));
	nmsgs++;
}

static void
clear_msgs(void)
{
	lastmsg[0] = allmsgs[0] = '\0';
	nmsgs = 0;
}

/* Evaluate config (with -o opts, NULL-terminated) for conn spec. */
static int
eval(const char *config, const char *const *opts, const char *spec,
    struct servconf **op)
{
	struct servconf_text *t = NULL;
	struct servconf_conn *c = NULL;
	int r;

	*op = NULL;
	clear_msgs();
	if ((r = servconf_text_from_string("cfg", config, "/nonexistent",
	    &t)) != 0)
		return r;
	for (; opts != NULL && *opts != NULL; opts++)
		ASSERT_INT_EQ(servconf_text_add_option(t, *opts), 0);
	if (spec != NULL)
		ASSERT_INT_EQ(servconf_conn_parse(spec, &c), 0);
	r = servconf_evaluate(t, c, op);
	servconf_conn_free(c);
	servconf_text_free(t);
	return r;
}

static struct servconf *
eval_ok(const char *config, const char *spec)
{
	struct servconf *o = NULL;

	ASSERT_INT_EQ(eval(config, NULL, spec, &o), 0);
	ASSERT_PTR_NE(o, NULL);
	return o;
}

static void
expect_bad(const char *config, const char *msg_part)
{
	struct servconf *o = NULL;

	ASSERT_INT_EQ(eval(config, NULL, NULL, &o), ERR_CONFIG_INVALID);
	ASSERT_PTR_EQ(o, NULL);
	if (msg_part != NULL && strstr(allmsgs, msg_part) == NULL)
		assert_failed(__FILE__, __LINE__, "config \"%s\": messages "
		    "\"%s\" lack \"%s\"", config, allmsgs, msg_part);
}

/* The -T output as a string (for a few whole-output checks). */
static char *
dump(const struct servconf *o)
{
	char *p = NULL;
	size_t len = 0;
	FILE *f;

	ASSERT_PTR_NE(f = open_memstream(&p, &len), NULL);
	ASSERT_INT_EQ(servconf_dump(o, f), 0);
	fclose(f);
	return p;
}

static void
test_defaults(void)
{
	struct servconf *o;
	char *d;

	TEST_START("servconf defaults");
	o = eval_ok("", NULL);
	ASSERT_INT_EQ(o->num_ports, 1);
	ASSERT_INT_EQ(o->ports[0], 22);
	ASSERT_INT_EQ(o->max_authtries, 6);
	ASSERT_INT_EQ(o->max_sessions, 10);
	ASSERT_INT_EQ(o->login_grace_time, 120);
	ASSERT_INT_EQ(o->permit_root_login, SC_PERMIT_NO_PASSWD);
	ASSERT_INT_EQ(o->pubkey_authentication, 1);
	ASSERT_INT_EQ(o->strict_modes, 1);
	ASSERT_INT_EQ(o->max_startups_begin, 10);
	ASSERT_INT_EQ(o->max_startups_rate, 30);
	ASSERT_INT_EQ(o->max_startups, 100);
	ASSERT_INT_EQ(o->log_level, LOG_LEVEL_INFO);
	ASSERT_INT_EQ(o->log_facility, LOG_FACILITY_AUTH);
	ASSERT_INT_EQ(o->authorized_keys_files.n, 2);
	ASSERT_STRING_EQ(o->authorized_keys_files.v[0],
	    ".ssh/authorized_keys");
	ASSERT_INT_EQ(o->host_key_files.n, 3);
	ASSERT_PTR_EQ(o->banner, NULL);
	ASSERT_PTR_NE(o->ciphers, NULL);
	d = dump(o);
	ASSERT_PTR_NE(strstr(d, "\nmaxstartups 10:30:100\n"), NULL);
	ASSERT_PTR_NE(strstr(d, "\npermitrootlogin without-password\n"), NULL);
	ASSERT_PTR_NE(strstr(d, "\nbanner none\n"), NULL);
	ASSERT_PTR_NE(strstr(d, "\nauthenticationmethods any\n"), NULL);
	free(d);
	servconf_free(o);
	TEST_DONE();
}

static void
test_values(void)
{
	struct servconf *o;
	char *d;

	TEST_START("servconf values");
	o = eval_ok(
	    "Port 2222\nPort=2223\n  ListenAddress 127.0.0.1:2200\n"
	    "ListenAddress ::1\nAddressFamily any\nHostKey /k1\n"
	    "HostKey /k2\nPidFile /run/x.pid\nLogLevel debug3\n"
	    "SyslogFacility LOCAL3\nLoginGraceTime 1m30s\n"
	    "MaxAuthTries 3\nMaxSessions 4\nMaxStartups 5:20:40\n"
	    "PermitRootLogin forced-commands-only\n"
	    "PasswordAuthentication no\nPermitEmptyPasswords yes\n"
	    "AuthorizedKeysFile .ssh/ak \"%h/with space\" /etc/%u\n"
	    "StrictModes no\nPermitUserEnvironment LANG,LC_*\n"
	    "AcceptEnv LANG LC_*\nAcceptEnv X\nPrintMotd no\n"
	    "PrintLastLog no\nBanner /etc/issue.net\n"
	    "Subsystem sftp /usr/lib/sftp-server -l INFO\n"
	    "Ciphers aes128-ctr\nMACs hmac-sha1\n"
	    "KexAlgorithms +diffie-hellman-group14-sha256\n"
	    "RekeyLimit 1G 1h\nCompression no\nClientAliveInterval 15\n"
	    "ClientAliveCountMax 5\nTCPKeepAlive no\nUseDNS yes\n"
	    "PermitTTY no\nUsePAM yes\nX11Forwarding yes\n"
	    "AllowTcpForwarding local\nGatewayPorts clientspecified\n"
	    "PermitTunnel ethernet\nChrootDirectory none\n"
	    "ForceCommand echo \"a  b\"\nAllowUsers a b@10.0.0.0/8\n"
	    "SetEnv A=1 B=\"x y\" A=2\nPermitListen 8080\n"
	    "IPQoS af11\nStreamLocalBindMask 077\nDebianBanner no\n"
	    "PerSourcePenalties authfail:5\n", NULL);
	ASSERT_INT_EQ(o->num_ports, 2);
	ASSERT_INT_EQ(o->ports[1], 2223);
	ASSERT_INT_EQ(o->num_listen, 2);
	ASSERT_STRING_EQ(o->listen[0].host, "127.0.0.1");
	ASSERT_INT_EQ(o->listen[0].port, 2200);
	ASSERT_STRING_EQ(o->listen[1].host, "::1");
	ASSERT_INT_EQ(o->listen[1].port, -1);
	ASSERT_INT_EQ(o->host_key_files.n, 2);
	ASSERT_INT_EQ(o->log_level, LOG_LEVEL_DEBUG3);
	ASSERT_INT_EQ(o->log_facility, LOG_FACILITY_LOCAL3);
	ASSERT_INT_EQ(o->login_grace_time, 90);
	ASSERT_INT_EQ(o->max_startups_begin, 5);
	ASSERT_INT_EQ(o->max_startups_rate, 20);
	ASSERT_INT_EQ(o->max_startups, 40);
	ASSERT_INT_EQ(o->permit_root_login, SC_PERMIT_FORCED_ONLY);
	ASSERT_INT_EQ(o->password_authentication, 0);
	ASSERT_INT_EQ(o->authorized_keys_files.n, 3);
	ASSERT_STRING_EQ(o->authorized_keys_files.v[1], "%h/with space");
	ASSERT_INT_EQ(o->permit_user_env, 1);
	ASSERT_STRING_EQ(o->permit_user_env_allowlist, "LANG,LC_*");
	ASSERT_INT_EQ(o->accept_env.n, 3);
	ASSERT_STRING_EQ(servconf_subsystem(o, "sftp"),
	    "/usr/lib/sftp-server -l INFO");
	ASSERT_PTR_EQ(servconf_subsystem(o, "nope"), NULL);
	ASSERT_STRING_EQ(o->ciphers, "aes128-ctr");
	ASSERT_PTR_NE(strstr(o->kex_algorithms, "curve25519-sha256"), NULL);
	ASSERT_U64_EQ(o->rekey_limit, 1ULL << 30);
	ASSERT_INT_EQ(o->rekey_interval, 3600);
	ASSERT_INT_EQ(o->compression, SC_COMP_NO);
	ASSERT_INT_EQ(o->allow_tcp_forwarding, SC_FWD_LOCAL);
	ASSERT_INT_EQ(o->gateway_ports, SC_GW_CLIENTSPECIFIED);
	ASSERT_INT_EQ(o->permit_tun, SC_TUN_ETHERNET);
	ASSERT_PTR_EQ(o->chroot_directory, NULL);
	ASSERT_STRING_EQ(o->force_command, "echo \"a  b\"");
	ASSERT_INT_EQ(o->allow_users.n, 2);
	ASSERT_INT_EQ(o->set_env.n, 2);		/* A=2 dropped */
	ASSERT_STRING_EQ(o->set_env.v[1], "B=x y");
	ASSERT_STRING_EQ(o->permit_listen.v[0], "*:8080");
	ASSERT_INT_EQ(o->ip_qos_interactive, 0x28);
	ASSERT_INT_EQ(o->ip_qos_bulk, 0x28);
	ASSERT_INT_EQ(o->streamlocal_bind_mask, 077);
	ASSERT_INT_EQ(o->debian_banner, 0);
	ASSERT_STRING_EQ(o->per_source_penalties, "authfail:5");
	d = dump(o);
	ASSERT_PTR_NE(strstr(d, "\nlistenaddress 127.0.0.1:2200\n"), NULL);
	ASSERT_PTR_NE(strstr(d, "\nlistenaddress [::1]:2222\n"), NULL);
	ASSERT_PTR_NE(strstr(d, "\nloglevel DEBUG3\n"), NULL);
	ASSERT_PTR_NE(strstr(d, "\nacceptenv LC_*\n"), NULL);
	ASSERT_PTR_NE(strstr(d, "\nsetenv B=x y\n"), NULL);
	ASSERT_PTR_NE(strstr(d, "\nstreamlocalbindmask 077\n"), NULL);
	ASSERT_PTR_NE(strstr(d, "\nrekeylimit 1073741824 3600\n"), NULL);
	ASSERT_PTR_NE(strstr(d, "\nipqos af11 af11\n"), NULL);
	free(d);
	servconf_free(o);
	TEST_DONE();
}

static void
test_precedence(void)
{
	static const char *const opts[] = { "MaxAuthTries=9",
	    "AcceptEnv Z", NULL };
	struct servconf *o = NULL;

	TEST_START("servconf first value wins, lists accumulate");
	o = eval_ok("MaxAuthTries 3\nMaxAuthTries 4\nBanner /a\nBanner /b\n"
	    "AllowUsers a\nAllowUsers b\nAuthorizedKeysFile /x\n"
	    "AuthorizedKeysFile /y /z\nMaxStartups 1:2:3\n"
	    "MaxStartups 4:5:6\nIPQoS af11\nIPQoS af12\n", NULL);
	ASSERT_INT_EQ(o->max_authtries, 3);
	ASSERT_STRING_EQ(o->banner, "/a");
	ASSERT_INT_EQ(o->allow_users.n, 2);
	ASSERT_INT_EQ(o->authorized_keys_files.n, 1);
	/* OpenSSH lets the last MaxStartups and IPQoS win. */
	ASSERT_INT_EQ(o->max_startups, 6);
	ASSERT_INT_EQ(o->ip_qos_interactive, 0x30);
	servconf_free(o);
	TEST_DONE();

	TEST_START("servconf -o before the file, Match over both");
	ASSERT_INT_EQ(eval("MaxAuthTries 4\nAcceptEnv A\nMatch User bob\n"
	    "  MaxAuthTries 2\n", opts, "user=alice", &o), 0);
	ASSERT_INT_EQ(o->max_authtries, 9);
	ASSERT_INT_EQ(o->accept_env.n, 2);
	ASSERT_STRING_EQ(o->accept_env.v[0], "Z");
	servconf_free(o);
	ASSERT_INT_EQ(eval("MaxAuthTries 4\nMatch User bob\n"
	    "  MaxAuthTries 2\n", opts, "user=bob", &o), 0);
	ASSERT_INT_EQ(o->max_authtries, 2);
	servconf_free(o);
	TEST_DONE();

	TEST_START("servconf -p ports replace the file's");
	{
		struct servconf_text *t = NULL;

		ASSERT_INT_EQ(servconf_text_from_string("cfg",
		    "Port 22\nPort 23\n", NULL, &t), 0);
		ASSERT_INT_EQ(servconf_text_add_port(t, 2222), 0);
		ASSERT_INT_EQ(servconf_text_add_port(t, 0),
		    ERR_INVALID_ARGUMENT);
		ASSERT_INT_EQ(servconf_evaluate(t, NULL, &o), 0);
		ASSERT_INT_EQ(o->num_ports, 1);
		ASSERT_INT_EQ(o->ports[0], 2222);
		servconf_free(o);
		servconf_text_free(t);
	}
	TEST_DONE();
}

static const char match_cfg[] =
    "Banner /global\n"
    "Match User bob,carol\n"
    "  Banner /bob\n"
    "  AcceptEnv B\n"
    "  MaxAuthTries 2\n"
    "Match User carol\n"
    "  Banner /carol\n"
    "  PermitTTY no\n"
    "Match Address 10.0.0.0/8,!10.9.0.0/16 Host *.example.com\n"
    "  X11Forwarding yes\n"
    "Match LocalAddress 127.0.0.1 LocalPort 2222\n"
    "  AllowTcpForwarding no\n"
    "Match Group root\n"
    "  MaxSessions 7\n"
    "Match RDomain r*\n"
    "  PermitTunnel yes\n"
    "Match all\n"
    "  PermitRootLogin no\n";

static void
test_match(void)
{
	struct servconf *o;

	TEST_START("servconf Match evaluation");
	o = eval_ok(match_cfg, NULL);
	ASSERT_STRING_EQ(o->banner, "/global");
	ASSERT_INT_EQ(o->permit_root_login, SC_PERMIT_NO);	/* all */
	ASSERT_INT_EQ(o->max_authtries, 6);
	servconf_free(o);
	o = eval_ok(match_cfg, "user=carol,addr=1.2.3.4,lport=22");
	ASSERT_STRING_EQ(o->banner, "/bob");	/* first match wins */
	ASSERT_INT_EQ(o->permit_tty, 0);
	ASSERT_INT_EQ(o->accept_env.n, 1);
	ASSERT_INT_EQ(o->max_authtries, 2);
	ASSERT_INT_EQ(o->x11_forwarding, 0);
	servconf_free(o);
	o = eval_ok(match_cfg, "user=x,addr=10.1.2.3,host=a.example.com,"
	    "laddr=127.0.0.1,lport=2222,rdomain=red");
	ASSERT_INT_EQ(o->x11_forwarding, 1);
	ASSERT_INT_EQ(o->allow_tcp_forwarding, SC_FWD_NONE);
	ASSERT_INT_EQ(o->permit_tun, SC_TUN_YES);
	ASSERT_STRING_EQ(o->banner, "/global");
	servconf_free(o);
	o = eval_ok(match_cfg, "user=x,addr=10.9.2.3,host=a.example.com,"
	    "lport=1");
	ASSERT_INT_EQ(o->x11_forwarding, 0);	/* negated address */
	servconf_free(o);
	o = eval_ok(match_cfg, "user=root,lport=22");
	ASSERT_INT_EQ(o->max_sessions, 7);
	servconf_free(o);
	TEST_DONE();

	TEST_START("servconf Match: unknown LocalPort is an error");
	{
		struct servconf *p = NULL;

		ASSERT_INT_EQ(eval(match_cfg, NULL, "user=x", &p),
		    ERR_CONFIG_INVALID);
		ASSERT_PTR_NE(strstr(lastmsg, "'lport' not in connection"),
		    NULL);
	}
	TEST_DONE();

	TEST_START("servconf Match all ends the Match section");
	o = eval_ok("Match User x\n  MaxSessions 2\nMatch all\n"
	    "PidFile /x\n", NULL);
	ASSERT_STRING_EQ(o->pid_file, "/x");
	servconf_free(o);
	TEST_DONE();
}

static void
write_file(const char *path, const char *text)
{
	FILE *f;

	ASSERT_PTR_NE(f = fopen(path, "w"), NULL);
	ASSERT_INT_EQ(fputs(text, f) >= 0, 1);
	ASSERT_INT_EQ(fclose(f), 0);
}

static void
test_include(void)
{
	char dir[] = "/tmp/servconf-test.XXXXXX", path[256], main_[256];
	struct servconf_text *t = NULL, *t2 = NULL;
	struct servconf *o = NULL, *o2 = NULL;
	struct buf *b;
	char *d1, *d2;
	size_t i, len;

	TEST_START("servconf Include");
	ASSERT_PTR_NE(mkdtemp(dir), NULL);
	snprintf(path, sizeof(path), "%s/conf.d", dir);
	ASSERT_INT_EQ(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/conf.d/20-b.conf", dir);
	write_file(path, "MaxSessions 20\nMatch User bob\n  Banner /inc\n");
	snprintf(path, sizeof(path), "%s/conf.d/10-a.conf", dir);
	write_file(path, "MaxSessions 10\nMaxAuthTries 1\n");
	snprintf(main_, sizeof(main_), "%s/sshd_config", dir);
	/* Relative names are under confdir; blocks end with their file. */
	write_file(main_, "Include conf.d/*.conf nothere/*.conf\n"
	    "PermitTTY no\nMatch User carol\n  Include conf.d/20-b.conf\n"
	    "  AcceptEnv C\n");
	ASSERT_INT_EQ(servconf_text_load(main_, dir, &t), 0);
	ASSERT_INT_EQ(servconf_evaluate(t, NULL, &o), 0);
	ASSERT_INT_EQ(o->max_sessions, 10);	/* 10-a first */
	ASSERT_INT_EQ(o->max_authtries, 1);
	ASSERT_INT_EQ(o->permit_tty, 0);	/* after the include */
	servconf_free(o);
	{
		struct servconf_conn *c = NULL;

		ASSERT_INT_EQ(servconf_conn_parse("user=bob", &c), 0);
		ASSERT_INT_EQ(servconf_evaluate(t, c, &o), 0);
		ASSERT_STRING_EQ(o->banner, "/inc");
		ASSERT_INT_EQ(o->accept_env.n, 0);
		servconf_free(o);
		servconf_conn_free(c);
		ASSERT_INT_EQ(servconf_conn_parse("user=carol", &c), 0);
		ASSERT_INT_EQ(servconf_evaluate(t, c, &o), 0);
		ASSERT_STRING_EQ(o->accept_env.v[0], "C");
		servconf_conn_free(c);
	}
	TEST_DONE();

	TEST_START("servconf text hand-over");
	ASSERT_INT_EQ(servconf_text_add_option(t, "Port 2022"), 0);
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(servconf_text_serialise(t, b), 0);
	len = buf_len(b);
	/* Truncated at every offset: an error, never a crash. */
	for (i = 0; i < len; i++) {
		struct buf *c = buf_from(buf_ptr(b), i);

		ASSERT_INT_NE(servconf_text_deserialise(c, &t2), 0);
		ASSERT_PTR_EQ(t2, NULL);
		buf_free(c);
	}
	ASSERT_INT_EQ(buf_put_u8(b, 0), 0);
	ASSERT_INT_EQ(servconf_text_deserialise(b, &t2),
	    ERR_UNEXPECTED_TRAILING_DATA);
	buf_reset(b);
	ASSERT_INT_EQ(servconf_text_serialise(t, b), 0);
	ASSERT_INT_EQ(servconf_text_deserialise(b, &t2), 0);
	ASSERT_INT_EQ(servconf_evaluate(t2, NULL, &o2), 0);
	servconf_free(o);
	ASSERT_INT_EQ(servconf_evaluate(t, NULL, &o), 0);
	d1 = dump(o);
	d2 = dump(o2);
	ASSERT_STRING_EQ(d1, d2);
	ASSERT_PTR_NE(strstr(d1, "port 2022\n"), NULL);
	free(d1);
	free(d2);
	servconf_free(o);
	servconf_free(o2);
	servconf_text_free(t2);
	buf_free(b);
	TEST_DONE();

	TEST_START("servconf Include loops stop");
	snprintf(path, sizeof(path), "%s/loop.conf", dir);
	write_file(path, "Include loop.conf\n");
	servconf_text_free(t);
	t = NULL;
	clear_msgs();
	ASSERT_INT_EQ(servconf_text_load(path, dir, &t), ERR_CONFIG_INVALID);
	ASSERT_STRING_EQ(lastmsg, "Too many recursive configuration includes");
	/* Two includes per level would be 2^16 loads without the cap. */
	write_file(path, "Include loop.conf loop.conf\n");
	ASSERT_INT_EQ(servconf_text_load(path, dir, &t), ERR_CONFIG_INVALID);
	ASSERT_PTR_EQ(t, NULL);
	ASSERT_INT_EQ(servconf_text_load("/nonexistent/x", dir, &t),
	    ERR_ERRNO);
	/* Devices are no config files to include (nor to hang on). */
	write_file(path, "Include /dev/null /dev/zero\nMaxSessions 3\n");
	ASSERT_INT_EQ(servconf_text_load(path, dir, &t), 0);
	ASSERT_INT_EQ(servconf_evaluate(t, NULL, &o), 0);
	ASSERT_INT_EQ(o->max_sessions, 3);
	servconf_free(o);
	servconf_text_free(t);
	t = NULL;
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
		{ "Foo bar", "Bad configuration option: Foo" },
		{ "Port", "no argument after keyword \"Port\"" },
		{ "Port 0", "Badly formatted port number." },
		{ "Port 65536", "Badly formatted port number." },
		{ "Port 22 23", "extra arguments at end of line" },
		{ "MaxAuthTries 99999999999999999999",
		    "integer value too large" },
		{ "MaxAuthTries -1", "integer value too small" },
		{ "MaxAuthTries x", "integer value invalid" },
		{ "LoginGraceTime 1x", "invalid time value." },
		{ "LoginGraceTime 99999999999w", "invalid time value." },
		{ "PermitRootLogin maybe", "unsupported option \"maybe\"." },
		{ "AddressFamily inet4", "unsupported option" },
		{ "LogLevel LOUD", "unsupported log level 'LOUD'" },
		{ "SyslogFacility NONE", "unsupported log facility" },
		{ "MaxStartups 10:30", "Invalid MaxStartups spec." },
		{ "MaxStartups 30:30:10", "Invalid MaxStartups spec." },
		{ "MaxStartups 1:101:2", "Invalid MaxStartups spec." },
		{ "PerSourceNetBlockSize 33", "Invalid PerSourceNetBlockSize" },
		{ "RekeyLimit 8", "RekeyLimit too small" },
		{ "RekeyLimit 1G x", "invalid time value." },
		{ "RekeyLimit 99999999999999999999", "Bad RekeyLimit number" },
		{ "Ciphers rot13", "Bad SSH2 cipher spec 'rot13'." },
		{ "MACs none", "Bad SSH2 mac spec" },
		{ "KexAlgorithms -*", "Bad SSH2 KexAlgorithms" },
		{ "HostKeyAlgorithms ssh-dss", "Bad key types" },
		{ "Subsystem sftp", "Missing subsystem command." },
		{ "Subsystem a /a\nSubsystem a /b",
		    "Subsystem 'a' already defined." },
		{ "SetEnv NOEQUALS", "Invalid environment." },
		{ "AcceptEnv A=B", "Invalid environment name." },
		{ "ListenAddress [::1", "bad address:port usage" },
		{ "ListenAddress 1.2.3.4:x", "bad port number" },
		{ "ListenAddress 1.2.3.4 vrf x", "bad ListenAddress syntax" },
		{ "StreamLocalBindMask 8", "Invalid StreamLocalBindMask." },
		{ "StreamLocalBindMask 01777", "Invalid StreamLocalBindMask." },
		{ "FingerprintHash sha1", "Invalid hash algorithm" },
		{ "PubkeyAuthOptions touchy", "unsupported" },
		{ "IPQoS af99", "Bad IPQoS value: af99" },
		{ "IPQoS 256", "Bad IPQoS value" },
		{ "IPQoS a b c", "extra arguments" },
		{ "PermitOpen host", "PermitOpen bad port number" },
		{ "PermitOpen any none", "extra arguments" },
		{ "PermitListen h:x", "PermitListen bad port number" },
		{ "AllowUsers a@10.0.0.0/99", "invalid AllowUsers pattern" },
		{ "ChannelTimeout session", "invalid channel timeout" },
		{ "AuthenticationMethods any publickey", "must appear alone" },
		{ "AuthenticationMethods publickey,telepathy",
		    "invalid authentication method list." },
		{ "PubkeyAuthentication no\nAuthenticationMethods publickey",
		    "cannot be satisfied" },
		{ "AuthorizedKeysCommand /bin/x",
		    "without AuthorizedKeysCommandUser" },
		{ "Banner \"/etc/issue", "invalid quotes" },
		{ "Match", "no argument after keyword \"Match\"" },
		{ "Match User", "Bad Match condition" },
		{ "Match Colour blue", "Bad Match condition" },
		{ "Match all User x", "Bad Match condition" },
		{ "Match Address 10.0.0.0/40", "Invalid Match address" },
		{ "Match LocalPort x", "Bad Match condition" },
		{ "Match User x\nPort 22", "not allowed within a Match block" },
		{ "Match User x\nHostKey /k",
		    "not allowed within a Match block" },
		{ "Include", "no argument after keyword" },
	};
	char *big;
	size_t i;

	TEST_START("servconf bad values");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_bad(cases[i].cfg, cases[i].msg);
	TEST_DONE();

	TEST_START("servconf bad lines are counted, then refused");
	expect_bad("Foo 1\nBar 2\nMaxSessions 3\n",
	    "terminating, 2 bad configuration options");
	TEST_DONE();

	TEST_START("servconf oversize and binary input");
	ASSERT_PTR_NE(big = malloc(CONF_LINE_MAX + 16), NULL);
	memset(big, 'a', CONF_LINE_MAX + 15);
	memcpy(big, "Banner /", 8);
	big[CONF_LINE_MAX + 15] = '\0';
	{
		struct servconf_text *t = NULL;

		ASSERT_INT_EQ(servconf_text_from_string("cfg", big, NULL, &t),
		    ERR_STRING_TOO_LARGE);
		/* Just below the cap is fine. */
		big[CONF_LINE_MAX] = '\0';
		ASSERT_INT_EQ(servconf_text_from_string("cfg", big, NULL, &t),
		    0);
		servconf_text_free(t);
		ASSERT_INT_EQ(servconf_text_add_option(NULL, "x"),
		    ERR_INVALID_ARGUMENT);
	}
	free(big);
	TEST_DONE();

	TEST_START("servconf -o refuses Match and Include");
	{
		static const char *const m[] = { "Match all", NULL };
		static const char *const inc[] = { "Include /etc/x", NULL };
		struct servconf *o = NULL;

		ASSERT_INT_EQ(eval("", m, NULL, &o), ERR_CONFIG_INVALID);
		ASSERT_INT_EQ(eval("", inc, NULL, &o), ERR_CONFIG_INVALID);
	}
	TEST_DONE();
}

static void
test_conn_and_paths(void)
{
	struct servconf_conn *c = NULL;
	char *p = NULL;

	TEST_START("servconf -C specs");
	ASSERT_INT_EQ(servconf_conn_parse("user=a,host=h,addr=1.2.3.4,"
	    "laddr=5.6.7.8,lport=2222,rdomain=r,user=b", &c), 0);
	ASSERT_STRING_EQ(c->user, "b");
	ASSERT_STRING_EQ(c->laddress, "5.6.7.8");
	ASSERT_INT_EQ(c->lport, 2222);
	servconf_conn_free(c);
	ASSERT_INT_EQ(servconf_conn_parse("colour=red", &c),
	    ERR_INVALID_FORMAT);
	ASSERT_PTR_EQ(c, NULL);
	ASSERT_INT_EQ(servconf_conn_parse("lport=99999", &c),
	    ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(servconf_conn_parse("user", &c), ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(servconf_conn_parse("", &c), 0);
	ASSERT_PTR_EQ(c->user, NULL);
	ASSERT_INT_EQ(c->lport, -1);
	servconf_conn_free(c);
	TEST_DONE();

	TEST_START("servconf AuthorizedKeysFile expansion");
	ASSERT_INT_EQ(servconf_expand_user_path(".ssh/authorized_keys",
	    "bob", "/home/bob", 1000, 1, &p), 0);
	ASSERT_STRING_EQ(p, "/home/bob/.ssh/authorized_keys");
	free(p);
	ASSERT_INT_EQ(servconf_expand_user_path("/etc/keys/%u-%U-%%",
	    "bob", "/home/bob", 1000, 1, &p), 0);
	ASSERT_STRING_EQ(p, "/etc/keys/bob-1000-%");
	free(p);
	ASSERT_INT_EQ(servconf_expand_user_path("%h/k", "bob", "/home/bob/",
	    1000, 1, &p), 0);
	ASSERT_STRING_EQ(p, "/home/bob//k");
	free(p);
	ASSERT_INT_EQ(servconf_expand_user_path("%x", "bob", "/h", 0, 1, &p),
	    ERR_INVALID_FORMAT);
	ASSERT_PTR_EQ(p, NULL);
	ASSERT_INT_EQ(servconf_expand_user_path("keys", "bob", "/h", 0, 0,
	    &p), 0);
	ASSERT_STRING_EQ(p, "keys");
	free(p);
	TEST_DONE();
}

void
tests(void)
{
	log_init("test_servconf", LOG_LEVEL_DEBUG3, LOG_FACILITY_USER, 1);
	log_set_handler(capture, NULL);
	test_defaults();
	test_values();
	test_precedence();
	test_match();
	test_include();
	test_bad();
	test_conn_and_paths();
}
