// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_save.c - quantized networks to bytes (nofpu). Layout in
 * docs/model-format.md, "Quantized models"; qnn_model_impl.h has the
 * constants shared with the loader.
 */
#include "kmlib/qnn_model.h"
#include "kmlib/model.h"
#include "model_impl.h"
#include "qnn_model_impl.h"

/* Payload bytes of a linear record (in, out already bounded). */
size_t kml_qnn_rec_linear_bytes(uint32_t in, uint32_t out)
{
	return QNN_LINEAR_HEAD_BYTES + (size_t)in * out + (size_t)out * 12;
}

static int qnn_total(const struct kml_qnn *q, size_t *size)
{
	size_t total = QNN_HEADER_BYTES + MODEL_CRC_BYTES;
	uint32_t l;

	for (l = 0; l < q->n_layers; l++) {
		const struct kml_qnn_layer *ly = &q->layer[l];

		if (!kml_size_add(total, QNN_REC_HEAD_BYTES, &total) ||
		    !kml_size_add(total,
				  kml_qnn_rec_linear_bytes(ly->in, ly->out),
				  &total))
			return KML_EOVERFLOW;
	}
	*size = total;
	return KML_OK;
}

int kml_qnn_model_size(const struct kml_qnn *q, size_t *size)
{
	if (!size)
		return KML_EINVAL;
	*size = 0;
	if (!q)
		return KML_EINVAL;
	return qnn_total(q, size);
}

static void put_i32s(struct model_w *w, const int32_t *v, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		mw_u32(w, (uint32_t)v[i]);
}

int kml_qnn_model_save(const struct kml_qnn *q, uint8_t *buf, size_t cap,
		       size_t *written)
{
	struct model_w w = { .p = buf };
	size_t size, i, n;
	uint32_t l, crc = 0;
	int err;

	if (!written)
		return KML_EINVAL;
	*written = 0;
	if (!q || !buf)
		return KML_EINVAL;
	if (kml_qnn_check(q))
		return KML_EINVAL;
	err = qnn_total(q, &size);
	if (err)
		return err;
	if (cap < size)
		return KML_ENOSPC;
	for (i = 0; i < MODEL_MAGIC_LEN; i++)
		mw_u8(&w, kml_qnn_magic[i]);
	mw_u16(&w, QNN_FORMAT_VERSION);
	mw_u16(&w, 0); /* flags */
	mw_u32(&w, q->n_layers);
	mw_u64(&w, q->param_bytes);
	mw_u64(&w, 0); /* reserved */
	mw_u64(&w, size);
	for (l = 0; l < q->n_layers; l++) {
		const struct kml_qnn_layer *ly = &q->layer[l];

		mw_u16(&w, QNN_KIND_LINEAR_I8);
		mw_u16(&w, 0);
		mw_u32(&w, (uint32_t)kml_qnn_rec_linear_bytes(ly->in, ly->out));
		mw_u32(&w, ly->in);
		mw_u32(&w, ly->out);
		mw_u32(&w, (uint32_t)ly->in_zp);
		mw_u32(&w, (uint32_t)ly->out_zp);
		mw_u32(&w, (uint32_t)ly->act_min);
		mw_u32(&w, (uint32_t)ly->act_max);
		n = (size_t)ly->in * ly->out;
		kml_memcpy(buf + w.pos, ly->weight,
			   n); /* int8: no byte order */
		w.pos += n;
		put_i32s(&w, ly->bias, ly->out);
		put_i32s(&w, ly->mult, ly->out);
		put_i32s(&w, ly->shift, ly->out);
	}
	kml_crc32(&crc, buf, w.pos);
	mw_u32(&w, crc);
	*written = w.pos;
	return KML_OK;
}
