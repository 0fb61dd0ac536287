/*
 * sshd.c: the SSH daemon's command line (sshd(8)): parse the flags into
 * a struct, read the configuration once, check it (-t, -T), and hand
 * off to the listener (sshd-listen.c), to a connection (-i; -R, the
 * re-executed per-connection process) or exit.  sshd.h describes the
 * process model.
 */
#include "includes.h"

#include <sys/stat.h>
#include <fcntl.h>
#include <signal.h>

#include <openssl/crypto.h>

#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "keyfile.h"
#include "log.h"
#include "misc.h"
#include "sandbox.h"
#include "servconf.h"
#include "sshd.h"
#include "uidswap.h"
#include "xmalloc.h"

#define SSHD_OPTSTRING	"46b:C:dDeE:f:g:h:ik:o:p:qrRtTu:V"

#ifndef SSHDIR
#define SSHDIR "/etc/ssh"
#endif
#define SSHD_CONFIG_FILE	SSHDIR "/sshd_config"

static void
usage(void)
{
	fprintf(stderr, "Keel_%s, %s\n", PACKAGE_VERSION,
	    OpenSSL_version(OPENSSL_VERSION));
	fprintf(stderr,
"usage: sshd [-46DdeiqTtV] [-C connection_spec] [-E log_file]\n"
"            [-f config_file] [-g login_grace_time] [-h host_key_file]\n"
"            [-o option] [-p port] [-u len]\n");
	exit(1);
}

static void
add_cfg_line(struct sshd_opts *o, const char *fmt, const char *arg)
{
	char *line;

	xasprintf(&line, fmt, arg);
	o->cfg_lines = xreallocarray(o->cfg_lines, o->ncfg_lines + 1,
	    sizeof(*o->cfg_lines));
	o->cfg_lines[o->ncfg_lines++] = line;
}

static void
add_port(struct sshd_opts *o, const char *arg)
{
	int port;

	if ((port = a2port(arg)) <= 0) {
		fprintf(stderr, "Bad port number.\n");
		exit(1);
	}
	o->cfg_ports = xreallocarray(o->cfg_ports, o->ncfg_ports + 1,
	    sizeof(*o->cfg_ports));
	o->cfg_ports[o->ncfg_ports++] = port;
}

/* A path as one config word: quoted, as the config parser reads it. */
static void
add_hostkey(struct sshd_opts *o, const char *path)
{
	if (strchr(path, '"') != NULL) {
		fprintf(stderr, "Invalid host key path: %s\n", path);
		exit(1);
	}
	add_cfg_line(o, "HostKey \"%s\"", path);
}

static void
parse_args(int argc, char **argv, struct sshd_opts *o)
{
	int ch;

	while ((ch = getopt(argc, argv, SSHD_OPTSTRING)) != -1) {
		switch (ch) {
		case '4':
			add_cfg_line(o, "AddressFamily %s", "inet");
			break;
		case '6':
			add_cfg_line(o, "AddressFamily %s", "inet6");
			break;
		case 'b':
		case 'k':
			/* Old init scripts still pass these: see main(). */
			o->obsolete |= ch == 'b' ? 1 : 2;
			break;
		case 'C':
			o->test_spec = optarg;
			break;
		case 'd':
			if (o->debug < 3)
				o->debug++;
			break;
		case 'D':
			o->no_daemon = 1;
			break;
		case 'e':
			o->log_stderr = 1;
			break;
		case 'E':
			o->log_file = optarg;
			break;
		case 'f':
			o->config_file = optarg;
			break;
		case 'g':
			add_cfg_line(o, "LoginGraceTime %s", optarg);
			break;
		case 'h':
			add_hostkey(o, optarg);
			break;
		case 'i':
			o->inetd = 1;
			break;
		case 'o':
			add_cfg_line(o, "%s", optarg);
			break;
		case 'p':
			add_port(o, optarg);
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'r':
			/* No re-exec is what -d does anyway. */
			break;
		case 'R':
			o->rexeced = 1;
			break;
		case 't':
			if (o->test == 0)
				o->test = 1;
			break;
		case 'T':
			o->test = 2;
			break;
		case 'u':
			/* utmp host length: accepted, not needed. */
			break;
		case 'V':
			fprintf(stderr, "Keel_%s, %s\n", PACKAGE_VERSION,
			    OpenSSL_version(OPENSSL_VERSION));
			exit(0);
		default:
			usage();
		}
	}
	if (optind < argc) {
		fprintf(stderr, "Extra argument %s.\n", argv[optind]);
		exit(1);
	}
	if (o->config_file == NULL)
		o->config_file = SSHD_CONFIG_FILE;
}

static char **
copy_argv(int argc, char **argv)
{
	char **v = xcalloc((size_t)argc + 1, sizeof(*v));
	int i;

	for (i = 0; i < argc; i++)
		v[i] = xstrdup(argv[i]);
	return v;
}

/* ------------------------------------------------------------ logging */

void
sshd_log_setup(const struct sshd_opts *o, const struct servconf *cfg,
    int to_stderr)
{
	LogLevel level = LOG_LEVEL_INFO;
	LogFacility fac = LOG_FACILITY_AUTH;

	if (cfg != NULL) {
		if (cfg->log_level != LOG_LEVEL_NOT_SET)
			level = cfg->log_level;
		if (cfg->log_facility != LOG_FACILITY_NOT_SET)
			fac = cfg->log_facility;
	}
	if (o->quiet)
		level = LOG_LEVEL_QUIET;
	if (o->debug > 0)
		level = (LogLevel)(LOG_LEVEL_DEBUG1 + o->debug - 1);
	log_init("sshd", level, fac, to_stderr);
	if (o->log_file != NULL && log_to_file(o->log_file) != 0)
		error("Couldn't open logfile %s: %s", o->log_file,
		    strerror(errno));
}

/* ------------------------------------------------------------ config */

/* The re-executed process reads the text the listener sent. */
static struct servconf_text *
read_passed_config(void)
{
	struct servconf_text *t = NULL;
	struct buf *b = NULL;
	int r;

	if ((r = buf_load_fd(SSHD_REEXEC_CONFIG_FD, &b)) != 0)
		fatal_fr(r, "read config from listener");
	close(SSHD_REEXEC_CONFIG_FD);
	if (buf_len(b) > SSHD_MAX_CONFIG_TEXT)
		fatal("config from listener too large");
	if ((r = servconf_text_deserialise(b, &t)) != 0)
		fatal_fr(r, "config from listener");
	buf_free(b);
	return t;
}

static struct servconf_text *
load_config(const struct sshd_opts *o)
{
	struct servconf_text *t = NULL;
	size_t i;
	int r;

	if ((r = servconf_text_load(o->config_file, NULL, &t)) != 0) {
		if (r == ERR_ERRNO)
			fatal("%s: %s", o->config_file, strerror(errno));
		exit(255);
	}
	for (i = 0; i < o->ncfg_lines; i++) {
		if ((r = servconf_text_add_option(t, o->cfg_lines[i])) != 0)
			fatal_fr(r, "command-line option %s", o->cfg_lines[i]);
	}
	for (i = 0; i < o->ncfg_ports; i++) {
		if ((r = servconf_text_add_port(t, o->cfg_ports[i])) != 0)
			fatal("Bad port number.");
	}
	return t;
}

/*
 * Every HostKey must load; at least one must be there (OpenSSH logs the
 * ones that do not and exits 1 when none do).
 */
static void
check_host_keys(const struct servconf *cfg)
{
	struct key *k;
	u_int i, n = 0;
	int r;

	for (i = 0; i < cfg->host_key_files.n; i++) {
		r = keyfile_load_private(cfg->host_key_files.v[i], NULL, &k,
		    NULL);
		if (r != 0) {
			error("Unable to load host key: %s",
			    cfg->host_key_files.v[i]);
			continue;
		}
		key_free(k);
		n++;
	}
	if (n == 0) {
		logit("sshd: no hostkeys available -- exiting.");
		exit(1);
	}
}

/* The privsep user and directory must exist before anything listens. */
static void
check_privsep(void)
{
	struct passwd *pw = NULL;
	char err[512];

	if (geteuid() != 0)
		return;
	if (uidswap_privsep_user(PRIVSEP_USER, &pw, err, sizeof(err)) != 0)
		fatal("Privilege separation user %s does not exist",
		    PRIVSEP_USER);
	pw_free(pw);
	if (uidswap_check_privsep_dir(PRIVSEP_PATH, err, sizeof(err)) != 0)
		fatal("%s", err);
}

/* -t and -T: check (and print) the configuration, then exit. */
static void noreturn_fn
test_mode(const struct sshd_opts *o, const struct servconf_text *t,
    const struct servconf *global)
{
	struct servconf_conn *conn = NULL;
	struct servconf *cfg = NULL;
	int r;

	check_host_keys(global);
	if (o->test == 1)
		exit(0);
	if ((r = servconf_conn_parse(o->test_spec != NULL ? o->test_spec :
	    "", &conn)) != 0)
		exit(255);
	if ((r = servconf_evaluate(t, conn, &cfg)) != 0)
		exit(255);
	if ((r = servconf_dump(cfg, stdout)) != 0 || fflush(stdout) != 0)
		fatal("write: %s", strerror(errno));
	servconf_free(cfg);
	servconf_conn_free(conn);
	exit(0);
}

int
main(int argc, char **argv)
{
	struct sshd_opts o;
	struct sshd_ctx ctx;
	struct servconf_text *t;
	struct servconf *global = NULL;
	int r;

	if (sanitise_stdfd() != 0)
		exit(255);
	memset(&o, 0, sizeof(o));
	/* A copy for re-exec: the process title overwrites argv. */
	o.argc = argc;
	o.argv = copy_argv(argc, argv);
	compat_init_setproctitle(argc, argv);
	parse_args(o.argc, o.argv, &o);
	/* Until the config is read: to stderr. */
	sshd_log_setup(&o, NULL, 1);
	debug("sshd version Keel_%s, %s", PACKAGE_VERSION,
	    OpenSSL_version(OPENSSL_VERSION));
	if (o.obsolete & 1)
		logit("Ignoring obsolete -b option: protocol 1 is not "
		    "supported");
	if (o.obsolete & 2)
		logit("Ignoring obsolete -k option: protocol 1 is not "
		    "supported");
	if (o.rexeced && (o.test || o.inetd))
		fatal("-R is internal");
	if (o.test_spec != NULL && o.test != 2)
		fatal("Config test connection parameter (-C) provided "
		    "without test mode (-T)");
	t = o.rexeced ? read_passed_config() : load_config(&o);
	if ((r = servconf_evaluate(t, NULL, &global)) != 0)
		exit(255);
	if (o.test)
		test_mode(&o, t, global);
	if (!o.inetd && !o.rexeced && o.debug == 0 &&
	    (argv[0] == NULL || argv[0][0] != '/'))
		fatal("sshd re-exec requires execution with an absolute path");
	if (!o.rexeced) {
		check_host_keys(global);
		check_privsep();
	}
	/* Re-executed and inetd processes log to syslog unless told. */
	sshd_log_setup(&o, global, o.log_stderr || o.debug > 0);
	signal(SIGPIPE, SIG_IGN);
	memset(&ctx, 0, sizeof(ctx));
	ctx.opts = &o;
	ctx.text = t;
	ctx.global = global;
	ctx.startup_fd = -1;
	ctx.sandbox = o.debug > 0 ? SANDBOX_KIND_NONE : sandbox_default_kind();
	if (o.rexeced) {
		ctx.startup_fd = SSHD_REEXEC_STARTUP_FD;
		sshd_conn_run(&ctx, STDIN_FILENO, STDOUT_FILENO);
	}
	if (o.inetd)
		sshd_conn_run(&ctx, STDIN_FILENO, STDOUT_FILENO);
	sshd_listen_run(&ctx);
}
