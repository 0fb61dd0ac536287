/*
 * keygen-edit.c: ssh-keygen operations on an existing private key:
 * -p (new passphrase), -c (new comment) and -y (print the public key).
 */
#include "includes.h"

#include "errcode.h"
#include "keygen.h"
#include "log.h"
#include "xmalloc.h"

void
keygen_do_change_passphrase(struct keygen *kg)
{
	struct key *k = NULL;
	char *comment = NULL, *pass;
	const char *path;
	int r;

	if (kg->identity_file == NULL)
		keygen_ask_filename(kg, "Enter file in which the key is");
	path = kg->identity_file;
	keygen_require_file(path, 0);
	if ((r = keygen_load_private(path, kg->old_passphrase,
	    "Enter old passphrase: ", &k, &comment, NULL)) != 0)
		fatal("Failed to load key %s: %s", path, errcode_str(r));
	if (comment != NULL)
		printf("Key has comment '%s'\n", comment);
	if (kg->new_passphrase != NULL)
		pass = xstrdup(kg->new_passphrase);
	else if ((pass = keygen_read_new_passphrase(
	    "Enter new passphrase (empty for no passphrase): ")) == NULL) {
		printf("Pass phrases do not match.  Try again.\n");
		exit(1);
	}
	if ((r = keygen_save_private(kg, path, k, pass, comment)) != 0) {
		error("Saving key \"%s\" failed: %s", path, errcode_str(r));
		keygen_free_secret(pass);
		exit(1);
	}
	keygen_free_secret(pass);
	key_free(k);
	free(comment);
	printf("Your identification has been saved with the new "
	    "passphrase.\n");
	exit(0);
}

/* The new comment: -C, or asked for on stdin. */
static char *
new_comment(const struct keygen *kg)
{
	char *c;

	if (kg->comment != NULL)
		return xstrdup(kg->comment);
	if ((c = keygen_read_line("New comment: ")) == NULL)
		exit(1);
	return c;
}

void
keygen_do_change_comment(struct keygen *kg)
{
	struct key *k = NULL;
	char *old = NULL, *comment, *pass = NULL, *pub;
	const char *path;
	int r;

	if (kg->identity_file == NULL)
		keygen_ask_filename(kg, "Enter file in which the key is");
	path = kg->identity_file;
	keygen_require_file(path, 0);
	if ((r = keygen_load_private(path, kg->old_passphrase,
	    "Enter passphrase: ", &k, &old, &pass)) != 0)
		fatal("Cannot load private key \"%s\": %s", path,
		    errcode_str(r));
	/* Only openssh-key-v1 files store a comment. */
	if (key_type(k) != KEY_ED25519 &&
	    kg->private_format != KEYFILE_FORMAT_OPENSSH) {
		error("Comments are only supported for keys stored in "
		    "the new format (-o).");
		keygen_free_secret(pass);
		exit(1);
	}
	if (old != NULL)
		printf("Old comment: %s\n", old);
	else
		printf("No existing comment\n");
	comment = new_comment(kg);
	if (old != NULL && strcmp(comment, old) == 0) {
		printf("No change to comment\n");
		keygen_free_secret(pass);
		exit(0);
	}
	if ((r = keygen_save_private(kg, path, k, pass, comment)) != 0) {
		error("Saving key \"%s\" failed: %s", path, errcode_str(r));
		keygen_free_secret(pass);
		exit(1);
	}
	keygen_free_secret(pass);
	pub = keygen_pub_path(path);
	if ((r = keygen_save_public(pub, k, comment)) != 0)
		fatal("Unable to save public key to %s: %s", pub,
		    errcode_str(r));
	printf("Comment '%s' applied\n", comment);
	free(pub);
	free(comment);
	free(old);
	key_free(k);
	exit(0);
}

void
keygen_do_print_public(struct keygen *kg)
{
	struct key *k;
	char *comment = NULL, *line = NULL;
	int r;

	if (kg->identity_file == NULL)
		keygen_ask_filename(kg, "Enter file in which the key is");
	keygen_require_file(kg->identity_file, 0);
	k = keygen_load_identity(kg, kg->identity_file, &comment);
	if ((r = key_format_public(k, &line)) != 0)
		fatal("%s: %s", kg->identity_file, errcode_str(r));
	if (comment != NULL && *comment != '\0')
		printf("%s %s\n", line, comment);
	else
		printf("%s\n", line);
	free(line);
	free(comment);
	key_free(k);
	exit(0);
}
