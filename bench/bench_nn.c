// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * bench_nn.c - nn inference and training speed.
 *
 *   bench_nn                 wall-clock table (ns per call, steps/s)
 *   bench_nn <workload> N    run one workload N times, for callgrind:
 *     valgrind --tool=callgrind --toggle-collect='bench_once_*' \
 *              build/bench/bench_nn linear2_infer 100000
 *     Ir per call = the reported Ir / N.
 *
 * Workloads (float32): linear2_infer (2-input linear model, batch 1),
 * linear2_sgd (its forward + backward + SGD step, batch 1),
 * mlp_infer (64-128-128-10 ReLU MLP, batch 1), mlp_train (same MLP,
 * cross-entropy, forward + backward + SGD step, batch 32),
 * mlp5_infer (5-15-5-4 sigmoid MLP, KML's readahead net, batch 1).
 * The reference figures (KML, KANN) are in /work/shared/anchors.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kmlib/nn.h>
#include <kmlib/optim.h>

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

static void finish(struct bench *b, size_t batch, bool train)
{
	struct kml_optim_cfg cfg;
	int ret;

	ret = kml_nn_prepare(b->net, batch);
	if (ret)
		die("prepare", ret);
	kml_nn_init_params(b->net, 1);
	if (train) {
		kml_optim_defaults(&cfg, KML_OPTIM_SGD, 0.01);
		cfg.momentum = 0.9;
		ret = kml_optim_create(&b->opt, &mem, b->net, &cfg);
		if (ret)
			die("optimizer", ret);
	}
}

static void build_linear2(struct bench *b, bool train)
{
	int x, y;

	kml_nn_create(&b->net, &mem, KML_NN_F32, 4);
	x = kml_nn_input_vec(b->net, 2, 0);
	b->out = kml_nn_linear(b->net, x, 1, true);
	if (train) {
		y = kml_nn_input_vec(b->net, 1, 0);
		b->loss = kml_nn_mse(b->net, b->out, y, KML_NN_MEAN);
	}
	finish(b, 1, train);
	fill(b->net, x, 1);
	if (train)
		fill(b->net, y, 2);
}

static void build_mlp(struct bench *b, bool train, size_t batch)
{
	int x, h, lab;
	int32_t *l;
	size_t i;

	kml_nn_create(&b->net, &mem, KML_NN_F32, 10);
	x = kml_nn_input_vec(b->net, 64, 0);
	h = kml_nn_relu(b->net, kml_nn_linear(b->net, x, 128, true));
	h = kml_nn_relu(b->net, kml_nn_linear(b->net, h, 128, true));
	b->out = kml_nn_linear(b->net, h, 10, true);
	if (train) {
		lab = kml_nn_labels(b->net);
		b->loss =
		    kml_nn_cross_entropy(b->net, b->out, lab, KML_NN_MEAN);
	}
	finish(b, batch, train);
	fill(b->net, x, 3);
	if (train) {
		kml_nn_value(b->net, lab, (void **)&l, NULL);
		for (i = 0; i < batch; i++)
			l[i] = (int32_t)(i % 10);
	}
}

static void build_mlp5(struct bench *b)
{
	int x, h;

	kml_nn_create(&b->net, &mem, KML_NN_F32, 8);
	x = kml_nn_input_vec(b->net, 5, 0);
	h = kml_nn_sigmoid(b->net, kml_nn_linear(b->net, x, 15, true));
	h = kml_nn_sigmoid(b->net, kml_nn_linear(b->net, h, 5, true));
	b->out = kml_nn_linear(b->net, h, 4, true);
	finish(b, 1, false);
	fill(b->net, x, 4);
}

/* The measured units; noinline so that callgrind can toggle on them. */
__attribute__((noinline)) void bench_once_infer(struct bench *b)
{
	kml_nn_forward_to(b->net, b->out);
}

/* forward + backward + update (fused for linear2_sgd, see optim.h) */
__attribute__((noinline)) void bench_once_train(struct bench *b)
{
	kml_optim_train_step(b->opt, b->loss);
}

struct workload {
	const char *name;
	bool train;
	void (*build)(struct bench *b);
	const char *anchor;
};

static void w_linear2(struct bench *b)
{
	build_linear2(b, false);
}
static void w_linear2_sgd(struct bench *b)
{
	build_linear2(b, true);
}
static void w_mlp(struct bench *b)
{
	build_mlp(b, false, 1);
}
static void w_mlp_train(struct bench *b)
{
	build_mlp(b, true, 32);
}

static const struct workload workloads[] = {
	{ "linear2_infer", false, w_linear2,
	  "KML 2,856 Ir; KANN 1,084 Ir; goal < 40" },
	{ "linear2_sgd", true, w_linear2_sgd, "KML 9,505 Ir; goal < 200" },
	{ "mlp_infer", false, w_mlp, "KANN 51,462 Ir; goal <= 0.5x" },
	{ "mlp_train", true, w_mlp_train,
	  "KANN 4.51 M Ir, 3,391 steps/s; goal <= 0.5x" },
	{ "mlp5_infer", false, build_mlp5,
	  "KML 35,945 Ir (double); goal < 1,500" },
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

	w->build(&b);
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
		printf("%-14s %10.1f ns/call %12.0f calls/s  allocs in loop: "
		       "%llu   [%s]\n",
		       w->name, dt / n, n / dt * 1e9,
		       (unsigned long long)(kml_mem_alloc_count(&mem) - allocs),
		       w->anchor);
	kml_optim_destroy(b.opt);
	kml_nn_destroy(b.net);
}

/*
 * Reference measured in the same run: the same 64-128-128-10 ReLU MLP
 * written as plain loops (weights out x in, as most C code stores them),
 * what a hand-written kernel-side model would do.
 */
static float nw1[128 * 64], nb1[128], nw2[128 * 128], nb2[128];
static float nw3[10 * 128], nb3[10], nx[64], nh1[128], nh2[128], ny[10];

static void naive_layer(const float *w, const float *b, const float *x,
			float *y, int in, int out, bool relu)
{
	int o, i;

	for (o = 0; o < out; o++) {
		float s = b[o];

		for (i = 0; i < in; i++)
			s += w[o * in + i] * x[i];
		y[o] = relu && s < 0 ? 0 : s;
	}
}

__attribute__((noinline)) void bench_once_naive(void)
{
	naive_layer(nw1, nb1, nx, nh1, 64, 128, true);
	naive_layer(nw2, nb2, nh1, nh2, 128, 128, true);
	naive_layer(nw3, nb3, nh2, ny, 128, 10, false);
}

static void run_naive(long n)
{
	double t0, dt;
	long i;

	for (i = 0; i < 128 * 128; i++)
		nw2[i] = (float)(i % 7) / 7.0f - 0.5f;
	for (i = 0; i < 128 * 64; i++)
		nw1[i] = (float)(i % 5) / 5.0f - 0.5f;
	for (i = 0; i < 64; i++)
		nx[i] = (float)(i % 3) - 1.0f;
	t0 = now_ns();
	for (i = 0; i < n; i++)
		bench_once_naive();
	dt = now_ns() - t0;
	printf("%-14s %10.1f ns/call   (reference: plain C loops, same MLP)\n",
	       "naive_mlp", dt / n);
}

int main(int argc, char **argv)
{
	size_t i;

	kml_mem_init(&mem, "bench", 0);
	if (argc == 3) {
		if (!strcmp(argv[1], "naive_mlp")) {
			run_naive(atol(argv[2]));
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
		const struct workload *w = &workloads[i];
		long n = strncmp(w->name, "mlp", 3) ? 2000000
			 : w->train		    ? 2000
						    : 50000;

		run(w, n / 10, false); /* warm up */
		run(w, n, true);
	}
	run_naive(5000);
	run_naive(50000);
	return 0;
}
