/*
 * sftp-server-impl.h: what the parts of the SFTP request engine share
 * (private to sftp-server-*.c).
 *
 * Each request is a row of a table: its name, how to parse its fields
 * and how to run it.  The engine parses the whole request first (so a
 * malformed packet is caught whatever the policy), checks that nothing
 * is left over, applies the -p/-P/-R policy, then runs it.  Runners send
 * exactly one reply and return 0, or a negative ERR_* code when the
 * session must end (allocation or buffer failure).
 */
#ifndef KEEL_SFTP_SERVER_IMPL_H
#define KEEL_SFTP_SERVER_IMPL_H

#include <sys/types.h>
#include <dirent.h>
#include <stdint.h>

#include "sftp.h"
#include "sftp-common.h"
#include "sftp-server.h"

struct buf;

/* Our handles: uint32 slot index, uint32 generation of the slot. */
#define SFTP_HANDLE_LEN		8

enum sftp_handle_type {
	SFTP_HANDLE_UNUSED = 0,
	SFTP_HANDLE_FILE,
	SFTP_HANDLE_DIR
};

struct sftp_handle {
	enum sftp_handle_type type;
	uint32_t gen;			/* bumped each time the slot is used */
	int fd;				/* file: the descriptor */
	int oflags;			/* file: open(2) flags */
	DIR *dirp;			/* directory: the stream */
	char *name;			/* path as the client gave it */
	uint64_t nread;			/* bytes read and written (log) */
	uint64_t nwritten;
};

/* A handle string as the client sent it, not yet looked up. */
struct sftp_handle_ref {
	int wellformed;			/* had our length */
	uint32_t index;
	uint32_t gen;
};

/* The fields of any request; each parser fills the ones it reads. */
struct sftp_args {
	char *path;			/* first path (or user name) */
	char *path2;			/* second path */
	struct sftp_handle_ref handle;
	struct sftp_handle_ref handle2;	/* copy-data's destination */
	struct sftp_attrs attrs;
	uint32_t pflags;		/* OPEN */
	uint64_t offset;		/* READ, WRITE, copy-data source */
	uint64_t offset2;		/* copy-data destination */
	uint64_t length;		/* copy-data */
	uint32_t len;			/* READ */
	const u_char *data;		/* WRITE data, in the packet */
	size_t datalen;
	const u_char *uids;		/* users-groups-by-id lists, ditto */
	size_t uidslen;
	const u_char *gids;
	size_t gidslen;
};

struct sftp_server;
typedef int sftp_parse_fn(struct buf *req, struct sftp_args *a);
typedef int sftp_run_fn(struct sftp_server *s, struct sftp_args *a);

struct sftp_request {
	const char *name;		/* -P/-p/-Q and log name */
	uint8_t type;			/* SSH2_FXP_* (EXTENDED: an extension) */
	const char *ext_name;		/* extension's name, or NULL */
	const char *ext_version;	/* its data in VERSION */
	int does_write;			/* refused in read-only mode */
	sftp_parse_fn *parse;
	sftp_run_fn *run;
};

/* Small cache of uid/gid to name lookups for long names. */
#define SFTP_NAME_CACHE		64
struct sftp_name_cache {
	int used;
	uint32_t id;
	char name[64];
};

struct sftp_server {
	int readonly;
	char *denylist;
	char *allowlist;
	char *user;
	int init_done;
	uint32_t client_version;
	/* Base requests by packet type; armed by INIT. */
	const struct sftp_request *handlers[256];
	struct sftp_handle *handles;
	size_t nhandles;		/* slots allocated */
	size_t max_handles;
	struct buf *msg;		/* the reply being built */
	struct buf *scratch;		/* NAME entries being collected */
	struct buf *lname;		/* one long name */
	struct sftp_name_cache users[SFTP_NAME_CACHE];
	struct sftp_name_cache groups[SFTP_NAME_CACHE];
	/* The request being served. */
	struct buf *out;
	uint32_t id;
	const struct sftp_request *req;
};

/* copy-data moves the bytes through a buffer of this size. */
#define SFTP_COPY_CHUNK		(64 * 1024)

/* ---------------------------------------------------------------- replies
 * (sftp-server-engine.c).  Each sends one reply to the current request. */

/* Status code with its standard text. */
int sftp_send_status(struct sftp_server *s, uint32_t code)
    __attribute__((__warn_unused_result__));
/* Status code with a text of our own. */
int sftp_send_status_msg(struct sftp_server *s, uint32_t code,
    const char *msg) __attribute__((__warn_unused_result__));
/* The status errnum maps to, with strerror(errnum) as text. */
int sftp_send_errno(struct sftp_server *s, int errnum)
    __attribute__((__warn_unused_result__));
/* "Invalid handle" (no such file, as OpenSSH answers a bad handle). */
int sftp_send_bad_handle(struct sftp_server *s)
    __attribute__((__warn_unused_result__));
int sftp_send_handle(struct sftp_server *s, uint32_t index)
    __attribute__((__warn_unused_result__));
int sftp_send_data(struct sftp_server *s, const u_char *data, size_t len)
    __attribute__((__warn_unused_result__));
int sftp_send_attrs(struct sftp_server *s, const struct sftp_attrs *a)
    __attribute__((__warn_unused_result__));
/* A NAME reply of one entry: name as long name too, empty attrs. */
int sftp_send_name1(struct sftp_server *s, const char *name)
    __attribute__((__warn_unused_result__));
/*
 * Replies built piece by piece: begin (type and id go in), append to
 * s->msg, then end (frames it into the output).
 */
int sftp_reply_begin(struct sftp_server *s, uint8_t type)
    __attribute__((__warn_unused_result__));
int sftp_reply_end(struct sftp_server *s)
    __attribute__((__warn_unused_result__));

/* ---------------------------------------------------------------- handles */

/* A free slot for a new handle; ERR_NO_BUFFER_SPACE when at the limit. */
int sftp_handle_new(struct sftp_server *s, enum sftp_handle_type type,
    const char *name, uint32_t *indexp)
    __attribute__((__warn_unused_result__));
/* The open handle ref names if it has that type, else NULL. */
struct sftp_handle *sftp_handle_get(struct sftp_server *s,
    const struct sftp_handle_ref *ref, enum sftp_handle_type type);
/* Close and free the slot; 0 or -1 with errno from close/closedir. */
int sftp_handle_close(struct sftp_server *s, struct sftp_handle *h);

/* ---------------------------------------------------------------- parsers
 * (sftp-server-engine.c), one per request layout. */
sftp_parse_fn sftp_parse_none;		/* nothing */
sftp_parse_fn sftp_parse_path;		/* string path */
sftp_parse_fn sftp_parse_path2;		/* string path, string path2 */
sftp_parse_fn sftp_parse_path_attrs;	/* string path, ATTRS */
sftp_parse_fn sftp_parse_handle;	/* string handle */
sftp_parse_fn sftp_parse_handle_attrs;	/* string handle, ATTRS */
sftp_parse_fn sftp_parse_open;		/* path, uint32 pflags, ATTRS */
sftp_parse_fn sftp_parse_read;		/* handle, uint64 off, uint32 n */
sftp_parse_fn sftp_parse_write;		/* handle, uint64 off, string */
sftp_parse_fn sftp_parse_copy_data;	/* copy-data's six fields */
sftp_parse_fn sftp_parse_id_lists;	/* string uids, string gids */

/* ---------------------------------------------------------------- runners */

/* sftp-server-file.c: requests on files and file handles. */
sftp_run_fn sftp_run_open;
sftp_run_fn sftp_run_close;
sftp_run_fn sftp_run_read;
sftp_run_fn sftp_run_write;
sftp_run_fn sftp_run_fstat;
sftp_run_fn sftp_run_fsetstat;
sftp_run_fn sftp_run_fsync;
sftp_run_fn sftp_run_fstatvfs;
sftp_run_fn sftp_run_copy_data;

/* sftp-server-path.c: requests on path names. */
sftp_run_fn sftp_run_lstat;
sftp_run_fn sftp_run_stat;
sftp_run_fn sftp_run_setstat;
sftp_run_fn sftp_run_lsetstat;
sftp_run_fn sftp_run_remove;
sftp_run_fn sftp_run_mkdir;
sftp_run_fn sftp_run_rmdir;
sftp_run_fn sftp_run_realpath;
sftp_run_fn sftp_run_rename;
sftp_run_fn sftp_run_posix_rename;
sftp_run_fn sftp_run_hardlink;
sftp_run_fn sftp_run_readlink;
sftp_run_fn sftp_run_symlink;
sftp_run_fn sftp_run_statvfs;

/* sftp-server-dir.c: directories, names of users and homes. */
sftp_run_fn sftp_run_opendir;
sftp_run_fn sftp_run_readdir;
sftp_run_fn sftp_run_expand_path;
sftp_run_fn sftp_run_home_directory;
sftp_run_fn sftp_run_users_groups;
sftp_run_fn sftp_run_limits;

/* ---------------------------------------------------------------- helpers */

/*
 * Apply the attributes a carries (size, permissions, times, owner, in
 * that order, stopping at the first failure) to the open file fd, or,
 * with fd -1, to path (with nofollow: to a symbolic link itself).
 * 0 or the errno value of the failure.
 */
int sftp_apply_attrs(int fd, const char *path, int nofollow,
    const struct sftp_attrs *a);
/*
 * Log the changes ATTRS asks for on name (as OpenSSH does, at INFO), to
 * be called before applying them.
 */
void sftp_log_setstat(const char *name, const struct sftp_attrs *a);
/* The statvfs@openssh.com reply for a struct statvfs. */
struct statvfs;
int sftp_send_statvfs(struct sftp_server *s, const struct statvfs *st)
    __attribute__((__warn_unused_result__));

/*
 * sftp-server-realpath.c: resolve path (relative to the working
 * directory) to an absolute path without ".", ".." or symbolic links.
 * Unlike realpath(3) the last component need not exist.  0 with *retp a
 * new string, or ERR_ERRNO with errno set (ENOENT, ENOTDIR,
 * ELOOP, ENAMETOOLONG, ...), or ERR_ALLOC_FAIL.
 */
int sftp_realpath(const char *path, char **retp)
    __attribute__((__warn_unused_result__));

#endif /* KEEL_SFTP_SERVER_IMPL_H */
