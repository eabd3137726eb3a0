// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * trace_model.c - the regressor of trace_model.h on libkmlib's nn and
 * optim (float32, as the kernel module's float path). User space only:
 * the FPU guard is taken per call for the same discipline as the kernel.
 */
#include <string.h>
#include "kmlib/kmath.h"
#include "kmlib/platform.h"
#include "trace_model.h"

void mqk_model_defaults(struct mqk_model_cfg *cfg, int kind)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->kind = kind;
	cfg->batch = 1;
	cfg->epochs = 20;
	cfg->seed = 1;
	/* sched/mq-kmlib/mqk_model.c and mqk.h: batches of 8 of
	 * standardised features; linear: SGD with the normalised-LMS rate
	 * from zero; MLP 8-16-1: Adam 0.01 from PyTorch's random init */
	cfg->batch = 8;
	cfg->standardise = true;
	if (kind == MQK_MODEL_MLP) {
		cfg->optim = KML_OPTIM_ADAM;
		cfg->lr = 0.01;
		cfg->hidden = 16;
	} else {
		cfg->optim = KML_OPTIM_SGD;
		cfg->lr = 0.05;
		cfg->nlms_mu = 0.25f;
		cfg->zero_init = true;
	}
}

static int build(struct mqk_model *m, const struct mqk_model_cfg *cfg)
{
	int h;
	int ret;

	ret = kml_nn_create(&m->net, &m->mem, KML_NN_F32, 8);
	if (ret)
		return ret;
	m->x = kml_nn_input_vec(m->net, MQK_NFEAT, 0);
	if (cfg->kind == MQK_MODEL_MLP) {
		h = kml_nn_linear(m->net, m->x, cfg->hidden, true);
		h = kml_nn_relu(m->net, h);
		m->y = kml_nn_linear(m->net, h, 1, true);
	} else {
		m->y = kml_nn_linear(m->net, m->x, 1, true);
	}
	m->target = kml_nn_input_vec(m->net, 1, 0);
	m->loss = kml_nn_mse(m->net, m->y, m->target, KML_NN_MEAN);
	if (m->loss < 0)
		return m->loss; /* node errors propagate through the ids */
	return kml_nn_prepare(m->net, cfg->batch);
}

static int zero_params(struct mqk_model *m)
{
	void *params;
	size_t n;
	int ret;

	ret = kml_nn_params(m->net, &params, NULL, &n);
	if (!ret)
		memset(params, 0, n * sizeof(float)); /* float 0 is all zeros */
	return ret;
}

int mqk_model_create(struct mqk_model *m, const struct mqk_model_cfg *cfg)
{
	struct kml_optim_cfg ocfg;
	int ret;

	if (!m || !cfg || !cfg->batch || !(cfg->lr > 0) ||
	    (cfg->kind != MQK_MODEL_LINEAR && cfg->kind != MQK_MODEL_MLP) ||
	    (cfg->kind == MQK_MODEL_MLP && !cfg->hidden) ||
	    (cfg->optim != KML_OPTIM_SGD && cfg->optim != KML_OPTIM_ADAM) ||
	    !(cfg->nlms_mu >= 0 && cfg->nlms_mu < 1))
		return KML_EINVAL;
	memset(m, 0, sizeof(*m));
	m->batch = cfg->batch;
	m->nlms_mu = cfg->nlms_mu;
	m->standardise = cfg->standardise;
	ret = kml_mem_init(&m->mem, "mqk-trace", 0);
	ret = ret ?: build(m, cfg);
	if (ret)
		goto fail;
	if (!kml_fpu_begin()) {
		ret = KML_EPERM;
		goto fail;
	}
	ret = kml_nn_init_params(m->net, cfg->seed);
	ret = ret ?: (cfg->zero_init ? zero_params(m) : 0);
	ret = ret ?: kml_optim_defaults(&ocfg, cfg->optim, cfg->lr);
	if (cfg->optim == KML_OPTIM_SGD)
		ocfg.momentum = cfg->momentum;
	kml_fpu_end();
	ret = ret ?: kml_optim_create(&m->opt, &m->mem, m->net, &ocfg);
	if (!ret)
		return 0;
fail:
	mqk_model_destroy(m);
	return ret;
}

void mqk_model_destroy(struct mqk_model *m)
{
	if (!m)
		return;
	kml_optim_destroy(m->opt);
	kml_nn_destroy(m->net);
	m->opt = NULL;
	m->net = NULL;
}

static float q16_to_float(int32_t v)
{
	return (float)v / 65536.0f; /* |v| <= 2^19: exact */
}

#define NORM_RATE (1.0f / 64.0f)
#define NORM_EPS 1e-2f

/* The module's running statistics, one sample at a time. */
static void norm_update(struct mqk_model *m, const int32_t *q)
{
	size_t j;

	for (j = 0; j < MQK_NFEAT; j++) {
		float x = q16_to_float(q[j]), d;

		if (!m->norm_ready) {
			m->mean[j] = x;
			m->var[j] = 0.0f;
			continue;
		}
		d = x - m->mean[j];
		m->mean[j] += NORM_RATE * d;
		m->var[j] += NORM_RATE * (d * d - m->var[j]);
	}
	m->norm_ready = true;
}

static int fill(struct mqk_model *m, int node, size_t i, const int32_t *q,
		size_t n)
{
	bool z = node == m->x && m->standardise;
	void *data;
	size_t count, k;
	int ret;

	ret = kml_nn_value(m->net, node, &data, &count);
	if (ret)
		return ret;
	if ((i + 1) * n > count)
		return KML_EDOM;
	for (k = 0; k < n; k++) {
		float v = q16_to_float(q[k]);

		/* before any statistics: mean 0, variance 0 */
		if (z)
			v = (v - m->mean[k]) *
			    (1.0f / kml_sqrtf(m->var[k] + NORM_EPS));
		((float *)data)[i * n + k] = v;
	}
	return 0;
}

int mqk_model_predict(struct mqk_model *m, const int32_t x[MQK_NFEAT],
		      double *pred)
{
	void *data;
	size_t count;
	int ret;

	if (!m || !m->net || !x || !pred)
		return KML_EINVAL;
	if (!kml_fpu_begin())
		return KML_EPERM;
	ret = kml_nn_set_batch(m->net, 1);
	ret = ret ?: fill(m, m->x, 0, x, MQK_NFEAT);
	ret = ret ?: kml_nn_forward_to(m->net, m->y);
	ret = ret ?: kml_nn_value(m->net, m->y, &data, &count);
	if (!ret)
		*pred = ((float *)data)[0];
	kml_fpu_end();
	return ret;
}

/* The module's rate: mu / (1 + mean |x|^2) over the filled inputs. */
static int nlms_rate(struct mqk_model *m, size_t n, float *rate)
{
	float norm = 0.0f;
	size_t i, count;
	void *data;
	int ret;

	ret = kml_nn_value(m->net, m->x, &data, &count);
	if (ret)
		return ret;
	for (i = 0; i < n * MQK_NFEAT && i < count; i++)
		norm += ((float *)data)[i] * ((float *)data)[i];
	*rate = m->nlms_mu / (1.0f + norm / (float)n);
	return 0;
}

int mqk_model_train(struct mqk_model *m, const int32_t (*x)[MQK_NFEAT],
		    const int32_t *target, size_t n)
{
	size_t i;
	int ret;

	if (!m || !m->net || !x || !target || !n || n > m->batch)
		return KML_EINVAL;
	if (!kml_fpu_begin())
		return KML_EPERM;
	ret = kml_nn_set_batch(m->net, n);
	/* as the module: the statistics move over the batch first */
	for (i = 0; m->standardise && i < n; i++)
		norm_update(m, x[i]);
	for (i = 0; !ret && i < n; i++) {
		ret = fill(m, m->x, i, x[i], MQK_NFEAT);
		ret = ret ?: fill(m, m->target, i, &target[i], 1);
	}
	if (!ret && m->nlms_mu > 0) {
		float rate;

		ret = nlms_rate(m, n, &rate);
		ret = ret ?: kml_optim_set_lr(m->opt, rate);
	}
	ret = ret ?: kml_optim_train_step(m->opt, m->loss);
	kml_fpu_end();
	return ret;
}
