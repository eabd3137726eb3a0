// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* Per-direction FIFOs: arrival order, each request stamped with its deadline.
 */
#include "mqk.h"

void mqk_fifo_add(struct mqk_data *d, struct request *rq)
{
	enum mqk_dir_id dir = mqk_rq_dir(rq);

	rq->fifo_time = jiffies + d->expire[dir];
	d->queued[dir]++;
	list_add_tail(&rq->queuelist, &d->dir[dir].fifo);
}

struct request *mqk_fifo_first(struct mqk_data *d, enum mqk_dir_id dir)
{
	return list_first_entry_or_null(&d->dir[dir].fifo, struct request,
					queuelist);
}

/* Has the oldest request of @dir passed its deadline? */
bool mqk_fifo_expired(struct mqk_data *d, enum mqk_dir_id dir)
{
	struct request *rq = mqk_fifo_first(d, dir);

	return rq && time_after_eq(jiffies, (unsigned long)rq->fifo_time);
}
