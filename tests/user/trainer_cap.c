// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * trainer_cap.c - the trainer's compute caps, measured independently of
 * the trainer's own accounting: one training thread kept fed (the ring
 * never runs dry) trains for >= 1.2 s while the main thread only tops the
 * ring up and sleeps; the share counted is the process's CPU time minus
 * the main thread's (the training thread's alone) over wall time.
 * Long steps (2-256-256-1 MLP, batch 64, ~0.2 ms): 25% -> [21%, 27.5%],
 * 50% -> [42%, 55%], and an uncapped run in the same process must be
 * clearly higher than the 25% one (>= 1.6x) so the test cannot pass with
 * the cap ignored. A 200 batches/s cap must give 120..205 batches/s.
 * Short steps (2-8-8-1 MLP, batch 4, under a microsecond a batch, far
 * below a sleep's overshoot): 50% -> [42%, 55%] (charging each step's
 * idle from its end instead of on wall time gave ~22%; charging the step
 * alone, not the throttle's own sleep and wake-up, 65%).
 * Contended: the process pinned to one CPU with a spinning child process
 * on it, so the training thread is preempted: 42% -> [35.7%, 46.2%]
 * (uncapped ~49%); charging wall time instead of the thread's CPU time
 * gave 30%.
 * Each capped run sits between two uncapped ones. Lower bounds are 85% of
 * the cap when the lesser uncapped share is >= 105% of it, else (a
 * machine busy with other work) half of that share: floor_ppm. Upper
 * bounds are 110% of the cap.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sched.h>
#include <kmlib/trainer.h>
#include <kmlib/ring.h>
#include <kmlib/prng.h>
#include "test_util.h"

#define BATCH 64
#define RING (1u << 13)
#define HIDDEN 256
#define SHORT_BATCH 4
#define SHORT_HIDDEN 8
#define RUN_NS 1200000000ull

static int build(struct kml_mem *mem, size_t max_batch, void *arg,
		 struct kml_trainer_model *m)
{
	int hidden = *(const int *)arg;
	int h;

	if (kml_nn_create(&m->net, mem, KML_NN_F32, 16))
		return KML_ENOMEM;
	m->input = kml_nn_input_vec(m->net, 2, 0);
	h = kml_nn_relu(m->net, kml_nn_linear(m->net, m->input, hidden, true));
	h = kml_nn_relu(m->net, kml_nn_linear(m->net, h, hidden, true));
	m->output = kml_nn_linear(m->net, h, 1, true);
	m->target = kml_nn_input_vec(m->net, 1, 0);
	m->loss = kml_nn_mse(m->net, m->output, m->target, KML_NN_MEAN);
	if (m->loss < 0 || kml_nn_prepare(m->net, max_batch)) {
		kml_nn_destroy(m->net);
		return KML_EINVAL;
	}
	return 0;
}

static struct kml_optim_cfg ocfg = { .kind = KML_OPTIM_SGD, .lr = 0.001 };
static float recs[RING][3];

static uint64_t last_throttled; /* throttles in the last run() */

static uint64_t now(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * Run with the caps given on a 2-@hidden-@hidden-1 MLP, @batch records a
 * step; returns the training thread's CPU share in ppm, *bps batches/s.
 */
static uint64_t run(uint32_t per_sec, uint32_t ppm, int hidden, size_t batch,
		    uint64_t *bps)
{
	struct timespec ms = { 0, 1000000 };
	struct kml_trainer_stats st;
	struct kml_trainer_cfg c;
	struct kml_trainer *tr;
	struct kml_mem mem;
	uint64_t w0, c0, f0, w, cpu, b0;
	size_t i = 0;

	memset(&c, 0, sizeof(c));
	c.build = build;
	c.build_arg = &hidden;
	c.optim = &ocfg;
	c.init_seed = 5;
	c.task = KML_TRAINER_REGRESSION;
	c.n_features = 2;
	c.n_outputs = 1;
	c.batch = batch;
	c.ring_capacity = RING;
	c.ring_mode = KML_RING_DROP_NEWEST;
	c.ring_flags = KML_RING_SP;
	c.train_threads = 1;
	c.publish_every = 8;
	c.max_batches_per_sec = per_sec;
	c.max_cpu_ppm = ppm;
	kml_mem_init(&mem, "cap", 0);
	CHECK(kml_trainer_create(&tr, &mem, &c) == KML_OK);
	if (!tr)
		return 0;
	CHECK(kml_trainer_stats(tr, &st) == KML_OK);
	b0 = st.batches;
	w0 = now(CLOCK_MONOTONIC);
	c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	f0 = now(CLOCK_THREAD_CPUTIME_ID);
	do {
		/* top up to full: the trainer never waits for data */
		while (kml_ring_count(kml_trainer_ring(tr)) < RING - batch) {
			CHECK(kml_trainer_add(tr, recs[i]) == KML_OK);
			i = (i + 1) % RING;
		}
		nanosleep(&ms, NULL);
		w = now(CLOCK_MONOTONIC) - w0;
	} while (w < RUN_NS);
	/* the feeder's own CPU time is not the trainer's */
	cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0 -
	      (now(CLOCK_THREAD_CPUTIME_ID) - f0);
	CHECK(kml_trainer_stats(tr, &st) == KML_OK);
	CHECK(kml_trainer_stop(tr) == KML_OK);
	CHECK(st.step_errors == 0);
	last_throttled = st.throttled;
	*bps = (st.batches - b0) * 1000000000ull / w;
	if (st.batches > b0)
		printf("  %llu batches, %.1f us a step\n",
		       (unsigned long long)(st.batches - b0),
		       st.busy_ns / 1e3 / (double)st.batches);
	kml_trainer_destroy(tr);
	CHECK(kml_mem_current(&mem) == 0);
	return cpu * 1000000ull / w;
}

/* The cap binds: the thread got clearly more than it uncapped. */
static bool binds(uint64_t cap_ppm, uint64_t free_ppm)
{
	return free_ppm * 100 >= cap_ppm * 105;
}

/*
 * Lower bound: 85% of the cap if it binds (measured just before:
 * @free_ppm uncapped); else the machine, busy with other work, is the
 * limit, and a thread that sleeps at every throttle loses more of it to
 * wake-up latency than the uncapped one: half of @free_ppm.
 */
static uint64_t floor_ppm(uint64_t cap_ppm, uint64_t free_ppm)
{
	return binds(cap_ppm, free_ppm) ? cap_ppm * 85 / 100 : free_ppm / 2;
}

/*
 * Pin this process (and the threads it starts) to one CPU and start @n
 * spinning child processes on it (their CPU time is not this process's):
 * the training thread has to compete for that CPU.
 */
static void contend(int n, pid_t *kids)
{
	cpu_set_t set;
	int i;

	CPU_ZERO(&set);
	CPU_SET(sched_getcpu(), &set);
	CHECK(sched_setaffinity(0, sizeof(set), &set) == 0);
	for (i = 0; i < n; i++) {
		kids[i] = fork();
		if (kids[i] == 0)
			for (;;)
				;
		CHECK(kids[i] > 0);
	}
}

static void uncontend(int n, pid_t *kids)
{
	int i;

	for (i = 0; i < n; i++) {
		if (kids[i] > 0) {
			kill(kids[i], SIGKILL);
			waitpid(kids[i], NULL, 0);
		}
	}
}

/*
 * A @cap_ppm CPU share between two uncapped runs (the lesser of their
 * shares says what the machine gives now, in *@free_ppm, with the first
 * run's batches/s in *@free_bps); returns the capped share.
 */
static uint64_t check_share(const char *what, uint64_t cap_ppm, int hidden,
			    size_t batch, uint64_t *free_ppm,
			    uint64_t *free_bps)
{
	uint64_t before, after, got, bps, throttled;

	before = run(0, 0, hidden, batch, free_bps);
	got = run(0, (uint32_t)cap_ppm, hidden, batch, &bps);
	throttled = last_throttled;
	after = run(0, 0, hidden, batch, &bps);
	*free_ppm = before < after ? before : after;
	printf("%s: uncapped %.1f%% / %.1f%%, cap %.0f%% -> %.1f%%\n", what,
	       before / 1e4, after / 1e4, cap_ppm / 1e4, got / 1e4);
	/* a binding cap must have throttled the thread */
	if (binds(cap_ppm, *free_ppm))
		CHECK(throttled > 0);
	CHECK(got >= floor_ppm(cap_ppm, *free_ppm));
	CHECK(got <= cap_ppm * 11 / 10);
	return got;
}

int main(void)
{
	uint64_t free_ppm, q_ppm, bps, free_bps;
	struct kml_prng r;
	pid_t kid = 0;
	size_t i;

	kml_prng_seed(&r, 11);
	for (i = 0; i < RING; i++) {
		recs[i][0] = 2 * kml_prng_float(&r) - 1;
		recs[i][1] = 2 * kml_prng_float(&r) - 1;
		recs[i][2] = 2 * recs[i][0] - 3 * recs[i][1] + 0.5f;
	}
	q_ppm = check_share("long steps", 250000, HIDDEN, BATCH, &free_ppm,
			    &free_bps);
	/* the cap must bind; a machine this busy cannot show it */
	if (free_ppm >= 450000)
		CHECK(free_ppm * 10 >= q_ppm * 16);
	else
		printf(
		    "busy machine: uncapped only %.1f%%, ratio not checked\n",
		    free_ppm / 1e4);
	check_share("long steps", 500000, HIDDEN, BATCH, &free_ppm, &bps);
	/* the rate cap must bind: uncapped has to be well above it */
	CHECK(free_bps >= 400);
	run(200, 0, HIDDEN, BATCH, &bps);
	CHECK(last_throttled > 0);
	printf("rate cap 200/s -> %llu batches/s\n", (unsigned long long)bps);
	CHECK(bps >= 120 && bps <= 205);
	check_share("short steps", 500000, SHORT_HIDDEN, SHORT_BATCH, &free_ppm,
		    &bps);
	/* a preempted thread must not be charged for the time it waited */
	contend(1, &kid);
	check_share("contended (one CPU, one spinner)", 420000, HIDDEN, BATCH,
		    &free_ppm, &bps);
	uncontend(1, &kid);
	return test_exit_status();
}
