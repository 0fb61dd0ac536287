/*
 * sftp-server-engine.c: the SFTP server's request engine: packet
 * framing, the request table and policy, INIT/VERSION, handles, request
 * parsers and reply builders (sftp-server.h, sftp-server-impl.h).
 *
 * Protocol: draft-ietf-secsh-filexfer-02 ("version 3") and the
 * extensions of OpenSSH's PROTOCOL file.
 */
#include "includes.h"

#include <sys/resource.h>
#include <dirent.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "match.h"
#include "sftp.h"
#include "sftp-common.h"
#include "sftp-server.h"
#include "sftp-server-impl.h"

/* Handles never go past this many, whatever RLIMIT_NOFILE says. */
#define SFTP_HANDLES_CAP	65536
/* Descriptors kept back from the handle limit (stdio, logging). */
#define SFTP_FD_RESERVE		8

/*
 * Every request, base ones in packet type order then the extensions, in
 * the order -Q requests lists them and VERSION advertises them.
 */
static const struct sftp_request sftp_requests[] = {
	{ "open", SSH2_FXP_OPEN, NULL, NULL, 0,
	    sftp_parse_open, sftp_run_open },
	{ "close", SSH2_FXP_CLOSE, NULL, NULL, 0,
	    sftp_parse_handle, sftp_run_close },
	{ "read", SSH2_FXP_READ, NULL, NULL, 0,
	    sftp_parse_read, sftp_run_read },
	{ "write", SSH2_FXP_WRITE, NULL, NULL, 1,
	    sftp_parse_write, sftp_run_write },
	{ "lstat", SSH2_FXP_LSTAT, NULL, NULL, 0,
	    sftp_parse_path, sftp_run_lstat },
	{ "fstat", SSH2_FXP_FSTAT, NULL, NULL, 0,
	    sftp_parse_handle, sftp_run_fstat },
	{ "setstat", SSH2_FXP_SETSTAT, NULL, NULL, 1,
	    sftp_parse_path_attrs, sftp_run_setstat },
	{ "fsetstat", SSH2_FXP_FSETSTAT, NULL, NULL, 1,
	    sftp_parse_handle_attrs, sftp_run_fsetstat },
	{ "opendir", SSH2_FXP_OPENDIR, NULL, NULL, 0,
	    sftp_parse_path, sftp_run_opendir },
	{ "readdir", SSH2_FXP_READDIR, NULL, NULL, 0,
	    sftp_parse_handle, sftp_run_readdir },
	{ "remove", SSH2_FXP_REMOVE, NULL, NULL, 1,
	    sftp_parse_path, sftp_run_remove },
	{ "mkdir", SSH2_FXP_MKDIR, NULL, NULL, 1,
	    sftp_parse_path_attrs, sftp_run_mkdir },
	{ "rmdir", SSH2_FXP_RMDIR, NULL, NULL, 1,
	    sftp_parse_path, sftp_run_rmdir },
	{ "realpath", SSH2_FXP_REALPATH, NULL, NULL, 0,
	    sftp_parse_path, sftp_run_realpath },
	{ "stat", SSH2_FXP_STAT, NULL, NULL, 0,
	    sftp_parse_path, sftp_run_stat },
	{ "rename", SSH2_FXP_RENAME, NULL, NULL, 1,
	    sftp_parse_path2, sftp_run_rename },
	{ "readlink", SSH2_FXP_READLINK, NULL, NULL, 0,
	    sftp_parse_path, sftp_run_readlink },
	{ "symlink", SSH2_FXP_SYMLINK, NULL, NULL, 1,
	    sftp_parse_path2, sftp_run_symlink },
	{ "posix-rename", SSH2_FXP_EXTENDED, "posix-rename@openssh.com", "1",
	    1, sftp_parse_path2, sftp_run_posix_rename },
	{ "statvfs", SSH2_FXP_EXTENDED, "statvfs@openssh.com", "2", 0,
	    sftp_parse_path, sftp_run_statvfs },
	{ "fstatvfs", SSH2_FXP_EXTENDED, "fstatvfs@openssh.com", "2", 0,
	    sftp_parse_handle, sftp_run_fstatvfs },
	{ "hardlink", SSH2_FXP_EXTENDED, "hardlink@openssh.com", "1", 1,
	    sftp_parse_path2, sftp_run_hardlink },
	{ "fsync", SSH2_FXP_EXTENDED, "fsync@openssh.com", "1", 1,
	    sftp_parse_handle, sftp_run_fsync },
	{ "lsetstat", SSH2_FXP_EXTENDED, "lsetstat@openssh.com", "1", 1,
	    sftp_parse_path_attrs, sftp_run_lsetstat },
	{ "limits", SSH2_FXP_EXTENDED, "limits@openssh.com", "1", 0,
	    sftp_parse_none, sftp_run_limits },
	{ "expand-path", SSH2_FXP_EXTENDED, "expand-path@openssh.com", "1", 0,
	    sftp_parse_path, sftp_run_expand_path },
	{ "copy-data", SSH2_FXP_EXTENDED, "copy-data", "1", 1,
	    sftp_parse_copy_data, sftp_run_copy_data },
	{ "home-directory", SSH2_FXP_EXTENDED, "home-directory", "1", 0,
	    sftp_parse_path, sftp_run_home_directory },
	{ "users-groups-by-id", SSH2_FXP_EXTENDED,
	    "users-groups-by-id@openssh.com", "1", 0,
	    sftp_parse_id_lists, sftp_run_users_groups },
};

#define NREQUESTS	(sizeof(sftp_requests) / sizeof(sftp_requests[0]))

const char *
sftp_server_request_name(size_t i)
{
	return i < NREQUESTS ? sftp_requests[i].name : NULL;
}

/*
 * Arm the per-session handler table for the phase after INIT: every base
 * request by its packet type (STYLE rule 14).  Before INIT it is empty.
 */
static void
sftp_server_arm(struct sftp_server *s)
{
	size_t i;

	for (i = 0; i < NREQUESTS; i++) {
		if (sftp_requests[i].ext_name == NULL)
			s->handlers[sftp_requests[i].type] = &sftp_requests[i];
	}
}

/* The extension named name[0..len), or NULL. */
static const struct sftp_request *
sftp_request_by_ext(const u_char *name, size_t len)
{
	size_t i;
	const char *e;

	for (i = 0; i < NREQUESTS; i++) {
		if ((e = sftp_requests[i].ext_name) != NULL &&
		    strlen(e) == len && memcmp(e, name, len) == 0)
			return &sftp_requests[i];
	}
	return NULL;
}

/* ---------------------------------------------------------------- life */

static size_t
sftp_default_max_handles(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 ||
	    rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > SFTP_HANDLES_CAP)
		return SFTP_HANDLES_CAP;
	if (rl.rlim_cur <= SFTP_FD_RESERVE + 1)
		return 1;
	return (size_t)rl.rlim_cur - SFTP_FD_RESERVE;
}

static int
sftp_strdup_opt(const char *s, char **dp)
{
	*dp = NULL;
	if (s == NULL)
		return 0;
	if ((*dp = strdup(s)) == NULL)
		return ERR_ALLOC_FAIL;
	return 0;
}

int
sftp_server_new(const struct sftp_server_config *cfg, struct sftp_server **sp)
{
	struct sftp_server *s = NULL;
	int r = ERR_INTERNAL;

	*sp = NULL;
	if (cfg == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return ERR_ALLOC_FAIL;
	s->readonly = cfg->readonly;
	s->max_handles = cfg->max_handles;
	if (s->max_handles == 0 || s->max_handles > SFTP_HANDLES_CAP)
		s->max_handles = sftp_default_max_handles();
	if ((r = sftp_strdup_opt(cfg->denylist, &s->denylist)) != 0 ||
	    (r = sftp_strdup_opt(cfg->allowlist, &s->allowlist)) != 0 ||
	    (r = sftp_strdup_opt(cfg->user != NULL ? cfg->user : "unknown",
	    &s->user)) != 0)
		goto out;
	r = ERR_ALLOC_FAIL;
	if ((s->msg = buf_new()) == NULL || (s->scratch = buf_new()) == NULL ||
	    (s->lname = buf_new()) == NULL)
		goto out;
	*sp = s;
	s = NULL;
	r = 0;
 out:
	sftp_server_free(s);
	return r;
}

void
sftp_server_free(struct sftp_server *s)
{
	struct sftp_handle *h;
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nhandles; i++) {
		h = &s->handles[i];
		if (h->type == SFTP_HANDLE_FILE) {
			logit("forced close \"%s\" bytes read %llu "
			    "written %llu", h->name,
			    (unsigned long long)h->nread,
			    (unsigned long long)h->nwritten);
		} else if (h->type == SFTP_HANDLE_DIR)
			logit("forced closedir \"%s\"", h->name);
		if (h->type != SFTP_HANDLE_UNUSED)
			(void)sftp_handle_close(s, h);
	}
	free(s->handles);
	buf_free(s->msg);
	buf_free(s->scratch);
	buf_free(s->lname);
	free(s->denylist);
	free(s->allowlist);
	free(s->user);
	free(s);
}

/* ---------------------------------------------------------------- handles */

/* Make room for one more slot; ERR_NO_BUFFER_SPACE at the limit. */
static int
sftp_handles_grow(struct sftp_server *s)
{
	struct sftp_handle *nh;
	size_t n;

	if (s->nhandles >= s->max_handles)
		return ERR_NO_BUFFER_SPACE;
	n = s->nhandles == 0 ? 16 : s->nhandles * 2;
	if (n > s->max_handles)
		n = s->max_handles;
	if ((nh = recallocarray(s->handles, s->nhandles, n,
	    sizeof(*nh))) == NULL)
		return ERR_ALLOC_FAIL;
	s->handles = nh;
	s->nhandles = n;
	return 0;
}

int
sftp_handle_new(struct sftp_server *s, enum sftp_handle_type type,
    const char *name, uint32_t *indexp)
{
	struct sftp_handle *h;
	size_t i;
	char *dup;
	int r;

	*indexp = 0;
	for (i = 0; i < s->nhandles; i++) {
		if (s->handles[i].type == SFTP_HANDLE_UNUSED)
			break;
	}
	if (i == s->nhandles && (r = sftp_handles_grow(s)) != 0)
		return r;
	if ((dup = strdup(name)) == NULL)
		return ERR_ALLOC_FAIL;
	h = &s->handles[i];
	h->type = type;
	h->gen++;
	h->fd = -1;
	h->oflags = 0;
	h->dirp = NULL;
	h->name = dup;
	h->nread = h->nwritten = 0;
	*indexp = (uint32_t)i;
	return 0;
}

struct sftp_handle *
sftp_handle_get(struct sftp_server *s, const struct sftp_handle_ref *ref,
    enum sftp_handle_type type)
{
	struct sftp_handle *h;

	if (!ref->wellformed || ref->index >= s->nhandles)
		return NULL;
	h = &s->handles[ref->index];
	if (h->type != type || h->gen != ref->gen)
		return NULL;
	return h;
}

int
sftp_handle_close(struct sftp_server *s, struct sftp_handle *h)
{
	int ret = 0;

	(void)s;
	if (h->type == SFTP_HANDLE_FILE)
		ret = close(h->fd);
	else if (h->type == SFTP_HANDLE_DIR)
		ret = closedir(h->dirp);
	free(h->name);
	h->name = NULL;
	h->fd = -1;
	h->dirp = NULL;
	h->type = SFTP_HANDLE_UNUSED;
	return ret;
}

/* ---------------------------------------------------------------- replies */

int
sftp_reply_begin(struct sftp_server *s, uint8_t type)
{
	int r;

	buf_reset(s->msg);
	if ((r = buf_put_u8(s->msg, type)) != 0 ||
	    (r = buf_put_u32(s->msg, s->id)) != 0)
		return r;
	return 0;
}

int
sftp_reply_end(struct sftp_server *s)
{
	int r;

	if (buf_len(s->msg) > SFTP_MAX_PACKET)
		return ERR_INTERNAL;
	if ((r = buf_put_u32(s->out, (uint32_t)buf_len(s->msg))) != 0 ||
	    (r = buf_putb(s->out, s->msg)) != 0)
		return r;
	return 0;
}

int
sftp_send_status_msg(struct sftp_server *s, uint32_t code, const char *msg)
{
	int r;

	debug3("request %u: sent status %u", s->id, code);
	if (log_is_on(LOG_LEVEL_DEBUG1) ||
	    (code != SSH2_FX_OK && code != SSH2_FX_EOF))
		logit("sent status %s", sftp_status_text(code));
	if ((r = sftp_reply_begin(s, SSH2_FXP_STATUS)) != 0 ||
	    (r = buf_put_u32(s->msg, code)) != 0)
		return r;
	/* The message and language tag are new in version 3. */
	if (s->client_version >= 3 &&
	    ((r = buf_put_cstring(s->msg, msg)) != 0 ||
	    (r = buf_put_cstring(s->msg, "")) != 0))
		return r;
	return sftp_reply_end(s);
}

int
sftp_send_status(struct sftp_server *s, uint32_t code)
{
	return sftp_send_status_msg(s, code, sftp_status_text(code));
}

int
sftp_send_errno(struct sftp_server *s, int errnum)
{
	uint32_t code = sftp_errno_to_status(errnum);

	if (errnum == 0)
		return sftp_send_status(s, code);
	return sftp_send_status_msg(s, code, strerror(errnum));
}

int
sftp_send_bad_handle(struct sftp_server *s)
{
	debug("request %u: %s: invalid handle", s->id, s->req->name);
	return sftp_send_status_msg(s, SSH2_FX_NO_SUCH_FILE, "Invalid handle");
}

int
sftp_send_handle(struct sftp_server *s, uint32_t index)
{
	struct sftp_handle *h = &s->handles[index];
	int r;

	debug("request %u: sent handle %u", s->id, index);
	if ((r = sftp_reply_begin(s, SSH2_FXP_HANDLE)) != 0 ||
	    (r = buf_put_u32(s->msg, SFTP_HANDLE_LEN)) != 0 ||
	    (r = buf_put_u32(s->msg, index)) != 0 ||
	    (r = buf_put_u32(s->msg, h->gen)) != 0)
		return r;
	return sftp_reply_end(s);
}

int
sftp_send_data(struct sftp_server *s, const u_char *data, size_t len)
{
	int r;

	if (len > SFTP_MAX_READ_LENGTH)
		return ERR_INTERNAL;
	debug2("request %u: sent data len %zu", s->id, len);
	/* Straight into the output: no copy through s->msg. */
	if ((r = buf_put_u32(s->out, (uint32_t)(1 + 4 + 4 + len))) != 0 ||
	    (r = buf_put_u8(s->out, SSH2_FXP_DATA)) != 0 ||
	    (r = buf_put_u32(s->out, s->id)) != 0 ||
	    (r = buf_put_string(s->out, data, len)) != 0)
		return r;
	return 0;
}

int
sftp_send_attrs(struct sftp_server *s, const struct sftp_attrs *a)
{
	int r;

	debug("request %u: sent attrib have 0x%x", s->id, a->flags);
	if ((r = sftp_reply_begin(s, SSH2_FXP_ATTRS)) != 0 ||
	    (r = sftp_attrs_encode(s->msg, a)) != 0)
		return r;
	return sftp_reply_end(s);
}

int
sftp_send_name1(struct sftp_server *s, const char *name)
{
	struct sftp_attrs a;
	int r;

	sftp_attrs_clear(&a);
	debug("request %u: sent names count 1", s->id);
	if ((r = sftp_reply_begin(s, SSH2_FXP_NAME)) != 0 ||
	    (r = buf_put_u32(s->msg, 1)) != 0 ||
	    (r = buf_put_cstring(s->msg, name)) != 0 ||
	    (r = buf_put_cstring(s->msg, name)) != 0 ||
	    (r = sftp_attrs_encode(s->msg, &a)) != 0)
		return r;
	return sftp_reply_end(s);
}

/* ---------------------------------------------------------------- parsers */

int
sftp_parse_none(struct buf *req, struct sftp_args *a)
{
	(void)req;
	(void)a;
	return 0;
}

int
sftp_parse_path(struct buf *req, struct sftp_args *a)
{
	return buf_get_cstring(req, &a->path, NULL);
}

int
sftp_parse_path2(struct buf *req, struct sftp_args *a)
{
	int r;

	if ((r = buf_get_cstring(req, &a->path, NULL)) != 0 ||
	    (r = buf_get_cstring(req, &a->path2, NULL)) != 0)
		return r;
	return 0;
}

int
sftp_parse_path_attrs(struct buf *req, struct sftp_args *a)
{
	int r;

	if ((r = buf_get_cstring(req, &a->path, NULL)) != 0 ||
	    (r = sftp_attrs_decode(req, &a->attrs)) != 0)
		return r;
	return 0;
}

/*
 * A handle string.  Ours are SFTP_HANDLE_LEN bytes; one of any other
 * length is consumed and marked not well-formed, so the request gets an
 * "invalid handle" status rather than ending the session.
 */
static int
sftp_get_handle(struct buf *req, struct sftp_handle_ref *ref)
{
	uint32_t len;
	int r;

	memset(ref, 0, sizeof(*ref));
	if ((r = buf_get_u32(req, &len)) != 0)
		return r;
	if (len != SFTP_HANDLE_LEN)
		return buf_get(req, NULL, len);
	if ((r = buf_get_u32(req, &ref->index)) != 0 ||
	    (r = buf_get_u32(req, &ref->gen)) != 0)
		return r;
	ref->wellformed = 1;
	return 0;
}

int
sftp_parse_handle(struct buf *req, struct sftp_args *a)
{
	return sftp_get_handle(req, &a->handle);
}

int
sftp_parse_handle_attrs(struct buf *req, struct sftp_args *a)
{
	int r;

	if ((r = sftp_get_handle(req, &a->handle)) != 0 ||
	    (r = sftp_attrs_decode(req, &a->attrs)) != 0)
		return r;
	return 0;
}

/* draft-02 6.3: string filename, uint32 pflags, ATTRS attrs. */
int
sftp_parse_open(struct buf *req, struct sftp_args *a)
{
	int r;

	if ((r = buf_get_cstring(req, &a->path, NULL)) != 0 ||
	    (r = buf_get_u32(req, &a->pflags)) != 0 ||
	    (r = sftp_attrs_decode(req, &a->attrs)) != 0)
		return r;
	return 0;
}

/* draft-02 6.4: string handle, uint64 offset, uint32 len. */
int
sftp_parse_read(struct buf *req, struct sftp_args *a)
{
	int r;

	if ((r = sftp_get_handle(req, &a->handle)) != 0 ||
	    (r = buf_get_u64(req, &a->offset)) != 0 ||
	    (r = buf_get_u32(req, &a->len)) != 0)
		return r;
	return 0;
}

/* draft-02 6.4: string handle, uint64 offset, string data. */
int
sftp_parse_write(struct buf *req, struct sftp_args *a)
{
	int r;

	if ((r = sftp_get_handle(req, &a->handle)) != 0 ||
	    (r = buf_get_u64(req, &a->offset)) != 0 ||
	    (r = buf_get_string_direct(req, &a->data, &a->datalen)) != 0)
		return r;
	return 0;
}

/*
 * copy-data: string read-from-handle, uint64 read-from-offset,
 * uint64 read-data-length, string write-to-handle, uint64 write-to-offset.
 */
int
sftp_parse_copy_data(struct buf *req, struct sftp_args *a)
{
	int r;

	if ((r = sftp_get_handle(req, &a->handle)) != 0 ||
	    (r = buf_get_u64(req, &a->offset)) != 0 ||
	    (r = buf_get_u64(req, &a->length)) != 0 ||
	    (r = sftp_get_handle(req, &a->handle2)) != 0 ||
	    (r = buf_get_u64(req, &a->offset2)) != 0)
		return r;
	return 0;
}

/* users-groups-by-id: string uids (uint32s), string gids (uint32s). */
int
sftp_parse_id_lists(struct buf *req, struct sftp_args *a)
{
	int r;

	if ((r = buf_get_string_direct(req, &a->uids, &a->uidslen)) != 0 ||
	    (r = buf_get_string_direct(req, &a->gids, &a->gidslen)) != 0)
		return r;
	if (a->uidslen % 4 != 0 || a->gidslen % 4 != 0)
		return ERR_INVALID_FORMAT;
	return 0;
}

/* ---------------------------------------------------------------- policy */

/* 1 if name is one of the comma-separated list. */
static int
sftp_in_list(const char *name, const char *list)
{
	char *m;

	if ((m = match_list(name, list, NULL)) == NULL)
		return 0;
	free(m);
	return 1;
}

/* 1 if -p, -P and -R allow req; says why not (VERBOSE) otherwise. */
static int
sftp_request_permitted(struct sftp_server *s, const struct sftp_request *req)
{
	if (s->allowlist != NULL && !sftp_in_list(req->name, s->allowlist)) {
		verbose("Refusing non-allowlisted %s request", req->name);
		return 0;
	}
	if (s->denylist != NULL && sftp_in_list(req->name, s->denylist)) {
		verbose("Refusing denied %s request", req->name);
		return 0;
	}
	if (req->does_write && s->readonly) {
		verbose("Refusing %s request in read-only mode", req->name);
		return 0;
	}
	return 1;
}

/* ---------------------------------------------------------------- dispatch */

/*
 * INIT (draft-02 4): uint32 version, then extension name/data pairs,
 * which we skip.  The VERSION reply lists the extensions this session
 * may use.
 */
static int
sftp_server_init(struct sftp_server *s, struct buf *pkt)
{
	uint32_t version;
	size_t i;
	int r;

	if (s->init_done) {
		error("Received duplicate INIT from local user %s", s->user);
		return ERR_PROTOCOL_ERROR;
	}
	if ((r = buf_get_u32(pkt, &version)) != 0)
		goto bad;
	while (buf_len(pkt) > 0) {
		if ((r = buf_get_string_direct(pkt, NULL, NULL)) != 0 ||
		    (r = buf_get_string_direct(pkt, NULL, NULL)) != 0)
			goto bad;
	}
	verbose("received client version %u", version);
	s->client_version = version;
	s->init_done = 1;
	sftp_server_arm(s);
	buf_reset(s->msg);
	if ((r = buf_put_u8(s->msg, SSH2_FXP_VERSION)) != 0 ||
	    (r = buf_put_u32(s->msg, SSH2_FILEXFER_VERSION)) != 0)
		return r;
	for (i = 0; i < NREQUESTS; i++) {
		if (sftp_requests[i].ext_name == NULL ||
		    !sftp_request_permitted(s, &sftp_requests[i]))
			continue;
		if ((r = buf_put_cstring(s->msg,
		    sftp_requests[i].ext_name)) != 0 ||
		    (r = buf_put_cstring(s->msg,
		    sftp_requests[i].ext_version)) != 0)
			return r;
	}
	return sftp_reply_end(s);
 bad:
	error_fr(r, "malformed INIT from local user %s", s->user);
	return r;
}

/* Parse req's fields, check the policy, run it. */
static int
sftp_server_run(struct sftp_server *s, const struct sftp_request *req,
    struct buf *pkt)
{
	struct sftp_args a;
	int r = ERR_INTERNAL;

	memset(&a, 0, sizeof(a));
	s->req = req;
	if ((r = req->parse(pkt, &a)) != 0 ||
	    (buf_len(pkt) != 0 && (r = ERR_UNEXPECTED_TRAILING_DATA) != 0)) {
		error_fr(r, "malformed %s request %u from local user %s",
		    req->name, s->id, s->user);
		goto out;
	}
	debug3("request %u: %s", s->id, req->name);
	if (!sftp_request_permitted(s, req))
		r = sftp_send_status(s, SSH2_FX_PERMISSION_DENIED);
	else
		r = req->run(s, &a);
 out:
	free(a.path);
	free(a.path2);
	s->req = NULL;
	return r;
}

/* An EXTENDED request: string name, then the extension's fields. */
static int
sftp_server_extended(struct sftp_server *s, struct buf *pkt)
{
	const struct sftp_request *req;
	const u_char *name;
	size_t len;
	int r;

	if ((r = buf_get_string_direct(pkt, &name, &len)) != 0) {
		error_fr(r, "malformed extended request %u", s->id);
		return r;
	}
	if ((req = sftp_request_by_ext(name, len)) == NULL) {
		debug("request %u: unknown extended request", s->id);
		return sftp_send_status(s, SSH2_FX_OP_UNSUPPORTED);
	}
	return sftp_server_run(s, req, pkt);
}

/* One packet (without its length): byte type, then type's fields. */
static int
sftp_server_packet(struct sftp_server *s, struct buf *pkt)
{
	const struct sftp_request *req;
	uint8_t type;
	int r;

	if ((r = buf_get_u8(pkt, &type)) != 0) {
		error_fr(r, "empty packet from local user %s", s->user);
		return r;
	}
	if (type == SSH2_FXP_INIT)
		return sftp_server_init(s, pkt);
	if (!s->init_done) {
		error("Received packet type %u before init from local user %s",
		    type, s->user);
		return ERR_PROTOCOL_ERROR;
	}
	if ((r = buf_get_u32(pkt, &s->id)) != 0) {
		error_fr(r, "packet type %u without request id", type);
		return r;
	}
	if (type == SSH2_FXP_EXTENDED)
		return sftp_server_extended(s, pkt);
	if ((req = s->handlers[type]) == NULL) {
		error("Unknown message %u", type);
		return sftp_send_status(s, SSH2_FX_OP_UNSUPPORTED);
	}
	return sftp_server_run(s, req, pkt);
}

int
sftp_server_process(struct sftp_server *s, struct buf *in, struct buf *out)
{
	struct buf *pkt = NULL;
	uint32_t len;
	int r = ERR_INTERNAL;

	s->out = out;
	while (buf_len(out) <= SFTP_SERVER_OUT_HIGHWATER) {
		if (buf_peek_u32(in, 0, &len) != 0)
			break;		/* not even a length yet */
		if (len > SFTP_MAX_PACKET) {
			error("packet of %u bytes from local user %s "
			    "exceeds the limit of %u", len, s->user,
			    SFTP_MAX_PACKET);
			r = ERR_PROTOCOL_ERROR;
			goto out;
		}
		if (buf_len(in) - 4 < len)
			break;		/* wait for the rest */
		if ((r = buf_consume(in, 4)) != 0)
			goto out;
		/* A view of exactly this packet: no read runs past it. */
		if ((pkt = buf_from(buf_ptr(in), len)) == NULL) {
			r = ERR_ALLOC_FAIL;
			goto out;
		}
		r = sftp_server_packet(s, pkt);
		buf_free(pkt);
		pkt = NULL;
		if (r != 0)
			goto out;
		if ((r = buf_consume(in, len)) != 0)
			goto out;
	}
	r = 0;
 out:
	s->out = NULL;
	return r;
}
