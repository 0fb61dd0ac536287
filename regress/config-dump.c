/*
 * config-dump.c: drive the config parsers from the command line, for
 * regress/config-compare.sh (until sshd and ssh exist to do it).
 *
 *   config-dump -T [-f sshd_config] [-d confdir] [-o opt]... [-C spec]
 *       print the effective sshd options as `sshd -T` does
 *   config-dump -G [-F ssh_config] [-s system_config] [-o opt]... host
 *       [command]
 *       print the effective ssh options as `ssh -G` does
 *   config-dump -K hash name [base64-salt]
 *   config-dump -K lookup file host port pubkey-file
 *       (prints OK, NEW, CHANGED or REVOKED; exit 0 only for OK)
 *   config-dump -K add file hosts pubkey-file [hash]
 *   config-dump -K list file [host]
 *       known_hosts: hash a name, look a key up, append an entry, list
 *       the entries (naming host)
 *   config-dump -A authorized_keys pubkey-file
 *       find the key in an authorized_keys file and print its options
 *
 * Exit status 0 on success, 1 when a lookup finds nothing, 255 on errors.
 */
#include "includes.h"

#include <sys/wait.h>

#include <pwd.h>

#include "auth/auth-options.h"
#include "buf.h"
#include "errcode.h"
#include "hostfile.h"
#include "key.h"
#include "keyfile.h"
#include "log.h"
#include "readconf.h"
#include "servconf.h"
#include "xmalloc.h"

static void
usage(void)
{
	fprintf(stderr, "usage: config-dump -T [-f file] [-d dir] "
	    "[-o opt] [-C spec]\n"
	    "       config-dump -G [-F file] [-s file] [-o opt] host [cmd]\n"
	    "       config-dump -K hash|lookup|add|list ...\n"
	    "       config-dump -A authorized_keys pubkey\n");
	exit(255);
}

/* ------------------------------------------------------------ -T */

static int
do_sshd(int argc, char **argv)
{
	struct servconf_text *t = NULL;
	struct servconf_conn *conn = NULL;
	struct servconf *o = NULL;
	const char *file = SSHDIR "/sshd_config", *dir = NULL;
	char *opts[256];
	int ch, nopts = 0, i, r;

	while ((ch = getopt(argc, argv, "Tf:d:o:C:")) != -1) {
		switch (ch) {
		case 'T':
			break;
		case 'f':
			file = optarg;
			break;
		case 'd':
			dir = optarg;
			break;
		case 'o':
			if (nopts >= 256)
				fatal("too many -o");
			opts[nopts++] = optarg;
			break;
		case 'C':
			if (servconf_conn_parse(optarg, &conn) != 0)
				exit(1);
			break;
		default:
			usage();
		}
	}
	/* Like sshd -T: without -C, Match sees an unknown connection. */
	if (conn == NULL && servconf_conn_parse("", &conn) != 0)
		fatal("servconf_conn_parse failed");
	if ((r = servconf_text_load(file, dir, &t)) != 0)
		fatal("%s: %s", file, errcode_str(r));
	for (i = 0; i < nopts; i++) {
		if ((r = servconf_text_add_option(t, opts[i])) != 0)
			fatal("-o %s: %s", opts[i], errcode_str(r));
	}
	if ((r = servconf_evaluate(t, conn, &o)) != 0)
		exit(255);
	if ((r = servconf_dump(o, stdout)) != 0)
		fatal("dump: %s", errcode_str(r));
	servconf_free(o);
	servconf_conn_free(conn);
	servconf_text_free(t);
	return 0;
}

/* ------------------------------------------------------------ -G */

static void
make_ctx(struct readconf_ctx *ctx, const char *host)
{
	if (readconf_ctx_local(ctx, host) != 0)
		fatal("no user for uid %u", (u_int)getuid());
}

static void
read_configs(struct readconf *o, const char *file, const char *sysfile,
    const char *host, const struct readconf_ctx *ctx, int flags)
{
	int r;

	if (file != NULL && strcmp(file, "none") != 0) {
		r = readconf_read_file(o, file, host, ctx,
		    READCONF_USER | flags);
		if (r == ERR_ERRNO)
			fatal("Can't open user config file %s: %s", file,
			    strerror(errno));
		if (r != 0)
			exit(255);
	}
	if (sysfile != NULL) {
		r = readconf_read_file(o, sysfile, host, ctx, flags);
		if (r != 0 && r != ERR_ERRNO)
			exit(255);
	}
}

static int
do_ssh(int argc, char **argv)
{
	struct readconf *o;
	struct readconf_ctx ctx;
	const char *file = NULL, *sysfile = NULL;
	char *opts[256], *host, *at, *line = NULL;
	int ch, nopts = 0, i, r;

	while ((ch = getopt(argc, argv, "GF:s:o:")) != -1) {
		switch (ch) {
		case 'G':
			break;
		case 'F':
			file = optarg;
			break;
		case 's':
			sysfile = optarg;
			break;
		case 'o':
			if (nopts >= 256)
				fatal("too many -o");
			opts[nopts++] = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	host = argv[0];
	if ((o = readconf_new()) == NULL)
		fatal("readconf_new failed");
	/* user@host: the user wins over the config, as for ssh. */
	if ((at = strrchr(host, '@')) != NULL) {
		*at = '\0';
		xasprintf(&line, "User=%s", host);
		host = at + 1;
	}
	make_ctx(&ctx, host);
	if (line != NULL && readconf_process_option(o, line, host, &ctx) != 0)
		exit(255);
	free(line);
	for (i = 0; i < nopts; i++) {
		if (readconf_process_option(o, opts[i], host, &ctx) != 0)
			exit(255);
	}
	read_configs(o, file, sysfile, host, &ctx, 0);
	/* As ssh: read everything again for "Match final" and friends. */
	if (o->want_final_pass)
		read_configs(o, file, sysfile, host, &ctx, READCONF_FINAL);
	if ((r = readconf_finish(o, &ctx, argc > 1)) != 0)
		exit(255);
	if ((r = readconf_dump(o, stdout)) != 0)
		fatal("dump: %s", errcode_str(r));
	readconf_free(o);
	return 0;
}

/* ------------------------------------------------------------ -K, -A */

static struct key *
load_pub(const char *path)
{
	struct key *k = NULL;
	int r;

	if ((r = keyfile_load_public(path, &k, NULL)) != 0)
		fatal("%s: %s", path, errcode_str(r));
	return k;
}

static int
list_cb(const struct hostfile_line *l, void *ctx)
{
	(void)ctx;
	if (l->is_comment)
		return 0;
	if (l->is_invalid) {
		printf("%lu invalid\n", l->linenum);
		return 0;
	}
	printf("%lu %s%s %s\n", l->linenum, l->marker == MRK_REVOKE ?
	    "@revoked " : l->marker == MRK_CA ? "@cert-authority " : "",
	    l->hashed ? "HASHED" : l->hosts, key_type_name(l->key));
	return 0;
}

static int
do_known_hosts(int argc, char **argv)
{
	static const char *const status[] = {
		"OK", "NEW", "CHANGED", "REVOKED", "FOUND"
	};
	const struct hostkey_entry *e = NULL;
	struct hostkeys *hk;
	struct buf *salt = NULL;
	enum hostfile_status st;
	struct key *k;
	const char *errstr;
	char *s, *name;
	int r, port;

	if (argc >= 4 && strcmp(argv[2], "hash") == 0) {
		if (argc > 4) {
			if ((salt = buf_new()) == NULL ||
			    buf_b64tod(salt, argv[4]) != 0)
				fatal("bad salt");
		}
		if ((r = hostfile_hash_name(argv[3], salt == NULL ? NULL :
		    buf_ptr(salt), salt == NULL ? 0 : buf_len(salt),
		    &s)) != 0)
			fatal("hash: %s", errcode_str(r));
		printf("%s\n", s);
		free(s);
		buf_free(salt);
		return 0;
	}
	if (argc == 7 && strcmp(argv[2], "lookup") == 0) {
		k = load_pub(argv[6]);
		port = (int)strtonum(argv[5], 0, 65535, &errstr);
		if (errstr != NULL)
			fatal("port %s: %s", argv[5], errstr);
		if ((hk = hostkeys_new()) == NULL ||
		    (name = hostfile_host_name(argv[4], port)) == NULL)
			fatal("out of memory");
		if ((r = hostkeys_load_file(hk, name, argv[3], 0)) != 0)
			fatal("%s: %s", argv[3], errcode_str(r));
		st = hostkeys_check(hk, k, &e);
		printf("%s", status[st]);
		if (e != NULL)
			printf(" %s:%lu", e->file, e->line);
		printf("\n");
		hostkeys_free(hk);
		key_free(k);
		free(name);
		return st == HOST_OK ? 0 : 1;
	}
	if ((argc == 6 || argc == 7) && strcmp(argv[2], "add") == 0) {
		k = load_pub(argv[5]);
		if ((r = hostfile_add(argv[3], argv[4], k, argc == 7)) != 0)
			fatal("add: %s", errcode_str(r));
		key_free(k);
		return 0;
	}
	if ((argc == 4 || argc == 5) && strcmp(argv[2], "list") == 0) {
		if ((r = hostfile_foreach(argv[3], argc == 5 ? argv[4] : NULL,
		    list_cb, NULL)) != 0)
			fatal("%s: %s", argv[3], errcode_str(r));
		return 0;
	}
	usage();
	return 255;
}

static int
do_authorized_keys(int argc, char **argv)
{
	struct authopts *o = NULL;
	struct key *k;
	u_long line;
	size_t i;
	int r;

	if (argc != 4)
		usage();
	k = load_pub(argv[3]);
	if ((r = authkeys_find_key(argv[2], k, 0, &o, &line)) != 0) {
		printf("not found: %s\n", errcode_str(r));
		key_free(k);
		return 1;
	}
	printf("line %lu\n", line);
	printf("pty %d port %d agent %d x11 %d rc %d restrict %d\n",
	    o->permit_pty, o->permit_port_forwarding,
	    o->permit_agent_forwarding, o->permit_x11_forwarding,
	    o->permit_user_rc, o->restricted);
	if (o->force_command != NULL)
		printf("command %s\n", o->force_command);
	if (o->required_from_host != NULL)
		printf("from %s\n", o->required_from_host);
	for (i = 0; i < o->nenv; i++)
		printf("environment %s\n", o->env[i]);
	for (i = 0; i < o->npermitopen; i++)
		printf("permitopen %s\n", o->permitopen[i]);
	for (i = 0; i < o->npermitlisten; i++)
		printf("permitlisten %s\n", o->permitlisten[i]);
	if (o->valid_before != 0)
		printf("expiry %llu\n", (unsigned long long)o->valid_before);
	authopts_free(o);
	key_free(k);
	return 0;
}

int
main(int argc, char **argv)
{
	log_init("config-dump", LOG_LEVEL_INFO, LOG_FACILITY_USER, 1);
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "-T") == 0)
		return do_sshd(argc, argv);
	if (strcmp(argv[1], "-G") == 0)
		return do_ssh(argc, argv);
	if (strcmp(argv[1], "-K") == 0)
		return do_known_hosts(argc, argv);
	if (strcmp(argv[1], "-A") == 0)
		return do_authorized_keys(argc, argv);
	usage();
	return 255;
}
