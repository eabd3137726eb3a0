// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * ring_dequeue.c - the single consumer of the rings. A record is copied
 * only after its slot's sequence says it is complete; under DROP_OLDEST
 * the copy is kept only if the CAS that advances the tail succeeds (a
 * producer may have dropped and started overwriting it meanwhile).
 * Never sleeps, never allocates, no float code.
 */
#include "ring_internal.h"

static inline void rec_get(const struct kml_ring *r,
			   const struct kml_ring_slot *s, void *rec)
{
	uint64_t w;

	if (KML_LIKELY(r->rec_size == 8)) {
		w = kml_load_relaxed64(&s->data[0]);
		kml_memcpy(rec, &w, 8);
		return;
	}
	kml_shared_copy_out(rec, s->data, r->rec_size);
}

static inline int dequeue_one(struct kml_ring *r, void *rec)
{
	struct kml_ring_slot *s;
	uint64_t t;

	if (KML_LIKELY(r->mode != KML_RING_DROP_OLDEST)) {
		/* the consumer owns the tail */
		t = (uint64_t)kml_atomic64_read(&r->tail);
		s = kml_ring_slot_at(r, t);
		if ((uint64_t)kml_atomic64_load_acquire(&s->seq) != t + 1)
			return KML_EAGAIN; /* empty, or record t not complete */
		rec_get(r, s, rec);
		/* tail before the slot is freed: producers then count right */
		kml_atomic64_set(&r->tail, (int64_t)(t + 1));
		kml_atomic64_store_release(&s->seq,
					   (int64_t)(t + kml_ring_cap(r)));
		return KML_OK;
	}
	for (;;) {
		t = (uint64_t)kml_atomic64_load_acquire(&r->tail);
		s = kml_ring_slot_at(r, t);
		if ((uint64_t)kml_atomic64_load_acquire(&s->seq) != t + 1) {
			if ((uint64_t)kml_atomic64_read(&r->tail) != t)
				continue; /* a producer dropped it: next one */
			return KML_EAGAIN;
		}
		rec_get(r, s, rec);
		/* success: no producer passed t, so none wrote the slot */
		if ((uint64_t)kml_atomic64_cmpxchg(&r->tail, (int64_t)t,
						   (int64_t)(t + 1)) == t)
			return KML_OK;
	}
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
