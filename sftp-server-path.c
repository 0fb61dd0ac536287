/*
 * sftp-server-path.c: SFTP requests on path names: LSTAT, STAT, SETSTAT,
 * REMOVE, MKDIR, RMDIR, REALPATH, RENAME, READLINK, SYMLINK and the
 * posix-rename, hardlink, lsetstat and statvfs extensions
 * (sftp-server-impl.h).
 */
#include "includes.h"

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <fcntl.h>
#include <stdio.h>
#include <time.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "sftp.h"
#include "sftp-common.h"
#include "sftp-server-impl.h"

/* ---------------------------------------------------------------- attrs */

void
sftp_log_setstat(const char *name, const struct sftp_attrs *a)
{
	char when[64];
	time_t t;
	struct tm tm;

	if (a->flags & SSH2_FILEXFER_ATTR_SIZE)
		logit("set \"%s\" size %llu", name,
		    (unsigned long long)a->size);
	if (a->flags & SSH2_FILEXFER_ATTR_PERMISSIONS)
		logit("set \"%s\" mode %04o", name, a->perm & 07777);
	if (a->flags & SSH2_FILEXFER_ATTR_ACMODTIME) {
		t = (time_t)a->mtime;
		if (localtime_r(&t, &tm) == NULL ||
		    strftime(when, sizeof(when), "%Y%m%d-%H:%M:%S", &tm) == 0)
			strlcpy(when, "?", sizeof(when));
		logit("set \"%s\" modtime %s", name, when);
	}
	if (a->flags & SSH2_FILEXFER_ATTR_UIDGID)
		logit("set \"%s\" owner %lu group %lu", name,
		    (u_long)a->uid, (u_long)a->gid);
}

/* errno, or EOPNOTSUPP when path is a symbolic link (lsetstat). */
static int
sftp_not_symlink(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == -1)
		return errno;
	return S_ISLNK(st.st_mode) ? EOPNOTSUPP : 0;
}

static int
sftp_apply_size(int fd, const char *path, int nofollow, uint64_t size)
{
	int err;

	if (size > INT64_MAX)
		return EINVAL;
	if (fd != -1)
		return ftruncate(fd, (off_t)size) == -1 ? errno : 0;
	if (nofollow && (err = sftp_not_symlink(path)) != 0)
		return err;
	return truncate(path, (off_t)size) == -1 ? errno : 0;
}

static int
sftp_apply_mode(int fd, const char *path, int nofollow, mode_t mode)
{
	int err;

	if (fd != -1)
		return fchmod(fd, mode) == -1 ? errno : 0;
	/*
	 * Linux cannot change a link's own mode; check for one rather than
	 * use fchmodat(AT_SYMLINK_NOFOLLOW), which needs /proc (chroots).
	 */
	if (nofollow && (err = sftp_not_symlink(path)) != 0)
		return err;
	return chmod(path, mode) == -1 ? errno : 0;
}

static int
sftp_apply_times(int fd, const char *path, int nofollow, uint32_t atime,
    uint32_t mtime)
{
	struct timespec ts[2];

	memset(ts, 0, sizeof(ts));
	ts[0].tv_sec = (time_t)atime;
	ts[1].tv_sec = (time_t)mtime;
	if (fd != -1)
		return futimens(fd, ts) == -1 ? errno : 0;
	if (utimensat(AT_FDCWD, path, ts,
	    nofollow ? AT_SYMLINK_NOFOLLOW : 0) == -1)
		return errno;
	return 0;
}

static int
sftp_apply_owner(int fd, const char *path, int nofollow, uint32_t uid,
    uint32_t gid)
{
	int ret;

	if (fd != -1)
		ret = fchown(fd, (uid_t)uid, (gid_t)gid);
	else if (nofollow)
		ret = lchown(path, (uid_t)uid, (gid_t)gid);
	else
		ret = chown(path, (uid_t)uid, (gid_t)gid);
	return ret == -1 ? errno : 0;
}

int
sftp_apply_attrs(int fd, const char *path, int nofollow,
    const struct sftp_attrs *a)
{
	int err = 0;

	if ((a->flags & SSH2_FILEXFER_ATTR_SIZE) &&
	    (err = sftp_apply_size(fd, path, nofollow, a->size)) != 0)
		return err;
	if ((a->flags & SSH2_FILEXFER_ATTR_PERMISSIONS) &&
	    (err = sftp_apply_mode(fd, path, nofollow,
	    (mode_t)(a->perm & 07777))) != 0)
		return err;
	if ((a->flags & SSH2_FILEXFER_ATTR_ACMODTIME) &&
	    (err = sftp_apply_times(fd, path, nofollow, a->atime,
	    a->mtime)) != 0)
		return err;
	if ((a->flags & SSH2_FILEXFER_ATTR_UIDGID) &&
	    (err = sftp_apply_owner(fd, path, nofollow, a->uid,
	    a->gid)) != 0)
		return err;
	return 0;
}

/* ---------------------------------------------------------------- stat */

static int
sftp_stat_reply(struct sftp_server *s, const char *path, int follow)
{
	struct sftp_attrs attrs;
	struct stat st;
	int ret;

	verbose("%s name \"%s\"", follow ? "stat" : "lstat", path);
	ret = follow ? stat(path, &st) : lstat(path, &st);
	if (ret == -1)
		return sftp_send_errno(s, errno);
	sftp_attrs_from_stat(&st, &attrs);
	return sftp_send_attrs(s, &attrs);
}

int
sftp_run_lstat(struct sftp_server *s, struct sftp_args *a)
{
	return sftp_stat_reply(s, a->path, 0);
}

int
sftp_run_stat(struct sftp_server *s, struct sftp_args *a)
{
	return sftp_stat_reply(s, a->path, 1);
}

int
sftp_run_setstat(struct sftp_server *s, struct sftp_args *a)
{
	debug("request %u: setstat name \"%s\"", s->id, a->path);
	sftp_log_setstat(a->path, &a->attrs);
	return sftp_send_errno(s, sftp_apply_attrs(-1, a->path, 0, &a->attrs));
}

int
sftp_run_lsetstat(struct sftp_server *s, struct sftp_args *a)
{
	debug("request %u: lsetstat name \"%s\"", s->id, a->path);
	sftp_log_setstat(a->path, &a->attrs);
	return sftp_send_errno(s, sftp_apply_attrs(-1, a->path, 1, &a->attrs));
}

int
sftp_run_statvfs(struct sftp_server *s, struct sftp_args *a)
{
	struct statvfs st;

	logit("statvfs \"%s\"", a->path);
	if (statvfs(a->path, &st) == -1)
		return sftp_send_errno(s, errno);
	return sftp_send_statvfs(s, &st);
}

/* statvfs@openssh.com reply: eleven uint64 fields (PROTOCOL 4.4). */
int
sftp_send_statvfs(struct sftp_server *s, const struct statvfs *st)
{
	uint64_t flag = 0;
	int r;

	if (st->f_flag & ST_RDONLY)
		flag |= SSH2_FXE_STATVFS_ST_RDONLY;
	if (st->f_flag & ST_NOSUID)
		flag |= SSH2_FXE_STATVFS_ST_NOSUID;
	if ((r = sftp_reply_begin(s, SSH2_FXP_EXTENDED_REPLY)) != 0 ||
	    (r = buf_put_u64(s->msg, st->f_bsize)) != 0 ||
	    (r = buf_put_u64(s->msg, st->f_frsize)) != 0 ||
	    (r = buf_put_u64(s->msg, st->f_blocks)) != 0 ||
	    (r = buf_put_u64(s->msg, st->f_bfree)) != 0 ||
	    (r = buf_put_u64(s->msg, st->f_bavail)) != 0 ||
	    (r = buf_put_u64(s->msg, st->f_files)) != 0 ||
	    (r = buf_put_u64(s->msg, st->f_ffree)) != 0 ||
	    (r = buf_put_u64(s->msg, st->f_favail)) != 0 ||
	    (r = buf_put_u64(s->msg, st->f_fsid)) != 0 ||
	    (r = buf_put_u64(s->msg, flag)) != 0 ||
	    (r = buf_put_u64(s->msg, st->f_namemax)) != 0)
		return r;
	return sftp_reply_end(s);
}

/* ---------------------------------------------------------------- names */

int
sftp_run_remove(struct sftp_server *s, struct sftp_args *a)
{
	logit("remove name \"%s\"", a->path);
	return sftp_send_errno(s, unlink(a->path) == -1 ? errno : 0);
}

int
sftp_run_mkdir(struct sftp_server *s, struct sftp_args *a)
{
	mode_t mode = 0777;

	if (a->attrs.flags & SSH2_FILEXFER_ATTR_PERMISSIONS)
		mode = (mode_t)(a->attrs.perm & 07777);
	logit("mkdir name \"%s\" mode 0%o", a->path, (u_int)mode);
	return sftp_send_errno(s, mkdir(a->path, mode) == -1 ? errno : 0);
}

int
sftp_run_rmdir(struct sftp_server *s, struct sftp_args *a)
{
	logit("rmdir name \"%s\"", a->path);
	return sftp_send_errno(s, rmdir(a->path) == -1 ? errno : 0);
}

int
sftp_run_realpath(struct sftp_server *s, struct sftp_args *a)
{
	char *resolved = NULL;
	int r;

	verbose("realpath \"%s\"", a->path);
	if ((r = sftp_realpath(a->path, &resolved)) == ERR_ERRNO)
		return sftp_send_errno(s, errno);
	if (r != 0)
		return r;
	r = sftp_send_name1(s, resolved);
	free(resolved);
	return r;
}

/*
 * Link oldpath to newpath then remove oldpath: a rename that cannot
 * replace a file, for file systems without RENAME_NOREPLACE.
 */
static int
sftp_rename_by_link(const char *oldpath, const char *newpath)
{
	struct stat st;
	int err;

	if (lstat(oldpath, &st) == -1)
		return errno;
	if (S_ISREG(st.st_mode)) {
		if (link(oldpath, newpath) == 0) {
			if (unlink(oldpath) == -1) {
				err = errno;
				(void)unlink(newpath);
				return err;
			}
			return 0;
		}
		/* No hard links here (or not allowed): check, then rename. */
		if (errno != EPERM && errno != EOPNOTSUPP &&
		    errno != ENOSYS && errno != EMLINK)
			return errno;
	}
	if (lstat(newpath, &st) == 0)
		return EEXIST;
	if (errno != ENOENT)
		return errno;
	return rename(oldpath, newpath) == -1 ? errno : 0;
}

/* RENAME (draft-02 6.5): fails if newpath exists. */
int
sftp_run_rename(struct sftp_server *s, struct sftp_args *a)
{
	int err;

	logit("rename old \"%s\" new \"%s\"", a->path, a->path2);
#ifdef RENAME_NOREPLACE
	if (renameat2(AT_FDCWD, a->path, AT_FDCWD, a->path2,
	    RENAME_NOREPLACE) == 0)
		return sftp_send_status(s, SSH2_FX_OK);
	err = errno;
	if (err != EINVAL && err != ENOSYS && err != EOPNOTSUPP)
		return sftp_send_errno(s, err);
#endif
	err = sftp_rename_by_link(a->path, a->path2);
	return sftp_send_errno(s, err);
}

int
sftp_run_posix_rename(struct sftp_server *s, struct sftp_args *a)
{
	logit("posix-rename old \"%s\" new \"%s\"", a->path, a->path2);
	return sftp_send_errno(s,
	    rename(a->path, a->path2) == -1 ? errno : 0);
}

int
sftp_run_hardlink(struct sftp_server *s, struct sftp_args *a)
{
	logit("hardlink old \"%s\" new \"%s\"", a->path, a->path2);
	return sftp_send_errno(s, link(a->path, a->path2) == -1 ? errno : 0);
}

int
sftp_run_readlink(struct sftp_server *s, struct sftp_args *a)
{
	char target[PATH_MAX];
	ssize_t n;

	verbose("readlink \"%s\"", a->path);
	if ((n = readlink(a->path, target, sizeof(target) - 1)) == -1)
		return sftp_send_errno(s, errno);
	if ((size_t)n >= sizeof(target) - 1)
		return sftp_send_errno(s, ENAMETOOLONG);
	target[n] = '\0';
	return sftp_send_name1(s, target);
}

/*
 * SYMLINK: OpenSSH sends (and every client that talks to it follows)
 * target then link path, the reverse of draft-02's order; so do we.
 */
int
sftp_run_symlink(struct sftp_server *s, struct sftp_args *a)
{
	logit("symlink old \"%s\" new \"%s\"", a->path, a->path2);
	return sftp_send_errno(s,
	    symlink(a->path, a->path2) == -1 ? errno : 0);
}
