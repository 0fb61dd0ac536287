/*
 * monitor-keys.c: the monitor's authorized_keys checker and the wire
 * form of key options (monitor-keys.h).
 */
#include "includes.h"

#include <fcntl.h>
#include <pwd.h>
#include <time.h>

#include "auth/auth-options.h"
#include "buf.h"
#include "conf.h"
#include "errcode.h"
#include "key.h"
#include "log.h"
#include "misc.h"
#include "monitor-keys.h"
#include "servconf.h"
#include "uidswap.h"

/* ------------------------------------------------------------ checker */

/* Open path as pw (its permissions, not root's); -1 if it cannot be. */
static int
mk_open_as_user(const struct passwd *pw, const char *path)
{
	int fd, saved;

	if (uidswap_temporarily_use(pw) != 0)
		return -1;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	saved = errno;
	if (uidswap_restore() != 0) {
		/* Cannot happen as root; never go on half-swapped. */
		if (fd != -1)
			close(fd);
		return -1;
	}
	errno = saved;
	if (fd == -1 && errno != ENOENT)
		debug_f("%s: %s", path, strerror(errno));
	return fd;
}

/* The key's line in one file, if it is there and usable. */
static int
mk_check_file(const struct monitor_authkeys *ak, const struct passwd *pw,
    const char *path, const struct key *key, struct authopts **optsp)
{
	struct authopts *o = NULL;
	char err[512];
	u_long line = 0;
	int fd, r;

	*optsp = NULL;
	if ((fd = mk_open_as_user(pw, path)) == -1)
		return 0;
	if (ak->strict_modes &&
	    safe_path_fd(fd, path, pw->pw_dir, pw->pw_uid, err,
	    sizeof(err)) != 0) {
		logit("Authentication refused: %s", err);
		close(fd);
		return 0;
	}
	r = authkeys_find_key_fd(fd, path, key, 0, &o, &line);
	close(fd);
	if (r == ERR_KEY_NOT_FOUND || r == ERR_ERRNO)
		return 0;
	if (r != 0)
		return r;
	if (authopts_expired(o, (uint64_t)time(NULL))) {
		verbose("%s:%lu: key has expired", path, line);
		authopts_free(o);
		return 0;
	}
	if (!authopts_from_ok(o, ak->remote_host, ak->remote_ip)) {
		logit("%s:%lu: key not allowed from %s", path, line,
		    ak->remote_ip != NULL ? ak->remote_ip : "(unknown)");
		authopts_free(o);
		return 0;
	}
	debug_f("matching key found: file %s, line %lu", path, line);
	*optsp = o;
	return 0;
}

int
monitor_authkeys_allowed(const struct passwd *pw, const struct key *key,
    int *allowedp, struct buf *opts, void *ctx)
{
	const struct monitor_authkeys *ak = ctx;
	struct authopts *o = NULL;
	char *path = NULL;
	u_int i;
	int r = 0;

	*allowedp = 0;
	if (ak == NULL || ak->files == NULL || pw == NULL || key == NULL)
		return ERR_INVALID_ARGUMENT;
	for (i = 0; i < ak->files->n && o == NULL; i++) {
		if (strcasecmp(ak->files->v[i], "none") == 0)
			continue;
		if ((r = servconf_expand_user_path(ak->files->v[i],
		    pw->pw_name, pw->pw_dir, pw->pw_uid, 1, &path)) != 0) {
			error_fr(r, "AuthorizedKeysFile %s", ak->files->v[i]);
			continue;
		}
		r = mk_check_file(ak, pw, path, key, &o);
		free(path);
		path = NULL;
		if (r != 0)
			return r;
	}
	if (o == NULL)
		return 0;
	if ((r = monitor_authopts_put(opts, o)) == 0)
		*allowedp = 1;
	authopts_free(o);
	return r;
}

/* ------------------------------------------------------------ wire */

#define MK_F_PORT	0x001
#define MK_F_AGENT	0x002
#define MK_F_X11	0x004
#define MK_F_PTY	0x008
#define MK_F_RC		0x010
#define MK_F_RESTRICT	0x020
#define MK_F_CA		0x040
#define MK_F_NOTOUCH	0x080
#define MK_F_VERIFY	0x100
#define MK_F_ALL	0x1ff

static uint32_t
mk_flags(const struct authopts *o)
{
	return (o->permit_port_forwarding ? MK_F_PORT : 0) |
	    (o->permit_agent_forwarding ? MK_F_AGENT : 0) |
	    (o->permit_x11_forwarding ? MK_F_X11 : 0) |
	    (o->permit_pty ? MK_F_PTY : 0) |
	    (o->permit_user_rc ? MK_F_RC : 0) |
	    (o->restricted ? MK_F_RESTRICT : 0) |
	    (o->cert_authority ? MK_F_CA : 0) |
	    (o->no_require_user_presence ? MK_F_NOTOUCH : 0) |
	    (o->require_verify ? MK_F_VERIFY : 0);
}

static void
mk_set_flags(struct authopts *o, uint32_t f)
{
	o->permit_port_forwarding = (f & MK_F_PORT) != 0;
	o->permit_agent_forwarding = (f & MK_F_AGENT) != 0;
	o->permit_x11_forwarding = (f & MK_F_X11) != 0;
	o->permit_pty = (f & MK_F_PTY) != 0;
	o->permit_user_rc = (f & MK_F_RC) != 0;
	o->restricted = (f & MK_F_RESTRICT) != 0;
	o->cert_authority = (f & MK_F_CA) != 0;
	o->no_require_user_presence = (f & MK_F_NOTOUCH) != 0;
	o->require_verify = (f & MK_F_VERIFY) != 0;
}

static int
mk_put_opt_string(struct buf *b, const char *s)
{
	int r;

	if ((r = buf_put_u8(b, s != NULL)) != 0 ||
	    (r = buf_put_cstring(b, s != NULL ? s : "")) != 0)
		return r;
	return 0;
}

static int
mk_put_list(struct buf *b, char **v, size_t n)
{
	size_t i;
	int r;

	if (n > AUTHOPTS_MAX_LIST)
		return ERR_INVALID_ARGUMENT;
	if ((r = buf_put_u32(b, (uint32_t)n)) != 0)
		return r;
	for (i = 0; i < n; i++) {
		if ((r = buf_put_cstring(b, v[i])) != 0)
			return r;
	}
	return 0;
}

int
monitor_authopts_put(struct buf *b, const struct authopts *o)
{
	int r;

	if (o == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((r = buf_put_u32(b, mk_flags(o))) != 0 ||
	    (r = buf_put_u64(b, o->valid_before)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)o->force_tun_device)) != 0 ||
	    (r = mk_put_opt_string(b, o->force_command)) != 0 ||
	    (r = mk_put_opt_string(b, o->required_from_host)) != 0 ||
	    (r = mk_put_opt_string(b, o->cert_principals)) != 0 ||
	    (r = mk_put_list(b, o->env, o->nenv)) != 0 ||
	    (r = mk_put_list(b, o->permitopen, o->npermitopen)) != 0 ||
	    (r = mk_put_list(b, o->permitlisten, o->npermitlisten)) != 0)
		return r;
	return 0;
}

static int
mk_get_opt_string(struct buf *b, char **sp)
{
	uint8_t present;
	char *s = NULL;
	int r;

	*sp = NULL;
	if ((r = buf_get_u8(b, &present)) != 0 ||
	    (r = buf_get_cstring(b, &s, NULL)) != 0)
		return r;
	if (present > 1 || (!present && *s != '\0')) {
		free(s);
		return ERR_INVALID_FORMAT;
	}
	if (present)
		*sp = s;
	else
		free(s);
	return 0;
}

static int
mk_get_list(struct buf *b, char ***vp, size_t *np)
{
	char **v;
	uint32_t n, i;
	int r;

	if ((r = buf_get_u32(b, &n)) != 0)
		return r;
	if (n > AUTHOPTS_MAX_LIST || n > buf_len(b) / 4)
		return ERR_INVALID_FORMAT;
	if (n == 0)
		return 0;
	if ((v = calloc(n, sizeof(*v))) == NULL)
		return ERR_ALLOC_FAIL;
	/* Owned by the struct from here, so authopts_free cleans up. */
	*vp = v;
	for (i = 0; i < n; i++) {
		if ((r = buf_get_cstring(b, &v[i], NULL)) != 0)
			return r;
		*np = i + 1;
	}
	return 0;
}

int
monitor_authopts_get(struct buf *b, struct authopts **op)
{
	struct authopts *o;
	uint32_t flags, tun;
	int r = ERR_INTERNAL;

	*op = NULL;
	if ((o = authopts_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = buf_get_u32(b, &flags)) != 0 ||
	    (r = buf_get_u64(b, &o->valid_before)) != 0 ||
	    (r = buf_get_u32(b, &tun)) != 0 ||
	    (r = mk_get_opt_string(b, &o->force_command)) != 0 ||
	    (r = mk_get_opt_string(b, &o->required_from_host)) != 0 ||
	    (r = mk_get_opt_string(b, &o->cert_principals)) != 0 ||
	    (r = mk_get_list(b, &o->env, &o->nenv)) != 0 ||
	    (r = mk_get_list(b, &o->permitopen, &o->npermitopen)) != 0 ||
	    (r = mk_get_list(b, &o->permitlisten, &o->npermitlisten)) != 0)
		goto out;
	if ((flags & ~(uint32_t)MK_F_ALL) != 0 ||
	    ((int32_t)tun < 0 && (int32_t)tun != AUTHOPTS_TUN_ANY)) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	mk_set_flags(o, flags);
	o->force_tun_device = (int)(int32_t)tun;
	*op = o;
	o = NULL;
	r = 0;
 out:
	authopts_free(o);
	return r;
}
