/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * model_impl.h - private to src/model: the byte-level writer and reader
 * (explicit little-endian, one byte at a time, never a host struct), the
 * node record of the file, and the table of layer kinds a file may name.
 * No float code: reals travel as uint64_t bit patterns.
 */
#ifndef KMLIB_MODEL_IMPL_H
#define KMLIB_MODEL_IMPL_H

#include "kmlib/model.h"
#include "../optim/optim_impl.h"

/* "\x89KML\r\n\x1a\n": a high bit and both line ends catch 7-bit and
 * text-mode transfers, as PNG's signature does. */
#define MODEL_MAGIC_LEN 8
extern const uint8_t kml_model_magic[MODEL_MAGIC_LEN];

#define MODEL_HEADER_BYTES 40u
#define MODEL_CRC_BYTES 4u
#define MODEL_NODE_HEAD_BYTES 8u
#define MODEL_OPTIM_HEAD_BYTES (8u + 8u + 10u * 8u)

/* header flags */
#define MODEL_HAS_OPTIM 0x0001u
/* node record flags (input nodes only) */
#define MODEL_NODE_REQ_GRAD 0x01u
#define MODEL_NODE_LABELS 0x02u
/* optimizer flags */
#define MODEL_OPT_NESTEROV 0x01u
#define MODEL_OPT_CENTERED 0x02u

/* ihp[] of a node: 4 or more integers, whatever nn_ops.h gives. */
#define MODEL_MAX_IHP                                                          \
	(sizeof(((struct kml_nn_node *)0)->ihp) / sizeof(uint32_t))
#define MODEL_MAX_RHP                                                          \
	(sizeof(((struct kml_nn_node *)0)->rhp) / sizeof(uint64_t))

/* One node as the file holds it (decoded). */
struct model_node {
	uint16_t kind;
	uint8_t flags, n_in, rank, n_ihp, n_rhp;
	uint32_t in[KML_NN_MAX_INPUTS];
	uint32_t dim[KML_NN_MAX_RANK];
	uint32_t ihp[MODEL_MAX_IHP]; /* zero past n_ihp */
	uint64_t rhp[MODEL_MAX_RHP]; /* bit patterns; zero past n_rhp */
};

/*
 * A built-in layer kind: its stable id in files (never reused or
 * renumbered), the name of its struct kml_nn_ops (how the saver
 * recognises it), the input counts a record may give, and how the loader
 * adds it again. rebuild returns the node id or a status; the loader then
 * checks that the node it got has exactly the record's shape, ihp and rhp.
 */
struct model_kind {
	uint16_t id;
	const char *name;
	uint8_t min_in, max_in;
	int (*rebuild)(struct kml_nn *net, const struct model_node *r,
		       const int *in);
	/*
	 * Optional: state outside the parameter block that a model keeps
	 * (batch norm's running statistics): two arrays of *count 64-bit
	 * values (double bit patterns), valid after prepare.
	 */
	int (*buffers)(struct kml_nn *net, int id, void **a, void **b,
		       size_t *count);
};

const struct model_kind *kml_model_kind_by_id(uint32_t id);
/* The kind of a node, by its ops name; NULL for custom kinds. */
const struct model_kind *kml_model_kind_of(const struct kml_nn_node *n);
const struct model_kind *kml_model_kind_by_name(const char *name);

/* ---- writer: counts only when p is NULL ---- */

struct model_w {
	uint8_t *p;
	size_t pos;
};

static inline void mw_u8(struct model_w *w, uint32_t v)
{
	if (w->p)
		w->p[w->pos] = (uint8_t)v;
	w->pos++;
}

static inline void mw_u16(struct model_w *w, uint32_t v)
{
	mw_u8(w, v & 0xff);
	mw_u8(w, (v >> 8) & 0xff);
}

static inline void mw_u32(struct model_w *w, uint32_t v)
{
	mw_u16(w, v & 0xffff);
	mw_u16(w, v >> 16);
}

static inline void mw_u64(struct model_w *w, uint64_t v)
{
	mw_u32(w, (uint32_t)v);
	mw_u32(w, (uint32_t)(v >> 32));
}

/* ---- reader: a failed read sets bad and returns 0 ---- */

struct model_r {
	const uint8_t *p;
	size_t pos, len;
	bool bad;
};

static inline bool mr_has(struct model_r *r, size_t n)
{
	if (r->bad || r->len - r->pos < n) {
		r->bad = true;
		return false;
	}
	return true;
}

static inline uint32_t mr_u8(struct model_r *r)
{
	if (!mr_has(r, 1))
		return 0;
	return r->p[r->pos++];
}

static inline uint32_t mr_u16(struct model_r *r)
{
	uint32_t lo = mr_u8(r);

	return lo | (mr_u8(r) << 8);
}

static inline uint32_t mr_u32(struct model_r *r)
{
	uint32_t lo = mr_u16(r);

	return lo | (mr_u16(r) << 16);
}

static inline uint64_t mr_u64(struct model_r *r)
{
	uint64_t lo = mr_u32(r);

	return lo | ((uint64_t)mr_u32(r) << 32);
}

/*
 * Little-endian fields at a pointer, a byte at a time in the source; GCC
 * merges each into one load or store on little-endian hosts, so blocks
 * of parameters move at a few instructions per element.
 */
static inline void model_le32_put(uint8_t *d, uint32_t v)
{
	d[0] = (uint8_t)v;
	d[1] = (uint8_t)(v >> 8);
	d[2] = (uint8_t)(v >> 16);
	d[3] = (uint8_t)(v >> 24);
}

static inline uint32_t model_le32_get(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline void model_le64_put(uint8_t *d, uint64_t v)
{
	model_le32_put(d, (uint32_t)v);
	model_le32_put(d + 4, (uint32_t)(v >> 32));
}

static inline uint64_t model_le64_get(const uint8_t *p)
{
	return model_le32_get(p) | (uint64_t)model_le32_get(p + 4) << 32;
}

/* Host element <-> little-endian bytes, by value (esize 4 or 8). */
static inline uint64_t model_elem_get(const void *base, size_t i, size_t esize)
{
	const uint8_t *p = (const uint8_t *)base + i * esize;

	if (esize == 4) {
		uint32_t v;

		kml_memcpy(&v, p, 4);
		return v;
	} else {
		uint64_t v;

		kml_memcpy(&v, p, 8);
		return v;
	}
}

static inline void model_elem_set(void *base, size_t i, size_t esize,
				  uint64_t v)
{
	uint8_t *p = (uint8_t *)base + i * esize;

	if (esize == 4) {
		uint32_t v32 = (uint32_t)v;

		kml_memcpy(p, &v32, 4);
	} else {
		kml_memcpy(p, &v, 8);
	}
}

#endif /* KMLIB_MODEL_IMPL_H */
