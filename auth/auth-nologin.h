/*
 * auth-nologin.h: the /etc/nologin check (nologin(5)).
 *
 * While the file exists nobody but root may log in; its contents are
 * shown to the refused user.
 */
#ifndef KEEL_AUTH_NOLOGIN_H
#define KEEL_AUTH_NOLOGIN_H

#include <stddef.h>
#include <pwd.h>

#define AUTH_NOLOGIN_PATH	"/etc/nologin"

/* The most of the file's contents that is shown. */
#define AUTH_NOLOGIN_MAX_MSG	4096

/*
 * 1 if the nologin file at path (NULL: AUTH_NOLOGIN_PATH) refuses pw's
 * login (it exists and pw is not root), else 0.  When it refuses and
 * msg is not NULL, msg gets the start of the file's contents (at most
 * msglen - 1 bytes, NUL-terminated; empty if unreadable).
 */
int auth_nologin_applies(const char *path, const struct passwd *pw,
    char *msg, size_t msglen);

#endif /* KEEL_AUTH_NOLOGIN_H */
