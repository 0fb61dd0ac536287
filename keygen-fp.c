/*
 * keygen-fp.c: ssh-keygen -l: fingerprints of a key file, or of every key
 * in a file of public keys (a .pub file, authorized_keys, known_hosts).
 *
 * One line per key, "<bits> <fingerprint> <comment> (<TYPE>)", and with
 * -v the random art picture under it.  The comment is the text after the
 * key; where there is none, a field before the key stands in for it (the
 * host names of a known_hosts line, the options of an authorized_keys
 * line), as in OpenSSH.  Lines that hold no key we can read are skipped;
 * a file without any is an error.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "keygen.h"
#include "log.h"
#include "xmalloc.h"

static void
print_fingerprint(const struct keygen *kg, const struct key *k,
    const char *comment)
{
	char *fp, *art;

	fp = key_fingerprint(k, kg->fp_alg, KEY_FP_DEFAULT);
	art = key_fingerprint(k, kg->fp_alg, KEY_FP_RANDOMART);
	if (fp == NULL || art == NULL)
		fatal("key_fingerprint failed");
	printf("%u %s %s (%s)\n", key_size(k), fp,
	    comment != NULL ? comment : "no comment", key_type_short(k));
	if (kg->verbose > 0)
		printf("%s\n", art);
	free(fp);
	free(art);
}

/* A private key file: its .pub, its public section, or the key itself. */
static void
fingerprint_private(const struct keygen *kg, const char *path)
{
	struct key *k = NULL;
	char *comment = NULL;
	int r;

	if ((r = keygen_load_public(path, &k, &comment)) != 0) {
		debug("load public \"%s\": %s", path, errcode_str(r));
		if ((r = keyfile_load_private(path, NULL, &k,
		    &comment)) != 0) {
			debug("load private \"%s\": %s", path,
			    errcode_str(r));
			fatal("%s is not a key file.", path);
		}
	}
	print_fingerprint(kg, k, comment);
	free(comment);
	key_free(k);
}

/*
 * 1 if s starts with a non-zero decimal number followed by white space:
 * the bits field of an SSH-1 key line, which has no key we can read.
 */
static int
is_ssh1_bits(const char *s)
{
	size_t n = strspn(s, "0123456789");

	if (n == 0 || (s[n] != ' ' && s[n] != '\t'))
		return 0;
	return strspn(s, "0") < n;
}

/*
 * Split off the field in front of the key: host names or options, with
 * double quotes grouping (and \" inside them).  Returns the rest of the
 * line, or NULL if the field runs to the end of it.
 */
static char *
split_leading_field(char *cp)
{
	int quoted = 0;

	for (; *cp != '\0' && (quoted || (*cp != ' ' && *cp != '\t'));
	    cp++) {
		if (*cp == '\\' && cp[1] == '"')
			cp++;
		else if (*cp == '"')
			quoted = !quoted;
	}
	if (*cp == '\0')
		return NULL;
	*cp = '\0';
	return cp + 1;
}

/*
 * One line of a key list, white space skipped; 1 if it held a key (now
 * printed), 0 if not.
 */
static int
fingerprint_line(const struct keygen *kg, char *line, const char *name,
    unsigned long lnum)
{
	struct key *k = NULL;
	const char *end, *comment = NULL;
	char *rest;

	if (key_read_public_line(line, &k, NULL, &end) != 0) {
		if (is_ssh1_bits(line) ||
		    (rest = split_leading_field(line)) == NULL ||
		    key_read_public_line(rest, &k, NULL, &end) != 0) {
			debug("%s:%lu: not a public key", name, lnum);
			return 0;
		}
		comment = line;	/* now just the leading field */
	}
	end += strspn(end, " \t");
	if (*end != '\0' && *end != '#')
		comment = end;
	print_fingerprint(kg, k, comment);
	key_free(k);
	return 1;
}

void
keygen_do_fingerprint(struct keygen *kg)
{
	struct buf *b = NULL;
	char *text, *cursor, *line;
	const char *path, *name;
	unsigned long lnum = 0;
	int r, found = 0, from_stdin;

	if (kg->identity_file == NULL)
		keygen_ask_filename(kg, "Enter file in which the key is");
	path = kg->identity_file;
	from_stdin = strcmp(path, "-") == 0;
	name = from_stdin ? "(stdin)" : path;
	if (from_stdin)
		r = buf_load_fd(STDIN_FILENO, &b);
	else
		r = buf_load_file(path, &b);
	if (r != 0)
		fatal("%s: %s: %s", keygen_progname, name, errcode_str(r));
	if ((text = buf_dup_string(b)) == NULL)
		fatal("%s is not a public key file.", name);
	buf_free(b);
	cursor = text;
	while ((line = keygen_next_line(&cursor)) != NULL) {
		lnum++;
		line += strspn(line, " \t");
		if (*line == '\0' || *line == '#')
			continue;
		/* A private key (not on stdin): its first line says so. */
		if (lnum == 1 && !from_stdin &&
		    strstr(line, "PRIVATE KEY") != NULL) {
			free(text);
			fingerprint_private(kg, path);
			exit(0);
		}
		found |= fingerprint_line(kg, line, name, lnum);
	}
	free(text);
	if (!found)
		fatal("%s is not a public key file.", name);
	exit(0);
}
