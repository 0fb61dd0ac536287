/* freezero: wipe then free. */
#include "includes.h"

#if !HAVE_FREEZERO
void
freezero(void *p, size_t len)
{
	if (p == NULL)
		return;
	explicit_bzero(p, len);
	free(p);
}
#endif
