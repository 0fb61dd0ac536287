/*
 * sftp-prog.h: what the files of the sftp program share: the session
 * (one connection and its working directories and modes), command
 * line words, and the entry points of the command, listing and
 * completion files.  Program code: may call fatal() and xmalloc().
 */
#ifndef KEEL_SFTP_PROG_H
#define KEEL_SFTP_PROG_H

#include <signal.h>
#include <stddef.h>

struct sftp_conn;
struct sftpc_dirent;
struct progress;
struct stat;

struct sftp_session {
	struct sftp_conn *conn;
	char	*cwd;		/* remote working directory (absolute) */
	char	*startdir;	/* where "cd" alone goes */
	int	 quiet;		/* no "Fetching ..." lines (-q, -b) */
	int	 progress;	/* draw the progress meter */
	int	 interactive;	/* commands come from a terminal */
	int	 batch;		/* -b: a failing command ends the batch */
	int	 aflag;		/* -a: resume transfers */
	int	 fflag;		/* -f: fsync after transfers */
	int	 pflag;		/* -p: preserve modes and times */
	int	 rflag;		/* -r: recursive get/put */
	struct progress *meter;	/* the meter of the file in flight */
	/* host:path local: where the initial fetch of path goes (NULL:
	 * the current directory), as OpenSSH's undocumented second
	 * argument. */
	const char *initial_local;
};

/* Set by the SIGINT handler while a command runs. */
extern volatile sig_atomic_t sftp_interrupted;

/* ------------------------------------------------------------ words */

#define SFTP_MAX_WORDS	128

/*
 * A command line split into words (sftp-words.c).  Quotes are removed;
 * glob characters that were quoted or backslash-escaped come out
 * backslash-escaped, so a word is a glob pattern that means what the
 * user typed (sftp_unescape() gives the plain name).
 */
struct sftp_words {
	int	 argc;
	char	*argv[SFTP_MAX_WORDS + 1];
	size_t	 start[SFTP_MAX_WORDS];	/* where each word began */
	char	 open_quote;	/* quote still open at the end (partial) */
	int	 trailing_space; /* the line ends between words */
};

/*
 * Split line.  With partial (tab completion), an unterminated quote is
 * allowed (open_quote says which).  0, or -1 after printing why
 * ("Unterminated quote", "Too many arguments.").
 */
int sftp_split_words(const char *line, int partial, struct sftp_words *w);
void sftp_words_free(struct sftp_words *w);
/* s without escaping backslashes: a new string. */
char *sftp_unescape(const char *s);
/* s with glob characters and backslashes escaped: a new string. */
char *sftp_escape_glob(const char *s);
/* The last path component of path (a new string; "/" stays "/"). */
char *sftp_basename(const char *path);
/*
 * path with prefix strip (a directory) taken off the front, as listing
 * output shows paths relative to the working directory.  New string.
 */
char *sftp_path_strip(const char *path, const char *strip);

/* ------------------------------------------------------------ commands */

/* What one command line asks the loop to do next. */
enum sftp_cmd_result {
	SFTP_CMD_OK,
	SFTP_CMD_ERROR,
	SFTP_CMD_QUIT
};

/* Parse and run one command line (sftp-cmds.c). */
enum sftp_cmd_result sftp_run_command(struct sftp_session *s,
    const char *line, int *ignore_errorsp, int *no_echop);
/* The command names, for completion; NULL-terminated. */
const char *const *sftp_command_names(void);
/*
 * What the arguments of command name are: 1 remote paths, 2 local
 * paths, 3 remote then local (get), 4 local then remote (put), 0 none.
 */
int sftp_command_argtype(const char *name);
/* The absolute remote path for a typed word; xmalloc. */
char *sftp_remote_path(struct sftp_session *s, const char *word, int glob);
/* Run cmd with the user's shell (NULL: an interactive shell). */
int sftp_local_shell(const char *cmd);

/* ------------------------------------------------------------ transfers */

/* get/reget/put/reput (sftp-getput.c): argv after the flags. */
int sftp_cmd_get(struct sftp_session *s, int argc, char **argv, int aflag,
    int fflag, int pflag, int rflag);
int sftp_cmd_put(struct sftp_session *s, int argc, char **argv, int aflag,
    int fflag, int pflag, int rflag);

/* ------------------------------------------------------------ listing */

/* ls flags (sftp-ls.c). */
#define LS_LONG		0x0001	/* -l */
#define LS_SHORT	0x0002	/* -1 */
#define LS_NUMERIC	0x0004	/* -n */
#define LS_NAME_SORT	0x0008	/* default */
#define LS_TIME_SORT	0x0010	/* -t */
#define LS_SIZE_SORT	0x0020	/* -S */
#define LS_REVERSE	0x0040	/* -r */
#define LS_ALL		0x0080	/* -a */
#define LS_SI		0x0100	/* -h */
#define LS_SORT_MASK	(LS_NAME_SORT | LS_TIME_SORT | LS_SIZE_SORT)

int sftp_cmd_ls(struct sftp_session *s, const char *path, int flags);
int sftp_cmd_df(struct sftp_session *s, const char *path, int hflag,
    int iflag);
/* "ls -l" line of a file (remote: "?" links); xmalloc'ed. */
char *sftp_ls_line(const char *name, const struct stat *st, int remote,
    int si, const char *user, const char *group);
/* 1023 -> "1023B", 4096 -> "4.0K" (ls -h and df -h style). */
void sftp_fmt_scaled(unsigned long long n, char *out, size_t outlen);

/* ------------------------------------------------------------ line input */

/*
 * Read the commands (from a terminal with line editing, or from in)
 * and run them; the exit status of the program (sftp-loop.c).  With
 * path (from host:path), cd there if it is a directory, else fetch it
 * and return.
 */
int sftp_command_loop(struct sftp_session *s, FILE *in, const char *path);
/* Set up libedit (sftp-complete.c); opaque handle or NULL. */
void *sftp_editline_init(struct sftp_session *s);
/* One line from the editor (NULL at EOF); the editor's storage. */
const char *sftp_editline_gets(void *el, int *countp);
void sftp_editline_end(void *el);

#endif /* KEEL_SFTP_PROG_H */
