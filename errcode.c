/* errcode.c: descriptions of the library error codes (errcode.h). */
#include "includes.h"

#include "errcode.h"

static const char *const errcode_strs[] = {
	[0] = "success",
	[-ERR_INTERNAL] = "unexpected internal error",
	[-ERR_ALLOC_FAIL] = "memory allocation failed",
	[-ERR_MESSAGE_INCOMPLETE] = "incomplete message",
	[-ERR_INVALID_FORMAT] = "invalid format",
	[-ERR_BIGNUM_IS_NEGATIVE] = "bignum is negative",
	[-ERR_STRING_TOO_LARGE] = "string is too large",
	[-ERR_BIGNUM_TOO_LARGE] = "bignum is too large",
	[-ERR_ECPOINT_TOO_LARGE] = "elliptic curve point is too large",
	[-ERR_NO_BUFFER_SPACE] = "insufficient buffer space",
	[-ERR_INVALID_ARGUMENT] = "invalid argument",
	[-ERR_KEY_BITS_MISMATCH] = "key bits do not match",
	[-ERR_EC_CURVE_INVALID] = "invalid elliptic curve",
	[-ERR_KEY_TYPE_MISMATCH] = "key type does not match",
	[-ERR_KEY_TYPE_UNKNOWN] = "unknown or unsupported key type",
	[-ERR_EC_CURVE_MISMATCH] = "elliptic curve does not match",
	[-ERR_EXPECTED_CERT] = "plain key provided where certificate required",
	[-ERR_KEY_LACKS_CERTBLOB] = "key lacks certificate data",
	[-ERR_KEY_CERT_UNKNOWN_TYPE] = "unknown/unsupported certificate type",
	[-ERR_KEY_CERT_INVALID_SIGN_KEY] = "invalid certificate signing key",
	[-ERR_KEY_INVALID_EC_VALUE] = "invalid elliptic curve value",
	[-ERR_SIGNATURE_INVALID] = "incorrect signature",
	[-ERR_LIBCRYPTO_ERROR] = "error in libcrypto",
	[-ERR_UNEXPECTED_TRAILING_DATA] = "unexpected bytes remain after decoding",
	[-ERR_ERRNO] = "system error",
	[-ERR_KEY_CERT_INVALID] = "invalid certificate",
	[-ERR_AGENT_COMMUNICATION] = "communication with agent failed",
	[-ERR_AGENT_FAILURE] = "agent refused operation",
	[-ERR_DH_GEX_OUT_OF_RANGE] = "DH GEX group out of range",
	[-ERR_DISCONNECTED] = "disconnected",
	[-ERR_MAC_INVALID] = "message authentication code incorrect",
	[-ERR_NO_CIPHER_ALG_MATCH] = "no matching cipher found",
	[-ERR_NO_MAC_ALG_MATCH] = "no matching MAC found",
	[-ERR_NO_COMPRESS_ALG_MATCH] = "no matching compression method found",
	[-ERR_NO_KEX_ALG_MATCH] = "no matching key exchange method found",
	[-ERR_NO_HOSTKEY_ALG_MATCH] = "no matching host key type found",
	[-ERR_NO_HOSTKEY_LOADED] = "no host key loaded",
	[-ERR_PROTOCOL_MISMATCH] = "protocol version mismatch",
	[-ERR_NO_PROTOCOL_VERSION] = "could not read protocol version",
	[-ERR_NEED_REKEY] = "rekeying not supported by peer",
	[-ERR_PASSPHRASE_TOO_SHORT] = "passphrase is too short (minimum five characters)",
	[-ERR_FILE_CHANGED] = "file changed while reading",
	[-ERR_KEY_UNKNOWN_CIPHER] = "key encrypted using unsupported cipher",
	[-ERR_KEY_WRONG_PASSPHRASE] =
	    "incorrect passphrase supplied to decrypt private key",
	[-ERR_KEY_BAD_PERMISSIONS] = "bad permissions",
	[-ERR_KEY_CERT_MISMATCH] = "certificate does not match key",
	[-ERR_KEY_NOT_FOUND] = "key not found",
	[-ERR_AGENT_NOT_PRESENT] = "agent not present",
	[-ERR_AGENT_NO_IDENTITIES] = "agent contains no identities",
	[-ERR_BUFFER_READ_ONLY] = "internal error: buffer is read-only",
	[-ERR_KRL_BAD_MAGIC] = "KRL file has invalid magic number",
	[-ERR_KEY_REVOKED] = "key is revoked",
	[-ERR_CONN_CLOSED] = "connection closed",
	[-ERR_CONN_TIMEOUT] = "connection timed out",
	[-ERR_CONN_CORRUPT] = "connection corrupted",
	[-ERR_PROTOCOL_ERROR] = "protocol error",
	[-ERR_KEY_LENGTH] = "invalid key length",
	[-ERR_NUMBER_TOO_LARGE] = "number is too large",
	[-ERR_SIGN_ALG_UNSUPPORTED] = "signature algorithm not supported",
	[-ERR_FEATURE_UNSUPPORTED] = "requested feature not supported",
	[-ERR_NOT_FOUND] = "not found",
	[-ERR_BAD_PATTERN] = "invalid pattern",
	[-ERR_CONFIG_INVALID] = "invalid configuration",
	[-ERR_PEER_UID] = "peer credentials refused",
	[-ERR_INTERRUPTED] = "interrupted",
};

const char *
errcode_str(int r)
{
	size_t i;

	if (r == ERR_ERRNO)
		return strerror(errno);
	if (r > 0 || r < ERR_ERRCODE_MAX)
		return "unknown error";
	i = (size_t)-r;
	if (i >= sizeof(errcode_strs) / sizeof(errcode_strs[0]) ||
	    errcode_strs[i] == NULL)
		return "unknown error";
	return errcode_strs[i];
}
