/*
 * sftp-getput.c: sftp's get/reget and put/reput: globbing the sources,
 * choosing destination names, the "Fetching"/"Uploading" lines and the
 * progress meter (sftp-prog.h).  The transfers themselves are the
 * library's (sftp-client.h).
 */
#include "includes.h"

#include <sys/stat.h>
#include <glob.h>

#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "xmalloc.h"
#include "progressmeter.h"
#include "sftp.h"
#include "sftp-common.h"
#include "sftp-client.h"
#include "sftp-prog.h"

/* What the transfer callbacks need. */
struct xfer_ctx {
	struct sftp_session	*s;
	const char		*dir_verb;	/* "Retrieving", "Entering" */
};

static void
xfer_notify(void *vctx, enum sftpc_event ev, const char *src,
    const char *dst, uint64_t size, uint64_t done)
{
	struct xfer_ctx *ctx = vctx;
	struct sftp_session *s = ctx->s;

	switch (ev) {
	case SFTPC_EV_DIR:
		printf("%s %s\n", ctx->dir_verb, src);
		break;
	case SFTPC_EV_FILE_START:
		progress_finish(s->meter);
		s->meter = s->progress ? progress_start(src, size, done) :
		    NULL;
		break;
	case SFTPC_EV_PROGRESS:
		progress_update(s->meter, done);
		break;
	case SFTPC_EV_FILE_END:
		if (s->meter != NULL) {
			progress_update(s->meter, done);
			progress_finish(s->meter);
			s->meter = NULL;
		}
		break;
	}
	fflush(stdout);
}

static void
xfer_setup(struct sftp_session *s, struct xfer_ctx *ctx,
    struct sftpc_xfer *x, const char *verb, int aflag, int fflag,
    int pflag)
{
	memset(x, 0, sizeof(*x));
	ctx->s = s;
	ctx->dir_verb = verb;
	x->resume = aflag || s->aflag;
	x->fsync = fflag || s->fflag;
	x->preserve = pflag || s->pflag;
	x->notify = xfer_notify;
	x->notify_ctx = ctx;
}

static int
local_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Where one source goes: dst/name, dst itself, or name. */
static char *
dest_name(const char *dst, int dst_is_dir, size_t nsrc, const char *name)
{
	char *p;

	if (dst == NULL)
		return xstrdup(name);
	if (nsrc == 1 && !dst_is_dir)
		return xstrdup(dst);
	if ((p = path_append(dst, name)) == NULL)
		fatal("%s: out of memory", __func__);
	return p;
}

/* The source shown in messages: directories end in '/' (GLOB_MARK). */
static char *
marked_path(const struct sftpc_dirent *e)
{
	size_t len = strlen(e->filename);
	char *p;

	if ((e->a.flags & SSH2_FILEXFER_ATTR_PERMISSIONS) &&
	    S_ISDIR(e->a.perm) && len > 0 && e->filename[len - 1] != '/') {
		xasprintf(&p, "%s/", e->filename);
		return p;
	}
	return xstrdup(e->filename);
}

/* ------------------------------------------------------------ get */

static int
get_one(struct sftp_session *s, const struct sftpc_dirent *e,
    const char *dst, int dst_is_dir, size_t n, int rflag,
    const struct sftpc_xfer *x)
{
	char *src, *name, *abs_dst;
	int r, isdir;

	src = marked_path(e);
	isdir = (e->a.flags & SSH2_FILEXFER_ATTR_PERMISSIONS) &&
	    S_ISDIR(e->a.perm);
	name = sftp_basename(src);
	abs_dst = dest_name(dst, dst_is_dir, n, name);
	if (!s->quiet)
		printf("%s %s to %s\n", x->resume ? "Resuming" : "Fetching",
		    src, abs_dst);
	fflush(stdout);
	if (isdir && (rflag || s->rflag))
		r = sftpc_download_dir(s->conn, src, abs_dst, NULL, x);
	else
		r = sftpc_download(s->conn, src, abs_dst, NULL, x);
	free(src);
	free(name);
	free(abs_dst);
	return r == 0 ? 0 : -1;
}

int
sftp_cmd_get(struct sftp_session *s, int argc, char **argv, int aflag,
    int fflag, int pflag, int rflag)
{
	struct sftpc_dirent **ents = NULL;
	struct sftpc_xfer x;
	struct xfer_ctx ctx;
	char *pat, *plain, *dst = NULL;
	size_t i, n = 0;
	int err = 0, dst_is_dir = 0;

	xfer_setup(s, &ctx, &x, "Retrieving", aflag, fflag, pflag);
	pat = sftp_remote_path(s, argv[0], 1);
	if (sftpc_glob(s->conn, pat, NULL, &ents, &n) != 0 || n == 0) {
		plain = sftp_unescape(pat);
		error("File \"%s\" not found.", plain);
		free(plain);
		free(pat);
		return -1;
	}
	free(pat);
	if (argc > 1) {
		dst = sftp_unescape(argv[1]);
		dst_is_dir = local_is_dir(dst);
	}
	if (n > 1 && dst != NULL && !dst_is_dir) {
		error("Multiple source paths, but destination \"%s\" is not "
		    "a directory", dst);
		err = -1;
		goto out;
	}
	for (i = 0; i < n && !sftp_interrupted; i++) {
		if (get_one(s, ents[i], dst, dst_is_dir, n, rflag, &x) != 0)
			err = -1;
		if (sftpc_is_dead(s->conn))
			break;
	}
 out:
	free(dst);
	sftpc_dirents_free(ents, n);
	return err;
}

/* ------------------------------------------------------------ put */

static int
put_one(struct sftp_session *s, const char *src, const char *dst,
    int dst_is_dir, size_t n, int rflag, const struct sftpc_xfer *x)
{
	struct stat st;
	char *name, *abs_dst, *tmp;
	size_t len = strlen(src);
	int r, isdir;

	if (stat(src, &st) == -1) {
		error("stat %s: %s", src, strerror(errno));
		return -1;
	}
	isdir = len > 0 && src[len - 1] == '/';
	name = sftp_basename(src);
	if (dst != NULL)
		abs_dst = dest_name(dst, dst_is_dir, n, name);
	else if ((abs_dst = sftpc_make_absolute(name, s->cwd)) == NULL)
		fatal("%s: out of memory", __func__);
	if (!s->quiet) {
		if (x->resume)
			printf("Resuming upload of %s to %s\n", src, abs_dst);
		else
			printf("Uploading %s to %s\n", src, abs_dst);
	}
	fflush(stdout);
	if (isdir && (rflag || s->rflag)) {
		/* Upload "dir/" as "dir" (its name, not its contents). */
		tmp = xstrdup(src);
		r = sftpc_upload_dir(s->conn, tmp, abs_dst, x);
		free(tmp);
	} else
		r = sftpc_upload(s->conn, src, abs_dst, x);
	free(name);
	free(abs_dst);
	return r == 0 ? 0 : -1;
}

int
sftp_cmd_put(struct sftp_session *s, int argc, char **argv, int aflag,
    int fflag, int pflag, int rflag)
{
	struct sftpc_xfer x;
	struct xfer_ctx ctx;
	glob_t g;
	char *dst = NULL, *exp = NULL, *pat;
	size_t i;
	int err = 0, dst_is_dir = 0, r;

	xfer_setup(s, &ctx, &x, "Entering", aflag, fflag, pflag);
	memset(&g, 0, sizeof(g));
	pat = xstrdup(argv[0]);
	if (pat[0] == '~' && tilde_expand(pat, getuid(), &exp) == 0) {
		free(pat);
		pat = exp;
	}
	r = glob(pat, GLOB_NOCHECK | GLOB_MARK, NULL, &g);
	if (r != 0 || g.gl_pathc == 0) {
		error("File \"%s\" not found.", pat);
		free(pat);
		globfree(&g);
		return -1;
	}
	if (argc > 1) {
		dst = sftp_remote_path(s, argv[1], 0);
		dst_is_dir = sftpc_is_dir(s->conn, dst);
	}
	if (g.gl_pathc > 1 && dst != NULL && !dst_is_dir) {
		error("Multiple paths match, but destination \"%s\" is not a "
		    "directory", dst);
		err = -1;
		goto out;
	}
	for (i = 0; i < g.gl_pathc && !sftp_interrupted; i++) {
		if (put_one(s, g.gl_pathv[i], dst, dst_is_dir, g.gl_pathc,
		    rflag, &x) != 0)
			err = -1;
		if (sftpc_is_dead(s->conn))
			break;
	}
 out:
	free(pat);
	free(dst);
	globfree(&g);
	return err;
}
