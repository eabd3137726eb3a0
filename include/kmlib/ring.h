/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * ring.h - lock-free rings of fixed-size records between one or several
 * producers and one consumer (docs/runtime.md describes the protocol).
 *
 * Enqueue and dequeue never sleep, never allocate and use no FPU: they may
 * be called from process context, softirq and hard IRQ in the kernel.
 * Records are opaque bytes, copied in and out whole: a consumer never sees
 * a partly written record.
 *
 * Threading contract:
 *  - KML_RING_SP: one producer at a time. In the kernel an interrupt that
 *    enqueues on the CPU of a process-context producer is a second
 *    producer: use KML_RING_MP then.
 *  - KML_RING_MP: any number of concurrent producers.
 *  - Always one consumer at a time (dequeue and dequeue_batch).
 *  - Creation and destruction may sleep and must not race with use.
 */
#ifndef KMLIB_RING_H
#define KMLIB_RING_H

#include "kml_deps.h"
#include "platform.h"

/* What a producer does when the ring is full. */
enum kml_ring_mode {
	/* spin up to spin_ns for a free slot, then give up (KML_ETIMEDOUT;
	 * KML_EAGAIN at once when spin_ns is 0). The record is not stored. */
	KML_RING_BLOCK = 0,
	/* never wait: the new record is dropped and counted (KML_EAGAIN) */
	KML_RING_DROP_NEWEST = 1,
	/* never wait: the oldest unconsumed record is dropped and counted,
	 * the new one stored (KML_OK). With KML_RING_MP, if the new record's
	 * slot is still being written by a producer a lap behind (preempted),
	 * the new record is dropped instead (KML_EAGAIN, also counted). */
	KML_RING_DROP_OLDEST = 2,
};

enum kml_ring_flags {
	KML_RING_SP = 0, /* single producer */
	KML_RING_MP = 1 << 0, /* several concurrent producers */
	/*
	 * Small-object layout: the header is not cache-line aligned and the
	 * slots follow the consumer's tail directly instead of starting a
	 * line of their own (a 16-slot ring of 16-byte records: 544 bytes
	 * instead of 656 as kml_mem counts them). The price is false
	 * sharing: the header, the producers' counters, tail and the first
	 * slots may share lines, so a producer and a consumer running at the
	 * same time on different CPUs pass those lines back and forth. Use
	 * it when rings are many and traffic is light.
	 */
	KML_RING_COMPACT = 1 << 1,
};

#define KML_RING_MIN_CAPACITY 2u
#define KML_RING_MAX_CAPACITY (1u << 30)
#define KML_RING_MAX_RECORD 65536u
/* Longest spin a blocking producer may be configured with: 1 s. */
#define KML_RING_MAX_SPIN_NS 1000000000ull

struct kml_ring_config {
	size_t capacity; /* records; a power of two in [2, 2^30] */
	size_t record_size; /* bytes; 1 .. KML_RING_MAX_RECORD */
	enum kml_ring_mode mode;
	unsigned int flags; /* KML_RING_SP or KML_RING_MP, | KML_RING_COMPACT */
	uint64_t spin_ns; /* KML_RING_BLOCK only: longest wait when full */
};

/*
 * Counters. Exact when the ring is quiescent; while producers and the
 * consumer run each field is a recent value, not one common instant.
 * Invariant at rest: produced == consumed + dropped + count.
 */
struct kml_ring_stats {
	uint64_t produced; /* records accepted, including those dropped */
	uint64_t consumed; /* records dequeued */
	uint64_t dropped; /* records lost to the drop policy */
	uint64_t rejected; /* KML_RING_BLOCK: enqueues that gave up */
	uint64_t high_water; /* most records ever held at once */
	uint64_t count; /* records in the ring now */
};

struct kml_ring;

/* Create a ring with memory from @mem (may sleep). */
int kml_ring_create(struct kml_ring **out, struct kml_mem *mem,
		    const struct kml_ring_config *cfg);
/* Free a ring; NULL is a no-op. No producer or consumer may be active. */
void kml_ring_destroy(struct kml_ring *r);

/*
 * Copy one record (record_size bytes) from @rec into the ring.
 * KML_OK: stored. KML_EAGAIN: not stored (full with no spin budget, or
 * dropped by KML_RING_DROP_NEWEST). KML_ETIMEDOUT: spin budget spent.
 */
int kml_ring_enqueue(struct kml_ring *r, const void *rec);

/* Copy the oldest record to @rec. KML_EAGAIN when there is none. */
int kml_ring_dequeue(struct kml_ring *r, void *rec);

/*
 * Copy up to @max records, back to back, to @recs; *@n says how many.
 * KML_EAGAIN (with *@n = 0) when there is none.
 */
int kml_ring_dequeue_batch(struct kml_ring *r, void *recs, size_t max,
			   size_t *n);

int kml_ring_stats(const struct kml_ring *r, struct kml_ring_stats *out);
/* Records in the ring now (0 for NULL). */
size_t kml_ring_count(const struct kml_ring *r);
size_t kml_ring_capacity(const struct kml_ring *r);
size_t kml_ring_record_size(const struct kml_ring *r);

#endif /* KMLIB_RING_H */
