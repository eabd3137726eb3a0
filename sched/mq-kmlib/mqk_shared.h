/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * mqk_shared.h - mq-kmlib's shared mode (docs/shared-mode.md, "Scheduler
 * integration"): per queue, a /dev/kmlib channel "mq-kmlib-<disk>". With
 * sysfs train_mode = shared, the dispatch hook pushes each sample into the
 * channel instead of the training ring (so the training thread idles),
 * predictions use the weights a user-space trainer published, and the
 * dispatch hook feeds the adaptive gate with those predictions against
 * the outcomes (kernel mode: the training thread does); with train_mode =
 * kernel (the default) nothing changes. A switch resets the gate.
 */
#ifndef MQK_SHARED_H
#define MQK_SHARED_H

#include "mqk.h"

enum mqk_train_mode { MQK_TRAIN_KERNEL = 0, MQK_TRAIN_SHARED = 1 };

/* init_sched, after mqk_learn_init (may sleep). Without a channel (name
 * taken, no memory) the queue still works, in kernel mode only. */
void mqk_shared_init(struct mqk_data *d, struct request_queue *q);
/* exit_sched, queue drained, before mqk_learn_exit: an attached trainer
 * sees the channel die (POLLHUP, ENODEV) and ends. */
void mqk_shared_exit(struct mqk_data *d);

/* Hot path (any context, never sleeps): the completed sample to the
 * channel (shared) or the training ring (kernel); KML_EAGAIN = dropped. */
int mqk_shared_sample(struct mqk_learn *l, const struct mqk_sample *s);
/* Hot path: is the queue in shared mode (predictions: linear weights
 * from the channel, whatever the sysfs model)? */
bool mqk_shared_on(const struct mqk_learn *l);
/* Hot path, shared mode only: a copy of the linear weights the
 * user-space trainer published (version 0 = untrained); KML_EAGAIN if
 * publishes overtook every copy attempt. Kernel mode predicts in place
 * from the training thread's publication (mqk_predict.h). */
int mqk_shared_weights(struct mqk_learn *l, int32_t *w, size_t size,
		       u64 *version);

/* sysfs train_mode: "kernel" or "shared" */
ssize_t mqk_train_mode_show(struct elevator_queue *e, char *page);
ssize_t mqk_train_mode_store(struct elevator_queue *e, const char *page,
			     size_t count);

#endif /* MQK_SHARED_H */
