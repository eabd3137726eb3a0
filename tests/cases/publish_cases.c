// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * publish_cases.c - lock-free snapshot publication: versions, copies and
 * pins, a pinned buffer never rewritten, bad input, and a stress where a
 * writer thread publishes recognisable versions while readers check that
 * no snapshot mixes two of them. No float code.
 */
#include "runtime_stress.h"

/* publish_compact_cases.c runs these sequences again with KML_PUB_COMPACT */
#ifndef KT_PUB_FLAGS
#define KT_PUB_FLAGS 0
#define KT_PUB_SUITE kt_suite_publish
#define KT_PUB_NAME "publish"
#endif

/* The default suite goes through kml_pub_create, the compact one not. */
static int pub_create(struct kml_pub **out, struct kml_mem *mem, size_t size,
		      unsigned int n_buffers, const void *initial)
{
	if (KT_PUB_FLAGS)
		return kml_pub_create_flags(out, mem, size, n_buffers, initial,
					    KT_PUB_FLAGS);
	return kml_pub_create(out, mem, size, n_buffers, initial);
}

/* Byte @i of version @v: the first 8 bytes hold v itself. */
static uint8_t pattern(uint64_t v, size_t i)
{
	if (i < 8)
		return (uint8_t)(v >> (8 * i));
	return (uint8_t)(v * 167u + i * 13u + (v >> 8) + (i >> 8) * 5u);
}

static void fill(uint8_t *buf, size_t size, uint64_t v)
{
	size_t i;

	for (i = 0; i < size; i++)
		buf[i] = pattern(v, i);
}

/* True if @buf is exactly version @v (so no mix of two versions). */
static bool is_version(const uint8_t *buf, size_t size, uint64_t v)
{
	size_t i;

	for (i = 0; i < size; i++)
		if (buf[i] != pattern(v, i))
			return false;
	return true;
}

static void expect_read(struct kt_ctx *t, struct kml_pub *p, uint64_t want)
{
	uint8_t buf[40];
	uint64_t v = 12345;

	KT_EXPECT_OK(t, kml_pub_read(p, buf, sizeof(buf), &v));
	KT_EXPECT_EQ(t, v, want);
	KT_EXPECT(t, is_version(buf, sizeof(buf), want));
	KT_EXPECT_OK(t, kml_pub_version(p, &v));
	KT_EXPECT_EQ(t, v, want);
	kt_digest(t, buf, sizeof(buf));
}

static void versions(struct kt_ctx *t)
{
	uint8_t src[40];
	struct kml_pub *p = NULL;
	uint64_t v, k;

	fill(src, sizeof(src), 0);
	KT_EXPECT_OK(t, pub_create(&p, t->mem, sizeof(src), 2, src));
	if (!p)
		return;
	KT_EXPECT_EQ(t, kml_pub_size(p), 40);
	expect_read(t, p, 0);
	for (k = 1; k <= 5; k++) {
		fill(src, sizeof(src), k);
		KT_EXPECT_OK(t, kml_pub_publish(p, src, sizeof(src), &v));
		KT_EXPECT_EQ(t, v, k);
		expect_read(t, p, k);
	}
	KT_EXPECT_OK(t, kml_pub_publish(p, src, sizeof(src), NULL));
	KT_EXPECT_OK(t, kml_pub_read(p, src, sizeof(src), NULL));
	kml_pub_destroy(p);

	/* no initial contents: version 0 is all zeros */
	KT_EXPECT_OK(t, pub_create(&p, t->mem, 13, 3, NULL));
	if (!p)
		return;
	kml_memset(src, 0xff, sizeof(src));
	KT_EXPECT_OK(t, kml_pub_read(p, src, 13, &v));
	KT_EXPECT_EQ(t, v, 0);
	for (k = 0; k < 13; k++)
		KT_EXPECT_EQ(t, src[k], 0);
	KT_EXPECT_EQ(t, src[13], 0xff); /* nothing written past size */
	kml_pub_destroy(p);
}

/* Every size from 1 to 24 bytes reads back whole, nothing written past. */
static void sizes(struct kt_ctx *t)
{
	uint8_t src[24], dst[26];
	size_t size, i;

	for (size = 1; size <= 24; size++) {
		struct kml_pub *p = NULL;
		uint64_t v;

		fill(src, size, 0);
		KT_EXPECT_OK(t, pub_create(&p, t->mem, size, 2, src));
		if (!p)
			return;
		fill(src, size, size * 1000);
		KT_EXPECT_OK(t, kml_pub_publish(p, src, size, &v));
		kml_memset(dst, 0xa5, sizeof(dst));
		KT_EXPECT_OK(t, kml_pub_read(p, dst, size, &v));
		KT_EXPECT_EQ(t, v, 1);
		for (i = 0; i < size; i++)
			KT_EXPECT_EQ(t, dst[i], pattern(size * 1000, i));
		KT_EXPECT_EQ(t, dst[size], 0xa5);
		kt_digest(t, dst, size);
		kml_pub_destroy(p);
	}
}

/* Two buffers: a pin on the old one holds the writer off, never tears. */
static void pin_two_buffers(struct kt_ctx *t)
{
	struct kml_pub_view view;
	struct kml_pub *p = NULL;
	uint8_t src[40];
	uint64_t v;

	KT_EXPECT_OK(t, pub_create(&p, t->mem, sizeof(src), 2, NULL));
	if (!p)
		return;
	fill(src, sizeof(src), 1);
	KT_EXPECT_OK(t, kml_pub_publish(p, src, sizeof(src), &v));
	KT_EXPECT_OK(t, kml_pub_pin(p, &view));
	KT_EXPECT_EQ(t, view.version, 1);
	KT_EXPECT(t, view.data && is_version(view.data, sizeof(src), 1));
	fill(src, sizeof(src), 2);
	KT_EXPECT_OK(t, kml_pub_publish(p, src, sizeof(src), &v));
	/* the only other buffer is pinned */
	fill(src, sizeof(src), 3);
	KT_EXPECT_EQ(t, kml_pub_publish(p, src, sizeof(src), &v), KML_EBUSY);
	KT_EXPECT(t, is_version(view.data, sizeof(src), 1));
	expect_read(t, p, 2);
	KT_EXPECT_OK(t, kml_pub_unpin(p, &view));
	KT_EXPECT(t, view.data == NULL);
	KT_EXPECT_EQ(t, kml_pub_unpin(p, &view), KML_EINVAL);
	KT_EXPECT_OK(t, kml_pub_publish(p, src, sizeof(src), &v));
	KT_EXPECT_EQ(t, v, 3);
	expect_read(t, p, 3);
	kml_pub_destroy(p);
}

/* Three buffers: one old pin never stops the writer; two do. */
static void pin_three_buffers(struct kt_ctx *t)
{
	struct kml_pub_view old, recent;
	struct kml_pub *p = NULL;
	uint8_t src[40];
	uint64_t v, k;

	fill(src, sizeof(src), 0);
	KT_EXPECT_OK(t, pub_create(&p, t->mem, sizeof(src), 3, src));
	if (!p)
		return;
	KT_EXPECT_OK(t, kml_pub_pin(p, &old));
	KT_EXPECT_EQ(t, old.version, 0);
	for (k = 1; k <= 4; k++) {
		fill(src, sizeof(src), k);
		KT_EXPECT_OK(t, kml_pub_publish(p, src, sizeof(src), &v));
		KT_EXPECT(t, is_version(old.data, sizeof(src), 0));
	}
	expect_read(t, p, 4);
	KT_EXPECT_OK(t, kml_pub_pin(p, &recent));
	KT_EXPECT_EQ(t, recent.version, 4);
	fill(src, sizeof(src), 5);
	KT_EXPECT_OK(t, kml_pub_publish(p, src, sizeof(src), &v));
	fill(src, sizeof(src), 6);
	KT_EXPECT_EQ(t, kml_pub_publish(p, src, sizeof(src), &v), KML_EBUSY);
	KT_EXPECT(t, is_version(old.data, sizeof(src), 0));
	KT_EXPECT(t, is_version(recent.data, sizeof(src), 4));
	expect_read(t, p, 5);
	KT_EXPECT_OK(t, kml_pub_unpin(p, &old));
	KT_EXPECT_OK(t, kml_pub_publish(p, src, sizeof(src), &v));
	KT_EXPECT_EQ(t, v, 6);
	KT_EXPECT(t, is_version(recent.data, sizeof(src), 4));
	KT_EXPECT_OK(t, kml_pub_unpin(p, &recent));
	expect_read(t, p, 6);
	kml_pub_destroy(p);
}

static void bad_input(struct kt_ctx *t)
{
	struct kml_pub *p = (void *)1;
	struct kml_pub_view view = { 0 };
	struct kml_mem small;
	uint8_t buf[16] = { 0 };
	uint64_t v = 7;

	KT_EXPECT_EQ(t, pub_create(NULL, t->mem, 16, 2, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, pub_create(&p, NULL, 16, 2, NULL), KML_EINVAL);
	KT_EXPECT(t, p == NULL);
	KT_EXPECT_EQ(t, pub_create(&p, t->mem, 0, 2, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, pub_create(&p, t->mem, 16, 1, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, pub_create(&p, t->mem, 16, 4, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, pub_create(&p, t->mem, KML_PUB_MAX_SIZE + 1, 2, NULL),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, pub_create(&p, t->mem, SIZE_MAX, 3, NULL), KML_EINVAL);
	KT_EXPECT_EQ(
	    t, kml_pub_create_flags(&p, t->mem, 16, 2, NULL, KT_PUB_FLAGS | 2),
	    KML_EINVAL);
	KT_EXPECT_OK(t, kml_mem_init(&small, "pub-small", 1024));
	KT_EXPECT_EQ(t, pub_create(&p, &small, 4096, 2, NULL), KML_ENOMEM);
	KT_EXPECT(t, p == NULL);
	KT_EXPECT_EQ(t, kml_mem_current(&small), 0);

	KT_EXPECT_EQ(t, kml_pub_publish(NULL, buf, 16, &v), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_pub_read(NULL, buf, 16, &v), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_pub_pin(NULL, &view), KML_EINVAL);
	KT_EXPECT(t, view.data == NULL);
	KT_EXPECT_EQ(t, kml_pub_unpin(NULL, &view), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_pub_version(NULL, &v), KML_EINVAL);
	KT_EXPECT_EQ(t, v, 0);
	KT_EXPECT_EQ(t, kml_pub_size(NULL), 0);
	kml_pub_destroy(NULL);

	KT_EXPECT_OK(t, pub_create(&p, t->mem, 16, 2, NULL));
	if (!p)
		return;
	KT_EXPECT_EQ(t, kml_pub_publish(p, NULL, 16, &v), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_pub_publish(p, buf, 15, &v), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_pub_publish(p, buf, 17, &v), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_pub_read(p, NULL, 16, &v), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_pub_read(p, buf, 8, &v), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_pub_pin(p, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_pub_version(p, NULL), KML_EINVAL);
	/* a forged or foreign view is refused, the real one still works */
	KT_EXPECT_OK(t, kml_pub_pin(p, &view));
	view.buf = 5;
	KT_EXPECT_EQ(t, kml_pub_unpin(p, &view), KML_EINVAL);
	view.buf ^= 5;
	view.data = buf;
	KT_EXPECT_EQ(t, kml_pub_unpin(p, &view), KML_EINVAL);
	KT_EXPECT_OK(t, kml_pub_pin(p, &view));
	KT_EXPECT_OK(t, kml_pub_unpin(p, &view));
	/* nothing above published anything */
	KT_EXPECT_OK(t, kml_pub_version(p, &v));
	KT_EXPECT_EQ(t, v, 0);
	kml_pub_destroy(p);
}

/*
 * The stress runs four threads: a writer, a copying reader, a pinning
 * reader (a second copier with copy_only) and an in-place reader
 * (kml_pub_begin / kml_pub_retry, whose "model" reads every word of the
 * buffer and whose result is checked only once retry accepted it). The
 * calling thread only waits
 * in kml_thread_stop: in a kernel without preemption a busy-waiting test
 * thread would keep the writer off the CPU. Readers sleep a little every
 * few reads for the same reason.
 */
struct pub_reader {
	struct pub_job *job;
	bool pin, in_place;
	uint8_t *buf; /* copy destination */
	void (*before_copy)(void *dst, size_t size);
	uint64_t reads_ok, reads_again;
	int torn, backwards, changed_while_pinned, status;
};

struct pub_job {
	const struct kt_pub_stress *cfg;
	struct kml_pub *pub;
	kml_atomic_t writer_done;
	uint64_t busy;
	int bad_status;
	bool timed_out;
	uint8_t *src;
	struct pub_reader reader[3];
};

static int pub_writer(struct kml_thread *self, void *arg)
{
	struct pub_job *job = arg;
	const struct kt_pub_stress *cfg = job->cfg;
	uint8_t *src = cfg->publish_src ? cfg->publish_src : job->src;
	uint64_t start = kml_time_ns();
	uint32_t v;
	int k;

	(void)self;
	for (v = 1; v <= cfg->versions; v++) {
		int ret;

		fill(src, cfg->size, v);
		if (cfg->before_publish)
			cfg->before_publish(src, cfg->size);
		while ((ret = kml_pub_publish(job->pub, src, cfg->size,
					      NULL)) == KML_EBUSY) {
			job->busy++;
			kml_cpu_relax();
		}
		if (ret) {
			job->bad_status = ret;
			break;
		}
		if (kml_time_ns() - start > cfg->time_limit_ns) {
			job->timed_out = true;
			break;
		}
		/* let readers in between publishes, or not at all */
		for (k = 0; k < (int)cfg->writer_pause; k++)
			kml_cpu_relax();
	}
	kml_atomic_store_release(&job->writer_done, 1);
	return 0;
}

/*
 * The in-place reader's model: every word of the buffer, read with
 * single-copy-atomic loads (the writer may be storing them: a defined
 * race, nothing for TSan to report), into the reader's buffer.
 */
static void model_in_place(uint8_t *dst, const void *data, size_t size)
{
	const uint64_t *w = data;
	size_t i;

	for (i = 0; i < size; i += 8) {
		uint64_t x = kml_load_relaxed64(&w[i / 8]);

		kml_memcpy(dst + i, &x, size - i < 8 ? size - i : 8);
	}
}

/* The version a buffer claims: its first 8 bytes (see pattern()). */
static uint64_t claimed_version(const uint8_t *buf, size_t size)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < 8 && i < size; i++)
		v |= (uint64_t)buf[i] << (8 * i);
	return v;
}

/* One in-place read: begin, model, retry (4 attempts at most). */
static int read_in_place(struct pub_reader *rd, uint64_t *v)
{
	const struct kt_pub_stress *cfg = rd->job->cfg;
	struct kml_pub_seq s;
	int k, ret;

	for (k = 0; k < KML_PUB_READ_TRIES; k++) {
		ret = kml_pub_begin(rd->job->pub, &s);
		if (ret)
			return ret;
		model_in_place(rd->buf, s.data, cfg->size);
		ret = kml_pub_retry(&s);
		if (ret == KML_EAGAIN)
			continue;
		if (ret)
			return ret;
		*v = claimed_version(rd->buf, cfg->size);
		if (!is_version(rd->buf, cfg->size, *v))
			rd->torn++;
		return KML_OK;
	}
	return KML_EAGAIN;
}

/* One read by copy or by pin; KML_OK with a verified version in *@v. */
static int read_one(struct pub_reader *rd, uint64_t *v)
{
	const struct kt_pub_stress *cfg = rd->job->cfg;
	struct kml_pub_view view;
	int ret, k;

	if (rd->in_place)
		return read_in_place(rd, v);
	if (!rd->pin) {
		if (rd->before_copy)
			rd->before_copy(rd->buf, cfg->size);
		ret = kml_pub_read(rd->job->pub, rd->buf, cfg->size, v);
		if (ret == KML_OK && !is_version(rd->buf, cfg->size, *v))
			rd->torn++;
		return ret;
	}
	ret = kml_pub_pin(rd->job->pub, &view);
	if (ret)
		return ret;
	*v = view.version;
	if (!is_version(view.data, cfg->size, *v))
		rd->torn++;
	for (k = 0; k < 16; k++) /* hold it a moment */
		kml_cpu_relax();
	if (!is_version(view.data, cfg->size, *v))
		rd->changed_while_pinned++;
	return kml_pub_unpin(rd->job->pub, &view);
}

static int pub_reader(struct kml_thread *self, void *arg)
{
	struct pub_reader *rd = arg;
	uint64_t last = 0, v = 0;
	uint32_t n = 0;

	while (!kml_atomic_load_acquire(&rd->job->writer_done)) {
		int ret = read_one(rd, &v);

		if (ret == KML_EAGAIN) {
			rd->reads_again++;
		} else if (ret) {
			rd->status = ret;
			break;
		} else {
			rd->reads_ok++;
			if (v < last)
				rd->backwards++;
			last = v;
		}
		if ((++n & 31) == 0)
			kml_thread_sleep(self, 2000);
	}
	return 0;
}

void kt_pub_stress_run(struct kt_ctx *t, const struct kt_pub_stress *cfg,
		       struct kt_pub_stress_out *out)
{
	struct kml_thread *writer = NULL, *rth[3] = { NULL, NULL, NULL };
	struct pub_job *job;
	uint8_t *last;
	uint64_t v;
	int i;

	kml_memset(out, 0, sizeof(*out));
	if (kml_alloc(t->mem, sizeof(*job), KML_MEM_ZERO, (void **)&job)) {
		kt_fail(t, __FILE__, __LINE__, "no memory");
		return;
	}
	job->cfg = cfg;
	KT_EXPECT_OK(
	    t, kml_alloc_array(t->mem, 5, cfg->size, 0, (void **)&job->src));
	if (!job->src)
		goto free_job;
	for (i = 0; i < 3; i++) {
		struct pub_reader *rd = &job->reader[i];

		rd->job = job;
		rd->pin = i == 1 && !cfg->copy_only;
		rd->in_place = i == 2;
		rd->buf = job->src + (size_t)(i + 1) * cfg->size;
		if (i == 0 && cfg->copy_dst) {
			rd->buf = cfg->copy_dst;
			rd->before_copy = cfg->before_copy;
		}
	}
	last = job->src + 4 * cfg->size;
	fill(job->src, cfg->size, 0);
	KT_EXPECT_OK(t, pub_create(&job->pub, t->mem, cfg->size, cfg->n_buffers,
				   job->src));
	if (!job->pub)
		goto free_bufs;
	for (i = 0; i < 3; i++)
		KT_EXPECT_OK(t, kml_thread_start(&rth[i], pub_reader,
						 &job->reader[i], "kt_pub_rd"));
	KT_EXPECT_OK(t,
		     kml_thread_start(&writer, pub_writer, job, "kt_pub_wr"));
	/* waits (sleeping) until every version is out */
	if (writer)
		KT_EXPECT_OK(t, kml_thread_stop(writer));
	kml_atomic_store_release(&job->writer_done, 1);
	for (i = 0; i < 3; i++) {
		struct pub_reader *rd = &job->reader[i];

		if (rth[i])
			KT_EXPECT_OK(t, kml_thread_stop(rth[i]));
		KT_EXPECT_EQ(t, rd->status, 0);
		KT_EXPECT_EQ(t, rd->torn, 0);
		KT_EXPECT_EQ(t, rd->changed_while_pinned, 0);
		KT_EXPECT_EQ(t, rd->backwards, 0);
		out->reads_ok += rd->reads_ok;
		out->reads_again += rd->reads_again;
	}
	KT_EXPECT(t, !job->timed_out);
	KT_EXPECT_EQ(t, job->bad_status, 0);
	out->publish_busy = job->busy;
	KT_EXPECT_OK(t, kml_pub_version(job->pub, &out->last_version));
	KT_EXPECT_EQ(t, out->last_version, cfg->versions);
	/* the final version reads back whole */
	KT_EXPECT_OK(t, kml_pub_read(job->pub, last, cfg->size, &v));
	KT_EXPECT_EQ(t, v, cfg->versions);
	KT_EXPECT(t, is_version(last, cfg->size, cfg->versions));
	kml_pub_destroy(job->pub);
free_bufs:
	kml_free(t->mem, job->src);
free_job:
	kml_free(t->mem, job);
}

static void stress(struct kt_ctx *t, size_t size, unsigned int n_buffers,
		   uint32_t writer_pause, bool copy_only)
{
	struct kt_pub_stress cfg = { .size = size,
				     .n_buffers = n_buffers,
				     .versions = 3000,
				     .writer_pause = writer_pause,
				     .copy_only = copy_only,
				     .time_limit_ns = 60000000000ull };
	struct kt_pub_stress_out out;

	kt_pub_stress_run(t, &cfg, &out);
	KT_EXPECT(t, out.reads_ok > 0);
	kt_digest(t, &out.last_version, sizeof(out.last_version));
}

static void stress_two_buffers(struct kt_ctx *t)
{
	stress(t, 260, 2, 100, false);
}

static void stress_three_buffers(struct kt_ctx *t)
{
	stress(t, 260, 3, 100, false);
}

/* Back-to-back publishes of a large snapshot: copies get overtaken. */
static void stress_copy_race(struct kt_ctx *t)
{
	stress(t, 2048, 2, 0, true);
}

/*
 * Bytes of a 36-byte snapshot with 2 buffers (mq-kmlib's linear model),
 * allocation header included, x86-64: each group on its own cache line,
 * or packed with KML_PUB_COMPACT.
 */
static void footprint(struct kt_ctx *t)
{
	struct kml_pub *p = NULL;
	struct kml_mem m;

	KT_EXPECT_OK(t, kml_mem_init(&m, "pub-footprint", 0));
	KT_EXPECT_OK(t, pub_create(&p, &m, 36, 2, NULL));
	KT_EXPECT_EQ(t, kml_mem_current(&m), KT_PUB_FLAGS ? 256 : 544);
	kml_pub_destroy(p);
	KT_EXPECT_EQ(t, kml_mem_current(&m), 0);
}

/*
 * In place, 2 buffers: a read begun on version 0 survives one publish (the
 * writer fills the other buffer) and is rejected after the second, which
 * refilled its buffer. A read begun while its buffer is being refilled
 * (odd generation, set through the ABI-internal layout) is rejected, also
 * after the refill completed. Bad input.
 */
static void in_place(struct kt_ctx *t)
{
	struct kml_pub_seq s, s2;
	struct kml_pub *p = NULL;
	struct kml_pub_buf *buf;
	uint8_t src[40];
	int64_t g;

	fill(src, sizeof(src), 0);
	KT_EXPECT_OK(t, pub_create(&p, t->mem, sizeof(src), 2, src));
	if (!p)
		return;
	KT_EXPECT_OK(t, kml_pub_begin(p, &s));
	KT_EXPECT(t, is_version(s.data, sizeof(src), 0));
	KT_EXPECT_OK(t, kml_pub_retry(&s));
	fill(src, sizeof(src), 1);
	KT_EXPECT_OK(t, kml_pub_publish(p, src, sizeof(src), NULL));
	KT_EXPECT_OK(t, kml_pub_retry(&s)); /* its buffer was not touched */
	KT_EXPECT(t, is_version(s.data, sizeof(src), 0));
	KT_EXPECT_OK(t, kml_pub_begin(p, &s2));
	KT_EXPECT(t, s2.data != s.data);
	KT_EXPECT(t, is_version(s2.data, sizeof(src), 1));
	fill(src, sizeof(src), 2);
	KT_EXPECT_OK(t, kml_pub_publish(p, src, sizeof(src), NULL));
	KT_EXPECT_EQ(t, kml_pub_retry(&s), KML_EAGAIN); /* refilled */
	KT_EXPECT_EQ(t, kml_pub_retry(&s), KML_EAGAIN);
	KT_EXPECT_OK(t, kml_pub_retry(&s2));
	kt_digest(t, s2.data, sizeof(src));

	/* the current buffer caught mid-refill (cannot happen in one thread) */
	buf = p->buf[kml_atomic_read(&p->cur_buf)];
	g = kml_atomic64_read(&buf->gen);
	kml_atomic64_set(&buf->gen, g + 1);
	KT_EXPECT_OK(t, kml_pub_begin(p, &s));
	KT_EXPECT_EQ(t, kml_pub_retry(&s), KML_EAGAIN);
	kml_atomic64_set(&buf->gen, g + 2);
	KT_EXPECT_EQ(t, kml_pub_retry(&s), KML_EAGAIN);
	KT_EXPECT_OK(t, kml_pub_begin(p, &s));
	KT_EXPECT_OK(t, kml_pub_retry(&s));
	KT_EXPECT(t, is_version(s.data, sizeof(src), 2));

	KT_EXPECT_EQ(t, kml_pub_begin(NULL, &s), KML_EINVAL);
	KT_EXPECT(t, s.data == NULL);
	KT_EXPECT_EQ(t, kml_pub_retry(&s), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_pub_begin(p, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_pub_retry(NULL), KML_EINVAL);
	kml_pub_destroy(p);
}

static const struct kt_case publish_cases[] = {
	{ "versions", versions },
	{ "sizes", sizes },
	{ "pin_two_buffers", pin_two_buffers },
	{ "pin_three_buffers", pin_three_buffers },
	{ "bad_input", bad_input },
	{ "in_place", in_place },
	{ "footprint", footprint },
	{ "stress_two_buffers", stress_two_buffers },
	{ "stress_three_buffers", stress_three_buffers },
	{ "stress_copy_race", stress_copy_race },
};

KT_SUITE(KT_PUB_SUITE, KT_PUB_NAME, false, 0, publish_cases);
