// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * fpu.c - the FPU guard in user space: the FPU is always usable, but the
 * guard still counts nesting and misuse per thread so that code debugged
 * here keeps the discipline the kernel needs.
 */
#include "kmlib/platform.h"

static __thread unsigned int fpu_depth;
static kml_atomic64_t fpu_misuse;

bool kml_fpu_begin(void)
{
	fpu_depth++;
	return true;
}

void kml_fpu_end(void)
{
	if (!fpu_depth) {
		kml_atomic64_fetch_add(&fpu_misuse, 1);
		kml_log_msg(KML_LOG_ERR,
			    "kmlib: kml_fpu_end() without begin\n");
		return;
	}
	fpu_depth--;
}

bool kml_fpu_active(void)
{
	return fpu_depth > 0;
}

uint64_t kml_fpu_misuse_count(void)
{
	return (uint64_t)kml_atomic64_read(&fpu_misuse);
}
