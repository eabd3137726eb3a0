// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * ring.c - creation, destruction and counters of the lock-free rings.
 * The hot paths are in ring_enqueue.c and ring_dequeue.c. No float code.
 */
#include "ring_internal.h"

static bool ring_config_valid(const struct kml_ring_config *cfg)
{
	size_t cap = cfg->capacity;

	if (cap < KML_RING_MIN_CAPACITY || cap > KML_RING_MAX_CAPACITY ||
	    (cap & (cap - 1)))
		return false;
	if (cfg->record_size == 0 || cfg->record_size > KML_RING_MAX_RECORD)
		return false;
	if (cfg->flags & ~(unsigned int)(KML_RING_MP | KML_RING_COMPACT))
		return false;
	switch (cfg->mode) {
	case KML_RING_BLOCK:
		return cfg->spin_ns <= KML_RING_MAX_SPIN_NS;
	case KML_RING_DROP_NEWEST:
	case KML_RING_DROP_OLDEST:
		/* a spin budget in a mode that never waits is a mistake */
		return cfg->spin_ns == 0;
	}
	return false;
}

int kml_ring_create(struct kml_ring **out, struct kml_mem *mem,
		    const struct kml_ring_config *cfg)
{
	bool compact = cfg && (cfg->flags & KML_RING_COMPACT);
	size_t stride, slots_bytes, total, head_bytes, align, refused_word;
	struct kml_ring *r;
	uintptr_t at;
	void *block;
	uint64_t i;
	int ret;

	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!mem || !cfg || !ring_config_valid(cfg))
		return KML_EINVAL;
	/*
	 * Padded: a line-aligned header, the slots on the line after tail.
	 * Compact: kml_alloc's alignment suffices, the slots follow tail.
	 */
	head_bytes = compact ? sizeof(*r) : 3 * KML_RING_LINE;
	align = compact ? 1 : KML_RING_LINE;
	/* multi-producer DROP_OLDEST slots end with a refused word */
	refused_word =
	    (cfg->flags & KML_RING_MP) && cfg->mode == KML_RING_DROP_OLDEST;
	stride = sizeof(struct kml_ring_slot) +
		 8 * (kml_words_for(cfg->record_size) + refused_word);
	/* room to align the header, the header and counters, the slots */
	if (!kml_size_mul(cfg->capacity, stride, &slots_bytes) ||
	    !kml_size_add(slots_bytes, head_bytes + align - 1, &total))
		return KML_EOVERFLOW;
	ret = kml_alloc(mem, total, KML_MEM_SLEEP, &block);
	if (ret)
		return ret;
	at = ((uintptr_t)block + align - 1) & ~(uintptr_t)(align - 1);
	r = (struct kml_ring *)at;
	kml_memset(r, 0, sizeof(*r));
	r->slots = (uint8_t *)r + head_bytes;
	r->mask = cfg->capacity - 1;
	r->stride = stride;
	r->rec_size = cfg->record_size;
	r->spin_ns = cfg->spin_ns;
	r->mode = (uint8_t)cfg->mode;
	r->mp = cfg->flags & KML_RING_MP;
	r->kind = (uint8_t)((r->mp ? KML_RING_KIND_MP_SEQ : 0) +
			    (cfg->mode == KML_RING_DROP_OLDEST
				 ? KML_RING_KIND_SP_OLDEST
				 : 0) +
			    (cfg->record_size != 8 ? KML_RING_KIND_WIDE : 0));
	r->mem = mem;
	r->block = block;
	/* slot i is free for position i; no record is complete yet */
	for (i = 0; i < cfg->capacity; i++) {
		struct kml_ring_slot *s = kml_ring_slot_at(r, i);

		kml_atomic64_set(&s->seq, (int64_t)i);
		kml_memset(s->data, 0, stride - sizeof(*s));
	}
	*out = r;
	return KML_OK;
}

void kml_ring_destroy(struct kml_ring *r)
{
	if (r)
		kml_free(r->mem, r->block);
}

/* head - tail, read tail first so that the difference cannot go negative. */
static uint64_t ring_count(const struct kml_ring *r)
{
	uint64_t tail = (uint64_t)kml_atomic64_load_acquire(&r->tail);
	uint64_t head = (uint64_t)kml_atomic64_load_acquire(&r->head);
	uint64_t n = head - tail;

	/* a reserved (MP) slot counts; never report more than fits */
	if ((int64_t)n < 0)
		return 0;
	return n > kml_ring_cap(r) ? kml_ring_cap(r) : n;
}

int kml_ring_stats(const struct kml_ring *r, struct kml_ring_stats *out)
{
	uint64_t dropped_new, dropped_old, tail, head, lapped = 0;
	unsigned int kind;

	if (!out)
		return KML_EINVAL;
	kml_memset(out, 0, sizeof(*out));
	if (!r)
		return KML_EINVAL;
	dropped_new = (uint64_t)kml_atomic64_read(&r->dropped_new);
	/* before tail: the lapped consumer stores them the other way round */
	dropped_old = (uint64_t)kml_atomic64_load_acquire(&r->dropped_old);
	tail = (uint64_t)kml_atomic64_load_acquire(&r->tail);
	head = (uint64_t)kml_atomic64_load_acquire(&r->head);
	kind = r->kind & ~KML_RING_KIND_WIDE;
	/*
	 * One-producer DROP_OLDEST: records more than a lap behind head are
	 * overwritten, dropped before the consumer gets there to count them.
	 */
	if (kind == KML_RING_KIND_SP_OLDEST &&
	    (int64_t)(head - tail) > (int64_t)kml_ring_cap(r))
		lapped = head - tail - kml_ring_cap(r);
	out->count = ring_count(r);
	/* head counts stored records, tail consumed plus dropped-oldest ones */
	out->produced = head + dropped_new;
	out->consumed = tail - dropped_old;
	out->dropped = dropped_new + dropped_old + lapped;
	out->rejected = (uint64_t)kml_atomic64_read(&r->rejected);
	out->high_water = (uint64_t)kml_atomic64_read(&r->high_water);
	if (kind == KML_RING_KIND_MP_OLDEST) {
		/*
		 * Several producers, DROP_OLDEST: head counts every position
		 * taken, refused ones too, and nobody counts the records a
		 * claim overwrote; what is neither consumed nor in the ring
		 * was dropped. The consumer keeps the mark as of its last
		 * dequeue; the count now may be above it.
		 */
		out->dropped = head - out->consumed - out->count;
		if (out->count > out->high_water)
			out->high_water = out->count;
	}
	return KML_OK;
}

size_t kml_ring_count(const struct kml_ring *r)
{
	return r ? (size_t)ring_count(r) : 0;
}

size_t kml_ring_capacity(const struct kml_ring *r)
{
	return r ? (size_t)kml_ring_cap(r) : 0;
}

size_t kml_ring_record_size(const struct kml_ring *r)
{
	return r ? r->rec_size : 0;
}
