// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * linreg.c - kmlib-trainer's model on libkmlib: input -> linear (bias)
 * -> MSE against the target, trained by SGD through kml_optim_train_step.
 * libkmlib keeps the linear layer's parameters as W then b, the layout
 * the channel publishes, so get/set are plain copies.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "kmlib/nn.h"
#include "kmlib/optim.h"
#include "linreg.h"

struct linreg {
	struct kml_mem mem;
	struct kml_nn *net;
	struct kml_optim *opt;
	int in, out, target, loss;
	uint32_t n_in, n_out, batch;
};

void linreg_destroy(struct linreg *m)
{
	if (!m)
		return;
	kml_optim_destroy(m->opt);
	kml_nn_destroy(m->net);
	free(m);
}

int linreg_create(struct linreg **out, uint32_t n_in, uint32_t n_out,
		  uint32_t batch, double lr, uint64_t seed)
{
	struct kml_optim_cfg oc;
	struct linreg *m;
	int ret;

	*out = NULL;
	if (!n_in || !n_out || !batch)
		return KML_EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return KML_ENOMEM;
	m->n_in = n_in;
	m->n_out = n_out;
	m->batch = batch;
	kml_mem_init(&m->mem, "kmlib-trainer", 0);
	ret = kml_nn_create(&m->net, &m->mem, KML_NN_F32, 8);
	if (ret)
		goto fail;
	m->in = kml_nn_input_vec(m->net, n_in, 0);
	m->out = kml_nn_linear(m->net, m->in, n_out, true);
	m->target = kml_nn_input_vec(m->net, n_out, 0);
	m->loss = kml_nn_mse(m->net, m->out, m->target, KML_NN_MEAN);
	ret = m->loss < 0 ? m->loss : kml_nn_prepare(m->net, batch);
	if (!ret)
		ret = kml_nn_init_params(m->net, seed);
	if (!ret)
		ret = kml_optim_defaults(&oc, KML_OPTIM_SGD, lr);
	if (!ret)
		ret = kml_optim_create(&m->opt, &m->mem, m->net, &oc);
	if (ret)
		goto fail;
	*out = m;
	return KML_OK;
fail:
	linreg_destroy(m);
	return ret;
}

int linreg_step(struct linreg *m, const float *recs, double tol, double *loss,
		uint32_t *hits)
{
	size_t cnt, rec = m->n_in + m->n_out;
	float *x, *y, *pred, *l;
	uint32_t i, j;
	int ret;

	ret = kml_nn_value(m->net, m->in, (void **)&x, &cnt);
	if (!ret)
		ret = kml_nn_value(m->net, m->target, (void **)&y, &cnt);
	if (ret)
		return ret;
	for (i = 0; i < m->batch; i++) {
		memcpy(x + i * m->n_in, recs + i * rec,
		       m->n_in * sizeof(float));
		memcpy(y + i * m->n_out, recs + i * rec + m->n_in,
		       m->n_out * sizeof(float));
	}
	ret = kml_optim_train_step(m->opt, m->loss);
	if (!ret)
		ret = kml_nn_value(m->net, m->loss, (void **)&l, &cnt);
	if (!ret)
		ret = kml_nn_value(m->net, m->out, (void **)&pred, &cnt);
	if (ret)
		return ret;
	*loss = l[0];
	*hits = 0;
	for (i = 0; i < m->batch; i++)
		for (j = 0; j < m->n_out; j++)
			if (fabs(pred[i * m->n_out + j] -
				 y[i * m->n_out + j]) <= tol)
				(*hits)++;
	return KML_OK;
}

size_t linreg_params_bytes(const struct linreg *m)
{
	return (size_t)m->n_out * (m->n_in + 1) * sizeof(float);
}

int linreg_get(struct linreg *m, void *dst, size_t size)
{
	void *p, *g;
	size_t n;
	int ret = kml_nn_params(m->net, &p, &g, &n);

	if (ret)
		return ret;
	if (size != linreg_params_bytes(m) || n * sizeof(float) != size)
		return KML_EINVAL;
	memcpy(dst, p, size);
	return KML_OK;
}

int linreg_set(struct linreg *m, const void *src, size_t size)
{
	void *p, *g;
	size_t n;
	int ret = kml_nn_params(m->net, &p, &g, &n);

	if (ret)
		return ret;
	if (size != linreg_params_bytes(m) || n * sizeof(float) != size)
		return KML_EINVAL;
	memcpy(p, src, size);
	return KML_OK;
}
