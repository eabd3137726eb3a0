// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * kmlib_test.c - runs every shared suite (tests/cases/) inside the kernel
 * when the module loads, the way tests/user/run_cases.c runs them in user
 * space, and prints the results as KTAP on the kernel log:
 *
 *   KTAP version 1
 *   1..N
 *   # digest <suite>.<case> <16 hex digits>
 *   ok N <suite>.<case>            or   not ok N <suite>.<case> # <failure>
 *
 * A nofpu case gets a heap owner. An fpu suite's case runs entirely
 * inside kml_fpu_begin()/kml_fpu_end() (preemption off, no printing) with
 * an arena of the suite's arena_bytes, vmalloc'ed before the section and
 * freed after it, so allocating in the case never sleeps.
 * Then the kernel-only suites (kernel_cases.c), without digests.
 * Loading always succeeds: the verdict is in the KTAP lines.
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/vmalloc.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include "../ktest.h"
#include "kernel_cases.h"

/* Kernel-only suites, after the shared ones; they print no digest. */
static const struct kt_suite *const kernel_suites[] = {
	&kt_suite_kernel,
};

/* One case's state, kept off the small kernel stack. */
struct kt_run {
	char name[128];
	struct kml_mem mem;
	struct kt_ctx t;
};

static void check_after_case(struct kt_run *r)
{
	int open = 0;

	if (kml_mem_current(&r->mem) != 0)
		kt_fail(&r->t, __FILE__, __LINE__, "case leaked %zu bytes",
			kml_mem_current(&r->mem));
	/* an FPU section left open would keep preemption off from here on */
	while (kml_fpu_active()) {
		kml_fpu_end();
		open++;
	}
	if (open)
		kt_fail(&r->t, __FILE__, __LINE__,
			"case left %d FPU section(s) open", open);
}

static void run_fpu_case(const struct kt_suite *suite, const struct kt_case *kc,
			 struct kt_run *r)
{
	/* an arena of 0 bytes means "allocates nothing": 16 holds nothing */
	size_t bytes = max_t(size_t, suite->arena_bytes, 16);
	void *arena = vmalloc(bytes);

	if (!arena) {
		kt_fail(&r->t, __FILE__, __LINE__,
			"no memory for a %zu-byte arena", bytes);
		return;
	}
	if (kml_mem_init_arena(&r->mem, r->name, arena, bytes)) {
		kt_fail(&r->t, __FILE__, __LINE__, "arena init failed");
	} else if (!kml_fpu_begin()) {
		kt_fail(&r->t, __FILE__, __LINE__, "FPU not usable");
	} else {
		kc->run(&r->t);
		kml_fpu_end();
	}
	check_after_case(r);
	vfree(arena);
}

static bool run_case(const struct kt_suite *suite, const struct kt_case *kc,
		     struct kt_run *r, size_t n, bool shared)
{
	snprintf(r->name, sizeof(r->name), "%s.%s", suite->name, kc->name);
	kml_mem_init(&r->mem, r->name, 0);
	kt_ctx_init(&r->t, r->name, &r->mem);
	r->t.in_kernel = true;
	if (suite->fpu) {
		run_fpu_case(suite, kc, r);
	} else {
		kc->run(&r->t);
		check_after_case(r);
	}
	if (shared)
		pr_info("# digest %s %016llx\n", r->name,
			(unsigned long long)r->t.digest);
	if (r->t.failed)
		pr_info("not ok %zu %s # %s\n", n, r->name, r->t.msg);
	else
		pr_info("ok %zu %s\n", n, r->name);
	/* the usual cause of an fpu case failing only here: its arena */
	if (suite->fpu && kml_mem_failed_count(&r->mem))
		pr_info("# %s: arena of %zu bytes: %llu allocation(s) refused, "
			"%lld bytes used (freed blocks are not reused)\n",
			r->name, suite->arena_bytes,
			(unsigned long long)kml_mem_failed_count(&r->mem),
			(long long)atomic64_read(&r->mem.arena_used));
	return !r->t.failed;
}

static size_t count_cases(const struct kt_suite *const *suites, size_t n)
{
	size_t s, total = 0;

	for (s = 0; s < n; s++)
		total += suites[s]->n_cases;
	return total;
}

/* Run @n_suites suites, numbering their cases from *@n + 1; count passes. */
static size_t run_suites(const struct kt_suite *const *suites, size_t n_suites,
			 bool shared, struct kt_run *r, size_t *n)
{
	size_t s, c, passed = 0;

	for (s = 0; s < n_suites; s++) {
		const struct kt_suite *suite = suites[s];

		for (c = 0; c < suite->n_cases; c++) {
			passed +=
			    run_case(suite, &suite->cases[c], r, ++*n, shared);
			cond_resched(); /* long runs under TCG: let others in */
		}
	}
	return passed;
}

static int __init kmlib_test_init(void)
{
	size_t n = 0, total, passed;
	struct kt_run *r;
	u64 start = ktime_get_ns();

	total = count_cases(kt_all_suites, kt_n_suites) +
		count_cases(kernel_suites, ARRAY_SIZE(kernel_suites));
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	pr_info("KTAP version 1\n");
	pr_info("1..%zu\n", total);
	passed = run_suites(kt_all_suites, kt_n_suites, true, r, &n);
	passed +=
	    run_suites(kernel_suites, ARRAY_SIZE(kernel_suites), false, r, &n);
	pr_info("# kmlib_test: pass:%zu fail:%zu total:%zu, %llu ms\n", passed,
		total - passed, total,
		(unsigned long long)(ktime_get_ns() - start) / NSEC_PER_MSEC);
	kfree(r);
	return 0;
}

static void __exit kmlib_test_exit(void)
{
}

module_init(kmlib_test_init);
module_exit(kmlib_test_exit);

MODULE_LICENSE("Dual BSD/GPL");
MODULE_DESCRIPTION("KMLib shared test cases, run in the kernel, KTAP output");
MODULE_AUTHOR("KMLib developers");
