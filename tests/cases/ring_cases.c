// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * ring_cases.c - sequential semantics of the lock-free rings in every
 * mode and producer variant: full and empty, FIFO order across
 * wrap-around, drop-newest and drop-oldest counts, stats, high-water mark,
 * batch dequeue, and the answers to bad input. No float code.
 */
#include "../ktest.h"

/* ring_compact_cases.c runs these sequences again with KML_RING_COMPACT */
#ifndef KT_RING_FLAGS
#define KT_RING_FLAGS 0
#define KT_RING_SUITE kt_suite_ring
#define KT_RING_NAME "ring"
#endif
#include "kmlib/ring.h"

static void digest_stats(struct kt_ctx *t, const struct kml_ring *r)
{
	struct kml_ring_stats st;

	KT_EXPECT_OK(t, kml_ring_stats(r, &st));
	kt_digest(t, &st, sizeof(st));
}

static struct kml_ring *make(struct kt_ctx *t, size_t cap, size_t rec,
			     enum kml_ring_mode mode, unsigned int flags,
			     uint64_t spin_ns)
{
	struct kml_ring_config cfg = { .capacity = cap,
				       .record_size = rec,
				       .mode = mode,
				       .flags = flags | KT_RING_FLAGS,
				       .spin_ns = spin_ns };
	struct kml_ring *r = NULL;

	KT_EXPECT_OK(t, kml_ring_create(&r, t->mem, &cfg));
	return r;
}

static void expect_stats(struct kt_ctx *t, const struct kml_ring *r,
			 uint64_t produced, uint64_t consumed, uint64_t dropped,
			 uint64_t rejected, uint64_t high_water, uint64_t count)
{
	struct kml_ring_stats st;

	KT_EXPECT_OK(t, kml_ring_stats(r, &st));
	KT_EXPECT_EQ(t, st.produced, produced);
	KT_EXPECT_EQ(t, st.consumed, consumed);
	KT_EXPECT_EQ(t, st.dropped, dropped);
	KT_EXPECT_EQ(t, st.rejected, rejected);
	KT_EXPECT_EQ(t, st.high_water, high_water);
	KT_EXPECT_EQ(t, st.count, count);
	KT_EXPECT_EQ(t, kml_ring_count(r), count);
}

/* Fill to capacity, refuse one more, drain in order, refuse when empty. */
static void block_full_empty(struct kt_ctx *t, unsigned int flags)
{
	struct kml_ring *r = make(t, 4, 8, KML_RING_BLOCK, flags, 0);
	uint64_t v;
	int i;

	if (!r)
		return;
	KT_EXPECT_EQ(t, kml_ring_capacity(r), 4);
	KT_EXPECT_EQ(t, kml_ring_record_size(r), 8);
	KT_EXPECT_EQ(t, kml_ring_dequeue(r, &v), KML_EAGAIN);
	for (i = 0; i < 4; i++) {
		v = 100 + (uint64_t)i;
		KT_EXPECT_OK(t, kml_ring_enqueue(r, &v));
	}
	v = 999;
	KT_EXPECT_EQ(t, kml_ring_enqueue(r, &v), KML_EAGAIN);
	expect_stats(t, r, 4, 0, 0, 1, 4, 4);
	for (i = 0; i < 4; i++) {
		v = 0;
		KT_EXPECT_OK(t, kml_ring_dequeue(r, &v));
		KT_EXPECT_EQ(t, v, 100 + (uint64_t)i);
		kt_digest(t, &v, sizeof(v));
	}
	KT_EXPECT_EQ(t, kml_ring_dequeue(r, &v), KML_EAGAIN);
	/* room again after draining */
	v = 5;
	KT_EXPECT_OK(t, kml_ring_enqueue(r, &v));
	expect_stats(t, r, 5, 4, 0, 1, 4, 1);
	digest_stats(t, r);
	kml_ring_destroy(r);
}

static void block_full_empty_sp(struct kt_ctx *t)
{
	block_full_empty(t, KML_RING_SP);
}

static void block_full_empty_mp(struct kt_ctx *t)
{
	block_full_empty(t, KML_RING_MP);
}

/* 12-byte records: a partial last word in every slot. */
struct rec12 {
	uint32_t a, b, c;
};

static void fill12(struct rec12 *x, uint32_t n)
{
	x->a = n;
	x->b = n * 2654435761u;
	x->c = ~n;
}

/* Many rounds through an 8-slot ring: order and contents survive wrap. */
static void wrap_around(struct kt_ctx *t, enum kml_ring_mode mode,
			unsigned int flags)
{
	struct kml_ring *r = make(t, 8, sizeof(struct rec12), mode, flags, 0);
	uint32_t next_in = 0, next_out = 0;
	struct rec12 x, y;
	int round, k;

	if (!r)
		return;
	for (round = 0; round < 40; round++) {
		int n = round % 5 + 1;

		for (k = 0; k < n; k++) {
			fill12(&x, next_in++);
			KT_EXPECT_OK(t, kml_ring_enqueue(r, &x));
		}
		for (k = 0; k < n; k++) {
			KT_EXPECT_OK(t, kml_ring_dequeue(r, &y));
			fill12(&x, next_out++);
			KT_EXPECT(t, kml_memcmp(&x, &y, sizeof(x)) == 0);
		}
		kt_digest(t, &y, sizeof(y));
	}
	KT_EXPECT_EQ(t, next_out, 120);
	expect_stats(t, r, 120, 120, 0, 0, 5, 0);
	kml_ring_destroy(r);
}

static void wrap_block_sp(struct kt_ctx *t)
{
	wrap_around(t, KML_RING_BLOCK, KML_RING_SP);
}

static void wrap_block_mp(struct kt_ctx *t)
{
	wrap_around(t, KML_RING_BLOCK, KML_RING_MP);
}

static void wrap_drop_oldest_sp(struct kt_ctx *t)
{
	wrap_around(t, KML_RING_DROP_OLDEST, KML_RING_SP);
}

static void wrap_drop_oldest_mp(struct kt_ctx *t)
{
	wrap_around(t, KML_RING_DROP_OLDEST, KML_RING_MP);
}

static void wrap_drop_newest_mp(struct kt_ctx *t)
{
	wrap_around(t, KML_RING_DROP_NEWEST, KML_RING_MP);
}

/* Blocking with a budget: gives up with KML_ETIMEDOUT after spin_ns. */
static void block_spin_timeout(struct kt_ctx *t)
{
	struct kml_ring *r = make(t, 2, 8, KML_RING_BLOCK, KML_RING_MP, 200000);
	uint64_t v = 1, start, took;

	if (!r)
		return;
	KT_EXPECT_OK(t, kml_ring_enqueue(r, &v));
	KT_EXPECT_OK(t, kml_ring_enqueue(r, &v));
	start = kml_time_ns();
	KT_EXPECT_EQ(t, kml_ring_enqueue(r, &v), KML_ETIMEDOUT);
	took = kml_time_ns() - start;
	KT_EXPECT(t, took >= 200000);
	expect_stats(t, r, 2, 0, 0, 1, 2, 2);
	kml_ring_destroy(r);

	r = make(t, 2, 8, KML_RING_BLOCK, KML_RING_SP, 100000);
	if (!r)
		return;
	KT_EXPECT_OK(t, kml_ring_enqueue(r, &v));
	KT_EXPECT_OK(t, kml_ring_enqueue(r, &v));
	KT_EXPECT_EQ(t, kml_ring_enqueue(r, &v), KML_ETIMEDOUT);
	KT_EXPECT_EQ(t, kml_ring_enqueue(r, &v), KML_ETIMEDOUT);
	expect_stats(t, r, 2, 0, 0, 2, 2, 2);
	digest_stats(t, r);
	kml_ring_destroy(r);
}

/* Ten records into four slots: the first four stay, six are dropped. */
static void drop_newest(struct kt_ctx *t, unsigned int flags)
{
	struct kml_ring *r = make(t, 4, 8, KML_RING_DROP_NEWEST, flags, 0);
	uint64_t v;
	int i;

	if (!r)
		return;
	for (i = 0; i < 10; i++) {
		v = (uint64_t)i;
		KT_EXPECT_EQ(t, kml_ring_enqueue(r, &v),
			     i < 4 ? KML_OK : KML_EAGAIN);
	}
	expect_stats(t, r, 10, 0, 6, 0, 4, 4);
	for (i = 0; i < 4; i++) {
		KT_EXPECT_OK(t, kml_ring_dequeue(r, &v));
		KT_EXPECT_EQ(t, v, (uint64_t)i);
	}
	KT_EXPECT_EQ(t, kml_ring_dequeue(r, &v), KML_EAGAIN);
	/* half drained, then over-filled again */
	for (i = 10; i < 16; i++)
		kml_ring_enqueue(r, &(uint64_t){ (uint64_t)i });
	KT_EXPECT_OK(t, kml_ring_dequeue(r, &v));
	KT_EXPECT_EQ(t, v, 10);
	expect_stats(t, r, 16, 5, 8, 0, 4, 3);
	digest_stats(t, r);
	kml_ring_destroy(r);
}

static void drop_newest_sp(struct kt_ctx *t)
{
	drop_newest(t, KML_RING_SP);
}

static void drop_newest_mp(struct kt_ctx *t)
{
	drop_newest(t, KML_RING_MP);
}

/* Ten records into four slots: the last four stay, six are dropped. */
static void drop_oldest(struct kt_ctx *t, unsigned int flags)
{
	struct kml_ring *r = make(t, 4, 8, KML_RING_DROP_OLDEST, flags, 0);
	uint64_t v;
	int i;

	if (!r)
		return;
	for (i = 0; i < 10; i++) {
		v = (uint64_t)i;
		KT_EXPECT_OK(t, kml_ring_enqueue(r, &v));
	}
	expect_stats(t, r, 10, 0, 6, 0, 4, 4);
	KT_EXPECT_OK(t, kml_ring_dequeue(r, &v));
	KT_EXPECT_EQ(t, v, 6);
	/* one free slot: 10 fits, 11 and 12 push out 7 and 8 */
	for (i = 10; i < 13; i++)
		KT_EXPECT_OK(t,
			     kml_ring_enqueue(r, &(uint64_t){ (uint64_t)i }));
	for (i = 9; i < 13; i++) {
		KT_EXPECT_OK(t, kml_ring_dequeue(r, &v));
		KT_EXPECT_EQ(t, v, (uint64_t)i);
		kt_digest(t, &v, sizeof(v));
	}
	KT_EXPECT_EQ(t, kml_ring_dequeue(r, &v), KML_EAGAIN);
	expect_stats(t, r, 13, 5, 8, 0, 4, 0);
	digest_stats(t, r);
	kml_ring_destroy(r);
}

/*
 * Many laps before the consumer looks: 1000 records of @rec bytes into
 * four slots, byte k of record i is (i + k) & 0xff. The last four stay,
 * in order, and every count adds up before and after draining (one
 * producer: the consumer counts what it skips, stats what it has not
 * reached yet).
 */
static void drop_oldest_laps(struct kt_ctx *t, unsigned int flags, size_t rec)
{
	struct kml_ring *r = make(t, 4, rec, KML_RING_DROP_OLDEST, flags, 0);
	uint8_t in[16], out[16];
	size_t k;
	int i;

	if (!r)
		return;
	for (i = 0; i < 1000; i++) {
		for (k = 0; k < rec; k++)
			in[k] = (uint8_t)(i + k);
		KT_EXPECT_OK(t, kml_ring_enqueue(r, in));
	}
	expect_stats(t, r, 1000, 0, 996, 0, 4, 4);
	for (i = 996; i < 1000; i++) {
		KT_EXPECT_OK(t, kml_ring_dequeue(r, out));
		for (k = 0; k < rec; k++)
			KT_EXPECT_EQ(t, out[k], (uint8_t)(i + k));
		kt_digest(t, out, rec);
	}
	KT_EXPECT_EQ(t, kml_ring_dequeue(r, out), KML_EAGAIN);
	expect_stats(t, r, 1000, 4, 996, 0, 4, 0);
	/* a second round after the skip: 2 fit, nothing dropped */
	for (i = 0; i < 2; i++)
		KT_EXPECT_OK(t, kml_ring_enqueue(r, in));
	expect_stats(t, r, 1002, 4, 996, 0, 4, 2);
	kml_ring_destroy(r);
}

static void drop_oldest_laps_sizes(struct kt_ctx *t)
{
	drop_oldest_laps(t, KML_RING_SP, 8);
	drop_oldest_laps(t, KML_RING_SP, 12);
	drop_oldest_laps(t, KML_RING_SP, 16);
	drop_oldest_laps(t, KML_RING_MP, 8);
	drop_oldest_laps(t, KML_RING_MP, 16);
}

static void drop_oldest_sp(struct kt_ctx *t)
{
	drop_oldest(t, KML_RING_SP);
}

static void drop_oldest_mp(struct kt_ctx *t)
{
	drop_oldest(t, KML_RING_MP);
}

/*
 * The mark follows the largest count, also when it is reached late, in
 * every mode and for both record-size paths (8 bytes and wider): the
 * enqueue fast paths skip the mark while head stays under a cached limit.
 */
static void high_water_mode(struct kt_ctx *t, enum kml_ring_mode mode,
			    unsigned int flags, size_t rec)
{
	/* count after each step: 3 1 2 3 4 0 2 4 3 4 5 6 7 */
	static const int8_t ops[] = {
		3, -2, 1, 1, 1, -4, 2, 2, -1, 1, 1, 1, 1
	};
	static const uint8_t mark[] = { 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 5, 6, 7 };
	struct kml_ring *r = make(t, 8, rec, mode, flags, 0);
	struct kml_ring_stats st;
	uint64_t v[2] = { 0, 0 };
	size_t i;
	int k;

	if (!r)
		return;
	for (i = 0; i < KML_ARRAY_SIZE(ops); i++) {
		for (k = 0; k < ops[i]; k++)
			KT_EXPECT_OK(t, kml_ring_enqueue(r, v));
		for (k = 0; k < -ops[i]; k++)
			KT_EXPECT_OK(t, kml_ring_dequeue(r, v));
		KT_EXPECT_OK(t, kml_ring_stats(r, &st));
		KT_EXPECT_EQ(t, st.high_water, mark[i]);
	}
	/* one more fills it, three more find it full: the mark stays 8 */
	for (k = 0; k < 4; k++)
		KT_EXPECT_EQ(t, kml_ring_enqueue(r, v),
			     k < 1 || mode == KML_RING_DROP_OLDEST
				 ? KML_OK
				 : KML_EAGAIN);
	KT_EXPECT_OK(t, kml_ring_stats(r, &st));
	KT_EXPECT_EQ(t, st.high_water, 8);
	KT_EXPECT_EQ(t, st.count, 8);
	KT_EXPECT_EQ(t, st.produced, st.consumed + st.dropped + st.count);
	digest_stats(t, r);
	kml_ring_destroy(r);
}

static void high_water(struct kt_ctx *t, unsigned int flags)
{
	high_water_mode(t, KML_RING_BLOCK, flags, 8);
	high_water_mode(t, KML_RING_DROP_NEWEST, flags, 8);
	high_water_mode(t, KML_RING_DROP_OLDEST, flags, 8);
	high_water_mode(t, KML_RING_DROP_OLDEST, flags, 16);
}

static void high_water_sp(struct kt_ctx *t)
{
	high_water(t, KML_RING_SP);
}

static void high_water_mp(struct kt_ctx *t)
{
	high_water(t, KML_RING_MP);
}

static void batch_dequeue(struct kt_ctx *t)
{
	struct kml_ring *r = make(t, 8, sizeof(struct rec12),
				  KML_RING_DROP_OLDEST, KML_RING_MP, 0);
	struct rec12 out[4], x;
	size_t n = 99;
	uint32_t i;

	if (!r)
		return;
	KT_EXPECT_EQ(t, kml_ring_dequeue_batch(r, out, 4, &n), KML_EAGAIN);
	KT_EXPECT_EQ(t, n, 0);
	for (i = 0; i < 10; i++) {
		fill12(&x, i);
		KT_EXPECT_OK(t, kml_ring_enqueue(r, &x));
	}
	/* 0 and 1 were dropped */
	KT_EXPECT_OK(t, kml_ring_dequeue_batch(r, out, 4, &n));
	KT_EXPECT_EQ(t, n, 4);
	for (i = 0; i < 4; i++) {
		fill12(&x, 2 + i);
		KT_EXPECT(t, kml_memcmp(&out[i], &x, sizeof(x)) == 0);
	}
	kt_digest(t, out, sizeof(out));
	KT_EXPECT_OK(t, kml_ring_dequeue_batch(r, out, 4, &n));
	KT_EXPECT_EQ(t, n, 4);
	fill12(&x, 9);
	KT_EXPECT(t, kml_memcmp(&out[3], &x, sizeof(x)) == 0);
	KT_EXPECT_EQ(t, kml_ring_dequeue_batch(r, out, 4, &n), KML_EAGAIN);
	expect_stats(t, r, 10, 8, 2, 0, 8, 0);
	kml_ring_destroy(r);
}

static void bad_input(struct kt_ctx *t)
{
	struct kml_ring_config ok = { .capacity = 4,
				      .record_size = 8,
				      .mode = KML_RING_BLOCK,
				      .flags = KT_RING_FLAGS };
	struct kml_ring_config cfg;
	struct kml_ring_stats st;
	struct kml_ring *r = (void *)1;
	struct kml_mem small;
	uint64_t v = 0;
	size_t n = 5;

	KT_EXPECT_EQ(t, kml_ring_create(NULL, t->mem, &ok), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_ring_create(&r, NULL, &ok), KML_EINVAL);
	KT_EXPECT(t, r == NULL);
	KT_EXPECT_EQ(t, kml_ring_create(&r, t->mem, NULL), KML_EINVAL);
#define BAD(field, value)                                                      \
	do {                                                                   \
		cfg = ok;                                                      \
		cfg.field = value;                                             \
		KT_EXPECT_EQ(t, kml_ring_create(&r, t->mem, &cfg),             \
			     KML_EINVAL);                                      \
		KT_EXPECT(t, r == NULL);                                       \
	} while (0)
	BAD(capacity, 0);
	BAD(capacity, 1);
	BAD(capacity, 3);
	BAD(capacity, 12);
	BAD(capacity, (size_t)KML_RING_MAX_CAPACITY * 2);
	BAD(capacity, SIZE_MAX);
	BAD(record_size, 0);
	BAD(record_size, KML_RING_MAX_RECORD + 1);
	BAD(record_size, SIZE_MAX);
	BAD(mode, (enum kml_ring_mode)3);
	BAD(flags, 4);
	BAD(spin_ns, KML_RING_MAX_SPIN_NS + 1);
	cfg = ok;
	cfg.mode = KML_RING_DROP_OLDEST;
	cfg.spin_ns = 1000; /* a budget in a mode that never waits */
	KT_EXPECT_EQ(t, kml_ring_create(&r, t->mem, &cfg), KML_EINVAL);
#undef BAD
	/* the largest ring fits no memory cap of ours */
	cfg = ok;
	cfg.capacity = KML_RING_MAX_CAPACITY;
	cfg.record_size = KML_RING_MAX_RECORD;
	KT_EXPECT_OK(t, kml_mem_init(&small, "ring-small", 4096));
	KT_EXPECT_EQ(t, kml_ring_create(&r, &small, &cfg), KML_ENOMEM);
	KT_EXPECT(t, r == NULL);
	cfg.capacity = 1024;
	cfg.record_size = 8;
	KT_EXPECT_EQ(t, kml_ring_create(&r, &small, &cfg), KML_ENOMEM);
	KT_EXPECT_EQ(t, kml_mem_current(&small), 0);

	KT_EXPECT_EQ(t, kml_ring_enqueue(NULL, &v), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_ring_dequeue(NULL, &v), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_ring_dequeue_batch(NULL, &v, 1, &n), KML_EINVAL);
	KT_EXPECT_EQ(t, n, 0);
	KT_EXPECT_EQ(t, kml_ring_stats(NULL, &st), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_ring_count(NULL), 0);
	KT_EXPECT_EQ(t, kml_ring_capacity(NULL), 0);
	KT_EXPECT_EQ(t, kml_ring_record_size(NULL), 0);
	kml_ring_destroy(NULL);

	KT_EXPECT_OK(t, kml_ring_create(&r, t->mem, &ok));
	if (!r)
		return;
	KT_EXPECT_EQ(t, kml_ring_enqueue(r, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_ring_dequeue(r, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_ring_dequeue_batch(r, &v, 1, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_ring_dequeue_batch(r, NULL, 1, &n), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_ring_dequeue_batch(r, &v, 0, &n), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_ring_dequeue_batch(r, &v, SIZE_MAX, &n),
		     KML_EOVERFLOW);
	KT_EXPECT_EQ(t, kml_ring_stats(r, NULL), KML_EINVAL);
	/* nothing above touched the ring */
	expect_stats(t, r, 0, 0, 0, 0, 0, 0);
	kml_ring_destroy(r);
}

/* Every record size from 1 to 24 bytes survives the trip (tail bytes). */
static void record_sizes(struct kt_ctx *t)
{
	static const enum kml_ring_mode modes[] = { KML_RING_BLOCK,
						    KML_RING_DROP_OLDEST };
	uint8_t in[24], out[26];
	size_t size, m, i;
	int k;

	for (m = 0; m < KML_ARRAY_SIZE(modes); m++) {
		for (size = 1; size <= 24; size++) {
			struct kml_ring *r =
			    make(t, 4, size, modes[m],
				 m ? KML_RING_MP : KML_RING_SP, 0);

			if (!r)
				return;
			for (k = 0; k < 6; k++) {
				for (i = 0; i < size; i++)
					in[i] =
					    (uint8_t)(k * 31 + i * 7 + size);
				kml_ring_enqueue(r, in);
			}
			/* block kept 0..3, drop-oldest 2..5 */
			for (k = m ? 2 : 0; k < (m ? 6 : 4); k++) {
				kml_memset(out, 0xa5, sizeof(out));
				KT_EXPECT_OK(t, kml_ring_dequeue(r, out));
				for (i = 0; i < size; i++)
					KT_EXPECT_EQ(
					    t, out[i],
					    (uint8_t)(k * 31 + i * 7 + size));
				/* nothing written past the record */
				KT_EXPECT_EQ(t, out[size], 0xa5);
				kt_digest(t, out, size);
			}
			KT_EXPECT_EQ(t, kml_ring_dequeue(r, out), KML_EAGAIN);
			kml_ring_destroy(r);
		}
	}
}

/*
 * Bytes of 16 slots of 16-byte records (mq-kmlib's training ring),
 * allocation header included, x86-64: producers' counters and tail on
 * cache lines of their own, or packed with KML_RING_COMPACT.
 */
static void footprint(struct kt_ctx *t)
{
	struct kml_ring_config cfg = { .capacity = 16,
				       .record_size = 16,
				       .mode = KML_RING_DROP_NEWEST,
				       .flags = KML_RING_MP | KT_RING_FLAGS };
	struct kml_ring *r = NULL;
	struct kml_mem m;

	KT_EXPECT_OK(t, kml_mem_init(&m, "ring-footprint", 0));
	KT_EXPECT_OK(t, kml_ring_create(&r, &m, &cfg));
	KT_EXPECT_EQ(t, kml_mem_current(&m), KT_RING_FLAGS ? 544 : 656);
	kml_ring_destroy(r);
	KT_EXPECT_EQ(t, kml_mem_current(&m), 0);
}

static const struct kt_case ring_cases[] = {
	{ "block_full_empty_sp", block_full_empty_sp },
	{ "block_full_empty_mp", block_full_empty_mp },
	{ "wrap_block_sp", wrap_block_sp },
	{ "wrap_block_mp", wrap_block_mp },
	{ "wrap_drop_oldest_sp", wrap_drop_oldest_sp },
	{ "wrap_drop_oldest_mp", wrap_drop_oldest_mp },
	{ "wrap_drop_newest_mp", wrap_drop_newest_mp },
	{ "block_spin_timeout", block_spin_timeout },
	{ "drop_newest_sp", drop_newest_sp },
	{ "drop_newest_mp", drop_newest_mp },
	{ "drop_oldest_sp", drop_oldest_sp },
	{ "drop_oldest_mp", drop_oldest_mp },
	{ "drop_oldest_laps", drop_oldest_laps_sizes },
	{ "high_water_sp", high_water_sp },
	{ "high_water_mp", high_water_mp },
	{ "batch_dequeue", batch_dequeue },
	{ "record_sizes", record_sizes },
	{ "bad_input", bad_input },
	{ "footprint", footprint },
};

KT_SUITE(KT_RING_SUITE, KT_RING_NAME, false, 0, ring_cases);
