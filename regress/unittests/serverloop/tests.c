/*
 * Unit tests of sshd's post-auth loop and sessions (serverloop.c,
 * sshd-session*.c): a real server_loop_run() in a child process, driven
 * over a socketpair by our own transport and channel code.
 */
#include "includes.h"

#include "../test_helper/test_helper.h"
#include "test_serverloop.h"

void
tests(void)
{
	test_serverloop_exec();
	test_serverloop_session();
	test_serverloop_conn();
}
