/*
 * misc-file.c: StrictModes ownership and permission checks of files and
 * the directories above them.
 */
#include "includes.h"

#include <sys/stat.h>

#include "errcode.h"
#include "misc.h"

/* Root or the user may own it; nobody else may be able to write it. */
static int
owner_and_mode_ok(const struct stat *st, uid_t uid)
{
	if (st->st_uid != 0 && st->st_uid != uid)
		return 0;
	return (st->st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

/* Cut the last component off an absolute path in place ("/a" -> "/"). */
static void
parent_dir(char *path)
{
	char *slash = strrchr(path, '/');

	if (slash == NULL || slash == path)
		strlcpy(path, "/", 2);
	else
		*slash = '\0';
}

int
safe_path(const char *path, const struct stat *st, const char *homedir,
    uid_t uid, char *err, size_t errlen)
{
	char buf[PATH_MAX], home[PATH_MAX];
	struct stat dst;
	int comparehome = 0;

	if (err != NULL && errlen > 0)
		*err = '\0';
	if (path == NULL || st == NULL || err == NULL || errlen == 0)
		return ERR_INVALID_ARGUMENT;
	if (realpath(path, buf) == NULL) {
		snprintf(err, errlen, "realpath %s failed: %s", path,
		    strerror(errno));
		return ERR_ERRNO;
	}
	if (homedir != NULL && realpath(homedir, home) != NULL)
		comparehome = 1;
	if (!S_ISREG(st->st_mode)) {
		snprintf(err, errlen, "%s is not a regular file", buf);
		return ERR_KEY_BAD_PERMISSIONS;
	}
	if (!owner_and_mode_ok(st, uid)) {
		snprintf(err, errlen, "bad ownership or modes for file %s",
		    buf);
		return ERR_KEY_BAD_PERMISSIONS;
	}
	/* Each directory above, up to the home directory or the root. */
	for (;;) {
		parent_dir(buf);
		if (stat(buf, &dst) == -1 || !owner_and_mode_ok(&dst, uid)) {
			snprintf(err, errlen,
			    "bad ownership or modes for directory %s", buf);
			return ERR_KEY_BAD_PERMISSIONS;
		}
		if (comparehome && strcmp(home, buf) == 0)
			break;
		if (strcmp(buf, "/") == 0)
			break;
	}
	return 0;
}

int
safe_path_fd(int fd, const char *path, const char *homedir, uid_t uid,
    char *err, size_t errlen)
{
	struct stat st;

	if (err != NULL && errlen > 0)
		*err = '\0';
	if (fstat(fd, &st) == -1) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "cannot stat file %s: %s",
			    path != NULL ? path : "(null)", strerror(errno));
		return ERR_ERRNO;
	}
	return safe_path(path, &st, homedir, uid, err, errlen);
}
