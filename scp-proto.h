/*
 * scp-proto.h: the parts of scp that read untrusted text, kept in the
 * library so that unit tests and a fuzzer reach them:
 *  - the control records of the legacy scp (rcp) protocol:
 *      T<mtime> <usec> <atime> <usec>   times of the next file/directory
 *      C<mode> <size> <name>            a file of size bytes follows
 *      D<mode> 0 <name>                 a directory follows, until "E"
 *    (mode is four octal digits, each record ends in a newline);
 *  - the patterns a name sent by a legacy server must match when the
 *    client asked for a particular file (strict filename checking);
 *  - the [user@]host:path and scp://[user@]host[:port][/path] arguments.
 *
 * Library code: no exit, no xmalloc.  int results are 0 or a negative
 * ERR_* code unless a comment says otherwise.  Outputs are cleared first
 * and set only on success; strings handed back are the caller's.
 */
#ifndef KEEL_SCP_PROTO_H
#define KEEL_SCP_PROTO_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/* The longest record or error line we accept (newline excluded). */
#define SCP_LINE_MAX		8192
/* The most patterns one requested path may expand to ("{a,b}{c,d}"). */
#define SCP_PATTERNS_MAX	1024

/* ------------------------------------------------------------ records */

/*
 * A T record.  Times that do not fit a time_t leave in_range 0: the
 * record is valid but the times are not applied (as OpenSSH does).
 */
struct scp_times {
	uint64_t	mtime;
	uint64_t	atime;
	int		in_range;
};

/* A C (file) or D (directory) record. */
struct scp_record {
	int		type;	/* 'C' or 'D' */
	mode_t		mode;	/* at most 07777 */
	uint64_t	size;	/* at most INT64_MAX */
	char		*name;	/* as sent: check it with scp_name_is_safe() */
};

/*
 * Parse a T record held in line (the newline already removed); line is
 * consumed.  ERR_INVALID_FORMAT with *whyp set to OpenSSH's wording of
 * the fault ("mtime.sec not present", ...), for "protocol error: %s".
 */
int scp_parse_times(struct buf *line, struct scp_times *t,
    const char **whyp) __attribute__((__warn_unused_result__));

/*
 * Parse a C or D record held in line (newline removed); line is
 * consumed.  ERR_INVALID_FORMAT with *whyp set ("bad mode", "mode not
 * delimited", "size not present", "size not delimited", "size out of
 * range", "filename contains a NUL"), ERR_ALLOC_FAIL.  The name is not
 * judged here.  Free rec->name with scp_record_clear().
 */
int scp_parse_record(struct buf *line, struct scp_record *rec,
    const char **whyp) __attribute__((__warn_unused_result__));
void scp_record_clear(struct scp_record *rec);

/*
 * 1 if name may be created inside the target directory: not empty, not
 * "..", no '/'.  ("." is allowed: it names the target itself.)  Else 0.
 */
int scp_name_is_safe(const char *name);

/*
 * Append the record line "C0644 123 name\n" (type 'C' or 'D'; mode is
 * masked to 07777) or "T<mtime> 0 <atime> 0\n" to b.  A name holding a
 * newline is refused (ERR_INVALID_ARGUMENT): encode it first.
 */
int scp_put_record(struct buf *b, int type, mode_t mode, uint64_t size,
    const char *name) __attribute__((__warn_unused_result__));
int scp_put_times(struct buf *b, uint64_t mtime, uint64_t atime)
    __attribute__((__warn_unused_result__));
/*
 * The form OpenSSH's scp sends a name in when its path holds a newline:
 * vis(3) with VIS_NL, i.e. backslash doubled, printable ASCII, space and
 * tab as they are, other bytes as \^J, \M-x, \M^X or \240 style
 * escapes.  New string; NULL on allocation failure.
 */
char *scp_name_encode(const char *name);

/* ------------------------------------------------------------ patterns */

/*
 * The names a legacy server may send for a requested path: the path's
 * {a,b} alternatives expanded (nested groups too; a group without a
 * comma, or an unbalanced brace, stays literal; backslash escapes are
 * kept for fnmatch), then the last '/'-separated component of each.
 */
struct scp_patterns {
	char	**list;
	size_t	n;
};

/*
 * Build the patterns of path into *p.  ERR_NO_BUFFER_SPACE beyond
 * SCP_PATTERNS_MAX patterns or SCP_LINE_MAX bytes in one of them,
 * ERR_ALLOC_FAIL.
 */
int scp_patterns_from_path(const char *path, struct scp_patterns *p)
    __attribute__((__warn_unused_result__));
/* 1 if name equals one of the patterns or matches it as fnmatch(3) does. */
int scp_patterns_match(const struct scp_patterns *p, const char *name);
/* Free the list; p may be NULL or empty. */
void scp_patterns_free(struct scp_patterns *p);

/* ------------------------------------------------------------ arguments */

/* A source or target argument. */
struct scp_location {
	char	*user;	/* NULL if not given */
	char	*host;	/* NULL for a local path */
	int	port;	/* from a URI; -1 if not given */
	char	*path;	/* "." when a remote path is empty */
};

/*
 * 1 if arg names a remote file: an scp:// URI, or a ':' before any '/'
 * that is not the first character (an IPv6 address in brackets may hold
 * colons: "[::1]:file", "user@[::1]:file").  Else 0.
 */
int scp_is_remote(const char *arg);

/*
 * Split arg into *loc.  A local path is copied as is (host NULL).
 * "scp://" URIs: user (";params" dropped) and path are %-decoded ('+' is
 * a space), the host may be "[v6addr]", the port is 1..65535, and the
 * path is what follows the '/' after the host (so "scp://h//abs" is
 * "/abs").  ERR_INVALID_FORMAT for a malformed URI, ERR_ALLOC_FAIL.
 */
int scp_parse_location(const char *arg, struct scp_location *loc)
    __attribute__((__warn_unused_result__));
void scp_location_free(struct scp_location *loc);

/*
 * 1 if user is acceptable as a remote user name on a command line: no
 * byte >= 0x80 and none of ' " ` space #.  Else 0.
 */
int scp_user_is_ok(const char *user);

#endif /* KEEL_SCP_PROTO_H */
