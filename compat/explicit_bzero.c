/* explicit_bzero: memset that the compiler may not remove. */
#include "includes.h"

#if !HAVE_EXPLICIT_BZERO
static void *(*volatile keel_memset)(void *, int, size_t) = memset;

void
explicit_bzero(void *p, size_t n)
{
	if (n > 0)
		keel_memset(p, 0, n);
}
#endif
