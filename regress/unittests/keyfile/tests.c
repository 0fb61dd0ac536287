/*
 * Unit tests for keyfile.c and keyfile-pem.c: OpenSSH-written vectors,
 * round trips of every format, type and cipher, damaged files, file
 * handling (permissions, atomic saves, public keys).
 */
#include "includes.h"

#include "../test_helper/test_helper.h"
#include "common.h"

void
tests(void)
{
	test_vectors();
	test_roundtrip();
	test_corrupt();
	test_files();
}
