// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * ring_stress_cases.c - producers on other threads (pthreads in user
 * space, kthreads in the kernel) against one consumer: no record lost,
 * duplicated, reordered within a producer, or torn; counters that add up.
 * Kept short (it also runs in the kernel under QEMU TCG); the long
 * version is tests/user/runtime_stress.c. No float code.
 */
#include "runtime_stress.h"

/* ring_stress_compact_cases.c runs these sequences again with KML_RING_COMPACT
 */
#ifndef KT_RING_FLAGS
#define KT_RING_FLAGS 0
#define KT_RING_SUITE kt_suite_ring_stress
#define KT_RING_NAME "ring_stress"
#endif

/* 24 bytes: three words written separately, so a torn record shows. */
struct stress_rec {
	uint32_t producer;
	uint32_t n;
	uint64_t check;
	uint64_t check2;
};

static uint64_t rec_check(uint32_t producer, uint32_t n)
{
	uint64_t x = ((uint64_t)producer << 32 | n) + 0x9e3779b97f4a7c15ull;

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/*
 * 8-byte records, the size with inline enqueue paths of their own:
 * producer (4 bits), n (28 bits) and 32 bits of rec_check, so a slot read
 * before its record was written, or a record of another lap, shows.
 */
static uint64_t rec8_pack(uint32_t producer, uint32_t n)
{
	return (uint64_t)producer << 60 | (uint64_t)(n & 0xfffffffu) << 32 |
	       (uint32_t)rec_check(producer, n);
}

static bool rec8_unpack(uint64_t w, struct stress_rec *r)
{
	r->producer = (uint32_t)(w >> 60);
	r->n = (uint32_t)(w >> 32) & 0xfffffffu;
	r->check = rec_check(r->producer, r->n);
	r->check2 = ~r->check ^ r->n;
	return (uint32_t)w == (uint32_t)r->check;
}

struct stress_job;

struct stress_producer {
	struct stress_job *job;
	uint32_t id;
	kml_atomic_t done;
	uint64_t retries;
	int bad_status; /* an enqueue answer the mode does not allow */
};

struct stress_job {
	const struct kt_ring_stress *cfg;
	struct kml_ring *ring;
	struct stress_producer prod[KT_STRESS_MAX_PRODUCERS];
};

/* Park until told to stop: kml_thread_stop must not race our return. */
static int park(struct kml_thread *self, int ret)
{
	while (!kml_thread_should_stop(self))
		kml_thread_sleep(self, 1000000);
	return ret;
}

static int produce(struct kml_thread *self, void *arg)
{
	struct stress_producer *p = arg;
	const struct kt_ring_stress *cfg = p->job->cfg;
	struct stress_rec rec = { .producer = p->id };
	uint64_t word;
	const void *what = cfg->rec8 ? (const void *)&word : &rec;
	uint32_t n;

	for (n = 0; n < cfg->per_producer; n++) {
		rec.n = n;
		rec.check = rec_check(p->id, n);
		rec.check2 = ~rec.check ^ n;
		word = rec8_pack(p->id, n);
		for (;;) {
			int ret = kml_ring_enqueue(p->job->ring, what);

			if (ret == KML_OK)
				break;
			if (cfg->mode != KML_RING_BLOCK) {
				/* dropped newest: counted by the ring */
				if (ret != KML_EAGAIN)
					p->bad_status = ret;
				break;
			}
			if (ret != KML_ETIMEDOUT && ret != KML_EAGAIN) {
				p->bad_status = ret;
				goto out;
			}
			p->retries++;
			if (kml_thread_should_stop(self))
				goto out; /* the consumer gave up */
			/* let the consumer run even on one CPU */
			kml_thread_sleep(self, 20000);
		}
		/* now and then a pause, so producers and consumer interleave */
		if ((n & 255) == 255) {
			int k;

			for (k = 0; k < 64; k++)
				kml_cpu_relax();
		}
	}
out:
	kml_atomic_store_release(&p->done, 1);
	return park(self, 0);
}

static bool all_done(struct stress_job *job)
{
	unsigned int i;

	for (i = 0; i < job->cfg->producers; i++)
		if (!kml_atomic_load_acquire(&job->prod[i].done))
			return false;
	return true;
}

/* Check one record; @next holds each producer's next expected number. */
static bool verify(struct kt_ctx *t, const struct kt_ring_stress *cfg,
		   const struct stress_rec *r, uint32_t *next)
{
	if (r->producer >= cfg->producers) {
		kt_fail(t, __FILE__, __LINE__, "bad producer %u", r->producer);
		return false;
	}
	if (r->check != rec_check(r->producer, r->n) ||
	    r->check2 != (~r->check ^ r->n)) {
		kt_fail(t, __FILE__, __LINE__, "torn record %u/%u", r->producer,
			r->n);
		return false;
	}
	if (cfg->mode == KML_RING_BLOCK ? r->n != next[r->producer]
					: r->n < next[r->producer]) {
		kt_fail(t, __FILE__, __LINE__,
			"producer %u: got %u, expected %s%u", r->producer, r->n,
			cfg->mode == KML_RING_BLOCK ? "" : ">= ",
			next[r->producer]);
		return false;
	}
	next[r->producer] = r->n + 1;
	return true;
}

static void consume(struct kt_ctx *t, struct stress_job *job,
		    struct kt_ring_stress_out *out, uint32_t *next)
{
	const struct kt_ring_stress *cfg = job->cfg;
	uint64_t start = kml_time_ns();
	struct stress_rec batch[16];
	uint64_t words[16]; /* rec8: dequeued here, unpacked into batch */
	void *to = cfg->rec8 ? (void *)words : batch;
	unsigned int spins = 0;

	for (;;) {
		bool finished = all_done(job);
		size_t n = 0, i;
		int ret;

		/* alternate single and batch dequeues */
		if (out->received & 1) {
			ret = kml_ring_dequeue(job->ring, to);
			n = ret == KML_OK;
		} else {
			ret = kml_ring_dequeue_batch(job->ring, to,
						     KML_ARRAY_SIZE(batch), &n);
		}
		if (ret == KML_OK) {
			for (i = 0; cfg->rec8 && i < n; i++) {
				if (!rec8_unpack(words[i], &batch[i])) {
					kt_fail(t, __FILE__, __LINE__,
						"bad 8-byte record %llx",
						(unsigned long long)words[i]);
					return;
				}
			}
			for (i = 0; i < n; i++)
				if (!verify(t, cfg, &batch[i], next))
					return;
			out->received += n;
			continue;
		}
		if (ret != KML_EAGAIN) {
			kt_fail(t, __FILE__, __LINE__, "dequeue: %d", ret);
			return;
		}
		if (finished)
			return; /* every producer was done before it was empty
				 */
		if ((++spins & 1023) == 0 &&
		    kml_time_ns() - start > cfg->time_limit_ns) {
			kt_fail(t, __FILE__, __LINE__,
				"timed out after %llu records",
				(unsigned long long)out->received);
			return;
		}
		kml_cpu_relax();
	}
}

void kt_ring_stress_run(struct kt_ctx *t, const struct kt_ring_stress *cfg,
			struct kt_ring_stress_out *out)
{
	struct kml_ring_config rc = {
		.capacity = cfg->capacity,
		.record_size = cfg->rec8 ? 8 : sizeof(struct stress_rec),
		.mode = cfg->mode,
		.flags = cfg->flags | KT_RING_FLAGS,
		.spin_ns = cfg->spin_ns
	};
	struct kml_thread *th[KT_STRESS_MAX_PRODUCERS] = { NULL };
	uint32_t next[KT_STRESS_MAX_PRODUCERS] = { 0 };
	struct stress_job *job;
	uint64_t offered;
	unsigned int i;

	kml_memset(out, 0, sizeof(*out));
	if (cfg->producers < 1 || cfg->producers > KT_STRESS_MAX_PRODUCERS) {
		kt_fail(t, __FILE__, __LINE__, "bad producer count");
		return;
	}
	if (kml_alloc(t->mem, sizeof(*job), KML_MEM_ZERO, (void **)&job)) {
		kt_fail(t, __FILE__, __LINE__, "no memory");
		return;
	}
	job->cfg = cfg;
	KT_EXPECT_OK(t, kml_ring_create(&job->ring, t->mem, &rc));
	if (!job->ring)
		goto free_job;
	for (i = 0; i < cfg->producers; i++) {
		job->prod[i].job = job;
		job->prod[i].id = i;
		KT_EXPECT_OK(t, kml_thread_start(&th[i], produce, &job->prod[i],
						 "kt_ring_prod"));
		if (!th[i]) /* run on with fewer: consume() then sees done */
			kml_atomic_set(&job->prod[i].done, 1);
	}
	consume(t, job, out, next);
	for (i = 0; i < cfg->producers; i++) {
		if (th[i])
			KT_EXPECT_OK(t, kml_thread_stop(th[i]));
		KT_EXPECT_EQ(t, job->prod[i].bad_status, 0);
		out->producer_retries += job->prod[i].retries;
	}
	KT_EXPECT_OK(t, kml_ring_stats(job->ring, &out->stats));
	if (t->failed)
		goto destroy;
	offered = (uint64_t)cfg->producers * cfg->per_producer;
	KT_EXPECT_EQ(t, out->stats.produced, offered);
	KT_EXPECT_EQ(t, out->stats.consumed, out->received);
	KT_EXPECT_EQ(t, out->stats.count, 0);
	KT_EXPECT_EQ(t, out->stats.consumed + out->stats.dropped,
		     out->stats.produced);
	KT_EXPECT(t, out->stats.high_water <= cfg->capacity);
	KT_EXPECT(t, out->stats.high_water >= 1);
	if (cfg->mode == KML_RING_BLOCK) {
		KT_EXPECT_EQ(t, out->received, offered);
		KT_EXPECT_EQ(t, out->stats.dropped, 0);
		KT_EXPECT_EQ(t, out->stats.rejected, out->producer_retries);
		for (i = 0; i < cfg->producers; i++)
			KT_EXPECT_EQ(t, next[i], cfg->per_producer);
	} else {
		KT_EXPECT_EQ(t, out->stats.rejected, 0);
	}
destroy:
	kml_ring_destroy(job->ring);
free_job:
	kml_free(t->mem, job);
}

/* What a run must give whatever the interleaving: only that is digested. */
static void stress_case(struct kt_ctx *t, enum kml_ring_mode mode,
			unsigned int flags, unsigned int producers,
			size_t capacity, bool rec8)
{
	struct kt_ring_stress cfg = { .mode = mode,
				      .flags = flags,
				      .producers = producers,
				      .per_producer = 12000,
				      .capacity = capacity,
				      .spin_ns =
					  mode == KML_RING_BLOCK ? 20000 : 0,
				      .time_limit_ns = 60000000000ull,
				      .rec8 = rec8 };
	struct kt_ring_stress_out out;
	uint64_t invariant[2];

	kt_ring_stress_run(t, &cfg, &out);
	invariant[0] = out.stats.produced;
	invariant[1] = mode == KML_RING_BLOCK
			   ? out.received
			   : out.stats.consumed + out.stats.dropped;
	kt_digest(t, invariant, sizeof(invariant));
}

static void block_spsc(struct kt_ctx *t)
{
	stress_case(t, KML_RING_BLOCK, KML_RING_SP, 1, 64, false);
}

static void block_mpsc(struct kt_ctx *t)
{
	stress_case(t, KML_RING_BLOCK, KML_RING_MP, 2, 64, false);
}

static void drop_newest_mpsc(struct kt_ctx *t)
{
	stress_case(t, KML_RING_DROP_NEWEST, KML_RING_MP, 2, 16, false);
}

static void drop_oldest_spsc(struct kt_ctx *t)
{
	stress_case(t, KML_RING_DROP_OLDEST, KML_RING_SP, 1, 8, false);
}

static void drop_oldest_mpsc(struct kt_ctx *t)
{
	stress_case(t, KML_RING_DROP_OLDEST, KML_RING_MP, 2, 8, false);
}

/* The same with 8-byte records: the inline fast paths of each protocol. */
static void block_mpsc_8(struct kt_ctx *t)
{
	stress_case(t, KML_RING_BLOCK, KML_RING_MP, 2, 64, true);
}

static void drop_newest_spsc_8(struct kt_ctx *t)
{
	stress_case(t, KML_RING_DROP_NEWEST, KML_RING_SP, 1, 16, true);
}

static void drop_newest_mpsc_8(struct kt_ctx *t)
{
	stress_case(t, KML_RING_DROP_NEWEST, KML_RING_MP, 2, 16, true);
}

static void drop_oldest_spsc_8(struct kt_ctx *t)
{
	stress_case(t, KML_RING_DROP_OLDEST, KML_RING_SP, 1, 8, true);
}

static void drop_oldest_mpsc_8(struct kt_ctx *t)
{
	stress_case(t, KML_RING_DROP_OLDEST, KML_RING_MP, 2, 8, true);
}

static const struct kt_case ring_stress_cases[] = {
	{ "block_spsc", block_spsc },
	{ "block_mpsc", block_mpsc },
	{ "drop_newest_mpsc", drop_newest_mpsc },
	{ "drop_oldest_spsc", drop_oldest_spsc },
	{ "drop_oldest_mpsc", drop_oldest_mpsc },
	{ "block_mpsc_8", block_mpsc_8 },
	{ "drop_newest_spsc_8", drop_newest_spsc_8 },
	{ "drop_newest_mpsc_8", drop_newest_mpsc_8 },
	{ "drop_oldest_spsc_8", drop_oldest_spsc_8 },
	{ "drop_oldest_mpsc_8", drop_oldest_mpsc_8 },
};

KT_SUITE(KT_RING_SUITE, KT_RING_NAME, false, 0, ring_stress_cases);
