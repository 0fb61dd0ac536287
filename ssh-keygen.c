/*
 * ssh-keygen: create, inspect and convert SSH keys.
 *
 * This file only parses the command line into a struct keygen and hands
 * it to one operation of keygen-*.c (keygen.h).  Flags, messages, prompts
 * and exit statuses are those of OpenSSH's ssh-keygen, which scripts
 * depend on: 0 on success, 1 for a refused request or usage error, 255
 * (fatal) when a key cannot be read or written.
 */
#include "includes.h"

#include <fcntl.h>
#include <pwd.h>
#include <strings.h>

#include "digest.h"
#include "keygen.h"
#include "log.h"
#include "xmalloc.h"

const char *keygen_progname = "ssh-keygen";

/* What the command line asked for; only the first of them in this order
 * is done, as in OpenSSH. */
struct keygen_modes {
	int fingerprint;	/* -l */
	int change_passphrase;	/* -p */
	int change_comment;	/* -c */
	int export_key;		/* -e */
	int import_key;		/* -i, -X */
	int print_public;	/* -y */
	int host_keys;		/* -A */
};

/* Cipher names OpenSSH accepts for -Z (its own key file ciphers). */
static const char *const keygen_ciphers[] = {
	"3des-cbc", "aes128-cbc", "aes192-cbc", "aes256-cbc",
	"aes128-ctr", "aes192-ctr", "aes256-ctr",
	"aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
	"chacha20-poly1305@openssh.com", "none",
	NULL
};

static void __attribute__((__noreturn__))
usage(void)
{
	fprintf(stderr,
	    "usage: ssh-keygen [-q] [-a rounds] [-b bits] [-C comment] "
	    "[-f output_keyfile]\n"
	    "                  [-m format] [-N new_passphrase] "
	    "[-t ecdsa | ed25519 | rsa]\n"
	    "                  [-Z cipher]\n"
	    "       ssh-keygen -p [-a rounds] [-f keyfile] [-m format] "
	    "[-N new_passphrase]\n"
	    "                   [-P old_passphrase] [-Z cipher]\n"
	    "       ssh-keygen -i [-f input_keyfile] [-m key_format]\n"
	    "       ssh-keygen -e [-f input_keyfile] [-m key_format]\n"
	    "       ssh-keygen -y [-f input_keyfile]\n"
	    "       ssh-keygen -c [-a rounds] [-C comment] [-f keyfile] "
	    "[-P passphrase]\n"
	    "       ssh-keygen -l [-v] [-E fingerprint_hash] "
	    "[-f input_keyfile]\n"
	    "       ssh-keygen -A [-a rounds] [-f prefix_path]\n");
	exit(1);
}

/* Make sure fds 0-2 are open so that files we open never take them. */
static void
sanitise_stdfd(void)
{
	int fd;

	if ((fd = open("/dev/null", O_RDWR)) == -1)
		fatal("open /dev/null: %s", strerror(errno));
	while (fd <= STDERR_FILENO)
		if ((fd = dup(fd)) == -1)
			fatal("dup: %s", strerror(errno));
	close(fd);
}

static void
set_user_host(struct keygen *kg)
{
	struct passwd *pw;
	char host[HOST_NAME_MAX + 1];

	if ((pw = getpwuid(getuid())) == NULL)
		fatal("No user exists for uid %lu", (unsigned long)getuid());
	kg->user = xstrdup(pw->pw_name);
	kg->home = xstrdup(pw->pw_dir);
	if (gethostname(host, sizeof(host)) == -1)
		fatal("gethostname: %s", strerror(errno));
	host[sizeof(host) - 1] = '\0';
	kg->host = xstrdup(host);
}

static void
set_format(struct keygen *kg, const char *name)
{
	if (strcasecmp(name, "RFC4716") == 0 ||
	    strcasecmp(name, "ssh2") == 0) {
		kg->convert_format = KEYGEN_FMT_RFC4716;
	} else if (strcasecmp(name, "PKCS8") == 0) {
		kg->convert_format = KEYGEN_FMT_PKCS8;
		kg->private_format = KEYFILE_FORMAT_PKCS8;
	} else if (strcasecmp(name, "PEM") == 0) {
		kg->convert_format = KEYGEN_FMT_PEM;
		kg->private_format = KEYFILE_FORMAT_PEM;
	} else
		fatal("Unsupported conversion format \"%s\"", name);
}

static void
set_cipher(struct keygen *kg, const char *name)
{
	size_t i;

	for (i = 0; keygen_ciphers[i] != NULL; i++) {
		if (strcmp(name, keygen_ciphers[i]) == 0) {
			kg->cipher = name;
			return;
		}
	}
	fatal("Invalid OpenSSH-format cipher '%s'", name);
}

static void
set_verbose(struct keygen *kg)
{
	kg->verbose++;
	if (kg->verbose == 1)
		log_set_level(LOG_LEVEL_DEBUG1);
	else if (kg->verbose == 2)
		log_set_level(LOG_LEVEL_DEBUG2);
	else
		log_set_level(LOG_LEVEL_DEBUG3);
}

/* Options of OpenSSH's ssh-keygen that this one does not have. */
static void __attribute__((__noreturn__))
unsupported(int opt)
{
	error("%s: option -%c is not supported by this version",
	    keygen_progname, opt);
	exit(1);
}

static int
parse_number(const char *s, long long max, const char *what)
{
	const char *errstr = NULL;
	long long v;

	v = strtonum(s, 1, max, &errstr);
	if (errstr != NULL)
		fatal("%s %s (%s)", what, s, errstr);
	return (int)v;
}

static void
parse_args(struct keygen *kg, struct keygen_modes *m, int argc, char **argv)
{
	const char *errstr = NULL;
	int opt;

	opterr = 0;
	while ((opt = getopt(argc, argv, "+:ABHKLQUXceghiklopquvy"
	    "C:D:E:F:I:M:N:O:P:R:V:Y:Z:a:b:f:m:n:r:s:t:w:z:")) != -1) {
		switch (opt) {
		case 'A':
			m->host_keys = 1;
			break;
		case 'C':
			kg->comment = optarg;
			break;
		case 'E':
			if ((kg->fp_alg = digest_alg_by_name(optarg)) == -1)
				fatal("Invalid hash algorithm \"%s\"", optarg);
			break;
		case 'N':
			kg->new_passphrase = optarg;
			break;
		case 'P':
			kg->old_passphrase = optarg;
			break;
		case 'X':	/* the old name of -i */
		case 'i':
			m->import_key = 1;
			break;
		case 'Z':
			set_cipher(kg, optarg);
			break;
		case 'a':
			kg->rounds = parse_number(optarg, INT_MAX,
			    "Invalid number:");
			break;
		case 'b':
			kg->bits = (unsigned int)strtonum(optarg, 1,
			    UINT32_MAX, &errstr);
			if (errstr != NULL)
				fatal("Bits has bad value %s (%s)", optarg,
				    errstr);
			break;
		case 'c':
			m->change_comment = 1;
			break;
		case 'e':
			m->export_key = 1;
			break;
		case 'f':
			free(kg->identity_file);
			kg->identity_file = xstrdup(optarg);
			break;
		case 'l':
			m->fingerprint = 1;
			break;
		case 'm':
			set_format(kg, optarg);
			break;
		case 'o':
			/* Obsolete: the new key format is the default. */
			break;
		case 'p':
			m->change_passphrase = 1;
			break;
		case 'q':
			kg->quiet = 1;
			break;
		case 't':
			kg->key_type_name = optarg;
			break;
		case 'v':
			set_verbose(kg);
			break;
		case 'y':
			m->print_public = 1;
			break;
		case ':':
			fprintf(stderr, "option requires an argument -- %c\n",
			    optopt);
			usage();
		case '?':
			fprintf(stderr, "unknown option -- %c\n", optopt);
			usage();
		default:
			unsupported(opt);
		}
	}
	if (optind < argc) {
		error("Too many arguments.");
		usage();
	}
	if (m->change_passphrase && m->change_comment) {
		error("Can only have one of -p and -c.");
		usage();
	}
}

static void
flush_stdout(int status)
{
	(void)status;
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct keygen kg;
	struct keygen_modes m;
	const char *slash;

	sanitise_stdfd();
	if (argc > 0 && argv[0] != NULL && *argv[0] != '\0') {
		slash = strrchr(argv[0], '/');
		keygen_progname = slash != NULL ? slash + 1 : argv[0];
	}
	log_init(keygen_progname, LOG_LEVEL_INFO, LOG_FACILITY_USER, 1);
	log_set_cleanup(flush_stdout);

	memset(&kg, 0, sizeof(kg));
	memset(&m, 0, sizeof(m));
	kg.convert_format = KEYGEN_FMT_RFC4716;
	kg.private_format = KEYFILE_FORMAT_OPENSSH;
	kg.fp_alg = DIGEST_SHA256;
	set_user_host(&kg);
	parse_args(&kg, &m, argc, argv);

	if (m.fingerprint)
		keygen_do_fingerprint(&kg);
	if (m.change_passphrase)
		keygen_do_change_passphrase(&kg);
	if (m.change_comment)
		keygen_do_change_comment(&kg);
	if (m.export_key)
		keygen_do_export(&kg);
	if (m.import_key)
		keygen_do_import(&kg);
	if (m.print_public)
		keygen_do_print_public(&kg);
	if (m.host_keys)
		keygen_do_host_keys(&kg);
	keygen_do_generate(&kg);
}
