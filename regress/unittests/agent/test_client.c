/*
 * test_client.c: the client library (agent-client.c) against a real
 * socket, served by a child running agent_process(), and against a child
 * that answers with broken replies.
 */
#include "includes.h"

#include <sys/socket.h>
#include <sys/wait.h>
#include <signal.h>

#include "../test_helper/test_helper.h"
#include "agent.h"
#include "agent-server.h"
#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "misc.h"
#include "test_agent.h"

/* Serve framed requests on fd with a fresh agent until end of file. */
static void noreturn_fn
serve(int fd)
{
	struct agent_state *s = NULL;
	struct agent_conn *c = NULL;
	struct buf *req = NULL, *reply = NULL;
	u_char hdr[4], *p;
	uint32_t len;

	if (agent_state_new(&s) != 0 || agent_conn_new(&c) != 0)
		_exit(1);
	agent_state_set_lock_rounds(s, 2);
	for (;;) {
		if (atomicio_read(fd, hdr, 4) != 4)
			_exit(0);
		len = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 |
		    (uint32_t)hdr[2] << 8 | hdr[3];
		if (len > AGENT_MAX_MSG_LEN || (req = buf_new()) == NULL ||
		    (reply = buf_new()) == NULL ||
		    buf_reserve(req, len, &p) != 0 ||
		    atomicio_read(fd, p, len) != len ||
		    agent_process(s, c, req, reply) != 0)
			_exit(1);
		len = (uint32_t)buf_len(reply);
		hdr[0] = (u_char)(len >> 24);
		hdr[1] = (u_char)(len >> 16);
		hdr[2] = (u_char)(len >> 8);
		hdr[3] = (u_char)len;
		if (atomicio_write(fd, hdr, 4) != 4 ||
		    atomicio_write(fd, buf_ptr(reply), len) != len)
			_exit(1);
		buf_free(req);
		buf_free(reply);
	}
}

static char sockdir[] = "/tmp/test_agent.XXXXXX";
static char sockpath[sizeof(sockdir) + 16];

/* A listening agent child on a Unix socket; its pid. */
static pid_t
start_agent(void)
{
	pid_t pid;
	int lfd, fd;

	ASSERT_PTR_NE(mkdtemp(sockdir), NULL);
	snprintf(sockpath, sizeof(sockpath), "%s/sock", sockdir);
	ASSERT_INT_GE(lfd = unix_listener(sockpath, 8, 0), 0);
	ASSERT_INT_NE(pid = fork(), -1);
	if (pid == 0) {
		/* One client at a time, until killed. */
		for (;;) {
			if ((fd = accept(lfd, NULL, NULL)) == -1)
				_exit(1);
			if (fork() == 0) {
				close(lfd);
				serve(fd);
			}
			close(fd);
		}
	}
	close(lfd);
	return pid;
}

static void
stop_agent(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	unlink(sockpath);
	rmdir(sockdir);
}

static void
test_connect(void)
{
	int fd;

	TEST_START("agent client connect without SSH_AUTH_SOCK");
	unsetenv("SSH_AUTH_SOCK");
	ASSERT_INT_EQ(agent_connect(&fd), ERR_AGENT_NOT_PRESENT);
	ASSERT_INT_EQ(fd, -1);
	setenv("SSH_AUTH_SOCK", "", 1);
	ASSERT_INT_EQ(agent_connect(&fd), ERR_AGENT_NOT_PRESENT);
	TEST_DONE();

	TEST_START("agent client connect to nothing");
	setenv("SSH_AUTH_SOCK", "/nonexistent/agent.sock", 1);
	ASSERT_INT_EQ(agent_connect(&fd), ERR_ERRNO);
	ASSERT_INT_EQ(errno, ENOENT);
	TEST_DONE();
}

static void
test_roundtrip(int fd)
{
	struct agent_constraints cons = { 0, 0 };
	struct agent_idlist *list;
	u_char data[100], *sig;
	size_t i, siglen;
	char **names;
	int found;

	TEST_START("agent client list empty");
	ASSERT_INT_EQ(agent_list_identities(fd, &list),
	    ERR_AGENT_NO_IDENTITIES);
	ASSERT_PTR_EQ(list, NULL);
	TEST_DONE();

	TEST_START("agent client add and list");
	for (i = 0; i < TA_NKEYS; i++) {
		cons.lifetime = i == 1 ? 3600 : 0;
		cons.confirm = 0;
		ASSERT_INT_EQ(agent_add_identity(fd, ta_keys[i],
		    ta_key_names[i], &cons), 0);
	}
	ASSERT_INT_EQ(agent_list_identities(fd, &list), 0);
	ASSERT_SIZE_T_EQ(list->n, TA_NKEYS);
	for (i = 0; i < TA_NKEYS; i++) {
		ASSERT_INT_EQ(key_equal_public(list->ids[i].key, ta_keys[i]),
		    1);
		ASSERT_STRING_EQ(list->ids[i].comment, ta_key_names[i]);
	}
	agent_idlist_free(list);
	TEST_DONE();

	TEST_START("agent client sign");
	arc4random_buf(data, sizeof(data));
	for (i = 0; i < TA_NKEYS; i++) {
		ASSERT_INT_EQ(agent_sign(fd, ta_keys[i], data, sizeof(data),
		    NULL, &sig, &siglen), 0);
		ASSERT_INT_EQ(key_verify(ta_keys[i], sig, siglen, data,
		    sizeof(data), key_type(ta_keys[i]) == KEY_RSA ?
		    "ssh-rsa" : NULL), 0);
		free(sig);
	}
	ASSERT_INT_EQ(agent_sign(fd, ta_keys[TA_NKEYS - 1], data,
	    sizeof(data), "rsa-sha2-256", &sig, &siglen), 0);
	ASSERT_INT_EQ(key_verify(ta_keys[TA_NKEYS - 1], sig, siglen, data,
	    sizeof(data), "rsa-sha2-256"), 0);
	free(sig);
	ASSERT_INT_EQ(agent_sign(fd, ta_keys[TA_NKEYS - 1], data,
	    sizeof(data), "rsa-sha2-512", &sig, &siglen), 0);
	ASSERT_INT_EQ(key_verify(ta_keys[TA_NKEYS - 1], sig, siglen, data,
	    sizeof(data), "rsa-sha2-512"), 0);
	free(sig);
	TEST_DONE();

	TEST_START("agent client remove");
	ASSERT_INT_EQ(agent_remove_identity(fd, ta_keys[0]), 0);
	ASSERT_INT_EQ(agent_remove_identity(fd, ta_keys[0]),
	    ERR_AGENT_FAILURE);
	ASSERT_INT_EQ(agent_sign(fd, ta_keys[0], data, sizeof(data), NULL,
	    &sig, &siglen), ERR_AGENT_FAILURE);
	ASSERT_PTR_EQ(sig, NULL);
	TEST_DONE();

	TEST_START("agent client lock and unlock");
	ASSERT_INT_EQ(agent_lock(fd, 1, "hunter2"), 0);
	ASSERT_INT_EQ(agent_list_identities(fd, &list),
	    ERR_AGENT_NO_IDENTITIES);
	ASSERT_INT_EQ(agent_lock(fd, 0, "hunter3"), ERR_AGENT_FAILURE);
	ASSERT_INT_EQ(agent_lock(fd, 0, "hunter2"), 0);
	ASSERT_INT_EQ(agent_list_identities(fd, &list), 0);
	ASSERT_SIZE_T_EQ(list->n, TA_NKEYS - 1);
	agent_idlist_free(list);
	TEST_DONE();

	TEST_START("agent client query");
	ASSERT_INT_EQ(agent_query_extensions(fd, &names), 0);
	for (found = 0, i = 0; names[i] != NULL; i++) {
		if (strcmp(names[i], "session-bind@openssh.com") == 0)
			found = 1;
	}
	ASSERT_INT_EQ(found, 1);
	agent_names_free(names);
	TEST_DONE();

	TEST_START("agent client session-bind");
	ASSERT_INT_EQ(key_sign(ta_keys[2], &sig, &siglen, data, 32, NULL), 0);
	ASSERT_INT_EQ(agent_session_bind(fd, ta_keys[2], data, 32, sig, siglen,
	    1), 0);
	ASSERT_INT_EQ(agent_session_bind(fd, ta_keys[1], data, 32, sig, siglen,
	    1), ERR_AGENT_FAILURE);
	free(sig);
	TEST_DONE();

	TEST_START("agent client remove all");
	ASSERT_INT_EQ(agent_remove_all_identities(fd), 0);
	ASSERT_INT_EQ(agent_list_identities(fd, &list),
	    ERR_AGENT_NO_IDENTITIES);
	TEST_DONE();
}

/* A child on the other end of a socketpair answering with reply. */
static int
canned(const void *reply, size_t len, pid_t *pidp)
{
	u_char junk[8192], hdr[4];
	uint32_t reqlen;
	int sp[2];

	ASSERT_INT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	ASSERT_INT_NE(*pidp = fork(), -1);
	if (*pidp == 0) {
		/* Read the whole request first, then answer. */
		close(sp[0]);
		if (atomicio_read(sp[1], hdr, 4) != 4)
			_exit(1);
		reqlen = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 |
		    (uint32_t)hdr[2] << 8 | hdr[3];
		if (reqlen > sizeof(junk) ||
		    atomicio_read(sp[1], junk, reqlen) != reqlen ||
		    atomicio_write(sp[1], reply, len) != len)
			_exit(1);
		_exit(0);
	}
	close(sp[1]);
	return sp[0];
}

static int
canned_list(const void *reply, size_t len)
{
	struct agent_idlist *list = NULL;
	pid_t pid;
	int fd, r;

	fd = canned(reply, len, &pid);
	r = agent_list_identities(fd, &list);
	ASSERT_PTR_EQ(list, NULL);
	close(fd);
	waitpid(pid, NULL, 0);
	return r;
}

static void
test_bad_replies(void)
{
	static const u_char too_long[] = { 0, 4, 0, 1, 12 };
	static const u_char empty[] = { 0, 0, 0, 0 };
	static const u_char cut[] = { 0, 0, 0, 9, 12, 0, 0 };
	static const u_char wrong[] = { 0, 0, 0, 1, 14 };
	static const u_char many[] = { 0, 0, 0, 5, 12, 0xff, 0, 0, 0 };
	static const u_char trailing[] = { 0, 0, 0, 6, 12, 0, 0, 0, 0, 7 };
	static const u_char fail[] = { 0, 0, 0, 1, 5 };
	static const u_char sshcom[] = { 0, 0, 0, 1, 102 };
	static const u_char badkey[] = { 0, 0, 0, 13, 12, 0, 0, 0, 1,
	    0, 0, 0, 1, 'x', 0, 0, 0 };
	struct buf *b;
	pid_t pid;
	u_char *sig;
	size_t siglen;
	int fd;

	TEST_START("agent client refuses broken replies");
	ASSERT_INT_EQ(canned_list(too_long, sizeof(too_long)),
	    ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(canned_list(empty, sizeof(empty)), ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(canned_list(cut, sizeof(cut)), ERR_AGENT_COMMUNICATION);
	ASSERT_INT_EQ(canned_list(wrong, sizeof(wrong)), ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(canned_list(many, sizeof(many)), ERR_INVALID_FORMAT);
	ASSERT_INT_EQ(canned_list(trailing, sizeof(trailing)),
	    ERR_UNEXPECTED_TRAILING_DATA);
	ASSERT_INT_EQ(canned_list(fail, sizeof(fail)), ERR_AGENT_FAILURE);
	ASSERT_INT_EQ(canned_list(sshcom, sizeof(sshcom)), ERR_AGENT_FAILURE);
	ASSERT_INT_NE(canned_list(badkey, sizeof(badkey)), 0);
	ASSERT_INT_EQ(canned_list(NULL, 0), ERR_AGENT_COMMUNICATION);
	TEST_DONE();

	TEST_START("agent client refuses a signature of the wrong kind");
	/* An ed25519 signature offered for an RSA request. */
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(key_sign(ta_keys[0], &sig, &siglen, "x", 1, NULL), 0);
	ASSERT_INT_EQ(buf_put_u32(b, (uint32_t)(1 + 4 + siglen)), 0);
	ASSERT_INT_EQ(buf_put_u8(b, AGENT_SIGN_RESPONSE), 0);
	ASSERT_INT_EQ(buf_put_string(b, sig, siglen), 0);
	free(sig);
	fd = canned(buf_ptr(b), buf_len(b), &pid);
	ASSERT_INT_NE(agent_sign(fd, ta_keys[TA_NKEYS - 1], (const u_char *)"x",
	    1, "rsa-sha2-512", &sig, &siglen), 0);
	ASSERT_PTR_EQ(sig, NULL);
	close(fd);
	waitpid(pid, NULL, 0);
	buf_free(b);
	TEST_DONE();
}

void
test_client(void)
{
	pid_t pid;
	int fd;

	test_connect();
	pid = start_agent();
	setenv("SSH_AUTH_SOCK", sockpath, 1);
	TEST_START("agent client connect");
	ASSERT_INT_EQ(agent_connect(&fd), 0);
	ASSERT_INT_GE(fd, 0);
	TEST_DONE();
	test_roundtrip(fd);
	agent_close(fd);
	stop_agent(pid);
	test_bad_replies();
}
