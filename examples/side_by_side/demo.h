/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * demo.h - the side-by-side demo: the same training run in user space and
 * in the kernel. A 2-16-16-1 MLP learns whether a point lies inside a
 * circle (binary cross-entropy on logits, Adam), from data drawn with the
 * deterministic PRNG. Everything reported is an integer or the bit pattern
 * of a float, because the kernel cannot print floats; the host decodes them.
 */
#ifndef KMLIB_DEMO_H
#define KMLIB_DEMO_H

#include <kmlib/kml_deps.h>
#include <kmlib/platform.h>

#define KML_DEMO_EPOCHS 40
#define KML_DEMO_REPORT_EVERY 5
#define KML_DEMO_TRAIN 256
#define KML_DEMO_TEST 256
#define KML_DEMO_BATCH 32

struct kml_demo_report {
	uint32_t n_loss; /* entries of loss_bits used */
	uint32_t loss_bits[KML_DEMO_EPOCHS / KML_DEMO_REPORT_EVERY + 1];
	uint32_t epoch_of[KML_DEMO_EPOCHS / KML_DEMO_REPORT_EVERY + 1];
	uint32_t test_correct; /* of KML_DEMO_TEST */
	uint64_t param_digest; /* FNV-1a 64 over the final parameter bytes */
	uint64_t n_params;
	uint64_t peak_bytes; /* the memory owner's peak */
	uint64_t allocs_during_training; /* must be 0 */
};

/* Build, train and evaluate; nofpu: it takes the FPU guard per epoch. */
int kml_demo_run(struct kml_mem *mem, struct kml_demo_report *rep);

#endif /* KMLIB_DEMO_H */
