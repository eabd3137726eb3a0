// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Merging. Back merges are found by the elevator core's hash; front merges
 * (a bio that ends where a queued request starts) by our sort tree.
 */
#include "mqk.h"

bool mqk_bio_merge(struct request_queue *q, struct bio *bio,
		   unsigned int nr_segs)
{
	struct mqk_data *d = q->elevator->elevator_data;
	struct request *free = NULL;
	bool merged;

	spin_lock(&d->lock);
	merged = blk_mq_sched_try_merge(q, bio, nr_segs, &free);
	spin_unlock(&d->lock);
	/* a request emptied by merging is freed outside the lock */
	if (free)
		blk_mq_free_request(free);
	return merged;
}

int mqk_request_merge(struct request_queue *q, struct request **out,
		      struct bio *bio)
{
	struct mqk_data *d = q->elevator->elevator_data;
	struct rb_root *root = &d->dir[op_is_write(bio_op(bio))].sort;
	struct request *rq;

	if (!d->front_merges)
		return ELEVATOR_NO_MERGE;
	rq = elv_rb_find(root, bio_end_sector(bio));
	if (!rq || !elv_bio_merge_ok(rq, bio))
		return ELEVATOR_NO_MERGE;
	*out = rq;
	return ELEVATOR_FRONT_MERGE;
}

void mqk_request_merged(struct request_queue *q, struct request *rq,
			enum elv_merge type)
{
	struct mqk_data *d = q->elevator->elevator_data;

	d->merged++;
	if (type == ELEVATOR_FRONT_MERGE)
		mqk_sort_reposition(d, rq);
}

/*
 * @next was merged into @rq: @rq inherits the earlier deadline (and that
 * FIFO position), and @next leaves the scheduler.
 */
void mqk_requests_merged(struct request_queue *q, struct request *rq,
			 struct request *next)
{
	struct mqk_data *d = q->elevator->elevator_data;

	if (!list_empty(&rq->queuelist) && !list_empty(&next->queuelist) &&
	    time_before((unsigned long)next->fifo_time,
			(unsigned long)rq->fifo_time)) {
		list_move(&rq->queuelist, &next->queuelist);
		rq->fifo_time = next->fifo_time;
	}
	d->rq_merged++;
	mqk_remove(q, d, next);
}
