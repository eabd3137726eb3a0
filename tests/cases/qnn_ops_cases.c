// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_ops_cases.c - quantized operators of qnn_ops.h (a NOFPU suite: in
 * the kernel it runs outside any FPU section). Golden outputs come from
 * tools/gen_qnn_ops_vectors.py, an independent numpy + Python integer
 * implementation of each operator's reference definition.
 */
#include "../ktest.h"
#include "kmlib/qnn.h"
#include "kmlib/qnn_ops.h"
#include "qnn_ops_vectors.h"

/* Compare @n int8 outputs with @want, digest them. */
static void same_i8(struct kt_ctx *t, const int8_t *got, const int8_t *want,
		    size_t n)
{
	size_t i, bad = 0;

	for (i = 0; i < n; i++)
		bad += got[i] != want[i];
	KT_EXPECT_EQ(t, bad, 0);
	kt_digest(t, got, n);
}

static void qnn_ops_fc16(struct kt_ctx *t)
{
	struct kml_qnn_fc16 p = {
		.in = QO_FC16_IN,
		.out = QO_FC16_OUT,
		.act_min = QO_FC16_MIN,
		.act_max = QO_FC16_MAX,
		.weight = qo_fc16_w,
		.bias = qo_fc16_bias,
		.mult = qo_fc16_mult,
		.shift = qo_fc16_shift,
	};
	int16_t y[QO_FC16_OUT * QO_FC16_BATCH];
	int32_t shift[QO_FC16_OUT];
	size_t i, bad = 0;

	kml_memset(y, 0x55, sizeof(y));
	KT_EXPECT_OK(t, kml_qnn_fc_i16(&p, qo_fc16_x, QO_FC16_BATCH, y));
	for (i = 0; i < KML_ARRAY_SIZE(y); i++)
		bad += y[i] != qo_fc16_y[i];
	KT_EXPECT_EQ(t, bad, 0);
	kt_digest(t, y, sizeof(y));
	/* the last sample alone gives the same row */
	KT_EXPECT_OK(t, kml_qnn_fc_i16(&p, qo_fc16_x + 2 * QO_FC16_IN, 1, y));
	KT_EXPECT(t, !kml_memcmp(y, qo_fc16_y + 2 * QO_FC16_OUT,
				 QO_FC16_OUT * sizeof(int16_t)));

	/* bad arguments */
	KT_EXPECT_EQ(t, kml_qnn_fc_i16(NULL, qo_fc16_x, 1, y), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_fc_i16(&p, NULL, 1, y), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_fc_i16(&p, qo_fc16_x, 1, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_fc_i16(&p, qo_fc16_x, 0, y), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_fc_i16(&p, qo_fc16_x, (size_t)-1, y),
		     KML_EOVERFLOW);
	kml_memcpy(shift, qo_fc16_shift, sizeof(shift));
	p.shift = shift;
	shift[8] = 8; /* TFLite's 64-bit scaling allows -31..7 */
	KT_EXPECT_EQ(t, kml_qnn_fc_i16(&p, qo_fc16_x, 1, y), KML_EINVAL);
	shift[8] = qo_fc16_shift[8];
	p.act_min = 1;
	p.act_max = 0;
	KT_EXPECT_EQ(t, kml_qnn_fc_i16(&p, qo_fc16_x, 1, y), KML_ERANGE);
	p.act_max = 32768;
	KT_EXPECT_EQ(t, kml_qnn_fc_i16(&p, qo_fc16_x, 1, y), KML_ERANGE);
	p.act_min = -32768;
	p.act_max = 32767;
	p.in = KML_QNN_MAX_WIDTH + 1;
	KT_EXPECT_EQ(t, kml_qnn_fc_i16(&p, qo_fc16_x, 1, y), KML_EOVERFLOW);
	p.in = 0;
	KT_EXPECT_EQ(t, kml_qnn_fc_i16(&p, qo_fc16_x, 1, y), KML_EINVAL);
}

/* 2 -> 1 by hand: x (1000, -2000) W (3, 5), bias 7, multiplier 0.5. */
static void qnn_ops_fc16_hand(struct kt_ctx *t)
{
	const int8_t w[] = { 3, 5 };
	const int64_t b[] = { 7 };
	const int32_t m[] = { 1 << 30 }, s0[] = { 0 }, s7[] = { 7 };
	const int16_t x[] = { 1000, -2000 };
	struct kml_qnn_fc16 p = { .in = 2,
				  .out = 1,
				  .act_min = -32768,
				  .act_max = 32767,
				  .weight = w,
				  .bias = b,
				  .mult = m,
				  .shift = s0 };
	int16_t y[1];

	/* acc = 3000 - 10000 + 7 = -6993; reduced mult 2^14: -3496.5 -> -3496
	 */
	KT_EXPECT_OK(t, kml_qnn_fc_i16(&p, x, 1, y));
	KT_EXPECT_EQ(t, y[0], -3496);
	/* shift 7: -6993 * 64 = -447552 saturates to the clamp */
	p.shift = s7;
	KT_EXPECT_OK(t, kml_qnn_fc_i16(&p, x, 1, y));
	KT_EXPECT_EQ(t, y[0], -32768);
	p.act_min = -100;
	KT_EXPECT_OK(t, kml_qnn_fc_i16(&p, x, 1, y));
	KT_EXPECT_EQ(t, y[0], -100);
	/* no bias: -7000 / 2 = -3500 */
	p.shift = s0;
	p.bias = NULL;
	p.act_min = -32768;
	KT_EXPECT_OK(t, kml_qnn_fc_i16(&p, x, 1, y));
	KT_EXPECT_EQ(t, y[0], -3500);
	kt_digest(t, y, sizeof(y));
}

static void qnn_ops_act_i8(struct kt_ctx *t)
{
	int8_t lut[256], x[256], y[256];
	size_t c;
	int i;

	for (i = 0; i < 256; i++)
		x[i] = (int8_t)(i - 128);
	for (c = 0; c < KML_ARRAY_SIZE(qo_act8_par); c++) {
		const int32_t *p = qo_act8_par[c];

		KT_EXPECT_OK(t, kml_qnn_act_lut_i8((unsigned int)p[0], p[1],
						   p[2], p[3], lut));
		same_i8(t, lut, qo_act8_lut + 256 * c, 256);
		KT_EXPECT_OK(t, kml_qnn_lut_i8(lut, x, 256, y));
		same_i8(t, y, lut, 256);
	}
	/* sigmoid(0) = 1/2 -> 0 at zp -128; tanh(0) = 0 */
	KT_EXPECT_OK(t,
		     kml_qnn_act_lut_i8(KML_QNN_SIGMOID, 3, 1 << 30, 8, lut));
	KT_EXPECT_EQ(t, lut[3 + 128], 0);
	KT_EXPECT_OK(t, kml_qnn_act_lut_i8(KML_QNN_TANH, -7, 1 << 30, 8, lut));
	KT_EXPECT_EQ(t, lut[-7 + 128], 0);
	KT_EXPECT_EQ(t, lut[255], 127);
	KT_EXPECT_EQ(t, kml_qnn_act_lut_i8(2, 0, 1 << 30, 0, lut), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_act_lut_i8(0, 128, 1 << 30, 0, lut),
		     KML_ERANGE);
	KT_EXPECT_EQ(t, kml_qnn_act_lut_i8(0, 0, -1, 0, lut), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_act_lut_i8(0, 0, 1, 31, lut), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_act_lut_i8(0, 0, 1, 0, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_lut_i8(NULL, x, 1, y), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_lut_i8(lut, x, 0, y), KML_EINVAL);
}

static void qnn_ops_act_i16(struct kt_ctx *t)
{
	const size_t n = KML_ARRAY_SIZE(qo_act16_x);
	int16_t *y = NULL;
	size_t c, i, bad = 0;

	KT_EXPECT_OK(t, kml_alloc(t->mem, n * sizeof(*y), 0, (void **)&y));
	if (!y)
		return;
	for (c = 0; c < KML_ARRAY_SIZE(qo_act16_par); c++) {
		const int32_t *p = qo_act16_par[c];

		KT_EXPECT_OK(t, kml_qnn_act_i16((unsigned int)p[0], p[1], p[2],
						qo_act16_x, n, y));
		for (i = 0; i < n; i++)
			bad += y[i] != qo_act16_y[c * n + i];
		kt_digest(t, y, n * sizeof(*y));
	}
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, kml_qnn_act_i16(0, 1, 0, NULL, 1, y), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_act_i16(0, 1, 0, qo_act16_x, 0, y), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_act_i16(5, 1, 0, qo_act16_x, 1, y), KML_EINVAL);
	kml_free(t->mem, y);
}

static void qnn_ops_softmax(struct kt_ctx *t)
{
	int8_t y[QO_SMAX_ROWS * QO_SMAX_N];
	uint32_t zero[256] = { 0 };
	int i, sum = 0;

	KT_EXPECT_OK(t, kml_qnn_softmax_i8(qo_smax_lut, qo_smax_x, QO_SMAX_ROWS,
					   QO_SMAX_N, y));
	same_i8(t, y, qo_smax_y, sizeof(y));
	/* ten equal inputs: 1/10 each = 25.6 / 256 -> 26 - 128 */
	for (i = 0; i < QO_SMAX_N; i++)
		KT_EXPECT_EQ(t, y[QO_SMAX_N + i], 26 - 128);
	/* probabilities of a row add up to ~1 (256 steps) */
	for (i = 0; i < QO_SMAX_N; i++)
		sum += y[i] + 128;
	KT_EXPECT(t, sum >= 256 - QO_SMAX_N && sum <= 256 + QO_SMAX_N);
	KT_EXPECT_EQ(t, kml_qnn_softmax_i8(zero, qo_smax_x, 1, 4, y),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_softmax_i8(qo_smax_lut, NULL, 1, 4, y),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_softmax_i8(qo_smax_lut, qo_smax_x, 0, 4, y),
		     KML_EINVAL);
	KT_EXPECT_EQ(t,
		     kml_qnn_softmax_i8(qo_smax_lut, qo_smax_x, 1,
					KML_QNN_MAX_DIM + 1, y),
		     KML_EOVERFLOW);
}

/* A conv2d from the generated tables @g (geometry) and @q (quant). */
static void conv_from(struct kml_qnn_conv2d *p, const uint32_t *g,
		      const int32_t *q, const int8_t *w, const int32_t *bias,
		      const int32_t *mult, const int32_t *shift)
{
	kml_memset(p, 0, sizeof(*p));
	p->in_h = g[0];
	p->in_w = g[1];
	p->in_c = g[2];
	p->out_c = g[3];
	p->k_h = g[4];
	p->k_w = g[5];
	p->stride_h = g[6];
	p->stride_w = g[7];
	p->pad_h = g[8];
	p->pad_w = g[9];
	p->in_zp = q[0];
	p->out_zp = q[1];
	p->act_min = q[2];
	p->act_max = q[3];
	p->weight = w;
	p->bias = bias;
	p->mult = mult;
	p->shift = shift;
}

static void conv_check(struct kt_ctx *t, const struct kml_qnn_conv2d *p,
		       const uint32_t *g, const int8_t *x, const int8_t *want)
{
	size_t n = (size_t)g[10] * g[11] * p->out_c * g[12];
	uint32_t oh, ow;
	int8_t *y = NULL;

	KT_EXPECT_OK(t, kml_qnn_conv2d_out(p, &oh, &ow));
	KT_EXPECT_EQ(t, oh, g[10]);
	KT_EXPECT_EQ(t, ow, g[11]);
	KT_EXPECT_OK(t, kml_alloc(t->mem, n, 0, (void **)&y));
	if (!y)
		return;
	kml_memset(y, 0x55, n);
	KT_EXPECT_OK(t, kml_qnn_conv2d_i8(p, x, g[12], y));
	same_i8(t, y, want, n);
	kml_free(t->mem, y);
}

static void qnn_ops_conv(struct kt_ctx *t)
{
	struct kml_qnn_conv2d p;
	int32_t shift[4];
	int8_t y[64];

	conv_from(&p, qo_conv2d_geom, qo_conv2d_q, qo_conv2d_w, qo_conv2d_bias,
		  qo_conv2d_mult, qo_conv2d_shift);
	conv_check(t, &p, qo_conv2d_geom, qo_conv2d_x, qo_conv2d_y);
	conv_from(&p, qo_conv1d_geom, qo_conv1d_q, qo_conv1d_w, qo_conv1d_bias,
		  qo_conv1d_mult, qo_conv1d_shift);
	conv_check(t, &p, qo_conv1d_geom, qo_conv1d_x, qo_conv1d_y);
	conv_from(&p, qo_conv16_geom, qo_conv16_q, qo_conv16_w, qo_conv16_bias,
		  qo_conv16_mult, qo_conv16_shift);
	conv_check(t, &p, qo_conv16_geom, qo_conv16_x, qo_conv16_y);

	/* bad arguments */
	conv_from(&p, qo_conv2d_geom, qo_conv2d_q, qo_conv2d_w, qo_conv2d_bias,
		  qo_conv2d_mult, qo_conv2d_shift);
	KT_EXPECT_EQ(t, kml_qnn_conv2d_i8(NULL, qo_conv2d_x, 1, y), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_conv2d_i8(&p, qo_conv2d_x, 0, y), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_conv2d_i8(&p, qo_conv2d_x, (size_t)-1, y),
		     KML_EOVERFLOW);
	p.pad_w = p.k_w; /* windows of padding only */
	KT_EXPECT_EQ(t, kml_qnn_conv2d_out(&p, NULL, NULL), KML_EINVAL);
	p.pad_w = 1;
	p.stride_h = 0;
	KT_EXPECT_EQ(t, kml_qnn_conv2d_out(&p, NULL, NULL), KML_EINVAL);
	p.stride_h = 2;
	p.k_h = 8; /* taller than the padded input */
	KT_EXPECT_EQ(t, kml_qnn_conv2d_out(&p, NULL, NULL), KML_EINVAL);
	p.k_h = 3;
	p.in_c = KML_QNN_MAX_WIDTH; /* dot products beyond int32 */
	KT_EXPECT_EQ(t, kml_qnn_conv2d_out(&p, NULL, NULL), KML_EOVERFLOW);
	p.in_c = 3;
	p.out_zp = -129;
	KT_EXPECT_EQ(t, kml_qnn_conv2d_out(&p, NULL, NULL), KML_ERANGE);
	p.out_zp = 0;
	p.act_min = 5;
	p.act_max = 4;
	KT_EXPECT_EQ(t, kml_qnn_conv2d_out(&p, NULL, NULL), KML_EINVAL);
	p.act_max = 127;
	kml_memcpy(shift, qo_conv2d_shift, sizeof(shift));
	shift[3] = 31;
	p.shift = shift;
	KT_EXPECT_EQ(t, kml_qnn_conv2d_out(&p, NULL, NULL), KML_EINVAL);
	p.shift = qo_conv2d_shift;
	KT_EXPECT_OK(t, kml_qnn_conv2d_out(&p, NULL, NULL));
	p.weight = NULL;
	KT_EXPECT_EQ(t, kml_qnn_conv2d_out(&p, NULL, NULL), KML_EINVAL);
}

/* 1 x 3 x 1 by hand: padding is skipped, averages round half away. */
static void qnn_ops_pool_hand(struct kt_ctx *t)
{
	const int8_t x[] = { -3, -4, 7 };
	struct kml_qnn_pool2d p = { .in_h = 1,
				    .in_w = 3,
				    .c = 1,
				    .k_h = 1,
				    .k_w = 2,
				    .stride_h = 1,
				    .stride_w = 1,
				    .pad_w = 1,
				    .act_min = -128,
				    .act_max = 127 };
	int8_t y[4];
	uint32_t oh, ow;

	KT_EXPECT_OK(t, kml_qnn_pool2d_out(&p, &oh, &ow));
	KT_EXPECT_EQ(t, oh, 1);
	KT_EXPECT_EQ(t, ow, 4);
	/* windows {-3}, {-3, -4}, {-4, 7}, {7} */
	KT_EXPECT_OK(t, kml_qnn_avgpool2d_i8(&p, x, 1, y));
	KT_EXPECT_EQ(t, y[0], -3);
	KT_EXPECT_EQ(t, y[1], -4); /* -3.5 away from zero */
	KT_EXPECT_EQ(t, y[2], 2); /* 1.5 away from zero */
	KT_EXPECT_EQ(t, y[3], 7);
	KT_EXPECT_OK(t, kml_qnn_maxpool2d_i8(&p, x, 1, y));
	KT_EXPECT_EQ(t, y[0], -3);
	KT_EXPECT_EQ(t, y[1], -3);
	KT_EXPECT_EQ(t, y[2], 7);
	KT_EXPECT_EQ(t, y[3], 7);
	kt_digest(t, y, sizeof(y));
}

static void qnn_ops_pool(struct kt_ctx *t)
{
	const uint32_t *g = qo_pool_geom;
	struct kml_qnn_pool2d p = {
		.in_h = g[0],
		.in_w = g[1],
		.c = g[2],
		.k_h = g[3],
		.k_w = g[4],
		.stride_h = g[5],
		.stride_w = g[6],
		.pad_h = g[7],
		.pad_w = g[8],
		.act_min = qo_pool_clamp[0],
		.act_max = qo_pool_clamp[1],
	};
	int8_t y[sizeof(qo_pool_max)];

	KT_EXPECT_EQ(t, sizeof(y), (size_t)g[9] * g[10] * g[2] * g[11]);
	KT_EXPECT_OK(t, kml_qnn_maxpool2d_i8(&p, qo_pool_x, g[11], y));
	same_i8(t, y, qo_pool_max, sizeof(y));
	KT_EXPECT_OK(t, kml_qnn_avgpool2d_i8(&p, qo_pool_x, g[11], y));
	same_i8(t, y, qo_pool_avg, sizeof(y));
	KT_EXPECT_EQ(t, kml_qnn_maxpool2d_i8(NULL, qo_pool_x, 1, y),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_avgpool2d_i8(&p, qo_pool_x, 1, NULL),
		     KML_EINVAL);
	p.act_max = 128;
	KT_EXPECT_EQ(t, kml_qnn_avgpool2d_i8(&p, qo_pool_x, 1, y), KML_ERANGE);
	p.act_max = 100;
	p.c = 0;
	KT_EXPECT_EQ(t, kml_qnn_maxpool2d_i8(&p, qo_pool_x, 1, y), KML_EINVAL);
	p.c = KML_QNN_MAX_DIM + 1;
	KT_EXPECT_EQ(t, kml_qnn_maxpool2d_i8(&p, qo_pool_x, 1, y),
		     KML_EOVERFLOW);
}

/* An LSTM from generated tables; checks every h and the last c. */
static void lstm_check_one(struct kt_ctx *t, const uint32_t *d, int32_t x_zp,
			   const int8_t *wih, const int8_t *whh,
			   const int32_t *const par[5], const int8_t *x,
			   const int8_t *h0, const int16_t *c0,
			   const int8_t *hs_want, const int16_t *c_want)
{
	const size_t batch = d[0], steps = d[1], nh = batch * steps * d[3];
	struct kml_qnn_lstm p = {
		.in = d[2],
		.hidden = d[3],
		.x_zp = x_zp,
		.w_ih = (int8_t *)wih,
		.w_hh = (int8_t *)whh,
		.bias = (int32_t *)par[0],
		.mult_ih = (int32_t *)par[1],
		.shift_ih = (int32_t *)par[2],
		.mult_hh = (int32_t *)par[3],
		.shift_hh = (int32_t *)par[4],
	};
	int8_t hs[64];
	int16_t c[32];
	size_t i, bad = 0;

	KT_EXPECT(t, nh <= sizeof(hs) && batch * d[3] <= KML_ARRAY_SIZE(c));
	if (t->failed)
		return;
	kml_memcpy(c, c0, batch * d[3] * sizeof(*c));
	KT_EXPECT_OK(
	    t, kml_qnn_lstm_run(&p, x, batch, steps, d[4] ? h0 : NULL, c, hs));
	for (i = 0; i < nh; i++)
		bad += hs[i] != hs_want[i];
	for (i = 0; i < batch * d[3]; i++)
		bad += c[i] != c_want[i];
	KT_EXPECT_EQ(t, bad, 0);
	kt_digest(t, hs, nh);
	kt_digest(t, c, batch * d[3] * sizeof(*c));
}

static void qnn_ops_lstm(struct kt_ctx *t)
{
	const int32_t *const p1[5] = { qo_lstm_bias, qo_lstm_m_ih, qo_lstm_s_ih,
				       qo_lstm_m_hh, qo_lstm_s_hh };
	const int32_t *const pw[5] = { qo_lstmw_bias, qo_lstmw_m_ih,
				       qo_lstmw_s_ih, qo_lstmw_m_hh,
				       qo_lstmw_s_hh };
	const int32_t *const p0[5] = { qo_lstm0_bias, qo_lstm0_m_ih,
				       qo_lstm0_s_ih, qo_lstm0_m_hh,
				       qo_lstm0_s_hh };
	int32_t shift[24];
	struct kml_qnn_lstm p = {
		.in = 5,
		.hidden = 6,
		.w_ih = (int8_t *)qo_lstm_wih,
		.w_hh = (int8_t *)qo_lstm_whh,
		.bias = (int32_t *)qo_lstm_bias,
		.mult_ih = (int32_t *)qo_lstm_m_ih,
		.shift_ih = shift,
		.mult_hh = (int32_t *)qo_lstm_m_hh,
		.shift_hh = (int32_t *)qo_lstm_s_hh,
	};
	int8_t hs[6];
	int16_t c[6] = { 0 };

	lstm_check_one(t, qo_lstm_dims, qo_lstm_x_zp, qo_lstm_wih, qo_lstm_whh,
		       p1, qo_lstm_x, qo_lstm_h0, qo_lstm_c0, qo_lstm_hs,
		       qo_lstm_c);
	lstm_check_one(t, qo_lstm0_dims, qo_lstm0_x_zp, qo_lstm0_wih,
		       qo_lstm0_whh, p0, qo_lstm0_x, qo_lstm0_h0, qo_lstm0_c0,
		       qo_lstm0_hs, qo_lstm0_c);
	lstm_check_one(t, qo_lstmw_dims, qo_lstmw_x_zp, qo_lstmw_wih,
		       qo_lstmw_whh, pw, qo_lstmw_x, qo_lstmw_h0, qo_lstmw_c0,
		       qo_lstmw_hs, qo_lstmw_c);

	kml_memcpy(shift, qo_lstm_s_ih, sizeof(shift));
	KT_EXPECT_OK(t, kml_qnn_lstm_run(&p, qo_lstm_x, 1, 1, NULL, c, hs));
	KT_EXPECT_EQ(t, kml_qnn_lstm_run(NULL, qo_lstm_x, 1, 1, NULL, c, hs),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_lstm_run(&p, qo_lstm_x, 1, 0, NULL, c, hs),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_lstm_run(&p, qo_lstm_x, 1, 1, NULL, NULL, hs),
		     KML_EINVAL);
	KT_EXPECT_EQ(
	    t, kml_qnn_lstm_run(&p, qo_lstm_x, (size_t)-1, 2, NULL, c, hs),
	    KML_EOVERFLOW);
	shift[23] = 31;
	KT_EXPECT_EQ(t, kml_qnn_lstm_run(&p, qo_lstm_x, 1, 1, NULL, c, hs),
		     KML_EINVAL);
	shift[23] = 0;
	p.x_zp = 128;
	KT_EXPECT_EQ(t, kml_qnn_lstm_run(&p, qo_lstm_x, 1, 1, NULL, c, hs),
		     KML_ERANGE);
	p.x_zp = 0;
	p.hidden = KML_QNN_MAX_WIDTH + 1;
	KT_EXPECT_EQ(t, kml_qnn_lstm_run(&p, qo_lstm_x, 1, 1, NULL, c, hs),
		     KML_EOVERFLOW);
}

static const struct kt_case qnn_ops_cases[] = {
	{ "fc16", qnn_ops_fc16 },	    { "fc16_hand", qnn_ops_fc16_hand },
	{ "act_i8", qnn_ops_act_i8 },	    { "act_i16", qnn_ops_act_i16 },
	{ "softmax", qnn_ops_softmax },	    { "conv", qnn_ops_conv },
	{ "pool_hand", qnn_ops_pool_hand }, { "pool", qnn_ops_pool },
	{ "lstm", qnn_ops_lstm },
};

KT_SUITE(kt_suite_qnn_ops, "qnn_ops", false, 64 * 1024, qnn_ops_cases);
