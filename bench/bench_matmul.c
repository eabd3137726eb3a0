// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * bench_matmul.c - float32 matmul of KMLib against OpenBLAS cblas_sgemm
 * (single thread) and a naive triple loop at n = 4, 16, 64, 256, plus
 * every transpose combination at each n (the same flags to sgemm), and
 * int8 vs float32 at 64 (layouts, then output-stage variants: shifts,
 * bias), all in one run. Each contender is timed alternately; the best of
 * @reps rounds (each ~10 ms) is kept. Prints GFLOP/s and ratios.
 *
 *   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
 *       build-tensor/bench/bench_matmul
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <cblas.h>
#include "kmlib/linalg.h"
#include "kmlib/fixed.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t state = 42;

static float frand(void)
{
	state = state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (float)((state >> 40) & 0xffff) / 32768.0f - 1.0f;
}

/* The textbook loop the anchors call "naive" (i, j, p; sum in float). */
static void naive_sgemm(const float *a, const float *b, float *c, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			float s = 0;

			for (int p = 0; p < n; p++)
				s += a[i * n + p] * b[p * n + j];
			c[i * n + j] = s;
		}
}

enum { KML, BLAS, NAIVE, I8 };

struct job {
	int n;
	unsigned int flags;
	const float *a, *b;
	float *c;
	const int8_t *qa, *qb;
	int8_t *qc;
	const int32_t *bias;
	const struct kml_qmm *q;
};

static volatile int sink;

static void run(const struct job *j, int who)
{
	int n = j->n, rc = 0;

	switch (who) {
	case KML:
		rc = kml_matmul_f32(j->a, j->b, j->c, n, n, n, j->flags);
		break;
	case BLAS:
		cblas_sgemm(CblasRowMajor,
			    (j->flags & KML_MM_TRANS_A) ? CblasTrans :
							  CblasNoTrans,
			    (j->flags & KML_MM_TRANS_B) ? CblasTrans :
							  CblasNoTrans,
			    n, n, n, 1.0f, j->a, n, j->b, n, 0.0f, j->c, n);
		break;
	case NAIVE:
		naive_sgemm(j->a, j->b, j->c, n);
		break;
	case I8:
		rc = kml_matmul_i8(j->qa, j->qb, j->bias, j->qc, n, n, n,
				   j->flags, j->q);
		break;
	}
	sink += rc;
}

/* Best ns per call of each contender in @who over @reps alternating rounds. */
static void time_all(const struct job *j, const int *who, int nwho,
		     double *best_ns)
{
	double flops = 2.0 * j->n * j->n * j->n;
	long iters = (long)(2e7 / flops) + 1; /* ~10 ms at 2 GFLOP/s */
	int reps = 7;

	for (int w = 0; w < nwho; w++)
		best_ns[w] = 1e30;
	for (int r = 0; r < reps; r++)
		for (int w = 0; w < nwho; w++) {
			double t0 = now_s(), t;

			for (long i = 0; i < iters; i++)
				run(j, who[w]);
			t = (now_s() - t0) / iters * 1e9;
			if (t < best_ns[w])
				best_ns[w] = t;
		}
}

static float max_diff(const float *x, const float *y, int n)
{
	float m = 0;

	for (int i = 0; i < n; i++)
		m = fmaxf(m, fabsf(x[i] - y[i]));
	return m;
}

int main(void)
{
	static const int sizes[] = { 4, 16, 64, 256 };
	int nmax = 256, nn = nmax * nmax;
	float *a = malloc(nn * sizeof(float)), *b = malloc(nn * sizeof(float));
	float *c = malloc(nn * sizeof(float)), *c2 = malloc(nn * sizeof(float));
	int8_t *qa = malloc(nn), *qb = malloc(nn), *qc = malloc(nn);
	struct kml_qmm q = { .a_zero_point = 1, .b_zero_point = -3,
			     .out = { .mult = 1 << 30, .shift = -10,
				      .zero_point = 0, .act_min = -128,
				      .act_max = 127 } };

	if (!a || !b || !c || !c2 || !qa || !qb || !qc)
		return 1;
	openblas_set_num_threads(1);
	for (int i = 0; i < nn; i++) {
		a[i] = frand();
		b[i] = frand();
		qa[i] = (int8_t)(frand() * 127);
		qb[i] = (int8_t)(frand() * 127);
	}

	/* KMLib picks its vector width at run time; say which this CPU gets */
	printf("CPU: avx512f %d, avx512vnni %d, avx %d (KMLib float matmul: the widest of\n"
	       "AVX-512 / AVX / SSE2; int8: AVX-512 VNNI, else AVX2, else SSE2)\n",
	       __builtin_cpu_supports("avx512f"),
	       __builtin_cpu_supports("avx512vnni"),
	       __builtin_cpu_supports("avx"));
	printf("float32 C = A B, row-major, single thread (GFLOP/s; ratio = KMLib / other)\n");
	printf("%5s %10s %10s %10s %12s %12s %11s\n", "n", "kmlib", "openblas",
	       "naive", "kml/blas", "kml/naive", "kml ns");
	for (unsigned int s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		struct job j = { .n = sizes[s], .a = a, .b = b, .c = c };
		int who[3] = { KML, BLAS, NAIVE };
		double ns[3], fl = 2.0 * j.n * j.n * j.n;

		time_all(&j, who, 3, ns);
		printf("%5d %10.2f %10.2f %10.2f %12.2f %12.2f %11.0f\n", j.n,
		       fl / ns[0], fl / ns[1], fl / ns[2], ns[1] / ns[0],
		       ns[2] / ns[0], ns[0]);
		/* sanity: same product as OpenBLAS up to rounding */
		kml_matmul_f32(a, b, c2, j.n, j.n, j.n, 0);
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, j.n, j.n,
			    j.n, 1.0f, a, j.n, b, j.n, 0.0f, c, j.n);
		if (max_diff(c, c2, j.n * j.n) > 1e-3f * j.n)
			printf("  MISMATCH against OpenBLAS at n = %d\n", j.n);
	}

	printf("\nevery transpose, same flags to sgemm (GFLOP/s)\n");
	printf("%5s %8s %10s %10s %12s\n", "n", "op", "kmlib", "openblas",
	       "kml/blas");
	for (unsigned int s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (unsigned int f = 0; f < 4; f++) {
			static const char *names[4] = { "A B", "A^T B", "A B^T",
							 "A^T B^T" };
			struct job j = { .n = sizes[s], .flags = f, .a = a,
					 .b = b, .c = c };
			int who[2] = { KML, BLAS };
			double ns[2], fl = 2.0 * j.n * j.n * j.n;

			time_all(&j, who, 2, ns);
			printf("%5d %8s %10.2f %10.2f %12.2f\n", j.n, names[f],
			       fl / ns[0], fl / ns[1], ns[1] / ns[0]);
			/* c holds sgemm's product: compare with this layout's */
			kml_matmul_f32(a, b, c2, j.n, j.n, j.n, f);
			if (max_diff(c, c2, j.n * j.n) > 1e-3f * j.n)
				printf("  MISMATCH against OpenBLAS\n");
		}

	printf("\nint8 (zero points, requantized) vs float32 at n = 64, A B and A B^T\n");
	printf("%8s %12s %12s %14s\n", "op", "f32 ns", "int8 ns",
	       "f32/int8 time");
	for (unsigned int f = 0; f < 4; f += 2) {
		struct job j = { .n = 64, .flags = f, .a = a, .b = b, .c = c,
				 .qa = qa, .qb = qb, .qc = qc, .q = &q };
		int who[2] = { KML, I8 };
		double ns[2];

		time_all(&j, who, 2, ns);
		printf("%8s %12.0f %12.0f %14.2f\n", f ? "A B^T" : "A B",
		       ns[0], ns[1], ns[0] / ns[1]);
	}

	/*
	 * The output stages the int8 tile treats differently: right shifts
	 * 1..22 fold the zero point into the 64-bit sum (the row above: -10),
	 * others add it after the clamp; a bias that cannot saturate starts
	 * the sums, one within 2^24 of the int32 limits is added saturating.
	 */
	printf("\nint8 A B at n = 64, output-stage variants (vs float32 A B)\n");
	printf("%24s %12s %12s %14s\n", "variant", "f32 ns", "int8 ns",
	       "f32/int8 time");
	for (int v = 0; v < 6; v++) {
		static const char *names[6] = { "shift -10", "shift -10, bias",
						 "shift -10, big bias",
						 "shift 0", "shift +2",
						 "shift -25" };
		static const int shifts[6] = { -10, -10, -10, 0, 2, -25 };
		static int32_t bias[64];
		struct kml_qmm qv = q;
		struct job j = { .n = 64, .a = a, .b = b, .c = c, .qa = qa,
				 .qb = qb, .qc = qc, .q = &qv };
		int who[2] = { KML, I8 };
		double ns[2];

		for (int i = 0; i < 64; i++)
			bias[i] = v == 2 ? (i & 1 ? INT32_MAX - i : INT32_MIN + i) :
					   i * 1000 - 30000;
		qv.out.shift = shifts[v];
		if (v == 1 || v == 2)
			j.bias = bias;
		time_all(&j, who, 2, ns);
		printf("%24s %12.0f %12.0f %14.2f\n", names[v], ns[0], ns[1],
		       ns[0] / ns[1]);
	}
	free(a);
	free(b);
	free(c);
	free(c2);
	free(qa);
	free(qb);
	free(qc);
	return sink ? 1 : 0;
}
