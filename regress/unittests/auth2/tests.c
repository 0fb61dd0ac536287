/*
 * tests.c: the ssh-userauth service (auth/auth2.c) against a client
 * built from our packet layer, with a real monitor behind it.
 */
#include "includes.h"

#include "auth/auth2.h"
#include "buf.h"
#include "errcode.h"
#include "kex.h"
#include "key.h"
#include "log.h"
#include "packet.h"
#include "ssh2.h"

#include "../test_helper/test_helper.h"
#include "test_auth2.h"

/* ------------------------------------------------------------ client */

static void
send_service(struct ta *t, const char *service)
{
	struct buf *b;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_cstring(b, service), 0);
	ta_send(t, SSH2_MSG_SERVICE_REQUEST, b);
	buf_free(b);
}

static void
service(struct ta *t)
{
	struct buf *pl;
	char *name;
	u_char type;

	send_service(t, "ssh-userauth");
	ASSERT_INT_EQ(ta_recv(t, &type, &pl), 0);
	ASSERT_U8_EQ(type, SSH2_MSG_SERVICE_ACCEPT);
	ASSERT_INT_EQ(buf_get_cstring(pl, &name, NULL), 0);
	ASSERT_STRING_EQ(name, "ssh-userauth");
	ASSERT_SIZE_T_EQ(buf_len(pl), 0);
	free(name);
	buf_free(pl);
}

static struct buf *
req_head(const char *user, const char *svc, const char *method)
{
	struct buf *b;

	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_cstring(b, user), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, svc), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, method), 0);
	return b;
}

static void
send_none(struct ta *t, const char *user)
{
	struct buf *b = req_head(user, "ssh-connection", "none");

	ta_send(t, SSH2_MSG_USERAUTH_REQUEST, b);
	buf_free(b);
}

static void
send_password(struct ta *t, const char *user, const char *password)
{
	struct buf *b = req_head(user, "ssh-connection", "password");

	ASSERT_INT_EQ(buf_put_u8(b, 0), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, password), 0);
	ta_send(t, SSH2_MSG_USERAUTH_REQUEST, b);
	buf_free(b);
}

static void
send_pk_query(struct ta *t, const char *user, const struct key *k,
    const char *alg)
{
	struct buf *b = req_head(user, "ssh-connection", "publickey");

	ASSERT_INT_EQ(buf_put_u8(b, 0), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, alg), 0);
	ASSERT_INT_EQ(key_puts(k, b), 0);
	ta_send(t, SSH2_MSG_USERAUTH_REQUEST, b);
	buf_free(b);
}

/* What a signed request may get wrong on purpose. */
struct pk_sig {
	const struct key *key;		/* named in the request */
	const struct key *signer;
	const char *alg;
	const char *sig_user;		/* NULL: the request's */
	int bad_sid;
};

static void
send_pk_signed(struct ta *t, const char *user, const struct pk_sig *s)
{
	struct buf *b = req_head(user, "ssh-connection", "publickey");
	struct buf *data;
	const u_char *sid;
	u_char bogus[32];
	size_t sidlen;
	u_char *sig = NULL;
	size_t siglen = 0;

	ASSERT_PTR_NE(sid = kex_session_id(t->ssh, &sidlen), NULL);
	if (s->bad_sid) {
		memset(bogus, 0x42, sizeof(bogus));
		sid = bogus;
		sidlen = sizeof(bogus);
	}
	ASSERT_PTR_NE(data = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_string(data, sid, sidlen), 0);
	ASSERT_INT_EQ(buf_put_u8(data, SSH2_MSG_USERAUTH_REQUEST), 0);
	ASSERT_INT_EQ(buf_put_cstring(data, s->sig_user != NULL ?
	    s->sig_user : user), 0);
	ASSERT_INT_EQ(buf_put_cstring(data, "ssh-connection"), 0);
	ASSERT_INT_EQ(buf_put_cstring(data, "publickey"), 0);
	ASSERT_INT_EQ(buf_put_u8(data, 1), 0);
	ASSERT_INT_EQ(buf_put_cstring(data, s->alg), 0);
	ASSERT_INT_EQ(key_puts(s->key, data), 0);
	ASSERT_INT_EQ(key_sign(s->signer, &sig, &siglen, buf_ptr(data),
	    buf_len(data), key_type(s->signer) == KEY_RSA ? s->alg : NULL),
	    0);
	ASSERT_INT_EQ(buf_put_u8(b, 1), 0);
	ASSERT_INT_EQ(buf_put_cstring(b, s->alg), 0);
	ASSERT_INT_EQ(key_puts(s->key, b), 0);
	ASSERT_INT_EQ(buf_put_string(b, sig, siglen), 0);
	ta_send(t, SSH2_MSG_USERAUTH_REQUEST, b);
	free(sig);
	buf_free(data);
	buf_free(b);
}

static void
expect_failure(struct ta *t, const char *methods)
{
	struct buf *pl;
	char *list;
	uint8_t partial;
	u_char type;

	ASSERT_INT_EQ(ta_recv(t, &type, &pl), 0);
	ASSERT_U8_EQ(type, SSH2_MSG_USERAUTH_FAILURE);
	ASSERT_INT_EQ(buf_get_cstring(pl, &list, NULL), 0);
	ASSERT_STRING_EQ(list, methods);
	ASSERT_INT_EQ(buf_get_u8(pl, &partial), 0);
	ASSERT_U8_EQ(partial, 0);
	ASSERT_SIZE_T_EQ(buf_len(pl), 0);
	free(list);
	buf_free(pl);
}

static void
expect_type(struct ta *t, u_char want)
{
	struct buf *pl;
	u_char type;

	ASSERT_INT_EQ(ta_recv(t, &type, &pl), 0);
	ASSERT_U8_EQ(type, want);
	buf_free(pl);
}

static void
expect_disconnect(struct ta *t, u_int reason)
{
	struct buf *pl;
	u_char type;

	ASSERT_INT_EQ(ta_recv(t, &type, &pl), ERR_DISCONNECTED);
	ASSERT_U32_EQ(ta_peer_reason(t), reason);
}

#define BOTH	"publickey,password"

/* ------------------------------------------------------------ cases */

static void
test_password(void)
{
	struct ta_config cfg;
	struct ta *t;

	ta_default_config(&cfg);
	TEST_START("none lists the methods; password ok");
	t = ta_start(&cfg);
	service(t);
	send_none(t, "alice");
	expect_failure(t, BOTH);
	send_password(t, "alice", "secret");
	expect_type(t, SSH2_MSG_USERAUTH_SUCCESS);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_PASSWORD | TA_MON_AUTH);
	TEST_DONE();

	TEST_START("rekey in the middle of authentication");
	t = ta_start(&cfg);
	service(t);
	send_none(t, "alice");
	ASSERT_INT_EQ(kex_start_rekey(t->ssh), 0);
	expect_failure(t, BOTH);
	send_password(t, "alice", "wrong");
	expect_failure(t, BOTH);
	ASSERT_INT_GE(packet_kex_count(t->ssh), 2);
	send_password(t, "alice", "secret");
	expect_type(t, SSH2_MSG_USERAUTH_SUCCESS);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_PASSWORD | TA_MON_AUTH);
	TEST_DONE();

	TEST_START("bad password, then a good one");
	t = ta_start(&cfg);
	service(t);
	send_password(t, "alice", "wrong");
	expect_failure(t, BOTH);
	send_password(t, "alice", "secret");
	expect_type(t, SSH2_MSG_USERAUTH_SUCCESS);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_PASSWORD | TA_MON_AUTH);
	TEST_DONE();

	TEST_START("invalid user fails like a wrong password");
	t = ta_start(&cfg);
	service(t);
	send_none(t, "nosuchuser");
	expect_failure(t, BOTH);
	send_password(t, "nosuchuser", "secret");
	expect_failure(t, BOTH);
	send_pk_query(t, "nosuchuser", ta_userkey, "ssh-ed25519");
	expect_failure(t, BOTH);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_CLOSED);
	TEST_DONE();

	TEST_START("policy without passwords");
	cfg.password = 0;
	t = ta_start(&cfg);
	service(t);
	send_password(t, "alice", "secret");
	expect_failure(t, "publickey");
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_CLOSED);
	TEST_DONE();
}

static void
test_publickey(void)
{
	struct ta_config cfg;
	struct pk_sig s;
	struct buf *pl;
	char *alg;
	struct key *k;
	u_char type;
	struct ta *t;

	ta_default_config(&cfg);
	TEST_START("publickey query, then signed");
	t = ta_start(&cfg);
	service(t);
	send_pk_query(t, "alice", ta_userkey, "ssh-ed25519");
	ASSERT_INT_EQ(ta_recv(t, &type, &pl), 0);
	ASSERT_U8_EQ(type, SSH2_MSG_USERAUTH_PK_OK);
	ASSERT_INT_EQ(buf_get_cstring(pl, &alg, NULL), 0);
	ASSERT_STRING_EQ(alg, "ssh-ed25519");
	ASSERT_INT_EQ(key_froms(pl, &k), 0);
	ASSERT_INT_EQ(key_equal_public(k, ta_userkey), 1);
	ASSERT_SIZE_T_EQ(buf_len(pl), 0);
	free(alg);
	key_free(k);
	buf_free(pl);
	memset(&s, 0, sizeof(s));
	s.key = s.signer = ta_userkey;
	s.alg = "ssh-ed25519";
	send_pk_signed(t, "alice", &s);
	expect_type(t, SSH2_MSG_USERAUTH_SUCCESS);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_PUBKEY | TA_MON_AUTH |
	    TA_MON_PUBKEY);
	TEST_DONE();

	TEST_START("publickey: the key's options come back");
	t = ta_start(&cfg);
	service(t);
	s.key = s.signer = ta_cmdkey;
	send_pk_signed(t, "alice", &s);
	expect_type(t, SSH2_MSG_USERAUTH_SUCCESS);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_PUBKEY_FORCED | TA_MON_AUTH |
	    TA_MON_PUBKEY);
	TEST_DONE();

	TEST_START("publickey: RSA with rsa-sha2-256, not ssh-rsa");
	t = ta_start(&cfg);
	service(t);
	s.key = s.signer = ta_rsakey;
	s.alg = "ssh-rsa";
	send_pk_signed(t, "alice", &s);
	expect_failure(t, BOTH);
	send_pk_query(t, "alice", ta_rsakey, "ssh-rsa");
	expect_failure(t, BOTH);
	s.alg = "rsa-sha2-256";
	send_pk_signed(t, "alice", &s);
	expect_type(t, SSH2_MSG_USERAUTH_SUCCESS);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_PUBKEY | TA_MON_AUTH |
	    TA_MON_PUBKEY);
	TEST_DONE();
}

static void
test_publickey_bad(void)
{
	struct ta_config cfg;
	struct pk_sig s;
	struct ta *t;

	ta_default_config(&cfg);
	memset(&s, 0, sizeof(s));
	s.alg = "ssh-ed25519";
	TEST_START("publickey: signed over a wrong session id");
	t = ta_start(&cfg);
	service(t);
	s.key = s.signer = ta_userkey;
	s.bad_sid = 1;
	send_pk_signed(t, "alice", &s);
	expect_failure(t, BOTH);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_CLOSED);
	TEST_DONE();

	TEST_START("publickey: signed for another user");
	t = ta_start(&cfg);
	service(t);
	s.bad_sid = 0;
	s.sig_user = "root";
	send_pk_signed(t, "alice", &s);
	expect_failure(t, BOTH);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_CLOSED);
	TEST_DONE();

	TEST_START("publickey: a different key than the one queried");
	t = ta_start(&cfg);
	service(t);
	send_pk_query(t, "alice", ta_userkey, "ssh-ed25519");
	expect_type(t, SSH2_MSG_USERAUTH_PK_OK);
	s.sig_user = NULL;
	s.key = s.signer = ta_otherkey;
	send_pk_signed(t, "alice", &s);
	expect_failure(t, BOTH);
	/* Named key allowed, signed by another. */
	s.key = ta_userkey;
	send_pk_signed(t, "alice", &s);
	expect_failure(t, BOTH);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_CLOSED);
	TEST_DONE();

	TEST_START("publickey: algorithm not of the key's type");
	t = ta_start(&cfg);
	service(t);
	send_pk_query(t, "alice", ta_userkey, "rsa-sha2-256");
	expect_failure(t, BOTH);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_CLOSED);
	TEST_DONE();

	TEST_START("publickey disabled by the policy");
	cfg.pubkey = 0;
	t = ta_start(&cfg);
	service(t);
	send_pk_query(t, "alice", ta_userkey, "ssh-ed25519");
	expect_failure(t, "password");
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_CLOSED);
	TEST_DONE();
}

static void
test_limits(void)
{
	struct ta_config cfg;
	struct ta *t;
	int i;

	ta_default_config(&cfg);
	cfg.max_auth_tries = 3;
	TEST_START("MaxAuthTries: none does not count, failures do");
	t = ta_start(&cfg);
	service(t);
	for (i = 0; i < 5; i++) {
		send_none(t, "alice");
		expect_failure(t, BOTH);
	}
	send_password(t, "alice", "bad1");
	expect_failure(t, BOTH);
	send_pk_query(t, "alice", ta_otherkey, "ssh-ed25519");
	expect_failure(t, BOTH);
	send_password(t, "alice", "bad3");
	expect_disconnect(t, SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_DISCONNECTED);
	TEST_DONE();

	TEST_START("banner once, before the first failure");
	ta_default_config(&cfg);
	cfg.banner = "Authorized use only\n";
	t = ta_start(&cfg);
	service(t);
	send_pk_query(t, "alice", ta_userkey, "ssh-ed25519");
	expect_type(t, SSH2_MSG_USERAUTH_PK_OK);
	send_none(t, "alice");
	{
		struct buf *pl;
		char *text, *lang;
		u_char type;

		ASSERT_INT_EQ(ta_recv(t, &type, &pl), 0);
		ASSERT_U8_EQ(type, SSH2_MSG_USERAUTH_BANNER);
		ASSERT_INT_EQ(buf_get_cstring(pl, &text, NULL), 0);
		ASSERT_INT_EQ(buf_get_cstring(pl, &lang, NULL), 0);
		ASSERT_STRING_EQ(text, "Authorized use only\n");
		ASSERT_STRING_EQ(lang, "");
		free(text);
		free(lang);
		buf_free(pl);
	}
	expect_failure(t, BOTH);
	send_none(t, "alice");
	expect_failure(t, BOTH);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_CLOSED);
	TEST_DONE();
}

static void
test_protocol(void)
{
	struct ta_config cfg;
	struct buf *b;
	struct ta *t;

	ta_default_config(&cfg);
	TEST_START("wrong service");
	t = ta_start(&cfg);
	send_service(t, "ssh-connection");
	expect_disconnect(t, SSH2_DISCONNECT_SERVICE_NOT_AVAILABLE);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_DISCONNECTED);
	t = ta_start(&cfg);
	service(t);
	b = req_head("alice", "ssh-foo", "none");
	ta_send(t, SSH2_MSG_USERAUTH_REQUEST, b);
	buf_free(b);
	expect_disconnect(t, SSH2_DISCONNECT_SERVICE_NOT_AVAILABLE);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_DISCONNECTED);
	TEST_DONE();

	TEST_START("messages in the wrong phase");
	t = ta_start(&cfg);
	send_none(t, "alice");
	expect_disconnect(t, SSH2_DISCONNECT_PROTOCOL_ERROR);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_DISCONNECTED);
	/* A repeated SERVICE_REQUEST is accepted again (paramiko sends
	 * one before every attempt; OpenSSH accepts it). */
	t = ta_start(&cfg);
	service(t);
	service(t);
	send_service(t, "ssh-connection");
	expect_disconnect(t, SSH2_DISCONNECT_SERVICE_NOT_AVAILABLE);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_DISCONNECTED);
	t = ta_start(&cfg);
	service(t);
	ASSERT_PTR_NE(b = buf_new(), NULL);
	ASSERT_INT_EQ(buf_put_cstring(b, "session"), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 0), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 65536), 0);
	ASSERT_INT_EQ(buf_put_u32(b, 32768), 0);
	ta_send(t, SSH2_MSG_CHANNEL_OPEN, b);
	buf_free(b);
	expect_disconnect(t, SSH2_DISCONNECT_PROTOCOL_ERROR);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_DISCONNECTED);
	TEST_DONE();

	TEST_START("change of user, truncated request");
	t = ta_start(&cfg);
	service(t);
	send_none(t, "alice");
	expect_failure(t, BOTH);
	send_password(t, "root", "secret");
	expect_disconnect(t, SSH2_DISCONNECT_PROTOCOL_ERROR);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_DISCONNECTED);
	t = ta_start(&cfg);
	service(t);
	b = req_head("alice", "ssh-connection", "password");
	ta_send(t, SSH2_MSG_USERAUTH_REQUEST, b);
	buf_free(b);
	expect_disconnect(t, SSH2_DISCONNECT_PROTOCOL_ERROR);
	ASSERT_INT_EQ(ta_finish(t), TA_SRV_DISCONNECTED);
	TEST_DONE();
}

void
tests(void)
{
	log_init("test_auth2", test_is_verbose() ? LOG_LEVEL_DEBUG3 :
	    LOG_LEVEL_QUIET, LOG_FACILITY_NOT_SET, 1);
	ta_make_keys();
	test_password();
	test_publickey();
	test_publickey_bad();
	test_limits();
	test_protocol();
}
