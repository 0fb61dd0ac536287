/*
 * buf-crypto.c: the buffer functions that take or make libcrypto
 * objects (BIGNUM, EC_POINT).  They live apart from buf.c so a program
 * that never touches keys (sftp-server, sftp, scp) links no libcrypto
 * code and, with the linker's --as-needed, does not load libcrypto at
 * all.  The wire format work is buf.c's (buf_put_bignum2_bytes,
 * buf_get_bignum2_bytes_direct, strings); here only the conversion.
 */
#include "includes.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>

#include "buf.h"
#include "errcode.h"

int
buf_put_bignum2(struct buf *b, const BIGNUM *v)
{
	u_char tmp[BUF_BIGNUM_MAX_BYTES];
	int n, r = ERR_INTERNAL;

	if (v == NULL)
		return ERR_INVALID_ARGUMENT;
	if (BN_is_negative(v))
		return ERR_BIGNUM_IS_NEGATIVE;
	if ((n = BN_num_bytes(v)) < 0 || n > (int)sizeof(tmp))
		return ERR_BIGNUM_TOO_LARGE;
	if (BN_bn2bin(v, tmp) != n) {
		ERR_clear_error();
		r = ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	r = buf_put_bignum2_bytes(b, tmp, (size_t)n);
 out:
	explicit_bzero(tmp, sizeof(tmp));	/* may be a secret */
	return r;
}

int
buf_put_ec(struct buf *b, const EC_POINT *v, const EC_GROUP *g)
{
	u_char tmp[BUF_ECPOINT_MAX_BYTES];
	size_t len;
	int r = ERR_INTERNAL;

	if (v == NULL || g == NULL)
		return ERR_INVALID_ARGUMENT;
	/* Readers take the uncompressed form only, so that is all we write. */
	if (EC_POINT_is_at_infinity(g, v))
		return ERR_KEY_INVALID_EC_VALUE;
	len = EC_POINT_point2oct(g, v, POINT_CONVERSION_UNCOMPRESSED,
	    NULL, 0, NULL);
	if (len == 0) {
		ERR_clear_error();
		return ERR_LIBCRYPTO_ERROR;
	}
	if (len > sizeof(tmp))
		return ERR_ECPOINT_TOO_LARGE;
	if (EC_POINT_point2oct(g, v, POINT_CONVERSION_UNCOMPRESSED,
	    tmp, len, NULL) != len) {
		ERR_clear_error();
		r = ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	r = buf_put_string(b, tmp, len);
 out:
	explicit_bzero(tmp, sizeof(tmp));
	return r;
}

/*
 * The checks (sign, size, padding) are buf_get_bignum2_bytes_direct's.
 * The mpint is consumed before the BIGNUM is made, so b has moved on
 * even when that allocation fails; the caller's parse fails anyway.
 */
int
buf_get_bignum2(struct buf *b, BIGNUM **valp)
{
	const u_char *p;
	BIGNUM *v;
	size_t len;
	int r;

	if (valp != NULL)
		*valp = NULL;
	if ((r = buf_get_bignum2_bytes_direct(b, &p, &len)) != 0)
		return r;
	if (valp == NULL)
		return 0;
	/* p points into b's storage, which consuming does not release. */
	if ((v = BN_bin2bn(p, (int)len, NULL)) == NULL) {
		ERR_clear_error();
		return ERR_ALLOC_FAIL;
	}
	*valp = v;
	return 0;
}

int
buf_get_ec(struct buf *b, EC_POINT *v, const EC_GROUP *g)
{
	const u_char *p;
	EC_POINT *pt = NULL;
	size_t len;
	int r = ERR_INTERNAL;

	if (v == NULL || g == NULL)
		return ERR_INVALID_ARGUMENT;
	if (EC_POINT_set_to_infinity(g, v) != 1) {
		ERR_clear_error();
		return ERR_LIBCRYPTO_ERROR;
	}
	if ((r = buf_peek_string_direct(b, &p, &len)) != 0)
		return r;
	if (len > BUF_ECPOINT_MAX_BYTES)
		return ERR_ECPOINT_TOO_LARGE;
	/* SSH uses the uncompressed form (SEC1 2.3.3) only. */
	if (len == 0 || p[0] != POINT_CONVERSION_UNCOMPRESSED)
		return ERR_INVALID_FORMAT;
	if ((pt = EC_POINT_new(g)) == NULL) {
		r = ERR_ALLOC_FAIL;
		goto out;
	}
	/* Decode into a scratch point: v changes only on success. */
	if (EC_POINT_oct2point(g, pt, p, len, NULL) != 1) {
		r = ERR_KEY_INVALID_EC_VALUE;
		goto out;
	}
	if (EC_POINT_copy(v, pt) != 1) {
		r = ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	if ((r = buf_consume(b, 4 + len)) != 0)
		goto out;
	r = 0;
 out:
	if (r != 0)
		ERR_clear_error();
	EC_POINT_clear_free(pt);
	return r;
}
