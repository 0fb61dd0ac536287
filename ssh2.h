/*
 * ssh2.h: SSH-2 message numbers and disconnect reason codes.
 *
 * Numbers from RFC 4250 section 4.1 (transport, user authentication and
 * connection protocols), RFC 4419 (group exchange), RFC 5656 (ECDH),
 * RFC 8308 (extension negotiation) and OpenSSH's PROTOCOL (ping).  Only
 * constants live here; the modules that speak each layer own the code.
 */
#ifndef KEEL_SSH2_H
#define KEEL_SSH2_H

/* ------------------------------------------------ ranges (RFC 4251 7) */

#define SSH2_MSG_TRANSPORT_MIN			1
#define SSH2_MSG_TRANSPORT_GENERIC_MAX		19
#define SSH2_MSG_KEX_MIN			20
#define SSH2_MSG_KEX_MAX			49
#define SSH2_MSG_USERAUTH_MIN			50
#define SSH2_MSG_USERAUTH_MAX			79
#define SSH2_MSG_USERAUTH_PER_METHOD_MIN	60
#define SSH2_MSG_CONNECTION_MIN			80
#define SSH2_MSG_CONNECTION_MAX			127
#define SSH2_MSG_RESERVED_MIN			128
#define SSH2_MSG_RESERVED_MAX			191
#define SSH2_MSG_LOCAL_MIN			192
#define SSH2_MSG_LOCAL_MAX			255

/* ------------------------------------------------ transport (RFC 4253) */

#define SSH2_MSG_NONE				0	/* no message */
#define SSH2_MSG_DISCONNECT			1
#define SSH2_MSG_IGNORE				2
#define SSH2_MSG_UNIMPLEMENTED			3
#define SSH2_MSG_DEBUG				4
#define SSH2_MSG_SERVICE_REQUEST		5
#define SSH2_MSG_SERVICE_ACCEPT			6
#define SSH2_MSG_EXT_INFO			7	/* RFC 8308 */
#define SSH2_MSG_NEWCOMPRESS			8	/* RFC 8308 */
#define SSH2_MSG_KEXINIT			20
#define SSH2_MSG_NEWKEYS			21

/* Key exchange method specific (30-49): they overlap by method. */
#define SSH2_MSG_KEXDH_INIT			30
#define SSH2_MSG_KEXDH_REPLY			31
#define SSH2_MSG_KEX_ECDH_INIT			30	/* RFC 5656 */
#define SSH2_MSG_KEX_ECDH_REPLY			31
#define SSH2_MSG_KEX_HYBRID_INIT		30	/* PQ hybrids */
#define SSH2_MSG_KEX_HYBRID_REPLY		31
#define SSH2_MSG_KEX_DH_GEX_REQUEST_OLD		30	/* RFC 4419 */
#define SSH2_MSG_KEX_DH_GEX_GROUP		31
#define SSH2_MSG_KEX_DH_GEX_INIT		32
#define SSH2_MSG_KEX_DH_GEX_REPLY		33
#define SSH2_MSG_KEX_DH_GEX_REQUEST		34

/* ------------------------------------------------ user auth (RFC 4252) */

#define SSH2_MSG_USERAUTH_REQUEST		50
#define SSH2_MSG_USERAUTH_FAILURE		51
#define SSH2_MSG_USERAUTH_SUCCESS		52
#define SSH2_MSG_USERAUTH_BANNER		53
#define SSH2_MSG_USERAUTH_PK_OK			60	/* publickey */
#define SSH2_MSG_USERAUTH_PASSWD_CHANGEREQ	60	/* password */
#define SSH2_MSG_USERAUTH_INFO_REQUEST		60	/* RFC 4256 */
#define SSH2_MSG_USERAUTH_INFO_RESPONSE		61

/* ------------------------------------------------ connection (RFC 4254) */

#define SSH2_MSG_GLOBAL_REQUEST			80
#define SSH2_MSG_REQUEST_SUCCESS		81
#define SSH2_MSG_REQUEST_FAILURE		82
#define SSH2_MSG_CHANNEL_OPEN			90
#define SSH2_MSG_CHANNEL_OPEN_CONFIRMATION	91
#define SSH2_MSG_CHANNEL_OPEN_FAILURE		92
#define SSH2_MSG_CHANNEL_WINDOW_ADJUST		93
#define SSH2_MSG_CHANNEL_DATA			94
#define SSH2_MSG_CHANNEL_EXTENDED_DATA		95
#define SSH2_MSG_CHANNEL_EOF			96
#define SSH2_MSG_CHANNEL_CLOSE			97
#define SSH2_MSG_CHANNEL_REQUEST		98
#define SSH2_MSG_CHANNEL_SUCCESS		99
#define SSH2_MSG_CHANNEL_FAILURE		100

/* ------------------------------------------------ OpenSSH PROTOCOL 1.9 */

#define SSH2_MSG_PING				192
#define SSH2_MSG_PONG				193

/* ------------------------------------------------ RFC 4253 section 11.1 */

#define SSH2_DISCONNECT_HOST_NOT_ALLOWED_TO_CONNECT	1
#define SSH2_DISCONNECT_PROTOCOL_ERROR			2
#define SSH2_DISCONNECT_KEY_EXCHANGE_FAILED		3
#define SSH2_DISCONNECT_RESERVED			4
#define SSH2_DISCONNECT_MAC_ERROR			5
#define SSH2_DISCONNECT_COMPRESSION_ERROR		6
#define SSH2_DISCONNECT_SERVICE_NOT_AVAILABLE		7
#define SSH2_DISCONNECT_PROTOCOL_VERSION_NOT_SUPPORTED	8
#define SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE		9
#define SSH2_DISCONNECT_CONNECTION_LOST			10
#define SSH2_DISCONNECT_BY_APPLICATION			11
#define SSH2_DISCONNECT_TOO_MANY_CONNECTIONS		12
#define SSH2_DISCONNECT_AUTH_CANCELLED_BY_USER		13
#define SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE	14
#define SSH2_DISCONNECT_ILLEGAL_USER_NAME		15

/* ------------------------------------------------ RFC 4254 section 5.1 */

#define SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED		1
#define SSH2_OPEN_CONNECT_FAILED			2
#define SSH2_OPEN_UNKNOWN_CHANNEL_TYPE			3
#define SSH2_OPEN_RESOURCE_SHORTAGE			4

/* RFC 4254 section 5.2: extended data type for stderr. */
#define SSH2_EXTENDED_DATA_STDERR			1

#endif /* KEEL_SSH2_H */
