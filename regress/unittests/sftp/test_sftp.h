/* Shared declarations of the sftp unit tests. */
#ifndef KEEL_TEST_SFTP_H
#define KEEL_TEST_SFTP_H

void test_sftp_attrs(void);
void test_sftp_common(void);
void test_sftp_engine(void);
void test_sftp_engine_files(void);

#endif
