/*
 * keygen-convert.c: ssh-keygen -e (export a public key) and -i (import
 * one), in the formats of -m:
 *   RFC4716  the SSH public key file format (RFC 4716): BEGIN/END
 *            markers, "Tag: value" headers (a trailing backslash
 *            continues one), then the public blob in base64;
 *   PKCS8    a PEM SubjectPublicKeyInfo ("BEGIN PUBLIC KEY", RFC 5280);
 *   PEM      a PEM PKCS#1 RSAPublicKey ("BEGIN RSA PUBLIC KEY", RFC 8017
 *            appendix A.1.1); other types as PKCS8, like OpenSSH.
 * Messages (including their "do_convert_*" prefixes) are OpenSSH's.
 */
#include "includes.h"

#include <openssl/bio.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "buf.h"
#include "errcode.h"
#include "keygen.h"
#include "log.h"
#include "xmalloc.h"

#define RFC4716_BEGIN	"---- BEGIN SSH2 PUBLIC KEY ----"
#define RFC4716_END	"---- END SSH2 PUBLIC KEY ----"
#define RFC4716_WIDTH	70	/* RFC 4716 3.3: lines of at most 72 */
#define PKCS1_PUBLIC_BEGIN	"-----BEGIN RSA PUBLIC KEY-----"
#define SSHCOM_PRIVATE_MAGIC	0x3f6ff9ebU

/* ---------------------------------------------------------- export */

static void
export_rfc4716(const struct keygen *kg, const struct key *k)
{
	struct buf *blob;
	char *b64;
	size_t i, len;
	int r;

	if ((blob = buf_new()) == NULL)
		fatal("buf_new failed");
	if ((r = key_putb(k, blob)) != 0)
		fatal("do_convert_to_ssh2: key_putb: %s", errcode_str(r));
	if ((b64 = buf_dtob64_string(blob, 0)) == NULL)
		fatal("do_convert_to_ssh2: base64 encoding failed");
	printf("%s\n", RFC4716_BEGIN);
	printf("Comment: \"%u-bit %s, converted by %s@%s from OpenSSH\"\n",
	    key_size(k), key_type_short(k), kg->user, kg->host);
	len = strlen(b64);
	for (i = 0; i < len; i += RFC4716_WIDTH)
		printf("%.*s\n", (int)MINIMUM(RFC4716_WIDTH, len - i),
		    b64 + i);
	printf("%s\n", RFC4716_END);
	free(b64);
	buf_free(blob);
}

/* Write k's public half to stdout as PEM in the given structure. */
static int
write_public_pem(const struct key *k, const char *structure)
{
	OSSL_ENCODER_CTX *ctx = NULL;
	BIO *bio = NULL;
	int ok = 0;

	fflush(stdout);
	if ((bio = BIO_new_fp(stdout, BIO_NOCLOSE)) == NULL)
		goto out;
	ctx = OSSL_ENCODER_CTX_new_for_pkey(key_evp(k), EVP_PKEY_PUBLIC_KEY,
	    "PEM", structure, NULL);
	if (ctx == NULL || OSSL_ENCODER_CTX_get_num_encoders(ctx) == 0)
		goto out;
	ok = OSSL_ENCODER_to_bio(ctx, bio) == 1 && BIO_flush(bio) == 1;
 out:
	OSSL_ENCODER_CTX_free(ctx);
	BIO_free(bio);
	return ok;
}

static void
export_pkcs8(const struct key *k)
{
	if (key_type(k) != KEY_RSA && key_type(k) != KEY_ECDSA)
		fatal("do_convert_to_pkcs8: unsupported key type %s",
		    key_type_short(k));
	if (!write_public_pem(k, "SubjectPublicKeyInfo"))
		fatal("PEM_write_PUBKEY failed");
}

static void
export_pem(const struct key *k)
{
	switch (key_type(k)) {
	case KEY_RSA:
		if (!write_public_pem(k, "type-specific"))
			fatal("PEM_write_RSAPublicKey failed");
		break;
	case KEY_ECDSA:
		if (!write_public_pem(k, "SubjectPublicKeyInfo"))
			fatal("PEM_write_PUBKEY failed");
		break;
	default:
		fatal("do_convert_to_pem: unsupported key type %s",
		    key_type_short(k));
	}
}

void
keygen_do_export(struct keygen *kg)
{
	struct key *k = NULL;

	if (kg->identity_file == NULL)
		keygen_ask_filename(kg, "Enter file in which the key is");
	keygen_require_file(kg->identity_file, 1);
	if (keygen_load_public(kg->identity_file, &k, NULL) != 0)
		k = keygen_load_identity(kg, kg->identity_file, NULL);
	switch (kg->convert_format) {
	case KEYGEN_FMT_RFC4716:
		export_rfc4716(kg, k);
		break;
	case KEYGEN_FMT_PKCS8:
		export_pkcs8(k);
		break;
	case KEYGEN_FMT_PEM:
		export_pem(k);
		break;
	}
	key_free(k);
	exit(0);
}

/* ---------------------------------------------------------- import */

/*
 * The base64 body of an RFC 4716 file: marker lines ("---- ...") and
 * header lines (they hold a ':', which base64 never does), with their
 * backslash continuation lines, are left out; the rest is joined.
 */
static struct buf *
rfc4716_body(char *text)
{
	struct buf *b64;
	char *cursor = text, *line;
	size_t len;
	int continued = 0, r;

	if ((b64 = buf_new()) == NULL)
		fatal("buf_new failed");
	while ((line = keygen_next_line(&cursor)) != NULL) {
		len = strlen(line);
		if (continued) {
			continued = len > 0 && line[len - 1] == '\\';
			continue;
		}
		if (strncmp(line, "----", 4) == 0) {
			if (strstr(line, " END ") != NULL)
				break;
			continue;
		}
		if (strchr(line, ':') != NULL) {
			continued = len > 0 && line[len - 1] == '\\';
			continue;
		}
		if ((r = buf_put(b64, line, len)) != 0)
			fatal("do_convert_from_ssh2: %s", errcode_str(r));
	}
	if ((r = buf_put_u8(b64, 0)) != 0)
		fatal("do_convert_from_ssh2: %s", errcode_str(r));
	return b64;
}

static struct key *
import_rfc4716(char *text)
{
	struct buf *b64, *blob;
	struct key *k = NULL;
	uint32_t magic;
	char *s;
	int r;

	b64 = rfc4716_body(text);
	if ((s = buf_dup_string(b64)) == NULL)
		fatal("do_convert_from_ssh2: base64 decode: %s",
		    errcode_str(ERR_INVALID_FORMAT));
	buf_free(b64);
	if ((blob = buf_new()) == NULL)
		fatal("buf_new failed");
	if (buf_b64tod(blob, s) != 0)
		fatal("do_convert_from_ssh2: base64 decode: %s",
		    errcode_str(ERR_INVALID_FORMAT));
	free(s);
	if (buf_peek_u32(blob, 0, &magic) == 0 &&
	    magic == SSHCOM_PRIVATE_MAGIC)
		fatal("do_convert_from_ssh2: ssh.com private keys are "
		    "not supported");
	if ((r = key_fromb(blob, &k)) != 0) {
		debug("key_fromb: %s", errcode_str(r));
		fatal("do_convert_from_ssh2: parse key: %s",
		    errcode_str(ERR_INVALID_FORMAT));
	}
	buf_free(blob);
	return k;
}

/* A PEM public key of the given structure (NULL: any) and key type. */
static struct key *
decode_public_pem(const struct buf *file, const char *structure,
    const char *keytype)
{
	OSSL_DECODER_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	struct key *k = NULL;
	BIO *bio = NULL;

	if ((bio = BIO_new_mem_buf(buf_ptr(file), (int)buf_len(file))) ==
	    NULL)
		goto out;
	ctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, "PEM", structure, keytype,
	    EVP_PKEY_PUBLIC_KEY, NULL, NULL);
	if (ctx == NULL || OSSL_DECODER_from_bio(ctx, bio) != 1 ||
	    pkey == NULL)
		goto out;
	if (key_from_evp(pkey, &k) != 0)
		k = NULL;
 out:
	EVP_PKEY_free(pkey);
	OSSL_DECODER_CTX_free(ctx);
	BIO_free(bio);
	return k;
}

static struct key *
import_pkcs8(const struct buf *file, const char *path)
{
	struct key *k;

	if ((k = decode_public_pem(file, "SubjectPublicKeyInfo", NULL)) ==
	    NULL &&
	    (k = decode_public_pem(file, "type-specific", "RSA")) == NULL)
		fatal("do_convert_from_pkcs8: %s is not a recognised public "
		    "key format", path);
	return k;
}

static struct key *
import_pem(const struct buf *file)
{
	struct key *k = NULL;
	size_t off;

	/* Only a PKCS#1 block: OpenSSH refuses SubjectPublicKeyInfo here. */
	if (buf_find(file, 0, PKCS1_PUBLIC_BEGIN, strlen(PKCS1_PUBLIC_BEGIN),
	    &off) == 0)
		k = decode_public_pem(file, "type-specific", "RSA");
	if (k == NULL)
		fatal("do_convert_from_pem: unrecognised raw private key "
		    "format");
	return k;
}

void
keygen_do_import(struct keygen *kg)
{
	struct buf *file = NULL;
	struct key *k = NULL;
	char *text, *line = NULL;
	int r;

	if (kg->identity_file == NULL)
		keygen_ask_filename(kg, "Enter file in which the key is");
	keygen_require_file(kg->identity_file, 1);
	if ((r = buf_load_file(kg->identity_file, &file)) != 0)
		fatal("%s: %s: %s", keygen_progname, kg->identity_file,
		    errcode_str(r));
	switch (kg->convert_format) {
	case KEYGEN_FMT_RFC4716:
		if ((text = buf_dup_string(file)) == NULL)
			fatal("do_convert_from_ssh2: base64 decode: %s",
			    errcode_str(ERR_INVALID_FORMAT));
		k = import_rfc4716(text);
		free(text);
		break;
	case KEYGEN_FMT_PKCS8:
		k = import_pkcs8(file, kg->identity_file);
		break;
	case KEYGEN_FMT_PEM:
		k = import_pem(file);
		break;
	}
	buf_free(file);
	if ((r = key_format_public(k, &line)) != 0)
		fatal("key_format_public: %s", errcode_str(r));
	printf("%s\n", line);
	free(line);
	key_free(k);
	exit(0);
}
