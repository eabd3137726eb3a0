// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * fpu.c - the FPU guard on kernel_fpu_begin()/kernel_fpu_end().
 *
 * The kernel's own section does not nest (with X86_DEBUG_FPU it WARNs),
 * so nesting is counted here, per CPU: while a section is open preemption
 * is off, so the CPU's counter belongs to the code that opened it. An
 * interrupt that arrives inside a section runs on the same CPU in another
 * context; it must not join the section (the interrupted FPU state is
 * live), so the counter also records the context that opened it, and a
 * kml_fpu_begin() from any other context answers false, as
 * irq_fpu_usable() would.
 */
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/hardirq.h>
#include <linux/printk.h>
#include <asm/fpu/api.h>
#include "kmlib/platform.h"

struct kml_fpu_section {
	unsigned int depth; /* open kml_fpu_begin() calls */
	unsigned long ctx; /* fpu_context() of the code that opened it */
};

static DEFINE_PER_CPU(struct kml_fpu_section, kml_fpu_section);
static atomic64_t kml_fpu_misuse = ATOMIC64_INIT(0);

/* Which interrupt level we run at: task, softirq, hardirq (nested), NMI. */
static unsigned long fpu_context(void)
{
	return preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET);
}

bool kml_fpu_begin(void)
{
	struct kml_fpu_section *s;
	bool ok = true;

	if (in_nmi()) /* never in NMI (irq_fpu_usable() would WARN) */
		return false;
	preempt_disable();
	s = this_cpu_ptr(&kml_fpu_section);
	if (s->depth) {
		if (s->ctx == fpu_context())
			s->depth++;
		else
			ok = false; /* we interrupted someone's section */
	} else if (irq_fpu_usable()) {
		kernel_fpu_begin();
		s->depth = 1;
		s->ctx = fpu_context();
	} else {
		ok = false;
	}
	preempt_enable();
	return ok;
}

void kml_fpu_end(void)
{
	struct kml_fpu_section *s;

	preempt_disable();
	s = this_cpu_ptr(&kml_fpu_section);
	if (!s->depth || s->ctx != fpu_context()) {
		preempt_enable();
		atomic64_inc(&kml_fpu_misuse);
		pr_err_ratelimited("kmlib: kml_fpu_end() without begin\n");
		return;
	}
	if (!--s->depth)
		kernel_fpu_end();
	preempt_enable();
}

bool kml_fpu_active(void)
{
	bool active;

	preempt_disable();
	active = this_cpu_read(kml_fpu_section.depth) &&
		 this_cpu_read(kml_fpu_section.ctx) == fpu_context();
	preempt_enable();
	return active;
}

uint64_t kml_fpu_misuse_count(void)
{
	return (uint64_t)atomic64_read(&kml_fpu_misuse);
}
