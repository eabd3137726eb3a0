// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * bench_ring.c - lock-free rings and snapshot publication against
 * Concurrency Kit's ck_ring (Debian libck-dev, linked only here), in the
 * same run. 8-byte records (ck_ring carries pointers), 1024 slots.
 *
 *   bench_ring                 ns per enqueue / dequeue on one thread,
 *                              throughput with 2 threads (and 3), ns per
 *                              snapshot read
 *   bench_ring count WORKLOAD ROUNDS PHASE
 *                              run one workload a fixed number of times,
 *                              for callgrind (bench/bench_ring_callgrind.sh
 *                              turns it into instructions per call)
 *
 * ck's functions are inline; ck_*_fn wrap each in a real function so that
 * both libraries are measured across the same call boundary.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ck_ring.h>
#include <kmlib/ring.h>
#include <kmlib/publish.h>

#define SLOTS 1024
#define NOINLINE __attribute__((noinline))

static struct kml_mem mem;
static volatile uint64_t sink;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void die(const char *what, int ret)
{
	fprintf(stderr, "%s: %s\n", what, kml_status_name(ret));
	exit(1);
}

/* ---- the two libraries behind one interface ------------------------- */

struct ck {
	struct ck_ring ring;
	struct ck_ring_buffer buf[SLOTS];
};

NOINLINE bool ck_enq_spsc_fn(struct ck *c, void *v)
{
	return ck_ring_enqueue_spsc(&c->ring, c->buf, v);
}

NOINLINE bool ck_deq_spsc_fn(struct ck *c, void *out)
{
	return ck_ring_dequeue_spsc(&c->ring, c->buf, out);
}

NOINLINE bool ck_enq_mpsc_fn(struct ck *c, void *v)
{
	return ck_ring_enqueue_mpsc(&c->ring, c->buf, v);
}

NOINLINE bool ck_deq_mpsc_fn(struct ck *c, void *out)
{
	return ck_ring_dequeue_mpsc(&c->ring, c->buf, out);
}

enum kind { KML, CK_SPSC, CK_MPSC };

struct target {
	const char *name;
	enum kind kind;
	enum kml_ring_mode mode;
	unsigned int flags;
	struct kml_ring *r;
	struct ck *c;
	size_t rec; /* kml record size: 8 unless set */
};

static void target_open(struct target *t)
{
	struct kml_ring_config cfg = { .capacity = SLOTS,
				       .record_size = t->rec ? t->rec : 8,
				       .mode = t->mode,
				       .flags = t->flags };
	int ret;

	if (t->kind != KML) {
		t->c = aligned_alloc(64, sizeof(*t->c));
		if (!t->c)
			die("ck", KML_ENOMEM);
		memset(t->c, 0, sizeof(*t->c));
		ck_ring_init(&t->c->ring, SLOTS);
		return;
	}
	ret = kml_ring_create(&t->r, &mem, &cfg);
	if (ret)
		die("kml_ring_create", ret);
}

static void target_close(struct target *t)
{
	kml_ring_destroy(t->r);
	free(t->c);
	t->r = NULL;
	t->c = NULL;
}

/* true if stored */
static inline bool enq(struct target *t, uint64_t v)
{
	switch (t->kind) {
	case CK_SPSC:
		return ck_enq_spsc_fn(t->c, (void *)(uintptr_t)v);
	case CK_MPSC:
		return ck_enq_mpsc_fn(t->c, (void *)(uintptr_t)v);
	default: {
		uint64_t rec[2] = { v, v }; /* up to 16-byte records */

		return kml_ring_enqueue(t->r, rec) == KML_OK;
	}
	}
}

static inline bool deq(struct target *t, uint64_t *v)
{
	void *p;

	switch (t->kind) {
	case CK_SPSC:
		if (!ck_deq_spsc_fn(t->c, &p))
			return false;
		*v = (uintptr_t)p;
		return true;
	case CK_MPSC:
		if (!ck_deq_mpsc_fn(t->c, &p))
			return false;
		*v = (uintptr_t)p;
		return true;
	default: {
		uint64_t rec[2];

		if (kml_ring_dequeue(t->r, rec) != KML_OK)
			return false;
		*v = rec[0];
		return true;
	}
	}
}

static struct target targets[] = {
	{ "kml SP block", KML, KML_RING_BLOCK, KML_RING_SP, NULL, NULL, 0 },
	{ "kml MP block", KML, KML_RING_BLOCK, KML_RING_MP, NULL, NULL, 0 },
	{ "kml SP drop-newest", KML, KML_RING_DROP_NEWEST, KML_RING_SP, NULL,
	  NULL, 0 },
	{ "kml MP drop-newest", KML, KML_RING_DROP_NEWEST, KML_RING_MP, NULL,
	  NULL, 0 },
	{ "kml SP drop-oldest", KML, KML_RING_DROP_OLDEST, KML_RING_SP, NULL,
	  NULL, 0 },
	{ "kml MP drop-oldest", KML, KML_RING_DROP_OLDEST, KML_RING_MP, NULL,
	  NULL, 0 },
	{ "ck_ring spsc", CK_SPSC, 0, 0, NULL, NULL, 0 },
	{ "ck_ring mpsc", CK_MPSC, 0, 0, NULL, NULL, 0 },
	/* 12-byte records (the trainer's), through the generic copy */
	{ "kml SP block 12B", KML, KML_RING_BLOCK, KML_RING_SP, NULL, NULL,
	  12 },
	{ "kml MP block 12B", KML, KML_RING_BLOCK, KML_RING_MP, NULL, NULL,
	  12 },
	/* 16-byte records in dropping rings (mq-kmlib's training ring) */
	{ "kml MP drop-newest 16B", KML, KML_RING_DROP_NEWEST, KML_RING_MP,
	  NULL, NULL, 16 },
	{ "kml MP drop-oldest 16B", KML, KML_RING_DROP_OLDEST, KML_RING_MP,
	  NULL, NULL, 16 },
};

/* ---- one thread: fill the ring, drain it ------------------------------- */

struct cycle_ns {
	double enq, deq, full; /* full: enqueue into a full ring */
};

static void cycles(struct target *t, long rounds, struct cycle_ns *out)
{
	uint64_t v = 1, got = 0, t0, t1, t2, te = 0, td = 0, tf = 0;
	long r;
	int i;

	for (r = 0; r < rounds; r++) {
		t0 = now_ns();
		for (i = 0; i < SLOTS; i++)
			enq(t, v++);
		t1 = now_ns();
		for (i = 0; i < SLOTS; i++)
			deq(t, &got);
		t2 = now_ns();
		te += t1 - t0;
		td += t2 - t1;
	}
	sink += got;
	/* full: the drop path (refused, overwrite, or ck's "full") */
	for (i = 0; i < SLOTS; i++)
		enq(t, v++);
	t0 = now_ns();
	for (r = 0; r < rounds * SLOTS; r++)
		enq(t, v++);
	tf = now_ns() - t0;
	while (deq(t, &got))
		;
	out->enq = (double)te / ((double)rounds * SLOTS);
	out->deq = (double)td / ((double)rounds * SLOTS);
	out->full = (double)tf / ((double)rounds * SLOTS);
}

/* ---- two or three threads -------------------------------------------------
 */

/*
 * Busy-wait a little, then give the CPU away: on a loaded 2-core machine
 * a thread spinning through its whole time slice while its peer waits
 * for a CPU measures the scheduler, not the ring. Both libraries get the
 * same waiting policy.
 */
static inline void backoff(unsigned int *spins)
{
	if (++*spins & 63)
		__builtin_ia32_pause();
	else
		sched_yield();
}

struct run {
	struct target *t;
	long per_producer;
	int producers;
	volatile int go;
	volatile int stop; /* the run took too long: everybody stops */
	int ready;
};

/* A run longer than this is stopped and reported as stalled. */
#define RUN_LIMIT_NS 3000000000ull

/* Producers on CPU 1, the consumer on CPU 0: records cross cores. */
static void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *producer(void *arg)
{
	struct run *run = arg;
	unsigned int spins = 0;
	long i;

	pin_to_cpu(1);
	__atomic_fetch_add(&run->ready, 1, __ATOMIC_SEQ_CST);
	while (!run->go)
		__builtin_ia32_pause();
	for (i = 1; i <= run->per_producer && !run->stop; i++)
		while (!enq(run->t, (uint64_t)i)) {
			if (run->stop)
				return NULL;
			backoff(&spins);
		}
	return NULL;
}

/* records per second, consumer in this thread; *stalled if stopped */
static double throughput(struct target *t, int producers, long per_producer,
			 int *stalled)
{
	struct run run = { t, per_producer, producers, 0, 0, 0 };
	long total = per_producer * producers, got = 0;
	unsigned int spins = 0;
	pthread_t th[2];
	uint64_t v, start;
	int i;

	target_open(t);
	pin_to_cpu(0);
	for (i = 0; i < producers; i++)
		pthread_create(&th[i], NULL, producer, &run);
	while (__atomic_load_n(&run.ready, __ATOMIC_SEQ_CST) < producers)
		;
	start = now_ns();
	run.go = 1;
	while (got < total) {
		if (deq(t, &v)) {
			got++;
			sink += v;
		} else {
			backoff(&spins);
			if (!(spins & 1023) &&
			    now_ns() - start > RUN_LIMIT_NS) {
				run.stop = 1;
				++*stalled;
				break;
			}
		}
	}
	v = now_ns() - start;
	for (i = 0; i < producers; i++)
		pthread_join(th[i], NULL);
	target_close(t);
	return (double)got / ((double)v / 1e9);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* ---- snapshot reads -------------------------------------------------------
 */

/* The copy itself, as kml_pub_read does it (acquire-ordered words). */
NOINLINE void copy_words_fn(void *dst, const uint64_t *src, size_t n)
{
	uint8_t *d = dst;
	size_t i;

	for (i = 0; i < n / 8; i++) {
		uint64_t w = __atomic_load_n(&src[i], __ATOMIC_ACQUIRE);

		memcpy(d + 8 * i, &w, 8);
	}
}

NOINLINE void memcpy_fn(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
}

static const size_t snap_sizes[] = { 8, 64, 256, 4096 };

static void snapshot_table(void)
{
	static uint64_t src[512], dst[512];
	size_t s;
	long i, n = 2000000;

	printf(
	    "\nsnapshot read, one thread, ns per call (no writer running)\n");
	printf("%8s %12s %12s %12s %12s\n", "bytes", "pub_read", "word copy",
	       "memcpy", "pin+unpin");
	for (s = 0; s < sizeof(snap_sizes) / sizeof(snap_sizes[0]); s++) {
		size_t size = snap_sizes[s];
		struct kml_pub_view view;
		struct kml_pub *p;
		uint64_t v, t0, t1, t2, t3, t4;
		int ret;

		ret = kml_pub_create(&p, &mem, size, 2, src);
		if (ret)
			die("kml_pub_create", ret);
		kml_pub_publish(p, src, size, &v);
		t0 = now_ns();
		for (i = 0; i < n; i++)
			kml_pub_read(p, dst, size, &v);
		t1 = now_ns();
		for (i = 0; i < n; i++)
			copy_words_fn(dst, src, size);
		t2 = now_ns();
		for (i = 0; i < n; i++)
			memcpy_fn(dst, src, size);
		t3 = now_ns();
		for (i = 0; i < n; i++) {
			kml_pub_pin(p, &view);
			kml_pub_unpin(p, &view);
		}
		t4 = now_ns();
		printf("%8zu %12.2f %12.2f %12.2f %12.2f\n", size,
		       (double)(t1 - t0) / n, (double)(t2 - t1) / n,
		       (double)(t3 - t2) / n, (double)(t4 - t3) / n);
		kml_pub_destroy(p);
	}
}

/* ---- count mode, for callgrind ------------------------------------------ */

static struct target *find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		if (!strcmp(targets[i].name, name))
			return &targets[i];
	return NULL;
}

/*
 * WORKLOAD is a target name ("kml SP block", "ck_ring spsc", ...), or
 * "pub SIZE" for snapshot reads. PHASE "cycle": ROUNDS times fill the
 * ring and drain it; "full": fill it once, then ROUNDS * 1024 enqueues
 * into the full ring. Prints the number of calls.
 */
static int count_mode(const char *what, long rounds, const char *phase)
{
	static uint64_t src[512], dst[512];
	struct target *t = find(what);
	uint64_t v = 1, got = 0;
	long r;
	int i;

	if (!strncmp(what, "pub ", 4)) {
		size_t size = strtoul(what + 4, NULL, 10);
		struct kml_pub_view view;
		struct kml_pub *p;

		if (size < 8 || size > sizeof(src) || size % 8)
			return 2;
		if (kml_pub_create(&p, &mem, size, 2, src))
			return 1;
		for (r = 0; r < rounds; r++) {
			kml_pub_read(p, dst, size, &v);
			copy_words_fn(dst, src, size);
			memcpy_fn(dst, src, size);
			kml_pub_pin(p, &view);
			kml_pub_unpin(p, &view);
		}
		kml_pub_destroy(p);
		printf("calls %ld\n", rounds);
		return 0;
	}
	if (!t)
		return 2;
	target_open(t);
	if (!strcmp(phase, "full")) {
		for (i = 0; i < SLOTS; i++)
			enq(t, v++);
		for (r = 0; r < rounds * SLOTS; r++)
			enq(t, v++);
		printf("calls: enqueue %d into the empty ring, %ld into the "
		       "full ring\n",
		       SLOTS, rounds * SLOTS);
	} else {
		for (r = 0; r < rounds; r++) {
			for (i = 0; i < SLOTS; i++)
				enq(t, v++);
			for (i = 0; i < SLOTS; i++)
				deq(t, &got);
		}
		sink += got;
		printf("calls: enqueue %ld, dequeue %ld\n", rounds * SLOTS,
		       rounds * SLOTS);
	}
	target_close(t);
	return 0;
}

/* SPSC and MPSC (1 producer) with 2 threads, then 2 producers. */
static int throughput_table(long per, int tp_rounds)
{
	static const struct {
		const char *name;
		int producers;
	} runs[] = {
		{ "kml SP block", 1 }, { "ck_ring spsc", 1 },
		{ "kml MP block", 1 }, { "ck_ring mpsc", 1 },
		{ "kml MP block", 2 }, { "ck_ring mpsc", 2 },
	};
	double rate[6][9];
	int stalled[6] = { 0 };
	size_t k;
	int round;

	printf("\nthroughput, %d slots, %ld records per producer, one "
	       "consumer, median of %d (rounds interleaved)\n",
	       SLOTS, per, tp_rounds);
	for (round = 0; round < tp_rounds; round++)
		for (k = 0; k < 6; k++)
			rate[k][round] =
			    throughput(find(runs[k].name), runs[k].producers,
				       per, &stalled[k]);
	for (k = 0; k < 6; k++) {
		qsort(rate[k], tp_rounds, sizeof(double), cmp_double);
		printf("%-14s %d producer(s): %7.2f M records/s "
		       "(min %.2f, max %.2f)",
		       runs[k].name, runs[k].producers,
		       rate[k][tp_rounds / 2] / 1e6, rate[k][0] / 1e6,
		       rate[k][tp_rounds - 1] / 1e6);
		if (stalled[k])
			printf(", %d of %d runs stopped after %.0f s",
			       stalled[k], tp_rounds, RUN_LIMIT_NS / 1e9);
		printf("\n");
		fflush(stdout);
		if (k & 1)
			printf("  kml / ck = %.2f\n",
			       rate[k - 1][tp_rounds / 2] /
				   rate[k][tp_rounds / 2]);
	}
	return 0;
}

int main(int argc, char **argv)
{
	size_t n = sizeof(targets) / sizeof(targets[0]), i;
	const int tp_rounds = 5;
	const long per = 1000000;

	kml_mem_init(&mem, "bench_ring", 0);
	if (argc == 5 && !strcmp(argv[1], "count"))
		return count_mode(argv[2], atol(argv[3]), argv[4]);
	if (argc == 2 && !strcmp(argv[1], "throughput"))
		return throughput_table(per, tp_rounds);
	if (argc != 1) {
		fprintf(stderr,
			"usage: %s [throughput | count WORKLOAD ROUNDS "
			"cycle|full]\n",
			argv[0]);
		return 2;
	}

	printf(
	    "one thread, %d slots, 8-byte records unless named, ns per call\n",
	    SLOTS);
	printf("%-24s %10s %10s %14s\n", "ring", "enqueue", "dequeue",
	       "enqueue full");
	for (i = 0; i < n; i++) {
		struct cycle_ns c;

		target_open(&targets[i]);
		cycles(&targets[i], 2000, &c);
		target_close(&targets[i]);
		printf("%-24s %10.2f %10.2f %14.2f\n", targets[i].name, c.enq,
		       c.deq, c.full);
	}

	throughput_table(per, tp_rounds);
	snapshot_table();
	return (int)(sink & 0);
}
