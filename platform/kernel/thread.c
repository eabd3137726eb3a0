// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * thread.c - kml_thread on kthreads, with the semantics of the pthread
 * version: the body always runs (even if stopped at once), a wake before
 * a sleep is not lost, a sleep returns when a stop is requested, and
 * kml_thread_stop() returns the body's return value.
 *
 * kthread_stop() alone does not give that: it skips the body when the
 * stop comes before the thread first runs, and it must not be called on
 * a task that already exited. So the stop request is our own flag, the
 * wrapper reports the body's end through a completion, and then parks in
 * a loop until kthread_stop() collects it: the task stays alive until
 * kml_thread_stop() is done with it.
 */
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <linux/completion.h>
#include <linux/slab.h>
#include <linux/ktime.h>
#include <linux/err.h>
#include <linux/sched/clock.h>
#include <linux/irqflags.h>
#include "kmlib/platform.h"

struct kml_thread {
	struct task_struct *task;
	kml_thread_fn fn;
	void *arg;
	int ret; /* valid once done completes */
	bool stop; /* set once by kml_thread_stop() */
	atomic_t wake_pending;
	wait_queue_head_t wq;
	struct completion done;
	u64 cpu_last; /* kml_thread_cpu_ns() of this thread: never lower */
};

static int thread_main(void *p)
{
	struct kml_thread *t = p;

	t->ret = t->fn(t, t->arg);
	complete(&t->done);
	/* wait for kthread_stop(): it needs the task to still exist */
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

int kml_thread_start(struct kml_thread **out, kml_thread_fn fn, void *arg,
		     const char *name)
{
	struct kml_thread *t;
	struct task_struct *task;

	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!fn)
		return KML_EINVAL;
	might_sleep();
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return KML_ENOMEM;
	t->fn = fn;
	t->arg = arg;
	atomic_set(&t->wake_pending, 0);
	init_waitqueue_head(&t->wq);
	init_completion(&t->done);
	task = kthread_create(thread_main, t, "%s", name ? name : "kmlib");
	if (IS_ERR(task)) {
		kfree(t);
		return PTR_ERR(task) == -ENOMEM ? KML_ENOMEM : KML_EAGAIN;
	}
	t->task = task;
	wake_up_process(task);
	*out = t;
	return KML_OK;
}

int kml_thread_stop(struct kml_thread *t)
{
	int ret;

	if (!t)
		return KML_EINVAL;
	might_sleep();
	smp_store_release(&t->stop, true);
	wake_up(&t->wq);
	wait_for_completion(&t->done);
	ret = t->ret;
	kthread_stop(t->task);
	kfree(t);
	return ret;
}

bool kml_thread_should_stop(struct kml_thread *self)
{
	return self && smp_load_acquire(&self->stop);
}

/* The sleep's wake-up condition; consumes a pending wake like pthreads. */
static bool thread_woken(struct kml_thread *self)
{
	return atomic_xchg(&self->wake_pending, 0) ||
	       smp_load_acquire(&self->stop);
}

/*
 * The task's runtime as the scheduler last brought it up to date (a tick,
 * every 4 ms at HZ=250, or a context switch) plus the slice run since on
 * the scheduler's own clock. task_sched_runtime() does this under the rq
 * lock but 6.1 does not export it. exec_start is rq_clock_task(), which
 * is sched_clock_cpu() of the task's CPU unless IRQ or steal time is
 * taken out of it (Debian's 6.1 amd64 config does neither); where it is,
 * the slice would run ahead of what the scheduler charges later, so only
 * the tick-granular sum is returned. IRQs off: no tick moves the pair on
 * this CPU; a remote update (a wake-up enqueued here) writes exec_start
 * before the sum, so both are read again until they stand still.
 */
static u64 task_cpu_ns(void)
{
	struct sched_entity *se = &current->se;
#if defined(CONFIG_IRQ_TIME_ACCOUNTING) ||                                     \
    defined(CONFIG_PARAVIRT_TIME_ACCOUNTING)
	return READ_ONCE(se->sum_exec_runtime);
#else
	unsigned long flags;
	u64 sum, start, now;

	local_irq_save(flags);
	do {
		sum = READ_ONCE(se->sum_exec_runtime);
		smp_rmb();
		start = READ_ONCE(se->exec_start);
		now = local_clock();
		smp_rmb();
	} while (sum != READ_ONCE(se->sum_exec_runtime) ||
		 start != READ_ONCE(se->exec_start));
	local_irq_restore(flags);
	return sum + (now > start ? now - start : 0);
#endif
}

/*
 * The estimate above can step back across a sleep (measured under QEMU
 * TCG, -smp 2: 2.2 ms lower after a 200 ms sleep; probably the two
 * CPUs' scheduler clocks disagreeing, not pinned down). A kml
 * thread keeps the largest value it returned, so its clock never goes
 * back; other callers get the raw estimate (differences floored at 0 by
 * the trainer's cap).
 */
uint64_t kml_thread_cpu_ns(void)
{
	u64 v = task_cpu_ns();
	struct kml_thread *t;

	if (!(current->flags & PF_KTHREAD) ||
	    kthread_func(current) != thread_main)
		return v;
	t = kthread_data(current);
	if (v < t->cpu_last)
		return t->cpu_last;
	t->cpu_last = v;
	return v;
}

int kml_thread_sleep(struct kml_thread *self, uint64_t timeout_ns)
{
	ktime_t timeout;
	long ret;

	if (!self)
		return KML_EINVAL;
	/* KTIME_MAX means "no timer"; bigger values would wrap negative */
	timeout = timeout_ns >= (uint64_t)KTIME_MAX ? KTIME_MAX
						    : ns_to_ktime(timeout_ns);
	ret = wait_event_interruptible_hrtimeout(self->wq, thread_woken(self),
						 timeout);
	/* a signal (kthreads normally get none) counts as a spurious wake */
	return ret == -ETIME ? KML_ETIMEDOUT : KML_OK;
}

void kml_thread_wake(struct kml_thread *t)
{
	if (!t)
		return;
	atomic_set(&t->wake_pending, 1);
	wake_up(&t->wq);
}
