// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The learning work on the hot path: integer only, no allocation, no
 * sleeping. Insertion records what the scheduler knows in the request's
 * rq->elv.priv[] and predicts its slack with the published Q16.16
 * weights; dispatch completes the sample and pushes it into the training
 * ring (and the trace ring when tracing); finish_request (hard IRQ)
 * only decrements the in-flight count.
 *
 * rq->elv.priv[0]: insertion time (u32 microseconds, wraps after 71 min;
 * waits are differences) | predicted slack in us (int32) << 32.
 * rq->elv.priv[1]: the queue state at insertion, capped so that the
 * prediction and the later sample see the same values, and flags.
 * Between the reject pre-pass and insertion, priv[] holds only that
 * pass's prediction (P_PREOBSERVED), so a request is predicted once.
 */
#include <linux/ioprio.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/rcupdate.h>

#include "mqk.h"
#include "mqk_predict.h"
#include "mqk_shared.h"

#define P_QSAME_SHIFT 0 /* 8 bits */
#define P_QOTHER_SHIFT 8 /* 8 bits */
#define P_INFL_SHIFT 16 /* 8 bits */
#define P_SINCE_SHIFT 24 /* 13 bits: us, features saturate at 8 ms */
#define P_SINCE_MAX 8191u
#define P_WAIT_SHIFT 37 /* 20 bits: recent wait / 4 us (4.19 s) */
#define P_WAIT_MAX (((1u << 20) - 1) * 4)
#define P_SEEN (1ull << 57) /* inserted through our sorted path once */
#define P_RECORDED (1ull << 58) /* holds a sample not yet pushed */
#define P_PREDICTED (1ull << 59)
#define P_PRED_MISS (1ull << 60)
#define P_EXPEDITED (1ull << 61) /* in the dispatch list by prediction */
#define P_INFLIGHT (1ull << 62) /* counted in learn.inflight */
/* predicted by the reject pre-pass, not rejected: insertion reuses that
 * prediction (priv[0]'s upper half and P_PREDICTED / P_PRED_MISS) */
#define P_PREOBSERVED (1ull << 63)

static inline u64 mqk_priv(const struct request *rq, int i)
{
	return (u64)(uintptr_t)rq->elv.priv[i];
}

static inline void mqk_set_priv(struct request *rq, int i, u64 v)
{
	rq->elv.priv[i] = (void *)(uintptr_t)v;
}

static inline u32 mqk_min(u32 a, u32 b)
{
	return a < b ? a : b;
}

void mqk_prepare_request(struct request *rq)
{
	rq->elv.priv[0] = NULL;
	rq->elv.priv[1] = NULL;
}

bool mqk_rq_expedited(const struct request *rq)
{
	return (rq->rq_flags & RQF_ELVPRIV) && (mqk_priv(rq, 1) & P_EXPEDITED);
}

/* The insertion-time fields of @s for @rq; @now in us. Called under the
 * lock, or without it by the reject pre-pass (then a racy snapshot). */
static void mqk_fill(struct mqk_data *d, struct request *rq, u32 now,
		     struct mqk_sample *s)
{
	struct mqk_learn *l = &d->learn;
	enum mqk_dir_id dir = mqk_rq_dir(rq);

	memset(s, 0, sizeof(*s));
	s->sector = blk_rq_pos(rq);
	s->capacity = rq->q->disk ? get_capacity(rq->q->disk) : 0;
	s->op = dir == MQK_WRITE ? MQK_OP_WRITE : MQK_OP_READ;
	s->sectors = blk_rq_sectors(rq);
	s->queued_same = mqk_min(READ_ONCE(d->queued[dir]), 255);
	s->queued_other = mqk_min(READ_ONCE(d->queued[!dir]), 255);
	s->inflight = mqk_min(atomic_read(&l->inflight), 255);
	s->recent_wait_us =
	    mqk_min(READ_ONCE(l->recent_wait_us[dir]), P_WAIT_MAX) & ~3u;
	s->since_last_us =
	    mqk_min(now - READ_ONCE(l->last_insert_us), P_SINCE_MAX);
	s->deadline_us = jiffies_to_usecs(READ_ONCE(d->expire[dir]));
}

/*
 * Predicted slack / deadline in Q16.16 from the published weights;
 * false when there is no trained version yet, or when the trainer
 * overtook every read (counted in pred_overtaken). Kernel mode runs the
 * model in place on the publication (mqk_predict.h); shared mode copies
 * the channel's 9 linear words.
 */
static bool mqk_predict(struct mqk_learn *l, const struct mqk_sample *s,
			s64 *pred)
{
	int32_t w[MQK_NW], x[MQK_NFEAT];
	u64 version;
	int ret;

	mqk_features(s, x);
	if (!mqk_shared_on(l)) {
		/* the pub, then whether it is trained (mqk_learn_set_model) */
		struct kml_pub *pub = smp_load_acquire(&l->pub);

		ret = smp_load_acquire(&l->pub_trained)
			  ? mqk_pub_predict(pub, x, pred)
			  : MQK_PRED_NONE;
	} else {
		ret = mqk_shared_weights(l, w, sizeof(w), &version);
		if (ret == KML_OK && version)
			*pred = mqk_linear_q16(w, x);
		ret = ret == KML_EAGAIN ? MQK_PRED_OVERTAKEN
		      : ret || !version ? MQK_PRED_NONE
					: MQK_PRED_OK;
	}
	if (unlikely(ret == MQK_PRED_OVERTAKEN))
		atomic_inc(&l->pred_overtaken);
	return ret == MQK_PRED_OK;
}

static bool mqk_trusted(struct mqk_learn *l)
{
	return READ_ONCE(l->gate_force) || kml_gate_trusted(l->gate);
}

/* Fill, predict; the flags P_PREDICTED / P_PRED_MISS. With
 * P_PREOBSERVED in priv[1] (the reject pre-pass predicted it, no
 * sample taken yet), fill only and take that prediction. */
static u64 mqk_observe(struct mqk_data *d, struct request *rq, u32 now,
		       struct mqk_sample *s)
{
	u64 p1 = mqk_priv(rq, 1);
	s64 pred;

	mqk_fill(d, rq, now, s);
	if (p1 & P_PREOBSERVED) {
		if (p1 & P_PREDICTED)
			s->predicted_us = (s32)(u32)(mqk_priv(rq, 0) >> 32);
		return p1 & (P_PREDICTED | P_PRED_MISS);
	}
	if (!mqk_predict(&d->learn, s, &pred))
		return 0;
	atomic64_inc(&d->learn.predictions);
	s->predicted_us =
	    (s32)clamp_t(s64, (pred * s->deadline_us) >> 16, INT_MIN, INT_MAX);
	return P_PREDICTED | (pred < 0 ? P_PRED_MISS : 0);
}

/*
 * Insertion of @rq into the sorted path, under the lock. Returns true if
 * the expedite policy sends it to the dispatch list.
 */
bool mqk_hook_insert(struct mqk_data *d, struct request *rq)
{
	struct mqk_learn *l = &d->learn;
	int policy = READ_ONCE(l->policy);
	struct mqk_sample s;
	u64 t0, f, p1;
	u32 now;
	bool expedite;

	if (!(rq->rq_flags & RQF_ELVPRIV))
		return false;
	/* seen before (requeued): keep the first insertion's record */
	if (mqk_priv(rq, 1) & P_SEEN)
		return false;
	if (policy == MQK_POLICY_OFF) {
		mqk_set_priv(rq, 1, P_SEEN);
		return false;
	}
	t0 = ktime_get_ns();
	now = (u32)div_u64(t0, 1000);
	f = P_SEEN | P_RECORDED | mqk_observe(d, rq, now, &s);
	expedite = policy == MQK_POLICY_EXPEDITE && (f & P_PRED_MISS) &&
		   l->expedited_queued < d->fifo_batch && mqk_trusted(l);
	if (expedite) {
		f |= P_EXPEDITED;
		l->expedited_queued++;
		atomic64_inc(&l->expedited);
	}
	p1 = (u64)s.queued_same << P_QSAME_SHIFT |
	     (u64)s.queued_other << P_QOTHER_SHIFT |
	     (u64)s.inflight << P_INFL_SHIFT |
	     (u64)s.since_last_us << P_SINCE_SHIFT |
	     (u64)(s.recent_wait_us / 4) << P_WAIT_SHIFT | f;
	mqk_set_priv(rq, 0, now | (u64)(u32)s.predicted_us << 32);
	mqk_set_priv(rq, 1, p1);
	l->last_insert_us = now;
	atomic64_add(ktime_get_ns() - t0, &l->hook_ns);
	return expedite;
}

/* Dispatch of @rq, under the lock. */
void mqk_hook_dispatch(struct mqk_data *d, struct request *rq)
{
	struct mqk_learn *l = &d->learn;
	enum mqk_dir_id dir = mqk_rq_dir(rq);
	struct mqk_sample s;
	u64 p0, p1, t0;
	u32 wait;

	if (!(rq->rq_flags & RQF_ELVPRIV))
		return;
	p1 = mqk_priv(rq, 1);
	/* first dispatch of a request with a deadline */
	if ((p1 & (P_SEEN | P_INFLIGHT)) == P_SEEN &&
	    time_after_eq(jiffies, (unsigned long)rq->fifo_time))
		atomic64_inc(&l->deadline_misses);
	if (!(p1 & P_INFLIGHT)) {
		atomic_inc(&l->inflight);
		p1 |= P_INFLIGHT;
	}
	if (!(p1 & P_RECORDED)) {
		mqk_set_priv(rq, 1, p1);
		return;
	}
	p1 &= ~P_RECORDED; /* one sample per request */
	mqk_set_priv(rq, 1, p1);
	if (p1 & P_EXPEDITED)
		l->expedited_queued--;
	if (READ_ONCE(l->policy) == MQK_POLICY_OFF)
		return;

	t0 = ktime_get_ns();
	p0 = mqk_priv(rq, 0);
	memset(&s, 0, sizeof(s));
	s.sector = blk_rq_pos(rq);
	s.capacity = rq->q->disk ? get_capacity(rq->q->disk) : 0;
	s.op = dir == MQK_WRITE ? MQK_OP_WRITE : MQK_OP_READ;
	s.sectors = blk_rq_sectors(rq);
	s.queued_same = (p1 >> P_QSAME_SHIFT) & 0xff;
	s.queued_other = (p1 >> P_QOTHER_SHIFT) & 0xff;
	s.inflight = (p1 >> P_INFL_SHIFT) & 0xff;
	s.since_last_us = (p1 >> P_SINCE_SHIFT) & P_SINCE_MAX;
	s.recent_wait_us = ((p1 >> P_WAIT_SHIFT) & ((1u << 20) - 1)) * 4;
	s.deadline_us = jiffies_to_usecs(d->expire[dir]);
	s.predicted_us = (s32)(u32)(p0 >> 32);
	wait = (u32)div_u64(t0, 1000) - (u32)p0;
	s.wait_us = wait;
	s.slack_us =
	    (s32)clamp_t(s64, (s64)s.deadline_us - wait, INT_MIN, INT_MAX);
	s.flags = (p1 & P_PREDICTED ? MQK_SF_PREDICTED : 0) |
		  (p1 & P_PRED_MISS ? MQK_SF_PRED_MISS : 0) |
		  (p1 & P_EXPEDITED ? MQK_SF_EXPEDITED : 0);
	/* moving average of waits, 1/8 per sample */
	l->recent_wait_us[dir] = l->recent_wait_us[dir] -
				 (l->recent_wait_us[dir] >> 3) + (wait >> 3);

	if (mqk_shared_sample(l, &s) == KML_OK) {
		atomic64_inc(&l->samples);
		/* kernel mode: the training thread feeds the gate */
		if (mqk_shared_on(l))
			mqk_learn_gate_sample(d, &s);
	}
	if (l->trace)
		kml_ring_enqueue(l->trace, &s);
	mqk_learn_kick(d);
	atomic64_add(ktime_get_ns() - t0, &l->hook_ns);
}

/* Hard IRQ: integers only. */
void mqk_finish_request(struct request *rq)
{
	struct mqk_data *d = rq->q->elevator->elevator_data;
	u64 p1 = mqk_priv(rq, 1);

	if (p1 & P_INFLIGHT) {
		atomic_dec(&d->learn.inflight);
		mqk_set_priv(rq, 1, p1 & ~P_INFLIGHT);
	}
}

/* Has @rq, and every bio in it, opted in to rejection? */
static bool mqk_reject_eligible(struct mqk_learn *l, struct request *rq,
				int prio)
{
	struct bio *bio;

	if (!(rq->rq_flags & RQF_ELVPRIV) ||
	    (mqk_priv(rq, 1) & (P_SEEN | P_PREOBSERVED)) ||
	    blk_rq_is_passthrough(rq) || !(rq->cmd_flags & REQ_NOWAIT) ||
	    req_get_ioprio(rq) != prio || !rq->bio)
		return false;
	__rq_for_each_bio(bio, rq)
	{
		if (!(bio->bi_opf & REQ_NOWAIT) || bio->bi_ioprio != prio)
			return false;
	}
	return true;
}

/*
 * The rejection budget: at most reject_max rejections per second and
 * queue. Lock-free (the insert path may run on several CPUs at once; no
 * allocation, no sleeping): one word, the second in the upper half and
 * the rejections made in it in the lower, advanced by cmpxchg.
 */
static bool mqk_reject_budget(struct mqk_learn *l, u64 now_ns)
{
	u32 max = READ_ONCE(l->reject_max);
	u64 sec = div_u64(now_ns, NSEC_PER_SEC) & 0xffffffffull;
	s64 old = atomic64_read(&l->reject_window), new;

	if (!max)
		return false;
	do {
		if ((u64)old >> 32 != sec)
			new = (s64)(sec << 32 | 1); /* a new second */
		else if ((u32)old >= max)
			return false;
		else
			new = old + 1;
	} while (!atomic64_try_cmpxchg(&l->reject_window, &old, new));
	return true;
}

/*
 * Policy reject, before the queue lock is taken (never for head
 * insertions): move opted-in requests predicted to miss, while the
 * predictions are trusted and the budget allows, from @list to
 * @rejected. Each eligible request is predicted here once; the ones kept
 * carry that prediction to insertion (P_PREOBSERVED).
 */
void mqk_reject_pick(struct mqk_data *d, struct list_head *list,
		     struct list_head *rejected)
{
	struct mqk_learn *l = &d->learn;
	int prio = READ_ONCE(l->reject_prio);
	struct request *rq, *next;
	struct mqk_sample s;
	u64 t0, f;
	u32 now;

	if (prio < 0)
		return;
	t0 = ktime_get_ns();
	now = (u32)div_u64(t0, 1000);
	/* the publication may be replaced (sysfs model): RCU keeps it */
	rcu_read_lock();
	list_for_each_entry_safe(rq, next, list, queuelist) {
		if (!mqk_reject_eligible(l, rq, prio))
			continue;
		f = mqk_observe(d, rq, now, &s);
		mqk_set_priv(rq, 0, (u64)(u32)s.predicted_us << 32);
		mqk_set_priv(rq, 1, P_PREOBSERVED | f);
		if (!(f & P_PRED_MISS) || !mqk_trusted(l))
			continue;
		if (!mqk_reject_budget(l, t0)) {
			atomic64_inc(&l->reject_over_budget);
			continue;
		}
		rq->rq_flags |= RQF_QUIET; /* fio counts them; no log line */
		list_move_tail(&rq->queuelist, rejected);
		atomic64_inc(&l->rejected);
	}
	rcu_read_unlock();
	atomic64_add(ktime_get_ns() - t0, &l->hook_ns);
}

/* After the queue lock is released: fail them with EAGAIN. */
void mqk_reject_end(struct mqk_data *d, struct list_head *rejected)
{
	struct request *rq, *next;

	list_for_each_entry_safe(rq, next, rejected, queuelist) {
		list_del_init(&rq->queuelist);
		blk_mq_end_request(rq, BLK_STS_AGAIN);
	}
}
