// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * bench_model.c - saving and loading a model file: the MLP 64-128-128-10
 * (float32, 26,122 parameters) with its Adam state (3 blocks, 314 KB),
 * against references measured in the same run: memcpy of the same number
 * of bytes (the floor for any copy) and kml_crc32 alone over the file.
 * Usage: bench_model [iterations]  (default 200)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kmlib/model.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 200, i, x, h, y;
	struct kml_optim *opt = NULL, *o2;
	struct kml_optim_cfg cfg;
	struct kml_nn *net = NULL, *n2;
	double t0, t_save, t_load, t_crc, t_copy;
	uint8_t *buf, *copy;
	struct kml_mem mem;
	size_t size, w;
	uint32_t crc = 0;

	kml_mem_init(&mem, "bench", 0);
	kml_nn_create(&net, &mem, KML_NN_F32, 8);
	x = kml_nn_input_vec(net, 64, 0);
	h = kml_nn_relu(net, kml_nn_linear(net, x, 128, true));
	h = kml_nn_relu(net, kml_nn_linear(net, h, 128, true));
	y = kml_nn_linear(net, h, 10, true);
	kml_nn_cross_entropy(net, y, kml_nn_labels(net), KML_NN_MEAN);
	if (kml_nn_prepare(net, 32) || !kml_fpu_begin())
		return 1;
	kml_nn_init_params(net, 1);
	kml_optim_defaults(&cfg, KML_OPTIM_ADAM, 0.01);
	kml_fpu_end();
	if (kml_optim_create(&opt, &mem, net, &cfg) ||
	    kml_model_size(net, opt, &size))
		return 1;
	buf = malloc(size);
	copy = malloc(size);
	if (!buf || !copy || iters < 1)
		return 1;
	kml_model_save(net, opt, buf, size, &w);

	t0 = now();
	for (i = 0; i < iters; i++)
		kml_model_save(net, opt, buf, size, &w);
	t_save = (now() - t0) / iters;
	t0 = now();
	for (i = 0; i < iters; i++) {
		if (kml_model_load(&mem, buf, w, 32, &n2, &o2))
			return 1;
		kml_optim_destroy(o2);
		kml_nn_destroy(n2);
	}
	t_load = (now() - t0) / iters;
	t0 = now();
	for (i = 0; i < iters; i++) {
		crc = 0;
		kml_crc32(&crc, buf, w);
	}
	t_crc = (now() - t0) / iters;
	t0 = now();
	for (i = 0; i < iters; i++) {
		memcpy(copy, buf, w);
		__asm__ volatile("" : : "r"(copy) : "memory");
	}
	t_copy = (now() - t0) / iters;

	printf("model file: %zu bytes (MLP 64-128-128-10 f32 + Adam state)\n",
	       w);
	printf("save   %8.1f us  %6.0f MB/s  %5.1fx memcpy\n", t_save * 1e6,
	       w / t_save / 1e6, t_save / t_copy);
	printf(
	    "load   %8.1f us  %6.0f MB/s  %5.1fx memcpy (prepare included)\n",
	    t_load * 1e6, w / t_load / 1e6, t_load / t_copy);
	printf("crc32  %8.1f us  %6.0f MB/s  (in both)\n", t_crc * 1e6,
	       w / t_crc / 1e6);
	printf("memcpy %8.1f us  %6.0f MB/s  (reference)\n", t_copy * 1e6,
	       w / t_copy / 1e6);
	kml_optim_destroy(opt);
	kml_nn_destroy(net);
	free(buf);
	free(copy);
	return crc == 0xdeadbeef; /* keep the CRC live */
}
