// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * chan_user.c - what a file attached to a channel may do: attach (one
 * file per channel), detach, publish parameters after validation, read
 * the current parameters. Process context. Attach and detach take the
 * channel's lock; publish and params take pub_lock, which nothing else
 * waits for, because their user copies may be slow (a process can only
 * stall itself). Pushes and kml_chan_params take neither.
 * Returns are negative errnos for the ioctl layer.
 */
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/kernel.h>
#include "chan_internal.h"

int kml_chan_attach(struct kml_chan *c, const void *owner,
		    struct kml_shm_attach *a)
{
	u64 t;

	mutex_lock(&c->lock);
	if (c->dead) {
		mutex_unlock(&c->lock);
		return -ENODEV;
	}
	if (c->attached) {
		mutex_unlock(&c->lock);
		return -EBUSY;
	}
	c->attached = owner;
	/* a previous trainer may have left anything in the page */
	t = kml_chan_tail(c);
	WRITE_ONCE(c->cons->tail, t);
	mutex_unlock(&c->lock);

	a->record_size = c->record_size;
	a->slot_size = c->slot_size;
	a->capacity = c->capacity;
	a->ring_bytes = c->ring_bytes;
	a->cons_bytes = PAGE_SIZE;
	a->tail = t;
	a->param_bytes = c->param_bytes;
	a->dtype = c->dtype;
	a->ndim = c->ndim;
	memcpy(a->shape, c->shape, sizeof(a->shape));
	memcpy(a->meta, c->meta, sizeof(a->meta));
	return 0;
}

void kml_chan_detach(struct kml_chan *c, const void *owner)
{
	mutex_lock(&c->lock);
	if (c->attached == owner)
		c->attached = NULL;
	mutex_unlock(&c->lock);
}

/* NaN and infinities have an all-ones exponent: integer tests only. */
static bool all_finite(const u8 *p, size_t n, u32 dtype)
{
	size_t i;

	if (dtype == KML_SHM_F32) {
		const u32 *w = (const u32 *)p;

		for (i = 0; i < n / 4; i++)
			if ((w[i] & 0x7f800000u) == 0x7f800000u)
				return false;
	} else if (dtype == KML_SHM_F64) {
		const u64 *w = (const u64 *)p;

		for (i = 0; i < n / 8; i++)
			if ((w[i] & 0x7ff0000000000000ull) ==
			    0x7ff0000000000000ull)
				return false;
	}
	return true;
}

static int check_publish(struct kml_chan *c, const struct kml_shm_publish *p,
			 const void *area)
{
	u32 i;

	if ((p->flags & ~KML_SHM_PUB_AREA) || p->reserved)
		return -EINVAL;
	/* from the area: no pointer; before the area is mapped: nothing */
	if ((p->flags & KML_SHM_PUB_AREA) && p->data)
		return -EINVAL;
	if (p->dtype != c->dtype)
		return -EPROTOTYPE; /* wrong dtype */
	if (p->ndim != c->ndim)
		return -EDOM; /* wrong shape */
	for (i = 0; i < KML_SHM_MAX_DIMS; i++)
		if (p->shape[i] != (i < c->ndim ? c->shape[i] : 0))
			return -EDOM;
	if (p->length != c->param_bytes)
		return -EMSGSIZE;
	if (p->flags & KML_SHM_PUB_AREA) {
		if (!area)
			return -ENXIO;
	} else if (!p->data) {
		return -EFAULT;
	}
	if (p->version <= c->user_version)
		return -ESTALE; /* versions only grow */
	return 0;
}

/*
 * @area: the file's mapped parameter area (at least param_bytes), or NULL
 * if it has none. Whatever the source, the bytes are copied into stage
 * first and only that copy is validated and published: user space may
 * rewrite its area (or buffer) at any time without effect on either.
 */
int kml_chan_publish_user(struct kml_chan *c, const struct kml_shm_publish *p,
			  const void *area)
{
	int ret;

	mutex_lock(&c->pub_lock);
	if (READ_ONCE(c->dead)) {
		ret = -ENODEV;
		goto out;
	}
	ret = check_publish(c, p, area);
	if (ret)
		goto out;
	if (p->flags & KML_SHM_PUB_AREA)
		memcpy(c->stage + 8, area, c->param_bytes);
	else if (copy_from_user(c->stage + 8, u64_to_user_ptr(p->data),
				c->param_bytes)) {
		ret = -EFAULT;
		goto out;
	}
	if (!all_finite(c->stage + 8, c->param_bytes, c->dtype)) {
		ret = -ERANGE;
		goto out;
	}
	*(u64 *)c->stage = p->version;
	/* one writer (pub_lock); EBUSY only if readers pinned 2 buffers */
	ret = kml_pub_publish(c->pub, c->stage, 8 + c->param_bytes, NULL);
	if (ret) {
		ret = -EAGAIN;
		goto out;
	}
	WRITE_ONCE(c->user_version, p->version);
	kml_chan_wview_update(c, c->stage + 8, p->version);
	atomic64_inc(&c->published);
out:
	if (ret)
		atomic64_inc(&c->rejected);
	mutex_unlock(&c->pub_lock);
	return ret;
}

int kml_chan_params_user(struct kml_chan *c, struct kml_shm_params *p)
{
	struct kml_pub_view v;
	int ret = 0;

	if (p->length < c->param_bytes)
		return -EMSGSIZE;
	if (!p->data)
		return -EFAULT;
	mutex_lock(&c->pub_lock);
	/* we are the only writer: the pin cannot miss */
	if (kml_pub_pin(c->pub, &v)) {
		mutex_unlock(&c->pub_lock);
		return -EAGAIN;
	}
	if (copy_to_user(u64_to_user_ptr(p->data), (const u8 *)v.data + 8,
			 c->param_bytes))
		ret = -EFAULT;
	p->version = *(const u64 *)v.data;
	kml_pub_unpin(c->pub, &v);
	mutex_unlock(&c->pub_lock);
	return ret;
}
