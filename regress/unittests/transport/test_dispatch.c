/*
 * The handler table: armed handlers run, unarmed types are answered with
 * UNIMPLEMENTED, dispatch_protocol_error disconnects, a phase change
 * disarms, a handler's error ends the connection, *done stops the run.
 */
#include "includes.h"

#include <signal.h>

#include "buf.h"
#include "dispatch.h"
#include "errcode.h"
#include "packet.h"
#include "ssh2.h"

#include "../test_helper/test_helper.h"
#include "test_transport.h"

static int calls;
static volatile sig_atomic_t done;

static int
h_count(int type, uint32_t seqnr, struct ssh *ssh)
{
	uint32_t v = 0;
	int r;

	if ((r = buf_get_u32(packet_payload(ssh), &v)) != 0 ||
	    (r = packet_payload_end(ssh)) != 0)
		return r;
	calls++;
	if (v == 7)
		done = 1;
	return 0;
}

static void
send_u32(struct tpair *p, u_char type, uint32_t v)
{
	u_char b[4] = { (u_char)(v >> 24), (u_char)(v >> 16),
	    (u_char)(v >> 8), (u_char)v };

	side_send(&p->c, type, b, sizeof(b));
}

static int
run_server(struct tpair *p)
{
	side_xfer(&p->c, &p->s);
	return dispatch_run(p->s.ssh, &done);
}

void
test_dispatch(void)
{
	struct tpair *p;
	u_int reason;
	const char *desc;

	TEST_START("dispatch armed, unarmed, done flag");
	p = pair_new(NULL, NULL);
	pair_kex(p);
	calls = 0;
	done = 0;
	ASSERT_PTR_EQ(dispatch_get(p->s.ssh, SSH2_MSG_CHANNEL_DATA),
	    dispatch_unexpected);
	dispatch_set(p->s.ssh, SSH2_MSG_CHANNEL_DATA, h_count);
	dispatch_range(p->s.ssh, SSH2_MSG_CHANNEL_WINDOW_ADJUST,
	    SSH2_MSG_CHANNEL_WINDOW_ADJUST, dispatch_ignore);
	send_u32(p, SSH2_MSG_CHANNEL_DATA, 1);
	send_u32(p, SSH2_MSG_CHANNEL_WINDOW_ADJUST, 1);
	send_u32(p, 200, 1);				/* UNIMPLEMENTED */
	send_u32(p, SSH2_MSG_CHANNEL_DATA, 7);		/* sets done */
	send_u32(p, SSH2_MSG_CHANNEL_DATA, 2);		/* not yet read */
	ASSERT_INT_EQ(run_server(p), 0);
	ASSERT_INT_EQ(calls, 2);
	ASSERT_INT_EQ(done, 1);
	done = 0;
	ASSERT_INT_EQ(dispatch_run(p->s.ssh, &done), 0);
	ASSERT_INT_EQ(calls, 3);
	/* The client got UNIMPLEMENTED and is still fine. */
	pair_pump(p);
	ASSERT_INT_EQ(p->c.err, 0);
	ASSERT_INT_EQ(p->s.err, 0);
	TEST_DONE();

	TEST_START("dispatch phase change disarms");
	dispatch_reset_app(p->s.ssh);
	ASSERT_PTR_EQ(dispatch_get(p->s.ssh, SSH2_MSG_CHANNEL_DATA),
	    dispatch_unexpected);
	/* The key exchange keeps its own entries. */
	ASSERT_PTR_NE(dispatch_get(p->s.ssh, SSH2_MSG_KEXINIT),
	    dispatch_unexpected);
	send_u32(p, SSH2_MSG_CHANNEL_DATA, 3);
	ASSERT_INT_EQ(run_server(p), 0);
	ASSERT_INT_EQ(calls, 3);
	TEST_DONE();

	TEST_START("dispatch handler error and protocol_error disconnect");
	/* A malformed message: the handler's error ends it. */
	dispatch_set(p->s.ssh, SSH2_MSG_CHANNEL_DATA, h_count);
	side_send(&p->c, SSH2_MSG_CHANNEL_DATA, "ab", 2);
	ASSERT_INT_EQ(run_server(p), ERR_MESSAGE_INCOMPLETE);
	packet_disconnect_info(p->s.ssh, 0, &reason, &desc);
	ASSERT_U32_EQ(reason, SSH2_DISCONNECT_PROTOCOL_ERROR);
	ASSERT_INT_EQ(dispatch_run(p->s.ssh, NULL), ERR_DISCONNECTED);
	pair_free(p);
	p = pair_new(NULL, NULL);
	pair_kex(p);
	dispatch_set(p->s.ssh, SSH2_MSG_GLOBAL_REQUEST,
	    dispatch_protocol_error);
	send_u32(p, SSH2_MSG_GLOBAL_REQUEST, 0);
	ASSERT_INT_EQ(run_server(p), ERR_DISCONNECTED);
	packet_disconnect_info(p->s.ssh, 0, &reason, &desc);
	ASSERT_U32_EQ(reason, SSH2_DISCONNECT_PROTOCOL_ERROR);
	pair_pump(p);
	ASSERT_INT_EQ(p->c.err, ERR_DISCONNECTED);
	pair_free(p);
	TEST_DONE();
}
