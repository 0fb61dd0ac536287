/*
 * hostfile_fuzz.c: libFuzzer target for known_hosts files.
 *
 * The input is written to a temporary file, walked line by line, and
 * searched for a few names (plain, [host]:port, one that the seed's
 * hashed entries name); every lookup must answer with one of the
 * documented states.  Each parsed key must format back into a line that
 * parses to the same key.
 */
#include "includes.h"

#include "errcode.h"
#include "hostfile.h"
#include "key.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
	    #x); \
	abort(); \
	} } while (0)

static char path[64];
static struct key *probe;

static int
line_cb(const struct hostfile_line *l, void *ctx)
{
	char *line = NULL;

	(void)ctx;
	if (l->is_comment || l->is_invalid)
		return 0;
	CHECK(l->key != NULL && l->hosts != NULL);
	CHECK(l->marker == MRK_NONE || l->marker == MRK_REVOKE ||
	    l->marker == MRK_CA);
	if (hostfile_format_entry(l->hosts, l->key, l->marker, 0, NULL,
	    &line) == 0) {
		CHECK(strstr(line, key_type_name(l->key)) != NULL);
		free(line);
	}
	return 0;
}

static void
lookup(const char *host)
{
	const struct hostkey_entry *e;
	struct hostkeys *hk;
	enum hostfile_status st;
	u_int i;

	if ((hk = hostkeys_new()) == NULL)
		return;
	if (hostkeys_load_file(hk, host, path, 1) == 0) {
		st = hostkeys_check(hk, probe, &e);
		CHECK(st == HOST_OK || st == HOST_NEW || st == HOST_CHANGED ||
		    st == HOST_REVOKED);
		CHECK((st == HOST_NEW) == (e == NULL));
		for (i = 0; i < hk->num_entries; i++)
			CHECK(hk->entries[i].key != NULL);
		if (hk->num_entries > 0)
			(void)hostkeys_check(hk, hk->entries[0].key, NULL);
	}
	hostkeys_free(hk);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f;
	int fd;

	if (path[0] == '\0') {
		log_init("hostfile_fuzz", LOG_LEVEL_QUIET, LOG_FACILITY_USER,
		    1);
		strlcpy(path, "/tmp/hostfile_fuzz.XXXXXX", sizeof(path));
		if ((fd = mkstemp(path)) == -1)
			abort();
		close(fd);
		if (key_generate(KEY_ED25519, 0, &probe) != 0)
			abort();
	}
	if ((f = fopen(path, "w")) == NULL)
		return 0;
	if (size > 0 && fwrite(data, size, 1, f) != 1) {
		fclose(f);
		return 0;
	}
	fclose(f);
	(void)hostfile_foreach(path, NULL, line_cb, NULL);
	(void)hostfile_foreach(path, "host1", line_cb, NULL);
	lookup("host1");
	lookup("[host2]:2222");
	lookup("10.0.0.1");
	return 0;
}
