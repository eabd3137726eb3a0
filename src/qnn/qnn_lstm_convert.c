// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_lstm_convert.c - quantize a float LSTM's parameters for the int8
 * LSTM cell of qnn_ops.h (fpu: inside kml_fpu_begin/end in the kernel).
 */
#include "kmlib/qnn_ops.h"
#include "kmlib/qnn.h"
#include "kmlib/fixed.h"
#include "kmlib/kmath.h"

/* Row @r of @w (@n wide) to int8 with scale max|w| / 127; the scale. */
static int quantize_row(const float *w, size_t n, int8_t *q, double *scale)
{
	float m = 0.0f;
	double s, v;
	size_t i;

	for (i = 0; i < n; i++)
		if (kml_fabsf(w[i]) > m)
			m = kml_fabsf(w[i]);
	if (!(m <= 3.0e38f))
		return KML_ERANGE; /* inf or NaN */
	s = m > 0.0f ? m / 127.0 : 1.0;
	for (i = 0; i < n; i++) {
		v = kml_round(w[i] / s);
		q[i] = (int8_t)(v < -127.0 ? -127 : v > 127.0 ? 127 : v);
	}
	*scale = s;
	return KML_OK;
}

int kml_qnn_lstm_quantize(struct kml_qnn_lstm *p, const float *w_ih,
			  const float *w_hh, const float *b_ih,
			  const float *b_hh, float x_scale, int32_t x_zp)
{
	double si, sh, b;
	uint32_t r;
	int err;

	if (!p || !w_ih || !w_hh || !b_ih || !b_hh || !p->w_ih || !p->w_hh ||
	    !p->bias || !p->mult_ih || !p->shift_ih || !p->mult_hh ||
	    !p->shift_hh || !p->in || !p->hidden || !(x_scale > 0.0f) ||
	    !(x_scale < 3.0e38f))
		return KML_EINVAL;
	if (p->in > KML_QNN_MAX_WIDTH || p->hidden > KML_QNN_MAX_WIDTH)
		return KML_EOVERFLOW;
	if (x_zp < INT8_MIN || x_zp > INT8_MAX)
		return KML_ERANGE;
	p->x_zp = x_zp;
	for (r = 0; r < 4 * p->hidden; r++) {
		err = quantize_row(w_ih + (size_t)r * p->in, p->in,
				   p->w_ih + (size_t)r * p->in, &si);
		if (!err)
			err = quantize_row(
			    w_hh + (size_t)r * p->hidden, p->hidden,
			    p->w_hh + (size_t)r * p->hidden, &sh);
		if (err)
			return err;
		/* x and h paths land in Q3.12 (x 4096); h has scale 1/128 */
		err = kml_quantize_multiplier(x_scale * si * 4096.0,
					      &p->mult_ih[r], &p->shift_ih[r]);
		if (!err)
			err = kml_quantize_multiplier(sh * 32.0, &p->mult_hh[r],
						      &p->shift_hh[r]);
		if (err)
			return err;
		b = kml_round(((double)b_ih[r] + b_hh[r]) / (x_scale * si));
		if (b != b)
			return KML_ERANGE;
		p->bias[r] = b < (double)INT32_MIN   ? INT32_MIN
			     : b > (double)INT32_MAX ? INT32_MAX
						     : (int32_t)b;
	}
	return KML_OK;
}
