/*
 * sshconnect.c: ssh's connection to the server: TCP or ProxyCommand,
 * then the version exchange and the first key exchange (sshconnect.h).
 */
#include "includes.h"

#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>

#include "errcode.h"
#include "kex-names.h"
#include "kex.h"
#include "log.h"
#include "misc.h"
#include "packet.h"
#include "readconf.h"
#include "sshconnect.h"
#include "xmalloc.h"

#ifndef _PATH_BSHELL
#define _PATH_BSHELL	"/bin/sh"
#endif

/* ------------------------------------------------------------ TCP */

/*
 * Wait for a non-blocking connect on fd to finish, at most timeout_ms
 * (-1: no limit).  0 or -1 with errno set.
 */
static int
wait_connect(int fd, int timeout_ms)
{
	struct pollfd pfd;
	socklen_t optlen;
	int n, err;

	pfd.fd = fd;
	pfd.events = POLLOUT;
	for (;;) {
		n = poll(&pfd, 1, timeout_ms);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		break;
	}
	optlen = sizeof(err);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &optlen) == -1)
		return -1;
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}

/* One address: a connected blocking socket, or -1 with errno set. */
static int
connect_one(const struct addrinfo *ai, int timeout_ms)
{
	int fd, saved;

	if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
	    ai->ai_protocol)) == -1)
		return -1;
	if (set_nonblock(fd) != 0)
		goto fail;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
		if (errno != EINPROGRESS)
			goto fail;
		if (wait_connect(fd, timeout_ms) != 0)
			goto fail;
	}
	if (unset_nonblock(fd) != 0)
		goto fail;
	return fd;
 fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

static void
set_keepalive(const struct readconf *o, int fd)
{
	int on = 1;

	if (o->tcp_keep_alive &&
	    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on)) == -1)
		error("setsockopt SO_KEEPALIVE: %s", strerror(errno));
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
}

/* Try each address once; 0 with c's socket fields set, or ERR_ERRNO. */
static int
connect_addrs(struct sshconnect *c, const struct addrinfo *res)
{
	const struct addrinfo *ai;
	char ntop[NI_MAXHOST];
	int fd, timeout_ms, saved = ECONNREFUSED;

	timeout_ms = c->cfg->connect_timeout > 0 ?
	    c->cfg->connect_timeout * 1000 : -1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, ntop,
		    sizeof(ntop), NULL, 0, NI_NUMERICHOST) != 0)
			strlcpy(ntop, "UNKNOWN", sizeof(ntop));
		debug("Connecting to %s [%s] port %d.", c->host, ntop,
		    c->port);
		if ((fd = connect_one(ai, timeout_ms)) == -1) {
			saved = errno;
			debug("connect to address %s port %d: %s", ntop,
			    c->port, strerror(errno));
			continue;
		}
		strlcpy(c->ip, ntop, sizeof(c->ip));
		memcpy(&c->addr, ai->ai_addr, ai->ai_addrlen);
		c->addrlen = ai->ai_addrlen;
		c->fd_in = c->fd_out = fd;
		set_keepalive(c->cfg, fd);
		debug("Connection established.");
		return 0;
	}
	errno = saved;
	return ERR_ERRNO;
}

static int
connect_tcp(struct sshconnect *c)
{
	struct addrinfo hints, *res = NULL;
	char strport[16];
	int r, gai, attempt, saved;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = c->cfg->address_family;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(strport, sizeof(strport), "%d", c->port);
	if ((gai = getaddrinfo(c->host, strport, &hints, &res)) != 0) {
		error("ssh: Could not resolve hostname %s: %s", c->host,
		    gai_strerror(gai));
		return ERR_NOT_FOUND;
	}
	r = ERR_ERRNO;
	for (attempt = 0; attempt < c->cfg->connection_attempts; attempt++) {
		if (attempt > 0) {
			/* As OpenSSH: a second between attempts. */
			sleep(1);
			debug("Trying again...");
		}
		if ((r = connect_addrs(c, res)) == 0)
			break;
	}
	saved = errno;
	freeaddrinfo(res);
	if (r != 0)
		error("ssh: connect to host %s port %d: %s", c->host, c->port,
		    strerror(saved));
	return r;
}

/* ------------------------------------------------------------ proxy */

/* The ProxyCommand with %h %p %r %n %% expanded; NULL after a message. */
static char *
proxy_expand(const struct sshconnect *c)
{
	const struct readconf *o = c->cfg;
	char portstr[16], *cmd = NULL;
	struct percent_map map[] = {
		{ 'h', c->host },
		{ 'p', portstr },
		{ 'r', o->user },
		{ 'n', o->host_arg != NULL ? o->host_arg : c->host },
		{ '\0', NULL }
	};
	int r;

	snprintf(portstr, sizeof(portstr), "%d", c->port);
	if ((r = percent_expand(o->proxy_command, map, &cmd)) != 0) {
		error("ProxyCommand: %s: %s", o->proxy_command,
		    errcode_str(r));
		return NULL;
	}
	return cmd;
}

static void noreturn_fn
proxy_child(int in[2], int out[2], const char *cmd)
{
	char *argv[4], *line = NULL;

	/* Our stdin/stdout stay ssh's: the command's are the pipes. */
	if (dup2(out[0], STDIN_FILENO) == -1 ||
	    dup2(in[1], STDOUT_FILENO) == -1)
		_exit(1);
	close(out[0]);
	close(out[1]);
	close(in[0]);
	close(in[1]);
	xasprintf(&line, "exec %s", cmd);
	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = line;
	argv[3] = NULL;
	(void)signal(SIGPIPE, SIG_DFL);
	execv(_PATH_BSHELL, argv);
	fprintf(stderr, "exec %s: %s\n", _PATH_BSHELL, strerror(errno));
	_exit(1);
}

static int
connect_proxy(struct sshconnect *c)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 };
	char *cmd;
	pid_t pid;

	if ((cmd = proxy_expand(c)) == NULL)
		return ERR_CONFIG_INVALID;
	debug("Executing proxy command: %s", cmd);
	if (pipe(in) == -1 || pipe(out) == -1) {
		error("pipe: %s", strerror(errno));
		goto fail;
	}
	if ((pid = fork()) == -1) {
		error("fork: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0)
		proxy_child(in, out, cmd);
	free(cmd);
	close(in[1]);
	close(out[0]);
	(void)fcntl(in[0], F_SETFD, FD_CLOEXEC);
	(void)fcntl(out[1], F_SETFD, FD_CLOEXEC);
	c->fd_in = in[0];
	c->fd_out = out[1];
	c->proxy_pid = pid;
	c->ip[0] = '\0';
	return 0;
 fail:
	free(cmd);
	if (in[0] != -1) {
		close(in[0]);
		close(in[1]);
	}
	if (out[0] != -1) {
		close(out[0]);
		close(out[1]);
	}
	return ERR_ERRNO;
}

int
sshconnect_open(struct sshconnect *c)
{
	c->fd_in = c->fd_out = -1;
	c->proxy_pid = -1;
	c->ip[0] = '\0';
	c->addrlen = 0;
	if (c->cfg->proxy_command != NULL)
		return connect_proxy(c);
	return connect_tcp(c);
}

void
sshconnect_close(struct sshconnect *c)
{
	int status;

	if (c->fd_in != -1)
		close(c->fd_in);
	if (c->fd_out != -1 && c->fd_out != c->fd_in)
		close(c->fd_out);
	c->fd_in = c->fd_out = -1;
	if (c->proxy_pid > 0) {
		(void)kill(c->proxy_pid, SIGHUP);
		while (waitpid(c->proxy_pid, &status, 0) == -1 &&
		    errno == EINTR)
			;
		c->proxy_pid = -1;
	}
}

/* ------------------------------------------------------------ kex */

static void
kex_params_from_config(struct sshconnect *c, struct kex_params *p,
    char *hostkey_algs)
{
	const struct readconf *o = c->cfg;

	memset(p, 0, sizeof(*p));
	p->kex_algs = o->kex_algorithms;
	p->hostkey_algs = hostkey_algs;
	p->ciphers = o->ciphers;
	p->macs = o->macs;
	p->compression = o->compression ? KEX_DEFAULT_COMP_CLIENT_ON :
	    KEX_DEFAULT_COMP_CLIENT;
	p->rekey_bytes = o->rekey_limit > 0 ? (uint64_t)o->rekey_limit : 0;
	p->rekey_seconds = o->rekey_interval > 0 ?
	    (uint32_t)o->rekey_interval : 0;
	p->cb.verify = sshconnect_verify_hostkey;
	p->cb.ctx = c;
}

/*
 * Say why the connection failed where nobody did yet: the packet layer
 * and kex.c already log a closed connection, a DISCONNECT and failed
 * negotiations in OpenSSH's words.
 */
void
sshconnect_report_error(const struct sshconnect *c, struct ssh *ssh, int r)
{
	const char *desc = NULL;
	u_int reason = 0;

	if (c->hostkey_failed) {
		error("Host key verification failed.");
		return;
	}
	switch (r) {
	case ERR_CONN_TIMEOUT:
		if (packet_peer_version(ssh) == NULL)
			error("Connection timed out during banner exchange");
		else
			error("Timeout, server %s not responding.", c->host);
		break;
	case ERR_DISCONNECTED:
		/* The peer's DISCONNECT itself has been logged. */
		packet_disconnect_info(ssh, 1, &reason, &desc);
		if (desc != NULL)
			logit("Disconnected from %s", packet_peer_desc(ssh));
		break;
	case ERR_CONN_CLOSED:
		break;
	default:
		if (packet_is_closed(ssh))
			debug("connection to %s: %s", packet_peer_desc(ssh),
			    errcode_str(r));
		else
			error("Connection to %s: %s", packet_peer_desc(ssh),
			    errcode_str(r));
		break;
	}
}

int
sshconnect_kex(struct sshconnect *c, struct ssh **sshp)
{
	struct kex_params p;
	struct ssh *ssh = NULL;
	char *hkalgs = NULL, desc[128];
	int r = ERR_INTERNAL, timeout_ms;

	*sshp = NULL;
	hkalgs = sshconnect_hostkey_order(c);
	kex_params_from_config(c, &p, hkalgs);
	if (c->ip[0] != '\0')
		snprintf(desc, sizeof(desc), "%s port %d", c->ip, c->port);
	else
		snprintf(desc, sizeof(desc), "%s port %d", c->host, c->port);
	if ((r = packet_new(0, &ssh)) != 0 ||
	    (r = packet_set_peer_desc(ssh, desc)) != 0)
		goto out;
	packet_set_fds(ssh, c->fd_in, c->fd_out);
	timeout_ms = c->cfg->connect_timeout > 0 ?
	    c->cfg->connect_timeout * 1000 : -1;
	if ((r = kex_setup(ssh, &p)) != 0)
		goto out;
	if ((r = packet_fd_wait_kex(ssh, 0, timeout_ms)) != 0) {
		sshconnect_report_error(c, ssh, r);
		if (packet_fd_flush(ssh, 1000) != 0)
			debug("flush at close failed");
		goto out;
	}
	*sshp = ssh;
	ssh = NULL;
	r = 0;
 out:
	free(hkalgs);
	packet_free(ssh);
	return r;
}
