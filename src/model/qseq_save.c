// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qseq_save.c - quantized sequential models to bytes (nofpu). Layout in
 * docs/model-format.md, "Quantized models, version 2".
 */
#include "kmlib/model.h"
#include "model_impl.h"
#include "qseq_model_impl.h"

static int qseq_total(const struct kml_qseq *q, size_t *size)
{
	size_t total = QSEQ_HEADER_BYTES + MODEL_CRC_BYTES;
	uint32_t l;

	for (l = 0; l < q->n; l++)
		if (!kml_size_add(total, QSEQ_REC_HEAD_BYTES, &total) ||
		    !kml_size_add(total, kml_qseq_rec_bytes(&q->layer[l]),
				  &total))
			return KML_EOVERFLOW;
	*size = total;
	return KML_OK;
}

int kml_qseq_model_size(const struct kml_qseq *q, size_t *size)
{
	if (!size)
		return KML_EINVAL;
	*size = 0;
	if (!q)
		return KML_EINVAL;
	return qseq_total(q, size);
}

static void put_i32s(struct model_w *w, const int32_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		mw_u32(w, (uint32_t)v[i]);
}

static void put_i8s(struct model_w *w, const int8_t *v, size_t n)
{
	kml_memcpy(w->p + w->pos, v, n); /* int8: no byte order */
	w->pos += n;
}

static void put_layer(struct model_w *w, const struct kml_qseq_layer *ly)
{
	const struct kml_qseq_desc *d = &ly->d;
	const uint32_t head[] = { d->kind, d->flags,	d->rows,     d->in_h,
				  d->in_w, d->in_c,	d->out_c,    d->k_h,
				  d->k_w,  d->stride_h, d->stride_w, d->pad_h,
				  d->pad_w };
	size_t i;

	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		mw_u32(w, head[i]);
	mw_u32(w, (uint32_t)ly->qt.in_zp);
	mw_u32(w, (uint32_t)ly->qt.out_zp);
	mw_u32(w, (uint32_t)ly->qt.act_min);
	mw_u32(w, (uint32_t)ly->qt.act_max);
	switch (d->kind) {
	case KML_QSEQ_LSTM:
		put_i8s(w, ly->weight, ly->n_weight);
		put_i8s(w, ly->w_hh, ly->n_w_hh);
		put_i32s(w, ly->bias, ly->n_rows);
		put_i32s(w, ly->mult, ly->n_rows);
		put_i32s(w, ly->shift, ly->n_rows);
		put_i32s(w, ly->mult_hh, ly->n_rows);
		put_i32s(w, ly->shift_hh, ly->n_rows);
		break;
	case KML_QSEQ_LINEAR:
	case KML_QSEQ_CONV:
		put_i8s(w, ly->weight, ly->n_weight);
		put_i32s(w, ly->bias, ly->n_rows);
		put_i32s(w, ly->mult, ly->n_rows);
		put_i32s(w, ly->shift, ly->n_rows);
		break;
	case KML_QSEQ_SIGMOID:
	case KML_QSEQ_TANH:
		put_i8s(w, ly->lut, 256);
		break;
	case KML_QSEQ_SOFTMAX:
		put_i32s(w, (const int32_t *)ly->exp, 256);
		break;
	default:
		break;
	}
}

int kml_qseq_model_save(const struct kml_qseq *q, uint8_t *buf, size_t cap,
			size_t *written)
{
	struct model_w w = { .p = buf };
	uint32_t l, crc = 0;
	size_t size, i;
	int err;

	if (!written)
		return KML_EINVAL;
	*written = 0;
	if (!q || !buf || kml_qseq_check(q))
		return KML_EINVAL;
	err = qseq_total(q, &size);
	if (err)
		return err;
	if (cap < size)
		return KML_ENOSPC;
	for (i = 0; i < MODEL_MAGIC_LEN; i++)
		mw_u8(&w, kml_qnn_magic[i]);
	mw_u16(&w, QSEQ_FORMAT_VERSION);
	mw_u16(&w, 0); /* flags */
	mw_u32(&w, q->n);
	mw_u64(&w, q->param_bytes);
	mw_u64(&w, 0); /* reserved */
	mw_u64(&w, size);
	for (l = 0; l < q->n; l++)
		put_layer(&w, &q->layer[l]);
	kml_crc32(&crc, buf, w.pos);
	mw_u32(&w, crc);
	*written = w.pos;
	return KML_OK;
}
