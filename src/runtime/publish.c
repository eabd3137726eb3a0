// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * publish.c - lock-free snapshot publication (one writer, many readers).
 *
 * Each buffer has a generation counter, odd while the writer fills it
 * (a seqlock per buffer), the version it holds, and a pin count. The
 * writer only fills a buffer that is not current and not pinned, then
 * stores it as current. A copying reader validates its copy with the
 * generation (it only fails if the writer reused the very buffer it was
 * copying, i.e. after at least one complete publish). A pinning reader
 * increments the pin count and then checks that the buffer is still
 * current; the writer stores current, issues a full barrier and only then
 * looks at pin counts, so one of the two always sees the other (Dekker).
 * Copies bytes only: no float code.
 */
#include "kmlib/publish.h"
#include "shared_copy.h"

#define KML_PUB_LINE 64

/*
 * Layout: the read-only header (one line), the writer's state at byte 64
 * (a fixed offset: readers find cur_buf without a lookup), the buffers'
 * control blocks (struct kml_pub_buf, each followed by its pin count), then
 * the data. The header points to each control block and pin count. By
 * default the writer's state, each pub_buf and each pin count start a
 * cache line of their own; with KML_PUB_COMPACT all are packed (8-byte
 * aligned).
 */
_Static_assert(__builtin_offsetof(struct kml_pub, cur_buf) == KML_PUB_LINE,
	       "the writer's state starts the second line");

static inline struct kml_pub_buf *pub_buf(const struct kml_pub *p,
					  unsigned int b)
{
	return p->buf[b];
}

static size_t pub_round(size_t n, size_t step)
{
	return (n + step - 1) & ~(step - 1);
}

int kml_pub_create_flags(struct kml_pub **out, struct kml_mem *mem, size_t size,
			 unsigned int n_buffers, const void *initial,
			 unsigned int flags)
{
	size_t words, data_bytes, total, step, align, bufs, stride, pins;
	size_t data_at;
	bool compact = flags & KML_PUB_COMPACT;
	struct kml_pub *p;
	uint64_t *data;
	uintptr_t at;
	void *block;
	unsigned int b;
	int ret;

	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!mem || size == 0 || size > KML_PUB_MAX_SIZE ||
	    n_buffers < KML_PUB_MIN_BUFFERS ||
	    n_buffers > KML_PUB_MAX_BUFFERS || (flags & ~KML_PUB_COMPACT))
		return KML_EINVAL;
	step = compact ? 8 : KML_PUB_LINE;
	bufs = pub_round(sizeof(*p), step);
	pins = pub_round(sizeof(struct kml_pub_buf), step);
	stride = pins + pub_round(sizeof(kml_atomic_t), step);
	data_at = bufs + stride * n_buffers; /* small: n_buffers <= 3 */
	words = kml_words_for(size);
	/* kml_alloc aligns for any 8-byte field: only lines need room */
	align = compact ? 1 : KML_PUB_LINE;
	if (!kml_size_mul(words * 8, n_buffers, &data_bytes) ||
	    !kml_size_add(data_bytes, data_at + align - 1, &total))
		return KML_EOVERFLOW;
	ret = kml_alloc(mem, total, KML_MEM_SLEEP, &block);
	if (ret)
		return ret;
	at = ((uintptr_t)block + align - 1) & ~(uintptr_t)(align - 1);
	p = (struct kml_pub *)at;
	kml_memset(p, 0, data_at);
	p->size = size;
	p->n_bufs = n_buffers;
	p->mem = mem;
	p->block = block;
	data = (uint64_t *)((uint8_t *)p + data_at);
	kml_memset(data, 0, data_bytes);
	for (b = 0; b < n_buffers; b++) {
		uint8_t *at_b = (uint8_t *)p + bufs + b * stride;

		p->buf[b] = (struct kml_pub_buf *)at_b;
		p->buf[b]->data = data + (size_t)b * words;
		p->pins[b] = (kml_atomic_t *)(at_b + pins);
	}
	/* buffer 0 is current and holds version 0 */
	if (initial)
		kml_memcpy(pub_buf(p, 0)->data, initial, size);
	*out = p;
	return KML_OK;
}

int kml_pub_create(struct kml_pub **out, struct kml_mem *mem, size_t size,
		   unsigned int n_buffers, const void *initial)
{
	return kml_pub_create_flags(out, mem, size, n_buffers, initial, 0);
}

void kml_pub_destroy(struct kml_pub *p)
{
	if (p)
		kml_free(p->mem, p->block);
}

int kml_pub_publish(struct kml_pub *p, const void *src, size_t size,
		    uint64_t *version)
{
	struct kml_pub_buf *buf;
	unsigned int b, cur;
	uint64_t v;
	int64_t gen;

	if (!p || !src || size != p->size)
		return KML_EINVAL;
	if (kml_atomic_cmpxchg(&p->writing, 0, 1) != 0)
		return KML_EBUSY;
	/* the fully ordered store of current in the last publish precedes */
	cur = (unsigned int)kml_atomic_read(&p->cur_buf);
	for (b = 0; b < p->n_bufs; b++)
		if (b != cur && kml_atomic_load_seqcst(p->pins[b]) == 0)
			break;
	if (b == p->n_bufs) {
		kml_atomic_store_release(&p->writing, 0);
		return KML_EBUSY;
	}
	buf = pub_buf(p, b);
	v = (uint64_t)kml_atomic64_read(&p->published) + 1;
	gen = kml_atomic64_read(&buf->gen);
	kml_atomic64_set(&buf->gen, gen + 1);
	/* release stores: the odd generation is seen before any new byte */
	kml_shared_copy_in_release(buf->data, src, size);
	kml_atomic64_store_release(&buf->version, (int64_t)v);
	kml_atomic64_store_release(&buf->gen, gen + 2);
	/*
	 * A fully ordered RMW (we are the only writer, it cannot fail): the
	 * new current is globally visible before any later pin check
	 * (pairs with kml_pub_pin).
	 */
	kml_atomic_cmpxchg(&p->cur_buf, (int)cur, (int)b);
	kml_atomic64_store_release(&p->published, (int64_t)v);
	kml_atomic_store_release(&p->writing, 0);
	if (version)
		*version = v;
	return KML_OK;
}

/*
 * One copy attempt: true if the copy is one whole version. @words: the
 * size is a whole number of 64-bit words (a constant at each call site:
 * the fast path then has no tail handling and no stack frame).
 */
static KML_ALWAYS_INLINE bool read_once(const struct kml_pub *p, void *dst,
					size_t size, uint64_t *version,
					const bool words)
{
	const struct kml_pub_buf *buf =
	    pub_buf(p, (unsigned int)kml_atomic_load_acquire(&p->cur_buf));
	int64_t gen = kml_atomic64_load_acquire(&buf->gen);
	int64_t v;
	size_t i;

	if (gen & 1)
		return false; /* being refilled: current moved on */
	/*
	 * Acquire loads: whatever new value they see, the second look then
	 * sees the odd or a later generation.
	 */
	v = kml_atomic64_load_acquire(&buf->version);
	if (words) {
		const uint64_t *data =
		    buf->data; /* loaded once, not per word */

		for (i = 0; i < size / 8; i++) {
			uint64_t w = kml_load_acquire64(&data[i]);

			kml_memcpy((uint8_t *)dst + 8 * i, &w, 8);
		}
	} else {
		kml_shared_copy_out_acquire(dst, buf->data, size);
	}
	if (kml_atomic64_read(&buf->gen) != gen)
		return false;
	if (version)
		*version = (uint64_t)v;
	return true;
}

/* Other sizes, and attempts after the first: at most KML_PUB_READ_TRIES. */
static KML_NOINLINE int read_slow(const struct kml_pub *p, void *dst,
				  size_t size, uint64_t *version, int tried)
{
	for (; tried < KML_PUB_READ_TRIES; tried++)
		if (read_once(p, dst, size, version, false))
			return KML_OK;
	return KML_EAGAIN;
}

int kml_pub_read(const struct kml_pub *p, void *dst, size_t size,
		 uint64_t *version)
{
	if (KML_UNLIKELY(!p || !dst || size != p->size))
		return KML_EINVAL;
	if (size & 7)
		return read_slow(p, dst, size, version, 0);
	if (KML_LIKELY(read_once(p, dst, size, version, true)))
		return KML_OK;
	return read_slow(p, dst, size, version, 1);
}

int kml_pub_pin(struct kml_pub *p, struct kml_pub_view *view)
{
	struct kml_pub_buf *buf;
	int i, b;

	if (!view)
		return KML_EINVAL;
	kml_memset(view, 0, sizeof(*view));
	if (!p)
		return KML_EINVAL;
	for (i = 0; i < KML_PUB_READ_TRIES; i++) {
		b = kml_atomic_load_acquire(&p->cur_buf);
		buf = pub_buf(p, b);
		kml_atomic_fetch_add(p->pins[b], 1);
		/* still current after the pin: the writer will see the pin */
		if (kml_atomic_load_seqcst(&p->cur_buf) == b) {
			view->data = buf->data;
			view->version =
			    (uint64_t)kml_atomic64_read(&buf->version);
			view->buf = (unsigned int)b;
			return KML_OK;
		}
		kml_atomic_fetch_add(p->pins[b], -1);
	}
	return KML_EAGAIN;
}

int kml_pub_unpin(struct kml_pub *p, struct kml_pub_view *view)
{
	if (!p || !view || !view->data || view->buf >= p->n_bufs ||
	    view->data != pub_buf(p, view->buf)->data)
		return KML_EINVAL;
	/* fully ordered: our reads of the buffer end before it can be reused */
	kml_atomic_fetch_add(p->pins[view->buf], -1);
	kml_memset(view, 0, sizeof(*view));
	return KML_OK;
}

int kml_pub_version(const struct kml_pub *p, uint64_t *version)
{
	if (!version)
		return KML_EINVAL;
	*version = 0;
	if (!p)
		return KML_EINVAL;
	*version = (uint64_t)kml_atomic64_load_acquire(&p->published);
	return KML_OK;
}
