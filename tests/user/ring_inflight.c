// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * ring_inflight.c - white-box checks of the multi-producer rings with a
 * producer "preempted" between reserving its slot and publishing it
 * (simulated by reserving through the ring's internals): the consumer
 * must not read the incomplete record, and under DROP_OLDEST other
 * producers must not drop it and overwrite it (they drop their own
 * record instead). Races too narrow for the stress tests to hit often.
 */
#include <stdio.h>
#include "../../src/runtime/ring_internal.h"
#include "test_util.h"

/* What a producer does between reserving pos and publishing it. */
static void complete(struct kml_ring *r, uint64_t pos, uint64_t value)
{
	struct kml_ring_slot *s = kml_ring_slot_at(r, pos);

	kml_store_relaxed64(&s->data[0], value);
	kml_atomic64_store_release(&s->seq, (int64_t)(pos + 1));
}

static void inflight(enum kml_ring_mode mode)
{
	struct kml_ring_config cfg = { .capacity = 4,
				       .record_size = 8,
				       .mode = mode,
				       .flags = KML_RING_MP };
	struct kml_ring_stats st;
	struct kml_ring *r;
	struct kml_mem mem;
	uint64_t v;
	int i;

	kml_mem_init(&mem, "inflight", 0);
	CHECK(kml_ring_create(&r, &mem, &cfg) == KML_OK);
	/* producer P reserves position 0 (and, DROP_OLDEST, claims its slot) */
	CHECK(kml_atomic64_cmpxchg(&r->head, 0, 1) == 0);
	if (mode == KML_RING_DROP_OLDEST)
		CHECK(kml_atomic64_cmpxchg(&kml_ring_slot_at(r, 0)->seq, 0,
					   (int64_t)(1 | KML_RING_SEQ_BUSY)) ==
		      0);
	for (i = 1; i <= 3; i++) {
		v = (uint64_t)i;
		CHECK(kml_ring_enqueue(r, &v) == KML_OK);
	}
	/* record 0 blocks the consumer: nothing is read out of order */
	CHECK(kml_ring_dequeue(r, &v) == KML_EAGAIN);
	/* full, and the oldest record is still being written */
	v = 4;
	CHECK(kml_ring_enqueue(r, &v) == KML_EAGAIN);
	CHECK(kml_ring_stats(r, &st) == KML_OK);
	CHECK(st.dropped == (mode == KML_RING_BLOCK ? 0 : 1));
	CHECK(st.rejected == (mode == KML_RING_BLOCK ? 1 : 0));
	/* P's slot was not handed to anyone: its record arrives whole */
	complete(r, 0, 100);
	CHECK(kml_ring_dequeue(r, &v) == KML_OK && v == 100);
	for (i = 1; i <= 3; i++)
		CHECK(kml_ring_dequeue(r, &v) == KML_OK && v == (uint64_t)i);
	CHECK(kml_ring_dequeue(r, &v) == KML_EAGAIN);
	CHECK(kml_ring_stats(r, &st) == KML_OK);
	CHECK(st.produced == st.consumed + st.dropped);
	kml_ring_destroy(r);
	CHECK(kml_mem_current(&mem) == 0);
}

int main(void)
{
	inflight(KML_RING_BLOCK);
	inflight(KML_RING_DROP_NEWEST);
	inflight(KML_RING_DROP_OLDEST);
	if (test_failures)
		printf("%d failure(s)\n", test_failures);
	return test_exit_status();
}
