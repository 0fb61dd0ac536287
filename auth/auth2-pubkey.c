/*
 * auth2-pubkey.c: the "publickey" method (RFC 4252 section 7): queries
 * answered with USERAUTH_PK_OK, signed requests verified by the monitor
 * over the blob rebuilt here from the session id and the request.
 */
#include "includes.h"

#include "auth/auth-options.h"
#include "auth/auth2-impl.h"
#include "buf.h"
#include "errcode.h"
#include "kex-names.h"
#include "kex.h"
#include "key.h"
#include "log.h"
#include "match.h"
#include "monitor-keys.h"
#include "monitor-wrap.h"
#include "monitor.h"
#include "packet.h"
#include "ssh2.h"

/* One publickey request's fields. */
struct pk_req {
	uint8_t has_sig;
	char *alg;
	const u_char *blob;
	size_t bloblen;
	const u_char *sig;
	size_t siglen;
	struct key *key;
};

int
auth2_alg_acceptable(const char *alg, const struct key *k,
    const char *accepted)
{
	if (key_type(k) == KEY_RSA) {
		if (strcmp(alg, "rsa-sha2-256") != 0 &&
		    strcmp(alg, "rsa-sha2-512") != 0 &&
		    strcmp(alg, "ssh-rsa") != 0)
			return 0;
	} else if (strcmp(alg, key_type_name(k)) != 0)
		return 0;
	if (accepted == NULL || *accepted == '\0')
		accepted = KEX_DEFAULT_SIG_ALGS;
	return match_pattern_list(alg, accepted, 0) == 1;
}

/*
 *	boolean	has signature
 *	string	public key algorithm name
 *	string	public key blob
 *	[string	signature]
 */
static int
pk_parse(struct ssh *ssh, struct pk_req *q)
{
	struct buf *pl = packet_payload(ssh);
	int r;

	if ((r = buf_get_u8(pl, &q->has_sig)) != 0 ||
	    (r = buf_get_cstring(pl, &q->alg, NULL)) != 0 ||
	    (r = buf_get_string_direct(pl, &q->blob, &q->bloblen)) != 0 ||
	    (q->has_sig && (r = buf_get_string_direct(pl, &q->sig,
	    &q->siglen)) != 0))
		return r;
	return packet_payload_end(ssh);
}

/*
 * The key, if it is one we can use: parses, is in canonical form (the
 * monitor compares blobs byte for byte), and fits the policy.
 */
static int
pk_key_usable(struct auth2_ctx *a, struct pk_req *q)
{
	u_char *canon = NULL;
	size_t canonlen = 0;
	int ok;

	if (!a->ai.pubkey_authentication)
		return 0;
	if (key_from_blob(q->blob, q->bloblen, &q->key) != 0) {
		debug("publickey: cannot parse the %s key", q->alg);
		return 0;
	}
	if (key_to_blob(q->key, &canon, &canonlen) != 0)
		return 0;
	ok = canonlen == q->bloblen && memcmp(canon, q->blob, canonlen) == 0;
	free(canon);
	if (!ok) {
		debug("publickey: key blob not in canonical form");
		return 0;
	}
	if (!auth2_alg_acceptable(q->alg, q->key,
	    a->ai.pubkey_accepted_algorithms)) {
		logit("publickey: signature algorithm %s not accepted for "
		    "a %s key", q->alg, key_type_name(q->key));
		return 0;
	}
	if (q->has_sig && q->siglen > AUTH2_MAX_SIG)
		return 0;
	return 1;
}

/* RFC 4252 7: USERAUTH_PK_OK echoes the algorithm and the key. */
static int
pk_send_ok(struct auth2_ctx *a, const struct pk_req *q)
{
	struct buf *m;
	int r;

	if ((r = packet_start(a->ssh, SSH2_MSG_USERAUTH_PK_OK, &m)) != 0 ||
	    (r = buf_put_cstring(m, q->alg)) != 0 ||
	    (r = buf_put_string(m, q->blob, q->bloblen)) != 0)
		return r;
	return packet_send(a->ssh);
}

/* The data the client signed (RFC 4252 7). */
static int
pk_signed_data(struct auth2_ctx *a, const struct pk_req *q, struct buf *b)
{
	const u_char *sid;
	size_t sidlen;
	int r;

	if ((sid = kex_session_id(a->ssh, &sidlen)) == NULL)
		return ERR_INTERNAL;
	if ((r = buf_put_string(b, sid, sidlen)) != 0 ||
	    (r = buf_put_u8(b, SSH2_MSG_USERAUTH_REQUEST)) != 0 ||
	    (r = buf_put_cstring(b, a->user)) != 0 ||
	    (r = buf_put_cstring(b, a->service)) != 0 ||
	    (r = buf_put_cstring(b, "publickey")) != 0 ||
	    (r = buf_put_u8(b, 1)) != 0 ||
	    (r = buf_put_cstring(b, q->alg)) != 0 ||
	    (r = buf_put_string(b, q->blob, q->bloblen)) != 0)
		return r;
	return 0;
}

/* The options the monitor sent for the key (empty: none). */
static int
pk_take_opts(struct auth2_ctx *a, struct buf *opts)
{
	struct authopts *o = NULL;
	int r;

	if (buf_len(opts) == 0)
		o = authopts_new();
	else if ((r = monitor_authopts_get(opts, &o)) != 0)
		return r;
	if (o == NULL)
		return ERR_ALLOC_FAIL;
	authopts_free(a->authopts);
	a->authopts = o;
	return 0;
}

static int
pk_verify(struct auth2_ctx *a, const struct pk_req *q, struct buf *opts,
    enum auth2_outcome *outp)
{
	struct buf *data;
	int r, ok = 0;

	if ((data = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = pk_signed_data(a, q, data)) != 0 ||
	    (r = mm_key_verify(a->p->monitor_fd, q->key, buf_ptr(data),
	    buf_len(data), q->sig, q->siglen, &ok)) != 0)
		goto out;
	if (ok) {
		if ((r = pk_take_opts(a, opts)) != 0)
			goto out;
		a->method = "publickey";
		*outp = AUTH2_SUCCESS;
	}
	r = 0;
 out:
	buf_free(data);
	return r;
}

int
auth2_method_publickey(struct auth2_ctx *a, enum auth2_outcome *outp)
{
	struct pk_req q;
	struct buf *opts = NULL;
	int r = ERR_INTERNAL, allowed = 0;

	*outp = AUTH2_FAILURE;
	memset(&q, 0, sizeof(q));
	if ((r = pk_parse(a->ssh, &q)) != 0)
		goto out;
	if (!pk_key_usable(a, &q)) {
		r = 0;
		goto out;
	}
	if ((opts = buf_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = mm_key_allowed(a->p->monitor_fd, q.key, &allowed,
	    opts)) != 0) {
		error_fr(r, "monitor");
		goto out;
	}
	if (!allowed)
		r = 0;
	else if (!q.has_sig) {
		*outp = AUTH2_ANSWERED;
		r = pk_send_ok(a, &q);
	} else
		r = pk_verify(a, &q, opts, outp);
 out:
	free(q.alg);
	key_free(q.key);
	buf_free(opts);
	return r;
}
