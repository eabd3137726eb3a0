/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * mq-kmlib: a deadline I/O scheduler for Linux 6.1's blk-mq elevator API,
 * written for KMLib. One struct mqk_data per request queue (created in
 * init_sched, freed in exit_sched) holds everything: no globals shared
 * between devices. All request lists are protected by mqk_data.lock;
 * insert and dispatch run in process context, never in hard IRQ.
 */
#ifndef MQK_H
#define MQK_H

#include <linux/blkdev.h>
#include <linux/blk-mq.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>

#include "block/elevator.h"
#include "block/blk.h"
#include "block/blk-mq.h"
#include "block/blk-mq-sched.h"

#include "kmlib/platform.h"

enum mqk_dir_id { MQK_READ = 0, MQK_WRITE = 1, MQK_NR_DIRS = 2 };

/* One direction: requests in arrival order and in sector order. */
struct mqk_dir {
	struct list_head fifo; /* by arrival; rq->fifo_time = deadline */
	struct rb_root sort; /* by sector */
	struct request *next_rq; /* continues the current sweep */
};

struct mqk_data {
	/* memory owner of this struct (and of the model later) */
	struct kml_mem mem;
	spinlock_t lock;
	struct list_head dispatch; /* head inserts, passthrough: go first */
	struct mqk_dir dir[MQK_NR_DIRS];

	/* tunables (sysfs), same meaning as mq-deadline's */
	unsigned long expire[MQK_NR_DIRS]; /* jiffies */
	unsigned int writes_starved; /* read batches before a write one */
	unsigned int fifo_batch; /* requests per batch */
	unsigned int front_merges;

	/* batch state */
	enum mqk_dir_id batch_dir;
	unsigned int batch_count;
	unsigned int starved; /* read batches since the last write batch */

	/* statistics (under lock) */
	u64 inserted;
	u64 dispatched;
	u64 expired_dispatches; /* dispatched because a deadline passed */
	u64 merged; /* bios merged into queued requests */
	u64 rq_merged; /* queued requests merged into others */
};

static inline enum mqk_dir_id mqk_rq_dir(const struct request *rq)
{
	return op_is_write(req_op(rq)) ? MQK_WRITE : MQK_READ;
}

/* mqk_fifo.c */
void mqk_fifo_add(struct mqk_data *d, struct request *rq);
struct request *mqk_fifo_first(struct mqk_data *d, enum mqk_dir_id dir);
bool mqk_fifo_expired(struct mqk_data *d, enum mqk_dir_id dir);

/* mqk_sort.c */
void mqk_sort_add(struct mqk_data *d, struct request *rq);
void mqk_sort_reposition(struct mqk_data *d, struct request *rq);
struct request *mqk_sort_next(struct request *rq);
void mqk_remove(struct request_queue *q, struct mqk_data *d,
		struct request *rq);

/* mqk_merge.c */
bool mqk_bio_merge(struct request_queue *q, struct bio *bio,
		   unsigned int nr_segs);
int mqk_request_merge(struct request_queue *q, struct request **out,
		      struct bio *bio);
void mqk_request_merged(struct request_queue *q, struct request *rq,
			enum elv_merge type);
void mqk_requests_merged(struct request_queue *q, struct request *rq,
			 struct request *next);

/* mqk_dispatch.c */
void mqk_insert_requests(struct blk_mq_hw_ctx *hctx, struct list_head *list,
			 bool at_head);
struct request *mqk_dispatch_request(struct blk_mq_hw_ctx *hctx);
bool mqk_has_work(struct blk_mq_hw_ctx *hctx);

/* mqk_sysfs.c */
extern struct elv_fs_entry mqk_attrs[];

#endif /* MQK_H */
