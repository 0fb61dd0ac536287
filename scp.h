/*
 * scp.h: the internals of the scp program, shared by its files:
 *
 *   scp.c          main(): options, then the direction of each copy
 *   scp-util.c     argument lists, terminal-safe printing, log output,
 *                  the bandwidth limit
 *   scp-spawn.c    starting ssh (and cp) and looking after the children
 *   scp-rcp.c      the legacy protocol's plumbing: reading records,
 *                  acknowledgements, error messages to the peer
 *   scp-source.c   legacy protocol, sending side (scp -f, uploads)
 *   scp-sink.c     legacy protocol, receiving side (scp -t, downloads)
 *   scp-sftp.c     the SFTP mode, over the client library sftp-client.h
 *
 * Program code: it may exit and uses xmalloc.  The parsers of untrusted
 * text live in the library (scp-proto.h).
 */
#ifndef KEEL_SCP_H
#define KEEL_SCP_H

#include <sys/types.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct progress;

enum scp_mode {
	SCP_MODE_SFTP,		/* -s, the default */
	SCP_MODE_LEGACY		/* -O */
};

/* A growable NULL-terminated argument vector. */
struct scp_argv {
	char	**list;
	size_t	num;
	size_t	nalloc;
};

/* Everything the command line says. */
struct scp_opts {
	enum scp_mode mode;
	int	recursive;	/* -r */
	int	preserve;	/* -p */
	int	progress;	/* draw the meter (no -q, stdout a tty) */
	int	verbose;	/* -v */
	int	through_local;	/* remote to remote via us (-3, default) */
	int	check_names;	/* strict filename checking (off: -T) */
	int	target_dir;	/* -d, or more than one source */
	int	remote;		/* 'f' or 't' when we are the far end */
	int	port;		/* -P, or -1 */
	const char *ssh_program;	/* -S */
	const char *sftp_direct;	/* -D */
	uint64_t limit_kbps;	/* -l, Kbit/s; 0 for no limit */
	size_t	sftp_buflen;	/* -X buffer=, 0 for the default */
	size_t	sftp_nrequests;	/* -X nrequests=, 0 for the default */
	struct scp_argv ssh_args;	/* options for every ssh we start */
	struct scp_argv rr_args;	/* for the first host's scp (-R) */
	char	cmd[64];	/* the remote scp: "scp -v -r -p -d" */
};

/* ------------------------------------------------------------ scp-util.c */

void scp_argv_add(struct scp_argv *a, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));
void scp_argv_free(struct scp_argv *a);

/*
 * Set up messages: log lines on stderr as "argv0: msg\r\n" (OpenSSH's
 * scp prefixes its name), and the locale used to decide which bytes of
 * names are printable.
 */
void scp_log_setup(const char *argv0);
/* argv[0] as we were run (log lines start with it). */
const char *scp_progname(void);

/*
 * Write the formatted text to stderr with bytes that could upset a
 * terminal escaped as \ooo (printable UTF-8 passes in a UTF-8 locale),
 * as OpenSSH's scp does for names in its own messages.
 */
void scp_eprintf(const char *fmt, ...)
    __attribute__((__format__(__printf__, 1, 2)));
void scp_veprintf(const char *fmt, va_list ap)
    __attribute__((__format__(__printf__, 1, 0)));
/* The same escaping of s, as a new string (control bytes always). */
char *scp_safe_string(const char *s);

/* The -l bandwidth limit: call after moving each block. */
struct scp_bwlimit {
	uint64_t	rate;		/* bytes per second, 0: no limit */
	uint64_t	bytes;		/* since start_ms */
	uint64_t	start_ms;
};
void scp_bwlimit_init(struct scp_bwlimit *bw, uint64_t kbps);
void scp_bwlimit_account(struct scp_bwlimit *bw, size_t n);

/* ------------------------------------------------------------ scp-spawn.c */

/*
 * Start `ssh_program [ssh_args] [-p port] [-l user] -- host cmd` with
 * a socketpair as its stdin and stdout: *inp reads its output, *outp
 * writes its input (two descriptors for one socket: close both).  port
 * -1 means o->port; user may be NULL.  Exits on failure to fork.  The
 * child is remembered so a signal to us stops it too.
 */
pid_t scp_do_cmd(const struct scp_opts *o, const char *host,
    const char *user, int port, const char *cmd, int *inp, int *outp);
/*
 * The same for the target of a legacy -3 copy, with its stdin on fdin
 * and its stdout on fdout (the first host's socket): the two remote
 * scps then talk to each other through the two ssh processes.  This
 * ssh gets -oBatchMode=yes: two password prompts cannot share a tty.
 */
pid_t scp_do_cmd2(const struct scp_opts *o, const char *host,
    const char *user, int port, const char *cmd, int fdin, int fdout);
/* Remember / forget a child that signals should stop. */
void scp_child_add(pid_t pid);
void scp_child_forget(pid_t pid);
/* Wait for pid; 0 if it exited with status 0, else -1. */
int scp_child_wait(pid_t pid);
/*
 * A function the signal handler calls before we go (async-signal-safe
 * work only): the sink cuts a partial file to what arrived.
 */
void scp_set_abort_hook(void (*fn)(void));
/* Run argv[0] (PATH searched) and wait: 0 if it exited 0, else -1. */
int scp_run_local(const struct scp_opts *o, char **argv);
/*
 * Signal handling: SIGINT, SIGHUP and SIGTERM stop the children and end
 * us with status 1; SIGPIPE is ignored (writes report EPIPE instead);
 * ^Z is passed on to the children.
 */
void scp_signals_setup(void);

/* ------------------------------------------------------------ scp-rcp.c */

/* One end of a legacy protocol conversation. */
struct rcp {
	const struct scp_opts *o;
	int	in;		/* what the peer sends */
	int	out;		/* what we send */
	int	remote;		/* we are scp -t/-f: errors only to the peer */
	int	errs;		/* errors seen (exit status) */
	mode_t	umask;
	struct buf *ahead;	/* bytes read past the current record */
	struct buf *line;	/* the current record, newline removed */
	u_char	*block;		/* file data in transit */
	size_t	blocklen;
	struct scp_bwlimit bw;
};

/* Set up r on the descriptors; rcp_free() releases what it holds. */
void rcp_init(struct rcp *r, const struct scp_opts *o, int in, int out,
    int remote);
void rcp_free(struct rcp *r);

/*
 * Read one record line (at most SCP_LINE_MAX bytes) into r->line.
 * 0 with *firstp its first byte; 1 at a clean end of input (nothing
 * read); exits with "lost connection" / a protocol error otherwise.
 */
int rcp_read_line(struct rcp *r, int *firstp);
/*
 * Read up to len bytes of file data (less only at end of input or on a
 * read error, errno set then).
 */
size_t rcp_read_data(struct rcp *r, void *p, size_t len);
/* Send bytes to the peer; exits with "lost connection" on failure. */
void rcp_write(struct rcp *r, const void *p, size_t len);
/* Send the one-byte acknowledgement "\0". */
void rcp_ack(struct rcp *r);
/*
 * Wait for the peer's answer: 0 for "\0"; -1 after printing (unless
 * remote) and counting an error message; a fatal message ends us.
 */
int rcp_response(struct rcp *r);
/*
 * An error: counted, sent to the peer as "\1scp: msg\n" (when there is
 * one to send to) and, unless we are the remote end, printed.
 */
void rcp_error(struct rcp *r, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));
/* "protocol error: why", then exit(1). */
void rcp_protocol_error(struct rcp *r, const char *why)
    __attribute__((__noreturn__));
/* "lost connection", then exit(1). */
void rcp_lostconn(struct rcp *r) __attribute__((__noreturn__));
/* The meter for one file if it is wanted, else NULL. */
struct progress *rcp_progress_start(struct rcp *r, const char *name,
    uint64_t size);

/* ------------------------------------------------------------ source/sink */

/* Send each of the n paths (scp -f, or an upload with -O). */
void rcp_source(struct rcp *r, char **paths, int n);
/*
 * Receive into target (scp -t, or a download with -O).  requested is the
 * remote path asked for (NULL for scp -t): unless -r or -T, incoming
 * names must match it.
 */
void rcp_sink(struct rcp *r, const char *target, const char *requested);

/* ------------------------------------------------------------ scp-sftp.c */

/*
 * The SFTP mode.  A struct scp_sftp is one connection (an ssh child, or
 * the -D server) to one host.  The copy functions return the number of
 * errors (0 on success) after reporting them.
 */
struct scp_sftp;

/* Connect; NULL after a message. */
struct scp_sftp *scp_sftp_connect(const struct scp_opts *o,
    const char *host, const char *user, int port);
/* 1 if s is a connection to that host, user and port. */
int scp_sftp_is_for(const struct scp_sftp *s, const char *host,
    const char *user, int port);
/* Close and wait for the child: 0, or -1 if it did not exit 0. */
int scp_sftp_close(struct scp_sftp *s);
/* Remote src (a glob pattern) to local dst. */
int scp_sftp_download(struct scp_sftp *s, const char *src, const char *dst);
/* Local src to remote dst. */
int scp_sftp_upload(struct scp_sftp *s, const char *src, const char *dst);
/* src on one server to dst on another, through us (-3). */
int scp_sftp_crossload(struct scp_sftp *from, const char *src,
    struct scp_sftp *to, const char *dst);

#endif /* KEEL_SCP_H */
