// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * fixed_qmm_paths.c - kml_matmul_i8 against a naive reference on the
 * cases the vector tiles treat specially: every right shift 0..31 and
 * left shifts (the AVX-512 VNNI tile folds the zero point into its 64-bit
 * sum only for right shifts 1..22), zero points and clamps at the int8
 * limits, biases near the int32 limits (added saturating) and small ones
 * (folded into the sums), 16-row blocks of row sums, whole and partial
 * 32-column panels, k up to and past the packed panel's 256, all four
 * layouts. The reference is the exact int64 sum and kml_mul_by_qmult()
 * (the TFLite definition, checked against Python in fixed_cases.c).
 * Every case runs on every path the CPU has (kml_matmul_i8_isa(): the
 * automatic choice, portable, SSE2, AVX2, AVX-512 VNNI); a path that
 * does not take a shape (k past its panel, SSE2 with n < 8) says
 * KML_ENOSYS and is skipped there.
 *
 * Under valgrind (no AVX-512) the VNNI path reports KML_ENOSYS.
 */
#include <stdio.h>
#include <stdlib.h>
#include "kmlib/fixed.h"
#include "kmlib/linalg.h"
#include "../../src/fixed/qmatmul_isa.h"

static uint64_t state = 11;

static uint32_t rnd(void)
{
	state = state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(state >> 33);
}

static int32_t pick(const int32_t *v, size_t n)
{
	return v[rnd() % n];
}

static int8_t ref(const int8_t *a, const int8_t *b, const int32_t *bias,
		  size_t i, size_t j, size_t m, size_t k, size_t n,
		  unsigned int fl, const struct kml_qmm *q)
{
	int64_t s = 0, v;

	for (size_t p = 0; p < k; p++) {
		int64_t av =
		    (fl & KML_MM_TRANS_A) ? a[p * m + i] : a[i * k + p];
		int64_t bv =
		    (fl & KML_MM_TRANS_B) ? b[j * k + p] : b[p * n + j];

		s += (av - q->a_zero_point) * (bv - q->b_zero_point);
	}
	if (bias)
		s = kml_sat_i32(s + bias[j]);
	v = (int64_t)kml_mul_by_qmult((int32_t)s, q->out.mult, q->out.shift) +
	    q->out.zero_point;
	return (int8_t)(v < q->out.act_min   ? q->out.act_min
			: v > q->out.act_max ? q->out.act_max
					     : v);
}

/* bias of kind 0: none, 1: small, 2: near the int32 limits, 3: mixed */
static const int32_t *make_bias(int32_t *bias, size_t n, int kind)
{
	for (size_t j = 0; j < n; j++) {
		int32_t big = rnd() & 1
				  ? INT32_MAX - (int32_t)(rnd() % 20000000)
				  : INT32_MIN + (int32_t)(rnd() % 20000000);
		int32_t small = (int32_t)(rnd() % 2000001) - 1000000;

		bias[j] = kind == 1   ? small
			  : kind == 2 ? big
				      : (rnd() % 8 ? small : big);
	}
	return kind ? bias : NULL;
}

int main(void)
{
	static const int32_t dims_m[] = { 1, 7, 8, 16, 17, 32, 40, 64, 67 };
	static const int32_t dims_k[] = { 1,   3,   4,	 12,  60, 64,
					  100, 128, 192, 256, 260 };
	static const int32_t dims_n[] = { 1,  8,  15, 16, 17, 31,
					  32, 33, 48, 64, 65 };
	static const int32_t zps[] = { -128, -127, -1, 0, 1, 5, 126, 127 };
	static const int32_t mults[] = { 0,	     1,
					 1 << 30,    (1 << 30) + 1,
					 1518500250, 2147483647 };
	int8_t *a = malloc(70 * 260), *b = malloc(260 * 70);
	int8_t *c = malloc(70 * 70);
	int32_t bias[70];
	long bad = 0, checked = 0, cases = 0;
	long per_isa[KML_QMM_ISA_VNNI + 1] = { 0 };

	if (!a || !b || !c)
		return 2;
	for (int t = 0; t < 600; t++) {
		size_t m = (size_t)pick(dims_m, sizeof(dims_m) / 4);
		size_t k = (size_t)pick(dims_k, sizeof(dims_k) / 4);
		size_t n = (size_t)pick(dims_n, sizeof(dims_n) / 4);
		unsigned int fl = rnd() % 4;
		int data = rnd() % 3, r = t % 32, lo, hi;
		struct kml_qmm q = { .a_zero_point = pick(zps, 8),
				     .b_zero_point = pick(zps, 8) };
		const int32_t *bs;

		/*
		 * data 0: full range; 1: int8 extremes against extreme zero
		 * points (the largest sums); 2: values in -2..2 with an
		 * identity output stage, so a sum off by one shows.
		 */
		for (size_t i = 0; i < m * k; i++)
			a[i] = data == 0   ? (int8_t)rnd()
			       : data == 1 ? (int8_t)(rnd() & 1 ? 127 : -128)
					   : (int8_t)(rnd() % 5) - 2;
		for (size_t i = 0; i < k * n; i++)
			b[i] = data == 0   ? (int8_t)rnd()
			       : data == 1 ? (int8_t)(rnd() & 1 ? 127 : -128)
					   : (int8_t)(rnd() % 5) - 2;
		if (data == 1) { /* zero points opposite to the values */
			q.a_zero_point = rnd() & 1 ? 127 : -128;
			q.b_zero_point = rnd() & 1 ? 127 : -128;
		}
		bs = make_bias(bias, n, data == 2 ? 0 : (int)(rnd() % 4));
		q.out.mult = rnd() % 2
				 ? pick(mults, 6)
				 : (int32_t)(rnd() | 1u << 30) & INT32_MAX;
		/* every right shift 0..31 in turn, some left shifts */
		q.out.shift = t % 5 == 4 ? (int32_t)(rnd() % 8) : -r;
		q.out.zero_point = pick(zps, 8);
		lo = -128 + (rnd() % 3 ? 0 : (int)(rnd() % 100));
		hi = 127 - (rnd() % 3 ? 0 : (int)(rnd() % 100));
		q.out.act_min = lo < hi ? lo : hi;
		q.out.act_max = lo < hi ? hi : lo;
		if (data == 2) {
			q.a_zero_point = (int32_t)(rnd() % 3) - 1;
			q.b_zero_point = (int32_t)(rnd() % 3) - 1;
			q.out.mult = 1 << 30;
			q.out.shift = 1;
			q.out.zero_point = 0;
			q.out.act_min = -128;
			q.out.act_max = 127;
		}
		cases++;
		for (int isa = KML_QMM_ISA_AUTO; isa <= KML_QMM_ISA_VNNI;
		     isa++) {
			int rc = kml_matmul_i8_isa(a, b, bs, c, m, k, n, fl, &q,
						   isa);

			if (rc == KML_ENOSYS && isa != KML_QMM_ISA_AUTO)
				continue;
			if (rc) {
				bad++;
				continue;
			}
			for (size_t i = 0; i < m; i++)
				for (size_t j = 0; j < n; j++) {
					int8_t want = ref(a, b, bs, i, j, m, k,
							  n, fl, &q);

					per_isa[isa]++;
					if (c[i * n + j] == want)
						continue;
					if (bad < 5)
						printf("case %d path %d: "
						       "%zux%zux%zu fl %u "
						       "shift %d zp %d: "
						       "C[%zu][%zu] = %d, "
						       "want %d\n",
						       t, isa, m, k, n, fl,
						       q.out.shift,
						       q.out.zero_point, i, j,
						       c[i * n + j], want);
					bad++;
				}
		}
	}
	for (int isa = 0; isa <= KML_QMM_ISA_VNNI; isa++)
		checked += per_isa[isa];
	printf("int8 matmul paths: %ld of %ld outputs (%ld cases) differ "
	       "from the reference\n"
	       "outputs checked per path: auto %ld, portable %ld, SSE2 %ld, "
	       "AVX2 %ld, VNNI %ld\n",
	       bad, checked, cases, per_isa[0], per_isa[1], per_isa[2],
	       per_isa[3], per_isa[4]);
	free(a);
	free(b);
	free(c);
	/* the automatic and the portable path take every case */
	return bad || per_isa[KML_QMM_ISA_AUTO] < 100000 ||
		       per_isa[KML_QMM_ISA_PORTABLE] < 100000
		   ? 1
		   : 0;
}
