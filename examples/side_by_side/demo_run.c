// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * demo_run.c - the integer half of the demo: builds the network and
 * allocates everything first (may sleep), then runs each epoch inside its
 * own FPU section, the way kernel code must use KMLib.
 */
#include "demo_state.h"

static int demo_build(struct demo *d, struct kml_mem *mem)
{
	int h;
	int ret;

	ret = kml_nn_create(&d->net, mem, KML_NN_F32, 16);
	if (ret)
		return ret;
	d->x = kml_nn_input_vec(d->net, 2, 0);
	h = kml_nn_linear(d->net, d->x, 16, true);
	h = kml_nn_tanh(d->net, h);
	h = kml_nn_linear(d->net, h, 16, true);
	h = kml_nn_tanh(d->net, h);
	d->logits = kml_nn_linear(d->net, h, 1, true);
	d->target = kml_nn_input_vec(d->net, 1, 0);
	d->loss = kml_nn_bce_logits(d->net, d->logits, d->target, KML_NN_MEAN);
	if (d->loss < 0)
		return d->loss; /* errors propagate through the node ids */
	return kml_nn_prepare(d->net, KML_DEMO_TEST);
}

static int demo_alloc_data(struct demo *d, struct kml_mem *mem)
{
	int ret;

	ret = kml_alloc_array(mem, KML_DEMO_TRAIN * 2, 4, 0, &d->train_x);
	ret = ret ?: kml_alloc_array(mem, KML_DEMO_TRAIN, 4, 0, &d->train_y);
	ret = ret ?: kml_alloc_array(mem, KML_DEMO_TEST * 2, 4, 0, &d->test_x);
	ret = ret ?: kml_alloc_array(mem, KML_DEMO_TEST, 4, 0, &d->test_y);
	return ret;
}

static void demo_free(struct demo *d, struct kml_mem *mem)
{
	kml_optim_destroy(d->opt);
	kml_nn_destroy(d->net);
	kml_free(mem, d->train_x);
	kml_free(mem, d->train_y);
	kml_free(mem, d->test_x);
	kml_free(mem, d->test_y);
}

static uint64_t fnv1a(const void *buf, size_t n)
{
	const uint8_t *p = buf;
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

int kml_demo_run(struct kml_mem *mem, struct kml_demo_report *rep)
{
	struct demo d = { 0 };
	uint64_t allocs;
	void *params, *grads;
	size_t n;
	uint32_t epoch;
	int ret;

	if (!mem || !rep)
		return KML_EINVAL;
	kml_memset(rep, 0, sizeof(*rep));
	ret = demo_build(&d, mem);
	ret = ret ?: demo_alloc_data(&d, mem);
	if (ret)
		goto out;
	if (!kml_fpu_begin()) {
		ret = KML_EPERM;
		goto out;
	}
	ret = demo_make_data(&d, 2026);
	ret = ret ?: demo_init(&d, 7);
	kml_fpu_end();
	/* the optimizer state is allocated outside the FPU section */
	ret = ret ?: kml_optim_create(&d.opt, mem, d.net, &d.cfg);
	if (ret)
		goto out;

	allocs = kml_mem_alloc_count(mem);
	for (epoch = 1; epoch <= KML_DEMO_EPOCHS && !ret; epoch++) {
		uint32_t loss_bits;

		if (!kml_fpu_begin()) {
			ret = KML_EPERM;
			break;
		}
		ret = demo_train_epoch(&d, &loss_bits);
		kml_fpu_end();
		if (!ret && (epoch == 1 || epoch % KML_DEMO_REPORT_EVERY == 0)) {
			rep->epoch_of[rep->n_loss] = epoch;
			rep->loss_bits[rep->n_loss++] = loss_bits;
		}
	}
	if (!ret && kml_fpu_begin()) {
		ret = demo_evaluate(&d, &rep->test_correct);
		kml_fpu_end();
	}
	rep->allocs_during_training = kml_mem_alloc_count(mem) - allocs;
	if (!ret)
		ret = kml_nn_params(d.net, &params, &grads, &n);
	if (!ret) {
		rep->n_params = n;
		rep->param_digest = fnv1a(params, n * 4);
	}
	rep->peak_bytes = kml_mem_peak(mem);
out:
	demo_free(&d, mem);
	return ret;
}
