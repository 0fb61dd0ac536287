/*
 * servconf_fuzz.c: libFuzzer target for sshd_config parsing.
 *
 * The input is a config file.  It is evaluated globally and for a
 * connection, dumped as sshd -T would, and handed over through
 * servconf_text_serialise/_deserialise, which must give the same
 * options.  The input is also fed to servconf_text_deserialise as raw
 * bytes.  Include lines only reach a directory that does not exist.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "servconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
	    #x); \
	abort(); \
	} } while (0)

static char *
dump(const struct servconf *o)
{
	char *p = NULL;
	size_t len = 0;
	FILE *f;

	CHECK((f = open_memstream(&p, &len)) != NULL);
	CHECK(servconf_dump(o, f) == 0);
	fclose(f);
	return p;
}

static void
fuzz_text(const char *text)
{
	struct servconf_text *t = NULL, *t2 = NULL;
	struct servconf_conn *c = NULL;
	struct servconf *o = NULL, *o2 = NULL;
	struct buf *b;
	char *d1, *d2;

	if (servconf_text_from_string("fuzz", text, "/nonexistent/keel",
	    &t) != 0)
		return;
	CHECK(servconf_conn_parse("user=root,host=h.example.com,"
	    "addr=10.1.2.3,laddr=127.0.0.1,lport=22,rdomain=r", &c) == 0);
	if (servconf_evaluate(t, c, &o) == 0)
		servconf_free(o);
	o = NULL;
	if (servconf_evaluate(t, NULL, &o) == 0) {
		CHECK((b = buf_new()) != NULL);
		CHECK(servconf_text_serialise(t, b) == 0);
		CHECK(servconf_text_deserialise(b, &t2) == 0);
		CHECK(servconf_evaluate(t2, NULL, &o2) == 0);
		/* The dump resolves ListenAddress names: no DNS here. */
		if (o->num_listen == 0) {
			d1 = dump(o);
			d2 = dump(o2);
			CHECK(strcmp(d1, d2) == 0);
			free(d1);
			free(d2);
		}
		servconf_free(o2);
		servconf_text_free(t2);
		buf_free(b);
		servconf_free(o);
	}
	servconf_conn_free(c);
	servconf_text_free(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int inited;
	struct servconf_text *t = NULL;
	struct buf *b;
	char *text;

	if (!inited) {
		log_init("servconf_fuzz", LOG_LEVEL_QUIET, LOG_FACILITY_USER,
		    1);
		inited = 1;
	}
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	fuzz_text(text);
	free(text);
	if ((b = buf_from(data, size)) != NULL) {
		if (servconf_text_deserialise(b, &t) == 0)
			servconf_text_free(t);
		buf_free(b);
	}
	return 0;
}
