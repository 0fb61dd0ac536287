/*
 * monitor_fuzz.c: libFuzzer target for the monitor's request checks and
 * parsers (monitor_dispatch), in every phase, with the hooks replaced by
 * stand-ins that touch nothing of the system.
 *
 * Input: one byte choosing the starting state, then messages, each
 *	byte type, uint16 length, length bytes of body.
 * State byte bit 0: post-auth phase (after a stand-in user "alice" has
 * authenticated and a session id has been signed); bit 1: PWNAM already
 * made; bit 2: the session id signed (pre-auth: KEYVERIFY can succeed);
 * bit 3: authenticated but still pre-auth (STATE is allowed).  Bits 4-5
 * PermitRootLogin, bit 6 PermitEmptyPasswords.  A refused request ends
 * the run, as it ends the real monitor.
 *
 * Ptys are pipes named /dev/pts/fuzz (never a real tty, so LOGOUT's
 * pty_release finds nothing), login records go to /dev/null and the
 * nologin file is a path that does not exist.
 *
 * State byte 0xff instead feeds the rest to monitor_authopts_get(), the
 * parser of key options on the monitor wire (see fz_authopts).
 *
 * The host key is a fixed Ed25519 key (seed 0x01 * 32) so the corpus can
 * hold SIGN requests that reach the signing code; the user key allowed
 * is any Ed25519 key, and the corpus signs with seed 0x02 * 32 over the
 * session id 0x42 * 32 (the one the set-up signs), so KEYVERIFY
 * requests reach the verification.
 */
#include "includes.h"

#include <openssl/evp.h>

#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "log.h"
#include "auth/auth-options.h"
#include "loginrec.h"
#include "monitor.h"
#include "monitor-keys.h"
#include "uidswap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
	    #x); \
	abort(); \
	} } while (0)

static struct passwd *
fz_getpwnam(const char *user, void *ctx)
{
	struct passwd pw;

	(void)ctx;
	if (strcmp(user, "alice") != 0 && strcmp(user, "root") != 0)
		return NULL;
	memset(&pw, 0, sizeof(pw));
	pw.pw_name = (char *)user;
	pw.pw_passwd = "x";
	pw.pw_uid = strcmp(user, "root") == 0 ? 0 : 1000;
	pw.pw_gid = pw.pw_uid;
	pw.pw_dir = "/home/alice";
	pw.pw_shell = "/bin/sh";
	return pw_dup(&pw);
}

static int
fz_user_allowed(const struct passwd *pw, void *ctx)
{
	(void)ctx;
	(void)pw;
	return 1;
}

static int
fz_auth_password(const struct passwd *pw, const char *password,
    int permit_empty, int *okp, void *ctx)
{
	(void)ctx;
	*okp = pw != NULL && (strcmp(password, "secret") == 0 ||
	    (permit_empty && *password == '\0'));
	return 0;
}

static int
fz_key_allowed(const struct passwd *pw, const struct key *key,
    int *allowedp, struct buf *opts, void *ctx)
{
	struct authopts *o;
	int r;

	(void)ctx;
	(void)pw;
	*allowedp = key_type(key) == KEY_ED25519;
	if (!*allowedp)
		return 0;
	if ((o = authopts_new()) == NULL)
		return ERR_ALLOC_FAIL;
	o->restricted = 1;
	o->permit_pty = 0;
	r = monitor_authopts_put(opts, o);
	authopts_free(o);
	return r;
}

static int
fz_pty_allocate(const struct passwd *pw, int *ptyfd, int *ttyfd,
    char *name, size_t namelen, void *ctx)
{
	int p[2];

	(void)ctx;
	(void)pw;
	if (pipe(p) != 0)
		return ERR_ERRNO;
	*ptyfd = p[0];
	*ttyfd = p[1];
	strlcpy(name, "/dev/pts/fuzz", namelen);
	return 0;
}

static const struct monitor_hooks fz_hooks = {
	fz_getpwnam, fz_user_allowed, fz_auth_password, fz_key_allowed,
	fz_pty_allocate, NULL, NULL
};

static struct key *
fz_hostkey(void)
{
	u_char seed[32];
	EVP_PKEY *pkey;
	struct key *k = NULL;

	memset(seed, 0x01, sizeof(seed));
	CHECK((pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL,
	    seed, sizeof(seed))) != NULL);
	CHECK(key_from_evp(pkey, &k) == 0);
	EVP_PKEY_free(pkey);
	return k;
}

/* Run one well-formed request that must succeed (state set-up). */
static void
fz_must(struct monitor *m, uint8_t type, struct buf *req)
{
	struct buf *ans;
	uint8_t anstype;

	CHECK((ans = buf_new()) != NULL);
	CHECK(monitor_dispatch(m, type, req, ans, &anstype) == 0);
	buf_free(ans);
	buf_reset(req);
}

static struct monitor *
fz_monitor(uint8_t state)
{
	struct monitor_options o;
	struct loginrec_paths lp;
	struct monitor *m = NULL;
	struct buf *req;
	struct key *pub = NULL, *hk = fz_hostkey();
	u_char hash[32];

	memset(&o, 0, sizeof(o));
	o.password_authentication = o.pubkey_authentication = 1;
	o.permit_root_login = (enum monitor_permit_root)(state >> 4 & 3);
	o.permit_empty_passwords = (state >> 6) & 1;
	o.max_auth_tries = 3;
	CHECK(monitor_new(-1, &o, &m) == 0);
	monitor_set_hooks(m, &fz_hooks);
	CHECK(monitor_set_nologin_path(m, "/nonexistent/nologin") == 0);
	lp.utmp = lp.wtmp = lp.lastlog = "/dev/null";
	CHECK(monitor_set_loginrec_paths(m, &lp) == 0);
	CHECK(key_demote(hk, &pub) == 0);
	CHECK(monitor_add_host_key(m, hk) == 0);
	CHECK((req = buf_new()) != NULL);
	if ((state & 0x0b) != 0) {
		CHECK(buf_put_cstring(req, "alice") == 0);
		fz_must(m, MONITOR_REQ_PWNAM, req);
	}
	if ((state & 0x0d) != 0) {
		memset(hash, 0x42, sizeof(hash));
		CHECK(key_puts(pub, req) == 0);
		CHECK(buf_put_cstring(req, "") == 0);
		CHECK(buf_put_string(req, hash, sizeof(hash)) == 0);
		fz_must(m, MONITOR_REQ_SIGN, req);
	}
	if ((state & 0x09) != 0) {
		CHECK(buf_put_cstring(req, "secret") == 0);
		fz_must(m, MONITOR_REQ_AUTHPASSWORD, req);
		CHECK(monitor_authenticated(m));
	}
	if ((state & 1) != 0)
		monitor_set_phase(m, MON_PHASE_POSTAUTH);
	buf_free(req);
	key_free(pub);
	return m;
}

/*
 * The options parser: what it accepts re-encodes to a form that decodes
 * and re-encodes to itself (the input need not be canonical: a string
 * may end in one NUL, which the cstring getter drops).
 */
static void
fz_authopts(struct buf *in)
{
	struct authopts *o = NULL, *o2 = NULL;
	struct buf *out, *out2;

	if (monitor_authopts_get(in, &o) != 0) {
		CHECK(o == NULL);
		return;
	}
	CHECK((out = buf_new()) != NULL && (out2 = buf_new()) != NULL);
	CHECK(monitor_authopts_put(out, o) == 0);
	CHECK(monitor_authopts_put(out2, o) == 0);
	CHECK(monitor_authopts_get(out2, &o2) == 0);
	CHECK(buf_len(out2) == 0);
	CHECK(monitor_authopts_put(out2, o2) == 0);
	CHECK(buf_equals(out, out2));
	buf_free(out);
	buf_free(out2);
	authopts_free(o);
	authopts_free(o2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	struct monitor *m;
	struct buf *in, *req, *ans;
	const u_char *body;
	uint8_t state, type, anstype;
	uint16_t len;
	int fds[2], auth_before;
	size_t nfds;

	if (!initialised) {
		log_init("monitor_fuzz", LOG_LEVEL_QUIET, LOG_FACILITY_NOT_SET,
		    1);
		initialised = 1;
	}
	CHECK((in = buf_from(data, size)) != NULL);
	if (buf_get_u8(in, &state) != 0 || state == 0xff) {
		if (state == 0xff)
			fz_authopts(in);
		buf_free(in);
		return 0;
	}
	m = fz_monitor(state);
	CHECK((ans = buf_new()) != NULL);
	while (buf_get_u8(in, &type) == 0 && buf_get_u16(in, &len) == 0) {
		if (buf_len(in) < len)
			break;
		body = buf_ptr(in);
		CHECK((req = buf_from(body, len)) != NULL);
		CHECK(buf_consume(in, len) == 0);
		auth_before = monitor_authenticated(m);
		if (monitor_dispatch(m, type, req, ans, &anstype) != 0) {
			/* Refused: nothing to send, the monitor would end. */
			CHECK(buf_len(ans) == 0 && anstype == 0);
			buf_free(req);
			break;
		}
		/* Answers are exactly what the table says. */
		CHECK(anstype == monitor_request_lookup(type)->answer);
		/* Only a password or a signature can authenticate. */
		if (!auth_before && monitor_authenticated(m)) {
			CHECK(type == MONITOR_REQ_AUTHPASSWORD ||
			    type == MONITOR_REQ_KEYVERIFY);
			CHECK(strcmp(monitor_auth_method(m),
			    type == MONITOR_REQ_KEYVERIFY ? "publickey" :
			    "password") == 0);
			CHECK(monitor_authopts(m) != NULL);
		}
		nfds = monitor_take_fds(m, fds, 2);
		CHECK(nfds == 0 || type == MONITOR_REQ_PTY);
		while (nfds > 0)
			close(fds[--nfds]);
		buf_free(req);
	}
	buf_free(ans);
	buf_free(in);
	monitor_free(m);
	return 0;
}
