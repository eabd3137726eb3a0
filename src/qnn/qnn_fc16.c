// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_fc16.c - linear layers with int16 activations and int8 weights,
 * TFLite's 16x8 scheme with int64 accumulators (nofpu).
 */
#include "kmlib/qnn_ops.h"
#include "kmlib/qnn.h"
#include "kmlib/fixed.h"
#include "qnn_dot.h"

#define ACC_LIMIT ((int64_t)1 << 47) /* TFLite's assumed |acc| bound */

/*
 * TFLite's MultiplyByQuantizedMultiplier for int64 accumulators: the Q31
 * multiplier rounded to 16 bits, one rounding shift by 15 - shift
 * (8..46). |acc| <= 2^47 and reduced <= 32767 keep everything in int64.
 */
static int32_t mbqm64(int64_t acc, int32_t mult, int32_t shift)
{
	int64_t reduced = mult < 0x7FFF0000 ? (mult + (1 << 15)) >> 16 : 0x7FFF;
	int total = 15 - shift;
	int64_t r;

	if (acc >= ACC_LIMIT)
		acc = ACC_LIMIT - 1;
	if (acc < -ACC_LIMIT)
		acc = -ACC_LIMIT;
	r = (acc * reduced + ((int64_t)1 << (total - 1))) >> total;
	return kml_sat_i32(r);
}

static int fc16_check(const struct kml_qnn_fc16 *p)
{
	uint32_t o;

	if (!p || !p->weight || !p->mult || !p->shift || !p->in || !p->out)
		return KML_EINVAL;
	if (p->in > KML_QNN_MAX_WIDTH || p->out > KML_QNN_MAX_DIM)
		return KML_EOVERFLOW;
	if (p->act_min < INT16_MIN || p->act_max > INT16_MAX ||
	    p->act_min > p->act_max)
		return KML_ERANGE;
	for (o = 0; o < p->out; o++)
		if (p->mult[o] < 0 || p->shift[o] < -31 || p->shift[o] > 7)
			return KML_EINVAL;
	return KML_OK;
}

int kml_qnn_fc_i16(const struct kml_qnn_fc16 *p, const int16_t *x, size_t batch,
		   int16_t *y)
{
	size_t s;
	uint32_t o;
	int err;

	if (!x || !y || !batch)
		return KML_EINVAL;
	err = fc16_check(p);
	if (err)
		return err;
	if (batch > SIZE_MAX / p->in || batch > SIZE_MAX / p->out)
		return KML_EOVERFLOW;
	for (s = 0; s < batch; s++, x += p->in, y += p->out) {
		const int8_t *w = p->weight;

		for (o = 0; o < p->out; o++, w += p->in) {
			/* |x w| <= 2^22, in <= 33025: exact in int64 */
			int64_t acc = qnn_dot_i16_i8(x, w, p->in);
			int32_t v;

			if (p->bias)
				acc += p->bias[o] > ACC_LIMIT	 ? ACC_LIMIT
				       : p->bias[o] < -ACC_LIMIT ? -ACC_LIMIT
								 : p->bias[o];
			v = mbqm64(acc, p->mult[o], p->shift[o]);
			v = v < p->act_min   ? p->act_min
			    : v > p->act_max ? p->act_max
					     : v;
			y[o] = (int16_t)v;
		}
	}
	return KML_OK;
}
