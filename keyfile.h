/*
 * keyfile.h: private and public key files.
 *
 * Formats read: OpenSSH's own ("-----BEGIN OPENSSH PRIVATE KEY-----",
 * openssh-key-v1; PROTOCOL.key), unencrypted or encrypted with
 * bcrypt_pbkdf + aes256-ctr (and the other ciphers OpenSSH writes there);
 * PEM (PKCS#1 RSA, SEC1 EC) and PKCS#8 private keys, encrypted or not,
 * through OpenSSL.  Formats written: openssh-key-v1 (default), PEM and
 * PKCS#8.
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
 * for unencrypted keys.  *commentp (if not NULL) gets the stored comment
 * (openssh-key-v1) or NULL (PEM/PKCS#8 have none).
 */
int keyfile_parse_private(const struct buf *blob, const char *passphrase,
    struct key **kp, char **commentp)
    __attribute__((__warn_unused_result__));
/*
 * Load the private key at path: checks permissions first (refusing a
 * file readable by group or others when it is not owned by... as OpenSSH
 * does), then parses it.
 */
int keyfile_load_private(const char *path, const char *passphrase,
    struct key **kp, char **commentp)
    __attribute__((__warn_unused_result__));
/* 1 if the file contents are a private key that needs a passphrase. */
int keyfile_is_encrypted(const struct buf *blob);
/*
 * Warn and fail with ERR_KEY_BAD_PERMISSIONS if the open file fd (named
 * path in messages) is accessible to group or others, printing OpenSSH's
 * "WARNING: UNPROTECTED PRIVATE KEY FILE!" block to stderr.
 */
int keyfile_check_perm(int fd, const char *path)
    __attribute__((__warn_unused_result__));

/*
 * Serialise private key k into out in format.  passphrase NULL or ""
 * writes an unencrypted file.  cipher (NULL: KEYFILE_DEFAULT_CIPHER) and
 * rounds (0: KEYFILE_DEFAULT_ROUNDS) apply to openssh-key-v1; comment is
 * stored there only.
 */
int keyfile_format_private(const struct key *k, struct buf *out,
    const char *passphrase, const char *comment, enum keyfile_format format,
    const char *cipher, int rounds)
    __attribute__((__warn_unused_result__));
/* keyfile_format_private, then written to path 0600 atomically. */
int keyfile_save_private(const char *path, const struct key *k,
    const char *passphrase, const char *comment, enum keyfile_format format,
    const char *cipher, int rounds)
    __attribute__((__warn_unused_result__));

/* --------------------------------------------------------- public */

/*
 * Load a public key: from the one-line file at path (type base64
 * comment); if path is a private key file, from path.pub, and failing
 * that from the public section of an openssh-key-v1 file (no passphrase
 * needed).  *commentp may be NULL.
 */
int keyfile_load_public(const char *path, struct key **kp, char **commentp)
    __attribute__((__warn_unused_result__));
/* Write "type base64 comment\n" to path (mode 0644), atomically. */
int keyfile_save_public(const char *path, const struct key *k,
    const char *comment)
    __attribute__((__warn_unused_result__));

#endif /* KEEL_KEYFILE_H */
