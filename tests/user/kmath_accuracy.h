/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * kmath_accuracy.h - the accuracy sweep of kmath against glibc's libm,
 * shared by the slow test (tests/user/kmath_sweep.c) and the report
 * tool (tools/kmath_ulp.c, which writes docs/math.md).
 *
 * Float functions are compared with glibc's double functions, double
 * functions with glibc's long double functions (functions glibc lacks,
 * sigmoid, softplus and rsqrt, are formed from those), so the error is
 * measured in ULPs of the exact result, fractions included.
 */
#ifndef KMLIB_TESTS_KMATH_ACCURACY_H
#define KMLIB_TESTS_KMATH_ACCURACY_H

#include <stdint.h>
#include <stdbool.h>

struct kma_row {
	const char *name;
	uint64_t points_f, points_d; /* points measured per version */
	double max_f, max_d; /* max ULP error (INFINITY: wrong special) */
	double worst_f[2], worst_d[2]; /* arguments of the max */
	double bound_f, bound_d; /* asserted bounds */
	bool from_issue; /* the bound is the issue's target */
	/* results equal to the correctly rounded value, per version */
	uint64_t cr_f, cr_d;
	/* max distance in ULPs to glibc's own float / double function
	 * (has_glibc false: glibc has none) */
	bool has_glibc;
	uint64_t glibc_f, glibc_d;
	bool match_glibc; /* must equal glibc's result bit for bit */
};

/* Number of functions (rows) in the sweep. */
int kma_count(void);
/* Measure function @i with @n random points plus every edge case. */
void kma_run(int i, uint64_t n, uint64_t seed, struct kma_row *row);
static inline bool kma_pass(const struct kma_row *r)
{
	return r->max_f <= r->bound_f && r->max_d <= r->bound_d &&
	       (!r->match_glibc || (r->glibc_f == 0 && r->glibc_d == 0));
}

#endif /* KMLIB_TESTS_KMATH_ACCURACY_H */
