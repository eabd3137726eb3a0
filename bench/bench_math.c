// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * bench_math.c - ns per call of kmath's exp, log and tanh (float and
 * double) against glibc's, on the same 1M varied inputs in one run.
 * Each pair is timed alternately, best of @reps passes, and the ratio
 * kmath / glibc is printed (< 1: kmath is faster).
 *
 *   ninja -C build-math bench/bench_math && build-math/bench/bench_math
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kmlib/kmath.h"

#define N (1 << 20)

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static uint64_t state = 12345;

static double uniform(double lo, double hi)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return lo + (hi - lo) * (double)(z >> 11) * 0x1p-53;
}

/* results go to an array (no loop-carried chain); the checksum keeps
 * them observable */
static volatile double sink;
static double *out;

#define TIME_F(fn, in)                                                         \
	({                                                                     \
		double t0 = now_ns(), t1, s = 0;                               \
		for (int i = 0; i < N; i++)                                    \
			out[i] = fn(in[i]);                                    \
		t1 = now_ns();                                                 \
		for (int i = 0; i < N; i += 4096)                              \
			s += out[i];                                           \
		sink = s;                                                      \
		(t1 - t0) / N;                                                 \
	})

struct pair {
	const char *name;
	float (*kf)(float), (*gf)(float);
	double (*kd)(double), (*gd)(double);
	double lo, hi; /* input range (exp of a uniform value for log) */
	int logscale;
};

static const struct pair pairs[] = {
	{ "expf", kml_expf, expf, NULL, NULL, -80, 80, 0 },
	{ "logf", kml_logf, logf, NULL, NULL, -60, 60, 1 },
	{ "tanhf", kml_tanhf, tanhf, NULL, NULL, -6, 6, 0 },
	{ "exp", NULL, NULL, kml_exp, exp, -700, 700, 0 },
	{ "log", NULL, NULL, kml_log, log, -600, 600, 1 },
	{ "tanh", NULL, NULL, kml_tanh, tanh, -10, 10, 0 },
	{ "sigmoidf", kml_sigmoidf, NULL, NULL, NULL, -20, 20, 0 },
	{ "sqrtf", kml_sqrtf, sqrtf, NULL, NULL, -60, 60, 1 },
	{ "powf", NULL, NULL, NULL, NULL, 0, 0, 0 },
};

/* glibc has no sigmoid: 1 / (1 + expf(-x)) is what a caller would write */
static float sigmoidf_ref(float x)
{
	return 1.0f / (1.0f + expf(-x));
}

int main(int argc, char **argv)
{
	int reps = argc > 1 ? atoi(argv[1]) : 5;
	float *xf = malloc(N * sizeof(*xf)), *yf = malloc(N * sizeof(*yf));
	double *xd = malloc(N * sizeof(*xd));
	size_t p;

	out = malloc(N * sizeof(*out));
	if (!xf || !xd || !yf || !out || reps < 1)
		return 2;
	printf("%-9s %10s %10s %8s   (ns per call, best of %d, %d inputs)\n",
	       "function", "kmath", "glibc", "ratio", reps, N);
	for (p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++) {
		const struct pair *q = &pairs[p];
		double bk = 1e30, bg = 1e30, tk, tg;
		int r, i;

		for (i = 0; i < N; i++) {
			double v = uniform(q->lo, q->hi);

			if (q->logscale)
				v = exp(v);
			xd[i] = v;
			xf[i] = (float)v;
			yf[i] = (float)uniform(-3, 3);
		}
		if (!strcmp(q->name, "powf")) {
			for (i = 0; i < N; i++)
				xf[i] = (float)exp(uniform(-10, 10));
		}
		for (r = 0; r < reps; r++) {
			if (!strcmp(q->name, "powf")) {
				double t0 = now_ns();

				for (i = 0; i < N; i++)
					out[i] = kml_powf(xf[i], yf[i]);
				tk = (now_ns() - t0) / N;
				t0 = now_ns();
				for (i = 0; i < N; i++)
					out[i] = powf(xf[i], yf[i]);
				tg = (now_ns() - t0) / N;
				sink = out[N / 2];
			} else if (q->kf == kml_sigmoidf) {
				tk = TIME_F(q->kf, xf);
				tg = TIME_F(sigmoidf_ref, xf);
			} else if (q->kf) {
				tk = TIME_F(q->kf, xf);
				tg = TIME_F(q->gf, xf);
			} else {
				tk = TIME_F(q->kd, xd);
				tg = TIME_F(q->gd, xd);
			}
			bk = tk < bk ? tk : bk;
			bg = tg < bg ? tg : bg;
		}
		printf("%-9s %10.2f %10.2f %8.2f%s\n", q->name, bk, bg, bk / bg,
		       q->kf == kml_sigmoidf ? "   (glibc: 1/(1+expf(-x)))"
					     : "");
	}
	free(xf);
	free(yf);
	free(xd);
	free(out);
	return 0;
}
