/*
 * sftp-common.h: SFTP pieces shared by the client and the server: the
 * file attributes (ATTRS) codec, status texts, the errno to status map
 * and the "ls -l" style long names of NAME replies.
 *
 * Library code: nothing here exits or calls xmalloc.  int results are 0
 * or a negative ERR_* code (errcode.h).
 */
#ifndef KEEL_SFTP_COMMON_H
#define KEEL_SFTP_COMMON_H

#include <sys/types.h>
#include <sys/stat.h>
#include <stdint.h>
#include <time.h>

struct buf;

/*
 * The ATTRS of draft-02 section 5.  A field is meaningful only when its
 * SSH2_FILEXFER_ATTR_* bit is set in flags.  Extended (name, value) pairs
 * are checked for well-formedness and skipped when decoding, and never
 * sent: flags never carries SSH2_FILEXFER_ATTR_EXTENDED after a decode.
 */
struct sftp_attrs {
	uint32_t flags;
	uint64_t size;
	uint32_t uid;
	uint32_t gid;
	uint32_t perm;
	uint32_t atime;
	uint32_t mtime;
};

/* All fields zero, no flags. */
void sftp_attrs_clear(struct sftp_attrs *a);
/* Size, owner, full st_mode and times of st; all four flags set. */
void sftp_attrs_from_stat(const struct stat *st, struct sftp_attrs *a);
/*
 * The fields present in a, written over a zeroed *st (fields absent
 * from a stay 0).
 */
void sftp_attrs_to_stat(const struct sftp_attrs *a, struct stat *st);

/*
 * Read one ATTRS from b into *a (cleared first, set only on success).
 * Unknown flag bits are ignored (they carry no fields in version 3); at
 * most SFTP_MAX_EXTENDED_ATTRS extended pairs are accepted.
 * ERR_MESSAGE_INCOMPLETE when b ends early, ERR_INVALID_FORMAT for too
 * many extended pairs; after a failure the read position in b is
 * unspecified (the packet is unusable anyway).
 */
int sftp_attrs_decode(struct buf *b, struct sftp_attrs *a)
    __attribute__((__warn_unused_result__));
/* Append a as ATTRS (the EXTENDED bit is never written). */
int sftp_attrs_encode(struct buf *b, const struct sftp_attrs *a)
    __attribute__((__warn_unused_result__));

/*
 * The text of an SSH2_FX_* status code ("No such file"), as OpenSSH
 * prints it; "Unknown status" for codes beyond SSH2_FX_MAX.  Static.
 */
const char *sftp_status_text(uint32_t code);

/*
 * The SSH2_FX_* code that stands for errno value errnum: no such file
 * for ENOENT, ENOTDIR, EBADF and ELOOP; permission denied for EPERM,
 * EACCES and EFAULT; bad message for ENAMETOOLONG and EINVAL; op
 * unsupported for ENOSYS and ENOTSUP; failure for anything else.
 */
uint32_t sftp_errno_to_status(int errnum);

/*
 * "drwxr-xr-x" for mode into out (11 bytes with the NUL): the file type
 * letter, then the permission triplets with s/S and t/T for set-id and
 * sticky bits.
 */
#define SFTP_MODE_STRING_LEN	11
void sftp_mode_string(mode_t mode, char *out);

/*
 * Append to b the "ls -l" style long name of a NAME reply entry:
 *   -rw-r--r--    1 user     group        1234 Jan  1 12:34 name
 * user and group are printed as given (callers fall back to numbers);
 * a date within six months before now shows the time, others the year.
 */
int sftp_ls_long(struct buf *b, const char *name, const struct stat *st,
    const char *user, const char *group, time_t now)
    __attribute__((__warn_unused_result__));

#endif /* KEEL_SFTP_COMMON_H */
