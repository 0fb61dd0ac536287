/* closefrom: close every descriptor >= lowfd. */
#include "includes.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <dirent.h>

#if !HAVE_CLOSEFROM
/* Close what /proc/self/fd lists; -1 if it cannot be read. */
static int
closefrom_procfs(int lowfd)
{
	const char *errstr;
	struct dirent *de;
	long long fd;
	DIR *d;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		fd = strtonum(de->d_name, lowfd, INT_MAX, &errstr);
		if (errstr == NULL && fd != dirfd(d))
			(void)close((int)fd);
	}
	closedir(d);
	return 0;
}

void
closefrom(int lowfd)
{
	struct rlimit rl;
	long fd, max = 65536;

	if (lowfd < 0)
		lowfd = 0;
#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned int)lowfd, ~0U, 0) == 0)
		return;
#endif
	if (closefrom_procfs(lowfd) == 0)
		return;
	/* Last resort: every descriptor the limits allow. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max != RLIM_INFINITY)
		max = (long)MINIMUM(rl.rlim_max, (rlim_t)INT_MAX);
	for (fd = lowfd; fd < max; fd++)
		(void)close((int)fd);
}
#endif
