// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_requant_fuzz.c - src/qnn/qnn_requant.h's output stages (scalar
 * qnn_rq and, where built with SSE2, the four-channel qnn_rq4) against
 * the definition: clamp(sat32(kml_mul_by_qmult(sat32(acc + bias), mult,
 * shift) + zp), lo, hi), on edge values and 2^20 random cases.
 */
#include <stdio.h>
#include "kmlib/fixed.h"
#include "kmlib/prng.h"
#include "../../src/qnn/qnn_requant.h"
#ifdef KML_SIMD_WIDE
#include <string.h>
#include "../../src/qnn/qnn_requant8.h"

static KML_TARGET_AVX2 KML_NOINLINE bool
rq8(const int32_t *acc, const int32_t *bias, const int32_t *mult,
    const int32_t *shift, int32_t zp, int32_t lo, int32_t hi, int8_t *out)
{
	struct qnn_rq8_k k;
	kml_v8si a;

	qnn_rq8_init(&k, zp, lo, hi);
	memcpy(&a, acc, sizeof(a));
	return qnn_rq8(a, bias, mult, shift, &k, out);
}
#endif

static int8_t ref(int32_t acc, int32_t bias, int32_t mult, int32_t shift,
		  int32_t zp, int32_t lo, int32_t hi)
{
	int32_t v = kml_mul_by_qmult(kml_qadd_i32(acc, bias), mult, shift);

	v = kml_sat_i32((int64_t)v + zp);
	return (int8_t)(v < lo ? lo : v > hi ? hi : v);
}

static const int32_t edges[] = {
	INT32_MIN, INT32_MIN + 1, -65536,  -257,	  -1,	    0,
	1,	   255,		  1 << 20, INT32_MAX - 1, INT32_MAX
};

static int32_t pick(struct kml_prng *r)
{
	uint32_t k = kml_prng_below(r, 4);

	if (k == 0)
		return edges[kml_prng_below(r,
					    sizeof(edges) / sizeof(edges[0]))];
	if (k == 1)
		return (int32_t)kml_prng_u32(r) >> kml_prng_below(r, 31);
	return (int32_t)kml_prng_u32(r);
}

int main(void)
{
	struct kml_prng r;
	long bad = 0, n4 = 0, n8 = 0, n8_no = 0;
	int iter, i;

	kml_prng_seed(&r, 6);
	for (iter = 0; iter < (1 << 20); iter++) {
		int32_t acc[8], bias[8], mult[8], shift[8], zp, lo, hi;
		int8_t want[8], got[8];
#ifdef KML_SIMD_WIDE /* not with -Dsimd=sse2 */
		bool valid = true;
#endif

		zp = (int32_t)kml_prng_below(&r, 256) - 128;
		lo = (int32_t)kml_prng_below(&r, 256) - 128;
		hi = lo + (int32_t)kml_prng_below(&r, (uint32_t)(128 - lo));
		if (kml_prng_below(&r, 4) == 0) {
			lo = -128;
			hi = 127;
		}
		for (i = 0; i < 8; i++) {
			acc[i] = pick(&r);
			bias[i] =
			    kml_prng_below(&r, 2)
				? pick(&r)
				: (int32_t)kml_prng_below(&r, 2001) - 1000;
			mult[i] = pick(&r) & INT32_MAX;
			if (kml_prng_below(&r, 8) == 0)
				mult[i] = kml_prng_below(&r, 2) ? 0 : INT32_MAX;
			shift[i] = (int32_t)kml_prng_below(&r, 62) - 31;
		}
		/* groups of four with one shift <= 0, as per-channel layers
		 * have */
		if (kml_prng_below(&r, 2))
			shift[1] = shift[2] = shift[3] = shift[0] =
			    -(int32_t)kml_prng_below(&r, 32);
		for (i = 0; i < 8; i++) {
			want[i] =
			    ref(acc[i], bias[i], mult[i], shift[i], zp, lo, hi);
			if (qnn_rq_ok(mult[i], shift[i]) &&
			    qnn_rq(acc[i], bias[i], mult[i], shift[i], zp, lo,
				   hi) != want[i] &&
			    bad++ < 5)
				printf("qnn_rq: acc %d bias %d mult %d shift "
				       "%d zp %d [%d, %d]\n",
				       acc[i], bias[i], mult[i], shift[i], zp,
				       lo, hi);
		}
#if defined(__SSE2__)
		if (qnn_rq4_ok(mult, shift)) {
			n4++;
			qnn_rq4(acc, bias, mult, shift[0], zp, lo, hi, got);
			for (i = 0; i < 4; i++)
				if (got[i] != want[i] && bad++ < 5)
					printf("qnn_rq4 lane %d: acc %d bias "
					       "%d mult %d shift %d zp %d [%d, "
					       "%d]: %d != %d\n",
					       i, acc[i], bias[i], mult[i],
					       shift[0], zp, lo, hi, got[i],
					       want[i]);
		}
#endif
#ifdef KML_SIMD_WIDE
		if (!kml_cpu_has_avx2())
			continue;
		/* one in 16: a lane qnn_rq() does not admit */
		if (kml_prng_below(&r, 16) == 0) {
			i = (int)kml_prng_below(&r, 8);
			switch (kml_prng_below(&r, 3)) {
			case 0:
				mult[i] = -1 - (int32_t)(kml_prng_u32(&r) >> 1);
				break;
			case 1:
				shift[i] = 31 + (int32_t)kml_prng_below(&r, 4);
				break;
			default:
				shift[i] = -32 - (int32_t)kml_prng_below(&r, 4);
			}
			valid = false;
		}
		memset(got, 0x55, sizeof(got));
		if (!rq8(acc, bias, mult, shift, zp, lo, hi, got)) {
			n8_no++;
			if (valid && bad++ < 5)
				printf("qnn_rq8 declined valid lanes\n");
			continue;
		}
		n8++;
		if (!valid && bad++ < 5)
			printf("qnn_rq8 took an invalid lane\n");
		for (i = 0; valid && i < 8; i++)
			if (got[i] != want[i] && bad++ < 5)
				printf("qnn_rq8 lane %d: acc %d bias %d mult "
				       "%d shift %d zp %d [%d, %d]: %d != %d\n",
				       i, acc[i], bias[i], mult[i], shift[i],
				       zp, lo, hi, got[i], want[i]);
#endif
	}
	printf("qnn requant: %d cases, %ld four-channel, %ld eight-channel "
	       "(%ld declined), %ld mismatches\n",
	       1 << 20, n4, n8, n8_no, bad);
#if defined(__SSE2__)
	if (n4 < (1 << 18))
		return 1;
#endif
#ifdef KML_SIMD_WIDE
	if (kml_cpu_has_avx2() && (n8 < (1 << 19) || n8_no < (1 << 14)))
		return 1;
#endif
	return bad ? 1 : 0;
}
