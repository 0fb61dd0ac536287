/*
 * packet-impl.h: the insides of struct ssh, shared by packet.c (framing,
 * transport messages), packet-version.c (version exchange), packet-fd.c
 * (descriptors) and packet-state.c (privsep serialisation).  Nothing
 * else includes this.
 */
#ifndef KEEL_PACKET_IMPL_H
#define KEEL_PACKET_IMPL_H

#include <zlib.h>

#include "packet.h"

struct cipher_ctx;
struct mac_ctx;

/* One direction of the transport. */
struct packet_dir {
	struct cipher_ctx *cc;		/* NULL before the 1st NEWKEYS */
	struct mac_ctx *mc;		/* NULL for AEAD ciphers */
	struct packet_newkeys nk;	/* the keys cc/mc were made from */
	int comp;			/* PACKET_COMP_* negotiated */
	int comp_on;			/* compressing now */
	z_stream z;
	int z_init;
	uint32_t seqnr;			/* of the next packet */
	uint64_t bytes, packets;	/* under the current keys */
	uint64_t total_bytes, total_packets;
	uint64_t max_bytes;		/* rekey after this many bytes */
};

/* A packet held back while a key exchange runs. */
struct packet_queued {
	struct buf *payload;		/* type byte first */
	struct packet_queued *next;
};

struct ssh {
	int is_server;
	struct buf *input;		/* bytes from the peer */
	struct buf *output;		/* bytes for the peer */
	struct buf *incoming;		/* the packet being opened */
	struct buf *payload;		/* its payload after the type */
	struct buf *outgoing;		/* the packet being built */
	struct buf *zbuf;		/* compression scratch */
	struct packet_dir dir[2];	/* PACKET_IN, PACKET_OUT */

	/* The incoming packet in progress. */
	int have_header;		/* packet_length known */
	uint32_t packlen;
	int discarding;			/* hiding an integrity failure */
	size_t discard_left;
	uint32_t cur_seqnr;
	u_char cur_type;

	/* Packets queued during key exchange. */
	struct packet_queued *q_head;
	struct packet_queued **q_tail;
	size_t q_bytes;

	/* Version exchange. */
	char *addendum;
	char *our_version;
	char *peer_version;
	int version_sent;
	int version_done;
	u_int banner_lines;

	/* Key exchange. */
	struct kex *kex;
	struct dispatch *dispatch;
	int kex_running;		/* a KEXINIT went out or came in */
	int out_kex;			/* ours is out: queue till NEWKEYS */
	int peer_in_kex;		/* peer's KEXINIT in, NEWKEYS not */
	int strict;
	int authenticated;		/* packet_enable_delayed_compress() */
	u_int kex_count;
	int skip_next;

	/* RekeyLimit. */
	uint64_t rekey_bytes;
	uint32_t rekey_seconds;
	uint64_t rekey_packets;
	uint64_t rekey_time;		/* monotime_ms() at the last KEX */

	/* The end. */
	int closed;
	int eof;
	u_int local_reason, peer_reason;
	char *local_desc, *peer_reason_desc;

	char *peer_desc;
	void *app_data;
	int fd_in, fd_out;
};

/* packet-version.c: read the peer's version lines; then our KEXINIT. */
int packet_version_process(struct ssh *ssh) must_check;

/* packet.c, for packet-state.c */
int packet_install_keys(struct ssh *ssh, int dir,
    const struct packet_newkeys *nk) must_check;
void packet_dir_set_limits(struct ssh *ssh, int dir);

#endif /* KEEL_PACKET_IMPL_H */
