/*
 * Unit tests of the connection protocol (channels/): codecs, whole
 * sessions between two managers, bad messages, truncations.
 */
#include "includes.h"

#include "../test_helper/test_helper.h"
#include "test_channels.h"

void
tests(void)
{
	test_channels_codec();
	test_channels_bad();
	test_channels_trunc();
	test_channels_flow();
}
