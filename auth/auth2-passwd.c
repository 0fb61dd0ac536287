/*
 * auth2-passwd.c: the "none" and "password" methods (RFC 4252 sections
 * 5.2 and 8).  The password goes to the monitor and is wiped here.
 */
#include "includes.h"

#include "auth/auth-options.h"
#include "auth/auth2-impl.h"
#include "buf.h"
#include "errcode.h"
#include "log.h"
#include "monitor-wrap.h"
#include "monitor.h"
#include "packet.h"

int
auth2_method_none(struct auth2_ctx *a, enum auth2_outcome *outp)
{
	int r;

	*outp = AUTH2_FAILURE_FREE;
	if ((r = packet_payload_end(a->ssh)) != 0)
		return r;
	return 0;
}

/*
 * RFC 4252 8:
 *	boolean	FALSE (TRUE: a password change, which we refuse)
 *	string	plaintext password
 *	[string	new password]
 */
int
auth2_method_password(struct auth2_ctx *a, enum auth2_outcome *outp)
{
	struct buf *pl = packet_payload(a->ssh);
	char *password = NULL, *newpass = NULL;
	size_t len = 0, newlen = 0;
	uint8_t change;
	int r = ERR_INTERNAL, ok = 0;

	*outp = AUTH2_FAILURE;
	if ((r = buf_get_u8(pl, &change)) != 0 ||
	    (r = buf_get_cstring(pl, &password, &len)) != 0 ||
	    (change && (r = buf_get_cstring(pl, &newpass, &newlen)) != 0) ||
	    (r = packet_payload_end(a->ssh)) != 0)
		goto out;
	if (change) {
		logit("password change not supported");
		r = 0;
		goto out;
	}
	/* Too long for the monitor: a failure like any other. */
	if (!a->ai.password_authentication || len > MONITOR_MAX_PASSWORD) {
		r = 0;
		goto out;
	}
	if ((r = mm_auth_password(a->p->monitor_fd, password, &ok)) != 0) {
		error_fr(r, "monitor");
		goto out;
	}
	if (ok) {
		if ((a->authopts = authopts_new()) == NULL) {
			r = ERR_ALLOC_FAIL;
			goto out;
		}
		a->method = "password";
		*outp = AUTH2_SUCCESS;
	}
	r = 0;
 out:
	if (password != NULL)
		freezero(password, len);
	if (newpass != NULL)
		freezero(newpass, newlen);
	return r;
}
