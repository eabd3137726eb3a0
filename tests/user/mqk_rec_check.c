// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mqk_rec_check.c - mq-kmlib's 16-byte training record
 * (sched/mq-kmlib/mqk_sample.h): a sample packed and unpacked must give
 * exactly the features and target of the original, and keep the
 * prediction flags and the outcome (slack >= 0) the gate reads. Each
 * field at and around the point where its feature saturates, at its
 * type's limits, then random samples over wide ranges.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "kmlib/prng.h"
#include "mqk_sample.h"

static int failures;
static unsigned long checked;

static void check(const struct mqk_sample *s, const char *what)
{
	int32_t x[MQK_NFEAT], y[MQK_NFEAT];
	struct mqk_sample u;
	struct mqk_rec r;
	int j;

	mqk_rec_pack(s, &r);
	mqk_rec_unpack(&r, &u);
	mqk_features(s, x);
	mqk_features(&u, y);
	checked++;
	for (j = 0; j < MQK_NFEAT; j++)
		if (x[j] != y[j]) {
			if (failures++ < 10)
				fprintf(stderr, "%s: feature %d %d -> %d\n",
					what, j, x[j], y[j]);
			return;
		}
	if (mqk_target(s) != mqk_target(&u) ||
	    (u.flags & (MQK_SF_PREDICTED | MQK_SF_PRED_MISS)) !=
		(s->flags & (MQK_SF_PREDICTED | MQK_SF_PRED_MISS)) ||
	    r.met != (s->slack_us >= 0) || u.op != s->op) {
		if (failures++ < 10)
			fprintf(stderr, "%s: target %d -> %d, flags %u -> %u\n",
				what, mqk_target(s), mqk_target(&u), s->flags,
				u.flags);
	}
}

static const uint32_t edges32[] = { 0,	      1,       31,	  32,	 33,
				    255,      256,     257,	  999,	 1000,
				    1001,     2047,    2048,	  2049,	 7999,
				    8000,     8001,    8191,	  65535, 65536,
				    1u << 20, INT_MAX, UINT32_MAX };
static const int32_t slacks[] = {
	INT_MIN, -1000000, -1, 0, 1, 1000000, INT_MAX
};

#define NE (sizeof(edges32) / sizeof(edges32[0]))

/* A value from the edges or a random one of random magnitude. */
static uint32_t pick(struct kml_prng *p)
{
	if (kml_prng_below(p, 2))
		return edges32[kml_prng_below(p, NE)];
	return kml_prng_u32(p) >> kml_prng_below(p, 32);
}

int main(void)
{
	struct mqk_sample s;
	struct kml_prng p;
	size_t i, k;

	/* each field over its edges, the others typical */
	for (k = 0; k < 8; k++) {
		for (i = 0; i < NE; i++) {
			memset(&s, 0, sizeof(s));
			s.sector = 1000;
			s.capacity = 524288;
			s.sectors = 8;
			s.deadline_us = 500000;
			s.slack_us = 1000;
			switch (k) {
			case 0:
				s.sectors = edges32[i];
				break;
			case 1:
				s.since_last_us = edges32[i];
				break;
			case 2:
				s.queued_same = edges32[i];
				break;
			case 3:
				s.queued_other = edges32[i];
				break;
			case 4:
				s.inflight = edges32[i];
				break;
			case 5:
				s.recent_wait_us = edges32[i];
				break;
			case 6:
				s.deadline_us = edges32[i];
				break;
			default:
				s.sector = edges32[i];
				s.capacity = edges32[NE - 1 - i];
			}
			check(&s, "edges");
		}
	}
	for (i = 0; i < sizeof(slacks) / sizeof(slacks[0]); i++) {
		for (k = 0; k < NE; k++) {
			memset(&s, 0, sizeof(s));
			s.slack_us = slacks[i];
			s.deadline_us = edges32[k];
			s.flags = (uint32_t)(i & 3);
			check(&s, "slack");
		}
	}
	kml_prng_seed(&p, 20261128);
	for (i = 0; i < 200000; i++) {
		s.sector = kml_prng_u64(&p) >> kml_prng_below(&p, 64);
		s.capacity = kml_prng_u64(&p) >> kml_prng_below(&p, 64);
		s.op = kml_prng_below(&p, 2);
		s.sectors = pick(&p);
		s.queued_same = pick(&p);
		s.queued_other = pick(&p);
		s.inflight = pick(&p);
		s.recent_wait_us = pick(&p);
		s.since_last_us = pick(&p);
		s.deadline_us = pick(&p);
		s.predicted_us = (int32_t)kml_prng_u32(&p);
		s.slack_us = (int32_t)pick(&p);
		s.flags = kml_prng_below(&p, 8);
		s.wait_us = kml_prng_u32(&p);
		check(&s, "random");
	}
	printf("mqk_rec: %lu samples, %d mismatches\n", checked, failures);
	return failures ? 1 : 0;
}
