// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * bench_qnn.c - int8 against float32 inference of the MLP 64-128-128-10
 * (ReLU, batch 1), the same trained-shape network converted by
 * kml_qnn_quantize_nn() with 256 random calibration inputs.
 *
 *   bench_qnn                 table: ns per inference, parameter bytes,
 *                             int8 vs float32 logits on 256 fresh inputs
 *   bench_qnn <workload> N    run one workload N times, for callgrind:
 *     valgrind --tool=callgrind --toggle-collect='bench_once_*' \
 *              build/bench/bench_qnn i8 10000
 *     Ir per call = the reported Ir / N (bench/bench_qnn_callgrind.sh).
 * Workloads: f32 (kml_nn_forward_to), i8 (kml_qnn_run on an int8 input),
 * i8_io (quantize the float input, kml_qnn_run, dequantize the logits).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kmlib/nn.h>
#include <kmlib/fixed.h>
#include <kmlib/qnn.h>

#define NCAL 256
#define NIN 64
#define NOUT 10

static struct kml_mem mem;
static struct kml_nn *net;
static struct kml_qnn *q;
static struct kml_qnn_io io;
static int x_node, out_node;
static float *xv, xf[NIN], yf[NOUT];
static int8_t xq[NIN], yq[NOUT];

static void die(const char *what, int ret)
{
	fprintf(stderr, "%s: %s\n", what, kml_status_name(ret));
	exit(1);
}

static void fill(float *v, size_t n, unsigned int *seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		*seed = *seed * 1103515245u + 12345u;
		v[i] = (float)((*seed >> 8) & 0xffff) / 32768.0f - 1.0f;
	}
}

static void setup(void)
{
	static float calib[NCAL * NIN];
	uint32_t sizes[KML_QNN_MAX_LAYERS + 1], nl;
	unsigned int seed = 7;
	int h, ret;

	kml_mem_init(&mem, "bench_qnn", 0);
	kml_nn_create(&net, &mem, KML_NN_F32, 8);
	x_node = kml_nn_input_vec(net, NIN, 0);
	h = kml_nn_relu(net, kml_nn_linear(net, x_node, 128, true));
	h = kml_nn_relu(net, kml_nn_linear(net, h, 128, true));
	out_node = kml_nn_linear(net, h, NOUT, true);
	ret = kml_nn_prepare(net, NCAL);
	if (ret)
		die("prepare", ret);
	kml_nn_init_params(net, 1);
	fill(calib, NCAL * NIN, &seed);
	ret = kml_qnn_nn_sizes(net, x_node, out_node, sizes, &nl);
	if (!ret)
		ret = kml_qnn_create(&q, &mem, sizes, nl, 1);
	if (!ret)
		ret = kml_qnn_quantize_nn(q, net, x_node, out_node, calib, NCAL,
					  &io);
	if (ret)
		die("quantize", ret);
	kml_nn_set_batch(net, 1);
	kml_nn_value(net, x_node, (void **)&xv, NULL);
	fill(xf, NIN, &seed);
	memcpy(xv, xf, sizeof(xf));
	kml_quantize_f32_i8(xf, NIN, io.in_scale, io.in_zp, xq);
}

__attribute__((noinline)) void bench_once_f32(void)
{
	kml_nn_forward_to(net, out_node);
}

__attribute__((noinline)) void bench_once_i8(void)
{
	kml_qnn_run(q, xq, 1, yq);
}

__attribute__((noinline)) void bench_once_i8_io(void)
{
	kml_quantize_f32_i8(xf, NIN, io.in_scale, io.in_zp, xq);
	kml_qnn_run(q, xq, 1, yq);
	kml_dequantize_i8_f32(yq, NOUT, io.out_scale, io.out_zp, yf);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double ns_per(void (*fn)(void), int n)
{
	double best = 1e30;
	int rep, i;

	for (rep = 0; rep < 5; rep++) {
		double t0 = now();

		for (i = 0; i < n; i++)
			fn();
		t0 = (now() - t0) / n;
		best = t0 < best ? t0 : best;
	}
	return best;
}

/* int8 against float32 logits over 256 fresh inputs. */
static void accuracy(void)
{
	unsigned int seed = 99;
	double err = 0, err_in = 0;
	int s, i, agree = 0, sat = 0;

	for (s = 0; s < 256; s++) {
		float *yv;
		int bf = 0, bq = 0;

		fill(xf, NIN, &seed);
		memcpy(xv, xf, sizeof(xf));
		kml_nn_forward_to(net, out_node);
		kml_nn_value(net, out_node, (void **)&yv, NULL);
		bench_once_i8_io();
		for (i = 0; i < NOUT; i++) {
			double d = yv[i] > yf[i] ? yv[i] - yf[i] : yf[i] - yv[i];

			err = d > err ? d : err;
			/* outside the calibrated range the output saturates */
			if (yq[i] == -128 || yq[i] == 127)
				sat++;
			else
				err_in = d > err_in ? d : err_in;
			bf = yv[i] > yv[bf] ? i : bf;
			bq = yf[i] > yf[bq] ? i : bq;
		}
		agree += bf == bq;
	}
	printf("int8 vs float32 logits (256 inputs): max |diff| %.4f "
	       "(%.2f output steps of %.4f), argmax agrees %d/256\n",
	       err, err / io.out_scale, io.out_scale, agree);
	printf("  %d of %d logits saturated (beyond the calibrated range); "
	       "max |diff| of the others %.4f (%.2f steps)\n", sat,
	       256 * NOUT, err_in, err_in / io.out_scale);
}

int main(int argc, char **argv)
{
	size_t nparam;
	double f, i8, io8;

	setup();
	if (argc == 3) {
		int n = atoi(argv[2]), i;
		void (*fn)(void) = !strcmp(argv[1], "f32") ? bench_once_f32 :
				   !strcmp(argv[1], "i8")  ? bench_once_i8 :
				   !strcmp(argv[1], "i8_io") ? bench_once_i8_io :
							       NULL;

		if (!fn)
			die(argv[1], KML_EINVAL);
		for (i = 0; i < n; i++)
			fn();
		return 0;
	}
	kml_nn_params(net, NULL, NULL, &nparam);
	f = ns_per(bench_once_f32, 2000);
	i8 = ns_per(bench_once_i8, 2000);
	io8 = ns_per(bench_once_i8_io, 2000);
	printf("MLP 64-128-128-10, batch 1\n");
	printf("float32   %8.0f ns/inference  %7zu parameter bytes\n", f,
	       nparam * sizeof(float));
	printf("int8      %8.0f ns/inference  %7zu parameter bytes  "
	       "(%.2fx faster, %.2fx smaller)\n",
	       i8, kml_qnn_param_bytes(q), f / i8,
	       (double)(nparam * sizeof(float)) / kml_qnn_param_bytes(q));
	printf("int8+io   %8.0f ns/inference  (with quantize/dequantize: "
	       "%.2fx)\n", io8, f / io8);
	accuracy();
	kml_qnn_destroy(q);
	kml_nn_destroy(net);
	return 0;
}
