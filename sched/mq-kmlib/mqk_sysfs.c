// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * /sys/block/<dev>/queue/iosched/: the tunables, with mq-deadline's names
 * and units (expiry times in milliseconds), and read-only statistics.
 */
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/sysfs.h>
#include <linux/ioprio.h>
#include <linux/string.h>

#include "mqk.h"
#include "mqk_shared.h"

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

#define MQK_LSTAT_ATTR(name, field)                                            \
	static ssize_t mqk_##name##_show(struct elevator_queue *e, char *page) \
	{                                                                      \
		struct mqk_data *d = e->elevator_data;                         \
		return mqk_show_u64(page, atomic64_read(&d->learn.field));     \
	}

MQK_LSTAT_ATTR(stat_predictions, predictions)
MQK_LSTAT_ATTR(stat_accuracy_ppm, accuracy_ppm)
MQK_LSTAT_ATTR(stat_baseline_ppm, baseline_ppm)
MQK_LSTAT_ATTR(stat_gate_open, gate_open)
MQK_LSTAT_ATTR(stat_gate_openings, gate_openings)
MQK_LSTAT_ATTR(stat_samples, samples)
MQK_LSTAT_ATTR(stat_train_steps, train_steps)
MQK_LSTAT_ATTR(stat_expedited, expedited)
MQK_LSTAT_ATTR(stat_rejected, rejected)
MQK_LSTAT_ATTR(stat_reject_over_budget, reject_over_budget)
MQK_LSTAT_ATTR(stat_deadline_misses, deadline_misses)
MQK_LSTAT_ATTR(stat_hook_ns, hook_ns)
MQK_LSTAT_ATTR(stat_train_ns, train_ns)

static ssize_t mqk_stat_samples_dropped_show(struct elevator_queue *e,
					     char *page)
{
	struct mqk_data *d = e->elevator_data;
	struct kml_ring_stats st;

	if (kml_ring_stats(d->learn.ring, &st))
		return -EIO;
	return mqk_show_u64(page, st.dropped);
}

static ssize_t mqk_stat_inflight_show(struct elevator_queue *e, char *page)
{
	struct mqk_data *d = e->elevator_data;

	return sysfs_emit(page, "%d\n", atomic_read(&d->learn.inflight));
}

static ssize_t mqk_stat_pred_overtaken_show(struct elevator_queue *e,
					    char *page)
{
	struct mqk_data *d = e->elevator_data;

	return sysfs_emit(page, "%u\n",
			  (unsigned int)atomic_read(&d->learn.pred_overtaken));
}

static ssize_t mqk_ring_capacity_show(struct elevator_queue *e, char *page)
{
	struct mqk_data *d = e->elevator_data;

	return mqk_show_u64(page, kml_ring_capacity(d->learn.ring));
}

static const char *const mqk_policy_names[MQK_NR_POLICIES] = { "off", "observe",
							       "expedite",
							       "reject" };

static ssize_t mqk_policy_show(struct elevator_queue *e, char *page)
{
	struct mqk_data *d = e->elevator_data;

	return sysfs_emit(page, "%s\n",
			  mqk_policy_names[READ_ONCE(d->learn.policy)]);
}

static ssize_t mqk_policy_store(struct elevator_queue *e, const char *page,
				size_t count)
{
	struct mqk_data *d = e->elevator_data;
	int i = sysfs_match_string(mqk_policy_names, page);

	if (i < 0)
		return -EINVAL;
	WRITE_ONCE(d->learn.policy, i);
	return count;
}

static const char *const mqk_model_names[MQK_NR_MODELS] = { "linear", "mlp" };

static ssize_t mqk_model_show(struct elevator_queue *e, char *page)
{
	struct mqk_data *d = e->elevator_data;

	return sysfs_emit(page, "%s\n",
			  mqk_model_names[READ_ONCE(d->learn.model_kind)]);
}

static ssize_t mqk_model_store(struct elevator_queue *e, const char *page,
			       size_t count)
{
	struct mqk_data *d = e->elevator_data;
	int i = sysfs_match_string(mqk_model_names, page);
	int err;

	if (i < 0)
		return -EINVAL;
	err = mqk_learn_set_model(d, i);
	return err ? err : count;
}

/* "none", or "<class>/<level>" as ionice and fio's prioclass/prio */
static ssize_t mqk_reject_prio_show(struct elevator_queue *e, char *page)
{
	struct mqk_data *d = e->elevator_data;
	int p = READ_ONCE(d->learn.reject_prio);

	if (p < 0)
		return sysfs_emit(page, "none\n");
	return sysfs_emit(page, "%d/%d\n", (int)IOPRIO_PRIO_CLASS(p),
			  (int)IOPRIO_PRIO_DATA(p));
}

static ssize_t mqk_reject_prio_store(struct elevator_queue *e, const char *page,
				     size_t count)
{
	struct mqk_data *d = e->elevator_data;
	unsigned int cls, lvl;
	char end;

	if (sysfs_streq(page, "none")) {
		WRITE_ONCE(d->learn.reject_prio, -1);
		return count;
	}
	if (sscanf(page, "%u/%u%c", &cls, &lvl, &end) < 2 ||
	    (sscanf(page, "%u/%u%c", &cls, &lvl, &end) == 3 && end != '\n'))
		return -EINVAL;
	if (cls < IOPRIO_CLASS_RT || cls > IOPRIO_CLASS_IDLE ||
	    lvl >= IOPRIO_NR_LEVELS)
		return -EINVAL;
	WRITE_ONCE(d->learn.reject_prio, IOPRIO_PRIO_VALUE(cls, lvl));
	return count;
}

/* rejections per second and queue at most (0: reject nothing) */
static ssize_t mqk_reject_max_show(struct elevator_queue *e, char *page)
{
	struct mqk_data *d = e->elevator_data;

	return mqk_show_u64(page, READ_ONCE(d->learn.reject_max));
}

static ssize_t mqk_reject_max_store(struct elevator_queue *e, const char *page,
				    size_t count)
{
	struct mqk_data *d = e->elevator_data;
	unsigned int v;
	int err = mqk_parse(page, 0, MQK_REJECT_MAX_LIMIT, &v);

	if (err)
		return err;
	WRITE_ONCE(d->learn.reject_max, v);
	return count;
}

static ssize_t mqk_train_paused_show(struct elevator_queue *e, char *page)
{
	struct mqk_data *d = e->elevator_data;

	return mqk_show_u64(page, READ_ONCE(d->learn.train_paused));
}

static ssize_t mqk_train_paused_store(struct elevator_queue *e,
				      const char *page, size_t count)
{
	struct mqk_data *d = e->elevator_data;
	unsigned int v;
	int err = mqk_parse(page, 0, 1, &v);

	if (err)
		return err;
	WRITE_ONCE(d->learn.train_paused, v);
	/* the lock keeps the thread from being replaced meanwhile */
	spin_lock_irq(&d->lock);
	if (!v)
		kml_thread_wake(d->learn.thread);
	spin_unlock_irq(&d->lock);
	return count;
}

static ssize_t mqk_gate_force_show(struct elevator_queue *e, char *page)
{
	struct mqk_data *d = e->elevator_data;

	return mqk_show_u64(page, READ_ONCE(d->learn.gate_force));
}

static ssize_t mqk_gate_force_store(struct elevator_queue *e, const char *page,
				    size_t count)
{
	struct mqk_data *d = e->elevator_data;
	unsigned int v;
	int err = mqk_parse(page, 0, 1, &v);

	if (err)
		return err;
	WRITE_ONCE(d->learn.gate_force, v);
	return count;
}

static ssize_t mqk_trace_samples_show(struct elevator_queue *e, char *page)
{
	struct mqk_data *d = e->elevator_data;

	return mqk_show_u64(page, READ_ONCE(d->learn.trace_samples));
}

static ssize_t mqk_trace_samples_store(struct elevator_queue *e,
				       const char *page, size_t count)
{
	struct mqk_data *d = e->elevator_data;
	unsigned int v;
	int err = mqk_parse(page, 0, MQK_TRACE_MAX, &v);

	if (!err)
		err = mqk_trace_resize(d, v);
	return err ? err : count;
}

#define MQK_RW(name) __ATTR(name, 0644, mqk_##name##_show, mqk_##name##_store)
#define MQK_RO(name) __ATTR(name, 0444, mqk_##name##_show, NULL)

struct elv_fs_entry mqk_attrs[] = {
	MQK_RW(read_expire),
	MQK_RW(write_expire),
	MQK_RW(writes_starved),
	MQK_RW(fifo_batch),
	MQK_RW(front_merges),
	MQK_RO(stat_inserted),
	MQK_RO(stat_dispatched),
	MQK_RO(stat_expired),
	MQK_RO(stat_merged),
	MQK_RO(stat_requests_merged),
	MQK_RO(mem_bytes),
	MQK_RW(policy),
	MQK_RW(model),
	MQK_RW(reject_prio),
	MQK_RW(reject_max),
	MQK_RW(train_paused),
	MQK_RW(train_mode),
	MQK_RW(gate_force),
	MQK_RW(trace_samples),
	MQK_RO(ring_capacity),
	MQK_RO(stat_predictions),
	MQK_RO(stat_pred_overtaken),
	MQK_RO(stat_accuracy_ppm),
	MQK_RO(stat_baseline_ppm),
	MQK_RO(stat_gate_open),
	MQK_RO(stat_gate_openings),
	MQK_RO(stat_samples),
	MQK_RO(stat_samples_dropped),
	MQK_RO(stat_train_steps),
	MQK_RO(stat_expedited),
	MQK_RO(stat_rejected),
	MQK_RO(stat_reject_over_budget),
	MQK_RO(stat_deadline_misses),
	MQK_RO(stat_hook_ns),
	MQK_RO(stat_train_ns),
	MQK_RO(stat_inflight),
	__ATTR_NULL,
};
