// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * kmlib-trainer --format mqk: the module's linear model (built by the
 * module's own mqk_net.c, trained by its mqk_model.c) in user space.
 */
#include <stdlib.h>
#include "kmlib/platform.h"
#include "kmlib/status.h"
#include "mqk_kernel_model.h"
#include "mqk_train.h"

/* the module's seed (the linear model starts from zeros anyway) */
#define MQK_TRAINER_SEED 0x6d716b6dull

struct mqk_trainer {
	struct kml_mem mem;
	struct mqk_model m;
	int32_t w[MQK_SHARED_NW];
	uint64_t steps;
	struct mqk_score own;
};

int mqk_trainer_create(struct mqk_trainer **out)
{
	struct mqk_trainer *t;
	int ret;

	if (!out)
		return KML_EINVAL;
	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return KML_ENOMEM;
	ret = kml_mem_init(&t->mem, "mqk-trainer", 0);
	if (!ret)
		ret = mqk_net_build(&t->m, &t->mem, MQK_MODEL_LINEAR,
				    MQK_TRAINER_SEED);
	if (ret) {
		mqk_trainer_destroy(t);
		return ret;
	}
	*out = t;
	return KML_OK;
}

void mqk_trainer_destroy(struct mqk_trainer *t)
{
	if (!t)
		return;
	mqk_net_destroy(&t->m);
	free(t);
}

int64_t mqk_predict_q16(const int32_t w[MQK_SHARED_NW],
			const struct mqk_sample *s)
{
	int32_t x[MQK_NFEAT];
	int64_t acc = (int64_t)w[MQK_NFEAT] * MQK_FEAT_ONE;
	int i;

	mqk_features(s, x);
	for (i = 0; i < MQK_NFEAT; i++)
		acc += (int64_t)w[i] * x[i];
	return acc >> 16; /* arithmetic, as the module's s64 shift */
}

static void score_add(struct mqk_score *sc, bool pred_miss,
		      const struct mqk_sample *s)
{
	bool miss = s->slack_us < 0;

	sc->n++;
	sc->hits += pred_miss == miss;
	sc->misses += miss;
}

void mqk_score_recorded(struct mqk_score *sc, const struct mqk_sample *s,
			size_t n)
{
	size_t i;

	for (i = 0; sc && s && i < n; i++)
		if (s[i].flags & MQK_SF_PREDICTED)
			score_add(sc, s[i].flags & MQK_SF_PRED_MISS, &s[i]);
}

double mqk_score_majority(const struct mqk_score *sc)
{
	uint64_t big;

	if (!sc || !sc->n)
		return 0;
	big = sc->misses > sc->n - sc->misses ? sc->misses : sc->n - sc->misses;
	return (double)big / (double)sc->n;
}

double mqk_score_accuracy(const struct mqk_score *sc)
{
	return sc && sc->n ? (double)sc->hits / (double)sc->n : 0;
}

int mqk_trainer_step(struct mqk_trainer *t, const struct mqk_sample *s,
		     size_t n, double *loss)
{
	double se = 0;
	size_t i;
	int ret = KML_EAGAIN;

	if (!t || !s || !n || n > MQK_SHARED_BATCH)
		return KML_EINVAL;
	for (i = 0; i < n; i++) {
		int64_t p = mqk_predict_q16(t->w, &s[i]);
		double e = (double)(p - mqk_target(&s[i])) / MQK_FEAT_ONE;

		se += e * e;
		if (t->steps)
			score_add(&t->own, p < 0, &s[i]);
	}
	if (loss)
		*loss = se / (double)n;
	if (kml_fpu_begin()) {
		ret = mqk_model_train(&t->m, s, n, t->w);
		kml_fpu_end();
	}
	if (!ret)
		t->steps++;
	return ret;
}

const int32_t *mqk_trainer_weights(const struct mqk_trainer *t)
{
	return t ? t->w : NULL;
}

const struct mqk_score *mqk_trainer_score(const struct mqk_trainer *t)
{
	return t ? &t->own : NULL;
}
