// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * kmath_accuracy.c - max ULP error of every kmath function against
 * glibc's libm over random points (uniform in the exponent, both signs
 * where the domain has them) plus a list of edge cases.
 */
#include <math.h>
#include <float.h>
#include <stdio.h>
#include <string.h>
#include "kmath_accuracy.h"
#include "kmlib/kmath.h"

/* ---- references ---- */

static long double sigmoidl_(long double x)
{
	return 1.0L / (1.0L + expl(-x));
}

static double sigmoid_(double x)
{
	return 1.0 / (1.0 + exp(-x));
}

static long double softplusl_(long double x)
{
	return x > 0 ? x + log1pl(expl(-x)) : log1pl(expl(x));
}

static double softplus_(double x)
{
	return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

static long double rsqrtl_(long double x)
{
	return 1.0L / sqrtl(x);
}

static double rsqrt_(double x)
{
	return (double)rsqrtl_(x);
}

/* ---- ULP errors ---- */

/*
 * |got - ref| in ULPs of ref, for a format with @prec bits and smallest
 * exponent @emin; @rr is ref rounded to that format.
 */
static double ulp_err(long double got, long double ref, long double rr,
		      int prec, int emin)
{
	int e;

	if (isnan(ref))
		return isnan(got) ? 0 : INFINITY;
	if (isnan(got))
		return INFINITY;
	if (isinf(rr) || isinf(got))
		return (got == rr) ? 0 : INFINITY;
	if (ref == 0 && got == 0)
		return signbit(ref) == signbit(got) ? 0 : INFINITY;
	frexpl(fabsl(ref), &e);
	e -= prec;
	if (e < emin)
		e = emin;
	return (double)(fabsl(got - ref) / ldexpl(1.0L, e));
}

static double err_f(float got, double ref)
{
	return ulp_err(got, ref, (float)ref, 24, -149);
}

static double err_d(double got, long double ref)
{
	return ulp_err(got, ref, (double)ref, 53, -1074);
}

/* exact functions: bit equality (NaN any NaN) */
static double exact_f(float got, float want)
{
	if (isnan(want))
		return isnan(got) ? 0 : INFINITY;
	return (got == want && signbit(got) == signbit(want)) ? 0 : INFINITY;
}

static double exact_d(double got, double want)
{
	if (isnan(want))
		return isnan(got) ? 0 : INFINITY;
	return (got == want && signbit(got) == signbit(want)) ? 0 : INFINITY;
}

/* ---- the functions ---- */

enum kind { ONE, TWO, POW };

struct fn {
	const char *name;
	enum kind kind;
	int elo, ehi; /* binary exponent range of |x| */
	bool neg; /* draw negative arguments too */
	bool exact; /* compare bits, not ULPs */
	double bound_f, bound_d;
	bool from_issue;
	float (*kf)(float);
	double (*kd)(double);
	double (*rf)(double); /* reference for the float version */
	long double (*rd)(long double);
	float (*kf2)(float, float);
	double (*kd2)(double, double);
	double (*rf2)(double, double);
	long double (*rd2)(long double, long double);
};

#define F1(n, lo, hi, ng, bf, bd, iss, kfn, kdn, rfn, rdn)                     \
	{                                                                      \
		.name = n, .kind = ONE, .elo = lo, .ehi = hi, .neg = ng,       \
		.bound_f = bf, .bound_d = bd, .from_issue = iss, .kf = kfn,    \
		.kd = kdn, .rf = rfn, .rd = rdn                                \
	}
#define X1(n, lo, hi, kfn, kdn, rfn, rdn)                                      \
	{                                                                      \
		.name = n, .kind = ONE, .elo = lo, .ehi = hi, .neg = true,     \
		.exact = true, .kf = kfn, .kd = kdn, .rf = rfn, .rd = rdn      \
	}

static double fabs_(double x)
{
	return fabs(x);
}

static long double fabsl_(long double x)
{
	return fabsl(x);
}

static float isnanf_k(float x)
{
	return (float)kml_isnanf(x);
}

static double isnan_k(double x)
{
	return (double)kml_isnan(x);
}

static double isnan_r(double x)
{
	return isnan(x) ? 1.0 : 0.0;
}

static long double isnanl_r(long double x)
{
	return isnan(x) ? 1.0L : 0.0L;
}

/* glibc, plus kmath's documented choice between equal zeros */
static double fmin_(double x, double y)
{
	if (x == 0 && y == 0)
		return signbit(x) ? x : y;
	return fmin(x, y);
}

static long double fminl_(long double x, long double y)
{
	if (x == 0 && y == 0)
		return signbit(x) ? x : y;
	return fminl(x, y);
}

static double fmax_(double x, double y)
{
	if (x == 0 && y == 0)
		return signbit(x) ? y : x;
	return fmax(x, y);
}

static long double fmaxl_(long double x, long double y)
{
	if (x == 0 && y == 0)
		return signbit(x) ? y : x;
	return fmaxl(x, y);
}

static const struct fn fns[] = {
	F1("exp", -60, 10, true, 2, 4, true, kml_expf, kml_exp, exp, expl),
	F1("expm1", -60, 10, true, 1, 2, false, kml_expm1f, kml_expm1, expm1,
	   expm1l),
	F1("log", -1074, 1023, false, 2, 4, true, kml_logf, kml_log, log, logl),
	F1("log1p", -60, 30, true, 1, 2, false, kml_log1pf, kml_log1p, log1p,
	   log1pl),
	F1("log2", -1074, 1023, false, 1, 2, false, kml_log2f, kml_log2, log2,
	   log2l),
	{ .name = "pow",
	  .kind = POW,
	  .bound_f = 4,
	  .bound_d = 4,
	  .from_issue = true,
	  .kf2 = kml_powf,
	  .kd2 = kml_pow,
	  .rf2 = pow,
	  .rd2 = powl },
	F1("sqrt", -1074, 1023, false, 0.5, 0.5, true, kml_sqrtf, kml_sqrt,
	   sqrt, sqrtl),
	F1("rsqrt", -1074, 1023, false, 1, 1, false, kml_rsqrtf, kml_rsqrt,
	   rsqrt_, rsqrtl_),
	F1("tanh", -60, 10, true, 2, 4, true, kml_tanhf, kml_tanh, tanh, tanhl),
	F1("sigmoid", -60, 10, true, 2, 4, true, kml_sigmoidf, kml_sigmoid,
	   sigmoid_, sigmoidl_),
	F1("softplus", -60, 10, true, 1, 2, false, kml_softplusf, kml_softplus,
	   softplus_, softplusl_),
	F1("erf", -60, 4, true, 1, 2, false, kml_erff, kml_erf, erf, erfl),
	X1("floor", -20, 60, kml_floorf, kml_floor, floor, floorl),
	X1("ceil", -20, 60, kml_ceilf, kml_ceil, ceil, ceill),
	X1("round", -20, 60, kml_roundf, kml_round, round, roundl),
	X1("fabs", -1074, 1023, kml_fabsf, kml_fabs, fabs_, fabsl_),
	{ .name = "fmin",
	  .kind = TWO,
	  .elo = -30,
	  .ehi = 30,
	  .neg = true,
	  .exact = true,
	  .kf2 = kml_fminf,
	  .kd2 = kml_fmin,
	  .rf2 = fmin_,
	  .rd2 = fminl_ },
	{ .name = "fmax",
	  .kind = TWO,
	  .elo = -30,
	  .ehi = 30,
	  .neg = true,
	  .exact = true,
	  .kf2 = kml_fmaxf,
	  .kd2 = kml_fmax,
	  .rf2 = fmax_,
	  .rd2 = fmaxl_ },
	X1("isnan", -1074, 1023, isnanf_k, isnan_k, isnan_r, isnanl_r),
};

/* glibc's own functions at the same precision, where it has them */
struct glibc_fn {
	const char *name;
	float (*f)(float);
	double (*d)(double);
	float (*f2)(float, float);
	double (*d2)(double, double);
};

static const struct glibc_fn glibc_fns[] = {
	{ "exp", expf, exp, NULL, NULL },
	{ "expm1", expm1f, expm1, NULL, NULL },
	{ "log", logf, log, NULL, NULL },
	{ "log1p", log1pf, log1p, NULL, NULL },
	{ "log2", log2f, log2, NULL, NULL },
	{ "pow", NULL, NULL, powf, pow },
	{ "sqrt", sqrtf, sqrt, NULL, NULL },
	{ "tanh", tanhf, tanh, NULL, NULL },
	{ "erf", erff, erf, NULL, NULL },
};

static const struct glibc_fn *glibc_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(glibc_fns) / sizeof(glibc_fns[0]); i++)
		if (!strcmp(glibc_fns[i].name, name))
			return &glibc_fns[i];
	return NULL;
}

/* distance in ULPs between two results of one format (bits, sign bit) */
static uint64_t bit_dist(uint64_t a, uint64_t b, int sign_shift, bool a_nan,
			 bool b_nan)
{
	uint64_t mag = (1ULL << sign_shift) - 1;
	int64_t oa, ob;

	if (a_nan || b_nan)
		return a_nan == b_nan ? 0 : UINT64_MAX;
	oa = (a >> sign_shift) ? -(int64_t)(a & mag) : (int64_t)(a & mag);
	ob = (b >> sign_shift) ? -(int64_t)(b & mag) : (int64_t)(b & mag);
	return oa > ob ? (uint64_t)(oa - ob) : (uint64_t)(ob - oa);
}

static uint64_t dist_f(float a, float b)
{
	uint32_t ua, ub;

	memcpy(&ua, &a, 4);
	memcpy(&ub, &b, 4);
	return bit_dist(ua, ub, 31, isnan(a), isnan(b));
}

static uint64_t dist_d(double a, double b)
{
	uint64_t ua, ub;

	memcpy(&ua, &a, 8);
	memcpy(&ub, &b, 8);
	return bit_dist(ua, ub, 63, isnan(a), isnan(b));
}

int kma_count(void)
{
	return (int)(sizeof(fns) / sizeof(fns[0]));
}

/* ---- points ---- */

static uint64_t next(uint64_t *s)
{
	/* splitmix64 */
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double uniform(uint64_t *s, double lo, double hi)
{
	return lo + (hi - lo) * (double)(next(s) >> 11) * 0x1p-53;
}

/* random double, exponent uniform in [elo, ehi], clipped to [emin, emax] */
static double draw(uint64_t *s, int elo, int ehi, bool neg, int emin, int emax,
		   int prec)
{
	uint64_t r = next(s);
	int lo = elo < emin ? emin : elo, hi = ehi > emax ? emax : ehi;
	int e = lo + (int)((r >> 32) % (uint64_t)(hi - lo + 1));
	double m = 1.0 + (double)(next(s) >> (64 - (prec - 1))) *
			     ldexp(1.0, -(prec - 1));
	/* below the normal range the value has fewer bits: ldexp rounds */
	double v = ldexp(m, e);

	if (prec == 24)
		v = (float)v;
	return (neg && (r & 1)) ? -v : v;
}

static const double edges[] = {
	0.0,
	-0.0,
	INFINITY,
	-INFINITY,
	NAN,
	-NAN,
	1.0,
	-1.0,
	0.5,
	-0.5,
	2.0,
	-2.0,
	3.0,
	-3.0,
	1.5,
	2.5,
	-2.5,
	0x1p-1074,
	-0x1p-1074,
	0x1p-1022,
	0x1p-149,
	0x1p-126,
	0x1.fffffep127,
	DBL_MAX,
	-DBL_MAX,
	0x1p-54,
	0x1p-28,
	-0x1p-28,
	0x1p-12,
	1e-300,
	1e30,
	-1e30,
	1e300,
	-1e300,
	709.782712893384,
	709.7827128933841,
	709.79,
	710.0,
	-708.4,
	-745.1332191019411,
	-745.1332191019412,
	-746.0,
	88.72283172607421875,
	88.7228393554687,
	89.0,
	-87.3,
	-103.972,
	-104.0,
	-104.5,
	22.0,
	-22.0,
	40.0,
	-40.0,
	37.0,
	-37.0,
	9.0,
	10.0,
	6.0,
	-6.0,
	5.9,
	0.55,
	0.0054,
	-0.0054,
	1 - 0x1p-53,
	1 + 0x1p-52,
	1 - 0x1p-24,
	1 + 0x1p-23,
	-1 + 0x1p-53,
	-0.999999,
	0.7,
	1.4,
	1e-10,
	0.84,
	4.0,
	123456789.5,
	-123456789.5,
	0x1p52 + 0.5,
	0x1p23 + 0.5,
	4503599627370497.0,
	8388609.0,
	0.49999999999999994,
	0.49999997f,
	-0.49999999999999994,
};

#define N_EDGES (sizeof(edges) / sizeof(edges[0]))

static void one_point(const struct fn *f, const struct glibc_fn *g, double x,
		      double y, bool dbl, struct kma_row *row)
{
	double e;

	if (!dbl) {
		float xf = (float)x, yf = (float)y, got;
		double ref;

		if (f->kind == ONE) {
			got = f->kf(xf);
			ref = f->rf(xf);
		} else {
			got = f->kf2(xf, yf);
			ref = f->rf2(xf, yf);
		}
		e = f->exact ? exact_f(got, (float)ref) : err_f(got, ref);
		/* within half an ULP of the exact value: correctly rounded */
		if (e <= 0.5)
			row->cr_f++;
		if (g) {
			float gv = f->kind == ONE ? g->f(xf) : g->f2(xf, yf);
			uint64_t d = dist_f(got, gv);

			row->glibc_f = d > row->glibc_f ? d : row->glibc_f;
		}
		row->points_f++;
		if (e > row->max_f) {
			row->max_f = e;
			row->worst_f[0] = xf;
			row->worst_f[1] = yf;
		}
		return;
	}
	{
		double got;
		long double ref;

		if (f->kind == ONE) {
			got = f->kd(x);
			ref = f->rd(x);
		} else {
			got = f->kd2(x, y);
			ref = f->rd2(x, y);
		}
		e = f->exact ? exact_d(got, (double)ref) : err_d(got, ref);
		if (e <= 0.5)
			row->cr_d++;
		if (g) {
			double gv = f->kind == ONE ? g->d(x) : g->d2(x, y);
			uint64_t d = dist_d(got, gv);

			row->glibc_d = d > row->glibc_d ? d : row->glibc_d;
		}
		row->points_d++;
		if (e > row->max_d) {
			row->max_d = e;
			row->worst_d[0] = x;
			row->worst_d[1] = y;
		}
	}
}

/* pow: x uniform in the exponent, y chosen so that y log|x| covers the
 * whole output range (subnormal to overflow); negative x with integer y;
 * x near 1 with huge y. */
static void pow_point(uint64_t *s, bool dbl, double *x, double *y)
{
	int emin = dbl ? -1074 : -149, emax = dbl ? 1023 : 127;
	double tlo = dbl ? -760 : -110, thi = dbl ? 720 : 95;
	uint64_t r = next(s);
	double lx, t = uniform(s, tlo, thi);

	if ((r & 15) == 0) { /* near 1 */
		*x = 1 + uniform(s, -1, 1) * ldexp(1, -(int)(r >> 8 & 31) - 1);
		if (!dbl)
			*x = (float)*x;
	} else {
		*x = draw(s, emin, emax, false, emin, emax, dbl ? 53 : 24);
	}
	lx = log(*x);
	*y = lx != 0 ? t / lx : t;
	if (!dbl)
		*y = (float)*y;
	if ((r & 15) == 1) { /* negative base, integer exponent */
		*x = -*x;
		*y = rint(*y);
	}
}

void kma_run(int i, uint64_t n, uint64_t seed, struct kma_row *row)
{
	const struct fn *f = &fns[i];
	const struct glibc_fn *g = glibc_of(f->name);
	uint64_t s = seed, k;
	size_t a, b;
	int v;

	row->name = f->name;
	row->points_f = row->points_d = 0;
	row->max_f = row->max_d = 0;
	row->worst_f[0] = row->worst_f[1] = 0;
	row->worst_d[0] = row->worst_d[1] = 0;
	row->bound_f = f->bound_f;
	row->bound_d = f->bound_d;
	row->from_issue = f->from_issue;
	row->cr_f = row->cr_d = 0;
	row->glibc_f = row->glibc_d = 0;
	row->has_glibc = g != NULL;
	/* sqrt: correctly rounded, so identical to glibc's */
	row->match_glibc = !strcmp(f->name, "sqrt");
	for (v = 0; v < 2; v++) {
		bool dbl = v == 1;
		int emin = dbl ? -1074 : -149, emax = dbl ? 1023 : 127;
		int prec = dbl ? 53 : 24;

		for (a = 0; a < N_EDGES; a++) {
			if (f->kind == ONE) {
				one_point(f, g, edges[a], 0, dbl, row);
				continue;
			}
			for (b = 0; b < N_EDGES; b++)
				one_point(f, g, edges[a], edges[b], dbl, row);
		}
		for (k = 0; k < n; k++) {
			double x, y = 0;

			if (f->kind == POW) {
				pow_point(&s, dbl, &x, &y);
			} else {
				x = draw(&s, f->elo, f->ehi, f->neg, emin, emax,
					 prec);
				if (f->kind == TWO)
					y = (next(&s) & 31) == 0 ? NAN
					    : (next(&s) & 7) == 0
						? x
						: draw(&s, f->elo, f->ehi,
						       f->neg, emin, emax,
						       prec);
			}
			one_point(f, g, x, y, dbl, row);
		}
		/* and n / 16 arbitrary bit patterns: every binade, NaN payloads */
		for (k = 0; k < n / 16; k++) {
			uint64_t bx = next(&s), by = next(&s);
			double x, y;

			if (dbl) {
				memcpy(&x, &bx, 8);
				memcpy(&y, &by, 8);
			} else {
				uint32_t fx = (uint32_t)bx, fy = (uint32_t)by;
				float vx, vy;

				memcpy(&vx, &fx, 4);
				memcpy(&vy, &fy, 4);
				x = vx;
				y = vy;
			}
			one_point(f, g, x, y, dbl, row);
		}
	}
}
