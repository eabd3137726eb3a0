// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * activation.c - fixed-point sigmoid and tanh: table lookup with linear
 * interpolation on |x| and the functions' symmetry (nofpu).
 */
#include "kmlib/kml_deps.h"
#include "kmlib/fixed.h"
#include "fixed_act.h"

/* Interpolate @tab at |x| for x in Q3.12: 64 input steps per entry. */
static int32_t act_lookup(const uint16_t *tab, int32_t ax)
{
	int32_t idx = ax >> 6, frac = ax & 63, lo, hi;

	if (idx >= KML_ACT_TABLE_N) { /* only |x| = 8 (x = -32768) */
		idx = KML_ACT_TABLE_N - 1;
		frac = 64;
	}
	lo = tab[idx];
	hi = tab[idx + 1];
	/* tables are non-decreasing: hi - lo >= 0, so >> is a plain floor */
	return lo + (((hi - lo) * frac + 32) >> 6);
}

int16_t kml_sigmoid_q15(int16_t x)
{
	int32_t ax = x < 0 ? -(int32_t)x : x;
	int32_t y = act_lookup(kml_sigmoid_q15_table, ax);

	/* sigmoid(-x) = 1 - sigmoid(x); y >= 16384 keeps it in range */
	return (int16_t)(x < 0 ? 32768 - y : y);
}

int16_t kml_tanh_q15(int16_t x)
{
	int32_t ax = x < 0 ? -(int32_t)x : x;
	int32_t y = act_lookup(kml_tanh_q15_table, ax);

	return (int16_t)(x < 0 ? -y : y);
}

/* Q0.15 -> Q0.7, ties away from zero, saturated at +-127. */
static int8_t q15_to_q7(int16_t y)
{
	return kml_sat_i8(kml_rshift_round(y, 8, KML_ROUND_HALF_AWAY));
}

int8_t kml_sigmoid_q7(int8_t x)
{
	return q15_to_q7(kml_sigmoid_q15((int16_t)(x * 256)));
}

int8_t kml_tanh_q7(int8_t x)
{
	return q15_to_q7(kml_tanh_q15((int16_t)(x * 256)));
}

#define DEFINE_ARRAY(name, type, fn)                                           \
	int name(const type *in, size_t n, type *out)                          \
	{                                                                      \
		size_t i;                                                      \
                                                                               \
		if (!in || !out || !n)                                         \
			return KML_EINVAL;                                     \
		for (i = 0; i < n; i++)                                        \
			out[i] = fn(in[i]);                                    \
		return KML_OK;                                                 \
	}

DEFINE_ARRAY(kml_sigmoid_i16, int16_t, kml_sigmoid_q15)
DEFINE_ARRAY(kml_tanh_i16, int16_t, kml_tanh_q15)
DEFINE_ARRAY(kml_sigmoid_i8, int8_t, kml_sigmoid_q7)
DEFINE_ARRAY(kml_tanh_i8, int8_t, kml_tanh_q7)
