// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qseq_load.c - quantized sequential models from untrusted bytes (nofpu).
 * Frame (magic, version 2, length, CRC) first; then every record's
 * geometry is checked alone (kml_qseq_probe) and its payload length
 * against the bytes left, before anything is allocated; kml_qseq_create()
 * checks the chaining and sizes under the memory cap; then the
 * parameters are filled and the whole network checked (kml_qseq_check).
 */
#include "kmlib/model.h"
#include "model_impl.h"
#include "qseq_model_impl.h"

static int frame(const uint8_t *p, size_t len)
{
	struct model_r r = { p, 0, len, false };
	uint32_t crc = 0, i;

	if (len < QSEQ_HEADER_BYTES + MODEL_CRC_BYTES)
		return KML_EBADMSG;
	for (i = 0; i < sizeof(kml_qnn_magic); i++)
		if (mr_u8(&r) != kml_qnn_magic[i])
			return KML_EBADMSG;
	if (mr_u16(&r) != QSEQ_FORMAT_VERSION)
		return KML_ENOSYS;
	r.pos = 32;
	if (mr_u64(&r) != len)
		return KML_EBADMSG; /* truncated, or bytes after the end */
	kml_crc32(&crc, p, len - MODEL_CRC_BYTES);
	r.pos = len - MODEL_CRC_BYTES;
	return mr_u32(&r) == crc ? KML_OK : KML_EILSEQ;
}

static void get_head(struct model_r *r, struct kml_qseq_desc *d,
		     struct kml_qseq_quant *t)
{
	d->kind = mr_u32(r);
	d->flags = mr_u32(r);
	d->rows = mr_u32(r);
	d->in_h = mr_u32(r);
	d->in_w = mr_u32(r);
	d->in_c = mr_u32(r);
	d->out_c = mr_u32(r);
	d->k_h = mr_u32(r);
	d->k_w = mr_u32(r);
	d->stride_h = mr_u32(r);
	d->stride_w = mr_u32(r);
	d->pad_h = mr_u32(r);
	d->pad_w = mr_u32(r);
	t->in_zp = (int32_t)mr_u32(r);
	t->out_zp = (int32_t)mr_u32(r);
	t->act_min = (int32_t)mr_u32(r);
	t->act_max = (int32_t)mr_u32(r);
}

/* Pass 1: geometry and payload lengths; r ends at the CRC. */
static int scan(struct model_r *r, uint32_t n, struct kml_qseq_desc *desc)
{
	struct kml_qseq_layer probe;
	struct kml_qseq_quant t;
	uint32_t l;
	size_t bytes;
	int err;

	for (l = 0; l < n; l++) {
		if (!mr_has(r, QSEQ_REC_HEAD_BYTES))
			return KML_EBADMSG;
		get_head(r, &desc[l], &t);
		err = kml_qseq_probe(&desc[l], &probe);
		if (err)
			return err == KML_ENOSYS ? err : KML_EBADMSG;
		bytes = kml_qseq_rec_bytes(&probe);
		if (!mr_has(r, bytes))
			return KML_EBADMSG;
		r->pos += bytes;
	}
	return r->pos == r->len ? KML_OK : KML_EBADMSG;
}

static void get_i32s(struct model_r *r, int32_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = (int32_t)mr_u32(r);
}

static void get_i8s(struct model_r *r, int8_t *v, size_t n)
{
	if (mr_has(r, n)) {
		kml_memcpy(v, r->p + r->pos, n);
		r->pos += n;
	}
}

/* Pass 2: the parameters (lengths already checked by scan()). */
static void fill(struct model_r *r, struct kml_qseq *q)
{
	struct kml_qseq_desc d;
	uint32_t l;

	for (l = 0; l < q->n; l++) {
		struct kml_qseq_layer *ly = &q->layer[l];

		get_head(r, &d, &ly->qt);
		switch (ly->d.kind) {
		case KML_QSEQ_LSTM:
			get_i8s(r, ly->weight, ly->n_weight);
			get_i8s(r, ly->w_hh, ly->n_w_hh);
			get_i32s(r, ly->bias, ly->n_rows);
			get_i32s(r, ly->mult, ly->n_rows);
			get_i32s(r, ly->shift, ly->n_rows);
			get_i32s(r, ly->mult_hh, ly->n_rows);
			get_i32s(r, ly->shift_hh, ly->n_rows);
			break;
		case KML_QSEQ_LINEAR:
		case KML_QSEQ_CONV:
			get_i8s(r, ly->weight, ly->n_weight);
			get_i32s(r, ly->bias, ly->n_rows);
			get_i32s(r, ly->mult, ly->n_rows);
			get_i32s(r, ly->shift, ly->n_rows);
			break;
		case KML_QSEQ_SIGMOID:
		case KML_QSEQ_TANH:
			get_i8s(r, ly->lut, 256);
			break;
		case KML_QSEQ_SOFTMAX:
			get_i32s(r, (int32_t *)ly->exp, 256);
			break;
		default:
			break;
		}
		kml_qseq_bind(ly);
	}
}

int kml_qseq_model_load(struct kml_mem *mem, const uint8_t *buf, size_t len,
			size_t max_batch, struct kml_qseq **out)
{
	struct kml_qseq_desc *desc;
	struct model_r r;
	struct kml_qseq *q;
	uint64_t param_bytes;
	uint32_t n;
	int err;

	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!mem || !buf || !max_batch)
		return KML_EINVAL;
	err = frame(buf, len);
	if (err)
		return err;
	/* the reader stops at the CRC */
	r = (struct model_r){ buf, MODEL_MAGIC_LEN + 2, len - MODEL_CRC_BYTES,
			      false };
	if (mr_u16(&r))
		return KML_EBADMSG; /* flags */
	n = mr_u32(&r);
	param_bytes = mr_u64(&r);
	if (mr_u64(&r) || !n || n > KML_QSEQ_MAX_LAYERS)
		return KML_EBADMSG;
	r.pos = QSEQ_HEADER_BYTES;
	/* off the stack: 32 descriptions are too much for a kernel frame */
	err = kml_alloc_array(mem, n, sizeof(*desc), 0, (void **)&desc);
	if (err)
		return err;
	err = scan(&r, n, desc);
	if (!err)
		err = kml_qseq_create(&q, mem, desc, n, max_batch);
	kml_free(mem, desc);
	if (err)
		return err == KML_ENOMEM || err == KML_EOVERFLOW ||
			       err == KML_EBADMSG || err == KML_ENOSYS
			   ? err
			   : KML_EBADMSG;
	r.pos = QSEQ_HEADER_BYTES;
	fill(&r, q);
	if (r.bad || param_bytes != kml_qseq_param_bytes(q) ||
	    kml_qseq_check(q)) {
		kml_qseq_destroy(q);
		return KML_EBADMSG;
	}
	*out = q;
	return KML_OK;
}
