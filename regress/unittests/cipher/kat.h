/*
 * kat.h: read the known-answer files of regress/vectors/ (the cipher and
 * mac unit tests both include it).
 *
 * A file is blocks of "name = value" lines separated by blank lines;
 * lines starting with '#' are comments.  Values are hex unless a test
 * reads them as text or as a decimal number.  Any malformed input fails
 * the current test with the file and line.
 */
#ifndef KEEL_TEST_KAT_H
#define KEEL_TEST_KAT_H

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../test_helper/test_helper.h"

#define KAT_MAX_FIELDS	16

struct kat {
	FILE *f;
	const char *path;
	int lineno;		/* last line read */
	int first;		/* first line of the current block */
	size_t n;
	char *name[KAT_MAX_FIELDS];
	char *value[KAT_MAX_FIELDS];
	u_char *bin[KAT_MAX_FIELDS];
	size_t binlen[KAT_MAX_FIELDS];
};

#define KAT_FAIL(k, ...) assert_failed((k)->path, (k)->first, __VA_ARGS__)

static void __attribute__((unused))
kat_clear(struct kat *k)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		free(k->name[i]);
		free(k->value[i]);
		free(k->bin[i]);
		k->name[i] = k->value[i] = NULL;
		k->bin[i] = NULL;
	}
	k->n = 0;
}

static void __attribute__((unused))
kat_open(struct kat *k, const char *file)
{
	memset(k, 0, sizeof(*k));
	k->path = strdup(test_data_file(file));
	ASSERT_PTR_NE(k->path, NULL);
	if ((k->f = fopen(k->path, "r")) == NULL)
		assert_failed(__FILE__, __LINE__, "cannot open %s", k->path);
}

static void __attribute__((unused))
kat_close(struct kat *k)
{
	kat_clear(k);
	if (k->f != NULL)
		fclose(k->f);
	free((char *)k->path);
	memset(k, 0, sizeof(*k));
}

static char * __attribute__((unused))
kat_trim(char *s)
{
	size_t len;

	while (isspace((u_char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((u_char)s[len - 1]))
		s[--len] = '\0';
	return s;
}

/* The next block: 1 if one was read, 0 at the end of the file. */
static int __attribute__((unused))
kat_next(struct kat *k)
{
	char *line = NULL, *eq, *name, *value;
	size_t cap = 0;

	kat_clear(k);
	while (getline(&line, &cap, k->f) != -1) {
		k->lineno++;
		if (line[0] == '#')
			continue;
		name = kat_trim(line);
		if (*name == '\0') {
			if (k->n > 0)
				break;
			continue;
		}
		if (k->n == 0)
			k->first = k->lineno;
		if ((eq = strchr(name, '=')) == NULL || k->n >= KAT_MAX_FIELDS)
			assert_failed(k->path, k->lineno, "malformed line");
		*eq = '\0';
		value = kat_trim(eq + 1);
		name = kat_trim(name);
		k->name[k->n] = strdup(name);
		k->value[k->n] = strdup(value);
		ASSERT_TRUE(k->name[k->n] != NULL && k->value[k->n] != NULL);
		k->n++;
	}
	free(line);
	return k->n > 0;
}

static int __attribute__((unused))
kat_has(const struct kat *k, const char *name)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		if (strcmp(k->name[i], name) == 0)
			return 1;
	}
	return 0;
}

static size_t __attribute__((unused))
kat_index(const struct kat *k, const char *name)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		if (strcmp(k->name[i], name) == 0)
			return i;
	}
	KAT_FAIL(k, "no field \"%s\"", name);
}

static const char * __attribute__((unused))
kat_str(const struct kat *k, const char *name)
{
	return k->value[kat_index(k, name)];
}

static int __attribute__((unused))
kat_nibble(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The field decoded from hex; never NULL (an empty value has length 0). */
static const u_char * __attribute__((unused))
kat_hex(struct kat *k, const char *name, size_t *lenp)
{
	size_t i = kat_index(k, name), j, len;
	const char *s = k->value[i];
	int hi, lo;

	if (k->bin[i] == NULL) {
		len = strlen(s);
		if (len % 2 != 0)
			KAT_FAIL(k, "odd hex length in \"%s\"", name);
		if ((k->bin[i] = malloc(len / 2 + 1)) == NULL)
			KAT_FAIL(k, "out of memory");
		for (j = 0; j < len / 2; j++) {
			hi = kat_nibble(s[2 * j]);
			lo = kat_nibble(s[2 * j + 1]);
			if (hi < 0 || lo < 0)
				KAT_FAIL(k, "bad hex in \"%s\"", name);
			k->bin[i][j] = (u_char)(hi << 4 | lo);
		}
		k->binlen[i] = len / 2;
	}
	*lenp = k->binlen[i];
	return k->bin[i];
}

/* The field as a decimal number of at most max. */
static unsigned long long __attribute__((unused))
kat_num(const struct kat *k, const char *name, unsigned long long max)
{
	const char *s = kat_str(k, name);
	char *ep;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &ep, 10);
	if (*s == '\0' || *ep != '\0' || errno != 0 || v > max || *s == '-')
		KAT_FAIL(k, "bad number in \"%s\"", name);
	return v;
}

#endif /* KEEL_TEST_KAT_H */
