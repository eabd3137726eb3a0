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

struct pub_buf {
	kml_atomic64_t gen __attribute__((aligned(KML_PUB_LINE)));
	kml_atomic64_t version; /* written while gen is odd */
	uint64_t *data;
	/* pins bounce between readers: keep them off the line copiers read */
	kml_atomic_t pins __attribute__((aligned(KML_PUB_LINE)));
};

struct kml_pub {
	size_t size;
	unsigned int n_bufs;
	struct kml_mem *mem;
	void *block;
	kml_atomic_t cur_buf __attribute__((aligned(KML_PUB_LINE)));
	kml_atomic_t writing; /* one publish at a time */
	kml_atomic64_t published; /* latest version */
	struct pub_buf buf[KML_PUB_MAX_BUFFERS];
};

int kml_pub_create(struct kml_pub **out, struct kml_mem *mem, size_t size,
		   unsigned int n_buffers, const void *initial)
{
	size_t words, data_bytes, total;
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
	    n_buffers < KML_PUB_MIN_BUFFERS || n_buffers > KML_PUB_MAX_BUFFERS)
		return KML_EINVAL;
	words = kml_words_for(size);
	if (!kml_size_mul(words * 8, n_buffers, &data_bytes) ||
	    !kml_size_add(data_bytes, sizeof(*p) + KML_PUB_LINE, &total))
		return KML_EOVERFLOW;
	ret = kml_alloc(mem, total, KML_MEM_SLEEP, &block);
	if (ret)
		return ret;
	at = ((uintptr_t)block + KML_PUB_LINE - 1) &
	     ~(uintptr_t)(KML_PUB_LINE - 1);
	p = (struct kml_pub *)at;
	kml_memset(p, 0, sizeof(*p));
	p->size = size;
	p->n_bufs = n_buffers;
	p->mem = mem;
	p->block = block;
	data = (uint64_t *)(p + 1);
	kml_memset(data, 0, data_bytes);
	for (b = 0; b < n_buffers; b++)
		p->buf[b].data = data + (size_t)b * words;
	/* buffer 0 is current and holds version 0 */
	if (initial)
		kml_memcpy(p->buf[0].data, initial, size);
	*out = p;
	return KML_OK;
}

void kml_pub_destroy(struct kml_pub *p)
{
	if (p)
		kml_free(p->mem, p->block);
}

int kml_pub_publish(struct kml_pub *p, const void *src, size_t size,
		    uint64_t *version)
{
	struct pub_buf *buf;
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
		if (b != cur && kml_atomic_load_seqcst(&p->buf[b].pins) == 0)
			break;
	if (b == p->n_bufs) {
		kml_atomic_store_release(&p->writing, 0);
		return KML_EBUSY;
	}
	buf = &p->buf[b];
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
	const struct pub_buf *buf =
	    &p->buf[kml_atomic_load_acquire(&p->cur_buf)];
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
	struct pub_buf *buf;
	int i, b;

	if (!view)
		return KML_EINVAL;
	kml_memset(view, 0, sizeof(*view));
	if (!p)
		return KML_EINVAL;
	for (i = 0; i < KML_PUB_READ_TRIES; i++) {
		b = kml_atomic_load_acquire(&p->cur_buf);
		buf = &p->buf[b];
		kml_atomic_fetch_add(&buf->pins, 1);
		/* still current after the pin: the writer will see the pin */
		if (kml_atomic_load_seqcst(&p->cur_buf) == b) {
			view->data = buf->data;
			view->version =
			    (uint64_t)kml_atomic64_read(&buf->version);
			view->buf = (unsigned int)b;
			return KML_OK;
		}
		kml_atomic_fetch_add(&buf->pins, -1);
	}
	return KML_EAGAIN;
}

int kml_pub_unpin(struct kml_pub *p, struct kml_pub_view *view)
{
	if (!p || !view || !view->data || view->buf >= p->n_bufs ||
	    view->data != p->buf[view->buf].data)
		return KML_EINVAL;
	/* fully ordered: our reads of the buffer end before it can be reused */
	kml_atomic_fetch_add(&p->buf[view->buf].pins, -1);
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

size_t kml_pub_size(const struct kml_pub *p)
{
	return p ? p->size : 0;
}
