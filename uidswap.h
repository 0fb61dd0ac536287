/*
 * uidswap.h: changing user and group ids, and setting up sshd's
 * unprivileged pre-auth child (DESIGN.md section 2).
 *
 * Permanent changes (the pre-auth child, the session child) drop every
 * id, real, effective and saved, and then check that the old ones cannot
 * be regained: a drop that cannot be verified is reported as a failure,
 * and the caller must fatal() rather than go on with unknown privileges.
 * Temporary changes (reading a user's files as that user) switch only
 * the effective ids and the group list, and are undone by
 * uidswap_restore().
 *
 * Library code: nothing here exits.  int results are 0 or a negative
 * ERR_* code; where an err buffer is passed it receives a message fit
 * for fatal("%s", err).
 */
#ifndef KEEL_UIDSWAP_H
#define KEEL_UIDSWAP_H

#include <sys/types.h>
#include <pwd.h>
#include <stddef.h>

/*
 * A deep copy of pw (all strings copied); NULL on allocation failure.
 * Free with pw_free(), which wipes pw_passwd.
 */
struct passwd *pw_dup(const struct passwd *pw);
void pw_free(struct passwd *pw);

/* Supplementary groups for uidswap_permanently_set(). */
#define UIDSWAP_GROUPS_PRIMARY	0	/* only pw->pw_gid (privsep child) */
#define UIDSWAP_GROUPS_INIT	1	/* initgroups(): the group database */

/*
 * Become pw for good: supplementary groups as flags says, then
 * setresgid and setresuid to pw's ids; then verify that all three uids
 * and gids are pw's, the group list is as set, and (for a non-root pw)
 * that neither root's uid nor (when pw's gid is not 0) gid 0 can be
 * regained.  When the caller is not root, only pw's own uid is
 * accepted (nothing changes).  ERR_ERRNO when a call fails (errno set),
 * ERR_INTERNAL when the verification fails, ERR_INVALID_ARGUMENT.
 */
int uidswap_permanently_set(const struct passwd *pw, int flags)
    __attribute__((__warn_unused_result__));

/*
 * Act as pw until uidswap_restore(): pw's groups (from the group
 * database), effective gid and effective uid.  A no-op (recorded, so
 * restore is one too) unless the caller's effective uid is root.  Calls
 * do not nest: a second one before restore is ERR_INTERNAL.
 */
int uidswap_temporarily_use(const struct passwd *pw)
    __attribute__((__warn_unused_result__));
/* Undo uidswap_temporarily_use().  ERR_INTERNAL if nothing to undo. */
int uidswap_restore(void)
    __attribute__((__warn_unused_result__));
/* 1 while a temporary change is in force. */
int uidswap_is_temporary(void);

/*
 * The privilege separation user (configure's PRIVSEP_USER, normally
 * "sshd") as a copy to free with pw_free().  Call before chroot: the
 * lookup needs the user database.  ERR_NOT_FOUND with a message in err
 * when there is no such user.
 */
int uidswap_privsep_user(const char *user, struct passwd **pwp, char *err,
    size_t errlen)
    __attribute__((__warn_unused_result__));

/*
 * Is dir fit to be the pre-auth child's root: an absolute path to an
 * existing, empty directory owned by root and writable by no one else,
 * and every directory above it owned by root and not group- or
 * world-writable?  0, or ERR_NOT_FOUND / ERR_KEY_BAD_PERMISSIONS /
 * ERR_INVALID_ARGUMENT / ERR_ERRNO with a message in err.
 */
int uidswap_check_privsep_dir(const char *dir, char *err, size_t errlen)
    __attribute__((__warn_unused_result__));

/*
 * Turn the calling process (root) into sshd's pre-auth child: check dir
 * as above, chroot(dir), chdir("/"), then become pw permanently with
 * only its primary group.  On failure err says why, and the process
 * must not go on (it may already be chrooted).
 */
int uidswap_privsep_child(const struct passwd *pw, const char *dir,
    char *err, size_t errlen)
    __attribute__((__warn_unused_result__));

#endif /* KEEL_UIDSWAP_H */
