/* reallocarray: realloc(p, nmemb * size) with an overflow check. */
#include "includes.h"

#if !HAVE_REALLOCARRAY
void *
reallocarray(void *p, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, nmemb * size);
}
#endif
