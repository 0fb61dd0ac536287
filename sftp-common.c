/*
 * sftp-common.c: the ATTRS codec, status texts and long names shared by
 * the SFTP client and server (sftp-common.h).
 */
#include "includes.h"

#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "errcode.h"
#include "sftp.h"
#include "sftp-common.h"

void
sftp_attrs_clear(struct sftp_attrs *a)
{
	memset(a, 0, sizeof(*a));
}

void
sftp_attrs_from_stat(const struct stat *st, struct sftp_attrs *a)
{
	sftp_attrs_clear(a);
	a->flags = SSH2_FILEXFER_ATTR_SIZE | SSH2_FILEXFER_ATTR_UIDGID |
	    SSH2_FILEXFER_ATTR_PERMISSIONS | SSH2_FILEXFER_ATTR_ACMODTIME;
	/* A negative size cannot happen for a file; keep the bits anyway. */
	a->size = (uint64_t)st->st_size;
	a->uid = (uint32_t)st->st_uid;
	a->gid = (uint32_t)st->st_gid;
	a->perm = (uint32_t)st->st_mode;
	/* Version 3 times are 32 bits wide: they wrap in 2106. */
	a->atime = (uint32_t)st->st_atime;
	a->mtime = (uint32_t)st->st_mtime;
}

void
sftp_attrs_to_stat(const struct sftp_attrs *a, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	if (a->flags & SSH2_FILEXFER_ATTR_SIZE)
		st->st_size = (off_t)a->size;
	if (a->flags & SSH2_FILEXFER_ATTR_UIDGID) {
		st->st_uid = (uid_t)a->uid;
		st->st_gid = (gid_t)a->gid;
	}
	if (a->flags & SSH2_FILEXFER_ATTR_PERMISSIONS)
		st->st_mode = (mode_t)a->perm;
	if (a->flags & SSH2_FILEXFER_ATTR_ACMODTIME) {
		st->st_atime = (time_t)a->atime;
		st->st_mtime = (time_t)a->mtime;
	}
}

/* Skip the extended (type, data) string pairs that follow their count. */
static int
sftp_attrs_skip_extended(struct buf *b)
{
	uint32_t i, count;
	int r;

	if ((r = buf_get_u32(b, &count)) != 0)
		return r;
	if (count > SFTP_MAX_EXTENDED_ATTRS)
		return ERR_INVALID_FORMAT;
	for (i = 0; i < count; i++) {
		if ((r = buf_get_string_direct(b, NULL, NULL)) != 0 ||
		    (r = buf_get_string_direct(b, NULL, NULL)) != 0)
			return r;
	}
	return 0;
}

int
sftp_attrs_decode(struct buf *b, struct sftp_attrs *ap)
{
	struct sftp_attrs a;
	int r = ERR_INTERNAL;

	sftp_attrs_clear(ap);
	sftp_attrs_clear(&a);
	if ((r = buf_get_u32(b, &a.flags)) != 0)
		return r;
	if ((a.flags & SSH2_FILEXFER_ATTR_SIZE) &&
	    (r = buf_get_u64(b, &a.size)) != 0)
		return r;
	if ((a.flags & SSH2_FILEXFER_ATTR_UIDGID) &&
	    ((r = buf_get_u32(b, &a.uid)) != 0 ||
	    (r = buf_get_u32(b, &a.gid)) != 0))
		return r;
	if ((a.flags & SSH2_FILEXFER_ATTR_PERMISSIONS) &&
	    (r = buf_get_u32(b, &a.perm)) != 0)
		return r;
	if ((a.flags & SSH2_FILEXFER_ATTR_ACMODTIME) &&
	    ((r = buf_get_u32(b, &a.atime)) != 0 ||
	    (r = buf_get_u32(b, &a.mtime)) != 0))
		return r;
	if ((a.flags & SSH2_FILEXFER_ATTR_EXTENDED) &&
	    (r = sftp_attrs_skip_extended(b)) != 0)
		return r;
	/* Keep only the bits whose fields we hold. */
	a.flags &= SSH2_FILEXFER_ATTR_SIZE | SSH2_FILEXFER_ATTR_UIDGID |
	    SSH2_FILEXFER_ATTR_PERMISSIONS | SSH2_FILEXFER_ATTR_ACMODTIME;
	*ap = a;
	return 0;
}

int
sftp_attrs_encode(struct buf *b, const struct sftp_attrs *a)
{
	uint32_t flags = a->flags & ~(uint32_t)SSH2_FILEXFER_ATTR_EXTENDED;
	int r;

	if ((r = buf_put_u32(b, flags)) != 0)
		return r;
	if ((flags & SSH2_FILEXFER_ATTR_SIZE) &&
	    (r = buf_put_u64(b, a->size)) != 0)
		return r;
	if ((flags & SSH2_FILEXFER_ATTR_UIDGID) &&
	    ((r = buf_put_u32(b, a->uid)) != 0 ||
	    (r = buf_put_u32(b, a->gid)) != 0))
		return r;
	if ((flags & SSH2_FILEXFER_ATTR_PERMISSIONS) &&
	    (r = buf_put_u32(b, a->perm)) != 0)
		return r;
	if ((flags & SSH2_FILEXFER_ATTR_ACMODTIME) &&
	    ((r = buf_put_u32(b, a->atime)) != 0 ||
	    (r = buf_put_u32(b, a->mtime)) != 0))
		return r;
	return 0;
}

const char *
sftp_status_text(uint32_t code)
{
	static const char *const texts[SSH2_FX_MAX + 1] = {
		[SSH2_FX_OK] = "Success",
		[SSH2_FX_EOF] = "End of file",
		[SSH2_FX_NO_SUCH_FILE] = "No such file",
		[SSH2_FX_PERMISSION_DENIED] = "Permission denied",
		[SSH2_FX_FAILURE] = "Failure",
		[SSH2_FX_BAD_MESSAGE] = "Bad message",
		[SSH2_FX_NO_CONNECTION] = "No connection",
		[SSH2_FX_CONNECTION_LOST] = "Connection lost",
		[SSH2_FX_OP_UNSUPPORTED] = "Operation unsupported",
	};

	if (code > SSH2_FX_MAX)
		return "Unknown status";
	return texts[code];
}

uint32_t
sftp_errno_to_status(int errnum)
{
	switch (errnum) {
	case 0:
		return SSH2_FX_OK;
	case ENOENT:
	case ENOTDIR:
	case EBADF:
	case ELOOP:
		return SSH2_FX_NO_SUCH_FILE;
	case EPERM:
	case EACCES:
	case EFAULT:
		return SSH2_FX_PERMISSION_DENIED;
	case ENAMETOOLONG:
	case EINVAL:
		return SSH2_FX_BAD_MESSAGE;
	case ENOSYS:
	case ENOTSUP:
#if defined(EOPNOTSUPP) && EOPNOTSUPP != ENOTSUP
	case EOPNOTSUPP:
#endif
		return SSH2_FX_OP_UNSUPPORTED;
	default:
		return SSH2_FX_FAILURE;
	}
}

static char
sftp_type_letter(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return '-';
	case S_IFDIR:
		return 'd';
	case S_IFLNK:
		return 'l';
	case S_IFCHR:
		return 'c';
	case S_IFBLK:
		return 'b';
	case S_IFIFO:
		return 'p';
	case S_IFSOCK:
		return 's';
	default:
		return '?';
	}
}

/* One "rwx" triplet; special is the set-id or sticky bit of the triplet. */
static void
sftp_triplet(mode_t mode, mode_t r, mode_t w, mode_t x, mode_t special,
    char on_exec, char off_exec, char *out)
{
	out[0] = (mode & r) ? 'r' : '-';
	out[1] = (mode & w) ? 'w' : '-';
	if (mode & special)
		out[2] = (mode & x) ? on_exec : off_exec;
	else
		out[2] = (mode & x) ? 'x' : '-';
}

void
sftp_mode_string(mode_t mode, char *out)
{
	out[0] = sftp_type_letter(mode);
	sftp_triplet(mode, S_IRUSR, S_IWUSR, S_IXUSR, S_ISUID, 's', 'S',
	    out + 1);
	sftp_triplet(mode, S_IRGRP, S_IWGRP, S_IXGRP, S_ISGID, 's', 'S',
	    out + 4);
	sftp_triplet(mode, S_IROTH, S_IWOTH, S_IXOTH, S_ISVTX, 't', 'T',
	    out + 7);
	out[10] = '\0';
}

int
sftp_ls_long(struct buf *b, const char *name, const struct stat *st,
    const char *user, const char *group, time_t now)
{
	char mode[SFTP_MODE_STRING_LEN], date[64];
	const char *fmt;
	struct tm tm;
	/* "Recent" is the last half year, as ls(1) has it. */
	const time_t half_year = 365 * 24 * 60 * 60 / 2;

	sftp_mode_string(st->st_mode, mode);
	if (st->st_mtime <= now && st->st_mtime > now - half_year)
		fmt = "%b %e %H:%M";
	else
		fmt = "%b %e  %Y";
	if (localtime_r(&st->st_mtime, &tm) == NULL ||
	    strftime(date, sizeof(date), fmt, &tm) == 0)
		strlcpy(date, "?", sizeof(date));
	return buf_putf(b, "%s  %3u %-8s %-8s %8llu %s %s", mode,
	    (unsigned int)st->st_nlink, user, group,
	    (unsigned long long)st->st_size, date, name);
}
