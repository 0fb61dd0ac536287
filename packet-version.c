/*
 * packet-version.c: the version exchange (RFC 4253 section 4.2) of a
 * connection (packet.h): our line out, the peer's line in, with the
 * lines a server may send first, and the limits on all of them.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "kex.h"
#include "log.h"
#include "packet-impl.h"
#include "ssh2.h"

int
packet_set_version_addendum(struct ssh *ssh, const char *addendum)
{
	char *cp = NULL;

	if (ssh->version_sent)
		return ERR_INVALID_ARGUMENT;
	if (addendum != NULL && *addendum != '\0' &&
	    (cp = strdup(addendum)) == NULL)
		return ERR_ALLOC_FAIL;
	free(ssh->addendum);
	ssh->addendum = cp;
	return 0;
}

const char *
packet_our_version(const struct ssh *ssh)
{
	return ssh->our_version;
}

const char *
packet_peer_version(const struct ssh *ssh)
{
	return ssh->peer_version;
}

int
packet_version_start(struct ssh *ssh)
{
	char line[PACKET_VERSION_MAX_LEN + 1];
	int n, r;

	if (ssh->version_sent)
		return 0;
	n = snprintf(line, sizeof(line), "SSH-2.0-Keel_%s%s%s",
	    PACKAGE_VERSION, ssh->addendum != NULL ? " " : "",
	    ssh->addendum != NULL ? ssh->addendum : "");
	/* RFC 4253 4.2: 255 characters at most, CR LF included. */
	if (n < 0 || (size_t)n + 2 > PACKET_VERSION_MAX_LEN)
		return ERR_STRING_TOO_LARGE;
	if ((ssh->our_version = strdup(line)) == NULL)
		return ERR_ALLOC_FAIL;
	if ((r = buf_putf(ssh->output, "%s\r\n", line)) != 0)
		return r;
	debug("Local version string %s", line);
	ssh->version_sent = 1;
	return 0;
}

/* A line that ends the exchange early: send it as text, log, fail. */
static int
version_fail(struct ssh *ssh, int r, const char *tell, const char *fmt, ...)
    __attribute__((__format__(__printf__, 4, 5)));
static int
version_fail(struct ssh *ssh, int r, const char *tell, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	error("%s", msg);
	if (tell != NULL && buf_putf(ssh->output, "%s\r\n", tell) != 0)
		debug_f("could not queue \"%s\"", tell);
	ssh->local_reason = SSH2_DISCONNECT_PROTOCOL_VERSION_NOT_SUPPORTED;
	free(ssh->local_desc);
	ssh->local_desc = strdup(msg);
	ssh->closed = 1;
	return r;
}

/* "SSH-protoversion-softwareversion SP comments" (RFC 4253 4.2). */
static int
version_check(struct ssh *ssh, const char *line)
{
	const char *proto = line + 4;

	if (strncmp(proto, "2.0-", 4) == 0 || strncmp(proto, "1.99-", 5) == 0) {
		if ((ssh->peer_version = strdup(line)) == NULL)
			return ERR_ALLOC_FAIL;
		debug("Remote protocol version %.*s, remote software "
		    "version %s", strncmp(proto, "2.0-", 4) == 0 ? 3 : 4,
		    proto, strchr(proto, '-') + 1);
		return 0;
	}
	if (strchr(proto, '-') == NULL)
		return version_fail(ssh, ERR_NO_PROTOCOL_VERSION,
		    ssh->is_server ? "Invalid SSH identification string." :
		    NULL, "Bad remote protocol version identification: "
		    "'%.100s'", line);
	return version_fail(ssh, ERR_PROTOCOL_MISMATCH,
	    ssh->is_server ? "Protocol major versions differ." : NULL,
	    "Protocol major versions differ: 2 vs. %c (%s)",
	    proto[0] != '\0' ? proto[0] : '?', ssh->peer_desc);
}

/* One line of the peer's side of the version exchange. */
static int
version_line(struct ssh *ssh, const char *line, size_t len)
{
	if (memchr(line, '\0', len) != NULL)
		return version_fail(ssh, ERR_NO_PROTOCOL_VERSION, NULL,
		    "banner line contains invalid characters from %s",
		    ssh->peer_desc);
	if (len >= 4 && strncmp(line, "SSH-", 4) == 0) {
		if (len + 2 > PACKET_VERSION_MAX_LEN)
			return version_fail(ssh, ERR_NO_PROTOCOL_VERSION,
			    NULL, "version line too long from %s",
			    ssh->peer_desc);
		return version_check(ssh, line);
	}
	/* RFC 4253 4.2: only the server may send other lines first. */
	if (ssh->is_server)
		return version_fail(ssh, ERR_NO_PROTOCOL_VERSION,
		    "Invalid SSH identification string.",
		    "%s sent invalid protocol identifier \"%.256s\"",
		    ssh->peer_desc, line);
	if (++ssh->banner_lines > PACKET_BANNER_LINES_MAX)
		return version_fail(ssh, ERR_NO_PROTOCOL_VERSION, NULL,
		    "too many banner lines from %s", ssh->peer_desc);
	debug("banner line %u: %s", ssh->banner_lines - 1, line);
	return 0;
}

/* A line without its end that is already longer than allowed. */
static int
version_too_long(struct ssh *ssh)
{
	return version_fail(ssh, ERR_NO_PROTOCOL_VERSION,
	    ssh->is_server ? "Invalid SSH identification string." : NULL,
	    "banner line too long from %s", ssh->peer_desc);
}

int
packet_version_process(struct ssh *ssh)
{
	char line[PACKET_BANNER_LINE_MAX + 1];
	size_t off, len, max;
	int r;

	max = ssh->is_server ? PACKET_VERSION_MAX_LEN : PACKET_BANNER_LINE_MAX;
	while (!ssh->version_done) {
		if (buf_find(ssh->input, 0, "\n", 1, &off) != 0) {
			if (buf_len(ssh->input) >= max)
				return version_too_long(ssh);
			if (!ssh->eof)
				return 0;
			ssh->closed = 1;
			logit("Connection closed by %s during banner exchange",
			    ssh->peer_desc);
			return ERR_CONN_CLOSED;
		}
		if (off + 1 > max)
			return version_fail(ssh, ERR_NO_PROTOCOL_VERSION,
			    NULL, "banner line too long from %s",
			    ssh->peer_desc);
		if ((r = buf_get(ssh->input, line, off + 1)) != 0)
			return r;
		len = off;
		if (len > 0 && line[len - 1] == '\r')
			len--;
		line[len] = '\0';
		if ((r = version_line(ssh, line, len)) != 0)
			return r;
		if (ssh->peer_version != NULL)
			ssh->version_done = 1;
	}
	return kex_send_first(ssh);
}
