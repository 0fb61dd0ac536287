/*
 * sftp-complete.c: interactive line editing for sftp with libedit:
 * history, emacs keys, ~/.editrc, and tab completion of command names
 * and of local or remote paths (whichever the argument is) (sftp-prog.h).
 * Without libedit the stubs make sftp read plain lines.
 */
#include "includes.h"

#include <sys/stat.h>
#include <dirent.h>

#include "log.h"
#include "misc.h"
#include "xmalloc.h"
#include "sftp.h"
#include "sftp-common.h"
#include "sftp-client.h"
#include "sftp-prog.h"

#if USE_LIBEDIT

#include <histedit.h>

/* Bound on the candidates one completion gathers. */
#define COMPLETE_MAX	16384

struct editline_ctx {
	EditLine		*el;
	History			*hl;
	struct sftp_session	*s;
};

/* The names being offered. */
struct candidates {
	char	**names;
	int	 *isdir;
	size_t	  n;
};

static struct editline_ctx *editline_ctx;

static char *
prompt(EditLine *el)
{
	(void)el;
	return (char *)"sftp> ";
}

static void
cand_add(struct candidates *c, const char *name, int isdir)
{
	if (c->n >= COMPLETE_MAX)
		return;
	c->names = xreallocarray(c->names, c->n + 1, sizeof(*c->names));
	c->isdir = xreallocarray(c->isdir, c->n + 1, sizeof(*c->isdir));
	c->names[c->n] = xstrdup(name);
	c->isdir[c->n] = isdir;
	c->n++;
}

static void
cand_free(struct candidates *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->names[i]);
	free(c->names);
	free(c->isdir);
	memset(c, 0, sizeof(*c));
}

/* Length of the prefix all candidates share. */
static size_t
cand_common(const struct candidates *c)
{
	size_t i, len;

	if (c->n == 0)
		return 0;
	len = strlen(c->names[0]);
	for (i = 1; i < c->n; i++) {
		size_t j = 0;

		while (j < len && c->names[i][j] == c->names[0][j])
			j++;
		len = j;
	}
	return len;
}

/* Print the candidates in columns under the line being edited. */
static void
cand_list(const struct candidates *c)
{
	size_t i, m = 0;
	int columns, col = 0;

	for (i = 0; i < c->n; i++)
		m = MAXIMUM(m, strlen(c->names[i]) + (c->isdir[i] ? 1 : 0));
	columns = 80 / (int)(m + 2);
	if (columns < 1)
		columns = 1;
	printf("\n");
	for (i = 0; i < c->n; i++) {
		printf("%s%s%-*s", c->names[i], c->isdir[i] ? "/" : "",
		    (int)(m + 2 - strlen(c->names[i]) - (c->isdir[i] ? 1 : 0)),
		    "");
		if (++col >= columns) {
			printf("\n");
			col = 0;
		}
	}
	if (col != 0)
		printf("\n");
	fflush(stdout);
}

/* Names in the local directory dir starting with prefix. */
static void
local_candidates(const char *dir, const char *prefix, struct candidates *c)
{
	struct dirent *de;
	struct stat st;
	char *full;
	DIR *d;

	if ((d = opendir(*dir == '\0' ? "." : dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0 ||
		    strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    (de->d_name[0] == '.' && prefix[0] != '.'))
			continue;
		full = *dir == '\0' ? xstrdup(de->d_name) :
		    path_append(dir, de->d_name);
		cand_add(c, de->d_name, full != NULL &&
		    stat(full, &st) == 0 && S_ISDIR(st.st_mode));
		free(full);
	}
	closedir(d);
}

/* Names in the remote directory dir starting with prefix. */
static void
remote_candidates(struct sftp_session *s, const char *dir,
    const char *prefix, struct candidates *c)
{
	struct sftpc_dirent **ents = NULL;
	char *esc, *abs;
	size_t i, n = 0;
	const char *name;

	esc = sftp_escape_glob(*dir == '\0' ? "." : dir);
	abs = sftp_remote_path(s, esc, 0);
	free(esc);
	if (sftpc_readdir_all(s->conn, abs, 1, &ents, &n) != 0) {
		free(abs);
		return;
	}
	for (i = 0; i < n; i++) {
		name = ents[i]->filename;
		if (strncmp(name, prefix, strlen(prefix)) != 0 ||
		    strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
		    (name[0] == '.' && prefix[0] != '.'))
			continue;
		cand_add(c, name, (ents[i]->a.flags &
		    SSH2_FILEXFER_ATTR_PERMISSIONS) &&
		    S_ISDIR(ents[i]->a.perm));
	}
	sftpc_dirents_free(ents, n);
	free(abs);
}

/* Insert text, escaped for where the cursor is (quote state). */
static int
insert_escaped(EditLine *el, const char *text, size_t len, char quote)
{
	char *out = xcalloc(2, len + 1);
	size_t i, o = 0;
	int r;

	for (i = 0; i < len; i++) {
		if (quote == 0 && strchr(" \t'\"\\*?[]", text[i]) != NULL)
			out[o++] = '\\';
		else if (quote == '"' && (text[i] == '"' || text[i] == '\\'))
			out[o++] = '\\';
		out[o++] = text[i];
	}
	out[o] = '\0';
	r = o == 0 ? 0 : el_insertstr(el, out);
	free(out);
	return r;
}

/*
 * Complete the word w (unescaped) as a path: the part after its last
 * '/' against the names of the directory before it.
 */
static unsigned char
complete_path(EditLine *el, struct sftp_session *s, const char *word,
    int remote, char quote)
{
	struct candidates c;
	const char *slash = strrchr(word, '/');
	char *dir, *prefix;
	size_t plen, common;
	unsigned char ret = CC_ERROR;

	memset(&c, 0, sizeof(c));
	if (slash == NULL) {
		dir = xstrdup("");
		prefix = xstrdup(word);
	} else {
		dir = xstrdup(word);
		dir[slash - word + 1] = '\0';
		prefix = xstrdup(slash + 1);
	}
	if (remote)
		remote_candidates(s, dir, prefix, &c);
	else
		local_candidates(dir, prefix, &c);
	plen = strlen(prefix);
	common = cand_common(&c);
	if (c.n == 1) {
		insert_escaped(el, c.names[0] + plen, common - plen, quote);
		if (c.isdir[0])
			el_insertstr(el, "/");
		else if (quote != 0) {
			char q[3] = { quote, ' ', '\0' };

			el_insertstr(el, q);
		} else
			el_insertstr(el, " ");
		ret = CC_REFRESH;
	} else if (c.n > 1 && common > plen) {
		insert_escaped(el, c.names[0] + plen, common - plen, quote);
		ret = CC_REFRESH;
	} else if (c.n > 1) {
		cand_list(&c);
		ret = CC_REDISPLAY;
	}
	cand_free(&c);
	free(dir);
	free(prefix);
	return ret;
}

/* Complete a command name. */
static unsigned char
complete_cmd(EditLine *el, const char *word)
{
	const char *const *names = sftp_command_names();
	struct candidates c;
	size_t i, len = strlen(word), common;
	unsigned char ret = CC_ERROR;

	memset(&c, 0, sizeof(c));
	for (i = 0; names[i] != NULL; i++)
		if (strncmp(names[i], word, len) == 0)
			cand_add(&c, names[i], 0);
	common = cand_common(&c);
	if (c.n == 1) {
		el_insertstr(el, c.names[0] + len);
		el_insertstr(el, " ");
		ret = CC_REFRESH;
	} else if (c.n > 1 && common > len) {
		char *part = xstrdup(c.names[0] + len);

		part[common - len] = '\0';
		el_insertstr(el, part);
		free(part);
		ret = CC_REFRESH;
	} else if (c.n > 1) {
		cand_list(&c);
		ret = CC_REDISPLAY;
	}
	cand_free(&c);
	return ret;
}

/* Is argument number idx (0 = first path) of cmd remote? */
static int
arg_is_remote(const char *cmd, int idx)
{
	switch (sftp_command_argtype(cmd)) {
	case 1:
		return 1;
	case 3:
		return idx == 0;
	case 4:
		return idx != 0;
	default:
		return 0;
	}
}

static unsigned char
complete(EditLine *el, int ch)
{
	const LineInfo *lf = el_line(el);
	struct sftp_words w;
	char *line, *word;
	int i, idx, remote;
	unsigned char ret;

	(void)ch;
	line = xmalloc((size_t)(lf->cursor - lf->buffer) + 1);
	memcpy(line, lf->buffer, (size_t)(lf->cursor - lf->buffer));
	line[lf->cursor - lf->buffer] = '\0';
	if (sftp_split_words(line, 1, &w) != 0) {
		free(line);
		return CC_ERROR;
	}
	if (w.argc == 0 || (w.argc == 1 && !w.trailing_space)) {
		ret = complete_cmd(el, w.argc == 0 ? "" : w.argv[0]);
	} else {
		/* Which path argument the cursor is in (flags skipped). */
		for (idx = 0, i = 1; i < w.argc - (w.trailing_space ? 0 : 1);
		    i++)
			if (w.argv[i][0] != '-')
				idx++;
		remote = arg_is_remote(w.argv[0], idx);
		word = sftp_unescape(w.trailing_space ? "" :
		    w.argv[w.argc - 1]);
		ret = complete_path(el, editline_ctx->s, word, remote,
		    w.open_quote);
		free(word);
	}
	sftp_words_free(&w);
	free(line);
	return ret;
}

void *
sftp_editline_init(struct sftp_session *s)
{
	struct editline_ctx *ctx = xcalloc(1, sizeof(*ctx));
	HistEvent hev;

	ctx->s = s;
	if ((ctx->el = el_init("sftp", stdin, stdout, stderr)) == NULL) {
		free(ctx);
		return NULL;
	}
	if ((ctx->hl = history_init()) == NULL) {
		el_end(ctx->el);
		free(ctx);
		return NULL;
	}
	history(ctx->hl, &hev, H_SETSIZE, 100);
	el_set(ctx->el, EL_HIST, history, ctx->hl);
	el_set(ctx->el, EL_PROMPT, prompt);
	el_set(ctx->el, EL_EDITOR, "emacs");
	el_set(ctx->el, EL_TERMINAL, NULL);
	el_set(ctx->el, EL_SIGNAL, 1);
	el_source(ctx->el, NULL);
	el_set(ctx->el, EL_ADDFN, "ftp-complete",
	    "Context sensitive argument completion", complete);
	el_set(ctx->el, EL_BIND, "^I", "ftp-complete", NULL);
	el_set(ctx->el, EL_BIND, "^w", "ed-delete-prev-word", NULL);
	editline_ctx = ctx;
	return ctx;
}

const char *
sftp_editline_gets(void *vctx, int *countp)
{
	struct editline_ctx *ctx = vctx;
	const char *line;
	HistEvent hev;

	line = el_gets(ctx->el, countp);
	if (line != NULL && *countp > 1)
		history(ctx->hl, &hev, H_ENTER, line);
	return line;
}

void
sftp_editline_end(void *vctx)
{
	struct editline_ctx *ctx = vctx;

	if (ctx == NULL)
		return;
	el_end(ctx->el);
	history_end(ctx->hl);
	free(ctx);
	editline_ctx = NULL;
}

#else /* USE_LIBEDIT */

void *
sftp_editline_init(struct sftp_session *s)
{
	(void)s;
	return NULL;
}

const char *
sftp_editline_gets(void *el, int *countp)
{
	(void)el;
	*countp = 0;
	return NULL;
}

void
sftp_editline_end(void *el)
{
	(void)el;
}

#endif /* USE_LIBEDIT */
