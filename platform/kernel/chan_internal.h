/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * chan_internal.h - shared-mode channels inside kmlib.ko: what chan.c
 * (the client side and the registry), chan_user.c (what an attached
 * file may do) and chardev.c (the misc device) share.
 */
#ifndef KMLIB_CHAN_INTERNAL_H
#define KMLIB_CHAN_INTERNAL_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/irq_work.h>
#include "kmlib/chan.h"
#include "kmlib/publish.h"
#include "kmlib/platform.h"

struct kml_chan {
	struct kref ref; /* the client's, one per attached file */
	struct list_head node; /* in the registry while not destroyed */
	char name[KML_SHM_NAME_MAX];

	/* the ring: vmalloc_user memory, mapped read-only by user space */
	void *ring;
	size_t ring_bytes;
	struct kml_shm_ring_hdr *hdr;
	u8 *slots;
	u32 record_size;
	u32 slot_size;
	u64 capacity;
	/* the consumer page: user space writes it, we only read it */
	struct kml_shm_cons *cons;
	/* read-only view of the current parameters (shared.h), written
	 * under pub_lock (or before registration) only */
	struct kml_shm_weights *wview;
	size_t wview_bytes;

	/* authoritative state, never mapped */
	atomic64_t head; /* next position to reserve */
	atomic64_t tail_seen; /* largest valid consumer position seen */
	atomic64_t dropped;
	atomic64_t bad_tail;
	atomic64_t published;
	atomic64_t rejected;

	/* parameters: [u64 user version][param_bytes] in a kml_pub */
	struct kml_mem mem;
	struct kml_pub *pub;
	size_t param_bytes;
	u8 *stage; /* publish staging: 8 + param_bytes, under lock */
	u32 dtype;
	u32 ndim;
	u32 shape[KML_SHM_MAX_DIMS];
	u32 meta[KML_SHM_META];

	struct mutex lock; /* attach, detach, dead: short sections only */
	/* publish and params to user: they copy from/to user memory, which
	 * may take long, so they never hold lock (destroy takes it) */
	struct mutex pub_lock;
	const void *attached; /* the attached file, or NULL */
	u64 user_version; /* latest accepted, under pub_lock */
	bool dead; /* destroyed by the client */
	wait_queue_head_t wq;
	struct irq_work wake; /* wakes wq from any context, NMI included */
};

/* registry (chan.c) */
struct kml_chan *kml_chan_find_get(const char *name);
void kml_chan_put(struct kml_chan *c);
/* the consumer position after checking the consumer page */
u64 kml_chan_tail(struct kml_chan *c);
/* complete records at the consumer position (0 when none) */
u64 kml_chan_available(struct kml_chan *c);
bool kml_chan_dead(struct kml_chan *c);
/* copy the parameters just published into the read-only view */
void kml_chan_wview_update(struct kml_chan *c, const u8 *params, u64 version);

/* attached-file side (chan_user.c); errno-style returns */
int kml_chan_attach(struct kml_chan *c, const void *owner,
		    struct kml_shm_attach *a);
void kml_chan_detach(struct kml_chan *c, const void *owner);
int kml_chan_publish_user(struct kml_chan *c, const struct kml_shm_publish *p,
			  const void *area);
int kml_chan_params_user(struct kml_chan *c, struct kml_shm_params *p);

/* the misc device (chardev.c), registered by module.c */
int kml_chardev_init(void);
void kml_chardev_exit(void);

#endif /* KMLIB_CHAN_INTERNAL_H */
