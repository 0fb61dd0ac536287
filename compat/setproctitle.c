/*
 * setproctitle: rewrite what ps(1) shows for this process, by overwriting
 * the contiguous argv (and environ, which is first moved to the heap).
 */
#include "includes.h"

static char *title_start;
static size_t title_size;
static const char *title_prog;

extern char **environ;

void
compat_init_setproctitle(int argc, char *argv[])
{
#if !HAVE_SETPROCTITLE
	char *end, **newenv;
	size_t n, i;

	if (argc < 1 || argv[0] == NULL)
		return;
	title_prog = strrchr(argv[0], '/');
	title_prog = title_prog != NULL ? title_prog + 1 : argv[0];
	if ((title_prog = strdup(title_prog)) == NULL)
		return;
	end = argv[0] + strlen(argv[0]) + 1;
	for (i = 1; i < (size_t)argc; i++) {
		if (argv[i] != end)
			break;
		end = argv[i] + strlen(argv[i]) + 1;
	}
	for (n = 0; environ[n] != NULL; n++)
		;
	if ((newenv = calloc(n + 1, sizeof(*newenv))) == NULL)
		return;
	for (i = 0; i < n; i++) {
		if (environ[i] == end)
			end = environ[i] + strlen(environ[i]) + 1;
		if ((newenv[i] = strdup(environ[i])) == NULL)
			return;
	}
	environ = newenv;
	title_start = argv[0];
	title_size = (size_t)(end - argv[0]);
	for (i = 1; i < (size_t)argc; i++)
		argv[i] = NULL;
#else
	(void)argc;
	(void)argv;
#endif
}

#if !HAVE_SETPROCTITLE
void
setproctitle(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	size_t len;
	int n;

	if (title_start == NULL || title_size < 2)
		return;
	n = snprintf(buf, sizeof(buf), "%s: ", title_prog);
	if (n < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	len = strlcpy(title_start, buf, title_size);
	if (len + 1 < title_size)
		memset(title_start + len + 1, '\0', title_size - len - 1);
}
#endif
