// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * log_clock.c - kml_log_msg() on printk with the matching KERN_<level>, a
 * runtime threshold (also the module parameter log_level) and the
 * monotonic clock. The thread CPU clock is in thread.c.
 */
#include <linux/printk.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/sysfs.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
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
