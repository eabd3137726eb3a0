// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qseq.c - quantized sequential models: layer checks, allocation, run
 * (nofpu: runs in kmlib.ko outside FPU sections, in IRQ context too).
 */
#include "qseq_impl.h"

/* Geometry fields of struct kml_qseq_desc in declaration order. */
enum {
	F_FLAGS,
	F_ROWS,
	F_IN_H,
	F_IN_W,
	F_IN_C,
	F_OUT_C,
	F_K_H,
	F_K_W,
	F_S_H,
	F_S_W,
	F_P_H,
	F_P_W,
	F_N
};

#define B(f) (1u << (f))
#define WIN (B(F_K_H) | B(F_K_W) | B(F_S_H) | B(F_S_W) | B(F_P_H) | B(F_P_W))
#define HWC (B(F_IN_H) | B(F_IN_W) | B(F_IN_C))

/* Fields each kind uses; the others must be zero. */
static const uint32_t kind_fields[KML_QSEQ_KIND_END] = {
	[KML_QSEQ_LINEAR] = B(F_ROWS) | B(F_IN_C) | B(F_OUT_C),
	[KML_QSEQ_CONV] = HWC | B(F_OUT_C) | WIN,
	[KML_QSEQ_MAXPOOL] = HWC | WIN,
	[KML_QSEQ_AVGPOOL] = HWC | WIN,
	[KML_QSEQ_RELU] = B(F_IN_C),
	[KML_QSEQ_SIGMOID] = B(F_IN_C),
	[KML_QSEQ_TANH] = B(F_IN_C),
	[KML_QSEQ_SOFTMAX] = B(F_ROWS) | B(F_IN_C),
	[KML_QSEQ_LSTM] = B(F_FLAGS) | B(F_ROWS) | B(F_IN_C) | B(F_OUT_C),
	[KML_QSEQ_TO_HWC] = HWC,
	[KML_QSEQ_TO_CHW] = HWC,
};

/* Fields that may be zero when used. */
#define MAY_BE_ZERO (B(F_FLAGS) | B(F_P_H) | B(F_P_W))

static void desc_fields(const struct kml_qseq_desc *d, uint32_t *f)
{
	f[F_FLAGS] = d->flags;
	f[F_ROWS] = d->rows;
	f[F_IN_H] = d->in_h;
	f[F_IN_W] = d->in_w;
	f[F_IN_C] = d->in_c;
	f[F_OUT_C] = d->out_c;
	f[F_K_H] = d->k_h;
	f[F_K_W] = d->k_w;
	f[F_S_H] = d->stride_h;
	f[F_S_W] = d->stride_w;
	f[F_P_H] = d->pad_h;
	f[F_P_W] = d->pad_w;
}

static int desc_check(const struct kml_qseq_desc *d)
{
	uint32_t f[F_N], i, use;

	if (d->kind == 0 || d->kind >= KML_QSEQ_KIND_END)
		return KML_ENOSYS;
	use = kind_fields[d->kind];
	desc_fields(d, f);
	if (d->flags & ~KML_QSEQ_ALL_STEPS)
		return KML_EINVAL;
	for (i = 0; i < F_N; i++) {
		if (!(use & B(i)) && f[i])
			return KML_EINVAL;
		if ((use & B(i)) && !(MAY_BE_ZERO & B(i)) && !f[i])
			return KML_EINVAL;
		if (f[i] > KML_QNN_MAX_DIM)
			return KML_EOVERFLOW;
	}
	return KML_OK;
}

/* The tensor between two layers. */
struct shape {
	bool spatial; /* HWC with h, w, c */
	uint32_t h, w, c;
	size_t size;
};

static bool mul3(size_t a, size_t b, size_t c, size_t *out)
{
	return kml_size_mul(a, b, out) && kml_size_mul(*out, c, out);
}

/*
 * Check layer @ly's geometry against the incoming tensor @s (s->size 0:
 * the network's input, taken from the layer) and set its sizes,
 * parameter counts and the outgoing tensor.
 */
static int layer_shape(struct kml_qseq_layer *ly, struct shape *s)
{
	const struct kml_qseq_desc *d = &ly->d;
	bool first = s->size == 0, spatial_in;
	size_t s_in = s->size;
	uint32_t oh = 0, ow = 0;
	size_t in = 0, out = 0;
	int err;

	ly->qt.act_min = INT8_MIN;
	ly->qt.act_max = INT8_MAX;
	switch (d->kind) {
	case KML_QSEQ_CONV:
	case KML_QSEQ_MAXPOOL:
	case KML_QSEQ_AVGPOOL:
	case KML_QSEQ_TO_CHW:
		spatial_in = true;
		break;
	case KML_QSEQ_RELU:
	case KML_QSEQ_SIGMOID:
	case KML_QSEQ_TANH:
		spatial_in = s->spatial;
		break;
	default:
		spatial_in = false;
	}
	if (!first && spatial_in != s->spatial)
		return KML_EINVAL;
	if (spatial_in && d->kind != KML_QSEQ_RELU &&
	    d->kind != KML_QSEQ_SIGMOID && d->kind != KML_QSEQ_TANH && !first &&
	    (d->in_h != s->h || d->in_w != s->w || d->in_c != s->c))
		return KML_EINVAL;
	switch (d->kind) {
	case KML_QSEQ_LINEAR:
		in = (size_t)d->rows * d->in_c;
		out = (size_t)d->rows * d->out_c;
		if (d->in_c > KML_QNN_MAX_WIDTH)
			return KML_EOVERFLOW;
		ly->n_weight = (size_t)d->out_c * d->in_c;
		ly->n_rows = d->out_c;
		*s = (struct shape){ false, 0, 0, 0, out };
		break;
	case KML_QSEQ_CONV:
	case KML_QSEQ_MAXPOOL:
	case KML_QSEQ_AVGPOOL: {
		/* the window as qnn_ops.h checks it, without parameters */
		struct kml_qnn_pool2d p = { d->in_h,	 d->in_w,  d->in_c,
					    d->k_h,	 d->k_w,   d->stride_h,
					    d->stride_w, d->pad_h, d->pad_w,
					    INT8_MIN,	 INT8_MAX };
		uint32_t c = d->kind == KML_QSEQ_CONV ? d->out_c : d->in_c;

		if (d->kind == KML_QSEQ_CONV) {
			if ((uint64_t)d->k_h * d->k_w * d->in_c >
			    KML_QNN_MAX_WIDTH)
				return KML_EOVERFLOW;
			ly->n_rows = d->out_c;
			ly->n_weight =
			    (size_t)d->out_c * d->k_h * d->k_w * d->in_c;
		}
		err = kml_qnn_pool2d_out(&p, &oh, &ow);
		if (err)
			return err;
		if (!mul3(d->in_h, d->in_w, d->in_c, &in) ||
		    !mul3(oh, ow, c, &out))
			return KML_EOVERFLOW;
		*s = (struct shape){ true, oh, ow, c, out };
		break;
	}
	case KML_QSEQ_RELU:
	case KML_QSEQ_SIGMOID:
	case KML_QSEQ_TANH:
		in = out = d->in_c;
		if (d->kind != KML_QSEQ_RELU)
			ly->n_weight = 256;
		if (first)
			*s = (struct shape){ false, 0, 0, 0, out };
		break;
	case KML_QSEQ_SOFTMAX:
		in = out = (size_t)d->rows * d->in_c;
		ly->n_rows = 256;
		*s = (struct shape){ false, 0, 0, 0, out };
		break;
	case KML_QSEQ_LSTM:
		if (d->in_c > KML_QNN_MAX_WIDTH || d->out_c > KML_QNN_MAX_WIDTH)
			return KML_EOVERFLOW;
		in = (size_t)d->rows * d->in_c;
		out = d->flags & KML_QSEQ_ALL_STEPS ? (size_t)d->rows * d->out_c
						    : d->out_c;
		ly->n_rows = (size_t)4 * d->out_c;
		ly->n_weight = ly->n_rows * d->in_c;
		ly->n_w_hh = ly->n_rows * d->out_c;
		*s = (struct shape){ false, 0, 0, 0, out };
		break;
	case KML_QSEQ_TO_HWC:
	case KML_QSEQ_TO_CHW:
		if (!mul3(d->in_h, d->in_w, d->in_c, &in))
			return KML_EOVERFLOW;
		out = in;
		*s = (struct shape){ d->kind == KML_QSEQ_TO_HWC, d->in_h,
				     d->in_w, d->in_c, out };
		break;
	default:
		return KML_ENOSYS;
	}
	if (!first && in != s_in)
		return KML_EINVAL;
	ly->in_size = in;
	ly->out_size = out;
	return KML_OK;
}

/* Bytes of @ly's parameter arrays, each rounded up to 8 (alignment). */
static size_t round8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static size_t layer_param_bytes(const struct kml_qseq_layer *ly)
{
	switch (ly->d.kind) {
	case KML_QSEQ_LINEAR:
	case KML_QSEQ_CONV:
		return round8(ly->n_weight) + 3 * round8(ly->n_rows * 4);
	case KML_QSEQ_LSTM:
		return round8(ly->n_weight) + round8(ly->n_w_hh) +
		       5 * round8(ly->n_rows * 4);
	case KML_QSEQ_SIGMOID:
	case KML_QSEQ_TANH:
		return 256;
	case KML_QSEQ_SOFTMAX:
		return 256 * 4;
	default:
		return 0;
	}
}

static void *take(uint8_t **p, size_t bytes)
{
	void *r = *p;

	*p += round8(bytes);
	return r;
}

static void layer_place(struct kml_qseq_layer *ly, uint8_t **p)
{
	size_t rb = ly->n_rows * 4;

	switch (ly->d.kind) {
	case KML_QSEQ_LINEAR:
	case KML_QSEQ_CONV:
	case KML_QSEQ_LSTM:
		ly->bias = take(p, rb);
		ly->mult = take(p, rb);
		ly->shift = take(p, rb);
		if (ly->d.kind == KML_QSEQ_LSTM) {
			ly->mult_hh = take(p, rb);
			ly->shift_hh = take(p, rb);
			ly->w_hh = take(p, ly->n_w_hh);
		}
		ly->weight = take(p, ly->n_weight);
		break;
	case KML_QSEQ_SIGMOID:
	case KML_QSEQ_TANH:
		ly->lut = take(p, 256);
		break;
	case KML_QSEQ_SOFTMAX:
		ly->exp = take(p, 256 * 4);
		break;
	default:
		break;
	}
}

void kml_qseq_bind(struct kml_qseq_layer *ly)
{
	const struct kml_qseq_desc *d = &ly->d;
	const struct kml_qseq_quant *t = &ly->qt;

	if (d->kind == KML_QSEQ_LINEAR)
		ly->conv = (struct kml_qnn_conv2d){
			1,	  1,	     d->in_c,	 d->out_c,   1,
			1,	  1,	     1,		 0,	     0,
			t->in_zp, t->out_zp, t->act_min, t->act_max, ly->weight,
			ly->bias, ly->mult,  ly->shift
		};
	else if (d->kind == KML_QSEQ_CONV)
		ly->conv = (struct kml_qnn_conv2d){
			d->in_h,    d->in_w,	d->in_c,     d->out_c,
			d->k_h,	    d->k_w,	d->stride_h, d->stride_w,
			d->pad_h,   d->pad_w,	t->in_zp,    t->out_zp,
			t->act_min, t->act_max, ly->weight,  ly->bias,
			ly->mult,   ly->shift
		};
	ly->pool = (struct kml_qnn_pool2d){ d->in_h,	 d->in_w,   d->in_c,
					    d->k_h,	 d->k_w,    d->stride_h,
					    d->stride_w, d->pad_h,  d->pad_w,
					    t->act_min,	 t->act_max };
	if (d->kind == KML_QSEQ_LSTM)
		ly->lstm = (struct kml_qnn_lstm){
			d->in_c,  d->out_c, t->in_zp,  ly->weight,  ly->w_hh,
			ly->bias, ly->mult, ly->shift, ly->mult_hh, ly->shift_hh
		};
}

int kml_qseq_create(struct kml_qseq **out, struct kml_mem *mem,
		    const struct kml_qseq_desc *desc, uint32_t n,
		    size_t max_batch)
{
	struct shape s = { false, 0, 0, 0, 0 };
	size_t params = 0, max_size = 0, hidden = 0, act, cell, total, sin,
	       sout;
	struct kml_qseq *q;
	uint8_t *p;
	uint32_t l;
	int err;

	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!mem || !desc || !n || n > KML_QSEQ_MAX_LAYERS || !max_batch)
		return KML_EINVAL;
	err = kml_alloc(mem, sizeof(*q), KML_MEM_ZERO, (void **)&q);
	if (err)
		return err;
	q->mem = mem;
	q->n = n;
	q->max_batch = max_batch;
	for (l = 0; l < n && !err; l++) {
		struct kml_qseq_layer *ly = &q->layer[l];
		size_t hs = 0;

		ly->d = desc[l];
		err = desc_check(&ly->d);
		if (!err)
			err = layer_shape(ly, &s);
		if (err)
			break;
		if (ly->d.kind == KML_QSEQ_LSTM) {
			hs = (size_t)ly->d.rows * ly->d.out_c;
			hidden = ly->d.out_c > hidden ? ly->d.out_c : hidden;
		}
		max_size = ly->in_size > max_size ? ly->in_size : max_size;
		max_size = ly->out_size > max_size ? ly->out_size : max_size;
		max_size = hs > max_size ? hs : max_size;
		if (!kml_size_add(params, layer_param_bytes(ly), &params))
			err = KML_EOVERFLOW;
	}
	if (!err &&
	    (!kml_size_mul(max_size, max_batch, &act) ||
	     !kml_size_mul(hidden, max_batch, &cell) ||
	     !kml_size_mul(cell, 2, &cell) ||
	     !kml_size_add(round8(act), round8(act), &total) ||
	     !kml_size_add(total, params, &total) ||
	     !kml_size_add(total, cell, &total) ||
	     !kml_size_mul(q->layer[0].in_size, max_batch, &sin) ||
	     !kml_size_mul(q->layer[n - 1].out_size, max_batch, &sout) ||
	     !kml_size_add(total, round8(sin), &total) ||
	     !kml_size_add(total, round8(sout), &total) || round8(sin) < sin ||
	     round8(sout) < sout || round8(act) < act))
		err = KML_EOVERFLOW;
	if (!err)
		err = kml_alloc(mem, total ? total : 1, KML_MEM_ZERO,
				(void **)&q->block);
	if (err) {
		kml_free(mem, q);
		return err;
	}
	p = q->block;
	for (l = 0; l < n; l++) {
		layer_place(&q->layer[l], &p);
		kml_qseq_bind(&q->layer[l]);
	}
	q->act[0] = take(&p, act);
	q->act[1] = take(&p, act);
	q->stage_in = take(&p, sin);
	q->stage_out = take(&p, sout);
	q->cell = (int16_t *)p;
	q->param_bytes = params;
	q->max_size = max_size;
	q->hidden_max = hidden;
	*out = q;
	return KML_OK;
}

void kml_qseq_destroy(struct kml_qseq *q)
{
	if (!q)
		return;
	kml_free(q->mem, q->block);
	kml_free(q->mem, q);
}

uint32_t kml_qseq_layers(const struct kml_qseq *q)
{
	return q ? q->n : 0;
}

size_t kml_qseq_in_size(const struct kml_qseq *q)
{
	return q ? q->layer[0].in_size : 0;
}

size_t kml_qseq_out_size(const struct kml_qseq *q)
{
	return q ? q->layer[q->n - 1].out_size : 0;
}

size_t kml_qseq_param_bytes(const struct kml_qseq *q)
{
	return q ? q->param_bytes : 0;
}

static bool in_i8(int32_t v)
{
	return v >= INT8_MIN && v <= INT8_MAX;
}

static int check_rows(const int32_t *mult, const int32_t *shift, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (mult[i] < 0 || shift[i] < -31 || shift[i] > 30)
			return KML_EINVAL;
	return KML_OK;
}

/* The output zero point a kind fixes, or 256 for "the input's". */
static int32_t fixed_out_zp(const struct kml_qseq_layer *ly)
{
	switch (ly->d.kind) {
	case KML_QSEQ_SIGMOID:
	case KML_QSEQ_SOFTMAX:
		return INT8_MIN;
	case KML_QSEQ_TANH:
	case KML_QSEQ_LSTM:
		return 0;
	case KML_QSEQ_LINEAR:
	case KML_QSEQ_CONV:
		return 512; /* calibrated: any */
	default:
		return 256;
	}
}

static int layer_check(const struct kml_qseq_layer *ly)
{
	const struct kml_qseq_quant *t = &ly->qt;
	int32_t fz = fixed_out_zp(ly);
	size_t i;
	int err;

	if (!in_i8(t->in_zp) || !in_i8(t->out_zp) || !in_i8(t->act_min) ||
	    !in_i8(t->act_max))
		return KML_ERANGE;
	if (t->act_min > t->act_max)
		return KML_EINVAL;
	if ((fz == 256 && t->out_zp != t->in_zp) ||
	    (fz < 256 && t->out_zp != fz))
		return KML_EINVAL;
	/* only linear, conv, relu and pools clamp */
	if (ly->d.kind != KML_QSEQ_LINEAR && ly->d.kind != KML_QSEQ_CONV &&
	    ly->d.kind != KML_QSEQ_RELU && ly->d.kind != KML_QSEQ_MAXPOOL &&
	    ly->d.kind != KML_QSEQ_AVGPOOL &&
	    (t->act_min != INT8_MIN || t->act_max != INT8_MAX))
		return KML_EINVAL;
	switch (ly->d.kind) {
	case KML_QSEQ_LINEAR:
	case KML_QSEQ_CONV:
		return check_rows(ly->mult, ly->shift, ly->n_rows);
	case KML_QSEQ_LSTM:
		err = check_rows(ly->mult, ly->shift, ly->n_rows);
		return err ? err
			   : check_rows(ly->mult_hh, ly->shift_hh, ly->n_rows);
	case KML_QSEQ_SOFTMAX:
		if (ly->exp[0] != 1u << 23)
			return KML_EINVAL;
		for (i = 1; i < 256; i++)
			if (ly->exp[i] > ly->exp[i - 1])
				return KML_EINVAL;
		return KML_OK;
	default:
		return KML_OK;
	}
}

int kml_qseq_check(const struct kml_qseq *q)
{
	uint32_t l;
	int err;

	if (!q)
		return KML_EINVAL;
	for (l = 0; l < q->n; l++) {
		err = layer_check(&q->layer[l]);
		if (err)
			return err;
		if (l && q->layer[l].qt.in_zp != q->layer[l - 1].qt.out_zp)
			return KML_EINVAL;
	}
	return KML_OK;
}

/* (c, h, w) <-> (h, w, c) per sample. */
static void transpose(const int8_t *x, int8_t *y, size_t batch,
		      const struct kml_qseq_desc *d, bool to_hwc)
{
	size_t hw = (size_t)d->in_h * d->in_w, per = hw * d->in_c, b, c, i;

	for (b = 0; b < batch; b++, x += per, y += per)
		for (c = 0; c < d->in_c; c++)
			for (i = 0; i < hw; i++) {
				if (to_hwc)
					y[i * d->in_c + c] = x[c * hw + i];
				else
					y[c * hw + i] = x[i * d->in_c + c];
			}
}

static int run_lstm(struct kml_qseq *q, struct kml_qseq_layer *ly,
		    const int8_t *x, size_t batch, int8_t *y)
{
	size_t h = ly->d.out_c, t = ly->d.rows, b, i;
	int err;

	kml_memset(q->cell, 0, batch * h * sizeof(*q->cell));
	err = kml_qnn_lstm_run(&ly->lstm, x, batch, t, NULL, q->cell, y);
	if (err || (ly->d.flags & KML_QSEQ_ALL_STEPS))
		return err;
	/* keep each sequence's last h: rows move down, never overlap badly */
	for (b = 0; b < batch; b++)
		for (i = 0; i < h; i++)
			y[b * h + i] = y[(b * t + t - 1) * h + i];
	return KML_OK;
}

static int run_layer(struct kml_qseq *q, struct kml_qseq_layer *ly,
		     const int8_t *x, size_t batch, int8_t *y)
{
	size_t n = batch * ly->in_size, i;

	switch (ly->d.kind) {
	case KML_QSEQ_LINEAR:
		return kml_qnn_conv2d_i8(&ly->conv, x, batch * ly->d.rows, y);
	case KML_QSEQ_CONV:
		return kml_qnn_conv2d_i8(&ly->conv, x, batch, y);
	case KML_QSEQ_MAXPOOL:
		return kml_qnn_maxpool2d_i8(&ly->pool, x, batch, y);
	case KML_QSEQ_AVGPOOL:
		return kml_qnn_avgpool2d_i8(&ly->pool, x, batch, y);
	case KML_QSEQ_RELU:
		for (i = 0; i < n; i++)
			y[i] = (int8_t)(x[i] < ly->qt.act_min	? ly->qt.act_min
					: x[i] > ly->qt.act_max ? ly->qt.act_max
								: x[i]);
		return KML_OK;
	case KML_QSEQ_SIGMOID:
	case KML_QSEQ_TANH:
		return kml_qnn_lut_i8(ly->lut, x, n, y);
	case KML_QSEQ_SOFTMAX:
		return kml_qnn_softmax_i8(ly->exp, x, batch * ly->d.rows,
					  ly->d.in_c, y);
	case KML_QSEQ_LSTM:
		return run_lstm(q, ly, x, batch, y);
	case KML_QSEQ_TO_HWC:
	case KML_QSEQ_TO_CHW:
		transpose(x, y, batch, &ly->d, ly->d.kind == KML_QSEQ_TO_HWC);
		return KML_OK;
	default:
		return KML_ENOSYS;
	}
}

int kml_qseq_run(struct kml_qseq *q, const int8_t *in, size_t batch,
		 int8_t *out)
{
	const int8_t *x = in;
	uint32_t l;
	int err;

	if (!q || !in || !out || !batch || batch > q->max_batch)
		return KML_EINVAL;
	for (l = 0; l < q->n; l++) {
		int8_t *y = l + 1 == q->n ? out : q->act[l & 1];

		/* LSTM writes every step before keeping the last: own buffer */
		if (l + 1 == q->n && q->layer[l].d.kind == KML_QSEQ_LSTM)
			y = q->act[l & 1];
		err = run_layer(q, &q->layer[l], x, batch, y);
		if (err)
			return err;
		x = y;
	}
	if (x != out)
		kml_memcpy(out, x, batch * q->layer[q->n - 1].out_size);
	return KML_OK;
}

int kml_qseq_probe(const struct kml_qseq_desc *d, struct kml_qseq_layer *ly)
{
	struct shape s = { false, 0, 0, 0, 0 };
	int err;

	kml_memset(ly, 0, sizeof(*ly));
	ly->d = *d;
	err = desc_check(d);
	return err ? err : layer_shape(ly, &s);
}

size_t kml_qseq_rec_bytes(const struct kml_qseq_layer *ly)
{
	switch (ly->d.kind) {
	case KML_QSEQ_LINEAR:
	case KML_QSEQ_CONV:
		return ly->n_weight + 12 * ly->n_rows;
	case KML_QSEQ_LSTM:
		return ly->n_weight + ly->n_w_hh + 20 * ly->n_rows;
	case KML_QSEQ_SIGMOID:
	case KML_QSEQ_TANH:
		return 256;
	case KML_QSEQ_SOFTMAX:
		return 256 * 4;
	default:
		return 0;
	}
}
