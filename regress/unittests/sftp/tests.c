/*
 * Unit tests of the SFTP pieces: the ATTRS codec and long names
 * (sftp-common.c) and the server's request engine driven through
 * buffers (sftp-server-*.c).
 */
#include "includes.h"

#include "../test_helper/test_helper.h"
#include "test_sftp.h"

void
tests(void)
{
	test_sftp_attrs();
	test_sftp_common();
	test_sftp_engine();
	test_sftp_engine_files();
}
