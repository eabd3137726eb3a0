/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qnn_dot_sse2.h - the int8 dot products and input conversion of qnn.c
 * where the compiler targets SSE2 (user space on x86-64; private to
 * src/qnn/qnn.c, which keeps the portable loop the kernel runs).
 *
 * PMADDWD multiplies eight int16 pairs and adds adjacent products into
 * four int32, and SSE2 has no int8 multiply, so weights must widen. Read
 * as eight int16 lanes, 16 weights hold w[2j] in the low and w[2j+1] in
 * the high byte of lane j: a left shift by 8 gives w[2j] 256 and a mask
 * of the high byte gives w[2j+1] 256, both exact int16 (two instructions
 * for 16 weights, no sign handling). The input is stored de-interleaved
 * per block of 16 (x16[0..7] the even inputs, x16[8..15] the odd ones)
 * to match; the tail past the last full block stays in order.
 *
 * Every product is then a multiple of 256; the lanes are shifted back
 * (exactly) after each chunk of at most 1024 inputs, in which a lane
 * collects at most 64 x 2 x 2 products of |w 256| <= 32768 and
 * |x - zp| <= 255: 2,139,095,040 < 2^31. The sums are the same exact
 * integers as the portable loop's, so outputs are bit-identical with the
 * kernel's.
 */
#ifndef KMLIB_QNN_DOT_SSE2_H
#define KMLIB_QNN_DOT_SSE2_H

#include "kmlib/kml_deps.h"
#include "kmlib/kml_simd.h"

typedef int8_t qnn_v16qi __attribute__((vector_size(16)));
typedef int16_t qnn_v8hi __attribute__((vector_size(16)));
typedef int32_t qnn_v4si __attribute__((vector_size(16)));

#define QNN_CHUNK 1024u

static inline int32_t hsum(qnn_v4si v)
{
	return v[0] + v[1] + v[2] + v[3];
}

/* a += (even weights) . x0 + (odd weights) . x1, all times 256 */
#define QNN_MADD16(a, w, x0, x1)                                               \
	do {                                                                   \
		const qnn_v8hi hib_ = { -256, -256, -256, -256,                \
					-256, -256, -256, -256 };              \
		qnn_v8hi v_;                                                   \
		kml_memcpy(&v_, (w), sizeof(v_));                              \
		(a) += kml_simd_madd_i16(v_ & hib_, (x1)) +                    \
		       kml_simd_madd_i16(v_ << 8, (x0));                       \
	} while (0)

/* sum x[i] w[r n + i] over i < n16 for rows r = 0..3 into out[0..3]. */
static void dot4_v(const int16_t *x, const int8_t *w, uint32_t n, uint32_t n16,
		   int32_t *out)
{
	qnn_v4si t0 = { 0 }, t1 = { 0 }, t2 = { 0 }, t3 = { 0 };
	uint32_t i = 0, end;

	while (i < n16) {
		qnn_v4si a0 = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 };

		end = n16 - i > QNN_CHUNK ? i + QNN_CHUNK : n16;
		for (; i < end; i += 16) {
			qnn_v8hi x0, x1;

			kml_memcpy(&x0, x + i, sizeof(x0));
			kml_memcpy(&x1, x + i + 8, sizeof(x1));
			QNN_MADD16(a0, w + i, x0, x1);
			QNN_MADD16(a1, w + n + i, x0, x1);
			QNN_MADD16(a2, w + 2 * (size_t)n + i, x0, x1);
			QNN_MADD16(a3, w + 3 * (size_t)n + i, x0, x1);
		}
		t0 += a0 >> 8;
		t1 += a1 >> 8;
		t2 += a2 >> 8;
		t3 += a3 >> 8;
	}
	/* transpose-and-add: the four row sums in one vector */
	t0 = (qnn_v4si)__builtin_shufflevector(t0, t1, 0, 4, 1, 5) +
	     (qnn_v4si)__builtin_shufflevector(t0, t1, 2, 6, 3, 7);
	t2 = (qnn_v4si)__builtin_shufflevector(t2, t3, 0, 4, 1, 5) +
	     (qnn_v4si)__builtin_shufflevector(t2, t3, 2, 6, 3, 7);
	t0 = (qnn_v4si)__builtin_shufflevector(t0, t2, 0, 1, 4, 5) +
	     (qnn_v4si)__builtin_shufflevector(t0, t2, 2, 3, 6, 7);
	kml_memcpy(out, &t0, sizeof(t0));
}

/* The same for one row. */
static int32_t dot1_v(const int16_t *x, const int8_t *w, uint32_t n16)
{
	qnn_v4si t = { 0 };
	uint32_t i = 0, end;

	while (i < n16) {
		qnn_v4si a = { 0 };

		end = n16 - i > QNN_CHUNK ? i + QNN_CHUNK : n16;
		for (; i < end; i += 16) {
			qnn_v8hi x0, x1;

			kml_memcpy(&x0, x + i, sizeof(x0));
			kml_memcpy(&x1, x + i + 8, sizeof(x1));
			QNN_MADD16(a, w + i, x0, x1);
		}
		t += a >> 8;
	}
	return hsum(t);
}

/* Exact dot products of @x with 4 rows (@rows4) or 1 row at @w. */
static void dot_rows(const int16_t *x, int32_t xsum16, const int8_t *w,
		     uint32_t n, bool rows4, int32_t *out)
{
	uint32_t n16 = n & ~15u, i, r, rows = rows4 ? 4 : 1;

	(void)xsum16;
	if (rows4)
		dot4_v(x, w, n, n16, out);
	else
		out[0] = dot1_v(x, w, n16);
	for (r = 0; n16 < n && r < rows; r++)
		for (i = n16; i < n; i++)
			out[r] += x[i] * w[(size_t)r * n + i];
}

/*
 * x16 = x - zp, each full block of 16 de-interleaved (even inputs, then
 * odd), the tail in order. The int16 view of 16 bytes holds x[2j] low
 * and x[2j+1] high in lane j: shifts sign-extend each. Returns 0 (no
 * offset to take out).
 */
static int32_t prep_input(const int8_t *x, int32_t zp, uint32_t n, int16_t *x16)
{
	const qnn_v8hi z = {
		(int16_t)zp, (int16_t)zp, (int16_t)zp, (int16_t)zp,
		(int16_t)zp, (int16_t)zp, (int16_t)zp, (int16_t)zp
	};
	uint32_t i, n16 = n & ~15u;

	for (i = 0; i < n16; i += 16) {
		qnn_v8hi v, even, odd;

		kml_memcpy(&v, x + i, sizeof(v));
		even = ((v << 8) >> 8) - z;
		odd = (v >> 8) - z;
		kml_memcpy(x16 + i, &even, sizeof(even));
		kml_memcpy(x16 + i + 8, &odd, sizeof(odd));
	}
	for (; i < n; i++)
		x16[i] = (int16_t)(x[i] - zp);
	return 0;
}

#endif /* KMLIB_QNN_DOT_SSE2_H */
