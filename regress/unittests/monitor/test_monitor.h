/* test_monitor.h: shared pieces of the monitor unit tests. */
#ifndef TEST_MONITOR_H
#define TEST_MONITOR_H

#include <stddef.h>
#include <stdint.h>

#include "monitor.h"

struct buf;
struct key;

/*
 * Stand-ins for the system (monitor_hooks): users "alice" (uid 1000,
 * password "secret"), "root" (uid 0, password "secret"), "empty" (uid
 * 1002, empty password), "locked" (uid 1001, not allowed); keys: tm_userkey
 * and tm_rsakey are in everyone's authorized_keys with the options of
 * tm_put_opts(0), tm_cmdkey with tm_put_opts(1) (command="true"); ptys
 * are pipes named "/dev/pts/fake".
 */
struct tm_stub {
	int password_calls;
	int password_null_calls;	/* ... with pw NULL (invalid user) */
	int key_calls;
	int pty_calls;
	int pty_fail;			/* make the pty hook fail */
};
extern struct tm_stub tm_stub;
extern const struct monitor_hooks tm_hooks;
extern struct key *tm_userkey, *tm_otherkey, *tm_cmdkey, *tm_rsakey;
/* The options the stub checker encodes: no-pty [, command="true"]. */
int tm_put_opts(struct buf *b, int with_command);
/* Host keys: private, as the monitor holds them. */
extern struct key *tm_host_ed25519, *tm_host_rsa, *tm_host_ecdsa;
void tm_make_keys(void);

/* Options with every method on, root "yes", no caps. */
void tm_default_opts(struct monitor_options *o);
/* A monitor on fd -1 with the stub hooks and both host keys (copies). */
struct monitor *tm_monitor(const struct monitor_options *o);
/* Dispatch a copy of req; the answer in *ansp (caller frees). */
int tm_dispatch(struct monitor *m, uint8_t type, const struct buf *req,
    struct buf **ansp, uint8_t *anstypep);
/* Dispatch and assert success; returns the answer. */
struct buf *tm_ok(struct monitor *m, uint8_t type, const struct buf *req,
    uint8_t want_anstype);

/* Request bodies (new buffers). */
struct buf *tm_req_pwnam(const char *user);
struct buf *tm_req_password(const char *password);
struct buf *tm_req_keyallowed(const struct key *k);
struct buf *tm_req_sign(const struct key *hostkey, const char *alg,
    const void *data, size_t len);
struct buf *tm_req_log(uint32_t level, const char *msg);
struct buf *tm_req_empty(void);
/* A private key's copy, and its public half. */
struct key *tm_copy_private(const struct key *k);
struct key *tm_public(const struct key *k);

/* A temp directory for the tests' files (removed at exit). */
const char *tm_tempdir(void);

void test_table(void);
void test_handlers(void);
void test_malformed(void);
void test_wire(void);
void test_live(void);
void test_authinfo(void);
void test_keyverify(void);
void test_state_login(void);
void test_auth_malformed(void);

#endif /* TEST_MONITOR_H */
