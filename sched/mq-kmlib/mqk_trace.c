// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Trace export: /sys/kernel/debug/block/<dev>/sched/trace, text format v1
 * of mqk_sample.h (docs/sched.md, "Trace"). Dispatch copies every sample
 * into a second dropping ring that exists only while sysfs trace_samples
 * is non-zero; reading the file drains it.
 *
 * The seq_file iterator keeps the record it stands on in trace_cur: when
 * a line does not fit the reader's buffer, seq_file starts again at the
 * same position and gets that record again, so nothing is lost or shown
 * twice. trace_mutex serialises readers and resizing (held from start to
 * stop); the ring pointer itself also changes under the queue lock, which
 * the producer (dispatch) holds.
 */
#include <linux/seq_file.h>

#include "mqk.h"

#define MQK_TRACE_HEADER                                                       \
	"# mq-kmlib trace v1\n"                                                \
	"# columns: op sector sectors capacity queued_same queued_other "      \
	"inflight recent_wait_us since_last_us deadline_us predicted_us "      \
	"slack_us flags wait_us\n"

/* 0 frees the ring; else a power of two up to MQK_TRACE_MAX. */
int mqk_trace_resize(struct mqk_data *d, unsigned int samples)
{
	struct mqk_learn *l = &d->learn;
	struct kml_ring *fresh = NULL, *old;
	struct mqk_sample *cur = NULL, *old_cur;
	void *p;
	struct kml_ring_config rc = {
		.capacity = samples,
		.record_size = sizeof(struct mqk_sample),
		.mode = KML_RING_DROP_NEWEST,
		.flags = KML_RING_MP,
	};

	if (samples && (samples < 2 || samples > MQK_TRACE_MAX ||
			(samples & (samples - 1))))
		return -EINVAL;
	if (samples) {
		/* the reader's record too: no trace, no bytes */
		if (kml_alloc(&d->mem, sizeof(*cur), KML_MEM_SLEEP, &p))
			return -ENOMEM;
		cur = p;
		if (kml_ring_create(&fresh, &d->mem, &rc)) {
			kml_free(&d->mem, cur);
			return -ENOMEM;
		}
	}
	mutex_lock(&l->trace_mutex);
	spin_lock_irq(&d->lock);
	old = l->trace;
	l->trace = fresh;
	l->trace_samples = samples;
	spin_unlock_irq(&d->lock);
	old_cur = l->trace_cur;
	l->trace_cur = cur;
	l->trace_cur_valid = false;
	mutex_unlock(&l->trace_mutex);
	kml_ring_destroy(old); /* no producer can hold it: they hold the lock */
	kml_free(&d->mem, old_cur);
	return 0;
}

#ifdef CONFIG_BLK_DEBUG_FS
static struct mqk_data *mqk_trace_data(struct seq_file *m)
{
	struct request_queue *q = m->private;

	return q->elevator->elevator_data;
}

/* The record at the iterator, taking the next one when there is none. */
static void *mqk_trace_at(struct mqk_learn *l)
{
	if (!l->trace_cur_valid && l->trace &&
	    kml_ring_dequeue(l->trace, l->trace_cur) == KML_OK)
		l->trace_cur_valid = true;
	return l->trace_cur_valid ? l->trace_cur : NULL;
}

static void *mqk_trace_start(struct seq_file *m, loff_t *pos)

{
	struct mqk_learn *l = &mqk_trace_data(m)->learn;

	mutex_lock(&l->trace_mutex);
	if (*pos == 0)
		return SEQ_START_TOKEN;
	return mqk_trace_at(l);
}

static void *mqk_trace_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct mqk_learn *l = &mqk_trace_data(m)->learn;

	++*pos;
	if (v != SEQ_START_TOKEN)
		l->trace_cur_valid = false; /* shown: consumed */
	return mqk_trace_at(l);
}

static void mqk_trace_stop(struct seq_file *m, void *v)

{
	mutex_unlock(&mqk_trace_data(m)->learn.trace_mutex);
}

static int mqk_trace_show(struct seq_file *m, void *v)
{
	const struct mqk_sample *s = v;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, MQK_TRACE_HEADER);
		return 0;
	}
	seq_printf(m, "%u %llu %u %llu %u %u %u %u %u %u %d %d %u %u\n", s->op,
		   (unsigned long long)s->sector, s->sectors,
		   (unsigned long long)s->capacity, s->queued_same,
		   s->queued_other, s->inflight, s->recent_wait_us,
		   s->since_last_us, s->deadline_us, s->predicted_us,
		   s->slack_us, s->flags, s->wait_us);
	return 0;
}

static const struct seq_operations mqk_trace_seq_ops = {
	.start = mqk_trace_start,
	.next = mqk_trace_next,
	.stop = mqk_trace_stop,
	.show = mqk_trace_show,
};

const struct blk_mq_debugfs_attr mqk_debugfs_attrs[] = {
	{ "trace", 0400, .seq_ops = &mqk_trace_seq_ops },
	{},
};
#endif
