/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * mqk_sample.h - one learning sample of mq-kmlib, shared by the kernel
 * module and the user-space trace tool (target-neutral: kmlib headers
 * only, integers only, so nofpu objects can fill it).
 *
 * A sample holds what the scheduler knew when a request was inserted and
 * the outcome when it was dispatched. Target: slack = deadline - wait,
 * where wait = dispatch time - insertion time; negative slack = missed.
 *
 * Trace text format v1 (docs/sched.md, "Trace"): a line
 *   # mq-kmlib trace v1
 * then a line "# columns: <name> <name> ..." naming the columns (the field
 * names below, in any order; readers look columns up by name and ignore
 * ones they do not know), then one line per sample: decimal integers
 * separated by single spaces.
 */
#ifndef MQK_SAMPLE_H
#define MQK_SAMPLE_H

#include "kmlib/kml_deps.h"

enum mqk_op { MQK_OP_READ = 0, MQK_OP_WRITE = 1 };

struct mqk_sample {
	uint64_t sector; /* start sector (512 B) */
	uint64_t capacity; /* disk size in sectors */
	uint32_t op; /* enum mqk_op */
	uint32_t sectors; /* request size in sectors */
	uint32_t queued_same; /* waiting in the scheduler, same direction */
	uint32_t queued_other; /* waiting, other direction */
	uint32_t inflight; /* dispatched by us, not completed */
	uint32_t recent_wait_us; /* moving average of wait, same direction */
	uint32_t since_last_us; /* since the previous insertion (capped) */
	uint32_t deadline_us; /* read_expire / write_expire at insertion */
	int32_t predicted_us; /* slack predicted at insertion (0: none) */
	int32_t slack_us; /* target: deadline_us - wait_us */
	/* appended after v1's first columns (readers ignore unknown ones) */
	uint32_t flags; /* MQK_SF_* */
	uint32_t wait_us; /* insertion to dispatch */
};

/* mqk_sample.flags */
#define MQK_SF_PREDICTED 1u /* a trained model predicted at insertion */
#define MQK_SF_PRED_MISS 2u /* ... and predicted slack < 0 */
#define MQK_SF_EXPEDITED 4u /* served early by the expedite policy */

/* Features in Q16.16 (1.0 = 65536), each clamped to [-8, 8]. */
#define MQK_FEAT_ONE 65536
#define MQK_NFEAT 8

/*
 * Fill @x[MQK_NFEAT] from the insertion-time fields of @s (never the
 * outcome). Integer-only and exact: the kernel and the trace tool get the
 * same features from the same sample.
 */
void mqk_features(const struct mqk_sample *s, int32_t x[MQK_NFEAT]);

/* The target of @s in Q16.16: slack / deadline, clamped to [-8, 8]. */
int32_t mqk_target(const struct mqk_sample *s);

/*
 * The training record (16 bytes, not the 64 of a sample): what training
 * and the gate use, nothing else. The two ratios of the features are
 * stored already divided, the target too, and the other inputs capped
 * where their feature saturates, so mqk_rec_unpack() gives a sample
 * with exactly the features and target of the original. Bit widths:
 * the Q16.16 values lie in [0, 8] (20 bits) or [-8, 8] (the target,
 * stored plus 8, 21 bits).
 */
struct mqk_rec {
	uint32_t pos_q16 : 20; /* feature 2: sector / capacity */
	uint32_t sectors : 12; /* <= 2048 */
	uint32_t wait_q16 : 20; /* feature 6: recent wait / deadline */
	uint32_t queued_same : 9; /* <= 256 */
	uint32_t op : 1; /* enum mqk_op */
	uint32_t flags : 2; /* MQK_SF_PREDICTED, MQK_SF_PRED_MISS */
	uint32_t target_8 : 21; /* mqk_target() + 8.0 */
	uint32_t queued_other : 9; /* <= 256 */
	uint32_t met : 1; /* the outcome: slack_us >= 0 */
	uint32_t since_last_us : 13; /* <= 8000 */
	uint32_t inflight : 9; /* <= 256 */
};

void mqk_rec_pack(const struct mqk_sample *s, struct mqk_rec *r);
/* A sample with the features, target and prediction flags of @r (the
 * other fields are not the original's). */
void mqk_rec_unpack(const struct mqk_rec *r, struct mqk_sample *s);

#endif /* MQK_SAMPLE_H */
