// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * bench_trainer.c - samples per second through ring + trainer, against
 * the same training steps called directly on the net in one loop (the
 * reference, measured in the same run). Model: 2-input linear regression,
 * f32, SGD, batches of 32. Producer: this thread, kml_trainer_add() as
 * fast as the ring accepts.
 *
 *   build-x/bench/bench_trainer [samples [ref|add|notify]]
 *
 * With a mode only that one runs, single-threaded (reference, inline with
 * kml_trainer_add per record, inline with a notify per batch): for
 * callgrind, Ir per sample = difference of two sample counts / their
 * difference (bench/bench_trainer_callgrind.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <kmlib/trainer.h>
#include <kmlib/prng.h>

#define BATCH 32

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

static float recs[4096][3];

static void make_records(void)
{
	struct kml_prng r;
	int i;

	kml_prng_seed(&r, 1);
	for (i = 0; i < 4096; i++) {
		recs[i][0] = 2 * kml_prng_float(&r) - 1;
		recs[i][1] = 2 * kml_prng_float(&r) - 1;
		recs[i][2] = 2 * recs[i][0] - 3 * recs[i][1] + 0.5f;
	}
}

/* Reference: the same steps straight on a net, no ring, no trainer. */
static double direct(long n)
{
	struct kml_optim_cfg oc = { .kind = KML_OPTIM_SGD, .lr = 0.05 };
	struct kml_trainer_model m;
	struct kml_optim *opt;
	struct kml_mem mem;
	float *x, *y;
	size_t c;
	long s, b;
	uint64_t t0;

	kml_mem_init(&mem, "direct", 0);
	if (build(&mem, BATCH, NULL, &m) ||
	    kml_optim_create(&opt, &mem, m.net, &oc))
		exit(1);
	kml_nn_init_params(m.net, 42);
	kml_nn_value(m.net, m.input, (void **)&x, &c);
	kml_nn_value(m.net, m.target, (void **)&y, &c);
	t0 = kml_time_ns();
	for (s = 0; s < n; s += BATCH) {
		for (b = 0; b < BATCH; b++) {
			const float *r = recs[(s + b) & 4095];

			memcpy(x + 2 * b, r, 8);
			y[b] = r[2];
		}
		kml_optim_train_step(opt, m.loss);
	}
	t0 = kml_time_ns() - t0;
	kml_optim_destroy(opt);
	kml_nn_destroy(m.net);
	return n / (t0 / 1e9);
}

/* @direct_enqueue: kml_ring_enqueue + one kml_trainer_notify per batch
 * instead of kml_trainer_add (enqueue + notify) per record. */
static double through_trainer(long n, uint32_t threads, bool direct_enqueue)
{
	struct kml_optim_cfg oc = { .kind = KML_OPTIM_SGD, .lr = 0.05 };
	struct kml_trainer_cfg cfg = {
		.build = build, .optim = &oc, .init_seed = 42,
		.task = KML_TRAINER_REGRESSION, .n_features = 2,
		.n_outputs = 1, .batch = BATCH, .ring_capacity = 1024,
		.ring_mode = KML_RING_BLOCK, .ring_flags = KML_RING_SP,
		.train_threads = threads, .publish_every = 16,
	};
	struct kml_trainer_stats st;
	struct kml_trainer *tr;
	struct kml_mem mem;
	uint64_t t0;
	long s;

	kml_mem_init(&mem, "bench", 0);
	if (kml_trainer_create(&tr, &mem, &cfg))
		exit(1);
	t0 = kml_time_ns();
	for (s = 0; s < n;) {
		int ret = direct_enqueue ?
				  kml_ring_enqueue(kml_trainer_ring(tr),
						   recs[s & 4095]) :
				  kml_trainer_add(tr, recs[s & 4095]);

		if (ret == KML_OK) {
			s++;
			if (direct_enqueue && (s % BATCH) == 0)
				kml_trainer_notify(tr);
			if (!threads && (s % BATCH) == 0)
				kml_trainer_poll(tr, 0, NULL);
		} else {
			kml_trainer_notify(tr);
			sched_yield(); /* full: let the trainer drain */
		}
	}
	do {
		kml_trainer_stats(tr, &st);
	} while (st.samples < (uint64_t)n && (sched_yield(), 1));
	t0 = kml_time_ns() - t0;
	kml_trainer_destroy(tr);
	return n / (t0 / 1e9);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 4000000;
	double ref, r;
	uint32_t th;

	n -= n % BATCH;
	make_records();
	if (argc > 2) {
		if (!strcmp(argv[2], "ref"))
			direct(n);
		else
			through_trainer(n, 0, !strcmp(argv[2], "notify"));
		return 0;
	}
	ref = direct(n);
	printf("reference: train_step loop on the net   %8.2f M samples/s\n",
	       ref / 1e6);
	for (th = 0; th <= 2; th++) {
		r = through_trainer(n, th, false);
		printf("add per record,  %u training thread(s) %8.2f M samples/s"
		       "  %.2fx reference\n", th, r / 1e6, r / ref);
		r = through_trainer(n, th, true);
		printf("notify per batch, %u training thread(s) %8.2f M samples/s"
		       "  %.2fx reference\n", th, r / 1e6, r / ref);
	}
	return 0;
}
