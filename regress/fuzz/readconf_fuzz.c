/*
 * readconf_fuzz.c: libFuzzer target for ssh_config parsing.
 *
 * The input is a config file, read for one host in a first and a final
 * pass, then finished and dumped as ssh -G would.  "Match exec" goes to
 * a callback that runs nothing.  Include lines only reach directories
 * that do not exist.
 */
#include "includes.h"

#include "errcode.h"
#include "log.h"
#include "readconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
	    #x); \
	abort(); \
	} } while (0)

static int
no_exec(const char *cmd, void *arg)
{
	(void)arg;
	return strlen(cmd) % 2;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int inited;
	struct readconf_ctx ctx = {
		"fuzz", "/nonexistent/home", 1000, "box", "box.example.org",
		"Host.Example", no_exec, NULL
	};
	struct readconf *o;
	char *text, *p = NULL;
	size_t len = 0;
	FILE *f;

	if (!inited) {
		log_init("readconf_fuzz", LOG_LEVEL_QUIET, LOG_FACILITY_USER,
		    1);
		inited = 1;
	}
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if ((o = readconf_new()) == NULL) {
		free(text);
		return 0;
	}
	if (readconf_read_string(o, "fuzz", text, "host.example", &ctx,
	    READCONF_USER) == 0 &&
	    readconf_read_string(o, "fuzz", text, "host.example", &ctx,
	    READCONF_USER | READCONF_FINAL) == 0 &&
	    readconf_finish(o, &ctx, size % 2) == 0) {
		CHECK((f = open_memstream(&p, &len)) != NULL);
		CHECK(readconf_dump(o, f) == 0);
		fclose(f);
		CHECK(strncmp(p, "host host.example\n", 18) == 0);
		free(p);
	}
	readconf_free(o);
	free(text);
	return 0;
}
