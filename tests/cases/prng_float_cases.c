// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* prng_float_cases.c - float draws (an FPU suite). */
#include "../ktest.h"
#include "kmlib/prng.h"

static void prng_float_golden(struct kt_ctx *t)
{
	/* seed 7, from the independent Python implementation */
	static const float want[5] = { 0x1.66b1f4p-1f, 0x1.1d70f4p-2f,
				       0x1.ade3a6p-1f, 0x1.f65270p-1f,
				       0x1.fb5208p-1f };
	struct kml_prng r;
	int i;

	kml_prng_seed(&r, 7);
	for (i = 0; i < 5; i++) {
		float f = kml_prng_float(&r);

		KT_EXPECT(t, f == want[i]);
		kt_digest(t, &f, sizeof(f));
	}
}

static void prng_float_range(struct kt_ctx *t)
{
	struct kml_prng r;
	double sum = 0;
	int i;

	kml_prng_seed(&r, 3);
	for (i = 0; i < 20000; i++) {
		double d = kml_prng_double(&r);
		float f = kml_prng_float(&r);

		KT_EXPECT(t, d >= 0.0 && d < 1.0 && f >= 0.0f && f < 1.0f);
		sum += d;
	}
	/* mean of U(0,1) over 20000 draws: 0.5 +- 0.01 (about 5 sigma) */
	KT_EXPECT_NEAR(t, sum / 20000, 0.5, 0.01);
	kt_digest(t, &sum, sizeof(sum));
}

static const struct kt_case prng_float_cases[] = {
	{ "golden", prng_float_golden },
	{ "range", prng_float_range },
};

KT_SUITE(kt_suite_prng_float, "prng_float", true, 4096, prng_float_cases);
