/*
 * keygen-gen.c: ssh-keygen's key generation: one key (-t, -b, -f, -N, -C)
 * and the host keys of -A.
 */
#include "includes.h"

#include <sys/stat.h>
#include <ctype.h>

#include "errcode.h"
#include "keygen.h"
#include "log.h"
#include "xmalloc.h"

#ifndef SSHDIR
#define SSHDIR "/etc/ssh"
#endif

#define KEYGEN_DEFAULT_TYPE	"ed25519"

/* The key type for a -t name: "ed25519", "ECDSA", "ssh-rsa", ... */
static enum key_type
type_from_option(const char *name)
{
	enum key_type t;
	char *lower;
	size_t i;

	if ((t = key_type_from_name(name)) != KEY_UNSPEC)
		return t;
	lower = xstrdup(name);
	for (i = 0; lower[i] != '\0'; i++)
		lower[i] = (char)tolower((unsigned char)lower[i]);
	t = key_type_from_shortname(lower);
	free(lower);
	return t;
}

/* Bits of the curve an "ecdsa-sha2-nistpN" name asks for; 0 if none. */
static unsigned int
ecdsa_bits_from_name(const char *name)
{
	static const unsigned int sizes[] = { 256, 384, 521 };
	int nid = key_ecdsa_nid_from_name(name);
	size_t i;

	if (nid == -1)
		return 0;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (key_ecdsa_nid_from_bits(sizes[i]) == nid)
			return sizes[i];
	}
	return 0;
}

void
keygen_check_type_bits(const struct keygen *kg, enum key_type *typep,
    unsigned int *bitsp)
{
	const char *name = kg->key_type_name != NULL ?
	    kg->key_type_name : KEYGEN_DEFAULT_TYPE;
	enum key_type type;
	unsigned int bits = kg->bits;

	if ((type = type_from_option(name)) == KEY_UNSPEC)
		fatal("unknown key type %s", name);
	if (bits == 0) {
		if (type == KEY_RSA)
			bits = KEY_RSA_DEFAULT_BITS;
		else if (type == KEY_ECDSA &&
		    (bits = ecdsa_bits_from_name(name)) == 0)
			bits = KEY_ECDSA_DEFAULT_BITS;
	}
	if (type == KEY_RSA && bits < KEY_RSA_MIN_BITS)
		fatal("Invalid RSA key length: minimum is %d bits",
		    KEY_RSA_MIN_BITS);
	if (type == KEY_RSA && bits > KEY_RSA_MAX_BITS)
		fatal("Invalid RSA key length: maximum is %d bits",
		    KEY_RSA_MAX_BITS);
	if (type == KEY_ECDSA && key_ecdsa_nid_from_bits(bits) == -1)
		fatal("Invalid ECDSA key length: valid lengths are "
		    "256, 384 or 521 bits");
	if (type == KEY_ED25519)
		bits = 0;	/* fixed size: -b is ignored */
	*typep = type;
	*bitsp = bits;
}

/* Create ~/.ssh (0700) when the key goes there and it does not exist. */
static void
create_user_ssh_dir(const struct keygen *kg, const char *path)
{
	struct stat st;
	char *dir;
	size_t len;

	xasprintf(&dir, "%s/.ssh", kg->home);
	len = strlen(dir);
	if (strncmp(path, dir, len) == 0 && path[len] == '/' &&
	    stat(dir, &st) == -1 && errno == ENOENT) {
		if (mkdir(dir, 0700) == -1)
			error("Could not create directory '%s': %s", dir,
			    strerror(errno));
		else if (!kg->quiet)
			logit("Created directory '%s'.", dir);
	}
	free(dir);
}

/* The passphrase of -N, or asked for until both answers agree. */
static char *
new_key_passphrase(const struct keygen *kg)
{
	char *pass;

	if (kg->new_passphrase != NULL)
		return xstrdup(kg->new_passphrase);
	while ((pass = keygen_read_new_passphrase(
	    "Enter passphrase (empty for no passphrase): ")) == NULL)
		printf("Passphrases do not match.  Try again.\n");
	return pass;
}

static void
print_new_key(const struct keygen *kg, const struct key *k,
    const char *pub, const char *comment)
{
	char *fp, *art;

	fp = key_fingerprint(k, kg->fp_alg, KEY_FP_DEFAULT);
	art = key_fingerprint(k, kg->fp_alg, KEY_FP_RANDOMART);
	if (fp == NULL || art == NULL)
		fatal("key_fingerprint failed");
	printf("Your public key has been saved in %s\n", pub);
	printf("The key fingerprint is:\n");
	printf("%s %s\n", fp, comment);
	printf("The key's randomart image is:\n");
	printf("%s\n", art);
	free(fp);
	free(art);
}

void
keygen_do_generate(struct keygen *kg)
{
	struct key *k = NULL;
	enum key_type type;
	unsigned int bits;
	char *pass, *comment, *pub;
	int r;

	keygen_check_type_bits(kg, &type, &bits);
	if (!kg->quiet)
		printf("Generating public/private %s key pair.\n",
		    kg->key_type_name != NULL ? kg->key_type_name :
		    KEYGEN_DEFAULT_TYPE);
	if ((r = key_generate(type, bits, &k)) != 0)
		fatal("Key generation failed: %s", errcode_str(r));
	if (kg->identity_file == NULL)
		keygen_ask_filename(kg, "Enter file in which to save the key");
	create_user_ssh_dir(kg, kg->identity_file);
	if (!keygen_confirm_overwrite(kg->identity_file))
		exit(1);
	pass = new_key_passphrase(kg);
	comment = kg->comment != NULL ? xstrdup(kg->comment) :
	    keygen_default_comment(kg);
	if ((r = keygen_save_private(kg, kg->identity_file, k, pass,
	    comment)) != 0) {
		error("Saving key \"%s\" failed: %s", kg->identity_file,
		    errcode_str(r));
		keygen_free_secret(pass);
		exit(1);
	}
	keygen_free_secret(pass);
	if (!kg->quiet)
		printf("Your identification has been saved in %s\n",
		    kg->identity_file);
	pub = keygen_pub_path(kg->identity_file);
	if ((r = keygen_save_public(pub, k, comment)) != 0)
		fatal("Unable to save public key to %s: %s", pub,
		    errcode_str(r));
	if (!kg->quiet)
		print_new_key(kg, k, pub, comment);
	free(pub);
	free(comment);
	key_free(k);
	exit(0);
}

/* One host key of -A; 0 on success, after printing why on failure. */
static int
host_key_make(const struct keygen *kg, enum key_type type,
    const char *path)
{
	struct key *k = NULL;
	char *pub = NULL, *comment;
	int r;

	comment = keygen_default_comment(kg);
	if ((r = key_generate(type, 0, &k)) != 0) {
		error("Key generation failed: %s", errcode_str(r));
		goto out;
	}
	if ((r = keygen_save_private(kg, path, k, "", comment)) != 0) {
		error("Could not save your private key in %s: %s", path,
		    errcode_str(r));
		goto out;
	}
	/* No private key without its .pub: -A skips keys that exist. */
	pub = keygen_pub_path(path);
	if ((r = keygen_save_public(pub, k, comment)) != 0) {
		error("Could not save your public key in %s: %s", pub,
		    errcode_str(r));
		(void)unlink(path);
		goto out;
	}
 out:
	free(pub);
	free(comment);
	key_free(k);
	return r;
}

void
keygen_do_host_keys(struct keygen *kg)
{
	static const struct {
		enum key_type type;
		const char *name;	/* in the file name */
		const char *display;	/* in the progress line */
	} host_keys[] = {
		{ KEY_RSA, "rsa", "RSA" },
		{ KEY_ECDSA, "ecdsa", "ECDSA" },
		{ KEY_ED25519, "ed25519", "ED25519" },
	};
	const char *prefix = kg->identity_file != NULL ?
	    kg->identity_file : "";
	struct stat st;
	char *path;
	size_t i;
	int started = 0;

	for (i = 0; i < sizeof(host_keys) / sizeof(host_keys[0]); i++) {
		xasprintf(&path, "%s%s/ssh_host_%s_key", prefix, SSHDIR,
		    host_keys[i].name);
		if (stat(path, &st) == 0) {
			free(path);
			continue;
		}
		if (errno != ENOENT) {
			error("Could not stat %s: %s", path, strerror(errno));
			free(path);
			started = 0;
			continue;
		}
		if (!started)
			printf("%s: generating new host keys: ",
			    keygen_progname);
		printf("%s ", host_keys[i].display);
		fflush(stdout);
		started = host_key_make(kg, host_keys[i].type, path) == 0;
		free(path);
	}
	if (started)
		printf("\n");
	exit(0);
}
