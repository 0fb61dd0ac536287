/* closefrom: close every descriptor >= lowfd. */
#include "includes.h"

#include <sys/resource.h>

#if !HAVE_CLOSEFROM
void
closefrom(int lowfd)
{
	struct rlimit rl;
	long fd, max = 1024;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max != RLIM_INFINITY)
		max = (long)rl.rlim_max;
	for (fd = lowfd; fd < max; fd++)
		(void)close((int)fd);
}
#endif
