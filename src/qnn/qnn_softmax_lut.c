// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_softmax_lut.c - the exp table of the int8 softmax (fpu: inside
 * kml_fpu_begin/end in the kernel; built once per input scale).
 */
#include "kmlib/qnn_ops.h"
#include "kmlib/kmath.h"

int kml_qnn_softmax_lut(float in_scale, float beta, uint32_t lut[256])
{
	double step = (double)in_scale * beta;
	int k;

	if (!lut || !(in_scale > 0.0f) || !(beta > 0.0f) || !(step < 1.0e30))
		return KML_EINVAL;
	/* exp of <= 0 lies in (0, 1]: the Q0.23 value fits 24 bits */
	for (k = 0; k < 256; k++)
		lut[k] = (uint32_t)kml_round(8388608.0 * kml_exp(-k * step));
	return KML_OK;
}
