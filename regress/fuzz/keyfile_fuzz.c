/*
 * keyfile_fuzz.c: libFuzzer target for keyfile_parse_private (and
 * keyfile_is_encrypted) on whole key files: openssh-key-v1, PEM, PKCS#8.
 *
 * Each input is parsed without a passphrase and with one.  A key that is
 * accepted must be private, must re-serialise (openssh-key-v1, clear)
 * and parse back to the same key, and a key read without a passphrase
 * must come from a file keyfile_is_encrypted() calls clear.
 *
 * Speed: openssh-key-v1 inputs asking for more than one bcrypt_pbkdf
 * round are skipped, and encrypted PKCS#8 (whose PBKDF2 iteration count
 * is in the file) is only tried without a passphrase.
 */
#include "includes.h"

#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "keyfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
	    #x); \
	abort(); \
	} } while (0)

#define PASSPHRASE	"keel test passphrase"
#define V1_BEGIN	"-----BEGIN OPENSSH PRIVATE KEY-----"
#define V1_END		"-----END OPENSSH PRIVATE KEY-----"

/* The bcrypt rounds an openssh-key-v1 text asks for; 0 if none/unsure. */
static uint32_t
v1_rounds(const char *text)
{
	struct buf *raw = NULL, *opts = NULL;
	char *mid = NULL, *end;
	uint32_t rounds = 0;

	if (strncmp(text, V1_BEGIN, strlen(V1_BEGIN)) != 0 ||
	    (mid = strdup(text + strlen(V1_BEGIN))) == NULL)
		return 0;
	if ((end = strstr(mid, V1_END)) == NULL)
		goto out;
	*end = '\0';
	if ((raw = buf_new()) == NULL || buf_b64tod(raw, mid) != 0)
		goto out;
	/* magic, cipher name, kdf name, then the kdf options. */
	if (buf_get(raw, NULL, 15) != 0 ||
	    buf_get_string_direct(raw, NULL, NULL) != 0 ||
	    buf_get_string_direct(raw, NULL, NULL) != 0 ||
	    buf_froms(raw, &opts) != 0 ||
	    buf_get_string_direct(opts, NULL, NULL) != 0 ||
	    buf_get_u32(opts, &rounds) != 0)
		rounds = 0;
 out:
	buf_free(opts);
	buf_free(raw);
	free(mid);
	return rounds;
}

/* k must survive a clear openssh-key-v1 round trip unchanged. */
static void
check_key(const struct key *k)
{
	struct buf *out = buf_new(), *a = buf_new(), *b = buf_new();
	struct key *k2 = NULL;
	char *comment = NULL;

	CHECK(out != NULL && a != NULL && b != NULL);
	CHECK(key_is_private(k));
	CHECK(keyfile_format_private(k, out, NULL, "fuzz",
	    KEYFILE_FORMAT_OPENSSH, NULL, 0) == 0);
	CHECK(keyfile_parse_private(out, NULL, &k2, &comment) == 0);
	CHECK(key_equal_public(k, k2));
	CHECK(comment != NULL && strcmp(comment, "fuzz") == 0);
	CHECK(key_private_serialize(k, a) == 0);
	CHECK(key_private_serialize(k2, b) == 0);
	CHECK(buf_equals(a, b));
	key_free(k2);
	free(comment);
	buf_free(out);
	buf_free(a);
	buf_free(b);
}

static void
try_parse(const struct buf *blob, const char *pass, int encrypted)
{
	struct key *k = NULL;
	char *comment = NULL;
	int r;

	r = keyfile_parse_private(blob, pass, &k, &comment);
	if (r != 0) {
		CHECK(k == NULL && comment == NULL);
		CHECK(r < 0 && r >= ERR_ERRCODE_MAX);
		return;
	}
	CHECK(k != NULL);
	if (pass == NULL)
		CHECK(!encrypted);
	check_key(k);
	key_free(k);
	free(comment);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf *blob;
	char *text;
	int encrypted;

	/* A NUL-terminated copy to look at the armor. */
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (v1_rounds(text) > 1) {
		free(text);
		return 0;
	}
	if ((blob = buf_from(data, size)) == NULL) {
		free(text);
		return 0;
	}
	encrypted = keyfile_is_encrypted(blob);
	CHECK(encrypted == 0 || encrypted == 1);
	try_parse(blob, NULL, encrypted);
	if (strstr(text, "-----BEGIN ENCRYPTED PRIVATE KEY-----") == NULL)
		try_parse(blob, PASSPHRASE, encrypted);
	buf_free(blob);
	free(text);
	return 0;
}
