/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qnn_requant.h - the int8 output stage of one channel in few
 * instructions (private to src/qnn/, nofpu). Bit for bit
 *   clamp(sat32(kml_mul_by_qmult(sat32(acc + bias), mult, shift) + zp),
 *         lo, hi)
 * for the parameters kml_qnn_check() admits (mult >= 0, shift in
 * -31..30; callers test that and fall back otherwise): with mult >= 0,
 * SRDHM's truncating division with its sign-dependent nudge equals
 * floor((x mult + 2^30) / 2^31) (the argument of fixed's requant_fast.h),
 * and its saturating case (INT32_MIN x INT32_MIN) cannot occur.
 * Clamping to [lo - zp, hi - zp] before adding zp cannot overflow where
 * sat32(v + zp) would have been needed.
 */
#ifndef KMLIB_QNN_REQUANT_H
#define KMLIB_QNN_REQUANT_H

#include "kmlib/kml_deps.h"

static inline bool qnn_rq_ok(int32_t mult, int32_t shift)
{
	return mult >= 0 && shift >= -31 && shift <= 30;
}

static inline int8_t qnn_rq(int32_t acc, int32_t bias, int32_t mult,
			    int32_t shift, int32_t zp, int32_t lo, int32_t hi)
{
	int64_t a = (int64_t)acc + bias;
	int32_t x, h, right, mask, v;

	a = a > INT32_MAX ? INT32_MAX : a < INT32_MIN ? INT32_MIN : a;
	x = (int32_t)a;
	right = -shift;
	if (shift > 0) {
		x = (int32_t)((uint32_t)x << shift);
		right = 0;
	}
	h = (int32_t)(((int64_t)x * mult + (1 << 30)) >> 31);
	mask = (int32_t)(((uint32_t)1 << right) - 1);
	/* RoundingDivideByPOT: ties away from zero */
	v = (h >> right) + ((h & mask) > (mask >> 1) + (h < 0));
	lo -= zp;
	hi -= zp;
	v = v < lo ? lo : v > hi ? hi : v;
	return (int8_t)(v + zp);
}

#endif /* KMLIB_QNN_REQUANT_H */
