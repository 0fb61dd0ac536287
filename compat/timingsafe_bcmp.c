/* timingsafe_bcmp: comparison whose time depends only on the length. */
#include "includes.h"

#if !HAVE_TIMINGSAFE_BCMP
int
timingsafe_bcmp(const void *b1, const void *b2, size_t n)
{
	const volatile unsigned char *p1 = b1, *p2 = b2;
	unsigned char acc = 0;
	size_t i;

	for (i = 0; i < n; i++)
		acc |= p1[i] ^ p2[i];
	return acc != 0;
}
#endif
