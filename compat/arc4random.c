/* arc4random family over getrandom(2), for libcs without them. */
#include "includes.h"

#include <sys/random.h>

#if !HAVE_ARC4RANDOM_BUF
void
arc4random_buf(void *p, size_t n)
{
	unsigned char *b = p;
	ssize_t r;

	while (n > 0) {
		r = getrandom(b, n > 256 ? 256 : n, 0);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			abort();	/* no entropy: nothing safe to do */
		b += r;
		n -= (size_t)r;
	}
}

uint32_t
arc4random(void)
{
	uint32_t v;

	arc4random_buf(&v, sizeof(v));
	return v;
}

uint32_t
arc4random_uniform(uint32_t upper)
{
	uint32_t r, min;

	if (upper < 2)
		return 0;
	min = -upper % upper;	/* 2**32 % upper: reject below to avoid bias */
	do {
		r = arc4random();
	} while (r < min);
	return r % upper;
}
#endif
