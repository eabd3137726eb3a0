// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * shm_bench.c - shared-mode throughput and publish latency, run in the
 * QEMU guest (statically linked): reads the "flood" channel of
 * kmlib_shared_test.ko (64-byte records pushed as fast as a kthread can)
 * for --seconds and reports records/s and MB/s through the ring, then
 * times N publications of its 16 float32 parameters (PUBLISH ioctl:
 * copy in, validation, lock-free publication) and reports p50/p99/max,
 * then the same from the mapped parameter area (KML_SHM_PUB_AREA), and
 * both again with 1 MiB on the "big" channel.
 * TCG emulation: compare within one run, not with real hardware.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kmlib/shared_user.h"
#include "kmlib/status.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * The kernel computed the target from the features with the same float
 * operations in the same order (SSE2, no contraction): a torn or mixed
 * record shows as a different target.
 */
static bool record_ok(const uint8_t *rec)
{
	const float *r = (const float *)rec;
	float y = 0.3f;
	uint32_t i;

	for (i = 0; i < 15; i++)
		y += (0.25f * (float)((i * 7u) % 9u) - 1.0f) * r[i];
	return !memcmp(&y, &r[15], sizeof(y));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, uint64_t *lat, int n, size_t bytes)
{
	qsort(lat, (size_t)n, sizeof(*lat), cmp_u64);
	printf("# shm_bench: %s x %d: p50 %.1f us, p99 %.1f us, max %.1f us "
	       "(%.0f MB/s at p50)\n",
	       what, n, lat[n / 2] / 1e3, lat[n * 99 / 100] / 1e3,
	       lat[n - 1] / 1e3, (double)bytes / 1e6 / (lat[n / 2] / 1e9));
}

/*
 * @n publications of what the parameter area holds, element i % count
 * changed before each (the ioctl alone is timed, as for the pointer).
 */
static int publish_area(struct kml_shu *s, uint64_t *lat, int n, uint64_t *v)
{
	uint64_t t0;
	size_t len;
	float *area;
	int i, ret;

	ret = kml_shu_param_area(s, (void **)&area, &len);
	if (ret) {
		printf("# shm_bench: FAIL map the parameter area: %d\n", ret);
		return 1;
	}
	for (i = 0; i < n; i++) {
		area[(size_t)i % (len / sizeof(float))] = (float)i * 0.001f;
		t0 = now_ns();
		ret = kml_shu_publish_area(s, ++*v);
		lat[i] = now_ns() - t0;
		if (ret) {
			printf("# shm_bench: FAIL publish from the area %d: "
			       "%d\n",
			       i, ret);
			return 1;
		}
	}
	return 0;
}

/* @n publications of 1 MiB (512 x 512 float32) on "big". */
static int publish_big(uint64_t *lat, int n)
{
	const size_t bytes = 512 * 512 * sizeof(float);
	struct kml_shu *s;
	float *par = calloc(1, bytes);
	uint64_t t0, v = 0;
	int i, ret;

	ret = par ? kml_shu_open(&s, NULL, "big") : KML_ENOMEM;
	if (ret) {
		printf("# shm_bench: FAIL attach big: %s\n",
		       kml_status_name(ret));
		free(par);
		return 1;
	}
	for (i = 0; i < n; i++) {
		par[i] = 1.0f;
		t0 = now_ns();
		ret = kml_shu_publish(s, par, bytes, ++v);
		lat[i] = now_ns() - t0;
		if (ret) {
			printf("# shm_bench: FAIL publish big %d: %d\n", i,
			       ret);
			break;
		}
	}
	free(par);
	if (!ret) {
		report("publish 1 MiB (512 x 512)", lat, n, bytes);
		ret = publish_area(s, lat, n, &v);
		if (!ret)
			report("publish 1 MiB from the area", lat, n, bytes);
	}
	kml_shu_close(s);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 2.0;
	int n_pub = argc > 2 ? atoi(argv[2]) : 500;
	static uint8_t recs[256 * 64];
	struct kml_shm_stats s0, s1;
	uint64_t t0, t1, got = 0, bad = 0, v = 0, *lat;
	float par[16] = { 0 };
	struct kml_shu *s;
	size_t n;
	int i, ret;

	ret = kml_shu_open(&s, NULL, "flood");
	if (ret || kml_shu_info(s)->record_size != 64) {
		printf("# shm_bench: FAIL attach flood: %s\n",
		       kml_status_name(ret));
		return 1;
	}
	lat = calloc((size_t)n_pub, sizeof(*lat));
	kml_shu_stats(s, &s0);
	t0 = now_ns();
	t1 = t0 + (uint64_t)(secs * 1e9);
	while (now_ns() < t1) {
		if (kml_shu_read(s, recs, 256, &n) == KML_OK) {
			got += n;
			/* check one record in 16 (all would slow the reader) */
			for (size_t k = 0; k < n; k += 16)
				bad += !record_ok(recs + k * 64);
		} else {
			kml_shu_wait(s, 1000000ull);
		}
	}
	t1 = now_ns();
	kml_shu_stats(s, &s1);
	printf("# shm_bench: ring: %llu records of 64 B in %.2f s = %.0f "
	       "records/s (%.1f MB/s), producer dropped %llu (ring full)\n",
	       (unsigned long long)got, (double)(t1 - t0) / 1e9,
	       (double)got * 1e9 / (double)(t1 - t0),
	       (double)got * 64 / 1e6 * 1e9 / (double)(t1 - t0),
	       (unsigned long long)(s1.dropped - s0.dropped));

	if (bad || !got) {
		printf("# shm_bench: FAIL %llu of the checked records are "
		       "wrong, %llu read\n",
		       (unsigned long long)bad, (unsigned long long)got);
		return 1;
	}
	kml_shu_params(s, par, sizeof(par), &v);
	for (i = 0; i < n_pub; i++) {
		par[i % 16] = (float)i * 0.001f;
		t0 = now_ns();
		ret = kml_shu_publish(s, par, sizeof(par), ++v);
		lat[i] = now_ns() - t0;
		if (ret) {
			printf("# shm_bench: FAIL publish %d: %d\n", i, ret);
			return 1;
		}
	}
	report("publish 64 B", lat, n_pub, sizeof(par));
	if (publish_area(s, lat, n_pub, &v))
		return 1;
	report("publish 64 B from the area", lat, n_pub, sizeof(par));
	/* the weights view (kml_shu_weights) shows what PARAMS shows */
	{
		float wv[16], wp[16];
		uint64_t vv = 0, vp = 0;

		if (kml_shu_weights(s, wv, sizeof(wv), &vv) ||
		    kml_shu_params(s, wp, sizeof(wp), &vp) || vv != v ||
		    vp != v || memcmp(wv, wp, sizeof(wv))) {
			printf("# shm_bench: FAIL weights view: version %llu, "
			       "PARAMS %llu, expected %llu\n",
			       (unsigned long long)vv, (unsigned long long)vp,
			       (unsigned long long)v);
			return 1;
		}
	}
	kml_shu_close(s);
	ret = publish_big(lat, n_pub < 50 ? n_pub : 50);
	free(lat);
	return ret;
	return 0;
}
