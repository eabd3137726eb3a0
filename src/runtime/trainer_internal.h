/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * trainer_internal.h - layout of struct kml_trainer, shared by the nofpu
 * orchestration (trainer.c, trainer_threads.c) and the FPU compute file
 * (trainer_compute.c). The interface between them passes pointers and
 * integers only.
 *
 * Training threads pass a baton: @turn names the one thread allowed to
 * take samples out of the ring and train; it trains one batch, publishes
 * if due, then hands the baton to the next thread with a store-release
 * (the next thread's load-acquire sees the model it left). So one model,
 * one optimizer, never two steps at once, no lock.
 */
#ifndef KMLIB_TRAINER_INTERNAL_H
#define KMLIB_TRAINER_INTERNAL_H

#include "kmlib/trainer.h"
#include "kmlib/publish.h"

/* Longest idle sleep: a safety net only, wakes come from notify. */
#define KML_TRAINER_IDLE_NS 50000000ull

struct kml_trainer;

/* A private inference net fed from the publication. */
struct kml_trainer_reader {
	struct kml_trainer_model model;
	void *params; /* the net's parameter block */
	kml_atomic_t busy; /* try-lock: one caller at a time */
	bool have; /* a snapshot was loaded */
	uint64_t version;
};

struct kml_trainer_worker {
	struct kml_trainer *tr;
	struct kml_thread *th;
	uint32_t id;
	kml_atomic_t idle; /* 1 while (about to be) sleeping for data */
	uint64_t cpu_mark; /* training: own CPU time charged to the cap */
	struct kml_trainer_reader *reader; /* inference workers */
	void *req_buf; /* inference workers: batch x request records */
	void *res_buf; /* inference workers: batch results */
};

struct kml_trainer {
	struct kml_mem *mem;
	struct kml_trainer_cfg cfg; /* copied as bytes */
	struct kml_trainer_model model;
	struct kml_optim *opt;
	struct kml_ring *ring;
	struct kml_pub *pub;
	struct kml_gate *gate;
	size_t elem; /* bytes per value of the dtype */
	size_t feat_bytes, target_bytes, record_size, out_bytes;
	void *params; /* the training net's parameter block */
	size_t param_bytes;

	/* owned by the baton holder (or the inline caller) */
	void *batch_buf; /* batch records */
	size_t have; /* records in batch_buf */
	uint32_t since_publish;
	bool publish_pending;
	uint64_t next_allowed_ns; /* compute cap */
	uint32_t *gate_pred, *gate_truth; /* batch classes for the gate */

	kml_atomic_t turn; /* the training thread holding the baton */
	kml_atomic_t need; /* records the holder still needs for a batch */
	kml_atomic_t stopping; /* set before threads are stopped */
	kml_atomic_t wakers; /* notify/submit calls touching threads now */

	/* prediction requests (optional) */
	struct kml_ring *req, *res;
	size_t req_size; /* cookie + features */
	kml_atomic_t req_token; /* try-lock around the request dequeue */
	void *poll_req_buf, *poll_res_buf; /* inline answering */

	struct kml_trainer_reader *readers; /* readers, infer threads, poll */
	uint32_t n_readers;

	uint32_t n_train, n_infer;
	struct kml_trainer_worker train[KML_TRAINER_MAX_THREADS];
	struct kml_trainer_worker infer[KML_TRAINER_MAX_THREADS];

	kml_atomic64_t batches, samples, published, publish_busy, step_errors,
	    throttled, busy_ns, answered;
	kml_atomic64_t per_thread[KML_TRAINER_MAX_THREADS];
	kml_atomic_t last_error;
};

/* trainer_threads.c: one batch if one is ready (baton held); 1 if
 * trained, 0 if not enough data, < 0 on error. */
int kml_trainer_do_batch(struct kml_trainer *tr, uint32_t thread,
			 uint64_t *cpu_mark);
/* Answer up to one batch of requests with @rd; the number answered. */
int kml_trainer_do_requests(struct kml_trainer *tr,
			    struct kml_trainer_reader *rd, void *req_buf,
			    void *res_buf);
/* Bracket every kml_thread_wake (see trainer_threads.c); enter fails
 * once the threads are being stopped. */
bool kml_trainer_wake_enter(struct kml_trainer *tr);
void kml_trainer_wake_exit(struct kml_trainer *tr);
/* Publish the training net's parameters (baton held or threads stopped). */
void kml_trainer_publish_now(struct kml_trainer *tr);
int kml_trainer_start_threads(struct kml_trainer *tr);
void kml_trainer_stop_threads(struct kml_trainer *tr);
/* Load the latest snapshot into @rd if newer (no FPU, never blocks). */
int kml_trainer_reader_refresh(struct kml_trainer *tr,
			       struct kml_trainer_reader *rd);

/* trainer_compute.c (FPU: call between kml_fpu_begin and kml_fpu_end) */
int kml_trainer_fpu_init(struct kml_trainer *tr);
/* Gate-evaluate then train on the tr->batch_buf records. */
int kml_trainer_fpu_step(struct kml_trainer *tr);
/* Forward @n (1..batch) feature vectors on @rd into @out. */
int kml_trainer_fpu_forward(struct kml_trainer *tr,
			    struct kml_trainer_reader *rd, const void *features,
			    size_t stride, uint32_t n, void *out,
			    size_t out_stride);

#endif /* KMLIB_TRAINER_INTERNAL_H */
