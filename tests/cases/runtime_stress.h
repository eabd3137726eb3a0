/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * runtime_stress.h - the multi-threaded stress engines of the ring and
 * publication tests. The shared suites run them small (they also run in
 * the kernel under TCG); tests/user/runtime_stress.c runs them long.
 */
#ifndef KMLIB_TESTS_RUNTIME_STRESS_H
#define KMLIB_TESTS_RUNTIME_STRESS_H

#include "../ktest.h"
#include "kmlib/ring.h"
#include "kmlib/publish.h"

#define KT_STRESS_MAX_PRODUCERS 4

struct kt_ring_stress {
	enum kml_ring_mode mode;
	unsigned int flags; /* KML_RING_SP or KML_RING_MP */
	unsigned int producers; /* 1 .. KT_STRESS_MAX_PRODUCERS */
	uint32_t per_producer; /* records each producer offers */
	size_t capacity;
	uint64_t spin_ns; /* KML_RING_BLOCK */
	uint64_t time_limit_ns; /* fail instead of hanging */
	bool rec8; /* 8-byte records (the enqueue fast paths), else 24 */
};

struct kt_ring_stress_out {
	uint64_t received; /* records the consumer got, all verified */
	struct kml_ring_stats stats;
	uint64_t producer_retries; /* blocking: enqueues that gave up */
};

/*
 * Producers run as kml_threads, the consumer is the calling thread. It
 * checks that every record is whole (its three words agree), that each
 * producer's records arrive in order, without duplicates, and (blocking)
 * without loss; or (dropping) that consumed + dropped == produced.
 */
void kt_ring_stress_run(struct kt_ctx *t, const struct kt_ring_stress *cfg,
			struct kt_ring_stress_out *out);

struct kt_pub_stress {
	size_t size; /* snapshot bytes */
	unsigned int n_buffers;
	uint32_t versions; /* the writer publishes 1 .. versions */
	uint32_t writer_pause; /* kml_cpu_relax() rounds between publishes */
	bool copy_only; /* the second reader copies instead of pinning */
	/* optional: where the copying reader copies to (size bytes), and a
	 * hook run before each of its copies (user space makes the copy slow
	 * with page faults, so that the writer overtakes it) */
	void *copy_dst;
	void (*before_copy)(void *dst, size_t size);
	/* optional, the same for the writer's source (slow publishes) */
	void *publish_src;
	void (*before_publish)(void *src, size_t size);
	uint64_t time_limit_ns;
};

struct kt_pub_stress_out {
	uint64_t reads_ok; /* copies and pins, all verified */
	uint64_t reads_again; /* KML_EAGAIN: writer overtook the reader */
	uint64_t publish_busy; /* KML_EBUSY: every other buffer pinned */
	uint64_t last_version;
};

/*
 * A writer thread publishes versions whose every byte is a function of
 * the version; a reader thread copies, another pins (or copies too); all
 * check that no snapshot mixes two versions, that a pinned snapshot does
 * not change, and that versions never go backwards.
 */
void kt_pub_stress_run(struct kt_ctx *t, const struct kt_pub_stress *cfg,
		       struct kt_pub_stress_out *out);

#endif /* KMLIB_TESTS_RUNTIME_STRESS_H */
