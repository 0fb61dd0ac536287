/*
 * sftp.c: main() of the sftp program: options, the destination
 * ([user@]host[:path] or an sftp:// URI), starting the transport (ssh,
 * or a local server with -D) and the session; the commands are in
 * sftp-cmds.c, the input loop in sftp-loop.c.
 */
#include "includes.h"

#include <sys/wait.h>
#include <ctype.h>
#include <signal.h>

#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "xmalloc.h"
#include "sftp.h"
#include "sftp-common.h"
#include "sftp-client.h"
#include "sftp-prog.h"

#ifndef _PATH_SSH_PROGRAM
#define _PATH_SSH_PROGRAM	"/usr/bin/ssh"
#endif

/* What the command line asked for. */
struct sftp_options {
	char		**ssh_args;	/* options handed to ssh */
	size_t		  nssh_args;
	const char	 *ssh_program;	/* -S */
	const char	 *subsystem;	/* -s */
	const char	 *direct;	/* -D */
	const char	 *batchfile;	/* -b */
	size_t		  buflen;	/* -B */
	size_t		  num_requests;	/* -R */
	uint64_t	  limit_kbps;	/* -l */
	int		  quiet;	/* -q */
	int		  noquiet;	/* -N */
	int		  verbose;	/* -v count */
	int		  forward_agent; /* -A */
	int		  aflag, fflag, pflag, rflag;
	char		 *user;
	char		 *host;
	char		 *port;		/* from an sftp:// URI */
	char		 *path;		/* [user@]host:path */
};

/* The transport, for the signal handlers. */
static struct sftp_child sftp_child = { -1, -1, -1 };

static void
usage(void)
{
	fprintf(stderr,
	    "usage: sftp [-46AaCfNpqrv] [-B buffer_size] [-b batchfile] "
	    "[-c cipher]\n"
	    "          [-D sftp_server_command] [-F ssh_config] "
	    "[-i identity_file]\n"
	    "          [-J destination] [-l limit] [-o ssh_option] "
	    "[-P port]\n"
	    "          [-R num_requests] [-S program] "
	    "[-s subsystem | sftp_server]\n"
	    "          destination\n");
	exit(1);
}

/* On SIGTERM/SIGHUP: take the transport down with us. */
static void
killchild(int signo)
{
	pid_t pid = sftp_child.pid;

	if (pid > 1) {
		kill(pid, SIGTERM);
		(void)waitpid(pid, NULL, 0);
	}
	_exit(1);
}

static void
add_ssh_arg(struct sftp_options *o, const char *fmt, ...)
{
	va_list ap;
	char *arg;

	va_start(ap, fmt);
	if (xvasprintf(&arg, fmt, ap) < 0)
		fatal("%s: out of memory", __func__);
	va_end(ap);
	o->ssh_args = xreallocarray(o->ssh_args, o->nssh_args + 2,
	    sizeof(*o->ssh_args));
	o->ssh_args[o->nssh_args++] = arg;
	o->ssh_args[o->nssh_args] = NULL;
}

/* A size argument of -B / -R: a positive decimal number. */
static size_t
parse_count(const char *arg, long long max, const char *what)
{
	const char *errstr = NULL;
	long long v;

	v = strtonum(arg, 1, max, &errstr);
	if (errstr != NULL)
		fatal("Invalid %s \"%s\"", what, arg);
	return (size_t)v;
}

/* ------------------------------------------------------------ dest */

/* %XX decoding of an sftp:// URI part; NULL on a bad escape. */
static char *
urldecode(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), hex[3];
	size_t o = 0;

	for (; *s != '\0'; s++) {
		if (*s != '%') {
			out[o++] = *s;
			continue;
		}
		if (!isxdigit((u_char)s[1]) || !isxdigit((u_char)s[2]) ||
		    (s[1] == '0' && s[2] == '0')) {
			free(out);
			return NULL;
		}
		hex[0] = s[1];
		hex[1] = s[2];
		hex[2] = '\0';
		out[o++] = (char)strtoul(hex, NULL, 16);
		s += 2;
	}
	out[o] = '\0';
	return out;
}

/*
 * sftp://[user[;params]@]host[:port][/path]: the path after the
 * host's '/' is relative to the login directory ("//x" is absolute).
 */
static int
parse_uri(const char *uri, struct sftp_options *o)
{
	char *s = xstrdup(uri + strlen("sftp://")), *p, *at, *hp, *slash;
	int r = -1;

	if ((slash = strchr(s, '/')) != NULL) {
		*slash++ = '\0';
		o->path = urldecode(*slash == '\0' ? "." : slash);
		if (o->path == NULL)
			goto out;
	}
	hp = s;
	if ((at = strrchr(s, '@')) != NULL) {
		*at = '\0';
		if ((p = strchr(s, ';')) != NULL)
			*p = '\0';	/* connection parameters: ignored */
		if ((o->user = urldecode(s)) == NULL || *o->user == '\0')
			goto out;
		hp = at + 1;
	}
	if ((p = hpdelim(&hp)) == NULL || *p == '\0')
		goto out;
	o->host = xstrdup(p);
	if (hp != NULL && *hp != '\0') {
		if (a2port(hp) <= 0)
			goto out;
		o->port = xstrdup(hp);
	}
	r = 0;
 out:
	free(s);
	return r;
}

/* The first ':' that ends a host part ("[v6]:" aware); NULL if none. */
static char *
host_colon(char *s)
{
	int brackets = 0;

	if (*s == ':')
		return NULL;
	for (; *s != '\0'; s++) {
		if (*s == '[')
			brackets = 1;
		else if (*s == ']')
			brackets = 0;
		else if (*s == ':' && !brackets)
			return s;
		else if (*s == '/' && !brackets)
			return NULL;
	}
	return NULL;
}

/* [user@]host[:path] */
static int
parse_dest(const char *dest, struct sftp_options *o)
{
	char *s, *c, *at, *h;

	if (strncmp(dest, "sftp://", 7) == 0)
		return parse_uri(dest, o);
	s = xstrdup(dest);
	if ((c = host_colon(s)) != NULL) {
		*c++ = '\0';
		o->path = xstrdup(c);
	}
	h = s;
	if ((at = strrchr(s, '@')) != NULL) {
		*at = '\0';
		o->user = xstrdup(s);
		h = at + 1;
	}
	/* "[host]" loses its brackets. */
	if (*h == '[' && h[strlen(h) - 1] == ']') {
		h[strlen(h) - 1] = '\0';
		h++;
	}
	if (*h == '\0') {
		free(s);
		return -1;
	}
	o->host = xstrdup(h);
	free(s);
	return 0;
}

/* ------------------------------------------------------------ options */

static void
parse_options(int argc, char **argv, struct sftp_options *o)
{
	const char *errstr = NULL;
	long long limit;
	int ch;

	while ((ch = getopt(argc, argv,
	    "1246AafhNpqrvCc:D:i:l:o:s:S:b:B:F:J:P:R:")) != -1) {
		switch (ch) {
		case '1':
			fatal("SSH protocol v.1 is no longer supported");
			break;
		case '2':	/* ignored, as OpenSSH does */
			break;
		case '4':
		case '6':
		case 'C':
			add_ssh_arg(o, "-%c", ch);
			break;
		case 'A':
			o->forward_agent = 1;
			break;
		case 'c':
		case 'F':
		case 'i':
		case 'J':
		case 'o':
			add_ssh_arg(o, "-%c", ch);
			add_ssh_arg(o, "%s", optarg);
			break;
		case 'P':
			if (a2port(optarg) <= 0)
				fatal("Bad port \"%s\"", optarg);
			add_ssh_arg(o, "-oPort=%s", optarg);
			break;
		case 'q':
			o->quiet = 1;
			add_ssh_arg(o, "-q");
			break;
		case 'N':
			o->noquiet = 1;
			break;
		case 'v':
			o->verbose++;
			add_ssh_arg(o, "-v");
			break;
		case 'a':
			o->aflag = 1;
			break;
		case 'f':
			o->fflag = 1;
			break;
		case 'p':
			o->pflag = 1;
			break;
		case 'r':
			o->rflag = 1;
			break;
		case 'b':
			if (o->batchfile != NULL)
				usage();
			o->batchfile = optarg;
			add_ssh_arg(o, "-oBatchMode=yes");
			break;
		case 'B':
			o->buflen = parse_count(optarg, SFTP_MAX_READ_LENGTH,
			    "buffer size");
			break;
		case 'R':
			o->num_requests = parse_count(optarg, 4096,
			    "number of requests");
			break;
		case 'l':
			limit = strtonum(optarg, 1, 100 * 1024 * 1024, &errstr);
			if (errstr != NULL)
				usage();
			o->limit_kbps = (uint64_t)limit;
			break;
		case 'D':
			o->direct = optarg;
			break;
		case 's':
			o->subsystem = optarg;
			break;
		case 'S':
			o->ssh_program = optarg;
			break;
		default:
			usage();
		}
	}
}

static void
free_options(struct sftp_options *o)
{
	size_t i;

	for (i = 0; i < o->nssh_args; i++)
		free(o->ssh_args[i]);
	free(o->ssh_args);
	free(o->user);
	free(o->host);
	free(o->port);
	free(o->path);
	memset(o, 0, sizeof(*o));
}

/* ------------------------------------------------------------ session */

static void
start_transport(struct sftp_options *o)
{
	int r;

	if (o->direct != NULL) {
		r = sftp_spawn_command(o->direct, 1, &sftp_child);
		if (r != 0)
			fatal("Couldn't start \"%s\": %s", o->direct,
			    errcode_str(r));
		return;
	}
	if (!o->forward_agent)
		add_ssh_arg(o, "-oForwardAgent=no");
	if (o->port != NULL)
		add_ssh_arg(o, "-oPort=%s", o->port);
	if (o->user != NULL) {
		add_ssh_arg(o, "-l");
		add_ssh_arg(o, "%s", o->user);
	}
	r = sftp_spawn_ssh(o->ssh_program, o->ssh_args, o->host,
	    o->subsystem != NULL ? o->subsystem : "sftp", 1, &sftp_child);
	if (r != 0)
		fatal("Couldn't start \"%s\": %s", o->ssh_program,
		    errcode_str(r));
}

/* INIT, the working directory, then the commands. */
static int
run_session(struct sftp_options *o, struct sftp_session *s, FILE *in)
{
	struct sftpc_options co;
	int r;

	memset(&co, 0, sizeof(co));
	co.buflen = o->buflen;
	co.num_requests = o->num_requests;
	co.limit_kbps = o->limit_kbps;
	co.interrupted = &sftp_interrupted;
	if ((r = sftpc_connect(sftp_child.fd_in, sftp_child.fd_out, &co,
	    &s->conn)) != 0) {
		if (r == ERR_CONN_CLOSED)
			fatal("Connection closed");
		fatal("Couldn't initialise connection to server");
	}
	if (!s->quiet) {
		if (o->direct != NULL)
			printf("Attached to %s.\n", o->direct);
		else
			printf("Connected to %s.\n", o->host);
	}
	if (sftpc_realpath(s->conn, ".", &s->cwd) != 0)
		fatal("Need cwd");
	s->startdir = xstrdup(s->cwd);
	return sftp_command_loop(s, in, o->path);
}

int
main(int argc, char **argv)
{
	struct sftp_options o;
	struct sftp_session s;
	FILE *in = stdin;
	int status;

	if (sanitise_stdfd() != 0)
		return 1;
	log_init(argv[0], LOG_LEVEL_INFO, LOG_FACILITY_USER, 1);
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&o, 0, sizeof(o));
	memset(&s, 0, sizeof(s));
	o.ssh_program = _PATH_SSH_PROGRAM;
	/* As OpenSSH's sftp: no X11, no forwarding, no local commands. */
	add_ssh_arg(&o, "-oForwardX11=no");
	add_ssh_arg(&o, "-oPermitLocalCommand=no");
	add_ssh_arg(&o, "-oClearAllForwardings=yes");
	parse_options(argc, argv, &o);
	if (o.verbose > 0)
		log_set_level(o.verbose == 1 ? LOG_LEVEL_DEBUG1 :
		    o.verbose == 2 ? LOG_LEVEL_DEBUG2 : LOG_LEVEL_DEBUG3);
	argc -= optind;
	argv += optind;
	if (o.direct == NULL) {
		/* A second argument: the local name for host:path's fetch. */
		if (argc < 1 || argc > 2 || parse_dest(argv[0], &o) != 0 ||
		    (argc == 2 && o.path == NULL))
			usage();
		if (argc == 2)
			s.initial_local = argv[1];
	} else if (argc > 1)
		usage();
	else if (argc == 1)
		o.path = xstrdup(argv[0]);
	if (o.batchfile != NULL) {
		if (strcmp(o.batchfile, "-") != 0 &&
		    (in = fopen(o.batchfile, "r")) == NULL)
			fatal("%s (%s).", strerror(errno), o.batchfile);
		s.batch = 1;
		s.quiet = !o.noquiet;
	}
	s.quiet = s.quiet || o.quiet;
	s.progress = isatty(STDOUT_FILENO) && !s.quiet && !s.batch;
	s.interactive = o.batchfile == NULL && isatty(STDIN_FILENO);
	s.aflag = o.aflag;
	s.fflag = o.fflag;
	s.pflag = o.pflag;
	s.rflag = o.rflag;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, killchild);
	signal(SIGHUP, killchild);
	start_transport(&o);
	status = run_session(&o, &s, in);
	sftpc_free(s.conn);
	free(s.cwd);
	free(s.startdir);
	free_options(&o);
	if (sftp_child_finish(&sftp_child, 0, NULL) != 0)
		fatal("Couldn't wait for ssh process: %s", strerror(errno));
	if (in != stdin)
		fclose(in);
	return status;
}
