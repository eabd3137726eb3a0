// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mem.c - memory owners: accounting, caps and arenas on top of the
 * platform's raw allocator. Target-independent; contains no float code.
 *
 * Every block carries a 16-byte header holding its size, so that kml_free()
 * can account without the caller passing the size, and so that data stays
 * 16-byte aligned.
 */
#include "kmlib/platform.h"

#define KML_MEM_HDR 16u
/* "kmlm": catches frees of foreign pointers */
#define KML_MEM_MAGIC 0x6b6d6c6du

struct kml_mem_hdr {
	uint64_t size; /* payload + header, as accounted */
	uint32_t magic;
	uint32_t from_arena;
};

int kml_mem_init(struct kml_mem *m, const char *name, size_t cap)
{
	if (!m)
		return KML_EINVAL;
	kml_memset(m, 0, sizeof(*m));
	m->name = name ? name : "kml";
	m->cap = cap;
	return KML_OK;
}

int kml_mem_init_arena(struct kml_mem *m, const char *name, void *buf,
		       size_t size)
{
	int ret;

	if (!buf || size < KML_MEM_HDR || ((uintptr_t)buf & (KML_MEM_HDR - 1)))
		return KML_EINVAL;
	ret = kml_mem_init(m, name, size);
	if (ret)
		return ret;
	m->arena = buf;
	m->arena_size = size;
	return KML_OK;
}

/* Reserve @bytes against the cap; false if it would be exceeded. */
static bool mem_charge(struct kml_mem *m, size_t bytes)
{
	int64_t cur = kml_atomic64_read(&m->cur);
	int64_t peak;

	for (;;) {
		int64_t want = cur + (int64_t)bytes;
		int64_t seen;

		if (m->cap && (uint64_t)want > m->cap)
			return false;
		seen = kml_atomic64_cmpxchg(&m->cur, cur, want);
		if (seen == cur) {
			cur = want;
			break;
		}
		cur = seen;
	}
	peak = kml_atomic64_read(&m->peak);
	while (cur > peak) {
		int64_t seen = kml_atomic64_cmpxchg(&m->peak, peak, cur);

		if (seen == peak)
			break;
		peak = seen;
	}
	return true;
}

/* Bump-allocate from the arena; NULL when it is exhausted. */
static void *arena_take(struct kml_mem *m, size_t bytes)
{
	int64_t used = kml_atomic64_read(&m->arena_used);

	for (;;) {
		int64_t seen;

		if ((uint64_t)used + bytes > m->arena_size)
			return NULL;
		seen = kml_atomic64_cmpxchg(&m->arena_used, used,
					    used + (int64_t)bytes);
		if (seen == used)
			return m->arena + used;
		used = seen;
	}
}

int kml_alloc(struct kml_mem *m, size_t size, unsigned int flags, void **out)
{
	struct kml_mem_hdr *hdr;
	size_t total;

	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!m || size == 0)
		return KML_EINVAL;
	/* round up to keep every block 16-byte aligned inside arenas */
	if (!kml_size_add(size, 2 * KML_MEM_HDR - 1, &total))
		goto overflow;
	total &= ~(size_t)(KML_MEM_HDR - 1);
	if (total > (size_t)INT64_MAX / 2)
		goto overflow;
	if (!mem_charge(m, total)) {
		kml_atomic64_fetch_add(&m->n_failed, 1);
		return KML_ENOMEM;
	}
	if (m->arena)
		hdr = arena_take(m, total);
	else
		hdr = kml_plat_alloc(total, flags & KML_MEM_ATOMIC);
	if (!hdr) {
		kml_atomic64_fetch_add(&m->cur, -(int64_t)total);
		kml_atomic64_fetch_add(&m->n_failed, 1);
		return KML_ENOMEM;
	}
	hdr->size = total;
	hdr->magic = KML_MEM_MAGIC;
	hdr->from_arena = m->arena != NULL;
	*out = (uint8_t *)hdr + KML_MEM_HDR;
	if (flags & KML_MEM_ZERO)
		kml_memset(*out, 0, total - KML_MEM_HDR);
	kml_atomic64_fetch_add(&m->n_allocs, 1);
	return KML_OK;

overflow:
	kml_atomic64_fetch_add(&m->n_failed, 1);
	return KML_EOVERFLOW;
}

int kml_alloc_array(struct kml_mem *m, size_t n, size_t size,
		    unsigned int flags, void **out)
{
	size_t bytes;

	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!kml_size_mul(n, size, &bytes)) {
		if (m)
			kml_atomic64_fetch_add(&m->n_failed, 1);
		return KML_EOVERFLOW;
	}
	return kml_alloc(m, bytes, flags, out);
}

void kml_free(struct kml_mem *m, void *p)
{
	struct kml_mem_hdr *hdr;

	if (!p || !m)
		return;
	hdr = (struct kml_mem_hdr *)((uint8_t *)p - KML_MEM_HDR);
	if (hdr->magic != KML_MEM_MAGIC) {
		kml_log_msg(KML_LOG_ERR,
			    "kmlib: %s: free of a foreign pointer\n", m->name);
		return;
	}
	hdr->magic = 0;
	kml_atomic64_fetch_add(&m->cur, -(int64_t)hdr->size);
	kml_atomic64_fetch_add(&m->n_frees, 1);
	/* arena blocks are reclaimed with the arena itself */
	if (!hdr->from_arena)
		kml_plat_free(hdr);
}

size_t kml_mem_current(const struct kml_mem *m)
{
	return m ? (size_t)kml_atomic64_read(&m->cur) : 0;
}

size_t kml_mem_peak(const struct kml_mem *m)
{
	return m ? (size_t)kml_atomic64_read(&m->peak) : 0;
}

uint64_t kml_mem_alloc_count(const struct kml_mem *m)
{
	return m ? (uint64_t)kml_atomic64_read(&m->n_allocs) : 0;
}

uint64_t kml_mem_failed_count(const struct kml_mem *m)
{
	return m ? (uint64_t)kml_atomic64_read(&m->n_failed) : 0;
}
