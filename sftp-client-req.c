/*
 * sftp-client-req.c: the SFTP client's one-shot requests: open, close,
 * read, write, the stat family, directories, names, links and the
 * OpenSSH extensions (sftp-client.h).  Each sends one request and waits
 * for its reply; the pipelined transfers are in sftp-client-xfer.c.
 */
#include "includes.h"

#include <sys/stat.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "sftp.h"
#include "sftp-common.h"
#include "sftp-client.h"
#include "sftp-client-impl.h"

/* "what" texts are bounded: long paths are cut in messages only. */
#define WHAT_MAX	(PATH_MAX + 64)

/* ------------------------------------------------------------ helpers */

/* Send a request of type whose only field is one path. */
static int
sftpc_send_path(struct sftp_conn *conn, uint8_t type, const char *path,
    uint32_t *idp)
{
	int r;

	if ((r = sftpc_start(conn, type, idp)) != 0 ||
	    (r = buf_put_cstring(conn->msg, path)) != 0)
		return r;
	return sftpc_queue(conn);
}

/* Send a request of type whose fields are two paths. */
static int
sftpc_send_path2(struct sftp_conn *conn, uint8_t type, const char *ext,
    const char *p1, const char *p2, uint32_t *idp)
{
	int r;

	r = ext != NULL ? sftpc_start_ext(conn, ext, idp) :
	    sftpc_start(conn, type, idp);
	if (r != 0 ||
	    (r = buf_put_cstring(conn->msg, p1)) != 0 ||
	    (r = buf_put_cstring(conn->msg, p2)) != 0)
		return r;
	return sftpc_queue(conn);
}

/*
 * A reply that must be a STATUS (no OK allowed) turned into an error.
 * With server_text the server's own message is shown when it sent one
 * (as OpenSSH's client does for realpath), else our text of the code.
 */
static int
sftpc_status_reply(struct sftp_conn *conn, struct sftpc_reply *rep,
    int quiet, const char *what, int server_text)
{
	const char *text;
	uint32_t code;
	int r;

	r = sftpc_parse_status(conn, rep, &code);
	sftpc_reply_done(conn, rep);
	if (r != 0)
		return r;
	if (code == SSH2_FX_OK)
		return sftpc_fail(conn, ERR_PROTOCOL_ERROR);
	text = server_text && conn->status_msg[0] != '\0' ?
	    conn->status_msg : sftpc_status_text(code);
	if (quiet)
		debug("%s: %s", what, text);
	else
		error("%s: %s", what, text);
	return sftpc_status_error(conn, code);
}

static int
sftpc_reply_status_error(struct sftp_conn *conn, struct sftpc_reply *rep,
    int quiet, const char *what)
{
	return sftpc_status_reply(conn, rep, quiet, what, 0);
}

/* A reply of an unexpected type: the connection is out of step. */
static int
sftpc_unexpected(struct sftp_conn *conn, struct sftpc_reply *rep,
    uint8_t want)
{
	error("Expected packet type %u, got %u", want, rep->type);
	sftpc_reply_done(conn, rep);
	return sftpc_fail(conn, ERR_PROTOCOL_ERROR);
}

/* ------------------------------------------------------------ files */

static int
sftpc_open_what(struct sftp_conn *conn, const char *path, uint32_t pflags,
    const struct sftp_attrs *a, struct sftpc_handle *h, const char *what)
{
	struct sftp_attrs none;
	uint32_t id;
	int r;

	memset(h, 0, sizeof(*h));
	sftp_attrs_clear(&none);
	if ((r = sftpc_start(conn, SSH2_FXP_OPEN, &id)) != 0 ||
	    (r = buf_put_cstring(conn->msg, path)) != 0 ||
	    (r = buf_put_u32(conn->msg, pflags)) != 0 ||
	    (r = sftp_attrs_encode(conn->msg, a != NULL ? a : &none)) != 0 ||
	    (r = sftpc_queue(conn)) != 0)
		return r;
	return sftpc_expect_handle(conn, id, 0, what, h);
}

int
sftpc_open(struct sftp_conn *conn, const char *path, uint32_t pflags,
    const struct sftp_attrs *a, struct sftpc_handle *h)
{
	char what[WHAT_MAX];

	snprintf(what, sizeof(what), "remote open \"%s\"", path);
	return sftpc_open_what(conn, path, pflags, a, h, what);
}

int
sftpc_open_as(struct sftp_conn *conn, const char *path, uint32_t pflags,
    const struct sftp_attrs *a, struct sftpc_handle *h, const char *what)
{
	return sftpc_open_what(conn, path, pflags, a, h, what);
}

/* Send CLOSE for h (reply not awaited); *idp gets its id. */
static int
sftpc_send_handle(struct sftp_conn *conn, uint8_t type,
    const struct sftpc_handle *h, uint32_t *idp)
{
	int r;

	if ((r = sftpc_start(conn, type, idp)) != 0 ||
	    (r = sftpc_put_handle(conn->msg, h)) != 0)
		return r;
	return sftpc_queue(conn);
}

int
sftpc_close(struct sftp_conn *conn, const struct sftpc_handle *h)
{
	uint32_t id;
	int r;

	if ((r = sftpc_send_handle(conn, SSH2_FXP_CLOSE, h, &id)) != 0)
		return r;
	return sftpc_expect_ok(conn, id, 0, "remote close");
}

int
sftpc_read(struct sftp_conn *conn, const struct sftpc_handle *h,
    uint64_t offset, void *buf, size_t len, size_t *nreadp)
{
	struct sftpc_reply rep;
	const u_char *data;
	uint32_t id, code;
	size_t dlen;
	int r;

	*nreadp = 0;
	if (len > SFTP_MAX_READ_LENGTH)
		len = SFTP_MAX_READ_LENGTH;
	if ((r = sftpc_start(conn, SSH2_FXP_READ, &id)) != 0 ||
	    (r = sftpc_put_handle(conn->msg, h)) != 0 ||
	    (r = buf_put_u64(conn->msg, offset)) != 0 ||
	    (r = buf_put_u32(conn->msg, (uint32_t)len)) != 0 ||
	    (r = sftpc_queue(conn)) != 0 ||
	    (r = sftpc_recv_id(conn, id, &rep)) != 0)
		return r;
	if (rep.type == SSH2_FXP_STATUS) {
		if ((r = sftpc_parse_status(conn, &rep, &code)) != 0) {
			sftpc_reply_done(conn, &rep);
			return r;
		}
		if (code == SSH2_FX_EOF) {
			sftpc_reply_done(conn, &rep);
			return 0;
		}
		sftpc_reply_done(conn, &rep);
		error("remote read: %s", sftpc_status_text(code));
		return sftpc_status_error(conn, code);
	}
	if (rep.type != SSH2_FXP_DATA)
		return sftpc_unexpected(conn, &rep, SSH2_FXP_DATA);
	if ((r = buf_get_string_direct(rep.b, &data, &dlen)) != 0 ||
	    dlen > len || buf_len(rep.b) != 0) {
		sftpc_reply_done(conn, &rep);
		return sftpc_fail(conn, ERR_PROTOCOL_ERROR);
	}
	memcpy(buf, data, dlen);
	*nreadp = dlen;
	sftpc_reply_done(conn, &rep);
	return 0;
}

int
sftpc_write(struct sftp_conn *conn, const struct sftpc_handle *h,
    uint64_t offset, const void *buf, size_t len)
{
	uint32_t id;
	int r;

	if (len > SFTP_MAX_WRITE_LENGTH)
		return ERR_INVALID_ARGUMENT;
	if ((r = sftpc_start(conn, SSH2_FXP_WRITE, &id)) != 0 ||
	    (r = sftpc_put_handle(conn->msg, h)) != 0 ||
	    (r = buf_put_u64(conn->msg, offset)) != 0 ||
	    (r = sftpc_queue_data(conn, buf, len)) != 0)
		return r;
	return sftpc_expect_ok(conn, id, 0, "remote write");
}

/* ------------------------------------------------------------ attributes */

/* Wait for ATTRS answering id. */
static int
sftpc_expect_attrs(struct sftp_conn *conn, uint32_t id, int quiet,
    const char *what, struct sftp_attrs *a)
{
	struct sftpc_reply rep;
	int r;

	sftp_attrs_clear(a);
	if ((r = sftpc_recv_id(conn, id, &rep)) != 0)
		return r;
	if (rep.type == SSH2_FXP_STATUS)
		return sftpc_reply_status_error(conn, &rep, quiet, what);
	if (rep.type != SSH2_FXP_ATTRS)
		return sftpc_unexpected(conn, &rep, SSH2_FXP_ATTRS);
	if ((r = sftp_attrs_decode(rep.b, a)) != 0 || buf_len(rep.b) != 0)
		r = sftpc_fail(conn, ERR_PROTOCOL_ERROR);
	sftpc_reply_done(conn, &rep);
	return r;
}

int
sftpc_stat(struct sftp_conn *conn, const char *path, int quiet,
    struct sftp_attrs *a)
{
	uint32_t id;
	int r;

	sftp_attrs_clear(a);
	if ((r = sftpc_send_path(conn, SSH2_FXP_STAT, path, &id)) != 0)
		return r;
	return sftpc_expect_attrs(conn, id, quiet, "stat remote", a);
}

int
sftpc_lstat(struct sftp_conn *conn, const char *path, int quiet,
    struct sftp_attrs *a)
{
	uint32_t id;
	int r;

	sftp_attrs_clear(a);
	if ((r = sftpc_send_path(conn, SSH2_FXP_LSTAT, path, &id)) != 0)
		return r;
	return sftpc_expect_attrs(conn, id, quiet, "lstat remote", a);
}

int
sftpc_fstat(struct sftp_conn *conn, const struct sftpc_handle *h,
    int quiet, struct sftp_attrs *a)
{
	uint32_t id;
	int r;

	sftp_attrs_clear(a);
	if ((r = sftpc_send_handle(conn, SSH2_FXP_FSTAT, h, &id)) != 0)
		return r;
	return sftpc_expect_attrs(conn, id, quiet, "fstat remote", a);
}

int
sftpc_setstat(struct sftp_conn *conn, const char *path,
    const struct sftp_attrs *a)
{
	char what[WHAT_MAX];
	uint32_t id;
	int r;

	if ((r = sftpc_start(conn, SSH2_FXP_SETSTAT, &id)) != 0 ||
	    (r = buf_put_cstring(conn->msg, path)) != 0 ||
	    (r = sftp_attrs_encode(conn->msg, a)) != 0 ||
	    (r = sftpc_queue(conn)) != 0)
		return r;
	snprintf(what, sizeof(what), "remote setstat \"%s\"", path);
	return sftpc_expect_ok(conn, id, 0, what);
}

int
sftpc_fsetstat(struct sftp_conn *conn, const struct sftpc_handle *h,
    const struct sftp_attrs *a)
{
	uint32_t id;
	int r;

	if ((r = sftpc_start(conn, SSH2_FXP_FSETSTAT, &id)) != 0 ||
	    (r = sftpc_put_handle(conn->msg, h)) != 0 ||
	    (r = sftp_attrs_encode(conn->msg, a)) != 0 ||
	    (r = sftpc_queue(conn)) != 0)
		return r;
	return sftpc_expect_ok(conn, id, 0, "remote fsetstat");
}

int
sftpc_lsetstat(struct sftp_conn *conn, const char *path,
    const struct sftp_attrs *a)
{
	char what[WHAT_MAX];
	uint32_t id;
	int r;

	if (!sftpc_has_ext(conn, SFTPC_EXT_LSETSTAT)) {
		error("Server does not support lsetstat@openssh.com extension");
		return ERR_FEATURE_UNSUPPORTED;
	}
	if ((r = sftpc_start_ext(conn, "lsetstat@openssh.com", &id)) != 0 ||
	    (r = buf_put_cstring(conn->msg, path)) != 0 ||
	    (r = sftp_attrs_encode(conn->msg, a)) != 0 ||
	    (r = sftpc_queue(conn)) != 0)
		return r;
	snprintf(what, sizeof(what), "remote lsetstat \"%s\"", path);
	return sftpc_expect_ok(conn, id, 0, what);
}

int
sftpc_is_dir(struct sftp_conn *conn, const char *path)
{
	struct sftp_attrs a;

	if (sftpc_stat(conn, path, 1, &a) != 0 ||
	    !(a.flags & SSH2_FILEXFER_ATTR_PERMISSIONS))
		return 0;
	return S_ISDIR(a.perm);
}

int
sftpc_is_reg(struct sftp_conn *conn, const char *path)
{
	struct sftp_attrs a;

	if (sftpc_stat(conn, path, 1, &a) != 0 ||
	    !(a.flags & SSH2_FILEXFER_ATTR_PERMISSIONS))
		return 0;
	return S_ISREG(a.perm);
}

/* ------------------------------------------------------------ directories */

int
sftpc_opendir(struct sftp_conn *conn, const char *path,
    struct sftpc_handle *h)
{
	char what[WHAT_MAX];
	uint32_t id;
	int r;

	memset(h, 0, sizeof(*h));
	if ((r = sftpc_send_path(conn, SSH2_FXP_OPENDIR, path, &id)) != 0)
		return r;
	snprintf(what, sizeof(what), "remote opendir(\"%s\")", path);
	return sftpc_expect_handle(conn, id, 0, what, h);
}

/*
 * The entries of one NAME reply: count, then (filename, longname,
 * attrs) each (draft-02 section 7).  Names with interior NULs are
 * refused (they could not be used as paths).
 */
static int
sftpc_parse_names(struct sftpc_reply *rep, struct sftpc_dirent ***entsp,
    size_t *nentsp)
{
	struct sftpc_dirent **ents = NULL, *ent = NULL;
	char *filename = NULL, *longname = NULL;
	struct sftp_attrs a;
	size_t n = 0, cap = 0;
	uint32_t count, i;
	int r = ERR_INTERNAL;

	*entsp = NULL;
	*nentsp = 0;
	if ((r = buf_get_u32(rep->b, &count)) != 0)
		goto out;
	/* Each entry takes at least 12 bytes: bound the count first. */
	if (count > buf_len(rep->b) / 12) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	for (i = 0; i < count; i++) {
		if ((r = buf_get_cstring(rep->b, &filename, NULL)) != 0 ||
		    (r = buf_get_cstring(rep->b, &longname, NULL)) != 0 ||
		    (r = sftp_attrs_decode(rep->b, &a)) != 0 ||
		    (r = sftpc_dirent_new(filename, longname, &a, &ent)) != 0 ||
		    (r = sftpc_dirents_append(&ents, &n, &cap, ent)) != 0)
			goto out;
		ent = NULL;
		free(filename);
		free(longname);
		filename = longname = NULL;
	}
	if (buf_len(rep->b) != 0) {
		r = ERR_UNEXPECTED_TRAILING_DATA;
		goto out;
	}
	*entsp = ents;
	*nentsp = n;
	ents = NULL;
	n = 0;
	r = 0;
 out:
	sftpc_dirent_free(ent);
	sftpc_dirents_free(ents, n);
	free(filename);
	free(longname);
	return r;
}

/*
 * Wait for the NAME reply to id (EOF status: *eofp, no entries); a
 * failure is worded with the server's text when server_text.
 */
static int
sftpc_expect_names_text(struct sftp_conn *conn, uint32_t id, int quiet,
    const char *what, struct sftpc_dirent ***entsp, size_t *nentsp,
    int *eofp, int server_text)
{
	struct sftpc_reply rep;
	uint32_t code;
	int r;

	*entsp = NULL;
	*nentsp = 0;
	if (eofp != NULL)
		*eofp = 0;
	if ((r = sftpc_recv_id(conn, id, &rep)) != 0)
		return r;
	if (rep.type == SSH2_FXP_STATUS && eofp != NULL) {
		if ((r = buf_peek_u32(rep.b, 0, &code)) == 0 &&
		    code == SSH2_FX_EOF) {
			sftpc_reply_done(conn, &rep);
			*eofp = 1;
			return 0;
		}
	}
	if (rep.type == SSH2_FXP_STATUS)
		return sftpc_status_reply(conn, &rep, quiet, what, server_text);
	if (rep.type != SSH2_FXP_NAME)
		return sftpc_unexpected(conn, &rep, SSH2_FXP_NAME);
	r = sftpc_parse_names(&rep, entsp, nentsp);
	sftpc_reply_done(conn, &rep);
	if (r != 0) {
		error("Couldn't decode name reply");
		return sftpc_fail(conn, ERR_PROTOCOL_ERROR);
	}
	return 0;
}

static int
sftpc_expect_names(struct sftp_conn *conn, uint32_t id, int quiet,
    const char *what, struct sftpc_dirent ***entsp, size_t *nentsp,
    int *eofp)
{
	return sftpc_expect_names_text(conn, id, quiet, what, entsp, nentsp,
	    eofp, 0);
}

int
sftpc_readdir(struct sftp_conn *conn, const struct sftpc_handle *h,
    struct sftpc_dirent ***entsp, size_t *nentsp, int *eofp)
{
	uint32_t id;
	int r;

	*entsp = NULL;
	*nentsp = 0;
	*eofp = 0;
	if ((r = sftpc_send_handle(conn, SSH2_FXP_READDIR, h, &id)) != 0)
		return r;
	r = sftpc_expect_names(conn, id, 0, "remote readdir", entsp, nentsp,
	    eofp);
	/* A NAME with no entries would loop forever: treat as the end. */
	if (r == 0 && *nentsp == 0)
		*eofp = 1;
	return r;
}

/* Move the entries of more onto the end of *entsp. */
static int
sftpc_dirents_take(struct sftpc_dirent ***entsp, size_t *nentsp,
    size_t *capp, struct sftpc_dirent **more, size_t *nmorep)
{
	size_t i;
	int r;

	for (i = 0; i < *nmorep; i++) {
		if ((r = sftpc_dirents_append(entsp, nentsp, capp,
		    more[i])) != 0)
			return r;
		more[i] = NULL;
	}
	return 0;
}

int
sftpc_readdir_all(struct sftp_conn *conn, const char *path, int quiet,
    struct sftpc_dirent ***entsp, size_t *nentsp)
{
	struct sftpc_dirent **ents = NULL, **more = NULL;
	struct sftpc_handle h;
	char what[WHAT_MAX];
	size_t n = 0, cap = 0, nmore = 0;
	uint32_t id;
	int r = ERR_INTERNAL, r2, eof = 0, opened = 0;

	*entsp = NULL;
	*nentsp = 0;
	if ((r = sftpc_send_path(conn, SSH2_FXP_OPENDIR, path, &id)) != 0)
		goto out;
	snprintf(what, sizeof(what), "remote readdir(\"%s\")", path);
	if ((r = sftpc_expect_handle(conn, id, quiet, what, &h)) != 0)
		goto out;
	opened = 1;
	while (!eof) {
		if (sftpc_interrupted(conn)) {
			r = ERR_INTERRUPTED;
			goto out;
		}
		if ((r = sftpc_send_handle(conn, SSH2_FXP_READDIR, &h,
		    &id)) != 0 ||
		    (r = sftpc_expect_names(conn, id, quiet, what, &more,
		    &nmore, &eof)) != 0 ||
		    (r = sftpc_dirents_take(&ents, &n, &cap, more,
		    &nmore)) != 0)
			goto out;
		if (nmore == 0)
			eof = 1;
		sftpc_dirents_free(more, nmore);
		more = NULL;
		nmore = 0;
	}
	*entsp = ents;
	*nentsp = n;
	ents = NULL;
	n = 0;
	r = 0;
 out:
	if (opened && !conn->dead && (r2 = sftpc_close(conn, &h)) != 0 &&
	    r == 0)
		r = r2;
	sftpc_dirents_free(more, nmore);
	sftpc_dirents_free(ents, n);
	return r;
}

/* ------------------------------------------------------------ names */

int
sftpc_remove(struct sftp_conn *conn, const char *path)
{
	char what[WHAT_MAX];
	uint32_t id;
	int r;

	if ((r = sftpc_send_path(conn, SSH2_FXP_REMOVE, path, &id)) != 0)
		return r;
	snprintf(what, sizeof(what), "remote delete %s", path);
	return sftpc_expect_ok(conn, id, 0, what);
}

int
sftpc_mkdir(struct sftp_conn *conn, const char *path,
    const struct sftp_attrs *a, int quiet)
{
	struct sftp_attrs none;
	char what[WHAT_MAX];
	uint32_t id;
	int r;

	sftp_attrs_clear(&none);
	if ((r = sftpc_start(conn, SSH2_FXP_MKDIR, &id)) != 0 ||
	    (r = buf_put_cstring(conn->msg, path)) != 0 ||
	    (r = sftp_attrs_encode(conn->msg, a != NULL ? a : &none)) != 0 ||
	    (r = sftpc_queue(conn)) != 0)
		return r;
	snprintf(what, sizeof(what), "remote mkdir \"%s\"", path);
	return sftpc_expect_ok(conn, id, quiet, what);
}

int
sftpc_rmdir(struct sftp_conn *conn, const char *path)
{
	char what[WHAT_MAX];
	uint32_t id;
	int r;

	if ((r = sftpc_send_path(conn, SSH2_FXP_RMDIR, path, &id)) != 0)
		return r;
	snprintf(what, sizeof(what), "remote rmdir \"%s\"", path);
	return sftpc_expect_ok(conn, id, 0, what);
}

/* Wait for a NAME reply with exactly one entry; its filename. */
static int
sftpc_expect_one_name(struct sftp_conn *conn, uint32_t id, int quiet,
    const char *what, char **retp)
{
	struct sftpc_dirent **ents = NULL;
	size_t n = 0;
	int r;

	*retp = NULL;
	/* realpath, expand: OpenSSH's client shows the server's words. */
	if ((r = sftpc_expect_names_text(conn, id, quiet, what, &ents, &n,
	    NULL, 1)) != 0)
		return r;
	if (n != 1) {
		error("Got multiple names (%zu) from %s", n, what);
		sftpc_dirents_free(ents, n);
		return sftpc_fail(conn, ERR_PROTOCOL_ERROR);
	}
	*retp = ents[0]->filename;
	ents[0]->filename = NULL;
	sftpc_dirents_free(ents, n);
	return 0;
}

int
sftpc_realpath(struct sftp_conn *conn, const char *path, char **retp)
{
	char what[WHAT_MAX];
	uint32_t id;
	int r;

	*retp = NULL;
	if ((r = sftpc_send_path(conn, SSH2_FXP_REALPATH, path, &id)) != 0)
		return r;
	snprintf(what, sizeof(what), "realpath %s", path);
	return sftpc_expect_one_name(conn, id, 0, what, retp);
}

int
sftpc_expand_path(struct sftp_conn *conn, const char *path, char **retp)
{
	char what[WHAT_MAX];
	uint32_t id;
	int r;

	*retp = NULL;
	if (!sftpc_has_ext(conn, SFTPC_EXT_EXPAND_PATH)) {
		debug3("server does not support expand-path");
		return sftpc_realpath(conn, path, retp);
	}
	if ((r = sftpc_start_ext(conn, "expand-path@openssh.com",
	    &id)) != 0 ||
	    (r = buf_put_cstring(conn->msg, path)) != 0 ||
	    (r = sftpc_queue(conn)) != 0)
		return r;
	snprintf(what, sizeof(what), "expand %s", path);
	return sftpc_expect_one_name(conn, id, 0, what, retp);
}

int
sftpc_home_directory(struct sftp_conn *conn, const char *user, char **retp)
{
	uint32_t id;
	int r;

	*retp = NULL;
	if (!sftpc_has_ext(conn, SFTPC_EXT_HOME_DIRECTORY))
		return sftpc_expand_path(conn, "~", retp);
	if ((r = sftpc_start_ext(conn, "home-directory", &id)) != 0 ||
	    (r = buf_put_cstring(conn->msg, user != NULL ? user : "")) != 0 ||
	    (r = sftpc_queue(conn)) != 0)
		return r;
	return sftpc_expect_one_name(conn, id, 0, "home-directory", retp);
}

int
sftpc_rename(struct sftp_conn *conn, const char *oldpath,
    const char *newpath, int force_legacy)
{
	char what[2 * WHAT_MAX];
	uint32_t id;
	int r, posix;

	posix = !force_legacy && sftpc_has_ext(conn, SFTPC_EXT_POSIX_RENAME);
	if ((r = sftpc_send_path2(conn, SSH2_FXP_RENAME,
	    posix ? "posix-rename@openssh.com" : NULL, oldpath, newpath,
	    &id)) != 0)
		return r;
	snprintf(what, sizeof(what), "remote rename \"%s\" to \"%s\"",
	    oldpath, newpath);
	return sftpc_expect_ok(conn, id, 0, what);
}

int
sftpc_readlink(struct sftp_conn *conn, const char *path, char **retp)
{
	char what[WHAT_MAX];
	uint32_t id;
	int r;

	*retp = NULL;
	if ((r = sftpc_send_path(conn, SSH2_FXP_READLINK, path, &id)) != 0)
		return r;
	snprintf(what, sizeof(what), "remote readlink \"%s\"", path);
	return sftpc_expect_one_name(conn, id, 0, what, retp);
}

int
sftpc_symlink(struct sftp_conn *conn, const char *target,
    const char *linkpath)
{
	char what[2 * WHAT_MAX];
	uint32_t id;
	int r;

	/*
	 * OpenSSH's server (and ours) take targetpath first, the reverse
	 * of draft-02's (linkpath, targetpath); every server in use follows
	 * OpenSSH here.
	 */
	if ((r = sftpc_send_path2(conn, SSH2_FXP_SYMLINK, NULL, target,
	    linkpath, &id)) != 0)
		return r;
	snprintf(what, sizeof(what), "remote symlink file \"%s\" to \"%s\"",
	    target, linkpath);
	return sftpc_expect_ok(conn, id, 0, what);
}

int
sftpc_hardlink(struct sftp_conn *conn, const char *oldpath,
    const char *newpath)
{
	char what[2 * WHAT_MAX];
	uint32_t id;
	int r;

	if (!sftpc_has_ext(conn, SFTPC_EXT_HARDLINK)) {
		error("Server does not support hardlink@openssh.com extension");
		return ERR_FEATURE_UNSUPPORTED;
	}
	if ((r = sftpc_send_path2(conn, SSH2_FXP_EXTENDED,
	    "hardlink@openssh.com", oldpath, newpath, &id)) != 0)
		return r;
	snprintf(what, sizeof(what), "remote link \"%s\" to \"%s\"",
	    oldpath, newpath);
	return sftpc_expect_ok(conn, id, 0, what);
}

int
sftpc_fsync(struct sftp_conn *conn, const struct sftpc_handle *h)
{
	uint32_t id;
	int r;

	if (!sftpc_has_ext(conn, SFTPC_EXT_FSYNC))
		return ERR_FEATURE_UNSUPPORTED;
	if ((r = sftpc_start_ext(conn, "fsync@openssh.com", &id)) != 0 ||
	    (r = sftpc_put_handle(conn->msg, h)) != 0 ||
	    (r = sftpc_queue(conn)) != 0)
		return r;
	return sftpc_expect_ok(conn, id, 0, "remote fsync");
}

/* ------------------------------------------------------------ extensions */

/* Wait for EXTENDED_REPLY to id; *repp is left for the caller to parse. */
static int
sftpc_expect_ext_reply(struct sftp_conn *conn, uint32_t id, int quiet,
    const char *what, struct sftpc_reply *rep)
{
	int r;

	if ((r = sftpc_recv_id(conn, id, rep)) != 0)
		return r;
	if (rep->type == SSH2_FXP_STATUS)
		return sftpc_reply_status_error(conn, rep, quiet, what);
	if (rep->type != SSH2_FXP_EXTENDED_REPLY)
		return sftpc_unexpected(conn, rep, SSH2_FXP_EXTENDED_REPLY);
	return 0;
}

static int
sftpc_parse_statvfs(struct sftp_conn *conn, struct sftpc_reply *rep,
    struct sftpc_statvfs *st)
{
	int r;

	if ((r = buf_get_u64(rep->b, &st->f_bsize)) != 0 ||
	    (r = buf_get_u64(rep->b, &st->f_frsize)) != 0 ||
	    (r = buf_get_u64(rep->b, &st->f_blocks)) != 0 ||
	    (r = buf_get_u64(rep->b, &st->f_bfree)) != 0 ||
	    (r = buf_get_u64(rep->b, &st->f_bavail)) != 0 ||
	    (r = buf_get_u64(rep->b, &st->f_files)) != 0 ||
	    (r = buf_get_u64(rep->b, &st->f_ffree)) != 0 ||
	    (r = buf_get_u64(rep->b, &st->f_favail)) != 0 ||
	    (r = buf_get_u64(rep->b, &st->f_fsid)) != 0 ||
	    (r = buf_get_u64(rep->b, &st->f_flag)) != 0 ||
	    (r = buf_get_u64(rep->b, &st->f_namemax)) != 0 ||
	    buf_len(rep->b) != 0)
		r = ERR_PROTOCOL_ERROR;
	sftpc_reply_done(conn, rep);
	if (r != 0) {
		memset(st, 0, sizeof(*st));
		return sftpc_fail(conn, r);
	}
	return 0;
}

int
sftpc_statvfs(struct sftp_conn *conn, const char *path,
    struct sftpc_statvfs *st)
{
	struct sftpc_reply rep;
	char what[WHAT_MAX];
	uint32_t id;
	int r;

	memset(st, 0, sizeof(*st));
	if (!sftpc_has_ext(conn, SFTPC_EXT_STATVFS)) {
		error("Server does not support statvfs@openssh.com extension");
		return ERR_FEATURE_UNSUPPORTED;
	}
	if ((r = sftpc_start_ext(conn, "statvfs@openssh.com", &id)) != 0 ||
	    (r = buf_put_cstring(conn->msg, path)) != 0 ||
	    (r = sftpc_queue(conn)) != 0)
		return r;
	snprintf(what, sizeof(what), "remote statvfs \"%s\"", path);
	if ((r = sftpc_expect_ext_reply(conn, id, 0, what, &rep)) != 0)
		return r;
	return sftpc_parse_statvfs(conn, &rep, st);
}

int
sftpc_fstatvfs(struct sftp_conn *conn, const struct sftpc_handle *h,
    struct sftpc_statvfs *st)
{
	struct sftpc_reply rep;
	uint32_t id;
	int r;

	memset(st, 0, sizeof(*st));
	if (!sftpc_has_ext(conn, SFTPC_EXT_FSTATVFS)) {
		error("Server does not support fstatvfs@openssh.com extension");
		return ERR_FEATURE_UNSUPPORTED;
	}
	if ((r = sftpc_start_ext(conn, "fstatvfs@openssh.com", &id)) != 0 ||
	    (r = sftpc_put_handle(conn->msg, h)) != 0 ||
	    (r = sftpc_queue(conn)) != 0)
		return r;
	if ((r = sftpc_expect_ext_reply(conn, id, 0, "remote fstatvfs",
	    &rep)) != 0)
		return r;
	return sftpc_parse_statvfs(conn, &rep, st);
}

int
sftpc_get_limits(struct sftp_conn *conn, struct sftpc_limits *lim)
{
	struct sftpc_reply rep;
	uint32_t id;
	int r;

	memset(lim, 0, sizeof(*lim));
	if (!sftpc_has_ext(conn, SFTPC_EXT_LIMITS))
		return ERR_FEATURE_UNSUPPORTED;
	if ((r = sftpc_start_ext(conn, "limits@openssh.com", &id)) != 0 ||
	    (r = sftpc_queue(conn)) != 0 ||
	    (r = sftpc_expect_ext_reply(conn, id, 0, "remote limits",
	    &rep)) != 0)
		return r;
	if ((r = buf_get_u64(rep.b, &lim->packet_length)) != 0 ||
	    (r = buf_get_u64(rep.b, &lim->read_length)) != 0 ||
	    (r = buf_get_u64(rep.b, &lim->write_length)) != 0 ||
	    (r = buf_get_u64(rep.b, &lim->open_handles)) != 0 ||
	    buf_len(rep.b) != 0)
		r = ERR_PROTOCOL_ERROR;
	sftpc_reply_done(conn, &rep);
	if (r != 0) {
		memset(lim, 0, sizeof(*lim));
		return sftpc_fail(conn, r);
	}
	return 0;
}

/* Open frompath for reading and topath for writing (the copy-data pair). */
static int
sftpc_copy_open(struct sftp_conn *conn, const char *frompath,
    const char *topath, struct sftpc_handle *from, struct sftpc_handle *to)
{
	struct sftp_attrs a;
	char what[WHAT_MAX];
	int r;

	if ((r = sftpc_stat(conn, frompath, 0, &a)) != 0)
		return r;
	if ((a.flags & SSH2_FILEXFER_ATTR_PERMISSIONS) && S_ISDIR(a.perm)) {
		error("Cannot copy directory \"%s\"", frompath);
		return ERR_INVALID_ARGUMENT;
	}
	/* The new file gets the source's permissions, nothing else. */
	a.flags &= SSH2_FILEXFER_ATTR_PERMISSIONS;
	a.perm &= 0777;
	snprintf(what, sizeof(what), "remote open(\"%s\")", frompath);
	if ((r = sftpc_open_what(conn, frompath, SSH2_FXF_READ, NULL, from,
	    what)) != 0)
		return r;
	snprintf(what, sizeof(what), "remote open(\"%s\")", topath);
	if ((r = sftpc_open_what(conn, topath, SSH2_FXF_WRITE |
	    SSH2_FXF_CREAT | SSH2_FXF_TRUNC, &a, to, what)) != 0) {
		if (!conn->dead && sftpc_close(conn, from) != 0)
			debug("close of \"%s\" failed", frompath);
		return r;
	}
	return 0;
}

int
sftpc_copy(struct sftp_conn *conn, const char *frompath,
    const char *topath)
{
	struct sftpc_handle from, to;
	char what[2 * WHAT_MAX];
	uint32_t id;
	int r, r2;

	if (!sftpc_has_ext(conn, SFTPC_EXT_COPY_DATA)) {
		error("Server does not support copy-data extension");
		return ERR_FEATURE_UNSUPPORTED;
	}
	if ((r = sftpc_copy_open(conn, frompath, topath, &from, &to)) != 0)
		return r;
	/* copy-data: read handle, offset, length (0: to EOF), write, off. */
	if ((r = sftpc_start_ext(conn, "copy-data", &id)) != 0 ||
	    (r = sftpc_put_handle(conn->msg, &from)) != 0 ||
	    (r = buf_put_u64(conn->msg, 0)) != 0 ||
	    (r = buf_put_u64(conn->msg, 0)) != 0 ||
	    (r = sftpc_put_handle(conn->msg, &to)) != 0 ||
	    (r = buf_put_u64(conn->msg, 0)) != 0 ||
	    (r = sftpc_queue(conn)) != 0)
		return r;
	snprintf(what, sizeof(what), "remote copy from \"%s\" to \"%s\"",
	    frompath, topath);
	r = sftpc_expect_ok(conn, id, 0, what);
	if (!conn->dead) {
		if ((r2 = sftpc_close(conn, &from)) != 0 && r == 0)
			r = r2;
		if ((r2 = sftpc_close(conn, &to)) != 0 && r == 0)
			r = r2;
	}
	return r;
}

/*
 * Read count names from a users-groups-by-id reply: one string holding
 * the names as strings, in request order.
 */
static int
sftpc_get_names(struct buf *b, size_t count, char ***namesp)
{
	struct buf *packed = NULL;
	char **names = NULL;
	size_t i = 0;
	int r = ERR_INTERNAL;

	*namesp = NULL;
	if ((r = buf_froms(b, &packed)) != 0)
		goto out;
	if ((names = calloc(count + 1, sizeof(*names))) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	for (i = 0; i < count; i++) {
		if ((r = buf_get_cstring(packed, &names[i], NULL)) != 0)
			goto out;
	}
	if (buf_len(packed) != 0) {
		r = ERR_UNEXPECTED_TRAILING_DATA;
		goto out;
	}
	*namesp = names;
	names = NULL;
	r = 0;
 out:
	sftpc_names_free(names, i);
	buf_free(packed);
	return r;
}

void
sftpc_names_free(char **names, size_t n)
{
	size_t i;

	if (names == NULL)
		return;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* An id list as a string of uint32s (the extension's wire form). */
static int
sftpc_put_ids(struct buf *b, const uint32_t *ids, size_t n)
{
	struct buf *ids_b;
	size_t i;
	int r = 0;

	if ((ids_b = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	for (i = 0; i < n && r == 0; i++)
		r = buf_put_u32(ids_b, ids[i]);
	if (r == 0)
		r = buf_put_stringb(b, ids_b);
	buf_free(ids_b);
	return r;
}

int
sftpc_users_groups_by_id(struct sftp_conn *conn,
    const uint32_t *uids, size_t nuids, const uint32_t *gids, size_t ngids,
    char ***unamesp, char ***gnamesp)
{
	struct sftpc_reply rep;
	char **unames = NULL, **gnames = NULL;
	uint32_t id;
	int r;

	*unamesp = *gnamesp = NULL;
	if (!sftpc_has_ext(conn, SFTPC_EXT_USERS_GROUPS))
		return ERR_FEATURE_UNSUPPORTED;
	if ((r = sftpc_start_ext(conn, "users-groups-by-id@openssh.com",
	    &id)) != 0 ||
	    (r = sftpc_put_ids(conn->msg, uids, nuids)) != 0 ||
	    (r = sftpc_put_ids(conn->msg, gids, ngids)) != 0 ||
	    (r = sftpc_queue(conn)) != 0 ||
	    (r = sftpc_expect_ext_reply(conn, id, 1,
	    "remote users-groups-by-id", &rep)) != 0)
		return r;
	if ((r = sftpc_get_names(rep.b, nuids, &unames)) != 0 ||
	    (r = sftpc_get_names(rep.b, ngids, &gnames)) != 0 ||
	    buf_len(rep.b) != 0) {
		sftpc_reply_done(conn, &rep);
		sftpc_names_free(unames, nuids);
		sftpc_names_free(gnames, ngids);
		return sftpc_fail(conn, ERR_PROTOCOL_ERROR);
	}
	sftpc_reply_done(conn, &rep);
	*unamesp = unames;
	*gnamesp = gnames;
	return 0;
}
