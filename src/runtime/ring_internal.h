/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * ring_internal.h - layout of struct kml_ring, shared by ring*.c.
 *
 * Positions are 64-bit counters that never wrap in practice (2^64 records),
 * so no ABA on positions; slot = position & mask. Each slot holds a
 * sequence word and the record:
 *  - BLOCK / DROP_NEWEST, several producers (per-slot sequence protocol):
 *    seq == pos means "free for the producer of pos", seq == pos + 1
 *    means "record pos is complete"; the consumer frees a slot with
 *    seq = pos + capacity.
 *  - BLOCK / DROP_NEWEST, one producer: seq == pos + 1 means "record pos
 *    is complete"; a slot is free for pos once tail > pos - capacity (the
 *    consumer stores tail with release and writes no slot).
 *  - DROP_OLDEST, one producer: seq == pos + 1 means "record pos is
 *    complete"; the producer never looks at tail, it stores head = pos + 1
 *    and then overwrites slot pos (release stores). The consumer owns
 *    tail: it keeps a copy of record t only if head, read after the copy,
 *    is at most t + capacity; else it skips to head - capacity and counts
 *    the skipped records in dropped_old (the only writer of it here).
 *  - DROP_OLDEST, several producers: seq == pos + 1 means "record pos is
 *    complete", (pos + 1) | KML_RING_SEQ_BUSY "being written for pos".
 *    A producer takes position pos by fetch-add on head and claims the
 *    slot by CAS from an older seq to busy; a busy or newer slot is
 *    refused (the record dropped, pos + 1 stored in the slot's refused
 *    word, which follows the record). The consumer owns tail: it keeps a
 *    copy only if seq is unchanged after it, skips positions whose slot
 *    holds a newer record, was refused or lapped, and keeps the
 *    high-water mark (producers do not test it).
 * The write-mostly fields of the producers and of the consumer sit at
 * fixed offsets (64 and 128: the hot paths use constant offsets in both
 * layouts). By default the header is cache-line aligned and the slots
 * start on the line after tail, so the read-only fields, the producers'
 * fields and tail each have a line of their own. With KML_RING_COMPACT
 * the header is only 8-byte aligned and the slots follow tail directly:
 * less memory, false sharing between producers, consumer and slots.
 */
#ifndef KMLIB_RING_INTERNAL_H
#define KMLIB_RING_INTERNAL_H

#include "kmlib/ring.h"
#include "shared_copy.h"

#define KML_RING_LINE 64

/*
 * Which enqueue protocol, chosen at creation so that kml_ring_enqueue
 * reaches each mode's inline fast path with a compare or two. Records of
 * other sizes than 8 bytes add KML_RING_KIND_WIDE and take one
 * out-of-line function (the word copy needs registers and a loop).
 */
enum kml_ring_kind {
	KML_RING_KIND_SP_SEQ = 0, /* BLOCK or DROP_NEWEST, one producer */
	KML_RING_KIND_SP_OLDEST = 1,
	KML_RING_KIND_MP_SEQ = 2,
	KML_RING_KIND_MP_OLDEST = 3,
	KML_RING_KIND_WIDE = 4, /* flag: record_size != 8 */
};

struct kml_ring_slot {
	kml_atomic64_t seq;
	uint64_t data[];
};

struct kml_ring {
	/* read-only after creation: bytes 0-63 */
	uint8_t *slots;
	uint64_t mask;
	size_t stride; /* bytes per slot: sequence word + record in words */
	size_t rec_size;
	uint64_t spin_ns;
	uint8_t mode;
	bool mp;
	uint8_t kind; /* enum kml_ring_kind: mode and producers in one byte */
	struct kml_mem *mem;
	void *block; /* what kml_alloc returned */

	/* producers: bytes 64-111 */
	kml_atomic64_t head;
	/*
	 * A tail value seen (acquire) plus the high-water mark read after:
	 * while head + 1 <= hw_limit an enqueue neither sets a new mark nor
	 * (DROP_OLDEST) finds the ring full, as tail only grows and
	 * mark <= capacity. Written with release after that acquire, so a
	 * producer that reads it with acquire also sees the slots freed
	 * before that tail (ring_enqueue.c).
	 */
	kml_atomic64_t hw_limit;
	kml_atomic64_t high_water;
	kml_atomic64_t dropped_new; /* records refused by the drop policy */
	/* DROP_OLDEST: records the consumer skipped (lost to producers) */
	kml_atomic64_t dropped_old;
	kml_atomic64_t rejected;
	uint64_t unused[2]; /* keeps tail at 128 */

	/* consumer (and, in DROP_OLDEST, producers dropping records) */
	kml_atomic64_t tail;
	/* padded: the slots start at the next line; compact: right here */
};

_Static_assert(__builtin_offsetof(struct kml_ring, head) == KML_RING_LINE,
	       "producers' fields start the second line");
_Static_assert(__builtin_offsetof(struct kml_ring, tail) == 2 * KML_RING_LINE,
	       "tail starts the third line");

/* Multi-producer DROP_OLDEST: seq of a slot being written (see above). */
#define KML_RING_SEQ_BUSY (1ull << 63)

static inline struct kml_ring_slot *kml_ring_slot_at(const struct kml_ring *r,
						     uint64_t pos)
{
	return (struct kml_ring_slot *)(r->slots +
					(size_t)(pos & r->mask) * r->stride);
}

/* Multi-producer DROP_OLDEST only: the slot's last word, refused pos + 1. */
static inline kml_atomic64_t *kml_ring_refused(const struct kml_ring *r,
					       struct kml_ring_slot *s)
{
	return (kml_atomic64_t *)((uint8_t *)s + r->stride - 8);
}

static inline uint64_t kml_ring_cap(const struct kml_ring *r)
{
	return r->mask + 1;
}

#endif /* KMLIB_RING_INTERNAL_H */
