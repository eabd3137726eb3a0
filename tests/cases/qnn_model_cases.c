// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_model_cases.c - quantized networks in model files (a NOFPU suite:
 * saving and loading run outside FPU sections in the kernel). Round trips
 * bit for bit on the golden MLP of tools/gen_qnn_vectors.py, a tiny file
 * checked field by field, and hostile files: every byte flipped, every
 * truncation, fields changed behind a recomputed CRC, memory caps.
 */
#include "../ktest.h"
#include "kmlib/model.h"
#include "kmlib/qnn_model.h"
#include "qnn_vectors.h"

/* The 7-12-8-3 golden MLP of qnn_cases.c. */
static struct kml_qnn *qm_golden(struct kt_ctx *t, struct kml_mem *mem)
{
	const int8_t *w[] = { qv_mlp_w0, qv_mlp_w1, qv_mlp_w2 };
	const int32_t *b[] = { qv_mlp_bias0, qv_mlp_bias1, qv_mlp_bias2 };
	const int32_t *m[] = { qv_mlp_mult0, qv_mlp_mult1, qv_mlp_mult2 };
	const int32_t *s[] = { qv_mlp_shift0, qv_mlp_shift1, qv_mlp_shift2 };
	struct kml_qnn_layer *ly;
	struct kml_qnn *q;
	uint32_t l;

	if (kml_qnn_create(&q, mem, qv_mlp_sizes, 3, QV_MLP_BATCH)) {
		KT_EXPECT(t, 0);
		return NULL;
	}
	for (l = 0; l < 3; l++) {
		kml_qnn_layer(q, l, &ly);
		kml_memcpy(ly->weight, w[l], (size_t)ly->in * ly->out);
		kml_memcpy(ly->bias, b[l], ly->out * sizeof(int32_t));
		kml_memcpy(ly->mult, m[l], ly->out * sizeof(int32_t));
		kml_memcpy(ly->shift, s[l], ly->out * sizeof(int32_t));
		ly->in_zp = qv_mlp_io[l][0];
		ly->out_zp = qv_mlp_io[l][1];
		ly->act_min = qv_mlp_io[l][2];
		ly->act_max = qv_mlp_io[l][3];
	}
	return q;
}

static void qnn_model_roundtrip(struct kt_ctx *t)
{
	struct kml_qnn *q = qm_golden(t, t->mem), *r = NULL;
	uint8_t *buf = NULL, *again = NULL;
	size_t size = 0, w = 0, w2 = 0, i;
	int8_t y[QV_MLP_BATCH * 3];

	if (!q)
		return;
	KT_EXPECT_OK(t, kml_qnn_model_size(q, &size));
	/* 40 + 3 x 8 heads + 3 x 24 + 7x12 + 12x8 + 8x3 + 12 x 23 + 4 */
	KT_EXPECT_EQ(t, size, 40 + 24 + 72 + 84 + 96 + 24 + 12 * 23 + 4);
	KT_EXPECT_OK(t, kml_alloc(t->mem, size, 0, (void **)&buf));
	KT_EXPECT_OK(t, kml_alloc(t->mem, size, 0, (void **)&again));
	if (t->failed)
		goto out;
	KT_EXPECT_EQ(t, kml_qnn_model_save(q, buf, size - 1, &w), KML_ENOSPC);
	KT_EXPECT_EQ(t, w, 0);
	KT_EXPECT_OK(t, kml_qnn_model_save(q, buf, size, &w));
	KT_EXPECT_EQ(t, w, size);
	KT_EXPECT_OK(t, kml_qnn_model_load(t->mem, buf, size, 2, &r));
	if (t->failed)
		goto out;
	KT_EXPECT_OK(t, kml_qnn_model_save(r, again, size, &w2));
	KT_EXPECT_EQ(t, w2, size);
	KT_EXPECT(t, !kml_memcmp(buf, again, size));
	KT_EXPECT_EQ(t, kml_qnn_param_bytes(r), kml_qnn_param_bytes(q));
	/* the loaded net computes the golden outputs, 2 samples at a time */
	for (i = 0; i < QV_MLP_BATCH; i += 2)
		KT_EXPECT_OK(t, kml_qnn_run(r, qv_mlp_x + i * 7, 2, y + i * 3));
	KT_EXPECT(t, !kml_memcmp(y, qv_mlp_y, sizeof(y)));
	KT_EXPECT_EQ(t, kml_qnn_run(r, qv_mlp_x, 3, y), KML_EINVAL);
	kt_digest(t, buf, size);
	kt_digest(t, y, sizeof(y));
out:
	kml_qnn_destroy(r);
	kml_qnn_destroy(q);
	kml_free(t->mem, again);
	kml_free(t->mem, buf);
}

/* 2 -> 1: W = (-3, 127), bias -1000, mult 2^30, shift -2, zps 5, -7. */
#define QM_TINY_BYTES 90
static void qm_tiny(struct kt_ctx *t, uint8_t *buf)
{
	static const uint32_t sizes[] = { 2, 1 };
	struct kml_qnn_layer *ly;
	struct kml_qnn *q;
	size_t w = 0;

	KT_EXPECT_OK(t, kml_qnn_create(&q, t->mem, sizes, 1, 1));
	if (t->failed)
		return;
	kml_qnn_layer(q, 0, &ly);
	ly->weight[0] = -3;
	ly->weight[1] = 127;
	ly->bias[0] = -1000;
	ly->mult[0] = 1 << 30;
	ly->shift[0] = -2;
	ly->in_zp = 5;
	ly->out_zp = -7;
	ly->act_min = -7; /* fused ReLU */
	ly->act_max = 127;
	KT_EXPECT_OK(t, kml_qnn_model_save(q, buf, QM_TINY_BYTES, &w));
	KT_EXPECT_EQ(t, w, QM_TINY_BYTES);
	kml_qnn_destroy(q);
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void reseal(uint8_t *buf, size_t len)
{
	uint32_t crc = 0;

	kml_crc32(&crc, buf, len - 4);
	put32(buf + len - 4, crc);
}

static void qnn_model_tiny_bytes(struct kt_ctx *t)
{
	static const uint8_t head[] = { 0x89, 'K',  'M', 'Q', '\r', '\n',
					0x1a, '\n', 1,	 0,   0,    0,
					1,    0,    0,	 0 };
	uint8_t buf[QM_TINY_BYTES];
	uint32_t crc = 0;

	qm_tiny(t, buf);
	if (t->failed)
		return;
	KT_EXPECT(t, !kml_memcmp(buf, head, sizeof(head)));
	KT_EXPECT_EQ(t, le32(buf + 16), 2 + 12); /* parameter bytes */
	KT_EXPECT_EQ(t,
		     le32(buf + 20) | le32(buf + 24) | le32(buf + 28) |
			 le32(buf + 36),
		     0);
	KT_EXPECT_EQ(t, le32(buf + 32), QM_TINY_BYTES);
	KT_EXPECT_EQ(t, le32(buf + 40), 1); /* kind 1, reserved 0 */
	KT_EXPECT_EQ(t, le32(buf + 44), 24 + 2 + 12);
	KT_EXPECT_EQ(t, le32(buf + 48), 2); /* in */
	KT_EXPECT_EQ(t, le32(buf + 52), 1); /* out */
	KT_EXPECT_EQ(t, le32(buf + 56), 5);
	KT_EXPECT_EQ(t, (int32_t)le32(buf + 60), -7);
	KT_EXPECT_EQ(t, (int32_t)le32(buf + 64), -7);
	KT_EXPECT_EQ(t, le32(buf + 68), 127);
	KT_EXPECT_EQ(t, buf[72], 0xfd); /* -3 */
	KT_EXPECT_EQ(t, buf[73], 127);
	KT_EXPECT_EQ(t, (int32_t)le32(buf + 74), -1000);
	KT_EXPECT_EQ(t, le32(buf + 78), 1u << 30);
	KT_EXPECT_EQ(t, (int32_t)le32(buf + 82), -2);
	kml_crc32(&crc, buf, 86);
	KT_EXPECT_EQ(t, le32(buf + 86), crc);
	kt_digest(t, buf, sizeof(buf));
}

/* Load @buf, expecting @want; nothing may stay allocated on failure. */
static void qm_expect(struct kt_ctx *t, const uint8_t *buf, size_t len,
		      int want)
{
	struct kml_mem m;
	struct kml_qnn *q = (struct kml_qnn *)&m;
	int ret;

	kml_mem_init(&m, "qnn_model", 1 << 20);
	ret = kml_qnn_model_load(&m, buf, len, 1, &q);
	KT_EXPECT_EQ(t, ret, want);
	if (ret) {
		KT_EXPECT(t, q == NULL);
		KT_EXPECT_EQ(t, kml_mem_current(&m), 0);
	}
	kml_qnn_destroy(ret ? NULL : q);
	KT_EXPECT_EQ(t, kml_mem_current(&m), 0);
}

static void qnn_model_hostile(struct kt_ctx *t)
{
	uint8_t good[QM_TINY_BYTES], b[QM_TINY_BYTES + 4];
	size_t i;
	int bit;

	qm_tiny(t, good);
	if (t->failed)
		return;
	qm_expect(t, good, sizeof(good), KML_OK);
	/* every truncation and every flipped bit */
	for (i = 0; i < sizeof(good); i++)
		qm_expect(t, good, i, KML_EBADMSG);
	for (i = 0; i < sizeof(good); i++) {
		for (bit = 0; bit < 8; bit += 3) {
			kml_memcpy(b, good, sizeof(good));
			b[i] ^= (uint8_t)(1 << bit);
			/* magic: EBADMSG, version: ENOSYS, length: EBADMSG */
			qm_expect(t, b, sizeof(good),
				  i < 8		      ? KML_EBADMSG
				  : i < 10	      ? KML_ENOSYS
				  : i >= 32 && i < 40 ? KML_EBADMSG
						      : KML_EILSEQ);
		}
	}
#define QM_FIELD(off, val, want)                                               \
	do {                                                                   \
		kml_memcpy(b, good, sizeof(good));                             \
		put32(b + (off), (uint32_t)(val));                             \
		reseal(b, sizeof(good));                                       \
		qm_expect(t, b, sizeof(good), (want));                         \
	} while (0)
	QM_FIELD(8, 2, KML_ENOSYS); /* version 2, flags 0 */
	QM_FIELD(8, 1 | 1 << 16, KML_EBADMSG); /* a flag */
	QM_FIELD(12, 0, KML_EBADMSG); /* no layers */
	QM_FIELD(12, 2, KML_EBADMSG); /* a layer that is not there */
	QM_FIELD(12, 17, KML_EBADMSG);
	QM_FIELD(16, 15, KML_EBADMSG); /* parameter bytes */
	QM_FIELD(24, 1, KML_EBADMSG); /* reserved */
	QM_FIELD(40, 2, KML_ENOSYS); /* unknown layer kind */
	QM_FIELD(40, 1 | 1 << 16, KML_EBADMSG); /* record reserved */
	QM_FIELD(44, 39, KML_EBADMSG); /* record length */
	QM_FIELD(44, 0xffffffff, KML_EBADMSG);
	QM_FIELD(48, 0, KML_EBADMSG); /* in = 0 */
	QM_FIELD(48, 3, KML_EBADMSG); /* in != record length */
	QM_FIELD(48, 0x80000000u, KML_EBADMSG);
	QM_FIELD(52, 33026, KML_EBADMSG); /* out > max width */
	QM_FIELD(56, 128, KML_EBADMSG); /* in_zp out of int8 */
	QM_FIELD(60, -129, KML_EBADMSG); /* out_zp */
	QM_FIELD(64, 127, KML_OK); /* act_min = act_max */
	QM_FIELD(64, 128, KML_EBADMSG); /* act_min > act_max */
	QM_FIELD(78, -1, KML_EBADMSG); /* negative multiplier */
	QM_FIELD(82, 31, KML_EBADMSG); /* shift */
	QM_FIELD(82, -32, KML_EBADMSG);
	QM_FIELD(82, 30, KML_OK);
#undef QM_FIELD
	/* one byte more before the CRC, length field and CRC fixed up */
	kml_memcpy(b, good, 86);
	b[86] = 0;
	put32(b + 32, sizeof(good) + 1);
	reseal(b, sizeof(good) + 1);
	qm_expect(t, b, sizeof(good) + 1, KML_EBADMSG);
	/* a float model file is not a quantized one */
	b[3] = 'L';
	qm_expect(t, b, sizeof(good), KML_EBADMSG);
}

static void qnn_model_bad_args(struct kt_ctx *t)
{
	static const uint32_t sizes[] = { 2, 1 };
	uint8_t buf[QM_TINY_BYTES];
	struct kml_qnn *q, *r = NULL;
	struct kml_qnn_layer *ly;
	size_t size = 1, w = 1;

	qm_tiny(t, buf);
	KT_EXPECT_EQ(t, kml_qnn_model_size(NULL, &size), KML_EINVAL);
	KT_EXPECT_EQ(t, size, 0);
	KT_EXPECT_EQ(t, kml_qnn_model_load(NULL, buf, sizeof(buf), 1, &r),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_model_load(t->mem, NULL, sizeof(buf), 1, &r),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_model_load(t->mem, buf, sizeof(buf), 0, &r),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_model_load(t->mem, buf, sizeof(buf), 1, NULL),
		     KML_EINVAL);
	KT_EXPECT_OK(t, kml_qnn_create(&q, t->mem, sizes, 1, 1));
	if (t->failed)
		return;
	KT_EXPECT_EQ(t, kml_qnn_model_save(q, NULL, 90, &w), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_model_save(q, buf, 90, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_model_save(NULL, buf, 90, &w), KML_EINVAL);
	/* a network kml_qnn_check() rejects is not saved */
	kml_qnn_layer(q, 0, &ly);
	ly->shift[0] = 31;
	KT_EXPECT_EQ(t, kml_qnn_model_save(q, buf, 90, &w), KML_EINVAL);
	KT_EXPECT_EQ(t, w, 0);
	kml_qnn_destroy(q);
}

/* Every memory cap fails cleanly until the load fits. */
static void qnn_model_memory_cap(struct kt_ctx *t)
{
	uint8_t buf[QM_TINY_BYTES];
	struct kml_mem cap;
	struct kml_qnn *q;
	size_t c;
	int err = KML_ENOMEM;

	qm_tiny(t, buf);
	for (c = 16; c < 4096 && err; c += 16) {
		KT_EXPECT_OK(t, kml_mem_init(&cap, "qnn_model_cap", c));
		err = kml_qnn_model_load(&cap, buf, sizeof(buf), 4, &q);
		if (err) {
			KT_EXPECT_EQ(t, err, KML_ENOMEM);
			KT_EXPECT_EQ(t, kml_mem_current(&cap), 0);
		} else {
			kml_qnn_destroy(q);
			KT_EXPECT_EQ(t, kml_mem_current(&cap), 0);
		}
	}
	KT_EXPECT_OK(t, err);
}

static const struct kt_case qnn_model_cases[] = {
	{ "roundtrip", qnn_model_roundtrip },
	{ "tiny_bytes", qnn_model_tiny_bytes },
	{ "hostile", qnn_model_hostile },
	{ "bad_args", qnn_model_bad_args },
	{ "memory_cap", qnn_model_memory_cap },
};

KT_SUITE(kt_suite_qnn_model, "qnn_model", false, 64 * 1024, qnn_model_cases);
