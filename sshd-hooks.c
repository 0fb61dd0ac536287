/*
 * sshd-hooks.c: what sshd adds to the monitor's default hooks
 * (monitor.h): the user's config (Match User/Group applied) decided at
 * PWNAM, with the Banner file read here as root, and the
 * authorized_keys checker (monitor-keys.h) fed from that config, and
 * the AllowUsers / DenyUsers / AllowGroups / DenyGroups checks.
 */
#include "includes.h"

#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "match.h"
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

/*
 * AuthenticationMethods: with anything but "any", a method is enabled
 * only if some list consists of it alone.  Lists requiring several
 * methods in turn are not supported and so never satisfied: they fail
 * closed rather than let one method stand in for two.
 */
static void
apply_auth_methods(const struct servconf *o, struct monitor_options *mo,
    struct monitor_authinfo *ai)
{
	int pubkey = 0, password = 0;
	u_int i;

	if (o->auth_methods.n == 0 || (o->auth_methods.n == 1 &&
	    strcmp(o->auth_methods.v[0], "any") == 0))
		return;
	for (i = 0; i < o->auth_methods.n; i++) {
		if (strcmp(o->auth_methods.v[i], "publickey") == 0)
			pubkey = 1;
		else if (strcmp(o->auth_methods.v[i], "password") == 0)
			password = 1;
		else
			verbose("AuthenticationMethods list \"%s\" is not "
			    "supported; it cannot be satisfied",
			    o->auth_methods.v[i]);
	}
	mo->pubkey_authentication = ai->pubkey_authentication =
	    ai->pubkey_authentication && pubkey;
	mo->password_authentication = ai->password_authentication =
	    ai->password_authentication && password;
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
	apply_auth_methods(ucfg, mo, ai);
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

/* 1 if any entry of l matches the user (user or user@host patterns). */
static int
user_listed(const struct conf_strlist *l, const struct passwd *pw,
    const struct sshd_conn *c)
{
	u_int i;

	for (i = 0; i < l->n; i++) {
		if (match_user(pw->pw_name, c->remote_host, c->remote_ip,
		    l->v[i]) == 1)
			return 1;
	}
	return 0;
}

/*
 * 1 if any of the user's groups (primary and supplementary) matches an
 * entry of l; 0 if none; -1 if the groups cannot be read (refuse).
 */
static int
group_listed(const struct conf_strlist *l, const struct passwd *pw)
{
	gid_t *groups = NULL;
	struct group *gr;
	int ngroups = 64, n, i, ret = -1;
	u_int j;

	for (n = 0; n < 4; n++) {
		free(groups);
		if ((groups = calloc((size_t)ngroups, sizeof(*groups))) == NULL)
			return -1;
		if (getgrouplist(pw->pw_name, pw->pw_gid, groups,
		    &ngroups) != -1)
			break;
		if (ngroups <= 0 || ngroups > 65536)
			goto out;
	}
	if (n == 4)
		goto out;
	ret = 0;
	for (i = 0; i < ngroups && ret == 0; i++) {
		if ((gr = getgrgid(groups[i])) == NULL)
			continue;
		for (j = 0; j < l->n; j++) {
			if (match_pattern(gr->gr_name, l->v[j])) {
				ret = 1;
				break;
			}
		}
	}
 out:
	free(groups);
	return ret;
}

/*
 * The default checks (shell, account status), then the user's
 * AllowUsers/DenyUsers/AllowGroups/DenyGroups in OpenSSH's order.
 */
static int
hook_user_allowed(const struct passwd *pw, void *ctx)
{
	struct sshd_conn *c = ctx;
	const struct servconf *o = c->ucfg;
	const char *why = NULL;

	if (!monitor_default_hooks.user_allowed(pw,
	    monitor_default_hooks.ctx))
		return 0;
	if (o == NULL)
		return 0;		/* no config for the user: refuse */
	if (o->deny_users.n > 0 && user_listed(&o->deny_users, pw, c))
		why = "listed in DenyUsers";
	else if (o->allow_users.n > 0 &&
	    !user_listed(&o->allow_users, pw, c))
		why = "not listed in AllowUsers";
	else if (o->deny_groups.n > 0 &&
	    group_listed(&o->deny_groups, pw) != 0)
		why = "a group is listed in DenyGroups";
	else if (o->allow_groups.n > 0 &&
	    group_listed(&o->allow_groups, pw) != 1)
		why = "none of user's groups are listed in AllowGroups";
	if (why != NULL) {
		logit("User %s from %s not allowed because %s", pw->pw_name,
		    c->remote_ip, why);
		return 0;
	}
	return 1;
}

void
sshd_hooks_install(struct sshd_conn *c)
{
	struct monitor_hooks h = monitor_default_hooks;

	h.user_allowed = hook_user_allowed;
	h.key_allowed = hook_key_allowed;
	h.user_config = hook_user_config;
	h.ctx = c;
	monitor_set_hooks(c->m, &h);
}
