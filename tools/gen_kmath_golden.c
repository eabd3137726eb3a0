// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * gen_kmath_golden.c - golden values of kmath's shared test cases, from
 * glibc's libm. For each function: edge cases plus pseudo-random points
 * uniform in the exponent, with the expected results as bit patterns:
 * glibc's next wider function rounded once, so the golden values are
 * (almost always) the correctly rounded results.
 *
 *   cc -O2 -o /tmp/gen_kmath_golden tools/gen_kmath_golden.c -lm
 *   /tmp/gen_kmath_golden > tests/cases/kmath_golden.h
 */
#include <math.h>
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N_RANDOM 24

static uint64_t state = 0x676f6c64656eULL;

static uint64_t next(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double draw(int elo, int ehi, int neg)
{
	uint64_t r = next();
	int e = elo + (int)((r >> 32) % (uint64_t)(ehi - elo + 1));
	double m = 1.0 + (double)(next() >> 12) * 0x1p-52;
	double v = ldexp(m, e);

	return (neg && (r & 1)) ? -v : v;
}

static const double edges[] = {
	0.0,
	-0.0,
	INFINITY,
	-INFINITY,
	NAN,
	1.0,
	-1.0,
	0.5,
	-0.5,
	2.0,
	-2.0,
	3.0,
	2.5,
	-2.5,
	0x1p-1074,
	0x1p-1022,
	0x1p-149,
	0x1p-130,
	DBL_MAX,
	0x1.fffffep127,
	0x1p-28,
	-0x1p-28,
	1e30,
	-1e30,
	709.782712893384,
	709.79,
	-745.1332191019411,
	-745.2,
	-708.5,
	88.72283172607421875,
	88.7228393554687,
	-103.972,
	-87.5,
	22.5,
	-22.5,
	40.0,
	-40.0,
	9.5,
	6.0,
	-5.9,
	0.55,
	0.0054,
	1 - 0x1p-53,
	1 + 0x1p-52,
	1 - 0x1p-24,
	-1 + 0x1p-24,
	0.84,
	4.0,
	123456.5,
	-123456.5,
	0x1p52 + 0.5,
	0x1p23 + 0.5,
	0.49999997f,
};

#define N_EDGES (sizeof(edges) / sizeof(edges[0]))

static uint32_t fbits(float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	return u;
}

static uint64_t dbits(double d)
{
	uint64_t u;

	memcpy(&u, &d, 8);
	return u;
}

/*
 * References: the float golden value is glibc's double function rounded
 * to float, the double one glibc's long double function rounded to
 * double (sqrt: glibc's correctly rounded sqrt, which a second rounding
 * could spoil). Functions glibc lacks are formed from its functions.
 */
static long double sigmoid_l(long double x)
{
	return 1.0L / (1.0L + expl(-x));
}

static double sigmoid_d(double x)
{
	return (double)sigmoid_l(x);
}

static long double softplus_l(long double x)
{
	return x > 0 ? x + log1pl(expl(-x)) : log1pl(expl(x));
}

static double softplus_d(double x)
{
	return (double)softplus_l(x);
}

static long double rsqrt_l(long double x)
{
	return 1.0L / sqrtl(x);
}

static double rsqrt_d(double x)
{
	return (double)rsqrt_l(x);
}

static long double sqrt_l(long double x)
{
	return sqrt((double)x);
}

struct fn1 {
	const char *name;
	double (*d)(double); /* float golden, rounded */
	long double (*l)(long double); /* double golden, rounded */
	int elo, ehi, neg;
};

static const struct fn1 fns[] = {
	{ "exp", exp, expl, -30, 10, 1 },
	{ "expm1", expm1, expm1l, -30, 10, 1 },
	{ "log", log, logl, -140, 120, 0 },
	{ "log1p", log1p, log1pl, -30, 20, 1 },
	{ "log2", log2, log2l, -140, 120, 0 },
	{ "sqrt", sqrt, sqrt_l, -140, 120, 0 },
	{ "rsqrt", rsqrt_d, rsqrt_l, -140, 120, 0 },
	{ "tanh", tanh, tanhl, -30, 6, 1 },
	{ "sigmoid", sigmoid_d, sigmoid_l, -30, 10, 1 },
	{ "softplus", softplus_d, softplus_l, -30, 10, 1 },
	{ "erf", erf, erfl, -30, 3, 1 },
	{ "floor", floor, floorl, -10, 30, 1 },
	{ "ceil", ceil, ceill, -10, 30, 1 },
	{ "round", round, roundl, -10, 30, 1 },
};

static void gen1(const struct fn1 *f)
{
	double pts[N_EDGES + N_RANDOM];
	size_t i, n = 0;

	for (i = 0; i < N_EDGES; i++)
		pts[n++] = edges[i];
	for (i = 0; i < N_RANDOM; i++)
		pts[n++] = draw(f->elo, f->ehi, f->neg);
	printf("static const struct kmg_f1 kmg_%sf[] = {\n", f->name);
	for (i = 0; i < n; i++) {
		float x = (float)pts[i];

		printf("\t{ 0x%08x, 0x%08x },\n", fbits(x),
		       fbits((float)f->d(x)));
	}
	printf("};\n\nstatic const struct kmg_d1 kmg_%s[] = {\n", f->name);
	for (i = 0; i < n; i++)
		printf("\t{ 0x%016llxULL, 0x%016llxULL },\n",
		       (unsigned long long)dbits(pts[i]),
		       (unsigned long long)dbits((double)f->l(pts[i])));
	printf("};\n\n");
}

/* pow: every special combination, then random finite points */
static const double pow_x[] = { 0.0,	   -0.0,  0.5,	    -0.5,      1.0,
				-1.0,	   2.0,	  -2.0,	    3.0,       -3.0,
				0x1p-1074, 1e300, INFINITY, -INFINITY, NAN };
static const double pow_y[] = { 0.0,	  -0.0,	     0.5, -0.5,	 1.0,	-1.0,
				2.0,	  -2.0,	     3.0, -3.0,	 1e300, -1e300,
				INFINITY, -INFINITY, NAN, 1075.0 };

#define N_PX (sizeof(pow_x) / sizeof(pow_x[0]))
#define N_PY (sizeof(pow_y) / sizeof(pow_y[0]))

static void gen_pow(void)
{
	double px[N_PX * N_PY + 2 * N_RANDOM], py[N_PX * N_PY + 2 * N_RANDOM];
	size_t i, j, n = 0;

	for (i = 0; i < N_PX; i++)
		for (j = 0; j < N_PY; j++) {
			px[n] = pow_x[i];
			py[n++] = pow_y[j];
		}
	for (i = 0; i < 2 * N_RANDOM; i++) {
		/* x^y between 2^-150 and 2^128 (float) or wider (double) */
		double x = draw(-40, 40, 0),
		       t = (double)(next() >> 11) * 0x1p-53 * 220 - 110;

		px[n] = (i & 3) == 3 ? -x : x;
		py[n] = t / log(x);
		if ((i & 3) == 3)
			py[n] = rint(py[n]);
		n++;
	}
	printf("static const struct kmg_f2 kmg_powf[] = {\n");
	for (i = 0; i < n; i++) {
		float x = (float)px[i], y = (float)py[i];

		printf("\t{ 0x%08x, 0x%08x, 0x%08x },\n", fbits(x), fbits(y),
		       fbits((float)pow(x, y)));
	}
	printf("};\n\nstatic const struct kmg_d2 kmg_pow[] = {\n");
	for (i = 0; i < n; i++)
		printf("\t{ 0x%016llxULL, 0x%016llxULL, 0x%016llxULL },\n",
		       (unsigned long long)dbits(px[i]),
		       (unsigned long long)dbits(py[i]),
		       (unsigned long long)dbits((double)powl(px[i], py[i])));
	printf("};\n\n");
}

int main(void)
{
	size_t i;

	printf(
	    "/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */\n"
	    "/*\n"
	    " * kmath_golden.h - generated by tools/gen_kmath_golden.c from\n"
	    " * glibc's libm; do not edit. Inputs and expected results as\n"
	    " * bit patterns.\n"
	    " */\n"
	    "#ifndef KMLIB_TESTS_KMATH_GOLDEN_H\n"
	    "#define KMLIB_TESTS_KMATH_GOLDEN_H\n\n"
	    "struct kmg_f1 {\n\tuint32_t x, want;\n};\n\n"
	    "struct kmg_d1 {\n\tuint64_t x, want;\n};\n\n"
	    "struct kmg_f2 {\n\tuint32_t x, y, want;\n};\n\n"
	    "struct kmg_d2 {\n\tuint64_t x, y, want;\n};\n\n");
	for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
		gen1(&fns[i]);
	gen_pow();
	printf("#endif /* KMLIB_TESTS_KMATH_GOLDEN_H */\n");
	return 0;
}
