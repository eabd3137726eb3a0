/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * mq-kmlib: a deadline I/O scheduler for Linux 6.1's blk-mq elevator API,
 * written for KMLib. One struct mqk_data per request queue (created in
 * init_sched, freed in exit_sched) holds everything: no globals shared
 * between devices. All request lists are protected by mqk_data.lock;
 * insert and dispatch run in process context, never in hard IRQ. The
 * gate's writers (the training thread, dispatch in shared mode) hold the
 * lock too; its readers (kml_gate_trusted) need none.
 */
#ifndef MQK_H
#define MQK_H

#include <linux/blkdev.h>
#include <linux/blk-mq.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/atomic.h>

#include "block/elevator.h"
#include "block/blk.h"
#include "block/blk-mq.h"
#include "block/blk-mq-sched.h"
#include "block/blk-mq-debugfs.h"

#include "kmlib/platform.h"
#include "kmlib/ring.h"
#include "kmlib/publish.h"
#include "kmlib/gate.h"

#include "mqk_sample.h"

enum mqk_dir_id { MQK_READ = 0, MQK_WRITE = 1, MQK_NR_DIRS = 2 };

/* sysfs `policy` */
enum mqk_policy {
	MQK_POLICY_OFF = 0, /* plain deadline: no recording, no prediction */
	MQK_POLICY_OBSERVE = 1, /* learn and predict, change nothing */
	MQK_POLICY_EXPEDITE = 2, /* predicted misses go to the dispatch list */
	MQK_POLICY_REJECT = 3, /* opted-in predicted misses fail with EAGAIN */
	MQK_NR_POLICIES = 4,
};

/* sysfs `model` */
enum mqk_model_kind { MQK_MODEL_LINEAR = 0, MQK_MODEL_MLP = 1, MQK_NR_MODELS };

/* the linear model: MQK_NFEAT weights then the bias, Q16.16 */
#define MQK_NW (MQK_NFEAT + 1)
/* the MLP, MQK_NFEAT -> MQK_HIDDEN (ReLU) -> 1, Q16.16: W1[i][o] (input
 * major), b1[o], w2[o], b2 */
#define MQK_HIDDEN 16
#define MQK_MLP_NW (MQK_NFEAT * MQK_HIDDEN + 2 * MQK_HIDDEN + 1)
/* samples per training step, and ring capacity (records) */
#define MQK_BATCH 8
#define MQK_RING_CAPACITY 16
/* reject_max: rejections per second and queue; the default lets a
 * misbehaving load (one that resubmits at once) fail a few requests, not
 * tens of thousands (docs/sched.md, "Policies") */
#define MQK_REJECT_MAX_DEFAULT 50
#define MQK_REJECT_MAX_LIMIT 1000000
/* trace_samples: largest ring */
#define MQK_TRACE_MAX (1u << 16)

struct mqk_model;
struct kml_thread;
struct mqk_shared;

/* Learning state of one queue (mqk_learn.c); counters are atomics because
 * the hooks, the training thread and sysfs update or read them at once. */
struct mqk_learn {
	int policy; /* enum mqk_policy, READ_ONCE */
	int reject_prio; /* ioprio value that opts in, -1 = none */
	int gate_force; /* tests: 1 = act as if the gate were open */
	int train_paused;

	/* training records (struct mqk_rec, MP, drop newest) */
	struct kml_ring *ring;
	/* Q16.16 weights: MQK_NW (linear) or MQK_MLP_NW (MLP) int32. The
	 * pointer changes (with the model) under the queue lock; the reject
	 * pre-pass reads it under rcu_read_lock() */
	struct kml_pub *pub;
	int model_kind; /* enum mqk_model_kind, changes with pub */
	/* pub holds a trained version (>= 1): set (release) by the training
	 * thread after its first publish, cleared with a new pub; in the
	 * hole before model_mutex (mqk_predict.h says why not a call) */
	int pub_trained;
	struct mutex model_mutex; /* serialises model changes */
	struct kml_gate *gate;
	struct mqk_model *model; /* float, FPU object */
	struct kml_thread *thread;
	struct mqk_shared *shared; /* mqk_shared.c; NULL: kernel mode only */

	/* under mqk_data.lock */
	u32 last_insert_us;
	u32 recent_wait_us[MQK_NR_DIRS];
	/* expedited requests still in the dispatch list */
	unsigned int expedited_queued;
	/* shared mode: samples fed to the gate in its current batch */
	unsigned int gate_batch_n;
	/* sysfs reject_max: rejections per second at most, READ_ONCE */
	unsigned int reject_max;

	atomic_t inflight;
	/* predictions given up: publishes overtook every read (mqk_predict.h;
	 * 32 bits, in the hole before the 64-bit counters: no added bytes) */
	atomic_t pred_overtaken;
	atomic64_t predictions, samples, train_steps, expedited, rejected;
	atomic64_t deadline_misses, hook_ns, train_ns;
	atomic64_t accuracy_ppm, baseline_ppm, gate_open, gate_openings;
	/* the rejection budget's second (upper 32 bits) and count in it */
	atomic64_t reject_window;
	/* predicted misses not rejected because the budget was spent */
	atomic64_t reject_over_budget;

	/* trace (mqk_trace.c): the ring exists while trace_samples != 0;
	 * the pointer changes under mqk_data.lock and trace_mutex */
	struct kml_ring *trace;
	unsigned int trace_samples;
	struct mutex trace_mutex;
	/* the record a reader is at: allocated with the trace ring */
	struct mqk_sample *trace_cur;
	bool trace_cur_valid;
};

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
	unsigned int queued[MQK_NR_DIRS]; /* in the FIFOs */

	struct mqk_learn learn;
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

/* mqk_learn.c: per-queue learning state, the training thread */
int mqk_learn_init(struct mqk_data *d);
void mqk_learn_exit(struct mqk_data *d);
void mqk_learn_kick(struct mqk_data *d);
/* Kernel mode: @s as a training record into the ring (any context). */
int mqk_learn_enqueue(struct mqk_learn *l, const struct mqk_sample *s);
int mqk_learn_set_model(struct mqk_data *d, int kind);
/* Shared mode, dispatch, under the queue lock: @s into the gate, as the
 * training thread does in kernel mode (a batch per MQK_BATCH samples). */
void mqk_learn_gate_sample(struct mqk_data *d, const struct mqk_sample *s);
/* The gate forgets its window (train_mode changes; may not sleep). */
void mqk_learn_gate_reset(struct mqk_data *d);

/* mqk_hooks.c: the learning work of insert, dispatch and finish */
void mqk_prepare_request(struct request *rq);
bool mqk_hook_insert(struct mqk_data *d, struct request *rq);
void mqk_hook_dispatch(struct mqk_data *d, struct request *rq);
void mqk_finish_request(struct request *rq);
void mqk_reject_pick(struct mqk_data *d, struct list_head *list,
		     struct list_head *rejected);
void mqk_reject_end(struct mqk_data *d, struct list_head *rejected);
bool mqk_rq_expedited(const struct request *rq);

/* mqk_trace.c */
int mqk_trace_resize(struct mqk_data *d, unsigned int samples);
#ifdef CONFIG_BLK_DEBUG_FS
extern const struct blk_mq_debugfs_attr mqk_debugfs_attrs[];
#endif

#endif /* MQK_H */
