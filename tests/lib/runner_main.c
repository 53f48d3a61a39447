/*
 * The main of the test binaries built on tests/lib/runner.c; kept apart
 * so a driver with a main of its own (tests/soak) can use the runner's
 * failure count and scratch directory without it.
 */
#include "tests/lib/runner.h"

int
main(int argc, char **argv)
{
	return test_main(argc, argv);
}
