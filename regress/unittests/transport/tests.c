/*
 * Unit tests of the transport core: packet.c, dispatch.c, kex*.c.
 */
#include "includes.h"

#include "log.h"

#include "../test_helper/test_helper.h"
#include "test_transport.h"

void
tests(void)
{
	log_init("test_transport", test_is_verbose() ? LOG_LEVEL_DEBUG3 :
	    LOG_LEVEL_QUIET, LOG_FACILITY_USER, 1);
	harness_init();
	test_names();
	test_dh_groups();
	test_version();
	test_kex_misc();
	test_dispatch();
	test_kex_matrix();
	test_rekey();
	test_strict();
	test_malformed();
	test_integrity();
	test_state();
}
