// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* memory.c - user-space raw allocator: 16-byte aligned malloc. */
#include <stdlib.h>
#include "kmlib/platform.h"

void *kml_plat_alloc(size_t size, bool atomic)
{
	void *p = NULL;

	(void)atomic; /* malloc never runs in atomic context here */
	if (size == 0 || posix_memalign(&p, 16, size))
		return NULL;
	return p;
}

void kml_plat_free(void *p)
{
	free(p);
}
