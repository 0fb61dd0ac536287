/*
 * sftp-server-realpath.c: path resolution for REALPATH and expand-path
 * (sftp-server-impl.h).
 *
 * realpath(3) insists that every component exists; SFTP clients ask for
 * the canonical name of a file they are about to create, so here the
 * last component may be missing (as OpenSSH's server allows).
 */
#include "includes.h"

#include <sys/stat.h>

#include "errcode.h"
#include "sftp-server-impl.h"

/* Symbolic links followed in one resolution before ELOOP. */
#define SFTP_MAX_SYMLINKS	32

/* ERR_ERRNO with errno set to e. */
static int
sftp_errno(int e)
{
	errno = e;
	return ERR_ERRNO;
}

/*
 * Move the first component of rest (skipping leading slashes) into comp
 * and drop it from rest, which then starts with '/' or is empty.
 * Returns the component's length (0: nothing left), -1 if it does not
 * fit comp.
 */
static ssize_t
sftp_next_component(char *rest, char *comp, size_t complen)
{
	size_t skip = strspn(rest, "/"), n = strcspn(rest + skip, "/");

	if (n >= complen)
		return -1;
	memcpy(comp, rest + skip, n);
	comp[n] = '\0';
	memmove(rest, rest + skip + n, strlen(rest + skip + n) + 1);
	return (ssize_t)n;
}

/* Drop the last component of the absolute path res ("/a/b" -> "/a"). */
static void
sftp_pop_component(char *res)
{
	char *slash = strrchr(res, '/');

	if (slash == NULL || slash == res)
		res[1] = '\0';		/* back at "/" */
	else
		*slash = '\0';
}

/* Put the target of the link at res in front of rest. */
static int
sftp_splice_link(const char *res, char *rest, size_t restlen, int *absp)
{
	char target[PATH_MAX];
	ssize_t n;
	size_t tail = strlen(rest);

	if ((n = readlink(res, target, sizeof(target) - 1)) == -1)
		return ERR_ERRNO;
	if ((size_t)n >= sizeof(target) - 1 || (size_t)n + tail + 1 > restlen)
		return sftp_errno(ENAMETOOLONG);
	memmove(rest + n, rest, tail + 1);
	memcpy(rest, target, (size_t)n);
	*absp = n > 0 && target[0] == '/';
	return 0;
}

/* One step: add comp to res and look at what that names. */
static int
sftp_resolve_step(char *res, size_t reslen, const char *comp, char *rest,
    size_t restlen, int *nlinksp, int *donep)
{
	struct stat st;
	int last = rest[strspn(rest, "/")] == '\0', abs, r;

	if (strcmp(comp, ".") == 0)
		return 0;
	if (strcmp(comp, "..") == 0) {
		sftp_pop_component(res);
		return 0;
	}
	if ((strcmp(res, "/") != 0 && strlcat(res, "/", reslen) >= reslen) ||
	    strlcat(res, comp, reslen) >= reslen)
		return sftp_errno(ENAMETOOLONG);
	if (lstat(res, &st) == -1) {
		if (errno == ENOENT && last) {
			*donep = 1;	/* a name yet to be created */
			return 0;
		}
		return ERR_ERRNO;
	}
	if (S_ISLNK(st.st_mode)) {
		if (++(*nlinksp) > SFTP_MAX_SYMLINKS)
			return sftp_errno(ELOOP);
		if ((r = sftp_splice_link(res, rest, restlen, &abs)) != 0)
			return r;
		if (abs)
			strlcpy(res, "/", reslen);
		else
			sftp_pop_component(res);
		return 0;
	}
	if (!S_ISDIR(st.st_mode) && !last)
		return sftp_errno(ENOTDIR);
	return 0;
}

int
sftp_realpath(const char *path, char **retp)
{
	char res[PATH_MAX], rest[PATH_MAX], comp[NAME_MAX + 1];
	int nlinks = 0, done = 0, r;
	ssize_t n;

	*retp = NULL;
	if (path[0] == '\0')
		path = ".";
	if (strlcpy(rest, path, sizeof(rest)) >= sizeof(rest))
		return sftp_errno(ENAMETOOLONG);
	if (rest[0] == '/')
		strlcpy(res, "/", sizeof(res));
	else if (getcwd(res, sizeof(res)) == NULL)
		return ERR_ERRNO;
	else if (res[0] != '/')
		return sftp_errno(ENOENT);	/* "(unreachable)/..." */
	while (!done) {
		if ((n = sftp_next_component(rest, comp, sizeof(comp))) == -1)
			return sftp_errno(ENAMETOOLONG);
		if (n == 0)
			break;
		if ((r = sftp_resolve_step(res, sizeof(res), comp, rest,
		    sizeof(rest), &nlinks, &done)) != 0)
			return r;
	}
	if ((*retp = strdup(res)) == NULL)
		return ERR_ALLOC_FAIL;
	return 0;
}
