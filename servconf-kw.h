/*
 * servconf-kw.h: the keyword table and parser state shared by servconf.c
 * and servconf-kw.c.  Private to the servconf module.
 */
#ifndef KEEL_SERVCONF_KW_H
#define KEEL_SERVCONF_KW_H

#include <stddef.h>

#include "conf.h"

struct servconf;
struct servconf_conn;

/* Where a keyword may appear. */
#define SCF_GLOBAL	(1 << 0)
#define SCF_MATCH	(1 << 1)

/* How the value is parsed. */
enum sc_parse {
	P_CHOICE,	/* one word from the row's table (flags: yes/no) */
	P_INT,		/* a non-negative int */
	P_TIME,		/* a sshd_config time ("1m30s") */
	P_STR,		/* one word */
	P_REST,		/* the rest of the line as written */
	P_LIST,		/* words appended, line after line */
	P_LIST1,	/* the words of the first line only */
	P_ALGS,		/* an algorithm list (row's op: conf_alg_kind) */
	P_SPECIAL,	/* parse_special() by the row's op */
	P_DEPRECATED,	/* logged at info, ignored */
	P_UNSUPPORTED,	/* logged at info, ignored */
	P_IGNORE	/* logged at debug, ignored */
};

/* How the field at the row's offset is stored (merge, free, init). */
enum sc_store {
	S_NONE,		/* nothing, or handled by hand */
	S_INT,		/* int, -1 unset */
	S_STR,		/* char *, NULL unset */
	S_LIST		/* struct conf_strlist, empty unset */
};

/* Special keywords and list checks (the row's op). */
enum sc_op {
	OP_NONE = 0,
	OP_PORT,
	OP_LISTEN,
	OP_LOGLEVEL,
	OP_FACILITY,
	OP_MAXSTARTUPS,
	OP_PERSOURCEMAX,
	OP_PERSOURCENET,
	OP_UNUSEDTIMEOUT,
	OP_CHANNELTIMEOUT,
	OP_IPQOS,
	OP_REKEY,
	OP_FPHASH,
	OP_PUBKEYOPTS,
	OP_AUTHMETHODS,
	OP_USERPATTERN,
	OP_ACCEPTENV,
	OP_SETENV,
	OP_SUBSYSTEM,
	OP_PERMITUSERENV,
	OP_BINDMASK,
	OP_PERMITOPEN,
	OP_PERMITLISTEN,
	OP_INCLUDE,
	OP_MATCH
};

struct sc_kw {
	const char	*name;		/* lower case */
	int		 op;		/* enum sc_op, or conf_alg_kind */
	int		 flags;		/* SCF_* */
	int		 parse;		/* enum sc_parse */
	int		 store;		/* enum sc_store */
	size_t		 off;		/* field in struct servconf */
	const struct conf_choice *choices;
};

/* Parser state of one pass. */
struct sc_state {
	const char	*file;
	u_int		 line;
	const struct servconf_conn *conn;	/* NULL: global pass */
	int		 active;	/* lines apply now */
	int		 in_match;	/* inside a Match block */
	int		 nevermatch;	/* in a file included by an unmatched
					 * block: nothing applies */
	int		 is_option;	/* reading -o options */
	int		 cmdline_ports;	/* sshd -p: the file's Ports are
					 * ignored */
	int		 nbad;		/* counted problems */
};

/* A problem counted and reported at the end of the pass. */
#define SC_COUNTED	1

extern const struct sc_kw servconf_keywords[];
const struct sc_kw *servconf_keyword(const char *name);

void sc_error(const struct sc_state *st, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));
int sc_parse_int(struct sc_state *st, const char *kwname, const char *arg,
    int *valp);
int sc_parse_time(struct sc_state *st, const char *arg, int *valp);
int sc_match(struct sc_state *st, const struct conf_line *cl);

/* servconf-kw.c */
int sc_special_one_arg(int op);
int sc_parse_special(struct servconf *o, struct sc_state *st,
    const struct sc_kw *kw, const struct conf_line *cl);
int sc_check_list_arg(struct sc_state *st, const struct sc_kw *kw,
    const char *arg);
int sc_check_list_line(struct sc_state *st, const struct sc_kw *kw,
    const struct conf_line *cl);
int sc_setenv_has(const struct conf_strlist *l, const char *nameval);
int sc_fill_defaults(struct servconf *o);

#endif /* KEEL_SERVCONF_KW_H */
