// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * trainer_compute.c - the FPU half of the trainer: parameter init, one
 * training step (gate evaluation first, then forward/backward/update) and
 * forward passes on private inference nets. Every function here runs
 * between kml_fpu_begin() and kml_fpu_end(), never allocates and never
 * sleeps; the orchestration (trainer.c, trainer_threads.c) holds no float.
 */
#include "trainer_internal.h"

int kml_trainer_fpu_init(struct kml_trainer *tr)
{
	return kml_nn_init_params(tr->model.net, tr->cfg.init_seed);
}

/* The class the gate sees for output/target vector @v of sample @s. */
static uint32_t reg_class(const struct kml_trainer *tr, const void *v, size_t s)
{
	double x;

	if (tr->elem == sizeof(float))
		x = ((const float *)v)[s * tr->cfg.n_outputs];
	else
		x = ((const double *)v)[s * tr->cfg.n_outputs];
	return x >= tr->cfg.gate_threshold;
}

static uint32_t argmax(const struct kml_trainer *tr, const void *v, size_t s)
{
	uint32_t k, n = tr->cfg.n_outputs, best = 0;

	if (tr->elem == sizeof(float)) {
		const float *x = (const float *)v + s * n;

		for (k = 1; k < n; k++)
			if (x[k] > x[best])
				best = k;
	} else {
		const double *x = (const double *)v + s * n;

		for (k = 1; k < n; k++)
			if (x[k] > x[best])
				best = k;
	}
	return best;
}

/* Score the current model on the batch before it learns from it. */
static int gate_evaluate(struct kml_trainer *tr, const void *target)
{
	const struct kml_trainer_model *m = &tr->model;
	uint32_t b, n = tr->cfg.batch;
	size_t count;
	void *out;
	int ret;

	ret = kml_nn_forward_to(m->net, m->output);
	ret = ret ?: kml_nn_value(m->net, m->output, &out, &count);
	if (ret)
		return ret;
	for (b = 0; b < n; b++) {
		if (tr->cfg.task == KML_TRAINER_CLASSIFY) {
			tr->gate_pred[b] = argmax(tr, out, b);
			tr->gate_truth[b] =
			    (uint32_t)((const int32_t *)target)[b];
		} else {
			tr->gate_pred[b] = reg_class(tr, out, b);
			tr->gate_truth[b] = reg_class(tr, target, b);
		}
	}
	return kml_gate_record_batch(tr->gate, tr->gate_pred, tr->gate_truth,
				     n);
}

/*
 * Copy a few bytes, a multiple of 4 (values are 4 or 8 bytes, labels 4),
 * as 4-byte moves: for the usual 4-12 byte features and targets this is
 * cheaper than a memcpy call of a variable size.
 */
static inline void copy_words(uint8_t *dst, const uint8_t *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += 4) {
		uint32_t w;

		kml_memcpy(&w, src + i, 4);
		kml_memcpy(dst + i, &w, 4);
	}
}

int kml_trainer_fpu_step(struct kml_trainer *tr)
{
	const struct kml_trainer_model *m = &tr->model;
	const uint8_t *rec = tr->batch_buf;
	uint8_t *x, *y;
	size_t count;
	uint32_t b;
	int ret;

	ret = kml_nn_value(m->net, m->input, (void **)&x, &count);
	ret = ret ?: kml_nn_value(m->net, m->target, (void **)&y, &count);
	if (ret)
		return ret;
	/* records are features then target: split into the two inputs */
	for (b = 0; b < tr->cfg.batch; b++, rec += tr->record_size) {
		copy_words(x + b * tr->feat_bytes, rec, tr->feat_bytes);
		copy_words(y + b * tr->target_bytes, rec + tr->feat_bytes,
			   tr->target_bytes);
	}
	if (tr->gate) {
		ret = gate_evaluate(tr, y);
		if (ret)
			return ret;
	}
	return kml_optim_train_step(tr->opt, m->loss);
}

int kml_trainer_fpu_forward(struct kml_trainer *tr,
			    struct kml_trainer_reader *rd, const void *features,
			    size_t stride, uint32_t n, void *out,
			    size_t out_stride)
{
	const struct kml_trainer_model *m = &rd->model;
	const uint8_t *src = features;
	uint8_t *x, *y, *dst = out;
	size_t count;
	uint32_t b;
	int ret;

	ret = kml_nn_set_batch(m->net, n);
	ret = ret ?: kml_nn_value(m->net, m->input, (void **)&x, &count);
	if (ret)
		return ret;
	for (b = 0; b < n; b++)
		kml_memcpy(x + b * tr->feat_bytes, src + b * stride,
			   tr->feat_bytes);
	ret = kml_nn_forward_to(m->net, m->output);
	ret = ret ?: kml_nn_value(m->net, m->output, (void **)&y, &count);
	if (ret)
		return ret;
	for (b = 0; b < n; b++)
		kml_memcpy(dst + b * out_stride, y + b * tr->out_bytes,
			   tr->out_bytes);
	return KML_OK;
}

int kml_trainer_predict(struct kml_trainer *tr, uint32_t reader,
			const void *features, uint32_t n_samples, void *out,
			uint64_t *version)
{
	struct kml_trainer_reader *rd;
	int ret, fwd;

	if (!tr || !features || !out || !n_samples ||
	    n_samples > tr->cfg.batch || reader >= tr->cfg.readers)
		return KML_EINVAL;
	rd = &tr->readers[reader];
	if (kml_atomic_cmpxchg(&rd->busy, 0, 1) != 0)
		return KML_EBUSY;
	ret = kml_trainer_reader_refresh(tr, rd);
	if (rd->have) {
		fwd = kml_trainer_fpu_forward(tr, rd, features, tr->feat_bytes,
					      n_samples, out, tr->out_bytes);
		if (fwd)
			ret = fwd;
		if (version)
			*version = rd->version;
	}
	kml_atomic_store_release(&rd->busy, 0);
	return ret;
}
