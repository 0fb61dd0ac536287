/*
 * auth-nologin.c: the /etc/nologin check (auth-nologin.h).
 */
#include "includes.h"

#include <sys/stat.h>
#include <fcntl.h>

#include "auth/auth-nologin.h"

/* As much of the file as fits in msg; a short read is fine. */
static void
auth_nologin_read(const char *path, char *msg, size_t msglen)
{
	ssize_t n;
	size_t len = 0;
	int fd;

	msg[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return;
	while (len + 1 < msglen) {
		n = read(fd, msg + len, msglen - 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	msg[len] = '\0';
	close(fd);
}

int
auth_nologin_applies(const char *path, const struct passwd *pw,
    char *msg, size_t msglen)
{
	struct stat st;

	if (path == NULL)
		path = AUTH_NOLOGIN_PATH;
	if (msg != NULL && msglen > 0)
		msg[0] = '\0';
	if (pw != NULL && pw->pw_uid == 0)
		return 0;
	if (stat(path, &st) == -1)
		return 0;
	if (msg != NULL && msglen > 0)
		auth_nologin_read(path, msg, MINIMUM(msglen,
		    (size_t)AUTH_NOLOGIN_MAX_MSG + 1));
	return 1;
}
