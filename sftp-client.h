/*
 * sftp-client.h: the SFTP client protocol library, shared by sftp and
 * scp (its default SFTP mode).
 *
 * A connection (struct sftp_conn) talks SFTP version 3
 * (draft-ietf-secsh-filexfer-02) plus OpenSSH's extensions over a pair of
 * descriptors (possibly one and the same), normally our end of the
 * socketpair of an ssh (or -D sftp-server) child started with
 * sftp_spawn_ssh() / sftp_spawn_command().
 *
 * Library code: nothing here exits or calls xmalloc.  Contracts, unless
 * a comment says otherwise:
 *  - int results are 0 or a negative ERR_* code (errcode.h);
 *  - when the server answers a request with a failure STATUS, the
 *    function logs what failed in OpenSSH's words (error() unless told to
 *    be quiet), returns ERR_ERRNO with errno set to the nearest errno
 *    value (ENOENT, EACCES, EIO, EBADMSG, ENOTCONN, ECONNRESET, ENOTSUP)
 *    and sftpc_last_status() gives the SSH2_FX_* code itself;
 *  - a broken connection (EOF, malformed or unexpected reply) gives
 *    ERR_CONN_CLOSED or ERR_PROTOCOL_ERROR; the connection is then dead
 *    (sftpc_is_dead()) and every later call fails at once;
 *  - remote paths are passed and returned as the server spells them
 *    (NUL-terminated; names with interior NULs are refused);
 *  - strings and arrays returned through out-parameters are new heap
 *    allocations owned by the caller; out-parameters are cleared first
 *    and set only on success.
 */
#ifndef KEEL_SFTP_CLIENT_H
#define KEEL_SFTP_CLIENT_H

#include <sys/types.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "sftp.h"
#include "sftp-common.h"

struct sftp_conn;

/* ------------------------------------------------------------ transport */

/*
 * An sftp transport child: its pid and our end of its stdin/stdout.
 * The child's stdin and stdout are one end of a socketpair, so fd_in
 * and fd_out are the same descriptor here: close it once (as
 * sftp_child_finish() does).
 */
struct sftp_child {
	pid_t	pid;
	int	fd_in;		/* we read the server's replies here */
	int	fd_out;		/* we write requests here */
};

/*
 * Start `program ssh_args... [-s] -- host subsystem`: the ssh program
 * (our ssh unless the caller names another, as -S does) with the
 * caller's options (a NULL-terminated list such as "-oForwardX11=no",
 * "-l", "user", "-oPort=2222"; may be NULL), then "-s" unless subsystem
 * contains a '/' (a path runs as a remote command, as OpenSSH's sftp -s
 * does), then "--", host and subsystem.  The child's stdin/stdout are a
 * socketpair to us, its stderr is ours.  With ignore_sigint the child ignores
 * SIGINT, so ^C in an interactive client interrupts a transfer, not the
 * connection.  0 or ERR_ERRNO / ERR_ALLOC_FAIL / ERR_INVALID_ARGUMENT.
 */
int sftp_spawn_ssh(const char *program, char *const *ssh_args,
    const char *host, const char *subsystem, int ignore_sigint,
    struct sftp_child *childp) __attribute__((__warn_unused_result__));

/*
 * Start a local server for -D: command is split into words as a config
 * line is (argv_split()), the first word is run (PATH searched).
 * 0 or ERR_ERRNO / ERR_ALLOC_FAIL / ERR_INVALID_FORMAT (empty or bad
 * quoting).
 */
int sftp_spawn_command(const char *command, int ignore_sigint,
    struct sftp_child *childp) __attribute__((__warn_unused_result__));

/*
 * Close our end of the socketpair (the server then sees EOF) and wait for
 * the child; *statusp (may be NULL) gets its waitpid() status.  With
 * kill_first, SIGTERM is sent first.  Idempotent.  0 or ERR_ERRNO.
 */
int sftp_child_finish(struct sftp_child *child, int kill_first,
    int *statusp) __attribute__((__warn_unused_result__));

/* ------------------------------------------------------------ connection */

/* Defaults as OpenSSH's: 32 KiB per READ/WRITE, 64 requests in flight. */
#define SFTPC_DEFAULT_BUFLEN		32768
#define SFTPC_DEFAULT_NUM_REQUESTS	64

/* Extensions the server advertised (sftpc_has_ext()). */
#define SFTPC_EXT_POSIX_RENAME		0x0001	/* posix-rename@openssh.com */
#define SFTPC_EXT_STATVFS		0x0002	/* statvfs@openssh.com */
#define SFTPC_EXT_FSTATVFS		0x0004	/* fstatvfs@openssh.com */
#define SFTPC_EXT_HARDLINK		0x0008	/* hardlink@openssh.com */
#define SFTPC_EXT_FSYNC			0x0010	/* fsync@openssh.com */
#define SFTPC_EXT_LSETSTAT		0x0020	/* lsetstat@openssh.com */
#define SFTPC_EXT_LIMITS		0x0040	/* limits@openssh.com */
#define SFTPC_EXT_EXPAND_PATH		0x0080	/* expand-path@openssh.com */
#define SFTPC_EXT_COPY_DATA		0x0100	/* copy-data */
#define SFTPC_EXT_HOME_DIRECTORY	0x0200	/* home-directory */
#define SFTPC_EXT_USERS_GROUPS		0x0400	/* users-groups-by-id@... */

struct sftpc_options {
	size_t		buflen;		/* -B: bytes per READ/WRITE; 0 default */
	size_t		num_requests;	/* -R: requests in flight; 0 default */
	uint64_t	limit_kbps;	/* -l: Kbit/s, 0 for no limit */
	/*
	 * Set (by a signal handler) to abort the current transfer: it stops
	 * sending, drains the requests in flight and fails with
	 * ERR_INTERRUPTED.  May be NULL.
	 */
	volatile sig_atomic_t *interrupted;
};

/*
 * Send INIT on fd_out, read VERSION from fd_in (version 3 or later:
 * the server's version is kept, we speak 3), note the extensions, and
 * when limits@openssh.com is there ask for the server's limits and
 * shrink buflen to fit them (buflen is always capped at
 * SFTP_MAX_READ_LENGTH).  The descriptors stay the caller's: they are
 * not closed by sftpc_free().  opts may be NULL (defaults).
 * 0, ERR_CONN_CLOSED, ERR_PROTOCOL_ERROR, ERR_ALLOC_FAIL, ERR_ERRNO.
 */
int sftpc_connect(int fd_in, int fd_out, const struct sftpc_options *opts,
    struct sftp_conn **connp) __attribute__((__warn_unused_result__));
/* Free the connection (NULL is a no-op); open handles are forgotten. */
void sftpc_free(struct sftp_conn *conn);

/* The version the server announced. */
uint32_t sftpc_server_version(const struct sftp_conn *conn);
/* 1 if the server advertised the SFTPC_EXT_* extension ext, else 0. */
int sftpc_has_ext(const struct sftp_conn *conn, unsigned int ext);
/* The READ/WRITE size and requests in flight in use. */
size_t sftpc_buflen(const struct sftp_conn *conn);
size_t sftpc_num_requests(const struct sftp_conn *conn);
/* The SSH2_FX_* code of the last failure STATUS (SSH2_FX_OK if none). */
uint32_t sftpc_last_status(const struct sftp_conn *conn);
/* 1 once the connection has failed for good. */
int sftpc_is_dead(const struct sftp_conn *conn);
/*
 * The text of a status code as OpenSSH's client prints it ("No such
 * file or directory", "Permission denied", ...).  Static.
 */
const char *sftpc_status_text(uint32_t status);

/* ------------------------------------------------------------ requests */

/* An open remote file or directory: the server's opaque handle. */
struct sftpc_handle {
	u_char	data[SFTP_MAX_HANDLE_LENGTH];
	size_t	len;
};

/* One entry of a READDIR or of a NAME reply. */
struct sftpc_dirent {
	char			*filename;
	char			*longname;	/* "ls -l" line from the server */
	struct sftp_attrs	 a;
};
/* Free n entries and the array; ents may be NULL. */
void sftpc_dirents_free(struct sftpc_dirent **ents, size_t n);

/*
 * statvfs@openssh.com / fstatvfs@openssh.com reply (fields as in
 * statvfs(3)); f_flag holds SSH2_FXE_STATVFS_* bits.
 */
struct sftpc_statvfs {
	uint64_t	f_bsize;
	uint64_t	f_frsize;
	uint64_t	f_blocks;
	uint64_t	f_bfree;
	uint64_t	f_bavail;
	uint64_t	f_files;
	uint64_t	f_ffree;
	uint64_t	f_favail;
	uint64_t	f_fsid;
	uint64_t	f_flag;
	uint64_t	f_namemax;
};

/* limits@openssh.com reply (0 = no limit given). */
struct sftpc_limits {
	uint64_t	packet_length;
	uint64_t	read_length;
	uint64_t	write_length;
	uint64_t	open_handles;
};

/*
 * OPEN with SSH2_FXF_* pflags and attributes a (NULL: none).
 * CLOSE a handle (the handle is unusable afterwards whatever the result).
 */
int sftpc_open(struct sftp_conn *conn, const char *path, uint32_t pflags,
    const struct sftp_attrs *a, struct sftpc_handle *h)
    __attribute__((__warn_unused_result__));
int sftpc_close(struct sftp_conn *conn, const struct sftpc_handle *h)
    __attribute__((__warn_unused_result__));

/*
 * One READ of at most len bytes at offset into buf: *nreadp gets the
 * count, 0 at end of file.  One WRITE of len bytes at offset.  (Bulk
 * transfers use the pipelined functions below.)
 */
int sftpc_read(struct sftp_conn *conn, const struct sftpc_handle *h,
    uint64_t offset, void *buf, size_t len, size_t *nreadp)
    __attribute__((__warn_unused_result__));
int sftpc_write(struct sftp_conn *conn, const struct sftpc_handle *h,
    uint64_t offset, const void *buf, size_t len)
    __attribute__((__warn_unused_result__));

/*
 * STAT / LSTAT / FSTAT into *a.  With quiet a failure is logged at
 * debug level only (probes such as "is this a directory?").
 */
int sftpc_stat(struct sftp_conn *conn, const char *path, int quiet,
    struct sftp_attrs *a) __attribute__((__warn_unused_result__));
int sftpc_lstat(struct sftp_conn *conn, const char *path, int quiet,
    struct sftp_attrs *a) __attribute__((__warn_unused_result__));
int sftpc_fstat(struct sftp_conn *conn, const struct sftpc_handle *h,
    int quiet, struct sftp_attrs *a) __attribute__((__warn_unused_result__));

/*
 * SETSTAT / FSETSTAT / lsetstat@openssh.com (ERR_FEATURE_UNSUPPORTED
 * when the server lacks it) with the fields flagged in a.
 */
int sftpc_setstat(struct sftp_conn *conn, const char *path,
    const struct sftp_attrs *a) __attribute__((__warn_unused_result__));
int sftpc_fsetstat(struct sftp_conn *conn, const struct sftpc_handle *h,
    const struct sftp_attrs *a) __attribute__((__warn_unused_result__));
int sftpc_lsetstat(struct sftp_conn *conn, const char *path,
    const struct sftp_attrs *a) __attribute__((__warn_unused_result__));

/*
 * OPENDIR; READDIR of one batch (*entsp, *nentsp; *eofp set to 1 and no
 * entries at the end of the directory).
 */
int sftpc_opendir(struct sftp_conn *conn, const char *path,
    struct sftpc_handle *h) __attribute__((__warn_unused_result__));
int sftpc_readdir(struct sftp_conn *conn, const struct sftpc_handle *h,
    struct sftpc_dirent ***entsp, size_t *nentsp, int *eofp)
    __attribute__((__warn_unused_result__));
/*
 * The whole listing of directory path (OPENDIR, READDIR until EOF,
 * CLOSE), in the server's order; quiet as for sftpc_stat().  With
 * interrupted set midway, ERR_INTERRUPTED.
 */
int sftpc_readdir_all(struct sftp_conn *conn, const char *path, int quiet,
    struct sftpc_dirent ***entsp, size_t *nentsp)
    __attribute__((__warn_unused_result__));

/* REMOVE, MKDIR (a may be NULL), RMDIR. */
int sftpc_remove(struct sftp_conn *conn, const char *path)
    __attribute__((__warn_unused_result__));
int sftpc_mkdir(struct sftp_conn *conn, const char *path,
    const struct sftp_attrs *a, int quiet)
    __attribute__((__warn_unused_result__));
int sftpc_rmdir(struct sftp_conn *conn, const char *path)
    __attribute__((__warn_unused_result__));

/* REALPATH: the canonical absolute form of path. */
int sftpc_realpath(struct sftp_conn *conn, const char *path, char **retp)
    __attribute__((__warn_unused_result__));
/*
 * expand-path@openssh.com ("~", "~user/x" expanded by the server); falls
 * back to REALPATH when the server lacks it (then "~" is not expanded).
 */
int sftpc_expand_path(struct sftp_conn *conn, const char *path,
    char **retp) __attribute__((__warn_unused_result__));
/* home-directory extension, else expand-path of "~"; the user's home. */
int sftpc_home_directory(struct sftp_conn *conn, const char *user,
    char **retp) __attribute__((__warn_unused_result__));

/*
 * RENAME.  With force_legacy 0, posix-rename@openssh.com is used when
 * the server has it (replaces an existing newpath atomically); plain
 * RENAME (fails if newpath exists on OpenSSH's server) otherwise.
 */
int sftpc_rename(struct sftp_conn *conn, const char *oldpath,
    const char *newpath, int force_legacy)
    __attribute__((__warn_unused_result__));
/* READLINK: the target of symlink path. */
int sftpc_readlink(struct sftp_conn *conn, const char *path, char **retp)
    __attribute__((__warn_unused_result__));
/*
 * SYMLINK making linkpath point at target.  (The argument order on the
 * wire is OpenSSH's, which swapped draft-02's; handled here.)
 */
int sftpc_symlink(struct sftp_conn *conn, const char *target,
    const char *linkpath) __attribute__((__warn_unused_result__));
/* hardlink@openssh.com (ERR_FEATURE_UNSUPPORTED without it). */
int sftpc_hardlink(struct sftp_conn *conn, const char *oldpath,
    const char *newpath) __attribute__((__warn_unused_result__));
/* fsync@openssh.com on an open handle (ERR_FEATURE_UNSUPPORTED). */
int sftpc_fsync(struct sftp_conn *conn, const struct sftpc_handle *h)
    __attribute__((__warn_unused_result__));
/* statvfs@openssh.com / fstatvfs@openssh.com (ERR_FEATURE_UNSUPPORTED). */
int sftpc_statvfs(struct sftp_conn *conn, const char *path,
    struct sftpc_statvfs *st) __attribute__((__warn_unused_result__));
int sftpc_fstatvfs(struct sftp_conn *conn, const struct sftpc_handle *h,
    struct sftpc_statvfs *st) __attribute__((__warn_unused_result__));
/* limits@openssh.com (ERR_FEATURE_UNSUPPORTED). */
int sftpc_get_limits(struct sftp_conn *conn, struct sftpc_limits *lim)
    __attribute__((__warn_unused_result__));
/*
 * Copy the remote file frompath to topath on the server itself with the
 * copy-data extension (ERR_FEATURE_UNSUPPORTED without it): topath is
 * created or truncated with frompath's permissions.
 */
int sftpc_copy(struct sftp_conn *conn, const char *frompath,
    const char *topath) __attribute__((__warn_unused_result__));
/*
 * users-groups-by-id@openssh.com: names for nuids uids and ngids gids
 * (an unknown id gets ""); *unamesp / *gnamesp are arrays of new strings
 * freed with sftpc_names_free().  ERR_FEATURE_UNSUPPORTED without it.
 */
int sftpc_users_groups_by_id(struct sftp_conn *conn,
    const uint32_t *uids, size_t nuids, const uint32_t *gids, size_t ngids,
    char ***unamesp, char ***gnamesp)
    __attribute__((__warn_unused_result__));
void sftpc_names_free(char **names, size_t n);

/* 1 if path is a directory on the server (STAT, quiet), else 0. */
int sftpc_is_dir(struct sftp_conn *conn, const char *path);
/* 1 if path is a regular file on the server (STAT, quiet), else 0. */
int sftpc_is_reg(struct sftp_conn *conn, const char *path);

/* ------------------------------------------------------------ transfers */

/*
 * Progress and chatter of the transfer functions, to the caller (which
 * draws the meter, prints "Fetching ..." lines, or ignores them).
 */
enum sftpc_event {
	SFTPC_EV_FILE_START,	/* src, dst, size: total bytes, done: offset */
	SFTPC_EV_PROGRESS,	/* done: bytes of the file done so far */
	SFTPC_EV_FILE_END,	/* the file is done (or failed) */
	SFTPC_EV_DIR		/* src, dst: a directory being entered */
};
typedef void sftpc_notify_fn(void *ctx, enum sftpc_event ev,
    const char *src, const char *dst, uint64_t size, uint64_t done);

struct sftpc_xfer {
	int	preserve;	/* -p: copy permissions and times */
	int	resume;		/* -a, reget, reput: go on from dst's size */
	int	fsync;		/* -f: fsync the destination at the end */
	int	follow_links;	/* recursive: follow symlinks, not skip them */
	int	inplace;	/* upload: no truncation (resume implies) */
	sftpc_notify_fn *notify;	/* may be NULL */
	void	*notify_ctx;
};

/*
 * Download the remote file remote_path to local_path with up to
 * num_requests pipelined READs of buflen bytes, replies taken in any
 * order (each is written at its own offset; short reads are asked
 * again for the rest).  a is the remote file's attributes if the caller
 * has them (NULL: STAT'ed here).  The local file is created with the
 * remote permissions (masked by the umask unless preserving); with
 * resume, writing starts at the local file's size (a local file larger
 * than the remote one is an error).  Only a complete download gets the
 * remote times (with preserve); on failure what was received stays in
 * place (so reget can continue it) and the error says so.
 */
int sftpc_download(struct sftp_conn *conn, const char *remote_path,
    const char *local_path, const struct sftp_attrs *a,
    const struct sftpc_xfer *x) __attribute__((__warn_unused_result__));

/*
 * Upload local_path to remote_path with pipelined WRITEs.  With resume,
 * the remote file's size (STAT) is where the upload starts.  The remote
 * file is created with the local permissions; with preserve, modes and
 * times are set on it (FSETSTAT) once it is complete.
 */
int sftpc_upload(struct sftp_conn *conn, const char *local_path,
    const char *remote_path, const struct sftpc_xfer *x)
    __attribute__((__warn_unused_result__));

/*
 * Recursive download/upload of a directory tree: directories are
 * created as needed (existing ones are used), regular files are copied
 * as above, symlinks are followed with follow_links and skipped (with a
 * message) otherwise, other file types are skipped.  Errors on single
 * files are reported and the walk goes on; the result is the first
 * error (0 if there was none).  Depth is bounded (SFTPC_MAX_DEPTH).
 */
#define SFTPC_MAX_DEPTH	64
int sftpc_download_dir(struct sftp_conn *conn, const char *remote_dir,
    const char *local_dir, const struct sftp_attrs *a,
    const struct sftpc_xfer *x) __attribute__((__warn_unused_result__));
int sftpc_upload_dir(struct sftp_conn *conn, const char *local_dir,
    const char *remote_dir, const struct sftpc_xfer *x)
    __attribute__((__warn_unused_result__));

/*
 * Copy a remote file / tree from one server to another through us
 * (scp -3): READs on from, WRITEs on to, both pipelined.  a as above
 * (for from_path; may be NULL).
 */
int sftpc_crossload(struct sftp_conn *from, const char *from_path,
    struct sftp_conn *to, const char *to_path, const struct sftp_attrs *a,
    const struct sftpc_xfer *x) __attribute__((__warn_unused_result__));
int sftpc_crossload_dir(struct sftp_conn *from, const char *from_dir,
    struct sftp_conn *to, const char *to_dir, const struct sftp_attrs *a,
    const struct sftpc_xfer *x) __attribute__((__warn_unused_result__));

/* ------------------------------------------------------------ paths */

/*
 * path made absolute against cwd (a remote directory): returned as is
 * when it starts with '/', else cwd + "/" + path.  New string, NULL on
 * allocation failure.
 */
char *sftpc_make_absolute(const char *path, const char *cwd);

/*
 * Glob pattern (sh(1) wildcards * ? [...] with backslash escapes, over
 * '/'-separated components; '*' and '?' do not match a leading '.')
 * against the server's files, relative patterns taken against cwd
 * (may be NULL: as given).  Results are sorted per directory level,
 * with the attributes of each match as STAT gives them (a symlink gets
 * those of what it names, as glob(3) with GLOB_KEEPSTAT; a dangling
 * one keeps its own).  A pattern without wildcards yields itself if it
 * exists.  No match: ERR_NOT_FOUND (nothing logged).  Each result's
 * filename is the full path (absolute if cwd was given).
 */
int sftpc_glob(struct sftp_conn *conn, const char *pattern,
    const char *cwd, struct sftpc_dirent ***entsp, size_t *nentsp)
    __attribute__((__warn_unused_result__));
/* 1 if pattern holds an unescaped wildcard character. */
int sftpc_has_wildcards(const char *pattern);

#endif /* KEEL_SFTP_CLIENT_H */
