// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * log_clock.c - kml_log_msg() on printk with the matching KERN_<level>, a
 * runtime threshold (also the module parameter log_level), the monotonic
 * clock and the current task's CPU clock.
 */
#include <linux/printk.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/sysfs.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/irqflags.h>
#include "kmlib/platform.h"

static atomic_t kml_log_level = ATOMIC_INIT(KML_LOG_WARN);

void kml_log_msg(int level, const char *fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	if (level > atomic_read(&kml_log_level))
		return;
	level = clamp(level, 0, 7); /* printk knows levels 0..7 */
	va_start(ap, fmt);
	vaf.fmt = fmt;
	vaf.va = &ap;
	printk("%c%c%pV", KERN_SOH_ASCII, '0' + level, &vaf);
	va_end(ap);
}

void kml_log_set_level(int level)
{
	atomic_set(&kml_log_level, level);
}

int kml_log_get_level(void)
{
	return atomic_read(&kml_log_level);
}

uint64_t kml_time_ns(void)
{
	return ktime_get_ns();
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
uint64_t kml_thread_cpu_ns(void)
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

static int log_level_set(const char *val, const struct kernel_param *kp)
{
	int level, ret = kstrtoint(val, 0, &level);

	if (ret)
		return ret;
	kml_log_set_level(level);
	return 0;
}

static int log_level_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", kml_log_get_level());
}

static const struct kernel_param_ops log_level_ops = {
	.set = log_level_set,
	.get = log_level_get,
};

module_param_cb(log_level, &log_level_ops, NULL, 0644);
MODULE_PARM_DESC(log_level,
		 "kml_log_msg() threshold: 3 err, 4 warn, 6 info, 7 debug");
