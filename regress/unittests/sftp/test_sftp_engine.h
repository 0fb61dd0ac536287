/* Helpers that drive the SFTP request engine through buffers. */
#ifndef KEEL_TEST_SFTP_ENGINE_H
#define KEEL_TEST_SFTP_ENGINE_H

#include <stdint.h>

struct buf;
struct sftp_server;

extern struct sftp_server *eng;
extern struct buf *eng_in, *eng_out;

/* A new engine (optionally past INIT) with the given policy. */
void eng_start(int readonly, const char *deny, const char *allow, int init);
void eng_stop(void);
/* Queue one packet of type with body (freed). */
void eng_send(uint8_t type, struct buf *body);
/* sftp_server_process() on the queues. */
int eng_run(void);
/* The next reply, which must have want_type; positioned after the type. */
struct buf *eng_reply(uint8_t want_type);
/* ... and after the id, which must be want_id. */
struct buf *eng_reply_id(uint8_t want_type, uint32_t want_id);
void eng_expect_status(uint32_t want_id, uint32_t want_code);
/* uint32 id, then s1 and s2 as strings when not NULL. */
struct buf *eng_body(uint32_t id, const char *s1, const char *s2);

#endif
