// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * ring_enqueue.c - the producer side of the rings: per-slot sequence
 * protocol for BLOCK and DROP_NEWEST, tail-CAS protocol for DROP_OLDEST
 * (see ring_internal.h and docs/runtime.md). Never sleeps, never
 * allocates, no float code: callable from hard IRQ.
 *
 * kml_ring_enqueue holds the single-producer fast paths inline (about 30
 * instructions for an 8-byte record); everything rare (full ring, other
 * record sizes, a new high-water mark, several producers) is in separate
 * functions so the fast path needs no stack frame.
 */
#include "ring_internal.h"

/* Record @pos is whole in @s: the consumer's acquire of seq sees it all. */
static KML_ALWAYS_INLINE void publish(struct kml_ring_slot *s, uint64_t pos)
{
	kml_atomic64_store_release(&s->seq, (int64_t)(pos + 1));
}

/*
 * Copy the record in. @eight (a constant at each call site) selects the
 * one-store copy of 8-byte records (a pointer, two u32), the common case;
 * other sizes go through functions of their own, so that the word loop
 * does not cost the fast paths a stack frame.
 */
static KML_ALWAYS_INLINE void rec_put(const struct kml_ring *r,
				      struct kml_ring_slot *s, const void *rec,
				      const bool eight)
{
	uint64_t w;

	if (eight) {
		kml_memcpy(&w, rec, 8);
		kml_store_relaxed64(&s->data[0], w);
		return;
	}
	kml_shared_copy_in(s->data, rec, r->rec_size);
}

/*
 * Single producer: the high-water mark is exact, but the consumer's tail
 * is read only when head - (a tail seen earlier) exceeds the mark; that
 * estimate is never below the true count, so no maximum is missed.
 */
static KML_NOINLINE void high_water_sp(struct kml_ring *r, uint64_t head)
{
	uint64_t mark = (uint64_t)kml_atomic64_read(&r->high_water);

	r->tail_cache = (uint64_t)kml_atomic64_load_acquire(&r->tail);
	if (head - r->tail_cache > mark)
		kml_atomic64_set(&r->high_water,
				 (int64_t)(head - r->tail_cache));
}

static KML_ALWAYS_INLINE void note_high_water_sp(struct kml_ring *r,
						 uint64_t head)
{
	if (KML_UNLIKELY(head - r->tail_cache >
			 (uint64_t)kml_atomic64_read(&r->high_water)))
		high_water_sp(r, head);
}

/* Several producers: atomic maximum; the tail may already be past @head. */
static KML_NOINLINE void raise_high_water(struct kml_ring *r, int64_t count)
{
	int64_t mark = kml_atomic64_read(&r->high_water);

	while (count > mark) {
		int64_t seen =
		    kml_atomic64_cmpxchg(&r->high_water, mark, count);

		if (seen == mark)
			break;
		mark = seen;
	}
}

static KML_ALWAYS_INLINE void note_high_water_mp(struct kml_ring *r,
						 uint64_t head)
{
	int64_t count = (int64_t)(head - (uint64_t)kml_atomic64_read(&r->tail));

	if (KML_UNLIKELY(count > kml_atomic64_read(&r->high_water)))
		raise_high_water(r, count);
}

/* The rest of a single-producer enqueue once slot @s is ours. */
static KML_ALWAYS_INLINE int commit_sp(struct kml_ring *r,
				       struct kml_ring_slot *s, uint64_t pos,
				       const void *rec, const bool eight)
{
	rec_put(r, s, rec, eight);
	publish(s, pos);
	kml_atomic64_set(&r->head, (int64_t)(pos + 1));
	note_high_water_sp(r, pos + 1);
	return KML_OK;
}

static KML_NOINLINE int commit_sp_any(struct kml_ring *r,
				      struct kml_ring_slot *s, uint64_t pos,
				      const void *rec)
{
	return commit_sp(r, s, pos, rec, false);
}

/* The same for several producers (head was advanced by CAS already). */
static KML_ALWAYS_INLINE int commit_mp(struct kml_ring *r,
				       struct kml_ring_slot *s, uint64_t pos,
				       const void *rec, const bool eight)
{
	rec_put(r, s, rec, eight);
	publish(s, pos);
	note_high_water_mp(r, pos + 1);
	return KML_OK;
}

static KML_NOINLINE int commit_mp_any(struct kml_ring *r,
				      struct kml_ring_slot *s, uint64_t pos,
				      const void *rec)
{
	return commit_mp(r, s, pos, rec, false);
}

/* Commit with the copy that fits the record size. */
static KML_ALWAYS_INLINE int commit(struct kml_ring *r, struct kml_ring_slot *s,
				    uint64_t pos, const void *rec,
				    const bool mp)
{
	if (KML_UNLIKELY(r->rec_size != 8))
		return mp ? commit_mp_any(r, s, pos, rec)
			  : commit_sp_any(r, s, pos, rec);
	return mp ? commit_mp(r, s, pos, rec, true)
		  : commit_sp(r, s, pos, rec, true);
}

/* The spin budget of a blocking producer. */
struct ring_spin {
	uint64_t start;
	uint32_t n;
};

/*
 * Wait a little for a free slot; false once spin_ns has passed (at once
 * when it is 0). The clock is read every 16 rounds to keep it cheap.
 */
static bool spin_again(const struct kml_ring *r, struct ring_spin *sp)
{
	if (!r->spin_ns)
		return false;
	if (sp->n == 0)
		sp->start = kml_time_ns();
	else if ((sp->n & 15) == 0 && kml_time_ns() - sp->start >= r->spin_ns)
		return false;
	sp->n++;
	kml_cpu_relax();
	return true;
}

static int give_up(struct kml_ring *r)
{
	kml_atomic64_fetch_add(&r->rejected, 1);
	return r->spin_ns ? KML_ETIMEDOUT : KML_EAGAIN;
}

static int drop_newest(struct kml_ring *r)
{
	kml_atomic64_fetch_add(&r->dropped_new, 1);
	return KML_EAGAIN;
}

/* Single producer, BLOCK or DROP_NEWEST, and the slot was not free. */
static KML_NOINLINE int enqueue_sp_full(struct kml_ring *r, const void *rec)
{
	uint64_t pos = (uint64_t)kml_atomic64_read(&r->head);
	struct kml_ring_slot *s = kml_ring_slot_at(r, pos);
	struct ring_spin sp = { 0, 0 };

	/* seq == pos once the consumer has freed the slot */
	while ((uint64_t)kml_atomic64_load_acquire(&s->seq) != pos) {
		if (r->mode == KML_RING_DROP_NEWEST)
			return drop_newest(r);
		if (!spin_again(r, &sp))
			return give_up(r);
	}
	return commit(r, s, pos, rec, false);
}

/*
 * DROP_OLDEST, single producer, and the cached tail says full. Slot pos
 * is free once tail > pos - cap. The tail is then either advanced by our
 * CAS (record dropped: a consumer copying it will fail its own CAS and
 * discard the copy) or by the consumer, whose copy finished before its
 * CAS.
 */
static KML_NOINLINE int enqueue_drop_oldest_sp_full(struct kml_ring *r,
						    const void *rec)
{
	uint64_t pos = (uint64_t)kml_atomic64_read(&r->head);
	uint64_t t = (uint64_t)kml_atomic64_load_acquire(&r->tail);

	if (pos - t > r->mask) {
		if ((uint64_t)kml_atomic64_cmpxchg(&r->tail, (int64_t)t,
						   (int64_t)(t + 1)) == t) {
			kml_atomic64_fetch_add(&r->dropped_old, 1);
			t++;
		} else {
			/* the consumer took it; acquire its copy */
			t = (uint64_t)kml_atomic64_load_acquire(&r->tail);
		}
	}
	r->tail_cache = t;
	return commit(r, kml_ring_slot_at(r, pos), pos, rec, false);
}

static int enqueue_mp_full(struct kml_ring *r, const void *rec);

/*
 * Several producers, BLOCK or DROP_NEWEST (per-slot sequence numbers):
 * reserve position pos by CAS on head once its slot is free (seq == pos).
 * @spin is NULL on the first attempt, which hands a full ring over to
 * enqueue_mp_full (drop, or wait with the spin budget).
 */
static KML_ALWAYS_INLINE int enqueue_mp_try(struct kml_ring *r, const void *rec,
					    struct ring_spin *spin)
{
	uint64_t pos = (uint64_t)kml_atomic64_read(&r->head);
	struct kml_ring_slot *s;

	for (;;) {
		int64_t dif;

		s = kml_ring_slot_at(r, pos);
		dif = (int64_t)((uint64_t)kml_atomic64_load_acquire(&s->seq) -
				pos);
		if (dif == 0) {
			uint64_t seen = (uint64_t)kml_atomic64_cmpxchg(
			    &r->head, (int64_t)pos, (int64_t)(pos + 1));

			if (seen == pos)
				break;
			pos = seen;
			continue;
		}
		if (dif < 0) {
			/* the slot still holds record pos - capacity: full */
			if (!spin)
				return enqueue_mp_full(r, rec);
			if (!spin_again(r, spin))
				return give_up(r);
		}
		/* full, or another producer took pos: look at the head again */
		pos = (uint64_t)kml_atomic64_read(&r->head);
	}
	return commit(r, s, pos, rec, true);
}

/* Several producers, and the ring was full. */
static KML_NOINLINE int enqueue_mp_full(struct kml_ring *r, const void *rec)
{
	struct ring_spin sp = { 0, 0 };

	if (r->mode == KML_RING_DROP_NEWEST)
		return drop_newest(r);
	return enqueue_mp_try(r, rec, &sp);
}

static KML_NOINLINE int enqueue_mp(struct kml_ring *r, const void *rec)
{
	return enqueue_mp_try(r, rec, NULL);
}

/*
 * DROP_OLDEST, several producers. Reserve pos by CAS on head when
 * pos - tail < cap; when full, drop record tail by CAS on tail, but only
 * if it is complete (seq == tail + 1): a record that a preempted producer
 * is still writing cannot be given to another writer, so then the new
 * record is dropped instead. Each position thus has exactly one writer.
 */
static KML_NOINLINE int enqueue_drop_oldest_mp(struct kml_ring *r,
					       const void *rec)
{
	uint64_t pos, t;
	struct kml_ring_slot *s;

	for (;;) {
		/* tail first: head read later is >= it */
		t = (uint64_t)kml_atomic64_load_acquire(&r->tail);
		pos = (uint64_t)kml_atomic64_read(&r->head);
		if (pos - t <= r->mask) {
			if ((uint64_t)kml_atomic64_cmpxchg(
				&r->head, (int64_t)pos, (int64_t)(pos + 1)) ==
			    pos)
				break;
			continue;
		}
		s = kml_ring_slot_at(r, t);
		if ((uint64_t)kml_atomic64_load_acquire(&s->seq) != t + 1) {
			if ((uint64_t)kml_atomic64_read(&r->tail) != t)
				continue; /* moved on meanwhile: look again */
			return drop_newest(r);
		}
		if ((uint64_t)kml_atomic64_cmpxchg(&r->tail, (int64_t)t,
						   (int64_t)(t + 1)) == t)
			kml_atomic64_fetch_add(&r->dropped_old, 1);
	}
	return commit(r, kml_ring_slot_at(r, pos), pos, rec, true);
}

int kml_ring_enqueue(struct kml_ring *r, const void *rec)
{
	struct kml_ring_slot *s;
	uint64_t pos;

	if (KML_UNLIKELY(!r || !rec))
		return KML_EINVAL;
	if (KML_LIKELY(r->kind == KML_RING_KIND_SP_SEQ)) {
		pos = (uint64_t)kml_atomic64_read(&r->head);
		s = kml_ring_slot_at(r, pos);
		if (KML_UNLIKELY((uint64_t)kml_atomic64_load_acquire(&s->seq) !=
				 pos)) {
			if (r->mode == KML_RING_DROP_NEWEST)
				return drop_newest(r);
			return enqueue_sp_full(r, rec);
		}
	} else if (r->kind == KML_RING_KIND_SP_OLDEST) {
		/* the cached tail is a lower bound: free if it says so */
		pos = (uint64_t)kml_atomic64_read(&r->head);
		if (KML_UNLIKELY(pos - r->tail_cache > r->mask))
			return enqueue_drop_oldest_sp_full(r, rec);
		s = kml_ring_slot_at(r, pos);
	} else if (r->kind == KML_RING_KIND_MP_SEQ) {
		return enqueue_mp(r, rec);
	} else {
		return enqueue_drop_oldest_mp(r, rec);
	}
	return commit(r, s, pos, rec, false);
}
