/*
 * ssh-agent: hold private keys and sign with them on request.
 *
 *	ssh-agent [-c | -s] [-Dd] [-a bind_address] [-E fingerprint_hash]
 *	    [-O option] [-P allowed_providers] [-t life] [command [arg ...]]
 *	ssh-agent [-c | -s] -k
 *
 * This file is the program: options, the socket, the fork that leaves a
 * daemon behind, and the event loop.  The requests themselves are
 * answered by agent-server.c.
 */
#include "includes.h"

#if defined(__linux__)
#include <sys/prctl.h>
#endif
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>

#include <openssl/crypto.h>

#include "agent.h"
#include "agent-askpass.h"
#include "agent-server.h"
#include "buf.h"
#include "digest.h"
#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "xmalloc.h"

#define AGENT_MAX_CONNS		512
/* Answers queued for one client before we stop reading its requests. */
#define AGENT_MAX_PENDING	(4 * AGENT_MAX_MSG_LEN)
/* Seconds between checks that the command we run is still our parent. */
#define PARENT_CHECK_INTERVAL	10
/* Secure heap for OpenSSL's private key material (mlocked, not dumped). */
#define SECURE_HEAP_SIZE	(512 * 1024)
#define SECURE_HEAP_MINSIZE	32

struct agent_opts {
	int csh;		/* -c, or $SHELL ends in "csh" */
	int sh;			/* -s */
	int kill;		/* -k */
	int debug;		/* -d */
	int foreground;		/* -D */
	const char *bind_address;
	const char *providers;	/* -P: accepted, no PKCS#11 support */
	int fp_alg;
	uint32_t lifetime;
	char **cmd;		/* command [arg ...] */
};

struct conn {
	int fd;
	struct buf *in;
	struct buf *out;
	struct agent_conn *ac;
};

static char socket_name[PATH_MAX];
static char socket_dir[PATH_MAX];
static pid_t cleanup_pid;	/* only this process removes the socket */
static struct agent_state *the_state;	/* wiped at exit */
static volatile sig_atomic_t got_signal;

static void noreturn_fn
usage(void)
{
	fprintf(stderr,
"usage: ssh-agent [-c | -s] [-Dd] [-a bind_address] [-E fingerprint_hash]\n"
"                 [-O option] [-P allowed_providers] [-t life]\n"
"       ssh-agent [-a bind_address] [-E fingerprint_hash] [-O option]\n"
"                 [-P allowed_providers] [-t life] command [arg ...]\n"
"       ssh-agent [-c | -s] -k\n");
	exit(1);
}

/*
 * Remove the socket and its directory, and wipe the keys (also the
 * log_set_cleanup hook, so fatal() does it too).
 */
static void
cleanup_socket(int status)
{
	if (cleanup_pid != 0 && getpid() != cleanup_pid)
		return;
	agent_state_free(the_state);
	the_state = NULL;
	if (socket_name[0] != '\0') {
		debug_f("removing %s", socket_name);
		unlink(socket_name);
	}
	if (socket_dir[0] != '\0')
		rmdir(socket_dir);
}

static void
signal_handler(int sig)
{
	got_signal = sig;
}

/* ------------------------------------------------------ options */

static void
parse_lifetime(const char *s, uint32_t *lifep)
{
	long secs;

	if (convtime(s, &secs) != 0 || secs < 0 || secs > UINT32_MAX) {
		fprintf(stderr, "Invalid lifetime\n");
		usage();
	}
	*lifep = (uint32_t)secs;
}

static void
parse_args(int argc, char **argv, struct agent_opts *o)
{
	const char *shell;
	int ch;

	memset(o, 0, sizeof(*o));
	o->fp_alg = DIGEST_SHA256;
	/*
	 * "+": stop at the command, whatever options it has; ":" and
	 * opterr = 0: report errors in BSD getopt's words, as OpenSSH.
	 */
	opterr = 0;
	while ((ch = getopt(argc, argv, "+:cDdksE:a:O:P:t:")) != -1) {
		switch (ch) {
		case 'E':
			if ((o->fp_alg = digest_alg_by_name(optarg)) == -1)
				fatal("Invalid hash algorithm \"%s\"", optarg);
			break;
		case 'c':
			if (o->sh)
				usage();
			o->csh = 1;
			break;
		case 's':
			if (o->csh)
				usage();
			o->sh = 1;
			break;
		case 'k':
			o->kill = 1;
			break;
		case 'O':
			if (strcmp(optarg, "allow-remote-pkcs11") != 0 &&
			    strcmp(optarg, "no-restrict-websafe") != 0)
				fatal("Unknown -O option");
			break;
		case 'P':
			if (o->providers != NULL)
				fatal("-P option already specified");
			o->providers = optarg;
			break;
		case 'd':
			if (o->debug || o->foreground)
				usage();
			o->debug = 1;
			break;
		case 'D':
			if (o->debug || o->foreground)
				usage();
			o->foreground = 1;
			break;
		case 'a':
			o->bind_address = optarg;
			break;
		case 't':
			parse_lifetime(optarg, &o->lifetime);
			break;
		case ':':
			fprintf(stderr, "option requires an argument -- %c\n",
			    optopt);
			usage();
		default:
			fprintf(stderr, "unknown option -- %c\n", optopt);
			usage();
		}
	}
	if (optind < argc)
		o->cmd = argv + optind;
	if (o->cmd != NULL &&
	    (o->csh || o->sh || o->kill || o->debug || o->foreground))
		usage();
	if (o->cmd == NULL && !o->csh && !o->sh &&
	    (shell = getenv("SHELL")) != NULL && strlen(shell) > 2 &&
	    strcmp(shell + strlen(shell) - 3, "csh") == 0)
		o->csh = 1;
}

/* ------------------------------------------------------ -k */

static void noreturn_fn
kill_agent(const struct agent_opts *o)
{
	const char *pidstr, *errstr = NULL;
	long long pid;

	if ((pidstr = getenv("SSH_AGENT_PID")) == NULL) {
		fprintf(stderr, "SSH_AGENT_PID not set, cannot kill agent\n");
		exit(1);
	}
	pid = strtonum(pidstr, 2, INT_MAX, &errstr);
	if (errstr != NULL) {
		fprintf(stderr,
		    "SSH_AGENT_PID=\"%s\", which is not a good PID: %s\n",
		    pidstr, errstr);
		exit(1);
	}
	if (kill((pid_t)pid, SIGTERM) == -1) {
		perror("kill");
		exit(1);
	}
	if (o->csh)
		printf("unsetenv SSH_AUTH_SOCK;\nunsetenv SSH_AGENT_PID;\n");
	else
		printf("unset SSH_AUTH_SOCK;\nunset SSH_AGENT_PID;\n");
	printf("echo Agent pid %lld killed;\n", pid);
	exit(0);
}

/* ------------------------------------------------------ the socket */

/* A fresh 0700 directory under $TMPDIR and agent.<pid> in it. */
static void
choose_socket_name(const struct agent_opts *o, pid_t parent)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	const char *tmp = getenv("TMPDIR");
	char rnd[7];
	size_t i;

	if (o->bind_address != NULL) {
		if (strlcpy(socket_name, o->bind_address,
		    sizeof(socket_name)) >= sizeof(socket_name))
			fatal("socket path too long: %s", o->bind_address);
		return;
	}
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	/* mkdtemp() randomises only the last six X: we do the first six. */
	for (i = 0; i < sizeof(rnd) - 1; i++)
		rnd[i] = alnum[arc4random_uniform(sizeof(alnum) - 1)];
	rnd[sizeof(rnd) - 1] = '\0';
	if ((size_t)snprintf(socket_dir, sizeof(socket_dir),
	    "%s/ssh-%sXXXXXX", tmp, rnd) >= sizeof(socket_dir))
		fatal("TMPDIR too long");
	if (mkdtemp(socket_dir) == NULL) {
		perror("mkdtemp: private socket dir");
		exit(1);
	}
	if ((size_t)snprintf(socket_name, sizeof(socket_name),
	    "%s/agent.%ld", socket_dir, (long)parent) >= sizeof(socket_name)) {
		rmdir(socket_dir);
		fatal("TMPDIR too long");
	}
}

static int
open_listener(void)
{
	mode_t old;
	int fd, saved;

	old = umask(0177);	/* the socket is 0600 from birth */
	fd = unix_listener(socket_name, 128, 0);
	saved = errno;
	umask(old);
	if (fd < 0) {
		fprintf(stderr, "unix_listener: cannot bind to path %s: %s\n",
		    socket_name,
		    fd == ERR_ERRNO ? strerror(saved) : errcode_str(fd));
		socket_name[0] = '\0';	/* not ours to remove */
		cleanup_socket(0);
		exit(1);
	}
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1 || set_nonblock(fd) != 0)
		fatal("listener: %s", strerror(errno));
	return fd;
}

/* ------------------------------------------------------ connections */

static void
conn_close(struct conn *c)
{
	close(c->fd);
	buf_free(c->in);
	buf_free(c->out);
	agent_conn_free(c->ac);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

/* Accept a client, refusing other users (root may always connect). */
static void
conn_accept(int listener, struct conn *conns, size_t *nconnsp)
{
	struct conn *c;
	uid_t euid;
	gid_t egid;
	int fd, r;

	if ((fd = accept4(listener, NULL, NULL,
	    SOCK_CLOEXEC | SOCK_NONBLOCK)) == -1) {
		if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED)
			error("accept: %s", strerror(errno));
		return;
	}
	if (getpeereid(fd, &euid, &egid) == -1) {
		error("getpeereid %d failed: %s", fd, strerror(errno));
		close(fd);
		return;
	}
	if (euid != 0 && euid != getuid()) {
		error("uid mismatch: peer euid %u != uid %u",
		    (u_int)euid, (u_int)getuid());
		close(fd);
		return;
	}
	c = &conns[(*nconnsp)++];
	c->fd = fd;
	if ((c->in = buf_new()) == NULL || (c->out = buf_new()) == NULL ||
	    (r = agent_conn_new(&c->ac)) != 0)
		fatal("%s: out of memory", __func__);
	if ((r = buf_set_max_size(c->in, 4 + AGENT_MAX_MSG_LEN + 4096)) != 0)
		fatal_fr(r, "buf_set_max_size");
	debug2("new connection on fd %d", fd);
}

/* Answer every complete request in c->in.  0, or -1 to close. */
static int
conn_process(struct agent_state *state, struct conn *c)
{
	struct buf *msg = NULL, *reply = NULL;
	uint32_t len;
	int r;

	while (buf_len(c->in) >= 4 && buf_len(c->out) < AGENT_MAX_PENDING) {
		if ((r = buf_peek_u32(c->in, 0, &len)) != 0)
			return -1;
		if (len > AGENT_MAX_MSG_LEN) {
			verbose("fd %d: request of %u bytes is too long",
			    c->fd, len);
			return -1;
		}
		if (buf_len(c->in) - 4 < len)
			return 0;	/* wait for the rest */
		if ((r = buf_consume(c->in, 4)) != 0 ||
		    (msg = buf_from_copy(buf_ptr(c->in), len)) == NULL ||
		    (reply = buf_new()) == NULL ||
		    (r = buf_consume(c->in, len)) != 0 ||
		    (r = agent_process(state, c->ac, msg, reply)) != 0 ||
		    (r = buf_put_u32(c->out, (uint32_t)buf_len(reply))) != 0 ||
		    (r = buf_putb(c->out, reply)) != 0) {
			buf_free(msg);
			buf_free(reply);
			return -1;
		}
		buf_free(msg);
		buf_free(reply);
		msg = reply = NULL;
	}
	return 0;
}

/* Read what c has sent, straight into its input buffer.  -1 to close. */
static int
conn_read(struct conn *c)
{
	u_char *p;
	ssize_t n;
	size_t want = 4096;

	if (buf_reserve(c->in, want, &p) != 0)
		return -1;
	n = read(c->fd, p, want);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		n = 0;
	else if (n <= 0)
		return -1;	/* end of file or error: closed anyway */
	return buf_consume_end(c->in, want - (size_t)n) == 0 ? 0 : -1;
}

static int
conn_write(struct conn *c)
{
	ssize_t n;

	n = write(c->fd, buf_ptr(c->out), buf_len(c->out));
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0)
		return -1;
	return buf_consume(c->out, (size_t)n) == 0 ? 0 : -1;
}

/* ------------------------------------------------------ hooks */

static int
hook_confirm(const char *prompt, void *ctx)
{
	return askpass_confirm(prompt);
}

static void
hook_unlock_failed(unsigned int nfail, void *ctx)
{
	struct timespec ts;
	uint64_t ms = 100 * (uint64_t)nfail;

	/* Make guessing the lock password slow. */
	if (ms > 10000)
		ms = 10000;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* ------------------------------------------------------ main loop */

struct loop {
	struct agent_state *state;
	int listener;
	struct conn conns[AGENT_MAX_CONNS];
	size_t nconns;
	struct pollfd pfd[AGENT_MAX_CONNS + 1];
	pid_t parent;		/* checked while nonzero */
	uint64_t next_parent_check;
};

/* Milliseconds poll may sleep: until a key expires or the parent check. */
static int
loop_timeout(struct loop *l)
{
	uint64_t next = agent_state_expire(l->state) * 1000, now, d;

	if (l->parent != 0) {
		now = monotime();
		d = l->next_parent_check > now ?
		    (l->next_parent_check - now) * 1000 : 0;
		if (next == 0 || d < next)
			next = d;
		if (next == 0)
			next = 1;
	}
	if (next == 0)
		return -1;
	return next > INT_MAX ? INT_MAX : (int)next;
}

static void
loop_check_parent(struct loop *l)
{
	if (l->parent == 0 || monotime() < l->next_parent_check)
		return;
	l->next_parent_check = monotime() + PARENT_CHECK_INTERVAL;
	if (getppid() != l->parent) {
		verbose("parent %ld has gone; exiting", (long)l->parent);
		cleanup_socket(0);
		exit(2);
	}
}

static void
loop_service(struct loop *l)
{
	size_t i, j;
	short ev;

	for (i = 0; i < l->nconns; i++) {
		ev = l->pfd[i + 1].revents;
		if (ev & (POLLIN | POLLHUP | POLLERR)) {
			if (conn_read(&l->conns[i]) != 0 ||
			    conn_process(l->state, &l->conns[i]) != 0)
				conn_close(&l->conns[i]);
		}
		if (l->conns[i].fd != -1 && (ev & POLLOUT) &&
		    (conn_write(&l->conns[i]) != 0 ||
		    conn_process(l->state, &l->conns[i]) != 0))
			conn_close(&l->conns[i]);
	}
	/* Compact the table over closed connections. */
	for (i = j = 0; i < l->nconns; i++) {
		if (l->conns[i].fd != -1)
			l->conns[j++] = l->conns[i];
	}
	l->nconns = j;
	if (l->nconns < AGENT_MAX_CONNS && (l->pfd[0].revents & POLLIN))
		conn_accept(l->listener, l->conns, &l->nconns);
}

static void noreturn_fn
loop_run(struct loop *l, const sigset_t *waitmask)
{
	struct timespec ts;
	size_t i;
	int ms, n;

	for (;;) {
		if (got_signal) {
			verbose("exiting on signal %d", (int)got_signal);
			cleanup_socket(0);
			exit(0);
		}
		loop_check_parent(l);
		ms = loop_timeout(l);
		l->pfd[0].fd = l->nconns < AGENT_MAX_CONNS ? l->listener : -1;
		l->pfd[0].events = POLLIN;
		for (i = 0; i < l->nconns; i++) {
			l->pfd[i + 1].fd = l->conns[i].fd;
			l->pfd[i + 1].events = 0;
			if (buf_len(l->conns[i].out) < AGENT_MAX_PENDING)
				l->pfd[i + 1].events |= POLLIN;
			if (buf_len(l->conns[i].out) > 0)
				l->pfd[i + 1].events |= POLLOUT;
		}
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (long)(ms % 1000) * 1000000L;
		n = ppoll(l->pfd, l->nconns + 1, ms < 0 ? NULL : &ts, waitmask);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll: %s", strerror(errno));
		}
		if (n > 0)
			loop_service(l);
	}
}

/* ------------------------------------------------------ startup */

static void
print_env(const struct agent_opts *o, pid_t pid, int with_pid)
{
	if (o->csh) {
		printf("setenv SSH_AUTH_SOCK %s;\n", socket_name);
		if (with_pid)
			printf("setenv SSH_AGENT_PID %ld;\n", (long)pid);
	} else {
		printf("SSH_AUTH_SOCK=%s; export SSH_AUTH_SOCK;\n",
		    socket_name);
		if (with_pid)
			printf("SSH_AGENT_PID=%ld; export SSH_AGENT_PID;\n",
			    (long)pid);
	}
	printf("echo Agent pid %ld;\n", (long)pid);
	fflush(stdout);
}

/* The parent's side of the fork: print the variables or run command. */
static void noreturn_fn
parent_side(const struct agent_opts *o, pid_t child)
{
	char pidstr[32];

	if (o->cmd == NULL) {
		print_env(o, child, 1);
		exit(0);
	}
	snprintf(pidstr, sizeof(pidstr), "%ld", (long)child);
	if (setenv("SSH_AUTH_SOCK", socket_name, 1) == -1 ||
	    setenv("SSH_AGENT_PID", pidstr, 1) == -1) {
		perror("setenv");
		exit(1);
	}
	execvp(o->cmd[0], o->cmd);
	perror(o->cmd[0]);
	exit(1);
}

/* Become the daemon: own session, no terminal. */
static void
daemonise(const char *progname)
{
	log_init(progname, LOG_LEVEL_INFO, LOG_FACILITY_AUTH, 0);
	if (setsid() == -1)
		fatal("setsid: %s", strerror(errno));
	if (chdir("/") == -1)
		fatal("chdir /: %s", strerror(errno));
	if (stdfd_devnull(1, 1, 1) != 0)
		fatal("/dev/null: %s", strerror(errno));
}

static void
setup_signals(const struct agent_opts *o, sigset_t *waitmask)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	if (!o->debug && !o->foreground)
		sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = signal_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (o->debug || o->foreground)
		sigaction(SIGINT, &sa, NULL);
	/* Deliver them only inside ppoll(), so none is missed. */
	sigemptyset(&block);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, waitmask);
	sigdelset(waitmask, SIGHUP);
	sigdelset(waitmask, SIGTERM);
	sigdelset(waitmask, SIGINT);
}

/* Keep OpenSSL's private key material in mlocked, undumped memory. */
static void
setup_secure_heap(void)
{
	int r = CRYPTO_secure_malloc_init(SECURE_HEAP_SIZE,
	    SECURE_HEAP_MINSIZE);

	debug("secure heap: %s", r == 1 ? "locked" :
	    r == 2 ? "not locked (mlock failed)" : "unavailable");
}

int
main(int argc, char **argv)
{
	static struct loop l;
	struct rlimit nocore = { 0, 0 };
	struct agent_hooks hooks;
	struct agent_opts o;
	sigset_t waitmask;
	pid_t parent, pid;
	int r;

#if defined(__linux__)
	/* Nobody may read our memory through ptrace or a core file. */
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
	if (sanitise_stdfd() != 0)
		exit(1);
	log_init(argv[0], LOG_LEVEL_INFO, LOG_FACILITY_AUTH, 1);
	parse_args(argc, argv, &o);
	if (o.kill)
		kill_agent(&o);

	parent = getpid();
	choose_socket_name(&o, parent);
	cleanup_pid = getpid();
	log_set_cleanup(cleanup_socket);
	l.listener = open_listener();

	if (o.debug || o.foreground) {
		log_init(argv[0], o.debug ? LOG_LEVEL_DEBUG3 : LOG_LEVEL_INFO,
		    LOG_FACILITY_AUTH, 1);
		print_env(&o, parent, 0);
	} else {
		if ((pid = fork()) == -1) {
			perror("fork");
			cleanup_socket(0);
			exit(1);
		}
		if (pid != 0) {
			close(l.listener);
			cleanup_pid = pid;	/* the child's to remove */
			parent_side(&o, pid);
		}
		cleanup_pid = getpid();
		daemonise(argv[0]);
		/* With a command, live only as long as it does. */
		if (o.cmd != NULL) {
			l.parent = parent;
			l.next_parent_check = monotime();
		}
	}

	/* No core file, whatever the dumpable setting of the system. */
	if (setrlimit(RLIMIT_CORE, &nocore) == -1)
		error("setrlimit RLIMIT_CORE: %s", strerror(errno));
	setup_signals(&o, &waitmask);
	setup_secure_heap();
	if ((r = agent_state_new(&the_state)) != 0)
		fatal_fr(r, "agent_state_new");
	l.state = the_state;
	memset(&hooks, 0, sizeof(hooks));
	hooks.confirm = hook_confirm;
	hooks.unlock_failed = hook_unlock_failed;
	agent_state_set_hooks(l.state, &hooks);
	agent_state_set_default_lifetime(l.state, o.lifetime);
	agent_state_set_fp_alg(l.state, o.fp_alg);
	loop_run(&l, &waitmask);
}
