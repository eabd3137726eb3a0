// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* Per-direction sector-sorted trees, and taking a request out of the scheduler.
 */
#include "mqk.h"

void mqk_sort_add(struct mqk_data *d, struct request *rq)
{
	elv_rb_add(&d->dir[mqk_rq_dir(rq)].sort, rq);
}

/* A front merge changed the start sector: re-sort. */
void mqk_sort_reposition(struct mqk_data *d, struct request *rq)
{
	struct rb_root *root = &d->dir[mqk_rq_dir(rq)].sort;

	elv_rb_del(root, rq);
	elv_rb_add(root, rq);
}

struct request *mqk_sort_next(struct request *rq)
{
	struct rb_node *n = rb_next(&rq->rb_node);

	return n ? rb_entry_rq(n) : NULL;
}

/*
 * Out of the FIFO, the tree and the merge hash. A sweep that would have
 * continued with @rq continues with its successor. @rq may be in none of
 * them: a request being inserted can be merged into a queued one
 * (blk_mq_sched_try_insert_merge) before we ever queued it, and the core
 * then hands it to requests_merged as the one to remove.
 */
void mqk_remove(struct request_queue *q, struct mqk_data *d, struct request *rq)
{
	struct mqk_dir *dr = &d->dir[mqk_rq_dir(rq)];

	/* only FIFO members reach here with a non-empty queuelist */
	if (!list_empty(&rq->queuelist)) {
		d->queued[mqk_rq_dir(rq)]--;
		list_del_init(&rq->queuelist);
	}
	if (!RB_EMPTY_NODE(&rq->rb_node)) {
		if (dr->next_rq == rq)
			dr->next_rq = mqk_sort_next(rq);
		elv_rb_del(&dr->sort, rq);
	}
	if (ELV_ON_HASH(rq))
		elv_rqhash_del(q, rq);
	if (q->last_merge == rq)
		q->last_merge = NULL;
}
