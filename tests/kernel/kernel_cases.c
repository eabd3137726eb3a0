// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * kernel_cases.c - kernel-only cases for what user space cannot show: the
 * platform layer called from hard interrupt context, and the kthread
 * corner cases that pthreads do not have. An irq_work raises a
 * self-IPI, so its handler runs in hardirq on this CPU, interrupting the
 * case (inside or outside an FPU section). These cases emit no digest:
 * there is no user-space twin to compare with.
 */
#include <linux/irq_work.h>
#include <linux/smp.h>
#include <linux/preempt.h>
#include <linux/hardirq.h>
#include <linux/delay.h>
#include "../ktest.h"
#include "kernel_cases.h"

struct irq_probe {
	struct irq_work work;
	bool in_hardirq;
	bool begin; /* kml_fpu_begin() in the handler */
	bool nested; /* a second, nested kml_fpu_begin() */
	bool active; /* kml_fpu_active() inside the handler's section */
	bool active_after; /* kml_fpu_active() after the handler's end */
	bool alloc; /* an atomic allocation worked */
	struct kml_thread *wake; /* thread to wake, if any */
};

static void irq_probe_fn(struct irq_work *w)
{
	struct irq_probe *p = container_of(w, struct irq_probe, work);
	void *mem;

	p->in_hardirq = in_hardirq();
	p->begin = kml_fpu_begin();
	if (p->begin) {
		p->nested = kml_fpu_begin();
		p->active = kml_fpu_active();
		if (p->nested)
			kml_fpu_end();
		kml_fpu_end();
	}
	p->active_after = kml_fpu_active();
	mem = kml_plat_alloc(64, true);
	p->alloc = mem != NULL;
	kml_plat_free(mem);
	kml_thread_wake(p->wake);
}

/* Run the probe in hardirq on this CPU and wait for it. */
static void irq_probe_run(struct irq_probe *p)
{
	p->work = IRQ_WORK_INIT_HARD(irq_probe_fn);
	irq_work_queue(&p->work);
	irq_work_sync(&p->work);
}

/* An interrupt that arrives inside a task's section must not join it. */
static void fpu_irq_inside_section(struct kt_ctx *t)
{
	struct irq_probe p = { 0 };
	uint64_t misuse = kml_fpu_misuse_count();

	KT_EXPECT(t, kml_fpu_begin());
	irq_probe_run(&p);
	KT_EXPECT(t, kml_fpu_active()); /* the task's section is intact */
	kml_fpu_end();
	KT_EXPECT(t, p.in_hardirq);
	KT_EXPECT(t, !p.begin);
	KT_EXPECT(t, !p.active_after);
	KT_EXPECT(t, p.alloc);
	KT_EXPECT(t, !kml_fpu_active());
	KT_EXPECT_EQ(t, kml_fpu_misuse_count(), misuse);
}

/* Outside any section, an interrupt may open (and nest) its own. */
static void fpu_irq_outside_section(struct kt_ctx *t)
{
	struct irq_probe p = { 0 };
	uint64_t misuse = kml_fpu_misuse_count();

	KT_EXPECT(t, !kml_fpu_active());
	irq_probe_run(&p);
	KT_EXPECT(t, p.in_hardirq);
	KT_EXPECT(t, p.begin);
	KT_EXPECT(t, p.nested);
	KT_EXPECT(t, p.active);
	KT_EXPECT(t, !p.active_after);
	KT_EXPECT(t, p.alloc);
	KT_EXPECT(t, !kml_fpu_active());
	KT_EXPECT_EQ(t, kml_fpu_misuse_count(), misuse);
}

static int sleep_long(struct kml_thread *self, void *arg)
{
	/* 10 s: the interrupt wakes us long before */
	int ret = kml_thread_sleep(self, 10000000000ull);

	while (!kml_thread_should_stop(self))
		kml_thread_sleep(self, 1000000);
	return ret;
}

/* kml_thread_wake() from hardirq wakes a sleeping thread. */
static void thread_wake_from_irq(struct kt_ctx *t)
{
	struct irq_probe p = { 0 };
	uint64_t start = kml_time_ns();

	KT_EXPECT_OK(t,
		     kml_thread_start(&p.wake, sleep_long, NULL, "kt_irqwake"));
	if (t->failed)
		return;
	irq_probe_run(&p);
	/* the thread returns 0 if woken, KML_ETIMEDOUT after 10 s */
	KT_EXPECT_EQ(t, kml_thread_stop(p.wake), 0);
	KT_EXPECT(t, kml_time_ns() - start < 5000000000ull);
}

static int return_at_once(struct kml_thread *self, void *arg)
{
	kml_atomic_t *ran = arg;

	kml_atomic_store_release(ran, 1);
	return 5;
}

/*
 * The body returns before anyone calls stop (the task must still be there
 * for kthread_stop()), and a stop right after start still runs the body
 * (kthread_stop() alone would skip it and return -EINTR).
 */
static void thread_early_return_and_early_stop(struct kt_ctx *t)
{
	kml_atomic_t ran = KML_ATOMIC_INIT(0);
	struct kml_thread *th;
	uint64_t start;

	KT_EXPECT_OK(t,
		     kml_thread_start(&th, return_at_once, &ran, "kt_early"));
	if (t->failed)
		return;
	start = kml_time_ns();
	while (!kml_atomic_load_acquire(&ran) &&
	       kml_time_ns() - start < 5000000000ull)
		kml_cpu_relax();
	msleep(20); /* let the body's return reach the wrapper */
	KT_EXPECT_EQ(t, kml_thread_stop(th), 5);

	kml_atomic_set(&ran, 0);
	KT_EXPECT_OK(t,
		     kml_thread_start(&th, return_at_once, &ran, "kt_early"));
	if (t->failed)
		return;
	KT_EXPECT_EQ(t, kml_thread_stop(th), 5);
	KT_EXPECT_EQ(t, kml_atomic_read(&ran), 1);
}

static const struct kt_case kernel_cases[] = {
	{ "thread_early_return_and_early_stop",
	  thread_early_return_and_early_stop },
	{ "fpu_irq_inside_section", fpu_irq_inside_section },
	{ "fpu_irq_outside_section", fpu_irq_outside_section },
	{ "thread_wake_from_irq", thread_wake_from_irq },
};

KT_SUITE(kt_suite_kernel, "kernel", false, 0, kernel_cases);
