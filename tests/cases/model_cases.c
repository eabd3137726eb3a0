// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * model_cases.c - the model file format at the byte level (a nofpu suite:
 * parameters are set and compared as bit patterns): CRC-32 test vectors,
 * the exact bytes of a tiny model, round trips, and the hardened loader
 * against every truncation, every single-bit flip (with and without the
 * CRC fixed up), and hand-made malformed files. After every failure the
 * case's memory owner must be back to zero bytes.
 */
#include "../ktest.h"
#include "kmlib/model.h"
#include "kmlib/nn_ops.h"

/*
 * The tiny model: x (2 floats) -> linear(1, bias), A = [1, -2], b = 0.5.
 * Layout hand-checked against docs/model-format.md; the CRC is zlib's
 * crc32() of the first 96 bytes (Python), an independent implementation.
 */
static const uint8_t tiny_bytes[100] = {
	/* header: magic, version 1, flags 0, dtype f32, 3 zero bytes */
	0x89,
	0x4b,
	0x4d,
	0x4c,
	0x0d,
	0x0a,
	0x1a,
	0x0a,
	0x01,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	/* 2 nodes, reserved 0, 3 parameters, 100 bytes in all */
	0x02,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x03,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x64,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	/* node 0: kind 1 (input), flags 0, 0 inputs, rank 1, no ihp/rhp;
	 * dims [2] */
	0x01,
	0x00,
	0x00,
	0x00,
	0x01,
	0x00,
	0x00,
	0x00,
	0x02,
	0x00,
	0x00,
	0x00,
	/* node 1: kind 2 (linear), 1 input, rank 1, 4 ihp, no rhp;
	 * input 0; dims [1]; ihp {out 1, bias 1, in 2, rows 1} */
	0x02,
	0x00,
	0x00,
	0x01,
	0x01,
	0x04,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x01,
	0x00,
	0x00,
	0x00,
	0x01,
	0x00,
	0x00,
	0x00,
	0x01,
	0x00,
	0x00,
	0x00,
	0x02,
	0x00,
	0x00,
	0x00,
	0x01,
	0x00,
	0x00,
	0x00,
	/* parameters: 1.0f, -2.0f, 0.5f */
	0x00,
	0x00,
	0x80,
	0x3f,
	0x00,
	0x00,
	0x00,
	0xc0,
	0x00,
	0x00,
	0x00,
	0x3f,
	/* CRC-32 of bytes 0..95 */
	0x07,
	0x3c,
	0xaf,
	0xb3,
};

#define TINY_PARAMS_AT 84u /* first parameter byte */

static const uint32_t tiny_params[3] = { 0x3f800000, 0xc0000000, 0x3f000000 };

static struct kml_nn *tiny_net(struct kt_ctx *t)
{
	struct kml_nn *net = NULL;
	void *p;
	size_t n = 0;
	int x;

	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, KML_NN_F32, 2));
	if (!net)
		return NULL;
	x = kml_nn_input_vec(net, 2, 0);
	KT_EXPECT_EQ(t, kml_nn_linear(net, x, 1, true), 1);
	KT_EXPECT_OK(t, kml_nn_prepare(net, 1));
	KT_EXPECT_OK(t, kml_nn_params(net, &p, NULL, &n));
	KT_EXPECT_EQ(t, n, 3);
	if (n == 3)
		kml_memcpy(p, tiny_params, sizeof(tiny_params));
	return net;
}

/* Recompute the CRC of a model in @b (@len bytes) after an edit. */
static void fix_crc(uint8_t *b, size_t len)
{
	uint32_t crc = 0;

	kml_crc32(&crc, b, len - 4);
	b[len - 4] = crc & 0xff;
	b[len - 3] = (crc >> 8) & 0xff;
	b[len - 2] = (crc >> 16) & 0xff;
	b[len - 1] = crc >> 24;
}

/* Load @b; on success the model must save back to the same bytes. Either
 * way nothing stays allocated. */
static int load_check(struct kt_ctx *t, const uint8_t *b, size_t len)
{
	struct kml_nn *net = (struct kml_nn *)t;
	struct kml_optim *opt = (struct kml_optim *)t;
	size_t before = kml_mem_current(t->mem), w = 0;
	uint8_t *again = NULL;
	int ret;

	ret = kml_model_load(t->mem, b, len, 2, &net, &opt);
	if (ret) {
		KT_EXPECT(t, net == NULL && opt == NULL);
	} else {
		KT_EXPECT_OK(t, kml_alloc(t->mem, len, 0, (void **)&again));
		if (again) {
			KT_EXPECT_OK(t,
				     kml_model_save(net, opt, again, len, &w));
			KT_EXPECT_EQ(t, w, len);
			KT_EXPECT(t, !kml_memcmp(again, b, len));
		}
		kml_free(t->mem, again);
		kml_optim_destroy(opt);
		kml_nn_destroy(net);
	}
	KT_EXPECT_EQ(t, kml_mem_current(t->mem), before);
	return ret;
}

static void model_crc32_vectors(struct kt_ctx *t)
{
	static const char digits[] = "123456789";
	static const char fox[] = "The quick brown fox jumps over the lazy dog";
	uint32_t crc = 0, part = 0, i;
	uint8_t all[256];

	KT_EXPECT_OK(t, kml_crc32(&crc, digits, 9));
	KT_EXPECT_EQ(t, crc, 0xCBF43926u);
	/* in two pieces: the running value continues */
	KT_EXPECT_OK(t, kml_crc32(&part, digits, 4));
	KT_EXPECT_OK(t, kml_crc32(&part, digits + 4, 5));
	KT_EXPECT_EQ(t, part, 0xCBF43926u);
	crc = 0;
	KT_EXPECT_OK(t, kml_crc32(&crc, fox, 43));
	KT_EXPECT_EQ(t, crc, 0x414FA339u);
	crc = 0;
	KT_EXPECT_OK(t, kml_crc32(&crc, NULL, 0));
	KT_EXPECT_EQ(t, crc, 0);
	/* every byte value, from an aligned and an unaligned start (zlib) */
	for (i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	crc = 0;
	KT_EXPECT_OK(t, kml_crc32(&crc, all, 256));
	KT_EXPECT_EQ(t, crc, 0x29058C73u);
	crc = 0;
	KT_EXPECT_OK(t, kml_crc32(&crc, all + 1, 255));
	KT_EXPECT_EQ(t, crc, 0xD0161F87u);
	KT_EXPECT_EQ(t, kml_crc32(NULL, digits, 9), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_crc32(&crc, NULL, 1), KML_EINVAL);
	kt_digest(t, &part, sizeof(part));
}

static void model_tiny_bytes(struct kt_ctx *t)
{
	struct kml_nn *net = tiny_net(t), *unprepared = NULL;
	uint8_t buf[128];
	size_t size = 0, w = 7;

	if (!net)
		return;
	KT_EXPECT_OK(t, kml_model_size(net, NULL, &size));
	KT_EXPECT_EQ(t, size, sizeof(tiny_bytes));
	KT_EXPECT_EQ(t, kml_model_save(net, NULL, buf, size - 1, &w),
		     KML_ENOSPC);
	KT_EXPECT_EQ(t, w, 0);
	KT_EXPECT_EQ(t, kml_model_save(net, NULL, NULL, 128, &w), KML_ENOSPC);
	KT_EXPECT_EQ(t, kml_model_save(net, NULL, buf, 128, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_model_size(NULL, NULL, &size), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_model_size(net, NULL, NULL), KML_EINVAL);
	kml_memset(buf, 0xee, sizeof(buf));
	KT_EXPECT_OK(t, kml_model_save(net, NULL, buf, sizeof(buf), &w));
	KT_EXPECT_EQ(t, w, sizeof(tiny_bytes));
	KT_EXPECT(t, !kml_memcmp(buf, tiny_bytes, sizeof(tiny_bytes)));
	KT_EXPECT_EQ(t, buf[sizeof(tiny_bytes)], 0xee); /* nothing past it */
	kt_digest(t, buf, w);
	/* an unprepared net has no parameters to save */
	KT_EXPECT_OK(t, kml_nn_create(&unprepared, t->mem, KML_NN_F32, 1));
	kml_nn_input_vec(unprepared, 2, 0);
	KT_EXPECT_EQ(t, kml_model_size(unprepared, NULL, &size), KML_EINVAL);
	kml_nn_destroy(unprepared);
	kml_nn_destroy(net);
	KT_EXPECT_EQ(t, kml_mem_current(t->mem), 0);
}

/* A user kind (identity, moving bytes only): it runs, but kinds.c does
 * not know it, so it cannot be saved. */
static int ident_infer(struct kml_nn_node *n)
{
	n->shape = n->src[0]->shape;
	return KML_OK;
}

static int ident_fwd(struct kml_nn_node *n, size_t batch)
{
	kml_memcpy(n->y, n->src[0]->y, batch * n->size * 4);
	return KML_OK;
}

static const struct kml_nn_ops ident_ops = {
	.name = "identity",
	.min_inputs = 1,
	.max_inputs = 1,
	.infer = ident_infer,
	.forward = { ident_fwd, NULL },
};

static void model_custom_kind(struct kt_ctx *t)
{
	struct kml_nn *net = NULL;
	size_t size = 1, w = 1;
	uint8_t buf[8];
	int x;

	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, KML_NN_F32, 2));
	if (!net)
		return;
	x = kml_nn_input_vec(net, 2, 0);
	KT_EXPECT_EQ(t, kml_nn_add_node(net, &ident_ops, &x, 1, NULL), 1);
	KT_EXPECT_OK(t, kml_nn_prepare(net, 1));
	KT_EXPECT_EQ(t, kml_model_size(net, NULL, &size), KML_ENOSYS);
	KT_EXPECT_EQ(t, size, 0);
	KT_EXPECT_EQ(t, kml_model_save(net, NULL, buf, sizeof(buf), &w),
		     KML_ENOSYS);
	KT_EXPECT_EQ(t, w, 0);
	kml_nn_destroy(net);
	KT_EXPECT_EQ(t, kml_mem_current(t->mem), 0);
}

static void model_tiny_load(struct kt_ctx *t)
{
	struct kml_nn *net = NULL;
	struct kml_optim *opt = (struct kml_optim *)t;
	uint32_t got[3] = { 0 };
	size_t n = 0, size = 0;
	void *p = NULL;

	KT_EXPECT_OK(t, kml_model_load(t->mem, tiny_bytes, sizeof(tiny_bytes),
				       4, &net, &opt));
	KT_EXPECT(t, opt == NULL); /* no optimizer in the file */
	if (!net)
		return;
	KT_EXPECT_EQ(t, kml_nn_dtype_of(net), KML_NN_F32);
	KT_EXPECT_EQ(t, kml_nn_batch(net), 4);
	KT_EXPECT_OK(t, kml_nn_node_size(net, 0, &size));
	KT_EXPECT_EQ(t, size, 2);
	KT_EXPECT_OK(t, kml_nn_node_size(net, 1, &size));
	KT_EXPECT_EQ(t, size, 1);
	KT_EXPECT_OK(t, kml_nn_params(net, &p, NULL, &n));
	KT_EXPECT_EQ(t, n, 3);
	if (p)
		kml_memcpy(got, p, sizeof(got));
	KT_EXPECT(t, !kml_memcmp(got, tiny_params, sizeof(got)));
	kml_nn_destroy(net);
	KT_EXPECT_EQ(t, load_check(t, tiny_bytes, sizeof(tiny_bytes)), 0);
	/* bad arguments */
	KT_EXPECT_EQ(t, kml_model_load(NULL, tiny_bytes, 100, 1, &net, NULL),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_model_load(t->mem, NULL, 100, 1, &net, NULL),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_model_load(t->mem, tiny_bytes, 100, 0, &net, NULL),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_model_load(t->mem, tiny_bytes, 100, 1, NULL, NULL),
		     KML_EINVAL);
	KT_EXPECT(t, net == NULL);
	KT_EXPECT_EQ(t, kml_mem_current(t->mem), 0);
}

static void model_truncated(struct kt_ctx *t)
{
	uint8_t buf[sizeof(tiny_bytes) + 1];
	size_t len;

	/* every prefix, each a separate buffer of exactly that length as far
	 * as the loader can tell */
	for (len = 0; len < sizeof(tiny_bytes); len++)
		KT_EXPECT_EQ(t, load_check(t, tiny_bytes, len), KML_EBADMSG);
	/* trailing garbage, with the CRC at the end or where it was */
	kml_memcpy(buf, tiny_bytes, sizeof(tiny_bytes));
	buf[sizeof(tiny_bytes)] = 0;
	KT_EXPECT_EQ(t, load_check(t, buf, sizeof(buf)), KML_EBADMSG);
	buf[32] = sizeof(buf); /* claim 101 bytes, CRC at 97 */
	fix_crc(buf, sizeof(buf));
	KT_EXPECT_EQ(t, load_check(t, buf, sizeof(buf)), KML_EBADMSG);
}

/* Flip every bit. Unfixed: CRC-32 finds every single-bit error, so
 * nothing loads. With the CRC recomputed: only the 96 parameter bits and
 * the input's "requires gradient" flag describe another valid model;
 * every other field is checked. */
static void model_bit_flips(struct kt_ctx *t)
{
	uint8_t buf[sizeof(tiny_bytes)];
	uint32_t statuses = 0, loaded = 0, loaded_params = 0;
	size_t bit;

	for (bit = 0; bit < 8 * sizeof(buf); bit++) {
		size_t at = bit / 8;
		int ret;

		kml_memcpy(buf, tiny_bytes, sizeof(buf));
		buf[at] ^= (uint8_t)(1u << (bit % 8));
		ret = load_check(t, buf, sizeof(buf));
		KT_EXPECT(t, ret != 0);
		if (at >= 8 && at < 10)
			KT_EXPECT_EQ(t, ret, KML_ENOSYS); /* version */
		else if (at < 8 || (at >= 32 && at < 40))
			KT_EXPECT_EQ(t, ret, KML_EBADMSG); /* magic, length */
		else
			KT_EXPECT_EQ(t, ret, KML_EILSEQ);
		if (at < 96 && !(at >= 8 && at < 10) &&
		    !(at >= 32 && at < 40)) {
			fix_crc(buf, sizeof(buf));
			ret = load_check(t, buf, sizeof(buf));
			if (!ret) {
				loaded++;
				loaded_params += at >= TINY_PARAMS_AT;
				KT_EXPECT(t, at >= TINY_PARAMS_AT ||
						 bit == 42 * 8);
			}
			statuses = statuses * 31 + (uint32_t)-ret;
		}
	}
	KT_EXPECT_EQ(t, loaded, 97);
	KT_EXPECT_EQ(t, loaded_params, 96);
	kt_digest(t, &statuses, sizeof(statuses));
}

/* Edit one little-endian field of a copy of the tiny model, fix the CRC
 * and expect @want. */
static void expect_edit(struct kt_ctx *t, size_t at, size_t bytes, uint64_t v,
			int want)
{
	uint8_t buf[sizeof(tiny_bytes)];
	size_t i;

	kml_memcpy(buf, tiny_bytes, sizeof(buf));
	for (i = 0; i < bytes; i++)
		buf[at + i] = (uint8_t)(v >> (8 * i));
	fix_crc(buf, sizeof(buf));
	KT_EXPECT_EQ(t, load_check(t, buf, sizeof(buf)), want);
}

static void model_malformed(struct kt_ctx *t)
{
	uint8_t buf[sizeof(tiny_bytes)];

	/* frame */
	kml_memcpy(buf, tiny_bytes, sizeof(buf));
	buf[1] = 'X';
	KT_EXPECT_EQ(t, load_check(t, buf, sizeof(buf)), KML_EBADMSG);
	expect_edit(t, 8, 2, 2, KML_ENOSYS); /* version 2 */
	expect_edit(t, 8, 2, 0, KML_ENOSYS);
	kml_memcpy(buf, tiny_bytes, sizeof(buf));
	buf[99] ^= 0x80;
	KT_EXPECT_EQ(t, load_check(t, buf, sizeof(buf)), KML_EILSEQ);
	/* header */
	expect_edit(t, 10, 2, 2, KML_EBADMSG); /* unknown flag */
	expect_edit(t, 10, 2, 1, KML_EBADMSG); /* says optimizer, has none */
	expect_edit(t, 12, 1, 1, KML_EBADMSG); /* f64: parameters too short */
	expect_edit(t, 12, 1, 2, KML_ENOSYS); /* no such dtype */
	expect_edit(t, 13, 1, 1, KML_EBADMSG); /* reserved bytes */
	expect_edit(t, 14, 2, 0x100, KML_EBADMSG);
	expect_edit(t, 20, 4, 1, KML_EBADMSG);
	expect_edit(t, 16, 4, 0, KML_EBADMSG); /* no nodes */
	expect_edit(t, 16, 4, 1, KML_EBADMSG); /* records left over */
	expect_edit(t, 16, 4, 3, KML_EBADMSG); /* a node missing */
	expect_edit(t, 16, 4, 0xffffffff, KML_EBADMSG); /* absurd count */
	expect_edit(t, 24, 8, 4, KML_EBADMSG); /* parameter count */
	expect_edit(t, 24, 8, 2, KML_EBADMSG);
	expect_edit(t, 24, 8, 1ull << 62, KML_EOVERFLOW); /* x 4 bytes */
	expect_edit(t, 24, 8, 1ull << 61, KML_EBADMSG); /* not in the file */
	/* node 0 (at 40) */
	expect_edit(t, 40, 2, 0, KML_ENOSYS); /* kind 0 */
	expect_edit(t, 40, 2, 999, KML_ENOSYS); /* unknown kind */
	expect_edit(t, 40, 2, 6, KML_EBADMSG); /* relu without an input */
	expect_edit(t, 42, 1, 4, KML_EBADMSG); /* unknown input flag */
	expect_edit(t, 42, 1, 3, KML_EBADMSG); /* labels needing a gradient */
	expect_edit(t, 43, 1, 1, KML_EBADMSG); /* input 0 of node 0: itself */
	expect_edit(t, 44, 1, 0, KML_EBADMSG); /* rank 0 */
	expect_edit(t, 44, 1, 5, KML_EBADMSG); /* rank 5 */
	expect_edit(t, 45, 1, 1, KML_EBADMSG); /* an ihp the node lacks */
	expect_edit(t, 45, 1, 200, KML_EBADMSG); /* more ihp than a node has */
	expect_edit(t, 46, 1, 3, KML_EBADMSG); /* more rhp than a node has */
	expect_edit(t, 47, 1, 1, KML_EBADMSG); /* reserved */
	expect_edit(t, 48, 4, 0, KML_EBADMSG); /* dimension 0 */
	expect_edit(t, 48, 4, 3, KML_EBADMSG); /* linear's ihp disagrees */
	/* node 1 (at 52) */
	expect_edit(t, 55, 1, 0, KML_EBADMSG); /* linear without input */
	expect_edit(t, 55, 1, 9, KML_EBADMSG); /* 9 inputs */
	expect_edit(t, 53, 1, 1, KML_ENOSYS); /* kind 258 */
	expect_edit(t, 54, 1, 1, KML_EBADMSG); /* flags on a non-input */
	expect_edit(t, 60, 4, 1, KML_EBADMSG); /* input 1: itself */
	expect_edit(t, 60, 4, 2, KML_EBADMSG); /* a later node */
	expect_edit(t, 60, 4, 0x80000000u, KML_EBADMSG); /* out of range */
	expect_edit(t, 64, 4, 2, KML_EBADMSG); /* shape says 2 outputs */
	expect_edit(t, 68, 4, 0, KML_EBADMSG); /* 0 outputs */
	expect_edit(t, 68, 4, 2, KML_EBADMSG); /* more parameters than stored */
	expect_edit(t, 72, 4, 7, KML_EBADMSG); /* bias flag 7 */
	expect_edit(t, 72, 4, 0, KML_EBADMSG); /* no bias: 2 parameters */
	expect_edit(t, 76, 4, 3, KML_EBADMSG); /* derived ihp disagree */
	expect_edit(t, 80, 4, 2, KML_EBADMSG);
	expect_edit(t, 80, 4, 0, KML_EBADMSG); /* trailing zero ihp */
	expect_edit(t, 57, 1, 5, KML_EBADMSG); /* 5 ihp: reads parameters */
}

/* Building a model under caps from 64 bytes up: ENOMEM until it fits.
 * Then a one-node model of 2^42 floats per sample, and sizes that
 * overflow. */
static void model_memory_cap(struct kt_ctx *t)
{
	uint8_t big[40 + 20 + 4] = { 0 };
	struct kml_nn *net = NULL;
	size_t cap, first_ok = 0;
	struct kml_mem m;

	for (cap = 64; cap <= 64 * 1024 && !first_ok; cap += 64) {
		int ret;

		kml_mem_init(&m, "model-cap", cap);
		ret = kml_model_load(&m, tiny_bytes, sizeof(tiny_bytes), 2,
				     &net, NULL);
		if (ret == 0) {
			first_ok = cap;
			kml_nn_destroy(net);
		} else {
			KT_EXPECT_EQ(t, ret, KML_ENOMEM);
		}
		KT_EXPECT_EQ(t, kml_mem_current(&m), 0);
	}
	KT_EXPECT(t, first_ok > 64);
	/* hand-built: one input node of dims {65536, 65536, 1024} */
	kml_memcpy(big, tiny_bytes, 40);
	big[16] = 1; /* 1 node */
	big[24] = 0; /* 0 parameters */
	big[32] = sizeof(big);
	big[40] = 1; /* input */
	big[44] = 3; /* rank 3 */
	big[50] = 1; /* 65536 */
	big[54] = 1; /* 65536 */
	big[57] = 4; /* 1024 */
	fix_crc(big, sizeof(big));
	kml_mem_init(&m, "model-cap", 1u << 20);
	KT_EXPECT_EQ(t, kml_model_load(&m, big, sizeof(big), 1, &net, NULL),
		     KML_ENOMEM);
	KT_EXPECT_EQ(t, kml_mem_current(&m), 0);
	/* a batch of 2^24: 2^66 elements, the size computation overflows */
	KT_EXPECT_EQ(
	    t,
	    kml_model_load(&m, big, sizeof(big), (size_t)1 << 24, &net, NULL),
	    KML_EOVERFLOW);
	KT_EXPECT_EQ(t, kml_mem_current(&m), 0);
	/* dims 2^32 - 1 three times: a per-sample size beyond 64 bits */
	kml_memset(big + 48, 0xff, 12);
	fix_crc(big, sizeof(big));
	KT_EXPECT_EQ(t, kml_model_load(&m, big, sizeof(big), 1, &net, NULL),
		     KML_EBADMSG);
	KT_EXPECT_EQ(t, kml_mem_current(&m), 0);
	KT_EXPECT(t, net == NULL);
}

/* SGD with momentum: the optimizer section round-trips as bits. */
static void model_optim_section(struct kt_ctx *t)
{
	struct kml_optim_cfg cfg = { .kind = KML_OPTIM_SGD, .nesterov = true };
	struct kml_nn *net = tiny_net(t), *net2 = NULL;
	struct kml_optim *opt = NULL, *opt2 = NULL;
	uint64_t lr_bits = 0x3fb999999999999aull; /* 0.1 */
	uint8_t buf[256], again[256];
	size_t size = 0, w = 0;

	if (!net)
		return;
	kml_memcpy(&cfg.lr, &lr_bits, 8);
	KT_EXPECT_OK(t, kml_optim_create(&opt, t->mem, net, &cfg));
	if (!opt) {
		kml_nn_destroy(net);
		return;
	}
	KT_EXPECT_OK(t, kml_model_size(net, opt, &size));
	/* header + nodes + parameters + optimizer head + 1 state block */
	KT_EXPECT_EQ(t, size, 100 + 96 + 12);
	KT_EXPECT_OK(t, kml_model_save(net, opt, buf, sizeof(buf), &w));
	KT_EXPECT_EQ(t, w, size);
	KT_EXPECT_EQ(t, buf[10], 1); /* has an optimizer */
	KT_EXPECT_EQ(t, buf[96], KML_OPTIM_SGD);
	KT_EXPECT_EQ(t, buf[97], 1); /* Nesterov */
	KT_EXPECT_EQ(t, buf[98], 1); /* one state block */
	KT_EXPECT_EQ(t, buf[112], 0x9a); /* lr, low byte first */
	KT_EXPECT_EQ(t, buf[119], 0x3f);
	KT_EXPECT(t, load_check(t, buf, w) == 0);
	KT_EXPECT_OK(t, kml_model_load(t->mem, buf, w, 1, &net2, &opt2));
	KT_EXPECT(t, opt2 != NULL);
	if (opt2) {
		KT_EXPECT_EQ(t, kml_optim_steps(opt2), 0);
		KT_EXPECT_OK(
		    t, kml_model_save(net2, opt2, again, sizeof(again), &size));
		KT_EXPECT(t, size == w && !kml_memcmp(again, buf, w));
	}
	kml_optim_destroy(opt2);
	kml_nn_destroy(net2);
	/* the optimizer section dropped when not asked for */
	KT_EXPECT_OK(t, kml_model_load(t->mem, buf, w, 1, &net2, NULL));
	kml_nn_destroy(net2);
	/* malformed optimizer sections (CRC fixed) */
	{
		static const struct {
			size_t at;
			uint8_t v;
			int want;
		} edits[] = {
			{ 96, 7, KML_EBADMSG }, /* unknown kind */
			{ 96, KML_OPTIM_ADAM, KML_EBADMSG }, /* 2 blocks */
			{ 97, 4, KML_EBADMSG }, /* unknown flag */
			{ 98, 2, KML_EBADMSG }, /* state count */
			{ 98, 0, KML_EBADMSG },
			{ 99, 1, KML_EBADMSG }, /* reserved */
			{ 100, 1, KML_EBADMSG },
		};
		size_t i;

		for (i = 0; i < KML_ARRAY_SIZE(edits); i++) {
			kml_memcpy(again, buf, w);
			again[edits[i].at] = edits[i].v;
			fix_crc(again, w);
			KT_EXPECT_EQ(t, load_check(t, again, w), edits[i].want);
		}
		/* every truncation of the longer file */
		for (i = 0; i < w; i++)
			KT_EXPECT_EQ(t, load_check(t, buf, i), KML_EBADMSG);
	}
	/* an optimizer of another net cannot be saved with this one */
	KT_EXPECT_OK(t,
		     kml_model_load(t->mem, tiny_bytes, 100, 1, &net2, NULL));
	KT_EXPECT_EQ(t, kml_model_size(net2, opt, &size), KML_EINVAL);
	kml_nn_destroy(net2);
	kt_digest(t, buf, w);
	kml_optim_destroy(opt);
	kml_nn_destroy(net);
	KT_EXPECT_EQ(t, kml_mem_current(t->mem), 0);
}

static const struct kt_case model_cases[] = {
	{ "crc32_vectors", model_crc32_vectors },
	{ "tiny_bytes", model_tiny_bytes },
	{ "custom_kind", model_custom_kind },
	{ "tiny_load", model_tiny_load },
	{ "truncated", model_truncated },
	{ "bit_flips", model_bit_flips },
	{ "malformed", model_malformed },
	{ "memory_cap", model_memory_cap },
	{ "optim_section", model_optim_section },
};

KT_SUITE(kt_suite_model, "model", false, 64 * 1024, model_cases);
