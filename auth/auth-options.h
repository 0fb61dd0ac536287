/*
 * auth-options.h: authorized_keys lines and their options
 * (sshd(8) "AUTHORIZED_KEYS FILE FORMAT").
 *
 * A line is "[options] keytype base64-key [comment]" where options is a
 * comma-separated list without unquoted white space:
 *   command="cmd"  environment="NAME=value"  from="pattern-list"
 *   permitopen="host:port"  permitlisten="[host:]port"
 *   expiry-time="YYYYMMDD[HHMM[SS]][Z]"  principals="list"
 *   tunnel="n"  cert-authority  restrict
 *   no-pty no-port-forwarding no-agent-forwarding no-X11-forwarding
 *   no-user-rc  and, after restrict, pty port-forwarding
 *   agent-forwarding X11-forwarding user-rc
 *   no-touch-required verify-required (accepted, stored)
 * Option names are case-insensitive; a quoted value may hold \" for a
 * quote.  Blank lines and '#' lines are comments.
 *
 * Library code: never exits, no xmalloc.  int results are 0 or a negative
 * ERR_* code; outputs are set only on success and belong to the caller.
 */
#ifndef KEEL_AUTH_OPTIONS_H
#define KEEL_AUTH_OPTIONS_H

#include <sys/types.h>
#include <stdint.h>

struct key;

#define AUTHOPTS_MAX_LIST	4096	/* entries of env/permitopen/... */
#define AUTHOPTS_TUN_ANY	-1	/* no tunnel= restriction */
#define AUTHOPTS_TUN_MAX	0x7ffffffd	/* highest tunnel= unit */

/* What one authorized_keys line allows.  Strings and arrays are owned. */
struct authopts {
	/* 1 allowed, 0 forbidden; a fresh struct allows everything. */
	int	 permit_port_forwarding;
	int	 permit_agent_forwarding;
	int	 permit_x11_forwarding;
	int	 permit_pty;
	int	 permit_user_rc;
	int	 restricted;		/* "restrict" was given */
	int	 cert_authority;
	int	 no_require_user_presence;	/* no-touch-required */
	int	 require_verify;		/* verify-required */
	uint64_t valid_before;		/* expiry-time; 0: none */
	int	 force_tun_device;	/* tunnel=; AUTHOPTS_TUN_ANY */
	char	*force_command;		/* command= */
	char	*required_from_host;	/* from= pattern list */
	char	*cert_principals;	/* principals= */
	char	**env;			/* "NAME=value", first NAME kept */
	size_t	 nenv;
	char	**permitopen;		/* "host:port" */
	size_t	 npermitopen;
	char	**permitlisten;		/* "host:port", host "*" if none */
	size_t	 npermitlisten;
};

/* A struct allowing everything; NULL on allocation failure. */
struct authopts *authopts_new(void);
void authopts_free(struct authopts *o);

/*
 * Parse an options field (the text before the key, e.g.
 * `no-pty,command="ls -l"`).  Parsing stops at the first unquoted space
 * or tab; *endp (if not NULL) gets a pointer there.  On failure *errstrp
 * (if not NULL) gets a static description ("unknown key option",
 * "missing end quote", "invalid environment string", ...), and the
 * result is ERR_INVALID_FORMAT.
 */
int authopts_parse(const char *opts, struct authopts **optsp,
    const char **endp, const char **errstrp) must_check;

/*
 * Parse an authorized_keys line: options (if any) then the key.
 * Comment lines are ERR_NOT_FOUND.  *optsp gets the options (a
 * permissive struct when the line has none), *keyp the key, *commentp
 * (if not NULL) the comment or NULL.  *errstrp as for authopts_parse().
 */
int authkeys_parse_line(const char *line, struct authopts **optsp,
    struct key **keyp, char **commentp, const char **errstrp) must_check;

/*
 * The from= check: 1 if the connection from host name remote_host
 * (may equal the address when UseDNS is off) and address remote_ip may
 * use the key, 0 if not (also for an invalid pattern list, which is
 * logged).  No from= allows everything.
 */
int authopts_from_ok(const struct authopts *o, const char *remote_host,
    const char *remote_ip);

/* 1 if the key has expired (expiry-time before now, seconds). */
int authopts_expired(const struct authopts *o, uint64_t now);

/*
 * 1 if opening a connection to host:port is allowed by permitopen=
 * (no permitopen= allows all; "*" matches any port).  Host names are
 * compared case-insensitively.
 */
int authopts_permitopen_ok(const struct authopts *o, const char *host,
    int port);
/* The same for listening on host:port with permitlisten=. */
int authopts_permitlisten_ok(const struct authopts *o, const char *host,
    int port);

/*
 * Walk an authorized_keys file and find the first line whose key equals
 * k (public halves; a cert-authority line only for cert_authority set,
 * other lines only for it unset).  Lines that cannot be parsed are
 * skipped with "<file>:<line>: <reason>" at debug level.  Returns 0 with
 * *optsp (if not NULL) and *linenump (if not NULL) set, ERR_KEY_NOT_FOUND
 * when no line matches, ERR_ERRNO when the file cannot be opened.
 */
int authkeys_find_key(const char *path, const struct key *k,
    int cert_authority, struct authopts **optsp, u_long *linenump)
    must_check;
/* The same over an already open file; path names it in messages. */
int authkeys_find_key_fd(int fd, const char *path, const struct key *k,
    int cert_authority, struct authopts **optsp, u_long *linenump)
    must_check;

#endif /* KEEL_AUTH_OPTIONS_H */
