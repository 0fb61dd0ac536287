/*
 * errcode.h: the one vocabulary of error codes used by library code.
 *
 * 0 is success; every failure is one of the negative codes below.  Library
 * functions return them; programs turn them into messages with errcode_str().
 * ERR_ERRNO means "look at errno", which the failing function leaves
 * set; errcode_str() then describes errno.
 */
#ifndef KEEL_ERRCODE_H
#define KEEL_ERRCODE_H

#define ERR_SUCCESS			0
#define ERR_INTERNAL			-1	/* a bug: should not happen */
#define ERR_ALLOC_FAIL			-2
#define ERR_MESSAGE_INCOMPLETE		-3	/* ran out of input */
#define ERR_INVALID_FORMAT		-4
#define ERR_BIGNUM_IS_NEGATIVE		-5
#define ERR_STRING_TOO_LARGE		-6
#define ERR_BIGNUM_TOO_LARGE		-7
#define ERR_ECPOINT_TOO_LARGE		-8
#define ERR_NO_BUFFER_SPACE		-9
#define ERR_INVALID_ARGUMENT		-10
#define ERR_KEY_BITS_MISMATCH		-11
#define ERR_EC_CURVE_INVALID		-12
#define ERR_KEY_TYPE_MISMATCH		-13
#define ERR_KEY_TYPE_UNKNOWN		-14
#define ERR_EC_CURVE_MISMATCH		-15
#define ERR_EXPECTED_CERT		-16
#define ERR_KEY_LACKS_CERTBLOB		-17
#define ERR_KEY_CERT_UNKNOWN_TYPE	-18
#define ERR_KEY_CERT_INVALID_SIGN_KEY	-19
#define ERR_KEY_INVALID_EC_VALUE	-20
#define ERR_SIGNATURE_INVALID		-21
#define ERR_LIBCRYPTO_ERROR		-22
#define ERR_UNEXPECTED_TRAILING_DATA	-23
#define ERR_ERRNO			-24	/* see errno (openssl/err.h
					 * owns ERR_SYSTEM_ERROR) */
#define ERR_KEY_CERT_INVALID		-25
#define ERR_AGENT_COMMUNICATION		-26
#define ERR_AGENT_FAILURE		-27
#define ERR_DH_GEX_OUT_OF_RANGE		-28
#define ERR_DISCONNECTED		-29
#define ERR_MAC_INVALID			-30
#define ERR_NO_CIPHER_ALG_MATCH		-31
#define ERR_NO_MAC_ALG_MATCH		-32
#define ERR_NO_COMPRESS_ALG_MATCH	-33
#define ERR_NO_KEX_ALG_MATCH		-34
#define ERR_NO_HOSTKEY_ALG_MATCH	-35
#define ERR_NO_HOSTKEY_LOADED		-36
#define ERR_PROTOCOL_MISMATCH		-37
#define ERR_NO_PROTOCOL_VERSION		-38
#define ERR_NEED_REKEY			-39
#define ERR_PASSPHRASE_TOO_SHORT	-40
#define ERR_FILE_CHANGED		-41
#define ERR_KEY_UNKNOWN_CIPHER		-42
#define ERR_KEY_WRONG_PASSPHRASE	-43
#define ERR_KEY_BAD_PERMISSIONS		-44
#define ERR_KEY_CERT_MISMATCH		-45
#define ERR_KEY_NOT_FOUND		-46
#define ERR_AGENT_NOT_PRESENT		-47
#define ERR_AGENT_NO_IDENTITIES		-48
#define ERR_BUFFER_READ_ONLY		-49
#define ERR_KRL_BAD_MAGIC		-50
#define ERR_KEY_REVOKED			-51
#define ERR_CONN_CLOSED			-52
#define ERR_CONN_TIMEOUT		-53
#define ERR_CONN_CORRUPT		-54
#define ERR_PROTOCOL_ERROR		-55
#define ERR_KEY_LENGTH			-56	/* key size out of range */
#define ERR_NUMBER_TOO_LARGE		-57
#define ERR_SIGN_ALG_UNSUPPORTED	-58
#define ERR_FEATURE_UNSUPPORTED		-59
#define ERR_NOT_FOUND			-60	/* a named thing does not exist */
#define ERR_BAD_PATTERN			-61
#define ERR_CONFIG_INVALID		-62
#define ERR_PEER_UID			-63	/* peer credentials refused */
#define ERR_INTERRUPTED			-64
#define ERR_ERRCODE_MAX			-64	/* the lowest code */

/* A static, never NULL, description of code r (0 or a negative code). */
const char *errcode_str(int r);

#endif /* KEEL_ERRCODE_H */
