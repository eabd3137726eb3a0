// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * ring_enqueue.c - the producer side of the rings: per-slot sequence
 * protocol for BLOCK and DROP_NEWEST, tail-CAS protocol for DROP_OLDEST
 * (see ring_internal.h and docs/runtime.md). Never sleeps, never
 * allocates, no float code: callable from hard IRQ.
 */
#include "ring_internal.h"

/* 8-byte records (a pointer, two u32) are the common case: one store. */
static inline void rec_put(const struct kml_ring *r, struct kml_ring_slot *s,
			   const void *rec)
{
	uint64_t w;

	if (KML_LIKELY(r->rec_size == 8)) {
		kml_memcpy(&w, rec, 8);
		kml_store_relaxed64(&s->data[0], w);
		return;
	}
	kml_shared_copy_in(s->data, rec, r->rec_size);
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

/*
 * Single producer: the high-water mark is exact, but the consumer's tail
 * is read only when head - (a tail seen earlier) exceeds the mark; the
 * estimate is never below the true count, so no maximum is missed.
 */
static inline void note_high_water_sp(struct kml_ring *r, uint64_t head)
{
	uint64_t mark = (uint64_t)kml_atomic64_read(&r->high_water);

	if (KML_LIKELY(head - r->tail_cache <= mark))
		return;
	r->tail_cache = (uint64_t)kml_atomic64_load_acquire(&r->tail);
	if (head - r->tail_cache > mark)
		kml_atomic64_set(&r->high_water,
				 (int64_t)(head - r->tail_cache));
}

/* Several producers: atomic maximum; the tail may already be past @head. */
static inline void note_high_water_mp(struct kml_ring *r, uint64_t head)
{
	int64_t count = (int64_t)(head - (uint64_t)kml_atomic64_read(&r->tail));
	int64_t mark = kml_atomic64_read(&r->high_water);

	while (count > mark) {
		int64_t seen = kml_atomic64_cmpxchg(&r->high_water, mark, count);

		if (seen == mark)
			break;
		mark = seen;
	}
}

/* Publish record @pos in @s: the consumer's acquire of seq sees it whole. */
static inline void publish(struct kml_ring_slot *s, uint64_t pos)
{
	kml_atomic64_store_release(&s->seq, (int64_t)(pos + 1));
}

static int enqueue_sp(struct kml_ring *r, const void *rec)
{
	uint64_t pos = (uint64_t)kml_atomic64_read(&r->head);
	struct kml_ring_slot *s = kml_ring_slot_at(r, pos);
	struct ring_spin sp = { 0, 0 };

	/* seq == pos once the consumer has freed the slot */
	while (KML_UNLIKELY((uint64_t)kml_atomic64_load_acquire(&s->seq) !=
			    pos)) {
		if (r->mode == KML_RING_DROP_NEWEST)
			return drop_newest(r);
		if (!spin_again(r, &sp))
			return give_up(r);
	}
	rec_put(r, s, rec);
	publish(s, pos);
	kml_atomic64_set(&r->head, (int64_t)(pos + 1));
	note_high_water_sp(r, pos + 1);
	return KML_OK;
}

static int enqueue_mp(struct kml_ring *r, const void *rec)
{
	uint64_t pos = (uint64_t)kml_atomic64_read(&r->head);
	struct ring_spin sp = { 0, 0 };
	struct kml_ring_slot *s;

	for (;;) {
		int64_t dif;

		s = kml_ring_slot_at(r, pos);
		dif = (int64_t)((uint64_t)kml_atomic64_load_acquire(&s->seq) -
				pos);
		if (dif == 0) {
			/* free: reserve position pos */
			uint64_t seen = (uint64_t)kml_atomic64_cmpxchg(
				&r->head, (int64_t)pos, (int64_t)(pos + 1));

			if (seen == pos)
				break;
			pos = seen;
			continue;
		}
		if (dif < 0) {
			/* the slot still holds record pos - capacity: full */
			if (r->mode == KML_RING_DROP_NEWEST)
				return drop_newest(r);
			if (!spin_again(r, &sp))
				return give_up(r);
		}
		/* full, or another producer took pos: look at the head again */
		pos = (uint64_t)kml_atomic64_read(&r->head);
	}
	rec_put(r, s, rec);
	publish(s, pos);
	note_high_water_mp(r, pos + 1);
	return KML_OK;
}

/*
 * DROP_OLDEST, single producer. Slot pos is free once tail > pos - cap;
 * the cached tail is a lower bound, so the real tail is read only when the
 * cache says full. The tail is then either advanced by our CAS (record
 * dropped: a consumer copying it will fail its own CAS and discard the
 * copy) or by the consumer, whose copy finished before its CAS.
 */
static int enqueue_drop_oldest_sp(struct kml_ring *r, const void *rec)
{
	uint64_t pos = (uint64_t)kml_atomic64_read(&r->head);
	uint64_t cap = kml_ring_cap(r);
	struct kml_ring_slot *s;

	if (KML_UNLIKELY(pos - r->tail_cache >= cap)) {
		uint64_t t = (uint64_t)kml_atomic64_load_acquire(&r->tail);

		if (pos - t >= cap) {
			if ((uint64_t)kml_atomic64_cmpxchg(&r->tail, (int64_t)t,
							   (int64_t)(t + 1)) ==
			    t) {
				kml_atomic64_fetch_add(&r->dropped_old, 1);
				t++;
			} else {
				/* the consumer took it; acquire its copy */
				t = (uint64_t)kml_atomic64_load_acquire(
					&r->tail);
			}
		}
		r->tail_cache = t;
	}
	s = kml_ring_slot_at(r, pos);
	rec_put(r, s, rec);
	publish(s, pos);
	kml_atomic64_set(&r->head, (int64_t)(pos + 1));
	note_high_water_sp(r, pos + 1);
	return KML_OK;
}

/*
 * DROP_OLDEST, several producers. Reserve pos by CAS on head when
 * pos - tail < cap; when full, drop record tail by CAS on tail, but only
 * if it is complete (seq == tail + 1): a record that a preempted producer
 * is still writing cannot be given to another writer, so then the new
 * record is dropped instead. Each position thus has exactly one writer.
 */
static int enqueue_drop_oldest_mp(struct kml_ring *r, const void *rec)
{
	uint64_t cap = kml_ring_cap(r), pos, t;
	struct kml_ring_slot *s;

	for (;;) {
		/* tail first: head read later is >= it */
		t = (uint64_t)kml_atomic64_load_acquire(&r->tail);
		pos = (uint64_t)kml_atomic64_read(&r->head);
		if (pos - t < cap) {
			if ((uint64_t)kml_atomic64_cmpxchg(&r->head,
							   (int64_t)pos,
							   (int64_t)(pos + 1)) ==
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
	s = kml_ring_slot_at(r, pos);
	rec_put(r, s, rec);
	publish(s, pos);
	note_high_water_mp(r, pos + 1);
	return KML_OK;
}

int kml_ring_enqueue(struct kml_ring *r, const void *rec)
{
	if (KML_UNLIKELY(!r || !rec))
		return KML_EINVAL;
	if (r->mode == KML_RING_DROP_OLDEST)
		return r->mp ? enqueue_drop_oldest_mp(r, rec) :
			       enqueue_drop_oldest_sp(r, rec);
	return r->mp ? enqueue_mp(r, rec) : enqueue_sp(r, rec);
}
