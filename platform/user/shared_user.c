// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * shared_user.c - the user-space side of shared mode (shared_user.h):
 * open /dev/kmlib, attach, map the read-only ring and the consumer page
 * (and, on request, the parameter area), and read records with the slot
 * protocol of shared.h: at position pos the slot's sequence word must be
 * pos + 1 before and after the copy.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "kmlib/shared_user.h"
#include "kmlib/status.h"

struct kml_shu {
	int fd;
	struct kml_shm_attach info;
	const uint8_t *ring; /* read-only mapping */
	struct kml_shm_cons *cons;
	const uint8_t *slots;
	uint64_t tail; /* our position; mirrored into cons->tail */
	void *area; /* the parameter area once mapped */
	size_t area_bytes;
	const struct kml_shm_weights *wview; /* once mapped, read-only */
	size_t wview_bytes;
};

static int neg_errno(void)
{
	return errno ? -errno : KML_EIO;
}

void kml_shu_close(struct kml_shu *s)
{
	if (!s)
		return;
	if (s->ring)
		munmap((void *)s->ring, s->info.ring_bytes);
	if (s->cons)
		munmap(s->cons, s->info.cons_bytes);
	if (s->area)
		munmap(s->area, s->area_bytes);
	if (s->wview)
		munmap((void *)s->wview, s->wview_bytes);
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

int kml_shu_open(struct kml_shu **out, const char *dev, const char *name)
{
	struct kml_shu *s;
	void *p;
	size_t len;
	int ret;

	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!name)
		return KML_EINVAL;
	len = strlen(name);
	if (!len || len >= KML_SHM_NAME_MAX)
		return KML_EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return KML_ENOMEM;
	s->fd = open(dev ? dev : KML_SHM_DEVICE, O_RDWR | O_CLOEXEC);
	if (s->fd < 0)
		goto fail;
	memcpy(s->info.name, name, len);
	s->info.abi_version = KML_SHM_ABI_VERSION;
	if (ioctl(s->fd, KML_SHM_IOC_ATTACH, &s->info))
		goto fail;
	p = mmap(NULL, s->info.ring_bytes, PROT_READ, MAP_SHARED, s->fd,
		 (off_t)KML_SHM_OFF_RING);
	if (p == MAP_FAILED)
		goto fail;
	s->ring = p;
	p = mmap(NULL, s->info.cons_bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
		 s->fd, (off_t)KML_SHM_OFF_CONS);
	if (p == MAP_FAILED)
		goto fail;
	s->cons = p;
	s->slots =
	    s->ring + ((const struct kml_shm_ring_hdr *)s->ring)->data_offset;
	s->tail = s->info.tail;
	*out = s;
	return KML_OK;
fail:
	ret = neg_errno();
	kml_shu_close(s);
	return ret;
}

const struct kml_shm_attach *kml_shu_info(const struct kml_shu *s)
{
	return s ? &s->info : NULL;
}

int kml_shu_fd(const struct kml_shu *s)
{
	return s ? s->fd : KML_EINVAL;
}

/* A copy's loads complete before the re-check of its sequence word. */
static void copy_fence(void)
{
#if defined(__SANITIZE_THREAD__)
	/*
	 * GCC's TSan refuses thread fences. The writer is the kernel, which
	 * TSan never sees, so a compiler-only fence loses no checking; it is
	 * also enough on x86 (loads are not reordered with loads).
	 */
	__atomic_signal_fence(__ATOMIC_ACQUIRE);
#else
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
#endif
}

/* Copy record @pos if it is complete and stays so during the copy. */
static bool read_one(struct kml_shu *s, uint64_t pos, uint8_t *dst)
{
	const uint8_t *slot =
	    s->slots + (pos & (s->info.capacity - 1)) * s->info.slot_size;
	const uint64_t *seq = (const uint64_t *)slot;

	if (__atomic_load_n(seq, __ATOMIC_ACQUIRE) != pos + 1)
		return false;
	memcpy(dst, slot + 8, s->info.record_size);
	copy_fence();
	return __atomic_load_n(seq, __ATOMIC_RELAXED) == pos + 1;
}

int kml_shu_read(struct kml_shu *s, void *recs, size_t max, size_t *n)
{
	uint8_t *dst = recs;
	size_t got = 0;

	if (n)
		*n = 0;
	if (!s || !recs || !max || !n)
		return KML_EINVAL;
	while (got < max && read_one(s, s->tail, dst)) {
		s->tail++;
		dst += s->info.record_size;
		got++;
	}
	if (!got)
		return KML_EAGAIN;
	/* the slots are free for producers once the copies are done */
	__atomic_store_n(&s->cons->tail, s->tail, __ATOMIC_RELEASE);
	*n = got;
	return KML_OK;
}

int kml_shu_wait(struct kml_shu *s, uint64_t timeout_ns)
{
	struct kml_shm_wait w = { .timeout_ns = timeout_ns };

	if (!s)
		return KML_EINVAL;
	if (!ioctl(s->fd, KML_SHM_IOC_WAIT, &w))
		return KML_OK;
	switch (errno) {
	case ETIMEDOUT:
		return KML_ETIMEDOUT;
	case EAGAIN:
		return KML_EAGAIN;
	case ENODEV:
		return KML_ENOENT;
	default:
		return neg_errno();
	}
}

int kml_shu_publish(struct kml_shu *s, const void *params, size_t len,
		    uint64_t version)
{
	struct kml_shm_publish p = { 0 };

	if (!s || !params || !len)
		return KML_EINVAL;
	p.data = (uint64_t)(uintptr_t)params;
	p.length = len;
	p.version = version;
	p.dtype = s->info.dtype;
	p.ndim = s->info.ndim;
	memcpy(p.shape, s->info.shape, sizeof(p.shape));
	return ioctl(s->fd, KML_SHM_IOC_PUBLISH, &p) ? neg_errno() : KML_OK;
}

int kml_shu_param_area(struct kml_shu *s, void **area, size_t *len)
{
	uint64_t bytes;
	void *p;

	if (area)
		*area = NULL;
	if (len)
		*len = 0;
	if (!s || !area || !len)
		return KML_EINVAL;
	if (!s->area) {
		bytes = KML_SHM_PARAM_AREA_BYTES(s->info.param_bytes);
		if (!bytes || bytes > SIZE_MAX)
			return KML_EINVAL;
		p = mmap(NULL, (size_t)bytes, PROT_READ | PROT_WRITE,
			 MAP_SHARED, s->fd, (off_t)KML_SHM_OFF_PARAM);
		if (p == MAP_FAILED)
			return neg_errno();
		s->area = p;
		s->area_bytes = (size_t)bytes;
	}
	*area = s->area;
	*len = s->info.param_bytes;
	return KML_OK;
}

int kml_shu_publish_area(struct kml_shu *s, uint64_t version)
{
	struct kml_shm_publish p = { 0 };

	if (!s)
		return KML_EINVAL;
	p.length = s->info.param_bytes;
	p.version = version;
	p.dtype = s->info.dtype;
	p.ndim = s->info.ndim;
	memcpy(p.shape, s->info.shape, sizeof(p.shape));
	p.flags = KML_SHM_PUB_AREA;
	return ioctl(s->fd, KML_SHM_IOC_PUBLISH, &p) ? neg_errno() : KML_OK;
}

int kml_shu_weights(struct kml_shu *s, void *dst, size_t len, uint64_t *version)
{
	uint64_t bytes, seq, ver;
	void *p;
	int tries;

	if (!s || !dst || len != s->info.param_bytes)
		return KML_EINVAL;
	if (!s->wview) {
		bytes = KML_SHM_WEIGHTS_BYTES(s->info.param_bytes);
		if (bytes > SIZE_MAX)
			return KML_EINVAL;
		p = mmap(NULL, (size_t)bytes, PROT_READ, MAP_SHARED, s->fd,
			 (off_t)KML_SHM_OFF_WEIGHTS);
		if (p == MAP_FAILED)
			return neg_errno();
		s->wview = p;
		s->wview_bytes = (size_t)bytes;
	}
	/* a publication rewrites the view in microseconds: retry a while */
	for (tries = 0; tries < 100000; tries++) {
		seq = __atomic_load_n(&s->wview->seq, __ATOMIC_ACQUIRE);
		if (seq & 1)
			continue;
		ver = __atomic_load_n(&s->wview->version, __ATOMIC_RELAXED);
		memcpy(dst, s->wview + 1, len);
		copy_fence();
		if (__atomic_load_n(&s->wview->seq, __ATOMIC_RELAXED) == seq) {
			if (version)
				*version = ver;
			return KML_OK;
		}
	}
	return KML_EAGAIN;
}

int kml_shu_params(struct kml_shu *s, void *dst, size_t len, uint64_t *version)
{
	struct kml_shm_params p = { 0 };

	if (!s || !dst || !len)
		return KML_EINVAL;
	p.data = (uint64_t)(uintptr_t)dst;
	p.length = len;
	if (ioctl(s->fd, KML_SHM_IOC_PARAMS, &p))
		return neg_errno();
	if (version)
		*version = p.version;
	return KML_OK;
}

int kml_shu_stats(struct kml_shu *s, struct kml_shm_stats *st)
{
	if (!s || !st)
		return KML_EINVAL;
	return ioctl(s->fd, KML_SHM_IOC_STATS, st) ? neg_errno() : KML_OK;
}
