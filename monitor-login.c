/*
 * monitor-login.c: the ttys the monitor hands out (PTY in monitor.c) and
 * their login records: LOGIN, LOGOUT (monitor.h), and the clean-up of
 * ttys still held when the monitor ends.
 */
#include "includes.h"

#include <pwd.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "loginrec.h"
#include "monitor.h"
#include "monitor-impl.h"
#include "sshpty.h"

int
mon_remember_tty(struct monitor *m, const char *name)
{
	struct mon_tty *tmp;
	char *copy;

	if ((copy = strdup(name)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((tmp = reallocarray(m->ttys, m->nttys + 1,
	    sizeof(*m->ttys))) == NULL) {
		free(copy);
		return ERR_ALLOC_FAIL;
	}
	m->ttys = tmp;
	memset(&m->ttys[m->nttys], 0, sizeof(m->ttys[m->nttys]));
	m->ttys[m->nttys++].name = copy;
	return 0;
}

/* The index of a tty this monitor handed out; -1 if none. */
static int
mon_find_tty(const struct monitor *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nttys; i++) {
		if (strcmp(m->ttys[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

/* Write the login (login 1) or logout record of tty t. */
static int
mon_record(const struct monitor *m, const struct mon_tty *t, int login)
{
	struct loginrec_paths paths;
	struct loginrec rec;

	paths.utmp = m->lr_utmp;
	paths.wtmp = m->lr_wtmp;
	paths.lastlog = m->lr_lastlog;
	memset(&rec, 0, sizeof(rec));
	rec.pid = t->pid;
	rec.uid = m->pw->pw_uid;
	rec.user = m->pw->pw_name;
	rec.tty = t->name;
	rec.host = m->remote_host != NULL ? m->remote_host : m->remote_ip;
	return login ? loginrec_login(&paths, &rec) :
	    loginrec_logout(&paths, &rec);
}

/* The tty a LOGIN/LOGOUT names: it must be one of ours. */
static int
mon_get_tty(struct monitor *m, struct buf *req, int *idxp)
{
	char *tty = NULL;
	size_t len;
	int r;

	*idxp = -1;
	if (!m->authenticated || m->pw == NULL)
		return ERR_PROTOCOL_ERROR;
	if ((r = buf_get_cstring(req, &tty, &len)) != 0)
		return r;
	if (len == 0 || len >= PTY_NAME_MAX)
		r = ERR_INVALID_FORMAT;
	else if ((*idxp = mon_find_tty(m, tty)) < 0) {
		error_f("%s is not a tty of this connection", tty);
		r = ERR_PROTOCOL_ERROR;
	}
	free(tty);
	return r;
}

int
mon_login(struct monitor *m, struct buf *req, struct buf *ans)
{
	struct mon_tty *t;
	uint32_t pid;
	int r, idx, ok;

	if ((r = mon_get_tty(m, req, &idx)) != 0 ||
	    (r = buf_get_u32(req, &pid)) != 0)
		return r;
	if (buf_len(req) != 0)
		return ERR_UNEXPECTED_TRAILING_DATA;
	if (pid <= 1 || pid > INT32_MAX)
		return ERR_INVALID_FORMAT;
	t = &m->ttys[idx];
	if (t->logged_in) {
		error_f("second login record for %s", t->name);
		return ERR_PROTOCOL_ERROR;
	}
	t->pid = (pid_t)pid;
	t->logged_in = 1;
	if ((r = mon_record(m, t, 1)) != 0)
		error_fr(r, "login record for %s on %s", m->user, t->name);
	ok = r == 0;
	return buf_put_u32(ans, (uint32_t)ok);
}

/* Logout record (if logged in) and release of tty idx; drops it. */
static int
mon_drop_tty(struct monitor *m, size_t idx)
{
	struct mon_tty *t = &m->ttys[idx];
	int r = 0, r2;

	if (t->logged_in && m->pw != NULL &&
	    (r = mon_record(m, t, 0)) != 0)
		error_fr(r, "logout record for %s", t->name);
	if ((r2 = pty_release(t->name)) != 0)
		debug_fr(r2, "release %s", t->name);
	free(t->name);
	m->ttys[idx] = m->ttys[m->nttys - 1];
	m->nttys--;
	return r;
}

int
mon_logout(struct monitor *m, struct buf *req, struct buf *ans)
{
	int r, idx;

	if ((r = mon_get_tty(m, req, &idx)) != 0)
		return r;
	if (buf_len(req) != 0)
		return ERR_UNEXPECTED_TRAILING_DATA;
	r = mon_drop_tty(m, (size_t)idx);
	return buf_put_u32(ans, (uint32_t)(r == 0));
}

void
mon_release_ttys(struct monitor *m)
{
	while (m->nttys > 0) {
		if (mon_drop_tty(m, m->nttys - 1) != 0) {
			/* Logged; nothing more to do while ending. */
		}
	}
	free(m->ttys);
	m->ttys = NULL;
}
