/*
 * conf.h: pieces shared by the configuration parsers (servconf.c for
 * sshd_config, readconf.c for ssh_config): reading a file into numbered
 * lines, splitting a line into keyword and arguments, tables of named
 * values, string lists, Include globbing and algorithm lists.
 *
 * Library code: nothing here exits or calls xmalloc.  int results are 0
 * or a negative ERR_* code unless said otherwise; outputs are cleared
 * first and set only on success, and then belong to the caller.
 */
#ifndef KEEL_CONF_H
#define KEEL_CONF_H

#include <sys/types.h>
#include <stddef.h>

/* Hard caps on what a config file may hold. */
#define CONF_FILE_MAX		(4 * 1024 * 1024)	/* bytes per file */
#define CONF_LINE_MAX		(64 * 1024)	/* bytes per line */
#define CONF_INCLUDE_DEPTH_MAX	16		/* nested Include levels */
#define CONF_INCLUDE_FILES_MAX	1024		/* files one Include names */
#define CONF_LIST_MAX		4096		/* entries of one list */

/* ------------------------------------------------------------ lists */

/* A growable list of owned strings; zero-initialise before use. */
struct conf_strlist {
	char	**v;
	u_int	  n;
};

/* Append a copy of s (ERR_NUMBER_TOO_LARGE beyond CONF_LIST_MAX). */
int conf_strlist_add(struct conf_strlist *l, const char *s) must_check;
/* Append s itself: ownership passes to the list (also on failure). */
int conf_strlist_take(struct conf_strlist *l, char *s) must_check;
/* 1 if the list holds a string equal to s. */
int conf_strlist_has(const struct conf_strlist *l, const char *s);
/* Replace dst's contents with copies of src's (dst emptied first). */
int conf_strlist_copy(struct conf_strlist *dst,
    const struct conf_strlist *src) must_check;
/* Free the strings and the array; the list is left empty and reusable. */
void conf_strlist_free(struct conf_strlist *l);
/* Move src's contents into dst (dst freed first); src is left empty. */
void conf_strlist_move(struct conf_strlist *dst, struct conf_strlist *src);
/* The strings joined with sep as a new string ("" if empty); NULL on
 * allocation failure. */
char *conf_strlist_join(const struct conf_strlist *l, const char *sep);

/* ------------------------------------------------------------ lines */

/*
 * One configuration line split as OpenSSH's parsers do: the keyword ends
 * at white space or '=' ("Port 22", "Port=22", "Port = 22"); the rest is
 * split by argv_split() (quotes, backslash escapes, '#' at the start of
 * a word ends the line).  Trailing white space (and \r, \f) is ignored.
 * A blank or comment line gives keyword NULL and argc 0.
 */
struct conf_line {
	char	 *keyword;	/* as written (case kept) */
	char	 *rest;		/* the raw text after the keyword (and its
				 * '='), white space trimmed; "" if none */
	int	  argc;
	char	**argv;		/* NULL-terminated */
};

/* ERR_INVALID_FORMAT: an unterminated quote, a NUL, an empty keyword. */
int conf_line_split(const char *line, struct conf_line *cl) must_check;
void conf_line_free(struct conf_line *cl);

/* ------------------------------------------------------------ files */

/* A file's contents as numbered lines (numbering starts at 1). */
struct conf_file {
	char	 *path;
	char	**lines;	/* without their newline */
	u_int	  nlines;
};

/*
 * Read the file at path into lines.  ERR_ERRNO (errno set: ENOENT for a
 * missing file, EISDIR for a directory) when it cannot be read;
 * ERR_NO_BUFFER_SPACE beyond CONF_FILE_MAX (also for devices); ERR_STRING_TOO_LARGE for a line longer than
 * CONF_LINE_MAX and ERR_INVALID_FORMAT for a NUL byte, both logged
 * with the file and line.  When check_perm is set the file must be a
 * regular file owned by root or the real uid and not writable by group
 * or others ("Bad owner or permissions on <path>": ERR_KEY_BAD_PERMISSIONS).
 */
int conf_file_load(const char *path, int check_perm, struct conf_file **fp)
    must_check;
/* The same from a string already in memory (named name in messages). */
int conf_file_from_string(const char *name, const char *text,
    struct conf_file **fp) must_check;
void conf_file_free(struct conf_file *f);

/*
 * The files one Include argument names: arg is expanded for a leading
 * "~" (user config only: allow_tilde set) and made absolute by prefixing
 * dir when relative, then glob(3)ed; matches come sorted, and only
 * regular files are kept.  No match is not an error (an empty list).
 * ERR_INVALID_FORMAT for "~" when not allowed, ERR_NUMBER_TOO_LARGE
 * beyond CONF_INCLUDE_FILES_MAX.
 */
int conf_include_glob(const char *arg, const char *dir, int allow_tilde,
    struct conf_strlist *paths) must_check;

/* ------------------------------------------------------------ values */

/* A table of names for an int setting, ended by a NULL name. */
struct conf_choice {
	const char	*name;
	int		 value;
};

/* Case-insensitive lookup: 0 with *valp set, ERR_NOT_FOUND otherwise. */
int conf_choice_value(const struct conf_choice *tab, const char *name,
    int *valp) must_check;
/* The first name of value in tab; "UNKNOWN" if none. */
const char *conf_choice_name(const struct conf_choice *tab, int value);

/* The yes/no table every flag keyword uses. */
extern const struct conf_choice conf_choices_flag[];

/*
 * A decimal integer in [min, max] without sign or junk.  0 with *valp
 * set, ERR_INVALID_FORMAT, ERR_NUMBER_TOO_LARGE (out of range).
 */
int conf_parse_int(const char *s, long long min, long long max,
    long long *valp) must_check;

/*
 * IPQoS names ("af11".."af43", "cs0".."cs7", "ef", "le", "lowdelay",
 * "throughput", "reliability", "none") or a number 0..255: the value,
 * or -1 if s is none of them.  conf_ipqos_name() gives the name back,
 * or NULL if there is none (print the number then).
 */
int conf_ipqos_value(const char *s);
const char *conf_ipqos_name(int value);

/* ------------------------------------------------------------ algorithms */

/* Algorithm lists a config file may set. */
enum conf_alg_kind {
	CONF_ALG_KEX,
	CONF_ALG_CIPHER,
	CONF_ALG_MAC,
	CONF_ALG_HOSTKEY,	/* HostKeyAlgorithms, HostbasedAccepted.. */
	CONF_ALG_PUBKEY,	/* PubkeyAcceptedAlgorithms */
	CONF_ALG_CASIG		/* CASignatureAlgorithms */
};

/*
 * The default list (comma-separated, static) of one kind, in order of
 * preference: kex-names.h's, the transport's own.
 */
const char *conf_alg_defaults(enum conf_alg_kind kind);
/*
 * Resolve a Ciphers/MACs/... value (plain, "+list", "-list", "^list";
 * NULL: the defaults) against the defaults and every supported name
 * (kex_names_assemble()): *retp gets a new comma list.
 * ERR_INVALID_ARGUMENT for an unknown name or an empty result.
 */
int conf_alg_resolve(enum conf_alg_kind kind, const char *spec,
    char **retp) must_check;

#endif /* KEEL_CONF_H */
