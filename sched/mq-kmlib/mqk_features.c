// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Feature extraction for mq-kmlib's model: integer-only, target-neutral
 * (built into mq-kmlib.ko and into the user-space trace tool), so both
 * compute bit-identical features from one sample. Everything is scaled so
 * that typical values lie in [0, 1] and clamped to [-8, 8] in Q16.16.
 */
#include "mqk_sample.h"

#define MQK_FEAT_MAX (8 * MQK_FEAT_ONE)

static int32_t mqk_clamp_q16(int64_t v)
{
	if (v > MQK_FEAT_MAX)
		return MQK_FEAT_MAX;
	if (v < -MQK_FEAT_MAX)
		return -MQK_FEAT_MAX;
	return (int32_t)v;
}

/* num / den in Q16.16, den > 0; num in the 64-bit range of the fields */
static int32_t mqk_ratio_q16(uint64_t num, uint64_t den)
{
	if (den == 0)
		return 0;
	if (num >= ((uint64_t)8 * den))
		return MQK_FEAT_MAX;
	return (int32_t)((num << 16) / den);
}

void mqk_features(const struct mqk_sample *s, int32_t x[MQK_NFEAT])
{
	x[0] = s->op == MQK_OP_WRITE ? MQK_FEAT_ONE : 0;
	x[1] = mqk_ratio_q16(s->sectors, 256); /* 128 KiB = 1 */
	x[2] = mqk_ratio_q16(s->sector, s->capacity ? s->capacity : 1);
	x[3] = mqk_ratio_q16(s->queued_same, 32);
	x[4] = mqk_ratio_q16(s->queued_other, 32);
	x[5] = mqk_ratio_q16(s->inflight, 32);
	x[6] = mqk_ratio_q16(s->recent_wait_us,
			     s->deadline_us ? s->deadline_us : 1);
	x[7] = mqk_ratio_q16(s->since_last_us, 1000); /* 1 ms = 1 */
}

int32_t mqk_target(const struct mqk_sample *s)
{
	int64_t den = s->deadline_us ? s->deadline_us : 1;

	return mqk_clamp_q16(((int64_t)s->slack_us * MQK_FEAT_ONE) / den);
}

static uint32_t mqk_cap(uint32_t v, uint32_t max)
{
	return v < max ? v : max;
}

_Static_assert(sizeof(struct mqk_rec) == 16, "mqk_rec: four words");

/* Each cap is where the feature's ratio saturates at 8. */
void mqk_rec_pack(const struct mqk_sample *s, struct mqk_rec *r)
{
	int32_t x[MQK_NFEAT];

	mqk_features(s, x);
	kml_memset(r, 0, sizeof(*r));
	r->pos_q16 = (uint32_t)x[2];
	r->wait_q16 = (uint32_t)x[6];
	r->target_8 = (uint32_t)(mqk_target(s) + MQK_FEAT_MAX);
	r->sectors = mqk_cap(s->sectors, 8 * 256);
	r->since_last_us = mqk_cap(s->since_last_us, 8 * 1000);
	r->queued_same = mqk_cap(s->queued_same, 8 * 32);
	r->queued_other = mqk_cap(s->queued_other, 8 * 32);
	r->inflight = mqk_cap(s->inflight, 8 * 32);
	r->op = s->op == MQK_OP_WRITE;
	r->flags = s->flags & (MQK_SF_PREDICTED | MQK_SF_PRED_MISS);
	r->met = s->slack_us >= 0;
}

/* The ratios come back unchanged over a denominator of 1.0: r / 1.0. */
void mqk_rec_unpack(const struct mqk_rec *r, struct mqk_sample *s)
{
	kml_memset(s, 0, sizeof(*s));
	s->op = r->op ? MQK_OP_WRITE : MQK_OP_READ;
	s->sectors = r->sectors;
	s->sector = r->pos_q16;
	s->capacity = MQK_FEAT_ONE;
	s->queued_same = r->queued_same;
	s->queued_other = r->queued_other;
	s->inflight = r->inflight;
	s->recent_wait_us = r->wait_q16;
	s->since_last_us = r->since_last_us;
	s->deadline_us = MQK_FEAT_ONE;
	s->slack_us = (int32_t)r->target_8 - MQK_FEAT_MAX;
	s->flags = r->flags;
}
