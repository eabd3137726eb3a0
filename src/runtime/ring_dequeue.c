// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * ring_dequeue.c - the single consumer of the rings. A record is copied
 * only after its slot's sequence says it is complete; under DROP_OLDEST
 * the copy is kept only if the CAS that advances the tail succeeds (a
 * producer may have dropped and started overwriting it meanwhile).
 * Never sleeps, never allocates, no float code.
 */
#include "ring_internal.h"

/*
 * BLOCK and DROP_NEWEST: the consumer owns the tail; with several
 * producers (@mp) it also frees the slot for the next lap (seq). @eight:
 * the record size is 8 (a compile-time constant at each call, so the
 * check is not repeated after the acquire load).
 */
static KML_ALWAYS_INLINE int dequeue_seq(struct kml_ring *r, void *rec,
					 const bool eight, const bool mp)
{
	uint64_t t = (uint64_t)kml_atomic64_read(&r->tail);
	struct kml_ring_slot *s = kml_ring_slot_at(r, t);

	if ((uint64_t)kml_atomic64_load_acquire(&s->seq) != t + 1)
		return KML_EAGAIN; /* empty, or record t not complete */
	if (eight) {
		uint64_t w = kml_load_relaxed64(&s->data[0]);

		kml_memcpy(rec, &w, 8);
	} else {
		kml_shared_copy_out(rec, s->data, r->rec_size);
	}
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

/* Records of other sizes than 8 bytes, kept out of the fast path. */
static KML_NOINLINE int dequeue_seq_any(struct kml_ring *r, void *rec)
{
	return dequeue_seq(r, rec, false, r->mp);
}

/* DROP_OLDEST: producers may advance the tail too. */
static KML_ALWAYS_INLINE int dequeue_drop_oldest(struct kml_ring *r, void *rec,
						 const bool eight)
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
		if (eight) {
			uint64_t w = kml_load_relaxed64(&s->data[0]);

			kml_memcpy(rec, &w, 8);
		} else {
			kml_shared_copy_out(rec, s->data, r->rec_size);
		}
		/* success: no producer passed t, so none wrote the slot */
		if ((uint64_t)kml_atomic64_cmpxchg(&r->tail, (int64_t)t,
						   (int64_t)(t + 1)) == t)
			return KML_OK;
	}
}

static KML_NOINLINE int dequeue_drop_oldest_8(struct kml_ring *r, void *rec)
{
	return dequeue_drop_oldest(r, rec, true);
}

static KML_NOINLINE int dequeue_drop_oldest_any(struct kml_ring *r, void *rec)
{
	return dequeue_drop_oldest(r, rec, false);
}

static inline int dequeue_one(struct kml_ring *r, void *rec)
{
	if (KML_UNLIKELY(r->mode == KML_RING_DROP_OLDEST))
		return r->rec_size == 8 ? dequeue_drop_oldest_8(r, rec)
					: dequeue_drop_oldest_any(r, rec);
	if (KML_UNLIKELY(r->rec_size != 8))
		return dequeue_seq_any(r, rec);
	return dequeue_seq(r, rec, true, r->mp);
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
