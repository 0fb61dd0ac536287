/*
 * sftp-words.c: splitting sftp command lines into words, and the path
 * helpers of the sftp program (sftp-prog.h).
 *
 * Rules: spaces and tabs separate words; 'single' and "double" quotes
 * group (and may join unquoted text: a"b c" is one word); a backslash
 * makes the next character ordinary (inside double quotes only before
 * a quote or a backslash).  Glob characters made ordinary by quotes or
 * a backslash stay escaped in the word, so globbing the word matches
 * them literally.
 */
#include "includes.h"

#include "log.h"
#include "xmalloc.h"
#include "sftp-prog.h"

/* Characters glob(3) and our remote glob treat specially. */
static int
is_glob_char(char c)
{
	return c == '*' || c == '?' || c == '[' || c == ']' || c == '\\';
}

/* Append c to the word being built (escaped if it must stay literal). */
static void
word_add(char *word, size_t *lenp, char c, int literal)
{
	if (literal && is_glob_char(c))
		word[(*lenp)++] = '\\';
	word[(*lenp)++] = c;
}

/* Close the word being built, if any. */
static int
word_end(struct sftp_words *w, char *word, size_t *lenp, int *inwordp,
    size_t start)
{
	if (!*inwordp)
		return 0;
	if (w->argc >= SFTP_MAX_WORDS) {
		error("Too many arguments.");
		return -1;
	}
	word[*lenp] = '\0';
	w->start[w->argc] = start;
	w->argv[w->argc++] = xstrdup(word);
	w->argv[w->argc] = NULL;
	*lenp = 0;
	*inwordp = 0;
	return 0;
}

int
sftp_split_words(const char *line, int partial, struct sftp_words *w)
{
	char *word, quote = 0;
	size_t i, len = 0, start = 0;
	int inword = 0;

	memset(w, 0, sizeof(*w));
	/* Escaping at most doubles the length. */
	word = xcalloc(2, strlen(line) + 1);
	for (i = 0; line[i] != '\0'; i++) {
		char c = line[i];

		if (quote == 0 && (c == ' ' || c == '\t' || c == '\n' ||
		    c == '\r')) {
			if (word_end(w, word, &len, &inword, start) != 0)
				goto fail;
			continue;
		}
		if (!inword) {
			inword = 1;
			start = i;
		}
		if (quote == 0 && (c == '\'' || c == '"')) {
			quote = c;
		} else if (quote != 0 && c == quote) {
			quote = 0;
		} else if (c == '\\' && quote != '\'' && line[i + 1] != '\0' &&
		    (quote == 0 || line[i + 1] == '"' || line[i + 1] == '\\')) {
			word_add(word, &len, line[++i], 1);
		} else {
			word_add(word, &len, c, quote != 0);
		}
	}
	if (quote != 0 && !partial) {
		error("Unterminated quoted argument");
		goto fail;
	}
	w->open_quote = quote;
	w->trailing_space = !inword;
	if (word_end(w, word, &len, &inword, start) != 0)
		goto fail;
	free(word);
	return 0;
 fail:
	free(word);
	sftp_words_free(w);
	return -1;
}

void
sftp_words_free(struct sftp_words *w)
{
	int i;

	for (i = 0; i < w->argc; i++)
		free(w->argv[i]);
	memset(w, 0, sizeof(*w));
}

char *
sftp_unescape(const char *s)
{
	char *out = xmalloc(strlen(s) + 1);
	size_t o = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\\' && s[1] != '\0')
			s++;
		out[o++] = *s;
	}
	out[o] = '\0';
	return out;
}

char *
sftp_escape_glob(const char *s)
{
	char *out = xcalloc(2, strlen(s) + 1);
	size_t o = 0;

	for (; *s != '\0'; s++) {
		if (is_glob_char(*s))
			out[o++] = '\\';
		out[o++] = *s;
	}
	out[o] = '\0';
	return out;
}

char *
sftp_basename(const char *path)
{
	const char *end, *start;
	size_t len;
	char *out;

	len = strlen(path);
	/* Trailing slashes are not part of the name. */
	while (len > 1 && path[len - 1] == '/')
		len--;
	end = path + len;
	for (start = end; start > path && start[-1] != '/'; start--)
		;
	if (start == end)
		return xstrdup(len > 0 && *path == '/' ? "/" : ".");
	out = xmalloc((size_t)(end - start) + 1);
	memcpy(out, start, (size_t)(end - start));
	out[end - start] = '\0';
	return out;
}

char *
sftp_path_strip(const char *path, const char *strip)
{
	size_t len;

	if (strip == NULL || (len = strlen(strip)) == 0 ||
	    strncmp(path, strip, len) != 0)
		return xstrdup(path);
	if (strip[len - 1] != '/' && path[len] == '/')
		len++;
	else if (strip[len - 1] != '/' && path[len] != '\0')
		return xstrdup(path);	/* "/ab" does not start in "/a" */
	return xstrdup(path + len);
}
