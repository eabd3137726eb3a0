/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * ktest.h - the shared test-case contract. The SAME case tables in
 * tests/cases/ run under CMocka in user space (tests/user/run_cases.c) and
 * inside the kernel (tests/kernel/kmlib_test.c).
 *
 * A case never prints and never allocates from the system directly: it
 * records failures in its context, takes memory from t->mem, and feeds the
 * bytes of its results to kt_digest(). Runners compare the digests of the
 * two targets: equal digests mean bit-identical outputs.
 *
 * A suite marked .fpu runs entirely inside kml_fpu_begin()/kml_fpu_end();
 * in the kernel its t->mem is an arena prepared before the section, so
 * allocating from it neither sleeps nor calls the system allocator. Its
 * file is listed as "fpu" in tests/cases/sources.list.
 */
#ifndef KMLIB_KTEST_H
#define KMLIB_KTEST_H

#include "kmlib/kml_deps.h"
#include "kmlib/platform.h"

struct kt_ctx {
	const char *name;
	int failed; /* number of failed expectations */
	char msg[192]; /* the first failure */
	uint64_t digest; /* FNV-1a 64 over kt_digest() input */
	uint64_t digested; /* bytes digested */
	struct kml_mem *mem; /* memory for this case */
	bool in_kernel; /* informational only: results must not depend on it */
};

struct kt_case {
	const char *name;
	void (*run)(struct kt_ctx *t);
};

struct kt_suite {
	const char *name;
	bool fpu; /* run the whole suite inside an FPU section */
	size_t arena_bytes; /* memory a case may use (kernel arena size) */
	const struct kt_case *cases;
	size_t n_cases;
};

#define KT_SUITE(sym, nm, is_fpu, arena, table)                                \
	const struct kt_suite sym = { .name = nm,                              \
				      .fpu = is_fpu,                           \
				      .arena_bytes = arena,                    \
				      .cases = table,                          \
				      .n_cases = KML_ARRAY_SIZE(table) }

/* clang-format off */
void kt_fail(struct kt_ctx *t, const char *file, int line, const char *fmt,
	     ...) __attribute__((format(printf, 4, 5)));
/* clang-format on */
void kt_digest(struct kt_ctx *t, const void *buf, size_t n);
void kt_ctx_init(struct kt_ctx *t, const char *name, struct kml_mem *mem);

#define KT_EXPECT(t, cond)                                                     \
	do {                                                                   \
		if (!(cond))                                                   \
			kt_fail((t), __FILE__, __LINE__, "%s", #cond);         \
	} while (0)

#define KT_EXPECT_EQ(t, a, b)                                                  \
	do {                                                                   \
		long long kt_a_ = (long long)(a), kt_b_ = (long long)(b);      \
		if (kt_a_ != kt_b_)                                            \
			kt_fail((t), __FILE__, __LINE__,                       \
				"%s == %s: %lld != %lld", #a, #b, kt_a_,       \
				kt_b_);                                        \
	} while (0)

#define KT_EXPECT_OK(t, expr) KT_EXPECT_EQ(t, (expr), 0)

/* Float comparisons report the bit patterns: the kernel cannot print floats. */
#define KT_EXPECT_NEAR(t, a, b, tol)                                           \
	do {                                                                   \
		double kt_a_ = (double)(a), kt_b_ = (double)(b);               \
		double kt_d_ = kt_a_ > kt_b_ ? kt_a_ - kt_b_ : kt_b_ - kt_a_;  \
		if (!(kt_d_ <= (double)(tol)))                                 \
			kt_fail((t), __FILE__, __LINE__,                       \
				"|%s - %s| > %s (bits %llx vs %llx)", #a, #b,  \
				#tol, kt_bits64(kt_a_), kt_bits64(kt_b_));     \
	} while (0)

static inline unsigned long long kt_bits64(double d)
{
	unsigned long long u;

	kml_memcpy(&u, &d, sizeof(u));
	return u;
}

/* Every suite, in run order (tests/cases/all_suites.c). */
extern const struct kt_suite *const kt_all_suites[];
extern const size_t kt_n_suites;

#endif /* KMLIB_KTEST_H */
