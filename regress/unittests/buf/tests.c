/* tests.c: unit tests of the buffer module (buf.h) and their helpers. */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "../test_helper/test_helper.h"
#include "test_buf.h"

void
tests(void)
{
	test_buf_basic();
	test_buf_getput();
	test_buf_bignum();
	test_buf_misc();
	test_buf_file();
}

static void
check_one_truncation(const u_char *enc, size_t i, getter_fn *get,
    int readonly)
{
	struct buf *b;
	u_char *copy;

	/* A heap block of exactly i bytes (at least 1 for malloc). */
	copy = malloc(i == 0 ? 1 : i);
	ASSERT_PTR_NE(copy, NULL);
	if (i != 0)
		memcpy(copy, enc, i);
	b = readonly ? buf_from(copy, i) : buf_from_copy(copy, i);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(get(b), ERR_MESSAGE_INCOMPLETE);
	ASSERT_SIZE_T_EQ(buf_len(b), i);
	if (i != 0)
		ASSERT_MEM_EQ(buf_ptr(b), enc, i);
	buf_free(b);
	free(copy);
}

void
check_truncations(const char *what, const void *enc, size_t len,
    getter_fn *get)
{
	struct buf *b;
	u_char *copy;
	size_t i;

	if (test_is_verbose())
		fprintf(stderr, "  truncations of %s (%zu bytes)\n", what, len);
	for (i = 0; i < len; i++) {
		check_one_truncation(enc, i, get, 1);
		check_one_truncation(enc, i, get, 0);
	}
	/* Complete: all of it is consumed. */
	copy = malloc(len + 1);
	ASSERT_PTR_NE(copy, NULL);
	memcpy(copy, enc, len);
	b = buf_from(copy, len);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(get(b), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 0);
	buf_free(b);
	/* Trailing data stays, for the parser's leftover check. */
	copy[len] = 0xa5;
	b = buf_from(copy, len + 1);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(get(b), 0);
	ASSERT_SIZE_T_EQ(buf_len(b), 1);
	ASSERT_U8_EQ(*buf_ptr(b), 0xa5);
	buf_free(b);
	free(copy);
}

void
check_refused(const char *what, const void *enc, size_t len,
    getter_fn *get, int want)
{
	struct buf *b;
	u_char *copy;

	if (test_is_verbose())
		fprintf(stderr, "  refusal of %s\n", what);
	copy = malloc(len == 0 ? 1 : len);
	ASSERT_PTR_NE(copy, NULL);
	if (len != 0)
		memcpy(copy, enc, len);
	b = buf_from(copy, len);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(get(b), want);
	ASSERT_SIZE_T_EQ(buf_len(b), len);
	buf_free(b);
	free(copy);
}

static int
hex_digit(char c)
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
hex_to_bytes(const char *hex, size_t *lenp)
{
	size_t n = strlen(hex), i;
	u_char *p;
	int hi, lo;

	ASSERT_INT_EQ(n % 2, 0);
	p = malloc(n / 2 + 1);
	ASSERT_PTR_NE(p, NULL);
	for (i = 0; i < n / 2; i++) {
		hi = hex_digit(hex[i * 2]);
		lo = hex_digit(hex[i * 2 + 1]);
		ASSERT_INT_GE(hi, 0);
		ASSERT_INT_GE(lo, 0);
		p[i] = (u_char)(hi << 4 | lo);
	}
	*lenp = n / 2;
	return p;
}

void
vec_open(struct vec *v, const char *name)
{
	memset(v, 0, sizeof(*v));
	v->f = fopen(test_data_file(name), "r");
	if (v->f == NULL)
		assert_failed(__FILE__, __LINE__, "cannot open %s: %s",
		    test_data_file(name), strerror(errno));
}

/* Strip trailing newline and spaces in place. */
static void
rstrip(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' ||
	    s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

int
vec_next(struct vec *v)
{
	char line[4200], *eq, *val;

	v->nkeys = 0;
	while (fgets(line, sizeof(line), v->f) != NULL) {
		rstrip(line);
		if (line[0] == '#')
			continue;
		if (line[0] == '\0') {
			if (v->nkeys > 0)
				return 1;
			continue;
		}
		if ((eq = strchr(line, '=')) == NULL)
			assert_failed(__FILE__, __LINE__, "bad line \"%s\"",
			    line);
		ASSERT_INT_LT(v->nkeys, 8);
		*eq = '\0';
		rstrip(line);
		for (val = eq + 1; *val == ' '; val++)
			;
		ASSERT_SIZE_T_LT(strlen(line), sizeof(v->keys[0]));
		ASSERT_SIZE_T_LT(strlen(val), sizeof(v->vals[0]));
		memcpy(v->keys[v->nkeys], line, strlen(line) + 1);
		memcpy(v->vals[v->nkeys], val, strlen(val) + 1);
		v->nkeys++;
	}
	return v->nkeys > 0;
}

const char *
vec_get(const struct vec *v, const char *key)
{
	int i;

	for (i = 0; i < v->nkeys; i++) {
		if (strcmp(v->keys[i], key) == 0)
			return v->vals[i];
	}
	return NULL;
}

void
vec_close(struct vec *v)
{
	if (v->f != NULL)
		fclose(v->f);
	v->f = NULL;
}
