// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * fixed_requant_fuzz.c - the hoisted requantization of the quantized
 * kernels (src/fixed/requant_fast.h: scalar, and 4-lane SSE2 where built)
 * against kml_mul_by_qmult(), which the shared suite checks against the
 * independent Python vectors: all of those vectors plus 2^21 random
 * (x, mult >= 0, shift in -31..30) with edge-heavy inputs, and the
 * kml_requantize_i8/i16 array entry points over random lengths.
 */
#include <stdio.h>
#include "kmlib/fixed.h"
#include "../../src/fixed/requant_fast.h"
#include "../cases/fixed_vectors.h"

static uint64_t state = 99;

static uint32_t rnd(void)
{
	state = state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(state >> 32);
}

static long bad;

/* Compare on the full int32 range: zero point 0, no clamp. */
static void check(int32_t x, int32_t mult, int32_t shift)
{
	struct kml_requant rq = { .mult = mult,
				  .shift = shift,
				  .act_min = INT32_MIN,
				  .act_max = INT32_MAX };
	struct kml_rq_fast f;
	int32_t want = kml_mul_by_qmult(x, mult, shift);

	kml_rq_prepare(&rq, &f);
	if (kml_rq_apply(x, &f) != want)
		bad++;
#if KML_RQ_VEC
	{
		/* the vector form adds the zero point after clamping to
		 * [lo - zp, hi - zp]: use an int16-sized range there */
		/* wraps at INT32_MIN */
		int32_t neg = (int32_t)(0u - (uint32_t)x);
		kml_rq_v4si v = { x, x ^ 1, neg, x >> 3 }, r;
		int32_t lane[4] = { x, x ^ 1, neg, x >> 3 };

		f.lo = INT16_MIN;
		f.hi = INT16_MAX;
		f.zero_point = (int32_t)(rnd() % 201) - 100;
		r = kml_rq_apply4(v, &f);
		for (int l = 0; l < 4; l++) {
			int64_t e =
			    (int64_t)kml_mul_by_qmult(lane[l], mult, shift) +
			    f.zero_point;

			e = e < INT16_MIN ? INT16_MIN : e;
			e = e > INT16_MAX ? INT16_MAX : e;
			if (r[l] != e)
				bad++;
		}
	}
#endif
}

int main(void)
{
	static const int32_t edge[] = {
		INT32_MIN, INT32_MIN + 1, -65536, -1, 0, 1, 65535, INT32_MAX
	};
	long n = 0;

	for (size_t i = 0; i < sizeof(fv_mbqm) / sizeof(fv_mbqm[0]); i++) {
		if (fv_mbqm[i][1] < 0 || fv_mbqm[i][2] > 30)
			continue;
		check(fv_mbqm[i][0], fv_mbqm[i][1], fv_mbqm[i][2]);
		n++;
	}
	for (long i = 0; i < (1L << 21); i++, n++) {
		uint32_t pick = rnd();
		/* clang-format off */
		int32_t x = (pick & 3) == 0 ? edge[rnd() % 8] :
			    (pick & 3) == 1 ? (int32_t)(rnd() % 2001) - 1000 :
					      (int32_t)rnd();
		int32_t mult = (pick & 12) == 0 ? (int32_t)(rnd() >> 1) :
			       (pick & 12) == 4 ? (int32_t)(rnd() % 4) :
						  (int32_t)((rnd() >> 2) | 1u << 30);
		/* clang-format on */
		int32_t shift = (int32_t)(rnd() % 62) - 31;

		check(x, mult, shift);
	}
	/* the array entry points (vector packs and scalar tails) */
	for (int round = 0; round < 64; round++, n++) {
		static int32_t in[1031];
		static int8_t o8[1031];
		static int16_t o16[1031];
		struct kml_requant rq = {
			.mult = (int32_t)((rnd() >> 2) | 1u << 30),
			.shift = (int32_t)(rnd() % 40) - 31,
			.zero_point = (int32_t)(rnd() % 41) - 20,
		};
		size_t len = 1 + rnd() % 1031;

		for (size_t i = 0; i < len; i++)
			in[i] = (rnd() & 1)
				    ? (int32_t)rnd()
				    : (int32_t)(rnd() % 200001) - 100000;
		rq.act_min = -128 + (int32_t)(rnd() % 50);
		rq.act_max = 127 - (int32_t)(rnd() % 50);
		if (kml_requantize_i8(in, len, &rq, o8))
			bad++;
		for (size_t i = 0; i < len; i++) {
			int64_t e = (int64_t)kml_mul_by_qmult(in[i], rq.mult,
							      rq.shift) +
				    rq.zero_point;

			e = e < rq.act_min ? rq.act_min : e;
			if (o8[i] != (e > rq.act_max ? rq.act_max : e))
				bad++;
		}
		rq.act_min = INT16_MIN + (int32_t)(rnd() % 50);
		rq.act_max = INT16_MAX - (int32_t)(rnd() % 50);
		if (kml_requantize_i16(in, len, &rq, o16))
			bad++;
		for (size_t i = 0; i < len; i++) {
			int64_t e = (int64_t)kml_mul_by_qmult(in[i], rq.mult,
							      rq.shift) +
				    rq.zero_point;

			e = e < rq.act_min ? rq.act_min : e;
			if (o16[i] != (e > rq.act_max ? rq.act_max : e))
				bad++;
		}
	}
	printf("requant fast paths (vector: %s): %ld of %ld differ\n",
	       KML_RQ_VEC ? "yes" : "no", bad, n);
	return bad ? 1 : 0;
}
