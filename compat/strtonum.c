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
	int err_errno = 0;

	/* As OpenBSD: errno is 0 on success, EINVAL or ERANGE on failure. */
	errno = 0;
	if (minval > maxval || numstr == NULL) {
		err = "invalid";
		err_errno = EINVAL;
	} else {
		ll = strtoll(numstr, &ep, 10);
		if (numstr == ep || *ep != '\0') {
			err = "invalid";
			err_errno = EINVAL;
		} else if ((ll == LLONG_MIN && errno == ERANGE) ||
		    ll < minval) {
			err = "too small";
			err_errno = ERANGE;
		} else if ((ll == LLONG_MAX && errno == ERANGE) ||
		    ll > maxval) {
			err = "too large";
			err_errno = ERANGE;
		}
	}
	if (errstrp != NULL)
		*errstrp = err;
	errno = err_errno;
	if (err != NULL)
		ll = 0;
	return ll;
}
#endif
