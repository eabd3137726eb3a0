// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_wide_check.c - kml_qnn_run() on wide layers at the extremes of the
 * SSE2 dot product's bounds (src/qnn/qnn_dot_sse2.h: lanes of w x 256,
 * shifted back every 1024 inputs): weights -128 and 127, inputs minus
 * zero point +-255, widths 1024 +- 1, 2048 + 16, 3000 (several chunks,
 * tails), 4 and 1 rows; against a plain int64 reference with fixed.h's
 * kml_mul_by_qmult. Also random weights and inputs.
 */
#include <stdio.h>
#include "kmlib/qnn.h"
#include "kmlib/fixed.h"
#include "kmlib/prng.h"

static int check(uint32_t in, uint32_t out, int mode, struct kml_prng *r)
{
	const uint32_t sizes[2] = { in, out };
	static int8_t x[3000], y[8];
	struct kml_qnn_layer *ly;
	struct kml_mem mem;
	struct kml_qnn *q;
	uint32_t i, o;
	int bad = 0;

	kml_mem_init(&mem, "qnn_wide", 0);
	if (kml_qnn_create(&q, &mem, sizes, 1, 1) || kml_qnn_layer(q, 0, &ly))
		return 1;
	/* x - zp = -255 or +255 (mode 0, 1) or random (mode 2) */
	ly->in_zp = mode == 0 ? 127 : mode == 1 ? -128 : 3;
	for (i = 0; i < in; i++)
		x[i] = mode == 0   ? -128
		       : mode == 1 ? 127
				   : (int8_t)kml_prng_u32(r);
	for (o = 0; o < out; o++) {
		for (i = 0; i < in; i++)
			ly->weight[(size_t)o * in + i] =
			    mode == 2 ? (int8_t)kml_prng_u32(r)
			    : (o & 1) ? 127
				      : -128;
		ly->bias[o] = (int32_t)o * 1000 - 3000;
		ly->mult[o] = 1518500250; /* ~ 0.707 */
		ly->shift[o] = -16 - (int32_t)(o & 3);
	}
	ly->out_zp = -5;
	if (kml_qnn_check(q) || kml_qnn_run(q, x, 1, y))
		return 1;
	for (o = 0; o < out; o++) {
		int64_t s = 0;
		int32_t v;

		for (i = 0; i < in; i++)
			s += (int64_t)(x[i] - ly->in_zp) *
			     ly->weight[(size_t)o * in + i];
		v = kml_mul_by_qmult(kml_qadd_i32((int32_t)s, ly->bias[o]),
				     ly->mult[o], ly->shift[o]);
		v = kml_sat_i32((int64_t)v + ly->out_zp);
		v = v < -128 ? -128 : v > 127 ? 127 : v;
		if (v != y[o] && bad++ < 3)
			printf("in %u out %u mode %d row %u: %d != %d (sum "
			       "%lld)\n",
			       in, out, mode, o, y[o], v, (long long)s);
	}
	kml_qnn_destroy(q);
	return bad;
}

int main(void)
{
	static const uint32_t widths[] = { 16,	 1023, 1024, 1025,
					   1040, 2064, 3000 };
	struct kml_prng r;
	int bad = 0, mode;
	size_t w;

	kml_prng_seed(&r, 17);
	for (w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
		for (mode = 0; mode < 3; mode++) {
			bad += check(widths[w], 8, mode, &r);
			bad += check(widths[w], 5, mode, &r);
			bad += check(widths[w], 1, mode, &r);
		}
	printf("qnn wide layers: %s\n", bad ? "MISMATCH" : "all equal");
	return bad ? 1 : 0;
}
