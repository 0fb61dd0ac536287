/*
 * Test harness of the channels tests: message queues standing in for
 * the transport, a payload builder, and a manager whose peer is faked.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"

#include "../test_helper/test_helper.h"
#include "test_channels.h"

void
tq_init(struct tq *q)
{
	q->head = NULL;
	q->tail = &q->head;
	q->n = 0;
}

void
tmsg_free(struct tmsg *m)
{
	if (m == NULL)
		return;
	buf_free(m->b);
	free(m);
}

struct tmsg *
tq_pop(struct tq *q)
{
	struct tmsg *m;

	if ((m = q->head) == NULL)
		return NULL;
	if ((q->head = m->next) == NULL)
		q->tail = &q->head;
	q->n--;
	m->next = NULL;
	return m;
}

void
tq_clear(struct tq *q)
{
	struct tmsg *m;

	while ((m = tq_pop(q)) != NULL)
		tmsg_free(m);
}

struct tmsg *
tq_find(struct tq *q, uint8_t type)
{
	struct tmsg *m;

	while ((m = tq_pop(q)) != NULL) {
		if (m->type == type)
			return m;
		tmsg_free(m);
	}
	return NULL;
}

int
tq_has(struct tq *q, uint8_t type)
{
	struct tmsg *m = tq_find(q, type);

	tmsg_free(m);
	return m != NULL;
}

int
tq_send(void *ctx, uint8_t type, const struct buf *payload)
{
	struct tq *q = ctx;
	struct tmsg *m;

	ASSERT_TRUE((m = calloc(1, sizeof(*m))) != NULL);
	ASSERT_TRUE((m->b = buf_new()) != NULL);
	ASSERT_INT_EQ(buf_putb(m->b, payload), 0);
	m->type = type;
	*q->tail = m;
	q->tail = &m->next;
	q->n++;
	return 0;
}

struct buf *
mk(const char *fmt, ...)
{
	struct buf *b;
	va_list ap;
	const void *p;
	size_t len;

	ASSERT_TRUE((b = buf_new()) != NULL);
	va_start(ap, fmt);
	for (; *fmt != '\0'; fmt++) {
		switch (*fmt) {
		case 'u':
			ASSERT_INT_EQ(buf_put_u32(b, va_arg(ap, uint32_t)), 0);
			break;
		case 'b':
			ASSERT_INT_EQ(buf_put_u8(b, (uint8_t)va_arg(ap, int)),
			    0);
			break;
		case 's':
			ASSERT_INT_EQ(buf_put_cstring(b,
			    va_arg(ap, const char *)), 0);
			break;
		case 'd':
		case 'r':
			p = va_arg(ap, const void *);
			len = va_arg(ap, size_t);
			ASSERT_INT_EQ(*fmt == 'd' ? buf_put_string(b, p, len) :
			    buf_put(b, p, len), 0);
			break;
		default:
			ASSERT_TRUE(0);
		}
	}
	va_end(ap);
	return b;
}

/* ------------------------------------------------------------ fake */

static int
fake_request(struct channel *ch, struct chan_request *req, void *ctx)
{
	struct fake *f = ctx;

	f->nrequests++;
	f->lastreq.type = req->type;
	f->lastreq.want_reply = req->want_reply;
	f->lastreq.u = req->u;
	/* Strings belong to the manager: keep only scalars. */
	return f->refuse_requests ? 0 : 1;
}

static int
fake_open_result(struct channel *ch, int ok, uint32_t reason,
    const char *desc, void *ctx)
{
	struct fake *f = ctx;

	f->nopen_results++;
	f->last_open_ok = ok;
	f->last_reason = reason;
	return 0;
}

static int
fake_eof(struct channel *ch, void *ctx)
{
	((struct fake *)ctx)->neof++;
	return 0;
}

static void
fake_closed(struct channel *ch, void *ctx)
{
	struct fake *f = ctx;

	f->nclosed++;
	if (f->last == ch)
		f->last = NULL;
}

const struct chan_ops fake_ops = {
	fake_request, fake_open_result, fake_eof, NULL, fake_closed,
};

static int
fake_open(struct channels *c, struct channel *ch,
    const struct chan_open_info *info, void *ctx)
{
	struct fake *f = ctx;

	f->last = ch;
	fwd_open_clear(&f->last_info);
	ASSERT_INT_EQ(fwd_open_copy(&f->last_info, info), 0);
	chan_set_ops(ch, &fake_ops, f);
	if (f->defer_open)
		return 0;
	return chan_open_confirm(ch);
}

static int
fake_global(struct channels *c, struct chan_global_request *req,
    struct buf *data, struct buf *reply, void *ctx)
{
	struct fake *f = ctx;

	f->nglobal++;
	if (req->type == CHAN_GREQ_TCPIP_FORWARD && req->port == 0)
		req->bound_port = f->bind_port;
	if (req->type == CHAN_GREQ_OTHER && f->greq_answer > 0)
		ASSERT_INT_EQ(buf_put_u32(reply, 0x11223344), 0);
	return f->greq_answer;
}

static int
fake_permit(void *ctx, const char *host, uint32_t port)
{
	struct fake *f = ctx;

	return fwd_perms_check(f->perms, host, port);
}

static struct fake *
fake_make(int is_server, uint32_t window, uint32_t maxpack,
    const char *const *specs)
{
	struct chan_config cfg;
	struct fake *f;

	ASSERT_TRUE((f = calloc(1, sizeof(*f))) != NULL);
	tq_init(&f->out);
	f->is_server = is_server;
	f->greq_answer = 1;
	f->bind_port = 40000;
	memset(&cfg, 0, sizeof(cfg));
	cfg.is_server = is_server;
	cfg.send = tq_send;
	cfg.send_ctx = &f->out;
	cfg.window = window;
	cfg.max_packet = maxpack;
	cfg.open = fake_open;
	cfg.global_request = fake_global;
	cfg.ctx = f;
	if (specs != NULL) {
		ASSERT_INT_EQ(fwd_perms_new(&f->perms), 0);
		for (; *specs != NULL; specs++)
			ASSERT_INT_EQ(fwd_perms_add(f->perms, *specs), 0);
		cfg.permit_open = fake_permit;
		cfg.permit_listen = fake_permit;
	}
	ASSERT_INT_EQ(chan_mgr_new(&cfg, &f->c), 0);
	return f;
}

struct fake *
fake_new(int is_server, uint32_t window, uint32_t maxpack)
{
	return fake_make(is_server, window, maxpack, NULL);
}

struct fake *
fake_new_perms(const char *const *specs)
{
	return fake_make(1, 0, 0, specs);
}

void
fake_free(struct fake *f)
{
	if (f == NULL)
		return;
	chan_mgr_free(f->c);
	tq_clear(&f->out);
	fwd_open_clear(&f->last_info);
	fwd_perms_free(f->perms);
	free(f);
}

int
fake_in(struct fake *f, uint8_t type, struct buf *payload)
{
	int r;

	r = chan_input(f->c, type, payload);
	buf_free(payload);
	return r;
}

uint32_t
fake_peer_open(struct fake *f, uint32_t window, uint32_t maxpack)
{
	struct tmsg *m;
	uint32_t peer, self;

	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN,
	    mk("suuu", "session", 7, window, maxpack)), 0);
	ASSERT_TRUE(f->last != NULL);
	if (f->defer_open)
		return chan_self(f->last);
	ASSERT_TRUE((m = tq_find(&f->out,
	    SSH2_MSG_CHANNEL_OPEN_CONFIRMATION)) != NULL);
	ASSERT_INT_EQ(buf_get_u32(m->b, &peer), 0);
	ASSERT_INT_EQ(buf_get_u32(m->b, &self), 0);
	ASSERT_U32_EQ(peer, 7);
	ASSERT_U32_EQ(self, chan_self(f->last));
	tmsg_free(m);
	return self;
}

uint32_t
fake_our_open(struct fake *f, uint32_t window, uint32_t maxpack)
{
	struct chan_open_info info;
	struct channel *ch = NULL;

	memset(&info, 0, sizeof(info));
	info.type = CHAN_TYPE_SESSION;
	ASSERT_INT_EQ(chan_open(f->c, &info, 0, 0, &fake_ops, f, &ch), 0);
	ASSERT_TRUE(ch != NULL);
	f->last = ch;
	tq_clear(&f->out);
	ASSERT_INT_EQ(fake_in(f, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION,
	    mk("uuuu", chan_self(ch), 9, window, maxpack)), 0);
	ASSERT_INT_EQ(f->last_open_ok, 1);
	return chan_self(ch);
}
