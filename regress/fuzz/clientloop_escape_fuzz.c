/*
 * clientloop_escape_fuzz.c: libFuzzer target for ssh's escape-sequence
 * scanner (cl_esc_scan() in clientloop-escape.c) and the ~C command
 * line.
 *
 * The first byte is the escape character, the second the chunk size;
 * the rest is typed input.  Checked: the scanner consumes every byte,
 * never emits more than it read (plus one held escape character), stops
 * only on a command, and gives the same bytes and commands however the
 * input is cut into chunks.
 */
#include "includes.h"

#include "buf.h"
#include "clientloop-impl.h"
#include "errcode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
	    #x); \
	abort(); \
	} } while (0)

#define MAX_ACTS	4096

/* Scan in chunks of at most chunk bytes; the commands go to acts. */
static size_t
scan(int esc, const u_char *in, size_t len, size_t chunk, struct buf *out,
    u_char *acts)
{
	struct cl_esc e;
	enum cl_esc_action act;
	size_t off = 0, n, used, na = 0;

	cl_esc_init(&e, esc);
	while (off < len) {
		n = MINIMUM(chunk, len - off);
		CHECK(cl_esc_scan(&e, in + off, n, out, &used, &act) == 0);
		CHECK(used <= n);
		if (act == CL_ESC_NONE)
			CHECK(used == n);
		else {
			CHECK(used > 0);
			CHECK(na < MAX_ACTS);
			acts[na++] = (u_char)act;
		}
		off += used;
	}
	return na;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static u_char acts1[MAX_ACTS], acts2[MAX_ACTS];
	struct buf *o1, *o2, *h;
	size_t n1, n2, chunk;
	char line[256];
	int esc;

	if (size < 2 || size - 2 > MAX_ACTS)
		return 0;
	esc = data[0];
	chunk = data[1] == 0 ? 1 : data[1];
	data += 2;
	size -= 2;
	CHECK((o1 = buf_new()) != NULL && (o2 = buf_new()) != NULL);
	n1 = scan(esc, data, size, size == 0 ? 1 : size, o1, acts1);
	n2 = scan(esc, data, size, chunk, o2, acts2);
	CHECK(buf_equals(o1, o2));
	CHECK(n1 == n2 && memcmp(acts1, acts2, n1) == 0);
	/* Every command eats two bytes; a sent byte comes from one typed. */
	CHECK(buf_len(o1) + 2 * n1 <= size + 1);
	/* The ~C reply to the input taken as one line. */
	memset(line, 0, sizeof(line));
	memcpy(line, data, MINIMUM(size, sizeof(line) - 1));
	CHECK((h = buf_new()) != NULL);
	CHECK(cl_esc_cmdline(line, h) == 0);
	CHECK(cl_esc_help(esc, h) == 0);
	buf_free(h);
	buf_free(o1);
	buf_free(o2);
	return 0;
}
