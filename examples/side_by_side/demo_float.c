// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* demo_float.c - the float half of the demo (FPU object). */
#include <kmlib/prng.h>
#include "demo_state.h"

/* Points uniform in [-1, 1]^2; label 1 inside the circle of radius 0.7. */
static void make_points(struct kml_prng *r, float *x, float *y, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		float a = 2.0f * kml_prng_float(r) - 1.0f;
		float b = 2.0f * kml_prng_float(r) - 1.0f;

		x[2 * i] = a;
		x[2 * i + 1] = b;
		y[i] = a * a + b * b < 0.49f ? 1.0f : 0.0f;
	}
}

int demo_make_data(struct demo *d, uint64_t seed)
{
	struct kml_prng r;

	kml_prng_seed(&r, seed);
	make_points(&r, d->train_x, d->train_y, KML_DEMO_TRAIN);
	make_points(&r, d->test_x, d->test_y, KML_DEMO_TEST);
	return KML_OK;
}

int demo_init(struct demo *d, uint64_t seed)
{
	int ret;

	ret = kml_nn_init_params(d->net, seed);
	return ret ?: kml_optim_defaults(&d->cfg, KML_OPTIM_ADAM, 0.01);
}

/* Copy @n samples starting at @first into the net's input buffers. */
static int load_batch(struct demo *d, const float *xs, const float *ys,
		      size_t first, size_t n)
{
	void *x, *t;
	size_t cx, ct;
	int ret;

	ret = kml_nn_set_batch(d->net, n);
	ret = ret ?: kml_nn_value(d->net, d->x, &x, &cx);
	ret = ret ?: kml_nn_value(d->net, d->target, &t, &ct);
	if (ret)
		return ret;
	kml_memcpy(x, xs + 2 * first, n * 2 * sizeof(float));
	kml_memcpy(t, ys + first, n * sizeof(float));
	return KML_OK;
}

int demo_train_epoch(struct demo *d, uint32_t *mean_loss_bits)
{
	float sum = 0.0f, mean;
	size_t first;
	int ret = KML_OK;

	for (first = 0; first < KML_DEMO_TRAIN && !ret;
	     first += KML_DEMO_BATCH) {
		void *loss;
		size_t n;

		ret = load_batch(d, d->train_x, d->train_y, first,
				 KML_DEMO_BATCH);
		ret = ret ?: kml_nn_forward(d->net);
		ret = ret ?: kml_nn_backward(d->net, d->loss);
		ret = ret ?: kml_optim_step(d->opt);
		ret = ret ?: kml_nn_value(d->net, d->loss, &loss, &n);
		if (!ret)
			sum += *(float *)loss;
	}
	mean = sum / (KML_DEMO_TRAIN / KML_DEMO_BATCH);
	kml_memcpy(mean_loss_bits, &mean, sizeof(mean));
	return ret;
}

int demo_evaluate(struct demo *d, uint32_t *correct)
{
	const float *ys = d->test_y;
	float *logit;
	size_t i, n;
	int ret;

	ret = load_batch(d, d->test_x, d->test_y, 0, KML_DEMO_TEST);
	ret = ret ?: kml_nn_forward(d->net);
	ret = ret ?: kml_nn_value(d->net, d->logits, (void **)&logit, &n);
	if (ret)
		return ret;
	*correct = 0;
	for (i = 0; i < KML_DEMO_TEST; i++)
		*correct += (logit[i] > 0.0f) == (ys[i] > 0.5f);
	return KML_OK;
}
