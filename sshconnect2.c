/*
 * sshconnect2.c: ssh's user authentication (RFC 4252), sshconnect.h.
 *
 * After SERVICE_ACCEPT for ssh-userauth we send "none" to learn the
 * methods the server allows, then walk PreferredAuthentications: each
 * method sends one request at a time and is asked again after each
 * FAILURE until it has nothing left to try, then the next method takes
 * over.  Methods:
 *   publickey             agent keys, then identity files; each key is
 *                         offered first (query, PK_OK), then signed
 *                         (section 7); RSA signs with rsa-sha2-512/256
 *                         as server-sig-algs (RFC 8308) allows
 *   keyboard-interactive  RFC 4256 INFO_REQUEST prompts
 *   password              section 8, NumberOfPasswordPrompts tries
 * Incoming messages go through the dispatch table: this phase arms
 * SERVICE_ACCEPT, then FAILURE, SUCCESS, BANNER and the per-method 60/61.
 */
#include "includes.h"

#include <sys/stat.h>

#include "agent.h"
#include "buf.h"
#include "dispatch.h"
#include "errcode.h"
#include "kex.h"
#include "key.h"
#include "keyfile.h"
#include "log.h"
#include "misc.h"
#include "packet.h"
#include "readconf.h"
#include "ssh2.h"
#include "sshconnect.h"
#include "xmalloc.h"

#define UA_SERVICE	"ssh-connection"
#define UA_MAX_PROMPTS	100	/* INFO_REQUEST prompts we answer */

/* One key we may offer. */
struct ua_id {
	struct key *key;	/* public half; NULL until loaded */
	struct key *priv;	/* private key once loaded (files) */
	char *path;		/* identity file, NULL for agent-only */
	int agent;		/* the agent holds it: sign there */
	int tried;
};

struct ua;

struct ua_method {
	const char *name;
	/* Send the method's next request: 1 sent, 0 nothing left, <0 err */
	int (*next)(struct ua *);
	dispatch_fn *msg60;	/* PK_OK / PASSWD_CHANGEREQ / INFO_REQUEST */
	int enabled_flag;	/* which config switch applies (UA_EN_*) */
};

struct ua {
	struct sshconnect *c;
	const struct readconf *o;
	struct ssh *ssh;
	const char *user;
	const char *host;	/* in prompts and messages */
	char *allowed;		/* the server's last method list */
	char **prefs;		/* PreferredAuthentications */
	u_int nprefs;
	u_int pi;		/* current entry of prefs */
	const struct ua_method *cur;
	struct ua_id *ids;
	size_t nids;
	size_t idi;		/* identity of the outstanding request */
	char *sent_alg;		/* its signature algorithm */
	int agent_fd;
	int pw_tries;
	int kbd_tries;
	volatile sig_atomic_t done;
	int success;
};

static int ua_next(struct ua *);
static int ua_pubkey_next(struct ua *);
static int ua_password_next(struct ua *);
static int ua_kbdint_next(struct ua *);
static int ua_input_pk_ok(int, uint32_t, struct ssh *);
static int ua_input_passwd_changereq(int, uint32_t, struct ssh *);
static int ua_input_info_request(int, uint32_t, struct ssh *);

#define UA_EN_PUBKEY	1
#define UA_EN_PASSWORD	2
#define UA_EN_KBDINT	3

static const struct ua_method ua_methods[] = {
	{ "publickey", ua_pubkey_next, ua_input_pk_ok, UA_EN_PUBKEY },
	{ "keyboard-interactive", ua_kbdint_next, ua_input_info_request,
	    UA_EN_KBDINT },
	{ "password", ua_password_next, ua_input_passwd_changereq,
	    UA_EN_PASSWORD },
	{ NULL, NULL, NULL, 0 }
};

static struct ua *
ua_get(struct ssh *ssh)
{
	return packet_get_app_data(ssh);
}

/* 1 if name is in the comma list. */
static int
list_has(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		if ((p = strchr(p, ',')) != NULL)
			p++;
	}
	return 0;
}

/* Start a USERAUTH_REQUEST for method: user, service, method name. */
static int
ua_start_request(struct ua *ua, const char *method, struct buf **mp)
{
	int r;

	if ((r = packet_start(ua->ssh, SSH2_MSG_USERAUTH_REQUEST, mp)) != 0 ||
	    (r = buf_put_cstring(*mp, ua->user)) != 0 ||
	    (r = buf_put_cstring(*mp, UA_SERVICE)) != 0 ||
	    (r = buf_put_cstring(*mp, method)) != 0)
		return r;
	return 0;
}

/* ------------------------------------------------------------ identities */

/* The signature algorithm to use with k, or NULL if none is allowed. */
static const char *
ua_key_alg(const struct ua *ua, const struct key *k)
{
	static const char *const rsa[] = {
		"rsa-sha2-512", "rsa-sha2-256", "ssh-rsa", NULL
	};
	const char *accepted = ua->o->pubkey_accepted_algorithms;
	const char *ssa = kex_server_sig_algs(ua->ssh);
	size_t i;

	if (key_type(k) != KEY_RSA) {
		if (accepted != NULL &&
		    !list_has(accepted, key_type_name(k)))
			return NULL;
		return key_type_name(k);
	}
	for (i = 0; rsa[i] != NULL; i++) {
		if (accepted != NULL && !list_has(accepted, rsa[i]))
			continue;
		/* Without server-sig-algs only SHA-2 is tried (see above). */
		if (ssa != NULL && !list_has(ssa, rsa[i]))
			continue;
		if (ssa == NULL && i == 2)
			continue;
		return rsa[i];
	}
	return NULL;
}

static void
ua_add_id(struct ua *ua, struct key *k, const char *path, int agent)
{
	struct ua_id *id;

	ua->ids = xreallocarray(ua->ids, ua->nids + 1, sizeof(*ua->ids));
	id = &ua->ids[ua->nids++];
	memset(id, 0, sizeof(*id));
	id->key = k;
	id->path = path != NULL ? xstrdup(path) : NULL;
	id->agent = agent;
}

/* An identity file that exists (itself or its .pub). */
static int
id_file_exists(const char *path)
{
	struct stat st;
	char *pub = NULL;
	int ok;

	if (stat(path, &st) == 0)
		return 1;
	xasprintf(&pub, "%s.pub", path);
	ok = stat(pub, &st) == 0;
	free(pub);
	return ok;
}

/* The identity files, public halves loaded where possible. */
static void
ua_load_files(struct ua *ua, struct ua_id **filesp, size_t *np)
{
	const struct conf_strlist *l = &ua->o->identity_files;
	struct ua_id *files = NULL;
	struct key *k;
	char *path;
	size_t n = 0;
	u_int i;
	int r;

	for (i = 0; i < l->n; i++) {
		if ((r = readconf_expand(ua->o, ua->c->ctx, l->v[i], 1,
		    &path)) != 0) {
			error("IdentityFile %s: %s", l->v[i], errcode_str(r));
			continue;
		}
		if (!id_file_exists(path)) {
			debug("identity file %s type -1", path);
			free(path);
			continue;
		}
		k = NULL;
		if ((r = keyfile_load_public(path, &k, NULL)) != 0)
			debug_fr(r, "public half of %s", path);
		else
			debug("identity file %s type %s", path,
			    key_type_name(k));
		files = xreallocarray(files, n + 1, sizeof(*files));
		memset(&files[n], 0, sizeof(files[n]));
		files[n].key = k;
		files[n].path = path;
		n++;
	}
	*filesp = files;
	*np = n;
}

/* The agent named by IdentityAgent, or $SSH_AUTH_SOCK. */
static int
ua_agent_connect(const struct ua *ua)
{
	const char *ia = ua->o->identity_agent;
	char *path = NULL;
	int fd = -1, r;

	if (ia != NULL && strcasecmp(ia, "none") == 0)
		return -1;
	if (ia == NULL || strcmp(ia, "SSH_AUTH_SOCK") == 0)
		r = agent_connect(&fd);
	else if (*ia == '$') {
		if (getenv(ia + 1) == NULL)
			return -1;
		r = agent_connect_path(getenv(ia + 1), &fd);
	} else {
		if (readconf_expand(ua->o, ua->c->ctx, ia, 1, &path) != 0)
			return -1;
		r = agent_connect_path(path, &fd);
		free(path);
	}
	if (r != 0) {
		if (r != ERR_AGENT_NOT_PRESENT)
			debug_fr(r, "agent");
		return -1;
	}
	return fd;
}

/* Agent keys first (agent order), then the files the agent lacks. */
static void
ua_prepare_ids(struct ua *ua)
{
	struct agent_idlist *al = NULL;
	struct ua_id *files = NULL;
	size_t nfiles = 0, i, j;
	int match;

	ua_load_files(ua, &files, &nfiles);
	if ((ua->agent_fd = ua_agent_connect(ua)) != -1 &&
	    agent_list_identities(ua->agent_fd, &al) != 0)
		al = NULL;
	for (i = 0; al != NULL && i < al->n; i++) {
		match = 0;
		for (j = 0; j < nfiles; j++) {
			if (files[j].key != NULL && !files[j].agent &&
			    key_equal_public(files[j].key, al->ids[i].key)) {
				files[j].agent = 1;
				match = 1;
			}
		}
		if (ua->o->identities_only && !match)
			continue;
		debug("Will attempt key: %s %s agent",
		    key_type_name(al->ids[i].key), al->ids[i].comment);
		ua_add_id(ua, al->ids[i].key, NULL, 1);
		al->ids[i].key = NULL;
	}
	for (j = 0; j < nfiles; j++) {
		if (!files[j].agent) {
			debug("Will attempt key: %s", files[j].path);
			ua_add_id(ua, files[j].key, files[j].path, 0);
			files[j].key = NULL;
		}
		key_free(files[j].key);
		free(files[j].path);
	}
	free(files);
	agent_idlist_free(al);
}

/* ------------------------------------------------------------ publickey */

/* Load the private half of a file identity, asking for a passphrase. */
static int
ua_load_private(struct ua *ua, struct ua_id *id)
{
	char *prompt = NULL, *pass;
	int r, i;

	r = keyfile_load_private(id->path, "", &id->priv, NULL);
	if (r != ERR_KEY_WRONG_PASSPHRASE)
		goto done;
	if (ua->o->batch_mode) {
		debug("Key %s needs a passphrase: skipped in batch mode",
		    id->path);
		return r;
	}
	xasprintf(&prompt, "Enter passphrase for key '%s': ", id->path);
	for (i = 0; i < ua->o->number_of_password_prompts; i++) {
		if ((pass = readpass(prompt, 0)) == NULL || *pass == '\0') {
			readpass_free(pass);
			debug2("no passphrase given, try next key");
			break;
		}
		r = keyfile_load_private(id->path, pass, &id->priv, NULL);
		readpass_free(pass);
		if (r != ERR_KEY_WRONG_PASSPHRASE)
			break;
		debug2("bad passphrase given, try again...");
	}
	free(prompt);
 done:
	if (r == ERR_KEY_BAD_PERMISSIONS)
		error("Load key \"%s\": bad permissions", id->path);
	else if (r != 0 && r != ERR_KEY_WRONG_PASSPHRASE)
		error("Load key \"%s\": %s", id->path, errcode_str(r));
	if (r == 0 && id->key != NULL &&
	    !key_equal_public(id->key, id->priv)) {
		error("Load key \"%s\": the private key does not match the "
		    "public one", id->path);
		key_free(id->priv);
		id->priv = NULL;
		r = ERR_KEY_CERT_MISMATCH;
	}
	if (r == 0 && id->key == NULL && key_demote(id->priv, &id->key) != 0)
		r = ERR_ALLOC_FAIL;
	return r;
}

/* Offer the next untried identity (query without signature). */
static int
ua_pubkey_next(struct ua *ua)
{
	struct ua_id *id;
	const char *alg;
	struct buf *m;
	int r;

	for (; ua->idi < ua->nids; ua->idi++) {
		id = &ua->ids[ua->idi];
		if (id->tried)
			continue;
		id->tried = 1;
		if (id->key == NULL && ua_load_private(ua, id) != 0)
			continue;
		if ((alg = ua_key_alg(ua, id->key)) == NULL) {
			debug("Skipping %s key %s: no mutual signature "
			    "algorithm", key_type_name(id->key),
			    id->path != NULL ? id->path : "(agent)");
			continue;
		}
		debug("Offering public key: %s %s %s",
		    key_type_name(id->key),
		    id->path != NULL ? id->path : "(agent)", alg);
		free(ua->sent_alg);
		ua->sent_alg = xstrdup(alg);
		if ((r = ua_start_request(ua, "publickey", &m)) != 0 ||
		    (r = buf_put_u8(m, 0)) != 0 ||
		    (r = buf_put_cstring(m, alg)) != 0 ||
		    (r = key_puts(id->key, m)) != 0 ||
		    (r = packet_send(ua->ssh)) != 0)
			return r;
		return 1;
	}
	return 0;
}

/* What the signature covers: RFC 4252 section 7. */
static int
ua_signed_data(struct ua *ua, const struct key *k, struct buf *b)
{
	const u_char *sid;
	size_t sidlen;
	int r;

	if ((sid = kex_session_id(ua->ssh, &sidlen)) == NULL)
		return ERR_INTERNAL;
	if ((r = buf_put_string(b, sid, sidlen)) != 0 ||
	    (r = buf_put_u8(b, SSH2_MSG_USERAUTH_REQUEST)) != 0 ||
	    (r = buf_put_cstring(b, ua->user)) != 0 ||
	    (r = buf_put_cstring(b, UA_SERVICE)) != 0 ||
	    (r = buf_put_cstring(b, "publickey")) != 0 ||
	    (r = buf_put_u8(b, 1)) != 0 ||
	    (r = buf_put_cstring(b, ua->sent_alg)) != 0 ||
	    (r = key_puts(k, b)) != 0)
		return r;
	return 0;
}

static int
ua_sign(struct ua *ua, struct ua_id *id, const struct buf *data,
    u_char **sigp, size_t *lenp)
{
	int r;

	if (id->agent && ua->agent_fd != -1) {
		r = agent_sign(ua->agent_fd, id->key, buf_ptr(data),
		    buf_len(data), ua->sent_alg, sigp, lenp);
		if (r != 0)
			error("agent refused operation");
		return r;
	}
	if (id->priv == NULL && (r = ua_load_private(ua, id)) != 0)
		return r;
	return key_sign(id->priv, sigp, lenp, buf_ptr(data), buf_len(data),
	    ua->sent_alg);
}

/* Sign the request for the identity the server accepted, and send it. */
static int
ua_send_signed(struct ua *ua, struct ua_id *id)
{
	struct buf *data = NULL, *m;
	u_char *sig = NULL;
	size_t siglen = 0;
	int r = ERR_INTERNAL;

	if ((data = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = ua_signed_data(ua, id->key, data)) != 0)
		goto out;
	if (ua_sign(ua, id, data, &sig, &siglen) != 0) {
		/* This key cannot be used after all: on to the next. */
		r = ua_next(ua);
		goto out;
	}
	if ((r = ua_start_request(ua, "publickey", &m)) != 0 ||
	    (r = buf_put_u8(m, 1)) != 0 ||
	    (r = buf_put_cstring(m, ua->sent_alg)) != 0 ||
	    (r = key_puts(id->key, m)) != 0 ||
	    (r = buf_put_string(m, sig, siglen)) != 0)
		goto out;
	r = packet_send(ua->ssh);
 out:
	free(sig);
	buf_free(data);
	return r;
}

/* PK_OK: string algorithm, string blob (must be what we offered). */
static int
ua_input_pk_ok(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct ua *ua = ua_get(ssh);
	struct buf *pl = packet_payload(ssh);
	struct key *k = NULL;
	char *alg = NULL;
	struct ua_id *id;
	int r;

	(void)type;
	(void)seqnr;
	if ((r = buf_get_cstring(pl, &alg, NULL)) != 0 ||
	    (r = key_froms(pl, &k)) != 0 ||
	    (r = packet_payload_end(ssh)) != 0)
		goto out;
	if (ua->idi >= ua->nids || ua->sent_alg == NULL ||
	    strcmp(alg, ua->sent_alg) != 0 ||
	    !key_equal_public(k, ua->ids[ua->idi].key)) {
		error("Received PK_OK for a key we did not offer");
		r = ERR_PROTOCOL_ERROR;
		goto out;
	}
	id = &ua->ids[ua->idi];
	debug("Server accepts key: %s %s", key_type_name(id->key),
	    id->path != NULL ? id->path : "(agent)");
	r = ua_send_signed(ua, id);
 out:
	free(alg);
	key_free(k);
	return r;
}

/* ------------------------------------------------------------ password */

static int
ua_password_next(struct ua *ua)
{
	char *prompt = NULL, *pass;
	struct buf *m;
	int r;

	if (ua->pw_tries >= ua->o->number_of_password_prompts)
		return 0;
	if (ua->pw_tries > 0)
		error("Permission denied, please try again.");
	xasprintf(&prompt, "%s@%s's password: ", ua->user, ua->host);
	pass = readpass(prompt, 0);
	free(prompt);
	if (pass == NULL)
		return 0;
	ua->pw_tries++;
	if ((r = ua_start_request(ua, "password", &m)) != 0 ||
	    (r = buf_put_u8(m, 0)) != 0 ||
	    (r = buf_put_cstring(m, pass)) != 0) {
		readpass_free(pass);
		return r;
	}
	readpass_free(pass);
	if ((r = packet_send(ua->ssh)) != 0)
		return r;
	return 1;
}

/* We do not change expired passwords: try the next method. */
static int
ua_input_passwd_changereq(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct ua *ua = ua_get(ssh);

	(void)type;
	(void)seqnr;
	logit("The server asks for a password change; not supported.");
	ua->pw_tries = ua->o->number_of_password_prompts;
	return ua_next(ua);
}

/* ------------------------------------------------------------ kbd-int */

static int
ua_kbdint_next(struct ua *ua)
{
	const char *devs = ua->o->kbd_interactive_devices;
	struct buf *m;
	int r;

	if (ua->kbd_tries >= ua->o->number_of_password_prompts)
		return 0;
	ua->kbd_tries++;
	if ((r = ua_start_request(ua, "keyboard-interactive", &m)) != 0 ||
	    (r = buf_put_cstring(m, "")) != 0 ||		/* language */
	    (r = buf_put_cstring(m, devs != NULL ? devs : "")) != 0 ||
	    (r = packet_send(ua->ssh)) != 0)
		return r;
	return 1;
}

/* Text from the server for the terminal: printable and newlines only. */
static void
print_remote_text(const char *s)
{
	const u_char *p;

	for (p = (const u_char *)s; *p != '\0'; p++) {
		if ((*p >= 0x20 && *p < 0x7f) || *p == '\n' || *p == '\t')
			fputc(*p, stderr);
		else if (*p != '\r')
			fprintf(stderr, "\\%03o", *p);
	}
}

/* Read the prompts of an INFO_REQUEST and append the answers to m. */
static int
ua_answer_prompts(struct buf *pl, uint32_t n, struct buf *m)
{
	char *prompt = NULL, *answer;
	uint8_t echo;
	uint32_t i;
	int r = 0;

	for (i = 0; i < n; i++) {
		if ((r = buf_get_cstring(pl, &prompt, NULL)) != 0 ||
		    (r = buf_get_u8(pl, &echo)) != 0)
			break;
		answer = readpass(prompt, echo ? READPASS_ECHO : 0);
		r = buf_put_cstring(m, answer != NULL ? answer : "");
		readpass_free(answer);
		free(prompt);
		prompt = NULL;
		if (r != 0)
			break;
	}
	free(prompt);
	return r;
}

/*
 * INFO_REQUEST (RFC 4256 3.2): name, instruction, language, then
 * num-prompts pairs of prompt and echo.
 */
static int
ua_input_info_request(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct buf *pl = packet_payload(ssh), *m;
	char *name = NULL, *inst = NULL, *lang = NULL;
	uint32_t n;
	int r;

	(void)type;
	(void)seqnr;
	if ((r = buf_get_cstring(pl, &name, NULL)) != 0 ||
	    (r = buf_get_cstring(pl, &inst, NULL)) != 0 ||
	    (r = buf_get_cstring(pl, &lang, NULL)) != 0 ||
	    (r = buf_get_u32(pl, &n)) != 0)
		goto out;
	if (n > UA_MAX_PROMPTS) {
		error("Too many keyboard-interactive prompts: %u", n);
		r = ERR_PROTOCOL_ERROR;
		goto out;
	}
	if (*name != '\0' || *inst != '\0') {
		print_remote_text(name);
		if (*name != '\0')
			fputc('\n', stderr);
		print_remote_text(inst);
		if (*inst != '\0')
			fputc('\n', stderr);
	}
	if ((r = packet_start(ssh, SSH2_MSG_USERAUTH_INFO_RESPONSE,
	    &m)) != 0 ||
	    (r = buf_put_u32(m, n)) != 0 ||
	    (r = ua_answer_prompts(pl, n, m)) != 0 ||
	    (r = packet_payload_end(ssh)) != 0)
		goto out;
	r = packet_send(ssh);
 out:
	free(name);
	free(inst);
	free(lang);
	return r;
}

/* ------------------------------------------------------------ the flow */

static int
ua_method_enabled(const struct ua *ua, const struct ua_method *m)
{
	switch (m->enabled_flag) {
	case UA_EN_PUBKEY:
		return ua->o->pubkey_authentication != RC_PUBKEY_NO;
	case UA_EN_PASSWORD:
		return ua->o->password_authentication &&
		    !ua->o->batch_mode && !ua->c->hostkey_changed;
	case UA_EN_KBDINT:
		return ua->o->kbd_interactive_authentication &&
		    !ua->o->batch_mode && !ua->c->hostkey_changed;
	default:
		return 0;
	}
}

static const struct ua_method *
ua_method_by_name(const char *name)
{
	const struct ua_method *m;

	for (m = ua_methods; m->name != NULL; m++) {
		if (strcmp(m->name, name) == 0)
			return m;
	}
	return NULL;
}

/*
 * Send the next request: the current method while it has something to
 * try, then the following ones in PreferredAuthentications that the
 * server allows.  When nothing is left, authentication has failed.
 */
static int
ua_next(struct ua *ua)
{
	const struct ua_method *m;
	int r;

	for (; ua->pi < ua->nprefs; ua->pi++) {
		if ((m = ua_method_by_name(ua->prefs[ua->pi])) == NULL ||
		    !list_has(ua->allowed, m->name) ||
		    !ua_method_enabled(ua, m))
			continue;
		if (ua->cur != m)
			debug("Next authentication method: %s", m->name);
		ua->cur = m;
		dispatch_set(ua->ssh, SSH2_MSG_USERAUTH_PK_OK, m->msg60);
		if ((r = m->next(ua)) != 0)
			return r < 0 ? r : 0;
	}
	ua->cur = NULL;
	dispatch_set(ua->ssh, SSH2_MSG_USERAUTH_PK_OK, NULL);
	error("%s@%s: Permission denied (%s).", ua->user, ua->host,
	    ua->allowed);
	ua->done = 1;
	return 0;
}

/* FAILURE: name-list methods, boolean partial success. */
static int
ua_input_failure(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct ua *ua = ua_get(ssh);
	struct buf *pl = packet_payload(ssh);
	char *methods = NULL;
	uint8_t partial;
	int r;

	(void)type;
	(void)seqnr;
	if ((r = buf_get_cstring(pl, &methods, NULL)) != 0 ||
	    (r = buf_get_u8(pl, &partial)) != 0 ||
	    (r = packet_payload_end(ssh)) != 0) {
		free(methods);
		return r;
	}
	if (partial) {
		verbose("Authenticated using \"%s\" with partial success.",
		    ua->cur != NULL ? ua->cur->name : "none");
		/* A new round: every method may be tried again. */
		ua->pi = 0;
	}
	debug("Authentications that can continue: %s", methods);
	free(ua->allowed);
	ua->allowed = methods;
	return ua_next(ua);
}

static int
ua_input_success(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct ua *ua = ua_get(ssh);
	int r;

	(void)type;
	(void)seqnr;
	if ((r = packet_payload_end(ssh)) != 0)
		return r;
	ua->success = 1;
	ua->done = 1;
	/* zlib@openssh.com starts with the next packet either way. */
	return packet_enable_delayed_compress(ssh);
}

/* BANNER: string message, string language (RFC 4252 5.4). */
static int
ua_input_banner(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct ua *ua = ua_get(ssh);
	struct buf *pl = packet_payload(ssh);
	char *msg = NULL, *lang = NULL;
	int r;

	(void)type;
	(void)seqnr;
	if ((r = buf_get_cstring(pl, &msg, NULL)) != 0 ||
	    (r = buf_get_cstring(pl, &lang, NULL)) != 0 ||
	    (r = packet_payload_end(ssh)) != 0)
		goto out;
	if (!ua->c->quiet && ua->o->log_level >= LOG_LEVEL_INFO)
		print_remote_text(msg);
 out:
	free(msg);
	free(lang);
	return r;
}

/* SERVICE_ACCEPT ssh-userauth: send "none" to learn the methods. */
static int
ua_input_service_accept(int type, uint32_t seqnr, struct ssh *ssh)
{
	struct ua *ua = ua_get(ssh);
	struct buf *pl = packet_payload(ssh), *m;
	char *name = NULL;
	int r;

	(void)type;
	(void)seqnr;
	if ((r = buf_get_cstring(pl, &name, NULL)) != 0 ||
	    (r = packet_payload_end(ssh)) != 0)
		goto out;
	if (strcmp(name, "ssh-userauth") != 0) {
		error("Server accepted service \"%s\", not ssh-userauth",
		    name);
		r = ERR_PROTOCOL_ERROR;
		goto out;
	}
	debug("SSH2_MSG_SERVICE_ACCEPT received");
	dispatch_set(ssh, SSH2_MSG_SERVICE_ACCEPT, NULL);
	dispatch_set(ssh, SSH2_MSG_USERAUTH_FAILURE, ua_input_failure);
	dispatch_set(ssh, SSH2_MSG_USERAUTH_SUCCESS, ua_input_success);
	dispatch_set(ssh, SSH2_MSG_USERAUTH_BANNER, ua_input_banner);
	if ((r = ua_start_request(ua, "none", &m)) != 0)
		goto out;
	r = packet_send(ssh);
 out:
	free(name);
	return r;
}

static void
ua_split_prefs(struct ua *ua)
{
	const char *p = ua->o->preferred_authentications;
	char *copy, *cp, *tok;

	if (p == NULL)
		p = "publickey,keyboard-interactive,password";
	copy = xstrdup(p);
	for (cp = copy; (tok = strsep(&cp, ",")) != NULL;) {
		if (*tok == '\0')
			continue;
		ua->prefs = xreallocarray(ua->prefs, ua->nprefs + 1,
		    sizeof(*ua->prefs));
		ua->prefs[ua->nprefs++] = xstrdup(tok);
	}
	free(copy);
}

static void
ua_free(struct ua *ua)
{
	size_t i;

	for (i = 0; i < ua->nids; i++) {
		key_free(ua->ids[i].key);
		key_free(ua->ids[i].priv);
		free(ua->ids[i].path);
	}
	free(ua->ids);
	for (i = 0; i < ua->nprefs; i++)
		free(ua->prefs[i]);
	free(ua->prefs);
	free(ua->allowed);
	free(ua->sent_alg);
	agent_close(ua->agent_fd);
}

int
sshconnect_userauth(struct sshconnect *c, struct ssh *ssh,
    const char *server_user, const char **methodp)
{
	struct ua ua;
	struct buf *m;
	void *saved = packet_get_app_data(ssh);
	int r = ERR_INTERNAL;

	memset(&ua, 0, sizeof(ua));
	ua.c = c;
	ua.o = c->cfg;
	ua.ssh = ssh;
	ua.user = server_user;
	ua.host = c->cfg->host_key_alias != NULL ? c->cfg->host_key_alias :
	    c->host;
	ua.agent_fd = -1;
	ua.allowed = xstrdup("");
	ua_split_prefs(&ua);
	ua_prepare_ids(&ua);
	packet_set_app_data(ssh, &ua);
	dispatch_reset_app(ssh);
	dispatch_set(ssh, SSH2_MSG_SERVICE_ACCEPT, ua_input_service_accept);
	if ((r = packet_start(ssh, SSH2_MSG_SERVICE_REQUEST, &m)) != 0 ||
	    (r = buf_put_cstring(m, "ssh-userauth")) != 0 ||
	    (r = packet_send(ssh)) != 0)
		goto out;
	debug("SSH2_MSG_SERVICE_REQUEST sent");
	if ((r = dispatch_run_fd(ssh, &ua.done, -1)) != 0)
		goto out;
	if (!ua.success) {
		r = ERR_KEY_NOT_FOUND;
		goto out;
	}
	if (methodp != NULL)
		*methodp = ua.cur != NULL ? ua.cur->name : "none";
	r = 0;
 out:
	dispatch_reset_app(ssh);
	packet_set_app_data(ssh, saved);
	ua_free(&ua);
	return r;
}
