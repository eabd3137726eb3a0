// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mq-kmlib's shared mode: the queue's samples go to a /dev/kmlib channel
 * and its predictions use the int32 Q16.16 weights a user-space trainer
 * (kmlib-trainer --format mqk) publishes there. Everything on the hot
 * path is a lock-free kmlib call; the mode is one word read with
 * READ_ONCE, so a switch takes effect at the next request.
 */
#include <linux/kernel.h>
#include <linux/build_bug.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "kmlib/chan.h"

#include "mqk_shared.h"
#include "mqk_shared_abi.h"

struct mqk_shared {
	struct kml_chan *chan;
	int mode; /* enum mqk_train_mode, READ_ONCE */
	char name[KML_SHM_NAME_MAX];
};

static int mqk_shared_mode(const struct mqk_learn *l)
{
	return l->shared ? READ_ONCE(l->shared->mode) : MQK_TRAIN_KERNEL;
}

void mqk_shared_init(struct mqk_data *d, struct request_queue *q)
{
	struct kml_chan_cfg cfg = {
		.record_size = sizeof(struct mqk_sample),
		.capacity = MQK_SHARED_CAPACITY,
		.dtype = KML_SHM_I32,
		.ndim = 1,
		.shape = { MQK_SHARED_NW },
		.initial = NULL, /* zeros, version 0: "untrained" */
	};
	struct mqk_shared *sh;
	void *p;
	int n;

	/* the trainer's layout is the one the hooks use */
	BUILD_BUG_ON(MQK_SHARED_NW != MQK_NW);
	BUILD_BUG_ON(MQK_SHARED_BATCH != MQK_BATCH);
	BUILD_BUG_ON(MQK_SHARED_HIDDEN != MQK_HIDDEN);
	BUILD_BUG_ON(MQK_SHARED_MLP_NW != MQK_MLP_NW);
	BUILD_BUG_ON(MQK_MODEL_LINEAR != 0 || MQK_MODEL_MLP != 1);
	if (!q->disk ||
	    kml_alloc(&d->mem, sizeof(*sh), KML_MEM_SLEEP | KML_MEM_ZERO, &p))
		return;
	sh = p;
	n = snprintf(sh->name, sizeof(sh->name), MQK_SHARED_PREFIX "%s",
		     q->disk->disk_name);
	cfg.name = sh->name;
	cfg.meta[MQK_SHARED_META_FEATURES] = MQK_NFEAT;
	cfg.meta[MQK_SHARED_META_TARGETS] = 1;
	cfg.meta[MQK_SHARED_META_FORMAT] = MQK_SHARED_FORMAT;
	if (n < 0 || n >= (int)sizeof(sh->name) ||
	    kml_chan_create(&sh->chan, &cfg) != KML_OK) {
		pr_info("mq-kmlib: %s: no shared-mode channel\n",
			q->disk->disk_name);
		kml_free(&d->mem, sh);
		return;
	}
	d->learn.shared = sh;
}

void mqk_shared_exit(struct mqk_data *d)
{
	struct mqk_shared *sh = d->learn.shared;

	if (!sh)
		return;
	d->learn.shared = NULL;
	kml_chan_destroy(sh->chan);
	kml_free(&d->mem, sh);
}

int mqk_shared_sample(struct mqk_learn *l, const struct mqk_sample *s)
{
	if (mqk_shared_mode(l) == MQK_TRAIN_SHARED)
		return kml_chan_push(l->shared->chan, s);
	return mqk_learn_enqueue(l, s);
}

bool mqk_shared_on(const struct mqk_learn *l)
{
	return mqk_shared_mode(l) == MQK_TRAIN_SHARED;
}

int mqk_shared_weights(struct mqk_learn *l, int32_t *w, size_t size,
		       u64 *version)
{
	return kml_chan_params(l->shared->chan, w, size, version);
}

static const char *const mqk_train_mode_names[] = { "kernel", "shared" };

ssize_t mqk_train_mode_show(struct elevator_queue *e, char *page)
{
	struct mqk_data *d = e->elevator_data;

	return sysfs_emit(page, "%s\n",
			  mqk_train_mode_names[mqk_shared_mode(&d->learn)]);
}

ssize_t mqk_train_mode_store(struct elevator_queue *e, const char *page,
			     size_t count)
{
	struct mqk_data *d = e->elevator_data;
	int i = sysfs_match_string(mqk_train_mode_names, page);

	if (i < 0)
		return -EINVAL;
	if (!d->learn.shared)
		return -ENODEV; /* no channel: kernel mode only */
	if (i == READ_ONCE(d->learn.shared->mode))
		return count;
	WRITE_ONCE(d->learn.shared->mode, i);
	/* the window judged the other trainer's weights */
	mqk_learn_gate_reset(d);
	return count;
}
