/*
 * test_session.c: session requests (env, pty, subsystem, signal),
 * MaxSessions, ForceCommand, the user's environment; connection-level
 * behaviour (global requests, ClientAlive*, rekeying under load).
 */
#include "includes.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "errcode.h"
#include "misc.h"
#include "packet.h"

#include "../test_helper/test_helper.h"
#include "test_serverloop.h"

#define CONF_BASE \
	"PermitUserRC no\nPrintMotd no\nPrintLastLog no\n" \
	"AcceptEnv FOO_*\nSubsystem sftp internal-sftp\n" \
	"Subsystem echo echo subsys-echo\n"

static int
ts_env(struct ts *ts, const char *name, const char *value)
{
	struct chan_request req;

	memset(&req, 0, sizeof(req));
	req.type = CHAN_REQ_ENV;
	req.want_reply = 1;
	req.u.env.name = (char *)name;
	req.u.env.value = (char *)value;
	return ts_req(ts, &req);
}

static int
ts_subsystem(struct ts *ts, const char *name)
{
	struct chan_request req;

	memset(&req, 0, sizeof(req));
	req.type = CHAN_REQ_SUBSYSTEM;
	req.want_reply = 1;
	req.u.subsystem.name = (char *)name;
	return ts_req(ts, &req);
}

static void
test_env(void)
{
	struct tc *tc;
	struct ts ts;
	struct passwd *pw;
	char *s, want[2048];

	TEST_START("serverloop env accepted and refused");
	tc = tc_new(CONF_BASE);
	ASSERT_INT_EQ(ts_open(tc, &ts), 1);
	ts_fds(&ts, NULL, 0);
	ASSERT_INT_EQ(ts_env(&ts, "FOO_A", "one two"), 1);
	ASSERT_INT_EQ(ts_env(&ts, "BAR", "2"), 0);
	ASSERT_INT_EQ(ts_env(&ts, "FOO_A", "three"), 1);
	/* Ours win over the client's. */
	ASSERT_INT_EQ(ts_env(&ts, "FOO_HOME", "x"), 1);
	ASSERT_INT_EQ(ts_exec(&ts, "echo \"$FOO_A|${BAR:-none}|$FOO_HOME\""),
	    1);
	ts_wait(&ts);
	s = ts_outstr(&ts);
	ASSERT_STRING_EQ(s, "three|none|x\n");
	free(s);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();

	TEST_START("serverloop user environment");
	ASSERT_PTR_NE(pw = getpwuid(getuid()), NULL);
	tc = tc_new(CONF_BASE);
	ts_run(tc, &ts, "echo \"$USER|$LOGNAME|$HOME|$SSH_CLIENT|"
	    "$SSH_CONNECTION|$PWD|${SSH_TTY:-notty}|${SSH_ORIGINAL_COMMAND:-"
	    "none}|$MAIL\"", NULL, 0);
	s = ts_outstr(&ts);
	snprintf(want, sizeof(want), "%s|%s|%s|127.0.0.1 50000 2222|"
	    "127.0.0.1 50000 127.0.0.2 2222|%s|notty|none|/var/mail/%s\n",
	    pw->pw_name, pw->pw_name, pw->pw_dir, pw->pw_dir, pw->pw_name);
	ASSERT_STRING_EQ(s, want);
	free(s);
	ts_run(tc, &ts, "case $PATH in */usr/bin*) echo ok;; esac", NULL, 0);
	s = ts_outstr(&ts);
	ASSERT_STRING_EQ(s, "ok\n");
	free(s);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();
}

static void
test_force_command(void)
{
	struct tc *tc;
	struct ts ts;
	char *s;

	TEST_START("serverloop ForceCommand");
	tc = tc_new(CONF_BASE
	    "ForceCommand echo \"forced:$SSH_ORIGINAL_COMMAND\"\n");
	ts_run(tc, &ts, "echo not this", NULL, 0);
	s = ts_outstr(&ts);
	ASSERT_STRING_EQ(s, "forced:echo not this\n");
	free(s);
	ASSERT_INT_EQ(ts.status, 0);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();
}

static void
test_max_sessions(void)
{
	struct tc *tc;
	struct ts a, b, c;
	char *s;

	TEST_START("serverloop MaxSessions");
	tc = tc_new(CONF_BASE "MaxSessions 2\n");
	ASSERT_INT_EQ(ts_open(tc, &a), 1);
	ASSERT_INT_EQ(ts_open(tc, &b), 1);
	ASSERT_INT_EQ(ts_open(tc, &c), 0);
	ASSERT_INT_EQ(c.reason, SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED);
	/* Two channels at once on one connection. */
	ts_fds(&a, NULL, 0);
	ts_fds(&b, NULL, 0);
	ASSERT_INT_EQ(ts_exec(&a, "sleep 0.3; echo A"), 1);
	ASSERT_INT_EQ(ts_exec(&b, "echo B"), 1);
	ts_wait(&b);
	ts_wait(&a);
	s = ts_outstr(&a);
	ASSERT_STRING_EQ(s, "A\n");
	free(s);
	s = ts_outstr(&b);
	ASSERT_STRING_EQ(s, "B\n");
	free(s);
	/* Room again once they are gone. */
	tc_spin(tc, 100);
	ASSERT_INT_EQ(ts_open(tc, &c), 1);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();

	TEST_START("serverloop MaxSessions 0");
	tc = tc_new(CONF_BASE "MaxSessions 0\n");
	ASSERT_INT_EQ(ts_open(tc, &a), 0);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();
}

static void
test_subsystem(void)
{
	/* SSH_FXP_INIT version 3 */
	static const u_char init[] = { 0, 0, 0, 5, 1, 0, 0, 0, 3 };
	struct tc *tc;
	struct ts ts;
	struct buf *b;
	const u_char *p;
	char *s;

	TEST_START("serverloop subsystem internal-sftp");
	tc = tc_new(CONF_BASE);
	ASSERT_INT_EQ(ts_open(tc, &ts), 1);
	ts_fds(&ts, init, sizeof(init));
	ASSERT_INT_EQ(ts_subsystem(&ts, "sftp"), 1);
	ts_wait(&ts);
	b = ts_out(&ts);
	ASSERT_SIZE_T_GT(buf_len(b), 8);
	p = buf_ptr(b);
	ASSERT_INT_EQ(p[4], 2);		/* SSH_FXP_VERSION */
	ASSERT_INT_EQ(p[8], 3);		/* version 3 */
	buf_free(b);
	ASSERT_INT_EQ(ts.have_status, 1);
	ASSERT_INT_EQ(ts.status, 0);
	TEST_DONE();

	TEST_START("serverloop subsystem command and unknown");
	ASSERT_INT_EQ(ts_open(tc, &ts), 1);
	ts_fds(&ts, NULL, 0);
	ASSERT_INT_EQ(ts_subsystem(&ts, "nosuch"), 0);
	ASSERT_INT_EQ(ts_subsystem(&ts, "echo"), 1);
	ts_wait(&ts);
	s = ts_outstr(&ts);
	ASSERT_STRING_EQ(s, "subsys-echo\n");
	free(s);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();
}

static void
test_signal(void)
{
	struct chan_request req;
	struct tc *tc;
	struct ts ts;

	TEST_START("serverloop signal request");
	tc = tc_new(CONF_BASE);
	ASSERT_INT_EQ(ts_open(tc, &ts), 1);
	ts_fds(&ts, NULL, 0);
	ASSERT_INT_EQ(ts_exec(&ts, "echo started; sleep 20"), 1);
	tc_spin(tc, 300);
	memset(&req, 0, sizeof(req));
	req.type = CHAN_REQ_SIGNAL;
	req.want_reply = 1;
	req.u.signal.name = "NOSUCH";
	ASSERT_INT_EQ(ts_req(&ts, &req), 0);
	req.u.signal.name = "USR1";
	ASSERT_INT_EQ(ts_req(&ts, &req), 1);
	ts_wait(&ts);
	ASSERT_INT_EQ(ts.have_signal, 1);
	ASSERT_STRING_EQ(ts.signame, "USR1");
	TEST_DONE();

	TEST_START("serverloop break refused");
	ASSERT_INT_EQ(ts_open(tc, &ts), 1);
	memset(&req, 0, sizeof(req));
	req.type = CHAN_REQ_BREAK;
	req.want_reply = 1;
	req.u.brk.ms = 100;
	ASSERT_INT_EQ(ts_req(&ts, &req), 0);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();
}

static void
test_pty(void)
{
	struct chan_request req;
	struct tc *tc;
	struct ts ts;
	struct buf *b;
	char *s;
	int fd;

	TEST_START("serverloop pty session");
	if ((fd = open("/dev/ptmx", O_RDWR | O_NOCTTY)) == -1) {
		fprintf(stderr, "skipped pty test: no /dev/ptmx\n");
		TEST_DONE();
		return;
	}
	close(fd);
	tc = tc_new(CONF_BASE);
	ASSERT_INT_EQ(ts_open(tc, &ts), 1);
	ts_fds(&ts, NULL, 0);
	memset(&req, 0, sizeof(req));
	req.type = CHAN_REQ_PTY;
	req.want_reply = 1;
	req.u.pty.term = "vt-test";
	req.u.pty.cols = 91;
	req.u.pty.rows = 33;
	req.u.pty.modes = (u_char *)"";
	req.u.pty.modes_len = 0;
	ASSERT_INT_EQ(ts_req(&ts, &req), 1);
	ASSERT_INT_EQ(ts_req(&ts, &req), 0);	/* only one */
	memset(&req, 0, sizeof(req));
	req.type = CHAN_REQ_WINDOW_CHANGE;
	req.u.winch.cols = 100;
	req.u.winch.rows = 40;
	ASSERT_INT_EQ(chan_send_request(ts.ch, &req, NULL, NULL), 0);
	tc_spin(tc, 100);
	ASSERT_INT_EQ(ts_exec(&ts, "tty; echo \"$TERM $SSH_TTY\"; "
	    "stty size; exit 4"), 1);
	ts_wait(&ts);
	b = ts_out(&ts);
	ASSERT_PTR_NE(s = buf_dup_string(b), NULL);
	ASSERT_PTR_NE(strstr(s, "/dev/pts/"), NULL);
	ASSERT_PTR_NE(strstr(s, "vt-test /dev/pts/"), NULL);
	ASSERT_PTR_NE(strstr(s, "40 100"), NULL);
	/* The tty turns \n into \r\n. */
	ASSERT_PTR_NE(strstr(s, "\r\n"), NULL);
	free(s);
	buf_free(b);
	ASSERT_INT_EQ(ts.have_status, 1);
	ASSERT_INT_EQ(ts.status, 4);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();
}

/* A TCP echo server for one connection on 127.0.0.1; its port. */
static int
echo_server(pid_t *pidp)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	char buf[4096];
	ssize_t n;
	int s, c;

	ASSERT_INT_GE(s = socket(AF_INET, SOCK_STREAM, 0), 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_INT_EQ(bind(s, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ASSERT_INT_EQ(listen(s, 1), 0);
	ASSERT_INT_EQ(getsockname(s, (struct sockaddr *)&sin, &len), 0);
	fflush(NULL);
	ASSERT_INT_NE(*pidp = fork(), -1);
	if (*pidp == 0) {
		alarm(30);
		if ((c = accept(s, NULL, NULL)) == -1)
			_exit(1);
		while ((n = read(c, buf, sizeof(buf))) > 0)
			if (atomicio_write(c, buf, (size_t)n) != (size_t)n)
				_exit(1);
		_exit(0);
	}
	close(s);
	return ntohs(sin.sin_port);
}

/* A port nobody listens on (bound once, then closed). */
static int
closed_port(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int s;

	ASSERT_INT_GE(s = socket(AF_INET, SOCK_STREAM, 0), 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_INT_EQ(bind(s, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ASSERT_INT_EQ(getsockname(s, (struct sockaddr *)&sin, &len), 0);
	close(s);
	return ntohs(sin.sin_port);
}

static void
fwd_info(struct chan_open_info *info, int port)
{
	memset(info, 0, sizeof(*info));
	info->type = CHAN_TYPE_DIRECT_TCPIP;
	info->host = "127.0.0.1";
	info->port = (uint32_t)port;
	info->orig_host = "127.0.0.1";
	info->orig_port = 40000;
}

static void
test_forward(void)
{
	struct chan_open_info info;
	struct tc *tc;
	struct ts ts;
	pid_t pid;
	int port, status;
	char *s;

	TEST_START("serverloop direct-tcpip");
	port = echo_server(&pid);
	tc = tc_new(CONF_BASE);
	fwd_info(&info, port);
	ASSERT_INT_EQ(ts_open_info(tc, &ts, &info), 1);
	ts_fds(&ts, "ping data", 9);
	ts_wait(&ts);
	s = ts_outstr(&ts);
	ASSERT_STRING_EQ(s, "ping data");
	free(s);
	ASSERT_INT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_INT_EQ(status, 0);
	TEST_DONE();

	TEST_START("serverloop direct-tcpip connect refused");
	fwd_info(&info, closed_port());
	ASSERT_INT_EQ(ts_open_info(tc, &ts, &info), 0);
	ASSERT_INT_EQ(ts.reason, SSH2_OPEN_CONNECT_FAILED);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();

	TEST_START("serverloop direct-tcpip policy");
	tc = tc_new(CONF_BASE "AllowTcpForwarding remote\n");
	fwd_info(&info, 22);
	ASSERT_INT_EQ(ts_open_info(tc, &ts, &info), 0);
	ASSERT_INT_EQ(ts.reason, SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED);
	ASSERT_INT_EQ(tc_free(tc), 0);
	tc = tc_new(CONF_BASE "PermitOpen 127.0.0.1:1 localhost:*\n");
	fwd_info(&info, 22);
	ASSERT_INT_EQ(ts_open_info(tc, &ts, &info), 0);
	ASSERT_INT_EQ(ts.reason, SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED);
	fwd_info(&info, closed_port());
	info.host = "localhost";
	ASSERT_INT_EQ(ts_open_info(tc, &ts, &info), 0);
	ASSERT_INT_EQ(ts.reason, SSH2_OPEN_CONNECT_FAILED);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();
}

static void
test_remote_forward(void)
{
	struct sockaddr_in sin;
	struct tc *tc;
	struct ts ts;
	uint32_t port;
	char *s;
	int fd;

	TEST_START("serverloop tcpip-forward");
	tc = tc_new(CONF_BASE);
	ASSERT_INT_EQ(tc_global_fwd(tc, 0, "127.0.0.1", 0), 1);
	port = tc->last_bound;
	ASSERT_INT_NE(port, 0);
	tc->fwd_ts = &ts;
	ASSERT_INT_GE(fd = socket(AF_INET, SOCK_STREAM, 0), 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)port);
	ASSERT_INT_EQ(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ASSERT_SIZE_T_EQ(atomicio_write(fd, "hello-r", 7), 7);
	ASSERT_INT_EQ(shutdown(fd, SHUT_WR), 0);
	tc_until(tc, &tc->fwd_opened);
	ts_wait(&ts);
	s = ts_outstr(&ts);
	ASSERT_STRING_EQ(s, "hello-r");
	free(s);
	close(fd);
	TEST_DONE();

	TEST_START("serverloop cancel-tcpip-forward");
	ASSERT_INT_EQ(tc_global_fwd(tc, 1, "127.0.0.1", port), 1);
	ASSERT_INT_EQ(tc_global_fwd(tc, 1, "127.0.0.1", port), 0);
	ASSERT_INT_GE(fd = socket(AF_INET, SOCK_STREAM, 0), 0);
	ASSERT_INT_EQ(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), -1);
	close(fd);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();

	TEST_START("serverloop tcpip-forward policy");
	tc = tc_new(CONF_BASE "AllowTcpForwarding local\n");
	ASSERT_INT_EQ(tc_global_fwd(tc, 0, "127.0.0.1", 0), 0);
	ASSERT_INT_EQ(tc_free(tc), 0);
	tc = tc_new(CONF_BASE "PermitListen 127.0.0.1:1\n");
	ASSERT_INT_EQ(tc_global_fwd(tc, 0, "127.0.0.1", 0), 0);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();
}

void
test_serverloop_session(void)
{
	test_env();
	test_force_command();
	test_max_sessions();
	test_subsystem();
	test_signal();
	test_pty();
	test_forward();
	test_remote_forward();
}

void
test_serverloop_conn(void)
{
	struct tc *tc;
	struct ts ts;
	u_char *data;
	size_t i, len = 3 * 1024 * 1024;
	struct buf *b;
	const char *desc;
	u_int reason;
	int status;

	TEST_START("serverloop global requests refused");
	tc = tc_new(CONF_BASE);
	ASSERT_INT_EQ(tc_global(tc, "nosuch@example.com"), 0);
	ASSERT_INT_EQ(tc_global(tc, "keepalive@openssh.com"), 0);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();

	TEST_START("serverloop no-more-sessions");
	tc = tc_new(CONF_BASE);
	ASSERT_INT_EQ(ts_open(tc, &ts), 1);
	ASSERT_INT_EQ(tc_global(tc, "no-more-sessions@openssh.com"), 1);
	ASSERT_INT_EQ(ts_open(tc, &ts), 0);
	ASSERT_INT_EQ(ts.reason, SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();

	TEST_START("serverloop unknown message type");
	tc = tc_new(CONF_BASE);
	tc_spin(tc, 100);
	ASSERT_INT_EQ(packet_start(tc->ssh, 50, &b), 0);	/* USERAUTH */
	ASSERT_INT_EQ(buf_put_cstring(b, "again"), 0);
	ASSERT_INT_EQ(packet_send(tc->ssh), 0);
	ts_run(tc, &ts, "echo still", NULL, 0);
	ASSERT_INT_EQ(ts.status, 0);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();

	TEST_START("serverloop protocol error disconnects");
	tc = tc_new(CONF_BASE);
	tc_spin(tc, 100);
	ASSERT_INT_EQ(packet_start(tc->ssh, SSH2_MSG_CHANNEL_DATA, &b), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 77), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, "nobody listens"), 0);
	ASSERT_INT_EQ(packet_send(tc->ssh), 0);
	for (i = 0; i < 100 && tc->err == 0; i++)
		tc_step(tc, 100);
	ASSERT_INT_EQ(tc->err, ERR_DISCONNECTED);
	packet_disconnect_info(tc->ssh, 1, &reason, &desc);
	ASSERT_INT_EQ(reason, SSH2_DISCONNECT_PROTOCOL_ERROR);
	ASSERT_INT_EQ(tc_free(tc), 1);
	TEST_DONE();

	TEST_START("serverloop rekey during bulk transfer");
	ASSERT_PTR_NE(data = malloc(len), NULL);
	for (i = 0; i < len; i++)
		data[i] = (u_char)(i ^ (i >> 8) ^ (i >> 16));
	tc = tc_new(CONF_BASE "RekeyLimit 256K\n");
	packet_set_rekey_limits(tc->ssh, 300 * 1024, 0, 0);
	ts_run(tc, &ts, "cat", data, len);
	b = ts_out(&ts);
	ASSERT_SIZE_T_EQ(buf_len(b), len);
	ASSERT_MEM_EQ(buf_ptr(b), data, len);
	buf_free(b);
	ASSERT_INT_GE(packet_kex_count(tc->ssh), 5);
	ASSERT_INT_EQ(tc_free(tc), 0);
	free(data);
	TEST_DONE();

	TEST_START("serverloop ClientAlive answered");
	tc = tc_new(CONF_BASE "ClientAliveInterval 1\nClientAliveCountMax 1\n");
	tc_spin(tc, 2500);
	ts_run(tc, &ts, "echo alive", NULL, 0);
	ASSERT_INT_EQ(ts.status, 0);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();

	TEST_START("serverloop ClientAlive timeout");
	tc = tc_new(CONF_BASE "ClientAliveInterval 1\nClientAliveCountMax 1\n");
	tc_spin(tc, 200);	/* key exchange done */
	for (i = 0; i < 60; i++) {
		/* Not reading: the keepalives go unanswered. */
		if (waitpid(tc->pid, &status, WNOHANG) == tc->pid)
			break;
		usleep(100000);
	}
	ASSERT_SIZE_T_LT(i, 60);
	ASSERT_INT_EQ(WIFEXITED(status), 1);
	ASSERT_INT_EQ(WEXITSTATUS(status), 1);
	/* tc_free must not wait for it again. */
	tc->pid = fork();
	if (tc->pid == 0)
		_exit(0);
	ASSERT_INT_EQ(tc_free(tc), 0);
	TEST_DONE();
}
