/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qnn_lstm_wide.h - the int8 LSTM's gate pre-activations with AVX2
 * (included by qnn_lstm.c under KML_SIMD_WIDE: user space only, chosen at
 * run time). Per step, x - zp and h are widened to int16 once (not once
 * per unit), the 4 hidden gate rows of W_ih and W_hh run eight at a time
 * through qnn_dot_wide_tmpl.h's exact dot, and the output stage
 *   z = sat16(mul_by_qmult(sat32(x.w_ih + bias)) + mul_by_qmult(h.w_hh))
 * runs on eight rows at once with qnn_requant8.h's qnn_mulq8(), the same
 * integers as gate_z() since lstm_check() admits only mult >= 0 and
 * shifts in -31..30. The scratch is on the stack, so only widths up to
 * QL_MAX_IN / QL_MAX_HIDDEN take this path.
 */
#ifndef KMLIB_QNN_LSTM_WIDE_H
#define KMLIB_QNN_LSTM_WIDE_H

#include "qnn_requant8.h"

#define QL_MAX_IN 256u
#define QL_MAX_HIDDEN 128u

typedef int8_t qnn_lb16 __attribute__((vector_size(16)));
typedef int16_t qnn_lv8hi __attribute__((vector_size(16)));

#define QW(name) name##_avx2
#define QW_TARGET KML_TARGET_AVX2
#define QW_L 16u
#define qw_hv kml_v16hi
#define qw_bv qnn_lb16
#define qw_sv kml_v8si
#define QW_MADD(a, b) kml_simd_madd_i16x16(a, b)
#define QW_WIDEN(b) kml_simd_widen_i8x16(b)
#define QW_FOLD8(v) (v)
#include "qnn_dot_wide_tmpl.h"
#undef QW
#undef QW_TARGET
#undef QW_L
#undef qw_hv
#undef qw_bv
#undef qw_sv
#undef QW_MADD
#undef QW_WIDEN
#undef QW_FOLD8

static KML_TARGET_AVX2 inline kml_v8si ql_load8(const int32_t *p)
{
	kml_v8si v;

	kml_memcpy(&v, p, sizeof(v));
	return v;
}

/* z[0..4 hidden - 1] of one step; @h16 NULL: h = 0. */
static KML_TARGET_AVX2 void ql_gates_avx2(const struct kml_qnn_lstm *p,
					  const int16_t *x16,
					  const int16_t *h16, int16_t *z)
{
	const uint32_t in = p->in, n = p->hidden, rows = 4 * n;
	const kml_v8si zero = { 0 }, max = zero + INT32_MAX;
	const kml_v8si lo = zero - 32768, hi = zero + 32767;
	uint32_t r, i;

	for (r = 0; r + 8 <= rows; r += 8) {
		kml_v8si ax, ah = zero, v;
		qnn_lv8hi s;

		ax = dot_avx2(x16, p->w_ih + (size_t)r * in, in, 8, true);
		if (h16)
			ah = dot_avx2(h16, p->w_hh + (size_t)r * n, n, 8, true);
		ax = qnn_sat_add8(ax, ql_load8(p->bias + r), max);
		ax = qnn_mulq8(ax, ql_load8(p->mult_ih + r),
			       ql_load8(p->shift_ih + r));
		ah = qnn_mulq8(ah, ql_load8(p->mult_hh + r),
			       ql_load8(p->shift_hh + r));
		/* sat16 of the int64 sum = sat16 of the sat32 sum */
		v = qnn_sat_add8(ax, ah, max);
		v = kml_simd_min_i32x8(kml_simd_max_i32x8(v, lo), hi);
		s = __builtin_shufflevector((kml_v16hi)v, (kml_v16hi)v, 0, 2, 4,
					    6, 8, 10, 12, 14);
		kml_memcpy(z + r, &s, sizeof(s));
	}
	if (r < rows) { /* the last four rows (odd hidden) */
		int32_t a[8], b[8] = { 0 };
		kml_v8si t;

		t = dot_avx2(x16, p->w_ih + (size_t)r * in, in, rows - r,
			     false);
		kml_memcpy(a, &t, sizeof(a));
		if (h16) {
			t = dot_avx2(h16, p->w_hh + (size_t)r * n, n, rows - r,
				     false);
			kml_memcpy(b, &t, sizeof(b));
		}
		for (i = 0; r + i < rows; i++)
			z[r + i] = gate_z(p, r + i, a[i], b[i]);
	}
}

/* lstm_step() with the gates above; in <= QL_MAX_IN, hidden <= QL_MAX_HIDDEN.
 */
static KML_TARGET_AVX2 KML_NOINLINE void
lstm_step_avx2(const struct kml_qnn_lstm *p, const int8_t *x, const int8_t *hp,
	       int16_t *c, int8_t *h)
{
	int16_t x16[QL_MAX_IN], h16[QL_MAX_HIDDEN], z[4 * QL_MAX_HIDDEN];
	const uint32_t n = p->hidden;
	uint32_t k;

	prep_avx2(x, p->x_zp, p->in, x16);
	if (hp)
		prep_avx2(hp, 0, n, h16);
	ql_gates_avx2(p, x16, hp ? h16 : NULL, z);
	for (k = 0; k < n; k++)
		lstm_unit(z[k], z[n + k], z[2 * n + k], z[3 * n + k], c + k,
			  h + k);
}

#endif /* KMLIB_QNN_LSTM_WIDE_H */
