/*
 * servconf-match.c: sshd_config Match lines and the connection they are
 * evaluated against (sshd -C).
 */
#include "includes.h"

#include <ctype.h>
#include <grp.h>
#include <pwd.h>
#include <strings.h>

#include "errcode.h"
#include "log.h"
#include "match.h"
#include "misc.h"
#include "servconf.h"
#include "servconf-impl.h"

#define MAX_GROUPS	1024
/* A bad criterion already reported in full (no "Bad Match condition"). */
#define ERR_CONFIG_SILENT	(ERR_ERRCODE_MAX - 1)

/* 1 if one of user's groups matches the pattern list (none negated). */
static int
group_match(const char *user, const char *list)
{
	gid_t groups[MAX_GROUPS];
	struct passwd *pw;
	struct group *gr;
	int i, n = MAX_GROUPS, found = 0, m;

	if ((pw = getpwnam(user)) == NULL)
		return 0;
	if (getgrouplist(user, pw->pw_gid, groups, &n) == -1) {
		debug_f("user %s is in too many groups", user);
		n = MAX_GROUPS;
	}
	for (i = 0; i < n; i++) {
		if ((gr = getgrgid(groups[i])) == NULL)
			continue;
		if ((m = match_pattern_list(gr->gr_name, list, 0)) == -1)
			return 0;
		if (m == 1)
			found = 1;
	}
	return found;
}


/*
 * One "criterion value" pair: 1 match, 0 no match, ERR_CONFIG_INVALID.
 * With conn NULL only the value's syntax is checked.  As in OpenSSH, a
 * criterion whose connection field is unknown does not match, except
 * LocalPort, which is an error.
 */
static int
match_one(const char *crit, const char *arg, const struct servconf_conn *c,
    u_int line)
{
	int port;

	if (strcasecmp(crit, "user") == 0) {
		return c != NULL && c->user != NULL &&
		    match_pattern_list(c->user, arg, 0) == 1;
	} else if (strcasecmp(crit, "group") == 0) {
		return c != NULL && c->user != NULL &&
		    group_match(c->user, arg);
	} else if (strcasecmp(crit, "host") == 0) {
		return c != NULL && c->host != NULL &&
		    match_hostname(c->host, arg) == 1;
	} else if (strcasecmp(crit, "address") == 0 ||
	    strcasecmp(crit, "localaddress") == 0) {
		const int local = tolower((u_char)crit[0]) == 'l';
		const char *addr = c == NULL ? NULL :
		    local ? c->laddress : c->address;

		if (addr_match_list(NULL, arg) == -2) {
			error("Invalid Match %s argument '%s' at line %u",
			    local ? "localaddress" : "address", arg, line);
			return ERR_CONFIG_SILENT;
		}
		return addr != NULL && addr_match_list(addr, arg) == 1;
	} else if (strcasecmp(crit, "localport") == 0) {
		if ((port = a2port(arg)) == -1) {
			error("Invalid LocalPort '%s' on Match line", arg);
			return ERR_CONFIG_INVALID;
		}
		if (c == NULL)
			return 0;
		if (c->lport == -1) {
			error("'Match LocalPort' in configuration but 'lport' "
			    "not in connection test specification.");
			return ERR_CONFIG_SILENT;
		}
		return c->lport == port;
	} else if (strcasecmp(crit, "rdomain") == 0) {
		return c != NULL && c->rdomain != NULL &&
		    match_pattern_list(c->rdomain, arg, 0) == 1;
	}
	error("Unsupported Match attribute %s", crit);
	return ERR_CONFIG_INVALID;
}

int
servconf_match_line(int argc, char **argv,
    const struct servconf_conn *conn, const char *file, u_int line)
{
	int i, r, result = 1;

	if (argc == 0) {
		error("%s line %u: One or more attributes required for Match",
		    file, line);
		goto bad;
	}
	if (strcasecmp(argv[0], "all") == 0) {
		if (argc > 1) {
			error("'all' cannot be combined with other Match "
			    "attributes");
			goto bad;
		}
		return conn != NULL;
	}
	for (i = 0; i < argc; i += 2) {
		if (strcasecmp(argv[i], "all") == 0) {
			error("'all' cannot be combined with other Match "
			    "attributes");
			goto bad;
		}
		if (i + 1 >= argc || *argv[i + 1] == '\0') {
			error("Missing Match criteria for %s", argv[i]);
			goto bad;
		}
		if ((r = match_one(argv[i], argv[i + 1], conn, line)) ==
		    ERR_CONFIG_SILENT)
			return ERR_CONFIG_INVALID;	/* said it all */
		if (r < 0)
			goto bad;
		if (r == 0)
			result = 0;
	}
	return conn == NULL ? 0 : result;
 bad:
	error("%s line %u: Bad Match condition", file, line);
	return ERR_CONFIG_INVALID;
}

/* ------------------------------------------------------------ -C */

void
servconf_conn_free(struct servconf_conn *c)
{
	if (c == NULL)
		return;
	free(c->user);
	free(c->host);
	free(c->address);
	free(c->laddress);
	free(c->rdomain);
	free(c);
}

static int
replace(char **field, const char *val)
{
	char *cp;

	if ((cp = strdup(val)) == NULL)
		return ERR_ALLOC_FAIL;
	free(*field);
	*field = cp;
	return 0;
}

static int
conn_set(struct servconf_conn *c, const char *item)
{
	const char *v;

	if ((v = strprefix(item, "user=", 0)) != NULL)
		return replace(&c->user, v);
	if ((v = strprefix(item, "host=", 0)) != NULL)
		return replace(&c->host, v);
	if ((v = strprefix(item, "addr=", 0)) != NULL)
		return replace(&c->address, v);
	if ((v = strprefix(item, "laddr=", 0)) != NULL)
		return replace(&c->laddress, v);
	if ((v = strprefix(item, "rdomain=", 0)) != NULL)
		return replace(&c->rdomain, v);
	if ((v = strprefix(item, "lport=", 0)) != NULL) {
		if ((c->lport = a2port(v)) == -1) {
			error("Invalid port '%s' in test mode specification "
			    "%s", v, item);
			return ERR_INVALID_FORMAT;
		}
		return 0;
	}
	error("Invalid test mode specification %s", item);
	return ERR_INVALID_FORMAT;
}

int
servconf_conn_parse(const char *spec, struct servconf_conn **connp)
{
	struct servconf_conn *c = NULL;
	char *copy = NULL, *p, *item;
	int r = ERR_INTERNAL;

	if (connp == NULL)
		return ERR_INVALID_ARGUMENT;
	*connp = NULL;
	if (spec == NULL)
		return ERR_INVALID_ARGUMENT;
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (copy = strdup(spec)) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	c->lport = -1;
	for (p = copy; (item = strsep(&p, ",")) != NULL;) {
		if (*item == '\0')
			continue;
		if ((r = conn_set(c, item)) != 0)
			goto out;
	}
	*connp = c;
	c = NULL;
	r = 0;
 out:
	free(copy);
	servconf_conn_free(c);
	return r;
}
