/*
 * monitor-auth.c: the monitor's authentication requests (monitor.h):
 * AUTHINFO, AUTHPASSWORD, KEYALLOWED, KEYVERIFY and STATE.
 *
 * The child is hostile: the publickey signed data is re-parsed here
 * field by field and must name this connection's session, the user of
 * PWNAM, and a key allowed earlier, before any signature is checked.
 */
#include "includes.h"

#include <pwd.h>

#include "auth/auth-options.h"
#include "auth/auth-passwd.h"
#include "buf.h"
#include "digest.h"
#include "errcode.h"
#include "kex-names.h"
#include "key.h"
#include "log.h"
#include "match.h"
#include "monitor.h"
#include "monitor-impl.h"
#include "monitor-keys.h"
#include "monitor-wrap.h"
#include "ssh2.h"

/* ------------------------------------------------------------ policy */

int
mon_authinfo_default(struct monitor *m)
{
	monitor_authinfo_clear(&m->ai);
	m->ai.pubkey_authentication = m->opts.pubkey_authentication;
	m->ai.password_authentication = m->opts.password_authentication;
	m->ai.permit_empty_passwords = m->opts.permit_empty_passwords;
	m->ai.max_auth_tries = m->opts.max_auth_tries;
	return 0;
}

/* The signature algorithms the user's policy accepts. */
static const char *
mon_accepted_algs(const struct monitor *m)
{
	if (m->ai.pubkey_accepted_algorithms == NULL ||
	    *m->ai.pubkey_accepted_algorithms == '\0')
		return KEX_DEFAULT_SIG_ALGS;
	return m->ai.pubkey_accepted_algorithms;
}

int
mon_authinfo(struct monitor *m, struct buf *req, struct buf *ans)
{
	const char *banner = m->nologin ? m->nologin_msg : m->ai.banner;
	int r;

	if (buf_len(req) != 0)
		return ERR_UNEXPECTED_TRAILING_DATA;
	if ((r = buf_put_u32(ans, m->ai.pubkey_authentication != 0)) != 0 ||
	    (r = buf_put_u32(ans, m->ai.password_authentication != 0)) != 0 ||
	    (r = buf_put_u32(ans, m->ai.permit_empty_passwords != 0)) != 0 ||
	    (r = buf_put_u32(ans, m->ai.max_auth_tries)) != 0 ||
	    (r = buf_put_cstring(ans, mon_accepted_algs(m))) != 0 ||
	    (r = buf_put_cstring(ans, banner != NULL ? banner : "")) != 0)
		return r;
	return 0;
}

/* The user is authenticated by method with opts (taken over). */
static void
mon_auth_decided(struct monitor *m, const char *method, struct authopts *o)
{
	authopts_free(m->authopts);
	m->authopts = o;
	m->auth_method = method;
	m->auth_result = 1;
}

void
mon_auth_free(struct monitor *m)
{
	size_t i;

	for (i = 0; i < m->nallowed; i++) {
		buf_free(m->allowed[i].blob);
		authopts_free(m->allowed[i].opts);
	}
	m->nallowed = 0;
	authopts_free(m->authopts);
	m->authopts = NULL;
}

/* ------------------------------------------------------------ passwords */

/* May this (valid) user use a password at all? */
static int
mon_password_permitted(const struct monitor *m)
{
	if (!m->opts.password_authentication || m->pw == NULL || m->nologin)
		return 0;
	if (m->pw->pw_uid == 0 &&
	    m->opts.permit_root_login != MONITOR_ROOT_YES)
		return 0;
	return 1;
}

static void
mon_password_result(struct monitor *m, int ok)
{
	struct authopts *o;

	if (ok && (o = authopts_new()) == NULL) {
		error_f("out of memory");
		ok = 0;
	}
	if (ok) {
		mon_auth_decided(m, "password", o);
		logit("Accepted password for %s from %s port %d ssh2",
		    m->user, mon_remote_ip(m), m->remote_port);
		return;
	}
	m->password_failures++;
	logit("Failed password for %s%s from %s port %d ssh2",
	    m->pw == NULL ? "invalid user " : "", m->user, mon_remote_ip(m),
	    m->remote_port);
}

int
mon_authpassword(struct monitor *m, struct buf *req, struct buf *ans)
{
	char *password = NULL;
	size_t len = 0;
	int r, ok = 0;

	if (m->opts.max_auth_tries != 0 &&
	    m->password_failures >= m->opts.max_auth_tries) {
		error_f("password request after %u failures",
		    m->password_failures);
		return ERR_PROTOCOL_ERROR;
	}
	if ((r = buf_get_cstring(req, &password, &len)) != 0)
		return r;
	if (buf_len(req) != 0 || len > MONITOR_MAX_PASSWORD) {
		r = buf_len(req) != 0 ? ERR_UNEXPECTED_TRAILING_DATA :
		    ERR_INVALID_FORMAT;
		goto out;
	}
	/* Refused users still pay for a hash: the timing says nothing. */
	if ((r = m->hooks.auth_password(mon_password_permitted(m) ? m->pw :
	    NULL, password, m->opts.permit_empty_passwords, &ok,
	    m->hooks.ctx)) != 0) {
		error_fr(r, "password check for %s", m->user);
		ok = 0;
	}
	ok = ok && mon_password_permitted(m);
	mon_password_result(m, ok);
	r = buf_put_u32(ans, (uint32_t)ok);
 out:
	if (password != NULL)
		freezero(password, len);
	return r;
}

/* ------------------------------------------------------------ KEYALLOWED */

static int
mon_key_check(struct monitor *m, const struct key *key, int *allowedp,
    struct buf *opts)
{
	int r;

	*allowedp = 0;
	if (!m->opts.pubkey_authentication || m->pw == NULL)
		return 0;
	if (m->hooks.key_allowed == NULL) {
		debug_f("no authorized_keys checker: key refused");
		return 0;
	}
	if ((r = m->hooks.key_allowed(m->pw, key, allowedp, opts,
	    m->hooks.ctx)) != 0) {
		error_fr(r, "authorized_keys check for %s", m->user);
		*allowedp = 0;
		buf_reset(opts);
	}
	*allowedp = *allowedp != 0;
	return 0;
}

/*
 * The checker's options as a struct (an empty encoding: no options);
 * NULL if they do not parse, which refuses the key.
 */
static struct authopts *
mon_parse_opts(const struct buf *opts)
{
	struct authopts *o = NULL;
	struct buf *copy;
	int r;

	if (buf_len(opts) == 0)
		return authopts_new();
	if ((copy = buf_from(buf_ptr(opts), buf_len(opts))) == NULL)
		return NULL;
	if ((r = monitor_authopts_get(copy, &o)) != 0 ||
	    buf_len(copy) != 0) {
		error_fr(r, "options of an allowed key do not parse");
		authopts_free(o);
		o = NULL;
	}
	buf_free(copy);
	return o;
}

/* PermitRootLogin forced-commands-only: root keys need command=. */
static int
mon_root_key_refused(const struct monitor *m, const struct authopts *o)
{
	if (m->pw == NULL || m->pw->pw_uid != 0)
		return 0;
	if (m->opts.permit_root_login == MONITOR_ROOT_NO)
		return 1;
	if (m->opts.permit_root_login == MONITOR_ROOT_FORCED_ONLY &&
	    o->force_command == NULL) {
		logit("Root login refused for a key without command=");
		return 1;
	}
	return 0;
}

/* Remember an allowed key (the oldest goes when the list is full). */
static int
mon_add_allowed(struct monitor *m, const u_char *blob, size_t len,
    struct authopts *o)
{
	struct buf *b;
	size_t i;

	if ((b = buf_from_copy(blob, len)) == NULL) {
		authopts_free(o);
		return ERR_ALLOC_FAIL;
	}
	if (m->nallowed == MONITOR_MAX_ALLOWED) {
		buf_free(m->allowed[0].blob);
		authopts_free(m->allowed[0].opts);
		for (i = 1; i < m->nallowed; i++)
			m->allowed[i - 1] = m->allowed[i];
		m->nallowed--;
	}
	m->allowed[m->nallowed].blob = b;
	m->allowed[m->nallowed].opts = o;
	m->nallowed++;
	return 0;
}

int
mon_keyallowed(struct monitor *m, struct buf *req, struct buf *ans)
{
	struct key *key = NULL;
	struct buf *opts = NULL;
	struct authopts *o = NULL;
	const u_char *blob;
	size_t bloblen;
	uint32_t kind;
	int r, allowed = 0;

	if ((r = buf_get_u32(req, &kind)) != 0 ||
	    (r = buf_get_string_direct(req, &blob, &bloblen)) != 0)
		return r;
	if (buf_len(req) != 0)
		return ERR_UNEXPECTED_TRAILING_DATA;
	if (kind != MONITOR_KEY_USER)
		return ERR_INVALID_FORMAT;
	if ((r = key_from_blob(blob, bloblen, &key)) != 0)
		return r;
	if ((opts = buf_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = mon_key_check(m, key, &allowed, opts)) != 0)
		goto out;
	if (allowed && ((o = mon_parse_opts(opts)) == NULL ||
	    mon_root_key_refused(m, o))) {
		authopts_free(o);
		o = NULL;
		allowed = 0;
	}
	if (allowed) {
		/* Remember which keys may be used to sign (KEYVERIFY). */
		r = mon_add_allowed(m, blob, bloblen, o);
		o = NULL;
		if (r != 0)
			goto out;
	} else
		buf_reset(opts);
	debug_f("%s key for %s: %s", key_type_name(key), m->user,
	    allowed ? "allowed" : "not allowed");
	if ((r = buf_put_u32(ans, (uint32_t)allowed)) != 0 ||
	    (r = buf_put_stringb(ans, opts)) != 0)
		goto out;
	r = 0;
 out:
	key_free(key);
	buf_free(opts);
	return r;
}

/* ------------------------------------------------------------ KEYVERIFY */

/* The index of an allowed key with this blob; -1 if none. */
static int
mon_find_allowed(const struct monitor *m, const u_char *blob, size_t len)
{
	size_t i;

	for (i = m->nallowed; i > 0; i--) {
		if (buf_len(m->allowed[i - 1].blob) == len &&
		    memcmp(buf_ptr(m->allowed[i - 1].blob), blob, len) == 0)
			return (int)(i - 1);
	}
	return -1;
}

/* alg is a signature algorithm of key's type that the policy accepts. */
static int
mon_userauth_alg_ok(const struct monitor *m, const struct key *key,
    const char *alg)
{
	if (key_type(key) == KEY_RSA) {
		if (strcmp(alg, "rsa-sha2-256") != 0 &&
		    strcmp(alg, "rsa-sha2-512") != 0 &&
		    strcmp(alg, "ssh-rsa") != 0)
			return 0;
	} else if (strcmp(alg, key_type_name(key)) != 0)
		return 0;
	return match_pattern_list(alg, mon_accepted_algs(m), 0) == 1;
}

/* A string field that must equal want (want_len bytes). */
static int
mon_expect_string(struct buf *b, const void *want, size_t want_len)
{
	const u_char *p;
	size_t len;
	int r;

	if ((r = buf_get_string_direct(b, &p, &len)) != 0)
		return r;
	if (len != want_len || memcmp(p, want, len) != 0)
		return ERR_PROTOCOL_ERROR;
	return 0;
}

/*
 * data must be exactly the RFC 4252 section 7 blob for this connection,
 * user and key; *algp gets its algorithm.  Any difference is the child
 * lying: ERR_PROTOCOL_ERROR (or the parse error).
 */
static int
mon_check_userauth_data(const struct monitor *m, const u_char *data,
    size_t len, const struct key *key, const u_char *blob, size_t bloblen,
    char **algp)
{
	struct buf *b;
	uint8_t type, has_sig;
	char *alg = NULL;
	int r;

	*algp = NULL;
	if (m->session_id == NULL) {
		error_f("no session id yet");
		return ERR_PROTOCOL_ERROR;
	}
	if ((b = buf_from(data, len)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = mon_expect_string(b, buf_ptr(m->session_id),
	    buf_len(m->session_id))) != 0 ||
	    (r = buf_get_u8(b, &type)) != 0 ||
	    (r = (type == SSH2_MSG_USERAUTH_REQUEST ? 0 :
	    ERR_PROTOCOL_ERROR)) != 0 ||
	    (r = mon_expect_string(b, m->user, strlen(m->user))) != 0 ||
	    (r = mon_expect_string(b, "ssh-connection", 14)) != 0 ||
	    (r = mon_expect_string(b, "publickey", 9)) != 0 ||
	    (r = buf_get_u8(b, &has_sig)) != 0 ||
	    (r = (has_sig == 1 ? 0 : ERR_PROTOCOL_ERROR)) != 0 ||
	    (r = buf_get_cstring(b, &alg, NULL)) != 0 ||
	    (r = mon_expect_string(b, blob, bloblen)) != 0)
		goto out;
	if (buf_len(b) != 0) {
		r = ERR_UNEXPECTED_TRAILING_DATA;
		goto out;
	}
	if (!mon_userauth_alg_ok(m, key, alg)) {
		error_f("algorithm %s not accepted for a %s key", alg,
		    key_type_name(key));
		r = ERR_PROTOCOL_ERROR;
		goto out;
	}
	*algp = alg;
	alg = NULL;
	r = 0;
 out:
	if (r != 0)
		error_fr(r, "publickey signed data refused");
	free(alg);
	buf_free(b);
	return r;
}

/* The log line for a publickey result. */
static void
mon_log_publickey(const struct monitor *m, const struct key *key, int ok)
{
	char *fp = key_fingerprint(key, DIGEST_SHA256, KEY_FP_DEFAULT);

	logit("%s publickey for %s from %s port %d ssh2: %s %s",
	    ok ? "Accepted" : "Failed", m->user, mon_remote_ip(m),
	    m->remote_port, key_type_short(key), fp != NULL ? fp : "?");
	free(fp);
}

int
mon_keyverify(struct monitor *m, struct buf *req, struct buf *ans)
{
	const u_char *blob, *data, *sig;
	size_t bloblen, datalen, siglen;
	struct key *key = NULL;
	char *alg = NULL;
	int r, idx, ok;

	if ((r = buf_get_string_direct(req, &blob, &bloblen)) != 0 ||
	    (r = buf_get_string_direct(req, &data, &datalen)) != 0 ||
	    (r = buf_get_string_direct(req, &sig, &siglen)) != 0)
		return r;
	if (buf_len(req) != 0)
		return ERR_UNEXPECTED_TRAILING_DATA;
	if (datalen > MONITOR_MAX_VERIFY_DATA)
		return ERR_INVALID_FORMAT;
	if ((idx = mon_find_allowed(m, blob, bloblen)) < 0) {
		error_f("key was not allowed in this connection");
		return ERR_PROTOCOL_ERROR;
	}
	if ((r = key_from_blob(blob, bloblen, &key)) != 0)
		return r;
	if ((r = mon_check_userauth_data(m, data, datalen, key, blob,
	    bloblen, &alg)) != 0)
		goto out;
	ok = key_verify(key, sig, siglen, data, datalen, alg) == 0;
	if (ok && m->nologin)
		ok = 0;
	if (ok) {
		mon_auth_decided(m, "publickey", m->allowed[idx].opts);
		m->allowed[idx].opts = NULL;
		/* The slot stays, with no options: never used again. */
	}
	mon_log_publickey(m, key, ok);
	r = buf_put_u32(ans, (uint32_t)ok);
 out:
	free(alg);
	key_free(key);
	return r;
}

/* ------------------------------------------------------------ STATE */

int
mon_state(struct monitor *m, struct buf *req, struct buf *ans)
{
	struct buf *state = NULL;
	int r;

	(void)ans;
	if (!m->authenticated) {
		error_f("transport state before authentication");
		return ERR_PROTOCOL_ERROR;
	}
	if ((state = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = buf_get_stringb(req, state)) != 0)
		goto out;
	if (buf_len(req) != 0) {
		r = ERR_UNEXPECTED_TRAILING_DATA;
		goto out;
	}
	buf_free(m->state);
	m->state = state;
	state = NULL;
	r = 0;
 out:
	buf_free(state);
	return r;
}
