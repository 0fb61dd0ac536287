/*
 * test_helper.h: the small in-tree unit test harness.
 *
 * A test program defines `void tests(void);` and groups its checks with
 * TEST_START("name") ... TEST_DONE().  An ASSERT_* that fails prints where
 * and why, counts the current test as failed and ends the program: later
 * checks in one program may depend on earlier ones.  At exit the program
 * prints "<prog>: N passed, N failed" and exits non-zero if anything failed.
 *
 * Options every test program takes:
 *   -v        print each test's name as it starts
 *   -d DIR    where the known-answer vectors live (regress/vectors)
 *   -f        fast: tests may check test_is_fast() and do less
 */
#ifndef KEEL_TEST_HELPER_H
#define KEEL_TEST_HELPER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

void tests(void);

void test_start(const char *name);
void test_done(void);
/* The -d directory ("." when not given) joined with name; static storage. */
const char *test_data_file(const char *name);
int test_is_fast(void);
int test_is_verbose(void);

void assert_failed(const char *file, int line, const char *fmt, ...)
    __attribute__((__noreturn__)) __attribute__((__format__(__printf__, 3, 4)));
void assert_mem(const char *file, int line, const char *a1, const char *a2,
    const void *p1, const void *p2, size_t len, int want_equal);

#define TEST_START(n)	test_start(n)
#define TEST_DONE()	test_done()

#define ASSERT_TRUE(x) do { if (!(x)) assert_failed(__FILE__, __LINE__, \
	"%s is false", #x); } while (0)
#define ASSERT_FALSE(x) do { if ((x)) assert_failed(__FILE__, __LINE__, \
	"%s is true", #x); } while (0)

#define ASSERT_CMP_(type, fmt, a, b, op) do { \
	type a_ = (a); type b_ = (b); \
	if (!(a_ op b_)) assert_failed(__FILE__, __LINE__, \
	    "%s %s %s fails: " fmt " vs " fmt, #a, #op, #b, a_, b_); \
	} while (0)

#define ASSERT_INT_EQ(a, b)	ASSERT_CMP_(long long, "%lld", a, b, ==)
#define ASSERT_INT_NE(a, b)	ASSERT_CMP_(long long, "%lld", a, b, !=)
#define ASSERT_INT_LT(a, b)	ASSERT_CMP_(long long, "%lld", a, b, <)
#define ASSERT_INT_LE(a, b)	ASSERT_CMP_(long long, "%lld", a, b, <=)
#define ASSERT_INT_GT(a, b)	ASSERT_CMP_(long long, "%lld", a, b, >)
#define ASSERT_INT_GE(a, b)	ASSERT_CMP_(long long, "%lld", a, b, >=)
#define ASSERT_SIZE_T_EQ(a, b)	ASSERT_CMP_(size_t, "%zu", a, b, ==)
#define ASSERT_SIZE_T_NE(a, b)	ASSERT_CMP_(size_t, "%zu", a, b, !=)
#define ASSERT_SIZE_T_LT(a, b)	ASSERT_CMP_(size_t, "%zu", a, b, <)
#define ASSERT_SIZE_T_GT(a, b)	ASSERT_CMP_(size_t, "%zu", a, b, >)
#define ASSERT_U8_EQ(a, b)	ASSERT_CMP_(unsigned int, "0x%02x", a, b, ==)
#define ASSERT_U16_EQ(a, b)	ASSERT_CMP_(unsigned int, "0x%04x", a, b, ==)
#define ASSERT_U32_EQ(a, b)	ASSERT_CMP_(uint32_t, "0x%08x", a, b, ==)
#define ASSERT_U64_EQ(a, b)	ASSERT_CMP_(unsigned long long, "0x%016llx", a, b, ==)
#define ASSERT_PTR_EQ(a, b)	ASSERT_CMP_(const void *, "%p", a, b, ==)
#define ASSERT_PTR_NE(a, b)	ASSERT_CMP_(const void *, "%p", a, b, !=)

#define ASSERT_STRING_EQ(a, b) do { \
	const char *a_ = (a), *b_ = (b); \
	if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) \
		assert_failed(__FILE__, __LINE__, "%s == %s fails: \"%s\" vs \"%s\"", \
		    #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
	} while (0)
#define ASSERT_STRING_NE(a, b) do { \
	const char *a_ = (a), *b_ = (b); \
	if (a_ == NULL || b_ == NULL || strcmp(a_, b_) == 0) \
		assert_failed(__FILE__, __LINE__, "%s != %s fails: \"%s\"", \
		    #a, #b, a_ ? a_ : "(null)"); \
	} while (0)
#define ASSERT_MEM_EQ(a, b, l) \
	assert_mem(__FILE__, __LINE__, #a, #b, a, b, l, 1)
#define ASSERT_MEM_NE(a, b, l) \
	assert_mem(__FILE__, __LINE__, #a, #b, a, b, l, 0)

#endif /* KEEL_TEST_HELPER_H */
