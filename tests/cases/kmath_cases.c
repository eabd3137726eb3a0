// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * kmath_cases.c - kmath against golden values from glibc's libm
 * (kmath_golden.h, tools/gen_kmath_golden.c: glibc's wider function
 * rounded once, i.e. the correctly rounded result) and hand-checked
 * special values; an FPU suite. Bounds are ULP distances to the golden
 * value: the targets (exp, log, tanh, sigmoid <= 2 float and
 * <= 4 double, pow <= 4, sqrt exact) and 1 for the rest (kmath is
 * within 0.9 ULP of the exact value there), floor/ceil/round exact.
 */
#include "../ktest.h"
#include "kmlib/kmath.h"
#include "kmath_golden.h"

static float f_of(uint32_t u)
{
	float f;

	kml_memcpy(&f, &u, sizeof(f));
	return f;
}

static uint32_t bits_f(float f)
{
	uint32_t u;

	kml_memcpy(&u, &f, sizeof(u));
	return u;
}

static double d_of(uint64_t u)
{
	double d;

	kml_memcpy(&d, &u, sizeof(d));
	return d;
}

static uint64_t bits_d(double d)
{
	uint64_t u;

	kml_memcpy(&u, &d, sizeof(u));
	return u;
}

/* Position of a value on the line of all values of its format. */
static int64_t order(uint64_t bits, int sign_shift)
{
	uint64_t mag = bits & ((1ULL << sign_shift) - 1);

	return (bits >> sign_shift) ? -(int64_t)mag : (int64_t)mag;
}

/*
 * ULP distance between two results; NaN matches only NaN, and a zero or
 * an infinity is expected bit for bit (its sign included).
 */
static uint64_t dist(uint64_t got, uint64_t want, int sign_shift)
{
	uint64_t exp_mask =
	    sign_shift == 31 ? 0x7f800000ULL : 0x7ff0000000000000ULL;
	uint64_t mag_mask = (1ULL << sign_shift) - 1;
	bool got_nan = (got & mag_mask) > exp_mask;
	bool want_nan = (want & mag_mask) > exp_mask;
	int64_t a, b;

	if (got_nan || want_nan)
		return got_nan == want_nan ? 0 : UINT64_MAX;
	if ((want & mag_mask) == 0 || (want & mag_mask) == exp_mask)
		return got == want ? 0 : UINT64_MAX;
	a = order(got, sign_shift);
	b = order(want, sign_shift);
	return a > b ? (uint64_t)(a - b) : (uint64_t)(b - a);
}

static void check_f1(struct kt_ctx *t, const char *name, float (*fn)(float),
		     const struct kmg_f1 *g, size_t n, uint64_t bound)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint32_t got = bits_f(fn(f_of(g[i].x)));

		if (dist(got, g[i].want, 31) > bound)
			kt_fail(t, __FILE__, __LINE__,
				"%sf(%08x) = %08x, glibc %08x", name,
				(unsigned int)g[i].x, (unsigned int)got,
				(unsigned int)g[i].want);
		kt_digest(t, &got, sizeof(got));
	}
}

static void check_d1(struct kt_ctx *t, const char *name, double (*fn)(double),
		     const struct kmg_d1 *g, size_t n, uint64_t bound)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t got = bits_d(fn(d_of(g[i].x)));

		if (dist(got, g[i].want, 63) > bound)
			kt_fail(t, __FILE__, __LINE__,
				"%s(%016llx) = %016llx, glibc %016llx", name,
				(unsigned long long)g[i].x,
				(unsigned long long)got,
				(unsigned long long)g[i].want);
		kt_digest(t, &got, sizeof(got));
	}
}

#define CHECK_F(t, name, fn, bound)                                            \
	check_f1(t, #name, fn, kmg_##name##f, KML_ARRAY_SIZE(kmg_##name##f),   \
		 bound)
#define CHECK_D(t, name, fn, bound)                                            \
	check_d1(t, #name, fn, kmg_##name, KML_ARRAY_SIZE(kmg_##name), bound)

static void kmath_exp(struct kt_ctx *t)
{
	CHECK_F(t, exp, kml_expf, 2);
	CHECK_D(t, exp, kml_exp, 4);
	CHECK_F(t, expm1, kml_expm1f, 1);
	CHECK_D(t, expm1, kml_expm1, 1);
}

static void kmath_log(struct kt_ctx *t)
{
	CHECK_F(t, log, kml_logf, 2);
	CHECK_D(t, log, kml_log, 4);
	CHECK_F(t, log1p, kml_log1pf, 1);
	CHECK_D(t, log1p, kml_log1p, 1);
	CHECK_F(t, log2, kml_log2f, 1);
	CHECK_D(t, log2, kml_log2, 1);
}

static void kmath_sqrt(struct kt_ctx *t)
{
	CHECK_F(t, sqrt, kml_sqrtf, 0);
	CHECK_D(t, sqrt, kml_sqrt, 0);
	CHECK_F(t, rsqrt, kml_rsqrtf, 1);
	CHECK_D(t, rsqrt, kml_rsqrt, 1);
}

static void kmath_activations(struct kt_ctx *t)
{
	CHECK_F(t, tanh, kml_tanhf, 2);
	CHECK_D(t, tanh, kml_tanh, 4);
	CHECK_F(t, sigmoid, kml_sigmoidf, 2);
	CHECK_D(t, sigmoid, kml_sigmoid, 4);
	CHECK_F(t, softplus, kml_softplusf, 1);
	CHECK_D(t, softplus, kml_softplus, 1);
	CHECK_F(t, erf, kml_erff, 1);
	CHECK_D(t, erf, kml_erf, 1);
}

static void kmath_rounding(struct kt_ctx *t)
{
	CHECK_F(t, floor, kml_floorf, 0);
	CHECK_D(t, floor, kml_floor, 0);
	CHECK_F(t, ceil, kml_ceilf, 0);
	CHECK_D(t, ceil, kml_ceil, 0);
	CHECK_F(t, round, kml_roundf, 0);
	CHECK_D(t, round, kml_round, 0);
}

static void kmath_pow(struct kt_ctx *t)
{
	size_t i;

	for (i = 0; i < KML_ARRAY_SIZE(kmg_powf); i++) {
		const struct kmg_f2 *g = &kmg_powf[i];
		uint32_t got = bits_f(kml_powf(f_of(g->x), f_of(g->y)));

		if (dist(got, g->want, 31) > 4)
			kt_fail(t, __FILE__, __LINE__,
				"powf(%08x, %08x) = %08x, glibc %08x",
				(unsigned int)g->x, (unsigned int)g->y,
				(unsigned int)got, (unsigned int)g->want);
		kt_digest(t, &got, sizeof(got));
	}
	for (i = 0; i < KML_ARRAY_SIZE(kmg_pow); i++) {
		const struct kmg_d2 *g = &kmg_pow[i];
		uint64_t got = bits_d(kml_pow(d_of(g->x), d_of(g->y)));

		if (dist(got, g->want, 63) > 4)
			kt_fail(
			    t, __FILE__, __LINE__,
			    "pow(%016llx, %016llx) = %016llx, glibc %016llx",
			    (unsigned long long)g->x, (unsigned long long)g->y,
			    (unsigned long long)got,
			    (unsigned long long)g->want);
		kt_digest(t, &got, sizeof(got));
	}
}

#define F_INF 0x7f800000u
#define F_NINF 0xff800000u
#define D_INF 0x7ff0000000000000ULL
#define D_NINF 0xfff0000000000000ULL

/* Saturation and the special values the issue names, bit for bit. */
static void kmath_special(struct kt_ctx *t)
{
	float inf = f_of(F_INF), nan = f_of(0x7fc00000u);
	double dinf = d_of(D_INF), dnan = d_of(0x7ff8000000000000ULL);
	uint64_t out[32];
	int n = 0;

	KT_EXPECT_EQ(t, bits_f(kml_logf(0.0f)), F_NINF);
	KT_EXPECT_EQ(t, bits_f(kml_logf(-0.0f)), F_NINF);
	KT_EXPECT(t, kml_isnanf(kml_logf(-1.0f)));
	KT_EXPECT_EQ(t, bits_d(kml_log(0.0)), D_NINF);
	KT_EXPECT(t, kml_isnan(kml_log(-0x1p-1074)));
	KT_EXPECT(t, kml_isnan(kml_log1p(-1.5)));
	KT_EXPECT_EQ(t, bits_d(kml_log1p(-1.0)), D_NINF);
	KT_EXPECT_EQ(t, bits_f(kml_expf(100.0f)), F_INF);
	KT_EXPECT_EQ(t, bits_f(kml_expf(-200.0f)), 0);
	KT_EXPECT_EQ(t, bits_f(kml_expf(-100.0f)),
		     0x1bu); /* subnormal (glibc) */
	KT_EXPECT_EQ(t, bits_d(kml_exp(1000.0)), D_INF);
	KT_EXPECT_EQ(t, bits_d(kml_exp(-1000.0)), 0);
	KT_EXPECT_EQ(t, bits_d(kml_exp(-745.0)), 1); /* smallest subnormal */
	KT_EXPECT(t, kml_isnanf(kml_expf(nan)) && kml_isnan(kml_exp(dnan)));
	KT_EXPECT(t, kml_tanhf(1e30f) == 1.0f && kml_tanhf(-1e30f) == -1.0f);
	KT_EXPECT(t, kml_tanh(1e30) == 1.0 && kml_tanh(-dinf) == -1.0);
	KT_EXPECT(t, kml_sigmoidf(1e30f) == 1.0f);
	KT_EXPECT_EQ(t, bits_f(kml_sigmoidf(-1e30f)), 0);
	KT_EXPECT(t, kml_sigmoid(1e30) == 1.0 && kml_sigmoid(dinf) == 1.0);
	KT_EXPECT_EQ(t, bits_d(kml_sigmoid(-1e30)), 0);
	KT_EXPECT(t, kml_sigmoid(0.0) == 0.5 && kml_sigmoidf(0.0f) == 0.5f);
	KT_EXPECT(t,
		  kml_softplusf(1e30f) == 1e30f && kml_softplus(1e30) == 1e30);
	KT_EXPECT_EQ(t, bits_d(kml_softplus(-1e30)), 0);
	KT_EXPECT(t,
		  kml_isnanf(kml_tanhf(nan)) && kml_isnanf(kml_sigmoidf(nan)));
	KT_EXPECT(t, kml_isnan(kml_sigmoid(dnan)) && kml_isnan(kml_erf(dnan)));
	KT_EXPECT(t, kml_erf(dinf) == 1.0 && kml_erff(-inf) == -1.0f);
	KT_EXPECT_EQ(t, bits_d(kml_sqrt(-0.0)), 1ULL << 63);
	KT_EXPECT(t, kml_isnanf(kml_sqrtf(-1.0f)));
	KT_EXPECT_EQ(t, bits_f(kml_rsqrtf(0.0f)), F_INF);
	KT_EXPECT_EQ(t, bits_d(kml_rsqrt(-0.0)), D_NINF);
	KT_EXPECT_EQ(t, bits_d(kml_rsqrt(dinf)), 0);
	KT_EXPECT(t, kml_rsqrt(0.25) == 2.0 && kml_rsqrtf(4.0f) == 0.5f);
	/* pow: the cases C99 Annex F lists */
	KT_EXPECT(t, kml_pow(dnan, 0.0) == 1.0 && kml_powf(nan, -0.0f) == 1.0f);
	KT_EXPECT(t, kml_pow(1.0, dnan) == 1.0 && kml_powf(1.0f, nan) == 1.0f);
	KT_EXPECT(t, kml_pow(-1.0, dinf) == 1.0 && kml_pow(-1.0, -dinf) == 1.0);
	KT_EXPECT(t, kml_pow(-2.0, 3.0) == -8.0 &&
			 kml_powf(-2.0f, -1.0f) == -0.5f);
	KT_EXPECT(t, kml_isnan(kml_pow(-2.0, 0.5)) &&
			 kml_isnanf(kml_powf(-8.0f, 1.0f / 3)));
	KT_EXPECT_EQ(t, bits_d(kml_pow(-0.0, -3.0)), D_NINF);
	KT_EXPECT_EQ(t, bits_d(kml_pow(-0.0, 3.0)), 1ULL << 63);
	KT_EXPECT_EQ(t, bits_d(kml_pow(-0.0, 2.0)), 0);
	KT_EXPECT_EQ(t, bits_d(kml_pow(-dinf, -3.0)), 1ULL << 63);
	KT_EXPECT_EQ(t, bits_d(kml_pow(-dinf, 3.0)), D_NINF);
	KT_EXPECT_EQ(t, bits_d(kml_pow(0.5, dinf)), 0);
	KT_EXPECT_EQ(t, bits_d(kml_pow(0.5, -dinf)), D_INF);
	KT_EXPECT_EQ(t, bits_d(kml_pow(2.0, 1024.0)), D_INF);
	KT_EXPECT_EQ(t, bits_d(kml_pow(2.0, -1074.0)), 1);
	KT_EXPECT(t, kml_pow(2.0, 10.0) == 1024.0 &&
			 kml_powf(3.0f, 4.0f) == 81.0f);
	/* rounding, fabs, fmin, fmax, isnan */
	KT_EXPECT(t, kml_floor(-0.5) == -1.0 && kml_floorf(2.5f) == 2.0f);
	KT_EXPECT_EQ(t, bits_d(kml_ceil(-0.5)), 1ULL << 63);
	KT_EXPECT(t, kml_round(-2.5) == -3.0 && kml_roundf(0.5f) == 1.0f);
	KT_EXPECT_EQ(t, bits_f(kml_roundf(-0.49999997f)), 0x80000000u);
	KT_EXPECT(t, kml_round(0x1p52 + 1) == 0x1p52 + 1);
	KT_EXPECT(t, kml_isnanf(kml_floorf(nan)) && kml_ceil(-dinf) == -dinf);
	KT_EXPECT_EQ(t, bits_f(kml_fabsf(-0.0f)), 0);
	KT_EXPECT(t, kml_fabs(-dinf) == dinf && kml_isnan(kml_fabs(dnan)));
	KT_EXPECT(t,
		  kml_fminf(nan, 1.0f) == 1.0f && kml_fmaxf(2.0f, nan) == 2.0f);
	KT_EXPECT(t, kml_fmin(-1.0, 1.0) == -1.0 && kml_fmax(-1.0, 1.0) == 1.0);
	KT_EXPECT(t, kml_isnan(kml_fmin(dnan, dnan)));
	KT_EXPECT_EQ(t, bits_d(kml_fmin(0.0, -0.0)), 1ULL << 63);
	KT_EXPECT_EQ(t, bits_d(kml_fmax(-0.0, 0.0)), 0);
	KT_EXPECT_EQ(t, bits_f(kml_fminf(-0.0f, 0.0f)), 0x80000000u);
	KT_EXPECT_EQ(t, bits_f(kml_fmaxf(0.0f, -0.0f)), 0);
	KT_EXPECT(t, kml_isnanf(nan) && !kml_isnanf(inf) && !kml_isnanf(0.0f));
	KT_EXPECT(t, kml_isnan(-dnan) && !kml_isnan(dinf) && !kml_isnan(-0.0));

	out[n++] = bits_f(kml_expf(-100.0f));
	out[n++] = bits_d(kml_pow(-3.0, 1.0 / 3.0));
	out[n++] = bits_d(kml_erf(-0.5));
	out[n++] = bits_d(kml_softplus(0.0));
	kt_digest(t, out, n * sizeof(out[0]));
}

/*
 * kml_sigmoidf_vec gives kml_sigmoidf's bits for every length 0..N (the
 * 4-lane loop and 1-3 padded tails), with special values (|x| >= 40,
 * inf, NaN, subnormals, -0) among ordinary ones, in place too; NULL
 * with n > 0 is KML_EINVAL.
 */
static void kmath_sigmoid_vec(struct kt_ctx *t)
{
	static const uint32_t special[] = {
		0x00000000u, 0x80000000u, 0x00000001u, 0x80800000u, 0x421fffffu,
		0xc21fffffu, 0x42200000u, 0xc2200000u, 0xc2cfffffu, 0xc2d00001u,
		0x7f800000u, 0xff800000u, 0x7fc00000u, 0x3f800000u, 0xbf800000u,
		0x33800000u, 0xc1a00000u, 0x41f00000u,
	};
	enum { N = 41 };
	float x[N], y[N], z[N];
	uint32_t s = 12345, bad = 0;
	size_t n, i;

	for (i = 0; i < N; i++) {
		s = s * 1664525u + 1013904223u;
		/* spread over (-48, 48), every fifth a special value */
		x[i] = i % 5 == 2 ? f_of(special[(i / 5) % 18])
				  : (float)(int32_t)s * 0x1.8p-26f;
	}
	for (n = 0; n <= N; n++) {
		for (i = 0; i < N; i++)
			y[i] = z[i] = -7.0f;
		KT_EXPECT_EQ(t, kml_sigmoidf_vec(y, x + (N - n), n), KML_OK);
		for (i = 0; i < n; i++) {
			bad +=
			    bits_f(y[i]) != bits_f(kml_sigmoidf(x[N - n + i]));
			z[i] = x[N - n + i];
		}
		for (; i < N; i++)
			bad += y[i] != -7.0f; /* nothing written past n */
		KT_EXPECT_EQ(t, kml_sigmoidf_vec(z, z, n), KML_OK);
		for (i = 0; i < n; i++)
			bad += bits_f(z[i]) != bits_f(y[i]);
	}
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, kml_sigmoidf_vec(NULL, x, 1), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_sigmoidf_vec(y, NULL, 1), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_sigmoidf_vec(NULL, NULL, 0), KML_OK);
	kt_digest(t, y, sizeof(y));
}

static const struct kt_case kmath_cases[] = {
	{ "exp", kmath_exp },		{ "log", kmath_log },
	{ "sqrt", kmath_sqrt },		{ "activations", kmath_activations },
	{ "rounding", kmath_rounding }, { "pow", kmath_pow },
	{ "special", kmath_special },	{ "sigmoid_vec", kmath_sigmoid_vec },
};

KT_SUITE(kt_suite_kmath, "kmath", true, 4096, kmath_cases);
