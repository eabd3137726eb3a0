// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * trainer_stress.c - the trainer with many threads at once, in user space
 * (and under ThreadSanitizer): 3 training threads passing the baton, 2
 * inference threads answering requests that the main thread submits and
 * collects while a producer pthread streams samples, and a reader
 * predicting directly. Checks: every batch trained once, the baton shared
 * exactly evenly, final parameters bit-identical to an inline run of the
 * same stream, every accepted request answered with a version that never
 * goes back, and teardown with everything still running.
 *   trainer_stress [batches]   (default 3000)
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kmlib/trainer.h>
#include <kmlib/prng.h>
#include "test_util.h"

#define BATCH 4
#define TRAIN_THREADS 3

static int build(struct kml_mem *mem, size_t max_batch, void *arg,
		 struct kml_trainer_model *m)
{
	(void)arg;
	if (kml_nn_create(&m->net, mem, KML_NN_F32, 8))
		return KML_ENOMEM;
	m->input = kml_nn_input_vec(m->net, 2, 0);
	m->output = kml_nn_linear(m->net, m->input, 1, true);
	m->target = kml_nn_input_vec(m->net, 1, 0);
	m->loss = kml_nn_mse(m->net, m->output, m->target, KML_NN_MEAN);
	if (m->loss < 0 || kml_nn_prepare(m->net, max_batch)) {
		kml_nn_destroy(m->net);
		return KML_EINVAL;
	}
	return 0;
}

static void record(struct kml_prng *r, float rec[3])
{
	rec[0] = 2 * kml_prng_float(r) - 1;
	rec[1] = 2 * kml_prng_float(r) - 1;
	rec[2] = 2 * rec[0] - 3 * rec[1] + 0.5f;
}

static struct kml_optim_cfg ocfg = { .kind = KML_OPTIM_SGD, .lr = 0.05 };

static void config(struct kml_trainer_cfg *c, uint32_t threads)
{
	memset(c, 0, sizeof(*c));
	c->build = build;
	c->optim = &ocfg;
	c->init_seed = 5;
	c->task = KML_TRAINER_REGRESSION;
	c->n_features = 2;
	c->n_outputs = 1;
	c->batch = BATCH;
	c->ring_capacity = 128;
	c->ring_mode = KML_RING_BLOCK;
	c->ring_flags = KML_RING_MP; /* producer + nobody else, but MP path */
	c->train_threads = threads;
	c->infer_threads = threads ? 2 : 0;
	c->request_capacity = 32;
	c->readers = 1;
	c->publish_every = 3;
}

struct producer {
	struct kml_trainer *tr;
	long n;
	volatile int stop; /* only the main thread writes it */
	int bad;
};

static void *produce(void *arg)
{
	struct producer *p = arg;
	struct kml_prng r;
	float rec[3];
	long i;

	kml_prng_seed(&r, 9);
	for (i = 0; i < p->n && !__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE);) {
		int ret;

		record(&r, rec);
		while ((ret = kml_trainer_add(p->tr, rec)) != KML_OK &&
		       !__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE)) {
			if (ret != KML_EAGAIN && ret != KML_ETIMEDOUT)
				p->bad = ret;
			sched_yield();
		}
		i++;
	}
	return NULL;
}

static void params_of(struct kml_trainer *tr, float p[3])
{
	CHECK(kml_trainer_read_params(tr, p, 3 * sizeof(float)) == KML_OK);
}

int main(int argc, char **argv)
{
	long batches = argc > 1 ? atol(argv[1]) : 3000;
	long n = batches * BATCH, i;
	float ref[3], got[3], feat[2] = { 0.25f, -0.5f };
	struct producer p = { .n = n };
	struct kml_trainer_stats st;
	struct kml_trainer_result res;
	struct kml_trainer_cfg cfg;
	struct kml_trainer *tr;
	struct kml_mem mem;
	uint64_t cookie = 0, answered = 0, last_version = 0;
	pthread_t th;
	uint64_t t0;

	/* the reference: the same stream, inline */
	kml_mem_init(&mem, "stress", 0);
	config(&cfg, 0);
	{
		struct kml_prng r;
		float rec[3];

		CHECK(kml_trainer_create(&tr, &mem, &cfg) == KML_OK);
		kml_prng_seed(&r, 9);
		for (i = 0; i < n; i++) {
			record(&r, rec);
			CHECK(kml_trainer_add(tr, rec) == KML_OK);
			if ((i + 1) % BATCH == 0)
				CHECK(kml_trainer_poll(tr, 0, NULL) == KML_OK);
		}
		params_of(tr, ref);
		kml_trainer_destroy(tr);
	}

	/* the same stream through 3 training and 2 inference threads */
	config(&cfg, TRAIN_THREADS);
	CHECK(kml_trainer_create(&tr, &mem, &cfg) == KML_OK);
	p.tr = tr;
	CHECK(pthread_create(&th, NULL, produce, &p) == 0);
	do {
		/* at most 16 outstanding: the result ring (32) never drops */
		if (cookie - answered < 16 &&
		    kml_trainer_submit(tr, feat, cookie) == KML_OK)
			cookie++;
		while (kml_trainer_collect(tr, &res) == KML_OK) {
			CHECK(res.status == KML_OK);
			CHECK(res.cookie < cookie);
			answered++;
		}
		if (kml_fpu_begin()) {
			float y;
			uint64_t v = 0;
			int ret = kml_trainer_predict(tr, 0, feat, 1, &y, &v);

			kml_fpu_end();
			CHECK(ret == KML_OK || ret == KML_EAGAIN);
			CHECK(v >= last_version);
			last_version = v;
		}
		kml_trainer_stats(tr, &st);
		sched_yield();
	} while (st.batches < (uint64_t)batches);
	pthread_join(th, NULL);
	CHECK(p.bad == 0);
	/* let the inference threads finish what was queued */
	for (t0 = kml_time_ns();
	     answered < cookie && kml_time_ns() - t0 < 20000000000ull;) {
		while (kml_trainer_collect(tr, &res) == KML_OK)
			answered++;
		sched_yield();
	}
	CHECK(answered == cookie);
	CHECK(kml_trainer_stop(tr) == KML_OK);
	kml_trainer_stats(tr, &st);
	CHECK(st.batches == (uint64_t)batches);
	CHECK(st.step_errors == 0);
	for (i = 0; i < TRAIN_THREADS; i++)
		CHECK(st.per_thread[i] == (uint64_t)batches / TRAIN_THREADS ||
		      st.per_thread[i] ==
			  (uint64_t)batches / TRAIN_THREADS + 1);
	params_of(tr, got);
	CHECK(memcmp(got, ref, sizeof(ref)) == 0);
	kml_trainer_destroy(tr);

	/* teardown while a producer streams and requests are queued */
	config(&cfg, TRAIN_THREADS);
	CHECK(kml_trainer_create(&tr, &mem, &cfg) == KML_OK);
	p.tr = tr;
	p.n = 1L << 40;
	CHECK(pthread_create(&th, NULL, produce, &p) == 0);
	for (i = 0; i < 1000; i++) {
		kml_trainer_submit(tr, feat, (uint64_t)i);
		sched_yield();
	}
	CHECK(kml_trainer_stop(tr) == KML_OK);
	__atomic_store_n(&p.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	kml_trainer_destroy(tr);
	CHECK(kml_mem_current(&mem) == 0);

	printf("trainer_stress: %ld batches, %llu requests answered, %s\n",
	       batches, (unsigned long long)answered,
	       test_failures ? "FAILED" : "ok");
	return test_exit_status();
}
