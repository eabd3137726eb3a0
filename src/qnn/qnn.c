// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn.c - int8 MLP inference (nofpu: no float anywhere in this file).
 */
#include "kmlib/qnn.h"
#include "kmlib/fixed.h"
#include "qnn_impl.h"

void kml_qnn_destroy(struct kml_qnn *q)
{
	if (!q)
		return;
	kml_free(q->mem, q->block);
	kml_free(q->mem, q);
}

/* Bytes of one layer's parameters, overflow-checked. */
static bool layer_bytes(uint32_t in, uint32_t out, size_t *bytes)
{
	size_t w, b;

	/* weights padded to 16 bytes so the int32 arrays stay aligned */
	if (!kml_size_mul(in, out, &w) || !kml_size_add(w, 15, &w))
		return false;
	w &= ~(size_t)15;
	b = (size_t)out * 3 * sizeof(int32_t);
	return kml_size_add(w, b, bytes);
}

int kml_qnn_create(struct kml_qnn **out, struct kml_mem *mem,
		   const uint32_t *sizes, uint32_t n_layers, size_t max_batch)
{
	struct kml_qnn *q;
	size_t total = 0, width = 0, act, bytes;
	uint8_t *p;
	uint32_t l;
	int err;

	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!mem || !sizes || !n_layers || n_layers > KML_QNN_MAX_LAYERS ||
	    !max_batch)
		return KML_EINVAL;
	for (l = 0; l <= n_layers; l++) {
		if (!sizes[l])
			return KML_EINVAL;
		if (sizes[l] > KML_QNN_MAX_WIDTH)
			return KML_EOVERFLOW;
		if (sizes[l] > width)
			width = sizes[l];
	}
	for (l = 0; l < n_layers; l++) {
		if (!layer_bytes(sizes[l], sizes[l + 1], &bytes) ||
		    !kml_size_add(total, bytes, &total))
			return KML_EOVERFLOW;
	}
	/* two ping-pong activation buffers of max_batch x widest layer */
	if (!kml_size_mul(width, max_batch, &act) ||
	    !kml_size_add(act, 15, &act))
		return KML_EOVERFLOW;
	act &= ~(size_t)15;
	if (!kml_size_add(total, act, &total) ||
	    !kml_size_add(total, act, &total))
		return KML_EOVERFLOW;

	err = kml_alloc(mem, sizeof(*q), KML_MEM_ZERO, (void **)&q);
	if (err)
		return err;
	err = kml_alloc(mem, total, KML_MEM_ZERO, (void **)&q->block);
	if (err) {
		kml_free(mem, q);
		return err;
	}
	q->mem = mem;
	q->n_layers = n_layers;
	q->max_batch = max_batch;
	p = q->block;
	for (l = 0; l < n_layers; l++) {
		struct kml_qnn_layer *ly = &q->layer[l];
		size_t w = ((size_t)sizes[l] * sizes[l + 1] + 15) & ~(size_t)15;

		ly->in = sizes[l];
		ly->out = sizes[l + 1];
		ly->act_min = INT8_MIN;
		ly->act_max = INT8_MAX;
		ly->weight = (int8_t *)p;
		p += w;
		ly->bias = (int32_t *)p;
		ly->mult = ly->bias + ly->out;
		ly->shift = ly->mult + ly->out;
		p += (size_t)ly->out * 3 * sizeof(int32_t);
		q->param_bytes += (size_t)ly->in * ly->out +
				  (size_t)ly->out * 3 * sizeof(int32_t);
	}
	q->act[0] = (int8_t *)p;
	q->act[1] = (int8_t *)p + act;
	*out = q;
	return KML_OK;
}

uint32_t kml_qnn_layers(const struct kml_qnn *q)
{
	return q ? q->n_layers : 0;
}

int kml_qnn_layer(struct kml_qnn *q, uint32_t l, struct kml_qnn_layer **out)
{
	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!q || l >= q->n_layers)
		return KML_EINVAL;
	*out = &q->layer[l];
	return KML_OK;
}

size_t kml_qnn_param_bytes(const struct kml_qnn *q)
{
	return q ? q->param_bytes : 0;
}

static bool in_i8(int32_t v)
{
	return v >= INT8_MIN && v <= INT8_MAX;
}

int kml_qnn_check(const struct kml_qnn *q)
{
	uint32_t l, o;

	if (!q)
		return KML_EINVAL;
	for (l = 0; l < q->n_layers; l++) {
		const struct kml_qnn_layer *ly = &q->layer[l];

		if (!in_i8(ly->in_zp) || !in_i8(ly->out_zp) ||
		    !in_i8(ly->act_min) || !in_i8(ly->act_max))
			return KML_ERANGE;
		if (ly->act_min > ly->act_max)
			return KML_EINVAL;
		if (l && ly->in_zp != q->layer[l - 1].out_zp)
			return KML_EINVAL;
		for (o = 0; o < ly->out; o++)
			if (ly->mult[o] < 0 || ly->shift[o] < -31 ||
			    ly->shift[o] > 30)
				return KML_EINVAL;
	}
	return KML_OK;
}

/* One layer over @batch rows; parameters already checked. */
static void layer_run(const struct kml_qnn_layer *ly, const int8_t *x,
		      size_t batch, int8_t *y)
{
	size_t s;
	uint32_t o, i;

	for (s = 0; s < batch; s++, x += ly->in, y += ly->out) {
		const int8_t *w = ly->weight;

		for (o = 0; o < ly->out; o++, w += ly->in) {
			/* |x - zp| <= 255, |w| <= 128, in <= 33025: fits */
			int32_t acc = 0, v;

			for (i = 0; i < ly->in; i++)
				acc += ((int32_t)x[i] - ly->in_zp) * w[i];
			acc = kml_qadd_i32(acc, ly->bias[o]);
			v = kml_mul_by_qmult(acc, ly->mult[o], ly->shift[o]);
			v = kml_sat_i32((int64_t)v + ly->out_zp);
			if (v < ly->act_min)
				v = ly->act_min;
			if (v > ly->act_max)
				v = ly->act_max;
			y[o] = (int8_t)v;
		}
	}
}

int kml_qnn_run(struct kml_qnn *q, const int8_t *in, size_t batch,
		int8_t *out)
{
	const int8_t *x = in;
	uint32_t l;
	int err;

	if (!q || !in || !out || !batch || batch > q->max_batch)
		return KML_EINVAL;
	err = kml_qnn_check(q);
	if (err)
		return err;
	for (l = 0; l < q->n_layers; l++) {
		int8_t *y = l + 1 == q->n_layers ? out : q->act[l & 1];

		layer_run(&q->layer[l], x, batch, y);
		x = y;
	}
	return KML_OK;
}
