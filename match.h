/*
 * match.h: wildcard patterns, pattern lists, address/CIDR lists and
 * algorithm-name list negotiation, with the semantics of OpenSSH's
 * config files (ssh_config(5) PATTERNS), authorized_keys from= and
 * AllowUsers/Match.
 *
 * Patterns: '*' matches any run of characters (also empty), '?' exactly
 * one; everything else matches itself.  A pattern list is comma-separated;
 * an entry "!pat" is negated: if it matches, the whole list answers
 * "negated" whatever else matched.  Empty entries (as in "a,,b", a
 * trailing comma or a lone "!") are ignored: they match nothing.  (Address
 * lists are stricter: there an empty entry makes the list invalid.)
 *
 * Library code: never exits, no xmalloc.  Nothing here keeps a pointer to
 * its arguments.  Matching never allocates except where a function returns
 * a new string.
 */
#ifndef KEEL_MATCH_H
#define KEEL_MATCH_H

#include <sys/types.h>

/* 1 if s matches the wildcard pattern, else 0.  Case-sensitive. */
int match_pattern(const char *s, const char *pattern);

/*
 * s against a comma-separated pattern list.  With dolower the patterns
 * are compared in lower case (s itself is taken as given: lower it first).
 * 1: some entry matched and no negated entry did; 0: nothing matched;
 * -1: a negated entry matched (negation wins).
 */
int match_pattern_list(const char *s, const char *list, int dolower);

/* match_pattern_list() of the lower-cased host against list, dolower set. */
int match_hostname(const char *host, const char *list);

/*
 * A host both by name and address (from=, Match Host/Address style list
 * holding names, wildcards, addresses and CIDR blocks).
 * 1: matched (by name or address) and no negated entry matched;
 * 0: no match or a negated match; -1: the list is invalid (a malformed
 * CIDR entry).  With ipaddr NULL only names are matched; with host and
 * ipaddr both NULL it only validates: 0 or -1.
 */
int match_host_and_ip(const char *host, const char *ipaddr,
    const char *list);

/*
 * AllowUsers/DenyUsers style: pattern is "userpat" or "userpat@hostlist"
 * (split at the first '@'; hostlist as for match_host_and_ip()).
 * 1 match, 0 no match, -1 error (an invalid host list; looked at only
 * once the user part matched).  With user, host and ipaddr all NULL it
 * only validates pattern: 0 or -1.
 */
int match_user(const char *user, const char *host, const char *ipaddr,
    const char *pattern);

/*
 * addr (a numeric IPv4 or IPv6 address, IPv6 may carry a %scope) against
 * a list of addresses, CIDR blocks ("10.0.0.0/8", "2001:db8::/32") and
 * wildcard patterns ("192.168.*"), each optionally negated with '!'.
 * A CIDR block must have no bits set beyond its mask.  An IPv4-mapped
 * IPv6 address (::ffff:a.b.c.d) also matches IPv4 entries for a.b.c.d.
 * 1: matched and no negated entry matched; 0: no match (also when addr is
 * not a numeric address); -1: a negated entry matched; -2: the list is
 * invalid (empty entry, bad mask, an entry with '/' that is not a valid
 * CIDR block).  With addr NULL the list is only validated: 0 or -2.
 */
int addr_match_list(const char *addr, const char *list);

/*
 * As addr_match_list() but only addresses and CIDR blocks: no wildcards,
 * no negation (authorized_keys from= in certificates' source-address,
 * sshd).  1 match, 0 no match, -1 the list is invalid (then nothing
 * matches).  With addr NULL the list is only validated: 0 or -1.
 */
int addr_match_cidr_list(const char *addr, const char *list);

/*
 * Algorithm negotiation (RFC 4253 7.1): the first name of the comma list
 * client that also appears in the comma list server, as a new string;
 * NULL if none (or on allocation failure).  If next is not NULL it gets
 * the offset in client just past the chosen name's delimiter (or
 * strlen(client) when there was no match).  Empty names never match.
 */
char *match_list(const char *client, const char *server, u_int *next);

/*
 * Remove from the comma list names every name that matches (positively)
 * the pattern list filter; names keep their order.  New string (possibly
 * empty), NULL on allocation failure.
 */
char *match_filter_denylist(const char *names, const char *filter);
/* Keep only the names that match filter.  As above. */
char *match_filter_allowlist(const char *names, const char *filter);

/*
 * Ciphers/MACs/KexAlgorithms/HostKeyAlgorithms style lists: with spec NULL
 * or empty the defaults are used; a plain list replaces the defaults;
 * "+list" appends to them, "^list" puts the list in front of them, "-list"
 * removes the names matching its patterns from them.  Entries of plain,
 * '+' and '^' lists must be names of all_supported or wildcard patterns
 * matching at least one of them (expanded in all_supported's order);
 * duplicates are dropped.  On success *retp gets a new, non-empty comma
 * list.  ERR_INVALID_ARGUMENT for an unknown name, a '!' entry, an empty
 * entry, or an empty result; ERR_ALLOC_FAIL.
 */
int match_filter_list(const char *defaults, const char *spec,
    const char *all_supported, char **retp) must_check;

#endif /* KEEL_MATCH_H */
