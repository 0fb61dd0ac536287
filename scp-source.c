/*
 * scp-source.c: the sending side of the legacy scp protocol (scp.h):
 * what `scp -f` does on the remote host, and what we do for an upload
 * with -O.
 *
 * For each file: [T record, answer], C record, answer, the data, then
 * "\0" (or an error line if reading failed part way, after padding the
 * data so the peer stays in step), answer.  A directory (-r) is a D
 * record, its entries, and "E".  Symbolic links are followed.
 */
#include "includes.h"

#include <sys/stat.h>
#include <dirent.h>
#include <fcntl.h>

#include "buf.h"
#include "log.h"
#include "misc.h"
#include "progressmeter.h"
#include "scp-proto.h"
#include "scp.h"
#include "xmalloc.h"

/* The mode bits a C or D record carries (not the sticky bit). */
#define SCP_MODE_MASK	(S_ISUID | S_ISGID | S_IRWXU | S_IRWXG | S_IRWXO)

/* The directories above the one being sent, to catch symlink loops. */
struct ancestor {
	dev_t			dev;
	ino_t			ino;
	const struct ancestor	*up;
};

static void source_path(struct rcp *r, const char *path,
    const struct ancestor *up);

/* The last component of a path (after trailing slashes are gone). */
static const char *
last_component(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/*
 * A C or D record for path.  A newline in the path could not be sent:
 * then the name goes in OpenSSH's escaped form.
 */
static void
put_record(struct buf *b, int type, mode_t mode, uint64_t size,
    const char *path)
{
	const char *last = last_component(path);
	char *enc = NULL;

	if (strchr(path, '\n') != NULL &&
	    (last = enc = scp_name_encode(last)) == NULL)
		fatal_f("out of memory");
	if (scp_put_record(b, type, mode & SCP_MODE_MASK, size, last) != 0)
		fatal_f("buffer error");
	free(enc);
}

/* Send b's contents and wait for the answer: 0 or -1. */
static int
send_record(struct rcp *r, struct buf *b, const char *verbose_label)
{
	char *s;

	if (r->o->verbose && verbose_label != NULL &&
	    (s = buf_dup_string(b)) != NULL) {
		scp_eprintf("%s: %s", verbose_label, s);
		free(s);
	}
	rcp_write(r, buf_ptr(b), buf_len(b));
	buf_reset(b);
	return rcp_response(r);
}

/* -p: the T record before a file or directory. */
static int
send_times(struct rcp *r, struct buf *b, const struct stat *st)
{
	uint64_t mtime = st->st_mtime < 0 ? 0 : (uint64_t)st->st_mtime;
	uint64_t atime = st->st_atime < 0 ? 0 : (uint64_t)st->st_atime;

	if (scp_put_times(b, mtime, atime) != 0)
		fatal_f("buffer error");
	if (r->o->verbose)
		scp_eprintf("File mtime %lld atime %lld\n",
		    (long long)st->st_mtime, (long long)st->st_atime);
	return send_record(r, b, "Sending file timestamps");
}

/*
 * The data of a file of size bytes.  After a read error (or the file
 * shrinking) zeros are sent for the rest, so the peer stays in step;
 * the error is returned (0 if none).
 */
static int
send_data(struct rcp *r, int fd, const char *name, uint64_t size)
{
	struct progress *meter = rcp_progress_start(r, name, size);
	uint64_t sent = 0;
	size_t amt, got;
	int err = 0;

	while (sent < size) {
		amt = (size_t)MINIMUM((uint64_t)r->blocklen, size - sent);
		if (err == 0) {
			if ((got = atomicio_read(fd, r->block, amt)) != amt) {
				/* EPIPE here means the file ended early. */
				err = errno == EPIPE ? -1 : errno;
				memset(r->block + got, 0, amt - got);
			}
		} else {
			memset(r->block, 0, amt);
		}
		rcp_write(r, r->block, amt);
		sent += amt;
		scp_bwlimit_account(&r->bw, amt);
		if (meter != NULL)
			progress_update(meter, sent);
	}
	progress_finish(meter);
	return err;
}

static void
send_file(struct rcp *r, int fd, const char *name, const struct stat *st)
{
	struct buf *b;
	int err;

	if ((b = buf_new()) == NULL)
		fatal_f("buf_new failed");
	if (r->o->preserve && send_times(r, b, st) != 0)
		goto out;
	put_record(b, 'C', st->st_mode, (uint64_t)st->st_size, name);
	if (send_record(r, b, "Sending file modes") != 0)
		goto out;
	err = send_data(r, fd, last_component(name), (uint64_t)st->st_size);
	if (close(fd) == -1 && err == 0)
		err = errno;
	fd = -1;
	if (err == 0)
		rcp_ack(r);
	else if (err == -1)
		rcp_error(r, "%s: file changed size while being copied", name);
	else
		rcp_error(r, "%s: %s", name, strerror(err));
	(void)rcp_response(r);
 out:
	if (fd != -1)
		close(fd);
	buf_free(b);
}

/* 1 if the directory st is one of those being sent already. */
static int
is_loop(const struct stat *st, const struct ancestor *up)
{
	for (; up != NULL; up = up->up) {
		if (up->dev == st->st_dev && up->ino == st->st_ino)
			return 1;
	}
	return 0;
}

/* -r: D record, each entry, E.  fd is the open directory. */
static void
send_dir(struct rcp *r, int fd, const char *name, const struct stat *st,
    const struct ancestor *up)
{
	struct ancestor me = { st->st_dev, st->st_ino, up };
	struct dirent *de;
	struct buf *b;
	DIR *d;
	char *path;

	if (is_loop(st, up)) {
		close(fd);
		rcp_error(r, "%s: %s", name, strerror(ELOOP));
		return;
	}
	if ((d = fdopendir(fd)) == NULL) {
		rcp_error(r, "%s: %s", name, strerror(errno));
		close(fd);
		return;
	}
	if ((b = buf_new()) == NULL)
		fatal_f("buf_new failed");
	if (r->o->preserve && send_times(r, b, st) != 0)
		goto out;
	put_record(b, 'D', st->st_mode, 0, name);
	if (send_record(r, b, "Entering directory") != 0)
		goto out;
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if ((path = path_append(name, de->d_name)) == NULL)
			fatal_f("out of memory");
		source_path(r, path, &me);
		free(path);
	}
	if (errno != 0)
		rcp_error(r, "%s: %s", name, strerror(errno));
	rcp_write(r, "E\n", 2);
	(void)rcp_response(r);
 out:
	closedir(d);
	buf_free(b);
}

static void
source_path(struct rcp *r, const char *path, const struct ancestor *up)
{
	struct stat st;
	char *name;
	size_t len;
	int fd;

	name = xstrdup(path);
	for (len = strlen(name); len > 1 && name[len - 1] == '/'; )
		name[--len] = '\0';
	/* O_NONBLOCK: a FIFO must not hang us; it is refused below. */
	if ((fd = open(name, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		rcp_error(r, "%s: %s", name, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode) && r->o->recursive) {
		send_dir(r, fd, name, &st, up);
		fd = -1;
	} else if (!S_ISREG(st.st_mode)) {
		rcp_error(r, "%s: not a regular file", name);
	} else if (unset_nonblock(fd) != 0) {
		rcp_error(r, "%s: %s", name, strerror(errno));
	} else {
		send_file(r, fd, name, &st);
		fd = -1;
	}
 out:
	if (fd != -1)
		close(fd);
	free(name);
}

void
rcp_source(struct rcp *r, char **paths, int n)
{
	int i;

	for (i = 0; i < n; i++)
		source_path(r, paths[i], NULL);
}
