/*
 * misc-num.c: numbers, sizes, ports, durations, clocks and absolute times
 * as they appear in config files and on command lines.
 */
#include "includes.h"

#include <netinet/in.h>
#include <ctype.h>
#include <netdb.h>
#include <time.h>

#include "errcode.h"
#include "misc.h"

/* ------------------------------------------------------------ clocks */

static void
monotime_ts(struct timespec *ts)
{
#ifdef CLOCK_BOOTTIME
	/* Counts time asleep too, so timeouts expire across a suspend. */
	if (clock_gettime(CLOCK_BOOTTIME, ts) == 0)
		return;
#endif
	if (clock_gettime(CLOCK_MONOTONIC, ts) == 0)
		return;
	/* Not reached on any system we build for. */
	ts->tv_sec = time(NULL);
	ts->tv_nsec = 0;
}

uint64_t
monotime_ms(void)
{
	struct timespec ts;

	monotime_ts(&ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t
monotime(void)
{
	struct timespec ts;

	monotime_ts(&ts);
	return (uint64_t)ts.tv_sec;
}

/* ------------------------------------------------------------ numbers */

/*
 * Accumulate the decimal digits at *pp into *valp (which holds what came
 * before), advancing *pp; fails if the value exceeds max.
 */
static int
read_digits(const char **pp, uint64_t max, uint64_t *valp)
{
	const char *p = *pp;
	uint64_t v = *valp, d;

	if (!isdigit((unsigned char)*p))
		return ERR_INVALID_FORMAT;
	for (; isdigit((unsigned char)*p); p++) {
		d = (uint64_t)(*p - '0');
		if (v > (max - d) / 10)
			return ERR_NUMBER_TOO_LARGE;
		v = v * 10 + d;
	}
	*pp = p;
	*valp = v;
	return 0;
}

int
convtime(const char *s, long *secsp)
{
	uint64_t total = 0, val, mult;
	const char *p = s;
	int r;

	if (secsp != NULL)
		*secsp = 0;
	if (s == NULL || secsp == NULL)
		return ERR_INVALID_ARGUMENT;
	if (*p == '\0')
		return ERR_INVALID_FORMAT;
	while (*p != '\0') {
		val = 0;
		if ((r = read_digits(&p, INT_MAX, &val)) != 0)
			return r;
		switch (*p) {
		case '\0':	/* no unit: seconds */
		case 's': case 'S':
			mult = 1;
			break;
		case 'm': case 'M':
			mult = 60;
			break;
		case 'h': case 'H':
			mult = 60 * 60;
			break;
		case 'd': case 'D':
			mult = 24 * 60 * 60;
			break;
		case 'w': case 'W':
			mult = 7 * 24 * 60 * 60;
			break;
		default:
			return ERR_INVALID_FORMAT;
		}
		if (*p != '\0')
			p++;
		if (val > INT_MAX / mult)
			return ERR_NUMBER_TOO_LARGE;
		val *= mult;
		if (total > INT_MAX - val)
			return ERR_NUMBER_TOO_LARGE;
		total += val;
	}
	*secsp = (long)total;
	return 0;
}

void
fmt_timeframe(uint64_t secs, char *buf, size_t len)
{
	static const struct {
		char unit;
		uint64_t secs;
	} units[] = {
		{ 'w', 7 * 24 * 60 * 60 },
		{ 'd', 24 * 60 * 60 },
		{ 'h', 60 * 60 },
		{ 'm', 60 },
		{ 's', 1 },
	};
	size_t i, used = 0;
	uint64_t n;
	int w;

	if (buf == NULL || len == 0)
		return;
	buf[0] = '\0';
	if (secs == 0) {
		strlcpy(buf, "0s", len);
		return;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if ((n = secs / units[i].secs) == 0)
			continue;
		secs %= units[i].secs;
		w = snprintf(buf + used, len - used, "%llu%c",
		    (unsigned long long)n, units[i].unit);
		if (w < 0 || (size_t)w >= len - used)
			return;		/* truncated, still terminated */
		used += (size_t)w;
	}
}

int
parse_size(const char *s, uint64_t *valp)
{
	uint64_t ip = 0, frac = 0, den = 1, scale, q, rem;
	const char *p = s, *units = "BKMGTPE", *u;
	int r, fdigits = 0;

	if (valp != NULL)
		*valp = 0;
	if (s == NULL || valp == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((r = read_digits(&p, UINT64_MAX, &ip)) != 0)
		return r;
	if (*p == '.') {
		if (!isdigit((unsigned char)*++p))
			return ERR_INVALID_FORMAT;
		/* Six places are plenty; later digits are ignored. */
		for (; isdigit((unsigned char)*p); p++, fdigits++) {
			if (fdigits < 6) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				den *= 10;
			}
		}
	}
	scale = 1;
	if (*p != '\0') {
		if ((u = strchr(units, toupper((unsigned char)*p))) == NULL ||
		    p[1] != '\0')
			return ERR_INVALID_FORMAT;
		scale = (uint64_t)1 << (10 * (u - units));
	}
	if (fdigits > 0 && scale == 1)
		return ERR_INVALID_FORMAT;	/* no fractions of a byte */
	if (ip > UINT64_MAX / scale)
		return ERR_NUMBER_TOO_LARGE;
	ip *= scale;
	/* frac * scale / den without overflow: den <= 10^6. */
	q = scale / den;
	rem = scale % den;
	frac = frac * q + (frac * rem) / den;
	if (ip > UINT64_MAX - frac)
		return ERR_NUMBER_TOO_LARGE;
	*valp = ip + frac;
	return 0;
}

int
a2port(const char *s)
{
	const char *errstr = NULL;
	struct servent *se;
	long long port;

	if (s == NULL || *s == '\0')
		return -1;
	if (strspn(s, "0123456789") == strlen(s)) {
		port = strtonum(s, 0, 65535, &errstr);
		return errstr == NULL ? (int)port : -1;
	}
	if (!isalpha((unsigned char)*s))
		return -1;
	if ((se = getservbyname(s, "tcp")) == NULL)
		return -1;
	return ntohs((uint16_t)se->s_port);
}

/* ------------------------------------------------------------ dates */

static int
days_in_month(int year, int month)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return days[month - 1] + (month == 2 && leap ? 1 : 0);
}

/* The n decimal digits at s (all checked to be digits already). */
static int
digits_val(const char *s, size_t n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

int
parse_absolute_time(const char *s, uint64_t *tp)
{
	struct tm tm;
	size_t len, i;
	int utc = 0;
	time_t tt;

	if (tp != NULL)
		*tp = 0;
	if (s == NULL || tp == NULL)
		return ERR_INVALID_ARGUMENT;
	len = strlen(s);
	if (len > 0 && (s[len - 1] == 'Z' || s[len - 1] == 'z')) {
		utc = 1;
		len--;
	}
	if (len != 8 && len != 12 && len != 14)
		return ERR_INVALID_FORMAT;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return ERR_INVALID_FORMAT;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = digits_val(s, 4) - 1900;
	tm.tm_mon = digits_val(s + 4, 2) - 1;
	tm.tm_mday = digits_val(s + 6, 2);
	if (len >= 12) {
		tm.tm_hour = digits_val(s + 8, 2);
		tm.tm_min = digits_val(s + 10, 2);
	}
	if (len == 14)
		tm.tm_sec = digits_val(s + 12, 2);
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
	    tm.tm_mday > days_in_month(tm.tm_year + 1900, tm.tm_mon + 1) ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
		return ERR_INVALID_FORMAT;
	tm.tm_isdst = -1;
	tt = utc ? timegm(&tm) : mktime(&tm);
	/* Before 1970, or not representable in time_t. */
	if (tt < 0)
		return ERR_INVALID_FORMAT;
	*tp = (uint64_t)tt;
	return 0;
}

void
format_absolute_time(uint64_t t, char *buf, size_t len)
{
	struct tm tm;
	time_t tt;

	if (buf == NULL || len == 0)
		return;
	/* Clamp to the end of year 9999 so localtime never overflows. */
	if (t > 253402300799ULL)
		t = 253402300799ULL;
	if (sizeof(time_t) < 8 && t > INT32_MAX)
		t = INT32_MAX;
	tt = (time_t)t;
	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		strlcpy(buf, "invalid", len);
}
