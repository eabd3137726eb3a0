// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * nn_arena_fit.c - runs every shared nn_* suite the way the kernel test
 * module does: each case gets an arena of exactly suite->arena_bytes, FPU
 * suites inside one FPU section. Fails if a case runs out of its arena
 * or fails at all; prints each case's peak use so arena sizes can be
 * kept honest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../ktest.h"

int main(void)
{
	int failed = 0;
	size_t s, c;

	for (s = 0; s < kt_n_suites; s++) {
		const struct kt_suite *suite = kt_all_suites[s];

		if (strncmp(suite->name, "nn_", 3))
			continue;
		for (c = 0; c < suite->n_cases; c++) {
			void *buf = aligned_alloc(16, suite->arena_bytes);
			struct kml_mem mem;
			struct kt_ctx t;

			if (!buf || kml_mem_init_arena(&mem, "arena", buf,
						       suite->arena_bytes))
				return 2;
			kt_ctx_init(&t, suite->cases[c].name, &mem);
			if (suite->fpu && !kml_fpu_begin())
				return 2;
			suite->cases[c].run(&t);
			if (suite->fpu)
				kml_fpu_end();
			printf("%s.%s: peak %zu of %zu bytes%s%s\n",
			       suite->name, suite->cases[c].name,
			       kml_mem_peak(&mem), suite->arena_bytes,
			       t.failed ? ": FAILED " : "",
			       t.failed ? t.msg : "");
			failed += t.failed != 0;
			free(buf);
		}
	}
	return failed ? 1 : 0;
}
