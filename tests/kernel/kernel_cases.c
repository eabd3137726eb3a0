// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * kernel_cases.c - kernel-only cases for what user space cannot show: the
 * platform layer called from hard interrupt context, and the kthread
 * corner cases that pthreads do not have. An irq_work raises a
 * self-IPI, so its handler runs in hardirq on this CPU, interrupting the
 * case (inside or outside an FPU section). These cases emit no digest:
 * there is no user-space twin to compare with.
 */
#include <linux/irq_work.h>
#include <linux/smp.h>
#include <linux/preempt.h>
#include <linux/hardirq.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include "../ktest.h"
#include "kmlib/ring.h"
#include "kmlib/gate.h"
#include "kmlib/prng.h"
#include "kmlib/qnn.h"
#include "kmlib/qtrain.h"
#include "kernel_cases.h"

struct irq_probe {
	struct irq_work work;
	bool in_hardirq;
	bool begin; /* kml_fpu_begin() in the handler */
	bool nested; /* a second, nested kml_fpu_begin() */
	bool active; /* kml_fpu_active() inside the handler's section */
	bool active_after; /* kml_fpu_active() after the handler's end */
	bool alloc; /* an atomic allocation worked */
	struct kml_thread *wake; /* thread to wake, if any */
};

static void irq_probe_fn(struct irq_work *w)
{
	struct irq_probe *p = container_of(w, struct irq_probe, work);
	void *mem;

	p->in_hardirq = in_hardirq();
	p->begin = kml_fpu_begin();
	if (p->begin) {
		p->nested = kml_fpu_begin();
		p->active = kml_fpu_active();
		if (p->nested)
			kml_fpu_end();
		kml_fpu_end();
	}
	p->active_after = kml_fpu_active();
	mem = kml_plat_alloc(64, true);
	p->alloc = mem != NULL;
	kml_plat_free(mem);
	kml_thread_wake(p->wake);
}

/* Run the probe in hardirq on this CPU and wait for it. */
static void irq_probe_run(struct irq_probe *p)
{
	p->work = IRQ_WORK_INIT_HARD(irq_probe_fn);
	irq_work_queue(&p->work);
	irq_work_sync(&p->work);
}

/* An interrupt that arrives inside a task's section must not join it. */
static void fpu_irq_inside_section(struct kt_ctx *t)
{
	struct irq_probe p = { 0 };
	uint64_t misuse = kml_fpu_misuse_count();

	KT_EXPECT(t, kml_fpu_begin());
	irq_probe_run(&p);
	KT_EXPECT(t, kml_fpu_active()); /* the task's section is intact */
	kml_fpu_end();
	KT_EXPECT(t, p.in_hardirq);
	KT_EXPECT(t, !p.begin);
	KT_EXPECT(t, !p.active_after);
	KT_EXPECT(t, p.alloc);
	KT_EXPECT(t, !kml_fpu_active());
	KT_EXPECT_EQ(t, kml_fpu_misuse_count(), misuse);
}

/* Outside any section, an interrupt may open (and nest) its own. */
static void fpu_irq_outside_section(struct kt_ctx *t)
{
	struct irq_probe p = { 0 };
	uint64_t misuse = kml_fpu_misuse_count();

	KT_EXPECT(t, !kml_fpu_active());
	irq_probe_run(&p);
	KT_EXPECT(t, p.in_hardirq);
	KT_EXPECT(t, p.begin);
	KT_EXPECT(t, p.nested);
	KT_EXPECT(t, p.active);
	KT_EXPECT(t, !p.active_after);
	KT_EXPECT(t, p.alloc);
	KT_EXPECT(t, !kml_fpu_active());
	KT_EXPECT_EQ(t, kml_fpu_misuse_count(), misuse);
}

static int sleep_long(struct kml_thread *self, void *arg)
{
	/* 10 s: the interrupt wakes us long before */
	int ret = kml_thread_sleep(self, 10000000000ull);

	while (!kml_thread_should_stop(self))
		kml_thread_sleep(self, 1000000);
	return ret;
}

/* kml_thread_wake() from hardirq wakes a sleeping thread. */
static void thread_wake_from_irq(struct kt_ctx *t)
{
	struct irq_probe p = { 0 };
	uint64_t start = kml_time_ns();

	KT_EXPECT_OK(t,
		     kml_thread_start(&p.wake, sleep_long, NULL, "kt_irqwake"));
	if (t->failed)
		return;
	irq_probe_run(&p);
	/* the thread returns 0 if woken, KML_ETIMEDOUT after 10 s */
	KT_EXPECT_EQ(t, kml_thread_stop(p.wake), 0);
	KT_EXPECT(t, kml_time_ns() - start < 5000000000ull);
}

static int return_at_once(struct kml_thread *self, void *arg)
{
	kml_atomic_t *ran = arg;

	kml_atomic_store_release(ran, 1);
	return 5;
}

/*
 * The body returns before anyone calls stop (the task must still be there
 * for kthread_stop()), and a stop right after start still runs the body
 * (kthread_stop() alone would skip it and return -EINTR).
 */
static void thread_early_return_and_early_stop(struct kt_ctx *t)
{
	kml_atomic_t ran = KML_ATOMIC_INIT(0);
	struct kml_thread *th;
	uint64_t start;

	KT_EXPECT_OK(t,
		     kml_thread_start(&th, return_at_once, &ran, "kt_early"));
	if (t->failed)
		return;
	start = kml_time_ns();
	while (!kml_atomic_load_acquire(&ran) &&
	       kml_time_ns() - start < 5000000000ull)
		kml_cpu_relax();
	msleep(20); /* let the body's return reach the wrapper */
	KT_EXPECT_EQ(t, kml_thread_stop(th), 5);

	kml_atomic_set(&ran, 0);
	KT_EXPECT_OK(t,
		     kml_thread_start(&th, return_at_once, &ran, "kt_early"));
	if (t->failed)
		return;
	KT_EXPECT_EQ(t, kml_thread_stop(th), 5);
	KT_EXPECT_EQ(t, kml_atomic_read(&ran), 1);
}

/*
 * The hot-path runtime from hard IRQ: a multi-producer drop-oldest ring
 * and a blocking ring with no spin budget take records in the handler,
 * and the gate records and answers there; the task then checks what
 * arrived. This is how an I/O completion handler uses them.
 */
struct irq_runtime {
	struct irq_work work;
	struct kml_ring *drop, *block;
	struct kml_gate *gate;
	int block_ret[6];
	int gate_ret;
	bool trusted;
	bool in_hardirq;
};

static void irq_runtime_fn(struct irq_work *w)
{
	struct irq_runtime *p = container_of(w, struct irq_runtime, work);
	uint64_t seq;
	int i;

	p->in_hardirq = in_hardirq();
	for (seq = 1; seq <= 20; seq++)
		kml_ring_enqueue(p->drop, &seq);
	for (i = 0; i < 6; i++) {
		seq = 100 + i;
		p->block_ret[i] = kml_ring_enqueue(p->block, &seq);
	}
	p->gate_ret = 0;
	for (i = 0; i < 8; i++)
		p->gate_ret |= kml_gate_record(p->gate, i & 1, i & 1);
	p->gate_ret |= kml_gate_end_batch(p->gate);
	p->trusted = kml_gate_trusted(p->gate);
}

static void runtime_from_irq(struct kt_ctx *t)
{
	struct kml_ring_config drop = { .capacity = 8,
					.record_size = 8,
					.mode = KML_RING_DROP_OLDEST,
					.flags = KML_RING_MP };
	struct kml_ring_config block = { .capacity = 4,
					 .record_size = 8,
					 .mode = KML_RING_BLOCK,
					 .flags = KML_RING_SP,
					 .spin_ns = 0 };
	struct kml_gate_cfg gcfg = { .window = 4,
				     .n_classes = 2,
				     .margin_ppm = 100000 };
	struct irq_runtime p = { 0 };
	struct kml_ring_stats st;
	uint64_t rec;
	int i;

	KT_EXPECT_OK(t, kml_ring_create(&p.drop, t->mem, &drop));
	KT_EXPECT_OK(t, kml_ring_create(&p.block, t->mem, &block));
	KT_EXPECT_OK(t, kml_gate_create(&p.gate, t->mem, &gcfg));
	if (t->failed)
		goto out;
	p.work = IRQ_WORK_INIT_HARD(irq_runtime_fn);
	irq_work_queue(&p.work);
	irq_work_sync(&p.work);
	KT_EXPECT(t, p.in_hardirq);
	/* drop-oldest kept the newest 8 of 20, in order */
	for (i = 13; i <= 20; i++) {
		KT_EXPECT_OK(t, kml_ring_dequeue(p.drop, &rec));
		KT_EXPECT_EQ(t, rec, i);
	}
	KT_EXPECT_EQ(t, kml_ring_dequeue(p.drop, &rec), KML_EAGAIN);
	KT_EXPECT_OK(t, kml_ring_stats(p.drop, &st));
	KT_EXPECT_EQ(t, st.produced, 20);
	KT_EXPECT_EQ(t, st.dropped, 12);
	/* blocking with no budget: 4 stored, then KML_EAGAIN at once */
	for (i = 0; i < 6; i++)
		KT_EXPECT_EQ(t, p.block_ret[i], i < 4 ? KML_OK : KML_EAGAIN);
	for (i = 0; i < 4; i++) {
		KT_EXPECT_OK(t, kml_ring_dequeue(p.block, &rec));
		KT_EXPECT_EQ(t, rec, 100 + i);
	}
	/* 8 of 8 right against a 50% baseline: the gate opened in the IRQ */
	KT_EXPECT_EQ(t, p.gate_ret, 0);
	KT_EXPECT(t, p.trusted);
out:
	kml_gate_destroy(p.gate);
	kml_ring_destroy(p.block);
	kml_ring_destroy(p.drop);
}

/*
 * Integer-only learning from hard IRQ: an hrtimer in HRTIMER_MODE_REL_HARD
 * fires in hardirq, where the FPU may not be used. Its callback runs int8
 * inference (kml_qnn_run) and 20 fixed-point SGD steps (kml_qmlp_step)
 * outside any FPU section; the task repeats the same computation on twins
 * in process context and the bytes must be equal.
 */
#define IRQ_LEARN_STEPS 20
static const uint32_t irq_qnn_sizes[] = { 24, 16, 5 };
static const uint32_t irq_qmlp_sizes[] = { 2, 8, 1 };
static const int16_t irq_xor_x[8] = { 0, 0, 0, 4096, 4096, 0, 4096, 4096 };
static const int16_t irq_xor_t[4] = { 0, 4096, 4096, 0 };

struct irq_learn {
	struct hrtimer timer;
	struct kml_qnn *qnn;
	struct kml_qmlp *mlp;
	int8_t in[2 * 24], out[2 * 5];
	int64_t se[IRQ_LEARN_STEPS];
	int run_ret, step_ret;
	bool in_hardirq, fpu_active;
	bool done;
};

static void irq_learn_work(struct irq_learn *p)
{
	int i;

	p->run_ret = kml_qnn_run(p->qnn, p->in, 2, p->out);
	p->step_ret = 0;
	for (i = 0; i < IRQ_LEARN_STEPS; i++)
		p->step_ret |=
		    kml_qmlp_step(p->mlp, irq_xor_x, irq_xor_t, 4, &p->se[i]);
}

static enum hrtimer_restart irq_learn_fn(struct hrtimer *h)
{
	struct irq_learn *p = container_of(h, struct irq_learn, timer);

	p->in_hardirq = in_hardirq();
	p->fpu_active = kml_fpu_active();
	irq_learn_work(p);
	smp_store_release(&p->done, true);
	return HRTIMER_NORESTART;
}

/* Deterministic int8 parameters for the inference net. */
static int irq_learn_qnn(struct kt_ctx *t, struct kml_qnn **out)
{
	struct kml_qnn_layer *ly;
	struct kml_prng r;
	uint32_t l, i;
	int err;

	err = kml_qnn_create(out, t->mem, irq_qnn_sizes, 2, 2);
	if (err)
		return err;
	kml_prng_seed(&r, 31);
	for (l = 0; l < 2; l++) {
		kml_qnn_layer(*out, l, &ly);
		for (i = 0; i < ly->in * ly->out; i++)
			ly->weight[i] = (int8_t)kml_prng_u32(&r);
		for (i = 0; i < ly->out; i++) {
			ly->bias[i] = (int32_t)kml_prng_below(&r, 4001) - 2000;
			ly->mult[i] =
			    (1 << 30) + (int32_t)kml_prng_below(&r, 1 << 30);
			ly->shift[i] = -7 - (int32_t)kml_prng_below(&r, 3);
		}
		ly->in_zp = l ? -128 : -3;
		ly->out_zp = l ? 7 : -128;
	}
	return kml_qnn_check(*out);
}

static int irq_learn_mlp(struct kt_ctx *t, struct kml_qmlp **out)
{
	struct kml_qtrain_cfg cfg = { .frac = 12,
				      .grad_frac = 12,
				      .lr_q15 = 8192,
				      .hidden_act = KML_QACT_TANH,
				      .round = KML_QROUND_STOCHASTIC,
				      .seed = 9 };
	int err = kml_qmlp_create(out, t->mem, irq_qmlp_sizes, 2, 4, &cfg);

	return err ? err : kml_qmlp_init(*out, 3);
}

static void qlearn_from_hardirq(struct kt_ctx *t)
{
	struct irq_learn *irq = NULL, *task = NULL;
	unsigned long deadline;
	int16_t *wa, *wb, *ba, *bb;
	uint32_t l, in, out, i;

	KT_EXPECT_OK(
	    t, kml_alloc(t->mem, sizeof(*irq), KML_MEM_ZERO, (void **)&irq));
	KT_EXPECT_OK(
	    t, kml_alloc(t->mem, sizeof(*task), KML_MEM_ZERO, (void **)&task));
	if (t->failed)
		goto out;
	KT_EXPECT_OK(t, irq_learn_qnn(t, &irq->qnn));
	KT_EXPECT_OK(t, irq_learn_qnn(t, &task->qnn));
	KT_EXPECT_OK(t, irq_learn_mlp(t, &irq->mlp));
	KT_EXPECT_OK(t, irq_learn_mlp(t, &task->mlp));
	if (t->failed)
		goto out;
	for (i = 0; i < sizeof(irq->in); i++)
		irq->in[i] = task->in[i] = (int8_t)(i * 37 + 11);

	hrtimer_init(&irq->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	irq->timer.function = irq_learn_fn;
	hrtimer_start(&irq->timer, ns_to_ktime(200 * 1000),
		      HRTIMER_MODE_REL_HARD);
	irq_learn_work(task);
	deadline = jiffies + 10 * HZ;
	while (!smp_load_acquire(&irq->done) && time_before(jiffies, deadline))
		msleep(1);
	hrtimer_cancel(&irq->timer);
	KT_EXPECT(t, irq->done);
	if (t->failed)
		goto out;
	KT_EXPECT(t, irq->in_hardirq);
	KT_EXPECT(t, !irq->fpu_active);
	KT_EXPECT_OK(t, irq->run_ret);
	KT_EXPECT_OK(t, irq->step_ret);
	KT_EXPECT_OK(t, task->run_ret);
	KT_EXPECT_OK(t, task->step_ret);
	KT_EXPECT(t, !memcmp(irq->out, task->out, sizeof(irq->out)));
	KT_EXPECT(t, !memcmp(irq->se, task->se, sizeof(irq->se)));
	/* it learned: the loss fell over the 20 steps */
	KT_EXPECT(t, irq->se[IRQ_LEARN_STEPS - 1] < irq->se[0]);
	for (l = 0; l < 2; l++) {
		kml_qmlp_layer(irq->mlp, l, &wa, &ba, &in, &out);
		kml_qmlp_layer(task->mlp, l, &wb, &bb, NULL, NULL);
		KT_EXPECT(t, !memcmp(wa, wb, in * out * sizeof(int16_t)));
		KT_EXPECT(t, !memcmp(ba, bb, out * sizeof(int16_t)));
	}
out:
	if (irq) {
		kml_qnn_destroy(irq->qnn);
		kml_qmlp_destroy(irq->mlp);
	}
	if (task) {
		kml_qnn_destroy(task->qnn);
		kml_qmlp_destroy(task->mlp);
	}
	kml_free(t->mem, irq);
	kml_free(t->mem, task);
}

static const struct kt_case kernel_cases[] = {
	{ "thread_early_return_and_early_stop",
	  thread_early_return_and_early_stop },
	{ "fpu_irq_inside_section", fpu_irq_inside_section },
	{ "fpu_irq_outside_section", fpu_irq_outside_section },
	{ "thread_wake_from_irq", thread_wake_from_irq },
	{ "runtime_from_irq", runtime_from_irq },
	{ "qlearn_from_hardirq", qlearn_from_hardirq },
};

KT_SUITE(kt_suite_kernel, "kernel", false, 0, kernel_cases);
