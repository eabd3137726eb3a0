// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qtrain.c - the fixed-point MLP: creation, parameters, initialisation
 * (nofpu: no float anywhere in this file).
 */
#include "kmlib/qtrain.h"
#include "kmlib/fixed.h"
#include "qtrain_impl.h"

static bool pow2(size_t v)
{
	return v && !(v & (v - 1));
}

static int check_cfg(const struct kml_qtrain_cfg *c)
{
	if (c->frac < 1 || c->frac > 14 || c->grad_frac > 15 ||
	    c->grad_frac > 2 * c->frac - 1 || c->lr_q15 < 1 ||
	    c->lr_q15 > 32767 || c->hidden_act > KML_QACT_TANH ||
	    c->round > KML_QROUND_STOCHASTIC)
		return KML_EINVAL;
	return KML_OK;
}

/* int16 elements of one layer: w, gw (in x out), b, gb, z, h. */
static bool layer_elems(uint32_t in, uint32_t out, size_t batch, size_t *n)
{
	size_t w, zb;

	return kml_size_mul(in, out, &w) && kml_size_mul(w, 2, &w) &&
	       kml_size_mul(batch, out, &zb) && kml_size_mul(zb, 2, &zb) &&
	       kml_size_add(w, zb, n) && kml_size_add(*n, 2 * (size_t)out, n);
}

int kml_qmlp_create(struct kml_qmlp **out, struct kml_mem *mem,
		    const uint32_t *sizes, uint32_t n_layers, size_t max_batch,
		    const struct kml_qtrain_cfg *cfg)
{
	struct kml_qmlp *q;
	size_t total = 0, n, d;
	uint32_t l, width = 0;
	int16_t *p;
	int err;

	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!mem || !sizes || !cfg || !n_layers ||
	    n_layers > KML_QMLP_MAX_LAYERS || !pow2(max_batch) ||
	    max_batch > KML_QMLP_MAX_BATCH)
		return KML_EINVAL;
	err = check_cfg(cfg);
	if (err)
		return err;
	for (l = 0; l <= n_layers; l++) {
		if (!sizes[l])
			return KML_EINVAL;
		if (sizes[l] > KML_QMLP_MAX_WIDTH)
			return KML_EOVERFLOW;
		if (sizes[l] > width)
			width = sizes[l];
	}
	for (l = 0; l < n_layers; l++)
		if (!layer_elems(sizes[l], sizes[l + 1], max_batch, &n) ||
		    !kml_size_add(total, n, &total))
			return KML_EOVERFLOW;
	/* two delta buffers of max_batch x widest */
	if (!kml_size_mul(max_batch, width, &d) ||
	    !kml_size_add(total, 2 * d, &total) ||
	    !kml_size_mul(total, sizeof(int16_t), &total))
		return KML_EOVERFLOW;

	err = kml_alloc(mem, sizeof(*q), KML_MEM_ZERO, (void **)&q);
	if (err)
		return err;
	err = kml_alloc(mem, total, KML_MEM_ZERO, &q->block);
	if (err) {
		kml_free(mem, q);
		return err;
	}
	q->mem = mem;
	q->cfg = *cfg;
	kml_prng_seed(&q->prng, cfg->seed);
	q->n_layers = n_layers;
	q->width = width;
	q->max_batch = max_batch;
	p = q->block;
	for (l = 0; l < n_layers; l++) {
		struct qmlp_layer *ly = &q->layer[l];
		size_t wn = (size_t)sizes[l] * sizes[l + 1];
		size_t zn = max_batch * sizes[l + 1];

		ly->in = sizes[l];
		ly->out = sizes[l + 1];
		ly->w = p;
		ly->gw = p + wn;
		ly->b = p + 2 * wn;
		ly->gb = ly->b + ly->out;
		ly->z = ly->gb + ly->out;
		ly->h = ly->z + zn;
		p = ly->h + zn;
	}
	q->delta[0] = p;
	q->delta[1] = p + d;
	*out = q;
	return KML_OK;
}

void kml_qmlp_destroy(struct kml_qmlp *q)
{
	if (!q)
		return;
	kml_free(q->mem, q->block);
	kml_free(q->mem, q);
}

int kml_qmlp_layer(struct kml_qmlp *q, uint32_t l, int16_t **weight,
		   int16_t **bias, uint32_t *in, uint32_t *out)
{
	if (!q || l >= q->n_layers)
		return KML_EINVAL;
	if (weight)
		*weight = q->layer[l].w;
	if (bias)
		*bias = q->layer[l].b;
	if (in)
		*in = q->layer[l].in;
	if (out)
		*out = q->layer[l].out;
	return KML_OK;
}

int kml_qmlp_grads(const struct kml_qmlp *q, uint32_t l, const int16_t **gw,
		   const int16_t **gb)
{
	if (!q || l >= q->n_layers || !gw || !gb)
		return KML_EINVAL;
	*gw = q->layer[l].gw;
	*gb = q->layer[l].gb;
	return KML_OK;
}

static uint32_t isqrt(uint32_t v)
{
	uint32_t r = 0;

	while ((r + 1) * (r + 1) <= v)
		r++;
	return r;
}

int kml_qmlp_init(struct kml_qmlp *q, uint64_t seed)
{
	struct kml_prng r;
	uint32_t l;
	size_t i;

	if (!q)
		return KML_EINVAL;
	kml_prng_seed(&r, seed);
	for (l = 0; l < q->n_layers; l++) {
		struct qmlp_layer *ly = &q->layer[l];
		int32_t lim = (1 << q->cfg.frac) / (int32_t)isqrt(ly->in);

		for (i = 0; i < (size_t)ly->in * ly->out; i++)
			ly->w[i] =
			    (int16_t)((int32_t)kml_prng_below(&r, 2 * lim + 1) -
				      lim);
		kml_memset(ly->b, 0, ly->out * sizeof(int16_t));
	}
	return KML_OK;
}
