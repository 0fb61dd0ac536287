/*
 * monitor.c: sshd's privileged monitor (monitor.h): the request table,
 * its checks, the handlers and the serving loops.
 *
 * The child is assumed hostile: every field is bounded and re-checked,
 * every parser ends by checking that nothing is left over, and anything
 * unexpected ends the monitor (the loops call fatal(); the checks
 * themselves return errors so the fuzzer can drive them).
 */
#include "includes.h"

#include <sys/prctl.h>
#include <pwd.h>

#include "auth/auth-passwd.h"
#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "log.h"
#include "monitor.h"
#include "monitor_fdpass.h"
#include "sshpty.h"
#include "uidswap.h"

#define MONITOR_MAX_HOSTKEYS	16
#define MONITOR_DEFAULT_PTYS	10
#define HOSTKEYS_PROVE		"hostkeys-prove-00@openssh.com"

struct monitor {
	int fd;
	u_int phase;
	struct monitor_options opts;
	struct monitor_hooks hooks;
	uint8_t used[256 / 8];		/* ONCE requests already made */
	/* Authentication. */
	char *user;			/* as the child named it */
	struct passwd *pw;		/* the real entry; NULL if invalid */
	int auth_result;		/* set by AUTHDECIDE handlers */
	int authenticated;
	u_int password_failures;
	struct buf *allowed_key;	/* blob of the last key found */
	struct buf *allowed_opts;	/* its options */
	/* Host keys and the session they sign for. */
	struct key *hostkeys[MONITOR_MAX_HOSTKEYS];
	size_t nhostkeys;
	struct buf *session_id;
	/* Descriptors to send after the current answer. */
	int out_fds[2];
	size_t nout_fds;
	/* Ptys handed out. */
	char **ttys;
	size_t nttys;
};

static int mon_log(struct monitor *, struct buf *, struct buf *);
static int mon_pwnam(struct monitor *, struct buf *, struct buf *);
static int mon_authpassword(struct monitor *, struct buf *, struct buf *);
static int mon_keyallowed(struct monitor *, struct buf *, struct buf *);
static int mon_sign(struct monitor *, struct buf *, struct buf *);
static int mon_pty(struct monitor *, struct buf *, struct buf *);

#define PRE	MON_PHASE_PREAUTH
#define POST	MON_PHASE_POSTAUTH

/* The request table (STYLE.md rule 15): nothing else is ever served. */
static const struct monitor_request monitor_table[] = {
	{ MONITOR_REQ_LOG, 0, PRE | POST, MON_NOANSWER,
	    "log", mon_log },
	{ MONITOR_REQ_PWNAM, MONITOR_ANS_PWNAM, PRE, MON_ONCE,
	    "pwnam", mon_pwnam },
	{ MONITOR_REQ_AUTHPASSWORD, MONITOR_ANS_AUTHPASSWORD, PRE,
	    MON_NEEDUSER | MON_AUTHDECIDE, "authpassword", mon_authpassword },
	{ MONITOR_REQ_KEYALLOWED, MONITOR_ANS_KEYALLOWED, PRE, MON_NEEDUSER,
	    "keyallowed", mon_keyallowed },
	{ MONITOR_REQ_SIGN, MONITOR_ANS_SIGN, PRE | POST, 0,
	    "sign", mon_sign },
	{ MONITOR_REQ_PTY, MONITOR_ANS_PTY, POST, MON_NEEDUSER,
	    "pty", mon_pty },
};

#undef PRE
#undef POST

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

const struct monitor_request *
monitor_request_lookup(uint8_t type)
{
	size_t i;

	for (i = 0; i < NELEM(monitor_table); i++) {
		if (monitor_table[i].type == type)
			return &monitor_table[i];
	}
	return NULL;
}

/* ------------------------------------------------------------ hooks */

static struct passwd *
default_getpwnam(const char *user, void *ctx)
{
	struct passwd *pw;

	(void)ctx;
	if ((pw = getpwnam(user)) == NULL)
		return NULL;
	return pw_dup(pw);
}

static int
default_user_allowed(const struct passwd *pw, void *ctx)
{
	enum auth_account_status st;

	(void)ctx;
	/* A shell that cannot run means no login (nologin users too). */
	if (pw->pw_shell[0] != '\0' && access(pw->pw_shell, X_OK) != 0) {
		logit("User %s not allowed because shell %s does not exist "
		    "or is not executable", pw->pw_name, pw->pw_shell);
		return 0;
	}
	if (auth_account_status(pw, &st) != 0)
		return 0;
	if (st == AUTH_ACCOUNT_LOCKED || st == AUTH_ACCOUNT_EXPIRED ||
	    st == AUTH_ACCOUNT_INACTIVE) {
		logit("User %s not allowed because account is %s",
		    pw->pw_name, auth_account_status_str(st));
		return 0;
	}
	return 1;
}

static int
default_auth_password(const struct passwd *pw, const char *password,
    int permit_empty, int *okp, void *ctx)
{
	(void)ctx;
	return auth_password(pw, password, permit_empty, okp);
}

static int
default_pty_allocate(const struct passwd *pw, int *ptyfd, int *ttyfd,
    char *name, size_t namelen, void *ctx)
{
	int r;

	(void)ctx;
	if ((r = pty_allocate(ptyfd, ttyfd, name, namelen)) != 0)
		return r;
	if ((r = pty_setowner(pw, name)) != 0) {
		close(*ptyfd);
		close(*ttyfd);
		*ptyfd = *ttyfd = -1;
		return r;
	}
	return 0;
}

const struct monitor_hooks monitor_default_hooks = {
	default_getpwnam,
	default_user_allowed,
	default_auth_password,
	NULL,
	default_pty_allocate,
	NULL,
	NULL
};

/* ------------------------------------------------------------ life */

int
monitor_new(int fd, const struct monitor_options *opts, struct monitor **mp)
{
	struct monitor *m;

	*mp = NULL;
	if (opts == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return ERR_ALLOC_FAIL;
	m->fd = fd;
	m->phase = MON_PHASE_PREAUTH;
	m->opts = *opts;
	if (m->opts.max_ptys == 0)
		m->opts.max_ptys = MONITOR_DEFAULT_PTYS;
	m->hooks = monitor_default_hooks;
	m->out_fds[0] = m->out_fds[1] = -1;
	*mp = m;
	return 0;
}

void
monitor_free(struct monitor *m)
{
	size_t i;

	if (m == NULL)
		return;
	free(m->user);
	pw_free(m->pw);
	buf_free(m->allowed_key);
	buf_free(m->allowed_opts);
	buf_free(m->session_id);
	for (i = 0; i < m->nhostkeys; i++)
		key_free(m->hostkeys[i]);
	for (i = 0; i < m->nout_fds; i++)
		close(m->out_fds[i]);
	for (i = 0; i < m->nttys; i++)
		free(m->ttys[i]);
	free(m->ttys);
	freezero(m, sizeof(*m));
}

void
monitor_set_hooks(struct monitor *m, const struct monitor_hooks *h)
{
	m->hooks = *h;
}

int
monitor_add_host_key(struct monitor *m, struct key *k)
{
	if (k == NULL || !key_is_private(k))
		return ERR_INVALID_ARGUMENT;
	if (m->nhostkeys >= MONITOR_MAX_HOSTKEYS)
		return ERR_NO_BUFFER_SPACE;
	/* Keep private keys out of core dumps and away from ptrace. */
	if (m->nhostkeys == 0 && prctl(PR_SET_DUMPABLE, 0) == -1)
		return ERR_ERRNO;
	m->hostkeys[m->nhostkeys++] = k;
	return 0;
}

void
monitor_set_phase(struct monitor *m, u_int phase)
{
	m->phase = phase;
}

u_int
monitor_phase(const struct monitor *m)
{
	return m->phase;
}

int
monitor_authenticated(const struct monitor *m)
{
	return m->authenticated;
}

const struct passwd *
monitor_user(const struct monitor *m)
{
	return m->pw;
}

size_t
monitor_take_fds(struct monitor *m, int *fds, size_t maxfds)
{
	size_t i, n = 0;

	for (i = 0; i < m->nout_fds; i++) {
		if (n < maxfds)
			fds[n++] = m->out_fds[i];
		else
			close(m->out_fds[i]);
		m->out_fds[i] = -1;
	}
	m->nout_fds = 0;
	return n;
}

/* ------------------------------------------------------------ LOG */

static int
mon_log(struct monitor *m, struct buf *req, struct buf *ans)
{
	char *msg = NULL;
	uint32_t level;
	size_t len;
	int r;

	(void)m;
	(void)ans;
	if ((r = buf_get_u32(req, &level)) != 0 ||
	    (r = buf_get_cstring(req, &msg, &len)) != 0)
		return r;
	if (buf_len(req) != 0)
		r = ERR_UNEXPECTED_TRAILING_DATA;
	else if (level < LOG_LEVEL_FATAL || level > LOG_LEVEL_DEBUG3 ||
	    len > MONITOR_MAX_LOG)
		r = ERR_INVALID_FORMAT;
	else {
		/* log_emit escapes the child's text again. */
		log_emit(NULL, 0, (LogLevel)level, 0, "%s", msg);
	}
	free(msg);
	return r;
}

/* ------------------------------------------------------------ PWNAM */

/* Refused by PermitRootLogin no whatever the method. */
static int
mon_root_refused(const struct monitor *m, const struct passwd *pw)
{
	return pw->pw_uid == 0 &&
	    m->opts.permit_root_login == MONITOR_ROOT_NO;
}

/* Look the user up; m->pw only for a valid, allowed user. */
static void
mon_lookup_user(struct monitor *m)
{
	struct passwd *pw;

	if ((pw = m->hooks.getpwnam(m->user, m->hooks.ctx)) == NULL) {
		logit("Invalid user %s", m->user);
		return;
	}
	if (mon_root_refused(m, pw)) {
		logit("ROOT LOGIN REFUSED: PermitRootLogin no");
		pw_free(pw);
		return;
	}
	if (!m->hooks.user_allowed(pw, m->hooks.ctx)) {
		pw_free(pw);
		return;
	}
	m->pw = pw;
}

/* The entry the child sees: a made-up one for an invalid user. */
static int
mon_put_visible_passwd(const struct monitor *m, struct buf *ans)
{
	struct passwd fake;

	if (m->pw != NULL)
		return monitor_put_passwd(ans, m->pw);
	memset(&fake, 0, sizeof(fake));
	fake.pw_name = m->user;
	fake.pw_uid = 65534;
	fake.pw_gid = 65534;
	fake.pw_dir = "/nonexistent";
	fake.pw_shell = "/bin/sh";
	return monitor_put_passwd(ans, &fake);
}

static int
mon_pwnam(struct monitor *m, struct buf *req, struct buf *ans)
{
	char *user = NULL;
	size_t len;
	int r;

	if ((r = buf_get_cstring(req, &user, &len)) != 0)
		return r;
	if (buf_len(req) != 0) {
		free(user);
		return ERR_UNEXPECTED_TRAILING_DATA;
	}
	if (len == 0 || len > MONITOR_MAX_USER) {
		free(user);
		return ERR_INVALID_FORMAT;
	}
	m->user = user;
	mon_lookup_user(m);
	return mon_put_visible_passwd(m, ans);
}

/* ------------------------------------------------------------ passwords */

/* May this (valid) user use a password at all? */
static int
mon_password_permitted(const struct monitor *m)
{
	if (!m->opts.password_authentication || m->pw == NULL)
		return 0;
	if (m->pw->pw_uid == 0 &&
	    m->opts.permit_root_login != MONITOR_ROOT_YES)
		return 0;
	return 1;
}

static int
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
	if (ok) {
		m->auth_result = 1;
		verbose("Password accepted for %s", m->user);
	} else {
		m->password_failures++;
		verbose("Failed password for %s%s", m->pw == NULL ?
		    "invalid user " : "", m->user);
	}
	r = buf_put_u32(ans, (uint32_t)ok);
 out:
	if (password != NULL)
		freezero(password, len);
	return r;
}

/* ------------------------------------------------------------ keys */

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

static int
mon_keyallowed(struct monitor *m, struct buf *req, struct buf *ans)
{
	struct key *key = NULL;
	struct buf *opts = NULL;
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
	if (allowed) {
		/* Remember which key may be used to sign (later verify). */
		buf_free(m->allowed_key);
		buf_free(m->allowed_opts);
		m->allowed_key = m->allowed_opts = NULL;
		if ((m->allowed_key = buf_from_copy(blob, bloblen)) == NULL ||
		    (m->allowed_opts = buf_from_copy(buf_ptr(opts),
		    buf_len(opts))) == NULL) {
			r = ERR_ALLOC_FAIL;
			goto out;
		}
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

/* ------------------------------------------------------------ SIGN */

/* The host key whose public half is blob; NULL if none. */
static const struct key *
mon_find_hostkey(const struct monitor *m, const u_char *blob, size_t len)
{
	struct key *pub = NULL;
	const struct key *found = NULL;
	size_t i;

	if (key_from_blob(blob, len, &pub) != 0)
		return NULL;
	for (i = 0; i < m->nhostkeys && found == NULL; i++) {
		if (key_equal_public(m->hostkeys[i], pub))
			found = m->hostkeys[i];
	}
	key_free(pub);
	return found;
}

/* alg ("" for the default) can sign with k. */
static int
mon_alg_fits(const struct key *k, const char *alg)
{
	if (*alg == '\0')
		return 1;
	if (key_type_from_name(alg) != key_type(k))
		return 0;
	/* ECDSA names carry the curve: it must be this key's. */
	if (key_type(k) == KEY_ECDSA)
		return strcmp(alg, key_type_name(k)) == 0;
	return 1;
}

/* Pre-auth: an exchange hash; the first is the session id. */
static int
mon_check_kex_hash(struct monitor *m, const u_char *data, size_t len)
{
	if (len != 20 && len != 32 && len != 48 && len != 64)
		return ERR_INVALID_FORMAT;
	if (m->session_id == NULL &&
	    (m->session_id = buf_from_copy(data, len)) == NULL)
		return ERR_ALLOC_FAIL;
	return 0;
}

/* Post-auth: only the hostkeys-prove statement for this session. */
static int
mon_check_prove(struct monitor *m, const u_char *data, size_t len,
    const u_char *blob, size_t bloblen)
{
	struct buf *b = NULL;
	const u_char *name, *sid, *kblob;
	size_t namelen, sidlen, kbloblen;
	int r;

	if (m->session_id == NULL)
		return ERR_PROTOCOL_ERROR;
	if ((b = buf_from(data, len)) == NULL)
		return ERR_ALLOC_FAIL;
	/* Anything but exactly the statement is refused alike. */
	r = ERR_INVALID_FORMAT;
	if (buf_get_string_direct(b, &name, &namelen) != 0 ||
	    buf_get_string_direct(b, &sid, &sidlen) != 0 ||
	    buf_get_string_direct(b, &kblob, &kbloblen) != 0 ||
	    buf_len(b) != 0 || namelen != strlen(HOSTKEYS_PROVE) ||
	    memcmp(name, HOSTKEYS_PROVE, namelen) != 0 ||
	    sidlen != buf_len(m->session_id) ||
	    memcmp(sid, buf_ptr(m->session_id), sidlen) != 0 ||
	    kbloblen != bloblen || memcmp(kblob, blob, bloblen) != 0)
		goto out;
	r = 0;
 out:
	buf_free(b);
	return r;
}

static int
mon_sign_parse(struct buf *req, const u_char **blob, size_t *bloblen,
    char **alg, const u_char **data, size_t *datalen)
{
	int r;

	*alg = NULL;
	if ((r = buf_get_string_direct(req, blob, bloblen)) != 0 ||
	    (r = buf_get_cstring(req, alg, NULL)) != 0 ||
	    (r = buf_get_string_direct(req, data, datalen)) != 0)
		return r;
	if (buf_len(req) != 0)
		return ERR_UNEXPECTED_TRAILING_DATA;
	if (*datalen > MONITOR_MAX_SIGN_DATA || strlen(*alg) > 64)
		return ERR_INVALID_FORMAT;
	return 0;
}

static int
mon_sign(struct monitor *m, struct buf *req, struct buf *ans)
{
	const struct key *k;
	const u_char *blob, *data;
	size_t bloblen, datalen, siglen = 0;
	u_char *sig = NULL;
	char *alg = NULL;
	int r;

	if ((r = mon_sign_parse(req, &blob, &bloblen, &alg, &data,
	    &datalen)) != 0)
		goto out;
	r = ERR_INVALID_FORMAT;
	if ((k = mon_find_hostkey(m, blob, bloblen)) == NULL) {
		error_f("no such host key");
		goto out;
	}
	if (!mon_alg_fits(k, alg)) {
		error_f("algorithm %s does not fit a %s key", alg,
		    key_type_name(k));
		goto out;
	}
	if (m->phase == MON_PHASE_PREAUTH)
		r = mon_check_kex_hash(m, data, datalen);
	else
		r = mon_check_prove(m, data, datalen, blob, bloblen);
	if (r != 0)
		goto out;
	if ((r = key_sign(k, &sig, &siglen, data, datalen,
	    *alg == '\0' ? NULL : alg)) != 0 ||
	    (r = buf_put_string(ans, sig, siglen)) != 0)
		goto out;
	r = 0;
 out:
	free(alg);
	free(sig);
	return r;
}

/* ------------------------------------------------------------ PTY */

static int
mon_remember_tty(struct monitor *m, const char *name)
{
	char **tmp, *copy;

	if ((copy = strdup(name)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((tmp = reallocarray(m->ttys, m->nttys + 1,
	    sizeof(*m->ttys))) == NULL) {
		free(copy);
		return ERR_ALLOC_FAIL;
	}
	m->ttys = tmp;
	m->ttys[m->nttys++] = copy;
	return 0;
}

static int
mon_pty(struct monitor *m, struct buf *req, struct buf *ans)
{
	char name[PTY_NAME_MAX] = "";
	int ptyfd = -1, ttyfd = -1, r, ok = 0;

	if (buf_len(req) != 0)
		return ERR_UNEXPECTED_TRAILING_DATA;
	if (!m->authenticated || m->pw == NULL)
		return ERR_PROTOCOL_ERROR;
	if (m->nttys >= m->opts.max_ptys)
		error_f("%s already has %zu ptys", m->user, m->nttys);
	else if ((r = m->hooks.pty_allocate(m->pw, &ptyfd, &ttyfd, name,
	    sizeof(name), m->hooks.ctx)) != 0)
		error_fr(r, "pty for %s", m->user);
	else if ((r = mon_remember_tty(m, name)) != 0) {
		close(ptyfd);
		close(ttyfd);
		return r;
	} else
		ok = 1;
	if (ok) {
		m->out_fds[0] = ptyfd;
		m->out_fds[1] = ttyfd;
		m->nout_fds = 2;
		debug_f("%s for %s", name, m->user);
	} else
		name[0] = '\0';
	if ((r = buf_put_u32(ans, (uint32_t)ok)) != 0 ||
	    (r = buf_put_cstring(ans, name)) != 0)
		return r;
	return 0;
}

/* ------------------------------------------------------------ dispatch */

static int
mon_used(const struct monitor *m, uint8_t type)
{
	return (m->used[type / 8] >> (type % 8)) & 1;
}

static void
mon_mark_used(struct monitor *m, uint8_t type)
{
	m->used[type / 8] |= (uint8_t)(1 << (type % 8));
}

/* May this request be made now? */
static int
mon_permitted(const struct monitor *m, const struct monitor_request *rq)
{
	if ((rq->phases & m->phase) == 0) {
		error("monitor: %s request not allowed in this phase",
		    rq->name);
		return 0;
	}
	if ((rq->flags & MON_ONCE) != 0 && mon_used(m, rq->type)) {
		error("monitor: %s request made twice", rq->name);
		return 0;
	}
	if ((rq->flags & MON_NEEDUSER) != 0 && m->user == NULL) {
		error("monitor: %s request before the user is known",
		    rq->name);
		return 0;
	}
	if ((rq->flags & MON_AUTHDECIDE) != 0 && m->authenticated) {
		error("monitor: %s request after authentication", rq->name);
		return 0;
	}
	return 1;
}

int
monitor_dispatch(struct monitor *m, uint8_t type, struct buf *req,
    struct buf *ans, uint8_t *anstypep)
{
	const struct monitor_request *rq;
	size_t i;
	int r;

	*anstypep = 0;
	buf_reset(ans);
	for (i = 0; i < m->nout_fds; i++)
		close(m->out_fds[i]);
	m->nout_fds = 0;
	if ((rq = monitor_request_lookup(type)) == NULL) {
		error("monitor: unknown request type %u", type);
		return ERR_PROTOCOL_ERROR;
	}
	if (!mon_permitted(m, rq))
		return ERR_PROTOCOL_ERROR;
	/* A request counts as made even when it fails. */
	mon_mark_used(m, type);
	m->auth_result = 0;
	if ((r = rq->handler(m, req, ans)) != 0) {
		buf_reset(ans);
		return r;
	}
	/* Only a request of the table's choosing can authenticate. */
	if ((rq->flags & MON_AUTHDECIDE) != 0 && m->auth_result)
		m->authenticated = 1;
	m->auth_result = 0;
	if ((rq->flags & MON_NOANSWER) == 0)
		*anstypep = rq->answer;
	return 0;
}

/* ------------------------------------------------------------ loops */

static void
mon_send_answer(struct monitor *m, uint8_t anstype, const struct buf *ans)
{
	int fds[2];
	size_t i, n;
	int r;

	if (anstype != 0 && (r = monitor_msg_send(m->fd, anstype, ans)) != 0)
		fatal_fr(r, "monitor: sending answer %u", anstype);
	n = monitor_take_fds(m, fds, NELEM(fds));
	for (i = 0; i < n; i++) {
		if ((r = monitor_fdpass_send(m->fd, fds[i])) != 0)
			fatal_fr(r, "monitor: sending a descriptor");
		close(fds[i]);
	}
}

int
monitor_process_one(struct monitor *m)
{
	struct buf *req = NULL, *ans = NULL;
	uint8_t type, anstype;
	int r;

	if ((req = buf_new()) == NULL || (ans = buf_new()) == NULL)
		fatal_f("monitor: out of memory");
	r = monitor_msg_recv(m->fd, &type, req);
	if (r == ERR_CONN_CLOSED)
		goto out;
	if (r != 0)
		fatal_fr(r, "monitor: reading a request");
	if ((r = monitor_dispatch(m, type, req, ans, &anstype)) != 0)
		fatal_fr(r, "monitor: refused request type %u", type);
	mon_send_answer(m, anstype, ans);
	r = 0;
 out:
	buf_free(req);
	buf_free(ans);
	return r;
}

int
monitor_loop(struct monitor *m)
{
	int r;

	while (!m->authenticated) {
		if ((r = monitor_process_one(m)) != 0)
			return r;
	}
	return 0;
}

int
monitor_loop_until_closed(struct monitor *m)
{
	int r;

	while ((r = monitor_process_one(m)) == 0)
		;
	return r == ERR_CONN_CLOSED ? 0 : r;
}
