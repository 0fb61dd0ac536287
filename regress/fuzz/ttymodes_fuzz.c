/*
 * ttymodes_fuzz.c: libFuzzer target for the RFC 4254 section 8 terminal
 * modes parser.  Whatever decodes must re-encode to a stream that decodes
 * to the same settings (the encoding of a decoding is a fixed point),
 * and a refused stream must leave the settings untouched.
 */
#include "includes.h"

#include <termios.h>

#include "buf.h"
#include "errcode.h"
#include "ttymodes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
	    #x); \
	abort(); \
	} } while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct termios t, before, t2, t3;
	struct buf *e1, *e2;
	int r;

	memset(&t, 0, sizeof(t));
	cfsetispeed(&t, B9600);
	cfsetospeed(&t, B9600);
	before = t;
	r = ttymodes_decode(data, size, &t);
	if (r != 0) {
		CHECK(r == ERR_MESSAGE_INCOMPLETE);
		CHECK(memcmp(&t, &before, sizeof(t)) == 0);
		return 0;
	}
	CHECK((e1 = buf_new()) != NULL && (e2 = buf_new()) != NULL);
	CHECK(ttymodes_encode(&t, e1) == 0);
	t2 = before;
	CHECK(ttymodes_decode(buf_ptr(e1), buf_len(e1), &t2) == 0);
	CHECK(ttymodes_encode(&t2, e2) == 0);
	CHECK(buf_equals(e1, e2));
	/* Decoding the same stream again changes nothing more. */
	t3 = t2;
	CHECK(ttymodes_decode(buf_ptr(e2), buf_len(e2), &t3) == 0);
	CHECK(memcmp(&t2, &t3, sizeof(t2)) == 0);
	buf_free(e1);
	buf_free(e2);
	return 0;
}
