// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * ring_dequeue.c - the single consumer of the rings. A record is copied
 * only after its slot's sequence says it is complete; under DROP_OLDEST
 * the copy is kept only if no producer can have overwritten it meanwhile:
 * the slot's seq is unchanged after the copy (several producers, which
 * claim a slot before writing it), or head read after the copy is at
 * most one lap ahead (one producer).
 * Never sleeps, never allocates, no float code.
 */
#include "ring_internal.h"

/*
 * Copy record out of @s. @size is a constant at each call site: 8, 12
 * and 16 (the sizes in use) become straight-line word loads; 0 means
 * r->rec_size, the word loop. @acq: acquire loads (the one-producer
 * DROP_OLDEST check of head after the copy relies on them).
 */
static KML_ALWAYS_INLINE void rec_get(const struct kml_ring *r, void *rec,
				      const struct kml_ring_slot *s,
				      const size_t size, const bool acq)
{
	if (acq)
		kml_shared_copy_out_acquire(rec, s->data,
					    size ? size : r->rec_size);
	else
		kml_shared_copy_out(rec, s->data, size ? size : r->rec_size);
}

/*
 * BLOCK and DROP_NEWEST: the consumer owns the tail; with several
 * producers (@mp) it also frees the slot for the next lap (seq).
 */
static KML_ALWAYS_INLINE int dequeue_seq(struct kml_ring *r, void *rec,
					 const size_t size, const bool mp)
{
	uint64_t t = (uint64_t)kml_atomic64_read(&r->tail);
	struct kml_ring_slot *s = kml_ring_slot_at(r, t);

	if ((uint64_t)kml_atomic64_load_acquire(&s->seq) != t + 1)
		return KML_EAGAIN; /* empty, or record t not complete */
	rec_get(r, rec, s, size, false);
	if (!mp) {
		/*
		 * One producer: it takes the slot once it has seen tail
		 * > t (acquire), so this release orders the copy before its
		 * stores; no slot line is written here.
		 */
		kml_atomic64_store_release(&r->tail, (int64_t)(t + 1));
		return KML_OK;
	}
	/* tail before the slot is freed: producers then count right */
	kml_atomic64_set(&r->tail, (int64_t)(t + 1));
	kml_atomic64_store_release(&s->seq, (int64_t)(t + r->mask + 1));
	return KML_OK;
}

/*
 * The consumer skips from @t to @to (> t): those positions are lost
 * (overwritten, refused, or lapped). tail first, then the count
 * (kml_ring_stats reads them the other way round), so that consumed =
 * tail - dropped_old is never below the true count.
 */
static KML_ALWAYS_INLINE void skip_to(struct kml_ring *r, uint64_t t,
				      uint64_t to)
{
	kml_atomic64_store_release(&r->tail, (int64_t)to);
	kml_atomic64_store_release(&r->dropped_old,
				   kml_atomic64_read(&r->dropped_old) +
				       (int64_t)(to - t));
}

/*
 * DROP_OLDEST, one producer: it overwrites without looking at tail
 * (ring_enqueue.c, lap_store), so the consumer owns tail and finds out
 * itself what was lost. A copy of record t is kept only if head, read
 * after it, shows that the producer had not come round to the slot again
 * (head - t <= cap): the words are acquire loads, so had one of them seen
 * a newer record, this read of head would see the head stored before
 * it. Otherwise every record below head - cap is overwritten or about to
 * be: skip to head - cap and count the skipped ones as dropped.
 */
static KML_ALWAYS_INLINE int dequeue_lap(struct kml_ring *r, void *rec,
					 const size_t size)
{
	uint64_t t = (uint64_t)kml_atomic64_read(&r->tail);
	uint64_t cap = kml_ring_cap(r), h;

	for (;;) {
		struct kml_ring_slot *s = kml_ring_slot_at(r, t);

		if ((uint64_t)kml_atomic64_load_acquire(&s->seq) == t + 1) {
			rec_get(r, rec, s, size, true);
			h = (uint64_t)kml_atomic64_read(&r->head);
			if (KML_LIKELY(h - t <= cap)) {
				kml_atomic64_store_release(&r->tail,
							   (int64_t)(t + 1));
				return KML_OK;
			}
		} else {
			/*
			 * Not complete: not written yet, or lapped. A seq of a
			 * newer record (acquire) implies its head is seen.
			 */
			h = (uint64_t)kml_atomic64_read(&r->head);
			if (h - t <= cap)
				return KML_EAGAIN;
		}
		/* lapped */
		skip_to(r, t, h - cap);
		t = h - cap;
	}
}

/*
 * DROP_OLDEST, several producers (ring_enqueue.c, enqueue_mp_oldest):
 * they claim slots by CAS on seq and never look at tail, so the consumer
 * owns tail and finds out what was lost. At position t, seq holds:
 *  - t + 1: record t complete; copy it (acquire loads) and keep the copy
 *    if seq still holds t + 1 (a claim of the slot comes before any
 *    word of the newer record, so a copy that saw one sees seq changed);
 *  - (t + 1) | BUSY: record t being written: nothing to read yet;
 *  - a newer position, busy or complete: record t was overwritten, or
 *    its producer refused the slot: lost;
 *  - an older one: record t not written yet, unless its producer refused
 *    (the slot's refused word says so) or head is more than a lap ahead
 *    (the slot will be claimed by a newer position): then lost.
 * Lost positions are skipped, up to head - capacity at once (mp_lap_skip,
 * out of line). The consumer also keeps the high-water mark: the count
 * only grows between two dequeues, so head - t read here is at least
 * every count since the last one (mp_lap_mark caps it at the capacity).
 */
static KML_NOINLINE bool
mp_lap_skip(struct kml_ring *r, struct kml_ring_slot *s, uint64_t t, uint64_t v)
{
	uint64_t cap = kml_ring_cap(r);
	uint64_t h = (uint64_t)kml_atomic64_read(&r->head);

	if (v == ((t + 1) | KML_RING_SEQ_BUSY))
		return false; /* being written */
	/* older: not written yet, unless refused or lapped */
	if ((v & ~KML_RING_SEQ_BUSY) < t + 1 && h - t <= cap &&
	    (uint64_t)kml_atomic64_read(kml_ring_refused(r, s)) <= t)
		return false;
	skip_to(r, t, h - t > cap ? h - cap : t + 1);
	return true;
}

/* A count @n above the mark was seen: raise it (at most the capacity). */
static KML_NOINLINE void mp_lap_mark(struct kml_ring *r, uint64_t n)
{
	kml_atomic64_set(&r->high_water,
			 (int64_t)(n > kml_ring_cap(r) ? kml_ring_cap(r) : n));
}

/* One try at position tail: KML_OK, or KML_EAGAIN with *@ps, *@pt, *@pv. */
static KML_ALWAYS_INLINE int mp_lap_try(struct kml_ring *r, void *rec,
					const size_t size,
					struct kml_ring_slot **ps, uint64_t *pt,
					uint64_t *pv)
{
	uint64_t t = (uint64_t)kml_atomic64_read(&r->tail);
	struct kml_ring_slot *s = kml_ring_slot_at(r, t);
	uint64_t v = (uint64_t)kml_atomic64_load_acquire(&s->seq);

	if (KML_LIKELY(v == t + 1)) {
		rec_get(r, rec, s, size, true);
		if (KML_LIKELY((uint64_t)kml_atomic64_read(&s->seq) == v)) {
			uint64_t n = (uint64_t)kml_atomic64_read(&r->head) - t;

			if (KML_UNLIKELY(n > (uint64_t)kml_atomic64_read(
						 &r->high_water)))
				mp_lap_mark(r, n);
			kml_atomic64_store_release(&r->tail, (int64_t)(t + 1));
			return KML_OK;
		}
	}
	*ps = s;
	*pt = t;
	*pv = v;
	return KML_EAGAIN;
}

/* After a failed try: skip what was lost and try again, or KML_EAGAIN. */
static KML_ALWAYS_INLINE int mp_lap_again(struct kml_ring *r, void *rec,
					  const size_t size,
					  struct kml_ring_slot *s, uint64_t t,
					  uint64_t v)
{
	while (mp_lap_skip(r, s, t, v))
		if (mp_lap_try(r, rec, size, &s, &t, &v) == KML_OK)
			return KML_OK;
	return KML_EAGAIN;
}

static KML_NOINLINE int mp_lap_again_8(struct kml_ring *r, void *rec,
				       struct kml_ring_slot *s, uint64_t t,
				       uint64_t v)
{
	return mp_lap_again(r, rec, 8, s, t, v);
}

static KML_NOINLINE int mp_lap_again_any(struct kml_ring *r, void *rec,
					 struct kml_ring_slot *s, uint64_t t,
					 uint64_t v)
{
	return mp_lap_again(r, rec, 0, s, t, v);
}

/* The common case inline and without a frame; the loop out of line. */
static KML_ALWAYS_INLINE int dequeue_mp_lap(struct kml_ring *r, void *rec,
					    const size_t size)
{
	struct kml_ring_slot *s;
	uint64_t t, v;

	if (KML_LIKELY(mp_lap_try(r, rec, size, &s, &t, &v) == KML_OK))
		return KML_OK;
	return size == 8 ? mp_lap_again_8(r, rec, s, t, v)
			 : mp_lap_again_any(r, rec, s, t, v);
}

/* One protocol's path for records of @size bytes (0: any size). */
static KML_ALWAYS_INLINE int dequeue_sized(struct kml_ring *r, void *rec,
					   unsigned int kind, const size_t size)
{
	if (kind == KML_RING_KIND_SP_SEQ)
		return dequeue_seq(r, rec, size, false);
	if (kind == KML_RING_KIND_MP_SEQ)
		return dequeue_seq(r, rec, size, true);
	if (kind == KML_RING_KIND_SP_OLDEST)
		return dequeue_lap(r, rec, size);
	return dequeue_mp_lap(r, rec, size);
}

static KML_NOINLINE int dequeue_mp_lap_8(struct kml_ring *r, void *rec)
{
	return dequeue_mp_lap(r, rec, 8);
}

/* Records of other sizes than 8 bytes: 12 and 16 with copies of their own. */
static KML_NOINLINE int dequeue_wide(struct kml_ring *r, void *rec)
{
	unsigned int kind = r->kind & ~KML_RING_KIND_WIDE;

#ifndef KML_SIZE_OPT /* the size profile: one generic copy */
	if (r->rec_size == 16)
		return dequeue_sized(r, rec, kind, 16);
	if (r->rec_size == 12)
		return dequeue_sized(r, rec, kind, 12);
#endif
	return dequeue_sized(r, rec, kind, 0);
}

/*
 * 8-byte records inline by kind (mode and producers in one byte), the
 * rest out of line. MP drop-oldest (a loop over lost positions) is out
 * of line too: it would make the other paths save registers.
 */
static inline int dequeue_one(struct kml_ring *r, void *rec)
{
	unsigned int kind = r->kind;

	if (kind == KML_RING_KIND_SP_SEQ)
		return dequeue_seq(r, rec, 8, false);
	if (kind == KML_RING_KIND_MP_SEQ)
		return dequeue_seq(r, rec, 8, true);
	if (kind == KML_RING_KIND_SP_OLDEST)
		return dequeue_lap(r, rec, 8);
	if (kind == KML_RING_KIND_MP_OLDEST)
		return dequeue_mp_lap_8(r, rec);
	return dequeue_wide(r, rec);
}

int kml_ring_dequeue(struct kml_ring *r, void *rec)
{
	if (KML_UNLIKELY(!r || !rec))
		return KML_EINVAL;
	return dequeue_one(r, rec);
}

int kml_ring_dequeue_batch(struct kml_ring *r, void *recs, size_t max,
			   size_t *n)
{
	uint8_t *p = recs;
	size_t i, bytes;

	if (!n)
		return KML_EINVAL;
	*n = 0;
	if (!r || !recs || !max)
		return KML_EINVAL;
	if (!kml_size_mul(max, r->rec_size, &bytes))
		return KML_EOVERFLOW;
	for (i = 0; i < max; i++) {
		if (dequeue_one(r, p) != KML_OK)
			break;
		p += r->rec_size;
	}
	*n = i;
	return i ? KML_OK : KML_EAGAIN;
}
