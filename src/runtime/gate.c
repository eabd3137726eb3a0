// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * gate.c - the adaptive inference gate: a ring of per-batch counts and
 * running sums over the window, so closing a batch costs O(classes).
 *
 * Footprint: one allocation. A batch in the ring is 2 + n_classes
 * uint32 words (correct, total, then the per-class counts), not a full
 * KML_GATE_MAX_CLASSES histogram: 16 bytes a batch for two classes.
 */
#include "kmlib/gate.h"

struct gate_batch {
	uint32_t correct;
	uint32_t total;
	uint32_t per_class[KML_GATE_MAX_CLASSES];
};

/* a ring slot: words of a struct gate_batch up to per_class[n_classes] */
#define GATE_SLOT_WORDS(n_classes) (2u + (n_classes))

struct kml_gate {
	struct kml_mem *mem;
	struct kml_gate_cfg cfg;
	uint32_t head; /* next slot to overwrite */
	uint32_t batches; /* closed batches in the ring */
	struct gate_batch cur; /* the batch being filled */
	struct gate_batch sum; /* sums over the ring */
	uint32_t accuracy_ppm, baseline_ppm;
	uint64_t openings, closings;
	kml_atomic_t open; /* read locklessly by kml_gate_trusted() */
	/* cfg.window closed batches, GATE_SLOT_WORDS(n_classes) words each */
	uint32_t ring[];
};

static size_t gate_slot_bytes(const struct kml_gate *g)
{
	return GATE_SLOT_WORDS(g->cfg.n_classes) * sizeof(uint32_t);
}

static uint32_t *gate_slot(struct kml_gate *g, uint32_t i)
{
	return g->ring + (size_t)i * GATE_SLOT_WORDS(g->cfg.n_classes);
}

int kml_gate_create(struct kml_gate **out, struct kml_mem *mem,
		    const struct kml_gate_cfg *cfg)
{
	struct kml_gate *g;
	size_t bytes;
	int ret;

	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!mem || !cfg || cfg->window == 0 || cfg->window > 4096 ||
	    cfg->n_classes < 2 || cfg->n_classes > KML_GATE_MAX_CLASSES ||
	    cfg->margin_ppm > KML_GATE_PPM)
		return KML_EINVAL;
	/* window <= 4096 and n_classes <= 16: no overflow, checked anyway */
	if (!kml_size_mul(cfg->window,
			  GATE_SLOT_WORDS(cfg->n_classes) * sizeof(uint32_t),
			  &bytes) ||
	    !kml_size_add(bytes, sizeof(*g), &bytes))
		return KML_EOVERFLOW;
	ret = kml_alloc(mem, bytes, KML_MEM_ZERO, (void **)&g);
	if (ret)
		return ret;
	g->mem = mem;
	g->cfg = *cfg;
	*out = g;
	return KML_OK;
}

void kml_gate_destroy(struct kml_gate *g)
{
	if (!g)
		return;
	kml_free(g->mem, g);
}

int kml_gate_record(struct kml_gate *g, uint32_t predicted, uint32_t truth)
{
	if (!g || predicted >= g->cfg.n_classes || truth >= g->cfg.n_classes)
		return KML_EINVAL;
	if (g->cur.total == UINT32_MAX)
		return KML_EOVERFLOW;
	g->cur.total++;
	g->cur.correct += predicted == truth;
	g->cur.per_class[truth]++;
	return KML_OK;
}

int kml_gate_record_threshold(struct kml_gate *g, int64_t predicted,
			      int64_t truth, int64_t threshold)
{
	return kml_gate_record(g, predicted >= threshold, truth >= threshold);
}

static void batch_add(struct gate_batch *sum, const struct gate_batch *b,
		      uint32_t n_classes, bool add)
{
	uint32_t c;

	if (add) {
		sum->correct += b->correct;
		sum->total += b->total;
	} else {
		sum->correct -= b->correct;
		sum->total -= b->total;
	}
	for (c = 0; c < n_classes; c++)
		sum->per_class[c] = add ? sum->per_class[c] + b->per_class[c]
					: sum->per_class[c] - b->per_class[c];
}

static uint32_t ppm(uint64_t part, uint64_t whole)
{
	return whole ? (uint32_t)(part * KML_GATE_PPM / whole) : 0;
}

/* Recompute the accuracies and the open/closed decision from the sums. */
static void gate_decide(struct kml_gate *g)
{
	uint32_t c, most = 0;
	bool was_open = kml_atomic_read(&g->open), open;

	for (c = 0; c < g->cfg.n_classes; c++)
		if (g->sum.per_class[c] > most)
			most = g->sum.per_class[c];
	g->accuracy_ppm = ppm(g->sum.correct, g->sum.total);
	g->baseline_ppm = ppm(most, g->sum.total);
	open = g->sum.total > 0 && g->sum.total >= g->cfg.min_samples &&
	       (uint64_t)g->accuracy_ppm >=
		   (uint64_t)g->baseline_ppm + g->cfg.margin_ppm;
	if (open != was_open) {
		if (open)
			g->openings++;
		else
			g->closings++;
		kml_atomic_store_release(&g->open, open);
	}
}

int kml_gate_end_batch(struct kml_gate *g)
{
	struct gate_batch old;
	uint32_t *slot;

	if (!g)
		return KML_EINVAL;
	/* the window's sums stay below 2^32: 4096 batches of < 2^20 */
	if (g->cur.total >= (1u << 20))
		return KML_EOVERFLOW;
	slot = gate_slot(g, g->head);
	if (g->batches == g->cfg.window) {
		kml_memcpy(&old, slot, gate_slot_bytes(g));
		batch_add(&g->sum, &old, g->cfg.n_classes, false);
	} else {
		g->batches++;
	}
	kml_memcpy(slot, &g->cur, gate_slot_bytes(g));
	batch_add(&g->sum, &g->cur, g->cfg.n_classes, true);
	g->head = (g->head + 1) % g->cfg.window;
	kml_memset(&g->cur, 0, sizeof(g->cur));
	gate_decide(g);
	return KML_OK;
}

int kml_gate_record_batch(struct kml_gate *g, const uint32_t *predicted,
			  const uint32_t *truth, size_t n)
{
	size_t i;
	int ret;

	if (!g || (n && (!predicted || !truth)))
		return KML_EINVAL;
	if (n >= (1u << 20))
		return KML_EOVERFLOW;
	for (i = 0; i < n; i++)
		if (predicted[i] >= g->cfg.n_classes ||
		    truth[i] >= g->cfg.n_classes)
			return KML_EINVAL; /* before touching the batch */
	for (i = 0; i < n; i++) {
		ret = kml_gate_record(g, predicted[i], truth[i]);
		if (ret)
			return ret;
	}
	return kml_gate_end_batch(g);
}

bool kml_gate_trusted(const struct kml_gate *g)
{
	return g && kml_atomic_load_acquire(&g->open);
}

int kml_gate_get_stats(const struct kml_gate *g, struct kml_gate_stats *st)
{
	if (!g || !st)
		return KML_EINVAL;
	st->open = kml_atomic_read(&g->open);
	st->batches = g->batches;
	st->samples = g->sum.total;
	st->accuracy_ppm = g->accuracy_ppm;
	st->baseline_ppm = g->baseline_ppm;
	st->openings = g->openings;
	st->closings = g->closings;
	return KML_OK;
}

int kml_gate_reset(struct kml_gate *g)
{
	if (!g)
		return KML_EINVAL;
	kml_memset(g->ring, 0, (size_t)g->cfg.window * gate_slot_bytes(g));
	kml_memset(&g->cur, 0, sizeof(g->cur));
	kml_memset(&g->sum, 0, sizeof(g->sum));
	g->head = 0;
	g->batches = 0;
	g->accuracy_ppm = 0;
	g->baseline_ppm = 0;
	if (kml_atomic_read(&g->open)) {
		g->closings++;
		kml_atomic_store_release(&g->open, 0);
	}
	return KML_OK;
}
