/*
 * sshd-listen.c: sshd's listener (DESIGN.md section 2).  It binds every
 * ListenAddress, writes the PidFile, and for each accepted connection
 * forks a child that re-executes sshd -R with the connection on fds 0/1
 * and the config text on a pipe (sshd.h).  It never reads a byte of the
 * SSH protocol.  MaxStartups counts connections whose startup pipe is
 * still open (the monitor closes it once the user is authenticated).
 * SIGHUP re-executes the listener with its own arguments; SIGTERM,
 * SIGINT and SIGQUIT end it.
 */
#include "includes.h"

#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "servconf.h"
#include "sshd.h"
#include "xmalloc.h"

#define SSHD_MAX_LISTEN		256
#define SSHD_LISTEN_BACKLOG	128

struct listener {
	struct sshd_ctx *ctx;
	int lfds[SSHD_MAX_LISTEN];
	size_t nlfds;
	int *startup;			/* startup pipe read ends, -1 free */
	int nstartup;			/* slots: MaxStartups */
	int startups;			/* slots in use */
	struct buf *config;		/* the serialised config text */
	char *cmdline;			/* for the process title */
	int pidfile_written;
};

static volatile sig_atomic_t got_hup, got_term, got_chld;

static void
sig_handler(int sig)
{
	int save_errno = errno;

	switch (sig) {
	case SIGHUP:
		got_hup = 1;
		break;
	case SIGCHLD:
		got_chld = 1;
		break;
	default:
		got_term = sig;
		break;
	}
	errno = save_errno;
}

/* The handlers; the signals stay blocked except while polling. */
static void
setup_signals(sigset_t *pollmask)
{
	static const int sigs[] = { SIGHUP, SIGTERM, SIGINT, SIGQUIT,
	    SIGCHLD };
	struct sigaction sa;
	sigset_t block;
	size_t i;

	sigemptyset(&block);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sig_handler;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaddset(&block, sigs[i]);
		if (sigaction(sigs[i], &sa, NULL) == -1)
			fatal("sigaction: %s", strerror(errno));
	}
	if (sigprocmask(SIG_BLOCK, &block, pollmask) == -1)
		fatal("sigprocmask: %s", strerror(errno));
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigdelset(pollmask, sigs[i]);
}

/* ------------------------------------------------------------ binding */

static void
addr_str(const struct sockaddr *sa, socklen_t len, char *host,
    size_t hostlen, char *port, size_t portlen)
{
	if (getnameinfo(sa, len, host, hostlen, port, portlen,
	    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		strlcpy(host, "?", hostlen);
		strlcpy(port, "?", portlen);
	}
}

/* One listening socket; -1 (logged) if it cannot be had. */
static int
listen_one(const struct servconf_laddr *la)
{
	const struct sockaddr *sa = (const struct sockaddr *)&la->addr;
	char host[NI_MAXHOST], port[NI_MAXSERV];
	int fd, on = 1;

	addr_str(sa, la->addrlen, host, sizeof(host), port, sizeof(port));
	if ((fd = socket(sa->sa_family, SOCK_STREAM, 0)) == -1) {
		verbose("socket: %.100s", strerror(errno));
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1)
		error("setsockopt SO_REUSEADDR: %s", strerror(errno));
	/* An IPv6 wildcard must not take the IPv4 one's place. */
	if (sa->sa_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1)
		error("setsockopt IPV6_V6ONLY: %s", strerror(errno));
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1 || set_nonblock(fd) != 0) {
		error("fcntl: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (bind(fd, sa, la->addrlen) == -1) {
		error("Bind to port %s on %s failed: %.200s.", port, host,
		    strerror(errno));
		close(fd);
		return -1;
	}
	if (listen(fd, SSHD_LISTEN_BACKLOG) == -1) {
		error("listen on [%s]:%s: %.100s", host, port,
		    strerror(errno));
		close(fd);
		return -1;
	}
	logit("Server listening on %s port %s%s%s.", host, port,
	    la->rdomain == NULL ? "" : " rdomain ",
	    la->rdomain == NULL ? "" : la->rdomain);
	return fd;
}

static void
listen_all(struct listener *l)
{
	struct servconf_laddr *addrs = NULL;
	u_int naddrs = 0, i;
	int fd, r;

	if ((r = servconf_listen_resolve(l->ctx->global, &addrs,
	    &naddrs)) != 0)
		fatal_fr(r, "listen addresses");
	for (i = 0; i < naddrs && l->nlfds < SSHD_MAX_LISTEN; i++) {
		if ((fd = listen_one(&addrs[i])) != -1)
			l->lfds[l->nlfds++] = fd;
	}
	servconf_laddrs_free(addrs, naddrs);
	if (l->nlfds == 0)
		fatal("Cannot bind any address.");
}

static void
close_listeners(struct listener *l)
{
	size_t i;

	for (i = 0; i < l->nlfds; i++)
		close(l->lfds[i]);
	l->nlfds = 0;
}

/* ------------------------------------------------------------ pid file */

static void
pidfile_write(struct listener *l)
{
	const char *path = l->ctx->global->pid_file;
	FILE *f;

	if (path == NULL || l->ctx->opts->debug > 0)
		return;
	if ((f = fopen(path, "w")) == NULL) {
		error("Couldn't create pid file \"%s\": %s", path,
		    strerror(errno));
		return;
	}
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) != 0)
		error("Couldn't write pid file \"%s\": %s", path,
		    strerror(errno));
	l->pidfile_written = 1;
}

static void
pidfile_remove(struct listener *l)
{
	if (l->pidfile_written && l->ctx->global->pid_file != NULL)
		(void)unlink(l->ctx->global->pid_file);
	l->pidfile_written = 0;
}

/* ------------------------------------------------------------ startups */

static void
startups_init(struct listener *l)
{
	int i;

	l->nstartup = l->ctx->global->max_startups;
	if (l->nstartup < 1)
		l->nstartup = 1;
	l->startup = xcalloc((size_t)l->nstartup, sizeof(*l->startup));
	for (i = 0; i < l->nstartup; i++)
		l->startup[i] = -1;
}

/*
 * MaxStartups start:rate:full: below start accept everything, from
 * start on refuse rate percent, rising linearly to all at full.
 */
static int
startups_drop(const struct listener *l)
{
	const struct servconf *g = l->ctx->global;
	int begin = g->max_startups_begin, full = g->max_startups;
	int rate = g->max_startups_rate;
	u_int p;

	if (l->startups >= full || l->startups >= l->nstartup)
		return 1;
	if (l->startups < begin || full <= begin)
		return 0;
	p = (u_int)rate + (u_int)(100 - rate) *
	    (u_int)(l->startups - begin) / (u_int)(full - begin);
	return arc4random_uniform(100) < p;
}

/* "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups", as ps shows. */
static void
listener_title(const struct listener *l)
{
	const struct servconf *g = l->ctx->global;

	setproctitle("%s [listener] %d of %d-%d startups", l->cmdline,
	    l->startups, g->max_startups_begin, g->max_startups);
}

static void
startups_add(struct listener *l, int fd)
{
	int i;

	for (i = 0; i < l->nstartup; i++) {
		if (l->startup[i] == -1) {
			l->startup[i] = fd;
			l->startups++;
			listener_title(l);
			return;
		}
	}
	close(fd);	/* cannot happen: startups_drop() said no */
}

static void
startups_close(struct listener *l, int i)
{
	close(l->startup[i]);
	l->startup[i] = -1;
	l->startups--;
	listener_title(l);
}

/* ------------------------------------------------------------ spawning */

/*
 * The connection's child: fds as sshd.h describes, then sshd -R with
 * the listener's own arguments.
 */
static void noreturn_fn
exec_child(struct listener *l, int sock, int cfgfd, int startfd)
{
	const struct sshd_opts *o = l->ctx->opts;
	char **av;
	int i;

	if (dup2(sock, STDIN_FILENO) == -1 ||
	    dup2(sock, STDOUT_FILENO) == -1 ||
	    dup2(cfgfd, SSHD_REEXEC_CONFIG_FD) == -1 ||
	    dup2(startfd, SSHD_REEXEC_STARTUP_FD) == -1) {
		error("dup2: %s", strerror(errno));
		_exit(1);
	}
	closefrom(SSHD_REEXEC_STARTUP_FD + 1);
	av = xcalloc((size_t)o->argc + 2, sizeof(*av));
	for (i = 0; i < o->argc; i++)
		av[i] = o->argv[i];
	av[i] = "-R";
	execv(o->argv[0], av);
	error("rexec of %s failed: %s", o->argv[0], strerror(errno));
	_exit(1);
}

static void
spawn(struct listener *l, int sock)
{
	int cfgp[2], startp[2];
	pid_t pid;
	sigset_t empty;

	if (pipe(cfgp) == -1 || pipe(startp) == -1) {
		error("pipe: %s", strerror(errno));
		return;
	}
	if ((pid = fork()) == -1) {
		error("fork: %s", strerror(errno));
		close(cfgp[0]);
		close(cfgp[1]);
		close(startp[0]);
		close(startp[1]);
		return;
	}
	if (pid == 0) {
		sigemptyset(&empty);
		(void)sigprocmask(SIG_SETMASK, &empty, NULL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		close(cfgp[1]);
		close(startp[0]);
		exec_child(l, sock, cfgp[0], startp[1]);
	}
	close(cfgp[0]);
	close(startp[1]);
	debug("Forked child %ld.", (long)pid);
	/* The child reads it all once it runs (a pipe holds 64 KiB). */
	if (atomicio_write(cfgp[1], buf_ptr(l->config),
	    buf_len(l->config)) != buf_len(l->config))
		error("config to child %ld: %s", (long)pid, strerror(errno));
	close(cfgp[1]);
	startups_add(l, startp[0]);
}

static void
log_drop(int sock, int n)
{
	struct sockaddr_storage from, to;
	socklen_t fromlen = sizeof(from), tolen = sizeof(to);
	char fh[NI_MAXHOST], fp[NI_MAXSERV], th[NI_MAXHOST], tp[NI_MAXSERV];

	memset(&from, 0, sizeof(from));
	memset(&to, 0, sizeof(to));
	if (getpeername(sock, (struct sockaddr *)&from, &fromlen) == -1 ||
	    getsockname(sock, (struct sockaddr *)&to, &tolen) == -1)
		return;
	addr_str((struct sockaddr *)&from, fromlen, fh, sizeof(fh), fp,
	    sizeof(fp));
	addr_str((struct sockaddr *)&to, tolen, th, sizeof(th), tp,
	    sizeof(tp));
	verbose("drop connection #%d from [%s]:%s on [%s]:%s past "
	    "MaxStartups", n, fh, fp, th, tp);
}

/* -d: serve this connection here and now. */
static void noreturn_fn
serve_debug(struct listener *l, int sock)
{
	sigset_t empty;

	close_listeners(l);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	sigemptyset(&empty);
	(void)sigprocmask(SIG_SETMASK, &empty, NULL);
	sshd_conn_run(l->ctx, sock, sock);
}

static void
accept_one(struct listener *l, int lfd)
{
	int sock;

	if ((sock = accept(lfd, NULL, NULL)) == -1) {
		if (errno != EINTR && errno != EAGAIN &&
		    errno != EWOULDBLOCK && errno != ECONNABORTED)
			error("accept: %.100s", strerror(errno));
		return;
	}
	if (unset_nonblock(sock) != 0) {
		close(sock);
		return;
	}
	if (l->ctx->opts->debug > 0)
		serve_debug(l, sock);
	if (startups_drop(l)) {
		log_drop(sock, l->startups);
		close(sock);
		return;
	}
	spawn(l, sock);
	close(sock);
}

/* ------------------------------------------------------------ loop */

static void
reap_children(void)
{
	int status;

	got_chld = 0;
	while (waitpid(-1, &status, WNOHANG) > 0)
		;
}

static void noreturn_fn
restart(struct listener *l)
{
	const struct sshd_opts *o = l->ctx->opts;
	sigset_t empty;
	int i;

	logit("Received SIGHUP; restarting.");
	close_listeners(l);
	for (i = 0; i < l->nstartup; i++) {
		if (l->startup[i] != -1)
			startups_close(l, i);
	}
	sigemptyset(&empty);
	(void)sigprocmask(SIG_SETMASK, &empty, NULL);
	signal(SIGHUP, SIG_DFL);
	execv(o->argv[0], o->argv);
	fatal("RESTART FAILED: av[0]='%.100s', error: %.100s.", o->argv[0],
	    strerror(errno));
}

static void
serve(struct listener *l, const sigset_t *pollmask)
{
	struct pollfd *pfd;
	size_t n, i;
	int k;

	n = l->nlfds + (size_t)l->nstartup;
	pfd = xcalloc(n, sizeof(*pfd));
	for (;;) {
		if (got_term) {
			logit("Received signal %d; terminating.",
			    (int)got_term);
			pidfile_remove(l);
			exit(255);
		}
		if (got_hup) {
			pidfile_remove(l);
			restart(l);
		}
		if (got_chld)
			reap_children();
		for (i = 0; i < l->nlfds; i++) {
			pfd[i].fd = l->lfds[i];
			pfd[i].events = POLLIN;
		}
		for (k = 0; k < l->nstartup; k++) {
			pfd[l->nlfds + k].fd = l->startup[k];
			pfd[l->nlfds + k].events = POLLIN;
		}
		if (ppoll(pfd, n, NULL, pollmask) == -1) {
			if (errno != EINTR)
				error("poll: %.100s", strerror(errno));
			continue;
		}
		for (k = 0; k < l->nstartup; k++) {
			if (l->startup[k] != -1 &&
			    pfd[l->nlfds + k].revents != 0)
				startups_close(l, k);
		}
		for (i = 0; i < l->nlfds; i++) {
			if (pfd[i].revents & POLLIN)
				accept_one(l, l->lfds[i]);
		}
	}
}

static void
daemonise(void)
{
	pid_t pid;

	if ((pid = fork()) == -1)
		fatal("fork: %s", strerror(errno));
	if (pid != 0)
		_exit(0);
	if (setsid() == -1)
		error("setsid: %s", strerror(errno));
	if (chdir("/") == -1)
		error("chdir /: %s", strerror(errno));
	if (stdfd_devnull(1, 1, 1) != 0)
		fatal("/dev/null: %s", strerror(errno));
}

void
sshd_listen_run(struct sshd_ctx *ctx)
{
	struct listener l;
	sigset_t pollmask;
	int r;

	memset(&l, 0, sizeof(l));
	l.ctx = ctx;
	if ((l.config = buf_new()) == NULL)
		fatal("out of memory");
	if ((r = servconf_text_serialise(ctx->text, l.config)) != 0)
		fatal_fr(r, "serialise config");
	startups_init(&l);
	listen_all(&l);
	if (ctx->opts->debug == 0 && !ctx->opts->no_daemon) {
		daemonise();
		/* Now only syslog (or -E) is left. */
		sshd_log_setup(ctx->opts, ctx->global, 0);
	}
	if ((l.cmdline = argv_assemble(ctx->opts->argc,
	    ctx->opts->argv)) == NULL)
		fatal("out of memory");
	listener_title(&l);
	setup_signals(&pollmask);
	pidfile_write(&l);
	serve(&l, &pollmask);
	fatal("listener loop ended");
}
