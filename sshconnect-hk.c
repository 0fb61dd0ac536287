/*
 * sshconnect-hk.c: is the server's host key the one we know?
 * (sshconnect.h)
 *
 * The names looked up are the host ("[host]:port" for a port other than
 * 22) or HostKeyAlias, and with CheckHostIP the address.  The user's
 * known_hosts files come first, then the global ones.  What happens to
 * a new or changed key follows StrictHostKeyChecking; the messages are
 * OpenSSH's, since scripts and users look for them.
 */
#include "includes.h"

#include <sys/stat.h>

#include "buf.h"
#include "conf.h"
#include "digest.h"
#include "errcode.h"
#include "hostfile.h"
#include "kex-names.h"
#include "key.h"
#include "log.h"
#include "packet.h"
#include "readconf.h"
#include "ssh2.h"
#include "sshconnect.h"
#include "xmalloc.h"

#define NOTE_USER	0
#define NOTE_GLOBAL	1
#define CONFIRM_TRIES	10

/* The names of one check and what the files say about them. */
struct hkcheck {
	struct sshconnect *c;
	const struct key *key;
	const char *type;	/* "ED25519" */
	char *fp;
	char *hostname;		/* name in known_hosts */
	char *ipname;		/* address in known_hosts, NULL: unchecked */
	char *ipdesc;		/* address for messages */
	struct hostkeys *hk_host;
	struct hostkeys *hk_ip;
};

/* ------------------------------------------------------------ names */

static void
hk_names(const struct sshconnect *c, char **hostp, char **ipp, char **descp)
{
	const struct readconf *o = c->cfg;

	*ipp = NULL;
	if (o->host_key_alias != NULL) {
		*hostp = xstrdup(o->host_key_alias);
		debug("using hostkeyalias: %s", *hostp);
	} else if ((*hostp = hostfile_host_name(c->host, c->port)) == NULL)
		fatal("out of memory");
	if (c->ip[0] == '\0') {
		*descp = xstrdup("<no hostip for proxy command>");
		return;
	}
	if ((*descp = hostfile_host_name(c->ip, c->port)) == NULL)
		fatal("out of memory");
	/* The address is worth checking only if it is not the name. */
	if (o->check_host_ip && o->host_key_alias == NULL &&
	    strcmp(c->host, c->ip) != 0)
		*ipp = xstrdup(*descp);
}

static struct hostkeys *
load_known(const struct readconf *o, const char *name)
{
	struct hostkeys *hk;
	u_int i;
	int r;

	if ((hk = hostkeys_new()) == NULL)
		fatal("out of memory");
	for (i = 0; i < o->user_known_hosts_files.n; i++) {
		if ((r = hostkeys_load_file(hk, name,
		    o->user_known_hosts_files.v[i], NOTE_USER)) != 0)
			debug_fr(r, "%s", o->user_known_hosts_files.v[i]);
	}
	for (i = 0; i < o->global_known_hosts_files.n; i++) {
		if ((r = hostkeys_load_file(hk, name,
		    o->global_known_hosts_files.v[i], NOTE_GLOBAL)) != 0)
			debug_fr(r, "%s", o->global_known_hosts_files.v[i]);
	}
	return hk;
}

/* ------------------------------------------------------------ adding */

/* OpenSSH creates a missing ~/.ssh when it first records a host. */
static void
make_parent_dir(const char *path)
{
	struct stat st;
	char *dir, *slash;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (stat(dir, &st) == -1 && errno == ENOENT) {
			if (mkdir(dir, 0700) == 0)
				logit("Created directory '%s'.", dir);
		}
	}
	free(dir);
}

static void
record_key(struct hkcheck *h, int with_ip)
{
	const struct readconf *o = h->c->cfg;
	const char *file;
	char *names;
	int r;

	if (o->user_known_hosts_files.n == 0)
		return;
	file = o->user_known_hosts_files.v[0];
	if (with_ip && h->ipname != NULL)
		xasprintf(&names, "%s,%s", h->hostname, h->ipname);
	else
		names = xstrdup(h->hostname);
	make_parent_dir(file);
	if ((r = hostfile_add(file, names, h->key, o->hash_known_hosts)) != 0)
		logit("Failed to add the host to the list of known hosts "
		    "(%s).", file);
	else
		logit("Warning: Permanently added '%s' (%s) to the list of "
		    "known hosts.", names, h->type);
	free(names);
}

/* ------------------------------------------------------------ asking */

#define OTHER_NAMES_MAX	8	/* lines listed, as OpenSSH */

struct others {
	const struct key *key;
	struct buf *b;
	u_int n;
};

static int
others_cb(const struct hostfile_line *l, void *ctx)
{
	struct others *o = ctx;

	if (l->is_comment || l->is_invalid || l->marker != MRK_NONE ||
	    !key_equal_public(l->key, o->key))
		return 0;
	if (++o->n <= OTHER_NAMES_MAX &&
	    buf_putf(o->b, "    %s:%lu: %s\n", l->path, l->linenum,
	    l->hashed ? "[hashed name]" : l->hosts) != 0)
		return ERR_ALLOC_FAIL;
	return 0;
}

static void
others_in(struct others *o, const struct conf_strlist *files)
{
	u_int i;
	int r;

	for (i = 0; i < files->n; i++) {
		r = hostfile_foreach(files->v[i], NULL, others_cb, o);
		if (r == ERR_ALLOC_FAIL)
			fatal("out of memory");
	}
}

/* "This key is not known by any other names." or the names. */
static char *
other_names(const struct hkcheck *h)
{
	struct others o;
	char *ret;

	o.key = h->key;
	o.n = 0;
	if ((o.b = buf_new()) == NULL)
		fatal("out of memory");
	others_in(&o, &h->c->cfg->user_known_hosts_files);
	others_in(&o, &h->c->cfg->global_known_hosts_files);
	if (o.n > OTHER_NAMES_MAX &&
	    buf_putf(o.b, "    (%u additional names omitted)\n",
	    o.n - OTHER_NAMES_MAX) != 0)
		fatal("out of memory");
	if (o.n == 0)
		ret = xstrdup("This key is not known by any other names.\n");
	else {
		if (buf_put_u8(o.b, 0) != 0)
			fatal("out of memory");
		xasprintf(&ret, "This host key is known by the following "
		    "other names/addresses:\n%s", (const char *)buf_ptr(o.b));
	}
	buf_free(o.b);
	return ret;
}

/* The randomart picture with a newline, or "" without VisualHostKey. */
static char *
visual(const struct hkcheck *h)
{
	char *ra, *ret;

	if (!h->c->cfg->visual_host_key ||
	    (ra = key_fingerprint(h->key, h->c->cfg->fingerprint_hash,
	    KEY_FP_RANDOMART)) == NULL)
		return xstrdup("");
	xasprintf(&ret, "%s\n", ra);
	free(ra);
	return ret;
}

/* 1 if the user accepts the new key, 0 if not. */
static int
confirm_new(struct hkcheck *h)
{
	char *prompt = NULL, *ans, *others, *ra;
	int i, ok = 0;

	if (h->c->cfg->batch_mode) {
		debug("No %s host key is known for %s and BatchMode is set.",
		    h->type, h->hostname);
		return 0;
	}
	others = other_names(h);
	ra = visual(h);
	xasprintf(&prompt, "The authenticity of host '%s (%s)' can't be "
	    "established.\n%s key fingerprint is %s.\n%s%s"
	    "Are you sure you want to continue connecting "
	    "(yes/no/[fingerprint])? ", h->hostname, h->ipdesc, h->type,
	    h->fp, ra, others);
	free(others);
	free(ra);
	for (i = 0; i < CONFIRM_TRIES; i++) {
		ans = readpass(prompt, READPASS_ECHO | READPASS_CONFIRM);
		if (ans == NULL)
			break;
		if (strcasecmp(ans, "yes") == 0 || strcmp(ans, h->fp) == 0)
			ok = 1;
		else if (strcasecmp(ans, "no") != 0) {
			readpass_free(ans);
			free(prompt);
			prompt = xstrdup("Please type 'yes', 'no' or the "
			    "fingerprint: ");
			continue;
		}
		readpass_free(ans);
		break;
	}
	free(prompt);
	return ok;
}

/* VisualHostKey for a known host: the picture, line by line. */
static void
show_visual(const struct hkcheck *h)
{
	char *ra, *cp, *line;

	if (!h->c->cfg->visual_host_key ||
	    (ra = key_fingerprint(h->key, h->c->cfg->fingerprint_hash,
	    KEY_FP_RANDOMART)) == NULL)
		return;
	logit("Host key fingerprint is %s", h->fp);
	for (cp = ra; (line = strsep(&cp, "\n")) != NULL;)
		logit("%s", line);
	free(ra);
}

/* ------------------------------------------------------------ verdicts */

static int
host_new(struct hkcheck *h)
{
	int shk = h->c->cfg->strict_host_key_checking;

	if (shk == RC_SHK_YES) {
		error("No %s host key is known for %s and you have requested "
		    "strict checking.", h->type, h->hostname);
		return ERR_KEY_NOT_FOUND;
	}
	if (shk == RC_SHK_ASK && !confirm_new(h))
		return ERR_KEY_NOT_FOUND;
	record_key(h, 1);
	return 0;
}

static void
warn_changed(struct hkcheck *h)
{
	error("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
	error("@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @");
	error("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
	error("IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!");
	error("Someone could be eavesdropping on you right now "
	    "(man-in-the-middle attack)!");
	error("It is also possible that a host key has just been changed.");
	error("The fingerprint for the %s key sent by the remote host is",
	    h->type);
	error("%s.", h->fp);
	error("Please contact your system administrator.");
}

static int
host_changed(struct hkcheck *h, const struct hostkey_entry *e)
{
	const struct readconf *o = h->c->cfg;

	warn_changed(h);
	if (o->user_known_hosts_files.n > 0)
		error("Add correct host key in %s to get rid of this message.",
		    o->user_known_hosts_files.v[0]);
	error("Offending %s key in %s:%lu", key_type_short(e->key), e->file,
	    e->line);
	error("  remove with:");
	error("  ssh-keygen -f \"%s\" -R \"%s\"", e->file, h->hostname);
	if (o->strict_host_key_checking != RC_SHK_OFF) {
		error("Host key for %s has changed and you have requested "
		    "strict checking.", h->hostname);
		return ERR_KEY_NOT_FOUND;
	}
	/* Going on regardless: nothing secret may be sent. */
	error("Password authentication is disabled to avoid "
	    "man-in-the-middle attacks.");
	error("Keyboard-interactive authentication is disabled to avoid "
	    "man-in-the-middle attacks.");
	h->c->hostkey_changed = 1;
	return 0;
}

static int
host_revoked(struct hkcheck *h)
{
	error("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
	error("@       WARNING: REVOKED HOST KEY DETECTED!               @");
	error("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
	error("The %s host key for %s is marked as revoked.", h->type,
	    h->hostname);
	error("This could mean that a stolen key is being used to");
	error("impersonate this host.");
	return ERR_KEY_REVOKED;
}

/* CheckHostIP: the address is recorded too and should agree. */
static void
check_ip(struct hkcheck *h)
{
	const struct hostkey_entry *e = NULL;

	if (h->ipname == NULL)
		return;
	switch (hostkeys_check(h->hk_ip, h->key, &e)) {
	case HOST_NEW:
		if (h->c->cfg->user_known_hosts_files.n == 0)
			break;
		make_parent_dir(h->c->cfg->user_known_hosts_files.v[0]);
		if (hostfile_add(h->c->cfg->user_known_hosts_files.v[0],
		    h->ipname, h->key, h->c->cfg->hash_known_hosts) == 0)
			logit("Warning: Permanently added the %s host key for "
			    "IP address '%s' to the list of known hosts.",
			    h->type, h->ipname);
		break;
	case HOST_CHANGED:
		logit("Warning: the %s host key for '%s' differs from the "
		    "key for the IP address '%s'", h->type, h->hostname,
		    h->ipname);
		if (e != NULL)
			logit("Offending key for IP in %s:%lu", e->file,
			    e->line);
		break;
	default:
		break;
	}
}

static int
check_host(struct hkcheck *h)
{
	const struct hostkey_entry *e = NULL;
	enum hostfile_status st;
	int r;

	h->hk_host = load_known(h->c->cfg, h->hostname);
	if (h->ipname != NULL)
		h->hk_ip = load_known(h->c->cfg, h->ipname);
	st = hostkeys_check(h->hk_host, h->key, &e);
	switch (st) {
	case HOST_OK:
		debug("Host '%s' is known and matches the %s host key.",
		    h->hostname, h->type);
		if (e != NULL)
			debug("Found key in %s:%lu", e->file, e->line);
		show_visual(h);
		check_ip(h);
		return 0;
	case HOST_NEW:
		if ((r = host_new(h)) == 0 && h->hk_ip != NULL &&
		    hostkeys_check(h->hk_ip, h->key, NULL) == HOST_CHANGED)
			check_ip(h);
		return r;
	case HOST_CHANGED:
		return host_changed(h, e);
	case HOST_REVOKED:
	default:
		return host_revoked(h);
	}
}

/*
 * End the connection here, with the reason code for a refused host key
 * and without the "Disconnecting" line at the default log level: the
 * messages above already said why.
 */
static void
refuse_quietly(struct ssh *ssh)
{
	LogLevel level = log_get_level();

	if (level < LOG_LEVEL_DEBUG1 && level > LOG_LEVEL_ERROR)
		log_set_level(LOG_LEVEL_ERROR);
	(void)packet_disconnect(ssh, SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE,
	    "Host key verification failed");
	log_set_level(level);
}

int
sshconnect_verify_hostkey(struct ssh *ssh, const struct key *hostkey,
    void *ctx)
{
	struct sshconnect *c = ctx;
	struct hkcheck h;
	int r;

	memset(&h, 0, sizeof(h));
	h.c = c;
	h.key = hostkey;
	h.type = key_type_short(hostkey);
	if ((h.fp = key_fingerprint(hostkey, c->cfg->fingerprint_hash,
	    KEY_FP_DEFAULT)) == NULL)
		fatal("key_fingerprint failed");
	debug("Server host key: %s %s", key_type_name(hostkey), h.fp);
	hk_names(c, &h.hostname, &h.ipname, &h.ipdesc);
	r = check_host(&h);
	if (r != 0) {
		c->hostkey_failed = 1;
		refuse_quietly(ssh);
	}
	free(h.fp);
	free(h.hostname);
	free(h.ipname);
	free(h.ipdesc);
	hostkeys_free(h.hk_host);
	hostkeys_free(h.hk_ip);
	return r;
}

/* ------------------------------------------------------------ ordering */

/* 1 if hk holds a key that algorithm alg would use. */
static int
alg_known(const struct hostkeys *hk, const char *alg)
{
	const struct hostkey_entry *e;
	int type, nid;

	if (kex_names_hostkey_type(alg, &type, &nid) != 0)
		return 0;
	if (!hostkeys_lookup_type(hk, type, &e) || e == NULL)
		return 0;
	return nid == -1 || key_ecdsa_nid(e->key) == nid ||
	    type != KEY_ECDSA;
}

char *
sshconnect_hostkey_order(const struct sshconnect *c)
{
	const char *list = c->cfg->hostkey_algorithms;
	char *hostname, *ipname, *desc, *copy, *cp, *alg;
	char *first = NULL, *rest = NULL, *ret, **dst;
	struct hostkeys *hk;

	if (list == NULL)
		list = KEX_DEFAULT_HOSTKEY;
	hk_names(c, &hostname, &ipname, &desc);
	hk = load_known(c->cfg, hostname);
	copy = xstrdup(list);
	for (cp = copy; (alg = strsep(&cp, ",")) != NULL;) {
		if (*alg == '\0')
			continue;
		dst = alg_known(hk, alg) ? &first : &rest;
		if (*dst == NULL)
			*dst = xstrdup(alg);
		else {
			xasprintf(&ret, "%s,%s", *dst, alg);
			free(*dst);
			*dst = ret;
		}
	}
	if (first != NULL && rest != NULL)
		xasprintf(&ret, "%s,%s", first, rest);
	else
		ret = xstrdup(first != NULL ? first :
		    rest != NULL ? rest : list);
	debug2("host key algorithms: %s", ret);
	free(first);
	free(rest);
	free(copy);
	free(hostname);
	free(ipname);
	free(desc);
	hostkeys_free(hk);
	return ret;
}
