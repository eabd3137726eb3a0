// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * tensor_quant.c - quantize and dequantize whole tensors with their own
 * scale and zero point (fpu: reads the float scale).
 */
#include "kmlib/kml_deps.h"
#include "kmlib/platform.h"
#include "kmlib/tensor.h"
#include "kmlib/fixed.h"
#include "tensor_check.h"

/* @f is float32, @q int8 or int16 with its quantization set. */
static int quant_pair_check(const struct kml_tensor *f,
			    const struct kml_tensor *q)
{
	int rc = kml_tensor_check2(f, q);

	if (rc)
		return rc;
	if (f->numel != q->numel)
		return KML_EDOM;
	if (f->dtype != KML_F32 || (q->dtype != KML_I8 && q->dtype != KML_I16))
		return KML_ENOSYS;
	if (!(q->scale > 0.0f))
		return KML_EINVAL;
	return KML_OK;
}

int kml_tensor_quantize(const struct kml_tensor *in, struct kml_tensor *out)
{
	int rc = quant_pair_check(in, out);

	if (rc)
		return rc;
	if (out->dtype == KML_I8)
		return kml_quantize_f32_i8(in->data, in->numel, out->scale,
					   out->zero_point, out->data);
	return kml_quantize_f32_i16(in->data, in->numel, out->scale,
				    out->zero_point, out->data);
}

int kml_tensor_dequantize(const struct kml_tensor *in, struct kml_tensor *out)
{
	int rc = quant_pair_check(out, in);

	if (rc)
		return rc;
	if (in->dtype == KML_I8)
		return kml_dequantize_i8_f32(in->data, in->numel, in->scale,
					     in->zero_point, out->data);
	return kml_dequantize_i16_f32(in->data, in->numel, in->scale,
				      in->zero_point, out->data);
}
