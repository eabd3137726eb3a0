// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The float code of mq-kmlib (compiled with FPU flags, Kbuild): every
 * function here runs between kml_fpu_begin() and kml_fpu_end(), in the
 * training thread only. Never sleeps, never allocates.
 */
#include "mqk.h"
#include "mqk_model.h"

/* Features are O(1) and targets in [-8, 8]: a plain SGD rate that
 * converges in a few hundred samples without diverging. */
#define MQK_LR 0.05

int mqk_model_optim_cfg(struct kml_optim_cfg *cfg)
{
	return kml_optim_defaults(cfg, KML_OPTIM_SGD, MQK_LR);
}

int mqk_model_init_params(struct mqk_model *m, uint64_t seed)
{
	float *p;
	void *params;
	size_t i, n;
	int ret = kml_nn_init_params(m->net, seed);

	if (ret)
		return ret;
	/* start from "no opinion" (slack 0): predictions mean something
	 * only once trained */
	ret = kml_nn_params(m->net, &params, NULL, &n);
	if (ret)
		return ret;
	p = params;
	for (i = 0; i < n; i++)
		p[i] = 0.0f;
	return 0;
}

static int32_t mqk_to_q16(float v)
{
	float s = v * (float)MQK_FEAT_ONE;

	if (!(s > -2147483520.0f)) /* NaN too */
		return s != s ? 0 : INT_MIN;
	if (s >= 2147483520.0f)
		return INT_MAX;
	return (int32_t)(s >= 0 ? s + 0.5f : s - 0.5f);
}

int mqk_model_train(struct mqk_model *m, const struct mqk_sample *s,
		    size_t n, int32_t *w_q16)
{
	void *xv, *yv, *pv;
	float *x, *y, *p;
	int32_t f[MQK_NFEAT];
	size_t i, j, cnt, np;
	int ret;

	if (!n || n > MQK_BATCH)
		return KML_EINVAL;
	ret = kml_nn_set_batch(m->net, n);
	if (!ret)
		ret = kml_nn_value(m->net, m->input, &xv, &cnt);
	if (!ret)
		ret = kml_nn_value(m->net, m->target, &yv, &cnt);
	if (ret)
		return ret;
	x = xv;
	y = yv;
	for (i = 0; i < n; i++) {
		mqk_features(&s[i], f);
		for (j = 0; j < MQK_NFEAT; j++)
			x[i * MQK_NFEAT + j] = (float)f[j] / (float)MQK_FEAT_ONE;
		y[i] = (float)mqk_target(&s[i]) / (float)MQK_FEAT_ONE;
	}
	ret = kml_optim_train_step(m->opt, m->loss);
	if (!ret)
		ret = kml_nn_params(m->net, &pv, NULL, &np);
	if (ret)
		return ret;
	if (np != MQK_NW)
		return KML_EINVAL;
	/* the linear layer's A (MQK_NFEAT x 1) then b: our order already */
	p = pv;
	for (i = 0; i < MQK_NW; i++)
		w_q16[i] = mqk_to_q16(p[i]);
	return 0;
}
