/*
 * monitor-keys.h: the monitor's authorized_keys checker (a
 * monitor_hooks.key_allowed, see monitor.h) and the wire form of the
 * options of the key it allowed.
 *
 * For each AuthorizedKeysFile pattern (%h %u %U %%; relative to the home
 * directory) the file is opened as the user, checked as StrictModes
 * says, and searched with auth-options.h's authkeys_find_key_fd(); a key
 * found whose expiry-time has passed or whose from= refuses the client
 * is not allowed.  The allowed key's options go to the child encoded
 * with monitor_authopts_put().
 */
#ifndef KEEL_MONITOR_KEYS_H
#define KEEL_MONITOR_KEYS_H

#include <pwd.h>

struct authopts;
struct buf;
struct conf_strlist;
struct key;

struct monitor_authkeys {
	const struct conf_strlist *files;	/* AuthorizedKeysFile */
	int strict_modes;
	const char *remote_host;	/* for from=; the address if no DNS */
	const char *remote_ip;
};

/*
 * The checker: ctx is a struct monitor_authkeys.  *allowedp 0/1; when 1,
 * the key's options are appended to opts (monitor_authopts_put).  A file
 * that is missing, unsafe or unreadable is skipped (and logged), so the
 * result is 0 unless memory runs out.
 */
int monitor_authkeys_allowed(const struct passwd *pw, const struct key *key,
    int *allowedp, struct buf *opts, void *ctx)
    __attribute__((__warn_unused_result__));

/*
 * struct authopts on the monitor wire:
 *	uint32	flags (bit 0 port forwarding, 1 agent forwarding,
 *		2 X11 forwarding, 3 pty, 4 user rc, 5 restricted,
 *		6 cert-authority, 7 no-touch-required, 8 verify-required)
 *	uint64	valid_before
 *	uint32	force_tun_device (AUTHOPTS_TUN_ANY as 0xffffffff)
 *	3 x	(byte present, string value): force_command,
 *		required_from_host, cert_principals
 *	3 x	(uint32 count, count strings): env, permitopen, permitlisten
 */
int monitor_authopts_put(struct buf *b, const struct authopts *o)
    __attribute__((__warn_unused_result__));
/* Parse one (lists capped at AUTHOPTS_MAX_LIST); free with
 * authopts_free(). */
int monitor_authopts_get(struct buf *b, struct authopts **op)
    __attribute__((__warn_unused_result__));

#endif /* KEEL_MONITOR_KEYS_H */
