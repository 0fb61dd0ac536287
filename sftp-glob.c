/*
 * sftp-glob.c: sh(1)-style wildcards over the server's files, for sftp
 * and scp (sftpc_glob() in sftp-client.h).
 *
 * The pattern is taken one '/'-separated component at a time: a
 * component without wildcards is appended as it is (backslashes
 * removed); one with wildcards lists every directory reached so far and
 * keeps the names that match (fnmatch(3), a leading '.' only matched
 * by a '.').  A final component without wildcards must exist (LSTAT).
 */
#include "includes.h"

#include <sys/stat.h>
#include <fnmatch.h>

#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "sftp.h"
#include "sftp-common.h"
#include "sftp-client.h"
#include "sftp-client-impl.h"

/* No glob grows beyond this many results. */
#define GLOB_MAX_RESULTS	(1 << 20)

/* The paths reached so far, with attributes where known. */
struct glob_set {
	struct sftpc_dirent	**ents;
	size_t			  n;
	size_t			  cap;
};

int
sftpc_has_wildcards(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' && s[1] != '\0')
			s++;
		else if (*s == '*' || *s == '?' || *s == '[')
			return 1;
	}
	return 0;
}

/* Copy s[0..len) without the backslashes of escapes. */
static char *
glob_unescape(const char *s, size_t len)
{
	char *out;
	size_t i, o = 0;

	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len)
			i++;
		out[o++] = s[i];
	}
	out[o] = '\0';
	return out;
}

static void
glob_set_free(struct glob_set *gs)
{
	sftpc_dirents_free(gs->ents, gs->n);
	memset(gs, 0, sizeof(*gs));
}

/* Add path (with attrs a, or none) to the set. */
static int
glob_set_add(struct glob_set *gs, const char *path,
    const struct sftp_attrs *a)
{
	struct sftpc_dirent *ent;
	int r;

	if (gs->n >= GLOB_MAX_RESULTS)
		return ERR_NO_BUFFER_SPACE;
	if ((r = sftpc_dirent_new(path, NULL, a, &ent)) != 0)
		return r;
	if ((r = sftpc_dirents_append(&gs->ents, &gs->n, &gs->cap,
	    ent)) != 0) {
		sftpc_dirent_free(ent);
		return r;
	}
	return 0;
}

/* prefix joined with name ("" prefix: name alone). */
static char *
glob_join(const char *prefix, const char *name)
{
	if (*prefix == '\0')
		return strdup(name);
	return path_append(prefix, name);
}

static int
glob_cmp(const void *a, const void *b)
{
	const struct sftpc_dirent *const *ea = a, *const *eb = b;

	return strcmp((*ea)->filename, (*eb)->filename);
}

/* The matches of comp (a pattern) in directory dir, added to next. */
static int
glob_list_dir(struct sftp_conn *conn, const char *dir, const char *comp,
    int last, struct glob_set *next)
{
	struct sftpc_dirent **ents = NULL;
	const struct sftpc_dirent *e;
	size_t i, n = 0, first = next->n;
	char *path;
	int r;

	if (sftpc_readdir_all(conn, *dir == '\0' ? "." : dir, 1, &ents,
	    &n) != 0)
		return sftpc_is_dead(conn) ? ERR_CONN_CLOSED : 0;
	for (i = 0, r = 0; i < n && r == 0; i++) {
		e = ents[i];
		if (fnmatch(comp, e->filename, FNM_PERIOD) != 0)
			continue;
		/* Only directories (or links to them) lead further. */
		if (!last && (e->a.flags & SSH2_FILEXFER_ATTR_PERMISSIONS) &&
		    !S_ISDIR(e->a.perm) && !S_ISLNK(e->a.perm))
			continue;
		if ((path = glob_join(dir, e->filename)) == NULL) {
			r = ERR_ALLOC_FAIL;
			break;
		}
		r = glob_set_add(next, path, &e->a);
		free(path);
	}
	sftpc_dirents_free(ents, n);
	if (r == 0 && next->n > first)
		qsort(next->ents + first, next->n - first,
		    sizeof(*next->ents), glob_cmp);
	return r;
}

/* One component applied to every path of cur, giving next. */
static int
glob_step(struct sftp_conn *conn, const char *comp, size_t len, int last,
    struct glob_set *cur, struct glob_set *next)
{
	char *pat = NULL, *lit = NULL, *path;
	size_t i;
	int r = 0;

	if ((pat = strndup(comp, len)) == NULL)
		return ERR_ALLOC_FAIL;
	if (!sftpc_has_wildcards(pat)) {
		if ((lit = glob_unescape(comp, len)) == NULL) {
			free(pat);
			return ERR_ALLOC_FAIL;
		}
	}
	for (i = 0; i < cur->n && r == 0; i++) {
		if (sftpc_interrupted(conn)) {
			r = ERR_INTERRUPTED;
			break;
		}
		if (lit == NULL) {
			r = glob_list_dir(conn, cur->ents[i]->filename, pat,
			    last, next);
			continue;
		}
		if ((path = glob_join(cur->ents[i]->filename, lit)) == NULL) {
			r = ERR_ALLOC_FAIL;
			break;
		}
		r = glob_set_add(next, path, NULL);
		free(path);
	}
	free(pat);
	free(lit);
	return r;
}

/* Final literal components must exist: LSTAT them, drop the missing. */
static int
glob_check_exists(struct sftp_conn *conn, struct glob_set *gs)
{
	struct sftpc_dirent **kept = NULL;
	struct sftp_attrs a;
	size_t i, n = 0, cap = 0;
	int r = 0;

	for (i = 0; i < gs->n; i++) {
		if (r == 0 && gs->ents[i]->a.flags == 0) {
			if (sftpc_lstat(conn, gs->ents[i]->filename, 1,
			    &a) != 0) {
				if (sftpc_is_dead(conn))
					r = ERR_CONN_CLOSED;
				sftpc_dirent_free(gs->ents[i]);
				continue;
			}
			gs->ents[i]->a = a;
		}
		if (r == 0 && (r = sftpc_dirents_append(&kept, &n, &cap,
		    gs->ents[i])) == 0)
			continue;
		sftpc_dirent_free(gs->ents[i]);
	}
	free(gs->ents);
	gs->ents = kept;
	gs->n = n;
	gs->cap = cap;
	return r;
}

/* Walk the components of path, leaving the matches in *gs. */
static int
glob_walk(struct sftp_conn *conn, const char *path, struct glob_set *gs)
{
	struct glob_set next;
	const char *p = path, *slash;
	size_t len;
	int r, last, literal_last = 1;

	memset(&next, 0, sizeof(next));
	if ((r = glob_set_add(gs, *path == '/' ? "/" : "", NULL)) != 0)
		return r;
	while (*p == '/')
		p++;
	while (*p != '\0' && gs->n > 0) {
		slash = strchr(p, '/');
		len = slash != NULL ? (size_t)(slash - p) : strlen(p);
		while (slash != NULL && slash[1] == '/')
			slash++;
		last = slash == NULL || slash[1] == '\0';
		if (last) {
			char *c = strndup(p, len);

			if (c == NULL)
				return ERR_ALLOC_FAIL;
			literal_last = !sftpc_has_wildcards(c);
			free(c);
		}
		if ((r = glob_step(conn, p, len, last, gs, &next)) != 0) {
			glob_set_free(&next);
			return r;
		}
		glob_set_free(gs);
		*gs = next;
		memset(&next, 0, sizeof(next));
		p = slash == NULL ? p + len : slash + 1;
	}
	if (literal_last)
		return glob_check_exists(conn, gs);
	return 0;
}

/* Matches that are symlinks get the attributes of what they name. */
static int
glob_follow_links(struct sftp_conn *conn, struct glob_set *gs)
{
	struct sftp_attrs a;
	size_t i;

	for (i = 0; i < gs->n; i++) {
		if (!(gs->ents[i]->a.flags & SSH2_FILEXFER_ATTR_PERMISSIONS) ||
		    !S_ISLNK(gs->ents[i]->a.perm))
			continue;
		if (sftpc_stat(conn, gs->ents[i]->filename, 1, &a) == 0)
			gs->ents[i]->a = a;
		else if (sftpc_is_dead(conn))
			return ERR_CONN_CLOSED;
	}
	return 0;
}

int
sftpc_glob(struct sftp_conn *conn, const char *pattern, const char *cwd,
    struct sftpc_dirent ***entsp, size_t *nentsp)
{
	struct glob_set gs;
	char *path = NULL;
	int r = ERR_INTERNAL;

	*entsp = NULL;
	*nentsp = 0;
	memset(&gs, 0, sizeof(gs));
	if ((path = sftpc_make_absolute(pattern, cwd)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = glob_walk(conn, path, &gs)) != 0)
		goto out;
	/* "/" alone (or "" for "."): the start itself. */
	if (gs.n == 1 && gs.ents[0]->a.flags == 0 &&
	    (r = glob_check_exists(conn, &gs)) != 0)
		goto out;
	if (gs.n == 0) {
		r = ERR_NOT_FOUND;
		goto out;
	}
	if ((r = glob_follow_links(conn, &gs)) != 0)
		goto out;
	*entsp = gs.ents;
	*nentsp = gs.n;
	memset(&gs, 0, sizeof(gs));
	r = 0;
 out:
	glob_set_free(&gs);
	free(path);
	return r;
}
