// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * sigmoid.c - the logistic function 1 / (1 + exp(-x)).
 * Only exp(-|x|) <= 1 is ever computed, so no input overflows:
 * x >= 0 gives 1 / (1 + e), x < 0 gives e / (1 + e).
 */
#include "kmath_impl.h"

double kml_sigmoid(double x)
{
	uint64_t ix = kml_d2u(x), ax = ix & ~(1ULL << 63);
	uint64_t neg = 0 - (ix >> 63);
	double eh, el, d, dl, n, nl, r, ph, pl;

	if (KML_UNLIKELY(ax >= 0x4044000000000000ULL)) { /* |x| >= 40 */
		if (ax > 0x7ff0000000000000ULL)
			return x + x;
		if (!(ix >> 63)) /* 1 - e^-40 rounds to 1 */
			return 1.0;
		if (x < -746.0) /* below half the smallest subnormal */
			return 0.0;
		return kml_exp_kernel(x, 0.0); /* 1 + e is 1 */
	}
	/*
	 * e = exp(-|x|) <= 1 as eh + el; the result is n / (1 + e) with
	 * n = e for x < 0 and 1 otherwise. d + dl = 1 + e exactly
	 * (Fast2Sum); r = n / d is corrected by the exact remainder.
	 */
	eh = kml_exp_dd(-kml_u2d(ax), &el);
	d = 1.0 + eh;
	dl = ((1.0 - d) + eh) + el;
	n = kml_u2d((kml_d2u(eh) & neg) | (kml_d2u(1.0) & ~neg));
	nl = kml_u2d(kml_d2u(el) & neg);
	r = n / d;
	kml_two_prod(r, d, &ph, &pl);
	return r + (((n - ph) - pl) + nl - r * dl) / d;
}

float kml_sigmoidf(float x)
{
	uint32_t ix = kml_f2u(x), ax = ix & 0x7fffffff;
	uint64_t neg = 0 - (uint64_t)(ix >> 31);
	double e, num;

	if (KML_UNLIKELY(ax >= 0x42200000)) { /* |x| >= 40 */
		if (ax > 0x7f800000)
			return x + x;
		if (!(ix >> 31))
			return 1.0f;
		if (ax > 0x42d00000) /* x < -104: below 2^-150 */
			return 0.0f;
		return (float)kml_exp_kernel_fast(x); /* 1 + e is 1 */
	}
	/* e = exp(-|x|); numerator e for x < 0, else 1, without a branch */
	e = kml_exp_kernel_fast(-kml_u2f(ax));
	num = kml_u2d((kml_d2u(e) & neg) | (kml_d2u(1.0) & ~neg));
	return (float)(num / (1.0 + e));
}

typedef double kml_sig_v2d __attribute__((__vector_size__(16)));
typedef double kml_sig_v4d __attribute__((__vector_size__(32)));
typedef float kml_sig_v4f __attribute__((__vector_size__(16)));
typedef uint32_t kml_sig_v4u __attribute__((__vector_size__(16)));
typedef uint64_t kml_sig_v2u __attribute__((__vector_size__(16)));
typedef int64_t kml_sig_v2i __attribute__((__vector_size__(16)));

/*
 * kml_sigmoidf on two inputs at once (both |x| < 40): the same double
 * operations in the same order as kml_exp_kernel_fast and kml_sigmoidf,
 * lane by lane, so the bits are those of the scalar function. Only the
 * table lookup is done per lane.
 */
static __attribute__((__always_inline__)) inline kml_sig_v2d
kml_sigmoidf_pair(kml_sig_v2d x)
{
	const kml_sig_v2u sign = { 1ULL << 63, 1ULL << 63 };
	const kml_sig_v2d one = { 1.0, 1.0 };
	kml_sig_v2d ax, z, kd, r, r2, p, s, e, num;
	kml_sig_v2u ki, neg, tab, j;

	neg = (kml_sig_v2u)((kml_sig_v2i)((kml_sig_v2u)x & sign) >> 63);
	ax = (kml_sig_v2d)((kml_sig_v2u)x | sign); /* -|x| */
	z = ax * KML_INVLN2_64;
	kd = z + KML_EXP_SHIFT;
	ki = (kml_sig_v2u)kd;
	kd -= KML_EXP_SHIFT;
	r = z - kd;
	j = (ki & 63) * sizeof(kml_exp2_tab[0]); /* byte offsets */
	tab[0] = kml_d2u(*(const double *)((const char *)kml_exp2_tab + j[0]));
	tab[1] = kml_d2u(*(const double *)((const char *)kml_exp2_tab + j[1]));
	s = (kml_sig_v2d)(tab + ((ki >> 6) << 52));
	r2 = r * r;
	p = 0x1.62e42fefa39efp-7 * r +
	    r2 * (0x1.ebfbdff82c58fp-15 + 0x1.c6b08d704a0c0p-23 * r +
		  0x1.3b2ab6fba4e77p-31 * r2);
	e = s + s * p;
	num = (kml_sig_v2d)(((kml_sig_v2u)e & neg) | ((kml_sig_v2u)one & ~neg));
	return num / (one + e);
}

/*
 * |x| >= 40 or NaN in any lane: each |x| bit pattern plus
 * 2^31 - 0x42200000 has bit 31 set exactly when it is >= 0x42200000.
 */
static inline int kml_sigmoidf_big4(kml_sig_v4f x)
{
	const kml_sig_v4u mag = { 0x7fffffff, 0x7fffffff, 0x7fffffff,
				  0x7fffffff };
	const kml_sig_v4u add = { 0x3de00000, 0x3de00000, 0x3de00000,
				  0x3de00000 };
	kml_sig_v2u w = (kml_sig_v2u)(((kml_sig_v4u)x & mag) + add);

	return !!((w[0] | w[1]) & 0x8000000080000000ULL);
}

/* sigmoid of 4 lanes, none of them special */
static __attribute__((__always_inline__)) inline kml_sig_v4f
kml_sigmoidf_quad(kml_sig_v4f x)
{
	kml_sig_v4d d = __builtin_convertvector(x, kml_sig_v4d);
	kml_sig_v2d a = kml_sigmoidf_pair(__builtin_shufflevector(d, d, 0, 1));
	kml_sig_v2d b = kml_sigmoidf_pair(__builtin_shufflevector(d, d, 2, 3));

	d = __builtin_shufflevector(a, b, 0, 1, 2, 3);
	return __builtin_convertvector(d, kml_sig_v4f);
}

/*
 * From the first group of 4 with a special input on: groups of 4 (the
 * last one padded) through the scalar function when one is special.
 * Out of line so that the common path makes no calls.
 */
static __attribute__((__noinline__)) int
kml_sigmoidf_vec_slow(float *y, const float *x, size_t n)
{
	kml_sig_v4f v;
	float tmp[4];
	size_t i, k, m;

	for (i = 0; i < n; i += 4) {
		m = n - i < 4 ? n - i : 4;
		for (k = 0; k < 4; k++)
			tmp[k] = x[i + (k < m ? k : m - 1)];
		kml_memcpy(&v, tmp, sizeof(v));
		if (kml_sigmoidf_big4(v)) {
			for (k = 0; k < m; k++)
				y[i + k] = kml_sigmoidf(x[i + k]);
			continue;
		}
		v = kml_sigmoidf_quad(v);
		for (k = 0; k < m; k++)
			y[i + k] = v[k];
	}
	return KML_OK;
}

int kml_sigmoidf_vec(float *y, const float *x, size_t n)
{
	kml_sig_v4f v;
	kml_sig_v2d d;
	float tmp[4];
	size_t i;

	if (!y || !x)
		return n ? KML_EINVAL : KML_OK;
#ifdef KML_SIZE_OPT
	/* the size profile: the same quads, the common path left out */
	if (n)
		return kml_sigmoidf_vec_slow(y, x, n);
#endif
	for (i = 0; i + 4 <= n; i += 4) {
		kml_memcpy(&v, x + i, sizeof(v));
		if (KML_UNLIKELY(kml_sigmoidf_big4(v)))
			return kml_sigmoidf_vec_slow(y + i, x + i, n - i);
		v = kml_sigmoidf_quad(v);
		kml_memcpy(y + i, &v, sizeof(v));
	}
	n -= i;
	if (!n)
		return KML_OK;
	/* 1 to 3 left: the last one repeated to fill 4 lanes */
	tmp[0] = x[i];
	tmp[1] = x[i + (n > 1)];
	tmp[2] = x[i + (n > 2) + (n > 1)];
	tmp[3] = tmp[2];
	kml_memcpy(&v, tmp, sizeof(v));
	if (KML_UNLIKELY(kml_sigmoidf_big4(v)))
		return kml_sigmoidf_vec_slow(y + i, x + i, n);
	if (n > 2) {
		v = kml_sigmoidf_quad(v);
		y[i + 2] = v[2];
	} else { /* one pair is enough */
		d = kml_sigmoidf_pair((kml_sig_v2d){ tmp[0], tmp[1] });
		v[0] = (float)d[0];
		v[1] = (float)d[1];
	}
	y[i] = v[0];
	if (n > 1)
		y[i + 1] = v[1];
	return KML_OK;
}
