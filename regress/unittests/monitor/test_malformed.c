/*
 * test_malformed.c: every request body cut at every offset, with a byte
 * too many, with a huge length, with an interior NUL, and with each bit
 * flipped: refused (or, for flips that leave a well-formed request,
 * answered properly), never a crash.
 */
#include "includes.h"

#include "../test_helper/test_helper.h"
#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "log.h"
#include "monitor.h"
#include "test_monitor.h"

/* A monitor in which a well-formed request of this type succeeds. */
static struct monitor *
ready_for(uint8_t type)
{
	struct monitor_options o;
	struct monitor *m;
	struct buf *req;

	tm_default_opts(&o);
	m = tm_monitor(&o);
	if (type == MONITOR_REQ_AUTHPASSWORD ||
	    type == MONITOR_REQ_KEYALLOWED) {
		req = tm_req_pwnam("alice");
		buf_free(tm_ok(m, MONITOR_REQ_PWNAM, req, MONITOR_ANS_PWNAM));
		buf_free(req);
	}
	return m;
}

static int
try_body(uint8_t type, const u_char *p, size_t len)
{
	struct monitor *m = ready_for(type);
	struct buf *req, *ans;
	uint8_t anstype;
	int r;

	ASSERT_PTR_NE(req = buf_from(p, len), NULL);
	r = tm_dispatch(m, type, req, &ans, &anstype);
	if (r == 0)
		ASSERT_U8_EQ(anstype, monitor_request_lookup(type)->answer);
	else
		ASSERT_SIZE_T_EQ(buf_len(ans), 0);
	buf_free(ans);
	buf_free(req);
	monitor_free(m);
	return r;
}

/* The checks for one valid request body. */
static void
check_body(const char *name, uint8_t type, const struct buf *good,
    size_t first_string_at, int flips)
{
	struct buf *b;
	u_char *p;
	size_t i, len = buf_len(good);
	char title[128];
	int r;

	snprintf(title, sizeof(title), "malformed %s requests", name);
	TEST_START(title);
	ASSERT_INT_EQ(try_body(type, buf_ptr(good), len), 0);
	for (i = 0; i < len; i++)
		ASSERT_INT_LT(try_body(type, buf_ptr(good), i), 0);
	/* One byte too many. */
	ASSERT_PTR_NE(b = buf_from_copy(buf_ptr(good), len), NULL);
	ASSERT_INT_EQ(buf_put_u8(b, 0), 0);
	ASSERT_INT_EQ(try_body(type, buf_ptr(b), buf_len(b)),
	    ERR_UNEXPECTED_TRAILING_DATA);
	buf_free(b);
	/* The first string's length made huge. */
	ASSERT_PTR_NE(b = buf_from_copy(buf_ptr(good), len), NULL);
	p = buf_mutable_ptr(b);
	memset(p + first_string_at, 0xff, 4);
	ASSERT_INT_LT(try_body(type, buf_ptr(b), buf_len(b)), 0);
	p[first_string_at] = 0x7f;
	ASSERT_INT_LT(try_body(type, buf_ptr(b), buf_len(b)), 0);
	buf_free(b);
	/* Every single bit flipped: a clean answer or a refusal. */
	for (i = 0; flips && i < len * 8; i++) {
		ASSERT_PTR_NE(b = buf_from_copy(buf_ptr(good), len), NULL);
		p = buf_mutable_ptr(b);
		p[i / 8] ^= (u_char)(1 << (i % 8));
		r = try_body(type, buf_ptr(b), buf_len(b));
		ASSERT_INT_LE(r, 0);
		buf_free(b);
	}
	TEST_DONE();
}

/* A cstring field holding an interior NUL is refused. */
static void
check_nul(const char *name, uint8_t type, int with_level)
{
	struct buf *b;
	char title[128];

	snprintf(title, sizeof(title), "%s with an interior NUL", name);
	TEST_START(title);
	ASSERT_PTR_NE(b = buf_new(), NULL);
	if (with_level)
		ASSERT_INT_EQ(buf_put_u32(b, LOG_LEVEL_INFO), 0);
	ASSERT_INT_EQ(buf_put_string(b, "ali\0ce", 6), 0);
	ASSERT_INT_EQ(try_body(type, buf_ptr(b), buf_len(b)),
	    ERR_INVALID_FORMAT);
	buf_free(b);
	TEST_DONE();
}

void
test_malformed(void)
{
	struct buf *b;
	struct key *pub;
	u_char hash[32];

	b = tm_req_log(LOG_LEVEL_DEBUG3, "a log line");
	check_body("LOG", MONITOR_REQ_LOG, b, 4, 1);
	buf_free(b);
	b = tm_req_pwnam("alice");
	check_body("PWNAM", MONITOR_REQ_PWNAM, b, 0, 1);
	buf_free(b);
	b = tm_req_password("secret");
	check_body("AUTHPASSWORD", MONITOR_REQ_AUTHPASSWORD, b, 0, 1);
	buf_free(b);
	b = tm_req_keyallowed(tm_userkey);
	check_body("KEYALLOWED", MONITOR_REQ_KEYALLOWED, b, 4, 1);
	buf_free(b);
	memset(hash, 0x5a, sizeof(hash));
	pub = tm_public(tm_host_ed25519);
	b = tm_req_sign(pub, "ssh-ed25519", hash, sizeof(hash));
	/* Each flip costs a signature: only the fast path skips them. */
	check_body("SIGN", MONITOR_REQ_SIGN, b, 0, !test_is_fast());
	buf_free(b);
	key_free(pub);
	check_nul("PWNAM", MONITOR_REQ_PWNAM, 0);
	check_nul("AUTHPASSWORD", MONITOR_REQ_AUTHPASSWORD, 0);
	check_nul("LOG", MONITOR_REQ_LOG, 1);
}
