/* test_key.h: shared pieces of the key unit tests. */
#ifndef KEEL_TEST_KEY_H
#define KEEL_TEST_KEY_H

#include <sys/types.h>
#include <stddef.h>

#include "key.h"

/* One kind of key the generic tests run over. */
struct key_case {
	const char *label;
	enum key_type type;
	unsigned int bits;
	const char *name;		/* key type name */
	const char *sigalgs[4];		/* NULL-terminated */
};

extern const struct key_case key_cases[];
extern const size_t nkey_cases;

/* A heap copy of exactly len bytes (at least one allocated), so that
 * ASan catches a read past the end. */
u_char *exact_copy(const void *p, size_t len);
/* Sign data with k (alg may be NULL), asserting success. */
u_char *sign_ok(const struct key *k, const u_char *data, size_t dlen,
    const char *alg, size_t *lenp);

void test_key_names(void);
void test_key_cases(void);
void test_key_malformed(void);
void test_key_evp(void);
void test_key_rfc8032(void);
void test_key_openssh(void);

#endif /* KEEL_TEST_KEY_H */
