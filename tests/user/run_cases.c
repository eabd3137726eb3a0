// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * run_cases.c - runs every shared suite under CMocka in user space, the
 * same way tests/kernel/kmlib_test.c runs them in the kernel, and writes
 * one "suite.case digest" line per case to $KMLIB_DIGESTS when it is set.
 * Optional argv[1]: run only the suites whose name starts with it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../ktest.h"

struct case_ref {
	const struct kt_suite *suite;
	const struct kt_case *kcase;
};

static FILE *digest_out;

static void run_one(void **state)
{
	const struct case_ref *ref = *state;
	struct kml_mem mem;
	struct kt_ctx t;
	char full[128];

	snprintf(full, sizeof(full), "%s.%s", ref->suite->name,
		 ref->kcase->name);
	kml_mem_init(&mem, full, 0);
	kt_ctx_init(&t, full, &mem);
	if (ref->suite->fpu) {
		assert_true(kml_fpu_begin());
		ref->kcase->run(&t);
		kml_fpu_end();
	} else {
		ref->kcase->run(&t);
	}
	if (kml_mem_current(&mem) != 0)
		kt_fail(&t, __FILE__, __LINE__, "case leaked %zu bytes",
			kml_mem_current(&mem));
	if (digest_out) {
		fprintf(digest_out, "%s %016llx\n", full,
			(unsigned long long)t.digest);
		fflush(digest_out);
	}
	if (t.failed)
		fail_msg("%s: %d failure(s), first: %s", full, t.failed, t.msg);
}

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	const char *path = getenv("KMLIB_DIGESTS");
	int failed = 0;
	size_t s, c;

	if (path && *path) {
		digest_out = fopen(path, "w");
		if (!digest_out) {
			perror(path);
			return 2;
		}
	}
	for (s = 0; s < kt_n_suites; s++) {
		const struct kt_suite *suite = kt_all_suites[s];
		struct CMUnitTest *tests;
		struct case_ref *refs;

		if (only && strncmp(suite->name, only, strlen(only)))
			continue;
		tests = calloc(suite->n_cases, sizeof(*tests));
		refs = calloc(suite->n_cases, sizeof(*refs));
		if (!tests || !refs)
			return 2;
		for (c = 0; c < suite->n_cases; c++) {
			refs[c].suite = suite;
			refs[c].kcase = &suite->cases[c];
			tests[c].name = suite->cases[c].name;
			tests[c].test_func = run_one;
			tests[c].initial_state = &refs[c];
		}
		failed += _cmocka_run_group_tests(suite->name, tests,
						  suite->n_cases, NULL, NULL);
		free(tests);
		free(refs);
	}
	if (digest_out)
		fclose(digest_out);
	return failed ? 1 : 0;
}
