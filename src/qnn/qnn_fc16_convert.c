// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_fc16_convert.c - quantize a float linear layer for the int16 x int8
 * kernel (fpu: inside kml_fpu_begin/end in the kernel).
 */
#include "kmlib/qnn_ops.h"
#include "kmlib/qnn.h"
#include "kmlib/fixed.h"
#include "kmlib/kmath.h"

int kml_qnn_fc16_quantize(struct kml_qnn_fc16 *p, int8_t *weight, int64_t *bias,
			  int32_t *mult, int32_t *shift, const float *a,
			  const float *b, float in_scale, float out_scale)
{
	uint32_t i, o;
	int err;

	if (!p || !weight || !bias || !mult || !shift || !a || !p->in ||
	    !p->out || !(in_scale > 0.0f) || !(out_scale > 0.0f) ||
	    !(in_scale < 3.0e38f) || !(out_scale < 3.0e38f))
		return KML_EINVAL;
	if (p->in > KML_QNN_MAX_WIDTH || p->out > KML_QNN_MAX_DIM)
		return KML_EOVERFLOW;
	for (o = 0; o < p->out; o++) {
		float m = 0.0f;
		double ws, v;

		for (i = 0; i < p->in; i++)
			if (kml_fabsf(a[(size_t)i * p->out + o]) > m)
				m = kml_fabsf(a[(size_t)i * p->out + o]);
		if (!(m <= 3.0e38f))
			return KML_ERANGE;
		ws = m > 0.0f ? m / 127.0 : 1.0;
		for (i = 0; i < p->in; i++) {
			v = kml_round(a[(size_t)i * p->out + o] / ws);
			weight[(size_t)o * p->in + i] =
			    (int8_t)(v < -127.0	 ? -127
				     : v > 127.0 ? 127
						 : v);
		}
		v = b ? kml_round(b[o] / ((double)in_scale * ws)) : 0.0;
		if (v != v)
			return KML_ERANGE;
		/* the kernel clamps to +-2^47 anyway */
		bias[o] = v < -1.4e14  ? -(int64_t)140000000000000
			  : v > 1.4e14 ? (int64_t)140000000000000
				       : (int64_t)v;
		err = kml_quantize_multiplier((double)in_scale * ws / out_scale,
					      &mult[o], &shift[o]);
		if (err)
			return err;
		if (shift[o] > 7)
			return KML_ERANGE;
	}
	p->weight = weight;
	p->bias = bias;
	p->mult = mult;
	p->shift = shift;
	return KML_OK;
}
