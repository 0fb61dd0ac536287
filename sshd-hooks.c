/*
 * sshd-hooks.c: what sshd adds to the monitor's default hooks
 * (monitor.h): the user's config (Match User/Group applied) decided at
 * PWNAM, with the Banner file read here as root, and the
 * authorized_keys checker (monitor-keys.h) fed from that config.
 */
#include "includes.h"

#include <fcntl.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "monitor.h"
#include "monitor-keys.h"
#include "monitor-wrap.h"
#include "servconf.h"
#include "sshd.h"

static int
dup_or_null(const char *s, char **dp)
{
	*dp = NULL;
	if (s != NULL && (*dp = strdup(s)) == NULL)
		return ERR_ALLOC_FAIL;
	return 0;
}

/* A copy of the connection for Match, naming the user. */
static int
conn_for_user(const struct servconf_conn *c, const char *user,
    struct servconf_conn **ucp)
{
	struct servconf_conn *uc = NULL;
	int r = ERR_INTERNAL;

	*ucp = NULL;
	if ((r = servconf_conn_parse("", &uc)) != 0)
		return r;
	uc->lport = c->lport;
	if ((r = dup_or_null(user, &uc->user)) != 0 ||
	    (r = dup_or_null(c->host, &uc->host)) != 0 ||
	    (r = dup_or_null(c->address, &uc->address)) != 0 ||
	    (r = dup_or_null(c->laddress, &uc->laddress)) != 0 ||
	    (r = dup_or_null(c->rdomain, &uc->rdomain)) != 0) {
		servconf_conn_free(uc);
		return r;
	}
	*ucp = uc;
	return 0;
}

/*
 * The Banner file's text, read as root and capped; NULL (and 0) when
 * there is none or it cannot be read (logged).
 */
static int
read_banner(const char *path, char **textp)
{
	struct buf *b = NULL;
	int fd, r;

	*textp = NULL;
	if (path == NULL)
		return 0;
	if ((fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK)) == -1) {
		error("Banner %s: %s", path, strerror(errno));
		return 0;
	}
	r = buf_load_fd(fd, &b);
	close(fd);
	if (r != 0) {
		error_fr(r, "Banner %s", path);
		return 0;
	}
	if (buf_len(b) > SSHD_MAX_BANNER &&
	    (r = buf_consume_end(b, buf_len(b) - SSHD_MAX_BANNER)) != 0) {
		buf_free(b);
		return r;
	}
	if ((*textp = buf_dup_string(b)) == NULL)
		r = ERR_ALLOC_FAIL;
	buf_free(b);
	return r;
}

static int
hook_user_config(const char *user, const struct passwd *pw,
    struct monitor_options *mo, struct monitor_authinfo *ai, void *ctx)
{
	struct sshd_conn *c = ctx;
	struct servconf_conn *uc = NULL;
	struct servconf *ucfg = NULL;
	int r = ERR_INTERNAL;

	if ((r = conn_for_user(c->conn, user, &uc)) != 0)
		goto out;
	if ((r = servconf_evaluate(c->ctx->text, uc, &ucfg)) != 0) {
		error_fr(r, "config for user %s", user);
		goto out;
	}
	sshd_monitor_options(ucfg, mo);
	memset(ai, 0, sizeof(*ai));
	ai->pubkey_authentication = ucfg->pubkey_authentication;
	ai->password_authentication = ucfg->password_authentication;
	ai->permit_empty_passwords = ucfg->permit_empty_passwords;
	ai->max_auth_tries = mo->max_auth_tries;
	if ((r = dup_or_null(ucfg->pubkey_accepted_algorithms,
	    &ai->pubkey_accepted_algorithms)) != 0 ||
	    (r = read_banner(ucfg->banner, &ai->banner)) != 0) {
		monitor_authinfo_clear(ai);
		goto out;
	}
	servconf_free(c->ucfg);
	c->ucfg = ucfg;
	ucfg = NULL;
	c->authkeys.files = &c->ucfg->authorized_keys_files;
	c->authkeys.strict_modes = c->ucfg->strict_modes;
	c->authkeys.remote_host = c->remote_host;
	c->authkeys.remote_ip = c->remote_ip;
	r = 0;
 out:
	servconf_free(ucfg);
	servconf_conn_free(uc);
	return r;
}

static int
hook_key_allowed(const struct passwd *pw, const struct key *key,
    int *allowedp, struct buf *opts, void *ctx)
{
	struct sshd_conn *c = ctx;

	*allowedp = 0;
	/* No config for the user yet: no key. */
	if (c->ucfg == NULL)
		return 0;
	return monitor_authkeys_allowed(pw, key, allowedp, opts,
	    &c->authkeys);
}

void
sshd_hooks_install(struct sshd_conn *c)
{
	struct monitor_hooks h = monitor_default_hooks;

	h.key_allowed = hook_key_allowed;
	h.user_config = hook_user_config;
	h.ctx = c;
	monitor_set_hooks(c->m, &h);
}
