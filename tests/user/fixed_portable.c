// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * fixed_portable.c - the int8 matmul exactly as kmlib.ko builds it.
 *
 * meson compiles src/fixed/qmatmul.c and requant.c into this test with
 * -mgeneral-regs-only (no SSE, like the kernel's nofpu objects), so the
 * portable SWAR tiles run instead of the SSE2 ones, and checks them
 * against a naive int64 reference over many shapes, zero points, every
 * transpose and k beyond the vector path's packing limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include "kmlib/fixed.h"
#include "kmlib/linalg.h"

static uint64_t state = 7;

static uint32_t rnd(void)
{
	state = state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(state >> 33);
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
	/* clang-format off */
	return (int8_t)(v < q->out.act_min ? q->out.act_min :
			v > q->out.act_max ? q->out.act_max : v);
	/* clang-format on */
}

int main(void)
{
	static const size_t shapes[][3] = {
		{ 1, 1, 1 },	{ 4, 1, 4 },	{ 4, 2, 8 },	{ 5, 3, 7 },
		{ 8, 16, 12 },	{ 9, 33, 17 },	{ 13, 64, 64 }, { 3, 600, 9 },
		{ 17, 5, 100 }, { 6, 1030, 5 },
	};
	int8_t *a = malloc(20000), *b = malloc(20000), *c = malloc(20000);
	int32_t bias[128];
	long bad = 0, checked = 0;

	if (!a || !b || !c)
		return 2;
	/*
	 * Pass 0: full-range data. Pass 1: values in -2..2 and an identity
	 * output stage (mult 2^30, shift 1), so an accumulator off by one
	 * shows in the int8 output instead of vanishing in the rounding.
	 */
	for (size_t t = 0; t < 2 * sizeof(shapes) / sizeof(shapes[0]); t++) {
		size_t s = t / 2, m = shapes[s][0], k = shapes[s][1];
		size_t n = shapes[s][2];
		int exact = t & 1;

		if (exact && k > 16)
			continue;
		for (size_t i = 0; i < m * k; i++)
			a[i] = exact ? (int8_t)(rnd() % 5) - 2 : (int8_t)rnd();
		for (size_t i = 0; i < k * n; i++)
			b[i] = exact ? (int8_t)(rnd() % 5) - 2 : (int8_t)rnd();
		for (size_t i = 0; i < n; i++)
			bias[i] = (int32_t)(rnd() % 20001) - 10000;
		for (unsigned int fl = 0; fl < 8; fl++) {
			/* clang-format off */
			struct kml_qmm q = {
				.a_zero_point = (int32_t)(rnd() % 256) - 128,
				.b_zero_point = (int32_t)(rnd() % 256) - 128,
				.out = { .mult = (int32_t)(rnd() | 1u << 30) &
						 0x7fffffff,
					 .shift = -(int32_t)(rnd() % 20),
					 .zero_point = (int32_t)(rnd() % 21) - 10,
					 .act_min = -128, .act_max = 127 } };
			/* clang-format on */
			const int32_t *bs = (fl & 4) && !exact ? bias : NULL;
			unsigned int f = fl & 3;

			if (exact) {
				q.a_zero_point = (int32_t)(rnd() % 3) - 1;
				q.b_zero_point = (int32_t)(rnd() % 3) - 1;
				q.out.mult = 1 << 30;
				q.out.shift = 1;
				q.out.zero_point = 0;
			}

			if (kml_matmul_i8(a, b, bs, c, m, k, n, f, &q)) {
				bad++;
				continue;
			}
			for (size_t i = 0; i < m; i++)
				for (size_t j = 0; j < n; j++, checked++)
					if (c[i * n + j] !=
					    ref(a, b, bs, i, j, m, k, n, f, &q))
						bad++;
		}
	}
	printf(
	    "portable int8 matmul: %ld of %ld outputs differ from the reference\n",
	    bad, checked);
	free(a);
	free(b);
	free(c);
	return bad ? 1 : 0;
}
