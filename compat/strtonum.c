/* strtonum: decimal conversion bounded to [minval, maxval]. */
#include "includes.h"

#if !HAVE_STRTONUM
long long
strtonum(const char *numstr, long long minval, long long maxval,
    const char **errstrp)
{
	long long ll = 0;
	char *ep;
	const char *err = NULL;
	int saved_errno = errno;

	if (minval > maxval) {
		err = "invalid";
	} else {
		errno = 0;
		ll = strtoll(numstr, &ep, 10);
		if (numstr == ep || *ep != '\0')
			err = "invalid";
		else if ((ll == LLONG_MIN && errno == ERANGE) || ll < minval)
			err = "too small";
		else if ((ll == LLONG_MAX && errno == ERANGE) || ll > maxval)
			err = "too large";
	}
	if (errstrp != NULL)
		*errstrp = err;
	errno = err != NULL ? EINVAL : saved_errno;
	if (err != NULL)
		ll = 0;
	return ll;
}
#endif
