/*
 * misc.c: I/O helpers, string expansion and config-line tokenising.
 * Number and time parsing is in misc-num.c, file checks in misc-file.c.
 */
#include "includes.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <ctype.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>

#include "errcode.h"
#include "misc.h"

/* Largest result percent_expand() builds. */
#define PERCENT_EXPAND_MAX	(64 * 1024)

/* ------------------------------------------------------------ I/O */

/*
 * Wait until fd is ready for the direction we want after EAGAIN.
 * 0 to retry, -1 (errno set) to give up.
 */
static int
wait_fd(int fd, short events)
{
	struct pollfd pfd;

	pfd.fd = fd;
	pfd.events = events;
	pfd.revents = 0;
	if (poll(&pfd, 1, -1) == -1 && errno != EINTR && errno != EAGAIN)
		return -1;
	return 0;
}

/*
 * Account for r, what one read(2) or write(2) of an atomicio loop
 * returned: 1 to go on (progress, EINTR, or EAGAIN once fd is ready for
 * events), 0 to stop with errno set (an error, or EPIPE at end of file).
 */
static int
atomicio_step(int fd, ssize_t r, short events, size_t *donep)
{
	if (r == -1) {
		if (errno == EINTR)
			return 1;
		return (errno == EAGAIN || errno == EWOULDBLOCK) &&
		    wait_fd(fd, events) == 0;
	}
	if (r == 0) {
		errno = EPIPE;
		return 0;
	}
	*donep += (size_t)r;
	return 1;
}

size_t
atomicio_read(int fd, void *p, size_t n)
{
	unsigned char *s = p;
	size_t done = 0;

	while (done < n &&
	    atomicio_step(fd, read(fd, s + done, n - done), POLLIN, &done))
		;
	return done;
}

size_t
atomicio_write(int fd, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t done = 0;

	while (done < n &&
	    atomicio_step(fd, write(fd, s + done, n - done), POLLOUT, &done))
		;
	return done;
}

static int
change_flag(int fd, int set)
{
	int flags, want;

	if ((flags = fcntl(fd, F_GETFL)) == -1)
		return ERR_ERRNO;
	want = set ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
	if (want != flags && fcntl(fd, F_SETFL, want) == -1)
		return ERR_ERRNO;
	return 0;
}

int
set_nonblock(int fd)
{
	return change_flag(fd, 1);
}

int
unset_nonblock(int fd)
{
	return change_flag(fd, 0);
}

int
sanitise_stdfd(void)
{
	int fd, nullfd = -1, r = 0;

	for (fd = 0; fd <= STDERR_FILENO; fd++) {
		if (fcntl(fd, F_GETFL) != -1 || errno != EBADF)
			continue;
		if (nullfd == -1 &&
		    (nullfd = open("/dev/null", O_RDWR)) == -1)
			return ERR_ERRNO;
		/* open() may itself have filled this very slot. */
		if (nullfd != fd && dup2(nullfd, fd) == -1) {
			r = ERR_ERRNO;
			break;
		}
	}
	if (nullfd > STDERR_FILENO)
		close(nullfd);
	return r;
}

int
stdfd_devnull(int do_stdin, int do_stdout, int do_stderr)
{
	int fd, r = 0, saved;

	if ((fd = open("/dev/null", O_RDWR)) == -1)
		return ERR_ERRNO;
	if ((do_stdin && dup2(fd, STDIN_FILENO) == -1) ||
	    (do_stdout && dup2(fd, STDOUT_FILENO) == -1) ||
	    (do_stderr && dup2(fd, STDERR_FILENO) == -1))
		r = ERR_ERRNO;
	saved = errno;
	if (fd > STDERR_FILENO)
		close(fd);
	errno = saved;
	return r;
}

int
unix_listener(const char *path, int backlog, int unlink_first)
{
	struct sockaddr_un sun;
	int fd, saved;

	if (path == NULL || *path == '\0')
		return ERR_INVALID_ARGUMENT;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path))
		return ERR_INVALID_ARGUMENT;
	if (unlink_first && unlink(path) == -1 && errno != ENOENT)
		return ERR_ERRNO;
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return ERR_ERRNO;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, backlog) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return ERR_ERRNO;
	}
	return fd;
}

/* ------------------------------------------------------------ strings */

void
lowercase(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

const char *
strprefix(const char *s, const char *prefix, int ignorecase)
{
	size_t len;

	if (s == NULL || prefix == NULL)
		return NULL;
	len = strlen(prefix);
	if (ignorecase ? strncasecmp(s, prefix, len) != 0 :
	    strncmp(s, prefix, len) != 0)
		return NULL;
	return s + len;
}

char *
path_append(const char *dir, const char *name)
{
	size_t dlen, nlen, len;
	int need_slash;
	char *ret;

	if (dir == NULL || name == NULL)
		return NULL;
	dlen = strlen(dir);
	nlen = strlen(name);
	need_slash = dlen > 0 && dir[dlen - 1] != '/';
	/* No overflow: both strings already exist in memory. */
	len = dlen + (need_slash ? 1 : 0) + nlen + 1;
	if ((ret = malloc(len)) == NULL)
		return NULL;
	memcpy(ret, dir, dlen);
	if (need_slash)
		ret[dlen++] = '/';
	memcpy(ret + dlen, name, nlen + 1);
	return ret;
}

int
tilde_expand(const char *path, uid_t uid, char **retp)
{
	char user[256];
	const char *slash, *rest;
	struct passwd *pw;
	size_t ulen;
	char *ret;

	if (retp == NULL)
		return ERR_INVALID_ARGUMENT;
	*retp = NULL;
	if (path == NULL)
		return ERR_INVALID_ARGUMENT;
	if (*path != '~') {
		if ((*retp = strdup(path)) == NULL)
			return ERR_ALLOC_FAIL;
		return 0;
	}
	slash = strchr(path + 1, '/');
	ulen = slash != NULL ? (size_t)(slash - (path + 1)) : strlen(path + 1);
	if (ulen >= sizeof(user))
		return ERR_INVALID_FORMAT;
	if (ulen == 0)
		pw = getpwuid(uid);
	else {
		memcpy(user, path + 1, ulen);
		user[ulen] = '\0';
		pw = getpwnam(user);
	}
	if (pw == NULL || pw->pw_dir == NULL)
		return ERR_NOT_FOUND;
	if (slash == NULL)
		ret = strdup(pw->pw_dir);
	else {
		rest = slash + 1;
		ret = path_append(pw->pw_dir, rest);
	}
	if (ret == NULL)
		return ERR_ALLOC_FAIL;
	*retp = ret;
	return 0;
}

/* The value of %key in map, NULL if there is none. */
static const char *
percent_lookup(const struct percent_map *map, char key)
{
	if (map == NULL)
		return NULL;
	for (; map->key != '\0'; map++) {
		if (map->key == key)
			return map->value;
	}
	return NULL;
}

/*
 * One pass of percent_expand(): with out NULL only measure.  *lenp gets
 * the length of the result without its NUL.
 */
static int
percent_pass(const char *s, const struct percent_map *map, char *out,
    size_t *lenp)
{
	const char *v;
	size_t len = 0, vlen;

	for (; *s != '\0'; s++) {
		if (*s != '%') {
			vlen = 1;
			v = s;
		} else if (*++s == '%') {
			vlen = 1;
			v = s;
		} else if (*s == '\0' || (v = percent_lookup(map, *s)) == NULL)
			return ERR_INVALID_FORMAT;
		else
			vlen = strlen(v);
		if (vlen > PERCENT_EXPAND_MAX - len)
			return ERR_STRING_TOO_LARGE;
		if (out != NULL)
			memcpy(out + len, v, vlen);
		len += vlen;
	}
	*lenp = len;
	return 0;
}

int
percent_expand(const char *s, const struct percent_map *map, char **retp)
{
	size_t len, len2;
	char *ret;
	int r;

	if (retp == NULL)
		return ERR_INVALID_ARGUMENT;
	*retp = NULL;
	if (s == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((r = percent_pass(s, map, NULL, &len)) != 0)
		return r;
	if ((ret = malloc(len + 1)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = percent_pass(s, map, ret, &len2)) != 0 || len2 != len) {
		free(ret);
		return r != 0 ? r : ERR_INTERNAL;
	}
	ret[len] = '\0';
	*retp = ret;
	return 0;
}

/* ------------------------------------------------------------ argv */

void
argv_free(char **argv, int argc)
{
	int i;

	if (argv == NULL)
		return;
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

/*
 * Copy one word starting at *pp (not whitespace) into a new string,
 * removing quotes and escapes; *pp is left at the character that ended
 * the word (space, tab or NUL).
 */
static int
argv_next_word(const char **pp, char **wordp)
{
	const char *p = *pp;
	char *word, quote = '\0';
	size_t j = 0;

	*wordp = NULL;
	if ((word = malloc(strlen(p) + 1)) == NULL)
		return ERR_ALLOC_FAIL;
	for (; *p != '\0'; p++) {
		if (*p == '\\' && (p[1] == '\'' || p[1] == '"' ||
		    p[1] == '\\' || (quote == '\0' && p[1] == ' '))) {
			word[j++] = *++p;	/* escaped: take it literally */
		} else if (quote == '\0' && (*p == ' ' || *p == '\t'))
			break;
		else if (quote == '\0' && (*p == '"' || *p == '\''))
			quote = *p;
		else if (quote != '\0' && *p == quote)
			quote = '\0';
		else
			word[j++] = *p;
	}
	if (quote != '\0') {
		free(word);
		return ERR_INVALID_FORMAT;
	}
	word[j] = '\0';
	*pp = p;
	*wordp = word;
	return 0;
}

int
argv_split(const char *s, int *argcp, char ***argvp,
    int terminate_on_comment)
{
	int r = ERR_INTERNAL, argc = 0;
	char **argv = NULL, **tmp, *word = NULL;
	const char *p = s;

	if (argcp != NULL)
		*argcp = 0;
	if (argvp != NULL)
		*argvp = NULL;
	if (s == NULL || argcp == NULL || argvp == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((argv = calloc(1, sizeof(*argv))) == NULL)
		return ERR_ALLOC_FAIL;
	for (;;) {
		p += strspn(p, " \t");
		if (*p == '\0' || (terminate_on_comment && *p == '#'))
			break;
		if ((r = argv_next_word(&p, &word)) != 0)
			goto out;
		if (argc >= INT_MAX - 1) {
			r = ERR_INVALID_ARGUMENT;
			goto out;
		}
		tmp = reallocarray(argv, (size_t)argc + 2, sizeof(*argv));
		if (tmp == NULL) {
			r = ERR_ALLOC_FAIL;
			goto out;
		}
		argv = tmp;
		argv[argc++] = word;
		argv[argc] = NULL;
		word = NULL;
	}
	*argcp = argc;
	*argvp = argv;
	argv = NULL;
	argc = 0;
	r = 0;
 out:
	free(word);
	argv_free(argv, argc);
	return r;
}

/* Characters a POSIX shell never treats specially inside a word. */
static int
shell_safe(char c, int first_word)
{
	if (isalnum((unsigned char)c))
		return 1;
	/* "a=b" as the first word would be a variable assignment. */
	if (c == '=')
		return !first_word;
	return c != '\0' && strchr("-_./:,@+%", c) != NULL;
}

/*
 * Quote one word into out (NULL: only measure); returns its length.
 * Single quotes protect everything but ' and \, which are written
 * backslash-escaped outside the quotes so both sh and argv_split() read
 * them back.
 */
static size_t
quote_word(const char *w, int first_word, char *out)
{
	size_t i, n = 0;
	int safe = *w != '\0', inq = 0;

	for (i = 0; w[i] != '\0' && safe; i++)
		safe = shell_safe(w[i], first_word);
	if (safe) {
		n = strlen(w);
		if (out != NULL)
			memcpy(out, w, n);
		return n;
	}
#define PUT(ch) do { if (out != NULL) out[n] = (ch); n++; } while (0)
	for (i = 0; w[i] != '\0'; i++) {
		if (w[i] == '\'' || w[i] == '\\') {
			if (inq)
				PUT('\'');
			inq = 0;
			PUT('\\');
			PUT(w[i]);
			continue;
		}
		if (!inq)
			PUT('\'');
		inq = 1;
		PUT(w[i]);
	}
	if (inq || i == 0) {
		if (i == 0)
			PUT('\'');	/* the empty word: '' */
		PUT('\'');
	}
#undef PUT
	return n;
}

char *
argv_assemble(int argc, char **argv)
{
	size_t len = 0, wlen;
	char *ret;
	int i;

	if (argc < 0 || (argc > 0 && argv == NULL))
		return NULL;
	for (i = 0; i < argc; i++) {
		if (argv[i] == NULL)
			return NULL;
		/* A word at most quadruples (a'b -> a'\''b), plus quotes. */
		wlen = strlen(argv[i]);
		if (wlen > (SIZE_MAX / 4) - 4 ||
		    len > SIZE_MAX - (wlen * 4 + 4))
			return NULL;
		len += quote_word(argv[i], i == 0, NULL) + 1;
	}
	if ((ret = malloc(len + 1)) == NULL)
		return NULL;
	len = 0;
	for (i = 0; i < argc; i++) {
		if (i != 0)
			ret[len++] = ' ';
		len += quote_word(argv[i], i == 0, ret + len);
	}
	ret[len] = '\0';
	return ret;
}

/* ------------------------------------------------------------ words */

#define WHITESPACE	" \t\r\n"

static char *
strdelim_internal(char **s, int split_equals)
{
	char *p, *w, *word;
	int had_equals = 0;

	if (s == NULL || *s == NULL)
		return NULL;
	p = *s + strspn(*s, WHITESPACE);
	if (*p == '\0') {
		*s = NULL;
		return NULL;
	}
	/* Compact the word in place, dropping its quote characters. */
	word = w = p;
	while (*p != '\0' && strchr(WHITESPACE, *p) == NULL &&
	    !(split_equals && *p == '=')) {
		if (*p != '"') {
			*w++ = *p++;
			continue;
		}
		/* A quoted part may hold whitespace and '='. */
		for (p++; *p != '"'; p++) {
			if (*p == '\0') {
				*s = NULL;
				return NULL;	/* unterminated quote */
			}
			*w++ = *p;
		}
		p++;
	}
	if (*p == '=')
		had_equals = 1;
	if (*p != '\0')
		p++;
	*w = '\0';
	p += strspn(p, WHITESPACE);
	if (split_equals && !had_equals && *p == '=') {
		p++;
		p += strspn(p, WHITESPACE);
	}
	*s = p;
	return word;
}

char *
strdelim(char **s)
{
	return strdelim_internal(s, 1);
}

char *
strdelimw(char **s)
{
	return strdelim_internal(s, 0);
}

char *
hpdelim(char **cp)
{
	char *s, *host, *end;

	if (cp == NULL || *cp == NULL)
		return NULL;
	s = *cp;
	if (*s == '[') {
		if ((end = strchr(s, ']')) == NULL)
			return NULL;
		host = s + 1;
		*end++ = '\0';
		if (*end != ':' && *end != '\0')
			return NULL;
	} else {
		host = s;
		end = s + strcspn(s, ":");
	}
	if (*end == '\0')
		*cp = NULL;
	else {
		*end = '\0';
		*cp = end + 1;
	}
	return host;
}
