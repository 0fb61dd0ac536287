/*
 * authopts_fuzz.c: libFuzzer target for authorized_keys lines.
 *
 * Each input line is parsed as an authorized_keys line and its start as
 * an options field alone.  Whatever is accepted must be consistent: the
 * permission flags are 0 or 1, lists are bounded and well formed, and
 * the checks answer 0 or 1.
 */
#include "includes.h"

#include "auth/auth-options.h"
#include "errcode.h"
#include "key.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
	    #x); \
	abort(); \
	} } while (0)

static void
check_opts(const struct authopts *o)
{
	size_t i;
	int v;

	CHECK(o->permit_pty == 0 || o->permit_pty == 1);
	CHECK(o->permit_port_forwarding == 0 ||
	    o->permit_port_forwarding == 1);
	CHECK(o->nenv <= AUTHOPTS_MAX_LIST);
	for (i = 0; i < o->nenv; i++)
		CHECK(strchr(o->env[i], '=') != NULL);
	for (i = 0; i < o->npermitopen; i++)
		CHECK(strchr(o->permitopen[i], ':') != NULL);
	for (i = 0; i < o->npermitlisten; i++)
		CHECK(strchr(o->permitlisten[i], ':') != NULL);
	v = authopts_from_ok(o, "host.example.com", "10.1.2.3");
	CHECK(v == 0 || v == 1);
	v = authopts_permitopen_ok(o, "localhost", 80);
	CHECK(v == 0 || v == 1);
	v = authopts_permitlisten_ok(o, "localhost", 80);
	CHECK(v == 0 || v == 1);
	CHECK(authopts_expired(o, 0) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int inited;
	struct authopts *o = NULL;
	struct key *k = NULL;
	const char *err = NULL, *end = NULL;
	char *line, *comment = NULL;

	if (!inited) {
		log_init("authopts_fuzz", LOG_LEVEL_QUIET, LOG_FACILITY_USER,
		    1);
		inited = 1;
	}
	if ((line = malloc(size + 1)) == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (authkeys_parse_line(line, &o, &k, &comment, &err) == 0) {
		CHECK(o != NULL && k != NULL);
		check_opts(o);
		authopts_free(o);
		key_free(k);
		free(comment);
	} else
		CHECK(o == NULL && k == NULL);
	o = NULL;
	if (authopts_parse(line, &o, &end, &err) == 0) {
		CHECK(end != NULL && end >= line && end <= line + size);
		check_opts(o);
		authopts_free(o);
	} else
		CHECK(o == NULL && err != NULL);
	free(line);
	return 0;
}
