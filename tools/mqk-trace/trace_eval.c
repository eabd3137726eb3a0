// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * trace_eval.c - the paper and online protocols over a dataset, and the
 * scores (accuracy, majority baseline, precision/recall of "miss", MAE).
 */
#include <stdlib.h>
#include <string.h>
#include "kmlib/status.h"
#include "trace_eval.h"

int mqk_dataset_make(struct mqk_dataset *d, const struct mqk_trace *t)
{
	size_t i, n;

	if (!d || !t)
		return KML_EINVAL;
	memset(d, 0, sizeof(*d));
	n = t->n ? t->n : 1;
	d->x = calloc(n, sizeof(*d->x));
	d->target = calloc(n, sizeof(*d->target));
	if (!d->x || !d->target) {
		mqk_dataset_free(d);
		return KML_ENOMEM;
	}
	for (i = 0; i < t->n; i++) {
		mqk_features(&t->s[i], d->x[i]);
		d->target[i] = mqk_target(&t->s[i]);
	}
	d->n = t->n;
	return 0;
}

void mqk_dataset_free(struct mqk_dataset *d)
{
	if (!d)
		return;
	free(d->x);
	free(d->target);
	memset(d, 0, sizeof(*d));
}

void mqk_score_add(struct mqk_score *sc, const struct mqk_sample *s,
		   double pred)
{
	bool miss = s->slack_us < 0, said_miss = pred < 0;
	double err = pred * (double)s->deadline_us - (double)s->slack_us;

	sc->n++;
	if (miss)
		*(said_miss ? &sc->tp : &sc->fn) += 1;
	else
		*(said_miss ? &sc->fp : &sc->tn) += 1;
	sc->abs_err_us += err < 0 ? -err : err;
}

static double ratio(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : -1.0;
}

double mqk_score_accuracy(const struct mqk_score *sc)
{
	return ratio(sc->tp + sc->tn, sc->n);
}

double mqk_score_majority(const struct mqk_score *sc)
{
	uint64_t miss = sc->tp + sc->fn, met = sc->fp + sc->tn;

	return ratio(miss > met ? miss : met, sc->n);
}

double mqk_score_precision(const struct mqk_score *sc)
{
	return ratio(sc->tp, sc->tp + sc->fp);
}

double mqk_score_recall(const struct mqk_score *sc)
{
	return ratio(sc->tp, sc->tp + sc->fn);
}

double mqk_score_mae_us(const struct mqk_score *sc)
{
	return sc->n ? sc->abs_err_us / (double)sc->n : -1.0;
}

/* Train on samples [from, to) in steps of cfg->batch. */
static int train_range(struct mqk_model *m, const struct mqk_dataset *d,
		       size_t from, size_t to)
{
	size_t i, n;
	int ret = 0;

	for (i = from; !ret && i < to; i += n) {
		n = to - i < m->batch ? to - i : m->batch;
		ret = mqk_model_train(m, &d->x[i], &d->target[i], n);
	}
	return ret;
}

static bool usable(const struct mqk_trace *t, const struct mqk_dataset *d,
		   const struct mqk_model_cfg *cfg)
{
	return t && d && cfg && d->n == t->n && (d->x || !d->n);
}

int mqk_eval_paper(const struct mqk_trace *t, const struct mqk_dataset *d,
		   const struct mqk_model_cfg *cfg, size_t n_train,
		   struct mqk_score *test)
{
	struct mqk_model m;
	uint32_t e;
	size_t i;
	int ret;

	if (!usable(t, d, cfg) || !test || !n_train || !cfg->epochs)
		return KML_EINVAL;
	memset(test, 0, sizeof(*test));
	if (t->n <= n_train)
		return KML_ERANGE;
	ret = mqk_model_create(&m, cfg);
	if (ret)
		return ret;
	for (e = 0; !ret && e < cfg->epochs; e++)
		ret = train_range(&m, d, 0, n_train);
	for (i = n_train; !ret && i < t->n; i++) {
		double pred;

		ret = mqk_model_predict(&m, d->x[i], &pred);
		if (!ret)
			mqk_score_add(test, &t->s[i], pred);
	}
	mqk_model_destroy(&m);
	return ret;
}

int mqk_eval_online(const struct mqk_trace *t, const struct mqk_dataset *d,
		    const struct mqk_model_cfg *cfg, size_t last_n,
		    struct mqk_score *all, struct mqk_score *last)
{
	struct mqk_model m;
	size_t i, j, n, first_last;
	int ret;

	if (!usable(t, d, cfg) || !all || !last)
		return KML_EINVAL;
	memset(all, 0, sizeof(*all));
	memset(last, 0, sizeof(*last));
	first_last = t->n > last_n ? t->n - last_n : 0;
	ret = mqk_model_create(&m, cfg);
	if (ret)
		return ret;
	for (i = 0; !ret && i < t->n; i += n) {
		n = t->n - i < m.batch ? t->n - i : m.batch;
		for (j = i; !ret && j < i + n; j++) {
			double pred;

			ret = mqk_model_predict(&m, d->x[j], &pred);
			if (ret)
				break;
			mqk_score_add(all, &t->s[j], pred);
			if (j >= first_last)
				mqk_score_add(last, &t->s[j], pred);
		}
		ret = ret ?: mqk_model_train(&m, &d->x[i], &d->target[i], n);
	}
	mqk_model_destroy(&m);
	return ret;
}

void mqk_eval_recorded(const struct mqk_trace *t, struct mqk_score *sc)
{
	size_t i;

	memset(sc, 0, sizeof(*sc));
	for (i = 0; t->has_predicted && i < t->n; i++) {
		const struct mqk_sample *s = &t->s[i];
		bool predicted = t->has_flags
				     ? (s->flags & MQK_SF_PREDICTED) != 0
				     : s->predicted_us != 0;

		if (predicted && s->deadline_us)
			mqk_score_add(sc, s,
				      (double)s->predicted_us / s->deadline_us);
	}
}
