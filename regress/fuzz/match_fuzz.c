/*
 * match_fuzz.c: libFuzzer target for the pattern, address-list and
 * config-word parsers of match.c and misc.c.
 *
 * The input is split at its first newline into a subject and a list (no
 * newline: both are the whole input).  Every matcher must answer within
 * its documented set of values; argv_split() output must survive
 * argv_assemble() and a second argv_split() unchanged.
 */
#include "includes.h"

#include "errcode.h"
#include "match.h"
#include "misc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
	    #x); \
	abort(); \
	} } while (0)

#define ALL_NAMES	"aes128-ctr,aes256-ctr,aes128-gcm@openssh.com," \
	"chacha20-poly1305@openssh.com,hmac-sha2-256,ssh-ed25519"
#define DEF_NAMES	"chacha20-poly1305@openssh.com,aes128-ctr"

static void
fuzz_match(const char *s, const char *list)
{
	char *r = NULL;
	u_int next;
	int v;

	v = match_pattern(s, list);
	CHECK(v == 0 || v == 1);
	CHECK(match_pattern(s, s) == 1);
	v = match_pattern_list(s, list, 0);
	CHECK(v >= -1 && v <= 1);
	v = match_pattern_list(s, list, 1);
	CHECK(v >= -1 && v <= 1);
	v = match_hostname(s, list);
	CHECK(v >= -1 && v <= 1);
	v = addr_match_list(s, list);
	CHECK(v >= -2 && v <= 1);
	v = addr_match_list(NULL, list);
	CHECK(v == 0 || v == -2);
	v = addr_match_cidr_list(s, list);
	CHECK(v >= -1 && v <= 1);
	v = addr_match_cidr_list(NULL, list);
	CHECK(v == 0 || v == -1);
	v = match_host_and_ip(s, s, list);
	CHECK(v >= -1 && v <= 1);
	v = match_user(s, s, s, list);
	CHECK(v >= -1 && v <= 1);
	v = match_user(NULL, NULL, NULL, list);
	CHECK(v == 0 || v == -1);
	if ((r = match_list(s, list, &next)) != NULL) {
		CHECK(*r != '\0' && strchr(r, ',') == NULL);
		CHECK(next <= strlen(s));
	}
	free(r);
	r = NULL;
	if (match_filter_list(DEF_NAMES, list, ALL_NAMES, &r) == 0)
		CHECK(r != NULL && *r != '\0');
	else
		CHECK(r == NULL);
	free(r);
	free(match_filter_denylist(s, list));
	free(match_filter_allowlist(s, list));
}

static void
fuzz_argv(const char *s)
{
	char **argv = NULL, **argv2 = NULL, *joined;
	int argc = 0, argc2 = 0, i, comments;

	for (comments = 0; comments <= 1; comments++) {
		if (argv_split(s, &argc, &argv, comments) != 0) {
			CHECK(argv == NULL && argc == 0);
			continue;
		}
		CHECK(argv != NULL && argv[argc] == NULL);
		if ((joined = argv_assemble(argc, argv)) != NULL) {
			CHECK(argv_split(joined, &argc2, &argv2, 1) == 0);
			CHECK(argc2 == argc);
			for (i = 0; i < argc; i++)
				CHECK(strcmp(argv[i], argv2[i]) == 0);
			argv_free(argv2, argc2);
			free(joined);
		}
		argv_free(argv, argc);
	}
}

static void
fuzz_misc(const char *s)
{
	static const struct percent_map map[] = {
		{ 'h', "host" }, { 'u', "user" }, { 'd', "/home/user" },
		{ '\0', NULL },
	};
	char *copy, *cp, *r = NULL;
	uint64_t u;
	long l;

	if (convtime(s, &l) == 0)
		CHECK(l >= 0 && l <= INT_MAX);
	(void)parse_size(s, &u);
	(void)parse_absolute_time(s, &u);
	(void)a2port(s);
	if (percent_expand(s, map, &r) == 0)
		CHECK(r != NULL);
	free(r);
	if ((copy = strdup(s)) == NULL)
		return;
	cp = copy;
	while (strdelim(&cp) != NULL)
		;
	strlcpy(copy, s, strlen(s) + 1);
	cp = copy;
	while (cp != NULL && hpdelim(&cp) != NULL)
		;
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *list;

	/* Config lines and lists are short; bound the quadratic matchers. */
	if (size > 4096)
		return 0;
	if ((buf = malloc(size + 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	fuzz_argv(buf);
	fuzz_misc(buf);
	if ((list = strchr(buf, '\n')) != NULL)
		*list++ = '\0';
	else
		list = buf;
	fuzz_match(buf, list);
	free(buf);
	return 0;
}
