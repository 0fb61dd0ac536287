/*
 * mac.h: the transport MACs (RFC 4253 section 6.4, RFC 6668) and their
 * encrypt-then-MAC forms (OpenSSH's PROTOCOL section 1.5).
 *
 * Supported: hmac-sha2-256, hmac-sha2-512, hmac-sha1 and
 * hmac-sha2-256-etm@openssh.com, hmac-sha2-512-etm@openssh.com,
 * hmac-sha1-etm@openssh.com.  Each computes
 *	mac = HMAC(key, uint32 sequence_number || bytes)
 * where bytes are the whole unencrypted packet (packet_length field
 * included) for the plain forms, and the packet_length field, sent in the
 * clear, followed by the encrypted rest of the packet for the -etm forms.
 * Which bytes those are is the packet layer's business; mac_is_etm() says
 * which framing an algorithm wants.
 *
 * An algorithm (struct mac_alg) is a static table entry.  A context
 * (struct mac_ctx) holds one direction's key.  Unless noted, int results
 * are 0 or a negative ERR_* code (errcode.h).
 */
#ifndef KEEL_MAC_H
#define KEEL_MAC_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#define MAC_MAX_TAG_LEN		64
/* Far above any SSH MAC key; HMAC hashes long keys anyway. */
#define MAC_MAX_KEY_LEN		1024

struct mac_alg;
struct mac_ctx;

/* The algorithm of this exact name, or NULL if unknown. */
const struct mac_alg *mac_by_name(const char *name);
const char *mac_name(const struct mac_alg *m);
/* Key length the key exchange derives (RFC 4253 section 7.2). */
size_t mac_key_len(const struct mac_alg *m);
/* Bytes of MAC sent after each packet. */
size_t mac_tag_len(const struct mac_alg *m);
/* 1 for the encrypt-then-MAC (-etm@openssh.com) forms. */
int mac_is_etm(const struct mac_alg *m);

/*
 * 1 if names is a non-empty comma-separated list of known MACs with no
 * empty elements, 0 otherwise.
 */
int mac_list_is_valid(const char *names);
/*
 * All supported MAC names in the order `ssh -Q mac` lists them, separated
 * by sep: a new string for the caller to free, or NULL if memory ran out.
 */
char *mac_alg_list(char sep);

/*
 * A new context for m keyed with key[0..keylen).  In the protocol keylen
 * is mac_key_len(); HMAC itself takes keys of any length up to
 * MAC_MAX_KEY_LEN (the RFC 2202/4231 known answers use several).  *mp is
 * set only on success and belongs to the caller (mac_free()).
 */
int mac_init(struct mac_ctx **mp, const struct mac_alg *m, const u_char *key,
    size_t keylen) __attribute__((__warn_unused_result__));
/*
 * The MAC of seqnr || data[0..len) into out, which has room for outlen >=
 * mac_tag_len() bytes; exactly mac_tag_len() bytes are written.
 */
int mac_compute(struct mac_ctx *mc, uint32_t seqnr, const u_char *data,
    size_t len, u_char *out, size_t outlen)
    __attribute__((__warn_unused_result__));
/*
 * Check a received MAC in constant time: 0 if tag[0..taglen) is the MAC
 * of seqnr || data, ERR_MAC_INVALID if it is not (or if taglen is not
 * mac_tag_len()).
 */
int mac_check(struct mac_ctx *mc, uint32_t seqnr, const u_char *data,
    size_t len, const u_char *tag, size_t taglen)
    __attribute__((__warn_unused_result__));
const struct mac_alg *mac_ctx_alg(const struct mac_ctx *mc);
/* Wipe and free; NULL is a no-op. */
void mac_free(struct mac_ctx *mc);

#endif /* KEEL_MAC_H */
