/*
 * ssh.c: the ssh client's main: command line, configuration, then
 * connect (sshconnect.c), authenticate (sshconnect2.c) and run the
 * session (clientloop.c).
 *
 * Exit status: the remote command's, or 255 for ssh's own errors, as
 * OpenSSH.
 */
#include "includes.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>

#include "clientloop.h"
#include "errcode.h"
#include "kex-names.h"
#include "key.h"
#include "log.h"
#include "misc.h"
#include "packet.h"
#include "readconf.h"
#include "ssh2.h"
#include "sshconnect.h"
#include "xmalloc.h"

#define MAX_CMDLINE_OPTS	256

/* What the command line asked for, before the configuration is read. */
struct ssh_args {
	char *opts[MAX_CMDLINE_OPTS];	/* config lines, in order */
	int nopts;
	const char *config_file;	/* -F */
	const char *log_file;		/* -E */
	char *host;
	char *dest_user;		/* user@ of the destination */
	int dest_port;			/* ssh://...:port, or -1 */
	char *command;			/* words joined, or NULL */
	int verbose;			/* -v count */
	int quiet;			/* -q */
	int ttys;			/* -t count */
	int no_tty;			/* -T */
	int dump;			/* -G */
};

static void noreturn_fn
usage(void)
{
	fprintf(stderr,
"usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]\n"
"           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]\n"
"           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]\n"
"           [-J destination] [-L address] [-l login_name] [-m mac_spec]\n"
"           [-O ctl_cmd] [-o option] [-P tag] [-p port] [-Q query_option]\n"
"           [-R address] [-S ctl_path] [-W host:port]\n"
"           [-w local_tun[:remote_tun]]\n"
"           destination [command [argument ...]]\n");
	exit(255);
}

static void
add_opt(struct ssh_args *a, const char *fmt, const char *val)
{
	char *line = NULL;

	if (a->nopts >= MAX_CMDLINE_OPTS)
		fatal("Too many options on the command line");
	xasprintf(&line, fmt, val);
	a->opts[a->nopts++] = line;
}

/* One side of a forward in ssh_config's form: [host:]port or a path. */
static char *
fwd_side(const char *host, int port, const char *path)
{
	char *s = NULL;

	if (path != NULL)
		return xstrdup(path);
	if (host == NULL)
		xasprintf(&s, "%d", port);
	else if (strchr(host, ':') != NULL)
		xasprintf(&s, "[%s]:%d", host, port);
	else
		xasprintf(&s, "%s:%d", host, port);
	return s;
}

/*
 * -L / -R: the one-word command-line spec, checked as OpenSSH checks it,
 * becomes the two-word LocalForward / RemoteForward line (a remote
 * forward without a connect side is the one-word dynamic form).
 */
static void
add_forward_opt(struct ssh_args *a, const char *spec, int remote)
{
	struct readconf_forward fwd;
	char *listen, *target = NULL, *line = NULL;
	int dynamic = 0;

	memset(&fwd, 0, sizeof(fwd));
	if (readconf_parse_forward(&fwd, spec, 0, remote) != 0) {
		if (!remote || readconf_parse_forward(&fwd, spec, 1, 1) != 0)
			fatal("Bad %s forwarding specification '%s'",
			    remote ? "remote" : "local", spec);
		dynamic = 1;
	}
	listen = fwd_side(fwd.listen_host, fwd.listen_port, fwd.listen_path);
	if (!dynamic)
		target = fwd_side(fwd.connect_host, fwd.connect_port,
		    fwd.connect_path);
	xasprintf(&line, "%s %s%s", listen, dynamic ? "" : " ",
	    dynamic ? "" : target);
	add_opt(a, remote ? "RemoteForward=%s" : "LocalForward=%s", line);
	free(line);
	free(listen);
	free(target);
	readconf_forward_clear(&fwd);
}

/* ------------------------------------------------------------ arguments */

/* ssh://[user@]host[:port][/], as OpenSSH's parse_uri. */
static int
parse_uri(struct ssh_args *a, const char *uri)
{
	char *s, *host, *at, *colon, *end;
	int port = -1;

	s = xstrdup(uri + strlen("ssh://"));
	if ((end = strchr(s, '/')) != NULL) {
		if (end[1] != '\0')
			goto bad;
		*end = '\0';
	}
	host = s;
	if ((at = strrchr(s, '@')) != NULL) {
		*at = '\0';
		/* No ;fingerprint or other parameters. */
		if (*s == '\0' || strchr(s, ';') != NULL)
			goto bad;
		a->dest_user = xstrdup(s);
		host = at + 1;
	}
	if (*host == '[') {
		if ((end = strchr(host, ']')) == NULL)
			goto bad;
		*end = '\0';
		colon = end[1] == ':' ? end + 1 : NULL;
		if (end[1] != '\0' && colon == NULL)
			goto bad;
		host++;
	} else if ((colon = strchr(host, ':')) != NULL)
		*colon = '\0';
	if (colon != NULL && (port = a2port(colon + 1)) <= 0)
		goto bad;
	if (*host == '\0')
		goto bad;
	a->host = xstrdup(host);
	a->dest_port = port;
	free(s);
	return 0;
 bad:
	free(s);
	return -1;
}

static void
parse_destination(struct ssh_args *a, const char *dest)
{
	const char *at;

	if (strncmp(dest, "ssh://", 6) == 0) {
		if (parse_uri(a, dest) != 0) {
			fprintf(stderr, "ssh: invalid URI: %s\n", dest);
			exit(255);
		}
		return;
	}
	if ((at = strrchr(dest, '@')) != NULL) {
		if (at == dest)
			usage();
		a->dest_user = xstrdup(dest);
		a->dest_user[at - dest] = '\0';
		a->host = xstrdup(at + 1);
	} else
		a->host = xstrdup(dest);
	if (*a->host == '\0')
		usage();
}

/* -Q: the algorithms we know, one per line. */
static void noreturn_fn
query(const char *what)
{
	static const struct {
		const char *name;
		enum kex_names_kind kind;
	} q[] = {
		{ "cipher", KEX_NAMES_CIPHER },
		{ "cipher-auth", KEX_NAMES_CIPHER_AUTH },
		{ "mac", KEX_NAMES_MAC },
		{ "kex", KEX_NAMES_KEX },
		{ "key", KEX_NAMES_HOSTKEY },
		{ "key-sig", KEX_NAMES_HOSTKEY },
		{ "HostKeyAlgorithms", KEX_NAMES_HOSTKEY },
		{ "PubkeyAcceptedAlgorithms", KEX_NAMES_HOSTKEY },
		{ "Ciphers", KEX_NAMES_CIPHER },
		{ "MACs", KEX_NAMES_MAC },
		{ "KexAlgorithms", KEX_NAMES_KEX },
		{ "compression", KEX_NAMES_COMPRESSION },
	};
	char *list;
	size_t i;

	if (strcmp(what, "help") == 0) {
		for (i = 0; i < sizeof(q) / sizeof(q[0]); i++)
			printf("%s\n", q[i].name);
		exit(0);
	}
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		if (strcasecmp(what, q[i].name) != 0)
			continue;
		if ((list = kex_names_list(q[i].kind, '\n')) == NULL)
			fatal("out of memory");
		printf("%s\n", list);
		free(list);
		exit(0);
	}
	fprintf(stderr, "Unsupported query \"%s\"\n", what);
	exit(255);
}

/* Flags that are only a config option in another spelling. */
static int
parse_config_flag(struct ssh_args *a, int ch, const char *arg)
{
	switch (ch) {
	case 'A':
		add_opt(a, "ForwardAgent=%s", "yes");
		break;
	case 'a':
		add_opt(a, "ForwardAgent=%s", "no");
		break;
	case 'B':
		add_opt(a, "BindInterface=%s", arg);
		break;
	case 'b':
		add_opt(a, "BindAddress=%s", arg);
		break;
	case 'D':
		add_opt(a, "DynamicForward=%s", arg);
		break;
	case 'e':
		add_opt(a, "EscapeChar=%s", arg);
		break;
	case 'g':
		add_opt(a, "GatewayPorts=%s", "yes");
		break;
	case 'I':
		add_opt(a, "PKCS11Provider=%s", arg);
		break;
	case 'J':
		add_opt(a, "ProxyJump=%s", arg);
		break;
	case 'K':
		add_opt(a, "GSSAPIAuthentication=%s", "yes");
		add_opt(a, "GSSAPIDelegateCredentials=%s", "yes");
		break;
	case 'k':
		add_opt(a, "GSSAPIDelegateCredentials=%s", "no");
		break;
	case 'L':
		add_forward_opt(a, arg, 0);
		break;
	case 'M':
		add_opt(a, "ControlMaster=%s", "yes");
		break;
	case 'P':
		add_opt(a, "Tag=%s", arg);
		break;
	case 'R':
		add_forward_opt(a, arg, 1);
		break;
	case 'S':
		add_opt(a, "ControlPath=%s", arg);
		break;
	case 'w':
		add_opt(a, "TunnelDevice=%s", arg);
		break;
	case 'X':
		add_opt(a, "ForwardX11=%s", "yes");
		add_opt(a, "ForwardX11Trusted=%s", "no");
		break;
	case 'x':
		add_opt(a, "ForwardX11=%s", "no");
		break;
	case 'Y':
		add_opt(a, "ForwardX11=%s", "yes");
		add_opt(a, "ForwardX11Trusted=%s", "yes");
		break;
	case 'y':
		add_opt(a, "SyslogFacility=%s", "USER");
		break;
	default:
		return 0;
	}
	return 1;
}

static void
parse_flag(struct ssh_args *a, int ch, const char *arg)
{
	if (parse_config_flag(a, ch, arg))
		return;
	switch (ch) {
	case '4':
		add_opt(a, "AddressFamily=%s", "inet");
		break;
	case '6':
		add_opt(a, "AddressFamily=%s", "inet6");
		break;
	case 'C':
		add_opt(a, "Compression=%s", "yes");
		break;
	case 'f':
		add_opt(a, "ForkAfterAuthentication=%s", "yes");
		add_opt(a, "StdinNull=%s", "yes");
		break;
	case 'G':
		a->dump = 1;
		break;
	case 'N':
		add_opt(a, "SessionType=%s", "none");
		break;
	case 'n':
		add_opt(a, "StdinNull=%s", "yes");
		break;
	case 'q':
		a->quiet = 1;
		break;
	case 's':
		add_opt(a, "SessionType=%s", "subsystem");
		break;
	case 'T':
		a->no_tty = 1;
		break;
	case 't':
		a->ttys++;
		break;
	case 'V':
		fprintf(stderr, "%s\n", "Keel_" PACKAGE_VERSION);
		exit(0);
	case 'v':
		a->verbose++;
		break;
	case 'c':
		add_opt(a, "Ciphers=%s", arg);
		break;
	case 'E':
		a->log_file = arg;
		break;
	case 'F':
		a->config_file = arg;
		break;
	case 'i':
		if (access(arg, R_OK) != 0) {
			fprintf(stderr, "Warning: Identity file %s not "
			    "accessible: %s.\r\n", arg, strerror(errno));
			break;
		}
		add_opt(a, "IdentityFile=\"%s\"", arg);
		break;
	case 'l':
		add_opt(a, "User=%s", arg);
		break;
	case 'm':
		add_opt(a, "MACs=%s", arg);
		break;
	case 'o':
		add_opt(a, "%s", arg);
		break;
	case 'O':
		fprintf(stderr, "No ControlPath specified for \"-O\" "
		    "command\n");
		exit(255);
	case 'Q':
		query(arg);
	case 'W':
		fprintf(stderr, "ssh: -W is not supported yet\n");
		exit(255);
	case 'p':
		if (a2port(arg) <= 0) {
			fprintf(stderr, "Bad port '%s'\n", arg);
			exit(255);
		}
		add_opt(a, "Port=%s", arg);
		break;
	default:
		usage();
	}
}

/* The remaining words, joined by spaces, as OpenSSH sends them. */
static char *
join_command(int argc, char **argv)
{
	size_t len = 0;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = xmalloc(len + 1);
	*s = '\0';
	for (i = 0; i < argc; i++) {
		if (i > 0)
			strlcat(s, " ", len + 1);
		strlcat(s, argv[i], len + 1);
	}
	return s;
}

static void
parse_args(struct ssh_args *a, int argc, char **argv)
{
	const char *optstr = "+46AaCfGgKkMNnqsTtVvXxYy"
	    "B:b:c:D:E:e:F:I:i:J:L:l:m:O:o:P:p:Q:R:S:W:w:";
	int ch;

	memset(a, 0, sizeof(*a));
	a->dest_port = -1;
	/* Options may follow the destination too (getopt stops there). */
	for (;;) {
		while ((ch = getopt(argc, argv, optstr)) != -1)
			parse_flag(a, ch, optarg);
		argc -= optind;
		argv += optind;
		if (argc <= 0)
			break;
		if (a->host == NULL) {
			parse_destination(a, argv[0]);
			argc--;
			argv++;
			if (argc > 0 && argv[0][0] == '-' &&
			    strcmp(argv[0], "--") != 0) {
				/* getopt wants argv[0] to be the program. */
				argc++;
				argv--;
				optind = 1;
				continue;
			}
		}
		if (argc > 0 && strcmp(argv[0], "--") == 0) {
			argc--;
			argv++;
		}
		break;
	}
	if (a->host == NULL)
		usage();
	if (argc > 0)
		a->command = join_command(argc, argv);
}

/* ------------------------------------------------------------ config */

static void
make_ctx(struct readconf_ctx *ctx, const char *host)
{
	if (readconf_ctx_local(ctx, host) != 0)
		fatal("No user exists for uid %u", (u_int)getuid());
}

static void
read_config_files(struct readconf *o, const struct ssh_args *a,
    const struct readconf_ctx *ctx, int flags)
{
	char *path = NULL;
	int r;

	if (a->config_file != NULL) {
		if (strcasecmp(a->config_file, "none") == 0)
			return;
		r = readconf_read_file(o, a->config_file, a->host, ctx,
		    READCONF_USER | flags);
		if (r == ERR_ERRNO)
			fatal("Can't open user config file %s: %s",
			    a->config_file, strerror(errno));
		if (r != 0)
			exit(255);
		return;
	}
	xasprintf(&path, "%s/.ssh/config", ctx->home);
	r = readconf_read_file(o, path, a->host, ctx,
	    READCONF_USER | READCONF_CHECKPERM | flags);
	free(path);
	if (r != 0 && !(r == ERR_ERRNO && errno == ENOENT))
		exit(255);
	r = readconf_read_file(o, SSHDIR "/ssh_config", a->host, ctx, flags);
	if (r != 0 && !(r == ERR_ERRNO && errno == ENOENT))
		exit(255);
}

static struct readconf *
load_config(struct ssh_args *a, struct readconf_ctx *ctx)
{
	struct readconf *o;
	char portstr[16];
	int i;

	if ((o = readconf_new()) == NULL)
		fatal("out of memory");
	make_ctx(ctx, a->host);
	/* Command line first: the first value obtained wins. */
	if (a->quiet)
		add_opt(a, "LogLevel=%s", "QUIET");
	else if (a->verbose > 0)
		add_opt(a, "LogLevel=%s", a->verbose == 1 ? "DEBUG1" :
		    a->verbose == 2 ? "DEBUG2" : "DEBUG3");
	if (a->ttys > 0 || a->no_tty)
		add_opt(a, "RequestTTY=%s", a->no_tty ? "no" :
		    a->ttys > 1 ? "force" : "yes");
	if (a->dest_user != NULL)
		add_opt(a, "User=%s", a->dest_user);
	if (a->dest_port > 0) {
		snprintf(portstr, sizeof(portstr), "%d", a->dest_port);
		add_opt(a, "Port=%s", portstr);
	}
	for (i = 0; i < a->nopts; i++) {
		if (readconf_process_option(o, a->opts[i], a->host,
		    ctx) != 0)
			exit(255);
	}
	read_config_files(o, a, ctx, 0);
	if (o->want_final_pass)
		read_config_files(o, a, ctx, READCONF_FINAL);
	if (readconf_finish(o, ctx, a->command != NULL) != 0)
		exit(255);
	return o;
}

/* ------------------------------------------------------------ session */

/* -t/-T/RequestTTY, as OpenSSH decides. */
static int
want_tty(const struct readconf *o, const char *command, int quiet)
{
	int tty;

	if (o->session_type != RC_SESSION_DEFAULT)
		return 0;
	switch (o->request_tty) {
	case RC_TTY_FORCE:
		return 1;
	case RC_TTY_YES:
		tty = 1;
		break;
	case RC_TTY_NO:
		return 0;
	default:
		tty = command == NULL || *command == '\0';
		break;
	}
	if (tty && (!isatty(STDIN_FILENO) || o->stdin_null)) {
		if (!quiet)
			logit("Pseudo-terminal will not be allocated because "
			    "stdin is not a terminal.");
		tty = 0;
	}
	return tty;
}

/* -f: go to the background once authenticated. */
static void
fork_background(void)
{
	pid_t pid;

	if ((pid = fork()) == -1)
		fatal("fork: %s", strerror(errno));
	if (pid != 0)
		_exit(0);
	if (setsid() == -1)
		debug("setsid: %s", strerror(errno));
	/* As OpenSSH's daemon(1, 1): stdout and stderr stay open. */
}

static int
run_session(struct ssh *ssh, const struct readconf *o,
    const struct ssh_args *a, const char *command)
{
	struct client_session_opts so;
	int status = 255, r;

	memset(&so, 0, sizeof(so));
	so.cfg = o;
	so.command = command;
	so.subsystem = o->session_type == RC_SESSION_SUBSYSTEM;
	so.no_session = o->session_type == RC_SESSION_NONE;
	so.want_tty = want_tty(o, command, a->quiet);
	so.stdin_null = o->stdin_null;
	so.escape_char = o->escape_char == RC_ESCAPE_NONE ? -1 :
	    o->escape_char;
	so.quiet = a->quiet || o->log_level < LOG_LEVEL_INFO;
	so.host = o->host_arg != NULL ? o->host_arg : o->hostname;
	if (o->fork_after_authentication)
		fork_background();
	if ((r = client_loop_run(ssh, &so, &status)) != 0)
		return 255;
	return status;
}

/* What the configuration asks for that this ssh cannot do yet. */
static void
check_unsupported(const struct readconf *o)
{
	if (o->jump_spec != NULL && o->proxy_command == NULL) {
		error("ProxyJump is not supported yet (use ProxyCommand).");
		exit(255);
	}
	if (o->num_local_forwards > 0 || o->num_remote_forwards > 0) {
		if (o->exit_on_forward_failure) {
			error("Port forwarding is not supported yet.");
			exit(255);
		}
		logit("Warning: port forwarding is not supported yet; "
		    "ignoring -L/-R/-D.");
	}
	if (o->forward_agent)
		debug("Agent forwarding is not supported yet.");
	if (o->forward_x11)
		debug("X11 forwarding is not supported yet.");
}

static void
check_session_args(const struct readconf *o, const char *command)
{
	if (o->session_type == RC_SESSION_SUBSYSTEM &&
	    (command == NULL || *command == '\0')) {
		error("You must specify a subsystem to invoke.");
		exit(255);
	}
	if (o->fork_after_authentication &&
	    o->session_type == RC_SESSION_DEFAULT &&
	    (command == NULL || *command == '\0')) {
		error("Cannot fork into background without a command to "
		    "execute.");
		exit(255);
	}
}

/* ------------------------------------------------------------ main */

static void
setup_logging(const struct ssh_args *a, LogLevel level, LogFacility fac)
{
	log_init("ssh", level, fac, 1);
	if (a->log_file != NULL && log_to_file(a->log_file) != 0) {
		fprintf(stderr, "Couldn't open logfile %s: %s\n", a->log_file,
		    strerror(errno));
		exit(255);
	}
}

static int
connect_and_login(struct sshconnect *c, const struct readconf *o,
    struct ssh **sshp)
{
	const char *method = NULL;
	int r;

	if ((r = sshconnect_open(c)) != 0)
		return r;
	if ((r = sshconnect_kex(c, sshp)) != 0)
		return r;
	if ((r = sshconnect_userauth(c, *sshp, o->user, &method)) != 0) {
		if (r != ERR_KEY_NOT_FOUND)
			sshconnect_report_error(c, *sshp, r);
		return r;
	}
	if (c->ip[0] != '\0')
		verbose("Authenticated to %s ([%s]:%d) using \"%s\".",
		    c->host, c->ip, c->port, method);
	else
		verbose("Authenticated to %s (via proxy) using \"%s\".",
		    c->host, method);
	return 0;
}

int
main(int argc, char **argv)
{
	struct ssh_args a;
	struct readconf_ctx ctx;
	struct readconf *o;
	struct sshconnect c;
	struct ssh *ssh = NULL;
	const char *command;
	int status, i;

	if (sanitise_stdfd() != 0)
		exit(255);
	(void)signal(SIGPIPE, SIG_IGN);
	parse_args(&a, argc, argv);
	setup_logging(&a, a.quiet ? LOG_LEVEL_QUIET : a.verbose > 0 ?
	    LOG_LEVEL_DEBUG1 + (a.verbose > 3 ? 2 : a.verbose - 1) :
	    LOG_LEVEL_INFO, LOG_FACILITY_USER);
	o = load_config(&a, &ctx);
	if (a.dump) {
		if (readconf_dump(o, stdout) != 0 || fflush(stdout) != 0)
			exit(255);
		exit(0);
	}
	setup_logging(&a, o->log_level, o->log_facility);
	command = a.command != NULL ? a.command : o->remote_command;
	check_session_args(o, command);
	check_unsupported(o);
	if (o->stdin_null && stdfd_devnull(1, 0, 0) != 0)
		fatal("cannot redirect stdin to /dev/null");
	memset(&c, 0, sizeof(c));
	c.cfg = o;
	c.ctx = &ctx;
	c.host = o->hostname;
	c.port = o->port;
	c.quiet = a.quiet;
	if (connect_and_login(&c, o, &ssh) != 0) {
		packet_free(ssh);
		sshconnect_close(&c);
		exit(255);
	}
	status = run_session(ssh, o, &a, command);
	packet_free(ssh);
	sshconnect_close(&c);
	for (i = 0; i < a.nopts; i++)
		free(a.opts[i]);
	free(a.host);
	free(a.dest_user);
	free(a.command);
	readconf_free(o);
	exit(status);
}
