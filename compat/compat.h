/*
 * compat.h: declarations of the portability functions of compat/.
 *
 * Each function is used from libc when configure found it there
 * (HAVE_name is 1); otherwise compat/libcompat.a supplies it.
 */
#ifndef KEEL_COMPAT_H
#define KEEL_COMPAT_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#if !HAVE_EXPLICIT_BZERO
void explicit_bzero(void *, size_t);
#endif
#if !HAVE_FREEZERO
/* Wipe len bytes at p, then free it.  p may be NULL. */
void freezero(void *p, size_t len);
#endif
#if !HAVE_TIMINGSAFE_BCMP
/* 0 if equal, non-zero otherwise; time depends only on len. */
int timingsafe_bcmp(const void *, const void *, size_t);
#endif
#if !HAVE_REALLOCARRAY
void *reallocarray(void *, size_t, size_t);
#endif
#if !HAVE_RECALLOCARRAY
/* Like reallocarray, but zeroes new memory and wipes the old block. */
void *recallocarray(void *, size_t oldnmemb, size_t nmemb, size_t size);
#endif
#if !HAVE_STRLCPY
size_t strlcpy(char *, const char *, size_t);
#endif
#if !HAVE_STRLCAT
size_t strlcat(char *, const char *, size_t);
#endif
#if !HAVE_STRTONUM
/* OpenBSD strtonum: bounded decimal conversion, *errstr set on failure. */
long long strtonum(const char *, long long, long long, const char **);
#endif
#if !HAVE_CLOSEFROM
void closefrom(int lowfd);
#endif
#if !HAVE_SETPROCTITLE
/* Call compat_init_setproctitle(argc, argv) early in main() first. */
void setproctitle(const char *fmt, ...)
    __attribute__((__format__(__printf__, 1, 2)));
#endif
void compat_init_setproctitle(int argc, char *argv[]);
#if !HAVE_READPASSPHRASE
#define RPP_ECHO_OFF	0x00	/* turn off echo (default) */
#define RPP_ECHO_ON	0x01	/* leave echo on */
#define RPP_REQUIRE_TTY	0x02	/* fail if there is no tty */
#define RPP_FORCELOWER	0x04	/* force input to lower case */
#define RPP_FORCEUPPER	0x08	/* force input to upper case */
#define RPP_SEVENBIT	0x10	/* strip the high bit from input */
#define RPP_STDIN	0x20	/* read from stdin, not /dev/tty */
char *readpassphrase(const char *prompt, char *buf, size_t bufsiz, int flags);
#endif
#if !HAVE_GETPEEREID
int getpeereid(int, uid_t *, gid_t *);
#endif
#if !HAVE_ARC4RANDOM_BUF
/* Cryptographically strong random bytes (getrandom(2)); aborts on failure. */
void arc4random_buf(void *, size_t);
uint32_t arc4random(void);
uint32_t arc4random_uniform(uint32_t);
#endif

#endif /* KEEL_COMPAT_H */
