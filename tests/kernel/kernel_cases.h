/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/* kernel_cases.h - kernel-only suites of kmlib_test.ko (no digests). */
#ifndef KMLIB_TESTS_KERNEL_CASES_H
#define KMLIB_TESTS_KERNEL_CASES_H

#include "../ktest.h"

extern const struct kt_suite kt_suite_kernel;

#endif
