/* test_auth2.h: the auth2 unit tests' harness (harness.c). */
#ifndef TEST_AUTH2_H
#define TEST_AUTH2_H

#include <sys/types.h>

struct buf;
struct key;
struct ssh;

/*
 * The monitor's stubs: users "alice" (uid 1000) and "root", password
 * "secret"; ta_userkey and ta_rsakey are authorized, ta_cmdkey with
 * command="echo forced"; ta_otherkey is not.
 */
extern struct key *ta_userkey, *ta_cmdkey, *ta_otherkey, *ta_rsakey;
void ta_make_keys(void);

struct ta_config {
	int password, pubkey;		/* the monitor's options */
	u_int max_auth_tries;
	const char *banner;
};
void ta_default_config(struct ta_config *cfg);

/* The server's exit status: one of these, | TA_MON_* from the monitor. */
#define TA_SRV_PASSWORD		1
#define TA_SRV_PUBKEY		2
#define TA_SRV_PUBKEY_FORCED	3
#define TA_SRV_DISCONNECTED	10
#define TA_SRV_CLOSED		11
#define TA_SRV_ERROR		12
#define TA_MON_AUTH		64
#define TA_MON_PUBKEY		128

struct ta {
	pid_t pid;
	int fd;
	struct ssh *ssh;	/* the client, keyed */
};

/* Fork the server side and run the key exchange with it. */
struct ta *ta_start(const struct ta_config *cfg);
/* Close the client and return the server's exit status. */
int ta_finish(struct ta *t);
void ta_send(struct ta *t, u_char type, const struct buf *payload);
/* The next message (0), or the error that ended the connection. */
int ta_recv(struct ta *t, u_char *typep, struct buf **payloadp);
/* The reason of the DISCONNECT the server sent (0 if none). */
u_int ta_peer_reason(struct ta *t);

#endif /* TEST_AUTH2_H */
