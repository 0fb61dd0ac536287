/*
 * sftp-client-dir.c: recursive transfers of directory trees: download,
 * upload and crossload (sftp-client.h).  Each directory is listed,
 * regular files are copied with the single-file functions, directories
 * are entered (at most SFTPC_MAX_DEPTH deep), and everything else is
 * skipped with a message.  A failure on one file is reported and the
 * walk goes on; the result is the first failure.
 */
#include "includes.h"

#include <sys/stat.h>
#include <sys/time.h>
#include <dirent.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "sftp.h"
#include "sftp-common.h"
#include "sftp-client.h"
#include "sftp-client-impl.h"

/* "." and ".." are never copied. */
static int
dir_is_dot(const char *name)
{
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

/* A name from a listing that would leave the directory is refused. */
static int
dir_name_ok(const char *name)
{
	return *name != '\0' && strchr(name, '/') == NULL && !dir_is_dot(name);
}

static int
dir_depth_ok(int depth)
{
	if (depth < SFTPC_MAX_DEPTH)
		return 1;
	error("Maximum directory depth exceeded: %d levels", depth);
	return 0;
}

/* Keep the first failure. */
static void
dir_note(int *firstp, int r)
{
	if (r != 0 && *firstp == 0)
		*firstp = r;
}

/* ------------------------------------------------------------ download */

static int dl_dir(struct sftp_conn *, const char *, const char *,
    const struct sftp_attrs *, const struct sftpc_xfer *, int);

/* Set mode and (with preserve) times of a finished local directory. */
static int
dl_dir_finish(const char *dst, const struct sftp_attrs *a,
    const struct sftpc_xfer *x)
{
	struct timeval tv[2];

	if (!x->preserve)
		return 0;
	if ((a->flags & SSH2_FILEXFER_ATTR_PERMISSIONS) &&
	    chmod(dst, (mode_t)(a->perm & 07777)) == -1) {
		error("Can't set mode on \"%s\": %s", dst, strerror(errno));
		return ERR_ERRNO;
	}
	if (a->flags & SSH2_FILEXFER_ATTR_ACMODTIME) {
		tv[0].tv_sec = (time_t)a->atime;
		tv[1].tv_sec = (time_t)a->mtime;
		tv[0].tv_usec = tv[1].tv_usec = 0;
		if (utimes(dst, tv) == -1) {
			error("Can't set times on \"%s\": %s", dst,
			    strerror(errno));
			return ERR_ERRNO;
		}
	}
	return 0;
}

/* One entry of a remote directory listing. */
static int
dl_dir_entry(struct sftp_conn *conn, const char *src, const char *dst,
    const struct sftpc_dirent *ent, const struct sftpc_xfer *x, int depth)
{
	struct sftp_attrs a = ent->a;
	char *nsrc = NULL, *ndst = NULL;
	int r = ERR_ALLOC_FAIL;

	if ((nsrc = path_append(src, ent->filename)) == NULL ||
	    (ndst = path_append(dst, ent->filename)) == NULL)
		goto out;
	if (S_ISLNK(a.perm) && x->follow_links) {
		/* Links are followed to what they name (if anything). */
		if ((r = sftpc_stat(conn, nsrc, 0, &a)) != 0)
			goto out;
	}
	if (S_ISDIR(a.perm)) {
		r = dl_dir(conn, nsrc, ndst, &a, x, depth + 1);
	} else if (S_ISREG(a.perm)) {
		if ((r = sftpc_download(conn, nsrc, ndst, &a, x)) != 0)
			error("Download of file %s to %s failed", nsrc, ndst);
	} else {
		logit("download \"%s\": not a regular file", nsrc);
		r = 0;
	}
 out:
	free(nsrc);
	free(ndst);
	return r;
}

static int
dl_dir(struct sftp_conn *conn, const char *src, const char *dst,
    const struct sftp_attrs *given, const struct sftpc_xfer *x, int depth)
{
	struct sftpc_dirent **ents = NULL;
	struct sftp_attrs a;
	size_t i, n = 0;
	mode_t mode = 0777;
	int r, first = 0;

	if (!dir_depth_ok(depth))
		return ERR_INVALID_ARGUMENT;
	if (given != NULL)
		a = *given;
	else if ((r = sftpc_stat(conn, src, 0, &a)) != 0)
		return r;
	if (!(a.flags & SSH2_FILEXFER_ATTR_PERMISSIONS) || !S_ISDIR(a.perm)) {
		error("\"%s\" is not a directory", src);
		return ERR_INVALID_ARGUMENT;
	}
	sftpc_notify(x, SFTPC_EV_DIR, src, dst, 0, 0);
	mode = (mode_t)(a.perm & 0777);
	if (mkdir(dst, mode | S_IRWXU) == -1 && errno != EEXIST) {
		error("mkdir %s: %s", dst, strerror(errno));
		return ERR_ERRNO;
	}
	if ((r = sftpc_readdir_all(conn, src, 0, &ents, &n)) != 0) {
		error("remote readdir \"%s\" failed", src);
		return r;
	}
	for (i = 0; i < n; i++) {
		if (sftpc_interrupted(conn)) {
			dir_note(&first, ERR_INTERRUPTED);
			break;
		}
		if (!dir_name_ok(ents[i]->filename)) {
			if (!dir_is_dot(ents[i]->filename))
				error("Refusing name \"%s\" in %s",
				    ents[i]->filename, src);
			continue;
		}
		dir_note(&first, dl_dir_entry(conn, src, dst, ents[i], x,
		    depth));
		if (sftpc_is_dead(conn))
			break;
	}
	sftpc_dirents_free(ents, n);
	dir_note(&first, dl_dir_finish(dst, &a, x));
	return first;
}

int
sftpc_download_dir(struct sftp_conn *conn, const char *remote_dir,
    const char *local_dir, const struct sftp_attrs *a,
    const struct sftpc_xfer *x)
{
	static const struct sftpc_xfer none;
	char *canon = NULL;
	int r;

	/* Work from the canonical path: messages and names come from it. */
	if (sftpc_realpath(conn, remote_dir, &canon) != 0) {
		error("download \"%s\": path canonicalization failed",
		    remote_dir);
		return ERR_NOT_FOUND;
	}
	r = dl_dir(conn, canon, local_dir, a, x != NULL ? x : &none, 0);
	free(canon);
	return r;
}

/* ------------------------------------------------------------ upload */

static int ul_dir(struct sftp_conn *, const char *, const char *,
    const struct sftpc_xfer *, int);

/* One entry of a local directory. */
static int
ul_dir_entry(struct sftp_conn *conn, const char *src, const char *dst,
    const char *name, const struct sftpc_xfer *x, int depth)
{
	char *nsrc = NULL, *ndst = NULL;
	struct stat st;
	int r = ERR_ALLOC_FAIL;

	if ((nsrc = path_append(src, name)) == NULL ||
	    (ndst = path_append(dst, name)) == NULL)
		goto out;
	if ((x->follow_links ? stat(nsrc, &st) : lstat(nsrc, &st)) == -1) {
		error("%s: %s", nsrc, strerror(errno));
		r = ERR_ERRNO;
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		r = ul_dir(conn, nsrc, ndst, x, depth + 1);
	} else if (S_ISREG(st.st_mode)) {
		if ((r = sftpc_upload(conn, nsrc, ndst, x)) != 0)
			error("Uploading of file %s to %s failed!", nsrc,
			    ndst);
	} else {
		logit("%s: not a regular file", name);
		r = 0;
	}
 out:
	free(nsrc);
	free(ndst);
	return r;
}

/* Create remote directory dst, or accept an existing one. */
static int
ul_dir_mkdir(struct sftp_conn *conn, const char *dst,
    const struct sftp_attrs *a)
{
	struct sftp_attrs ra;
	int r;

	if (sftpc_mkdir(conn, dst, a, 1) == 0)
		return 0;
	if (sftpc_is_dead(conn))
		return ERR_CONN_CLOSED;
	if ((r = sftpc_stat(conn, dst, 0, &ra)) != 0)
		return r;
	if (!(ra.flags & SSH2_FILEXFER_ATTR_PERMISSIONS) || !S_ISDIR(ra.perm)) {
		error("\"%s\" exists but is not a directory", dst);
		return ERR_INVALID_ARGUMENT;
	}
	return 0;
}

/* Copy each entry of local directory src, in readdir order. */
static int
ul_dir_walk(struct sftp_conn *conn, const char *src, const char *dst,
    const struct sftpc_xfer *x, int depth)
{
	struct dirent *de;
	DIR *dirp;
	int first = 0;

	if ((dirp = opendir(src)) == NULL) {
		error("Failed to open dir \"%s\": %s", src, strerror(errno));
		return ERR_ERRNO;
	}
	while ((de = readdir(dirp)) != NULL) {
		if (sftpc_interrupted(conn)) {
			dir_note(&first, ERR_INTERRUPTED);
			break;
		}
		if (!dir_name_ok(de->d_name))
			continue;
		dir_note(&first, ul_dir_entry(conn, src, dst, de->d_name, x,
		    depth));
		if (sftpc_is_dead(conn))
			break;
	}
	closedir(dirp);
	return first;
}

static int
ul_dir(struct sftp_conn *conn, const char *src, const char *dst,
    const struct sftpc_xfer *x, int depth)
{
	struct sftp_attrs a;
	struct stat st;
	int r, first = 0;

	if (!dir_depth_ok(depth))
		return ERR_INVALID_ARGUMENT;
	if (stat(src, &st) == -1) {
		error("stat local \"%s\": %s", src, strerror(errno));
		return ERR_ERRNO;
	}
	if (!S_ISDIR(st.st_mode)) {
		error("\"%s\" is not a directory", src);
		return ERR_INVALID_ARGUMENT;
	}
	sftpc_notify(x, SFTPC_EV_DIR, src, dst, 0, 0);
	sftp_attrs_from_stat(&st, &a);
	a.flags &= ~(uint32_t)(SSH2_FILEXFER_ATTR_SIZE |
	    SSH2_FILEXFER_ATTR_UIDGID);
	a.perm &= 0777;
	if (!x->preserve)
		a.flags &= ~(uint32_t)SSH2_FILEXFER_ATTR_ACMODTIME;
	if ((r = ul_dir_mkdir(conn, dst, &a)) != 0)
		return r;
	dir_note(&first, ul_dir_walk(conn, src, dst, x, depth));
	if (!sftpc_is_dead(conn))
		dir_note(&first, sftpc_setstat(conn, dst, &a));
	return first;
}

int
sftpc_upload_dir(struct sftp_conn *conn, const char *local_dir,
    const char *remote_dir, const struct sftpc_xfer *x)
{
	static const struct sftpc_xfer none;
	char *canon = NULL;
	int r;

	if (sftpc_realpath(conn, remote_dir, &canon) != 0) {
		error("upload \"%s\": path canonicalization failed",
		    remote_dir);
		return ERR_NOT_FOUND;
	}
	r = ul_dir(conn, local_dir, canon, x != NULL ? x : &none, 0);
	free(canon);
	return r;
}

/* ------------------------------------------------------------ crossload */

static int cl_dir(struct sftp_conn *, const char *, struct sftp_conn *,
    const char *, const struct sftp_attrs *, const struct sftpc_xfer *,
    int);

static int
cl_dir_entry(struct sftp_conn *from, const char *src, struct sftp_conn *to,
    const char *dst, const struct sftpc_dirent *ent,
    const struct sftpc_xfer *x, int depth)
{
	struct sftp_attrs a = ent->a;
	char *nsrc = NULL, *ndst = NULL;
	int r = ERR_ALLOC_FAIL;

	if ((nsrc = path_append(src, ent->filename)) == NULL ||
	    (ndst = path_append(dst, ent->filename)) == NULL)
		goto out;
	if (S_ISLNK(a.perm) && x->follow_links &&
	    (r = sftpc_stat(from, nsrc, 0, &a)) != 0)
		goto out;
	if (S_ISDIR(a.perm)) {
		r = cl_dir(from, nsrc, to, ndst, &a, x, depth + 1);
	} else if (S_ISREG(a.perm)) {
		if ((r = sftpc_crossload(from, nsrc, to, ndst, &a, x)) != 0)
			error("Transfer of file %s to %s failed", nsrc, ndst);
	} else {
		logit("%s: not a regular file", nsrc);
		r = 0;
	}
 out:
	free(nsrc);
	free(ndst);
	return r;
}

static int
cl_dir(struct sftp_conn *from, const char *src, struct sftp_conn *to,
    const char *dst, const struct sftp_attrs *given,
    const struct sftpc_xfer *x, int depth)
{
	struct sftpc_dirent **ents = NULL;
	struct sftp_attrs a, da;
	size_t i, n = 0;
	int r, first = 0;

	if (!dir_depth_ok(depth))
		return ERR_INVALID_ARGUMENT;
	if (given != NULL)
		a = *given;
	else if ((r = sftpc_stat(from, src, 0, &a)) != 0)
		return r;
	if (!(a.flags & SSH2_FILEXFER_ATTR_PERMISSIONS) || !S_ISDIR(a.perm)) {
		error("\"%s\" is not a directory", src);
		return ERR_INVALID_ARGUMENT;
	}
	sftpc_notify(x, SFTPC_EV_DIR, src, dst, 0, 0);
	da = a;
	da.flags &= ~(uint32_t)(SSH2_FILEXFER_ATTR_SIZE |
	    SSH2_FILEXFER_ATTR_UIDGID);
	da.perm &= 0777;
	if (!x->preserve)
		da.flags &= ~(uint32_t)SSH2_FILEXFER_ATTR_ACMODTIME;
	if ((r = ul_dir_mkdir(to, dst, &da)) != 0)
		return r;
	if ((r = sftpc_readdir_all(from, src, 0, &ents, &n)) != 0) {
		error("remote readdir \"%s\" failed", src);
		return r;
	}
	for (i = 0; i < n && !sftpc_is_dead(from) && !sftpc_is_dead(to);
	    i++) {
		if (!dir_name_ok(ents[i]->filename))
			continue;
		dir_note(&first, cl_dir_entry(from, src, to, dst, ents[i], x,
		    depth));
	}
	sftpc_dirents_free(ents, n);
	if (!sftpc_is_dead(to))
		dir_note(&first, sftpc_setstat(to, dst, &da));
	return first;
}

int
sftpc_crossload_dir(struct sftp_conn *from, const char *from_dir,
    struct sftp_conn *to, const char *to_dir, const struct sftp_attrs *a,
    const struct sftpc_xfer *x)
{
	static const struct sftpc_xfer none;
	char *canon = NULL;
	int r;

	if (sftpc_realpath(from, from_dir, &canon) != 0) {
		error("crossload \"%s\": path canonicalization failed",
		    from_dir);
		return ERR_NOT_FOUND;
	}
	r = cl_dir(from, canon, to, to_dir, a, x != NULL ? x : &none, 0);
	free(canon);
	return r;
}
