// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_ops_fpu_cases.c - the float side of qnn_ops.h (an FPU suite): the
 * softmax exp table against numpy's, and the accuracy of the quantized
 * sigmoid, tanh, softmax and LSTM against float32/float64 (kmath), with
 * the bounds documented in qnn_ops.h asserted.
 */
#include "../ktest.h"
#include "kmlib/fixed.h"
#include "kmlib/kmath.h"
#include "kmlib/nn.h"
#include "kmlib/nn_ops.h"
#include "kmlib/qnn.h"
#include "kmlib/qnn_ops.h"
#include "qnn_ops_vectors.h"

static double absd(double v)
{
	return v < 0 ? -v : v;
}

static void qnn_ops_softmax_lut(struct kt_ctx *t)
{
	uint32_t lut[256];
	int8_t y[QO_SMAX_N];
	int k, i, r, exact = 0;
	double worst = 0.0;

	KT_EXPECT_OK(t, kml_qnn_softmax_lut(0.0625f, 1.0f, lut));
	for (k = 0; k < 256; k++) {
		KT_EXPECT(t, absd((double)lut[k] - qo_smax_lut[k]) <= 1.0);
		exact += lut[k] == qo_smax_lut[k];
	}
	/* kmath's exp within an ulp: a different rounding is a rare tie */
	KT_EXPECT(t, exact >= 250);
	KT_EXPECT_EQ(t, lut[0], 1u << 23);
	kt_digest(t, lut, sizeof(lut));
	KT_EXPECT_EQ(t, kml_qnn_softmax_lut(0.0f, 1.0f, lut), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_softmax_lut(1.0f, -1.0f, lut), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_softmax_lut(1.0f, 1.0f, NULL), KML_EINVAL);

	/* against the exact softmax: within 1/512 + n 2^-24 */
	KT_EXPECT_OK(t, kml_qnn_softmax_lut(0.0625f, 1.0f, lut));
	for (r = 0; r < QO_SMAX_ROWS; r++) {
		const int8_t *x = qo_smax_x + r * QO_SMAX_N;
		double s = 0.0, e[QO_SMAX_N];

		KT_EXPECT_OK(t, kml_qnn_softmax_i8(lut, x, 1, QO_SMAX_N, y));
		for (i = 0; i < QO_SMAX_N; i++)
			s += e[i] = kml_exp(0.0625 * x[i]);
		for (i = 0; i < QO_SMAX_N; i++) {
			double d = absd((y[i] + 128) / 256.0 - e[i] / s);

			worst = d > worst ? d : worst;
		}
	}
	/* half a step + table rounding, but a whole step where p rounds to
	 * 256/256, which int8 caps at 255/256 (as TFLite's) */
	KT_EXPECT(t, worst <= 1.0 / 256 + QO_SMAX_N / 16777216.0);
}

/* Sigmoid and tanh, int8 and int16, against kmath's double functions. */
static void qnn_ops_act_accuracy(struct kt_ctx *t)
{
	static const float scales[] = { 0.01f, 0.05f, 0.1f };
	int8_t lut[256];
	int32_t m, s, q;
	unsigned int kind;
	size_t k;
	double w8[2] = { 0 }, w16[2] = { 0 };

	for (kind = 0; kind < 2; kind++) {
		for (k = 0; k < KML_ARRAY_SIZE(scales); k++) {
			const int32_t zp = 9;

			KT_EXPECT_OK(t, kml_quantize_multiplier(
					    scales[k] * 4096.0, &m, &s));
			KT_EXPECT_OK(t,
				     kml_qnn_act_lut_i8(kind, zp, m, s, lut));
			for (q = -128; q < 128; q++) {
				double x = (double)scales[k] * (q - zp);
				double f = kind ? kml_tanh(x) : kml_sigmoid(x);
				double g = kind ? lut[q + 128] / 128.0
						: (lut[q + 128] + 128) / 256.0;

				if (absd(g - f) > w8[kind])
					w8[kind] = absd(g - f);
			}
			kt_digest(t, lut, sizeof(lut));
		}
		/* int16 inputs at scale 2^-12 (Q3.12 itself) and 1/3000 */
		for (k = 0; k < 2; k++) {
			double sc = k ? 1.0 / 3000 : 1.0 / 4096;
			int16_t x[64], y[64];
			int i;

			KT_EXPECT_OK(
			    t, kml_quantize_multiplier(sc * 4096.0, &m, &s));
			for (i = 0; i < 64; i++)
				x[i] = (int16_t)(i * 1031 - 32768);
			KT_EXPECT_OK(t, kml_qnn_act_i16(kind, m, s, x, 64, y));
			for (i = 0; i < 64; i++) {
				double f = kind ? kml_tanh(sc * x[i])
						: kml_sigmoid(sc * x[i]);
				double d = absd(y[i] / 32768.0 - f);

				w16[kind] = d > w16[kind] ? d : w16[kind];
			}
			kt_digest(t, y, sizeof(y));
		}
	}
	/* int8: half an output step plus the Q15 function's error, but a
	 * whole step at the top, where 1 is capped at 255/256 (127/128) */
	KT_EXPECT(t, w8[0] <= 1.0 / 256 + 1.0e-4);
	KT_EXPECT(t, w8[1] <= 1.0 / 128 + 1.0e-4);
	/* int16: the Q15 tables (3.0e-5, 4.7e-5) + Q3.12 input rounding,
	 * + saturation at |x| = 8 (tanh(8) = 1 - 2.3e-7; sigmoid 3.4e-4) */
	KT_EXPECT(t, w16[0] <= 3.4e-4 + 1.0e-5);
	KT_EXPECT(t, w16[1] <= 1.5e-4);
}

#define QL_T 6
#define QL_I 3
#define QL_H 8

/* A float LSTM (random PyTorch init) against its int8 conversion. */
static void qnn_ops_lstm_convert(struct kt_ctx *t)
{
	const uint32_t dims[2] = { QL_T, QL_I };
	struct ql_buf {
		int8_t wih[4 * QL_H * QL_I], whh[4 * QL_H * QL_H];
		int32_t b[4 * QL_H], m1[4 * QL_H], s1[4 * QL_H];
		int32_t m2[4 * QL_H], s2[4 * QL_H];
		int8_t xq[QL_T * QL_I], hs[QL_T * QL_H];
		int16_t c[QL_H];
	} *bf = NULL;
	struct kml_qnn_lstm p = { .in = QL_I, .hidden = QL_H };
	struct kml_nn *net = NULL;
	struct kml_nn_node *n;
	float *xv, *hv, *w;
	int x, l, i, rep;
	double worst = 0.0, mean = 0.0;
	unsigned int seed = 11;

	KT_EXPECT_OK(
	    t, kml_alloc(t->mem, sizeof(*bf), KML_MEM_ZERO, (void **)&bf));
	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, KML_NN_F32, 4));
	if (!net || !bf)
		goto out;
	x = kml_nn_input(net, dims, 2, 0);
	l = kml_nn_lstm(net, x, QL_H, true);
	KT_EXPECT_OK(t, kml_nn_prepare(net, 1));
	KT_EXPECT_OK(t, kml_nn_init_params(net, 21));
	KT_EXPECT_OK(t, kml_nn_get_node(net, l, &n));
	if (t->failed)
		goto out;
	w = n->w;
	p.w_ih = bf->wih;
	p.w_hh = bf->whh;
	p.bias = bf->b;
	p.mult_ih = bf->m1;
	p.shift_ih = bf->s1;
	p.mult_hh = bf->m2;
	p.shift_hh = bf->s2;
	/* inputs in [-2, 2): scale 4 / 255 symmetric-ish, zero point 0 */
	KT_EXPECT_OK(t, kml_qnn_lstm_quantize(&p, w, w + 4 * QL_H * QL_I,
					      w + 4 * QL_H * (QL_I + QL_H),
					      w + 4 * QL_H * (QL_I + QL_H + 1),
					      4.0f / 255, 0));
	kml_nn_value(net, x, (void **)&xv, NULL);
	for (rep = 0; rep < 8 && !t->failed; rep++) {
		for (i = 0; i < QL_T * QL_I; i++) {
			seed = seed * 1103515245u + 12345u;
			xv[i] = (float)((seed >> 8) & 0xffff) / 16384.0f - 2.0f;
		}
		KT_EXPECT_OK(t, kml_quantize_f32_i8(xv, QL_T * QL_I, 4.0f / 255,
						    0, bf->xq));
		KT_EXPECT_OK(t, kml_nn_forward_to(net, l));
		kml_nn_value(net, l, (void **)&hv, NULL);
		kml_memset(bf->c, 0, sizeof(bf->c));
		KT_EXPECT_OK(t, kml_qnn_lstm_run(&p, bf->xq, 1, QL_T, NULL,
						 bf->c, bf->hs));
		for (i = 0; i < QL_T * QL_H; i++) {
			double d = absd(bf->hs[i] / 128.0 - hv[i]);

			worst = d > worst ? d : worst;
			mean += d;
		}
		kt_digest(t, bf->hs, sizeof(bf->hs));
	}
	mean /= 8 * QL_T * QL_H;
	/* h has steps of 1/128 = 0.0078 */
	KT_EXPECT(t, worst <= 0.01); /* measured 0.0055 */
	KT_EXPECT(t, mean <= 0.004); /* measured 0.0021 */
	KT_EXPECT_EQ(t, kml_qnn_lstm_quantize(&p, w, w, w, w, 0.0f, 0),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_lstm_quantize(&p, w, w, w, w, 1.0f, 200),
		     KML_ERANGE);
	KT_EXPECT_EQ(t, kml_qnn_lstm_quantize(NULL, w, w, w, w, 1.0f, 0),
		     KML_EINVAL);
out:
	kml_nn_destroy(net);
	kml_free(t->mem, bf);
}

#define QC_C 3
#define QC_H 6
#define QC_W 5
#define QC_O 4

/* A float conv2d (kml_nn, CHW) against its int8 conversion (NHWC). */
static void qnn_ops_conv_convert(struct kt_ctx *t)
{
	const uint32_t dims[3] = { QC_C, QC_H, QC_W };
	const struct kml_nn_window win = { .kernel = { 3, 3 },
					   .stride = { 1, 2 },
					   .padding = { 1, 1 },
					   .dilation = { 1, 1 } };
	struct qcv_buf {
		int8_t w[QC_O * QC_C * 9], xq[QC_H * QC_W * QC_C];
		int8_t yq[QC_H * QC_W * QC_O];
		int32_t b[QC_O], m[QC_O], s[QC_O];
		float xhwc[QC_H * QC_W * QC_C];
	} *bf = NULL;
	struct kml_qnn_conv2d p = {
		.in_h = QC_H,
		.in_w = QC_W,
		.in_c = QC_C,
		.out_c = QC_O,
		.k_h = 3,
		.k_w = 3,
		.stride_h = 1,
		.stride_w = 2,
		.pad_h = 1,
		.pad_w = 1,
		.in_zp = 0,
		.act_min = -128,
		.act_max = 127,
	};
	struct kml_nn *net = NULL;
	struct kml_nn_node *n;
	float *xv, *yv, *w, lo = 0, hi = 0, out_scale;
	uint32_t oh = 0, ow = 0, c, y, x, o;
	unsigned int seed = 5;
	double worst = 0.0;
	int xn, cn, i;

	KT_EXPECT_OK(
	    t, kml_alloc(t->mem, sizeof(*bf), KML_MEM_ZERO, (void **)&bf));
	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, KML_NN_F32, 4));
	if (!net || !bf)
		goto out;
	xn = kml_nn_input(net, dims, 3, 0);
	cn = kml_nn_conv2d(net, xn, QC_O, &win, true);
	KT_EXPECT_OK(t, kml_nn_prepare(net, 1));
	KT_EXPECT_OK(t, kml_nn_init_params(net, 4));
	KT_EXPECT_OK(t, kml_nn_get_node(net, cn, &n));
	if (t->failed)
		goto out;
	kml_nn_value(net, xn, (void **)&xv, NULL);
	for (i = 0; i < QC_C * QC_H * QC_W; i++) {
		seed = seed * 1103515245u + 12345u;
		xv[i] = (float)((seed >> 8) & 0xffff) / 32768.0f - 1.0f;
	}
	KT_EXPECT_OK(t, kml_nn_forward_to(net, cn));
	kml_nn_value(net, cn, (void **)&yv, NULL);
	KT_EXPECT_EQ(t, kml_qnn_conv2d_out(&p, &oh, &ow),
		     KML_EINVAL); /* no arrays */
	/* output range from the float result (min/max, containing 0) */
	for (i = 0; i < QC_O * 6 * 3; i++) { /* O x 6 x 3 */
		lo = yv[i] < lo ? yv[i] : lo;
		hi = yv[i] > hi ? yv[i] : hi;
	}
	out_scale = (hi - lo) / 255;
	p.out_zp = (int32_t)kml_round(-128.0 - lo / out_scale);
	w = n->w;
	KT_EXPECT_OK(t, kml_qnn_conv2d_quantize(&p, bf->w, bf->b, bf->m, bf->s,
						w, w + QC_O * QC_C * 9,
						1.0f / 127, out_scale));
	KT_EXPECT_OK(t, kml_qnn_conv2d_out(&p, &oh, &ow));
	KT_EXPECT_EQ(t, oh, 6);
	KT_EXPECT_EQ(t, ow, 3);
	if (t->failed)
		goto out;
	for (c = 0; c < QC_C; c++)
		for (y = 0; y < QC_H; y++)
			for (x = 0; x < QC_W; x++)
				bf->xhwc[(y * QC_W + x) * QC_C + c] =
				    xv[(c * QC_H + y) * QC_W + x];
	KT_EXPECT_OK(t, kml_quantize_f32_i8(bf->xhwc, QC_H * QC_W * QC_C,
					    1.0f / 127, 0, bf->xq));
	KT_EXPECT_OK(t, kml_qnn_conv2d_i8(&p, bf->xq, 1, bf->yq));
	for (o = 0; o < QC_O; o++)
		for (y = 0; y < oh; y++)
			for (x = 0; x < ow; x++) {
				double f = yv[(o * oh + y) * ow + x];
				double q = out_scale *
					   (bf->yq[(y * ow + x) * QC_O + o] -
					    p.out_zp);

				if (absd(f - q) > worst)
					worst = absd(f - q);
			}
	kt_digest(t, bf->yq, (size_t)oh * ow * QC_O);
	/* within 2 output steps (measured 1.08: input, weight and output
	 * rounding) */
	KT_EXPECT(t, worst <= 2.0 * out_scale);
	p.in_c = 0;
	KT_EXPECT_EQ(t,
		     kml_qnn_conv2d_quantize(&p, bf->w, bf->b, bf->m, bf->s, w,
					     NULL, 1.0f, 1.0f),
		     KML_EINVAL);
	KT_EXPECT_EQ(t,
		     kml_qnn_conv2d_quantize(&p, bf->w, bf->b, bf->m, bf->s, w,
					     NULL, 0.0f, 1.0f),
		     KML_EINVAL);
out:
	kml_nn_destroy(net);
	kml_free(t->mem, bf);
}

/* The converters against tools/gen_qnn_ops_vectors.py, bit for bit. */
static void qnn_ops_convert_exact(struct kt_ctx *t)
{
	struct kml_qnn_conv2d cv = { .in_h = 4,
				     .in_w = 4,
				     .in_c = 2,
				     .out_c = 3,
				     .k_h = 2,
				     .k_w = 3,
				     .stride_h = 1,
				     .stride_w = 1,
				     .act_min = -128,
				     .act_max = 127 };
	struct kml_qnn_fc16 fc = {
		.in = 5, .out = 3, .act_min = -32768, .act_max = 32767
	};
	struct cx_buf {
		int8_t cw[36], lwi[24], lwh[16], fw[15];
		int32_t cb[3], cm[3], cs[3], lp[5][8], fm[3], fs[3];
		int64_t fb[3];
	} *bf = NULL;
	struct kml_qnn_lstm ls = { .in = 3, .hidden = 2 };
	int bad = 0, i;

	KT_EXPECT_OK(
	    t, kml_alloc(t->mem, sizeof(*bf), KML_MEM_ZERO, (void **)&bf));
	if (!bf)
		return;
	KT_EXPECT_OK(t, kml_qnn_conv2d_quantize(&cv, bf->cw, bf->cb, bf->cm,
						bf->cs, qo_cc_w, qo_cc_b, 0.02f,
						0.05f));
	bad += kml_memcmp(bf->cw, qo_cc_wq, sizeof(bf->cw)) != 0;
	for (i = 0; i < 3; i++)
		bad += bf->cb[i] != qo_cc_bq[i] || bf->cm[i] != qo_cc_mq[i] ||
		       bf->cs[i] != qo_cc_sq[i];
	KT_EXPECT_EQ(t, bad, 0);

	ls.w_ih = bf->lwi;
	ls.w_hh = bf->lwh;
	ls.bias = bf->lp[0];
	ls.mult_ih = bf->lp[1];
	ls.shift_ih = bf->lp[2];
	ls.mult_hh = bf->lp[3];
	ls.shift_hh = bf->lp[4];
	KT_EXPECT_OK(t, kml_qnn_lstm_quantize(&ls, qo_cl_wih, qo_cl_whh,
					      qo_cl_bih, qo_cl_bhh, 0.03f, 0));
	bad += kml_memcmp(bf->lwi, qo_cl_qi, sizeof(bf->lwi)) != 0;
	bad += kml_memcmp(bf->lwh, qo_cl_qh, sizeof(bf->lwh)) != 0;
	for (i = 0; i < 8; i++)
		bad +=
		    bf->lp[0][i] != qo_cl_b[i] || bf->lp[1][i] != qo_cl_m1[i] ||
		    bf->lp[2][i] != qo_cl_s1[i] ||
		    bf->lp[3][i] != qo_cl_m2[i] || bf->lp[4][i] != qo_cl_s2[i];
	KT_EXPECT_EQ(t, bad, 0);

	KT_EXPECT_OK(t,
		     kml_qnn_fc16_quantize(&fc, bf->fw, bf->fb, bf->fm, bf->fs,
					   qo_cf_a, qo_cf_b, 1e-4f, 3e-4f));
	bad += kml_memcmp(bf->fw, qo_cf_wq, sizeof(bf->fw)) != 0;
	for (i = 0; i < 3; i++)
		bad += bf->fb[i] != qo_cf_bq[i] || bf->fm[i] != qo_cf_mq[i] ||
		       bf->fs[i] != qo_cf_sq[i];
	KT_EXPECT_EQ(t, bad, 0);
	kt_digest(t, bf, sizeof(*bf));
	KT_EXPECT_EQ(t,
		     kml_qnn_fc16_quantize(&fc, bf->fw, bf->fb, bf->fm, bf->fs,
					   qo_cf_a, qo_cf_b, 1.0f, 1e-9f),
		     KML_ERANGE); /* shift above 7 */
	kml_free(t->mem, bf);
}

static const struct kt_case qnn_ops_fpu_cases[] = {
	{ "softmax_lut", qnn_ops_softmax_lut },
	{ "act_accuracy", qnn_ops_act_accuracy },
	{ "lstm_convert", qnn_ops_lstm_convert },
	{ "conv_convert", qnn_ops_conv_convert },
	{ "convert_exact", qnn_ops_convert_exact },
};

KT_SUITE(kt_suite_qnn_ops_fpu, "qnn_ops_fpu", true, 256 * 1024,
	 qnn_ops_fpu_cases);
