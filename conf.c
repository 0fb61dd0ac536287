/*
 * conf.c: pieces shared by the configuration parsers: string lists,
 * line splitting, reading files into lines, Include globbing and named
 * values.
 */
#include "includes.h"

#include <sys/stat.h>
#include <fcntl.h>
#include <glob.h>
#include <strings.h>

#include "buf.h"
#include "conf.h"
#include "errcode.h"
#include "log.h"
#include "misc.h"

/* ------------------------------------------------------------ lists */

int
conf_strlist_take(struct conf_strlist *l, char *s)
{
	char **tmp;

	if (l->n >= CONF_LIST_MAX) {
		free(s);
		return ERR_NUMBER_TOO_LARGE;
	}
	tmp = reallocarray(l->v, (size_t)l->n + 2, sizeof(*l->v));
	if (tmp == NULL) {
		free(s);
		return ERR_ALLOC_FAIL;
	}
	l->v = tmp;
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
	return 0;
}

int
conf_strlist_add(struct conf_strlist *l, const char *s)
{
	char *cp;

	if ((cp = strdup(s)) == NULL)
		return ERR_ALLOC_FAIL;
	return conf_strlist_take(l, cp);
}

int
conf_strlist_has(const struct conf_strlist *l, const char *s)
{
	u_int i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i], s) == 0)
			return 1;
	}
	return 0;
}

void
conf_strlist_free(struct conf_strlist *l)
{
	u_int i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int
conf_strlist_copy(struct conf_strlist *dst, const struct conf_strlist *src)
{
	struct conf_strlist tmp = { NULL, 0 };
	u_int i;
	int r;

	for (i = 0; i < src->n; i++) {
		if ((r = conf_strlist_add(&tmp, src->v[i])) != 0) {
			conf_strlist_free(&tmp);
			return r;
		}
	}
	conf_strlist_move(dst, &tmp);
	return 0;
}

void
conf_strlist_move(struct conf_strlist *dst, struct conf_strlist *src)
{
	conf_strlist_free(dst);
	*dst = *src;
	src->v = NULL;
	src->n = 0;
}

char *
conf_strlist_join(const struct conf_strlist *l, const char *sep)
{
	size_t len = 1, seplen = strlen(sep);
	char *ret;
	u_int i;

	for (i = 0; i < l->n; i++)
		len += strlen(l->v[i]) + seplen;
	if ((ret = malloc(len)) == NULL)
		return NULL;
	ret[0] = '\0';
	for (i = 0; i < l->n; i++) {
		if (i != 0)
			strlcat(ret, sep, len);
		strlcat(ret, l->v[i], len);
	}
	return ret;
}

/* ------------------------------------------------------------ lines */

void
conf_line_free(struct conf_line *cl)
{
	free(cl->keyword);
	free(cl->rest);
	argv_free(cl->argv, cl->argc);
	memset(cl, 0, sizeof(*cl));
}

int
conf_line_split(const char *line, struct conf_line *cl)
{
	char *copy = NULL, *str, *kw;
	size_t len;
	int r = ERR_INTERNAL;

	memset(cl, 0, sizeof(*cl));
	if ((copy = strdup(line)) == NULL)
		return ERR_ALLOC_FAIL;
	/* Trailing white space (and a DOS line end, a form feed) is noise. */
	len = strlen(copy);
	while (len > 0 && strchr(" \t\r\n\f", copy[len - 1]) != NULL)
		copy[--len] = '\0';
	str = copy + strspn(copy, " \t\f");
	if (*str == '\0' || *str == '#') {
		r = 0;		/* blank or comment */
		goto out;
	}
	if ((kw = strdelim(&str)) == NULL || *kw == '\0') {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	if ((cl->keyword = strdup(kw)) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if ((cl->rest = strdup(str == NULL ? "" : str)) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = argv_split(cl->rest, &cl->argc, &cl->argv, 1)) != 0)
		goto out;
	r = 0;
 out:
	free(copy);
	if (r != 0)
		conf_line_free(cl);
	return r;
}

/* ------------------------------------------------------------ files */

void
conf_file_free(struct conf_file *f)
{
	u_int i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nlines; i++)
		free(f->lines[i]);
	free(f->lines);
	free(f->path);
	free(f);
}

/* Cut text[0..len) into lines; a NUL or an oversize line is an error. */
static int
split_lines(struct conf_file *f, const char *text, size_t len)
{
	size_t off = 0, n;
	const char *nl;
	char **tmp;

	while (off < len) {
		nl = memchr(text + off, '\n', len - off);
		n = (nl == NULL ? len : (size_t)(nl - text)) - off;
		if (f->nlines >= UINT_MAX - 1)
			return ERR_NUMBER_TOO_LARGE;
		if (n > CONF_LINE_MAX) {
			error("%s line %u: line too long", f->path,
			    f->nlines + 1);
			return ERR_STRING_TOO_LARGE;
		}
		if (memchr(text + off, '\0', n) != NULL) {
			error("%s line %u: NUL character", f->path,
			    f->nlines + 1);
			return ERR_INVALID_FORMAT;
		}
		tmp = reallocarray(f->lines, (size_t)f->nlines + 1,
		    sizeof(*f->lines));
		if (tmp == NULL)
			return ERR_ALLOC_FAIL;
		f->lines = tmp;
		if ((f->lines[f->nlines] = strndup(text + off, n)) == NULL)
			return ERR_ALLOC_FAIL;
		f->nlines++;
		off += n + 1;
	}
	return 0;
}

static int
file_from_bytes(const char *name, const char *text, size_t len,
    struct conf_file **fp)
{
	struct conf_file *f;
	int r;

	*fp = NULL;
	if (len > CONF_FILE_MAX)
		return ERR_NO_BUFFER_SPACE;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return ERR_ALLOC_FAIL;
	if ((f->path = strdup(name)) == NULL) {
		conf_file_free(f);
		return ERR_ALLOC_FAIL;
	}
	if ((r = split_lines(f, text, len)) != 0) {
		conf_file_free(f);
		return r;
	}
	*fp = f;
	return 0;
}

int
conf_file_from_string(const char *name, const char *text,
    struct conf_file **fp)
{
	if (fp == NULL)
		return ERR_INVALID_ARGUMENT;
	*fp = NULL;
	if (name == NULL || text == NULL)
		return ERR_INVALID_ARGUMENT;
	return file_from_bytes(name, text, strlen(text), fp);
}

/* ssh's user config must not be writable by anyone else. */
static int
check_file_perm(int fd, const char *path)
{
	struct stat st;

	if (fstat(fd, &st) == -1)
		return ERR_ERRNO;
	if ((st.st_uid != 0 && st.st_uid != getuid()) ||
	    (st.st_mode & 022) != 0) {
		error("Bad owner or permissions on %s", path);
		return ERR_KEY_BAD_PERMISSIONS;
	}
	return 0;
}

/*
 * Read fd to its end, but never more than CONF_FILE_MAX bytes: /dev/null
 * is a fine config file, /dev/zero is not.
 */
static int
read_bounded(int fd, struct buf **bp)
{
	struct buf *b;
	char chunk[8192];
	ssize_t n;
	int r = 0;

	*bp = NULL;
	if ((b = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	for (;;) {
		if ((n = read(fd, chunk, sizeof(chunk))) == -1) {
			if (errno == EINTR)
				continue;
			r = ERR_ERRNO;
			break;
		}
		if (n == 0)
			break;
		if (buf_len(b) + (size_t)n > CONF_FILE_MAX) {
			r = ERR_NO_BUFFER_SPACE;
			break;
		}
		if ((r = buf_put(b, chunk, (size_t)n)) != 0)
			break;
	}
	if (r != 0) {
		buf_free(b);
		return r;
	}
	*bp = b;
	return 0;
}

int
conf_file_load(const char *path, int check_perm, struct conf_file **fp)
{
	struct buf *b = NULL;
	struct stat st;
	int fd = -1, r = ERR_INTERNAL, saved_errno;

	if (fp == NULL)
		return ERR_INVALID_ARGUMENT;
	*fp = NULL;
	if (path == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return ERR_ERRNO;
	if (fstat(fd, &st) == -1) {
		r = ERR_ERRNO;
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		r = ERR_ERRNO;
		goto out;
	}
	if (S_ISREG(st.st_mode) && st.st_size > CONF_FILE_MAX) {
		r = ERR_NO_BUFFER_SPACE;
		goto out;
	}
	if (check_perm && (r = check_file_perm(fd, path)) != 0)
		goto out;
	if ((r = read_bounded(fd, &b)) != 0)
		goto out;
	r = file_from_bytes(path, (const char *)buf_ptr(b), buf_len(b), fp);
 out:
	saved_errno = errno;
	buf_free(b);
	if (fd != -1)
		close(fd);
	errno = saved_errno;
	return r;
}

int
conf_include_glob(const char *arg, const char *dir, int allow_tilde,
    struct conf_strlist *paths)
{
	char *pattern = NULL;
	struct stat st;
	glob_t g;
	size_t i;
	int r = ERR_INTERNAL, gr;

	memset(&g, 0, sizeof(g));
	conf_strlist_free(paths);
	if (*arg == '~') {
		if (!allow_tilde)
			return ERR_INVALID_FORMAT;
		if ((r = tilde_expand(arg, getuid(), &pattern)) != 0)
			return r;
	} else if (*arg != '/') {
		if (dir == NULL)
			return ERR_INVALID_ARGUMENT;
		if ((pattern = path_append(dir, arg)) == NULL)
			return ERR_ALLOC_FAIL;
	} else if ((pattern = strdup(arg)) == NULL)
		return ERR_ALLOC_FAIL;
	gr = glob(pattern, 0, NULL, &g);
	if (gr == GLOB_NOMATCH) {
		r = 0;
		goto out;
	} else if (gr != 0) {
		r = gr == GLOB_NOSPACE ? ERR_ALLOC_FAIL : ERR_INVALID_FORMAT;
		goto out;
	}
	if (g.gl_pathc > CONF_INCLUDE_FILES_MAX) {
		r = ERR_NUMBER_TOO_LARGE;
		goto out;
	}
	for (i = 0; i < g.gl_pathc; i++) {
		/* Only regular files: never a FIFO or a device to hang on. */
		if (stat(g.gl_pathv[i], &st) == -1 || !S_ISREG(st.st_mode)) {
			debug("Include %s: not a regular file, skipped",
			    g.gl_pathv[i]);
			continue;
		}
		if ((r = conf_strlist_add(paths, g.gl_pathv[i])) != 0)
			goto out;
	}
	r = 0;
 out:
	if (r != 0)
		conf_strlist_free(paths);
	globfree(&g);
	free(pattern);
	return r;
}

/* ------------------------------------------------------------ values */

const struct conf_choice conf_choices_flag[] = {
	{ "yes", 1 }, { "no", 0 }, { "true", 1 }, { "false", 0 },
	{ NULL, -1 }
};

int
conf_choice_value(const struct conf_choice *tab, const char *name,
    int *valp)
{
	size_t i;

	for (i = 0; tab[i].name != NULL; i++) {
		if (strcasecmp(tab[i].name, name) == 0) {
			*valp = tab[i].value;
			return 0;
		}
	}
	return ERR_NOT_FOUND;
}

const char *
conf_choice_name(const struct conf_choice *tab, int value)
{
	size_t i;

	for (i = 0; tab[i].name != NULL; i++) {
		if (tab[i].value == value)
			return tab[i].name;
	}
	return "UNKNOWN";
}

int
conf_parse_int(const char *s, long long min, long long max,
    long long *valp)
{
	long long v = 0;
	int neg = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (*s == '\0')
		return ERR_INVALID_FORMAT;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return ERR_INVALID_FORMAT;
		if (v > (LLONG_MAX - (*s - '0')) / 10)
			return ERR_NUMBER_TOO_LARGE;
		v = v * 10 + (*s - '0');
	}
	if (neg)
		v = -v;
	if (v < min || v > max)
		return ERR_NUMBER_TOO_LARGE;
	*valp = v;
	return 0;
}

/* DSCP code points as IP TOS byte values (RFC 2474, 3246, 8622). */
static const struct conf_choice ipqos_names[] = {
	{ "af11", 0x28 }, { "af12", 0x30 }, { "af13", 0x38 },
	{ "af21", 0x48 }, { "af22", 0x50 }, { "af23", 0x58 },
	{ "af31", 0x68 }, { "af32", 0x70 }, { "af33", 0x78 },
	{ "af41", 0x88 }, { "af42", 0x90 }, { "af43", 0x98 },
	{ "cs0", 0x00 }, { "cs1", 0x20 }, { "cs2", 0x40 }, { "cs3", 0x60 },
	{ "cs4", 0x80 }, { "cs5", 0xa0 }, { "cs6", 0xc0 }, { "cs7", 0xe0 },
	{ "ef", 0xb8 }, { "le", 0x04 }, { "lowdelay", 0x10 },
	{ "throughput", 0x08 }, { "reliability", 0x04 },
	{ "none", INT_MAX },
	{ NULL, -1 }
};

int
conf_ipqos_value(const char *s)
{
	char *ep;
	long v;
	int val;

	if (conf_choice_value(ipqos_names, s, &val) == 0)
		return val;
	/* Numbers in C syntax: 16, 0x10, 020. */
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &ep, 0);
	if (*ep != '\0' || errno != 0 || v < 0 || v > 255)
		return -1;
	return (int)v;
}

const char *
conf_ipqos_name(int value)
{
	size_t i;

	for (i = 0; ipqos_names[i].name != NULL; i++) {
		if (ipqos_names[i].value == value)
			return ipqos_names[i].name;
	}
	return NULL;
}
