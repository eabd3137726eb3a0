// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * memory.c - the kernel's raw allocator for kml_plat_alloc().
 *
 * Sleeping callers get kvmalloc(GFP_KERNEL): kmalloc when it can, vmalloc
 * for big blocks. Atomic callers get kmalloc(GFP_ATOMIC), which never
 * sleeps. Failure is an ordinary result for a library (the caller gets
 * KML_ENOMEM), so no allocation failure is allowed to print a warning.
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/bug.h>
#include "kmlib/platform.h"

void *kml_plat_alloc(size_t size, bool atomic)
{
	void *p;

	/* kvmalloc() WARNs on sizes above INT_MAX: refuse them quietly */
	if (!size || size > INT_MAX)
		return NULL;
	if (atomic) {
		p = kmalloc(size, GFP_ATOMIC | __GFP_NOWARN);
	} else {
		/*
		 * A sleeping allocation from atomic context (spinlock, IRQ,
		 * FPU section) is a caller bug that this kernel would not
		 * report (no DEBUG_ATOMIC_SLEEP): report it and refuse.
		 */
		if (IS_ENABLED(CONFIG_PREEMPT_COUNT) &&
		    WARN_ON_ONCE(!preemptible() || kml_fpu_active()))
			return NULL;
		p = kvmalloc(size, GFP_KERNEL | __GFP_NOWARN);
	}
	/*
	 * mem.c relies on 16-byte alignment. Every kmalloc cache that serves
	 * its sizes (multiples of 16, at least 32) is 16-byte aligned, and
	 * vmalloc is page aligned; only a debug slab layout could break it.
	 */
	if (p && ((uintptr_t)p & 15)) {
		pr_err_once("kmlib: allocator returned a misaligned block\n");
		kvfree(p);
		return NULL;
	}
	return p;
}

void kml_plat_free(void *p)
{
	kvfree(p);
}
