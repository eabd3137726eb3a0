// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* ktest_core.c - failure recording and digests for the shared cases. */
#include "../ktest.h"

void kt_ctx_init(struct kt_ctx *t, const char *name, struct kml_mem *mem)
{
	kml_memset(t, 0, sizeof(*t));
	t->name = name;
	t->mem = mem;
	t->digest = 0xcbf29ce484222325ull; /* FNV-1a 64 offset basis */
}

void kt_fail(struct kt_ctx *t, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->failed++)
		return; /* keep the first failure: it is the informative one */
	n = kml_snprintf(t->msg, sizeof(t->msg), "%s:%d: ", file, line);
	if (n < 0 || (size_t)n >= sizeof(t->msg))
		return;
	va_start(ap, fmt);
	kml_vsnprintf(t->msg + n, sizeof(t->msg) - (size_t)n, fmt, ap);
	va_end(ap);
}

void kt_digest(struct kt_ctx *t, const void *buf, size_t n)
{
	const uint8_t *p = buf;
	uint64_t h = t->digest;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull; /* FNV-1a 64 prime */
	}
	t->digest = h;
	t->digested += n;
}
