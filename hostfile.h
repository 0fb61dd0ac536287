/*
 * hostfile.h: known_hosts files (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT").
 *
 * A line is
 *     [@marker] hostnames keytype base64-key [comment]
 * where marker is @cert-authority or @revoked, and hostnames is either a
 * comma-separated list of patterns ('*', '?', "!negated", "[host]:port"
 * for a port other than 22) or one hashed name "|1|base64-salt|base64-
 * hash", the hash being HMAC-SHA1(key = salt, data = name) with a 20-byte
 * salt.  Blank lines and lines starting with '#' are comments.
 *
 * Looking up a host: hostfile_host_name() gives the name to look for
 * ("host" or "[host]:port"); hostkeys_load_file() collects every entry of
 * a file whose hostnames match it; hostkeys_check() then says whether a
 * key is known (HOST_OK), revoked, or whether a different key of its type
 * is known (HOST_CHANGED: "REMOTE HOST IDENTIFICATION HAS CHANGED"), or
 * nothing at all (HOST_NEW).
 *
 * Library code: never exits, no xmalloc.  int results are 0 or a negative
 * ERR_* code; outputs are set only on success and belong to the caller.
 */
#ifndef KEEL_HOSTFILE_H
#define KEEL_HOSTFILE_H

#include <sys/types.h>

struct key;

#define HOSTFILE_HASH_MAGIC	"|1|"
#define HOSTFILE_SALT_LEN	20	/* SHA-1 sized, as OpenSSH */
#define HOSTFILE_LINE_MAX	(16 * 1024)	/* longer lines are skipped */

enum hostfile_marker {
	MRK_ERROR = -1,
	MRK_NONE = 0,
	MRK_REVOKE,		/* @revoked */
	MRK_CA			/* @cert-authority */
};

enum hostfile_status {
	HOST_OK,		/* the key is known for the host */
	HOST_NEW,		/* nothing known for the host and key type */
	HOST_CHANGED,		/* another key of this type is known */
	HOST_REVOKED,		/* the key is marked @revoked */
	HOST_FOUND		/* (hostkeys_lookup_type) a key of the type */
};

/* One known_hosts entry that matched a host. */
struct hostkey_entry {
	char	*host;		/* the name looked up */
	char	*file;		/* where the entry is */
	u_long	 line;
	struct key *key;
	enum hostfile_marker marker;
	u_int	 note;		/* the caller's tag of the file */
};

/* The entries matching one host, from one or more files. */
struct hostkeys {
	struct hostkey_entry *entries;
	u_int	 num_entries;
};

/* ------------------------------------------------------------ names */

/*
 * The name to store or look up: host itself for port 0 or 22, else
 * "[host]:port".  New string; NULL on allocation failure.
 */
char *hostfile_host_name(const char *host, int port);

/*
 * Hash host as "|1|salt|hash" (base64).  salt: HOSTFILE_SALT_LEN bytes,
 * or NULL for fresh random ones.  New string in *retp.
 */
int hostfile_hash_name(const char *host, const u_char *salt, size_t saltlen,
    char **retp) must_check;

/*
 * Does the host field of a known_hosts line (hashed or a pattern list)
 * name host?  1 match, 0 no match, -1 a negated pattern matched (treat as
 * no match), ERR_INVALID_FORMAT for a malformed hashed field.  host is
 * compared case-insensitively (lower-cased as OpenSSH does).
 */
int hostfile_match_hosts(const char *hostfield, const char *host);

/* ------------------------------------------------------------ lookup */

struct hostkeys *hostkeys_new(void);
void hostkeys_free(struct hostkeys *hk);

/*
 * Add every entry of the file at path that matches host (as from
 * hostfile_host_name()) to hk, tagged with note.  A missing file is not
 * an error (nothing is added).  Malformed lines are skipped with a debug
 * message.  ERR_ERRNO for a file that exists but cannot be read.
 */
int hostkeys_load_file(struct hostkeys *hk, const char *host,
    const char *path, u_int note) must_check;

/*
 * The state of key k among the entries (ignoring @cert-authority ones):
 * HOST_REVOKED if a @revoked entry holds k; HOST_OK if another entry
 * holds it; HOST_CHANGED if an entry holds a different key of k's type;
 * HOST_NEW otherwise.  With foundp, *foundp points at the deciding entry
 * (the revoked one, the matching one, or the first conflicting one), or
 * NULL for HOST_NEW.  The pointer lives as long as hk.
 */
enum hostfile_status hostkeys_check(const struct hostkeys *hk,
    const struct key *k, const struct hostkey_entry **foundp);

/*
 * 1 if hk has a (non-marker) entry with a key of type; *foundp as above.
 */
int hostkeys_lookup_type(const struct hostkeys *hk, int type,
    const struct hostkey_entry **foundp);

/* ------------------------------------------------------------ walking */

/* One parsed line handed to a hostfile_foreach() callback. */
struct hostfile_line {
	const char *path;
	u_long	 linenum;
	const char *line;	/* the whole line, no newline */
	int	 is_comment;	/* blank or '#' line (nothing else is set) */
	int	 is_invalid;	/* could not be parsed: hosts/key unset */
	enum hostfile_marker marker;
	const char *hosts;	/* the host field (NUL-terminated copy) */
	int	 hashed;	/* hosts is a |1| hash */
	int	 match;		/* with a host given: it matched (1) */
	struct key *key;	/* borrowed: valid during the callback */
	const char *comment;	/* rest of the line after the key, or NULL */
};

/*
 * Call cb for every line of the file at path (host NULL), or only for
 * lines that name host (host not NULL: comments and non-matching lines
 * are skipped).  A callback returning non-zero stops the walk and that
 * value is returned.  ERR_ERRNO (errno set, ENOENT for a missing file).
 */
typedef int hostfile_cb(const struct hostfile_line *l, void *ctx);
int hostfile_foreach(const char *path, const char *host, hostfile_cb *cb,
    void *ctx) must_check;

/* ------------------------------------------------------------ writing */

/*
 * Format an entry line (no newline): "[marker ]hosts key [comment]";
 * with hash set every host in the comma list hosts is hashed separately
 * into its own line, the lines joined by '\n' (as ssh-keygen -H does).
 */
int hostfile_format_entry(const char *hosts, const struct key *k,
    enum hostfile_marker marker, int hash, const char *comment,
    char **linep) must_check;

/*
 * Append an entry for hosts (one name, or "name,address") with key k to
 * path, hashed if hash is set, creating the file 0644 if missing.  The
 * line is written with one write(2) on an O_APPEND descriptor under an
 * exclusive flock(2), preceded by a newline if the file does not end in
 * one, so concurrent writers never interleave.
 */
int hostfile_add(const char *path, const char *hosts, const struct key *k,
    int hash) must_check;

#endif /* KEEL_HOSTFILE_H */
