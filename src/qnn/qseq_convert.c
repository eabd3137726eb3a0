// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qseq_convert.c - quantize a float network's chain into a quantized
 * sequential model with min/max or percentile calibration, and measure
 * the accuracy change (fpu: between kml_fpu_begin() and kml_fpu_end()).
 */
#include "kmlib/fixed.h"
#include "kmlib/kmath.h"
#include "kmlib/nn_ops.h"
#include "qseq_impl.h"

struct range {
	float lo, hi;
};

/* The calibrated tensors: the input and every linear/conv output. */
struct calib {
	int node[KML_QSEQ_MAX_LAYERS + 1];
	struct range r[KML_QSEQ_MAX_LAYERS + 1];
	uint32_t n;
};

static int values(struct kml_nn *net, int id, float **v, size_t *count)
{
	void *p;
	int err = kml_nn_value(net, id, &p, count);

	*v = p;
	return err;
}

static void range_add(struct range *r, const float *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		r->lo = v[i] < r->lo ? v[i] : r->lo;
		r->hi = v[i] > r->hi ? v[i] : r->hi;
	}
}

static float range_amax(const struct range *r)
{
	return -r->lo > r->hi ? -r->lo : r->hi;
}

static void hist_add(const struct range *r, const float *v, size_t n,
		     uint32_t *hist)
{
	float amax = range_amax(r);
	float per = amax > 0.0f ? KML_QNN_HIST_BINS / amax : 0.0f;
	size_t i;

	for (i = 0; i < n; i++) {
		float b = kml_fabsf(v[i]) * per;
		uint32_t j = b < (float)KML_QNN_HIST_BINS
				 ? (uint32_t)b
				 : KML_QNN_HIST_BINS - 1;

		hist[j] += hist[j] != UINT32_MAX;
	}
}

/* Clip to +-C, C the upper edge of the bin reaching @ppm of the values. */
static void range_clip(struct range *r, const uint32_t *hist, uint32_t ppm)
{
	float amax = range_amax(r), c;
	uint64_t total = 0, need, cum = 0;
	uint32_t b;

	for (b = 0; b < KML_QNN_HIST_BINS; b++)
		total += hist[b];
	need = (total * ppm + 999999) / 1000000;
	for (b = 0; b < KML_QNN_HIST_BINS - 1; b++) {
		cum += hist[b];
		if (cum >= need)
			break;
	}
	c = amax * (float)(b + 1) / KML_QNN_HIST_BINS;
	r->lo = r->lo < -c ? -c : r->lo;
	r->hi = r->hi > c ? c : r->hi;
}

/* One pass: min/max (@hist NULL) or histograms of every tensor. */
static int calib_pass(struct kml_nn *net, int input, int output,
		      struct calib *c, const float *data, size_t n_data,
		      size_t in_size, uint32_t *hist)
{
	size_t batch = kml_nn_batch(net), done = 0, count;
	uint32_t t;
	float *v;
	int err = KML_OK;

	if (hist)
		kml_memset(hist, 0,
			   (size_t)c->n * KML_QNN_HIST_BINS * sizeof(*hist));
	while (done < n_data && !err) {
		size_t b = n_data - done < batch ? n_data - done : batch;

		err = kml_nn_set_batch(net, b);
		if (!err)
			err = values(net, input, &v, &count);
		if (err)
			break;
		kml_memcpy(v, data + done * in_size, b * in_size * sizeof(*v));
		err = kml_nn_forward_to(net, output);
		for (t = 0; t < c->n && !err; t++) {
			err = values(net, c->node[t], &v, &count);
			if (err)
				break;
			if (hist)
				hist_add(&c->r[t], v, count,
					 hist + (size_t)t * KML_QNN_HIST_BINS);
			else
				range_add(&c->r[t], v, count);
		}
		done += b;
	}
	if (kml_nn_set_batch(net, batch) && !err)
		err = KML_EINVAL;
	return err;
}

static int calibrate(struct kml_nn *net, int input, int output, struct calib *c,
		     const float *data, size_t n_data, size_t in_size,
		     const struct kml_qnn_calib *cfg)
{
	uint32_t t;
	int err;

	for (t = 0; t < c->n; t++)
		c->r[t].lo = c->r[t].hi = 0.0f; /* every range holds 0 */
	err = calib_pass(net, input, output, c, data, n_data, in_size, NULL);
	if (err || !cfg || cfg->method == KML_QNN_CALIB_MINMAX)
		return err;
	err =
	    calib_pass(net, input, output, c, data, n_data, in_size, cfg->hist);
	for (t = 0; t < c->n && !err; t++)
		range_clip(&c->r[t], cfg->hist + (size_t)t * KML_QNN_HIST_BINS,
			   cfg->ppm);
	return err;
}

/* TFLite's asymmetric int8: scale (max - min) / 255, zero point rounded. */
static void act_params(const struct range *r, float *scale, int32_t *zp)
{
	double s = ((double)r->hi - r->lo) / 255.0, z;

	if (!(s > 0.0))
		s = 1.0;
	*scale = (float)s;
	z = kml_round(-128.0 - r->lo / (double)*scale);
	*zp = z < -128.0 ? -128 : z > 127.0 ? 127 : (int32_t)z;
}

static int32_t round_sat_i32(double x)
{
	x = kml_round(x);
	if (x != x)
		return 0;
	return x < (double)INT32_MIN   ? INT32_MIN
	       : x > (double)INT32_MAX ? INT32_MAX
				       : (int32_t)x;
}

/* A linear node (A: in x out, then b) into OHWI 1x1 weights. */
static int quantize_linear(struct kml_qseq_layer *ly,
			   const struct kml_nn_node *n, float in_scale,
			   float out_scale)
{
	uint32_t in = ly->d.in_c, out = ly->d.out_c, i, o;
	const float *a = n->w, *b;
	int err;

	if (!a)
		return KML_EINVAL; /* not prepared */
	b = n->n_params > (size_t)in * out ? a + (size_t)in * out : NULL;
	for (o = 0; o < out; o++) {
		float m = 0.0f, ws;

		for (i = 0; i < in; i++)
			if (kml_fabsf(a[(size_t)i * out + o]) > m)
				m = kml_fabsf(a[(size_t)i * out + o]);
		if (!(m <= 3.0e38f))
			return KML_ERANGE; /* inf or NaN weights */
		ws = m > 0.0f ? m / 127.0f : 1.0f;
		for (i = 0; i < in; i++) {
			double w =
			    kml_round(a[(size_t)i * out + o] / (double)ws);

			w = w < -127.0 ? -127.0 : w > 127.0 ? 127.0 : w;
			ly->weight[(size_t)o * in + i] = (int8_t)w;
		}
		ly->bias[o] =
		    b ? round_sat_i32(b[o] / ((double)in_scale * ws)) : 0;
		err = kml_quantize_multiplier((double)in_scale * ws / out_scale,
					      &ly->mult[o], &ly->shift[o]);
		if (err)
			return err;
	}
	return KML_OK;
}

static int quantize_params(struct kml_qseq_layer *ly,
			   const struct kml_nn_node *n, float in_scale,
			   float out_scale)
{
	const float *w = n->w;
	size_t nw, h4;
	int err;

	if (ly->d.kind == KML_QSEQ_LINEAR)
		return quantize_linear(ly, n, in_scale, out_scale);
	if (!w)
		return KML_EINVAL;
	if (ly->d.kind == KML_QSEQ_CONV) {
		nw = ly->n_weight;
		err = kml_qnn_conv2d_quantize(
		    &ly->conv, ly->weight, ly->bias, ly->mult, ly->shift, w,
		    n->n_params > nw ? w + nw : NULL, in_scale, out_scale);
		if (!err && !ly->conv.bias) /* no bias: zeros, same result */
			kml_memset(ly->bias, 0, ly->n_rows * sizeof(*ly->bias));
		kml_qseq_bind(ly);
		return err;
	}
	/* LSTM: weight_ih, weight_hh, bias_ih, bias_hh */
	h4 = ly->n_rows;
	err = kml_qnn_lstm_quantize(
	    &ly->lstm, w, w + ly->n_weight, w + ly->n_weight + ly->n_w_hh,
	    w + ly->n_weight + ly->n_w_hh + h4, in_scale, ly->qt.in_zp);
	kml_qseq_bind(ly);
	return err;
}

/* Quantize layer @ly whose input has (*scale, *zp); update them. */
static int quantize_layer(struct kml_qseq_layer *ly, struct kml_nn *net,
			  int param, bool relu, const struct range *r,
			  float *scale, int32_t *zp)
{
	struct kml_nn_node *node;
	int32_t m, s, out_zp = *zp;
	float out_scale = *scale;
	int err = KML_OK;

	ly->qt = (struct kml_qseq_quant){ *zp, *zp, INT8_MIN, INT8_MAX };
	switch (ly->d.kind) {
	case KML_QSEQ_LINEAR:
	case KML_QSEQ_CONV:
	case KML_QSEQ_LSTM:
		if (ly->d.kind == KML_QSEQ_LSTM) {
			out_scale = 1.0f / 128;
			out_zp = 0;
		} else {
			act_params(r, &out_scale, &out_zp);
		}
		ly->qt.out_zp = out_zp;
		if (relu && out_zp > INT8_MIN)
			ly->qt.act_min = out_zp;
		kml_qseq_bind(ly);
		err = kml_nn_get_node(net, param, &node);
		if (!err)
			err = quantize_params(ly, node, *scale, out_scale);
		break;
	case KML_QSEQ_RELU:
		ly->qt.act_min = *zp;
		break;
	case KML_QSEQ_SIGMOID:
	case KML_QSEQ_TANH:
		err = kml_quantize_multiplier((double)*scale * 4096.0, &m, &s);
		if (!err)
			err = kml_qnn_act_lut_i8(ly->d.kind == KML_QSEQ_TANH
						     ? KML_QNN_TANH
						     : KML_QNN_SIGMOID,
						 *zp, m, s, ly->lut);
		out_zp = ly->d.kind == KML_QSEQ_TANH ? 0 : INT8_MIN;
		out_scale =
		    ly->d.kind == KML_QSEQ_TANH ? 1.0f / 128 : 1.0f / 256;
		ly->qt.out_zp = out_zp;
		break;
	case KML_QSEQ_SOFTMAX:
		err = kml_qnn_softmax_lut(*scale, 1.0f, ly->exp);
		out_zp = INT8_MIN;
		out_scale = 1.0f / 256;
		ly->qt.out_zp = out_zp;
		break;
	default: /* pools, transposes: the input's quantization */
		break;
	}
	kml_qseq_bind(ly);
	*scale = out_scale;
	*zp = out_zp;
	return err;
}

int kml_qseq_quantize(struct kml_qseq *q, struct kml_nn *net, int input,
		      int output, const float *calib, size_t n_calib,
		      const struct kml_qnn_calib *cfg, struct kml_qnn_io *io)
{
	struct kml_qseq_desc *desc;
	struct kml_qseq_plan_nodes *pn;
	struct calib c;
	uint32_t n, l, t;
	size_t in_size;
	float scale;
	int32_t zp;
	int err;

	if (!q || !net || !calib || !n_calib || !io)
		return KML_EINVAL;
	if (cfg && cfg->method == KML_QNN_CALIB_PERCENTILE) {
		if (!cfg->hist || !cfg->ppm || cfg->ppm > 1000000)
			return KML_EINVAL;
	} else if (cfg && cfg->method != KML_QNN_CALIB_MINMAX) {
		return KML_EINVAL;
	}
	desc = q->plan;
	pn = &q->pn;
	err = kml_qseq_plan_nodes(net, input, output, desc, &n, pn);
	if (err)
		return err;
	if (n != q->n)
		return KML_EDOM;
	c.node[0] = input;
	c.n = 1;
	for (l = 0; l < n; l++) {
		if (kml_memcmp(&desc[l], &q->layer[l].d, sizeof(desc[l])))
			return KML_EDOM;
		if (desc[l].kind == KML_QSEQ_LINEAR ||
		    desc[l].kind == KML_QSEQ_CONV)
			c.node[c.n++] = pn->range[l];
	}
	err = kml_nn_node_size(net, input, &in_size);
	if (err)
		return err;
	if (in_size != q->layer[0].in_size)
		return KML_EDOM;
	err = calibrate(net, input, output, &c, calib, n_calib, in_size, cfg);
	if (err)
		return err;
	act_params(&c.r[0], &scale, &zp);
	io->in_scale = scale;
	io->in_zp = zp;
	for (l = 0, t = 1; l < n && !err; l++) {
		struct kml_qseq_layer *ly = &q->layer[l];
		bool cal = ly->d.kind == KML_QSEQ_LINEAR ||
			   ly->d.kind == KML_QSEQ_CONV;

		err = quantize_layer(ly, net, pn->param[l], pn->relu[l],
				     cal ? &c.r[t] : NULL, &scale, &zp);
		t += cal;
	}
	io->out_scale = scale;
	io->out_zp = zp;
	return err ? err : kml_qseq_check(q);
}

int kml_qseq_evaluate(struct kml_qseq *q, struct kml_nn *net, int input,
		      int output, const float *data, size_t n,
		      const struct kml_qnn_io *io, struct kml_qseq_report *rep)
{
	size_t batch, orig, done = 0, count, in_size, out_size, i;
	double sum = 0.0;
	float *v, maxe = 0.0f;
	int err = KML_OK;

	if (!q || !net || !data || !n || !io || !rep)
		return KML_EINVAL;
	orig = kml_nn_batch(net);
	batch = orig < q->max_batch ? orig : q->max_batch;
	in_size = q->layer[0].in_size;
	out_size = q->layer[q->n - 1].out_size;
	err = kml_nn_node_size(net, output, &count);
	if (!err && count != out_size)
		err = KML_EDOM;
	while (done < n && !err) {
		size_t b = n - done < batch ? n - done : batch;
		const float *x = data + done * in_size;

		err = kml_quantize_f32_i8(x, b * in_size, io->in_scale,
					  io->in_zp, q->stage_in);
		if (!err)
			err = kml_qseq_run(q, q->stage_in, b, q->stage_out);
		if (!err)
			err = kml_nn_set_batch(net, b);
		if (!err)
			err = values(net, input, &v, &count);
		if (!err && count != b * in_size)
			err = KML_EDOM;
		if (err)
			break;
		kml_memcpy(v, x, b * in_size * sizeof(*v));
		err = kml_nn_forward_to(net, output);
		if (!err)
			err = values(net, output, &v, &count);
		for (i = 0; i < b * out_size && !err; i++) {
			float d = kml_fabsf(
			    v[i] - io->out_scale *
				       (float)(q->stage_out[i] - io->out_zp));

			maxe = d > maxe ? d : maxe;
			sum += d;
		}
		done += b;
	}
	if (kml_nn_set_batch(net, orig))
		err = err ? err : KML_EINVAL;
	rep->max_abs_err = maxe;
	rep->mean_abs_err = (float)(sum / ((double)n * out_size));
	rep->out_step = io->out_scale;
	rep->values = (uint64_t)n * out_size;
	return err;
}
