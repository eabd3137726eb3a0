// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * publish_compact_cases.c - the publish suite's sequences again, every object
 * created with KML_PUB_COMPACT: the compact layout must behave exactly like
 * the padded one (same results, same digests). No float code.
 */
#define KT_PUB_FLAGS KML_PUB_COMPACT
#define KT_PUB_SUITE kt_suite_publish_compact
#define KT_PUB_NAME "publish_compact"
/* a second copy of the stress driver, under its own name */
#define kt_pub_stress_run kt_pub_stress_run_compact
#include "publish_cases.c"
