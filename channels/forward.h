/*
 * forward.h: port forwarding messages (RFC 4254 section 7) and policy.
 *
 * The codecs of the type-specific parts of CHANNEL_OPEN (direct-tcpip,
 * forwarded-tcpip, x11; session and auth-agent@openssh.com have none)
 * and of the tcpip-forward / cancel-tcpip-forward global requests, which
 * the manager (channel.h) uses; and permission lists in the style of
 * sshd's PermitOpen / PermitListen for its permit hooks.
 */
#ifndef KEEL_CHANNELS_FORWARD_H
#define KEEL_CHANNELS_FORWARD_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#include "channels/channel.h"

struct buf;

/* Highest valid TCP port; larger wire values are refused. */
#define FWD_PORT_MAX	65535

/*
 * Parse the type-specific part of a CHANNEL_OPEN of type info->type (set
 * by the caller) into *info, consuming b to its end (trailing bytes:
 * ERR_UNEXPECTED_TRAILING_DATA).  Ports are taken as sent; the caller
 * refuses ones above FWD_PORT_MAX.  On failure no strings are held.
 */
int fwd_open_parse(struct buf *b, struct chan_open_info *info)
    __attribute__((__warn_unused_result__));
/* Append the type-specific part of a CHANNEL_OPEN for info. */
int fwd_open_put(struct buf *b, const struct chan_open_info *info)
    __attribute__((__warn_unused_result__));
/* Copy src into *dst (strings duplicated). */
int fwd_open_copy(struct chan_open_info *dst,
    const struct chan_open_info *src)
    __attribute__((__warn_unused_result__));
/* Free a parsed info's strings and zero it (keeps nothing). */
void fwd_open_clear(struct chan_open_info *info);

/*
 * Parse "string name, boolean want-reply, request-specific data" of a
 * GLOBAL_REQUEST.  For (cancel-)tcpip-forward the fields are read and b
 * must end there; for any other request the name goes to req->name and
 * its data stays in b for whoever handles it.
 */
int fwd_greq_parse(struct buf *b, struct chan_global_request *req)
    __attribute__((__warn_unused_result__));
/* Append a GLOBAL_REQUEST body (name, want-reply, fields; not OTHER). */
int fwd_greq_put(struct buf *b, const struct chan_global_request *req)
    __attribute__((__warn_unused_result__));
void fwd_greq_clear(struct chan_global_request *req);
/* The wire name of a global request type; NULL for OTHER. */
const char *fwd_greq_name(enum chan_greq_type t);

/*
 * A permission list.  Entries are "host:port", "[v6addr]:port" or a bare
 * "port" (any host); host "*" matches any host, port "*" any port.  The
 * words "any" and "none" allow everything / nothing.  An empty list
 * allows everything (the sshd_config default).  Hosts compare without
 * regard to case.
 */
struct fwd_perms;

int fwd_perms_new(struct fwd_perms **pp)
    __attribute__((__warn_unused_result__));
void fwd_perms_free(struct fwd_perms *p);
/* Add one entry; ERR_INVALID_FORMAT if it is not one of the forms above. */
int fwd_perms_add(struct fwd_perms *p, const char *spec)
    __attribute__((__warn_unused_result__));
/* 1 if host:port is allowed, 0 if not. */
int fwd_perms_check(const struct fwd_perms *p, const char *host,
    uint32_t port);
/* Adaptors for struct chan_config's hooks (ctx: a struct fwd_perms). */
int fwd_perms_hook(void *ctx, const char *host, uint32_t port);

#endif /* KEEL_CHANNELS_FORWARD_H */
