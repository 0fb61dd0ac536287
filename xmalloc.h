/*
 * xmalloc.h: allocation that cannot fail, for programs.
 *
 * These call fatal() when memory runs out, so they belong in programs and
 * their main loops.  Library modules use malloc and return ERR_ALLOC_FAIL.
 * Multiplications go through the overflow-checked forms only.
 */
#ifndef KEEL_XMALLOC_H
#define KEEL_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *, size_t nmemb, size_t size);
void *xrecallocarray(void *, size_t onmemb, size_t nmemb, size_t size);
char *xstrdup(const char *);
int xasprintf(char **, const char *, ...)
    __attribute__((__format__(__printf__, 2, 3)));
int xvasprintf(char **, const char *, va_list)
    __attribute__((__format__(__printf__, 2, 0)));

#endif /* KEEL_XMALLOC_H */
