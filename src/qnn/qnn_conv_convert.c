// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_conv_convert.c - quantize a float convolution (PyTorch layout) for
 * the int8 NHWC kernel (fpu: inside kml_fpu_begin/end in the kernel).
 */
#include "kmlib/qnn_ops.h"
#include "kmlib/fixed.h"
#include "kmlib/kmath.h"

int kml_qnn_conv2d_quantize(struct kml_qnn_conv2d *p, int8_t *weight,
			    int32_t *bias, int32_t *mult, int32_t *shift,
			    const float *w, const float *b, float in_scale,
			    float out_scale)
{
	size_t k, per;
	uint32_t o, c, y, x;
	int err;

	if (!p || !weight || !bias || !mult || !shift || !w ||
	    !(in_scale > 0.0f) || !(out_scale > 0.0f) ||
	    !(in_scale < 3.0e38f) || !(out_scale < 3.0e38f))
		return KML_EINVAL;
	/* validate the geometry with the arrays in place */
	p->weight = weight;
	p->mult = mult;
	p->shift = shift;
	p->bias = NULL;
	kml_memset(mult, 0, (size_t)p->out_c * sizeof(*mult));
	kml_memset(shift, 0, (size_t)p->out_c * sizeof(*shift));
	err = kml_qnn_conv2d_out(p, NULL, NULL);
	if (err)
		return err;
	per = (size_t)p->in_c * p->k_h * p->k_w;
	for (o = 0; o < p->out_c; o++) {
		const float *wo = w + o * per;
		float m = 0.0f;
		double ws, v;

		for (k = 0; k < per; k++)
			if (kml_fabsf(wo[k]) > m)
				m = kml_fabsf(wo[k]);
		if (!(m <= 3.0e38f))
			return KML_ERANGE;
		ws = m > 0.0f ? m / 127.0 : 1.0;
		/* (C, kh, kw) -> (kh, kw, C) */
		for (c = 0; c < p->in_c; c++)
			for (y = 0; y < p->k_h; y++)
				for (x = 0; x < p->k_w; x++) {
					v = kml_round(
					    wo[((size_t)c * p->k_h + y) *
						   p->k_w +
					       x] /
					    ws);
					weight[o * per +
					       ((size_t)y * p->k_w + x) *
						   p->in_c +
					       c] = (int8_t)(v < -127.0	 ? -127
							     : v > 127.0 ? 127
									 : v);
				}
		v = b ? kml_round(b[o] / ((double)in_scale * ws)) : 0.0;
		if (v != v)
			return KML_ERANGE;
		bias[o] = v < (double)INT32_MIN	  ? INT32_MIN
			  : v > (double)INT32_MAX ? INT32_MAX
						  : (int32_t)v;
		err = kml_quantize_multiplier((double)in_scale * ws / out_scale,
					      &mult[o], &shift[o]);
		if (err)
			return err;
	}
	p->bias = bias;
	return KML_OK;
}
