/*
 * scp-sftp.c: scp's default mode, the SFTP protocol (scp.h), on top of
 * the client library sftp-client.h.
 *
 * Remote paths are the server's: "~/x" and "~" are taken relative to
 * the login directory (where the server starts), "~user/x" needs the
 * expand-path@openssh.com extension, and wildcards in remote sources are
 * expanded here (there is no remote shell to do it).  A dead connection
 * ends us with "Connection closed" and status 255, as OpenSSH's scp.
 */
#include "includes.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "progressmeter.h"
#include "scp.h"
#include "sftp-client.h"
#include "xmalloc.h"

struct scp_sftp {
	const struct scp_opts *o;
	char	*host;
	char	*user;
	int	port;
	struct sftp_child child;
	struct sftp_conn *conn;
	struct progress *meter;
};

/* A remote source and what it is. */
struct match {
	char	*path;
	int	is_dir;
};

/* ------------------------------------------------------------ connection */

/* ssh options: ours, then -p port and -l user (NULL-terminated). */
static void
connect_args(const struct scp_opts *o, const char *user, int port,
    struct scp_argv *a)
{
	size_t i;

	for (i = 0; i < o->ssh_args.num; i++)
		scp_argv_add(a, "%s", o->ssh_args.list[i]);
	if (port == -1)
		port = o->port;
	if (port != -1) {
		scp_argv_add(a, "-p");
		scp_argv_add(a, "%d", port);
	}
	if (user != NULL) {
		scp_argv_add(a, "-l");
		scp_argv_add(a, "%s", user);
	}
}

struct scp_sftp *
scp_sftp_connect(const struct scp_opts *o, const char *host,
    const char *user, int port)
{
	struct sftpc_options opts;
	struct scp_argv a = { NULL, 0, 0 };
	struct scp_sftp *s;
	int r;

	s = xcalloc(1, sizeof(*s));
	s->o = o;
	s->host = xstrdup(host);
	s->user = user != NULL ? xstrdup(user) : NULL;
	s->port = port;
	s->child.pid = -1;
	s->child.fd_in = s->child.fd_out = -1;
	if (o->sftp_direct != NULL) {
		r = sftp_spawn_command(o->sftp_direct, 0, &s->child);
	} else {
		if (o->verbose)
			scp_eprintf("Executing: program %s host %s, user %s, "
			    "command sftp\n", o->ssh_program, host,
			    user != NULL ? user : "(unspecified)");
		connect_args(o, user, port, &a);
		r = sftp_spawn_ssh(o->ssh_program, a.num > 0 ? a.list : NULL,
		    host, "sftp", 0, &s->child);
		scp_argv_free(&a);
	}
	if (r != 0)
		fatal("%s: %s", o->sftp_direct != NULL ? o->sftp_direct :
		    o->ssh_program, errcode_str(r));
	scp_child_add(s->child.pid);
	memset(&opts, 0, sizeof(opts));
	opts.buflen = o->sftp_buflen;
	opts.num_requests = o->sftp_nrequests;
	opts.limit_kbps = o->limit_kbps;
	if ((r = sftpc_connect(s->child.fd_in, s->child.fd_out, &opts,
	    &s->conn)) != 0) {
		if (r == ERR_CONN_CLOSED)
			fatal("Connection closed");
		fatal("sftp connection to %s failed: %s", host,
		    errcode_str(r));
	}
	return s;
}

static int
same_string(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

int
scp_sftp_is_for(const struct scp_sftp *s, const char *host,
    const char *user, int port)
{
	return same_string(s->host, host) && same_string(s->user, user) &&
	    s->port == port;
}

int
scp_sftp_close(struct scp_sftp *s)
{
	int status = 0, r;

	if (s == NULL)
		return 0;
	progress_finish(s->meter);
	sftpc_free(s->conn);
	r = sftp_child_finish(&s->child, 0, &status);
	scp_child_forget(s->child.pid);
	free(s->host);
	free(s->user);
	free(s);
	if (r != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return 0;
}

/* Fatal once the connection is gone, as every later request would fail. */
static void
check_alive(const struct scp_sftp *s)
{
	if (sftpc_is_dead(s->conn))
		fatal("Connection closed");
}

/* ------------------------------------------------------------ pieces */

/* The progress meter, fed by the library's transfer events. */
static void
notify(void *ctx, enum sftpc_event ev, const char *src, const char *dst,
    uint64_t size, uint64_t done)
{
	struct scp_sftp *s = ctx;

	(void)dst;
	switch (ev) {
	case SFTPC_EV_FILE_START:
		progress_finish(s->meter);
		s->meter = progress_start(src, size, done);
		break;
	case SFTPC_EV_PROGRESS:
		if (s->meter != NULL)
			progress_update(s->meter, done);
		break;
	case SFTPC_EV_FILE_END:
		progress_finish(s->meter);
		s->meter = NULL;
		break;
	case SFTPC_EV_DIR:
		break;
	}
}

static void
xfer_setup(struct scp_sftp *s, struct sftpc_xfer *x)
{
	memset(x, 0, sizeof(*x));
	x->preserve = s->o->preserve;
	x->follow_links = 1;	/* scp follows links in trees */
	if (s->o->progress) {
		x->notify = notify;
		x->notify_ctx = s;
	}
}

/*
 * A remote path as the server should see it: "" and "~" are the login
 * directory ("."), "~/x" is "x", "~user/x" is expanded by the server.
 * NULL after a message.
 */
static char *
remote_path(struct scp_sftp *s, const char *path)
{
	const char *p;
	char *ret = NULL;

	if (*path == '\0' || strcmp(path, "~") == 0)
		return xstrdup(".");
	if (*path != '~')
		return xstrdup(path);
	if (strncmp(path, "~/", 2) == 0) {
		p = path + 2 + strspn(path + 2, "/");
		return xstrdup(*p == '\0' ? "." : p);
	}
	if (!sftpc_has_ext(s->conn, SFTPC_EXT_EXPAND_PATH)) {
		error("server expand-path extension is required for ~user "
		    "paths in SFTP mode");
		return NULL;
	}
	if (sftpc_expand_path(s->conn, path, &ret) != 0) {
		check_alive(s);
		return NULL;
	}
	return ret;
}

/* The last component of path, trailing slashes ignored; new string. */
static char *
base_name(const char *path)
{
	size_t len = strlen(path), start;
	char *ret;

	while (len > 1 && path[len - 1] == '/')
		len--;
	start = len;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (len == 1 && path[0] == '/')
		return xstrdup("/");
	if ((ret = strndup(path + start, len - start)) == NULL)
		fatal_f("out of memory");
	return ret;
}

/* Is the remote entry a directory (following a symlink)? */
static int
entry_is_dir(struct scp_sftp *s, const struct sftpc_dirent *e)
{
	if ((e->a.flags & SSH2_FILEXFER_ATTR_PERMISSIONS) != 0 &&
	    !S_ISLNK(e->a.perm))
		return S_ISDIR(e->a.perm);
	return sftpc_is_dir(s->conn, e->filename);
}

static void
matches_free(struct match *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(m[i].path);
	free(m);
}

/*
 * The remote files a source names: the glob's matches, or the path
 * itself when the pattern matches nothing but the name exists as
 * written (a file called "a[1]").  0, or -1 after a message.
 */
static int
expand_source(struct scp_sftp *s, const char *src, const char *path,
    struct match **mp, size_t *np)
{
	struct sftpc_dirent **ents = NULL;
	struct sftp_attrs a;
	struct match *m;
	size_t n = 0, i;
	int r;

	*mp = NULL;
	*np = 0;
	if ((r = sftpc_glob(s->conn, path, NULL, &ents, &n)) != 0) {
		check_alive(s);
		if (r != ERR_NOT_FOUND ||
		    sftpc_stat(s->conn, path, 1, &a) != 0) {
			check_alive(s);
			error("%s: %s", src, strerror(ENOENT));
			return -1;
		}
		m = xcalloc(1, sizeof(*m));
		m->path = xstrdup(path);
		m->is_dir = S_ISDIR(a.perm);
		*mp = m;
		*np = 1;
		return 0;
	}
	m = xcalloc(n, sizeof(*m));
	for (i = 0; i < n; i++) {
		m[i].path = xstrdup(ents[i]->filename);
		m[i].is_dir = entry_is_dir(s, ents[i]);
	}
	sftpc_dirents_free(ents, n);
	*mp = m;
	*np = n;
	return 0;
}

/* ------------------------------------------------------------ download */

/*
 * Several matches need a directory to go into: made if it is missing.
 * 0 or -1 after a message.
 */
static int
download_target(const char *dst, size_t n, int *dst_is_dir)
{
	struct stat st;
	int r;

	r = stat(dst, &st);
	*dst_is_dir = r == 0 && S_ISDIR(st.st_mode);
	if (n <= 1 || *dst_is_dir)
		return 0;
	if (r == 0) {
		error("Multiple files match pattern, but destination \"%s\" "
		    "is not a directory", dst);
		return -1;
	}
	debug2_f("creating destination \"%s\"", dst);
	if (mkdir(dst, 0777) != 0) {
		error("local mkdir \"%s\": %s", dst, strerror(errno));
		return -1;
	}
	*dst_is_dir = 1;
	return 0;
}

int
scp_sftp_download(struct scp_sftp *s, const char *src, const char *dst)
{
	struct sftpc_xfer x;
	struct match *m = NULL;
	size_t n = 0, i;
	char *path, *base, *to;
	int errs = 0, dst_is_dir, r;

	if ((path = remote_path(s, src)) == NULL)
		return 1;
	debug3_f("copying remote %s to local %s", path, dst);
	if (expand_source(s, src, path, &m, &n) != 0 ||
	    download_target(dst, n, &dst_is_dir) != 0) {
		errs = 1;
		goto out;
	}
	xfer_setup(s, &x);
	for (i = 0; i < n; i++) {
		base = base_name(m[i].path);
		to = dst_is_dir ? path_append(dst, base) : xstrdup(dst);
		if (to == NULL)
			fatal_f("out of memory");
		debug("Fetching %s to %s", m[i].path, to);
		if (m[i].is_dir && s->o->recursive)
			r = sftpc_download_dir(s->conn, m[i].path, to, NULL,
			    &x);
		else
			r = sftpc_download(s->conn, m[i].path, to, NULL, &x);
		progress_finish(s->meter);
		s->meter = NULL;
		check_alive(s);
		if (r != 0)
			errs = 1;
		free(base);
		free(to);
	}
 out:
	matches_free(m, n);
	free(path);
	return errs;
}

/* ------------------------------------------------------------ upload */

/*
 * The remote target of a copy; with -d (several sources) it must be a
 * directory and is made when missing.  Fatal on failure, as OpenSSH.
 */
static char *
upload_target(struct scp_sftp *s, const char *dst, mode_t src_mode,
    int *is_dirp)
{
	struct sftp_attrs a;
	char *target;

	if ((target = remote_path(s, dst)) == NULL)
		cleanup_exit(255);
	*is_dirp = sftpc_is_dir(s->conn, target);
	check_alive(s);
	if (s->o->target_dir && !*is_dirp) {
		debug("target directory \"%s\" does not exist", target);
		sftp_attrs_clear(&a);
		a.flags = SSH2_FILEXFER_ATTR_PERMISSIONS;
		a.perm = (src_mode & 07777) | 0700;
		if (sftpc_mkdir(s->conn, target, &a, 0) != 0)
			cleanup_exit(255);
		*is_dirp = 1;
	}
	return target;
}

int
scp_sftp_upload(struct scp_sftp *s, const char *src, const char *dst)
{
	struct sftpc_xfer x;
	struct stat st;
	char *target, *base, *to;
	int is_dir, errs = 0, r;

	if (stat(src, &st) != 0) {
		error("stat local \"%s\": %s", src, strerror(errno));
		return 1;
	}
	target = upload_target(s, dst, st.st_mode, &is_dir);
	base = base_name(src);
	if ((to = is_dir ? path_append(target, base) : xstrdup(target)) ==
	    NULL)
		fatal_f("out of memory");
	debug3_f("copying local %s to remote %s", src, to);
	xfer_setup(s, &x);
	if (S_ISDIR(st.st_mode) && s->o->recursive) {
		if ((r = sftpc_upload_dir(s->conn, src, to, &x)) != 0) {
			check_alive(s);
			error("failed to upload directory %s to %s", src, dst);
			errs = 1;
		}
	} else if ((r = sftpc_upload(s->conn, src, to, &x)) != 0) {
		check_alive(s);
		error("failed to upload file %s to %s", src, dst);
		errs = 1;
	}
	progress_finish(s->meter);
	s->meter = NULL;
	free(to);
	free(base);
	free(target);
	return errs;
}

/* ------------------------------------------------------------ crossload */

int
scp_sftp_crossload(struct scp_sftp *from, const char *src,
    struct scp_sftp *to, const char *dst)
{
	struct sftpc_xfer x;
	struct match *m = NULL;
	size_t n = 0, i;
	char *target, *path = NULL, *base, *dpath;
	int errs = 0, is_dir, r;

	if ((target = remote_path(to, dst)) == NULL)
		cleanup_exit(255);
	is_dir = sftpc_is_dir(to->conn, target);
	check_alive(to);
	if ((path = remote_path(from, src)) == NULL ||
	    expand_source(from, src, path, &m, &n) != 0) {
		errs = 1;
		goto out;
	}
	xfer_setup(from, &x);
	for (i = 0; i < n; i++) {
		base = base_name(m[i].path);
		if ((dpath = is_dir ? path_append(target, base) :
		    xstrdup(target)) == NULL)
			fatal_f("out of memory");
		debug("Fetching %s to %s", m[i].path, dpath);
		if (m[i].is_dir && from->o->recursive)
			r = sftpc_crossload_dir(from->conn, m[i].path,
			    to->conn, dpath, NULL, &x);
		else
			r = sftpc_crossload(from->conn, m[i].path, to->conn,
			    dpath, NULL, &x);
		progress_finish(from->meter);
		from->meter = NULL;
		check_alive(from);
		check_alive(to);
		if (r != 0)
			errs = 1;
		free(base);
		free(dpath);
	}
 out:
	matches_free(m, n);
	free(path);
	free(target);
	return errs;
}
