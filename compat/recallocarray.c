/*
 * recallocarray: resize an array, zeroing new elements and wiping the
 * old block when the memory moves (so secrets leave no copies behind).
 */
#include "includes.h"

#if !HAVE_RECALLOCARRAY
void *
recallocarray(void *p, size_t oldnmemb, size_t nmemb, size_t size)
{
	size_t oldsize, newsize;
	void *n;

	if (p == NULL)
		return calloc(nmemb, size);
	if (size != 0 && (nmemb > SIZE_MAX / size || oldnmemb > SIZE_MAX / size)) {
		errno = ENOMEM;
		return NULL;
	}
	newsize = nmemb * size;
	oldsize = oldnmemb * size;
	if (newsize <= oldsize) {
		/* Shrinking: keep the block, wipe the tail. */
		explicit_bzero((unsigned char *)p + newsize, oldsize - newsize);
		return p;
	}
	if ((n = malloc(newsize)) == NULL)
		return NULL;
	memcpy(n, p, oldsize);
	memset((unsigned char *)n + oldsize, 0, newsize - oldsize);
	freezero(p, oldsize);
	return n;
}
#endif
