/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * trainer.h - online training offload (docs/runtime.md, "Trainer").
 *
 * A trainer owns a model (a network built by the caller's callback plus an
 * optimizer it creates), an input ring of fixed-size sample records, a
 * publication (kml_pub) of the parameters and optionally an adaptive gate.
 * The hot path only enqueues samples (kml_trainer_add / kml_trainer_notify)
 * and reads predictions from the latest published snapshot; training runs
 * on trainer threads, or in the caller's context (inline mode: zero
 * threads, kml_trainer_poll), and the hot path never waits for it.
 *
 * Record layout (record_size bytes, no padding): n_features values of
 * the net's dtype, then the target: n_outputs values of the dtype
 * (regression) or one int32 class label (classification).
 *
 * Several training threads share ONE model: whichever thread holds the
 * training token (an atomic flag, taken with a compare-and-swap, never
 * waited for) drains one batch, trains on it and hands the token on. So
 * steps never run concurrently and the order of samples is the ring's
 * order. Inference threads answer prediction requests queued with
 * kml_trainer_submit(), each on its own private inference net.
 */
#ifndef KMLIB_TRAINER_H
#define KMLIB_TRAINER_H

#include "kml_deps.h"
#include "platform.h"
#include "nn.h"
#include "optim.h"
#include "ring.h"
#include "gate.h"

#define KML_TRAINER_MAX_THREADS 16
#define KML_TRAINER_MAX_OUTPUTS 64

enum kml_trainer_task {
	KML_TRAINER_REGRESSION = 0, /* targets are values of the dtype */
	KML_TRAINER_CLASSIFY = 1, /* targets are int32 labels, output logits */
};

/* What the build callback hands back: a prepared network and its nodes. */
struct kml_trainer_model {
	struct kml_nn *net; /* prepared for at least max_batch samples */
	int input; /* features: a vector input of n_features */
	int target; /* targets (vector of n_outputs) or labels */
	int output; /* predictions: n_outputs values (logits to classify) */
	int loss; /* scalar loss node */
};

/*
 * Build and prepare one network from @mem for up to @max_batch samples
 * (nofpu context, may sleep). Called once for the training net and once
 * per inference context; every call must build the same architecture.
 * On failure it frees what it built and returns a negative status.
 */
typedef int (*kml_trainer_build_fn)(struct kml_mem *mem, size_t max_batch,
				    void *arg, struct kml_trainer_model *out);

struct kml_trainer_cfg {
	kml_trainer_build_fn build;
	void *build_arg;
	const struct kml_optim_cfg *optim; /* read at create only */
	uint64_t init_seed; /* kml_nn_init_params of the training net */
	int task; /* enum kml_trainer_task */
	uint32_t n_features;
	uint32_t n_outputs; /* regression: 1..64; classify: classes 2..64 */
	uint32_t batch; /* samples per training step */

	size_t ring_capacity; /* samples; power of two, >= batch */
	int ring_mode; /* enum kml_ring_mode */
	unsigned int ring_flags; /* KML_RING_SP or KML_RING_MP */
	uint64_t ring_spin_ns; /* KML_RING_BLOCK */

	uint32_t train_threads; /* 0 = inline mode (kml_trainer_poll) */
	uint32_t infer_threads; /* 0 = requests answered by kml_trainer_poll */
	size_t request_capacity; /* prediction requests/results; 0 = none */
	uint32_t readers; /* extra private readers for kml_trainer_predict */

	uint32_t publish_every; /* publish after every N batches (>= 1) */

	/* compute cap, enforced by the training threads (0 = unlimited) */
	uint32_t max_batches_per_sec;
	uint32_t max_cpu_ppm; /* busy time / wall time, parts per million */

	/* adaptive gate; gate.window == 0 disables it. For regression the
	 * first output and target are thresholded at gate_threshold. */
	struct kml_gate_cfg gate;
	double gate_threshold; /* read by FPU code only */
};

/* A queued prediction: its answer comes back with the same cookie. */
struct kml_trainer_result {
	uint64_t cookie;
	uint64_t version; /* parameter version that answered */
	int32_t status; /* KML_OK or why it could not be answered */
	uint32_t n_bytes; /* bytes of out used */
	uint8_t out[KML_TRAINER_MAX_OUTPUTS * 8]; /* n_outputs values */
};

struct kml_trainer_stats {
	uint64_t batches; /* training steps done */
	uint64_t samples; /* samples trained on */
	uint64_t published; /* publications */
	uint64_t publish_busy; /* publications postponed (readers pinned) */
	uint64_t step_errors; /* steps that returned an error */
	int32_t last_error;
	uint64_t throttled; /* times a thread slept for the compute cap */
	uint64_t busy_ns; /* time spent in training steps */
	uint64_t version; /* latest published parameter version */
	uint64_t answered; /* prediction requests answered */
	uint64_t per_thread[KML_TRAINER_MAX_THREADS]; /* batches by thread */
	struct kml_ring_stats ring;
};

struct kml_trainer;

/*
 * Create a trainer from @cfg with all memory from @mem (under its cap:
 * too small a cap gives KML_ENOMEM and frees everything). Builds the nets,
 * initialises the parameters, publishes them as version 0 and starts the
 * threads. May sleep.
 */
int kml_trainer_create(struct kml_trainer **out, struct kml_mem *mem,
		       const struct kml_trainer_cfg *cfg);
/*
 * Stop and join every thread (may sleep). Producers may keep calling
 * kml_trainer_add/notify/submit meanwhile and afterwards (records stay
 * queued); they must be finished before kml_trainer_destroy. One caller
 * at a time (stop and destroy are not thread-safe against each other).
 */
int kml_trainer_stop(struct kml_trainer *tr);
/* Stop and join every thread, free everything. NULL is a no-op. */
void kml_trainer_destroy(struct kml_trainer *tr);

/*
 * Hot path, any context (IRQ included, no FPU, never sleeps): copy one
 * record into the input ring and wake a training thread when a batch is
 * ready. Returns the ring's answer (KML_EAGAIN/ETIMEDOUT when not stored).
 */
int kml_trainer_add(struct kml_trainer *tr, const void *record);
/* Wake a training thread if a batch is waiting (after enqueues made
 * straight into kml_trainer_ring()). Any context; cheap when idle. */
void kml_trainer_notify(struct kml_trainer *tr);
/* The input ring, for producers that enqueue themselves. */
struct kml_ring *kml_trainer_ring(struct kml_trainer *tr);

/*
 * Inline mode and debugging: in the caller's context, train on up to
 * @max_batches full batches (0 = as many as are queued) and answer queued
 * requests when there are no inference threads. Takes the FPU guard per
 * batch; ignores the compute cap. *@done (may be NULL) gets the batches
 * trained. KML_EBUSY if training threads exist.
 */
int kml_trainer_poll(struct kml_trainer *tr, uint32_t max_batches,
		     uint32_t *done);

/*
 * FPU, hot path: predict @n_samples (1..batch) from @features (n_features
 * values each) into @out (n_outputs values each) with the latest
 * published parameters, on private reader @reader (0 .. readers-1; each
 * reader serves one caller at a time). Never blocks on training: KML_EBUSY
 * if the reader is in use, KML_EAGAIN if no snapshot could be read (the
 * writer overtook every try; the reader's previous version is used then
 * if there is one). *@version (may be NULL) gets the version used.
 * Where the FPU is not usable (kml_fpu_begin false, e.g. some hard IRQs
 * in the kernel), queue the request with kml_trainer_submit instead.
 */
int kml_trainer_predict(struct kml_trainer *tr, uint32_t reader,
			const void *features, uint32_t n_samples, void *out,
			uint64_t *version);

/*
 * Queue one prediction request (n_features values) for the inference
 * threads (any context, no FPU). KML_EAGAIN if the request queue is full.
 */
int kml_trainer_submit(struct kml_trainer *tr, const void *features,
		       uint64_t cookie);
/* Take one answered request. KML_EAGAIN if none. One caller at a time. */
int kml_trainer_collect(struct kml_trainer *tr, struct kml_trainer_result *res);

/* Hot path: is the gate open (false without a gate)? */
bool kml_trainer_trusted(const struct kml_trainer *tr);
int kml_trainer_gate_stats(const struct kml_trainer *tr,
			   struct kml_gate_stats *st);
int kml_trainer_stats(const struct kml_trainer *tr,
		      struct kml_trainer_stats *st);
/* Bytes of one sample record. */
size_t kml_trainer_record_size(const struct kml_trainer *tr);

/*
 * Copy the training net's parameters (kml_nn_params bytes) to @dst of
 * @size bytes. Only while no step can run: inline mode, or threads idle
 * (tests and checkpoints); KML_EBUSY if a step is running.
 */
int kml_trainer_read_params(struct kml_trainer *tr, void *dst, size_t size);

#endif /* KMLIB_TRAINER_H */
