// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Per-queue learning state and the training thread (no float here: the
 * float work is in mqk_model.c, called inside one FPU guard per batch).
 *
 * The thread sleeps while fewer than MQK_BATCH samples wait (dispatch
 * wakes it when the ring reaches a batch; a partial batch is trained
 * after 100 ms; an empty ring means no timer at all), then per batch: feeds the
 * gate with what was predicted at insertion against what happened, trains one
 * SGD step inside kml_fpu_begin/end, and publishes the weights in Q16.16.
 */
#include <linux/kernel.h>
#include <linux/rcupdate.h>

#include "mqk.h"
#include "mqk_model.h"

#define MQK_IDLE_NS (100ull * 1000 * 1000)
#define MQK_SEED 0x6d716b6dull

static const struct kml_gate_cfg mqk_gate_cfg = {
	.window = 12, /* batches: 96 samples */
	.n_classes = 2,
	.margin_ppm = 20000, /* 2 points above the majority baseline */
	.min_samples = 64,
};

static void mqk_free_model(struct mqk_data *d, struct mqk_model *m)
{
	if (!m)
		return;
	mqk_net_destroy(m);
	kml_free(&d->mem, m);
}

/* Build a model of @kind into *@out (may sleep). */
static int mqk_build_model(struct mqk_data *d, int kind, struct mqk_model **out)
{
	struct mqk_model *m;
	void *p;
	int ret;

	*out = NULL;
	ret = kml_alloc(&d->mem, sizeof(*m), KML_MEM_SLEEP | KML_MEM_ZERO, &p);
	if (ret)
		return ret;
	m = p;
	ret = mqk_net_build(m, &d->mem, kind, MQK_SEED);
	if (ret) {
		mqk_free_model(d, m);
		return ret;
	}
	*out = m;
	return 0;
}

static void mqk_gate_stats(struct mqk_learn *l)
{
	struct kml_gate_stats st;

	if (kml_gate_get_stats(l->gate, &st) == KML_OK) {
		atomic64_set(&l->accuracy_ppm, st.accuracy_ppm);
		atomic64_set(&l->baseline_ppm, st.baseline_ppm);
		atomic64_set(&l->gate_open, st.open);
		atomic64_set(&l->gate_openings, st.openings);
	}
}

/* One outcome into the gate, if it had a prediction (MQK_SF_*). */
static void mqk_gate_record(struct mqk_learn *l, u32 flags, bool met)
{
	if (flags & MQK_SF_PREDICTED)
		kml_gate_record(l->gate, !(flags & MQK_SF_PRED_MISS), met);
}

/*
 * The gate: what was predicted at insertion (miss or not) against the
 * outcome, for the samples that had a prediction. Kernel mode: one batch
 * per training batch, here; shared mode: one per MQK_BATCH samples, at
 * dispatch (mqk_learn_gate_sample). Both writers hold the queue lock, as
 * the gate takes one writer at a time and a train_mode switch may leave
 * records in the ring while dispatch feeds it already.
 */
static void mqk_feed_gate(struct mqk_data *d, const struct mqk_rec *r, size_t n)
{
	struct mqk_learn *l = &d->learn;
	size_t i;

	spin_lock_irq(&d->lock);
	for (i = 0; i < n; i++)
		mqk_gate_record(l, r[i].flags, r[i].met);
	kml_gate_end_batch(l->gate);
	mqk_gate_stats(l);
	spin_unlock_irq(&d->lock);
}

void mqk_learn_gate_sample(struct mqk_data *d, const struct mqk_sample *s)
{
	struct mqk_learn *l = &d->learn;

	lockdep_assert_held(&d->lock);
	mqk_gate_record(l, s->flags, s->slack_us >= 0);
	if (++l->gate_batch_n < MQK_BATCH)
		return;
	l->gate_batch_n = 0;
	kml_gate_end_batch(l->gate);
	mqk_gate_stats(l);
}

void mqk_learn_gate_reset(struct mqk_data *d)
{
	struct mqk_learn *l = &d->learn;

	spin_lock_irq(&d->lock);
	kml_gate_reset(l->gate);
	l->gate_batch_n = 0;
	mqk_gate_stats(l);
	spin_unlock_irq(&d->lock);
}

/* On the thread's stack, not in the queue's memory: the batch. */
static void mqk_train_batch(struct mqk_data *d, const struct mqk_rec *r,
			    size_t n)
{
	struct mqk_learn *l = &d->learn;
	struct mqk_sample s[MQK_BATCH];
	int32_t w[MQK_MLP_NW];
	u64 t0 = kml_time_ns();
	int ret = KML_EAGAIN;
	size_t i;

	mqk_feed_gate(d, r, n);
	for (i = 0; i < n; i++)
		mqk_rec_unpack(&r[i], &s[i]);
	if (kml_fpu_begin()) {
		ret = mqk_model_train(l->model, s, n, w);
		kml_fpu_end();
	}
	if (ret == KML_OK &&
	    kml_pub_publish(l->pub, w,
			    mqk_model_nw(l->model->kind) * sizeof(int32_t),
			    NULL) == KML_OK) {
		atomic64_inc(&l->train_steps);
		/* after the publish: a reader that sees 1 finds version >= 1 */
		if (!READ_ONCE(l->pub_trained))
			smp_store_release(&l->pub_trained, 1);
	}
	atomic64_add(kml_time_ns() - t0, &l->train_ns);
}

static int mqk_train_thread(struct kml_thread *self, void *arg)
{
	struct mqk_data *d = arg;
	struct mqk_learn *l = &d->learn;
	struct mqk_rec batch[MQK_BATCH];
	size_t n;

	while (!kml_thread_should_stop(self)) {
		size_t cnt = kml_ring_count(l->ring);
		bool paused = READ_ONCE(l->train_paused);

		if (paused || cnt < MQK_BATCH) {
			/*
			 * Empty or paused: sleep until woken (a batch is
			 * waiting, unpaused, stop). A partial batch: at most
			 * MQK_IDLE_NS, then train on it.
			 */
			u64 t = paused || !cnt ? ~0ull : MQK_IDLE_NS;

			if (kml_thread_sleep(self, t) != KML_ETIMEDOUT)
				continue;
			if (READ_ONCE(l->train_paused) ||
			    !kml_ring_count(l->ring))
				continue;
		}
		if (kml_ring_dequeue_batch(l->ring, batch, MQK_BATCH, &n) || !n)
			continue;
		mqk_train_batch(d, batch, n);
		cond_resched();
	}
	return 0;
}

int mqk_learn_enqueue(struct mqk_learn *l, const struct mqk_sample *s)
{
	struct mqk_rec r;

	mqk_rec_pack(s, &r);
	return kml_ring_enqueue(l->ring, &r);
}

/* Dispatch, under the queue lock: wake the trainer once a batch waits. */
void mqk_learn_kick(struct mqk_data *d)
{
	if (kml_ring_count(d->learn.ring) == MQK_BATCH)
		kml_thread_wake(d->learn.thread);
}

/* Dispatch wakes l->thread under the queue lock: the pointer changes
 * under that lock too, and a thread is stopped only once unreachable. */
static int mqk_start_thread(struct mqk_data *d)
{
	struct kml_thread *t;
	int ret = kml_thread_start(&t, mqk_train_thread, d, "mq-kmlib-train");

	if (ret)
		return ret;
	spin_lock_irq(&d->lock);
	d->learn.thread = t;
	spin_unlock_irq(&d->lock);
	return 0;
}

static void mqk_stop_thread(struct mqk_data *d)
{
	struct kml_thread *t;

	spin_lock_irq(&d->lock);
	t = d->learn.thread;
	d->learn.thread = NULL;
	spin_unlock_irq(&d->lock);
	if (t)
		kml_thread_stop(t);
}

/*
 * sysfs `model`: replace the model and its publication (may sleep). The
 * trainer is stopped meanwhile; insertion sees the new pair under the
 * queue lock; the reject pre-pass reads the publication under RCU, so
 * the old one is freed after a grace period. The gate forgets its window.
 */
int mqk_learn_set_model(struct mqk_data *d, int kind)
{
	struct mqk_learn *l = &d->learn;
	struct mqk_model *m, *old_m;
	struct kml_pub *pub, *old_pub;
	int ret;

	mutex_lock(&l->model_mutex);
	if (kind == READ_ONCE(l->model_kind)) {
		mutex_unlock(&l->model_mutex);
		return 0;
	}
	ret = mqk_build_model(d, kind, &m);
	if (!ret) {
		ret = kml_pub_create_flags(&pub, &d->mem,
					   mqk_model_nw(kind) * sizeof(int32_t),
					   2, NULL, KML_PUB_COMPACT);
		if (ret)
			mqk_free_model(d, m);
	}
	if (ret) {
		mutex_unlock(&l->model_mutex);
		return -ENOMEM;
	}
	mqk_stop_thread(d);
	spin_lock_irq(&d->lock);
	old_m = l->model;
	old_pub = l->pub;
	l->model = m;
	/* cleared before the new pub is visible (the reader loads pub,
	 * then the flag, with acquire); the thread that sets it again
	 * starts after synchronize_rcu(), when no reader holds the old pub */
	WRITE_ONCE(l->pub_trained, 0);
	smp_store_release(&l->pub, pub);
	WRITE_ONCE(l->model_kind, kind);
	spin_unlock_irq(&d->lock);
	synchronize_rcu();
	kml_pub_destroy(old_pub);
	mqk_free_model(d, old_m);
	/* under the lock: in shared mode dispatch feeds the gate */
	mqk_learn_gate_reset(d);
	ret = mqk_start_thread(d);
	mutex_unlock(&l->model_mutex);
	return ret ? -ENOMEM : 0;
}

int mqk_learn_init(struct mqk_data *d)
{
	struct mqk_learn *l = &d->learn;
	struct kml_ring_config rc = {
		.capacity = MQK_RING_CAPACITY,
		.record_size = sizeof(struct mqk_rec),
		.mode = KML_RING_DROP_NEWEST,
		/* per-queue objects, light traffic: bytes over false sharing */
		.flags = KML_RING_MP | KML_RING_COMPACT,
	};
	int ret;

	l->policy = MQK_POLICY_OBSERVE;
	l->reject_prio = -1;
	l->reject_max = MQK_REJECT_MAX_DEFAULT;
	l->model_kind = MQK_MODEL_LINEAR;
	mutex_init(&l->trace_mutex);
	mutex_init(&l->model_mutex);
	ret = kml_ring_create(&l->ring, &d->mem, &rc);
	if (!ret)
		ret = kml_pub_create_flags(&l->pub, &d->mem,
					   MQK_NW * sizeof(int32_t), 2, NULL,
					   KML_PUB_COMPACT);
	if (!ret)
		ret = kml_gate_create(&l->gate, &d->mem, &mqk_gate_cfg);
	if (!ret)
		ret = mqk_build_model(d, MQK_MODEL_LINEAR, &l->model);
	if (!ret)
		ret = mqk_start_thread(d);
	if (ret)
		mqk_learn_exit(d);
	return ret ? -ENOMEM : 0;
}

/* After the queue is drained: no hook runs any more. */
void mqk_learn_exit(struct mqk_data *d)
{
	struct mqk_learn *l = &d->learn;

	mqk_stop_thread(d);
	mqk_trace_resize(d, 0);
	mqk_free_model(d, l->model);
	l->model = NULL;
	kml_gate_destroy(l->gate);
	l->gate = NULL;
	kml_pub_destroy(l->pub);
	l->pub = NULL;
	kml_ring_destroy(l->ring);
	l->ring = NULL;
}
