/*
 * keygen-load.c: how ssh-keygen finds, loads and saves key files.
 *
 * The search order and the comments reported follow OpenSSH's
 * ssh-keygen, because its output (-l, -y, -e) shows them: a public key
 * file's comment, or that file's name when its line has none; nothing
 * for the public half stored in a private key file.
 */
#include "includes.h"

#include <sys/stat.h>

#include "buf.h"
#include "errcode.h"
#include "keygen.h"
#include "log.h"
#include "xmalloc.h"

/* OpenSSH refuses shorter passphrases for PEM and PKCS#8 files. */
#define KEYGEN_PEM_PASS_MIN	5

char *
keygen_next_line(char **cursor)
{
	char *line = *cursor, *nl;
	size_t len;

	if (line == NULL || *line == '\0')
		return NULL;
	if ((nl = strchr(line, '\n')) != NULL) {
		*nl = '\0';
		*cursor = nl + 1;
	} else
		*cursor = line + strlen(line);
	len = strlen(line);
	if (len > 0 && line[len - 1] == '\r')
		line[len - 1] = '\0';
	return line;
}

char *
keygen_default_comment(const struct keygen *kg)
{
	char *s;

	xasprintf(&s, "%s@%s", kg->user, kg->host);
	return s;
}

char *
keygen_pub_path(const char *path)
{
	char *s;

	xasprintf(&s, "%s.pub", path);
	return s;
}

void
keygen_require_file(const char *path, int with_progname)
{
	struct stat st;

	if (stat(path, &st) == 0)
		return;
	if (with_progname)
		fatal("%s: %s: %s", keygen_progname, path, strerror(errno));
	fatal("%s: %s", path, strerror(errno));
}

/*
 * The first key of a public key file: blank and '#' lines are skipped,
 * and a private key's armour ends the search.
 */
static int
load_public_file(const char *path, struct key **kp, char **commentp)
{
	struct buf *b = NULL;
	struct key *k = NULL;
	char *text = NULL, *cursor, *line, *cp;
	const char *end;
	int r = ERR_INTERNAL;

	if ((r = buf_load_file(path, &b)) != 0)
		goto out;
	r = ERR_INVALID_FORMAT;
	if ((text = buf_dup_string(b)) == NULL)
		goto out;
	cursor = text;
	while ((line = keygen_next_line(&cursor)) != NULL) {
		if (strncmp(line, "-----BEGIN", 10) == 0 ||
		    strcmp(line, "SSH PRIVATE KEY FILE") == 0)
			break;
		cp = line + strspn(line, " \t");
		if (*cp == '\0' || *cp == '#')
			continue;
		if (key_read_public_line(cp, &k, NULL, &end) != 0)
			continue;
		end += strspn(end, " \t");
		if (commentp != NULL)
			*commentp = xstrdup(*end != '\0' ? end : path);
		*kp = k;
		r = 0;
		break;
	}
 out:
	free(text);
	buf_free(b);
	return r;
}

/*
 * The public half of the private key file at path if it needs no
 * passphrase.  Permissions are not checked: only public parts are kept.
 */
static int
load_unencrypted(const char *path, struct key **kp, char **commentp)
{
	struct buf *b = NULL;
	struct key *k = NULL;
	int r = ERR_INTERNAL;

	if ((r = buf_load_file(path, &b)) != 0)
		goto out;
	if ((r = keyfile_parse_private(b, "", &k, commentp)) != 0)
		goto out;
	r = key_demote(k, kp);
	if (r != 0 && commentp != NULL) {
		free(*commentp);
		*commentp = NULL;
	}
 out:
	key_free(k);
	buf_free(b);
	return r;
}

int
keygen_load_public(const char *path, struct key **kp, char **commentp)
{
	char *pub;
	int r;

	*kp = NULL;
	if (commentp != NULL)
		*commentp = NULL;
	if ((r = load_public_file(path, kp, commentp)) == 0)
		return 0;
	pub = keygen_pub_path(path);
	r = load_public_file(pub, kp, commentp);
	free(pub);
	if (r == 0)
		return 0;
	/* An unencrypted private key file, with its comment. */
	if (load_unencrypted(path, kp, commentp) == 0)
		return 0;
	/* The public section of an openssh-key-v1 file has no comment. */
	return keyfile_load_public(path, kp, NULL);
}

int
keygen_load_private(const char *path, const char *passphrase,
    const char *prompt, struct key **kp, char **commentp, char **passp)
{
	char *pass;
	int r;

	*kp = NULL;
	if (commentp != NULL)
		*commentp = NULL;
	if (passp != NULL)
		*passp = NULL;
	if ((r = keyfile_load_private(path, "", kp, commentp)) == 0) {
		if (passp != NULL)
			*passp = xstrdup("");
		return 0;
	}
	if (r != ERR_KEY_WRONG_PASSPHRASE)
		return r;
	if (passphrase != NULL)
		pass = xstrdup(passphrase);
	else
		pass = keygen_read_passphrase(prompt);
	r = keyfile_load_private(path, pass, kp, commentp);
	if (r == 0 && passp != NULL) {
		*passp = pass;
		pass = NULL;
	}
	keygen_free_secret(pass);
	return r;
}

struct key *
keygen_load_identity(const struct keygen *kg, const char *path,
    char **commentp)
{
	struct key *k = NULL;
	int r;

	if ((r = keygen_load_private(path, kg->old_passphrase,
	    "Enter passphrase: ", &k, commentp, NULL)) != 0)
		fatal("Load key \"%s\": %s", path, errcode_str(r));
	return k;
}

int
keygen_save_private(const struct keygen *kg, const char *path,
    const struct key *k, const char *passphrase, const char *comment)
{
	enum keyfile_format format = kg->private_format;
	size_t len = passphrase == NULL ? 0 : strlen(passphrase);

	/* OpenSSH 9.2 has no PEM/PKCS#8 writer for Ed25519. */
	if (key_type(k) == KEY_ED25519)
		format = KEYFILE_FORMAT_OPENSSH;
	if (format != KEYFILE_FORMAT_OPENSSH && len > 0 &&
	    len < KEYGEN_PEM_PASS_MIN)
		return ERR_PASSPHRASE_TOO_SHORT;
	return keyfile_save_private(path, k, passphrase, comment, format,
	    kg->cipher, kg->rounds);
}

int
keygen_save_public(const char *path, const struct key *k,
    const char *comment)
{
	struct buf *b = NULL;
	char *line = NULL;
	int r = ERR_INTERNAL;

	if ((r = key_format_public(k, &line)) != 0)
		goto out;
	if ((b = buf_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_putf(b, "%s %s\n", line,
	    comment == NULL ? "" : comment)) != 0)
		goto out;
	r = buf_write_file(path, b, 0644);
 out:
	buf_free(b);
	free(line);
	return r;
}
