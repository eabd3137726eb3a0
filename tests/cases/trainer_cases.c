// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * trainer_cases.c - the training offload: inline mode learns a linear
 * function exactly reproducibly; 1 and 2 training threads fed by a
 * producer thread (kthreads in the kernel) learn the same parameters bit
 * for bit while a reader watches predictions converge and the gate open;
 * the compute cap; shutdown with the producer still running; bad input.
 * A NOFPU suite: float work is in trainer_test_fpu.c, called inside
 * kml_fpu_begin/end.
 */
#include "trainer_test.h"

#define TT_BATCHES 400 /* per run: 1600 samples */
#define TT_ERR_PPM 20000 /* |prediction - truth| < 0.02 at the end */
#define TT_TIME_LIMIT_NS 30000000000ull

/* The build callback: input 2 -> linear 1, MSE against a 1-value target. */
static int build_linear(struct kml_mem *mem, size_t max_batch, void *arg,
			struct kml_trainer_model *m)
{
	int ret;

	(void)arg;
	ret = kml_nn_create(&m->net, mem, KML_NN_F32, 8);
	if (ret)
		return ret;
	m->input = kml_nn_input_vec(m->net, 2, 0);
	m->output = kml_nn_linear(m->net, m->input, 1, true);
	m->target = kml_nn_input_vec(m->net, 1, 0);
	m->loss = kml_nn_mse(m->net, m->output, m->target, KML_NN_MEAN);
	ret = m->loss < 0 ? m->loss : kml_nn_prepare(m->net, max_batch);
	if (ret) {
		kml_nn_destroy(m->net);
		m->net = NULL;
	}
	return ret;
}

static bool fpu_defaults(struct kml_trainer_cfg *cfg, struct kml_optim_cfg *o)
{
	if (!kml_fpu_begin())
		return false;
	tt_defaults(cfg, o);
	kml_fpu_end();
	cfg->build = build_linear;
	return true;
}

static int check(struct kml_trainer *tr, uint32_t *err, uint32_t bits[8],
		 uint64_t *version)
{
	int ret;

	if (!kml_fpu_begin())
		return KML_EPERM;
	ret = tt_check(tr, 0, err, bits, version);
	kml_fpu_end();
	return ret;
}

/* Digest what must not depend on timing or threads. */
static void digest_final(struct kt_ctx *t, struct kml_trainer *tr,
			 uint8_t params[16])
{
	struct kml_trainer_stats st;
	struct kml_gate_stats gs;
	uint64_t v[4];

	KT_EXPECT_OK(t, kml_trainer_read_params(tr, params, 12));
	kt_digest(t, params, 12);
	KT_EXPECT_OK(t, kml_trainer_stats(tr, &st));
	KT_EXPECT_OK(t, kml_trainer_gate_stats(tr, &gs));
	v[0] = st.batches;
	v[1] = st.samples;
	v[2] = gs.accuracy_ppm;
	v[3] = gs.baseline_ppm;
	kt_digest(t, v, sizeof(v));
}

/* ---- inline mode ------------------------------------------------------ */

static void run_inline(struct kt_ctx *t, uint8_t params[16])
{
	struct kml_optim_cfg ocfg;
	struct kml_trainer_cfg cfg;
	struct kml_trainer *tr;
	struct kml_prng rng;
	uint8_t recs[16 * TT_RECORD_BYTES];
	struct kml_trainer_stats st;
	uint32_t round, i, done, err, bits[8];
	uint64_t allocs, version;

	if (!fpu_defaults(&cfg, &ocfg))
		return;
	KT_EXPECT_OK(t, kml_trainer_create(&tr, t->mem, &cfg));
	if (t->failed)
		return;
	KT_EXPECT_EQ(t, kml_trainer_record_size(tr), TT_RECORD_BYTES);
	KT_EXPECT(t, !kml_trainer_trusted(tr));
	kml_prng_seed(&rng, 7);
	allocs = kml_mem_alloc_count(t->mem);
	for (round = 0; round < TT_BATCHES / 4 && !t->failed; round++) {
		if (!kml_fpu_begin())
			break;
		tt_make_records(&rng, recs, 16);
		kml_fpu_end();
		for (i = 0; i < 16; i++)
			KT_EXPECT_OK(
			    t, kml_trainer_add(tr, recs + i * TT_RECORD_BYTES));
		KT_EXPECT_OK(t, kml_trainer_poll(tr, 0, &done));
		KT_EXPECT_EQ(t, done, 4);
	}
	/* a steady-state step allocates nothing */
	KT_EXPECT_EQ(t, kml_mem_alloc_count(t->mem), allocs);
	KT_EXPECT_OK(t, kml_trainer_stats(tr, &st));
	KT_EXPECT_EQ(t, st.batches, TT_BATCHES);
	KT_EXPECT_EQ(t, st.published, TT_BATCHES / 10);
	KT_EXPECT_EQ(t, st.version, TT_BATCHES / 10);
	KT_EXPECT_EQ(t, st.step_errors, 0);
	KT_EXPECT_EQ(t, st.ring.consumed, TT_BATCHES * 4);
	KT_EXPECT_OK(t, check(tr, &err, bits, &version));
	KT_EXPECT(t, err < TT_ERR_PPM);
	KT_EXPECT_EQ(t, version, TT_BATCHES / 10);
	KT_EXPECT(t, kml_trainer_trusted(tr));
	kt_digest(t, bits, sizeof(bits));
	digest_final(t, tr, params);
	kml_trainer_destroy(tr);
	KT_EXPECT_EQ(t, kml_mem_current(t->mem), 0);
}

static void inline_learns(struct kt_ctx *t)
{
	uint8_t a[16], b[16];

	run_inline(t, a);
	/* the same run again gives the same bits */
	run_inline(t, b);
	KT_EXPECT(t, kml_memcmp(a, b, 12) == 0);
}

/* ---- a producer thread feeding a training thread ---------------------- */

struct producer {
	struct kml_trainer *tr;
	uint32_t total; /* records to add; 0 = until stopped */
	kml_atomic_t added; /* read by the main thread while it runs */
	uint32_t retries;
	int bad_status;
	kml_atomic_t done;
};

static int produce(struct kml_thread *self, void *arg)
{
	struct producer *p = arg;
	uint8_t recs[16 * TT_RECORD_BYTES];
	struct kml_prng rng;
	uint32_t i;

	kml_prng_seed(&rng, 7);
	while (!kml_thread_should_stop(self) &&
	       (!p->total || (uint32_t)kml_atomic_read(&p->added) < p->total)) {
		if (!kml_fpu_begin()) {
			p->bad_status = KML_EPERM;
			break;
		}
		tt_make_records(&rng, recs, 16);
		kml_fpu_end();
		for (i = 0; i < 16 && !kml_thread_should_stop(self);) {
			int ret =
			    kml_trainer_add(p->tr, recs + i * TT_RECORD_BYTES);

			if (ret == KML_OK) {
				i++;
				kml_atomic_fetch_add(&p->added, 1);
			} else if (ret == KML_EAGAIN || ret == KML_ETIMEDOUT) {
				p->retries++; /* full: let the trainer run */
				kml_thread_sleep(self, 200000);
			} else {
				p->bad_status = ret;
				goto out;
			}
		}
	}
out:
	kml_atomic_store_release(&p->done, 1);
	while (!kml_thread_should_stop(self))
		kml_thread_sleep(self, 1000000);
	return 0;
}

static bool timed_out(struct kt_ctx *t, uint64_t start, const char *what)
{
	if (kml_time_ns() - start <= TT_TIME_LIMIT_NS)
		return false;
	kt_fail(t, __FILE__, __LINE__, "timed out waiting for %s", what);
	return true;
}

static void pause_a_little(void)
{
	int k;

	for (k = 0; k < 2000; k++)
		kml_cpu_relax();
}

static uint64_t batches_of(struct kml_trainer *tr)
{
	struct kml_trainer_stats st;

	kml_trainer_stats(tr, &st);
	return st.batches;
}

static void run_threads(struct kt_ctx *t, uint32_t n_train,
			const uint8_t *inline_params)
{
	struct producer p = { .total = TT_BATCHES * 4 };
	uint32_t err, bits[8], checks = 0, i;
	struct kml_thread *prod = NULL;
	uint64_t start, version, last_version = 0;
	struct kml_trainer_stats st;
	struct kml_optim_cfg ocfg;
	struct kml_trainer_cfg cfg;
	struct kml_trainer *tr;
	uint8_t params[16];

	if (!fpu_defaults(&cfg, &ocfg))
		return;
	cfg.train_threads = n_train;
	cfg.ring_capacity = 64;
	KT_EXPECT_OK(t, kml_trainer_create(&tr, t->mem, &cfg));
	if (t->failed)
		return;
	KT_EXPECT_EQ(t, kml_trainer_poll(tr, 0, NULL), KML_EBUSY);
	p.tr = tr;
	KT_EXPECT_OK(t, kml_thread_start(&prod, produce, &p, "kt_tt_prod"));
	/* the reader: predictions from published snapshots, never blocking */
	start = kml_time_ns();
	while (!t->failed && batches_of(tr) < TT_BATCHES) {
		int ret = check(tr, &err, NULL, &version);

		KT_EXPECT(t, ret == KML_OK || ret == KML_EAGAIN);
		KT_EXPECT(t, version >= last_version);
		last_version = version;
		checks++;
		if (timed_out(t, start, "training"))
			break;
		for (i = 0; i < 50; i++)
			pause_a_little();
	}
	if (prod)
		KT_EXPECT_OK(t, kml_thread_stop(prod));
	KT_EXPECT_EQ(t, p.bad_status, 0);
	KT_EXPECT_EQ(t, kml_atomic_read(&p.added), TT_BATCHES * 4);
	KT_EXPECT(t, checks >= 1);
	/* stop publishes what was trained since the last publication */
	KT_EXPECT_OK(t, kml_trainer_stop(tr));
	KT_EXPECT_OK(t, kml_trainer_stats(tr, &st));
	KT_EXPECT_EQ(t, st.batches, TT_BATCHES);
	KT_EXPECT_EQ(t, st.step_errors, 0);
	KT_EXPECT_EQ(t, st.ring.dropped, 0);
	/* the baton alternates strictly: each thread trained its share */
	for (i = 0; i < n_train; i++)
		KT_EXPECT_EQ(t, st.per_thread[i], TT_BATCHES / n_train);
	KT_EXPECT_OK(t, check(tr, &err, bits, &version));
	KT_EXPECT(t, err < TT_ERR_PPM);
	KT_EXPECT_EQ(t, version, st.version);
	KT_EXPECT(t, version >= TT_BATCHES / 10);
	KT_EXPECT(t, kml_trainer_trusted(tr));
	kt_digest(t, bits, sizeof(bits));
	/* same samples in the same order: the inline run's parameters */
	digest_final(t, tr, params);
	KT_EXPECT(t, kml_memcmp(params, inline_params, 12) == 0);
	kml_trainer_destroy(tr);
	KT_EXPECT_EQ(t, kml_mem_current(t->mem), 0);
}

static void one_thread(struct kt_ctx *t)
{
	uint8_t ref[16];

	run_inline(t, ref);
	run_threads(t, 1, ref);
}

static void two_threads(struct kt_ctx *t)
{
	uint8_t ref[16];

	run_inline(t, ref);
	run_threads(t, 2, ref);
}

/* ---- shutdown while the producer still runs, with inference threads --- */

static void shutdown_busy(struct kt_ctx *t)
{
	struct producer p = { .total = 0 };
	struct kml_thread *prod = NULL;
	struct kml_trainer_result res;
	struct kml_optim_cfg ocfg;
	struct kml_trainer_cfg cfg;
	struct kml_trainer *tr;
	uint32_t got = 0, i;
	uint64_t stopped_at;
	uint8_t feat[8];
	uint64_t start, seen = 0;

	if (!fpu_defaults(&cfg, &ocfg))
		return;
	cfg.train_threads = 1;
	cfg.infer_threads = 1;
	cfg.request_capacity = 16;
	cfg.ring_capacity = 32;
	KT_EXPECT_OK(t, kml_trainer_create(&tr, t->mem, &cfg));
	if (t->failed)
		return;
	p.tr = tr;
	KT_EXPECT_OK(t, kml_thread_start(&prod, produce, &p, "kt_tt_prod"));
	start = kml_time_ns();
	while (!t->failed && batches_of(tr) < 200 &&
	       !timed_out(t, start, "200 batches"))
		pause_a_little();
	/* queued predictions answered by the inference thread */
	for (i = 0; i < 8; i++) {
		if (!kml_fpu_begin())
			break;
		tt_point(i, feat);
		kml_fpu_end();
		KT_EXPECT_OK(t, kml_trainer_submit(tr, feat, 100 + i));
	}
	while (!t->failed && got < 8 && !timed_out(t, start, "answers")) {
		if (kml_trainer_collect(tr, &res) != KML_OK) {
			pause_a_little();
			continue;
		}
		KT_EXPECT_EQ(t, res.status, 0);
		KT_EXPECT_EQ(t, res.n_bytes, 4);
		KT_EXPECT(t, res.cookie >= 100 && res.cookie < 108);
		seen |= 1ull << (res.cookie - 100);
		if (kml_fpu_begin()) {
			KT_EXPECT(t, tt_result_err_ppm(
					 &res, (uint32_t)(res.cookie - 100)) <
					 100000);
			kml_fpu_end();
		}
		got++;
	}
	KT_EXPECT_EQ(t, seen, 0xff);
	/* stop the trainer, not the producer: it keeps adding */
	start = kml_time_ns();
	KT_EXPECT_OK(t, kml_trainer_stop(tr));
	KT_EXPECT(t, kml_time_ns() - start < 2000000000ull);
	stopped_at = batches_of(tr);
	while (!t->failed && kml_trainer_ring(tr) &&
	       kml_ring_count(kml_trainer_ring(tr)) < 32 &&
	       !timed_out(t, start, "the ring to fill"))
		pause_a_little();
	/* the ring filled up behind the stopped trainer: nothing trained */
	KT_EXPECT_EQ(t, kml_ring_count(kml_trainer_ring(tr)), 32);
	KT_EXPECT_EQ(t, batches_of(tr), stopped_at);
	if (prod)
		KT_EXPECT_OK(t, kml_thread_stop(prod));
	KT_EXPECT_EQ(t, p.bad_status, 0);
	KT_EXPECT(t, p.retries > 0); /* it saw the full ring */
	kml_trainer_destroy(tr);
	KT_EXPECT_EQ(t, kml_mem_current(t->mem), 0);
}

/* ---- compute cap ------------------------------------------------------ */

/* Train 1-sample batches from 256 queued records for @ns; the batches. */
static uint64_t capped_run(struct kt_ctx *t, uint32_t per_sec, uint32_t ppm,
			   uint64_t ns, uint64_t *elapsed, uint64_t *st_busy)
{
	uint8_t recs[16 * TT_RECORD_BYTES];
	struct kml_trainer_stats st;
	struct kml_optim_cfg ocfg;
	struct kml_trainer_cfg cfg;
	struct kml_trainer *tr;
	struct kml_prng rng;
	uint64_t start;
	uint32_t i, j;

	if (!fpu_defaults(&cfg, &ocfg))
		return 0;
	cfg.train_threads = 1;
	cfg.batch = 1;
	cfg.gate.window = 0;
	cfg.max_batches_per_sec = per_sec;
	cfg.max_cpu_ppm = ppm;
	KT_EXPECT_OK(t, kml_trainer_create(&tr, t->mem, &cfg));
	if (t->failed)
		return 0;
	start = kml_time_ns();
	kml_prng_seed(&rng, 3);
	for (i = 0; i < 16; i++) {
		if (!kml_fpu_begin())
			break;
		tt_make_records(&rng, recs, 16);
		kml_fpu_end();
		for (j = 0; j < 16; j++)
			KT_EXPECT_OK(t, kml_trainer_add(tr, recs + j * 12));
	}
	while (kml_time_ns() - start < ns && batches_of(tr) < 256)
		pause_a_little();
	KT_EXPECT_OK(t, kml_trainer_stop(tr));
	*elapsed = kml_time_ns() - start;
	KT_EXPECT_OK(t, kml_trainer_stats(tr, &st));
	*st_busy = st.busy_ns;
	KT_EXPECT_EQ(t, st.step_errors, 0);
	if (per_sec || ppm)
		KT_EXPECT(t, st.throttled > 0);
	kml_trainer_destroy(tr);
	return st.batches;
}

static void compute_cap(struct kt_ctx *t)
{
	uint64_t b, elapsed, busy;

	/* 50 batches/s for 1 s: a bucket of depth one allows 1 + 50 t */
	b = capped_run(t, 50, 0, 1000000000ull, &elapsed, &busy);
	KT_EXPECT(t, b >= 25);
	KT_EXPECT(t, b <= 2 + elapsed * 50 / 1000000000ull);
	/* unlimited: all 256 queued batches in far less time */
	b = capped_run(t, 0, 0, 1000000000ull, &elapsed, &busy);
	KT_EXPECT_EQ(t, b, 256);
	/* 1 ppm of CPU: after the first step, ~10^6 times its time idle */
	b = capped_run(t, 0, 1, 300000000ull, &elapsed, &busy);
	KT_EXPECT(t, b >= 1 && b <= 3);
	KT_EXPECT(t, busy * 10 < elapsed);
	KT_EXPECT_EQ(t, kml_mem_current(t->mem), 0);
}

/* ---- bad input and memory cap ------------------------------------------ */

static void bad_input(struct kt_ctx *t)
{
	struct kml_trainer_cfg cfg, bad;
	struct kml_optim_cfg ocfg;
	struct kml_trainer_stats st;
	struct kml_trainer *tr;
	uint8_t buf[16] = { 0 };

	if (!fpu_defaults(&cfg, &ocfg))
		return;
	KT_EXPECT_EQ(t, kml_trainer_create(NULL, t->mem, &cfg), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_trainer_create(&tr, NULL, &cfg), KML_EINVAL);
	KT_EXPECT(t, tr == NULL);
	KT_EXPECT_EQ(t, kml_trainer_create(&tr, t->mem, NULL), KML_EINVAL);
#define TT_BAD(field, value, status)                                           \
	do {                                                                   \
		kml_memcpy(&bad, &cfg, sizeof(cfg));                           \
		bad.field = value;                                             \
		KT_EXPECT_EQ(t, kml_trainer_create(&tr, t->mem, &bad),         \
			     status);                                          \
		KT_EXPECT(t, tr == NULL);                                      \
	} while (0)
	TT_BAD(build, NULL, KML_EINVAL);
	TT_BAD(optim, NULL, KML_EINVAL);
	TT_BAD(batch, 0, KML_EINVAL);
	TT_BAD(ring_capacity, 2, KML_EINVAL); /* below the batch */
	TT_BAD(ring_capacity, 100, KML_EINVAL); /* not a power of two */
	TT_BAD(publish_every, 0, KML_EINVAL);
	TT_BAD(task, 7, KML_EINVAL);
	TT_BAD(train_threads, KML_TRAINER_MAX_THREADS + 1, KML_EINVAL);
	TT_BAD(infer_threads, 1, KML_EINVAL); /* no request queue */
	TT_BAD(gate.n_classes, 3, KML_EINVAL);
	TT_BAD(max_cpu_ppm, KML_GATE_PPM + 1, KML_EINVAL);
	TT_BAD(n_features, 3, KML_EDOM); /* the net takes 2 */
	TT_BAD(n_outputs, 2, KML_EDOM);
	TT_BAD(batch, 300, KML_EINVAL); /* above the ring */
#undef TT_BAD
	KT_EXPECT_EQ(t, kml_mem_current(t->mem), 0);

	KT_EXPECT_OK(t, kml_trainer_create(&tr, t->mem, &cfg));
	if (t->failed)
		return;
	KT_EXPECT_EQ(t, kml_trainer_add(NULL, buf), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_trainer_add(tr, NULL), KML_EINVAL);
	kml_trainer_notify(NULL);
	kml_trainer_notify(tr); /* inline: nothing to wake */
	KT_EXPECT_EQ(t, kml_trainer_submit(tr, buf, 1), KML_ENOSYS);
	KT_EXPECT_EQ(t, kml_trainer_collect(tr, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_trainer_poll(NULL, 0, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_trainer_stats(tr, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_trainer_stats(NULL, &st), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_trainer_read_params(tr, buf, 8), KML_ENOSPC);
	KT_EXPECT_EQ(t, kml_trainer_stop(NULL), KML_EINVAL);
	KT_EXPECT(t, !kml_trainer_trusted(NULL));
	KT_EXPECT_EQ(t, kml_trainer_record_size(NULL), 0);
	if (kml_fpu_begin()) {
		int r1 = kml_trainer_predict(tr, 1, buf, 1, buf, NULL);
		int r2 = kml_trainer_predict(tr, 0, buf, 0, buf, NULL);
		int r3 = kml_trainer_predict(tr, 0, buf, 5, buf, NULL);
		int r4 = kml_trainer_predict(NULL, 0, buf, 1, buf, NULL);

		kml_fpu_end();
		KT_EXPECT_EQ(t, r1, KML_EINVAL);
		KT_EXPECT_EQ(t, r2, KML_EINVAL);
		KT_EXPECT_EQ(t, r3, KML_EINVAL);
		KT_EXPECT_EQ(t, r4, KML_EINVAL);
	}
	/* nothing queued: polling trains nothing */
	KT_EXPECT_OK(t, kml_trainer_poll(tr, 0, NULL));
	KT_EXPECT_EQ(t, batches_of(tr), 0);
	kml_trainer_destroy(tr);
	kml_trainer_destroy(NULL);
	KT_EXPECT_EQ(t, kml_mem_current(t->mem), 0);
}

static void memory_cap(struct kt_ctx *t)
{
	struct kml_optim_cfg ocfg;
	struct kml_trainer_cfg cfg;
	struct kml_trainer *tr = NULL;
	struct kml_mem m;
	size_t cap, peak = 0;
	uint32_t failures = 0;
	int ret = KML_ENOMEM;

	if (!fpu_defaults(&cfg, &ocfg))
		return;
	cfg.request_capacity = 8;
	cfg.readers = 2;
	for (cap = 256; ret == KML_ENOMEM && cap < (1u << 20); cap += 256) {
		KT_EXPECT_OK(t, kml_mem_init(&m, "tt_cap", cap));
		ret = kml_trainer_create(&tr, &m, &cfg);
		if (ret == KML_ENOMEM) {
			failures++;
			KT_EXPECT(t, tr == NULL);
			KT_EXPECT_EQ(t, kml_mem_current(&m), 0);
		}
	}
	KT_EXPECT_OK(t, ret);
	KT_EXPECT(t, failures >= 4);
	if (tr) {
		peak = kml_mem_peak(&m);
		KT_EXPECT(t, peak <= cap);
		kml_trainer_destroy(tr);
	}
	KT_EXPECT_EQ(t, kml_mem_current(&m), 0);
	kt_digest(t, &failures, sizeof(failures));
}

/* ---- classification: argmax against labels feeds the gate ------------- */

static int build_classifier(struct kml_mem *mem, size_t max_batch, void *arg,
			    struct kml_trainer_model *m)
{
	int ret;

	(void)arg;
	ret = kml_nn_create(&m->net, mem, KML_NN_F32, 8);
	if (ret)
		return ret;
	m->input = kml_nn_input_vec(m->net, 2, 0);
	m->output = kml_nn_linear(m->net, m->input, 2, true);
	m->target = kml_nn_labels(m->net);
	m->loss =
	    kml_nn_cross_entropy(m->net, m->output, m->target, KML_NN_MEAN);
	ret = m->loss < 0 ? m->loss : kml_nn_prepare(m->net, max_batch);
	if (ret) {
		kml_nn_destroy(m->net);
		m->net = NULL;
	}
	return ret;
}

static void classify_inline(struct kt_ctx *t)
{
	uint8_t recs[16 * TT_RECORD_BYTES], params[24];
	struct kml_optim_cfg ocfg;
	struct kml_trainer_cfg cfg;
	struct kml_gate_stats gs;
	struct kml_trainer *tr;
	struct kml_prng rng;
	uint32_t round, i, done;
	int right = -1;

	if (!fpu_defaults(&cfg, &ocfg))
		return;
	cfg.build = build_classifier;
	cfg.task = KML_TRAINER_CLASSIFY;
	cfg.n_outputs = 2;
	cfg.batch = 8;
	KT_EXPECT_OK(t, kml_trainer_create(&tr, t->mem, &cfg));
	if (t->failed)
		return;
	KT_EXPECT_EQ(t, kml_trainer_record_size(tr), 12);
	kml_prng_seed(&rng, 11);
	for (round = 0; round < 150 && !t->failed; round++) {
		if (!kml_fpu_begin())
			break;
		tt_make_class_records(&rng, recs, 16);
		kml_fpu_end();
		for (i = 0; i < 16; i++)
			KT_EXPECT_OK(
			    t, kml_trainer_add(tr, recs + i * TT_RECORD_BYTES));
		KT_EXPECT_OK(t, kml_trainer_poll(tr, 0, &done));
		KT_EXPECT_EQ(t, done, 2);
	}
	KT_EXPECT_OK(t, kml_trainer_gate_stats(tr, &gs));
	KT_EXPECT(t, gs.open && kml_trainer_trusted(tr));
	KT_EXPECT(t, gs.accuracy_ppm >= 900000);
	KT_EXPECT(t, gs.accuracy_ppm >= gs.baseline_ppm + 200000);
	KT_EXPECT_EQ(t, batches_of(tr), 300);
	if (kml_fpu_begin()) {
		right = tt_class_correct(tr);
		kml_fpu_end();
	}
	KT_EXPECT_EQ(t, right, 8);
	KT_EXPECT_OK(t, kml_trainer_read_params(tr, params, 24));
	kt_digest(t, params, 24);
	kt_digest(t, &gs.accuracy_ppm, sizeof(gs.accuracy_ppm));
	kml_trainer_destroy(tr);
	KT_EXPECT_EQ(t, kml_mem_current(t->mem), 0);
}

/* clang-format off */
static const struct kt_case trainer_cases[] = {
	{ "inline_learns", inline_learns },
	{ "one_thread", one_thread },
	{ "two_threads", two_threads },
	{ "shutdown_busy", shutdown_busy },
	{ "compute_cap", compute_cap },
	{ "classify_inline", classify_inline },
	{ "bad_input", bad_input },
	{ "memory_cap", memory_cap },
};
/* clang-format on */

KT_SUITE(kt_suite_trainer, "trainer", false, 0, trainer_cases);
