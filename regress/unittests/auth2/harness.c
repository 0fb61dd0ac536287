/*
 * harness.c: auth2_server_run() in a forked child over a socketpair,
 * with a real monitor (stub hooks) in another process on a second
 * socketpair, and a client made of our packet layer in the test.
 */
#include "includes.h"

#include <sys/socket.h>
#include <sys/wait.h>
#include <pwd.h>
#include <signal.h>

#include "auth/auth-options.h"
#include "auth/auth2.h"
#include "buf.h"
#include "errcode.h"
#include "kex.h"
#include "key.h"
#include "log.h"
#include "misc.h"
#include "monitor-keys.h"
#include "monitor-wrap.h"
#include "monitor.h"
#include "packet.h"
#include "ssh2.h"
#include "uidswap.h"

#include "../test_helper/test_helper.h"
#include "test_auth2.h"

struct key *ta_userkey, *ta_cmdkey, *ta_otherkey, *ta_rsakey;
static struct key *hostkey, *hostpub;

void
ta_make_keys(void)
{
	if (hostkey != NULL)
		return;
	ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &hostkey), 0);
	ASSERT_INT_EQ(key_demote(hostkey, &hostpub), 0);
	ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &ta_userkey), 0);
	ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &ta_cmdkey), 0);
	ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &ta_otherkey), 0);
	ASSERT_INT_EQ(key_generate(KEY_RSA, 1024, &ta_rsakey), 0);
}

/* ------------------------------------------------------------ monitor */

static const struct ta_config *cur;

static struct passwd *
stub_getpwnam(const char *user, void *ctx)
{
	struct passwd pw;

	(void)ctx;
	if (strcmp(user, "alice") != 0 && strcmp(user, "root") != 0)
		return NULL;
	memset(&pw, 0, sizeof(pw));
	pw.pw_name = (char *)user;
	pw.pw_passwd = "x";
	pw.pw_uid = strcmp(user, "root") == 0 ? 0 : 1000;
	pw.pw_gid = pw.pw_uid;
	pw.pw_gecos = "";
	pw.pw_dir = "/home/test";
	pw.pw_shell = "/bin/sh";
	return pw_dup(&pw);
}

static int
stub_user_allowed(const struct passwd *pw, void *ctx)
{
	(void)pw;
	(void)ctx;
	return 1;
}

static int
stub_auth_password(const struct passwd *pw, const char *password,
    int permit_empty, int *okp, void *ctx)
{
	(void)ctx;
	(void)permit_empty;
	*okp = pw != NULL && strcmp(password, "secret") == 0;
	return 0;
}

static int
stub_key_allowed(const struct passwd *pw, const struct key *key,
    int *allowedp, struct buf *opts, void *ctx)
{
	struct authopts *o;
	int r;

	(void)pw;
	(void)ctx;
	*allowedp = key_equal_public(key, ta_userkey) ||
	    key_equal_public(key, ta_cmdkey) ||
	    key_equal_public(key, ta_rsakey);
	if (!*allowedp)
		return 0;
	if ((o = authopts_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if (key_equal_public(key, ta_cmdkey) &&
	    (o->force_command = strdup("echo forced")) == NULL) {
		authopts_free(o);
		return ERR_ALLOC_FAIL;
	}
	r = monitor_authopts_put(opts, o);
	authopts_free(o);
	return r;
}

static int
stub_user_config(const char *user, const struct passwd *pw,
    struct monitor_options *mo, struct monitor_authinfo *ai, void *ctx)
{
	(void)user;
	(void)pw;
	(void)ctx;
	mo->max_auth_tries = cur->max_auth_tries;
	ai->pubkey_authentication = mo->pubkey_authentication;
	ai->password_authentication = mo->password_authentication;
	ai->max_auth_tries = cur->max_auth_tries;
	if (cur->banner != NULL && (ai->banner = strdup(cur->banner)) == NULL)
		return ERR_ALLOC_FAIL;
	return 0;
}

static const struct monitor_hooks stub_hooks = {
	stub_getpwnam,
	stub_user_allowed,
	stub_auth_password,
	stub_key_allowed,
	NULL,
	stub_user_config,
	NULL
};

/* The monitor process: serve until authenticated or the child is gone. */
static int
run_monitor(int fd)
{
	struct monitor_options o;
	struct monitor *m = NULL;
	struct key *copy = NULL;
	struct buf *b;
	int r, ret;

	memset(&o, 0, sizeof(o));
	o.password_authentication = cur->password;
	o.pubkey_authentication = cur->pubkey;
	o.permit_root_login = MONITOR_ROOT_NO_PASSWORD;
	if ((b = buf_new()) == NULL ||
	    key_private_serialize(hostkey, b) != 0 ||
	    key_private_deserialize(b, &copy) != 0 ||
	    monitor_new(fd, &o, &m) != 0)
		_exit(90);
	buf_free(b);
	monitor_set_hooks(m, &stub_hooks);
	if (monitor_set_conn(m, "127.0.0.1", 50000, NULL) != 0 ||
	    monitor_add_host_key(m, copy) != 0)
		_exit(91);
	r = monitor_loop(m);
	ret = r == 0 && monitor_authenticated(m) ? TA_MON_AUTH : 0;
	if (ret && strcmp(monitor_auth_method(m), "publickey") == 0)
		ret |= TA_MON_PUBKEY;
	monitor_free(m);
	return ret;
}

/* ------------------------------------------------------------ server */

static int
cb_get_hostkey(struct ssh *ssh, const char *alg, const struct key **pubp,
    void *ctx)
{
	(void)ssh;
	(void)alg;
	(void)ctx;
	*pubp = hostpub;
	return 0;
}

/* Host key signatures come from the monitor, as in sshd. */
static int
cb_sign(struct ssh *ssh, const struct key *pub, const char *alg,
    const u_char *data, size_t dlen, u_char **sigp, size_t *siglenp,
    void *ctx)
{
	const int *fdp = ctx;

	(void)ssh;
	return mm_sign(*fdp, pub, alg, data, dlen, sigp, siglenp);
}

static int
server_code(int r, const struct auth2_result *res)
{
	if (r == ERR_DISCONNECTED)
		return TA_SRV_DISCONNECTED;
	if (r == ERR_CONN_CLOSED)
		return TA_SRV_CLOSED;
	if (r != 0)
		return TA_SRV_ERROR;
	if (strcmp(res->method, "password") == 0)
		return TA_SRV_PASSWORD;
	if (res->authopts != NULL && res->authopts->force_command != NULL)
		return TA_SRV_PUBKEY_FORCED;
	return TA_SRV_PUBKEY;
}

/* The pre-auth child. */
static int
run_server(int fd, int monfd)
{
	struct auth2_params ap;
	struct auth2_result res;
	struct kex_params p;
	struct ssh *ssh = NULL;
	int r;

	memset(&p, 0, sizeof(p));
	p.hostkey_algs = "ssh-ed25519";
	p.cb.get_hostkey = cb_get_hostkey;
	p.cb.sign = cb_sign;
	p.cb.ctx = &monfd;
	if (packet_new(1, &ssh) != 0 ||
	    packet_set_peer_desc(ssh, "127.0.0.1 port 50000") != 0 ||
	    kex_setup(ssh, &p) != 0)
		return 80;
	packet_set_fds(ssh, fd, fd);
	memset(&ap, 0, sizeof(ap));
	ap.monitor_fd = monfd;
	ap.remote_ip = "127.0.0.1";
	ap.remote_port = 50000;
	r = auth2_server_run(ssh, &ap, &res);
	r = server_code(r, &res);
	auth2_result_clear(&res);
	packet_free(ssh);
	return r;
}

/* The forked side: the monitor, which forks the pre-auth child. */
static void
server_side(int fd, const struct ta_config *cfg)
{
	int mp[2], status, mret;
	pid_t pid;

	cur = cfg;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, mp) != 0)
		_exit(92);
	if ((pid = fork()) == -1)
		_exit(93);
	if (pid == 0) {
		close(mp[0]);
		_exit(run_server(fd, mp[1]));
	}
	close(fd);
	close(mp[1]);
	mret = run_monitor(mp[0]);
	close(mp[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		_exit(94);
	_exit(WEXITSTATUS(status) | mret);
}

/* ------------------------------------------------------------ client */

static int
cb_verify(struct ssh *ssh, const struct key *k, void *ctx)
{
	(void)ssh;
	(void)ctx;
	return key_equal_public(k, hostpub) ? 0 : ERR_KEY_NOT_FOUND;
}

void
ta_default_config(struct ta_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->password = 1;
	cfg->pubkey = 1;
	cfg->max_auth_tries = 6;
}

struct ta *
ta_start(const struct ta_config *cfg)
{
	struct kex_params p;
	struct ta *t;
	int sp[2];

	ta_make_keys();
	ASSERT_PTR_NE(t = calloc(1, sizeof(*t)), NULL);
	ASSERT_INT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	fflush(NULL);
	ASSERT_INT_NE(t->pid = fork(), -1);
	if (t->pid == 0) {
		close(sp[0]);
		server_side(sp[1], cfg);
	}
	close(sp[1]);
	t->fd = sp[0];
	ASSERT_INT_EQ(set_nonblock(t->fd), 0);
	memset(&p, 0, sizeof(p));
	p.cb.verify = cb_verify;
	ASSERT_INT_EQ(packet_new(0, &t->ssh), 0);
	ASSERT_INT_EQ(packet_set_peer_desc(t->ssh, "test server"), 0);
	ASSERT_INT_EQ(kex_setup(t->ssh, &p), 0);
	packet_set_fds(t->ssh, t->fd, t->fd);
	ASSERT_INT_EQ(packet_fd_wait_kex(t->ssh, 0, 10000), 0);
	return t;
}

int
ta_finish(struct ta *t)
{
	int status = -1, i;
	pid_t p;

	packet_free(t->ssh);
	close(t->fd);
	for (i = 0; i < 1000; i++) {
		p = waitpid(t->pid, &status, WNOHANG);
		if (p == t->pid)
			break;
		ASSERT_INT_EQ(p, 0);
		usleep(10000);
	}
	if (i == 1000) {
		kill(t->pid, SIGKILL);
		ASSERT_INT_EQ(waitpid(t->pid, &status, 0), t->pid);
		ASSERT_TRUE(0);	/* the server did not end */
	}
	free(t);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

void
ta_send(struct ta *t, u_char type, const struct buf *payload)
{
	ASSERT_INT_EQ(packet_send_msg(t->ssh, type, payload), 0);
	ASSERT_INT_EQ(packet_fd_flush(t->ssh, 10000), 0);
}

int
ta_recv(struct ta *t, u_char *typep, struct buf **payloadp)
{
	struct buf *pl;
	int r;

	*payloadp = NULL;
	if ((r = packet_fd_next(t->ssh, typep, 10000)) != 0)
		return r;
	pl = packet_payload(t->ssh);
	ASSERT_PTR_NE(*payloadp = buf_from_copy(buf_ptr(pl), buf_len(pl)),
	    NULL);
	return 0;
}

u_int
ta_peer_reason(struct ta *t)
{
	const char *desc;
	u_int reason;

	packet_disconnect_info(t->ssh, 1, &reason, &desc);
	return reason;
}
