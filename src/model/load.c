// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * load.c - reading a model file (no float code). The bytes are untrusted:
 * the frame (magic, version, length, CRC) is checked before anything is
 * allocated; then the graph is rebuilt node by node through the normal
 * builders, each result compared field by field with its record, so a
 * file can only describe graphs the API itself could have built. Every
 * failure frees what was built and returns a status.
 */
#include "model_impl.h"

struct model_load {
	struct model_r r;
	struct kml_mem *mem;
	struct kml_nn *net;
	struct kml_optim *opt;
	uint32_t flags, n_nodes;
	uint64_t n_params;
};

/* Builder statuses become "malformed file"; resource limits stay. */
static int file_status(int ret)
{
	if (ret == KML_ENOMEM || ret == KML_EOVERFLOW || ret == KML_ENOSYS)
		return ret;
	return KML_EBADMSG;
}

static int check_frame(const uint8_t *p, size_t len)
{
	struct model_r r = { p, 0, len, false };
	uint64_t total;
	uint32_t crc = 0, i;

	if (len < MODEL_HEADER_BYTES + MODEL_CRC_BYTES)
		return KML_EBADMSG;
	for (i = 0; i < MODEL_MAGIC_LEN; i++)
		if (mr_u8(&r) != kml_model_magic[i])
			return KML_EBADMSG;
	if (mr_u16(&r) != KML_MODEL_VERSION)
		return KML_ENOSYS;
	r.pos = 32;
	total = mr_u64(&r);
	if (total != len)
		return KML_EBADMSG; /* truncated, or bytes after the end */
	kml_crc32(&crc, p, len - MODEL_CRC_BYTES);
	r.pos = len - MODEL_CRC_BYTES;
	if (mr_u32(&r) != crc)
		return KML_EILSEQ;
	return KML_OK;
}

static int read_header(struct model_load *l)
{
	struct model_r *r = &l->r;
	uint32_t dtype, min_bytes;
	int ret;

	r->pos = MODEL_MAGIC_LEN + 2;
	l->flags = mr_u16(r);
	dtype = mr_u8(r);
	if (mr_u8(r) || mr_u16(r))
		return KML_EBADMSG;
	l->n_nodes = mr_u32(r);
	if (mr_u32(r))
		return KML_EBADMSG;
	l->n_params = mr_u64(r);
	(void)mr_u64(r); /* the length, checked with the frame */
	if (l->flags & ~MODEL_HAS_OPTIM)
		return KML_EBADMSG;
	if (dtype != KML_NN_F32 && dtype != KML_NN_F64)
		return KML_ENOSYS;
	/* every node record takes at least 8 bytes: bound the node table by
	 * the file's size before allocating it */
	min_bytes = MODEL_NODE_HEAD_BYTES;
	if (l->n_nodes == 0 || l->n_nodes > KML_MODEL_MAX_NODES ||
	    l->n_nodes > (r->len - r->pos) / min_bytes)
		return KML_EBADMSG;
	ret = kml_nn_create(&l->net, l->mem, (enum kml_nn_dtype)dtype,
			    l->n_nodes);
	return ret ? file_status(ret) : KML_OK;
}

static int read_record(struct model_r *r, struct model_node *nd)
{
	uint32_t i;

	kml_memset(nd, 0, sizeof(*nd));
	nd->kind = (uint16_t)mr_u16(r);
	nd->flags = (uint8_t)mr_u8(r);
	nd->n_in = (uint8_t)mr_u8(r);
	nd->rank = (uint8_t)mr_u8(r);
	nd->n_ihp = (uint8_t)mr_u8(r);
	nd->n_rhp = (uint8_t)mr_u8(r);
	if (mr_u8(r) || r->bad)
		return KML_EBADMSG;
	if (nd->n_in > KML_NN_MAX_INPUTS || nd->rank == 0 ||
	    nd->rank > KML_NN_MAX_RANK || nd->n_ihp > MODEL_MAX_IHP ||
	    nd->n_rhp > MODEL_MAX_RHP)
		return KML_EBADMSG;
	for (i = 0; i < nd->n_in; i++)
		nd->in[i] = mr_u32(r);
	for (i = 0; i < nd->rank; i++)
		nd->dim[i] = mr_u32(r);
	for (i = 0; i < nd->n_ihp; i++)
		nd->ihp[i] = mr_u32(r);
	for (i = 0; i < nd->n_rhp; i++)
		nd->rhp[i] = mr_u64(r);
	if (r->bad)
		return KML_EBADMSG;
	/* one encoding per model: trailing zeros are never written */
	if ((nd->n_ihp && !nd->ihp[nd->n_ihp - 1]) ||
	    (nd->n_rhp && !nd->rhp[nd->n_rhp - 1]))
		return KML_EBADMSG;
	return KML_OK;
}

/* The node the builder made must be exactly the one recorded. */
static bool node_matches(const struct kml_nn_node *n,
			 const struct model_node *nd, const char *name)
{
	uint32_t i;

	if (kml_strlen(n->ops->name) != kml_strlen(name) ||
	    kml_memcmp(n->ops->name, name, kml_strlen(name)))
		return false;
	if (n->n_in != nd->n_in || n->shape.rank != nd->rank)
		return false;
	for (i = 0; i < nd->rank; i++)
		if (n->shape.dim[i] != nd->dim[i])
			return false;
	for (i = 0; i < MODEL_MAX_IHP; i++)
		if (n->ihp[i] != nd->ihp[i])
			return false;
	for (i = 0; i < MODEL_MAX_RHP; i++) {
		uint64_t bits;

		kml_memcpy(&bits, &n->rhp[i], sizeof(bits));
		if (bits != nd->rhp[i])
			return false;
	}
	return true;
}

static int read_nodes(struct model_load *l)
{
	struct model_node nd;
	uint32_t i, j;
	int ret;

	for (i = 0; i < l->n_nodes; i++) {
		const struct model_kind *k;
		struct kml_nn_node *n;
		int in[KML_NN_MAX_INPUTS];
		int id;

		ret = read_record(&l->r, &nd);
		if (ret)
			return ret;
		k = kml_model_kind_by_id(nd.kind);
		if (!k)
			return KML_ENOSYS;
		if (nd.n_in < k->min_in || nd.n_in > k->max_in)
			return KML_EBADMSG;
		if (nd.flags && nd.kind != 1)
			return KML_EBADMSG; /* flags are for inputs only */
		for (j = 0; j < nd.n_in; j++) {
			if (nd.in[j] >= i)
				return KML_EBADMSG; /* forward or self */
			in[j] = (int)nd.in[j];
		}
		id = k->rebuild(l->net, &nd, in);
		if (id < 0)
			return file_status(id);
		if ((uint32_t)id != i || kml_nn_get_node(l->net, id, &n) ||
		    !node_matches(n, &nd, k->name))
			return KML_EBADMSG;
	}
	return KML_OK;
}

/* @n little-endian elements of @esize bytes into the host array @dst. */
static int read_block(struct model_r *r, void *dst, size_t n, size_t esize)
{
	const uint8_t *p;
	size_t i, bytes;

	if (!kml_size_mul(n, esize, &bytes))
		return KML_EOVERFLOW;
	if (!mr_has(r, bytes))
		return KML_EBADMSG;
	p = r->p + r->pos;
	for (i = 0; i < n; i++, p += esize) {
		uint64_t v = model_le32_get(p);

		if (esize == 8)
			v |= (uint64_t)model_le32_get(p + 4) << 32;
		model_elem_set(dst, i, esize, v);
	}
	r->pos += bytes;
	return KML_OK;
}

/* The gap elements between nodes' parameter slices stay zero. */
static bool gaps_zero(const struct kml_nn *net)
{
	size_t pos = 0, i;
	uint32_t k;

	for (k = 0; k <= net->n_nodes; k++) {
		size_t start = net->n_params, len = 0;

		if (k < net->n_nodes) {
			if (!net->nodes[k].n_params)
				continue;
			start = net->nodes[k].param_offset;
			len = net->nodes[k].n_params;
		}
		for (i = pos; i < start; i++)
			if (model_elem_get(net->params, i, net->esize))
				return false;
		pos = start + len;
	}
	return true;
}

static int read_params(struct model_load *l, size_t max_batch)
{
	struct kml_nn *net = l->net;
	size_t bytes;
	int ret;

	/* before allocating activations: the parameters must be in the file */
	if (!kml_size_mul(l->n_params, net->esize, &bytes))
		return KML_EOVERFLOW;
	if (bytes > l->r.len - l->r.pos)
		return KML_EBADMSG;
	ret = kml_nn_prepare(net, max_batch);
	if (ret)
		return file_status(ret);
	if (net->n_params != l->n_params)
		return KML_EBADMSG;
	ret = read_block(&l->r, net->params, net->n_params, net->esize);
	if (ret)
		return ret;
	return gaps_zero(net) ? KML_OK : KML_EBADMSG;
}

/* The buffers of the nodes whose kinds have some, in node order. */
static int read_buffers(struct model_load *l)
{
	uint32_t i;

	for (i = 0; i < l->n_nodes; i++) {
		const struct model_kind *k =
		    kml_model_kind_of(&l->net->nodes[i]);
		void *a, *b;
		size_t n;
		int ret;

		if (!k || !k->buffers)
			continue;
		ret = k->buffers(l->net, (int)i, &a, &b, &n);
		if (!ret)
			ret = read_block(&l->r, a, n, 8);
		if (!ret)
			ret = read_block(&l->r, b, n, 8);
		if (ret)
			return ret == KML_EINVAL ? KML_EBADMSG : ret;
	}
	return KML_OK;
}

static int read_optim(struct model_load *l)
{
	struct model_r *r = &l->r;
	struct kml_optim_cfg cfg;
	struct kml_optim *o;
	void *reals[8] = { &cfg.lr,	   &cfg.weight_decay, &cfg.momentum,
			   &cfg.dampening, &cfg.beta1,	      &cfg.beta2,
			   &cfg.eps,	   &cfg.alpha };
	uint32_t kind, flags, n_state, i;
	uint64_t steps, bits;
	size_t bytes;
	int ret;

	kml_memset(&cfg, 0, sizeof(cfg));
	kind = mr_u8(r);
	flags = mr_u8(r);
	n_state = mr_u8(r);
	if (mr_u8(r) || mr_u32(r) || r->bad)
		return KML_EBADMSG;
	if (flags & ~(MODEL_OPT_NESTEROV | MODEL_OPT_CENTERED))
		return KML_EBADMSG;
	steps = mr_u64(r);
	for (i = 0; i < KML_ARRAY_SIZE(reals); i++) {
		bits = mr_u64(r);
		kml_memcpy(reals[i], &bits, sizeof(bits));
	}
	if (r->bad)
		return KML_EBADMSG;
	cfg.kind = (int)kind;
	cfg.nesterov = flags & MODEL_OPT_NESTEROV;
	cfg.centered = flags & MODEL_OPT_CENTERED;
	/* the state must be in the file before it is allocated */
	if (!kml_size_mul(l->net->n_params, l->net->esize, &bytes) ||
	    !kml_size_mul(bytes, n_state, &bytes) ||
	    !kml_size_add(bytes, 16, &bytes))
		return KML_EOVERFLOW;
	if (bytes > r->len - r->pos)
		return KML_EBADMSG;
	ret = kml_optim_create(&o, l->mem, l->net, &cfg);
	if (ret)
		return file_status(ret);
	l->opt = o;
	if (o->n_state != n_state)
		return KML_EBADMSG;
	o->steps = steps;
	bits = mr_u64(r);
	kml_memcpy(&o->beta1_t, &bits, sizeof(bits));
	bits = mr_u64(r);
	kml_memcpy(&o->beta2_t, &bits, sizeof(bits));
	for (i = 0; i < n_state; i++) {
		ret =
		    read_block(r, o->state[i], l->net->n_params, l->net->esize);
		if (ret)
			return ret;
	}
	return KML_OK;
}

static int load_all(struct model_load *l, size_t max_batch)
{
	int ret;

	ret = read_header(l);
	if (!ret)
		ret = read_nodes(l);
	if (!ret)
		ret = read_params(l, max_batch);
	if (!ret)
		ret = read_buffers(l);
	if (!ret && (l->flags & MODEL_HAS_OPTIM))
		ret = read_optim(l);
	/* nothing but the CRC may follow */
	if (!ret && l->r.pos != l->r.len)
		ret = KML_EBADMSG;
	return ret;
}

int kml_model_load(struct kml_mem *mem, const void *buf, size_t len,
		   size_t max_batch, struct kml_nn **net,
		   struct kml_optim **opt)
{
	struct model_load l;
	int ret;

	if (opt)
		*opt = NULL;
	if (!net)
		return KML_EINVAL;
	*net = NULL;
	if (!mem || !buf || max_batch == 0)
		return KML_EINVAL;
	ret = check_frame(buf, len);
	if (ret)
		return ret;
	kml_memset(&l, 0, sizeof(l));
	l.mem = mem;
	/* the reader stops before the CRC */
	l.r.p = buf;
	l.r.len = len - MODEL_CRC_BYTES;
	ret = load_all(&l, max_batch);
	if (ret) {
		kml_optim_destroy(l.opt);
		kml_nn_destroy(l.net);
		return ret;
	}
	if (opt)
		*opt = l.opt;
	else
		kml_optim_destroy(l.opt);
	*net = l.net;
	return KML_OK;
}
