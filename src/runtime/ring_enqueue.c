// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * ring_enqueue.c - the producer side of the rings: per-slot sequence
 * protocol for BLOCK and DROP_NEWEST, overwrite protocols for DROP_OLDEST
 * (see ring_internal.h and docs/runtime.md). Never sleeps, never
 * allocates, no float code: callable from hard IRQ.
 *
 * kml_ring_enqueue holds one inline fast path per protocol for 8-byte
 * records (27-29 instructions with the argument checks); the DROP_OLDEST
 * producers overwrite, so they take it into a full ring too; everything
 * else rare (a new high-water mark, a lost race, other record sizes) is in
 * separate functions so the fast paths need no stack frame.
 */
#include "ring_internal.h"

/* Record @pos is whole in @s: the consumer's acquire of seq sees it all. */
static KML_ALWAYS_INLINE void publish(struct kml_ring_slot *s, uint64_t pos)
{
	kml_atomic64_store_release(&s->seq, (int64_t)(pos + 1));
}

/*
 * Copy the record in. @size is a constant at each call site: 8, 12 and
 * 16 (the sizes in use: a pointer or two u32, the trainer's samples,
 * mq-kmlib's) become straight-line word stores; 0 means r->rec_size, the
 * word loop.
 */
static KML_ALWAYS_INLINE void rec_put(const struct kml_ring *r,
				      struct kml_ring_slot *s, const void *rec,
				      const size_t size)
{
	kml_shared_copy_in(s->data, rec, size ? size : r->rec_size);
}

/* Copy for the slow paths, where the size is not known at compile time. */
static KML_ALWAYS_INLINE void
rec_put_any(const struct kml_ring *r, struct kml_ring_slot *s, const void *rec)
{
	if (r->rec_size == 8)
		rec_put(r, s, rec, 8);
	else
		rec_put(r, s, rec, 0);
}

/*
 * hw_limit was passed: head is now @head, @t a tail value this thread
 * read with acquire (or moved itself by a successful CAS, which is an
 * acquire too) so that the release of hw_limit below passes on what it
 * saw: DROP_OLDEST producers rely on it to reuse slots. Raise the mark
 * if the count is above it, and store the new limit. The count head - tail is
 * never below the true count at any later instant (tail only grows), so no
 * maximum is missed. With several producers the mark is an atomic
 * maximum, and a limit stored late by a slower producer may be below
 * the newest one: still a valid limit (a tail seen plus a mark reached),
 * it only sends the next enqueue here again.
 */
static KML_ALWAYS_INLINE void set_limit(struct kml_ring *r, uint64_t head,
					uint64_t t, const bool mp)
{
	int64_t count = (int64_t)(head - t);
	int64_t mark = kml_atomic64_read(&r->high_water);

	while (count > mark) {
		int64_t seen;

		if (!mp) {
			/* the only writer of the mark */
			kml_atomic64_set(&r->high_water, count);
			mark = count;
			break;
		}
		seen = kml_atomic64_cmpxchg(&r->high_water, mark, count);
		if (seen == mark)
			mark = count;
		else
			mark = seen;
	}
	kml_atomic64_store_release(&r->hw_limit, (int64_t)(t + (uint64_t)mark));
}

/* KML_OK, so that the fast paths end in a jump here, with no frame. */
static KML_NOINLINE int high_water_mp(struct kml_ring *r, uint64_t head)
{
	set_limit(r, head, (uint64_t)kml_atomic64_load_acquire(&r->tail), true);
	return KML_OK;
}

/* true if head @head may be reached without a new mark (see hw_limit) */
static KML_ALWAYS_INLINE bool below_limit(const struct kml_ring *r,
					  uint64_t head)
{
	return KML_LIKELY(head <=
			  (uint64_t)kml_atomic64_load_acquire(&r->hw_limit));
}

/* Several producers, @head reached: KML_OK, the enqueue is complete. */
static KML_ALWAYS_INLINE int note_high_water(struct kml_ring *r, uint64_t head)
{
	if (below_limit(r, head))
		return KML_OK;
	return high_water_mp(r, head);
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

/* ---- one producer, BLOCK or DROP_NEWEST ------------------------------ */

/*
 * With one producer the slots need no "free" mark: slot pos is free once
 * tail > pos - cap, and the consumer stores tail with release after its
 * copy out, so our acquire of tail (here, or earlier and kept in
 * hw_limit) orders that copy before our stores. The consumer of such a
 * ring writes no slot at all (ring_dequeue.c); seq == pos + 1 still says
 * "record pos is complete".
 */
/* Slot pos is free, @t the tail that says so (acquired): store. */
static KML_NOINLINE int enqueue_sp_store(struct kml_ring *r, const void *rec,
					 uint64_t pos, uint64_t t)
{
	struct kml_ring_slot *s = kml_ring_slot_at(r, pos);

	rec_put_any(r, s, rec);
	publish(s, pos);
	kml_atomic64_set(&r->head, (int64_t)(pos + 1));
	set_limit(r, pos + 1, t, false);
	return KML_OK;
}

/* BLOCK and full: wait for the consumer within the spin budget. */
static KML_NOINLINE int enqueue_sp_wait(struct kml_ring *r, const void *rec,
					uint64_t pos)
{
	struct ring_spin sp = { 0, 0 };
	uint64_t t;

	do {
		if (!spin_again(r, &sp))
			return give_up(r);
		t = (uint64_t)kml_atomic64_load_acquire(&r->tail);
	} while (pos - t > r->mask);
	return enqueue_sp_store(r, rec, pos, t);
}

/* hw_limit passed: a new mark, or full (the slot holds pos - capacity). */
static KML_NOINLINE int enqueue_sp_slow(struct kml_ring *r, const void *rec,
					uint64_t pos)
{
	uint64_t t = (uint64_t)kml_atomic64_load_acquire(&r->tail);

	if (KML_LIKELY(pos - t <= r->mask))
		return enqueue_sp_store(r, rec, pos, t);
	if (r->mode == KML_RING_DROP_NEWEST)
		return drop_newest(r);
	return enqueue_sp_wait(r, rec, pos);
}

/*
 * pos + 1 <= hw_limit: free and no new mark (see hw_limit), without
 * reading the consumer's line. head is ours alone (a relaxed store:
 * readers only count with it).
 */
static KML_ALWAYS_INLINE int enqueue_sp_seq(struct kml_ring *r, const void *rec,
					    const size_t size)
{
	uint64_t pos = (uint64_t)kml_atomic64_read(&r->head);
	struct kml_ring_slot *s;

	if (!below_limit(r, pos + 1))
		return enqueue_sp_slow(r, rec, pos);
	s = kml_ring_slot_at(r, pos);
	rec_put(r, s, rec, size);
	publish(s, pos);
	kml_atomic64_set(&r->head, (int64_t)(pos + 1));
	return KML_OK;
}

/* ---- one producer, DROP_OLDEST: overwrite, the consumer notices ------- */

/*
 * Store record @pos over whatever its slot holds: record pos - cap if the
 * consumer has not taken it yet, which is then dropped (the consumer
 * finds out and counts it, ring_dequeue.c). No look at tail, no RMW.
 * head goes first and every word of the record is a release store, so a
 * consumer whose copy saw any word of it sees head > its position + cap
 * when it reads head after the copy, and discards the copy: head is the
 * seqlock sequence of every slot at once. seq == pos + 1 then says
 * "record pos is complete" as in the other protocols.
 */
static KML_ALWAYS_INLINE void lap_store(struct kml_ring *r, const void *rec,
					uint64_t pos, const size_t size)
{
	struct kml_ring_slot *s = kml_ring_slot_at(r, pos);

	kml_atomic64_set(&r->head, (int64_t)(pos + 1));
	kml_shared_copy_in_release(s->data, rec, size ? size : r->rec_size);
	publish(s, pos);
}

/*
 * hw_limit passed: a new high-water mark. The count head - tail may
 * exceed the capacity (the producer lapped the consumer): the mark is
 * then the capacity, no count can pass it, and hw_limit becomes the
 * largest position so that this path is never taken again. tail is
 * read only for the count (the producer needs no slot to be free).
 */
static KML_ALWAYS_INLINE int sp_lap_slow(struct kml_ring *r, const void *rec,
					 uint64_t pos, const size_t size)
{
	uint64_t t = (uint64_t)kml_atomic64_load_acquire(&r->tail);
	uint64_t count = pos + 1 - t, cap = kml_ring_cap(r);
	uint64_t mark = (uint64_t)kml_atomic64_read(&r->high_water);

	lap_store(r, rec, pos, size);
	if (count >= cap) {
		kml_atomic64_set(&r->high_water, (int64_t)cap);
		kml_atomic64_set(&r->hw_limit, -1); /* UINT64_MAX */
		return KML_OK;
	}
	if (count > mark) {
		kml_atomic64_set(&r->high_water, (int64_t)count);
		mark = count;
	}
	kml_atomic64_set(&r->hw_limit, (int64_t)(t + mark));
	return KML_OK;
}

/* One copy of the slow path per copy, so neither spills registers. */
static KML_NOINLINE int sp_lap_slow8(struct kml_ring *r, const void *rec,
				     uint64_t pos)
{
	return sp_lap_slow(r, rec, pos, 8);
}

static KML_NOINLINE int sp_lap_slow_any(struct kml_ring *r, const void *rec,
					uint64_t pos)
{
	return sp_lap_slow(r, rec, pos, 0);
}

/*
 * pos + 1 <= hw_limit: no new mark. A full ring is no special case: once
 * the mark reached the capacity every enqueue is this store.
 */
static KML_ALWAYS_INLINE int
enqueue_sp_oldest(struct kml_ring *r, const void *rec, const size_t size)
{
	uint64_t pos = (uint64_t)kml_atomic64_read(&r->head);

	if (KML_UNLIKELY(pos + 1 > (uint64_t)kml_atomic64_read(&r->hw_limit)))
		return size == 8 ? sp_lap_slow8(r, rec, pos)
				 : sp_lap_slow_any(r, rec, pos);
	lap_store(r, rec, pos, size);
	return KML_OK;
}

/* ---- several producers ----------------------------------------------- */

/* The rest once position @pos is reserved (CAS on head). */
static KML_ALWAYS_INLINE int commit_mp(struct kml_ring *r,
				       struct kml_ring_slot *s, uint64_t pos,
				       const void *rec, const size_t size)
{
	rec_put(r, s, rec, size);
	publish(s, pos);
	return note_high_water(r, pos + 1);
}

static int enqueue_mp_full(struct kml_ring *r, const void *rec);

/*
 * BLOCK or DROP_NEWEST (per-slot sequence numbers): reserve position pos
 * by CAS on head once its slot is free (seq == pos, acquire: the
 * consumer's copy out is over). @spin is NULL on the first attempt,
 * which hands a full ring over to enqueue_mp_full (drop, or wait with
 * the spin budget).
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
	rec_put_any(r, s, rec);
	publish(s, pos);
	return note_high_water(r, pos + 1);
}

/* Several producers, and the ring was full. */
static KML_NOINLINE int enqueue_mp_full(struct kml_ring *r, const void *rec)
{
	struct ring_spin sp = { 0, 0 };

	if (r->mode == KML_RING_DROP_NEWEST)
		return drop_newest(r);
	return enqueue_mp_try(r, rec, &sp);
}

static KML_NOINLINE int enqueue_mp_loop(struct kml_ring *r, const void *rec)
{
	return enqueue_mp_try(r, rec, NULL);
}

/*
 * The slot of the head seen was not free: @dif < 0, it still holds record
 * pos - capacity (full, as enqueue_mp_try decides on its first look);
 * else another producer took pos meanwhile.
 */
static KML_NOINLINE int enqueue_mp_busy(struct kml_ring *r, const void *rec,
					int64_t dif)
{
	if (dif >= 0)
		return enqueue_mp_try(r, rec, NULL);
	if (r->mode == KML_RING_DROP_NEWEST)
		return drop_newest(r);
	return enqueue_mp_full(r, rec);
}

/* First try inline; a busy slot or a lost CAS goes to the loop. */
static KML_ALWAYS_INLINE int enqueue_mp_seq(struct kml_ring *r, const void *rec,
					    const size_t size)
{
	uint64_t pos = (uint64_t)kml_atomic64_read(&r->head);
	struct kml_ring_slot *s = kml_ring_slot_at(r, pos);

	int64_t dif =
	    (int64_t)((uint64_t)kml_atomic64_load_acquire(&s->seq) - pos);

	if (KML_UNLIKELY(dif != 0))
		return enqueue_mp_busy(r, rec, dif);
	if (KML_UNLIKELY((uint64_t)kml_atomic64_cmpxchg(&r->head, (int64_t)pos,
							(int64_t)(pos + 1)) !=
			 pos))
		return enqueue_mp_loop(r, rec);
	return commit_mp(r, s, pos, rec, size);
}

/* ---- several producers, DROP_OLDEST: claim the slot, overwrite ------- */

/*
 * Position @pos could not claim its slot: a producer one lap or more
 * behind is still writing it (busy), or it holds a newer record already
 * (this producer is the one behind). The record is dropped; the slot's
 * refused word tells the consumer not to wait for position @pos
 * (ring_dequeue.c). An atomic maximum: refusals of later laps may race.
 */
static KML_NOINLINE int mp_lap_refuse(struct kml_ring *r, uint64_t pos)
{
	kml_atomic64_t *w = kml_ring_refused(r, kml_ring_slot_at(r, pos));
	int64_t seen = kml_atomic64_read(w);

	while (seen < (int64_t)(pos + 1)) {
		int64_t was = kml_atomic64_cmpxchg(w, seen, (int64_t)(pos + 1));

		if (was == seen)
			break;
		seen = was;
	}
	return KML_EAGAIN;
}

/*
 * Reserve position pos (fetch-add on head: every producer gets its own),
 * then claim its slot by CAS of seq from what it holds, an older record
 * or nothing (seq <= pos), to "busy for pos" ((pos + 1) | BUSY): the
 * CAS makes this producer the slot's only writer, so a producer stalled
 * a lap behind can never write into the same slot at the same time. A
 * complete record of an older lap still in the slot is dropped by the
 * claim: the consumer sees the busy or newer seq and moves on. The
 * record's words are release stores after the claim, so a consumer whose
 * copy saw one of them sees seq changed when it checks again. No read of
 * tail, no high-water test (the consumer keeps the mark): a full ring
 * and one with room take the same path.
 */
static KML_ALWAYS_INLINE int
enqueue_mp_oldest(struct kml_ring *r, const void *rec, const size_t size)
{
	uint64_t pos = (uint64_t)kml_atomic64_fetch_add(&r->head, 1);
	struct kml_ring_slot *s = kml_ring_slot_at(r, pos);
	uint64_t v = (uint64_t)kml_atomic64_read(&s->seq);

	/* busy (bit 63) or a record of pos or later: never ours to write */
	if (KML_UNLIKELY(v > pos ||
			 (uint64_t)kml_atomic64_cmpxchg(
			     &s->seq, (int64_t)v,
			     (int64_t)((pos + 1) | KML_RING_SEQ_BUSY)) != v))
		return mp_lap_refuse(r, pos);
	kml_shared_copy_in_release(s->data, rec, size ? size : r->rec_size);
	publish(s, pos);
	return KML_OK;
}

/* ---- entry ----------------------------------------------------------- */

/* One protocol's fast path for records of @size bytes (0: any size). */
static KML_ALWAYS_INLINE int enqueue_sized(struct kml_ring *r, const void *rec,
					   unsigned int kind, const size_t size)
{
	if (kind == KML_RING_KIND_MP_SEQ)
		return enqueue_mp_seq(r, rec, size);
	if (kind == KML_RING_KIND_SP_SEQ)
		return enqueue_sp_seq(r, rec, size);
	if (kind == KML_RING_KIND_MP_OLDEST)
		return enqueue_mp_oldest(r, rec, size);
	return enqueue_sp_oldest(r, rec, size);
}

/* Records of other sizes than 8 bytes: 12 and 16 with copies of their own. */
static KML_NOINLINE int enqueue_wide(struct kml_ring *r, const void *rec)
{
	unsigned int kind = r->kind & ~KML_RING_KIND_WIDE;

#ifndef KML_SIZE_OPT /* the size profile: one generic copy */
	if (r->rec_size == 16)
		return enqueue_sized(r, rec, kind, 16);
	if (r->rec_size == 12)
		return enqueue_sized(r, rec, kind, 12);
#endif
	return enqueue_sized(r, rec, kind, 0);
}

int kml_ring_enqueue(struct kml_ring *r, const void *rec)
{
	unsigned int kind;

	if (KML_UNLIKELY(!r || !rec))
		return KML_EINVAL;
	/*
	 * Each compare costs the paths after it two instructions: the
	 * longest bodies come first (multi-producer sequence 21, MP
	 * drop-oldest 18, SP sequence and SP drop-oldest 14), so that
	 * every mode ends up within 28 (docs/performance.md).
	 */
	kind = r->kind;
	if (kind == KML_RING_KIND_MP_SEQ)
		return enqueue_mp_seq(r, rec, 8);
	if (kind == KML_RING_KIND_MP_OLDEST)
		return enqueue_mp_oldest(r, rec, 8);
	if (kind == KML_RING_KIND_SP_SEQ)
		return enqueue_sp_seq(r, rec, 8);
	if (kind == KML_RING_KIND_SP_OLDEST)
		return enqueue_sp_oldest(r, rec, 8);
	return enqueue_wide(r, rec);
}
