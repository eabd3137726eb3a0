// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * ring_compact_cases.c - the ring suite's sequences again, every object
 * created with KML_RING_COMPACT: the compact layout must behave exactly like
 * the padded one (same results, same digests). No float code.
 */
#define KT_RING_FLAGS KML_RING_COMPACT
#define KT_RING_SUITE kt_suite_ring_compact
#define KT_RING_NAME "ring_compact"
#include "ring_cases.c"
