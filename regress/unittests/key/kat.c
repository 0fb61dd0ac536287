/* kat.c: reading known-answer files (kat.h). */
#include "includes.h"

#include "../test_helper/test_helper.h"
#include "kat.h"

#define KAT_MAX_FIELDS	16

struct kat {
	FILE *f;
	const char *path;
	char *names[KAT_MAX_FIELDS];
	char *values[KAT_MAX_FIELDS];
	size_t n;
};

struct kat *
kat_open(const char *name)
{
	struct kat *kat;

	ASSERT_PTR_NE(kat = calloc(1, sizeof(*kat)), NULL);
	ASSERT_PTR_NE(kat->path = strdup(test_data_file(name)), NULL);
	if ((kat->f = fopen(kat->path, "r")) == NULL)
		assert_failed(__FILE__, __LINE__, "cannot open %s: %s",
		    kat->path, strerror(errno));
	return kat;
}

static void
kat_clear(struct kat *kat)
{
	size_t i;

	for (i = 0; i < kat->n; i++) {
		free(kat->names[i]);
		free(kat->values[i]);
	}
	kat->n = 0;
}

static char *
trim(char *s)
{
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL)
		s[--len] = '\0';
	return s;
}

/* Append continuation text to the last value. */
static void
kat_continue(struct kat *kat, const char *more)
{
	char *v;
	size_t len;

	if (kat->n == 0)
		assert_failed(__FILE__, __LINE__, "%s: continuation first",
		    kat->path);
	len = strlen(kat->values[kat->n - 1]) + strlen(more) + 1;
	ASSERT_PTR_NE(v = malloc(len), NULL);
	snprintf(v, len, "%s%s", kat->values[kat->n - 1], more);
	free(kat->values[kat->n - 1]);
	kat->values[kat->n - 1] = v;
}

static void
kat_add(struct kat *kat, char *line)
{
	char *eq;

	if ((eq = strchr(line, '=')) == NULL || kat->n >= KAT_MAX_FIELDS)
		assert_failed(__FILE__, __LINE__, "%s: bad line \"%s\"",
		    kat->path, line);
	*eq = '\0';
	ASSERT_PTR_NE(kat->names[kat->n] = strdup(trim(line)), NULL);
	ASSERT_PTR_NE(kat->values[kat->n] = strdup(trim(eq + 1)), NULL);
	kat->n++;
}

int
kat_next(struct kat *kat)
{
	char line[8192];

	kat_clear(kat);
	while (fgets(line, sizeof(line), kat->f) != NULL) {
		if (line[0] == '#')
			continue;
		if (*trim(line) == '\0') {
			if (kat->n > 0)
				return 1;
			continue;
		}
		if (line[0] == ' ' || line[0] == '\t')
			kat_continue(kat, trim(line));
		else
			kat_add(kat, line);
	}
	return kat->n > 0;
}

const char *
kat_get(const struct kat *kat, const char *name)
{
	size_t i;

	for (i = 0; i < kat->n; i++) {
		if (strcmp(kat->names[i], name) == 0)
			return kat->values[i];
	}
	return NULL;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

u_char *
kat_unhex(const char *hex, size_t *lenp)
{
	u_char *d;
	size_t i, len = strlen(hex);
	int hi, lo;

	if (len % 2 != 0)
		assert_failed(__FILE__, __LINE__, "odd hex \"%s\"", hex);
	ASSERT_PTR_NE(d = malloc(len / 2 + 1), NULL);
	for (i = 0; i < len / 2; i++) {
		hi = hexval(hex[2 * i]);
		lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			assert_failed(__FILE__, __LINE__, "bad hex \"%s\"",
			    hex);
		d[i] = (u_char)(hi << 4 | lo);
	}
	*lenp = len / 2;
	return d;
}

u_char *
kat_get_hex(const struct kat *kat, const char *name, size_t *lenp)
{
	const char *v = kat_get(kat, name);

	if (v == NULL)
		assert_failed(__FILE__, __LINE__, "%s: no \"%s\" in block",
		    kat->path, name);
	return kat_unhex(v, lenp);
}

void
kat_close(struct kat *kat)
{
	if (kat == NULL)
		return;
	kat_clear(kat);
	fclose(kat->f);
	free((char *)kat->path);
	free(kat);
}

char *
kat_read_file(const char *name, size_t *lenp)
{
	const char *path = test_data_file(name);
	FILE *f;
	char *s = NULL;
	size_t len = 0, n;
	char chunk[4096];

	if ((f = fopen(path, "r")) == NULL)
		assert_failed(__FILE__, __LINE__, "cannot open %s: %s", path,
		    strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		ASSERT_PTR_NE(s = realloc(s, len + n + 1), NULL);
		memcpy(s + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (s == NULL)
		ASSERT_PTR_NE(s = malloc(1), NULL);
	s[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return s;
}
