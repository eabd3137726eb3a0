/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * demo_print.h - one text format for both targets: line @i of a report
 * (false after the last). Integers and float bit patterns only.
 */
#ifndef KMLIB_DEMO_PRINT_H
#define KMLIB_DEMO_PRINT_H

#include "demo.h"

static inline bool kml_demo_format(const struct kml_demo_report *r, int ret,
				   size_t mem_left, uint32_t i, char *buf,
				   size_t len)
{
	if (i < r->n_loss) {
		kml_snprintf(buf, len, "kmlib-demo: epoch %u loss_bits %08x",
			     r->epoch_of[i], r->loss_bits[i]);
		return true;
	}
	switch (i - r->n_loss) {
	case 0:
		kml_snprintf(buf, len, "kmlib-demo: test_correct %u of %u",
			     r->test_correct, KML_DEMO_TEST);
		return true;
	case 1:
		kml_snprintf(buf, len, "kmlib-demo: params %llu digest %016llx",
			     (unsigned long long)r->n_params,
			     (unsigned long long)r->param_digest);
		return true;
	case 2:
		kml_snprintf(buf, len,
			     "kmlib-demo: peak_bytes %llu allocs_in_training %llu mem_left %zu",
			     (unsigned long long)r->peak_bytes,
			     (unsigned long long)r->allocs_during_training,
			     mem_left);
		return true;
	case 3:
		kml_snprintf(buf, len, "kmlib-demo: status %d", ret);
		return true;
	}
	return false;
}

#endif /* KMLIB_DEMO_PRINT_H */
