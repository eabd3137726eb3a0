// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * bench_lstm.c - LSTM training and inference speed (float32, batch 1).
 *
 *   bench_lstm                 wall-clock table (ns per call, steps/s)
 *   bench_lstm <workload> N    run one workload N times, for callgrind
 *                              (bench_lstm_callgrind.sh gives Ir per call)
 *
 * The model of the anchor (KANN, /work/shared/anchors.md): an LSTM with 16
 * inputs and 64 hidden units over 32 steps, batch 1. Workloads:
 *   lstm_train       LSTM (every step) -> linear 64 -> 16 per step -> MSE,
 *                    forward + backward + SGD-momentum step
 *   lstm_train_last  the same with the last step only (-> linear -> MSE)
 *   lstm_infer       the forward pass of lstm_train
 *   naive_lstm       reference measured in the same run: the LSTM forward
 *                    of 32 steps as plain C loops (PyTorch's weight layout),
 *                    what hand-written code would do; compare lstm_infer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kmlib/nn.h>
#include <kmlib/optim.h>
#include <kmlib/kmath.h>

#define IN 16
#define HID 64
#define STEPS 32

struct bench {
	struct kml_nn *net;
	struct kml_optim *opt;
	int out, loss;
};

static struct kml_mem mem;

static void die(const char *what, int ret)
{
	fprintf(stderr, "%s: %s\n", what, kml_status_name(ret));
	exit(1);
}

static void fill(struct kml_nn *net, int node, unsigned int seed)
{
	float *v;
	size_t n, i;

	kml_nn_value(net, node, (void **)&v, &n);
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		v[i] = (float)((seed >> 8) & 0xffff) / 32768.0f - 1.0f;
	}
}

static void build(struct bench *b, bool all_steps)
{
	uint32_t dims[2] = { STEPS, IN }, tdims[2] = { STEPS, IN };
	struct kml_optim_cfg cfg;
	int x, t, h, ret;

	ret = kml_nn_create(&b->net, &mem, KML_NN_F32, 8);
	if (ret)
		die("create", ret);
	x = kml_nn_input(b->net, dims, 2, 0);
	t = all_steps ? kml_nn_input(b->net, tdims, 2, 0)
		      : kml_nn_input_vec(b->net, IN, 0);
	h = kml_nn_lstm(b->net, x, HID, all_steps);
	b->out = kml_nn_linear(b->net, h, IN, true);
	b->loss = kml_nn_mse(b->net, b->out, t, KML_NN_MEAN);
	if (b->loss < 0)
		die("build", b->loss);
	ret = kml_nn_prepare(b->net, 1);
	if (ret)
		die("prepare", ret);
	kml_fpu_begin();
	kml_nn_init_params(b->net, 1);
	kml_optim_defaults(&cfg, KML_OPTIM_SGD, 0.01);
	cfg.momentum = 0.9;
	kml_fpu_end();
	ret = kml_optim_create(&b->opt, &mem, b->net, &cfg);
	if (ret)
		die("optimizer", ret);
	fill(b->net, x, 1);
	fill(b->net, t, 2);
}

__attribute__((noinline)) void bench_once_infer(struct bench *b)
{
	kml_nn_forward_to(b->net, b->out);
}

__attribute__((noinline)) void bench_once_train(struct bench *b)
{
	kml_optim_train_step(b->opt, b->loss);
}

struct workload {
	const char *name;
	bool train, all_steps;
	const char *anchor;
};

static const struct workload workloads[] = {
	{ "lstm_train", true, true,
	  "KANN 5.35 M Ir, 3,533 steps/s; goal <= 0.66x" },
	{ "lstm_train_last", true, false, "KANN 5.35 M Ir; goal <= 0.66x" },
	{ "lstm_infer", false, true, "compare naive_lstm" },
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void run(const struct workload *w, long n, bool report)
{
	struct bench b = { 0 };
	uint64_t allocs;
	double t0, dt;
	long i;

	build(&b, w->all_steps);
	kml_fpu_begin();
	allocs = kml_mem_alloc_count(&mem);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (w->train)
			bench_once_train(&b);
		else
			bench_once_infer(&b);
	}
	dt = now_ns() - t0;
	kml_fpu_end();
	if (report)
		printf("%-16s %10.1f us/call %10.0f calls/s  allocs in loop: "
		       "%llu   [%s]\n",
		       w->name, dt / n / 1e3, n / dt * 1e9,
		       (unsigned long long)(kml_mem_alloc_count(&mem) - allocs),
		       w->anchor);
	kml_optim_destroy(b.opt);
	kml_nn_destroy(b.net);
}

/* ---- reference: the forward pass as plain loops ---- */

static float rw_ih[4 * HID * IN], rw_hh[4 * HID * HID], rb[4 * HID];
static float rx[STEPS * IN], rh[HID], rc[HID], rg[4 * HID];

static float sigm(float v)
{
	return 1.0f / (1.0f + kml_expf(-v));
}

__attribute__((noinline)) void bench_once_naive(void)
{
	int t, j, k;

	memset(rh, 0, sizeof(rh));
	memset(rc, 0, sizeof(rc));
	for (t = 0; t < STEPS; t++) {
		const float *x = rx + t * IN;

		for (j = 0; j < 4 * HID; j++) {
			float s = rb[j];

			for (k = 0; k < IN; k++)
				s += rw_ih[j * IN + k] * x[k];
			for (k = 0; k < HID; k++)
				s += rw_hh[j * HID + k] * rh[k];
			rg[j] = s;
		}
		for (k = 0; k < HID; k++) {
			float i = sigm(rg[k]), f = sigm(rg[HID + k]);
			float g = kml_tanhf(rg[2 * HID + k]);
			float o = sigm(rg[3 * HID + k]);

			rc[k] = f * rc[k] + i * g;
			rh[k] = o * kml_tanhf(rc[k]);
		}
	}
}

static void run_naive(long n, bool report)
{
	double t0, dt;
	long i;

	for (i = 0; i < 4 * HID * HID; i++)
		rw_hh[i] = (float)(i % 7) / 70.0f - 0.05f;
	for (i = 0; i < 4 * HID * IN; i++)
		rw_ih[i] = (float)(i % 5) / 50.0f - 0.05f;
	for (i = 0; i < STEPS * IN; i++)
		rx[i] = (float)(i % 3) - 1.0f;
	kml_fpu_begin();
	t0 = now_ns();
	for (i = 0; i < n; i++)
		bench_once_naive();
	dt = now_ns() - t0;
	kml_fpu_end();
	if (report)
		printf("%-16s %10.1f us/call   (reference: plain C loops, "
		       "same LSTM forward)\n",
		       "naive_lstm", dt / n / 1e3);
}

int main(int argc, char **argv)
{
	size_t i;

	kml_mem_init(&mem, "bench", 0);
	if (argc == 3) {
		if (!strcmp(argv[1], "naive_lstm")) {
			run_naive(atol(argv[2]), false);
			return 0;
		}
		for (i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++)
			if (!strcmp(argv[1], workloads[i].name)) {
				run(&workloads[i], atol(argv[2]), false);
				return 0;
			}
		fprintf(stderr, "unknown workload %s\n", argv[1]);
		return 1;
	}
	for (i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++) {
		long n = workloads[i].train ? 2000 : 5000;

		run(&workloads[i], n / 10, false); /* warm up */
		run(&workloads[i], n, true);
	}
	run_naive(500, false);
	run_naive(5000, true);
	return 0;
}
