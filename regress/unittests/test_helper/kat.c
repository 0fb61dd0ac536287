/* kat.c: the known-answer file reader (kat.h). */
#include "includes.h"

#include <ctype.h>

#include "test_helper.h"
#include "kat.h"

#define KAT_MAX_FIELDS	16

struct kat {
	FILE *f;
	char *path;
	int lineno;		/* last line read */
	int first;		/* first line of the current block */
	size_t n;
	char *name[KAT_MAX_FIELDS];
	char *value[KAT_MAX_FIELDS];
	u_char *bin[KAT_MAX_FIELDS];	/* kat_hex() of value, once asked */
	size_t binlen[KAT_MAX_FIELDS];
};


static FILE *
open_data_file(const char *name, char **pathp)
{
	char *path;
	FILE *f;

	ASSERT_PTR_NE(path = strdup(test_data_file(name)), NULL);
	if ((f = fopen(path, "r")) == NULL)
		assert_failed(__FILE__, __LINE__, "cannot open %s: %s", path,
		    strerror(errno));
	*pathp = path;
	return f;
}

struct kat *
kat_open(const char *name)
{
	struct kat *k;

	ASSERT_PTR_NE(k = calloc(1, sizeof(*k)), NULL);
	k->f = open_data_file(name, &k->path);
	return k;
}

static void
kat_clear(struct kat *k)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		free(k->name[i]);
		free(k->value[i]);
		free(k->bin[i]);
		k->name[i] = k->value[i] = NULL;
		k->bin[i] = NULL;
		k->binlen[i] = 0;
	}
	k->n = 0;
}

void
kat_close(struct kat *k)
{
	if (k == NULL)
		return;
	kat_clear(k);
	if (k->f != NULL)
		fclose(k->f);
	free(k->path);
	free(k);
}

static char *
trim(char *s)
{
	size_t len;

	while (isspace((u_char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((u_char)s[len - 1]))
		s[--len] = '\0';
	return s;
}

/* A "name = value" line starts a field. */
static void
kat_add(struct kat *k, char *line)
{
	char *eq;

	if ((eq = strchr(line, '=')) == NULL)
		assert_failed(k->path, k->lineno, "no '=' in \"%s\"", line);
	if (k->n >= KAT_MAX_FIELDS)
		assert_failed(k->path, k->lineno, "more than %d fields",
		    KAT_MAX_FIELDS);
	*eq = '\0';
	ASSERT_PTR_NE(k->name[k->n] = strdup(trim(line)), NULL);
	ASSERT_PTR_NE(k->value[k->n] = strdup(trim(eq + 1)), NULL);
	k->n++;
}

/* A line starting with white space continues the last value. */
static void
kat_continue(struct kat *k, const char *more)
{
	char **v;
	size_t have, add;

	if (k->n == 0)
		assert_failed(k->path, k->lineno, "continuation line first");
	v = &k->value[k->n - 1];
	have = strlen(*v);
	add = strlen(more);
	ASSERT_PTR_NE(*v = realloc(*v, have + add + 1), NULL);
	memcpy(*v + have, more, add + 1);
}

int
kat_next(struct kat *k)
{
	char *line = NULL, *s;
	size_t cap = 0;

	kat_clear(k);
	while (getline(&line, &cap, k->f) != -1) {
		k->lineno++;
		if (line[0] == '#')
			continue;
		s = trim(line);
		if (*s == '\0') {
			if (k->n > 0)
				break;
			continue;
		}
		if (k->n == 0)
			k->first = k->lineno;
		if (s != line)
			kat_continue(k, s);
		else
			kat_add(k, s);
	}
	free(line);
	return k->n > 0;
}

void
kat_fail(const struct kat *k, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	assert_failed(k->path, k->first, "%s", msg);
}

/* Index of the field, or -1. */
static int
kat_index(const struct kat *k, const char *name)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		if (strcmp(k->name[i], name) == 0)
			return (int)i;
	}
	return -1;
}

/* Index of a field that must be present. */
static size_t
kat_need(const struct kat *k, const char *name)
{
	int i;

	if ((i = kat_index(k, name)) < 0)
		kat_fail(k, "no field \"%s\" in the block", name);
	return (size_t)i;
}

int
kat_has(const struct kat *k, const char *name)
{
	return kat_index(k, name) >= 0;
}

const char *
kat_get(const struct kat *k, const char *name)
{
	int i = kat_index(k, name);

	return i < 0 ? NULL : k->value[i];
}

const char *
kat_str(const struct kat *k, const char *name)
{
	return k->value[kat_need(k, name)];
}

static int
nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex to a new allocation; NULL when it is not hex. */
static u_char *
unhex(const char *hex, size_t *lenp)
{
	u_char *d;
	size_t i, len = strlen(hex);
	int hi, lo;

	*lenp = 0;
	if (len % 2 != 0)
		return NULL;
	ASSERT_PTR_NE(d = malloc(len / 2 + 1), NULL);
	for (i = 0; i < len / 2; i++) {
		hi = nibble(hex[2 * i]);
		lo = nibble(hex[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			free(d);
			return NULL;
		}
		d[i] = (u_char)(hi << 4 | lo);
	}
	*lenp = len / 2;
	return d;
}

u_char *
kat_unhex(const char *hex, size_t *lenp)
{
	u_char *d;

	if ((d = unhex(hex, lenp)) == NULL)
		assert_failed(__FILE__, __LINE__, "bad hex \"%s\"", hex);
	return d;
}

const u_char *
kat_hex(struct kat *k, const char *name, size_t *lenp)
{
	size_t i = kat_need(k, name);

	if (k->bin[i] == NULL &&
	    (k->bin[i] = unhex(k->value[i], &k->binlen[i])) == NULL)
		kat_fail(k, "bad hex in \"%s\"", name);
	*lenp = k->binlen[i];
	return k->bin[i];
}

unsigned long long
kat_num(const struct kat *k, const char *name, unsigned long long max)
{
	const char *s = kat_str(k, name);
	char *ep;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &ep, 10);
	if (*s < '0' || *s > '9' || *ep != '\0' || errno != 0 || v > max)
		kat_fail(k, "bad number in \"%s\"", name);
	return v;
}

char *
kat_read_file(const char *name, size_t *lenp)
{
	char *path, *s = NULL, chunk[4096];
	size_t len = 0, n;
	FILE *f;

	f = open_data_file(name, &path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		ASSERT_PTR_NE(s = realloc(s, len + n + 1), NULL);
		memcpy(s + len, chunk, n);
		len += n;
	}
	if (ferror(f))
		assert_failed(__FILE__, __LINE__, "cannot read %s", path);
	fclose(f);
	free(path);
	if (s == NULL)
		ASSERT_PTR_NE(s = malloc(1), NULL);
	s[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return s;
}
