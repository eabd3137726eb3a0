// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * ring_stress_compact_cases.c - the ring_stress suite's sequences again, every
 * object created with KML_RING_COMPACT: the compact layout must behave exactly
 * like the padded one (same results, same digests). No float code.
 */
#define KT_RING_FLAGS KML_RING_COMPACT
#define KT_RING_SUITE kt_suite_ring_stress_compact
#define KT_RING_NAME "ring_stress_compact"
/* a second copy of the stress driver, under its own name */
#define kt_ring_stress_run kt_ring_stress_run_compact
#include "ring_stress_cases.c"
