/*
 * ssh-add: load keys into the agent and manage what it holds.
 *
 *	ssh-add [-cDdkLlqvXx] [-E fingerprint_hash] [-t life] [file ...]
 *	ssh-add -T pubkey ...
 *
 * Messages and exit codes are OpenSSH's, since scripts read them: 0 on
 * success, 1 when an operation failed, 2 when no agent can be reached.
 * The options OpenSSH has for hardware keys (-K, -S, -s, -e) and for
 * destination constraints (-H, -h) are recognised and refused.
 */
#include "includes.h"

#include <sys/stat.h>
#include <fcntl.h>
#include <pwd.h>

#include "agent.h"
#include "agent-askpass.h"
#include "buf.h"
#include "digest.h"
#include "errcode.h"
#include "key.h"
#include "keyfile.h"
#include "log.h"
#include "misc.h"
#include "xmalloc.h"

/* The default identities, in the order OpenSSH tries them. */
static const char *const default_files[] = {
	"id_rsa",
	"id_ecdsa",
	"id_ed25519",
};

struct add_opts {
	int action;		/* 0 (add), 'd', 'D', 'l', 'L', 'x', 'X', 'T' */
	int confirm;		/* -c */
	int quiet;		/* -q */
	int fp_alg;		/* -E */
	uint32_t lifetime;	/* -t */
	char **files;
	int nfiles;
};

/* The last passphrase that worked, tried first on the next file. */
static char *saved_pass;

static void noreturn_fn
usage(void)
{
	fprintf(stderr,
"usage: ssh-add [-cDdKkLlqvXx] [-E fingerprint_hash] [-H hostkey_file]\n"
"               [-h destination_constraint] [-S provider] [-t life]\n"
"               [file ...]\n"
"       ssh-add -s pkcs11\n"
"       ssh-add -e pkcs11\n"
"       ssh-add -T pubkey ...\n");
	exit(1);
}

static void
clear_pass(void)
{
	askpass_free(saved_pass);
	saved_pass = NULL;
}

/* ------------------------------------------------------ adding */

/* The contents of filename ("-" is standard input), checked like ssh. */
static int
read_key_file(const char **filenamep, struct buf **blobp)
{
	const char *filename = *filenamep;
	int fd, r;

	*blobp = NULL;
	if (strcmp(filename, "-") == 0) {
		*filenamep = "(stdin)";
		return buf_load_fd(STDIN_FILENO, blobp);
	}
	if ((fd = open(filename, O_RDONLY | O_CLOEXEC)) == -1) {
		fprintf(stderr, "%s: %s\n", filename, strerror(errno));
		return ERR_ERRNO;
	}
	if ((r = keyfile_check_perm(fd, filename)) == 0 &&
	    (r = buf_load_fd(fd, blobp)) != 0)
		fprintf(stderr, "%s: %s\n", filename, errcode_str(r));
	close(fd);
	return r;
}

/*
 * Parse the private key in blob: without a passphrase, with the one that
 * worked last, then asking until it works or the user gives up.
 */
static int
parse_key(const struct buf *blob, const char *filename, int confirm,
    struct key **kp, char **commentp)
{
	const char *extra = confirm ? " (will confirm each use)" : "";
	char *msg = NULL;
	int r;

	r = keyfile_parse_private(blob, "", kp, commentp);
	if (r == ERR_KEY_WRONG_PASSPHRASE && saved_pass != NULL)
		r = keyfile_parse_private(blob, saved_pass, kp, commentp);
	xasprintf(&msg, "Enter passphrase for %s%s: ", filename, extra);
	while (r == ERR_KEY_WRONG_PASSPHRASE) {
		clear_pass();
		saved_pass = askpass_read(msg, ASKPASS_ALLOW_STDIN);
		if (*saved_pass == '\0') {
			clear_pass();
			free(msg);
			return ERR_KEY_WRONG_PASSPHRASE;	/* gave up */
		}
		r = keyfile_parse_private(blob, saved_pass, kp, commentp);
		free(msg);
		xasprintf(&msg, "Bad passphrase, try again for %s%s: ",
		    filename, extra);
	}
	free(msg);
	if (r != 0) {
		clear_pass();
		fprintf(stderr, "Error loading key \"%s\": %s\n", filename,
		    errcode_str(r));
	}
	return r;
}

static int
add_file(int agent_fd, const char *filename, const struct add_opts *o)
{
	struct agent_constraints c;
	struct buf *blob = NULL;
	struct key *k = NULL;
	char *comment = NULL;
	int r;

	if ((r = read_key_file(&filename, &blob)) != 0)
		return -1;
	r = parse_key(blob, filename, o->confirm, &k, &comment);
	buf_free(blob);
	if (r != 0)
		return -1;
	if (comment == NULL || *comment == '\0') {
		free(comment);
		comment = xstrdup(filename);
	}
	memset(&c, 0, sizeof(c));
	c.lifetime = o->lifetime;
	c.confirm = o->confirm;
	if ((r = agent_add_identity(agent_fd, k, comment, &c)) != 0) {
		fprintf(stderr, "Could not add identity \"%s\": %s\n",
		    filename, errcode_str(r));
	} else if (!o->quiet) {
		fprintf(stderr, "Identity added: %s (%s)\n", filename,
		    comment);
		if (o->lifetime != 0)
			fprintf(stderr, "Lifetime set to %u seconds\n",
			    o->lifetime);
		if (o->confirm)
			fprintf(stderr,
			    "The user must confirm each use of the key\n");
	}
	key_free(k);
	free(comment);
	return r == 0 ? 0 : -1;
}

/* ------------------------------------------------------ removing */

static int
delete_file(int agent_fd, const char *filename, const struct add_opts *o)
{
	struct key *pub = NULL;
	char *comment = NULL;
	int r;

	if ((r = keyfile_load_public(filename, &pub, &comment)) != 0) {
		printf("Bad key file %s: %s\n", filename, errcode_str(r));
		return -1;
	}
	if ((r = agent_remove_identity(agent_fd, pub)) != 0) {
		fprintf(stderr, "Could not remove identity \"%s\": %s\n",
		    filename, errcode_str(r));
	} else if (!o->quiet) {
		fprintf(stderr, "Identity removed: %s %s (%s)\n", filename,
		    key_type_short(pub), comment != NULL && *comment != '\0' ?
		    comment : "no comment");
	}
	key_free(pub);
	free(comment);
	return r == 0 ? 0 : -1;
}

static int
delete_all(int agent_fd, const struct add_opts *o)
{
	if (agent_remove_all_identities(agent_fd) != 0) {
		fprintf(stderr, "Failed to remove all identities.\n");
		return -1;
	}
	if (!o->quiet)
		fprintf(stderr, "All identities removed.\n");
	return 0;
}

/* ------------------------------------------------------ listing */

static void
print_identity(const struct agent_identity *id, int fingerprint, int fp_alg)
{
	char *s;

	if (fingerprint) {
		if ((s = key_fingerprint(id->key, fp_alg, KEY_FP_DEFAULT)) ==
		    NULL)
			fatal("key_fingerprint failed");
		printf("%u %s %s (%s)\n", key_size(id->key), s, id->comment,
		    key_type_short(id->key));
	} else {
		if (key_format_public(id->key, &s) != 0)
			fatal("key_format_public failed");
		printf("%s %s\n", s, id->comment);
	}
	free(s);
}

static int
list_identities(int agent_fd, int fingerprint, int fp_alg)
{
	struct agent_idlist *list = NULL;
	size_t i;
	int r;

	if ((r = agent_list_identities(agent_fd, &list)) != 0) {
		if (r == ERR_AGENT_NO_IDENTITIES)
			printf("The agent has no identities.\n");
		else
			fprintf(stderr, "error fetching identities: %s\n",
			    errcode_str(r));
		return -1;
	}
	for (i = 0; i < list->n; i++)
		print_identity(&list->ids[i], fingerprint, fp_alg);
	agent_idlist_free(list);
	return 0;
}

/* ------------------------------------------------------ locking */

static int
lock_agent(int agent_fd, int lock)
{
	char *p1, *p2;
	int r, ret = -1;

	p1 = askpass_read("Enter lock password: ", ASKPASS_ALLOW_STDIN);
	if (lock) {
		p2 = askpass_read("Again: ", ASKPASS_ALLOW_STDIN);
		if (strcmp(p1, p2) != 0) {
			fprintf(stderr, "Passwords do not match.\n");
			askpass_free(p2);
			goto out;
		}
		askpass_free(p2);
	}
	if ((r = agent_lock(agent_fd, lock, p1)) != 0) {
		fprintf(stderr, "Failed to %slock agent: %s\n",
		    lock ? "" : "un", errcode_str(r));
		goto out;
	}
	fprintf(stderr, "Agent %slocked.\n", lock ? "" : "un");
	ret = 0;
 out:
	askpass_free(p1);
	return ret;
}

/* ------------------------------------------------------ testing */

/* -T: have the agent sign random data with the key, and check it. */
static int
test_key(int agent_fd, const char *filename)
{
	struct key *key = NULL;
	u_char data[1024], *sig = NULL;
	const char *alg;
	size_t siglen = 0;
	int r;

	if ((r = keyfile_load_public(filename, &key, NULL)) != 0) {
		error("Couldn't read public key %s: %s", filename,
		    errcode_str(r));
		return -1;
	}
	arc4random_buf(data, sizeof(data));
	alg = key_type(key) == KEY_RSA ? "rsa-sha2-512" : NULL;
	if ((r = agent_sign(agent_fd, key, data, sizeof(data), alg, &sig,
	    &siglen)) != 0) {
		error("Agent signature failed for %s: %s", filename,
		    errcode_str(r));
		goto out;
	}
	if ((r = key_verify(key, sig, siglen, data, sizeof(data), alg)) != 0) {
		error("Signature verification failed for %s: %s", filename,
		    errcode_str(r));
		goto out;
	}
	r = 0;
 out:
	free(sig);
	key_free(key);
	return r == 0 ? 0 : -1;
}

/* ------------------------------------------------------ files */

static int
do_file(int agent_fd, const char *file, const struct add_opts *o)
{
	if (o->action == 'd')
		return delete_file(agent_fd, file, o);
	return add_file(agent_fd, file, o);
}

/* ~/.ssh/id_* of the invoking user (not $HOME, as OpenSSH). */
static int
do_default_files(int agent_fd, const struct add_opts *o)
{
	struct passwd *pw;
	struct stat st;
	char *path;
	size_t i;
	int count = 0, ret = 0;

	if ((pw = getpwuid(getuid())) == NULL) {
		fprintf(stderr, "No user found with uid %u\n",
		    (u_int)getuid());
		return -1;
	}
	for (i = 0; i < sizeof(default_files) / sizeof(*default_files);
	    i++) {
		xasprintf(&path, "%s/.ssh/%s", pw->pw_dir, default_files[i]);
		if (stat(path, &st) == -1) {
			free(path);
			continue;
		}
		if (do_file(agent_fd, path, o) == -1)
			ret = -1;
		else
			count++;
		free(path);
	}
	return count == 0 ? -1 : ret;
}

/* ------------------------------------------------------ main */

static void
unsupported(int ch)
{
	switch (ch) {
	case 'K':
	case 'S':
		fprintf(stderr, "FIDO authenticators are not supported.\n");
		break;
	case 's':
	case 'e':
		fprintf(stderr, "PKCS#11 providers are not supported.\n");
		break;
	default:
		fprintf(stderr, "Destination constraints are not supported.\n");
		break;
	}
	exit(1);
}

static void
set_action(struct add_opts *o, int ch)
{
	int prev = o->action;

	/* -d and -T combine with files; the others stand alone. */
	if (prev != 0 && prev != ch)
		fatal("Invalid combination of actions");
	o->action = ch;
}

static void
parse_args(int argc, char **argv, struct add_opts *o)
{
	LogLevel level = LOG_LEVEL_INFO;
	long secs;
	int ch;

	memset(o, 0, sizeof(*o));
	o->fp_alg = DIGEST_SHA256;
	opterr = 0;	/* BSD getopt's wording, below */
	while ((ch = getopt(argc, argv, ":vkKlLcdDTxXE:e:h:H:M:m:qs:S:t:")) !=
	    -1) {
		switch (ch) {
		case 'v':
			if (level == LOG_LEVEL_INFO)
				level = LOG_LEVEL_DEBUG1;
			else if (level < LOG_LEVEL_DEBUG3)
				level++;
			log_set_level(level);
			break;
		case 'E':
			if ((o->fp_alg = digest_alg_by_name(optarg)) == -1)
				fatal("Invalid hash algorithm \"%s\"", optarg);
			break;
		case 'k':
			break;	/* plain keys only: we load no certificates */
		case 'c':
			o->confirm = 1;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'l':
		case 'L':
		case 'd':
		case 'D':
		case 'x':
		case 'X':
		case 'T':
			set_action(o, ch);
			break;
		case 't':
			if (convtime(optarg, &secs) != 0 || secs < 0 ||
			    secs > UINT32_MAX) {
				fprintf(stderr, "Invalid lifetime\n");
				exit(1);
			}
			o->lifetime = (uint32_t)secs;
			break;
		case 'K':
		case 'S':
		case 's':
		case 'e':
		case 'H':
		case 'h':
		case 'M':
		case 'm':
			unsupported(ch);
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
	o->files = argv + optind;
	o->nfiles = argc - optind;
}

static int
run(int agent_fd, const struct add_opts *o)
{
	int i, ret = 0;

	switch (o->action) {
	case 'l':
	case 'L':
		return list_identities(agent_fd, o->action == 'l', o->fp_alg);
	case 'D':
		return delete_all(agent_fd, o);
	case 'x':
	case 'X':
		return lock_agent(agent_fd, o->action == 'x');
	case 'T':
		if (o->nfiles <= 0)
			fatal("no keys to test");
		for (i = 0; i < o->nfiles; i++) {
			if (test_key(agent_fd, o->files[i]) != 0)
				ret = -1;
		}
		return ret;
	}
	if (o->nfiles == 0)
		return do_default_files(agent_fd, o);
	for (i = 0; i < o->nfiles; i++) {
		if (do_file(agent_fd, o->files[i], o) == -1)
			ret = -1;
	}
	return ret;
}

int
main(int argc, char **argv)
{
	struct add_opts o;
	int agent_fd, r;

	if (sanitise_stdfd() != 0)
		exit(1);
	log_init(argv[0], LOG_LEVEL_INFO, LOG_FACILITY_USER, 1);
	/* OpenSSH looks for the agent first, before any option. */
	if ((r = agent_connect(&agent_fd)) != 0) {
		if (r == ERR_AGENT_NOT_PRESENT)
			fprintf(stderr, "Could not open a connection to your "
			    "authentication agent.\n");
		else
			fprintf(stderr, "Error connecting to agent: %s\n",
			    errcode_str(r));
		exit(2);
	}
	parse_args(argc, argv, &o);
	r = run(agent_fd, &o);
	clear_pass();
	agent_close(agent_fd);
	return r == 0 ? 0 : 1;
}
