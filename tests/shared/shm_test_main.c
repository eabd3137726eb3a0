// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * shm_test_main.c - kmlib_shared_test.ko, a kernel client of shared mode
 * for the QEMU test (tools/kernel/shared-test.sh). It creates two
 * channels:
 *  - "lin": a kthread pushes samples of a known linear function (4
 *    features, 32 records every 2 ms, plus one record per round from hard
 *    IRQ through irq_work) and, every 20 rounds, evaluates the parameters
 *    the trainer published with kml_chan_params() (the in-kernel
 *    prediction): mean absolute error in lin_err_ppm, their version in
 *    lin_version;
 *  - "flood": while a reader is attached a kthread pushes 64-byte records
 *    as fast as it can (the throughput measurement).
 *  - "big": no samples; 1 MiB of float32 parameters, shape 512 x 512
 *    (publish latency of a large model, a 2-dimensional shape).
 * The read-only module parameters are the results the guest checks.
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/irq_work.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include "kmlib/chan.h"
#include "kmlib/platform.h"
#include "shm_test.h"

static unsigned int lin_err_ppm = 0xffffffffu;
module_param(lin_err_ppm, uint, 0444);
MODULE_PARM_DESC(lin_err_ppm, "mean |error| of the published model, 1e-6");
static unsigned long long lin_version;
module_param(lin_version, ullong, 0444);
static unsigned long long lin_pushed;
module_param(lin_pushed, ullong, 0444);
static unsigned long long lin_attempts;
module_param(lin_attempts, ullong, 0444);
MODULE_PARM_DESC(lin_attempts, "pushes into lin, dropped ones included");
static unsigned long long lin_irq_pushed;
module_param(lin_irq_pushed, ullong, 0444);
static unsigned long long lin_evals;
module_param(lin_evals, ullong, 0444);
static unsigned long long flood_pushed;
module_param(flood_pushed, ullong, 0444);
static unsigned long long flood_push_ns;
module_param(flood_push_ns, ullong, 0444);
MODULE_PARM_DESC(flood_push_ns, "time spent in the flood pushes, ns");
static unsigned long long flood_attempts;
module_param(flood_attempts, ullong, 0444);
static unsigned int errors;
module_param(errors, uint, 0444);
MODULE_PARM_DESC(errors, "unexpected return codes seen by the client");

#define LIN_BATCH 32u
#define LIN_REC (SHM_LIN_FEATURES + 1u)
#define FLOOD_REC (SHM_FLOOD_FEATURES + 1u)

struct shm_test {
	struct kml_chan *lin, *flood, *big;
	struct task_struct *lin_task, *flood_task;
	struct irq_work irq_push;
	u32 irq_rec[LIN_REC]; /* filled by the kthread, pushed from IRQ */
	u32 lin_recs[LIN_BATCH * LIN_REC];
	u32 flood_recs[64 * FLOOD_REC];
	u32 params[SHM_LIN_PARAMS];
};

static struct shm_test *st;

static void count_push(int ret, unsigned long long *ok)
{
	if (ret == KML_OK)
		WRITE_ONCE(*ok, *ok + 1);
	else if (ret != KML_EAGAIN) /* EAGAIN: full, dropped as designed */
		WRITE_ONCE(errors, errors + 1);
}

static void irq_push(struct irq_work *w)
{
	struct shm_test *t = container_of(w, struct shm_test, irq_push);

	count_push(kml_chan_push(t->lin, t->irq_rec), &lin_irq_pushed);
}

static void lin_eval(struct shm_test *t)
{
	uint64_t v;
	u32 err;
	int ret = kml_chan_params(t->lin, t->params, sizeof(t->params), &v);

	if (ret) {
		if (ret != KML_EAGAIN)
			WRITE_ONCE(errors, errors + 1);
		return;
	}
	if (!kml_fpu_begin())
		return;
	err = shm_eval_err_ppm(t->params, SHM_LIN_FEATURES);
	kml_fpu_end();
	WRITE_ONCE(lin_err_ppm, err);
	WRITE_ONCE(lin_version, v);
	WRITE_ONCE(lin_evals, lin_evals + 1);
}

static int lin_thread(void *arg)
{
	struct shm_test *t = arg;
	u32 rng = 1, round = 0, i;

	while (!kthread_should_stop()) {
		if (kml_fpu_begin()) {
			shm_gen_records(&rng, t->lin_recs, LIN_BATCH,
					SHM_LIN_FEATURES);
			kml_fpu_end();
			WRITE_ONCE(lin_attempts, lin_attempts + LIN_BATCH);
			for (i = 0; i < LIN_BATCH; i++)
				count_push(
				    kml_chan_push(t->lin,
						  t->lin_recs + i * LIN_REC),
				    &lin_pushed);
			/* the last record once more, from hard IRQ */
			irq_work_sync(&t->irq_push);
			memcpy(t->irq_rec,
			       t->lin_recs + (LIN_BATCH - 1) * LIN_REC,
			       sizeof(t->irq_rec));
			irq_work_queue(&t->irq_push);
		}
		if (++round % 20 == 0)
			lin_eval(t);
		usleep_range(2000, 2500);
	}
	irq_work_sync(&t->irq_push);
	return 0;
}

static int flood_thread(void *arg)
{
	struct shm_test *t = arg;
	struct kml_shm_stats s;
	u32 rng = 7, i, k;
	u64 t0;

	while (!kthread_should_stop()) {
		kml_chan_stats(t->flood, &s);
		if (!s.attached) {
			msleep(20);
			continue;
		}
		if (!kml_fpu_begin())
			continue;
		shm_gen_records(&rng, t->flood_recs, 64, SHM_FLOOD_FEATURES);
		kml_fpu_end();
		t0 = ktime_get_ns();
		for (k = 0; k < 16; k++) {
			for (i = 0; i < 64; i++) {
				u32 *rec = t->flood_recs + i * FLOOD_REC;

				count_push(kml_chan_push(t->flood, rec),
					   &flood_pushed);
			}
		}
		/* the cost of a push, stored or dropped (a full ring) */
		WRITE_ONCE(flood_push_ns, flood_push_ns + ktime_get_ns() - t0);
		WRITE_ONCE(flood_attempts, flood_attempts + 16 * 64);
		cond_resched();
	}
	return 0;
}

static int make_chan(struct kml_chan **c, const char *name, u32 n_feat,
		     u32 capacity)
{
	struct kml_chan_cfg cfg = {
		.name = name,
		.record_size = (n_feat + 1) * 4,
		.capacity = capacity,
		.dtype = KML_SHM_F32,
		.ndim = 1,
		.shape = { n_feat + 1 },
		.initial = NULL, /* all-zero weights: a large error */
		.meta = { n_feat, 1, KML_SHM_F32 },
	};

	return kml_chan_create(c, &cfg);
}

static void stop_all(struct shm_test *t)
{
	if (t->lin_task)
		kthread_stop(t->lin_task);
	if (t->flood_task)
		kthread_stop(t->flood_task);
	kml_chan_destroy(t->lin);
	kml_chan_destroy(t->flood);
	kml_chan_destroy(t->big);
	kfree(t);
}

static int __init shm_test_init(void)
{
	struct kml_chan *dup;
	struct shm_test *t;
	int ret;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	init_irq_work(&t->irq_push, irq_push);
	ret = make_chan(&t->lin, "lin", SHM_LIN_FEATURES, 1024);
	if (!ret)
		ret = make_chan(&t->flood, "flood", SHM_FLOOD_FEATURES, 4096);
	if (!ret) {
		struct kml_chan_cfg big = {
			.name = "big",
			.record_size = 8,
			.capacity = 2,
			.dtype = KML_SHM_F32,
			.ndim = 2,
			.shape = { 512, 512 },
		};

		ret = kml_chan_create(&t->big, &big);
	}
	/* a second channel of the same name is refused */
	if (!ret && make_chan(&dup, "lin", SHM_LIN_FEATURES, 16) != KML_EBUSY) {
		pr_err("kmlib_shared_test: duplicate channel name accepted\n");
		ret = KML_EINVAL;
	}
	if (ret) {
		stop_all(t);
		return -EINVAL;
	}
	t->lin_task = kthread_run(lin_thread, t, "kml-shm-lin");
	if (IS_ERR(t->lin_task)) {
		t->lin_task = NULL;
		stop_all(t);
		return -ENOMEM;
	}
	t->flood_task = kthread_run(flood_thread, t, "kml-shm-flood");
	if (IS_ERR(t->flood_task)) {
		t->flood_task = NULL;
		stop_all(t);
		return -ENOMEM;
	}
	st = t;
	pr_info("kmlib_shared_test: channels lin, flood and big ready\n");
	return 0;
}

static void __exit shm_test_exit(void)
{
	struct kml_shm_stats s;

	kml_chan_stats(st->lin, &s);
	pr_info("kmlib_shared_test: lin produced %llu dropped %llu consumed "
		"%llu published %llu rejected %llu bad_tail %llu\n",
		s.produced, s.dropped, s.consumed, s.published, s.rejected,
		s.bad_tail);
	stop_all(st);
}

module_init(shm_test_init);
module_exit(shm_test_exit);
MODULE_LICENSE("Dual BSD/GPL");
MODULE_DESCRIPTION("KMLib shared-mode test client");
