/*
 * sftp-server-main.c: main() of the sftp-server program; the server
 * itself is sftp_server_main() (sftp-server.c), which sshd also runs as
 * internal-sftp.
 */
#include "includes.h"

#include <pwd.h>

#include "log.h"
#include "misc.h"
#include "sftp-server.h"

int
main(int argc, char **argv)
{
	static char rootdir[] = "/";
	struct passwd *pw, nopw;
	char uidname[32];

	/* Files opened later must never land on stdin, stdout or stderr. */
	if (sanitise_stdfd() != 0)
		return 1;
	log_init(argv[0], LOG_LEVEL_ERROR, LOG_FACILITY_AUTH, 0);
	/*
	 * The user only names the session in log lines and -d's %u and %d.
	 * In a chroot without a passwd file use the number and "/", so the
	 * server still works there.
	 */
	if ((pw = getpwuid(getuid())) == NULL) {
		snprintf(uidname, sizeof(uidname), "%lu", (u_long)getuid());
		memset(&nopw, 0, sizeof(nopw));
		nopw.pw_name = uidname;
		nopw.pw_dir = rootdir;
		nopw.pw_uid = getuid();
		nopw.pw_gid = getgid();
		pw = &nopw;
	}
	return sftp_server_main(argc, argv, pw);
}
