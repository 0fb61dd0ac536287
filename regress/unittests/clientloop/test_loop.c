/*
 * test_loop.c: client_loop_run() end to end.  The test forks the client
 * (its stdin, stdout and stderr are files) and plays a small server
 * itself over a socketpair: our transport and channels with a session
 * that runs /bin/sh -c COMMAND, as sshd would.  Checked: exit-status
 * and exit-signal, stdout/stderr separation, stdin EOF, large data both
 * ways with rekeying, refused requests, a dropped connection, env
 * requests, pty-req, escapes, -N with a signal, keepalive timeouts.
 */
#include "includes.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>

#include "../test_helper/test_helper.h"
#include "buf.h"
#include "channels/channel.h"
#include "channels/session.h"
#include "clientloop.h"
#include "dispatch.h"
#include "errcode.h"
#include "kex.h"
#include "key.h"
#include "log.h"
#include "packet.h"
#include "readconf.h"
#include "ssh2.h"
#include "test_clientloop.h"

#define HOST		"testhost"
#define DEADLINE_S	30

/* What one run does and what it saw. */
struct scen {
	/* client side */
	const char *command;
	const char *stdin_data;		/* NULL: empty */
	size_t stdin_len;		/* 0: strlen(stdin_data) */
	int want_tty, no_session, stdin_null, escape_char;
	const char *const *options;	/* ssh_config lines, NULL-ended */
	const char *const *env;		/* added to the environment */
	int kill_after_ms;		/* then send kill_sig to the client */
	int kill_sig;
	/* server side */
	int refuse_exec, refuse_pty, drop_after_start, deaf;
	uint64_t rekey_bytes;
	/* results */
	int status;			/* the client's exit code */
	struct buf *out, *err;
	int got_pty, nenv;
	int eof_before_start;		/* EOF came before exec/shell */
	char term[64];
	u_int kex_count;
};

/* ------------------------------------------------------------ files */

static int
tmpfd(void)
{
	char path[] = "/tmp/clientloop-test.XXXXXX";
	int fd;

	ASSERT_INT_NE(fd = mkstemp(path), -1);
	unlink(path);
	return fd;
}

static struct buf *
slurp(int fd)
{
	struct buf *b;

	ASSERT_INT_EQ(lseek(fd, 0, SEEK_SET), 0);
	ASSERT_INT_EQ(buf_load_fd(fd, &b), 0);
	close(fd);
	return b;
}

/* ------------------------------------------------------------ kex */

static struct key *hostkey;

static int
cb_get_hostkey(struct ssh *ssh, const char *alg, const struct key **pubp,
    void *ctx)
{
	*pubp = hostkey;
	return 0;
}

static int
cb_sign(struct ssh *ssh, const struct key *pub, const char *alg,
    const u_char *data, size_t dlen, u_char **sigp, size_t *siglenp,
    void *ctx)
{
	return key_sign(pub, sigp, siglenp, data, dlen, alg);
}

static int
cb_verify(struct ssh *ssh, const struct key *k, void *ctx)
{
	return 0;
}

static struct ssh *
side_new(int server, int fd, uint64_t rekey_bytes)
{
	struct kex_params p;
	struct ssh *ssh;

	memset(&p, 0, sizeof(p));
	if (server) {
		p.hostkey_algs = "ssh-ed25519";
		p.cb.get_hostkey = cb_get_hostkey;
		p.cb.sign = cb_sign;
	} else
		p.cb.verify = cb_verify;
	p.rekey_bytes = rekey_bytes;
	if (packet_new(server, &ssh) != 0 ||
	    packet_set_peer_desc(ssh, server ? "client" : "server") != 0 ||
	    kex_setup(ssh, &p) != 0)
		return NULL;
	packet_set_fds(ssh, fd, fd);
	/* The server's loop runs its first key exchange by itself. */
	if (!server && packet_fd_wait_kex(ssh, 0, 10000) != 0) {
		packet_free(ssh);
		return NULL;
	}
	return ssh;
}

/* ------------------------------------------------------------ client */

static void
client_child(struct scen *sc, int fd, int in, int out, int err)
{
	struct client_session_opts o;
	struct readconf_ctx ctx;
	struct readconf *cfg;
	struct ssh *ssh;
	size_t i;
	int st = 255, r;

	if (dup2(in, 0) == -1 || dup2(out, 1) == -1 || dup2(err, 2) == -1)
		_exit(201);
	if (getenv("TEST_CLIENTLOOP_DEBUG") != NULL)
		log_init("client", LOG_LEVEL_DEBUG3, LOG_FACILITY_USER, 1);
	for (i = 0; sc->env != NULL && sc->env[i] != NULL; i++)
		putenv((char *)sc->env[i]);
	memset(&ctx, 0, sizeof(ctx));
	ctx.local_user = "tester";
	ctx.home = "/nonexistent";
	ctx.uid = getuid();
	ctx.local_host = ctx.local_host_full = "localhost";
	ctx.original_host = HOST;
	if ((cfg = readconf_new()) == NULL)
		_exit(202);
	for (i = 0; sc->options != NULL && sc->options[i] != NULL; i++) {
		if (readconf_process_option(cfg, sc->options[i], HOST,
		    &ctx) != 0)
			_exit(203);
	}
	if (readconf_finish(cfg, &ctx, sc->command != NULL) != 0)
		_exit(204);
	if ((ssh = side_new(0, fd, sc->rekey_bytes)) == NULL)
		_exit(205);
	memset(&o, 0, sizeof(o));
	o.cfg = cfg;
	o.command = sc->command;
	o.want_tty = sc->want_tty;
	o.no_session = sc->no_session;
	o.stdin_null = sc->stdin_null;
	o.escape_char = sc->escape_char;
	o.host = HOST;
	r = client_loop_run(ssh, &o, &st);
	_exit(r == 0 ? st : 200);
}

/* ------------------------------------------------------------ server */

struct srv {
	struct scen *sc;
	struct ssh *ssh;
	struct channels *c;
	struct channel *ch;
	int closed, eof_sent, status_sent, started, gone;
	pid_t cmd;
	int cmd_status, reaped;
	int out_w, err_w;
	char *envv[8];
	int nenv;
};

static int
srv_send(void *ctx, uint8_t type, const struct buf *payload)
{
	struct srv *s = ctx;

	return packet_send_msg(s->ssh, type, payload);
}

static int
srv_spawn(struct srv *s, const char *cmd)
{
	int in[2], out[2], err[2], i;

	if (pipe(in) == -1 || pipe(out) == -1 || pipe(err) == -1)
		return ERR_ERRNO;
	if ((s->cmd = fork()) == -1)
		return ERR_ERRNO;
	if (s->cmd == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		for (i = 3; i < 64; i++)
			close(i);
		for (i = 0; i < s->nenv; i++)
			putenv(s->envv[i]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	/*
	 * Keep the write ends until the command is reaped, so that EOF
	 * follows exit-status, as sshd does it.
	 */
	s->out_w = out[1];
	s->err_w = err[1];
	chan_hold_close(s->ch, 1);
	s->started = 1;
	return chan_set_fds(s->ch, out[0], in[1], err[0], CHAN_EXT_READ,
	    CHAN_FD_NONBLOCK);
}

static int
srv_request(struct channel *ch, struct chan_request *req, void *ctx)
{
	struct srv *s = ctx;
	char *e;

	switch (req->type) {
	case CHAN_REQ_PTY:
		s->sc->got_pty = 1;
		snprintf(s->sc->term, sizeof(s->sc->term), "%s",
		    req->u.pty.term);
		return !s->sc->refuse_pty;
	case CHAN_REQ_ENV:
		s->sc->nenv++;
		if (s->nenv < 8 && asprintf(&e, "%s=%s", req->u.env.name,
		    req->u.env.value) != -1)
			s->envv[s->nenv++] = e;
		return 1;
	case CHAN_REQ_EXEC:
		if (chan_eof_rcvd(ch))
			s->sc->eof_before_start = 1;
		if (s->sc->refuse_exec)
			return 0;
		return srv_spawn(s, req->u.exec.command) == 0;
	case CHAN_REQ_SHELL:
		return srv_spawn(s, "cat") == 0;
	case CHAN_REQ_WINDOW_CHANGE:
		return 1;
	default:
		return 0;
	}
}

static int
srv_eof_sent(struct channel *ch, void *ctx)
{
	((struct srv *)ctx)->eof_sent = 1;
	return 0;
}

static void
srv_closed(struct channel *ch, void *ctx)
{
	struct srv *s = ctx;

	s->closed = 1;
	s->ch = NULL;
}

static const struct chan_ops srv_ops = {
	.request = srv_request,
	.eof_sent = srv_eof_sent,
	.closed = srv_closed,
};

static int
srv_open(struct channels *c, struct channel *ch,
    const struct chan_open_info *info, void *ctx)
{
	struct srv *s = ctx;

	if (s->ch != NULL)
		return chan_open_refuse(ch, SSH2_OPEN_RESOURCE_SHORTAGE, "one");
	s->ch = ch;
	chan_set_ops(ch, &srv_ops, s);
	return chan_open_confirm(ch);
}

/* The command ended: exit-status, then EOF and CLOSE. */
static int
srv_finish_cmd(struct srv *s)
{
	struct chan_request req;
	int r;

	if (s->ch == NULL || s->status_sent || !s->reaped)
		return 0;
	memset(&req, 0, sizeof(req));
	if (WIFSIGNALED(s->cmd_status)) {
		req.type = CHAN_REQ_EXIT_SIGNAL;
		req.u.exit_signal.name = WTERMSIG(s->cmd_status) == SIGTERM ?
		    "TERM" : "KILL";
		req.u.exit_signal.message = "";
		req.u.exit_signal.lang = "";
	} else {
		req.type = CHAN_REQ_EXIT_STATUS;
		req.u.exit_status.status = WEXITSTATUS(s->cmd_status);
	}
	if ((r = chan_send_request(s->ch, &req, NULL, NULL)) != 0)
		return r;
	s->status_sent = 1;
	close(s->out_w);
	close(s->err_w);
	s->out_w = s->err_w = -1;
	chan_hold_close(s->ch, 0);
	return 0;
}

/* Everything the transport has for us. */
static void
srv_input(struct srv *s)
{
	u_char type;
	int r;

	for (;;) {
		if ((r = packet_next(s->ssh, &type)) != 0) {
			s->gone = 1;
			return;
		}
		if (type == SSH2_MSG_NONE)
			return;
		if (chan_handles_type(type)) {
			r = chan_input(s->c, type, packet_payload(s->ssh));
			ASSERT_INT_EQ(r, 0);
		}
	}
}

static void
srv_flush(struct srv *s)
{
	ssize_t n;

	while (packet_output_len(s->ssh) > 0) {
		n = write(packet_fd_out(s->ssh), packet_output_ptr(s->ssh),
		    packet_output_len(s->ssh));
		if (n <= 0)
			return;
		ASSERT_INT_EQ(packet_output_consume(s->ssh, (size_t)n), 0);
	}
}

static void
srv_read(struct srv *s, int fd)
{
	u_char b[32768];
	size_t want = MINIMUM(sizeof(b), packet_input_space(s->ssh));
	ssize_t n;

	if (want == 0) {
		srv_input(s);
		return;
	}
	n = read(fd, b, want);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		s->gone = 1;
		return;
	}
	ASSERT_INT_EQ(packet_input(s->ssh, b, (size_t)n), 0);
	srv_input(s);
}

/* Deaf server: swallow everything until the client goes. */
static void
srv_deaf(int fd, time_t end)
{
	u_char b[4096];
	struct pollfd pfd;

	while (time(NULL) < end) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 100) > 0 && read(fd, b, sizeof(b)) <= 0)
			return;
	}
}

static void
srv_run(struct srv *s, int fd, pid_t client)
{
	struct chan_config cfg;
	struct pollfd pfd[32];
	size_t n;
	time_t end = time(NULL) + DEADLINE_S;
	int st, killed = 0;
	struct timespec t0, now;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&cfg, 0, sizeof(cfg));
	cfg.is_server = 1;
	cfg.send = srv_send;
	cfg.send_ctx = s;
	cfg.open = srv_open;
	cfg.ctx = s;
	ASSERT_INT_EQ(chan_mgr_new(&cfg, &s->c), 0);
	if (s->sc->deaf) {
		/* The client's CHANNEL_OPEN may come during the KEX wait. */
		dispatch_range(s->ssh, 80, 100, dispatch_ignore);
		ASSERT_INT_EQ(packet_fd_wait_kex(s->ssh, 0, 10000), 0);
		srv_deaf(fd, end);
		return;
	}
	ASSERT_INT_EQ(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	while (!s->gone && time(NULL) < end) {
		if (s->sc->kill_after_ms > 0 && !killed) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if ((now.tv_sec - t0.tv_sec) * 1000 +
			    (now.tv_nsec - t0.tv_nsec) / 1000000 >=
			    s->sc->kill_after_ms) {
				kill(client, s->sc->kill_sig);
				killed = 1;
			}
		}
		if (s->cmd > 0 && !s->reaped &&
		    waitpid(s->cmd, &st, WNOHANG) == s->cmd) {
			s->reaped = 1;
			s->cmd_status = st;
		}
		if (s->sc->drop_after_start && s->started)
			break;
		ASSERT_INT_EQ(srv_finish_cmd(s), 0);
		ASSERT_INT_EQ(chan_output(s->c), 0);
		srv_flush(s);
		pfd[0].fd = fd;
		pfd[0].events = POLLIN |
		    (packet_output_len(s->ssh) > 0 ? POLLOUT : 0);
		pfd[0].revents = 0;
		n = chan_poll_prepare(s->c, pfd + 1, 31);
		if (poll(pfd, n + 1, 20) == -1)
			continue;
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))
			srv_read(s, fd);
		if (s->gone)
			break;
		ASSERT_INT_EQ(chan_poll_handle(s->c, pfd + 1, n), 0);
	}
	s->sc->kex_count = packet_kex_count(s->ssh);
}

/* ------------------------------------------------------------ a run */

static void
run(struct scen *sc)
{
	int sv[2], in, out, err, st, i;
	size_t len;
	pid_t pid;
	struct srv s;

	ASSERT_INT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	in = tmpfd();
	out = tmpfd();
	err = tmpfd();
	len = sc->stdin_len;
	if (len == 0 && sc->stdin_data != NULL)
		len = strlen(sc->stdin_data);
	if (len > 0)
		ASSERT_INT_EQ(write(in, sc->stdin_data, len), (ssize_t)len);
	ASSERT_INT_EQ(lseek(in, 0, SEEK_SET), 0);
	ASSERT_INT_NE(pid = fork(), -1);
	if (pid == 0) {
		close(sv[1]);
		client_child(sc, sv[0], in, out, err);
	}
	close(sv[0]);
	close(in);
	memset(&s, 0, sizeof(s));
	s.sc = sc;
	s.out_w = s.err_w = -1;
	s.ssh = side_new(1, sv[1], sc->rekey_bytes);
	ASSERT_PTR_NE(s.ssh, NULL);
	srv_run(&s, sv[1], pid);
	close(sv[1]);
	for (i = 0; i < 200; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		usleep(50 * 1000);
	}
	if (i == 200) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	ASSERT_TRUE(WIFEXITED(st));
	sc->status = WEXITSTATUS(st);
	if (s.cmd > 0 && !s.reaped) {
		kill(s.cmd, SIGKILL);
		waitpid(s.cmd, NULL, 0);
	}
	chan_mgr_free(s.c);
	packet_free(s.ssh);
	if (s.out_w != -1)
		close(s.out_w);
	if (s.err_w != -1)
		close(s.err_w);
	for (i = 0; i < s.nenv; i++)
		free(s.envv[i]);
	sc->out = slurp(out);
	sc->err = slurp(err);
	if (test_is_verbose()) {
		fprintf(stderr, "status %d, stderr:\n%.*s\n", sc->status,
		    (int)buf_len(sc->err), (const char *)buf_ptr(sc->err));
	}
}

static void
scen_free(struct scen *sc)
{
	buf_free(sc->out);
	buf_free(sc->err);
}

static void
expect_out(const struct buf *b, const char *want)
{
	ASSERT_SIZE_T_EQ(buf_len(b), strlen(want));
	if (*want != '\0')
		ASSERT_MEM_EQ(buf_ptr(b), want, strlen(want));
}

static int
has(const struct buf *b, const char *s)
{
	return buf_find(b, 0, s, strlen(s), NULL) == 0;
}

/* ------------------------------------------------------------ tests */

static void
test_exit_status(void)
{
	struct scen sc;

	TEST_START("loop: exit-status is ssh's exit status");
	memset(&sc, 0, sizeof(sc));
	sc.command = "exit 3";
	sc.escape_char = -1;
	run(&sc);
	ASSERT_INT_EQ(sc.status, 3);
	expect_out(sc.out, "");
	expect_out(sc.err, "");
	scen_free(&sc);
	TEST_DONE();

	TEST_START("loop: stdout and stderr stay apart");
	memset(&sc, 0, sizeof(sc));
	sc.command = "echo out; echo err >&2; echo out2";
	sc.escape_char = -1;
	run(&sc);
	ASSERT_INT_EQ(sc.status, 0);
	expect_out(sc.out, "out\nout2\n");
	expect_out(sc.err, "err\n");
	scen_free(&sc);
	TEST_DONE();

	TEST_START("loop: exit-signal gives 255 and no message");
	memset(&sc, 0, sizeof(sc));
	sc.command = "kill -TERM $$";
	sc.escape_char = -1;
	run(&sc);
	ASSERT_INT_EQ(sc.status, 255);
	expect_out(sc.err, "");
	scen_free(&sc);
	TEST_DONE();
}

static void
test_stdin(void)
{
	struct scen sc;
	u_char *data;
	size_t i, len = 3 * 1024 * 1024 + 123;

	TEST_START("loop: stdin EOF reaches the command");
	memset(&sc, 0, sizeof(sc));
	sc.command = "cat; echo done";
	sc.stdin_data = "line1\nline2";
	sc.escape_char = -1;
	run(&sc);
	ASSERT_INT_EQ(sc.status, 0);
	expect_out(sc.out, "line1\nline2done\n");
	scen_free(&sc);
	TEST_DONE();

	TEST_START("loop: empty stdin and -n");
	memset(&sc, 0, sizeof(sc));
	sc.command = "cat; echo x";
	sc.escape_char = -1;
	run(&sc);
	expect_out(sc.out, "x\n");
	scen_free(&sc);
	memset(&sc, 0, sizeof(sc));
	sc.command = "cat; echo y";
	sc.stdin_data = "not read\n";
	sc.stdin_null = 1;
	sc.escape_char = -1;
	run(&sc);
	ASSERT_INT_EQ(sc.status, 0);
	expect_out(sc.out, "y\n");
	/* sshd would never close the command's stdin then. */
	ASSERT_INT_EQ(sc.eof_before_start, 0);
	scen_free(&sc);
	TEST_DONE();

	TEST_START("loop: 3 MiB both ways with rekeying");
	ASSERT_PTR_NE(data = malloc(len), NULL);
	for (i = 0; i < len; i++)
		data[i] = (u_char)((i * 2654435761u) >> 13);
	memset(&sc, 0, sizeof(sc));
	sc.command = "cat";
	sc.stdin_data = (const char *)data;
	sc.stdin_len = len;
	sc.escape_char = -1;
	sc.rekey_bytes = 512 * 1024;
	run(&sc);
	ASSERT_INT_EQ(sc.status, 0);
	ASSERT_SIZE_T_EQ(buf_len(sc.out), len);
	ASSERT_MEM_EQ(buf_ptr(sc.out), data, len);
	ASSERT_INT_GT(sc.kex_count, 2);
	scen_free(&sc);
	free(data);
	TEST_DONE();
}

static void
test_failures(void)
{
	struct scen sc;

	TEST_START("loop: refused exec");
	memset(&sc, 0, sizeof(sc));
	sc.command = "true";
	sc.refuse_exec = 1;
	sc.escape_char = -1;
	run(&sc);
	ASSERT_INT_EQ(sc.status, 255);
	ASSERT_TRUE(has(sc.err, "exec request failed on channel 0"));
	scen_free(&sc);
	TEST_DONE();

	TEST_START("loop: connection dropped");
	memset(&sc, 0, sizeof(sc));
	sc.command = "sleep 1";
	sc.drop_after_start = 1;
	sc.escape_char = -1;
	run(&sc);
	ASSERT_INT_EQ(sc.status, 255);
	ASSERT_TRUE(has(sc.err, "Connection to " HOST " closed by remote "
	    "host."));
	scen_free(&sc);
	TEST_DONE();

	TEST_START("loop: ServerAlive timeout");
	{
		static const char *const opts[] = {
			"ServerAliveInterval 1", "ServerAliveCountMax 1", NULL
		};

		memset(&sc, 0, sizeof(sc));
		sc.command = "true";
		sc.deaf = 1;
		sc.escape_char = -1;
		sc.options = opts;
		run(&sc);
		ASSERT_INT_EQ(sc.status, 255);
		ASSERT_TRUE(has(sc.err, "Timeout, server " HOST
		    " not responding."));
		scen_free(&sc);
	}
	TEST_DONE();

	TEST_START("loop: -N until a signal");
	memset(&sc, 0, sizeof(sc));
	sc.no_session = 1;
	sc.escape_char = -1;
	sc.kill_after_ms = 300;
	sc.kill_sig = SIGHUP;
	run(&sc);
	ASSERT_INT_EQ(sc.status, 255);
	expect_out(sc.err, "");
	scen_free(&sc);
	/* OpenSSH 9.2 ends -N with status 0 on SIGTERM. */
	memset(&sc, 0, sizeof(sc));
	sc.no_session = 1;
	sc.escape_char = -1;
	sc.kill_after_ms = 300;
	sc.kill_sig = SIGTERM;
	run(&sc);
	ASSERT_INT_EQ(sc.status, 0);
	scen_free(&sc);
	TEST_DONE();

	TEST_START("loop: a signal during a command gives 255");
	memset(&sc, 0, sizeof(sc));
	sc.command = "sleep 3";
	sc.escape_char = -1;
	sc.kill_after_ms = 300;
	sc.kill_sig = SIGTERM;
	run(&sc);
	ASSERT_INT_EQ(sc.status, 255);
	expect_out(sc.err, "");
	scen_free(&sc);
	TEST_DONE();
}

static void
test_env_pty(void)
{
	static const char *const opts[] = {
		"SetEnv FOO=bar", "SendEnv LC_KEEL_*", NULL
	};
	static const char *const env[] = {
		"LC_KEEL_TEST=xyz", "LC_OTHER=no", "TERM=xterm-keeltest", NULL
	};
	struct scen sc;

	TEST_START("loop: SendEnv and SetEnv");
	memset(&sc, 0, sizeof(sc));
	sc.command = "echo \"$FOO $LC_KEEL_TEST ${LC_OTHER-unset}\"";
	sc.escape_char = -1;
	sc.options = opts;
	sc.env = env;
	run(&sc);
	ASSERT_INT_EQ(sc.status, 0);
	expect_out(sc.out, "bar xyz unset\n");
	ASSERT_INT_EQ(sc.nenv, 2);
	scen_free(&sc);
	TEST_DONE();

	TEST_START("loop: refused pty-req warns and goes on");
	memset(&sc, 0, sizeof(sc));
	sc.command = "echo hi";
	sc.want_tty = 1;
	sc.refuse_pty = 1;
	sc.escape_char = -1;
	sc.env = env;
	run(&sc);
	ASSERT_INT_EQ(sc.status, 0);
	ASSERT_INT_EQ(sc.got_pty, 1);
	ASSERT_STRING_EQ(sc.term, "xterm-keeltest");
	expect_out(sc.out, "hi\n");
	ASSERT_TRUE(has(sc.err, "PTY allocation request failed on "
	    "channel 0"));
	ASSERT_TRUE(has(sc.err, "Connection to " HOST " closed.\r\n"));
	scen_free(&sc);
	TEST_DONE();

	TEST_START("loop: ~~ sends one ~, other text unchanged");
	memset(&sc, 0, sizeof(sc));
	sc.command = "cat";
	sc.want_tty = 1;
	sc.escape_char = '~';
	sc.stdin_data = "a~b\n~~c\n~x\n";
	run(&sc);
	ASSERT_INT_EQ(sc.status, 0);
	expect_out(sc.out, "a~b\n~c\n~x\n");
	scen_free(&sc);
	TEST_DONE();

	TEST_START("loop: ~. disconnects with 255");
	memset(&sc, 0, sizeof(sc));
	sc.command = "cat";
	sc.want_tty = 1;
	sc.escape_char = '~';
	sc.stdin_data = "~.";
	run(&sc);
	ASSERT_INT_EQ(sc.status, 255);
	expect_out(sc.err, "Connection to " HOST " closed.\r\n");
	scen_free(&sc);
	TEST_DONE();

	TEST_START("loop: ~? help, then ~. with the escape off is data");
	memset(&sc, 0, sizeof(sc));
	sc.command = "cat";
	sc.want_tty = 1;
	sc.escape_char = -1;
	sc.stdin_data = "~.\n";
	run(&sc);
	ASSERT_INT_EQ(sc.status, 0);
	expect_out(sc.out, "~.\n");
	scen_free(&sc);
	memset(&sc, 0, sizeof(sc));
	sc.command = "cat";
	sc.want_tty = 1;
	sc.escape_char = '~';
	sc.stdin_data = "~?x\n";
	run(&sc);
	ASSERT_INT_EQ(sc.status, 0);
	expect_out(sc.out, "x\n");
	ASSERT_TRUE(has(sc.err, "Supported escape sequences:"));
	scen_free(&sc);
	TEST_DONE();
}

void
test_loop(void)
{
	/* The server side writes to a client that may be gone. */
	signal(SIGPIPE, SIG_IGN);
	if (hostkey == NULL)
		ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &hostkey), 0);
	test_exit_status();
	test_stdin();
	test_failures();
	test_env_pty();
}
