/* test_cipher.h: the parts of the cipher unit test program. */
#ifndef KEEL_TEST_CIPHER_H
#define KEEL_TEST_CIPHER_H

void test_cipher_table(void);
void test_cipher_args(void);
void test_chachapoly_rfc8439(void);
void test_chachapoly_kat(void);
void test_chachapoly_stepwise(void);
void test_chachapoly_negative(void);
void test_aesctr_kat(void);
void test_aesgcm_kat(void);
void test_aesgcm_ssh(void);
void test_aesgcm_negative(void);
void test_cipher_roundtrip(void);

#endif /* KEEL_TEST_CIPHER_H */
