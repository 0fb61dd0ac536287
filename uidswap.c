/*
 * uidswap.c: user and group id changes, and the set-up of sshd's
 * pre-auth child (uidswap.h).
 */
#include "includes.h"

#include <sys/stat.h>
#include <dirent.h>
#include <grp.h>
#include <pwd.h>

#include "errcode.h"
#include "log.h"
#include "uidswap.h"

/* The state of a temporary change (uidswap_temporarily_use). */
static int temp_active;		/* a change is in force */
static int temp_swapped;	/* ... and it changed ids (we were root) */
static uid_t temp_saved_euid;
static gid_t temp_saved_egid;
static gid_t *temp_saved_groups;
static int temp_saved_ngroups;

/* ------------------------------------------------------------ passwd */

void
pw_free(struct passwd *pw)
{
	if (pw == NULL)
		return;
	free(pw->pw_name);
	if (pw->pw_passwd != NULL)
		freezero(pw->pw_passwd, strlen(pw->pw_passwd));
	free(pw->pw_gecos);
	free(pw->pw_dir);
	free(pw->pw_shell);
	freezero(pw, sizeof(*pw));
}

struct passwd *
pw_dup(const struct passwd *pw)
{
	struct passwd *copy;

	if (pw == NULL || (copy = calloc(1, sizeof(*copy))) == NULL)
		return NULL;
	copy->pw_uid = pw->pw_uid;
	copy->pw_gid = pw->pw_gid;
	copy->pw_name = strdup(pw->pw_name != NULL ? pw->pw_name : "");
	copy->pw_passwd = strdup(pw->pw_passwd != NULL ? pw->pw_passwd : "");
	copy->pw_gecos = strdup(pw->pw_gecos != NULL ? pw->pw_gecos : "");
	copy->pw_dir = strdup(pw->pw_dir != NULL ? pw->pw_dir : "");
	copy->pw_shell = strdup(pw->pw_shell != NULL ? pw->pw_shell : "");
	if (copy->pw_name == NULL || copy->pw_passwd == NULL ||
	    copy->pw_gecos == NULL || copy->pw_dir == NULL ||
	    copy->pw_shell == NULL) {
		pw_free(copy);
		return NULL;
	}
	return copy;
}

/* ------------------------------------------------------------ groups */

/* pw's groups from the group database, as a new array. */
static int
uidswap_grouplist(const struct passwd *pw, gid_t **groupsp, int *ngroupsp)
{
	gid_t *groups = NULL, *tmp;
	int n = 16, tries;

	*groupsp = NULL;
	*ngroupsp = 0;
	for (tries = 0; tries < 8; tries++) {
		if ((tmp = reallocarray(groups, (size_t)n,
		    sizeof(*groups))) == NULL) {
			free(groups);
			return ERR_ALLOC_FAIL;
		}
		groups = tmp;
		if (getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) != -1) {
			*groupsp = groups;
			*ngroupsp = n;
			return 0;
		}
		/* n now says how many there are; never shrink. */
		if (n < 16)
			n = 16;
	}
	free(groups);
	return ERR_INTERNAL;
}

/* The current supplementary groups as a new array. */
static int
uidswap_getgroups(gid_t **groupsp, int *ngroupsp)
{
	gid_t *groups;
	int n;

	*groupsp = NULL;
	*ngroupsp = 0;
	if ((n = getgroups(0, NULL)) == -1)
		return ERR_ERRNO;
	if ((groups = calloc((size_t)n + 1, sizeof(*groups))) == NULL)
		return ERR_ALLOC_FAIL;
	if ((n = getgroups(n, groups)) == -1) {
		free(groups);
		return ERR_ERRNO;
	}
	*groupsp = groups;
	*ngroupsp = n;
	return 0;
}

static int
uidswap_set_groups(const struct passwd *pw, int flags)
{
	if (flags == UIDSWAP_GROUPS_INIT) {
		if (initgroups(pw->pw_name, pw->pw_gid) == -1) {
			error_f("initgroups %s %u: %s", pw->pw_name,
			    (u_int)pw->pw_gid, strerror(errno));
			return ERR_ERRNO;
		}
		return 0;
	}
	if (setgroups(1, &pw->pw_gid) == -1) {
		error_f("setgroups %u: %s", (u_int)pw->pw_gid,
		    strerror(errno));
		return ERR_ERRNO;
	}
	return 0;
}

/* ------------------------------------------------------------ permanent */

/* After the drop: all ids are pw's and the old ones cannot come back. */
static int
uidswap_verify(const struct passwd *pw, int flags)
{
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid, *groups = NULL;
	int n, r;

	if (getresuid(&ruid, &euid, &suid) == -1 ||
	    getresgid(&rgid, &egid, &sgid) == -1)
		return ERR_ERRNO;
	if (ruid != pw->pw_uid || euid != pw->pw_uid || suid != pw->pw_uid ||
	    rgid != pw->pw_gid || egid != pw->pw_gid || sgid != pw->pw_gid) {
		error_f("ids after the drop are not %u/%u",
		    (u_int)pw->pw_uid, (u_int)pw->pw_gid);
		return ERR_INTERNAL;
	}
	if (flags == UIDSWAP_GROUPS_PRIMARY) {
		if ((r = uidswap_getgroups(&groups, &n)) != 0)
			return r;
		r = (n == 1 && groups[0] == pw->pw_gid) ? 0 : ERR_INTERNAL;
		free(groups);
		if (r != 0) {
			error_f("supplementary groups were not dropped");
			return r;
		}
	}
	if (pw->pw_uid == 0)
		return 0;
	if (setuid(0) != -1 || seteuid(0) != -1) {
		error_f("root's uid could be regained after the drop");
		return ERR_INTERNAL;
	}
	if (pw->pw_gid != 0 && (setgid(0) != -1 || setegid(0) != -1)) {
		error_f("gid 0 could be regained after the drop");
		return ERR_INTERNAL;
	}
	return 0;
}

int
uidswap_permanently_set(const struct passwd *pw, int flags)
{
	int r;

	if (pw == NULL || pw->pw_name == NULL ||
	    (flags != UIDSWAP_GROUPS_PRIMARY && flags != UIDSWAP_GROUPS_INIT))
		return ERR_INVALID_ARGUMENT;
	if (temp_active) {
		error_f("a temporary id change is still in force");
		return ERR_INTERNAL;
	}
	if (geteuid() != 0) {
		if (pw->pw_uid == getuid() && pw->pw_uid == geteuid())
			return 0;
		error_f("not root: cannot become uid %u", (u_int)pw->pw_uid);
		return ERR_INVALID_ARGUMENT;
	}
	if ((r = uidswap_set_groups(pw, flags)) != 0)
		return r;
	if (setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1) {
		error_f("setresgid %u: %s", (u_int)pw->pw_gid, strerror(errno));
		return ERR_ERRNO;
	}
	if (setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1) {
		error_f("setresuid %u: %s", (u_int)pw->pw_uid, strerror(errno));
		return ERR_ERRNO;
	}
	return uidswap_verify(pw, flags);
}

/* ------------------------------------------------------------ temporary */

static void
uidswap_forget_saved(void)
{
	free(temp_saved_groups);
	temp_saved_groups = NULL;
	temp_saved_ngroups = 0;
	temp_active = temp_swapped = 0;
}

int
uidswap_temporarily_use(const struct passwd *pw)
{
	gid_t *groups = NULL;
	int n = 0, r = ERR_INTERNAL;

	if (pw == NULL || pw->pw_name == NULL)
		return ERR_INVALID_ARGUMENT;
	if (temp_active) {
		error_f("temporary id changes do not nest");
		return ERR_INTERNAL;
	}
	if (geteuid() != 0) {
		temp_active = 1;
		return 0;
	}
	temp_saved_euid = geteuid();
	temp_saved_egid = getegid();
	if ((r = uidswap_getgroups(&temp_saved_groups,
	    &temp_saved_ngroups)) != 0 ||
	    (r = uidswap_grouplist(pw, &groups, &n)) != 0)
		goto fail;
	if (setgroups((size_t)n, groups) == -1 ||
	    setegid(pw->pw_gid) == -1 || seteuid(pw->pw_uid) == -1) {
		r = ERR_ERRNO;
		error_f("to uid %u: %s", (u_int)pw->pw_uid, strerror(errno));
		goto undo;
	}
	free(groups);
	temp_active = temp_swapped = 1;
	return 0;
 undo:
	/* Still root (seteuid is last), so this cannot fail. */
	if (setegid(temp_saved_egid) == -1 ||
	    setgroups((size_t)temp_saved_ngroups, temp_saved_groups) == -1)
		error_f("undo: %s", strerror(errno));
 fail:
	free(groups);
	uidswap_forget_saved();
	return r;
}

int
uidswap_restore(void)
{
	int r = 0;

	if (!temp_active) {
		error_f("no temporary id change to undo");
		return ERR_INTERNAL;
	}
	if (temp_swapped) {
		if (seteuid(temp_saved_euid) == -1 ||
		    setegid(temp_saved_egid) == -1 ||
		    setgroups((size_t)temp_saved_ngroups,
		    temp_saved_groups) == -1) {
			error_f("back to uid %u: %s", (u_int)temp_saved_euid,
			    strerror(errno));
			r = ERR_ERRNO;
		}
	}
	uidswap_forget_saved();
	return r;
}

int
uidswap_is_temporary(void)
{
	return temp_active;
}

/* ------------------------------------------------------------ privsep */

int
uidswap_privsep_user(const char *user, struct passwd **pwp, char *err,
    size_t errlen)
{
	struct passwd *pw;

	*pwp = NULL;
	if (user == NULL || *user == '\0')
		return ERR_INVALID_ARGUMENT;
	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		snprintf(err, errlen, "Privilege separation user %s does "
		    "not exist (create it with: useradd --system "
		    "--home-dir %s --shell /usr/sbin/nologin %s)", user,
		    PRIVSEP_PATH, user);
		return ERR_NOT_FOUND;
	}
	if (pw->pw_uid == 0) {
		snprintf(err, errlen, "Privilege separation user %s has "
		    "uid 0", user);
		return ERR_INVALID_ARGUMENT;
	}
	if ((*pwp = pw_dup(pw)) == NULL) {
		snprintf(err, errlen, "Out of memory copying user %s", user);
		return ERR_ALLOC_FAIL;
	}
	return 0;
}

/* dir has no entries but "." and "..". */
static int
uidswap_dir_is_empty(const char *dir, int *emptyp)
{
	DIR *d;
	struct dirent *de;

	*emptyp = 1;
	if ((d = opendir(dir)) == NULL)
		return ERR_ERRNO;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0) {
			*emptyp = 0;
			break;
		}
	}
	closedir(d);
	return 0;
}

/* One directory on the way: root's and writable by no one else. */
static int
uidswap_check_component(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st) == -1) {
		snprintf(err, errlen, "Missing privilege separation "
		    "directory: %s: %s", path, strerror(errno));
		return errno == ENOENT ? ERR_NOT_FOUND : ERR_ERRNO;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "Privilege separation directory "
		    "%s: not a directory", path);
		return ERR_KEY_BAD_PERMISSIONS;
	}
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		snprintf(err, errlen, "Bad ownership or modes for "
		    "privilege separation directory %s (must be owned by "
		    "root and not group or world-writable)", path);
		return ERR_KEY_BAD_PERMISSIONS;
	}
	return 0;
}

int
uidswap_check_privsep_dir(const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX];
	char *slash;
	int r, empty;

	if (dir == NULL || dir[0] != '/' ||
	    strlcpy(path, dir, sizeof(path)) >= sizeof(path)) {
		snprintf(err, errlen, "Privilege separation directory %s: "
		    "not an absolute path", dir != NULL ? dir : "(null)");
		return ERR_INVALID_ARGUMENT;
	}
	if ((r = uidswap_check_component(path, err, errlen)) != 0)
		return r;
	if ((r = uidswap_dir_is_empty(path, &empty)) != 0) {
		snprintf(err, errlen, "Privilege separation directory %s: "
		    "%s", path, strerror(errno));
		return r;
	}
	if (!empty) {
		snprintf(err, errlen, "Privilege separation directory %s "
		    "is not empty", path);
		return ERR_KEY_BAD_PERMISSIONS;
	}
	/* Every directory above it, up to "/". */
	while ((slash = strrchr(path, '/')) != NULL && slash != path) {
		*slash = '\0';
		if ((r = uidswap_check_component(path, err, errlen)) != 0)
			return r;
	}
	return uidswap_check_component("/", err, errlen);
}

int
uidswap_privsep_child(const struct passwd *pw, const char *dir,
    char *err, size_t errlen)
{
	int r;

	if (pw == NULL) {
		snprintf(err, errlen, "No privilege separation user");
		return ERR_INVALID_ARGUMENT;
	}
	if (geteuid() != 0) {
		snprintf(err, errlen, "Privilege separation needs root");
		return ERR_INVALID_ARGUMENT;
	}
	if ((r = uidswap_check_privsep_dir(dir, err, errlen)) != 0)
		return r;
	if (chroot(dir) == -1) {
		snprintf(err, errlen, "chroot(\"%s\"): %s", dir,
		    strerror(errno));
		return ERR_ERRNO;
	}
	if (chdir("/") == -1) {
		snprintf(err, errlen, "chdir(\"/\") in %s: %s", dir,
		    strerror(errno));
		return ERR_ERRNO;
	}
	if ((r = uidswap_permanently_set(pw, UIDSWAP_GROUPS_PRIMARY)) != 0) {
		snprintf(err, errlen, "Could not drop privileges to "
		    "user %s (uid %u): %s", pw->pw_name, (u_int)pw->pw_uid,
		    errcode_str(r));
		return r;
	}
	return 0;
}
