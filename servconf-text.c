/*
 * servconf-text.c: reading sshd_config and its Includes once, keeping the
 * text, and handing it to re-executed processes.
 *
 * The text is a flat sequence of entries: the lines of the main file in
 * order, with each included file's lines spliced in after its Include
 * line between a BEGIN and an END marker (so the parser can restore the
 * Match state the Include line was in when the file ends).
 */
#include "includes.h"

#include <strings.h>

#include "buf.h"
#include "conf.h"
#include "errcode.h"
#include "log.h"
#include "servconf.h"
#include "servconf-impl.h"

/* Bounds on what Include can pull in, whatever the nesting. */
#define TEXT_FILES_MAX		1024
#define TEXT_BYTES_MAX		(16 * 1024 * 1024)
#define TEXT_ENTRIES_MAX	(1024 * 1024)

static int
add_entry(struct st_entry **ents, u_int *n, int kind, u_int file, u_int line,
    const char *text)
{
	struct st_entry *tmp;
	char *cp = NULL;

	if (*n >= TEXT_ENTRIES_MAX)
		return ERR_NUMBER_TOO_LARGE;
	if (text != NULL && (cp = strdup(text)) == NULL)
		return ERR_ALLOC_FAIL;
	tmp = reallocarray(*ents, (size_t)*n + 1, sizeof(**ents));
	if (tmp == NULL) {
		free(cp);
		return ERR_ALLOC_FAIL;
	}
	*ents = tmp;
	tmp[*n].kind = kind;
	tmp[*n].file = file;
	tmp[*n].line = line;
	tmp[*n].text = cp;
	(*n)++;
	return 0;
}

static int
text_new(const char *confdir, struct servconf_text **tp)
{
	struct servconf_text *t;
	int r;

	*tp = NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return ERR_ALLOC_FAIL;
	if ((t->confdir = strdup(confdir == NULL ? SSHDIR : confdir)) ==
	    NULL) {
		servconf_text_free(t);
		return ERR_ALLOC_FAIL;
	}
	/* File 0 names the command line's options. */
	if ((r = conf_strlist_add(&t->files, SERVCONF_CMDLINE)) != 0) {
		servconf_text_free(t);
		return r;
	}
	*tp = t;
	return 0;
}

void
servconf_text_free(struct servconf_text *t)
{
	u_int i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nents; i++)
		free(t->ents[i].text);
	for (i = 0; i < t->nopts; i++)
		free(t->opts[i].text);
	free(t->ents);
	free(t->opts);
	conf_strlist_free(&t->files);
	free(t->confdir);
	free(t);
}

/* 1 if the line is an Include line; its arguments in *clp then. */
static int
is_include(const char *text, struct conf_line *clp)
{
	if (conf_line_split(text, clp) != 0)
		return 0;	/* the parser reports it */
	if (clp->keyword != NULL && strcasecmp(clp->keyword, "include") == 0)
		return 1;
	conf_line_free(clp);
	return 0;
}

static int load_file(struct servconf_text *t, struct conf_file *f,
    u_int depth);

/* Splice in the files one Include line names. */
static int
load_include(struct servconf_text *t, const struct conf_line *cl,
    const char *file, u_int line, u_int depth)
{
	struct conf_strlist paths = { NULL, 0 };
	struct conf_file *inc = NULL;
	u_int i;
	int a, r = ERR_INTERNAL;

	for (a = 0; a < cl->argc; a++) {
		r = conf_include_glob(cl->argv[a], t->confdir, 0, &paths);
		if (r != 0) {
			error("%s line %u: include \"%s\": %s", file, line,
			    cl->argv[a], errcode_str(r));
			r = ERR_CONFIG_INVALID;
			goto out;
		}
		if (paths.n == 0)
			debug2("%s line %u: no match for %s", file, line,
			    cl->argv[a]);
		for (i = 0; i < paths.n; i++) {
			if (depth + 1 > CONF_INCLUDE_DEPTH_MAX ||
			    t->files.n >= TEXT_FILES_MAX) {
				error("Too many recursive configuration "
				    "includes");
				r = ERR_CONFIG_INVALID;
				goto out;
			}
			if ((r = conf_file_load(paths.v[i], 0, &inc)) != 0) {
				error("Unable to load config file %s: %s",
				    paths.v[i], errcode_str(r));
				goto out;
			}
			r = load_file(t, inc, depth + 1);
			conf_file_free(inc);
			inc = NULL;
			if (r != 0)
				goto out;
		}
	}
	r = 0;
 out:
	conf_file_free(inc);
	conf_strlist_free(&paths);
	return r;
}

/* Append file f's lines (and, recursively, its includes) to t. */
static int
load_file(struct servconf_text *t, struct conf_file *f, u_int depth)
{
	struct conf_line cl;
	u_int i, fi;
	size_t len;
	int r;

	if ((r = conf_strlist_add(&t->files, f->path)) != 0)
		return r;
	fi = t->files.n - 1;
	if (depth > 0 &&
	    (r = add_entry(&t->ents, &t->nents, ST_INC_BEGIN, fi, 0, NULL)))
		return r;
	for (i = 0; i < f->nlines; i++) {
		len = strlen(f->lines[i]);
		if (len > TEXT_BYTES_MAX - t->nbytes) {
			error("%s: configuration too large", f->path);
			return ERR_NO_BUFFER_SPACE;
		}
		t->nbytes += len;
		if ((r = add_entry(&t->ents, &t->nents, ST_LINE, fi, i + 1,
		    f->lines[i])) != 0)
			return r;
		if (!is_include(f->lines[i], &cl))
			continue;
		r = load_include(t, &cl, f->path, i + 1, depth);
		conf_line_free(&cl);
		if (r != 0)
			return r;
	}
	if (depth > 0 &&
	    (r = add_entry(&t->ents, &t->nents, ST_INC_END, fi, 0, NULL)))
		return r;
	return 0;
}

int
servconf_text_load(const char *path, const char *confdir,
    struct servconf_text **tp)
{
	struct servconf_text *t = NULL;
	struct conf_file *f = NULL;
	int r = ERR_INTERNAL;

	if (tp == NULL)
		return ERR_INVALID_ARGUMENT;
	*tp = NULL;
	if (path == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((r = conf_file_load(path, 0, &f)) != 0)
		return r;
	if ((r = text_new(confdir, &t)) != 0)
		goto out;
	if ((r = load_file(t, f, 0)) != 0)
		goto out;
	*tp = t;
	t = NULL;
	r = 0;
 out:
	conf_file_free(f);
	servconf_text_free(t);
	return r;
}

int
servconf_text_from_string(const char *name, const char *config,
    const char *confdir, struct servconf_text **tp)
{
	struct servconf_text *t = NULL;
	struct conf_file *f = NULL;
	int r = ERR_INTERNAL;

	if (tp == NULL)
		return ERR_INVALID_ARGUMENT;
	*tp = NULL;
	if ((r = conf_file_from_string(name, config, &f)) != 0)
		return r;
	if ((r = text_new(confdir, &t)) != 0)
		goto out;
	if ((r = load_file(t, f, 0)) != 0)
		goto out;
	*tp = t;
	t = NULL;
	r = 0;
 out:
	conf_file_free(f);
	servconf_text_free(t);
	return r;
}

int
servconf_text_add_option(struct servconf_text *t, const char *line)
{
	if (t == NULL || line == NULL)
		return ERR_INVALID_ARGUMENT;
	if (strlen(line) > CONF_LINE_MAX || strchr(line, '\n') != NULL)
		return ERR_INVALID_FORMAT;
	/* OpenSSH numbers command-line options as line 0. */
	return add_entry(&t->opts, &t->nopts, ST_LINE, 0, 0, line);
}

int
servconf_text_add_port(struct servconf_text *t, int port)
{
	char line[32];

	if (t == NULL || port <= 0 || port > 65535)
		return ERR_INVALID_ARGUMENT;
	snprintf(line, sizeof(line), "Port %d", port);
	t->cmdline_ports = 1;
	return servconf_text_add_option(t, line);
}

/* ------------------------------------------------------------ transfer */

#define TEXT_MAGIC	0x6b636667	/* "kcfg" */

int
servconf_text_serialise(const struct servconf_text *t, struct buf *b)
{
	u_int i;
	int r;

	if (t == NULL || b == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((r = buf_put_u32(b, TEXT_MAGIC)) != 0 ||
	    (r = buf_put_cstring(b, t->confdir)) != 0 ||
	    (r = buf_put_u8(b, t->cmdline_ports != 0)) != 0 ||
	    (r = buf_put_u32(b, t->files.n)) != 0)
		return r;
	for (i = 0; i < t->files.n; i++) {
		if ((r = buf_put_cstring(b, t->files.v[i])) != 0)
			return r;
	}
	if ((r = buf_put_u32(b, t->nopts)) != 0)
		return r;
	for (i = 0; i < t->nopts; i++) {
		if ((r = buf_put_cstring(b, t->opts[i].text)) != 0)
			return r;
	}
	if ((r = buf_put_u32(b, t->nents)) != 0)
		return r;
	for (i = 0; i < t->nents; i++) {
		if ((r = buf_put_u8(b, (uint8_t)t->ents[i].kind)) != 0 ||
		    (r = buf_put_u32(b, t->ents[i].file)) != 0 ||
		    (r = buf_put_u32(b, t->ents[i].line)) != 0 ||
		    (r = buf_put_cstring(b, t->ents[i].kind == ST_LINE ?
		    t->ents[i].text : "")) != 0)
			return r;
	}
	return 0;
}

/* One entry; BEGIN/END must nest and name a known file. */
static int
get_entry(struct buf *b, struct servconf_text *t, int *depthp)
{
	uint8_t kind;
	uint32_t file, line;
	char *text = NULL;
	int r;

	if ((r = buf_get_u8(b, &kind)) != 0 ||
	    (r = buf_get_u32(b, &file)) != 0 ||
	    (r = buf_get_u32(b, &line)) != 0 ||
	    (r = buf_get_cstring(b, &text, NULL)) != 0)
		return r;
	r = ERR_INVALID_FORMAT;
	if (file >= t->files.n || strlen(text) > CONF_LINE_MAX)
		goto out;
	if (kind == ST_INC_BEGIN) {
		if (++*depthp > CONF_INCLUDE_DEPTH_MAX)
			goto out;
	} else if (kind == ST_INC_END) {
		if (--*depthp < 0)
			goto out;
	} else if (kind != ST_LINE)
		goto out;
	r = add_entry(&t->ents, &t->nents, kind, file, line,
	    kind == ST_LINE ? text : NULL);
 out:
	free(text);
	return r;
}

static int
get_count(struct buf *b, uint32_t max, uint32_t *np)
{
	int r;

	if ((r = buf_get_u32(b, np)) != 0)
		return r;
	return *np > max ? ERR_INVALID_FORMAT : 0;
}

int
servconf_text_deserialise(struct buf *b, struct servconf_text **tp)
{
	struct servconf_text *t = NULL;
	uint32_t magic, n, i;
	uint8_t flag;
	char *s = NULL;
	int r = ERR_INTERNAL, depth = 0;

	if (tp == NULL || b == NULL)
		return ERR_INVALID_ARGUMENT;
	*tp = NULL;
	if ((r = buf_get_u32(b, &magic)) != 0)
		return r;
	if (magic != TEXT_MAGIC)
		return ERR_INVALID_FORMAT;
	if ((r = buf_get_cstring(b, &s, NULL)) != 0)
		return r;
	if ((r = text_new(s, &t)) != 0)
		goto out;
	if ((r = buf_get_u8(b, &flag)) != 0)
		goto out;
	if (flag > 1) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	t->cmdline_ports = flag;
	conf_strlist_free(&t->files);
	if ((r = get_count(b, TEXT_FILES_MAX + 1, &n)) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		free(s);
		if ((r = buf_get_cstring(b, &s, NULL)) != 0 ||
		    (r = conf_strlist_add(&t->files, s)) != 0)
			goto out;
	}
	r = ERR_INVALID_FORMAT;
	if (t->files.n == 0 || strcmp(t->files.v[0], SERVCONF_CMDLINE) != 0)
		goto out;
	if ((r = get_count(b, TEXT_ENTRIES_MAX, &n)) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		free(s);
		if ((r = buf_get_cstring(b, &s, NULL)) != 0 ||
		    (r = servconf_text_add_option(t, s)) != 0)
			goto out;
	}
	if ((r = get_count(b, TEXT_ENTRIES_MAX, &n)) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		if ((r = get_entry(b, t, &depth)) != 0)
			goto out;
	}
	r = ERR_INVALID_FORMAT;
	if (depth != 0)
		goto out;
	r = ERR_UNEXPECTED_TRAILING_DATA;
	if (buf_len(b) != 0)
		goto out;
	*tp = t;
	t = NULL;
	r = 0;
 out:
	free(s);
	servconf_text_free(t);
	return r;
}
