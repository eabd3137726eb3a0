// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * bench_mqk_footprint.c - where mq-kmlib's per-queue memory goes: the
 * KMLib objects mqk_learn_init() creates for the linear model (the same
 * calls and sizes, sched/mq-kmlib/mqk_learn.c), measured with libkmlib's
 * own accounting (kml_mem_current, 16-byte headers included). The total
 * in the kernel is sysfs mem_bytes (tools/kernel/guest-sched.sh), which
 * adds struct mqk_data, the model wrapper and the shared-mode name.
 * The ring and publication use the compact layouts, as mq-kmlib does;
 * the padded (default) ones are printed first for reference.
 */
#include <stdio.h>
#include "kmlib/platform.h"
#include "kmlib/ring.h"
#include "kmlib/publish.h"
#include "kmlib/gate.h"
#include "kmlib/nn.h"
#include "kmlib/optim.h"
#include "mqk_sample.h"

static struct kml_mem mem;
static size_t last;

static void step(const char *what)
{
	size_t now = kml_mem_current(&mem);

	printf("%-44s %6zu B\n", what, now - last);
	last = now;
}

/* The same ring and publication without the compact flags. */
static int padded_reference(const struct kml_ring_config *compact)
{
	struct kml_ring_config rc = *compact;
	struct kml_ring *ring;
	struct kml_pub *pub;
	struct kml_mem m;

	rc.flags &= ~(unsigned int)KML_RING_COMPACT;
	if (kml_mem_init(&m, "padded", 0) || kml_ring_create(&ring, &m, &rc))
		return 1;
	printf("%-44s %6zu B\n", "(reference: ring, cache-line padded)",
	       kml_mem_current(&m));
	kml_ring_destroy(ring);
	if (kml_pub_create(&pub, &m, (MQK_NFEAT + 1) * 4, 2, NULL))
		return 1;
	printf("%-44s %6zu B\n", "(reference: publication, padded)",
	       kml_mem_current(&m));
	kml_pub_destroy(pub);
	return kml_mem_current(&m) != 0;
}

int main(void)
{
	struct kml_ring_config rc = {
		.capacity = 16,
		.record_size = sizeof(struct mqk_rec),
		.mode = KML_RING_DROP_NEWEST,
		.flags = KML_RING_MP | KML_RING_COMPACT,
	};
	struct kml_gate_cfg gc = {
		.window = 12,
		.n_classes = 2,
		.margin_ppm = 20000,
		.min_samples = 64,
	};
	struct kml_optim_cfg oc;
	struct kml_optim *opt;
	struct kml_ring *ring;
	struct kml_gate *gate;
	struct kml_pub *pub;
	struct kml_nn *net;
	int x, h, t, l;

	if (padded_reference(&rc))
		return 1;
	if (kml_mem_init(&mem, "mqk", 0) || kml_ring_create(&ring, &mem, &rc))
		return 1;
	step("training ring, 16 x struct mqk_rec, compact");
	if (kml_pub_create_flags(&pub, &mem, (MQK_NFEAT + 1) * 4, 2, NULL,
				 KML_PUB_COMPACT))
		return 1;
	step("publication, 9 int32 x 2 buffers, compact");
	if (kml_gate_create(&gate, &mem, &gc))
		return 1;
	step("gate, 12 batches x 2 classes");
	if (kml_nn_create(&net, &mem, KML_NN_F32, 4))
		return 1;
	step("kml_nn, 4 nodes");
	x = kml_nn_input_vec(net, MQK_NFEAT, 0);
	h = x < 0 ? x : kml_nn_linear(net, x, 1, true);
	t = h < 0 ? h : kml_nn_input_vec(net, 1, 0);
	l = t < 0 ? t : kml_nn_mse(net, h, t, KML_NN_MEAN);
	if (l < 0 || kml_nn_prepare(net, 8))
		return 1;
	step("kml_nn_prepare, batch 8");
	if (kml_optim_defaults(&oc, KML_OPTIM_SGD, 0.05) ||
	    kml_optim_create(&opt, &mem, net, &oc))
		return 1;
	step("SGD");
	printf("%-44s %6zu B\n", "total (KMLib objects)",
	       kml_mem_current(&mem));
	kml_optim_destroy(opt);
	kml_nn_destroy(net);
	kml_gate_destroy(gate);
	kml_pub_destroy(pub);
	kml_ring_destroy(ring);
	return kml_mem_current(&mem) != 0;
}
