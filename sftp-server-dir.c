/*
 * sftp-server-dir.c: SFTP directory listing (OPENDIR, READDIR) and the
 * requests about names of users and their homes: expand-path,
 * home-directory, users-groups-by-id; and limits (sftp-server-impl.h).
 */
#include "includes.h"

#include <sys/stat.h>
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <time.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "sftp.h"
#include "sftp-common.h"
#include "sftp-server-impl.h"

/* READDIR replies carry at most this many entries, or about this size. */
#define SFTP_READDIR_MAX_ENTRIES	100
#define SFTP_READDIR_MAX_BYTES		(64 * 1024)

int
sftp_run_opendir(struct sftp_server *s, struct sftp_args *a)
{
	DIR *dirp;
	uint32_t index;
	int r;

	logit("opendir \"%s\"", a->path);
	if ((dirp = opendir(a->path)) == NULL)
		return sftp_send_errno(s, errno);
	if ((r = sftp_handle_new(s, SFTP_HANDLE_DIR, a->path, &index)) != 0) {
		closedir(dirp);
		if (r != ERR_NO_BUFFER_SPACE)
			return r;
		error("opendir \"%s\": too many open handles", a->path);
		return sftp_send_status_msg(s, SSH2_FX_FAILURE,
		    "Too many open handles");
	}
	s->handles[index].dirp = dirp;
	return sftp_send_handle(s, index);
}

/*
 * The name of a user or group for long names, from a small cache; the
 * number when there is none (as in a chroot without passwd files).
 */
static const char *
sftp_cached_name(struct sftp_name_cache *cache, uint32_t id, int group)
{
	struct sftp_name_cache *c = &cache[id % SFTP_NAME_CACHE];
	const char *name = NULL;
	struct passwd *pw;
	struct group *gr;

	if (c->used && c->id == id)
		return c->name;
	if (!group && (pw = getpwuid((uid_t)id)) != NULL)
		name = pw->pw_name;
	else if (group && (gr = getgrgid((gid_t)id)) != NULL)
		name = gr->gr_name;
	if (name == NULL || strlen(name) >= sizeof(c->name))
		snprintf(c->name, sizeof(c->name), "%u", id);
	else
		strlcpy(c->name, name, sizeof(c->name));
	c->used = 1;
	c->id = id;
	return c->name;
}

/* Append one NAME entry (name, long name, attrs) to s->scratch. */
static int
sftp_readdir_entry(struct sftp_server *s, const char *name,
    const struct stat *st, time_t now)
{
	struct sftp_attrs attrs;
	const char *user, *group;
	int r;

	user = sftp_cached_name(s->users, (uint32_t)st->st_uid, 0);
	group = sftp_cached_name(s->groups, (uint32_t)st->st_gid, 1);
	buf_reset(s->lname);
	sftp_attrs_from_stat(st, &attrs);
	if ((r = sftp_ls_long(s->lname, name, st, user, group, now)) != 0 ||
	    (r = buf_put_cstring(s->scratch, name)) != 0 ||
	    (r = buf_put_stringb(s->scratch, s->lname)) != 0 ||
	    (r = sftp_attrs_encode(s->scratch, &attrs)) != 0)
		return r;
	return 0;
}

int
sftp_run_readdir(struct sftp_server *s, struct sftp_args *a)
{
	struct sftp_handle *h;
	struct dirent *dp;
	struct stat st;
	uint32_t count = 0;
	time_t now = time(NULL);
	int r, err = 0;

	if ((h = sftp_handle_get(s, &a->handle, SFTP_HANDLE_DIR)) == NULL)
		return sftp_send_bad_handle(s);
	debug("request %u: readdir \"%s\"", s->id, h->name);
	buf_reset(s->scratch);
	while (count < SFTP_READDIR_MAX_ENTRIES &&
	    buf_len(s->scratch) < SFTP_READDIR_MAX_BYTES) {
		errno = 0;
		if ((dp = readdir(h->dirp)) == NULL) {
			err = errno;
			break;
		}
		/* Entries that vanished since are left out. */
		if (fstatat(dirfd(h->dirp), dp->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) == -1)
			continue;
		if ((r = sftp_readdir_entry(s, dp->d_name, &st, now)) != 0)
			return r;
		count++;
	}
	if (count == 0) {
		if (err != 0)
			return sftp_send_errno(s, err);
		return sftp_send_status(s, SSH2_FX_EOF);
	}
	debug("request %u: sent names count %u", s->id, count);
	if ((r = sftp_reply_begin(s, SSH2_FXP_NAME)) != 0 ||
	    (r = buf_put_u32(s->msg, count)) != 0 ||
	    (r = buf_putb(s->msg, s->scratch)) != 0)
		return r;
	return sftp_reply_end(s);
}

/*
 * expand-path@openssh.com: "~" and "~/x" are relative to the starting
 * directory (the home directory unless -d said otherwise, and usable in
 * a chroot); "~user/x" uses that user's home; then as REALPATH.
 */
int
sftp_run_expand_path(struct sftp_server *s, struct sftp_args *a)
{
	const char *path = a->path;
	char *expanded = NULL, *resolved = NULL;
	int r;

	debug3("request %u: expand, original \"%s\"", s->id, path);
	if (strcmp(path, "~") == 0)
		path = ".";
	else if (strncmp(path, "~/", 2) == 0)
		path += 2;
	else if (path[0] == '~') {
		if ((r = tilde_expand(path, getuid(), &expanded)) ==
		    ERR_ALLOC_FAIL)
			return r;
		if (r != 0) {
			verbose("expand \"%s\": no such user", a->path);
			return sftp_send_status_msg(s, SSH2_FX_NO_SUCH_FILE,
			    "No such user");
		}
		path = expanded;
	}
	r = sftp_realpath(path, &resolved);
	free(expanded);
	if (r == ERR_ERRNO)
		return sftp_send_errno(s, errno);
	if (r != 0)
		return r;
	verbose("expand \"%s\"", resolved);
	r = sftp_send_name1(s, resolved);
	free(resolved);
	return r;
}

/* home-directory: string username; NAME with that user's home. */
int
sftp_run_home_directory(struct sftp_server *s, struct sftp_args *a)
{
	struct passwd *pw;

	debug3("request %u: home-directory \"%s\"", s->id, a->path);
	if ((pw = getpwnam(a->path)) == NULL) {
		verbose("home-directory \"%s\": no such user", a->path);
		return sftp_send_status_msg(s, SSH2_FX_FAILURE,
		    "No such user");
	}
	verbose("home-directory \"%s\"", pw->pw_dir);
	return sftp_send_name1(s, pw->pw_dir);
}

/*
 * Append to s->scratch, as one string, the names of the ids packed in
 * ids[0..len) (uint32 each): "" for an id without a name.
 */
static int
sftp_names_by_id(struct sftp_server *s, const u_char *ids, size_t len,
    int group, u_int *countp)
{
	struct buf *view = NULL, *names = s->lname;
	const char *name;
	struct passwd *pw;
	struct group *gr;
	uint32_t id;
	int r = ERR_ALLOC_FAIL;

	*countp = 0;
	buf_reset(names);
	if ((view = buf_from(ids, len)) == NULL)
		goto out;
	while (buf_len(view) > 0) {
		if ((r = buf_get_u32(view, &id)) != 0)
			goto out;
		name = NULL;
		if (!group && (pw = getpwuid((uid_t)id)) != NULL)
			name = pw->pw_name;
		else if (group && (gr = getgrgid((gid_t)id)) != NULL)
			name = gr->gr_name;
		debug3("%s %u => \"%s\"", group ? "gid" : "uid", id,
		    name == NULL ? "" : name);
		if ((r = buf_put_cstring(names, name == NULL ? "" : name)) != 0)
			goto out;
		(*countp)++;
	}
	r = buf_put_stringb(s->scratch, names);
 out:
	buf_free(view);
	return r;
}

/*
 * users-groups-by-id@openssh.com: string uids, string gids (packed
 * uint32s); EXTENDED_REPLY with string usernames, string groupnames
 * (packed strings, in the same order).
 */
int
sftp_run_users_groups(struct sftp_server *s, struct sftp_args *a)
{
	u_int nusers, ngroups;
	int r;

	buf_reset(s->scratch);
	if ((r = sftp_names_by_id(s, a->uids, a->uidslen, 0, &nusers)) != 0 ||
	    (r = sftp_names_by_id(s, a->gids, a->gidslen, 1, &ngroups)) != 0)
		return r;
	verbose("users-groups-by-id: %u users, %u groups", nusers, ngroups);
	/* Thousands of long names could outgrow a packet. */
	if (buf_len(s->scratch) > SFTP_MAX_PACKET - 64)
		return sftp_send_status_msg(s, SSH2_FX_FAILURE,
		    "Reply too long");
	if ((r = sftp_reply_begin(s, SSH2_FXP_EXTENDED_REPLY)) != 0 ||
	    (r = buf_putb(s->msg, s->scratch)) != 0)
		return r;
	return sftp_reply_end(s);
}

/* limits@openssh.com: what this server accepts (PROTOCOL 4.8). */
int
sftp_run_limits(struct sftp_server *s, struct sftp_args *a)
{
	int r;

	(void)a;
	debug("request %u: limits", s->id);
	if ((r = sftp_reply_begin(s, SSH2_FXP_EXTENDED_REPLY)) != 0 ||
	    (r = buf_put_u64(s->msg, SFTP_MAX_PACKET)) != 0 ||
	    (r = buf_put_u64(s->msg, SFTP_MAX_READ_LENGTH)) != 0 ||
	    (r = buf_put_u64(s->msg, SFTP_MAX_WRITE_LENGTH)) != 0 ||
	    (r = buf_put_u64(s->msg, s->max_handles)) != 0)
		return r;
	return sftp_reply_end(s);
}
