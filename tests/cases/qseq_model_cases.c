// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qseq_model_cases.c - quantized sequential models (every int8 layer kind)
 * loaded from version-2 model files and run, without the FPU (a NOFPU
 * suite: in the kernel it runs outside any FPU section). The files are
 * the fuzzer's seeds (qseq_model_bytes.h, tools/gen_qseq_case_bytes.py);
 * their outputs are digested, so user space and the kernel must agree
 * bit for bit. Also: resave bit for bit, every truncation, bytes flipped
 * behind a recomputed CRC, memory caps.
 */
#include "../ktest.h"
#include "kmlib/model.h"
#include "kmlib/qseq.h"
#include "qseq_model_bytes.h"

#define QS_BATCH 3

static const struct {
	const uint8_t *bytes;
	size_t len;
} qs_files[] = {
	{ qseq_file_cnn, sizeof(qseq_file_cnn) },
	{ qseq_file_rnn, sizeof(qseq_file_rnn) },
};

static void qs_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void qs_fix_crc(uint8_t *b, size_t len)
{
	uint32_t crc = 0;

	kml_crc32(&crc, b, len - 4);
	qs_put32(b + len - 4, crc);
}

static void qseq_model_run(struct kt_ctx *t)
{
	size_t f, i, in, out, size, w;
	struct kml_qseq *q;
	uint8_t *again;
	int8_t *x, *y;

	for (f = 0; f < KML_ARRAY_SIZE(qs_files); f++) {
		q = NULL;
		KT_EXPECT_OK(t, kml_qseq_model_load(t->mem, qs_files[f].bytes,
						    qs_files[f].len, QS_BATCH,
						    &q));
		if (!q)
			return;
		KT_EXPECT_OK(t, kml_qseq_check(q));
		in = kml_qseq_in_size(q);
		out = kml_qseq_out_size(q);
		size = 0;
		KT_EXPECT_OK(t, kml_qseq_model_size(q, &size));
		KT_EXPECT_EQ(t, size, qs_files[f].len);
		x = NULL;
		y = NULL;
		again = NULL;
		KT_EXPECT_OK(t,
			     kml_alloc(t->mem, QS_BATCH * in, 0, (void **)&x));
		KT_EXPECT_OK(t,
			     kml_alloc(t->mem, QS_BATCH * out, 0, (void **)&y));
		KT_EXPECT_OK(t, kml_alloc(t->mem, size, 0, (void **)&again));
		if (x && y && again) {
			w = 0;
			KT_EXPECT_OK(t,
				     kml_qseq_model_save(q, again, size, &w));
			KT_EXPECT_EQ(t, w, size);
			KT_EXPECT(t,
				  !kml_memcmp(again, qs_files[f].bytes, size));
			for (i = 0; i < QS_BATCH * in; i++)
				x[i] = (int8_t)(i * 37 + f * 11);
			KT_EXPECT_OK(t, kml_qseq_run(q, x, QS_BATCH, y));
			kt_digest(t, y, QS_BATCH * out);
			/* a batch of one gives the first sample's outputs */
			KT_EXPECT_OK(t, kml_qseq_run(q, x, 1, (int8_t *)again));
			KT_EXPECT(t, !kml_memcmp(again, y, out));
			KT_EXPECT_EQ(t, kml_qseq_run(q, x, QS_BATCH + 1, y),
				     KML_EINVAL);
		}
		kml_free(t->mem, x);
		kml_free(t->mem, y);
		kml_free(t->mem, again);
		kml_qseq_destroy(q);
	}
}

static void qseq_model_hostile(struct kt_ctx *t)
{
	const uint8_t *b = qs_files[1].bytes;
	size_t len = qs_files[1].len, i;
	struct kml_qseq *q;
	uint8_t *h = NULL;
	size_t base = kml_mem_current(t->mem);
	int err;

	KT_EXPECT_OK(t, kml_alloc(t->mem, len, 0, (void **)&h));
	if (!h)
		return;
	for (i = 0; i < len; i++) {
		q = (struct kml_qseq *)h;
		KT_EXPECT(t, kml_qseq_model_load(t->mem, b, i, 1, &q) != 0);
		KT_EXPECT(t, q == NULL);
	}
	/* every 3rd byte flipped with the CRC fixed: fail, or a model that
	 * saves back to the same bytes */
	for (i = 0; i + 4 < len; i += 3) {
		kml_memcpy(h, b, len);
		h[i] ^= 0x5a;
		qs_fix_crc(h, len);
		q = NULL;
		err = kml_qseq_model_load(t->mem, h, len, 1, &q);
		if (!err) {
			KT_EXPECT_OK(t, kml_qseq_check(q));
			kml_qseq_destroy(q);
		} else {
			KT_EXPECT(t, q == NULL);
		}
		kt_digest(t, &err, sizeof(err));
	}
	/* a shift of 31 in the first LSTM's first row */
	kml_memcpy(h, b, len);
	qs_put32(h + 40 + 68 + 4 * 3 * 2 + 4 * 3 * 3 + 2 * 4 * 3 * 4, 31);
	qs_fix_crc(h, len);
	KT_EXPECT_EQ(t, kml_qseq_model_load(t->mem, h, len, 1, &q),
		     KML_EBADMSG);
	kml_free(t->mem, h);
	KT_EXPECT_EQ(t, kml_mem_current(t->mem), base);
}

static void qseq_model_memory_cap(struct kt_ctx *t)
{
	struct kml_mem cap;
	struct kml_qseq *q;
	size_t c;
	int err = KML_ENOMEM;

	for (c = 256; c < (256u << 10) && err; c += 256) {
		KT_EXPECT_OK(t, kml_mem_init(&cap, "qseq_cap", c));
		err = kml_qseq_model_load(&cap, qseq_file_cnn,
					  sizeof(qseq_file_cnn), 2, &q);
		if (err)
			KT_EXPECT_EQ(t, err, KML_ENOMEM);
		else
			kml_qseq_destroy(q);
		KT_EXPECT_EQ(t, kml_mem_current(&cap), 0);
	}
	KT_EXPECT_OK(t, err);
}

static const struct kt_case qseq_model_cases[] = {
	{ "run", qseq_model_run },
	{ "hostile", qseq_model_hostile },
	{ "memory_cap", qseq_model_memory_cap },
};

KT_SUITE(kt_suite_qseq_model, "qseq_model", false, 128 * 1024,
	 qseq_model_cases);
