/*
 * agent.h: the SSH agent protocol, client side.
 *
 * The protocol is draft-miller-ssh-agent (now draft-ietf-sshm-ssh-agent)
 * plus OpenSSH's extensions (PROTOCOL.agent).  Every message on the Unix
 * socket is framed as
 *	uint32	length of what follows
 *	byte	message number
 *	byte[]	contents
 * and the agent answers each request with exactly one message.
 *
 * ssh-add and ssh (agent authentication) use the functions below; the
 * agent itself lives in agent-server.h.  All of them read and write
 * through struct buf.  Unless noted, int results are 0 or a negative
 * ERR_* code: an agent's FAILURE reply is ERR_AGENT_FAILURE, a reply
 * that does not parse is ERR_INVALID_FORMAT, and a broken connection is
 * ERR_AGENT_COMMUNICATION.  Outputs are set only on success and then
 * belong to the caller.
 */
#ifndef KEEL_AGENT_H
#define KEEL_AGENT_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct key;

/* Message numbers (draft-miller-ssh-agent section 6.1). */
#define AGENT_FAILURE				5
#define AGENT_SUCCESS				6
#define AGENTC_REQUEST_IDENTITIES		11
#define AGENT_IDENTITIES_ANSWER			12
#define AGENTC_SIGN_REQUEST			13
#define AGENT_SIGN_RESPONSE			14
#define AGENTC_ADD_IDENTITY			17
#define AGENTC_REMOVE_IDENTITY			18
#define AGENTC_REMOVE_ALL_IDENTITIES		19
#define AGENTC_ADD_SMARTCARD_KEY		20
#define AGENTC_REMOVE_SMARTCARD_KEY		21
#define AGENTC_LOCK				22
#define AGENTC_UNLOCK				23
#define AGENTC_ADD_ID_CONSTRAINED		25
#define AGENTC_ADD_SMARTCARD_KEY_CONSTRAINED	26
#define AGENTC_EXTENSION			27
#define AGENT_EXTENSION_FAILURE			28
#define AGENT_EXTENSION_RESPONSE		29
/* Obsolete SSH protocol 1 requests some clients still send. */
#define AGENTC_REQUEST_RSA_IDENTITIES		1
#define AGENTC_REMOVE_ALL_RSA_IDENTITIES	9
/* Failure codes of other implementations that clients also accept. */
#define AGENT_FAILURE_OLD			30
#define AGENT_FAILURE_SSHCOM			102

/* Key constraints (section 3.2.7). */
#define AGENT_CONSTRAIN_LIFETIME		1
#define AGENT_CONSTRAIN_CONFIRM			2
#define AGENT_CONSTRAIN_MAXSIGN			3
#define AGENT_CONSTRAIN_EXTENSION		255

/* SIGN_REQUEST flags (section 3.6.1). */
#define AGENT_SIGN_OLD_SIGNATURE		0x01
#define AGENT_SIGN_RSA_SHA2_256			0x02
#define AGENT_SIGN_RSA_SHA2_512			0x04

/* Extension names. */
#define AGENT_EXT_QUERY				"query"
#define AGENT_EXT_SESSION_BIND			"session-bind@openssh.com"

/*
 * The largest message either side accepts (OpenSSH uses the same bound);
 * a peer announcing more is broken or hostile.
 */
#define AGENT_MAX_MSG_LEN			(256 * 1024)
/* Most identities a client accepts in one IDENTITIES_ANSWER. */
#define AGENT_MAX_IDENTITIES			2048

/* ------------------------------------------------------ connection */

/*
 * Connect to the agent named by $SSH_AUTH_SOCK.  *fdp gets a blocking,
 * close-on-exec descriptor.  ERR_AGENT_NOT_PRESENT if the variable is
 * unset or empty, ERR_ERRNO (errno set) if connecting failed.
 */
int agent_connect(int *fdp) must_check;
/* The same for the socket at path. */
int agent_connect_path(const char *path, int *fdp) must_check;
/* Close a descriptor from agent_connect(); -1 is a no-op. */
void agent_close(int fd);

/*
 * One round trip: send the message in req (message number and contents,
 * without the length) and replace reply's contents with the answer's
 * (also without the length).  Replies longer than AGENT_MAX_MSG_LEN are
 * refused (ERR_INVALID_FORMAT).
 */
int agent_request(int fd, const struct buf *req, struct buf *reply)
    must_check;

/* ------------------------------------------------------ operations */

/* One identity the agent holds. */
struct agent_identity {
	struct key *key;	/* public key */
	char *comment;		/* never NULL, may be "" */
};

struct agent_idlist {
	size_t n;
	struct agent_identity *ids;
};

/*
 * REQUEST_IDENTITIES.  Keys of types this build does not know are left
 * out of the list.  An agent that holds nothing (or only such keys)
 * gives ERR_AGENT_NO_IDENTITIES.
 */
int agent_list_identities(int fd, struct agent_idlist **listp)
    must_check;
void agent_idlist_free(struct agent_idlist *list);

/*
 * SIGN_REQUEST: sign data with the agent's private half of key.  alg
 * picks the RSA hash ("rsa-sha2-256" or "rsa-sha2-512" set the protocol
 * flags; NULL or "ssh-rsa" ask for SHA-1); it is ignored for other key
 * types.  *sigp gets the SSH signature blob, which is checked to be
 * well-formed and to use the requested RSA algorithm (not verified).
 */
int agent_sign(int fd, const struct key *key, const u_char *data,
    size_t datalen, const char *alg, u_char **sigp, size_t *siglenp)
    must_check;

/* Constraints for agent_add_identity(); NULL means none. */
struct agent_constraints {
	uint32_t lifetime;	/* seconds; 0 = forever */
	int confirm;		/* ask the user before each use */
};

/* ADD_IDENTITY (or ADD_ID_CONSTRAINED when c asks for something). */
int agent_add_identity(int fd, const struct key *key, const char *comment,
    const struct agent_constraints *c) must_check;
/* REMOVE_IDENTITY: key needs only its public half. */
int agent_remove_identity(int fd, const struct key *key) must_check;
/* REMOVE_ALL_IDENTITIES. */
int agent_remove_all_identities(int fd) must_check;
/* LOCK (lock != 0) or UNLOCK with password. */
int agent_lock(int fd, int lock, const char *password) must_check;

/*
 * The "query" extension: *namesp gets a NULL-terminated array of the
 * extension names the agent supports (free with agent_names_free());
 * ERR_AGENT_FAILURE if the agent does not implement the query.
 */
int agent_query_extensions(int fd, char ***namesp) must_check;
void agent_names_free(char **names);

/*
 * session-bind@openssh.com (PROTOCOL.agent section 1): tell the agent
 * which SSH session this connection serves.  hostkey is the server's host
 * key, sid the session identifier (RFC 4253 section 7.2) and sig the host
 * key's signature over it from the key exchange; forwarding != 0 when the
 * connection is a forwarded agent rather than one used for user
 * authentication.
 */
int agent_session_bind(int fd, const struct key *hostkey,
    const u_char *sid, size_t sidlen, const u_char *sig, size_t siglen,
    int forwarding) must_check;

#endif /* KEEL_AGENT_H */
