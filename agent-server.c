/*
 * agent-server.c: the agent's keys and its answers to requests
 * (agent-server.h).
 *
 * Requests go through a 256-entry handler table per phase (STYLE.md rule
 * 14): while unlocked every request below is armed; while locked only
 * UNLOCK and REQUEST_IDENTITIES (which then lists nothing) are, as in
 * OpenSSH.  Anything else, and every request that does not parse or is
 * refused, is answered with FAILURE (draft-miller-ssh-agent section 3.1).
 * Each handler reads its message field by field in the draft's order and
 * requires that nothing is left over.
 */
#include "includes.h"

#include <openssl/evp.h>

#include "agent.h"
#include "agent-server.h"
#include "agent-lock.h"
#include "buf.h"
#include "digest.h"
#include "errcode.h"
#include "key.h"
#include "log.h"
#include "misc.h"

/* Longest session identifier accepted from session-bind (SHA-512 is 64). */
#define AGENT_MAX_SID_LEN	128

struct agent_id {
	struct key *key;	/* private key; NULL while sealed */
	u_char *blob;		/* public blob, to find the key by */
	size_t bloblen;
	char *comment;
	uint64_t death;		/* monotonic second of expiry; 0 = never */
	int confirm;		/* ask before each use */
	struct buf *sealed;	/* the sealed private key while locked */
};

struct agent_state {
	struct agent_id **ids;
	size_t nids;
	uint32_t default_life;
	int fp_alg;
	struct agent_hooks hooks;
	struct agent_lock *lock;	/* non-NULL while locked */
	unsigned int lock_rounds;
	unsigned int unlock_fails;
};

struct agent_binding {
	u_char *hostkey;	/* public blob of the server's host key */
	size_t hostkeylen;
	u_char *sid;
	size_t sidlen;
	int forwarding;
};

struct agent_conn {
	struct agent_binding bindings[AGENT_SERVER_MAX_BINDINGS];
	size_t nbindings;
};

typedef int agent_handler(struct agent_state *, struct agent_conn *,
    uint8_t type, struct buf *req, struct buf *out);

/* ------------------------------------------------------ state */

int
agent_state_new(struct agent_state **sp)
{
	struct agent_state *s;

	*sp = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return ERR_ALLOC_FAIL;
	s->fp_alg = DIGEST_SHA256;
	s->lock_rounds = AGENT_LOCK_ROUNDS;
	*sp = s;
	return 0;
}

static void
id_free(struct agent_id *id)
{
	if (id == NULL)
		return;
	key_free(id->key);
	buf_free(id->sealed);
	free(id->blob);
	free(id->comment);
	freezero(id, sizeof(*id));
}

void
agent_state_free(struct agent_state *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nids; i++)
		id_free(s->ids[i]);
	free(s->ids);
	agent_lock_free(s->lock);
	freezero(s, sizeof(*s));
}

void
agent_state_set_hooks(struct agent_state *s, const struct agent_hooks *hooks)
{
	if (hooks == NULL)
		memset(&s->hooks, 0, sizeof(s->hooks));
	else
		s->hooks = *hooks;
}

void
agent_state_set_default_lifetime(struct agent_state *s, uint32_t secs)
{
	s->default_life = secs;
}

void
agent_state_set_fp_alg(struct agent_state *s, int digest_alg)
{
	s->fp_alg = digest_alg;
}

void
agent_state_set_lock_rounds(struct agent_state *s, unsigned int n)
{
	s->lock_rounds = n == 0 ? 1 : n;
}

size_t
agent_state_nkeys(const struct agent_state *s)
{
	return s->nids;
}

int
agent_state_is_locked(const struct agent_state *s)
{
	return s->lock != NULL;
}

static uint64_t
state_now(const struct agent_state *s)
{
	if (s->hooks.now != NULL)
		return s->hooks.now(s->hooks.ctx);
	return monotime();
}

/* Remove (and wipe) identity i, keeping the order of the others. */
static void
state_remove(struct agent_state *s, size_t i)
{
	id_free(s->ids[i]);
	if (i + 1 < s->nids)
		memmove(&s->ids[i], &s->ids[i + 1],
		    (s->nids - i - 1) * sizeof(*s->ids));
	s->nids--;
	s->ids[s->nids] = NULL;
}

uint64_t
agent_state_expire(struct agent_state *s)
{
	uint64_t now = state_now(s), next = 0;
	size_t i = 0;

	while (i < s->nids) {
		if (s->ids[i]->death == 0) {
			i++;
			continue;
		}
		if (s->ids[i]->death <= now) {
			debug("expiring key \"%s\"", s->ids[i]->comment);
			state_remove(s, i);
			continue;
		}
		if (next == 0 || s->ids[i]->death - now < next)
			next = s->ids[i]->death - now;
		i++;
	}
	return next;
}

/* The identity whose public blob is blob, or NULL. */
static struct agent_id *
state_lookup(const struct agent_state *s, const u_char *blob, size_t len,
    size_t *indexp)
{
	size_t i;

	for (i = 0; i < s->nids; i++) {
		if (s->ids[i]->bloblen == len &&
		    memcmp(s->ids[i]->blob, blob, len) == 0) {
			if (indexp != NULL)
				*indexp = i;
			return s->ids[i];
		}
	}
	return NULL;
}

/* ------------------------------------------------------ connections */

int
agent_conn_new(struct agent_conn **cp)
{
	*cp = calloc(1, sizeof(**cp));
	return *cp == NULL ? ERR_ALLOC_FAIL : 0;
}

void
agent_conn_free(struct agent_conn *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nbindings; i++) {
		free(c->bindings[i].hostkey);
		free(c->bindings[i].sid);
	}
	freezero(c, sizeof(*c));
}

size_t
agent_conn_nbindings(const struct agent_conn *c)
{
	return c->nbindings;
}

/* ------------------------------------------------------ helpers */

/* Messages with nothing after their last field (STYLE.md rule 3). */
static int
check_end(const struct buf *req)
{
	return buf_len(req) == 0 ? 0 : ERR_UNEXPECTED_TRAILING_DATA;
}

static void
log_key(const struct agent_state *s, const char *what, const struct key *k,
    const char *comment)
{
	char *fp;

	if (!log_is_on(LOG_LEVEL_DEBUG1))
		return;
	fp = key_fingerprint(k, s->fp_alg, KEY_FP_DEFAULT);
	debug("%s %s %s \"%s\"", what, key_type_name(k),
	    fp == NULL ? "(no fingerprint)" : fp, comment);
	free(fp);
}

/* The confirm constraint: ask through the hook; no hook refuses. */
static int
confirm_use(const struct agent_state *s, const struct agent_id *id)
{
	char *fp = NULL, *prompt = NULL;
	int r = ERR_AGENT_FAILURE;

	if (s->hooks.confirm == NULL) {
		debug_f("no way to ask for confirmation; refused");
		return ERR_AGENT_FAILURE;
	}
	if ((fp = key_fingerprint(id->key, s->fp_alg, KEY_FP_DEFAULT)) ==
	    NULL)
		return ERR_ALLOC_FAIL;
	if (asprintf(&prompt, "Allow use of key %s?\nKey fingerprint %s.",
	    id->comment, fp) == -1) {
		prompt = NULL;
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if (s->hooks.confirm(prompt, s->hooks.ctx) == 0)
		r = 0;
	else
		verbose("use of key \"%s\" was not confirmed", id->comment);
 out:
	free(fp);
	free(prompt);
	return r;
}

/* ------------------------------------------------------ identities */

/* REQUEST_IDENTITIES (section 3.4); answered while locked with none. */
static int
h_request_identities(struct agent_state *s, struct agent_conn *c,
    uint8_t type, struct buf *req, struct buf *out)
{
	size_t i, n;
	int r;

	if ((r = check_end(req)) != 0)
		return r;
	n = s->lock != NULL ? 0 : s->nids;
	/* byte IDENTITIES_ANSWER, uint32 n, n * (string key blob, comment) */
	if ((r = buf_put_u8(out, AGENT_IDENTITIES_ANSWER)) != 0 ||
	    (r = buf_put_u32(out, (uint32_t)n)) != 0)
		return r;
	for (i = 0; i < n; i++) {
		if ((r = buf_put_string(out, s->ids[i]->blob,
		    s->ids[i]->bloblen)) != 0 ||
		    (r = buf_put_cstring(out, s->ids[i]->comment)) != 0)
			return r;
	}
	debug2_f("answered with %zu keys", n);
	return 0;
}

/* The signature algorithm SIGN_REQUEST's flags ask for (section 3.6.1). */
static const char *
sign_alg(const struct key *k, uint32_t flags)
{
	if (key_type(k) != KEY_RSA)
		return NULL;
	if (flags & AGENT_SIGN_RSA_SHA2_512)
		return "rsa-sha2-512";
	if (flags & AGENT_SIGN_RSA_SHA2_256)
		return "rsa-sha2-256";
	return "ssh-rsa";
}

/* SIGN_REQUEST (section 3.6). */
static int
h_sign_request(struct agent_state *s, struct agent_conn *c, uint8_t type,
    struct buf *req, struct buf *out)
{
	const u_char *blob, *data;
	size_t bloblen, datalen, siglen = 0;
	struct agent_id *id;
	const char *alg;
	char what[64];
	u_char *sig = NULL;
	uint32_t flags;
	int r = ERR_INTERNAL;

	/* string key blob, string data, uint32 flags */
	if ((r = buf_get_string_direct(req, &blob, &bloblen)) != 0 ||
	    (r = buf_get_string_direct(req, &data, &datalen)) != 0 ||
	    (r = buf_get_u32(req, &flags)) != 0 ||
	    (r = check_end(req)) != 0)
		return r;
	if ((id = state_lookup(s, blob, bloblen, NULL)) == NULL) {
		debug_f("key not found");
		return ERR_KEY_NOT_FOUND;
	}
	if (id->confirm && (r = confirm_use(s, id)) != 0)
		return r;
	alg = sign_alg(id->key, flags);
	if ((r = key_sign(id->key, &sig, &siglen, data, datalen, alg)) != 0) {
		error_fr(r, "sign with \"%s\"", id->comment);
		return r;
	}
	snprintf(what, sizeof(what), "signature (%s) by",
	    alg != NULL ? alg : key_type_name(id->key));
	log_key(s, what, id->key, id->comment);
	/* byte SIGN_RESPONSE, string signature */
	if ((r = buf_put_u8(out, AGENT_SIGN_RESPONSE)) == 0)
		r = buf_put_string(out, sig, siglen);
	free(sig);
	return r;
}

/* The constraints after an ADD_ID_CONSTRAINED key (section 3.2.7). */
static int
parse_constraints(struct buf *req, uint32_t *lifep, int *confirmp)
{
	int have_life = 0, have_confirm = 0, r;
	uint8_t ctype;
	char *name = NULL;

	*lifep = 0;
	*confirmp = 0;
	while (buf_len(req) > 0) {
		if ((r = buf_get_u8(req, &ctype)) != 0)
			return r;
		switch (ctype) {
		case AGENT_CONSTRAIN_LIFETIME:
			if (have_life++ ||
			    (r = buf_get_u32(req, lifep)) != 0)
				return have_life > 1 ? ERR_INVALID_FORMAT : r;
			break;
		case AGENT_CONSTRAIN_CONFIRM:
			if (have_confirm++)
				return ERR_INVALID_FORMAT;
			*confirmp = 1;
			break;
		case AGENT_CONSTRAIN_EXTENSION:
			/*
			 * Destination restrictions and the like: a constraint
			 * we cannot enforce must not be silently dropped.
			 */
			if ((r = buf_get_cstring(req, &name, NULL)) == 0)
				verbose("refusing unsupported constraint %s",
				    name);
			free(name);
			return r == 0 ? ERR_FEATURE_UNSUPPORTED : r;
		default:
			verbose("refusing unknown constraint %u", ctype);
			return ERR_FEATURE_UNSUPPORTED;
		}
	}
	return 0;
}

/* A new identity holding k (taken over on success). */
static int
id_new(struct key *k, char *comment, struct agent_id **idp)
{
	struct agent_id *id;
	int r;

	*idp = NULL;
	if ((id = calloc(1, sizeof(*id))) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = key_to_blob(k, &id->blob, &id->bloblen)) != 0) {
		free(id);
		return r;
	}
	id->key = k;
	id->comment = comment;
	*idp = id;
	return 0;
}

/* Put id in the table, replacing an identity with the same key. */
static int
state_insert(struct agent_state *s, struct agent_id *id)
{
	struct agent_id **tmp;
	size_t i;

	if (state_lookup(s, id->blob, id->bloblen, &i) != NULL) {
		id_free(s->ids[i]);
		s->ids[i] = id;
		return 0;
	}
	if (s->nids >= AGENT_SERVER_MAX_KEYS)
		return ERR_NO_BUFFER_SPACE;
	if ((tmp = reallocarray(s->ids, s->nids + 1, sizeof(*tmp))) == NULL)
		return ERR_ALLOC_FAIL;
	s->ids = tmp;
	s->ids[s->nids++] = id;
	return 0;
}

/* ADD_IDENTITY and ADD_ID_CONSTRAINED (section 3.2). */
static int
h_add_identity(struct agent_state *s, struct agent_conn *c, uint8_t type,
    struct buf *req, struct buf *out)
{
	struct agent_id *id = NULL;
	struct key *k = NULL;
	char *comment = NULL;
	uint32_t life = 0;
	int confirm = 0, r = ERR_INTERNAL;

	/* private key part, string comment[, constraints] */
	if ((r = key_private_deserialize(req, &k)) != 0 ||
	    (r = buf_get_cstring(req, &comment, NULL)) != 0)
		goto out;
	if (type == AGENTC_ADD_ID_CONSTRAINED)
		r = parse_constraints(req, &life, &confirm);
	else
		r = check_end(req);
	if (r != 0)
		goto out;
	if (life == 0)
		life = s->default_life;
	if ((r = id_new(k, comment, &id)) != 0)
		goto out;
	k = NULL;
	comment = NULL;
	id->death = life == 0 ? 0 : state_now(s) + life;
	id->confirm = confirm;
	if ((r = state_insert(s, id)) != 0)
		goto out;
	log_key(s, "added", id->key, id->comment);
	debug("lifetime %u, confirm %d", life, confirm);
	id = NULL;
	r = buf_put_u8(out, AGENT_SUCCESS);
 out:
	if (r != 0)
		debug_fr(r, "add refused");
	id_free(id);
	key_free(k);
	free(comment);
	return r;
}

/* REMOVE_IDENTITY (section 3.3). */
static int
h_remove_identity(struct agent_state *s, struct agent_conn *c,
    uint8_t type, struct buf *req, struct buf *out)
{
	const u_char *blob;
	size_t bloblen, i;
	int r;

	/* string key blob */
	if ((r = buf_get_string_direct(req, &blob, &bloblen)) != 0 ||
	    (r = check_end(req)) != 0)
		return r;
	if (state_lookup(s, blob, bloblen, &i) == NULL) {
		debug_f("key not found");
		return ERR_KEY_NOT_FOUND;
	}
	debug("removing key \"%s\"", s->ids[i]->comment);
	state_remove(s, i);
	return buf_put_u8(out, AGENT_SUCCESS);
}

/* REMOVE_ALL_IDENTITIES (section 3.3), and protocol 1's, which is a no-op. */
static int
h_remove_all(struct agent_state *s, struct agent_conn *c, uint8_t type,
    struct buf *req, struct buf *out)
{
	int r;

	if ((r = check_end(req)) != 0)
		return r;
	if (type == AGENTC_REMOVE_ALL_IDENTITIES) {
		debug("removing all %zu keys", s->nids);
		while (s->nids > 0)
			state_remove(s, s->nids - 1);
	}
	return buf_put_u8(out, AGENT_SUCCESS);
}

/* ------------------------------------------------------ locking */

/* LOCK (section 3.7): seal every private key under the password. */
static int
h_lock(struct agent_state *s, struct agent_conn *c, uint8_t type,
    struct buf *req, struct buf *out)
{
	struct agent_lock *lock = NULL;
	struct agent_id *id;
	u_char *pw = NULL;
	size_t pwlen = 0, i, nsealed = 0;
	int r = ERR_INTERNAL;

	/* string passphrase */
	if ((r = buf_get_string(req, &pw, &pwlen)) != 0)
		return r;
	if ((r = check_end(req)) != 0)
		goto out;
	if (pwlen == 0) {
		/* As OpenSSH: an empty password would be no lock at all. */
		r = ERR_INVALID_ARGUMENT;
		goto out;
	}
	if ((r = agent_lock_new(pw, pwlen, s->lock_rounds, &lock)) != 0)
		goto out;
	for (nsealed = 0; nsealed < s->nids; nsealed++) {
		id = s->ids[nsealed];
		if ((r = agent_lock_seal(lock, id->key, id->blob, id->bloblen,
		    &id->sealed)) != 0)
			goto out;
	}
	/* Everything is sealed: only now drop the plain keys. */
	for (i = 0; i < s->nids; i++) {
		key_free(s->ids[i]->key);
		s->ids[i]->key = NULL;
	}
	agent_lock_forget_key(lock);
	s->lock = lock;
	lock = NULL;
	debug("agent locked");
	r = buf_put_u8(out, AGENT_SUCCESS);
 out:
	if (r != 0) {
		for (i = 0; i < nsealed; i++) {
			buf_free(s->ids[i]->sealed);
			s->ids[i]->sealed = NULL;
		}
	}
	agent_lock_free(lock);
	freezero(pw, pwlen);
	return r;
}

/* Unseal every key with the verified lock; all or nothing. */
static int
unseal_all(struct agent_state *s)
{
	struct key **keys = NULL;
	size_t i, n = 0;
	int r = ERR_INTERNAL;

	if (s->nids > 0 &&
	    (keys = calloc(s->nids, sizeof(*keys))) == NULL)
		return ERR_ALLOC_FAIL;
	for (n = 0; n < s->nids; n++) {
		if ((r = agent_lock_unseal(s->lock, s->ids[n]->sealed,
		    s->ids[n]->blob, s->ids[n]->bloblen, &keys[n])) != 0)
			goto out;
	}
	for (i = 0; i < s->nids; i++) {
		s->ids[i]->key = keys[i];
		keys[i] = NULL;
		buf_free(s->ids[i]->sealed);
		s->ids[i]->sealed = NULL;
	}
	r = 0;
 out:
	for (i = 0; i < n; i++)
		key_free(keys[i]);
	free(keys);
	return r;
}

/* UNLOCK (section 3.7). */
static int
h_unlock(struct agent_state *s, struct agent_conn *c, uint8_t type,
    struct buf *req, struct buf *out)
{
	u_char *pw = NULL;
	size_t pwlen = 0;
	int r = ERR_INTERNAL;

	/* string passphrase */
	if ((r = buf_get_string(req, &pw, &pwlen)) != 0)
		return r;
	if ((r = check_end(req)) != 0)
		goto out;
	if (s->lock == NULL) {
		r = ERR_INVALID_ARGUMENT;
		goto out;
	}
	if ((r = agent_lock_check(s->lock, pw, pwlen)) != 0) {
		if (s->unlock_fails < 100)
			s->unlock_fails++;
		verbose("agent unlock failed (%u in a row)", s->unlock_fails);
		if (s->hooks.unlock_failed != NULL)
			s->hooks.unlock_failed(s->unlock_fails, s->hooks.ctx);
		goto out;
	}
	s->unlock_fails = 0;
	r = unseal_all(s);
	agent_lock_forget_key(s->lock);
	if (r != 0) {
		error_fr(r, "unsealing keys after unlock");
		goto out;
	}
	agent_lock_free(s->lock);
	s->lock = NULL;
	debug("agent unlocked");
	r = buf_put_u8(out, AGENT_SUCCESS);
 out:
	freezero(pw, pwlen);
	return r;
}

/* ------------------------------------------------------ extensions */

static const char *const extension_names[] = {
	AGENT_EXT_QUERY,
	AGENT_EXT_SESSION_BIND,
};

/* "query" (section 3.8.1): byte EXTENSION_RESPONSE, "query", names. */
static int
ext_query(struct agent_state *s, struct agent_conn *c, struct buf *req,
    struct buf *out)
{
	size_t i;
	int r;

	if ((r = check_end(req)) != 0 ||
	    (r = buf_put_u8(out, AGENT_EXTENSION_RESPONSE)) != 0 ||
	    (r = buf_put_cstring(out, AGENT_EXT_QUERY)) != 0)
		return r;
	for (i = 0; i < sizeof(extension_names) / sizeof(*extension_names);
	    i++) {
		if ((r = buf_put_cstring(out, extension_names[i])) != 0)
			return r;
	}
	return 0;
}

/* Verify the host key's signature over the session identifier. */
static int
verify_binding(const u_char *hk, size_t hklen, const u_char *sid,
    size_t sidlen, const u_char *sig, size_t siglen)
{
	struct key *hostkey = NULL;
	char *alg = NULL;
	int r;

	if ((r = key_from_blob(hk, hklen, &hostkey)) != 0)
		return r;
	/* The key exchange already accepted the signer's algorithm. */
	if ((r = key_sig_alg(sig, siglen, &alg)) == 0)
		r = key_verify(hostkey, sig, siglen, sid, sidlen, alg);
	free(alg);
	key_free(hostkey);
	return r;
}

/* Record a verified binding on c, following OpenSSH's rules. */
static int
record_binding(struct agent_conn *c, const u_char *hk, size_t hklen,
    const u_char *sid, size_t sidlen, int fwd)
{
	struct agent_binding *b;
	size_t i;

	/* A connection used for authentication is not bound again. */
	if (c->nbindings > 0 && !c->bindings[c->nbindings - 1].forwarding) {
		verbose_f("connection already bound for authentication");
		return ERR_INVALID_ARGUMENT;
	}
	for (i = 0; i < c->nbindings; i++) {
		b = &c->bindings[i];
		if (b->sidlen != sidlen || memcmp(b->sid, sid, sidlen) != 0)
			continue;
		if (b->hostkeylen == hklen &&
		    memcmp(b->hostkey, hk, hklen) == 0)
			return 0;	/* the same binding again */
		verbose_f("session id bound to another host key");
		return ERR_INVALID_ARGUMENT;
	}
	if (c->nbindings >= AGENT_SERVER_MAX_BINDINGS)
		return ERR_NO_BUFFER_SPACE;
	b = &c->bindings[c->nbindings];
	if ((b->hostkey = malloc(hklen)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((b->sid = malloc(sidlen)) == NULL) {
		free(b->hostkey);
		b->hostkey = NULL;
		return ERR_ALLOC_FAIL;
	}
	memcpy(b->hostkey, hk, hklen);
	b->hostkeylen = hklen;
	memcpy(b->sid, sid, sidlen);
	b->sidlen = sidlen;
	b->forwarding = fwd;
	c->nbindings++;
	return 0;
}

/* session-bind@openssh.com (PROTOCOL.agent section 1). */
static int
ext_session_bind(struct agent_state *s, struct agent_conn *c,
    struct buf *req, struct buf *out)
{
	const u_char *hk, *sid, *sig;
	size_t hklen, sidlen, siglen;
	uint8_t fwd;
	int r;

	/* string hostkey, string session id, string signature, bool fwd */
	if ((r = buf_get_string_direct(req, &hk, &hklen)) != 0 ||
	    (r = buf_get_string_direct(req, &sid, &sidlen)) != 0 ||
	    (r = buf_get_string_direct(req, &sig, &siglen)) != 0 ||
	    (r = buf_get_u8(req, &fwd)) != 0 ||
	    (r = check_end(req)) != 0)
		return r;
	if (sidlen == 0 || sidlen > AGENT_MAX_SID_LEN || fwd > 1)
		return ERR_INVALID_FORMAT;
	if ((r = verify_binding(hk, hklen, sid, sidlen, sig, siglen)) != 0) {
		verbose_fr(r, "session-bind signature");
		return r;
	}
	if ((r = record_binding(c, hk, hklen, sid, sidlen, fwd)) != 0)
		return r;
	debug("connection bound to a session (%s), %zu bindings",
	    fwd ? "forwarding" : "authentication", c->nbindings);
	return buf_put_u8(out, AGENT_SUCCESS);
}

/* EXTENSION (section 3.8): string name, then the extension's fields. */
static int
h_extension(struct agent_state *s, struct agent_conn *c, uint8_t type,
    struct buf *req, struct buf *out)
{
	char *name = NULL;
	int r;

	if ((r = buf_get_cstring(req, &name, NULL)) != 0)
		return r;
	if (strcmp(name, AGENT_EXT_QUERY) == 0)
		r = ext_query(s, c, req, out);
	else if (strcmp(name, AGENT_EXT_SESSION_BIND) == 0)
		r = ext_session_bind(s, c, req, out);
	else {
		debug_f("unsupported extension \"%s\"", name);
		r = ERR_FEATURE_UNSUPPORTED;
	}
	free(name);
	return r;
}

/* ------------------------------------------------------ dispatch */

static agent_handler *const unlocked_handlers[256] = {
	[AGENTC_REQUEST_IDENTITIES] = h_request_identities,
	[AGENTC_SIGN_REQUEST] = h_sign_request,
	[AGENTC_ADD_IDENTITY] = h_add_identity,
	[AGENTC_ADD_ID_CONSTRAINED] = h_add_identity,
	[AGENTC_REMOVE_IDENTITY] = h_remove_identity,
	[AGENTC_REMOVE_ALL_IDENTITIES] = h_remove_all,
	[AGENTC_REMOVE_ALL_RSA_IDENTITIES] = h_remove_all,
	[AGENTC_LOCK] = h_lock,
	[AGENTC_EXTENSION] = h_extension,
};

static agent_handler *const locked_handlers[256] = {
	[AGENTC_REQUEST_IDENTITIES] = h_request_identities,
	[AGENTC_UNLOCK] = h_unlock,
};

int
agent_process(struct agent_state *s, struct agent_conn *c, struct buf *req,
    struct buf *reply)
{
	agent_handler *h;
	struct buf *out = NULL;
	uint8_t type = 0;
	int r = ERR_INTERNAL;

	if (s == NULL || c == NULL || req == NULL || reply == NULL)
		return ERR_INVALID_ARGUMENT;
	(void)agent_state_expire(s);
	if ((out = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = buf_get_u8(req, &type)) != 0) {
		h = NULL;
	} else {
		h = s->lock != NULL ? locked_handlers[type] :
		    unlocked_handlers[type];
	}
	debug2_f("request type %u%s", type,
	    s->lock != NULL ? " (locked)" : "");
	if (h == NULL)
		r = ERR_FEATURE_UNSUPPORTED;
	else
		r = h(s, c, type, req, out);
	if (r != 0) {
		debug2_fr(r, "request type %u failed", type);
		buf_reset(out);
		if ((r = buf_put_u8(out, AGENT_FAILURE)) != 0)
			goto out;
	}
	/* The request is spent, whatever was left of it. */
	buf_reset(req);
	r = buf_putb(reply, out);
 out:
	buf_free(out);	/* wipes */
	return r;
}
