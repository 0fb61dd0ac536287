/*
 * sftp-ls.c: sftp's "ls" and "df": remote listings in columns or long
 * form (with owner names from users-groups-by-id@openssh.com), sorted
 * by name, time or size, and file system statistics (sftp-prog.h).
 * The layout is OpenSSH's, so scripts that read it keep working.
 */
#include "includes.h"

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>

#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "xmalloc.h"
#include "sftp.h"
#include "sftp-common.h"
#include "sftp-client.h"
#include "sftp-prog.h"

/* Owner names of one listing, by id. */
struct ls_names {
	uint32_t	*uids;
	char		**unames;
	size_t		 nu;
	uint32_t	*gids;
	char		**gnames;
	size_t		 ng;
	char		 ubuf[16];
	char		 gbuf[16];
};

/* ------------------------------------------------------------ formats */

void
sftp_fmt_scaled(unsigned long long n, char *out, size_t outlen)
{
	static const char units[] = "BKMGTPE";
	unsigned long long div = 1, tenths;
	size_t u = 0;

	if (n < 1024) {
		snprintf(out, outlen, "%lluB", n);
		return;
	}
	while (u + 1 < sizeof(units) - 1 && n / div >= 1024) {
		div *= 1024;
		u++;
	}
	/* One decimal below 100 units, rounded half up. */
	tenths = (n / div) * 10 + ((n % div) * 10 + div / 2) / div;
	if (tenths >= 1000)
		snprintf(out, outlen, "%llu%c", (tenths + 5) / 10, units[u]);
	else
		snprintf(out, outlen, "%llu.%llu%c", tenths / 10, tenths % 10,
		    units[u]);
}

char *
sftp_ls_line(const char *name, const struct stat *st, int remote, int si,
    const char *user, const char *group)
{
	char mode[SFTP_MODE_STRING_LEN], links[16], ubuf[16], gbuf[16];
	char date[64] = "", size[32], *line;
	struct tm tm;
	time_t now = time(NULL);
	const time_t half_year = 365 * 24 * 60 * 60 / 2;
	int ulen, glen;

	sftp_mode_string(st->st_mode, mode);
	if (remote)
		strlcpy(links, "?", sizeof(links));
	else
		snprintf(links, sizeof(links), "%u", (u_int)st->st_nlink);
	if (user == NULL) {
		snprintf(ubuf, sizeof(ubuf), "%u", (u_int)st->st_uid);
		user = ubuf;
	}
	if (group == NULL) {
		snprintf(gbuf, sizeof(gbuf), "%u", (u_int)st->st_gid);
		group = gbuf;
	}
	if (st->st_mtime != 0 && localtime_r(&st->st_mtime, &tm) != NULL) {
		if (now - half_year < st->st_mtime && now >= st->st_mtime)
			strftime(date, sizeof(date), "%b %e %H:%M", &tm);
		else
			strftime(date, sizeof(date), "%b %e  %Y", &tm);
	}
	if (si)
		sftp_fmt_scaled((unsigned long long)st->st_size, size,
		    sizeof(size));
	else
		snprintf(size, sizeof(size), "%llu",
		    (unsigned long long)st->st_size);
	ulen = MAXIMUM((int)strlen(user), 8);
	glen = MAXIMUM((int)strlen(group), 8);
	xasprintf(&line, "%s  %3s %-*s %-*s %8s %s %s", mode, links, ulen,
	    user, glen, group, size, date, name);
	return line;
}

/* dir + "/" + name (no doubled slash); never NULL. */
static char *
path_append_x(const char *dir, const char *name)
{
	char *p;

	if ((p = path_append(dir, name)) == NULL)
		fatal("%s: out of memory", __func__);
	return p;
}

/* ------------------------------------------------------------ names */

/* Add id to the list if it is not there yet. */
static void
names_add_id(uint32_t **idsp, size_t *np, uint32_t id)
{
	size_t i;

	for (i = 0; i < *np; i++)
		if ((*idsp)[i] == id)
			return;
	*idsp = xreallocarray(*idsp, *np + 1, sizeof(**idsp));
	(*idsp)[(*np)++] = id;
}

/* Ask the server for the names of the owners in ents (if it can). */
static void
names_fetch(struct sftp_session *s, struct sftpc_dirent **ents, size_t n,
    struct ls_names *nm)
{
	size_t i;

	memset(nm, 0, sizeof(*nm));
	if (!sftpc_has_ext(s->conn, SFTPC_EXT_USERS_GROUPS))
		return;
	for (i = 0; i < n; i++) {
		if (!(ents[i]->a.flags & SSH2_FILEXFER_ATTR_UIDGID))
			continue;
		names_add_id(&nm->uids, &nm->nu, ents[i]->a.uid);
		names_add_id(&nm->gids, &nm->ng, ents[i]->a.gid);
	}
	if (nm->nu + nm->ng == 0)
		return;
	if (sftpc_users_groups_by_id(s->conn, nm->uids, nm->nu, nm->gids,
	    nm->ng, &nm->unames, &nm->gnames) != 0) {
		nm->unames = nm->gnames = NULL;
	}
}

/* The name of id, or NULL (printed as a number). */
static const char *
names_lookup(const uint32_t *ids, char **names, size_t n, uint32_t id)
{
	size_t i;

	if (names == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return *names[i] != '\0' ? names[i] : NULL;
	return NULL;
}

static void
names_free(struct ls_names *nm)
{
	sftpc_names_free(nm->unames, nm->nu);
	sftpc_names_free(nm->gnames, nm->ng);
	free(nm->uids);
	free(nm->gids);
	memset(nm, 0, sizeof(*nm));
}

/* ------------------------------------------------------------ sorting */

static int ls_sort_flags;

static int
ls_compare(const void *aa, const void *bb)
{
	const struct sftpc_dirent *a = *(const struct sftpc_dirent *const *)aa;
	const struct sftpc_dirent *b = *(const struct sftpc_dirent *const *)bb;
	int rmul = (ls_sort_flags & LS_REVERSE) ? -1 : 1, c = 0;

	if (ls_sort_flags & LS_NAME_SORT)
		c = strcmp(a->filename, b->filename);
	else if (ls_sort_flags & LS_TIME_SORT)
		c = a->a.mtime == b->a.mtime ? 0 :
		    (a->a.mtime < b->a.mtime ? 1 : -1);
	else if (ls_sort_flags & LS_SIZE_SORT)
		c = a->a.size == b->a.size ? 0 :
		    (a->a.size < b->a.size ? 1 : -1);
	return c * rmul;
}

static void
ls_sort(struct sftpc_dirent **ents, size_t n, int flags)
{
	if (!(flags & LS_SORT_MASK) || n < 2)
		return;
	ls_sort_flags = flags;
	qsort(ents, n, sizeof(*ents), ls_compare);
}

/* ------------------------------------------------------------ output */

/* Column layout of a short listing: longest name m. */
struct ls_cols {
	int	columns;
	int	colspace;
	int	c;		/* column of the next name */
};

static void
ls_cols_init(struct ls_cols *lc, size_t m)
{
	struct winsize ws;
	int width = 80;

	if (ioctl(fileno(stdin), TIOCGWINSZ, &ws) != -1 && ws.ws_col > 0)
		width = ws.ws_col;
	lc->columns = width / (int)(m + 2);
	if (lc->columns < 1)
		lc->columns = 1;
	lc->colspace = MINIMUM(width / lc->columns, width);
	lc->c = 1;
}

static void
ls_cols_put(struct ls_cols *lc, const char *name)
{
	printf("%-*s", lc->colspace, name);
	if (lc->c >= lc->columns) {
		printf("\n");
		lc->c = 1;
	} else
		lc->c++;
}

static void
ls_cols_end(struct ls_cols *lc)
{
	if (lc->c != 1)
		printf("\n");
}

/* One long-form line for entry e shown as fname. */
static void
ls_long(struct sftp_session *s, const struct sftpc_dirent *e,
    const char *fname, int flags, const struct ls_names *nm)
{
	const char *user = NULL, *group = NULL;
	struct stat st;
	char *line;

	sftp_attrs_to_stat(&e->a, &st);
	if (!(flags & LS_NUMERIC)) {
		user = names_lookup(nm->uids, nm->unames, nm->nu, e->a.uid);
		group = names_lookup(nm->gids, nm->gnames, nm->ng, e->a.gid);
	}
	line = sftp_ls_line(fname, &st, 1, flags & LS_SI, user, group);
	printf("%s\n", line);
	free(line);
}

/* List the contents of remote directory path. */
static int
ls_dir(struct sftp_session *s, const char *path, const char *strip,
    int flags)
{
	struct sftpc_dirent **ents = NULL;
	struct ls_names nm;
	struct ls_cols lc;
	size_t i, n = 0, m = 0;
	char *full, *fname, *stripped;
	int use_longname;

	if (sftpc_readdir_all(s->conn, path, 0, &ents, &n) != 0)
		return -1;
	memset(&lc, 0, sizeof(lc));
	if (!(flags & (LS_LONG | LS_SHORT))) {
		for (i = 0; i < n; i++)
			if (ents[i]->filename[0] != '.' || (flags & LS_ALL))
				m = MAXIMUM(m, strlen(ents[i]->filename));
		stripped = sftp_path_strip(path, strip);
		m += strlen(stripped);
		free(stripped);
		ls_cols_init(&lc, m);
	}
	ls_sort(ents, n, flags);
	memset(&nm, 0, sizeof(nm));
	use_longname = (flags & LS_LONG) && !(flags & (LS_NUMERIC | LS_SI)) &&
	    !sftpc_has_ext(s->conn, SFTPC_EXT_USERS_GROUPS);
	if ((flags & LS_LONG) && !(flags & LS_NUMERIC) && !use_longname)
		names_fetch(s, ents, n, &nm);
	for (i = 0; i < n && !sftp_interrupted; i++) {
		if (ents[i]->filename[0] == '.' && !(flags & LS_ALL))
			continue;
		full = path_append_x(path, ents[i]->filename);
		fname = sftp_path_strip(full, strip);
		free(full);
		if (use_longname)
			printf("%s\n", ents[i]->longname);
		else if (flags & LS_LONG)
			ls_long(s, ents[i], fname, flags, &nm);
		else if (flags & LS_SHORT)
			printf("%s\n", fname);
		else
			ls_cols_put(&lc, fname);
		free(fname);
	}
	if (!(flags & (LS_LONG | LS_SHORT)))
		ls_cols_end(&lc);
	names_free(&nm);
	sftpc_dirents_free(ents, n);
	return 0;
}

/* The glob matches as their own listing (several, or not a directory). */
static void
ls_matches(struct sftp_session *s, struct sftpc_dirent **ents, size_t n,
    const char *strip, int flags)
{
	struct ls_names nm;
	struct ls_cols lc;
	size_t i, m = 0;
	char *fname;

	memset(&lc, 0, sizeof(lc));
	memset(&nm, 0, sizeof(nm));
	if (!(flags & (LS_LONG | LS_SHORT))) {
		for (i = 0; i < n; i++)
			m = MAXIMUM(m, strlen(ents[i]->filename));
		ls_cols_init(&lc, m);
	}
	ls_sort(ents, n, flags);
	if ((flags & LS_LONG) && !(flags & LS_NUMERIC))
		names_fetch(s, ents, n, &nm);
	for (i = 0; i < n && !sftp_interrupted; i++) {
		fname = sftp_path_strip(ents[i]->filename, strip);
		if (flags & LS_LONG)
			ls_long(s, ents[i], fname, flags, &nm);
		else if (flags & LS_SHORT)
			printf("%s\n", fname);
		else
			ls_cols_put(&lc, fname);
		free(fname);
	}
	if (!(flags & (LS_LONG | LS_SHORT)))
		ls_cols_end(&lc);
	names_free(&nm);
}

/* Mark directories with a trailing '/', as glob(3) GLOB_MARK does. */
static void
ls_mark_dirs(struct sftpc_dirent **ents, size_t n)
{
	size_t i, len;
	char *p;

	for (i = 0; i < n; i++) {
		len = strlen(ents[i]->filename);
		if (!(ents[i]->a.flags & SSH2_FILEXFER_ATTR_PERMISSIONS) ||
		    !S_ISDIR(ents[i]->a.perm) || len == 0 ||
		    ents[i]->filename[len - 1] == '/')
			continue;
		xasprintf(&p, "%s/", ents[i]->filename);
		free(ents[i]->filename);
		ents[i]->filename = p;
	}
}

int
sftp_cmd_ls(struct sftp_session *s, const char *word, int flags)
{
	struct sftpc_dirent **ents = NULL;
	const char *strip;
	char *pat, *plain;
	size_t n = 0;
	int r;

	if (word == NULL)
		return ls_dir(s, s->cwd, s->cwd, flags);
	strip = (word[0] == '/' || word[0] == '~') ? NULL : s->cwd;
	pat = sftp_remote_path(s, word, 1);
	if ((r = sftpc_glob(s->conn, pat, NULL, &ents, &n)) != 0) {
		plain = sftp_unescape(pat);
		if (r == ERR_NO_BUFFER_SPACE)
			error("Can't ls: Too many matches for \"%s\"", plain);
		else
			error("Can't ls: \"%s\" not found", plain);
		free(plain);
		free(pat);
		return -1;
	}
	free(pat);
	ls_mark_dirs(ents, n);
	if (n == 1 && (ents[0]->a.flags & SSH2_FILEXFER_ATTR_PERMISSIONS) &&
	    S_ISDIR(ents[0]->a.perm))
		r = ls_dir(s, ents[0]->filename, strip, flags);
	else {
		ls_matches(s, ents, n, strip, flags);
		r = 0;
	}
	sftpc_dirents_free(ents, n);
	return r;
}

/* ------------------------------------------------------------ df */

int
sftp_cmd_df(struct sftp_session *s, const char *path, int hflag,
    int iflag)
{
	struct sftpc_statvfs st;
	char sz[5][32];
	unsigned long long total, used, avail, root, cap;

	if (!sftpc_has_ext(s->conn, SFTPC_EXT_STATVFS)) {
		error("Server does not support statvfs@openssh.com extension");
		return -1;
	}
	if (sftpc_statvfs(s->conn, path, &st) != 0)
		return -1;
	if (iflag) {
		used = st.f_files - st.f_ffree;
		cap = st.f_files ? 100 * used / st.f_files : 0;
		printf("%11s %11s %11s %11s %12s\n", "Inodes", "Used",
		    "Avail", "(root)", "%Capacity");
		printf("%11llu %11llu %11llu %11llu %11llu%%\n",
		    (unsigned long long)st.f_files, used,
		    (unsigned long long)st.f_favail,
		    (unsigned long long)st.f_ffree, cap);
		return 0;
	}
	total = st.f_frsize * st.f_blocks;
	used = st.f_frsize * (st.f_blocks - st.f_bfree);
	avail = st.f_frsize * st.f_bavail;
	root = st.f_frsize * st.f_bfree;
	cap = st.f_blocks ?
	    100 * (st.f_blocks - st.f_bfree) / st.f_blocks : 0;
	if (hflag) {
		sftp_fmt_scaled(total, sz[0], sizeof(sz[0]));
		sftp_fmt_scaled(used, sz[1], sizeof(sz[1]));
		sftp_fmt_scaled(avail, sz[2], sizeof(sz[2]));
		sftp_fmt_scaled(root, sz[3], sizeof(sz[3]));
		printf("%8s %8s %8s %8s %12s\n", "Size", "Used", "Avail",
		    "(root)", "%Capacity");
		printf("%7sB %7sB %7sB %7sB %11llu%%\n", sz[0], sz[1], sz[2],
		    sz[3], cap);
		return 0;
	}
	printf("%12s %12s %12s %12s %12s\n", "Size", "Used", "Avail",
	    "(root)", "%Capacity");
	printf("%12llu %12llu %12llu %12llu %11llu%%\n", total / 1024,
	    used / 1024, avail / 1024, root / 1024, cap);
	return 0;
}
