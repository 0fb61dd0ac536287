/*
 * packet.h: one SSH connection's transport (RFC 4253): the version
 * exchange, the binary packet protocol, encryption, MACs, compression,
 * sequence numbers and the rekeying accounting.
 *
 * A connection is a struct ssh.  It never touches a file descriptor by
 * itself: the caller appends the bytes it received with packet_input()
 * and writes out what packet_output_ptr()/packet_output_len() hold, then
 * drops them with packet_output_consume().  So a whole connection can run
 * in one process between a client and a server struct (the unit tests)
 * or be fed arbitrary bytes (the fuzzer).  packet_fd_*() at the end of
 * this file drive the two buffers from descriptors for programs.
 *
 * Incoming packets are read with packet_next() (or dispatch_run() from
 * dispatch.h, which calls the handler armed for each message).  The
 * transport messages never reach the caller: DISCONNECT, IGNORE,
 * UNIMPLEMENTED, DEBUG, PING/PONG are handled here, and the key exchange
 * messages (EXT_INFO, 20-49) go to the handlers kex.c arms.
 *
 * Errors: a fallible function returns 0 or a negative ERR_* code.  Once a
 * connection fails, a DISCONNECT with the matching reason code has been
 * queued on the output (when the transport can still send one), the
 * reason has been logged, the call that failed returned the error, and
 * every later call fails with ERR_DISCONNECTED: the caller flushes the
 * output and closes.  A peer that closed gives ERR_CONN_CLOSED (no
 * DISCONNECT is sent), a peer's DISCONNECT gives ERR_DISCONNECTED.
 *
 * Security notes:
 *  - packets longer than PACKET_MAX_SIZE are refused before any memory is
 *    allocated for them;
 *  - once keys are in use, every integrity failure (a bad MAC or AEAD
 *    tag, bad padding, an impossible length) gives one error,
 *    ERR_MAC_INVALID, and one identical DISCONNECT.  Where the length was
 *    decrypted before it could be authenticated (MAC-then-encrypt and
 *    chacha20-poly1305), the failure is reported only after the same
 *    fixed amount of input, so its timing does not depend on the length
 *    (no length or padding oracle);
 *  - session keys are wiped when replaced and when the connection is freed.
 */
#ifndef KEEL_PACKET_H
#define KEEL_PACKET_H

#include <sys/types.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/* Largest packet_length accepted (as OpenSSH: 256 KiB). */
#define PACKET_MAX_SIZE		(256 * 1024)
/* Largest payload (after decompression) accepted or sent. */
#define PACKET_MAX_PAYLOAD	(PACKET_MAX_SIZE - 1024)
/* The version exchange (RFC 4253 section 4.2). */
#define PACKET_VERSION_MAX_LEN	255	/* version line with its CR LF */
#define PACKET_BANNER_LINE_MAX	8192	/* lines before the server's */
#define PACKET_BANNER_LINES_MAX	1024

/* Directions for the functions that take one. */
#define PACKET_IN	0
#define PACKET_OUT	1

/* Compression of one direction (how kex.c installs it). */
#define PACKET_COMP_NONE	0
#define PACKET_COMP_ZLIB	1	/* "zlib": from NEWKEYS on */
#define PACKET_COMP_DELAYED	2	/* "zlib@openssh.com": after auth */

struct buf;
struct cipher;
struct mac_alg;
struct ssh;

/* ------------------------------------------------------------ life */

/*
 * A new connection in the client (is_server 0) or server role, with no
 * keys, no handlers armed (see dispatch.h) and no key exchange set up
 * (kex_setup() in kex.h starts the version exchange and the first KEX).
 */
int packet_new(int is_server, struct ssh **sshp) must_check;
/* Wipe and free everything of the connection; NULL is a no-op. */
void packet_free(struct ssh *ssh);
int packet_is_server(const struct ssh *ssh);

/* A pointer the application hangs on the connection (not freed here). */
void packet_set_app_data(struct ssh *ssh, void *data);
void *packet_get_app_data(const struct ssh *ssh);

/*
 * How log messages name the peer, e.g. "127.0.0.1 port 2222" (copied).
 * Messages read "Connection closed by <desc>" and so on.
 */
int packet_set_peer_desc(struct ssh *ssh, const char *desc) must_check;
const char *packet_peer_desc(const struct ssh *ssh);

/* ------------------------------------------------------------ streams */

/*
 * Append len bytes received from the peer.  ERR_NO_BUFFER_SPACE if they
 * do not fit: read at most packet_input_space() bytes at a time.
 */
int packet_input(struct ssh *ssh, const void *data, size_t len) must_check;
/* Bytes that packet_input() takes now (0 while a backlog is unread). */
size_t packet_input_space(const struct ssh *ssh);
/* The peer closed its side: a packet cut short is ERR_CONN_CLOSED. */
void packet_input_eof(struct ssh *ssh);

/* Bytes waiting to be written to the peer, and where they are. */
size_t packet_output_len(const struct ssh *ssh);
const u_char *packet_output_ptr(const struct ssh *ssh);
/* Drop len bytes that were written from the front of the output. */
int packet_output_consume(struct ssh *ssh, size_t len) must_check;

/* ------------------------------------------------------------ version */

/*
 * Text appended to our version line after a space (sshd's
 * VersionAddendum); NULL or "" for none.  Before kex_setup() only.
 */
int packet_set_version_addendum(struct ssh *ssh, const char *addendum)
    must_check;
/* Our version line "SSH-2.0-Keel_<version>[ addendum]", without CR LF. */
const char *packet_our_version(const struct ssh *ssh);
/* The peer's version line without CR LF; NULL until it has arrived. */
const char *packet_peer_version(const struct ssh *ssh);
/*
 * Queue our version line (RFC 4253 section 4.2).  kex_setup() calls this;
 * the binary protocol starts once the peer's version has been read.
 */
int packet_version_start(struct ssh *ssh) must_check;

/* ------------------------------------------------------------ sending */

/*
 * Start a packet of the given message type: *payloadp is the connection's
 * payload buffer (after the type byte), for the caller to append fields
 * to with the buf_put_*() functions, then call packet_send().  The
 * pointer is valid until packet_send() or the next packet_start().
 */
int packet_start(struct ssh *ssh, uint8_t type, struct buf **payloadp)
    must_check;
/*
 * Frame, compress, encrypt and MAC the started packet and append it to
 * the output.  While a key exchange runs, packets other than the
 * transport's own are queued and go out, in order, after NEWKEYS (at
 * most 64 MiB of them: then ERR_NO_BUFFER_SPACE; packet_in_kex() tells
 * a sender to hold back).
 */
int packet_send(struct ssh *ssh) must_check;
/* packet_start() + copy of payload + packet_send(). */
int packet_send_msg(struct ssh *ssh, uint8_t type, const struct buf *payload)
    must_check;
/* SSH_MSG_IGNORE carrying len random bytes (traffic padding). */
int packet_send_ignore(struct ssh *ssh, size_t len) must_check;
/* SSH_MSG_DEBUG with always_display set to display. */
int packet_send_debug(struct ssh *ssh, int display, const char *fmt, ...)
    __attribute__((__format__(__printf__, 3, 4))) must_check;

/*
 * End the connection: log "Disconnecting <peer>: <message>", queue an
 * SSH_MSG_DISCONNECT with reason (SSH2_DISCONNECT_*) and the message, and
 * refuse all later traffic.  Returns ERR_DISCONNECTED, for
 * `return packet_disconnect(...)`.  Only the first call has an effect.
 */
int packet_disconnect(struct ssh *ssh, u_int reason, const char *fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));
/*
 * packet_disconnect() with the reason and message that fit error r (a
 * negative ERR_* code); what the dispatcher does when a handler fails.
 * Returns r (a no-op if the connection has already ended).
 */
int packet_fail(struct ssh *ssh, int r, const char *context);
/* The reason code packet_fail() uses for error r. */
u_int packet_error_reason(int r);
/* 1 once the connection has ended (either side disconnected, EOF...). */
int packet_is_closed(const struct ssh *ssh);
/*
 * How it ended: the reason code and description of the DISCONNECT we
 * sent (local) or received (peer); 0 and NULL where there was none.
 */
void packet_disconnect_info(const struct ssh *ssh, int peer,
    u_int *reasonp, const char **descp);

/* ------------------------------------------------------------ receiving */

/*
 * Process input until the next message for the application: *typep gets
 * its type and packet_payload() its contents.  *typep is SSH2_MSG_NONE
 * (0) when more input is needed first.  Transport and key exchange
 * messages are handled on the way (their replies are queued on the
 * output).  A failure disconnects (see the top of this file).
 */
int packet_next(struct ssh *ssh, u_char *typep) must_check;
/*
 * The payload of the message packet_next() returned, after its type
 * byte, for reading with the buf_get_*() functions; valid until the next
 * packet_next().
 */
struct buf *packet_payload(struct ssh *ssh);
/* ERR_UNEXPECTED_TRAILING_DATA if the payload was not read to its end. */
int packet_payload_end(struct ssh *ssh) must_check;
/* Sequence number of that message. */
uint32_t packet_seqnr(const struct ssh *ssh);

/* ------------------------------------------------------------ compression */

/*
 * zlib@openssh.com starts after user authentication: the server calls
 * this right after sending USERAUTH_SUCCESS (in sshd: in the post-auth
 * process, after the hand-over), the client right after receiving it.
 * Compression starts now if delayed compression was negotiated, and with
 * every later rekey that negotiates it.  (Each new set of keys starts a
 * new compression context, RFC 4253 6.2.)
 */
int packet_enable_delayed_compress(struct ssh *ssh) must_check;
/* 1 if compression is active in that direction. */
int packet_compress_active(const struct ssh *ssh, int dir);

/* ------------------------------------------------------------ rekeying */

/*
 * RekeyLimit: rekey after max_bytes in either direction (0: the cipher's
 * safe default) or every seconds (0: never by time).  max_packets (0:
 * 2^31) exists for tests.
 */
void packet_set_rekey_limits(struct ssh *ssh, uint64_t max_bytes,
    uint32_t seconds, uint64_t max_packets);
/*
 * Milliseconds until the time limit is due (for a poll timeout); -1 when
 * there is none or a key exchange is running.  packet_check_rekey() starts a rekey if a limit has been
 * reached (the packet paths check the byte and packet limits by
 * themselves; loops call this for the time limit).
 */
int packet_rekey_timeout_ms(const struct ssh *ssh);
int packet_check_rekey(struct ssh *ssh) must_check;
/* 1 while a key exchange is under way (we sent or received KEXINIT). */
int packet_in_kex(const struct ssh *ssh);
/* Number of key exchanges completed (both NEWKEYS passed). */
u_int packet_kex_count(const struct ssh *ssh);
/* Totals since the connection started, for logs and tests. */
void packet_get_totals(const struct ssh *ssh, int dir, uint64_t *bytesp,
    uint64_t *packetsp);
/* Names of the algorithms in use in a direction ("none" before KEX). */
const char *packet_cipher_name(const struct ssh *ssh, int dir);
const char *packet_mac_name(const struct ssh *ssh, int dir);

/* ------------------------------------------------------------ privsep */

/*
 * Serialise everything the transport needs to carry on in another process
 * (sshd's post-auth hand-over): keys, IVs carried forward, sequence
 * numbers, counters, limits, the key exchange state (kex.h) and bytes
 * read or queued but not yet processed.  Appends to b, which holds
 * secrets: free it with buf_free() (which wipes).  Fails with
 * ERR_FEATURE_UNSUPPORTED while a key exchange is under way or once
 * compression has started (its state cannot be carried).
 */
int packet_state_serialize(struct ssh *ssh, struct buf *b) must_check;
/*
 * Load such state into a fresh connection of the same role (from
 * packet_new(); set the kex callbacks afterwards with kex_set_callbacks()).
 * The whole of b must be one state.
 */
int packet_state_deserialize(struct ssh *ssh, struct buf *b) must_check;

/* ------------------------------------------------------------ for kex.c */

/* One direction's algorithms and keys from a key exchange. */
struct packet_newkeys {
	const struct cipher *cipher;
	u_char key[64];
	size_t key_len;
	u_char iv[16];
	size_t iv_len;
	const struct mac_alg *mac;	/* NULL for AEAD ciphers */
	u_char mac_key[64];
	size_t mac_key_len;
	int comp;			/* PACKET_COMP_* */
};

/*
 * Install new keys for one direction (PACKET_IN after NEWKEYS arrived,
 * PACKET_OUT after ours was sent); with reset_seqnr (strict KEX) that
 * direction's sequence number starts again at 0.  nk is copied; the
 * caller wipes its copy.
 */
int packet_set_newkeys(struct ssh *ssh, int dir,
    const struct packet_newkeys *nk, int reset_seqnr) must_check;
/* Our NEWKEYS (and EXT_INFO) are out: send the packets queued meanwhile. */
int packet_kex_out_done(struct ssh *ssh) must_check;
/* Both directions switched: one more KEX completed. */
void packet_kex_complete(struct ssh *ssh);
/*
 * Strict KEX (kex-strict-*-v00@openssh.com) is in force for the initial
 * key exchange: any unexpected message ends the connection.
 */
void packet_set_strict_kex(struct ssh *ssh, int on);
int packet_strict_kex(const struct ssh *ssh);
/* The key exchange state kex.c keeps on the connection. */
struct kex *packet_kex(const struct ssh *ssh);
void packet_set_kex(struct ssh *ssh, struct kex *kex);
/* The handler table dispatch.c keeps on the connection. */
struct dispatch *packet_dispatch(const struct ssh *ssh);
/* Skip the next packet (a wrongly guessed KEX packet, RFC 4253 7). */
void packet_skip_next(struct ssh *ssh);
/* For tests and the fuzzer: set a direction's next sequence number. */
void packet_set_seqnr(struct ssh *ssh, int dir, uint32_t seqnr);

/* ------------------------------------------------------------ descriptors */

/* Descriptors for the packet_fd_*() helpers (may be the same socket). */
void packet_set_fds(struct ssh *ssh, int fd_in, int fd_out);
int packet_fd_in(const struct ssh *ssh);
int packet_fd_out(const struct ssh *ssh);
/*
 * Wait up to timeout_ms (-1: forever) for input and read what is there.
 * 0 on success, ERR_CONN_CLOSED at end of file (also marked with
 * packet_input_eof()), ERR_CONN_TIMEOUT, ERR_ERRNO.
 */
int packet_fd_read(struct ssh *ssh, int timeout_ms) must_check;
/* Write everything pending, waiting up to timeout_ms per write. */
int packet_fd_flush(struct ssh *ssh, int timeout_ms) must_check;
/*
 * The next application message, driving the descriptors: flush, read,
 * packet_next() until a message arrives (key exchanges run on the way).
 * timeout_ms bounds each wait for input (-1: none).
 */
int packet_fd_next(struct ssh *ssh, u_char *typep, int timeout_ms)
    must_check;
/*
 * Run the key exchange until the number of completed ones is past
 * count (e.g. packet_kex_count() before kex_start_rekey()).  Application
 * messages that arrive meanwhile go to the handlers armed in the
 * dispatch table (dispatch.h).
 */
int packet_fd_wait_kex(struct ssh *ssh, u_int count, int timeout_ms)
    must_check;

#endif /* KEEL_PACKET_H */
