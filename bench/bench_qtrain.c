// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * bench_qtrain.c - one SGD step of fixed-point training (kml_qmlp_step,
 * Q3.12, no FPU) against the float32 library step (kml_optim_train_step:
 * forward, backward, SGD) on the same shapes: XOR 2-8-1 tanh batch 4 and
 * linear regression 2-1 batch 16, both MSE.
 *
 *   bench_qtrain              table: ns per step
 *   bench_qtrain <workload> N run one workload N times, for callgrind:
 *     valgrind --tool=callgrind --toggle-collect='bench_once_*' \
 *              build/bench/bench_qtrain q_xor 2000
 *     Ir per step = the reported Ir / N (bench/bench_qtrain_callgrind.sh).
 * Workloads: q_xor, f_xor, q_lin, f_lin.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kmlib/nn.h>
#include <kmlib/optim.h>
#include <kmlib/qtrain.h>

static struct kml_mem mem;
static struct kml_qmlp *qx, *ql;
static struct kml_optim *ox, *ol;
static int lx, ll;
static int16_t xor_x[8] = { 0, 0, 0, 4096, 4096, 0, 4096, 4096 };
static int16_t xor_t[4] = { 0, 4096, 4096, 0 };
static int16_t lin_x[32], lin_t[16];

static void die(const char *what, int ret)
{
	fprintf(stderr, "%s: %s\n", what, kml_status_name(ret));
	exit(1);
}

/* A float32 net (in -> [hidden tanh] -> 1, MSE) and its SGD, with data. */
static struct kml_optim *float_net(uint32_t in, uint32_t hidden, size_t batch,
				   const int16_t *xq, const int16_t *tq,
				   int *loss)
{
	struct kml_optim_cfg cfg;
	struct kml_optim *opt;
	struct kml_nn *net;
	int x, t, h, ret;
	float *v;
	size_t i;

	ret = kml_nn_create(&net, &mem, KML_NN_F32, 8);
	if (ret)
		die("kml_nn_create", ret);
	x = kml_nn_input_vec(net, in, 0);
	t = kml_nn_input_vec(net, 1, 0);
	h = hidden ? kml_nn_tanh(net, kml_nn_linear(net, x, hidden, true)) : x;
	*loss = kml_nn_mse(net, kml_nn_linear(net, h, 1, true), t, KML_NN_MEAN);
	if ((ret = kml_nn_prepare(net, batch)) ||
	    (ret = kml_nn_init_params(net, 3)) ||
	    (ret = kml_optim_defaults(&cfg, KML_OPTIM_SGD, 0.25)) ||
	    (ret = kml_optim_create(&opt, &mem, net, &cfg)))
		die("float net", ret);
	kml_nn_value(net, x, (void **)&v, NULL);
	for (i = 0; i < batch * in; i++)
		v[i] = xq[i] / 4096.0f;
	kml_nn_value(net, t, (void **)&v, NULL);
	for (i = 0; i < batch; i++)
		v[i] = tq[i] / 4096.0f;
	return opt;
}

static void setup(void)
{
	static const uint32_t sx[] = { 2, 8, 1 }, sl[] = { 2, 1 };
	struct kml_qtrain_cfg cfg = { .frac = 12,
				      .grad_frac = 12,
				      .lr_q15 = 8192,
				      .hidden_act = KML_QACT_TANH };
	unsigned int seed = 11;
	int ret, i;

	kml_mem_init(&mem, "bench_qtrain", 0);
	for (i = 0; i < 16; i++) {
		seed = seed * 1103515245u + 12345u;
		lin_x[2 * i] = (int16_t)((seed >> 8) % 8193) - 4096;
		seed = seed * 1103515245u + 12345u;
		lin_x[2 * i + 1] = (int16_t)((seed >> 8) % 8193) - 4096;
		lin_t[i] =
		    (int16_t)(2 * lin_x[2 * i] - 3 * lin_x[2 * i + 1] + 2048);
	}
	if ((ret = kml_qmlp_create(&qx, &mem, sx, 2, 4, &cfg)) ||
	    (ret = kml_qmlp_init(qx, 3)) ||
	    (ret = kml_qmlp_create(&ql, &mem, sl, 1, 16, &cfg)))
		die("kml_qmlp_create", ret);
	ox = float_net(2, 8, 4, xor_x, xor_t, &lx);
	ol = float_net(2, 0, 16, lin_x, lin_t, &ll);
}

__attribute__((noinline)) void bench_once_q_xor(void)
{
	kml_qmlp_step(qx, xor_x, xor_t, 4, NULL);
}

__attribute__((noinline)) void bench_once_f_xor(void)
{
	kml_optim_train_step(ox, lx);
}

__attribute__((noinline)) void bench_once_q_lin(void)
{
	kml_qmlp_step(ql, lin_x, lin_t, 16, NULL);
}

__attribute__((noinline)) void bench_once_f_lin(void)
{
	kml_optim_train_step(ol, ll);
}

static const struct {
	const char *name;
	void (*fn)(void);
} work[] = {
	{ "q_xor", bench_once_q_xor },
	{ "f_xor", bench_once_f_xor },
	{ "q_lin", bench_once_q_lin },
	{ "f_lin", bench_once_f_lin },
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	size_t w;
	long i, n;

	setup();
	if (!kml_fpu_begin()) /* the float steps need it; a no-op in user space
			       */
		return 1;
	for (w = 0; w < sizeof(work) / sizeof(work[0]); w++) {
		if (argc == 3 && !strcmp(argv[1], work[w].name)) {
			n = atol(argv[2]);
			for (i = 0; i < n; i++)
				work[w].fn();
			kml_fpu_end();
			return 0;
		}
	}
	if (argc != 1) {
		fprintf(stderr,
			"usage: bench_qtrain [q_xor|f_xor|q_lin|f_lin N]\n");
		return 2;
	}
	printf("%-6s %10s\n", "step", "ns/step");
	for (w = 0; w < sizeof(work) / sizeof(work[0]); w++) {
		double best = 1e30;
		int rep;

		for (rep = 0; rep < 5; rep++) {
			double t0 = now_ns(), t;

			for (i = 0; i < 20000; i++)
				work[w].fn();
			t = (now_ns() - t0) / 20000;
			best = t < best ? t : best;
		}
		printf("%-6s %10.1f\n", work[w].name, best);
	}
	kml_fpu_end();
	return 0;
}
