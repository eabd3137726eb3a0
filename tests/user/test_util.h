/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * test_util.h - the failure counter and checks of the stand-alone user
 * tests (tests/user/ programs that do not use CMocka): a failed CHECK
 * prints file:line and the condition, counts, and the test goes on to
 * report everything; main returns test_exit_status().
 */
#ifndef KMLIB_TESTS_USER_TEST_UTIL_H
#define KMLIB_TESTS_USER_TEST_UTIL_H

#include <stdio.h>

/* one per test program: each includes this header once */
static int test_failures;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__,     \
				#cond);                                        \
			test_failures++;                                       \
		}                                                              \
	} while (0)

/* a KMLib call that must return KML_OK */
#define OK(expr) CHECK((expr) == 0)

static inline int test_exit_status(void)
{
	return test_failures ? 1 : 0;
}

#endif /* KMLIB_TESTS_USER_TEST_UTIL_H */
