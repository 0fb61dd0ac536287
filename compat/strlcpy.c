/* strlcpy: bounded copy that always terminates; returns strlen(src). */
#include "includes.h"

#if !HAVE_STRLCPY
size_t
strlcpy(char *dst, const char *src, size_t dsize)
{
	size_t slen = strlen(src);

	if (dsize > 0) {
		size_t n = slen < dsize - 1 ? slen : dsize - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return slen;
}
#endif
