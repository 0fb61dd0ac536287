/*
 * servconf-impl.h: what the servconf*.c files share and nobody else
 * uses.
 */
#ifndef KEEL_SERVCONF_IMPL_H
#define KEEL_SERVCONF_IMPL_H

#include "conf.h"

struct servconf_conn;

/* The name -o options are reported under, as in OpenSSH. */
#define SERVCONF_CMDLINE	"command-line"

/* Kinds of text entries (servconf-text.c). */
#define ST_LINE		0	/* a line of a file */
#define ST_INC_BEGIN	1	/* an included file starts */
#define ST_INC_END	2	/* ... and ends */

struct st_entry {
	int	 kind;
	u_int	 file;		/* index into servconf_text.files */
	u_int	 line;
	char	*text;		/* ST_LINE only */
};

struct servconf_text {
	char	*confdir;		/* relative Include names */
	struct conf_strlist files;	/* [0] is SERVCONF_CMDLINE */
	struct st_entry *opts;		/* -o options */
	u_int	 nopts;
	struct st_entry *ents;		/* the files' lines */
	u_int	 nents;
	size_t	 nbytes;		/* text loaded so far */
	int	 cmdline_ports;		/* sshd -p was used */
};

/*
 * Evaluate the criteria of a Match line (argv after the keyword) for
 * conn.  With conn NULL only the syntax is checked (and 0 returned).
 * 1 match, 0 no match, ERR_CONFIG_INVALID (logged) for a bad line or
 * a criterion conn cannot answer.
 */
int servconf_match_line(int argc, char **argv,
    const struct servconf_conn *conn, const char *file, u_int line);

#endif /* KEEL_SERVCONF_IMPL_H */
