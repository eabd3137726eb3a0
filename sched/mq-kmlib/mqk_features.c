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
