/*
 * keyfile.h: private and public key files.
 *
 * Formats read: OpenSSH's own ("-----BEGIN OPENSSH PRIVATE KEY-----",
 * openssh-key-v1; PROTOCOL.key), unencrypted or encrypted with
 * bcrypt_pbkdf and any cipher OpenSSH writes there (aes128/192/256-ctr,
 * aes128/192/256-cbc, 3des-cbc, aes128/256-gcm@openssh.com,
 * chacha20-poly1305@openssh.com); PEM (PKCS#1 RSA, SEC1 EC) and PKCS#8
 * private keys, encrypted or not, through OpenSSL.  Formats written:
 * openssh-key-v1 (default), PEM and PKCS#8 (AES-256-CBC when encrypted).
 *
 * Every key read passes the key module's consistency checks (its public
 * and private halves belong together); in openssh-key-v1 the clear public
 * key must also be the encrypted one, the two check integers equal (else
 * ERR_KEY_WRONG_PASSPHRASE), the padding 1, 2, 3, ... and nothing may
 * follow the encrypted section.
 *
 * Private key files are written 0600 atomically (temp file + rename).
 * int results are 0 or a negative ERR_* code; a wrong passphrase is
 * ERR_KEY_WRONG_PASSPHRASE, a file readable by others is
 * ERR_KEY_BAD_PERMISSIONS (after the "UNPROTECTED PRIVATE KEY FILE!"
 * warning is printed by keyfile_check_perm()).
 */
#ifndef KEEL_KEYFILE_H
#define KEEL_KEYFILE_H

#include <sys/types.h>

struct buf;
struct key;

enum keyfile_format {
	KEYFILE_FORMAT_OPENSSH,	/* openssh-key-v1 */
	KEYFILE_FORMAT_PEM,	/* PKCS#1 for RSA, SEC1 for EC; Ed25519 has
				 * no PEM form and is written as PKCS#8 */
	KEYFILE_FORMAT_PKCS8
};

#define KEYFILE_DEFAULT_CIPHER	"aes256-ctr"
#define KEYFILE_DEFAULT_ROUNDS	16

/* --------------------------------------------------------- private */

/*
 * Parse a private key file's contents.  passphrase may be NULL or ""
 * for unencrypted keys (it is ignored for them); an encrypted key without
 * one is ERR_KEY_WRONG_PASSPHRASE, an openssh-key-v1 cipher or kdf we do
 * not know ERR_KEY_UNKNOWN_CIPHER, a damaged file ERR_INVALID_FORMAT (or
 * another parse error).  *commentp (if not NULL) gets the stored comment
 * (openssh-key-v1) or NULL (PEM/PKCS#8 have none).  Outputs are set only
 * on success.
 */
int keyfile_parse_private(const struct buf *blob, const char *passphrase,
    struct key **kp, char **commentp)
    __attribute__((__warn_unused_result__));
/*
 * Load the private key at path: checks permissions first with
 * keyfile_check_perm(), then parses it as keyfile_parse_private() does.
 * A file that cannot be opened or read is ERR_ERRNO (errno set).
 */
int keyfile_load_private(const char *path, const char *passphrase,
    struct key **kp, char **commentp)
    __attribute__((__warn_unused_result__));
/* 1 if the file contents are a private key that needs a passphrase. */
int keyfile_is_encrypted(const struct buf *blob);
/*
 * Warn and fail with ERR_KEY_BAD_PERMISSIONS if the open file fd (named
 * path in messages) is owned by the current (real) uid and accessible to
 * group or others (mode & 077), logging OpenSSH's "WARNING: UNPROTECTED
 * PRIVATE KEY FILE!" block word for word with error() (stderr in the
 * command line tools).  Files owned by another user are not checked, as
 * in OpenSSH; root's own files are.  ERR_ERRNO if fstat fails.
 */
int keyfile_check_perm(int fd, const char *path)
    __attribute__((__warn_unused_result__));

/*
 * Serialise private key k (which must hold private material) and append
 * it to out in format.  passphrase NULL or "" writes an unencrypted file.
 * cipher (NULL: KEYFILE_DEFAULT_CIPHER; unknown: ERR_KEY_UNKNOWN_CIPHER)
 * and rounds (0: KEYFILE_DEFAULT_ROUNDS; negative: ERR_INVALID_ARGUMENT)
 * apply to openssh-key-v1 only; comment (may be NULL) is stored there
 * only.  Ed25519 keys asked for in PEM are written as PKCS#8.
 */
int keyfile_format_private(const struct key *k, struct buf *out,
    const char *passphrase, const char *comment, enum keyfile_format format,
    const char *cipher, int rounds)
    __attribute__((__warn_unused_result__));
/*
 * keyfile_format_private, then written to path 0600 atomically
 * (buf_write_file: on failure path is untouched and no temporary file
 * is left behind).
 */
int keyfile_save_private(const char *path, const struct key *k,
    const char *passphrase, const char *comment, enum keyfile_format format,
    const char *cipher, int rounds)
    __attribute__((__warn_unused_result__));

/* --------------------------------------------------------- public */

/*
 * Load a public key: from the file at path if it holds a public key line
 * ("type base64 comment"; blank and # lines skipped); otherwise from
 * path.pub; failing that from the clear header of an openssh-key-v1
 * private key at path (no passphrase needed; no comment: *commentp is
 * NULL).  commentp may be NULL.  The last failure's code is returned.
 */
int keyfile_load_public(const char *path, struct key **kp, char **commentp)
    __attribute__((__warn_unused_result__));
/* Write "type base64 comment\n" to path (mode 0644), atomically. */
int keyfile_save_public(const char *path, const struct key *k,
    const char *comment)
    __attribute__((__warn_unused_result__));

/* --------------------------------------------------------- PEM, PKCS#8 */

/*
 * The OpenSSL half, used by the functions above (keyfile-pem.c).
 * keyfile_pem_parse reads a PEM (PKCS#1, SEC1) or PKCS#8 private key; an
 * encrypted one needs passphrase, and a wrong (or missing) passphrase is
 * ERR_KEY_WRONG_PASSPHRASE while damaged armor or structure is
 * ERR_INVALID_FORMAT.  keyfile_pem_format appends k in format (PEM or
 * PKCS8), encrypted with AES-256-CBC when passphrase is not NULL or "".
 */
int keyfile_pem_parse(const struct buf *blob, const char *passphrase,
    struct key **kp)
    __attribute__((__warn_unused_result__));
int keyfile_pem_format(const struct key *k, struct buf *out,
    const char *passphrase, enum keyfile_format format)
    __attribute__((__warn_unused_result__));
/* 1 if blob is a PEM or PKCS#8 private key encrypted with a passphrase. */
int keyfile_pem_is_encrypted(const struct buf *blob);

#endif /* KEEL_KEYFILE_H */
