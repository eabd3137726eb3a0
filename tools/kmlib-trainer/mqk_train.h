/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * mqk_train.h - kmlib-trainer --format mqk: mq-kmlib's linear slack model
 * trained in user space on struct mqk_sample records, exactly as the
 * module's training thread does (its mqk_model.c, batches of
 * MQK_SHARED_BATCH), giving the int32 Q16.16 weights the module predicts
 * with. Also scores predictions: a sample is a miss when its slack is
 * negative.
 */
#ifndef KMLIB_TRAINER_MQK_TRAIN_H
#define KMLIB_TRAINER_MQK_TRAIN_H

#include <stddef.h>
#include <stdint.h>
#include "mqk_shared_abi.h"

/* predictions of "miss" against the outcome */
struct mqk_score {
	uint64_t n, hits, misses; /* judged, right, actual misses */
};

struct mqk_trainer;

int mqk_trainer_create(struct mqk_trainer **out);
void mqk_trainer_destroy(struct mqk_trainer *t);
/*
 * Score @n (1..MQK_SHARED_BATCH) samples with the current weights (when
 * trained: the module's integer prediction), then one training step.
 * *@loss: the batch's mean squared error of the weights before the step,
 * in target units (slack / deadline).
 */
int mqk_trainer_step(struct mqk_trainer *t, const struct mqk_sample *s,
		     size_t n, double *loss);
/* The weights after the last step (zeros before the first). */
const int32_t *mqk_trainer_weights(const struct mqk_trainer *t);
/* The trainer's own predictions so far (each before training on it). */
const struct mqk_score *mqk_trainer_score(const struct mqk_trainer *t);

/* The module's prediction: slack / deadline in Q16.16 (mqk_hooks.c). */
int64_t mqk_predict_q16(const int32_t w[MQK_SHARED_NW],
			const struct mqk_sample *s);
/* Add the module's own predictions recorded in @s (MQK_SF_PREDICTED). */
void mqk_score_recorded(struct mqk_score *sc, const struct mqk_sample *s,
			size_t n);
/* The share of the most frequent outcome (always predicting it). */
double mqk_score_majority(const struct mqk_score *sc);
double mqk_score_accuracy(const struct mqk_score *sc);

#endif /* KMLIB_TRAINER_MQK_TRAIN_H */
