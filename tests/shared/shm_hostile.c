// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * shm_hostile.c - hostile user space against /dev/kmlib (run in the QEMU
 * guest by tools/kernel/guest-shared.sh, statically linked): bad ioctl
 * numbers and arguments, short/oversized/wrong-shape/NaN publications,
 * stale versions, wrong mmap offsets, sizes and permissions, garbage in
 * the consumer page, two trainers on one channel, closing with the areas
 * still mapped, a trainer killed mid-transfer; the parameter area: bad
 * mappings (offset, size, private, PROT_EXEC, mremap), publishing from it
 * before mapping, NaN in it, a thread rewriting it during publications,
 * close while it is mapped. Each case must get the
 * documented error code or a clean outcome. Prints "ok"/"not ok" lines
 * and exits non-zero if any case failed. Needs the channel "lin" of
 * kmlib_shared_test.ko (5 float32 parameters, 20-byte records).
 */
#define _GNU_SOURCE /* mremap */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "kmlib/shared_user.h"
#include "kmlib/status.h"

static int n_case, n_fail;

/* expect(name, rc, err): rc is a syscall result; err 0 means success */
static void expect(const char *name, long rc, int want)
{
	int got = rc < 0 ? errno : 0;

	n_case++;
	if (got == want) {
		printf("ok %d %s\n", n_case, name);
		return;
	}
	n_fail++;
	printf("not ok %d %s: errno %d (%s), expected %d (%s)\n", n_case, name,
	       got, strerror(got), want, strerror(want));
}

static void check(const char *name, bool ok)
{
	n_case++;
	if (!ok)
		n_fail++;
	printf("%sok %d %s\n", ok ? "" : "not ", n_case, name);
}

static int dev_open(void)
{
	int fd = open(KML_SHM_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		perror(KML_SHM_DEVICE);
		exit(2);
	}
	return fd;
}

static long attach(int fd, const char *name, struct kml_shm_attach *a)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->name, sizeof(a->name), "%s", name);
	a->abi_version = KML_SHM_ABI_VERSION;
	return ioctl(fd, KML_SHM_IOC_ATTACH, a);
}

static void bad_numbers(void)
{
	struct kml_shm_attach a;
	struct kml_shm_stats s;
	struct kml_shm_wait w = { 0 };
	struct pollfd pfd;
	int fd = dev_open();

	expect("ioctl: unknown number", ioctl(fd, 0xdeadbeef, 0), ENOTTY);
	expect("ioctl: our type, unknown nr",
	       ioctl(fd, KML_SHM_IOC(KML_SHM_IOC_READ, 99, 8), &s), ENOTTY);
	expect("ioctl: ATTACH with a wrong size",
	       ioctl(fd, KML_SHM_IOC(3, 1, sizeof(a) - 8), &a), ENOTTY);
	expect("ioctl: STATS before ATTACH", ioctl(fd, KML_SHM_IOC_STATS, &s),
	       ENOTCONN);
	expect("ioctl: WAIT before ATTACH", ioctl(fd, KML_SHM_IOC_WAIT, &w),
	       ENOTCONN);
	expect("mmap before ATTACH",
	       mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED ? -1
									    : 0,
	       ENXIO);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	check("poll before ATTACH: POLLERR",
	      poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR));
	expect("ATTACH: NULL argument", ioctl(fd, KML_SHM_IOC_ATTACH, NULL),
	       EFAULT);
	expect("ATTACH: wild pointer",
	       ioctl(fd, KML_SHM_IOC_ATTACH, (void *)16), EFAULT);
	memset(&a, 'a', sizeof(a.name));
	a.abi_version = KML_SHM_ABI_VERSION;
	a.flags = 0;
	expect("ATTACH: name without NUL", ioctl(fd, KML_SHM_IOC_ATTACH, &a),
	       EINVAL);
	expect("ATTACH: empty name", attach(fd, "", &a), EINVAL);
	expect("ATTACH: unknown channel", attach(fd, "nosuch", &a), ENOENT);
	memset(&a, 0, sizeof(a));
	strcpy(a.name, "lin");
	a.abi_version = 99;
	expect("ATTACH: wrong ABI version", ioctl(fd, KML_SHM_IOC_ATTACH, &a),
	       EINVAL);
	a.abi_version = KML_SHM_ABI_VERSION;
	a.flags = 1;
	expect("ATTACH: unknown flags", ioctl(fd, KML_SHM_IOC_ATTACH, &a),
	       EINVAL);
	close(fd);
}

static void *map(int fd, size_t len, int prot, int flags, off_t off)
{
	return mmap(NULL, len, prot, flags, fd, off);
}

static long map_rc(void *p, size_t len)
{
	if (p == MAP_FAILED)
		return -1;
	munmap(p, len);
	return 0;
}

static void bad_maps(int fd, const struct kml_shm_attach *a)
{
	size_t rb = a->ring_bytes;
	void *p;

	expect("mmap ring PROT_WRITE",
	       map_rc(map(fd, rb, PROT_READ | PROT_WRITE, MAP_SHARED, 0), rb),
	       EPERM);
	expect("mmap ring too long",
	       map_rc(map(fd, rb + 4096, PROT_READ, MAP_SHARED, 0), rb + 4096),
	       EINVAL);
	expect("mmap ring too short",
	       map_rc(map(fd, rb - 4096, PROT_READ, MAP_SHARED, 0), rb - 4096),
	       EINVAL);
	expect("mmap wrong offset (one page)",
	       map_rc(map(fd, 4096, PROT_READ, MAP_SHARED, 4096), 4096),
	       EINVAL);
	expect(
	    "mmap wrong offset (far)",
	    map_rc(map(fd, 4096, PROT_READ, MAP_SHARED, (off_t)1 << 40), 4096),
	    EINVAL);
	expect("mmap consumer page MAP_PRIVATE",
	       map_rc(map(fd, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE,
			  (off_t)KML_SHM_OFF_CONS),
		      4096),
	       EINVAL);
	expect("mmap consumer page two pages",
	       map_rc(map(fd, 8192, PROT_READ | PROT_WRITE, MAP_SHARED,
			  (off_t)KML_SHM_OFF_CONS),
		      8192),
	       EINVAL);
	p = map(fd, rb, PROT_READ, MAP_SHARED, 0);
	expect("mmap ring read-only", p == MAP_FAILED ? -1 : 0, 0);
	if (p != MAP_FAILED) {
		expect("mprotect ring to writable",
		       mprotect(p, rb, PROT_READ | PROT_WRITE), EACCES);
		check("ring header magic",
		      ((const struct kml_shm_ring_hdr *)p)->magic ==
			  KML_SHM_RING_MAGIC);
		munmap(p, rb);
	}
	p = map(fd, rb, PROT_READ, MAP_PRIVATE, 0);
	if (p != MAP_FAILED) {
		expect("private ring mapping: mprotect writable",
		       mprotect(p, rb, PROT_READ | PROT_WRITE), EACCES);
		munmap(p, rb);
	}
}

static long publish(int fd, const void *data, uint64_t len, uint64_t version,
		    void (*edit)(struct kml_shm_publish *))
{
	struct kml_shm_publish p = {
		.data = (uint64_t)(uintptr_t)data,
		.length = len,
		.version = version,
		.dtype = KML_SHM_F32,
		.ndim = 1,
		.shape = { 5 },
	};

	if (edit)
		edit(&p);
	return ioctl(fd, KML_SHM_IOC_PUBLISH, &p);
}

static void ed_ndim(struct kml_shm_publish *p)
{
	p->ndim = 2;
	p->shape[1] = 1;
}
static void ed_shape(struct kml_shm_publish *p)
{
	p->shape[0] = 6;
}
static void ed_extra_dim(struct kml_shm_publish *p)
{
	p->shape[2] = 3;
}
static void ed_dtype(struct kml_shm_publish *p)
{
	p->dtype = KML_SHM_F64;
}
static void ed_flags(struct kml_shm_publish *p)
{
	p->flags = 1;
}
static void ed_null(struct kml_shm_publish *p)
{
	p->data = 0;
}
static void ed_wild(struct kml_shm_publish *p)
{
	p->data = 16;
}

static void bad_publish(int fd)
{
	struct kml_shm_params par = { 0 };
	struct kml_shm_stats s0, s1;
	float good[5], w[8];
	uint64_t v;
	int i;

	par.data = (uint64_t)(uintptr_t)good;
	par.length = sizeof(good);
	expect("PARAMS", ioctl(fd, KML_SHM_IOC_PARAMS, &par), 0);
	v = par.version;
	par.length = sizeof(good) - 4;
	expect("PARAMS: short buffer", ioctl(fd, KML_SHM_IOC_PARAMS, &par),
	       EMSGSIZE);
	par.length = sizeof(good);
	par.data = 16;
	expect("PARAMS: wild pointer", ioctl(fd, KML_SHM_IOC_PARAMS, &par),
	       EFAULT);
	ioctl(fd, KML_SHM_IOC_STATS, &s0);

	memcpy(w, good, sizeof(good));
	expect("PUBLISH: NULL argument", ioctl(fd, KML_SHM_IOC_PUBLISH, NULL),
	       EFAULT);
	expect("PUBLISH: NULL data", publish(fd, w, 20, v + 1, ed_null),
	       EFAULT);
	expect("PUBLISH: wild data", publish(fd, w, 20, v + 1, ed_wild),
	       EFAULT);
	expect("PUBLISH: short buffer", publish(fd, w, 16, v + 1, NULL),
	       EMSGSIZE);
	expect("PUBLISH: oversized buffer", publish(fd, w, 32, v + 1, NULL),
	       EMSGSIZE);
	expect("PUBLISH: huge length", publish(fd, w, ~0ull, v + 1, NULL),
	       EMSGSIZE);
	expect("PUBLISH: wrong ndim", publish(fd, w, 20, v + 1, ed_ndim), EDOM);
	expect("PUBLISH: wrong shape", publish(fd, w, 20, v + 1, ed_shape),
	       EDOM);
	expect("PUBLISH: garbage in unused dims",
	       publish(fd, w, 20, v + 1, ed_extra_dim), EDOM);
	expect("PUBLISH: wrong dtype", publish(fd, w, 20, v + 1, ed_dtype),
	       EPROTOTYPE);
	expect("PUBLISH: unknown flags", publish(fd, w, 20, v + 1, ed_flags),
	       EINVAL);
	for (i = 0; i < 3; i++) {
		static const char *names[] = { "PUBLISH: NaN weight",
					       "PUBLISH: +inf weight",
					       "PUBLISH: -inf bias" };
		memcpy(w, good, sizeof(good));
		w[i == 2 ? 4 : 1] = i == 0   ? NAN
				    : i == 1 ? INFINITY
					     : -INFINITY;
		expect(names[i], publish(fd, w, 20, v + 1, NULL), ERANGE);
	}
	memcpy(w, good, sizeof(good));
	/* a signalling NaN bit pattern */
	{
		uint32_t snan = 0x7f800001u;

		memcpy(&w[3], &snan, 4);
		expect("PUBLISH: signalling NaN",
		       publish(fd, w, 20, v + 1, NULL), ERANGE);
	}
	memcpy(w, good, sizeof(good));
	if (v)
		expect("PUBLISH: same version again",
		       publish(fd, w, 20, v, NULL), ESTALE);
	expect("PUBLISH: version 0", publish(fd, w, 20, 0, NULL), ESTALE);
	ioctl(fd, KML_SHM_IOC_STATS, &s1);
	/* every refusal after the argument copy is counted */
	check("rejected publications counted",
	      s1.rejected - s0.rejected == (uint64_t)(v ? 16 : 15));
	check("nothing published by the bad calls",
	      s1.published == s0.published && s1.version == s0.version);
	/* the same good parameters as a new version: the model is unchanged */
	expect("PUBLISH: good", publish(fd, good, 20, v + 1, NULL), 0);
	par.data = (uint64_t)(uintptr_t)w;
	ioctl(fd, KML_SHM_IOC_PARAMS, &par);
	check("PARAMS after PUBLISH: new version, same bytes",
	      par.version == v + 1 && !memcmp(w, good, sizeof(good)));
}

/* ---- the mapped parameter area ---------------------------------------- */

static long publish_area(int fd, uint64_t version,
			 void (*edit)(struct kml_shm_publish *))
{
	struct kml_shm_publish p = {
		.length = 20,
		.version = version,
		.dtype = KML_SHM_F32,
		.ndim = 1,
		.shape = { 5 },
		.flags = KML_SHM_PUB_AREA,
	};

	if (edit)
		edit(&p);
	return ioctl(fd, KML_SHM_IOC_PUBLISH, &p);
}

static void ed_area_data(struct kml_shm_publish *p)
{
	p->data = 4096;
}

static void ed_area_unknown_flag(struct kml_shm_publish *p)
{
	p->flags |= 2;
}

struct scribble {
	volatile float *area;
	volatile int stop;
	unsigned long rounds;
};

/* Rewrites the area without pause: every other round with a NaN inside. */
static void *scribbler(void *arg)
{
	struct scribble *sc = arg;
	unsigned long i;
	int j;

	for (i = 1; !sc->stop; i++) {
		for (j = 0; j < 5; j++)
			sc->area[j] =
			    (i & 1) && j == 2 ? NAN : (float)(i & 1023);
		sc->rounds = i;
	}
	return NULL;
}

static uint64_t params_now(int fd, float *w)
{
	struct kml_shm_params par = { .data = (uint64_t)(uintptr_t)w,
				      .length = 20 };

	if (ioctl(fd, KML_SHM_IOC_PARAMS, &par))
		return ~0ull;
	return par.version;
}

static bool finite5(const float *w)
{
	int j;

	for (j = 0; j < 5; j++)
		if (!isfinite(w[j]))
			return false;
	return true;
}

/* Called attached to "lin"; leaves the parameters it found published. */
static void param_area(int fd)
{
	size_t len = KML_SHM_PARAM_AREA_BYTES(20);
	off_t off = (off_t)KML_SHM_OFF_PARAM;
	float good[5], w[5];
	struct scribble sc = { 0 };
	struct kml_shm_stats s0, s1;
	unsigned long ok = 0, nan = 0, other = 0, torn = 0;
	pthread_t th;
	uint64_t v;
	float *area;
	void *p;
	int i;

	v = params_now(fd, good);
	check("param area: PARAMS", v != ~0ull && finite5(good));
	check("param area: one page for 20 bytes", len == 4096);
	expect("PUBLISH from the area before mapping it",
	       publish_area(fd, v + 1, NULL), ENXIO);
	expect("mmap param area: two pages",
	       map_rc(map(fd, 2 * len, PROT_READ | PROT_WRITE, MAP_SHARED, off),
		      2 * len),
	       EINVAL);
	expect(
	    "mmap param area: wrong offset (+1 page)",
	    map_rc(map(fd, len, PROT_READ | PROT_WRITE, MAP_SHARED, off + 4096),
		   len),
	    EINVAL);
	expect(
	    "mmap param area: MAP_PRIVATE",
	    map_rc(map(fd, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, off), len),
	    EINVAL);
	expect("mmap param area: PROT_EXEC",
	       map_rc(map(fd, len, PROT_READ | PROT_WRITE | PROT_EXEC,
			  MAP_SHARED, off),
		      len),
	       EPERM);
	p = map(fd, len, PROT_READ | PROT_WRITE, MAP_SHARED, off);
	expect("mmap param area", p == MAP_FAILED ? -1 : 0, 0);
	if (p == MAP_FAILED)
		return;
	area = p;
	expect("mprotect param area to PROT_EXEC",
	       mprotect(p, len, PROT_READ | PROT_EXEC), EACCES);
	check("mremap param area larger: refused",
	      mremap(p, len, 2 * len, MREMAP_MAYMOVE) == MAP_FAILED);
	/* a second mapping is the same area */
	{
		float *q =
		    map(fd, len, PROT_READ | PROT_WRITE, MAP_SHARED, off);

		check("param area: two mappings share the pages",
		      q != MAP_FAILED && (area[0] = 1.5f, q[0] == 1.5f));
		if (q != MAP_FAILED)
			munmap(q, len);
	}

	ioctl(fd, KML_SHM_IOC_STATS, &s0);
	memcpy(area, good, sizeof(good));
	expect("PUBLISH area: data pointer given",
	       publish_area(fd, v + 1, ed_area_data), EINVAL);
	expect("PUBLISH area: unknown flag",
	       publish_area(fd, v + 1, ed_area_unknown_flag), EINVAL);
	expect("PUBLISH area: wrong shape", publish_area(fd, v + 1, ed_shape),
	       EDOM);
	expect("PUBLISH area: wrong dtype", publish_area(fd, v + 1, ed_dtype),
	       EPROTOTYPE);
	area[3] = NAN;
	expect("PUBLISH area: NaN", publish_area(fd, v + 1, NULL), ERANGE);
	area[3] = -INFINITY;
	expect("PUBLISH area: -inf", publish_area(fd, v + 1, NULL), ERANGE);
	check("PUBLISH area: refusals leave the parameters",
	      params_now(fd, w) == v && !memcmp(w, good, sizeof(good)));
	area[3] = good[3];
	expect("PUBLISH area: same version", publish_area(fd, v, NULL), ESTALE);
	ioctl(fd, KML_SHM_IOC_STATS, &s1);
	check("PUBLISH area: refusals counted",
	      s1.rejected - s0.rejected == 7 && s1.published == s0.published);
	v++;
	expect("PUBLISH area: good", publish_area(fd, v, NULL), 0);
	check("PARAMS after PUBLISH area: new version, same bytes",
	      params_now(fd, w) == v && !memcmp(w, good, sizeof(good)));

	/* a thread rewrites the area while we publish from it */
	sc.area = area;
	if (pthread_create(&th, NULL, scribbler, &sc)) {
		check("scribbler thread", false);
		goto out;
	}
	for (i = 0; i < 3000; i++) {
		long rc = publish_area(fd, v + 1, NULL);

		if (!rc) {
			v++;
			ok++;
			/* what was validated is what is published */
			if (params_now(fd, w) != v || !finite5(w))
				torn++;
		} else if (errno == ERANGE) {
			nan++;
		} else {
			other++;
		}
	}
	sc.stop = 1;
	pthread_join(th, NULL);
	printf("# scribbled publications: %lu accepted, %lu NaN refused, "
	       "%lu other, %lu scribbler rounds\n",
	       ok, nan, other, sc.rounds);
	check("scribbled area: every publication accepted or ERANGE",
	      other == 0 && ok + nan == 3000);
	check("scribbled area: every accepted one published finite, as its "
	      "version",
	      torn == 0);
	check("scribbled area: some publications accepted", ok > 0);
out:
	/* leave the good parameters in use */
	memcpy(area, good, sizeof(good));
	expect("PUBLISH area: good parameters back",
	       publish_area(fd, v + 1, NULL), 0);
	check("PARAMS: good parameters back",
	      params_now(fd, w) == v + 1 && !memcmp(w, good, sizeof(good)));
	munmap(p, len);
}

/* The read-only view of the current parameters ("lin" attached). */
static void weights_view(int fd)
{
	size_t len = KML_SHM_WEIGHTS_BYTES(20);
	off_t off = (off_t)KML_SHM_OFF_WEIGHTS;
	const struct kml_shm_weights *wv;
	float w[5], x[5];
	uint64_t v;
	void *p;

	check("weights view: one page", len == 4096);
	expect(
	    "mmap weights view PROT_WRITE",
	    map_rc(map(fd, len, PROT_READ | PROT_WRITE, MAP_SHARED, off), len),
	    EPERM);
	expect("mmap weights view: two pages",
	       map_rc(map(fd, 2 * len, PROT_READ, MAP_SHARED, off), 2 * len),
	       EINVAL);
	p = map(fd, len, PROT_READ, MAP_SHARED, off);
	expect("mmap weights view read-only", p == MAP_FAILED ? -1 : 0, 0);
	if (p == MAP_FAILED)
		return;
	wv = p;
	expect("mprotect weights view to writable",
	       mprotect(p, len, PROT_READ | PROT_WRITE), EACCES);
	v = params_now(fd, w);
	check("weights view = PARAMS (version, bytes, even seq)",
	      wv->version == v && !(wv->seq & 1) && wv->seq >= 2 &&
		  !memcmp(wv + 1, w, sizeof(w)));
	memcpy(x, w, sizeof(x)); /* the same model, a new version */
	expect("PUBLISH (for the view)", publish(fd, x, 20, v + 1, NULL), 0);
	check("weights view follows the publication",
	      wv->version == v + 1 && !(wv->seq & 1) &&
		  !memcmp(wv + 1, x, sizeof(x)));
	munmap(p, len);
}

/* Close the file with the parameter area mapped: the area stays usable
 * memory, the attachment lasts until munmap. */
static void area_close_mapped(void)
{
	size_t len = KML_SHM_PARAM_AREA_BYTES(20);
	struct kml_shm_attach a, b;
	int fd1 = dev_open(), fd2 = dev_open();
	float *area;

	expect("area close: attach", attach(fd1, "lin", &a), 0);
	area = map(fd1, len, PROT_READ | PROT_WRITE, MAP_SHARED,
		   (off_t)KML_SHM_OFF_PARAM);
	expect("area close: map, then close the file",
	       area == MAP_FAILED ? -1 : close(fd1), 0);
	if (area != MAP_FAILED) {
		area[0] = NAN; /* our own memory still, no effect */
		area[1023] = 2.0f;
		check("area close: still readable and writable",
		      area[1023] == 2.0f);
		expect("area close: channel held by the mapping",
		       attach(fd2, "lin", &b), EBUSY);
		munmap(area, len);
	}
	expect("area close: attach after munmap", attach(fd2, "lin", &b), 0);
	close(fd2);
}

static void bad_wait_and_tail(int fd, const struct kml_shm_attach *a)
{
	struct kml_shm_wait wt = { .timeout_ns = 61ull * 1000000000ull };
	struct kml_shm_stats s0, s1;
	struct kml_shm_cons *cons;

	expect("WAIT: more than a minute", ioctl(fd, KML_SHM_IOC_WAIT, &wt),
	       EINVAL);
	expect("WAIT: wild pointer", ioctl(fd, KML_SHM_IOC_WAIT, (void *)16),
	       EFAULT);
	wt.timeout_ns = 500000000ull;
	expect("WAIT: records arrive", ioctl(fd, KML_SHM_IOC_WAIT, &wt), 0);
	{
		struct epoll_event ev = { .events = EPOLLIN }, out;
		int ep = epoll_create1(EPOLL_CLOEXEC);

		expect("epoll_ctl ADD", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev),
		       0);
		check("epoll: readable when records wait",
		      epoll_wait(ep, &out, 1, 500) == 1 &&
			  (out.events & EPOLLIN));
		close(ep);
	}
	cons = mmap(NULL, a->cons_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    (off_t)KML_SHM_OFF_CONS);
	expect("mmap consumer page", cons == MAP_FAILED ? -1 : 0, 0);
	if (cons == MAP_FAILED)
		return;
	ioctl(fd, KML_SHM_IOC_STATS, &s0);
	cons->tail = ~0ull; /* beyond the head */
	usleep(30000);
	cons->tail = s0.consumed + (1ull << 40);
	usleep(30000);
	cons->tail = s0.consumed ? s0.consumed - 1 : 0; /* backwards */
	usleep(30000);
	ioctl(fd, KML_SHM_IOC_STATS, &s1);
	check("garbage consumer positions ignored and counted",
	      s1.bad_tail > s0.bad_tail && s1.consumed == s0.consumed);
	check("pushes go on (dropped when full)", s1.produced > s0.produced);
	/* a valid position still works */
	cons->tail = s1.consumed + 1;
	usleep(10000);
	ioctl(fd, KML_SHM_IOC_STATS, &s0);
	check("a valid consumer position is accepted",
	      s0.consumed == s1.consumed + 1);
	munmap(cons, a->cons_bytes);
}

static void two_trainers(void)
{
	struct kml_shm_attach a, b;
	int fd1 = dev_open(), fd2 = dev_open();
	struct kml_shu *s;
	void *p;

	expect("first trainer attaches", attach(fd1, "lin", &a), 0);
	expect("ATTACH twice on one file", attach(fd1, "lin", &b), EISCONN);
	expect("second trainer on the channel", attach(fd2, "lin", &b), EBUSY);
	check("library: second trainer gets KML_EBUSY",
	      kml_shu_open(&s, NULL, "lin") == KML_EBUSY);
	expect("second file may attach another channel",
	       attach(fd2, "flood", &b), 0);
	close(fd2);
	/* closing with the ring still mapped: the attachment lives on */
	p = mmap(NULL, a.ring_bytes, PROT_READ, MAP_SHARED, fd1, 0);
	expect("map, then close the file", p == MAP_FAILED ? -1 : close(fd1),
	       0);
	fd2 = dev_open();
	expect("channel still held by the mapping", attach(fd2, "lin", &b),
	       EBUSY);
	if (p != MAP_FAILED) {
		check("mapping readable after close",
		      ((const struct kml_shm_ring_hdr *)p)->capacity ==
			  a.capacity);
		munmap(p, a.ring_bytes);
	}
	expect("attach after munmap", attach(fd2, "lin", &b), 0);
	close(fd2);
}

/* A trainer killed while reading and publishing: the channel recovers. */
static void killed_mid_transfer(void)
{
	struct kml_shm_stats st;
	struct kml_shu *s;
	pid_t pid;
	int status, ret, i;

	for (i = 0; i < 3; i++) {
		pid = fork();
		if (pid == 0) {
			float rec[64 * 5], par[5] = { 0 };
			uint64_t v = 0;
			size_t n;

			if (kml_shu_open(&s, NULL, "lin"))
				_exit(3);
			kml_shu_params(s, par, sizeof(par), &v);
			for (;;) {
				kml_shu_wait(s, 10000000ull);
				kml_shu_read(s, rec, 64, &n);
				kml_shu_publish(s, par, sizeof(par), ++v);
			}
		}
		usleep(100000 + i * 50000);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		check("trainer killed by SIGKILL",
		      WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	}
	ret = kml_shu_open(&s, NULL, "lin");
	check("a new trainer attaches after the kill", ret == KML_OK);
	if (ret)
		return;
	kml_shu_stats(s, &st);
	check("stats after the kills: attached, not dead",
	      st.attached == 1 && !st.dead);
	kml_shu_close(s);
}

/*
 * --hup: attached to "flood", drain it with poll() until the client
 * destroys the channel (the guest unloads kmlib_shared_test meanwhile):
 * poll must report POLLHUP, WAIT and PUBLISH ENODEV, the mapping must
 * stay readable.
 */
static int until_hup(void)
{
	static uint8_t recs[256 * 64];
	struct kml_shm_stats st;
	struct pollfd pfd;
	struct kml_shu *s;
	float par[16] = { 0 };
	time_t t_end;
	int i, ret;
	size_t n;

	ret = kml_shu_open(&s, NULL, "flood");
	check("--hup: attach flood", ret == KML_OK);
	if (ret)
		return 1;
	printf("# ready\n");
	pfd = (struct pollfd){ .fd = kml_shu_fd(s), .events = POLLIN };
	/* 30 s at most by the clock (poll returns at once with records) */
	for (t_end = time(NULL) + 30; time(NULL) < t_end;) {
		pfd.revents = 0;
		if (poll(&pfd, 1, 100) < 0)
			break;
		if (pfd.revents & POLLHUP)
			break;
		/* a bounded drain: the producer may be faster than we are */
		for (i = 0; i < 64; i++)
			if (kml_shu_read(s, recs, 256, &n) != KML_OK)
				break;
	}
	check("--hup: poll reports POLLHUP", pfd.revents & POLLHUP);
	/* records pushed before the end are still delivered, then no more */
	while (kml_shu_read(s, recs, 256, &n) == KML_OK)
		;
	check("--hup: WAIT gives ENODEV (KML_ENOENT)",
	      kml_shu_wait(s, 1000000ull) == KML_ENOENT);
	check("--hup: PUBLISH gives ENODEV",
	      kml_shu_publish(s, par, sizeof(par), ~0ull) == -ENODEV);
	check("--hup: STATS says dead",
	      kml_shu_stats(s, &st) == KML_OK && st.dead == 1);
	check("--hup: the mapping is still readable",
	      kml_shu_info(s)->capacity == 4096 &&
		  kml_shu_read(s, recs, 256, &n) == KML_EAGAIN);
	kml_shu_close(s);
	printf("# shm_hostile --hup: %d cases, %d failed\n", n_case, n_fail);
	return n_fail ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct kml_shm_attach a;
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "--hup"))
		return until_hup();
	bad_numbers();
	fd = dev_open();
	expect("ATTACH lin", attach(fd, "lin", &a), 0);
	check("ATTACH reports the channel",
	      a.record_size == 20 && a.param_bytes == 20 && a.ndim == 1 &&
		  a.shape[0] == 5 && a.meta[0] == 4 && a.capacity == 1024);
	bad_maps(fd, &a);
	bad_publish(fd);
	param_area(fd);
	weights_view(fd);
	bad_wait_and_tail(fd, &a);
	close(fd);
	two_trainers();
	area_close_mapped();
	killed_mid_transfer();
	printf("# shm_hostile: %d cases, %d failed\n", n_case, n_fail);
	return n_fail ? 1 : 0;
}
