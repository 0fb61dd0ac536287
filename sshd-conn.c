/*
 * sshd-conn.c: one connection's monitor (DESIGN.md section 2).  Runs as
 * root in the re-executed process (or in the -d / -i process): works
 * out who is connecting, evaluates the config for the connection, forks
 * the pre-auth child (sshd-preauth.c), serves it with the monitor until
 * the user is authenticated, takes the transport state, then forks the
 * session child as the user (sshd-postauth.c) and serves it until it
 * ends.  LoginGraceTime is an alarm here: when it fires the pre-auth
 * child is killed.  No child outlives the monitor.
 */
#include "includes.h"

#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <ctype.h>
#include <netdb.h>
#include <signal.h>

#include "buf.h"
#include "errcode.h"
#include "kex-names.h"
#include "key.h"
#include "keyfile.h"
#include "log.h"
#include "misc.h"
#include "monitor.h"
#include "sandbox.h"
#include "servconf.h"
#include "sshd.h"
#include "uidswap.h"
#include "xmalloc.h"

/* For the signal handler and the cleanup at fatal(). */
static volatile pid_t conn_child = -1;
static volatile sig_atomic_t grace_expired;

static void
kill_child(void)
{
	int status;

	if (conn_child > 0) {
		(void)kill(conn_child, SIGKILL);
		(void)waitpid(conn_child, &status, 0);
		conn_child = -1;
	}
}

static void
conn_cleanup(int status)
{
	kill_child();
	_exit(status);
}

static void
grace_alarm(int sig)
{
	grace_expired = 1;
	if (conn_child > 0)
		(void)kill(conn_child, SIGKILL);
}

/* ------------------------------------------------------------ set-up */

static void
sockaddr_split(const struct sockaddr_storage *ss, socklen_t len, char *host,
    size_t hostlen, int *portp)
{
	char port[NI_MAXSERV];
	const char *errstr = NULL;

	if (getnameinfo((const struct sockaddr *)ss, len, host, hostlen, port,
	    sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		strlcpy(host, "UNKNOWN", hostlen);
		*portp = 65535;
		return;
	}
	*portp = (int)strtonum(port, 0, 65535, &errstr);
	if (errstr != NULL)
		*portp = 65535;
}

/* Who is at the other end (inetd may hand us something not a socket). */

/*
 * UseDNS: the reverse name counts only if it is not an address itself
 * and resolves forward to the client's address; otherwise whoever
 * controls the reverse zone could match "Match Host" and from= host
 * patterns at will.  The name is lower-cased.
 */
static int
name_confirmed(char *name, int family, const char *ip)
{
	struct addrinfo hints, *ai = NULL, *a;
	char buf[NI_MAXHOST];
	int ok = 0;
	char *p;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST;
	if (getaddrinfo(name, NULL, &hints, &ai) == 0) {
		logit("Nasty PTR record \"%s\" is set up for %s, ignoring",
		    name, ip);
		freeaddrinfo(ai);
		return 0;
	}
	for (p = name; *p != '\0'; p++)
		*p = (char)tolower((u_char)*p);
	hints.ai_family = family;
	hints.ai_flags = 0;
	if (getaddrinfo(name, NULL, &hints, &ai) != 0) {
		logit("reverse mapping checking getaddrinfo for %s [%s] "
		    "failed.", name, ip);
		return 0;
	}
	for (a = ai; a != NULL && !ok; a = a->ai_next) {
		if (getnameinfo(a->ai_addr, a->ai_addrlen, buf, sizeof(buf),
		    NULL, 0, NI_NUMERICHOST) == 0 && strcmp(buf, ip) == 0)
			ok = 1;
	}
	freeaddrinfo(ai);
	if (!ok)
		logit("Address %s maps to %s, but this does not map back to "
		    "the address.", ip, name);
	return ok;
}

static void
conn_addresses(struct sshd_conn *c)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char name[NI_MAXHOST];

	memset(&ss, 0, sizeof(ss));
	len = sizeof(ss);
	if (getpeername(c->sock_in, (struct sockaddr *)&ss, &len) == 0)
		sockaddr_split(&ss, len, c->remote_ip,
		    sizeof(c->remote_ip), &c->remote_port);
	else {
		strlcpy(c->remote_ip, "UNKNOWN", sizeof(c->remote_ip));
		c->remote_port = 65535;
	}
	memset(&ss, 0, sizeof(ss));
	len = sizeof(ss);
	if (getsockname(c->sock_in, (struct sockaddr *)&ss, &len) == 0)
		sockaddr_split(&ss, len, c->local_ip, sizeof(c->local_ip),
		    &c->local_port);
	else {
		strlcpy(c->local_ip, "UNKNOWN", sizeof(c->local_ip));
		c->local_port = 65535;
	}
	c->remote_host = xstrdup(c->remote_ip);
	if (!c->ctx->global->use_dns || strcmp(c->remote_ip, "UNKNOWN") == 0)
		return;
	memset(&ss, 0, sizeof(ss));
	len = sizeof(ss);
	if (getpeername(c->sock_in, (struct sockaddr *)&ss, &len) == 0 &&
	    getnameinfo((struct sockaddr *)&ss, len, name, sizeof(name),
	    NULL, 0, NI_NAMEREQD) == 0 &&
	    name_confirmed(name, ss.ss_family, c->remote_ip)) {
		free(c->remote_host);
		c->remote_host = xstrdup(name);
	}
}

/* The connection as Match sees it, and its options. */
static void
conn_config(struct sshd_conn *c)
{
	const struct sshd_opts *o = c->ctx->opts;
	int r;

	if ((r = servconf_conn_parse("", &c->conn)) != 0)
		fatal_fr(r, "servconf_conn_parse");
	c->conn->address = xstrdup(c->remote_ip);
	c->conn->laddress = xstrdup(c->local_ip);
	c->conn->lport = c->local_port;
	if (c->ctx->global->use_dns)
		c->conn->host = xstrdup(c->remote_host);
	if ((r = servconf_evaluate(c->ctx->text, c->conn, &c->cfg)) != 0)
		fatal_fr(r, "config for %s", c->remote_ip);
	if (o->debug == 0 && !o->quiet &&
	    c->cfg->log_level != LOG_LEVEL_NOT_SET)
		log_set_level(c->cfg->log_level);
}

/* The signature algorithms of HostKeyAlgorithms that a loaded key serves. */
static void
conn_hostkey_algs(struct sshd_conn *c)
{
	struct buf *b;
	char *list, *cp, *alg;
	size_t i;
	int type, nid;

	if ((b = buf_new()) == NULL)
		fatal("out of memory");
	list = xstrdup(c->cfg->hostkey_algorithms != NULL ?
	    c->cfg->hostkey_algorithms : KEX_DEFAULT_HOSTKEY);
	for (cp = list; (alg = strsep(&cp, ",")) != NULL;) {
		if (kex_names_hostkey_type(alg, &type, &nid) != 0)
			continue;
		for (i = 0; i < c->npubkeys; i++) {
			if ((int)key_type(c->pubkeys[i]) != type ||
			    (type == KEY_ECDSA &&
			    key_ecdsa_nid(c->pubkeys[i]) != nid))
				continue;
			if (buf_putf(b, "%s%s", buf_len(b) ? "," : "",
			    alg) != 0)
				fatal("out of memory");
			break;
		}
	}
	free(list);
	if (buf_len(b) == 0)
		fatal("No host key algorithms usable with the loaded keys");
	if ((c->hostkey_algs = buf_dup_string(b)) == NULL)
		fatal("out of memory");
	buf_free(b);
}

/*
 * The host keys' public halves, for the children.  The private keys are
 * wiped again at once: a child forked from here must not hold them.
 */
static void
conn_public_keys(struct sshd_conn *c)
{
	const struct conf_strlist *files = &c->cfg->host_key_files;
	struct key *k;
	u_int i;
	int r;

	for (i = 0; i < files->n && c->npubkeys < SSHD_MAX_HOSTKEYS; i++) {
		if ((r = keyfile_load_private(files->v[i], NULL, &k,
		    NULL)) != 0) {
			error("Unable to load host key: %s", files->v[i]);
			continue;
		}
		r = key_demote(k, &c->pubkeys[c->npubkeys]);
		key_free(k);
		if (r != 0)
			fatal_fr(r, "host key %s", files->v[i]);
		c->npubkeys++;
	}
	if (c->npubkeys == 0)
		fatal("sshd: no hostkeys available -- exiting.");
	conn_hostkey_algs(c);
}

/* The monitor gets the private halves (after the pre-auth fork). */
static void
conn_private_keys(struct sshd_conn *c)
{
	const struct conf_strlist *files = &c->cfg->host_key_files;
	struct key *k;
	u_int i;
	size_t j;
	int r;

	for (i = 0; i < files->n; i++) {
		if (keyfile_load_private(files->v[i], NULL, &k, NULL) != 0)
			continue;
		for (j = 0; j < c->npubkeys; j++) {
			if (key_equal_public(k, c->pubkeys[j]))
				break;
		}
		if (j == c->npubkeys) {
			/* Changed since a moment ago: not offered. */
			key_free(k);
			continue;
		}
		if ((r = monitor_add_host_key(c->m, k)) != 0)
			fatal_fr(r, "monitor_add_host_key");
	}
}

/*
 * ModuliFile, read now for group exchange in the chrooted child; when
 * it is missing, kex uses the built-in groups.
 */
static void
conn_moduli(struct sshd_conn *c)
{
	const char *path = c->cfg->moduli_file;
	struct buf *b = NULL;
	int r;

	if (path == NULL)
		return;
	if ((r = buf_load_file(path, &b)) != 0) {
		debug_fr(r, "moduli file %s", path);
		return;
	}
	if (buf_len(b) > SSHD_MAX_MODULI)
		error("moduli file %s too large: not used", path);
	else if ((c->moduli_text = buf_dup_string(b)) == NULL)
		fatal("out of memory");
	buf_free(b);
}

static enum monitor_permit_root
permit_root(int v)
{
	switch (v) {
	case SC_PERMIT_YES:
		return MONITOR_ROOT_YES;
	case SC_PERMIT_NO_PASSWD:
		return MONITOR_ROOT_NO_PASSWORD;
	case SC_PERMIT_FORCED_ONLY:
		return MONITOR_ROOT_FORCED_ONLY;
	default:
		return MONITOR_ROOT_NO;
	}
}

void
sshd_monitor_options(const struct servconf *cfg, struct monitor_options *mo)
{
	memset(mo, 0, sizeof(*mo));
	mo->password_authentication = cfg->password_authentication;
	mo->permit_empty_passwords = cfg->permit_empty_passwords;
	mo->pubkey_authentication = cfg->pubkey_authentication;
	mo->permit_root_login = permit_root(cfg->permit_root_login);
	mo->max_auth_tries = cfg->max_authtries > 0 ?
	    (u_int)cfg->max_authtries : 0;
	mo->max_ptys = cfg->max_sessions > 0 ? (u_int)cfg->max_sessions : 0;
}

static void
conn_monitor(struct sshd_conn *c, int fd)
{
	struct monitor_options mo;
	int r;

	sshd_monitor_options(c->cfg, &mo);
	if ((r = monitor_new(fd, &mo, &c->m)) != 0)
		fatal_fr(r, "monitor_new");
	if ((r = monitor_set_conn(c->m, c->remote_ip, c->remote_port,
	    c->remote_host)) != 0)
		fatal_fr(r, "monitor_set_conn");
	sshd_hooks_install(c);
}

/* ------------------------------------------------------------ phases */

static void
wait_child(const char *what)
{
	int status;
	pid_t pid = conn_child;

	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR) {
			conn_child = -1;
			return;
		}
	}
	conn_child = -1;
	/* SIGSYS: the sandbox caught a system call it does not allow. */
	if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL &&
	    WTERMSIG(status) != SIGTERM)
		error("%s child %ld killed by signal %d", what, (long)pid,
		    WTERMSIG(status));
	else if (WIFSIGNALED(status))
		debug("%s child %ld killed by signal %d", what, (long)pid,
		    WTERMSIG(status));
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		debug("%s child %ld exited with status %d", what, (long)pid,
		    WEXITSTATUS(status));
}

static void
start_grace_alarm(const struct sshd_conn *c)
{
	struct sigaction sa;

	if (c->cfg->login_grace_time <= 0)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = grace_alarm;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) == -1)
		fatal("sigaction: %s", strerror(errno));
	alarm((u_int)c->cfg->login_grace_time);
}

/* The user is in (or the connection is over): release the slot. */
static void
close_startup(struct sshd_conn *c)
{
	if (c->ctx->startup_fd != -1) {
		close(c->ctx->startup_fd);
		c->ctx->startup_fd = -1;
	}
}

/* Fork the pre-auth child and serve it until authentication. */
static struct buf *
preauth(struct sshd_conn *c)
{
	struct buf *state = NULL;
	int sv[2], r;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		fatal("socketpair: %s", strerror(errno));
	c->monfd = sv[0];
	conn_monitor(c, sv[0]);
	setproctitle("%s [priv]", c->remote_ip);
	if ((pid = fork()) == -1)
		fatal("fork: %s", strerror(errno));
	if (pid == 0) {
		close(sv[0]);
		close_startup(c);
		sshd_preauth_child(c, sv[1]);
	}
	conn_child = pid;
	debug("pre-auth child %ld (sandbox %s)", (long)pid,
	    sandbox_kind_name(c->ctx->sandbox));
	close(sv[1]);
	conn_private_keys(c);
	start_grace_alarm(c);
	r = monitor_loop(c->m);
	if (r == 0) {
		/* Then the transport state, after any log lines. */
		while ((r = monitor_take_state(c->m, &state)) ==
		    ERR_NOT_FOUND) {
			if ((r = monitor_process_one(c->m)) != 0)
				break;
		}
	}
	alarm(0);
	if (grace_expired) {
		kill_child();
		logit("Timeout before authentication for %s port %d",
		    c->remote_ip, c->remote_port);
		exit(1);
	}
	if (r != 0) {
		/* The child closed its end: it has ended (or is ending). */
		wait_child("pre-auth");
		exit(0);
	}
	wait_child("pre-auth");
	close_startup(c);
	return state;
}

/* Fork the session child as the user and serve it to the end. */
static void noreturn_fn
postauth(struct sshd_conn *c, struct buf *state)
{
	int sv[2], r;
	pid_t pid;

	monitor_set_phase(c->m, MON_PHASE_POSTAUTH);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		fatal("socketpair: %s", strerror(errno));
	/* The monitor keeps serving on the same descriptor number. */
	if (dup2(sv[0], c->monfd) == -1)
		fatal("dup2: %s", strerror(errno));
	close(sv[0]);
	if ((pid = fork()) == -1)
		fatal("fork: %s", strerror(errno));
	if (pid == 0) {
		close(c->monfd);
		sshd_session_child(c, sv[1], state);
	}
	conn_child = pid;
	setproctitle("%s [priv]", monitor_user(c->m)->pw_name);
	debug("session child %ld for %s (%s)", (long)pid,
	    monitor_user(c->m)->pw_name, monitor_auth_method(c->m));
	close(sv[1]);
	buf_free(state);
	/* The connection is the child's now. */
	close(c->sock_in);
	if (c->sock_out != c->sock_in)
		close(c->sock_out);
	/* Keep 0 and 1 taken, so no pty lands on them. */
	if (c->sock_in == STDIN_FILENO && stdfd_devnull(1, 1, 0) != 0)
		error("/dev/null: %s", strerror(errno));
	if ((r = monitor_loop_until_closed(c->m)) != 0)
		error_fr(r, "monitor");
	wait_child("session");
	monitor_free(c->m);
	exit(0);
}

void
sshd_conn_run(struct sshd_ctx *ctx, int sock_in, int sock_out)
{
	static struct sshd_conn c;
	char err[512];
	int on = 1;

	memset(&c, 0, sizeof(c));
	c.ctx = ctx;
	c.sock_in = sock_in;
	c.sock_out = sock_out;
	log_set_cleanup(conn_cleanup);
	conn_addresses(&c);
	conn_config(&c);
	verbose("Connection from %s port %d on %s port %d", c.remote_ip,
	    c.remote_port, c.local_ip, c.local_port);
	if (c.cfg->tcp_keep_alive && setsockopt(sock_in, SOL_SOCKET,
	    SO_KEEPALIVE, &on, sizeof(on)) == -1)
		debug("setsockopt SO_KEEPALIVE: %s", strerror(errno));
	conn_public_keys(&c);
	conn_moduli(&c);
	if (geteuid() == 0 && uidswap_privsep_user(PRIVSEP_USER, &c.privpw,
	    err, sizeof(err)) != 0)
		fatal("%s", err);
	postauth(&c, preauth(&c));
}
