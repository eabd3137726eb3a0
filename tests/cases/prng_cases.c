// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * prng_cases.c - the deterministic generator against values from an
 * independent Python implementation of splitmix64 + xoshiro256**.
 */
#include "../ktest.h"
#include "kmlib/prng.h"

static void prng_golden(struct kt_ctx *t)
{
	static const uint64_t seed0[4] = { 0x99ec5f36cb75f2b4ull,
					   0xbf6e1f784956452aull,
					   0x1a5f849d4933e6e0ull,
					   0x6aa594f1262d2d2cull };
	static const uint64_t seed42[4] = { 0x15780b2e0c2ec716ull,
					    0x6104d9866d113a7eull,
					    0xae17533239e499a1ull,
					    0xecb8ad4703b360a1ull };
	struct kml_prng r;
	int i;

	kml_prng_seed(&r, 0);
	for (i = 0; i < 4; i++)
		KT_EXPECT(t, kml_prng_u64(&r) == seed0[i]);
	kml_prng_seed(&r, 42);
	for (i = 0; i < 4; i++)
		KT_EXPECT(t, kml_prng_u64(&r) == seed42[i]);
	kml_prng_seed(&r, 42);
	KT_EXPECT(t, kml_prng_u32(&r) == (uint32_t)(seed42[0] >> 32));
}

static void prng_below(struct kt_ctx *t)
{
	uint32_t hist[10] = { 0 };
	struct kml_prng r;
	int i;

	kml_prng_seed(&r, 1);
	KT_EXPECT_EQ(t, kml_prng_below(&r, 0), 0);
	KT_EXPECT_EQ(t, kml_prng_below(&r, 1), 0);
	for (i = 0; i < 100000; i++) {
		uint32_t v = kml_prng_below(&r, 10);

		if (v >= 10) {
			KT_EXPECT(t, v < 10);
			return;
		}
		hist[v]++;
	}
	/* each bucket within 5% of 10000 (about 5 sigma) */
	for (i = 0; i < 10; i++)
		KT_EXPECT(t, hist[i] > 9500 && hist[i] < 10500);
	kt_digest(t, hist, sizeof(hist));
}

static const struct kt_case prng_cases[] = {
	{ "golden", prng_golden },
	{ "below", prng_below },
};

KT_SUITE(kt_suite_prng, "prng", false, 0, prng_cases);
