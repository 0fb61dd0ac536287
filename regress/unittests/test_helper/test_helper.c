/* test_helper.c: the unit test harness (test_helper.h). */
#include "includes.h"

#include <getopt.h>

#include "test_helper.h"

static const char *prog = "test";
static const char *data_dir = ".";
static const char *current;
static unsigned long npassed, nfailed;
static int verbose, fast;

void
test_start(const char *name)
{
	current = name;
	if (verbose)
		fprintf(stderr, "test %s: start\n", name);
}

void
test_done(void)
{
	if (verbose)
		fprintf(stderr, "test %s: ok\n", current);
	npassed++;
	current = NULL;
}

const char *
test_data_file(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", data_dir, name);
	return path;
}

int
test_is_fast(void)
{
	return fast;
}

int
test_is_verbose(void)
{
	return verbose;
}

void
assert_failed(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: FAIL in test \"%s\" at %s:%d: ", prog,
	    current ? current : "(none)", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	nfailed++;
	exit(1);
}

static void
hexdump(const char *name, const unsigned char *p, size_t len)
{
	size_t i;

	fprintf(stderr, "  %s:", name);
	for (i = 0; i < len && i < 64; i++)
		fprintf(stderr, "%s%02x", i % 16 == 0 ? "\n    " : " ", p[i]);
	fprintf(stderr, "%s\n", len > 64 ? " ..." : "");
}

void
assert_mem(const char *file, int line, const char *a1, const char *a2,
    const void *p1, const void *p2, size_t len, int want_equal)
{
	int equal;

	if (p1 == NULL || p2 == NULL)
		assert_failed(file, line, "%s or %s is NULL", a1, a2);
	equal = len == 0 || memcmp(p1, p2, len) == 0;
	if (equal == want_equal)
		return;
	if (want_equal) {
		hexdump(a1, p1, len);
		hexdump(a2, p2, len);
	}
	assert_failed(file, line, "%s %s %s (%zu bytes)", a1,
	    want_equal ? "!=" : "==", a2, len);
}

static void
summary(void)
{
	printf("%s: %lu passed, %lu failed\n", prog, npassed, nfailed);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	int ch;
	const char *slash;

	prog = argv[0];
	if ((slash = strrchr(prog, '/')) != NULL)
		prog = slash + 1;
	while ((ch = getopt(argc, argv, "vfd:")) != -1) {
		switch (ch) {
		case 'v':
			verbose = 1;
			break;
		case 'f':
			fast = 1;
			break;
		case 'd':
			data_dir = optarg;
			break;
		default:
			fprintf(stderr, "usage: %s [-fv] [-d datadir]\n", prog);
			exit(2);
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	atexit(summary);
	tests();
	return nfailed == 0 ? 0 : 1;
}
