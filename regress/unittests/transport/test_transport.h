/*
 * test_transport.h: the in-process harness of the transport unit tests.
 *
 * A pair is a client and a server struct ssh whose output buffers are
 * copied into each other's input by pair_pump(); application messages
 * each side receives are kept in order for the test to read back.
 */
#ifndef TEST_TRANSPORT_H
#define TEST_TRANSPORT_H

#include "buf.h"
#include "kex.h"
#include "packet.h"

/* Host key slots. */
enum {
	HK_ED25519, HK_ECDSA256, HK_ECDSA384, HK_ECDSA521, HK_RSA, HK_MAX
};

struct tside {
	struct ssh *ssh;
	struct buf *rx;		/* u8 type, string payload each */
	u_int nrx;
	int err;		/* first error packet_next() returned */
	int refuse_hostkey;	/* client: verify callback says no */
	int verified;		/* client: verify callback ran */
};

struct tpair {
	struct tside c, s;
};

/* Generate the host keys (once). */
void harness_init(void);
struct key *harness_hostkey(int slot);
/* Every host key algorithm the test server holds keys for. */
const char *harness_hostkey_algs(void);

/* Parameters with the harness callbacks and the given lists. */
void harness_params(struct kex_params *p, int server);

/* A pair with these parameters (NULL: defaults); versions queued. */
struct tpair *pair_new(const struct kex_params *cp,
    const struct kex_params *sp);
void pair_free(struct tpair *p);
/* Shuttle bytes and process until nothing moves; the rounds it took. */
u_int pair_pump(struct tpair *p);
/* Run the initial KEX and assert that it completed on both sides. */
void pair_kex(struct tpair *p);

/* Move what a has written into b's input (0 if nothing moved). */
size_t side_xfer(struct tside *from, struct tside *to);
/* Read all available messages of a side into its rx list. */
void side_step(struct tside *t);
/* Send an application message. */
void side_send(struct tside *t, u_char type, const void *data, size_t len);
/* Pop the next received message: 0 if there is none. */
int side_recv(struct tside *t, u_char *typep, u_char **datap,
    size_t *lenp);
/* The DISCONNECT reason a side sent (0 if none). */
u_int side_sent_reason(const struct tside *t);

/* A plaintext packet (cipher none) of payload type || data, to out. */
void raw_packet(struct buf *out, u_char type, const void *data, size_t len);

/* Test groups. */
void test_kex_matrix(void);
void test_kex_misc(void);
void test_rekey(void);
void test_strict(void);
void test_malformed(void);
void test_integrity(void);
void test_version(void);
void test_state(void);
void test_dh_groups(void);
void test_names(void);
void test_dispatch(void);

#endif /* TEST_TRANSPORT_H */
