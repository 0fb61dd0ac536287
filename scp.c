/*
 * scp: copy files between hosts.
 *
 *	scp [-346ABCOpqRrsTv] [-c cipher] [-D sftp_server_path]
 *	    [-F ssh_config] [-i identity_file] [-J destination] [-l limit]
 *	    [-o ssh_option] [-P port] [-S program] [-X sftp_option]
 *	    source ... target
 *
 * Sources and target are local paths, [user@]host:[path] or
 * scp://[user@]host[:port][/path].  Transfers use the SFTP protocol
 * (scp-sftp.c) unless -O asks for the legacy scp protocol
 * (scp-source.c, scp-sink.c), whose far end is this same program run as
 * `scp -t` (receive) or `scp -f` (send).  Copies between two remote
 * hosts go through us (-3, the default) or are run by the first host
 * (-R); local copies are cp's job.
 *
 * Flags, messages and exit codes follow OpenSSH's scp: 0 when every
 * copy worked, 1 otherwise, 255 when a fatal error stopped us.
 */
#include "includes.h"

#include <sys/stat.h>

#include "log.h"
#include "misc.h"
#include "scp-proto.h"
#include "scp.h"
#include "xmalloc.h"

#define SCP_DEFAULT_PORT	22

static void noreturn_fn
usage(void)
{
	fprintf(stderr,
	    "usage: scp [-346ABCOpqRrsTv] [-c cipher] [-D sftp_server_path]"
	    " [-F ssh_config]\n"
	    "           [-i identity_file] [-J destination] [-l limit]"
	    " [-o ssh_option]\n"
	    "           [-P port] [-S program] [-X sftp_option]"
	    " source ... target\n");
	exit(1);
}

/* -X buffer=size or -X nrequests=n (as OpenSSH's scp and sftp). */
static void
parse_sftp_option(struct scp_opts *o, const char *arg)
{
	const char *v, *errstr = NULL;
	uint64_t size;

	if ((v = strprefix(arg, "buffer=", 0)) != NULL) {
		if (parse_size(v, &size) != 0 || size == 0 ||
		    size > 256 * 1024)
			fatal("Invalid buffer size \"%s\": %s", v,
			    strerror(EINVAL));
		o->sftp_buflen = (size_t)size;
	} else if ((v = strprefix(arg, "nrequests=", 0)) != NULL) {
		o->sftp_nrequests = (size_t)strtonum(v, 1, 256 * 1024,
		    &errstr);
		if (errstr != NULL)
			fatal("Invalid number of requests \"%s\": %s", v,
			    errstr);
	} else {
		fatal("Invalid -X option");
	}
}

/* An option for our ssh and for the first host's scp under -R. */
static void
add_both(struct scp_opts *o, const char *opt, const char *arg)
{
	scp_argv_add(&o->ssh_args, "%s", opt);
	scp_argv_add(&o->rr_args, "%s", opt);
	if (arg != NULL) {
		scp_argv_add(&o->ssh_args, "%s", arg);
		scp_argv_add(&o->rr_args, "%s", arg);
	}
}

static void
more_verbose(struct scp_opts *o)
{
	LogLevel level = log_get_level();

	if (!o->verbose)
		level = LOG_LEVEL_DEBUG1;
	else if (level < LOG_LEVEL_DEBUG3)
		level++;
	log_set_level(level);
	o->verbose = 1;
}

/* The options of one command-line flag that takes no argument. */
static void
flag_option(struct scp_opts *o, int ch)
{
	switch (ch) {
	case '1':
		fatal("SSH protocol v.1 is no longer supported");
	case '2':
		break;	/* the only protocol there is */
	case '3':
		o->through_local = 1;
		break;
	case 'R':
		o->through_local = 0;
		break;
	case '4':
	case '6':
	case 'A':
	case 'C':
		add_both(o, ch == '4' ? "-4" : ch == '6' ? "-6" :
		    ch == 'A' ? "-A" : "-C", NULL);
		break;
	case 'B':
		add_both(o, "-oBatchmode=yes", NULL);
		break;
	case 'O':
		o->mode = SCP_MODE_LEGACY;
		break;
	case 's':
		o->mode = SCP_MODE_SFTP;
		break;
	case 'p':
		o->preserve = 1;
		break;
	case 'q':
		add_both(o, "-q", NULL);
		o->progress = 0;
		break;
	case 'r':
		o->recursive = 1;
		break;
	case 'v':
		add_both(o, "-v", NULL);
		more_verbose(o);
		break;
	case 'T':
		o->check_names = 0;
		break;
	case 'd':
		o->target_dir = 1;
		break;
	case 'f':
	case 't':
		o->remote = ch;
		break;
	default:
		error("unknown option -- %c", ch);
		usage();
	}
}

/* -P: OpenSSH's message ends in a newline of its own, then CRLF. */
static void noreturn_fn
bad_port(const char *arg)
{
	char *safe = scp_safe_string(arg);

	fprintf(stderr, "%s: bad port \"%s\"\n\r\n", scp_progname(), safe);
	free(safe);
	exit(255);
}

/* The options of one flag with an argument. */
static void
arg_option(struct scp_opts *o, int ch, const char *arg)
{
	const char *errstr = NULL;
	char opt[3] = { '-', (char)ch, '\0' };

	switch (ch) {
	case 'c':
	case 'F':
	case 'i':
	case 'J':
	case 'o':
		add_both(o, opt, arg);
		break;
	case 'D':
		o->sftp_direct = arg;
		break;
	case 'l':
		o->limit_kbps = (uint64_t)strtonum(arg, 1, 100 * 1024 * 1024,
		    &errstr);
		if (errstr != NULL)
			usage();
		break;
	case 'P':
		if ((o->port = a2port(arg)) <= 0)
			bad_port(arg);
		break;
	case 'S':
		o->ssh_program = arg;
		break;
	case 'X':
		parse_sftp_option(o, arg);
		break;
	}
}

static int
parse_args(int argc, char **argv, struct scp_opts *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->mode = SCP_MODE_SFTP;
	o->progress = 1;
	o->through_local = 1;
	o->check_names = 1;
	o->port = -1;
	o->ssh_program = _PATH_SSH_PROGRAM;
	scp_argv_add(&o->ssh_args, "-x");
	scp_argv_add(&o->ssh_args, "-oPermitLocalCommand=no");
	scp_argv_add(&o->ssh_args, "-oClearAllForwardings=yes");
	scp_argv_add(&o->ssh_args, "-oRemoteCommand=none");
	scp_argv_add(&o->ssh_args, "-oRequestTTY=no");
	opterr = 0;	/* our own wording, below */
	while ((ch = getopt(argc, argv,
	    ":12346ABCTdfOpqRrstvD:F:J:P:S:c:i:l:o:X:")) != -1) {
		if (ch == ':') {
			error("option requires an argument -- %c", optopt);
			usage();
		}
		if (ch == '?') {
			error("unknown option -- %c", optopt);
			usage();
		}
		if (strchr("cDFiJloPSX", ch) != NULL)
			arg_option(o, ch, optarg);
		else
			flag_option(o, ch);
	}
	scp_argv_add(&o->ssh_args, "-oForwardAgent=no");
	if (!isatty(STDOUT_FILENO))
		o->progress = 0;
	return optind;
}

/* ------------------------------------------------------------ local */

/* Several sources: the local target must be a directory. */
static void
verify_local_dir(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return;
		errno = ENOTDIR;
	}
	scp_eprintf("%s: %s\n", path, strerror(errno));
	exit(1);
}

/* Both ends local: cp does it. */
static int
local_copy(const struct scp_opts *o, const char *src, const char *dst)
{
	struct scp_argv a = { NULL, 0, 0 };
	int r;

	scp_argv_add(&a, "cp");
	if (o->recursive)
		scp_argv_add(&a, "-r");
	if (o->preserve)
		scp_argv_add(&a, "-p");
	scp_argv_add(&a, "--");
	scp_argv_add(&a, "%s", src);
	scp_argv_add(&a, "%s", dst);
	r = scp_run_local(o, a.list);
	scp_argv_free(&a);
	return r == 0 ? 0 : 1;
}

/* Parse a location, saying why when it is unusable; 0 or -1. */
static int
get_location(const char *arg, struct scp_location *loc)
{
	if (scp_parse_location(arg, loc) != 0) {
		scp_eprintf("%s: invalid uri\n", arg);
		return -1;
	}
	if (loc->user != NULL && !scp_user_is_ok(loc->user)) {
		scp_eprintf("%s: invalid user name\n", loc->user);
		scp_location_free(loc);
		return -1;
	}
	return 0;
}

/* "scp ... -t path" / "-f path", with "--" before a leading '-'. */
static char *
remote_cmd(const struct scp_opts *o, const char *dir, const char *path)
{
	char *cmd;

	xasprintf(&cmd, "%s %s %s%s", o->cmd, dir, *path == '-' ? "-- " : "",
	    path);
	return cmd;
}

/* ------------------------------------------------------------ to local */

/* -O download of src into target: one ssh per source, as OpenSSH. */
static int
legacy_download(const struct scp_opts *o, const struct scp_location *src,
    const char *target)
{
	struct rcp r;
	char *cmd = remote_cmd(o, "-f", src->path);
	int in, out, errs;
	pid_t pid;

	pid = scp_do_cmd(o, src->host, src->user, src->port, cmd, &in, &out);
	free(cmd);
	rcp_init(&r, o, in, out, 0);
	rcp_sink(&r, target, src->path);
	errs = r.errs;
	rcp_free(&r);
	close(in);
	close(out);
	if (scp_child_wait(pid) != 0 && errs == 0)
		errs = 1;
	return errs;
}

static int
to_local(const struct scp_opts *o, int argc, char **argv)
{
	const char *target = argv[argc - 1];
	struct scp_location src;
	struct scp_sftp *conn = NULL;
	int i, errs = 0;

	for (i = 0; i < argc - 1; i++) {
		if (get_location(argv[i], &src) != 0) {
			errs++;
			continue;
		}
		if (src.host == NULL) {
			errs += local_copy(o, argv[i], target);
		} else if (o->mode == SCP_MODE_LEGACY) {
			errs += legacy_download(o, &src, target);
		} else {
			/* Sources on the same host share a connection. */
			if (conn != NULL && !scp_sftp_is_for(conn, src.host,
			    src.user, src.port)) {
				errs += scp_sftp_close(conn) != 0;
				conn = NULL;
			}
			if (conn == NULL && (conn = scp_sftp_connect(o,
			    src.host, src.user, src.port)) == NULL)
				errs++;
			else
				errs += scp_sftp_download(conn, src.path,
				    target);
		}
		scp_location_free(&src);
	}
	if (conn != NULL)
		errs += scp_sftp_close(conn) != 0;
	return errs;
}

/* ------------------------------------------------------------ to remote */

/* The state of the copies to one remote target. */
struct upload {
	const struct scp_opts *o;
	const struct scp_location *dst;
	struct scp_sftp *to;	/* SFTP: the target's connection */
	struct scp_sftp *from;	/* SFTP -3: the current source's */
	struct rcp r;		/* legacy: the target's scp -t */
	int	in, out;
	pid_t	pid;
	int	errs;
};

/* -O -3: the first host's scp -f talks to the second's scp -t. */
static void
legacy_through_local(struct upload *u, const struct scp_location *src)
{
	char *cmd;
	int in, out;
	pid_t pid1, pid2;

	cmd = remote_cmd(u->o, "-f", src->path);
	pid1 = scp_do_cmd(u->o, src->host, src->user, src->port, cmd,
	    &in, &out);
	free(cmd);
	cmd = remote_cmd(u->o, "-t", u->dst->path);
	pid2 = scp_do_cmd2(u->o, u->dst->host, u->dst->user, u->dst->port,
	    cmd, in, out);
	free(cmd);
	close(in);
	close(out);
	if (scp_child_wait(pid2) != 0)
		u->errs++;
	if (scp_child_wait(pid1) != 0)
		u->errs++;
}

/* -R: ssh to the source host and run scp there. */
static void
remote_remote(struct upload *u, const struct scp_location *src)
{
	const struct scp_location *dst = u->dst;
	struct scp_argv a = { NULL, 0, 0 };
	size_t i;

	if (dst->port != -1 && dst->port != SCP_DEFAULT_PORT)
		fatal("target port not supported with two remote hosts and "
		    "the -R option");
	scp_argv_add(&a, "%s", u->o->ssh_program);
	scp_argv_add(&a, "-x");
	scp_argv_add(&a, "-oClearAllForwardings=yes");
	scp_argv_add(&a, "-n");
	for (i = 0; i < u->o->rr_args.num; i++)
		scp_argv_add(&a, "%s", u->o->rr_args.list[i]);
	if (src->port != -1) {
		scp_argv_add(&a, "-p");
		scp_argv_add(&a, "%d", src->port);
	}
	if (src->user != NULL) {
		scp_argv_add(&a, "-l");
		scp_argv_add(&a, "%s", src->user);
	}
	scp_argv_add(&a, "--");
	scp_argv_add(&a, "%s", src->host);
	scp_argv_add(&a, "%s", u->o->cmd);
	scp_argv_add(&a, "%s", src->path);
	scp_argv_add(&a, "%s%s%s:%s", dst->user != NULL ? dst->user : "",
	    dst->user != NULL ? "@" : "", dst->host, dst->path);
	if (scp_run_local(u->o, a.list) != 0)
		u->errs++;
	scp_argv_free(&a);
}

/* A connection to the target, made on first use; fatal if it fails. */
static struct scp_sftp *
upload_target(struct upload *u)
{
	if (u->to == NULL && (u->to = scp_sftp_connect(u->o, u->dst->host,
	    u->dst->user, u->dst->port)) == NULL)
		cleanup_exit(255);
	return u->to;
}

/* SFTP -3: src's host to the target. */
static void
sftp_through_local(struct upload *u, const struct scp_location *src)
{
	struct scp_sftp *to = upload_target(u);

	if (u->from != NULL && !scp_sftp_is_for(u->from, src->host,
	    src->user, src->port)) {
		u->errs += scp_sftp_close(u->from) != 0;
		u->from = NULL;
	}
	if (u->from == NULL && (u->from = scp_sftp_connect(u->o, src->host,
	    src->user, src->port)) == NULL) {
		u->errs++;
		return;
	}
	u->errs += scp_sftp_crossload(u->from, src->path, to, u->dst->path);
}

/* A local file to the target. */
static void
upload_local(struct upload *u, char *path)
{
	struct stat st;
	char *cmd;

	if (u->o->mode == SCP_MODE_SFTP) {
		/* No glob: the local shell did that already. */
		if (stat(path, &st) != 0)
			fatal("stat local \"%s\": %s", path, strerror(errno));
		u->errs += scp_sftp_upload(upload_target(u), path,
		    u->dst->path);
		return;
	}
	if (u->pid == -1) {
		cmd = remote_cmd(u->o, "-t", u->dst->path);
		u->pid = scp_do_cmd(u->o, u->dst->host, u->dst->user,
		    u->dst->port, cmd, &u->in, &u->out);
		free(cmd);
		rcp_init(&u->r, u->o, u->in, u->out, 0);
		if (rcp_response(&u->r) != 0)
			exit(1);
	}
	rcp_source(&u->r, &path, 1);
}

static int
to_remote(const struct scp_opts *o, int argc, char **argv)
{
	struct scp_location dst, src;
	struct upload u;
	int i;

	if (get_location(argv[argc - 1], &dst) != 0)
		return 1;
	memset(&u, 0, sizeof(u));
	u.o = o;
	u.dst = &dst;
	u.pid = -1;
	for (i = 0; i < argc - 1; i++) {
		if (get_location(argv[i], &src) != 0) {
			u.errs++;
			continue;
		}
		if (src.host != NULL && o->through_local) {
			if (o->mode == SCP_MODE_SFTP)
				sftp_through_local(&u, &src);
			else
				legacy_through_local(&u, &src);
		} else if (src.host != NULL) {
			remote_remote(&u, &src);
		} else {
			upload_local(&u, argv[i]);
		}
		scp_location_free(&src);
	}
	if (u.pid != -1) {
		u.errs += u.r.errs;
		rcp_free(&u.r);
		close(u.in);
		close(u.out);
		if (scp_child_wait(u.pid) != 0 && u.errs == 0)
			u.errs++;
	}
	if (u.from != NULL)
		u.errs += scp_sftp_close(u.from) != 0;
	if (u.to != NULL)
		u.errs += scp_sftp_close(u.to) != 0;
	scp_location_free(&dst);
	return u.errs;
}

/* ------------------------------------------------------------ remote end */

/* scp -f / scp -t: the far end of a legacy transfer, on stdin/stdout. */
static void noreturn_fn
remote_end(const struct scp_opts *o, int argc, char **argv)
{
	struct rcp r;

	/* A signal must still cut a partial file back (scp -t). */
	scp_signals_setup();
	rcp_init(&r, o, STDIN_FILENO, STDOUT_FILENO, 1);
	if (o->remote == 'f') {
		/* The sink speaks first, to say it is ready. */
		(void)rcp_response(&r);
		rcp_source(&r, argv, argc);
	} else if (argc != 1) {
		rcp_error(&r, "ambiguous target");
		exit(1);
	} else {
		rcp_sink(&r, argv[0], NULL);
	}
	exit(r.errs != 0);
}

int
main(int argc, char **argv)
{
	struct scp_opts o;
	int n, errs;

	/* Files opened later must never land on stdin, stdout or stderr. */
	if (sanitise_stdfd() != 0)
		exit(1);
	scp_log_setup(argv[0]);
	n = parse_args(argc, argv, &o);
	argc -= n;
	argv += n;
	if (o.remote != 0)
		remote_end(&o, argc, argv);
	if (argc < 2)
		usage();
	if (argc > 2)
		o.target_dir = 1;
	snprintf(o.cmd, sizeof(o.cmd), "scp%s%s%s%s",
	    o.verbose ? " -v" : "", o.recursive ? " -r" : "",
	    o.preserve ? " -p" : "", o.target_dir ? " -d" : "");
	scp_signals_setup();
	if (scp_is_remote(argv[argc - 1])) {
		errs = to_remote(&o, argc, argv);
	} else {
		if (o.target_dir)
			verify_local_dir(argv[argc - 1]);
		errs = to_local(&o, argc, argv);
	}
	exit(errs != 0);
}
