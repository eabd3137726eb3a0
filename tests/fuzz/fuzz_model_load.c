// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * fuzz_model_load.c - libFuzzer target for kml_model_load() (user space,
 * clang -fsanitize=fuzzer,address,undefined; run by tools/test.d/fuzz.sh).
 *
 * The first input byte selects a mode, the rest is the file:
 *   bit 0: recompute the CRC-32 before loading, so that mutations reach
 *          the parser behind the checksum instead of stopping at it;
 *   bit 1: also write the real length into the header's length field;
 *   bits 2-3: max_batch - 1 (1..4);
 *   bit 4: the file is a quantized model (kml_qnn_model_load(), the
 *          same frame offsets: length at 32, CRC last);
 *   bit 5: the file is a quantized sequential model, version 2
 *          (kml_qseq_model_load(), same frame).
 * Seeds (tests/fuzz/corpus/) are valid models behind mode bytes 0 and 3
 * (quantized: 16 and 19; sequential: 32 and 35).
 *
 * Properties checked on every input, each failure an abort():
 *  - the loader returns a status and never crashes or reads out of bounds
 *    (the file sits in a buffer of exactly its size);
 *  - on failure nothing stays allocated, and on success destroying the
 *    model frees everything (kml_mem_current() == 0);
 *  - a model that loads saves back to exactly the same bytes (one
 *    encoding per model, so the loader accepted nothing it ignores);
 *  - a loaded model runs forward (and a training step with its optimizer)
 *    without sanitizer reports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kmlib/model.h"
#include "kmlib/qnn_model.h"
#include "kmlib/qseq.h"

static void put_le(uint8_t *p, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void check_resave(const struct kml_nn *net, const struct kml_optim *opt,
			 const uint8_t *file, size_t len)
{
	size_t size = 0, w = 0;
	uint8_t *again;

	if (kml_model_size(net, opt, &size) || size != len)
		abort();
	again = malloc(size);
	if (!again || kml_model_save(net, opt, again, size, &w) || w != len ||
	    memcmp(again, file, len))
		abort();
	free(again);
}

/* A quantized model: resave bit for bit, run a full batch, free all. */
static void fuzz_qnn(struct kml_mem *mem, const uint8_t *buf, size_t len,
		     size_t max_batch)
{
	struct kml_qnn *q = NULL;
	struct kml_qnn_layer *first, *last;
	size_t size = 0, w = 0;
	uint8_t *again;
	int8_t *x, *y;

	if (kml_qnn_model_load(mem, buf, len, max_batch, &q)) {
		if (q || kml_mem_current(mem))
			abort();
		return;
	}
	if (kml_qnn_model_size(q, &size) || size != len)
		abort();
	again = malloc(size);
	if (!again || kml_qnn_model_save(q, again, size, &w) || w != len ||
	    memcmp(again, buf, len))
		abort();
	free(again);
	if (kml_qnn_layer(q, 0, &first) ||
	    kml_qnn_layer(q, kml_qnn_layers(q) - 1, &last))
		abort();
	x = calloc(max_batch, first->in);
	y = calloc(max_batch, last->out);
	if (x && y) {
		memset(x, 0x5a, max_batch * first->in);
		if (kml_qnn_run(q, x, max_batch, y))
			abort();
	}
	free(x);
	free(y);
	kml_qnn_destroy(q);
	if (kml_mem_current(mem))
		abort();
}

/* A quantized sequential model: resave bit for bit, run, free all. */
static void fuzz_qseq(struct kml_mem *mem, const uint8_t *buf, size_t len,
		      size_t max_batch)
{
	struct kml_qseq *q = NULL;
	size_t size = 0, w = 0;
	uint8_t *again;
	int8_t *x, *y;

	if (kml_qseq_model_load(mem, buf, len, max_batch, &q)) {
		if (q || kml_mem_current(mem))
			abort();
		return;
	}
	if (kml_qseq_model_size(q, &size) || size != len)
		abort();
	again = malloc(size);
	if (!again || kml_qseq_model_save(q, again, size, &w) || w != len ||
	    memcmp(again, buf, len))
		abort();
	free(again);
	x = calloc(max_batch, kml_qseq_in_size(q));
	y = calloc(max_batch, kml_qseq_out_size(q));
	if (x && y) {
		memset(x, 0x5a, max_batch * kml_qseq_in_size(q));
		if (kml_qseq_run(q, x, max_batch, y))
			abort();
	}
	free(x);
	free(y);
	kml_qseq_destroy(q);
	if (kml_mem_current(mem))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kml_nn *net = NULL;
	struct kml_optim *opt = NULL;
	struct kml_mem mem;
	uint8_t mode, *buf;
	size_t len;
	int ret;

	if (size < 1)
		return 0;
	mode = data[0];
	len = size - 1;
	buf = malloc(len ? len : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, len);
	if ((mode & 2) && len >= 40)
		put_le(buf + 32, len, 8);
	if ((mode & 1) && len >= 4) {
		uint32_t crc = 0;

		kml_crc32(&crc, buf, len - 4);
		put_le(buf + len - 4, crc, 4);
	}
	/* a cap: absurd shapes must fail with KML_ENOMEM, not reach malloc */
	kml_mem_init(&mem, "fuzz", 64u << 20);
	if (mode & 32) {
		fuzz_qseq(&mem, buf, len, 1 + ((mode >> 2) & 3));
		free(buf);
		return 0;
	}
	if (mode & 16) {
		fuzz_qnn(&mem, buf, len, 1 + ((mode >> 2) & 3));
		free(buf);
		return 0;
	}
	ret = kml_model_load(&mem, buf, len, 1 + ((mode >> 2) & 3), &net, &opt);
	if (ret) {
		if (net || opt || kml_mem_current(&mem))
			abort();
		free(buf);
		return 0;
	}
	check_resave(net, opt, buf, len);
	if (kml_fpu_begin()) {
		int last = -1;

		while (!kml_nn_node_size(net, last + 1, &(size_t){ 0 }))
			last++;
		(void)kml_nn_forward(net);
		if (opt)
			(void)kml_optim_train_step(opt, last);
		kml_fpu_end();
	}
	kml_optim_destroy(opt);
	kml_nn_destroy(net);
	if (kml_mem_current(&mem))
		abort();
	free(buf);
	return 0;
}
