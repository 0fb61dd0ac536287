/*
 * agent-client.c: the client side of the agent protocol (agent.h).
 *
 * Each operation builds one request with the buffer type, makes one round
 * trip and parses the answer field by field, as the draft defines it.
 */
#include "includes.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <fcntl.h>

#include "agent.h"
#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "log.h"
#include "misc.h"

/* ------------------------------------------------------ connection */

int
agent_connect_path(const char *path, int *fdp)
{
	struct sockaddr_un sun;
	int fd, saved;

	*fdp = -1;
	if (path == NULL || *path == '\0')
		return ERR_AGENT_NOT_PRESENT;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return ERR_ERRNO;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return ERR_ERRNO;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return ERR_ERRNO;
	}
	*fdp = fd;
	return 0;
}

int
agent_connect(int *fdp)
{
	*fdp = -1;
	return agent_connect_path(getenv("SSH_AUTH_SOCK"), fdp);
}

void
agent_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* ------------------------------------------------------ framing */

/*
 * Write all of p to the agent socket.  send(2) with MSG_NOSIGNAL: an
 * agent that hangs up must be an error here, not a SIGPIPE that kills
 * the program using this library.
 */
static int
send_all(int fd, const void *p, size_t len)
{
	const u_char *cp = p;
	ssize_t n;

	while (len > 0) {
		n = send(fd, cp, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == ENOTSOCK)
			return atomicio_write(fd, cp, len) == len ? 0 :
			    ERR_AGENT_COMMUNICATION;
		if (n <= 0)
			return ERR_AGENT_COMMUNICATION;
		cp += n;
		len -= (size_t)n;
	}
	return 0;
}

int
agent_request(int fd, const struct buf *req, struct buf *reply)
{
	u_char lenbuf[4], *p = NULL;
	struct buf *lb = NULL;
	uint32_t len;
	int r = ERR_INTERNAL;

	if (fd < 0 || req == NULL || reply == NULL)
		return ERR_INVALID_ARGUMENT;
	if (buf_len(req) == 0 || buf_len(req) > AGENT_MAX_MSG_LEN)
		return ERR_INVALID_ARGUMENT;
	len = (uint32_t)buf_len(req);
	lenbuf[0] = (u_char)(len >> 24);
	lenbuf[1] = (u_char)(len >> 16);
	lenbuf[2] = (u_char)(len >> 8);
	lenbuf[3] = (u_char)len;
	if ((r = send_all(fd, lenbuf, sizeof(lenbuf))) != 0 ||
	    (r = send_all(fd, buf_ptr(req), buf_len(req))) != 0)
		return r;
	if (atomicio_read(fd, lenbuf, sizeof(lenbuf)) != sizeof(lenbuf))
		return ERR_AGENT_COMMUNICATION;
	if ((lb = buf_from(lenbuf, sizeof(lenbuf))) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = buf_get_u32(lb, &len)) != 0)
		goto out;
	if (len == 0 || len > AGENT_MAX_MSG_LEN) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	buf_reset(reply);
	if ((r = buf_reserve(reply, len, &p)) != 0)
		goto out;
	if (atomicio_read(fd, p, len) != len) {
		buf_reset(reply);
		r = ERR_AGENT_COMMUNICATION;
		goto out;
	}
	r = 0;
 out:
	buf_free(lb);
	return r;
}

/* 1 if type is one of the failure answers agents send. */
static int
is_failure(uint8_t type)
{
	return type == AGENT_FAILURE || type == AGENT_EXTENSION_FAILURE ||
	    type == AGENT_FAILURE_OLD || type == AGENT_FAILURE_SSHCOM;
}

/*
 * Send req, read the answer into a new buffer and consume its message
 * number, which must be want (a failure answer is ERR_AGENT_FAILURE).
 */
static int
agent_call(int fd, const struct buf *req, uint8_t want, struct buf **replyp)
{
	struct buf *reply = NULL;
	uint8_t type;
	int r = ERR_INTERNAL;

	*replyp = NULL;
	if ((reply = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = buf_set_max_size(reply, AGENT_MAX_MSG_LEN)) != 0 ||
	    (r = agent_request(fd, req, reply)) != 0 ||
	    (r = buf_get_u8(reply, &type)) != 0)
		goto out;
	if (is_failure(type)) {
		r = ERR_AGENT_FAILURE;
		goto out;
	}
	if (type != want) {
		debug_f("unexpected reply type %u (wanted %u)", type, want);
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	*replyp = reply;
	reply = NULL;
	r = 0;
 out:
	buf_free(reply);
	return r;
}

/* A request that is answered by SUCCESS with nothing after it. */
static int
agent_simple(int fd, const struct buf *req)
{
	struct buf *reply = NULL;
	int r;

	if ((r = agent_call(fd, req, AGENT_SUCCESS, &reply)) != 0)
		return r;
	r = buf_len(reply) == 0 ? 0 : ERR_UNEXPECTED_TRAILING_DATA;
	buf_free(reply);
	return r;
}

/* ------------------------------------------------------ identities */

void
agent_idlist_free(struct agent_idlist *list)
{
	size_t i;

	if (list == NULL)
		return;
	for (i = 0; i < list->n; i++) {
		key_free(list->ids[i].key);
		free(list->ids[i].comment);
	}
	free(list->ids);
	free(list);
}

/*
 * One entry of IDENTITIES_ANSWER: string key blob, string comment.
 * Sets *keyp to NULL (and succeeds) for a key type we do not know.
 */
static int
parse_identity(struct buf *b, struct key **keyp, char **commentp)
{
	const u_char *blob;
	size_t bloblen;
	struct key *k = NULL;
	char *comment = NULL;
	int r = ERR_INTERNAL;

	*keyp = NULL;
	*commentp = NULL;
	if ((r = buf_get_string_direct(b, &blob, &bloblen)) != 0)
		return r;
	if ((r = key_from_blob(blob, bloblen, &k)) != 0 &&
	    r != ERR_KEY_TYPE_UNKNOWN)
		return r;
	if (r == ERR_KEY_TYPE_UNKNOWN)
		debug_f("skipping a key of unknown type");
	if ((r = buf_get_cstring(b, &comment, NULL)) != 0) {
		key_free(k);
		return r;
	}
	*keyp = k;
	*commentp = comment;
	return 0;
}

static int
parse_idlist(struct buf *reply, struct agent_idlist **listp)
{
	struct agent_idlist *list = NULL;
	struct key *k;
	char *comment;
	uint32_t i, nkeys;
	int r = ERR_INTERNAL;

	*listp = NULL;
	/* uint32 nkeys, then nkeys (string key blob, string comment) */
	if ((r = buf_get_u32(reply, &nkeys)) != 0)
		return r;
	if (nkeys > AGENT_MAX_IDENTITIES)
		return ERR_INVALID_FORMAT;
	if ((list = calloc(1, sizeof(*list))) == NULL ||
	    (nkeys > 0 && (list->ids = calloc(nkeys,
	    sizeof(*list->ids))) == NULL)) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	for (i = 0; i < nkeys; i++) {
		if ((r = parse_identity(reply, &k, &comment)) != 0)
			goto out;
		if (k == NULL) {
			free(comment);
			continue;
		}
		list->ids[list->n].key = k;
		list->ids[list->n].comment = comment;
		list->n++;
	}
	if (buf_len(reply) != 0) {
		r = ERR_UNEXPECTED_TRAILING_DATA;
		goto out;
	}
	if (list->n == 0) {
		r = ERR_AGENT_NO_IDENTITIES;
		goto out;
	}
	*listp = list;
	list = NULL;
	r = 0;
 out:
	agent_idlist_free(list);
	return r;
}

int
agent_list_identities(int fd, struct agent_idlist **listp)
{
	struct buf *req = NULL, *reply = NULL;
	int r = ERR_INTERNAL;

	*listp = NULL;
	if ((req = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = buf_put_u8(req, AGENTC_REQUEST_IDENTITIES)) != 0 ||
	    (r = agent_call(fd, req, AGENT_IDENTITIES_ANSWER, &reply)) != 0 ||
	    (r = parse_idlist(reply, listp)) != 0)
		goto out;
	r = 0;
 out:
	buf_free(req);
	buf_free(reply);
	return r;
}

/* ------------------------------------------------------ signing */

/* The SIGN_REQUEST flags for alg on key. */
static uint32_t
sign_flags(const struct key *key, const char *alg)
{
	if (key_type(key) != KEY_RSA || alg == NULL)
		return 0;
	if (strcmp(alg, "rsa-sha2-256") == 0)
		return AGENT_SIGN_RSA_SHA2_256;
	if (strcmp(alg, "rsa-sha2-512") == 0)
		return AGENT_SIGN_RSA_SHA2_512;
	return 0;
}

/* The signature must be well-formed and, for RSA, use what we asked. */
static int
check_sig_alg(const struct key *key, const char *alg, const u_char *sig,
    size_t siglen)
{
	char *got = NULL;
	int r;

	if ((r = key_sig_alg(sig, siglen, &got)) != 0)
		return r;
	if (key_type(key) == KEY_RSA) {
		if (alg == NULL)
			alg = "ssh-rsa";
		if (strcmp(alg, got) != 0) {
			debug_f("agent used %s, not the requested %s",
			    got, alg);
			r = ERR_SIGN_ALG_UNSUPPORTED;
		}
	} else if (key_type_from_name(got) != key_type(key))
		r = ERR_KEY_TYPE_MISMATCH;
	free(got);
	return r;
}

int
agent_sign(int fd, const struct key *key, const u_char *data,
    size_t datalen, const char *alg, u_char **sigp, size_t *siglenp)
{
	struct buf *req = NULL, *reply = NULL;
	u_char *sig = NULL;
	size_t siglen = 0;
	int r = ERR_INTERNAL;

	*sigp = NULL;
	*siglenp = 0;
	if (key == NULL || (data == NULL && datalen != 0))
		return ERR_INVALID_ARGUMENT;
	if ((req = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	/* byte SIGN_REQUEST, string key blob, string data, uint32 flags */
	if ((r = buf_put_u8(req, AGENTC_SIGN_REQUEST)) != 0 ||
	    (r = key_puts(key, req)) != 0 ||
	    (r = buf_put_string(req, data, datalen)) != 0 ||
	    (r = buf_put_u32(req, sign_flags(key, alg))) != 0)
		goto out;
	if (buf_len(req) > AGENT_MAX_MSG_LEN) {
		r = ERR_STRING_TOO_LARGE;
		goto out;
	}
	/* byte SIGN_RESPONSE, string signature */
	if ((r = agent_call(fd, req, AGENT_SIGN_RESPONSE, &reply)) != 0 ||
	    (r = buf_get_string(reply, &sig, &siglen)) != 0)
		goto out;
	if (buf_len(reply) != 0) {
		r = ERR_UNEXPECTED_TRAILING_DATA;
		goto out;
	}
	if ((r = check_sig_alg(key, sign_flags(key, alg) == 0 ? NULL : alg,
	    sig, siglen)) != 0)
		goto out;
	*sigp = sig;
	*siglenp = siglen;
	sig = NULL;
	r = 0;
 out:
	free(sig);
	buf_free(req);
	buf_free(reply);
	return r;
}

/* ------------------------------------------------------ adding, removing */

static int
put_constraints(struct buf *b, const struct agent_constraints *c)
{
	int r;

	if (c->lifetime != 0 &&
	    ((r = buf_put_u8(b, AGENT_CONSTRAIN_LIFETIME)) != 0 ||
	    (r = buf_put_u32(b, c->lifetime)) != 0))
		return r;
	if (c->confirm && (r = buf_put_u8(b, AGENT_CONSTRAIN_CONFIRM)) != 0)
		return r;
	return 0;
}

int
agent_add_identity(int fd, const struct key *key, const char *comment,
    const struct agent_constraints *c)
{
	struct buf *req = NULL;
	int constrained, r = ERR_INTERNAL;

	if (key == NULL || !key_is_private(key))
		return ERR_INVALID_ARGUMENT;
	constrained = c != NULL && (c->lifetime != 0 || c->confirm);
	if ((req = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	/* byte ADD_IDENTITY, private key part, string comment[, constraints] */
	if ((r = buf_put_u8(req, constrained ? AGENTC_ADD_ID_CONSTRAINED :
	    AGENTC_ADD_IDENTITY)) != 0 ||
	    (r = key_private_serialize(key, req)) != 0 ||
	    (r = buf_put_cstring(req, comment == NULL ? "" : comment)) != 0)
		goto out;
	if (constrained && (r = put_constraints(req, c)) != 0)
		goto out;
	r = agent_simple(fd, req);
 out:
	buf_free(req);	/* wipes the private key copy */
	return r;
}

int
agent_remove_identity(int fd, const struct key *key)
{
	struct buf *req = NULL;
	int r = ERR_INTERNAL;

	if (key == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((req = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	/* byte REMOVE_IDENTITY, string key blob */
	if ((r = buf_put_u8(req, AGENTC_REMOVE_IDENTITY)) != 0 ||
	    (r = key_puts(key, req)) != 0)
		goto out;
	r = agent_simple(fd, req);
 out:
	buf_free(req);
	return r;
}

int
agent_remove_all_identities(int fd)
{
	struct buf *req = NULL;
	int r = ERR_INTERNAL;

	if ((req = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = buf_put_u8(req, AGENTC_REMOVE_ALL_IDENTITIES)) != 0)
		goto out;
	r = agent_simple(fd, req);
 out:
	buf_free(req);
	return r;
}

int
agent_lock(int fd, int lock, const char *password)
{
	struct buf *req = NULL;
	int r = ERR_INTERNAL;

	if (password == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((req = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	/* byte LOCK or UNLOCK, string passphrase */
	if ((r = buf_put_u8(req, lock ? AGENTC_LOCK : AGENTC_UNLOCK)) != 0 ||
	    (r = buf_put_cstring(req, password)) != 0)
		goto out;
	r = agent_simple(fd, req);
 out:
	buf_free(req);	/* wipes the password copy */
	return r;
}

/* ------------------------------------------------------ extensions */

void
agent_names_free(char **names)
{
	size_t i;

	if (names == NULL)
		return;
	for (i = 0; names[i] != NULL; i++)
		free(names[i]);
	free(names);
}

/* The rest of b as a NULL-terminated list of strings. */
static int
parse_names(struct buf *b, char ***namesp)
{
	char **names = NULL, **tmp, *name = NULL;
	size_t n = 0;
	int r = ERR_INTERNAL;

	*namesp = NULL;
	if ((names = calloc(1, sizeof(*names))) == NULL)
		return ERR_ALLOC_FAIL;
	while (buf_len(b) > 0) {
		if (n >= 1024) {
			r = ERR_INVALID_FORMAT;
			goto out;
		}
		if ((r = buf_get_cstring(b, &name, NULL)) != 0)
			goto out;
		if ((tmp = reallocarray(names, n + 2, sizeof(*names))) ==
		    NULL) {
			free(name);
			r = ERR_ALLOC_FAIL;
			goto out;
		}
		names = tmp;
		names[n++] = name;
		names[n] = NULL;
	}
	*namesp = names;
	names = NULL;
	r = 0;
 out:
	agent_names_free(names);
	return r;
}

int
agent_query_extensions(int fd, char ***namesp)
{
	struct buf *req = NULL, *reply = NULL;
	char *name = NULL;
	uint8_t type;
	int r = ERR_INTERNAL;

	*namesp = NULL;
	if ((req = buf_new()) == NULL || (reply = buf_new()) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_put_u8(req, AGENTC_EXTENSION)) != 0 ||
	    (r = buf_put_cstring(req, AGENT_EXT_QUERY)) != 0 ||
	    (r = agent_request(fd, req, reply)) != 0 ||
	    (r = buf_get_u8(reply, &type)) != 0)
		goto out;
	/*
	 * Newer drafts answer EXTENSION_RESPONSE, string "query", names;
	 * older ones SUCCESS followed by the names.
	 */
	if (type == AGENT_EXTENSION_RESPONSE) {
		if ((r = buf_get_cstring(reply, &name, NULL)) != 0)
			goto out;
		if (strcmp(name, AGENT_EXT_QUERY) != 0) {
			r = ERR_INVALID_FORMAT;
			goto out;
		}
	} else if (is_failure(type)) {
		r = ERR_AGENT_FAILURE;
		goto out;
	} else if (type != AGENT_SUCCESS) {
		r = ERR_INVALID_FORMAT;
		goto out;
	}
	r = parse_names(reply, namesp);
 out:
	free(name);
	buf_free(req);
	buf_free(reply);
	return r;
}

int
agent_session_bind(int fd, const struct key *hostkey, const u_char *sid,
    size_t sidlen, const u_char *sig, size_t siglen, int forwarding)
{
	struct buf *req = NULL;
	int r = ERR_INTERNAL;

	if (hostkey == NULL || sid == NULL || sig == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((req = buf_new()) == NULL)
		return ERR_ALLOC_FAIL;
	/*
	 * byte EXTENSION, string "session-bind@openssh.com", string hostkey,
	 * string session id, string signature, bool is_forwarding
	 */
	if ((r = buf_put_u8(req, AGENTC_EXTENSION)) != 0 ||
	    (r = buf_put_cstring(req, AGENT_EXT_SESSION_BIND)) != 0 ||
	    (r = key_puts(hostkey, req)) != 0 ||
	    (r = buf_put_string(req, sid, sidlen)) != 0 ||
	    (r = buf_put_string(req, sig, siglen)) != 0 ||
	    (r = buf_put_u8(req, forwarding ? 1 : 0)) != 0)
		goto out;
	r = agent_simple(fd, req);
 out:
	buf_free(req);
	return r;
}
