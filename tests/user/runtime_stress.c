// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * runtime_stress.c - the ring and publication stress engines of the
 * shared cases, run long with 3 producers and several capacities, with
 * what happened printed (drops, retries, high-water marks, failed reads).
 * Optional argv[1]: divide every count by it (the TSan step uses 20).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "../cases/runtime_stress.h"

static const char *mode_name(enum kml_ring_mode m)
{
	return m == KML_RING_BLOCK	   ? "block"
	       : m == KML_RING_DROP_NEWEST ? "drop-newest"
					   : "drop-oldest";
}

static int check(struct kt_ctx *t, struct kml_mem *mem, const char *what)
{
	if (kml_mem_current(mem))
		kt_fail(t, __FILE__, __LINE__, "leaked %zu bytes",
			kml_mem_current(mem));
	if (!t->failed)
		return 0;
	printf("FAIL %s: %d failure(s), first: %s\n", what, t->failed, t->msg);
	return 1;
}

/* Drop the pages of @dst: the next copy into it faults on every page. */
static void evict(void *dst, size_t size)
{
	madvise(dst, size, MADV_DONTNEED);
}

int main(int argc, char **argv)
{
	static const size_t caps[] = { 8, 64, 1024 };
	static const enum kml_ring_mode modes[] = { KML_RING_BLOCK,
						    KML_RING_DROP_NEWEST,
						    KML_RING_DROP_OLDEST };
	unsigned long scale = argc > 1 ? strtoul(argv[1], NULL, 10) : 1;
	int failed = 0;
	size_t m, c, f;

	if (scale == 0)
		scale = 1;
	for (m = 0; m < KML_ARRAY_SIZE(modes); m++) {
		for (f = 0; f < 2; f++) {
			for (c = 0; c < 2 * KML_ARRAY_SIZE(caps); c++) {
				/* each capacity: 24-, then 8-byte records */
				struct kt_ring_stress cfg = {
					.mode = modes[m],
					.flags = f ? KML_RING_MP : KML_RING_SP,
					.producers = f ? 3 : 1,
					.per_producer =
					    (uint32_t)(600000 / scale),
					.capacity = caps[c / 2],
					.spin_ns = modes[m] == KML_RING_BLOCK
						       ? 50000
						       : 0,
					.time_limit_ns = 120000000000ull,
					.rec8 = c & 1
				};
				struct kt_ring_stress_out out;
				struct kml_mem mem;
				struct kt_ctx t;
				char name[64];

				snprintf(
				    name, sizeof(name), "ring %s %s cap %zu%s",
				    mode_name(modes[m]), f ? "MP x3" : "SP",
				    caps[c / 2], c & 1 ? " 8B" : "");
				kml_mem_init(&mem, name, 0);
				kt_ctx_init(&t, name, &mem);
				kt_ring_stress_run(&t, &cfg, &out);
				printf(
				    "%-28s produced %8llu consumed %8llu "
				    "dropped %8llu rejected %6llu hwm %4llu\n",
				    name,
				    (unsigned long long)out.stats.produced,
				    (unsigned long long)out.stats.consumed,
				    (unsigned long long)out.stats.dropped,
				    (unsigned long long)out.stats.rejected,
				    (unsigned long long)out.stats.high_water);
				failed += check(&t, &mem, name);
			}
		}
	}
	/*
	 * f = 2, 3: buffers, readers pin too. f = 4: 2 buffers, publishes
	 * back to back, copies only, the calling thread's copies slowed by
	 * page faults so that the writer overtakes them: the generation check
	 * must reject those copies (they retry, or fail with KML_EAGAIN).
	 */
	uint8_t *slow = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* shared: dropping its pages keeps the contents */
	uint8_t *slow_src = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (slow == MAP_FAILED || slow_src == MAP_FAILED)
		return 2;
	for (f = 2; f <= 4; f++) {
		static const size_t sizes[] = { 8, 260, 4096, 1 << 20 };

		for (c = 0; c < KML_ARRAY_SIZE(sizes); c++) {
			struct kt_pub_stress cfg = {
				.size = sizes[c],
				.n_buffers = f == 3 ? 3 : 2,
				.versions =
				    (uint32_t)((sizes[c] > 4096 ? 2000
								: 100000) /
					       scale),
				.writer_pause = f == 4 ? 0 : 100,
				.copy_only = f == 4,
				.copy_dst = f == 4 ? slow : NULL,
				.before_copy = f == 4 ? evict : NULL,
				.publish_src = f == 4 ? slow_src : NULL,
				.before_publish = f == 4 ? evict : NULL,
				.time_limit_ns = 120000000000ull
			};
			struct kt_pub_stress_out out;
			struct kml_mem mem;
			struct kt_ctx t;
			char name[64];

			snprintf(name, sizeof(name), "publish %zu B, %u bufs%s",
				 sizes[c], cfg.n_buffers,
				 cfg.copy_only ? ", race" : "");
			kml_mem_init(&mem, name, 0);
			kt_ctx_init(&t, name, &mem);
			kt_pub_stress_run(&t, &cfg, &out);
			printf(
			    "%-28s versions %6llu reads ok %9llu again %7llu "
			    "publish busy %llu\n",
			    name, (unsigned long long)out.last_version,
			    (unsigned long long)out.reads_ok,
			    (unsigned long long)out.reads_again,
			    (unsigned long long)out.publish_busy);
			failed += check(&t, &mem, name);
		}
	}
	munmap(slow, 1 << 20);
	munmap(slow_src, 1 << 20);
	printf("%s\n", failed ? "FAILED" : "all stress runs passed");
	return failed ? 1 : 0;
}
