/*
 * sftp-server-file.c: SFTP requests on files and file handles: OPEN,
 * CLOSE, READ, WRITE, FSTAT, FSETSTAT and the fsync, fstatvfs and
 * copy-data extensions (sftp-server-impl.h).
 */
#include "includes.h"

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <fcntl.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "sftp.h"
#include "sftp-common.h"
#include "sftp-server-impl.h"

/* open(2) flags for OPEN's pflags (draft-02 6.3). */
static int
sftp_oflags(uint32_t pflags)
{
	int o;

	if ((pflags & SSH2_FXF_READ) && (pflags & SSH2_FXF_WRITE))
		o = O_RDWR;
	else if (pflags & SSH2_FXF_WRITE)
		o = O_WRONLY;
	else
		o = O_RDONLY;
	if (pflags & SSH2_FXF_APPEND)
		o |= O_APPEND;
	if (pflags & SSH2_FXF_CREAT)
		o |= O_CREAT;
	if (pflags & SSH2_FXF_TRUNC)
		o |= O_TRUNC;
	if (pflags & SSH2_FXF_EXCL)
		o |= O_EXCL;
	return o;
}

/* "READ,WRITE,CREATE" for the log line of an OPEN. */
static void
sftp_pflags_string(uint32_t pflags, char *out, size_t len)
{
	static const struct {
		uint32_t flag;
		const char *name;
	} names[] = {
		{ SSH2_FXF_READ, "READ" },
		{ SSH2_FXF_WRITE, "WRITE" },
		{ SSH2_FXF_APPEND, "APPEND" },
		{ SSH2_FXF_CREAT, "CREATE" },
		{ SSH2_FXF_TRUNC, "TRUNCATE" },
		{ SSH2_FXF_EXCL, "EXCL" },
	};
	size_t i;

	out[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((pflags & names[i].flag) == 0)
			continue;
		if (out[0] != '\0')
			strlcat(out, ",", len);
		strlcat(out, names[i].name, len);
	}
}

int
sftp_run_open(struct sftp_server *s, struct sftp_args *a)
{
	int oflags = sftp_oflags(a->pflags), fd, r;
	mode_t mode = 0666;
	uint32_t index;
	char fstr[64];

	if (a->attrs.flags & SSH2_FILEXFER_ATTR_PERMISSIONS)
		mode = (mode_t)(a->attrs.perm & 07777);
	sftp_pflags_string(a->pflags, fstr, sizeof(fstr));
	logit("open \"%s\" flags %s mode 0%o", a->path, fstr, (u_int)mode);
	if (s->readonly && ((oflags & O_ACCMODE) != O_RDONLY ||
	    (oflags & (O_CREAT | O_TRUNC | O_APPEND)) != 0)) {
		verbose("Refusing open request in read-only mode");
		return sftp_send_status(s, SSH2_FX_PERMISSION_DENIED);
	}
	if ((fd = open(a->path, oflags | O_NOCTTY | O_CLOEXEC, mode)) == -1)
		return sftp_send_errno(s, errno);
	if ((r = sftp_handle_new(s, SFTP_HANDLE_FILE, a->path, &index)) != 0) {
		close(fd);
		if (r != ERR_NO_BUFFER_SPACE)
			return r;
		error("open \"%s\": too many open handles", a->path);
		return sftp_send_status_msg(s, SSH2_FX_FAILURE,
		    "Too many open handles");
	}
	s->handles[index].fd = fd;
	s->handles[index].oflags = oflags;
	return sftp_send_handle(s, index);
}

int
sftp_run_close(struct sftp_server *s, struct sftp_args *a)
{
	struct sftp_handle *h;
	int ret;

	if ((h = sftp_handle_get(s, &a->handle, SFTP_HANDLE_FILE)) != NULL) {
		logit("close \"%s\" bytes read %llu written %llu", h->name,
		    (unsigned long long)h->nread,
		    (unsigned long long)h->nwritten);
	} else if ((h = sftp_handle_get(s, &a->handle,
	    SFTP_HANDLE_DIR)) != NULL)
		logit("closedir \"%s\"", h->name);
	else
		return sftp_send_bad_handle(s);
	ret = sftp_handle_close(s, h);
	return sftp_send_errno(s, ret == -1 ? errno : 0);
}

/*
 * Read up to len bytes at off; a descriptor that cannot seek (a pipe or
 * a device) is read where it stands.  -1 with errno on failure.
 */
static ssize_t
sftp_pread(int fd, void *p, size_t len, uint64_t off)
{
	ssize_t n;

	for (;;) {
		n = pread(fd, p, len, (off_t)off);
		if (n == -1 && errno == ESPIPE)
			n = read(fd, p, len);
		if (n != -1 || errno != EINTR)
			return n;
	}
}

/*
 * Write all of data at off (or at the end, for O_APPEND handles).
 * Returns 0 or an errno value; *donep counts what was written either way.
 */
static int
sftp_pwrite_all(int fd, int append, const u_char *data, size_t len,
    uint64_t off, uint64_t *donep)
{
	struct buf *view;
	ssize_t n;
	int err = 0;

	*donep = 0;
	if (off > INT64_MAX || len > INT64_MAX - off)
		return EFBIG;
	if ((view = buf_from(data, len)) == NULL)
		return ENOMEM;
	while (buf_len(view) > 0) {
		if (append)
			n = write(fd, buf_ptr(view), buf_len(view));
		else
			n = pwrite(fd, buf_ptr(view), buf_len(view),
			    (off_t)(off + *donep));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == ESPIPE && !append) {
			append = 1;	/* a pipe: write where it stands */
			continue;
		}
		if (n <= 0) {
			err = n == 0 ? EIO : errno;
			break;
		}
		*donep += (uint64_t)n;
		if (buf_consume(view, (size_t)n) != 0) {
			err = EIO;
			break;
		}
	}
	buf_free(view);
	return err;
}

/* Store v big-endian at p (a frame field written after the fact). */
static void
sftp_store_u32(u_char *p, uint32_t v)
{
	p[0] = (u_char)(v >> 24);
	p[1] = (u_char)(v >> 16);
	p[2] = (u_char)(v >> 8);
	p[3] = (u_char)v;
}

/* DATA's frame before the data: length, type, id, data length. */
#define SFTP_DATA_HDR	(4 + 1 + 4 + 4)

/*
 * The file's bytes are read straight into the reply's frame at the end
 * of the output: no staging buffer, no copy, and no more memory than
 * the request asks for.
 */
int
sftp_run_read(struct sftp_server *s, struct sftp_args *a)
{
	struct sftp_handle *h;
	size_t len = MINIMUM(a->len, SFTP_MAX_READ_LENGTH), mark;
	u_char *p;
	ssize_t n;
	int r, err;

	if ((h = sftp_handle_get(s, &a->handle, SFTP_HANDLE_FILE)) == NULL)
		return sftp_send_bad_handle(s);
	debug2("request %u: read \"%s\" off %llu len %u", s->id, h->name,
	    (unsigned long long)a->offset, a->len);
	if (a->offset > INT64_MAX)
		return sftp_send_errno(s, EINVAL);
	mark = buf_len(s->out);
	if ((r = buf_reserve(s->out, SFTP_DATA_HDR + len, &p)) != 0)
		return r;
	n = sftp_pread(h->fd, p + SFTP_DATA_HDR, len, a->offset);
	err = errno;
	if (n <= 0) {
		/* Take the frame back; a status goes in its place. */
		if ((r = buf_consume_end(s->out, buf_len(s->out) - mark)) != 0)
			return r;
		if (n == 0)
			return sftp_send_status(s, SSH2_FX_EOF);
		return sftp_send_errno(s, err);
	}
	if ((r = buf_consume_end(s->out, len - (size_t)n)) != 0)
		return r;
	sftp_store_u32(p, (uint32_t)(1 + 4 + 4 + (size_t)n));
	p[4] = SSH2_FXP_DATA;
	sftp_store_u32(p + 5, s->id);
	sftp_store_u32(p + 9, (uint32_t)n);
	h->nread += (uint64_t)n;
	debug2("request %u: sent data len %zd", s->id, n);
	return 0;
}

int
sftp_run_write(struct sftp_server *s, struct sftp_args *a)
{
	struct sftp_handle *h;
	uint64_t done;
	int err;

	if ((h = sftp_handle_get(s, &a->handle, SFTP_HANDLE_FILE)) == NULL)
		return sftp_send_bad_handle(s);
	debug2("request %u: write \"%s\" off %llu len %zu", s->id, h->name,
	    (unsigned long long)a->offset, a->datalen);
	err = sftp_pwrite_all(h->fd, (h->oflags & O_APPEND) != 0, a->data,
	    a->datalen, a->offset, &done);
	h->nwritten += done;
	if (err != 0)
		error("write \"%s\": %s", h->name, strerror(err));
	return sftp_send_errno(s, err);
}

int
sftp_run_fstat(struct sftp_server *s, struct sftp_args *a)
{
	struct sftp_handle *h;
	struct sftp_attrs attrs;
	struct stat st;

	if ((h = sftp_handle_get(s, &a->handle, SFTP_HANDLE_FILE)) == NULL)
		return sftp_send_bad_handle(s);
	debug("request %u: fstat \"%s\"", s->id, h->name);
	if (fstat(h->fd, &st) == -1)
		return sftp_send_errno(s, errno);
	sftp_attrs_from_stat(&st, &attrs);
	return sftp_send_attrs(s, &attrs);
}

int
sftp_run_fsetstat(struct sftp_server *s, struct sftp_args *a)
{
	struct sftp_handle *h;

	if ((h = sftp_handle_get(s, &a->handle, SFTP_HANDLE_FILE)) == NULL)
		return sftp_send_bad_handle(s);
	sftp_log_setstat(h->name, &a->attrs);
	return sftp_send_errno(s,
	    sftp_apply_attrs(h->fd, NULL, 0, &a->attrs));
}

int
sftp_run_fsync(struct sftp_server *s, struct sftp_args *a)
{
	struct sftp_handle *h;

	if ((h = sftp_handle_get(s, &a->handle, SFTP_HANDLE_FILE)) == NULL)
		return sftp_send_bad_handle(s);
	debug("request %u: fsync \"%s\"", s->id, h->name);
	if (fsync(h->fd) == -1)
		return sftp_send_errno(s, errno);
	return sftp_send_status(s, SSH2_FX_OK);
}

int
sftp_run_fstatvfs(struct sftp_server *s, struct sftp_args *a)
{
	struct sftp_handle *h;
	struct statvfs st;

	if ((h = sftp_handle_get(s, &a->handle, SFTP_HANDLE_FILE)) == NULL)
		return sftp_send_bad_handle(s);
	debug("request %u: fstatvfs \"%s\"", s->id, h->name);
	if (fstatvfs(h->fd, &st) == -1)
		return sftp_send_errno(s, errno);
	return sftp_send_statvfs(s, &st);
}

/* 1 if both descriptors are the same file. */
static int
sftp_same_file(int fd1, int fd2)
{
	struct stat st1, st2;

	if (fstat(fd1, &st1) == -1 || fstat(fd2, &st2) == -1)
		return 0;
	return st1.st_dev == st2.st_dev && st1.st_ino == st2.st_ino;
}

/*
 * The checks of copy-data: handles open the right way, offsets in range,
 * and within one file no overlap (a copy "to end of file" is bounded by
 * the size at the start, so it cannot chase its own output).  0 or an
 * SSH2_FX_* code, with *lenp the length to copy (0: to end of file).
 */
static uint32_t
sftp_copy_check(struct sftp_handle *rh, struct sftp_handle *wh,
    const struct sftp_args *a, uint64_t *lenp, const char **whyp)
{
	struct stat st;
	uint64_t len = a->length;

	*lenp = len;
	*whyp = NULL;
	if ((rh->oflags & O_ACCMODE) == O_WRONLY) {
		*whyp = "Source handle not open for reading";
		return SSH2_FX_FAILURE;
	}
	if ((wh->oflags & O_ACCMODE) == O_RDONLY) {
		*whyp = "Destination handle not open for writing";
		return SSH2_FX_FAILURE;
	}
	if (a->offset > INT64_MAX || a->offset2 > INT64_MAX ||
	    len > INT64_MAX - a->offset || len > INT64_MAX - a->offset2) {
		*whyp = "Offset or length out of range";
		return SSH2_FX_BAD_MESSAGE;
	}
	if (!sftp_same_file(rh->fd, wh->fd))
		return SSH2_FX_OK;
	if (len == 0) {
		if (fstat(rh->fd, &st) == -1 ||
		    (uint64_t)st.st_size <= a->offset)
			return SSH2_FX_OK;	/* nothing to copy */
		len = (uint64_t)st.st_size - a->offset;
		*lenp = len;
	}
	if (a->offset < a->offset2 + len && a->offset2 < a->offset + len) {
		*whyp = "Source and destination ranges overlap";
		return SSH2_FX_FAILURE;
	}
	return SSH2_FX_OK;
}

/*
 * Copy len bytes (0: to end of file) from rh at roff to wh at woff
 * through buf (SFTP_COPY_CHUNK bytes).
 */
static int
sftp_copy_loop(u_char *buf, struct sftp_handle *rh, struct sftp_handle *wh,
    uint64_t roff, uint64_t len, uint64_t woff)
{
	uint64_t left = len, done;
	size_t chunk;
	ssize_t n;
	int err;

	for (;;) {
		chunk = SFTP_COPY_CHUNK;
		if (len != 0 && left < chunk)
			chunk = (size_t)left;
		if (chunk == 0)
			return 0;
		if ((n = sftp_pread(rh->fd, buf, chunk, roff)) == -1)
			return errno;
		if (n == 0)
			return 0;		/* end of the source */
		rh->nread += (uint64_t)n;
		err = sftp_pwrite_all(wh->fd, (wh->oflags & O_APPEND) != 0,
		    buf, (size_t)n, woff, &done);
		wh->nwritten += done;
		if (err != 0)
			return err;
		roff += (uint64_t)n;
		woff += (uint64_t)n;
		if (len != 0)
			left -= (uint64_t)n;
	}
}

int
sftp_run_copy_data(struct sftp_server *s, struct sftp_args *a)
{
	struct sftp_handle *rh, *wh;
	const char *why;
	u_char *buf = NULL;
	uint64_t len;
	uint32_t code;
	int err;

	if ((rh = sftp_handle_get(s, &a->handle, SFTP_HANDLE_FILE)) == NULL ||
	    (wh = sftp_handle_get(s, &a->handle2, SFTP_HANDLE_FILE)) == NULL)
		return sftp_send_bad_handle(s);
	logit("copy-data from \"%s\" off %llu len %llu to \"%s\" off %llu",
	    rh->name, (unsigned long long)a->offset,
	    (unsigned long long)a->length, wh->name,
	    (unsigned long long)a->offset2);
	if ((code = sftp_copy_check(rh, wh, a, &len, &why)) != SSH2_FX_OK) {
		verbose("copy-data: %s", why);
		return sftp_send_status_msg(s, code, why);
	}
	/* Only copy-data needs a staging buffer: it lives as long as it. */
	if ((buf = malloc(SFTP_COPY_CHUNK)) == NULL)
		err = ENOMEM;
	else
		err = sftp_copy_loop(buf, rh, wh, a->offset, len, a->offset2);
	free(buf);
	if (err != 0)
		error("copy-data to \"%s\": %s", wh->name, strerror(err));
	return sftp_send_errno(s, err);
}
