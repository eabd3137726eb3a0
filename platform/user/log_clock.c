// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * log_clock.c - leveled logging to stderr, the monotonic clock and the
 * calling thread's CPU clock.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include "kmlib/platform.h"

static kml_atomic_t log_level = KML_ATOMIC_INIT(KML_LOG_WARN);

void kml_log_msg(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > kml_atomic_read(&log_level))
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void kml_log_set_level(int level)
{
	kml_atomic_set(&log_level, level);
}

int kml_log_get_level(void)
{
	return kml_atomic_read(&log_level);
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts))
		return 0; /* cannot fail for these clocks on Linux */
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t kml_time_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t kml_thread_cpu_ns(void)
{
	return clock_ns(CLOCK_THREAD_CPUTIME_ID);
}
