// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Insertion and dispatch. Dispatch order:
 *  1. the dispatch list (head inserts, passthrough) as it is;
 *  2. the current batch: up to fifo_batch requests in sector order in one
 *     direction;
 *  3. a new batch: reads first, unless writes were passed over
 *     writes_starved times; it starts at the oldest request when that one
 *     is past its deadline, else where the last sweep of that direction
 *     stopped.
 */
#include "mqk.h"

static void mqk_insert_one(struct blk_mq_hw_ctx *hctx, struct request *rq,
			   bool at_head, struct list_head *free)
{
	struct request_queue *q = hctx->queue;
	struct mqk_data *d = q->elevator->elevator_data;

	d->inserted++;
	/* merged into a queued request: @rq is on @free now */
	if (blk_mq_sched_try_insert_merge(q, rq, free))
		return;
	if (at_head || blk_rq_is_passthrough(rq)) {
		if (at_head)
			list_add(&rq->queuelist, &d->dispatch);
		else
			list_add_tail(&rq->queuelist, &d->dispatch);
		return;
	}
	if (mqk_hook_insert(d, rq)) {
		/* expedite: predicted to miss, served before any batch */
		rq->fifo_time = jiffies + d->expire[mqk_rq_dir(rq)];
		list_add_tail(&rq->queuelist, &d->dispatch);
		return;
	}
	mqk_sort_add(d, rq);
	if (rq_mergeable(rq)) {
		elv_rqhash_add(q, rq);
		if (!q->last_merge)
			q->last_merge = rq;
	}
	mqk_fifo_add(d, rq);
}

void mqk_insert_requests(struct blk_mq_hw_ctx *hctx, struct list_head *list,
			 bool at_head)
{
	struct mqk_data *d = hctx->queue->elevator->elevator_data;
	LIST_HEAD(free);
	LIST_HEAD(rejected);

	/* decided before the lock, ended after it (docs/sched.md, reject) */
	if (!at_head && READ_ONCE(d->learn.policy) == MQK_POLICY_REJECT)
		mqk_reject_pick(d, list, &rejected);
	spin_lock(&d->lock);
	while (!list_empty(list)) {
		struct request *rq =
		    list_first_entry(list, struct request, queuelist);

		list_del_init(&rq->queuelist);
		mqk_insert_one(hctx, rq, at_head, &free);
	}
	spin_unlock(&d->lock);
	blk_mq_free_requests(&free);
	mqk_reject_end(d, &rejected);
}

/* Direction of a new batch, or -1 when nothing is queued. */
static int mqk_pick_dir(struct mqk_data *d)
{
	bool reads = !list_empty(&d->dir[MQK_READ].fifo);
	bool writes = !list_empty(&d->dir[MQK_WRITE].fifo);

	if (reads && !(writes && d->starved >= d->writes_starved)) {
		if (writes)
			d->starved++;
		return MQK_READ;
	}
	if (writes) {
		d->starved = 0;
		return MQK_WRITE;
	}
	return -1;
}

static struct request *mqk_next(struct mqk_data *d)
{
	struct request *rq, *next;
	bool expired;
	int dir;

	rq = list_first_entry_or_null(&d->dispatch, struct request, queuelist);
	if (rq) {
		list_del_init(&rq->queuelist);
		return rq;
	}
	rq = d->dir[d->batch_dir].next_rq;
	if (rq && d->batch_count < d->fifo_batch)
		goto take;

	dir = mqk_pick_dir(d);
	if (dir < 0)
		return NULL;
	d->batch_dir = dir;
	d->batch_count = 0;
	rq = d->dir[dir].next_rq;
	expired = mqk_fifo_expired(d, dir);
	if (expired)
		d->expired_dispatches++;
	if (!rq || expired)
		rq = mqk_fifo_first(d, dir);
take:
	d->batch_count++;
	/* the sweep goes on after @rq, whichever way @rq was chosen */
	next = mqk_sort_next(rq);
	mqk_remove(rq->q, d, rq);
	d->dir[mqk_rq_dir(rq)].next_rq = next;
	return rq;
}

struct request *mqk_dispatch_request(struct blk_mq_hw_ctx *hctx)
{
	struct mqk_data *d = hctx->queue->elevator->elevator_data;
	struct request *rq;

	spin_lock(&d->lock);
	rq = mqk_next(d);
	if (rq) {
		/* the request has left the scheduler */
		rq->rq_flags |= RQF_STARTED;
		d->dispatched++;
		mqk_hook_dispatch(d, rq);
	}
	spin_unlock(&d->lock);
	return rq;
}

/* Lockless peek: a stale answer only costs one more or one less run. */
bool mqk_has_work(struct blk_mq_hw_ctx *hctx)
{
	struct mqk_data *d = hctx->queue->elevator->elevator_data;

	return !list_empty_careful(&d->dispatch) ||
	       !list_empty_careful(&d->dir[MQK_READ].fifo) ||
	       !list_empty_careful(&d->dir[MQK_WRITE].fifo);
}
