// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The float code of mq-kmlib (compiled with FPU flags, Kbuild): every
 * function here runs between kml_fpu_begin() and kml_fpu_end(), in the
 * training thread only. Never sleeps, never allocates.
 */
#include "mqk.h"
#include "mqk_model.h"
#include "kmlib/kmath.h"

/*
 * Normalised LMS: features reach 8 (|x|^2 up to 513 with the bias), so a
 * fixed rate either diverges on large inputs or crawls on small ones.
 * Each step uses lr = MQK_MU / (1 + mean |x|^2 of the batch): stable for
 * MQK_MU < 1 (MSE's gradient is 2 e x).
 */
#define MQK_MU 0.25f
#define MQK_LR 0.05

/* Adam's rate for the MLP (its steps are scale-free already) */
#define MQK_MLP_LR 0.01

int mqk_model_optim_cfg(struct kml_optim_cfg *cfg, int kind)
{
	if (kind == MQK_MODEL_MLP)
		return kml_optim_defaults(cfg, KML_OPTIM_ADAM, MQK_MLP_LR);
	return kml_optim_defaults(cfg, KML_OPTIM_SGD, MQK_LR);
}

int mqk_model_init_params(struct mqk_model *m, uint64_t seed)
{
	float *p;
	void *params;
	size_t i, n;
	int ret = kml_nn_init_params(m->net, seed);

	/* the MLP keeps PyTorch's random init (symmetry breaking) */
	if (ret || m->kind == MQK_MODEL_MLP)
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

/* feature statistics: exponential moving averages, 1/64 per sample */
#define MQK_NORM_RATE (1.0f / 64.0f)
#define MQK_NORM_EPS 1e-2f

static void mqk_norm_update(struct mqk_model *m, const float *x, size_t n)
{
	float *mu = (float *)m->norm, *var = mu + MQK_NFEAT;
	size_t i, j;

	for (i = 0; i < n; i++, x += MQK_NFEAT) {
		for (j = 0; j < MQK_NFEAT; j++) {
			float d;

			if (!m->norm_ready) {
				mu[j] = x[j];
				var[j] = 0.0f;
				continue;
			}
			d = x[j] - mu[j];
			mu[j] += MQK_NORM_RATE * d;
			var[j] += MQK_NORM_RATE * (d * d - var[j]);
		}
		m->norm_ready = 1;
	}
}

static float mqk_norm_scale(const struct mqk_model *m, size_t j)
{
	const float *var = (const float *)m->norm + MQK_NFEAT;

	return 1.0f / kml_sqrtf(var[j] + MQK_NORM_EPS);
}

/*
 * MLP export: W1 (MQK_NFEAT x MQK_HIDDEN, input-major as kml_nn stores
 * it) and b1 with the standardisation folded in, then w2 and b2 as they
 * are.
 */
static int mqk_export_mlp(struct mqk_model *m, const float *p, int32_t *w_q16)
{
	const float *mu = (const float *)m->norm;
	size_t off1, n1, off2, n2, i, o;
	int32_t *b1 = w_q16 + MQK_NFEAT * MQK_HIDDEN;
	int ret;

	ret = kml_nn_node_params(m->net, m->hidden, &off1, &n1);
	if (!ret)
		ret = kml_nn_node_params(m->net, m->output, &off2, &n2);
	if (ret)
		return ret;
	if (n1 != MQK_NFEAT * MQK_HIDDEN + MQK_HIDDEN || n2 != MQK_HIDDEN + 1)
		return KML_EINVAL;
	for (o = 0; o < MQK_HIDDEN; o++) {
		float b = p[off1 + MQK_NFEAT * MQK_HIDDEN + o];

		for (i = 0; i < MQK_NFEAT; i++) {
			float w =
			    p[off1 + i * MQK_HIDDEN + o] * mqk_norm_scale(m, i);

			w_q16[i * MQK_HIDDEN + o] = mqk_to_q16(w);
			b -= w * mu[i];
		}
		b1[o] = mqk_to_q16(b);
	}
	for (o = 0; o <= MQK_HIDDEN; o++) /* w2, then b2 */
		b1[MQK_HIDDEN + o] = mqk_to_q16(p[off2 + o]);
	return 0;
}

int mqk_model_train(struct mqk_model *m, const struct mqk_sample *s, size_t n,
		    int32_t *w_q16)
{
	void *xv, *yv, *pv;
	float *x, *y, *p;
	int32_t f[MQK_NFEAT];
	size_t i, j, cnt, np;
	const float *mu;
	float norm, bias;
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
			x[i * MQK_NFEAT + j] =
			    (float)f[j] / (float)MQK_FEAT_ONE;
		y[i] = (float)mqk_target(&s[i]) / (float)MQK_FEAT_ONE;
	}
	/* standardise in place: z = (x - mean) * scale */
	mqk_norm_update(m, x, n);
	mu = (const float *)m->norm;
	norm = 0.0f;
	for (i = 0; i < n; i++) {
		for (j = 0; j < MQK_NFEAT; j++) {
			float *v = &x[i * MQK_NFEAT + j];

			*v = (*v - mu[j]) * mqk_norm_scale(m, j);
			norm += *v * *v;
		}
	}
	ret = m->kind == MQK_MODEL_MLP
		  ? 0
		  : kml_optim_set_lr(m->opt, MQK_MU / (1.0f + norm / (float)n));
	if (!ret)
		ret = kml_optim_train_step(m->opt, m->loss);
	if (!ret)
		ret = kml_nn_params(m->net, &pv, NULL, &np);
	if (ret)
		return ret;
	if (m->kind == MQK_MODEL_MLP)
		return mqk_export_mlp(m, pv, w_q16);
	if (np != MQK_NW)
		return KML_EINVAL;
	/* the linear layer's A (MQK_NFEAT x 1) then b: our order. On raw x:
	 * w_j * scale_j, and b - sum w_j * scale_j * mean_j */
	p = pv;
	bias = p[MQK_NFEAT];
	for (j = 0; j < MQK_NFEAT; j++) {
		float w = p[j] * mqk_norm_scale(m, j);

		w_q16[j] = mqk_to_q16(w);
		bias -= w * mu[j];
	}
	w_q16[MQK_NFEAT] = mqk_to_q16(bias);
	return 0;
}
