/*
 * agent-lock.h: how a locked agent keeps its keys (used by agent-server.c).
 *
 * LOCK derives, with PBKDF2-HMAC-SHA512 over the password and a random
 * salt, a 256-bit sealing key and a 256-bit verifier.  Each private key
 * is then sealed with AES-256-GCM (random nonce, the key's public blob as
 * associated data) and the plain key is wiped; so is the sealing key.
 * Only the salt and the verifier stay in memory.  UNLOCK derives both
 * again, compares the verifier in constant time, and unseals.
 *
 * int results are 0 or a negative ERR_* code.
 */
#ifndef KEEL_AGENT_LOCK_H
#define KEEL_AGENT_LOCK_H

#include <sys/types.h>
#include <stddef.h>

struct agent_lock;
struct buf;
struct key;

/* A new lock for password pw (pwlen > 0), holding the sealing key. */
int agent_lock_new(const void *pw, size_t pwlen, unsigned int rounds,
    struct agent_lock **lockp) must_check;
/* Wipe and free; NULL is a no-op. */
void agent_lock_free(struct agent_lock *lock);
/* Wipe the sealing key (until the next successful agent_lock_check). */
void agent_lock_forget_key(struct agent_lock *lock);

/*
 * 0 if pw is the lock's password (the sealing key is then derived again
 * and kept), ERR_KEY_WRONG_PASSPHRASE otherwise.
 */
int agent_lock_check(struct agent_lock *lock, const void *pw, size_t pwlen)
    must_check;

/* Seal private key k; aad is its public blob.  *sealedp is new. */
int agent_lock_seal(const struct agent_lock *lock, const struct key *k,
    const u_char *aad, size_t aadlen, struct buf **sealedp) must_check;
/*
 * Open what agent_lock_seal() made; the key inside must match aad.
 * ERR_KEY_WRONG_PASSPHRASE if the sealing key is not there or wrong.
 */
int agent_lock_unseal(const struct agent_lock *lock,
    const struct buf *sealed, const u_char *aad, size_t aadlen,
    struct key **kp) must_check;

#endif /* KEEL_AGENT_LOCK_H */
