// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The elevator type "mq-kmlib": per-queue setup and teardown, and module
 * registration. The per-queue data is allocated through a KMLib memory
 * owner (kmlib.ko), so its bytes are accounted (sysfs mem_bytes).
 */
#include <linux/module.h>

#include "mqk.h"
#include "mqk_shared.h"

/* mq-deadline's defaults */
#define MQK_READ_EXPIRE_MS 500
#define MQK_WRITE_EXPIRE_MS 5000
#define MQK_WRITES_STARVED 2
#define MQK_FIFO_BATCH 16

static void mqk_data_defaults(struct mqk_data *d)
{
	int i;

	spin_lock_init(&d->lock);
	INIT_LIST_HEAD(&d->dispatch);
	for (i = 0; i < MQK_NR_DIRS; i++) {
		INIT_LIST_HEAD(&d->dir[i].fifo);
		d->dir[i].sort = RB_ROOT;
		d->dir[i].next_rq = NULL;
	}
	d->expire[MQK_READ] = msecs_to_jiffies(MQK_READ_EXPIRE_MS);
	d->expire[MQK_WRITE] = msecs_to_jiffies(MQK_WRITE_EXPIRE_MS);
	d->writes_starved = MQK_WRITES_STARVED;
	d->fifo_batch = MQK_FIFO_BATCH;
	d->front_merges = 1;
	d->batch_dir = MQK_READ;
}

static int mqk_init_sched(struct request_queue *q, struct elevator_type *e)
{
	struct elevator_queue *eq;
	struct kml_mem owner;
	struct mqk_data *d;
	void *p;

	eq = elevator_alloc(q, e);
	if (!eq)
		return -ENOMEM;
	/*
	 * The owner accounts the block that will hold it: allocate with a
	 * local copy, then move it in (nothing else uses it yet).
	 */
	if (kml_mem_init(&owner, "mq-kmlib", 0) != KML_OK)
		goto fail;
	if (kml_alloc(&owner, sizeof(*d), KML_MEM_SLEEP | KML_MEM_ZERO, &p))
		goto fail;
	d = p;
	d->mem = owner;
	mqk_data_defaults(d);
	if (mqk_learn_init(d)) {
		owner = d->mem;
		kml_free(&owner, d);
		goto fail;
	}
	mqk_shared_init(d, q);
	eq->elevator_data = d;

	q->elevator = eq;
	return 0;
fail:
	kobject_put(&eq->kobj);
	return -ENOMEM;
}

static void mqk_exit_sched(struct elevator_queue *e)
{
	struct mqk_data *d = e->elevator_data;
	struct kml_mem owner = d->mem;

	/* the core drains the queue before switching: nothing may be left */
	WARN_ON_ONCE(!list_empty(&d->dispatch));
	WARN_ON_ONCE(!list_empty(&d->dir[MQK_READ].fifo));
	WARN_ON_ONCE(!list_empty(&d->dir[MQK_WRITE].fifo));
	mqk_shared_exit(d);
	mqk_learn_exit(d);
	owner = d->mem; /* the model's frees updated the owner inside @d */
	e->elevator_data = NULL;
	kml_free(&owner, d);
	WARN_ON_ONCE(kml_mem_current(&owner) != 0);
}

static struct elevator_type mqk_type = {
	.ops = {
		.init_sched = mqk_init_sched,
		.exit_sched = mqk_exit_sched,
		.insert_requests = mqk_insert_requests,
		.dispatch_request = mqk_dispatch_request,
		.has_work = mqk_has_work,
		.prepare_request = mqk_prepare_request,
		.finish_request = mqk_finish_request,
		.bio_merge = mqk_bio_merge,
		.request_merge = mqk_request_merge,
		.request_merged = mqk_request_merged,
		.requests_merged = mqk_requests_merged,
		.former_request = elv_rb_former_request,
		.next_request = elv_rb_latter_request,
	},
	.elevator_attrs = mqk_attrs,
#ifdef CONFIG_BLK_DEBUG_FS
	.queue_debugfs_attrs = mqk_debugfs_attrs,
#endif
	.elevator_name = "mq-kmlib",
	.elevator_owner = THIS_MODULE,
};

static int __init mqk_init(void)
{
	return elv_register(&mqk_type);
}

static void __exit mqk_exit(void)
{
	elv_unregister(&mqk_type);
}

module_init(mqk_init);
module_exit(mqk_exit);
MODULE_DESCRIPTION("mq-kmlib: deadline I/O scheduler on KMLib");
MODULE_LICENSE("Dual BSD/GPL");
