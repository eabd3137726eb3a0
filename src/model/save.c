// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * save.c - writing a model file (no float code). One function walks the
 * model and emits every field; with a NULL buffer it only counts, which
 * is how kml_model_size() gets the exact size.
 */
#include "model_impl.h"

const uint8_t kml_model_magic[MODEL_MAGIC_LEN] = { 0x89, 'K',  'M',  'L',
						   '\r', '\n', 0x1a, '\n' };

/* How many leading entries to write: the rest are zero. */
static uint32_t trimmed_u32(const uint32_t *v, uint32_t n)
{
	while (n && !v[n - 1])
		n--;
	return n;
}

static int put_node(struct model_w *w, const struct kml_nn *net,
		    const struct kml_nn_node *n)
{
	const struct model_kind *k = kml_model_kind_of(n);
	uint64_t rhp[MODEL_MAX_RHP];
	uint32_t n_ihp, n_rhp, flags = 0, i;

	if (!k)
		return KML_ENOSYS; /* a custom kind */
	for (i = 0; i < MODEL_MAX_RHP; i++)
		kml_memcpy(&rhp[i], &n->rhp[i], sizeof(rhp[i]));
	n_rhp = MODEL_MAX_RHP;
	while (n_rhp && !rhp[n_rhp - 1])
		n_rhp--;
	n_ihp = trimmed_u32(n->ihp, MODEL_MAX_IHP);
	if (n->flags & KML_NN_NODE_INPUT) {
		if (n->flags & KML_NN_NODE_REQ_GRAD)
			flags |= MODEL_NODE_REQ_GRAD;
		if (n->flags & KML_NN_NODE_LABELS)
			flags |= MODEL_NODE_LABELS;
	}
	mw_u16(w, k->id);
	mw_u8(w, flags);
	mw_u8(w, n->n_in);
	mw_u8(w, n->shape.rank);
	mw_u8(w, n_ihp);
	mw_u8(w, n_rhp);
	mw_u8(w, 0);
	for (i = 0; i < n->n_in; i++)
		mw_u32(w, (uint32_t)(n->src[i] - net->nodes));
	for (i = 0; i < n->shape.rank; i++)
		mw_u32(w, n->shape.dim[i]);
	for (i = 0; i < n_ihp; i++)
		mw_u32(w, n->ihp[i]);
	for (i = 0; i < n_rhp; i++)
		mw_u64(w, rhp[i]);
	return KML_OK;
}

static void put_block(struct model_w *w, const void *base, size_t n,
		      size_t esize)
{
	uint8_t *d;
	size_t i;

	if (w->p) {
		d = w->p + w->pos;
		for (i = 0; i < n; i++, d += esize) {
			uint64_t v = model_elem_get(base, i, esize);

			model_le32_put(d, (uint32_t)v);
			if (esize == 8)
				model_le32_put(d + 4, (uint32_t)(v >> 32));
		}
	}
	w->pos += n * esize; /* sizes were checked by the caller */
}

/* The buffers of every node whose kind has some, in node order. */
static int put_buffers(struct model_w *w, const struct kml_nn *net)
{
	uint32_t i;

	for (i = 0; i < net->n_nodes; i++) {
		const struct model_kind *k = kml_model_kind_of(&net->nodes[i]);
		void *a, *b;
		size_t n;
		int ret;

		if (!k || !k->buffers)
			continue;
		/* reads only: the accessor takes a non-const net */
		ret = k->buffers((struct kml_nn *)net, (int)i, &a, &b, &n);
		if (ret)
			return ret;
		put_block(w, a, n, 8);
		put_block(w, b, n, 8);
	}
	return KML_OK;
}

static void put_optim(struct model_w *w, const struct kml_optim *o)
{
	const struct kml_optim_cfg *c = &o->cfg;
	const void *reals[10] = { &c->lr,	 &c->weight_decay, &c->momentum,
				  &c->dampening, &c->beta1,	   &c->beta2,
				  &c->eps,	 &c->alpha,	   &o->beta1_t,
				  &o->beta2_t };
	uint32_t i;

	mw_u8(w, (uint32_t)c->kind);
	mw_u8(w, (c->nesterov ? MODEL_OPT_NESTEROV : 0) |
		     (c->centered ? MODEL_OPT_CENTERED : 0));
	mw_u8(w, o->n_state);
	mw_u8(w, 0);
	mw_u32(w, 0);
	mw_u64(w, o->steps);
	for (i = 0; i < KML_ARRAY_SIZE(reals); i++) {
		uint64_t bits;

		kml_memcpy(&bits, reals[i], sizeof(bits));
		mw_u64(w, bits);
	}
	for (i = 0; i < o->n_state; i++)
		put_block(w, o->state[i], o->net->n_params, o->net->esize);
}

/* Everything but the CRC; *w->pos ends at the CRC's offset. */
static int put_model(struct model_w *w, const struct kml_nn *net,
		     const struct kml_optim *opt, size_t total)
{
	uint32_t i;
	int ret;

	for (i = 0; i < MODEL_MAGIC_LEN; i++)
		mw_u8(w, kml_model_magic[i]);
	mw_u16(w, KML_MODEL_VERSION);
	mw_u16(w, opt ? MODEL_HAS_OPTIM : 0);
	mw_u8(w, net->dtype);
	mw_u8(w, 0);
	mw_u16(w, 0);
	mw_u32(w, net->n_nodes);
	mw_u32(w, 0);
	mw_u64(w, net->n_params);
	mw_u64(w, total);
	for (i = 0; i < net->n_nodes; i++) {
		ret = put_node(w, net, &net->nodes[i]);
		if (ret)
			return ret;
	}
	put_block(w, net->params, net->n_params, net->esize);
	ret = put_buffers(w, net);
	if (ret)
		return ret;
	if (opt)
		put_optim(w, opt);
	return KML_OK;
}

static int check_args(const struct kml_nn *net, const struct kml_optim *opt)
{
	if (!net || !net->prepared)
		return KML_EINVAL;
	if (opt && opt->net != net)
		return KML_EINVAL;
	if (net->n_nodes > KML_MODEL_MAX_NODES)
		return KML_ERANGE;
	return KML_OK;
}

int kml_model_size(const struct kml_nn *net, const struct kml_optim *opt,
		   size_t *size)
{
	struct model_w w = { NULL, 0 };
	size_t bytes, blocks = 1 + (opt ? opt->n_state : 0), total;
	int ret;

	if (!size)
		return KML_EINVAL;
	*size = 0;
	ret = check_args(net, opt);
	if (ret)
		return ret;
	/* the blocks are in memory already, but count them with checks */
	if (!kml_size_mul(net->n_params, net->esize, &bytes) ||
	    !kml_size_mul(bytes, blocks, &bytes))
		return KML_EOVERFLOW;
	ret = put_model(&w, net, opt, 0);
	if (ret)
		return ret;
	if (!kml_size_add(w.pos, MODEL_CRC_BYTES, &total))
		return KML_EOVERFLOW;
	*size = total;
	return KML_OK;
}

int kml_model_save(const struct kml_nn *net, const struct kml_optim *opt,
		   void *buf, size_t cap, size_t *written)
{
	struct model_w w;
	size_t size;
	uint32_t crc = 0;
	int ret;

	if (!written)
		return KML_EINVAL;
	*written = 0;
	ret = kml_model_size(net, opt, &size);
	if (ret)
		return ret;
	if (!buf || cap < size)
		return KML_ENOSPC;
	w.p = buf;
	w.pos = 0;
	ret = put_model(&w, net, opt, size);
	if (ret)
		return ret;
	kml_crc32(&crc, buf, w.pos);
	mw_u32(&w, crc);
	*written = w.pos;
	return KML_OK;
}
