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

#include "auth/auth-nologin.h"
#include "auth/auth-options.h"
#include "auth/auth-passwd.h"
#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "log.h"
#include "monitor.h"
#include "monitor-impl.h"
#include "monitor-wrap.h"
#include "monitor_fdpass.h"
#include "sshpty.h"
#include "uidswap.h"

#define HOSTKEYS_PROVE		"hostkeys-prove-00@openssh.com"

static int mon_log(struct monitor *, struct buf *, struct buf *);
static int mon_pwnam(struct monitor *, struct buf *, struct buf *);
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
	{ MONITOR_REQ_AUTHINFO, MONITOR_ANS_AUTHINFO, PRE,
	    MON_NEEDUSER | MON_ONCE, "authinfo", mon_authinfo },
	{ MONITOR_REQ_KEYVERIFY, MONITOR_ANS_KEYVERIFY, PRE,
	    MON_NEEDUSER | MON_AUTHDECIDE, "keyverify", mon_keyverify },
	{ MONITOR_REQ_STATE, MONITOR_ANS_STATE, PRE, MON_ONCE,
	    "state", mon_state },
	{ MONITOR_REQ_LOGIN, MONITOR_ANS_LOGIN, POST, MON_NEEDUSER,
	    "login", mon_login },
	{ MONITOR_REQ_LOGOUT, MONITOR_ANS_LOGOUT, POST, MON_NEEDUSER,
	    "logout", mon_logout },
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
	mon_release_ttys(m);
	mon_auth_free(m);
	free(m->user);
	pw_free(m->pw);
	monitor_authinfo_clear(&m->ai);
	free(m->nologin_msg);
	free(m->nologin_path);
	free(m->remote_ip);
	free(m->remote_host);
	free(m->lr_utmp);
	free(m->lr_wtmp);
	free(m->lr_lastlog);
	buf_free(m->state);
	buf_free(m->session_id);
	for (i = 0; i < m->nhostkeys; i++)
		key_free(m->hostkeys[i]);
	for (i = 0; i < m->nout_fds; i++)
		close(m->out_fds[i]);
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

const char *
mon_remote_ip(const struct monitor *m)
{
	return m->remote_ip != NULL ? m->remote_ip : "UNKNOWN";
}

/* Replace *dstp by a copy of src (NULL allowed). */
static int
mon_set_string(char **dstp, const char *src)
{
	char *copy = NULL;

	if (src != NULL && (copy = strdup(src)) == NULL)
		return ERR_ALLOC_FAIL;
	free(*dstp);
	*dstp = copy;
	return 0;
}

int
monitor_set_conn(struct monitor *m, const char *remote_ip, int remote_port,
    const char *remote_host)
{
	int r;

	if (remote_ip == NULL || remote_port < 0 || remote_port > 65535)
		return ERR_INVALID_ARGUMENT;
	if ((r = mon_set_string(&m->remote_ip, remote_ip)) != 0 ||
	    (r = mon_set_string(&m->remote_host, remote_host != NULL ?
	    remote_host : remote_ip)) != 0)
		return r;
	m->remote_port = remote_port;
	return 0;
}

int
monitor_set_nologin_path(struct monitor *m, const char *path)
{
	return mon_set_string(&m->nologin_path, path);
}

int
monitor_set_loginrec_paths(struct monitor *m,
    const struct loginrec_paths *paths)
{
	int r;

	if ((r = mon_set_string(&m->lr_utmp, paths->utmp)) != 0 ||
	    (r = mon_set_string(&m->lr_wtmp, paths->wtmp)) != 0 ||
	    (r = mon_set_string(&m->lr_lastlog, paths->lastlog)) != 0)
		return r;
	return 0;
}

int
monitor_take_state(struct monitor *m, struct buf **statep)
{
	*statep = NULL;
	if (m->state == NULL)
		return ERR_NOT_FOUND;
	*statep = m->state;
	m->state = NULL;
	return 0;
}

const struct authopts *
monitor_authopts(const struct monitor *m)
{
	return m->authenticated ? m->authopts : NULL;
}

const char *
monitor_auth_method(const struct monitor *m)
{
	return m->authenticated ? m->auth_method : NULL;
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

/*
 * The user's policy from the user_config hook (Match applied); without
 * one, the options given to monitor_new().
 */
static int
mon_user_config(struct monitor *m, const struct passwd *pw)
{
	struct monitor_options mo = m->opts;
	struct monitor_authinfo ai;
	int r;

	if (m->hooks.user_config == NULL)
		return mon_authinfo_default(m);
	memset(&ai, 0, sizeof(ai));
	if ((r = m->hooks.user_config(m->user, pw, &mo, &ai,
	    m->hooks.ctx)) != 0) {
		error_fr(r, "configuration for user %s", m->user);
		monitor_authinfo_clear(&ai);
		return r;
	}
	if (mo.max_ptys == 0)
		mo.max_ptys = MONITOR_DEFAULT_PTYS;
	m->opts = mo;
	monitor_authinfo_clear(&m->ai);
	m->ai = ai;
	return 0;
}

/*
 * The nologin file refuses everyone but root (valid or not, so that
 * nothing tells users apart); the refused get its text as the banner
 * and can never authenticate.
 */
static int
mon_check_nologin(struct monitor *m)
{
	char msg[AUTH_NOLOGIN_MAX_MSG + 1];

	if (!auth_nologin_applies(m->nologin_path, m->pw, msg, sizeof(msg)))
		return 0;
	logit("User %s not allowed because %s exists", m->user,
	    m->nologin_path != NULL ? m->nologin_path : AUTH_NOLOGIN_PATH);
	m->nologin = 1;
	if ((m->nologin_msg = strdup(msg)) == NULL)
		return ERR_ALLOC_FAIL;
	return 0;
}

/* Look the user up; m->pw only for a valid, allowed user. */
static int
mon_lookup_user(struct monitor *m)
{
	struct passwd *pw;
	int r;

	pw = m->hooks.getpwnam(m->user, m->hooks.ctx);
	if ((r = mon_user_config(m, pw)) != 0) {
		pw_free(pw);
		return r;
	}
	if (pw == NULL)
		logit("Invalid user %s from %s port %d", m->user,
		    mon_remote_ip(m), m->remote_port);
	else if (mon_root_refused(m, pw)) {
		logit("ROOT LOGIN REFUSED FROM %s port %d", mon_remote_ip(m),
		    m->remote_port);
		pw_free(pw);
	} else if (!m->hooks.user_allowed(pw, m->hooks.ctx))
		pw_free(pw);
	else
		m->pw = pw;
	return mon_check_nologin(m);
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
	if ((r = mon_lookup_user(m)) != 0)
		return r;
	return mon_put_visible_passwd(m, ans);
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
	/*
	 * Exchange hashes (pre-auth, and post-auth for rekeying, which the
	 * session child's transport runs) or, post-auth, the hostkeys-prove
	 * statement, which is always longer than any hash.
	 */
	if (m->phase == MON_PHASE_PREAUTH)
		r = mon_check_kex_hash(m, data, datalen);
	else if (datalen <= 64)
		r = m->session_id == NULL ? ERR_PROTOCOL_ERROR :
		    mon_check_kex_hash(m, data, datalen);
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
