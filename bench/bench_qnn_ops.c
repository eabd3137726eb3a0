// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * bench_qnn_ops.c - the quantized operators of qnn_ops.h per inference,
 * against references measured in the same run:
 *   i8_mlp    kml_qnn_run, MLP 64-128-128-10 int8 (ReLU)      reference
 *   i16_mlp   three kml_qnn_fc_i16 layers, same shape, int16 activations
 *   sig_i8    kml_qnn_lut_i8 over 128 values (table from kml_qnn_act_lut_i8)
 *   sig_i16   kml_qnn_act_i16 sigmoid over 128 values
 *   sig_q15   kml_sigmoid_i16 over 128 Q3.12 values (fixed.h, no rescale)
 *   sig_f32   kml_sigmoidf_vec over 128 floats                reference
 *   softmax   kml_qnn_softmax_i8, one row of 10
 *   conv2d    kml_qnn_conv2d_i8 8x8x4 -> 8x8x8, 3x3, pad 1
 *   conv2d16  kml_qnn_conv2d_i8 8x8x16 -> 8x8x16, 3x3, pad 1 (SIMD rows)
 *   maxpool   kml_qnn_maxpool2d_i8 8x8x8, 2x2 stride 2
 *   avgpool   kml_qnn_avgpool2d_i8, the same
 *   lstm_f32  kml_nn LSTM 16 -> 64 forward, 32 steps, batch 1   reference
 *   lstm_i8   kml_qnn_lstm_run on the same LSTM converted to int8
 *   lin2_f32  kml_nn 2-input linear model (2-1), batch 1       reference
 *   lin2_i8   kml_qnn_run on a 2-1 int8 network
 *   lin2_i16  kml_qnn_fc_i16, in 2, out 1
 *
 *   bench_qnn_ops             table: ns per call of each
 *   bench_qnn_ops <name> N    run one N times, for callgrind
 *     (bench/bench_qnn_ops_callgrind.sh: Ir per call).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kmlib/fixed.h>
#include <kmlib/kmath.h>
#include <kmlib/nn.h>
#include <kmlib/nn_ops.h>
#include <kmlib/qnn.h>
#include <kmlib/qnn_ops.h>

static const uint32_t sizes[] = { 64, 128, 128, 10 };
static struct kml_mem mem;
static struct kml_qnn *q8;
static struct kml_qnn_fc16 fc[3];
static int8_t w16[3][128 * 128];
static int64_t b16[3][128];
static int32_t m16[3][128], s16[3][128];
static int8_t x8[128], y8[128], lut8[256];
static int16_t x16[128], h16[2][128], y16[128];
static float xf[128], yf[128];
static uint32_t smax_lut[256];
static struct kml_qnn_conv2d conv;
static int8_t cw[8 * 3 * 3 * 4], cx[8 * 8 * 4], cy[8 * 8 * 8];
static int32_t cb[8], cm[8], cs[8];
static struct kml_qnn_conv2d conv16;
static int8_t cw16[16 * 3 * 3 * 16], cx16[8 * 8 * 16], cy16[8 * 8 * 16];
static int32_t cb16[16], cm16[16], cs16[16];
static struct kml_qnn_pool2d pl = { .in_h = 8,
				    .in_w = 8,
				    .c = 8,
				    .k_h = 2,
				    .k_w = 2,
				    .stride_h = 2,
				    .stride_w = 2,
				    .act_min = -128,
				    .act_max = 127 };
static unsigned int seed = 7;

#define LT 32
#define LI 16
#define LH 64
static struct kml_nn *lnet;
static int l_node;
static struct kml_qnn_lstm lq;
static int8_t lw_ih[4 * LH * LI], lw_hh[4 * LH * LH], lx[LT * LI], lhs[LT * LH];
static int32_t lpar[5][4 * LH];
static int16_t lc[LH];

static int32_t rnd(int32_t lo, int32_t hi)
{
	seed = seed * 1103515245u + 12345u;
	return lo + (int32_t)((seed >> 8) % (uint32_t)(hi - lo + 1));
}

static void die(const char *what, int ret)
{
	fprintf(stderr, "%s: %s\n", what, kml_status_name(ret));
	exit(1);
}

/* LSTM 16 -> 64 float (random init), converted for inputs in [-1, 1]. */
static void setup_lstm(void)
{
	const uint32_t dims[2] = { LT, LI };
	struct kml_nn_node *n = NULL; /* die() exits; clang cannot tell */
	float *w, *xv;
	int x, i, ret;

	kml_nn_create(&lnet, &mem, KML_NN_F32, 4);
	x = kml_nn_input(lnet, dims, 2, 0);
	l_node = kml_nn_lstm(lnet, x, LH, true);
	ret = kml_nn_prepare(lnet, 1);
	if (!ret)
		ret = kml_nn_init_params(lnet, 2);
	if (!ret)
		ret = kml_nn_get_node(lnet, l_node, &n);
	if (ret)
		die("lstm", ret);
	w = n->w;
	lq = (struct kml_qnn_lstm){ .in = LI,
				    .hidden = LH,
				    .w_ih = lw_ih,
				    .w_hh = lw_hh,
				    .bias = lpar[0],
				    .mult_ih = lpar[1],
				    .shift_ih = lpar[2],
				    .mult_hh = lpar[3],
				    .shift_hh = lpar[4] };
	ret = kml_qnn_lstm_quantize(&lq, w, w + 4 * LH * LI,
				    w + 4 * LH * (LI + LH),
				    w + 4 * LH * (LI + LH + 1), 1.0f / 127, 0);
	if (ret)
		die("kml_qnn_lstm_quantize", ret);
	kml_nn_value(lnet, x, (void **)&xv, NULL);
	for (i = 0; i < LT * LI; i++) {
		lx[i] = (int8_t)rnd(-127, 127);
		xv[i] = lx[i] / 127.0f;
	}
}

/* The 2-input linear model: float32 (kml_nn), int8 (kml_qnn), int16. */
static struct kml_nn *lin_net;
static int lin_out;
static struct kml_qnn *lin_q8;
static struct kml_qnn_fc16 lin_fc;
static int8_t lin_w[2], lin_x8[2], lin_y8;
static int64_t lin_b;
static int32_t lin_m, lin_s;
static int16_t lin_x16[2], lin_y16;

static void setup_lin2(void)
{
	const uint32_t sz[2] = { 2, 1 };
	struct kml_qnn_layer *ly;
	float *xv;
	int x, ret;

	kml_nn_create(&lin_net, &mem, KML_NN_F32, 4);
	x = kml_nn_input_vec(lin_net, 2, 0);
	lin_out = kml_nn_linear(lin_net, x, 1, true);
	ret = kml_nn_prepare(lin_net, 1);
	if (!ret)
		ret = kml_nn_init_params(lin_net, 3);
	if (!ret)
		ret = kml_nn_value(lin_net, x, (void **)&xv, NULL);
	if (!ret)
		ret = kml_qnn_create(&lin_q8, &mem, sz, 1, 1);
	if (ret)
		die("lin2", ret);
	xv[0] = 0.25f;
	xv[1] = -0.5f;
	kml_qnn_layer(lin_q8, 0, &ly);
	ly->weight[0] = lin_w[0] = (int8_t)rnd(-127, 127);
	ly->weight[1] = lin_w[1] = (int8_t)rnd(-127, 127);
	ly->bias[0] = rnd(-1000, 1000);
	ly->mult[0] = lin_m = rnd(1 << 30, INT32_MAX);
	ly->shift[0] = lin_s = -8;
	ret = kml_qnn_check(lin_q8);
	if (ret)
		die("lin2 check", ret);
	lin_b = rnd(-100000, 100000);
	lin_fc = (struct kml_qnn_fc16){ .in = 2,
					.out = 1,
					.act_min = -32768,
					.act_max = 32767,
					.weight = lin_w,
					.bias = &lin_b,
					.mult = &lin_m,
					.shift = &lin_s };
	lin_x8[0] = 31;
	lin_x8[1] = -64;
	lin_x16[0] = 8000;
	lin_x16[1] = -16000;
}

static void setup(void)
{
	struct kml_qnn_layer *ly;
	uint32_t l, i;
	int ret;

	kml_mem_init(&mem, "bench_qnn_ops", 0);
	ret = kml_qnn_create(&q8, &mem, sizes, 3, 1);
	if (ret)
		die("kml_qnn_create", ret);
	for (l = 0; l < 3; l++) {
		uint32_t in = sizes[l], out = sizes[l + 1];

		kml_qnn_layer(q8, l, &ly);
		for (i = 0; i < in * out; i++)
			ly->weight[i] = w16[l][i] = (int8_t)rnd(-127, 127);
		for (i = 0; i < out; i++) {
			ly->bias[i] = rnd(-1000, 1000);
			b16[l][i] = rnd(-100000, 100000);
			ly->mult[i] = m16[l][i] = rnd(1 << 30, INT32_MAX);
			ly->shift[i] = -8;
			s16[l][i] = -9;
		}
		ly->act_min = l < 2 ? 0 : -128;
		fc[l] = (struct kml_qnn_fc16){ .in = in,
					       .out = out,
					       .act_min = l < 2 ? 0 : -32768,
					       .act_max = 32767,
					       .weight = w16[l],
					       .bias = b16[l],
					       .mult = m16[l],
					       .shift = s16[l] };
	}
	ret = kml_qnn_check(q8);
	if (ret)
		die("kml_qnn_check", ret);
	for (i = 0; i < 128; i++) {
		x8[i] = (int8_t)rnd(-128, 127);
		x16[i] = (int16_t)rnd(-32768, 32767);
		xf[i] = (float)x16[i] / 4096.0f;
	}
	kml_qnn_act_lut_i8(KML_QNN_SIGMOID, 0, 1 << 30, 10, lut8);
	ret = kml_qnn_softmax_lut(0.0625f, 1.0f, smax_lut);
	if (ret)
		die("kml_qnn_softmax_lut", ret);
	for (i = 0; i < sizeof(cw); i++)
		cw[i] = (int8_t)rnd(-127, 127);
	for (i = 0; i < sizeof(cx); i++)
		cx[i] = (int8_t)rnd(-128, 127);
	for (i = 0; i < 8; i++) {
		cb[i] = rnd(-1000, 1000);
		cm[i] = rnd(1 << 30, INT32_MAX);
		cs[i] = -9;
	}
	setup_lstm();
	setup_lin2();
	for (i = 0; i < sizeof(cw16); i++)
		cw16[i] = (int8_t)rnd(-127, 127);
	for (i = 0; i < sizeof(cx16); i++)
		cx16[i] = (int8_t)rnd(-128, 127);
	for (i = 0; i < 16; i++) {
		cb16[i] = rnd(-1000, 1000);
		cm16[i] = rnd(1 << 30, INT32_MAX);
		cs16[i] = -10;
	}
	conv16 = (struct kml_qnn_conv2d){ .in_h = 8,
					  .in_w = 8,
					  .in_c = 16,
					  .out_c = 16,
					  .k_h = 3,
					  .k_w = 3,
					  .stride_h = 1,
					  .stride_w = 1,
					  .pad_h = 1,
					  .pad_w = 1,
					  .in_zp = 3,
					  .out_zp = -5,
					  .act_min = -5,
					  .act_max = 127,
					  .weight = cw16,
					  .bias = cb16,
					  .mult = cm16,
					  .shift = cs16 };
	conv = (struct kml_qnn_conv2d){ .in_h = 8,
					.in_w = 8,
					.in_c = 4,
					.out_c = 8,
					.k_h = 3,
					.k_w = 3,
					.stride_h = 1,
					.stride_w = 1,
					.pad_h = 1,
					.pad_w = 1,
					.in_zp = 3,
					.out_zp = -5,
					.act_min = -5,
					.act_max = 127,
					.weight = cw,
					.bias = cb,
					.mult = cm,
					.shift = cs };
}

#define ONCE(name) __attribute__((noinline)) void bench_once_##name(void)

ONCE(i8_mlp)
{
	kml_qnn_run(q8, x8, 1, y8);
}

ONCE(i16_mlp)
{
	kml_qnn_fc_i16(&fc[0], x16, 1, h16[0]);
	kml_qnn_fc_i16(&fc[1], h16[0], 1, h16[1]);
	kml_qnn_fc_i16(&fc[2], h16[1], 1, y16);
}

ONCE(sig_i8)
{
	kml_qnn_lut_i8(lut8, x8, 128, y8);
}

ONCE(sig_i16)
{
	kml_qnn_act_i16(KML_QNN_SIGMOID, 1 << 30, 1, x16, 128, y16);
}

ONCE(sig_q15)
{
	kml_sigmoid_i16(x16, 128, y16);
}

ONCE(sig_f32)
{
	kml_sigmoidf_vec(yf, xf, 128);
}

ONCE(softmax)
{
	kml_qnn_softmax_i8(smax_lut, x8, 1, 10, y8);
}

ONCE(conv2d)
{
	kml_qnn_conv2d_i8(&conv, cx, 1, cy);
}

ONCE(conv2d16)
{
	kml_qnn_conv2d_i8(&conv16, cx16, 1, cy16);
}

ONCE(maxpool)
{
	kml_qnn_maxpool2d_i8(&pl, cy, 1, y8);
}

ONCE(avgpool)
{
	kml_qnn_avgpool2d_i8(&pl, cy, 1, y8);
}

ONCE(lstm_f32)
{
	kml_nn_forward_to(lnet, l_node);
}

ONCE(lstm_i8)
{
	memset(lc, 0, sizeof(lc));
	kml_qnn_lstm_run(&lq, lx, 1, LT, NULL, lc, lhs);
}

ONCE(lin2_f32)
{
	kml_nn_forward_to(lin_net, lin_out);
}

ONCE(lin2_i8)
{
	kml_qnn_run(lin_q8, lin_x8, 1, &lin_y8);
}

ONCE(lin2_i16)
{
	kml_qnn_fc_i16(&lin_fc, lin_x16, 1, &lin_y16);
}

static const struct {
	const char *name;
	void (*fn)(void);
} work[] = {
	{ "i8_mlp", bench_once_i8_mlp },
	{ "i16_mlp", bench_once_i16_mlp },
	{ "sig_i8", bench_once_sig_i8 },
	{ "sig_i16", bench_once_sig_i16 },
	{ "sig_q15", bench_once_sig_q15 },
	{ "sig_f32", bench_once_sig_f32 },
	{ "softmax", bench_once_softmax },
	{ "conv2d", bench_once_conv2d },
	{ "conv2d16", bench_once_conv2d16 },
	{ "maxpool", bench_once_maxpool },
	{ "avgpool", bench_once_avgpool },
	{ "lstm_f32", bench_once_lstm_f32 },
	{ "lstm_i8", bench_once_lstm_i8 },
	{ "lin2_f32", bench_once_lin2_f32 },
	{ "lin2_i8", bench_once_lin2_i8 },
	{ "lin2_i16", bench_once_lin2_i16 },
};

static double ns_per(void (*fn)(void), int n)
{
	struct timespec a, b;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++)
		fn();
	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n;
}

int main(int argc, char **argv)
{
	size_t k;
	int i, n;

	setup();
	if (argc == 3) {
		n = atoi(argv[2]);
		for (k = 0; k < sizeof(work) / sizeof(work[0]); k++)
			if (!strcmp(argv[1], work[k].name))
				break;
		if (k == sizeof(work) / sizeof(work[0]) || n <= 0) {
			fprintf(stderr, "usage: %s [workload N]\n", argv[0]);
			return 2;
		}
		for (i = 0; i < n; i++)
			work[k].fn();
		return 0;
	}
	printf("%-8s %10s\n", "workload", "ns/call");
	for (k = 0; k < sizeof(work) / sizeof(work[0]); k++) {
		work[k].fn(); /* warm */
		printf("%-8s %10.0f\n", work[k].name, ns_per(work[k].fn, 5000));
	}
	printf("int8 MLP parameter bytes %zu; int16 (16x8, int64 bias) %zu\n",
	       kml_qnn_param_bytes(q8),
	       (size_t)(64 * 128 + 128 * 128 + 128 * 10) +
		   (128 + 128 + 10) * (8 + 4 + 4));
	return 0;
}
