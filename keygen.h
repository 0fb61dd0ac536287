/*
 * keygen.h: the pieces of the ssh-keygen program (not part of libssh.a).
 *
 * ssh-keygen.c parses the command line into a struct keygen and calls one
 * of the keygen_do_*() operations below; each one does a whole job and
 * ends the program, as OpenSSH's ssh-keygen does: exit(0) on success,
 * exit(1) or fatal() (status 255) on failure, with OpenSSH's messages.
 * These are program functions: they may print, prompt, use xmalloc and
 * exit.
 */
#ifndef KEEL_KEYGEN_H
#define KEEL_KEYGEN_H

#include "key.h"
#include "keyfile.h"

/* -m: the conversion format of -e/-i. */
enum keygen_convert_format {
	KEYGEN_FMT_RFC4716,
	KEYGEN_FMT_PKCS8,
	KEYGEN_FMT_PEM
};

struct keygen {
	/* Who runs us: for default paths and the default comment. */
	char *user;		/* login name */
	char *home;		/* home directory */
	char *host;		/* gethostname() */

	char *identity_file;	/* -f, or asked for; NULL until known */
	const char *key_type_name;	/* -t as given; NULL: the default */
	unsigned int bits;	/* -b; 0: the type's default */
	const char *comment;	/* -C */
	const char *new_passphrase;	/* -N */
	const char *old_passphrase;	/* -P */
	enum keygen_convert_format convert_format;	/* -m */
	enum keyfile_format private_format;	/* -m PEM/PKCS8 */
	const char *cipher;	/* -Z; NULL: the default */
	int rounds;		/* -a; 0: the default */
	int fp_alg;		/* -E: DIGEST_* */
	int quiet;		/* -q */
	int verbose;		/* -v count */
};

/* ---------------------------------------------- keygen-prompt.c */

/*
 * Ask for a file name on stdout/stdin as OpenSSH does ("<prompt> (<default>):
 * "), the default being ~/.ssh/id_<type>; sets kg->identity_file.  Exits 1
 * at end of input.
 */
void keygen_ask_filename(struct keygen *kg, const char *prompt);
/* "<path> already exists.\nOverwrite (y/n)? ": 1 to go on, 0 not. */
int keygen_confirm_overwrite(const char *path);
/*
 * A passphrase from the terminal, or from stdin when there is none, or
 * from $SSH_ASKPASS where OpenSSH would use it.  Never NULL (an empty
 * string when nothing could be read); free with keygen_free_secret().
 */
char *keygen_read_passphrase(const char *prompt);
/* Ask twice (new key / new passphrase); NULL if the answers differ. */
char *keygen_read_new_passphrase(const char *prompt);
void keygen_free_secret(char *s);
/* A line from stdin after printing prompt on stdout; NULL at EOF. */
char *keygen_read_line(const char *prompt);

/* ---------------------------------------------- keygen-load.c */

/* The program's name for messages ("ssh-keygen"); set by main(). */
extern const char *keygen_progname;

/*
 * The next line of the NUL-terminated text at *cursor, with its "\n" or
 * "\r\n" removed (the text is modified); NULL after the last line.
 */
char *keygen_next_line(char **cursor);

/* The user@host default comment, as a new string. */
char *keygen_default_comment(const struct keygen *kg);
/*
 * Load a public key as OpenSSH's sshkey_load_public does: path as a
 * one-line public key file, then path.pub, then the public section of an
 * openssh-key-v1 private key.  *commentp (may be NULL) gets the comment of
 * the line, the name of the file read when the line has none, or NULL.
 */
int keygen_load_public(const char *path, struct key **kp, char **commentp)
    __attribute__((__warn_unused_result__));
/*
 * Load the private key at path: first with an empty passphrase; if that
 * is the wrong one, with passphrase (-P) or else by asking with prompt.
 * *passp (may be NULL) gets a copy of the passphrase that worked.
 */
int keygen_load_private(const char *path, const char *passphrase,
    const char *prompt, struct key **kp, char **commentp, char **passp)
    __attribute__((__warn_unused_result__));
/* keygen_load_private with OpenSSH's -y/-e handling: fatal on failure. */
struct key *keygen_load_identity(const struct keygen *kg, const char *path,
    char **commentp);
/*
 * Save k at path in the format -m asked for (Ed25519 always in the
 * openssh-key-v1 format, as OpenSSH 9.2 does).
 */
int keygen_save_private(const struct keygen *kg, const char *path,
    const struct key *k, const char *passphrase, const char *comment)
    __attribute__((__warn_unused_result__));
/* Write "type base64 comment\n" to path, mode 0644. */
int keygen_save_public(const char *path, const struct key *k,
    const char *comment)
    __attribute__((__warn_unused_result__));
/* path + ".pub" as a new string. */
char *keygen_pub_path(const char *path);
/* fatal("<path>: <strerror>") unless path exists. */
void keygen_require_file(const char *path, int with_progname);

/* ---------------------------------------------- the operations */

void keygen_do_generate(struct keygen *kg) __attribute__((__noreturn__));
void keygen_do_host_keys(struct keygen *kg) __attribute__((__noreturn__));
void keygen_do_fingerprint(struct keygen *kg) __attribute__((__noreturn__));
void keygen_do_change_passphrase(struct keygen *kg)
    __attribute__((__noreturn__));
void keygen_do_change_comment(struct keygen *kg)
    __attribute__((__noreturn__));
void keygen_do_print_public(struct keygen *kg) __attribute__((__noreturn__));
void keygen_do_export(struct keygen *kg) __attribute__((__noreturn__));
void keygen_do_import(struct keygen *kg) __attribute__((__noreturn__));

/* Checks the -t/-b combination; fatal with OpenSSH's messages if bad. */
void keygen_check_type_bits(const struct keygen *kg, enum key_type *typep,
    unsigned int *bitsp);

#endif /* KEEL_KEYGEN_H */
