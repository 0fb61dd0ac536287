/*
 * scp_proto_fuzz.c: libFuzzer target for scp-proto.c, the parsers of
 * what a legacy scp peer sends (C/D/T records), the patterns incoming
 * names are checked against, and the location arguments.
 *
 * Each input is tried as every kind of text.  A parsed record must be
 * within its documented bounds and survive being written and parsed
 * again; patterns and locations must answer within their contracts.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "scp-proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
	    #x); \
	abort(); \
	} } while (0)

/* A parsed record written back must parse to the same fields. */
static void
fuzz_roundtrip(const struct scp_record *rec)
{
	struct scp_record again;
	struct buf *b;
	const char *why;

	if (strchr(rec->name, '\n') != NULL)
		return;	/* sent escaped: not the same bytes by design */
	CHECK((b = buf_new()) != NULL);
	CHECK(scp_put_record(b, rec->type, rec->mode, rec->size,
	    rec->name) == 0);
	CHECK(buf_consume_end(b, 1) == 0);	/* the newline */
	CHECK(scp_parse_record(b, &again, &why) == 0);
	CHECK(again.type == rec->type && again.mode == rec->mode &&
	    again.size == rec->size && strcmp(again.name, rec->name) == 0);
	scp_record_clear(&again);
	buf_free(b);
}

static void
fuzz_records(const uint8_t *data, size_t size)
{
	struct scp_record rec;
	struct scp_times t;
	struct buf *b;
	const char *why = NULL;
	int r;

	CHECK((b = buf_from(data, size)) != NULL);
	r = scp_parse_record(b, &rec, &why);
	if (r == 0) {
		CHECK(rec.type == 'C' || rec.type == 'D');
		CHECK(rec.mode <= 07777);
		CHECK(rec.size <= (uint64_t)INT64_MAX);
		CHECK(rec.name != NULL);
		(void)scp_name_is_safe(rec.name);
		fuzz_roundtrip(&rec);
		scp_record_clear(&rec);
	} else {
		CHECK(r == ERR_INVALID_FORMAT || r == ERR_ALLOC_FAIL);
		CHECK(r != ERR_INVALID_FORMAT || why != NULL);
	}
	buf_free(b);

	CHECK((b = buf_from(data, size)) != NULL);
	r = scp_parse_times(b, &t, &why);
	CHECK(r == 0 || (r == ERR_INVALID_FORMAT && why != NULL));
	CHECK(r != 0 || t.in_range == 0 || t.in_range == 1);
	buf_free(b);
}

static void
fuzz_text(const char *s)
{
	struct scp_patterns p;
	struct scp_location loc;
	size_t i;
	int r;

	r = scp_patterns_from_path(s, &p);
	CHECK(r == 0 || r == ERR_NO_BUFFER_SPACE || r == ERR_ALLOC_FAIL);
	if (r == 0) {
		CHECK(p.n >= 1 && p.n <= SCP_PATTERNS_MAX);
		for (i = 0; i < p.n; i++) {
			CHECK(strchr(p.list[i], '/') == NULL);
			CHECK(strlen(p.list[i]) <= strlen(s));
		}
		(void)scp_patterns_match(&p, "name");
		scp_patterns_free(&p);
	}
	r = scp_parse_location(s, &loc);
	CHECK(r == 0 || r == ERR_INVALID_FORMAT || r == ERR_ALLOC_FAIL);
	if (r == 0) {
		CHECK(loc.path != NULL);
		CHECK(loc.port == -1 || (loc.port > 0 && loc.port <= 65535));
		CHECK((loc.host != NULL) == scp_is_remote(s));
		if (loc.user != NULL)
			(void)scp_user_is_ok(loc.user);
		scp_location_free(&loc);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	fuzz_records(data, size);
	if (size > SCP_LINE_MAX)
		return 0;
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_text(s);
	free(s);
	return 0;
}
