/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * kmath_impl.h - private helpers of src/math: bit casts, the reduction
 * constants (values printed by tools/gen_kmath_tables.py) and the shared
 * exp and log kernels.
 *
 * exp: x = (64 k + j) ln2/64 + r, |r| <= ln2/128, so
 *      exp(x) = 2^k * 2^(j/64) * exp(r), with 2^(j/64) from a table in
 *      hi + lo form and exp(r) - 1 from its Taylor polynomial.
 * log (kml_log_kernel, kml_logf_kernel): x = 2^k z, z in [0.697, 1.394),
 *      z * invc = 1 + r exactly with invc ~ 1/c from a table, then
 *      log(x) = k ln2 - log(invc) + log1p(r); no division.
 * log as hi + lo (kml_log_dd, for pow, log1p and log2): x = 2^k m, m
 *      rounded to the nearest c = 1 + j/64 (halved, k + 1, when m > ~1.4,
 *      so that x near 1 has k = 0 and c = 1), then log(x) = k ln2 +
 *      log(c) + 2 atanh(u) with u = (m - c) / (m + c) as hi + lo,
 *      |u| <= 2^-8.
 */
#ifndef KMLIB_MATH_KMATH_IMPL_H
#define KMLIB_MATH_KMATH_IMPL_H

#include "kmlib/kml_deps.h"
#include "kmlib/kmath.h"

extern const double kml_exp2_tab[64][2];
extern const double kml_log_tab[65][2];
extern const double kml_logf_tab[32][2];
extern const double kml_logd_tab[128][3];

#define KML_EXP_SHIFT 0x1.8p52 /* adding it rounds to an integer */
#define KML_INVLN2_64 0x1.71547652b82fep+6 /* 64 / ln2 */
#define KML_LN2_64_HI 0x1.62e42fefa0000p-7 /* 36 bits: k * hi is exact */
#define KML_LN2_64_LO 0x1.cf79abc9e3b3ap-46
#define KML_LN2_HI 0x1.62e42fefa4000p-1 /* 41 bits: k * hi is exact */
#define KML_LN2_LO -0x1.8432a1b0e2634p-43
#define KML_INVLN2 0x1.71547652b82fep+0
#define KML_INVLN2_LO 0x1.777d0ffda0d24p-56
#define KML_LOG_SPLIT 26 /* table index from which m and c are halved */

static inline uint32_t kml_f2u(float f)
{
	uint32_t u;

	kml_memcpy(&u, &f, sizeof(u));
	return u;
}

static inline float kml_u2f(uint32_t u)
{
	float f;

	kml_memcpy(&f, &u, sizeof(f));
	return f;
}

static inline uint64_t kml_d2u(double d)
{
	uint64_t u;

	kml_memcpy(&u, &d, sizeof(u));
	return u;
}

static inline double kml_u2d(uint64_t u)
{
	double d;

	kml_memcpy(&d, &u, sizeof(d));
	return d;
}

/* 2^e for -1074 <= e <= 1023 (exact, subnormal below -1022). */
static inline double kml_pow2(int e)
{
	if (e >= -1022)
		return kml_u2d((uint64_t)(e + 1023) << 52);
	return kml_u2d(1ULL << (e + 1074));
}

/* c[0] + c[1] t + ... + c[n-1] t^(n-1) */
static inline double kml_horner(const double *c, int n, double t)
{
	double r = c[n - 1];
	int i;

	for (i = n - 2; i >= 0; i--)
		r = r * t + c[i];
	return r;
}

/* Exact product a * b = hi + lo without FMA (Dekker); |a|,|b| < 2^995. */
static inline void kml_two_prod(double a, double b, double *hi, double *lo)
{
	const double split = 0x1p27 + 1;
	double ca = split * a, cb = split * b;
	double ah = ca - (ca - a), bh = cb - (cb - b);
	double al = a - ah, bl = b - bh;

	*hi = a * b;
	*lo = ((ah * bh - *hi) + ah * bl + al * bh) + al * bl;
}

/* Exact sum a + b = hi + lo for any a, b (Knuth). */
static inline void kml_two_sum(double a, double b, double *hi, double *lo)
{
	double s = a + b, bb = s - a;

	*hi = s;
	*lo = (a - (s - bb)) + (b - bb);
}

/*
 * exp(x + xt) for -746 < x < 710 and |xt| tiny next to the reduced
 * argument (a tail of x, or 0). Gives < 0.52 ULP before the final scaling;
 * overflows to +inf and underflows to 0 through the subnormals.
 */
static inline double kml_exp_kernel(double x, double xt)
{
	double kd = x * KML_INVLN2_64 + KML_EXP_SHIFT;
	double r, p, th, tl, tmp;
	int64_t k;
	int j, e;

	kd -= KML_EXP_SHIFT;
	k = (int64_t)kd;
	r = (x - kd * KML_LN2_64_HI) - kd * KML_LN2_64_LO + xt;
	j = (int)(k & 63);
	e = (int)(k >> 6); /* arithmetic shift: floor(k / 64) */
	/* exp(r) - 1, Taylor to r^6: |r| < 0.0055 leaves < 2^-64 */
	p = r + r * r *
		    (0.5 + r * (0x1.5555555555555p-3 +
				r * (0x1.5555555555555p-5 +
				     r * (0x1.1111111111111p-7 +
					  r * 0x1.6c16c16c16c17p-10))));
	th = kml_exp2_tab[j][0];
	tl = kml_exp2_tab[j][1];
	tmp = th + (th * p + tl);
	if (KML_LIKELY(e >= -1022 && e <= 1023))
		return tmp * kml_pow2(e);
	if (e > 1023)
		return tmp * 2.0 * kml_pow2(e - 1); /* may overflow: +inf */
	/* subnormal result: the first product is exact, the second rounds */
	return tmp * 0x1p-1000 * kml_pow2(e + 1000 < -1074 ? -1074 : e + 1000);
}

/*
 * exp(x) = hi + lo to about 2^-60 relative, for |x| <= 700 (normal
 * results): callers that divide or take log1p of it keep the extra bits.
 */
static inline double kml_exp_dd(double x, double *lo)
{
	double kd = x * KML_INVLN2_64 + KML_EXP_SHIFT;
	uint64_t ki = kml_d2u(kd);
	double rh, r, rl, p, th, t, hi, sc;

	kd -= KML_EXP_SHIFT;
	rh = x - kd * KML_LN2_64_HI;
	r = rh - kd * KML_LN2_64_LO;
	rl = (rh - r) - kd * KML_LN2_64_LO;
	p = r + (r * r *
		     (0.5 + r * (0x1.5555555555555p-3 +
				 r * (0x1.5555555555555p-5 +
				      r * (0x1.1111111111111p-7 +
					   r * 0x1.6c16c16c16c17p-10)))) +
		 rl);
	th = kml_exp2_tab[ki & 63][0];
	t = th * p + kml_exp2_tab[ki & 63][1];
	hi = th + t;
	/* 2^(k >> 6), built from the rounding bits as in kml_exp_kernel_fast */
	sc = kml_u2d(0x3ff0000000000000ULL + ((ki >> 6) << 52));
	*lo = ((th - hi) + t) * sc;
	return hi * sc;
}

/*
 * exp(x) for |x| < 745 with only double precision needed by a float
 * result: one table entry, a cubic and a scaling.
 */
static inline double kml_exp_kernel_fast(double x)
{
	/* in units of ln2/64: z = k + r, |r| <= 1/2 (z rounds by < 2^-40) */
	double z = x * KML_INVLN2_64, kd = z + KML_EXP_SHIFT;
	/* the low bits of kd's pattern hold k = round(z) */
	uint64_t ki = kml_d2u(kd);
	double r, r2, p, s;

	kd -= KML_EXP_SHIFT;
	r = z - kd;
	/*
	 * 2^(k/64) = table entry j = k mod 64 with k >> 6 added to its
	 * exponent: bits 6.. of ki are those of k (mod 2^12 after the shift)
	 */
	s = kml_u2d(kml_d2u(kml_exp2_tab[ki & 63][0]) + ((ki >> 6) << 52));
	/* 2^(r/64) - 1, Taylor to degree 4: truncation < 2^-46 */
	r2 = r * r;
	p = 0x1.62e42fefa39efp-7 * r +
	    r2 * (0x1.ebfbdff82c58fp-15 + 0x1.c6b08d704a0c0p-23 * r +
		  0x1.3b2ab6fba4e77p-31 * r2);
	return s + s * p;
}

/*
 * Reduce a positive normal double (bits ix) for log: returns k and the
 * table index j and sets u = (m - c) / (m + c) (rounded) and the halved m
 * and c so callers can refine u.
 */
static inline int kml_log_reduce(uint64_t ix, int *jp, double *mp, double *cp)
{
	uint64_t mb = ix & ((1ULL << 52) - 1);
	int k = (int)(ix >> 52) - 1023;
	int j = (int)((mb + (1ULL << 45)) >> 46);
	/* halve m and c without a branch: random inputs would mispredict */
	uint64_t h = j >= KML_LOG_SPLIT;

	*jp = j;
	*mp = kml_u2d((mb | 0x3ff0000000000000ULL) - (h << 52));
	*cp = kml_u2d(kml_d2u(1.0 + j * 0x1p-6) - (h << 52));
	return k + (int)h;
}

/* 2 atanh(u) - 2u for |u| <= 2^-8: truncation below 2^-64 relative */
static inline double kml_atanh_tail(double u)
{
	double z = u * u;

	return u * z *
	       (0x1.5555555555555p-1 +
		z * (0x1.999999999999ap-2 +
		     z * (0x1.2492492492492p-2 + z * 0x1.c71c71c71c71cp-3)));
}

/*
 * log(x) as hi + lo (relative error around 2^-68) for a positive normal
 * double with bits ix; pow and log2 need the extra bits.
 * If @kp is set, k ln2 is left out and k is returned in *kp.
 */
static inline void kml_log_dd(uint64_t ix, int *kp, double *hi, double *lo)
{
	double m, c, g, d, dl, u, ul, p, pl, s, sl, s2, sl2, l, t;
	int j, k = kml_log_reduce(ix, &j, &m, &c);

	g = m - c; /* exact: m and c are within 1/128 */
	kml_two_sum(m, c, &d, &dl);
	u = g / d;
	kml_two_prod(u, d, &p, &pl);
	ul = ((g - p) - pl - u * dl) / d;
	t = kml_atanh_tail(u);
	if (kp) {
		*kp = k;
		k = 0;
	}
	/* k ln2_hi + log(c)_hi: the first term is the larger when k != 0 */
	s = k * KML_LN2_HI + kml_log_tab[j][0];
	sl = (k * KML_LN2_HI - s) + kml_log_tab[j][0];
	kml_two_sum(s, 2 * u, &s2, &sl2);
	l = sl + sl2 + 2 * ul + t + k * KML_LN2_LO + kml_log_tab[j][1];
	*hi = s2 + l;
	*lo = l - (*hi - s2);
}

#define KML_LOGD_OFF 0x3fe6500000000000ULL
#define KML_LOGF_OFF 0x3f320000u

/*
 * log(x) in double (about 0.55 ULP) for x > 0 given by bits ix, which may
 * be "virtual" (a subnormal's scaled bits minus the scale in the exponent
 * field), without a division: x = 2^k z with z in [0.697, 1.394), z * invc
 * = 1 + r exactly (invc has 21 bits, z is split into 32 + 21 bits), then
 * log(x) = k ln2 - log(invc) + log1p(r), |r| <= 2^-8, Taylor to r^7.
 */
static inline double kml_log_kernel(uint64_t ix)
{
	uint64_t tmp = ix - KML_LOGD_OFF;
	int i = (int)((tmp >> 45) & 127), k = (int)((int64_t)tmp >> 52);
	double z = kml_u2d(ix - (tmp & 0xfff0000000000000ULL));
	double zh = kml_u2d(kml_d2u(z) & ~((1ULL << 21) - 1)), zl = z - zh;
	double invc = kml_logd_tab[i][0];
	double r = (zh * invc - 1.0) + zl * invc;
	double r2 = r * r, r4 = r2 * r2, p, hi, err, s;

	p = r2 * (-0.5 + r * 0x1.5555555555555p-2) +
	    r4 * (-0.25 + r * 0x1.999999999999ap-3 +
		  r2 * (-0x1.5555555555555p-3 + r * 0x1.2492492492492p-3));
	/* exact: ln2_hi has 41 bits and log(c)_hi is a multiple of 2^-43 */
	hi = k * KML_LN2_HI + kml_logd_tab[i][1];
	/* |hi| >= |r| unless hi = 0 (i = 77, k = 0): Fast2Sum is exact */
	s = hi + r;
	err = (hi - s) + r;
	return s + (p + err + (k * KML_LN2_LO + kml_logd_tab[i][2]));
}

/* Same for a float result: 32 subintervals, exact z * invc, degree 5. */
static inline double kml_logf_kernel(uint32_t ix)
{
	uint32_t tmp = ix - KML_LOGF_OFF;
	int i = (int)((tmp >> 18) & 31), k = (int32_t)tmp >> 23;
	double z = kml_u2f(ix - (tmp & 0xff800000u));
	double r = z * kml_logf_tab[i][0] - 1.0, r2 = r * r;
	double p = r + r2 * (-0.5 + r * 0x1.5555555555555p-2 +
			     r2 * (-0.25 + r * 0x1.999999999999ap-3));

	return (k * 0x1.62e42fefa39efp-1 + kml_logf_tab[i][1]) + p;
}

/*
 * log(x) for a float x > 0 (bits ix, possibly "virtual" as above) to
 * about 2^-50 relative, for powf: the float table, Taylor to r^7.
 */
static inline double kml_logf_kernel_precise(uint32_t ix)
{
	uint32_t tmp = ix - KML_LOGF_OFF;
	int i = (int)((tmp >> 18) & 31), k = (int32_t)tmp >> 23;
	double z = kml_u2f(ix - (tmp & 0xff800000u));
	double r = z * kml_logf_tab[i][0] - 1.0, r2 = r * r, r4 = r2 * r2;
	double p =
	    r2 * (-0.5 + r * 0x1.5555555555555p-2) +
	    r4 * (-0.25 + r * 0x1.999999999999ap-3 +
		  r2 * (-0x1.5555555555555p-3 + r * 0x1.2492492492492p-3));

	return (k * 0x1.62e42fefa39efp-1 + kml_logf_tab[i][1]) + (r + p);
}

#endif /* KMLIB_MATH_KMATH_IMPL_H */
