// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* requant.c - validated requantization of int32 accumulators (nofpu). */
#include "kmlib/kml_deps.h"
#include "kmlib/fixed.h"
#include "kmlib/tensor.h"
#include "requant_fast.h"

int kml_requant_check(const struct kml_requant *rq, unsigned int dtype)
{
	int32_t lo, hi;

	if (!rq)
		return KML_EINVAL;
	switch (dtype) {
	case KML_I8:
		lo = INT8_MIN, hi = INT8_MAX;
		break;
	case KML_I16:
		lo = INT16_MIN, hi = INT16_MAX;
		break;
	case KML_I32:
		lo = INT32_MIN, hi = INT32_MAX;
		break;
	default:
		return KML_ENOSYS;
	}
	if (rq->mult < 0 || rq->shift < -31 || rq->shift > 30)
		return KML_EINVAL;
	if (rq->zero_point < lo || rq->zero_point > hi)
		return KML_ERANGE;
	if (rq->act_min < lo || rq->act_max > hi || rq->act_min > rq->act_max)
		return KML_ERANGE;
	return KML_OK;
}

int kml_requantize_i8(const int32_t *in, size_t n, const struct kml_requant *rq,
		      int8_t *out)
{
	struct kml_rq_fast r;
	size_t i;
	int rc;

	if (!in || !out || !n)
		return KML_EINVAL;
	rc = kml_requant_check(rq, KML_I8);
	if (rc)
		return rc;
	kml_rq_prepare(rq, &r); /* a local: stores to out cannot alias it */
	i = 0;
#if KML_RQ_VEC
	for (; i + KML_RQ_VEC <= n; i += KML_RQ_VEC)
		kml_rq_store8_i8(in + i, out + i, &r);
#endif
	for (; i < n; i++)
		out[i] = (int8_t)kml_rq_apply(in[i], &r);
	return KML_OK;
}

int kml_requantize_i16(const int32_t *in, size_t n,
		       const struct kml_requant *rq, int16_t *out)
{
	struct kml_rq_fast r;
	size_t i;
	int rc;

	if (!in || !out || !n)
		return KML_EINVAL;
	rc = kml_requant_check(rq, KML_I16);
	if (rc)
		return rc;
	kml_rq_prepare(rq, &r);
	i = 0;
#if KML_RQ_VEC
	for (; i + KML_RQ_VEC <= n; i += KML_RQ_VEC)
		kml_rq_store8_i16(in + i, out + i, &r);
#endif
	for (; i < n; i++)
		out[i] = (int16_t)kml_rq_apply(in[i], &r);
	return KML_OK;
}
