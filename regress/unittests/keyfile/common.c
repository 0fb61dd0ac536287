/* Shared helpers of the keyfile unit tests. */
#include "includes.h"

#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>

#include "buf.h"
#include "digest.h"
#include "errcode.h"
#include "key.h"
#include "keyfile.h"

#include "../test_helper/test_helper.h"
#include "common.h"

const char *const kf_types[] = {
	"ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa2048"
};
const int kf_ntypes = sizeof(kf_types) / sizeof(kf_types[0]);

static const char *
vector_path(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s", test_data_file("keys"));
	strlcat(path, "/", sizeof(path));
	strlcat(path, name, sizeof(path));
	return path;
}

struct buf *
kf_vector(const char *name)
{
	struct buf *b = NULL;
	int r;

	if ((r = buf_load_file(vector_path(name), &b)) != 0)
		assert_failed(__FILE__, __LINE__, "cannot load %s: %s",
		    vector_path(name), errcode_str(r));
	return b;
}

int
kf_vector_exists(const char *name)
{
	return access(vector_path(name), R_OK) == 0;
}

const char *
kf_vector_pass(const char *name)
{
	static char pass[256];
	char pname[512];
	struct buf *b = NULL;
	char *s;

	snprintf(pname, sizeof(pname), "%s.pass", name);
	if (!kf_vector_exists(pname))
		return NULL;
	b = kf_vector(pname);
	s = buf_dup_string(b);
	ASSERT_PTR_NE(s, NULL);
	s[strcspn(s, "\r\n")] = '\0';
	strlcpy(pass, s, sizeof(pass));
	free(s);
	buf_free(b);
	return pass;
}

struct key *
kf_vector_pub(const char *type, char **commentp)
{
	char name[256];
	struct key *k = NULL;
	struct buf *b;
	char *s;

	snprintf(name, sizeof(name), "%s.pub", type);
	b = kf_vector(name);
	s = buf_dup_string(b);
	ASSERT_PTR_NE(s, NULL);
	ASSERT_INT_EQ(key_read_public_line(s, &k, commentp, NULL), 0);
	free(s);
	buf_free(b);
	return k;
}

char *
kf_vector_fp(const char *name)
{
	struct buf *b = kf_vector(name);
	char *s, *fp, *save = NULL;

	s = buf_dup_string(b);
	ASSERT_PTR_NE(s, NULL);
	ASSERT_PTR_NE(strtok_r(s, " ", &save), NULL);	/* bits */
	fp = strtok_r(NULL, " ", &save);
	ASSERT_PTR_NE(fp, NULL);
	fp = strdup(fp);
	free(s);
	buf_free(b);
	return fp;
}

struct key *
kf_generate(const char *type)
{
	struct key *k = NULL;

	if (strcmp(type, "ed25519") == 0)
		ASSERT_INT_EQ(key_generate(KEY_ED25519, 0, &k), 0);
	else if (strncmp(type, "ecdsa", 5) == 0)
		ASSERT_INT_EQ(key_generate(KEY_ECDSA,
		    (unsigned int)strtoul(type + 5, NULL, 10), &k), 0);
	else if (strncmp(type, "rsa", 3) == 0)
		ASSERT_INT_EQ(key_generate(KEY_RSA,
		    (unsigned int)strtoul(type + 3, NULL, 10), &k), 0);
	else
		assert_failed(__FILE__, __LINE__, "bad type %s", type);
	return k;
}

int
kf_same_private(const struct key *a, const struct key *b)
{
	struct buf *ba = buf_new(), *bb = buf_new();
	int same;

	ASSERT_PTR_NE(ba, NULL);
	ASSERT_PTR_NE(bb, NULL);
	ASSERT_INT_EQ(key_private_serialize(a, ba), 0);
	ASSERT_INT_EQ(key_private_serialize(b, bb), 0);
	same = buf_equals(ba, bb);
	buf_free(ba);
	buf_free(bb);
	return same;
}

void
kf_assert_same_key(const struct key *a, const struct key *b)
{
	ASSERT_PTR_NE(a, NULL);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_INT_EQ(key_equal_public(a, b), 1);
	ASSERT_INT_EQ(key_is_private(a), 1);
	ASSERT_INT_EQ(key_is_private(b), 1);
	ASSERT_INT_EQ(kf_same_private(a, b), 1);
}

void
kf_assert_signs(const struct key *k, const struct key *pub)
{
	static const u_char msg[] = "keyfile test message";
	u_char *sig = NULL;
	size_t siglen = 0;

	ASSERT_INT_EQ(key_sign(k, &sig, &siglen, msg, sizeof(msg), NULL), 0);
	ASSERT_INT_EQ(key_verify(pub, sig, siglen, msg, sizeof(msg), NULL), 0);
	free(sig);
}

const char *
kf_tmpdir(void)
{
	static char dir[256];

	snprintf(dir, sizeof(dir), "%s/keel-keyfile-test.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	ASSERT_PTR_NE(mkdtemp(dir), NULL);
	return dir;
}

void
kf_rmtree(const char *dir)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	char path[4096];

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			kf_rmtree(path);
		else
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

const char *
kf_path(const char *dir, const char *name)
{
	static char paths[2][4096];
	static int slot;

	slot = !slot;
	snprintf(paths[slot], sizeof(paths[slot]), "%s/%s", dir, name);
	return paths[slot];
}

void
kf_write(const char *path, const struct buf *b, int mode)
{
	ASSERT_INT_EQ(buf_write_file(path, b, (mode_t)mode), 0);
}

struct buf *
kf_unarmor(const struct buf *text)
{
	struct buf *raw = buf_new();
	char *s, *begin, *end;

	ASSERT_PTR_NE(raw, NULL);
	s = buf_dup_string(text);
	ASSERT_PTR_NE(s, NULL);
	begin = strstr(s, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
	end = strstr(s, "-----END OPENSSH PRIVATE KEY-----");
	ASSERT_PTR_NE(begin, NULL);
	ASSERT_PTR_NE(end, NULL);
	*end = '\0';
	ASSERT_INT_EQ(buf_b64tod(raw, begin + 36), 0);
	free(s);
	return raw;
}

struct buf *
kf_armor(const struct buf *raw)
{
	struct buf *text = buf_new();

	ASSERT_PTR_NE(text, NULL);
	ASSERT_INT_EQ(buf_putf(text, "-----BEGIN OPENSSH PRIVATE KEY-----\n"),
	    0);
	ASSERT_INT_EQ(buf_dtob64(raw, text, 1), 0);
	ASSERT_INT_EQ(buf_putf(text, "-----END OPENSSH PRIVATE KEY-----\n"),
	    0);
	return text;
}
