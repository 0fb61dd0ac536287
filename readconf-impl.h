/*
 * readconf-impl.h: the keyword table and parser state shared by the
 * readconf*.c files.  Private to the readconf module.
 */
#ifndef KEEL_READCONF_IMPL_H
#define KEEL_READCONF_IMPL_H

#include <stddef.h>

#include "conf.h"

struct readconf;
struct readconf_ctx;

/* How a value is parsed. */
enum rc_parse {
	R_CHOICE,	/* one word from the row's table */
	R_INT,		/* a non-negative int */
	R_TIME,		/* a time ("1m30s") */
	R_STR,		/* one word */
	R_REST,		/* the rest of the line as written */
	R_LIST,		/* words appended, line after line */
	R_LIST1,	/* the words of the first line only */
	R_ALGS,		/* an algorithm list (row's op: conf_alg_kind) */
	R_SPECIAL,	/* rc_parse_special() by the row's op */
	R_DEPRECATED,	/* logged at debug, ignored */
	R_UNSUPPORTED,	/* logged at info, ignored */
	R_IGNORE	/* ignored silently */
};

/* How the field at the row's offset is stored. */
enum rc_store {
	RS_NONE,
	RS_INT,		/* int, -1 unset */
	RS_STR,		/* char *, NULL unset */
	RS_LIST		/* struct conf_strlist */
};

enum rc_op {
	RO_NONE = 0,
	RO_HOST,
	RO_MATCH,
	RO_INCLUDE,
	RO_PORT,
	RO_LOGLEVEL,
	RO_FACILITY,
	RO_ESCAPE,
	RO_FORWARD_L,
	RO_FORWARD_R,
	RO_FORWARD_D,
	RO_IDENTITY,
	RO_CERTFILE,
	RO_SENDENV,
	RO_SETENV,
	RO_PROXYCOMMAND,
	RO_PROXYJUMP,
	RO_CONTROLPERSIST,
	RO_FORWARDAGENT,
	RO_ADDKEYS,
	RO_TUNDEV,
	RO_IPQOS,
	RO_REKEY,
	RO_BINDMASK,
	RO_FPHASH,
	RO_CONNECTTIMEOUT,
	RO_PERMITREMOTEOPEN,
	RO_CANON_CNAMES
};

struct rc_kw {
	const char	*name;		/* lower case */
	int		 op;
	int		 parse;		/* enum rc_parse */
	int		 store;		/* enum rc_store */
	size_t		 off;
	const struct conf_choice *choices;
};

/* State while reading one file (and the files it includes). */
struct rc_state {
	const char	*file;
	u_int		 line;
	const char	*host;		/* Host lines match this */
	const struct readconf_ctx *ctx;
	int		 flags;		/* READCONF_* */
	int		 active;	/* the current block applies */
	int		 is_option;	/* a -o option */
	int		 nevermatch;	/* in a file an inactive line
					 * included: nothing applies */
	u_int		 depth;		/* Include nesting */
	int		 nbad;
};

extern const struct rc_kw readconf_keywords[];
const struct rc_kw *readconf_keyword(const char *name);

void rc_error(const struct rc_state *st, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));
int rc_parse_special(struct readconf *o, struct rc_state *st,
    const struct rc_kw *kw, const struct conf_line *cl);
int rc_special_one_arg(int op);
int rc_parse_time(struct rc_state *st, const char *arg, int *valp);
int rc_match_line(struct readconf *o, struct rc_state *st,
    const struct conf_line *cl);
int rc_host_line(struct rc_state *st, const struct conf_line *cl);
int rc_process_file(struct readconf *o, struct rc_state *st,
    const char *path, int check_perm);

#endif /* KEEL_READCONF_IMPL_H */
