/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * requant_fast.h - the output stage of quantized kernels with its
 * per-call constants hoisted (private to src/fixed/).
 *
 * Same results as kml_mul_by_qmult() + zero point + clamp for parameters
 * that passed kml_requant_check() (mult >= 0, shift in -31..30): with
 * mult >= 0 the INT32_MIN * INT32_MIN saturation cannot happen, and a
 * zero right shift gives mask 0, for which the rounding step adds 0.
 */
#ifndef KMLIB_REQUANT_FAST_H
#define KMLIB_REQUANT_FAST_H

#include "kmlib/fixed.h"

struct kml_rq_fast {
	int64_t mult;
	int32_t left, right, mask, zero_point, lo, hi;
};

static inline void kml_rq_prepare(const struct kml_requant *rq,
				  struct kml_rq_fast *f)
{
	f->mult = rq->mult;
	f->left = rq->shift > 0 ? rq->shift : 0;
	f->right = rq->shift > 0 ? 0 : -rq->shift;
	f->mask = (int32_t)(((uint32_t)1 << f->right) - 1);
	f->zero_point = rq->zero_point;
	f->lo = rq->act_min;
	f->hi = rq->act_max;
}

static inline int32_t kml_rq_apply(int32_t acc, const struct kml_rq_fast *f)
{
	int32_t x = (int32_t)((uint32_t)acc << f->left);
	int64_t ab = x * f->mult;
	int32_t h = (int32_t)((ab + (ab >= 0 ? (1 << 30) : 1 - (1 << 30))) /
			      ((int64_t)1 << 31));
	int32_t rem = h & f->mask;
	int32_t thr = (f->mask >> 1) + (h < 0);
	int64_t v = (int64_t)((h >> f->right) + (rem > thr)) + f->zero_point;

	v = v < f->lo ? f->lo : v;
	return (int32_t)(v > f->hi ? f->hi : v);
}

#endif /* KMLIB_REQUANT_FAST_H */
