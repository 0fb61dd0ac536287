/*
 * tests.c: ssh's session loop: the escape scanner and the terminal
 * helpers alone, then client_loop_run() against a server played by the
 * test.
 */
#include "includes.h"

#include "../test_helper/test_helper.h"
#include "test_clientloop.h"

void
tests(void)
{
	test_escape();
	test_tty();
	test_loop();
}
