// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * kmath_sweep.c - asserts the ULP bounds of every kmath function over
 * 2^20 random points per version plus the edge cases (suite 'slow').
 * Optional argv[1]: points per function and version.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "kmath_accuracy.h"

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 1u << 20;
	int i, failed = 0;

	for (i = 0; i < kma_count(); i++) {
		struct kma_row r;

		kma_run(i, n, 0x6b6d617468ULL + (uint64_t)i, &r);
		printf("%-9s float %.4f (<= %.1f) at %a %a; double %.4f (<= "
		       "%.1f) at %a %a; vs glibc %llu/%llu ULP: %s\n",
		       r.name, r.max_f, r.bound_f, r.worst_f[0], r.worst_f[1],
		       r.max_d, r.bound_d, r.worst_d[0], r.worst_d[1],
		       (unsigned long long)r.glibc_f,
		       (unsigned long long)r.glibc_d,
		       kma_pass(&r) ? "ok" : "FAIL");
		if (!kma_pass(&r))
			failed++;
	}
	return failed ? 1 : 0;
}
