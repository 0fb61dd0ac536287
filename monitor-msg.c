/*
 * monitor-msg.c: framing of monitor messages and the passwd encoding,
 * shared by both sides (monitor.h).
 */
#include "includes.h"

#include <pwd.h>

#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "misc.h"
#include "monitor.h"
#include "monitor-wrap.h"
#include "uidswap.h"

/* What atomicio's errno means for a short transfer. */
static int
msg_io_error(size_t done, int at_start)
{
	if (errno == EPIPE)
		return done == 0 && at_start ? ERR_CONN_CLOSED :
		    ERR_MESSAGE_INCOMPLETE;
	return ERR_ERRNO;
}

int
monitor_msg_send(int fd, uint8_t type, const struct buf *body)
{
	u_char hdr[5];
	size_t len = body != NULL ? buf_len(body) : 0, n;

	if (len > MONITOR_MAX_MSG - 1)
		return ERR_INVALID_ARGUMENT;
	hdr[0] = (u_char)((len + 1) >> 24);
	hdr[1] = (u_char)((len + 1) >> 16);
	hdr[2] = (u_char)((len + 1) >> 8);
	hdr[3] = (u_char)(len + 1);
	hdr[4] = type;
	if ((n = atomicio_write(fd, hdr, sizeof(hdr))) != sizeof(hdr))
		return errno == EPIPE ? ERR_CONN_CLOSED : ERR_ERRNO;
	if (len > 0 && atomicio_write(fd, buf_ptr(body), len) != len)
		return errno == EPIPE ? ERR_CONN_CLOSED : ERR_ERRNO;
	return 0;
}

int
monitor_msg_recv(int fd, uint8_t *typep, struct buf *body)
{
	u_char hdr[4], *p;
	uint32_t len;
	size_t n;
	int r;

	*typep = 0;
	buf_reset(body);
	if ((n = atomicio_read(fd, hdr, sizeof(hdr))) != sizeof(hdr))
		return msg_io_error(n, 1);
	len = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 |
	    (uint32_t)hdr[2] << 8 | hdr[3];
	/* Bound the length before trusting it for anything. */
	if (len == 0 || len > MONITOR_MAX_MSG) {
		error_f("message length %u out of range", len);
		return ERR_INVALID_FORMAT;
	}
	if ((n = atomicio_read(fd, typep, 1)) != 1) {
		*typep = 0;
		return msg_io_error(0, 0);
	}
	if (len == 1)
		return 0;
	if ((r = buf_reserve(body, len - 1, &p)) != 0)
		return r;
	if ((n = atomicio_read(fd, p, len - 1)) != len - 1) {
		buf_reset(body);
		*typep = 0;
		return msg_io_error(n, 0);
	}
	return 0;
}

/* ------------------------------------------------------------ passwd */

int
monitor_put_passwd(struct buf *b, const struct passwd *pw)
{
	int r;

	if (pw == NULL || pw->pw_name == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((r = buf_put_cstring(b, pw->pw_name)) != 0 ||
	    (r = buf_put_cstring(b, "*")) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)pw->pw_uid)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)pw->pw_gid)) != 0 ||
	    (r = buf_put_cstring(b, "")) != 0 ||
	    (r = buf_put_cstring(b, pw->pw_dir != NULL ?
	    pw->pw_dir : "")) != 0 ||
	    (r = buf_put_cstring(b, pw->pw_shell != NULL ?
	    pw->pw_shell : "")) != 0)
		return r;
	return 0;
}

int
monitor_get_passwd(struct buf *b, struct passwd **pwp)
{
	struct passwd *pw = NULL;
	uint32_t uid, gid;
	int r = ERR_INTERNAL;

	*pwp = NULL;
	if ((pw = calloc(1, sizeof(*pw))) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = buf_get_cstring(b, &pw->pw_name, NULL)) != 0 ||
	    (r = buf_get_cstring(b, &pw->pw_passwd, NULL)) != 0 ||
	    (r = buf_get_u32(b, &uid)) != 0 ||
	    (r = buf_get_u32(b, &gid)) != 0 ||
	    (r = buf_get_cstring(b, &pw->pw_gecos, NULL)) != 0 ||
	    (r = buf_get_cstring(b, &pw->pw_dir, NULL)) != 0 ||
	    (r = buf_get_cstring(b, &pw->pw_shell, NULL)) != 0)
		goto out;
	if (pw->pw_name[0] == '\0' || strlen(pw->pw_name) > MONITOR_MAX_USER) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	pw->pw_uid = (uid_t)uid;
	pw->pw_gid = (gid_t)gid;
	*pwp = pw;
	pw = NULL;
	r = 0;
 out:
	pw_free(pw);
	return r;
}

/* ------------------------------------------------------------ authinfo */

void
monitor_authinfo_clear(struct monitor_authinfo *ai)
{
	if (ai == NULL)
		return;
	free(ai->pubkey_accepted_algorithms);
	free(ai->banner);
	memset(ai, 0, sizeof(*ai));
}
