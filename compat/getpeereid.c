/* getpeereid: the uid and gid of a unix-socket peer (SO_PEERCRED). */
#include "includes.h"

#include <sys/socket.h>

#if !HAVE_GETPEEREID
int
getpeereid(int s, uid_t *euid, gid_t *gid)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1)
		return -1;
	*euid = cred.uid;
	*gid = cred.gid;
	return 0;
}
#endif
