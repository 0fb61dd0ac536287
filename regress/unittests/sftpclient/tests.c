/*
 * Unit tests of the SFTP client library (sftp-client*.c, sftp-glob.c)
 * and the progress meter's formatting (progressmeter.c).
 */
#include "includes.h"

#include <signal.h>

#include "log.h"
#include "progressmeter.h"
#include "../test_helper/test_helper.h"
#include "test_sftpclient.h"

void
test_sftpclient_progress(void)
{
	char buf[256];

	TEST_START("progress byte counts");
	progress_format_bytes(0, buf, sizeof(buf));
	ASSERT_STRING_EQ(buf, "    0B ");
	progress_format_bytes(99999, buf, sizeof(buf));
	ASSERT_STRING_EQ(buf, "99999B ");
	progress_format_bytes(1000000, buf, sizeof(buf));
	ASSERT_STRING_EQ(buf, "  977KB");
	progress_format_bytes(10ULL * 1024 * 1024 * 1024, buf, sizeof(buf));
	ASSERT_STRING_EQ(buf, "10240MB");
	TEST_DONE();

	TEST_START("progress line fits the width");
	progress_format_line("/some/dir/file.bin", 1000, 500, 0, 2.0, 250.0,
	    0, 80, buf, sizeof(buf));
	ASSERT_SIZE_T_EQ(strlen(buf), 80);
	ASSERT_TRUE(strncmp(buf, "file.bin ", 9) == 0);
	ASSERT_PTR_NE(strstr(buf, " 50% "), NULL);
	ASSERT_PTR_NE(strstr(buf, "ETA"), NULL);
	progress_format_line("f", 1000, 1000, 0, 3.0, 333.0, 1, 80, buf,
	    sizeof(buf));
	ASSERT_PTR_NE(strstr(buf, "100%"), NULL);
	ASSERT_PTR_NE(strstr(buf, "00:03"), NULL);
	progress_format_line("a-very-long-file-name-that-goes-on-and-on",
	    0, 0, 0, 0.0, 0.0, 0, 40, buf, sizeof(buf));
	ASSERT_SIZE_T_EQ(strlen(buf), 40);
	TEST_DONE();
}

void
tests(void)
{
	/* A test server that dies must not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	log_init("test_sftpclient", LOG_LEVEL_QUIET, LOG_FACILITY_NOT_SET, 1);
	test_sftpclient_progress();
	test_sftpclient_requests();
	test_sftpclient_glob();
	test_sftpclient_xfer();
}
