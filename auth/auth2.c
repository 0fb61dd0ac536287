/*
 * auth2.c: the server side of the ssh-userauth service (auth2.h,
 * RFC 4252): the service request, the USERAUTH_REQUEST loop, failure
 * counting, the banner and the final USERAUTH_SUCCESS.
 *
 * Everything that decides is asked of the monitor; this file only
 * parses, keeps count and answers.
 */
#include "includes.h"

#include <poll.h>
#include <pwd.h>

#include "auth/auth-options.h"
#include "auth/auth2-impl.h"
#include "auth/auth2.h"
#include "buf.h"
#include "dispatch.h"
#include "errcode.h"
#include "log.h"
#include "monitor-wrap.h"
#include "monitor.h"
#include "packet.h"
#include "ssh2.h"
#include "uidswap.h"

#define USERAUTH_SERVICE	"ssh-userauth"
#define CONNECTION_SERVICE	"ssh-connection"

static dispatch_fn auth2_service_request;
static dispatch_fn auth2_userauth_request;

static const struct {
	const char *name;
	auth2_method_fn *fn;
} auth2_methods[] = {
	{ "none", auth2_method_none },
	{ "publickey", auth2_method_publickey },
	{ "password", auth2_method_password },
};

#define NMETHODS	(sizeof(auth2_methods) / sizeof(auth2_methods[0]))

static struct auth2_ctx *
auth2_ctx(struct ssh *ssh)
{
	return packet_get_app_data(ssh);
}

/* ------------------------------------------------------------ phases */

/*
 * The handlers of a phase (STYLE.md rule 14): before the service is
 * accepted only SERVICE_REQUEST, then USERAUTH_REQUEST (and
 * SERVICE_REQUEST again, as some clients send it per attempt).  Other
 * userauth messages get UNIMPLEMENTED (RFC 4253 11.4); the connection
 * protocol before authentication is a protocol error.
 */
static void
auth2_arm(struct ssh *ssh, int service_accepted)
{
	dispatch_reset_app(ssh);
	dispatch_range(ssh, SSH2_MSG_CONNECTION_MIN, SSH2_MSG_CONNECTION_MAX,
	    dispatch_protocol_error);
	if (!service_accepted) {
		dispatch_set(ssh, SSH2_MSG_SERVICE_REQUEST,
		    auth2_service_request);
		dispatch_range(ssh, SSH2_MSG_USERAUTH_MIN,
		    SSH2_MSG_USERAUTH_MAX, dispatch_protocol_error);
	} else {
		/* Again before each attempt from some clients (paramiko),
		 * as OpenSSH allows: accepted again. */
		dispatch_set(ssh, SSH2_MSG_SERVICE_REQUEST,
		    auth2_service_request);
		dispatch_set(ssh, SSH2_MSG_USERAUTH_REQUEST,
		    auth2_userauth_request);
	}
}

static int
auth2_service_request(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct buf *m;
	char *service = NULL;
	int r;

	(void)type;
	(void)seqnr;
	if ((r = buf_get_cstring(packet_payload(ssh), &service, NULL)) != 0 ||
	    (r = packet_payload_end(ssh)) != 0)
		goto out;
	if (strcmp(service, USERAUTH_SERVICE) != 0) {
		r = packet_disconnect(ssh,
		    SSH2_DISCONNECT_SERVICE_NOT_AVAILABLE,
		    "bad service request %s", service);
		goto out;
	}
	debug("service %s accepted", service);
	if ((r = packet_start(ssh, SSH2_MSG_SERVICE_ACCEPT, &m)) != 0 ||
	    (r = buf_put_cstring(m, USERAUTH_SERVICE)) != 0 ||
	    (r = packet_send(ssh)) != 0)
		goto out;
	auth2_arm(ssh, 1);
	r = 0;
 out:
	free(service);
	return r;
}

/* ------------------------------------------------------------ answers */

/* "publickey,password" as the policy allows. */
static int
auth2_put_methods(const struct auth2_ctx *a, struct buf *m)
{
	char list[32] = "";

	if (a->ai.pubkey_authentication)
		strlcat(list, "publickey", sizeof(list));
	if (a->ai.password_authentication) {
		if (list[0] != '\0')
			strlcat(list, ",", sizeof(list));
		strlcat(list, "password", sizeof(list));
	}
	return buf_put_cstring(m, list);
}

/* USERAUTH_BANNER with the monitor's text, once (RFC 4252 5.4). */
static int
auth2_send_banner(struct auth2_ctx *a)
{
	struct buf *m;
	int r;

	if (a->banner_sent || a->ai.banner == NULL || *a->ai.banner == '\0')
		return 0;
	a->banner_sent = 1;
	if ((r = packet_start(a->ssh, SSH2_MSG_USERAUTH_BANNER, &m)) != 0 ||
	    (r = buf_put_cstring(m, a->ai.banner)) != 0 ||
	    (r = buf_put_cstring(m, "")) != 0)
		return r;
	return packet_send(a->ssh);
}

/* Hold back a failure's answer a little (auth2_params). */
static void
auth2_delay(const struct auth2_ctx *a)
{
	if (a->p->failure_delay_ms > 0)
		(void)poll(NULL, 0, (int)MINIMUM(a->p->failure_delay_ms, 5000));
}

static int
auth2_failure(struct auth2_ctx *a, int counted)
{
	struct buf *m;
	u_int max = a->ai.max_auth_tries != 0 ? a->ai.max_auth_tries :
	    AUTH2_DEFAULT_MAX_TRIES;
	int r;

	if (counted && ++a->failures >= max)
		return packet_disconnect(a->ssh,
		    SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE,
		    "Too many authentication failures");
	if (counted)
		auth2_delay(a);
	if ((r = auth2_send_banner(a)) != 0 ||
	    (r = packet_start(a->ssh, SSH2_MSG_USERAUTH_FAILURE, &m)) != 0 ||
	    (r = auth2_put_methods(a, m)) != 0 ||
	    (r = buf_put_u8(m, 0)) != 0)		/* partial success */
		return r;
	return packet_send(a->ssh);
}

static int
auth2_success(struct auth2_ctx *a)
{
	struct buf *m;
	int r;

	if ((r = packet_start(a->ssh, SSH2_MSG_USERAUTH_SUCCESS, &m)) != 0 ||
	    (r = packet_send(a->ssh)) != 0)
		return r;
	dispatch_reset_app(a->ssh);
	a->done = 1;
	return 0;
}

/* ------------------------------------------------------------ requests */

/* The first request names the user and service for good. */
static int
auth2_first_request(struct auth2_ctx *a, const char *user,
    const char *service)
{
	char desc[MONITOR_MAX_USER + 128];
	size_t len = strlen(user);
	int r;

	if (len == 0 || len > MONITOR_MAX_USER)
		return packet_disconnect(a->ssh,
		    SSH2_DISCONNECT_ILLEGAL_USER_NAME, "Invalid user name");
	if (strcmp(service, CONNECTION_SERVICE) != 0)
		return packet_disconnect(a->ssh,
		    SSH2_DISCONNECT_SERVICE_NOT_AVAILABLE,
		    "Unsupported service %s", service);
	if ((a->user = strdup(user)) == NULL ||
	    (a->service = strdup(service)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = mm_getpwnam(a->p->monitor_fd, user, &a->pw)) != 0 ||
	    (r = mm_auth_info(a->p->monitor_fd, &a->ai)) != 0) {
		error_fr(r, "monitor");
		return r;
	}
	/* Log lines from now on say who is authenticating. */
	snprintf(desc, sizeof(desc), "authenticating user %s %s port %d",
	    user, a->p->remote_ip != NULL ? a->p->remote_ip : "UNKNOWN",
	    a->p->remote_port);
	return packet_set_peer_desc(a->ssh, desc);
}

static auth2_method_fn *
auth2_find_method(const char *name)
{
	size_t i;

	for (i = 0; i < NMETHODS; i++) {
		if (strcmp(auth2_methods[i].name, name) == 0)
			return auth2_methods[i].fn;
	}
	return NULL;
}

/* The unknown methods fail, counted (the rest of the request unread). */
static int
auth2_method_unknown(struct auth2_ctx *a, enum auth2_outcome *outp)
{
	(void)a;
	*outp = AUTH2_FAILURE;
	return 0;
}

static int
auth2_run_method(struct auth2_ctx *a, const char *method)
{
	auth2_method_fn *fn;
	enum auth2_outcome out = AUTH2_FAILURE;
	int r;

	if ((fn = auth2_find_method(method)) == NULL) {
		debug("userauth method %s unknown", method);
		fn = auth2_method_unknown;
	}
	if ((r = fn(a, &out)) != 0)
		return r;
	switch (out) {
	case AUTH2_SUCCESS:
		return auth2_success(a);
	case AUTH2_ANSWERED:
		return 0;
	case AUTH2_FAILURE_FREE:
		return auth2_failure(a, 0);
	default:
		return auth2_failure(a, 1);
	}
}

static int
auth2_userauth_request(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct auth2_ctx *a = auth2_ctx(ssh);
	struct buf *pl = packet_payload(ssh);
	char *user = NULL, *service = NULL, *method = NULL;
	int r;

	(void)type;
	(void)seqnr;
	if ((r = buf_get_cstring(pl, &user, NULL)) != 0 ||
	    (r = buf_get_cstring(pl, &service, NULL)) != 0 ||
	    (r = buf_get_cstring(pl, &method, NULL)) != 0)
		goto out;
	debug("userauth-request for user %s service %s method %s", user,
	    service, method);
	if (a->user == NULL)
		r = auth2_first_request(a, user, service);
	else if (strcmp(a->user, user) != 0 ||
	    strcmp(a->service, service) != 0)
		r = packet_disconnect(ssh, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "Change of username or service not allowed: "
		    "(%s,%s) -> (%s,%s)", a->user, a->service, user, service);
	if (r == 0)
		r = auth2_run_method(a, method);
 out:
	free(user);
	free(service);
	free(method);
	return r;
}

/* ------------------------------------------------------------ run */

static void
auth2_ctx_clear(struct auth2_ctx *a)
{
	free(a->user);
	free(a->service);
	pw_free(a->pw);
	monitor_authinfo_clear(&a->ai);
	authopts_free(a->authopts);
	memset(a, 0, sizeof(*a));
}

/* Hand the outcome over to the caller. */
static int
auth2_fill_result(struct auth2_ctx *a, struct auth2_result *res)
{
	if ((res->method = strdup(a->method)) == NULL)
		return ERR_ALLOC_FAIL;
	res->pw = a->pw;
	res->authopts = a->authopts;
	a->pw = NULL;
	a->authopts = NULL;
	return 0;
}

int
auth2_server_run(struct ssh *ssh, const struct auth2_params *p,
    struct auth2_result *res)
{
	struct auth2_ctx a;
	void *saved = packet_get_app_data(ssh);
	int r = ERR_INTERNAL;

	memset(res, 0, sizeof(*res));
	memset(&a, 0, sizeof(a));
	a.ssh = ssh;
	a.p = p;
	packet_set_app_data(ssh, &a);
	auth2_arm(ssh, 0);
	r = dispatch_run_fd(ssh, &a.done, -1);
	if (r == 0 && a.done) {
		if ((r = packet_fd_flush(ssh, -1)) == 0)
			r = auth2_fill_result(&a, res);
	} else if (r == 0)
		r = ERR_INTERNAL;
	else if (packet_is_closed(ssh) && r != ERR_CONN_CLOSED)
		r = ERR_DISCONNECTED;
	packet_set_app_data(ssh, saved);
	auth2_ctx_clear(&a);
	return r;
}

void
auth2_result_clear(struct auth2_result *res)
{
	if (res == NULL)
		return;
	pw_free(res->pw);
	free(res->method);
	authopts_free(res->authopts);
	memset(res, 0, sizeof(*res));
}
