// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * relax.c - kml_cpu_relax() in the kernel: spin politely, and offer the
 * CPU when the context may be preempted (see kml_deps.h).
 */
#include <linux/preempt.h>
#include <linux/sched.h>
#include <asm/processor.h>
#include "kmlib/kml_deps.h"

void kml_plat_cpu_relax(void)
{
	cpu_relax();
	if (preemptible())
		cond_resched();
}
