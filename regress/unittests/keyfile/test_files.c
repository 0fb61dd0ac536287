/*
 * Key files on disk: the permission check and its warning, atomic saves,
 * loading private keys, public key files and their fallbacks.
 */
#include "includes.h"

#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>

#include "buf.h"
#include "errcode.h"
#include "key.h"
#include "keyfile.h"

#include "../test_helper/test_helper.h"
#include "common.h"

#define WARN_BAR "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"

static int
file_mode(const char *path)
{
	struct stat st;

	ASSERT_INT_EQ(stat(path, &st), 0);
	return (int)(st.st_mode & 07777);
}

/* Number of entries in dir, not counting . and .. */
static int
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	ASSERT_PTR_NE(d, NULL);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	}
	closedir(d);
	return n;
}

/* keyfile_load_private with stderr captured into out. */
static int
load_capturing(const char *dir, const char *path, char *out, size_t outlen)
{
	const char *cap = kf_path(dir, "stderr.txt");
	struct buf *b = NULL;
	struct key *k = NULL;
	char *s;
	size_t i, o;
	int fd, saved, r;

	fflush(stderr);
	ASSERT_INT_NE(fd = open(cap, O_WRONLY | O_CREAT | O_TRUNC, 0600), -1);
	ASSERT_INT_NE(saved = dup(STDERR_FILENO), -1);
	ASSERT_INT_NE(dup2(fd, STDERR_FILENO), -1);
	close(fd);
	r = keyfile_load_private(path, NULL, &k, NULL);
	fflush(stderr);
	ASSERT_INT_NE(dup2(saved, STDERR_FILENO), -1);
	close(saved);
	key_free(k);
	ASSERT_INT_EQ(buf_load_file(cap, &b), 0);
	s = buf_dup_string(b);
	ASSERT_PTR_NE(s, NULL);
	/* Line ends are the log module's business: compare the text. */
	for (i = 0, o = 0; s[i] != '\0' && o + 1 < outlen; i++) {
		if (s[i] != '\r')
			out[o++] = s[i];
	}
	out[o] = '\0';
	free(s);
	buf_free(b);
	unlink(cap);
	return r;
}

static void
test_permissions(const char *dir, const struct key *k)
{
	char path[4096], got[8192], want[8192];
	struct key *k2 = NULL;
	int r, fd;

	TEST_START("saved private key is 0600 and loads");
	strlcpy(path, kf_path(dir, "id_perm"), sizeof(path));
	ASSERT_INT_EQ(keyfile_save_private(path, k, NULL, "perm",
	    KEYFILE_FORMAT_OPENSSH, NULL, 0), 0);
	ASSERT_INT_EQ(file_mode(path), 0600);
	ASSERT_INT_EQ(load_capturing(dir, path, got, sizeof(got)), 0);
	ASSERT_STRING_EQ(got, "");
	TEST_DONE();

	TEST_START("0644 private key refused with OpenSSH's warning");
	ASSERT_INT_EQ(chmod(path, 0644), 0);
	r = load_capturing(dir, path, got, sizeof(got));
	ASSERT_INT_EQ(r, ERR_KEY_BAD_PERMISSIONS);
	snprintf(want, sizeof(want),
	    WARN_BAR
	    "@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @\n"
	    WARN_BAR
	    "Permissions 0644 for '%s' are too open.\n"
	    "It is required that your private key files are NOT accessible "
	    "by others.\n"
	    "This private key will be ignored.\n", path);
	ASSERT_STRING_EQ(got, want);
	TEST_DONE();

	TEST_START("group or other bits refused, owner-only modes accepted");
	ASSERT_INT_EQ(chmod(path, 0640), 0);
	ASSERT_INT_EQ(load_capturing(dir, path, got, sizeof(got)),
	    ERR_KEY_BAD_PERMISSIONS);
	ASSERT_PTR_NE(strstr(got, "Permissions 0640 for"), NULL);
	ASSERT_INT_EQ(chmod(path, 0604), 0);
	ASSERT_INT_EQ(load_capturing(dir, path, got, sizeof(got)),
	    ERR_KEY_BAD_PERMISSIONS);
	ASSERT_INT_EQ(chmod(path, 0400), 0);
	ASSERT_INT_EQ(load_capturing(dir, path, got, sizeof(got)), 0);
	ASSERT_INT_EQ(chmod(path, 0700), 0);
	ASSERT_INT_EQ(load_capturing(dir, path, got, sizeof(got)), 0);
	TEST_DONE();

	TEST_START("a key owned by another user is not checked");
	if (getuid() == 0) {
		ASSERT_INT_EQ(chmod(path, 0644), 0);
		ASSERT_INT_EQ(chown(path, 65534, 65534), 0);
		ASSERT_INT_EQ(load_capturing(dir, path, got, sizeof(got)), 0);
		ASSERT_STRING_EQ(got, "");
	} else
		fprintf(stderr, "NOTE: not root: chown check skipped\n");
	ASSERT_INT_NE(fd = open(path, O_RDONLY), -1);
	ASSERT_INT_EQ(keyfile_check_perm(fd, path), getuid() == 0 ? 0 :
	    ERR_KEY_BAD_PERMISSIONS);
	close(fd);
	ASSERT_INT_EQ(keyfile_check_perm(-1, path), ERR_ERRNO);
	unlink(path);
	TEST_DONE();

	TEST_START("keyfile_load_private of missing file");
	ASSERT_INT_EQ(keyfile_load_private(kf_path(dir, "nonexistent"),
	    NULL, &k2, NULL), ERR_ERRNO);
	ASSERT_INT_EQ(errno, ENOENT);
	ASSERT_PTR_EQ(k2, NULL);
	TEST_DONE();
}

static void
test_atomic_save(const char *sub, const struct key *k)
{
	char path[4096];
	struct key *pub = NULL, *k2 = NULL;
	struct buf *b;
	char *comment = NULL;

	TEST_START("failed saves leave nothing behind");
	ASSERT_INT_EQ(count_entries(sub), 0);
	/* A missing directory. */
	ASSERT_INT_EQ(keyfile_save_private(kf_path(sub, "no/such/file"), k,
	    NULL, NULL, KEYFILE_FORMAT_OPENSSH, NULL, 0), ERR_ERRNO);
	/* The target is a directory: the rename fails after the write. */
	ASSERT_INT_EQ(mkdir(kf_path(sub, "adir"), 0700), 0);
	ASSERT_INT_NE(keyfile_save_private(kf_path(sub, "adir"), k, NULL,
	    NULL, KEYFILE_FORMAT_OPENSSH, NULL, 0), 0);
	ASSERT_INT_EQ(count_entries(sub), 1);
	ASSERT_INT_EQ(rmdir(kf_path(sub, "adir")), 0);
	/* Formatting fails (a public key): no file at all. */
	ASSERT_INT_EQ(key_demote(k, &pub), 0);
	ASSERT_INT_EQ(keyfile_save_private(kf_path(sub, "pubonly"), pub,
	    NULL, NULL, KEYFILE_FORMAT_OPENSSH, NULL, 0),
	    ERR_INVALID_ARGUMENT);
	ASSERT_INT_EQ(count_entries(sub), 0);
	key_free(pub);
	TEST_DONE();

	TEST_START("save replaces an existing file, mode 0600");
	strlcpy(path, kf_path(sub, "id_replace"), sizeof(path));
	b = buf_from("old contents\n", 13);
	kf_write(path, b, 0644);
	buf_free(b);
	ASSERT_INT_EQ(keyfile_save_private(path, k, TEST_PASS, "new",
	    KEYFILE_FORMAT_OPENSSH, NULL, 2), 0);
	ASSERT_INT_EQ(file_mode(path), 0600);
	ASSERT_INT_EQ(count_entries(sub), 1);
	ASSERT_INT_EQ(keyfile_load_private(path, TEST_PASS, &k2, &comment),
	    0);
	kf_assert_same_key(k, k2);
	ASSERT_STRING_EQ(comment, "new");
	key_free(k2);
	free(comment);
	unlink(path);
	TEST_DONE();
}

static void
copy_vector(const char *name, const char *path, int mode)
{
	struct buf *b = kf_vector(name);

	kf_write(path, b, mode);
	buf_free(b);
}

static void
test_load_vectors(const char *dir)
{
	char name[256], tname[256], path[4096];
	struct key *k = NULL, *pub;
	char *comment = NULL;
	int t;

	strlcpy(path, kf_path(dir, "id_vector"), sizeof(path));
	for (t = 0; t < kf_ntypes; t++) {
		snprintf(tname, sizeof(tname), "keyfile_load_private %s-enc.key",
		    kf_types[t]);
		TEST_START(tname);
		snprintf(name, sizeof(name), "%s-enc.key", kf_types[t]);
		copy_vector(name, path, 0600);
		ASSERT_INT_EQ(keyfile_load_private(path, "bad", &k, NULL),
		    ERR_KEY_WRONG_PASSPHRASE);
		ASSERT_INT_EQ(keyfile_load_private(path, kf_vector_pass(name),
		    &k, &comment), 0);
		pub = kf_vector_pub(kf_types[t], NULL);
		ASSERT_INT_EQ(key_equal_public(k, pub), 1);
		snprintf(name, sizeof(name), "keel test %s", kf_types[t]);
		ASSERT_STRING_EQ(comment, name);
		key_free(k);
		key_free(pub);
		free(comment);
		k = NULL;
		comment = NULL;
		unlink(path);
		TEST_DONE();
	}
}

static void
test_public(const char *dir)
{
	char id[4096], idpub[4096];
	char name[256], *comment = NULL, *line = NULL, *s;
	struct key *k = NULL, *want;
	struct buf *b;
	int t;

	strlcpy(id, kf_path(dir, "id_pub"), sizeof(id));
	strlcpy(idpub, kf_path(dir, "id_pub.pub"), sizeof(idpub));
	for (t = 0; t < kf_ntypes; t++) {
		snprintf(name, sizeof(name), "keyfile_load_public %s",
		    kf_types[t]);
		TEST_START(name);
		want = kf_vector_pub(kf_types[t], NULL);
		/* A .pub file itself. */
		snprintf(name, sizeof(name), "%s.pub", kf_types[t]);
		copy_vector(name, kf_path(dir, "x.pub"), 0644);
		ASSERT_INT_EQ(keyfile_load_public(kf_path(dir, "x.pub"), &k,
		    &comment), 0);
		ASSERT_INT_EQ(key_equal_public(k, want), 1);
		ASSERT_INT_EQ(key_is_private(k), 0);
		snprintf(name, sizeof(name), "keel test %s", kf_types[t]);
		ASSERT_STRING_EQ(comment, name);
		key_free(k);
		free(comment);
		k = NULL;
		comment = NULL;
		unlink(kf_path(dir, "x.pub"));
		/* A private key with its .pub beside it. */
		snprintf(name, sizeof(name), "%s-enc.key", kf_types[t]);
		copy_vector(name, id, 0600);
		snprintf(name, sizeof(name), "%s.pub", kf_types[t]);
		copy_vector(name, idpub, 0644);
		ASSERT_INT_EQ(keyfile_load_public(id, &k, &comment), 0);
		ASSERT_INT_EQ(key_equal_public(k, want), 1);
		ASSERT_PTR_NE(comment, NULL);
		key_free(k);
		free(comment);
		k = NULL;
		comment = NULL;
		/* Without it: the clear header of the encrypted file. */
		unlink(idpub);
		ASSERT_INT_EQ(keyfile_load_public(id, &k, &comment), 0);
		ASSERT_INT_EQ(key_equal_public(k, want), 1);
		ASSERT_INT_EQ(key_is_private(k), 0);
		ASSERT_PTR_EQ(comment, NULL);
		key_free(k);
		k = NULL;
		unlink(id);
		key_free(want);
		TEST_DONE();
	}

	TEST_START("keyfile_load_public: PEM without .pub, missing file");
	copy_vector("ecdsa256.pem", id, 0600);
	ASSERT_INT_NE(keyfile_load_public(id, &k, NULL), 0);
	ASSERT_PTR_EQ(k, NULL);
	unlink(id);
	ASSERT_INT_EQ(keyfile_load_public(id, &k, NULL), ERR_ERRNO);
	TEST_DONE();

	TEST_START("keyfile_load_public skips comments and blank lines");
	want = kf_vector_pub("ed25519", NULL);
	ASSERT_INT_EQ(key_format_public(want, &line), 0);
	b = buf_new();
	ASSERT_INT_EQ(buf_putf(b, "# a comment\n\n   \n%s  trailing words \n",
	    line), 0);
	kf_write(kf_path(dir, "y.pub"), b, 0644);
	buf_free(b);
	ASSERT_INT_EQ(keyfile_load_public(kf_path(dir, "y.pub"), &k,
	    &comment), 0);
	ASSERT_INT_EQ(key_equal_public(k, want), 1);
	ASSERT_STRING_EQ(comment, "trailing words");
	key_free(k);
	free(comment);
	k = NULL;
	comment = NULL;
	unlink(kf_path(dir, "y.pub"));
	TEST_DONE();

	TEST_START("keyfile_save_public writes one line, mode 0644");
	ASSERT_INT_EQ(keyfile_save_public(kf_path(dir, "z.pub"), want,
	    "me@host"), 0);
	ASSERT_INT_EQ(file_mode(kf_path(dir, "z.pub")), 0644);
	ASSERT_INT_EQ(buf_load_file(kf_path(dir, "z.pub"), &b), 0);
	s = buf_dup_string(b);
	snprintf(name, sizeof(name), "%s me@host\n", line);
	ASSERT_STRING_EQ(s, name);
	free(s);
	buf_free(b);
	ASSERT_INT_EQ(keyfile_save_public(kf_path(dir, "z.pub"), want, NULL),
	    0);
	ASSERT_INT_EQ(buf_load_file(kf_path(dir, "z.pub"), &b), 0);
	s = buf_dup_string(b);
	snprintf(name, sizeof(name), "%s\n", line);
	ASSERT_STRING_EQ(s, name);
	free(s);
	buf_free(b);
	unlink(kf_path(dir, "z.pub"));
	free(line);
	key_free(want);
	TEST_DONE();
}

void
test_files(void)
{
	const char *tmp = kf_tmpdir();
	char dir[256], sub[512];
	struct key *k = kf_generate("ed25519");

	strlcpy(dir, tmp, sizeof(dir));
	snprintf(sub, sizeof(sub), "%s/atomic", dir);
	ASSERT_INT_EQ(mkdir(sub, 0700), 0);
	test_permissions(dir, k);
	test_atomic_save(sub, k);
	test_load_vectors(dir);
	test_public(dir);
	key_free(k);
	kf_rmtree(dir);
}
