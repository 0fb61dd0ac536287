/*
 * monitor-wrap.c: the unprivileged side's calls to the monitor
 * (monitor-wrap.h).
 */
#include "includes.h"

#include <pwd.h>

#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "log.h"
#include "monitor.h"
#include "monitor-wrap.h"
#include "monitor_fdpass.h"
#include "uidswap.h"

/* Send req as type; read the answer, which must be of type anstype. */
static int
mm_request(int fd, uint8_t type, const struct buf *req, uint8_t anstype,
    struct buf *ans)
{
	uint8_t got;
	int r;

	if ((r = monitor_msg_send(fd, type, req)) != 0 ||
	    (r = monitor_msg_recv(fd, &got, ans)) != 0)
		return r;
	if (got != anstype) {
		error_f("expected answer %u to request %u, got %u",
		    anstype, type, got);
		return ERR_PROTOCOL_ERROR;
	}
	return 0;
}

/* A 0/1 flag from an answer. */
static int
mm_get_flag(struct buf *ans, int *flagp)
{
	uint32_t v;
	int r;

	*flagp = 0;
	if ((r = buf_get_u32(ans, &v)) != 0)
		return r;
	if (v > 1)
		return ERR_INVALID_FORMAT;
	*flagp = (int)v;
	return 0;
}

static int
mm_new2(struct buf **a, struct buf **b)
{
	*a = buf_new();
	*b = buf_new();
	if (*a == NULL || *b == NULL) {
		buf_free(*a);
		buf_free(*b);
		*a = *b = NULL;
		return ERR_ALLOC_FAIL;
	}
	return 0;
}

int
mm_getpwnam(int fd, const char *user, struct passwd **pwp)
{
	struct buf *req = NULL, *ans = NULL;
	int r;

	*pwp = NULL;
	if ((r = mm_new2(&req, &ans)) != 0)
		return r;
	if ((r = buf_put_cstring(req, user)) != 0 ||
	    (r = mm_request(fd, MONITOR_REQ_PWNAM, req, MONITOR_ANS_PWNAM,
	    ans)) != 0 ||
	    (r = monitor_get_passwd(ans, pwp)) != 0)
		goto out;
	if (buf_len(ans) != 0) {
		pw_free(*pwp);
		*pwp = NULL;
		r = ERR_UNEXPECTED_TRAILING_DATA;
	}
 out:
	buf_free(req);
	buf_free(ans);
	return r;
}

int
mm_auth_password(int fd, const char *password, int *authenticatedp)
{
	struct buf *req = NULL, *ans = NULL;
	int r;

	*authenticatedp = 0;
	if ((r = mm_new2(&req, &ans)) != 0)
		return r;
	if ((r = buf_put_cstring(req, password)) != 0 ||
	    (r = mm_request(fd, MONITOR_REQ_AUTHPASSWORD, req,
	    MONITOR_ANS_AUTHPASSWORD, ans)) != 0 ||
	    (r = mm_get_flag(ans, authenticatedp)) != 0)
		goto out;
	if (buf_len(ans) != 0) {
		*authenticatedp = 0;
		r = ERR_UNEXPECTED_TRAILING_DATA;
	}
 out:
	/* req held the password: buf_free wipes it. */
	buf_free(req);
	buf_free(ans);
	return r;
}

int
mm_key_allowed(int fd, const struct key *key, int *allowedp,
    struct buf *opts)
{
	struct buf *req = NULL, *ans = NULL;
	int r;

	*allowedp = 0;
	if ((r = mm_new2(&req, &ans)) != 0)
		return r;
	if ((r = buf_put_u32(req, MONITOR_KEY_USER)) != 0 ||
	    (r = key_puts(key, req)) != 0 ||
	    (r = mm_request(fd, MONITOR_REQ_KEYALLOWED, req,
	    MONITOR_ANS_KEYALLOWED, ans)) != 0 ||
	    (r = mm_get_flag(ans, allowedp)) != 0 ||
	    (r = buf_get_stringb(ans, opts)) != 0)
		goto out;
	if (buf_len(ans) != 0) {
		*allowedp = 0;
		r = ERR_UNEXPECTED_TRAILING_DATA;
	}
 out:
	buf_free(req);
	buf_free(ans);
	return r;
}

int
mm_sign(int fd, const struct key *hostkey, const char *alg,
    const u_char *data, size_t dlen, u_char **sigp, size_t *lenp)
{
	struct buf *req = NULL, *ans = NULL;
	u_char *sig = NULL;
	size_t siglen = 0;
	int r;

	*sigp = NULL;
	*lenp = 0;
	if ((r = mm_new2(&req, &ans)) != 0)
		return r;
	if ((r = key_puts(hostkey, req)) != 0 ||
	    (r = buf_put_cstring(req, alg != NULL ? alg : "")) != 0 ||
	    (r = buf_put_string(req, data, dlen)) != 0 ||
	    (r = mm_request(fd, MONITOR_REQ_SIGN, req, MONITOR_ANS_SIGN,
	    ans)) != 0 ||
	    (r = buf_get_string(ans, &sig, &siglen)) != 0)
		goto out;
	if (buf_len(ans) != 0) {
		r = ERR_UNEXPECTED_TRAILING_DATA;
		goto out;
	}
	*sigp = sig;
	*lenp = siglen;
	sig = NULL;
 out:
	free(sig);
	buf_free(req);
	buf_free(ans);
	return r;
}

/* The two descriptors that follow a successful PTY answer. */
static int
mm_recv_pty_fds(int fd, int *ptyfd, int *ttyfd)
{
	int r;

	if ((r = monitor_fdpass_recv(fd, ptyfd)) != 0)
		return r;
	if ((r = monitor_fdpass_recv(fd, ttyfd)) != 0) {
		close(*ptyfd);
		*ptyfd = -1;
		return r;
	}
	return 0;
}

int
mm_pty_allocate(int fd, int *ptyfd, int *ttyfd, char *name,
    size_t namelen)
{
	struct buf *req = NULL, *ans = NULL;
	char *tty = NULL;
	int r, ok = 0;

	*ptyfd = *ttyfd = -1;
	if (namelen > 0)
		name[0] = '\0';
	if ((r = mm_new2(&req, &ans)) != 0)
		return r;
	if ((r = mm_request(fd, MONITOR_REQ_PTY, req, MONITOR_ANS_PTY,
	    ans)) != 0 ||
	    (r = mm_get_flag(ans, &ok)) != 0 ||
	    (r = buf_get_cstring(ans, &tty, NULL)) != 0)
		goto out;
	if (buf_len(ans) != 0) {
		r = ERR_UNEXPECTED_TRAILING_DATA;
		goto out;
	}
	if (!ok) {
		r = ERR_NOT_FOUND;
		goto out;
	}
	/* The descriptors are on their way: take them before any check. */
	if ((r = mm_recv_pty_fds(fd, ptyfd, ttyfd)) != 0)
		goto out;
	if (strlcpy(name, tty, namelen) >= namelen) {
		close(*ptyfd);
		close(*ttyfd);
		*ptyfd = *ttyfd = -1;
		r = ERR_NO_BUFFER_SPACE;
		goto out;
	}
	r = 0;
 out:
	free(tty);
	buf_free(req);
	buf_free(ans);
	return r;
}

int
mm_send_log(int fd, LogLevel level, const char *msg)
{
	struct buf *req;
	size_t len = strlen(msg);
	int r;

	if ((req = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	/* Lines are short (log.c caps them); cut anything longer. */
	if ((r = buf_put_u32(req, (uint32_t)level)) == 0 &&
	    (r = buf_put_string(req, msg, MINIMUM(len,
	    (size_t)MONITOR_MAX_LOG))) == 0)
		r = monitor_msg_send(fd, MONITOR_REQ_LOG, req);
	buf_free(req);
	return r;
}

void
mm_log_handler(LogLevel level, int forced, const char *msg, void *ctx)
{
	static int busy;
	const int *fdp = ctx;

	(void)forced;
	/* Never recurse: sending cannot log through this handler. */
	if (busy || fdp == NULL || *fdp < 0)
		return;
	busy = 1;
	if (mm_send_log(*fdp, level, msg) != 0) {
		/* Dropped: there is nowhere else to say so. */
	}
	busy = 0;
}

/* An optional string: "" stands for none (NULL). */
static int
mm_get_opt_string(struct buf *ans, char **sp)
{
	char *s = NULL;
	int r;

	*sp = NULL;
	if ((r = buf_get_cstring(ans, &s, NULL)) != 0)
		return r;
	if (*s == '\0') {
		free(s);
		s = NULL;
	}
	*sp = s;
	return 0;
}

int
mm_auth_info(int fd, struct monitor_authinfo *ai)
{
	struct buf *req = NULL, *ans = NULL;
	uint32_t tries;
	int r;

	memset(ai, 0, sizeof(*ai));
	if ((r = mm_new2(&req, &ans)) != 0)
		return r;
	if ((r = mm_request(fd, MONITOR_REQ_AUTHINFO, req,
	    MONITOR_ANS_AUTHINFO, ans)) != 0 ||
	    (r = mm_get_flag(ans, &ai->pubkey_authentication)) != 0 ||
	    (r = mm_get_flag(ans, &ai->password_authentication)) != 0 ||
	    (r = mm_get_flag(ans, &ai->permit_empty_passwords)) != 0 ||
	    (r = buf_get_u32(ans, &tries)) != 0 ||
	    (r = mm_get_opt_string(ans,
	    &ai->pubkey_accepted_algorithms)) != 0 ||
	    (r = mm_get_opt_string(ans, &ai->banner)) != 0)
		goto out;
	ai->max_auth_tries = tries;
	if (buf_len(ans) != 0)
		r = ERR_UNEXPECTED_TRAILING_DATA;
 out:
	if (r != 0)
		monitor_authinfo_clear(ai);
	buf_free(req);
	buf_free(ans);
	return r;
}

int
mm_key_verify(int fd, const struct key *key, const u_char *data,
    size_t dlen, const u_char *sig, size_t siglen, int *verifiedp)
{
	struct buf *req = NULL, *ans = NULL;
	int r;

	*verifiedp = 0;
	if ((r = mm_new2(&req, &ans)) != 0)
		return r;
	if ((r = key_puts(key, req)) != 0 ||
	    (r = buf_put_string(req, data, dlen)) != 0 ||
	    (r = buf_put_string(req, sig, siglen)) != 0 ||
	    (r = mm_request(fd, MONITOR_REQ_KEYVERIFY, req,
	    MONITOR_ANS_KEYVERIFY, ans)) != 0 ||
	    (r = mm_get_flag(ans, verifiedp)) != 0)
		goto out;
	if (buf_len(ans) != 0) {
		*verifiedp = 0;
		r = ERR_UNEXPECTED_TRAILING_DATA;
	}
 out:
	buf_free(req);
	buf_free(ans);
	return r;
}

int
mm_send_state(int fd, const struct buf *state)
{
	struct buf *req = NULL, *ans = NULL;
	int r;

	if ((r = mm_new2(&req, &ans)) != 0)
		return r;
	if ((r = buf_put_stringb(req, state)) != 0 ||
	    (r = mm_request(fd, MONITOR_REQ_STATE, req, MONITOR_ANS_STATE,
	    ans)) != 0)
		goto out;
	if (buf_len(ans) != 0)
		r = ERR_UNEXPECTED_TRAILING_DATA;
 out:
	/* req held session keys: buf_free wipes them. */
	buf_free(req);
	buf_free(ans);
	return r;
}

/* LOGIN (with a pid) or LOGOUT (pid -1) for tty; ERR_NOT_FOUND if the
 * monitor could not write the records. */
static int
mm_record(int fd, const char *tty, pid_t pid)
{
	struct buf *req = NULL, *ans = NULL;
	int r, ok = 0;
	int login = pid != -1;

	if ((r = mm_new2(&req, &ans)) != 0)
		return r;
	if ((r = buf_put_cstring(req, tty)) != 0 ||
	    (login && (r = buf_put_u32(req, (uint32_t)pid)) != 0) ||
	    (r = mm_request(fd, login ? MONITOR_REQ_LOGIN :
	    MONITOR_REQ_LOGOUT, req, login ? MONITOR_ANS_LOGIN :
	    MONITOR_ANS_LOGOUT, ans)) != 0 ||
	    (r = mm_get_flag(ans, &ok)) != 0)
		goto out;
	if (buf_len(ans) != 0)
		r = ERR_UNEXPECTED_TRAILING_DATA;
	else if (!ok)
		r = ERR_NOT_FOUND;
 out:
	buf_free(req);
	buf_free(ans);
	return r;
}

int
mm_record_login(int fd, const char *tty, pid_t pid)
{
	if (pid <= 1)
		return ERR_INVALID_ARGUMENT;
	return mm_record(fd, tty, pid);
}

int
mm_record_logout(int fd, const char *tty)
{
	return mm_record(fd, tty, -1);
}
