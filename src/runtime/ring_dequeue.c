// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * ring_dequeue.c - the single consumer of the rings. A record is copied
 * only after its slot's sequence says it is complete; under DROP_OLDEST
 * the copy is kept only if no producer can have overwritten it meanwhile:
 * the CAS that advances the tail succeeds (several producers, which drop
 * by moving the tail), or head read after the copy is at most one lap
 * ahead (one producer, which overwrites).
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
	uint64_t cap = kml_ring_cap(r), h, lost;

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
		/*
		 * Lapped. tail first, then the count (kml_ring_stats reads
		 * them the other way round), so that consumed =
		 * tail - dropped_old is never below the true count.
		 */
		lost = h - cap - t;
		t = h - cap;
		kml_atomic64_store_release(&r->tail, (int64_t)t);
		kml_atomic64_store_release(
		    &r->dropped_old,
		    kml_atomic64_read(&r->dropped_old) + (int64_t)lost);
	}
}

/* DROP_OLDEST, several producers: they may advance the tail too. */
static KML_ALWAYS_INLINE int dequeue_drop_oldest(struct kml_ring *r, void *rec,
						 const size_t size)
{
	struct kml_ring_slot *s;
	uint64_t t;

	for (;;) {
		t = (uint64_t)kml_atomic64_load_acquire(&r->tail);
		s = kml_ring_slot_at(r, t);
		if ((uint64_t)kml_atomic64_load_acquire(&s->seq) != t + 1) {
			if ((uint64_t)kml_atomic64_read(&r->tail) != t)
				continue; /* a producer dropped it: next one */
			return KML_EAGAIN;
		}
		rec_get(r, rec, s, size, false);
		/* success: no producer passed t, so none wrote the slot */
		if ((uint64_t)kml_atomic64_cmpxchg(&r->tail, (int64_t)t,
						   (int64_t)(t + 1)) == t)
			return KML_OK;
	}
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
	return dequeue_drop_oldest(r, rec, size);
}

static KML_NOINLINE int dequeue_drop_oldest_8(struct kml_ring *r, void *rec)
{
	return dequeue_drop_oldest(r, rec, 8);
}

/* Records of other sizes than 8 bytes: 12 and 16 with copies of their own. */
static KML_NOINLINE int dequeue_wide(struct kml_ring *r, void *rec)
{
	unsigned int kind = r->kind & ~KML_RING_KIND_WIDE;

	if (r->rec_size == 16)
		return dequeue_sized(r, rec, kind, 16);
	if (r->rec_size == 12)
		return dequeue_sized(r, rec, kind, 12);
	return dequeue_sized(r, rec, kind, 0);
}

/*
 * 8-byte records inline by kind (mode and producers in one byte), the
 * rest out of line. MP drop-oldest (a CAS loop) is out of line too: its
 * loop would make the other paths save registers.
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
		return dequeue_drop_oldest_8(r, rec);
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
