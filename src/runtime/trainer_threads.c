// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * trainer_threads.c - the trainer's threads and the work they share: the
 * baton protocol between training threads (trainer_internal.h), the
 * sleep/wake discipline, the FPU section around exactly one step, the
 * publication cadence and the compute cap. No float code.
 */
#include "trainer_internal.h"

#define NS_PER_SEC 1000000000ull

/* Move queued records into the batch buffer; true once it is full. */
static bool fill_batch(struct kml_trainer *tr)
{
	size_t want = tr->cfg.batch - tr->have, got = 0;

	if (want && kml_ring_dequeue_batch(tr->ring,
					   (uint8_t *)tr->batch_buf +
					       tr->have * tr->record_size,
					   want, &got) == KML_OK)
		tr->have += got;
	kml_atomic_set(&tr->need, (int)(tr->cfg.batch - tr->have));
	return tr->have == tr->cfg.batch;
}

void kml_trainer_publish_now(struct kml_trainer *tr)
{
	int ret = kml_pub_publish(tr->pub, tr->params, tr->param_bytes, NULL);

	if (ret == KML_OK) {
		tr->publish_pending = false;
		kml_atomic64_fetch_add(&tr->published, 1);
	} else {
		/* every other buffer pinned by readers: try after next batch */
		tr->publish_pending = true;
		kml_atomic64_fetch_add(&tr->publish_busy, 1);
	}
}

/*
 * How much earlier than its last deadline a thread may be charged from:
 * the sleep overshoot it is credited back, at most this much, so a thread
 * held off for long (preempted, a slow wake) gets at most a short burst.
 */
#define KML_TRAINER_CAP_CARRY_NS 10000000ull

/* Longest CPU time one charge counts (keeps the ppm product in range). */
#define KML_TRAINER_CAP_CPU_MAX_NS NS_PER_SEC

/*
 * The compute cap: every step uses up max(1 s / max batches per second,
 * cpu / share) of wall time, counted from where the last step's allowance
 * ended. cpu is the thread's own CPU time (kml_thread_cpu_ns), so time a
 * preempted thread waited for a CPU is not charged, and with a mark kept
 * across steps it includes what the thread burnt between them (throttle
 * sleeps and wake-ups). Sleeps overshoot (timer slack, a wake-up latency
 * of tens of microseconds, more than a short step's owed idle), so
 * charging from the end of the step would give a thread much less than
 * its cap; charging from the previous deadline credits the overshoot, up
 * to KML_TRAINER_CAP_CARRY_NS.
 */
static void charge(struct kml_trainer *tr, uint64_t start, uint64_t cpu)
{
	const struct kml_trainer_cfg *c = &tr->cfg;
	uint64_t base = tr->next_allowed_ns, cost = 0;

	if (c->max_batches_per_sec)
		cost = NS_PER_SEC / c->max_batches_per_sec;
	if (c->max_cpu_ppm && c->max_cpu_ppm < KML_GATE_PPM) {
		uint64_t span;

		if (cpu > KML_TRAINER_CAP_CPU_MAX_NS)
			cpu = KML_TRAINER_CAP_CPU_MAX_NS;
		span = cpu * KML_GATE_PPM / c->max_cpu_ppm;
		if (span > cost)
			cost = span;
	}
	if (!cost)
		return;
	if (start > KML_TRAINER_CAP_CARRY_NS &&
	    base < start - KML_TRAINER_CAP_CARRY_NS)
		base = start - KML_TRAINER_CAP_CARRY_NS;
	tr->next_allowed_ns = base + cost;
}

/*
 * One batch if one is queued. @cpu_mark: the calling thread's CPU clock
 * when it was last charged (moved to now); NULL charges this call alone.
 */
int kml_trainer_do_batch(struct kml_trainer *tr, uint32_t thread,
			 uint64_t *cpu_mark)
{
	uint64_t first, start, end, cpu0, cpu1;
	int ret;

	/* the cap charges the dequeue and the publish too, not just the step */
	first = kml_time_ns();
	cpu0 = cpu_mark ? *cpu_mark : kml_thread_cpu_ns();
	if (!fill_batch(tr))
		return 0;
	start = kml_time_ns();
	if (!kml_fpu_begin())
		return KML_EPERM; /* keep the batch, try again later */
	ret = kml_trainer_fpu_step(tr);
	kml_fpu_end();
	end = kml_time_ns();
	tr->have = 0;
	kml_atomic_set(&tr->need, (int)tr->cfg.batch);
	kml_atomic64_fetch_add(&tr->busy_ns, end - start);
	if (ret) {
		kml_atomic64_fetch_add(&tr->step_errors, 1);
		kml_atomic_set(&tr->last_error, ret);
		return 1; /* the batch is consumed either way */
	}
	kml_atomic64_fetch_add(&tr->samples, tr->cfg.batch);
	kml_atomic64_fetch_add(&tr->per_thread[thread], 1);
	if (++tr->since_publish >= tr->cfg.publish_every ||
	    tr->publish_pending) {
		tr->since_publish = 0;
		kml_trainer_publish_now(tr);
	}
	cpu1 = kml_thread_cpu_ns();
	if (cpu_mark)
		*cpu_mark = cpu1 > cpu0 ? cpu1 : cpu0;
	charge(tr, first, cpu1 > cpu0 ? cpu1 - cpu0 : 0);
	/* last: a reader of the count may rely on the publish before it */
	kml_atomic64_fetch_add(&tr->batches, 1);
	return 1;
}

int kml_trainer_reader_refresh(struct kml_trainer *tr,
			       struct kml_trainer_reader *rd)
{
	struct kml_pub_view v;
	int ret;

	ret = kml_pub_pin(tr->pub, &v);
	if (ret)
		return ret; /* keep the previous snapshot */
	if (!rd->have || v.version != rd->version) {
		kml_memcpy(rd->params, v.data, tr->param_bytes);
		rd->version = v.version;
		rd->have = true;
	}
	return kml_pub_unpin(tr->pub, &v);
}

int kml_trainer_do_requests(struct kml_trainer *tr,
			    struct kml_trainer_reader *rd, void *req_buf,
			    void *res_buf)
{
	struct kml_trainer_result *res = res_buf;
	const uint8_t *req = req_buf;
	size_t n = 0, i;
	int ret, fwd = KML_EPERM;

	/* the request ring has one consumer at a time: a try-lock */
	if (kml_atomic_cmpxchg(&tr->req_token, 0, 1) != 0)
		return 0;
	ret = kml_ring_dequeue_batch(tr->req, req_buf, tr->cfg.batch, &n);
	kml_atomic_store_release(&tr->req_token, 0);
	if (ret || !n)
		return 0;
	ret = kml_trainer_reader_refresh(tr, rd);
	if (rd->have && kml_fpu_begin()) {
		fwd = kml_trainer_fpu_forward(tr, rd, req + 8, tr->req_size,
					      (uint32_t)n, res[0].out,
					      sizeof(*res));
		kml_fpu_end();
	}
	if (!rd->have)
		fwd = ret;
	for (i = 0; i < n; i++) {
		kml_memcpy(&res[i].cookie, req + i * tr->req_size, 8);
		res[i].version = rd->version;
		res[i].status = fwd;
		res[i].n_bytes = fwd ? 0 : (uint32_t)tr->out_bytes;
		kml_ring_enqueue(tr->res, &res[i]); /* drops the oldest */
	}
	kml_atomic64_fetch_add(&tr->answered, n);
	return (int)n;
}

/* ---- threads --------------------------------------------------------- */

/*
 * Threads are only touched (woken) between kml_trainer_wake_enter() and
 * kml_trainer_wake_exit(): by notify, submit and the baton hand-off.
 * kml_trainer_stop_threads raises @stopping (a full barrier) and waits for
 * @wakers to drain before it stops and frees any thread, so no wake can
 * reach a freed thread.
 */
bool kml_trainer_wake_enter(struct kml_trainer *tr)
{
	kml_atomic_fetch_add(&tr->wakers, 1); /* full barrier */
	if (kml_atomic_read(&tr->stopping)) {
		kml_atomic_fetch_add(&tr->wakers, -1);
		return false;
	}
	return true;
}

void kml_trainer_wake_exit(struct kml_trainer *tr)
{
	kml_atomic_fetch_add(&tr->wakers, -1);
}

/* Sleep for data unless, after announcing it, there is work already. */
static void idle_sleep(struct kml_trainer_worker *w, struct kml_thread *self,
		       bool (*ready)(struct kml_trainer_worker *w))
{
	/* a fully ordered read-modify-write (no standalone fence, which
	 * TSan does not model): pairs with the one in notify/submit, so
	 * either we see their record or they see us idle */
	kml_atomic_fetch_add(&w->idle, 1);
	if (!ready(w) && !kml_thread_should_stop(self))
		kml_thread_sleep(self, KML_TRAINER_IDLE_NS);
	kml_atomic_set(&w->idle, 0);
}

static bool train_ready(struct kml_trainer_worker *w)
{
	struct kml_trainer *tr = w->tr;
	int need = kml_atomic_read(&tr->need);

	return (uint32_t)kml_atomic_load_acquire(&tr->turn) == w->id &&
	       kml_ring_count(tr->ring) >= (size_t)(need > 0 ? need : 1);
}

static int train_main(struct kml_thread *self, void *arg)
{
	struct kml_trainer_worker *w = arg;
	struct kml_trainer *tr = w->tr;

	w->cpu_mark = kml_thread_cpu_ns();
	while (!kml_thread_should_stop(self)) {
		uint64_t now;
		int ret;

		if ((uint32_t)kml_atomic_load_acquire(&tr->turn) != w->id) {
			idle_sleep(w, self, train_ready);
			continue;
		}
		/* the baton is ours: respect the compute cap first */
		now = kml_time_ns();
		if (now < tr->next_allowed_ns) {
			kml_atomic64_fetch_add(&tr->throttled, 1);
			kml_thread_sleep(self, tr->next_allowed_ns - now);
			continue;
		}
		ret = kml_trainer_do_batch(tr, w->id, &w->cpu_mark);
		if (ret < 0) {
			/* no FPU here now: back off instead of spinning */
			kml_thread_sleep(self, 1000000);
			continue;
		}
		if (ret == 0) {
			idle_sleep(w, self, train_ready);
			continue;
		}
		/* hand the baton on; wake the next thread if work waits */
		if (tr->n_train > 1) {
			struct kml_trainer_worker *next =
			    &tr->train[(w->id + 1) % tr->n_train];

			/* fully ordered: publishes the model to the next
			 * holder and orders the ring check after it */
			kml_atomic_cmpxchg(&tr->turn, (int)w->id,
					   (int)next->id);
			if (kml_ring_count(tr->ring) >= tr->cfg.batch &&
			    kml_trainer_wake_enter(tr)) {
				kml_thread_wake(next->th);
				kml_trainer_wake_exit(tr);
			}
		}
	}
	return 0;
}

static bool infer_ready(struct kml_trainer_worker *w)
{
	return kml_ring_count(w->tr->req) > 0 &&
	       !kml_atomic_read(&w->tr->req_token);
}

static int infer_main(struct kml_thread *self, void *arg)
{
	struct kml_trainer_worker *w = arg;
	struct kml_trainer *tr = w->tr;

	while (!kml_thread_should_stop(self)) {
		if (kml_trainer_do_requests(tr, w->reader, w->req_buf,
					    w->res_buf) > 0)
			continue;
		idle_sleep(w, self, infer_ready);
	}
	return 0;
}

int kml_trainer_start_threads(struct kml_trainer *tr)
{
	uint32_t i;
	int ret;

	for (i = 0; i < KML_TRAINER_MAX_THREADS; i++) {
		tr->train[i].tr = tr;
		tr->train[i].id = i;
		tr->infer[i].tr = tr;
		tr->infer[i].id = i;
	}
	for (i = 0; i < tr->n_train; i++) {
		struct kml_trainer_worker *w = &tr->train[i];

		ret = kml_thread_start(&w->th, train_main, w, "kml_train");
		if (ret)
			return ret;
	}
	for (i = 0; i < tr->n_infer; i++) {
		struct kml_trainer_worker *w = &tr->infer[i];

		ret = kml_thread_start(&w->th, infer_main, w, "kml_infer");
		if (ret)
			return ret;
	}
	return KML_OK;
}

void kml_trainer_stop_threads(struct kml_trainer *tr)
{
	uint32_t i;

	/* no notify or submit may touch a thread once they are freed */
	kml_atomic_fetch_add(&tr->stopping, 1);
	while (kml_atomic_load_acquire(&tr->wakers))
		kml_cpu_relax();
	for (i = 0; i < KML_TRAINER_MAX_THREADS; i++) {
		if (tr->train[i].th)
			kml_thread_stop(tr->train[i].th);
		tr->train[i].th = NULL;
		if (tr->infer[i].th)
			kml_thread_stop(tr->infer[i].th);
		tr->infer[i].th = NULL;
	}
}
