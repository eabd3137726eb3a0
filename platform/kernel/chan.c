// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * chan.c - shared-mode channels, the kernel client's side: create and
 * destroy, the registry /dev/kmlib looks names up in, the lock-free push
 * and the lock-free parameter read (docs/shared-mode.md).
 *
 * The ring lives in vmalloc_user() memory that user space maps read-only.
 * Everything the kernel relies on (head, the consumer position it
 * accepted, counters) stays in struct kml_chan, which is never mapped.
 * The only value user space writes is its position in the consumer
 * page; it is read once per use and ignored unless it lies between the
 * last accepted position and the head, so a hostile process can at worst
 * make its own copies wrong or make pushes drop.
 */
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/string.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include "chan_internal.h"

static LIST_HEAD(chan_list);
static DEFINE_MUTEX(chan_list_lock);

static size_t dtype_bytes(u32 dtype)
{
	switch (dtype) {
	case KML_SHM_F32:
	case KML_SHM_I32:
		return 4;
	case KML_SHM_F64:
		return 8;
	default:
		return 0;
	}
}

static void chan_wake(struct irq_work *w)
{
	struct kml_chan *c = container_of(w, struct kml_chan, wake);

	wake_up_interruptible_all(&c->wq);
}

static void chan_release(struct kref *ref)
{
	struct kml_chan *c = container_of(ref, struct kml_chan, ref);

	kml_pub_destroy(c->pub);
	vfree(c->stage);
	vfree(c->cons);
	vfree(c->wview);
	vfree(c->ring);
	kfree(c);
}

void kml_chan_put(struct kml_chan *c)
{
	if (c)
		kref_put(&c->ref, chan_release);
}

struct kml_chan *kml_chan_find_get(const char *name)
{
	struct kml_chan *c, *found = NULL;

	mutex_lock(&chan_list_lock);
	list_for_each_entry(c, &chan_list, node) {
		if (!strcmp(c->name, name)) {
			kref_get(&c->ref);
			found = c;
			break;
		}
	}
	mutex_unlock(&chan_list_lock);
	return found;
}

/* Parameter size from the shape, or 0 if the config is not valid. */
static size_t cfg_param_bytes(const struct kml_chan_cfg *cfg)
{
	size_t n = dtype_bytes(cfg->dtype);
	u32 i;

	if (!n || cfg->ndim < 1 || cfg->ndim > KML_SHM_MAX_DIMS)
		return 0;
	for (i = 0; i < KML_SHM_MAX_DIMS; i++) {
		if (i >= cfg->ndim) {
			if (cfg->shape[i])
				return 0;
			continue;
		}
		if (!cfg->shape[i] || !kml_size_mul(n, cfg->shape[i], &n) ||
		    n > KML_SHM_MAX_PARAM_BYTES)
			return 0;
	}
	return n;
}

static int chan_alloc_areas(struct kml_chan *c, const struct kml_chan_cfg *cfg)
{
	size_t slots_bytes;

	c->record_size = cfg->record_size;
	c->slot_size = 8 + ALIGN(cfg->record_size, 8);
	c->capacity = cfg->capacity;
	slots_bytes = (size_t)c->slot_size * cfg->capacity;
	if (slots_bytes > KML_SHM_MAX_RING_BYTES - KML_SHM_PAGE)
		return KML_ERANGE;
	c->ring_bytes = PAGE_ALIGN(PAGE_SIZE + slots_bytes);
	c->ring = vmalloc_user(c->ring_bytes); /* zeroed */
	c->cons = vmalloc_user(PAGE_SIZE);
	c->stage = vmalloc(8 + c->param_bytes);
	c->wview_bytes = PAGE_ALIGN(sizeof(*c->wview) + c->param_bytes);
	c->wview = vmalloc_user(c->wview_bytes);
	if (!c->ring || !c->cons || !c->stage || !c->wview)
		return KML_ENOMEM;
	c->hdr = c->ring;
	c->slots = (u8 *)c->ring + PAGE_SIZE;
	c->hdr->magic = KML_SHM_RING_MAGIC;
	c->hdr->abi_version = KML_SHM_ABI_VERSION;
	c->hdr->record_size = c->record_size;
	c->hdr->slot_size = c->slot_size;
	c->hdr->capacity = c->capacity;
	c->hdr->data_offset = PAGE_SIZE;
	/* slot i is free for position i: seq 0 never equals pos + 1 */
	return KML_OK;
}

int kml_chan_create(struct kml_chan **out, const struct kml_chan_cfg *cfg)
{
	struct kml_chan *c, *o;
	size_t len;
	int ret;

	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!cfg || !cfg->name)
		return KML_EINVAL;
	len = strnlen(cfg->name, KML_SHM_NAME_MAX);
	if (!len || len >= KML_SHM_NAME_MAX || !cfg->record_size ||
	    cfg->record_size > KML_SHM_MAX_RECORD || cfg->capacity < 2 ||
	    cfg->capacity > KML_SHM_MAX_CAPACITY ||
	    !is_power_of_2(cfg->capacity))
		return KML_EINVAL;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return KML_ENOMEM;
	kref_init(&c->ref);
	INIT_LIST_HEAD(&c->node);
	memcpy(c->name, cfg->name, len);
	mutex_init(&c->lock);
	mutex_init(&c->pub_lock);
	init_waitqueue_head(&c->wq);
	init_irq_work(&c->wake, chan_wake);
	kml_mem_init(&c->mem, "kml_chan", 0);
	c->dtype = cfg->dtype;
	c->ndim = cfg->ndim;
	memcpy(c->shape, cfg->shape, sizeof(c->shape));
	memcpy(c->meta, cfg->meta, sizeof(c->meta));
	c->param_bytes = cfg_param_bytes(cfg);
	ret = c->param_bytes ? chan_alloc_areas(c, cfg) : KML_EINVAL;
	if (!ret) {
		memset(c->stage, 0, 8 + c->param_bytes);
		if (cfg->initial)
			memcpy(c->stage + 8, cfg->initial, c->param_bytes);
		ret = kml_pub_create(&c->pub, &c->mem, 8 + c->param_bytes, 3,
				     c->stage);
		if (!ret)
			kml_chan_wview_update(c, c->stage + 8, 0);
	}
	if (ret) {
		kml_chan_put(c);
		return ret;
	}

	mutex_lock(&chan_list_lock);
	list_for_each_entry(o, &chan_list, node) {
		if (!strcmp(o->name, c->name)) {
			mutex_unlock(&chan_list_lock);
			kml_chan_put(c);
			return KML_EBUSY;
		}
	}
	list_add_tail(&c->node, &chan_list);
	mutex_unlock(&chan_list_lock);
	*out = c;
	return KML_OK;
}

void kml_chan_destroy(struct kml_chan *c)
{
	if (!c)
		return;
	mutex_lock(&chan_list_lock);
	list_del_init(&c->node);
	mutex_unlock(&chan_list_lock);
	mutex_lock(&c->lock);
	c->dead = true;
	mutex_unlock(&c->lock);
	wake_up_interruptible_all(&c->wq);
	/* no push follows: a queued wake-up is the last use of wake */
	irq_work_sync(&c->wake);
	kml_chan_put(c);
}

/*
 * A sequence count with one writer (pub_lock, or creation): odd while
 * the view changes. User space may read at any time and retries.
 */
void kml_chan_wview_update(struct kml_chan *c, const u8 *params, u64 version)
{
	u64 seq = c->wview->seq;

	WRITE_ONCE(c->wview->seq, seq + 1);
	smp_wmb();
	WRITE_ONCE(c->wview->version, version);
	memcpy(c->wview + 1, params, c->param_bytes);
	smp_store_release(&c->wview->seq, seq + 2);
}

bool kml_chan_dead(struct kml_chan *c)
{
	return READ_ONCE(c->dead);
}

u64 kml_chan_tail(struct kml_chan *c)
{
	u64 seen = atomic64_read(&c->tail_seen);
	u64 t = READ_ONCE(c->cons->tail);
	u64 old;

	if (t == seen)
		return seen;
	/* read after tail_seen: the head is at least what it was then */
	if (t < seen || t > (u64)atomic64_read(&c->head)) {
		atomic64_inc(&c->bad_tail);
		return seen;
	}
	/* keep the largest valid value (several producers race here) */
	for (;;) {
		old = atomic64_cmpxchg(&c->tail_seen, seen, t);
		if (old == seen)
			return t;
		if (old >= t)
			return old;
		seen = old;
	}
}

static u64 *slot_seq(struct kml_chan *c, u64 pos)
{
	return (u64 *)(c->slots + (pos & (c->capacity - 1)) * c->slot_size);
}

u64 kml_chan_available(struct kml_chan *c)
{
	u64 t = kml_chan_tail(c);

	if (smp_load_acquire(slot_seq(c, t)) != t + 1)
		return 0;
	return (u64)atomic64_read(&c->head) - t;
}

int kml_chan_push(struct kml_chan *c, const void *rec)
{
	u64 pos, tail, old;
	u64 *seq;

	if (!c || !rec)
		return KML_EINVAL;
	pos = atomic64_read(&c->head);
	for (;;) {
		tail = kml_chan_tail(c);
		if (tail > pos) { /* our head is stale */
			pos = atomic64_read(&c->head);
			continue;
		}
		if (pos - tail >= c->capacity) {
			atomic64_inc(&c->dropped);
			return KML_EAGAIN;
		}
		old = atomic64_cmpxchg(&c->head, pos, pos + 1);
		if (old == pos)
			break;
		pos = old;
	}
	/* position pos is ours alone: mark it busy, fill, then complete */
	seq = slot_seq(c, pos);
	WRITE_ONCE(*seq, KML_SHM_SEQ_BUSY);
	smp_wmb();
	memcpy(seq + 1, rec, c->record_size);
	smp_store_release(seq, pos + 1);
	WRITE_ONCE(c->hdr->head, (u64)atomic64_read(&c->head));
	/* wq_has_sleeper() orders the record before the waiter check */
	if (wq_has_sleeper(&c->wq))
		irq_work_queue(&c->wake);
	return KML_OK;
}

/*
 * Hot path (mq-kmlib's shared mode, every insertion): an optimistic copy
 * (kml_pub_begin / kml_pub_retry), no atomic read-modify-write on the
 * publication's lines, unlike a pin and unpin. The version travels in
 * the buffer's first 8 bytes, so it is checked with the weights.
 */
int kml_chan_params(struct kml_chan *c, void *dst, size_t size,
		    uint64_t *version)
{
	struct kml_pub_seq s;
	u64 v;
	int tries;

	if (!c || !dst || size != c->param_bytes)
		return KML_EINVAL;
	for (tries = 0; tries < KML_PUB_READ_TRIES; tries++) {
		if (kml_pub_begin(c->pub, &s))
			return KML_EINVAL;
		memcpy(dst, (const u8 *)s.data + 8, size);
		v = *(const u64 *)s.data;
		if (kml_pub_retry(&s) == KML_OK) {
			if (version)
				*version = v;
			return KML_OK;
		}
	}
	return KML_EAGAIN;
}

int kml_chan_stats(struct kml_chan *c, struct kml_shm_stats *st)
{
	u64 head;

	if (!c || !st)
		return KML_EINVAL;
	memset(st, 0, sizeof(*st));
	st->consumed = kml_chan_tail(c);
	head = (u64)atomic64_read(&c->head);
	st->dropped = (u64)atomic64_read(&c->dropped);
	st->produced = head + st->dropped;
	st->available = kml_chan_available(c);
	st->published = (u64)atomic64_read(&c->published);
	st->rejected = (u64)atomic64_read(&c->rejected);
	st->version = READ_ONCE(c->user_version);
	st->bad_tail = (u64)atomic64_read(&c->bad_tail);
	st->attached = READ_ONCE(c->attached) ? 1 : 0;
	st->dead = READ_ONCE(c->dead) ? 1 : 0;
	return KML_OK;
}

size_t kml_chan_param_bytes(const struct kml_chan *c)
{
	return c ? c->param_bytes : 0;
}
