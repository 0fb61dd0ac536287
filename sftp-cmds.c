/*
 * sftp-cmds.c: the sftp command table, argument checks and the commands
 * that are not transfers or listings (sftp-prog.h).  Messages are
 * OpenSSH's, as scripts read them.
 */
#include "includes.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <pwd.h>
#include <signal.h>

#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "xmalloc.h"
#include "sftp.h"
#include "sftp-common.h"
#include "sftp-client.h"
#include "sftp-prog.h"

/* Argument kinds, for completion (sftp_command_argtype()). */
#define ARG_NONE	0
#define ARG_REMOTE	1
#define ARG_LOCAL	2
#define ARG_GET		3
#define ARG_PUT		4

struct sftp_cmd;
typedef int cmd_fn(struct sftp_session *, const struct sftp_cmd *,
    struct sftp_words *, const char *);

struct sftp_cmd {
	const char	*name;
	int		 argtype;
	const char	*flags;		/* getopt letters, "" for none */
	cmd_fn		*fn;
};

static cmd_fn cmd_quit, cmd_cd, cmd_chmod, cmd_chown, cmd_copy, cmd_df,
    cmd_get, cmd_help, cmd_lcd, cmd_lls, cmd_lmkdir, cmd_ln, cmd_lpwd,
    cmd_ls, cmd_lumask, cmd_mkdir, cmd_progress, cmd_put, cmd_pwd,
    cmd_rename, cmd_rm, cmd_rmdir, cmd_symlink, cmd_version, cmd_shell;

static const struct sftp_cmd sftp_cmds[] = {
	{ "bye", ARG_NONE, "", cmd_quit },
	{ "cd", ARG_REMOTE, "", cmd_cd },
	{ "chdir", ARG_REMOTE, "", cmd_cd },
	{ "chgrp", ARG_REMOTE, "h", cmd_chown },
	{ "chmod", ARG_REMOTE, "h", cmd_chmod },
	{ "chown", ARG_REMOTE, "h", cmd_chown },
	{ "copy", ARG_REMOTE, "", cmd_copy },
	{ "cp", ARG_REMOTE, "", cmd_copy },
	{ "df", ARG_REMOTE, "hi", cmd_df },
	{ "dir", ARG_REMOTE, "1Safhlnrt", cmd_ls },
	{ "exit", ARG_NONE, "", cmd_quit },
	{ "get", ARG_GET, "afPpRr", cmd_get },
	{ "help", ARG_NONE, "", cmd_help },
	{ "lcd", ARG_LOCAL, "", cmd_lcd },
	{ "lchdir", ARG_LOCAL, "", cmd_lcd },
	{ "lls", ARG_LOCAL, NULL, cmd_lls },
	{ "lmkdir", ARG_LOCAL, "", cmd_lmkdir },
	{ "ln", ARG_REMOTE, "s", cmd_ln },
	{ "lpwd", ARG_LOCAL, "", cmd_lpwd },
	{ "ls", ARG_REMOTE, "1Safhlnrt", cmd_ls },
	{ "lumask", ARG_NONE, "", cmd_lumask },
	{ "mget", ARG_GET, "afPpRr", cmd_get },
	{ "mkdir", ARG_REMOTE, "", cmd_mkdir },
	{ "mput", ARG_PUT, "afPpRr", cmd_put },
	{ "progress", ARG_NONE, "", cmd_progress },
	{ "put", ARG_PUT, "afPpRr", cmd_put },
	{ "pwd", ARG_REMOTE, "", cmd_pwd },
	{ "quit", ARG_NONE, "", cmd_quit },
	{ "reget", ARG_GET, "fPpRr", cmd_get },
	{ "rename", ARG_REMOTE, "l", cmd_rename },
	{ "reput", ARG_PUT, "fPpRr", cmd_put },
	{ "rm", ARG_REMOTE, "", cmd_rm },
	{ "rmdir", ARG_REMOTE, "", cmd_rmdir },
	{ "symlink", ARG_REMOTE, "", cmd_symlink },
	{ "version", ARG_NONE, "", cmd_version },
	{ "!", ARG_LOCAL, NULL, cmd_shell },
	{ "?", ARG_NONE, "", cmd_help },
};
#define NCMDS	(sizeof(sftp_cmds) / sizeof(sftp_cmds[0]))

const char *const *
sftp_command_names(void)
{
	static const char *names[NCMDS + 1];
	size_t i;

	if (names[0] == NULL) {
		for (i = 0; i < NCMDS; i++)
			names[i] = sftp_cmds[i].name;
	}
	return names;
}

int
sftp_command_argtype(const char *name)
{
	size_t i;

	for (i = 0; i < NCMDS; i++) {
		if (strcmp(sftp_cmds[i].name, name) == 0)
			return sftp_cmds[i].argtype;
	}
	return ARG_NONE;
}

/* ------------------------------------------------------------ arguments */

/* Per-command flags seen (by letter) and the index of the first path. */
struct cmd_args {
	char	 seen[128];
	int	 optind;
};

/*
 * Leading "-xyz" words of w (after the command name) against the
 * command's flag letters; "--" ends them.  -1 after a message.
 */
static int
parse_flags(const struct sftp_cmd *cmd, struct sftp_words *w,
    struct cmd_args *ca)
{
	const char *p;
	int i;

	memset(ca, 0, sizeof(*ca));
	for (i = 1; i < w->argc; i++) {
		p = w->argv[i];
		if (p[0] != '-' || p[1] == '\0')
			break;
		if (strcmp(p, "--") == 0) {
			i++;
			break;
		}
		for (p++; *p != '\0'; p++) {
			if (strchr(cmd->flags, *p) == NULL ||
			    (unsigned char)*p >= sizeof(ca->seen)) {
				error("%s: Invalid flag -%c", cmd->name, *p);
				return -1;
			}
			ca->seen[(unsigned char)*p] = 1;
		}
	}
	ca->optind = i;
	return 0;
}

/* Exactly need paths (1 or 2) after the flags. */
static int
need_paths(const struct sftp_cmd *cmd, struct sftp_words *w,
    struct cmd_args *ca, int need)
{
	if (w->argc - ca->optind >= need)
		return 0;
	if (need == 2)
		error("You must specify two paths after a %s command.",
		    cmd->name);
	else
		error("You must specify a path after a %s command.",
		    cmd->name);
	return -1;
}

/* A numeric argument in base (8 or 10) that fits 32 bits. */
static int
numeric_arg(const struct sftp_cmd *cmd, const char *word, int base,
    uint32_t *valp)
{
	unsigned long long v;
	char *ep;

	errno = 0;
	if (word != NULL && *word != '-' && *word != '\0') {
		v = strtoull(word, &ep, base);
		if (*ep == '\0' && errno == 0 && v <= UINT32_MAX) {
			*valp = (uint32_t)v;
			return 0;
		}
	}
	error("You must supply a numeric argument to the %s command.",
	    cmd->name);
	return -1;
}

/* ------------------------------------------------------------ paths */

/*
 * The absolute remote path for a typed word, taken against the working
 * directory.  With glob the word keeps its escapes (and the working
 * directory gets escaped to match); without, the escapes are removed.
 * A leading "~" is not expanded, as in OpenSSH 9.2's client.
 */
char *
sftp_remote_path(struct sftp_session *s, const char *word, int glob)
{
	char *plain, *ecwd, *ret;

	if (!glob) {
		plain = sftp_unescape(word);
		if ((ret = sftpc_make_absolute(plain, s->cwd)) == NULL)
			fatal("%s: out of memory", __func__);
		free(plain);
		return ret;
	}
	if (word[0] == '/')
		return xstrdup(word);
	ecwd = sftp_escape_glob(s->cwd);
	if ((ret = sftpc_make_absolute(word, ecwd)) == NULL)
		fatal("%s: out of memory", __func__);
	free(ecwd);
	return ret;
}

/*
 * Remote glob of a word, NOCHECK style: no match gives the word itself
 * (unescaped).  Paths are absolute.
 */
static char **
remote_glob_nocheck(struct sftp_session *s, const char *word, size_t *np)
{
	struct sftpc_dirent **ents = NULL;
	char *pat, **paths;
	size_t i, n = 0;

	pat = sftp_remote_path(s, word, 1);
	if (sftpc_glob(s->conn, pat, NULL, &ents, &n) != 0 || n == 0) {
		paths = xcalloc(2, sizeof(*paths));
		paths[0] = sftp_unescape(pat);
		*np = 1;
		free(pat);
		return paths;
	}
	free(pat);
	paths = xcalloc(n + 1, sizeof(*paths));
	for (i = 0; i < n; i++)
		paths[i] = xstrdup(ents[i]->filename);
	sftpc_dirents_free(ents, n);
	*np = n;
	return paths;
}

static void
free_paths(char **paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

/* ------------------------------------------------------------ commands */

static int
cmd_quit(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	return 1;
}

static int
cmd_pwd(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	printf("Remote working directory: %s\n", s->cwd);
	return 0;
}

static int
cmd_lpwd(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	char path[PATH_MAX];

	if (getcwd(path, sizeof(path)) == NULL) {
		error("Couldn't get local cwd: %s", strerror(errno));
		return -1;
	}
	printf("Local working directory: %s\n", path);
	return 0;
}

static int
cmd_version(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	printf("SFTP protocol version %u\n", sftpc_server_version(s->conn));
	return 0;
}

static int
cmd_progress(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	s->progress = !s->progress;
	printf("Progress meter %s\n", s->progress ? "enabled" : "disabled");
	return 0;
}

static int
cmd_help(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	printf("Available commands:\n"
"bye                                Quit sftp\n"
"cd path                            Change remote directory to 'path'\n"
"chgrp [-h] grp path                Change group of file 'path' to 'grp'\n"
"chmod [-h] mode path               Change permissions of file 'path' to 'mode'\n"
"chown [-h] own path                Change owner of file 'path' to 'own'\n"
"copy oldpath newpath               Copy remote file\n"
"cp oldpath newpath                 Copy remote file\n"
"df [-hi] [path]                    Display statistics for current directory or\n"
"                                   filesystem containing 'path'\n"
"exit                               Quit sftp\n"
"get [-afpR] remote [local]         Download file\n"
"help                               Display this help text\n"
"lcd path                           Change local directory to 'path'\n"
"lls [ls-options [path]]            Display local directory listing\n"
"lmkdir path                        Create local directory\n"
"ln [-s] oldpath newpath            Link remote file (-s for symlink)\n"
"lpwd                               Print local working directory\n"
"ls [-1afhlnrSt] [path]             Display remote directory listing\n"
"lumask umask                       Set local umask to 'umask'\n"
"mkdir path                         Create remote directory\n"
"progress                           Toggle display of progress meter\n"
"put [-afpR] local [remote]         Upload file\n"
"pwd                                Display remote working directory\n"
"quit                               Quit sftp\n"
"reget [-fpR] remote [local]        Resume download file\n"
"rename oldpath newpath             Rename remote file\n"
"reput [-fpR] local [remote]        Resume upload file\n"
"rm path                            Delete remote file\n"
"rmdir path                         Remove remote directory\n"
"symlink oldpath newpath            Symlink remote file\n"
"version                            Show SFTP version\n"
"!command                           Execute 'command' in local shell\n"
"!                                  Escape to local shell\n"
"?                                  Synonym for help\n");
	return 0;
}

static int
cmd_cd(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	struct sftp_attrs a;
	char *path, *real = NULL;
	int r;

	if (w->argc < 2 || *w->argv[1] == '\0')
		path = xstrdup(s->startdir);
	else
		path = sftp_remote_path(s, w->argv[1], 0);
	r = sftpc_realpath(s->conn, path, &real);
	free(path);
	if (r != 0)
		return -1;
	if (sftpc_stat(s->conn, real, 0, &a) != 0) {
		free(real);
		return -1;
	}
	if (!(a.flags & SSH2_FILEXFER_ATTR_PERMISSIONS)) {
		error("Can't change directory: Can't check target");
		free(real);
		return -1;
	}
	if (!S_ISDIR(a.perm)) {
		error("Can't change directory: \"%s\" is not a directory",
		    real);
		free(real);
		return -1;
	}
	free(s->cwd);
	s->cwd = real;
	return 0;
}

static int
cmd_lcd(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	char *path, *exp = NULL;
	const char *home;
	struct passwd *pw;
	int r;

	if (w->argc < 2) {
		if ((home = getenv("HOME")) == NULL || *home == '\0') {
			if ((pw = getpwuid(getuid())) == NULL) {
				error("Couldn't get home directory");
				return -1;
			}
			home = pw->pw_dir;
		}
		path = xstrdup(home);
	} else {
		path = sftp_unescape(w->argv[1]);
		if ((r = tilde_expand(path, getuid(), &exp)) == 0) {
			free(path);
			path = exp;
		}
	}
	r = 0;
	if (chdir(path) == -1) {
		error("Couldn't change local directory to \"%s\": %s", path,
		    strerror(errno));
		r = -1;
	}
	free(path);
	return r;
}

static int
cmd_lmkdir(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	struct cmd_args ca;
	char *path;
	int r = 0;

	if (parse_flags(cmd, w, &ca) != 0 || need_paths(cmd, w, &ca, 1) != 0)
		return -1;
	path = sftp_unescape(w->argv[ca.optind]);
	if (mkdir(path, 0777) == -1) {
		error("Couldn't create local directory \"%s\": %s", path,
		    strerror(errno));
		r = -1;
	}
	free(path);
	return r;
}

static int
cmd_lumask(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	uint32_t mask = 0;

	if (numeric_arg(cmd, w->argc > 1 ? w->argv[1] : NULL, 8,
	    &mask) != 0)
		return -1;
	if (mask > 0777) {
		error("You must supply a numeric argument to the %s command.",
		    cmd->name);
		return -1;
	}
	umask((mode_t)mask);
	printf("Local umask: %03o\n", (unsigned int)mask);
	return 0;
}

static int
cmd_mkdir(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	struct sftp_attrs a;
	struct cmd_args ca;
	char *path;
	int r;

	if (parse_flags(cmd, w, &ca) != 0 || need_paths(cmd, w, &ca, 1) != 0)
		return -1;
	path = sftp_remote_path(s, w->argv[ca.optind], 0);
	sftp_attrs_clear(&a);
	a.flags = SSH2_FILEXFER_ATTR_PERMISSIONS;
	a.perm = 0777;
	r = sftpc_mkdir(s->conn, path, &a, 0);
	free(path);
	return r == 0 ? 0 : -1;
}

static int
cmd_rmdir(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	struct cmd_args ca;
	char *path;
	int r;

	if (parse_flags(cmd, w, &ca) != 0 || need_paths(cmd, w, &ca, 1) != 0)
		return -1;
	path = sftp_remote_path(s, w->argv[ca.optind], 0);
	r = sftpc_rmdir(s->conn, path);
	free(path);
	return r == 0 ? 0 : -1;
}

static int
cmd_rm(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	struct cmd_args ca;
	char **paths;
	size_t i, n;
	int err = 0;

	if (parse_flags(cmd, w, &ca) != 0 || need_paths(cmd, w, &ca, 1) != 0)
		return -1;
	paths = remote_glob_nocheck(s, w->argv[ca.optind], &n);
	for (i = 0; i < n && !sftp_interrupted; i++) {
		if (!s->quiet)
			printf("Removing %s\n", paths[i]);
		if (sftpc_remove(s->conn, paths[i]) != 0)
			err = -1;
	}
	free_paths(paths, n);
	return err;
}

/* Two plain (not globbed) absolute remote paths of a command. */
static int
two_paths(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, struct cmd_args *ca, char **p1, char **p2)
{
	if (parse_flags(cmd, w, ca) != 0 || need_paths(cmd, w, ca, 2) != 0)
		return -1;
	*p1 = sftp_remote_path(s, w->argv[ca->optind], 0);
	*p2 = sftp_remote_path(s, w->argv[ca->optind + 1], 0);
	return 0;
}

static int
cmd_rename(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	struct cmd_args ca;
	char *p1, *p2;
	int r;

	if (two_paths(s, cmd, w, &ca, &p1, &p2) != 0)
		return -1;
	r = sftpc_rename(s->conn, p1, p2, ca.seen['l']);
	free(p1);
	free(p2);
	return r == 0 ? 0 : -1;
}

static int
cmd_copy(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	struct cmd_args ca;
	char *p1, *p2;
	int r;

	if (two_paths(s, cmd, w, &ca, &p1, &p2) != 0)
		return -1;
	r = sftpc_copy(s->conn, p1, p2);
	free(p1);
	free(p2);
	return r == 0 ? 0 : -1;
}

static int
do_link(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, int sym)
{
	struct cmd_args ca;
	char *p1, *p2;
	int r;

	if (parse_flags(cmd, w, &ca) != 0 || need_paths(cmd, w, &ca, 2) != 0)
		return -1;
	sym = sym || ca.seen['s'];
	/* A symlink's target is stored as typed (relative stays so). */
	p1 = sym ? sftp_unescape(w->argv[ca.optind]) :
	    sftp_remote_path(s, w->argv[ca.optind], 0);
	p2 = sftp_remote_path(s, w->argv[ca.optind + 1], 0);
	r = sym ? sftpc_symlink(s->conn, p1, p2) :
	    sftpc_hardlink(s->conn, p1, p2);
	free(p1);
	free(p2);
	return r == 0 ? 0 : -1;
}

static int
cmd_ln(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	return do_link(s, cmd, w, 0);
}

static int
cmd_symlink(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	return do_link(s, cmd, w, 1);
}

/* Apply attrs (mode) to each match: chmod. */
static int
cmd_chmod(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	struct sftp_attrs a;
	struct cmd_args ca;
	uint32_t mode;
	char **paths;
	size_t i, n;
	int err = 0;

	if (parse_flags(cmd, w, &ca) != 0 ||
	    numeric_arg(cmd, w->argc > ca.optind ? w->argv[ca.optind] : NULL,
	    8, &mode) != 0)
		return -1;
	ca.optind++;
	if (need_paths(cmd, w, &ca, 1) != 0)
		return -1;
	sftp_attrs_clear(&a);
	a.flags = SSH2_FILEXFER_ATTR_PERMISSIONS;
	a.perm = mode;
	paths = remote_glob_nocheck(s, w->argv[ca.optind], &n);
	for (i = 0; i < n && !sftp_interrupted; i++) {
		if (!s->quiet)
			printf("Changing mode on %s\n", paths[i]);
		if ((ca.seen['h'] ? sftpc_lsetstat(s->conn, paths[i], &a) :
		    sftpc_setstat(s->conn, paths[i], &a)) != 0) {
			err = -1;
			if (s->batch)
				break;
		}
	}
	free_paths(paths, n);
	return err;
}

/* chown and chgrp: keep the other id, change this one. */
static int
chown_one(struct sftp_session *s, const char *path, int group, int hflag,
    uint32_t id)
{
	struct sftp_attrs a;

	if ((hflag ? sftpc_lstat(s->conn, path, 0, &a) :
	    sftpc_stat(s->conn, path, 0, &a)) != 0)
		return -1;
	if (!(a.flags & SSH2_FILEXFER_ATTR_UIDGID)) {
		error("Can't get current ownership of remote file \"%s\"",
		    path);
		return -1;
	}
	a.flags &= SSH2_FILEXFER_ATTR_UIDGID;
	if (group) {
		if (!s->quiet)
			printf("Changing group on %s\n", path);
		a.gid = id;
	} else {
		if (!s->quiet)
			printf("Changing owner on %s\n", path);
		a.uid = id;
	}
	if ((hflag ? sftpc_lsetstat(s->conn, path, &a) :
	    sftpc_setstat(s->conn, path, &a)) != 0)
		return -1;
	return 0;
}

static int
cmd_chown(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	struct cmd_args ca;
	uint32_t id;
	char **paths;
	size_t i, n;
	int err = 0;

	if (parse_flags(cmd, w, &ca) != 0 ||
	    numeric_arg(cmd, w->argc > ca.optind ? w->argv[ca.optind] : NULL,
	    10, &id) != 0)
		return -1;
	ca.optind++;
	if (need_paths(cmd, w, &ca, 1) != 0)
		return -1;
	paths = remote_glob_nocheck(s, w->argv[ca.optind], &n);
	for (i = 0; i < n && !sftp_interrupted; i++) {
		if (chown_one(s, paths[i], strcmp(cmd->name, "chgrp") == 0,
		    ca.seen['h'], id) != 0) {
			err = -1;
			if (s->batch)
				break;
		}
	}
	free_paths(paths, n);
	return err;
}

static int
cmd_df(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	struct cmd_args ca;
	char *path;
	int r;

	if (parse_flags(cmd, w, &ca) != 0)
		return -1;
	if (ca.seen['h'] && ca.seen['i']) {
		error("%s: Only one of -h or -i may be specified", cmd->name);
		return -1;
	}
	path = w->argc > ca.optind ?
	    sftp_remote_path(s, w->argv[ca.optind], 0) : xstrdup(s->cwd);
	r = sftp_cmd_df(s, path, ca.seen['h'], ca.seen['i']);
	free(path);
	return r;
}

static int
cmd_ls(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	struct cmd_args ca;
	int flags = LS_NAME_SORT;

	if (parse_flags(cmd, w, &ca) != 0)
		return -1;
	if (ca.seen['l'])
		flags |= LS_LONG;
	if (ca.seen['1'])
		flags |= LS_SHORT;
	if (ca.seen['n'])
		flags |= LS_LONG | LS_NUMERIC;
	if (ca.seen['h'])
		flags |= LS_SI;
	if (ca.seen['a'])
		flags |= LS_ALL;
	if (ca.seen['r'])
		flags |= LS_REVERSE;
	if (ca.seen['f'])
		flags &= ~LS_SORT_MASK;
	if (ca.seen['S'])
		flags = (flags & ~LS_SORT_MASK) | LS_SIZE_SORT;
	if (ca.seen['t'])
		flags = (flags & ~LS_SORT_MASK) | LS_TIME_SORT;
	return sftp_cmd_ls(s, w->argc > ca.optind ? w->argv[ca.optind] :
	    NULL, flags);
}

/* get, reget, mget: flags, then remote [local]. */
static int
cmd_get(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	struct cmd_args ca;

	if (parse_flags(cmd, w, &ca) != 0)
		return -1;
	if (w->argc - ca.optind < 1) {
		error("You must specify at least one path after a %s command.",
		    cmd->name);
		return -1;
	}
	return sftp_cmd_get(s, w->argc - ca.optind, w->argv + ca.optind,
	    ca.seen['a'] || strcmp(cmd->name, "reget") == 0, ca.seen['f'],
	    ca.seen['p'] || ca.seen['P'], ca.seen['r'] || ca.seen['R']);
}

static int
cmd_put(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	struct cmd_args ca;

	if (parse_flags(cmd, w, &ca) != 0)
		return -1;
	if (w->argc - ca.optind < 1) {
		error("You must specify at least one path after a %s command.",
		    cmd->name);
		return -1;
	}
	return sftp_cmd_put(s, w->argc - ca.optind, w->argv + ca.optind,
	    ca.seen['a'] || strcmp(cmd->name, "reput") == 0, ca.seen['f'],
	    ca.seen['p'] || ca.seen['P'], ca.seen['r'] || ca.seen['R']);
}

/* ------------------------------------------------------------ shell */

int
sftp_local_shell(const char *cmd)
{
	const char *shell, *base;
	pid_t pid;
	int status;

	if ((shell = getenv("SHELL")) == NULL || *shell == '\0')
		shell = "/bin/sh";
	base = strrchr(shell, '/');
	base = base != NULL ? base + 1 : shell;
	fflush(stdout);
	if ((pid = fork()) == -1) {
		error("Couldn't fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		if (cmd == NULL || *cmd == '\0')
			execl(shell, base, (char *)NULL);
		else
			execl(shell, base, "-c", cmd, (char *)NULL);
		fprintf(stderr, "Couldn't execute \"%s\": %s\n", shell,
		    strerror(errno));
		_exit(1);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			error("Couldn't wait for child: %s", strerror(errno));
			return -1;
		}
	if (!WIFEXITED(status)) {
		error("Shell exited abnormally");
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		error("Shell exited with status %d", WEXITSTATUS(status));
		return -1;
	}
	return 0;
}

static int
cmd_shell(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	return sftp_local_shell(rest);
}

static int
cmd_lls(struct sftp_session *s, const struct sftp_cmd *cmd,
    struct sftp_words *w, const char *rest)
{
	char *line;
	int r;

	if (rest == NULL || *rest == '\0')
		return sftp_local_shell("ls");
	xasprintf(&line, "ls %s", rest);
	r = sftp_local_shell(line);
	free(line);
	return r;
}

/* ------------------------------------------------------------ dispatch */

static const struct sftp_cmd *
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCMDS; i++) {
		if (strcmp(sftp_cmds[i].name, name) == 0)
			return &sftp_cmds[i];
	}
	return NULL;
}

/* The text after the command word (for ! and lls), spaces skipped. */
static const char *
rest_of_line(const char *line, const struct sftp_words *w)
{
	const char *p;

	if (w->argc < 2)
		return "";
	p = line + w->start[1];
	return p;
}

enum sftp_cmd_result
sftp_run_command(struct sftp_session *s, const char *line,
    int *ignore_errorsp, int *no_echop)
{
	const struct sftp_cmd *cmd;
	struct sftp_words w;
	const char *p = line;
	char *dup;
	size_t len;
	int r;

	*ignore_errorsp = *no_echop = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	/* "-" ignores the command's failure, "@" does not echo it. */
	for (; *p == '-' || *p == '@'; p++) {
		if (*p == '-')
			*ignore_errorsp = 1;
		else
			*no_echop = 1;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	dup = xstrdup(p);
	len = strlen(dup);
	while (len > 0 && (dup[len - 1] == '\n' || dup[len - 1] == '\r'))
		dup[--len] = '\0';
	if (*dup == '\0' || *dup == '#') {
		free(dup);
		return SFTP_CMD_OK;
	}
	if (*dup == '!') {
		r = sftp_local_shell(dup + 1);
		free(dup);
		return r == 0 ? SFTP_CMD_OK : SFTP_CMD_ERROR;
	}
	if (sftp_split_words(dup, 0, &w) != 0) {
		free(dup);
		return SFTP_CMD_ERROR;
	}
	if (w.argc == 0) {
		sftp_words_free(&w);
		free(dup);
		return SFTP_CMD_OK;
	}
	if ((cmd = find_command(w.argv[0])) == NULL) {
		error("Invalid command.");
		sftp_words_free(&w);
		free(dup);
		return SFTP_CMD_ERROR;
	}
	r = cmd->fn(s, cmd, &w, rest_of_line(dup, &w));
	sftp_words_free(&w);
	free(dup);
	if (r > 0)
		return SFTP_CMD_QUIT;
	return r == 0 ? SFTP_CMD_OK : SFTP_CMD_ERROR;
}
