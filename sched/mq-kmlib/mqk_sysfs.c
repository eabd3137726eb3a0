// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * /sys/block/<dev>/queue/iosched/: the tunables, with mq-deadline's names
 * and units (expiry times in milliseconds), and read-only statistics.
 */
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/sysfs.h>

#include "mqk.h"

static ssize_t mqk_show_u64(char *page, u64 v)
{
	return sysfs_emit(page, "%llu\n", (unsigned long long)v);
}

static int mqk_parse(const char *page, unsigned int min, unsigned int max,
		     unsigned int *out)
{
	unsigned int v;
	int err = kstrtouint(page, 10, &v);

	if (err)
		return err;
	if (v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

#define MQK_EXPIRE_ATTR(name, dir)                                             \
	static ssize_t mqk_##name##_show(struct elevator_queue *e, char *page) \
	{                                                                      \
		struct mqk_data *d = e->elevator_data;                         \
		return mqk_show_u64(page, jiffies_to_msecs(d->expire[dir]));   \
	}                                                                      \
	static ssize_t mqk_##name##_store(struct elevator_queue *e,            \
					  const char *page, size_t count)      \
	{                                                                      \
		struct mqk_data *d = e->elevator_data;                         \
		unsigned int ms;                                               \
		int err = mqk_parse(page, 0, INT_MAX, &ms);                    \
		if (err)                                                       \
			return err;                                            \
		WRITE_ONCE(d->expire[dir], msecs_to_jiffies(ms));              \
		return count;                                                  \
	}

#define MQK_UINT_ATTR(name, min, max)                                          \
	static ssize_t mqk_##name##_show(struct elevator_queue *e, char *page) \
	{                                                                      \
		struct mqk_data *d = e->elevator_data;                         \
		return mqk_show_u64(page, READ_ONCE(d->name));                 \
	}                                                                      \
	static ssize_t mqk_##name##_store(struct elevator_queue *e,            \
					  const char *page, size_t count)      \
	{                                                                      \
		struct mqk_data *d = e->elevator_data;                         \
		unsigned int v;                                                \
		int err = mqk_parse(page, min, max, &v);                       \
		if (err)                                                       \
			return err;                                            \
		WRITE_ONCE(d->name, v);                                        \
		return count;                                                  \
	}

/* counters are read under the lock: u64 tearing is not an issue on x86-64,
 * but the lock keeps the snapshot of each one exact anywhere */
#define MQK_STAT_ATTR(name, expr)                                              \
	static ssize_t mqk_##name##_show(struct elevator_queue *e, char *page) \
	{                                                                      \
		struct mqk_data *d = e->elevator_data;                         \
		u64 v;                                                         \
		spin_lock_irq(&d->lock);                                       \
		v = (expr);                                                    \
		spin_unlock_irq(&d->lock);                                     \
		return mqk_show_u64(page, v);                                  \
	}

MQK_EXPIRE_ATTR(read_expire, MQK_READ)
MQK_EXPIRE_ATTR(write_expire, MQK_WRITE)
MQK_UINT_ATTR(writes_starved, 0, INT_MAX)
MQK_UINT_ATTR(fifo_batch, 1, INT_MAX)
MQK_UINT_ATTR(front_merges, 0, 1)
MQK_STAT_ATTR(stat_inserted, d->inserted)
MQK_STAT_ATTR(stat_dispatched, d->dispatched)
MQK_STAT_ATTR(stat_expired, d->expired_dispatches)
MQK_STAT_ATTR(stat_merged, d->merged)
MQK_STAT_ATTR(stat_requests_merged, d->rq_merged)
MQK_STAT_ATTR(mem_bytes, kml_mem_current(&d->mem))

#define MQK_RW(name) __ATTR(name, 0644, mqk_##name##_show, mqk_##name##_store)
#define MQK_RO(name) __ATTR(name, 0444, mqk_##name##_show, NULL)

struct elv_fs_entry mqk_attrs[] = {
	MQK_RW(read_expire),	 MQK_RW(write_expire),
	MQK_RW(writes_starved),	 MQK_RW(fifo_batch),
	MQK_RW(front_merges),	 MQK_RO(stat_inserted),
	MQK_RO(stat_dispatched), MQK_RO(stat_expired),
	MQK_RO(stat_merged),	 MQK_RO(stat_requests_merged),
	MQK_RO(mem_bytes),	 __ATTR_NULL,
};
