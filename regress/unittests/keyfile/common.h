/* Shared helpers of the keyfile unit tests. */
#ifndef KEEL_TEST_KEYFILE_COMMON_H
#define KEEL_TEST_KEYFILE_COMMON_H

struct buf;
struct key;

#define TEST_PASS	"keel test passphrase"

/* Key types of the vectors in regress/vectors/keys/. */
extern const char *const kf_types[];
extern const int kf_ntypes;

/* regress/vectors/keys/<name> as a new buffer (fails the test if absent). */
struct buf *kf_vector(const char *name);
/* 1 if regress/vectors/keys/<name> exists. */
int kf_vector_exists(const char *name);
/* The passphrase in <name>.pass, or NULL if there is none (static). */
const char *kf_vector_pass(const char *name);
/* The public key of <type>.pub (and its comment, if commentp). */
struct key *kf_vector_pub(const char *type, char **commentp);
/* Field 2 (the fingerprint) of the ssh-keygen -l output in <name>. */
char *kf_vector_fp(const char *name);

/* A fresh private key of one of kf_types ("ed25519", "ecdsa384", ...). */
struct key *kf_generate(const char *type);
/* Fail the test unless a and b have equal public and private halves. */
void kf_assert_same_key(const struct key *a, const struct key *b);
/* 1 if a and b have equal private parts (key_private_serialize). */
int kf_same_private(const struct key *a, const struct key *b);
/* Sign and verify a message with k against pub. */
void kf_assert_signs(const struct key *k, const struct key *pub);

/* A new private temp directory (static path) and its cleanup. */
const char *kf_tmpdir(void);
void kf_rmtree(const char *dir);
/* path = dir/name in static storage (two slots, alternating). */
const char *kf_path(const char *dir, const char *name);
/* Write b to path with mode. */
void kf_write(const char *path, const struct buf *b, int mode);

/* Decode the base64 between the armor lines of an openssh-key-v1 file. */
struct buf *kf_unarmor(const struct buf *text);
/* Armor raw openssh-key-v1 bytes. */
struct buf *kf_armor(const struct buf *raw);

void test_vectors(void);
void test_roundtrip(void);
void test_corrupt(void);
void test_files(void);

#endif
