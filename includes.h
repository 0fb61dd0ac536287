/*
 * includes.h: the first include of every Keel source file.
 *
 * Pulls in config.h, the common libc headers and the portability layer,
 * and defines the few attributes the tree uses everywhere.
 */
#ifndef KEEL_INCLUDES_H
#define KEEL_INCLUDES_H

#include "config.h"

#include <sys/types.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"

/* Fallible functions: callers must look at the result (STYLE.md rule 7). */
#define must_check	__attribute__((__warn_unused_result__))
#define printflike(f, a) __attribute__((__format__(__printf__, f, a)))
#define noreturn_fn	__attribute__((__noreturn__))

#ifndef MINIMUM
#define MINIMUM(a, b)	(((a) < (b)) ? (a) : (b))
#define MAXIMUM(a, b)	(((a) > (b)) ? (a) : (b))
#endif

#endif /* KEEL_INCLUDES_H */
