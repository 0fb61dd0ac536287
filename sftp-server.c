/*
 * sftp-server.c: the SFTP server program's body, shared with sshd's
 * internal-sftp: options, logging, the start directory, and the poll
 * loop that moves bytes between the client and the request engine
 * (sftp-server-engine.c).
 */
#include "includes.h"

#include <sys/stat.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "sftp.h"
#include "sftp-server.h"
#include "xmalloc.h"

/* Exit statuses. */
#define SFTP_EXIT_OK		0
#define SFTP_EXIT_USAGE		1
#define SFTP_EXIT_IO		2
#define SFTP_EXIT_BAD_MESSAGE	11
#define SFTP_EXIT_INTERNAL	255

/*
 * Input queue: room for a few maximal packets, filled by reads of up to
 * a pipe's worth of bytes.
 */
#define SFTP_IN_CHUNK		(64 * 1024)
#define SFTP_IN_MAX		(4 * (SFTP_MAX_PACKET + 4))

struct sftp_server_options {
	int log_stderr;
	LogLevel level;
	LogFacility facility;
	int readonly;
	const char *denylist;
	const char *allowlist;
	const char *start_dir;
	int set_umask;
	mode_t umask;
	const char *query;
};

static void
sftp_server_usage(void)
{
	fprintf(stderr,
	    "usage: sftp-server [-ehR] [-d start_directory] [-f log_facility] "
	    "[-l log_level]\n"
	    "\t[-P denied_requests] [-p allowed_requests] [-u umask]\n"
	    "       sftp-server -Q protocol_feature\n");
}

/* An octal umask of at most 0777. */
static int
sftp_parse_umask(const char *s, mode_t *mp)
{
	char *ep;
	long v;

	errno = 0;
	v = strtol(s, &ep, 8);
	if (*s == '\0' || *ep != '\0' || errno != 0 || v < 0 || v > 0777)
		return ERR_INVALID_FORMAT;
	*mp = (mode_t)v;
	return 0;
}

/* One option; 0, or the exit status for a bad one. */
static int
sftp_server_option(int ch, const char *arg, struct sftp_server_options *o)
{
	switch (ch) {
	case 'd':
		o->start_dir = arg;
		return 0;
	case 'e':
		o->log_stderr = 1;
		return 0;
	case 'f':
		if ((o->facility = log_facility_from_name(arg)) ==
		    LOG_FACILITY_NOT_SET) {
			fprintf(stderr, "Invalid log facility \"%s\"\n", arg);
			return SFTP_EXIT_USAGE;
		}
		return 0;
	case 'l':
		if ((o->level = log_level_from_name(arg)) ==
		    LOG_LEVEL_NOT_SET) {
			fprintf(stderr, "Invalid log level \"%s\"\n", arg);
			return SFTP_EXIT_USAGE;
		}
		return 0;
	case 'P':
		o->denylist = arg;
		return 0;
	case 'p':
		o->allowlist = arg;
		return 0;
	case 'Q':
		o->query = arg;
		return 0;
	case 'R':
		o->readonly = 1;
		return 0;
	case 'u':
		if (sftp_parse_umask(arg, &o->umask) != 0) {
			fprintf(stderr, "Invalid umask \"%s\"\n", arg);
			return SFTP_EXIT_USAGE;
		}
		o->set_umask = 1;
		return 0;
	default:
		sftp_server_usage();
		return SFTP_EXIT_USAGE;
	}
}

static int
sftp_server_parse(int argc, char **argv, struct sftp_server_options *o)
{
	int ch, status;

	memset(o, 0, sizeof(*o));
	o->level = LOG_LEVEL_ERROR;
	o->facility = LOG_FACILITY_AUTH;
	optind = 1;
	while ((ch = getopt(argc, argv, "d:ef:hl:P:p:Q:Ru:")) != -1) {
		if ((status = sftp_server_option(ch, optarg, o)) != 0)
			return status;
	}
	if (optind != argc) {
		sftp_server_usage();
		return SFTP_EXIT_USAGE;
	}
	return 0;
}

/* -Q: list what was asked for; the exit status. */
static int
sftp_server_query(const char *what)
{
	const char *name;
	size_t i;

	if (strcmp(what, "requests") != 0) {
		fprintf(stderr, "Invalid query type\n");
		return SFTP_EXIT_USAGE;
	}
	for (i = 0; (name = sftp_server_request_name(i)) != NULL; i++)
		printf("%s\n", name);
	return SFTP_EXIT_OK;
}

/* -d: the start directory with %d (home), %u (user) and %% expanded. */
static void
sftp_server_chdir(const char *dir, const char *home, const char *user)
{
	struct percent_map map[] = {
		{ 'd', home },
		{ 'u', user },
		{ 0, NULL },
	};
	char *path = NULL;
	int r;

	if ((r = percent_expand(dir, map, &path)) != 0) {
		error_fr(r, "cannot expand start directory \"%s\"", dir);
		return;
	}
	if (chdir(path) == -1)
		error("chdir to \"%s\" failed: %s", path, strerror(errno));
	free(path);
}

/*
 * How much to read: a chunk, but no more than the rest of a packet whose
 * start we hold, so that the queue usually ends on a packet boundary and
 * empties when the packet is served (no moving of partial packets).
 */
static size_t
sftp_server_want(const struct buf *q)
{
	uint32_t len;

	if (buf_peek_u32(q, 0, &len) != 0 || len > SFTP_MAX_PACKET ||
	    buf_len(q) - 4 >= len)
		return SFTP_IN_CHUNK;
	return MINIMUM(SFTP_IN_CHUNK, (size_t)len - (buf_len(q) - 4));
}

/* Append what fd has to say to q: 1 at end of file, 0, or -1 (logged). */
static int
sftp_server_fill(int fd, struct buf *q)
{
	size_t want = sftp_server_want(q);
	u_char *p;
	ssize_t n;

	if (buf_reserve(q, want, &p) != 0) {
		error("input queue full");
		return -1;
	}
	n = read(fd, p, want);
	if (buf_consume_end(q, want - (n > 0 ? (size_t)n : 0)) != 0)
		return -1;
	if (n == 0) {
		debug("read eof");
		return 1;
	}
	if (n == -1 && errno != EINTR && errno != EAGAIN) {
		error("read: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Write what fd takes of q: 0, or -1 (logged). */
static int
sftp_server_drain(int fd, struct buf *q)
{
	ssize_t n;

	n = write(fd, buf_ptr(q), buf_len(q));
	if (n == -1) {
		if (errno == EINTR || errno == EAGAIN)
			return 0;
		error("write: %s", strerror(errno));
		return -1;
	}
	return buf_consume(q, (size_t)n) == 0 ? 0 : -1;
}

/*
 * Serve the client on in_fd/out_fd until it closes.  Input is read only
 * while the queues have room, so a client that does not read its replies
 * cannot make us buffer without bound.
 */
static int
sftp_server_loop(struct sftp_server *s, int in_fd, int out_fd,
    struct buf *iq, struct buf *oq)
{
	struct pollfd pfd[2];
	int eof = 0, want_read, ret, r;

	for (;;) {
		want_read = !eof &&
		    buf_len(iq) + SFTP_IN_CHUNK <= SFTP_IN_MAX &&
		    buf_len(oq) <= SFTP_SERVER_OUT_HIGHWATER;
		if (!want_read && buf_len(oq) == 0)
			return eof ? SFTP_EXIT_OK : SFTP_EXIT_INTERNAL;
		pfd[0].fd = want_read ? in_fd : -1;
		pfd[0].events = POLLIN;
		pfd[1].fd = buf_len(oq) > 0 ? out_fd : -1;
		pfd[1].events = POLLOUT;
		pfd[0].revents = pfd[1].revents = 0;
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			error("poll: %s", strerror(errno));
			return SFTP_EXIT_IO;
		}
		if (pfd[0].revents != 0) {
			if ((ret = sftp_server_fill(in_fd, iq)) == -1)
				return SFTP_EXIT_IO;
			eof = ret == 1;
		}
		if (pfd[1].revents != 0 && sftp_server_drain(out_fd, oq) != 0)
			return SFTP_EXIT_IO;
		if ((r = sftp_server_process(s, iq, oq)) != 0) {
			return (r == ERR_ALLOC_FAIL || r == ERR_INTERNAL) ?
			    SFTP_EXIT_INTERNAL : SFTP_EXIT_BAD_MESSAGE;
		}
	}
}

/* Build the engine and the queues, serve, tear down: the exit status. */
static int
sftp_server_serve(const struct sftp_server_options *o, const char *user)
{
	struct sftp_server_config cfg;
	struct sftp_server *s = NULL;
	struct buf *iq = NULL, *oq = NULL;
	int r, status = SFTP_EXIT_INTERNAL;

	memset(&cfg, 0, sizeof(cfg));
	cfg.readonly = o->readonly;
	cfg.denylist = o->denylist;
	cfg.allowlist = o->allowlist;
	cfg.user = user;
	if ((r = sftp_server_new(&cfg, &s)) != 0) {
		error_fr(r, "sftp_server_new");
		goto out;
	}
	if ((iq = buf_new()) == NULL || (oq = buf_new()) == NULL) {
		error("out of memory");
		goto out;
	}
	status = sftp_server_loop(s, STDIN_FILENO, STDOUT_FILENO, iq, oq);
 out:
	sftp_server_free(s);
	buf_free(iq);
	buf_free(oq);
	return status;
}

/* The client's address from SSH_CONNECTION, for the log. */
static char *
sftp_client_addr(void)
{
	const char *conn = getenv("SSH_CONNECTION");
	size_t n;
	char *addr;

	if (conn == NULL || (n = strcspn(conn, " ")) == 0)
		return xstrdup("UNKNOWN");
	addr = xmalloc(n + 1);
	memcpy(addr, conn, n);
	addr[n] = '\0';
	return addr;
}

int
sftp_server_main(int argc, char **argv, struct passwd *pw)
{
	struct sftp_server_options o;
	char *user, *home, *addr;
	int status;

	if ((status = sftp_server_parse(argc, argv, &o)) != 0)
		return status;
	if (o.query != NULL)
		return sftp_server_query(o.query);
	log_init("sftp-server", o.level, o.facility, o.log_stderr);
	/* getpw*() results are overwritten by later lookups: copy. */
	user = xstrdup(pw->pw_name);
	home = xstrdup(pw->pw_dir);
	addr = sftp_client_addr();
	logit("session opened for local user %s from [%s]", user, addr);
	if (o.start_dir != NULL)
		sftp_server_chdir(o.start_dir, home, user);
	if (o.set_umask) {
		debug("setting umask to 0%o", (u_int)o.umask);
		umask(o.umask);
	}
	/* A client that goes away shows as a write error, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	status = sftp_server_serve(&o, user);
	logit("session closed for local user %s from [%s]", user, addr);
	free(user);
	free(home);
	free(addr);
	return status;
}
