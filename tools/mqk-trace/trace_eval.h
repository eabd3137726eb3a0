/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * trace_eval.h - the two evaluation protocols of the trace tool:
 *  - paper: train on the first n_train samples (cfg->epochs passes, in
 *    order, cfg->batch samples per step), then test on the rest;
 *  - online: predict every sample with the current model, then train on
 *    it (with batch B: the B samples are all predicted before the step on
 *    them, as a training thread consuming the ring in batches would).
 * Scores count "miss" (slack < 0) as the positive class.
 */
#ifndef MQK_TRACE_EVAL_H
#define MQK_TRACE_EVAL_H

#include "trace_model.h"
#include "trace_read.h"

struct mqk_score {
	uint64_t n;
	uint64_t tp, fp, fn, tn; /* positive = miss */
	double abs_err_us; /* sum of |predicted - true slack| in us */
};

/* Features and targets of every sample, computed once. */
struct mqk_dataset {
	int32_t (*x)[MQK_NFEAT];
	int32_t *target;
	size_t n;
};

int mqk_dataset_make(struct mqk_dataset *d, const struct mqk_trace *t);
void mqk_dataset_free(struct mqk_dataset *d);

/* Add one prediction (slack in deadline units) of sample @s to @sc. */
void mqk_score_add(struct mqk_score *sc, const struct mqk_sample *s,
		   double pred);
double mqk_score_accuracy(const struct mqk_score *sc);
/* Share of the most frequent class: always predicting it scores this. */
double mqk_score_majority(const struct mqk_score *sc);
/* Of "miss"; negative when undefined (no predicted / no actual miss). */
double mqk_score_precision(const struct mqk_score *sc);
double mqk_score_recall(const struct mqk_score *sc);
double mqk_score_mae_us(const struct mqk_score *sc);

/* KML_ERANGE if the trace has no more than @n_train samples. */
int mqk_eval_paper(const struct mqk_trace *t, const struct mqk_dataset *d,
		   const struct mqk_model_cfg *cfg, size_t n_train,
		   struct mqk_score *test);
/* @last: the last @last_n samples (all of them if fewer). */
int mqk_eval_online(const struct mqk_trace *t, const struct mqk_dataset *d,
		    const struct mqk_model_cfg *cfg, size_t last_n,
		    struct mqk_score *all, struct mqk_score *last);
/*
 * The module's own predictions recorded in the trace: the samples flagged
 * MQK_SF_PREDICTED (without a flags column: predicted_us != 0).
 */
void mqk_eval_recorded(const struct mqk_trace *t, struct mqk_score *sc);

#endif /* MQK_TRACE_EVAL_H */
