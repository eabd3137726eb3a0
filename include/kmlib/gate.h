/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * gate.h - the adaptive inference gate (from the KMLib design): trust a
 * model's predictions only while, over the last k batches, its accuracy
 * is at least p_margin above the share of the most frequent true label in
 * those batches (what a model that always answers the majority would
 * score). Random labels keep it closed; a learnable stream opens it; a
 * distribution shift closes it until retraining catches up.
 *
 * Integer-only (no FPU): usable on hot paths and in hard IRQ. Accuracies
 * are in parts per million. Memory is O(k): per batch a correct count, a
 * total and a histogram of n_classes labels, one allocation in all.
 *
 * Recording and closing batches is for one writer at a time (the trainer);
 * kml_gate_trusted() may be called concurrently from any context.
 * Regression with a decision threshold: record the thresholded outcomes
 * (kml_gate_record_threshold).
 */
#ifndef KMLIB_GATE_H
#define KMLIB_GATE_H

#include "kml_deps.h"
#include "platform.h"

#define KML_GATE_MAX_CLASSES 16
#define KML_GATE_PPM 1000000u

struct kml_gate_cfg {
	uint32_t window; /* k: batches considered (1..4096) */
	uint32_t n_classes; /* 2..KML_GATE_MAX_CLASSES */
	uint32_t margin_ppm; /* p_margin, in parts per million */
	uint32_t min_samples; /* stay closed with fewer samples in the window */
};

struct kml_gate_stats {
	bool open;
	uint32_t batches; /* batches in the window (<= window) */
	uint64_t samples; /* samples in the window */
	uint32_t accuracy_ppm; /* model accuracy over the window */
	uint32_t baseline_ppm; /* share of the most frequent label */
	uint64_t openings, closings; /* transitions since creation */
};

struct kml_gate;

int kml_gate_create(struct kml_gate **out, struct kml_mem *mem,
		    const struct kml_gate_cfg *cfg);
void kml_gate_destroy(struct kml_gate *g);
/* Record one prediction of the batch being filled. */
int kml_gate_record(struct kml_gate *g, uint32_t predicted, uint32_t truth);
/* Classes are "value >= threshold" (1) or not (0), for regression. */
int kml_gate_record_threshold(struct kml_gate *g, int64_t predicted,
			      int64_t truth, int64_t threshold);
/* Close the current batch: slide the window and re-decide. */
int kml_gate_end_batch(struct kml_gate *g);
/* Record @n predictions and close the batch. */
int kml_gate_record_batch(struct kml_gate *g, const uint32_t *predicted,
			  const uint32_t *truth, size_t n);
/* Hot path: may the predictions be used? False for a NULL gate. */
bool kml_gate_trusted(const struct kml_gate *g);
int kml_gate_get_stats(const struct kml_gate *g, struct kml_gate_stats *st);
/* Forget the window (e.g. after the model was replaced); stays closed. */
int kml_gate_reset(struct kml_gate *g);

#endif /* KMLIB_GATE_H */
